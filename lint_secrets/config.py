"""`[tool.lint-secrets]` in pyproject.toml: finding it, reading it, rejecting what it can't mean."""

from __future__ import annotations

import os
import re
import sys
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Dict, FrozenSet, List, Mapping, Optional, Sequence, Tuple

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


@dataclass(frozen=True)
class ModelDeclaration:
    """A private model's secrets, declared in config instead of fetched."""

    secret_inputs: FrozenSet[str]


@dataclass(frozen=True)
class Config:
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

    @property
    def cache_dir(self) -> Path:
        return self.schema_dir if self.schema_dir is not None else self.root / DEFAULT_SCHEMA_DIR

    def enabled_codes(self) -> FrozenSet[str]:
        chosen = _expand(self.select) | _expand(self.extend_select)
        return frozenset(chosen - _expand(self.ignore))

    def codes_for(self, relative_path: str) -> FrozenSet[str]:
        enabled = self.enabled_codes()
        for pattern, codes in self.per_file_ignores:
            if path_matches(relative_path, pattern):
                enabled = enabled - _expand(codes)
        return frozenset(enabled)

    def env_name_for(self, model: Optional[str], input_name: str) -> Optional[str]:
        """The configured variable name for an input, per model first, then per input."""
        if model is not None:
            per_model = self.env_names.get(model.split(":", 1)[0])
            if isinstance(per_model, Mapping) and input_name in per_model:
                return str(per_model[input_name])
        value = self.env_names.get(input_name)
        return value if isinstance(value, str) else None


def _expand(selectors: Sequence[str]) -> FrozenSet[str]:
    from lint_secrets.catalog import ALL_CODES

    return frozenset(code for code in ALL_CODES for s in selectors if s == "ALL" or code.startswith(s))


class GlobSet:
    """Glob patterns matched as ruff does: against the path from the root, or the file name
    alone; `dir/**` also matches `dir`. Compiled once, since a walk asks about every entry.
    """

    def __init__(self, patterns: Sequence[str]) -> None:
        cleaned = [_clean_pattern(p) for p in patterns]
        self._whole = _compile(cleaned)
        self._name = _compile([p for p in cleaned if "/" not in p])
        self._prefixes = tuple(p[:-3] for p in cleaned if p.endswith("/**"))

    def matches(self, relative_path: str) -> bool:
        if self._whole is not None and self._whole.match(relative_path):
            return True
        if self._name is not None and self._name.match(relative_path.rsplit("/", 1)[-1]):
            return True
        return any(relative_path == p or relative_path.startswith(p + "/") for p in self._prefixes)


def _clean_pattern(pattern: str) -> str:
    pattern = pattern.rstrip("/")
    return pattern[2:] if pattern.startswith("./") else pattern


def _compile(patterns: Sequence[str]) -> Optional[re.Pattern[str]]:
    from fnmatch import translate

    return re.compile("|".join(translate(p) for p in patterns)) if patterns else None


def path_matches(relative_path: str, pattern: str) -> bool:
    return GlobSet((pattern,)).matches(relative_path)


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


def _read_toml(path: Path) -> Dict[str, Any]:
    try:
        with open(path, "rb") as handle:
            return tomllib.load(handle)
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
    """The configuration for a run over `paths`: `--config`, else the nearest pyproject.toml."""
    if isolated:
        return Config(root=Path.cwd())
    if config_file is None:
        config_file = find_pyproject(_common_start(paths))
        if config_file is None:
            return Config(root=Path.cwd())
    document = _read_toml(config_file)
    table = document.get("tool", {}).get("lint-secrets", {}) if isinstance(document.get("tool"), dict) else {}
    if config_file.name != "pyproject.toml" and not table:
        # A dedicated config file may hold the options at the top level.
        table = {k: v for k, v in document.items() if k != "tool"}
    root = config_file.resolve().parent
    return parse_table(table, root=root, source=config_file)


def _common_start(paths: Sequence[Path]) -> Path:
    if not paths:
        return Path.cwd()
    try:
        common = Path(os.path.commonpath([os.path.abspath(p) for p in paths]))
    except ValueError:
        return Path.cwd()
    return common


_KNOWN = {
    "schema-dir",
    "exclude",
    "extend-exclude",
    "select",
    "ignore",
    "extend-select",
    "per-file-ignores",
    "models",
    "env-names",
}


def parse_table(table: Mapping[str, Any], *, root: Path, source: Path) -> Config:
    where = f"{source}: [tool.lint-secrets]"
    if not isinstance(table, Mapping):
        raise ConfigError(f"{where} must be a table")
    for key in table:
        if key not in _KNOWN:
            hint = f" (did you mean {key.replace('_', '-')!r}?)" if key.replace("_", "-") in _KNOWN else ""
            raise ConfigError(f"{where}: unknown option {key!r}{hint}")
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
    if "per-file-ignores" in table:
        value = table["per-file-ignores"]
        if not isinstance(value, Mapping):
            raise ConfigError(f"{where}: 'per-file-ignores' must be a table of glob = [codes]")
        config = replace(
            config,
            per_file_ignores=tuple(
                (pattern, _codes(codes, f"{where}: 'per-file-ignores' {pattern!r}"))
                for pattern, codes in value.items()
            ),
        )
    if "models" in table:
        config = replace(config, models=_models(table["models"], where))
    if "env-names" in table:
        config = replace(config, env_names=_env_names(table["env-names"], where))
    return config


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
            if key != "secret-inputs":
                raise ConfigError(f"{where}: unknown option 'models.\"{name}\".{key}'")
        inputs = _string_list(entry.get("secret-inputs", []), f"{where}: 'models.\"{name}\".secret-inputs'")
        models[name] = ModelDeclaration(secret_inputs=frozenset(inputs))
    return models


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


def relative_to_root(path: Path, root: Path) -> str:
    """`path` from `root` with forward slashes; paths outside the root stay as given."""
    absolute = os.path.abspath(path)
    relative = os.path.relpath(absolute, os.path.abspath(root))
    if relative.startswith(".."):
        return path.as_posix()
    return Path(relative).as_posix() if relative != "." else ""


__all__: List[str] = [
    "Config",
    "ConfigError",
    "GlobSet",
    "ModelDeclaration",
    "load_config",
    "parse_table",
    "path_matches",
    "relative_to_root",
]
