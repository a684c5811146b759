"""Call resolution: which Replicate calls a module makes, with which model and inputs.

Works on the standard library's `ast` (fast) with a small scope model of our own:
imports and aliases, names bound to strings, dicts and Replicate objects at module
and function level. What can't be resolved from the code is left unresolved;
nothing here guesses.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field
from typing import Dict, Iterator, List, Optional, Sequence, Set, Tuple, Union

from lint_secrets.schemas import (
    PREDICTION,
    TRAINING,
    ModelRef,
    parse_deployment_ref,
    parse_model_ref,
)

MAX_DEPTH = 24
StringNode = Union[ast.Constant, ast.BinOp, ast.JoinedStr]


# ---------------------------------------------------------------------------
# Results


@dataclass(frozen=True)
class ValueSite:
    """A string literal that ends up as a value, and where it is written."""

    node: ast.expr
    value: str
    # "call": written in the call; "constant": at a name's definition; "default": a parameter default
    origin: str
    binding: Optional[str] = None  # the name for "constant" and "default"


@dataclass(frozen=True)
class InputUse:
    name: str
    sites: Tuple[ValueSite, ...]


@dataclass(frozen=True)
class ModelCall:
    node: ast.Call
    method: str
    kind: str  # PREDICTION or TRAINING
    ref: Optional[ModelRef]
    inputs: Tuple[InputUse, ...]


@dataclass(frozen=True)
class TokenSite:
    """A Replicate API token given in code rather than read from the environment."""

    site: ValueSite
    how: str
    action: str  # "replace", "delete-statement", "drop-default", "replace-call"
    statement: Optional[ast.stmt] = None
    body: Optional[Tuple[ast.stmt, ...]] = None  # the block holding `statement`
    # for drop-default: the argument the default follows; for replace-call: the call
    anchor: Optional[ast.expr] = None


@dataclass(frozen=True)
class AuthorizationHeader:
    """`{"Authorization": "Bearer r8_..."}`: a token in an HTTP header dict written in code."""

    node: ast.Constant  # the header's value
    scheme: str  # what precedes the token, as written ("Bearer ", "Token ")
    token: str
    replicate_url: bool  # the request (or client) it is given to goes to api.replicate.com


@dataclass
class Analysis:
    calls: List[ModelCall] = field(default_factory=list)
    tokens: List[TokenSite] = field(default_factory=list)
    string_literals: List[ast.Constant] = field(default_factory=list)
    docstrings: Set[int] = field(default_factory=set)  # ids of Constant nodes that are docstrings
    fstring_parts: Set[int] = field(default_factory=set)  # ids of Constant nodes inside f-strings
    # ids of string literals that are the whole value of `NAME = "..."`: a constant's definition
    named_literals: Set[int] = field(default_factory=set)
    # How a fix can read the environment: `os.environ` (or an alias's, or `environ` itself)
    # through an unconditional module-level import on `environ_line`, bound nowhere else.
    environ_access: Optional[str] = None
    environ_line: int = 0
    can_import_os: bool = True  # `os` is bound to nothing but the os module anywhere
    authorization_headers: List[AuthorizationHeader] = field(default_factory=list)
    # `"r8_abc" + "def..."`: strings written in pieces joined by `+`, with their whole value
    concatenations: List[Tuple[ast.BinOp, str]] = field(default_factory=list)


# ---------------------------------------------------------------------------
# Scopes


@dataclass
class Binding:
    kind: str  # "import", "assign", "param", "unknown"
    line: int
    value: Optional[ast.expr] = None  # assign: the value; param: the default
    qualname: Optional[str] = None  # import
    top_level: bool = False  # an import statement directly in the module body: unconditional


@dataclass
class Scope:
    node: ast.AST
    parent: Optional[Scope]
    is_class: bool = False
    bindings: Dict[str, List[Binding]] = field(default_factory=dict)
    globals: Set[str] = field(default_factory=set)
    # name -> [(line, key expr or None for update(), value expr or call)]
    mutations: Dict[str, List[Tuple[int, ast.AST]]] = field(default_factory=dict)
    # class scopes: `self.<name> = value` in any method, with the method's scope
    self_attributes: Dict[str, List[Tuple[Binding, Scope]]] = field(default_factory=dict)

    def bind(self, name: str, binding: Binding) -> None:
        self.bindings.setdefault(name, []).append(binding)

    def method_self(self) -> Optional[Tuple[str, Scope]]:
        """In a method: the name of its first parameter (`self`) and the class's scope."""
        node = self.node
        if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) or self.parent is None:
            return None
        if not self.parent.is_class or _is_static(node):
            return None
        positional = [*node.args.posonlyargs, *node.args.args]
        return (positional[0].arg, self.parent) if positional else None


def _is_static(node: Union[ast.FunctionDef, ast.AsyncFunctionDef]) -> bool:
    return any(
        isinstance(d, ast.Name) and d.id in ("staticmethod", "classmethod") for d in node.decorator_list
    )


@dataclass(frozen=True)
class Sym:
    """What an expression evaluates to, as far as Replicate and `os` are concerned."""

    root: str  # "replicate" (module or client), "deployment", "model", "version", "use", "os"
    path: Tuple[str, ...] = ()
    ref: Optional[ModelRef] = None

    def attr(self, name: str) -> Sym:
        path = (*self.path, name)
        if self.root == "replicate":
            # replicate.default_client and replicate.client.* reach the same API as the module.
            if path == ("default_client",) or path == ("client",):
                path = ()
        return Sym(self.root, path, self.ref)


