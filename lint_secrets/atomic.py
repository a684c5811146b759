"""All-or-nothing file replacement, for fixed sources and schema cache entries."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Optional, Union

TEMP_PREFIX = ".lint-secrets-"
TEMP_SUFFIX = ".tmp"


def replace_file(target: Union[str, Path], data: bytes, *, mode: Optional[int] = None) -> None:
    """Write `data` to a temporary file beside `target`, then rename it over `target`.

    A reader sees the old file or the new one, never half of either; an interrupted or
    failed write leaves the old file and no temporary file. OSError says what failed.
    """
    directory = os.path.dirname(os.path.abspath(target))
    descriptor, temp = tempfile.mkstemp(prefix=TEMP_PREFIX, suffix=TEMP_SUFFIX, dir=directory)
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if mode is not None:
            os.chmod(temp, mode)
        os.replace(temp, target)
    except BaseException:
        try:
            os.unlink(temp)
        except OSError:
            pass
        raise
    _fsync_directory(directory)


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
