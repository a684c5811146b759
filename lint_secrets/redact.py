"""Redaction: no output ever shows more than a short prefix of a secret."""

from __future__ import annotations

import re
from typing import Any, Dict, Iterable, List, Optional, Set, Tuple

VISIBLE_PREFIX = 4
_FEW_SECRETS = 16  # up to this many, each is searched for in the text
_PREFIX = 4  # past that, secrets are looked up by this many first characters
ELLIPSIS = "\u2026"


def redact(secret: str) -> str:
    """Show at most `VISIBLE_PREFIX` characters, and never more than a third of the value."""
    visible = min(VISIBLE_PREFIX, len(secret) // 3)
    return secret[:visible] + ELLIPSIS


def redact_all(text: str, secrets: Iterable[str]) -> str:
    """Replace every occurrence of each secret in `text` with its redacted form."""
    return Scrubber(secrets)(text)


class Scrubber:
    """Replace every known secret with its redacted form, in text or in a JSON-ready tree."""

    def __init__(self, secrets: Iterable[str], *, min_length: int = 1) -> None:
        # Longest first, so a secret that contains another is replaced whole.
        self._secrets = sorted({s for s in secrets if len(s) >= min_length}, key=len, reverse=True)
        # Many secrets (a large file's findings): looked up by their first characters at each
        # place in the text, not searched for one by one in every line (quadratic).
        # Under each prefix they are grouped by length, longest first: keys of one kind share
        # their first characters (`sk-proj-`, `r8_`), and trying each secret of the prefix in
        # turn grew as findings x lines again.
        self._by_prefix: Dict[str, List[Tuple[int, Set[str]]]] = {}
        self._short: List[str] = []
        if len(self._secrets) > _FEW_SECRETS:
            by_length: Dict[str, Dict[int, Set[str]]] = {}
            for secret in self._secrets:
                if len(secret) >= _PREFIX:
                    by_length.setdefault(secret[:_PREFIX], {}).setdefault(len(secret), set()).add(secret)
                else:
                    self._short.append(secret)
            self._by_prefix = {
                prefix: sorted(lengths.items(), key=lambda item: -item[0])
                for prefix, lengths in by_length.items()
            }

    def __call__(self, text: str) -> str:
        if not self._by_prefix:
            for secret in self._secrets:
                if secret in text:
                    text = text.replace(secret, redact(secret))
            return text
        # Every place any secret occurs, overlapping ones merged: each merged stretch is
        # redacted whole, so no part of one secret is left where another overlaps it.
        spans: List[List[int]] = []
        by_prefix = self._by_prefix
        for at in range(len(text) - _PREFIX + 1):
            bucket = by_prefix.get(text[at : at + _PREFIX])
            if bucket is None:
                continue
            for length, secrets in bucket:  # longest first
                if text[at : at + length] in secrets:
                    end = at + length
                    if spans and at <= spans[-1][1]:
                        spans[-1][1] = max(spans[-1][1], end)
                    else:
                        spans.append([at, end])
                    break
        if spans:
            pieces: List[str] = []
            done = 0
            for start, end in spans:
                pieces.extend((text[done:start], redact(text[start:end])))
                done = end
            pieces.append(text[done:])
            text = "".join(pieces)
        for secret in self._short:
            if secret in text:
                text = text.replace(secret, redact(secret))
        return text

    def tree(self, value: Any) -> Any:
        """Scrub every string (keys included) in a JSON-ready tree."""
        if not self._secrets:
            return value
        if isinstance(value, str):
            return self(value)
        if isinstance(value, dict):
            return {self(str(k)): self.tree(v) for k, v in value.items()}
        if isinstance(value, list):
            return [self.tree(v) for v in value]
        return value


PIECE = 5  # a server echoing any 5 characters of the token in a row gets them redacted


def without_pieces_of(text: str, secret: str) -> str:
    """`text` with every run of `PIECE` or more characters that also occurs in `secret` redacted
    (for text from elsewhere, such as an API error body, that may echo a token in pieces)."""
    pieces = {secret[i : i + PIECE] for i in range(len(secret) - PIECE + 1)}
    if len(secret) < PIECE or not any(piece in text for piece in pieces):
        return text.replace(secret, "[redacted]") if secret else text
    keep = [True] * len(text)
    for start in range(len(text) - PIECE + 1):
        if text[start : start + PIECE] in pieces:
            for i in range(start, start + PIECE):
                keep[i] = False
    out: List[str] = []
    for i, char in enumerate(text):
        if keep[i]:
            out.append(char)
        elif i == 0 or keep[i - 1]:
            out.append("[redacted]")
    return "".join(out)


_WORD = re.compile(r"[A-Za-z0-9_\-]{12,}")


def redact_token_shapes(text: str) -> str:
    """Redact every word of free text shaped like a credential (`r8_...`, `hf_...`, `sk-...`).

    For text a user typed that may hold a pasted token, such as an argument echoed in an error.
    """
    from lint_secrets.heuristics import token_shape

    def shaped(word: str) -> bool:
        return word.startswith("r8_") or token_shape(word) is not None

    return _WORD.sub(lambda m: redact(m.group(0)) if shaped(m.group(0)) else m.group(0), text)


# Words that could be (part of) a credential in a server's message: Replicate's `r8_` tokens,
# and long runs of letters and digits. 64-hex version ids are left alone.
_TOKENISH_WORD = re.compile(r"r8_[A-Za-z0-9_-]*|[A-Za-z0-9_-]{20,}")
_VERSION_ID = re.compile(r"[0-9a-f]{64}")


def redact_tokenish_words(text: str) -> str:
    """Cut every word of `text` that could be a credential to its first 3 characters: wider
    than `redact_token_shapes`, for text from a server (an error body) that may echo a token
    of a shape no pattern knows."""

    def masked(match: re.Match[str]) -> str:
        word = match.group(0)
        if _VERSION_ID.fullmatch(word):
            return word
        digits = sum(ch.isdigit() for ch in word)
        letters = sum(ch.isalpha() for ch in word)
        if word.startswith("r8_") or (len(word) >= 24 and digits >= 3 and letters >= 3):
            return word[:3] + ELLIPSIS
        return word

    return _TOKENISH_WORD.sub(masked, text)


# Where a name or a URL is expected, anything of these shapes is taken for a pasted key.
_CREDENTIAL_WORD = re.compile(r"[A-Za-z0-9_\-]+")
_KNOWN_PIECE = 8  # this many characters of the known token in a row


def credential_in(text: str, known: Optional[str] = None) -> Optional[str]:
    """The first word of `text` shaped like a credential (`r8_...`, `hf_...`, `sk-...`, 40 hex
    digits...), or holding `_KNOWN_PIECE` characters in a row of the `known` token; None if none.

    For text a user typed where a name or an address belongs (a model REF, a base URL): what
    it returns must never be printed or sent, only redacted.
    """
    from lint_secrets.heuristics import TOKEN_SHAPES

    pieces = {known[i : i + _KNOWN_PIECE] for i in range(len(known) - _KNOWN_PIECE + 1)} if known else set()
    for match in _CREDENTIAL_WORD.finditer(text):
        word = match.group(0)
        if word.startswith("r8_") and len(word) > 8:
            return word
        if any(pattern.search(word) for _label, pattern in TOKEN_SHAPES):
            return word
        if any(piece in word for piece in pieces):
            return word
    return None


SHORT_PIECE = 4  # a server's message holding this many characters of the token in a row is withheld


def quotes_token(text: str, secret: str) -> bool:
    """Whether `text` holds a piece of `secret` someone could help rebuild it from: any
    `SHORT_PIECE` characters of it in a row, or two different 3-character pieces. (Shorter
    pieces can't be told from ordinary text.)"""
    if not secret:
        return False
    if len(secret) < SHORT_PIECE:
        return secret in text
    if any(secret[i : i + SHORT_PIECE] in text for i in range(len(secret) - SHORT_PIECE + 1)):
        return True
    triples = {secret[i : i + 3] for i in range(len(secret) - 2)}
    return sum(1 for triple in triples if triple in text) >= 2
