"""The cheap byte-level test that decides whether a file is parsed at all."""

from __future__ import annotations

import codecs
import re
from typing import Callable, Dict, FrozenSet, List, Optional, Pattern, Sequence, Tuple

from lint_secrets.catalog import IMPORTS, NEEDLES

# UTF-16 and UTF-32 files hide every needle behind NULs; Python rejects them, and so do we, aloud.
WIDE_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE, codecs.BOM_UTF32_BE)


def _import_pattern(modules: Sequence[str]) -> Pattern[bytes]:
    names = b"|".join(re.escape(m.encode("ascii")) for m in modules)
    return re.compile(
        # A line start, also inside a notebook's JSON (`"import ...`, `...\\nimport ...`).
        rb"(?:^(?:\xef\xbb\xbf)?|[\r\n;\"]|\\n)[ \t\f]*(?:from[ \t]+(?:"
        + names
        + rb")\b|import[ \t][^\r\n]*\b(?:"
        + names
        + rb")\b)"
    )


IMPORT_PATTERN = _import_pattern(IMPORTS)
IMPORT_WORDS = tuple(m.encode("ascii") for m in IMPORTS)
WORD_BYTES = frozenset(b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_")


def _needles_behind(words: Sequence[bytes]) -> Tuple[Tuple[bytes, ...], Dict[bytes, Tuple[bytes, ...]]]:
    """The needles to look for in every file, and by module word the needles that hold it.

    A needle that holds a module's name (`api.replicate.com`) can only be in a file that
    holds the name, which the import test looks for anyway: each pass over a file's bytes
    costs as much as reading it, and most files hold neither.
    """
    behind: Dict[bytes, Tuple[bytes, ...]] = {word: () for word in words}
    alone: List[bytes] = []
    for needle in NEEDLES:
        word = next((word for word in words if word in needle), None)
        if word is None:
            alone.append(needle)
        else:
            behind[word] += (needle,)
    return tuple(alone), behind


NEEDLES_ALONE, NEEDLES_BEHIND = _needles_behind(IMPORT_WORDS)

# Digits other than 0 are rare in Python source (each about one byte in a thousand in CPython's
# Lib/). A short needle holding one (`r8_`) is found faster from it: the C library finds a
# single byte many times faster than Python's search finds three whose last (`_`) is
# everywhere, and only the few places of that byte are compared with the whole needle.
RARE_BYTES = b"123456789"
SHORT_NEEDLE = 8  # longer needles skip far enough on their own


def _rare_byte_at(needle: bytes) -> int:
    if len(needle) > SHORT_NEEDLE:
        return -1
    return next((at for at, byte in enumerate(needle) if byte in RARE_BYTES), -1)


NEEDLES_SEARCHED = tuple(needle for needle in NEEDLES_ALONE if _rare_byte_at(needle) == -1)
NEEDLES_BY_RARE_BYTE = tuple(
    (needle, _rare_byte_at(needle), needle[_rare_byte_at(needle) : _rare_byte_at(needle) + 1])
    for needle in NEEDLES_ALONE
    if _rare_byte_at(needle) != -1
)


def _finder(word: bytes) -> Callable[[bytes], int]:
    """Where `word` first is in a file's bytes, or -1. A short word is found faster by an
    expression, whose engine scans for its first byte in a loop of its own (a word of three
    letters over Lib/: 17 ms, against 24 ms by `bytes.find`, whose skips are short); a
    longer one by `bytes.find`, which skips further."""
    if len(word) > SHORT_NEEDLE:
        return lambda data: data.find(word)
    search = re.compile(re.escape(word)).search

    def first(data: bytes) -> int:
        found = search(data)
        return -1 if found is None else found.start()

    return first


IMPORT_FINDERS = tuple((word, _finder(word)) for word in IMPORT_WORDS)


def _holds(data: bytes, needle: bytes, offset: int, rare: bytes) -> bool:
    """`needle in data`, looking for its byte `rare` (at `offset` in it) first."""
    at = data.find(rare, offset)
    while at != -1:
        if data.startswith(needle, at - offset):
            return True
        at = data.find(rare, at + 1)
    return False


def could_hold_findings(data: bytes) -> bool:
    """Whether any rule could report on `data`: it holds a needle or imports a module a rule needs."""
    if data.startswith(WIDE_BOMS) or any(needle in data for needle in NEEDLES_SEARCHED):
        return True
    if any(_holds(data, needle, offset, rare) for needle, offset, rare in NEEDLES_BY_RARE_BYTE):
        return True
    for word, find in IMPORT_FINDERS:
        at = find(data)
        if at != -1 and (any(needle in data for needle in NEEDLES_BEHIND[word]) or _imports(data, word, at)):
            return True
    return False


def imported_modules(data: bytes) -> FrozenSet[str]:
    """Which of the rules' modules `data` imports (by the same byte test)."""
    return frozenset(module for module, word in zip(IMPORTS, IMPORT_WORDS) if _imports(data, word))


def imports(data: bytes, module: str) -> bool:
    """Whether a line of `data` imports `module` (one of `IMPORTS`)."""
    return _imports(data, module.encode("ascii"))


def _imports(data: bytes, module: bytes, at: Optional[int] = None) -> bool:
    """Whether a line of `data` imports `module` (`at`: where it first is, if known).

    The pattern runs only on the lines where the module's name stands as a word: run over
    a whole file, it tries every position, and "cog" is inside many words ("recognize")
    of files that never import it.
    """
    if at is None:
        at = data.find(module)
    while at != -1:
        end = at + len(module)
        if (at == 0 or data[at - 1] not in WORD_BYTES) and (end == len(data) or data[end] not in WORD_BYTES):
            # From the line break before the line: the pattern starts a statement after one.
            line_break = max(data.rfind(b"\n", 0, at), data.rfind(b"\r", 0, at), 0)
            if IMPORT_PATTERN.search(data, line_break, end) is not None:
                return True
        at = data.find(module, end)
    return False
