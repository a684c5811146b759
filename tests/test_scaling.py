"""Growth, not speed: the same shape at n and at 4n must cost about 4x as much, never n².

These tests time nothing against a clock: they compare the CPU time of one shape at two
sizes, measured in this process, so a busy machine slows both sizes alike. A step that is
linear grows about 4x; one that is quadratic grows about 16x. The limit sits between, with
room for noise. (How fast the tool is goes in benchmarks/run.py, which prints numbers.)
"""

from __future__ import annotations

import gc
import json
import random
import string
import time
from pathlib import Path
from typing import Callable, List

import pytest
from conftest import SAMPLE, SCHEMAS, make_worker

from lint_secrets.config import CheckOptions, Config
from lint_secrets.findings import FileResult
from lint_secrets.runner import check_files

GROWTH = 4
GROWTH_LIMIT = 8.0  # linear: ~4x; quadratic: ~16x
REPEATS = 3
ATTEMPTS = 3

_random = random.Random(20261129)


def _secret() -> str:
    return "el-" + "".join(_random.choice(string.ascii_letters + string.digits) for _ in range(28))


def _cpu_seconds(action: Callable[[], object]) -> float:
    """The least CPU time of a few runs: the run least disturbed by everything else. The
    cyclic garbage collector is paused while timing: when its passes fall depends on what
    earlier tests left alive, not on the step measured."""
    best = float("inf")
    for _ in range(REPEATS):
        gc.collect()
        gc.disable()
        try:
            started = time.process_time()
            action()
            best = min(best, time.process_time() - started)
        finally:
            gc.enable()
    return best


def _assert_linear(cost: Callable[[int], float], n: int) -> None:
    """Fails when every one of a few measurements grows past the limit. A linear step grows
    3.3x-5.4x here on a quiet machine, and once in a while past 8x while CI shares it (a run
    of 0.036 s against one of 0.295 s); a quadratic one grows about 16x on every attempt, so
    measuring again only forgives a disturbed measurement, never a quadratic step. (A step
    between the two, n^1.5 at 8x, may pass on a lucky attempt: the limit is for n².)"""
    measured = []
    for attempt in range(ATTEMPTS):
        # Turn about, so that a machine slowing down or speeding up favours neither size.
        if attempt % 2:
            large, small = cost(GROWTH * n), cost(n)
        else:
            small, large = cost(n), cost(GROWTH * n)
        growth = large / max(small, 1e-6)
        if growth < GROWTH_LIMIT:
            return
        measured.append(f"{growth:.1f}x ({small:.3f} s -> {large:.3f} s)")
    raise AssertionError(f"{GROWTH}x the input cost, on each of {ATTEMPTS} attempts: " + "; ".join(measured))


_WORKER = make_worker()  # one schema cache, read once: its cost is not the file's


def _check(source: str) -> FileResult:
    return _WORKER.check_bytes("scale.py", source.encode("utf-8"))


def _many_findings(n: int) -> str:
    calls = (
        f'replicate.run("example/text-to-speech", input={{"text": "t{i}", '
        f'"elevenlabs_api_key": "{_secret()}"}})\n'
        for i in range(n)
    )
    return "import replicate\n\n" + "".join(calls)


def _many_functions(n: int) -> str:
    functions = (
        f"def chat_{i}(client, prompt):\n"
        f'    return client.run("example/official-chat", input={{"prompt": prompt, "max_tokens": {i}}})\n\n'
        for i in range(n)
    )
    return "import replicate\n\n" + "".join(functions)


def _many_bindings(n: int) -> str:
    branches = "".join(f'if MODE == {i}:\n    KEY = "{_secret()}"\n' for i in range(n))
    return (
        "import replicate\n\nMODE = 0\n"
        + branches
        + 'replicate.run("example/text-to-speech", input={"elevenlabs_api_key": KEY})\n'
    )


def _update_chain(n: int) -> str:
    updates = "".join("payload.update(payload)\n" for _ in range(n))
    return (
        "import replicate\n\n"
        f'payload = {{"text": "hi", "elevenlabs_api_key": "{_secret()}"}}\n'
        + updates
        + 'replicate.run("example/text-to-speech", input=payload)\n'
    )


