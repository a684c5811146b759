"""Secrets that are not written in the code: values read from a credential's environment variable.

RS104-RS106 ask what a model call sends, not only which literals: a value read from
`HF_TOKEN` is a secret wherever it goes. This module answers two questions about a call:

- `call_inputs`: every input with the expression that gives its value (where the key and
  value are written), and whether the code says *all* of the inputs (no `**` spread or dict
  from elsewhere);
- `secret_read`: whether an expression is a read of an environment variable whose name says
  it holds a credential, directly or through a name, a `self.` attribute, a class attribute
  or a pydantic settings field bound to such a read.

It works on the resolver of `analysis.values` and `analysis.replicate_sdk` through their
public questions only (`lookup`, `string`, `self_attribute`, `sym`).
"""

from __future__ import annotations

import ast
import weakref
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Dict, FrozenSet, Iterator, List, Optional, Set, Tuple, Union

from lint_secrets.analysis.scopes import ASSIGN, IMPORT, PARAM, UNKNOWN, Scope, ScopeBuilder
from lint_secrets.analysis.values import MAX_DEPTH, argument, function_returns, subscript_key, value_context
from lint_secrets.heuristics import TEXT_TOKEN_WORDS, words
from lint_secrets.records import Record

if TYPE_CHECKING:
    from lint_secrets.analysis.replicate_sdk import ModelCall, SdkResolver

# A variable's name says "credential" by its last word, as an input's does (heuristics.py):
# `HF_TOKEN`, `OPENAI_API_KEY`, `DB_PASSWORD`, `PGPASSWORD`, `GITHUB_PAT`. Not `MAX_TOKENS`,
# `EOS_TOKEN` (a text token), `TOKENIZER`, `PASSWORD_RESET_URL`, `SECRET_KEY_PATH`.
CREDENTIAL_LAST_WORDS = frozenset(
    {"token", "secret", "password", "passwd", "passphrase", "apikey", "credential", "credentials", "cookie"}
)
# `X_PAT` (a personal access token), `X_PASS`, `X_KEY`: credentials after most words, not these.
NOT_CREDENTIAL_BEFORE_TOKEN = TEXT_TOKEN_WORDS | frozenset({"max", "min", "num", "total", "limit", "count"})
NOT_CREDENTIAL_BEFORE_PASS = frozenset(
    {
        "first",
        "second",
        "third",
        "two",
        "single",
        "multi",
        "render",
        "refine",
        "num",
        "max",
        "min",
        "final",
        "by",
    }
)
NOT_CREDENTIAL_BEFORE_KEY = frozenset(
    {
        "cache", "sort", "primary", "partition", "foreign", "object", "bucket", "s3", "idempotency",
        "lookup", "index", "hash", "row", "group", "map", "routing", "shard", "dedup", "dedupe",
        "public", "pub", "publishable", "site", "trace", "event", "message", "queue", "topic",
        "stream", "table", "column", "field", "json", "cursor", "prefix", "storage", "file", "path",
        "config", "feature", "experiment", "region", "hot", "shortcut", "music", "musical", "dict",
        "composite", "unique", "natural", "surrogate", "sharding", "grouping", "ordering", "rate",
    }
)  # fmt: skip
# Variables whose names sound like a credential but that hold a path to one: the path is no secret.
NOT_CREDENTIAL_VARIABLES = frozenset({"GOOGLE_APPLICATION_CREDENTIALS"})


