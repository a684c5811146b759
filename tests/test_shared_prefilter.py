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
from conftest import SAMPLE, SCHEMAS, files_read_again, tts_call, write_files

from lint_secrets import runner
from lint_secrets.checker import CheckOptions
from lint_secrets.config import Config
from lint_secrets.importers import only_import_lines
from lint_secrets.prefilter import imports
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


def _might_matter(shared: HalfPrefilter, position: int, path: str) -> Tuple[bool, Optional[bytes]]:
    """What `read_if_it_might_matter(path)` says, as the shared reading says it: the bytes
    of a file that might matter (of one that cannot, the helper reads none)."""
    matters, data = shared.read_and_test(position, path)
    return matters, data if matters else None


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
        answers = [_might_matter(shared, position, path) for position, path in enumerate(paths)]
    assert answers == _alone(paths)
    assert 100 < sum(matters for matters, _ in answers) < len(paths) - 100
    assert _gone(pid)


def test_an_odd_number_of_files_and_a_single_file(tmp_path: Path) -> None:
    paths = _tree(tmp_path, files=1)
    for chosen in (paths, paths[:1], []):
        with prefilter_shared(chosen, True) as shared:
            answers = [_might_matter(shared, position, path) for position, path in enumerate(chosen)]
        assert answers == _alone(chosen)


def test_a_helper_that_dies_leaves_its_files_to_this_process(tmp_path: Path) -> None:
    paths = _tree(tmp_path)
    with prefilter_shared(paths, True) as shared:
        os.kill(shared.helper, signal.SIGKILL)
        answers = [_might_matter(shared, position, path) for position, path in enumerate(paths)]
    assert answers == _alone(paths)


def test_a_file_changed_after_the_helper_read_it_is_checked_as_it_is_now(tmp_path: Path) -> None:
    # The helper only says whether a file might matter; the bytes checked are read here.
    paths = _tree(tmp_path, files=2)
    Path(paths[1]).write_bytes(b"import replicate\n")
    with prefilter_shared(paths[:2], True) as shared:
        assert _might_matter(shared, 0, paths[0]) == read_if_it_might_matter(paths[0])
        shared._answer(0)  # the helper's answer is in
        Path(paths[1]).write_bytes(b"import replicate  # changed\n")
        assert _might_matter(shared, 1, paths[1]) == (True, b"import replicate  # changed\n")


def _sent_lines_as_specified(
    paths: List[str], shared: HalfPrefilter, asked: bool = True
) -> List[Optional[bytes]]:
    """Asks `shared` for every answer and the import lines of each file, checking each
    against what the helper is to send: nothing if not `asked`, nor for the files it must
    answer `1` (they might matter), nor before one of its own files imports `replicate`;
    from then on, the import lines of each file it passes over (`only_import_lines`)."""
    sent = []
    helper_keeps = False
    for position, path in enumerate(paths):
        matters, data = _might_matter(shared, position, path)
        lines = shared.import_lines(position)
        sent.append(lines)
        if position % 2 == 0 or matters:
            assert lines is None, path
            if data is not None and imports(data, "replicate") and position % 2:
                helper_keeps = True
        elif helper_keeps and asked:
            assert lines == only_import_lines(Path(path).read_bytes()), path
        else:
            assert lines is None, path
    return sent


def test_the_helper_sends_the_import_lines_of_the_files_it_passes_over(tmp_path: Path) -> None:
    paths = _tree(tmp_path)
    with prefilter_shared(paths, True, with_import_lines=True) as shared:
        assert shared.helper, "no helper was forked: the test proves nothing"
        sent = _sent_lines_as_specified(paths, shared)
    assert sum(lines is not None for lines in sent) >= 50
    assert b"import os" in sent, "the files passed over that import something"
    with prefilter_shared(paths, True) as shared:  # not asked for: nothing sent
        assert shared.helper
        assert _sent_lines_as_specified(paths, shared, asked=False) == [None] * len(paths)


def test_import_lines_longer_than_a_read_of_the_pipe_arrive_whole(tmp_path: Path) -> None:
    # Each answer here is about 13 KiB: every 64 KiB read of the pipe ends inside one.
    long_lines = "from app.clients import (\n" + "".join(f"    name_{n},\n" for n in range(1000)) + ")\n"
    paths = []
    for i in range(60):
        path = tmp_path / f"m{i:03d}.py"
        path.write_text("import replicate\n" if i == 1 else long_lines + f"VALUE = {i}\n", encoding="utf-8")
        paths.append(str(path))
    with prefilter_shared(paths, True, with_import_lines=True) as shared:
        assert shared.helper
        sent = _sent_lines_as_specified(paths, shared)
    assert sum(lines is not None for lines in sent) == 29
    assert all(len(lines) > 12_000 for lines in sent if lines is not None)


