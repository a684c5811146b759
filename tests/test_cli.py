"""The `lint-secrets` command line, end to end on real files: formats, options, exit codes, errors."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any, Dict, List, Tuple

import jsonschema
import pytest
from conftest import run_cli, write_files

from lint_secrets import __version__
from lint_secrets.catalog import ALL_CODES

REPO = Path(__file__).resolve().parents[1]
SAMPLE_CACHE = REPO / "fixtures" / "sample" / ".lint-secrets"
SARIF_SCHEMA = REPO / "fixtures" / "sarif" / "sarif-schema-2.1.0.json"

TTS_SECRET = "el-test-FAKE-0a1b2c3d4e5f6789"
LICENSE_SECRET = "lic-FAKE-7f6e5d4c3b2a1908"
TOKEN_SECRET = "r8_FAKEcliTESTtokenFORlintSECRETS0000042"
UNKNOWN_SECRET = "sk-FAKE-21db6d500446ceb4"
ALL_SECRETS = (TTS_SECRET, LICENSE_SECRET, TOKEN_SECRET, UNKNOWN_SECRET)

SECRET_FILE = f"""\
import replicate


def speak(text):
    return replicate.run(
        "example/text-to-speech", input={{"text": text, "elevenlabs_api_key": "{TTS_SECRET}"}}
    )
"""
TOKEN_FILE = f'import replicate\n\nclient = replicate.Client(api_token="{TOKEN_SECRET}")\n'
PRIVATE_FILE = f"""\
import replicate

out = replicate.run("acme/private-llm", input={{"prompt": "hi", "license_key": "{LICENSE_SECRET}"}})
"""
UNKNOWN_MODEL_FILE = f"""\
import replicate

out = replicate.run("someone/unknown-model", input={{"prompt": "hi", "api_key": "{UNKNOWN_SECRET}"}})
"""
CLEAN_FILE = """\
import os

import replicate

out = replicate.run("example/official-chat", input={"prompt": "hi", "max_tokens": 256})
key = os.environ["ELEVENLABS_API_KEY"]
"""

PYPROJECT = """\
[project]
name = "cli-test"
version = "0.0.0"

