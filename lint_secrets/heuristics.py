"""What looks like a secret when no schema says so, and what is only a placeholder."""

from __future__ import annotations

import re
import string
from dataclasses import dataclass
from functools import lru_cache
from typing import Callable, Dict, FrozenSet, List, Optional, Pattern, Tuple

from lint_secrets.records import Record

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
# A PIN is digits: `pin="main"` (a branch, a pinned version) is not one, so a PIN's name is
# evidence only with its value (credential_name, could_be_credential), never alone (a cog input).
PIN_WORDS = frozenset({"pin", "passcode"})
# Words that are a setting's value, not a credential: `secret="true"`.
NOT_CREDENTIALS = frozenset({"true", "false", "yes", "no", "on", "off", "none", "null"})
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
# Words that mark a value as made up (`hf_dummytoken`, `fake-elevenlabs-key`,
# `ThisIsMyFakeTokenForUnitTests`): whole words only, so `attestation` or `latest` are not.
MADE_UP_MARKERS = frozenset(
    {"dummy", "fake", "mock", "mocked", "test", "testing", "example", "sample", "placeholder", "invalid",
     "notreal", "foobar", "replaceme", "changeme", "bogus"}
)  # fmt: skip
# Other words a made-up value is written with. A glued run of letters (`mytesttoken`) counts as
# words only if it splits entirely into these: none is a short syllable (`at`, `la`, `pro`, `con`)
# that would let `attest`, `latest`, `protest` or `contest` split around `test`.
MADE_UP_WORDS = MADE_UP_MARKERS | frozenset(
    {"this", "is", "my", "a", "an", "the", "for", "unit", "only", "not", "real", "do", "use", "just", "token",
     "key", "api", "secret", "password", "value", "string", "some", "me", "replace", "change", "demo",
     "local", "dev", "foo", "bar", "baz", "xxx", "your", "here", "purpose", "purposes", "access", "auth",
     "bearer", "client", "user", "tests", "please", "dont", "never", "it", "ci", "tokens", "keys",
     "replicate"}
)  # fmt: skip
KNOWN_PREFIX = re.compile(r"^(?:r8_|hf_|sk-ant-|sk-proj-|sk-|ghp_|glpat-)")
_WORD_BEGINNINGS = frozenset(word[:end] for word in MADE_UP_WORDS for end in range(2, len(word)))
_MARKER_INSIDE = re.compile("|".join(sorted(MADE_UP_MARKERS, key=len, reverse=True)))
# A word of the splits below, plural or cut short: at most this many letters.
_LONGEST_WORD = 12


@dataclass(frozen=True, repr=False, eq=False)
class Placeholder(Record):
    """One kind of value that only stands in for a secret. `examples` are tested, one by one."""

    name: str
    why: str
    examples: Tuple[str, ...]
    pattern: Optional[Pattern[str]] = None  # searched in the stripped value
    test: Optional[Callable[[str], bool]] = None  # given the stripped value


_SEPARATORS = re.compile(r"[-_ .]")
_NOT_ALPHANUMERIC = re.compile(r"[^a-z0-9]+")


def _one_repeated_character(value: str) -> bool:
    body = KNOWN_PREFIX.sub("", value)
    return not body or body.count(body[0]) == len(body)


def _only_placeholder_words(value: str) -> bool:
    if _SEPARATORS.sub("", value.lower()) in PLACEHOLDER_WORDS:
        return True
    parts = [part for part in _NOT_ALPHANUMERIC.split(KNOWN_PREFIX.sub("", value).lower()) if part]
    return bool(parts) and all(part in PLACEHOLDER_WORDS or part in FILLER_WORDS for part in parts)


