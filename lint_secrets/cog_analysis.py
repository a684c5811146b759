"""What a cog model's code does with its inputs: plain data for the RS2xx rules.

A cog predictor (`class Predictor(BasePredictor)` with `predict`) or trainer (a function
whose parameters default to `Input(...)`) declares the model's inputs as parameters.
This module finds those parameters, how each is typed (`str`, `Secret`, optional or
not), its `Input(default=...)`, where the function uses it, and where the value of a
`Secret` reaches a log, the output or a file. Static only: cog need not be installed.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from enum import Enum
from typing import Dict, Iterator, List, Optional, Sequence, Set, Tuple, Union

FunctionNode = Union[ast.FunctionDef, ast.AsyncFunctionDef]

# Methods of a BasePredictor subclass whose parameters are the model's inputs.
ENTRY_METHODS = frozenset({"predict", "train"})
LOG_METHODS = frozenset(
    {"debug", "info", "warning", "warn", "error", "exception", "critical", "fatal", "log"}
)
# Receivers taken for loggers without seeing `logging.getLogger(...)` bound to them.
LOGGER_NAMES = frozenset({"logger", "log", "LOGGER", "LOG", "_logger", "_log"})
# Calls that hand their arguments' text on: `str(v)`, `"...".format(v)`, `", ".join(v)`.
TEXT_BUILDERS = frozenset({"str", "repr", "dict", "list", "tuple", "format"})
TEXT_METHODS = frozenset({"format", "join", "format_map"})


class AnnotationKind(Enum):
    STR = "str"
    SECRET = "Secret"
    OTHER = "other"


@dataclass(frozen=True)
class CogParameter:
    """One input of a predictor's `predict`/`train` or of a trainer function."""

    function: str
    node: ast.arg
    kind: AnnotationKind
    optional: bool  # `Optional[...]`, `... | None`, or `default=None`: the value may be None
    # The `str` inside the annotation (what a fix to `Secret` replaces); None unless STR.
    str_node: Optional[ast.expr]
    input_call: Optional[ast.Call]  # the `Input(...)` default, when there is one
    default: Optional[ast.expr]  # the string literal default: in `Input(default=...)`, or a plain default
    # The argument of `Input(...)` that holds the default (`"..."` or `Secret("...")`): what a fix
    # removes; None for a plain default or none.
    default_argument: Optional[ast.expr]
    # Where the value is used as a string (a change to `Secret` makes each `x.get_secret_value()`);
    # None when the uses can't all be rewritten (the name is rebound, or an optional value is used
    # where it may be None).
    string_uses: Optional[Tuple[ast.Name, ...]]
    # Why `string_uses` is None, for a message: "it is rebound in predict()"...
    unconvertible: Optional[str] = None

    @property
    def name(self) -> str:
        return self.node.arg

    @property
    def end_line(self) -> int:
        """The last line of the parameter with its default: where black leaves a `# noqa`."""
        ends = [self.node.end_lineno or self.node.lineno]
        if self.input_call is not None and self.input_call.end_lineno is not None:
            ends.append(self.input_call.end_lineno)
        return max(ends)


@dataclass(frozen=True)
class Exposure:
    """The value of a `Secret` input reaching a place Replicate does not redact."""

    node: ast.expr
    parameter: str
    how: str


@dataclass(frozen=True)
class SecretSpelling:
    """How a fix writes cog's `Secret` in this file, and the import to extend if needed."""

    name: str
    import_from: Optional[ast.ImportFrom] = None  # add `Secret` to this `from cog import ...`


@dataclass(frozen=True)
class CogAnalysis:
    parameters: Tuple[CogParameter, ...]
    exposures: Tuple[Exposure, ...]
    secret: Optional[SecretSpelling]  # None: no way to name `Secret` without a new import line


def analyze_cog(tree: ast.Module) -> Optional[CogAnalysis]:
    """The cog inputs of `tree`, or None when the file does not import cog."""
    names = _CogNames.of(tree)
    if names is None:
        return None
    parameters: List[CogParameter] = []
    exposures: List[Exposure] = []
    loggers = _logger_names(tree, names)
    for function, method in _entry_functions(tree, names):
        found = list(_parameters(function, method, names))
        parameters.extend(found)
        secrets = [p.name for p in found if p.kind is AnnotationKind.SECRET]
        if secrets:
            exposures.extend(_Exposures(function, secrets, names, loggers).find())
    return CogAnalysis(tuple(parameters), tuple(exposures), names.secret_spelling(tree))