def _wide_input(n: int) -> str:
    keys = ", ".join(f'"option_{i}": {i}' for i in range(n))
    return (
        "import replicate\n\n"
        f'replicate.run("example/text-to-speech", input={{{keys}, "elevenlabs_api_key": "{_secret()}"}})\n'
    )


def _many_constants(n: int) -> str:
    constants = "".join(f'KEY_{i} = "{_secret()}"\n' for i in range(n))
    calls = "".join(
        f'replicate.run("example/text-to-speech", input={{"elevenlabs_api_key": KEY_{i}}})\n'
        for i in range(n)
    )
    return "import replicate\n\n" + constants + calls


def _token() -> str:
    return "r8_" + "".join(_random.choice(string.ascii_letters + string.digits) for _ in range(37))


def _many_tokens(n: int) -> str:
    """A token in each of n clients, and old ones in their comments: the text scan finds them
    all, and each is told apart from the literals the rules already looked at."""
    lines = ["import replicate\n\n"]
    for i in range(n):
        earlier = " ".join(_token() for _ in range(8))
        lines.append(f'client_{i} = replicate.Client(api_token="{_token()}")  # was: {earlier}\n')
    return "".join(lines)


SHAPES = [
    pytest.param(_many_findings, 200, id="findings"),
    pytest.param(_many_functions, 1000, id="lines-without-findings"),
    pytest.param(_many_bindings, 200, id="bindings-of-one-name"),
    pytest.param(_update_chain, 1200, id="update-chain"),
    pytest.param(_wide_input, 1000, id="wide-input-dict"),
    pytest.param(_many_constants, 200, id="constants-and-uses"),
    pytest.param(_many_tokens, 400, id="tokens-in-literals-and-comments"),
]


@pytest.mark.parametrize(("make", "n"), SHAPES)
def test_checking_grows_linearly(make: Callable[[int], str], n: int) -> None:
    sources = {size: make(size) for size in (n, GROWTH * n)}
    checked = _check(sources[n])
    assert checked.parsed and not checked.errors  # parsed and analysed, not skipped by the prefilter
    if make is not _many_functions:
        assert checked.findings
    _assert_linear(lambda size: _cpu_seconds(lambda: _check(sources[size])), n)


def test_concatenated_secret_grows_linearly() -> None:
    # Deeply nested on the left (`((a + b) + c) + ...`): kept below the recursion limit.
    def source(n: int) -> str:
        parts = " + ".join(f'"{_random.choice(string.ascii_letters)}"' for _ in range(n))
        return (
            "import replicate\n\n"
            f'replicate.run("example/text-to-speech", input={{"elevenlabs_api_key": "el-" + {parts}}})\n'
        )

    sources = {size: source(size) for size in (60, 240)}
    assert _check(sources[60]).findings
    _assert_linear(lambda size: _cpu_seconds(lambda: _check(sources[size])), 60)


@pytest.mark.parametrize(
    "make, n",
    [pytest.param(_many_findings, 50, id="findings"), pytest.param(_many_constants, 50, id="constants")],
)
def test_fixing_grows_linearly(tmp_path: Path, make: Callable[[int], str], n: int) -> None:
    """The fix path (plan, run-level names, LibCST rewrite, diff) is linear in findings too."""
    paths = {}
    for size in (n, GROWTH * n):
        path = tmp_path / f"scale_{size}.py"
        path.write_text(make(size), encoding="utf-8")
        paths[size] = str(path)
    options = CheckOptions(config=Config(root=SAMPLE, schema_dir=SCHEMAS), diff=True)

    def diff(size: int) -> List[FileResult]:
        return check_files([paths[size]], options, jobs=1)

    assert diff(n)[0].diff
    _assert_linear(lambda size: _cpu_seconds(lambda: diff(size)), n)


