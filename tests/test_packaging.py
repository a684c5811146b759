"""Packaging and the install story, checked the way a user meets them.

The README's install, pre-commit, CI and release blocks are run as they are written, with
one substitution: the public repository's URL becomes a local bare repository holding a
snapshot of this checkout, tagged by the README's own release commands. The sdist and the
wheel are built, and the sdist's test suite runs in a fresh virtual environment.

Slow, and pip needs PyPI (for setuptools, pytest...): deselect with `-m "not packaging"`.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path
from typing import Any, Dict, Iterator, List, Optional, Tuple

import jsonschema
import pytest
import yaml
from conftest import REPO, SAMPLE, write_files

from lint_secrets import __version__

PUBLIC_URL = "https://github.com/lint-secrets/lint-secrets"
TAG = f"v{__version__}"
README = (REPO / "README.md").read_text(encoding="utf-8")
SARIF_SCHEMA = REPO / "fixtures" / "sarif" / "sarif-schema-2.1.0.json"
GIT_IDENTITY = {
    "GIT_AUTHOR_NAME": "lint-secrets tests",
    "GIT_AUTHOR_EMAIL": "tests@lint-secrets.invalid",
    "GIT_COMMITTER_NAME": "lint-secrets tests",
    "GIT_COMMITTER_EMAIL": "tests@lint-secrets.invalid",
}
TTS_SECRET = "el-FAKE-pkg0a1b2c3d4e5f6789"
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

out = replicate.run("example/text-to-speech", input={"text": "hi", "elevenlabs_api_key": os.environ["KEY"]})
"""


# --------------------------------------------------------------------------- the README


def section(title: str, text: str = README) -> str:
    """The body of the `##`/`###` section `title`, up to the next heading of its level or higher.

    Lines inside fenced blocks are not headings (a YAML comment starts with `# ` too).
    """
    lines = text.splitlines(keepends=True)
    headings: List[Tuple[int, int, str]] = []  # (line index, level, title)
    fenced = False
    for index, line in enumerate(lines):
        if line.startswith("```"):
            fenced = not fenced
        elif not fenced and (match := re.match(r"(#+) (.*)", line)):
            headings.append((index, len(match.group(1)), match.group(2).strip()))
    found = [(i, (index, level)) for i, (index, level, name) in enumerate(headings) if name == title]
    assert len(found) == 1, f"README has {len(found)} sections {title!r}"
    position, (first, level) = found[0]
    last = next((index for index, lvl, _ in headings[position + 1 :] if lvl <= level), len(lines))
    return "".join(lines[first + 1 : last])


def blocks(text: str, lang: str) -> List[str]:
    return [
        body
        for kind, body in re.findall(r"^```(\w*)\n(.*?)^```", text, re.MULTILINE | re.DOTALL)
        if kind == lang
    ]


def test_readme_names_one_release_everywhere_and_no_registry_release() -> None:
    """Install commands, the pre-commit rev, the Action and the release block name `v` + __version__."""
    refs = re.findall(r"lint-secrets(?:/lint-secrets)?@(v[0-9][^\s\"'`)]*)", README)
    refs += re.findall(r"^\s*rev: (\S+)", README, re.MULTILINE)
    refs += re.findall(r"git (?:tag -a|push origin|checkout) (v\S+)", README)
    assert len(refs) >= 8 and set(refs) == {TAG}, refs
    # Not published on PyPI: nothing may install it by bare name or point at a registry page.
    assert not re.search(r"(pip|pipx|uv pip|uv tool) install (-U )?lint-secrets\b", README)
    assert "pypi.org" not in README
    assert PUBLIC_URL in section("Install")


def test_release_tag_in_this_checkout_carries_this_version() -> None:
    """Once the release tag exists here, it points at a commit of this version."""
    if not (REPO / ".git").exists():
        pytest.skip("not a git checkout")
    done = subprocess.run(
        ["git", "tag", "--list", TAG], cwd=REPO, capture_output=True, text=True, check=False
    )
    if done.returncode != 0 or not done.stdout.strip():
        return  # not tagged yet: the release block makes it
    shown = subprocess.run(
        ["git", "show", f"{TAG}:lint_secrets/__init__.py"],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=True,
    )
    assert f'__version__ = "{__version__}"' in shown.stdout


