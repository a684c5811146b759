"""Jupyter notebooks, written by the real `nbformat`: discovery, cell positions, magics,
markdown and outputs, SARIF/GitHub locations, --fix written back byte for byte, --diff."""

from __future__ import annotations

import difflib
import json
from pathlib import Path
from typing import Any, List, Tuple

import nbformat
import pytest
from conftest import run_cli
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

R8 = "r8_FAKE" + "Xq3ZtV9mLw2Pk7Rb4Nc8Hd1Fs6Gj0Ye5U"
R8_2 = "r8_FAKE" + "Pk3Lm5Nb7Vc9Xz1Qw2Er4Ty6Ui8Op0AsD"
R8_3 = "r8_FAKE" + "Lm5Nb7Vc9Xz1Qw2Er4Ty6Ui8Op0AsDPk3"
R8_4 = "r8_FAKE" + "Vc9Xz1Qw2Er4Ty6Ui8Op0AsDPk3Lm5Nb7"
R8_5 = "r8_FAKE" + "Qw2Er4Ty6Ui8Op0AsDPk3Lm5Nb7Vc9Xz1"
ALL = (R8, R8_2, R8_3, R8_4, R8_5)


def write(path: Path, *cells: Any) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(new_notebook(cells=list(cells)), str(path))
    return path


def run(capsys: pytest.CaptureFixture[str], *args: str) -> Tuple[int, str, str]:
    return run_cli(capsys, ["check", "--isolated", *args], never_shown=ALL)


def findings(capsys: pytest.CaptureFixture[str], path: Path) -> List[Any]:
    _code, out, _ = run(capsys, "--output-format", "json", str(path))
    return list(json.loads(out)["findings"])


def demo(tmp_path: Path) -> Path:
    return write(
        tmp_path / "demo.ipynb",
        new_markdown_cell(f"# Setup\n\nPaste your token: {R8}"),
        new_code_cell(f"!pip install replicate\n%env REPLICATE_API_TOKEN={R8_2}\nimport replicate"),
        new_code_cell(f'TOKEN = "{R8_3}"\nresult = await replicate.async_run("a/b", input={{}})'),
        new_code_cell("%%bash\necho this is not python: {{ }}"),
        new_code_cell(
            "client = replicate.Client(api_token=TOKEN)\nprint(client)",
            outputs=[new_output("stream", name="stdout", text=f"using {R8_4}\n")],
        ),
        new_code_cell(
            f'import os\nos.environ["REPLICATE_API_TOKEN"] = "{R8_5}"\nfiles = !ls\nhelp?\n%matplotlib inline'
        ),
    )


