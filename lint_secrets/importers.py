"""Which files of a project import which: the run-level half of following imports.

A Replicate call in one module can send a literal written in another (`from .config import
HF_TOKEN`), through a client made in another (`from .clients import client`). The analysis
follows such imports from the file it checks (analysis/project.py). This module finds, for
a run, the files that analysis has to start from but the byte prefilter would skip:

- a checked file that imports nothing of Replicate's itself but uses a Replicate object of
  a module of its project that does (`from .clients import client; client.run(...)`);
- a file of the project that is *not* checked but calls Replicate with a literal written in
  a checked one: a commit that stages only `settings.py`, whose new `HF_TOKEN = "hf_..."`
  reaches a call in `app.py`, must fail. Only runs that leave some of the project's files
  unchecked (named files, pre-commit, `--changed`) look for these: the project's Python
  files are listed as discovery lists them and tested on their bytes (imports `replicate`,
  names the checked module in an import line); only the few that pass are analysed.

Bytes only, here: nothing is parsed before a file is known to matter.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Dict, Iterable, List, Optional, Sequence, Set, Tuple

from lint_secrets.module_paths import ModulePaths
from lint_secrets.prefilter import imported_modules
from lint_secrets.source import SourceError, read_source

if TYPE_CHECKING:
    from lint_secrets.checker import CheckOptions, FileResult, ImportedFinding
    from lint_secrets.config import Config

CheckEach = Callable[..., List["FileResult"]]

_IMPORT_LINE = re.compile(rb"^[ \t]*(?:from|import)[ \t]", re.MULTILINE)
_WORD_BYTES = frozenset(b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_")


def display_path(path: str) -> str:
    """A file outside the checked ones, as reports name it: from the working directory when
    it is below it, else in full."""
    relative = os.path.relpath(path)
    return path if relative.startswith(os.pardir) else relative


def _under(path: str, directory: str) -> bool:
    return path == directory or path.startswith(directory.rstrip(os.sep) + os.sep)


def _module_parts(path: str) -> List[str]:
    """`pkg/sub/config.py` -> [..., "pkg", "sub", "config"]; a package's `__init__.py` is the package."""
    parts = Path(path).with_suffix("").parts
    return list(parts[:-1]) if parts[-1] == "__init__" else list(parts)


def _in_import(data: bytes, word: str) -> bool:
    """Whether `word` stands as a word on an import line of `data` (or inside the brackets
    of a `from x import (...)` spanning lines)."""
    needle = word.encode("utf-8", "replace")
    at = data.find(needle)
    while at != -1:
        end = at + len(needle)
        if (at == 0 or data[at - 1] not in _WORD_BYTES) and (
            end == len(data) or data[end] not in _WORD_BYTES
        ):
            line_start = data.rfind(b"\n", 0, at) + 1
            if _IMPORT_LINE.match(data, line_start):
                return True
            opened = data.rfind(b"import (", 0, at)
            if opened == -1:
                opened = data.rfind(b"import(", 0, at)
            if (
                opened != -1
                and b")" not in data[opened:at]
                and _IMPORT_LINE.match(data, data.rfind(b"\n", 0, opened) + 1)
            ):
                return True
        at = data.find(needle, end)
    return False


def may_import(project: ModulePaths, importer: str, data: bytes, module: str) -> bool:
    """Whether the bytes of `importer` can import the file `module` (both absolute): the
    module's name is on an import line, and the module is where the importer's imports
    look, under the package name the importer writes (or in its own package, for a
    relative import)."""
    module_parts = _module_parts(module)
    if not module_parts or not _in_import(data, module_parts[-1]):
        return False
    importer_dir = os.path.dirname(importer)
    for root in project.import_roots(importer):
        if not _under(module, root):
            continue
        dotted = _module_parts(os.path.relpath(module, root))
        if len(dotted) == 1 or _in_import(data, dotted[0]):
            return True
        top = _module_parts(os.path.relpath(importer_dir, root))
        if top and top[0] == dotted[0] and top[0] != os.pardir:
            return True  # the same package: `from .config import ...`
    return False


def _read(path: str) -> Optional[bytes]:
    try:
        return read_source(path)
    except SourceError:
        return None


def _project_files(
    root: str, config_for: Optional[Callable[[str], Config]], options: CheckOptions
) -> List[str]:
    """The project's Python files as a check of its root would list them."""
    from lint_secrets.config import ConfigError, ConfigResolver
    from lint_secrets.discovery import discover
    from lint_secrets.git import GitError

    # The run's own resolver (its command-line overrides included) when `config_for` is its method.
    owner = getattr(config_for, "__self__", None)
    resolver = owner if isinstance(owner, ConfigResolver) else ConfigResolver(fixed=options.config)
    try:
        found = discover([Path(root)], resolver)
    except (ConfigError, GitError):
        return []
    return [os.path.abspath(p) for p in found.files if p.suffix == ".py"]


def related_files(
    paths: Sequence[str],
    results: Sequence[FileResult],
    options: CheckOptions,
    roots: Sequence[str],
    config_for: Optional[Callable[[str], Config]],
) -> Tuple[List[str], List[str]]:
    """The checked files to analyse although the prefilter passed them over (they use a
    Replicate object of another module of their project), and the project's unchecked
    files to analyse for the literals their calls take from the checked ones."""
    from lint_secrets.config import ConfigError

    by_root: Dict[str, List[str]] = {}
    for path in paths:
        if not path.endswith(".py"):
            continue
        try:
            config = config_for(path) if config_for is not None else options.config
        except ConfigError:
            continue
        root = os.path.abspath(config.root)
        absolute = os.path.abspath(path)
        if _under(absolute, root):
            by_root.setdefault(root, []).append(absolute)
    if not by_root:
        return [], []
    parsed = {os.path.abspath(r.path): r for r in results}
    checked: Set[str] = {os.path.abspath(p) for p in paths}
    walked = [os.path.abspath(r) for r in roots if os.path.isdir(r)]
    forced: List[str] = []
    importers: List[str] = []
    for root, files in by_root.items():
        project = ModulePaths(root)
        replicate_modules = [f for f in files if parsed[f].imports_replicate]
        unchecked: List[Tuple[str, bytes]] = []
        if not any(_under(root, directory) for directory in walked):
            for candidate in _project_files(root, config_for, options):
                if candidate in checked:
                    continue
                data = _read(candidate)
                if data is not None and "replicate" in imported_modules(data):
                    unchecked.append((candidate, data))
                    replicate_modules.append(candidate)
        if replicate_modules:
            for path in files:
                if parsed[path].parsed:
                    continue
                data = _read(path)
                if data is not None and any(may_import(project, path, data, m) for m in replicate_modules):
                    forced.append(path)
        for candidate, data in unchecked:
            if any(may_import(project, candidate, data, module) for module in files):
                importers.append(candidate)
    shown = {os.path.abspath(p): p for p in paths}
    return [shown[f] for f in dict.fromkeys(forced)], [display_path(f) for f in dict.fromkeys(importers)]


def only_into(exported: Iterable[ImportedFinding], paths: Sequence[str]) -> List[ImportedFinding]:
    """The findings on literals written in `paths` (the others are not this run's)."""
    checked = {os.path.normcase(os.path.abspath(p)) for p in paths}
    return [f for f in exported if os.path.normcase(f.path) in checked]
