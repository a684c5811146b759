"""Replicate tokens found on a file's text, wherever they are written.

The syntax tree sees string literals only. A token pasted into a comment, a docstring,
commented-out code, a bytes literal, a shell line of a notebook, or anywhere in a file
that does not parse has leaked as surely: one regular expression over the bytes already
read finds them all, with their line and column.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from itertools import accumulate
from typing import List, Tuple

from lint_secrets.heuristics import is_placeholder
from lint_secrets.records import Record

# `r8_` and 37 letters and digits, not glued to a longer word; or the legacy 40-hex token,
# only where the text gives it to REPLICATE_API_TOKEN (`export REPLICATE_API_TOKEN=...`,
# `"REPLICATE_API_TOKEN": "..."`, `os.environ["REPLICATE_API_TOKEN"] = "..."`, `%env ...`, a
# settings field `replicate_api_token: str = "..."`, which pydantic reads whatever the case),
# or sends it in an HTTP header written as text (`curl -H "Authorization: Token ..."`) near
# the Replicate API's URL (see HEADER_REACH).
#
# Every match starts with `r`, `R` or `A`: the lookahead in front says so to the engine, which
# then skips other bytes fast (a third of the time over a file; the matches are the same).
TEXT_TOKEN = re.compile(
    rb"(?=[rRA])(?:"
    rb"(?<![A-Za-z0-9_])(?P<r8>r8_[A-Za-z0-9]{37})(?![A-Za-z0-9])"
    rb"|(?i:REPLICATE_API_TOKEN)[\"'\]]{0,2}(?:[ \t]*:[ \t]*[A-Za-z_][\w.\[\], |]{0,60}?(?=[ \t]*=))?"
    rb"(?:[ \t]*[=:,][ \t]*|[ \t]+)"
    rb"(?:[rRbBuUfF]{0,2}[\"'])?(?P<hex>[0-9a-f]{40})(?![0-9A-Za-z])"
    rb"|Authorization:[ \t]*(?:Token|Bearer)[ \t]+(?P<header>[0-9a-f]{40})(?![0-9A-Za-z])"
    rb")"
)
REPLICATE_API_HOST = b"api.replicate.com"
# Bytes without which no token can be on the text (the variable's name in its two usual cases).
TOKEN_NEEDLES = (b"r8_", b"REPLICATE_API_TOKEN", b"replicate_api_token", REPLICATE_API_HOST)
# A header's 40 hex digits are Replicate's when its URL is this many lines away or less: a
# curl command continued over lines, a subprocess's list of arguments. GitHub's `token`
# header to api.github.com is no business of this tool.
HEADER_REACH = 5
BOM = b"\xef\xbb\xbf"


@dataclass(frozen=True, repr=False, eq=False)
class TextToken(Record):
    """A token on the text: 1-based lines, 0-based character columns (end exclusive)."""

    line: int
    column: int
    end_column: int
    value: str
    legacy: bool  # the 40-hex form, found by its REPLICATE_API_TOKEN context


def scan_tokens(data: bytes, encoding: str = "utf-8") -> List[TextToken]:
    """Every Replicate token in `data` that is not a placeholder, in order."""
    if not any(needle in data for needle in TOKEN_NEEDLES):
        return []
    found: List[TextToken] = []
    starts: List[int] = []
    for match in TEXT_TOKEN.finditer(data):
        group = next(name for name in ("r8", "hex", "header") if match.group(name) is not None)
        value = match.group(group).decode("ascii")
        if is_placeholder(value):
            continue
        if not starts:
            starts = line_starts(data)
        start = match.start(group)
        line, column = _position(data, starts, start, encoding)
        if group == "header" and not _near_replicate_url(data, starts, line):
            continue
        found.append(TextToken(line, column, column + len(value), value, group != "r8"))
    return found


def _near_replicate_url(data: bytes, starts: List[int], line: int) -> bool:
    first = starts[max(line - 1 - HEADER_REACH, 0)]
    last = line + HEADER_REACH
    end = starts[last] if last < len(starts) else len(data)
    return REPLICATE_API_HOST in data[first:end]


def line_starts(data: bytes) -> List[int]:
    """Byte offsets where each line starts, with Python's line breaks (\\r\\n, \\r, \\n):
    those bytes.splitlines breaks at, counted in C."""
    lines = data.splitlines(keepends=True)
    starts = [0, *accumulate(map(len, lines))]
    if lines and not lines[-1].endswith((b"\n", b"\r")):
        starts.pop()  # the last line has no break after it: no line starts at the end
    return starts


def _position(data: bytes, starts: List[int], offset: int, encoding: str) -> Tuple[int, int]:
    line = bisect.bisect_right(starts, offset)
    line_start = starts[line - 1]
    if line == 1 and data.startswith(BOM):
        line_start += len(BOM)
    prefix = data[line_start:offset]
    if prefix.isascii():
        return line, len(prefix)
    try:
        return line, len(prefix.decode(encoding, errors="replace"))
    except LookupError:
        return line, len(prefix.decode("utf-8", errors="replace"))


__all__ = ["HEADER_REACH", "TEXT_TOKEN", "TextToken", "line_starts", "scan_tokens"]
