"""The published pre-commit hooks, run end to end by the real `pre-commit try-repo`.

pre-commit installs the hooks from a git repository into a virtual environment of its own
(pip, from PyPI for the dependencies), so the first test of this module takes several seconds;
the environment is shared by the whole module. Deselect with `-m "not precommit"`.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Callable, Dict, Iterator, List, Tuple

import pytest
from conftest import write_files

pytestmark = pytest.mark.precommit

REPO = Path(__file__).resolve().parents[1]
SAMPLE_CACHE = REPO / "fixtures" / "sample" / ".lint-secrets"
PRE_COMMIT = Path(sys.executable).parent / "pre-commit"

# Obviously fake, but shaped like the values the rules look for.
TTS_SECRET = "el-test-FAKE-0a1b2c3d4e5f6789"
LICENSE_SECRET = "lic-FAKE-7f6e5d4c3b2a1908"
TOKEN_SECRET = "r8_FAKEprecommitTOKENforLINTsecrets0042"

SECRET_FILE = f"""\
import replicate


def speak(text):
    return replicate.run(
        "example/text-to-speech", input={{"text": text, "elevenlabs_api_key": "{TTS_SECRET}"}}
    )
"""

CLEAN_FILE = """\
import os

import replicate


def speak(text):
    return replicate.run(
        "example/text-to-speech", input={"text": text, "elevenlabs_api_key": os.environ["ELEVENLABS_API_KEY"]}
    )


def chat(prompt):
    # max_tokens is not a secret input of this model.
    return replicate.run("example/official-chat", input={"prompt": prompt, "max_tokens": 256})
"""

PRIVATE_MODEL_FILE = f"""\
import replicate


def chat(prompt):
    return replicate.run("acme/private-llm", input={{"prompt": prompt, "license_key": "{LICENSE_SECRET}"}})
"""

PYPROJECT = """\
[project]
name = "hook-user"
version = "0.0.0"

[tool.lint-secrets]
extend-exclude = ["generated"]

[tool.lint-secrets.models."acme/private-llm"]
secret-inputs = ["license_key"]
"""

GIT_IDENTITY = ["-c", "user.name=lint-secrets tests", "-c", "user.email=tests@lint-secrets.invalid"]


def _clean_env(**extra: str) -> Dict[str, str]:
    """The environment without anything a surrounding git hook may have set."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GIT_", "PRE_COMMIT"))}
    env.update(extra)
    return env


