"""Turn findings and errors into output text: pure functions, no printing, no I/O.

Every `render*` function returns a string that, when non-empty, ends with a
newline; the CLI writes it unchanged (``sys.stdout.write(out)``).

Secrets: a secret only ever lives in `Fix.secret`, which no format serialises.
As a second line of defence every rendered string is scrubbed of each
`Fix.secret` value (see `redact.Scrubber`), so a producer bug that leaks one into a
message still does not reach the output.

Positions: `Finding.line`/`column` are 1-based and `end_column` is the column
just past the flagged text (SARIF's convention); columns count characters
(Unicode code points), as the fixes' `TextReplacement` offsets do.

Source lines (for the `full` format's snippets and SARIF's line hashes) come from a
`LineSource` the caller passes in; the flagged text on them is masked before it is shown
or hashed, so a source line is never a way around the scrubbing.
"""

from __future__ import annotations

import os
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from pathlib import Path, PurePath
from typing import Any, Callable, Optional, Protocol, Tuple

from lint_secrets.catalog import NOT_SECRET_CODES, UNMASKED_CODES, sarif_level
from lint_secrets.findings import FileError, Finding
from lint_secrets.redact import Scrubber, redact, redact_token_shapes

__all__ = [
    "FORMATS",
    "SARIF_SCHEMA_URI",
    "SARIF_VERSION",
    "TOOL_INFORMATION_URI",
    "TOOL_NAME",
    "LineSource",
    "RuleMeta",
    "render",
    "render_error",
    "render_github",
    "render_gitlab",
    "render_json",
    "render_junit",
    "render_sarif",
    "render_statistics",
    "render_text",
    "sarif_log",
]

FORMATS: tuple[str, ...] = ("text", "full", "json", "sarif", "github", "gitlab", "junit")

TOOL_NAME = "lint-secrets"
TOOL_INFORMATION_URI = "https://github.com/lint-secrets/lint-secrets"
FIX_COMMAND = "lint-secrets check --fix"

SARIF_VERSION = "2.1.0"
SARIF_SCHEMA_URI = (
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
)
SRCROOT = "%SRCROOT%"
FINGERPRINT_KEY = "lintSecrets/v1"
# GitHub code scanning reads CWE ids from tags of this form; CWE-798 is
# "Use of Hard-coded Credentials".
SARIF_TAGS: tuple[str, ...] = ("security", "external/cwe/cwe-798")
# For a code the caller did not describe. GitHub maps 7.0-8.9 to "High" severity.
SARIF_SECURITY_SEVERITY = "7.5"
SARIF_PRECISION = "medium"
LINE_HASH_KEY = "primaryLocationLineHash"
# What the flagged text becomes in a line before it is hashed: the same for any value, so a
# rotated secret keeps its alert, and the hash can't be used to test guesses of the secret.
_HASHED_MASK = "<secret>"

# Secrets shorter than this are not scrubbed from output: replacing a very
# short string would mangle unrelated text (paths, words) more than it protects.
_MIN_SCRUB_LENGTH = 8


class RuleMeta(Protocol):
    """What a reporter needs to know about a rule (read-only, so frozen dataclasses fit)."""

    @property
    def code(self) -> str: ...  # "RS101"

    @property
    def name(self) -> str: ...  # "secret-input-literal"

    @property
    def summary(self) -> str: ...  # one sentence

    @property
    def doc(self) -> str: ...  # markdown: what, why, "Bad:"/"Good:" examples

    @property
    def fixable(self) -> bool: ...

    @property
    def precision(self) -> str: ...  # SARIF: "very-high", "high", "medium" or "low"

    @property
    def security_severity(self) -> str: ...  # SARIF/GitHub: a score as a string, "9.5"


# `lines(path, lineno)`: that line of the file without its ending, or None when unknown.
LineSource = Callable[[str, int], Optional[str]]


# --------------------------------------------------------------------------- #
# Entry points
# --------------------------------------------------------------------------- #


def render(
    findings: Sequence[Finding],
    errors: Sequence[FileError],
    *,
    fmt: str,
    rules: Iterable[RuleMeta],
    tool_version: str,
    root: Path,
    files_checked: int,
    fixed: int = 0,
    fixed_codes: Sequence[str] = (),
    statistics: bool = False,
    show_fixes_hint: bool = True,
    source_lines: LineSource | None = None,
    color: bool = False,
    summary: bool = True,
    unresolved: Sequence[Tuple[str, int]] = (),
) -> str:
    """Render one run in the output format `fmt` (one of `FORMATS`).

    `statistics`, `show_fixes_hint`, `color` and `summary` (False: `--quiet`) only affect
    the text formats; `errors`
    are left out of them (the CLI prints them on stderr with `render_error`), and only
    counted in the summary. `root` is what SARIF, GitHub, GitLab and JUnit paths are
    relative to (the repository root, for CI). `source_lines` feeds the `full` format's
    snippets and SARIF's line hashes.
    """
    if fmt in ("text", "full"):
        return render_text(
            findings,
            errors,
            rules=rules,
            files_checked=files_checked,
            fixed=fixed,
            fixed_codes=fixed_codes,
            statistics=statistics,
            show_fixes_hint=show_fixes_hint,
            color=color,
            snippets=(source_lines or _no_lines) if fmt == "full" else None,
            summary=summary,
        )
    if fmt == "json":
        return render_json(findings, errors, unresolved)
    if fmt == "sarif":
        return render_sarif(
            findings,
            errors,
            rules=rules,
            tool_version=tool_version,
            root=root,
            files_checked=files_checked,
            source_lines=source_lines,
        )
    if fmt == "github":
        return render_github(findings, errors, root=root)
    if fmt == "gitlab":
        return render_gitlab(findings, rules=rules, root=root)
    if fmt == "junit":
        return render_junit(findings, errors, root=root, files_checked=files_checked)
    raise ValueError(f"unknown output format {fmt!r}; expected one of: {', '.join(FORMATS)}")


