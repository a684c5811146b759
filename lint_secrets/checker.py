"""Checking one file: bytes in, findings (and optionally a fixed text) out, as data."""

from __future__ import annotations

import ast
import contextlib
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Dict, FrozenSet, Iterator, List, Optional, Sequence, Set, Tuple

from lint_secrets.config import Config, relative_to_root
from lint_secrets.findings import FileError, Finding, Span

if TYPE_CHECKING:
    # Imported when a file needs parsing: a run over files that never mention Replicate
    # (most pre-commit runs) doesn't pay for them.
    from lint_secrets.analysis import Analysis
    from lint_secrets.rules.base import Candidate
    from lint_secrets.schemas import SchemaStore
from lint_secrets.env_names import TOKEN_ENV
from lint_secrets.prefilter import could_hold_findings
from lint_secrets.source import (
    LineIndex,
    SourceError,
    comments_by_line,
    decode_source,
    parse_python,
    read_source,
)
from lint_secrets.textscan import TextToken, scan_tokens

NOTEBOOK_SUFFIX = ".ipynb"
TOKEN_CODE = "RS103"

NOQA = re.compile(r"#\s*noqa(?::\s*(?P<codes>[A-Z]+[0-9]+(?:[,\s]+[A-Z]+[0-9]+)*))?", re.IGNORECASE)


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
            )
        return result

    def _check(self, path: str, data: bytes) -> FileResult:
        config = self.options.config
        codes = config.codes_for(relative_to_root(Path(path), config.root))
        if path.endswith(NOTEBOOK_SUFFIX):
            from lint_secrets.notebook import check_notebook

            return check_notebook(self, path, data, codes)
        scan = TOKEN_CODE in codes
        try:
            source = decode_source(data)
        except SourceError as exc:
            # Still a committed file: the tokens in it are found on its bytes.
            tokens = _without_noqa_text(scan_tokens(data) if scan else [], data.decode("utf-8", "replace"))
            found = text_findings(path, tokens, lambda _t: "in a file that cannot be read as Python")
            return FileResult(path, tuple(found), errors=(FileError(path, str(exc)),))
        tokens = _without_noqa_text(scan_tokens(data, source.encoding) if scan else [], source.text)
        parsed = parse_python(source.text)
        if isinstance(parsed, str):
            found = text_findings(path, tokens, lambda _t: "in a file that does not parse")
            return FileResult(path, tuple(found), errors=(FileError(path, parsed),))
        index = LineIndex(source.text)
        try:
            from lint_secrets.analysis import analyze

            with _deep_recursion():
                analysis = analyze(parsed)
                findings, secrets, covered = self._findings(path, analysis, index, codes)
                missing = self._missing(analysis)
        except RecursionError:
            return FileResult(path, errors=(FileError(path, "cannot analyse: nested too deeply"),))
        if tokens:
            loose = [t for t in tokens if not _covered(t, covered)]
            findings = sorted(
                findings + text_findings(path, loose, _placer(index)), key=lambda f: (f.line, f.column)
            )
            secrets.update(t.value for t in tokens)
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
            mask=_pieces_of(secrets, analysis, index),
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
    ) -> Tuple[List[Finding], Set[str], List[Span]]:
        """The findings, every secret found (a diff must not show even the unfixable ones), and
        where every candidate is, reported or not (the text scan leaves those to the rules)."""
        from lint_secrets.rules import RULES
        from lint_secrets.rules.base import RuleContext

        context = RuleContext(analysis, self.schemas, self.options.config.env_name_for)
        candidates: List[Candidate] = []
        for rule in RULES:
            candidates.extend(rule().check(context))
        # Every secret, reported or not, is redacted from what a diff shows around the fixes.
        secrets = {c.secret for c in candidates}
        covered = [_node_span(c.node, index) for c in candidates]
        candidates = _one_per_literal([c for c in candidates if c.code in codes])
        candidates = _without_noqa(candidates, index)
        return _to_findings(path, candidates, index, analysis), secrets, covered

    def _missing(self, analysis: Analysis) -> Tuple[str, ...]:
        missing = []
        for call in analysis.calls:
            if call.ref is not None and self.schemas.lookup(call.ref) is None:
                missing.append(call.ref.pull_ref())
        return tuple(dict.fromkeys(missing))


