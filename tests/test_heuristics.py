"""Secret-sounding names, token shapes and placeholders (used when no schema is known)."""

from __future__ import annotations

from typing import Optional

import pytest

from lint_secrets.env_names import env_name
from lint_secrets.heuristics import is_placeholder, secret_sounding_name, token_shape


@pytest.mark.parametrize(
    "name",
    ["api_key", "apiKey", "API_KEY", "hf_token", "github_token", "token", "password", "db_password", "secret",
     "client_secret", "wandbApiKey", "access_key", "private_key", "license_key", "passphrase", "credentials"],
)  # fmt: skip
def test_secret_sounding_names(name: str) -> None:
    assert secret_sounding_name(name)


@pytest.mark.parametrize(
    "name",
    ["max_tokens", "token_type", "num_tokens", "password_hint", "max_new_tokens", "tokenizer", "secret_sauce",
     "key", "keys", "api_key_id", "prompt", "seed", "", "_", "tokens_per_second", "keyframe"],
)  # fmt: skip
def test_names_that_are_not_secret(name: str) -> None:
    assert not secret_sounding_name(name)


@pytest.mark.parametrize(
    ("value", "label"),
    [
        pytest.param("r8_FAKEtokenForLintSecretsTests00000000a", "Replicate token", id="r8"),
        pytest.param("hf_FAKE0c2b2c3d4e5f6a7b8c9d0e1f2a3b4c5", "Hugging Face token", id="hf"),
        pytest.param("sk-ant-FAKE0c2b2c3d4e5f6a7b8c9d0e1f2a3b", "Anthropic key", id="sk-ant"),
        pytest.param("sk-FAKE0c2b2c3d4e5f6a7b8c9d0e1f2a3b", "OpenAI-style key", id="sk"),
        pytest.param("sk-proj-FAKE0c2b2c3d4e5f6a7b8c9d0e1f2a3b", "OpenAI-style key", id="sk-proj"),
        pytest.param("ghp_FAKE0c2b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6e", "GitHub token", id="ghp"),
        pytest.param("0123456789abcdef0123456789abcdef01234567", "40-hex key", id="40-hex"),
        pytest.param("AKIAFAKE0123456789AB", "AWS access key", id="aws"),
        pytest.param("glpat-FAKE0c2b2c3d4e5f6a7b8c9d", "GitLab token", id="gitlab"),
    ],
)
def test_token_shapes(value: str, label: str) -> None:
    assert token_shape(value) == label


@pytest.mark.parametrize(
    "value",
    ["hello world", "hf_short", "sk-short", "0123456789abcdef", "0123456789abcdef0123456789abcdef012345678",
     "0123456789abcdef0123456789abcdef012345678901", "https://example.com/a.png", "r8_tooShort",
     "r8_FAKEtokenForLintSecretsTests00000000a0", "the token is r8_FAKEtokenForLintSecretsTests00000000a"],
)  # fmt: skip
def test_not_token_shaped(value: str) -> None:
    assert token_shape(value) is None


@pytest.mark.parametrize(
    "value",
    ["", " ", "\n", "x", "xxxxxxxx", "••••••••", "...", "abc...", "sk-…", "YOUR_API_KEY", "your-token",
     "Your Key", "<token>", "<YOUR HF TOKEN>", "${HF_TOKEN}", "prefix-${HF_TOKEN}", "$HF_TOKEN",
     "{{ hf_token }}", "changeme", "CHANGE_ME", "change-me", "placeholder", "token-goes-here",
     "api_key_here", "hf_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", "sk-" + "*" * 30, "insert-key", "TODO", "redacted"],
)  # fmt: skip
def test_placeholders(value: str) -> None:
    assert is_placeholder(value)


@pytest.mark.parametrize(
    "value",
    ["el-FAKE-0123456789ab", "hf_FAKE0c2b2c3d4e5f6a7b8c9d0e1f2a3b4c5", "hunter2", "ab", "youthful-FAKE-key",
     "r8_FAKEtokenForLintSecretsTests00000000a", "sk-FAKE0c2b2c3d4e5f6a7b8c9d0e1f2a3b", "$5ecret-FAKE"],
)  # fmt: skip
def test_real_looking_values_are_not_placeholders(value: str) -> None:
    assert not is_placeholder(value)


@pytest.mark.parametrize(
    ("name", "expected"),
    [("hf_token", "HF_TOKEN"), ("wandbApiKey", "WANDB_API_KEY"), ("api-key", "API_KEY"),
     ("2fa_code", "SECRET_2FA_CODE"), ("elevenlabs_api_key", "ELEVENLABS_API_KEY")],
)  # fmt: skip
def test_env_name(name: str, expected: Optional[str]) -> None:
    assert env_name(name) == expected
