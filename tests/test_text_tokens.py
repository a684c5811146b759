"""Issue 13: text tokens are not secrets: name evidence (RS102) needs a value that could be a credential."""

from __future__ import annotations

import pytest
from conftest import summary

from lint_secrets.heuristics import could_be_credential


def _unknown(name: str, value: str) -> str:
    return f'import replicate\nreplicate.run("acme/dreambooth", input={{{name!r}: {value!r}}})\n'


@pytest.mark.parametrize(
    ("name", "value"),
    [("unique_token", "sks"), ("rare_token", "zwx"), ("subject_token", "a photo of sks dog"),
     ("style_token", "TOK"), ("system_token", "<<SYS>>"), ("user_token", "[INST]"), ("token", "<s>"),
     ("instance_token", "ohwx man"), ("hf_token", "{subject} in the style of {style}"),
     ("hub_token", "abc123")],
)  # fmt: skip
def test_text_tokens_and_short_values_are_not_findings(name: str, value: str) -> None:
    assert summary(_unknown(name, value)) == []


@pytest.mark.parametrize(
    ("name", "value"),
    [("api_key", "ak-FAKE-0123456789abcdef"), ("hub_token", "tok_FAKE_4f9a1c2b3d4e5f60"),
     ("unique_token", "hf_FAKEaBcDeFgHiJkLmNoPqRsTuVwXyZ0123"), ("password", "S3cr3t-FAKE-passw0rd!")],
)  # fmt: skip
def test_credential_like_values_under_secret_names_are_findings(name: str, value: str) -> None:
    assert summary(_unknown(name, value)) == [("RS102", 2, name)]


# Issue 13 review: a length threshold must not hide a real short secret. Only `*_token` names
# also take text tokens; a password, a key, a secret or a PIN holds nothing but a credential.
@pytest.mark.parametrize(
    ("name", "value"),
    [("password", "hunter2"), ("api_key", "short-key-1"), ("license_key", "AB12-CD34"),
     ("licenseKey", "7Q2M-KX9P"), ("pin", "4821"), ("sim_pin", "903117"), ("passcode", "55120"),
     ("db_password", "p@ss!"), ("client_secret", "s3cr3t"), ("passphrase", "blue harbor lamp 9"),
     ("access_key", "AK19x"), ("credentials", "user:pw42")],
)  # fmt: skip
def test_short_secrets_under_credential_names_are_findings(name: str, value: str) -> None:
    assert summary(_unknown(name, value)) == [("RS102", 2, name)]


@pytest.mark.parametrize(
    ("name", "value"),
    [("password", "password"), ("password", ""), ("password", "changeme"), ("password", "<password>"),
     ("api_key", "test-key"), ("api_key", "None"), ("secret", "true"), ("client_secret", "False"),
     ("password", "yes"), ("pin", "0000"), ("pin", "main"), ("pin", "12"), ("password", "abc"),
     ("license_key", "YOUR_LICENSE_KEY"), ("api_key", "${API_KEY}"), ("pin_memory", "4821"),
     ("spin", "4821"), ("password_hint", "hunter2"), ("api_key", "xxxx")],
)  # fmt: skip
def test_placeholders_and_non_credentials_under_credential_names_are_not(name: str, value: str) -> None:
    assert summary(_unknown(name, value)) == []


def test_a_token_shape_is_evidence_whatever_the_name() -> None:
    assert summary(_unknown("style_token", "sk-proj-4fQ9xZ2mL7vB1nC8kJ3h")) == [("RS102", 2, "style_token")]


@pytest.mark.parametrize(
    ("value", "credential"),
    [("sks", False), ("<<SYS>>", False), ("[INST]", False), ("a photo of sks dog", False),
     ("0123456789abcdef", True), ("0123456789abcde", False), ("sk-proj-4fQ9xZ2mL7vB1nC8kJ3h", True),
     ("{0123456789abcdef}", False)],
)  # fmt: skip
def test_could_be_credential(value: str, credential: bool) -> None:
    assert could_be_credential(value) is credential
    assert could_be_credential(value, "eos_token") is credential


@pytest.mark.parametrize(
    ("value", "name", "credential"),
    [("hunter2", "password", True), ("hunter2", "hf_token", False), ("4821", "pin", True),
     ("PIN4", "pin", False), ("abc", "api_key", False), ("true", "secret", False)],
)  # fmt: skip
def test_could_be_credential_by_name(value: str, name: str, credential: bool) -> None:
    assert could_be_credential(value, name) is credential


def test_a_pin_name_alone_is_no_evidence_for_a_cog_input() -> None:
    """`pin` is a PIN only with digits: a cog input named so (no value to check) is not declared
    a credential, and its default is checked like any text."""
    predictor = (
        "from cog import BasePredictor, Input\n\n"
        "class Predictor(BasePredictor):\n"
        "    def predict(\n"
        '        self, pin: str = Input(default="main"), sim_pin: str = Input(default="4821")\n'
        "    ) -> str:\n"
        '        return ""\n'
    )
    assert summary(predictor) == []