def test_notebook_cells_grow_linearly(tmp_path: Path) -> None:
    def notebook(n: int) -> bytes:
        cells = [
            {
                "cell_type": "code",
                "metadata": {},
                "execution_count": None,
                "outputs": [],
                "source": [
                    f'KEY_{i} = "{_secret()}"\n',
                    "import replicate\n",
                    f'replicate.run("example/text-to-speech", input={{"elevenlabs_api_key": KEY_{i}}})\n',
                ],
            }
            for i in range(n)
        ]
        document = {"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
        return json.dumps(document, indent=1).encode("utf-8")

    worker = _WORKER
    books = {size: notebook(size) for size in (60, 240)}
    assert worker.check_bytes("scale.ipynb", books[60]).findings
    _assert_linear(lambda size: _cpu_seconds(lambda: worker.check_bytes("scale.ipynb", books[size])), 60)


# -- Across modules (issue 11): a project's modules import their values from each other.
# Each module is parsed once per worker however many modules import it, and what a name
# holds is worked out once per module, so a run over n modules costs linear work.


def _services_project(directory: Path, n: int) -> List[str]:
    """A settings module of n constants and a settings object; n service modules, each
    sending a constant of the settings module, one of the service before it, and a field
    of the shared settings object, through a client made in another module."""
    package = directory / "app"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text("")
    constants = "".join(f'KEY_{i} = "{_secret()}"\n' for i in range(n))
    (package / "settings.py").write_text(
        "import os\n\n" + constants + "\n\nclass Settings:\n"
        f'    elevenlabs_api_key = "{_secret()}"\n    timeout = 30\n\n\nsettings = Settings()\n'
    )
    (package / "clients.py").write_text("import replicate\n\nclient = replicate.Client()\n")
    for i in range(n):
        before = f"from .svc_{i - 1:05d} import OWN_{i - 1}\n" if i else ""
        sent = f"OWN_{i - 1}" if i else f"KEY_{i}"
        (package / f"svc_{i:05d}.py").write_text(
            "import replicate\n\n"
            "from .clients import client\n"
            f"from .settings import KEY_{i}, settings\n" + before + f'\nOWN_{i} = "{_secret()}"\n\n\n'
            f"def speak_{i}(text):\n"
            f'    client.run("example/text-to-speech", input={{"text": text, "elevenlabs_api_key": KEY_{i}}})'
            "\n"
            f'    client.run("example/text-to-speech", input={{"text": text, "elevenlabs_api_key": {sent}}})'
            "\n"
            '    return replicate.run("example/text-to-speech", '
            'input={"text": text, "elevenlabs_api_key": settings.elevenlabs_api_key})\n'
        )
    return sorted(str(path) for path in package.glob("*.py"))


def _reexport_chain(directory: Path, n: int) -> List[str]:
    """`mod_0` writes KEY; each next module re-exports it (`from .mod_{i-1} import KEY`) and
    sends it: a chain of n modules."""
    package = directory / "chain"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "mod_00000.py").write_text(f'KEY = "{_secret()}"\n')
    for i in range(1, n):
        (package / f"mod_{i:05d}.py").write_text(
            f"import replicate\n\nfrom .mod_{i - 1:05d} import KEY\n\n"
            'replicate.run("example/text-to-speech", input={"elevenlabs_api_key": KEY})\n'
        )
    return sorted(str(path) for path in package.glob("*.py"))


PROJECT_SHAPES = [
    pytest.param(_services_project, 40, id="services-importing-settings-and-each-other"),
    pytest.param(_reexport_chain, 50, id="re-export-chain"),
]


@pytest.mark.parametrize(("make", "n"), PROJECT_SHAPES)
def test_checking_a_project_grows_linearly(
    tmp_path: Path, make: Callable[[Path, int], List[str]], n: int
) -> None:
    """A whole project checked (a directory walk): first pass, imported findings, second pass."""
    paths = {size: make(tmp_path / str(size), size) for size in (n, GROWTH * n)}
    options = {
        size: CheckOptions(config=Config(root=tmp_path / str(size), schema_dir=SCHEMAS)) for size in paths
    }

    def run(size: int) -> List[FileResult]:
        return check_files(paths[size], options[size], jobs=1, roots=[str(tmp_path / str(size))])

    found = [f for result in run(n) for f in result.findings]
    assert found and all("run call at" in f.message for f in found if f.code != "RS103")
    _assert_linear(lambda size: _cpu_seconds(lambda: run(size)), n)


