"""Values: what a name or expression holds, as far as the code says, with no SDK knowledge.

The strings an expression always evaluates to, the string literals a value is made of and
where each is written, and the keys and values of dicts (written out, built with `dict()`,
bound to a name and filled in before use).
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field, replace
from enum import Enum
from typing import Callable, Dict, Iterator, List, Optional, Sequence, Tuple, Union

from lint_secrets.analysis.scopes import ASSIGN, PARAM, Binding, Scope, ScopeBuilder

MAX_DEPTH = 24


class Origin(Enum):
    """Where a value's literal is written, relative to the place that uses it."""

    CALL = "call"  # in the expression itself
    CONSTANT = "constant"  # at the definition of a name the expression uses
    DEFAULT = "default"  # as the default of a parameter the expression uses


_CALL, _CONSTANT, _DEFAULT = Origin.CALL, Origin.CONSTANT, Origin.DEFAULT  # hot: see scopes.IMPORT


@dataclass(frozen=True)
class ValueSite:
    """A string literal that ends up as a value, and where it is written."""

    node: ast.expr
    value: str
    origin: Origin
    binding: Optional[str] = None  # the name, for CONSTANT and DEFAULT
    # A fallback written next to a read of the value: the `os.getenv(...)` call whose default
    # it is, or the `x or "..."` expression whose last operand it is. Removing it fixes it.
    fallback_of: Optional[ast.expr] = None


@dataclass(frozen=True)
class InputUse:
    name: str
    sites: Tuple[ValueSite, ...]
    # The expression that gives the value, and where it is evaluated: for analyses that ask more
    # of a value than its literals (analysis/env_reads.py); `key` is the dict key or keyword.
    value: Optional[ast.expr] = field(default=None, compare=False)
    scope: Optional[Scope] = field(default=None, compare=False, repr=False)
    line: int = field(default=0, compare=False)
    key: Optional[ast.AST] = field(default=None, compare=False, repr=False)


