"""Which files of a project import which: the run-level half of following imports.

A Replicate call in one module can send a literal written in another (`from .config import
HF_TOKEN`), through a client made in another (`from .clients import client`). The analysis
follows such imports from the file it checks (analysis/project.py). This module finds, for
a run, the files that analysis has to start from but the byte prefilter would skip:

- a checked file that imports nothing of Replicate's itself but uses a Replicate object of
  a module of its project that does (`from .clients import client; client.run(...)`): its
  import lines name a checked module that imports `replicate`, or (when only part of the
  project is checked) its import statements lead to an unchecked one that does;
- a file of the project that is *not* checked but calls Replicate with a literal written in
  a checked one: a commit that stages only `settings.py`, whose new `HF_TOKEN = "hf_..."`
  reaches a call in `app.py`, must fail. Only runs that leave some of the project's files
  unchecked (named files, pre-commit, `--changed`) look for these: the project's `.py`
  files that `git grep` finds naming a checked module (outside git: every file of a walk;
  without the default excludes either way) are tested on their bytes (imports `replicate`,
  names the checked module on an import line, can reach it from where it is); only the
  few that pass are analysed, under their own configuration (an excluded file is left out).

Bytes and import statements only, here: no module is analysed before it is known to matter.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import (
    TYPE_CHECKING,
    Callable,
    Collection,
    Dict,
    FrozenSet,
    Iterable,
    Iterator,
    List,
    Mapping,
    Optional,
    Sequence,
    Set,
    Tuple,
)

from lint_secrets.module_paths import ModulePaths
from lint_secrets.prefilter import imports
from lint_secrets.source import SourceError, read_source

if TYPE_CHECKING:
    from lint_secrets.config import CheckOptions, Config
    from lint_secrets.findings import FileResult, ImportedFinding

_WORD = re.compile(rb"[A-Za-z_][A-Za-z0-9_]*")


def display_path(path: str) -> str:
    """A file outside the checked ones, as reports name it: from the working directory when
    it is below it, else in full."""
    relative = os.path.relpath(path)
    return path if relative.startswith(os.pardir) else relative


def absolute_paths(paths: Iterable[str]) -> Dict[str, str]:
    """`os.path.abspath` of each path, with one getcwd() for all (abspath makes one each)."""
    cwd = os.getcwd()
    if os.sep != "/" or os.altsep:
        return {path: os.path.normpath(os.path.join(cwd, path)) for path in paths}
    # The paths of a walk are normal already: joined as strings, they are normalised only
    # when they may hold a `.` or `..` part, an empty one or a trailing `/` (50,000 paths:
    # 0.44 s profiled, most of it in posixpath's join and normpath).
    base = cwd if cwd.endswith("/") else cwd + "/"
    absolute = {}
    for path in paths:
        joined = path if path.startswith("/") else base + path
        if "/." in joined or "//" in joined or joined.endswith("/"):
            joined = os.path.normpath(joined)
        absolute[path] = joined
    return absolute


def _under(path: str, directory: str) -> bool:
    return path == directory or path.startswith(directory.rstrip(os.sep) + os.sep)


def _module_parts(path: str) -> List[str]:
    """`pkg/sub/config.py` -> [..., "pkg", "sub", "config"]; a package's `__init__.py` is the package."""
    stem, _ = os.path.splitext(path)
    parts = [part for part in stem.split(os.sep) if part]
    return parts[:-1] if parts and parts[-1] == "__init__" else parts


class _TooManyImports(Exception):
    pass


def _import_lines(data: bytes, most: Optional[int] = None) -> Iterator[bytes]:
    """The import statements of `data` (at any depth) as written, with the brackets of a
    `from x import (...)` that spans lines. Raises _TooManyImports at the word `import`
    met past the first `most` (the words within a statement already found are not met)."""
    met = 0
    at = data.find(b"import")
    while at != -1:
        met += 1
        if most is not None and met > most:
            raise _TooManyImports
        start = data.rfind(b"\n", 0, at) + 1
        end = data.find(b"\n", at)
        end = len(data) if end == -1 else end
        line = data[start:end].strip()
        if line.startswith((b"from ", b"from\t", b"import ", b"import\t", b"import(")):
            opened = line.rfind(b"(")
            if opened != -1 and b")" not in line[opened:]:
                closed = data.find(b")", end)
                end = len(data) if closed == -1 else closed + 1
                line = data[start:end].strip()
            yield line
        at = data.find(b"import", end)


# A file whose import lines are kept (`only_import_lines`) has at most this many `import`
# words outside its import statements: finding the lines costs about 0.5 us each, reading the
# file again about 12 us (so a module with thirty imports is cheaper read again, if it is
# asked about at all). Counted as the lines are found: counting first read every file twice.
MOST_KEPT_IMPORT_WORDS = 12
# Nor are import lines longer than this kept: a file with `\r` line ends, or an unclosed
# `(` in a comment after an import, is one long "statement" to its end.
MOST_KEPT_IMPORT_BYTES = 16 * 1024