def _git(cwd: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", *GIT_IDENTITY, *args], cwd=cwd, capture_output=True, text=True, env=_clean_env(), check=False
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


@pytest.fixture(scope="module")
def hook_repo(tmp_path_factory: pytest.TempPathFactory) -> Tuple[Path, str]:
    """This checkout as pre-commit would clone it, with the working tree's changes: (path, rev).

    `try-repo` on a dirty checkout makes a fresh shadow commit (and so a fresh hook environment)
    on every call, and leaves untracked files out; one snapshot commit for the module lets
    pre-commit install once and still tests the code as it is on disk.
    """
    snapshot = tmp_path_factory.mktemp("hook-repo")
    for name in ("pyproject.toml", ".pre-commit-hooks.yaml", "README.md", "LICENSE"):
        if (REPO / name).exists():
            shutil.copy2(REPO / name, snapshot / name)
    shutil.copytree(
        REPO / "lint_secrets", snapshot / "lint_secrets", ignore=shutil.ignore_patterns("__pycache__")
    )
    _git(snapshot, "init", "-q")
    _git(snapshot, "add", ".")
    _git(snapshot, "commit", "-q", "-m", "snapshot")
    return snapshot, _git(snapshot, "rev-parse", "HEAD")


@pytest.fixture(scope="module")
def pre_commit_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("pre-commit-home")


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A user's repository with the sample schema cache and a config; nothing staged yet."""
    root = tmp_path / "project"
    root.mkdir()
    _git(root, "init", "-q")
    (root / "pyproject.toml").write_text(PYPROJECT, encoding="utf-8")
    shutil.copytree(SAMPLE_CACHE, root / ".lint-secrets")
    _git(root, "add", ".")
    _git(root, "commit", "-q", "-m", "project")
    return root


def write_staged(root: Path, files: Dict[str, str]) -> None:
    write_files(root, files)
    _git(root, "add", "--", *files)


class HookRun:
    """What pre-commit printed (stdout and stderr) and its exit status."""

    def __init__(self, done: subprocess.CompletedProcess[str]) -> None:
        self.returncode = done.returncode
        self.output = done.stdout + done.stderr

    def __repr__(self) -> str:
        return f"HookRun(returncode={self.returncode}, output=\n{self.output})"


RunHook = Callable[..., HookRun]


def _pre_commit(args: List[str], cwd: Path, home: Path) -> HookRun:
    done = subprocess.run(
        [str(PRE_COMMIT), *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=_clean_env(PRE_COMMIT_HOME=str(home)),
        timeout=600,
        check=False,
    )
    return HookRun(done)


def use_hooks(root: Path, hook_repo: Tuple[Path, str]) -> None:
    """Commit a .pre-commit-config.yaml that takes both hooks from the snapshot, as a user would."""
    repo, rev = hook_repo
    (root / ".pre-commit-config.yaml").write_text(
        f"repos:\n- repo: {repo}\n  rev: {rev}\n  hooks:\n  - id: lint-secrets\n  - id: lint-secrets-fix\n",
        encoding="utf-8",
    )
    _git(root, "add", ".pre-commit-config.yaml")
    _git(root, "commit", "-q", "-m", "use lint-secrets hooks")


@pytest.fixture
def run_hook(hook_repo: Tuple[Path, str], pre_commit_home: Path, project: Path) -> Iterator[RunHook]:
    """`pre-commit run HOOK --files ...` in the project (or `cwd`), environments shared by the module.

    (`pre-commit try-repo` would reinstall the hook environment on every call: it uses a
    throwaway store. It gets its own test below.)
    """
    use_hooks(project, hook_repo)

    def run(hook_id: str, *files: str, cwd: Path = project) -> HookRun:
        if cwd != project and not (cwd / ".pre-commit-config.yaml").exists():
            use_hooks(cwd, hook_repo)
        return _pre_commit(["run", hook_id, "--color", "never", "--files", *files], cwd, pre_commit_home)

    yield run


def test_hooks_file_declares_both_hooks() -> None:
    import yaml  # installed with pre-commit

    hooks = {hook["id"]: hook for hook in yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text())}
    assert set(hooks) == {"lint-secrets", "lint-secrets-fix"}
    assert hooks["lint-secrets"]["entry"] == "lint-secrets check --force-exclude"
    assert hooks["lint-secrets-fix"]["entry"] == "lint-secrets check --fix --force-exclude"
    for hook in hooks.values():
        assert hook["language"] == "python"
        assert hook["types_or"] == ["python", "pyi", "jupyter"]
        assert hook.get("pass_filenames", True) is True
        # One run sees every staged file, so environment names are assigned across all of them.
        assert hook.get("require_serial") is True


def test_secret_fails_the_hook_and_is_redacted(run_hook: RunHook, project: Path) -> None:
    write_staged(project, {"app.py": SECRET_FILE})
    result = run_hook("lint-secrets", "app.py")
    assert result.returncode == 1, result
    assert "lint-secrets" in result.output and "Failed" in result.output
    assert "app.py:6:" in result.output
    assert "RS101" in result.output
    assert "'el-t\u2026'" in result.output
    assert TTS_SECRET not in result.output
    assert TTS_SECRET[:5] not in result.output
    # The check hook only reports.
    assert (project / "app.py").read_text(encoding="utf-8") == SECRET_FILE


def test_a_staged_notebook_is_checked(run_hook: RunHook, project: Path) -> None:
    import nbformat
    from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

    token = "r8_FAKE" + "Xq3ZtV9mLw2Pk7Rb4Nc8Hd1Fs6Gj0Ye5U"  # r8_ and exactly 37 letters and digits
    notebook = new_notebook(
        cells=[new_markdown_cell("Setup"), new_code_cell(f"%env REPLICATE_API_TOKEN={token}")]
    )
    nbformat.write(notebook, str(project / "demo.ipynb"))
    _git(project, "add", "demo.ipynb")
    result = run_hook("lint-secrets", "demo.ipynb")
    assert result.returncode == 1, result
    assert "demo.ipynb:cell 2:1:26: RS103" in result.output
    assert token not in result.output


def test_clean_file_passes(run_hook: RunHook, project: Path) -> None:
    write_staged(project, {"app.py": CLEAN_FILE})
    result = run_hook("lint-secrets", "app.py")
    assert result.returncode == 0, result
    assert "Passed" in result.output
    assert "RS10" not in result.output


def test_fix_hook_rewrites_then_the_file_passes(run_hook: RunHook, project: Path) -> None:
    write_staged(project, {"app.py": SECRET_FILE})
    result = run_hook("lint-secrets-fix", "app.py")
    assert result.returncode == 1, result
    assert "files were modified by this hook" in result.output
    assert TTS_SECRET not in result.output
    fixed = (project / "app.py").read_text(encoding="utf-8")
    assert TTS_SECRET not in fixed
    assert '"elevenlabs_api_key": os.environ["ELEVENLABS_API_KEY"]' in fixed
    assert "import os" in fixed
    # What the user does next: stage the rewrite and commit again.
    _git(project, "add", "app.py")
    again = run_hook("lint-secrets", "app.py")
    assert again.returncode == 0, again
    assert "Passed" in again.output
    again_fix = run_hook("lint-secrets-fix", "app.py")
    assert again_fix.returncode == 0, again_fix
    assert (project / "app.py").read_text(encoding="utf-8") == fixed


def test_fix_hook_leaves_a_clean_file_alone(run_hook: RunHook, project: Path) -> None:
    write_staged(project, {"app.py": CLEAN_FILE})
    result = run_hook("lint-secrets-fix", "app.py")
    assert result.returncode == 0, result
    assert (project / "app.py").read_text(encoding="utf-8") == CLEAN_FILE


def test_excluded_path_is_skipped_even_when_pre_commit_names_it(run_hook: RunHook, project: Path) -> None:
    write_staged(project, {"generated/client.py": SECRET_FILE, "src/app.py": SECRET_FILE})
    result = run_hook("lint-secrets", "generated/client.py", "src/app.py")
    assert result.returncode == 1, result
    assert "src/app.py:6:" in result.output
    assert "generated" not in result.output
    only_excluded = run_hook("lint-secrets", "generated/client.py")
    assert only_excluded.returncode == 0, only_excluded
    fix = run_hook("lint-secrets-fix", "generated/client.py")
    assert fix.returncode == 0, fix
    assert (project / "generated" / "client.py").read_text(encoding="utf-8") == SECRET_FILE


@pytest.mark.parametrize(
    ("comment", "passes"),
    (
        pytest.param("  # noqa: RS101", True, id="noqa-code"),
        pytest.param("  # noqa", False, id="noqa-bare"),  # a bare noqa is for long lines, not secrets
        pytest.param("  # noqa: RS103", False, id="noqa-other-code"),
        pytest.param("  # no qa", False, id="not-noqa"),
    ),
)
def test_noqa_is_honoured_through_the_hook(
    run_hook: RunHook, project: Path, comment: str, passes: bool
) -> None:
    secret_line = f'"elevenlabs_api_key": "{TTS_SECRET}"}}'
    source = SECRET_FILE.replace(secret_line, secret_line + comment)
    assert source != SECRET_FILE
    write_staged(project, {"app.py": source})
    result = run_hook("lint-secrets", "app.py")
    assert result.returncode == (0 if passes else 1), result
    assert ("RS101" in result.output) is not passes
    fix = run_hook("lint-secrets-fix", "app.py")
    rewritten = (project / "app.py").read_text(encoding="utf-8")
    if passes:
        assert fix.returncode == 0, fix
        assert rewritten == source
    else:
        assert fix.returncode == 1, fix
        assert TTS_SECRET not in rewritten


def test_config_and_cache_are_found_from_a_nested_project(run_hook: RunHook, tmp_path: Path) -> None:
    """pre-commit runs from the repository root; the project (config, cache) is a subdirectory."""
    root = tmp_path / "mono"
    root.mkdir()
    _git(root, "init", "-q")
    service = root / "services" / "speech"
    service.mkdir(parents=True)
    (service / "pyproject.toml").write_text(PYPROJECT, encoding="utf-8")
    shutil.copytree(SAMPLE_CACHE, service / ".lint-secrets")
    write_staged(root, {"services/speech/app.py": SECRET_FILE, "services/speech/llm.py": PRIVATE_MODEL_FILE})
    result = run_hook("lint-secrets", "services/speech/app.py", "services/speech/llm.py", cwd=root)
    assert result.returncode == 1, result
    # The schema from the nested cache and the model declared in the nested config were both used.
    assert "services/speech/app.py:6:" in result.output
    assert "for secret input 'elevenlabs_api_key' of example/text-to-speech" in result.output
    assert "for secret input 'license_key' of acme/private-llm" in result.output
    assert "RS102" not in result.output
    assert LICENSE_SECRET not in result.output and TTS_SECRET not in result.output


def test_two_sub_projects_staged_together_each_follow_their_own_config(
    run_hook: RunHook, tmp_path: Path
) -> None:
    """One commit touching two sub-projects: each file is checked under its own sub-project's
    configuration and cache, exactly as when it is committed alone."""
    root = tmp_path / "mono"
    root.mkdir()
    _git(root, "init", "-q")
    write_files(
        root,
        {
            "svc_a/pyproject.toml": PYPROJECT,
            "svc_b/lint-secrets.toml": 'ignore = ["RS101", "RS102"]\nextend-exclude = ["vendored"]\n',
        },
    )
    shutil.copytree(SAMPLE_CACHE, root / "svc_a" / ".lint-secrets")
    files = {
        "svc_a/app.py": SECRET_FILE,
        "svc_a/llm.py": PRIVATE_MODEL_FILE,
        "svc_b/app.py": SECRET_FILE,
        "svc_b/llm.py": PRIVATE_MODEL_FILE,
        "svc_b/vendored/client.py": f'import replicate\nc = replicate.Client(api_token="{TOKEN_SECRET}")\n',
    }
    write_staged(root, files)
    alone = run_hook("lint-secrets", "svc_a/app.py", "svc_a/llm.py", cwd=root)
    together = run_hook("lint-secrets", *files, cwd=root)
    assert alone.returncode == together.returncode == 1, together

    def reported(run: HookRun) -> List[str]:
        return sorted(line.split(" ")[0] for line in run.output.splitlines() if " RS1" in line)

    assert reported(alone) == reported(together) == ["svc_a/app.py:6:78:", "svc_a/llm.py:5:86:"]
    assert "for secret input 'license_key' of acme/private-llm" in together.output
    assert TTS_SECRET not in together.output and LICENSE_SECRET not in together.output
    # svc_b alone: its ignores hold, and its excluded directory stays excluded when named.
    only_b = run_hook("lint-secrets", "svc_b/app.py", "svc_b/llm.py", "svc_b/vendored/client.py", cwd=root)
    assert only_b.returncode == 0, only_b


def test_baseline_through_the_hook(hook_repo: Tuple[Path, str], pre_commit_home: Path, project: Path) -> None:
    """The README's recipe: record what is there, then the hook fails only on new secrets."""
    repo, rev = hook_repo
    (project / ".pre-commit-config.yaml").write_text(
        f"repos:\n- repo: {repo}\n  rev: {rev}\n  hooks:\n  - id: lint-secrets\n"
        "    args: [--baseline, .lint-secrets-baseline.json]\n",
        encoding="utf-8",
    )
    write_staged(
        project,
        {"app.py": SECRET_FILE, ".pre-commit-config.yaml": (project / ".pre-commit-config.yaml").read_text()},
    )
    recorded = subprocess.run(
        [sys.executable, "-m", "lint_secrets", "check", "--write-baseline", ".lint-secrets-baseline.json"],
        cwd=project,
        capture_output=True,
        text=True,
        env=_clean_env(),
        check=False,
    )
    assert recorded.returncode == 0, recorded.stderr
    _git(project, "add", ".lint-secrets-baseline.json")
    known = _pre_commit(["run", "--color", "never", "--files", "app.py"], project, pre_commit_home)
    assert known.returncode == 0, known
    write_staged(project, {"app.py": "# moved down\n" + SECRET_FILE, "new.py": PRIVATE_MODEL_FILE})
    new = _pre_commit(["run", "--color", "never", "--files", "app.py", "new.py"], project, pre_commit_home)
    assert new.returncode == 1, new
    assert "new.py:5:" in new.output and "app.py" not in new.output.replace("new.py", "")


def test_try_repo_on_this_checkout(project: Path, tmp_path: Path) -> None:
    """How a contributor tries the hooks: `pre-commit try-repo` straight on the working tree."""
    write_staged(project, {"app.py": SECRET_FILE, "clean.py": CLEAN_FILE})
    result = _pre_commit(
        ["try-repo", str(REPO), "lint-secrets", "--color", "never", "--files", "app.py", "clean.py"],
        project,
        tmp_path / "pre-commit-home",
    )
    assert result.returncode == 1, result
    assert "app.py:6:" in result.output and "RS101" in result.output
    assert "clean.py" not in result.output
    assert TTS_SECRET not in result.output


def test_git_commit_is_refused_until_fixed(
    hook_repo: Tuple[Path, str], pre_commit_home: Path, project: Path
) -> None:
    """The installed git hook: the commit with a secret is refused; after the fix it goes through."""
    use_hooks(project, hook_repo)
    installed = _pre_commit(["install"], project, pre_commit_home)
    assert installed.returncode == 0, installed
    write_staged(project, {"app.py": SECRET_FILE})

    def commit() -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            ["git", *GIT_IDENTITY, "commit", "-m", "add speech"],
            cwd=project,
            capture_output=True,
            text=True,
            encoding="utf-8",
            env=_clean_env(PRE_COMMIT_HOME=str(pre_commit_home)),
            check=False,
        )

    refused = commit()
    assert refused.returncode != 0
    assert "RS101" in refused.stdout + refused.stderr
    assert TTS_SECRET not in refused.stdout + refused.stderr
    assert _git(project, "log", "--format=%s", "-1") == "use lint-secrets hooks"
    # The fix hook ran in the same commit attempt and rewrote the file; stage it and retry.
    assert TTS_SECRET not in (project / "app.py").read_text(encoding="utf-8")
    _git(project, "add", "app.py")
    accepted = commit()
    assert accepted.returncode == 0, accepted.stdout + accepted.stderr
    assert _git(project, "log", "--format=%s", "-1") == "add speech"
    assert TTS_SECRET not in _git(project, "show", "HEAD:app.py")


