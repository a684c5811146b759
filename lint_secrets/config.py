"""`[tool.lint-secrets]` in pyproject.toml: finding it, reading it, rejecting what it can't mean."""

from __future__ import annotations

import os
import re
import sys
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import (
    TYPE_CHECKING,
    AbstractSet,
    Any,
    Callable,
    Dict,
    FrozenSet,
    Iterable,
    List,
    Mapping,
    Optional,
    Sequence,
    Tuple,
    Union,
)

from lint_secrets.records import Record

if TYPE_CHECKING:
    from lint_secrets.findings import ImportedFinding

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python < 3.11 only
    import tomli as tomllib


DEFAULT_SCHEMA_DIR = ".lint-secrets/schemas"
MODEL_KEY = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*/[A-Za-z0-9][A-Za-z0-9._-]*$")
ENV_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
CODE_PREFIX = re.compile(r"^RS[0-9]{0,3}$|^ALL$")


class ConfigError(Exception):
    """A configuration problem; the message names the file and the key."""


@dataclass(frozen=True, repr=False, eq=False)
class ModelDeclaration(Record):
    """What config says of a model: a private model's secrets, declared instead of fetched;
    the non-secret inputs a team has accepted sending secrets to (RS104)."""

    secret_inputs: FrozenSet[str]
    accept_unredacted: FrozenSet[str] = frozenset()
    # False when the table only accepts inputs: the model's schema still comes from the cache.
    declares_secrets: bool = True


@dataclass(frozen=True, repr=False, eq=False)
class Config(Record):
    root: Path
    config_file: Optional[Path] = None
    schema_dir: Optional[Path] = None
    exclude: Tuple[str, ...] = ()
    extend_exclude: Tuple[str, ...] = ()
    select: Tuple[str, ...] = ("RS",)
    ignore: Tuple[str, ...] = ()
    extend_select: Tuple[str, ...] = ()
    per_file_ignores: Tuple[Tuple[str, Tuple[str, ...]], ...] = ()
    models: Mapping[str, ModelDeclaration] = field(default_factory=dict)
    env_names: Mapping[str, Any] = field(default_factory=dict)
    respect_gitignore: bool = True
    # Owners whose models may receive secrets (RS105); None: the rule is off.
    trusted_owners: Optional[Tuple[str, ...]] = None
    # Variables whose values are credentials whatever their names say, and those that are not
    # although their names sound like it (RS104, RS105).
    secret_env_names: FrozenSet[str] = frozenset()
    non_secret_env_names: FrozenSet[str] = frozenset()

    @property
    def cache_dir(self) -> Path:
        return self.schema_dir if self.schema_dir is not None else self.root / DEFAULT_SCHEMA_DIR

    def enabled_codes(self) -> FrozenSet[str]:
        chosen = _expand(self.select, with_opt_in=False) | _expand(self.extend_select, with_opt_in=False)
        return frozenset(chosen - _expand(self.ignore))

    def codes_for(self, relative_path: str, absolute_path: Optional[str] = None) -> FrozenSet[str]:
        enabled = self.enabled_codes()
        for pattern, codes in self.per_file_ignores:
            if path_matches(relative_path, pattern, absolute_path):
                enabled = enabled - _expand(codes)
        return frozenset(enabled)

    def declared_secrets(self) -> Dict[str, FrozenSet[str]]:
        """The secret inputs of models declared in config (a schema store's `declared`)."""
        return {name: model.secret_inputs for name, model in self.models.items() if model.declares_secrets}

    def credential_env_names(self) -> FrozenSet[str]:
        """Variables `secret-env-names` and `env-names` name for secrets: a value read from one
        is a secret (unless `non-secret-env-names` says otherwise)."""
        names = set(self.secret_env_names)
        for entry in self.env_names.values():
            if isinstance(entry, str):
                names.add(entry)
            elif isinstance(entry, Mapping):
                names.update(str(env) for env in entry.values())
        return frozenset(names)

    def env_name_for(self, model_name: Optional[str], input_name: str) -> Optional[str]:
        """The configured variable name for an input, per model ("owner/name", as
        ModelRef.model_name gives it) first, then per input."""
        if model_name is not None:
            per_model = self.env_names.get(model_name)
            if isinstance(per_model, Mapping) and input_name in per_model:
                return str(per_model[input_name])
        value = self.env_names.get(input_name)
        return value if isinstance(value, str) else None