# ---------------------------------------------------------------------------
# What names mean cog here


@dataclass
class _CogNames:
    modules: Set[str]  # names bound to the `cog` module
    imported: Dict[str, str]  # local name -> what it is in cog (`Input`, `Secret`, `BasePredictor`)
    star: bool
    modules_other: Dict[str, str]  # local name -> stdlib module (`logging`, `sys`, `typing`)

    @classmethod
    def of(cls, tree: ast.Module) -> Optional[_CogNames]:
        names = cls(set(), {}, False, {})
        seen_cog = False
        for node in _import_statements(tree):
            if isinstance(node, ast.Import):
                for alias in node.names:
                    top = alias.name.split(".")[0]
                    if top == "cog":
                        seen_cog = True
                        if alias.asname is not None and alias.name == "cog":
                            names.modules.add(alias.asname)
                        elif alias.asname is None:
                            names.modules.add("cog")
                    elif alias.name in ("logging", "sys", "typing"):
                        names.modules_other[alias.asname or alias.name] = alias.name
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                if node.module == "cog" or node.module.startswith("cog."):
                    seen_cog = True
                    for alias in node.names:
                        if alias.name == "*":
                            names.star = True
                        else:
                            names.imported[alias.asname or alias.name] = alias.name
        return names if seen_cog else None

    def cog_name(self, node: ast.expr) -> Optional[str]:
        """What `node` names in cog (`Input` for `Input` or `cog.Input`), if anything."""
        if isinstance(node, ast.Name):
            if node.id in self.imported:
                return self.imported[node.id]
            if self.star and node.id in ("Input", "Secret", "BasePredictor", "BaseModel", "Path"):
                return node.id
            return None
        if isinstance(node, ast.Attribute):
            base = node.value
            while isinstance(base, ast.Attribute):
                base = base.value
            if isinstance(base, ast.Name) and base.id in self.modules:
                return node.attr
        return None

    def is_module(self, node: ast.expr, module: str) -> bool:
        return isinstance(node, ast.Name) and self.modules_other.get(node.id) == module

    def secret_spelling(self, tree: ast.Module) -> Optional[SecretSpelling]:
        for local, name in self.imported.items():
            if name == "Secret":
                return SecretSpelling(local)
        if self.star:
            return SecretSpelling("Secret")
        if _binds_anywhere(tree, "Secret"):
            return None
        for statement in tree.body:
            if (
                isinstance(statement, ast.ImportFrom)
                and statement.module == "cog"
                and statement.level == 0
                and not any(alias.name == "*" for alias in statement.names)
            ):
                return SecretSpelling("Secret", statement)
        for statement in tree.body:
            if isinstance(statement, ast.Import):
                for alias in statement.names:
                    if alias.name == "cog":
                        return SecretSpelling(f"{alias.asname or 'cog'}.Secret")
        return None


def _import_statements(tree: ast.Module) -> Iterator[ast.stmt]:
    """Every import statement, at any depth: statements only, for speed (a file that does
    not import cog costs one pass over its statements, not over every expression)."""
    stack: List[ast.AST] = list(tree.body)
    while stack:
        node = stack.pop()
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            yield node
            continue
        for name in ("body", "orelse", "finalbody", "handlers", "cases"):
            children = getattr(node, name, None)
            if isinstance(children, list):
                stack.extend(children)


def _binds_anywhere(tree: ast.Module, name: str) -> bool:
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and node.id == name and not isinstance(node.ctx, ast.Load):
            return True
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and node.name == name:
            return True
        if isinstance(node, ast.alias) and (node.asname or node.name.split(".")[0]) == name:
            return True
        if isinstance(node, ast.arg) and node.arg == name:
            return True
    return False


# ---------------------------------------------------------------------------
# Predictors and trainers


