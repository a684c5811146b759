"""`--fix` and its temporary files: what a run may remove, the group a fixed file keeps in a
set-group-ID directory, and what an interrupted run says it wrote.

Real files, owners and directories; real processes and signals.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Tuple

import pytest

from lint_secrets.atomic import TEMP_PREFIX, TEMP_SUFFIX
from lint_secrets.cli import main

REPO = Path(__file__).resolve().parent.parent
SAMPLE_CACHE = REPO / "fixtures" / "sample" / ".lint-secrets"
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
    root = tmp_path / "project"
    root.mkdir()
    (root / "pyproject.toml").write_text("[tool.lint-secrets]\n")
    shutil.copytree(SAMPLE_CACHE, root / ".lint-secrets")
    monkeypatch.chdir(root)
    return root


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> Tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    assert SECRET not in out + err
    return code, out, err


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
