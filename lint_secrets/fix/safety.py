"""Which fixes `--fix` applies unasked (safe) and which wait for `--unsafe-fixes` (unsafe).

ruff's model: a safe fix keeps what the code does apart from where the secret comes
from; an unsafe one may change what runs, or when it fails. Every kind of fix a rule gives
is listed in FIX_KINDS with its class and why (the README's table and `explain` show it),
and nothing else (tests/test_fix_kinds_alive.py). A fix in a notebook's cell has the kind
of the same fix in a `.py` file.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path, PurePath
from typing import Dict, Optional, Tuple

from lint_secrets.fix.edits import Applicability, FixKindName
from lint_secrets.git import work_tree_top
from lint_secrets.records import Record

SAFE = Applicability.SAFE
UNSAFE = Applicability.UNSAFE


@dataclass(frozen=True, repr=False, eq=False)
class FixKind(Record):
    kind: FixKindName
    example: str  # before -> after, as the README shows it
    applicability: Applicability  # outside test files
    why: str
    # In test files (is_test_file) every kind is unsafe:
    # a test chose its values (a fake, a local server's token), and reading the environment
    # instead would send it the developer's real one.
    in_tests: Applicability


FIX_KINDS: Tuple[FixKind, ...] = (
    FixKind(
        "read-environ",
        '`input={"api_key": "…"}` → `os.environ["API_KEY"]`',
        SAFE,
        "the literal is read where it is used: a missing variable fails there, as a wrong key would",
        UNSAFE,
    ),
    FixKind(
        "module-constant",
        '`HF_TOKEN = "hf_…"` (module or class level) → `os.environ.get("HF_TOKEN")`',
        SAFE,
        "`.get()` so importing the module never raises where the variable is unset (test collection, "
        "docs builds); the value is None there and the call that sends it fails instead",
        UNSAFE,
    ),
    FixKind(
        "used-at-import",
        '`KEY = "…"` (or `os.getenv("KEY", "…")`) and the module then works on KEY when imported '
        '(`KEY.strip()`, `"Bearer " + KEY`, `f"{KEY}"`) → `os.environ.get("KEY")` (or the default dropped)',
        UNSAFE,
        "where the variable is unset KEY is None, and the code that works on it at import raises "
        '(`.strip()`, `+`) or quietly builds "None" (an f-string): importing the module changes',
        UNSAFE,
    ),
    FixKind(
        "parameter-default",
        '`def f(token="r8_…")` → `def f(token=os.environ.get("REPLICATE_API_TOKEN"))`',
        SAFE,
        "a default is evaluated when the function is defined: `.get()` never raises there",
        UNSAFE,
    ),
    FixKind(
        "replace-call",
        '`x = os.environ.setdefault("REPLICATE_API_TOKEN", "r8_…")` → `os.environ["REPLICATE_API_TOKEN"]`',
        SAFE,
        "the token is read where it was set",
        UNSAFE,
    ),
    FixKind(
        "drop-default",
        '`os.getenv("REPLICATE_API_TOKEN", "r8_…")` → `os.getenv("REPLICATE_API_TOKEN")`',
        SAFE,
        "the leaked fallback goes; where the variable is unset the client says so",
        UNSAFE,
    ),
    FixKind(
        "delete-statement",
        '`os.environ["REPLICATE_API_TOKEN"] = "r8_…"`, `setdefault(...)`, `replicate.api_token = "r8_…"` '
        "→ removed",
        SAFE,
        "the client reads REPLICATE_API_TOKEN itself",
        UNSAFE,
    ),
    FixKind(
        "drop-or-fallback",
        '`os.environ.get("HF_TOKEN") or "hf_…"` → `os.environ.get("HF_TOKEN")`',
        SAFE,
        "as drop-default",
        UNSAFE,
    ),
    FixKind(
        "settings-field-default",
        '`class S(BaseSettings): hf_token: str = "hf_…"` → `hf_token: str`',
        UNSAFE,
        "the field then reads HF_TOKEN itself, but becomes required: `S()` raises where it is unset",
        UNSAFE,
    ),
    FixKind(
        "header-fstring",
        '`{"Authorization": "Bearer r8_…"}` → `f"Bearer {os.environ[\'REPLICATE_API_TOKEN\']}"`',
        SAFE,
        "as read-environ, inside the header's text",
        UNSAFE,
    ),
    FixKind(
        "secret-input-default",
        '`hf_token: Secret = Input(default="hf_…")` → `Input()`',
        UNSAFE,
        "the model's input becomes required: callers that left it out now fail",
        UNSAFE,
    ),
    FixKind(
        "secret-annotation",
        "`hf_token: str = Input(...)` → `hf_token: Secret = Input(...)` and `.get_secret_value()` at uses",
        UNSAFE,
        "changes the predictor's types and its published schema",
        UNSAFE,
    ),
)
FIX_KINDS_BY_NAME: Dict[FixKindName, FixKind] = {kind.kind: kind for kind in FIX_KINDS}

# The one definition of a test file (issue 13): where a test sets values on purpose.
_TEST_FILE = re.compile(r"^(?:test_.*|.+_tests?|tests|conftest)\.pyi?$")
_TEST_DIR = re.compile(r"^(?:tests?|testing|.+_tests)$")


def is_test_file(relative_path: str) -> bool:
    """`test_*.py`, `*_test.py`, `*_tests.py`, `tests.py`, `conftest.py`, or anything under a
    `tests/`, `test/`, `testing/` or `*_tests/` directory, as seen from the project root: where
    a value is set for the code under test on purpose."""
    path = PurePath(relative_path)
    return _TEST_FILE.match(path.name) is not None or any(
        _TEST_DIR.match(part) is not None for part in path.parts[:-1]
    )


def in_test_file(
    path: str, config_root: Path, root_is_project: bool, directories: Optional[Dict[str, bool]] = None
) -> bool:
    """`is_test_file` of `path` as seen from its project's root (`project_relative_path`).
    `directories` keeps, by each directory as `path` spells it, whether the files there are
    under a test directory: the directory's root is then worked out for its first file whose
    name says nothing, not for every file."""
    directory, name = os.path.split(path)
    if _TEST_FILE.match(name) is not None:
        return True
    if directories is not None and directory in directories:
        return directories[directory]
    verdict = is_test_file(project_relative_path(path, config_root, root_is_project))
    if directories is not None:
        directories[directory] = verdict
    return verdict


def project_relative_path(path: str, config_root: Path, root_is_project: bool) -> str:
    """`path` as seen from its project's root, for is_test_file: directories above the project
    (a clone under `~/tests/`) say nothing about it.

    The root is the outermost of the configuration's root (when a configuration file or a
    pyproject.toml marks it, not the current directory a run falls back to) and the git
    work tree's top-level, among those that hold the file: a sample project with its own
    pyproject.toml under the repository's tests/ is test data. With neither, the current
    directory if it holds the file, else the path as given."""
    absolute = os.path.abspath(path)
    root = _project_root(os.path.dirname(absolute), config_root, root_is_project)
    if root is None:
        return PurePath(path).as_posix()
    return PurePath(os.path.relpath(absolute, root)).as_posix()


def _project_root(directory: str, config_root: Path, root_is_project: bool) -> Optional[str]:
    """`project_relative_path`'s root for the files of `directory` (absolute), if one holds them."""
    roots = []
    if root_is_project:
        roots.append(os.path.abspath(config_root))
    top = work_tree_top(directory)
    if top is not None:
        roots.append(top)
    holding = [root for root in roots if _holds(root, directory)]
    if not holding and _holds(os.path.abspath(config_root), directory):
        holding.append(os.path.abspath(config_root))
    return min(holding, key=len) if holding else None


