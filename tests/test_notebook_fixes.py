# ruff: noqa: E501  (fixed lines are as long as the rewrite makes them)
"""Fixes in notebooks follow a .py file's rules: safe and unsafe fixes, `--unsafe-fixes`,
`--diff`, and SARIF `fixes` that point into the .ipynb file's own JSON text.

The notebooks are written by hand in the shape `nbformat` writes (one-space indentation,
sorted keys, `source` as a list of lines, cell ids), and once with `source` as one string.
"""

from __future__ import annotations

import json
import re
import shutil
import textwrap
from pathlib import Path
from typing import Any, Dict, List, Optional, Sequence, Tuple

import jsonschema
import pytest
from conftest import run_cli

REPO = Path(__file__).resolve().parent.parent
SCHEMAS = REPO / "fixtures" / "sample" / ".lint-secrets" / "schemas"
SARIF_SCHEMA = REPO / "fixtures" / "sarif" / "sarif-schema-2.1.0.json"

R8 = "r8_FAKE" + "Xq3ZtV9mLw2Pk7Rb4Nc8Hd1Fs6Gj0Ye5U"
EL = "el-FAKE2b1c0f9a8d7e6c5b4a39f8e7"
HF = "hf_FAKEaBcDeFgHiJkLmNoPqRsTuVwXyZ0123"
SECRETS = (R8, EL, HF)


def code_cell(source: str, number: int, outputs: Sequence[Dict[str, Any]] = ()) -> Dict[str, Any]:
    return {
        "cell_type": "code",
        "execution_count": None,
        "id": f"cell-{number}",
        "metadata": {},
        "outputs": list(outputs),
        "source": source.splitlines(keepends=True),
    }


def markdown_cell(source: str, number: int) -> Dict[str, Any]:
    return {
        "cell_type": "markdown",
        "id": f"cell-{number}",
        "metadata": {},
        "source": source.splitlines(keepends=True),
    }


def notebook_text(cells: Sequence[Dict[str, Any]], *, one_string: bool = False) -> str:
    """What `nbformat.write` writes for these cells (or, with `one_string`, what other tools
    write: each `source` as one string)."""
    if one_string:
        cells = [{**cell, "source": "".join(cell["source"])} for cell in cells]
    document = {
        "cells": list(cells),
        "metadata": {
            "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
            "language_info": {"name": "python"},
        },
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    return json.dumps(document, indent=1, sort_keys=True, ensure_ascii=False) + "\n"


def notebook_of(*sources: str, one_string: bool = False) -> str:
    """A notebook with one code cell per source (a source starting with `# md` is markdown)."""
    cells = [
        markdown_cell(source[4:], number) if source.startswith("# md") else code_cell(source, number)
        for number, source in enumerate(sources, start=1)
    ]
    return notebook_text(cells, one_string=one_string)


def project(tmp_path: Path) -> Path:
    shutil.copytree(SCHEMAS, tmp_path / ".lint-secrets" / "schemas")
    (tmp_path / "pyproject.toml").write_text("[tool.lint-secrets]\n", encoding="utf-8")
    return tmp_path


def run(capsys: pytest.CaptureFixture[str], *args: str) -> Tuple[int, str, str]:
    return run_cli(capsys, ["check", *args], never_shown=SECRETS)


def cell_sources(path: Path) -> List[str]:
    return ["".join(c["source"]) for c in json.loads(path.read_text(encoding="utf-8"))["cells"]]


def markers(text: str) -> List[str]:
    """Each finding's code and fix marker (`[*]`, `[~]` or none) in the text output."""
    return [" ".join(m.groups("")) for m in re.finditer(r": (RS\d+) (\[.\])?", text)]


def report(capsys: pytest.CaptureFixture[str], *args: str) -> List[Dict[str, Any]]:
    _code, out, _err = run(capsys, "--output-format", "json", *args)
    return list(json.loads(out)["findings"])


# ---------------------------------------------------------------------------
# Safe and unsafe fixes: the same rules as a .py file

SOURCES = {
    "read-environ": 'import replicate\n\nclient = replicate.Client(api_token="<R8>")\n',
    "delete-statement": 'import os\n\nimport replicate\n\nos.environ["REPLICATE_API_TOKEN"] = "<R8>"\nreplicate.run("a/b", input={})\n',
    "secret-input": 'import replicate\n\nreplicate.run("example/text-to-speech", input={"elevenlabs_api_key": "<EL>"})\n',
    "module-constant": 'import replicate\n\nHF_TOKEN = "<HF>"\nreplicate.run("acme/private-model", input={"hf_token": HF_TOKEN})\n',
    # A cog model's fixes are unsafe everywhere.
    "cog-secret-input-default": 'from cog import BasePredictor, Input, Secret\n\n\nclass Predictor(BasePredictor):\n    def predict(self, hf_token: Secret = Input(default="<HF>")) -> str:\n        return "ok"\n',
}


def filled(source: str) -> str:
    return source.replace("<R8>", R8).replace("<EL>", EL).replace("<HF>", HF)


@pytest.mark.parametrize("kind", sorted(SOURCES))
@pytest.mark.parametrize("directory", ["", "tests"], ids=["app", "under-tests"])
@pytest.mark.parametrize("flags", [("--fix",), ("--fix", "--unsafe-fixes")], ids=["fix", "fix-unsafe-fixes"])
def test_a_notebook_cell_is_fixed_exactly_as_the_same_module_would_be(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], kind: str, directory: str, flags: Tuple[str, ...]
) -> None:
    root = project(tmp_path)
    source = filled(SOURCES[kind])
    folder = root / directory if directory else root
    folder.mkdir(exist_ok=True)
    module = folder / "code.py"
    notebook = folder / "code.ipynb"
    module.write_text(source, encoding="utf-8")
    notebook.write_text(notebook_of(source), encoding="utf-8")

    as_module = report(capsys, str(module))
    as_notebook = report(capsys, str(notebook))
    assert as_module, "the case must have findings"
    # The same classes, marked the same way ([*] / [~] in text, fix_applicability in JSON).
    assert [(f["code"], f["line"], f["fix_applicability"], f["fix_kind"]) for f in as_notebook] == [
        (f["code"], f["line"], f["fix_applicability"], f["fix_kind"]) for f in as_module
    ]
    _, text_module, _ = run(capsys, str(module))
    _, text_notebook, _ = run(capsys, str(notebook))
    assert markers(text_notebook) == markers(text_module)

    code_module, _, _ = run(capsys, *flags, str(module))
    code_notebook, out, _ = run(capsys, *flags, str(notebook))
    assert code_notebook == code_module, out
    assert cell_sources(notebook) == [module.read_text(encoding="utf-8")]
    # What is left is reported alike, and a second run changes nothing.
    assert [(f["code"], f["fix_applicability"]) for f in report(capsys, str(notebook))] == [
        (f["code"], f["fix_applicability"]) for f in report(capsys, str(module))
    ]


