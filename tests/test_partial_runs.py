"""Runs over part of a project (named files, pre-commit, `--changed`, `--diff-base`) that must
still find the literals of the checked files sent by calls in the unchecked ones, and where a
package's imports lead. These shapes came from the adversarial review of issue 11.

Every test builds a real project in a temporary directory (a git repository where the run
depends on git) and runs the real `check`.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import check_json, commit_all, finding_places, git, sample_project, write_files
from conftest import tts_call as call

from lint_secrets.cli import main

TTS = "example/text-to-speech"
KEY = "el-FAKE-0a1b2c3d4e5f6789"


@pytest.fixture
def root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    return sample_project(tmp_path / "project", monkeypatch)


# ---------------------------------------------------------------------------
# The other direction: a run over some files must find the unchanged callers


@pytest.mark.parametrize("mode", ["--changed", "--diff-base"])
def test_changed_settings_from_the_repository_root(
    root: Path, capsys: pytest.CaptureFixture[str], mode: str
) -> None:
    write_files(
        root,
        {
            "app/__init__.py": "",
            "app/settings.py": "DEBUG = False\n",
            "app/service.py": "import replicate\nfrom .settings import KEY\n\n" + call("KEY"),
        },
    )
    commit_all(root)
    (root / "app/settings.py").write_text(f'DEBUG = False\nKEY = "{KEY}"\n', encoding="utf-8")
    if mode == "--diff-base":
        git(root, "commit", "-qam", "add a key")
        args = ["--diff-base", "HEAD~1"]
    else:
        args = ["--changed"]
    code, report, _ = check_json(capsys, *args, "app")
    assert finding_places(report) == [("app/settings.py", 2, 7, "RS101")]
    code, report, _ = check_json(capsys, *args)
    assert code == 1
    assert finding_places(report) == [("app/settings.py", 2, 7, "RS101")]


def test_settings_staged_alone_reaching_the_caller_through_a_package_reexport(
    root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_files(
        root,
        {
            "app/__init__.py": "from .settings import KEY\n",
            "app/settings.py": f'KEY = "{KEY}"\n',
            "app/service.py": "import replicate\nfrom app import KEY\n\n" + call("KEY"),
        },
    )
    commit_all(root)
    # The whole project: found.
    assert finding_places(check_json(capsys, ".")[1]) == [("app/settings.py", 1, 7, "RS101")]
    code, report, _ = check_json(capsys, "app/settings.py")
    assert code == 1
    assert finding_places(report) == [("app/settings.py", 1, 7, "RS101")]


def test_settings_staged_alone_sent_by_a_client_of_another_module(
    root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_files(
        root,
        {
            "app/__init__.py": "",
            "app/settings.py": f'KEY = "{KEY}"\n',
            "app/clients.py": "import replicate\n\nclient = replicate.Client()\n",
            "app/service.py": "from .clients import client\nfrom .settings import KEY\n\n"
            + call("KEY", on="client"),
        },
    )
    commit_all(root)
    assert finding_places(check_json(capsys, ".")[1]) == [("app/settings.py", 1, 7, "RS101")]
    code, report, _ = check_json(capsys, "app/settings.py")
    assert code == 1
    assert finding_places(report) == [("app/settings.py", 1, 7, "RS101")]


def test_changed_settings_without_a_sent_literal_passes_and_leaves_unchanged_files_alone(
    root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The negative twin: the unchanged caller is analysed, but only for what it sends from
    the changed files; its own literal is not this run's (the file did not change)."""
    write_files(
        root,
        {
            "app/__init__.py": "",
            "app/settings.py": "DEBUG = False\n",
            "app/service.py": "import replicate\nfrom .settings import DEBUG\n\n" + call(f'"{KEY}"'),
        },
    )
    commit_all(root)
    (root / "app/settings.py").write_text('DEBUG = False\nNAME = "a voice"\n', encoding="utf-8")
    code, report, _ = check_json(capsys, "--changed")
    assert (code, report["findings"]) == (0, [])
    code, report, _ = check_json(capsys, ".")
    assert finding_places(report) == [("app/service.py", 4, 84, "RS101")]


