"""What the Replicate Python SDK's objects are, and which of their calls send inputs to a model.

The SDK's call forms are data: `MODEL_CALLS_TABLE` says which methods run a model, how
each is given its model and its inputs; `RETURNS_TABLE` says which calls hand back a
client, a model, a version, a deployment or a `replicate.use` function. Supporting a new
client method is one row in one of them; a row stands for its async twin too (`run` and
`async_run`, `create` and `async_create`, `get` and `async_get`).
"""

from __future__ import annotations

import ast
import weakref
from dataclasses import dataclass, replace
from enum import Enum
from functools import lru_cache
from typing import Callable, Dict, Iterable, List, NamedTuple, Optional, Set, Tuple, TypeVar

from lint_secrets.analysis.project import END_OF_MODULE, ProjectModule
from lint_secrets.analysis.scopes import ASSIGN, IMPORT, PARAM, Binding, Scope, ScopeBuilder
from lint_secrets.analysis.values import (
    MAX_DEPTH,
    InputUse,
    Resolver,
    argument,
    function_returns,
    keyword_argument,
    last_wins,
    subscript_key,
    value_context,
)
from lint_secrets.model_refs import ModelRef, parse_deployment_ref, parse_model_ref
from lint_secrets.records import Record
from lint_secrets.schemas import PREDICTION, TRAINING


class SymRoot(Enum):
    """The kind of object an expression evaluates to."""

    REPLICATE = "replicate"  # the module, or a client: both reach the whole API
    DEPLOYMENT = "deployment"  # `replicate.deployments.get(...)`
    MODEL = "model"  # `replicate.models.get(...)`
    VERSION = "version"  # `model.versions.get(...)`, `model.latest_version`
    USE = "use"  # the function `replicate.use(...)` returns
    OS = "os"  # the `os` module: where tokens are set


@dataclass(frozen=True, repr=False, eq=False)
class Sym(Record):
    """What an expression evaluates to, as far as Replicate and `os` are concerned."""

    root: SymRoot
    path: Tuple[str, ...] = ()  # attributes taken from the root object
    ref: Optional[ModelRef] = None  # the model a DEPLOYMENT, MODEL, VERSION or USE stands for
    # `functools.partial(replicate.run, "o/n", ...)`: the partial calls that bind some of the
    # method's arguments, innermost first
    bound: Tuple[ast.Call, ...] = ()

    def attr(self, name: str) -> Sym:
        path = (*self.path, name)
        if self.root is REPLICATE:
            # replicate.default_client and replicate.client.* reach the same API as the module.
            if path == ("default_client",) or path == ("client",):
                path = ()
        return Sym(self.root, path, self.ref)

    @property
    def dotted(self) -> str:
        return ".".join(self.path)


@dataclass(frozen=True, repr=False, eq=False)
class ModelCall(Record):
    node: ast.Call
    method: str
    kind: str  # PREDICTION or TRAINING
    ref: Optional[ModelRef]
    inputs: Tuple[InputUse, ...]
    # What the code doesn't say: "model", "inputs" (both may be missing). Never silently dropped:
    # the run counts these calls, and RS100 reports them when selected.
    unresolved: Tuple[str, ...] = ()
    # How the call was read, for analyses that look at its inputs again (env_reads.py)
    form: Optional[CallForm] = None
    scope: Optional[Scope] = None
    # A REST request (analysis/http.py) has no form: where its body's `"input"` dict is, with
    # the scope and line it is read at, and where it names its model (the URL, or the body's
    # `"version"`).
    inputs_at: Optional[Tuple[ast.expr, Scope, int]] = None
    model_node: Optional[ast.expr] = None


class ModelArg(Enum):
    """How a call gives its model: each way of reading the arguments, once."""

    NONE = "none"  # `Client()`
    # first argument or `ref=`: "owner/name[:version]", a bare version id, a model or version object
    REF = "ref"
    # what `predictions.create` runs: `version=` (or first), else `model=`, else `deployment=`
    PREDICTION_TARGET = "version | model | deployment"
    # "o/n", ("o", "n") or "o", "n" as the first arguments or `model=`; or `model_owner=`, `model_name=`
    MODEL_NAME = "model name"
    # "o/n" or ("o", "n") as the first argument or `deployment=`; or `deployment_owner=`, `deployment_name=`
    DEPLOYMENT_NAME = "deployment name"
    # the version a training starts from: `model_owner=`, `model_name=`, `version_id=`;
    # else `version=` (or first) with `model=`
    TRAINING_VERSION = "training version"
    VERSION_KEYWORDS = "model_owner, model_name, version_id"  # all three
    RECEIVER = "receiver"  # the object called knows its model: a deployment, a `use` function
    RECEIVER_AT_VERSION = "receiver at version"  # `model.versions.get("id")`


