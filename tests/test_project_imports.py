"""Values imported from other modules of the project (issue 11): followed, reported at their
definition in the other module, fixed there only when that module is checked.

Every test builds a small project in a temporary directory (packages with `__init__.py`,
`src/` layouts, scripts beside their modules) and runs the real `check` on it.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Dict

import pytest
from conftest import SCHEMAS, check_json, finding_places, write_files
from conftest import tts_call as call

from lint_secrets.checker import CheckOptions, Worker
from lint_secrets.cli import main
from lint_secrets.config import Config

TTS = "example/text-to-speech"
KEY = "el-FAKE-0a1b2c3d4e5f6789"
OTHER_KEY = "el-FAKE-9f8e7d6c5b4a3210"


@pytest.fixture
def root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    project = tmp_path / "project"
    project.mkdir()
    shutil.copytree(SCHEMAS, project / ".lint-secrets" / "schemas")
    (project / "pyproject.toml").write_text("[tool.lint-secrets]\n", encoding="utf-8")
    monkeypatch.chdir(project)
    return project


CONFIG = f'import os\n\nELEVEN_KEY = "{KEY}"\nSAFE_KEY = os.environ["ELEVENLABS_API_KEY"]\n'
PACKAGE = {
    "app/__init__.py": "",
    "app/config.py": CONFIG,
    "app/speech.py": "import replicate\n\nfrom .config import ELEVEN_KEY\n\n" + call("ELEVEN_KEY"),
    "app/other.py": "import replicate\n\nfrom app import config\n\n" + call("config.ELEVEN_KEY"),
    "app/safe.py": "import replicate\n\nfrom .config import SAFE_KEY\n\n" + call("SAFE_KEY"),
}


# ---------------------------------------------------------------------------
# Where the finding is reported


def test_reported_once_at_the_definition_naming_a_call(
    root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_files(root, PACKAGE)
    code, report, _ = check_json(capsys, ".")
    assert code == 1
    assert finding_places(report) == [("app/config.py", 3, 14, "RS101")]
    (finding,) = report["findings"]
    assert finding["input"] == "elevenlabs_api_key" and finding["model"] == TTS
    # One of the calls that send it is named, with its file.
    assert "via ELEVEN_KEY" in finding["message"]
    assert (
        "(run call at app/other.py:5)" in finding["message"]
        or "(run call at app/speech.py:5)" in finding["message"]
    )
    assert KEY not in json.dumps(report)
    assert report["unresolved"] == []


@pytest.mark.parametrize(
    "files",
    [
        # a script beside its module: `import config` then `config.KEY`
        {"config.py": CONFIG, "main.py": "import replicate\nimport config\n\n" + call("config.ELEVEN_KEY")},
        # `from config import KEY`, aliased
        {
            "config.py": CONFIG,
            "main.py": "import replicate\nfrom config import ELEVEN_KEY as K\n\n" + call("K"),
        },
        # `import pkg.config` then `pkg.config.KEY`
        {
            "pkg/__init__.py": "",
            "pkg/config.py": CONFIG,
            "main.py": "import replicate\nimport pkg.config\n\n" + call("pkg.config.ELEVEN_KEY"),
        },
        # a package re-exporting from its __init__
        {
            "pkg/__init__.py": "from .config import ELEVEN_KEY\n",
            "pkg/config.py": CONFIG,
            "main.py": "import replicate\nfrom pkg import ELEVEN_KEY\n\n" + call("ELEVEN_KEY"),
        },
        # `from .. import config` two packages down
        {
            "pkg/__init__.py": "",
            "pkg/config.py": CONFIG,
            "pkg/sub/__init__.py": "",
            "pkg/sub/main.py": "import replicate\nfrom .. import config\n\n" + call("config.ELEVEN_KEY"),
        },
        # a src/ layout: the package's own absolute import, and a script at the root
        {
            "src/pkg/__init__.py": "",
            "src/pkg/config.py": CONFIG,
            "src/pkg/main.py": "import replicate\nfrom pkg.config import ELEVEN_KEY\n\n" + call("ELEVEN_KEY"),
            "scripts/run.py": "import replicate\nfrom pkg.config import ELEVEN_KEY\n\n" + call("ELEVEN_KEY"),
        },
        # a star import
        {"config.py": CONFIG, "main.py": "import replicate\nfrom config import *\n\n" + call("ELEVEN_KEY")},
        # under try / except ImportError
        {
            "config.py": CONFIG,
            "main.py": "import replicate\ntry:\n    from config import ELEVEN_KEY\nexcept ImportError:\n"
            "    ELEVEN_KEY = None\n\n" + call("ELEVEN_KEY"),
        },
    ],
    ids=["import-module", "from-import-as", "dotted", "reexport", "parent-relative", "src", "star", "try"],
)
def test_import_forms(root: Path, capsys: pytest.CaptureFixture[str], files: Dict[str, str]) -> None:
    write_files(root, files)
    code, report, _ = check_json(capsys, ".")
    config = next(name for name in files if name.endswith("config.py"))
    assert code == 1
    assert {(p, line, column) for p, line, column, _ in finding_places(report)} == {(config, 3, 14)}


def test_settings_instance_and_class_in_other_modules(root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_files(
        root,
        {
            "app/__init__.py": "",
            "app/base.py": f'class Settings:\n    elevenlabs_api_key: str = "{KEY}"\n',
            "app/settings.py": "from .base import Settings\n\nsettings = Settings()\n",
            "app/keys.py": f'class Keys:\n    def __init__(self):\n        self.speech = "{OTHER_KEY}"\n',
            "app/main.py": "import replicate\n\nfrom app.settings import settings\n"
            "from app.keys import Keys\n\n" + call("settings.elevenlabs_api_key") + call("Keys().speech"),
        },
    )
    code, report, _ = check_json(capsys, ".")
    assert code == 1
    assert finding_places(report) == [("app/base.py", 2, 31, "RS101"), ("app/keys.py", 3, 23, "RS101")]


def test_instance_attribute_set_in_init_of_another_module(
    root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_files(
        root,
        {
            "keys.py": f'class Keys:\n    def __init__(self):\n        self.speech = "{OTHER_KEY}"\n\n\n'
            "KEYS = Keys()\n",
            "main.py": "import replicate\nfrom keys import KEYS\n\n" + call("KEYS.speech"),
        },
    )
    assert finding_places(check_json(capsys, ".")[1]) == [("keys.py", 3, 23, "RS101")]


def test_model_dict_and_client_from_other_modules(root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_files(
        root,
        {
            "app/__init__.py": "",
            "app/models.py": f'SPEECH = "{TTS}"\n'
            f'DEFAULTS = {{"text": "hi", "elevenlabs_api_key": "{KEY}"}}\n',
            "app/clients.py": "import functools\n\nimport replicate\n\nclient = replicate.Client()\n\n\n"
            "@functools.lru_cache\ndef get_client():\n    return replicate.Client()\n",
            # No `import replicate`, no needle: the prefilter alone would pass it over.
            "app/main.py": "from .clients import client, get_client\n"
            "from .models import DEFAULTS, SPEECH\n\n"
            f'client.run(SPEECH, input={{**DEFAULTS, "speed": 1.0}})\n'
            f'get_client().run(SPEECH, input={{"elevenlabs_api_key": "{OTHER_KEY}"}})\n',
        },
    )
    code, report, _ = check_json(capsys, ".")
    assert code == 1
    # RS101, not RS102: the model was worked out from the other module, and its schema used.
    assert finding_places(report) == [("app/main.py", 5, 55, "RS101"), ("app/models.py", 2, 49, "RS101")]


# ---------------------------------------------------------------------------
# Negatives: nothing reported, nothing unresolved


def test_negatives(root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_files(
        root,
        {
            "app/__init__.py": "",
            "app/config.py": CONFIG + f'UNUSED = "{OTHER_KEY}"\nTEXT = "{KEY}"\n',
            "app/safe.py": "import os\n\nimport replicate\nimport requests\nfrom requests import Session\n"
            "from .config import SAFE_KEY, TEXT\n\n"
            # A module of another package, a safe value, a literal sent to a non-secret input.
            + call("SAFE_KEY")
            + f'replicate.run("{TTS}", input={{"text": TEXT, "elevenlabs_api_key": os.environ["K"]}})\n'
            + call("requests.KEY")
            + call("Session().key"),
        },
    )
    code, report, err = check_json(capsys, "--extend-select", "RS100", ".")
    assert (code, report["findings"], report["unresolved"]) == (0, [], [])
    assert "note:" not in err


def test_unreadable_imports_are_unresolved_not_silent(root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_files(
        root,
        {
            "app/__init__.py": "",
            "app/config.py": "ELEVEN_KEY = (\n",  # does not parse
            "app/names.py": "OTHER = 1\n",
            "app/main.py": "import replicate\n\nfrom .config import ELEVEN_KEY\nfrom .names import MISSING\n"
            "from .gone import GONE\n\n" + call("ELEVEN_KEY") + call("MISSING") + call("GONE"),
        },
    )
    code, report, err = check_json(capsys, ".")
    assert (code, report["findings"]) == (0, [])
    assert report["unresolved"] == [{"path": "app/main.py", "line": n} for n in (7, 8, 9)]
    assert "3 Replicate call(s)" in err


def test_import_cycles_end(root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_files(
        root,
        {
            "a.py": "import replicate\nfrom b import KEY, LOOP\n\n" + call("KEY") + call("LOOP"),
            "b.py": f'from a import LOOP\nKEY = "{KEY}"\n',
        },
    )
    assert finding_places(check_json(capsys, ".")[1]) == [("b.py", 2, 7, "RS101")]


def test_each_module_is_parsed_once_per_worker(tmp_path: Path) -> None:
    files = {"config.py": CONFIG}
    for n in range(5):
        files[f"user{n}.py"] = "import replicate\nfrom config import ELEVEN_KEY\n\n" + call("ELEVEN_KEY")
    write_files(tmp_path, files)
    worker = Worker(CheckOptions(config=Config(root=tmp_path, schema_dir=SCHEMAS)))
    for n in range(5):
        path = str(tmp_path / f"user{n}.py")
        result = worker.check_path(path)
        assert [f.path for f in result.exported] == [str(tmp_path / "config.py")]
    assert worker.project.parsed == 1
    # A changed file is parsed again (a fix written meanwhile).
    (tmp_path / "config.py").write_text(CONFIG.replace(KEY, OTHER_KEY) + "\n", encoding="utf-8")
    assert worker.check_path(str(tmp_path / "user0.py")).exported[0].secret == OTHER_KEY
    assert worker.project.parsed == 2


# ---------------------------------------------------------------------------
# The other module's own configuration and comments


def test_noqa_at_the_definition_and_at_a_call(root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    files = dict(PACKAGE)
    files["app/config.py"] = CONFIG.replace(f'"{KEY}"', f'"{KEY}"  # noqa: RS101')
    write_files(root, files)
    assert check_json(capsys, ".")[:2] == (0, {"findings": [], "errors": [], "unresolved": []})

    # A noqa on one call hides that call's finding, not the other call's.
    files = dict(PACKAGE)
    files["app/speech.py"] = files["app/speech.py"].replace("})\n", "})  # noqa: RS101\n")
    write_files(root, files)
    report = check_json(capsys, ".")[1]
    assert finding_places(report) == [("app/config.py", 3, 14, "RS101")]
    assert "app/other.py:5" in report["findings"][0]["message"]
    files["app/other.py"] = files["app/other.py"].replace("})\n", "})  # noqa: RS101\n")
    write_files(root, files)
    assert check_json(capsys, ".")[0] == 0


def test_the_defining_files_configuration_decides(root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_files(root, PACKAGE)
    (root / "pyproject.toml").write_text(
        '[tool.lint-secrets]\n[tool.lint-secrets.per-file-ignores]\n"app/config.py" = ["RS101"]\n',
        encoding="utf-8",
    )
    assert check_json(capsys, ".")[0] == 0
    # A baseline records it at its own path.
    (root / "pyproject.toml").write_text("[tool.lint-secrets]\n", encoding="utf-8")
    assert main(["check", "--write-baseline", "base.json", "."]) == 0
    capsys.readouterr()
    baseline = json.loads((root / "base.json").read_text(encoding="utf-8"))
    assert [entry["path"] for entry in baseline["findings"]] == ["app/config.py"]
    assert check_json(capsys, "--baseline", "base.json", ".")[0] == 0


# ---------------------------------------------------------------------------
# Checking some of the project's files only


def test_a_call_checked_alone_reports_the_other_file_unfixed(
    root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_files(root, PACKAGE)
    code, report, _ = check_json(capsys, "app/speech.py")
    assert code == 1
    assert finding_places(report) == [("app/config.py", 3, 14, "RS101")]
    finding = report["findings"][0]
    assert finding["not_fixed"] == "outside the checked files" and finding["fix_applicability"] is None
    assert "(run call at app/speech.py:5)" in finding["message"]
    before = (root / "app/config.py").read_bytes()
    assert main(["check", "--fix", "app/speech.py"]) == 1
    assert (root / "app/config.py").read_bytes() == before
    # An outside file that its configuration excludes is not reported.
    (root / "pyproject.toml").write_text(
        '[tool.lint-secrets]\nextend-exclude = ["app/config.py"]\n', encoding="utf-8"
    )
    capsys.readouterr()
    assert check_json(capsys, "app/speech.py")[:2] == (0, {"findings": [], "errors": [], "unresolved": []})


def test_a_module_checked_alone_is_reported_through_the_calls_elsewhere(
    root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_files(root, PACKAGE)
    # The other files' own findings are not this run's.
    (root / "app/extra.py").write_text("import replicate\n\n" + call(f'"{OTHER_KEY}"'), encoding="utf-8")
    code, report, _ = check_json(capsys, "app/config.py")
    assert code == 1
    assert finding_places(report) == [("app/config.py", 3, 14, "RS101")]
    assert report["findings"][0]["fix_applicability"] == "safe"
    # ... and a file that imports nothing of the checked one's is never analysed.
    code, report, _ = check_json(capsys, "app/__init__.py")
    assert (code, report["findings"]) == (0, [])


# ---------------------------------------------------------------------------
# Fixing


def test_fix_rewrites_the_definition_only(root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_files(root, PACKAGE)
    speech = (root / "app/speech.py").read_bytes()
    assert main(["check", "--fix", "."]) == 0
    err = capsys.readouterr().err
    assert "set these environment variables: ELEVEN_KEY" in err
    assert (root / "app/config.py").read_text(encoding="utf-8") == CONFIG.replace(
        f'"{KEY}"', 'os.environ.get("ELEVEN_KEY")'
    )
    assert (root / "app/speech.py").read_bytes() == speech
    assert main(["check", "."]) == 0
    # Fixing the module alone fixes it the same way.
    write_files(root, PACKAGE)
    capsys.readouterr()
    assert main(["check", "--fix", "app/config.py"]) == 0
    assert 'ELEVEN_KEY = os.environ.get("ELEVEN_KEY")' in (root / "app/config.py").read_text(encoding="utf-8")


def test_fix_of_a_fallback_and_of_a_settings_class_elsewhere(
    root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_files(
        root,
        {
            "settings.py": "import os\n\n\nclass Settings:\n"
            f'    speech_key = os.getenv("SPEECH_KEY", "{KEY}")\n'
            f'    backup_key = os.environ.get("BACKUP_KEY") or "{OTHER_KEY}"\n',
            "main.py": "import replicate\n\nfrom settings import Settings\n\n"
            + call("Settings.speech_key")
            + call("Settings.backup_key"),
        },
    )
    assert main(["check", "--diff", "."]) == 1
    out = capsys.readouterr().out
    assert KEY not in out and OTHER_KEY not in out
    assert main(["check", "--fix", "."]) == 0
    assert (root / "settings.py").read_text(encoding="utf-8") == (
        "import os\n\n\nclass Settings:\n"
        '    speech_key = os.getenv("SPEECH_KEY")\n'
        '    backup_key = os.environ.get("BACKUP_KEY")\n'
    )


def test_git_repository_lists_the_project(root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """In a work tree the unchecked files are the ones git lists: an ignored caller is not one."""
    write_files(root, PACKAGE)
    subprocess.run(["git", "init", "-q"], cwd=root, check=True)
    (root / ".gitignore").write_text("app/speech.py\napp/other.py\n", encoding="utf-8")
    code, report, _ = check_json(capsys, "app/config.py")
    assert (code, report["findings"]) == (0, [])
    (root / ".gitignore").write_text("app/speech.py\n", encoding="utf-8")
    code, report, _ = check_json(capsys, "app/config.py")
    assert finding_places(report) == [("app/config.py", 3, 14, "RS101")]
    assert "app/other.py:5" in report["findings"][0]["message"]


def test_add_noqa_edits_the_checked_files_only(root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_files(root, PACKAGE)
    config = (root / "app/config.py").read_bytes()
    assert main(["check", "--add-noqa", "app/speech.py"]) == 0
    assert (root / "app/config.py").read_bytes() == config
    assert main(["check", "--add-noqa", "app/config.py"]) == 0
    assert b'"  # noqa: RS101\n' in (root / "app/config.py").read_bytes()
    capsys.readouterr()
    assert check_json(capsys, ".")[:2] == (0, {"findings": [], "errors": [], "unresolved": []})


def test_a_relative_import_beyond_the_top_package_is_not_followed(
    root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_files(
        root,
        {
            "config.py": CONFIG,  # beside the package, not in it: `from .. import` can't reach it
            "pkg/__init__.py": "",
            "pkg/main.py": "import replicate\n\nfrom ..config import ELEVEN_KEY\n\n" + call("ELEVEN_KEY"),
        },
    )
    code, report, _ = check_json(capsys, "pkg")
    assert (code, report["findings"]) == (0, [])
    assert report["unresolved"] == [{"path": "pkg/main.py", "line": 5}]


def test_a_checked_file_using_an_unchecked_modules_client(
    root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`app.py` alone (as pre-commit stages it) uses the client of `clients.py`, which is not checked."""
    write_files(
        root,
        {
            "app/__init__.py": "",
            "app/clients.py": "import replicate\n\nclient = replicate.Client()\n",
            "app/main.py": "from app.clients import client\n\n"
            + call(f'"{KEY}"').replace("replicate.run", "client.run"),
            "app/other.py": "from . import clients\n\n"
            + call(f'"{OTHER_KEY}"').replace("replicate.run", "clients.client.run"),
            "app/unrelated.py": "import json\n\nclient = json\n"
            + call(f'"{KEY}"').replace("replicate.run", "client.run"),
        },
    )
    code, report, _ = check_json(capsys, "app/main.py", "app/other.py", "app/unrelated.py")
    assert code == 1
    assert finding_places(report) == [("app/main.py", 3, 81, "RS101"), ("app/other.py", 3, 89, "RS101")]


