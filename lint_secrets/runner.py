"""Running the checker over many files, in parallel when there are enough to pay for it.

Every file is read once, here, and tested for the byte needles; most files of a large tree
stop there. The rest are checked in this process when they are few, or in a process pool
when their total size pays for starting one (forked on Linux, so the pool starts in a few
milliseconds and the workers inherit the bytes already read instead of reading them again
or receiving them through a pipe). Work goes out largest files first, in chunks of about
`CHUNK_BYTES`, so one big file does not leave the other cores idle at the end.
Results always come back in the order the paths were given.

Each file is checked under its own configuration: files are grouped by it, and each
process keeps one `Worker` (one schema cache) per configuration it meets.
"""

from __future__ import annotations

import gc
import os
import signal
import sys
import threading
import time
from contextlib import contextmanager
from dataclasses import replace
from typing import (
    TYPE_CHECKING,
    Any,
    Callable,
    Dict,
    Iterator,
    List,
    NoReturn,
    Optional,
    Sequence,
    Set,
    Tuple,
)

from lint_secrets.collector import collector_paused_if_alone
from lint_secrets.config import CheckOptions, Config
from lint_secrets.findings import FileError, FileResult
from lint_secrets.prefilter import could_hold_findings, imports
from lint_secrets.source import SourceError, read_source

if TYPE_CHECKING:
    from concurrent.futures import Future

    # The checker and the naming pass are imported only once a file passes the prefilter, or
    # a run fixes: a pre-commit run over files that never mention Replicate doesn't load them.
    from lint_secrets.checker import Worker
    from lint_secrets.env_names import NameRequest
    from lint_secrets.findings import ImportedFinding
    from lint_secrets.fix.edits import Applicability

# Where workers are forked (Linux), this process checks files until it has spent this much
# CPU time, then estimates the rest from its cost per byte so far and starts workers only if
# they pay. Long enough to measure (tens of files), short enough to be noise when it decides
# against a pool.
PROBE_CPU_SECONDS = 0.05
# What each forked worker costs the run: fork, start, hand back results, stop. Measured on a
# 2-core machine with the checker loaded: about 15 ms idle, up to 40 ms under load.
WORKER_START_SECONDS = 0.03
# What the run's first pool costs before any worker starts: importing multiprocessing and
# concurrent.futures, with the logging, pickle, socket and subprocess modules they load:
# 25-35 ms measured after a check has loaded everything else (60-70 ms in a bare
# interpreter). Left out of the estimate, it made 80 small files start a pool that lost.
POOL_IMPORT_SECONDS = 0.03
# Below this share of a core for this process during the probe, the machine is taken as
# busy (other processes run on every core) and no worker is started.
BUSY_SHARE = 0.75
# Where workers are spawned (macOS, Windows) no probe is made: a pool is started only when
# the files to parse add up to this many bytes. Checking costs about 0.5 ms per KiB of source
# (parse + analysis); a spawned worker imports everything again (~0.1 s).
PARALLEL_MIN_BYTES = 256 * 1024
# Work is handed out in chunks of about this many bytes (~1,500 lines, ~30 ms of work): large
# enough that queueing costs nothing measurable, small enough to balance two or more workers.
CHUNK_BYTES = 48 * 1024
# Kept for callers that think in files: fewer files than this never start a pool.
PARALLEL_THRESHOLD = 2
# From this many files on, where a core is free, a forked helper reads and byte-tests every
# other file while this process does the rest (`HalfPrefilter`). Reading and testing cost
# about 60 us a file on CPython's Lib/; the helper costs 2-4 ms to fork, answer and reap.
SPLIT_PREFILTER_MIN_FILES = 400
# The bytes kept between the prefilter and the check are capped: past this, files are read
# again by whoever checks them, so memory stays flat on trees where many files matter.
KEEP_BYTES = 64 * 1024 * 1024

# What forked workers inherit: the (path, bytes, configuration index) of every file to check.
_inherited: Sequence[Tuple[str, Optional[bytes], int]] = ()
# In each worker process: the options, the run's configurations, and a Worker per configuration.
_options: Optional[CheckOptions] = None
_configs: Sequence[Config] = ()
_workers: Dict[int, Worker] = {}
# The parent's Workers at the fork, schema caches loaded: each child starts from them.
_warm: Dict[int, Worker] = {}
# Set by the parent on Ctrl-C or SIGTERM: workers stop before their next file.
_stop: Any = None


