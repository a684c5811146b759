"""Every rule's own examples, run through the real `check` and `--fix`; and the conventions
every rule keeps (code, name, module, docs, the catalog the prefilter reads)."""

from __future__ import annotations

import importlib
import re
import shutil
import textwrap
from pathlib import Path
from typing import List, Tuple, Type

import pytest

from lint_secrets import catalog
from lint_secrets.cli import main
from lint_secrets.heuristics import REPLICATE_TOKEN_IN_TEXT, token_shape
from lint_secrets.rules import RULE_INFO, RULES
from lint_secrets.rules.base import Invalid, Rule, Valid

REPO = Path(__file__).resolve().parents[2]
SCHEMAS = REPO / "fixtures" / "sample" / ".lint-secrets" / "schemas"


def _examples(kind: type) -> List[Tuple[Type[Rule], int, object]]:
    found = []
    for rule in RULES:
        examples = rule.INVALID if kind is Invalid else rule.VALID
        found.extend((rule, number, example) for number, example in enumerate(examples))
    return found


def _id(param: Tuple[Type[Rule], int, object]) -> str:
    return f"{param[0].code}-{param[1]}"


def _check(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    code: str,
    *args: str,
    rule: Type[Rule] = Rule,
    config: str = "",
) -> Tuple[int, str, Path]:
    shutil.copytree(SCHEMAS, tmp_path / ".lint-secrets" / "schemas", dirs_exist_ok=True)
    # A rule not selected by default is run as its users turn it on.
    extend = "" if rule.selected_by_default else f'extend-select = ["{rule.code}"]\n'
    config_text = "[tool.lint-secrets]\n" + extend + textwrap.dedent(config).lstrip("\n")
    (tmp_path / "pyproject.toml").write_text(config_text, encoding="utf-8")
    path = tmp_path / "example.py"
    path.write_text(textwrap.dedent(code).lstrip("\n"), encoding="utf-8")
    exit_code = main(["check", "--output-format", "json", *args, str(path)])
    out = capsys.readouterr().out
    return exit_code, out, path


@pytest.mark.parametrize("param", _examples(Invalid), ids=_id)
def test_invalid_example_is_reported_and_fixed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], param: Tuple[Type[Rule], int, Invalid]
) -> None:
    import json

    rule, _, example = param
    code, out, path = _check(tmp_path, capsys, example.code, rule=rule, config=example.config)
    assert code == 1
    findings = [f for f in json.loads(out)["findings"] if f["code"] == rule.code]
    assert findings, f"{rule.code} reported nothing on its INVALID example"
    if example.line is not None:
        assert (findings[0]["line"], findings[0]["column"]) == (example.line, example.column)
    if findings[0]["fix_kind"] is not None:  # `rules` and `explain` list the kinds a rule's fixes are
        assert findings[0]["fix_kind"] in rule.fix_kinds
    if example.expected_replacement is None:
        return
    # An unsafe fix is the same rewrite, applied only when asked: the example shows it either way.
    unsafe = findings[0]["fix_applicability"] == "unsafe"
    fix_args = ("--fix", "--unsafe-fixes") if unsafe else ("--fix",)
    if unsafe:
        _check(tmp_path, capsys, example.code, "--fix", rule=rule, config=example.config)
        assert path.read_text(encoding="utf-8") == textwrap.dedent(example.code).lstrip("\n")
    _check(tmp_path, capsys, example.code, *fix_args, rule=rule, config=example.config)
    fixed = path.read_text(encoding="utf-8")
    assert fixed == textwrap.dedent(example.expected_replacement).lstrip("\n")
    # A second --fix changes nothing (and after a safe fix, nothing is left to report).
    again_code, _, _ = _check(tmp_path, capsys, fixed, *fix_args, rule=rule, config=example.config)
    assert path.read_text(encoding="utf-8") == fixed
    assert unsafe or again_code == 0


@pytest.mark.parametrize("param", _examples(Valid), ids=_id)
def test_valid_example_is_clean(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], param: Tuple[Type[Rule], int, Valid]
) -> None:
    code, out, _ = _check(tmp_path, capsys, param[2].code, rule=param[0], config=param[2].config)
    assert code == 0, out


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.code)
def test_rule_conventions(rule: Type[Rule]) -> None:
    assert re.fullmatch(r"RS\d{3}", rule.code)
    assert re.fullmatch(r"[a-z]+(?:-[a-z]+)+", rule.name)
    module = rule.__module__.rsplit(".", 1)[1]
    assert module == f"{rule.code.lower()}_{rule.name.replace('-', '_')}"
    assert importlib.import_module(rule.__module__).__doc__ == f"{rule.code} {rule.name}."
    assert rule.__doc__ and rule.summary and not rule.summary.endswith(".")
    assert rule.VALID and rule.INVALID, "a rule shows what it reports and what it leaves alone"
    assert all(re.fullmatch(r"RS\d{3}", code) and code != rule.code for code in rule.supersedes)
    assert rule.needles or rule.imports, "the prefilter must know which files the rule needs"
    if rule.fixable:
        assert any(e.expected_replacement is not None for e in rule.INVALID)


def test_catalog_matches_the_rules() -> None:
    """The prefilter and the config read the catalog, so as not to import the rules."""
    assert catalog.ALL_CODES == tuple(rule.code for rule in RULES)
    assert catalog.OPT_IN_CODES == tuple(rule.code for rule in RULES if not rule.selected_by_default)
    assert catalog.NOT_SECRET_CODES == tuple(rule.code for rule in RULES if not rule.reports_secret)
    assert set(catalog.NEEDLES) == {needle for rule in RULES for needle in rule.needles}
    assert set(catalog.IMPORTS) == {module for rule in RULES for module in rule.imports}


def test_docs_show_examples_but_no_token() -> None:
    for info in RULE_INFO:
        assert "Bad:" in info.doc and "Good:" in info.doc
        assert REPLICATE_TOKEN_IN_TEXT.search(info.doc) is None
        assert not [
            word for word in re.findall(r"[\w-]{12,}", info.doc) if token_shape(word) == "Replicate token"
        ]


def test_readme_lists_every_rule() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    rows = re.findall(r"^\| (RS\d{3}) \| ([a-z-]+) \|", readme, re.MULTILINE)
    assert rows == [(info.code, info.name) for info in RULE_INFO]