@pytest.mark.parametrize(("make", "n"), PROJECT_SHAPES)
def test_each_module_is_parsed_once_per_worker(
    tmp_path: Path, make: Callable[[Path, int], List[str]], n: int
) -> None:
    from lint_secrets.checker import Worker

    paths = make(tmp_path, n)
    worker = Worker(CheckOptions(config=Config(root=tmp_path, schema_dir=SCHEMAS)))
    exported = [finding for path in paths for finding in worker.check_path(path).exported]
    assert exported
    # Every module but the last of each shape is imported by another; none is parsed twice.
    assert worker.project.parsed <= len(paths)


def test_settings_staged_alone_grows_linearly_in_its_importers(tmp_path: Path) -> None:
    """A pre-commit run that stages only the settings module: the project's unchecked modules
    that send its values are found and analysed, in linear work."""
    for size in (40, GROWTH * 40):
        _services_project(tmp_path / str(size), size)

    def run(size: int) -> List[FileResult]:
        root = tmp_path / str(size)
        settings = str(root / "app" / "settings.py")
        return check_files([settings], CheckOptions(config=Config(root=root, schema_dir=SCHEMAS)), jobs=1)

    reported = [f for result in run(40) for f in result.findings if f.path.endswith("settings.py")]
    assert len(reported) == 40 + 1  # every constant and the settings field, each once
    _assert_linear(lambda size: _cpu_seconds(lambda: run(size)), 40)


def test_reporting_many_findings_of_one_file_grows_linearly() -> None:
    """Each report line is scrubbed of every secret of its file: looked up, not searched one
    by one (a 5 MB file's 3,151 findings cost 10 million searches)."""
    from lint_secrets.redact import Scrubber

    def cost(n: int) -> float:
        secrets = [_secret() for _ in range(n)]
        lines = [
            f"app.py:{i}:7: RS101 Hardcoded secret {s[:4]}... for input 'k'" for i, s in enumerate(secrets)
        ]
        scrub = Scrubber(secrets, min_length=8)
        return _cpu_seconds(lambda: [scrub(line) for line in lines])

    _assert_linear(cost, 400)


def test_reporting_many_keys_of_one_kind_grows_linearly() -> None:
    """Keys of one kind share their first characters (`sk-proj-`, `r8_`): the lines about
    them are scrubbed by a lookup, not by trying every key that starts alike."""
    from lint_secrets.redact import Scrubber

    def cost(n: int) -> float:
        secrets = ["sk-proj-" + _secret() for _ in range(n)]
        lines = [
            f"app.py:{i}:7: RS101 Hardcoded secret {s[:4]}... for input 'k'" for i, s in enumerate(secrets)
        ]
        scrub = Scrubber(secrets, min_length=8)
        return _cpu_seconds(lambda: [scrub(line) for line in lines])

    _assert_linear(cost, 1000)


def test_a_checked_files_tree_is_freed_after_its_check() -> None:
    """Nothing keeps a file's syntax tree once its check is done: a tree kept alive (a cache
    whose value held its own key) made every later collection of the run walk it, and a
    20 MB file's run hold gigabytes."""
    import ast

    def trees() -> int:
        gc.collect()
        return sum(1 for o in gc.get_objects() if isinstance(o, ast.Module))

    before = trees()
    # Module-level constants with fixes: whether a fix changes what importing does is asked.
    checked = _check(_many_constants(20))
    assert any(f.fix for f in checked.findings)
    assert trees() == before


def test_the_growth_check_fails_a_quadratic_step_on_every_attempt() -> None:
    """Measuring again forgives a disturbed measurement, never a quadratic step. Costs made
    up, not timed: whether the check itself is right must not hang on the machine."""
    asked: List[int] = []

    def quadratic(n: int) -> float:
        asked.append(n)
        return float(n * n)

    with pytest.raises(AssertionError, match=f"on each of {ATTEMPTS} attempts: 16.0x"):
        _assert_linear(quadratic, 100)
    assert asked == [100, 400, 400, 100, 100, 400]  # both sizes again, turn about

    _assert_linear(lambda n: float(n), 100)  # linear: 4x, on the first attempt

    disturbed = iter([1.0, 9.0, 4.2, 1.0])  # the first large measurement caught a busy machine
    _assert_linear(lambda n: next(disturbed), 100)
    with pytest.raises(StopIteration):
        next(disturbed)  # and the second attempt, under the limit, was the last