class Interrupted(KeyboardInterrupt):
    """Ctrl-C or SIGTERM during a run; `exit_code` is 128 + the signal's number. `written`:
    the files worker processes had fixed before they stopped (the parent's own writes are in
    `atomic.replaced`)."""

    def __init__(self, signum: int = signal.SIGINT, written: Sequence[str] = ()) -> None:
        super().__init__()
        self.exit_code = 128 + int(signum)
        self.written = list(written)


def _init(options: CheckOptions, configs: Sequence[Config], stop: Any, parent: int, collect: bool) -> None:
    global _options, _configs, _workers, _stop
    if collect:  # forked while the parent's collector is paused (`_in_pool`)
        gc.enable()
    # Ctrl-C reaches the whole process group: the parent decides, and a worker finishes the
    # file it is writing instead of dying between the temporary file and the rename.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # Forked with the parent's SIGTERM handler, which only makes sense in the parent.
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    _die_with(parent)
    _options, _configs, _workers = options, configs, dict(_warm)
    _stop = stop


def _worker_for(config_index: int) -> Worker:
    from lint_secrets.checker import Worker

    assert _options is not None
    if config_index not in _workers:
        _workers[config_index] = Worker(replace(_options, config=_configs[config_index]))
    return _workers[config_index]


def _die_with(parent: int) -> None:
    """End this worker when the parent dies, even by SIGKILL (Linux): it would wait forever."""
    if not sys.platform.startswith("linux"):
        return
    try:
        import ctypes

        ctypes.CDLL(None).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        return
    if os.getppid() != parent:  # it died before the line above
        os._exit(1)


def _stopping() -> bool:
    return _stop is not None and bool(_stop.is_set())


def _check_one(worker: Worker, path: str, data: Optional[bytes]) -> FileResult:
    """One file's result; an unexpected failure becomes that file's error, never the run's."""
    try:
        return worker.check_path(path) if data is None else worker.check_bytes(path, data)
    except Exception as exc:  # a bug met on one file must not stop the others
        detail = str(exc).splitlines()[0] if str(exc) else ""
        message = f"internal error: {type(exc).__name__}{': ' + detail if detail else ''}; please report it"
        return FileResult(path, errors=(FileError(path, message),))


def _check_inherited(indexes: Sequence[int]) -> List[FileResult]:
    results = []
    for i in indexes:
        if _stopping():
            break
        path, data, config_index = _inherited[i]
        results.append(_check_one(_worker_for(config_index), path, data))
    return results


def _check_paths(paths: Sequence[Tuple[str, int]]) -> List[FileResult]:
    return [_check_one(_worker_for(index), path, None) for path, index in paths if not _stopping()]


def read_and_test(path: str) -> Tuple[bool, Optional[bytes]]:
    """The cheap byte-level test, and the bytes read, whatever its outcome.

    (False, data): cannot hold a finding. (True, data): check `data`. (True, None): reading
    failed or the file is too large; the worker reads it again and reports why.
    """
    try:
        data = read_source(path)
    except SourceError:
        return True, None
    return could_hold_findings(data), data


def read_if_it_might_matter(path: str) -> Tuple[bool, Optional[bytes]]:
    """`read_and_test`, with the bytes only of a file that might matter, so nobody reads
    it again: (False, None) for a file that cannot hold a finding."""
    matters, data = read_and_test(path)
    return matters, data if matters else None


def might_matter(path: str) -> bool:
    """Whether the file mentions Replicate or a token, so it has to be parsed."""
    return read_if_it_might_matter(path)[0]