def render_error(err: FileError) -> str:
    """The stderr line for an error: ``lint-secrets: error: path: message`` (no newline)."""
    if err.path:
        return f"{TOOL_NAME}: error: {err.path}: {err.message}"
    return f"{TOOL_NAME}: error: {err.message}"


# --------------------------------------------------------------------------- #
# text
# --------------------------------------------------------------------------- #


def render_text(
    findings: Sequence[Finding],
    errors: Sequence[FileError] = (),
    *,
    rules: Iterable[RuleMeta] = (),
    files_checked: int,
    fixed: int = 0,
    fixed_codes: Sequence[str] = (),
    statistics: bool = False,
    show_fixes_hint: bool = True,
    color: bool = False,
    snippets: LineSource | None = None,
    summary: bool = True,
) -> str:
    """ruff/flake8-style lines, ``path:line:col: CODE [*] message``, then a summary
    (unless `summary` is False: `--quiet` prints the findings only).

    With `statistics`, the per-code table of `render_statistics` replaces the
    per-finding lines. With `snippets` (the `full` format), each finding is followed
    by its source line and the lines around it, a caret under the flagged text, and
    that text masked. `color` adds ANSI styles (`style`).
    """
    scrubbers = _Scrubbers(findings)
    ordered = _sorted(findings)
    lines: list[str] = []
    if statistics:
        table = render_statistics(ordered, rules)
        lines.extend(table.splitlines())
    elif snippets is not None:
        spans = _SecretSpans(f for f in ordered if f.code not in UNMASKED_CODES)
        literals = _Literals(snippets)
        for f in ordered:
            scrub = scrubbers.for_path(f.path)
            lines.append(scrub(_text_line(f, color)))
            snippet = _snippet(f, snippets, spans, literals, color)
            lines.extend(scrub(line) for line in snippet)
            if snippet:
                lines.append("")
    else:
        lines.extend(scrubbers.for_path(f.path)(_text_line(f, color)) for f in ordered)

    if not summary:
        return "".join(line + "\n" for line in lines)
    if fixed:
        # Codes not given: counted as secrets, as every fix of a hardcoded value is.
        codes = list(fixed_codes) if len(fixed_codes) == fixed else []
        lines.append(f"Fixed {_count_found(fixed, codes)}.")
    if ordered:
        lines.append(f"Found {_count_found(len(ordered), [f.code for f in ordered])}.")
    elif not fixed and not errors:
        lines.append("All checks passed!" if files_checked else "No files were checked.")
    if errors:
        lines.append(f"Encountered {_count(len(errors), 'error')}.")
    fixable = sum(1 for f in ordered if _fix_marker(f) == "[*]")
    if fixable and show_fixes_hint:
        lines.append(f"[*] {fixable} fixable with `{FIX_COMMAND}`.")
    unsafe = sum(1 for f in ordered if _fix_marker(f) == "[~]")
    if unsafe:
        lines.append(
            f"[~] {unsafe} fixable with `{FIX_COMMAND} --unsafe-fixes` (see `lint-secrets explain`)."
        )
    return "".join(line + "\n" for line in lines)


def _fix_marker(finding: Finding) -> str:
    """`[*]`: a safe fix `--fix` applies; `[~]`: an unsafe one, applied with `--unsafe-fixes`."""
    if not finding.fixable or finding.fix is None:
        return ""
    return "[~]" if fix_applicability(finding) == "unsafe" else "[*]"


def fix_applicability(finding: Finding) -> Optional[str]:
    """ "safe", "unsafe", or None when the finding has no fix (JSON and SARIF carry it)."""
    if finding.fix is None:
        return None
    return str(finding.fix.applicability.value)


def _text_line(finding: Finding, color: bool = False) -> str:
    marker = f" {_fix_marker(finding)}" if _fix_marker(finding) else ""
    message = _one_line(finding.message)
    if finding.not_fixed:
        message = f"{message} (not fixed: {finding.not_fixed})"
    cell = f"cell {finding.cell}:" if finding.cell is not None else ""
    if not color:
        return f"{finding.path}:{cell}{finding.line}:{finding.column}: {finding.code}{marker} {message}"
    # ruff's colours: bold path, cyan separators and fix marker, bold red code.
    sep = style(":", fg="cyan")
    path = style(finding.path, bold=True)
    code = style(finding.code, fg="red", bold=True)
    marker = " " + style(_fix_marker(finding), fg="cyan") if _fix_marker(finding) else ""
    where = f"{path}{sep}cell {finding.cell}{sep}" if finding.cell is not None else f"{path}{sep}"
    return f"{where}{finding.line}{sep}{finding.column}{sep} {code}{marker} {message}"


# The ANSI colours the reports use, with the codes `click.style` writes for them: a report
# renders without importing click (a test holds the two together).
_FOREGROUND = {"red": 31, "blue": 34, "cyan": 36}


def style(text: str, fg: Optional[str] = None, bold: bool = False) -> str:
    """`text` in colour `fg` and/or bold, then every style reset."""
    colour = f"\033[{_FOREGROUND[fg]}m" if fg is not None else ""
    weight = "\033[1m" if bold else ""
    return f"{colour}{weight}{text}\033[0m"


def _no_lines(path: str, lineno: int) -> str | None:
    return None


