"""The cyclic collector is paused where a step makes only data that outlives it (a file's
check, the pool's results, the report) and is back as it was after; workers collect."""

from __future__ import annotations

import gc
import multiprocessing
import os
import sys
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterator, List

import pytest
from conftest import SAMPLE, SCHEMAS

from lint_secrets import runner
from lint_secrets.collector import collector_paused, collector_paused_if_alone
from lint_secrets.config import CheckOptions, Config


@pytest.fixture
def full_passes() -> Iterator[List[int]]:
    """The generations the collector passes over while the test runs, with a threshold so
    low that any allocating step would pass over them if it were collecting."""
    passes: List[int] = []

    def seen(phase: str, info: Any) -> None:
        if phase == "start":
            passes.append(info["generation"])

    thresholds = gc.get_threshold()
    gc.set_threshold(10, 1, 1)
    gc.callbacks.append(seen)
    try:
        yield passes
    finally:
        gc.callbacks.remove(seen)
        gc.set_threshold(*thresholds)


def _make_cycles(n: int) -> None:
    for _ in range(n):
        cycle: List[Any] = []
        cycle.append(cycle)


def test_paused_means_no_pass_and_back_as_it_was(full_passes: List[int]) -> None:
    assert gc.isenabled()
    with collector_paused():
        before = len(full_passes)
        _make_cycles(1000)
        assert not gc.isenabled()
        passes_while_paused = len(full_passes) - before
    assert passes_while_paused == 0 and gc.isenabled()
    before = len(full_passes)
    _make_cycles(1000)
    assert len(full_passes) > before  # the test can fail: collecting again, it passes

    gc.disable()  # a caller that turned it off keeps it off
    try:
        with collector_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_a_pooled_run_takes_its_results_back_without_a_pass(tmp_path: Path, full_passes: List[int]) -> None:
    paths = []
    for i in range(6):
        path = tmp_path / f"speak_{i}.py"
        path.write_text(
            "import replicate\n\n"
            'replicate.run("example/text-to-speech", input={"text": "hi", '
            f'"elevenlabs_api_key": "el-{i}9c2d7a1f0b3e4c5d6a7b8c9d0e1f2a3b"}})\n'
        )
        paths.append(str(path))
    options = CheckOptions(config=Config(root=SAMPLE, schema_dir=SCHEMAS))
    passes_in_pool: List[List[int]] = []  # per pause taken inside `_in_pool`
    real_pause = runner.collector_paused_if_alone

    @contextmanager
    def watched_pause() -> Iterator[None]:
        with real_pause():
            caller = sys._getframe(2)  # past contextmanager's __enter__
            before = len(full_passes)
            yield
            if caller.f_code.co_name == "_in_pool":
                passes_in_pool.append(full_passes[before:])

    runner.collector_paused_if_alone = watched_pause  # type: ignore[assignment]
    try:
        results = runner.check_files(paths, options, jobs=2)
    finally:
        runner.collector_paused_if_alone = real_pause  # type: ignore[assignment]
    assert all(result.findings for result in results)
    assert passes_in_pool == [[]]  # the pool ran inside one pause, and no pass came in it
    assert gc.isenabled()


def test_workers_forked_from_a_paused_process_collect() -> None:
    """The pool is forked while the parent's collector is paused: `_init` turns it back on
    in each worker, whose checks make the little cyclic garbage collected between files."""
    context = multiprocessing.get_context("fork")
    options = CheckOptions(config=Config(root=SAMPLE, schema_dir=SCHEMAS))
    with collector_paused():
        with ProcessPoolExecutor(
            1,
            mp_context=context,
            initializer=runner._init,
            initargs=(options, [options.config], context.Event(), os.getpid(), True),
        ) as pool:
            assert pool.submit(gc.isenabled).result() is True
        with ProcessPoolExecutor(
            1,
            mp_context=context,
            initializer=runner._init,
            initargs=(options, [options.config], context.Event(), os.getpid(), False),
        ) as pool:
            assert pool.submit(gc.isenabled).result() is False  # a forked one: as the caller had it


def test_a_long_pause_waits_for_no_other_thread() -> None:
    """The collector is the process's: while another thread runs (a program calling
    `check_files` from a server or an editor), a pool's whole run does not pause it."""
    import threading

    with collector_paused_if_alone():
        assert not gc.isenabled()
    assert gc.isenabled()
    release = threading.Event()
    other = threading.Thread(target=release.wait)
    other.start()
    try:
        with collector_paused_if_alone():
            assert gc.isenabled()
        with collector_paused():  # a file's check still pauses it: its own garbage, briefly
            assert not gc.isenabled()
    finally:
        release.set()
        other.join()
    assert gc.isenabled()
