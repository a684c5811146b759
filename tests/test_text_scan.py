# ruff: noqa: E501  (fixed lines are as long as the rewrite makes them)
"""RS103 on the text: tokens in comments, docstrings, bytes, pieces and files that do not parse,
and tokens in HTTP Authorization headers. Real files through the CLI, with line and column."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any, Dict, List, Tuple

import pytest

from lint_secrets.cli import main

# Fake, token-shaped values: r8_ and 37 letters and digits; a 40-hex legacy token.
R8 = "r8_FAKE" + "Xq3ZtV9mLw2Pk7Rb4Nc8Hd1Fs6Gj0Ye5U"
R8_2 = "r8_FAKE" + "Pk3Lm5Nb7Vc9Xz1Qw2Er4Ty6Ui8Op0AsD"
HEX = "0123456789abcdef" + "fedcba9876543210" + "a1b2c3d4"
assert len(R8) == len(R8_2) == 40 and len(HEX) == 40
# Before 3.12, `ast` places an f-string's text parts at the f-string itself.
FSTRING_PART_COLUMN = 10 if sys.version_info < (3, 12) else 12


def check(tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str, *args: str) -> Tuple[int, Any, str]:
    path = tmp_path / "app.py"
    path.write_bytes(textwrap.dedent(text).encode())
    code = main(["check", "--isolated", "--output-format", "json", *args, str(path)])
    out, err = capsys.readouterr()
    return code, json.loads(out), err


def positions(report: Any) -> List[Tuple[str, int, int]]:
    return [(f["code"], f["line"], f["column"]) for f in report["findings"]]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(f"import os\n# export REPLICATE_API_TOKEN={R8}\n", [("RS103", 2, 30)], id="comment"),
        pytest.param(
            f'x = 1\n"""Usage:\n\n    token = "{R8}"\n"""\n', [("RS103", 2, 1)], id="docstring-like"
        ),
        pytest.param(f'# client = Client(api_token="{R8}")\n', [("RS103", 1, 30)], id="commented-out-code"),
        pytest.param(f'data = b"Authorization: Bearer {R8}"\n', [("RS103", 1, 32)], id="bytes-literal"),
        pytest.param(f'header = f"Bearer {R8} {{x}}"\n', [("RS103", 1, FSTRING_PART_COLUMN)], id="f-string"),
        pytest.param(
            f'TOKEN = (\n    "{R8[:20]}"\n    "{R8[20:]}"\n)\n',
            [("RS103", 2, 5)],
            id="implicit-concatenation",
        ),
        pytest.param(f'TOKEN = "{R8[:20]}" + "{R8[20:]}"\n', [("RS103", 1, 9)], id="plus-concatenation"),
        # One token, one finding: a piece that holds the whole token is part of the value reported.
        pytest.param(f'AUTH = "Bearer " + "{R8}"\n', [("RS103", 1, 8)], id="plus-with-a-whole-token-piece"),
        pytest.param(
            f'headers = {{"Authorization": "Token " + "{R8}" + "\\n"}}\n',
            [("RS103", 1, 29)],
            id="plus-in-a-header",
        ),
        pytest.param(f"x = 1  # é ünïcode then {R8}\n", [("RS103", 1, 25)], id="columns-in-characters"),
        pytest.param(f"# REPLICATE_API_TOKEN={HEX}\n", [("RS103", 1, 23)], id="legacy-hex-with-context"),
        pytest.param(
            f'CONFIG = {{"REPLICATE_API_TOKEN": "{HEX}"}}\n', [("RS103", 1, 35)], id="legacy-hex-in-dict"
        ),
        # pydantic settings read REPLICATE_API_TOKEN into a field of any case.
        pytest.param(
            f'class Settings(BaseSettings):\n    replicate_api_token: str = "{HEX}"\n',
            [("RS103", 2, 33)],
            id="legacy-hex-as-a-lowercase-settings-field",
        ),
        pytest.param(
            f'class Settings(BaseSettings):\n    replicate_api_token: Optional[str] = "{HEX}"\n',
            [("RS103", 2, 43)],
            id="legacy-hex-as-an-optional-settings-field",
        ),
        pytest.param(f"replicate_api_token = '{HEX}'\n", [("RS103", 1, 24)], id="legacy-hex-lowercase-name"),
        # An HTTP header written as text, in a command that goes to the Replicate API.
        pytest.param(
            "# Try it:\n"
            "# curl -s -X POST \\\n"
            f'#   -H "Authorization: Token {HEX}" \\\n'
            '#   -d \'{"version": "abc", "input": {}}\' \\\n'
            "#   https://api.replicate.com/v1/predictions\n",
            [("RS103", 3, 30)],
            id="legacy-hex-in-a-curl-comment",
        ),
        pytest.param(
            "import subprocess\n"
            "subprocess.run([\n"
            f'    "curl", "-H", "Authorization: Bearer {HEX}",\n'
            '    "https://api.replicate.com/v1/account",\n'
            "])\n",
            [("RS103", 3, 42)],
            id="legacy-hex-in-curl-arguments",
        ),
    ],
)
def test_token_found_on_the_text(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str, expected: List[Tuple[str, int, int]]
) -> None:
    code, report, _ = check(tmp_path, capsys, text)
    assert positions(report) == expected
    assert code == 1
    assert R8 not in json.dumps(report) and HEX not in json.dumps(report)


@pytest.mark.parametrize(
    "text",
    [
        pytest.param(f"# commit {HEX}\n", id="hex-without-replicate-context"),
        # Another variable whose name merely contains the token's, and a field read from elsewhere.
        pytest.param(f'old_replicate_api_token_sha = "{HEX}"\n', id="hex-in-a-longer-name"),
        pytest.param(f'replicate_api_token_hash: str = "{HEX}"\n', id="hex-in-a-longer-field-name"),
        pytest.param(
            "import requests\n"
            f'requests.get("https://api.github.com/user", headers={{"Authorization": "token {HEX}"}})\n',
            id="github-classic-token-header",
        ),
        pytest.param(
            f'# curl -H "Authorization: token {HEX}" https://api.github.com/user\n', id="github-curl"
        ),
        pytest.param(
            f'# curl -H "Authorization: Token {HEX}" https://api.github.com/user\n'
            + "\n" * 6
            + "# Replicate: https://api.replicate.com/v1/account\n",
            id="github-curl-far-from-a-replicate-url",
        ),
        pytest.param(
            f'# curl -H "Authorization: Token {HEX}x" https://api.replicate.com/v1/account\n', id="hex-glued"
        ),
        pytest.param("# r8_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\n", id="placeholder"),
        pytest.param(f"# x{R8}\n", id="glued-before"),
        pytest.param(f"# {R8}0\n", id="one-character-too-long"),
        pytest.param(f"# {R8[:-1]}\n", id="one-character-too-short"),
        pytest.param(f"# {R8}  # noqa: RS103\n", id="noqa"),
    ],
)
def test_not_a_replicate_token(tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str) -> None:
    code, report, _ = check(tmp_path, capsys, text)
    assert report["findings"] == [] and code == 0


def test_deselected_rule_skips_the_text_scan(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, report, _ = check(tmp_path, capsys, f"# {R8}\n", "--ignore", "RS103")
    assert report["findings"] == [] and code == 0


def test_file_that_does_not_parse_gets_its_error_and_its_tokens(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = f"""\
        import replicate
        pip install flask
        client = replicate.Client(api_token="{R8}")
        # old one: {R8_2}
        """
    code, report, _ = check(tmp_path, capsys, text)
    assert code == 2
    assert positions(report) == [("RS103", 2 + 1, 38), ("RS103", 4, 12)]
    assert [e["message"] for e in report["errors"]] == ["syntax error: invalid syntax (line 2, column 5)"]
    assert not any(f["fixable"] for f in report["findings"])


def test_text_output_of_a_broken_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "half_edited.py"
    path.write_text(f'def f(:\n    return "{R8}"\n', encoding="utf-8")
    code = main(["check", "--isolated", str(path)])
    out, err = capsys.readouterr()
    assert code == 2
    assert f"{path}:2:13: RS103 " in out and "does not parse" in out
    assert err.count("\n") == 1 and f"{path}: syntax error" in err
    assert R8 not in out + err


def test_file_that_cannot_be_decoded_still_gets_its_tokens(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "latin.py"
    path.write_bytes(b"# caf\xe9\nTOKEN = '" + R8.encode() + b"'\n")
    code = main(["check", "--isolated", "--output-format", "json", str(path)])
    report = json.loads(capsys.readouterr().out)
    assert code == 2
    assert positions(report) == [("RS103", 2, 10)]
    assert [e["path"] for e in report["errors"]] == [str(path)]


def test_fix_rewrites_code_and_leaves_comments_and_broken_files(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    good = tmp_path / "good.py"
    good.write_text(f'# was: {R8_2}\nTOKEN = "{R8}"\n', encoding="utf-8")
    broken = tmp_path / "broken.py"
    broken_text = f'TOKEN = "{R8}"\nif:\n'
    broken.write_text(broken_text, encoding="utf-8")
    code = main(["check", "--isolated", "--fix", str(good), str(broken)])
    out, _ = capsys.readouterr()
    assert code == 2
    assert (
        good.read_text(encoding="utf-8")
        == f'# was: {R8_2}\nimport os\nTOKEN = os.environ.get("REPLICATE_API_TOKEN")\n'
    )
    assert broken.read_text(encoding="utf-8") == broken_text
    assert f"{good}:1:8: RS103" in out and f"{broken}:1:10: RS103" in out


# ---------------------------------------------------------------------------
# HTTP Authorization headers


@pytest.mark.parametrize(
    ("before", "after", "position"),
    [
        pytest.param(
            f"""\
            import os

            import requests

            requests.post(
                "https://api.replicate.com/v1/predictions",
                json={{"version": "abc", "input": {{}}}},
                headers={{"Authorization": "Token {R8}"}},
            )
            """,
            """\
            import os

            import requests

            requests.post(
                "https://api.replicate.com/v1/predictions",
                json={"version": "abc", "input": {}},
                headers={"Authorization": f"Token {os.environ['REPLICATE_API_TOKEN']}"},
            )
            """,
            (8, 31),
            id="requests-token-scheme",
        ),
        pytest.param(
            f"""\
            import httpx

            HEADERS = {{'Authorization': 'Bearer {R8}'}}
            httpx.get(f"https://api.replicate.com/v1/models/{{owner}}/{{name}}", headers=HEADERS)
            """,
            """\
            import httpx
            import os

            HEADERS = {'Authorization': f'Bearer {os.environ["REPLICATE_API_TOKEN"]}'}
            httpx.get(f"https://api.replicate.com/v1/models/{owner}/{name}", headers=HEADERS)
            """,
            (3, 29),
            id="httpx-bound-dict-single-quotes",
        ),
        pytest.param(
            f"""\
            import os

            import requests

            session = requests.Session()
            session.headers.update({{"Authorization": "Bearer {R8}"}})
            """,
            """\
            import os

            import requests

            session = requests.Session()
            session.headers.update({"Authorization": f"Bearer {os.environ['REPLICATE_API_TOKEN']}"})
            """,
            (6, 42),
            id="session-headers-update",
        ),
        pytest.param(
            f"""\
            import os

            import httpx

            API = "https://api.replicate.com"
            client = httpx.AsyncClient(base_url=API, headers={{"Authorization": "Token {HEX}"}})
            """,
            """\
            import os

            import httpx

            API = "https://api.replicate.com"
            client = httpx.AsyncClient(base_url=API, headers={"Authorization": f"Token {os.environ['REPLICATE_API_TOKEN']}"})
            """,
            (6, 68),
            id="legacy-hex-to-the-replicate-api",
        ),
        pytest.param(
            f"""\
            import os
            import urllib.request

            request = urllib.request.Request(
                "https://api.replicate.com/v1/account", headers={{"authorization": "Bearer {R8}"}}
            )
            """,
            """\
            import os
            import urllib.request

            request = urllib.request.Request(
                "https://api.replicate.com/v1/account", headers={"authorization": f"Bearer {os.environ['REPLICATE_API_TOKEN']}"}
            )
            """,
            (5, 71),
            id="urllib-request",
        ),
        pytest.param(
            f"""\
            import os

            import requests

            headers = {{}}
            headers["Authorization"] = "Token {HEX}"
            requests.post("https://api.replicate.com/v1/predictions", headers=headers, json={{"version": "abc", "input": {{}}}})
            """,
            """\
            import os

            import requests

            headers = {}
            headers["Authorization"] = f"Token {os.environ['REPLICATE_API_TOKEN']}"
            requests.post("https://api.replicate.com/v1/predictions", headers=headers, json={"version": "abc", "input": {}})
            """,
            (6, 28),
            id="headers-built-up-over-lines",
        ),
        pytest.param(
            f"""\
            import os

            import requests

            session = requests.Session()
            session.headers["Authorization"] = "Bearer {R8}"
            """,
            """\
            import os

            import requests

            session = requests.Session()
            session.headers["Authorization"] = f"Bearer {os.environ['REPLICATE_API_TOKEN']}"
            """,
            (6, 36),
            id="session-headers-item",
        ),
        pytest.param(
            f"""\
            import os

            import requests

            session = requests.Session()
            session.headers.update({{"Authorization": "Token {HEX}"}})
            session.get("https://api.replicate.com/v1/account")
            """,
            """\
            import os

            import requests

            session = requests.Session()
            session.headers.update({"Authorization": f"Token {os.environ['REPLICATE_API_TOKEN']}"})
            session.get("https://api.replicate.com/v1/account")
            """,
            (6, 42),
            id="legacy-hex-in-a-session-that-calls-replicate",
        ),
        pytest.param(
            f"""\
            import os

            import aiohttp


            async def main():
                async with aiohttp.ClientSession(headers={{"Authorization": "Token {HEX}"}}) as session:
                    await session.get("https://api.replicate.com/v1/account")
            """,
            """\
            import os

            import aiohttp


            async def main():
                async with aiohttp.ClientSession(headers={"Authorization": f"Token {os.environ['REPLICATE_API_TOKEN']}"}) as session:
                    await session.get("https://api.replicate.com/v1/account")
            """,
            (7, 64),
            id="legacy-hex-in-an-aiohttp-session-that-calls-replicate",
        ),
        pytest.param(
            f"""\
            import os
            import urllib.request

            request = urllib.request.Request("https://api.replicate.com/v1/account")
            request.add_header("Authorization", "Bearer {HEX}")
            """,
            """\
            import os
            import urllib.request

            request = urllib.request.Request("https://api.replicate.com/v1/account")
            request.add_header("Authorization", f"Bearer {os.environ['REPLICATE_API_TOKEN']}")
            """,
            (5, 37),
            id="urllib-add-header",
        ),
        pytest.param(
            f"""\
            import os

            import requests

            requests.get("https://api.replicate.com/v1/account", headers=dict(Authorization="Token {HEX}"))
            """,
            """\
            import os

            import requests

            requests.get("https://api.replicate.com/v1/account", headers=dict(Authorization=f"Token {os.environ['REPLICATE_API_TOKEN']}"))
            """,
            (5, 81),
            id="dict-call",
        ),
    ],
)
def test_authorization_header_is_reported_and_fixed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], before: str, after: str, position: Tuple[int, int]
) -> None:
    code, report, _ = check(tmp_path, capsys, before)
    assert code == 1
    assert positions(report) == [("RS103", *position)]
    assert report["findings"][0]["fixable"]
    assert "Authorization header" in report["findings"][0]["message"]
    code = main(["check", "--isolated", "--fix", str(tmp_path / "app.py")])
    capsys.readouterr()
    fixed = (tmp_path / "app.py").read_text(encoding="utf-8")
    assert fixed == textwrap.dedent(after)
    assert code == 0
    # The f-string reuses no quote of its own: valid on every Python this tool supports.
    compile(fixed, "app.py", "exec")


@pytest.mark.parametrize(
    "text",
    [
        pytest.param(
            f"""\
            import requests

            replicate_api = requests.Session()
            replicate_api.get("https://api.replicate.com/v1/account")
            github = requests.Session()
            github.headers["Authorization"] = "token {HEX}"
            github.headers.update({{"Authorization": "token {HEX}"}})
            github.get("https://api.github.com/user")
            """,
            id="github-session-next-to-a-replicate-one",
        ),
        pytest.param(
            f"""\
            import urllib.request

            request = urllib.request.Request("https://api.github.com/user")
            request.add_header("Authorization", "token {HEX}")
            headers = {{}}
            headers["Authorization"] = "Bearer {HEX}"
            """,
            id="github-request-and-a-dict-sent-nowhere",
        ),
    ],
)
def test_legacy_hex_headers_of_other_services_are_not_findings(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str
) -> None:
    code, report, _ = check(tmp_path, capsys, text)
    assert report["findings"] == [] and code == 0


def test_fixed_header_runs_and_sends_the_token_from_the_environment(tmp_path: Path) -> None:
    before = f'import urllib.request\nheaders = {{"Authorization": "Bearer {R8}"}}\nprint(headers["Authorization"])\n'
    path = tmp_path / "app.py"
    path.write_text(before, encoding="utf-8")
    assert main(["check", "--isolated", "--fix", str(path)]) == 0
    env: Dict[str, str] = {"REPLICATE_API_TOKEN": "r8_from_the_environment", "PATH": "/usr/bin:/bin"}
    done = subprocess.run([sys.executable, str(path)], capture_output=True, text=True, env=env, check=True)
    assert done.stdout == "Bearer r8_from_the_environment\n"


def test_a_bare_noqa_does_not_silence_a_token(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A bare `# noqa` is for line lengths; a token needs `# noqa: RS103` (issue 13)."""
    path = tmp_path / "app.py"
    path.write_text(f"x = 1\n# {R8}  # noqa\n", encoding="utf-8")
    assert main(["check", "--isolated", "--output-format", "json", str(path)]) == 1
    out = capsys.readouterr().out
    assert [(f["line"], f["code"]) for f in json.loads(out)["findings"]] == [(2, "RS103")]


