"""The local schema cache: raw Replicate API responses stored at their API path (the layout
is `lint_secrets.model_refs`').

Lookups never raise: a broken entry becomes a `FileError` the run reports once,
and the model counts as having no known schema.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Dict, FrozenSet, List, Mapping, Optional, Set, Tuple

from lint_secrets.findings import FileError
from lint_secrets.model_refs import ModelRef, parse_model_ref
from lint_secrets.records import Record

PREDICTION = "Input"
TRAINING = "TrainingInput"

MAX_ENTRY_BYTES = 16 * 1024 * 1024


def _model_named(owner: str, name: str) -> Optional[ModelRef]:
    """The model a cache directory's names stand for; None when they can't name one."""
    try:
        return ModelRef("model", owner, name)
    except ValueError:
        return None


@dataclass(frozen=True, repr=False, eq=False)
class SchemaInfo(Record):
    """The secret inputs a schema declares, for predictions and for trainings."""

    source: str  # where the schema came from, for messages
    secrets: Mapping[str, FrozenSet[str]]  # PREDICTION/TRAINING -> input names
    inputs: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    required: Mapping[str, FrozenSet[str]] = field(default_factory=dict)
    # The secret inputs Replicate redacts: cog `Secret`s (`x-cog-secret`), not every password field
    redacted: Mapping[str, FrozenSet[str]] = field(default_factory=dict)
    # Inputs ("Input.name") whose $ref/allOf walk gave up: taken as secret, and reported.
    unwalked: Tuple[str, ...] = ()

    def has(self, kind: str) -> bool:
        return kind in self.secrets


@dataclass
class SchemaStore:
    """Reads the cache lazily; one instance per process, so each file is read once."""

    root: Path
    declared: Mapping[str, FrozenSet[str]] = field(default_factory=dict)
    errors: Dict[str, FileError] = field(default_factory=dict)
    # The project root the cache belongs to: no directory from it down to `root` may be a link.
    base: Optional[Path] = None
    _documents: Dict[str, Optional[Any]] = field(default_factory=dict)
    _version_index: Optional[Dict[str, ModelRef]] = None
    _lookups: Dict[ModelRef, Optional[SchemaInfo]] = field(default_factory=dict)
    _root_checked: bool = False
    _root_usable: bool = True

    def _usable_root(self) -> bool:
        """False (and one error) when the cache directory is, or is reached through, a link."""
        if not self._root_checked:
            self._root_checked = True
            link = cache_root_link(self.root, self.base)
            if link is not None:
                self._root_usable = False
                shown = str(self.root)
                self.errors.setdefault(shown, FileError(shown, f"schema cache: {root_link_message(link)}"))
        return self._root_usable

    def lookup(self, ref: ModelRef) -> Optional[SchemaInfo]:
        """The schema `ref` points at, or None when the cache doesn't know it."""
        # Every call to a model asks again; reading the schema's secrets once is enough.
        try:
            return self._lookups[ref]
        except KeyError:
            found = self._lookups[ref] = self._lookup(ref)
            return found

    def _lookup(self, ref: ModelRef) -> Optional[SchemaInfo]:
        if ref.kind == "deployment":
            path = ref.cache_path()
            record = self._read(path)
            release = record.get("current_release") if isinstance(record, dict) else None
            if record is None:
                return None
            if not isinstance(release, dict) or not isinstance(release.get("model"), str):
                self._error(path, "no current_release.model in deployment")
                return None
            version = release.get("version")
            target = parse_model_ref(
                f"{release['model']}:{version}" if isinstance(version, str) else release["model"]
            )
            if target is None:
                self._error(path, "current_release names no valid model version")
                return None
            return self.lookup(target)
        schema = self._schema_for(ref)
        declared = self.declared.get(ref.model_name or "")
        if schema is None and declared is None:
            return None
        return _merge(schema, declared, ref)

    def deployment_target(self, ref: ModelRef) -> Optional[ModelRef]:
        """The model a deployment runs, from its cached record (None when not cached or unreadable)."""
        record = self._read(ref.cache_path())
        release = record.get("current_release") if isinstance(record, dict) else None
        model = release.get("model") if isinstance(release, dict) else None
        return parse_model_ref(model) if isinstance(model, str) else None

    def _schema_for(self, ref: ModelRef) -> Optional[SchemaInfo]:
        if ref.kind == "model":
            path = ref.cache_path()
            model = self._read(path)
            if not isinstance(model, dict):
                return None
            if "latest_version" not in model:
                self._error(path, "not a model response: no 'latest_version'")
                return None
            latest = model["latest_version"]
            if latest is None:
                return None
            if not isinstance(latest, dict):
                self._error(path, "'latest_version' is not an object")
                return None
            return self._from_version(latest, path)
        if ref.owner is None:
            found = self._find_version(str(ref.version))
            if found is None:
                return None
            ref = found
        path = ref.cache_path()
        version = self._read(path)
        if isinstance(version, dict):
            return self._from_version(version, path)
        # The version may be the model's latest, stored only inside the model response.
        model_path = ref.of_model().cache_path()
        model = self._read(model_path)
        if isinstance(model, dict):
            latest = model.get("latest_version")
            if isinstance(latest, dict) and latest.get("id") == ref.version:
                return self._from_version(latest, model_path)
        return None

    def resolve_version(self, version: str) -> Optional[ModelRef]:
        return self._find_version(version)

    def _find_version(self, version: str) -> Optional[ModelRef]:
        if self._version_index is None:
            self._version_index = self._index_versions()
        model = self._version_index.get(version)
        if model is None:
            return None
        return ModelRef("version", model.owner, model.name, version)

    def _index_versions(self) -> Dict[str, ModelRef]:
        """Each cached version id -> its model (a directory that names no model is passed over)."""
        index: Dict[str, ModelRef] = {}
        models_dir = self.root / "models"
        if not self._usable_root() or not models_dir.is_dir():
            return index
        for owner_dir in sorted(models_dir.iterdir()):
            if not owner_dir.is_dir() or owner_dir.is_symlink():
                continue
            for entry in sorted(owner_dir.iterdir()):
                if entry.is_dir() and not entry.is_symlink():
                    versions = entry / "versions"
                    owner_name = _model_named(owner_dir.name, entry.name)
                    if owner_name is not None and versions.is_dir():
                        for version_file in versions.glob("*.json"):
                            index.setdefault(version_file.stem, owner_name)
                elif entry.suffix == ".json":
                    owner_name = _model_named(owner_dir.name, entry.stem)
                    if owner_name is None:
                        continue
                    model = self._read(owner_name.cache_path())
                    latest = model.get("latest_version") if isinstance(model, dict) else None
                    if isinstance(latest, dict) and isinstance(latest.get("id"), str):
                        index.setdefault(latest["id"], owner_name)
        return index

    def _from_version(self, version: Mapping[str, Any], path: str) -> Optional[SchemaInfo]:
        if "openapi_schema" not in version:
            self._error(path, "no 'openapi_schema' in version")
            return None
        schema = version["openapi_schema"]
        if schema is None:
            return None
        try:
            info = schema_info(schema, source=path)
        except ValueError as exc:
            self._error(path, str(exc))
            return None
        if info.unwalked:
            self._error(
                path,
                f"the $ref/allOf parts of {', '.join(info.unwalked)} go past {MAX_SCHEMA_VISITS} "
                "before an answer; not fully checked, so taken as secret",
            )
        return info

    def _read(self, relative: str) -> Optional[Any]:
        if relative in self._documents:
            return self._documents[relative]
        document = self._load(relative)
        self._documents[relative] = document
        return document

    def _load(self, relative: str) -> Optional[Any]:
        path = self.root / relative
        if not self._usable_root():
            return None
        try:
            link = symlink_under(self.root, relative)
            if link is not None:
                # A committed link could point anywhere on the machine that runs the check.
                self._error(relative, f"symbolic link in the schema cache ({link}); not followed")
                return None
            with open(path, "rb") as handle:
                data = handle.read(MAX_ENTRY_BYTES + 1)
        except FileNotFoundError:
            return None
        except IsADirectoryError:
            self._error(relative, "is a directory, expected a JSON file")
            return None
        except OSError as exc:
            self._error(relative, f"cannot read: {exc.strerror}")
            return None
        if len(data) > MAX_ENTRY_BYTES:
            self._error(relative, "larger than 16 MiB; not a schema response")
            return None
        try:
            document = read_json(data)
        except RecursionError:
            self._error(
                relative,
                "nested too deeply to be read (no schema response is); "
                "run `lint-secrets schemas pull --refresh`",
            )
            return None
        except ValueError as exc:
            self._error(
                relative, f"invalid JSON ({_json_reason(exc)}); run `lint-secrets schemas pull --refresh`"
            )
            return None
        if not isinstance(document, dict):
            self._error(relative, "expected a JSON object")
            return None
        return document

    def _error(self, relative: str, message: str) -> None:
        shown = str(self.root / relative)
        self.errors.setdefault(shown, FileError(shown, f"schema cache: {message}"))