# ---------------------------------------------------------------------------
# Values imported from other modules (issue 11): a commit that stages only the module
# holding the value still fails, through the call in a file it does not stage.

SETTINGS_CLEAN = 'import os\n\nELEVENLABS_KEY = os.environ["ELEVENLABS_API_KEY"]\n'
SETTINGS_LEAKED = f'import os\n\nELEVENLABS_KEY = "{TTS_SECRET}"\n'
SPEECH_APP = """\
import replicate

from settings import ELEVENLABS_KEY


def speak(text):
    return replicate.run("example/text-to-speech", input={"text": text, "elevenlabs_api_key": ELEVENLABS_KEY})
"""


def test_staging_only_the_settings_module_fails_through_the_call_in_app(
    hook_repo: Tuple[Path, str], pre_commit_home: Path, project: Path
) -> None:
    use_hooks(project, hook_repo)
    installed = _pre_commit(["install"], project, pre_commit_home)
    assert installed.returncode == 0, installed
    write_staged(project, {"app.py": SPEECH_APP, "settings.py": SETTINGS_CLEAN})

    def commit(message: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            ["git", *GIT_IDENTITY, "commit", "-m", message],
            cwd=project,
            capture_output=True,
            text=True,
            encoding="utf-8",
            env=_clean_env(PRE_COMMIT_HOME=str(pre_commit_home)),
            check=False,
        )

    first = commit("speech")
    assert first.returncode == 0, first.stdout + first.stderr
    # Only settings.py changes and is staged; app.py, which sends the value, is not.
    write_staged(project, {"settings.py": SETTINGS_LEAKED})
    refused = commit("settings")
    output = refused.stdout + refused.stderr
    assert refused.returncode != 0, output
    assert "settings.py:3:18: RS101" in output
    assert "(run call at app.py:7)" in output
    assert TTS_SECRET not in output
    assert _git(project, "log", "--format=%s", "-1") == "speech"
    # The fix hook rewrote the staged module (app.py is untouched); stage it and retry.
    assert (project / "settings.py").read_text(encoding="utf-8") == (
        'import os\n\nELEVENLABS_KEY = os.environ.get("ELEVENLABS_KEY")\n'
    )
    assert (project / "app.py").read_text(encoding="utf-8") == SPEECH_APP
    _git(project, "add", "settings.py")
    accepted = commit("settings")
    assert accepted.returncode == 0, accepted.stdout + accepted.stderr
    assert TTS_SECRET not in _git(project, "show", "HEAD:settings.py")


def test_staging_only_the_app_reports_the_unstaged_module_unfixed(run_hook: RunHook, project: Path) -> None:
    write_files(project, {"settings.py": SETTINGS_LEAKED})  # on disk, never staged
    write_staged(project, {"app.py": SPEECH_APP})
    result = run_hook("lint-secrets-fix", "app.py")
    assert result.returncode == 1, result
    assert "settings.py:3:18: RS101" in result.output
    assert "not fixed: outside the checked files" in result.output
    assert TTS_SECRET not in result.output
    assert (project / "settings.py").read_text(encoding="utf-8") == SETTINGS_LEAKED