def only_import_lines(data: bytes) -> Optional[bytes]:
    """The import statements of `data` alone, one to a line: all that `import_words`,
    `imported_files` and `_may_name` look at, in a fraction of the bytes (kept for the files
    the prefilter passes over, so `related_files` needn't read them again). None where
    reading the file again is cheaper or the lines too long to keep (see above)."""
    try:
        lines = b"\n".join(_import_lines(data, MOST_KEPT_IMPORT_WORDS))
    except _TooManyImports:
        return None
    return lines if len(lines) <= MOST_KEPT_IMPORT_BYTES else None


def import_words(data: bytes) -> FrozenSet[str]:
    """The names written on the import lines of `data`: the modules it can import are among them."""
    words: Set[bytes] = set()
    for line in _import_lines(data):
        words.update(_WORD.findall(line))
    return frozenset(w.decode("ascii") for w in words)


def may_import(paths: ModulePaths, importer: str, words: FrozenSet[str], module: str) -> bool:
    """Whether `importer` (absolute), whose import lines hold `words`, can import the file
    `module` (absolute): the module's name is among the words, and the module is where the
    importer's imports look, under a package name it writes too (or in its own package, for
    a relative import)."""
    module_parts = _module_parts(module)
    if not module_parts or module_parts[-1] not in words:
        return False
    importer_dir = os.path.dirname(importer)
    for root in paths.import_roots(importer):
        if not _under(module, root):
            continue
        dotted = _module_parts(os.path.relpath(module, root))
        if len(dotted) == 1 or dotted[0] in words:
            return True
        top = _module_parts(os.path.relpath(importer_dir, root))
        if top and top[0] == dotted[0] and top[0] != os.pardir:
            return True  # the same package: `from .config import ...`
    return False


def _may_name(data: bytes, names: Collection[str], most: int = 32) -> bool:
    """A quick test before reading import lines: whether a few names appear in `data` at all
    (with many names, reading the import lines is quicker than searching for each)."""
    if len(names) > most:
        return True
    return any(name.encode("utf-8", "replace") in data for name in names)


# A string written as a value (`KEY = "..."`, `{"k": "..."}`, `f(key="...")`, `x or "..."`,
# `os.getenv("K", "...")`, `return "..."`), not only as a call's first argument or a subscript
# (`os.getenv("HOME")`, `d["k"]`): a module without one holds no literal another module's
# call can send, and its importers are not looked for (a pre-commit run over unrelated files
# then starts no git process).
_STRING_VALUE = re.compile(rb"""(?:[=:,{]|\b(?:or|else|return|yield)\b)\s*(?:[(\[]\s*)?[rRbBuUfF]{0,2}["']""")


def may_hold_string_value(data: bytes) -> bool:
    """Whether `data` may write a string literal where a value goes (see `_STRING_VALUE`)."""
    return _STRING_VALUE.search(data) is not None


def _read(path: str) -> Optional[bytes]:
    try:
        return read_source(path)
    except SourceError:
        return None


# Past this many module names, `git grep` looks for "replicate" instead, and the names are
# tested here.
MOST_NAMES_FOR_GIT = 200


def _candidate_files(root: str, names: Iterable[str]) -> List[str]:
    """The project's `.py` files that may import `replicate` and one of the modules `names`:
    in a git work tree, the files git lists (tracked, or untracked and not ignored) in which
    `git grep` finds one of the names; elsewhere every file of a walk. Without the default excludes
    and virtual environments either way. (A file that matters is then judged by its own
    configuration's excludes: see `related_files`.)"""
    from lint_secrets.discovery import DEFAULT_EXCLUDES
    from lint_secrets.git import files_naming

    skipped = frozenset(DEFAULT_EXCLUDES)
    names = sorted(names)
    words = names if len(names) <= MOST_NAMES_FOR_GIT else ["replicate"]
    listed = files_naming(Path(root), words, prune=DEFAULT_EXCLUDES)
    if listed is not None:
        return [
            os.path.join(root, *entry.split("/"))
            for entry in listed
            if not skipped.intersection(entry.split("/")[:-1])
        ]
    found: List[str] = []
    stack = [root]
    while stack:
        directory = stack.pop()
        try:
            with os.scandir(directory) as entries:
                for entry in entries:
                    if entry.is_dir(follow_symlinks=False):
                        if entry.name not in skipped and not os.path.exists(
                            os.path.join(entry.path, "pyvenv.cfg")
                        ):
                            stack.append(entry.path)
                    elif entry.name.endswith(".py") and entry.is_file():
                        # As the checked walk takes them: not a FIFO, whose reading would
                        # wait for a writer, nor a dangling link.
                        found.append(entry.path)
        except OSError:
            continue
    return found


