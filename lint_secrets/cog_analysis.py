"""What a cog model's code does with its inputs: plain data for the RS2xx rules.

A cog predictor (`class Predictor(BasePredictor)` with `predict`) or trainer (a function
whose parameters default to `Input(...)`) declares the model's inputs as parameters.
This module finds those parameters, how each is typed (`str`, `Secret`, optional or
not), its `Input(default=...)`, where the function uses it, and where the value of a
`Secret` reaches a log, the output or a file. Static only: cog need not be installed.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, replace
from enum import Enum
from typing import Callable, Dict, FrozenSet, Iterator, List, Optional, Sequence, Set, Tuple, Union, cast

from lint_secrets.records import Record

FunctionNode = Union[ast.FunctionDef, ast.AsyncFunctionDef]

# Methods of a BasePredictor subclass whose parameters are the model's inputs.
ENTRY_METHODS = frozenset({"predict", "train"})
LOG_METHODS = frozenset(
    {"debug", "info", "warning", "warn", "error", "exception", "critical", "fatal", "log"}
)
# Receivers taken for loggers without seeing `logging.getLogger(...)` bound to them.
LOGGER_NAMES = frozenset({"logger", "log", "LOGGER", "LOG", "_logger", "_log"})
# Modules whose names (`import logging as lg`, `from logging import info`) the sinks are known by.
KNOWN_MODULES = frozenset(
    {
        "logging",
        "sys",
        "typing",
        "pprint",
        "warnings",
        "json",
        "pickle",
        "base64",
        "urllib",
        "shlex",
        "loguru",
        "os",
        "subprocess",
    }
)
# Calls that put what they are given on a command line (`ps` shows it to every user of the
# machine, and a failed command's error repeats it in the logs), by which of their arguments
# hold the command: the first (or `args=`), or all after the program's path.
COMMAND_FIRST_ARGUMENT = frozenset(
    {
        "subprocess.run", "subprocess.call", "subprocess.check_call", "subprocess.check_output",
        "subprocess.Popen", "subprocess.getoutput", "subprocess.getstatusoutput", "os.system", "os.popen",
    }
)  # fmt: skip
COMMAND_AFTER_PROGRAM = frozenset(
    {"os.execv", "os.execvp", "os.execl", "os.execlp", "os.spawnv", "os.spawnvp", "os.spawnl", "os.spawnlp"}
)
# Calls that read an environment variable by its name, given as their first argument.
ENVIRONMENT_READS = frozenset({"os.environ.get", "os.getenv", "os.environ.pop"})


class AnnotationKind(Enum):
    STR = "str"
    SECRET = "Secret"
    SECRET_LIST = "List[Secret]"
    OTHER = "other"


@dataclass(frozen=True, repr=False, eq=False)
class CogParameter(Record):
    """One input of a predictor's `predict`/`train` or of a trainer function."""

    function: str
    node: ast.arg
    kind: AnnotationKind
    optional: bool  # `Optional[...]`, `... | None`, or `default=None`: the value may be None
    # The `str` inside the annotation (what a fix to `Secret` replaces); None unless STR. In a
    # quoted annotation (`"Optional[str]"`), the string literal holding it: see `str_in_quotes`.
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
    # The default as written, whatever it is (`DEFAULT_TOKEN`, an f-string; `Secret(...)`
    # unwrapped), and the function: a rule may ask the resolver what it evaluates to.
    default_expression: Optional[ast.expr] = None
    definition: Optional[FunctionNode] = None
    # Where `str` is in the text of the quoted annotation `str_node` (start, end); None: unquoted.
    str_in_quotes: Optional[Tuple[int, int]] = None

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


LOGS_NOT_REDACTED = "Replicate redacts the input, not the logs or output"
LOGS_KEPT = "Replicate keeps a prediction's logs and output and shows them in the clear"


@dataclass(frozen=True, repr=False, eq=False)
class Exposure(Record):
    """The value of a `Secret` input, or of a credential read from the environment, reaching a
    place Replicate does not redact."""

    node: ast.expr
    parameter: str  # the Secret input, or the environment variable (`from_environment`)
    how: str
    # The call or statement that exposes it: a noqa comment after its closing parenthesis counts.
    around: Optional[ast.AST] = None
    from_environment: bool = False
    why: str = LOGS_NOT_REDACTED  # why that place shows it, and what to do instead


@dataclass(frozen=True, repr=False, eq=False)
class SecretSpelling(Record):
    """How a fix writes cog's `Secret` in this file, and the import to extend if needed."""

    name: str
    import_from: Optional[ast.ImportFrom] = None  # add `Secret` to this `from cog import ...`


@dataclass(frozen=True, repr=False, eq=False)
class CogAnalysis(Record):
    parameters: Tuple[CogParameter, ...]
    exposures: Tuple[Exposure, ...]
    secret: Optional[SecretSpelling]  # None: no way to name `Secret` without a new import line


def analyze_cog(
    tree: ast.Module,
    credential_env_names: FrozenSet[str] = frozenset(),
    non_credential_env_names: FrozenSet[str] = frozenset(),
) -> Optional[CogAnalysis]:
    """The cog inputs of `tree`, or None when the file does not import cog. The two sets are
    the configuration's say on which environment variables hold credentials."""
    names = _CogNames.of(tree)
    if names is None:
        return None
    parameters: List[CogParameter] = []
    exposures: List[Exposure] = []
    loggers = _logger_names(tree, names)
    variables = _CredentialVariables(names, credential_env_names, non_credential_env_names)
    predictors = _predictor_classes(tree, names)
    predictor_methods = {id(m) for c in predictors for m in c.body if isinstance(m, _FUNCTIONS)}
    secrets_of: Dict[int, List[CogParameter]] = {}
    for function, method in _entry_functions(tree, names, predictors):
        found = list(_parameters(function, method, names, loggers))
        parameters.extend(found)
        secrets = [p for p in found if p.kind in (AnnotationKind.SECRET, AnnotationKind.SECRET_LIST)]
        if id(function) in predictor_methods:
            secrets_of[id(function)] = secrets  # walked with the rest of its class, below
        elif secrets or variables.read_in(function):
            exposures.extend(_Exposures(function, secrets, names, loggers, variables).find())
    for predictor in predictors:
        exposures.extend(_predictor_exposures(predictor, secrets_of, names, loggers, variables))
    return CogAnalysis(tuple(parameters), tuple(exposures), names.secret_spelling(tree))


_FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef)


def _predictor_exposures(
    predictor: ast.ClassDef,
    secrets_of: Dict[int, List[CogParameter]],
    names: _CogNames,
    loggers: Set[str],
    variables: _CredentialVariables,
) -> List[Exposure]:
    """Exposures in the methods of a predictor class, following what one method keeps on
    `self` (`self.token = os.environ["HF_TOKEN"]` in `setup`) into every other method: cog
    calls `setup` once and `predict` on the same object. Each round walks every method with
    what the previous round found kept on `self`, until a round finds nothing new."""
    methods = [m for m in predictor.body if isinstance(m, _FUNCTIONS)]
    if not any(secrets_of.get(id(m)) for m in methods) and not any(variables.read_in(m) for m in methods):
        return []
    kept: _State = {}
    found: Dict[int, Exposure] = {}
    for _ in range(_ATTRIBUTE_ROUNDS):
        stored: _State = {}
        found = {}
        for method in methods:
            walker = _Exposures(
                method,
                secrets_of.get(id(method), []),
                names,
                loggers,
                variables,
                attributes=kept,
                output=method.name in ENTRY_METHODS,
            )
            for exposure in walker.find():
                found.setdefault(id(exposure.node), exposure)
            for key, taint in walker.stored.items():
                stored.setdefault(key, taint)
        if stored.keys() <= kept.keys():
            break
        kept = {**stored, **kept}
    return sorted(found.values(), key=lambda e: (e.node.lineno, e.node.col_offset))


# Rounds of walking a predictor's methods: an attribute copied from one set by another method
# (`self.auth = f"Bearer {self.key}"`) needs one more; chains longer than this are not followed.
_ATTRIBUTE_ROUNDS = 4


@dataclass(frozen=True, repr=False, eq=False)
class _CredentialVariables(Record):
    """Which reads of the environment give a credential (`os.environ["HF_TOKEN"]`,
    `os.getenv("OPENAI_API_KEY")`): by the variable's name, as RS104 decides."""

    names: _CogNames
    configured: FrozenSet[str]
    excluded: FrozenSet[str]

    def read(self, node: ast.expr) -> Optional[str]:
        """The credential variable `node` reads, if it reads one."""
        variable: Optional[str] = None
        if isinstance(node, ast.Subscript) and self.names.qualified(node.value) == "os.environ":
            variable = _constant_string(subscript_slice(node))
        elif isinstance(node, ast.Call) and node.args:
            if self.names.qualified(node.func) in ENVIRONMENT_READS:
                variable = _constant_string(node.args[0])
        if variable is None:
            return None
        from lint_secrets.analysis.env_reads import is_credential_env_name

        return variable if is_credential_env_name(variable, self.configured, self.excluded) else None

    def read_in(self, function: FunctionNode) -> bool:
        return any(
            isinstance(node, (ast.Subscript, ast.Call)) and self.read(node) is not None
            for node in ast.walk(function)
        )


# ---------------------------------------------------------------------------
# What names mean cog here


@dataclass
class _CogNames:
    modules: Set[str]  # names bound to the `cog` module
    imported: Dict[str, str]  # local name -> what it is in cog (`Input`, `Secret`, `BasePredictor`)
    star: bool
    # local name -> what it is in a module the sinks are known by: `logging`, `logging.info`,
    # `loguru.logger` (`import logging as lg`, `from logging import info`)
    stdlib: Dict[str, str]

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
                    elif top in KNOWN_MODULES:
                        if alias.asname is not None:
                            names.stdlib[alias.asname] = alias.name
                        else:
                            names.stdlib[top] = top
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                if node.module == "cog" or node.module.startswith("cog."):
                    seen_cog = True
                    for alias in node.names:
                        if alias.name == "*":
                            names.star = True
                        else:
                            names.imported[alias.asname or alias.name] = alias.name
                elif node.module.split(".")[0] in KNOWN_MODULES:
                    for alias in node.names:
                        if alias.name != "*":
                            names.stdlib[alias.asname or alias.name] = f"{node.module}.{alias.name}"
        return names if seen_cog else None

    def qualified(self, node: ast.expr) -> Optional[str]:
        """`logging.info` for `logging.info`, `lg.info` or an imported `info`; None when `node`
        is not a name from a module the sinks are known by."""
        if isinstance(node, ast.Name):
            return self.stdlib.get(node.id)
        if isinstance(node, ast.Attribute):
            base = self.qualified(node.value)
            return f"{base}.{node.attr}" if base is not None else None
        return None

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
        return isinstance(node, ast.Name) and self.stdlib.get(node.id) == module

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


def _predictor_classes(tree: ast.Module, names: _CogNames) -> List[ast.ClassDef]:
    """Classes deriving from cog's BasePredictor, directly or through local classes."""
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
    return [class_node for class_node in classes if class_node.name in predictors]


def _entry_functions(
    tree: ast.Module, names: _CogNames, predictors: Sequence[ast.ClassDef]
) -> Iterator[Tuple[FunctionNode, bool]]:
    """(function, is_method): `predict`/`train` of predictor classes, and functions with `Input` defaults."""
    classes = [node for node in ast.walk(tree) if isinstance(node, ast.ClassDef)]
    predictor_ids = {id(class_node) for class_node in predictors}
    methods: Set[int] = set()
    for class_node in classes:
        for statement in class_node.body:
            if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef)):
                methods.add(id(statement))
                if id(class_node) in predictor_ids and statement.name in ENTRY_METHODS:
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