CLIENT_CLASSES = {("Client",), ("Replicate",), ("AsyncReplicate",)}


class _ScopeBuilder(ast.NodeVisitor):
    """First pass: bindings per scope, and every call and assignment with its scope."""

    def __init__(self, tree: ast.Module) -> None:
        self.module_scope = Scope(tree, None)
        self.scopes: List[Scope] = [self.module_scope]
        self._top_level = {id(statement) for statement in tree.body}
        self.scope = self.module_scope
        self.calls: List[Tuple[ast.Call, Scope]] = []
        self.assigns: List[Tuple[ast.stmt, Scope, Tuple[ast.stmt, ...]]] = []
        self.expr_calls: Dict[int, Tuple[ast.stmt, Tuple[ast.stmt, ...]]] = {}
        self.strings: List[ast.Constant] = []
        self.docstrings: Set[int] = set()
        self.fstring_parts: Set[int] = set()
        self.named_literals: Set[int] = set()
        self._body: Tuple[ast.stmt, ...] = tuple(tree.body)
        self._note_docstring(tree)

    # -- scopes
    def _note_docstring(self, node: ast.AST) -> None:
        body = getattr(node, "body", None)
        if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
            if isinstance(body[0].value.value, str):
                self.docstrings.add(id(body[0].value))

    def _visit_body_lists(self, node: ast.AST) -> None:
        for _field, value in ast.iter_fields(node):
            if isinstance(value, list) and value and isinstance(value[0], ast.stmt):
                self._visit_block(value)
            elif isinstance(value, list):
                for item in value:
                    if isinstance(item, ast.AST):
                        self.visit(item)
            elif isinstance(value, ast.AST):
                self.visit(value)

    def _visit_block(self, statements: List[ast.stmt]) -> None:
        """Visit a block, remembering it: a removed statement may leave it empty."""
        saved = self._body
        self._body = tuple(statements)
        for statement in statements:
            self.visit(statement)
        self._body = saved

    def generic_visit(self, node: ast.AST) -> None:
        self._visit_body_lists(node)

    def _function(self, node: Union[ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda]) -> None:
        args = node.args
        for default in [*args.defaults, *[d for d in args.kw_defaults if d is not None]]:
            self.visit(default)
        if not isinstance(node, ast.Lambda):
            for decorator in node.decorator_list:
                self.visit(decorator)
            self.scope.bind(node.name, Binding("unknown", node.lineno))
            self._note_docstring(node)
        scope = Scope(node, self.scope)
        self.scopes.append(scope)
        positional = [*args.posonlyargs, *args.args]
        defaults: List[Optional[ast.expr]] = [None] * (len(positional) - len(args.defaults)) + list(
            args.defaults
        )
        for arg, positional_default in zip(positional, defaults):
            scope.bind(arg.arg, Binding("param", node.lineno, positional_default))
        for kwonly, kw_default in zip(args.kwonlyargs, args.kw_defaults):
            scope.bind(kwonly.arg, Binding("param", node.lineno, kw_default))
        for extra in (args.vararg, args.kwarg):
            if extra is not None:
                scope.bind(extra.arg, Binding("param", node.lineno))
        saved = self.scope
        self.scope = scope
        if isinstance(node, ast.Lambda):
            self.visit(node.body)
        else:
            self._visit_block(node.body)
        self.scope = saved

    visit_FunctionDef = _function
    visit_AsyncFunctionDef = _function
    visit_Lambda = _function

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        for expr in [*node.decorator_list, *node.bases, *[k.value for k in node.keywords]]:
            self.visit(expr)
        self.scope.bind(node.name, Binding("unknown", node.lineno))
        self._note_docstring(node)
        saved = self.scope
        self.scope = Scope(node, saved, is_class=True)
        self.scopes.append(self.scope)
        self._visit_block(node.body)
        self.scope = saved

    # -- bindings
    def visit_Import(self, node: ast.Import) -> None:
        top_level = id(node) in self._top_level
        for alias in node.names:
            if alias.asname:
                binding = Binding("import", node.lineno, qualname=alias.name, top_level=top_level)
                self.scope.bind(alias.asname, binding)
            else:
                top = alias.name.split(".", 1)[0]
                self.scope.bind(top, Binding("import", node.lineno, qualname=top, top_level=top_level))

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        module = node.module if node.level == 0 else None
        for alias in node.names:
            if alias.name == "*":
                continue
            name = alias.asname or alias.name
            qualname = f"{module}.{alias.name}" if module else None
            kind = "import" if qualname else "unknown"
            top_level = id(node) in self._top_level
            self.scope.bind(name, Binding(kind, node.lineno, qualname=qualname, top_level=top_level))

    def visit_Global(self, node: ast.Global) -> None:
        self.scope.globals.update(node.names)

    def visit_Assign(self, node: ast.Assign) -> None:
        if isinstance(node.value, ast.Constant) and all(isinstance(t, ast.Name) for t in node.targets):
            self.named_literals.add(id(node.value))
        self.visit(node.value)
        for target in node.targets:
            self._bind_target(target, node.value, node.lineno)
            self.visit(target)
        self.assigns.append((node, self.scope, self._body))

    def visit_AnnAssign(self, node: ast.AnnAssign) -> None:
        if node.value is not None:
            if isinstance(node.value, ast.Constant) and isinstance(node.target, ast.Name):
                self.named_literals.add(id(node.value))
            self.visit(node.value)
            self._bind_target(node.target, node.value, node.lineno)
            self.assigns.append((node, self.scope, self._body))
        self.visit(node.target)

    def visit_AugAssign(self, node: ast.AugAssign) -> None:
        self.visit(node.value)
        self._bind_target(node.target, None, node.lineno)
        self.visit(node.target)

    def visit_NamedExpr(self, node: ast.NamedExpr) -> None:
        self.visit(node.value)
        self._bind_target(node.target, node.value, node.lineno)

    def _bind_unknown_targets(self, target: ast.AST, line: int) -> None:
        self._bind_target(target, None, line)

    def visit_For(self, node: Union[ast.For, ast.AsyncFor]) -> None:
        self._bind_unknown_targets(node.target, node.lineno)
        self._visit_body_lists(node)

    visit_AsyncFor = visit_For

    def visit_With(self, node: Union[ast.With, ast.AsyncWith]) -> None:
        for item in node.items:
            if item.optional_vars is not None:
                # `with replicate.Client() as client:` clients enter as themselves.
                self._bind_target(item.optional_vars, item.context_expr, node.lineno)
        self._visit_body_lists(node)

    visit_AsyncWith = visit_With

    def visit_ExceptHandler(self, node: ast.ExceptHandler) -> None:
        if node.name:
            self.scope.bind(node.name, Binding("unknown", node.lineno))
        self._visit_body_lists(node)

    def visit_comprehension(self, node: ast.comprehension) -> None:
        self._bind_unknown_targets(node.target, getattr(node.target, "lineno", 0))
        self._visit_body_lists(node)

    def visit_Delete(self, node: ast.Delete) -> None:
        for target in node.targets:
            self._bind_unknown_targets(target, node.lineno)

    def _bind_target(self, target: ast.AST, value: Optional[ast.expr], line: int) -> None:
        scope = self.scope
        if isinstance(target, ast.Name):
            if target.id in scope.globals:
                scope = self.module_scope
            scope.bind(target.id, Binding("assign" if value is not None else "unknown", line, value))
        elif isinstance(target, (ast.Tuple, ast.List)):
            values: Sequence[Optional[ast.expr]]
            if isinstance(value, (ast.Tuple, ast.List)) and len(value.elts) == len(target.elts):
                values = value.elts
            else:
                values = [None] * len(target.elts)
            for element, element_value in zip(target.elts, values):
                if isinstance(element, ast.Starred):
                    self._bind_target(element.value, None, line)
                else:
                    self._bind_target(element, element_value, line)
        elif isinstance(target, ast.Subscript) and isinstance(target.value, ast.Name):
            scope.mutations.setdefault(target.value.id, []).append((line, target))
        elif isinstance(target, ast.Attribute) and isinstance(target.value, ast.Name):
            method = scope.method_self()
            if method is not None and target.value.id == method[0]:
                binding = Binding("assign" if value is not None else "unknown", line, value)
                method[1].self_attributes.setdefault(target.attr, []).append((binding, scope))
        elif isinstance(target, ast.Starred):
            self._bind_target(target.value, None, line)

    # -- what the second pass needs
    def visit_Expr(self, node: ast.Expr) -> None:
        if isinstance(node.value, ast.Call):
            self.expr_calls[id(node.value)] = (node, self._body)
            call = node.value
            func = call.func
            if isinstance(func, ast.Attribute) and func.attr == "update" and isinstance(func.value, ast.Name):
                self.scope.mutations.setdefault(func.value.id, []).append((node.lineno, call))
        self.visit(node.value)

    def visit_Call(self, node: ast.Call) -> None:
        self.calls.append((node, self.scope))
        self._visit_body_lists(node)

    def visit_JoinedStr(self, node: ast.JoinedStr) -> None:
        for part in node.values:
            if isinstance(part, ast.Constant):
                self.fstring_parts.add(id(part))
        self._visit_body_lists(node)

    def visit_Constant(self, node: ast.Constant) -> None:
        if isinstance(node.value, str):
            self.strings.append(node)


