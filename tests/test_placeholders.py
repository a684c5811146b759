"""Issue 13: every placeholder kind, in one list (heuristics.PLACEHOLDERS), tested entry by entry."""

from __future__ import annotations

import re
import secrets
import string
from pathlib import Path

import pytest
from conftest import summary

from lint_secrets.heuristics import PLACEHOLDERS, Placeholder, is_placeholder, placeholder_kind

README = Path(__file__).resolve().parent.parent / "README.md"


@pytest.mark.parametrize("entry", PLACEHOLDERS, ids=[e.name for e in PLACEHOLDERS])
def test_entry(entry: Placeholder) -> None:
    """Each example is that entry's kind (not caught earlier by another), and is no finding
    at a secret input of an unknown model nor at a token sink."""
    assert entry.examples
    for example in entry.examples:
        assert is_placeholder(example), example
        kind = placeholder_kind(example)
        position = [e.name for e in PLACEHOLDERS].index(entry.name)
        assert kind in [e.name for e in PLACEHOLDERS[: position + 1]], (example, kind)
        uncached = f'import replicate\nreplicate.run("acme/unknown", input={{"api_key": {example!r}}})\n'
        assert summary(uncached) == [], example
        assert summary(f"import replicate\nreplicate.Client(api_token={example!r})\n") == [], example


@pytest.mark.parametrize(
    "value",
    ["xxxx-xxxx-xxxx", "sk-proj-xxxxxxxx", "sk_elevenlabs_xxxxxxxxxxxx", "r8_********", "{OPENAI_API_KEY}",
     "env:HF_TOKEN", "%HF_TOKEN%", "hf_dummytoken", "dummy_key_for_tests", "fake-elevenlabs-key", "mock-key",
     "foobar"],
)  # fmt: skip
def test_the_values_the_issue_lists(value: str) -> None:
    assert is_placeholder(value)


@pytest.mark.parametrize(
    "value",
    ["el-FAKE-0123456789ab", "youthful-FAKE-key", "hunter2", "sk-proj-4fQ9xZ2mL7vB1nC8kJ3h",
     "xoxo-0f9a8b7c6d5e", "a8F3kd92_xxx9", "testing123Ab", "Dummy7Xk2Pq9", "{not a var}x", "env:",
     "%A B%", "mockingbird-4f9a1c"],
)  # fmt: skip
def test_real_looking_values_are_not_placeholders(value: str) -> None:
    assert not is_placeholder(value), placeholder_kind(value)


def test_the_readme_lists_every_entry() -> None:
    text = README.read_text(encoding="utf-8")
    section = text[text.index("### Placeholders") :]
    for entry in PLACEHOLDERS:
        assert re.search(rf"\|\s*{re.escape(entry.name)}\s*\|", section), entry.name


# ---------------------------------------------------------------------------
# Issue 13 review: placeholder words on word boundaries; realistic fakes; real tokens still found

TTS = "example/text-to-speech"
R8_ALPHABET = string.ascii_letters + string.digits


def _at_secret_input(value: str) -> str:
    return f'import replicate\nreplicate.run("{TTS}", input={{"elevenlabs_api_key": {value!r}}})\n'


@pytest.mark.parametrize(
    "value",
    ["attestation", "latest", "contest", "protest", "detest", "testament", "greatest",
     "latest-attestation-key", "samplerate", "resample", "counterexample", "mockingbird", "fakery",
     "invalidated-prod-key", "untested", "contestant-key", "latest_protest", "LatestAttestation",
     "r8_attestations"],
)  # fmt: skip
def test_placeholder_words_match_on_word_boundaries(value: str) -> None:
    """A marker inside a longer word (`attestation` holds `test`) does not make a value made up."""
    assert not is_placeholder(value), placeholder_kind(value)
    assert summary(_at_secret_input(value)) == [("RS101", 2, "elevenlabs_api_key")]


@pytest.mark.parametrize(
    "value",
    ["r8_ThisIsMyFakeTokenForUnitTests00000000", "r8_ThisIsAFakeTokenForUnitTestsOnly12345",
     "r8_DummyExampleMockTestToken012345678901", "r8_REPLACEME0000000000000000000000000000",
     "r8_FakeTokenForTesting123456789012345678", "r8_ThisIsMyFakeTokenForUnitTestsDummyExa",
     "r8_MyFakeReplicateTokenForUnitTests12345", "TestKey123", "TestKey1234567890", "MY_TEST_KEY_123",
     "r8_0123456789abcdefghijklmnopqrstuvwxyz0", "abcdefghijklmnop", "1234567890", "ABCDEFGHIJKLMNOP",
     "0123456789abcdef0123456789abcdef01234567", "sk-proj-abcdefghijklmnopqrstuvwxyz"],
)  # fmt: skip
def test_realistic_fakes_are_placeholders(value: str) -> None:
    assert is_placeholder(value), value
    assert summary(_at_secret_input(value)) == []
    assert summary(f"import replicate\nreplicate.Client(api_token={value!r})\n") == []


def _random_token(length: int = 37) -> str:
    return "".join(secrets.choice(R8_ALPHABET) for _ in range(length))


def test_random_replicate_tokens_are_never_placeholders() -> None:
    """Real tokens are random: however many, none is taken for a fake (the benchmark script
    benchmarks/placeholders.py counts 10,000)."""
    dropped = [t for t in ("r8_" + _random_token() for _ in range(2000)) if is_placeholder(t)]
    assert dropped == []


@pytest.mark.parametrize(
    "template",
    ["r8_{:20}FakeTest{:9}", "r8_Test{:34}", "r8_{:29}Examples", "r8_DummyToken{:24}",
     "r8_{:10}MockFake{:19}", "r8_TestKey{:30}", "{:20}-fake-{:10}"],
)  # fmt: skip
def test_a_random_token_holding_a_fake_word_is_still_real(template: str) -> None:
    """Words that merely appear in a random value do not make it a fake: they must dominate."""
    for _ in range(50):
        value = template.format(*(_random_token(int(w)) for w in re.findall(r"\{:(\d+)\}", template)))
        assert not is_placeholder(value), (placeholder_kind(value), value[:10])


@pytest.mark.parametrize(
    "value",
    ["TestPassw0rdXk29Qa8Lm3", "r8_TestKeyXk29Qa8Lm3Vb7Nc1Zd5Wf0Hg4Jp6R", "FakeToken8302917465028371",
     "r8_0123456789Xk29Qa8Lm3Vb7Nc1Zd5Wf0Hg4J", "abcdefgh-Xk29Qa8Lm3",
     "Zq4Wm8Xn2Vb6Lc0Kd3Jf7Hg1Ps5Rt9Ya2Ue6I"],
)  # fmt: skip
def test_partly_fake_looking_values_are_still_findings(value: str) -> None:
    assert not is_placeholder(value), placeholder_kind(value)
