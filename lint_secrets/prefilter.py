"""The cheap byte-level test that decides whether a file is parsed at all."""

from __future__ import annotations

import codecs
import re
from typing import Pattern, Sequence

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
# A plain search first: the pattern only runs on the few files that name a module.
IMPORT_WORDS = tuple(m.encode("ascii") for m in IMPORTS)


def could_hold_findings(data: bytes) -> bool:
    """Whether any rule could report on `data`: it holds a needle or imports a module a rule needs."""
    if data.startswith(WIDE_BOMS) or any(needle in data for needle in NEEDLES):
        return True
    return any(word in data for word in IMPORT_WORDS) and IMPORT_PATTERN.search(data) is not None
