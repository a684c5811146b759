"""From the rules' fix plans to fixes: environment names, spans and edits, as plain data."""

from __future__ import annotations

import ast
from dataclasses import replace
from typing import TYPE_CHECKING, Dict, FrozenSet, List, Mapping, Optional, Sequence, Set, Tuple, Union

from lint_secrets.env_names import UniqueNames, secret_digest
from lint_secrets.fix.edits import (
    AddImportedName,
    Applicability,
    DeleteStatement,
    DropArgument,
    DropFallback,
    Edit,
    EditGroup,
    Fix,
    FixKindName,
    ReplaceExpression,
    SimpleEdit,
    Span,
)
from lint_secrets.fix.environ import LazyEnvironAccess
from lint_secrets.fix.safety import applicability
from lint_secrets.rules.base import (
    FIXED_NAME_PLANS,
    AuthorizationHeaderPlan,
    Candidate,
    DeclareSecretPlan,
    DeleteStatementPlan,
    DropDefaultPlan,
    DropFallbackPlan,
    DropFieldDefaultPlan,
    FixPlan,
    ReadEnvironPlan,
    RemoveInputDefaultPlan,
    ReplaceCallPlan,
)
from lint_secrets.source import LineIndex

if TYPE_CHECKING:
    from lint_secrets.analysis import Analysis


def plan_fixes(
    candidates: Sequence[Candidate],
    index: LineIndex,
    analysis: Analysis,
    *,
    in_test_file: bool = False,
    assigned: Optional[Mapping[Tuple[str, str], str]] = None,
    not_fixed: Optional[Dict[int, str]] = None,
    module: Optional[ast.Module] = None,
) -> Dict[int, Fix]:
    """The fix of each candidate (by id) that can be fixed, in source order, each classed
    safe or unsafe (lint_secrets/fix/safety.py).

    `assigned` holds the names the run-level pass gave (lint_secrets/env_names.py); `not_fixed`
    receives why a candidate with a plan gets no fix, where there is something to say.
    """
    names = UniqueNames(assigned)
    fixable = _reserve_fixed_names(candidates, names)
    reads = LazyEnvironAccess(analysis.scopes)
    fixes: Dict[int, Fix] = {}
    for candidate in candidates:
        plan = candidate.fix
        if plan is None:
            continue
        if isinstance(plan, COG_PLANS):
            fixes[id(candidate)] = _cog_fix(candidate, plan, index)  # no variable to name: always unsafe
            continue
        if not plan.env_base:
            if not_fixed is not None:
                not_fixed[id(candidate)] = (
                    f"no readable environment variable name for input {candidate.input!r}; "
                    "name one in [tool.lint-secrets.env-names]"
                )
            continue
        if id(candidate) not in fixable:
            if not_fixed is not None and assigned and isinstance(plan, FIXED_NAME_PLANS):
                if assigned.get((plan.env_base, secret_digest(candidate.secret))) == "":
                    not_fixed[id(candidate)] = f"another file removes a different value of {plan.env_base}"
            continue
        fix = _build_fix(candidate, plan, index, analysis, reads, names)
        if fix is not None and module is not None and fix.kind in MAY_LEAVE_NONE:
            fix = _unless_used_at_import(fix, plan, module)
        if fix is not None:
            fixes[id(candidate)] = replace(
                fix, applicability=applicability(fix.kind, in_test_file), env_base=plan.env_base
            )
    return fixes


# Fixes after which an assignment's name may be None where the variable is unset.
MAY_LEAVE_NONE: FrozenSet[FixKindName] = frozenset({"module-constant", "drop-default", "drop-or-fallback"})


def _unless_used_at_import(fix: Fix, plan: FixPlan, module: ast.Module) -> Fix:
    """The fix, made unsafe (kind `used-at-import`) when the module works on the name it may
    leave None while being imported (lint_secrets/fix/import_time.py); its title says where."""
    from lint_secrets.fix.import_time import import_time_use

    node = getattr(plan, "node", None)
    use = import_time_use(module, node) if node is not None else None
    if use is None:
        return fix
    why = (
        f"unsafe: line {use.line} works on {use.name} when the module is imported, and "
        f"{use.name} is None there where {fix.env_name} is unset"
    )
    return replace(fix, kind="used-at-import", description=f"{fix.description} ({why})")


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
        if plan is None or isinstance(plan, COG_PLANS) or not plan.env_base:
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
    candidate: Candidate,
    plan: FixPlan,
    index: LineIndex,
    analysis: Analysis,
    reads: LazyEnvironAccess,
    names: UniqueNames,
) -> Optional[Fix]:
    edit: Edit
    if isinstance(plan, COG_PLANS):
        return _cog_fix(candidate, plan, index)
    if isinstance(plan, (ReadEnvironPlan, ReplaceCallPlan)):
        access = reads.at(plan.node.lineno)
        if access is None:
            return None
        environ, needs_import = access
        name = names.name(plan.env_base, candidate.secret)
        kind = _read_kind(plan, analysis)
        read = (
            f'{environ}["{name}"]' if kind in ("read-environ", "replace-call") else f'{environ}.get("{name}")'
        )
        edit = ReplaceExpression(span_of(plan.node, index), read)
        return Fix(edit, name, f"Read {name} from the environment", needs_import, candidate.secret, kind=kind)
    if isinstance(plan, AuthorizationHeaderPlan):
        return _header_fix(candidate, plan, index, reads, names)
    if isinstance(plan, DropFieldDefaultPlan):
        edit = DropArgument(span_of(plan.node, index))  # the value of `name: type = value`
        description = f"Remove the default: the field reads {plan.env_base} itself (and becomes required)"
        return Fix(edit, plan.env_base, description, False, candidate.secret, kind="settings-field-default")
    if isinstance(plan, DropDefaultPlan):
        edit = DropArgument(span_of(plan.node, index))
        return Fix(
            edit, plan.env_base, "Remove the hardcoded default", False, candidate.secret, kind="drop-default"
        )
    if isinstance(plan, DropFallbackPlan):
        edit = DropFallback(span_of(plan.node, index))
        return Fix(
            edit,
            plan.env_base,
            "Remove the hardcoded fallback",
            False,
            candidate.secret,
            kind="drop-or-fallback",
        )
    edit = DeleteStatement(span_of(plan.node, index))
    description = f"Remove the statement; the client reads {plan.env_base} itself"
    return Fix(edit, plan.env_base, description, False, candidate.secret, kind="delete-statement")