class Resolver:
    """The second pass: questions about values, answered from the scopes of the first."""

    def __init__(self, builder: ScopeBuilder) -> None:
        self.builder = builder
        # The default of a call that reads the environment (`os.getenv(K, default)`): set by
        # the SDK resolver, which knows what `os` is here.
        self.environ_default: Callable[[ast.Call, Scope, int], Optional[ast.expr]] = _no_default
        # (expression, scope, line) -> its sites: a name with several bindings is asked about
        # once, however many paths reach it, so the work stays linear in the code's size.
        self._sites_memo: Dict[Tuple[int, int, int], List[ValueSite]] = {}
        # The same for dicts: `d.update(d)` repeated reads every earlier state of `d` again.
        self._inputs_memo: Dict[Tuple[int, int, int], List[InputUse]] = {}
        self._known_memo: Dict[Tuple[int, int, int], bool] = {}
        self._states_memo: Dict[int, List[Tuple[int, List[InputUse]]]] = {}
        self._scopes_by_node: Optional[Dict[int, Scope]] = None

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

    def reaching(self, name: str, scope: Scope, line: int) -> Tuple[List[Binding], Scope]:
        """Every binding of `name` that can be the one seen on `line`: the last unconditional
        one and the conditional ones after it, counting those before `line` in the same scope
        and all of them from an enclosing scope (a function runs after the module is loaded)."""
        current: Optional[Scope] = scope
        first = True
        while current is not None:
            if name in current.globals:
                current = self.builder.module_scope
                first = False
                continue
            if (first or not current.is_class) and name in current.bindings:
                bindings = current.bindings[name]
                before = [b for b in bindings if b.line <= line] if first else []
                before = before or bindings
                start = max((i for i, b in enumerate(before) if not b.conditional), default=0)
                return before[start:], current
            current = current.parent
            first = False
        return [], scope

    def _building_function(
        self, node: ast.expr, scope: Scope, line: int
    ) -> Optional[Tuple[Union[ast.FunctionDef, ast.AsyncFunctionDef], Scope]]:
        """`build_input(...)` calling a function this module defines: the `def` and its scope."""
        if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Name):
            return None
        binding, _ = self.lookup(node.func.id, scope, line)
        function = binding.definition if binding is not None else None
        if not isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef)):
            return None
        inside = self.scope_of(function)
        return (function, inside) if inside is not None else None

    def scope_of(self, definition: ast.AST) -> Optional[Scope]:
        """The scope a `def`, `lambda` or `class` statement opens."""
        if self._scopes_by_node is None:
            self._scopes_by_node = {id(s.node): s for s in self.builder.scopes}
        return self._scopes_by_node.get(id(definition))

    def class_attribute(self, node: ast.Attribute, scope: Scope, line: int) -> List[Tuple[Binding, Scope]]:
        """`self.X` in a method, `Settings.X`, `settings.X` with `settings = Settings(...)`:
        the bindings of X in the class body (attributes, dataclass and pydantic field defaults)."""
        klass: Optional[Scope] = None
        method = scope.method_self()
        if method is not None and isinstance(node.value, ast.Name) and node.value.id == method[0]:
            klass = method[1]
        elif isinstance(node.value, ast.Name):
            binding, _ = self.lookup(node.value.id, scope, line)
            if binding is not None and binding.kind is ASSIGN and isinstance(binding.value, ast.Call):
                func = binding.value.func
                binding = self.lookup(func.id, scope, line)[0] if isinstance(func, ast.Name) else None
            if binding is not None and isinstance(binding.definition, ast.ClassDef):
                klass = self.scope_of(binding.definition)
        if klass is None:
            return []
        return [(b, klass) for b in klass.bindings.get(node.attr, []) if b.kind is ASSIGN]

    def self_attribute(self, node: ast.Attribute, scope: Scope) -> Optional[Tuple[Binding, Scope]]:
        """`self.client` in a method, when exactly one method of the class assigns it."""
        method = scope.method_self()
        if method is None or not isinstance(node.value, ast.Name) or node.value.id != method[0]:
            return None
        assigned = method[1].self_attributes.get(node.attr, [])
        return assigned[0] if len(assigned) == 1 else None

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
            if binding is not None and binding.kind is ASSIGN:
                return self.string(binding.value, *value_context(binding, where), depth + 1)
        return None

    def string_pair(
        self, node: ast.expr, scope: Scope, line: int, depth: int = 0
    ) -> Optional[Tuple[str, str]]:
        """`("owner", "name")`, written out or bound to a name."""
        if depth > MAX_DEPTH:
            return None
        if isinstance(node, (ast.Tuple, ast.List)) and len(node.elts) == 2:
            first = self.string(node.elts[0], scope, line)
            second = self.string(node.elts[1], scope, line)
            return (first, second) if first is not None and second is not None else None
        if isinstance(node, ast.Name):
            binding, where = self.lookup(node.id, scope, line)
            if binding is not None and binding.kind is ASSIGN and binding.value is not None:
                return self.string_pair(binding.value, *value_context(binding, where), depth + 1)
        return None

    # -- dicts
    def inputs(self, node: Optional[ast.expr], scope: Scope, line: int, depth: int = 0) -> List[InputUse]:
        """The keys of a dict and the literals of their values, as the dict holds them on `line`."""
        if node is None or depth > MAX_DEPTH:
            return []
        key = (id(node), id(scope), line)
        found = self._inputs_memo.get(key)
        if found is None:
            found = self._inputs_memo[key] = self._inputs(node, scope, line, depth)
        return list(found)

    def _inputs(self, node: ast.expr, scope: Scope, line: int, depth: int) -> List[InputUse]:
        if isinstance(node, ast.Dict):
            uses: List[InputUse] = []
            for key, value in zip(node.keys, node.values):
                if key is None:
                    uses.extend(self.inputs(value, scope, line, depth + 1))
                    continue
                name = self.string(key, scope, line)
                if name is not None:
                    uses.append(self._use(name, value, scope, line, key))
            return last_wins(uses)
        if isinstance(node, ast.Call) and self._is_builtin_dict(node.func, scope, line):
            uses = []
            for arg in node.args[:1]:
                uses.extend(self.inputs(arg, scope, line, depth + 1))
            uses.extend(self.keyword_inputs(node.keywords, scope, line, depth + 1))
            return last_wins(uses)
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):  # `BASE | {...}`
            left = self.inputs(node.left, scope, line, depth + 1)
            return last_wins([*left, *self.inputs(node.right, scope, line, depth + 1)])
        copied = _copied_dict(node)
        if copied is not None:  # `BASE.copy()`, `copy.copy(BASE)`, `dict(BASE)` is above
            return self.inputs(copied, scope, line, depth + 1)
        items = _literal_items(node)
        if items is not None:  # `{k: v for k, v in [("hf_token", "hf_..."), ...]}`
            uses = []
            for key, value in items:
                name = self.string(key, scope, line)
                if name is not None:
                    uses.append(self._use(name, value, scope, line, key, depth + 1))
            return last_wins(uses)
        built = self._building_function(node, scope, line)
        if built is not None:  # `input=build_input(...)`: what its `return`s hand back
            function, inside = built
            uses = []
            for statement in function_returns(function):
                uses.extend(self.inputs(statement.value, inside, statement.lineno, depth + 1))
            return last_wins(uses)
        if isinstance(node, ast.Name):
            binding, where = self.lookup(node.id, scope, line)
            if binding is None or binding.value is None:
                return []
            if binding.kind is PARAM:  # a dict written as the parameter's default
                return self.inputs(binding.value, *value_context(binding, where), depth + 1)
            if binding.kind is not ASSIGN:
                return []
            states = self._dict_states(node.id, binding, where, depth)
            if where is scope:
                seen = [uses for mutation_line, uses in states if mutation_line <= line]
                return list(seen[-1] if seen else states[0][1])
            return list(states[-1][1])
        return []

    def _dict_states(
        self, name: str, binding: Binding, where: Scope, depth: int
    ) -> List[Tuple[int, List[InputUse]]]:
        """What the dict bound by `binding` holds after each of its mutations, in order: (line,
        inputs), the binding itself first. Built once, each state from the one before, so a
        chain of n updates costs n steps; a mutation that reads the dict itself (`d.update(d)`)
        sees the state before it."""
        states = self._states_memo.get(id(binding))
        if states is not None:
            return states
        current = self.inputs(binding.value, *value_context(binding, where), depth + 1)
        states = [(binding.line, current)]
        self._states_memo[id(binding)] = states  # read while being built: the state so far
        mutations = sorted(
            (m for m in where.mutations.get(name, []) if m[0] > binding.line), key=lambda m: m[0]
        )
        for mutation_line, mutation in mutations:
            uses = list(current)
            if isinstance(mutation, ast.Subscript):
                key_text = self.string(subscript_key(mutation), where, mutation_line)
                assigned = self._assigned_value(mutation)
                if key_text is not None and assigned is not None:
                    uses.append(self._use(key_text, assigned, where, mutation_line, subscript_key(mutation)))
            elif isinstance(mutation, ast.AugAssign):
                uses.extend(self.inputs(mutation.value, where, mutation_line, depth + 1))
            elif _setdefault_entry(mutation) is not None:
                key_node, default = _setdefault_entry(mutation) or (None, None)
                key_text = self.string(key_node, where, mutation_line)
                if key_text is not None and default is not None and all(u.name != key_text for u in uses):
                    uses.append(self._use(key_text, default, where, mutation_line, key_node))
            elif isinstance(mutation, ast.Call):
                for arg in mutation.args[:1]:
                    uses.extend(self.inputs(arg, where, mutation_line, depth + 1))
                uses.extend(self.keyword_inputs(mutation.keywords, where, mutation_line, depth + 1))
            current = last_wins(uses)
            states.append((mutation_line, current))
        return states

    def inputs_known(self, node: Optional[ast.expr], scope: Scope, line: int, depth: int = 0) -> bool:
        """Whether `inputs` sees the whole dict: every key worked out, nothing merged in from
        a value the code doesn't show (a parameter, a call's result, another package's dict)."""
        if depth > MAX_DEPTH:
            return False
        if node is None or (isinstance(node, ast.Constant) and node.value is None):
            return True
        key = (id(node), id(scope), line)
        known = self._known_memo.get(key)
        if known is None:
            known = self._known_memo[key] = self._inputs_known(node, scope, line, depth)
        return known

    def _inputs_known(self, node: ast.expr, scope: Scope, line: int, depth: int) -> bool:
        if isinstance(node, ast.Dict):
            for key, value in zip(node.keys, node.values):
                if key is None:
                    if not self.inputs_known(value, scope, line, depth + 1):
                        return False
                elif self.string(key, scope, line) is None:
                    return False
            return True
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
            return self.inputs_known(node.left, scope, line, depth + 1) and self.inputs_known(
                node.right, scope, line, depth + 1
            )
        copied = _copied_dict(node)
        if copied is not None:
            return self.inputs_known(copied, scope, line, depth + 1)
        items = _literal_items(node)
        if items is not None:
            return all(self.string(key, scope, line) is not None for key, _ in items)
        built = self._building_function(node, scope, line)
        if built is not None:
            function, inside = built
            returned = [s.value for s in function_returns(function)]
            return bool(returned) and all(
                r is not None and self.inputs_known(r, inside, r.lineno, depth + 1) for r in returned
            )
        if isinstance(node, ast.Call) and self._is_builtin_dict(node.func, scope, line):
            return all(self.inputs_known(arg, scope, line, depth + 1) for arg in node.args[:1]) and all(
                self.inputs_known(k.value, scope, line, depth + 1) for k in node.keywords if k.arg is None
            )
        if isinstance(node, ast.Name):
            binding, where = self.lookup(node.id, scope, line)
            if binding is None or binding.value is None or binding.kind not in (ASSIGN, PARAM):
                return False
            if binding.kind is PARAM:  # its default is checked; what callers pass, at their calls
                return self.inputs_known(binding.value, *value_context(binding, where), depth + 1)
            if not self.inputs_known(binding.value, *value_context(binding, where), depth + 1):
                return False
            for mutation_line, mutation in where.mutations.get(node.id, []):
                if mutation_line <= binding.line or (where is scope and mutation_line > line):
                    continue
                if isinstance(mutation, ast.Subscript):
                    if self.string(subscript_key(mutation), where, mutation_line) is None:
                        return False
                elif isinstance(mutation, ast.AugAssign):
                    if not self.inputs_known(mutation.value, where, mutation_line, depth + 1):
                        return False
                elif _setdefault_entry(mutation) is not None:
                    key_node, _ = _setdefault_entry(mutation) or (None, None)
                    if self.string(key_node, where, mutation_line) is None:
                        return False
                elif isinstance(mutation, ast.Call):
                    if not all(
                        self.inputs_known(a, where, mutation_line, depth + 1) for a in mutation.args[:1]
                    ):
                        return False
                    if not all(
                        self.inputs_known(k.value, where, mutation_line, depth + 1)
                        for k in mutation.keywords
                        if k.arg is None
                    ):
                        return False
            return True
        return False

    def keyword_inputs(
        self, keywords: Sequence[ast.keyword], scope: Scope, line: int, depth: int = 0
    ) -> List[InputUse]:
        """Keyword arguments as dict entries: `dict(k=v)`, `f(**inputs)`."""
        uses: List[InputUse] = []
        for keyword in keywords:
            if keyword.arg is None:
                uses.extend(self.inputs(keyword.value, scope, line, depth + 1))
            else:
                uses.append(self._use(keyword.arg, keyword.value, scope, line, keyword))
        return uses

    def _use(
        self, name: str, value: ast.expr, scope: Scope, line: int, key: Optional[ast.AST], depth: int = 0
    ) -> InputUse:
        return InputUse(name, tuple(self.sites(value, scope, line, depth)), value, scope, line, key)

    def _assigned_value(self, target: ast.Subscript) -> Optional[ast.expr]:
        return self.builder.assigned_value(target)

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
        key = (id(node), id(scope), line)
        found = self._sites_memo.get(key)
        if found is None:
            found = self._sites_memo[key] = self._sites(node, scope, line, depth)
        return found

    def _sites(self, node: ast.expr, scope: Scope, line: int, depth: int) -> List[ValueSite]:
        literal = _literal_string(node)
        if literal is not None:
            return [ValueSite(node, literal, _CALL)]
        if isinstance(node, (ast.BinOp, ast.JoinedStr)):
            # `PREFIX + "rest"`, f"{PREFIX}rest": every part is written in the code; point at the expression.
            text = self.string(node, scope, line, depth + 1)
            return [ValueSite(node, text, _CALL)] if text is not None else []
        found: List[ValueSite] = []
        if isinstance(node, (ast.List, ast.Tuple)):
            for element in node.elts:
                found.extend(self.sites(element, scope, line, depth + 1))
            return found
        if isinstance(node, ast.IfExp):  # `"a..." if DEBUG else "b..."`: either can be sent
            return [
                *self.sites(node.body, scope, line, depth + 1),
                *self.sites(node.orelse, scope, line, depth + 1),
            ]
        if isinstance(node, ast.BoolOp) and isinstance(node.op, ast.Or):
            # `os.environ.get("K") or "hf_..."`, `settings.get("k") or "..."`: any operand can be sent.
            for value in node.values:
                found.extend(self.sites(value, scope, line, depth + 1))
            last = node.values[-1]
            if _literal_string(last) is not None:
                found = [replace(s, fallback_of=node) if s.node is last else s for s in found]
            return found
        if isinstance(node, ast.Call):
            default = self.environ_default(node, scope, line)
            if default is None:
                return []
            found = self.sites(default, scope, line, depth + 1)
            if _literal_string(default) is not None:
                found = [replace(s, fallback_of=node) if s.node is default else s for s in found]
            return found
        if isinstance(node, ast.Attribute):
            held = self.self_attribute(node, scope)
            if held is not None:
                return self._binding_sites(node, held[0], held[1], depth)
            for binding, klass in self.class_attribute(node, scope, line):
                found.extend(self._binding_sites(node, binding, klass, depth))
            return found
        if isinstance(node, ast.Name):
            bindings, where = self.reaching(node.id, scope, line)
            found = []
            for binding in bindings:
                found.extend(self._binding_sites(node, binding, where, depth))
            return found
        return []

    def _binding_sites(
        self, node: Union[ast.Name, ast.Attribute], binding: Binding, where: Scope, depth: int
    ) -> List[ValueSite]:
        name = node.id if isinstance(node, ast.Name) else node.attr
        if binding.value is not None:
            if binding.kind is PARAM:
                return [
                    replace(site, origin=_DEFAULT if site.origin is _CALL else site.origin, binding=name)
                    for site in self.sites(binding.value, *value_context(binding, where), depth + 1)
                ]
            if binding.kind is ASSIGN:
                return [
                    replace(
                        site,
                        origin=_CONSTANT if site.origin is _CALL else site.origin,
                        binding=site.binding or name,
                    )
                    for site in self.sites(binding.value, *value_context(binding, where), depth + 1)
                ]
        return []

    def sites_of(self, node: Optional[ast.expr], scope: Scope, line: int) -> List[ValueSite]:
        return self.sites(node, scope, line) if node is not None else []


