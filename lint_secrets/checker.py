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

UNRESOLVED_CALL = "RS100"  # reported as a finding only when selected; always counted


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
    # Lines of Replicate calls whose model or inputs the code doesn't say: never silently skipped.
    unresolved: Tuple[int, ...] = ()


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
                declared={name: model.secret_inputs for name, model in config.models.items()},
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
                result.unresolved,
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
                findings, secrets, unresolved = self._findings(path, analysis, index, codes)
                missing = self._missing(analysis)
        except RecursionError:
            return FileResult(path, errors=(FileError(path, "cannot analyse: nested too deeply"),))
        options = self.options
        if not (options.fix or options.diff or options.describe_fixes) or not any(f.fix for f in findings):
            return FileResult(
                path, tuple(findings), missing_schemas=missing, parsed=True, unresolved=unresolved
            )
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
            unresolved,
        )

    def _findings(
        self, path: str, analysis: Analysis, index: LineIndex, codes: FrozenSet[str]
    ) -> Tuple[List[Finding], Set[str], Tuple[int, ...]]:
        """The findings, every secret found (a diff must not show even the unfixable ones), and
        the lines of unresolved Replicate calls not acknowledged with `# noqa: RS100`."""
        from lint_secrets.rules import RULES
        from lint_secrets.rules.base import RuleContext

        context = RuleContext(analysis, self.schemas, self.options.config.env_name_for)
        candidates: List[Candidate] = []
        for rule in RULES:
            candidates.extend(rule().check(context))
        unresolved = [c for c in candidates if c.code == UNRESOLVED_CALL]
        # Every secret, reported or not, is redacted from what a diff shows around the fixes.
        secrets = {c.secret for c in candidates if c.code != UNRESOLVED_CALL}
        # Suppression comments apply to each finding before findings are merged per literal: a
        # constant used by two calls, one of them suppressed, is still reported for the other.
        selected = [c for c in candidates if c.code in codes]
        candidates = selected
        if not self.options.ignore_noqa:
            candidates = without_noqa(selected, index)
            unresolved = without_noqa(unresolved, index)
        candidates = _one_per_literal(candidates, superseding=selected)
        lines = tuple(c.node.lineno for c in unresolved)
        return _to_findings(path, candidates, index, analysis), secrets, lines

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


def _one_per_literal(candidates: Sequence[Candidate], superseding: Sequence[Candidate]) -> List[Candidate]:
    """One finding per literal: a rule's finding replaces those it `supersedes`, even when
    that finding is itself suppressed with `# noqa` (`superseding`: before suppression)."""
    from lint_secrets.rules import RULES_BY_CODE

    superseded_on: Dict[int, Set[str]] = {}
    for candidate in superseding:
        superseded_on.setdefault(id(candidate.node), set()).update(RULES_BY_CODE[candidate.code].supersedes)
    by_node: Dict[int, List[Candidate]] = {}
    for candidate in candidates:
        by_node.setdefault(id(candidate.node), []).append(candidate)
    chosen: List[Candidate] = []
    for node_id, group in by_node.items():
        superseded = superseded_on.get(node_id, set())
        standing = [c for c in group if c.code not in superseded]
        if not standing:
            continue
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
