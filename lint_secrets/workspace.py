"""Where a run sits, for the reporters that need more than findings.

CI tools resolve a report's paths against the repository root (the checkout), not against
the directory that holds the configuration; and a line hash or a source snippet needs the
file's lines. Both are read here so that `report` stays free of I/O.
"""

from __future__ import annotations

from pathlib import Path
from typing import Dict, List, Optional

from lint_secrets.source import SourceError, decode_source, physical_lines, read_source

__all__ = ["SourceLines", "repository_root"]


def repository_root(start: Optional[Path] = None) -> Path:
    """git's top level for `start` (default: the working directory), else the working directory.

    git's own answer, not a search for `.git`, so worktrees and submodules agree with what
    the CI checkout calls the repository.
    """
    from lint_secrets.git import top_level  # only the CI formats need it

    return top_level(Path.cwd() if start is None else start) or Path.cwd()


class SourceLines:
    """`lines(path, lineno)`: a file's line without its ending, or None when it can't be had.

    Files are read once, as Python decodes them; `known` holds texts that are not on disk
    (standard input).
    """

    def __init__(self, known: Optional[Dict[str, str]] = None) -> None:
        self._lines: Dict[str, Optional[List[str]]] = {
            path: physical_lines(text) for path, text in (known or {}).items()
        }

    def __call__(self, path: str, lineno: int) -> Optional[str]:
        if path not in self._lines:
            try:
                self._lines[path] = physical_lines(decode_source(read_source(path)).text)
            except SourceError:
                self._lines[path] = None
        lines = self._lines[path]
        if lines is None or not 1 <= lineno <= len(lines):
            return None
        return lines[lineno - 1].rstrip("\r\n")
