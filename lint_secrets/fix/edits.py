"""What a fix changes: the edits the rewrite engine makes, their safety, and the fix a
finding carries.

Apart from `lint_secrets.findings` because only runs that parse a file need them: a run
over files that never mention Replicate (a pre-commit run) creates none of these classes.
A secret itself only ever lives in `Fix.secret`, which is excluded from `repr` and never
serialised by a reporter.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from typing import Literal, Tuple, Union

from lint_secrets.records import Record


@dataclass(frozen=True, repr=False, eq=False)
class Span(Record):
    """A range of the decoded source: 1-based lines, 0-based columns in characters.

    The convention of LibCST's PositionProvider, which the rewrite engine locates nodes with.
    """

    start_line: int
    start_column: int
    end_line: int
    end_column: int

    def overlaps(self, other: Span) -> bool:
        if self == other:
            return True
        return (self.start_line, self.start_column) < (other.end_line, other.end_column) and (
            other.start_line,
            other.start_column,
        ) < (self.end_line, self.end_column)


@dataclass(frozen=True, repr=False, eq=False)
class ReplaceExpression(Record):
    """Replace the expression at `span` (its outermost node) by `replacement`, a Python expression."""

    span: Span
    replacement: str


@dataclass(frozen=True, repr=False, eq=False)
class DropArgument(Record):
    """Remove the call argument whose value is at `span`, with its comma; or the value of an
    annotated assignment (`name: type = value` becomes `name: type`)."""

    span: Span


@dataclass(frozen=True, repr=False, eq=False)
class DeleteStatement(Record):
    """Remove the (small) statement at `span`, with its semicolon; an emptied block gets `pass`."""

    span: Span


@dataclass(frozen=True, repr=False, eq=False)
class AddImportedName(Record):
    """Add `name` to the `from ... import` statement at `span` (nothing when it is there already)."""

    span: Span
    name: str


@dataclass(frozen=True, repr=False, eq=False)
class DropFallback(Record):
    """Replace the `or` expression at `span` by its operands but the last (a hardcoded
    fallback), keeping the parentheses around it."""

    span: Span


# The edits one fix may make together (EditGroup holds these).
SimpleEdit = Union[ReplaceExpression, DropArgument, DeleteStatement, AddImportedName, DropFallback]


@dataclass(frozen=True, repr=False, eq=False)
class EditGroup(Record):
    """Edits that only make sense together, as one fix: a declaration changed and each use
    of it with it. Two fixes may share a part (the same name added to one import)."""

    edits: Tuple[SimpleEdit, ...]

    @property
    def span(self) -> Span:
        return self.edits[0].span


Edit = Union[ReplaceExpression, DropArgument, DeleteStatement, AddImportedName, DropFallback, EditGroup]


def edit_parts(edit: Edit) -> Tuple[SimpleEdit, ...]:
    """The simple edits `edit` is made of."""
    return edit.edits if isinstance(edit, EditGroup) else (edit,)


class Applicability(Enum):
    """ruff's fix safety: `--fix` applies safe fixes; unsafe ones need `--unsafe-fixes`."""

    SAFE = "safe"
    UNSAFE = "unsafe"


@dataclass(frozen=True, repr=False, eq=False)
class TextReplacement(Record):
    """What a fix changes in the text, as the rewrite engine made it (for SARIF `fixes`).

    Offsets and lengths count characters of the decoded source; lines and columns are 1-based.
    """

    char_offset: int
    char_length: int
    start_line: int
    start_column: int
    end_line: int
    end_column: int
    text: str


# Every kind of fix; lint_secrets.fix.safety.FIX_KINDS says which is safe, and why.
FixKindName = Literal[
    "read-environ",
    "module-constant",
    "used-at-import",
    "parameter-default",
    "replace-call",
    "drop-default",
    "delete-statement",
    "drop-or-fallback",
    "settings-field-default",
    "header-fstring",
    "secret-input-default",
    "secret-annotation",
]


@dataclass(frozen=True, repr=False, eq=False)
class Fix(Record):
    """How to remove one hardcoded secret from the source."""

    edit: Edit
    env_name: str
    description: str
    needs_os_import: bool
    secret: str = field(repr=False, compare=False)
    applicability: Applicability = Applicability.SAFE
    kind: FixKindName = "read-environ"
    # The name the rule asked for, before `_2`-style suffixes kept two values apart.
    env_base: str = ""
    # Filled only when a report shows fixes (SARIF); made by the rewrite engine.
    replacements: Tuple[TextReplacement, ...] = field(default=(), compare=False)
