"""CI output from the command line: SARIF, GitHub, GitLab and JUnit reports whose paths are the
repository's, line hashes that never see a secret, colour, the `full` format and the help text.

Repositories are real `git init` ones in temporary directories; the terminal is a real
pseudo-terminal.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any, Dict, List, Tuple
from xml.etree import ElementTree

import jsonschema
import pytest
from conftest import REPO, SAMPLE, git, run_cli, write_files

from lint_secrets import __version__
from lint_secrets.findings import Finding
from lint_secrets.report import render
from lint_secrets.rules import RULE_INFO

SARIF_SCHEMA = REPO / "fixtures" / "sarif" / "sarif-schema-2.1.0.json"

TTS_SECRET = "el-FAKE-ci0a1b2c3d4e5f6789"
ROTATED_SECRET = "el-FAKE-ci9z8y7x6w5v4u3210"
TOKEN_SECRET = "r8_FAKEciOUTPUTtokenFORlintSECRETS000042"
UNKNOWN_SECRET = "sk-FAKE-ci21db6d500446ceb4"
COMMENT_TOKEN = "sk-proj-FAKEcommentKEYnotFLAGGEDbyANYrule42"  # no rule flags an OpenAI key in a comment
SECRETS = (TTS_SECRET, ROTATED_SECRET, TOKEN_SECRET, UNKNOWN_SECRET, COMMENT_TOKEN)


def tts_file(secret: str = TTS_SECRET, above: str = "") -> str:
    return f"""\
import replicate
{above}

def speak(text):
    return replicate.run(
        "example/text-to-speech", input={{"text": text, "elevenlabs_api_key": "{secret}"}}
    )
"""


TOKEN_FILE = f"""\
import replicate

# old token: {COMMENT_TOKEN}
client = replicate.Client(api_token="{TOKEN_SECRET}")
"""
UNKNOWN_MODEL_FILE = f"""\
import replicate