def _entry_functions(tree: ast.Module, names: _CogNames) -> Iterator[Tuple[FunctionNode, bool]]:
    """(function, is_method): `predict`/`train` of predictor classes, and functions with `Input` defaults."""
    classes = [node for node in ast.walk(tree) if isinstance(node, ast.ClassDef)]
    predictors: Set[str] = set()
    changed = True
    while changed:  # a predictor may derive from a local class that derives from BasePredictor
        changed = False
        for class_node in classes:
            if class_node.name in predictors:
                continue
            if any(
                names.cog_name(base) == "BasePredictor"
                or (isinstance(base, ast.Name) and base.id in predictors)
                for base in class_node.bases
            ):
                predictors.add(class_node.name)
                changed = True
    methods: Set[int] = set()
    for class_node in classes:
        for statement in class_node.body:
            if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef)):
                methods.add(id(statement))
                if class_node.name in predictors and statement.name in ENTRY_METHODS:
                    yield statement, True
                elif _has_input_default(statement, names):
                    yield statement, True
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and id(node) not in methods:
            if _has_input_default(node, names):
                yield node, False


def _has_input_default(function: FunctionNode, names: _CogNames) -> bool:
    defaults = [*function.args.defaults, *function.args.kw_defaults]
    return any(_is_input_call(d, names) for d in defaults if d is not None)


def _is_input_call(node: Optional[ast.expr], names: _CogNames) -> bool:
    return isinstance(node, ast.Call) and names.cog_name(node.func) == "Input"


def _parameters(function: FunctionNode, method: bool, names: _CogNames) -> Iterator[CogParameter]:
    args = function.args
    positional = [*args.posonlyargs, *args.args]
    defaults: List[Tuple[ast.arg, Optional[ast.expr]]] = []
    first_default = len(positional) - len(args.defaults)
    for index, arg in enumerate(positional):
        defaults.append((arg, args.defaults[index - first_default] if index >= first_default else None))
    defaults.extend(zip(args.kwonlyargs, args.kw_defaults))
    if method and defaults:
        defaults = defaults[1:]  # self
    rebound = _rebound_names(function)
    for arg, default in defaults:
        kind, optional, str_node = _annotation(arg.annotation, names)
        input_call = default if isinstance(default, ast.Call) and _is_input_call(default, names) else None
        literal: Optional[ast.expr] = default
        argument: Optional[ast.expr] = None
        if isinstance(input_call, ast.Call):
            literal = argument = _input_default(input_call)
        if isinstance(literal, ast.Constant) and literal.value is None:
            optional = True
        if isinstance(literal, ast.Call) and names.cog_name(literal.func) == "Secret" and literal.args:
            literal = literal.args[0]  # `default=Secret("...")`
        if not (isinstance(literal, ast.Constant) and isinstance(literal.value, str)):
            literal = None
        uses: Optional[Tuple[ast.Name, ...]] = None
        why: Optional[str] = None
        if kind is AnnotationKind.STR:
            if arg.arg in rebound:
                why = f"it is rebound in {function.name}()"
            else:
                uses = _string_uses(function, arg.arg, optional)
                if uses is None:
                    why = "it is optional and used where it may be None"
        yield CogParameter(
            function.name, arg, kind, optional, str_node, input_call, literal, argument, uses, why
        )


def _input_default(call: ast.Call) -> Optional[ast.expr]:
    for keyword in call.keywords:
        if keyword.arg == "default":
            return keyword.value
    return call.args[0] if call.args else None


def _annotation(
    node: Optional[ast.expr], names: _CogNames
) -> Tuple[AnnotationKind, bool, Optional[ast.expr]]:
    """(kind, optional, the `str` node) of an annotation."""
    if node is None:
        return AnnotationKind.OTHER, False, None
    inner = _optional_inner(node, names)
    if inner is not None:
        kind, _, str_node = _annotation(inner, names)
        return kind, True, str_node
    if isinstance(node, ast.Name) and node.id == "str":
        return AnnotationKind.STR, False, node
    if names.cog_name(node) == "Secret":
        return AnnotationKind.SECRET, False, None
    return AnnotationKind.OTHER, False, None


def _optional_inner(node: ast.expr, names: _CogNames) -> Optional[ast.expr]:
    """`X` for `Optional[X]`, `Union[X, None]`, `X | None` and `None | X`."""
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
        if _is_none(node.right):
            return node.left
        if _is_none(node.left):
            return node.right
        return None
    if not isinstance(node, ast.Subscript):
        return None
    base = node.value
    base_name = (
        base.id if isinstance(base, ast.Name) else base.attr if isinstance(base, ast.Attribute) else ""
    )
    if base_name == "Optional":
        return node.slice
    if base_name == "Union" and isinstance(node.slice, ast.Tuple) and len(node.slice.elts) == 2:
        first, second = node.slice.elts
        if _is_none(second):
            return first
        if _is_none(first):
            return second
    return None


