"""Other modules of the project: where an import leads, and each module parsed once.

`from .config import HF_TOKEN`, `import config` then `config.KEY`, `from app.settings import
settings` then `settings.hf_token`, `from .clients import client`: a value, dict, client or
model written in another module of the same project is followed into that module. The
module is found on disk and parsed with `ast`, never imported: user code is not run.

Where imports are looked for is lint_secrets/module_paths.py's: a name found in none of
the importing file's import roots is another package's, and is not followed.

Each module is read and analysed once per `Project` (one per worker, so once per run and
process), and again only if the file changed on disk (a fix written meanwhile). A module
that can't be read or doesn't parse is `MISSING`: what it holds can't be worked out.
"""

from __future__ import annotations

import ast
import os
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Dict, List, Optional, Sequence, Tuple, Union

from lint_secrets.analysis.scopes import Scope, build_scopes
from lint_secrets.module_paths import ModulePaths

if TYPE_CHECKING:
    from lint_secrets.analysis.replicate_sdk import SdkResolver
    from lint_secrets.analysis.values import Resolver

# The line a module's names are read at from another module: after its last statement,
# as an importer sees them once the module has run.
END_OF_MODULE = 1 << 30


@dataclass
class ProjectModule:
    """A module of the project, analysed as the file being checked is."""

    path: str  # absolute, normalised
    tree: ast.Module
    resolver: Resolver
    sdk: SdkResolver
    # Expressions made up to ask this module about one of its names (`HF_TOKEN`,
    # `settings.hf_token`, `get_client()`): kept alive here, since the resolvers' memos
    # are keyed by node identity.
    _expressions: Dict[Tuple[str, Tuple[str, ...], bool], ast.expr] = field(default_factory=dict)

    @property
    def scope(self) -> Scope:
        return self.resolver.builder.module_scope

    def expression(self, name: str, attributes: Sequence[str] = (), call: bool = False) -> ast.expr:
        """`name.a.b` (called when `call`), as this module would write it after its last line."""
        key = (name, tuple(attributes), call)
        found = self._expressions.get(key)
        if found is None:
            node: ast.expr = ast.Name(id=name, ctx=ast.Load())
            for attribute in attributes:
                node = ast.Attribute(value=node, attr=attribute, ctx=ast.Load())
            if call:
                node = ast.Call(func=node, args=[], keywords=[])
            for each in ast.walk(node):
                each.lineno = each.end_lineno = END_OF_MODULE  # type: ignore[attr-defined]
                each.col_offset = each.end_col_offset = 0  # type: ignore[attr-defined]
            found = self._expressions[key] = node
        return found


class Missing:
    """An import of the project whose target can't be read: a module that doesn't parse, a
    name its module doesn't define. What it holds is not worked out (never guessed)."""

    def __repr__(self) -> str:
        return "MISSING"


MISSING = Missing()
# Where an imported name leads: the module of the project that defines it and the
# expression as that module writes it; MISSING; or None for another package's name.
Target = Union[Tuple[ProjectModule, ast.expr], Missing, None]
Imported = Tuple[int, str, Optional[str]]  # Binding.imported: (level, module, name)


