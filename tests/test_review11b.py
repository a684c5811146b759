"""Second adversarial review of issue 11's partial runs and model names (commits 06bfd9f,
00d6558, 0f63be7): shapes the authors' tests did not cover. Known gaps are strict xfail
tests with the reason; the others pin what held or what this review fixed.

Every test builds a real project in a temporary directory (a git repository where the run
depends on git) and runs the real `check` (or the real `pre-commit` and `git commit`).
"""

from __future__ import annotations

import os
import py_compile
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import check_json, clean_env, commit_all, finding_places, git, sample_project, write_files
from conftest import tts_call as call

from lint_secrets.cli import main

TTS = "example/text-to-speech"
CHAT = "example/official-chat"  # its `session_password` is a password input, not a secret one
KEY = "el-FAKE-0a1b2c3d4e5f6789"
PASSWORD = "hunter2-FAKE-8x"


@pytest.fixture
def root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    return sample_project(tmp_path / "project", monkeypatch)


# ---------------------------------------------------------------------------
# Partial runs: where the unchecked callers are


def test_settings_staged_alone_reexported_by_a_package_that_also_makes_a_client(
    root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Fixed by this review: `app/__init__.py` re-exports KEY and makes a client, so it
    imports `replicate`; it was taken for a caller only, and the re-export stopped there."""
    write_files(
        root,
        {
            "app/__init__.py": "import replicate\n\nfrom .settings import KEY, VOICE\n\n"
            "client = replicate.Client()\n",
            "app/settings.py": f'KEY = "{KEY}"\nVOICE = "calm"\n',
            "app/service.py": "import replicate\nfrom app import KEY\n\n" + call("KEY"),
            # The negative twin: imports the package for the voice, sends the environment's key.
            "app/other.py": "import os\n\nfrom app import VOICE, client\n\n"
            + call('os.environ["ELEVENLABS_API_KEY"]', on="client"),
        },
    )
    commit_all(root)
    assert finding_places(check_json(capsys, ".")[1]) == [("app/settings.py", 1, 7, "RS101")]
    code, report, _ = check_json(capsys, "app/settings.py")
    assert (code, finding_places(report)) == (1, [("app/settings.py", 1, 7, "RS101")])


def test_src_layout_settings_named_from_its_own_directory_through_an_alias_reexport(
    root: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Held: a `src/` layout, `from .settings import KEY as HF` in the package, the run made
    from the package's directory; `--fix` rewrites the checked file once, and only it."""
    service = "import replicate\nfrom app import HF\n\n" + call("HF")
    write_files(
        root,
        {
            "src/app/__init__.py": "from .settings import KEY as HF\n",
            "src/app/settings.py": f'KEY = "{KEY}"\n',
            "src/app/service.py": service,
        },
    )
    commit_all(root)
    monkeypatch.chdir(root / "src" / "app")
    code, report, _ = check_json(capsys, "settings.py")
    assert (code, finding_places(report)) == (1, [("settings.py", 1, 7, "RS101")])
    assert main(["check", "--fix", "settings.py"]) == 0
    fixed = root / "src/app/settings.py"
    assert fixed.read_text(encoding="utf-8") == 'import os\nKEY = os.environ.get("ELEVENLABS_API_KEY")\n'
    py_compile.compile(str(fixed), doraise=True)
    assert (root / "src/app/service.py").read_text(encoding="utf-8") == service
    assert main(["check", "--fix", "settings.py"]) == 0  # nothing left: no second rewrite
    assert fixed.read_text(encoding="utf-8") == 'import os\nKEY = os.environ.get("ELEVENLABS_API_KEY")\n'


def test_reexport_cycle_between_two_packages_ends(root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Held: `a` re-exports from `b`, `b` from `a`; both a whole run and a partial one end."""
    write_files(
        root,
        {
            "a/__init__.py": "from b import KEY\nfrom .settings import KEY as K2\n",
            "b/__init__.py": "from a import K2 as KEY\n",
            "a/settings.py": f'KEY = "{KEY}"\n',
            "main.py": "import replicate\nfrom b import KEY\n\n" + call("KEY"),
        },
    )
    commit_all(root)
    assert finding_places(check_json(capsys, ".")[1]) == [("a/settings.py", 1, 7, "RS101")]
    assert finding_places(check_json(capsys, "a/settings.py")[1]) == [("a/settings.py", 1, 7, "RS101")]


@pytest.mark.precommit
def test_real_commit_of_settings_alone_is_stopped_and_fixed_once(root: Path) -> None:
    """`git commit` through the hooks pre-commit installs (a local hook running this
    checkout's `check`, as the published hook's entry does): the caller sits behind a
    package that re-exports and makes a client; only the staged file is rewritten."""
    entry = f"{Path(sys.executable).parent / 'lint-secrets'} check"
    hooks = "".join(
        f"  - id: {hook}\n    name: {hook}\n    entry: {entry}{extra} --force-exclude\n"
        "    language: system\n    types_or: [python]\n    require_serial: true\n"
        for hook, extra in (("lint-secrets", ""), ("lint-secrets-fix", " --fix"))
    )
    service = "import replicate\nfrom app import KEY\n\n" + call("KEY")
    write_files(
        root,
        {
            ".pre-commit-config.yaml": "repos:\n- repo: local\n  hooks:\n" + hooks,
            "app/__init__.py": "import replicate\n\nfrom .settings import KEY\n\n"
            "client = replicate.Client()\n",
            "app/settings.py": "DEBUG = False\n",
            "app/service.py": service,
        },
    )
    commit_all(root)
    env = {**clean_env(), "PRE_COMMIT_HOME": str(root.parent / "pre-commit-home")}
    pre_commit = str(Path(sys.executable).parent / "pre-commit")
    subprocess.run([pre_commit, "install"], cwd=root, check=True, capture_output=True, env=env)
    (root / "app/settings.py").write_text(f'DEBUG = False\nKEY = "{KEY}"\n', encoding="utf-8")
    git(root, "add", "app/settings.py")
    done = subprocess.run(
        ["git", "-c", "user.email=r@example.com", "-c", "user.name=r", "commit", "-qm", "key"],
        cwd=root,
        capture_output=True,
        text=True,
        env=env,
    )
    output = done.stdout + done.stderr  # git shows the hooks' output on stderr
    assert done.returncode == 1, output
    assert "app/settings.py:2:7: RS101" in output
    assert KEY not in output
    assert (root / "app/settings.py").read_text(encoding="utf-8") == (
        'import os\nDEBUG = False\nKEY = os.environ.get("ELEVENLABS_API_KEY")\n'
    )
    assert (root / "app/service.py").read_text(encoding="utf-8") == service


def test_package_attribute_rebound_by_a_star_import(root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_files(
        root,
        {
            "app/__init__.py": "from .settings import *\n",
            "app/settings.py": "from pydantic_settings import BaseSettings\n\n\n"
            f'class Settings(BaseSettings):\n    eleven_key: str = "{KEY}"\n\n\nsettings = Settings()\n',
            "app/service.py": "import replicate\nfrom app import settings\n\n\ndef go():\n    return "
            + call("settings.eleven_key"),
        },
    )
    commit_all(root)
    assert finding_places(check_json(capsys, ".")[1]) == [("app/settings.py", 5, 23, "RS101")]


@pytest.mark.xfail(
    strict=True,
    reason="app/settings.py is a symlink to shared/settings.py: a commit changes (and "
    "pre-commit names) shared/settings.py, whose literal app/service.py sends through "
    "`from .settings import KEY`; the callers are looked for by the staged path's module "
    "name and place only, so none is found and the run passes",
)
def test_settings_reached_through_a_symlink_staged_by_its_real_path(
    root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_files(
        root,
        {
            "app/__init__.py": "",
            "shared/settings.py": f'KEY = "{KEY}"\n',
            "app/service.py": "import replicate\nfrom .settings import KEY\n\n" + call("KEY"),
        },
    )
    os.symlink(os.path.join("..", "shared", "settings.py"), root / "app" / "settings.py")
    commit_all(root)
    assert finding_places(check_json(capsys, ".")[1]) == [("app/settings.py", 1, 7, "RS101")]
    code, report, _ = check_json(capsys, "shared/settings.py")
    assert (code, finding_places(report)) == (1, [("shared/settings.py", 1, 7, "RS101")])


def test_client_made_by_a_factory_of_a_third_module(root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_files(
        root,
        {
            "app/__init__.py": "",
            "app/base.py": "import replicate\n\n\ndef make():\n    return replicate.Client()\n",
            "app/clients.py": "from .base import make\n\nclient = make()\n",
            "app/settings.py": f'KEY = "{KEY}"\n',
            "app/service.py": "from .clients import client\nfrom .settings import KEY\n\n"
            + call("KEY", on="client"),
        },
    )
    commit_all(root)
    assert finding_places(check_json(capsys, ".")[1]) == [("app/settings.py", 1, 7, "RS101")]
    assert finding_places(check_json(capsys, "app/settings.py")[1]) == [("app/settings.py", 1, 7, "RS101")]


# ---------------------------------------------------------------------------
# model_text: one literal only when nothing else can reach the model


def test_model_parameter_default_is_not_the_model(root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Fixed by this review: `def generate(prompt, model="o/n")` was resolved to its default,
    although its callers (here another module's) pass other models: a wrong RS106, and the
    password sent to the chat model was no longer reported (before 0f63be7: RS102)."""
    write_files(
        root,
        {
            "app/__init__.py": "",
            "app/gen.py": "import replicate\n\n\n"
            f'def generate(prompt, model="{TTS}"):\n'
            f'    return replicate.run(model, input={{"prompt": prompt, "session_password": "{PASSWORD}"}})\n'
            "\n\nclass Job:\n"
            f'    def __init__(self, model="{TTS}"):\n        self.model = model\n\n'
            "    def go(self):\n"
            f'        return replicate.run(self.model, input={{"session_password": "{PASSWORD}"}})\n',
            "app/main.py": f'from app.gen import Job, generate\n\ngenerate("hi", model="{CHAT}")\n'
            f'Job("{CHAT}").go()\n',
        },
    )
    report = check_json(capsys, "--extend-select", "RS100", ".")[1]
    assert finding_places(report) == [
        ("app/gen.py", 5, 12, "RS100"),
        ("app/gen.py", 5, 78, "RS102"),
        ("app/gen.py", 13, 16, "RS100"),
        ("app/gen.py", 13, 69, "RS102"),
    ]


def test_model_field_given_to_the_constructor(root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_files(
        root,
        {
            "job.py": "from dataclasses import dataclass\n\nimport replicate\n\n\n@dataclass\nclass Job:\n"
            f'    model: str = "{TTS}"\n\n\n'
            f'chat = Job(model="{CHAT}")\n'
            f'replicate.run(chat.model, input={{"prompt": "hi", "session_password": "{PASSWORD}"}})\n',
        },
    )
    report = check_json(capsys, "job.py")[1]
    assert finding_places(report) == [("job.py", 12, 70, "RS102")]


def test_class_attribute_overridden_by_a_subclass(root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_files(
        root,
        {
            "bots.py": "import replicate\n\n\nclass Bot:\n"
            f'    MODEL = "{TTS}"\n\n'
            "    def ask(self, prompt):\n"
            '        return replicate.run(self.MODEL, input={"prompt": prompt})\n\n\n'
            f'class ChatBot(Bot):\n    MODEL = "{CHAT}"\n',
        },
    )
    report = check_json(capsys, "--extend-select", "RS100", "bots.py")[1]
    assert finding_places(report) == [("bots.py", 8, 16, "RS100")]


def test_class_attribute_reassigned_at_run_time(root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_files(
        root,
        {
            "conf.py": "import replicate\n\n\nclass Settings:\n"
            f'    MODEL = "{TTS}"\n\n\n'
            f'def configure():\n    Settings.MODEL = "{CHAT}"\n\n\n'
            "def ask(prompt):\n"
            '    return replicate.run(Settings.MODEL, input={"prompt": prompt})\n',
        },
    )
    report = check_json(capsys, "--extend-select", "RS100", "conf.py")[1]
    assert finding_places(report) == [("conf.py", 13, 12, "RS100")]


def test_dict_entry_overwritten_by_a_loop(root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_files(
        root,
        {
            "reg.py": "import replicate\n\n"
            f'MODELS = {{"a": "{TTS}"}}\n'
            f'for name in MODELS:\n    MODELS[name] = "{CHAT}"\n'
            'replicate.run(MODELS["a"], input={"prompt": "hi"})\n',
        },
    )
    report = check_json(capsys, "--extend-select", "RS100", "reg.py")[1]
    assert finding_places(report) == [("reg.py", 6, 1, "RS100")]


def test_secret_given_to_a_constructor_is_not_silent(root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_files(
        root,
        {
            "creds.py": "from dataclasses import dataclass\n\nimport replicate\n\n\n"
            "@dataclass\nclass Creds:\n"
            '    key: str = ""\n\n\n'
            f'creds = Creds(key="{KEY}")\n' + call("creds.key"),
        },
    )
    code, report, _ = check_json(capsys, "--extend-select", "RS100", "creds.py")
    assert code == 1
    assert report["findings"] or report["unresolved"]