def _snippet(
    finding: Finding, source_lines: LineSource, spans: _SecretSpans, literals: _Literals, color: bool
) -> list[str]:
    """The finding's line with one line of context each side, flagged text masked, and a caret line.

    Any line shown may hold another secret, one no rule flagged (a password, a key in a
    comment): every string literal's value is masked too (dict keys and model references
    stay readable), and in comments every word shaped like a credential.
    """
    first = max(1, finding.line)
    shown: list[tuple[int, str, tuple[int, int] | None]] = []
    for lineno in range(first - 1, first + 2):
        if lineno < 1:
            continue
        text = source_lines(finding.path, lineno)
        if text is None:
            continue
        flagged = [_span(start, end, len(text)) for start, end in spans.on(finding.path, lineno)]
        pieces: list[tuple[int, int, Callable[[str], str]]] = [
            (start, end, _masked_literal) for start, end in _merged(flagged)
        ]
        for start, end, kind in literals.on(finding.path, lineno, text):
            if not any(start < b and a < end for a, b in flagged):
                pieces.append((start, end, _masked_comment if kind == "comment" else _masked_value))
        masked, new_spans = _replace(text, pieces)
        caret = None
        if lineno == first:
            start = max(0, finding.column - 1)
            caret = next(
                ((a, b) for was, a, b in new_spans if was[0] <= start < max(was[1], was[0] + 1)), None
            )
            if caret is None and finding.code in UNMASKED_CODES:  # shown as written: under it
                end = finding.end_column - 1 if finding.end_line == finding.line else len(text)
                caret = (_shifted(start, new_spans), _shifted(max(end, start + 1), new_spans))
        if caret is None:
            shown.append((lineno, redact_token_shapes(masked), None))
        else:
            a, b = caret
            before, after = redact_token_shapes(masked[:a]), redact_token_shapes(masked[b:])
            shown.append((lineno, before + masked[a:b] + after, (len(before), len(before) + b - a)))
    if not any(lineno == first for lineno, _, _ in shown):
        return []  # the file changed or can't be read: a snippet of other lines would mislead
    width = max(len(str(lineno)) for lineno, _, _ in shown)

    def gutter(label: str) -> str:
        bar = f"{label:>{width}} |"
        return style(bar, fg="blue", bold=True) if color else bar

    out = [gutter("")]
    for lineno, text, caret in shown:
        out.append(f"{gutter(str(lineno))} {text}".rstrip())
        if caret is not None:
            a, b = caret
            # Keep tabs so the carets line up under the text however the terminal expands them.
            pad = "".join(ch if ch == "\t" else " " for ch in text[:a])
            marks = "^" * max(1, b - a)
            label = f"{marks} {finding.code}"
            out.append(f"{gutter('')} {pad}{style(label, fg='red', bold=True) if color else label}")
    out.append(gutter(""))
    return out


def _shifted(position: int, new_spans: Sequence[tuple[tuple[int, int], int, int]]) -> int:
    """Where `position` of a line is once the spans before it are masked (`_mask`'s spans)."""
    shift = 0
    for (_, end), _, new_end in new_spans:
        if end <= position:
            shift = new_end - end
    return position + shift


class _SecretSpans:
    """Where the findings' flagged text lies: per (path, line), character spans.

    A span is 0-based and end-exclusive; a finding over several lines covers the rest of
    its first line, its middle lines whole, and its last line up to `end_column`.
    """

    def __init__(self, findings: Iterable[Finding]) -> None:
        self._spans: dict[tuple[str, int], list[tuple[int, int | None]]] = {}
        for f in findings:
            first = max(1, f.line)
            last = max(first, f.end_line)
            for lineno in range(first, last + 1):
                start = max(0, f.column - 1) if lineno == first else 0
                end = max(start, f.end_column - 1) if lineno == last else None
                self._spans.setdefault((f.path, lineno), []).append((start, end))

    def on(self, path: str, lineno: int) -> list[tuple[int, int | None]]:
        return self._spans.get((path, lineno), [])


def _mask(
    text: str, spans: Sequence[tuple[int, int | None]], replace: Callable[[str], str]
) -> tuple[str, list[tuple[tuple[int, int], int, int]]]:
    """`text` with each span (merged where they overlap) replaced.

    Also each merged span's place in `text` and its replacement's start and end in the result.
    """
    clamped = [_span(start, end, len(text)) for start, end in spans]
    return _replace(text, [(start, end, replace) for start, end in _merged(clamped)])


def _span(start: int, end: int | None, length: int) -> tuple[int, int]:
    return min(start, length), length if end is None else min(end, length)


