"""Redaction: no output ever shows more than a short prefix of a secret."""

from __future__ import annotations

import re

VISIBLE_PREFIX = 4
ELLIPSIS = "\u2026"


def redact(secret: str) -> str:
    """Show at most `VISIBLE_PREFIX` characters, and never more than a third of the value."""
    visible = min(VISIBLE_PREFIX, len(secret) // 3)
    return secret[:visible] + ELLIPSIS


def redact_all(text: str, secrets: list[str] | tuple[str, ...] | set[str]) -> str:
    """Replace every occurrence of each secret in `text` with its redacted form."""
    for secret in sorted(set(secrets), key=len, reverse=True):
        if secret:
            text = text.replace(secret, redact(secret))
    return text


_WORD = re.compile(r"[A-Za-z0-9_\-]{12,}")


def redact_token_shapes(text: str) -> str:
    """Redact every word of free text shaped like a credential (`r8_...`, `hf_...`, `sk-...`).

    For text a user typed that may hold a pasted token, such as an argument echoed in an error.
    """
    from lint_secrets.heuristics import token_shape

    def shaped(word: str) -> bool:
        return word.startswith("r8_") or token_shape(word) is not None

    return _WORD.sub(lambda m: redact(m.group(0)) if shaped(m.group(0)) else m.group(0), text)