# ---------------------------------------------------------------------------
# Second pass


class Resolver:
    def __init__(self, builder: _ScopeBuilder) -> None:
        self.builder = builder

    # -- names
    def lookup(self, name: str, scope: Scope, line: int) -> Tuple[Optional[Binding], Scope]:
        current: Optional[Scope] = scope
        first = True
        while current is not None:
            if name in current.globals:
                current = self.builder.module_scope
                first = False
                continue
            if (first or not current.is_class) and name in current.bindings:
                bindings = current.bindings[name]
                if first:
                    before = [b for b in bindings if b.line <= line]
                    if before:
                        return before[-1], current
                    return (bindings[0] if len(bindings) == 1 else None), current
                return (bindings[0] if len(bindings) == 1 else None), current
            current = current.parent
            first = False
        return None, scope

    # -- symbols
    def sym(self, node: ast.expr, scope: Scope, line: int, depth: int = 0) -> Optional[Sym]:
        if depth > MAX_DEPTH:
            return None
        if isinstance(node, ast.Name):
            binding, where = self.lookup(node.id, scope, line)
            if binding is None:
                return None
            if binding.kind == "import" and binding.qualname:
                return _sym_for_qualname(binding.qualname)
            if binding.kind == "assign" and binding.value is not None:
                return self.sym(binding.value, *_value_context(binding, where), depth + 1)
            return None
        if isinstance(node, ast.Attribute):
            held = self._self_attribute(node, scope)
            if held is not None:
                binding, where = held
                return self.sym(binding.value, where, binding.line, depth + 1) if binding.value else None
            base = self.sym(node.value, scope, line, depth + 1)
            if base is None:
                return None
            if base.root == "model" and node.attr == "latest_version":
                return Sym("version", (), base.ref)
            return base.attr(node.attr)
        if isinstance(node, ast.Await):
            return self.sym(node.value, scope, line, depth + 1)
        if isinstance(node, ast.Call):
            func = self.sym(node.func, scope, line, depth + 1)
            if func is None:
                return None
            return self._call_result(func, node, scope, line)
        return None

    def _self_attribute(self, node: ast.Attribute, scope: Scope) -> Optional[Tuple[Binding, Scope]]:
        """`self.client` in a method, when exactly one method of the class assigns it."""
        method = scope.method_self()
        if method is None or not isinstance(node.value, ast.Name) or node.value.id != method[0]:
            return None
        assigned = method[1].self_attributes.get(node.attr, [])
        return assigned[0] if len(assigned) == 1 else None

    def _call_result(self, func: Sym, call: ast.Call, scope: Scope, line: int) -> Optional[Sym]:
        if func.root == "replicate":
            if func.path in CLIENT_CLASSES:
                return Sym("replicate")
            if func.path in (("deployments", "get"), ("deployments", "async_get")):
                return Sym(
                    "deployment", (), self.owner_name_ref(call, scope, line, "deployment", "deployment")
                )
            if func.path in (("models", "get"), ("models", "async_get")):
                return Sym("model", (), self.owner_name_ref(call, scope, line, "model", "model"))
            if func.path in (("models", "versions", "get"), ("models", "versions", "async_get")):
                return Sym("version", (), self.version_ref_2(call, scope, line))
            if func.path == ("use",):
                return Sym("use", (), self.model_ref(_arg(call, 0, "ref"), scope, line))
        if func.root == "model" and func.path in (("versions", "get"), ("versions", "async_get")):
            version = self.string(_arg(call, 0, "id"), scope, line)
            if func.ref is not None and func.ref.owner and version is not None:
                return Sym("version", (), parse_model_ref(f"{func.ref.owner}/{func.ref.name}:{version}"))
            return Sym("version")
        return None

    # -- strings
    def string(self, node: Optional[ast.expr], scope: Scope, line: int, depth: int = 0) -> Optional[str]:
        """The string an expression always evaluates to, if the code says so."""
        if node is None or depth > MAX_DEPTH:
            return None
        if isinstance(node, ast.Constant):
            return node.value if isinstance(node.value, str) else None
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
            left = self.string(node.left, scope, line, depth + 1)
            right = self.string(node.right, scope, line, depth + 1) if left is not None else None
            return left + right if left is not None and right is not None else None
        if isinstance(node, ast.JoinedStr):
            parts: List[str] = []
            for part in node.values:
                if isinstance(part, ast.Constant) and isinstance(part.value, str):
                    parts.append(part.value)
                elif (
                    isinstance(part, ast.FormattedValue)
                    and part.format_spec is None
                    and part.conversion in (-1, 115)
                ):
                    value = self.string(part.value, scope, line, depth + 1)
                    if value is None:
                        return None
                    parts.append(value)
                else:
                    return None
            return "".join(parts)
        if isinstance(node, ast.Name):
            binding, where = self.lookup(node.id, scope, line)
            if binding is not None and binding.kind == "assign":
                return self.string(binding.value, *_value_context(binding, where), depth + 1)
        return None

    # -- model references
    def model_ref(self, node: Optional[ast.expr], scope: Scope, line: int) -> Optional[ModelRef]:
        if node is None:
            return None
        text = self.string(node, scope, line)
        if text is not None:
            return parse_model_ref(text)
        pair = self.owner_name_pair(node, scope, line)
        if pair is not None:
            return parse_model_ref(f"{pair[0]}/{pair[1]}")
        symbol = self.sym(node, scope, line)
        if symbol is not None and symbol.root in ("model", "version"):
            return symbol.ref
        return None

    def owner_name_ref(
        self, call: ast.Call, scope: Scope, line: int, keyword: str, kind: str
    ) -> Optional[ModelRef]:
        """`x("o/n")`, `x(("o", "n"))`, `x("o", "n")`, `x(x_owner="o", x_name="n")`."""
        owner = self.string(_keyword(call, f"{keyword}_owner"), scope, line)
        name = self.string(_keyword(call, f"{keyword}_name"), scope, line)
        if owner is None and name is None and len(call.args) >= 2 and kind == "model":
            owner = self.string(call.args[0], scope, line)
            name = self.string(call.args[1], scope, line)
        if owner is not None and name is not None:
            text = f"{owner}/{name}"
        else:
            node = _arg(call, 0, keyword) or _keyword(call, "name")
            if node is None:
                return None
            pair = self.owner_name_pair(node, scope, line)
            if pair is not None:
                text = f"{pair[0]}/{pair[1]}"
            else:
                text_or_none = self.string(node, scope, line)
                if text_or_none is None:
                    symbol = self.sym(node, scope, line) if kind == "model" else None
                    return symbol.ref if symbol is not None and symbol.root in ("model", "version") else None
                text = text_or_none
        return parse_deployment_ref(text) if kind == "deployment" else parse_model_ref(text)

    def owner_name_pair(
        self, node: ast.expr, scope: Scope, line: int, depth: int = 0
    ) -> Optional[Tuple[str, str]]:
        """`("owner", "name")`, written out or bound to a name."""
        if depth > MAX_DEPTH:
            return None
        if isinstance(node, (ast.Tuple, ast.List)) and len(node.elts) == 2:
            owner = self.string(node.elts[0], scope, line)
            name = self.string(node.elts[1], scope, line)
            return (owner, name) if owner is not None and name is not None else None
        if isinstance(node, ast.Name):
            binding, where = self.lookup(node.id, scope, line)
            if binding is not None and binding.kind == "assign" and binding.value is not None:
                return self.owner_name_pair(binding.value, *_value_context(binding, where), depth + 1)
        return None

    def version_ref_2(self, call: ast.Call, scope: Scope, line: int) -> Optional[ModelRef]:
        owner = self.string(_keyword(call, "model_owner"), scope, line)
        name = self.string(_keyword(call, "model_name"), scope, line)
        version = self.string(_keyword(call, "version_id"), scope, line)
        if owner and name and version:
            return parse_model_ref(f"{owner}/{name}:{version}")
        return None

    # -- inputs
    def inputs(self, node: Optional[ast.expr], scope: Scope, line: int, depth: int = 0) -> List[InputUse]:
        if node is None or depth > MAX_DEPTH:
            return []
        if isinstance(node, ast.Dict):
            uses: List[InputUse] = []
            for key, value in zip(node.keys, node.values):
                if key is None:
                    uses.extend(self.inputs(value, scope, line, depth + 1))
                    continue
                name = self.string(key, scope, line)
                if name is not None:
                    uses.append(InputUse(name, tuple(self.sites(value, scope, line))))
            return _last_wins(uses)
        if isinstance(node, ast.Call) and self._is_builtin_dict(node.func, scope, line):
            uses = []
            for arg in node.args[:1]:
                uses.extend(self.inputs(arg, scope, line, depth + 1))
            uses.extend(self.keyword_inputs(node.keywords, scope, line, depth + 1))
            return _last_wins(uses)
        if isinstance(node, ast.Name):
            binding, where = self.lookup(node.id, scope, line)
            if binding is None or binding.value is None:
                return []
            if binding.kind == "param":  # a dict written as the parameter's default
                return self.inputs(binding.value, *_value_context(binding, where), depth + 1)
            if binding.kind != "assign":
                return []
            uses = self.inputs(binding.value, *_value_context(binding, where), depth + 1)
            for mutation_line, mutation in where.mutations.get(node.id, []):
                if mutation_line <= binding.line or (where is scope and mutation_line > line):
                    continue
                if isinstance(mutation, ast.Subscript):
                    key_text = self.string(_subscript_key(mutation), where, mutation_line)
                    assigned = self._assigned_value(mutation)
                    if key_text is not None and assigned is not None:
                        uses.append(InputUse(key_text, tuple(self.sites(assigned, where, mutation_line))))
                elif isinstance(mutation, ast.Call):
                    for arg in mutation.args[:1]:
                        uses.extend(self.inputs(arg, where, mutation_line, depth + 1))
                    uses.extend(self.keyword_inputs(mutation.keywords, where, mutation_line, depth + 1))
            return _last_wins(uses)
        return []

    def keyword_inputs(
        self, keywords: Sequence[ast.keyword], scope: Scope, line: int, depth: int = 0
    ) -> List[InputUse]:
        uses: List[InputUse] = []
        for keyword in keywords:
            if keyword.arg is None:
                uses.extend(self.inputs(keyword.value, scope, line, depth + 1))
            else:
                uses.append(InputUse(keyword.arg, tuple(self.sites(keyword.value, scope, line))))
        return uses

    def _assigned_value(self, target: ast.Subscript) -> Optional[ast.expr]:
        for statement, _, _ in self.builder.assigns:
            if isinstance(statement, ast.Assign) and any(t is target for t in statement.targets):
                return statement.value
        return None

    def _is_builtin_dict(self, func: ast.expr, scope: Scope, line: int) -> bool:
        if not isinstance(func, ast.Name) or func.id != "dict":
            return False
        binding, _ = self.lookup("dict", scope, line)
        return binding is None

    # -- values
    def sites(self, node: ast.expr, scope: Scope, line: int, depth: int = 0) -> List[ValueSite]:
        """The string literals a value is made of, wherever they are written."""
        if depth > MAX_DEPTH:
            return []
        literal = _literal_string(node)
        if literal is not None:
            return [ValueSite(node, literal, "call")]
        if isinstance(node, (ast.BinOp, ast.JoinedStr)):
            # `PREFIX + "rest"`, f"{PREFIX}rest": every part is written in the code; point at the expression.
            text = self.string(node, scope, line, depth + 1)
            return [ValueSite(node, text, "call")] if text is not None else []
        if isinstance(node, (ast.List, ast.Tuple)):
            found: List[ValueSite] = []
            for element in node.elts:
                found.extend(self.sites(element, scope, line, depth + 1))
            return found
        if isinstance(node, ast.Name):
            binding, where = self.lookup(node.id, scope, line)
            if binding is None or binding.value is None:
                return []
            if binding.kind == "param":
                return [
                    ValueSite(
                        site.node, site.value, "default" if site.origin == "call" else site.origin, node.id
                    )
                    for site in self.sites(binding.value, *_value_context(binding, where), depth + 1)
                ]
            if binding.kind == "assign":
                return [
                    ValueSite(
                        site.node,
                        site.value,
                        "constant" if site.origin == "call" else site.origin,
                        site.binding or node.id,
                    )
                    for site in self.sites(binding.value, *_value_context(binding, where), depth + 1)
                ]
        return []


