"""`--fix` keeps what a file is, stops when told to, and loses no edit saved meanwhile.

Real files, real owners and extended attributes, real processes and signals.
"""

from __future__ import annotations

import ast
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Dict, Iterator, List, Tuple

import pytest
from conftest import run_cli, sample_project

from lint_secrets import atomic
from lint_secrets.atomic import TEMP_PREFIX, TEMP_SUFFIX
from lint_secrets.fix.apply import FixError, write_atomically

REPO = Path(__file__).resolve().parent.parent
SECRET = "el-FAKE-abcdef1234567890ZZ"
GOOD = (
    "import replicate\n"
    f'replicate.run("example/text-to-speech", input={{"text": "hi", "elevenlabs_api_key": "{SECRET}"}})\n'
)
FIXED_MARK = 'os.environ["ELEVENLABS_API_KEY'  # each file's own key: _2, _3... across the run
IS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    return sample_project(tmp_path / "project", monkeypatch)


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> Tuple[int, str, str]:
    return run_cli(capsys, argv, never_shown=(SECRET,))


def temp_files(root: Path) -> List[Path]:
    return [p for p in root.rglob("*") if p.name.startswith(TEMP_PREFIX) and p.name.endswith(TEMP_SUFFIX)]


# ------------------------------------------------------------------ identity