def _expand(selectors: Sequence[str], with_opt_in: bool = True) -> FrozenSet[str]:
    """The codes `selectors` name; an opt-in code is selected only by its full code."""
    from lint_secrets.catalog import ALL_CODES, OPT_IN_CODES

    return frozenset(
        code
        for code in ALL_CODES
        for s in selectors
        if s == code or ((s == "ALL" or code.startswith(s)) and (with_opt_in or code not in OPT_IN_CODES))
    )


class GlobSet:
    """Glob patterns matched as ruff does: against the path from the root, or the file name
    alone; `dir/**` also matches `dir`. Compiled once, since a walk asks about every entry.

    An absolute pattern (one inherited through `extend` from a file in another directory,
    anchored there) is matched against the absolute path.

    A pattern without wildcards (every default exclude) matches only itself: it is looked up
    in a set, and only the others are compiled into regular expressions (compiling the
    defaults cost more than a pre-commit run's matching).
    """

    def __init__(self, patterns: Sequence[str]) -> None:
        cleaned = [_clean_pattern(p) for p in patterns]
        relative = [p for p in cleaned if not _is_anchored(p)]
        anchored = [p for p in cleaned if _is_anchored(p)]
        self._whole_literal = frozenset(p for p in relative if _is_literal(p))
        self._whole = _compile([p for p in relative if not _is_literal(p)])
        self._anchored_literal = frozenset(p for p in anchored if _is_literal(p))
        self._anchored = _compile([p for p in anchored if not _is_literal(p)])
        names = [p for p in cleaned if "/" not in p]
        self._name_literal = frozenset(p for p in names if _is_literal(p))
        self._name = _compile([p for p in names if not _is_literal(p)])
        self._prefixes = tuple(p[:-3] for p in relative if p.endswith("/**"))
        self._anchored_prefixes = tuple(p[:-3] for p in anchored if p.endswith("/**"))

    @property
    def has_anchored(self) -> bool:
        """Whether `matches` needs the absolute path (a caller can skip computing it)."""
        return bool(self._anchored_literal) or self._anchored is not None or bool(self._anchored_prefixes)

    def matches(self, relative_path: str, absolute_path: Optional[str] = None) -> bool:
        if relative_path in self._whole_literal or (
            self._whole is not None and self._whole.match(relative_path)
        ):
            return True
        name = relative_path.rsplit("/", 1)[-1]
        if name in self._name_literal or (self._name is not None and self._name.match(name)):
            return True
        if any(relative_path == p or relative_path.startswith(p + "/") for p in self._prefixes):
            return True
        if absolute_path is None or not self.has_anchored:
            return False
        if absolute_path in self._anchored_literal or (
            self._anchored is not None and self._anchored.match(absolute_path)
        ):
            return True
        return any(absolute_path == p or absolute_path.startswith(p + "/") for p in self._anchored_prefixes)


def _is_literal(pattern: str) -> bool:
    """Whether `pattern` matches only itself (fnmatch's only special characters are these)."""
    return not any(special in pattern for special in "*?[")


def _is_anchored(pattern: str) -> bool:
    return pattern.startswith("/") or bool(re.match(r"^[A-Za-z]:/", pattern))


def _clean_pattern(pattern: str) -> str:
    pattern = pattern.rstrip("/")
    return pattern[2:] if pattern.startswith("./") else pattern


def _compile(patterns: Sequence[str]) -> Optional[re.Pattern[str]]:
    from fnmatch import translate

    return re.compile("|".join(translate(p) for p in patterns)) if patterns else None


