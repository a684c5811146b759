"""Applying fixes: edits spliced into the decoded text, `import os` added, written atomically.

Only the edited characters change: line endings, a BOM, the encoding, a missing final
newline and the file mode are carried over. A result that doesn't parse is never written.
"""

from __future__ import annotations

import ast
import difflib
import os
import stat
import tempfile
from dataclasses import dataclass, field
from typing import List, Sequence, Tuple

from lint_secrets.findings import Edit, FileError, Finding
from lint_secrets.redact import redact_all
from lint_secrets.source import Source


@dataclass(frozen=True)
class FixOutcome:
    remaining: Tuple[Finding, ...]
    errors: Tuple[FileError, ...] = ()
    fixed: int = 0
    diff: str = ""
    env_values: Tuple[Tuple[str, str], ...] = field(default=(), repr=False)


class FixError(Exception):
    pass


def apply_fixes(path: str, original: bytes, source: Source, findings: Sequence[Finding], *, write: bool) -> FixOutcome:
    chosen: List[Finding] = []
    taken: List[Tuple[int, int]] = []
    for finding in findings:
        if finding.fix is None:
            continue
        spans = [(e.start, e.end) for e in finding.fix.edits]
        if any(_overlaps(span, other) for span in spans for other in taken):
            continue
        chosen.append(finding)
        taken.extend(spans)
    remaining = tuple(f for f in findings if f not in chosen or f.fix is None)
    if not chosen:
        return FixOutcome(tuple(findings))
    secrets = [f.fix.secret for f in chosen if f.fix is not None]
    try:
        text = splice(source.text, [e for f in chosen if f.fix for e in f.fix.edits])
        if any(f.fix is not None and f.fix.needs_os_import for f in chosen):
            text = add_os_import(text)
        check_parses(text)
        new_bytes = source.encode(text)
    except FixError as exc:
        message = redact_all(f"fix not applied: {exc}", secrets)
        return FixOutcome(tuple(findings), (FileError(path, message),))
    diff = redact_all(unified_diff(path, source.text, text), secrets)
    env_values = tuple(dict.fromkeys((f.fix.env_name, f.fix.secret) for f in chosen if f.fix is not None))
    if write:
        try:
            write_atomically(path, original, new_bytes)
        except FixError as exc:
            return FixOutcome(tuple(findings), (FileError(path, f"fix not written: {exc}"),), diff=diff)
    return FixOutcome(remaining, (), len(chosen), diff, env_values)


def _overlaps(a: Tuple[int, int], b: Tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1] or a == b


def splice(text: str, edits: Sequence[Edit]) -> str:
    pieces: List[str] = []
    position = 0
    for edit in sorted(edits, key=lambda e: e.start):
        pieces.append(text[position : edit.start])
        pieces.append(edit.replacement)
        position = edit.end
    pieces.append(text[position:])
    return "".join(pieces)


def add_os_import(text: str) -> str:
    """`import os` where LibCST would put it: after the docstring and `__future__` imports."""
    import libcst
    from libcst.codemod import CodemodContext
    from libcst.codemod.visitors import AddImportsVisitor

    try:
        module = libcst.parse_module(text)
    except (libcst.ParserSyntaxError, RecursionError) as exc:
        raise FixError(f"cannot add `import os`: {str(exc).splitlines()[0]}") from None
    context = CodemodContext()
    AddImportsVisitor.add_needed_import(context, "os")
    return AddImportsVisitor(context).transform_module(module).code


def check_parses(text: str) -> None:
    try:
        ast.parse(text)
    except (SyntaxError, ValueError, RecursionError, MemoryError) as exc:
        raise FixError(f"the fixed code would not parse ({type(exc).__name__})") from None


def unified_diff(path: str, before: str, after: str) -> str:
    lines = difflib.unified_diff(
        before.splitlines(keepends=True),
        after.splitlines(keepends=True),
        fromfile=f"a/{path}",
        tofile=f"b/{path}",
    )
    return "".join(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n" for line in lines)


def write_atomically(path: str, expected: bytes, data: bytes) -> None:
    """Replace `path` with `data` unless it no longer holds `expected`; all or nothing."""
    try:
        info = os.stat(path)
        if not info.st_mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH):
            raise FixError("file is read-only")
        with open(path, "rb") as handle:
            if handle.read() != expected:
                raise FixError("file changed on disk while it was being checked")
    except OSError as exc:
        raise FixError(exc.strerror or str(exc)) from None
    real = os.path.realpath(path)
    directory = os.path.dirname(real) or "."
    descriptor, temp = tempfile.mkstemp(prefix=".lint-secrets-", suffix=".tmp", dir=directory)
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temp, stat.S_IMODE(info.st_mode))
        os.replace(temp, real)
    except BaseException as exc:
        try:
            os.unlink(temp)
        except OSError:
            pass
        if isinstance(exc, OSError):
            raise FixError(exc.strerror or str(exc)) from None
        raise
