"""A tests/ module full of fakes: sentinels, dummies, placeholders and text tokens."""

import os

import pytest
import replicate
from replicate import AsyncReplicate, Replicate

FAKE_KEY = "fake-elevenlabs-key"
MOCK_KEY = "mock-key"
DUMMY = "dummy_key_for_tests"


def test_client_with_words():
    client = replicate.Client(api_token="something")
    v2 = Replicate(bearer_token="My Bearer Token")
    v2_async = AsyncReplicate(bearer_token="test-bearer-token")
    assert client and v2 and v2_async


@pytest.mark.parametrize("token", ["r8_invalid", "r8_mocktoken", "dummy-token", "missing"])
def test_rejected_tokens(token):
    client = replicate.Client(api_token=token)
    assert client


def test_env_sentinels(monkeypatch):
    os.environ["REPLICATE_API_TOKEN"] = "invalid-token"
    os.environ.setdefault("REPLICATE_API_TOKEN", "mock-token")
    assert os.getenv("REPLICATE_API_TOKEN", "not-set")
    assert os.environ.get("REPLICATE_API_TOKEN", "unset")


def test_placeholders_sent_to_models():
    replicate.run(
        "acme/unknown-model",
        input={
            "api_key": "sk-proj-xxxxxxxx",
            "elevenlabs_api_key": "sk_elevenlabs_xxxxxxxxxxxxxxxx",
            "hf_token": "hf_dummytoken",
            "openai_api_key": "{OPENAI_API_KEY}",
            "wandb_api_key": "env:WANDB_API_KEY",
            "github_token": "%GITHUB_TOKEN%",
            "license_key": "xxxx-xxxx-xxxx",
            "password": "foobar",
            "secret": DUMMY,
        },
    )
    replicate.run("acme/unknown-model", input={"api_key": FAKE_KEY, "access_key": MOCK_KEY})


def test_text_tokens():
    replicate.run(
        "acme/dreambooth-trainer",
        input={
            "unique_token": "sks",
            "rare_token": "zwx",
            "subject_token": "a photo of sks dog",
            "style_token": "in the style of TOK",
            "system_token": "<<SYS>>",
            "user_token": "[INST]",
        },
    )


def test_headers():
    headers = {"Authorization": "Bearer test-token"}
    other = {"Authorization": "Token invalid-token"}
    assert headers and other


def test_long_line():
    replicate.run("acme/unknown-model", input={"prompt": "a very long prompt that someone wrapped in a noqa"})
