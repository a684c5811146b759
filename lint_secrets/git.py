"""What git knows about a work tree: the files it does not ignore, and the files changed.

Everything runs `git` itself, so `.gitignore` files at every level, `.git/info/exclude`
and the global excludes file mean exactly what they mean to git.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Dict, List, Optional, Sequence, Set, Tuple

from lint_secrets.records import Record

if TYPE_CHECKING:
    import subprocess

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


class GitRefused(GitError):
    """git will not work in the repository: it belongs to someone else ("dubious ownership")."""


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


# A checked directory may be anyone's (a clone under review, an unpacked archive), and its
# .git/config is as untrusted as its code: configuration that makes git run a program is
# overridden on every call. `-c` wins over every configuration file, and git passes it on
# to the git processes it starts itself.
NEUTRAL_CONFIG: Tuple[str, ...] = (
    "core.fsmonitor=false",  # a hook command run by ls-files, check-ignore, diff...
    "core.hooksPath=/dev/null",
    "core.pager=cat",
    "diff.external=",
    "protocol.allow=never",  # nothing here fetches; a submodule must not start to
)
# Global options for every call: no pager, and no index refresh written behind our back.
_GLOBAL_OPTIONS: Tuple[str, ...] = ("--no-pager", "--no-optional-locks")
# Commands that read work-tree files through the filters `.gitattributes` names (a racy or
# modified file is hashed through its clean filter): each configured filter is switched off.
_READS_CONTENTS = frozenset({"diff"})
# No external diff or textconv program, and no `git status` run inside each submodule.
_DIFF_OPTIONS = (
    "--name-only",
    "-z",
    "--no-renames",
    "--diff-filter=d",
    "--no-ext-diff",
    "--no-textconv",
    "--ignore-submodules=dirty",
)
_FILTER_KEY = re.compile(r"^filter\.(?P<driver>.+)\.(?:clean|smudge|process|required)$")


def git_command(arguments: Sequence[str], cwd: Path) -> List[str]:
    """The command line that runs `git arguments` in `cwd` without running any program the
    repository's configuration or attributes name (hooks, fsmonitor, filters, textconv,
    external diff)."""
    command = ["git", *_GLOBAL_OPTIONS]
    for setting in NEUTRAL_CONFIG:
        command += ["-c", setting]
    if arguments and arguments[0] in _READS_CONTENTS:
        for driver in _filter_drivers(cwd):
            for key, value in (("clean", ""), ("smudge", ""), ("process", ""), ("required", "false")):
                command += ["-c", f"filter.{driver}.{key}={value}"]
    return [*command, *arguments]


def _filter_drivers(cwd: Path) -> List[str]:
    """The filter drivers configured for `cwd`'s repository (any level, includes too).
    Reading configuration runs nothing."""
    try:
        output = _git(["config", "--list", "-z"], cwd)
    except (GitError, NotAWorkTree):
        return []
    drivers: Dict[str, None] = {}
    for entry in output.split(b"\0"):
        key = os.fsdecode(entry.partition(b"\n")[0])
        match = _FILTER_KEY.match(key)
        if match:
            drivers[match.group("driver")] = None
    return list(drivers)


def _run_git(arguments: Sequence[str], cwd: Path) -> subprocess.CompletedProcess[bytes]:
    """git with `arguments` in `cwd`, as every call here runs it: our environment, no input,
    output captured. OSError when git can't be started."""
    # Imported here: a run over files named on the command line never asks git.
    import subprocess

    return subprocess.run(
        git_command(arguments, cwd),
        cwd=cwd,
        env=_environment(),
        capture_output=True,
        check=False,
        stdin=subprocess.DEVNULL,
    )


def _git(arguments: Sequence[str], cwd: Path) -> bytes:
    try:
        completed = _run_git(arguments, cwd)
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
        if "dubious ownership" in detail:
            raise GitRefused(
                f"git refuses the repository at {os.path.abspath(cwd)}: it belongs to another user "
                "(`git config --global --add safe.directory DIR` trusts it)"
            )
        raise GitError(f"git {arguments[0]} failed in {os.path.abspath(cwd)}: {_without_prefix(detail)}")
    return completed.stdout


def _without_prefix(line: str) -> str:
    for prefix in ("fatal: ", "error: "):
        if line.startswith(prefix):
            return line[len(prefix) :]
    return line