def is_credential_env_name(
    name: str, configured: FrozenSet[str] = frozenset(), excluded: FrozenSet[str] = frozenset()
) -> bool:
    """Whether a value read from the variable `name` is a credential: `configured` says yes
    (`secret-env-names`, `env-names`), `excluded` says no (`non-secret-env-names`), and
    otherwise its last word does."""
    if name in excluded:
        return False
    if name in configured:
        return True
    if name.upper() in NOT_CREDENTIAL_VARIABLES:
        return False
    parts = words(name)
    if not parts:
        return False
    last, before = parts[-1], parts[-2] if len(parts) > 1 else None
    if last == "token":
        return before not in NOT_CREDENTIAL_BEFORE_TOKEN
    if last in CREDENTIAL_LAST_WORDS or last.endswith(("password", "passwd")):  # PGPASSWORD
        return True
    if before is None:
        return False  # `KEY`, `PAT`, `PASS` alone say too little
    if last == "pat":
        return True
    if last == "pass":
        return before not in NOT_CREDENTIAL_BEFORE_PASS
    if last == "key":
        return before not in NOT_CREDENTIAL_BEFORE_KEY
    return False


@dataclass(frozen=True, repr=False, eq=False)
class EnvRead(Record):
    """An expression whose value is read from the environment variable `variable`."""

    variable: str
    via: Optional[str] = None  # the name, attribute or settings field the read is bound to


@dataclass(frozen=True, repr=False, eq=False)
class InputValue(Record):
    name: str
    value: ast.expr  # the expression whose value the input gets
    scope: Scope
    line: int
    key: Optional[ast.expr] = None  # the dict key, or the keyword's name, that names the input


@dataclass
class CallInputs:
    values: List[InputValue] = field(default_factory=list)
    complete: bool = True  # False: some inputs come from where the code doesn't say

    def names(self) -> FrozenSet[str]:
        return frozenset(v.name for v in self.values)


# Answers of `call_inputs` per module (its SDK resolver), by call: RS104, RS105 and RS106 each
# ask of every call. Each answer keeps its call, so no other call can take its id.
_CALL_INPUTS_MEMO: weakref.WeakKeyDictionary[SdkResolver, Dict[int, Tuple[ModelCall, CallInputs]]] = (
    weakref.WeakKeyDictionary()
)


def call_inputs(sdk: SdkResolver, call: ModelCall) -> CallInputs:
    """The inputs a model call sends, as far as the code says: the inputs `analysis.values`
    resolved for the call, each with the expression of its value. Shared by the rules that
    ask: not to be changed."""
    memo = _CALL_INPUTS_MEMO.setdefault(sdk, {})
    known = memo.get(id(call))
    if known is None:
        known = memo[id(call)] = (call, _call_inputs(sdk, call))
    return known[1]


def _call_inputs(sdk: SdkResolver, call: ModelCall) -> CallInputs:
    found = CallInputs()
    scope, form, node = call.scope, call.form, call.node
    rest_body = call.inputs_at if form is None else None  # a REST request's `"input": {...}`
    if scope is None or (form is None and rest_body is None):
        found.complete = False
        return found
    for use in call.inputs:
        if use.value is None or use.scope is None:
            found.complete = False
            continue
        found.values.append(InputValue(use.name, use.value, use.scope, use.line, _key_node(use.key)))
    found.complete = "inputs" not in call.unresolved
    if rest_body is not None:
        spread = [rest_body[0]]
    elif form is None:
        spread = []
    elif form.input_name is None:
        spread = [k.value for k in node.keywords if k.arg is None]
    else:
        if any(isinstance(a, ast.Starred) for a in node.args) or any(k.arg is None for k in node.keywords):
            found.complete = False  # `run(*args, **kwargs)`: the inputs may be in there
        given = argument(node, form.input_position, form.input_name)
        spread = [given] if given is not None else []
    if found.complete and any(_open(sdk, part, scope, node.lineno, 0) for part in spread):
        found.complete = False
    return found


def _key_node(key: Optional[ast.AST]) -> Optional[ast.expr]:
    """Where the input's name is written, as an expression (a keyword's name is not one)."""
    if isinstance(key, ast.expr):
        return key
    if isinstance(key, ast.keyword) and key.arg is not None:
        name = ast.Name(id=key.arg, ctx=ast.Load())
        name.lineno = name.end_lineno = key.lineno
        name.col_offset = key.col_offset
        name.end_col_offset = key.col_offset + len(key.arg)
        return name
    return None


