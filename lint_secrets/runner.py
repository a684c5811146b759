"""Running the checker over many files, in parallel when there are enough to pay for it.

Every file is read once, here, and tested for the byte needles; most files of a large tree
stop there. The rest are checked in this process when they are few, or in a process pool
when their total size pays for starting one (forked on Linux, so the pool starts in a few
milliseconds and the workers inherit the bytes already read instead of reading them again
or receiving them through a pipe). Work goes out largest files first, in chunks of about
`CHUNK_BYTES`, so one big file does not leave the other cores idle at the end.
Results always come back in the order the paths were given.
"""

from __future__ import annotations

import os
import sys
import threading
from dataclasses import replace
from typing import TYPE_CHECKING, Dict, List, Optional, Sequence, Tuple

from lint_secrets.checker import CheckOptions, FileResult, Worker
from lint_secrets.env_names import NameRequest, assign_run_names
from lint_secrets.findings import Applicability, FileError
from lint_secrets.prefilter import could_hold_findings
from lint_secrets.source import SourceError, read_source

if TYPE_CHECKING:
    from concurrent.futures import Future

# A pool is started only when the files to parse add up to this many bytes (with at least
# two files). Measured on a 2-core machine: a forked pool of two costs about 20-30 ms to
# start and stop; checking costs about 0.5 ms per KiB of source (parse + analysis), so below
# ~100 KiB (about 3,000 lines) one process finishes first.
PARALLEL_MIN_BYTES = 100 * 1024
# Work is handed out in chunks of about this many bytes (~1,500 lines, ~30 ms of work): large
# enough that queueing costs nothing measurable, small enough to balance two or more workers.
CHUNK_BYTES = 48 * 1024
# Kept for callers that think in files: fewer files than this never start a pool.
PARALLEL_THRESHOLD = 2
# The bytes kept between the prefilter and the check are capped: past this, files are read
# again by whoever checks them, so memory stays flat on trees where many files matter.
KEEP_BYTES = 64 * 1024 * 1024

# What forked workers inherit: the options and the (path, bytes) of every file to check.
_worker: Optional[Worker] = None
_inherited: Sequence[Tuple[str, Optional[bytes]]] = ()


def _init(options: CheckOptions) -> None:
    global _worker
    _worker = Worker(options)


def _check_one(worker: Worker, path: str, data: Optional[bytes]) -> FileResult:
    """One file's result; an unexpected failure becomes that file's error, never the run's."""
    try:
        return worker.check_path(path) if data is None else worker.check_bytes(path, data)
    except Exception as exc:  # a bug met on one file must not stop the others
        detail = str(exc).splitlines()[0] if str(exc) else ""
        message = f"internal error: {type(exc).__name__}{': ' + detail if detail else ''}; please report it"
        return FileResult(path, errors=(FileError(path, message),))


def _check_inherited(indexes: Sequence[int]) -> List[FileResult]:
    assert _worker is not None
    return [_check_one(_worker, *_inherited[i]) for i in indexes]


def _check_paths(paths: Sequence[str]) -> List[FileResult]:
    assert _worker is not None
    return [_check_one(_worker, path, None) for path in paths]


def read_if_it_might_matter(path: str) -> Tuple[bool, Optional[bytes]]:
    """The cheap byte-level test, and the bytes so nobody reads the file again.

    (False, None): cannot hold a finding. (True, data): check `data`. (True, None): reading
    failed or the file is too large; the worker reads it again and reports why.
    """
    try:
        data = read_source(path)
    except SourceError:
        return True, None
    if could_hold_findings(data):
        return True, data
    return False, None


def might_matter(path: str) -> bool:
    """Whether the file mentions Replicate or a token, so it has to be parsed."""
    return read_if_it_might_matter(path)[0]


def chunks_by_size(sizes: Sequence[int], chunk_bytes: int = CHUNK_BYTES) -> List[List[int]]:
    """Indexes into `sizes`, largest first, grouped into chunks of about `chunk_bytes`."""
    order = sorted(range(len(sizes)), key=lambda i: (-sizes[i], i))
    chunks: List[List[int]] = []
    current: List[int] = []
    total = 0
    for i in order:
        current.append(i)
        total += sizes[i]
        if total >= chunk_bytes:
            chunks.append(current)
            current, total = [], 0
    if current:
        chunks.append(current)
    return chunks


