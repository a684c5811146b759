"""Hostile input, interrupted fixes, broken caches and configs: never a crash, a hang or a lost file.

Every case runs the real CLI (in-process `main`, or a real subprocess where signals or
process limits matter) in a real project in tmp_path, next to `good.py`, which holds one
real finding that must still be reported.

Slow checks: `LINT_SECRETS_SLOW=1 pytest tests/test_robustness.py` also checks a 50 MB file.
"""

from __future__ import annotations

import ast
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Dict, List, Tuple

import pytest
from conftest import run_cli, sample_project

from lint_secrets.fix.apply import FixError, write_atomically

REPO = Path(__file__).resolve().parent.parent

SECRET = "el-FAKE-abcdef1234567890ZZ"
GOOD = (
    "import replicate\n"
    f'replicate.run("example/text-to-speech", input={{"text": "hi", "elevenlabs_api_key": "{SECRET}"}})\n'
)
GOOD_FIXED_MARK = 'os.environ["ELEVENLABS_API_KEY"]'
IS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = sample_project(tmp_path, monkeypatch)
    (root / "good.py").write_text(GOOD)
    return root


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> Tuple[int, str, str]:
    return run_cli(capsys, argv, never_shown=(SECRET,))


def error_lines(err: str) -> List[str]:
    return [line for line in err.splitlines() if line.startswith("lint-secrets: error:")]


def assert_good_reported(out: str) -> None:
    assert "good.py:2:" in out and "RS101" in out, out


def temp_files(root: Path) -> List[Path]:
    return [p for p in root.rglob(".lint-secrets-*.tmp")]


# ------------------------------------------------------------------ input files


def _deep_parens() -> bytes:
    return ("import replicate\nx = " + "(" * 5000 + "1" + ")" * 5000 + "\n").encode()


def _deep_lists() -> bytes:
    return ("import replicate\nx = " + "[" * 3000 + "]" * 3000 + "\n").encode()


def _deep_dicts() -> bytes:
    return ("import replicate\nx = " + '{"a": ' * 3000 + "1" + "}" * 3000 + "\n").encode()


def _long_binop() -> bytes:
    return ("import replicate\nx = " + " + ".join(["1"] * 100_000) + "\n").encode()


def _deep_unary() -> bytes:
    return ("import replicate\nx = " + "-" * 100_000 + "1\n").encode()


BAD_FILES = [
    pytest.param(b'import replicate\nprint "x"\n', "syntax error", id="python2-print"),
    pytest.param(b"import replicate\ndef f(:\n    pass\n", "syntax error", id="syntax-error"),
    pytest.param(b"import replicate\nx = 1\x00\n", "null bytes", id="null-byte"),
    pytest.param(b'import replicate\nx = "\xff\xfe"\n', "decode", id="invalid-utf8-no-coding"),
    pytest.param(
        b'# -*- coding: utf-8 -*-\nimport replicate\nx = "\xff"\n', "decode", id="invalid-utf8-coding-line"
    ),
    pytest.param(b"# -*- coding: klingon -*-\nimport replicate\n", "encoding", id="unknown-coding"),
    pytest.param(_deep_parens(), "", id="deep-parens"),
    pytest.param(_deep_lists(), "", id="deep-lists"),
    pytest.param(_deep_dicts(), "", id="deep-dicts"),
    pytest.param(_long_binop(), "", id="binop-chain-100k"),
    pytest.param(_deep_unary(), "", id="unary-chain-100k"),
]


@pytest.mark.parametrize(("data", "reason"), BAD_FILES)
def test_unreadable_source_is_one_error_line_and_others_are_checked(
    project: Path, capsys: pytest.CaptureFixture[str], data: bytes, reason: str
) -> None:
    (project / "bad.py").write_bytes(data)
    code, out, err = run(capsys, "check")
    assert code == 2
    assert_good_reported(out)
    lines = error_lines(err)
    assert len(lines) == 1, err
    assert lines[0].startswith("lint-secrets: error: bad.py: ")
    assert reason in lines[0]
    assert len(lines[0]) < 300  # one readable line, not the source echoed back