class CallForm(NamedTuple):
    """A method that sends inputs to a model."""

    receiver: SymRoot
    path: str  # the attributes from the receiver, dotted; "" calls the receiver itself
    kind: str  # PREDICTION or TRAINING: which schema the inputs are checked against
    model: ModelArg
    input_name: Optional[str]  # None: each keyword argument is an input
    input_position: Optional[int]  # None: keyword-only
    shown_as: str = ""  # the method as messages name it; "" for `path`
    has_async_twin: bool = True  # `create` comes with `async_create`, `run` with `async_run`...


class Returns(NamedTuple):
    """A call whose result is an object the SDK's other calls are made on."""

    receiver: SymRoot
    path: str
    result: SymRoot
    model: ModelArg
    has_async_twin: bool = True


# The members as module globals: short rows in the tables below, and fast comparisons
# (see scopes.IMPORT).
REPLICATE, DEPLOYMENT, MODEL, VERSION, USE, OS = (
    SymRoot.REPLICATE,
    SymRoot.DEPLOYMENT,
    SymRoot.MODEL,
    SymRoot.VERSION,
    SymRoot.USE,
    SymRoot.OS,
)

# fmt: off
MODEL_CALLS_TABLE: Tuple[CallForm, ...] = (
    # receiver  method path                       kind        model given by             input, its position
    CallForm(REPLICATE, "run",                     PREDICTION, ModelArg.REF,                  "input", 1),
    CallForm(REPLICATE, "stream",                  PREDICTION, ModelArg.REF,                  "input", None),
    CallForm(REPLICATE, "predictions.create",      PREDICTION, ModelArg.PREDICTION_TARGET,    "input", 1),
    CallForm(REPLICATE, "models.predictions.create", PREDICTION, ModelArg.MODEL_NAME,         "input", 1),
    CallForm(REPLICATE, "deployments.predictions.create", PREDICTION, ModelArg.DEPLOYMENT_NAME, "input", 1),
    CallForm(REPLICATE, "trainings.create",        TRAINING,   ModelArg.TRAINING_VERSION,     "input", 1),
    CallForm(DEPLOYMENT, "predictions.create",     PREDICTION, ModelArg.RECEIVER,             "input", 0,
             shown_as="deployment.predictions.create"),
    # a `replicate.use(...)` function: called, or its `create`s; every keyword is an input
    CallForm(USE,       "",                        PREDICTION, ModelArg.RECEIVER, None, None, "use", False),
    CallForm(USE,       "create",                  PREDICTION, ModelArg.RECEIVER, None, None, "use", False),
    CallForm(USE,       "async_create",            PREDICTION, ModelArg.RECEIVER, None, None, "use", False),
    # replicate < 1.0: `model.predict(**inputs)`, `version.predict(**inputs)`
    CallForm(MODEL,     "predict",                 PREDICTION, ModelArg.RECEIVER, None, None, "model.predict",
             has_async_twin=False),
    CallForm(VERSION,   "predict",                 PREDICTION, ModelArg.RECEIVER, None, None,
             "version.predict", has_async_twin=False),
)

RETURNS_TABLE: Tuple[Returns, ...] = (
    # receiver         method path             result      model given by
    Returns(REPLICATE, "Client",               REPLICATE,  ModelArg.NONE, has_async_twin=False),
    Returns(REPLICATE, "Replicate",            REPLICATE,  ModelArg.NONE, has_async_twin=False),
    Returns(REPLICATE, "AsyncReplicate",       REPLICATE,  ModelArg.NONE, has_async_twin=False),
    Returns(REPLICATE, "deployments.get",      DEPLOYMENT, ModelArg.DEPLOYMENT_NAME),
    Returns(REPLICATE, "models.get",           MODEL,      ModelArg.MODEL_NAME),
    Returns(REPLICATE, "models.versions.get",  VERSION,    ModelArg.VERSION_KEYWORDS),
    Returns(REPLICATE, "use",                  USE,        ModelArg.REF, has_async_twin=False),
    Returns(MODEL,     "versions.get",         VERSION,    ModelArg.RECEIVER_AT_VERSION),
)
# fmt: on

_Method = Tuple[SymRoot, str]
_Row = TypeVar("_Row", CallForm, Returns)


def _async_twin(path: str) -> str:
    head, _, last = path.rpartition(".")
    return f"{head}.async_{last}" if head else f"async_{last}"