def test_positions_count_cells_and_lines_within_them(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = demo(tmp_path)
    code, out, err = run(capsys, str(path))
    assert code == 1, err
    assert [line.split(": ")[0] + " " + line.split(": ")[1].split()[0] for line in out.splitlines()[:5]] == [
        f"{path}:cell 1:3:19 RS103",  # markdown
        f"{path}:cell 2:2:26 RS103",  # %env
        f"{path}:cell 3:1:9 RS103",  # the constant, followed to its use in cell 5
        f"{path}:cell 5:1:7 RS103",  # an output
        f"{path}:cell 6:2:37 RS103",  # os.environ[...] = ... in a cell
    ]
    assert "via TOKEN in Client(api_token=...)" in out
    assert "in an output of cell 5" in out
    assert "syntax error" not in err  # magics and the %%bash cell are not parse errors
    assert "error" not in err


def test_json_has_a_cell_field(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    found = findings(capsys, demo(tmp_path))
    assert [(f["cell"], f["line"], f["column"], f["fixable"]) for f in found] == [
        (1, 3, 19, False),
        (2, 2, 26, False),
        (3, 1, 9, True),
        (5, 1, 7, False),
        (6, 2, 37, True),
    ]


def test_python_files_have_no_cell(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "app.py"
    path.write_text(f"# {R8}\n", encoding="utf-8")
    [finding] = findings(capsys, path)
    assert finding["cell"] is None


@pytest.mark.parametrize("fmt", ["sarif", "github"])
def test_annotations_point_at_the_line_of_the_ipynb(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], fmt: str
) -> None:
    path = demo(tmp_path)
    code, out, _ = run(capsys, "--output-format", fmt, str(path))
    assert code == 1
    if fmt == "sarif":
        regions = [
            r["locations"][0]["physicalLocation"]["region"] for r in json.loads(out)["runs"][0]["results"]
        ]
        where = [(r["startLine"], r["startColumn"], r["endColumn"]) for r in regions]
    else:
        where = []
        for line in out.splitlines():
            props = dict(p.split("=", 1) for p in line.split(" ", 1)[1].split("::")[0].split(","))
            where.append((int(props["line"]), int(props["col"]), int(props["endColumn"])))
    lines = path.read_text(encoding="utf-8").splitlines()
    assert len(where) == 5
    for (line, column, end_column), token in zip(where, ALL):
        # Each points at a line of the notebook's JSON text that holds the token; a token
        # found on the text (markdown, %env, output) exactly, a literal where its quote is.
        assert token in lines[line - 1]
        if token in (R8, R8_2, R8_4):
            assert lines[line - 1][column - 1 : end_column - 1] == token
        else:
            assert lines[line - 1][column - 1 : column + 1] == '\\"'


def test_directory_walk_finds_notebooks_but_not_checkpoints(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(tmp_path / "nb" / "a.ipynb", new_code_cell(f'T = "{R8}"'))
    write(tmp_path / "nb" / ".ipynb_checkpoints" / "a-checkpoint.ipynb", new_code_cell(f'T = "{R8}"'))
    code, out, _ = run(capsys, str(tmp_path))
    assert code == 1
    assert out.splitlines()[0].startswith(f"{tmp_path / 'nb' / 'a.ipynb'}:cell 1:1:5: RS103")
    assert "checkpoint" not in out


def test_a_notebook_that_is_not_json_gets_one_error_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "broken.ipynb"
    path.write_text('{"cells": [{"source": "T = \'' + R8 + "'\"}", encoding="utf-8")
    code, _out, err = run(capsys, str(path))
    assert code == 2
    assert err.splitlines() == [
        f"lint-secrets: error: {path}: not a valid notebook: Expecting ',' delimiter (line 1, column 72)"
    ]


def test_a_cell_that_does_not_parse_names_its_cell_and_keeps_the_tokens(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(
        tmp_path / "half.ipynb",
        new_code_cell("import replicate"),
        new_code_cell(f'x = (\nTOKEN = "{R8}"'),
    )
    code, out, err = run(capsys, str(path))
    assert code == 2
    assert f"{path}:cell 2:2:10: RS103" in out
    assert "(cell 2, line " in err and err.count("\n") == 1


def test_fix_rewrites_cells_and_keeps_everything_else_byte_for_byte(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = demo(tmp_path)
    before = path.read_text(encoding="utf-8")
    code, out, _err = run(capsys, "--fix", str(path))
    assert code == 1  # the markdown, %env and output tokens are reported, not edited
    assert "Fixed 2 secrets." in out
    after = path.read_text(encoding="utf-8")
    changed = [line for line in difflib.ndiff(before.splitlines(), after.splitlines()) if line[:1] in "-+"]
    assert [line[0] + line[2:] for line in changed] == [
        f'-    "TOKEN = \\"{R8_3}\\"\\n",',
        '+    "import os\\n",',
        '+    "TOKEN = os.environ.get(\\"REPLICATE_API_TOKEN_2\\")\\n",',
        f'-    "os.environ[\\"REPLICATE_API_TOKEN\\"] = \\"{R8_5}\\"\\n",',
    ]
    assert after.endswith("}\n")
    notebook = nbformat.reads(after, as_version=4)
    nbformat.validate(notebook)
    assert notebook.cells[4].outputs[0].text == f"using {R8_4}\n"  # outputs are never edited
    assert notebook.cells[5].source == "import os\nfiles = !ls\nhelp?\n%matplotlib inline"  # magics put back
    assert notebook.cells[2].source.endswith('await replicate.async_run("a/b", input={})')


def test_fix_keeps_a_notebook_written_with_other_indentation_and_escapes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    notebook = new_notebook(cells=[new_code_cell(f'# café\nTOKEN = "{R8}"\nprint(TOKEN)')])
    notebook.metadata["zeta"] = 1
    notebook.metadata["alpha"] = "ü"
    path = tmp_path / "odd.ipynb"
    text = json.dumps(notebook, indent=4, ensure_ascii=True)  # no final newline, \\u escapes
    path.write_text(text, encoding="utf-8")
    code, _, _ = run(capsys, "--fix", str(path))
    assert code == 0
    after = path.read_text(encoding="utf-8")
    old_source = json.dumps(notebook.cells[0].source, ensure_ascii=True)
    new_source = json.dumps(
        '# caf\u00e9\nimport os\nTOKEN = os.environ.get("REPLICATE_API_TOKEN")\nprint(TOKEN)',
        ensure_ascii=True,
    )
    assert "\\u00e9" in new_source and after == text.replace(old_source, new_source)
    assert list(json.loads(after)["metadata"]) == list(notebook.metadata)


def test_source_as_one_string_stays_one_string(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "one.ipynb"
    document = {
        "cells": [
            {
                "cell_type": "code",
                "execution_count": None,
                "id": "a1",
                "metadata": {},
                "outputs": [],
                "source": f'import os\nT = "{R8}"\n',
            }
        ],
        "metadata": {},
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    path.write_text(json.dumps(document, indent=1) + "\n", encoding="utf-8")
    run(capsys, "--fix", str(path))
    assert (
        json.loads(path.read_text(encoding="utf-8"))["cells"][0]["source"]
        == 'import os\nT = os.environ.get("REPLICATE_API_TOKEN")\n'
    )


def test_diff_shows_cell_level_redacted_diffs_and_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = demo(tmp_path)
    before = path.read_bytes()
    code, out, _ = run(capsys, "--diff", str(path))
    assert path.read_bytes() == before
    assert code == 1
    assert out.startswith(f"--- a/{path}:cell 3\n+++ b/{path}:cell 3\n@@ ")
    assert f"--- a/{path}:cell 6\n+++ b/{path}:cell 6\n" in out
    assert '-TOKEN = "r8_F\u2026"\n' in out
    assert '+TOKEN = os.environ.get("REPLICATE_API_TOKEN_2")\n' in out
    assert '-os.environ["REPLICATE_API_TOKEN"] = "r8_F\u2026"\n' in out


def test_a_clean_notebook_passes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(
        tmp_path / "clean.ipynb",
        new_markdown_cell(
            "Set `REPLICATE_API_TOKEN` in your environment: r8_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
        ),
        new_code_cell(
            "import os\nimport replicate\n"
            'client = replicate.Client(api_token=os.environ["REPLICATE_API_TOKEN"])'
        ),
    )
    before = path.read_bytes()
    code, _out, err = run(capsys, "--fix", str(path))
    assert (code, err) == (0, "")
    assert path.read_bytes() == before


def test_model_inputs_are_followed_across_cells(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A notebook that imports replicate but holds no token is checked too (the prefilter reads
    `"import replicate` in the JSON as a line start), and the call's line is given in its cell."""
    secret = "el-FAKE2b1c0f9a8d7e6c5b4a39f8e7"
    path = write(
        tmp_path / "tts.ipynb",
        new_code_cell("import replicate"),
        new_code_cell(f'KEY = "{secret}"'),
        new_code_cell('replicate.run("example/text-to-speech", input={"elevenlabs_api_key": KEY})'),
    )
    code, out, _ = run(capsys, "--output-format", "json", str(path))
    [finding] = json.loads(out)["findings"]
    assert code == 1 and secret not in out
    assert (finding["cell"], finding["line"], finding["column"], finding["call_line"]) == (2, 1, 7, 1)
    assert finding["message"].endswith("(run call in cell 3, line 1)")


@pytest.mark.parametrize(
    ("source", "replaced"),
    [
        pytest.param("%matplotlib inline\nx = 1", [0], id="line-magic"),
        pytest.param("!pip install replicate\n", [0], id="shell-escape"),
        pytest.param("files = !ls\nx = %time f()", [0, 1], id="assigned"),
        pytest.param("len?\nos.path??", [0, 1], id="help"),
        pytest.param("!echo a \\\n  b\nx = 1", [0, 1], id="continued-escape"),
        pytest.param("if x:\n    %time f()", [1], id="indented"),
        pytest.param('print("%s"\n      % (a,))', [], id="modulo-continuing-a-bracket"),
        pytest.param('s = """\n%not a magic\n"""', [], id="inside-a-string"),
        pytest.param("x = a \\\n    % b", [], id="after-a-backslash"),
        pytest.param("%%bash\necho {{ }}", [0, 1], id="cell-magic"),
        pytest.param("%%time\nx = f()", [0], id="python-cell-magic"),
    ],
)
def test_ipython_lines_are_neutralised_as_ruff_does(source: str, replaced: List[int]) -> None:
    import ast

    from lint_secrets.notebook import neutralise

    text, lines = neutralise(source)
    assert sorted(lines) == replaced
    assert text.count("\n") == source.count("\n")
    ast.parse(text)  # what is left is Python


def test_a_legacy_token_in_a_curl_shell_escape_to_replicate(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    legacy = "0123456789abcdef" + "fedcba9876543210" + "a1b2c3d4"
    path = write(
        tmp_path / "curl.ipynb",
        new_code_cell(
            f'!curl -s -H "Authorization: Token {legacy}" \\\n  https://api.replicate.com/v1/account'
        ),
        new_code_cell(f'!curl -s -H "Authorization: token {legacy}" https://api.github.com/user'),
    )
    found = findings(capsys, path)
    assert [(f["cell"], f["line"], f["column"]) for f in found] == [(1, 1, 35)]
    assert "legacy Replicate API token" in found[0]["message"] and legacy not in json.dumps(found)