def _open(sdk: SdkResolver, node: Optional[ast.expr], scope: Scope, line: int, depth: int) -> bool:
    """Whether a dict may hold keys that `analysis.values` can't see: a parameter's (its caller
    may pass anything), or a dict another function fills (`INPUTS["k"] = ...` in `setup()`,
    `DEFAULTS.update(...)` in `configure()`), or one handed to a helper that may fill it."""
    if node is None:
        return False
    if depth > MAX_DEPTH:
        return True
    values = sdk.values
    if isinstance(node, ast.Dict):
        return any(_open(sdk, v, scope, line, depth + 1) for k, v in zip(node.keys, node.values) if k is None)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
        return _open(sdk, node.left, scope, line, depth + 1) or _open(sdk, node.right, scope, line, depth + 1)
    if isinstance(node, ast.Call):
        func = node.func
        if isinstance(func, ast.Attribute) and func.attr == "copy" and not node.args:
            return _open(sdk, func.value, scope, line, depth + 1)
        if isinstance(func, ast.Name) and func.id == "dict":
            parts = [*node.args[:1], *(k.value for k in node.keywords if k.arg is None)]
            return any(_open(sdk, part, scope, line, depth + 1) for part in parts)
        return False  # a function's result: `values` says whether it sees all of it
    if not isinstance(node, ast.Name):
        return False
    binding, where = values.lookup(node.id, scope, line)
    if binding is None:
        return False
    if binding.kind is PARAM:
        return True
    if binding.kind is not ASSIGN or binding.value is None:
        return False
    if _may_be_filled_elsewhere(sdk, node.id, where, binding.line):
        return True
    return _open(sdk, binding.value, *value_context(binding, where), depth + 1)


# Methods that add keys to a dict.
_FILLING_METHODS = frozenset({"setdefault", "update", "__setitem__", "__ior__", "__or__", "fromkeys"})


# Answers of `_may_be_filled_elsewhere` per module (its scopes): every call that sends one dict asks.
_FILLED_MEMO: weakref.WeakKeyDictionary[ScopeBuilder, Dict[Tuple[str, int, int], bool]] = (
    weakref.WeakKeyDictionary()
)


def _may_be_filled_elsewhere(sdk: SdkResolver, name: str, where: Scope, after_line: int) -> bool:
    """Whether the dict bound to `name` in `where` may get keys the code doesn't show: passed to
    a function (`fill(inputs)`) after `after_line`, or, in a function `where` encloses (which
    runs later, wherever it is written), filled or handed on while `name` there is `where`'s."""
    memo = _FILLED_MEMO.setdefault(sdk.values.builder, {})
    key = (name, id(where), after_line)
    if key not in memo:
        memo[key] = _filled_elsewhere(sdk, name, where, after_line)
    return memo[key]


def _filled_elsewhere(sdk: SdkResolver, name: str, where: Scope, after_line: int) -> bool:
    index = _fill_index(sdk.values.builder)
    if index.last_own_fill(where, name) > after_line:
        return True
    for inner in index.enclosed(where):
        if sdk.values.lookup(name, inner, _END)[1] is not where:
            continue  # a local of the same name: another dict
        if inner.mutations.get(name) or index.filled_inside(inner, name):
            return True
    return False