def by_method(rows: Iterable[_Row]) -> Dict[_Method, _Row]:
    """Rows keyed by (receiver, method path), async twins included."""
    table: Dict[_Method, _Row] = {}
    for row in rows:
        twins = [row]
        if row.has_async_twin:
            twin = row._replace(path=_async_twin(row.path))
            if isinstance(twin, CallForm) and twin.shown_as:
                twin = twin._replace(shown_as=_async_twin(twin.shown_as))
            twins.append(twin)
        for each in twins:
            if (each.receiver, each.path) in table:
                raise ValueError(f"{each.receiver} {each.path!r} is listed twice")
            table[(each.receiver, each.path)] = each
    return table


MODEL_CALLS = by_method(MODEL_CALLS_TABLE)
RETURNS = by_method(RETURNS_TABLE)


# Asked of every import a resolved name leads to (`os`, `replicate.Client`...), with few
# distinct answers; a Sym is immutable, so one answer serves every file.
@lru_cache(maxsize=512)
def sym_for_qualname(qualname: str) -> Optional[Sym]:
    parts = qualname.split(".")
    if parts[0] not in ("replicate", "os"):
        return None
    symbol = Sym(SymRoot(parts[0]))
    for part in parts[1:]:
        symbol = symbol.attr(part)
    return symbol


