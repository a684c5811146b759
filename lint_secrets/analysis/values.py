"""Values: what a name or expression holds, as far as the code says, with no SDK knowledge.

The strings an expression always evaluates to, the string literals a value is made of and
where each is written, and the keys and values of dicts (written out, built with `dict()`,
bound to a name and filled in before use).
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field, replace
from enum import Enum
from typing import Callable, Dict, Iterator, List, Optional, Sequence, Tuple, Union, overload

from lint_secrets.analysis.project import END_OF_MODULE, MISSING, Project, ProjectModule, Target
from lint_secrets.analysis.scopes import ASSIGN, IMPORT, PARAM, UNKNOWN, Binding, Scope, ScopeBuilder
from lint_secrets.records import Record

MAX_DEPTH = 24


class Origin(Enum):
    """Where a value's literal is written, relative to the place that uses it."""

    CALL = "call"  # in the expression itself
    CONSTANT = "constant"  # at the definition of a name the expression uses
    DEFAULT = "default"  # as the default of a parameter the expression uses
    ARGUMENT = "argument"  # in a call of the function whose parameter the expression uses


_CALL, _CONSTANT, _DEFAULT, _ARGUMENT = Origin.CALL, Origin.CONSTANT, Origin.DEFAULT, Origin.ARGUMENT


@dataclass(frozen=True, repr=False, eq=False)
class ValueSite(Record):
    """A string literal that ends up as a value, and where it is written."""

    node: ast.expr
    value: str
    origin: Origin
    binding: Optional[str] = None  # the name, for CONSTANT and DEFAULT; the function, for ARGUMENT
    # A fallback written next to a read of the value: the `os.getenv(...)` call whose default
    # it is, or the `x or "..."` expression whose last operand it is. Removing it fixes it.
    fallback_of: Optional[ast.expr] = None
    # The file the literal is written in, when it is another module of the project than the
    # one analysed (`from .config import HF_TOKEN`); None: the module analysed.
    module: Optional[str] = None


@dataclass(frozen=True, repr=False, eq=False)
class InputUse(Record):
    name: str
    sites: Tuple[ValueSite, ...]
    # The expression that gives the value, and where it is evaluated: for analyses that ask more
    # of a value than its literals (analysis/env_reads.py); `key` is the dict key or keyword.
    value: Optional[ast.expr] = field(default=None, compare=False)
    scope: Optional[Scope] = field(default=None, compare=False, repr=False)
    line: int = field(default=0, compare=False)
    key: Optional[ast.AST] = field(default=None, compare=False, repr=False)
    # Part of the value is held in the project's code where the analysis can't read it
    # (see `Resolver.opaque`): whether a literal is among it is not known.
    opaque: bool = False


