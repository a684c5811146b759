"""Shared helpers: check source text in-process against the sample schema cache."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any, Dict, Iterable, List, Optional, Sequence, Set, Tuple

import pytest

from lint_secrets.checker import CheckOptions, FileResult, Worker
from lint_secrets.cli import main
from lint_secrets.config import Config, ModelDeclaration
from lint_secrets.findings import Finding

REPO = Path(__file__).resolve().parent.parent
SAMPLE = REPO / "fixtures" / "sample"
SAMPLE_CACHE = SAMPLE / ".lint-secrets"
SCHEMAS = SAMPLE_CACHE / "schemas"
CASES = Path(__file__).resolve().parent / "cases"
# tests/cases/test_suites/ is a sample project's test suite (a conftest and test modules) that the
# linter checks; pytest must not collect it.
collect_ignore = ["cases"]

# Versions in the sample cache.
TTS_LATEST = "f03c922a7b4f838b5a51b41f1909a637f9aa81916a7d01c8fad095069847e91c"  # secret: elevenlabs_api_key
TTS_OLD = "d1c63ad43abac21d916d0b6f1b983d96ebe29c587ac8fc04df07b7a16e2c5fe6"  # secret: api_key
# TrainingInput secrets: hub_token, tracker_keys
LORA_LATEST = "84485d60a129ffdb50f61b0b6549f5e460e21207a2e68dc91ce0460850fc4240"

_WORKERS: Dict[Tuple[Tuple[str, Tuple[str, ...]], ...], Worker] = {}


def make_worker(
    models: Optional[Dict[str, Iterable[str]]] = None,
    schema_dir: Path = SCHEMAS,
    root: Path = SAMPLE,
) -> Worker:
    declared = {name: ModelDeclaration(frozenset(inputs)) for name, inputs in (models or {}).items()}
    return Worker(CheckOptions(config=Config(root=root, schema_dir=schema_dir, models=declared)))


def worker_for(models: Optional[Dict[str, Iterable[str]]] = None) -> Worker:
    """A worker on the sample cache, shared between tests (it only reads the cache)."""
    key = tuple(sorted((name, tuple(sorted(inputs))) for name, inputs in (models or {}).items()))
    if key not in _WORKERS:
        _WORKERS[key] = make_worker(models)
    return _WORKERS[key]


def check_source(
    source: str, models: Optional[Dict[str, Iterable[str]]] = None, path: str = "t.py"
) -> FileResult:
    return worker_for(models).check_bytes(path, textwrap.dedent(source).encode("utf-8"))


def findings(source: str, models: Optional[Dict[str, Iterable[str]]] = None) -> List[Finding]:
    result = check_source(source, models)
    assert result.errors == (), result.errors
    return list(result.findings)


def summary(
    source: str, models: Optional[Dict[str, Iterable[str]]] = None
) -> List[Tuple[str, int, Optional[str]]]:
    """(code, line, input) of each finding: what most tests compare."""
    return [(f.code, f.line, f.input) for f in findings(source, models)]


@pytest.fixture
def sample_schemas() -> Path:
    return SCHEMAS


def write_files(root: Path, files: Dict[str, str]) -> None:
    """Write `files` (relative path -> text) under `root`, making directories as needed."""
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


GIT_IDENTITY = ["-c", "user.name=lint-secrets tests", "-c", "user.email=tests@lint-secrets.invalid"]


def clean_env() -> Dict[str, str]:
    """The environment without what a surrounding git hook or pre-commit run has set."""
    return {k: v for k, v in os.environ.items() if not k.startswith(("GIT_", "PRE_COMMIT"))}


def git(cwd: Path, *args: str) -> str:
    """Run git in `cwd` as a user would (an identity, none of the surrounding hook's `GIT_*`
    variables); its output, stripped. Fails the test with git's message when git fails."""
    done = subprocess.run(
        ["git", *GIT_IDENTITY, *args], cwd=cwd, capture_output=True, text=True, env=clean_env(), check=False
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def commit_all(root: Path) -> None:
    """`root` as a new git repository with everything in it committed."""
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "project")


def check_json(capsys: pytest.CaptureFixture[str], *args: str) -> Tuple[int, Dict[str, Any], str]:
    """`check --output-format json ARGS` in-process: exit code, the report, stderr."""
    capsys.readouterr()
    code = main(["check", "--output-format", "json", *args])
    out, err = capsys.readouterr()
    return code, json.loads(out), err


def finding_places(report: Dict[str, Any]) -> List[Tuple[str, int, int, str]]:
    """(path, line, column, code) of each finding of a JSON report, sorted."""
    return sorted((f["path"], f["line"], f["column"], f["code"]) for f in report["findings"])


def modules_imported(argv: Sequence[str], cwd: Path) -> Set[str]:
    """The modules `python -m lint_secrets *argv` imports in `cwd` (by `-X importtime`); the
    run must end with exit code 0 or 1."""
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "lint_secrets", *argv],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
        # Shell completion's variable would make it a completion run.
        env={k: v for k, v in os.environ.items() if k != "_LINT_SECRETS_COMPLETE"},
    )
    assert done.returncode in (0, 1), done.stderr[-2000:]
    return {line.rsplit("|", 1)[-1].strip() for line in done.stderr.splitlines() if "|" in line}


def tts_call(value: str, on: str = "replicate") -> str:
    """A run of the sample cache's text-to-speech model sending `value` (source text) to its
    secret input `elevenlabs_api_key`, called on `on` (the module, or a client's name)."""
    return f'{on}.run("example/text-to-speech", input={{"text": "hi", "elevenlabs_api_key": {value}}})\n'


def sample_project(root: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """`root` as a project with a `[tool.lint-secrets]` table and the sample schema cache, made
    the working directory."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "pyproject.toml").write_text("[tool.lint-secrets]\n")
    shutil.copytree(SAMPLE_CACHE, root / ".lint-secrets")
    monkeypatch.chdir(root)
    return root


def run_cli(
    capsys: pytest.CaptureFixture[str], argv: Sequence[str], never_shown: Iterable[str] = ()
) -> Tuple[int, str, str]:
    """Exit code, stdout and stderr of the real CLI; no traceback and none of `never_shown`
    (the whole secrets the test wrote) may appear in either."""
    code = main(list(argv))
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    for secret in never_shown:
        assert secret not in out + err
    return code, out, err


def files_read_again(monkeypatch: pytest.MonkeyPatch) -> List[str]:
    """The files `importers.related_files` reads again, by name, as it reads them."""
    import lint_secrets.importers as importers

    read: List[str] = []
    original = importers._read

    def counting(path: str) -> Optional[bytes]:
        read.append(os.path.basename(path))
        return original(path)

    monkeypatch.setattr(importers, "_read", counting)
    return read
