"""Sub-projects with configurations of their own, and git deciding which files a run sees.

Every repository here is a real one, made with the real `git` in a temporary directory.
"""

# ruff: noqa: F811  (the `api` fixture, a real server on 127.0.0.1, is imported from test_api)

from __future__ import annotations

import json
import os
import shlex
import shutil
from pathlib import Path
from typing import List, Set, Tuple

import pytest
from conftest import git, write_files
from test_api import FakeApi, Reply, api  # noqa: F401

from lint_secrets import runner
from lint_secrets.cli import main

REPO = Path(__file__).resolve().parents[1]
SAMPLE_CACHE = REPO / "fixtures" / "sample" / ".lint-secrets"
TTS_SECRET = "el-test-FAKE-0a1b2c3d4e5f6789"
TOKEN_SECRET = "r8_FAKEmonorepoTESTtokenFORlintSECRETS42"
UNKNOWN_SECRET = "sk-FAKE-21db6d500446ceb4"
LICENSE_SECRET = "lic-FAKE-7f6e5d4c3b2a1908"

RS101_FILE = f"""\
import replicate

out = replicate.run("example/text-to-speech", input={{"text": "hi", "elevenlabs_api_key": "{TTS_SECRET}"}})
"""
RS103_FILE = f'import replicate\n\nclient = replicate.Client(api_token="{TOKEN_SECRET}")\n'
PRIVATE_FILE = f"""\
import replicate

out = replicate.run("acme/private-llm", input={{"prompt": "hi", "license_key": "{LICENSE_SECRET}"}})
"""


def reported(capsys: pytest.CaptureFixture[str], *args: str) -> Tuple[int, Set[Tuple[str, str]], str]:
    """Exit code, (path, code) of each finding, and stderr of `check --output-format json`."""
    code = main(["check", "--output-format", "json", *args])
    out, err = capsys.readouterr()
    findings = json.loads(out)["findings"] if out.strip() else []
    return code, {(Path(f["path"]).as_posix(), f["code"]) for f in findings}, err


def monorepo(root: Path) -> Path:
    """svc_a: the sample cache, nothing ignored. svc_b: RS101 ignored, its own (empty) cache."""
    write_files(
        root,
        {
            "pyproject.toml": '[project]\nname = "mono"\n\n[tool.lint-secrets]\nignore = ["RS103"]\n',
            "svc_a/pyproject.toml": "[tool.lint-secrets]\n",
            "svc_a/app.py": RS101_FILE,
            "svc_a/token.py": RS103_FILE,
            "svc_b/lint-secrets.toml": 'ignore = ["RS101", "RS102"]\n',
            "svc_b/other.py": RS101_FILE,
            "svc_b/token.py": RS103_FILE,
            "top.py": RS103_FILE,
        },
    )
    shutil.copytree(SAMPLE_CACHE, root / "svc_a" / ".lint-secrets")
    return root


# --------------------------------------------------------------------------- configuration per file