def path_matches(relative_path: str, pattern: str, absolute_path: Optional[str] = None) -> bool:
    return GlobSet((pattern,)).matches(relative_path, absolute_path)


def find_pyproject(start: Path) -> Optional[Path]:
    """The nearest pyproject.toml with a [tool.lint-secrets] table, searching upward from `start`.

    As ruff does with [tool.ruff], a pyproject.toml without the table (a sub-package's, say)
    doesn't hide the project's configuration further up; if none has the table, the nearest
    pyproject.toml still marks the project root.
    """
    # abspath, not resolve(): a symlink loop among the paths must not crash the search.
    start = Path(os.path.abspath(start))
    nearest: Optional[Path] = None
    for directory in [start, *start.parents] if start.is_dir() else start.parents:
        candidate = directory / "pyproject.toml"
        if candidate.is_file():
            if _has_our_table(candidate):
                return candidate
            nearest = nearest or candidate
    return nearest


# Parsed documents by path, with the bytes they were parsed from: a pyproject.toml is first
# asked whether it has our table, then read for it, and a run over many directories meets
# the same file again. (Bytes, not a modification time: two writes can share a time stamp.)
# Never changed by a reader.
_DOCUMENTS: Dict[str, Tuple[bytes, Dict[str, Any]]] = {}