def _can_fork() -> bool:
    # fork is fast and shares what is already read; elsewhere (macOS, Windows) it is unsafe
    # or missing, and forking a process with other threads running can deadlock.
    return sys.platform.startswith("linux") and threading.active_count() == 1


def check_files(paths: Sequence[str], options: CheckOptions, jobs: Optional[int] = None) -> List[FileResult]:
    """Results for every path, in the order given.

    A run that fixes (or shows fixes) goes in two passes so one variable never gets two
    values: every file is planned first (no rewriting, so as cheap as a check), then the
    names of the whole run are assigned in sorted path order, here in the parent process,
    and only the files with fixes are checked again with those names and rewritten.
    """
    if not (options.fix or options.diff or options.describe_fixes):
        return _check_all(paths, options, jobs)
    planned = _check_all(paths, replace(options, fix=False, diff=False, describe_fixes=False), jobs)
    run_names = assign_run_names([request for result in planned for request in _name_requests(result)])
    again = [
        result.path
        for result in planned
        if any(f.fix is not None and _may_apply(f.fix.applicability, options) for f in result.findings)
    ]
    results = {result.path: result for result in planned}
    if again:
        fixing = replace(
            options, run_env_names={p: run_names.names[p] for p in again if p in run_names.names}
        )
        for result in _check_all(again, fixing, jobs):
            results[result.path] = result
    for path, notes in run_names.notes.items():
        if path in results:
            results[path] = replace(results[path], notes=results[path].notes + notes)
    return [results[path] for path in paths]


def _may_apply(applicability: Applicability, options: CheckOptions) -> bool:
    return applicability is Applicability.SAFE or options.unsafe_fixes or options.describe_fixes


def _name_requests(result: FileResult) -> List[NameRequest]:
    requests = []
    for finding in result.findings:
        fix = finding.fix
        if fix is not None and fix.env_base:
            fixed = fix.kind in ("drop-default", "delete-statement")
            requests.append(NameRequest(result.path, finding.line, fix.env_base, fix.secret, fixed))
    return requests


def _check_all(paths: Sequence[str], options: CheckOptions, jobs: Optional[int]) -> List[FileResult]:
    results: Dict[str, FileResult] = {}
    todo: List[Tuple[str, Optional[bytes]]] = []
    sizes: List[int] = []
    kept = 0
    for path in dict.fromkeys(paths):
        matters, data = read_if_it_might_matter(path)
        if not matters:
            results[path] = FileResult(path)
            continue
        size = len(data) if data is not None else 0
        kept += size
        todo.append((path, data if kept <= KEEP_BYTES else None))
        sizes.append(size)
    jobs = min(jobs or os.cpu_count() or 1, len(todo))
    if jobs > 1 and sum(sizes) >= PARALLEL_MIN_BYTES:
        for result in _in_pool(todo, sizes, options, jobs):
            results[result.path] = result
    elif todo:
        worker = Worker(options)
        for path, data in todo:
            results[path] = _check_one(worker, path, data)
    return [results[path] for path in paths]


def _in_pool(
    todo: Sequence[Tuple[str, Optional[bytes]]], sizes: Sequence[int], options: CheckOptions, jobs: int
) -> List[FileResult]:
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    global _inherited
    chunks = chunks_by_size(sizes)
    futures: List[Tuple[List[int], Future[List[FileResult]]]] = []
    forked = _can_fork()
    # Not the platform default: that is still fork on Linux before Python 3.14.
    context = multiprocessing.get_context("fork" if forked else "spawn")
    if forked:
        _inherited = todo  # the children see it as of the fork: nothing is pickled but indexes
    try:
        with ProcessPoolExecutor(jobs, mp_context=context, initializer=_init, initargs=(options,)) as pool:
            for chunk in chunks:
                if forked:
                    futures.append((chunk, pool.submit(_check_inherited, chunk)))
                else:
                    futures.append((chunk, pool.submit(_check_paths, [todo[i][0] for i in chunk])))
            results: List[FileResult] = []
            for chunk, future in futures:
                try:
                    results.extend(future.result())
                except BrokenProcessPool:
                    # A worker died (killed, out of memory, a crash in C): which file did it
                    # is unknown, so every file of every chunk it left unfinished says so.
                    message = (
                        "a worker process died while checking this file or one near it; rerun with --jobs 1"
                    )
                    results.extend(
                        FileResult(todo[i][0], errors=(FileError(todo[i][0], message),)) for i in chunk
                    )
            return results
    finally:
        _inherited = ()
