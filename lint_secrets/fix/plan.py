"""From the rules' fix plans to fixes: environment names, spans and edits, as plain data."""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING, Dict, List, Optional, Sequence, Set, Tuple

from lint_secrets.env_names import UniqueNames
from lint_secrets.findings import (
    DeleteStatement,
    DropArgument,
    DropFallback,
    Edit,
    Fix,
    ReplaceExpression,
    Span,
)
from lint_secrets.rules.base import (
    FIXED_NAME_PLANS,
    Candidate,
    DeleteStatementPlan,
    DropDefaultPlan,
    DropFallbackPlan,
    FixPlan,
    ReadEnvironPlan,
    ReplaceCallPlan,
)
from lint_secrets.source import LineIndex

if TYPE_CHECKING:
    from lint_secrets.analysis import Analysis


def plan_fixes(candidates: Sequence[Candidate], index: LineIndex, analysis: Analysis) -> Dict[int, Fix]:
    """The fix of each candidate (by id) that can be fixed, in source order."""
    names = UniqueNames()
    fixable = _reserve_fixed_names(candidates, names)
    fixes: Dict[int, Fix] = {}
    for candidate in candidates:
        if candidate.fix is not None and id(candidate) in fixable:
            fix = _build_fix(candidate, candidate.fix, index, analysis, names)
            if fix is not None:
                fixes[id(candidate)] = fix
    return fixes


def _reserve_fixed_names(candidates: Sequence[Candidate], names: UniqueNames) -> Set[int]:
    """Ids of the candidates that may be fixed.

    Removing a statement or a default leaves the value to the variable the client reads,
    so its name can't change: removals that would leave different values to one variable
    are left to the user, and so is a statement holding two different values
    (`os.environ[...] = A if x else B`).
    """
    values_by_statement: Dict[int, Set[str]] = {}
    values_by_name: Dict[str, Set[str]] = {}
    for candidate in candidates:
        plan = candidate.fix
        if isinstance(plan, DeleteStatementPlan):
            values_by_statement.setdefault(id(plan.node), set()).add(candidate.secret)
        if isinstance(plan, FIXED_NAME_PLANS):
            values_by_name.setdefault(plan.env_base, set()).add(candidate.secret)
    fixable: Set[int] = set()
    for candidate in candidates:
        plan = candidate.fix
        if plan is None:
            continue
        if isinstance(plan, FIXED_NAME_PLANS):
            # Two removals that leave different values to one variable: which is real is the
            # user's call. Fixing the first would only make the second fixable next run.
            if len(values_by_name[plan.env_base]) > 1:
                continue
            if isinstance(plan, DeleteStatementPlan) and len(values_by_statement[id(plan.node)]) > 1:
                continue
            if not names.reserve(plan.env_base, candidate.secret):
                continue
        fixable.add(id(candidate))
    return fixable


def span_of(node: ast.AST, index: LineIndex) -> Span:
    """The node's range in the convention of the rewrite engine (character columns)."""
    line: int = node.lineno  # type: ignore[attr-defined]
    end_line: int = node.end_lineno or line  # type: ignore[attr-defined]
    return Span(
        line,
        index.char_column(line, node.col_offset),  # type: ignore[attr-defined]
        end_line,
        index.char_column(end_line, node.end_col_offset or 0),  # type: ignore[attr-defined]
    )


def _build_fix(
    candidate: Candidate, plan: FixPlan, index: LineIndex, analysis: Analysis, names: UniqueNames
) -> Optional[Fix]:
    edit: Edit
    if isinstance(plan, (ReadEnvironPlan, ReplaceCallPlan)):
        access = environ_expression(analysis, plan.node.lineno)
        if access is None:
            return None
        environ, needs_import = access
        name = names.name(plan.env_base, candidate.secret)
        or_none = isinstance(plan, ReadEnvironPlan) and plan.or_none
        read = f'{environ}.get("{name}")' if or_none else f'{environ}["{name}"]'
        edit = ReplaceExpression(span_of(plan.node, index), read)
        return Fix(edit, name, f"Read {name} from the environment", needs_import, candidate.secret)
    if isinstance(plan, DropDefaultPlan):
        edit = DropArgument(span_of(plan.node, index))
        return Fix(edit, plan.env_base, "Remove the hardcoded default", False, candidate.secret)
    if isinstance(plan, DropFallbackPlan):
        edit = DropFallback(span_of(plan.node, index))
        return Fix(edit, plan.env_base, "Remove the hardcoded fallback", False, candidate.secret)
    edit = DeleteStatement(span_of(plan.node, index))
    description = f"Remove the statement; the client reads {plan.env_base} itself"
    return Fix(edit, plan.env_base, description, False, candidate.secret)


def environ_expression(analysis: Analysis, line: int) -> Optional[Tuple[str, bool]]:
    """What a fix on `line` writes for `os.environ`, and whether it needs `import os`;
    None when no reading of the environment would be safe there."""
    if analysis.environ_access is not None and analysis.environ_line < line:
        return analysis.environ_access, False
    if analysis.can_import_os:
        return "os.environ", True
    return None


def unique_edits(fixes: List[Fix]) -> List[Edit]:
    return list(dict.fromkeys(f.edit for f in fixes))