@pytest.mark.skipif(not IS_ROOT, reason="giving a file to another user needs root")
def test_a_fixed_file_keeps_its_owner_group_and_mode(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = project / "app.py"
    path.write_text(GOOD)
    os.chown(path, 12345, 23456)
    path.chmod(0o664)
    code, _out, err = run(capsys, "check", "--fix", "app.py")
    assert code == 0, err
    assert FIXED_MARK in path.read_text()
    info = path.stat()
    assert (info.st_uid, info.st_gid, info.st_mode & 0o7777) == (12345, 23456, 0o664)


def test_a_fixed_file_keeps_its_extended_attributes(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = project / "app.py"
    path.write_text(GOOD)
    try:
        os.setxattr(path, "user.origin", b"downloaded")
    except OSError as exc:
        pytest.skip(f"this file system has no user extended attributes ({exc.strerror})")
    code, _out, err = run(capsys, "check", "--fix", "app.py")
    assert code == 0, err
    assert FIXED_MARK in path.read_text()
    assert os.getxattr(path, "user.origin") == b"downloaded"


def test_a_file_with_other_hard_links_is_not_rewritten(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = project / "app.py"
    path.write_text(GOOD)
    os.link(path, project / "copy.txt")
    code, out, err = run(capsys, "check", "--fix", "app.py")
    assert code == 2
    assert "app.py: not fixed: 2 hard links" in err
    assert "app.py:2:" in out  # still reported
    assert path.read_text() == GOOD == (project / "copy.txt").read_text()
    assert temp_files(project) == []


def test_write_atomically_refuses_a_hard_link_made_after_the_check(tmp_path: Path) -> None:
    path = tmp_path / "m.py"
    path.write_bytes(b"old\n")
    os.link(path, tmp_path / "other")
    with pytest.raises(FixError, match="2 hard links"):
        write_atomically(str(path), b"old\n", b"new\n")
    assert path.read_bytes() == b"old\n"


def test_a_symlink_stays_a_symlink_and_its_target_is_fixed(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (project / "real").mkdir()
    target = project / "real" / "app.py"
    target.write_text(GOOD)
    link = project / "link.py"
    link.symlink_to("real/app.py")
    code, out, err = run(capsys, "check", "--fix", ".")
    assert code == 0, err
    assert link.is_symlink() and os.readlink(link) == "real/app.py"
    assert FIXED_MARK in target.read_text()
    # Reached twice (the link and the file): analysed and fixed once.
    assert "Fixed 1" in out or "fixed 1 secret" in err


def test_a_file_reached_by_two_symlinks_is_reported_once(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (project / "real").mkdir()
    (project / "real" / "app.py").write_text(GOOD)
    (project / "a.py").symlink_to("real/app.py")
    (project / "b.py").symlink_to("real/app.py")
    code, out, _err = run(capsys, "check", "--output-format", "json", "a.py", "b.py", "real/app.py")
    assert code == 1
    assert out.count('"code": "RS101"') == 1


def test_a_symlink_to_a_file_outside_the_checked_tree_is_not_written(
    tmp_path: Path, project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    outside = tmp_path / "elsewhere.py"
    outside.write_text(GOOD)
    (project / "src").mkdir()
    (project / "src" / "link.py").symlink_to(outside)
    code, out, err = run(capsys, "check", "--fix", "src")
    assert code == 2
    assert "not fixed: its real path is outside the checked paths" in err
    assert "link.py:2:" in out
    assert outside.read_text() == GOOD
    assert (project / "src" / "link.py").is_symlink()


# ------------------------------------------------------------------ races


@pytest.fixture
def in_window() -> Iterator[List[object]]:
    """Run a callback between the last check and the swap, as a concurrent editor would."""
    calls: List[object] = []
    yield calls
    atomic._before_swap = None


def test_an_edit_saved_in_place_just_before_the_swap_is_kept(tmp_path: Path, in_window: List[object]) -> None:
    path = tmp_path / "m.py"
    path.write_bytes(b"old\n")

    def edit(temp: str) -> None:
        in_window.append(Path(temp).read_bytes())
        time.sleep(0.01)  # a later mtime on file systems with coarse timestamps
        with open(path, "ab") as handle:
            handle.write(b"typed meanwhile\n")

    atomic._before_swap = edit
    with pytest.raises(FixError, match="changed on disk while it was being fixed"):
        write_atomically(str(path), b"old\n", b"new\n")
    assert path.read_bytes() == b"old\ntyped meanwhile\n"
    assert list(tmp_path.iterdir()) == [path]
    # The temporary file held exactly the final text: never more secrets than the result.
    assert in_window == [b"new\n"]


def test_an_editor_save_by_rename_just_before_the_swap_is_kept(
    tmp_path: Path, in_window: List[object]
) -> None:
    path = tmp_path / "m.py"
    path.write_bytes(b"old\n")

    def save_by_rename(temp: str) -> None:
        other = tmp_path / "editor-backup"
        other.write_bytes(b"saved by the editor\n")
        os.replace(other, path)

    atomic._before_swap = save_by_rename
    with pytest.raises(FixError, match="changed on disk"):
        write_atomically(str(path), b"old\n", b"new\n")
    assert path.read_bytes() == b"saved by the editor\n"
    assert list(tmp_path.iterdir()) == [path]


# ------------------------------------------------------------------ interrupts and leftovers


def _many_secret_files(project: Path, count: int) -> Dict[Path, str]:
    files = {}
    body = "".join(f"def g{j}(x):\n    return [x] * {j}\n\n" for j in range(400))
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


def _count(files: Dict[Path, str]) -> Tuple[int, int]:
    untouched = fixed = 0
    for path, original in files.items():
        text = path.read_text()
        if text == original:
            untouched += 1
        else:
            ast.parse(text)
            assert "el-FAKE-" not in text and FIXED_MARK in text
            fixed += 1
    return untouched, fixed


def _children(pid: int) -> List[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.append(int(entry.name))
    return found


def _alive(pid: int) -> bool:
    """Running or asleep; a zombie (exited, not yet reaped by a container's init) is gone."""
    try:
        state = (Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state not in ("Z", "X")


def _start_fix(project: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "lint_secrets", "check", "--fix", "--jobs", "2", "src"],
        cwd=project,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )


def _wait_for_first_fix(files: Dict[Path, str], proc: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and proc.poll() is None:
        if any(path.read_text() != text for path, text in files.items()):
            return
        time.sleep(0.02)
    pytest.fail("the run never started fixing")


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_ctrl_c_stops_the_worker_pool_promptly(project: Path) -> None:
    files = _many_secret_files(project, 400)
    proc = _start_fix(project)
    _wait_for_first_fix(files, proc)
    workers = _children(proc.pid)
    os.killpg(proc.pid, signal.SIGINT)  # like Ctrl-C: the whole process group
    _out, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err[-2000:]
    assert "Traceback" not in err and "el-FAKE-" not in err
    untouched, fixed = _count(files)
    assert untouched + fixed == 400
    # Before, the pool went on until nearly every file was fixed.
    assert untouched > 200, (untouched, fixed)
    assert not [pid for pid in workers if _alive(pid)]
    assert temp_files(project) == []


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_sigterm_to_the_parent_leaves_no_orphaned_workers(project: Path) -> None:
    files = _many_secret_files(project, 400)
    proc = _start_fix(project)
    _wait_for_first_fix(files, proc)
    workers = _children(proc.pid)
    assert workers, "expected a worker pool"
    proc.send_signal(signal.SIGTERM)  # the parent alone, as a supervisor does
    _out, err = proc.communicate(timeout=60)
    assert proc.returncode == 128 + signal.SIGTERM, err[-2000:]
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and any(_alive(pid) for pid in workers):
        time.sleep(0.05)
    assert not [pid for pid in workers if _alive(pid)]
    untouched, fixed = _count(files)
    assert untouched > 200, (untouched, fixed)
    assert temp_files(project) == []


def test_a_temp_file_left_by_sigkill_is_ignored_then_removed(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # A writer killed between creating its temporary file and the rename: the file holds
    # the fixed text (no secret), but it is debris. A real process makes it and is killed.
    (project / "app.py").write_text(GOOD)
    script = (
        "import os, sys, time\n"
        "from lint_secrets import atomic\n"
        "def hang(temp):\n"
        "    print(temp, flush=True)\n"
        "    time.sleep(60)\n"
        "atomic._before_swap = hang\n"
        f"atomic.replace_checked('app.py', {GOOD.encode()!r}, b'x = 1\\n')\n"
    )
    proc = subprocess.Popen([sys.executable, "-c", script], cwd=project, stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    temp = Path(project / proc.stdout.readline().strip())
    assert temp.exists()
    code, out, err = run(capsys, "check", ".")  # its writer is alive: left alone
    assert temp.exists()
    proc.kill()
    proc.wait(timeout=30)
    assert temp_files(project) == [temp]
    os.utime(temp, (time.time() - 60, time.time() - 60))
    code, out, err = run(capsys, "check", ".")  # a check writes nothing, so removes nothing
    assert code == 1
    assert "app.py:2:" in out and temp.name not in out
    assert temp_files(project) == [temp]
    code, out, err = run(capsys, "check", "--fix", ".")
    assert code == 0, err
    assert "removed 1 temporary file(s) left by an interrupted run" in err
    assert temp_files(project) == []
    assert FIXED_MARK in (project / "app.py").read_text()


@pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="reads /proc; parent-death signal is Linux's"
)
def test_sigkill_to_the_parent_leaves_no_orphaned_workers(project: Path) -> None:
    files = _many_secret_files(project, 400)
    proc = _start_fix(project)
    _wait_for_first_fix(files, proc)
    workers = _children(proc.pid)
    assert workers, "expected a worker pool"
    proc.kill()
    proc.communicate(timeout=60)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and any(_alive(pid) for pid in workers):
        time.sleep(0.05)
    assert not [pid for pid in workers if _alive(pid)]  # before: asleep forever
    _count(files)  # every file is its old self or fully fixed