def _read_kind(plan: Union[ReadEnvironPlan, ReplaceCallPlan], analysis: Analysis) -> FixKindName:
    """Which FIX_KINDS entry a read of the environment is. A module-level constant reads with
    `.get()`: `os.environ[...]` would make importing the module raise where the variable is unset."""
    if isinstance(plan, ReplaceCallPlan):
        return "replace-call"
    if plan.or_none:
        return "parameter-default"
    if plan.constant and analysis.evaluated_at_import(plan.node):
        return "module-constant"
    return "read-environ"


COG_PLANS = (DeclareSecretPlan, RemoveInputDefaultPlan)
UNSAFE = Applicability.UNSAFE


def _cog_fix(candidate: Candidate, plan: DeclareSecretPlan | RemoveInputDefaultPlan, index: LineIndex) -> Fix:
    """Fixes to a cog model's inputs change what the model accepts: they are unsafe."""
    if isinstance(plan, RemoveInputDefaultPlan):
        edit: Edit
        if plan.to_none:
            edit = ReplaceExpression(span_of(plan.node, index), "None")
            description = "Make the default None"
        else:
            edit = DropArgument(span_of(plan.node, index))
            description = "Remove the default (the input becomes required)"
        return Fix(edit, "", description, False, candidate.secret, UNSAFE, kind="secret-input-default")
    annotation = plan.secret_name
    if plan.str_in_quotes is not None and isinstance(plan.str_node, ast.Constant):
        # A plain one-line literal (cog_analysis checked): its text is the value between quotes.
        start, end = plan.str_in_quotes
        text = str(plan.str_node.value)
        line = plan.str_node.lineno
        quote = index.line_text(line)[index.char_column(line, plan.str_node.col_offset)]
        annotation = f"{quote}{text[:start]}{plan.secret_name}{text[end:]}{quote}"
    parts: List[SimpleEdit] = [ReplaceExpression(span_of(plan.str_node, index), annotation)]
    parts.extend(ReplaceExpression(span_of(use, index), f"{use.id}.get_secret_value()") for use in plan.uses)
    if plan.import_from is not None:
        parts.append(AddImportedName(span_of(plan.import_from, index), "Secret"))
    description = f"Declare the input as {plan.secret_name} and read its value where it is used"
    group = EditGroup(tuple(parts))
    return Fix(group, "", description, False, candidate.secret, UNSAFE, kind="secret-annotation")


def _header_fix(
    candidate: Candidate,
    plan: AuthorizationHeaderPlan,
    index: LineIndex,
    reads: LazyEnvironAccess,
    names: UniqueNames,
) -> Optional[Fix]:
    """`"Bearer r8_..."` -> `f"Bearer {os.environ['NAME']}"`: the inner quotes differ from the
    outer ones, which every Python version accepts (reusing them needs 3.12)."""
    access = reads.at(plan.node.lineno)
    if access is None or any(c in plan.scheme for c in "{}\\'\""):
        return None
    environ, needs_import = access
    line = index.line_text(plan.node.lineno)
    opening = line[index.char_column(plan.node.lineno, plan.node.col_offset) :].lstrip("rRuUbB")[:1]
    if opening not in ("'", '"'):
        return None
    inner = "'" if opening == '"' else '"'
    name = names.name(plan.env_base, candidate.secret)
    read = f"{environ}[{inner}{name}{inner}]"
    edit = ReplaceExpression(span_of(plan.node, index), f"f{opening}{plan.scheme}{{{read}}}{opening}")
    description = f"Read {name} from the environment in the header"
    return Fix(edit, name, description, needs_import, candidate.secret, kind="header-fstring")


def unique_edits(fixes: List[Fix]) -> List[Edit]:
    return list(dict.fromkeys(f.edit for f in fixes))
