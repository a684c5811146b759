"""Where a Python import finds a module of the project on disk: paths only, nothing parsed.

- A relative import (`from .config import X`, `from .. import settings`) looks in the
  importing file's own directory and its parents, as Python does.
- An absolute one (`from app.settings import settings`, `import config`) looks in the
  importing file's *import roots*: the directory above its top package (the first
  directory up without an `__init__.py`: the file's own directory for a script), then the
  project's root (the directory of its configuration, or of the nearest `pyproject.toml`)
  and that root's `src/`.

A module is `a/b.py` or `a/b/__init__.py` under one of them (a directory without
`__init__.py` is a namespace package). What the file system says is cached: one answer
per path for the life of the object (a run).
"""

from __future__ import annotations

import os
from typing import Dict, List, Optional, Sequence


class ModulePaths:
    """The project's module files, found from an importing file's location."""

    def __init__(self, root: Optional[str] = None) -> None:
        self.root = os.path.abspath(root) if root is not None else None
        self._is_file: Dict[str, bool] = {}
        self._is_dir: Dict[str, bool] = {}
        self._roots: Dict[str, List[str]] = {}

    def _file(self, path: str) -> bool:
        found = self._is_file.get(path)
        if found is None:
            found = self._is_file[path] = os.path.isfile(path)
        return found

    def _dir(self, path: str) -> bool:
        found = self._is_dir.get(path)
        if found is None:
            found = self._is_dir[path] = os.path.isdir(path)
        return found

    def module_file(self, base: str, parts: Sequence[str]) -> Optional[str]:
        """`base/a/b.py` or `base/a/b/__init__.py` for parts (a, b); `base/__init__.py` for ()."""
        if not parts:
            init = os.path.join(base, "__init__.py")
            return init if self._file(init) else None
        stem = os.path.join(base, *parts)
        for candidate in (stem + ".py", os.path.join(stem, "__init__.py")):
            if self._file(candidate):
                return candidate
        return None

    def package_dir(self, base: str, parts: Sequence[str]) -> bool:
        """A directory that can be imported as a package (with `__init__.py`, or a namespace)."""
        return self._dir(os.path.join(base, *parts))

    def package_root(self, importer: str) -> str:
        """The directory above the importing file's top package (its own directory for a script)."""
        top = os.path.dirname(os.path.abspath(importer))
        while self._file(os.path.join(top, "__init__.py")):
            parent = os.path.dirname(top)
            if parent == top:
                break
            top = parent
        return top

    def import_roots(self, importer: str) -> List[str]:
        """Where the absolute imports of `importer` are looked for (see this module's docstring)."""
        directory = os.path.dirname(os.path.abspath(importer))
        found = self._roots.get(directory)
        if found is not None:
            return found
        roots = [self.package_root(importer)]
        if self.root is not None:
            roots.extend([self.root, os.path.join(self.root, "src")])
        found = self._roots[directory] = [r for r in dict.fromkeys(roots) if self._dir(r)]
        return found
