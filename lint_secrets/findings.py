"""Plain data passed between the stages of a run: findings, fixes and errors.

Every value here is safe to print: a secret itself only ever lives in
`Fix.secret`, which is excluded from `repr` and never serialised by a reporter.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Optional, Tuple

from lint_secrets.records import Record

if TYPE_CHECKING:
    from lint_secrets.fix.edits import Fix
    from lint_secrets.model_refs import ModelRef


@dataclass(frozen=True, repr=False, eq=False)
class Finding(Record):
    path: str
    line: int
    column: int
    end_line: int
    end_column: int
    code: str
    message: str
    model: Optional[ModelRef] = None  # shown as ModelRef.display() says
    input: Optional[str] = None
    call_line: Optional[int] = None
    fix: Optional[Fix] = field(default=None, compare=False, repr=False)
    # A hash of the secret value, for baselines: never the value, never printed or compared.
    secret_digest: Optional[str] = field(default=None, compare=False, repr=False)
    # Why a finding that has a fix was left unfixed ("not fixed: ..."), when it was.
    not_fixed: Optional[str] = field(default=None, compare=False)
    # In a notebook: the cell (1-based, every cell counted), `line` counting within it, and
    # where in the .ipynb file's own text the finding is (for SARIF and GitHub annotations).
    cell: Optional[int] = None
    file_position: Optional[Tuple[int, int]] = None

    @property
    def fixable(self) -> bool:
        return self.fix is not None and self.not_fixed is None

    @property
    def sort_key(self) -> Tuple[str, int, int, int, str]:
        return (self.path, self.cell or 0, self.line, self.column, self.code)


def secret_digest(secret: str) -> str:
    """A one-way digest of a secret value: what a baseline salts and hashes again."""
    import hashlib

    return hashlib.sha256(secret.encode("utf-8", "surrogatepass")).hexdigest()


@dataclass(frozen=True, repr=False, eq=False)
class FileError(Record):
    """A file, config or cache entry that could not be processed."""

    path: str
    message: str


@dataclass(frozen=True, repr=False, eq=False)
class FixOutcome(Record):
    """What fixing one file came to: the findings left, and what was (or would be) written."""

    remaining: Tuple[Finding, ...]
    errors: Tuple[FileError, ...] = ()
    fixed: int = 0
    diff: str = ""
    env_values: Tuple[Tuple[str, str], ...] = field(default=(), repr=False)
    pending: Optional[PendingWrite] = field(default=None, repr=False)
    fixed_codes: Tuple[str, ...] = ()  # the code of each finding fixed, for the summary's nouns


@dataclass(frozen=True, repr=False, eq=False)
class PendingWrite(Record):
    """A fix made but not yet written (`--env-file` saves the values first, in the parent)."""

    path: str
    expected: bytes  # what the file must still hold
    data: bytes
    remaining: Tuple[Finding, ...]  # the findings once it is written
    fixed: int
    fixed_codes: Tuple[str, ...] = ()


@dataclass(frozen=True, repr=False, eq=False)
class FileResult(Record):
    """Everything one file came to: its findings and errors, and what fixing it did."""

    path: str
    findings: Tuple[Finding, ...] = ()
    errors: Tuple[FileError, ...] = ()
    missing_schemas: Tuple[ModelRef, ...] = ()  # models the file names that have no cached schema
    models: Tuple[ModelRef, ...] = ()  # every model the file's Replicate calls target, first seen first
    parsed: bool = False
    fixed: int = 0
    diff: str = ""
    env_values: Tuple[Tuple[str, str], ...] = field(default=(), repr=False)  # (NAME, secret) for --env-file
    pending: Optional[PendingWrite] = field(default=None, repr=False)  # a fix made, to write later
    notes: Tuple[str, ...] = ()  # what the run-level naming pass has to say about this file
    # Lines of Replicate calls whose model or inputs the code doesn't say: never silently skipped.
    unresolved: Tuple[int, ...] = ()
    fixed_codes: Tuple[str, ...] = ()  # the code of each finding fixed (`fixed` of them)
    # Findings this file's calls make on literals written in other modules of the project
    exported: Tuple[ImportedFinding, ...] = field(default=(), repr=False)
    imports_replicate: bool = False  # by the prefilter's byte test: its names can be Replicate's


Position = Tuple[int, int, int, int]  # an ast node's lineno, col_offset, end_lineno, end_col_offset


@dataclass(frozen=True, repr=False, eq=False)
class ImportedFinding(Record):
    """A finding that a Replicate call in one file makes on a literal written in another
    module of the project (`from .config import HF_TOKEN`): it is reported, and fixed, in
    that module, at the literal, under that module's configuration (the runner's second pass)."""

    path: str  # the module the literal is written in (absolute)
    position: Position  # the literal (or the expression made of literals)
    code: str
    message: str  # names the call: "(run call at app.py:12)"
    secret: str = field(repr=False)
    model: Optional[ModelRef] = None
    input: Optional[str] = None
    # How the literal is held, to rebuild its fix there: the Origin's value, the name holding
    # it, and where the `os.getenv(..., "...")` / `x or "..."` it is the fallback of is written.
    origin: Optional[str] = None
    binding: Optional[str] = None
    fallback: Optional[Position] = None
    source: str = ""  # the file of the call