def cache_root_link(root: Path, base: Optional[Path] = None) -> Optional[str]:
    """The cache directory `root`, or a directory between the project root `base` and it, when
    it is a symbolic link (`.lint-secrets` pointing elsewhere, or a linked `schema-dir`)."""
    absolute = Path(os.path.abspath(root))
    start = Path(os.path.abspath(base)) if base is not None else None
    if start is not None and (absolute == start or start in absolute.parents):
        current = start
        for part in absolute.relative_to(start).parts:
            current = current / part
            if current.is_symlink():
                return str(current)
        return None
    return str(absolute) if absolute.is_symlink() else None


def root_link_message(link: str) -> str:
    return f"{link} is a symbolic link; the schema cache is not read or written through a link"


def symlink_under(root: Path, relative: str) -> Optional[str]:
    """The first component of `relative` under `root` that is a symbolic link, if any."""
    current = root
    for part in relative.split("/"):
        current = current / part
        try:
            if current.is_symlink():
                return str(current.relative_to(root))
        except (OSError, ValueError):
            return None
    return None


class NotStandardJson(ValueError):
    """Text `json.loads` accepts that JSON does not: NaN, Infinity, a lone surrogate."""


def _no_constant(name: str) -> Any:
    raise NotStandardJson(f"{name} is not a JSON value")