def _parameters(
    function: FunctionNode, method: bool, names: _CogNames, loggers: Set[str]
) -> Iterator[CogParameter]:
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
        kind, optional, str_node, str_in_quotes = _annotation(arg.annotation, names)
        input_call = default if isinstance(default, ast.Call) and _is_input_call(default, names) else None
        literal: Optional[ast.expr] = default
        argument: Optional[ast.expr] = None
        if isinstance(input_call, ast.Call):
            literal = argument = _input_default(input_call)
        if isinstance(literal, ast.Constant) and literal.value is None:
            optional = True
        if isinstance(literal, ast.Call) and names.cog_name(literal.func) == "Secret" and literal.args:
            literal = literal.args[0]  # `default=Secret("...")`
        expression = literal
        if not (isinstance(literal, ast.Constant) and isinstance(literal.value, str)):
            literal = None
        uses: Optional[Tuple[ast.Name, ...]] = None
        why: Optional[str] = None
        if kind is AnnotationKind.STR:
            if str_node is None:
                why = "its annotation is written as a string it can't rewrite"
            elif arg.arg in rebound:
                why = f"it is rebound in {function.name}()"
            else:
                uses = _string_uses(
                    function, arg.arg, optional, lambda call: _shows_as_text(call, names, loggers)
                )
                if uses is None:
                    why = "it is optional and used where it may be None"
        yield CogParameter(
            function.name,
            arg,
            kind,
            optional,
            str_node,
            input_call,
            literal,
            argument,
            uses,
            why,
            expression,
            function,
            str_in_quotes,
        )


def _input_default(call: ast.Call) -> Optional[ast.expr]:
    for keyword in call.keywords:
        if keyword.arg == "default":
            return keyword.value
    return call.args[0] if call.args else None


_Annotation = Tuple[AnnotationKind, bool, Optional[ast.expr], Optional[Tuple[int, int]]]


def _annotation(node: Optional[ast.expr], names: _CogNames) -> _Annotation:
    """(kind, optional, the `str` node, where `str` is in a quoted annotation's text) of an
    annotation. A quoted annotation (`"Optional[str]"`) is read from its text; a fix rewrites
    the text inside the quotes, so its `str` node is the string literal."""
    if node is None:
        return AnnotationKind.OTHER, False, None, None
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        text = node.value
        try:
            quoted = ast.parse(text.strip(), mode="eval").body
        except (SyntaxError, ValueError):
            return AnnotationKind.OTHER, False, None, None
        kind, optional, str_node, _ = _annotation(quoted, names)
        where = _place_in_quotes(node, str_node)
        return kind, optional, node if where is not None else None, where
    inner = _optional_inner(node, names)
    if inner is not None:
        kind, _, str_node, where = _annotation(inner, names)
        return kind, True, str_node, where
    if isinstance(node, ast.Name) and node.id == "str":
        return AnnotationKind.STR, False, node, None
    if names.cog_name(node) == "Secret":
        return AnnotationKind.SECRET, False, None, None
    if isinstance(node, ast.Subscript) and _subscripted_name(node) in ("List", "list", "Sequence"):
        element, _, _, _ = _annotation(node.slice, names)
        if element is AnnotationKind.SECRET:
            return AnnotationKind.SECRET_LIST, False, None, None
    return AnnotationKind.OTHER, False, None, None


def _place_in_quotes(literal: ast.Constant, str_node: Optional[ast.expr]) -> Optional[Tuple[int, int]]:
    """Where the `str` of a quoted annotation is in its text; None when a fix can't rewrite it:
    the literal must be one plain `"..."` or `'...'` on one line (no prefix, triple quotes,
    escapes, quotes inside or joined literals), so its text is the value between two quotes."""
    text = str(literal.value)
    if not isinstance(str_node, ast.Name) or str_node.lineno != 1 or str_node.end_lineno != 1:
        return None
    if not text.isascii() or any(c in text for c in "\\'\"\n\r") or literal.lineno != literal.end_lineno:
        return None
    if literal.end_col_offset is None or literal.end_col_offset - literal.col_offset != len(text) + 2:
        return None
    leading = len(text) - len(text.lstrip())
    end = str_node.end_col_offset or 0
    return leading + str_node.col_offset, leading + end


def _subscripted_name(node: ast.Subscript) -> str:
    base = node.value
    return base.id if isinstance(base, ast.Name) else base.attr if isinstance(base, ast.Attribute) else ""


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


def _string_uses(
    function: FunctionNode, name: str, optional: bool, shows_as_text: Callable[[ast.Call], bool]
) -> Optional[Tuple[ast.Name, ...]]:
    """The loads of `name` that need `.get_secret_value()` once it is a `Secret`; None when one
    of them may see None (an optional input used outside a test that it is set).

    A value printed or logged (`shows_as_text`), directly or formatted into an f-string there,
    stays the Secret: it shows as `**********`, where its value would be exposed (RS203)."""
    parents = _parents(function)
    uses: List[ast.Name] = []
    for statement in function.body:
        for node in ast.walk(statement):
            if not (isinstance(node, ast.Name) and node.id == name and isinstance(node.ctx, ast.Load)):
                continue
            if _is_none_test(node, parents) or (optional and _is_truth_test(node, parents)):
                continue  # `x is None`, and `if x:` on an optional input, mean the same of a Secret
            if _shown_by(node, parents, shows_as_text):
                continue
            if optional and not _guarded(node, name, parents):
                return None
            uses.append(node)
    return tuple(uses)


def _shown_by(node: ast.expr, parents: Dict[int, ast.AST], shows_as_text: Callable[[ast.Call], bool]) -> bool:
    """Whether `node` is an argument of a call that prints or logs it as text, itself or as a
    field of an f-string given to that call."""
    child: ast.AST = node
    parent = parents.get(id(child))
    while isinstance(parent, (ast.FormattedValue, ast.JoinedStr)):
        if isinstance(parent, ast.FormattedValue) and parent.format_spec is not None:
            return False  # `{x:>10}`: a Secret's format has no such spec
        child, parent = parent, parents.get(id(parent))
    if not isinstance(parent, ast.Call) or child is parent.func:
        return False
    return shows_as_text(parent)


