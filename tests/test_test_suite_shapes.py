"""Issue 13, done-when: on test-suite shapes (a conftest, a tests/ module of fakes, the official
client's test style) `check` reports nothing and `--fix` changes nothing."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Dict

import pytest
from conftest import CASES, SCHEMAS

from lint_secrets.cli import main

SUITE = CASES / "test_suites"


def _project(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    shutil.copytree(SUITE, root)
    shutil.copytree(SCHEMAS, root / ".lint-secrets" / "schemas")
    (root / "pyproject.toml").write_text("[tool.lint-secrets]\n", encoding="utf-8")
    return root


def _contents(root: Path) -> Dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*.py"))}


def test_the_shapes_are_all_there() -> None:
    names = {str(p.relative_to(SUITE)) for p in SUITE.rglob("*.py")}
    assert {"conftest.py", "tests/test_fakes.py", "tests/test_client_style.py"} <= names


def test_check_reports_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = _project(tmp_path)
    code = main(["check", "--output-format", "json", str(root)])
    out, _err = capsys.readouterr()
    assert code == 0, out
    assert '"findings": []' in out


@pytest.mark.parametrize("flags", [["--fix"], ["--fix", "--unsafe-fixes"]], ids=["fix", "unsafe-fixes"])
def test_fix_changes_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str], flags: list) -> None:
    root = _project(tmp_path)
    before = _contents(root)
    code = main(["check", *flags, str(root)])
    out, err = capsys.readouterr()
    assert code == 0, out + err
    assert _contents(root) == before
    assert "fixed" not in err.lower()


def test_the_same_shapes_with_real_looking_tokens_are_found(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The case directory is silent because its values are fakes, not because it is not checked."""
    root = _project(tmp_path)
    token = "r8_" + "Zq4Wm8Xn2Vb6Lc0Kd3Jf7Hg1Ps5Rt9Ya2Ue6I"
    conftest = root / "conftest.py"
    conftest.write_text(conftest.read_text().replace('"fake-token-for-tests"', repr(token)), encoding="utf-8")
    code = main(["check", str(root)])
    out, _ = capsys.readouterr()
    assert code == 1
    assert "conftest.py:10:" in out and "RS103" in out
    assert token not in out