class SdkResolver:
    """Which SDK objects expressions stand for, and the model calls made on them."""

    def __init__(self, values: Resolver) -> None:
        self.values = values
        # Through a weak reference: resolver and SDK resolver would otherwise hold each other,
        # and a cycle keeps a file's whole tree and analysis alive until the garbage collector
        # walks everything (seconds, for a large file) instead of freeing them when done.
        this = weakref.proxy(self)
        values.environ_default = lambda call, scope, line: this.environ_default(call, scope, line)
        # id of a function -> what it returns: each function is read once, and a function
        # that calls itself finds its own entry (None) instead of recursing.
        self._returned: Dict[int, Optional[Sym]] = {}
        self._attributes_in_progress: Set[int] = set()  # `self.c = self.c or Client()` reads itself
        # Calls of a partial, with the arguments it binds written in (kept alive: memos key by id)
        self._with_bound: Dict[Tuple[int, Tuple[int, ...]], ast.Call] = {}
        self._foreign_bound: Dict[int, ast.Call] = {}

    def environ_default(self, call: ast.Call, scope: Scope, line: int) -> Optional[ast.expr]:
        """The default of `os.getenv(key, default)` / `os.environ.get(key, default)`."""
        func = self.sym(call.func, scope, line)
        if func is None or func.root is not OS or func.path not in (("getenv",), ("environ", "get")):
            return None
        return argument(call, 1, "default")

    def model_call(self, call: ast.Call, scope: Scope, func: Sym) -> Optional[ModelCall]:
        """The model call `call` makes, if it makes one; `func` is what its callee stands for
        (`self.sym(call.func, ...)`, worked out once for every question about the call)."""
        line = call.lineno
        form = MODEL_CALLS.get((func.root, func.dotted))
        if form is None:
            return None
        if func.bound:  # `tts = partial(replicate.run, "o/n")`, then `tts(input=...)`
            call = self._call_with_bound(call, func.bound)
        ref = self.model_given(form.model, call, func, scope, line)
        if form.input_name is None:
            inputs = last_wins(self.values.keyword_inputs(call.keywords, scope, line))
            known = all(
                self.values.inputs_known(k.value, scope, line) for k in call.keywords if k.arg is None
            )
        else:
            node = argument(call, form.input_position, form.input_name)
            inputs = self.values.inputs(node, scope, line)
            if node is None:
                # `run(ref, **options)`, `run(*args)`: the inputs may be in what is unpacked.
                known = not any(k.arg is None for k in call.keywords) and not any(
                    isinstance(a, ast.Starred) for a in call.args
                )
            else:
                known = self.values.inputs_known(node, scope, line)
        unresolved = (*(("model",) if ref is None else ()), *(() if known else ("inputs",)))
        return ModelCall(
            call, form.shown_as or form.path, form.kind, ref, tuple(inputs), unresolved, form, scope
        )

    def sym(self, node: ast.expr, scope: Scope, line: int, depth: int = 0) -> Optional[Sym]:
        if depth > MAX_DEPTH:
            return None
        if isinstance(node, ast.Name):
            binding, where = self.values.lookup(node.id, scope, line)
            found = self._binding_sym(binding, where, depth) if binding is not None else None
            if found is not None:
                return found
            # `try: import replicate / except ImportError: replicate = None`, a duplicated
            # import, a client made in either branch: any binding that is Replicate counts.
            bindings, where = self.values.reaching(node.id, scope, line)
            for each in bindings:
                if each is not binding:
                    found = self._binding_sym(each, where, depth)
                    if found is not None:
                        return found
            if not bindings:  # `from .clients import *`
                return self._foreign_sym(self.values.imported(node, scope, line), depth)
            return None
        if isinstance(node, ast.BoolOp):  # `self._client or replicate.Client()`
            for value in node.values:
                found = self.sym(value, scope, line, depth + 1)
                if found is not None:
                    return found
            return None
        if isinstance(node, ast.Attribute):
            held = self.values.self_attribute(node, scope)
            if held is not None:
                binding, where = held
                return self.sym(binding.value, where, binding.line, depth + 1) if binding.value else None
            method = scope.method_self()
            if method is not None and isinstance(node.value, ast.Name) and node.value.id == method[0]:
                # Assigned in several methods (`self._client = None`, then `self._client or
                # replicate.Client()`): resolved when every assignment is None or the same object.
                held_sym: Optional[Sym] = None
                for assigned, where in method[1].self_attributes.get(node.attr, []):
                    assigned_value = assigned.value
                    if id(assigned) in self._attributes_in_progress or (
                        isinstance(assigned_value, ast.Constant) and assigned_value.value is None
                    ):
                        continue
                    self._attributes_in_progress.add(id(assigned))
                    try:
                        attr_sym = (
                            self.sym(assigned_value, where, assigned.line, depth + 1)
                            if assigned_value is not None
                            else None
                        )
                    finally:
                        self._attributes_in_progress.discard(id(assigned))
                    if attr_sym is None or (held_sym is not None and attr_sym != held_sym):
                        held_sym = None
                        break
                    held_sym = attr_sym
                if held_sym is not None:
                    return held_sym
                defined = method[1].bindings.get(node.attr, [])  # a `@property` of the class
                return self._binding_sym(defined[-1], method[1], depth) if defined else None
            base = self.sym(node.value, scope, line, depth + 1)
            if base is None:  # `config.client`, `clients.replicate_client` from another module
                root = node.value
                while isinstance(root, ast.Attribute):
                    root = root.value
                builder = self.values.builder
                if not isinstance(root, ast.Name) or (
                    root.id not in builder.imported_names and not builder.module_scope.star_imports
                ):
                    return None
                return self._foreign_sym(self.values.imported(node, scope, line), depth)
            if base.bound:
                return None  # an attribute of a partial object
            if base.root is MODEL and node.attr == "latest_version":
                return Sym(VERSION, (), base.ref)
            return base.attr(node.attr)
        if isinstance(node, ast.Await):
            return self.sym(node.value, scope, line, depth + 1)
        if isinstance(node, ast.Call):
            if self._is_partial(node.func, scope, line):
                base = self.sym(node.args[0], scope, line, depth + 1) if node.args else None
                return replace(base, bound=(*base.bound, node)) if base is not None else None
            func = self.sym(node.func, scope, line, depth + 1)
            returns = RETURNS.get((func.root, func.dotted)) if func is not None else None
            if func is None:
                called = self._called_function(node.func, scope, line)
                if called is not None:
                    return self.returned(called, depth + 1)
                # `get_client()` from another module of the project
                return self._foreign_sym(self.values.imported(node, scope, line), depth)
            if returns is None or func.bound:
                return None
            return Sym(returns.result, (), self.model_given(returns.model, node, func, scope, line))
        return None

    def _binding_sym(self, binding: Binding, where: Scope, depth: int) -> Optional[Sym]:
        if binding.kind is IMPORT and binding.qualname:
            known = sym_for_qualname(binding.qualname)
            if known is not None or binding.qualname.split(".", 1)[0] in ("replicate", "os"):
                return known
        if binding.kind is ASSIGN and binding.value is not None:
            return self.sym(binding.value, *value_context(binding, where), depth + 1)
        if binding.kind is PARAM and binding.annotation is not None:
            # `client: replicate.Client`, `Optional[Replicate]`, `AsyncReplicate | None`
            return self._annotated_client(binding.annotation, *value_context(binding, where), depth + 1)
        if isinstance(binding.definition, ast.FunctionDef) and _is_property(binding.definition):
            return self.returned(binding.definition, depth + 1)
        if binding.imported is not None:  # `from .clients import client`
            return self._foreign_sym(self.values.follow_import(binding), depth)
        return None

    def _foreign_sym(self, target: object, depth: int) -> Optional[Sym]:
        """What a name or attribute imported from another module of the project stands for."""
        if not isinstance(target, tuple):
            return None
        module, expression = target
        assert isinstance(module, ProjectModule)
        found = module.sdk.sym(expression, module.scope, END_OF_MODULE, depth + 1)
        if found is None or not found.bound:
            return found
        # A partial made in another module: what it binds is read there, not here, so here it
        # stands for arguments that are not worked out (the call is counted as unresolved).
        return replace(found, bound=tuple(self._unknown_arguments(call) for call in found.bound))

    def _unknown_arguments(self, partial: ast.Call) -> ast.Call:
        """`partial(f, a, k=v)` with each argument replaced by a name bound nowhere."""
        made = self._foreign_bound.get(id(partial))
        if made is None:

            def unknown() -> ast.expr:
                return ast.copy_location(ast.Name(id="<argument of a partial>", ctx=ast.Load()), partial)

            made = ast.Call(
                func=partial.func,
                args=[partial.args[0], *(unknown() for _ in partial.args[1:])],
                keywords=[ast.keyword(arg=k.arg, value=unknown()) for k in partial.keywords],
            )
            self._foreign_bound[id(partial)] = _located(made, partial)
        return made

    def _is_partial(self, func: ast.expr, scope: Scope, line: int) -> bool:
        """`functools.partial`, `partial` imported from functools, under any alias."""
        if isinstance(func, ast.Name):
            binding = self.values.lookup(func.id, scope, line)[0]
            return binding is not None and binding.kind is IMPORT and binding.qualname == "functools.partial"
        if isinstance(func, ast.Attribute) and func.attr == "partial" and isinstance(func.value, ast.Name):
            binding = self.values.lookup(func.value.id, scope, line)[0]
            return binding is not None and binding.kind is IMPORT and binding.qualname == "functools"
        return False

    def _call_with_bound(self, call: ast.Call, bound: Tuple[ast.Call, ...]) -> ast.Call:
        """The call as the method receives it: the partials' arguments first, a keyword given
        later replacing an earlier one; located where the call is."""
        key = (id(call), tuple(id(b) for b in bound))
        merged = self._with_bound.get(key)
        if merged is None:
            args: List[ast.expr] = []
            keywords: Dict[str, ast.keyword] = {}
            spread: List[ast.keyword] = []
            for each in (*bound, call):
                args.extend(each.args[1:] if each is not call else each.args)
                for keyword in each.keywords:
                    if keyword.arg is None:
                        spread.append(keyword)
                    else:
                        keywords.pop(keyword.arg, None)
                        keywords[keyword.arg] = keyword
            merged = _located(
                ast.Call(func=call.func, args=args, keywords=[*keywords.values(), *spread]), call
            )
            self._with_bound[key] = merged
        return merged

    def _annotated_client(self, node: ast.expr, scope: Scope, line: int, depth: int) -> Optional[Sym]:
        if depth > MAX_DEPTH:
            return None
        if isinstance(node, ast.Subscript):  # Optional[X]
            return self._annotated_client(subscript_key(node) or node, scope, line, depth + 1)
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):  # X | None
            left = self._annotated_client(node.left, scope, line, depth + 1)
            return left or self._annotated_client(node.right, scope, line, depth + 1)
        if isinstance(node, (ast.Name, ast.Attribute)):
            kind = self.sym(node, scope, line, depth + 1)
            if (
                kind is not None
                and kind.root is REPLICATE
                and kind.dotted in ("Client", "Replicate", "AsyncReplicate")
            ):
                return Sym(REPLICATE)
        return None

    def returned(self, function: ast.AST, depth: int) -> Optional[Sym]:
        """What a function of this module returns, when a `return` hands back an SDK object:
        a client factory (also under `@lru_cache`), a `@property`."""
        if id(function) in self._returned:
            return self._returned[id(function)]
        self._returned[id(function)] = None
        scope = self.values.scope_of(function)
        if scope is None or not isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef)):
            return None
        for statement in function_returns(function):
            if statement.value is not None:
                found = self.sym(statement.value, scope, statement.lineno, depth + 1)
                if found is not None:
                    self._returned[id(function)] = found
                    return found
        return None

    def _called_function(self, func: ast.expr, scope: Scope, line: int) -> Optional[ast.AST]:
        """The `def` a call runs, when the module defines it: `get_client()`, `self.client()`."""
        if isinstance(func, ast.Name):
            binding, _ = self.values.lookup(func.id, scope, line)
            return binding.definition if binding is not None else None
        if isinstance(func, ast.Attribute):
            method = scope.method_self()
            if method is not None and isinstance(func.value, ast.Name) and func.value.id == method[0]:
                defined = method[1].bindings.get(func.attr, [])
                return defined[-1].definition if defined else None
        return None

    # -- models
    def model_given(
        self, given: ModelArg, call: ast.Call, receiver: Sym, scope: Scope, line: int
    ) -> Optional[ModelRef]:
        return _MODEL_READERS[given](self, call, receiver, scope, line)

    def model_ref(self, node: Optional[ast.expr], scope: Scope, line: int) -> Optional[ModelRef]:
        """A model, version or deployment given as a string, an (owner, name) pair or an SDK object."""
        if node is None:
            return None
        text = self.model_text(node, scope, line)
        if text is not None:
            return parse_model_ref(text)
        pair = self.values.string_pair(node, scope, line)
        if pair is not None:
            return parse_model_ref(f"{pair[0]}/{pair[1]}")
        symbol = self.sym(node, scope, line)
        if symbol is not None and symbol.root in (MODEL, VERSION):
            return symbol.ref
        return None

    def model_text(self, node: ast.expr, scope: Scope, line: int, depth: int = 0) -> Optional[str]:
        """The text of a model argument: a string the code always evaluates it to, or the
        one string every binding that can reach it holds: a name bound in several places, a
        class attribute (`Settings.MODEL`), a field's default on an instance made without
        arguments (`settings.tts_model`), an entry of a dict the code writes out and never
        changes (`MODELS["speech"]`), here or in another module of the project.

        Not guessed (None): a parameter (its callers decide), a read of the environment with
        a default, a binding whose value isn't a string the code says, an attribute assigned
        outside its class body or also defined by another class of the module (a subclass
        may override it), a plain `Enum` member, a dict that is changed anywhere."""
        values = self.values
        text = values.string(node, scope, line)
        if text is not None or depth > MAX_DEPTH:
            return text
        if isinstance(node, ast.Name):
            bindings, where = values.reaching(node.id, scope, line)
            if not bindings or any(b.kind is not ASSIGN or b.value is None for b in bindings):
                return None
            return _one_text(
                values.string(b.value, *value_context(b, where)) for b in bindings if b.value is not None
            )
        if isinstance(node, ast.Attribute):
            target = values.imported(node, scope, line)  # `settings.tts_model`, `config.Models.TTS`
            if isinstance(target, tuple):
                module, expression = target
                return module.sdk.model_text(expression, module.scope, END_OF_MODULE, depth + 1)
            return self._attribute_text(node, scope, line)
        if isinstance(node, ast.Subscript) and isinstance(node.value, ast.Name):
            return self._entry_text(node, node.value.id, scope, line)
        return None

    def _attribute_text(self, node: ast.Attribute, scope: Scope, line: int) -> Optional[str]:
        values = self.values
        found = values.class_attribute(node, scope, line)
        if not found or any(_enum_members(klass.node) for _, klass, _ in found):
            return None  # `Model.SPEECH` is an Enum member, not the string it is defined with
        first, owner = found[0][1], found[0][2]
        facts = _attribute_facts(owner.builder)
        defining = facts.classes_defining.get(node.attr, 0)
        if first.is_class and node.attr in first.bindings:
            defining -= 1
        if defining > 0:
            return None  # another class of the module (a subclass?) defines it too
        if node.attr in facts.assigned_outside_class:
            return None  # `Settings.MODEL = ...` in a function: set at run time
        made = values.instance_call(node.value, scope, line)
        if made is not None and (made.args or made.keywords):
            return None  # `Job(model=...)`: the constructor may set it
        method = scope.method_self()
        if method is not None and isinstance(node.value, ast.Name) and node.value.id == method[0]:
            # `self.MODEL`: a class constant, not what a method or a constructor sets (a
            # dataclass field `model: str = "..."` is given by whoever makes the instance).
            klass = method[1]
            if any(where is not klass for _, where, _ in found) or not _plain_class_constant(
                klass.node, node.attr
            ):
                return None
        return _one_text(
            owner.string(binding.value, *value_context(binding, klass))
            for binding, klass, _ in found
            if binding.value is not None
        )

    def _entry_text(self, node: ast.Subscript, name: str, scope: Scope, line: int) -> Optional[str]:
        values = self.values
        bindings, where = values.reaching(name, scope, line)
        if len(bindings) != 1 or bindings[0].kind is not ASSIGN:
            return None
        written = bindings[0].value
        if not isinstance(written, ast.Dict) or name in _attribute_facts(values.builder).mutated:
            return None  # `MODELS[k] = ...`, `MODELS.update(...)` somewhere
        key = values.string(subscript_key(node), scope, line)
        if key is None:
            return None
        text: Optional[str] = None
        context = value_context(bindings[0], where)
        for entry_key, entry_value in zip(written.keys, written.values):
            if entry_key is None:
                return None  # `{**OTHER, ...}`
            if values.string(entry_key, *context) == key:
                text = values.string(entry_value, *context)
        return text

    def _owner_name_ref(self, call: ast.Call, scope: Scope, line: int, kind: str) -> Optional[ModelRef]:
        """`x("o/n")`, `x(("o", "n"))`, `x("o", "n")` (models only), `x(x_owner="o", x_name="n")`."""
        string = self.values.string
        owner = string(keyword_argument(call, f"{kind}_owner"), scope, line)
        name = string(keyword_argument(call, f"{kind}_name"), scope, line)
        if owner is None and name is None and len(call.args) >= 2 and kind == "model":
            owner = string(call.args[0], scope, line)
            name = string(call.args[1], scope, line)
        if owner is not None and name is not None:
            text = f"{owner}/{name}"
        else:
            node = argument(call, 0, kind) or keyword_argument(call, "name")
            if node is None:
                return None
            pair = self.values.string_pair(node, scope, line)
            if pair is not None:
                text = f"{pair[0]}/{pair[1]}"
            else:
                text_or_none = self.model_text(node, scope, line)
                if text_or_none is None:
                    symbol = self.sym(node, scope, line) if kind == "model" else None
                    if symbol is not None and symbol.root in (MODEL, VERSION):
                        return symbol.ref
                    return None
                text = text_or_none
        return parse_deployment_ref(text) if kind == "deployment" else parse_model_ref(text)

    def _ref(self, call: ast.Call, receiver: Sym, scope: Scope, line: int) -> Optional[ModelRef]:
        return self.model_ref(argument(call, 0, "ref"), scope, line)

    def _prediction_target(
        self, call: ast.Call, receiver: Sym, scope: Scope, line: int
    ) -> Optional[ModelRef]:
        return _first(
            self.model_ref(argument(call, 0, "version"), scope, line),
            self.model_ref(keyword_argument(call, "model"), scope, line),
            self._deployment(keyword_argument(call, "deployment"), scope, line),
        )

    def _deployment(self, node: Optional[ast.expr], scope: Scope, line: int) -> Optional[ModelRef]:
        text = self.values.string(node, scope, line)
        return parse_deployment_ref(text) if text is not None else None

    def _model_owner_name(self, call: ast.Call, receiver: Sym, scope: Scope, line: int) -> Optional[ModelRef]:
        return self._owner_name_ref(call, scope, line, "model")

    def _deployment_owner_name(
        self, call: ast.Call, receiver: Sym, scope: Scope, line: int
    ) -> Optional[ModelRef]:
        return self._owner_name_ref(call, scope, line, "deployment")

    def _training_version(self, call: ast.Call, receiver: Sym, scope: Scope, line: int) -> Optional[ModelRef]:
        string = self.values.string
        owner = string(keyword_argument(call, "model_owner"), scope, line)
        name = string(keyword_argument(call, "model_name"), scope, line)
        version_id = string(keyword_argument(call, "version_id"), scope, line)
        if owner and name:
            return parse_model_ref(f"{owner}/{name}:{version_id}" if version_id else f"{owner}/{name}")
        version_node = argument(call, 0, "version")
        model = self.model_ref(keyword_argument(call, "model"), scope, line)
        version_text = string(version_node, scope, line)
        bare_version = version_text is not None and ":" not in version_text and "/" not in version_text
        if model is not None and bare_version:
            return parse_model_ref(f"{model.owner}/{model.name}:{version_text}")
        return _first(self.model_ref(version_node, scope, line), model)

    def _version_keywords(self, call: ast.Call, receiver: Sym, scope: Scope, line: int) -> Optional[ModelRef]:
        string = self.values.string
        owner = string(keyword_argument(call, "model_owner"), scope, line)
        name = string(keyword_argument(call, "model_name"), scope, line)
        version = string(keyword_argument(call, "version_id"), scope, line)
        if owner and name and version:
            return parse_model_ref(f"{owner}/{name}:{version}")
        return None

    def _receiver_at_version(
        self, call: ast.Call, receiver: Sym, scope: Scope, line: int
    ) -> Optional[ModelRef]:
        version = self.values.string(argument(call, 0, "id"), scope, line)
        model = receiver.ref
        if model is not None and model.owner and version is not None:
            return parse_model_ref(f"{model.owner}/{model.name}:{version}")
        return None