out = replicate.run("someone/unknown-model", input={{"prompt": "hi", "api_key": "{UNKNOWN_SECRET}"}})
"""
PYPROJECT = '[project]\nname = "svc"\nversion = "0"\n\n[tool.lint-secrets]\n'


def run(capsys: pytest.CaptureFixture[str], *args: str) -> Tuple[int, str, str]:
    return run_cli(capsys, list(args), never_shown=())


def assert_no_secret(*texts: str) -> None:
    for text in texts:
        for secret in SECRETS:
            assert secret[:6] not in text, text


def make_service(root: Path, files: Dict[str, str]) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    (root / "pyproject.toml").write_text(PYPROJECT, encoding="utf-8")
    shutil.copytree(SAMPLE / ".lint-secrets", root / ".lint-secrets")
    write_files(root, files)
    return root


@pytest.fixture
def monorepo(tmp_path: Path) -> Path:
    """A git repository whose sub-project `services/tts` holds the config and the files."""
    repo = tmp_path / "repo"
    make_service(repo / "services" / "tts", {"app.py": tts_file(), "pkg/token.py": TOKEN_FILE})
    git(repo, "init", "-q")
    return repo


@pytest.fixture(scope="module")
def sarif_validator() -> Any:
    schema = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))
    return jsonschema.validators.validator_for(schema)(schema)


def sarif(capsys: pytest.CaptureFixture[str], validator: Any, *args: str) -> Tuple[int, Dict[str, Any], str]:
    code, out, err = run(capsys, "check", "--output-format", "sarif", *args)
    log: Dict[str, Any] = json.loads(out)
    validator.validate(log)
    assert_no_secret(out, err)
    return code, log, err


def uris(log: Dict[str, Any]) -> List[str]:
    return [
        r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in log["runs"][0]["results"]
    ]


def line_hashes(log: Dict[str, Any]) -> List[str]:
    return [r["partialFingerprints"]["primaryLocationLineHash"] for r in log["runs"][0]["results"]]


# --------------------------------------------------------------------------- SARIF paths


@pytest.mark.parametrize("where", ["repo", "repo/services/tts", "repo/services/tts/pkg"])
def test_sarif_uris_are_relative_to_the_git_top_level_wherever_the_run_starts(
    monorepo: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    sarif_validator: Any,
    where: str,
) -> None:
    monkeypatch.chdir(monorepo.parent / where)
    target = str(monorepo / "services" / "tts")
    code, log, _ = sarif(capsys, sarif_validator, target)
    assert code == 1
    assert uris(log) == ["services/tts/app.py", "services/tts/pkg/token.py"]
    base = log["runs"][0]["originalUriBaseIds"]["%SRCROOT%"]["uri"]
    assert base == monorepo.resolve().as_uri() + "/"
    for result in log["runs"][0]["results"]:
        assert result["locations"][0]["physicalLocation"]["artifactLocation"]["uriBaseId"] == "%SRCROOT%"


def test_ci_paths_are_the_checked_repositorys_when_the_run_starts_elsewhere(
    monorepo: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    sarif_validator: Any,
) -> None:
    service = str(monorepo / "services" / "tts")
    outside = tmp_path / "outside"
    outside.mkdir()
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    monkeypatch.chdir(outside)  # not in any repository
    _, log, _ = sarif(capsys, sarif_validator, service)
    assert sorted(uris(log)) == ["services/tts/app.py", "services/tts/pkg/token.py"]
    assert log["runs"][0]["originalUriBaseIds"]["%SRCROOT%"]["uri"] == monorepo.as_uri() + "/"
    other = tmp_path / "other"
    other.mkdir()
    git(other, "init", "-q")
    monkeypatch.chdir(other)  # in another repository
    code, out, _ = run(capsys, "check", "--output-format", "github", service + "/app.py")
    assert code == 1 and out.startswith("::error file=services/tts/app.py,line=6,"), out


def test_sarif_fingerprints_do_not_depend_on_where_the_run_starts(
    monorepo: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], sarif_validator: Any
) -> None:
    monkeypatch.chdir(monorepo)
    _, from_root, _ = sarif(capsys, sarif_validator, "services/tts")
    monkeypatch.chdir(monorepo / "services" / "tts")
    _, from_service, _ = sarif(capsys, sarif_validator)
    prints = [r["partialFingerprints"] for r in from_root["runs"][0]["results"]]
    assert prints == [r["partialFingerprints"] for r in from_service["runs"][0]["results"]]


def test_sarif_uris_outside_git_are_relative_to_the_working_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], sarif_validator: Any
) -> None:
    service = make_service(tmp_path / "plain" / "svc", {"app.py": tts_file()})
    monkeypatch.chdir(tmp_path / "plain")
    _, log, _ = sarif(capsys, sarif_validator, "svc")
    assert uris(log) == ["svc/app.py"]
    monkeypatch.chdir(service)
    _, log, _ = sarif(capsys, sarif_validator)
    assert uris(log) == ["app.py"]


# --------------------------------------------------------------------------- line hashes


def test_line_hash_survives_moves_reindent_and_a_rotated_secret(
    monorepo: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], sarif_validator: Any
) -> None:
    app = monorepo / "services" / "tts" / "app.py"
    monkeypatch.chdir(monorepo / "services" / "tts")
    _, before, _ = sarif(capsys, sarif_validator)
    (first, token) = line_hashes(before)
    assert re.fullmatch(r"[0-9a-f]{16}:1", first) and re.fullmatch(r"[0-9a-f]{16}:1", token)
    assert first != token

    app.write_text(tts_file(ROTATED_SECRET, above="\nimport os\nimport sys\n"), encoding="utf-8")
    _, after, _ = sarif(capsys, sarif_validator)
    assert line_hashes(after) == [first, token]
    assert uris(after) == uris(before)


def test_line_hash_is_made_from_the_masked_line_not_the_secret(
    monorepo: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], sarif_validator: Any
) -> None:
    monkeypatch.chdir(monorepo / "services" / "tts")
    _, log, _ = sarif(capsys, sarif_validator)
    line = tts_file().splitlines()[5]
    masked = line.replace(f'"{TTS_SECRET}"', "<secret>")
    assert line_hashes(log)[0] == hashlib.sha256(" ".join(masked.split()).encode()).hexdigest()[:16] + ":1"
    raw = hashlib.sha256(" ".join(line.split()).encode()).hexdigest()[:16]
    assert not line_hashes(log)[0].startswith(raw)


def test_line_hash_counts_repeated_lines(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], sarif_validator: Any
) -> None:
    token_line = f'client = replicate.Client(api_token="{TOKEN_SECRET}")\n'
    make_service(tmp_path / "svc", {"app.py": "import replicate\n" + token_line + token_line})
    monkeypatch.chdir(tmp_path / "svc")
    _, log, _ = sarif(capsys, sarif_validator)
    first, second = line_hashes(log)
    assert first.endswith(":1") and second.endswith(":2") and first[:-2] == second[:-2]


def test_line_hash_for_standard_input(
    monorepo: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], sarif_validator: Any
) -> None:
    monkeypatch.chdir(monorepo / "services" / "tts")
    _, from_file, _ = sarif(capsys, sarif_validator, "app.py")
    monkeypatch.setattr("sys.stdin", _Stdin(tts_file().encode()))
    _, from_stdin, _ = sarif(capsys, sarif_validator, "--stdin-filename", "app.py")
    assert line_hashes(from_stdin) == line_hashes(from_file)


class _Stdin:
    def __init__(self, data: bytes) -> None:
        self.buffer = _Buffer(data)


class _Buffer:
    def __init__(self, data: bytes) -> None:
        self._data = data

    def read(self) -> bytes:
        return self._data


# --------------------------------------------------------------------------- rule metadata


def test_rules_carry_precision_and_security_severity(
    monorepo: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], sarif_validator: Any
) -> None:
    info = {rule.code: rule for rule in RULE_INFO}
    assert info["RS101"].precision in ("very-high", "high")
    assert info["RS103"].precision in ("very-high", "high")
    assert info["RS102"].precision == "medium"
    assert float(info["RS103"].security_severity) >= 9.0  # critical on GitHub
    for rule in RULE_INFO:
        assert 0.0 < float(rule.security_severity) <= 10.0
    monkeypatch.chdir(monorepo / "services" / "tts")
    _, log, _ = sarif(capsys, sarif_validator)
    for descriptor in log["runs"][0]["tool"]["driver"]["rules"]:
        rule = info[descriptor["id"]]
        assert descriptor["properties"]["precision"] == rule.precision
        if rule.cwe is None:  # not a security problem (RS100, RS106): no security severity
            assert "security-severity" not in descriptor["properties"]
            continue
        assert descriptor["properties"]["security-severity"] == rule.security_severity
        assert isinstance(descriptor["properties"]["security-severity"], str)


# --------------------------------------------------------------------------- errors in reports


def test_errors_and_missing_schemas_are_notifications_and_annotations(
    monorepo: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], sarif_validator: Any
) -> None:
    service = monorepo / "services" / "tts"
    write_files(service, {"broken.py": "import replicate\nx = (\n", "unknown.py": UNKNOWN_MODEL_FILE})
    monkeypatch.chdir(service)
    code, log, err = sarif(capsys, sarif_validator, "--require-schemas")
    assert code == 2
    invocation = log["runs"][0]["invocations"][0]
    assert invocation["executionSuccessful"] is False
    notes = invocation["toolExecutionNotifications"]
    texts = [n["message"]["text"] for n in notes]
    assert any(t.startswith("no cached schema for someone/unknown-model") for t in texts)
    broken = [n for n in notes if "locations" in n]
    # The missing schema is reported on the file that refers to the model.
    assert [n["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for n in broken] == [
        "services/tts/broken.py",
        "services/tts/unknown.py",
    ]
    assert err.count("error: unknown.py: no cached schema for someone/unknown-model") == 1

    code, out, err = run(capsys, "check", "--output-format", "github", "--require-schemas")
    assert code == 2
    lines = out.splitlines()
    assert any(
        line.startswith("::error file=services/tts/unknown.py::no cached schema for someone/unknown-model")
        for line in lines
    )
    assert any(line.startswith("::error file=services/tts/broken.py::") for line in lines)
    assert any(line.startswith("::error file=services/tts/app.py,line=6,") for line in lines)
    assert_no_secret(out, err)


def test_missing_schema_without_require_is_a_note_not_an_error(
    monorepo: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], sarif_validator: Any
) -> None:
    write_files(monorepo / "services" / "tts", {"unknown.py": UNKNOWN_MODEL_FILE})
    monkeypatch.chdir(monorepo / "services" / "tts")
    code, log, err = sarif(capsys, sarif_validator)
    assert code == 1
    assert "toolExecutionNotifications" not in log["runs"][0]["invocations"][0]
    assert "note: no cached schema for someone/unknown-model" in err


# --------------------------------------------------------------------------- GitLab


def test_gitlab_code_quality_report(
    monorepo: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    write_files(monorepo / "services" / "tts", {"unknown.py": UNKNOWN_MODEL_FILE})
    monkeypatch.chdir(monorepo / "services" / "tts" / "pkg")
    code, out, err = run(capsys, "check", "--output-format", "gitlab", "..")
    assert code == 1
    assert_no_secret(out, err)
    issues = json.loads(out)
    assert [(i["check_name"], i["location"]["path"], i["location"]["lines"]["begin"]) for i in issues] == [
        ("RS101", "services/tts/app.py", 6),
        ("RS103", "services/tts/pkg/token.py", 4),
        ("RS102", "services/tts/unknown.py", 3),
    ]
    for issue in issues:
        assert isinstance(issue["description"], str) and issue["description"]
        assert re.fullmatch(r"[0-9a-f]{64}", issue["fingerprint"])
        assert issue["severity"] in ("info", "minor", "major", "critical", "blocker")
    assert len({i["fingerprint"] for i in issues}) == len(issues)
    assert {i["check_name"]: i["severity"] for i in issues}["RS103"] == "critical"
    monkeypatch.chdir(monorepo)
    _, again, _ = run(capsys, "check", "--output-format", "gitlab", "services/tts")
    assert [i["fingerprint"] for i in json.loads(again)] == [i["fingerprint"] for i in issues]


def test_gitlab_report_of_a_clean_run_is_an_empty_list(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(make_service(tmp_path / "svc", {"ok.py": "import replicate\n"}))
    code, out, _ = run(capsys, "check", "--output-format", "gitlab")
    assert (code, json.loads(out)) == (0, [])


# --------------------------------------------------------------------------- JUnit


def test_junit_report(
    monorepo: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    write_files(monorepo / "services" / "tts", {"broken.py": "import replicate\nx = (\n"})
    monkeypatch.chdir(monorepo / "services" / "tts")
    code, out, err = run(capsys, "check", "--output-format", "junit")
    assert code == 2
    assert_no_secret(out, err)
    root = ElementTree.fromstring(out.encode("utf-8"))
    assert root.tag == "testsuites"
    assert (root.get("tests"), root.get("failures"), root.get("errors")) == ("3", "2", "1")
    suites = {suite.get("name"): suite for suite in root.iter("testsuite")}
    assert sorted(suites) == ["services/tts/app.py", "services/tts/broken.py", "services/tts/pkg/token.py"]
    (case,) = suites["services/tts/app.py"].iter("testcase")
    failure = case.find("failure")
    assert failure is not None and failure.get("type") == "RS101"
    assert case.get("file") == "services/tts/app.py" and case.get("line") == "6"
    assert "el-F\u2026" in (failure.get("message") or "")
    error = next(suites["services/tts/broken.py"].iter("testcase")).find("error")
    assert error is not None and "syntax error" in (error.get("message") or "")


def test_junit_clean_run_has_one_passing_case(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(make_service(tmp_path / "svc", {"ok.py": "import replicate\n", "b.py": "x = 1\n"}))
    code, out, _ = run(capsys, "check", "--output-format", "junit")
    assert code == 0
    root = ElementTree.fromstring(out.encode("utf-8"))
    cases = list(root.iter("testcase"))
    assert len(cases) == 1 and cases[0].find("failure") is None and cases[0].find("error") is None
    assert cases[0].get("name") == "2 files checked"
    assert (root.get("tests"), root.get("failures"), root.get("errors")) == ("1", "0", "0")


# --------------------------------------------------------------------------- colour

ANSI = re.compile(r"\x1b\[[0-9;]*m")


@pytest.fixture
def service(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = make_service(tmp_path / "svc", {"app.py": tts_file(), "pkg/token.py": TOKEN_FILE})
    monkeypatch.chdir(root)
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    return root


@pytest.mark.parametrize(
    ("args", "env", "coloured"),
    [
        ((), {}, False),  # not a terminal
        (("--color", "always"), {}, True),
        (("--color", "always"), {"NO_COLOR": "1"}, True),  # the flag wins
        (("--color", "never"), {"FORCE_COLOR": "1"}, False),
        ((), {"FORCE_COLOR": "1"}, True),
        ((), {"FORCE_COLOR": "0"}, False),
        ((), {"FORCE_COLOR": "1", "NO_COLOR": "1"}, False),
    ],
)
def test_colour_choice(
    service: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    args: Tuple[str, ...],
    env: Dict[str, str],
    coloured: bool,
) -> None:
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    code, out, err = run(capsys, "check", *args)
    assert code == 1
    assert bool(ANSI.search(out)) is coloured
    assert ANSI.sub("", out) == run(capsys, "check", "--color", "never")[1]
    assert_no_secret(out, err)


def test_colour_never_goes_into_an_output_file(service: Path, capsys: pytest.CaptureFixture[str]) -> None:
    os.environ["FORCE_COLOR"] = "1"
    try:
        run(capsys, "check", "--output-file", "report.txt")
    finally:
        del os.environ["FORCE_COLOR"]
    assert not ANSI.search((service / "report.txt").read_text(encoding="utf-8"))


def _run_in_terminal(cwd: Path, env: Dict[str, str], *args: str) -> str:
    """The CLI's output when its standard output is a real pseudo-terminal."""
    pty = pytest.importorskip("pty")
    leader, follower = pty.openpty()
    try:
        process = subprocess.Popen(
            [sys.executable, "-m", "lint_secrets", *args],
            cwd=cwd,
            stdin=subprocess.DEVNULL,
            stdout=follower,
            stderr=subprocess.DEVNULL,
            env=env,
        )
        os.close(follower)
        chunks = []
        while True:
            try:
                chunk = os.read(leader, 65536)
            except OSError:  # the terminal closes when the process ends (EIO on Linux)
                break
            if not chunk:
                break
            chunks.append(chunk)
        process.wait(timeout=120)
    finally:
        os.close(leader)
    return b"".join(chunks).decode("utf-8", errors="replace")


