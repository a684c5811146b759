"""What looks like a secret when no schema says so, and what is only a placeholder."""

from __future__ import annotations

import re
from typing import Optional

# Input names: the last word (or last two) decides, so `hf_token` is a secret
# and `max_tokens`, `token_type` or `password_hint` are not.
SECRET_LAST_WORDS = frozenset(
    {"token", "password", "passwd", "passphrase", "secret", "apikey", "credential", "credentials"}
)
SECRET_LAST_PAIRS = frozenset(
    {
        ("api", "key"),
        ("access", "key"),
        ("secret", "key"),
        ("private", "key"),
        ("auth", "key"),
        ("license", "key"),
    }
)

TOKEN_SHAPES = (
    ("Replicate token", re.compile(r"r8_[A-Za-z0-9]{37}")),
    ("Hugging Face token", re.compile(r"hf_[A-Za-z0-9]{30,}")),
    ("Anthropic key", re.compile(r"sk-ant-[A-Za-z0-9_\-]{20,}")),
    ("OpenAI-style key", re.compile(r"sk-(?:proj-)?[A-Za-z0-9_\-]{20,}")),
    ("GitHub token", re.compile(r"(?:gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{22,})")),
    ("GitLab token", re.compile(r"glpat-[A-Za-z0-9_\-]{20,}")),
    ("Slack token", re.compile(r"xox[abposr]-[A-Za-z0-9\-]{10,}")),
    ("AWS access key", re.compile(r"AKIA[0-9A-Z]{16}")),
    ("Google API key", re.compile(r"AIza[0-9A-Za-z_\-]{35}")),
    ("40-hex key", re.compile(r"[0-9a-f]{40}")),
)

REPLICATE_TOKEN_IN_TEXT = re.compile(r"(?<![A-Za-z0-9_])r8_[A-Za-z0-9]{37}(?![A-Za-z0-9])")
REPLICATE_TOKEN = re.compile(r"r8_[A-Za-z0-9]{37}")

PLACEHOLDER_WORDS = frozenset(
    {
        "changeme",
        "placeholder",
        "replaceme",
        "secret",
        "password",
        "token",
        "apikey",
        "apitoken",
        "todo",
        "fixme",
        "none",
        "null",
        "redacted",
        "dummy",
        "example",
        "sample",
        "fake",
        "test",
        "xxx",
    }
)
PLACEHOLDER_PATTERNS = (
    re.compile(r"^<[^<>]*>$"),  # <your token>
    re.compile(r"\$\{[^}]*\}|^\$[A-Za-z_][A-Za-z0-9_]*$"),  # ${HF_TOKEN}, $HF_TOKEN
    re.compile(r"^\{\{.*\}\}$"),  # {{ hf_token }}
    re.compile(r"^(?:your|insert|enter|replace|put|paste)(?:[-_ .]|$)", re.IGNORECASE),  # YOUR_API_KEY
    re.compile(r"[-_ ]here$", re.IGNORECASE),  # token-goes-here, api_key_here
)
KNOWN_PREFIX = re.compile(r"^(?:r8_|hf_|sk-ant-|sk-|ghp_|glpat-)")


def words(name: str) -> list[str]:
    spaced = re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", name)
    return [w for w in re.split(r"[^A-Za-z0-9]+", spaced.lower()) if w]


# Models on Replicate take text tokens as inputs too: `eos_token`, `trigger_token`...
TEXT_TOKEN_WORDS = frozenset(
    {
        "bos", "eos", "pad", "unk", "sep", "cls", "mask", "stop", "start", "end", "special",
        "trigger", "seed", "instance", "class", "concept", "placeholder", "prompt", "image",
        "text", "new", "extra", "added", "vocab", "sentinel", "init", "initializer",
    }
)  # fmt: skip
# A 40-hex value under one of these names is a commit or a digest, not a W&B key.
HASH_WORDS = frozenset(
    {"commit", "sha", "sha1", "hash", "revision", "rev", "checksum", "digest", "etag", "md5"}
)
# Values made only of these words are filler: "fake_api_key", "my-api-key", "test-key".
FILLER_WORDS = frozenset(
    {
        "my",
        "your",
        "the",
        "a",
        "an",
        "api",
        "key",
        "keys",
        "value",
        "here",
        "demo",
        "local",
        "dev",
        "foo",
        "bar",
    }
)


def secret_sounding_name(name: str) -> bool:
    parts = words(name)
    if not parts:
        return False
    if parts[-1] == "token" and len(parts) >= 2 and parts[-2] in TEXT_TOKEN_WORDS:
        return False
    if parts[-1] in SECRET_LAST_WORDS:
        return True
    return len(parts) >= 2 and (parts[-2], parts[-1]) in SECRET_LAST_PAIRS


def hash_sounding_name(name: str) -> bool:
    return any(part in HASH_WORDS for part in words(name))


def token_shape(value: str) -> Optional[str]:
    """The kind of credential a value is shaped like, if any."""
    stripped = value.strip()
    for label, pattern in TOKEN_SHAPES:
        if pattern.fullmatch(stripped):
            return label
    return None


def is_placeholder(value: str) -> bool:
    """Values that are not secrets: empty, filler, `YOUR_API_KEY`, `<token>`, `${VAR}`, `...`."""
    stripped = value.strip()
    if not stripped:
        return True
    body = KNOWN_PREFIX.sub("", stripped)
    if len(set(body)) <= 1:
        return True
    if "..." in stripped or "\u2026" in stripped:
        return True
    if re.sub(r"[-_ .]", "", stripped.lower()) in PLACEHOLDER_WORDS:
        return True
    parts = [part for part in re.split(r"[^a-z0-9]+", body.lower()) if part]
    if parts and all(part in PLACEHOLDER_WORDS or part in FILLER_WORDS for part in parts):
        return True
    return any(pattern.search(stripped) for pattern in PLACEHOLDER_PATTERNS)