def _splits_into_words(
    letters: str, vocabulary: FrozenSet[str] = MADE_UP_WORDS, cut_short: bool = False
) -> Optional[List[str]]:
    """`mytesttoken` -> [my, test, token]; None unless the (lower-case) letters split entirely
    into words of `vocabulary`, each maybe plural. `cut_short`: the last word may be cut off
    after 2 letters or more (`...TestsDummyExa`, a fake trimmed to a token's length)."""
    # best[end]: the split of letters[:end] whose last word starts earliest. `live`: the ends
    # of splits whose letters since then still begin a word, in order; a word can only start
    # at one of them, so a random run of letters stops within a few.
    best: Dict[int, List[str]] = {0: []}
    live = [0]
    beginnings = _beginnings(vocabulary)
    for end in range(1, len(letters) + 1):
        live = [start for start in live if letters[start:end] in beginnings]
        if not live:
            return None
        for start in live:
            word = letters[start:end]
            if word in vocabulary or (word[:-1] in vocabulary and word[-1] == "s"):
                best[end] = [*best[start], word.rstrip("s") if word not in vocabulary else word]
                break
            if cut_short and end == len(letters) and word in _WORD_BEGINNINGS:
                best[end] = [*best[start], word]
                break
        else:
            continue
        live.append(end)
    return best.get(len(letters))


@lru_cache(maxsize=8)
def _beginnings(vocabulary: FrozenSet[str]) -> FrozenSet[str]:
    """Every beginning of a word `_splits_into_words` can match, the whole word included: of
    each word and its plural, up to _LONGEST_WORD letters, and of each word cut short."""
    wholes = [whole for word in vocabulary for whole in (word, word + "s")] + [*_WORD_BEGINNINGS]
    return frozenset(whole[:end] for whole in wholes for end in range(1, min(len(whole), _LONGEST_WORD) + 1))


def _has_marker(found: Optional[List[str]]) -> bool:
    return found is not None and any(word in MADE_UP_MARKERS for word in found)


def _made_up_words(value: str) -> bool:
    """Lower-case words between `-`, `_` or spaces, one of them made only of made-up words
    with a marker among them: `fake-elevenlabs-key`, `hf_dummytoken`, not `latest-attestation`."""
    body = KNOWN_PREFIX.sub("", value)
    if re.fullmatch(r"[a-z]+(?:[-_ ][a-z]+)*", body) is None:
        return False
    return any(_has_marker(_splits_into_words(segment)) for segment in re.split(r"[-_ ]", body))


# The order a run of made-up characters follows: `0123456789abcdef...`, and `...7890`.
_SEQUENCE = string.digits + string.ascii_lowercase
_NEXT = {c: _SEQUENCE[(i + 1) % len(_SEQUENCE)] for i, c in enumerate(_SEQUENCE)}


# Two characters of such a run in a row, lower-case: `ab`, `9a`, `z0`, and `90` (`...7890`).
_ASCENDING_PAIRS = frozenset({c + _NEXT[c] for c in _SEQUENCE} | {"90"})


def _run_lengths(text: str, shortest: int = 0) -> List[int]:
    """The lengths of the ascending runs `text` (ASCII) is made of; stops early (returning what
    it has, with a 0 at the end) at the first run shorter than `shortest` that is not the last."""
    text = text.lower()
    lengths = [1] if text else []
    for at in range(1, len(text)):
        if text[at - 1 : at + 1] in _ASCENDING_PAIRS:
            lengths[-1] += 1
        elif lengths[-1] < shortest:
            return [*lengths, 0]
        else:
            lengths.append(1)
    return lengths


def _sequential_run(value: str) -> bool:
    """`0123456789abcdef...`, `abcdefghijklmnop`, `1234567890`: ascending runs of 4 characters
    or more (the last may be shorter), 8 characters in all at least."""
    body = _SEPARATORS.sub("", KNOWN_PREFIX.sub("", value))
    if len(body) < 8 or not body.isascii() or not body.isalnum():
        return False
    return 0 not in _run_lengths(body, shortest=4)


def _padding(run: str) -> bool:
    """Digits or letters a made-up value is padded with: one repeated character, or an ascending run."""
    # A shortest run longer than `run` stops at its first break: one run, or more.
    return len(run) >= 3 and (
        len(set(run.lower())) == 1 or len(_run_lengths(run, shortest=len(run) + 1)) == 1
    )