def _no_model(resolver: SdkResolver, call: ast.Call, receiver: Sym, scope: Scope, line: int) -> None:
    return None


def _receiver(
    resolver: SdkResolver, call: ast.Call, receiver: Sym, scope: Scope, line: int
) -> Optional[ModelRef]:
    return receiver.ref


_ModelReader = Callable[[SdkResolver, ast.Call, Sym, Scope, int], Optional[ModelRef]]
_MODEL_READERS: Dict[ModelArg, _ModelReader] = {
    ModelArg.NONE: _no_model,
    ModelArg.REF: SdkResolver._ref,
    ModelArg.PREDICTION_TARGET: SdkResolver._prediction_target,
    ModelArg.MODEL_NAME: SdkResolver._model_owner_name,
    ModelArg.DEPLOYMENT_NAME: SdkResolver._deployment_owner_name,
    ModelArg.TRAINING_VERSION: SdkResolver._training_version,
    ModelArg.VERSION_KEYWORDS: SdkResolver._version_keywords,
    ModelArg.RECEIVER: _receiver,
    ModelArg.RECEIVER_AT_VERSION: SdkResolver._receiver_at_version,
}


def _is_property(function: ast.FunctionDef) -> bool:
    return any(
        (isinstance(d, ast.Name) and d.id in ("property", "cached_property"))
        or (isinstance(d, ast.Attribute) and d.attr == "cached_property")
        for d in function.decorator_list
    )


