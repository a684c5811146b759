"""What git knows about a work tree: the files it does not ignore, and the files changed.

Everything runs `git` itself, so `.gitignore` files at every level, `.git/info/exclude`
and the global excludes file mean exactly what they mean to git.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path
from typing import Dict, List, Optional, Sequence, Set

# The empty tree's id: what `--changed` compares with in a repository with no commit yet.
EMPTY_TREE = "4b825dc642cb6eb9a060e54bf8d69288fbee4904"
# Variables that only say how to reach git or configure it; every other GIT_* (GIT_DIR,
# GIT_WORK_TREE, GIT_INDEX_FILE, set while a hook runs) would point `git -C dir` elsewhere.
_KEPT_GIT_VARIABLES = (
    "GIT_EXEC_PATH",
    "GIT_SSH",
    "GIT_SSH_COMMAND",
    "GIT_SSL_CAINFO",
    "GIT_SSL_NO_VERIFY",
    "GIT_CONFIG_GLOBAL",
    "GIT_CONFIG_SYSTEM",
    "GIT_CONFIG_NOSYSTEM",
    "GIT_CONFIG_COUNT",
    "GIT_CEILING_DIRECTORIES",
)


class GitError(Exception):
    """git could not answer; the message says what was asked and why it failed."""


class NotAWorkTree(Exception):
    """The directory is not inside a git work tree (or git is not installed)."""


def _environment() -> Dict[str, str]:
    return {
        name: value
        for name, value in os.environ.items()
        if not name.startswith("GIT_")
        or name in _KEPT_GIT_VARIABLES
        or name.startswith(("GIT_CONFIG_KEY_", "GIT_CONFIG_VALUE_"))
    }


def _git(arguments: Sequence[str], cwd: Path) -> bytes:
    try:
        completed = subprocess.run(
            ["git", *arguments], cwd=cwd, env=_environment(), capture_output=True, check=False
        )
    except FileNotFoundError:
        raise NotAWorkTree("git is not installed") from None
    except OSError as exc:
        raise GitError(f"cannot run git in {cwd}: {exc.strerror or exc}") from None
    if completed.returncode != 0:
        lines = [line.strip() for line in os.fsdecode(completed.stderr).splitlines() if line.strip()]
        # git's own reason is its `fatal:` line; hints around it (safe.directory...) are not.
        reasons = [line for line in lines if line.startswith(("fatal:", "error:"))] or lines
        detail = reasons[0] if reasons else f"exit status {completed.returncode}"
        if "not a git repository" in detail or "must be run in a work tree" in detail:
            raise NotAWorkTree(detail)
        raise GitError(f"git {arguments[0]} failed in {os.path.abspath(cwd)}: {_without_prefix(detail)}")
    return completed.stdout


def _without_prefix(line: str) -> str:
    for prefix in ("fatal: ", "error: "):
        if line.startswith(prefix):
            return line[len(prefix) :]
    return line


def _paths(output: bytes) -> List[str]:
    return [os.fsdecode(entry) for entry in output.split(b"\0") if entry]


def listed_files(
    directory: Path, prune: Sequence[str] = (), suffixes: Sequence[str] = ()
) -> Optional[List[str]]:
    """The files under `directory` that git does not ignore (tracked, or untracked and not
    ignored), relative to it with "/" between parts; None when `directory` is not in a git
    work tree. GitError if git fails.

    `prune`: names of directories git need not look into for untracked files (`.venv`,
    `node_modules`...): finding untracked files is most of git's time on a large tree, and
    a pruned directory costs nothing. Tracked files are listed wherever they are.
    `suffixes`: list only files ending so (git filters faster than Python)."""
    excludes = [f"--exclude={name}" for name in prune]
    pathspecs = [f"*{suffix}" for suffix in suffixes] or ["."]
    if _succeeds(["check-ignore", "-q", "."], directory):
        # A directory named on the command line is checked even when git ignores it as a
        # whole (a virtualenv's site-packages, a pyenv build), as ruff does: walk it.
        return None
    try:
        output = _git(
            ["ls-files", "-z", "--cached", "--others", "--exclude-standard", *excludes, "--", *pathspecs],
            directory,
        )
    except NotAWorkTree:
        return None
    # A path ending in "/" is a nested repository git does not look into.
    return [entry for entry in dict.fromkeys(_paths(output)) if not entry.endswith("/")]


def files_naming(
    directory: Path, words: Sequence[str], prune: Sequence[str] = (), suffix: str = ".py"
) -> Optional[List[str]]:
    """The files under `directory` that git does not ignore (tracked, or untracked and not
    ignored) whose text holds one of `words` as a word, relative to it with "/" between
    parts. `git grep` reads them (in C, in parallel), so a large tree costs little. None when
    `directory` is not in a git work tree, or git fails. `prune`: directory names left out
    (`.venv`, `node_modules`...). Files git ignores are left out, even under a directory
    that git ignores as a whole (a walk would read them)."""
    if not words:
        return None
    arguments = ["grep", "-l", "-z", "--untracked", "-I", "-w", "-F"]
    for word in words:
        arguments += ["-e", word]
    arguments += ["--", f"*{suffix}", *(f":(exclude,glob)**/{name}/**" for name in prune)]
    try:
        completed = subprocess.run(
            ["git", *arguments], cwd=directory, env=_environment(), capture_output=True, check=False
        )
    except OSError:
        return None
    if completed.returncode == 1 and not completed.stderr.strip():
        return []  # nothing matched
    if completed.returncode != 0:
        return None
    return list(dict.fromkeys(_paths(completed.stdout)))


def changed_files(directory: Path, base: Optional[str]) -> Set[str]:
    """Absolute, normalised paths of the files changed in `directory`'s work tree: since the
    merge base of `base` and HEAD (committed or not), or, with no `base`, since HEAD; untracked
    files that are not ignored count as changed. Deleted files are not listed."""
    try:
        top = Path(os.fsdecode(_git(["rev-parse", "--show-toplevel"], directory).strip()))
    except NotAWorkTree:
        raise GitError(f"{directory} is not in a git work tree") from None
    has_head = _succeeds(["rev-parse", "--verify", "--quiet", "HEAD^{commit}"], top)
    if base is not None:
        if not _succeeds(["rev-parse", "--verify", "--quiet", f"{base}^{{commit}}"], top):
            raise GitError(f"{base!r} is not a commit in the repository at {top}")
        since = base
        if has_head:
            since = os.fsdecode(_git(["merge-base", base, "HEAD"], top).strip())
    else:
        since = "HEAD" if has_head else EMPTY_TREE
    changed = _paths(_git(["diff", "--name-only", "-z", "--no-renames", "--diff-filter=d", since, "--"], top))
    if not has_head:
        changed += _paths(_git(["ls-files", "-z", "--cached"], top))
    changed += _paths(_git(["ls-files", "-z", "--others", "--exclude-standard"], top))
    return {os.path.normpath(os.path.join(top, entry)) for entry in changed}


def _succeeds(arguments: Sequence[str], cwd: Path) -> bool:
    try:
        _git(arguments, cwd)
    except (GitError, NotAWorkTree):
        return False
    return True


__all__ = ["GitError", "changed_files", "files_naming", "listed_files"]
