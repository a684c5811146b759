"""What the Replicate Python SDK's objects are, and which of their calls send inputs to a model.

The SDK's call forms are data: `MODEL_CALLS_TABLE` says which methods run a model, how
each is given its model and its inputs; `RETURNS_TABLE` says which calls hand back a
client, a model, a version, a deployment or a `replicate.use` function. Supporting a new
client method is one row in one of them; a row stands for its async twin too (`run` and
`async_run`, `create` and `async_create`, `get` and `async_get`).
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from enum import Enum
from typing import Callable, Dict, Iterable, NamedTuple, Optional, Tuple, TypeVar

from lint_secrets.analysis.scopes import ASSIGN, IMPORT, Scope
from lint_secrets.analysis.values import (
    MAX_DEPTH,
    InputUse,
    Resolver,
    argument,
    keyword_argument,
    last_wins,
    value_context,
)
from lint_secrets.schemas import PREDICTION, TRAINING, ModelRef, parse_deployment_ref, parse_model_ref


class SymRoot(Enum):
    """The kind of object an expression evaluates to."""

    REPLICATE = "replicate"  # the module, or a client: both reach the whole API
    DEPLOYMENT = "deployment"  # `replicate.deployments.get(...)`
    MODEL = "model"  # `replicate.models.get(...)`
    VERSION = "version"  # `model.versions.get(...)`, `model.latest_version`
    USE = "use"  # the function `replicate.use(...)` returns
    OS = "os"  # the `os` module: where tokens are set


@dataclass(frozen=True)
class Sym:
    """What an expression evaluates to, as far as Replicate and `os` are concerned."""

    root: SymRoot
    path: Tuple[str, ...] = ()  # attributes taken from the root object
    ref: Optional[ModelRef] = None  # the model a DEPLOYMENT, MODEL, VERSION or USE stands for

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


@dataclass(frozen=True)
class ModelCall:
    node: ast.Call
    method: str
    kind: str  # PREDICTION or TRAINING
    ref: Optional[ModelRef]
    inputs: Tuple[InputUse, ...]
    # How the call was read, for analyses that look at its inputs again (env_reads.py)
    form: Optional[CallForm] = None
    scope: Optional[Scope] = None


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

    def model_call(self, call: ast.Call, scope: Scope) -> Optional[ModelCall]:
        line = call.lineno
        func = self.sym(call.func, scope, line)
        form = MODEL_CALLS.get((func.root, func.dotted)) if func is not None else None
        if func is None or form is None:
            return None
        ref = self.model_given(form.model, call, func, scope, line)
        if form.input_name is None:
            inputs = last_wins(self.values.keyword_inputs(call.keywords, scope, line))
        else:
            node = argument(call, form.input_position, form.input_name)
            inputs = self.values.inputs(node, scope, line)
        return ModelCall(call, form.shown_as or form.path, form.kind, ref, tuple(inputs), form, scope)

    def sym(self, node: ast.expr, scope: Scope, line: int, depth: int = 0) -> Optional[Sym]:
        if depth > MAX_DEPTH:
            return None
        if isinstance(node, ast.Name):
            binding, where = self.values.lookup(node.id, scope, line)
            if binding is None:
                return None
            if binding.kind is IMPORT and binding.qualname:
                return sym_for_qualname(binding.qualname)
            if binding.kind is ASSIGN and binding.value is not None:
                return self.sym(binding.value, *value_context(binding, where), depth + 1)
            return None
        if isinstance(node, ast.Attribute):
            held = self.values.self_attribute(node, scope)
            if held is not None:
                binding, where = held
                return self.sym(binding.value, where, binding.line, depth + 1) if binding.value else None
            base = self.sym(node.value, scope, line, depth + 1)
            if base is None:
                return None
            if base.root is MODEL and node.attr == "latest_version":
                return Sym(VERSION, (), base.ref)
            return base.attr(node.attr)
        if isinstance(node, ast.Await):
            return self.sym(node.value, scope, line, depth + 1)
        if isinstance(node, ast.Call):
            func = self.sym(node.func, scope, line, depth + 1)
            returns = RETURNS.get((func.root, func.dotted)) if func is not None else None
            if func is None or returns is None:
                return None
            return Sym(returns.result, (), self.model_given(returns.model, node, func, scope, line))
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
        text = self.values.string(node, scope, line)
        if text is not None:
            return parse_model_ref(text)
        pair = self.values.string_pair(node, scope, line)
        if pair is not None:
            return parse_model_ref(f"{pair[0]}/{pair[1]}")
        symbol = self.sym(node, scope, line)
        if symbol is not None and symbol.root in (MODEL, VERSION):
            return symbol.ref
        return None

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
                text_or_none = string(node, scope, line)
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


def _first(*refs: Optional[ModelRef]) -> Optional[ModelRef]:
    return next((ref for ref in refs if ref is not None), None)
