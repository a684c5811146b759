"""benchmarks/run.py's baseline: an older commit's package taken out of git history and run
by the interpreter under test, which must import that code and not its installed lint-secrets.
(The timings themselves are the benchmark's to print, not a test's.)"""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path
from types import ModuleType
from typing import Tuple

import pytest
from conftest import git, write_files

import lint_secrets

RUN_PY = Path(__file__).resolve().parent.parent / "benchmarks" / "run.py"
OLD_MAIN = "import lint_secrets, sys\nprint('old code', lint_secrets.__version__, sys.argv[1:])\n"


@pytest.fixture(scope="module")
def bench() -> ModuleType:
    spec = importlib.util.spec_from_file_location("benchmark_run", RUN_PY)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def history(tmp_path: Path) -> Tuple[Path, str]:
    """A repository with two commits of a tiny `lint_secrets` package; the first one's id."""
    repo = tmp_path / "repo"
    write_files(
        repo,
        {
            "lint_secrets/__init__.py": '__version__ = "0.0.1"\n',
            "lint_secrets/__main__.py": OLD_MAIN,
            "README.md": "not part of the package\n",
        },
    )
    git(repo, "init", "-q")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "first")
    first = git(repo, "rev-parse", "HEAD")
    write_files(repo, {"lint_secrets/__init__.py": '__version__ = "0.0.2"\n'})
    git(repo, "commit", "-qam", "second")
    return repo, first


def test_the_baseline_runs_the_extracted_commit_not_the_installed_package(
    bench: ModuleType, history: Tuple[Path, str], tmp_path: Path
) -> None:
    repo, first = history
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    baseline = bench.prepare_baseline(first, sys.executable, tmp_path / "work", corpus, checkout=repo)
    assert baseline.skipped == ""
    assert baseline.label == "lint-secrets 0.0.1"  # the first commit's, not HEAD's 0.0.2
    assert sorted(p.name for p in (tmp_path / "work" / "baseline").iterdir()) == ["lint_secrets"]
    done = subprocess.run(
        [*baseline.cmd, "large"], cwd=corpus, env=baseline.env, capture_output=True, text=True
    )
    assert done.stdout == "old code 0.0.1 ['check', 'large']\n"
    # Without that environment the same interpreter runs the lint-secrets under test.
    installed = subprocess.run(
        [sys.executable, "-c", bench.IMPORT_PROBE], cwd=corpus, capture_output=True, text=True
    )
    assert installed.stdout.splitlines()[1] == lint_secrets.__version__ != "0.0.1"


def test_the_same_version_is_labelled_by_its_ref(bench: ModuleType, tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    write_files(repo, {"lint_secrets/__init__.py": f'__version__ = "{lint_secrets.__version__}"\n'})
    git(repo, "init", "-q")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "same version")
    baseline = bench.prepare_baseline("HEAD", sys.executable, tmp_path / "work", tmp_path, checkout=repo)
    assert (baseline.skipped, baseline.label) == ("", "lint-secrets HEAD")


def test_code_shadowing_the_extracted_package_fails_loudly(
    bench: ModuleType, history: Tuple[Path, str], tmp_path: Path
) -> None:
    """A `lint_secrets/` in the directory the tools start in comes before PYTHONPATH."""
    repo, first = history
    shadowing = tmp_path / "corpus"
    write_files(shadowing, {"lint_secrets/__init__.py": '__version__ = "9.9.9"\n'})
    baseline = bench.prepare_baseline(first, sys.executable, tmp_path / "work", shadowing, checkout=repo)
    assert baseline.failed
    assert baseline.skipped.startswith("FAILED: ")
    assert str(shadowing / "lint_secrets") in baseline.skipped
    assert baseline.cmd == []


@pytest.mark.parametrize("ref", ["0123456789abcdef0123456789abcdef01234567", "no-such-branch"])
def test_a_missing_commit_skips_the_rows_without_failing(
    bench: ModuleType, history: Tuple[Path, str], tmp_path: Path, ref: str
) -> None:
    repo, _ = history
    baseline = bench.prepare_baseline(ref, sys.executable, tmp_path / "work", tmp_path, checkout=repo)
    assert baseline.skipped == f"{ref} is not a commit in the git history of {repo}"
    assert not baseline.failed
    assert baseline.label == f"lint-secrets {ref}"
    assert not (tmp_path / "work" / "baseline").exists()


def test_a_checkout_without_git_history_skips_the_rows(bench: ModuleType, tmp_path: Path) -> None:
    unpacked = tmp_path / "sdist"
    write_files(unpacked, {"lint_secrets/__init__.py": '__version__ = "0.1.0"\n'})
    baseline = bench.prepare_baseline(
        bench.BASELINE_0_1_0, sys.executable, tmp_path / "work", tmp_path, checkout=unpacked
    )
    assert baseline.label == "lint-secrets 0.1.0"
    assert baseline.skipped.startswith(f"{bench.BASELINE_0_1_0} is not a commit")
    assert not baseline.failed


def test_a_commit_without_the_package_skips_the_rows(bench: ModuleType, tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    write_files(repo, {"README.md": "before the package existed\n"})
    git(repo, "init", "-q")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "no package yet")
    baseline = bench.prepare_baseline("HEAD", sys.executable, tmp_path / "work", tmp_path, checkout=repo)
    assert baseline.skipped.startswith("git archive HEAD lint_secrets failed: ")
    assert not baseline.failed


def test_baseline_none_skips_the_rows(bench: ModuleType, tmp_path: Path) -> None:
    baseline = bench.prepare_baseline("none", sys.executable, tmp_path / "work", tmp_path)
    assert (baseline.skipped, baseline.cmd, baseline.failed, baseline.asked) == (
        "--baseline none",
        [],
        False,
        False,
    )
    assert not (tmp_path / "work").exists()


def test_findings_are_counted_in_the_text_report(bench: ModuleType) -> None:
    report = (
        b"a/b.py:16:40: RS103 [*] Hardcoded Replicate API token 'r8_F\xe2\x80\xa6' in Client(...)\n"
        b"a/c.py:1:2: RS101 Hardcoded secret\n"
        b"Found 2 secrets.\n[*] 1 fixable with `lint-secrets check --fix`.\n"
    )
    assert bench.count_findings(report) == 2
    assert bench.count_findings(b"All checks passed!\n") == 0
