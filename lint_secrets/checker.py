"""Checking one file: bytes in, findings (and optionally a fixed text) out, as data."""

from __future__ import annotations

import contextlib
import os
import sys
from bisect import bisect_right
from dataclasses import dataclass, field, replace
from itertools import accumulate
from pathlib import Path
from typing import (
    TYPE_CHECKING,
    Callable,
    Dict,
    FrozenSet,
    Iterator,
    List,
    Mapping,
    Optional,
    Sequence,
    Set,
    Tuple,
)

from lint_secrets.collector import collector_paused
from lint_secrets.config import CheckOptions, Config, relative_to_root
from lint_secrets.findings import FileError, FileResult, Finding, ImportedFinding, Position, secret_digest
from lint_secrets.fix.edits import Span
from lint_secrets.noqa import NOQA, exempt_codes, suppresses, without_noqa

if TYPE_CHECKING:
    import ast

    # Imported when a file needs parsing: a run over files that never mention Replicate
    # (most pre-commit runs) doesn't pay for them.
    from lint_secrets.analysis import Analysis, Project
    from lint_secrets.model_refs import ModelRef
    from lint_secrets.rules.base import Candidate, RuleContext
    from lint_secrets.schemas import SchemaStore
from lint_secrets.env_names import TOKEN_ENV
from lint_secrets.prefilter import could_hold_findings, imported_modules
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

UNRESOLVED_CALL = "RS100"  # reported as a finding only when selected; always counted
OUTSIDE = "outside the checked files"