def _value_context(binding: Binding, where: Scope) -> Tuple[Scope, int]:
    """Where a binding's value is evaluated: before the assignment; a default, outside its function."""
    if binding.kind == "param":
        return (where.parent or where), binding.line
    return where, binding.line - 1


def _literal_string(node: ast.expr) -> Optional[str]:
    """A string written out in full: a literal, implicit or `+` concatenation, an f-string without fields."""
    if isinstance(node, ast.Constant):
        return node.value if isinstance(node.value, str) else None
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        left = _literal_string(node.left)
        right = _literal_string(node.right) if left is not None else None
        return left + right if left is not None and right is not None else None
    if isinstance(node, ast.JoinedStr) and all(isinstance(v, ast.Constant) for v in node.values):
        return "".join(str(v.value) for v in node.values if isinstance(v, ast.Constant))
    return None


def _last_wins(uses: List[InputUse]) -> List[InputUse]:
    """A later key replaces an earlier one, as in the dict Python builds."""
    by_name: Dict[str, InputUse] = {}
    for use in uses:
        by_name.pop(use.name, None)
        by_name[use.name] = use
    return list(by_name.values())


def _sym_for_qualname(qualname: str) -> Optional[Sym]:
    parts = qualname.split(".")
    if parts[0] not in ("replicate", "os"):
        return None
    symbol = Sym(parts[0])
    for part in parts[1:]:
        symbol = symbol.attr(part)
    return symbol