def test_each_file_follows_its_nearest_configuration(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    root = monorepo(tmp_path / "mono")
    monkeypatch.chdir(root)
    alone = reported(capsys, "svc_a/app.py", "svc_a/token.py")[1]
    assert alone == {("svc_a/app.py", "RS101"), ("svc_a/token.py", "RS103")}
    # Staged together with another sub-project (what a pre-commit run does): the same answer for svc_a.
    together = reported(capsys, "svc_a/app.py", "svc_a/token.py", "svc_b/other.py", "svc_b/token.py")[1]
    assert together == alone | {("svc_b/token.py", "RS103")}
    # The whole tree: the top-level file follows the top-level config (RS103 ignored there).
    code, everything, _ = reported(capsys)
    assert code == 1 and everything == together
    # From inside a sub-project, and through --jobs 1: the same.
    monkeypatch.chdir(root / "svc_b")
    assert reported(capsys, "--jobs", "1", "..")[1] == {("../" + p, c) for p, c in together}


def test_dedicated_files_take_precedence_as_in_ruff(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    write_files(
        tmp_path, {"p/token.py": RS103_FILE, "p/pyproject.toml": '[tool.lint-secrets]\nselect = ["RS101"]\n'}
    )
    monkeypatch.chdir(tmp_path / "p")
    assert reported(capsys)[1] == set()
    (tmp_path / "p" / "lint-secrets.toml").write_text('select = ["RS103"]\n', encoding="utf-8")
    assert reported(capsys)[1] == {("token.py", "RS103")}
    (tmp_path / "p" / ".lint-secrets.toml").write_text('ignore = ["RS103"]\n', encoding="utf-8")
    assert reported(capsys)[1] == set()


def test_results_are_the_same_in_one_process_and_in_a_pool(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    root = monorepo(tmp_path / "mono")
    padding = "# padding to make the run large enough for a process pool\n" * 400
    for index in range(12):  # about 280 KiB across two sub-projects
        write_files(
            root, {f"svc_a/m{index}.py": padding + RS101_FILE, f"svc_b/m{index}.py": padding + RS101_FILE}
        )
    monkeypatch.chdir(root)
    # Whatever the probe would decide on this machine, a pool is started.
    monkeypatch.setattr(runner, "workers_worth_starting", lambda estimate, jobs: jobs)
    monkeypatch.setattr(runner, "BUSY_SHARE", 0.0)
    monkeypatch.setattr(runner, "_cores_free", lambda: 8)
    code_one, one, _ = reported(capsys, "--jobs", "1")
    code_two, two, _ = reported(capsys, "--jobs", "2")
    assert code_one == code_two == 1 and one == two
    # Where fork is not used (macOS, Windows), the configurations travel to spawned workers.
    monkeypatch.setattr(runner, "_can_fork", lambda: False)
    assert reported(capsys, "--jobs", "2")[:2] == (1, one)
    assert ("svc_a/m11.py", "RS101") in one and not any(p.startswith("svc_b/m") for p, _ in one)


def test_extend_inherits_as_in_ruff(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    write_files(
        tmp_path,
        {
            "pyproject.toml": (
                '[tool.lint-secrets]\nignore = ["RS103"]\nextend-exclude = ["svc/generated/**"]\n'
                '[tool.lint-secrets.per-file-ignores]\n"svc/legacy/*.py" = ["RS101"]\n'
                '[tool.lint-secrets.models."acme/private-llm"]\nsecret-inputs = ["license_key"]\n'
            ),
            "svc/.lint-secrets.toml": 'extend = "../pyproject.toml"\nschema-dir = "cache"\n',
            "svc/token.py": RS103_FILE,
            "svc/private.py": PRIVATE_FILE,
            "svc/app.py": RS101_FILE,
            "svc/legacy/old.py": RS101_FILE,
            "svc/generated/gen.py": RS101_FILE,
            "other/.lint-secrets.toml": 'select = ["RS103"]\n',
            "other/token.py": RS103_FILE,
        },
    )
    shutil.copytree(SAMPLE_CACHE / "schemas", tmp_path / "svc" / "cache")
    monkeypatch.chdir(tmp_path)
    # Inherited: the ignore, the excludes and per-file ignores (anchored at the base's directory),
    # the private model; its own schema-dir relative to itself.
    assert reported(capsys, "svc")[1] == {("svc/private.py", "RS101"), ("svc/app.py", "RS101")}
    # A sub-project without `extend` inherits nothing (as in ruff: no implicit cascade).
    assert reported(capsys, "other")[1] == {("other/token.py", "RS103")}
    # `select` in the extending file starts over: the base's ignore no longer applies.
    (tmp_path / "svc" / ".lint-secrets.toml").write_text(
        'extend = "../pyproject.toml"\nschema-dir = "cache"\nselect = ["RS103"]\n', encoding="utf-8"
    )
    assert reported(capsys, "svc")[1] == {("svc/token.py", "RS103")}
    # --config overrides every file's own.
    (tmp_path / "all.toml").write_text('select = ["ALL"]\n', encoding="utf-8")
    found = reported(capsys, "--config", "all.toml", "svc", "other")[1]
    assert ("svc/token.py", "RS103") in found and ("other/token.py", "RS103") in found
    # ... so nothing of svc's own applies: no exclude, no per-file ignore, no private model.
    assert {("svc/generated/gen.py", "RS102"), ("svc/legacy/old.py", "RS102")} <= found


@pytest.mark.parametrize(
    ("text", "expected"),
    (
        pytest.param('extend = "missing.toml"\n', "'extend': 'missing.toml' is not a file", id="missing"),
        pytest.param('extend = "lint-secrets.toml"\n', "goes round in a circle", id="cycle"),
        pytest.param("extnd = 'x'\n", "did you mean 'extend'?", id="typo"),
        pytest.param("respect_gitignore = false\n", "did you mean 'respect-gitignore'?", id="underscore"),
        pytest.param("per-file-ignore = {}\n", "did you mean 'per-file-ignores'?", id="plural"),
        pytest.param("respect-gitignore = 'no'\n", "must be true or false", id="not-bool"),
    ),
)
def test_bad_sub_project_config_is_one_line_and_the_rest_goes_on(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    text: str,
    expected: str,
) -> None:
    root = monorepo(tmp_path / "mono")
    (root / "svc_b" / "lint-secrets.toml").write_text(text, encoding="utf-8")
    monkeypatch.chdir(root)
    code, found, err = reported(capsys)
    assert code == 2
    assert found == {("svc_a/app.py", "RS101"), ("svc_a/token.py", "RS103")}
    lines = [line for line in err.splitlines() if "error" in line]
    assert len(lines) == 1 and expected in lines[0] and "lint-secrets.toml" in lines[0]
    assert "Traceback" not in err
    # The dedicated file has its options at the top level: no table to name.
    assert "[tool.lint-secrets]" not in err


def test_extending_file_turns_back_on_what_the_base_ignored_and_extends_per_file_ignores(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """ruff applies each level in turn: the base's ignore, then the extending file's
    extend-select (it wins), then its own ignore; extend-per-file-ignores adds to the base's."""
    write_files(
        tmp_path,
        {
            "pyproject.toml": (
                '[tool.lint-secrets]\nignore = ["RS1"]\n'
                '[tool.lint-secrets.per-file-ignores]\n"svc/legacy/*.py" = ["RS101"]\n'
            ),
            "svc/.lint-secrets.toml": (
                'extend = "../pyproject.toml"\nschema-dir = "cache"\nextend-select = ["RS101", "RS103"]\n'
                '[extend-per-file-ignores]\n"generated_*.py" = ["RS101"]\n'
            ),
            "svc/token.py": RS103_FILE,
            "svc/app.py": RS101_FILE,
            "svc/generated_client.py": RS101_FILE,
            "svc/legacy/old.py": RS101_FILE,
        },
    )
    shutil.copytree(SAMPLE_CACHE / "schemas", tmp_path / "svc" / "cache")
    monkeypatch.chdir(tmp_path)
    assert reported(capsys, "svc")[1] == {("svc/token.py", "RS103"), ("svc/app.py", "RS101")}
    # The extending file's own ignore still applies after its extend-select.
    with open(tmp_path / "svc" / ".lint-secrets.toml", "r+", encoding="utf-8") as handle:
        text = handle.read()
        handle.seek(0)
        handle.write('ignore = ["RS103"]\n' + text)
    assert reported(capsys, "svc")[1] == {("svc/app.py", "RS101")}


def test_unknown_model_key_suggests_the_right_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    write_files(
        tmp_path, {".lint-secrets.toml": '[models."a/b"]\nsecret_input = ["k"]\n', "a.py": RS101_FILE}
    )
    monkeypatch.chdir(tmp_path)
    code, _, err = reported(capsys)
    assert code == 2 and "did you mean 'secret-inputs'?" in err


# --------------------------------------------------------------------------- git


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A repository with ignore rules at every level git reads them from."""
    home = tmp_path / "home"
    home.mkdir()
    (home / "global-ignore").write_text("scratch_*.py\n", encoding="utf-8")
    (home / ".gitconfig").write_text(f"[core]\n\texcludesFile = {home / 'global-ignore'}\n", encoding="utf-8")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    monkeypatch.delenv("GIT_CONFIG_GLOBAL", raising=False)
    root = tmp_path / "repo"
    write_files(
        root,
        {
            "pyproject.toml": "[tool.lint-secrets]\n",
            ".gitignore": "wandb/\n",
            "src/.gitignore": "local_*.py\n!local_keep.py\n",
            "src/app.py": RS103_FILE,
            "src/local_notes.py": RS103_FILE,  # nested .gitignore
            "src/local_keep.py": RS103_FILE,  # ... re-included there
            "wandb/run-1/files/code/app.py": RS103_FILE,  # a run's copy of the code
            "private.py": RS103_FILE,  # .git/info/exclude
            "scratch_try.py": RS103_FILE,  # the global excludes file
            "untracked.py": RS103_FILE,  # untracked, not ignored: checked
            "build/out.py": RS103_FILE,  # not ignored by git, but a default exclude
        },
    )
    git(root, "init", "-q")
    (root / ".git" / "info" / "exclude").write_text("private.py\n", encoding="utf-8")
    git(root, "add", "pyproject.toml", ".gitignore", "src")
    git(root, "commit", "-q", "-m", "start")
    monkeypatch.chdir(root)
    return root


def test_walks_honour_every_gitignore(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, found, _ = reported(capsys)
    assert code == 1
    assert {path for path, _ in found} == {"src/app.py", "src/local_keep.py", "untracked.py"}
    # A sub-directory named on the command line: the rules above it still count.
    assert {path for path, _ in reported(capsys, "src")[1]} == {"src/app.py", "src/local_keep.py"}
    # A file named explicitly is checked even when git ignores it (as ruff does).
    assert reported(capsys, "private.py")[1] == {("private.py", "RS103")}
    # So is a directory git ignores as a whole (ruff checks it too): not "no files".
    assert {path for path, _ in reported(capsys, "wandb")[1]} == {"wandb/run-1/files/code/app.py"}
    # A file deleted from the work tree but still in the index is not an error.
    (repo / "src" / "app.py").unlink()
    code, found, err = reported(capsys, "src")
    assert (code, err) == (1, "") and {path for path, _ in found} == {"src/local_keep.py"}


def test_respect_gitignore_false_walks_everything_but_the_default_excludes(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    everything = {path for path, _ in reported(capsys, "--no-respect-gitignore")[1]}
    (repo / "pyproject.toml").write_text("[tool.lint-secrets]\nrespect-gitignore = false\n", encoding="utf-8")
    paths = {path for path, _ in reported(capsys)[1]}
    assert paths == everything
    assert {path for path, _ in reported(capsys, "--respect-gitignore")[1]} == {
        "src/app.py",
        "src/local_keep.py",
        "untracked.py",
    }
    assert paths == {
        "src/app.py",
        "src/local_keep.py",
        "src/local_notes.py",
        "wandb/run-1/files/code/app.py",
        "private.py",
        "scratch_try.py",
        "untracked.py",
    }


def test_outside_a_work_tree_the_walk_is_used(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    write_files(tmp_path / "plain", {".gitignore": "a.py\n", "a.py": RS103_FILE, "build/b.py": RS103_FILE})
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    monkeypatch.chdir(tmp_path / "plain")
    assert reported(capsys)[1] == {("a.py", "RS103")}


def test_changed_and_diff_base(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    git(repo, "add", "untracked.py")
    git(repo, "commit", "-q", "-m", "more")
    base = git(repo, "rev-parse", "HEAD")
    assert reported(capsys, "--changed") == (0, set(), "")
    # Uncommitted edits and untracked files count as changed; ignored files never do.
    with open(repo / "src" / "app.py", "a", encoding="utf-8") as handle:
        handle.write("# edited\n")
    write_files(repo, {"new.py": RS103_FILE, "src/local_more.py": RS103_FILE})
    expected = {("src/app.py", "RS103"), ("new.py", "RS103")}
    assert reported(capsys, "--changed")[1] == expected
    # --diff-base: since the merge base, committed or not; --since says the same.
    git(repo, "add", "src/app.py")
    git(repo, "commit", "-q", "-m", "edit")
    assert reported(capsys, "--changed")[1] == {("new.py", "RS103")}
    assert reported(capsys, "--diff-base", base)[1] == expected
    assert reported(capsys, "--since", base, "src")[1] == {("src/app.py", "RS103")}
    # A deleted file is not an error.
    (repo / "src" / "app.py").unlink()
    assert reported(capsys, "--since", base) == (1, {("new.py", "RS103")}, "")


@pytest.mark.parametrize(
    ("args", "expected"),
    (
        pytest.param(["--diff-base", "no-such-branch"], "'no-such-branch' is not a commit", id="bad-rev"),
        pytest.param(["--diff-base", "HEAD~5"], "'HEAD~5' is not a commit", id="before-the-first"),
    ),
)
def test_git_failures_are_one_line(
    repo: Path, capsys: pytest.CaptureFixture[str], args: List[str], expected: str
) -> None:
    code = main(["check", *args])
    out, err = capsys.readouterr()
    assert code == 2 and out == ""
    assert expected in err and len(err.strip().splitlines()) == 1 and "Traceback" not in err


def test_a_broken_repository_is_one_line_and_its_files_are_still_checked(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (repo / ".git" / "index").write_bytes(b"not an index")
    code, found, err = reported(capsys)
    assert code == 2
    assert len(err.strip().splitlines()) == 1 and "git ls-files" in err and "index" in err
    assert "walked" in err
    # Walked without git: what git would have ignored is checked too.
    assert ("src/app.py", "RS103") in found and ("scratch_try.py", "RS103") in found


def test_a_repository_git_refuses_is_walked_with_a_note(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """git's "dubious ownership": the repository belongs to another user (a CI container,
    a checkout unpacked as root). Its files are still checked, by a walk."""
    if not hasattr(os, "geteuid") or os.geteuid() != 0:
        pytest.skip("needs root to give the repository to another user")
    for path in [repo, *repo.rglob("*")]:
        os.lchown(path, 65534, 65534)
    code, found, err = reported(capsys, "-q")
    assert code == 1, err
    assert ("src/app.py", "RS103") in found and ("untracked.py", "RS103") in found
    assert ("private.py", "RS103") in found  # git's ignore rules are not read
    (note,) = err.strip().splitlines()
    assert note.startswith("lint-secrets: note: git refuses the repository at ")
    assert "safe.directory" in note and "walked" in note
    # Changed files can only come from git: that stays an error, in one line.
    code = main(["check", "--changed"])
    _, err = capsys.readouterr()
    assert code == 2 and len(err.strip().splitlines()) == 1 and "safe.directory" in err


def test_submodules_and_nested_repositories_are_checked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    lib = tmp_path / "lib"
    write_files(lib, {"lib.py": RS103_FILE, ".gitignore": "ignored_*.py\n"})
    git(lib, "init", "-q")
    git(lib, "add", "-A")
    git(lib, "commit", "-q", "-m", "lib")
    root = tmp_path / "main"
    write_files(root, {"pyproject.toml": "[tool.lint-secrets]\n", "app.py": RS103_FILE})
    git(root, "init", "-q")
    git(root, "-c", "protocol.file.allow=always", "submodule", "add", "-q", str(lib), "vendor/lib")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "main")
    # The submodule's own .gitignore counts inside it; the superproject's doesn't reach in.
    write_files(root / "vendor" / "lib", {"ignored_local.py": RS103_FILE, "new.py": RS103_FILE})
    # A repository of its own inside the work tree, not a submodule (git lists it as "nested/").
    nested = root / "tools" / "nested"
    write_files(nested, {"tool.py": RS103_FILE, ".gitignore": "out/\n", "out/gen.py": RS103_FILE})
    git(nested, "init", "-q")
    monkeypatch.chdir(root)
    everything = {
        "app.py",
        "vendor/lib/lib.py",
        "vendor/lib/new.py",
        "tools/nested/tool.py",
    }
    code, found, err = reported(capsys)
    assert (code, err) == (1, "")
    assert {path for path, _ in found} == everything
    # The same files whichever directory is named.
    assert {path for path, _ in reported(capsys, "vendor")[1]} == {"vendor/lib/lib.py", "vendor/lib/new.py"}
    assert {path for path, _ in reported(capsys, "vendor/lib")[1]} == {
        "vendor/lib/lib.py",
        "vendor/lib/new.py",
    }
    assert {path for path, _ in reported(capsys, "tools")[1]} == {"tools/nested/tool.py"}
    # Without .gitignore, everything.
    assert {path for path, _ in reported(capsys, "--no-respect-gitignore")[1]} == everything | {
        "vendor/lib/ignored_local.py",
        "tools/nested/out/gen.py",
    }
    # A submodule that is not checked out is nothing to check, not an error.
    shutil.rmtree(root / "vendor" / "lib")
    (root / "vendor" / "lib").mkdir()
    assert reported(capsys) == (1, {("app.py", "RS103"), ("tools/nested/tool.py", "RS103")}, "")


def test_changed_files_inside_submodules_and_nested_repositories(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    lib = tmp_path / "lib"
    write_files(lib, {"lib.py": RS103_FILE, "other.py": RS103_FILE})
    git(lib, "init", "-q")
    git(lib, "add", "-A")
    git(lib, "commit", "-q", "-m", "lib")
    root = tmp_path / "main"
    write_files(root, {"pyproject.toml": "[tool.lint-secrets]\n", "app.py": RS103_FILE})
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "main")
    base = git(root, "rev-parse", "HEAD")
    git(root, "-c", "protocol.file.allow=always", "submodule", "add", "-q", str(lib), "vendor/lib")
    git(root, "commit", "-q", "-m", "vendor lib")
    monkeypatch.chdir(root)
    assert reported(capsys, "--changed") == (0, set(), "")
    # Added since the base: every file of the submodule is new.
    assert reported(capsys, "--diff-base", base)[1] == {
        ("vendor/lib/lib.py", "RS103"),
        ("vendor/lib/other.py", "RS103"),
    }
    # Changed inside the submodule, committed there or not: since the commit the base records.
    sub = root / "vendor" / "lib"
    with open(sub / "lib.py", "a", encoding="utf-8") as handle:
        handle.write("# edited\n")
    write_files(sub, {"new.py": RS103_FILE})
    changed = {("vendor/lib/lib.py", "RS103"), ("vendor/lib/new.py", "RS103")}
    assert reported(capsys, "--changed")[1] == changed
    git(sub, "add", "-A")
    git(sub, "commit", "-q", "-m", "in the submodule")
    assert reported(capsys, "--changed")[1] == changed
    git(root, "commit", "-q", "-am", "bump lib")
    assert reported(capsys, "--changed")[1] == set()
    assert reported(capsys, "--diff-base", "HEAD~1")[1] == changed
    # A repository of its own that the work tree doesn't track is new: all of it changed.
    nested = root / "tools" / "nested"
    write_files(nested, {"tool.py": RS103_FILE, ".gitignore": "out/\n", "out/gen.py": RS103_FILE})
    git(nested, "init", "-q")
    assert reported(capsys, "--changed")[1] == {("tools/nested/tool.py", "RS103")}


def test_each_sub_project_decides_whether_gitignore_counts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    root = tmp_path / "mono"
    write_files(
        root,
        {
            "pyproject.toml": '[tool.lint-secrets]\nextend-exclude = ["generated"]\n',
            ".gitignore": "scratch*.py\n",
            "app.py": RS103_FILE,
            "scratch0.py": RS103_FILE,
            "generated/gen.py": RS103_FILE,
            # Honours nothing git ignores: its scratch file is checked from anywhere.
            "svc_x/.lint-secrets.toml": "respect-gitignore = false\n",
            "svc_x/app.py": RS103_FILE,
            "svc_x/scratch1.py": RS103_FILE,
            # Its own excludes, without "generated": an untracked generated/ is checked.
            "svc_z/lint-secrets.toml": 'extend-exclude = ["fixtures"]\n',
            "svc_z/generated/gen.py": RS103_FILE,
        },
    )
    git(root, "init", "-q")
    git(root, "add", "pyproject.toml", ".gitignore", "app.py", "svc_x", "svc_z/lint-secrets.toml")
    git(root, "commit", "-q", "-m", "start")
    monkeypatch.chdir(root)

    def paths(*args: str) -> Set[str]:
        return {path for path, _ in reported(capsys, *args)[1]}

    expected = {"app.py", "svc_x/app.py", "svc_x/scratch1.py", "svc_z/generated/gen.py"}
    assert paths() == expected
    assert paths("svc_x") == {"svc_x/app.py", "svc_x/scratch1.py"}
    assert paths("svc_z") == {"svc_z/generated/gen.py"}
    # The reverse: the top walks everything, a sub-project honours .gitignore.
    write_files(
        root,
        {
            "pyproject.toml": "[tool.lint-secrets]\nrespect-gitignore = false\n",
            "svc_y/.lint-secrets.toml": "respect-gitignore = true\n",
            "svc_y/app.py": RS103_FILE,
            "svc_y/scratch2.py": RS103_FILE,
        },
    )
    reverse = {"app.py", "scratch0.py", "generated/gen.py", "svc_y/app.py"}
    assert paths() == reverse | {"svc_x/app.py", "svc_x/scratch1.py", "svc_z/generated/gen.py"}
    assert paths("svc_y") == {"svc_y/app.py"}


def test_diff_base_in_a_shallow_clone_says_to_fetch_the_history(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """As CI checks out a pull request: one commit of the branch, one of main."""
    upstream = tmp_path / "upstream"
    write_files(upstream, {"app.py": "x = 1\n"})
    git(upstream, "init", "-q", "-b", "main")
    git(upstream, "add", "-A")
    git(upstream, "commit", "-q", "-m", "one")
    git(upstream, "checkout", "-q", "-b", "feature")
    write_files(upstream, {"new.py": RS103_FILE})
    git(upstream, "add", "-A")
    git(upstream, "commit", "-q", "-m", "feature")
    git(upstream, "checkout", "-q", "main")
    write_files(upstream, {"app.py": "x = 2\n"})
    git(upstream, "commit", "-q", "-am", "two")
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", "--depth", "1", "--branch", "feature", upstream.as_uri(), str(clone))
    git(clone, "fetch", "-q", "--depth", "1", "origin", "main:refs/remotes/origin/main")
    monkeypatch.chdir(clone)
    code = main(["check", "--diff-base", "origin/main"])
    _, err = capsys.readouterr()
    assert code == 2 and len(err.strip().splitlines()) == 1
    assert "'origin/main' and HEAD have no common commit" in err
    assert "shallow clone" in err and "fetch-depth: 0" in err and "git fetch --unshallow" in err
    # Fetched as it says, it works.
    git(clone, "fetch", "-q", "--unshallow")
    assert reported(capsys, "--diff-base", "origin/main") == (1, {("new.py", "RS103")}, "")


def test_changed_goes_with_no_diff_base(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "--changed", "--diff-base", "HEAD"]) == 2
    assert "use one" in capsys.readouterr().err


def test_changed_outside_a_repository_is_an_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    write_files(tmp_path / "plain", {"a.py": RS103_FILE})
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    monkeypatch.chdir(tmp_path / "plain")
    code = main(["check", "--changed"])
    _, err = capsys.readouterr()
    assert code == 2 and "not in a git work tree" in err and len(err.strip().splitlines()) == 1


# --------------------------------------------------------------------------- schemas pull


def test_pull_fills_each_sub_project_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], api: FakeApi
) -> None:
    write_files(
        tmp_path,
        {
            "svc_a/pyproject.toml": "[tool.lint-secrets]\n",
            "svc_a/app.py": 'import replicate\nreplicate.run("example/text-to-speech", input={})\n',
            "svc_b/pyproject.toml": '[project]\nname = "b"\n',
            "svc_b/app.py": (
                "import replicate\n"
                'replicate.deployments.predictions.create(deployment="example/tts-prod", input={})\n'
            ),
        },
    )
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("REPLICATE_API_TOKEN", "r8_TESTtokenFORschemaPULLdoNOTuse00000001")
    monkeypatch.setenv("REPLICATE_BASE_URL", api.base_url)
    assert main(["schemas", "pull"]) == 0, capsys.readouterr()

    def cached(project: str) -> Set[str]:
        cache = tmp_path / project / ".lint-secrets" / "schemas"
        return {p.relative_to(cache).as_posix() for p in cache.rglob("*.json")}

    assert "models/example/text-to-speech.json" in cached("svc_a")
    assert not any(p.startswith("deployments/") for p in cached("svc_a"))
    assert "deployments/example/tts-prod.json" in cached("svc_b")
    assert "models/example/text-to-speech.json" not in cached("svc_b")
    assert not (tmp_path / ".lint-secrets").exists()
    capsys.readouterr()
    assert main(["schemas", "pull"]) == 0
    assert "Nothing to fetch" in capsys.readouterr().out


def test_missing_schemas_name_each_sub_project_cache_and_a_pull_that_fills_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], api: FakeApi
) -> None:
    root = monorepo(tmp_path / "mono")
    write_files(root, {"svc_b/call.py": 'import replicate\nreplicate.run("someone/unknown", input={})\n'})
    monkeypatch.chdir(root)
    monkeypatch.setenv("REPLICATE_API_TOKEN", "r8_TESTtokenFORschemaPULLdoNOTuse00000001")
    monkeypatch.setenv("REPLICATE_BASE_URL", api.base_url)
    _, _, err = reported(capsys)
    assert f"the schema cache {root / 'svc_b' / '.lint-secrets' / 'schemas'} does not exist" in err
    assert "svc_a" not in err and f"{root / '.lint-secrets'}" not in err
    # From the top: a command that fills svc_b's cache, not the top's.
    hint = "fetch with: lint-secrets schemas pull --path svc_b example/text-to-speech someone/unknown"
    assert err.rstrip().endswith(hint)
    # It works as printed (someone/unknown is not on the fake API: an error, the rest is fetched).
    assert main(shlex.split(hint.partition(": ")[2])[1:]) == 2
    capsys.readouterr()
    assert (
        root / "svc_b" / ".lint-secrets" / "schemas" / "models" / "example" / "text-to-speech.json"
    ).is_file()
    assert not (root / ".lint-secrets").exists()
    _, _, err = reported(capsys)
    assert err.rstrip().endswith("fetch with: lint-secrets schemas pull --path svc_b someone/unknown")
    # Within the sub-project, the REFs alone.
    monkeypatch.chdir(root / "svc_b")
    _, _, err = reported(capsys)
    assert err.rstrip().endswith("fetch with: lint-secrets schemas pull someone/unknown")
    # Two caches lacking models: pull with no REF fills each from its own files.
    write_files(root, {"svc_a/call.py": 'import replicate\nreplicate.run("someone/else", input={})\n'})
    monkeypatch.chdir(root)
    _, _, err = reported(capsys)
    assert err.rstrip().endswith("fetch with: lint-secrets schemas pull --path svc_a --path svc_b")


def test_a_model_with_no_version_yet_is_not_sent_to_pull_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], api: FakeApi
) -> None:
    model = json.loads((REPO / "fixtures" / "api" / "models" / "example" / "text-to-speech.json").read_text())
    model.update(owner="acme", name="draft", latest_version=None)
    api.on("/v1/models/acme/draft", Reply(body=json.dumps(model).encode()))
    write_files(
        tmp_path,
        {
            "pyproject.toml": "[tool.lint-secrets]\n",
            "app.py": 'import replicate\nreplicate.run("acme/draft")\n',
        },
    )
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("REPLICATE_API_TOKEN", "r8_TESTtokenFORschemaPULLdoNOTuse00000001")
    monkeypatch.setenv("REPLICATE_BASE_URL", api.base_url)
    assert main(["schemas", "pull"]) == 0
    assert "no version yet" in capsys.readouterr().out
    code, _, err = reported(capsys, "--require-schemas")
    assert code == 2
    assert err.strip() == (
        "lint-secrets: error: app.py: acme/draft: no version on Replicate yet, so no schema "
        "(checked by input names and value shapes only)"
    )
