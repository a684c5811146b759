"""Committed caches and configs as hostile input: one line and exit 2, never a traceback or a hang."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import List, Tuple

import pytest
from conftest import run_cli, sample_project

from lint_secrets.source import parse_python

REPO = Path(__file__).resolve().parent.parent
SECRET = "el-FAKE-abcdef1234567890ZZ"
GOOD = (
    "import replicate\n"
    f'replicate.run("example/text-to-speech", input={{"text": "hi", "elevenlabs_api_key": "{SECRET}"}})\n'
)


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = sample_project(tmp_path / "project", monkeypatch)
    (root / "good.py").write_text(GOOD)
    return root


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> Tuple[int, str, str]:
    return run_cli(capsys, argv, never_shown=(SECRET,))


def errors(err: str) -> List[str]:
    return [line for line in err.splitlines() if "error" in line]


# ------------------------------------------------------------------ the cache


def test_a_self_referencing_allof_is_walked_once(project: Path) -> None:
    loop = {"allOf": [{"$ref": "#/components/schemas/Loop"}] * 30}
    schema = {
        "components": {
            "schemas": {
                "Input": {
                    "properties": {"prompt": {"type": "string", **loop}, "key": {"format": "password"}}
                },
                "Loop": loop,
            }
        }
    }
    entry = project / ".lint-secrets" / "schemas" / "models" / "acme" / "looped.json"
    entry.parent.mkdir(parents=True)
    entry.write_text(json.dumps({"latest_version": {"id": "v", "openapi_schema": schema}}))
    (project / "app.py").write_text(
        'import replicate\nreplicate.run("acme/looped", input={"key": "' + SECRET + '"})\n'
    )
    # 30 parts nested 8 deep was 30**8 visits per input: hours. A generous bound, not a timer.
    done = subprocess.run(
        [sys.executable, "-m", "lint_secrets", "check", "app.py"],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 1, done.stderr
    assert "app.py:2:" in done.stdout and "RS101" in done.stdout


def test_a_directory_symlink_in_the_cache_is_not_followed_by_check(
    project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    outside = tmp_path / "outside"
    shutil.copytree(project / ".lint-secrets" / "schemas" / "models" / "example", outside)
    cache_models = project / ".lint-secrets" / "schemas" / "models"
    shutil.rmtree(cache_models / "example")
    (cache_models / "example").symlink_to(outside, target_is_directory=True)
    code, _out, err = run(capsys, "check", "good.py")
    assert code == 2
    assert "symbolic link in the schema cache (models/example); not followed" in err


def test_a_directory_symlink_in_the_cache_is_not_written_through_by_pull(
    project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    cache_models = project / ".lint-secrets" / "schemas" / "models"
    (cache_models / "acme").symlink_to(outside, target_is_directory=True)
    monkeypatch.setenv("REPLICATE_API_TOKEN", "r8_FAKEtokenNeverSentAnywhere0123456789")
    # Refused before any request: the base URL is a port nobody listens on.
    code, _out, err = run(
        capsys, "schemas", "pull", "--refresh", "--base-url", "http://127.0.0.1:9/v1", "acme/x"
    )
    assert code == 2
    assert list(outside.iterdir()) == []
    assert "symbolic link" in err or "could not reach" in err
    assert "Traceback" not in err


def test_a_dangling_symlink_in_the_cache_is_one_line_in_schemas_list(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    link = project / ".lint-secrets" / "schemas" / "models" / "example" / "gone.json"
    link.symlink_to(project / "nowhere.json")
    code, out, err = run(capsys, "schemas", "list")
    assert code == 2
    assert errors(err) == [f"lint-secrets: error: {link}: schema cache: symbolic link in the schema cache "
                           "(models/example/gone.json); not followed"]  # fmt: skip
    assert "example/text-to-speech" in out


@pytest.mark.parametrize(
    "ref", ["example/text-to-speech\n", "deployment:example/tts-prod\n", "a" * 64 + "\n"]
)
def test_a_ref_ending_in_a_newline_is_read_trimmed_and_errors_stay_one_line(
    project: Path, capsys: pytest.CaptureFixture[str], ref: str
) -> None:
    # `show` reads a ref as `pull` does (`$(cat ref.txt)` keeps a newline): trimmed.
    code, out, err = run(capsys, "schemas", "show", ref)
    if code == 0:
        assert out.startswith("Prediction inputs") and err == ""
    else:
        assert code == 2
        assert err.count("\n") == 1 and err.startswith("lint-secrets: error: no cached schema for aaaa")
        assert err.rstrip("\n").endswith("`lint-secrets schemas pull " + "a" * 64 + "`")


# ------------------------------------------------------------------ the config


@pytest.mark.parametrize(
    ("table", "message"),
    [
        pytest.param("select = " + "[" * 50000 + "]" * 50000, "nested too deeply", id="deep-toml-array"),
        pytest.param('schema-dir = "cache\\u0000dir"', "without NUL characters", id="nul-in-schema-dir"),
        pytest.param("select = []", "'select' is empty, so nothing would be checked", id="empty-select"),
        pytest.param('env-names = { api_key = "API_KEY\\n" }', "is not a valid environment variable name",
                     id="env-name-newline"),
        pytest.param('env-names = { api_key = "A=B" }', "is not a valid environment variable name",
                     id="env-name-equals"),
        pytest.param('models = { "acme/x\\n" = { secret-inputs = ["k"] } }', 'is not "owner/name"',
                     id="model-key-newline"),
    ],
)  # fmt: skip
def test_a_hostile_config_is_one_line_and_exit_2(
    project: Path, capsys: pytest.CaptureFixture[str], table: str, message: str
) -> None:
    (project / "pyproject.toml").write_text(f"[tool.lint-secrets]\n{table}\n")
    code, out, err = run(capsys, "check", "good.py")
    assert code == 2
    assert out == ""
    assert len(err.strip().splitlines()) == 1, err
    assert message in err


def test_an_empty_select_on_the_command_line_is_an_error(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _out, err = run(capsys, "check", "--select", "", "good.py")
    assert code == 2 and "nothing would be checked" in err


# ------------------------------------------------------------------ parser messages


PY39_PRINT = 'print "r8_FAKEabcdefghijklmnopqrstuvwxyz0123"\n'


def test_a_syntax_error_quoting_the_source_is_redacted() -> None:
    message = parse_python("x = (\n" + PY39_PRINT)
    assert isinstance(message, str) and "abcdefghij" not in message
    error = SyntaxError(
        "Missing parentheses in call to 'print'. Did you mean print(\"r8_FAKEabcdefghijklmnop\")?"
    )
    from lint_secrets.source import without_quoted_source

    assert without_quoted_source(error.msg) == (
        "Missing parentheses in call to 'print'. Did you mean print(\"r8_F\u2026\")?"
    )


def _python39() -> str:
    for candidate in (shutil.which("python3.9"), "/root/.pyenv/versions/3.9.18/bin/python"):
        if candidate and os.path.exists(candidate):
            probe = subprocess.run([candidate, "-c", "import sys; print(sys.version_info[:2])"],
                                   capture_output=True, text=True)  # fmt: skip
            if probe.stdout.strip() == "(3, 9)":
                return candidate
    pytest.skip("no Python 3.9 here to produce its message")


def test_python_39s_own_message_for_print_statement_is_redacted() -> None:
    script = (
        "import sys\n"
        f"sys.path.insert(0, {str(REPO)!r})\n"
        "from lint_secrets.source import parse_python\n"
        f"print(parse_python({PY39_PRINT!r}))\n"
    )
    done = subprocess.run([_python39(), "-c", script], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert "Did you mean print(" in done.stdout  # the 3.9 message, quoting the call
    assert "abcdefghij" not in done.stdout
