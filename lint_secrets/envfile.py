"""The opt-in dotenv file that keeps the values `--fix` takes out of the code."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path
from typing import Dict, List, Mapping, Optional, Tuple


def refusal(env_file: Path) -> Optional[str]:
    """Why the dotenv file must not receive secrets, if it must not."""
    directory = env_file.resolve().parent
    if not directory.is_dir():
        return "its directory does not exist"
    if env_file.exists() and not os.access(env_file, os.W_OK):
        return "is not writable"
    try:
        tracked = subprocess.run(
            ["git", "ls-files", "--error-unmatch", "--", env_file.resolve().name],
            cwd=directory,
            capture_output=True,
            timeout=30,
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    if tracked.returncode == 0:
        return "is tracked by git; secrets must not be committed (use an untracked file)"
    return None


def existing_values(env_file: Path) -> Dict[str, str]:
    values: Dict[str, str] = {}
    if not env_file.exists():
        return values
    for line in env_file.read_text(encoding="utf-8", errors="replace").splitlines():
        name, sep, value = line.partition("=")
        name = name.strip()
        if name.startswith("export "):
            name = name[len("export ") :].strip()
        if sep and name:
            values.setdefault(name, _dotenv_unquote(value.strip()))
    return values


def clashes(env_file: Path, values: Mapping[str, str]) -> List[str]:
    """Names the file already holds with another value: fixing would switch the code's key."""
    existing = existing_values(env_file)
    return sorted(name for name in values if name in existing and existing[name] != values[name])


def append(env_file: Path, values: Mapping[str, str]) -> Tuple[str, ...]:
    """Append `NAME="value"` for each name the file lacks (created with mode 0600); the names written."""
    existing = existing_values(env_file)
    written = tuple(name for name in sorted(values) if name not in existing)
    descriptor = os.open(env_file, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    with os.fdopen(descriptor, "a", encoding="utf-8") as handle:
        for name in written:
            handle.write(f'{name}="{_dotenv_escape(values[name])}"\n')
    return written


def _dotenv_escape(value: str) -> str:
    """A value for a double-quoted dotenv string: one line, quotes and backslashes escaped."""
    return value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")


def _dotenv_unquote(value: str) -> str:
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
        inner = value[1:-1]
        if value[0] == '"':
            inner = inner.replace("\\n", "\n").replace("\\r", "\r").replace('\\"', '"').replace("\\\\", "\\")
        return inner
    return value