def test_project_metadata() -> None:
    if sys.version_info >= (3, 11):
        import tomllib
    else:
        import tomli as tomllib
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    meta = project["project"]
    assert meta["license"] == "MIT"
    assert (REPO / "LICENSE").read_text(encoding="utf-8").startswith("MIT License")
    assert (REPO / "lint_secrets" / "py.typed").exists()
    assert "Typing :: Typed" in meta["classifiers"]
    assert not [c for c in meta["classifiers"] if c.startswith("License ::")]  # SPDX expression instead
    assert meta["urls"]["Homepage"] == PUBLIC_URL
    requires = project["build-system"]["requires"]
    assert any(re.fullmatch(r"setuptools>=(\d+)", r) and int(r.split(">=")[1]) >= 77 for r in requires)


# --------------------------------------------------------------------------- the slow part

packaging = pytest.mark.packaging


def run(
    command: List[str] | str, cwd: Path, env: Optional[Dict[str, str]] = None, timeout: int = 900
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        command,
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
        shell=isinstance(command, str),
        stdin=subprocess.DEVNULL,
    )


def ok(done: subprocess.CompletedProcess[str]) -> str:
    assert done.returncode == 0, f"{done.args!r} exited {done.returncode}\n{done.stdout}\n{done.stderr}"
    return done.stdout


def base_env(**extra: str) -> Dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GIT_", "PRE_COMMIT", "VIRTUAL_ENV"))}
    env.update(GIT_IDENTITY)
    env.update(extra)
    return env


def bash(script: str, cwd: Path, env: Dict[str, str]) -> subprocess.CompletedProcess[str]:
    """`script` as GitHub runs a bash step: no profile, stop on the first failure."""
    return run(["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", script], cwd, env)


def local(text: str, public: Path) -> str:
    """The README's text with the public repository replaced by the local one."""
    assert PUBLIC_URL in text
    return text.replace(PUBLIC_URL, local_url(public))


def local_url(path: Path) -> str:
    # With a host: the PEP 508 parser of pip < 24 rejects `git+file:///...` (no host).
    return "file://localhost" + path.as_posix()


