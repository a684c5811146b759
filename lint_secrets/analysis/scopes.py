"""Scopes: which names a module binds where, to what; the first pass over the tree.

Knows Python's binding rules (imports, assignments, parameters, loops, `with`, `global`,
`self.<name>` in methods) and nothing about Replicate.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from enum import Enum
from typing import Any, Callable, Dict, List, Optional, Sequence, Set, Tuple, Union


class BindingKind(Enum):
    IMPORT = "import"
    ASSIGN = "assign"
    PARAM = "param"
    UNKNOWN = "unknown"  # bound to something the resolver does not follow (a loop variable, a def...)


# The members as module globals, for the hot paths: on Python 3.11 reading an Enum member
# off its class costs about ten times a global (0.5 us against 0.05 us, per name resolved).
IMPORT, ASSIGN, PARAM, UNKNOWN = (
    BindingKind.IMPORT,
    BindingKind.ASSIGN,
    BindingKind.PARAM,
    BindingKind.UNKNOWN,
)


@dataclass
class Binding:
    kind: BindingKind
    line: int
    value: Optional[ast.expr] = None  # ASSIGN: the value; PARAM: the default
    qualname: Optional[str] = None  # IMPORT
    top_level: bool = False  # an import statement directly in the module body: unconditional
    # ASSIGN: inside an `if`, `try`, loop or `with` block of its scope: another binding may win
    conditional: bool = False
    definition: Optional[ast.stmt] = None  # UNKNOWN: the `def` or `class` statement bound
    annotation: Optional[ast.expr] = None  # PARAM: its annotation (`client: replicate.Client`)
    # IMPORT, and relative imports (UNKNOWN to the rest): (level, module, name) as written;
    # name is None for `import a.b` (binding `a`: module "a") and `import a.b as c` (module "a.b").
    imported: Optional[Tuple[int, str, Optional[str]]] = None
    star: int = 0  # PARAM: 1 for `*args`, 2 for `**kwargs`


_NOT_YET = object()


@dataclass
class Scope:
    node: ast.AST
    parent: Optional[Scope]
    is_class: bool = False
    bindings: Dict[str, List[Binding]] = field(default_factory=dict)
    globals: Set[str] = field(default_factory=set)
    # name -> [(line, the `name[key]` target or the `name.update(...)` call)]
    mutations: Dict[str, List[Tuple[int, ast.AST]]] = field(default_factory=dict)
    # class scopes: `self.<name> = value` in any method, with the method's scope
    self_attributes: Dict[str, List[Tuple[Binding, Scope]]] = field(default_factory=dict)
    star_imports: List[Tuple[int, str]] = field(default_factory=list)  # `from .m import *`: (level, module)
    # method_self's answer, once worked out: asked of every `self.x` and method call resolved.
    _method_self: object = field(default=_NOT_YET, init=False, repr=False, compare=False)

    def bind(self, name: str, binding: Binding) -> None:
        self.bindings.setdefault(name, []).append(binding)

    def method_self(self) -> Optional[Tuple[str, Scope]]:
        """In a method: the name of its first parameter (`self`) and the class's scope."""
        known = self._method_self
        if known is _NOT_YET:
            known = self._method_self = self._find_method_self()
        return known  # type: ignore[return-value]

    def _find_method_self(self) -> Optional[Tuple[str, Scope]]:
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


def _assigned(value: Optional[ast.expr]) -> BindingKind:
    return ASSIGN if value is not None else UNKNOWN


def _operator_types() -> List[type]:
    """The node types of operators (`+`, `and`, `not`, `<`...): leaves of the tree."""
    found: List[type] = []
    for base in (ast.operator, ast.boolop, ast.unaryop, ast.cmpop):
        found.extend(base.__subclasses__())
    return found


