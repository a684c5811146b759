"""`--fix` and its temporary files: what a run may remove, the group a fixed file keeps in a
set-group-ID directory, and what an interrupted run says it wrote.

Real files, owners and directories; real processes and signals.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Dict, List, Optional, Set, Tuple

import pytest
from conftest import run_cli, sample_project
from test_fix_safety import _count, temp_files

from lint_secrets.atomic import TEMP_PREFIX, TEMP_SUFFIX

REPO = Path(__file__).resolve().parent.parent
SECRET = "el-FAKE-abcdef1234567890ZZ"
GOOD = (
    "import replicate\n"
    f'replicate.run("example/text-to-speech", input={{"text": "hi", "elevenlabs_api_key": "{SECRET}"}})\n'
)
FIXED_MARK = 'os.environ["ELEVENLABS_API_KEY'
IS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0
# What the tool itself names its temporary files, and a debris file of that shape.
OURS = f"{TEMP_PREFIX}0123456789abcdef{TEMP_SUFFIX}"


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    return sample_project(tmp_path / "project", monkeypatch)


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> Tuple[int, str, str]:
    return run_cli(capsys, argv, never_shown=(SECRET,))


def old_file(path: Path, text: str = "x = 1\n") -> Path:
    path.write_text(text)
    an_hour_ago = time.time() - 3600
    os.utime(path, (an_hour_ago, an_hour_ago))
    return path


# ------------------------------------------------------------------ leftovers


def test_a_plain_check_removes_no_temporary_file(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (project / "app.py").write_text(GOOD)
    ours = old_file(project / OURS)
    code, out, _err = run(capsys, "check", ".")
    assert code == 1 and "app.py:2:" in out
    assert ours.exists()


@pytest.mark.parametrize(
    "name",
    [
        f"{TEMP_PREFIX}notes{TEMP_SUFFIX}",  # a user's own file
        f"{TEMP_PREFIX}abc12345{TEMP_SUFFIX}",  # another tool's, or another version's, shape
        f"{TEMP_PREFIX}0123456789ABCDEF{TEMP_SUFFIX}",
        f"{TEMP_PREFIX}0123456789abcdef{TEMP_SUFFIX}.bak",
    ],
)
def test_a_fixing_run_removes_only_the_exact_shape_it_makes(
    project: Path, capsys: pytest.CaptureFixture[str], name: str
) -> None:
    (project / "app.py").write_text(GOOD)
    (project / "sub").mkdir()
    ours = old_file(project / "sub" / OURS)
    theirs = old_file(project / "sub" / name, "keep me\n")
    code, _out, err = run(capsys, "check", "--fix", ".")
    assert code == 0, err
    assert not ours.exists()
    assert theirs.read_text() == "keep me\n"
    assert "removed 1 temporary file(s)" in err


def test_the_temporary_files_a_fix_makes_have_the_shape_it_removes(project: Path) -> None:
    (project / "app.py").write_text(GOOD)
    script = (
        "from lint_secrets import atomic\n"
        "def show(temp):\n"
        "    print(temp.rsplit('/', 1)[1])\n"
        "atomic._before_swap = show\n"
        f"atomic.replace_checked('app.py', {GOOD.encode()!r}, b'x = 1\\n')\n"
    )
    done = subprocess.run([sys.executable, "-c", script], cwd=project, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert re.fullmatch(r"\.lint-secrets-[0-9a-f]{16}\.tmp", done.stdout.strip()), done.stdout


# ------------------------------------------------------------------ a set-group-ID directory


@pytest.mark.skipif(not IS_ROOT, reason="giving a directory to another group needs root")
def test_a_file_in_a_setgid_directory_keeps_its_own_group(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    shared = project / "shared"
    shared.mkdir()
    os.chown(shared, -1, 23456)
    shared.chmod(0o2775)  # new files here take group 23456, whoever makes them
    path = shared / "app.py"
    path.write_text(GOOD)
    os.chown(path, -1, 0)  # this one was given back to group 0
    path.chmod(0o640)
    assert path.stat().st_gid == 0
    code, _out, err = run(capsys, "check", "--fix", "shared")
    assert code == 0, err
    assert FIXED_MARK in path.read_text()
    info = path.stat()
    assert (info.st_uid, info.st_gid, info.st_mode & 0o7777) == (0, 0, 0o640)


@pytest.mark.skipif(not IS_ROOT, reason="giving a directory to another group needs root")
def test_an_env_file_in_a_setgid_directory_keeps_its_own_group(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    os.chown(project, -1, 23456)
    project.chmod(0o2775)
    env = project / ".env"
    env.write_text("DEBUG=1\n")
    os.chown(env, 12345, 0)
    env.chmod(0o600)
    (project / "app.py").write_text(GOOD)
    code, _out, err = run(capsys, "check", "--fix", "--env-file", ".env", "app.py")
    assert code == 0, err
    info = env.stat()
    assert (info.st_uid, info.st_gid, info.st_mode & 0o7777) == (12345, 0, 0o600)


# ------------------------------------------------------------------ interrupts


def _secret_files(project: Path, count: int = 120) -> Dict[Path, str]:
    """`count` files of some 250 lines, each sending its own secret (about 60 ms of fixing each)."""
    body = "".join(f"def g{j}(x):\n    return [x] * {j}\n\n" for j in range(80))
    files = {}
    for i in range(count):
        path = project / "src" / f"m{i:04d}.py"
        path.parent.mkdir(exist_ok=True)
        text = (
            '"""Module."""\nimport replicate\n\n' + body + 'replicate.run("example/text-to-speech", '
            f'input={{"elevenlabs_api_key": "el-FAKE-{i:04d}-zzzzzzzzzzzz"}})\n'
        )
        path.write_text(text)
        files[path] = text
    return files


def _wait_for_first_fix(files: Dict[Path, str], proc: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + 300  # a busy machine plans every file first, slowly
    while time.monotonic() < deadline and proc.poll() is None:
        if _changed(files):
            return
        time.sleep(0.02)
    pytest.fail("the run never started fixing")


def _start(project: Path, jobs: Optional[int]) -> subprocess.Popen[str]:
    """`check --fix` over src/; with no `jobs`, the plain command line a pre-commit hook runs
    (which runs without click)."""
    workers = [] if jobs is None else ["--jobs", str(jobs)]
    return subprocess.Popen(
        [sys.executable, "-m", "lint_secrets", "check", "--fix", *workers, "src"],
        cwd=project,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )


def _changed(files: Dict[Path, str]) -> Set[Path]:
    return {path for path, text in files.items() if path.read_text() != text}


def _reported(project: Path, err: str) -> List[Path]:
    prefix = "lint-secrets: written before the interrupt: "
    return [project / line[len(prefix) :] for line in err.splitlines() if line.startswith(prefix)]


@pytest.mark.parametrize(
    ("jobs", "how", "code"),
    [
        pytest.param(1, "sigterm-to-the-process", 128 + signal.SIGTERM, id="one-process-sigterm"),
        pytest.param(1, "ctrl-c", 128 + signal.SIGINT, id="one-process-ctrl-c"),
        pytest.param(2, "ctrl-c", 128 + signal.SIGINT, id="pool-ctrl-c"),
        pytest.param(2, "sigterm-to-the-process", 128 + signal.SIGTERM, id="pool-sigterm"),
        pytest.param(None, "ctrl-c", 128 + signal.SIGINT, id="plain-command-line-ctrl-c"),
        pytest.param(None, "sigterm-to-the-process", 128 + signal.SIGTERM, id="plain-command-line-sigterm"),
    ],
)
def test_an_interrupted_fix_stops_cleanly_and_says_what_it_wrote(
    project: Path, jobs: Optional[int], how: str, code: int
) -> None:
    files = _secret_files(project)
    proc = _start(project, jobs)
    _wait_for_first_fix(files, proc)
    if how == "ctrl-c":
        os.killpg(proc.pid, signal.SIGINT)  # a terminal's Ctrl-C: the whole process group
    else:
        proc.send_signal(signal.SIGTERM)  # a supervisor stopping the run
    _out, err = proc.communicate(timeout=120)
    assert proc.returncode == code, err[-2000:]
    assert "Traceback" not in err and "el-FAKE-" not in err
    untouched, fixed = _count(files)  # every file is its old self or wholly fixed
    assert untouched > 0 and fixed > 0, (untouched, fixed)  # stopped partway
    assert temp_files(project) == []
    reported = _reported(project, err)
    assert sorted(reported) == sorted(_changed(files)), err[-3000:]
    assert f"{len(reported)} file(s) written before the interrupt; every other file is as it was" in err
    assert err.rstrip().endswith("lint-secrets: interrupted")


def test_an_interrupt_before_any_write_says_nothing_was_written(project: Path) -> None:
    files = _secret_files(project)
    proc = _start(project, 1)
    time.sleep(1.5)  # into the first pass, which plans every file before writing any
    if _changed(files):
        pytest.skip("this machine reached the writes before the signal")
    proc.send_signal(signal.SIGTERM)
    _out, err = proc.communicate(timeout=120)
    if proc.returncode != 128 + signal.SIGTERM:
        pytest.skip("the run ended before the signal")  # a fast machine: nothing to see here
    assert "Traceback" not in err
    if not _changed(files):
        assert "0 file(s) written before the interrupt" in err