def _shows_as_text(call: ast.Call, names: _CogNames, loggers: Set[str]) -> bool:
    """`print(...)`, `logging.info(...)`, `logger.info(...)`: calls that turn what they are
    given into text with `str()` (a Secret's is `**********`)."""
    func = call.func
    if isinstance(func, ast.Name) and func.id == "print" and names.qualified(func) is None:
        return True
    qualified = names.qualified(func)
    if qualified is not None:
        module, _, attr = qualified.rpartition(".")
        return module == "logging" and attr in LOG_METHODS
    if isinstance(func, ast.Attribute) and func.attr in LOG_METHODS:
        key = _bound_key(func.value)
        return key is not None and (key in loggers or key.split(".")[-1] in loggers)
    return False


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
#
# A walk over the function's statements in order, with what each name holds at that point:
# a later binding replaces an earlier one (`t = "logged in"` after `t = x.get_secret_value()`),
# a loop's target is rebound on each pass, and after an `if` a name holds what either branch
# left in it. What a name holds is a `_Taint`: the Secret itself (it prints as `**********`),
# its value as text, a structure holding that text, or an object built with it.


class _Shape(Enum):
    SECRET = "secret"  # a cog Secret: prints, logs and formats as **********
    SECRETS = "secrets"  # a list of Secrets (`List[Secret]`)
    TEXT = "text"  # the value itself, or text made of it
    SEQUENCE = "sequence"  # a list, tuple or set that holds the value
    MAPPING = "mapping"  # a dict some of whose values hold the value
    CARRIER = "carrier"  # an object built with the value (`Output(token=...)`): its repr may show it


# What a sink shows of what it is given: the value, or something that holds it.
_SHOWN = frozenset({_Shape.TEXT, _Shape.SEQUENCE, _Shape.MAPPING, _Shape.CARRIER})
_HOLDS_VALUE = frozenset({_Shape.TEXT, _Shape.SEQUENCE, _Shape.MAPPING})

# Methods of a string that give back text with the whole value in it. Not `startswith`,
# `isalnum`, `count`, `find` or `__len__`: a bool or a number says nothing of the value.
_TEXT_METHODS = frozenset(
    {
        "strip", "lstrip", "rstrip", "upper", "lower", "casefold", "title", "capitalize", "swapcase",
        "encode", "decode", "replace", "removeprefix", "removesuffix", "ljust", "rjust", "center",
        "zfill", "expandtabs", "format", "format_map", "translate",
    }
)  # fmt: skip
_SPLITTING_METHODS = frozenset({"split", "rsplit", "splitlines", "partition", "rpartition"})
# Functions of the standard library whose result is the text of what they are given.
_TEXT_FUNCTIONS = frozenset(
    {
        "json.dumps", "base64.b64encode", "base64.urlsafe_b64encode", "base64.standard_b64encode",
        "base64.b32encode", "base64.b16encode", "base64.encodebytes", "urllib.parse.quote",
        "urllib.parse.quote_plus", "urllib.parse.urlencode", "shlex.quote", "pprint.pformat",
    }
)  # fmt: skip
_COLLECTIONS = frozenset({"list", "tuple", "set", "frozenset", "sorted", "reversed", "iter"})
_STR_BUILDERS = frozenset({"str", "repr", "format", "bytes", "ascii"})


@dataclass(frozen=True, repr=False, eq=False)
class _Source(Record):
    name: str  # the Secret input, or the environment variable
    from_environment: bool = False


@dataclass(frozen=True, repr=False, eq=False)
class _Taint(Record):
    input: _Source
    shape: _Shape
    # MAPPING: what each string key of the dict holds (None: nothing of the secret), when the
    # dict's keys are all known; None: any key may hold it. CARRIER: what each keyword the object
    # was built with holds (`Config(token=t)`); another field is not known to hold anything.
    entries: Optional[Tuple[Tuple[str, Optional[_Taint]], ...]] = None

    def entry(self, key: Optional[str]) -> Optional[_Taint]:
        if self.entries is None or key is None:
            return _Taint(self.input, _Shape.TEXT)
        return dict(self.entries).get(key)


_State = Dict[str, _Taint]


def _join(first: _State, second: _State) -> _State:
    """What a name may hold after two paths meet: what either path left in it."""
    joined = dict(first)
    for key, taint in second.items():
        joined.setdefault(key, taint)
    return joined


def _logger_names(tree: ast.Module, names: _CogNames) -> Set[str]:
    """Names bound to `logging.getLogger(...)` anywhere, loguru's logger under any name, and
    the usual names for a logger."""
    found = set(LOGGER_NAMES)
    found.update(local for local, qualified in names.stdlib.items() if qualified == "loguru.logger")
    for node in ast.walk(tree):
        if isinstance(node, (ast.Assign, ast.AnnAssign)) and isinstance(node.value, ast.Call):
            func = node.value.func
            qualified = names.qualified(func)
            if qualified in ("logging.getLogger", "structlog.get_logger", "loguru.logger.bind"):
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                found.update(key for key in map(_bound_key, targets) if key is not None)
                found.update(t.attr for t in targets if isinstance(t, ast.Attribute))
    return found


