"""The runner: the same results with one worker and many, in input order, errors kept per file."""

from __future__ import annotations

import random
import shutil
import subprocess
import sys
import threading
from pathlib import Path
from typing import Dict, List, Tuple

import pytest
from conftest import LORA_LATEST, SAMPLE, SCHEMAS, TTS_LATEST

from lint_secrets import runner
from lint_secrets.checker import CheckOptions, FileResult
from lint_secrets.config import Config, ModelDeclaration
from lint_secrets.runner import (
    check_files,
    chunks_by_size,
    might_matter,
    read_if_it_might_matter,
)

# Filler that never mentions Replicate: makes the files big enough to need a pool.
FILLER = '''
def helper_{n}(items, limit=10):
    """Pick the first few items that pass a check."""
    chosen = []
    for index, item in enumerate(items):
        if index >= limit:
            break
        if item and not str(item).startswith("#"):
            chosen.append(item)
    return chosen
'''

# (template, expected codes). Secrets are fake; {n} keeps each file's values distinct.
DENSE: List[Tuple[str, Tuple[str, ...]]] = [
    (
        'import replicate\n\nreplicate.run("example/text-to-speech", '
        'input={{"text": "hi", "elevenlabs_api_key": "el-FAKE-{n:04d}aa11bb22cc33dd44"}})\n',
        ("RS101",),
    ),
    (
        f'import replicate as rp\n\nrp.predictions.create(version="{TTS_LATEST}", '
        'input={{"text": "hi", "elevenlabs_api_key": "el-FAKE-{n:04d}ee55ff66aa77bb88"}})\n',
        ("RS101",),
    ),
    (
        "from replicate import Client\n\n"
        'client = Client(api_token="r8_FAKE{n:04d}tYDAUOHWHNsOOJkayZoybMNtdC10D")\n',
        ("RS103",),
    ),
    (
        "import replicate\n\n"
        'replicate.run("acme/unknown-{n}", input={{"prompt": "x", "api_key": "sk-FAKE{n:04d}'
        'q1w2e3r4t5y6u7i8o9p0a1s2d3f4"}})\n',
        ("RS102",),
    ),
    (
        'import replicate\n\ndef train(hub_token="hf_FAKE{n:04d}zzyyxxwwvvuuttssrrqq"):\n'
        f'    return replicate.trainings.create(model="example/lora-trainer", version="{LORA_LATEST}",\n'
        '        input={{"hub_token": hub_token}}, destination="acme/out")\n',
        ("RS101",),
    ),
    (
        "import replicate\n\n"
        'replicate.run("acme/private-llm", input={{"license_key": "lic-FAKE-{n:04d}-9z8y7x"}})\n',
        ("RS101",),
    ),
]
# Mentions Replicate, so it is parsed, but nothing in it may be reported.
NEGATIVE = (
    "import os\nimport replicate\n\n"
    # (official-chat's session_password is no cog Secret: an env read there is RS104)
    'replicate.run("example/text-to-speech", input={{"text": "p{n}", '
    '"elevenlabs_api_key": os.environ["ELEVENLABS_API_KEY"]}})\n'
    'client = replicate.Client(api_token=os.environ.get("REPLICATE_API_TOKEN"))\n'
)


def options() -> CheckOptions:
    declared = {"acme/private-llm": ModelDeclaration(frozenset({"license_key"}))}
    return CheckOptions(config=Config(root=SAMPLE, schema_dir=SCHEMAS, models=declared))


def padded(body: str, n: int, pad: int) -> str:
    return body + "".join(FILLER.format(n=f"{n}_{k}") for k in range(pad))


def write_corpus(root: Path, files: int = 60, pad: int = 8) -> Tuple[List[str], Dict[str, Tuple[str, ...]]]:
    """Paths in a shuffled (not sorted) order, and the codes each must produce."""
    expected: Dict[str, Tuple[str, ...]] = {}
    for n in range(files):
        kind = n % (len(DENSE) + 2)
        path = root / f"pkg{n % 3}" / f"mod_{n:03d}.py"
        path.parent.mkdir(exist_ok=True)
        if kind < len(DENSE):
            template, codes = DENSE[kind]
            path.write_text(padded(template.format(n=n), n, pad), encoding="utf-8")
        elif kind == len(DENSE):
            path.write_text(padded(NEGATIVE.format(n=n), n, pad), encoding="utf-8")
            codes = ()
        else:
            path.write_text(padded("import os\n", n, pad), encoding="utf-8")  # never parsed
            codes = ()
        expected[str(path)] = codes
    paths = list(expected)
    random.Random(6).shuffle(paths)
    return paths, expected


