"""`# noqa` comments: which findings they suppress."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, List, Sequence, Set

from lint_secrets.source import LineIndex, comments_by_line

if TYPE_CHECKING:
    from lint_secrets.rules import Candidate

NOQA = re.compile(r"#\s*noqa(?::\s*(?P<codes>[A-Z]+[0-9]+(?:[,\s]+[A-Z]+[0-9]+)*))?", re.IGNORECASE)


def _noqa_lines(candidate: Candidate) -> Set[int]:
    """Where a `# noqa` counts: the literal's line, and the call's first and last lines."""
    lines = {candidate.node.lineno, candidate.call_line, candidate.call_end_line}
    return {line for line in lines if line}


def without_noqa(candidates: Sequence[Candidate], index: LineIndex) -> List[Candidate]:
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
