"""The opt-in dotenv file that keeps the values `--fix` takes out of the code.

Existing files are read with python-dotenv (imported only here, only with `--env-file`),
so quoting, `export` and inline comments mean what they mean to the program that loads
the file. New lines are written as `NAME=value` when the value is plain token characters,
`NAME='value'` otherwise; a value no format can carry safely to every reader is refused.
"""

from __future__ import annotations

import io
import os
import re
import stat
import subprocess
from pathlib import Path
from typing import Dict, List, Mapping, Optional, Tuple

from lint_secrets.atomic import replace_file

ENV_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
# Read the same, unquoted, by python-dotenv, `docker --env-file` and a POSIX shell.
PLAIN_VALUE = re.compile(r"[A-Za-z0-9_.\-/:+@%,]+")
# Meaningful inside single quotes to one reader and not another, or not representable.
UNSAFE_CHARACTERS = {"'": "a single quote", '"': "a double quote", "\\": "a backslash", "\n": "a newline",
                     "\r": "a carriage return", "\x00": "a NUL byte"}  # fmt: skip


class EnvFileError(Exception):
    """One line: why the env file can't take the values; nothing was written."""


def _dotenv_values(text: str) -> Dict[str, Optional[str]]:
    try:
        from dotenv import dotenv_values
    except ImportError:
        raise EnvFileError(
            "--env-file needs python-dotenv to read the file as your program will: "
            "pip install 'lint-secrets[env]'"
        ) from None
    return dict(dotenv_values(stream=io.StringIO(text), interpolate=False))


def refusal(env_file: Path) -> Optional[str]:
    """Why the dotenv file must not receive secrets, if it must not."""
    if env_file.is_symlink():
        return "is a symbolic link; give the real file"
    directory = env_file.absolute().parent
    if not directory.is_dir():
        return "its directory does not exist"
    if env_file.exists() and not env_file.is_file():
        return "is not a regular file"
    if env_file.exists() and not os.access(env_file, os.W_OK):
        return "is not writable"
    return _git_refusal(env_file)


def _inside_git_work_tree(directory: Path) -> bool:
    return any((parent / ".git").exists() for parent in [directory, *directory.parents])


def _git(directory: Path, *args: str) -> Tuple[int, str]:
    from lint_secrets.git import git_command  # runs no program the repository's config names

    done = subprocess.run(
        git_command(args, directory), cwd=directory, capture_output=True, text=True, timeout=30
    )
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    return done.returncode, lines[0] if lines else ""


def _git_refusal(env_file: Path) -> Optional[str]:
    directory = env_file.absolute().parent
    if not _inside_git_work_tree(directory):
        return None
    # Inside a work tree, git must say the file is untracked: any doubt fails closed.
    try:
        code, message = _git(directory, "ls-files", "--error-unmatch", "--", env_file.name)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return (
            f"is in a git work tree and git cannot say whether it is tracked ({type(exc).__name__}); refused"
        )
    if code == 0:
        return "is tracked by git; secrets must not be committed (use an untracked file)"
    if code != 1:
        return f"is in a git work tree and git cannot say whether it is tracked ({message}); refused"
    return None


def notes(env_file: Path) -> List[str]:
    """Warnings worth a line: the file is not ignored by git, or its permissions were loose."""
    from lint_secrets.git import git_command

    found: List[str] = []
    directory = env_file.absolute().parent
    if _inside_git_work_tree(directory):
        try:
            code, _ = _git(directory, "check-ignore", "-q", "--", env_file.name)
            top = subprocess.run(
                git_command(["rev-parse", "--show-toplevel"], directory),
                cwd=directory,
                capture_output=True,
                text=True,
                timeout=30,
            ).stdout.strip()
        except (OSError, subprocess.TimeoutExpired):
            code, top = 0, ""
        if code == 1 and top:
            line = "/" + os.path.relpath(env_file.absolute(), top).replace(os.sep, "/")
            gitignore = Path(top) / ".gitignore"
            found.append(f"warning: {env_file} is not ignored by git: add the line {line} to {gitignore}")
    return found


def existing_values(env_file: Path) -> Dict[str, str]:
    """The variables the file defines, as python-dotenv reads them."""
    if not env_file.exists():
        return {}
    text = env_file.read_bytes().decode("utf-8", errors="replace")
    return {name: value for name, value in _dotenv_values(text).items() if value is not None}


def clashes(env_file: Path, values: Mapping[str, str]) -> List[str]:
    """Names the file already holds with another value: fixing would switch the code's key."""
    existing = existing_values(env_file)
    return sorted(name for name in values if name in existing and existing[name] != values[name])


def format_line(name: str, value: str) -> str:
    """`NAME=value`, or `NAME='value'`; EnvFileError for what can't be written safely."""
    if not ENV_NAME.fullmatch(name):
        raise EnvFileError(f"{name!r} is not a valid environment variable name")
    for character, what in UNSAFE_CHARACTERS.items():
        if character in value:
            raise EnvFileError(f"the value for {name} contains {what}; set it by hand")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise EnvFileError(f"the value for {name} is not valid Unicode; set it by hand") from None
    if PLAIN_VALUE.fullmatch(value):
        return f"{name}={value}\n"
    return f"{name}='{value}'\n"


def append(env_file: Path, values: Mapping[str, str]) -> Tuple[Tuple[str, ...], List[str]]:
    """Add a line for each name the file lacks; the names written, and notes to show.

    The file is written whole (temporary file, then rename; mode 0600), so a full disk or
    an interrupt leaves the old file as it was. Before and after writing, every name is
    read back with python-dotenv and must give its value. EnvFileError or OSError: nothing
    was written.
    """
    messages: List[str] = []
    old = env_file.read_bytes() if env_file.exists() else b""
    old_text = old.decode("utf-8", errors="replace")
    existing = {n: v for n, v in _dotenv_values(old_text).items() if v is not None}
    written = tuple(name for name in sorted(values) if name not in existing)
    if not written:
        return (), messages
    lines = "".join(format_line(name, values[name]) for name in written)
    separator = b"\n" if old and not old.endswith((b"\n", b"\r")) else b""
    new = old + separator + lines.encode("utf-8")
    _verify(new.decode("utf-8", errors="replace"), values, env_file)
    if env_file.exists():
        mode = stat.S_IMODE(env_file.stat().st_mode)
        if mode & 0o077:
            messages.append(
                f"note: {env_file}: permissions tightened from {mode:04o} to 0600 (it holds secrets)"
            )
    replace_file(env_file, new, mode=0o600)
    _verify(env_file.read_bytes().decode("utf-8", errors="replace"), values, env_file)
    return written, messages


def _verify(text: str, values: Mapping[str, str], env_file: Path) -> None:
    read_back = _dotenv_values(text)
    wrong = sorted(name for name in values if read_back.get(name) != values[name])
    if wrong:
        raise EnvFileError(
            f"{env_file}: {', '.join(wrong)} would not read back with the value the fix removes"
        )
