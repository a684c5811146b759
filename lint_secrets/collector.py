"""Pausing Python's cyclic garbage collector while a step makes only data that outlives it.

A full pass of the collector walks every container object the process holds. During a
file's check that is the file's whole tree and analysis, again and again; while a run
gathers its workers' results and renders its report, it is every result of the run, none
of which is cyclic garbage (on the 50,000-file tree, 0.4-0.5 s of the parent's time, in
three full passes). The little cyclic garbage such a step makes is collected after it.
"""

from __future__ import annotations

import gc
import threading
from contextlib import contextmanager
from typing import Iterator


@contextmanager
def collector_paused() -> Iterator[None]:
    """The cyclic collector off for the block, then as it was (a caller that turned it off
    keeps it off)."""
    collecting = gc.isenabled()
    try:
        # Inside the `try`: Ctrl-C handled just as `disable` returns must not leave it off.
        gc.disable()
        yield
    finally:
        if collecting:
            gc.enable()


@contextmanager
def collector_paused_if_alone() -> Iterator[None]:
    """`collector_paused` for a step that may last seconds (a pool's whole run), where this
    is the process's only thread: the collector is the process's, and a program that calls
    `check_files` while its own threads run (a server, an editor, a notebook kernel) would
    see their cyclic garbage pile up until the step ends."""
    if threading.active_count() > 1:
        yield
        return
    with collector_paused():
        yield