class _FillIndex:
    """Where each scope's own code may fill a dict bound to a name: passes it to a call
    (not a Replicate call's input), calls a filling method on it (`d.update(...)`), `d |= ...`,
    or stores an item (`d[k] = v`, which counts only from an enclosed function: in the
    dict's own scope the resolver follows it). Each scope's code is walked once, when first
    asked about, so each dict's question costs a lookup, not a walk of the module (which
    made a file of many calls quadratic)."""

    def __init__(self, builder: ScopeBuilder) -> None:
        self._children: Dict[int, List[Scope]] = {}
        for scope in builder.scopes:
            if scope.parent is not None:
                self._children.setdefault(id(scope.parent), []).append(scope)
        # scope -> (name -> last line it is filled on, names with an item stored)
        self._events: Dict[int, Tuple[Dict[str, int], Set[str]]] = {}

    def _of(self, scope: Scope) -> Tuple[Dict[str, int], Set[str]]:
        events = self._events.get(id(scope))
        if events is None:
            last_fill: Dict[str, int] = {}
            stores: Set[str] = set()
            for node in _own_nodes(scope):
                for filled in _names_filled(node):
                    last_fill[filled] = max(last_fill.get(filled, -1), getattr(node, "lineno", 0))
                if (
                    isinstance(node, ast.Subscript)
                    and isinstance(node.value, ast.Name)
                    and not isinstance(node.ctx, ast.Load)
                ):
                    stores.add(node.value.id)
            events = self._events[id(scope)] = (last_fill, stores)
        return events

    def last_own_fill(self, scope: Scope, name: str) -> int:
        return self._of(scope)[0].get(name, -1)

    def filled_inside(self, scope: Scope, name: str) -> bool:
        last_fill, stores = self._of(scope)
        return name in last_fill or name in stores

    def enclosed(self, scope: Scope) -> Iterator[Scope]:
        """Every scope `scope` encloses, at any depth."""
        pending = list(self._children.get(id(scope), []))
        while pending:
            inner = pending.pop()
            yield inner
            pending.extend(self._children.get(id(inner), []))


def _names_filled(node: ast.AST) -> Iterator[str]:
    if isinstance(node, ast.Call):
        if not _is_replicate_input(node):
            for arg in [*node.args, *(k.value for k in node.keywords)]:
                if isinstance(arg, ast.Starred):
                    arg = arg.value
                if isinstance(arg, ast.Name):
                    yield arg.id
        func = node.func
        if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name):
            if func.attr in _FILLING_METHODS:
                yield func.value.id
    elif isinstance(node, ast.AugAssign) and isinstance(node.target, ast.Name):
        yield node.target.id


_FILL_INDEXES: weakref.WeakKeyDictionary[ScopeBuilder, _FillIndex] = weakref.WeakKeyDictionary()


def _fill_index(builder: ScopeBuilder) -> _FillIndex:
    index = _FILL_INDEXES.get(builder)
    if index is None:
        index = _FILL_INDEXES[builder] = _FillIndex(builder)
    return index


_END = 1 << 30  # a line after every other: what a name is anywhere in a function's body


def _own_nodes(scope: Scope) -> Iterator[ast.AST]:
    """The nodes of a scope's own code: not those of the functions and classes it defines
    (their scopes are looked at on their own), but their decorators and defaults."""
    root = scope.node
    pending: List[ast.AST] = list(ast.iter_child_nodes(root))
    if isinstance(root, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
        pending = [*root.body] if isinstance(root.body, list) else [root.body]
    while pending:
        node = pending.pop()
        yield node
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)):
            continue
        pending.extend(ast.iter_child_nodes(node))


def _is_name(node: ast.expr, name: str) -> bool:
    return isinstance(node, ast.Name) and node.id == name


def _is_replicate_input(call: ast.Call) -> bool:
    """`replicate.run(..., input=inputs)` and the like hand the dict over; they don't fill it."""
    return any(k.arg == "input" for k in call.keywords) or (
        isinstance(call.func, ast.Attribute) and call.func.attr in ("run", "create", "stream", "async_run")
    )


# ---------------------------------------------------------------------------
# Environment reads


def secret_read(
    sdk: SdkResolver,
    node: ast.expr,
    scope: Scope,
    line: int,
    configured: FrozenSet[str] = frozenset(),
    excluded: FrozenSet[str] = frozenset(),
) -> Optional[EnvRead]:
    """The credential variable `node` is read from, if the code says it is one."""
    read = env_read(sdk, node, scope, line)
    if read is not None and is_credential_env_name(read.variable, configured, excluded):
        return read
    return None


