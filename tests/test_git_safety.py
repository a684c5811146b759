"""A checked repository may be anyone's: its git configuration must not run a program.

Every repository here is real, made with the real `git`, and its configuration names
commands that would leave a marker file behind if git ran them.
"""

from __future__ import annotations

import json
import shlex
from pathlib import Path
from typing import List, Set, Tuple

import pytest
from conftest import git, write_files

from lint_secrets.cli import main

TOKEN_SECRET = "r8_FAKEgitSAFETYtestTOKENforLINTsecrets7"
RS103_FILE = f'import replicate\n\nclient = replicate.Client(api_token="{TOKEN_SECRET}")\n'


def reported(capsys: pytest.CaptureFixture[str], *args: str) -> Tuple[int, Set[str], str]:
    code = main(["check", "--output-format", "json", *args])
    out, err = capsys.readouterr()
    return code, {Path(f["path"]).as_posix() for f in json.loads(out)["findings"]}, err


@pytest.fixture
def hostile(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Tuple[Path, Path]:
    """A repository whose configuration and attributes name commands that touch a marker."""
    marker = tmp_path / "PWNED"
    touch = f"touch {shlex.quote(str(marker))}"
    root = tmp_path / "repo"
    write_files(root, {"pyproject.toml": "[tool.lint-secrets]\n", "app.py": RS103_FILE, "old.py": "x = 1\n"})
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "start")
    write_files(
        root,
        {
            ".gitattributes": "*.py filter=evil diff=evil\n",
            ".git/hooks/post-index-change": f"#!/bin/sh\n{touch}\n",
            "old.py": "x = 2\n",  # modified: git diff hashes it through the clean filter
            "new.py": RS103_FILE,
        },
    )
    (root / ".git" / "hooks" / "post-index-change").chmod(0o755)
    for key, value in (
        ("core.fsmonitor", f"{touch}; false"),
        ("filter.evil.clean", f"{touch}; cat"),
        ("filter.evil.smudge", f"{touch}; cat"),
        ("filter.evil.required", "true"),
        ("diff.evil.textconv", f"{touch}; cat"),
        ("diff.evil.command", touch),
        ("diff.external", touch),
        ("core.pager", touch),
        ("core.hooksPath", str(root / ".git" / "hooks")),
    ):
        git(root, "config", key, value)
    # The configuration works: plain git runs the commands.
    git(root, "status", "--short")
    assert marker.exists()
    marker.unlink()
    monkeypatch.chdir(root)
    return root, marker


@pytest.mark.parametrize(
    "args",
    (
        pytest.param([], id="walk"),
        pytest.param(["--changed"], id="changed"),
        pytest.param(["--diff-base", "HEAD"], id="diff-base"),
        pytest.param(["--output-format", "sarif"], id="sarif-root"),
    ),
)
def test_checking_a_hostile_repository_runs_none_of_its_commands(
    hostile: Tuple[Path, Path], capsys: pytest.CaptureFixture[str], args: List[str]
) -> None:
    _, marker = hostile
    code = main(["check", *args])
    out, err = capsys.readouterr()
    assert not marker.exists(), err
    assert code == 1, err
    assert "new.py" in out
    if "--output-format" not in args:
        assert "app.py" in out if not args else "app.py" not in out


def test_fix_with_an_env_file_in_a_hostile_repository(
    hostile: Tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    root, marker = hostile
    (root / ".gitignore").write_text(".env\n", encoding="utf-8")
    code = main(["check", "--fix", "--env-file", ".env", "new.py"])
    err = capsys.readouterr().err
    assert not marker.exists(), err
    assert code == 0, err
    assert TOKEN_SECRET not in (root / "new.py").read_text(encoding="utf-8")