class Resolver:
    """The second pass: questions about values, answered from the scopes of the first."""

    def __init__(
        self, builder: ScopeBuilder, project: Optional[Project] = None, path: Optional[str] = None
    ) -> None:
        self.builder = builder
        # The project's other modules, for values imported from them; `path` is this module's file.
        self.project = project if path is not None else None
        self.path = path or ""
        # id of a literal written in another module of the project -> that module's file
        self.foreign_nodes: Dict[int, str] = {}
        self._opaque_memo: Dict[Tuple[int, int, int], bool] = {}
        self._follow_memo: Dict[Tuple[int, Tuple[str, ...], bool], Target] = {}
        self._arguments_memo: Dict[Tuple[str, int], Tuple[List[Tuple[ast.expr, Scope, int]], bool]] = {}
        # id of a function -> the calls of it in this module: (call, its scope, positional
        # parameters the call does not give: 1 for `self.method(...)`)
        self._callers: Optional[Dict[int, List[Tuple[ast.Call, Scope, int]]]] = None
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
                # The last unconditional binding, looked for from the end: no more bindings
                # are read than are returned (a module binding a name thousands of times).
                start = next((i for i in range(len(before) - 1, -1, -1) if not before[i].conditional), 0)
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

    def class_attribute(
        self, node: ast.Attribute, scope: Scope, line: int
    ) -> List[Tuple[Binding, Scope, Resolver]]:
        """`self.X` in a method, `Settings.X`, `settings.X` with `settings = Settings(...)` (the
        class defined here or in another module of the project): the bindings of X in the
        class body (attributes, dataclass and pydantic field defaults) and `self.X = ...` in
        its methods, each with its scope and the resolver of the module that holds it."""
        klass: Optional[Scope] = None
        owner: Resolver = self
        method = scope.method_self()
        if method is not None and isinstance(node.value, ast.Name) and node.value.id == method[0]:
            klass = method[1]
        elif isinstance(node.value, (ast.Name, ast.Call)):
            binding: Optional[Binding] = None
            instance = self.instance_call(node.value, scope, line)  # `settings.key`, `Settings().key`
            if instance is not None:
                func = instance.func
                binding = self.lookup(func.id, scope, line)[0] if isinstance(func, ast.Name) else None
            elif isinstance(node.value, ast.Name):  # `Settings.KEY`
                binding = self.lookup(node.value.id, scope, line)[0]
            definition, owner = self.class_definition(binding)
            if definition is not None:
                klass = owner.scope_of(definition)
        if klass is None:
            return []
        found = [(b, klass, owner) for b in klass.bindings.get(node.attr, []) if b.kind is ASSIGN]
        found.extend(
            (b, where, owner) for b, where in klass.self_attributes.get(node.attr, []) if b.kind is ASSIGN
        )
        return found

    def constructor_keyword(
        self, node: ast.Attribute, scope: Scope, line: int
    ) -> Optional[Tuple[ast.expr, Scope, int]]:
        """`creds.key` with `creds = Creds(key=...)`, `Creds` a class of the project: the
        argument given for the field, and where it is evaluated."""
        if not isinstance(node.value, ast.Name):
            return None
        binding, where = self.lookup(node.value.id, scope, line)
        if binding is None or binding.kind is not ASSIGN or not isinstance(binding.value, ast.Call):
            return None
        made = binding.value
        given = keyword_argument(made, node.attr)
        if given is None or not isinstance(made.func, ast.Name):
            return None
        context = value_context(binding, where)
        if self.class_definition(self.lookup(made.func.id, *context)[0])[0] is None:
            return None
        return given, context[0], context[1]

    def instance_call(self, holder: ast.expr, scope: Scope, line: int) -> Optional[ast.Call]:
        """The call that made the object `holder` stands for: `Settings()` itself, or the call
        a name is bound to (`settings = Settings()`)."""
        if isinstance(holder, ast.Call):
            return holder
        if isinstance(holder, ast.Name):
            binding = self.lookup(holder.id, scope, line)[0]
            if binding is not None and binding.kind is ASSIGN and isinstance(binding.value, ast.Call):
                return binding.value
        return None

    def class_definition(self, binding: Optional[Binding]) -> Tuple[Optional[ast.ClassDef], Resolver]:
        """The class statement a binding names, here or in the module of the project it is
        imported from (`from .config import Settings`), with that module's resolver."""
        owner: Resolver = self
        if binding is not None and binding.imported is not None:
            target = self.follow_import(binding)
            if not isinstance(target, tuple) or not isinstance(target[1], ast.Name):
                return None, self
            owner = target[0].resolver
            binding = owner.lookup(target[1].id, owner.builder.module_scope, END_OF_MODULE)[0]
        if binding is not None and isinstance(binding.definition, ast.ClassDef):
            return binding.definition, owner
        return None, owner

    def self_attribute(self, node: ast.Attribute, scope: Scope) -> Optional[Tuple[Binding, Scope]]:
        """`self.client` in a method, when exactly one method of the class assigns it."""
        method = scope.method_self()
        if method is None or not isinstance(node.value, ast.Name) or node.value.id != method[0]:
            return None
        assigned = method[1].self_attributes.get(node.attr, [])
        return assigned[0] if len(assigned) == 1 else None

    # -- other modules of the project
    def imported(self, node: ast.expr, scope: Scope, line: int) -> Target:
        """`HF_TOKEN` after `from .config import HF_TOKEN`, `config.KEY` after `import config`,
        `settings.hf_token` after `from app.settings import settings`, `get_client()`: the
        project module that defines it and the expression as that module writes it; MISSING
        when the project's module can't be read or lacks the name; None otherwise."""
        if self.project is None:
            return None
        call = isinstance(node, ast.Call)
        if isinstance(node, ast.Call):  # what it returns: its arguments don't change where that is written
            node = node.func
        attributes: List[str] = []
        while isinstance(node, ast.Attribute):
            attributes.append(node.attr)
            node = node.value
        if not isinstance(node, ast.Name):
            return None
        builder = self.builder
        if node.id not in builder.imported_names and not builder.module_scope.star_imports:
            return None  # bound by no import of this module
        attributes.reverse()
        bindings, _ = self.reaching(node.id, scope, line)
        if not bindings:
            return self._star_imported(node.id, attributes, call)
        for binding in bindings:  # `try: from .config import KEY / except ImportError: ...`
            target = self.follow_import(binding, attributes, call)
            if target is not None:
                return target
        return None

    def follow_import(self, binding: Binding, attributes: Sequence[str] = (), call: bool = False) -> Target:
        """Where an import binding (then `.attributes`, called when `call`) leads in the project."""
        if self.project is None or binding.imported is None or binding.kind not in (IMPORT, UNKNOWN):
            return None
        key = (id(binding), tuple(attributes), call)
        if key in self._follow_memo:
            return self._follow_memo[key]
        target = self.project.follow(self.path, binding.imported, attributes)
        if call and isinstance(target, tuple):
            module, expression = target
            name, names = _dotted(expression)
            target = module, module.expression(name, names, call=True)
        self._follow_memo[key] = target
        return target

    def _star_imported(self, name: str, attributes: Sequence[str] = (), call: bool = False) -> Target:
        """A name this module binds nowhere, from a `from .module import *` of the project."""
        if self.project is None:
            return None
        for level, module in self.builder.module_scope.star_imports:
            target = self.project.follow(self.path, (level, module, name), attributes)
            if isinstance(target, tuple) and name in target[0].scope.bindings:
                found, expression = target
                dotted = _dotted(expression)
                return found, found.expression(dotted[0], dotted[1], call=call)
        return None

    def _tagged(self, module: ProjectModule, sites: Sequence[ValueSite]) -> List[ValueSite]:
        return self._tagged_from(module.resolver, sites)

    def _tagged_uses(self, module: ProjectModule, uses: Sequence[InputUse]) -> List[InputUse]:
        return [replace(use, sites=tuple(self._tagged(module, use.sites))) for use in uses]

    # -- callers of this module's functions
    def callers(self, function: ast.AST) -> List[Tuple[ast.Call, Scope, int]]:
        """The calls of `function` in this module (by its name, or `self.name(...)` in its
        class), with how many of its positional parameters each leaves out (`self`)."""
        if self._callers is None:
            self._callers = {}
            names = self.builder.function_names
            for call, scope in self.builder.calls:
                func = call.func
                definition: Optional[ast.stmt] = None
                shift = 0
                if isinstance(func, ast.Name):
                    if func.id not in names:
                        continue
                    binding, _ = self.lookup(func.id, scope, call.lineno)
                    definition = binding.definition if binding is not None else None
                elif isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name):
                    if func.attr not in names:
                        continue
                    method = scope.method_self()
                    if method is not None and func.value.id == method[0]:
                        defined = method[1].bindings.get(func.attr, [])
                        definition = defined[-1].definition if defined else None
                        shift = 1
                if isinstance(definition, (ast.FunctionDef, ast.AsyncFunctionDef)):
                    if shift and _is_staticmethod(definition):
                        shift = 0
                    self._callers.setdefault(id(definition), []).append((call, scope, shift))
        return self._callers.get(id(function), [])

    def caller_arguments(self, name: str, where: Scope) -> Tuple[List[Tuple[ast.expr, Scope, int]], bool]:
        """What the module's calls of the function pass as its parameter `name`, each with its
        scope and line; and whether every call says (none unpacks `*args`/`**kwargs` there)."""
        key = (name, id(where))
        memo = self._arguments_memo.get(key)
        if memo is None:
            memo = self._arguments_memo[key] = self._caller_arguments(name, where)
        return memo

    def _caller_arguments(self, name: str, where: Scope) -> Tuple[List[Tuple[ast.expr, Scope, int]], bool]:
        function = where.node
        if not isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef)):
            return [], False
        args = function.args
        positional = [*args.posonlyargs, *args.args]
        index = next((i for i, a in enumerate(positional) if a.arg == name), None)
        by_keyword = index is None or index >= len(args.posonlyargs)
        found: List[Tuple[ast.expr, Scope, int]] = []
        complete = True
        for call, scope, shift in self.callers(function):
            value: Optional[ast.expr] = None
            if index is not None and index >= shift:
                at = index - shift
                if any(isinstance(a, ast.Starred) for a in call.args[: at + 1]):
                    complete = False
                    continue
                if at < len(call.args):
                    value = call.args[at]
            if value is None and by_keyword:
                value = keyword_argument(call, name)
            if value is not None:
                found.append((value, scope, call.lineno))
            elif any(k.arg is None for k in call.keywords):
                complete = False
        return found, complete

    def _argument_sites(self, name: str, where: Scope, depth: int) -> List[ValueSite]:
        """The literals the module's calls of the function pass as its parameter `name`."""
        function = where.node
        label = function.name if isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef)) else name
        found: List[ValueSite] = []
        for value, scope, line in self.caller_arguments(name, where)[0]:
            found.extend(_as_argument(self.sites(value, scope, line, depth + 1), label))
        return found

    def _kwargs_inputs(self, where: Scope, depth: int) -> List[InputUse]:
        """`def go(**kw): ... input=kw`: the keywords the module's calls of `go` give it."""
        function = where.node
        if not isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef)):
            return []
        args = function.args
        named = {a.arg for a in [*args.args, *args.kwonlyargs]}
        uses: List[InputUse] = []
        for call, scope, _ in self.callers(function):
            found: List[InputUse] = []
            for keyword in call.keywords:
                if keyword.arg is None:
                    found.extend(self.inputs(keyword.value, scope, call.lineno, depth + 1))
                elif keyword.arg not in named:
                    found.append(self._use(keyword.arg, keyword.value, scope, call.lineno, keyword, depth))
            uses.extend(
                replace(u, sites=tuple(_as_argument(u.sites, function.name))) for u in last_wins(found)
            )
        return merged_uses(uses)

    def _kwargs_known(self, where: Scope) -> bool:
        """Whether the module's calls say every keyword `**kw` gets: the function is called
        only here (private, or nested in another function) and each call says its keywords."""
        function = where.node
        if not isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef)) or not _private(function, where):
            return False
        callers = self.callers(function)
        return bool(callers) and all(
            all(self.inputs_known(k.value, scope, call.lineno) for k in call.keywords if k.arg is None)
            for call, scope, _ in callers
        )

    def _use(
        self, name: str, value: ast.expr, scope: Scope, line: int, key: Optional[ast.AST], depth: int
    ) -> InputUse:
        sites = tuple(self.sites(value, scope, line, depth + 1))
        return InputUse(name, sites, value, scope, line, key, opaque=self.opaque(value, scope, line))

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
            return joined_fstring(node, lambda value: self.string(value, scope, line, depth + 1))
        if isinstance(node, ast.Name):
            binding, where = self.lookup(node.id, scope, line)
            if binding is not None and binding.kind is ASSIGN:
                return self.string(binding.value, *value_context(binding, where), depth + 1)
        if isinstance(node, (ast.Name, ast.Attribute)):
            target = self.imported(node, scope, line)  # `from .models import TTS`, `models.TTS`
            if isinstance(target, tuple):
                module, expression = target
                return module.resolver.string(expression, module.scope, END_OF_MODULE, depth + 1)
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
            self._inputs_memo[key] = []  # a dict built from itself (through callers) ends here
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
                    uses.append(self._use(name, value, scope, line, key, depth))
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
                    uses.append(self._use(name, value, scope, line, key, depth))
            return last_wins(uses)
        built = self._building_function(node, scope, line)
        if built is not None:  # `input=build_input(...)`: what its `return`s hand back
            function, inside = built
            uses = []
            for statement in function_returns(function):
                uses.extend(self.inputs(statement.value, inside, statement.lineno, depth + 1))
            return last_wins(uses)
        if isinstance(node, (ast.Name, ast.Attribute, ast.Call)):
            target = self.imported(node, scope, line)  # `from .config import DEFAULTS`, `config.DEFAULTS`
            if isinstance(target, tuple):
                module, expression = target
                found = module.resolver.inputs(expression, module.scope, END_OF_MODULE, depth + 1)
                return self._tagged_uses(module, found)
        if isinstance(node, ast.Name):
            binding, where = self.lookup(node.id, scope, line)
            if binding is not None and binding.kind is PARAM:
                # The parameter's default dict, and what the module's calls of the function pass.
                uses = []
                if binding.star == 2:
                    uses = self._kwargs_inputs(where, depth)
                elif not binding.star:
                    if binding.value is not None:
                        uses = self.inputs(binding.value, *value_context(binding, where), depth + 1)
                    label = (
                        where.node.name
                        if isinstance(where.node, (ast.FunctionDef, ast.AsyncFunctionDef))
                        else ""
                    )
                    for value, caller, caller_line in self.caller_arguments(node.id, where)[0]:
                        passed = self.inputs(value, caller, caller_line, depth + 1)
                        uses.extend(replace(u, sites=tuple(_as_argument(u.sites, label))) for u in passed)
                return merged_uses(uses)
            if binding is None or binding.value is None or binding.kind is not ASSIGN:
                return []
            states = self._dict_states(node.id, binding, where, depth)
            if where is scope:
                return list(_state_on(states, line))
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
                    subscript = subscript_key(mutation)
                    uses.append(self._use(key_text, assigned, where, mutation_line, subscript, depth))
            elif isinstance(mutation, ast.AugAssign):
                uses.extend(self.inputs(mutation.value, where, mutation_line, depth + 1))
            elif _setdefault_entry(mutation) is not None:
                key_node, default = _setdefault_entry(mutation) or (None, None)
                key_text = self.string(key_node, where, mutation_line)
                if key_text is not None and default is not None and all(u.name != key_text for u in uses):
                    uses.append(self._use(key_text, default, where, mutation_line, key_node, depth))
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
            self._known_memo[key] = False  # a dict built from itself (through callers) is not known
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
        if isinstance(node, (ast.Name, ast.Attribute, ast.Call)):
            target = self.imported(node, scope, line)
            if isinstance(target, tuple):
                module, expression = target
                return module.resolver.inputs_known(expression, module.scope, END_OF_MODULE, depth + 1)
        if isinstance(node, ast.Name):
            binding, where = self.lookup(node.id, scope, line)
            if binding is not None and binding.kind is PARAM:
                return self._parameter_known(node.id, binding, where, depth)
            if binding is None or binding.value is None or binding.kind is not ASSIGN:
                return False
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

    def _parameter_known(self, name: str, binding: Binding, where: Scope, depth: int) -> bool:
        """A dict parameter: its default (checked here), or, for a function only this module
        calls (private or nested), what each call passes. A public function's other callers
        are checked at their own calls."""
        if binding.star == 2:
            return self._kwargs_known(where)
        if binding.star:
            return False
        function = where.node
        default_known = binding.value is not None and self.inputs_known(
            binding.value, *value_context(binding, where), depth + 1
        )
        if not isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef)) or not _private(function, where):
            return default_known
        callers = self.callers(function)
        passed, complete = self.caller_arguments(name, where)
        if not callers or not complete or (len(passed) < len(callers) and not default_known):
            return default_known
        return all(self.inputs_known(value, caller, line, depth + 1) for value, caller, line in passed)

    def keyword_inputs(
        self, keywords: Sequence[ast.keyword], scope: Scope, line: int, depth: int = 0
    ) -> List[InputUse]:
        """Keyword arguments as dict entries: `dict(k=v)`, `f(**inputs)`."""
        uses: List[InputUse] = []
        for keyword in keywords:
            if keyword.arg is None:
                uses.extend(self.inputs(keyword.value, scope, line, depth + 1))
            else:
                uses.append(self._use(keyword.arg, keyword.value, scope, line, keyword, depth))
        return uses

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
            self._sites_memo[key] = []  # a value made from itself (through callers) ends here
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
                return self._returned_sites(node, scope, line, depth)
            found = self.sites(default, scope, line, depth + 1)
            if _literal_string(default) is not None:
                found = [replace(s, fallback_of=node) if s.node is default else s for s in found]
            return found
        if isinstance(node, ast.Subscript):  # `KEYS["hf"]`, with KEYS a dict the code writes out
            key = self.string(subscript_key(node), scope, line, depth + 1)
            if key is None:
                return []
            for use in self.inputs(node.value, scope, line, depth + 1):
                if use.name == key:
                    return list(use.sites)
            return []
        if isinstance(node, ast.Attribute):
            target = self.imported(node, scope, line)  # `config.HF_TOKEN`, `settings.hf_token`
            if isinstance(target, tuple):
                return self._foreign_sites(target, depth)
            held = self.self_attribute(node, scope)
            if held is not None:
                return self._binding_sites(node, held[0], held[1], depth)
            given = self.constructor_keyword(node, scope, line)
            if given is not None:  # `creds = Creds(key="...")`, then `creds.key`
                found.extend(self.sites(given[0], given[1], given[2], depth + 1))
            for binding, klass, owner in self.class_attribute(node, scope, line):
                if owner is self:
                    found.extend(self._binding_sites(node, binding, klass, depth))
                else:
                    found.extend(
                        self._tagged_from(owner, owner._binding_sites(node, binding, klass, depth + 1))
                    )
            return found
        if isinstance(node, ast.Name):
            bindings, where = self.reaching(node.id, scope, line)
            if not bindings:
                target = self._star_imported(node.id)
                return self._foreign_sites(target, depth) if isinstance(target, tuple) else []
            found = []
            for binding in bindings:
                found.extend(self._binding_sites(node, binding, where, depth))
            return found
        return []

    def _returned_sites(self, node: ast.Call, scope: Scope, line: int, depth: int) -> List[ValueSite]:
        """`get_key()`, a function of this module or of another of the project: the literals
        its `return`s hand back."""
        built = self._building_function(node, scope, line)
        if built is not None:
            function, inside = built
            found: List[ValueSite] = []
            for statement in function_returns(function):
                if statement.value is not None:
                    found.extend(self.sites(statement.value, inside, statement.lineno, depth + 1))
            return found
        target = self.imported(node, scope, line)
        return self._foreign_sites(target, depth) if isinstance(target, tuple) else []

    def _foreign_sites(self, target: Tuple[ProjectModule, ast.expr], depth: int) -> List[ValueSite]:
        module, expression = target
        return self._tagged(module, module.resolver.sites(expression, module.scope, END_OF_MODULE, depth + 1))

    def _tagged_from(self, owner: Resolver, sites: Sequence[ValueSite]) -> List[ValueSite]:
        """Sites another module's resolver found, marked with its file (unless further away still)."""
        tagged = []
        for site in sites:
            where = site.module or owner.path
            self.foreign_nodes[id(site.node)] = where
            tagged.append(site if site.module else replace(site, module=where))
        return tagged

    def _binding_sites(
        self, node: Union[ast.Name, ast.Attribute], binding: Binding, where: Scope, depth: int
    ) -> List[ValueSite]:
        name = node.id if isinstance(node, ast.Name) else node.attr
        if binding.imported is not None and isinstance(node, ast.Name):
            target = self.follow_import(binding)  # `from .config import HF_TOKEN`
            return self._foreign_sites(target, depth) if isinstance(target, tuple) else []
        if binding.kind is PARAM:
            # Its default, and what the module's calls of the function pass for it.
            found = self._argument_sites(name, where, depth) if not binding.star else []
            if binding.value is not None:
                found[:0] = [
                    replace(site, origin=_DEFAULT if site.origin is _CALL else site.origin, binding=name)
                    for site in self.sites(binding.value, *value_context(binding, where), depth + 1)
                ]
            return found
        if binding.value is not None:
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

    # -- what the code holds but the analysis can't read
    def opaque(self, node: ast.expr, scope: Scope, line: int, depth: int = 0) -> bool:
        """Whether part of the value is held in this project's code where the analysis can't
        read it, so a literal may be among it unseen: an entry of a dict the code writes out
        whose key isn't worked out (`KEYS[name]`) or isn't there, a name imported from a
        project module that doesn't parse or doesn't define it, a function of the project
        that returns such a value, a parameter that the module's calls pass such a value.

        Not opaque: literals, reads of the environment, a parameter no call here passes (its
        callers are checked at their calls), the result of another package's function or of
        a method of an object the code doesn't define (`getpass()`, `vault.read(...)`,
        `args.hf_token`): values that come from outside the code, not from inside it."""
        if depth > MAX_DEPTH:
            return False
        key = (id(node), id(scope), line)
        found = self._opaque_memo.get(key)
        if found is None:
            self._opaque_memo[key] = False  # a value made from itself (through callers) ends here
            found = self._opaque_memo[key] = self._opaque(node, scope, line, depth + 1)
        return found

    def _opaque(self, node: ast.expr, scope: Scope, line: int, depth: int) -> bool:
        if isinstance(node, ast.Constant):
            return False
        if isinstance(node, (ast.List, ast.Tuple, ast.Set)):
            return any(self.opaque(e, scope, line, depth) for e in node.elts)
        if isinstance(node, ast.JoinedStr):
            return any(
                self.opaque(v.value, scope, line, depth)
                for v in node.values
                if isinstance(v, ast.FormattedValue)
            )
        if isinstance(node, ast.BinOp):
            return self.opaque(node.left, scope, line, depth) or self.opaque(node.right, scope, line, depth)
        if isinstance(node, ast.IfExp):
            return self.opaque(node.body, scope, line, depth) or self.opaque(node.orelse, scope, line, depth)
        if isinstance(node, ast.BoolOp):
            return any(self.opaque(v, scope, line, depth) for v in node.values)
        if isinstance(node, ast.NamedExpr):
            return self.opaque(node.value, scope, line, depth)
        if isinstance(node, ast.Subscript):
            return self._opaque_entry(node, scope, line, depth)
        if isinstance(node, ast.Call):
            default = self.environ_default(node, scope, line)
            if default is not None:
                return self.opaque(default, scope, line, depth)
            built = self._building_function(node, scope, line)
            if built is not None:
                function, inside = built
                return any(
                    r.value is not None and self.opaque(r.value, inside, r.lineno, depth)
                    for r in function_returns(function)
                )
            return self._opaque_imported(node, scope, line, depth)
        if isinstance(node, ast.Attribute):
            target = self.imported(node, scope, line)
            if target is not None:
                return self._opaque_target(target, depth)
            held = self.self_attribute(node, scope)
            if held is not None:
                return self._opaque_binding(node.attr, held[0], held[1], depth)
            return any(
                owner._opaque_binding(node.attr, binding, klass, depth)
                for binding, klass, owner in self.class_attribute(node, scope, line)
            )
        if isinstance(node, ast.Name):
            bindings, where = self.reaching(node.id, scope, line)
            if not bindings:
                target = self._star_imported(node.id)
                return self._opaque_target(target, depth) if target is not None else False
            return any(self._opaque_binding(node.id, b, where, depth) for b in bindings)
        return False

    def _opaque_binding(self, name: str, binding: Binding, where: Scope, depth: int) -> bool:
        if binding.imported is not None:
            return self._opaque_target(self.follow_import(binding), depth)
        if binding.kind is PARAM:
            if binding.star:
                return False
            if binding.value is not None and self.opaque(
                binding.value, *value_context(binding, where), depth
            ):
                return True
            return any(
                self.opaque(value, caller, line, depth)
                for value, caller, line in self.caller_arguments(name, where)[0]
            )
        if binding.kind is ASSIGN and binding.value is not None:
            return self.opaque(binding.value, *value_context(binding, where), depth)
        return False

    def _opaque_target(self, target: Target, depth: int) -> bool:
        if target is MISSING:
            return True
        if isinstance(target, tuple):
            module, expression = target
            return module.resolver.opaque(expression, module.scope, END_OF_MODULE, depth)
        return False

    def _opaque_imported(self, node: ast.expr, scope: Scope, line: int, depth: int) -> bool:
        return self._opaque_target(self.imported(node, scope, line), depth)

    def _opaque_entry(self, node: ast.Subscript, scope: Scope, line: int, depth: int) -> bool:
        """`KEYS[...]`: opaque when KEYS is a dict the code writes out (in part at least) and
        the entry read can't be told: its key isn't worked out, or isn't among the keys."""
        uses = self.inputs(node.value, scope, line, depth)
        if not uses and not self.inputs_known(node.value, scope, line, depth):
            return False  # not a dict of the code's: `os.environ[...]`, `json.load(f)[...]`, a parameter
        key = self.string(subscript_key(node), scope, line, depth)
        if key is None:
            return True
        for use in uses:
            if use.name == key:
                return use.opaque
        return True