def test_a_notebook_named_test_is_not_a_test_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """pytest collects no notebook: `test_replicate.ipynb` is someone trying the API, with the
    real token a safe fix should take out, unlike `test_replicate.py`."""
    root = project(tmp_path)
    source = filled(SOURCES["read-environ"])
    (root / "test_replicate.py").write_text(source, encoding="utf-8")
    (root / "test_replicate.ipynb").write_text(notebook_of(source), encoding="utf-8")
    applicability = {
        f["path"].rsplit(".", 1)[1]: f["fix_applicability"]
        for f in report(capsys, str(root / "test_replicate.py"), str(root / "test_replicate.ipynb"))
    }
    assert applicability == {"py": "unsafe", "ipynb": "safe"}


def test_unsafe_fixes_in_a_notebook_wait_for_the_flag(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A notebook under tests/: every fix is unsafe, as in a test module."""
    root = project(tmp_path)
    (root / "tests").mkdir()
    path = root / "tests" / "demo.ipynb"
    before = notebook_of(
        "# md# Demo\n",
        "import replicate\n",
        f'client = replicate.Client(api_token="{R8}")\n',
    )
    path.write_text(before, encoding="utf-8")

    code, out, _ = run(capsys, "--isolated", str(path))
    assert code == 1
    assert f"{path}:cell 3:1:37: RS103 [~] " in out
    assert "[~] 1 fixable with `lint-secrets check --fix --unsafe-fixes`" in out

    code, out, err = run(capsys, "--isolated", "--fix", str(path))
    assert code == 1, err
    assert path.read_text(encoding="utf-8") == before
    assert "RS103 [~]" in out and "Fixed" not in out

    code, out, _ = run(capsys, "--isolated", "--diff", str(path))
    assert out == "" and path.read_text(encoding="utf-8") == before
    code, out, _ = run(capsys, "--isolated", "--diff", "--unsafe-fixes", str(path))
    assert out.startswith(f"--- a/{path}:cell 3\n+++ b/{path}:cell 3\n")
    assert (
        "+import os\n" in out
        and '+client = replicate.Client(api_token=os.environ["REPLICATE_API_TOKEN"])' in out
    )
    assert path.read_text(encoding="utf-8") == before

    code, out, err = run(capsys, "--isolated", "--fix", "--unsafe-fixes", str(path))
    assert code == 0, (out, err)
    assert "Fixed 1 secret" in out
    assert cell_sources(path) == [
        "# Demo\n",
        "import replicate\n",
        'import os\nclient = replicate.Client(api_token=os.environ["REPLICATE_API_TOKEN"])\n',
    ]
    assert run(capsys, "--isolated", str(path))[0] == 0


# ---------------------------------------------------------------------------
# SARIF fixes: replacements in the .ipynb file's own text


@pytest.fixture(scope="module")
def sarif_validator() -> Any:
    schema = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))
    return jsonschema.validators.validator_for(schema)(schema)


def sarif(capsys: pytest.CaptureFixture[str], validator: Any, *args: str) -> Dict[str, Any]:
    _code, out, _err = run(capsys, "--output-format", "sarif", *args)
    log: Dict[str, Any] = json.loads(out)
    validator.validate(log)
    return log


def apply_sarif_fixes(text: str, log: Dict[str, Any], uri: Optional[str] = None) -> str:
    """Every replacement of every result's fix, applied to `text` as a SARIF consumer would
    (by character offset; identical replacements, such as one `import os` line, once)."""
    replacements = []
    for result in log["runs"][0]["results"]:
        for fix in result.get("fixes", []):
            for change in fix["artifactChanges"]:
                assert uri is None or change["artifactLocation"]["uri"].endswith("/" + uri)
                replacements.extend(change["replacements"])
    unique = {
        (r["deletedRegion"]["charOffset"], r["deletedRegion"]["charLength"], r["insertedContent"]["text"])
        for r in replacements
    }
    ordered = sorted(unique)
    for (start, length, _), (next_start, _, _) in zip(ordered, ordered[1:]):
        assert start + length <= next_start, "two fixes overlap"
    for start, length, inserted in reversed(ordered):
        text = text[:start] + inserted + text[start + length :]
    return text


def check_regions(text: str, log: Dict[str, Any]) -> None:
    """Each replacement's line and column region is its character range: both say the same."""
    starts = [0]
    for line in text.splitlines(keepends=True):
        starts.append(starts[-1] + len(line))
    for result in log["runs"][0]["results"]:
        for fix in result.get("fixes", []):
            for change in fix["artifactChanges"]:
                for replacement in change["replacements"]:
                    region = replacement["deletedRegion"]
                    start = starts[region["startLine"] - 1] + region["startColumn"] - 1
                    end = starts[region["endLine"] - 1] + region["endColumn"] - 1
                    assert (start, end - start) == (region["charOffset"], region["charLength"])


NOTEBOOKS = [
    pytest.param(
        (
            "# md# Setup\nPaste nothing here.\n",
            "import replicate\n",
            f'client = replicate.Client(api_token="{R8}")\nprint(client)\n',
            "%matplotlib inline\n"
            f'replicate.run("example/text-to-speech", input={{"text": "hi", "elevenlabs_api_key": "{EL}"}})\n',
        ),
        id="two-cells-one-import",
    ),
    pytest.param(
        (
            "import os\nimport replicate\n",
            f'os.environ["REPLICATE_API_TOKEN"] = "{R8}"\nreplicate.run("a/b", input={{}})\n',
        ),
        id="removed-statement",
    ),
    pytest.param(
        (
            "import replicate\n",
            'TOKEN = ("r8_FAKEXq3ZtV9mLw2Pk7"  # the first half\n'
            '         + "Rb4Nc8Hd1Fs6Gj0Ye5U")\n'
            "client = replicate.Client(api_token=TOKEN)\n",
        ),
        id="pieces-with-a-comment",
    ),
    pytest.param(
        (
            "!pip install replicate\nimport replicate\n",
            f'HF_TOKEN = "{HF}"\nawait replicate.async_run("acme/private-model", input={{"hf_token": HF_TOKEN}})',
        ),
        id="magic-top-level-await-no-final-newline",
    ),
]


@pytest.mark.parametrize("one_string", [False, True], ids=["source-lines", "source-string"])
@pytest.mark.parametrize("sources", NOTEBOOKS)
def test_sarif_fixes_applied_to_the_ipynb_give_what_fix_writes(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    sarif_validator: Any,
    sources: Tuple[str, ...],
    one_string: bool,
) -> None:
    root = project(tmp_path)
    path = root / "demo.ipynb"
    before = notebook_of(*sources, one_string=one_string)
    path.write_text(before, encoding="utf-8")
    log = sarif(capsys, sarif_validator, str(path))
    results = log["runs"][0]["results"]
    assert results and all(
        "fixes" in r for r in results if r.get("properties", {}).get("fixApplicability") == "safe"
    )
    check_regions(before, log)
    from_sarif = apply_sarif_fixes(before, log, uri="demo.ipynb")
    assert from_sarif != before
    assert path.read_text(encoding="utf-8") == before  # SARIF writes nothing

    code, out, err = run(capsys, "--fix", str(path))
    assert code == 0, (out, err)
    assert from_sarif == path.read_text(encoding="utf-8")
    json.loads(from_sarif)  # still a notebook


def test_each_sarif_fix_alone_gives_what_fix_writes_for_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], sarif_validator: Any
) -> None:
    """A consumer may apply one suggested fix and not the others."""
    root = project(tmp_path)
    path = root / "demo.ipynb"
    before = notebook_of(
        "import replicate\n",
        f'client = replicate.Client(api_token="{R8}")\n',
        f'replicate.run("example/text-to-speech", input={{"elevenlabs_api_key": "{EL}"}})\n',
    )
    path.write_text(before, encoding="utf-8")
    log = sarif(capsys, sarif_validator, str(path))
    results = log["runs"][0]["results"]
    assert [r["ruleId"] for r in results] == ["RS103", "RS101"]
    alone = [apply_sarif_fixes(before, {"runs": [{"results": [result]}]}) for result in results]
    assert cell_sources_of(alone[0]) == [
        "import replicate\n",
        'import os\nclient = replicate.Client(api_token=os.environ["REPLICATE_API_TOKEN"])\n',
        f'replicate.run("example/text-to-speech", input={{"elevenlabs_api_key": "{EL}"}})\n',
    ]
    # `import os` goes where --fix puts it (the first fixed cell), whichever fix is applied.
    assert cell_sources_of(alone[1]) == [
        "import replicate\n",
        f'import os\nclient = replicate.Client(api_token="{R8}")\n',
        'replicate.run("example/text-to-speech", input={"elevenlabs_api_key": os.environ["ELEVENLABS_API_KEY"]})\n',
    ]


