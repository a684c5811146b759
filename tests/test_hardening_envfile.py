"""`--env-file` where git is found through the environment, where the file has another owner
or other names, where a shell would read it differently, and env names a system reads.

Real files, a real git (GIT_DIR and GIT_WORK_TREE set as a dotfiles manager or a CI sets
them), a real `sh` reading the file back.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path
from typing import Tuple

import pytest
from dotenv import dotenv_values

from lint_secrets.cli import main

REPO = Path(__file__).resolve().parent.parent
SCHEMAS = REPO / "fixtures" / "sample" / ".lint-secrets" / "schemas"
EL = "el-FAKE2b1c0f9a8d7e6c5b4a39f8e7"
TTS = '"example/text-to-speech"'
CODE = f"import replicate\nreplicate.run({TTS}, input={{'elevenlabs_api_key': {EL!r}}})\n"
IS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0


@pytest.fixture
def root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    project = tmp_path / "project"
    project.mkdir()
    shutil.copytree(SCHEMAS, project / ".lint-secrets" / "schemas")
    (project / "pyproject.toml").write_text("[tool.lint-secrets]\n")
    (project / "app.py").write_text(CODE)
    for name in ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_COMMON_DIR"):
        monkeypatch.delenv(name, raising=False)
    return project


def fix(capsys: pytest.CaptureFixture[str], root: Path, env: Path) -> Tuple[int, str, str]:
    code = main(["check", "--fix", "--env-file", str(env), str(root / "app.py")])
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    assert EL not in out + err
    return code, out, err


def unchanged(root: Path) -> bool:
    return (root / "app.py").read_text() == CODE


def git(*args: str, cwd: Path) -> None:
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True)


# ------------------------------------------------------------------ git through GIT_DIR / GIT_WORK_TREE


@pytest.fixture
def separate_repository(root: Path, tmp_path: Path) -> Path:
    """A repository whose git directory lives elsewhere (as `git --git-dir=... --work-tree=...`
    dotfiles set-ups and some CI checkouts have it): no `.git` anywhere above the project."""
    meta = tmp_path / "meta.git"
    git("init", "-q", "--bare", str(meta), cwd=tmp_path)
    git("config", "core.bare", "false", cwd=meta)
    return meta


def test_a_file_tracked_in_a_repository_named_by_git_dir_is_refused(
    root: Path, separate_repository: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    env = root / ".env"
    env.write_text("DEBUG=1\n")
    env.chmod(0o600)
    monkeypatch.setenv("GIT_DIR", str(separate_repository))
    monkeypatch.setenv("GIT_WORK_TREE", str(root))
    git("add", ".env", cwd=root)
    assert not any((parent / ".git").exists() for parent in [root, *root.parents])
    code, _out, err = fix(capsys, root, env)
    assert code == 2, err
    assert "is tracked by git" in err and "nothing fixed" in err
    assert env.read_text() == "DEBUG=1\n" and unchanged(root)


def test_an_untracked_file_in_such_a_repository_gets_the_gitignore_line(
    root: Path, separate_repository: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GIT_DIR", str(separate_repository))
    monkeypatch.setenv("GIT_WORK_TREE", str(root))
    (root / "config").mkdir()
    env = root / "config" / ".env"
    code, _out, err = fix(capsys, root, env)
    assert code == 0, err
    assert f"is not ignored by git: add the line /config/.env to {root / '.gitignore'}" in err
    assert dotenv_values(env) == {"ELEVENLABS_API_KEY": EL}


def test_a_git_dir_that_is_no_repository_fails_closed(
    root: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # git can't answer for the repository the environment names: it must not be taken for "none".
    monkeypatch.setenv("GIT_DIR", str(tmp_path / "gone.git"))
    env = root / ".env"
    code, _out, err = fix(capsys, root, env)
    assert code == 2
    assert "git cannot say whether it is tracked" in err and "not a git repository" in err
    assert not env.exists() and unchanged(root)


def test_outside_any_repository_the_file_is_written(
    root: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    env = root / ".env"
    code, _out, err = fix(capsys, root, env)
    assert code == 0, err
    assert "git" not in err
    assert dotenv_values(env) == {"ELEVENLABS_API_KEY": EL}


# ------------------------------------------------------------------ what the file is


@pytest.mark.skipif(not IS_ROOT, reason="giving a file to another user needs root")
def test_the_env_file_keeps_its_owner_and_group(root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    env = root / ".env"
    env.write_text("DEBUG=1\n")
    env.chmod(0o600)
    os.chown(env, 12345, 23456)
    code, _out, err = fix(capsys, root, env)
    assert code == 0, err
    info = env.stat()
    assert (info.st_uid, info.st_gid, info.st_mode & 0o7777) == (12345, 23456, 0o600)
    assert dotenv_values(env) == {"DEBUG": "1", "ELEVENLABS_API_KEY": EL}


def test_a_hard_linked_env_file_is_refused(root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    env = root / ".env"
    env.write_text("DEBUG=1\n")
    env.chmod(0o600)
    os.link(env, root / "shared.env")
    code, _out, err = fix(capsys, root, env)
    assert code == 2
    assert "has 2 hard links" in err and "nothing fixed" in err
    assert env.read_text() == "DEBUG=1\n" == (root / "shared.env").read_text()
    assert os.stat(env).st_ino == os.stat(root / "shared.env").st_ino  # still one file
    assert unchanged(root)


# ------------------------------------------------------------------ what a shell reads


def sourced(env: Path) -> str:
    done = subprocess.run(
        ["sh", "-c", '. "$1" 2>/dev/null; printf %s "$ELEVENLABS_API_KEY"', "sh", str(env)],
        capture_output=True,
        text=True,
        timeout=30,
    )
    return done.stdout


@pytest.mark.parametrize(
    "before",
    [
        pytest.param("DEBUG=1\\", id="trailing-backslash-no-newline"),
        pytest.param("DEBUG=1\\\n", id="trailing-backslash"),
        pytest.param("GREETING='it is\n", id="open-single-quote"),
        pytest.param('GREETING="hello\n', id="open-double-quote"),
        pytest.param("WHEN=$(date\n", id="open-command-substitution"),
        pytest.param("PATH_LIKE=${HOME\n", id="open-parameter"),
        pytest.param("CMD=`date\n", id="open-backquote"),
        pytest.param("cat <<EOF\n", id="here-document"),
    ],
)
def test_a_file_a_shell_would_not_end_is_refused(
    root: Path, capsys: pytest.CaptureFixture[str], before: str
) -> None:
    env = root / ".env"
    # What the line would have done: a shell reads the appended line as part of the last one.
    naive = root / "naive.env"
    naive.write_text(before + ("" if before.endswith("\n") else "\n") + f"ELEVENLABS_API_KEY={EL}\n")
    assert sourced(naive) != EL
    env.write_text(before)
    env.chmod(0o600)
    code, _out, err = fix(capsys, root, env)
    assert code == 2
    assert "a shell reading it would still be inside" in err and "nothing fixed" in err
    assert env.read_text() == before and unchanged(root)


@pytest.mark.parametrize(
    "before",
    [
        pytest.param("", id="new-file"),
        pytest.param("DEBUG=1", id="no-final-newline"),
        pytest.param("# it's a comment with a quote\nDEBUG=1\n", id="quote-in-comment"),
        pytest.param('export GREETING="hello world" # done\n', id="export-and-comment"),
        pytest.param("DATA_DIR=${HOME}/data\nNOW=$(date)\n", id="expansions"),
        pytest.param('ESCAPED=a\\ b\nQUOTED="a \\" b"\n', id="escapes"),
        pytest.param("SINGLE='a \\ b'\n", id="backslash-in-single-quotes"),
    ],
)
def test_where_the_file_ends_cleanly_a_shell_reads_the_value(
    root: Path, capsys: pytest.CaptureFixture[str], before: str
) -> None:
    env = root / ".env"
    if before:
        env.write_text(before)
        env.chmod(0o600)
    code, _out, err = fix(capsys, root, env)
    assert code == 0, err
    assert sourced(env) == EL
    assert dotenv_values(env)["ELEVENLABS_API_KEY"] == EL


def test_the_lexer_is_never_fooled_into_a_clean_end_by_a_quote_inside_another() -> None:
    from lint_secrets.envfile import shell_unfinished

    assert shell_unfinished('A="it\'s"\n') is None
    assert shell_unfinished("A='say \"hi'\n") is None
    assert shell_unfinished("A=\"$(echo ')')\n") == "an unclosed double quote"
    assert shell_unfinished("A=x # comment \\\n") is None  # a comment is not continued


# ------------------------------------------------------------------ env names a system reads


@pytest.mark.parametrize(
    ("name", "reader"),
    [
        ("PATH", "the system"),
        ("LD_PRELOAD", "the dynamic loader"),
        ("HOME", "the system"),
        ("PYTHONPATH", "Python"),
        ("BASH_ENV", "the shell"),
        ("http_proxy", "the system"),
        ("GIT_SSH_COMMAND", "git or ssh"),
    ],
)
def test_env_names_a_system_reads_are_a_config_error(
    root: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, name: str, reader: str
) -> None:
    (root / "pyproject.toml").write_text(f'[tool.lint-secrets.env-names]\nelevenlabs_api_key = "{name}"\n')
    monkeypatch.chdir(root)
    code = main(["check", "--fix", "app.py"])
    out, err = capsys.readouterr()
    assert code == 2
    assert out == "" and len(err.strip().splitlines()) == 1, err
    assert f"{name!r} is read by {reader}" in err
    assert unchanged(root)


@pytest.mark.parametrize("name", ["PYTHONANYWHERE_TOKEN", "HOME_ASSISTANT_TOKEN", "PATHWAY_API_KEY"])
def test_names_that_only_start_like_one_are_fine(
    root: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    (root / "pyproject.toml").write_text(f'[tool.lint-secrets.env-names]\nelevenlabs_api_key = "{name}"\n')
    monkeypatch.chdir(root)
    code = main(["check", "--fix", "app.py"])
    _out, err = capsys.readouterr()
    assert code == 0, err
    assert f'os.environ["{name}"]' in (root / "app.py").read_text()