def _arg(call: ast.Call, position: int, keyword: str) -> Optional[ast.expr]:
    found = _keyword(call, keyword)
    if found is not None:
        return found
    positional = [a for a in call.args]
    if any(isinstance(a, ast.Starred) for a in positional[: position + 1]):
        return None
    return positional[position] if position < len(positional) else None


def _keyword(call: ast.Call, name: str) -> Optional[ast.expr]:
    for keyword in call.keywords:
        if keyword.arg == name:
            return keyword.value
    return None


def _subscript_key(node: ast.Subscript) -> Optional[ast.expr]:
    key = node.slice
    if isinstance(key, ast.Index):  # pragma: no cover - Python 3.8 shape
        return key.value  # type: ignore[attr-defined, no-any-return]
    return key


# ---------------------------------------------------------------------------
# The calls


PREDICT_METHODS = {
    ("run",): "run",
    ("async_run",): "async_run",
    ("stream",): "stream",
    ("async_stream",): "async_stream",
}
CREATE = ("create", "async_create")


def analyze(tree: ast.Module) -> Analysis:
    builder = _ScopeBuilder(tree)
    builder.visit_Module = None  # type: ignore[assignment]
    builder._visit_body_lists(tree)
    resolver = Resolver(builder)
    analysis = Analysis(
        string_literals=builder.strings,
        docstrings=builder.docstrings,
        fstring_parts=builder.fstring_parts,
        named_literals=builder.named_literals,
    )
    analysis.environ_access, analysis.environ_line, analysis.can_import_os = _environ_access(builder)
    for call, scope in builder.calls:
        model_call = _model_call(resolver, call, scope)
        if model_call is not None:
            analysis.calls.append(model_call)
        analysis.tokens.extend(_token_calls(resolver, builder, call, scope))
    for statement, scope, body in builder.assigns:
        analysis.tokens.extend(_token_assignments(resolver, statement, scope, body))
    analysis.authorization_headers = authorization_headers(tree, builder, resolver)
    if any("r8" in str(node.value) for node in builder.strings):
        analysis.concatenations = string_concatenations(tree)
    return analysis