@pytest.fixture(scope="module")
def public(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A bare repository standing in for the public one: this checkout's files (as on disk),
    released by the README's release block, with a later commit on top so that installing
    the tag and installing the branch differ."""
    if not (REPO / ".git").exists() or shutil.which("git") is None:
        pytest.skip("needs a git checkout of lint-secrets and git")
    top = tmp_path_factory.mktemp("remote")
    listed = ok(
        run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], REPO, base_env())
    ).split("\0")
    work = top / "work"
    for name in filter(None, listed):
        source = REPO / name
        if source.is_file():
            (work / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, work / name)
    env = base_env()
    bare = (
        top / "lint-secrets"
    )  # so that `git clone URL` makes a `lint-secrets` directory, as the README says
    ok(run(["git", "init", "-q", "-b", "main", str(work)], top, env))
    ok(run(["git", "add", "-A"], work, env))
    ok(run(["git", "commit", "-q", "-m", "snapshot"], work, env))
    ok(run(["git", "init", "-q", "--bare", "-b", "main", str(bare)], top, env))
    ok(run(["git", "remote", "add", "origin", bare.as_uri()], work, env))
    ok(run(["git", "push", "-q", "origin", "main"], work, env))
    (release,) = blocks(section("Releasing"), "sh")
    ok(bash(release, work, env))
    init = work / "lint_secrets" / "__init__.py"
    init.write_text(init.read_text(encoding="utf-8").replace(__version__, "999.0.dev0"), encoding="utf-8")
    ok(run(["git", "commit", "-q", "-am", "after the release"], work, env))
    ok(run(["git", "push", "-q", "origin", "main"], work, env))
    assert ok(run(["git", "tag", "--list"], bare, env)).split() == [TAG]
    return bare


@pytest.fixture(scope="module")
def tools(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """pipx and uv, which the README's install section uses, in a virtual environment of their own."""
    venv = tmp_path_factory.mktemp("tools") / "venv"
    ok(run([sys.executable, "-m", "venv", str(venv)], venv.parent))
    ok(run([str(venv / "bin" / "python"), "-m", "pip", "install", "-q", "pipx", "uv"], venv.parent))
    return venv / "bin"


def sandbox(tmp: Path, *extra_path: Path) -> Dict[str, str]:
    """A fresh virtual environment first on PATH (so `pip` and `python3` are its), and a home of its own."""
    ok(run([sys.executable, "-m", "venv", str(tmp / "env")], tmp))
    home = tmp / "home"
    home.mkdir()
    path = os.pathsep.join([str(tmp / "env" / "bin"), *map(str, extra_path), os.environ.get("PATH", "")])
    return base_env(
        PATH=path,
        HOME=str(home),
        VIRTUAL_ENV=str(tmp / "env"),
        PIPX_HOME=str(home / "pipx"),
        PIPX_BIN_DIR=str(home / "bin"),
        XDG_CACHE_HOME=str(home / ".cache"),
    )


def project(root: Path, files: Dict[str, str], git: bool = True) -> Path:
    """A user's repository: the sample's config and schema cache at the top, `files` in `svc/`."""
    root.mkdir(parents=True)
    shutil.copy2(SAMPLE / "pyproject.toml", root / "pyproject.toml")
    shutil.copytree(SAMPLE / ".lint-secrets", root / ".lint-secrets")
    write_files(root / "svc", files)
    if git:
        env = base_env()
        ok(run(["git", "init", "-q"], root, env))
        ok(run(["git", "add", "-A"], root, env))
        ok(run(["git", "commit", "-q", "-m", "project"], root, env))
    return root


@packaging
def test_readme_install_commands(public: Path, tools: Path, tmp_path: Path) -> None:
    pipx_bin = tmp_path / "home" / "bin"
    env = sandbox(tmp_path, pipx_bin, tools)
    workdir = project(tmp_path / "user", {"app.py": CLEAN_FILE}, git=False)
    pip_block, tool_block, checkout_block = blocks(section("Install"), "sh")

    ok(bash(local(pip_block, public), workdir, env))
    assert (
        ok(run(["lint-secrets", "--version"], workdir, env)).strip() == f"lint-secrets, version {__version__}"
    )
    assert Path(ok(run(["which", "lint-secrets"], workdir, env)).strip()).parent == tmp_path / "env" / "bin"

    done = bash(local(tool_block, public), workdir, env)
    ok(done)
    assert "All checks passed!" in done.stdout  # uvx ran `check` on the clean project
    pipx_installed = pipx_bin / "lint-secrets"
    assert ok(run([str(pipx_installed), "--version"], workdir, env)).strip().endswith(__version__)

    clone_parent = tmp_path / "clones"
    clone_parent.mkdir()
    done = bash(local(checkout_block, public), clone_parent, env)
    assert ok(done).strip().endswith(f"version {__version__}")
    assert (clone_parent / "lint-secrets" / "LICENSE").is_file()


@packaging
def test_readme_plain_ci_step(public: Path, tmp_path: Path) -> None:
    env = sandbox(tmp_path)
    repo = project(tmp_path / "user", {"app.py": SECRET_FILE})
    ci = section("CI")
    (step,) = blocks(ci, "sh")
    done = bash(local(step, public), repo / "svc", env)  # from a sub-directory: paths stay the repository's
    assert done.returncode == 1, done.stderr
    (line,) = [line for line in done.stdout.splitlines() if line.startswith("::error")]
    assert line.startswith("::error file=svc/app.py,line=6,")  # from the repository root, not svc/
    assert TTS_SECRET[:6] not in done.stdout + done.stderr


@packaging
def test_readme_gitlab_job(public: Path, tmp_path: Path) -> None:
    env = sandbox(tmp_path)
    repo = project(tmp_path / "user", {"app.py": SECRET_FILE, "ok.py": CLEAN_FILE})
    (config,) = blocks(section("GitLab CI"), "yaml")
    job = yaml.safe_load(local(config, public))["lint-secrets"]
    report = job["artifacts"]["reports"]["codequality"]
    assert job["artifacts"]["when"] == "always"  # the report is kept when the job fails on findings
    *setup, check = job["script"]
    for line in setup:
        ok(bash(line, repo, env))
    done = bash(check, repo, env)
    assert done.returncode == 1, done.stderr
    issues = json.loads((repo / report).read_text(encoding="utf-8"))
    assert [(i["check_name"], i["location"]["path"], i["location"]["lines"]["begin"]) for i in issues] == [
        ("RS101", "svc/app.py", 6)
    ]
    assert {"description", "fingerprint", "severity"} <= set(issues[0])
    assert TTS_SECRET[:6] not in (repo / report).read_text(encoding="utf-8")


def _expressions(text: str, values: Dict[str, str]) -> str:
    """GitHub's `${{ ... }}` for the few expressions action.yml uses; any other fails the test."""

    def value(match: re.Match[str]) -> str:
        name = match.group(1)
        assert name in values, f"action.yml uses an expression this test doesn't know: {name}"
        return values[name]

    return re.sub(r"\$\{\{\s*([\w.-]+)\s*\}\}", value, text)


def run_action(
    action_dir: Path, workspace: Path, runner_temp: Path, given: Dict[str, Any], env: Dict[str, str]
) -> List[subprocess.CompletedProcess[str]]:
    """Run the composite action's steps as a runner would, with inputs `given` over the defaults."""
    action = yaml.safe_load((action_dir / "action.yml").read_text(encoding="utf-8"))
    assert action["runs"]["using"] == "composite"
    unknown = set(given) - set(action["inputs"])
    assert not unknown, unknown
    values = {f"inputs.{name}": str(spec.get("default", "")) for name, spec in action["inputs"].items()}
    values.update({f"inputs.{name}": str(v) for name, v in given.items()})
    values["github.action_path"] = str(action_dir)
    done = []
    for step in action["runs"]["steps"]:
        assert step["shell"] == "bash"
        step_env = {**env, "RUNNER_TEMP": str(runner_temp), "GITHUB_WORKSPACE": str(workspace)}
        step_env.update({k: _expressions(str(v), values) for k, v in step.get("env", {}).items()})
        result = bash(_expressions(step["run"], values), workspace, step_env)
        done.append(result)
        if result.returncode != 0:
            break
    return done


def test_action_passes_globs_in_args_to_lint_secrets_unexpanded(tmp_path: Path) -> None:
    """The check step on a checkout, with this environment's lint-secrets installed where the
    install step puts it: `args` is split into words, but a glob in it is not expanded."""
    workspace = project(
        tmp_path / "workspace",
        {"app.py": SECRET_FILE, "tests/test_app.py": SECRET_FILE, "tests/test_more.py": SECRET_FILE},
    )
    runner_temp = tmp_path / "runner-temp"
    (runner_temp / "lint-secrets-venv" / "bin").mkdir(parents=True)
    installed = Path(sys.executable).parent / "lint-secrets"
    (runner_temp / "lint-secrets-venv" / "bin" / "lint-secrets").symlink_to(installed)
    action = yaml.safe_load((REPO / "action.yml").read_text(encoding="utf-8"))
    (step,) = [s for s in action["runs"]["steps"] if s["name"] == "lint-secrets check"]
    values = {f"inputs.{name}": str(spec.get("default", "")) for name, spec in action["inputs"].items()}
    values["inputs.args"] = "--extend-exclude svc/tests/* --exit-zero"
    env = base_env(RUNNER_TEMP=str(runner_temp), GITHUB_WORKSPACE=str(workspace))
    env.update({k: _expressions(str(v), values) for k, v in step["env"].items()})
    done = bash(_expressions(step["run"], values), workspace, env)
    assert done.returncode == 0, done.stderr
    # The whole checkout is checked, with the tests excluded; expanded, the glob would have
    # named the two test files and checked only them.
    assert done.stdout.startswith("::error file=svc/app.py,line=6,")
    assert "svc/tests" not in done.stdout, done.stdout


@packaging
def test_github_action_from_the_readme_workflow(public: Path, tmp_path: Path) -> None:
    (workflow_text,) = blocks(section("GitHub Action"), "yaml")
    workflow = yaml.safe_load(workflow_text)
    steps = workflow["jobs"]["lint-secrets"]["steps"]
    (ours,) = [s for s in steps if str(s.get("uses", "")).startswith("lint-secrets/lint-secrets@")]
    ref = ours["uses"].split("@", 1)[1]
    (upload,) = [s for s in steps if str(s.get("uses", "")).startswith("github/codeql-action/upload-sarif@")]
    # What the runner does for `uses: owner/repo@ref`: the action's repository at that ref.
    action_dir = tmp_path / "action"
    ok(run(["git", "clone", "-q", "--branch", ref, local_url(public), str(action_dir)], tmp_path, base_env()))
    env = sandbox(tmp_path)
    workspace = project(tmp_path / "workspace", {"app.py": SECRET_FILE, "ok.py": CLEAN_FILE})
    runner_temp = tmp_path / "runner-temp"
    runner_temp.mkdir()

    install, check = run_action(action_dir, workspace, runner_temp, ours["with"], env)
    ok(install)
    assert check.returncode == 1, check.stderr  # findings fail the step; the upload runs `if: !cancelled()`
    sarif = json.loads((workspace / upload["with"]["sarif_file"]).read_text(encoding="utf-8"))
    schema = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))
    jsonschema.validators.validator_for(schema)(schema).validate(sarif)
    results = sarif["runs"][0]["results"]
    assert [r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in results] == [
        "svc/app.py"
    ]
    assert sarif["runs"][0]["tool"]["driver"]["version"] == __version__

    # The default: annotations.
    _, annotate = run_action(action_dir, workspace, runner_temp, {}, env)
    assert annotate.returncode == 1
    assert annotate.stdout.startswith("::error file=svc/app.py,line=6,")
    assert TTS_SECRET[:6] not in annotate.stdout + check.stdout

    # Clean code passes; a wrong output-format is refused as an error.
    _, clean = run_action(action_dir, workspace, runner_temp, {"args": "svc/ok.py"}, env)
    assert clean.returncode == 0 and clean.stdout == ""
    _, wrong = run_action(action_dir, workspace, runner_temp, {"output-format": "xml"}, env)
    assert wrong.returncode == 2 and wrong.stdout.startswith("::error::")


