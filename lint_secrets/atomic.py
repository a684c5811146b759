"""All-or-nothing file replacement, for fixed sources, the env file and schema cache entries.

`replace_file` writes a temporary file beside the target and renames it over the target.
`replace_checked` does the same for a file the caller read earlier, and keeps what the file
*is*: its owner, group, mode and extended attributes; it refuses what a rename would break
(a file with other hard links) and detects an edit saved while it worked.
"""

from __future__ import annotations

import errno
import os
import re
import signal
import stat
import sys
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Iterator, List, Optional, Sequence, Tuple, Union

TEMP_PREFIX = ".lint-secrets-"
TEMP_SUFFIX = ".tmp"
# The exact name of every temporary file this tool makes: 16 random hex digits between the
# two. Only a file of this shape is ever taken for debris (a user's `.lint-secrets-notes.tmp`
# is not).
TEMP_NAME = re.compile(r"\.lint-secrets-[0-9a-f]{16}\.tmp")
# A temporary file this old whose writer holds no lock is debris from a killed run.
LEFTOVER_MIN_AGE = 2.0

# Called with the temporary file's path after the last check, just before the swap; tests
# use it to act inside that window, which no timing could hit reliably.
_before_swap: Optional[Callable[[str], None]] = None

# Every path `replace_checked` replaced in this process, in order: what an interrupted run
# reports as already written (a caller notes the length first and reads what follows).
replaced: List[str] = []

# Ctrl-C and SIGTERM wait while a file is swapped in, so one arriving there can neither leave
# a temporary file behind nor hide that the file was written.
_HELD_SIGNALS = {signal.SIGINT, signal.SIGTERM}


@contextmanager
def _signals_held() -> Iterator[None]:
    """Hold Ctrl-C and SIGTERM (in this thread) until the block ends; they are delivered then."""
    if not hasattr(signal, "pthread_sigmask"):
        yield
        return
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, _HELD_SIGNALS)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


class UnsafeWrite(Exception):
    """The file can't be replaced without changing what it is, or it changed meanwhile."""