# Methods of a string whose result is the whole value, changed only in form.
_TEXT_METHODS = frozenset({"strip", "lstrip", "rstrip", "upper", "lower", "encode", "decode", "replace"})
_TEXT_BUILDERS = frozenset({"str", "format", "bytes"})
_FIELD_FUNCTIONS = frozenset({"field", "Field", "dataclasses.field", "pydantic.Field"})


def env_read(sdk: SdkResolver, node: ast.expr, scope: Scope, line: int, depth: int = 0) -> Optional[EnvRead]:
    """The environment variable an expression's value is read from: the value itself, or text
    that holds it whole (`f"Bearer {token}"`, `"key " + token`, `token.strip()`)."""
    if depth > MAX_DEPTH:
        return None
    values = sdk.values
    if isinstance(node, ast.Subscript):
        environ = sdk.sym(node.value, scope, line)
        if environ is not None and environ.root.value == "os" and environ.path == ("environ",):
            return _named(values.string(subscript_key(node), scope, line))
        key = values.string(subscript_key(node), scope, line)
        if key is not None and _is_dotenv_values(sdk, node.value, scope, line, depth):
            return EnvRead(key, "a .env file")
        if key is not None:  # `SECRETS["hf"]`: the dict's entry, as values.py resolves it
            for use in values.inputs(node.value, scope, line):
                if use.name == key and use.value is not None and use.scope is not None:
                    return env_read(sdk, use.value, use.scope, use.line, depth + 1)
        return None
    if isinstance(node, ast.Call):
        return _call_read(sdk, node, scope, line, depth)
    if isinstance(node, ast.BoolOp):  # `os.environ.get("HF_TOKEN") or ""`
        for part in node.values:
            read = env_read(sdk, part, scope, line, depth + 1)
            if read is not None:
                return read
        return None
    if isinstance(node, ast.JoinedStr):
        for part in node.values:
            if isinstance(part, ast.FormattedValue):
                read = env_read(sdk, part.value, scope, line, depth + 1)
                if read is not None:
                    return read
        return None
    if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Add, ast.Mod)):
        return env_read(sdk, node.left, scope, line, depth + 1) or env_read(
            sdk, node.right, scope, line, depth + 1
        )
    if isinstance(node, ast.Await):
        return None
    if isinstance(node, ast.Name):
        binding, where = values.lookup(node.id, scope, line)
        if binding is None or binding.value is None or binding.kind not in (ASSIGN, PARAM):
            return None
        read = env_read(sdk, binding.value, *value_context(binding, where), depth + 1)
        return _via(read, node.id)
    if isinstance(node, ast.Attribute):
        held = values.self_attribute(node, scope)
        if held is not None:
            binding, where = held
            if binding.value is None:
                return None
            return _via(env_read(sdk, binding.value, where, binding.line, depth + 1), f"self.{node.attr}")
        return _class_attribute(sdk, node, scope, line, depth)
    return None


def _call_read(sdk: SdkResolver, node: ast.Call, scope: Scope, line: int, depth: int) -> Optional[EnvRead]:
    values = sdk.values
    func = node.func
    called = sdk.sym(func, scope, line)
    if called is not None and called.root.value == "os" and called.path in (("environ", "get"), ("getenv",)):
        return _named(values.string(argument(node, 0, "key"), scope, line))
    if isinstance(func, ast.Attribute):
        # `token.strip()`, and pydantic's `settings.hf_token.get_secret_value()`
        if func.attr in _TEXT_METHODS or (func.attr == "get_secret_value" and not node.args):
            return env_read(sdk, func.value, scope, line, depth + 1)
        if func.attr in ("format", "join") and isinstance(func.value, ast.Constant):
            for part in [*node.args, *(k.value for k in node.keywords)]:
                read = env_read(sdk, part, scope, line, depth + 1)
                if read is not None:
                    return read
        return None
    if not isinstance(func, ast.Name):
        return None
    if func.id in _TEXT_BUILDERS and node.args and values.lookup(func.id, scope, line)[0] is None:
        return env_read(sdk, node.args[0], scope, line, depth + 1)
    if _imported_name(sdk, func, scope, line) in _FIELD_FUNCTIONS:
        # `field(default_factory=lambda: os.environ["X"])`, `field(default=os.getenv("X"))`
        for keyword in node.keywords:
            if keyword.arg == "default_factory" and isinstance(keyword.value, ast.Lambda):
                return env_read(sdk, keyword.value.body, scope, line, depth + 1)
            if keyword.arg == "default":
                return env_read(sdk, keyword.value, scope, line, depth + 1)
        return None
    built = _local_function(sdk, func, scope, line)
    if built is not None:  # `helper()` returning a read
        function, inside = built
        for returned in function_returns(function):
            if returned.value is not None:
                read = env_read(sdk, returned.value, inside, returned.lineno, depth + 1)
                if read is not None:
                    return _via(read, f"{func.id}()")
    return None