# A \uD800-\uDFFF escape: the only way a lone surrogate (which no UTF-8 text holds) gets in.
_SURROGATE_ESCAPE = re.compile(rb"\\u[dD][89a-fA-F][0-9a-fA-F]{2}")


def read_json(data: bytes) -> Any:
    """`data` parsed as standard JSON: ValueError (NotStandardJson for NaN, Infinity or a lone
    surrogate, which Python's reader accepts), RecursionError when nested too deeply."""
    document = json.loads(data, parse_constant=_no_constant)
    if _SURROGATE_ESCAPE.search(data):
        _reject_lone_surrogates(document)
    return document


def _reject_lone_surrogates(document: Any) -> None:
    stack = [document]
    while stack:
        value = stack.pop()
        if isinstance(value, dict):
            stack.extend(value.keys())
            stack.extend(value.values())
        elif isinstance(value, list):
            stack.extend(value)
        elif isinstance(value, str):
            try:
                value.encode("utf-8")
            except UnicodeEncodeError as exc:
                code = ord(value[exc.start])
                raise NotStandardJson(f"a lone surrogate \\u{code:04x}, which is not text") from None


def _json_reason(exc: Exception) -> str:
    if isinstance(exc, json.JSONDecodeError):
        return f"{exc.msg} at line {exc.lineno} column {exc.colno}"
    if isinstance(exc, NotStandardJson):
        return str(exc)
    return "not UTF-8"


def _merge(schema: Optional[SchemaInfo], declared: Optional[FrozenSet[str]], ref: ModelRef) -> SchemaInfo:
    if declared is None:
        assert schema is not None
        return schema
    if schema is None:
        # No schema: which inputs exist, and which Replicate redacts, is not known.
        return SchemaInfo(
            source=f'[tool.lint-secrets.models."{ref.model_name}"]',
            secrets={PREDICTION: declared, TRAINING: declared},
        )
    # A declaration makes its inputs secret (RS101), not redacted: only the model's schema
    # can say Replicate redacts an input (RS104 still judges it by the schema).
    merged = {kind: names | declared for kind, names in schema.secrets.items()}
    return SchemaInfo(
        source=schema.source,
        secrets=merged,
        inputs=schema.inputs,
        required=schema.required,
        redacted=schema.redacted,
    )


# Parts of a schema visited per input at most: a committed cache entry could nest or
# reference itself without end. Past it, the input is reported and taken as secret.
MAX_SCHEMA_VISITS = 2000