@dataclass
class Worker:
    """State kept across the files one process checks: the schema cache is read once."""

    options: CheckOptions
    _schemas: Optional[SchemaStore] = field(default=None, init=False)
    _project: Optional[Project] = field(default=None, init=False)
    # The configuration's codes when no per-file-ignores can change them, and whether its root
    # marks a project: the same for every file this worker checks, worked out once.
    _codes: Optional[FrozenSet[str]] = field(default=None, init=False)
    _root_is_project: Optional[bool] = field(default=None, init=False)
    _env_names_chosen: Dict[Tuple[Optional[str], str, Optional[str]], str] = field(
        default_factory=dict, init=False
    )
    # Whether each directory's files are under a test directory of their project (`in_test_file`).
    _test_directories: Dict[str, bool] = field(default_factory=dict, init=False)

    @property
    def project(self) -> Project:
        """The project's other modules, parsed once each for every file this worker checks."""
        if self._project is None:
            from lint_secrets.analysis import Project

            self._project = Project(str(self.options.config.root))
        return self._project

    @property
    def schemas(self) -> SchemaStore:
        if self._schemas is None:
            from lint_secrets.schemas import SchemaStore

            config = self.options.config
            self._schemas = SchemaStore(
                config.cache_dir,
                declared=config.declared_secrets(),
                base=config.root,
            )
        return self._schemas

    def check_path(self, path: str) -> FileResult:
        try:
            data = read_source(path)
        except SourceError as exc:
            return FileResult(path, errors=(FileError(path, str(exc)),))
        return self.check_bytes(path, data)

    def check_bytes(self, path: str, data: bytes) -> FileResult:
        if not could_hold_findings(data) and path not in self.options.imported:
            return FileResult(path)
        schema_errors_before = set(self.schemas.errors)
        # The cyclic garbage collector waits until the file is done: what a file's check
        # allocates lives until then (its tree, scopes, memos), and the collector's passes would
        # walk all of it again and again (for a 5 MB file, about 40 % of the run's time).
        with collector_paused():
            result = self._check(path, data)
        if b"noqa" in data and not self.options.ignore_noqa:
            from lint_secrets.noqa import malformed_file_noqa

            warnings = malformed_file_noqa(data.decode("utf-8", "replace"))
            if warnings:
                result = replace(result, notes=result.notes + tuple(f"{path}:{w}" for w in warnings))
        new_errors = tuple(e for k, e in self.schemas.errors.items() if k not in schema_errors_before)
        if new_errors:
            result = replace(result, errors=result.errors + new_errors)
        return result

    def _check(self, path: str, data: bytes) -> FileResult:
        codes = self._codes_for(path)
        if path.endswith(NOTEBOOK_SUFFIX):
            from lint_secrets.notebook import check_notebook

            return check_notebook(self, path, data, codes)
        outside = path in self.options.outside
        scan = TOKEN_CODE in codes and not outside
        try:
            source = decode_source(data)
        except SourceError as exc:
            # Still a committed file: the tokens in it are found on its bytes.
            tokens = _without_noqa_text(scan_tokens(data) if scan else [], data.decode("utf-8", "replace"))
            found = text_findings(path, tokens, lambda _t: "in a file that cannot be read as Python")
            return FileResult(path, tuple(found), errors=(FileError(path, str(exc)),))
        if not self.options.ignore_noqa:
            codes = codes - exempt_codes(source.text)
            if not codes:
                return FileResult(path, parsed=True)
            scan = TOKEN_CODE in codes and not outside
        tokens = scan_tokens(data, source.encoding) if scan else []
        if not self.options.ignore_noqa:
            tokens = _without_noqa_text(tokens, source.text)
        parsed = parse_python(source.text)
        if isinstance(parsed, str):
            found = text_findings(path, tokens, lambda _t: "in a file that does not parse")
            return FileResult(path, tuple(found), errors=(FileError(path, parsed),))
        index = LineIndex(source.text)
        try:
            from lint_secrets.analysis import analyze

            with _deep_recursion():
                analysis = analyze(parsed, path, self.project)
                imported = imported_modules(data)
                findings, secrets, covered, unresolved, exported = self._findings_and_exports(
                    path, analysis, index, codes, parsed, imported
                )
                notes = self._config_notes(analysis) if "RS104" in codes and not outside else ()
                missing = self._missing(analysis) if not outside else ()
                models = tuple(dict.fromkeys(call.ref for call in analysis.calls if call.ref is not None))
                imports_replicate = "replicate" in imported
        except RecursionError:
            return FileResult(path, errors=(FileError(path, "cannot analyse: nested too deeply"),))
        if outside:
            # Reported for the calls of the checked files, not checked itself, and not fixed.
            findings = [replace(f, fix=None, not_fixed=OUTSIDE) if f.fix else f for f in findings]
            return FileResult(path, tuple(findings), parsed=True)
        if tokens:
            seen = _covering(covered)
            loose = [t for t in tokens if not seen(t)]
            findings = sorted(
                findings + text_findings(path, loose, _placer(index)), key=lambda f: (f.line, f.column)
            )
            secrets.update(t.value for t in tokens)
        options = self.options
        if not (options.fix or options.diff or options.describe_fixes) or not any(f.fix for f in findings):
            return FileResult(
                path,
                tuple(findings),
                missing_schemas=missing,
                models=models,
                parsed=True,
                unresolved=unresolved,
                notes=notes,
                exported=exported,
                imports_replicate=imports_replicate,
            )
        from lint_secrets.fix.apply import apply_fixes

        outcome = apply_fixes(
            path,
            data,
            source,
            findings,
            write=options.fix and not options.defer_writes,
            redact=secrets,
            describe=options.describe_fixes and not options.fix,
            defer=options.fix and options.defer_writes,
            # A report that shows fixes shows the unsafe ones too, marked as such.
            unsafe_fixes=options.unsafe_fixes
            or (options.describe_fixes and not (options.fix or options.diff)),
            mask=_pieces_of(secrets, analysis, index),
        )
        return FileResult(
            path,
            tuple(outcome.remaining),
            outcome.errors,
            missing_schemas=missing,
            models=models,
            parsed=True,
            fixed=outcome.fixed,
            fixed_codes=outcome.fixed_codes,
            diff=outcome.diff,
            env_values=outcome.env_values,
            pending=outcome.pending,
            unresolved=unresolved,
            notes=notes,
            exported=exported,
            imports_replicate=imports_replicate,
        )

    def _codes_for(self, path: str) -> FrozenSet[str]:
        config = self.options.config
        if config.per_file_ignores:
            return config.codes_for(
                relative_to_root(Path(path), config.root), Path(os.path.abspath(path)).as_posix()
            )
        if self._codes is None:
            self._codes = config.codes_for("")
        return self._codes

    def _findings(
        self,
        path: str,
        analysis: Analysis,
        index: LineIndex,
        codes: FrozenSet[str],
        module: ast.Module,
        imported: FrozenSet[str],
    ) -> Tuple[List[Finding], Set[str], List[Span], Tuple[int, ...]]:
        """`_findings_and_exports` without the exports (notebooks are not imported)."""
        return self._findings_and_exports(path, analysis, index, codes, module, imported)[:4]

    def _findings_and_exports(
        self,
        path: str,
        analysis: Analysis,
        index: LineIndex,
        codes: FrozenSet[str],
        module: ast.Module,
        imported: FrozenSet[str],
    ) -> Tuple[List[Finding], Set[str], List[Span], Tuple[int, ...], Tuple[ImportedFinding, ...]]:
        """The findings, every secret found (a diff must not show even the unfixable ones),
        where every candidate is, reported or not (the text scan leaves those to the rules),
        the lines of unresolved Replicate calls not acknowledged with `# noqa: RS100`, and
        the findings on literals written in other modules, for those modules."""
        from lint_secrets.rules import RULES
        from lint_secrets.rules.base import RuleContext

        config = self.options.config
        context = RuleContext(
            analysis,
            self.schemas,
            config.env_name_for,
            module,
            imported,
            accept_unredacted={name: m.accept_unredacted for name, m in config.models.items()},
            trusted_owners=frozenset(config.trusted_owners) if config.trusted_owners is not None else None,
            credential_env_names=config.credential_env_names(),
            non_credential_env_names=config.non_secret_env_names,
            env_names_chosen=self._env_names_chosen,
        )
        candidates: List[Candidate] = []
        for rule in RULES:
            candidates.extend(rule().check(context))
        exported: Tuple[ImportedFinding, ...] = ()
        if analysis.foreign_nodes:
            foreign = [c for c in candidates if id(c.node) in analysis.foreign_nodes]
            candidates = [c for c in candidates if id(c.node) not in analysis.foreign_nodes]
            exported = self._exported(path, foreign, analysis, index)
        if path in self.options.outside:
            candidates = []  # not checked itself: only what the checked files' calls find here
        from_others = self.options.imported.get(path, ())
        if from_others:
            candidates.extend(_imported_candidates(from_others, module, context))
        unresolved = [c for c in candidates if c.code == UNRESOLVED_CALL]
        # Every secret, reported or not, is redacted from what a diff shows around the fixes.
        secrets = {c.secret for c in candidates if c.code != UNRESOLVED_CALL}
        covered = [_node_span(c.node, index) for c in candidates if c.code != UNRESOLVED_CALL]
        # Suppression comments apply to each finding before findings are merged per literal: a
        # constant used by two calls, one of them suppressed, is still reported for the other.
        selected = [c for c in candidates if c.code in codes]
        candidates = selected
        if not self.options.ignore_noqa:
            candidates = without_noqa(selected, index)
            unresolved = without_noqa(unresolved, index)
        candidates = _one_per_literal(_one_per_value(candidates, superseding=selected), superseding=selected)
        lines = tuple(c.node.lineno for c in unresolved)
        if not candidates:  # most files that call Replicate: nothing to place or to plan a fix for
            return [], secrets, covered, lines, exported
        from lint_secrets.fix.safety import in_test_file as test_file

        if self._root_is_project is None:
            self._root_is_project = _marks_project(config)
        in_test_file = test_file(path, config.root, self._root_is_project, self._test_directories)
        assigned = {(base, digest): name for base, digest, name in self.options.run_env_names.get(path, ())}
        findings = _to_findings(path, candidates, index, analysis, in_test_file, assigned, module)
        return findings, secrets, covered, lines, exported

    def _exported(
        self, path: str, foreign: Sequence[Candidate], analysis: Analysis, index: LineIndex
    ) -> Tuple[ImportedFinding, ...]:
        """Candidates on literals written in other modules, as data for those modules. A
        `# noqa` on this file's call counts for that call's candidate (the literal's own line
        is in the other file, whose comments count there)."""
        if not self.options.ignore_noqa:
            foreign = _without_call_noqa(foreign, index)
        exported = []
        for candidate in foreign:
            node, site = candidate.node, candidate.site
            call_line = candidate.call_line if candidate.code != TOKEN_CODE else None
            if call_line is not None and f" call on line {call_line})" in candidate.message:
                message = candidate.message.replace(
                    f" call on line {call_line})", f" call at {path}:{call_line})"
                )
            else:
                message = f"{candidate.message} (used in {path})"
            fallback = site.fallback_of if site is not None else None
            exported.append(
                ImportedFinding(
                    analysis.foreign_nodes[id(node)],
                    _position(node),
                    candidate.code,
                    message,
                    candidate.secret,
                    model=candidate.model,
                    input=candidate.input,
                    origin=site.origin.value if site is not None and candidate.fix is not None else None,
                    binding=site.binding if site is not None else None,
                    fallback=_position(fallback) if fallback is not None else None,
                    source=path,
                )
            )
        return tuple(exported)

    def _config_notes(self, analysis: Analysis) -> Tuple[str, ...]:
        """What the file's calls show to be wrong in the configuration (accept-unredacted typos)."""
        config = self.options.config
        accepted = {name: m.accept_unredacted for name, m in config.models.items() if m.accept_unredacted}
        if not accepted or not analysis.calls:
            return ()
        from lint_secrets.rules.base import RuleContext
        from lint_secrets.rules.rs104_secret_to_unredacted_input import accept_unredacted_notes

        return tuple(accept_unredacted_notes(RuleContext(analysis, self.schemas, accept_unredacted=accepted)))

    def _missing(self, analysis: Analysis) -> Tuple[ModelRef, ...]:
        missing = []
        for call in analysis.calls:
            if call.ref is not None and self.schemas.lookup(call.ref) is None:
                missing.append(call.ref)
        return tuple(dict.fromkeys(missing))