def function_returns(function: Union[ast.FunctionDef, ast.AsyncFunctionDef]) -> Iterator[ast.Return]:
    """The function's own `return` statements (not those of functions defined inside it)."""
    pending: List[ast.AST] = list(function.body)
    while pending:
        node = pending.pop()
        if isinstance(node, ast.Return):
            yield node
        elif not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)):
            pending.extend(ast.iter_child_nodes(node))


def _setdefault_entry(mutation: ast.AST) -> Optional[Tuple[ast.expr, Optional[ast.expr]]]:
    """`d.setdefault(key, value)`: the key and the value it puts when the key is missing."""
    if isinstance(mutation, ast.Call) and isinstance(mutation.func, ast.Attribute):
        if mutation.func.attr == "setdefault" and mutation.args:
            return mutation.args[0], argument(mutation, 1, "default")
    return None


def _literal_items(node: ast.expr) -> Optional[List[Tuple[ast.expr, ast.expr]]]:
    """The entries of `{k: v for k, v in ITEMS}` when ITEMS is written out: a list or tuple
    of pairs, or a dict literal's `.items()`."""
    if not isinstance(node, ast.DictComp) or len(node.generators) != 1:
        return None
    generator = node.generators[0]
    target = generator.target
    if generator.ifs or generator.is_async or not isinstance(target, ast.Tuple) or len(target.elts) != 2:
        return None
    key_name, value_name = target.elts
    if not (
        isinstance(key_name, ast.Name)
        and isinstance(value_name, ast.Name)
        and isinstance(node.key, ast.Name)
        and node.key.id == key_name.id
        and isinstance(node.value, ast.Name)
        and node.value.id == value_name.id
    ):
        return None
    source = generator.iter
    if (
        isinstance(source, ast.Call)
        and isinstance(source.func, ast.Attribute)
        and source.func.attr == "items"
        and isinstance(source.func.value, ast.Dict)
        and not source.args
        and all(k is not None for k in source.func.value.keys)
    ):
        return [(k, v) for k, v in zip(source.func.value.keys, source.func.value.values) if k is not None]
    if isinstance(source, (ast.List, ast.Tuple)) and all(
        isinstance(e, (ast.Tuple, ast.List)) and len(e.elts) == 2 for e in source.elts
    ):
        return [(e.elts[0], e.elts[1]) for e in source.elts if isinstance(e, (ast.Tuple, ast.List))]
    return None