def _environ_access(builder: _ScopeBuilder) -> Tuple[Optional[str], int, bool]:
    """How fixes may read the environment, and whether they may add `import os` instead.

    An import is reused only if nothing else binds its name in any scope: `os` rebound by
    a loop, a parameter or an `if TYPE_CHECKING:` import would make the fix read the wrong
    thing, or nothing.
    """

    candidates = {
        name: bindings[0]
        for name, bindings in builder.module_scope.bindings.items()
        if len(bindings) == 1
        and bindings[0].kind == "import"
        and bindings[0].top_level
        and bindings[0].qualname in ("os", "os.environ")
    }
    everywhere: Dict[str, List[Binding]] = {name: [] for name in [*candidates, "os"]}
    for scope in builder.scopes:
        for name, found in everywhere.items():
            found.extend(scope.bindings.get(name, ()))
    choices: List[Tuple[int, str, int]] = []  # (preference, expression, import line)
    for name, binding in candidates.items():
        if len(everywhere[name]) != 1:
            continue
        if binding.qualname == "os":
            choices.append((0 if name == "os" else 1, f"{name}.environ", binding.line))
        else:
            choices.append((2, name, binding.line))
    can_import_os = all(b.kind == "import" and b.qualname == "os" for b in everywhere["os"])
    if not choices:
        return None, 0, can_import_os
    _, expression, line = min(choices)
    return expression, line, can_import_os