def _import_statements(data: bytes) -> List[str]:
    """The import statements of `data` (at any depth), as text that parses on its own."""
    return [line.split(b";")[0].decode("utf-8", "replace") for line in _import_lines(data)]


def imported_files(paths: ModulePaths, importer: str, data: bytes) -> List[str]:
    """The project files the import statements of `importer` (absolute) name: each module,
    and each name of a `from m import name` that is a submodule."""
    import ast

    found: List[str] = []
    directory = os.path.dirname(importer)
    for statement in _import_statements(data):
        try:
            nodes = ast.parse(statement).body
        except (SyntaxError, ValueError):
            continue
        for node in nodes:
            wanted: List[Tuple[str, List[str]]] = []  # (base directory, module parts)
            if isinstance(node, ast.Import):
                for base in paths.import_roots(importer):
                    wanted.extend((base, alias.name.split(".")) for alias in node.names)
            elif isinstance(node, ast.ImportFrom):
                parts = node.module.split(".") if node.module else []
                if node.level:
                    base = directory
                    for _ in range(node.level - 1):
                        base = os.path.dirname(base)
                    bases = [base]
                else:
                    bases = paths.import_roots(importer)
                for base in bases:
                    wanted.append((base, parts))
                    wanted.extend((base, [*parts, alias.name]) for alias in node.names)
            for base, parts in wanted:
                path = paths.module_file(base, parts) if parts else None
                if path is not None:
                    found.append(os.path.abspath(path))
    return list(dict.fromkeys(found))


# How many steps of re-exports (`app/__init__.py`: `from .settings import KEY`) are followed
# from a checked module back to the unchecked callers of what it defines.
MOST_REEXPORT_STEPS = 3


def _unchecked_callers(
    root: str,
    module_paths: ModulePaths,
    valued: Sequence[str],
    checked: Set[str],
    read: Dict[str, Optional[bytes]],
    provides_replicate: Callable[[str], bool],
    config_of: Callable[[str], Optional[Config]],
) -> List[str]:
    """The project's unchecked files whose Replicate calls may send a literal of the checked
    modules `valued`: files that import one of them (directly, or through modules that
    import it: a package's `__init__.py` re-exporting `KEY`), and that import
    `replicate` or a module of the project that does (`from .clients import client`).
    Excluded files are left out, by their own configuration."""
    from lint_secrets.discovery import is_excluded

    callers: List[str] = []
    reached: Set[str] = set(valued)
    step = list(valued)
    for _ in range(MOST_REEXPORT_STEPS):
        names = {_module_parts(f)[-1] for f in step}
        passing: List[str] = []
        for candidate in _candidate_files(root, names):
            if candidate in checked or candidate in reached:
                continue
            if candidate not in read:
                read[candidate] = _read(candidate)
            text = read[candidate]
            if text is None or not _may_name(text, names):
                continue
            words = import_words(text)
            if names.isdisjoint(words) or not any(
                may_import(module_paths, candidate, words, module) for module in step
            ):
                continue
            reached.add(candidate)
            if provides_replicate(candidate):
                config = config_of(candidate)
                if config is not None and not is_excluded(Path(candidate), config):
                    callers.append(candidate)
            # Its importers too, caller or not: a package's `__init__.py` that makes a client
            # (`import replicate`) can still re-export `KEY` to the module that sends it.
            passing.append(candidate)
        if not passing:
            break
        step = passing
    return callers