def _is_none(node: ast.expr) -> bool:
    return isinstance(node, ast.Constant) and node.value is None


# ---------------------------------------------------------------------------
# Uses of a `str` input, for the change to `Secret`


def _rebound_names(function: FunctionNode) -> Set[str]:
    """Names bound anywhere inside the function other than as its own parameters."""
    bound: Set[str] = set()
    for statement in function.body:
        for node in ast.walk(statement):
            if isinstance(node, ast.Name) and not isinstance(node.ctx, ast.Load):
                bound.add(node.id)
            elif isinstance(node, ast.arg):
                bound.add(node.arg)
            elif isinstance(node, (ast.Global, ast.Nonlocal)):
                bound.update(node.names)
            elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                bound.add(node.name)
            elif isinstance(node, ast.alias):
                bound.add(node.asname or node.name.split(".")[0])
            elif isinstance(node, ast.ExceptHandler) and node.name:
                bound.add(node.name)
    return bound


def _string_uses(function: FunctionNode, name: str, optional: bool) -> Optional[Tuple[ast.Name, ...]]:
    """The loads of `name` that need `.get_secret_value()` once it is a `Secret`; None when one
    of them may see None (an optional input used outside a test that it is set)."""
    parents = _parents(function)
    uses: List[ast.Name] = []
    for statement in function.body:
        for node in ast.walk(statement):
            if not (isinstance(node, ast.Name) and node.id == name and isinstance(node.ctx, ast.Load)):
                continue
            if _is_none_test(node, parents) or (optional and _is_truth_test(node, parents)):
                continue  # `x is None`, and `if x:` on an optional input, mean the same of a Secret
            if optional and not _guarded(node, name, parents):
                return None
            uses.append(node)
    return tuple(uses)


def _parents(root: ast.AST) -> Dict[int, ast.AST]:
    parents: Dict[int, ast.AST] = {}
    for node in ast.walk(root):
        for child in ast.iter_child_nodes(node):
            parents[id(child)] = node
    return parents


def _is_none_test(node: ast.expr, parents: Dict[int, ast.AST]) -> bool:
    parent = parents.get(id(node))
    return (
        isinstance(parent, ast.Compare)
        and len(parent.ops) == 1
        and isinstance(parent.ops[0], (ast.Is, ast.IsNot, ast.Eq, ast.NotEq))
        and (_is_none(parent.comparators[0]) if parent.left is node else _is_none(parent.left))
    )


def _is_truth_test(node: ast.expr, parents: Dict[int, ast.AST]) -> bool:
    parent = parents.get(id(node))
    if isinstance(parent, (ast.If, ast.While, ast.IfExp, ast.Assert)) and parent.test is node:
        return True
    if isinstance(parent, ast.UnaryOp) and isinstance(parent.op, ast.Not):
        return True
    if isinstance(parent, ast.BoolOp):
        return _is_truth_test(parent, parents)
    return False


def _asserts(test: ast.expr, name: str) -> bool:
    """Whether `test` being true means `name` is set."""
    if isinstance(test, ast.Name):
        return test.id == name
    if (
        isinstance(test, ast.Compare)
        and len(test.ops) == 1
        and isinstance(test.ops[0], (ast.IsNot, ast.NotEq))
    ):
        return isinstance(test.left, ast.Name) and test.left.id == name and _is_none(test.comparators[0])
    if isinstance(test, ast.BoolOp) and isinstance(test.op, ast.And):
        return any(_asserts(value, name) for value in test.values)
    return False


def _denies(test: ast.expr, name: str) -> bool:
    """Whether `test` being false means `name` is set."""
    if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
        return _asserts(test.operand, name)
    if isinstance(test, ast.Compare) and len(test.ops) == 1 and isinstance(test.ops[0], (ast.Is, ast.Eq)):
        return isinstance(test.left, ast.Name) and test.left.id == name and _is_none(test.comparators[0])
    if isinstance(test, ast.BoolOp) and isinstance(test.op, ast.Or):
        return any(_denies(value, name) for value in test.values)
    return False