def _marks_project(config: Config) -> bool:
    """Whether the configuration's root is a project's (a configuration file or a pyproject.toml
    is there), not the current directory a run falls back to."""
    return config.config_file is not None or (config.root / "pyproject.toml").is_file()


def _position(node: ast.expr) -> Position:
    return (node.lineno, node.col_offset, node.end_lineno or node.lineno, node.end_col_offset or 0)


def _without_call_noqa(candidates: Sequence[Candidate], index: LineIndex) -> List[Candidate]:
    """Drop the candidates whose call's first or last line says `# noqa: CODE`."""
    if not NOQA.search(index.text):
        return list(candidates)
    comments = comments_by_line(index.text) or {}
    return [
        c
        for c in candidates
        if not any(suppresses(comments.get(line or 0, ""), c.code) for line in (c.call_line, c.call_end_line))
    ]


def _imported_candidates(
    imported: Sequence[ImportedFinding], module: ast.Module, context: RuleContext
) -> List[Candidate]:
    """The findings other files' calls make here, as this file's candidates: located in this
    file's own tree, their fix rebuilt here (its names come from this file's code and config)."""
    import ast

    from lint_secrets.analysis import Origin, ValueSite
    from lint_secrets.env_names import TOKEN_ENV
    from lint_secrets.rules.base import Candidate, DropFieldDefaultPlan, FixPlan, settings_field, value_fix

    wanted = {f.position for f in imported} | {f.fallback for f in imported if f.fallback is not None}
    located: Dict[Position, ast.expr] = {}
    for each in ast.walk(module):
        if isinstance(each, ast.expr):
            position = _position(each)
            if position in wanted:
                located.setdefault(position, each)  # the outermost node at that place
    candidates = []
    for finding in sorted(imported, key=lambda f: (f.source, f.message)):
        node = located.get(finding.position)
        if node is None:
            continue  # the file changed since the call's file was checked
        fix: Optional[FixPlan] = None
        if finding.origin is not None:
            fallback = located.get(finding.fallback) if finding.fallback is not None else None
            site = ValueSite(
                node, finding.secret, Origin(finding.origin), finding.binding, fallback_of=fallback
            )
            field = settings_field(context, site)
            if field is not None:  # a pydantic settings field's default: the default goes
                fix = DropFieldDefaultPlan(node, field)
            elif finding.input == TOKEN_ENV:
                fix = value_fix(site, TOKEN_ENV)
            else:
                model_name = finding.model.model_name if finding.model is not None else None
                fix = value_fix(site, context.env_name_for(model_name, finding.input or "", site))
        candidates.append(
            Candidate(
                finding.code,
                node,
                finding.secret,
                finding.message,
                model=finding.model,
                input=finding.input,
                fix=fix,
            )
        )
    return candidates


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


