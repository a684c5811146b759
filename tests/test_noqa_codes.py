"""Issue 13: a bare `# noqa` no longer silences lint-secrets codes; a suppression names the code."""

from __future__ import annotations

import pytest
from conftest import summary

R8 = "r8_" + "Zq4Wm8Xn2Vb6Lc0Kd3Jf7Hg1Ps5Rt9Ya2Ue6I"
TTS = (
    'import replicate\nreplicate.run("example/text-to-speech", '
    'input={{"elevenlabs_api_key": "el-FAKE-0123456789ab"}}){c}\n'
)


@pytest.mark.parametrize(
    "comment",
    ["  # noqa", "  # NOQA", "  #noqa", "  # noqa: E501", "  # noqa:E501,F401", "  # noqa - long line"],
)
def test_bare_or_other_codes_do_not_silence(comment: str) -> None:
    assert [code for code, _, _ in summary(TTS.format(c=comment))] == ["RS101"]
    assert [code for code, _, _ in summary(f"X = {R8!r}{comment}\n")] == ["RS103"]


@pytest.mark.parametrize(
    "comment", ["  # noqa: RS101", "  # NOQA:RS101", "  # noqa: E501, RS101", "  # noqa: RS103,RS101"]
)
def test_the_code_named_silences(comment: str) -> None:
    assert summary(TTS.format(c=comment)) == []


def test_rs103_by_its_code() -> None:
    assert summary(f"X = {R8!r}  # noqa: RS103\n") == []
    assert [code for code, _, _ in summary(f"X = {R8!r}  # noqa: RS101\n")] == ["RS103"]