def _dotted(node: ast.expr) -> Tuple[str, List[str]]:
    """`name.a.b` (or `name.a.b()`) as its name and attributes."""
    if isinstance(node, ast.Call):
        node = node.func
    attributes: List[str] = []
    while isinstance(node, ast.Attribute):
        attributes.append(node.attr)
        node = node.value
    assert isinstance(node, ast.Name)
    return node.id, attributes[::-1]


def _as_argument(sites: Sequence[ValueSite], function: str) -> List[ValueSite]:
    """Literals written in a call of `function`, as passed to it."""
    return [replace(s, origin=_ARGUMENT, binding=function) if s.origin is _CALL else s for s in sites]


def merged_uses(uses: Sequence[InputUse]) -> List[InputUse]:
    """One use per input, with the sites of all: several calls may each pass the input (the
    first use's expression stands for the value). Sites are gathered once per input, so many
    calls cost linear work."""
    by_name: Dict[str, List[InputUse]] = {}
    for use in uses:
        by_name.setdefault(use.name, []).append(use)
    return [
        same[0]
        if len(same) == 1
        else replace(
            same[0],
            sites=tuple(site for use in same for site in use.sites),
            opaque=any(use.opaque for use in same),
        )
        for same in by_name.values()
    ]


def _private(function: Union[ast.FunctionDef, ast.AsyncFunctionDef], where: Scope) -> bool:
    """Called only from its own module, as far as the code says: `_name` (not `__dunder__`),
    or defined inside another function."""
    name = function.name
    if name.startswith("_") and not (name.startswith("__") and name.endswith("__")):
        return True
    parent = where.parent
    return parent is not None and isinstance(parent.node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda))