class _Exposures:
    def __init__(
        self,
        function: FunctionNode,
        secrets: Sequence[CogParameter],
        names: _CogNames,
        loggers: Set[str],
        variables: _CredentialVariables,
        attributes: Optional[_State] = None,
        output: bool = True,
    ):
        self.function = function
        self.names = names
        self.loggers = loggers
        self.variables = variables
        # What other methods of the predictor keep on `self`, and whether a `return` here is
        # the model's output (`predict`, not a helper method).
        self.start: _State = dict(attributes or {})
        self.output = output
        for p in secrets:
            shape = _Shape.SECRETS if p.kind is AnnotationKind.SECRET_LIST else _Shape.SECRET
            self.start[p.name] = _Taint(_Source(p.name), shape)
        self.stored: _State = {}  # `self.x` bound to something of a secret here, for other methods
        self.files: Set[str] = set()  # names bound to `open(...)` (never unbound: a file stays one)
        self.found: Dict[int, Exposure] = {}
        self.loops = 0  # loops around the statement being walked

    def _passes(self) -> int:
        """How often a loop's body is walked: twice (what one pass leaves reaches the next),
        once inside more than three loops, so nesting can't make the walk exponential."""
        return 2 if self.loops <= 3 else 1

    def find(self) -> Iterator[Exposure]:
        self._block(self.function.body, dict(self.start), nested=not self.output)
        yield from sorted(self.found.values(), key=lambda e: (e.node.lineno, e.node.col_offset))

    # -- statements
    def _block(self, statements: Sequence[ast.stmt], state: _State, nested: bool) -> _State:
        for statement in statements:
            state = self._statement(statement, state, nested)
        return state

    def _statement(self, node: ast.stmt, state: _State, nested: bool) -> _State:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            for decorator in node.decorator_list:
                self._scan(decorator, state, nested)
            body_state = dict(state)
            if not isinstance(node, ast.ClassDef):
                for arg in _all_args(node.args):
                    body_state.pop(arg.arg, None)
            self._block(node.body, body_state, nested=True)  # a `return` there is not the output
            state = dict(state)
            state.pop(node.name, None)
            return state
        if isinstance(node, ast.If):
            self._scan(node.test, state, nested)
            return _join(
                self._block(node.body, dict(state), nested), self._block(node.orelse, dict(state), nested)
            )
        if isinstance(node, (ast.For, ast.AsyncFor)):
            self._scan(node.iter, state, nested)
            element = self._element(node.iter, state)
            after = state
            self.loops += 1
            for _ in range(self._passes()):  # a second pass sees what the first left for the next
                entry = self._bind(node.target, element, None, dict(after))
                after = _join(state, self._block(node.body, entry, nested))
            self.loops -= 1
            return self._block(node.orelse, after, nested)
        if isinstance(node, ast.While):
            after = state
            self.loops += 1
            for _ in range(self._passes()):
                self._scan(node.test, after, nested)
                after = _join(state, self._block(node.body, dict(after), nested))
            self.loops -= 1
            return self._block(node.orelse, after, nested)
        if isinstance(node, (ast.With, ast.AsyncWith)):
            state = dict(state)
            for item in node.items:
                self._scan(item.context_expr, state, nested)
                if item.optional_vars is not None:
                    if self._is_open(item.context_expr) and isinstance(item.optional_vars, ast.Name):
                        self.files.add(item.optional_vars.id)
                    state = self._bind(item.optional_vars, None, None, state)
            return self._block(node.body, state, nested)
        if isinstance(node, _TRY_NODES):
            attempt = cast(ast.Try, node)  # `try: ... except*` has the same parts
            body = self._block(attempt.body, dict(state), nested)
            either = _join(state, body)
            ends = [self._block(attempt.orelse, dict(body), nested)]
            for handler in attempt.handlers:
                handler_state = dict(either)
                if handler.name:
                    handler_state.pop(handler.name, None)
                ends.append(self._block(handler.body, handler_state, nested))
            joined = either
            for end in ends:
                joined = _join(joined, end)
            return self._block(attempt.finalbody, joined, nested)
        match_node = getattr(ast, "Match", None)
        if match_node is not None and isinstance(node, match_node):
            self._scan(node.subject, state, nested)
            joined = dict(state)
            for case in node.cases:
                joined = _join(joined, self._block(case.body, dict(state), nested))
            return joined
        if isinstance(node, ast.Raise):
            if node.exc is not None:
                self._scan(node.exc, state, nested)
                taint = self._taint(node.exc, state)
                if taint is not None and taint.shape in _SHOWN:
                    why = "Replicate shows a failed prediction's error in its logs and record, unredacted"
                    self._expose(node.exc, taint, "an exception message (raise)", node, state, why)
            if node.cause is not None:
                self._scan(node.cause, state, nested)
            return state
        if isinstance(node, ast.Assert):
            self._scan(node.test, state, nested)
            if node.msg is not None:
                self._scan(node.msg, state, nested)
                taint = self._taint(node.msg, state)
                if taint is not None and taint.shape in _SHOWN:
                    why = "Replicate shows a failed prediction's error in its logs and record, unredacted"
                    self._expose(node.msg, taint, "an exception message (assert)", node, state, why)
            return state
        if isinstance(node, ast.Return):
            if node.value is not None:
                self._scan(node.value, state, nested)
                if not nested:
                    self._output(node.value, node, "returned", state)
            return state
        if isinstance(node, ast.Assign):
            self._scan(node.value, state, nested)
            taint = self._taint(node.value, state)
            state = dict(state)
            for target in node.targets:
                self._scan_target(target, state, nested)
                if self._is_open(node.value) and isinstance(target, ast.Name):
                    self.files.add(target.id)
                state = self._bind(target, taint, node.value, state)
            return state
        if isinstance(node, ast.AnnAssign):
            if node.value is None:
                return state
            self._scan(node.value, state, nested)
            return self._bind(node.target, self._taint(node.value, state), node.value, dict(state))
        if isinstance(node, ast.AugAssign):
            self._scan(node.value, state, nested)
            added = self._taint(node.value, state)
            key = _bound_key(node.target)
            if key is None or added is None or added.shape not in _SHOWN:
                return state
            state = dict(state)
            state.setdefault(key, _Taint(added.input, _Shape.TEXT))
            self._keep(key, state[key])
            return state
        if isinstance(node, ast.Delete):
            state = dict(state)
            for target in node.targets:
                key = _bound_key(target)
                if key is not None:
                    state.pop(key, None)
            return state
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            state = dict(state)
            for alias in node.names:
                state.pop(alias.asname or alias.name.split(".")[0], None)
            return state
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.expr):
                self._scan(child, state, nested)
        return state

    def _scan_target(self, target: ast.expr, state: _State, nested: bool) -> None:
        """Expressions evaluated inside an assignment's target (`d[key(t)] = ...`)."""
        if isinstance(target, (ast.Subscript, ast.Attribute)):
            self._scan(target.value, state, nested)

    def _bind(
        self, target: ast.expr, taint: Optional[_Taint], value: Optional[ast.expr], state: _State
    ) -> _State:
        """`state` with `target` bound to what `value` (whose taint is `taint`) holds."""
        if isinstance(target, (ast.Tuple, ast.List)):
            elements = value.elts if isinstance(value, (ast.Tuple, ast.List)) else None
            if (
                elements is not None
                and len(elements) == len(target.elts)
                and not any(isinstance(e, ast.Starred) for e in [*elements, *target.elts])
            ):
                for inner, element in zip(target.elts, elements):
                    state = self._bind(inner, self._taint(element, state), element, state)
                return state
            # Unpacking something whose parts we don't see: each part may be the value.
            part = self._element_of(taint)
            for inner in target.elts:
                state = self._bind(
                    inner.value if isinstance(inner, ast.Starred) else inner, part, None, state
                )
            return state
        if isinstance(target, ast.Starred):
            return self._bind(target.value, taint, None, state)
        if isinstance(target, ast.Subscript):
            key = _bound_key(target.value)
            if key is None:
                return state
            held = state.get(key)
            entry_key = _constant_string(subscript_slice(target))
            if held is not None and held.shape is _Shape.MAPPING and held.entries is not None:
                entries = dict(held.entries)
                if entry_key is None:
                    state[key] = _Taint(held.input, _Shape.MAPPING)
                else:
                    entries[entry_key] = taint if taint is not None and taint.shape in _SHOWN else None
                    state[key] = replace(held, entries=tuple(entries.items()))
            elif held is None and taint is not None and taint.shape in _SHOWN:
                state[key] = _Taint(taint.input, _Shape.MAPPING)
            if key in state:
                self._keep(key, state[key])
            return state
        key = _bound_key(target)
        if key is None:
            return state
        if taint is None:
            state.pop(key, None)
        else:
            state[key] = taint
            self._keep(key, taint)
        return state

    def _keep(self, key: str, taint: _Taint) -> None:
        """Note what a `self.` attribute is bound to: the predictor's other methods see it."""
        if key.startswith("self."):
            self.stored.setdefault(key, taint)

    # -- expressions
    def _scan(self, node: ast.expr, state: _State, nested: bool) -> None:
        """Sinks inside `node`: calls that print, log or write what they are given, and yields."""
        pending: List[Tuple[ast.AST, _State]] = [(node, state)]
        while pending:
            current, here = pending.pop()
            if isinstance(current, ast.Lambda):
                inner = dict(here)
                for arg in _all_args(current.args):
                    inner.pop(arg.arg, None)
                self._scan(current.body, inner, nested=True)
                continue
            if isinstance(current, _COMPREHENSIONS):
                inner = dict(here)
                for generator in current.generators:
                    pending.append((generator.iter, inner))
                    inner = self._bind(
                        generator.target, self._element(generator.iter, inner), None, dict(inner)
                    )
                    pending.extend((test, inner) for test in generator.ifs)
                parts = [current.key, current.value] if isinstance(current, ast.DictComp) else [current.elt]
                pending.extend((part, inner) for part in parts)
                continue
            if isinstance(current, ast.NamedExpr):
                taint = self._taint(current.value, here)
                self._bind(current.target, taint, current.value, here)
            if isinstance(current, ast.Call):
                self._call(current, here)
            elif isinstance(current, (ast.Yield, ast.YieldFrom)) and current.value is not None and not nested:
                self._output(current.value, current, "yielded", here)
            pending.extend((child, here) for child in ast.iter_child_nodes(current))

    def _call(self, call: ast.Call, state: _State) -> None:
        command = self._command(call)
        if command is not None:
            what, line = command
            for argument in line:
                taint = self._taint(argument, state)
                if taint is not None and taint.shape in _SHOWN:
                    self._expose(argument, taint, what, call, state, _ON_A_COMMAND_LINE)
            return
        how, shown = self._sink(call)
        if how is None:
            return
        for argument in shown:
            taint = self._taint(argument, state)
            if taint is not None and taint.shape in _SHOWN:
                self._expose(argument, taint, how, call, state)

    def _output(self, value: ast.expr, where: ast.AST, what: str, state: _State) -> None:
        taint = self._taint(value, state)
        if taint is not None and taint.shape in _SHOWN:
            self._expose(value, taint, f"the output ({what} from {self.function.name}())", where, state)

    def _expose(
        self,
        node: ast.expr,
        taint: _Taint,
        how: str,
        around: ast.AST,
        state: _State,
        why: Optional[str] = None,
    ) -> None:
        narrowed = self._narrow(node, state)
        source = taint.input
        if why is None:
            why = LOGS_KEPT if source.from_environment else LOGS_NOT_REDACTED
        exposure = Exposure(narrowed, source.name, how, around, source.from_environment, why)
        self.found.setdefault(id(narrowed), exposure)

    def _taint(self, node: ast.expr, state: _State, depth: int = 0) -> Optional[_Taint]:
        """What of a secret `node` holds, if anything."""
        if depth > 32:
            return None
        key = _bound_key(node)
        if key is not None:
            return state.get(key)
        variable = self.variables.read(node)
        if variable is not None:
            return _Taint(_Source(variable, from_environment=True), _Shape.TEXT)
        if isinstance(node, ast.Call):
            return self._call_taint(node, state, depth)
        if isinstance(node, ast.JoinedStr):
            parts = [
                self._taint(v.value, state, depth + 1)
                for v in node.values
                if isinstance(v, ast.FormattedValue)
            ]
            return _strongest(parts, as_text=True)
        if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Add, ast.Mod)):
            left, right = self._taint(node.left, state, depth + 1), self._taint(node.right, state, depth + 1)
            if isinstance(node.op, ast.Mod) and right is not None and right.shape in _SHOWN:
                return _Taint(right.input, _Shape.TEXT)  # `"%s" % (t,)`, `"%(k)s" % d`
            both = [t for t in (left, right) if t is not None and t.shape in _HOLDS_VALUE]
            if not both:
                return None
            shape = _Shape.TEXT if both[0].shape is _Shape.TEXT else _Shape.SEQUENCE
            return _Taint(both[0].input, shape)
        if isinstance(node, (ast.Tuple, ast.List, ast.Set)):
            parts = [self._taint(e, state, depth + 1) for e in node.elts]
            found = [p for p in parts if p is not None]
            if not found:
                return None
            if all(p.shape in (_Shape.SECRET, _Shape.SECRETS) for p in found):
                return _Taint(found[0].input, _Shape.SECRETS)
            shown = [p for p in found if p.shape in _SHOWN]
            return _Taint(shown[0].input, _Shape.SEQUENCE) if shown else None
        if isinstance(node, ast.Dict):
            entries: List[Tuple[str, Optional[_Taint]]] = []
            complete = True
            first: Optional[_Taint] = None
            for dict_key, value in zip(node.keys, node.values):
                taint = self._taint(value, state, depth + 1)
                if taint is not None and taint.shape not in _SHOWN:
                    taint = None
                if dict_key is None:  # `{**other}`
                    complete = False
                    if taint is not None and taint.shape is _Shape.MAPPING and taint.entries is not None:
                        entries.extend(taint.entries)
                        complete = True
                else:
                    name = _constant_string(dict_key)
                    if name is None:
                        complete = False
                    else:
                        entries.append((name, taint))
                first = first or taint
            if first is None:
                return None
            return _Taint(first.input, _Shape.MAPPING, tuple(entries) if complete else None)
        if isinstance(node, ast.Subscript):
            held = self._taint(node.value, state, depth + 1)
            if held is None:
                return None
            index = subscript_slice(node)
            if held.shape is _Shape.SECRETS:
                return held if isinstance(index, ast.Slice) else _Taint(held.input, _Shape.SECRET)
            if held.shape is _Shape.MAPPING:
                return held.entry(_constant_string(index))
            if held.shape is _Shape.SEQUENCE:
                return held if isinstance(index, ast.Slice) else _Taint(held.input, _Shape.TEXT)
            if held.shape is _Shape.TEXT and isinstance(index, ast.Slice) and _shows_the_rest(index):
                return held  # `t[3:]`, `t[len(prefix):]`, `t[::-1]`: all but a few characters
            return None  # a character, a prefix or a suffix of the text: not the value
        if isinstance(node, ast.Attribute):
            held = self._taint(node.value, state, depth + 1)
            if held is not None and held.shape is _Shape.CARRIER and held.entries is not None:
                return dict(held.entries).get(node.attr)  # `config.token` of `Config(token=t)`
            return None
        if isinstance(node, ast.IfExp):
            return _strongest(
                [self._taint(node.body, state, depth + 1), self._taint(node.orelse, state, depth + 1)]
            )
        if isinstance(node, ast.BoolOp) and isinstance(node.op, ast.Or):
            return _strongest([self._taint(v, state, depth + 1) for v in node.values])
        if isinstance(node, ast.BoolOp) and isinstance(node.op, ast.And):
            return self._taint(node.values[-1], state, depth + 1)
        if isinstance(node, (ast.Starred, ast.NamedExpr)):
            return self._taint(node.value, state, depth + 1)
        return None

    def _call_taint(self, node: ast.Call, state: _State, depth: int) -> Optional[_Taint]:
        func = node.func
        arguments = [*node.args, *(k.value for k in node.keywords)]
        if isinstance(func, ast.Attribute):
            receiver = self._taint(func.value, state, depth + 1)
            method = func.attr
            if receiver is not None:
                if receiver.shape is _Shape.SECRET:
                    return _Taint(receiver.input, _Shape.TEXT) if method == "get_secret_value" else None
                if receiver.shape is _Shape.SECRETS:
                    if method == "pop":
                        return _Taint(receiver.input, _Shape.SECRET)
                    return receiver if method == "copy" else None
                if receiver.shape is _Shape.TEXT:
                    if method in _TEXT_METHODS:
                        return receiver
                    if method in _SPLITTING_METHODS:
                        return _Taint(receiver.input, _Shape.SEQUENCE)
                    return None
                if receiver.shape is _Shape.MAPPING:
                    if method == "get":
                        return receiver.entry(_constant_string(node.args[0]) if node.args else None)
                    if method in ("values", "items", "copy"):
                        return receiver if method == "copy" else _Taint(receiver.input, _Shape.SEQUENCE)
                    return None
                if receiver.shape is _Shape.SEQUENCE:
                    if method == "pop":
                        return _Taint(receiver.input, _Shape.TEXT)
                    return receiver if method == "copy" else None
                return None  # a method of an object built with the value: its result is something else
            if method in ("format", "join", "format_map"):  # `"{}".format(t)`, `", ".join(parts)`
                parts = [self._taint(a, state, depth + 1) for a in arguments]
                if method == "join":
                    parts = [p for p in parts if p is not None and p.shape is not _Shape.MAPPING]
                return _strongest(parts, as_text=True)
            if self.names.qualified(func) in _TEXT_FUNCTIONS:
                return _strongest([self._taint(a, state, depth + 1) for a in arguments], as_text=True)
            return None
        if not isinstance(func, ast.Name):
            return None
        parts = [self._taint(a, state, depth + 1) for a in arguments]
        if func.id in _STR_BUILDERS:
            return _strongest(parts, as_text=True)
        if func.id in _COLLECTIONS:
            found = next((p for p in parts if p is not None), None)
            if found is None or found.shape is _Shape.MAPPING:
                return None  # a dict's keys
            if found.shape in (_Shape.SECRETS, _Shape.SEQUENCE):
                return found
            return None if found.shape is not _Shape.TEXT else _Taint(found.input, _Shape.SEQUENCE)
        if func.id == "dict":
            shown = [p for p in parts if p is not None and p.shape in _SHOWN]
            return _Taint(shown[0].input, _Shape.MAPPING) if shown else None
        if func.id[:1].isupper():  # a constructor given the value: the object may show it
            shown = [p for p in parts if p is not None and p.shape in _SHOWN]
            if not shown:
                return None
            # A field named as the keyword that gave it the value holds it (`Config(token=t).token`).
            fields = tuple(
                (k.arg, taint if taint is not None and taint.shape in _SHOWN else None)
                for k, taint in zip(node.keywords, parts[len(node.args) :])
                if k.arg is not None
            )
            return _Taint(shown[0].input, _Shape.CARRIER, fields)
        return None

    def _element(self, iterable: ast.expr, state: _State) -> Optional[_Taint]:
        """What each item of `for x in iterable` holds."""
        return self._element_of(self._taint(iterable, state))

    @staticmethod
    def _element_of(taint: Optional[_Taint]) -> Optional[_Taint]:
        if taint is None:
            return None
        if taint.shape is _Shape.SECRETS:
            return _Taint(taint.input, _Shape.SECRET)
        if taint.shape is _Shape.SEQUENCE:
            return _Taint(taint.input, _Shape.TEXT)
        return None  # a dict's keys, a string's characters

    def _is_open(self, node: ast.expr) -> bool:
        if not isinstance(node, ast.Call):
            return False
        func = node.func
        return (isinstance(func, ast.Name) and func.id == "open") or (
            isinstance(func, ast.Attribute) and func.attr == "open"
        )

    def _narrow(self, node: ast.expr, state: _State) -> ast.expr:
        """The element of a returned or printed structure that carries the secret."""
        if isinstance(node, (ast.Tuple, ast.List, ast.Set, ast.Dict)):
            elements = (
                node.elts if not isinstance(node, ast.Dict) else [v for v in node.values if v is not None]
            )
            for element in elements:
                taint = self._taint(element, state)
                if taint is not None and taint.shape in _SHOWN:
                    return self._narrow(element, state)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id[:1].isupper():
            for argument in [*node.args, *(k.value for k in node.keywords)]:
                taint = self._taint(argument, state)
                if taint is not None and taint.shape in _SHOWN:
                    return self._narrow(argument, state)
        return node

    def _command(self, call: ast.Call) -> Optional[Tuple[str, List[ast.expr]]]:
        """How `call` runs a command, and the arguments that make its command line; None when
        it runs none. `env=`, `input=` and the rest are not on the command line."""
        qualified = self.names.qualified(call.func)
        if qualified in COMMAND_FIRST_ARGUMENT:
            line = call.args[:1] or [k.value for k in call.keywords if k.arg in ("args", "command", "cmd")]
            return f"a command line ({qualified}())", line
        if qualified in COMMAND_AFTER_PROGRAM:
            # `os.spawnv(mode, path, args)`: the mode and the path are no part of the arguments.
            skip = 2 if qualified.startswith("os.spawn") else 1
            return f"a command line ({qualified}())", call.args[skip:]
        return None

    def _sink(self, call: ast.Call) -> Tuple[Optional[str], List[ast.expr]]:
        """How `call` exposes what it is given, and which of its arguments it shows."""
        func = call.func
        everything = [*call.args, *(k.value for k in call.keywords if k.arg != "file")]
        qualified = self.names.qualified(func)
        if isinstance(func, ast.Name) and func.id == "print" and qualified is None:
            return "print()", everything
        if qualified is not None:
            module, _, attr = qualified.rpartition(".")
            if module == "logging" and attr in LOG_METHODS:
                return f"logging.{attr}()", everything
            if qualified in ("pprint.pprint", "pprint.pp"):
                return "pprint()", everything
            if qualified == "warnings.warn":
                return "warnings.warn()", call.args[:1]
            if qualified in ("json.dump", "pickle.dump"):
                return f"a file ({qualified}())", call.args[:1]
            if qualified in (
                "sys.stdout.write",
                "sys.stderr.write",
                "sys.stdout.writelines",
                "sys.stderr.writelines",
            ):
                return f"{qualified}()", everything
        if not isinstance(func, ast.Attribute):
            return None, []
        receiver = func.value
        if func.attr in LOG_METHODS:
            key = _bound_key(receiver)
            if key is not None and (key in self.loggers or key.split(".")[-1] in self.loggers):
                return f"{key}.{func.attr}()", everything
            if isinstance(receiver, ast.Attribute) and receiver.attr in self.loggers:
                return f"a logger's {func.attr}()", everything
        if func.attr in ("write", "writelines"):
            if self._is_open(receiver) or (isinstance(receiver, ast.Name) and receiver.id in self.files):
                return f"a file ({func.attr}())", everything
        if func.attr in ("write_text", "write_bytes"):
            return f"a file ({func.attr}())", call.args[:1]
        return None, []