def test_functions_of_other_modules_called_with_arguments(
    root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_files(
        root,
        {
            "keys.py": f'import os\n\nKEYS = {{"speech": os.environ["K"]}}\n\n\ndef default_key(name):\n'
            f'    return "{KEY}"\n\n\ndef key_for(name):\n    return KEYS[name]\n\n\n'
            "def safe_key(name):\n    return os.environ[name]\n",
            "main.py": "import replicate\nfrom keys import default_key, key_for, safe_key\n\n"
            + call('default_key("speech")')
            + call('key_for("other")')
            + call('safe_key("K")'),
        },
    )
    code, report, _ = check_json(capsys, ".")
    assert code == 1
    assert finding_places(report) == [("keys.py", 7, 12, "RS101")]
    assert report["unresolved"] == [{"path": "main.py", "line": 5}]


def test_a_fifo_or_a_dangling_link_named_py_in_the_project_is_not_read(root: Path) -> None:
    # Outside git, the unchecked files come from a walk: it takes what the checked walk takes.
    # A FIFO is not one (opened for reading, it waits for a writer that never comes).
    write_files(root, PACKAGE)
    os.mkfifo(root / "app" / "pipe.py")
    (root / "app" / "gone.py").symlink_to(root / "nowhere.py")
    command = [sys.executable, "-m", "lint_secrets", "check", "--output-format", "json", "app/config.py"]
    run = subprocess.run(command, cwd=root, capture_output=True, text=True, timeout=30)
    assert (run.returncode, run.stderr) == (1, "")
    assert finding_places(json.loads(run.stdout)) == [("app/config.py", 3, 14, "RS101")]