@pytest.fixture
def pools(monkeypatch: pytest.MonkeyPatch) -> List[int]:
    """Every run with jobs > 1 starts its pool, whatever the probe would decide: the sizes of
    the pools started, for the test to see that one was."""
    started: List[int] = []
    in_pool = runner._in_pool

    def counting(*args: object) -> List[FileResult]:
        started.append(args[4])  # type: ignore[arg-type]
        return in_pool(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(runner, "workers_worth_starting", lambda estimate, jobs: jobs)
    monkeypatch.setattr(runner, "PROBE_CPU_SECONDS", 0.0)
    monkeypatch.setattr(runner, "BUSY_SHARE", 0.0)
    monkeypatch.setattr(runner, "_cores_free", lambda: 8)
    monkeypatch.setattr(runner, "_in_pool", counting)
    return started


def codes(result: FileResult) -> Tuple[str, ...]:
    return tuple(f.code for f in result.findings)


def candidate_bytes(paths: List[str]) -> int:
    return sum(Path(p).stat().st_size for p in paths if might_matter(p))


def test_one_worker_and_many_give_the_same_results_in_input_order(tmp_path: Path, pools: List[int]) -> None:
    paths, expected = write_corpus(tmp_path)
    one = check_files(paths, options(), jobs=1)
    for jobs in (2, 3):
        assert check_files(paths, options(), jobs=jobs) == one
    assert pools == [2, 3]
    assert [r.path for r in one] == paths
    assert {r.path: codes(r) for r in one} == expected
    assert all(r.errors == () for r in one)
    by_path = {r.path: r for r in one}
    for path in expected:
        mentions = b"replicate" in Path(path).read_bytes()
        assert by_path[path].parsed == mentions, path
    # Each file's secret is its own: no finding leaks into another file's result.
    for result in one:
        assert all(f.path == result.path for f in result.findings)


def test_threads_running_use_a_non_fork_pool_with_the_same_results(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, pools: List[int]
) -> None:
    paths, _ = write_corpus(tmp_path, files=32, pad=14)
    monkeypatch.setattr(runner, "PARALLEL_MIN_BYTES", candidate_bytes(paths))  # just enough
    one = check_files(paths, options(), jobs=1)
    release = threading.Event()
    other = threading.Thread(target=release.wait)
    other.start()
    try:
        many = check_files(paths, options(), jobs=2)  # forking with a thread alive is unsafe
    finally:
        release.set()
        other.join()
    assert pools == [2]
    assert many == one


def deep_concatenation(n: int) -> str:
    return (
        "import replicate\n\nkey = "
        + " + ".join(['"a"'] * n)
        + '\nreplicate.run("a/b", input={"api_key": key})\n'
    )


@pytest.mark.parametrize("jobs", [pytest.param(1, id="one-worker"), pytest.param(2, id="pool")])
def test_a_file_that_errors_is_reported_and_the_others_still_checked(
    tmp_path: Path, jobs: int, pools: List[int]
) -> None:
    paths, expected = write_corpus(tmp_path)
    broken = tmp_path / "broken.py"
    broken.write_text("import replicate\n\ndef (:\n", encoding="utf-8")
    directory = tmp_path / "folder.py"
    directory.mkdir()
    missing = tmp_path / "gone.py"
    deep = tmp_path / "deep.py"
    deep.write_text(deep_concatenation(3000), encoding="utf-8")  # too deep for `ast` or the checker
    bad = [str(broken), str(directory), str(missing), str(deep)]
    everything = paths[:10] + bad[:2] + paths[10:40] + bad[2:] + paths[40:]

    results = check_files(everything, options(), jobs=jobs)

    assert pools == ([] if jobs == 1 else [jobs])
    assert [r.path for r in results] == everything
    by_path = {r.path: r for r in results}
    assert [e.message for e in by_path[str(broken)].errors] == [
        "syntax error: invalid syntax (line 3, column 5)"
    ]
    assert [e.message for e in by_path[str(directory)].errors] == ["is a directory"]
    assert [e.message[:13] for e in by_path[str(missing)].errors] == ["cannot read: "]
    deep_result = by_path[str(deep)]
    # Whether the checker copes with it or fails inside, the run goes on and says which file.
    assert deep_result.errors or codes(deep_result) == ("RS102",)
    if deep_result.errors:
        assert all(e.path == str(deep) for e in deep_result.errors)
    for path, codes_ in expected.items():
        assert codes(by_path[path]) == codes_, path
        assert by_path[path].errors == ()


def test_duplicate_paths_each_get_a_result(tmp_path: Path, pools: List[int]) -> None:
    paths, _ = write_corpus(tmp_path, files=8, pad=0)
    doubled = paths + paths[:3]
    results = check_files(doubled, options(), jobs=2)
    assert pools == [2]
    assert [r.path for r in results] == doubled
    assert results[-3:] == results[:3]


def test_no_paths() -> None:
    assert check_files([], options(), jobs=4) == []


@pytest.mark.parametrize(
    ("content", "matters"),
    [
        pytest.param(b"import replicate\n", True, id="module-name"),
        pytest.param(b"\xef\xbb\xbfimport replicate\n", True, id="after-a-bom"),
        pytest.param(b"import os, replicate as rp\n", True, id="import-list"),
        pytest.param(b"from replicate.client import Client\n", True, id="from-submodule"),
        pytest.param(b"def f():\n    import replicate\n", True, id="inside-a-function"),
        pytest.param(b"x = 1; import replicate\n", True, id="after-a-semicolon"),
        pytest.param(b"# replicate the rows\nimport os\n", False, id="prose-only"),
        pytest.param(b"from torch.nn.parallel import replicate\n", False, id="another-replicate"),
        pytest.param(b"import replicated\n", False, id="longer-name"),
        pytest.param(b'TOKEN = os.environ["REPLICATE_API_TOKEN"]\n', True, id="env-name"),
        pytest.param(b'x = "r8_FAKE0000000000000000000000000000000000"\n', True, id="token-prefix"),
        pytest.param(b"# Replicate-style runs are elsewhere\nimport os\n", False, id="title-case-only"),
        pytest.param(b"import torch\nreplica = 3\n", False, id="near-miss"),
        pytest.param(b"", False, id="empty"),
    ],
)
def test_the_byte_prefilter(tmp_path: Path, content: bytes, matters: bool) -> None:
    path = tmp_path / "m.py"
    path.write_bytes(content)
    assert might_matter(str(path)) is matters
    assert read_if_it_might_matter(str(path)) == ((True, content) if matters else (False, None))


def test_unreadable_paths_go_to_the_checker_to_be_reported(tmp_path: Path) -> None:
    assert read_if_it_might_matter(str(tmp_path / "missing.py")) == (True, None)
    assert read_if_it_might_matter(str(tmp_path)) == (True, None)


@pytest.mark.parametrize(
    ("sizes", "chunk_bytes", "chunks"),
    [
        pytest.param([], 10, [], id="nothing"),
        pytest.param([5, 30, 1, 30], 10, [[1], [3], [0, 2]], id="largest-first-stable"),
        pytest.param([4, 4, 4, 4, 4], 8, [[0, 1], [2, 3], [4]], id="even"),
        pytest.param([0, 0, 3], 100, [[2, 0, 1]], id="one-chunk"),
    ],
)
def test_chunks_by_size(sizes: List[int], chunk_bytes: int, chunks: List[List[int]]) -> None:
    assert chunks_by_size(sizes, chunk_bytes) == chunks


def test_cli_json_is_identical_with_one_job_and_two(tmp_path: Path) -> None:
    _, expected = write_corpus(tmp_path)
    (tmp_path / "pyproject.toml").write_text(
        '[tool.lint-secrets]\nschema-dir = "schemas"\n'
        '[tool.lint-secrets.models."acme/private-llm"]\nsecret-inputs = ["license_key"]\n',
        encoding="utf-8",
    )
    shutil.copytree(SCHEMAS, tmp_path / "schemas")  # a copy: a linked cache is refused

    def run(jobs: str) -> subprocess.CompletedProcess[str]:
        command = [
            sys.executable,
            "-m",
            "lint_secrets",
            "check",
            "--output-format",
            "json",
            "--jobs",
            jobs,
            ".",
        ]
        return subprocess.run(command, cwd=tmp_path, capture_output=True, text=True, timeout=120)

    one, two = run("1"), run("2")
    assert one.returncode == two.returncode == 1, one.stderr
    assert one.stdout == two.stdout
    assert one.stdout.count('"code": "RS10') == sum(len(c) for c in expected.values())


@pytest.mark.parametrize("jobs", [pytest.param(1, id="one-worker"), pytest.param(2, id="pool")])
def test_files_past_the_kept_bytes_budget_are_read_again_with_the_same_results(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, jobs: int, pools: List[int]
) -> None:
    paths, expected = write_corpus(tmp_path)
    unlimited = check_files(paths, options(), jobs=jobs)
    monkeypatch.setattr(runner, "KEEP_BYTES", 8 * 1024)  # only the first few files' bytes are kept
    assert check_files(paths, options(), jobs=jobs) == unlimited
    assert {r.path: codes(r) for r in unlimited} == expected


@pytest.mark.parametrize(
    ("estimate", "jobs", "workers"),
    [
        pytest.param(0.0, 4, 1, id="nothing-to-do"),
        pytest.param(0.05, 2, 1, id="less-than-two-starts"),
        pytest.param(0.2, 2, 2, id="worth-two"),
        pytest.param(0.15, 8, 2, id="worth-two-of-eight"),
        pytest.param(10.0, 8, 8, id="worth-all"),
        pytest.param(10.0, 1, 1, id="one-allowed"),
    ],
)
def test_workers_worth_starting(estimate: float, jobs: int, workers: int) -> None:
    assert runner.workers_worth_starting(estimate, jobs, pool_imported=True) == workers


@pytest.mark.parametrize(
    ("estimate", "imported", "workers"),
    [
        # 80 small files' worth after the probe: two workers would save 75 ms and cost 60 ms
        # to start and 30 ms to import the pool's modules.
        pytest.param(0.15, False, 1, id="not-worth-the-imports"),
        pytest.param(0.15, True, 2, id="imports-already-paid"),
        pytest.param(0.3, False, 2, id="worth-the-imports"),
    ],
)
def test_the_first_pool_of_a_run_pays_for_its_imports(estimate: float, imported: bool, workers: int) -> None:
    assert runner.workers_worth_starting(estimate, 2, pool_imported=imported) == workers


def test_whether_the_pool_s_modules_are_loaded_is_seen_in_this_process() -> None:
    import concurrent.futures.process  # noqa: F401  (loaded: nothing more to pay)

    assert runner.workers_worth_starting(0.15, 2) == runner.workers_worth_starting(
        0.15, 2, pool_imported=True
    )


def test_a_pool_is_started_only_when_the_measured_work_pays_for_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    started: List[int] = []
    in_pool = runner._in_pool

    def counting(*args: object) -> List[FileResult]:
        started.append(args[4])  # type: ignore[arg-type]
        return in_pool(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(runner, "_in_pool", counting)
    # Other work on the machine (other tests, other jobs) must not make the probe stand down.
    monkeypatch.setattr(runner, "BUSY_SHARE", 0.0)
    monkeypatch.setattr(runner, "_cores_free", lambda: 2)
    (tmp_path / "few").mkdir()
    (tmp_path / "many").mkdir()
    monkeypatch.setattr(runner.os, "cpu_count", lambda: 2)
    few, _ = write_corpus(tmp_path / "few", files=6, pad=0)
    check_files(few, options())
    assert started == []  # a pre-commit-sized run: cheaper in one process
    many, expected = write_corpus(tmp_path / "many", files=240, pad=40)
    results = check_files(many, options())
    assert started == [2]
    assert {r.path: codes(r) for r in results} == expected


def test_a_busy_machine_starts_no_pool(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Other work on every core: more processes would only share them."""
    started: List[int] = []
    monkeypatch.setattr(runner, "_in_pool", lambda *args: started.append(args[4]) or [])
    monkeypatch.setattr(runner, "BUSY_SHARE", 0.0)
    monkeypatch.setattr(runner, "_cores_free", lambda: 1)
    monkeypatch.setattr(runner.os, "cpu_count", lambda: 2)
    many, expected = write_corpus(tmp_path, files=240, pad=40)
    results = check_files(many, options())
    assert started == []
    assert {r.path: codes(r) for r in results} == expected


def test_jobs_given_are_started_as_asked(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    started: List[int] = []
    in_pool = runner._in_pool

    def counting(*args: object) -> List[FileResult]:
        started.append(args[4])  # type: ignore[arg-type]
        return in_pool(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(runner, "_in_pool", counting)
    monkeypatch.setattr(runner, "_cores_free", lambda: 1)  # even on a busy machine
    paths, expected = write_corpus(tmp_path, files=6, pad=0)
    results = check_files(paths, options(), jobs=2)
    assert started == [2]
    assert {r.path: codes(r) for r in results} == expected
