"""`--fix --env-file` under hostile files, full disks and git in doubt: the secret is never lost.

Real files, a real git, a real shell and python-dotenv read the file back; a real full disk
(a tiny tmpfs, where mounting is allowed) and a simulated ENOSPC elsewhere.
"""

from __future__ import annotations

import errno
import os
import shutil
import stat
import subprocess
from pathlib import Path
from typing import Iterator, Tuple

import pytest
from conftest import git
from dotenv import dotenv_values

from lint_secrets import atomic
from lint_secrets.cli import main
from lint_secrets.envfile import EnvFileError, format_line

REPO = Path(__file__).resolve().parent.parent
SCHEMAS = REPO / "fixtures" / "sample" / ".lint-secrets" / "schemas"
EL = "el-FAKE2b1c0f9a8d7e6c5b4a39f8e7"
TTS = '"example/text-to-speech"'
IS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0


def code_with(value: str) -> str:
    return f"import replicate\nreplicate.run({TTS}, input={{'elevenlabs_api_key': {value!r}}})\n"


@pytest.fixture
def root(tmp_path: Path) -> Path:
    project = tmp_path / "project"
    project.mkdir()
    shutil.copytree(SCHEMAS, project / ".lint-secrets" / "schemas")
    (project / "pyproject.toml").write_text("[tool.lint-secrets]\n")
    return project


def fix(
    capsys: pytest.CaptureFixture[str], root: Path, value: str = EL, env: str = ".env"
) -> Tuple[int, str, str]:
    (root / "app.py").write_text(code_with(value))
    code = main(["check", "--fix", "--env-file", str(root / env), str(root / "app.py")])
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    assert value not in out + err or not value
    return code, out, err


def unchanged(root: Path, value: str = EL) -> bool:
    return (root / "app.py").read_text() == code_with(value)


# ------------------------------------------------------------------ writing