def cell_sources_of(text: str) -> List[str]:
    return ["".join(c["source"]) for c in json.loads(text)["cells"]]


def test_sarif_marks_an_unsafe_notebook_fix_and_still_describes_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], sarif_validator: Any
) -> None:
    root = project(tmp_path)
    (root / "tests").mkdir()
    path = root / "tests" / "demo.ipynb"
    before = notebook_of("import replicate\n", f'client = replicate.Client(api_token="{R8}")\n')
    path.write_text(before, encoding="utf-8")
    log = sarif(capsys, sarif_validator, str(path))
    (result,) = log["runs"][0]["results"]
    assert result["properties"]["fixApplicability"] == "unsafe"
    (fix,) = result["fixes"]
    assert "(unsafe: applied only with `--unsafe-fixes`)" in fix["description"]["text"]
    from_sarif = apply_sarif_fixes(before, log)
    assert run(capsys, "--fix", "--unsafe-fixes", str(path))[0] == 0
    assert from_sarif == path.read_text(encoding="utf-8")


def test_sarif_region_of_a_notebook_fix_is_the_escaped_text_in_the_json(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], sarif_validator: Any
) -> None:
    root = project(tmp_path)
    path = root / "demo.ipynb"
    before = notebook_of(
        "import os\nimport replicate\n",
        f'replicate.run("example/text-to-speech", input={{"elevenlabs_api_key": "{EL}"}})\n',
    )
    path.write_text(before, encoding="utf-8")
    log = sarif(capsys, sarif_validator, str(path))
    (result,) = log["runs"][0]["results"]
    (replacement,) = result["fixes"][0]["artifactChanges"][0]["replacements"]
    region = replacement["deletedRegion"]
    # The JSON text of the literal, escaped quotes included, and what --fix writes there.
    deleted = before[region["charOffset"] : region["charOffset"] + region["charLength"]]
    assert deleted == f'\\"{EL}\\"'
    assert replacement["insertedContent"]["text"] == 'os.environ[\\"ELEVENLABS_API_KEY\\"]'
    line = before.splitlines()[region["startLine"] - 1]
    assert line == textwrap.indent(
        json.dumps(f'replicate.run("example/text-to-speech", input={{"elevenlabs_api_key": "{EL}"}})\n'),
        "    ",
    )
    # The finding's own location is on the same line of the .ipynb.
    location = result["locations"][0]["physicalLocation"]["region"]
    assert location["startLine"] == region["startLine"]


@pytest.mark.parametrize("suffix", [".ipynb", ".py"])
def test_sarif_offsets_count_from_after_a_utf8_bom(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], sarif_validator: Any, suffix: str
) -> None:
    """A notebook and a module alike: lines, columns and charOffset count the text an editor
    shows, after the BOM; the BOM stays where --fix writes."""
    root = project(tmp_path)
    source = filled(SOURCES["read-environ"])
    text = notebook_of(source) if suffix == ".ipynb" else source
    path = root / f"demo{suffix}"
    path.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    log = sarif(capsys, sarif_validator, str(path))
    check_regions(text, log)
    from_sarif = apply_sarif_fixes(text, log)
    assert run(capsys, "--fix", str(path))[0] == 0
    assert path.read_bytes() == b"\xef\xbb\xbf" + from_sarif.encode("utf-8")