def related_files(
    paths: Sequence[str],
    results: Sequence[FileResult],
    options: CheckOptions,
    roots: Sequence[str],
    config_for: Optional[Callable[[str], Config]],
    import_lines: Optional[Mapping[str, bytes]] = None,
) -> Tuple[List[str], List[str]]:
    """The checked files to analyse although the prefilter passed them over (they use a
    Replicate object of another module of their project), and the project's unchecked
    files to analyse for the literals their calls take from the checked ones.
    `import_lines`: `only_import_lines` of such files, by path as given, where the run kept
    them; the others are read again."""
    from lint_secrets.config import ConfigError

    def config_of(path: str) -> Optional[Config]:
        try:
            return config_for(path) if config_for is not None else options.config
        except ConfigError:
            return None

    # Each path's absolute form is asked for three times below; each abspath is a getcwd().
    absolute = absolute_paths(paths)
    by_root: Dict[str, List[str]] = {}
    # Configurations are found per directory, and a directory's files are under its root
    # if it is: files outside every root (a tree named from elsewhere) cost a lookup each.
    root_of_directory: Dict[str, Optional[str]] = {}
    for path in paths:
        if not path.endswith(".py"):
            continue
        # Paths up to the same last separator share a directory: dirname only for a new one.
        cut = max(path.rfind(os.sep), path.rfind(os.altsep)) if os.altsep else path.rfind(os.sep)
        spelled = path[: cut + 1]
        if spelled not in root_of_directory:
            directory = os.path.dirname(path)
            config = config_of(path)
            root = os.path.abspath(config.root) if config is not None else None
            inside = root is not None and _under(os.path.abspath(directory), root)
            root_of_directory[spelled] = root if inside else None
        root = root_of_directory[spelled]
        if root is not None:
            by_root.setdefault(root, []).append(absolute[path])
    if not by_root:
        return [], []
    parsed = {absolute.get(r.path) or os.path.abspath(r.path): r for r in results}
    checked: Set[str] = set(absolute.values())
    walked = [os.path.abspath(r) for r in roots if os.path.isdir(r)]
    forced: List[str] = []
    importers: List[str] = []
    read: Dict[str, Optional[bytes]] = {}
    # Only the import lines, for the loop below: not `read`, which other questions ask of
    # whole files (`_holds_string_value`).
    lines_of = {absolute[path]: lines for path, lines in (import_lines or {}).items() if path in absolute}

    def imports_replicate(path: str) -> bool:
        if path not in read:
            read[path] = _read(path)
        data = read[path]
        return data is not None and imports(data, "replicate")

    def provides_replicate(module_paths: ModulePaths, path: str, hops: int = 2) -> bool:
        """Imports `replicate`, or a module of the project that does (within `hops` imports)."""
        if imports_replicate(path):
            return True
        data = read.get(path)
        return (
            hops > 0
            and data is not None
            and any(
                provides_replicate(module_paths, module, hops - 1)
                for module in imported_files(module_paths, path, data)
                if module != path
            )
        )

    def _holds_string_value(path: str) -> bool:
        if path not in read:
            read[path] = _read(path)
        data = read[path]
        return data is not None and may_hold_string_value(data)

    for root, files in by_root.items():
        module_paths = ModulePaths(root)

        def sends(path: str, module_paths: ModulePaths = module_paths) -> bool:
            return provides_replicate(module_paths, path)

        # Only part of the project is checked: its other files may call Replicate with the
        # checked files' values, or make the clients the checked files use.
        partial = not any(_under(root, directory) for directory in walked)
        # Only modules that write a string value can hold a literal an importer's call sends.
        valued = [f for f in files if _module_parts(f) and _holds_string_value(f)] if partial else []
        if valued:
            importers.extend(_unchecked_callers(root, module_paths, valued, checked, read, sends, config_of))
        by_name: Dict[str, List[str]] = {}
        for module in files:
            if parsed[module].imports_replicate and _module_parts(module):
                by_name.setdefault(_module_parts(module)[-1], []).append(module)
        if not by_name and not partial:
            continue  # nothing here for a checked file to use unawares
        # A file forced in one round can give the next its Replicate objects (`client = make()`
        # in clients.py, `make` from base.py, `client.run(...)` in service.py).
        waiting = [path for path in files if not parsed[path].parsed]
        for round_number in range(MOST_REEXPORT_STEPS):
            providers: Dict[str, List[str]] = {}
            still: List[str] = []
            for path in waiting:
                if path in read:
                    data = read[path]
                else:  # not kept in `read`: a walk has many
                    data = lines_of[path] if path in lines_of else _read(path)
                if data is None:
                    continue
                if by_name and _may_name(data, by_name):
                    words = import_words(data)
                    if any(
                        may_import(module_paths, path, words, module)
                        for name in words
                        if name in by_name  # not words.intersection(by_name): that walks by_name
                        for module in by_name[name]
                    ):
                        forced.append(path)
                        if _module_parts(path):
                            providers.setdefault(_module_parts(path)[-1], []).append(path)
                        continue
                if (
                    partial
                    and round_number == 0
                    and any(
                        module not in checked and sends(module)
                        for module in imported_files(module_paths, path, data)
                    )
                ):
                    forced.append(path)
                    if _module_parts(path):
                        providers.setdefault(_module_parts(path)[-1], []).append(path)
                    continue
                still.append(path)
            if not providers:
                break
            by_name, waiting = providers, still
    shown = {absolute[path]: path for path in paths}
    return [shown[f] for f in dict.fromkeys(forced)], [display_path(f) for f in dict.fromkeys(importers)]


def only_into(exported: Iterable[ImportedFinding], paths: Sequence[str]) -> List[ImportedFinding]:
    """The findings on literals written in `paths` (the others are not this run's)."""
    checked = {os.path.normcase(p) for p in absolute_paths(paths).values()}
    return [f for f in exported if os.path.normcase(f.path) in checked]