def _guarded(node: ast.AST, name: str, parents: Dict[int, ast.AST]) -> bool:
    """Whether code around `node` has made sure `name` is not None when `node` runs."""
    child = node
    parent = parents.get(id(child))
    while parent is not None:
        if isinstance(parent, (ast.If, ast.While)):
            if child in parent.body and _asserts(parent.test, name):
                return True
            if child in parent.orelse and _denies(parent.test, name):
                return True
        elif isinstance(parent, ast.IfExp):
            if child is parent.body and _asserts(parent.test, name):
                return True
            if child is parent.orelse and _denies(parent.test, name):
                return True
        elif isinstance(parent, ast.BoolOp):
            earlier = parent.values[: parent.values.index(child)] if child in parent.values else []
            check = _asserts if isinstance(parent.op, ast.And) else _denies
            if any(check(value, name) for value in earlier):
                return True
        if isinstance(child, ast.stmt) and _guarded_by_earlier_statement(child, parent, name):
            return True
        child, parent = parent, parents.get(id(parent))
    return False


def _guarded_by_earlier_statement(statement: ast.stmt, parent: ast.AST, name: str) -> bool:
    """`if not x: return ...` or `assert x` before `statement` in its block."""
    for field in ("body", "orelse", "finalbody"):
        block = getattr(parent, field, None)
        if isinstance(block, list) and statement in block:
            for earlier in block[: block.index(statement)]:
                if isinstance(earlier, ast.Assert) and _asserts(earlier.test, name):
                    return True
                if (
                    isinstance(earlier, ast.If)
                    and not earlier.orelse
                    and _denies(earlier.test, name)
                    and isinstance(earlier.body[-1], (ast.Return, ast.Raise))
                ):
                    return True
    return False


# ---------------------------------------------------------------------------
# Where the value of a Secret goes


def _logger_names(tree: ast.Module, names: _CogNames) -> Set[str]:
    """Names bound to `logging.getLogger(...)` anywhere, and the usual names for a logger."""
    found = set(LOGGER_NAMES)
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Call):
            func = node.value.func
            if (
                isinstance(func, ast.Attribute)
                and func.attr == "getLogger"
                and names.is_module(func.value, "logging")
            ):
                found.update(t.id for t in node.targets if isinstance(t, ast.Name))
    return found