def _covering(spans: Sequence[Span]) -> Callable[[TextToken], bool]:
    """Says whether a rule already saw a token: it starts inside a literal a rule looked at.

    The spans are sorted once and searched by bisection: testing each token against every
    span grew as tokens x literals (a 20 MB file: tens of millions of comparisons)."""
    ordered = sorted(spans, key=lambda s: (s.start_line, s.start_column))
    starts = [(s.start_line, s.start_column) for s in ordered]
    # The furthest end of the spans starting at or before each one: spans may nest or overlap.
    reach = list(accumulate(((s.end_line, s.end_column) for s in ordered), max))

    def covered(token: TextToken) -> bool:
        at = (token.line, token.column)
        before = bisect_right(starts, at)
        return before > 0 and at < reach[before - 1]

    return covered


def _without_noqa_text(tokens: List[TextToken], text: str) -> List[TextToken]:
    """A `# noqa` on a token's line silences it, as it does a rule's finding."""
    if not tokens or not NOQA.search(text):
        return tokens
    index = LineIndex(text)
    return [t for t in tokens if not suppresses(index.line_text(t.line), TOKEN_CODE)]


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


def _one_per_value(candidates: Sequence[Candidate], superseding: Sequence[Candidate]) -> List[Candidate]:
    """One finding per value sent to an input: a rule's finding on it goes when a rule it
    `yields_to` has a finding on a literal sent to that input of that call (before suppression,
    as for `_one_per_literal`)."""
    from lint_secrets.rules import RULES_BY_CODE

    def sent_to(
        candidate: Candidate,
    ) -> Tuple[Optional[int], Optional[int], Optional[ModelRef], Optional[str]]:
        return candidate.call_line, candidate.call_end_line, candidate.model, candidate.input

    literal_codes: Dict[Tuple[Optional[int], Optional[int], Optional[ModelRef], Optional[str]], Set[str]] = {}
    for candidate in superseding:
        if candidate.input is not None and candidate.call_line is not None:
            literal_codes.setdefault(sent_to(candidate), set()).add(candidate.code)
    return [
        c
        for c in candidates
        if not (set(RULES_BY_CODE[c.code].yields_to) & literal_codes.get(sent_to(c), set()))
    ]


def _to_findings(
    path: str,
    candidates: Sequence[Candidate],
    index: LineIndex,
    analysis: Analysis,
    in_test_file: bool,
    assigned: Mapping[Tuple[str, str], str],
    module: Optional[ast.Module] = None,
) -> List[Finding]:
    from lint_secrets.fix.plan import plan_fixes

    ordered = sorted(candidates, key=lambda c: (c.node.lineno, c.node.col_offset, c.code))
    not_fixed: Dict[int, str] = {}
    fixes = plan_fixes(
        ordered,
        index,
        analysis,
        in_test_file=in_test_file,
        assigned=assigned,
        not_fixed=not_fixed,
        module=module,
    )
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
                not_fixed=not_fixed.get(id(candidate)),
            )
        )
    return findings


__all__ = ["CheckOptions", "FileResult", "Worker", "could_hold_findings"]