def _model_call(resolver: Resolver, call: ast.Call, scope: Scope) -> Optional[ModelCall]:
    line = call.lineno
    func = resolver.sym(call.func, scope, line)
    if func is None:
        return None
    path = func.path
    if func.root == "replicate":
        if path in PREDICT_METHODS:
            method = PREDICT_METHODS[path]
            ref = resolver.model_ref(_arg(call, 0, "ref"), scope, line)
            position = 1 if method in ("run", "async_run") else 99
            inputs = resolver.inputs(_arg(call, position, "input"), scope, line)
            return ModelCall(call, method, PREDICTION, ref, tuple(inputs))
        if len(path) == 2 and path[0] == "predictions" and path[1] in CREATE:
            ref = _first(
                resolver.model_ref(_arg(call, 0, "version"), scope, line),
                resolver.model_ref(_keyword(call, "model"), scope, line),
                _deployment(resolver, _keyword(call, "deployment"), scope, line),
            )
            inputs = resolver.inputs(_arg(call, 1, "input"), scope, line)
            return ModelCall(call, "predictions." + path[1], PREDICTION, ref, tuple(inputs))
        if len(path) == 3 and path[:2] == ("models", "predictions") and path[2] in CREATE:
            ref = resolver.owner_name_ref(call, scope, line, "model", "model")
            inputs = resolver.inputs(_arg(call, 1, "input"), scope, line)
            return ModelCall(call, "models.predictions." + path[2], PREDICTION, ref, tuple(inputs))
        if len(path) == 3 and path[:2] == ("deployments", "predictions") and path[2] in CREATE:
            ref = resolver.owner_name_ref(call, scope, line, "deployment", "deployment")
            inputs = resolver.inputs(_arg(call, 1, "input"), scope, line)
            return ModelCall(call, "deployments.predictions." + path[2], PREDICTION, ref, tuple(inputs))
        if len(path) == 2 and path[0] == "trainings" and path[1] in CREATE:
            ref = _training_ref(resolver, call, scope, line)
            inputs = resolver.inputs(_arg(call, 1, "input"), scope, line)
            return ModelCall(call, "trainings." + path[1], TRAINING, ref, tuple(inputs))
        return None
    if func.root == "deployment" and len(path) == 2 and path[0] == "predictions" and path[1] in CREATE:
        inputs = resolver.inputs(_arg(call, 0, "input"), scope, line)
        return ModelCall(call, "deployment.predictions." + path[1], PREDICTION, func.ref, tuple(inputs))
    if func.root == "use" and path in ((), ("create",), ("async_create",)):
        inputs = resolver.keyword_inputs(call.keywords, scope, line)
        return ModelCall(call, "use", PREDICTION, func.ref, tuple(_last_wins(inputs)))
    return None


def _first(*refs: Optional[ModelRef]) -> Optional[ModelRef]:
    return next((ref for ref in refs if ref is not None), None)


def _deployment(resolver: Resolver, node: Optional[ast.expr], scope: Scope, line: int) -> Optional[ModelRef]:
    text = resolver.string(node, scope, line)
    return parse_deployment_ref(text) if text is not None else None


def _training_ref(resolver: Resolver, call: ast.Call, scope: Scope, line: int) -> Optional[ModelRef]:
    owner = resolver.string(_keyword(call, "model_owner"), scope, line)
    name = resolver.string(_keyword(call, "model_name"), scope, line)
    version_id = resolver.string(_keyword(call, "version_id"), scope, line)
    if owner and name:
        return parse_model_ref(f"{owner}/{name}:{version_id}" if version_id else f"{owner}/{name}")
    version_node = _arg(call, 0, "version")
    model = resolver.model_ref(_keyword(call, "model"), scope, line)
    version_text = resolver.string(version_node, scope, line)
    if model is not None and version_text is not None and ":" not in version_text and "/" not in version_text:
        return parse_model_ref(f"{model.owner}/{model.name}:{version_text}")
    return _first(resolver.model_ref(version_node, scope, line), model)


# ---------------------------------------------------------------------------
# Replicate API tokens

TOKEN_ENV = "REPLICATE_API_TOKEN"


def _token_calls(
    resolver: Resolver, builder: _ScopeBuilder, call: ast.Call, scope: Scope
) -> Iterator[TokenSite]:
    line = call.lineno
    func = resolver.sym(call.func, scope, line)
    if func is None:
        return
    if func.root == "replicate" and func.path == ("Client",):
        for site in _sites(resolver, _arg(call, 0, "api_token"), scope, line):
            yield TokenSite(site, "Client(api_token=...)", "replace")
    elif func.root == "replicate" and func.path in (("Replicate",), ("AsyncReplicate",)):
        for site in _sites(resolver, _keyword(call, "bearer_token"), scope, line):
            yield TokenSite(site, f"{func.path[0]}(bearer_token=...)", "replace")
    elif func.root == "os" and func.path in (("environ", "setdefault"), ("putenv",)):
        if resolver.string(_arg(call, 0, "key"), scope, line) != TOKEN_ENV:
            return
        statement, body = builder.expr_calls.get(id(call), (None, None))
        value = (
            call.args[1]
            if len(call.args) > 1
            else _keyword(call, "default" if func.path[-1] == "setdefault" else "value")
        )
        for site in _sites(resolver, value, scope, line):
            if statement is not None:
                yield TokenSite(
                    site, f"os.{'.'.join(func.path)}({TOKEN_ENV!r}, ...)", "delete-statement", statement, body
                )
            else:
                yield TokenSite(
                    site, f"os.{'.'.join(func.path)}({TOKEN_ENV!r}, ...)", "replace-call", anchor=call
                )
    elif func.root == "os" and func.path in (("getenv",), ("environ", "get")):
        key = _arg(call, 0, "key")
        if resolver.string(key, scope, line) != TOKEN_ENV or key is None:
            return
        default = _arg(call, 1, "default")
        for site in _sites(resolver, default, scope, line):
            yield TokenSite(
                site, f"os.{'.'.join(func.path)}({TOKEN_ENV!r}, default)", "drop-default", anchor=key
            )