_ON_A_COMMAND_LINE = (
    "any user of the machine sees a command line in `ps`, and a failed command's error repeats it "
    "in the logs; pass the value in the command's environment (`env=`) or on its standard input instead"
)
_TRY_NODES: Tuple[type, ...] = tuple(
    node for node in (ast.Try, getattr(ast, "TryStar", None)) if node is not None
)
_COMPREHENSIONS = (ast.ListComp, ast.SetComp, ast.GeneratorExp, ast.DictComp)


def _strongest(taints: Sequence[Optional[_Taint]], as_text: bool = False) -> Optional[_Taint]:
    """The taint among `taints` that shows the most; with `as_text`, what text made of them holds
    (a Secret formatted into text is `**********`)."""
    found = [t for t in taints if t is not None]
    if as_text:
        shown = [t for t in found if t.shape in _SHOWN]
        if not shown:
            return None
        carried = [t for t in shown if t.shape in _HOLDS_VALUE]
        return _Taint((carried or shown)[0].input, _Shape.TEXT if carried else _Shape.CARRIER)
    for shape in (
        _Shape.TEXT,
        _Shape.SEQUENCE,
        _Shape.MAPPING,
        _Shape.CARRIER,
        _Shape.SECRETS,
        _Shape.SECRET,
    ):
        for taint in found:
            if taint.shape is shape:
                return taint
    return None


def _shows_the_rest(index: ast.Slice) -> bool:
    """Whether a slice of the value runs to its end from a start that leaves most of it: not a
    prefix (`t[:4]`, `t[2:6]`) or a suffix (`t[-4:]`)."""
    lower = index.lower
    negative = isinstance(lower, ast.UnaryOp) and isinstance(lower.op, ast.USub)
    return index.upper is None and not negative


def _all_args(args: ast.arguments) -> List[ast.arg]:
    found = [*args.posonlyargs, *args.args, *args.kwonlyargs]
    found.extend(a for a in (args.vararg, args.kwarg) if a is not None)
    return found


def _constant_string(node: Optional[ast.expr]) -> Optional[str]:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def subscript_slice(node: ast.Subscript) -> ast.expr:
    index = node.slice
    if isinstance(index, ast.Index):  # pragma: no cover - Python 3.8 shape
        return index.value  # type: ignore[attr-defined, no-any-return]
    return index


def _bound_key(node: ast.expr) -> Optional[str]:
    """`token` for a name, `self.token` for an attribute of `self`: what a value can be bound to."""
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "self":
        return f"self.{node.attr}"
    return None
