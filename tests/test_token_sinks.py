"""Issue 13: at a token sink, RS103 fires only for a value shaped like a Replicate token."""

from __future__ import annotations

import pytest
from conftest import summary

from lint_secrets.heuristics import replicate_token_shaped

R8 = "r8_" + "Zq4Wm8Xn2Vb6Lc0Kd3Jf7Hg1Ps5Rt9Ya2Ue6I"  # r8_ and 37 letters and digits
LEGACY = "0a1b2c3d4e5f60718293a4b5c6d7e8f901234567"  # the legacy 40 hex digits

SINKS = {
    "client": "import replicate\nreplicate.Client(api_token={v})\n",
    "client-positional": "import replicate\nreplicate.Client({v})\n",
    "bearer": "from replicate import Replicate\nReplicate(bearer_token={v})\n",
    "async-bearer": "from replicate import AsyncReplicate\nAsyncReplicate(bearer_token={v})\n",
    "module-attribute": "import replicate\nreplicate.api_token = {v}\n",
    "environ-assign": 'import os\nos.environ["REPLICATE_API_TOKEN"] = {v}\n',
    "setdefault": 'import os\nos.environ.setdefault("REPLICATE_API_TOKEN", {v})\n',
    "getenv-default": 'import os\nT = os.getenv("REPLICATE_API_TOKEN", {v})\n',
    "environ-get-default": 'import os\nT = os.environ.get("REPLICATE_API_TOKEN", {v})\n',
    "constant": "import replicate\nTOKEN = {v}\nreplicate.Client(api_token=TOKEN)\n",
}

NOT_TOKENS = [
    "something",
    "My Bearer Token",
    "test-bearer-token",
    "fake-token-for-tests",
    "invalid-token",
    "mock-token",
    "dummy-token",
    "test_token_123",
    "r8_invalid",
    "r8_mocktoken",
    "r8_" + "x" * 37,
    "not-set",
    "N/A",
    "unset",
    "missing",
    "",
    LEGACY.upper(),  # hex tokens are lower case
    LEGACY[:-1],
    R8 + "0",
]


@pytest.mark.parametrize("sink", sorted(SINKS))
@pytest.mark.parametrize("value", NOT_TOKENS)
def test_fakes_and_sentinels_at_a_sink_are_not_findings(sink: str, value: str) -> None:
    assert summary(SINKS[sink].format(v=repr(value))) == []


@pytest.mark.parametrize("sink", sorted(SINKS))
@pytest.mark.parametrize("value", [R8, LEGACY], ids=["r8", "legacy-hex"])
def test_token_shaped_values_at_a_sink_are_findings(sink: str, value: str) -> None:
    found = summary(SINKS[sink].format(v=repr(value)))
    assert [code for code, _, _ in found] == ["RS103"], found


def test_authorization_header_needs_a_token_shape() -> None:
    assert summary(f'H = {{"Authorization": "Bearer {R8}"}}\n') == [("RS103", 1, "REPLICATE_API_TOKEN")]
    assert summary('H = {"Authorization": "Bearer test-token"}\n') == []
    assert summary('H = {"Authorization": "Token invalid-token"}\n') == []


@pytest.mark.parametrize(
    ("value", "shaped"),
    [(R8, True), (LEGACY, True), (f" {R8} ", True), ("r8_invalid", False), ("r8_" + "0" * 37, False),
     ("fake-token-for-tests", False), (LEGACY + "0", False)],
)  # fmt: skip
def test_replicate_token_shaped(value: str, shaped: bool) -> None:
    assert replicate_token_shaped(value) is shaped
