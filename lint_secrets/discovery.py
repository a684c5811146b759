"""Which files a run looks at."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from functools import cached_property
from operator import attrgetter
from pathlib import Path
from typing import (
    TYPE_CHECKING,
    AbstractSet,
    Callable,
    Dict,
    Iterator,
    List,
    Optional,
    Sequence,
    Set,
    Tuple,
    Union,
)

from lint_secrets.atomic import TEMP_SUFFIX, is_leftover_name
from lint_secrets.config import (
    CONFIG_FILE_NAMES,
    Config,
    ConfigError,
    ConfigResolver,
    GlobSet,
    relative_to_root,
)
from lint_secrets.findings import FileError
from lint_secrets.records import Record

if TYPE_CHECKING:
    from lint_secrets.git import Listing

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


@dataclass(frozen=True, repr=False, eq=False)
class Discovery(Record):
    # The files to look at, as pathlib writes them (`files` gives them as Paths): a Path of
    # each file of a large tree, and its string again, cost a run more than walking the tree.
    names: Tuple[str, ...]
    errors: Tuple[FileError, ...]
    # Temporary files a killed `--fix` left beside the files it was writing; never checked.
    leftovers: Tuple[Path, ...] = ()
    # What the run should know without it being an error: git would not list a repository's
    # files, so its directories were walked.
    notes: Tuple[str, ...] = ()

    @cached_property
    def files(self) -> Tuple[Path, ...]:
        return tuple(Path(name) for name in self.names)


def discover(
    paths: Sequence[Path], configs: Union[Config, ConfigResolver], *, force_exclude: bool = False
) -> Discovery:
    """Files under `paths`, in a stable order. Named files are kept unless `force_exclude`.

    Each entry is judged by its own configuration (`configs` finds it; a single `Config`
    stands for every file): its excludes, and whether it honours `.gitignore`. Inside a
    git work tree, the files of a directory whose configuration says `respect-gitignore`
    are the ones git does not ignore; submodules and nested repositories are listed by
    their own git. Where git fails, the directory is walked (an error, or a note when git
    refuses a repository owned by another user). A file under a broken configuration is
    skipped, and the configuration reported once.
    """
    resolver = configs if isinstance(configs, ConfigResolver) else ConfigResolver(fixed=configs)
    found: List[str] = []
    leftovers: List[Path] = []
    errors: Dict[Tuple[str, str], FileError] = {}
    notes: Dict[str, None] = {}
    seen: Set[str] = set()
    globs_by_config: Dict[int, GlobSet] = {}
    # Directories (absolute) where git failed once: nothing below them asks git again.
    git_failed: List[str] = []

    def config_of(
        path: Union[str, Path], *, directory: bool = False, names: Optional[AbstractSet[str]] = None
    ) -> Optional[Config]:
        try:
            return resolver.for_directory(path, names) if directory else resolver.for_path(path)
        except ConfigError as exc:
            error = FileError("", str(exc))
            errors.setdefault((error.path, error.message), error)
            return None

    def globs_of(config: Config) -> GlobSet:
        globs = globs_by_config.get(id(config))
        if globs is None:
            globs = globs_by_config[id(config)] = exclude_globs(config)
        return globs

    def matches_exclude(path: Path, config: Config) -> bool:
        globs = globs_of(config)
        absolute = Path(os.path.abspath(path)).as_posix() if globs.has_anchored else None
        return globs.matches(relative_to_root(path, config.root), absolute)

    # Per directory met: its configuration and its path from that configuration's root
    # ("" at the root; None where the entries' paths need the general rule), so that an
    # entry's path is one concatenation: a walk asks about every entry, and working each
    # path out from the root anew cost more than reading the files.
    directories: Dict[str, Tuple[Optional[Config], Optional[str]]] = {}

    def excluded(directory: str, name: str, path: str) -> bool:
        """Whether the entry `name` of `directory` (`path`, as pathlib would join them) is
        excluded. An entry met in a directory follows the configuration of that directory."""
        facts = directories.get(directory)
        if facts is None:
            facts = directories[directory] = _directory_facts(
                Path(directory), config_of(directory, directory=True)
            )
        config, prefix = facts
        if config is None:
            return True
        if prefix is None or (not prefix and name.startswith("..")):
            return matches_exclude(Path(path), config)
        return globs_of(config).matches(prefix + name)

    def excluded_path(path: Path) -> bool:
        return excluded(str(path.parent), path.name, str(path))

    def excluded_named(path: Path) -> bool:
        config = config_of(path)
        return config is None or is_excluded(path, config)

    def add(path: str) -> None:
        key = os.path.normpath(path)
        parent = _parent(path)
        if key not in seen and config_of(parent, directory=True) is not None:
            seen.add(key)
            found.append(path)
            resolver.found_file(path, parent)

    def listing_of(directory: Path, config: Config) -> Optional[Listing]:
        from lint_secrets.git import GitError, GitRefused, listed_files

        absolute = os.path.abspath(directory)
        if any(absolute == d or absolute.startswith(d.rstrip(os.sep) + os.sep) for d in git_failed):
            return None
        try:
            return listed_files(
                directory, _prunable(config), (*PYTHON_SUFFIXES, TEMP_SUFFIX), CONFIG_FILE_NAMES
            )
        except GitError as exc:
            git_failed.append(absolute)
            if isinstance(exc, GitRefused):
                notes.setdefault(f"{exc}; walked {directory} instead, without .gitignore", None)
            else:
                message = f"{exc}; walked {directory} instead, without .gitignore"
                errors.setdefault(("", message), FileError("", message))
            return None

    def collect(top: Path) -> List[str]:
        """The files under `top` (a directory), each judged by its own configuration."""
        config = config_of(top, directory=True)
        if config is None:
            return []
        listing = listing_of(top, config) if config.respect_gitignore else None
        if listing is None:
            return list(
                _walk(str(top), excluded, leftovers, enter=lambda d, names: own_collection(d, config, names))
            )
        # Sub-projects that see git's list differently, and other work trees, collect their own.
        separate = [name for name in listing.repositories if (top / name / ".git").exists()]
        for name in listing.files:
            directory, _, base = name.rpartition("/")
            if (
                base in CONFIG_FILE_NAMES
                and directory
                and _lists_differently(config_of, top / directory, config)
            ):
                separate.append(directory)
        separate = _outermost(separate)
        listed = [name for name in listing.files if not _under(name, separate)]
        leftovers.extend(top / name for name in listed if is_leftover_name(name.rpartition("/")[2]))
        files = list(_not_excluded(str(top), listed, excluded))
        for name in separate:
            if not _not_reached(top, name, excluded_path):
                files.extend(collect(top / name))
        return files

    def own_collection(
        directory: str, walking: Config, names: Optional[AbstractSet[str]]
    ) -> Optional[List[str]]:
        """While walking under `walking`: a directory that is another work tree, or whose
        configuration honours .gitignore where `walking` does not, is collected on its own.
        `names`: the casefolded names of its entries, if it was listed."""
        if _may_hold(names, ".git") and os.path.exists(os.path.join(directory, ".git")):
            return collect(Path(directory))
        config = config_of(directory, directory=True, names=names)
        if (
            config is not None
            and config is not walking
            and config.respect_gitignore != walking.respect_gitignore
        ):
            return collect(Path(directory))
        return None

    for path in paths:
        if path.is_dir():
            # A directory named explicitly is walked even through a symbolic link;
            # links met while walking are not followed.
            if force_exclude and excluded_named(path):
                continue
            # Every file's path starts with `path`: the whole path sorts as its remainder would.
            for file in sorted(collect(path), key=_walk_order_of_native):
                add(file)
        elif path.exists():
            if force_exclude and excluded_named(path):
                continue
            if is_leftover_name(path.name):
                leftovers.append(path)
                continue
            add(str(path))
        elif path.is_symlink():
            errors.setdefault((str(path), "broken"), FileError(str(path), "broken symbolic link"))
        else:
            errors.setdefault((str(path), "missing"), FileError(str(path), "no such file or directory"))
    return Discovery(
        names=tuple(found), errors=tuple(errors.values()), leftovers=tuple(leftovers), notes=tuple(notes)
    )


def _directory_facts(directory: Path, config: Optional[Config]) -> Tuple[Optional[Config], Optional[str]]:
    """`directory`'s configuration and the prefix of its entries' paths from that
    configuration's root, as `relative_to_root` gives them (outside the root: as given);
    None for the prefix where that takes more than a concatenation."""
    if config is None or exclude_globs(config).has_anchored:
        return config, None
    relative = os.path.relpath(os.path.abspath(directory), os.path.abspath(config.root))
    if relative == ".":
        return config, ""
    if not relative.startswith(".."):
        return config, Path(relative).as_posix() + "/"
    if all(part == ".." for part in relative.split(os.sep)):
        return config, None  # an ancestor of the root: one of its entries may lead inside
    # Outside the root an entry's path stays as given.
    given = directory.as_posix()
    return config, "" if given == "." else given if given.endswith("/") else given + "/"


def _lists_differently(
    config_of: Callable[..., Optional[Config]], directory: Path, listed_under: Config
) -> bool:
    """Whether a sub-project's files must be found apart from the listing of `listed_under`:
    its configuration does not honour .gitignore, or does not exclude a name git pruned."""
    config = config_of(directory, directory=True)
    if config is None or config is listed_under:
        return False
    return not config.respect_gitignore or not set(_prunable(listed_under)) <= set(_prunable(config))


def _outermost(directories: Sequence[str]) -> List[str]:
    kept: List[str] = []
    for directory in sorted(set(directories)):
        if not any(directory.startswith(outer + "/") for outer in kept):
            kept.append(directory)
    return kept


def _under(name: str, directories: Sequence[str]) -> bool:
    return any(name.startswith(directory + "/") for directory in directories)


def _not_reached(top: Path, name: str, excluded: Callable[[Path], bool]) -> bool:
    """Whether the walk would stop before `top/name`: an excluded directory, or a virtual
    environment, on the way."""
    parts = name.split("/")
    for end in range(1, len(parts) + 1):
        directory = top.joinpath(*parts[:end])
        if excluded(directory) or (directory / "pyvenv.cfg").exists():
            return True
    return False


def _parent(path: str) -> str:
    """`str(Path(path).parent)` for a path pathlib made."""
    return os.path.dirname(path) or "."


def _walk_order_of_native(path: str) -> str:
    return _walk_order(path if os.sep == "/" else path.replace(os.sep, "/"))


def _walk_order(entry: str) -> str:
    # As `_walk` yields them: a directory's files, then its subdirectories, by name.
    # ("\x01" sorts a directory's name before any longer name it starts; "\x00" its files first.)
    directory, _, name = entry.rpartition("/")
    return (directory.replace("/", "\x01") + "\x01" if directory else "") + "\x00" + name


def _not_excluded(
    top: str, listed: Sequence[str], excluded: Callable[[str, str, str], bool]
) -> Iterator[str]:
    """The Python files among those git lists (relative to `top`), judged as the walk judges
    them, in its order, as pathlib would join them. Strings throughout: a large repository
    lists tens of thousands."""
    prefix = _entry_prefix(top)
    directory_excluded: Dict[str, bool] = {"": False}

    def native(entry: str) -> str:
        return prefix + (entry if os.sep == "/" else entry.replace("/", os.sep))

    def inside_excluded(directory: str) -> bool:
        if directory not in directory_excluded:
            parent, _, name = directory.rpartition("/")
            path = native(directory)
            directory_excluded[directory] = inside_excluded(parent) or (
                excluded(native(parent) if parent else top, name, path)
                or os.path.exists(os.path.join(path, "pyvenv.cfg"))
            )
        return directory_excluded[directory]

    by_directory: Dict[str, List[str]] = {}
    for entry in listed:
        if entry.endswith(PYTHON_SUFFIXES):
            by_directory.setdefault(entry.rpartition("/")[0], []).append(entry)
    for directory, entries in by_directory.items():
        if inside_excluded(directory):
            entries.clear()
    kept = [entry for entries in by_directory.values() for entry in entries]
    for entry in sorted(kept, key=_walk_order):
        directory, _, name = entry.rpartition("/")
        path = native(entry)
        try:
            # A deleted file is still in the index.
            if os.path.isfile(path) and not excluded(native(directory) if directory else top, name, path):
                yield path
        except OSError:
            continue


def _entry_prefix(directory: str) -> str:
    """What joins `directory` (as pathlib gives it) and an entry's name as pathlib would."""
    return "" if directory == "." else os.path.join(directory, "")


