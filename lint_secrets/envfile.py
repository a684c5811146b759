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
    links = env_file.stat().st_nlink if env_file.exists() else 1
    if links > 1:
        return _hard_links(links)
    return _git_refusal(env_file)


def _hard_links(links: int) -> str:
    # Written whole and renamed into place, the file would part from its other names: they
    # would keep the old text, and whatever shares them would not get the values.
    return f"has {links} hard links, which writing it would part; give a file with one link"


# Variables that tell git where the repository is: set, they make git's answer the only one.
_GIT_LOCATION_VARIABLES = ("GIT_DIR", "GIT_WORK_TREE", "GIT_COMMON_DIR", "GIT_INDEX_FILE")


def _git(directory: Path, *args: str) -> Tuple[int, str, str]:
    """git's exit code, output and first line of errors, run as the user's own git would be:
    in the file's directory, under this process's environment (GIT_DIR, GIT_WORK_TREE...)."""
    done = subprocess.run(["git", *args], cwd=directory, capture_output=True, text=True, timeout=30)
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    reasons = [line for line in lines if line.startswith(("fatal:", "error:"))] or lines
    return done.returncode, done.stdout, reasons[0] if reasons else ""


def _may_be_in_a_repository(directory: Path) -> bool:
    """Whether anything says a repository could hold `directory` (for when git can't answer)."""
    if any(os.environ.get(name) for name in _GIT_LOCATION_VARIABLES):
        return True
    return any((parent / ".git").exists() for parent in [directory, *directory.parents])


def _work_tree_top(env_file: Path) -> Tuple[Optional[Path], Optional[str]]:
    """The top of the git work tree that holds `env_file` (None: none does), or why git
    could not say: asked of git itself, so GIT_DIR, GIT_WORK_TREE, worktrees and
    `core.worktree` mean what they mean to git."""
    directory = env_file.absolute().parent

    def doubt(reason: str) -> Tuple[Optional[Path], Optional[str]]:
        return (
            None,
            f"may be in a git work tree, and git cannot say whether it is tracked ({reason}); refused",
        )

    try:
        code, out, message = _git(directory, "rev-parse", "--is-inside-work-tree")
        if code == 0 and out.strip() == "true":
            code, out, message = _git(directory, "rev-parse", "--show-toplevel")
            if code == 0 and out.strip():
                return Path(out.strip()), None
    except FileNotFoundError:
        return doubt("git is not installed") if _may_be_in_a_repository(directory) else (None, None)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return doubt(type(exc).__name__)
    if code == 0:
        return None, None  # "false": outside the work tree GIT_WORK_TREE names, or inside .git
    if "not a git repository" in message and not _may_be_in_a_repository(directory):
        return None, None
    return doubt(message or f"git exited with {code}")


