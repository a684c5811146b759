"""Checking one file: bytes in, findings (and optionally a fixed text) out, as data."""

from __future__ import annotations

import contextlib
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Dict, FrozenSet, Iterator, List, Optional, Sequence, Set, Tuple

from lint_secrets.config import Config, relative_to_root
from lint_secrets.findings import FileError, Finding, secret_digest
from lint_secrets.noqa import exempt_codes, without_noqa

if TYPE_CHECKING:
    # Imported when a file needs parsing: a run over files that never mention Replicate
    # (most pre-commit runs) doesn't pay for them.
    from lint_secrets.analysis import Analysis
    from lint_secrets.rules.base import Candidate
    from lint_secrets.schemas import SchemaStore
from lint_secrets.prefilter import could_hold_findings
from lint_secrets.source import (
    LineIndex,
    SourceError,
    decode_source,
    parse_python,
    read_source,
)


@dataclass(frozen=True)
class FileResult:
    path: str
    findings: Tuple[Finding, ...] = ()
    errors: Tuple[FileError, ...] = ()
    missing_schemas: Tuple[str, ...] = ()  # `schemas pull` refs for models with no cached schema
    parsed: bool = False
    fixed: int = 0
    diff: str = ""
    env_values: Tuple[Tuple[str, str], ...] = field(default=(), repr=False)  # (NAME, secret) for --env-file


@dataclass(frozen=True)
class CheckOptions:
    config: Config
    fix: bool = False
    diff: bool = False
    describe_fixes: bool = False  # reports that show fixes (SARIF) get what each one changes
    ignore_noqa: bool = False  # --ignore-noqa: report what noqa comments would suppress


@dataclass
class Worker:
    """State kept across the files one process checks: the schema cache is read once."""

    options: CheckOptions
    _schemas: Optional[SchemaStore] = field(default=None, init=False)

    @property
    def schemas(self) -> SchemaStore:
        if self._schemas is None:
            from lint_secrets.schemas import SchemaStore

            config = self.options.config
            self._schemas = SchemaStore(
                config.cache_dir,
                declared=config.declared_secrets(),
            )
        return self._schemas

    def check_path(self, path: str) -> FileResult:
        try:
            data = read_source(path)
        except SourceError as exc:
            return FileResult(path, errors=(FileError(path, str(exc)),))
        return self.check_bytes(path, data)

    def check_bytes(self, path: str, data: bytes) -> FileResult:
        if not could_hold_findings(data):
            return FileResult(path)
        schema_errors_before = set(self.schemas.errors)
        result = self._check(path, data)
        new_errors = tuple(e for k, e in self.schemas.errors.items() if k not in schema_errors_before)
        if new_errors:
            result = FileResult(
                result.path,
                result.findings,
                result.errors + new_errors,
                result.missing_schemas,
                result.parsed,
                result.fixed,
                result.diff,
                result.env_values,
            )
        return result

    def _check(self, path: str, data: bytes) -> FileResult:
        try:
            source = decode_source(data)
        except SourceError as exc:
            return FileResult(path, errors=(FileError(path, str(exc)),))
        parsed = parse_python(source.text)
        if isinstance(parsed, str):
            return FileResult(path, errors=(FileError(path, parsed),))
        index = LineIndex(source.text)
        config = self.options.config
        codes = config.codes_for(
            relative_to_root(Path(path), config.root), Path(os.path.abspath(path)).as_posix()
        )
        if not self.options.ignore_noqa:
            codes = codes - exempt_codes(source.text)
            if not codes:
                return FileResult(path, parsed=True)
        try:
            from lint_secrets.analysis import analyze

            with _deep_recursion():
                analysis = analyze(parsed)
                findings, secrets = self._findings(path, analysis, index, codes)
                missing = self._missing(analysis)
        except RecursionError:
            return FileResult(path, errors=(FileError(path, "cannot analyse: nested too deeply"),))
        options = self.options
        if not (options.fix or options.diff or options.describe_fixes) or not any(f.fix for f in findings):
            return FileResult(path, tuple(findings), missing_schemas=missing, parsed=True)
        from lint_secrets.fix.apply import apply_fixes

        outcome = apply_fixes(
            path,
            data,
            source,
            findings,
            write=options.fix,
            redact=secrets,
            describe=options.describe_fixes and not options.fix,
        )
        return FileResult(
            path,
            tuple(outcome.remaining),
            outcome.errors,
            missing,
            True,
            outcome.fixed,
            outcome.diff,
            outcome.env_values,
        )

    def _findings(
        self, path: str, analysis: Analysis, index: LineIndex, codes: FrozenSet[str]
    ) -> Tuple[List[Finding], Set[str]]:
        """The findings, and every secret found (a diff must not show even the unfixable ones)."""
        from lint_secrets.rules import RULES
        from lint_secrets.rules.base import RuleContext

        config = self.options.config
        context = RuleContext(
            analysis,
            self.schemas,
            config.env_name_for,
            accept_unredacted={name: m.accept_unredacted for name, m in config.models.items()},
            trusted_owners=frozenset(config.trusted_owners) if config.trusted_owners is not None else None,
            credential_env_names=config.credential_env_names(),
        )
        candidates: List[Candidate] = []
        for rule in RULES:
            candidates.extend(rule().check(context))
        # Every secret, reported or not, is redacted from what a diff shows around the fixes.
        secrets = {c.secret for c in candidates}
        candidates = _one_per_literal([c for c in candidates if c.code in codes])
        if not self.options.ignore_noqa:
            candidates = without_noqa(candidates, index)
        return _to_findings(path, candidates, index, analysis), secrets

    def _missing(self, analysis: Analysis) -> Tuple[str, ...]:
        missing = []
        for call in analysis.calls:
            if call.ref is not None and self.schemas.lookup(call.ref) is None:
                missing.append(call.ref.pull_ref())
        return tuple(dict.fromkeys(missing))


