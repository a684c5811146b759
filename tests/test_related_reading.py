"""The files the prefilter passes over are read once (issue 17): once a file that mentions
Replicate has been read, the run keeps the import lines of the files it passes over, and
`related_files` asks those instead of reading the files again. What it finds must not change.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Dict, List

import pytest
from conftest import check_json, files_read_again, finding_places, sample_project, tts_call, write_files

from lint_secrets.config import CheckOptions, Config
from lint_secrets.importers import (
    MOST_KEPT_IMPORT_BYTES,
    MOST_KEPT_IMPORT_WORDS,
    import_words,
    imported_files,
    only_import_lines,
)
from lint_secrets.module_paths import ModulePaths
from lint_secrets.runner import _check_each

KEY = "el-FAKE-0a1b2c3d4e5f6789"

# Import lines in the shapes real files write them, and text that only looks like one.
IMPORT_SHAPES = [
    "import os\n",
    "import os, sys as system\n",
    "import app.clients\n",
    "from . import clients\n",
    "from .clients import client\n",
    "from ..pkg.clients import client as c, make\n",
    "from app.clients import (\n    client,\n    make_client,  # the factory\n)\n",
    "from app.clients import (client,\n                         make_client)\n",
    "import os; from app import clients\n",
    "    from app.clients import client  # inside a function\n",
    "if TYPE_CHECKING:\n    from app.settings import Settings\n",
    "try:\n    import replicate\nexcept ImportError:\n    replicate = None\n",
    "important = 1\n",
    "x = 'from app.clients import client'\n",
    '"""\nimport this is prose, from a docstring\n"""\n',
    "from app.clients import (client,\n",  # never closed: the rest of the file follows it
    "import\tapp.models\n",
    "from\tapp import models\n",
    "import(app)\n",
    "def f():\n    return importlib.import_module('app.clients')\n",
]


def _sources(count: int) -> List[str]:
    """Files made of the shapes above in many orders, with ordinary code between."""
    sources = [shape for shape in IMPORT_SHAPES]
    for start in range(count):
        chosen = [IMPORT_SHAPES[(start * 7 + step * 3) % len(IMPORT_SHAPES)] for step in range(start % 6 + 2)]
        sources.append("\n".join(chosen) + "\nclient.run('x')\nvalue = 2\n")
    return sources


@pytest.fixture
def package(tmp_path: Path) -> Path:
    write_files(
        tmp_path,
        {
            "app/__init__.py": "",
            "app/clients.py": "",
            "app/settings.py": "",
            "app/models.py": "",
            "app/pkg/__init__.py": "",
            "app/pkg/clients.py": "",
            "app/sub/__init__.py": "",
        },
    )
    return tmp_path


def test_the_import_lines_alone_answer_as_the_whole_file(package: Path) -> None:
    paths = ModulePaths(str(package))
    importer = str(package / "app" / "sub" / "main.py")
    compared = 0
    for source in _sources(200):
        data = source.encode("utf-8")
        lines = only_import_lines(data)
        assert lines is not None, source
        assert import_words(lines) == import_words(data), source
        assert imported_files(paths, importer, lines) == imported_files(paths, importer, data), source
        assert only_import_lines(lines) == lines, source
        compared += 1
    assert compared == len(IMPORT_SHAPES) + 200
    # Not a test that cannot fail: the shapes lead to modules of the package.
    found = imported_files(paths, importer, only_import_lines(b"from app.clients import client\n") or b"")
    assert found == [os.path.abspath(package / "app" / "clients.py")]


def _client_user(module: str) -> str:
    # No `import replicate`, no needle: the prefilter alone passes it over.
    return f"from app.{module} import client\n\n" + tts_call(f'"{KEY}"', on="client")


FILES: Dict[str, str] = {
    "app/__init__.py": "",
    # Before the module that imports replicate, in the order files are taken: read again.
    "app/a_main.py": _client_user("m_clients"),
    "app/m_clients.py": "import replicate\n\nclient = replicate.Client()\n",
    # After it: answered from the import lines kept.
    "app/z_main.py": _client_user("m_clients"),
    "app/z_unrelated.py": "import json\n\nclient = json\n",
    "app/z_plain.py": "VALUE = 3\n",
}


@pytest.mark.parametrize("jobs", [["--jobs", "1"], []], ids=["jobs-1", "default"])
def test_files_passed_over_are_read_again_only_before_replicate_is_seen(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], jobs: List[str]
) -> None:
    root = sample_project(tmp_path / "project", monkeypatch)
    write_files(root, FILES)
    read = files_read_again(monkeypatch)
    code, report, _ = check_json(capsys, *jobs, ".")
    assert code == 1
    assert finding_places(report) == [("app/a_main.py", 3, 81, "RS101"), ("app/z_main.py", 3, 81, "RS101")]
    # `__init__.py` and `a_main.py` come before `m_clients.py` (and are read once a round);
    # the z_ files, after it, are not read again.
    assert set(read) == {"__init__.py", "a_main.py"}


def test_a_run_with_no_replicate_use_keeps_nothing_and_reads_nothing_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    root = sample_project(tmp_path / "project", monkeypatch)
    write_files(root, {name: text for name, text in FILES.items() if name != "app/m_clients.py"})
    read = files_read_again(monkeypatch)
    code, report, _ = check_json(capsys, ".")
    assert (code, report["findings"], read) == (0, [], [])


def test_import_lines_past_the_limit_are_not_kept() -> None:
    # `\r` line ends, or an unclosed `(` in a comment: one "statement" to the end of the file.
    body = b"x = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]"
    for data in (
        b"import os\r" + (body + b"\r") * 1000,
        b"import os  # (see below\n" + (body + b"\n") * 1000,
    ):
        assert len(data) > MOST_KEPT_IMPORT_BYTES
        assert only_import_lines(data) is None
    assert only_import_lines(b"import os\n" + (body + b"\n") * 1000) == b"import os"
    # A module of many imports is cheaper read again, if it is asked about at all.
    many = b"".join(b"import module%d\n" % n for n in range(MOST_KEPT_IMPORT_WORDS + 1))
    assert only_import_lines(many) is None
    assert only_import_lines(many[: many.rindex(b"import")]) == many[: many.rindex(b"import")].rstrip()
    # Counted as the lines are found: a word inside a statement already found is not met
    # again, a word anywhere else is (`important` in a comment costs a look like any other).
    twice = b"".join(b"import important_module%d\n" % n for n in range(MOST_KEPT_IMPORT_WORDS))
    assert twice.count(b"import") == 2 * MOST_KEPT_IMPORT_WORDS
    assert only_import_lines(twice) == twice.rstrip()
    assert only_import_lines(twice + b"# important\n") is None


@pytest.mark.parametrize(
    ("first", "kept"),
    [
        pytest.param("import replicate\n\nclient = replicate.Client()\n", True, id="imports-replicate"),
        # A needle of the prefilter, but no module here imports `replicate`: related_files
        # looks for nothing, so nothing is kept.
        pytest.param('API = "https://api.replicate.com/v1/predictions"\n', False, id="rest-api-only"),
        pytest.param("# replicate, one day\nTOKEN = 'r8_' + 'x'\n", False, id="a-comment"),
    ],
)
def test_import_lines_are_kept_once_a_file_imports_replicate(tmp_path: Path, first: str, kept: bool) -> None:
    write_files(tmp_path, {"a_first.py": first, "b_later.py": "import json\n\nVALUE = json.dumps(3)\n"})
    lines: Dict[str, bytes] = {}
    paths = [str(tmp_path / "a_first.py"), str(tmp_path / "b_later.py")]
    _check_each(paths, CheckOptions(Config(root=tmp_path)), 1, import_lines=lines)
    assert lines == ({paths[1]: b"import json"} if kept else {})
