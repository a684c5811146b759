"""Checking one file: bytes in, findings (and optionally a fixed text) out, as data."""

from __future__ import annotations

import ast
import codecs
import contextlib
import os
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Dict, FrozenSet, Iterable, Iterator, List, Optional, Sequence, Set, Tuple

from lint_secrets.config import Config, relative_to_root
from lint_secrets.findings import Edit, FileError, Finding, Fix, secret_digest
from lint_secrets.noqa import exempt_codes, without_noqa

if TYPE_CHECKING:
    # Imported when a file needs parsing: a run over files that never mention Replicate
    # (most pre-commit runs) doesn't pay for them.
    from lint_secrets.resolve import Analysis
    from lint_secrets.rules import Candidate, FixPlan
    from lint_secrets.schemas import SchemaStore
from lint_secrets.source import (
    LineIndex,
    SourceError,
    decode_source,
    parse_python,
    read_source,
)

# The resolver only knows Replicate calls through an import of `replicate`; without one, a
# file can only hold a token (`r8_...`) or set REPLICATE_API_TOKEN. Anything else is never parsed.
NEEDLES = (b"r8_", b"REPLICATE_API_TOKEN")
IMPORTS_REPLICATE = re.compile(
    rb"(?:^(?:\xef\xbb\xbf)?|[\r\n;])[ \t\f]*(?:from[ \t]+replicate\b|import[ \t][^\r\n]*\breplicate\b)"
)
# UTF-16 and UTF-32 files hide every needle behind NULs; Python rejects them, and so do we, aloud.
WIDE_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE, codecs.BOM_UTF32_BE)


def could_hold_findings(data: bytes) -> bool:
    """The cheap byte-level test: only files that could hold a finding get parsed."""
    if data.startswith(WIDE_BOMS) or any(needle in data for needle in NEEDLES):
        return True
    # A plain search first: the pattern only runs on the few files that say "replicate".
    return b"replicate" in data and IMPORTS_REPLICATE.search(data) is not None


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
            from lint_secrets.resolve import analyze

            with _deep_recursion():
                analysis = analyze(parsed)
                findings, secrets = self._findings(path, analysis, index, codes)
                missing = self._missing(analysis)
        except RecursionError:
            return FileResult(path, errors=(FileError(path, "cannot analyse: nested too deeply"),))
        if not (self.options.fix or self.options.diff) or not any(f.fix for f in findings):
            return FileResult(path, tuple(findings), missing_schemas=missing, parsed=True)
        from lint_secrets.fixer import apply_fixes

        outcome = apply_fixes(path, data, source, findings, write=self.options.fix, redact=secrets)
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
        from lint_secrets.rules import RULES, EnvNamer, RuleContext

        context = RuleContext(analysis, self.schemas, EnvNamer(self.options.config.env_name_for))
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
    """One finding per literal: the most specific code wins (RS101, then RS102, then RS103)."""
    chosen: Dict[int, Candidate] = {}
    for candidate in sorted(candidates, key=lambda c: c.code):
        chosen.setdefault(id(candidate.node), candidate)
    return list(chosen.values())


def _to_findings(
    path: str, candidates: Sequence[Candidate], index: LineIndex, analysis: Analysis
) -> List[Finding]:
    ordered = sorted(candidates, key=lambda c: (c.node.lineno, c.node.col_offset, c.code))
    namer = _UniqueNames()
    fixable = _reserve_fixed_names(ordered, namer)
    bodies = _emptied_bodies(c for c in ordered if id(c) in fixable)
    findings = []
    for candidate in ordered:
        node = candidate.node
        end_line = getattr(node, "end_lineno", None) or node.lineno
        end_col = getattr(node, "end_col_offset", None) or node.col_offset
        fix = None
        if candidate.fix is not None and id(candidate) in fixable:
            fix = _build_fix(candidate, candidate.fix, index, analysis, namer, bodies)
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
                fix=fix,
                secret_digest=secret_digest(candidate.secret),
            )
        )
    return findings


# Actions after which the code relies on the variable the client reads itself: the name is fixed.
_FIXED_NAME_ACTIONS = ("delete-statement", "drop-default")


class _UniqueNames:
    """Two different secret values never share one variable name in a file.

    A value keeps the name it got first for a base; another value gets the first of
    `BASE`, `BASE_2`, `BASE_3`... that no other value holds, whichever base gave it.
    """

    def __init__(self) -> None:
        self.owners: Dict[str, str] = {}  # variable name -> the secret it holds
        self.given: Dict[Tuple[str, str], str] = {}  # (base, secret) -> variable name

    def reserve(self, name: str, value: str) -> bool:
        """Claim exactly `name` for `value`; False if another value holds it."""
        owner = self.owners.setdefault(name, value)
        if owner != value:
            return False
        self.given.setdefault((name, value), name)
        return True

    def name(self, base: str, value: str) -> str:
        if (base, value) in self.given:
            return self.given[(base, value)]
        number = 1
        while True:
            name = base if number == 1 else f"{base}_{number}"
            if self.owners.setdefault(name, value) == value:
                self.given[(base, value)] = name
                return name
            number += 1


