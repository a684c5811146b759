"""Plain data passed between the stages of a run: findings, fixes and errors.

Every value here is safe to print: a secret itself only ever lives in
`Fix.secret`, which is excluded from `repr` and never serialised by a reporter.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional, Tuple


@dataclass(frozen=True)
class Edit:
    """Replace the characters `start:end` of the decoded source with `replacement`."""

    start: int
    end: int
    replacement: str


@dataclass(frozen=True)
class Fix:
    """How to remove one hardcoded secret from the source."""

    edits: Tuple[Edit, ...]
    env_name: str
    description: str
    needs_os_import: bool
    secret: str = field(repr=False, compare=False)


@dataclass(frozen=True)
class Finding:
    path: str
    line: int
    column: int
    end_line: int
    end_column: int
    code: str
    message: str
    model: Optional[str] = None
    input: Optional[str] = None
    call_line: Optional[int] = None
    fix: Optional[Fix] = field(default=None, compare=False, repr=False)
    # A hash of the secret value, for baselines: never the value, never printed or compared.
    secret_digest: Optional[str] = field(default=None, compare=False, repr=False)

    @property
    def sort_key(self) -> Tuple[str, int, int, str]:
        return (self.path, self.line, self.column, self.code)


def secret_digest(secret: str) -> str:
    """A one-way digest of a secret value: what a baseline salts and hashes again."""
    import hashlib

    return hashlib.sha256(secret.encode("utf-8", "surrogatepass")).hexdigest()


@dataclass(frozen=True)
class FileError:
    """A file, config or cache entry that could not be processed."""

    path: str
    message: str
