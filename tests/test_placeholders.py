"""Issue 13: every placeholder kind, in one list (heuristics.PLACEHOLDERS), tested entry by entry."""

from __future__ import annotations

import re
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