def _located(node: ast.Call, where: ast.Call) -> ast.Call:
    """`node`, at the position of `where` (start and end)."""
    ast.copy_location(node, where)
    node.end_lineno, node.end_col_offset = where.end_lineno, where.end_col_offset
    return node


def _first(*refs: Optional[ModelRef]) -> Optional[ModelRef]:
    return next((ref for ref in refs if ref is not None), None)


def _enum_members(node: ast.AST) -> bool:
    """Whether a class's attributes are Enum members that are not strings (`class M(Enum)`,
    not `class M(str, Enum)` or `StrEnum`)."""
    if not isinstance(node, ast.ClassDef):
        return False
    names = {base.id if isinstance(base, ast.Name) else getattr(base, "attr", "") for base in node.bases}
    return any(name.endswith(("Enum", "Flag")) for name in names) and not names & {"str", "StrEnum"}


def _one_text(texts: Iterable[Optional[str]]) -> Optional[str]:
    """The one string all of `texts` are (None when one is unknown, or they differ)."""
    found: Set[Optional[str]] = set(texts)
    if len(found) != 1:
        return None
    return found.pop()


@dataclass
class _AttributeFacts:
    """What model_text asks of a module about its attributes and names, found in one look
    over its scopes and assignments (asked per call, a scan each time would be quadratic)."""

    classes_defining: Dict[str, int]  # attribute -> how many class bodies bind it
    # attributes some statement assigns as `<something>.attribute` (other than `self.attribute`
    # in a method, which the class's own bindings hold)
    assigned_outside_class: Set[str]
    mutated: Set[str]  # names a `name[k] = v`, `name.update(...)`... changes in some scope