class Project(ModulePaths):
    """The project's modules, found from an importing file and parsed on demand."""

    def __init__(self, root: Optional[str] = None) -> None:
        super().__init__(root)
        # path -> ((mtime_ns, size), the module or None when it can't be read or parsed)
        self._modules: Dict[str, Tuple[Tuple[int, int], Optional[ProjectModule]]] = {}
        self.parsed = 0  # modules parsed (for tests and benchmarks: each once per change)

    # -- modules
    def module(self, path: str) -> Optional[ProjectModule]:
        """The module at `path`, analysed; None when it can't be read or doesn't parse."""
        path = os.path.normpath(os.path.abspath(path))
        try:
            info = os.stat(path)
        except OSError:
            return None
        stamp = (info.st_mtime_ns, info.st_size)
        cached = self._modules.get(path)
        if cached is not None and cached[0] == stamp:
            return cached[1]
        module = self._analyse(path)
        self._modules[path] = (stamp, module)
        return module

    def _analyse(self, path: str) -> Optional[ProjectModule]:
        from lint_secrets.analysis.replicate_sdk import SdkResolver
        from lint_secrets.analysis.values import Resolver
        from lint_secrets.source import SourceError, decode_source, parse_python, read_source

        try:
            text = decode_source(read_source(path)).text
        except SourceError:
            return None
        tree = parse_python(text)
        if isinstance(tree, str):
            return None
        self.parsed += 1
        resolver = Resolver(build_scopes(tree), project=self, path=path)
        return ProjectModule(path, tree, resolver, SdkResolver(resolver))

    def follow(self, importer: str, imported: Imported, attributes: Sequence[str] = ()) -> Target:
        """Where `imported` (bound in `importer`), then `.attributes`, lead in the project."""
        level, module, name = imported
        parts = module.split(".") if module else []
        remaining = [*([name] if name is not None else []), *attributes]
        if level > 0:
            base = os.path.dirname(os.path.abspath(importer))
            for _ in range(level - 1):
                base = os.path.dirname(base)
            # Not above the importing file's top package (its own directory: a namespace package).
            top = self.package_root(importer)
            beyond = not ((base == top and level == 1) or base.startswith(top.rstrip(os.sep) + os.sep))
            if beyond or (self.module_file(base, parts) is None and not self.package_dir(base, parts)):
                return MISSING  # a relative import always names the project's own code
            return self._walk(base, parts, remaining)
        for base in self.import_roots(importer):
            if self.module_file(base, parts) is not None or self.package_dir(base, parts):
                return self._walk(base, parts, remaining)
        return None

    def _walk(self, base: str, parts: List[str], remaining: List[str]) -> Target:
        """From module `parts` under `base`, take the names in `remaining` one by one:
        a submodule, or a name the module defines (the rest is that name's attributes)."""
        while remaining:
            head, rest = remaining[0], remaining[1:]
            if self.module_file(base, [*parts, head]) is not None and not self._package_rebinds(
                base, parts, head
            ):
                parts, remaining = [*parts, head], rest
                continue
            path = self.module_file(base, parts)
            module = self.module(path) if path is not None else None
            if module is None:
                if path is None and self.package_dir(base, [*parts, head]):
                    parts, remaining = [*parts, head], rest  # namespace packages
                    continue
                return MISSING
            scope = module.scope
            if head in scope.bindings or scope.star_imports:
                return module, module.expression(head, rest)
            return MISSING
        return None  # the module object itself: not a value

    def _package_rebinds(self, base: str, parts: List[str], head: str) -> bool:
        """Whether the package `parts` binds `head` in its `__init__.py` to something other
        than its submodule `head`: after `from .settings import settings` there, the package
        attribute `settings` is the instance, not the module (the import of the submodule
        sets the attribute first, the binding then replaces it), and that is what
        `from app import settings` gets."""
        init = self.module_file(base, parts)
        if init is None or not init.endswith("__init__.py"):
            return False
        package = self.module(init)
        if package is None:
            return False
        bindings = package.scope.bindings.get(head)
        if not bindings:
            # `from .settings import *`: binds the names the module defines, `settings` too.
            return any(
                level == 1
                and self._star_defines(base, [*parts, *module.split(".")] if module else parts, head)
                for level, module in package.scope.star_imports
            )
        package_name = parts[-1] if parts else os.path.basename(base)
        return not all(_is_the_submodule(b.imported, package_name, head) for b in bindings)

    def _star_defines(self, base: str, parts: List[str], name: str) -> bool:
        """Whether `from <parts> import *` binds `name` (a public name the module defines,
        listed in its `__all__` when it has one)."""
        path = self.module_file(base, parts)
        module = self.module(path) if path is not None else None
        if module is None or name not in module.scope.bindings:
            return False
        exported = module.scope.bindings.get("__all__")
        if exported:
            listed = exported[-1].value
            if isinstance(listed, (ast.List, ast.Tuple)):
                return any(isinstance(e, ast.Constant) and e.value == name for e in listed.elts)
        return not name.startswith("_")


def _is_the_submodule(imported: Optional[Imported], package_name: str, head: str) -> bool:
    """Whether a binding made by `imported`, in package `package_name`'s `__init__.py`, is
    its own submodule `head` (`from . import head`, `from package import head`)."""
    if imported is None:
        return False
    level, module, name = imported
    if name != head:
        return False
    return module == "" if level == 1 else level == 0 and module.split(".")[-1] == package_name