def _holds(root: str, directory: str) -> bool:
    """Whether the files of `directory` are below `root`."""
    root = root.rstrip(os.sep)
    return directory == root or directory.startswith(root + os.sep)


def applicability(kind: FixKindName, in_test_file: bool) -> Applicability:
    info = FIX_KINDS_BY_NAME[kind]
    return info.in_tests if in_test_file else info.applicability


def unsafe_reason(kind: FixKindName, in_test_file: bool) -> str:
    """Why a fix of `kind` waits for `--unsafe-fixes`, for messages and `explain`."""
    if in_test_file and FIX_KINDS_BY_NAME[kind].applicability is SAFE:
        return "a test sets this value for the code under test; without it the test would use your real token"
    return FIX_KINDS_BY_NAME[kind].why


def unsafe_kinds(kinds: Tuple[FixKindName, ...]) -> str:
    """`delete-statement, drop-default in test files`-style summary of the unsafe ones among `kinds`."""
    always = [k for k in kinds if FIX_KINDS_BY_NAME[k].applicability is UNSAFE]
    in_tests = [k for k in kinds if k not in always and FIX_KINDS_BY_NAME[k].in_tests is UNSAFE]
    parts = []
    if always:
        parts.append(", ".join(always))
    if in_tests:
        parts.append(f"{', '.join(in_tests)} in test files")
    return "; ".join(parts)


def only_unsafe(kinds: Tuple[FixKindName, ...]) -> bool:
    """Whether every kind among `kinds` is unsafe everywhere: `--fix` alone applies none of them."""
    return bool(kinds) and all(FIX_KINDS_BY_NAME[k].applicability is UNSAFE for k in kinds)


def describe_fix_kinds(kinds: Tuple[FixKindName, ...]) -> str:
    lines = []
    for name in kinds:
        info = FIX_KINDS_BY_NAME[name]
        cls = info.applicability.value
        if info.in_tests is not info.applicability:
            cls = f"{cls}, {info.in_tests.value} in test files"
        lines.append(f"- {name} ({cls}): {info.example}. {info.why[0].upper()}{info.why[1:]}.")
        if info.in_tests is UNSAFE and info.applicability is SAFE:
            lines.append(f"  In test files: {unsafe_reason(name, True)}.")
    return "\n".join(lines)