class _Exposures:
    def __init__(self, function: FunctionNode, secrets: Sequence[str], names: _CogNames, loggers: Set[str]):
        self.function = function
        self.secrets = set(secrets)
        self.names = names
        self.loggers = loggers
        # Names bound to a secret's value (`token = hf_token.get_secret_value()`), with the input.
        self.bound: Dict[str, str] = {}
        self.files: Set[str] = set()  # names bound to `open(...)`

    def find(self) -> Iterator[Exposure]:
        self._bind_names()
        for node, nested in _walk_function(self.function):
            if isinstance(node, ast.Call):
                how = self._sink(node)
                if how is None:
                    continue
                for argument in [*node.args, *(k.value for k in node.keywords)]:
                    source = self.source(argument)
                    if source is not None:
                        yield Exposure(self._narrow(argument), source, how)
            elif isinstance(node, (ast.Return, ast.Yield)) and node.value is not None and not nested:
                source = self.source(node.value)
                if source is not None:
                    what = "yielded" if isinstance(node, ast.Yield) else "returned"
                    yield Exposure(
                        self._narrow(node.value), source, f"the output ({what} from {self.function.name}())"
                    )

    def _bind_names(self) -> None:
        for _ in range(4):  # `a = x.get_secret_value()`, `b = f"Bearer {a}"`, ...
            before = len(self.bound)
            for node in ast.walk(self.function):
                targets: List[ast.expr] = []
                value: Optional[ast.expr] = None
                if isinstance(node, ast.Assign):
                    targets, value = node.targets, node.value
                elif isinstance(node, (ast.AnnAssign, ast.NamedExpr)) and node.value is not None:
                    targets, value = [node.target], node.value
                elif isinstance(node, ast.withitem) and isinstance(node.optional_vars, ast.Name):
                    if self._is_open(node.context_expr):
                        self.files.add(node.optional_vars.id)
                    continue
                if value is None:
                    continue
                if self._is_open(value):
                    self.files.update(t.id for t in targets if isinstance(t, ast.Name))
                source = self.source(value)
                if source is not None:
                    for target in targets:
                        key = _bound_key(target)
                        if key is not None:
                            self.bound.setdefault(key, source)
            if len(self.bound) == before:
                break

    def _is_open(self, node: ast.expr) -> bool:
        return isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "open"

    def source(self, node: ast.expr) -> Optional[str]:
        """The input whose secret value `node` is or carries as text, if any."""
        key = _bound_key(node)
        if key is not None:
            return self.bound.get(key)
        if isinstance(node, ast.Call):
            func = node.func
            if (
                isinstance(func, ast.Attribute)
                and func.attr == "get_secret_value"
                and isinstance(func.value, ast.Name)
                and func.value.id in self.secrets
            ):
                return func.value.id
            parts: List[ast.expr] = []
            if isinstance(func, ast.Name) and (func.id in TEXT_BUILDERS or func.id[:1].isupper()):
                parts = [*node.args, *(k.value for k in node.keywords)]
            elif isinstance(func, ast.Attribute):
                parts = [func.value]  # `token.strip()`, `token.encode()` still carry it
                if func.attr in TEXT_METHODS:
                    parts += [*node.args, *(k.value for k in node.keywords)]
            return self._first_source(parts)
        if isinstance(node, ast.JoinedStr):
            return self._first_source(node.values)
        if isinstance(node, ast.FormattedValue):
            return self.source(node.value)
        if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Add, ast.Mod)):
            return self._first_source([node.left, node.right])
        if isinstance(node, (ast.Tuple, ast.List, ast.Set)):
            return self._first_source(node.elts)
        if isinstance(node, ast.Dict):
            return self._first_source([v for v in node.values if v is not None])
        if isinstance(node, ast.Starred):
            return self.source(node.value)
        if isinstance(node, ast.IfExp):
            return self._first_source([node.body, node.orelse])
        return None

    def _first_source(self, nodes: Sequence[ast.expr]) -> Optional[str]:
        for node in nodes:
            source = self.source(node)
            if source is not None:
                return source
        return None

    def _narrow(self, node: ast.expr) -> ast.expr:
        """The element of a returned or printed structure that carries the secret."""
        if isinstance(node, (ast.Tuple, ast.List, ast.Set, ast.Dict)):
            elements = (
                node.elts if not isinstance(node, ast.Dict) else [v for v in node.values if v is not None]
            )
            for element in elements:
                if self.source(element) is not None:
                    return self._narrow(element)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id[:1].isupper():
            for argument in [*node.args, *(k.value for k in node.keywords)]:
                if self.source(argument) is not None:
                    return self._narrow(argument)
        return node

    def _sink(self, call: ast.Call) -> Optional[str]:
        """How `call` exposes its arguments: `print()`, a log, stdout, a file; None if it doesn't."""
        func = call.func
        if isinstance(func, ast.Name):
            return "print()" if func.id == "print" else None
        if not isinstance(func, ast.Attribute):
            return None
        receiver = func.value
        if func.attr in LOG_METHODS:
            if self.names.is_module(receiver, "logging"):
                return f"logging.{func.attr}()"
            if isinstance(receiver, ast.Name) and receiver.id in self.loggers:
                return f"{receiver.id}.{func.attr}()"
            if isinstance(receiver, ast.Attribute) and receiver.attr in self.loggers:
                return f"a logger's {func.attr}()"
        if func.attr in ("write", "writelines"):
            if (
                isinstance(receiver, ast.Attribute)
                and receiver.attr in ("stdout", "stderr")
                and self.names.is_module(receiver.value, "sys")
            ):
                return f"sys.{receiver.attr}.{func.attr}()"
            if self._is_open(receiver) or (isinstance(receiver, ast.Name) and receiver.id in self.files):
                return f"a file ({func.attr}())"
        if func.attr in ("write_text", "write_bytes"):
            return f"a file ({func.attr}())"
        return None


def _bound_key(node: ast.expr) -> Optional[str]:
    """`token` for a name, `self.token` for an attribute of `self`: what a value can be bound to."""
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "self":
        return f"self.{node.attr}"
    return None


def _walk_function(function: FunctionNode) -> Iterator[Tuple[ast.AST, bool]]:
    """The nodes of the function's body, each with whether it is inside a function or class
    the body defines (a `return` there is not the predictor's output)."""
    stack: List[Tuple[ast.AST, bool]] = [(statement, False) for statement in reversed(function.body)]
    while stack:
        node, nested = stack.pop()
        yield node, nested
        inner = nested or isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda))
        stack.extend((child, inner) for child in reversed(list(ast.iter_child_nodes(node))))