def _sites(resolver: Resolver, node: Optional[ast.expr], scope: Scope, line: int) -> List[ValueSite]:
    return resolver.sites(node, scope, line) if node is not None else []


def _token_assignments(
    resolver: Resolver, statement: ast.stmt, scope: Scope, body: Tuple[ast.stmt, ...]
) -> Iterator[TokenSite]:
    targets = statement.targets if isinstance(statement, ast.Assign) else [statement.target]  # type: ignore[attr-defined]
    value = statement.value  # type: ignore[attr-defined]
    line = statement.lineno
    for target in targets:
        how = None
        if isinstance(target, ast.Attribute) and target.attr == "api_token":
            owner = resolver.sym(target.value, scope, line)
            if owner is not None and owner.root == "replicate" and owner.path == ():
                how = "api_token = ..."
        elif isinstance(target, ast.Subscript):
            owner = resolver.sym(target.value, scope, line)
            if (
                owner is not None
                and owner.root == "os"
                and owner.path == ("environ",)
                and resolver.string(_subscript_key(target), scope, line) == TOKEN_ENV
            ):
                how = f"os.environ[{TOKEN_ENV!r}] = ..."
        if how is None:
            continue
        single = len(targets) == 1 and not isinstance(value, ast.NamedExpr)
        for site in resolver.sites(value, scope, line):
            yield TokenSite(site, how, "delete-statement" if single else "replace", statement, body)


# ---------------------------------------------------------------------------
# HTTP requests to the REST API: the token in an `Authorization` header

AUTHORIZATION_VALUE = re.compile(r"(?P<scheme>(?:Bearer|Token)[ \t]+)(?P<token>\S+)", re.IGNORECASE)
REPLICATE_API_HOST = "api.replicate.com"
# Where an HTTP call names its URL: `requests.post(url)`, `requests.request("POST", url)`,
# `httpx.Client(base_url=...)`, `urllib.request.Request(url)`, `session.post(url=...)`.
URL_KEYWORDS = ("url", "base_url")


def authorization_headers(
    tree: ast.Module, builder: _ScopeBuilder, resolver: Resolver
) -> List[AuthorizationHeader]:
    """Every `"Authorization": "<scheme> <token>"` item of a dict literal, and whether the
    dict goes (directly, or through the name it is bound to) to a call whose URL is the
    Replicate API's. A GitHub `token <40 hex>` header is then told apart from Replicate's."""
    values = {
        id(node): match
        for node in builder.strings
        for match in [AUTHORIZATION_VALUE.fullmatch(str(node.value))]
        if match is not None
    }
    if not values:
        return []
    replicate_dicts: Set[int] = set()
    for call, scope in builder.calls:
        if not _calls_replicate_api(resolver, call, scope):
            continue
        for keyword in call.keywords:
            if keyword.arg != "headers":
                continue
            value: Optional[ast.expr] = keyword.value
            if isinstance(value, ast.Name):
                binding, _where = resolver.lookup(value.id, scope, call.lineno)
                value = binding.value if binding is not None and binding.kind == "assign" else None
            if isinstance(value, ast.Dict):
                replicate_dicts.add(id(value))
    found: List[AuthorizationHeader] = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Dict):
            continue
        for key, value in zip(node.keys, node.values):
            if (
                isinstance(key, ast.Constant)
                and isinstance(key.value, str)
                and key.value.lower() == "authorization"
                and isinstance(value, ast.Constant)
                and id(value) in values
            ):
                match = values[id(value)]
                found.append(
                    AuthorizationHeader(
                        value, match.group("scheme"), match.group("token"), id(node) in replicate_dicts
                    )
                )
    return found


def _calls_replicate_api(resolver: Resolver, call: ast.Call, scope: Scope) -> bool:
    candidates = [*call.args[:2], *(k.value for k in call.keywords if k.arg in URL_KEYWORDS)]
    return any(REPLICATE_API_HOST in _url_text(resolver, node, scope, call.lineno) for node in candidates)


def _url_text(resolver: Resolver, node: ast.expr, scope: Scope, line: int) -> str:
    """The URL as far as the code writes it: an f-string's fields are left out."""
    if isinstance(node, ast.JoinedStr):
        return "".join(
            part.value if isinstance(part, ast.Constant) and isinstance(part.value, str) else ""
            for part in node.values
        )
    return resolver.string(node, scope, line) or ""


def string_concatenations(tree: ast.Module) -> List[Tuple[ast.BinOp, str]]:
    """The outermost `+` chains made only of string literals, with the string each makes."""
    found: List[Tuple[ast.BinOp, str]] = []
    inner: Set[int] = set()
    for node in ast.walk(tree):  # parents come before their children
        if not isinstance(node, ast.BinOp) or id(node) in inner:
            continue
        value = _literal_string(node)
        if value is None:
            continue
        found.append((node, value))
        inner.update(id(child) for child in ast.walk(node))
    return found
