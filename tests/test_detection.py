"""Detection (issue 2): which literals reach which inputs of which models, and where findings point."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Set, Tuple

import pytest
from conftest import CASES, worker_for

PRIVATE = {"acme/private-llm": ["license_key"]}
EXPECT = re.compile(r"#\s*expect:\s*(?P<codes>.+?)\s*$")


def _expected(text: str) -> Set[Tuple[int, str, str]]:
    expected = set()
    for number, line in enumerate(text.splitlines(), start=1):
        match = EXPECT.search(line)
        if match is None:
            continue
        for item in match.group("codes").split(","):
            code, _, input_name = item.strip().partition(":")
            expected.add((number, code, input_name or "REPLICATE_API_TOKEN"))
    return expected


CASE_FILES = sorted(CASES.glob("*.py"))


@pytest.mark.parametrize("path", CASE_FILES, ids=[p.name for p in CASE_FILES])
def test_case_file(path: Path) -> None:
    data = path.read_bytes()
    text = data.decode("utf-8")
    expected = _expected(text)
    result = worker_for(PRIVATE).check_bytes(str(path), data)
    assert result.errors == ()
    found = {(f.line, f.code, f.input or "") for f in result.findings}
    lines = text.splitlines()
    missing = sorted(expected - found)
    unexpected = sorted(found - expected)
    assert not missing and not unexpected, (
        "missing:\n"
        + "\n".join(f"  {n}: {c} {i}  | {lines[n - 1].strip()}" for n, c, i in missing)
        + "\nunexpected:\n"
        + "\n".join(f"  {n}: {c} {i}  | {lines[n - 1].strip()}" for n, c, i in unexpected)
    )
    # Every finding points at a string literal written on its line (or an expression built of them).
    for finding in result.findings:
        at = lines[finding.line - 1][finding.column - 1 :]
        assert re.match(r"""[rRbBfFuU]{0,2}["']|\(|[A-Za-z_]""", at), (finding, at)


def test_case_files_exist() -> None:
    assert len(CASE_FILES) >= 6
    assert all(_expected(p.read_text("utf-8")) or "negative" in p.name for p in CASE_FILES)
