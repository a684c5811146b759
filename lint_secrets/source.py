"""Reading Python source: bytes on disk to text, and text positions.

Columns follow ruff and flake8: 1-based and counted in characters, where the
`ast` module counts UTF-8 bytes.
"""

from __future__ import annotations

import ast
import bisect
import codecs
import io
import os
import re
import stat
import tokenize
import warnings
from dataclasses import dataclass
from itertools import accumulate
from typing import List, Optional, Tuple

from lint_secrets.records import Record

BOM = codecs.BOM_UTF8
MAX_FILE_BYTES = 64 * 1024 * 1024
_READ_FLAGS = os.O_RDONLY | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)


class SourceError(Exception):
    """The file's bytes are not Python source we can read; the message says why."""


def read_source(path: str) -> bytes:
    """A file's bytes; SourceError says why they can't be had.

    Read with the system calls themselves, sized by fstat: `read(MAX_FILE_BYTES + 1)`
    allocates a 64 MiB buffer for every file, which doubled the time of a walk over
    CPython's Lib/, and a file object costs a quarter of the time of a small file's read.
    """
    try:
        handle = os.open(path, _READ_FLAGS)
    except OSError as exc:
        raise _unreadable(exc) from None
    try:
        info = os.fstat(handle)
        if stat.S_ISDIR(info.st_mode):
            raise SourceError("is a directory")
        size = info.st_size
        if size > MAX_FILE_BYTES:
            raise SourceError("larger than 64 MiB; skipped")
        # One byte more than fstat says: a regular file that gives exactly its size is whole
        # (one call); one that grew meanwhile, a short read, or a pipe is read on to its end.
        first = os.read(handle, size + 1)
        if len(first) == size and stat.S_ISREG(info.st_mode):
            return first
        chunks = [first]
        total = len(first)
        while chunks[-1] and total <= MAX_FILE_BYTES:
            chunks.append(os.read(handle, max(info.st_size, 64 * 1024)))
            total += len(chunks[-1])
    except OSError as exc:
        raise _unreadable(exc) from None
    finally:
        os.close(handle)
    if total > MAX_FILE_BYTES:  # it grew meanwhile
        raise SourceError("larger than 64 MiB; skipped")
    return chunks[0] if len(chunks) <= 2 else b"".join(chunks)


def _unreadable(exc: OSError) -> SourceError:
    if isinstance(exc, IsADirectoryError):
        return SourceError("is a directory")
    return SourceError(f"cannot read: {exc.strerror or exc}")


@dataclass(frozen=True, repr=False, eq=False)
class Source(Record):
    """A decoded file, with what is needed to write it back byte for byte."""

    text: str
    encoding: str
    has_bom: bool

    def encode(self, text: str) -> bytes:
        data = text.encode(self.encoding)
        return BOM + data if self.has_bom else data


def decode_source(data: bytes) -> Source:
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
    except SyntaxError as exc:
        raise SourceError(_first_line(str(exc))) from None
    has_bom = data.startswith(BOM)
    if has_bom:
        data = data[len(BOM) :]
        encoding = "utf-8"
    if encoding == "utf-8-sig":
        encoding = "utf-8"
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise SourceError(f"cannot decode as {encoding}: invalid byte at offset {exc.start}") from None
    except LookupError:
        raise SourceError(f"unknown encoding {encoding!r}") from None
    return Source(text=text, encoding=encoding, has_bom=has_bom)


def _first_line(message: str) -> str:
    return message.strip().splitlines()[0] if message.strip() else "unreadable source"


_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$")
# What str.splitlines breaks lines at besides \r and \n.
_OTHER_LINE_BREAKS = ("\x0b", "\x0c", "\x1c", "\x1d", "\x1e", "\x85", "\u2028", "\u2029")


def physical_lines(text: str) -> List[str]:
    """The lines as Python's tokenizer sees them, with their endings.

    str.splitlines also splits on form feeds, \\x1c-\\x1e and Unicode separators,
    which would shift every position after them; on a text without them it splits as the
    tokenizer does, several times faster than the expression.
    """
    if not any(each in text for each in _OTHER_LINE_BREAKS):
        return text.splitlines(keepends=True)
    return _LINE.findall(text)


_QUOTED = re.compile(r"([\"'])([^\"'\r\n]{8,})\1")


def without_quoted_source(message: str) -> str:
    """A parser message with the source it quotes redacted.

    Python 3.9 answers `print "r8_..."` with `Did you mean print("r8_...")?`: the secret.
    Short quoted names (`'print'`) stay.
    """
    from lint_secrets.redact import redact, redact_token_shapes

    return redact_token_shapes(_QUOTED.sub(lambda m: m.group(1) + redact(m.group(2)) + m.group(1), message))


def parse_python(text: str) -> ast.Module | str:
    """The module's syntax tree, or one line saying why there is none.

    Python's own warnings about the code (invalid escapes, `is` with a literal) are
    the code's business, not the linter's output.
    """
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return ast.parse(text)
    except SyntaxError as exc:
        where = f" (line {exc.lineno}, column {exc.offset})" if exc.lineno else ""
        return f"syntax error: {without_quoted_source(exc.msg)}{where}"
    except (ValueError, TypeError) as exc:
        return f"cannot parse: {str(exc).splitlines()[0] if str(exc) else type(exc).__name__}"
    except (RecursionError, MemoryError):
        return "cannot parse: nested too deeply"


class LineIndex:
    """Maps `ast` positions (1-based line, UTF-8 byte column) to characters."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.lines: List[str] = physical_lines(text)
        self.starts: List[int] = [0, *accumulate(map(len, self.lines))]

    def line_text(self, lineno: int) -> str:
        if 1 <= lineno <= len(self.lines):
            return self.lines[lineno - 1]
        return ""

    def char_column(self, lineno: int, byte_col: int) -> int:
        """0-based character column of an `ast` byte column."""
        line = self.line_text(lineno)
        if line.isascii():
            return byte_col
        return len(line.encode("utf-8")[:byte_col].decode("utf-8", errors="ignore"))

    def position(self, offset: int) -> Tuple[int, int]:
        """1-based line and 0-based character column of a character offset."""
        line = bisect.bisect_right(self.starts, offset, 0, max(1, len(self.lines))) or 1
        return line, offset - self.starts[line - 1]

    def offset(self, lineno: int, byte_col: int) -> int:
        """Character offset into the text of an `ast` position."""
        if lineno > len(self.lines):
            return len(self.text)
        return self.starts[lineno - 1] + self.char_column(lineno, byte_col)


def comments_by_line(text: str) -> Optional[dict[int, str]]:
    """The comment on each line, found with the tokenizer so `#` in strings is not one."""
    comments: dict[int, str] = {}
    try:
        # newline=None: `\r` alone ends a line, as it does for Python and LineIndex.
        for token in tokenize.generate_tokens(io.StringIO(text, newline=None).readline):
            if token.type == tokenize.COMMENT:
                comments[token.start[0]] = token.string
    except (tokenize.TokenError, SyntaxError, IndentationError):
        return None
    return comments