def _is_staticmethod(function: Union[ast.FunctionDef, ast.AsyncFunctionDef]) -> bool:
    return any(isinstance(d, ast.Name) and d.id == "staticmethod" for d in function.decorator_list)


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
    if isinstance(node, ast.JoinedStr):
        return joined_fstring(node, lambda _value: None)  # only when it has no fields
    return None


@overload
def joined_fstring(node: ast.JoinedStr, text_of: Callable[[ast.expr], str], unknown: str) -> str: ...


@overload
def joined_fstring(
    node: ast.JoinedStr, text_of: Callable[[ast.expr], Optional[str]], unknown: None = None
) -> Optional[str]: ...


def joined_fstring(
    node: ast.JoinedStr, text_of: Callable[[ast.expr], Optional[str]], unknown: Optional[str] = None
) -> Optional[str]:
    """The text of an f-string: its literal parts as written, each `{value}` or `{value!s}` as
    `text_of(value)` says (a str formats as itself). A part whose text is not known (`text_of`
    says None; a format spec, `!r` or `!a` changes the text) stands as `unknown`, or, without
    it, makes the whole None (text_of is not asked about the parts after it)."""
    parts: List[str] = []
    for part in node.values:
        text: Optional[str] = None
        if isinstance(part, ast.Constant) and isinstance(part.value, str):
            text = part.value
        elif isinstance(part, ast.FormattedValue) and part.format_spec is None:
            # -1: no conversion; 115, `!s`: for a str, the same text
            text = text_of(part.value) if part.conversion in (-1, 115) else None
        if text is None:
            if unknown is None:
                return None
            text = unknown
        parts.append(text)
    return "".join(parts)


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


def _state_on(states: List[Tuple[int, List[InputUse]]], line: int) -> List[InputUse]:
    """The last state whose line is `line` or before (the first state if none is): a binary
    search, since each of n mutations reading the dict asks (`d.update(d)` chains)."""
    low, high = 0, len(states)
    while low < high:
        middle = (low + high) // 2
        if states[middle][0] <= line:
            low = middle + 1
        else:
            high = middle
    return states[low - 1][1] if low else states[0][1]