def _merged(spans: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def _replace(
    text: str, pieces: Sequence[tuple[int, int, Callable[[str], str]]]
) -> tuple[str, list[tuple[tuple[int, int], int, int]]]:
    """`text` with each (start, end, how) piece (they do not overlap) replaced by `how(piece)`;
    and each piece's place in `text` with its replacement's start and end in the result."""
    out: list[str] = []
    new_spans: list[tuple[tuple[int, int], int, int]] = []
    done = length = 0
    for start, end, how in sorted(pieces, key=lambda piece: piece[0]):
        out.append(text[done:start])
        length += start - done
        replacement = how(text[start:end]) if end > start else ""
        out.append(replacement)
        new_spans.append(((start, end), length, length + len(replacement)))
        length += len(replacement)
        done = end
    out.append(text[done:])
    return "".join(out), new_spans


# A Replicate model reference is public, and what a reader needs to see.
_MODEL_REFERENCE = re.compile(r"[A-Za-z0-9][\w.-]*/[A-Za-z0-9][\w.-]*(?::[0-9a-f]{6,64})?")
# In a comment: a word with letters and digits, 8 characters or more, may be a password.
_CREDENTIAL_WORD = re.compile(r"\S{8,}")


def _masked_value(body: str) -> str:
    """A string literal's value (without its quotes) on a line shown for context."""
    if not body or _MODEL_REFERENCE.fullmatch(body):
        return body
    return redact(body)


def _masked_comment(comment: str) -> str:
    def word(match: re.Match[str]) -> str:
        text = match.group(0)
        credential = any(c.isalpha() for c in text) and any(c.isdigit() for c in text)
        return redact(text) if credential else text

    return _CREDENTIAL_WORD.sub(word, redact_token_shapes(comment))


class _Literals:
    """Where string values and comments lie on each line of a file: a small lexer run from
    the file's first line (a line shown may be inside a triple-quoted string). Each file is
    read through once, however many findings it has."""

    def __init__(self, source_lines: LineSource) -> None:
        self._source = source_lines
        # path -> (the lines lexed so far, their pieces, the quote still open after them)
        self._files: dict[str, tuple[int, dict[int, list[tuple[int, int, str]]], str]] = {}

    def on(self, path: str, lineno: int, text: str) -> list[tuple[int, int, str]]:
        """(start, end, kind) of each string value ("value", or "key" for a dict key, which is
        not masked) and comment ("comment") on line `lineno`, whose text is `text`."""
        done, pieces, quote = self._files.get(path, (0, {}, ""))
        while done < lineno:
            line = text if done + 1 == lineno else self._source(path, done + 1)
            if line is None:
                break
            pieces[done + 1], quote = _lex(line, quote)
            done += 1
        self._files[path] = (done, pieces, quote)
        # A file cut short since the check: this line alone, as if no string were open.
        found = pieces[lineno] if lineno in pieces else _lex(text, "")[0]
        return [piece for piece in found if piece[2] != "key"]


_STRING_START = re.compile(r"(?<![\w])([rRbBuUfF]{0,2})('''|\"\"\"|'|\")")


def _lex(line: str, quote: str) -> tuple[list[tuple[int, int, str]], str]:
    """The string values and comment on `line`, and the quote left open at its end ("" if none).
    `quote`: the quote open at its start (a triple-quoted string, or a string continued
    with a backslash)."""
    pieces: list[tuple[int, int, str]] = []
    position = 0
    if quote:
        end = _closing(line, 0, quote)
        if end is None:
            return [(0, len(line), "value")], _still_open(line, quote)
        pieces.append((0, end, "value"))
        position = end + len(quote)
    while position < len(line):
        hash_at = line.find("#", position)
        match = _STRING_START.search(line, position)
        if hash_at != -1 and (match is None or hash_at < match.start()):
            pieces.append((hash_at, len(line), "comment"))
            return pieces, ""
        if match is None:
            break
        quote = match.group(2)
        start = match.end()
        end = _closing(line, start, quote)
        if end is None:
            pieces.append((start, len(line), "value"))
            return pieces, _still_open(line, quote)
        after = line[end + len(quote) :].lstrip()
        pieces.append((start, end, "key" if after.startswith(":") and len(quote) == 1 else "value"))
        position = end + len(quote)
    return pieces, ""


def _closing(line: str, start: int, quote: str) -> int | None:
    """Where `quote` closes a string whose value starts at `start` (backslashes escape)."""
    position = start
    while position < len(line):
        if line[position] == "\\":
            position += 2
        elif line.startswith(quote, position):
            return position
        else:
            position += 1
    return None


def _still_open(line: str, quote: str) -> str:
    # A one-quote string goes on to the next line only after a backslash.
    return quote if len(quote) == 3 or line.endswith("\\") else ""


_LITERAL_OPEN = re.compile("[rRbBuUfF]{0,2}('''|\"\"\"|'|\")")


def _masked_literal(text: str) -> str:
    """A flagged piece of source as it may be shown: its quotes, and its value redacted."""
    opening = _LITERAL_OPEN.match(text)
    head = opening.group(0) if opening else ""
    quote = opening.group(1) if opening else ""
    body = text[len(head) :]
    tail = quote if quote and len(body) >= len(quote) and body.endswith(quote) else ""
    body = body[: len(body) - len(tail)]
    return head + (redact(body) if body else "") + tail


def render_statistics(findings: Sequence[Finding], rules: Iterable[RuleMeta]) -> str:
    """One line per code, most frequent first: ``  3  RS101  [*] secret-input-literal``.

    ``[*]`` marks codes with at least one fixable finding; names come from
    `rules` (empty when the code is unknown).
    """
    if not findings:
        return ""
    names = {rule.code: rule.name for rule in rules}
    counts = Counter(f.code for f in findings)
    fixable_codes = {f.code for f in findings if _fix_marker(f) == "[*]"}
    unsafe_codes = {f.code for f in findings if _fix_marker(f) == "[~]"}
    count_width = max(len(str(n)) for n in counts.values())
    code_width = max(len(code) for code in counts)
    lines = []
    for code, n in sorted(counts.items(), key=lambda item: (-item[1], item[0])):
        marker = "[*]" if code in fixable_codes else "[~]" if code in unsafe_codes else "   "
        line = f"  {n:>{count_width}}  {code:<{code_width}}  {marker} {names.get(code, '')}"
        lines.append(line.rstrip() + "\n")
    return "".join(lines)  # counts and rule names only: nothing to scrub


# --------------------------------------------------------------------------- #
# json
# --------------------------------------------------------------------------- #


def render_json(
    findings: Sequence[Finding], errors: Sequence[FileError], unresolved: Sequence[Tuple[str, int]] = ()
) -> str:
    """``{"findings": [...], "errors": [...], "unresolved": [...]}``, indented by 2; never
    contains `Fix.secret`. `unresolved`: (path, line) of Replicate calls not fully worked out."""
    scrubbers = _Scrubbers(findings)
    document = {
        "findings": [
            scrubbers.for_path(f.path).tree(
                {
                    "path": f.path,
                    "cell": f.cell,
                    "line": f.line,
                    "column": f.column,
                    "end_line": f.end_line,
                    "end_column": f.end_column,
                    "code": f.code,
                    "message": f.message,
                    "model": _shown_model(f),
                    "input": f.input,
                    "call_line": f.call_line,
                    "fixable": f.fixable,
                    "fix_applicability": fix_applicability(f),
                    "fix_kind": f.fix.kind if f.fix is not None else None,
                    "not_fixed": f.not_fixed,
                }
            )
            for f in _sorted(findings)
        ],
        "errors": [
            scrubbers.for_errors.tree({"path": e.path, "message": e.message}) for e in _sorted_errors(errors)
        ],
        "unresolved": [{"path": path, "line": line} for path, line in sorted(unresolved)],
    }
    import json  # only the machine-readable formats pay for it

    return json.dumps(document, indent=2) + "\n"


# --------------------------------------------------------------------------- #
# github
# --------------------------------------------------------------------------- #


def render_github(
    findings: Sequence[Finding], errors: Sequence[FileError], *, root: Path | None = None
) -> str:
    """GitHub Actions workflow commands: one ``::error ...::message`` line per finding and error;
    a finding's command follows its rule's SARIF level (``::warning`` for RS106, ``::notice``
    for RS100).

    GitHub places an annotation by its path from the repository root: with `root`, paths
    are made relative to it.
    """
    scrubbers = _Scrubbers(findings)
    root_abs = Path(os.path.abspath(root)) if root is not None else None
    lines = []
    for f in _sorted(findings):
        scrub = scrubbers.for_path(f.path)
        line, column, end_line, end_column = _file_region(f)
        properties = (
            ("file", _report_path(f.path, root_abs)),
            ("line", str(line)),
            ("col", str(column)),
            ("endLine", str(end_line)),
            ("endColumn", str(end_column)),
            ("title", f.code),
        )
        command = _GITHUB_COMMANDS[sarif_level(f.code)]
        lines.append(_workflow_command(command, properties, scrub(f.message), scrub))
    for e in _sorted_errors(errors):
        scrub = scrubbers.for_errors
        file_property = [("file", _report_path(e.path, root_abs))] if e.path else []
        lines.append(_workflow_command("error", file_property, scrub(e.message), scrub))
    return "".join(line + "\n" for line in lines)


# GitHub's workflow command for each SARIF level: an annotation of the same severity.
_GITHUB_COMMANDS = {"error": "error", "warning": "warning", "note": "notice"}


def _workflow_command(
    command: str, properties: Sequence[tuple[str, str]], message: str, scrub: Scrubber
) -> str:
    props = ",".join(f"{key}={_escape_property(scrub(value))}" for key, value in properties)
    head = f"::{command} {props}" if props else f"::{command}"
    return f"{head}::{_escape_data(message)}"


def _escape_data(value: str) -> str:
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(value: str) -> str:
    return _escape_data(value).replace(":", "%3A").replace(",", "%2C")


# --------------------------------------------------------------------------- #
# gitlab
# --------------------------------------------------------------------------- #

# GitLab's severities, by the lowest security-severity score that reaches them.
_GITLAB_SEVERITIES: tuple[tuple[float, str], ...] = (
    (9.0, "critical"),
    (7.0, "major"),
    (4.0, "minor"),
    (0.0, "info"),
)


def render_gitlab(findings: Sequence[Finding], *, rules: Iterable[RuleMeta], root: Path) -> str:
    """A GitLab Code Quality report: a JSON list of issues, paths relative to `root`.

    The fingerprint is SARIF's (stable when lines move), so GitLab tells new issues from
    old ones in a merge request.
    """
    scrubbers = _Scrubbers(findings)
    root_abs = Path(os.path.abspath(root))
    severities = {rule.code: _gitlab_severity(rule.security_severity) for rule in rules}
    occurrences: Counter[tuple[str, str, str, str]] = Counter()
    issues = []
    for f in _sorted(findings):
        path = _report_path(f.path, root_abs)
        key = (f.code, path, _shown_model(f) or "", f.input or "")
        occurrence = occurrences[key]
        occurrences[key] += 1
        issue = {
            "type": "issue",
            "description": f"{f.code} {_one_line(f.message)}",
            "check_name": f.code,
            "categories": ["Security"],
            "fingerprint": _fingerprint(key, occurrence),
            "severity": severities.get(f.code, "major"),
            "location": {"path": path, "lines": {"begin": max(1, f.line), "end": max(1, f.end_line)}},
        }
        issues.append(scrubbers.for_path(f.path).tree(issue))
    import json  # only the machine-readable formats pay for it

    return json.dumps(issues, indent=2) + "\n"


def _gitlab_severity(security_severity: str) -> str:
    try:
        score = float(security_severity)
    except ValueError:
        return "major"
    return next((name for floor, name in _GITLAB_SEVERITIES if score >= floor), "info")


# --------------------------------------------------------------------------- #
# junit
# --------------------------------------------------------------------------- #


def render_junit(
    findings: Sequence[Finding], errors: Sequence[FileError], *, root: Path, files_checked: int
) -> str:
    """JUnit XML: a test suite per file with findings or errors, a failed test case per finding.

    A file that could not be checked is an ``<error>``; a clean run is one passing test
    case, so CI systems show that the check ran. Paths are relative to `root`.
    """
    from xml.etree import ElementTree

    scrubbers = _Scrubbers(findings)
    root_abs = Path(os.path.abspath(root))
    by_path: dict[str, list[tuple[str, Finding | FileError]]] = {}
    for f in _sorted(findings):
        by_path.setdefault(_report_path(f.path, root_abs), []).append((f.path, f))
    for e in _sorted_errors(errors):
        by_path.setdefault(_report_path(e.path, root_abs) if e.path else TOOL_NAME, []).append((e.path, e))

    suites = ElementTree.Element("testsuites", name=TOOL_NAME)
    for path, items in sorted(by_path.items()):
        suite = ElementTree.SubElement(suites, "testsuite", name=path)
        failures = 0
        for original_path, item in items:
            scrub = scrubbers.for_path(original_path) if isinstance(item, Finding) else scrubbers.for_errors
            if isinstance(item, Finding):
                failures += 1
                case = ElementTree.SubElement(
                    suite,
                    "testcase",
                    name=f"{item.code} at line {item.line}, column {item.column}",
                    classname=path,
                    file=path,
                    line=str(item.line),
                )
                failure = ElementTree.SubElement(
                    case, "failure", message=_xml_text(scrub(_one_line(item.message))), type=item.code
                )
                failure.text = _xml_text(
                    scrub(f"{path}:{item.line}:{item.column}: {item.code} {item.message}")
                )
            else:
                case = ElementTree.SubElement(suite, "testcase", name="check", classname=path)
                error = ElementTree.SubElement(case, "error", message=_xml_text(scrub(item.message)))
                error.text = _xml_text(scrub(item.message))
        _set_counts(suite, tests=len(items), failures=failures, errors=len(items) - failures)
    if not by_path:
        suite = ElementTree.SubElement(suites, "testsuite", name=TOOL_NAME)
        ElementTree.SubElement(
            suite, "testcase", name=f"{_count(files_checked, 'file')} checked", classname=TOOL_NAME
        )
        _set_counts(suite, tests=1, failures=0, errors=0)
    _set_counts(
        suites,
        tests=sum(int(s.get("tests", "0")) for s in suites),
        failures=sum(int(s.get("failures", "0")) for s in suites),
        errors=sum(int(s.get("errors", "0")) for s in suites),
    )
    ElementTree.indent(suites)
    body = ElementTree.tostring(suites, encoding="unicode")
    return f'<?xml version="1.0" encoding="UTF-8"?>\n{body}\n'


def _set_counts(element: Any, *, tests: int, failures: int, errors: int) -> None:
    element.set("tests", str(tests))
    element.set("failures", str(failures))
    element.set("errors", str(errors))


# XML 1.0 can't hold most control characters, not even escaped. (A table, not a regex:
# compiling that character class took 5 ms of every run's start-up.)
_XML_INVALID = dict.fromkeys([*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0xFFFE, 0xFFFF], "\ufffd")


def _xml_text(text: str) -> str:
    return text.translate(_XML_INVALID)


# --------------------------------------------------------------------------- #
# sarif
# --------------------------------------------------------------------------- #


def render_sarif(
    findings: Sequence[Finding],
    errors: Sequence[FileError],
    *,
    rules: Iterable[RuleMeta],
    tool_version: str,
    root: Path,
    files_checked: int,
    source_lines: LineSource | None = None,
) -> str:
    """A SARIF 2.1.0 log (indented by 2) for GitHub code scanning."""
    log = sarif_log(
        findings,
        errors,
        rules=rules,
        tool_version=tool_version,
        root=root,
        files_checked=files_checked,
        source_lines=source_lines,
    )
    import json  # only the machine-readable formats pay for it

    return json.dumps(log, indent=2) + "\n"


def sarif_log(
    findings: Sequence[Finding],
    errors: Sequence[FileError],
    *,
    rules: Iterable[RuleMeta],
    tool_version: str,
    root: Path,
    files_checked: int,
    source_lines: LineSource | None = None,
) -> dict[str, Any]:
    """The SARIF log as a JSON-ready dict (what `render_sarif` serialises).

    Paths are relative to `root` (with ``uriBaseId`` %SRCROOT%). Each result's
    ``primaryLocationLineHash`` (the fingerprint GitHub matches alerts by) hashes its
    source line from `source_lines` with the flagged text masked; without the line, the
    finding's non-secret fields.
    """
    scrubbers = _Scrubbers(findings)
    root_abs = Path(os.path.abspath(root))
    ordered = _sorted(findings)

    rule_list = sorted({rule.code: rule for rule in rules}.values(), key=lambda r: r.code)
    descriptors: list[dict[str, Any]] = [_rule_descriptor(rule) for rule in rule_list]
    levels = {rule.code: _rule_level(rule) for rule in rule_list}
    index: dict[str, int] = {rule.code: i for i, rule in enumerate(rule_list)}
    for code in sorted({f.code for f in ordered} - set(index)):
        # A finding from a rule the caller did not describe: keep ruleIndex valid.
        index[code] = len(descriptors)
        descriptors.append(_unknown_rule_descriptor(code))

    occurrences: Counter[tuple[str, str, str, str]] = Counter()
    line_hashes: Counter[tuple[str, str]] = Counter()
    spans = _SecretSpans(ordered)
    results = []
    for f in ordered:
        location = _artifact_location(f.path, root_abs)
        key = (f.code, location["uri"], _shown_model(f) or "", f.input or "")
        occurrence = occurrences[key]
        occurrences[key] += 1
        result = _result(
            f, location, index[f.code], _fingerprint(key, occurrence), levels.get(f.code, "error")
        )
        line_hash = _line_hash(f, key, source_lines, spans)
        line_hashes[(location["uri"], line_hash)] += 1
        # As GitHub writes it: the hash, then which occurrence of it in the file this is.
        result["partialFingerprints"][LINE_HASH_KEY] = (
            f"{line_hash}:{line_hashes[(location['uri'], line_hash)]}"
        )
        results.append(scrubbers.for_path(f.path).tree(result))

    notifications = [scrubbers.for_errors.tree(_notification(e, root_abs)) for e in _sorted_errors(errors)]
    invocation: dict[str, Any] = {
        "executionSuccessful": not errors,
        "properties": {"filesChecked": files_checked},
    }
    if notifications:
        invocation["toolExecutionNotifications"] = notifications

    driver: dict[str, Any] = {
        "name": TOOL_NAME,
        "version": tool_version,
        "informationUri": TOOL_INFORMATION_URI,
        "rules": descriptors,
    }
    run: dict[str, Any] = {
        "tool": {"driver": driver},
        "invocations": [invocation],
        "originalUriBaseIds": {SRCROOT: {"uri": _directory_uri(root_abs)}},
        "columnKind": "unicodeCodePoints",
        "results": results,
    }
    return {"$schema": SARIF_SCHEMA_URI, "version": SARIF_VERSION, "runs": [run]}


def _line_hash(
    finding: Finding, key: tuple[str, str, str, str], source_lines: LineSource | None, spans: _SecretSpans
) -> str:
    text = source_lines(finding.path, max(1, finding.line)) if source_lines is not None else None
    if text is None:
        material = "\0".join(key)
    else:
        masked, _ = _mask(text, spans.on(finding.path, max(1, finding.line)), lambda _: _HASHED_MASK)
        # Indentation is not part of the code's identity: re-indenting keeps the alert.
        material = " ".join(masked.split())
    return _sha256_hex(material)[:16]


def _rule_level(rule: RuleMeta) -> str:
    """SARIF's level for the rule's results: "error", "warning" (RS106: a prediction that fails)
    or "note" (RS100: a call not checked), from catalog.SARIF_LEVELS."""
    return sarif_level(rule.code)


def _rule_cwe(rule: RuleMeta) -> Optional[str]:
    """The rule's weakness, "CWE-798" (hardcoded credentials) unless it says otherwise; None
    for a rule that reports no security problem."""
    return getattr(rule, "cwe", "CWE-798")


def _rule_descriptor(rule: RuleMeta) -> dict[str, Any]:
    summary = rule.summary.strip() or rule.name
    doc = rule.doc.strip()
    cwe = _rule_cwe(rule)
    # The remedy of a hardcoded secret (move it out, rotate it); other rules' docs say theirs.
    remedy = _remedy(rule.fixable) if cwe == "CWE-798" else ""
    help_markdown = "\n\n".join(part for part in (doc, remedy) if part) or summary
    properties: dict[str, Any] = {"precision": rule.precision}
    if cwe is None:
        properties["tags"] = ["correctness"]
    else:
        properties["tags"] = ["security", f"external/cwe/{cwe.lower()}"]
        properties["security-severity"] = rule.security_severity
    return {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": summary},
        "fullDescription": {"text": _first_paragraph(doc) or summary},
        "help": {"text": help_markdown, "markdown": help_markdown},
        "defaultConfiguration": {"level": _rule_level(rule)},
        "properties": {"tags": properties.pop("tags"), **properties},
    }


def _unknown_rule_descriptor(code: str) -> dict[str, Any]:
    return {
        "id": code,
        "shortDescription": {"text": f"{code}: hardcoded secret"},
        "help": {"text": _remedy(False), "markdown": _remedy(False)},
        "defaultConfiguration": {"level": "error"},
        "properties": {
            "tags": list(SARIF_TAGS),
            "precision": SARIF_PRECISION,
            "security-severity": SARIF_SECURITY_SEVERITY,
        },
    }


def _remedy(fixable: bool) -> str:
    if fixable:
        how = (
            f"**Fix:** run `{FIX_COMMAND}` to replace the hardcoded value with a read from an "
            "environment variable (`os.environ[...]`), then set that variable where the code runs."
        )
    else:
        how = (
            "**Fix:** move the value out of the source, for example into an environment variable "
            "read with `os.environ[...]`."
        )
    return f"{how} Rotate the secret as well: it has already been exposed in the source."


def _first_paragraph(doc: str) -> str:
    for paragraph in doc.split("\n\n"):
        text = " ".join(line.strip() for line in paragraph.strip().splitlines())
        if text and not text.startswith(("#", "```")):
            return text
    return ""


def _result(
    finding: Finding,
    location: dict[str, str],
    rule_index: int,
    fingerprint: str,
    level: str = "error",
) -> dict[str, Any]:
    line, column, end_line, end_column = _file_region(finding)
    start_line = max(1, line)
    start_column = max(1, column)
    region = {
        "startLine": start_line,
        "startColumn": start_column,
        "endLine": max(start_line, end_line),
        "endColumn": max(1, end_column),
    }
    result: dict[str, Any] = {
        "ruleId": finding.code,
        "ruleIndex": rule_index,
        "level": level,
        "message": {"text": finding.message or finding.code},
        "locations": [{"physicalLocation": {"artifactLocation": dict(location), "region": region}}],
        "partialFingerprints": {FINGERPRINT_KEY: fingerprint},
    }
    if finding.fix is not None:
        # ruff's classes: a safe fix is applied by `--fix`, an unsafe one needs `--unsafe-fixes`.
        result["properties"] = {"fixApplicability": fix_applicability(finding), "fixKind": finding.fix.kind}
    fix = finding.fix
    if finding.not_fixed:
        result["properties"] = {"notFixed": finding.not_fixed}
    if fix is not None and fix.replacements:
        replacements = [
            {
                "deletedRegion": {
                    "charOffset": r.char_offset,
                    "charLength": r.char_length,
                    "startLine": r.start_line,
                    "startColumn": r.start_column,
                    "endLine": r.end_line,
                    "endColumn": r.end_column,
                },
                "insertedContent": {"text": r.text},
            }
            for r in fix.replacements
        ]
        description = fix.description or f"Read the value from the environment variable {fix.env_name}"
        if fix.needs_os_import:
            description = f"{description} (adds `import os`)"
        if fix_applicability(finding) == "unsafe":
            description = f"{description} (unsafe: applied only with `--unsafe-fixes`)"
        result["fixes"] = [
            {
                "description": {"text": description},
                "artifactChanges": [{"artifactLocation": dict(location), "replacements": replacements}],
            }
        ]
    return result


def _file_region(finding: Finding) -> tuple[int, int, int, int]:
    """Where the finding is in the file's own text: in a notebook, a line of the .ipynb JSON
    (its cell and line within the cell are for people; annotations need the file's line)."""
    if finding.file_position is None:
        return finding.line, finding.column, finding.end_line, finding.end_column
    line, column = finding.file_position
    width = finding.end_column - finding.column if finding.end_line == finding.line else 1
    return line, column, line, column + max(1, width)


def _notification(err: FileError, root_abs: Path) -> dict[str, Any]:
    notification: dict[str, Any] = {
        "level": "error",
        "message": {"text": err.message or "error"},
    }
    if err.path:
        notification["locations"] = [
            {"physicalLocation": {"artifactLocation": _artifact_location(err.path, root_abs)}}
        ]
    return notification


def _fingerprint(key: tuple[str, str, str, str], occurrence: int) -> str:
    """Stable across runs and line shifts; built only from non-secret fields."""
    material = "\0".join((*key, str(occurrence)))
    return _sha256_hex(material)


def _artifact_location(path: str, root_abs: Path) -> dict[str, str]:
    """``uri`` relative to `root_abs` (with ``uriBaseId``) when the file is under it, else a file URI."""
    relative = _relative_path(path, root_abs)
    if relative is not None:
        from urllib.parse import quote

        return {"uri": quote(relative.as_posix(), safe="/"), "uriBaseId": SRCROOT}
    return {"uri": Path(os.path.abspath(path)).as_uri()}


def _report_path(path: str, root_abs: Path | None) -> str:
    """`path` from `root_abs` in POSIX form when it lies under it, else as given."""
    relative = _relative_path(path, root_abs) if root_abs is not None else None
    return relative.as_posix() if relative is not None else path


def _relative_path(path: str, root_abs: Path) -> PurePath | None:
    """`path` relative to `root_abs` (also through symbolic links), or None when not under it."""
    path_abs = Path(os.path.abspath(path))
    relative = _relative_to(path_abs, root_abs)
    if relative is None:
        try:
            relative = _relative_to(path_abs.resolve(), root_abs.resolve())
        except (OSError, RuntimeError):
            relative = None
    return relative if relative is not None and relative.parts else None


def _relative_to(path: PurePath, root: PurePath) -> PurePath | None:
    try:
        return path.relative_to(root)
    except ValueError:
        return None


def _directory_uri(directory: Path) -> str:
    uri = directory.as_uri()
    return uri if uri.endswith("/") else uri + "/"


# --------------------------------------------------------------------------- #
# helpers
# --------------------------------------------------------------------------- #


def _sorted(findings: Iterable[Finding]) -> list[Finding]:
    return sorted(findings, key=lambda f: f.sort_key)


def _sorted_errors(errors: Iterable[FileError]) -> list[FileError]:
    return sorted(errors, key=lambda e: (e.path, e.message))


def _count_found(total: int, codes: Sequence[str]) -> str:
    """`3 secrets`, `2 problems`, or `5 problems (3 secrets)`: a finding of a rule that reports
    no secret (an input not declared Secret, a required one not passed) is a problem."""
    others = sum(1 for code in codes if code in NOT_SECRET_CODES)
    if not others:
        return _count(total, "secret")
    if others == total:
        return _count(total, "problem")
    return f"{_count(total, 'problem')} ({_count(total - others, 'secret')})"


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def _shown_model(finding: Finding) -> Optional[str]:
    """The finding's model as reports name it (a version by a prefix, a token by less)."""
    return finding.model.display() if finding.model is not None else None


def _one_line(text: str) -> str:
    return text.replace("\r\n", " ").replace("\n", " ").replace("\r", " ")


class _Scrubbers:
    """A `Scrubber` per file: what is said about a file can only hold that file's secrets.

    Scrubbing every string with every secret of the run grew as findings x output and
    took a minute on a 5,000-finding SARIF report.
    """

    def __init__(self, findings: Iterable[Finding]) -> None:
        by_path: dict[str, set[str]] = {}
        for f in findings:
            if f.fix is not None:
                by_path.setdefault(f.path, set()).add(f.fix.secret)
        self._by_path = {
            path: Scrubber(secrets, min_length=_MIN_SCRUB_LENGTH) for path, secrets in by_path.items()
        }
        self._none = Scrubber(())
        # Errors are few, and may name another file than the one whose secret they hold.
        self.for_errors = Scrubber(
            (secret for secrets in by_path.values() for secret in secrets), min_length=_MIN_SCRUB_LENGTH
        )

    def for_path(self, path: str) -> Scrubber:
        return self._by_path.get(path, self._none)


def _sha256_hex(material: str) -> str:
    # hashlib loads OpenSSL: imported by the reports that fingerprint findings, not by every run.
    import hashlib

    return hashlib.sha256(material.encode("utf-8")).hexdigest()