def _node_span(node: ast.expr, index: LineIndex) -> Span:
    end_line = node.end_lineno or node.lineno
    return Span(
        node.lineno,
        index.char_column(node.lineno, node.col_offset),
        end_line,
        index.char_column(end_line, node.end_col_offset or 0),
    )


def _pieces_of(secrets: Set[str], analysis: Analysis, index: LineIndex) -> List[Span]:
    """Where the literals are that a secret was made of (`A + B`, two constants): a diff
    masks them by position."""
    return [
        _node_span(node, index)
        for node in analysis.string_literals
        if len(str(node.value)) >= 4 and any(str(node.value) in secret for secret in secrets)
    ]


def _covered(token: TextToken, spans: Sequence[Span]) -> bool:
    """Whether a rule already saw the token: it starts inside a literal a rule looked at."""
    at = (token.line, token.column)
    return any((s.start_line, s.start_column) <= at < (s.end_line, s.end_column) for s in spans)


def _without_noqa_text(tokens: List[TextToken], text: str) -> List[TextToken]:
    """A `# noqa` on a token's line silences it, as it does a rule's finding."""
    if not tokens or not NOQA.search(text):
        return tokens
    index = LineIndex(text)
    return [t for t in tokens if not _suppresses(index.line_text(t.line), TOKEN_CODE)]


def _placer(index: LineIndex) -> Callable[[TextToken], str]:
    """Says where a token is written in a file that parses: a comment, or the code itself."""
    comments: Optional[Dict[int, str]] = None

    def place(token: TextToken) -> str:
        nonlocal comments
        if comments is None:
            comments = comments_by_line(index.text) or {}
        comment = comments.get(token.line)
        line = index.line_text(token.line)
        if comment is not None and line.rfind(comment) <= token.column:
            return "in a comment"
        return "in the file's text"

    return place


def text_findings(path: str, tokens: Sequence[TextToken], place: Callable[[TextToken], str]) -> List[Finding]:
    """RS103 findings for tokens found on the text: reported where they are, never rewritten
    (a comment or a broken file is not code a fix can safely change)."""
    from lint_secrets.rules.rs103_hardcoded_replicate_token import text_token_message

    findings = []
    for token in tokens:
        findings.append(
            Finding(
                path=path,
                line=token.line,
                column=token.column + 1,
                end_line=token.line,
                end_column=token.end_column + 1,
                code=TOKEN_CODE,
                message=text_token_message(token.value, place(token), token.legacy),
                input=TOKEN_ENV,
            )
        )
    return findings


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


def _noqa_lines(candidate: Candidate) -> Set[int]:
    """Where a `# noqa` counts: the literal's line, and the call's first and last lines."""
    lines = {candidate.node.lineno, candidate.call_line, candidate.call_end_line}
    return {line for line in lines if line}


def _without_noqa(candidates: Sequence[Candidate], index: LineIndex) -> List[Candidate]:
    lines = set().union(*(_noqa_lines(c) for c in candidates)) if candidates else set()
    if not any(NOQA.search(index.line_text(line)) for line in lines):
        return list(candidates)
    comments = comments_by_line(index.text) or {}
    return [
        candidate
        for candidate in candidates
        if not any(_suppresses(comments.get(line, ""), candidate.code) for line in _noqa_lines(candidate))
    ]


def _suppresses(comment: str, code: str) -> bool:
    for match in NOQA.finditer(comment):
        codes = match.group("codes")
        if codes is None:
            return True
        if code in {c.upper() for c in re.split(r"[,\s]+", codes) if c}:
            return True
    return False


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
            )
        )
    return findings


__all__ = ["CheckOptions", "FileResult", "Worker", "could_hold_findings"]
