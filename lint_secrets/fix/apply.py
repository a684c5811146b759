"""Applying fixes: one LibCST rewrite per file, checked, diffed, and written atomically.

Only the edited nodes change: line endings, a BOM, the encoding, a missing final newline
and the file mode are carried over. A result that doesn't compile is never written.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import replace
from typing import Iterable, List, Optional, Sequence, Set, Tuple

from lint_secrets.atomic import UnsafeWrite, replace_checked
from lint_secrets.catalog import UNMASKED_CODES
from lint_secrets.findings import FileError, Finding, FixOutcome, PendingWrite
from lint_secrets.fix.edits import (
    Applicability,
    Edit,
    ReplaceExpression,
    SimpleEdit,
    Span,
    TextReplacement,
    edit_parts,
)
from lint_secrets.fix.rewrite import RewriteFailure, Rewriter, RewriteSuccess, compile_problem
from lint_secrets.redact import ELLIPSIS, VISIBLE_PREFIX, redact, redact_all, redact_token_shapes
from lint_secrets.source import LineIndex, Source


class FixError(Exception):
    pass


def choose(findings: Sequence[Finding], *, unsafe_fixes: bool = False) -> List[Finding]:
    """The findings whose fixes are applied together: the first of two that overlap wins;
    two findings whose fixes are the same edit (two literals in one removed statement) both go.
    Unsafe fixes only with `unsafe_fixes`."""
    chosen: List[Finding] = []
    edits: List[Edit] = []
    parts: List[SimpleEdit] = []
    for finding in findings:
        if finding.fix is None:
            continue
        if finding.fix.applicability is Applicability.UNSAFE and not unsafe_fixes:
            continue
        edit = finding.fix.edit
        if edit in edits:
            chosen.append(finding)
            continue
        # A part two fixes share (one name added to one import) is no collision.
        if any(p != q and p.span.overlaps(q.span) for p in edit_parts(edit) for q in parts):
            continue
        chosen.append(finding)
        edits.append(edit)
        parts.extend(edit_parts(edit))
    return chosen


def apply_fixes(
    path: str,
    original: bytes,
    source: Source,
    findings: Sequence[Finding],
    *,
    write: bool,
    redact: Iterable[str] = (),
    describe: bool = False,
    defer: bool = False,
    allow_top_level_await: bool = False,
    unsafe_fixes: bool = False,
    mask: Sequence[Span] = (),
) -> FixOutcome:
    """Apply every fix that doesn't collide with another; write the file when `write`.

    Without `write` (`--diff`, SARIF) nothing is fixed: every finding remains, and with
    `describe` each fix says what it changes. The diff masks every finding's range and
    `mask` (the literals the secrets were made of); messages redact the removed secrets
    and `redact` (secrets left in the file).
    """
    chosen = choose(findings, unsafe_fixes=unsafe_fixes)
    if not chosen:
        return FixOutcome(tuple(findings))
    secrets = [f.fix.secret for f in findings if f.fix is not None] + list(redact)
    edits = list(dict.fromkeys(f.fix.edit for f in chosen if f.fix is not None))
    rewriter = Rewriter.parse(source.text)
    if isinstance(rewriter, RewriteFailure):
        # A file LibCST can't reproduce is not broken: its findings stay, each saying why.
        reason = redact_all(rewriter.reason, secrets)
        return FixOutcome(tuple(_not_fixed(f, reason) for f in findings))
    result = rewriter.apply(
        edits, add_import_os=any(f.fix is not None and f.fix.needs_os_import for f in chosen)
    )
    if isinstance(result, RewriteSuccess):
        problem = compile_problem(result.text, path, allow_top_level_await=allow_top_level_await)
        if problem is not None:
            result = RewriteFailure(f"the fixed code would not compile ({problem})")
    if isinstance(result, RewriteFailure):
        reason = redact_all(result.reason, secrets)
        return FixOutcome(tuple(findings), (FileError(path, f"fix not applied: {reason}"),))
    text = result.text
    if describe:
        described = describe_fixes(rewriter, findings, chosen)
        chosen_ids = {id(f) for f in chosen}
        chosen = [new for old, new in zip(findings, described) if id(old) in chosen_ids]
        findings = described
    # RS201 points at a type's name (`"str"`), no secret: shown as written, as `full` shows it.
    spans = [finding_span(f) for f in findings if f.code not in UNMASKED_CODES] + list(mask)
    diff = redacted_diff(f"a/{path}", f"b/{path}", source.text, text, spans, secrets)
    env_values = tuple(
        # A fix with no variable (to a cog model's inputs) takes nothing to the environment.
        dict.fromkeys((f.fix.env_name, f.fix.secret) for f in chosen if f.fix is not None and f.fix.env_name)
    )
    chosen_ids = {id(f) for f in chosen}
    remaining = tuple(f for f in findings if id(f) not in chosen_ids)
    if defer:
        # Nothing written yet: every finding stands until the caller writes `pending`.
        codes = tuple(f.code for f in chosen)
        pending = PendingWrite(path, original, source.encode(text), remaining, len(chosen), codes)
        return FixOutcome(tuple(findings), (), 0, diff, env_values, pending)
    if not write:
        return FixOutcome(tuple(findings), (), 0, diff, env_values)
    try:
        write_atomically(path, original, source.encode(text))
    except FixError as exc:
        return FixOutcome(tuple(findings), (FileError(path, f"fix not written: {exc}"),), diff=diff)
    return FixOutcome(remaining, (), len(chosen), diff, env_values, fixed_codes=tuple(f.code for f in chosen))


def write_pending(pending: PendingWrite) -> Optional[FileError]:
    """Write a deferred fix; the error that stopped it, if any."""
    try:
        write_atomically(pending.path, pending.expected, pending.data)
    except FixError as exc:
        return FileError(pending.path, f"fix not written: {exc}")
    return None


def _not_fixed(finding: Finding, reason: str) -> Finding:
    return replace(finding, not_fixed=reason) if finding.fix is not None else finding


# ---------------------------------------------------------------------------
# What each fix changes, for reports (SARIF `fixes`)


def describe_fixes(
    rewriter: Rewriter, findings: Sequence[Finding], chosen: Sequence[Finding]
) -> Tuple[Finding, ...]:
    """`findings` with each chosen fix's `replacements`, as the engine makes them.

    A replaced expression is exactly the engine's new node; a removal, or an expression
    that may hold comments (which the engine keeps), is what the engine changes making that
    edit alone; the `import os` line goes with every fix that needs it.
    Each fix applied alone gives what `--fix` gives for it.
    """
    before = rewriter.text
    index = LineIndex(before)
    import_hunks: List[Tuple[int, int, str]] = []
    if any(f.fix is not None and f.fix.needs_os_import for f in chosen):
        with_import = rewriter.apply([], add_import_os=True)
        if isinstance(with_import, RewriteSuccess):
            import_hunks = text_hunks(before, with_import.text)
    chosen_ids = {id(f) for f in chosen}
    described: List[Finding] = []
    for finding in findings:
        fix = finding.fix
        if fix is None or id(finding) not in chosen_ids:
            described.append(finding)
            continue
        pieces: List[Tuple[int, int, str]] = []
        for part in edit_parts(fix.edit):
            span = part.span
            start = index.starts[span.start_line - 1] + span.start_column
            end = index.starts[span.end_line - 1] + span.end_column
            if isinstance(part, ReplaceExpression) and "#" not in before[start:end]:
                pieces.append((start, end, part.replacement))
            else:
                alone = rewriter.apply([part])
                pieces.extend(text_hunks(before, alone.text) if isinstance(alone, RewriteSuccess) else [])
        if fix.needs_os_import:
            pieces = pieces + import_hunks
        replacements = tuple(text_replacement(index, *piece) for piece in sorted(pieces))
        described.append(replace(finding, fix=replace(fix, replacements=replacements)))
    return tuple(described)


def text_hunks(before: str, after: str) -> List[Tuple[int, int, str]]:
    """The changes from `before` to `after`: (start, end, new text), offsets into `before`."""
    old = before.splitlines(keepends=True)
    new = after.splitlines(keepends=True)
    old_starts = [0]
    for line in old:
        old_starts.append(old_starts[-1] + len(line))
    hunks: List[Tuple[int, int, str]] = []
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        old_text = "".join(old[i1:i2])
        new_text = "".join(new[j1:j2])
        prefix = _shared_prefix(old_text, new_text)
        suffix = _shared_prefix(old_text[prefix:][::-1], new_text[prefix:][::-1])
        start = old_starts[i1] + prefix
        end = old_starts[i1] + len(old_text) - suffix
        hunks.append((start, end, new_text[prefix : len(new_text) - suffix]))
    return hunks


def _shared_prefix(a: str, b: str) -> int:
    length = 0
    for x, y in zip(a, b):
        if x != y:
            break
        length += 1
    return length


def text_replacement(index: LineIndex, start: int, end: int, text: str) -> TextReplacement:
    start_line, start_column = index.position(start)
    end_line, end_column = index.position(end)
    return TextReplacement(start, end - start, start_line, start_column + 1, end_line, end_column + 1, text)


# ---------------------------------------------------------------------------
# Output


def finding_span(finding: Finding) -> Span:
    return Span(finding.line, finding.column - 1, finding.end_line, finding.end_column - 1)


_STRING_BODY = re.compile(r"(?P<quote>\"\"\"|\'\'\'|\"|\')(?P<body>.*?)(?P=quote)", re.DOTALL)


def mask_ranges(text: str, spans: Sequence[Span], secrets: Iterable[str] = ()) -> str:
    """`text` with what is inside each span masked, and nothing outside them changed.

    Inside a span (a literal, a value written in pieces, a token on the text) the strings'
    contents are masked: only a string that starts a secret keeps a redacted prefix, every
    other becomes `…`. Quotes, names, `+` and line breaks stay, so a diff still reads as code.
    """
    if not spans:
        return text
    starts = {secret[:VISIBLE_PREFIX] for secret in secrets if len(secret) >= VISIBLE_PREFIX}
    index = LineIndex(text)
    ranges = sorted(
        (index.starts[s.start_line - 1] + s.start_column, index.starts[s.end_line - 1] + s.end_column)
        for s in spans
        if 1 <= s.start_line <= s.end_line <= len(index.lines)
    )
    merged: List[List[int]] = []
    for start, end in ranges:  # a value and the pieces inside it: one range, one prefix shown
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        elif start < end:
            merged.append([start, end])
    pieces: List[str] = []
    position = 0
    for start, end in merged:
        pieces.append(text[position:start])
        pieces.append(_mask_strings(text[start:end], starts))
        position = end
    pieces.append(text[position:])
    return "".join(pieces)


def _mask_strings(chunk: str, secret_starts: Set[str]) -> str:
    if not _STRING_BODY.search(chunk):  # a token found on the text, or names (`HEAD + TAIL`)
        return redact(chunk) if chunk[:VISIBLE_PREFIX] in secret_starts else chunk

    def mask(match: re.Match[str]) -> str:
        quote, body = match.group("quote"), match.group("body")
        shown = redact(body) if body[:VISIBLE_PREFIX] in secret_starts else ELLIPSIS
        return quote + shown + quote

    return _STRING_BODY.sub(mask, chunk)


def redacted_diff(
    from_name: str, to_name: str, before: str, after: str, spans: Sequence[Span], secrets: Iterable[str]
) -> str:
    """A unified diff from `before` to `after` that shows no secret.

    Lines of `before` (context and removed) are masked by position: `spans` are where the
    findings and the literals they came from are. Every line, added ones included, then has
    each token-shaped run masked, and added lines each known secret that is still in them.
    """
    old = before.splitlines(keepends=True)
    masked_old = mask_ranges(before, spans, secrets).splitlines(keepends=True)
    if len(masked_old) != len(old):  # masking never removes a line break; be sure
        masked_old = [redact_all(line, list(secrets)) for line in old]
    new = after.splitlines(keepends=True)
    known = [secret for secret in secrets if len(secret) >= 8]  # shorter would mangle code
    out: List[str] = []
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    for group in matcher.get_grouped_opcodes(3):
        if not out:
            out += [f"--- {from_name}\n", f"+++ {to_name}\n"]
        first, last = group[0], group[-1]
        out.append(f"@@ -{_range(first[1], last[2])} +{_range(first[3], last[4])} @@\n")
        for tag, i1, i2, j1, j2 in group:
            if tag == "equal":
                out.extend(_diff_line(" ", line) for line in masked_old[i1:i2])
                continue
            out.extend(_diff_line("-", line) for line in masked_old[i1:i2])
            out.extend(_diff_line("+", redact_all(line, known)) for line in new[j1:j2])
    return "".join(out)


def _range(start: int, stop: int) -> str:
    """A hunk's line range as `diff -u` writes it."""
    length = stop - start
    beginning = start + 1 if length else start
    return str(beginning) if length == 1 else f"{beginning},{length}"


def _diff_line(tag: str, line: str) -> str:
    text = tag + redact_token_shapes(line)
    return text if text.endswith("\n") else text + "\n\\ No newline at end of file\n"


def write_atomically(path: str, expected: bytes, data: bytes) -> None:
    """Replace `path` with `data` unless it no longer holds `expected`; all or nothing.

    The file keeps its owner, group, mode and extended attributes; a symlink stays one.
    """
    try:
        replace_checked(path, expected, data)
    except UnsafeWrite as exc:
        raise FixError(str(exc)) from None
    except OSError as exc:
        raise FixError(exc.strerror or str(exc)) from None


__all__ = [
    "FixOutcome",
    "apply_fixes",
    "choose",
    "describe_fixes",
    "mask_ranges",
    "redacted_diff",
    "text_hunks",
    "text_replacement",
    "write_atomically",
]