@packaging
@pytest.mark.precommit
def test_readme_precommit_snippet(public: Path, tmp_path: Path) -> None:
    pre_commit = Path(sys.executable).parent / "pre-commit"
    # The first block is the configuration to copy; the next ones show variations of its hooks.
    snippet = blocks(section("Pre-commit"), "yaml")[0]
    repo = project(tmp_path / "user", {"app.py": CLEAN_FILE})
    write_files(repo, {".pre-commit-config.yaml": local(snippet, public)})
    env = base_env(PRE_COMMIT_HOME=str(tmp_path / "pre-commit-home"))
    ok(run(["git", "add", "-A"], repo, env))
    ok(run(["git", "commit", "-q", "-m", "hooks"], repo, env))
    ok(run([str(pre_commit), "run", "--all-files"], repo, env))

    write_files(repo / "svc", {"new.py": SECRET_FILE})
    ok(run(["git", "add", "svc/new.py"], repo, env))
    done = run([str(pre_commit), "run"], repo, env)
    assert done.returncode == 1
    assert "svc/new.py:6:" in done.stdout and "RS101" in done.stdout
    assert TTS_SECRET[:6] not in done.stdout

    updated = run([str(pre_commit), "autoupdate"], repo, env)
    ok(updated)
    assert f"rev: {TAG}" in (repo / ".pre-commit-config.yaml").read_text(encoding="utf-8")