def _local_function(
    sdk: SdkResolver, func: ast.Name, scope: Scope, line: int
) -> Optional[Tuple[Union[ast.FunctionDef, ast.AsyncFunctionDef], Scope]]:
    binding, _ = sdk.values.lookup(func.id, scope, line)
    function = binding.definition if binding is not None else None
    if not isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef)):
        return None
    inside = sdk.values.scope_of(function)
    return (function, inside) if inside is not None else None


def _imported_name(sdk: SdkResolver, node: ast.expr, scope: Scope, line: int) -> Optional[str]:
    """`dotenv.dotenv_values` for `dotenv_values` imported from dotenv, or `dotenv.dotenv_values`
    written out; the bare name for a name bound to nothing (a builtin, or a star import)."""
    if isinstance(node, ast.Name):
        binding, _ = sdk.values.lookup(node.id, scope, line)
        if binding is None:
            return node.id
        if binding.kind is IMPORT and binding.qualname:
            return binding.qualname
        return None
    if isinstance(node, ast.Attribute):
        base = _imported_name(sdk, node.value, scope, line)
        return f"{base}.{node.attr}" if base is not None else None
    return None


def _is_dotenv_values(sdk: SdkResolver, node: ast.expr, scope: Scope, line: int, depth: int) -> bool:
    """`dotenv_values(...)`, or a name bound to it: a dict of the variables a .env file sets."""
    if depth > MAX_DEPTH:
        return False
    if isinstance(node, ast.Call):
        return _imported_name(sdk, node.func, scope, line) == "dotenv.dotenv_values"
    if isinstance(node, ast.Name):
        binding, where = sdk.values.lookup(node.id, scope, line)
        if binding is not None and binding.kind is ASSIGN and binding.value is not None:
            return _is_dotenv_values(sdk, binding.value, *value_context(binding, where), depth + 1)
    return False


def _named(variable: Optional[str]) -> Optional[EnvRead]:
    return EnvRead(variable) if variable else None


def _via(read: Optional[EnvRead], name: str) -> Optional[EnvRead]:
    if read is None:
        return None
    return read if read.via is not None else EnvRead(read.variable, name)


def _class_attribute(
    sdk: SdkResolver, node: ast.Attribute, scope: Scope, line: int, depth: int
) -> Optional[EnvRead]:
    """`Config.HF_TOKEN`, or `settings.hf_token` for `settings = Settings()` (also
    `Settings().hf_token` and `get_settings().hf_token` for a function that returns one) of a
    pydantic `BaseSettings` class, which reads the field from the variable named like it."""
    base = node.value
    class_scope = _class_of(sdk, base, scope, line)
    instance = False
    if class_scope is None:
        class_scope = _instance_of(sdk, base, scope, line, depth)
        instance = class_scope is not None
    if class_scope is None or not isinstance(class_scope.node, ast.ClassDef):
        return None
    dotted = f"{_dotted(base)}.{node.attr}"
    bindings = class_scope.bindings.get(node.attr, [])
    if len(bindings) == 1 and bindings[0].kind is ASSIGN and bindings[0].value is not None:
        read = env_read(sdk, bindings[0].value, class_scope, bindings[0].line, depth + 1)
        if read is not None:
            return _via(read, dotted)
    if instance and is_settings_class(class_scope.node):
        variable = settings_variable(class_scope.node, node.attr)
        if variable is not None:
            return EnvRead(variable, dotted)
    return None