def test_an_answer_cut_short_is_no_answer(tmp_path: Path) -> None:
    # A helper that dies while writing leaves a part of an answer in the pipe: the file it
    # was for, and every later one, are this process's to read.
    paths = [str(tmp_path / f"m{i}.py") for i in range(6)]
    for path in paths:
        Path(path).write_text("import os\n", encoding="utf-8")
    read_end, write_end = os.pipe()
    os.write(
        write_end,
        b"0" + b"2" + (9).to_bytes(4, "big") + b"import os" + b"2" + (9).to_bytes(4, "big") + b"impo",
    )
    os.close(write_end)
    shared = HalfPrefilter(0, read_end)
    try:
        assert shared.read_and_test(1, paths[1]) == (False, None)
        assert (shared.read_and_test(3, paths[3]), shared.import_lines(3)) == ((False, None), b"import os")
        assert shared.import_lines(3) is None, "asked once"
        assert (shared.read_and_test(5, paths[5]), shared.import_lines(5)) == ((False, b"import os\n"), None)
    finally:
        shared.stop()


def test_a_run_stopped_early_leaves_no_helper(tmp_path: Path) -> None:
    paths = _tree(tmp_path)
    with pytest.raises(KeyboardInterrupt), prefilter_shared(paths, True) as shared:
        pid = shared.helper
        _might_matter(shared, 1, paths[1])
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
    def recording(
        paths: Sequence[str], helped: bool, with_import_lines: bool = False
    ) -> Iterator[HalfPrefilter]:
        with real(paths, helped, with_import_lines) as shared:
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