def _reserve_fixed_names(candidates: Sequence[Candidate], namer: _UniqueNames) -> Set[int]:
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
        if plan is not None and plan.action == "delete-statement":
            values_by_statement.setdefault(id(plan.node), set()).add(candidate.secret)
        if plan is not None and plan.action in _FIXED_NAME_ACTIONS:
            values_by_name.setdefault(plan.env_base, set()).add(candidate.secret)
    fixable: Set[int] = set()
    for candidate in candidates:
        plan = candidate.fix
        if plan is None:
            continue
        if plan.action in _FIXED_NAME_ACTIONS:
            # Two removals that leave different values to one variable: which is real is the
            # user's call. Fixing the first would only make the second fixable next run.
            if len(values_by_name[plan.env_base]) > 1:
                continue
            if plan.action == "delete-statement" and len(values_by_statement[id(plan.node)]) > 1:
                continue
            if not namer.reserve(plan.env_base, candidate.secret):
                continue
        fixable.add(id(candidate))
    return fixable


def _emptied_bodies(candidates: Iterable[Candidate]) -> Dict[int, ast.stmt]:
    """Blocks whose every statement is deleted: the first one becomes `pass`."""
    deleted: Dict[int, List[ast.stmt]] = {}
    bodies: Dict[int, Tuple[ast.stmt, ...]] = {}
    for candidate in candidates:
        plan = candidate.fix
        if plan is not None and plan.action == "delete-statement" and plan.body:
            key = id(plan.body[0])  # a block is known by its first statement
            deleted.setdefault(key, []).append(plan.node)  # type: ignore[arg-type]
            bodies[key] = plan.body
    keep: Dict[int, ast.stmt] = {}
    for key, statements in deleted.items():
        body = bodies[key]
        if {id(s) for s in statements} >= {id(s) for s in body}:
            keep[id(body[0])] = body[0]
    return keep


def _build_fix(
    candidate: Candidate,
    plan: FixPlan,
    index: LineIndex,
    analysis: Analysis,
    namer: _UniqueNames,
    pass_statements: Dict[int, ast.stmt],
) -> Optional[Fix]:
    node = plan.node
    start = index.offset(node.lineno, node.col_offset)  # type: ignore[attr-defined]
    end = index.offset(node.end_lineno, node.end_col_offset)  # type: ignore[attr-defined]
    if plan.action in ("env", "env-get", "replace-call"):
        access = _environ_expression(analysis, node.lineno)  # type: ignore[attr-defined]
        if access is None:
            return None
        environ, needs_import = access
        name = namer.name(plan.env_base, candidate.secret)
        if plan.action == "replace-call" and plan.anchor is not None:
            start = index.offset(plan.anchor.lineno, plan.anchor.col_offset)  # type: ignore[attr-defined]
            end = index.offset(plan.anchor.end_lineno, plan.anchor.end_col_offset)  # type: ignore[attr-defined]
        text = f"{environ}.get({name!r})" if plan.action == "env-get" else f"{environ}[{name!r}]"
        text = text.replace("'", '"')
        return Fix(
            (Edit(start, end, text),),
            name,
            f"Read {name} from the environment",
            needs_import,
            candidate.secret,
        )
    if plan.action == "drop-default" and plan.anchor is not None:
        anchor_end = index.offset(plan.anchor.end_lineno, plan.anchor.end_col_offset)  # type: ignore[attr-defined]
        return Fix(
            (Edit(anchor_end, end, ""),),
            plan.env_base,
            "Remove the hardcoded default",
            False,
            candidate.secret,
        )
    if plan.action == "delete-statement":
        line_start = index.starts[node.lineno - 1]  # type: ignore[attr-defined]
        last_line = node.end_lineno  # type: ignore[attr-defined]
        line_end = index.starts[last_line]
        before = index.text[line_start:start]
        after = index.text[end:line_end]
        alone = not before.strip() and (not after.strip() or after.strip().startswith("#"))
        followed = after.lstrip(" \t").startswith(";") and after.split(";", 1)[1].strip()
        if id(node) in pass_statements:
            edit = Edit(start, end, "pass")
        elif alone:
            edit = Edit(line_start, line_end, "")
        elif followed:
            # `stmt; other()` -> `other()`: the statement, its `;` and the spaces after it.
            rest = after.split(";", 1)[1]
            edit = Edit(start, end + after.index(";") + 1 + len(rest) - len(rest.lstrip(" \t")), "")
        elif before.rstrip(" \t").endswith(";") and (not after.strip() or after.strip().startswith("#")):
            # `other(); stmt` -> `other()`: from the `;` to the statement's end.
            edit = Edit(line_start + len(before.rstrip(" \t")) - 1, end, "")
        else:
            edit = Edit(start, end, "pass")
        return Fix(
            (edit,),
            plan.env_base,
            f"Remove the statement; the client reads {plan.env_base} itself",
            False,
            candidate.secret,
        )
    return None


def _environ_expression(analysis: Analysis, line: int) -> Optional[Tuple[str, bool]]:
    """What a fix on `line` writes for `os.environ`, and whether it needs `import os`;
    None when no reading of the environment would be safe there."""
    if analysis.environ_access is not None and analysis.environ_line < line:
        return analysis.environ_access, False
    if analysis.can_import_os:
        return "os.environ", True
    return None


__all__ = ["CheckOptions", "FileResult", "Worker", "could_hold_findings"]
