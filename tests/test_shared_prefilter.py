"""Reading and byte-testing shared with a forked helper: the same answers as one process,
in the same order, whatever the helper does, and no helper outlives the run."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import threading
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator, List, Optional, Sequence, Tuple

import pytest
from conftest import SAMPLE, SCHEMAS

from lint_secrets import runner
from lint_secrets.checker import CheckOptions
from lint_secrets.config import Config
from lint_secrets.runner import (
    HalfPrefilter,
    check_files,
    prefilter_helper_pays,
    prefilter_shared,
    read_if_it_might_matter,
)

pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="the helper is forked on Linux only"
)

CONTENTS = [
    b"import os\n\nprint(os.getcwd())\n",
    b"import replicate\n",
    b"# replicate the rows\nimport os\n",
    b'TOKEN = os.environ["REPLICATE_API_TOKEN"]\n',
    b'x = "r8_FAKE0000000000000000000000000000000000"\n',
    b"from cog import BasePredictor, Secret\n",
    b"def recognize():\n    return 8\n",
    b"",
]


def _tree(root: Path, files: int = 700, seed: int = 17) -> List[str]:
    """`files` paths of every kind the prefilter meets: clean and matching files, a missing
    one, a directory, a file larger than the reader takes, in a random order."""
    rng = random.Random(seed)
    paths = []
    for i in range(files):
        path = root / f"m{i:04d}.py"
        path.write_bytes(rng.choice(CONTENTS) * rng.randint(1, 40))
        paths.append(str(path))
    (root / "package.py").mkdir()
    paths.insert(rng.randrange(len(paths)), str(root / "package.py"))
    paths.insert(rng.randrange(len(paths)), str(root / "missing.py"))
    return paths


def _alone(paths: List[str]) -> List[Tuple[bool, Optional[bytes]]]:
    return [read_if_it_might_matter(path) for path in paths]


def _gone(pid: int) -> bool:
    try:
        os.waitpid(pid, os.WNOHANG)
    except ChildProcessError:
        return True
    return False


def test_the_helper_answers_as_this_process_would(tmp_path: Path) -> None:
    paths = _tree(tmp_path)
    with prefilter_shared(paths, True) as shared:
        pid = shared.helper
        assert pid, "no helper was forked: the test proves nothing"
        answers = [shared.read_if_it_might_matter(position, path) for position, path in enumerate(paths)]
    assert answers == _alone(paths)
    assert 100 < sum(matters for matters, _ in answers) < len(paths) - 100
    assert _gone(pid)


def test_an_odd_number_of_files_and_a_single_file(tmp_path: Path) -> None:
    paths = _tree(tmp_path, files=1)
    for chosen in (paths, paths[:1], []):
        with prefilter_shared(chosen, True) as shared:
            answers = [shared.read_if_it_might_matter(position, path) for position, path in enumerate(chosen)]
        assert answers == _alone(chosen)


def test_a_helper_that_dies_leaves_its_files_to_this_process(tmp_path: Path) -> None:
    paths = _tree(tmp_path)
    with prefilter_shared(paths, True) as shared:
        os.kill(shared.helper, signal.SIGKILL)
        answers = [shared.read_if_it_might_matter(position, path) for position, path in enumerate(paths)]
    assert answers == _alone(paths)


def test_a_file_changed_after_the_helper_read_it_is_checked_as_it_is_now(tmp_path: Path) -> None:
    # The helper only says whether a file might matter; the bytes checked are read here.
    paths = _tree(tmp_path, files=2)
    Path(paths[1]).write_bytes(b"import replicate\n")
    with prefilter_shared(paths[:2], True) as shared:
        assert shared.read_if_it_might_matter(0, paths[0]) == read_if_it_might_matter(paths[0])
        shared._answer(0)  # the helper's answer is in
        Path(paths[1]).write_bytes(b"import replicate  # changed\n")
        assert shared.read_if_it_might_matter(1, paths[1]) == (True, b"import replicate  # changed\n")


def test_a_run_stopped_early_leaves_no_helper(tmp_path: Path) -> None:
    paths = _tree(tmp_path)
    with pytest.raises(KeyboardInterrupt), prefilter_shared(paths, True) as shared:
        pid = shared.helper
        shared.read_if_it_might_matter(1, paths[1])
        raise KeyboardInterrupt
    assert _gone(pid)


def test_the_helper_is_forked_only_where_it_pays(monkeypatch: pytest.MonkeyPatch) -> None:
    many = [f"m{i}.py" for i in range(runner.SPLIT_PREFILTER_MIN_FILES)]
    monkeypatch.setattr(runner, "_cores_free", lambda: 2)
    assert prefilter_helper_pays(many, None)
    assert prefilter_helper_pays(many, 2)
    assert not prefilter_helper_pays(many, 1), "--jobs 1 means one process"
    assert not prefilter_helper_pays(many[1:], None), "too few files to pay for a fork"
    monkeypatch.setattr(runner, "_cores_free", lambda: 1)
    assert not prefilter_helper_pays(many, None), "no core free for it"
    monkeypatch.setattr(runner, "_cores_free", lambda: 2)
    release = threading.Event()
    thread = threading.Thread(target=release.wait)
    thread.start()
    try:
        assert not prefilter_helper_pays(many, None), "forking with other threads running can deadlock"
    finally:
        release.set()
        thread.join()


@pytest.fixture
def helpers(monkeypatch: pytest.MonkeyPatch) -> List[int]:
    """The helpers the runs fork (0: none), with a core taken as free whatever the load."""
    forked: List[int] = []
    real = runner.prefilter_shared
    monkeypatch.setattr(runner, "_cores_free", lambda: 2)

    @contextmanager
    def recording(paths: Sequence[str], helped: bool) -> Iterator[HalfPrefilter]:
        with real(paths, helped) as shared:
            forked.append(shared.helper)
            yield shared

    monkeypatch.setattr(runner, "prefilter_shared", recording)
    return forked


def test_a_whole_run_finds_the_same_with_and_without_the_helper(tmp_path: Path, helpers: List[int]) -> None:
    rng = random.Random(5)
    paths = []
    for i in range(500):
        path = tmp_path / f"m{i:03d}.py"
        if rng.random() < 0.2:
            path.write_text(
                'import replicate\n\nreplicate.run("example/text-to-speech", input={"text": "hi", '
                f'"elevenlabs_api_key": "el-FAKE-{i:04d}aa11bb22cc33dd44"}})\n',
                encoding="utf-8",
            )
        else:
            path.write_text(f"def f{i}():\n    return {i}\n", encoding="utf-8")
        paths.append(str(path))
    options = CheckOptions(config=Config(root=SAMPLE, schema_dir=SCHEMAS))
    shared = check_files(paths, options)
    assert helpers and all(helpers), "no helper was forked: the test proves nothing"
    alone = check_files(paths, options, jobs=1)
    assert helpers[-1] == 0, "--jobs 1 forked a helper"
    assert shared == alone
    assert 50 < sum(bool(r.findings) for r in alone) < 150
    assert all(_gone(pid) for pid in helpers if pid)


def test_the_cli_reports_alike_with_and_without_the_helper(tmp_path: Path) -> None:
    # Whether the default run forks depends on the load; its report never does.
    for i in range(450):
        body = (
            f'import replicate\nreplicate.Client(api_token="r8_FAKE{i:04d}tYDAUOHWHNsOOJkayZoybMNtdC10D")\n'
        )
        (tmp_path / f"m{i:03d}.py").write_text(body if i % 9 == 0 else f"X = {i}\n", encoding="utf-8")

    def run(*extra: str) -> subprocess.CompletedProcess[str]:
        command = [sys.executable, "-m", "lint_secrets", "check", "--output-format", "json", *extra, "."]
        return subprocess.run(command, cwd=tmp_path, capture_output=True, text=True, timeout=120)

    default, one = run(), run("--jobs", "1")
    assert default.returncode == one.returncode == 1, default.stderr
    assert default.stdout == one.stdout
    assert len(json.loads(one.stdout)["findings"]) == 50