def _made_up_capitalised(value: str) -> bool:
    """Made-up words in any case, glued or not, padded: `ThisIsMyFakeTokenForUnitTests00000000`,
    `REPLACEME000...`, `TestKey123`. The words must dominate, not merely appear: every run of
    letters splits into made-up words (or is padding), one of them a marker, and words and padding
    make three quarters of the value or more. A random token that happens to hold `Test` is none."""
    body = KNOWN_PREFIX.sub("", value)
    if _MARKER_INSIDE.search(body.lower()) is None:  # most values: no marker, not even inside a word
        return False
    if re.fullmatch(r"[A-Za-z0-9]+(?:[-_ .][A-Za-z0-9]+)*", body) is None or not body.isascii():
        return False
    covered = total = 0
    marker = False
    for match in re.finditer(r"[A-Za-z]+|[0-9]+", body):
        run = match.group(0)
        total += len(run)
        if run.isdigit():
            covered += len(run) if _padding(run) else 0
            continue
        # A fake trimmed to a token's length (20 characters or more) may end in part of a word.
        cut_short = match.end() == len(body) and len(body) >= 20
        found = _splits_into_words(run.lower(), cut_short=cut_short)
        if found is None:
            if not _padding(run):
                return False
        else:
            marker = marker or _has_marker(found)
        covered += len(run)
    return marker and covered * 4 >= total * 3


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
        "lower-case words, one of them (glued or not) with `dummy`, `fake`, `mock`, `test`, `example`, "
        "`invalid`... as a whole word",
        ("hf_dummytoken", "dummy_key_for_tests", "fake-elevenlabs-key", "mock-key", "mytesttoken"),
        test=_made_up_words,
    ),
    Placeholder(
        "made-up words, padded",
        "only made-up words in any case, glued or not (the last may be cut short in a value of 20 "
        "characters or more), one of them a marker, padded with digits or a run; the words and runs "
        "make three quarters of the value",
        (
            "r8_ThisIsMyFakeTokenForUnitTests00000000",
            "r8_REPLACEME0000000000000000000000000000",
            "TestKey123",
            "MY_TEST_KEY_123",
            "r8_DummyExampleMockTestToken012345678901",
        ),
        test=_made_up_capitalised,
    ),
    Placeholder(
        "sequential run",
        "ascending runs of 4 characters or more, 8 characters in all at least",
        (
            "r8_0123456789abcdefghijklmnopqrstuvwxyz0",
            "abcdefghijklmnop",
            "1234567890",
            "0123456789abcdef0123456789abcdef01234567",
        ),
        test=_sequential_run,
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


_CAMEL_HUMP = re.compile(r"([a-z0-9])([A-Z])")
_NOT_WORD = re.compile(r"[^A-Za-z0-9]+")


# Every rule asks for the words of each input, keyword and variable name it meets, and a
# project has few names: each is split once (two expressions a name, 14,000 calls on 1,000
# files of the 50,000-file tree).
@lru_cache(maxsize=4096)
def words(name: str) -> Tuple[str, ...]:
    spaced = _CAMEL_HUMP.sub(r"\1_\2", name)
    return tuple(w for w in _NOT_WORD.split(spaced.lower()) if w)


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


def credential_name(name: str) -> bool:
    """A secret-sounding name, or a PIN's (`pin`, `sim_pin`, `passcode`): the names under which
    a value sent to a model is checked with could_be_credential."""
    parts = words(name)
    return secret_sounding_name(name) or (bool(parts) and parts[-1] in PIN_WORDS)


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


# Several rules ask about each value a call sends (and the text scan about each token), and the
# tests that say no to a random secret are the costly ones: each value is answered once.
@lru_cache(maxsize=1024)
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


def could_be_credential(value: str, name: str = "") -> bool:
    """Whether a value under a secret-sounding input `name` can be a credential.

    A known token shape always can. A `*_token` input also takes text tokens (`sks`,
    `<<SYS>>`, `[INST]`), so there a value needs 16 characters or more, no spaces and no
    brackets. A password, key, secret or credential holds nothing else: any value of 4
    characters or more that is not a setting (`true`, `off`) can be, however short (`hunter2`,
    a license key `AB12-CD34`); a PIN is 4 to 12 digits."""
    stripped = value.strip()
    if token_shape(stripped) is not None:
        return True
    parts = words(name)
    if parts and parts[-1] in PIN_WORDS:
        return re.fullmatch(r"[0-9]{4,12}", stripped) is not None
    if parts and parts[-1] != "token" and secret_sounding_name(name):
        return len(stripped) >= 4 and stripped.lower() not in NOT_CREDENTIALS
    return len(stripped) >= 16 and re.search(r"[\s<>\[\]{}()]", stripped) is None