def replace_file(target: Union[str, Path], data: bytes, *, mode: Optional[int] = None) -> None:
    """Write `data` to a temporary file beside `target`, then rename it over `target`.

    A reader sees the old file or the new one, never half of either; an interrupted or
    failed write leaves the old file and no temporary file. OSError says what failed.
    """
    directory = os.path.dirname(os.path.abspath(target))
    with _signals_held():
        descriptor, temp = _temporary(directory)
        try:
            with os.fdopen(descriptor, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
                if mode is not None:
                    os.fchmod(handle.fileno(), mode)
            os.replace(temp, target)
        except BaseException:
            _unlink_quietly(temp)
            raise
        _fsync_directory(directory)


def _temporary(directory: str) -> Tuple[int, str]:
    """A new temporary file in `directory`, named as `TEMP_NAME` says, readable by its owner
    only, and locked so another run knows its writer is alive."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
    for _attempt in range(100):
        temp = os.path.join(directory, f"{TEMP_PREFIX}{os.urandom(8).hex()}{TEMP_SUFFIX}")
        try:
            descriptor = os.open(temp, flags, 0o600)
        except FileExistsError:
            continue
        break
    else:  # pragma: no cover - 100 collisions of 64 random bits
        raise FileExistsError(errno.EEXIST, "no free temporary file name", directory)
    try:
        import fcntl

        fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except (ImportError, OSError):
        pass  # no flock: leftovers are then recognised by age alone
    return descriptor, temp


def why_not_rewritable(path: str, roots: Sequence[str]) -> Optional[str]:
    """Why a rename over `path` would change more than its content, or write where it shouldn't.

    `roots` are the paths the run was asked to check (absolute, real); empty means no limit.
    """
    try:
        real = os.path.realpath(path)
        info = os.stat(real)
    except OSError as exc:
        return exc.strerror or str(exc)
    if info.st_nlink > 1:
        # The rename would give this name new content and leave the secret in the other names.
        return f"{info.st_nlink} hard links"
    if roots and not any(real == root or real.startswith(root.rstrip(os.sep) + os.sep) for root in roots):
        return "its real path is outside the checked paths"
    return None


def replace_checked(path: str, expected: bytes, data: bytes, *, mode: Optional[int] = None) -> None:
    """Replace the file at `path` (its real path: a symlink stays a symlink) with `data`.

    Only while the file still holds `expected`. The new file gets the old one's owner,
    group, mode (or `mode`, when given) and extended attributes before the rename.
    UnsafeWrite says why nothing was written; OSError says what failed (nothing was written
    either). Ctrl-C and SIGTERM wait until the file is swapped in or left as it was.
    """
    real = os.path.realpath(path)
    directory = os.path.dirname(real)
    with open(real, "rb") as handle:
        before = os.fstat(handle.fileno())
        if not before.st_mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH):
            raise UnsafeWrite("file is read-only")
        if before.st_nlink > 1:
            raise UnsafeWrite(f"{before.st_nlink} hard links")
        if handle.read() != expected:
            raise UnsafeWrite("file changed on disk while it was being checked")
        with _signals_held():
            descriptor, temp = _temporary(directory)
            try:
                with os.fdopen(descriptor, "wb") as out:
                    out.write(data)
                    out.flush()
                    _copy_identity(handle.fileno(), out.fileno(), before, mode)
                    os.fsync(out.fileno())
                _swap_in(temp, real, handle.fileno(), before)
            except BaseException:
                _unlink_quietly(temp)
                raise
            replaced.append(path)
            _fsync_directory(directory)


def _copy_identity(source_fd: int, target_fd: int, info: os.stat_result, mode: Optional[int] = None) -> None:
    """Give the temporary file the original's owner, group, mode and extended attributes.

    Compared with what the temporary file got, not with who runs this: in a set-group-ID
    directory a new file takes the directory's group, whoever makes it.
    """
    made = os.fstat(target_fd)
    if (made.st_uid, made.st_gid) != (info.st_uid, info.st_gid):
        uid = info.st_uid if made.st_uid != info.st_uid else -1
        gid = info.st_gid if made.st_gid != info.st_gid else -1
        try:
            os.fchown(target_fd, uid, gid)
        except PermissionError:
            raise UnsafeWrite(
                f"owned by uid {info.st_uid} gid {info.st_gid}, which this user can't keep"
            ) from None
    wanted = stat.S_IMODE(info.st_mode) if mode is None else mode
    # After chown, which clears set-id bits.
    os.fchmod(target_fd, wanted)
    made = os.fstat(target_fd)
    if (made.st_uid, made.st_gid) != (info.st_uid, info.st_gid):
        raise UnsafeWrite(f"owned by uid {info.st_uid} gid {info.st_gid}, which this file system won't keep")
    if stat.S_IMODE(made.st_mode) != wanted:
        raise UnsafeWrite(
            f"mode {wanted:04o} can't be kept (it would become {stat.S_IMODE(made.st_mode):04o})"
        )
    for name in _xattr_names(source_fd):
        try:
            os.setxattr(target_fd, name, os.getxattr(source_fd, name))
        except OSError as exc:
            raise UnsafeWrite(f"cannot keep extended attribute {name} ({exc.strerror or exc})") from None


def _xattr_names(fd: int) -> List[str]:
    if not hasattr(os, "listxattr"):
        return []
    try:
        return os.listxattr(fd)
    except OSError as exc:
        if exc.errno in (errno.ENOTSUP, errno.EOPNOTSUPP):
            return []
        raise


def _same_state(a: os.stat_result, b: os.stat_result) -> bool:
    return (a.st_dev, a.st_ino, a.st_size, a.st_mtime_ns) == (b.st_dev, b.st_ino, b.st_size, b.st_mtime_ns)


def _swap_in(temp: str, real: str, original_fd: int, before: os.stat_result) -> None:
    """Put `temp` at `real` unless the file there is no longer the one read; the window is one syscall.

    On Linux the two names are exchanged atomically (renameat2 RENAME_EXCHANGE), so what was
    at `real` at that instant is still at hand: if an editor saved in the meantime (in
    place, or by its own rename), the exchange is undone and the edit stays. Elsewhere the
    last check is made just before a plain rename.
    """
    changed = UnsafeWrite("file changed on disk while it was being fixed; left as edited")
    if not _same_state(os.fstat(original_fd), before) or not _same_state(os.stat(real), before):
        raise changed
    if _before_swap is not None:
        _before_swap(temp)
    if not _exchange(temp, real):
        os.replace(temp, real)
        return
    # `temp` now names what was at `real`: it must be the untouched file read at first.
    displaced = os.lstat(temp)
    if not _same_state(displaced, before) or not _same_state(os.fstat(original_fd), before):
        _exchange(temp, real)
        raise changed
    os.unlink(temp)


_renameat2: Optional[Callable[..., int]] = None
_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _exchange(first: str, second: str) -> bool:
    """Swap two names atomically; False where the platform or file system can't."""
    global _renameat2
    if not sys.platform.startswith("linux"):
        return False
    if _renameat2 is None:
        import ctypes

        try:
            libc = ctypes.CDLL(None, use_errno=True)
            function = libc.renameat2
        except (OSError, AttributeError):
            return False
        function.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
        function.restype = ctypes.c_int
        _renameat2 = function
    if _renameat2(_AT_FDCWD, os.fsencode(first), _AT_FDCWD, os.fsencode(second), _RENAME_EXCHANGE) == 0:
        return True
    import ctypes

    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.ENOTSUP, errno.EOPNOTSUPP):
        return False
    raise OSError(code, os.strerror(code), second)


def is_leftover_name(name: str) -> bool:
    """Whether `name` is exactly what `_temporary` names a file (the shape, not just the ends)."""
    return TEMP_NAME.fullmatch(name) is not None


def remove_leftover(path: str) -> bool:
    """Remove a temporary file left by a killed run; False if its writer may still be alive."""
    try:
        descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    except OSError:
        return False
    try:
        info = os.fstat(descriptor)
        if not stat.S_ISREG(info.st_mode) or time.time() - info.st_mtime < LEFTOVER_MIN_AGE:
            return False
        try:
            import fcntl

            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except ImportError:
            pass
        except OSError:
            return False  # a live run holds it
        os.unlink(path)
        return True
    except OSError:
        return False
    finally:
        os.close(descriptor)


def _unlink_quietly(path: str) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass


def _fsync_directory(directory: str) -> None:
    """Persist the rename itself, where the platform allows it."""
    try:
        descriptor = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(descriptor)
    except OSError:
        pass
    finally:
        os.close(descriptor)