def test_a_missing_final_newline_is_added_before_the_new_line(
    root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    env = root / ".env"
    env.write_text("DATABASE_URL=postgres://db/app")  # no final newline
    env.chmod(0o600)
    code, _out, err = fix(capsys, root)
    assert code == 0, err
    assert env.read_text() == f"DATABASE_URL=postgres://db/app\nELEVENLABS_API_KEY={EL}\n"
    assert dotenv_values(env) == {"DATABASE_URL": "postgres://db/app", "ELEVENLABS_API_KEY": EL}


def test_an_inline_comment_does_not_make_the_same_value_a_clash(
    root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    env = root / ".env"
    env.write_text(f"ELEVENLABS_API_KEY={EL}  # from settings\n")
    env.chmod(0o600)
    code, _out, err = fix(capsys, root)
    assert code == 0, err
    assert not unchanged(root)
    assert env.read_text() == f"ELEVENLABS_API_KEY={EL}  # from settings\n"  # nothing added


def test_a_line_the_existing_file_would_swallow_is_caught_by_reading_back(
    root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    env = root / ".env"
    original = "NOTE='an unterminated quote\n"
    env.write_text(original)
    env.chmod(0o600)
    code, _out, err = fix(capsys, root)
    if code == 0:  # python-dotenv skipped the broken line: the new one must read back
        assert dotenv_values(env)["ELEVENLABS_API_KEY"] == EL
    else:
        # Refused by reading back, or before that because a shell would be inside the quote.
        assert "would not read back" in err or "inside an unclosed single quote" in err
        assert "nothing fixed" in err
        assert env.read_text() == original and unchanged(root)


@pytest.mark.parametrize(
    ("value", "line"),
    [
        pytest.param(EL, f"ELEVENLABS_API_KEY={EL}\n", id="plain"),
        pytest.param(
            f"{EL}$(touch pwned)`touch pwned`",
            f"ELEVENLABS_API_KEY='{EL}$(touch pwned)`touch pwned`'\n",
            id="shell-syntax",
        ),
        pytest.param(f"{EL} with spaces #hash", f"ELEVENLABS_API_KEY='{EL} with spaces #hash'\n", id="space"),
    ],
)
def test_values_read_back_the_same_in_dotenv_and_a_shell(
    root: Path, capsys: pytest.CaptureFixture[str], value: str, line: str
) -> None:
    code, _out, err = fix(capsys, root, value)
    assert code == 0, err
    env = root / ".env"
    assert env.read_text() == line
    assert dotenv_values(env) == {"ELEVENLABS_API_KEY": value}
    shell = subprocess.run(
        ["sh", "-c", '. ./.env && printf %s "$ELEVENLABS_API_KEY"'], cwd=root, capture_output=True, text=True
    )
    assert shell.stdout == value
    assert not (root / "pwned").exists()


@pytest.mark.parametrize(
    ("value", "what"),
    [
        (EL + "'quote", "a single quote"),
        (EL + '"quote', "a double quote"),
        (EL + "\\back", "a backslash"),
        (EL + "\nnewline", "a newline"),
        (EL + "\rreturn", "a carriage return"),
        (EL + "\x00nul", "a NUL byte"),
        (EL + "\udc80surrogate", "not valid Unicode"),
    ],
)
def test_values_no_format_carries_safely_are_refused(
    root: Path, capsys: pytest.CaptureFixture[str], value: str, what: str
) -> None:
    code, _out, err = fix(capsys, root, value)
    assert code == 2
    assert what in err and "nothing fixed" in err
    assert len(err.strip().splitlines()) == 1, err
    assert not (root / ".env").exists()
    assert unchanged(root, value)


def test_format_line_refuses_a_name_that_is_not_an_identifier() -> None:
    with pytest.raises(EnvFileError, match="not a valid environment variable name"):
        format_line("A\nB", "x")


# ------------------------------------------------------------------ full disk


@pytest.fixture
def tiny_disk(tmp_path: Path) -> Iterator[Path]:
    mount_point = tmp_path / "disk"
    mount_point.mkdir()
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(mount_point)], capture_output=True
    )
    if done.returncode != 0:
        pytest.skip("cannot mount a tmpfs here (needs root and a permissive container)")
    try:
        yield mount_point
    finally:
        subprocess.run(["umount", str(mount_point)], capture_output=True)


def test_a_full_disk_leaves_the_old_env_file_and_the_code_intact(
    root: Path, tiny_disk: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    env = tiny_disk / ".env"
    original = "DEBUG=1\n" * 100
    env.write_text(original)
    env.chmod(0o600)
    filler = tiny_disk / "filler"
    try:
        with open(filler, "wb", buffering=0) as handle:
            while True:
                handle.write(b"x" * 512)
    except OSError as exc:
        assert exc.errno == errno.ENOSPC
    (root / "app.py").write_text(code_with(EL))
    code = main(["check", "--fix", "--env-file", str(env), str(root / "app.py")])
    _out, err = capsys.readouterr()
    assert code == 2
    assert "cannot write" in err and "nothing fixed" in err
    assert env.read_text() == original
    assert unchanged(root)
    assert [p.name for p in tiny_disk.iterdir() if p.name.startswith(".lint-secrets-")] == []


def test_a_simulated_enospc_leaves_the_old_env_file_and_the_code_intact(
    root: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    env = root / ".env"
    env.write_text("DEBUG=1\n")
    env.chmod(0o600)

    def no_space(descriptor: int) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(atomic.os, "fsync", no_space)
    code, _out, err = fix(capsys, root)
    assert code == 2 and "No space left on device" in err and "nothing fixed" in err
    assert env.read_text() == "DEBUG=1\n"
    assert unchanged(root)
    assert [p for p in root.iterdir() if p.name.startswith(".lint-secrets-")] == []


# ------------------------------------------------------------------ the file itself


def test_loose_permissions_are_tightened_with_a_note(root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    env = root / ".env"
    env.write_text("DEBUG=1\n")
    env.chmod(0o644)
    code, _out, err = fix(capsys, root)
    assert code == 0, err
    assert stat.S_IMODE(env.stat().st_mode) == 0o600
    assert "permissions tightened from 0644 to 0600" in err


def test_a_symlinked_env_file_is_refused(
    root: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    real = tmp_path / "shared.env"
    real.write_text("DEBUG=1\n")
    (root / ".env").symlink_to(real)
    code, _out, err = fix(capsys, root)
    assert code == 2 and "symbolic link" in err
    assert real.read_text() == "DEBUG=1\n" and unchanged(root)


def test_an_env_file_git_does_not_ignore_gets_the_line_to_add(
    root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    git(root, "init", "-q")
    code, _out, err = fix(capsys, root)
    assert code == 0, err
    assert (
        f"warning: {root / '.env'} is not ignored by git: add the line /.env to {root / '.gitignore'}" in err
    )
    (root / ".gitignore").write_text(".env\n")
    (root / ".env").unlink()
    code, _out, err = fix(capsys, root)
    assert code == 0 and "not ignored" not in err


def test_without_git_inside_a_work_tree_the_env_file_is_refused(
    root: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    git(root, "init", "-q")
    empty = tmp_path / "no-git-here"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    code, _out, err = fix(capsys, root)
    assert code == 2
    assert "git cannot say whether it is tracked" in err
    assert not (root / ".env").exists() and unchanged(root)


@pytest.mark.skipif(not IS_ROOT, reason="giving the repository to another user needs root")
def test_dubious_ownership_fails_closed(
    root: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    git(root, "init", "-q")
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))  # no safe.directory from the real user's config
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    os.chown(root, 12345, 12345)
    code, _out, err = fix(capsys, root)
    assert code == 2
    assert "git cannot say whether it is tracked" in err and "dubious ownership" in err
    assert not (root / ".env").exists() and unchanged(root)


# ------------------------------------------------------------------ python-dotenv, only when needed


def _run_python(root: Path, code: str) -> subprocess.CompletedProcess[str]:
    import sys

    return subprocess.run([sys.executable, "-c", code], cwd=root, capture_output=True, text=True, timeout=120)


def test_plain_check_and_fix_do_not_import_dotenv(root: Path) -> None:
    (root / "app.py").write_text(code_with(EL))
    done = _run_python(
        root,
        "import sys\nfrom lint_secrets.cli import main\n"
        "codes = [main(['check', 'app.py']), main(['check', '--fix', 'app.py'])]\n"
        "print(codes, 'dotenv' in sys.modules)\n",
    )
    assert done.stdout.splitlines()[-1] == "[1, 0] False", done.stderr


def test_without_python_dotenv_env_file_stops_with_advice(root: Path) -> None:
    (root / "app.py").write_text(code_with(EL))
    done = _run_python(
        root,
        "import sys\nsys.modules['dotenv'] = None  # as if it were not installed\n"
        "from lint_secrets.cli import main\n"
        "open('.env', 'w').write('DEBUG=1\\n')\n"
        "sys.exit(main(['check', '--fix', '--env-file', '.env', 'app.py']))\n",
    )
    assert done.returncode == 2
    assert "pip install 'lint-secrets[env]'" in done.stderr and "nothing fixed" in done.stderr
    assert "Traceback" not in done.stderr
    assert unchanged(root) and (root / ".env").read_text() == "DEBUG=1\n"