def _copied_dict(node: ast.expr) -> Optional[ast.expr]:
    """`d.copy()` and `copy.copy(d)` / `copy.deepcopy(d)`: the dict copied."""
    if not isinstance(node, ast.Call) or node.keywords:
        return None
    func = node.func
    if isinstance(func, ast.Attribute) and func.attr == "copy" and not node.args:
        return func.value
    if (
        isinstance(func, ast.Attribute)
        and func.attr in ("copy", "deepcopy")
        and isinstance(func.value, ast.Name)
        and func.value.id == "copy"
        and len(node.args) == 1
    ):
        return node.args[0]
    return None


def _no_default(call: ast.Call, scope: Scope, line: int) -> Optional[ast.expr]:
    return None


def value_context(binding: Binding, where: Scope) -> Tuple[Scope, int]:
    """Where a binding's value is evaluated: before the assignment; a default, outside its function."""
    if binding.kind is PARAM:
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


def last_wins(uses: List[InputUse]) -> List[InputUse]:
    """A later key replaces an earlier one, as in the dict Python builds."""
    by_name: Dict[str, InputUse] = {}
    for use in uses:
        by_name.pop(use.name, None)
        by_name[use.name] = use
    return list(by_name.values())


def argument(call: ast.Call, position: Optional[int], keyword: str) -> Optional[ast.expr]:
    """The argument given as `keyword=` or at `position` (None: keyword-only)."""
    found = keyword_argument(call, keyword)
    if found is not None or position is None:
        return found
    positional = list(call.args)
    if any(isinstance(a, ast.Starred) for a in positional[: position + 1]):
        return None
    return positional[position] if position < len(positional) else None


def keyword_argument(call: ast.Call, name: str) -> Optional[ast.expr]:
    for keyword in call.keywords:
        if keyword.arg == name:
            return keyword.value
    return None


def subscript_key(node: ast.Subscript) -> Optional[ast.expr]:
    key = node.slice
    if isinstance(key, ast.Index):  # pragma: no cover - Python 3.8 shape
        return key.value  # type: ignore[attr-defined, no-any-return]
    return key
