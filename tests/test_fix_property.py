"""Property: `check --fix` on any valid module with a secret spliced in changes only the secret lines.

hypothesmith generates modules from the Python grammar; each gets a Replicate call with a
fake secret appended. After `--fix` the module parses, checks clean, and differs from the
original only on the secret's line and one added `import os` line; it compiles, and a
second `--fix` changes nothing. A module LibCST does not reproduce byte for byte is left
untouched, its finding saying why.

The default run is short and derandomized (the same examples every time). For a longer,
random run:

    LINT_SECRETS_FUZZ_EXAMPLES=2000 pytest tests/test_fix_property.py
"""

from __future__ import annotations

import ast
import difflib
import os
import shutil
from pathlib import Path

import hypothesmith
import pytest
from hypothesis import HealthCheck, assume, given, settings

from lint_secrets.cli import main

SCHEMAS = Path(__file__).resolve().parent.parent / "fixtures" / "sample" / ".lint-secrets" / "schemas"
SECRET = "el-FAKE7c6b5a4f3e2d1c0b9a8f7e6d"
CALL = (
    "\nimport replicate\n"
    f'replicate.run("example/text-to-speech", input={{"text": "x", "elevenlabs_api_key": "{SECRET}"}})\n'
)

EXAMPLES = int(os.environ.get("LINT_SECRETS_FUZZ_EXAMPLES", "0"))
SETTINGS = settings(
    max_examples=EXAMPLES or 30,
    derandomize=not EXAMPLES,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)


def _parses(text: str) -> bool:
    try:
        ast.parse(text)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return False
    return True


def _compiles(text: str) -> bool:
    try:
        compile(text, "app.py", "exec", dont_inherit=True)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return False
    return True


@SETTINGS
@given(module=hypothesmith.from_grammar())
def test_fix_changes_only_the_secret_and_the_import(
    module: str, tmp_path_factory: pytest.TempPathFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    assume("replicate" not in module and "r8_" not in module and _parses(module))
    root = tmp_path_factory.mktemp("fuzz")
    shutil.copytree(SCHEMAS, root / ".lint-secrets" / "schemas")
    (root / "pyproject.toml").write_text("[tool.lint-secrets]\n", encoding="utf-8")
    before = module + CALL
    assume(_compiles(before))  # not e.g. a module ending in a backslash continuation
    path = root / "app.py"
    path.write_bytes(before.encode("utf-8"))
    code = main(["check", "--fix", str(path)])
    out, err = capsys.readouterr()
    after = path.read_bytes().decode("utf-8")
    assert SECRET not in out + err
    if "not fixed: LibCST does not reproduce this file exactly" in out:
        assert code == 1 and after == before
        return
    assert code == 0, (out, err)
    assert SECRET not in after
    assert _compiles(after)
    # A second run is clean and changes nothing.
    assert main(["check", "--fix", str(path)]) == 0
    capsys.readouterr()
    assert path.read_bytes().decode("utf-8") == after
    # Only the secret's line changed, and `import os` was added (unless `os` was imported already).
    matcher = difflib.SequenceMatcher(
        None, before.splitlines(keepends=True), after.splitlines(keepends=True), False
    )
    removed, added = [], []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag != "equal":
            removed.extend(before.splitlines(keepends=True)[i1:i2])
            added.extend(after.splitlines(keepends=True)[j1:j2])
    assert [line.rstrip("\r\n") for line in removed] == [CALL.strip().splitlines()[1]]
    added_lines = [line.rstrip("\r\n") for line in added]
    calls = [line for line in added_lines if line != "import os"]
    assert len(calls) == 1 and calls[0].endswith('["ELEVENLABS_API_KEY"]})'), added_lines
    assert len(added_lines) - len(calls) <= 1