# --------------------------------------------------------------------------- sdist and wheel


@pytest.fixture(scope="module")
def dists(public: Path, tmp_path_factory: pytest.TempPathFactory) -> Tuple[Path, Path]:
    """The sdist and the wheel, built with `python -m build` from the release tag."""
    top = tmp_path_factory.mktemp("dists")
    source = top / "source"
    ok(run(["git", "clone", "-q", "--branch", TAG, local_url(public), str(source)], top, base_env()))
    ok(run([sys.executable, "-m", "build", "--outdir", str(top / "dist"), str(source)], top, base_env()))
    (sdist,) = (top / "dist").glob("*.tar.gz")
    (wheel,) = (top / "dist").glob("*.whl")
    return sdist, wheel


@packaging
def test_wheel_contents(dists: Tuple[Path, Path]) -> None:
    _, wheel = dists
    assert wheel.name == f"lint_secrets-{__version__}-py3-none-any.whl"
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
        metadata = archive.read(f"lint_secrets-{__version__}.dist-info/METADATA").decode("utf-8")
    assert "lint_secrets/py.typed" in names
    assert f"lint_secrets-{__version__}.dist-info/licenses/LICENSE" in names
    assert not [n for n in names if n.startswith(("tests/", "fixtures/"))]
    assert "License-Expression: MIT" in metadata
    assert f"Project-URL: Homepage, {PUBLIC_URL}" in metadata
    assert "Classifier: Typing :: Typed" in metadata
    assert "Requires-Python: >=3.9" in metadata


