"""`--output-format github` gives each finding the level SARIF gives its rule: `::warning`
for RS106 (a prediction that fails), `::notice` for RS100 (a call not checked)."""

from __future__ import annotations

import json
import re
import shutil
import textwrap
from pathlib import Path
from typing import Dict, List, Tuple, Type

import pytest

from lint_secrets.cli import main
from lint_secrets.rules import RULES
from lint_secrets.rules.base import Rule

REPO = Path(__file__).resolve().parent.parent
SCHEMAS = REPO / "fixtures" / "sample" / ".lint-secrets" / "schemas"
COMMAND = re.compile(r"^::(\w+) file=[^,]*,line=\d+,col=\d+,endLine=\d+,endColumn=\d+,title=(RS\d{3})::")


def _run(tmp_path: Path, capsys: pytest.CaptureFixture[str], rule: Type[Rule], fmt: str) -> str:
    shutil.copytree(SCHEMAS, tmp_path / ".lint-secrets" / "schemas", dirs_exist_ok=True)
    example = rule.INVALID[0]
    extend = "" if rule.selected_by_default else f'extend-select = ["{rule.code}"]\n'
    config = "[tool.lint-secrets]\n" + extend + textwrap.dedent(example.config).lstrip("\n")
    (tmp_path / "pyproject.toml").write_text(config, encoding="utf-8")
    (tmp_path / "example.py").write_text(textwrap.dedent(example.code).lstrip("\n"), encoding="utf-8")
    main(["check", "--output-format", fmt, str(tmp_path / "example.py")])
    return capsys.readouterr().out


@pytest.mark.parametrize("rule", [r for r in RULES if r.INVALID], ids=lambda r: r.code)
def test_each_finding_has_its_rules_sarif_level(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], rule: Type[Rule]
) -> None:
    commands: List[Tuple[str, str]] = [
        (m.group(2), m.group(1))
        for m in map(COMMAND.match, _run(tmp_path, capsys, rule, "github").splitlines())
        if m is not None
    ]
    sarif = json.loads(_run(tmp_path, capsys, rule, "sarif"))["runs"][0]
    levels: Dict[str, str] = {
        d["id"]: d["defaultConfiguration"]["level"] for d in sarif["tool"]["driver"]["rules"]
    }
    assert rule.code in {code for code, _ in commands}
    expected = {"error": "error", "warning": "warning", "note": "notice"}
    assert commands == [(code, expected[levels[code]]) for code, _ in commands]


def test_the_levels_below_error_are_used() -> None:
    levels = {rule.code: rule.sarif_level for rule in RULES}
    assert levels["RS106"] == "warning" and levels["RS100"] == "note"


def test_a_file_that_cannot_be_checked_is_an_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "pyproject.toml").write_text("[tool.lint-secrets]\n", encoding="utf-8")
    broken = tmp_path / "broken.py"
    broken.write_bytes(b"import replicate\nreplicate.run(\n")
    assert main(["check", "--output-format", "github", str(broken)]) == 2
    assert capsys.readouterr().out.startswith("::error file=")