def test_settings_staged_alone_fixed_through_a_reexport_chain(
    root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Two packages of re-exports between the literal and the call; the fix rewrites the
    checked file only."""
    service = "import replicate\nfrom app import KEY\n\n" + call("KEY")
    write_files(
        root,
        {
            "app/__init__.py": "from .conf import KEY\n",
            "app/conf/__init__.py": "from .settings import KEY\n",
            "app/conf/settings.py": f'KEY = "{KEY}"\n',
            "app/service.py": service,
        },
    )
    commit_all(root)
    code, report, _ = check_json(capsys, "app/conf/settings.py")
    assert (code, finding_places(report)) == (1, [("app/conf/settings.py", 1, 7, "RS101")])
    assert main(["check", "--fix", "app/conf/settings.py"]) == 0
    assert (root / "app/conf/settings.py").read_text(encoding="utf-8") == (
        'import os\nKEY = os.environ.get("ELEVENLABS_API_KEY")\n'
    )
    assert (root / "app/service.py").read_text(encoding="utf-8") == service


def test_settings_staged_alone_reexported_but_not_sent(
    root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The negative twin of the re-export: the caller imports the package for another name,
    and sends the environment's key."""
    write_files(
        root,
        {
            "app/__init__.py": "from .settings import KEY, VOICE\n",
            "app/settings.py": f'KEY = "{KEY}"\nVOICE = "calm"\n',
            "app/service.py": "import os\nimport replicate\nfrom app import VOICE\n\n"
            + call('os.environ["ELEVENLABS_API_KEY"]'),
            "app/clients.py": "import replicate\n\nclient = replicate.Client()\n",
            "app/other.py": "import os\n\nfrom .clients import client\nfrom .settings import VOICE\n\n"
            f'client.run("{TTS}", input={{"text": VOICE, "elevenlabs_api_key": os.environ["K"]}})\n',
        },
    )
    commit_all(root)
    code, report, _ = check_json(capsys, "app/settings.py")
    assert (code, report["findings"]) == (0, []), report["findings"]


# ---------------------------------------------------------------------------
# Where an import leads


def test_package_attribute_rebound_from_submodule_to_instance(
    root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_files(
        root,
        {
            "app/__init__.py": "from .settings import settings\n",
            "app/settings.py": "from pydantic_settings import BaseSettings\n\n\n"
            f'class Settings(BaseSettings):\n    eleven_key: str = "{KEY}"\n\n\nsettings = Settings()\n',
            "app/service.py": "import replicate\nfrom app import settings\n\n\ndef go():\n    return "
            + call("settings.eleven_key"),
        },
    )
    commit_all(root)
    code, report, _ = check_json(capsys, ".")
    assert code == 1
    assert finding_places(report) == [("app/settings.py", 5, 23, "RS101")]
    code, report, _ = check_json(capsys, "app/settings.py")
    assert finding_places(report) == [("app/settings.py", 5, 23, "RS101")]


def test_package_attribute_that_is_the_submodule(root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The twin: `from . import settings` in `__init__.py` binds the submodule itself, so
    `settings.KEY` is the module's constant (and the walk does not go round in a circle)."""
    write_files(
        root,
        {
            "app/__init__.py": "from . import settings\n",
            "app/settings.py": f'KEY = "{KEY}"\n',
            "app/service.py": "import replicate\nfrom app import settings\n\n" + call("settings.KEY"),
        },
    )
    commit_all(root)
    assert finding_places(check_json(capsys, ".")[1]) == [("app/settings.py", 1, 7, "RS101")]
    assert finding_places(check_json(capsys, "app/settings.py")[1]) == [("app/settings.py", 1, 7, "RS101")]


# ---------------------------------------------------------------------------
# Other shapes of the review, kept as regressions


def test_local_module_shadowing_the_stdlib(root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A script's own `secrets.py` is what `import secrets` imports beside it; a package's
    `app/json.py` is not what `import json` in that package imports (Python 3 has no
    implicit relative imports)."""
    write_files(
        root,
        {
            "secrets.py": f'KEY = "{KEY}"\n',
            "main.py": "import replicate\nimport secrets\n\n" + call("secrets.KEY"),
            "app/__init__.py": "",
            "app/json.py": f'KEY = "{KEY[:-1]}8"\n',
            "app/x.py": "import replicate\nimport json\n\n" + call("json.KEY"),
        },
    )
    commit_all(root)
    code, report, _ = check_json(capsys, "--extend-select", "RS100", ".")
    assert code == 1
    assert finding_places(report) == [("secrets.py", 1, 7, "RS101")]
    code, report, _ = check_json(capsys, "--extend-select", "RS100", "app/json.py")
    assert (code, report["findings"]) == (0, [])


def test_test_module_fakes_are_neither_flagged_nor_fixed(
    root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    files = {
        "app/__init__.py": "",
        "app/settings.py": "from pydantic_settings import BaseSettings\n\n\n"
        'class Settings(BaseSettings):\n    eleven_key: str = ""\n\n\nsettings = Settings()\n',
        "app/service.py": "import replicate\nfrom app.settings import settings\n\n\n"
        "def speak(text, key=None):\n"
        f'    return replicate.run("{TTS}", input={{"text": text,\n'
        '        "elevenlabs_api_key": key or settings.eleven_key})\n',
        "tests/__init__.py": "",
        "tests/conftest.py": "import pytest\nfrom app import settings as settings_mod\n\n"
        "FAKE_KEY = 'fake-elevenlabs-key'\n\n\n@pytest.fixture(autouse=True)\ndef key(monkeypatch):\n"
        "    monkeypatch.setattr(settings_mod.settings, 'eleven_key', FAKE_KEY)\n",
        "tests/test_service.py": "import replicate\nfrom app.service import speak\n"
        "from app.settings import Settings\n\n\n"
        "def test_speak(monkeypatch):\n    monkeypatch.setattr(replicate, 'run', lambda *a, **k: 'ok')\n"
        "    assert speak('hi', key='test-key') == 'ok'\n    Settings(eleven_key='dummy')\n"
        "    replicate.Client(api_token='invalid-token')\n",
    }
    write_files(root, files)
    commit_all(root)
    code, report, _ = check_json(capsys, "--extend-select", "RS100", ".")
    assert (code, report["findings"]) == (0, [])
    assert main(["check", "--fix", "."]) == 0
    for name, text in files.items():
        assert (root / name).read_text(encoding="utf-8") == text


def test_model_named_by_a_settings_field_of_another_module(
    root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`replicate.run(settings.tts_model, ...)`: the field's default is the model, so the
    input's secret is known from the schema (RS101, not RS100 and a guess by name)."""
    write_files(
        root,
        {
            "app/__init__.py": "",
            "app/settings.py": "from pydantic_settings import BaseSettings\n\n\n"
            f'class Settings(BaseSettings):\n    tts_model: str = "{TTS}"\n    voice_model: str = '
            '"a/b" if __debug__ else "c/d"\n\n\nsettings = Settings()\n',
            "app/service.py": "import replicate\nfrom app.settings import settings\n\n"
            f'replicate.run(settings.tts_model, input={{"elevenlabs_api_key": "{KEY}"}})\n'
            f'replicate.run(settings.voice_model, input={{"elevenlabs_api_key": "{KEY}"}})\n',
        },
    )
    report = check_json(capsys, "--extend-select", "RS100", ".")[1]
    assert finding_places(report) == [
        ("app/service.py", 4, 64, "RS101"),
        ("app/service.py", 5, 1, "RS100"),  # two literals: not guessed
        ("app/service.py", 5, 66, "RS102"),  # by the input's name
    ]


def test_star_import_in_the_package_that_does_not_rebind_the_submodule(
    root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`from .settings import *` binds what settings.py defines; it defines no `settings`,
    so `from app import settings` is still the submodule (the twin of the rebinding case)."""
    write_files(
        root,
        {
            "app/__init__.py": "from .settings import *\n",
            "app/settings.py": f'KEY = "{KEY}"\n',
            "app/service.py": "import replicate\nfrom app import settings\n\n" + call("settings.KEY"),
        },
    )
    commit_all(root)
    assert finding_places(check_json(capsys, ".")[1]) == [("app/settings.py", 1, 7, "RS101")]
