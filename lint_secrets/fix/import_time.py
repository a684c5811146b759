"""Whether a fix that may leave a module-level name None changes what importing the module does.

`KEY = os.environ.get("KEY")` (a constant's fix) or `KEY = os.getenv("KEY")` (a dropped
default) is harmless while KEY only travels to a call; but where the module itself works on
KEY when it is imported (`KEY.strip()`, `"Bearer " + KEY`, `f"{KEY}"`, `len(KEY)`), the
variable being unset makes the import raise, or quietly build "None", where the literal
never did (test collection, docs builds). Such a fix is unsafe (lint_secrets/fix/safety.py).
"""

from __future__ import annotations

import ast
import weakref
from dataclasses import dataclass
from typing import Dict, Iterator, List, Optional, Sequence, Tuple, Union

from lint_secrets.records import Record

Scope = Union[ast.Module, ast.ClassDef]


@dataclass(frozen=True, repr=False, eq=False)
class ImportTimeUse(Record):
    name: str  # the name the fixed assignment binds
    line: int  # where the module works on it when imported


def import_time_use(module: ast.Module, node: ast.AST) -> Optional[ImportTimeUse]:
    """The first use, when the module is imported, that works on the name bound by the
    module-level (or class-level) assignment holding `node`; None when there is none, or
    when `node` is not in such an assignment (a function's code runs later, if ever)."""
    index = _index_of(module)
    found = index.assignment_holding(node)
    if found is None:
        return None
    in_class, statement, names = found
    scope: Scope = in_class or module
    uses = sorted(
        (use for name in names for use in index.loads(scope).get(name, ())),
        key=lambda pair: (pair[0].lineno, pair[0].col_offset),
    )
    for use, parent in uses:
        if not _inside(use, statement) and not _passes_along(use, parent):
            return ImportTimeUse(use.id, use.lineno)
    return None


class _ModuleIndex:
    """One module's assignments by line and names read at import by name, built once: asked
    once per finding, a walk of the whole module each time would make a file quadratic."""

    def __init__(self, module: ast.Module) -> None:
        # The class an assignment binds in, or None for the module itself: the index must not
        # hold the module, its key in `_INDEXES`, or the module's whole tree would never be freed.
        self._by_line: Dict[int, List[Tuple[Optional[ast.ClassDef], ast.stmt]]] = {}
        for scope, statement in _import_time_statements(module, module.body):
            if isinstance(statement, (ast.Assign, ast.AnnAssign)):
                in_class = scope if isinstance(scope, ast.ClassDef) else None
                for line in range(statement.lineno, (statement.end_lineno or statement.lineno) + 1):
                    self._by_line.setdefault(line, []).append((in_class, statement))
        self._loads: Dict[int, Dict[str, List[Tuple[ast.Name, ast.AST]]]] = {}

    def assignment_holding(
        self, node: ast.AST
    ) -> Optional[Tuple[Optional[ast.ClassDef], ast.stmt, Tuple[str, ...]]]:
        line = getattr(node, "lineno", None)
        if line is None:
            return None
        for scope, statement in self._by_line.get(line, ()):
            if isinstance(statement, ast.Assign):
                targets: Sequence[ast.expr] = statement.targets
            elif isinstance(statement, ast.AnnAssign) and statement.value is not None:
                targets = [statement.target]
            else:
                continue
            value = statement.value
            if value is not None and any(child is node for child in ast.walk(value)):
                names = tuple(name.id for target in targets for name in _bound_names(target))
                return (scope, statement, names) if names else None
        return None

    def loads(self, scope: Scope) -> Dict[str, List[Tuple[ast.Name, ast.AST]]]:
        if id(scope) not in self._loads:
            by_name: Dict[str, List[Tuple[ast.Name, ast.AST]]] = {}
            for use, parent in _import_time_loads(scope.body):
                by_name.setdefault(use.id, []).append((use, parent))
            self._loads[id(scope)] = by_name
        return self._loads[id(scope)]


# By module, as long as the module lives: a global "last module" kept the last file's whole
# tree alive after its check (a large file's tree then cost every later garbage collection).
_INDEXES: weakref.WeakKeyDictionary[ast.Module, _ModuleIndex] = weakref.WeakKeyDictionary()


def _index_of(module: ast.Module) -> _ModuleIndex:
    found = _INDEXES.get(module)
    if found is None:
        found = _INDEXES[module] = _ModuleIndex(module)
    return found


def _bound_names(target: ast.expr) -> Iterator[ast.Name]:
    if isinstance(target, ast.Name):
        yield target
    elif isinstance(target, (ast.Tuple, ast.List)):
        for element in target.elts:
            yield from _bound_names(element)


def _import_time_statements(scope: Scope, body: Sequence[ast.stmt]) -> Iterator[Tuple[Scope, ast.stmt]]:
    """Every statement run when the module is imported, with the module or class it binds in."""
    for statement in body:
        yield scope, statement
        if isinstance(statement, ast.ClassDef):
            yield from _import_time_statements(statement, statement.body)
        elif not isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef)):
            for block in _blocks(statement):
                yield from _import_time_statements(scope, block)


def _blocks(statement: ast.stmt) -> List[List[ast.stmt]]:
    blocks: List[List[ast.stmt]] = []
    for field in ("body", "orelse", "finalbody"):
        value = getattr(statement, field, None)
        if isinstance(value, list):
            blocks.append(value)
    for handler in getattr(statement, "handlers", ()):
        blocks.append(handler.body)
    for case in getattr(statement, "cases", ()):
        blocks.append(case.body)
    return blocks


def _import_time_loads(body: Sequence[ast.stmt]) -> Iterator[Tuple[ast.Name, ast.AST]]:
    """Each name read when `body` runs at import, with its parent node: not inside a
    function's or lambda's body (their defaults and decorators are read, though)."""
    stack: List[Tuple[ast.AST, ast.AST]] = [(statement, statement) for statement in reversed(body)]
    while stack:
        node, parent = stack.pop()
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load):
            yield node, parent
            continue
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
            arguments = node.args
            children: List[ast.AST] = [*arguments.defaults, *(d for d in arguments.kw_defaults if d)]
            if not isinstance(node, ast.Lambda):
                children.extend(node.decorator_list)
            stack.extend((child, arguments) for child in reversed(children))
            continue
        stack.extend((child, node) for child in reversed(list(ast.iter_child_nodes(node))))


def _inside(node: ast.AST, statement: ast.stmt) -> bool:
    return any(child is node for child in ast.walk(statement))


def _passes_along(use: ast.Name, parent: ast.AST) -> bool:
    """The value only travels: a keyword argument, a dict value or a collection's element, a
    default, another name, `print` (`client = Client(api_token=KEY)`, `input={"key": KEY}`). Anything
    else works on it: an attribute, an operator, an f-string, a positional argument (`len(KEY)`),
    a comparison or a condition."""
    if isinstance(parent, ast.Dict):
        return any(value is use for value in parent.values)
    if isinstance(parent, ast.Call) and isinstance(parent.func, ast.Name) and parent.func.id == "print":
        return use is not parent.func  # printing None raises nothing (a notebook's `print(TOKEN)`)
    return isinstance(parent, (ast.keyword, ast.List, ast.Tuple, ast.Set, ast.Assign, ast.AnnAssign,
                               ast.Expr, ast.arguments))  # fmt: skip


__all__ = ["ImportTimeUse", "import_time_use"]