def _paths(output: bytes) -> List[str]:
    return [os.fsdecode(entry) for entry in output.split(b"\0") if entry]


def top_level(directory: Path) -> Optional[Path]:
    """The top of the work tree `directory` is in; None outside one, or when git can't say."""
    try:
        top = os.fsdecode(_git(["rev-parse", "--show-toplevel"], directory).strip())
    except (GitError, NotAWorkTree):
        return None
    return Path(top) if top else None


@dataclass(frozen=True, repr=False, eq=False)
class Listing(Record):
    """What git lists under a directory, relative to it with "/" between parts."""

    files: List[str]
    # Other work trees inside: submodules, and repositories git does not look into
    # (untracked, with a `.git` of their own). Their files are theirs to list.
    repositories: List[str]


def listed_files(
    directory: Path, prune: Sequence[str] = (), suffixes: Sequence[str] = (), names: Sequence[str] = ()
) -> Optional[Listing]:
    """The files under `directory` that git does not ignore (tracked, or untracked and not
    ignored); None when `directory` is not in a git work tree, or git ignores it as a whole.
    GitRefused when git will not work in the repository, GitError if git fails.

    `prune`: names of directories git need not look into for untracked files (`.venv`,
    `node_modules`...): finding untracked files is most of git's time on a large tree, and
    a pruned directory costs nothing. Tracked files are listed wherever they are.
    `suffixes`: list only files ending so (git filters faster than Python); `names`: and
    files with these names."""
    if not could_be_in_work_tree(directory):
        return None
    excludes = [f"--exclude={name}" for name in prune]
    # "*/" lists the repositories git does not look into, as "name/".
    pathspecs = [*(f"*{suffix}" for suffix in suffixes), *(f"*{name}" for name in names), "*/"]
    if not suffixes and not names:
        pathspecs = ["."]
    try:
        _git(["check-ignore", "-q", "."], directory)
    except NotAWorkTree:
        return None
    except GitRefused:
        raise
    except GitError:
        pass  # exit status 1: not ignored (a broken repository fails again below, and says why)
    else:
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
    files: List[str] = []
    repositories: List[str] = []
    for entry in dict.fromkeys(_paths(output)):
        if entry.endswith("/"):
            repositories.append(entry.rstrip("/"))
        else:
            files.append(entry)
    return Listing(files, repositories + _submodules(directory))


def _submodules(directory: Path) -> List[str]:
    """The submodules (gitlinks) under `directory`, relative to it. Asked only of a
    repository with a `.gitmodules`, so most runs pay nothing for them."""
    top = Path(os.path.abspath(directory))
    for candidate in (top, *top.parents):
        if (candidate / ".git").exists():
            if not (candidate / ".gitmodules").is_file():
                return []
            break
    else:
        return []
    output = _git(["ls-files", "-z", "--cached", "--stage"], directory)
    if not (output.startswith(b"160000 ") or b"\x00160000 " in output):
        return []
    return [os.fsdecode(path) for path in _GITLINK.findall(output)]


_GITLINK = re.compile(rb"(?:^|\x00)160000 [0-9a-f]+ [0-3]\t([^\x00]*)")


@lru_cache(maxsize=1024)
def work_tree_top(directory: str) -> Optional[str]:
    """The top-level of the git work tree holding `directory` (an absolute path): the nearest
    directory at or above it with a `.git` entry (a directory, or a worktree's or submodule's
    file). Found on the file system, without running git: it is asked once per directory of
    every file checked."""
    current = directory
    while True:
        if os.path.exists(os.path.join(current, ".git")):
            return current
        parent = os.path.dirname(current)
        if parent == current:
            return None
        current = parent


def could_be_in_work_tree(directory: Path) -> bool:
    """Whether git may find a work tree holding `directory`: there is a `.git` at or above
    it. git runs here without GIT_DIR or GIT_WORK_TREE (`_environment`), so where there is
    none it could only say so, and starting it to hear that costs a run outside any
    repository (a tree named from elsewhere, an unpacked archive) a few ms."""
    return work_tree_top(os.path.abspath(directory)) is not None