def test_a_file_with_old_mac_line_breaks_reads_its_comments(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Python reads `\\r` alone as a line break: `# noqa` and comments are found on such lines too."""
    path = tmp_path / "app.py"
    path.write_bytes(
        f'import replicate\rc = replicate.Client(api_token="{R8}")  # noqa: RS103\r# old: {R8_2}\r'.encode()
    )
    assert main(["check", "--isolated", "--output-format", "json", str(path)]) == 1
    (finding,) = json.loads(capsys.readouterr().out)["findings"]
    assert (finding["line"], finding["column"]) == (3, 8)
    assert "in a comment" in finding["message"]


@pytest.mark.parametrize("seed", range(5))
def test_line_starts_are_where_pythons_line_breaks_end(seed: int) -> None:
    """Counted with bytes.splitlines, they are where `\\r\\n`, `\\r` and `\\n` end, and only
    there: form feeds and the other breaks str.splitlines knows start no line."""
    import random
    import re

    from lint_secrets.textscan import line_starts

    pieces = [b"a", b"xy", b"\n", b"\r", b"\r\n", b"\x0c", b"\x0b", b"\x1c", b"\x85", b" "]
    chooser = random.Random(seed)
    for _ in range(2000):
        data = b"".join(chooser.choice(pieces) for _ in range(chooser.randint(0, 12)))
        expected = [0, *(m.end() for m in re.finditer(rb"\r\n|\r|\n", data))]
        assert line_starts(data) == expected, data