def test_latin1_with_coding_line_is_checked(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A valid non-UTF-8 file is not an error: it is decoded and checked."""
    (project / "latin.py").write_bytes(
        b"# -*- coding: latin-1 -*-\nimport replicate\n"
        b'replicate.run("example/text-to-speech",'
        b' input={"text": "\xe9t\xe9", "elevenlabs_api_key": "el-FAKE-latin1secret0000"})\n'
    )
    code, out, err = run(capsys, "check")
    assert code == 1, err
    assert "latin.py:3:" in out and "RS101" in out
    assert error_lines(err) == []


def test_utf16_file_is_reported_not_skipped(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (project / "u16.py").write_bytes(GOOD.encode("utf-16"))  # with BOM
    code, out, err = run(capsys, "check")
    assert code == 2
    assert_good_reported(out)
    assert [line for line in error_lines(err) if "u16.py" in line], err


def test_empty_file_is_quietly_clean(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (project / "empty.py").write_bytes(b"")
    code, out, err = run(capsys, "check", "empty.py")
    assert (code, err) == (0, "")
    code, out, err = run(capsys, "check")
    assert code == 1 and error_lines(err) == []
    assert_good_reported(out)


def _large_file(path: Path, size: int) -> None:
    chunk = (
        "def f{n}(client):\n"
        '    return client.run("example/official-chat", input={{"prompt": "p{n}", "max_tokens": {n}}})\n\n'
    )
    parts = ["import replicate\n\n"]
    total, n = 0, 0
    while total < size:
        piece = chunk.format(n=n)
        parts.append(piece)
        total += len(piece)
        n += 1
    parts.append(f'replicate.run("example/text-to-speech", input={{"elevenlabs_api_key": "{SECRET}"}})\n')
    path.write_text("".join(parts))


@pytest.mark.parametrize(
    "megabytes",
    [
        pytest.param(5, id="5MB"),
        pytest.param(
            50,
            id="50MB",
            marks=pytest.mark.skipif(
                not os.environ.get("LINT_SECRETS_SLOW"), reason="set LINT_SECRETS_SLOW=1"
            ),
        ),
    ],
)
def test_large_file_is_checked(project: Path, capsys: pytest.CaptureFixture[str], megabytes: int) -> None:
    big = project / "big.py"
    _large_file(big, megabytes * 1024 * 1024)
    # How its cost grows is tests/test_scaling.py's; how fast it is, benchmarks/run.py's.
    code, out, err = run(capsys, "check", "big.py", "good.py")
    assert code == 1, err
    assert_good_reported(out)
    assert "big.py:" in out and "RS101" in out


def test_file_over_the_size_limit_is_one_error(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    huge = project / "huge.py"
    with open(huge, "wb") as handle:  # sparse: cheap to create
        handle.write(b"import replicate\n")
        handle.truncate(65 * 1024 * 1024)
    code, out, err = run(capsys, "check", "huge.py", "good.py")
    assert code == 2
    assert_good_reported(out)
    assert error_lines(err) == ["lint-secrets: error: huge.py: larger than 64 MiB; skipped"]


def test_very_long_line(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    padding = ", ".join(f'"p{i}": {i}' for i in range(20_000))
    (project / "long.py").write_text(
        "import replicate\n"
        f'replicate.run("example/text-to-speech", input={{{padding}, "elevenlabs_api_key": "{SECRET}"}})\n'
    )
    code, out, err = run(capsys, "check", "long.py", "good.py")
    assert code == 1, err
    assert [line.split(":")[:2] for line in out.splitlines() if "RS101" in line] == [
        ["good.py", "2"],
        ["long.py", "2"],
    ]
    code, out, err = run(capsys, "check", "--fix", "long.py")
    assert code == 0, err
    fixed = (project / "long.py").read_text()
    assert SECRET not in fixed and GOOD_FIXED_MARK in fixed
    ast.parse(fixed)


def test_py_named_directory_is_walked_not_read(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (project / "pkg.py").mkdir()
    (project / "pkg.py" / "inner.py").write_text(GOOD)
    code, out, err = run(capsys, "check")
    assert code == 1 and error_lines(err) == [], err
    assert_good_reported(out)
    assert "pkg.py/inner.py:2:" in out


def test_broken_symlink_walked_is_skipped_named_is_error(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (project / "broken.py").symlink_to(project / "nowhere.py")
    code, out, err = run(capsys, "check")
    assert code == 1 and err == "", err
    assert_good_reported(out)
    code, out, err = run(capsys, "check", "broken.py", "good.py")
    assert code == 2
    assert_good_reported(out)
    assert error_lines(err) == ["lint-secrets: error: broken.py: broken symbolic link"]


def test_symlink_loop_in_walked_directory(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    loop = project / "loop"
    loop.mkdir()
    (loop / "self").symlink_to(loop, target_is_directory=True)
    (loop / "up").symlink_to(project, target_is_directory=True)
    (loop / "a.py").symlink_to(loop / "b.py")
    (loop / "b.py").symlink_to(loop / "a.py")  # a file-level loop: ELOOP on stat
    code = subprocess.run(
        [sys.executable, "-m", "lint_secrets", "check"],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert "Traceback" not in code.stderr
    assert code.returncode == 1, code.stderr
    assert_good_reported(code.stdout)
    assert code.stdout.count("RS101") == 1  # links met while walking are not followed


def test_symlink_loop_named_is_one_error(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (project / "a.py").symlink_to(project / "b.py")
    (project / "b.py").symlink_to(project / "a.py")
    code, out, err = run(capsys, "check", "a.py", "good.py")
    assert code == 2
    assert_good_reported(out)
    lines = error_lines(err)
    assert len(lines) == 1 and lines[0].startswith("lint-secrets: error: a.py: "), err


@pytest.mark.skipif(IS_ROOT, reason="root reads files whatever their mode")
def test_unreadable_file(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    locked = project / "locked.py"
    locked.write_text(GOOD)
    locked.chmod(0)
    try:
        code, out, err = run(capsys, "check")
    finally:
        locked.chmod(0o644)
    assert code == 2
    assert_good_reported(out)
    assert error_lines(err) == ["lint-secrets: error: locked.py: cannot read: Permission denied"]


def test_named_file_that_is_gone(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The closest stand-in for a file deleted during the run: named, but absent when read."""
    code, out, err = run(capsys, "check", "deleted.py", "good.py")
    assert code == 2
    assert_good_reported(out)
    assert error_lines(err) == ["lint-secrets: error: deleted.py: no such file or directory"]


def test_file_deleted_between_discovery_and_read(project: Path) -> None:
    from lint_secrets.checker import CheckOptions, Worker
    from lint_secrets.config import load_config

    worker = Worker(CheckOptions(config=load_config([project])))
    path = project / "vanishing.py"
    path.write_text(GOOD)
    path.unlink()
    result = worker.check_path(str(path))
    assert result.findings == ()
    assert [e.message for e in result.errors] == ["cannot read: No such file or directory"]


# ------------------------------------------------------------------ fix


def test_fix_leaves_read_only_file_untouched(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    ro = project / "ro.py"
    ro.write_text(GOOD)
    ro.chmod(0o444)
    code, out, err = run(capsys, "check", "--fix", "ro.py", "good.py")
    assert code == 2
    assert ro.read_text() == GOOD
    assert oct(ro.stat().st_mode & 0o777) == oct(0o444)
    assert error_lines(err) == ["lint-secrets: error: ro.py: fix not written: file is read-only"]
    assert "ro.py:2:" in out  # still reported as a finding
    assert GOOD_FIXED_MARK in (project / "good.py").read_text()
    assert temp_files(project) == []


def test_write_atomically_refuses_a_file_changed_on_disk(tmp_path: Path) -> None:
    path = tmp_path / "m.py"
    path.write_bytes(b"old\n")
    path.write_bytes(b"changed by an editor\n")
    with pytest.raises(FixError, match="changed on disk"):
        write_atomically(str(path), b"old\n", b"new\n")
    assert path.read_bytes() == b"changed by an editor\n"
    assert list(tmp_path.iterdir()) == [path]


def test_write_atomically_into_a_vanished_directory(tmp_path: Path) -> None:
    directory = tmp_path / "gone"
    directory.mkdir()
    path = directory / "m.py"
    path.write_bytes(b"old\n")
    shutil.rmtree(directory)
    with pytest.raises(FixError):
        write_atomically(str(path), b"old\n", b"new\n")
    assert list(tmp_path.iterdir()) == []


def test_write_atomically_keeps_mode_and_replaces(tmp_path: Path) -> None:
    path = tmp_path / "m.py"
    path.write_bytes(b"old\n")
    path.chmod(0o750)
    write_atomically(str(path), b"old\n", b"new\n")
    assert path.read_bytes() == b"new\n"
    assert path.stat().st_mode & 0o777 == 0o750
    assert list(tmp_path.iterdir()) == [path]


FULL_DISK = """
import resource, signal, sys
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
resource.setrlimit(resource.RLIMIT_FSIZE, (64, 64))
from lint_secrets.cli import main
sys.exit(main(sys.argv[1:]))
"""


def test_fix_on_a_full_disk_leaves_files_untouched(project: Path) -> None:
    """RLIMIT_FSIZE with SIGXFSZ ignored: every write past 64 bytes fails with EFBIG, like a full disk."""
    (project / "good.py").write_text(GOOD + "# padding so the fixed file is over the limit\n" * 3)
    before = (project / "good.py").read_bytes()
    proc = subprocess.run(
        [sys.executable, "-c", FULL_DISK, "check", "--fix", "good.py"],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert "Traceback" not in proc.stderr
    assert SECRET not in proc.stdout + proc.stderr
    assert proc.returncode == 2, proc.stderr
    assert (project / "good.py").read_bytes() == before
    assert temp_files(project) == []
    lines = error_lines(proc.stderr)
    assert len(lines) == 1 and lines[0].startswith("lint-secrets: error: good.py: fix not written: "), (
        proc.stderr
    )


def _many_secret_files(root: Path, count: int) -> Dict[Path, str]:
    files = {}
    for i in range(count):
        path = root / "src" / f"m{i:04d}.py"
        path.parent.mkdir(exist_ok=True)
        body = "".join(f"def g{j}(x):\n    return [x] * {j}\n\n" for j in range(200))
        text = (
            '"""Module."""\nimport replicate\n\n' + body + f'replicate.run("example/text-to-speech", '
            f'input={{"elevenlabs_api_key": "el-FAKE-{i:04d}-zzzzzzzzzzzz"}})\n'
        )
        path.write_text(text)
        files[path] = text
    return files


def _assert_untouched_or_fully_fixed(files: Dict[Path, str]) -> Tuple[int, int]:
    untouched = fixed = 0
    for path, original in files.items():
        text = path.read_text()
        if text == original:
            untouched += 1
            continue
        ast.parse(text)
        assert "el-FAKE-" not in text, path
        # Every file holds a different key: one run names them ELEVENLABS_API_KEY, ..._2, ...
        assert GOOD_FIXED_MARK[:-2] in text and "import os" in text, path
        fixed += 1
    return untouched, fixed


def test_sigint_during_large_fix_run(project: Path) -> None:
    files = _many_secret_files(project, 300)
    proc = subprocess.Popen(
        [sys.executable, "-m", "lint_secrets", "check", "--fix", "src"],
        cwd=project,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    time.sleep(0.3 + 0.5)  # interpreter start-up, then into the run
    os.killpg(proc.pid, signal.SIGINT)  # like Ctrl-C: the whole process group, pool workers included
    out, err = proc.communicate(timeout=60)
    assert proc.returncode != 0
    assert "Traceback" not in err, err[-2000:]
    assert "el-FAKE-" not in out + err
    untouched, fixed = _assert_untouched_or_fully_fixed(files)
    assert untouched + fixed == 300
    assert temp_files(project) == []


def test_parallel_fix_runs_on_disjoint_files(project: Path) -> None:
    files = _many_secret_files(project, 60)
    paths = sorted(files)
    groups = [paths[i::4] for i in range(4)]
    procs = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "lint_secrets",
                "check",
                "--fix",
                *[str(p.relative_to(project)) for p in group],
            ],
            cwd=project,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for group in groups
    ]
    for proc in procs:
        _out, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err
        assert "Traceback" not in err
    assert _assert_untouched_or_fully_fixed(files) == (0, 60)
    assert temp_files(project) == []


# ------------------------------------------------------------------ secrets in errors


def test_syntax_error_on_a_secret_line_does_not_print_it(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (project / "bad.py").write_text(
        "import replicate\n"
        f'replicate.run("example/text-to-speech", input={{"elevenlabs_api_key": "{SECRET}"}}\n'
    )
    (project / "bad2.py").write_text(f'import replicate\nTOKEN = "r8_{"A" * 37}" +\n')
    code, _out, err = run(capsys, "check", "bad.py", "bad2.py", "good.py")  # run() asserts SECRET is absent
    assert code == 2
    assert "r8_" + "A" * 37 not in err
    assert len(error_lines(err)) == 2


def test_unwritable_fix_does_not_print_the_secret(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (project / "good.py").chmod(0o444)
    code, out, err = run(capsys, "check", "--fix", "--diff", "good.py")
    assert SECRET not in out + err
    code, out, err = run(capsys, "check", "--fix", "--output-format", "json", "good.py")
    assert code == 2
    assert (project / "good.py").read_text() == GOOD


# ------------------------------------------------------------------ cache and config


OWN_CALL = (
    "import replicate\n"
    'replicate.run("acme/thing", input={"text": "hi", "api_key": "ak-FAKE-abcdef1234567890"})\n'
)


def _entry(project: Path) -> Path:
    path = project / ".lint-secrets" / "schemas" / "models" / "acme" / "thing.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    return path


def _model(properties: object, *, with_schema: bool = True) -> str:
    version: Dict[str, object] = {"id": "0" * 64, "cog_version": "0.9.0"}
    if with_schema:
        version["openapi_schema"] = {
            "openapi": "3.0.2",
            "components": {"schemas": {"Input": {"type": "object", "properties": properties}}},
        }
    return json.dumps({"owner": "acme", "name": "thing", "latest_version": version})


BROKEN_ENTRIES = [
    pytest.param('{"owner": "acme", "name": "th', True, id="truncated-json"),
    pytest.param("", True, id="empty-file"),
    pytest.param("[1, 2, 3]", True, id="not-an-object"),
    pytest.param(_model({}, with_schema=False), None, id="no-openapi-schema"),
    pytest.param(
        '{"owner": "acme", "name": "thing", "latest_version": null}', None, id="latest-version-null"
    ),
    pytest.param(_model("api_key"), True, id="properties-a-string"),
    pytest.param(_model(["api_key"]), True, id="properties-a-list"),
    pytest.param(
        _model({"api_key": "yes"}),
        None,
        id="property-not-an-object",
    ),
]


@pytest.mark.parametrize(("content", "is_error"), BROKEN_ENTRIES)
def test_broken_cache_entry_falls_back_to_heuristics(
    project: Path, capsys: pytest.CaptureFixture[str], content: str, is_error: bool | None
) -> None:
    """The finding survives (RS102 by the input's name) and the broken entry is not silent."""
    _entry(project).write_text(content)
    (project / "own.py").write_text(OWN_CALL)
    code, out, err = run(capsys, "check")
    assert_good_reported(out)
    assert "own.py:2:" in out and "RS10" in out, out
    lines = error_lines(err)
    if is_error:
        assert code == 2
        assert len(lines) == 1 and "thing.json" in lines[0], err
    else:
        assert code in (1, 2)
        assert "acme/thing" in err or "thing.json" in err, err  # said out loud: a note or an error


def test_cache_entry_symlinked_out_of_the_cache(
    project: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    outside = tmp_path_factory.mktemp("outside") / "thing.json"
    outside.write_text(_model({"text": {"type": "string"}, "api_key": {"type": "string"}}))
    _entry(project).symlink_to(outside)
    (project / "own.py").write_text(OWN_CALL)
    proc = subprocess.run(
        [sys.executable, "-m", "lint_secrets", "check"],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert "Traceback" not in proc.stderr
    # An entry outside the cache is not trusted: its schema (which says api_key is not secret) is not used,
    # the run says so, and the name heuristics still flag the value.
    assert "own.py:2:" in proc.stdout and "RS102" in proc.stdout, proc.stdout + proc.stderr
    assert "thing.json" in proc.stderr or "acme/thing" in proc.stderr


CONFIGS = [
    pytest.param("[tool.lint-secrets\nselect = [", "invalid TOML", id="malformed-toml"),
    pytest.param("[tool.lint-secrets]\nselect = 'RS101'\n", "select", id="select-a-string"),
    pytest.param("[tool.lint-secrets]\nselect = [101]\n", "select", id="select-a-number"),
    pytest.param("[tool.lint-secrets]\nexclude = 3\n", "exclude", id="exclude-a-number"),
    pytest.param("[tool.lint-secrets]\nschema-dir = []\n", "schema-dir", id="schema-dir-a-list"),
    pytest.param("[tool.lint-secrets]\nmodels = 'x'\n", "models", id="models-a-string"),
    pytest.param("[tool.lint-secrets]\nsellect = ['RS101']\n", "sellect", id="unknown-option"),
    pytest.param("[tool]\nlint-secrets = 3\n", "", id="section-not-a-table"),
    pytest.param(
        b"\xff\xfe[tool.lint-secrets]\n",
        "",
        id="config-not-utf8",
    ),
]


@pytest.mark.parametrize(("content", "mention"), CONFIGS)
def test_bad_config_is_one_clear_error(
    project: Path, capsys: pytest.CaptureFixture[str], content: str | bytes, mention: str
) -> None:
    pyproject = project / "pyproject.toml"
    if isinstance(content, bytes):
        pyproject.write_bytes(content)
    else:
        pyproject.write_text(content)
    code, out, err = run(capsys, "check")
    assert code == 2
    assert out == ""
    lines = err.splitlines()
    assert len(lines) == 1, err
    assert "pyproject.toml" in lines[0] and mention in lines[0], err


# ------------------------------------------------------------------ parallel schema pulls


def test_two_schema_pulls_at_once_leave_a_consistent_cache(project: Path) -> None:
    import threading

    from test_api import FakeApi, _Handler, _Server  # a real HTTP server on 127.0.0.1

    fake = FakeApi()
    server = _Server(("127.0.0.1", 0), _Handler)
    server.api = fake
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True)
    thread.start()
    try:
        env = dict(os.environ)
        for name in ("http_proxy", "https_proxy", "all_proxy", "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY"):
            env.pop(name, None)
        env["REPLICATE_API_TOKEN"] = "r8_TESTtokenPARALLELpullDOnotUSE000000001"
        env["REPLICATE_BASE_URL"] = f"http://127.0.0.1:{server.server_address[1]}/v1"
        cache = project / "fresh-cache"
        refs = ["example/text-to-speech", "deployment:example/tts-prod", "example/lora-trainer"]
        procs = [
            subprocess.Popen(
                [sys.executable, "-m", "lint_secrets", "schemas", "pull", "--schema-dir", str(cache), *refs],
                cwd=project,
                env=env,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            for _ in range(2)
        ]
        results = [(*proc.communicate(timeout=60), proc.returncode) for proc in procs]
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
    for _out, err, returncode in results:
        assert "Traceback" not in err
        assert returncode == 0, err
    files = list(cache.rglob("*"))
    jsons = [p for p in files if p.is_file()]
    assert jsons, files
    for path in jsons:
        assert path.suffix == ".json", path  # no temp files left
        json.loads(path.read_text())
    assert (cache / "models" / "example" / "text-to-speech.json").is_file()
    assert (cache / "deployments" / "example" / "tts-prod.json").is_file()


def _concatenation(terms: int) -> str:
    return (
        "import replicate\n"
        f"key = {' + '.join(['{!r}'.format('ab')] * terms)}\n"
        'replicate.run("acme/unknown", input={"api_key": key})\n'
    )


def test_long_literal_concatenation_is_still_analysed(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`ast` nests `a + b + ...` one level a term: 500 terms pass the default recursion limit."""
    (project / "long.py").write_text(_concatenation(500))
    code, out, err = run(capsys, "check")
    assert code == 1, err
    assert "long.py:2:7: RS102" in out
    assert error_lines(err) == []
    assert_good_reported(out)


def test_concatenation_too_long_to_analyse_is_one_error(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # 3,000 terms: the first pass takes two frames a term, so 2,000 are analysed since it
    # stopped going through `visit` for each node (three frames a term before).
    (project / "long.py").write_text(_concatenation(3000))
    code, out, err = run(capsys, "check")
    assert code == 2
    # Whether `ast` itself or the resolver gives up first depends on the stack in use.
    assert error_lines(err) in (
        ["lint-secrets: error: long.py: cannot analyse: nested too deeply"],
        ["lint-secrets: error: long.py: cannot parse: nested too deeply"],
    )
    assert_good_reported(out)