def _git_refusal(env_file: Path) -> Optional[str]:
    top, problem = _work_tree_top(env_file)
    if problem is not None or top is None:
        return problem
    # Inside a work tree, git must say the file is untracked: any doubt fails closed.
    directory = env_file.absolute().parent
    try:
        code, _, message = _git(directory, "ls-files", "--error-unmatch", "--", env_file.name)
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
    """Warnings worth a line: the file is not ignored by git."""
    try:
        top, problem = _work_tree_top(env_file)
        if top is None or problem is not None:
            return []
        code, _, _ = _git(env_file.absolute().parent, "check-ignore", "-q", "--", env_file.name)
    except (OSError, subprocess.TimeoutExpired):
        return []
    if code != 1:
        return []
    line = "/" + os.path.relpath(os.path.realpath(env_file.absolute()), top).replace(os.sep, "/")
    return [f"warning: {env_file} is not ignored by git: add the line {line} to {top / '.gitignore'}"]


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

    The file is written whole (temporary file, then rename; mode 0600, its owner and group
    kept), so a full disk or an interrupt leaves the old file as it was. Before and after
    writing, every name is read back with python-dotenv and must give its value. An existing
    text a shell would not end where it ends (an open quote, a trailing backslash) is refused:
    `source` would read the new lines as part of it. EnvFileError or OSError: nothing was
    written.
    """
    from lint_secrets.atomic import UnsafeWrite, replace_checked

    messages: List[str] = []
    old = env_file.read_bytes() if env_file.exists() else b""
    old_text = old.decode("utf-8", errors="replace")
    existing = {n: v for n, v in _dotenv_values(old_text).items() if v is not None}
    written = tuple(name for name in sorted(values) if name not in existing)
    if not written:
        return (), messages
    lines = "".join(format_line(name, values[name]) for name in written)
    separator = b"\n" if old and not old.endswith((b"\n", b"\r")) else b""
    unfinished = shell_unfinished(old_text + separator.decode())
    if unfinished is not None:
        raise EnvFileError(
            f"a shell reading it would still be inside {unfinished} at its end, so "
            "`source` would read the new lines as part of it; end that line first, or set the values by hand"
        )
    new = old + separator + lines.encode("utf-8")
    _verify(new.decode("utf-8", errors="replace"), values, env_file)
    if env_file.is_symlink():  # made since the run began
        raise EnvFileError("is a symbolic link; give the real file")
    if env_file.exists():
        mode = stat.S_IMODE(env_file.stat().st_mode)
        if mode & 0o077:
            messages.append(
                f"note: {env_file}: permissions tightened from {mode:04o} to 0600 (it holds secrets)"
            )
        try:
            replace_checked(str(env_file), old, new, mode=0o600)
        except UnsafeWrite as exc:
            raise EnvFileError(_unsafe_reason(str(exc))) from None
    else:
        replace_file(env_file, new, mode=0o600)
    _verify(env_file.read_bytes().decode("utf-8", errors="replace"), values, env_file)
    return written, messages


def _unsafe_reason(reason: str) -> str:
    if reason.endswith("hard links"):
        return _hard_links(int(reason.split()[0]))
    return reason


def shell_unfinished(text: str) -> Optional[str]:
    """What a POSIX shell reading `text` would still be inside at its end, if anything: an
    unclosed quote, `$(...)`, `${...}`, backquote or parenthesis, a line continued by a
    trailing backslash, or a here-document. None when the next line would start afresh.

    A lexer for what decides where a command ends, not a shell: it runs nothing, and it does
    not judge whether each line would run without error.
    """
    stack: List[str] = []  # open contexts: ' " $( ${ ` (
    i, length = 0, len(text)
    word_start = True
    while i < length:
        char = text[i]
        top = stack[-1] if stack else ""
        if top == '"':
            if char == "\\":
                i += 2
                continue
            if char == '"':
                stack.pop()
            elif char == "`":
                stack.append("`")
            elif text.startswith("$(", i) or text.startswith("${", i):
                stack.append(text[i : i + 2])
                i += 1
            i += 1
            continue
        if top == "`":
            if char == "\\":
                i += 2
                continue
            if char == "`":
                stack.pop()
            i += 1
            continue
        # Unquoted: at the top level, or inside $( ), ${ } or ( ).
        if char == "#" and word_start and top != "${":
            end = text.find("\n", i)
            i = length if end < 0 else end
            continue
        word_start = char in " \t\n;&|()"
        if char == "\\":
            if i + 1 >= length:
                return "a line continued by a trailing backslash"
            if text[i + 1] == "\n" and i + 2 >= length:
                return "a line continued by a trailing backslash"
            i += 2
            word_start = False
            continue
        if char == "'":
            end = text.find("'", i + 1)
            if end < 0:
                return "an unclosed single quote"
            i = end + 1
            continue
        if char == '"' or char == "`":
            stack.append(char)
        elif text.startswith("$(", i) or text.startswith("${", i):
            stack.append(text[i : i + 2])
            i += 1
        elif char == "(":
            stack.append("(")
        elif char == ")" and top in ("$(", "("):
            stack.pop()
        elif char == "}" and top == "${":
            stack.pop()
        elif text.startswith("<<", i) and top != "${":
            return "a here-document (<<)"
        i += 1
    if stack:
        return {
            '"': "an unclosed double quote",
            "`": "an unclosed backquote",
            "$(": "an unclosed $(...)",
            "${": "an unclosed ${...}",
            "(": "an unclosed parenthesis",
        }[stack[-1]]
    return None


def _verify(text: str, values: Mapping[str, str], env_file: Path) -> None:
    read_back = _dotenv_values(text)
    wrong = sorted(name for name in values if read_back.get(name) != values[name])
    if wrong:
        raise EnvFileError(f"{', '.join(wrong)} would not read back with the value the fix removes")
