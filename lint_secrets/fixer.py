"""Applying fixes: edits spliced into the decoded text, `import os` added, written atomically.

Only the edited characters change: line endings, a BOM, the encoding, a missing final
newline and the file mode are carried over. A result that doesn't parse is never written.
"""

from __future__ import annotations

import ast
import difflib
from dataclasses import dataclass, field
from typing import Iterable, List, Sequence, Tuple

from lint_secrets.atomic import UnsafeWrite, replace_checked
from lint_secrets.findings import Edit, FileError, Finding
from lint_secrets.redact import redact_all
from lint_secrets.source import Source, parse_python, physical_lines


@dataclass(frozen=True)
class FixOutcome:
    remaining: Tuple[Finding, ...]
    errors: Tuple[FileError, ...] = ()
    fixed: int = 0
    diff: str = ""
    env_values: Tuple[Tuple[str, str], ...] = field(default=(), repr=False)


class FixError(Exception):
    pass


def apply_fixes(
    path: str,
    original: bytes,
    source: Source,
    findings: Sequence[Finding],
    *,
    write: bool,
    redact: Iterable[str] = (),
) -> FixOutcome:
    """Apply every fix that doesn't collide with another; write the file when `write`.

    Without `write` (`--diff`) nothing is fixed: every finding remains. The diff and
    messages redact the removed secrets and `redact` (secrets left in the file).
    """
    chosen: List[Finding] = []
    edits: List[Edit] = []
    for finding in findings:
        if finding.fix is None:
            continue
        new = [e for e in finding.fix.edits if e not in edits]
        if not new and finding.fix.edits:
            chosen.append(finding)  # its edits are already in: two literals in one removed statement
            continue
        if any(_overlaps((e.start, e.end), (o.start, o.end)) for e in new for o in edits):
            continue
        chosen.append(finding)
        edits.extend(new)
    remaining = tuple(f for f in findings if all(f is not c for c in chosen))
    if not chosen:
        return FixOutcome(tuple(findings))
    secrets = [f.fix.secret for f in findings if f.fix is not None] + list(redact)
    try:
        text = splice(source.text, edits)
        if any(f.fix is not None and f.fix.needs_os_import for f in chosen):
            text = add_os_import(text)
        check_parses(text)
        new_bytes = source.encode(text)
    except FixError as exc:
        message = redact_all(f"fix not applied: {exc}", secrets)
        return FixOutcome(tuple(findings), (FileError(path, message),))
    diff = redact_all(unified_diff(path, source.text, text), secrets)
    env_values = tuple(dict.fromkeys((f.fix.env_name, f.fix.secret) for f in chosen if f.fix is not None))
    if not write:
        # Nothing fixed, but what would be set is known: `--env-file` saves it before fixing.
        return FixOutcome(tuple(findings), (), 0, diff, env_values)
    try:
        write_atomically(path, original, new_bytes)
    except FixError as exc:
        return FixOutcome(tuple(findings), (FileError(path, f"fix not written: {exc}"),), diff=diff)
    return FixOutcome(remaining, (), len(chosen), diff, env_values)


def _overlaps(a: Tuple[int, int], b: Tuple[int, int]) -> bool:
    return (a[0] < b[1] and b[0] < a[1]) or a == b


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
    """`text` with an `import os` line after the docstring, `__future__` and other leading imports.

    Only that one line is added (LibCST's AddImportsVisitor also adds a blank line after
    it, and fails on some code `ast` reads); it ends as the file's lines end. When there
    are no leading imports it goes just before the first statement, so a shebang, an
    encoding line and header comments stay on top.
    """
    tree = parse_python(text)
    if isinstance(tree, str):
        raise FixError(f"cannot add `import os` ({tree})")
    body = tree.body
    lines = physical_lines(text)
    header = 0  # statements that must stay first: the docstring and `from __future__` imports
    if body and _is_docstring(body[0]):
        header = 1
    while header < len(body) and _is_future_import(body[header]):
        header += 1
    leading = header
    while leading < len(body) and isinstance(body[leading], (ast.Import, ast.ImportFrom)):
        leading += 1
    choices = []
    if leading:
        choices.append(_end_line(body[leading - 1]) + 1)
    if leading < len(body):
        choices.append(_first_line(body[leading]))
    if not body:
        choices.append(len(lines) + 1)
    for line in choices:
        new = _insert_line(text, lines, line, "import os")
        if _import_os_at(new, line, header, leading, len(body)):
            return new
    raise FixError("found no line to add `import os` on")


def _is_docstring(statement: ast.stmt) -> bool:
    return (
        isinstance(statement, ast.Expr)
        and isinstance(statement.value, ast.Constant)
        and isinstance(statement.value.value, str)
    )


def _is_future_import(statement: ast.stmt) -> bool:
    return isinstance(statement, ast.ImportFrom) and statement.module == "__future__"


def _first_line(statement: ast.stmt) -> int:
    decorators: List[ast.expr] = getattr(statement, "decorator_list", None) or []
    return min([statement.lineno] + [d.lineno for d in decorators])


def _end_line(statement: ast.stmt) -> int:
    return statement.end_lineno or statement.lineno


def _insert_line(text: str, lines: List[str], before: int, new_line: str) -> str:
    """`new_line` inserted before physical line `before` (1-based), ended as its neighbours are."""
    if before > len(lines):
        if not lines:
            return new_line + "\n"
        ending = _ending(lines[-1])
        if ending:
            return text + new_line + ending
        return text + (_ending(lines[-2]) if len(lines) > 1 else "\n") + new_line
    ending = _ending(lines[before - 2]) if before > 1 else _ending(lines[0])
    offset = sum(len(line) for line in lines[: before - 1])
    return text[:offset] + new_line + (ending or "\n") + text[offset:]


def _ending(line: str) -> str:
    return line[len(line.rstrip("\r\n")) :]


def _import_os_at(text: str, line: int, header: int, leading: int, count: int) -> bool:
    """Whether `text` parses with a top-level `import os` on `line`, between header and other code."""
    tree = parse_python(text)
    if isinstance(tree, str):
        return False
    body = tree.body
    if len(body) != count + 1:
        return False
    for position, statement in enumerate(body):
        if isinstance(statement, ast.Import) and statement.lineno == line:
            names = [(alias.name, alias.asname) for alias in statement.names]
            return names == [("os", None)] and header <= position <= leading
    return False


def check_parses(text: str) -> None:
    problem = parse_python(text)
    if isinstance(problem, str):
        raise FixError(f"the fixed code would not parse ({problem})")


def unified_diff(path: str, before: str, after: str) -> str:
    lines = difflib.unified_diff(
        before.splitlines(keepends=True),
        after.splitlines(keepends=True),
        fromfile=f"a/{path}",
        tofile=f"b/{path}",
    )
    return "".join(
        line if line.endswith("\n") else line + "\n\\ No newline at end of file\n" for line in lines
    )


def write_atomically(path: str, expected: bytes, data: bytes) -> None:
    """Replace `path` with `data` unless it no longer holds `expected`; all or nothing.

    The file keeps its owner, group, mode and extended attributes; a symlink stays one.
    """
    try:
        replace_checked(path, expected, data)
    except UnsafeWrite as exc:
        raise FixError(str(exc)) from None
    except OSError as exc:
        raise FixError(exc.strerror or str(exc)) from None