class ScopeBuilder(ast.NodeVisitor):
    """First pass: bindings per scope, and every call and assignment with its scope."""

    def __init__(self, tree: ast.Module) -> None:
        self.module_scope = Scope(tree, None)
        self.scopes: List[Scope] = [self.module_scope]
        self._top_level = {id(statement) for statement in tree.body}
        self.scope = self.module_scope
        self.calls: List[Tuple[ast.Call, Scope]] = []
        self.assigns: List[Tuple[ast.stmt, Scope, Tuple[ast.stmt, ...]]] = []
        # id of a call that is a whole expression statement -> (that statement, its block)
        self.expr_calls: Dict[int, Tuple[ast.stmt, Tuple[ast.stmt, ...]]] = {}
        self.strings: List[ast.Constant] = []
        self.additions: List[ast.BinOp] = []  # every `a + b`, outer ones first
        # ids of string literals that are the whole value of `NAME = "..."`: a constant's definition
        self.named_literals: Set[int] = set()
        self.import_time_strings: Set[int] = set()  # literals evaluated when the module is imported
        # Names an import statement binds somewhere in the module, and names of its functions:
        # most names are neither, and the questions about imports and callers skip them.
        self.imported_names: Set[str] = set()
        self.function_names: Set[str] = set()
        self._body: Tuple[ast.stmt, ...] = tuple(tree.body)
        self._depth = 0  # blocks entered within the current scope: 1 is the scope's own body
        # Whether the current scope's code runs when the module is imported (module and class
        # bodies, outside every function), kept as scopes are entered and left.
        self._at_import = True
        self._values_by_target: Optional[Dict[int, ast.expr]] = None

    def assigned_value(self, target: ast.expr) -> Optional[ast.expr]:
        """The value `target = value` gives it, when `target` is one of an `Assign`'s targets.

        An index built on first use: asked once per `d[k] = v`, a scan of every assignment
        would make a file with many of them quadratic."""
        if self._values_by_target is None:
            self._values_by_target = {
                id(each): statement.value
                for statement, _, _ in self.assigns
                if isinstance(statement, ast.Assign)
                for each in statement.targets
            }
        return self._values_by_target.get(id(target))

    def visit(self, node: ast.AST) -> None:
        # NodeVisitor.visit builds the method's name and looks it up for every node; this pass
        # visits every node of every file that may matter, so the method is found once per type.
        kind = type(node)
        method = _VISITORS.get(kind)
        if method is None:
            method = _visitor_of(kind)
        method(self, node)

    # -- scopes
    def _visit_body_lists(self, node: ast.AST) -> None:
        # The children are dispatched here rather than through `visit`: half the nodes of a
        # module are names and their contexts, which record nothing and are skipped without a call.
        kind = type(node)
        fields = _CHILD_FIELDS.get(kind)
        if fields is None:
            fields = _CHILD_FIELDS[kind] = tuple(f for f in kind._fields if f not in _LEAF_FIELDS)
        visitors = _VISITORS
        for field_name in fields:
            value = getattr(node, field_name, None)
            if type(value) is list:
                if value and isinstance(value[0], ast.stmt):
                    self._visit_block(value)
                    continue
                for item in value:
                    method = visitors.get(type(item))
                    if method is None:
                        if not isinstance(item, ast.AST):
                            continue
                        method = _visitor_of(type(item))
                    if method is not _nothing_to_record:
                        method(self, item)
            elif value is not None:
                method = visitors.get(type(value))
                if method is None:
                    if not isinstance(value, ast.AST):
                        continue
                    method = _visitor_of(type(value))
                if method is not _nothing_to_record:
                    method(self, value)

    def _visit_block(self, statements: List[ast.stmt]) -> None:
        """Visit a block, remembering it: a removed statement may leave it empty."""
        saved = self._body
        self._body = tuple(statements)
        self._depth += 1
        for statement in statements:
            self.visit(statement)
        self._depth -= 1
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
            self.scope.bind(node.name, Binding(UNKNOWN, node.lineno, definition=node))
            self.function_names.add(node.name)
        scope = Scope(node, self.scope)
        self.scopes.append(scope)
        positional = [*args.posonlyargs, *args.args]
        defaults: List[Optional[ast.expr]] = [None] * (len(positional) - len(args.defaults)) + list(
            args.defaults
        )
        for arg, positional_default in zip(positional, defaults):
            scope.bind(arg.arg, Binding(PARAM, node.lineno, positional_default, annotation=arg.annotation))
        for kwonly, kw_default in zip(args.kwonlyargs, args.kw_defaults):
            scope.bind(kwonly.arg, Binding(PARAM, node.lineno, kw_default, annotation=kwonly.annotation))
        for star, extra in ((1, args.vararg), (2, args.kwarg)):
            if extra is not None:
                scope.bind(extra.arg, Binding(PARAM, node.lineno, star=star))
        saved, saved_depth, saved_at_import = self.scope, self._depth, self._at_import
        self.scope, self._depth, self._at_import = scope, 0, False
        if isinstance(node, ast.Lambda):
            self.visit(node.body)
        else:
            self._visit_block(node.body)
        self.scope, self._depth, self._at_import = saved, saved_depth, saved_at_import

    visit_FunctionDef = _function
    visit_AsyncFunctionDef = _function
    visit_Lambda = _function

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        for expr in [*node.decorator_list, *node.bases, *[k.value for k in node.keywords]]:
            self.visit(expr)
        self.scope.bind(node.name, Binding(UNKNOWN, node.lineno, definition=node))
        saved = self.scope
        self.scope = Scope(node, saved, is_class=True)
        self.scopes.append(self.scope)
        saved_depth, self._depth = self._depth, 0
        self._visit_block(node.body)
        self.scope, self._depth = saved, saved_depth

    # -- bindings
    def visit_Import(self, node: ast.Import) -> None:
        top_level = id(node) in self._top_level
        for alias in node.names:
            self.imported_names.add(alias.asname or alias.name.split(".", 1)[0])
            if alias.asname:
                binding = Binding(
                    IMPORT,
                    node.lineno,
                    qualname=alias.name,
                    top_level=top_level,
                    imported=(0, alias.name, None),
                )
                self.scope.bind(alias.asname, binding)
            else:
                top = alias.name.split(".", 1)[0]
                binding = Binding(
                    IMPORT, node.lineno, qualname=top, top_level=top_level, imported=(0, top, None)
                )
                self.scope.bind(top, binding)

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        module = node.module if node.level == 0 else None
        for alias in node.names:
            if alias.name == "*":
                self.scope.star_imports.append((node.level, node.module or ""))
                continue
            name = alias.asname or alias.name
            self.imported_names.add(name)
            qualname = f"{module}.{alias.name}" if module else None
            kind = IMPORT if qualname else UNKNOWN
            top_level = id(node) in self._top_level
            imported = (node.level, node.module or "", alias.name)
            self.scope.bind(
                name, Binding(kind, node.lineno, qualname=qualname, top_level=top_level, imported=imported)
            )

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
        target = node.target
        if (
            isinstance(node.op, ast.BitOr)
            and isinstance(target, ast.Name)
            and target.id not in self.scope.globals
        ):
            # `d |= {...}` fills the dict in place, as `d.update({...})` does.
            self.scope.mutations.setdefault(target.id, []).append((node.lineno, node))
        else:
            self._bind_target(target, None, node.lineno)
        self.visit(target)

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
            self.scope.bind(node.name, Binding(UNKNOWN, node.lineno))
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
            scope.bind(target.id, Binding(_assigned(value), line, value, conditional=self._depth > 1))
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
                binding = Binding(_assigned(value), line, value)
                method[1].self_attributes.setdefault(target.attr, []).append((binding, scope))
        elif isinstance(target, ast.Starred):
            self._bind_target(target.value, None, line)

    # -- what the second pass needs
    def visit_Expr(self, node: ast.Expr) -> None:
        if isinstance(node.value, ast.Call):
            self.expr_calls[id(node.value)] = (node, self._body)
            call = node.value
            func = call.func
            if (
                isinstance(func, ast.Attribute)
                and func.attr in ("update", "setdefault")
                and isinstance(func.value, ast.Name)
            ):
                self.scope.mutations.setdefault(func.value.id, []).append((node.lineno, call))
        self.visit(node.value)

    def visit_BinOp(self, node: ast.BinOp) -> None:
        if isinstance(node.op, ast.Add):
            self.additions.append(node)
        self._visit_body_lists(node)

    # The commonest nodes, visited as the generic visit would, without its loop over fields.
    def visit_Call(self, node: ast.Call) -> None:
        self.calls.append((node, self.scope))
        visitors = _VISITORS
        func = node.func
        method = visitors.get(type(func)) or _visitor_of(type(func))
        if method is not _nothing_to_record:
            method(self, func)
        for each in node.args:
            method = visitors.get(type(each)) or _visitor_of(type(each))
            if method is not _nothing_to_record:
                method(self, each)
        for keyword in node.keywords:
            self.visit_keyword(keyword)

    def visit_keyword(self, node: ast.keyword) -> None:
        value = node.value
        method = _VISITORS.get(type(value)) or _visitor_of(type(value))
        if method is not _nothing_to_record:
            method(self, value)

    def visit_Attribute(self, node: ast.Attribute) -> None:
        value = node.value
        method = _VISITORS.get(type(value)) or _visitor_of(type(value))
        if method is not _nothing_to_record:
            method(self, value)

    def visit_Constant(self, node: ast.Constant) -> None:
        if isinstance(node.value, str):
            self.strings.append(node)
            if self._at_import:
                self.import_time_strings.add(id(node))


