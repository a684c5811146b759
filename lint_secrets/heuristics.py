"""What looks like a secret when no schema says so, and what is only a placeholder."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable, Optional, Pattern, Tuple

# Input names: the last word (or last two) decides, so `hf_token` is a secret
# and `max_tokens`, `token_type` or `password_hint` are not.
SECRET_LAST_WORDS = frozenset(
    {
        "token",
        "password",
        "passwd",
        "passphrase",
        "secret",
        "apikey",
        "credential",
        "credentials",
        "cookie",
        "cookies",
    }
)
# `*_key` is a credential after these words (a service's key, `ssh_key`), not after others
# (`sort_key`, `cache_key`, a musical `key`); `*_pat` (a personal access token) after any word.
CREDENTIAL_KEY_QUALIFIERS = frozenset(
    {
        "openai", "anthropic", "claude", "civitai", "hf", "huggingface", "replicate", "elevenlabs",
        "groq", "mistral", "cohere", "gemini", "google", "stripe", "aws", "azure", "wandb",
        "github", "gitlab", "deepl", "pinecone", "serper", "serpapi", "tavily", "together",
        "fireworks", "perplexity", "deepseek", "fal", "runway", "stability", "openrouter", "xai",
        "ssh", "signing", "encryption", "master", "client", "service", "account", "subscription",
        "developer", "session",
    }
)  # fmt: skip
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
# Tokens made before the `r8_` prefix: 40 hex digits.
LEGACY_REPLICATE_TOKEN = re.compile(r"[0-9a-f]{40}")

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
        "foobar",
        "foo",
        "bar",
        "baz",
        "mock",
        "invalid",
        "unset",
        "notset",
        "missing",
        "na",
        "n/a",
    }
)
# Words that mark a value as made up when they appear anywhere in it, glued to others or not
# (`hf_dummytoken`, `fake-elevenlabs-key`). Lower case only: the capitalised `FAKE` inside
# test values that must still be flagged (`el-FAKE-2b1c...`) is this project's own convention.
MADE_UP_MARKERS = re.compile(r"dummy|fake|mock|test|example|sample|placeholder|invalid|notreal|foobar")
KNOWN_PREFIX = re.compile(r"^(?:r8_|hf_|sk-ant-|sk-|ghp_|glpat-)")


@dataclass(frozen=True)
class Placeholder:
    """One kind of value that only stands in for a secret. `examples` are tested, one by one."""

    name: str
    why: str
    examples: Tuple[str, ...]
    pattern: Optional[Pattern[str]] = None  # searched in the stripped value
    test: Optional[Callable[[str], bool]] = None  # given the stripped value


def _one_repeated_character(value: str) -> bool:
    return len(set(KNOWN_PREFIX.sub("", value))) <= 1


def _only_placeholder_words(value: str) -> bool:
    if re.sub(r"[-_ .]", "", value.lower()) in PLACEHOLDER_WORDS:
        return True
    parts = [part for part in re.split(r"[^a-z0-9]+", KNOWN_PREFIX.sub("", value).lower()) if part]
    return bool(parts) and all(part in PLACEHOLDER_WORDS or part in FILLER_WORDS for part in parts)


def _made_up_words(value: str) -> bool:
    body = KNOWN_PREFIX.sub("", value)
    return (
        re.fullmatch(r"[a-z]+(?:[-_ ][a-z]+)*", body) is not None and MADE_UP_MARKERS.search(body) is not None
    )


# Every placeholder the rules skip, in one place (the README lists them from here).
PLACEHOLDERS: Tuple[Placeholder, ...] = (
    Placeholder("empty", "nothing but spaces", ("", " ", "\t\n"), test=lambda v: not v),
    Placeholder(
        "one repeated character",
        "after a known prefix or not",
        (
            "x",
            "xxxxxxxx",
            "••••••••",
            "hf_xxxxxxxxxxxxxxxxxxxxxx",
            "r8_0000000000000000000000000000000000000",
        ),
        test=_one_repeated_character,
    ),
    Placeholder(
        "masked",
        "a prefix then only `x`, `X`, `*` or `0`, or groups of them",
        ("xxxx-xxxx-xxxx", "sk-proj-xxxxxxxx", "sk_elevenlabs_xxxxxxxxxxxx", "r8_********", "XXXX_XXXX"),
        pattern=re.compile(r"^(?:[A-Za-z][A-Za-z0-9]{0,11}[-_])*[xX*0]{3,}(?:[-_ ][xX*0]+)*$"),
    ),
    Placeholder(
        "ellipsis", "an elided value", ("...", "abc...", "sk-\u2026"), pattern=re.compile(r"\.\.\.|\u2026")
    ),
    Placeholder(
        "placeholder words",
        "only words such as `changeme`, `fake`, `api`, `key`, `foobar`, `unset`, `N/A`",
        (
            "changeme",
            "CHANGE_ME",
            "fake_api_key",
            "my-api-key",
            "test-key",
            "sk-test",
            "foobar",
            "N/A",
            "not-set",
        ),
        test=_only_placeholder_words,
    ),
    Placeholder(
        "made-up words",
        "lower-case words, glued or not, with `dummy`, `fake`, `mock`, `test`, `example`, `invalid`...",
        ("hf_dummytoken", "dummy_key_for_tests", "fake-elevenlabs-key", "mock-key", "mytesttoken"),
        test=_made_up_words,
    ),
    Placeholder(
        "angle brackets",
        "a description of the value",
        ("<token>", "<YOUR HF TOKEN>"),
        pattern=re.compile(r"^<[^<>]*>$"),
    ),
    Placeholder(
        "shell variable",
        "`${VAR}` anywhere, or `$VAR`",
        ("${HF_TOKEN}", "prefix-${HF_TOKEN}", "$HF_TOKEN"),
        pattern=re.compile(r"\$\{[^}]*\}|^\$[A-Za-z_][A-Za-z0-9_]*$"),
    ),
    Placeholder("template", "Jinja and friends", ("{{ hf_token }}",), pattern=re.compile(r"^\{\{.*\}\}$")),
    Placeholder(
        "format field",
        "`str.format` or a config loader",
        ("{HF_TOKEN}", "{api_key}"),
        pattern=re.compile(r"^\{[A-Za-z_][A-Za-z0-9_.]*\}$"),
    ),
    Placeholder(
        "env reference",
        "config files' `env:VAR`",
        ("env:HF_TOKEN", "ENV:REPLICATE_API_TOKEN"),
        pattern=re.compile(r"^env:[A-Za-z_][A-Za-z0-9_]*$", re.IGNORECASE),
    ),
    Placeholder(
        "Windows variable", "`%VAR%`", ("%HF_TOKEN%",), pattern=re.compile(r"^%[A-Za-z_][A-Za-z0-9_]*%$")
    ),
    Placeholder(
        "instruction",
        "starts with `your`, `insert`, `enter`, `replace`, `put` or `paste`",
        ("YOUR_API_KEY", "your-token", "Your Key", "insert-key"),
        pattern=re.compile(r"^(?:your|insert|enter|replace|put|paste)(?:[-_ .]|$)", re.IGNORECASE),
    ),
    Placeholder(
        "goes here",
        "ends with `here`",
        ("token-goes-here", "api_key_here"),
        pattern=re.compile(r"[-_ ]here$", re.IGNORECASE),
    ),
)


def words(name: str) -> list[str]:
    spaced = re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", name)
    return [w for w in re.split(r"[^A-Za-z0-9]+", spaced.lower()) if w]


# Models on Replicate take text tokens as inputs too: `eos_token`, `trigger_token`...
TEXT_TOKEN_WORDS = frozenset(
    {
        "bos", "eos", "pad", "unk", "sep", "cls", "mask", "stop", "start", "end", "special",
        "trigger", "seed", "instance", "class", "concept", "placeholder", "prompt", "image",
        "text", "new", "extra", "added", "vocab", "sentinel", "init", "initializer",
        "unique", "rare", "subject", "style", "system", "user", "assistant", "identifier",
        "replace", "replacement",
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
    if len(parts) < 2:
        return False
    if parts[-1] == "pat" or (parts[-1] == "key" and parts[-2] in CREDENTIAL_KEY_QUALIFIERS):
        return True
    return (parts[-2], parts[-1]) in SECRET_LAST_PAIRS


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
    """Values that only stand in for a secret: any entry of PLACEHOLDERS."""
    return placeholder_kind(value) is not None


def placeholder_kind(value: str) -> Optional[str]:
    """The name of the PLACEHOLDERS entry `value` is, if any."""
    stripped = value.strip()
    for entry in PLACEHOLDERS:
        if entry.test is not None and entry.test(stripped):
            return entry.name
        if entry.pattern is not None and entry.pattern.search(stripped):
            return entry.name
    return None


def replicate_token_shaped(value: str) -> bool:
    """`r8_` and 37 letters and digits, or the legacy 40 hex digits: what a token sink must hold
    to be a finding (anything else there is a test fake, a sentinel or a placeholder)."""
    stripped = value.strip()
    if REPLICATE_TOKEN.fullmatch(stripped) is None and LEGACY_REPLICATE_TOKEN.fullmatch(stripped) is None:
        return False
    return not is_placeholder(stripped)


def could_be_credential(value: str) -> bool:
    """Whether a value under a secret-sounding name can be a credential, not a text token
    (`sks`, `<<SYS>>`, `[INST]`): a known token shape, or 16 characters or more with no
    spaces and no brackets."""
    stripped = value.strip()
    if token_shape(stripped) is not None:
        return True
    return len(stripped) >= 16 and re.search(r"[\s<>\[\]{}()]", stripped) is None
