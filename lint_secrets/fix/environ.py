"""How a fix reads the environment in one module: through an import the module already has
(`os.environ`, an alias's, or `environ` itself), or through an `import os` the fix adds.

Only the fixer asks, and only for a module with a finding to fix, so detection never pays
for it: it is worked out from the module's scopes (lint_secrets/analysis/scopes.py) on the
first question and kept for the module's other fixes.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Dict, List, Optional, Sequence, Tuple

from lint_secrets.analysis.scopes import Binding, BindingKind, Scope
from lint_secrets.records import Record


@dataclass(frozen=True, repr=False, eq=False)
class EnvironAccess(Record):
    # What reads the environment through an unconditional module-level import on
    # `import_line`, bound nowhere else; None when the module has no such import.
    expression: Optional[str]
    import_line: int
    can_import_os: bool  # `os` is bound to nothing but the os module anywhere

    def at(self, line: int) -> Optional[Tuple[str, bool]]:
        """What a fix on `line` writes for `os.environ`, and whether it needs `import os`;
        None when no reading of the environment would be safe there."""
        if self.expression is not None and self.import_line < line:
            return self.expression, False
        if self.can_import_os:
            return "os.environ", True
        return None


class LazyEnvironAccess:
    """A module's EnvironAccess, worked out when a fix first asks."""

    def __init__(self, scopes: Sequence[Scope]) -> None:
        self._scopes = scopes
        self._access: Optional[EnvironAccess] = None

    def at(self, line: int) -> Optional[Tuple[str, bool]]:
        if self._access is None:
            self._access = environ_access(self._scopes)
        return self._access.at(line)


def environ_access(scopes: Sequence[Scope]) -> EnvironAccess:
    """How fixes may read the environment in the module whose scopes (the module's first)
    are given, and whether they may add `import os` instead.

    An import is reused only if nothing else binds its name in any scope: `os` rebound by
    a loop, a parameter or an `if TYPE_CHECKING:` import would make the fix read the wrong
    thing, or nothing.
    """
    candidates = {
        name: bindings[0]
        for name, bindings in scopes[0].bindings.items()
        if len(bindings) == 1
        and bindings[0].kind is BindingKind.IMPORT
        and bindings[0].top_level
        and bindings[0].qualname in ("os", "os.environ")
    }
    everywhere: Dict[str, List[Binding]] = {name: [] for name in [*candidates, "os"]}
    for scope in scopes:
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
    can_import_os = all(b.kind is BindingKind.IMPORT and b.qualname == "os" for b in everywhere["os"])
    if not choices:
        return EnvironAccess(None, 0, can_import_os)
    _, expression, line = min(choices)
    return EnvironAccess(expression, line, can_import_os)
