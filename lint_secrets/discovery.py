"""Which files a run looks at."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterator, List, Sequence, Tuple

from lint_secrets.config import Config, GlobSet, relative_to_root
from lint_secrets.findings import FileError

# The directories ruff skips by default, plus our own cache.
DEFAULT_EXCLUDES: Tuple[str, ...] = (
    ".bzr",
    ".direnv",
    ".eggs",
    ".git",
    ".git-rewrite",
    ".hg",
    ".ipynb_checkpoints",
    ".lint-secrets",
    ".mypy_cache",
    ".nox",
    ".pants.d",
    ".pyenv",
    ".pytest_cache",
    ".pytype",
    ".ruff_cache",
    ".svn",
    ".tox",
    ".venv",
    ".vscode",
    "__pycache__",
    "__pypackages__",
    "_build",
    "buck-out",
    "build",
    "dist",
    "node_modules",
    "site-packages",
    "venv",
)
# Notebooks too: they are where tokens leak most (`.ipynb_checkpoints/` is excluded above).
PYTHON_SUFFIXES = (".py", ".pyi", ".ipynb")


@dataclass(frozen=True)
class Discovery:
    files: Tuple[Path, ...]
    errors: Tuple[FileError, ...]


def discover(paths: Sequence[Path], config: Config, *, force_exclude: bool = False) -> Discovery:
    """Files under `paths`, in a stable order. Named files are kept unless `force_exclude`."""
    globs = exclude_globs(config)
    found: List[Path] = []
    errors: List[FileError] = []
    seen: set[str] = set()

    def excluded(path: Path) -> bool:
        return globs.matches(relative_to_root(path, config.root))

    def excluded_named(path: Path) -> bool:
        return is_excluded(path, config)

    def add(path: Path) -> None:
        key = os.path.normpath(str(path))
        if key not in seen:
            seen.add(key)
            found.append(path)

    for path in paths:
        if path.is_dir():
            # A directory named explicitly is walked even through a symbolic link;
            # links met while walking are not followed.
            if force_exclude and excluded_named(path):
                continue
            for file in _walk(path, excluded):
                add(file)
        elif path.exists():
            if force_exclude and excluded_named(path):
                continue
            add(path)
        elif path.is_symlink():
            errors.append(FileError(str(path), "broken symbolic link"))
        else:
            errors.append(FileError(str(path), "no such file or directory"))
    return Discovery(files=tuple(found), errors=tuple(errors))


def is_excluded(path: Path, config: Config) -> bool:
    """Whether a named path, or a directory it is in, matches an exclude (as in ruff)."""
    globs = exclude_globs(config)
    parts = relative_to_root(path, config.root).split("/")
    for end in range(len(parts), 0, -1):
        if parts[end - 1] in ("", ".", ".."):
            continue
        if globs.matches("/".join(parts[:end])):
            return True
    return False


def exclude_globs(config: Config) -> GlobSet:
    return GlobSet((config.exclude or DEFAULT_EXCLUDES) + config.extend_exclude)


def _walk(top: Path, excluded: Callable[[Path], bool]) -> Iterator[Path]:
    stack = [top]
    while stack:
        directory = stack.pop()
        try:
            with os.scandir(directory) as it:
                entries = sorted(it, key=lambda e: e.name)
        except OSError:
            continue
        subdirs: List[Path] = []
        for entry in entries:
            path = directory / entry.name
            try:
                if entry.is_dir(follow_symlinks=False):
                    if not excluded(path) and not (path / "pyvenv.cfg").exists():
                        subdirs.append(path)
                elif entry.name.endswith(PYTHON_SUFFIXES) and entry.is_file(follow_symlinks=True):
                    if not excluded(path):
                        yield path
            except OSError:
                continue
        stack.extend(reversed(subdirs))