def test_a_helped_run_reads_again_only_files_passed_over_before_replicate_is_seen(
    tmp_path: Path, helpers: List[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    # The files the helper passes over are asked through the import lines it sent, as this
    # process's own are: related_files reads again only what came before each side kept them.
    key = "el-FAKE-0a1b2c3d4e5f6789"
    files = {
        "app/__init__.py": "",  # first, so before either side keeps anything
        "app/a1.py": "import replicate\n\nclient = replicate.Client()\n",  # the helper's
        "app/a2.py": "import replicate\n\nother = replicate.Client()\n",  # this process's
    }
    for i in range(450):
        files[f"app/m{i:03d}.py"] = (
            "from app.a1 import client\n\n" + tts_call(f'"{key}"', on="client")
            if i % 25 == 7
            else f"import json\n\nVALUE = json.dumps({i})\n"
        )
    write_files(tmp_path, files)
    read = files_read_again(monkeypatch)
    paths = [str(tmp_path / name) for name in files]
    options = CheckOptions(config=Config(root=tmp_path, schema_dir=SCHEMAS))
    results = check_files(paths, options, roots=[str(tmp_path)])  # the whole project: no partial run
    assert helpers and helpers[0], "no helper was forked: the test proves nothing"
    assert set(read) == {"__init__.py"}  # asked once a round
    found = sorted(os.path.basename(r.path) for r in results for f in r.findings if f.code == "RS101")
    assert found == [f"m{i:03d}.py" for i in range(450) if i % 25 == 7]
    assert any(i % 2 for i, name in enumerate(files) if name.endswith(tuple(found))), (
        "none on the helper's side"
    )


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


def _flat_tree(root: Path, files: int = 500) -> Path:
    """`files` modules, one in fifty with a token: a run over them forks a helper and
    checks a few files, too few to start a pool."""
    root.mkdir()
    for i in range(files):
        token = f"r8_FAKE{i:04d}tYDAUOHWHNsOOJkayZoybMNtdC10D"
        body = f'import replicate\nreplicate.Client(api_token="{token}")\n'
        (root / f"m{i:04d}.py").write_text(body if i % 50 == 0 else f"X = {i}\n", encoding="utf-8")
    return root


def _run_driver(tmp_path: Path, source: str, *args: str) -> subprocess.CompletedProcess[str]:
    driver = tmp_path / "driver.py"
    driver.write_text(source, encoding="utf-8")
    command = [sys.executable, str(driver), *args]
    # Its output stays in its buffer until it exits, as a program's does on a pipe.
    environment = {name: value for name, value in os.environ.items() if name != "PYTHONUNBUFFERED"}
    return subprocess.run(command, capture_output=True, text=True, timeout=120, env=environment)


# A program that calls `check_files` (with a core taken as free) and receives a signal right
# after a fork, in the helper or in itself, before either process has done anything else:
# an at-fork hook installs a profile function that sends the signal at that process's first
# call. It prints before the run (kept in its buffer: stdout is a pipe), after it, and what
# the run left behind.
SIGNAL_AFTER_FORK = """
import os, signal, sys
from pathlib import Path
from lint_secrets import runner
from lint_secrets.config import CheckOptions, Config

runner._cores_free = lambda: 2
where, signum, tree = sys.argv[1], getattr(signal, sys.argv[2]), Path(sys.argv[3])
if signum == signal.SIGTERM:
    signal.signal(signal.SIGTERM, lambda *_: sys.exit("terminated"))
forks = []

def send_once(frame, event, arg):
    if frame.f_code is hook.__code__:  # the hook's own return
        return
    sys.setprofile(None)
    os.kill(os.getpid(), signum)

os.register_at_fork(before=lambda: forks.append(1))
hook = lambda: len(forks) == 1 and sys.setprofile(send_once)
os.register_at_fork(**{"after_in_child" if where == "helper" else "after_in_parent": hook})
paths = sorted(str(p) for p in tree.glob("*.py"))
print("before")
descriptors = len(os.listdir("/proc/self/fd"))
try:
    results = runner.check_files(paths, CheckOptions(config=Config(root=tree)))
    print("after", len(results), sum(bool(r.findings) for r in results))
except BaseException as exc:
    print("stopped by", type(exc).__name__)
try:
    print("a child is left:", os.waitpid(-1, os.WNOHANG))
except ChildProcessError:
    print("no child left")
print("descriptors left open:", len(os.listdir("/proc/self/fd")) - descriptors)
"""


@pytest.mark.parametrize(
    ("where", "signame", "outcome"),
    [
        ("helper", "SIGINT", "after 500 10"),  # Ctrl-C reaches the whole process group
        ("helper", "SIGTERM", "after 500 10"),  # so does a supervisor's stop of the group
        ("parent", "SIGINT", "stopped by KeyboardInterrupt"),
    ],
)
def test_a_signal_right_after_the_fork(tmp_path: Path, where: str, signame: str, outcome: str) -> None:
    # In the helper, the program's handler would unwind into the program's own code: its
    # report, its exit, its buffered output written a second time. In the program, it would
    # unwind before the helper's id is kept: a helper nobody reaps and a pipe left open.
    tree = _flat_tree(tmp_path / "tree")
    run = _run_driver(tmp_path, SIGNAL_AFTER_FORK, where, signame, str(tree))
    assert run.stderr == ""
    assert run.stdout.splitlines() == ["before", outcome, "no child left", "descriptors left open: 0"]
    assert run.returncode == 0


OUT_OF_DESCRIPTORS = """
import os, resource, sys
from pathlib import Path
from lint_secrets import runner
from lint_secrets.config import CheckOptions, Config
import lint_secrets.checker  # loaded while descriptors are free

runner._cores_free = lambda: 2
tree = Path(sys.argv[1])
paths = sorted(str(p) for p in tree.glob("*.py"))
options = CheckOptions(config=Config(root=tree))
resource.setrlimit(resource.RLIMIT_NOFILE, (256, 256))
taken = []
try:
    while True:
        taken.append(os.open(os.devnull, os.O_RDONLY))
except OSError:
    os.close(taken.pop())
for jobs in (None, 1):
    try:
        results = runner.check_files(paths, options, jobs)
        print(len(results), sum(bool(r.findings) for r in results), sum(bool(r.errors) for r in results))
    except OSError as exc:
        print("failed:", exc)
"""


def test_a_program_with_one_descriptor_free_gets_the_same_results(tmp_path: Path) -> None:
    # A file needs one descriptor, the helper's pipe two: without them, no helper.
    tree = _flat_tree(tmp_path / "tree")
    run = _run_driver(tmp_path, OUT_OF_DESCRIPTORS, str(tree))
    assert run.stderr == ""
    assert run.stdout.splitlines() == ["500 10 0", "500 10 0"]


AT_EXIT = """
import atexit, sys
from pathlib import Path
from lint_secrets import runner
from lint_secrets.config import CheckOptions, Config

runner._cores_free = lambda: 2
tree = Path(sys.argv[1])

def lint_at_exit():
    paths = sorted(str(p) for p in tree.glob("*.py"))
    results = runner.check_files(paths, CheckOptions(config=Config(root=tree)))
    print(len(results), sum(bool(r.findings) for r in results))

atexit.register(lint_at_exit)
"""


def test_a_run_from_an_atexit_handler(tmp_path: Path) -> None:
    # Python 3.12 refuses to fork while the interpreter shuts down (RuntimeError): no helper then.
    tree = _flat_tree(tmp_path / "tree")
    run = _run_driver(tmp_path, AT_EXIT, str(tree))
    assert (run.stdout, run.stderr) == ("500 10\n", "")