[tool.lint-secrets]
[tool.lint-secrets.models."acme/private-llm"]
secret-inputs = ["license_key"]
"""


def make_project(root: Path, files: Dict[str, str], pyproject: str = PYPROJECT) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    (root / "pyproject.toml").write_text(pyproject, encoding="utf-8")
    shutil.copytree(SAMPLE_CACHE, root / ".lint-secrets")
    write_files(root, files)
    return root


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = make_project(tmp_path / "proj", {"app.py": SECRET_FILE, "clean.py": CLEAN_FILE})
    monkeypatch.chdir(root)
    return root


def run(capsys: pytest.CaptureFixture[str], *args: str) -> Tuple[int, str, str]:
    return run_cli(capsys, list(args), never_shown=())


def assert_no_secret(*texts: str) -> None:
    for text in texts:
        for secret in ALL_SECRETS:
            assert secret not in text
            assert secret[:6] not in text  # at most a 4-character prefix is ever shown


def run_module(*args: str, cwd: Path, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "lint_secrets", *args],
        cwd=cwd,
        input=stdin,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
        check=False,
    )


# --------------------------------------------------------------------------- exit codes


@pytest.mark.parametrize(
    ("files", "expected"),
    (
        pytest.param({"a.py": CLEAN_FILE}, 0, id="clean"),
        pytest.param({"a.py": "print('no replicate here')\n"}, 0, id="unrelated"),
        pytest.param({"a.py": SECRET_FILE}, 1, id="finding"),
        pytest.param({"a.py": SECRET_FILE, "b.py": "import replicate\ndef (:\n"}, 2, id="finding-and-error"),
        pytest.param({"a.py": "import replicate\ndef (:\n"}, 2, id="syntax-error"),
    ),
)
def test_exit_codes(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    files: Dict[str, str],
    expected: int,
) -> None:
    monkeypatch.chdir(make_project(tmp_path / "p", files))
    code, out, err = run(capsys, "check")
    assert code == expected, (out, err)


def test_missing_path_is_exit_2(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "check", "app.py", "nope.py")
    assert code == 2
    assert "app.py:6:" in out  # the other file is still checked
    assert err.splitlines()[0] == "lint-secrets: error: nope.py: no such file or directory"


def test_usage_error_is_exit_2(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "check", "--output-format", "xml")
    assert code == 2
    assert "xml" in err and "Traceback" not in err


# --------------------------------------------------------------------------- formats


def test_text_format(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "check")
    assert code == 1
    lines = out.splitlines()
    assert lines[0].startswith("app.py:6:78: RS101 [*] Hardcoded secret 'el-t\u2026' for secret input")
    assert "Found 1 secret." in lines
    assert "clean.py" not in out
    assert_no_secret(out, err)


def test_json_format(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (project / "token.py").write_text(TOKEN_FILE, encoding="utf-8")
    code, out, err = run(capsys, "check", "--output-format", "json")
    assert code == 1
    document = json.loads(out)
    assert set(document) == {"findings", "errors", "unresolved"}
    assert document["errors"] == []
    assert [(f["path"], f["code"], f["line"]) for f in document["findings"]] == [
        ("app.py", "RS101", 6),
        ("token.py", "RS103", 3),
    ]
    first = document["findings"][0]
    assert set(first) == {
        "path",
        "cell",
        "line",
        "column",
        "end_line",
        "end_column",
        "code",
        "message",
        "model",
        "input",
        "call_line",
        "fixable",
        "fix_applicability",
        "fix_kind",
        "not_fixed",
    }
    assert (first["model"], first["input"], first["call_line"], first["fixable"], first["not_fixed"]) == (
        "example/text-to-speech",
        "elevenlabs_api_key",
        5,
        True,
        None,
    )
    assert first["column"] < first["end_column"]
    assert_no_secret(out, err)


def test_json_format_lists_errors(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (project / "broken.py").write_text("import replicate\nx = (\n", encoding="utf-8")
    code, out, _ = run(capsys, "check", "--output-format", "json")
    assert code == 2
    document = json.loads(out)
    assert [e["path"] for e in document["errors"]] == ["broken.py"]
    assert [f["path"] for f in document["findings"]] == ["app.py"]


def sarif_of(capsys: pytest.CaptureFixture[str], *args: str) -> Tuple[int, Dict[str, Any], str]:
    code, out, err = run(capsys, "check", "--output-format", "sarif", *args)
    return code, json.loads(out), out + err


def test_sarif_validates_and_holds_no_secret(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (project / "pkg").mkdir()
    (project / "pkg" / "token.py").write_text(TOKEN_FILE, encoding="utf-8")
    (project / "private.py").write_text(PRIVATE_FILE, encoding="utf-8")
    (project / "unknown.py").write_text(UNKNOWN_MODEL_FILE, encoding="utf-8")
    code, log, raw = sarif_of(capsys)
    assert code == 1
    schema = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))
    jsonschema.validators.validator_for(schema)(schema).validate(log)
    assert_no_secret(raw)
    run_ = log["runs"][0]
    driver = run_["tool"]["driver"]
    assert driver["version"] == __version__
    assert {rule["id"] for rule in driver["rules"]} == set(ALL_CODES)
    for rule in driver["rules"]:
        assert rule["name"] and rule["shortDescription"]["text"] and rule["fullDescription"]["text"]
        assert rule["help"]["text"] and rule["defaultConfiguration"]["level"] in ("error", "warning", "note")
    results = {
        (r["ruleId"], r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"])
        for r in run_["results"]
    }
    assert results == {
        ("RS101", "app.py"),
        ("RS101", "private.py"),
        ("RS102", "unknown.py"),
        ("RS103", "pkg/token.py"),
    }
    for result in run_["results"]:
        region = result["locations"][0]["physicalLocation"]["region"]
        assert {"startLine", "startColumn", "endLine", "endColumn"} <= set(region)
        assert result["partialFingerprints"]
        assert result["fixes"]


def test_github_format_escapes_properties(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_project(tmp_path / "p", {"odd,dir:x/100%.py": SECRET_FILE})
    monkeypatch.chdir(root)
    code, out, err = run(capsys, "check", "--output-format", "github")
    assert code == 1
    (line,) = out.splitlines()
    assert line.startswith(
        "::error file=odd%2Cdir%3Ax/100%25.py,line=6,col=78,endLine=6,endColumn=109,"
        "title=RS101::Hardcoded secret"
    )
    message = line.split("::", 2)[2]
    assert "'el-t\u2026'" in message
    assert "%3A" not in message  # the message is data: only %, CR and LF are escaped there
    assert_no_secret(out, err)


def test_github_format_reports_errors_as_commands(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (project / "broken.py").write_text("import replicate\nx = (\n", encoding="utf-8")
    code, out, _ = run(capsys, "check", "--output-format", "github")
    assert code == 2
    assert any(line.startswith("::error file=broken.py::") for line in out.splitlines())


# --------------------------------------------------------------------------- output options


@pytest.mark.parametrize("fmt", ("text", "json", "sarif", "github"))
def test_output_file(project: Path, capsys: pytest.CaptureFixture[str], fmt: str) -> None:
    code, out, err = run(capsys, "check", "--output-format", fmt, "--output-file", "reports/out.txt")
    assert code == 1
    assert out == ""
    written = (project / "reports" / "out.txt").read_text(encoding="utf-8")
    assert "RS101" in written
    _, out_stdout, _ = run(capsys, "check", "--output-format", fmt)
    if fmt != "sarif":  # SARIF holds no timestamps, but compare the parsed form to be safe
        assert written == out_stdout
    else:
        assert json.loads(written) == json.loads(out_stdout)
    assert_no_secret(written, err)


def test_output_file_unwritable_is_exit_2(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (project / "afile").write_text("", encoding="utf-8")
    code, _, err = run(capsys, "check", "--output-file", "afile/report.txt")
    assert code == 2
    assert err.startswith("lint-secrets: error: afile/report.txt: cannot write report")
    assert "Traceback" not in err


def test_exit_zero(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "check", "--exit-zero")
    assert code == 0
    assert "app.py:6:78: RS101" in out
    # Errors are not findings: they still fail the run.
    (project / "broken.py").write_text("import replicate\nx = (\n", encoding="utf-8")
    code, _, err = run(capsys, "check", "--exit-zero")
    assert code == 2
    assert "broken.py" in err


def test_quiet_prints_findings_only(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (project / "unknown.py").write_text(UNKNOWN_MODEL_FILE, encoding="utf-8")
    code, out, err = run(capsys, "check")
    assert "Found 2 secrets." in out and "note: no cached schema" in err
    code, out, err = run(capsys, "check", "--quiet")
    assert code == 1
    lines = out.splitlines()
    assert len(lines) == 2
    assert lines[0].startswith("app.py:6:78: RS101")
    assert lines[1].startswith("unknown.py:3:")
    assert err == ""
    # --quiet drops the summary, not lines that look like one: a file may be named "Found...".
    (project / "unknown.py").rename(project / "Found_keys.py")
    code, out, _ = run(capsys, "check", "--quiet")
    assert [line.split(":")[0] for line in out.splitlines()] == ["Found_keys.py", "app.py"]


def test_quiet_still_reports_errors(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (project / "broken.py").write_text("import replicate\nx = (\n", encoding="utf-8")
    code, _, err = run(capsys, "check", "-q")
    assert code == 2
    assert err.startswith("lint-secrets: error: broken.py:")


def test_statistics(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (project / "token.py").write_text(TOKEN_FILE, encoding="utf-8")
    (project / "private.py").write_text(PRIVATE_FILE, encoding="utf-8")
    code, out, err = run(capsys, "check", "--statistics")
    assert code == 1
    counts = {
        parts[1]: int(parts[0])
        for parts in (line.split() for line in out.splitlines())
        if parts[1:2] and parts[1].startswith("RS")
    }
    assert counts == {"RS101": 2, "RS103": 1}
    assert "app.py:" not in out
    assert_no_secret(out, err)


# --------------------------------------------------------------------------- stdin


def test_stdin_filename_uses_the_config_of_that_location(project: Path, tmp_path: Path) -> None:
    """An editor pipes the buffer in from wherever it runs; the config is found from the file name."""
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    done = run_module(
        "check",
        "--stdin-filename",
        str(project / "sub" / "private.py"),
        "-",
        cwd=elsewhere,
        stdin=PRIVATE_FILE,
    )
    assert done.returncode == 1, done.stderr
    assert f"{project / 'sub' / 'private.py'}:3:" in done.stdout
    # The model is only known as secret from the project's [tool.lint-secrets.models].
    assert "for secret input 'license_key' of acme/private-llm" in done.stdout
    assert_no_secret(done.stdout, done.stderr)
    # The file on disk (there is none) is not read, nor is anything else.
    assert not (project / "sub").exists()


def test_stdin_filename_relative_name_from_the_project(project: Path) -> None:
    done = run_module("check", "--stdin-filename", "app.py", cwd=project, stdin=CLEAN_FILE)
    assert done.returncode == 0, done.stdout + done.stderr
    done = run_module("check", "--stdin-filename", "clean.py", cwd=project, stdin=SECRET_FILE)
    assert done.returncode == 1
    assert done.stdout.startswith("clean.py:6:78: RS101")


def test_stdin_filename_fix_is_refused_or_ignored(project: Path) -> None:
    done = run_module("check", "--fix", "--stdin-filename", "app.py", cwd=project, stdin=SECRET_FILE)
    assert (project / "app.py").read_text(encoding="utf-8") == SECRET_FILE
    assert_no_secret(done.stdout, done.stderr)


def test_stdin_filename_force_exclude(project: Path) -> None:
    (project / "pyproject.toml").write_text(
        PYPROJECT.replace("[tool.lint-secrets]\n", '[tool.lint-secrets]\nextend-exclude = ["generated"]\n'),
        encoding="utf-8",
    )
    named = run_module("check", "--stdin-filename", "generated/app.py", cwd=project, stdin=SECRET_FILE)
    assert named.returncode == 1
    forced = run_module(
        "check", "--force-exclude", "--stdin-filename", "generated/app.py", cwd=project, stdin=SECRET_FILE
    )
    assert forced.returncode == 0, forced.stdout
    assert "RS101" not in forced.stdout


# --------------------------------------------------------------------------- errors


def _error_lines(err: str) -> List[str]:
    return [line for line in err.splitlines() if line.startswith("lint-secrets: error:")]


@pytest.mark.parametrize(
    ("content", "message"),
    (
        pytest.param(b"import replicate\ndef f(:\n", "syntax", id="syntax-error"),
        pytest.param(b"import replicate\nx = '\xff\xfe'\n", "", id="invalid-utf8"),
        pytest.param(b"# -*- coding: klingon -*-\nimport replicate\n", "", id="unknown-encoding"),
        pytest.param(b"import replicate\x00\n", "", id="nul-byte"),
    ),
)
def test_broken_file_is_one_error_line_and_others_are_checked(
    project: Path, capsys: pytest.CaptureFixture[str], content: bytes, message: str
) -> None:
    (project / "broken.py").write_bytes(content)
    code, out, err = run(capsys, "check")
    assert code == 2
    assert "app.py:6:78: RS101" in out
    (line,) = _error_lines(err)
    assert line.startswith("lint-secrets: error: broken.py: ")
    assert message in line.lower()
    assert "Traceback" not in err


def test_unreadable_file(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = project / "secret_store.py"
    target.write_text(SECRET_FILE, encoding="utf-8")
    target.chmod(0)
    try:
        if os.access(target, os.R_OK):
            pytest.skip("running with privileges that read any file")
        code, out, err = run(capsys, "check")
    finally:
        target.chmod(0o644)
    assert code == 2
    assert "app.py:6:78: RS101" in out
    (line,) = _error_lines(err)
    assert line.startswith("lint-secrets: error: secret_store.py: cannot read")
    assert "Traceback" not in err


def test_broken_symlink_named_is_an_error(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (project / "gone.py").symlink_to(project / "missing.py")
    code, out, err = run(capsys, "check", "gone.py", "app.py")
    assert code == 2
    assert "app.py:6:78: RS101" in out
    assert _error_lines(err) == ["lint-secrets: error: gone.py: broken symbolic link"]


def test_bad_config_is_exit_2_and_nothing_is_checked(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = PYPROJECT.replace("[tool.lint-secrets]\n", '[tool.lint-secrets]\nselct = ["RS101"]\n')
    (project / "pyproject.toml").write_text(bad, encoding="utf-8")
    code, out, err = run(capsys, "check")
    assert code == 2
    assert out == ""
    (line,) = err.splitlines()
    assert str(project / "pyproject.toml") in line and "'selct'" in line
    assert "Traceback" not in err


# --------------------------------------------------------------------------- other commands


def test_rules_lists_every_code(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "rules")
    assert code == 0
    lines = out.splitlines()
    assert [line.split()[0] for line in lines] == list(ALL_CODES)
    assert "secret-input-literal" in lines[ALL_CODES.index("RS101")]
    assert "hardcoded-replicate-token" in lines[ALL_CODES.index("RS103")]


@pytest.mark.parametrize("code_name", ("RS101", "rs101", "secret-input-literal"))
def test_explain(capsys: pytest.CaptureFixture[str], code_name: str) -> None:
    code, out, _ = run(capsys, "explain", code_name)
    assert code == 0
    assert out.startswith("# RS101 secret-input-literal")
    bad, _, good = out.partition("Good:")
    assert "Bad:" in bad and "replicate.run(" in bad.split("Bad:")[1]
    assert 'os.environ["' in good


def test_explain_unknown_code(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "explain", "RS999")
    assert code == 2
    assert out == ""
    assert "RS999" in err and "lint-secrets rules" in err


def test_python_dash_m(project: Path) -> None:
    done = run_module("check", cwd=project)
    assert done.returncode == 1
    assert done.stdout.startswith("app.py:6:78: RS101")
    version = run_module("--version", cwd=project)
    assert version.returncode == 0 and __version__ in version.stdout


def test_console_script_matches_python_dash_m(project: Path) -> None:
    script = Path(sys.executable).parent / "lint-secrets"
    if not script.exists():
        pytest.skip("console script not installed next to this interpreter")
    done = subprocess.run(
        [str(script), "check", "--output-format", "json"],
        cwd=project,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 1
    assert done.stdout == run_module("check", "--output-format", "json", cwd=project).stdout


def test_dash_reads_standard_input(project: Path) -> None:
    done = run_module("check", "-", cwd=project, stdin=SECRET_FILE)
    assert done.returncode == 1
    assert done.stdout.startswith("-:6:78: RS101")
    mixed = run_module("check", "-", "app.py", cwd=project, stdin=SECRET_FILE)
    assert mixed.returncode == 2
    assert "standard input" in mixed.stderr and "Traceback" not in mixed.stderr
