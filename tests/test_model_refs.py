"""The one home of model refs: how a ref maps to its API path and cache entry, and back."""

from __future__ import annotations

from typing import Optional

import pytest

from lint_secrets.model_refs import ModelRef, cached_ref, parse_model_ref, parse_pull_ref, parse_shown_ref

VERSION_ID = "f03c922a7b4f838b5a51b41f1909a637f9aa81916a7d01c8fad095069847e91c"


@pytest.mark.parametrize(
    ("ref", "api_path", "cache_path"),
    [
        (ModelRef("model", "acme", "tts"), "/models/acme/tts", "models/acme/tts.json"),
        (
            ModelRef("version", "acme", "tts", VERSION_ID),
            f"/models/acme/tts/versions/{VERSION_ID}",
            f"models/acme/tts/versions/{VERSION_ID}.json",
        ),
        (
            ModelRef("deployment", "acme", "tts-prod"),
            "/deployments/acme/tts-prod",
            "deployments/acme/tts-prod.json",
        ),
    ],
    ids=["model", "version", "deployment"],
)
def test_a_ref_and_its_cache_entry_map_both_ways(ref: ModelRef, api_path: str, cache_path: str) -> None:
    assert ref.api_path() == api_path
    assert ref.cache_path() == cache_path
    assert cached_ref(cache_path) == ref
    assert parse_pull_ref(ref.pull_ref()) == ref


def test_a_bare_version_has_no_cache_entry_of_its_own() -> None:
    bare = parse_model_ref(VERSION_ID)
    assert bare == ModelRef("version", None, None, VERSION_ID)
    with pytest.raises(ValueError):
        bare.cache_path()
    assert bare.pull_ref() == VERSION_ID and bare.display() == f"version {VERSION_ID}"


@pytest.mark.parametrize(
    "path",
    [
        "models/acme.json",
        "models/acme/tts.txt",
        "models/acme/tts/versions/abc.json",  # not a version id
        f"models/acme/tts/releases/{VERSION_ID}.json",
        "deployments/acme/tts/x.json",
        "models/../tts.json",
        "other/acme/tts.json",
    ],
)
def test_other_files_in_the_cache_name_no_ref(path: str) -> None:
    assert cached_ref(path) is None


def test_findings_show_a_short_version_and_pull_the_whole_one() -> None:
    ref = ModelRef("version", "acme", "tts", VERSION_ID)
    assert ref.display() == f"acme/tts:{VERSION_ID[:12]}"
    assert ref.pull_ref() == f"acme/tts:{VERSION_ID}"
    assert ref.of_model() == ModelRef("model", "acme", "tts")
    deployment: Optional[ModelRef] = parse_pull_ref("deployment:acme/tts-prod")
    assert deployment is not None and deployment.display() == "deployment acme/tts-prod"


@pytest.mark.parametrize(
    "ref",
    [
        ModelRef("model", "acme", "r8_" + "PastedTokenABCDEFGHIJKLMNOPQRSTUVWXYZ0123"),
        ModelRef("version", "r8_" + "PastedTokenABCDEFGHIJKLMNOPQRSTUVWXYZ0123", "tts", VERSION_ID),
        ModelRef("deployment", "acme", "sk-live-" + "abcdef1234567890abcdef"),
    ],
    ids=["model", "version", "deployment"],
)
def test_a_token_written_as_a_model_name_is_shown_redacted(ref: ModelRef) -> None:
    """A token pasted where the model goes ends up in findings' messages: a prefix only."""
    token = ref.name if ref.kind == "deployment" else (ref.name if ref.kind == "model" else ref.owner)
    assert token is not None
    assert token not in ref.display() and token[:4] in ref.display()
    assert token in ref.pull_ref()  # what is fetched stays whole; the CLI redacts it when printing


def test_an_ordinary_model_name_is_shown_whole() -> None:
    ref = ModelRef("model", "stability-ai", "stable-diffusion-xl-base-1.0")
    assert ref.display() == "stability-ai/stable-diffusion-xl-base-1.0"
    assert parse_model_ref(VERSION_ID).display() == f"version {VERSION_ID}"  # type: ignore[union-attr]


@pytest.mark.parametrize(
    "typed",
    [
        f"acme/tts:{VERSION_ID.upper()}",
        f"acme/tts:{VERSION_ID[:32]}{VERSION_ID[32:].upper()}",
        " acme/tts ",
        "acme/tts\n",
        " deployment:acme/tts-prod",
    ],
)
def test_show_reads_a_ref_as_pull_does(typed: str) -> None:
    """What `schemas pull` fetched, `schemas show` finds, typed the same way."""
    assert parse_shown_ref(typed) == parse_pull_ref(typed)


def test_show_reads_a_bare_version_in_any_case() -> None:
    assert parse_shown_ref(VERSION_ID.upper()) == ModelRef("version", None, None, VERSION_ID)
    assert parse_shown_ref("acme/tts:" + "g" * 64) is None


@pytest.mark.parametrize(
    ("typed", "suggested"),
    [
        ("https://replicate.com/acme/tts", "acme/tts"),
        ("replicate.com/acme/tts/versions", "acme/tts"),
        ("https://www.replicate.com/acme/tts?input=1", "acme/tts"),
        ("http://example.com/acme/tts", None),
    ],
)
def test_a_web_address_typed_as_a_ref_gets_the_ref_to_give(typed: str, suggested: Optional[str]) -> None:
    with pytest.raises(ValueError) as raised:
        parse_pull_ref(typed)
    message = str(raised.value)
    assert "web address" in message and "the version after" not in message
    if suggested is not None:
        assert f"give {suggested}" in message
