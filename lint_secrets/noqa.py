"""`# noqa` comments: which findings they suppress, file-level exemptions, and `--add-noqa`."""

from __future__ import annotations

import io
import os
import re
import stat
import tokenize
from typing import TYPE_CHECKING, Callable, Dict, FrozenSet, List, Optional, Sequence, Set, Tuple, Union

from lint_secrets.findings import FileError, Finding
from lint_secrets.source import LineIndex, SourceError, comments_by_line, decode_source, read_source

if TYPE_CHECKING:
    from lint_secrets.checker import FileResult
    from lint_secrets.rules.base import Candidate

NOQA = re.compile(r"#\s*noqa(?::\s*(?P<codes>[A-Z]+[0-9]+(?:[,\s]+[A-Z]+[0-9]+)*))?", re.IGNORECASE)
# `# lint-secrets: noqa` exempts the whole file; `# lint-secrets: noqa: RS101,RS103` those codes.
# Anything else after `noqa` (`# lint-secrets: noqa RS102`, the colon forgotten) is not a
# directive: it exempts nothing, and the run says so (ruff warns of its own invalid ones too).
FILE_NOQA = re.compile(
    r"#\s*lint-secrets\s*:\s*noqa(?::\s*(?P<codes>[A-Z]+[0-9]+(?:[,\s]+[A-Z]+[0-9]+)*))?(?P<rest>[^#]*)",
    re.IGNORECASE,
)


def _noqa_lines(candidate: Candidate) -> Set[int]:
    """Where a `# noqa` counts: the literal's first and last lines (a string spanning lines
    takes its comment after its end, as in ruff), and the call's first and last lines."""
    end_line = getattr(candidate.node, "end_lineno", None)
    lines = {candidate.node.lineno, end_line, candidate.call_line, candidate.call_end_line}
    return {line for line in lines if line}


def without_noqa(candidates: Sequence[Candidate], index: LineIndex) -> List[Candidate]:
    lines = set().union(*(_noqa_lines(c) for c in candidates)) if candidates else set()
    if not any(NOQA.search(index.line_text(line)) for line in lines):
        return list(candidates)
    comments = comments_by_line(index.text) or {}
    return [
        candidate
        for candidate in candidates
        if not any(suppresses(comments.get(line, ""), candidate.code) for line in _noqa_lines(candidate))
    ]


def _codes(listed: str) -> Set[str]:
    return {code.upper() for code in re.split(r"[,\s]+", listed) if code}


def exempt_codes(text: str) -> FrozenSet[str]:
    """The codes a file-level `# lint-secrets: noqa` comment turns off for the whole file."""
    codes: Set[str] = set()
    for _, match in _file_directives(text):
        if _malformed(match):
            continue
        if match.group("codes") is None:
            from lint_secrets.rules import ALL_CODES

            return frozenset(ALL_CODES)
        codes |= _codes(match.group("codes"))
    return frozenset(codes)


def malformed_file_noqa(text: str) -> List[str]:
    """What to say of each `# lint-secrets: noqa` comment that is not a directive."""
    return [
        f"{line}: `{match.group(0).strip()}` is not a file-level noqa (write `# lint-secrets: noqa` "
        "or `# lint-secrets: noqa: CODE,...`); it exempts nothing"
        for line, match in _file_directives(text)
        if _malformed(match)
    ]


def _file_directives(text: str) -> List[Tuple[int, re.Match[str]]]:
    if not FILE_NOQA.search(text):
        return []
    return [
        (line, match)
        for line, comment in sorted((comments_by_line(text) or {}).items())
        for match in FILE_NOQA.finditer(comment)
    ]


def _malformed(match: re.Match[str]) -> bool:
    rest = match.group("rest")
    if match.group("codes") is not None:
        return bool(rest) and not rest[0].isspace() and rest[0] not in ",#"
    return bool(rest.strip())


def add_noqa_to_file(
    path: str, findings: Sequence[Finding], check_bytes: Callable[[str, bytes], FileResult]
) -> Union[int, FileError]:
    """Append `# noqa: CODE` where each finding's suppression is read (its line, else the end
    of its string or its call's first line), adding to a `# noqa: ...` list already there.

    Written only if the file still parses and `check_bytes` finds none of the findings
    again; the number of lines changed, or the error that kept the file as it was.
    """
    try:
        data = read_source(path)
        source = decode_source(data)
    except SourceError as exc:
        return FileError(path, str(exc))
    comment_columns = _line_ends(source.text)
    if comment_columns is None:
        return FileError(path, "cannot tokenize; no noqa comment added")
    codes_by_line: Dict[int, List[str]] = {}
    for finding in findings:
        places = (finding.line, finding.end_line, finding.call_line)
        line = next((n for n in places if n and n in comment_columns), None)
        if line is None:
            return FileError(path, f"{finding.line}: no line end to hold a noqa comment; nothing added")
        codes = codes_by_line.setdefault(line, [])
        if finding.code not in codes:
            codes.append(finding.code)
    lines = LineIndex(source.text).lines
    for line, codes in codes_by_line.items():
        lines[line - 1] = _with_noqa(lines[line - 1], comment_columns[line], codes)
    new_data = source.encode("".join(lines))
    again = check_bytes(path, new_data)
    targets = {(f.code, f.line, f.column) for f in findings}
    if again.errors or any((f.code, f.line, f.column) in targets for f in again.findings):
        return FileError(path, "the noqa comments would not suppress every finding; nothing added")
    try:
        info = os.stat(path)
        with open(path, "rb") as handle:
            if handle.read() != data:
                return FileError(path, "file changed on disk while it was being checked; nothing added")
        from lint_secrets.atomic import replace_file

        replace_file(os.path.realpath(path), new_data, mode=stat.S_IMODE(info.st_mode))
    except OSError as exc:
        return FileError(path, f"cannot write: {exc.strerror or exc}")
    return len(codes_by_line)


def _line_ends(text: str) -> Optional[Dict[int, Optional[int]]]:
    """For each line whose end a comment may follow, the column of its comment (None if none).

    A line ending inside a string or after a backslash continuation has no such place.
    """
    places: Dict[int, Optional[int]] = {}
    try:
        for token in tokenize.generate_tokens(io.StringIO(text).readline):
            if token.type == tokenize.COMMENT:
                places[token.start[0]] = token.start[1]
            elif token.type in (tokenize.NEWLINE, tokenize.NL):
                places.setdefault(token.start[0], None)
    except (tokenize.TokenError, SyntaxError, IndentationError):
        return None
    return places


def _with_noqa(line: str, comment_column: Optional[int], codes: Sequence[str]) -> str:
    body = line.rstrip("\r\n")
    ending = line[len(body) :]
    if comment_column is not None:
        comment = body[comment_column:]
        for match in NOQA.finditer(comment):
            if match.group("codes") is not None:
                listed = _codes(match.group("codes"))
                extra = ", ".join(code for code in codes if code not in listed)
                if not extra:
                    return line
                end = comment_column + match.end("codes")
                return body[:end] + ", " + extra + body[end:] + ending
    return f"{body.rstrip()}  # noqa: {', '.join(codes)}{ending}"


def suppresses(comment: str, code: str) -> bool:
    for match in NOQA.finditer(comment):
        codes = match.group("codes")
        if codes is None:
            continue  # a noqa without codes is for line lengths and the like: a secret needs its code named
        if code in _codes(codes):
            return True
    return False
