"""The rules: one module each (`rsNNN_name.py`), registered here in report order."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Dict, Tuple, Type

from lint_secrets.rules.base import Rule
from lint_secrets.rules.rs101_secret_input_literal import SecretInputLiteral
from lint_secrets.rules.rs102_likely_secret_input_literal import LikelySecretInputLiteral
from lint_secrets.rules.rs103_hardcoded_replicate_token import HardcodedReplicateToken
from lint_secrets.rules.rs104_secret_to_unredacted_input import SecretToUnredactedInput
from lint_secrets.rules.rs105_secret_to_untrusted_model import SecretToUntrustedModel
from lint_secrets.rules.rs106_missing_required_secret import MissingRequiredSecret

RULES: Tuple[Type[Rule], ...] = (
    SecretInputLiteral,
    LikelySecretInputLiteral,
    HardcodedReplicateToken,
    SecretToUnredactedInput,
    SecretToUntrustedModel,
    MissingRequiredSecret,
)
RULES_BY_CODE: Dict[str, Type[Rule]] = {rule.code: rule for rule in RULES}
ALL_CODES: Tuple[str, ...] = tuple(RULES_BY_CODE)


@dataclass(frozen=True)
class RuleInfo:
    """A rule's documentation, as reporters and `lint-secrets rules` show it."""

    code: str
    name: str
    summary: str
    doc: str
    fixable: bool


RULE_INFO: Tuple[RuleInfo, ...] = tuple(
    RuleInfo(rule.code, rule.name, rule.summary, rule.doc(), rule.fixable) for rule in RULES
)