@pytest.mark.skipif(sys.platform == "win32", reason="pseudo-terminals are POSIX")
def test_colour_on_a_real_terminal_unless_no_color(service: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR")}
    assert ANSI.search(_run_in_terminal(service, env, "check"))
    plain = _run_in_terminal(service, {**env, "NO_COLOR": "1"}, "check")
    assert "RS101" in plain and not ANSI.search(plain)


# --------------------------------------------------------------------------- full format


def test_full_format_shows_the_line_masked_with_a_caret(
    service: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, "check", "--output-format", "full")
    assert code == 1
    assert_no_secret(out, err)
    lines = out.splitlines()
    header = lines.index(next(line for line in lines if line.startswith("app.py:6:")))
    snippet = lines[header + 1 : header + 7]
    shown = '6 |         "example/text-to-speech", input={"text": text, "elevenlabs_api_key": "el-F\u2026"}'
    caret = "  |" + " " * (shown.index('"el-F') - 3) + "^" * len('"el-F\u2026"') + " RS101"
    assert snippet == ["  |", "5 |     return replicate.run(", shown, caret, "7 |     )", "  |"]
    assert snippet[3].index("^") == snippet[2].index('"el-F')
    assert out.endswith("[*] 2 fixable with `lint-secrets check --fix`.\n")


def test_full_format_masks_token_shapes_on_context_lines(
    service: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _, out, _ = run(capsys, "check", "--output-format", "full", "pkg/token.py")
    assert "3 | # old token: sk-p\u2026" in out.splitlines()
    assert '4 | client = replicate.Client(api_token="r8_F\u2026")' in out.splitlines()
    assert_no_secret(out)


def test_full_format_masks_every_value_on_the_lines_it_shows(
    service: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Secrets no rule flags, and not shaped like tokens: a password, a key in a comment, a
    docstring, a second value on the finding's line. None is shown past a short prefix."""
    password = "Tr0ub4dor&3-horse-battery"
    admin_key = "Xk9#mQ2$vL7pR4wZ"
    hidden = ("correct horse battery staple", "hunter2-Hunter2!", "9f8e7d6c5b4a3210fedc")
    source = (
        "import replicate\n"
        f'db_password = "{password}"\n'
        f'client = replicate.Client(api_token="{TOKEN_SECRET}", timeout=f"{hidden[1]}")\n'
        f"# admin key: {admin_key}, see {hidden[2]}\n"
        'NOTES = """first line\n'
        f'{hidden[0]}"""\n'  # shown for context, inside a string opened on the line above
        f'other = replicate.Client(api_token="{TOKEN_SECRET}")\n'
    )
    write_files(service, {"context.py": source})
    code, out, err = run(capsys, "check", "--output-format", "full", "context.py")
    assert code == 1, err
    for value in (password, admin_key, *hidden, TOKEN_SECRET):
        assert value[:5] not in out, value
    lines = out.splitlines()
    assert '2 | db_password = "Tr0u\u2026"' in lines
    assert '3 | client = replicate.Client(api_token="r8_F\u2026", timeout=f"hunt\u2026")' in lines
    assert "4 | # admin key: Xk9#\u2026 see 9f8e\u2026" in lines
    assert '6 | corr\u2026"""' in lines
    # Model references and dict keys stay readable; only values are masked.
    _, out, _ = run(capsys, "check", "--output-format", "full", "app.py")
    assert '"example/text-to-speech", input={"text": text, "elevenlabs_api_key": "el-F\u2026"}' in out


def test_full_format_multi_line_literal_and_tabs(service: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = (
        "import replicate\n"
        "if True:\n"
        f'\tclient = replicate.Client(api_token=("{TOKEN_SECRET[:20]}"\n'
        f'\t\t"{TOKEN_SECRET[20:]}"))\n'
    )
    write_files(service, {"multi.py": source})
    code, out, _ = run(capsys, "check", "--output-format", "full", "multi.py")
    assert code == 1, out
    assert_no_secret(out)
    for secret_part in (TOKEN_SECRET[:20], TOKEN_SECRET[20:]):
        assert secret_part[:6] not in out
    lines = out.splitlines()
    caret = next(line for line in lines if "^" in line)
    shown = lines[lines.index(caret) - 1]
    assert caret.startswith("  | \t") and shown.startswith("3 | \t")
    assert caret.index("^") == shown.index('"r8_')


def test_full_format_quiet_and_from_standard_input(
    service: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _, quiet, _ = run(capsys, "check", "--output-format", "full", "--quiet", "app.py")
    assert "Found" not in quiet and "^^^^^^^ RS101" in quiet
    monkeypatch.setattr("sys.stdin", _Stdin(tts_file().encode()))
    _, piped, _ = run(capsys, "check", "--output-format", "full", "--quiet", "--stdin-filename", "app.py")
    assert piped == quiet


def test_full_format_without_the_finding_line_prints_the_finding_only() -> None:
    """A file deleted or cut short since the check: a snippet of other lines would mislead."""
    finding = Finding("gone.py", 6, 5, 6, 12, "RS101", "Hardcoded secret 'el-F\u2026'")
    lines = {1: "import replicate", 5: "def f():", 7: "    pass"}
    out = render(
        [finding],
        [],
        fmt="full",
        rules=RULE_INFO,
        tool_version=__version__,
        root=Path.cwd(),
        files_checked=1,
        source_lines=lambda path, lineno: lines.get(lineno),
    )
    assert out.splitlines()[0].startswith("gone.py:6:5: RS101")
    assert "|" not in out


# --------------------------------------------------------------------------- help text


def test_help_lists_commands_whole_with_exit_codes(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "--help")
    assert code == 0
    commands = out.split("Commands:")[1].split("Exit codes:")[0]
    entries = [line.split(None, 1) for line in commands.strip().splitlines()]
    assert [name for name, _ in entries] == ["check", "explain", "rules", "schemas"]
    for _, text in entries:
        assert not text.endswith("..."), text
    assert "2  usage error" in out


@pytest.mark.parametrize("group", ["schemas"])
def test_subgroup_help_is_not_cut(capsys: pytest.CaptureFixture[str], group: str) -> None:
    _, out, _ = run(capsys, group, "--help")
    for line in out.split("Commands:")[1].strip().splitlines():
        assert not line.rstrip().endswith("..."), line


def test_check_help_metavars_and_exit_codes(capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run(capsys, "check", "--help")
    assert "Usage: lint-secrets check [OPTIONS] [PATH]..." in out
    for option in ("--select CODES", "--ignore CODES", "--output-file PATH", "--config PATH", "--jobs N"):
        assert option in out
    assert "--color [auto|always|never]" in out
    assert "[text|full|json|sarif|github|gitlab|junit]" in out
    assert "1  findings remain" in out


@pytest.mark.parametrize("flag", ["-V", "--version"])
def test_version_flag(capsys: pytest.CaptureFixture[str], flag: str) -> None:
    code, out, _ = run(capsys, flag)
    assert code == 0 and out.strip() == f"lint-secrets, version {__version__}"
