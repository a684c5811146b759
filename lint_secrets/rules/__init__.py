"""The rules: one module each (`rsNNN_name.py`), registered here in report order."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Dict, Optional, Tuple, Type

from lint_secrets.fix.edits import FixKindName
from lint_secrets.records import Record
from lint_secrets.rules.base import Rule
from lint_secrets.rules.rs100_unresolved_replicate_call import UnresolvedReplicateCall
from lint_secrets.rules.rs101_secret_input_literal import SecretInputLiteral
from lint_secrets.rules.rs102_likely_secret_input_literal import LikelySecretInputLiteral
from lint_secrets.rules.rs103_hardcoded_replicate_token import HardcodedReplicateToken
from lint_secrets.rules.rs104_secret_to_unredacted_input import SecretToUnredactedInput
from lint_secrets.rules.rs105_secret_to_untrusted_model import SecretToUntrustedModel
from lint_secrets.rules.rs106_missing_required_secret import MissingRequiredSecret
from lint_secrets.rules.rs201_secret_input_not_declared_secret import SecretInputNotDeclaredSecret
from lint_secrets.rules.rs202_secret_input_default import SecretInputDefault
from lint_secrets.rules.rs203_secret_value_exposed import SecretValueExposed

RULES: Tuple[Type[Rule], ...] = (
    UnresolvedReplicateCall,
    SecretInputLiteral,
    LikelySecretInputLiteral,
    HardcodedReplicateToken,
    SecretToUnredactedInput,
    SecretToUntrustedModel,
    MissingRequiredSecret,
    SecretInputNotDeclaredSecret,
    SecretInputDefault,
    SecretValueExposed,
)
RULES_BY_CODE: Dict[str, Type[Rule]] = {rule.code: rule for rule in RULES}
ALL_CODES: Tuple[str, ...] = tuple(RULES_BY_CODE)


@dataclass(frozen=True, repr=False, eq=False)
class RuleInfo(Record):
    """A rule's documentation, as reporters and `lint-secrets rules` show it."""

    code: str
    name: str
    summary: str
    doc: str
    fixable: bool
    precision: str
    security_severity: str
    fix_kinds: Tuple[FixKindName, ...] = ()
    cwe: Optional[str] = "CWE-798"
    sarif_level: str = "error"


RULE_INFO: Tuple[RuleInfo, ...] = tuple(
    RuleInfo(
        rule.code,
        rule.name,
        rule.summary,
        rule.doc(),
        rule.fixable,
        rule.precision,
        rule.security_severity,
        rule.fix_kinds if rule.fixable else (),
        rule.cwe,
        rule.sarif_level,
    )
    for rule in RULES
)
