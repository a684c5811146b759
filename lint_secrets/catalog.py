"""What a run needs to know of the rules before, or without, importing them.

A pre-commit run over files that never mention Replicate must not pay for importing
the rules: the prefilter and the config read this table instead. The meta-test
(tests/rules/test_rules.py) fails when it drifts from what the rules declare.
"""

from __future__ import annotations

from typing import Dict, Tuple

ALL_CODES: Tuple[str, ...] = (
    "RS100",
    "RS101",
    "RS102",
    "RS103",
    "RS104",
    "RS105",
    "RS106",
    "RS201",
    "RS202",
    "RS203",
)
# Rules whose findings are not a secret (a call not checked, an input not passed, an input
# not declared secret): the summary counts them as problems apart from the secrets found.
NOT_SECRET_CODES: Tuple[str, ...] = ("RS100", "RS106", "RS201")
# Rules whose findings point at a name, never at a secret's text (RS105: the model, RS201: the
# `str` of an annotation): the `full` format shows it unmasked.
UNMASKED_CODES: Tuple[str, ...] = ("RS105", "RS201")
# Rules not selected by default: `select`/`extend-select` must name their full code.
OPT_IN_CODES: Tuple[str, ...] = ("RS100",)
# The union of the rules' `needles`: bytes that make a file worth parsing.
NEEDLES: Tuple[bytes, ...] = (b"r8_", b"REPLICATE_API_TOKEN", b"replicate_api_token", b"api.replicate.com")
# The union of the rules' `imports`: modules whose import makes a file worth parsing.
IMPORTS: Tuple[str, ...] = ("replicate", "cog")
# How serious each rule's findings are, in SARIF's words, for every report that says so (SARIF's
# level, GitHub's `::error`/`::warning`/`::notice`): the one place a rule's level is set. Rules
# not listed are "error".
SARIF_LEVELS: Dict[str, str] = {
    "RS100": "note",  # a call not checked
    "RS105": "warning",  # a secret sent to an owner not listed as trusted: a policy, not a leak
    "RS106": "warning",  # a prediction that fails, not a leak
}


def sarif_level(code: str) -> str:
    """ "error", "warning" or "note": how serious a finding of `code` is."""
    return SARIF_LEVELS.get(code, "error")