def _read_toml(path: Path) -> Dict[str, Any]:
    try:
        with open(path, "rb") as handle:
            data = handle.read()
        key = os.path.abspath(path)
        known = _DOCUMENTS.get(key)
        if known is not None and known[0] == data:
            return known[1]
        document = tomllib.loads(data.decode("utf-8"))
        _DOCUMENTS[key] = (data, document)
        return document
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read: {exc.strerror or exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: invalid TOML: {exc}") from None
    except UnicodeDecodeError:
        raise ConfigError(f"{path}: invalid TOML: not UTF-8") from None
    except RecursionError:
        raise ConfigError(f"{path}: invalid TOML: nested too deeply") from None


def _has_our_table(pyproject: Path) -> bool:
    document = _read_toml(pyproject)
    tool = document.get("tool")
    return isinstance(tool, dict) and "lint-secrets" in tool


def load_config(
    paths: Sequence[Path], *, config_file: Optional[Path] = None, isolated: bool = False
) -> Config:
    """One configuration for `paths`: `--config`, else the nearest one above their common parent.

    A run resolves each file's own with `ConfigResolver`; this is what is used where one
    answer is needed for the whole run (the report's root, `schemas list`).
    """
    if isolated:
        return Config(root=Path.cwd())
    if config_file is None:
        config_file, nearest_pyproject = find_config(_common_start(paths))
        if config_file is None:
            return Config(root=nearest_pyproject.parent if nearest_pyproject else Path.cwd())
    return read_config_file(config_file)


def _common_start(paths: Sequence[Path]) -> Path:
    if not paths:
        return Path.cwd()
    try:
        return Path(os.path.commonpath([os.path.abspath(p) for p in paths]))
    except ValueError:
        return Path.cwd()


# Looked for in each directory, in this order (as ruff: `.ruff.toml`, `ruff.toml`, `pyproject.toml`).
CONFIG_FILE_NAMES = (".lint-secrets.toml", "lint-secrets.toml", "pyproject.toml")


def config_file_in(directory: Path, names: Optional[AbstractSet[str]] = None) -> Optional[Path]:
    """The configuration file of `directory`: a dedicated file, or a pyproject.toml with our table.
    `names`: the casefolded names of the directory's entries, if the caller listed it."""
    for name in CONFIG_FILE_NAMES:
        if names is not None and name.casefold() not in names:
            continue
        candidate = directory / name
        if candidate.is_file() and (name != "pyproject.toml" or _has_our_table(candidate)):
            return candidate
    return None


def find_config(start: Path) -> Tuple[Optional[Path], Optional[Path]]:
    """The nearest configuration file upward from `start`, and the nearest pyproject.toml
    (with or without our table: without any configuration, it still marks the project root)."""
    start = Path(os.path.abspath(start))
    nearest_pyproject: Optional[Path] = None
    for directory in [start, *start.parents] if start.is_dir() else start.parents:
        found = config_file_in(directory)
        if found is not None:
            return found, nearest_pyproject or (found if found.name == "pyproject.toml" else None)
        if nearest_pyproject is None and (directory / "pyproject.toml").is_file():
            nearest_pyproject = directory / "pyproject.toml"
    return None, nearest_pyproject


def _table_of(config_file: Path) -> Any:
    document = _read_toml(config_file)
    tool = document.get("tool")
    table = tool.get("lint-secrets", {}) if isinstance(tool, dict) else {}
    if config_file.name != "pyproject.toml" and not table:
        # A dedicated config file holds the options at the top level.
        table = {k: v for k, v in document.items() if k != "tool"}
    return table


def read_config_file(config_file: Path, _extended_by: Tuple[Path, ...] = ()) -> Config:
    """A configuration file's options, with those of the file it `extend`s underneath."""
    absolute = Path(os.path.abspath(config_file))
    if absolute in _extended_by:
        chain = " -> ".join(str(p) for p in (*_extended_by, absolute))
        raise ConfigError(f"{_extended_by[0]}: 'extend' goes round in a circle: {chain}")
    table = _table_of(config_file)
    root = config_file.resolve().parent
    config = parse_table(table, root=root, source=config_file)
    if not isinstance(table, Mapping) or "extend" not in table:
        return config
    where = f"{config_file}: 'extend'"
    value = _expect(table["extend"], str, f"{where} must be the path of another configuration file")
    base_file = Path(os.path.expandvars(os.path.expanduser(value)))
    if not base_file.is_absolute():
        base_file = absolute.parent / base_file
    if not base_file.is_file():
        raise ConfigError(f"{where}: {value!r} is not a file")
    base = read_config_file(base_file, (*_extended_by, absolute))
    return _merged(base, config, table)


def _merged(base: Config, config: Config, table: Mapping[str, Any]) -> Config:
    """`config` on top of the `base` it extends, as ruff merges: a key set here replaces the
    base's, `extend-exclude` and `extend-select` add up, `ignore` adds up unless `select`
    starts over, and tables of models and variable names merge key by key.

    The base's paths stay relative to its own directory: its anchored globs are made absolute.
    """

    def anchored(patterns: Tuple[str, ...]) -> Tuple[str, ...]:
        return tuple(_anchor(p, base.root, config.root) for p in patterns)

    changes: Dict[str, Any] = {
        "models": {**base.models, **config.models},
        "env_names": {**base.env_names, **config.env_names},
        "extend_exclude": anchored(base.extend_exclude) + config.extend_exclude,
    }
    if "schema-dir" not in table:
        changes["schema_dir"] = base.schema_dir
    if "exclude" not in table:
        changes["exclude"] = anchored(base.exclude)
    if "select" not in table:
        # As ruff applies each level in turn: this file's extend-select turns back on what the
        # base ignored, then this file's own ignore applies.
        selected_here = _expand(config.extend_select, with_opt_in=False)
        still_ignored = tuple(code for code in sorted(_expand(base.ignore)) if code not in selected_here)
        changes["select"] = base.select
        changes["ignore"] = still_ignored + config.ignore
        changes["extend_select"] = base.extend_select + config.extend_select
    if "per-file-ignores" not in table:
        # This file's own are only its extend-per-file-ignores: they add to the base's.
        changes["per_file_ignores"] = (
            tuple(
                (_anchor(pattern, base.root, config.root), codes) for pattern, codes in base.per_file_ignores
            )
            + config.per_file_ignores
        )
    if "respect-gitignore" not in table:
        changes["respect_gitignore"] = base.respect_gitignore
    if "trusted-owners" not in table:
        changes["trusted_owners"] = base.trusted_owners
    # The lists add up; a name this file puts in one list leaves the base's other list.
    changes["secret_env_names"] = (
        base.secret_env_names - config.non_secret_env_names
    ) | config.secret_env_names
    changes["non_secret_env_names"] = (
        base.non_secret_env_names - config.secret_env_names
    ) | config.non_secret_env_names
    return replace(config, **changes)


def _anchor(pattern: str, pattern_root: Path, root: Path) -> str:
    """A glob relative to `pattern_root`, for use in a configuration rooted at `root`."""
    cleaned = _clean_pattern(pattern)
    if "/" not in cleaned or _is_anchored(cleaned) or pattern_root == root:
        return pattern  # a bare name matches anywhere, whichever file it came from
    return f"{Path(os.path.abspath(pattern_root)).as_posix().rstrip('/')}/{cleaned}"


class ConfigResolver:
    """The configuration of each file: the nearest one upward from it, as ruff finds them.

    Answers are cached per directory and per configuration file, so the files of one
    project share one `Config` object (the runner groups files by it). `fixed` (from
    `--config` or `--isolated`) answers for every file. `adjust` applies the command line's
    options on top of each configuration found.
    """

    def __init__(
        self, *, fixed: Optional[Config] = None, adjust: Optional[Callable[[Config], Config]] = None
    ) -> None:
        self._adjust: Callable[[Config], Config] = adjust or (lambda config: config)
        self._fixed = self._adjust(fixed) if fixed is not None else None
        self._by_directory: Dict[str, Union[Config, ConfigError]] = {}
        self._as_given: Dict[str, Union[Config, ConfigError]] = {}
        self._directory_of_path: Dict[str, str] = {}
        self._by_file: Dict[str, Union[Config, ConfigError]] = {}
        self._defaults: Dict[str, Config] = {}

    def for_path(self, path: Union[str, Path]) -> Config:
        """The configuration for a file (or a directory's own files); ConfigError if it is bad."""
        if self._fixed is not None:
            return self._fixed
        # Keyed as given too: a run asks about each of its files more than once, and each
        # answer costs a getcwd() and a stat.
        key = str(path)
        directory = self._directory_of_path.get(key)
        if directory is None:
            absolute = os.path.abspath(path)
            directory = absolute if os.path.isdir(absolute) else os.path.dirname(absolute)
            self._directory_of_path[key] = directory
        return self.for_directory(directory)

    def found_file(self, path: str, directory: str) -> None:
        """Discovery found the file `path` in `directory` (`os.path.dirname(path) or "."`):
        `for_path(path)` is `for_directory(directory)` without asking the file system."""
        self._directory_of_path[path] = directory

    def for_directory(self, directory: Union[str, Path], names: Optional[AbstractSet[str]] = None) -> Config:
        """The configuration of the files in `directory`. `names`: the casefolded names of its
        entries, if the caller listed it: a configuration file not among them is not looked
        for (a walk meets every directory, and each look was a failing stat)."""
        if self._fixed is not None:
            return self._fixed
        # Keyed as given too: a walk asks about every directory, and abspath costs a getcwd().
        found = self._as_given.get(str(directory))
        if found is None:
            found = self._as_given[str(directory)] = self._lookup(os.path.abspath(directory), names)
        if isinstance(found, ConfigError):
            raise found
        return found

    def _lookup(self, directory: str, names: Optional[AbstractSet[str]] = None) -> Union[Config, ConfigError]:
        walked: List[str] = []
        has_pyproject: List[bool] = []
        current = directory
        while current not in self._by_directory:
            walked.append(current)
            listed = names if current == directory else None
            try:
                found = config_file_in(Path(current), listed)
            except ConfigError as exc:
                self._by_directory[current] = exc
                break
            if found is not None:
                self._by_directory[current] = self._load(found)
                break
            has_pyproject.append(
                (listed is None or "pyproject.toml" in listed)
                and os.path.isfile(os.path.join(current, "pyproject.toml"))
            )
            parent = os.path.dirname(current)
            if parent == current:
                self._by_directory[current] = self._default(Path.cwd())
                if has_pyproject[-1]:
                    self._by_directory[current] = self._default(Path(current))
                break
            current = parent
        answer = self._by_directory[current]
        # Below the answer, a directory without configuration takes the default, rooted at
        # the nearest pyproject.toml at or above it (or the answer's root if that is a default).
        default_root = answer.root if isinstance(answer, Config) and answer.config_file is None else None
        for index in range(len(has_pyproject) - 1, -1, -1):
            walked_dir = walked[index]
            if has_pyproject[index]:
                default_root = Path(walked_dir)
            if walked_dir == current:
                continue
            if isinstance(answer, Config) and answer.config_file is None:
                self._by_directory[walked_dir] = self._default(default_root or Path.cwd())
            else:
                self._by_directory[walked_dir] = answer
        return self._by_directory[directory]

    def _load(self, config_file: Path) -> Union[Config, ConfigError]:
        key = str(config_file)
        if key not in self._by_file:
            try:
                self._by_file[key] = self._adjust(read_config_file(config_file))
            except ConfigError as exc:
                self._by_file[key] = exc
        return self._by_file[key]

    def _default(self, root: Path) -> Config:
        key = str(root)
        if key not in self._defaults:
            self._defaults[key] = self._adjust(Config(root=root))
        return self._defaults[key]


_KNOWN = {
    "extend",
    "respect-gitignore",
    "schema-dir",
    "exclude",
    "extend-exclude",
    "select",
    "ignore",
    "extend-select",
    "per-file-ignores",
    "extend-per-file-ignores",
    "models",
    "env-names",
    "trusted-owners",
    "secret-env-names",
    "non-secret-env-names",
}


def parse_table(table: Mapping[str, Any], *, root: Path, source: Path) -> Config:
    # The dedicated files hold the options at their top level: no table to name.
    where = f"{source}: [tool.lint-secrets]" if source.name == "pyproject.toml" else str(source)
    if not isinstance(table, Mapping):
        raise ConfigError(f"{where} must be a table")
    for key in table:
        if key not in _KNOWN:
            raise ConfigError(f"{where}: unknown option {key!r}{_did_you_mean(key, _KNOWN)}")
    config = Config(root=root, config_file=source)
    if "schema-dir" in table:
        value = _expect(table["schema-dir"], str, f"{where}: 'schema-dir' must be a string")
        if not value or "\x00" in value:
            raise ConfigError(f"{where}: 'schema-dir' must be a non-empty path without NUL characters")
        config = replace(config, schema_dir=(root / value))
    lists: Dict[str, Tuple[str, ...]] = {}
    for key, attr in (("exclude", "exclude"), ("extend-exclude", "extend_exclude")):
        if key in table:
            lists[attr] = _string_list(table[key], f"{where}: {key!r}")
    for key, attr in (("select", "select"), ("ignore", "ignore"), ("extend-select", "extend_select")):
        if key in table:
            lists[attr] = _codes(table[key], f"{where}: {key!r}")
    if "select" in lists and not lists["select"]:
        # Checking nothing and passing would look like a clean project.
        raise ConfigError(
            f"{where}: 'select' is empty, so nothing would be checked; remove it for the default"
        )
    config = replace(config, **lists)  # type: ignore[arg-type]
    per_file_ignores: Tuple[Tuple[str, Tuple[str, ...]], ...] = ()
    for key in ("per-file-ignores", "extend-per-file-ignores"):
        if key in table:
            value = table[key]
            if not isinstance(value, Mapping):
                raise ConfigError(f"{where}: {key!r} must be a table of glob = [codes]")
            per_file_ignores += tuple(
                (pattern, _codes(codes, f"{where}: {key!r} {pattern!r}")) for pattern, codes in value.items()
            )
    config = replace(config, per_file_ignores=per_file_ignores)
    if "respect-gitignore" in table:
        message = f"{where}: 'respect-gitignore' must be true or false"
        value = _expect(table["respect-gitignore"], bool, message)
        config = replace(config, respect_gitignore=value)
    if "models" in table:
        config = replace(config, models=_models(table["models"], where))
    if "env-names" in table:
        config = replace(config, env_names=_env_names(table["env-names"], where))
    if "trusted-owners" in table:
        owners = _string_list(table["trusted-owners"], f"{where}: 'trusted-owners'")
        for owner in owners:
            if not OWNER.fullmatch(owner):
                raise ConfigError(f"{where}: 'trusted-owners' entry {owner!r} is not a Replicate owner name")
        config = replace(config, trusted_owners=owners)
    lists_of_names: Dict[str, FrozenSet[str]] = {}
    for key in ("secret-env-names", "non-secret-env-names"):
        if key in table:
            names = _string_list(table[key], f"{where}: {key!r}")
            for name in names:
                if not ENV_NAME.fullmatch(name):
                    raise ConfigError(
                        f"{where}: {key!r} entry {name!r} is not a valid environment variable name"
                    )
            lists_of_names[key] = frozenset(names)
    both = lists_of_names.get("secret-env-names", frozenset()) & lists_of_names.get(
        "non-secret-env-names", frozenset()
    )
    if both:
        raise ConfigError(f"{where}: {min(both)!r} is in both 'secret-env-names' and 'non-secret-env-names'")
    config = replace(
        config,
        secret_env_names=lists_of_names.get("secret-env-names", frozenset()),
        non_secret_env_names=lists_of_names.get("non-secret-env-names", frozenset()),
    )
    return config


def require_rules(config: Config, source: Optional[str] = None) -> Config:
    """`config` itself; ConfigError when its selection, after ignores, leaves no rule at all
    (`ignore = ["RS"]`): checking nothing and passing would look like a clean project.
    `source` names where the selection came from (default: the configuration file)."""
    if config.enabled_codes():
        return config
    where = source or config.config_file or "the default configuration"

    def shown(codes: Sequence[str]) -> str:
        return "[" + ", ".join(f'"{code}"' for code in codes) + "]"

    raise ConfigError(
        f"{where}: select = {shown((*config.select, *config.extend_select))} "
        f"with ignore = {shown(config.ignore)} leaves no rule, so nothing would be checked"
    )


def _did_you_mean(key: str, known: Iterable[str]) -> str:
    import difflib

    close = difflib.get_close_matches(key.replace("_", "-"), sorted(known), n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""


def _expect(value: Any, kind: type, message: str) -> Any:
    if not isinstance(value, kind):
        raise ConfigError(message)
    return value


def _string_list(value: Any, where: str) -> Tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{where} must be a list of strings")
    return tuple(value)


def _codes(value: Any, where: str) -> Tuple[str, ...]:
    codes = _string_list(value, where)
    for code in codes:
        if not CODE_PREFIX.match(code) or not _expand((code,)):
            from lint_secrets.catalog import ALL_CODES

            raise ConfigError(f"{where}: unknown rule code {code!r} (known: {', '.join(ALL_CODES)})")
    return codes


def _models(value: Any, where: str) -> Dict[str, ModelDeclaration]:
    if not isinstance(value, Mapping):
        raise ConfigError(
            f"{where}: 'models' must be a table of \"owner/name\" = {{ secret-inputs = [...] }}"
        )
    models: Dict[str, ModelDeclaration] = {}
    for name, entry in value.items():
        if not MODEL_KEY.fullmatch(name):
            raise ConfigError(f"{where}: 'models' key {name!r} is not \"owner/name\"")
        if not isinstance(entry, Mapping):
            raise ConfigError(f"{where}: 'models.\"{name}\"' must be a table")
        for key in entry:
            if key not in _MODEL_KEYS:
                hint = _did_you_mean(key, _MODEL_KEYS)
                raise ConfigError(f"{where}: unknown option 'models.\"{name}\".{key}'{hint}")
        inputs = _string_list(entry.get("secret-inputs", []), f"{where}: 'models.\"{name}\".secret-inputs'")
        accepted = _string_list(
            entry.get("accept-unredacted", []), f"{where}: 'models.\"{name}\".accept-unredacted'"
        )
        models[name] = ModelDeclaration(
            secret_inputs=frozenset(inputs),
            accept_unredacted=frozenset(accepted),
            declares_secrets="secret-inputs" in entry or "accept-unredacted" not in entry,
        )
    return models


_MODEL_KEYS = ("secret-inputs", "accept-unredacted")
OWNER = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*")


def _env_names(value: Any, where: str) -> Dict[str, Any]:
    if not isinstance(value, Mapping):
        raise ConfigError(f"{where}: 'env-names' must be a table")
    result: Dict[str, Any] = {}
    for key, entry in value.items():
        if isinstance(entry, str):
            _check_env_name(entry, f"{where}: 'env-names.{key}'")
            result[key] = entry
        elif isinstance(entry, Mapping) and MODEL_KEY.fullmatch(key):
            inner: Dict[str, str] = {}
            for input_name, env in entry.items():
                if not isinstance(env, str):
                    raise ConfigError(f"{where}: 'env-names.\"{key}\".{input_name}' must be a string")
                _check_env_name(env, f"{where}: 'env-names.\"{key}\".{input_name}'")
                inner[input_name] = env
            result[key] = inner
        else:
            raise ConfigError(
                f"{where}: 'env-names.{key}' must be a variable name, or a table for an \"owner/name\" model"
            )
    return result


def _check_env_name(name: str, where: str) -> None:
    if not ENV_NAME.fullmatch(name):
        raise ConfigError(f"{where}: {name!r} is not a valid environment variable name")
    from lint_secrets.env_names import system_variable_reader

    reader = system_variable_reader(name)
    if reader is not None:
        raise ConfigError(
            f"{where}: {name!r} is read by {reader}; a secret stored under it would change how "
            "programs run: choose another name"
        )


def relative_to_root(path: Path, root: Path) -> str:
    """`path` from `root` with forward slashes; paths outside the root stay as given."""
    absolute = os.path.abspath(path)
    relative = os.path.relpath(absolute, os.path.abspath(root))
    if relative.startswith(".."):
        return path.as_posix()
    return Path(relative).as_posix() if relative != "." else ""


@dataclass(frozen=True, repr=False, eq=False)
class CheckOptions(Record):
    """What one run does with each file: the configuration, and whether it fixes or shows fixes."""

    config: Config
    fix: bool = False
    diff: bool = False
    describe_fixes: bool = False  # reports that show fixes (SARIF) get what each one changes
    ignore_noqa: bool = False  # --ignore-noqa: report what noqa comments would suppress
    defer_writes: bool = False  # with fix: make the fixes, let the caller write them (--env-file)
    unsafe_fixes: bool = False  # `--unsafe-fixes`: apply the fixes classed unsafe too
    # Environment names the run-level pass gave, by path (lint_secrets/env_names.py: RunNames.names).
    run_env_names: Mapping[str, Tuple[Tuple[str, str, str], ...]] = field(default_factory=dict)
    # The runner's second pass: findings other files' calls make on literals in these files,
    # by path; and the files among them that are not among the checked ones (reported with
    # these findings only, never fixed: "not fixed: outside the checked files").
    imported: Mapping[str, Tuple[ImportedFinding, ...]] = field(default_factory=dict)
    outside: FrozenSet[str] = frozenset()


__all__: List[str] = [
    "CheckOptions",
    "Config",
    "ConfigError",
    "ConfigResolver",
    "GlobSet",
    "ModelDeclaration",
    "find_config",
    "load_config",
    "parse_table",
    "path_matches",
    "read_config_file",
    "relative_to_root",
    "require_rules",
]