@contextlib.contextmanager
def _deep_recursion(limit: int = 6000) -> Iterator[None]:
    """Room for the syntax trees `ast` builds from long `a + b + ...` chains (a few
    hundred terms nest deeper than the default limit of 1,000 frames)."""
    previous = sys.getrecursionlimit()
    sys.setrecursionlimit(max(previous, limit))
    try:
        yield
    finally:
        sys.setrecursionlimit(previous)


def _one_per_literal(candidates: Sequence[Candidate]) -> List[Candidate]:
    """One finding per literal: a rule's finding replaces those it `supersedes`."""
    from lint_secrets.rules import RULES_BY_CODE

    by_node: Dict[int, List[Candidate]] = {}
    for candidate in candidates:
        by_node.setdefault(id(candidate.node), []).append(candidate)
    chosen: List[Candidate] = []
    for group in by_node.values():
        superseded = {code for c in group for code in RULES_BY_CODE[c.code].supersedes}
        standing = [c for c in group if c.code not in superseded] or group
        chosen.append(min(standing, key=lambda c: c.code))
    return chosen


def _to_findings(
    path: str, candidates: Sequence[Candidate], index: LineIndex, analysis: Analysis
) -> List[Finding]:
    from lint_secrets.fix.plan import plan_fixes

    ordered = sorted(candidates, key=lambda c: (c.node.lineno, c.node.col_offset, c.code))
    fixes = plan_fixes(ordered, index, analysis)
    findings = []
    for candidate in ordered:
        node = candidate.node
        end_line = node.end_lineno or node.lineno
        end_col = node.end_col_offset or node.col_offset
        findings.append(
            Finding(
                path=path,
                line=node.lineno,
                column=index.char_column(node.lineno, node.col_offset) + 1,
                end_line=end_line,
                end_column=index.char_column(end_line, end_col) + 1,
                code=candidate.code,
                message=candidate.message,
                model=candidate.model,
                input=candidate.input,
                call_line=candidate.call_line,
                fix=fixes.get(id(candidate)),
                secret_digest=secret_digest(candidate.secret),
            )
        )
    return findings


__all__ = ["CheckOptions", "FileResult", "Worker", "could_hold_findings"]