class HalfPrefilter:
    """Reading and byte-testing shared with one forked helper process.

    The helper takes the files at odd positions and answers for each, in order: `0`, it
    cannot hold a finding; `1`, it might, or it could not be read (this process reads it
    again, so the bytes it checks and the errors it reports are its own); `2`, it cannot,
    followed by the file's import lines (`importers.only_import_lines`: a 4-byte length, then
    the lines), which `related_files` asks instead of reading the file again. The helper
    sends lines once a file of its own imports `replicate`, as this process keeps them once
    one of its own does. This process takes the even positions and the helper's answers as
    it reaches them, so files are taken in the same order, with the same outcome, as without
    a helper. A helper that dies early leaves its unanswered files to this process.
    """

    def __init__(self, pid: int = 0, answers: int = -1) -> None:
        self._answers = answers  # the pipe's reading end; -1 once there is nothing more to read
        self.helper = pid  # the helper's process id; 0 without one
        self._received = bytearray()  # read from the pipe, not yet decoded
        self._decoded = bytearray()  # one answer per file answered, `0` or `1`
        self._lines: Dict[int, bytes] = {}  # by answer: the import lines of a file passed over

    def read_and_test(self, position: int, path: str) -> Tuple[bool, Optional[bytes]]:
        """`read_and_test(path)` for the file at `position` of the paths given, except that
        the bytes of a file the helper passed over stay unread: (False, None)."""
        answer = self._answer(position // 2) if position % 2 else None
        if answer is None:
            return read_and_test(path)
        if answer == _CANNOT_MATTER:
            return False, None
        try:
            return True, read_source(path)
        except SourceError:
            return True, None

    def import_lines(self, position: int) -> Optional[bytes]:
        """The import lines the helper sent for the file at `position`, which it passed
        over; None where it sent none. Asked once: they are not kept here."""
        return self._lines.pop(position // 2, None) if position % 2 else None

    def _answer(self, index: int) -> Optional[int]:
        while index >= len(self._decoded) and self._answers >= 0:
            received = os.read(self._answers, 64 * 1024)
            if not received:
                self._close()
            self._received += received
            self._decode()
        return self._decoded[index] if index < len(self._decoded) else None

    def _decode(self) -> None:
        """Moves the whole answers received into `_decoded` and `_lines`; a part of one
        waits for the rest (or, from a helper that died, stays unanswered)."""
        received, at = self._received, 0
        while at < len(received):
            if received[at] != _CANNOT_MATTER_WITH_LINES:
                self._decoded.append(received[at])
                at += 1
                continue
            start = at + 1 + _LENGTH_BYTES
            end = start + int.from_bytes(received[at + 1 : start], "big")
            if start > len(received) or end > len(received):
                break
            self._lines[len(self._decoded)] = bytes(received[start:end])
            self._decoded.append(_CANNOT_MATTER)
            at = end
        del received[:at]

    def _close(self) -> None:
        if self._answers >= 0:
            os.close(self._answers)
            self._answers = -1

    def stop(self) -> None:
        """Close the pipe and reap the helper: killed if this process stops early (Ctrl-C)."""
        self._close()
        if self.helper:
            pid, self.helper = self.helper, 0
            try:
                os.kill(pid, signal.SIGKILL)
            except OSError:
                pass
            try:
                os.waitpid(pid, 0)
            except ChildProcessError:
                pass


_CANNOT_MATTER, _MIGHT_MATTER, _CANNOT_MATTER_WITH_LINES = b"012"
_LENGTH_BYTES = 4  # of the import lines after a `2`: `only_import_lines` keeps at most 16 KiB
# The helper writes its answers in batches of this many files: fewer system calls, and this
# process waits for at most a batch when it is ahead.
ANSWER_BATCH = 16


def prefilter_helper_pays(paths: Sequence[str], jobs: Optional[int]) -> bool:
    """Whether reading and byte-testing `paths` goes faster shared with a forked helper:
    enough files, processes allowed (not `--jobs 1`), fork safe here, and a core free."""
    return jobs != 1 and len(paths) >= SPLIT_PREFILTER_MIN_FILES and _can_fork() and _cores_free() > 1


@contextmanager
def prefilter_shared(
    paths: Sequence[str], helped: bool, with_import_lines: bool = False
) -> Iterator[HalfPrefilter]:
    """A `HalfPrefilter` for `paths`, with a forked helper if `helped` (and fork works),
    which sends the import lines of the files it passes over if `with_import_lines`."""
    helper = HalfPrefilter()
    try:
        if helped:
            # Signals wait from the fork until each process is ready for them. A handler of
            # this process's that raises in the helper would unwind it into this process's
            # code (its report, its exit, its buffered output written a second time); here,
            # before the helper's id is kept, it would leave the helper unreaped.
            with _signals_held() as mask:
                helper = _fork_helper(paths, mask, with_import_lines)
        yield helper
    finally:
        helper.stop()


@contextmanager
def _signals_held() -> Iterator[Set[int]]:
    """Every signal that can wait waits during the block; yields the mask to go back to."""
    mask = signal.pthread_sigmask(signal.SIG_BLOCK, signal.valid_signals())
    try:
        yield mask
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, mask)


def _fork_helper(paths: Sequence[str], mask: Set[int], with_import_lines: bool) -> HalfPrefilter:
    """A `HalfPrefilter` whose forked helper answers for `paths`; one without a helper
    where no pipe or process can be had: this process then reads every file, as alone."""
    try:
        read_end, write_end = os.pipe()
    except OSError:  # out of descriptors: one file still needs only one
        return HalfPrefilter()
    try:
        pid = os.fork()
    except (OSError, RuntimeError):  # out of processes or memory; at exit (an atexit handler, 3.12)
        os.close(read_end)
        os.close(write_end)
        return HalfPrefilter()
    if pid == 0:
        try:
            os.close(read_end)
            _answer_odd_positions(paths, write_end, mask, with_import_lines)
        finally:
            os._exit(1)
    os.close(write_end)
    return HalfPrefilter(pid, read_end)


def _answer_odd_positions(
    paths: Sequence[str], out: int, mask: Set[int], with_import_lines: bool
) -> NoReturn:
    """The helper's whole life: answer for the files at odd positions, then exit at once
    (no interpreter teardown, no flushing of the buffers the parent had at the fork)."""
    code = 1
    try:
        # This process's handlers (Ctrl-C's, SIGTERM's, any a program calling `check_files`
        # set) are its own: a signal that reaches the helper too ends it, and this process
        # decides what the signal means. Ignored signals stay ignored, as they are here.
        for signum in signal.valid_signals():
            if callable(signal.getsignal(signum)):
                signal.signal(signum, signal.SIG_DFL)
        signal.pthread_sigmask(signal.SIG_SETMASK, mask)
        from lint_secrets.importers import only_import_lines

        batch = bytearray()
        keeping = False  # import lines, once a file here imports `replicate` (see HalfPrefilter)
        for count, position in enumerate(range(1, len(paths), 2), 1):
            lines = None
            try:
                matters, data = read_and_test(paths[position])
                if not matters and keeping and data is not None:
                    lines = only_import_lines(data)
                elif matters and with_import_lines and not keeping and data is not None:
                    keeping = imports(data, "replicate")
            except Exception:  # the parent reads it again and reports what is wrong
                matters = True
            if lines is not None:
                batch.append(_CANNOT_MATTER_WITH_LINES)
                batch += len(lines).to_bytes(_LENGTH_BYTES, "big")
                batch += lines
            else:
                batch.append(_MIGHT_MATTER if matters else _CANNOT_MATTER)
            if count % ANSWER_BATCH == 0:
                _write_all(out, batch)
                batch.clear()
        _write_all(out, batch)
        code = 0
    finally:
        os._exit(code)


def _write_all(fd: int, data: bytearray) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


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


def check_files(
    paths: Sequence[str],
    options: CheckOptions,
    jobs: Optional[int] = None,
    *,
    roots: Sequence[str] = (),
    config_for: Optional[Callable[[str], Config]] = None,
    roots_complete: bool = True,
) -> List[FileResult]:
    """Results for every path, in the order given; each file is checked under
    `config_for(path)` (by default, `options.config`). `roots_complete`: every file under the
    directories among `roots` is among `paths` (not so for `--changed`, which checks some).

    A run that fixes (or shows fixes) goes in two passes so one variable never gets two
    values: every file is planned first (no rewriting, so as cheap as a check), then the
    names of the whole run are assigned in sorted path order, here in the parent process,
    and only the files with fixes are checked again with those names and rewritten.
    """
    if not (options.fix or options.diff or options.describe_fixes):
        return _check_project(paths, options, jobs, roots, config_for, roots_complete)[0]
    from lint_secrets.env_names import assign_run_names

    plain = replace(options, fix=False, diff=False, describe_fixes=False, defer_writes=False)
    planned, imported = _check_project(paths, plain, jobs, roots, config_for, roots_complete)
    run_names = assign_run_names([request for result in planned for request in _name_requests(result)])
    again = [
        result.path
        for result in planned
        if any(f.fix is not None and _may_apply(f.fix.applicability, options) for f in result.findings)
    ]
    results = {result.path: result for result in planned}
    if again:
        fixing = replace(
            options,
            run_env_names={p: run_names.names[p] for p in again if p in run_names.names},
            imported={p: imported[p] for p in again if p in imported},
        )
        for result in _check_each(again, fixing, jobs, roots=roots, config_for=config_for):
            results[result.path] = result
    for path, notes in run_names.notes.items():
        if path in results:
            results[path] = replace(results[path], notes=results[path].notes + notes)
    return [results[result.path] for result in planned]


def _check_project(
    paths: Sequence[str],
    options: CheckOptions,
    jobs: Optional[int],
    roots: Sequence[str],
    config_for: Optional[Callable[[str], Config]],
    roots_complete: bool = True,
) -> Tuple[List[FileResult], Dict[str, Tuple[ImportedFinding, ...]]]:
    """Every path's result, then the results of a second pass over the modules that hold
    literals which other files' calls send (`from .config import HF_TOKEN`): each is checked
    again with those findings (or, outside the checked files, reported with them alone).
    Also the findings that calls in the project's unchecked files make on the checked ones
    (a commit that stages only `settings.py`). The results of files outside the checked ones
    come after the paths' own; the second pass's findings by path, for the fixing pass."""
    from lint_secrets.importers import absolute_paths, display_path, only_into, related_files

    passed_over: Dict[str, bytes] = {}
    results = _check_each(paths, options, jobs, roots=roots, config_for=config_for, import_lines=passed_over)
    walked = roots if roots_complete else ()
    with collector_paused_if_alone():  # its maps of every path of the run hold no cycles
        forced, importers = related_files(paths, results, options, walked, config_for, passed_over)
    forcing: Dict[str, Tuple[ImportedFinding, ...]] = {path: () for path in forced}
    if forced:  # `from .clients import client; client.run(...)`: no Replicate import of its own
        redone = _check_each(
            forced, replace(options, imported=forcing), jobs, roots=roots, config_for=config_for
        )
        by_forced = {result.path: result for result in redone}
        results = [by_forced.get(result.path, result) for result in results]
    exported = [finding for result in results for finding in result.exported]
    if importers:  # files of the project left unchecked whose calls send the checked files' literals
        # Read even when the prefilter would pass them over (`from .clients import client`).
        plain = replace(
            options,
            fix=False,
            diff=False,
            describe_fixes=False,
            defer_writes=False,
            imported={path: () for path in importers},
        )
        found = _check_each(importers, plain, jobs, roots=roots, config_for=config_for)
        exported.extend(only_into((e for result in found for e in result.exported), paths))
    if not exported:
        return results, forcing
    checked = {os.path.normcase(absolute): p for p, absolute in absolute_paths(paths).items()}
    imported: Dict[str, List[ImportedFinding]] = {}
    outside: List[str] = []
    for finding in exported:
        shown = checked.get(os.path.normcase(finding.path))
        if shown is None:
            shown = display_path(finding.path)
            if shown not in imported:
                if _excluded(shown, options, config_for):
                    continue
                outside.append(shown)
        imported.setdefault(shown, []).append(finding)
    if not imported:
        return results, forcing
    by_path = {**forcing, **{path: tuple(dict.fromkeys(found)) for path, found in imported.items()}}
    second = replace(options, imported=by_path, outside=frozenset(outside))
    targets = [*imported]
    again = {r.path: r for r in _check_each(targets, second, jobs, roots=roots, config_for=config_for)}
    merged = [again.get(result.path, result) for result in results]
    merged.extend(again[path] for path in outside if path in again)
    return merged, by_path


def _excluded(path: str, options: CheckOptions, config_for: Optional[Callable[[str], Config]]) -> bool:
    """Whether a file outside the checked ones is excluded by its own configuration."""
    from pathlib import Path

    from lint_secrets.config import ConfigError
    from lint_secrets.discovery import is_excluded

    try:
        config = config_for(path) if config_for is not None else options.config
    except ConfigError:
        return True  # its configuration is broken: the run says so for the files it checks
    return is_excluded(Path(path), config)


def _may_apply(applicability: Applicability, options: CheckOptions) -> bool:
    from lint_secrets.fix.edits import Applicability

    return applicability is Applicability.SAFE or options.unsafe_fixes or options.describe_fixes


def _name_requests(result: FileResult) -> List[NameRequest]:
    from lint_secrets.env_names import NameRequest

    requests = []
    for finding in result.findings:
        fix = finding.fix
        if fix is not None and fix.env_base:
            fixed = fix.kind in ("drop-default", "delete-statement", "settings-field-default")
            requests.append(NameRequest(result.path, finding.line, fix.env_base, fix.secret, fixed))
    return requests


def _check_each(
    paths: Sequence[str],
    options: CheckOptions,
    jobs: Optional[int] = None,
    *,
    roots: Sequence[str] = (),
    config_for: Optional[Callable[[str], Config]] = None,
    import_lines: Optional[Dict[str, bytes]] = None,
) -> List[FileResult]:
    """One pass: results for every path, in the order given.

    A file reached by two names (symbolic links) is checked once, under the first. With
    `options.fix`, a file that a rename would not fix cleanly (other hard links, a real
    path outside `roots`) is checked but not fixed, and says why.

    `import_lines`, if given, gets the import statements of the files the prefilter passes
    over once a file that imports `replicate` has been read (`importers.only_import_lines`):
    what `importers.related_files` asks of them, so it needn't read them again. A tree where
    nothing imports `replicate` (CPython's Lib/) pays nothing for it.
    """
    from lint_secrets.atomic import why_not_rewritable
    from lint_secrets.importers import only_import_lines

    results: Dict[str, FileResult] = {}
    todo: List[Tuple[str, Optional[bytes], int]] = []
    configs: List[Config] = []
    config_indexes: Dict[int, int] = {}  # id(config) -> its index in `configs`
    sizes: List[int] = []
    refused: Dict[str, str] = {}
    seen: set[Tuple[int, int]] = set()
    real_roots = [os.path.realpath(root) for root in roots]
    kept = 0
    keeping = False  # the import lines of the files passed over, into `import_lines`
    unique = list(dict.fromkeys(paths))
    helped = prefilter_helper_pays(unique, jobs)
    with prefilter_shared(unique, helped, with_import_lines=import_lines is not None) as helper:
        for position, path in enumerate(unique):
            matters, data = helper.read_and_test(position, path)
            if not matters and path in options.imported:
                matters = True  # a module whose literals other files' calls send
            if not matters:
                if keeping and import_lines is not None:
                    lines = only_import_lines(data) if data is not None else helper.import_lines(position)
                    if lines is not None:
                        import_lines[path] = lines
                results[path] = FileResult(path)
                continue
            # A module that imports `replicate` is what related_files looks for imports of
            # (`api.replicate.com` or a comment is not).
            if not keeping and import_lines is not None and data is not None:
                keeping = imports(data, "replicate")
            try:
                info = os.stat(path)
            except OSError:
                pass
            else:
                if (info.st_dev, info.st_ino) in seen:
                    results[path] = FileResult(path)
                    continue
                seen.add((info.st_dev, info.st_ino))
            if options.fix or options.diff:
                reason = why_not_rewritable(path, real_roots)
                if reason is not None:
                    refused[path] = reason
            size = len(data) if data is not None else 0
            kept += size
            config = config_for(path) if config_for is not None else options.config
            if id(config) not in config_indexes:
                config_indexes[id(config)] = len(configs)
                configs.append(config)
            todo.append((path, data if kept <= KEEP_BYTES else None, config_indexes[id(config)]))
            sizes.append(size)
    for not_fixed, group_options in ((False, options), (True, replace(options, fix=False))):
        indexes = [i for i, item in enumerate(todo) if (item[0] in refused) == not_fixed]
        group = [todo[i] for i in indexes]
        for result in _check_all(group, [sizes[i] for i in indexes], group_options, configs, jobs):
            results[result.path] = result
    for path, reason in refused.items():
        result = results[path]
        if any(finding.fix is not None for finding in result.findings):
            # Not fixed, so nothing of it goes to the env file either.
            results[path] = replace(
                result, errors=(*result.errors, FileError(path, f"not fixed: {reason}")), env_values=()
            )
    return [results[path] for path in paths]


def _check_all(
    todo: Sequence[Tuple[str, Optional[bytes], int]],
    sizes: Sequence[int],
    options: CheckOptions,
    configs: Sequence[Config],
    jobs: Optional[int],
) -> List[FileResult]:
    """Results for `todo`, in any order. `jobs` given (`--jobs N`): N workers, as asked.

    This process checks files itself first, which measures what checking costs per byte here,
    under the machine's present load. Workers are started for the rest only when the time
    they would save exceeds what starting them costs; forked, they inherit the modules and the
    schema caches loaded so far. Each file is checked the same way wherever it is checked, so
    the findings don't depend on the pool.
    """
    chosen = jobs is not None  # `--jobs N`: the user's number, started without a probe
    jobs = min(jobs or os.cpu_count() or 1, len(todo))
    if chosen and jobs > 1:
        return _in_pool(todo, sizes, options, configs, jobs, {})
    if jobs > 1 and not _can_fork():
        # Spawned workers start from nothing, and no probe can see what that costs them.
        if sum(sizes) >= PARALLEL_MIN_BYTES:
            return _in_pool(todo, sizes, options, configs, jobs, {})
        jobs = 1
    workers: Dict[int, Worker] = {}
    results: List[FileResult] = []
    spent, waited, done_bytes = 0.0, 0.0, 0
    for position, (path, data, config_index) in enumerate(todo):
        if jobs > 1 and spent >= PROBE_CPU_SECONDS:
            rest = range(position, len(todo))
            estimate = spent / max(done_bytes, 1) * sum(sizes[i] for i in rest)
            # A process that got less than a core while probing is on a busy machine: more
            # processes would share the same cores, and starting them is pure cost.
            busy = spent < BUSY_SHARE * waited
            useful = 1 if busy else workers_worth_starting(estimate, min(jobs, _cores_free()))
            if useful > 1:
                rest_todo = [todo[i] for i in rest]
                rest_sizes = [sizes[i] for i in rest]
                return results + _in_pool(rest_todo, rest_sizes, options, configs, useful, workers)
            jobs = 1  # decided: the rest is not worth a pool
        if config_index not in workers:
            from lint_secrets.checker import Worker

            workers[config_index] = Worker(replace(options, config=configs[config_index]))
        if jobs == 1:  # decided (or asked for): nothing to measure; process_time is a system call
            results.append(_check_one(workers[config_index], path, data))
            continue
        started, started_wall = time.process_time(), time.perf_counter()
        modules = len(sys.modules)
        results.append(_check_one(workers[config_index], path, data))
        # The first file pays for imports and caches once, and so does a later one that loads
        # a module (the fix planner at the first fixable finding): not a cost per byte.
        if position and len(sys.modules) == modules:
            spent += time.process_time() - started
            waited += time.perf_counter() - started_wall
            done_bytes += sizes[position]
    return results


def _cores_free() -> int:
    """Cores not taken by other work, as `make -l` judges it from the load average of the
    last minute, which counts this process (so one is added back). Where Linux also tells how
    many tasks are runnable right now, the lower of the two: the average still counts runs
    that just ended (a benchmark's, the previous hook's), a single look catches a passing spike."""
    cores = os.cpu_count() or 1
    try:
        busy = os.getloadavg()[0]
    except OSError:  # not on every platform
        return cores
    try:
        with open("/proc/loadavg", "rb") as status:
            busy = min(busy, float(status.read().split()[3].split(b"/")[0]))
    except (OSError, IndexError, ValueError):
        pass
    return max(1, min(cores, int(cores - busy + 1)))


def workers_worth_starting(estimate: float, jobs: int, pool_imported: Optional[bool] = None) -> int:
    """How many processes finish `estimate` CPU seconds of checking first, at most `jobs`:
    n of them take about estimate / n, plus WORKER_START_SECONDS for each one forked, plus
    POOL_IMPORT_SECONDS for the pool's modules unless they are loaded (`pool_imported`; by
    default, whether they are)."""
    if pool_imported is None:
        pool_imported = "concurrent.futures.process" in sys.modules
    imports = 0.0 if pool_imported else POOL_IMPORT_SECONDS
    return min(
        range(1, jobs + 1),
        key=lambda n: estimate / n + (n * WORKER_START_SECONDS + imports if n > 1 else 0.0),
    )


def _in_pool(
    todo: Sequence[Tuple[str, Optional[bytes], int]],
    sizes: Sequence[int],
    options: CheckOptions,
    configs: Sequence[Config],
    jobs: int,
    warm: Dict[int, Worker],
) -> List[FileResult]:
    global _inherited, _warm
    # Starting the pool (its modules' imports, the forks) and taking the results back
    # allocate much, and each full pass of the collector would walk everything this process
    # holds (0.1-0.2 s each on the 50,000-file tree) to find no cyclic garbage: the results
    # are data for the rest of the run. Workers collect as this process did before. (Only
    # where this is the only thread: `collector_paused_if_alone`.)
    collect = gc.isenabled()
    with collector_paused_if_alone():
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor
        from concurrent.futures.process import BrokenProcessPool

        chunks = chunks_by_size(sizes)
        futures: List[Tuple[List[int], Future[List[FileResult]]]] = []
        forked = _can_fork()
        # Not the platform default: that is still fork on Linux before Python 3.14.
        context = multiprocessing.get_context("fork" if forked else "spawn")
        stop = context.Event()
        if forked:
            _inherited = todo  # the children see it as of the fork: nothing is pickled but indexes
            _warm = warm  # and the schema caches this process has read
        previous_term = _raise_on_sigterm()
        pool = ProcessPoolExecutor(
            jobs,
            mp_context=context,
            initializer=_init,
            initargs=(options, configs, stop, os.getpid(), collect),
        )
        try:
            for chunk in chunks:
                if forked:
                    futures.append((chunk, pool.submit(_check_inherited, chunk)))
                else:
                    paths = [(todo[i][0], todo[i][2]) for i in chunk]
                    futures.append((chunk, pool.submit(_check_paths, paths)))
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
            pool.shutdown(wait=True)
            return results
        except BaseException as exc:
            # Ctrl-C or SIGTERM: no new file is started; each worker finishes the one in hand,
            # so no file is left half-fixed and no worker outlives the run.
            stop.set()
            pool.shutdown(wait=True, cancel_futures=True)
            if not isinstance(exc, KeyboardInterrupt):
                raise
            # What the workers wrote before they stopped: a chunk cut short still returns the
            # files it finished.
            written = [
                result.path
                for _chunk, future in futures
                if future.done() and not future.cancelled() and future.exception() is None
                for result in future.result()
                if result.fixed and result.pending is None
            ]
            raise Interrupted(getattr(exc, "exit_code", 128 + signal.SIGINT) - 128, written) from None
        finally:
            _inherited, _warm = (), {}
            if previous_term is not None:
                signal.signal(signal.SIGTERM, previous_term)


@contextmanager
def sigterm_as_interrupt() -> Iterator[None]:
    """For the block, SIGTERM stops the run as Ctrl-C does (an `Interrupted` with exit code
    143) instead of killing it where it stands: a supervisor's stop is reported, and each
    file write, which holds both signals until it is done, is finished or undone first."""
    previous = _raise_on_sigterm()
    try:
        yield
    finally:
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)


def _raise_on_sigterm() -> Any:
    """Turn SIGTERM into `Interrupted` while the pool runs, so its workers are stopped too."""
    if threading.current_thread() is not threading.main_thread():
        return None

    def handler(signum: int, frame: Any) -> None:
        raise Interrupted(signum)

    return signal.signal(signal.SIGTERM, handler)