def _sdist_names(sdist: Path) -> List[str]:
    with tarfile.open(sdist) as archive:
        return [name.split("/", 1)[1] for name in archive.getnames() if "/" in name]


@packaging
def test_sdist_holds_tests_cases_and_fixtures(dists: Tuple[Path, Path]) -> None:
    sdist, _ = dists
    names = set(_sdist_names(sdist))
    expected = {
        "LICENSE",
        "README.md",
        "action.yml",
        ".pre-commit-hooks.yaml",
        "lint_secrets/py.typed",
        "tests/conftest.py",
        "tests/test_report.py",
        "tests/cases/tokens.py",
        "fixtures/sarif/sarif-schema-2.1.0.json",
        "fixtures/sample/app.py",
        "fixtures/sample/.lint-secrets/schemas/models/example/text-to-speech.json",
    }
    assert expected <= names, expected - names
    assert not [n for n in names if "__pycache__" in n or n.endswith(".pyc")]


@pytest.fixture(scope="module")
def unpacked_sdist(dists: Tuple[Path, Path], tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    sdist, _ = dists
    top = tmp_path_factory.mktemp("sdist")
    with tarfile.open(sdist) as archive:
        if sys.version_info >= (3, 12):
            archive.extractall(top, filter="data")
        else:
            archive.extractall(top)  # our own archive, just built
    (root,) = top.iterdir()
    yield root


@packaging
def test_sdist_test_suite_passes_in_a_fresh_venv(
    dists: Tuple[Path, Path], unpacked_sdist: Path, tmp_path: Path
) -> None:
    sdist, _ = dists
    venv = tmp_path / "venv"
    ok(run([sys.executable, "-m", "venv", str(venv)], tmp_path))
    python = venv / "bin" / "python"
    ok(run([str(python), "-m", "pip", "install", "-q", f"{sdist}[test]"], tmp_path, base_env()))
    # `pytest`, not `python -m pytest`: the tests must import the installed package, not the
    # unpacked source beside them. The one wall-clock bound (a 5 MB file checked in 30 s) is
    # the main run's to check; here, nested in that run, it only measures the machine's load.
    done = run(
        [
            str(venv / "bin" / "pytest"),  # quiet through the sdist's own addopts
            "-x",
            "-p",
            "no:cacheprovider",
            "-m",
            "not precommit and not packaging",
            "-k",
            "not test_large_file_is_checked",
        ],
        unpacked_sdist,
        base_env(),
        timeout=1800,
    )
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]
    summary = re.search(r"\b(\d+) passed\b", done.stdout)
    assert summary and int(summary.group(1)) > 300, done.stdout[-2000:]
    where = ok(run([str(python), "-c", "import lint_secrets; print(lint_secrets.__file__)"], tmp_path))
    assert Path(where.strip()).is_relative_to(venv)