def _nothing_to_record(builder: ScopeBuilder, node: ast.AST) -> None:
    """Names, contexts and operators: nothing below them binds, calls or holds a string."""


# The visit method of each node type, found on first use (see ScopeBuilder.visit).
_VISITORS: Dict[type, Callable[[ScopeBuilder, Any], None]] = {
    kind: _nothing_to_record for kind in (ast.Name, ast.Load, ast.Store, ast.Del, *_operator_types())
}


def _visitor_of(kind: type) -> Callable[[ScopeBuilder, Any], None]:
    method: Callable[[ScopeBuilder, Any], None] = getattr(
        ScopeBuilder, "visit_" + kind.__name__, ScopeBuilder._visit_body_lists
    )
    _VISITORS[kind] = method
    return method


# Fields that never hold a node below which a name is bound, a call made or a string written:
# identifiers, numbers, flags, contexts and operators. The generic visit skips them.
_LEAF_FIELDS = frozenset(
    {"ctx", "op", "ops", "id", "name", "attr", "arg", "asname", "module", "level", "conversion",
     "is_async", "simple", "kind", "kwd_attrs", "rest", "tag", "type_comment"}
)  # fmt: skip
# The fields the generic visit looks in, by node type, worked out on first use.
_CHILD_FIELDS: Dict[type, Tuple[str, ...]] = {}


def build_scopes(tree: ast.Module) -> ScopeBuilder:
    """The first pass over a module."""
    builder = ScopeBuilder(tree)
    builder.generic_visit(tree)
    return builder