_FACTS: weakref.WeakKeyDictionary[ScopeBuilder, _AttributeFacts] = weakref.WeakKeyDictionary()


def _attribute_facts(builder: ScopeBuilder) -> _AttributeFacts:
    found = _FACTS.get(builder)
    if found is not None:
        return found
    classes_defining: Dict[str, int] = {}
    mutated: Set[str] = set()
    for scope in builder.scopes:
        mutated.update(scope.mutations)
        if scope.is_class:
            for name in scope.bindings:
                classes_defining[name] = classes_defining.get(name, 0) + 1
    assigned: Set[str] = set()
    for statement, scope, _ in builder.assigns:
        if isinstance(statement, ast.Assign):
            targets: List[ast.expr] = statement.targets
        elif isinstance(statement, ast.AnnAssign):
            targets = [statement.target]
        else:
            continue
        method = scope.method_self()
        for target in targets:
            for each in ast.walk(target):
                if isinstance(each, ast.Attribute) and not (
                    method and isinstance(each.value, ast.Name) and each.value.id == method[0]
                ):
                    assigned.add(each.attr)
    found = _FACTS[builder] = _AttributeFacts(classes_defining, assigned, mutated)
    return found


def _plain_class_constant(klass: ast.AST, name: str) -> bool:
    """Whether the class body binds `name` only by plain assignment (`MODEL = "..."`), never
    as an annotated field."""
    if not isinstance(klass, ast.ClassDef):
        return False
    for statement in klass.body:
        if isinstance(statement, ast.AnnAssign) and isinstance(statement.target, ast.Name):
            if statement.target.id == name:
                return False
    return True
