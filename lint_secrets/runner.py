"""Running the checker over many files, in parallel when there are enough to pay for it."""

from __future__ import annotations

import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from typing import List, Optional, Sequence

from lint_secrets.checker import NEEDLES, CheckOptions, FileResult, Worker

# Below this many files that need parsing, starting processes costs more than it saves.
PARALLEL_THRESHOLD = 24
CHUNK = 8

_worker: Optional[Worker] = None


def _init(options: CheckOptions) -> None:
    global _worker
    _worker = Worker(options)


def _check_chunk(paths: Sequence[str]) -> List[FileResult]:
    assert _worker is not None
    return [_worker.check_path(path) for path in paths]


def might_matter(path: str) -> bool:
    """The cheap byte-level test: only files that mention Replicate or a token get parsed."""
    try:
        with open(path, "rb") as handle:
            data = handle.read()
    except OSError:
        return True  # let the worker report the error
    return any(needle in data for needle in NEEDLES)


def check_files(paths: Sequence[str], options: CheckOptions, jobs: Optional[int] = None) -> List[FileResult]:
    """Results for every path, in the order given."""
    candidates = [path for path in paths if might_matter(path)]
    results = {path: FileResult(path) for path in paths}
    jobs = jobs or os.cpu_count() or 1
    if jobs > 1 and len(candidates) >= PARALLEL_THRESHOLD:
        chunks = [candidates[i : i + CHUNK] for i in range(0, len(candidates), CHUNK)]
        methods = multiprocessing.get_all_start_methods()
        context = multiprocessing.get_context("fork" if "fork" in methods else None)
        with ProcessPoolExecutor(jobs, mp_context=context, initializer=_init, initargs=(options,)) as pool:
            for chunk_results in pool.map(_check_chunk, chunks):
                for result in chunk_results:
                    results[result.path] = result
    else:
        worker = Worker(options)
        for path in candidates:
            results[path] = worker.check_path(path)
    return [results[path] for path in paths]