def is_redacted_property(prop: Any, components: Mapping[str, Any]) -> bool:
    """A cog `Secret` (`x-cog-secret`), or a list of them: what Replicate redacts. A plain
    `format: password` or `writeOnly` string is shown as a password field, and stored as given.
    Not when the walk gave up: then it may be stored as given, which is what gets reported."""
    return secret_marking(prop, components, cog_secret_only=True) is True


def is_secret_property(prop: Any, components: Mapping[str, Any]) -> bool:
    """A cog `Secret`: marked by `x-cog-secret`, `format: password` or `writeOnly`, or a list of
    them, through any `$ref`, `allOf`, `anyOf` or `oneOf`. True too when the walk gave up."""
    return secret_marking(prop, components) is not False


def secret_marking(
    prop: Any, components: Mapping[str, Any], *, cog_secret_only: bool = False
) -> Optional[bool]:
    """Whether any part of the schema `prop` reaches (through `$ref`, `allOf`/`anyOf`/`oneOf` and
    an array's `items`) marks a secret; None when that takes more than `MAX_SCHEMA_VISITS`
    parts (the walk gave up: the caller says so).

    Each part is looked at once, so `$ref` cycles and shared parts end the walk, not the
    answer: a part reached through a cycle is judged by all it reaches.
    """
    seen: Set[int] = set()
    todo: List[Any] = [prop]
    while todo:
        node = todo.pop()
        if not isinstance(node, Mapping) or id(node) in seen:
            continue
        seen.add(id(node))
        if len(seen) > MAX_SCHEMA_VISITS:
            return None
        if node.get("x-cog-secret") is True:
            return True
        if not cog_secret_only and (node.get("format") == "password" or node.get("writeOnly") is True):
            return True
        target = _deref(node, components)
        if target is not node:
            todo.append(target)
        if node.get("type") == "array":
            todo.append(node.get("items"))
        for key in ("allOf", "anyOf", "oneOf"):
            parts = node.get(key)
            if isinstance(parts, list):
                todo.extend(parts)
    return False


def _deref(part: Any, components: Mapping[str, Any]) -> Any:
    if isinstance(part, Mapping) and isinstance(part.get("$ref"), str):
        prefix = "#/components/schemas/"
        ref = part["$ref"]
        if ref.startswith(prefix):
            return components.get(ref[len(prefix) :])
    return part


def schema_info(schema: Any, *, source: str) -> SchemaInfo:
    """The secret inputs of an OpenAPI schema; ValueError if its shape is wrong."""
    if not isinstance(schema, Mapping):
        raise ValueError("'openapi_schema' is not an object")
    components = schema.get("components", {})
    components = components.get("schemas", {}) if isinstance(components, Mapping) else None
    if not isinstance(components, Mapping):
        raise ValueError("'components.schemas' is not an object")
    secrets: Dict[str, FrozenSet[str]] = {}
    inputs: Dict[str, Mapping[str, Any]] = {}
    required_names: Dict[str, FrozenSet[str]] = {}
    redacted: Dict[str, FrozenSet[str]] = {}
    unwalked: List[str] = []
    for kind in (PREDICTION, TRAINING):
        if kind not in components:
            continue
        section = components[kind]
        properties = section.get("properties") if isinstance(section, Mapping) else None
        if not isinstance(properties, Mapping):
            raise ValueError(f"'components.schemas.{kind}.properties' is not an object")
        for name, prop in properties.items():
            # A property we can't read could be a secret: the entry is broken, not the input harmless.
            if not isinstance(prop, Mapping):
                raise ValueError(f"'components.schemas.{kind}.properties.{name}' is not an object")
        markings = {name: secret_marking(prop, components) for name, prop in properties.items()}
        secrets[kind] = frozenset(name for name, marking in markings.items() if marking is not False)
        redacted[kind] = frozenset(
            name for name, prop in properties.items() if is_redacted_property(prop, components)
        )
        unwalked.extend(f"{kind}.{name}" for name, marking in markings.items() if marking is None)
        inputs[kind] = properties
        required = section.get("required", [])
        required_names[kind] = (
            frozenset(r for r in required if isinstance(r, str))
            if isinstance(required, list)
            else frozenset()
        )
    if not secrets:
        raise ValueError("no 'components.schemas.Input' in schema")
    return SchemaInfo(
        source=source,
        secrets=secrets,
        inputs=inputs,
        required=required_names,
        redacted=redacted,
        unwalked=tuple(unwalked),
    )