def files_naming(
    directory: Path, words: Sequence[str], prune: Sequence[str] = (), suffix: str = ".py"
) -> Optional[List[str]]:
    """The files under `directory` that git does not ignore (tracked, or untracked and not
    ignored) whose text holds one of `words` as a word, relative to it with "/" between
    parts. `git grep` reads them (in C, in parallel), so a large tree costs little. None when
    `directory` is not in a git work tree, or git fails. `prune`: directory names left out
    (`.venv`, `node_modules`...). Files git ignores are left out, even under a directory
    that git ignores as a whole (a walk would read them)."""
    if not words or not could_be_in_work_tree(directory):
        return None
    arguments = ["grep", "-l", "-z", "--untracked", "-I", "-w", "-F"]
    for word in words:
        arguments += ["-e", word]
    arguments += ["--", f"*{suffix}", *(f":(exclude,glob)**/{name}/**" for name in prune)]
    try:
        completed = _run_git(arguments, directory)
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
            try:
                since = os.fsdecode(_git(["merge-base", base, "HEAD"], top).strip())
            except GitError:
                raise GitError(_no_merge_base(base, top)) from None
    else:
        since = "HEAD" if has_head else EMPTY_TREE
    return _changed_since(top, since, has_head)


def _changed_since(top: Path, since: str, has_head: bool) -> Set[str]:
    """What changed in the work tree at `top` since the commit (or tree) `since`, and inside
    its submodules since the commits `since` records for them. A repository of its own that
    the work tree does not track (an untracked clone) is new: all of its files changed."""
    changed = _paths(_git(["diff", *_DIFF_OPTIONS, since, "--"], top))
    if not has_head:
        changed += _paths(_git(["ls-files", "-z", "--cached"], top))
    changed += _paths(_git(["ls-files", "-z", "--others", "--exclude-standard"], top))
    found: Set[str] = set()
    for entry in changed:
        if entry.endswith("/"):
            found |= _every_file(top / entry.rstrip("/"))
        else:
            found.add(os.path.normpath(os.path.join(top, entry)))
    for name in _submodules(top):
        submodule = top / name
        if not (submodule / ".git").exists():
            continue  # not checked out: nothing there to check
        recorded = _recorded_commit(top, since, name)
        if recorded is None or not _succeeds(["cat-file", "-e", f"{recorded}^{{commit}}"], submodule):
            found |= _every_file(submodule)  # added since, or its old commit isn't here to compare
        else:
            found |= _changed_since(submodule, recorded, True)
    return found


def _recorded_commit(top: Path, since: str, name: str) -> Optional[str]:
    """The commit `since` records for the submodule at `name`; None if it had none there."""
    for entry in _paths(_git(["ls-tree", "-z", since, "--", name], top)):
        info, _, path = entry.partition("\t")
        parts = info.split()
        if path == name and len(parts) == 3 and parts[1] == "commit":
            return parts[2]
    return None


def _every_file(directory: Path) -> Set[str]:
    """Every file git lists in the work tree at `directory`, and in the ones inside it."""
    listing = listed_files(directory)
    if listing is None:
        return set()
    found = {os.path.normpath(os.path.join(directory, entry)) for entry in listing.files}
    for name in listing.repositories:
        if (directory / name / ".git").exists():
            found |= _every_file(directory / name)
    return found


def _no_merge_base(base: str, top: Path) -> str:
    message = f"{base!r} and HEAD have no common commit in the repository at {top}"
    try:
        shallow = _git(["rev-parse", "--is-shallow-repository"], top).strip() == b"true"
    except (GitError, NotAWorkTree):
        shallow = False
    if shallow:
        # actions/checkout and GitLab CI clone one commit (or a few) unless told otherwise.
        message += (
            ": this is a shallow clone, so the history that joins them is missing; fetch it "
            "(`git fetch --unshallow`, or `fetch-depth: 0` for actions/checkout, "
            "`GIT_DEPTH: 0` in GitLab CI)"
        )
    return message


def _succeeds(arguments: Sequence[str], cwd: Path) -> bool:
    try:
        _git(arguments, cwd)
    except (GitError, NotAWorkTree):
        return False
    return True


__all__ = [
    "NEUTRAL_CONFIG",
    "GitError",
    "GitRefused",
    "Listing",
    "changed_files",
    "files_naming",
    "git_command",
    "listed_files",
    "top_level",
]
