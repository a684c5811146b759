"""What a run needs to know of the rules before, or without, importing them.

A pre-commit run over files that never mention Replicate must not pay for importing
the rules: the prefilter and the config read this table instead. The meta-test
(tests/rules/test_rules.py) fails when it drifts from what the rules declare.
"""

from __future__ import annotations

from typing import Tuple

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
NEEDLES: Tuple[bytes, ...] = (b"r8_", b"REPLICATE_API_TOKEN", b"api.replicate.com")
# The union of the rules' `imports`: modules whose import makes a file worth parsing.
IMPORTS: Tuple[str, ...] = ("replicate", "cog")