def _prunable(config: Config) -> Tuple[str, ...]:
    """The excluded names git may skip while it looks for untracked files: plain directory
    names of the configuration of the directory walked. (A sub-project that checks, say, an
    untracked `build/` its parent excludes must be walked without git, or the file tracked.)"""
    return tuple(
        pattern
        for pattern in (config.exclude or DEFAULT_EXCLUDES) + config.extend_exclude
        if re.fullmatch(r"[A-Za-z0-9._-]+", pattern)
    )


def is_excluded(path: Path, config: Config) -> bool:
    """Whether a named path, or a directory it is in, matches an exclude (as in ruff)."""
    globs = exclude_globs(config)
    parts = relative_to_root(path, config.root).split("/")
    absolute = Path(os.path.abspath(path))
    for end in range(len(parts), 0, -1):
        if parts[end - 1] in ("", ".", ".."):
            continue
        levels = len(parts) - end
        ancestor = absolute.parents[levels - 1] if 0 < levels <= len(absolute.parents) else absolute
        if globs.matches("/".join(parts[:end]), ancestor.as_posix()):
            return True
    return False


# Compiled exclude patterns by pattern list: a run asks `is_excluded` about many files
# under few configurations, and compiling costs about 2 ms a time.
_GLOB_SETS: Dict[Tuple[str, ...], GlobSet] = {}


