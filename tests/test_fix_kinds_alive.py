"""Every kind of fix lint_secrets/fix/safety.py classes is one a rule's fix can have: a kind
no fix is ever given would document a behaviour that does not exist."""

from __future__ import annotations

from conftest import findings

from lint_secrets.fix.safety import FIX_KINDS
from lint_secrets.rules import RULES


def test_every_classed_kind_is_one_a_rule_gives() -> None:
    given = {kind for rule in RULES for kind in rule.fix_kinds}
    assert {kind.kind for kind in FIX_KINDS} == given


def test_a_class_attribute_or_dataclass_field_default_is_fixed_as_a_module_constant() -> None:
    source = """
    from dataclasses import dataclass

    import replicate


    @dataclass
    class Settings:
        api_key: str = "sk-FAKEdataclassFieldT0kenN0tReal12345678"


    class Plain:
        hf_token = "hf_FAKEclassAttributeT0kenN0tReal1234567"


    replicate.run("owner/model", input={"hf_token": Plain.hf_token, "api_key": Settings.api_key})
    """
    found = findings(source)
    assert [(f.line, f.fix.kind if f.fix else None) for f in found] == [
        (9, "module-constant"),
        (13, "module-constant"),
    ]
