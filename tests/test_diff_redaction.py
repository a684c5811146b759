"""`--diff` shows nothing secret: ranges masked by position, token shapes masked everywhere,
and nothing outside those ranges changed. Real files through the CLI."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import List

import pytest

from lint_secrets.cli import main
from lint_secrets.fix.apply import mask_ranges, redacted_diff
from lint_secrets.fix.edits import Span

SCHEMAS = Path(__file__).resolve().parent.parent / "fixtures" / "sample" / ".lint-secrets" / "schemas"
R8 = "r8_FAKE" + "Xq3ZtV9mLw2Pk7Rb4Nc8Hd1Fs6Gj0Ye5U"
R8_2 = "r8_FAKE" + "Pk3Lm5Nb7Vc9Xz1Qw2Er4Ty6Ui8Op0AsD"
OPENAI = "sk-proj-" + "FAKEabcdefghijklmnopqrstuvwx0123456789"
EL = "el-FAKE2b1c0f9a8d7e6c5b4a39f8e7"
TTS = '"example/text-to-speech"'


def diff_of(tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str, name: str = "app.py") -> str:
    shutil.copytree(SCHEMAS, tmp_path / ".lint-secrets" / "schemas", dirs_exist_ok=True)
    (tmp_path / "pyproject.toml").write_text("[tool.lint-secrets]\n", encoding="utf-8")
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    main(["check", "--diff", str(path)])
    out, err = capsys.readouterr()
    assert path.read_text(encoding="utf-8") == text
    for secret in (R8, R8_2, OPENAI, EL):
        assert secret not in out + err
        assert secret[4:12] not in out + err
    return out


def lines(diff: str, tag: str) -> List[str]:
    return [
        line[1:].rstrip("\n")
        for line in diff.splitlines()
        if line.startswith(tag) and line[:3] not in ("---", "+++")
    ]


def test_context_lines_next_to_a_fix_are_masked(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = diff_of(
        tmp_path,
        capsys,
        f'import replicate\nOPENAI_KEY = "{OPENAI}"\n# old token: {R8_2}\n'
        f'TOKEN = "{R8}"\nprint("plain text stays")\n',
    )
    assert lines(out, " ") == [
        "import replicate",
        'OPENAI_KEY = "sk-p\u2026"',
        "# old token: r8_F\u2026",
        'print("plain text stays")',
    ]
    assert lines(out, "-") == ['TOKEN = "r8_F\u2026"']
    assert lines(out, "+") == ["import os", 'TOKEN = os.environ.get("REPLICATE_API_TOKEN")']


def test_a_secret_written_in_pieces_is_masked_in_every_piece(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = (
        "import replicate\n"
        f'implicit = replicate.Client(api_token="{R8[:12]}" "{R8[12:]}")\n'
        f'plus = replicate.Client(api_token="{R8_2[:12]}" + "{R8_2[12:]}")\n'
        f'escaped = replicate.Client(api_token="{R8[:8]}\\x{ord(R8[8]):02x}{R8[9:]}")\n'
    )
    out = diff_of(tmp_path, capsys, text)
    assert lines(out, "-") == [
        'implicit = replicate.Client(api_token="r8_F\u2026" "\u2026")',
        'plus = replicate.Client(api_token="r8_F\u2026" + "\u2026")',
        'escaped = replicate.Client(api_token="r8_F\u2026")',
    ]


def test_a_secret_made_of_two_constants_is_masked_where_they_are_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = (
        "import replicate\n"
        f'HEAD = "{EL[:14]}"\n'
        f'TAIL = "{EL[14:]}"\n'
        f"replicate.run({TTS}, input={{'elevenlabs_api_key': HEAD + TAIL}})\n"
    )
    out = diff_of(tmp_path, capsys, text)
    assert lines(out, " ") == ["import replicate", 'HEAD = "el-F\u2026"', 'TAIL = "\u2026"']
    # The names are code, not secret: they stay.
    assert lines(out, "-") == ["replicate.run(" + TTS + ", input={'elevenlabs_api_key': HEAD + TAIL})"]


def test_nothing_outside_the_ranges_is_replaced(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The flagged value used to be string-replaced everywhere, the file name included."""
    value = "tok-FAKE-1234abcd"
    call = f'replicate.run("example/text-to-speech", input={{"elevenlabs_api_key": "{value}"}})'
    out = diff_of(
        tmp_path,
        capsys,
        f'import replicate\n"""Docs for {value}-module."""\n{call}\n',
        name=f"{value}/app.py",
    )
    assert f"--- a/{tmp_path / value / 'app.py'}\n" in out
    assert f'"""Docs for {value}-module."""' in lines(out, " ")
    assert lines(out, "-") == [call.replace(value, "tok-\u2026")]


def test_mask_ranges_keeps_quotes_and_line_breaks() -> None:
    text = f'x = ("{R8[:20]}"\n     "{R8[20:]}")\ny = 1  # {R8_2}\n'
    masked = mask_ranges(text, [Span(1, 5, 2, 29), Span(3, 9, 3, 49)], [R8, R8_2])
    assert masked == 'x = ("r8_F\u2026"\n     "\u2026")\ny = 1  # r8_F\u2026\n'
    assert mask_ranges(text, []) == text
    # A string that does not start a secret shows nothing of itself.
    assert mask_ranges('h = "Bearer abc"\n', [Span(1, 4, 1, 16)], ["abcdefgh"]) == 'h = "\u2026"\n'


def test_redacted_diff_masks_token_shapes_on_added_lines_too() -> None:
    before = "a = 1\n"
    after = f"a = 1\n# {OPENAI}\n"
    out = redacted_diff("a/x.py", "b/x.py", before, after, [], [])
    assert out == "--- a/x.py\n+++ b/x.py\n@@ -1 +1,2 @@\n a = 1\n+# sk-p\u2026\n"