def _instance_of(sdk: SdkResolver, node: ast.expr, scope: Scope, line: int, depth: int) -> Optional[Scope]:
    """The class scope of the object `node` is: `Settings()`, a name bound to it, or the call
    of a function of this module that returns one (`@lru_cache def get_settings()`)."""
    if depth > MAX_DEPTH:
        return None
    if isinstance(node, ast.Name):
        binding, where = sdk.values.lookup(node.id, scope, line)
        if binding is not None and binding.kind is ASSIGN and binding.value is not None:
            return _instance_of(sdk, binding.value, *value_context(binding, where), depth + 1)
        return None
    if not isinstance(node, ast.Call):
        return None
    made = _class_of(sdk, node.func, scope, line)
    if made is not None:
        return made
    if isinstance(node.func, ast.Name):
        built = _local_function(sdk, node.func, scope, line)
        if built is not None:
            function, inside = built
            for returned in function_returns(function):
                if returned.value is not None:
                    found = _instance_of(sdk, returned.value, inside, returned.lineno, depth + 1)
                    if found is not None:
                        return found
    return None


def _class_of(sdk: SdkResolver, node: ast.expr, scope: Scope, line: int) -> Optional[Scope]:
    if not isinstance(node, ast.Name):
        return None
    binding, where = sdk.values.lookup(node.id, scope, line)
    if binding is None or binding.kind is not UNKNOWN:
        return None
    for candidate in sdk.values.builder.scopes:
        if (
            candidate.is_class
            and candidate.parent is where
            and isinstance(candidate.node, ast.ClassDef)
            and candidate.node.name == node.id
            and candidate.node.lineno == binding.line
        ):
            return candidate
    return None


def _dotted(node: ast.expr) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return f"{_dotted(node.value)}.{node.attr}"
    if isinstance(node, ast.Call):
        return f"{_dotted(node.func)}()"
    return "..."


def is_settings_class(node: ast.ClassDef) -> bool:
    return any(_dotted(base).rsplit(".", 1)[-1] == "BaseSettings" for base in node.bases)


def settings_variable(node: ast.ClassDef, name: str) -> Optional[str]:
    """The variable a settings field is read from: `Field(validation_alias="X")` (or pydantic
    1's `env="X"`) names it; otherwise it is the prefix and the field's name."""
    for statement in node.body:
        if (
            isinstance(statement, ast.AnnAssign)
            and isinstance(statement.target, ast.Name)
            and statement.target.id == name
        ):
            value = statement.value
            if isinstance(value, ast.Call):
                for keyword in value.keywords:
                    if keyword.arg in ("validation_alias", "alias", "env"):
                        alias = keyword.value
                        # `AliasChoices(...)`, a name: which variable is read is not written here.
                        if isinstance(alias, ast.Constant) and isinstance(alias.value, str):
                            return alias.value
                        return None
            return f"{_env_prefix(node)}{name}".upper()
    return None


def _env_prefix(node: ast.ClassDef) -> str:
    """`model_config = SettingsConfigDict(env_prefix="APP_")`, or pydantic 1's `class Config`."""
    for statement in node.body:
        if isinstance(statement, ast.Assign) and isinstance(statement.value, ast.Call):
            for keyword in statement.value.keywords:
                if keyword.arg == "env_prefix" and isinstance(keyword.value, ast.Constant):
                    return str(keyword.value.value)
        if isinstance(statement, ast.ClassDef) and statement.name == "Config":
            for inner in statement.body:
                if (
                    isinstance(inner, ast.Assign)
                    and any(isinstance(t, ast.Name) and t.id == "env_prefix" for t in inner.targets)
                    and isinstance(inner.value, ast.Constant)
                ):
                    return str(inner.value.value)
    return ""
