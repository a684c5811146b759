"""Replicate calls the analysis can't work out are never dropped silently: a note per run,
a list in the JSON report, and RS100 for those who select it (suppressible like any rule)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import List, Tuple

import pytest
from conftest import SCHEMAS

from lint_secrets.cli import main

WRAPPER = """\
import replicate

from other_package import MODELS


def generate(model, prompt):
    return replicate.run(model, input={"prompt": prompt})


replicate.run(MODELS["speech"], input={"text": "hi"})
replicate.run("example/official-chat", input={"prompt": "hi"})
"""


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    shutil.copytree(SCHEMAS, tmp_path / ".lint-secrets" / "schemas")
    (tmp_path / "app.py").write_text(WRAPPER, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def configure(project: Path, body: str = "") -> None:
    (project / "pyproject.toml").write_text(f"[tool.lint-secrets]\n{body}", encoding="utf-8")


def check(capsys: pytest.CaptureFixture[str], *args: str) -> Tuple[int, List[Tuple[int, str]], str]:
    code = main(["check", "--output-format", "json", *args, "app.py"])
    out, err = capsys.readouterr()
    report = json.loads(out)
    return code, [(f["line"], f["code"]) for f in report["findings"]], err


def test_not_selected_by_default_but_counted(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    configure(project)
    code = main(["check", "--output-format", "json", "app.py"])
    out, err = capsys.readouterr()
    assert code == 0
    report = json.loads(out)
    assert report["findings"] == []
    assert report["unresolved"] == [{"path": "app.py", "line": 7}, {"path": "app.py", "line": 10}]
    (note,) = err.splitlines()
    assert note.startswith("lint-secrets: note: 2 Replicate call(s)") and "app.py:7, app.py:10" in note
    assert "RS100" in note


def test_quiet_drops_the_note(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    configure(project)
    assert main(["check", "--quiet", "app.py"]) == 0
    assert capsys.readouterr().err == ""


def test_the_note_shows_the_first_few_places(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    configure(project)
    (project / "app.py").write_text(
        "import replicate\n" + "".join(f"replicate.run(M[{n}], input={{}})\n" for n in range(8)),
        encoding="utf-8",
    )
    assert main(["check", "app.py"]) == 0
    (note,) = capsys.readouterr().err.splitlines()
    assert note.startswith("lint-secrets: note: 8 Replicate call(s)")
    assert "app.py:2, app.py:3, app.py:4, app.py:5, app.py:6 and 3 more" in note


def test_extend_select_reports_each_call(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    configure(project, 'extend-select = ["RS100"]\n')
    code, found, _ = check(capsys)
    assert code == 1
    assert found == [(7, "RS100"), (10, "RS100")]


def test_prefix_selection_does_not_turn_it_on(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    configure(project, 'select = ["RS10", "RS1"]\n')
    code, found, _ = check(capsys)
    assert (code, found) == (0, [])


def test_noqa_per_file_ignores_and_baseline(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    configure(project, 'extend-select = ["RS100"]\n')
    text = WRAPPER.replace('input={"prompt": prompt})', 'input={"prompt": prompt})  # noqa: RS100')
    (project / "app.py").write_text(text, encoding="utf-8")
    code, found, err = check(capsys)
    assert (code, found) == (1, [(10, "RS100")])
    assert "app.py:7" not in err  # acknowledged: no longer counted either

    configure(
        project, 'extend-select = ["RS100"]\n[tool.lint-secrets.per-file-ignores]\n"app.py" = ["RS100"]\n'
    )
    assert check(capsys)[:2] == (0, [])

    configure(project, 'extend-select = ["RS100"]\n')
    assert main(["check", "--write-baseline", "baseline.json", "app.py"]) == 0
    capsys.readouterr()
    assert check(capsys, "--baseline", "baseline.json")[:2] == (0, [])