def exclude_globs(config: Config) -> GlobSet:
    patterns = tuple((config.exclude or DEFAULT_EXCLUDES) + config.extend_exclude)
    found = _GLOB_SETS.get(patterns)
    if found is None:
        found = _GLOB_SETS[patterns] = GlobSet(patterns)
    return found


def _walk(
    top: str,
    excluded: Callable[[str, str, str], bool],
    leftovers: Optional[List[Path]] = None,
    enter: Optional[Callable[[str, Optional[AbstractSet[str]]], Optional[List[str]]]] = None,
) -> Iterator[str]:
    """Python files under `top` (a path as pathlib gives it), as pathlib would join them;
    `excluded(directory, name, path)` judges each entry. `enter(directory, names)` may
    answer for a subdirectory with its files (collected another way), or None to walk into
    it; `names` are the casefolded names of the subdirectory's entries (None if it cannot
    be listed).

    Strings, not Path objects: a walk meets every entry of a tree, and making a Path of
    each cost more than reading the files. A subdirectory is listed when it is met, and
    what it holds (`pyvenv.cfg`, `.git`, a configuration file) is looked up among its
    names: the stat of each of these names in each directory cost more than the listing."""
    stack: List[Tuple[str, Optional[List[os.DirEntry[str]]]]] = [(top, None)]
    while stack:
        directory, entries = stack.pop()
        if entries is None:
            entries = _listing(directory)
            if entries is None:
                continue
        prefix = _entry_prefix(directory)
        subdirs: List[Tuple[str, Optional[List[os.DirEntry[str]]]]] = []
        for entry in entries:
            name = entry.name
            path = prefix + name
            try:
                if entry.is_dir(follow_symlinks=False):
                    if excluded(directory, name, path):
                        continue
                    listing = _listing(path)
                    names = _casefolded_names(listing)
                    if _may_hold(names, "pyvenv.cfg") and os.path.exists(os.path.join(path, "pyvenv.cfg")):
                        continue
                    collected = enter(path, names) if enter is not None else None
                    if collected is None:
                        subdirs.append((path, listing))
                    else:
                        yield from collected
                elif name.endswith(TEMP_SUFFIX) and is_leftover_name(name):
                    if leftovers is not None:
                        leftovers.append(Path(path))
                elif name.endswith(PYTHON_SUFFIXES) and entry.is_file(follow_symlinks=True):
                    if not excluded(directory, name, path):
                        yield path
            except OSError:
                continue
        stack.extend(reversed(subdirs))


def _listing(directory: str) -> Optional[List[os.DirEntry[str]]]:
    """The entries of `directory` by name; None if it cannot be listed."""
    try:
        with os.scandir(directory) as it:
            return sorted(it, key=_name_of)
    except OSError:
        return None


def _casefolded_names(listing: Optional[List[os.DirEntry[str]]]) -> Optional[AbstractSet[str]]:
    return None if listing is None else frozenset(entry.name.casefold() for entry in listing)


def _may_hold(names: Optional[AbstractSet[str]], name: str) -> bool:
    """Whether a directory whose casefolded entry names are `names` (None: not listed) may
    hold `name`: on a case-insensitive file system, `PyVenv.cfg` is `pyvenv.cfg`."""
    return names is None or name.casefold() in names


_name_of = attrgetter("name")
