"""Jupyter notebooks: cells in, findings with cell positions out, cells fixed in place.

The code cells are analysed as one module, in order (a constant of cell 2 used in cell 5
is followed). IPython's magics and shell escapes are not Python: their lines are replaced
by placeholders of the same line count before parsing (as ruff does), and put back after
a fix. Every cell's text (markdown included) and every output is scanned for tokens.

A fix rewrites only the changed cells' `source`, spliced into the notebook's own JSON
text: key order, indentation, escapes, outputs and the final newline stay as they were.
"""

from __future__ import annotations

import bisect
import difflib
import json
import re
from dataclasses import dataclass, field, replace
from typing import (
    TYPE_CHECKING,
    Any,
    Callable,
    Dict,
    FrozenSet,
    Iterator,
    List,
    Optional,
    Sequence,
    Set,
    Tuple,
    cast,
)

from lint_secrets.findings import FileError, Finding, FixOutcome, PendingWrite
from lint_secrets.fix.edits import Edit, EditGroup, ReplaceExpression, SimpleEdit, Span, edit_parts
from lint_secrets.prefilter import imported_modules
from lint_secrets.source import LineIndex, parse_python
from lint_secrets.textscan import TextToken, scan_tokens

if TYPE_CHECKING:
    from lint_secrets.checker import FileResult, Worker
    from lint_secrets.fix.rewrite import RewriteResult

# Cell magics whose body is Python (ruff analyses these cells too); any other `%%` cell is not.
PYTHON_CELL_MAGICS = frozenset({"time", "timeit", "capture", "prun", "debug", "pypy"})
_MAGIC_LINE = re.compile(r"^([ \t]*)(?:[%!]|\?)")
_HELP_LINE = re.compile(r"^([ \t]*)[\w.]+\?{1,2}[ \t]*$")
_ASSIGNED_MAGIC = re.compile(r"^([ \t]*[\w.]+(?:[ \t]*,[ \t]*[\w.]+)*[ \t]*=[ \t]*)[%!]")
_PLACEHOLDER = "pass  # lint-secrets: IPython line {n}"


# ---------------------------------------------------------------------------
# The notebook's JSON, with where each string is in its text


@dataclass
class Located:
    """A JSON value and its [start, end) offsets in the notebook's text."""

    value: Any
    start: int
    end: int
    items: Any = None  # dict of key -> Located, or list of Located


# The standard library's JSON string scanner (C-accelerated); typeshed does not declare it.
scanstring: Callable[[str, int], Tuple[str, int]] = getattr(json.decoder, "scanstring")  # noqa: B009
_WHITESPACE = re.compile(r"[ \t\n\r]*")
_SCALAR = re.compile(r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?|true|false|null")


def _locate(text: str, at: int) -> Tuple[Located, int]:
    """Parse the JSON value at `at` (already known to be valid JSON), keeping positions."""
    at = _WHITESPACE.match(text, at).end()  # type: ignore[union-attr]
    start = at
    char = text[at]
    if char == '"':
        value, end = scanstring(text, at + 1)
        return Located(value, start, end), end
    if char == "{":
        items: Dict[str, Located] = {}
        at = _WHITESPACE.match(text, at + 1).end()  # type: ignore[union-attr]
        while text[at] != "}":
            key, at = scanstring(text, at + 1)
            at = _WHITESPACE.match(text, at).end() + 1  # type: ignore[union-attr]  # past ':'
            items[key], at = _locate(text, at)
            at = _WHITESPACE.match(text, at).end()  # type: ignore[union-attr]
            if text[at] == ",":
                at = _WHITESPACE.match(text, at + 1).end()  # type: ignore[union-attr]
        return Located({k: v.value for k, v in items.items()}, start, at + 1, items), at + 1
    if char == "[":
        elements: List[Located] = []
        at = _WHITESPACE.match(text, at + 1).end()  # type: ignore[union-attr]
        while text[at] != "]":
            element, at = _locate(text, at)
            elements.append(element)
            at = _WHITESPACE.match(text, at).end()  # type: ignore[union-attr]
            if text[at] == ",":
                at = _WHITESPACE.match(text, at + 1).end()  # type: ignore[union-attr]
        return Located([e.value for e in elements], start, at + 1, elements), at + 1
    match = _SCALAR.match(text, at)
    end = match.end() if match else at + 1
    return Located(json.loads(text[start:end]), start, end), end


@dataclass
class Cell:
    number: int  # 1-based, every cell counted (as ruff and Jupyter show them)
    kind: str  # "code", "markdown", "raw"
    source: str
    located: Located  # the `source` value: a string, or a list of line strings
    outputs: List[Located] = field(default_factory=list)  # every string in the outputs

    def line_offsets(self) -> List[int]:
        """For each line of the source, the offset in the notebook text of the string holding it."""
        if isinstance(self.located.items, list):
            offsets: List[int] = []
            for element in self.located.items:
                offsets.extend([element.start] * max(1, str(element.value).count("\n")))
            return offsets or [self.located.start]
        return [self.located.start] * (self.source.count("\n") + 1)


@dataclass
class Notebook:
    text: str
    cells: List[Cell]
    lines: LineIndex

    def position(self, offset: int) -> Tuple[int, int]:
        """1-based line and column in the notebook's text."""
        line, column = self.lines.position(offset)
        return line, column + 1


class NotebookError(Exception):
    pass


def read_notebook(data: bytes) -> Notebook:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise NotebookError(f"not a notebook: invalid UTF-8 at byte {exc.start}") from None
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        raise NotebookError(
            f"not a valid notebook: {exc.msg} (line {exc.lineno}, column {exc.colno})"
        ) from None
    except RecursionError:
        raise NotebookError("not a valid notebook: nested too deeply") from None
    if not isinstance(document, dict) or not isinstance(document.get("cells"), list):
        raise NotebookError("not a valid notebook: no list of cells")
    offset = len(text) - len(text.lstrip("\ufeff"))
    try:
        root, _ = _locate(text, offset)
    except (RecursionError, IndexError, ValueError):
        raise NotebookError("not a valid notebook: unreadable JSON") from None
    cells: List[Cell] = []
    for number, located in enumerate(root.items["cells"].items, start=1):
        fields = located.items if isinstance(located.items, dict) else {}
        source = fields.get("source")
        if source is None:
            continue
        value = source.value
        text_of = "".join(value) if isinstance(value, list) else value
        if not isinstance(text_of, str):
            raise NotebookError(f"not a valid notebook: cell {number} has a source that is not text")
        outputs = list(_strings(fields["outputs"])) if "outputs" in fields else []
        cells.append(
            Cell(number, str(fields.get("cell_type", Located("", 0, 0)).value), text_of, source, outputs)
        )
    return Notebook(text, cells, LineIndex(text))


def _strings(located: Located) -> Iterator[Located]:
    if isinstance(located.value, str):
        yield located
    elif isinstance(located.items, dict):
        for item in located.items.values():
            yield from _strings(item)
    elif isinstance(located.items, list):
        for item in located.items:
            yield from _strings(item)


# ---------------------------------------------------------------------------
# Code cells as one module


def neutralise(source: str) -> Tuple[str, Dict[int, str]]:
    """The cell's source with IPython lines replaced by placeholders (same line count), and the
    original of each replaced line by its 0-based index."""
    lines = source.split("\n")
    replaced: Dict[int, str] = {}
    first = lines[0].strip() if lines else ""
    if first.startswith("%%"):
        name = first[2:].split(maxsplit=1)[0] if first[2:].strip() else ""
        whole_cell = name not in PYTHON_CELL_MAGICS
        for i, line in enumerate(lines if whole_cell else lines[:1]):
            if line.strip():
                replaced[i] = line
                lines[i] = _PLACEHOLDER.format(n=i)
        if whole_cell:
            return "\n".join(lines), replaced
    continuing = False
    indent = ""
    depth, triple, joined = 0, "", False  # open brackets, an open triple-quoted string, `\`
    for i, line in enumerate(lines):
        if i in replaced:
            continue
        statement_start = not continuing and depth == 0 and not triple and not joined
        magic = (_MAGIC_LINE.match(line) or _HELP_LINE.match(line)) if statement_start else None
        assigned = _ASSIGNED_MAGIC.match(line) if statement_start else None
        if not (continuing or magic or assigned):
            # `% (a, b)` continuing a bracket, or a string's line, is Python, not a magic.
            depth, triple = _python_state(line, depth, triple)
            joined = line.rstrip().endswith("\\") and not line.lstrip().startswith("#")
            continue
        if continuing or magic:
            indent = magic.group(1) if magic else indent  # a continued line keeps the magic's indent
            replaced[i] = line
            lines[i] = indent + _PLACEHOLDER.format(n=i)
        elif assigned:
            indent = re.match(r"[ \t]*", line).group(0)  # type: ignore[union-attr]
            replaced[i] = line
            lines[i] = assigned.group(1) + "None  # " + _PLACEHOLDER.format(n=i)
        continuing = line.rstrip().endswith("\\")
    return "\n".join(lines), replaced


def _python_state(line: str, depth: int, triple: str) -> Tuple[int, str]:
    """Bracket depth and open triple quote after a line of Python (comments and strings skipped)."""
    at = 0
    while at < len(line):
        if triple:
            end = line.find(triple, at)
            if end < 0:
                return depth, triple
            at, triple = end + 3, ""
            continue
        char = line[at]
        if char == "#":
            break
        if char in "\"'":
            if line[at : at + 3] in ('"""', "'''"):
                triple, at = line[at : at + 3], at + 3
                continue
            at += 1
            while at < len(line) and line[at] != char:
                at += 2 if line[at] == "\\" else 1
            at += 1
            continue
        if char in "([{":
            depth += 1
        elif char in ")]}":
            depth = max(0, depth - 1)
        at += 1
    return depth, triple


@dataclass
class Module:
    text: str
    starts: List[int]  # the module line where each code cell starts (1-based)
    code_cells: List[Cell]
    neutral: List[str]  # each code cell's neutralised source
    replaced: List[Dict[int, str]]

    def cell_at(self, line: int) -> int:
        """Index into `code_cells` of the cell holding module line `line`."""
        return max(0, bisect.bisect_right(self.starts, line) - 1)


def build_module(cells: Sequence[Cell]) -> Module:
    code_cells = [c for c in cells if c.kind == "code"]
    parts: List[str] = []
    starts: List[int] = []
    neutral: List[str] = []
    replaced: List[Dict[int, str]] = []
    line = 1
    for cell in code_cells:
        text, lines = neutralise(cell.source)
        neutral.append(text)
        replaced.append(lines)
        starts.append(line)
        text = text if text.endswith("\n") or not text else text + "\n"
        parts.append(text)
        line += text.count("\n")
    return Module("".join(parts), starts, code_cells, neutral, replaced)


# ---------------------------------------------------------------------------
# Checking


def check_notebook(worker: Worker, path: str, data: bytes, codes: FrozenSet[str]) -> FileResult:
    from lint_secrets.checker import (
        TOKEN_CODE,
        FileResult,
        _covering,
        _deep_recursion,
        _without_noqa_text,
        text_findings,
    )

    try:
        notebook = read_notebook(data)
    except NotebookError as exc:
        return FileResult(path, errors=(FileError(path, str(exc)),))
    module = build_module(notebook.cells)
    scan = TOKEN_CODE in codes
    loose: List[Finding] = []
    code_tokens: List[Tuple[Cell, TextToken, Finding]] = []
    if scan:
        for cell in notebook.cells:
            tokens = _without_noqa_text(scan_tokens(cell.source.encode("utf-8")), cell.source)
            place = "in a markdown cell" if cell.kind == "markdown" else f"in a {cell.kind} cell"
            for token, finding in zip(tokens, text_findings(path, tokens, _always(place))):
                located = _in_cell(notebook, cell, finding, token.value)
                if cell.kind == "code":
                    code_tokens.append((cell, token, located))
                else:
                    loose.append(located)
            for output in cell.outputs:
                tokens = scan_tokens(str(output.value).encode("utf-8"))
                for token, finding in zip(
                    tokens, text_findings(path, tokens, lambda _t: "in a cell's output")
                ):
                    loose.append(_in_output(notebook, cell, output, finding, token.value))
    parsed = parse_python(module.text)
    if isinstance(parsed, str):
        findings = loose + [f for _cell, _token, f in code_tokens]
        return FileResult(
            path, tuple(_sorted(findings)), errors=(FileError(path, _cell_error(parsed, module)),)
        )
    index = LineIndex(module.text)
    try:
        from lint_secrets.analysis import analyze

        with _deep_recursion():
            analysis = analyze(parsed)
            findings, secrets, covered, unresolved = worker._findings(
                path, analysis, index, codes, parsed, imported_modules(data)
            )
            missing = worker._missing(analysis)
            models = tuple(dict.fromkeys(call.ref for call in analysis.calls if call.ref is not None))
    except RecursionError:
        return FileResult(path, errors=(FileError(path, "cannot analyse: nested too deeply"),))
    seen = _covering(covered)
    for cell, token, finding in code_tokens:
        start = module.starts[module.code_cells.index(cell)]
        at_module = replace(token, line=token.line + start - 1)
        if not seen(at_module):
            loose.append(finding)
        secrets.add(token.value)
    options = worker.options
    fixes = [f for f in findings if f.fix is not None]
    outcome: Optional[FixOutcome] = None
    if fixes and (options.fix or options.diff or options.describe_fixes):
        # The same choices as for a .py file (checker.py): which fixes, and whether unsafe ones.
        outcome = fix_notebook(
            path,
            data,
            notebook,
            module,
            findings,
            secrets,
            write=options.fix and not options.defer_writes,
            defer=options.fix and options.defer_writes,
            describe=options.describe_fixes and not options.fix,
            # A report that shows fixes shows the unsafe ones too, marked as such.
            unsafe_fixes=options.unsafe_fixes
            or (options.describe_fixes and not (options.fix or options.diff)),
        )
        findings = list(outcome.remaining)
    placed = [_in_module(notebook, module, f) for f in findings]
    result = FileResult(
        path,
        tuple(_sorted(placed + loose)),
        missing_schemas=missing,
        models=models,
        parsed=True,
        # Where the unresolved calls are in the .ipynb file's own lines, as annotations say.
        unresolved=tuple(_file_line(notebook, module, line) for line in unresolved),
    )
    if outcome is None:
        return result
    return replace(
        result,
        errors=outcome.errors,
        fixed=outcome.fixed,
        fixed_codes=outcome.fixed_codes,
        diff=outcome.diff,
        env_values=outcome.env_values,
        pending=outcome.pending,
    )


def _always(place: str) -> Callable[[TextToken], str]:
    return lambda _token: place


def _sorted(findings: List[Finding]) -> List[Finding]:
    return sorted(findings, key=lambda f: (f.cell or 0, f.line, f.column))


def _cell_error(message: str, module: Module) -> str:
    """`syntax error: ... (line L, column C)` with L counted in the cell that holds it."""
    match = re.search(r"\(line (\d+), column (\d+)\)$", message)
    if not match or not module.code_cells:
        return message
    line = int(match.group(1))
    which = module.cell_at(line)
    cell_line = line - module.starts[which] + 1
    where = f"(cell {module.code_cells[which].number}, line {cell_line}, column {match.group(2)})"
    return message[: match.start()] + where


def _file_position(notebook: Notebook, cell: Cell, line: int, needle: str) -> Tuple[int, int]:
    """The line and column in the .ipynb text of `needle` on the cell's `line` (its string's
    start when the needle is written there with escapes)."""
    offsets = cell.line_offsets()
    start = offsets[min(max(line, 1), len(offsets)) - 1]
    json_line, _ = notebook.lines.position(start)
    found = notebook.text.find(needle, start, notebook.lines.starts[json_line]) if needle else -1
    return notebook.position(found if found >= 0 else start)


def _file_line(notebook: Notebook, module: Module, line: int) -> int:
    """The line of the .ipynb file that holds line `line` of the cells' module."""
    which = module.cell_at(line)
    return _file_position(notebook, module.code_cells[which], line - module.starts[which] + 1, "")[0]


def _in_cell(notebook: Notebook, cell: Cell, finding: Finding, needle: str) -> Finding:
    return replace(
        finding, cell=cell.number, file_position=_file_position(notebook, cell, finding.line, needle)
    )


def _in_output(notebook: Notebook, cell: Cell, output: Located, finding: Finding, token: str) -> Finding:
    """An output's token: `line` and `column` count in the output's text, which the message says."""
    message = finding.message.replace("in a cell's output", f"in an output of cell {cell.number}")
    found = notebook.text.find(token, output.start, output.end)
    position = notebook.position(found if found >= 0 else output.start)
    return replace(finding, cell=cell.number, message=message, file_position=position)


def _in_module(notebook: Notebook, module: Module, finding: Finding) -> Finding:
    which = module.cell_at(finding.line)
    cell = module.code_cells[which]
    shift = module.starts[which] - 1
    line = finding.line - shift
    text = cell.source.split("\n")[line - 1] if line - 1 < len(cell.source.split("\n")) else ""
    needle = json.dumps(text[finding.column - 1 :][:12])[1:-1]  # as the notebook's JSON writes it
    call_line = finding.call_line
    if call_line is not None:
        call_cell = module.cell_at(call_line)
        call_line = call_line - module.starts[call_cell] + 1
    return replace(
        finding,
        line=line,
        end_line=finding.end_line - shift,
        cell=cell.number,
        file_position=_file_position(notebook, cell, line, needle),
        call_line=call_line,
        message=_CALL_LINE.sub(lambda m: _cell_line(module, int(m.group(1))), finding.message),
    )


_CALL_LINE = re.compile(r"(?<=call )on line (\d+)(?=\))")


def _cell_line(module: Module, line: int) -> str:
    which = module.cell_at(line)
    return f"in cell {module.code_cells[which].number}, line {line - module.starts[which] + 1}"


# ---------------------------------------------------------------------------
# Fixing


def fix_notebook(
    path: str,
    data: bytes,
    notebook: Notebook,
    module: Module,
    findings: Sequence[Finding],
    secrets: Set[str],
    *,
    write: bool,
    defer: bool = False,
    describe: bool = False,
    unsafe_fixes: bool = False,
) -> FixOutcome:
    """Rewrite each cell that has fixes (LibCST, top-level `await` allowed), put its IPython
    lines back, and splice the new sources into the notebook's text.

    Unsafe fixes only with `unsafe_fixes`, as in a .py file. With `describe` (SARIF) nothing
    is written and each fix says what it changes in the .ipynb file's own text."""
    from lint_secrets.catalog import UNMASKED_CODES
    from lint_secrets.fix.apply import (
        FixError,
        choose,
        finding_span,
        redacted_diff,
        write_atomically,
    )
    from lint_secrets.fix.rewrite import RewriteFailure
    from lint_secrets.redact import redact_all

    chosen = choose(findings, unsafe_fixes=unsafe_fixes)
    by_cell: Dict[int, List[Finding]] = {}
    for finding in chosen:
        by_cell.setdefault(module.cell_at(finding.line), []).append(finding)
    import_added = not any(f.fix is not None and f.fix.needs_os_import for f in chosen)
    import_cell: Optional[int] = None  # the code cell `import os` goes into
    new_sources: Dict[int, str] = {}
    applied: List[Finding] = []
    errors: List[FileError] = []
    diffs: List[str] = []
    for which in sorted(by_cell):
        cell = module.code_cells[which]
        shift = module.starts[which] - 1
        edits = [finding.fix.edit for finding in by_cell[which] if finding.fix is not None]
        result = _rewrite_cell(path, module, which, edits, add_import_os=not import_added)
        if isinstance(result, RewriteFailure):
            reason = redact_all(result.reason, list(secrets))
            errors.append(FileError(path, f"cell {cell.number}: fix not applied: {reason}"))
            continue
        if not import_added:
            import_cell = which
        import_added = True
        source = result.text
        new_sources[cell.number] = source
        applied.extend(by_cell[which])
        spans = [
            _unshifted(finding_span(f), shift)
            for f in findings
            if module.cell_at(f.line) == which and f.code not in UNMASKED_CODES
        ]
        diffs.append(
            redacted_diff(
                f"a/{path}:cell {cell.number}",
                f"b/{path}:cell {cell.number}",
                cell.source,
                source,
                spans,
                secrets,
            )
        )
    applied_ids = {id(f) for f in applied}
    env_values = tuple(
        # A fix with no variable (to a cog model's inputs) takes nothing to the environment.
        dict.fromkeys((f.fix.env_name, f.fix.secret) for f in applied if f.fix is not None and f.fix.env_name)
    )
    diff = "".join(diffs)
    if describe:
        described = describe_notebook_fixes(notebook, module, findings, applied, import_cell)
        return FixOutcome(described, tuple(errors), 0, diff, env_values)
    if not (write or defer) or not new_sources:
        return FixOutcome(tuple(findings), tuple(errors), 0, diff, env_values)
    new_text = splice_sources(notebook, new_sources)
    bom = "\ufeff" if data.startswith(b"\xef\xbb\xbf") and not new_text.startswith("\ufeff") else ""
    if defer:
        # `--env-file`: the values are saved first, then the caller writes the notebook.
        remaining = tuple(f for f in findings if id(f) not in applied_ids)
        pending = PendingWrite(path, data, (bom + new_text).encode("utf-8"), remaining, len(applied))
        return FixOutcome(tuple(findings), tuple(errors), 0, diff, env_values, pending)
    try:
        write_atomically(path, data, (bom + new_text).encode("utf-8"))
    except FixError as exc:
        return FixOutcome(tuple(findings), (*errors, FileError(path, f"fix not written: {exc}")), diff=diff)
    remaining = tuple(f for f in findings if id(f) not in applied_ids)
    return FixOutcome(remaining, tuple(errors), len(applied), diff, env_values)


def _rewrite_cell(
    path: str, module: Module, which: int, edits: Sequence[Edit], *, add_import_os: bool
) -> RewriteResult:
    """Code cell `which` with `edits` (in module positions) made, its IPython lines put back."""
    from lint_secrets.fix.rewrite import RewriteFailure, RewriteSuccess, rewrite

    cell = module.code_cells[which]
    shift = module.starts[which] - 1
    result = rewrite(
        module.neutral[which],
        list(dict.fromkeys(_shifted(edit, shift) for edit in edits)),
        add_import_os=add_import_os,
        filename=f"{path}:cell {cell.number}",
        allow_top_level_await=True,
    )
    if isinstance(result, RewriteFailure):
        return result
    return RewriteSuccess(_restore(module.neutral[which], result.text, module.replaced[which], cell.source))


def describe_notebook_fixes(
    notebook: Notebook,
    module: Module,
    findings: Sequence[Finding],
    chosen: Sequence[Finding],
    import_cell: Optional[int],
) -> Tuple[Finding, ...]:
    """`findings` with each chosen fix's `replacements` in the .ipynb file's own JSON text, as
    `--fix` writes it: the fix made alone in its cell, spliced into the notebook, and the
    changed part of the JSON text (an escaped line of a cell's `source`). The `import os`
    line goes, with every fix that needs it, where `--fix` puts it (`import_cell`), so
    applying every replacement gives what `--fix` writes."""
    from lint_secrets.fix.apply import text_hunks, text_replacement
    from lint_secrets.fix.rewrite import Rewriter, RewriteSuccess

    # Each cell is parsed once, for all of its fixes (as describe_fixes does for a .py file).
    rewriters: Dict[int, Optional[Rewriter]] = {}
    text = notebook.text
    ensure_ascii = _escapes_non_ascii(text)

    def rewritten(which: int, edits: Sequence[Edit], add_import_os: bool) -> Optional[str]:
        shift = module.starts[which] - 1
        parts = [part for edit in edits for part in edit_parts(_shifted(edit, shift))]
        neutral = module.neutral[which]
        if parts and not add_import_os and all(isinstance(p, ReplaceExpression) for p in parts):
            # A replaced expression is exactly the engine's new node (as in describe_fixes),
            # unless it holds comments, which the engine keeps.
            index = LineIndex(neutral)
            spans = [
                (
                    index.starts[p.span.start_line - 1] + p.span.start_column,
                    index.starts[p.span.end_line - 1] + p.span.end_column,
                )
                for p in parts
            ]
            if not any("#" in neutral[start:end] for start, end in spans):
                new = neutral
                for (start, end), part in sorted(zip(spans, parts), key=lambda pair: pair[0], reverse=True):
                    new = new[:start] + cast(ReplaceExpression, part).replacement + new[end:]
                return new
        if which not in rewriters:
            parsed = Rewriter.parse(neutral)
            rewriters[which] = parsed if isinstance(parsed, Rewriter) else None
        rewriter = rewriters[which]
        result = rewriter.apply(parts, add_import_os=add_import_os) if rewriter is not None else None
        return result.text if isinstance(result, RewriteSuccess) else None

    def hunks_of(which: int, edits: Sequence[Edit], add_import_os: bool) -> List[Tuple[int, int, str]]:
        new = rewritten(which, edits, add_import_os)
        if new is None:
            return []
        cell = module.code_cells[which]
        source = _restore(module.neutral[which], new, module.replaced[which], cell.source)
        # Only the cell's `source` changes (splice_sources): the hunks are found in it alone.
        located = cell.located
        written = _write_source(text, located, source, ensure_ascii)
        return [
            (located.start + start, located.start + end, inserted)
            for start, end, inserted in text_hunks(text[located.start : located.end], written)
        ]

    import_hunks = hunks_of(import_cell, [], True) if import_cell is not None else []
    chosen_ids = {id(f) for f in chosen}
    described: List[Finding] = []
    for finding in findings:
        fix = finding.fix
        if fix is None or id(finding) not in chosen_ids:
            described.append(finding)
            continue
        pieces = hunks_of(module.cell_at(finding.line), [fix.edit], False)
        if not pieces:
            described.append(finding)  # the fix failed alone: nothing to describe
            continue
        if fix.needs_os_import:
            pieces = pieces + import_hunks
        replacements = tuple(text_replacement(notebook.lines, *piece) for piece in sorted(pieces))
        described.append(replace(finding, fix=replace(fix, replacements=replacements)))
    return tuple(described)


def _shifted(edit: Edit, shift: int) -> Edit:
    if isinstance(edit, EditGroup):
        return EditGroup(tuple(cast(SimpleEdit, _shifted(part, shift)) for part in edit.edits))
    span = edit.span
    moved = Span(span.start_line - shift, span.start_column, span.end_line - shift, span.end_column)
    return cast(Edit, replace(edit, span=moved))


def _unshifted(span: Span, shift: int) -> Span:
    return Span(span.start_line - shift, span.start_column, span.end_line - shift, span.end_column)


def _restore(neutral: str, rewritten: str, replaced: Dict[int, str], original: str) -> str:
    """The rewritten cell with its IPython lines put back where the placeholders are."""
    if not replaced:
        return rewritten
    old = neutral.split("\n")
    new = rewritten.split("\n")
    originals = original.split("\n")
    out: List[str] = []
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            out.extend(originals[i1:i2])
        else:
            out.extend(new[j1:j2])
    return "\n".join(out)


_LINE = re.compile(r"[^\n]*\n|[^\n]+$")


def splice_sources(notebook: Notebook, new_sources: Dict[int, str]) -> str:
    """The notebook's text with each changed cell's `source` replaced, written as it was
    (a list of lines or one string, the same indentation, unchanged lines byte for byte)."""
    text = notebook.text
    ensure_ascii = _escapes_non_ascii(text)
    pieces: List[str] = []
    position = 0
    for cell in notebook.cells:
        if cell.number not in new_sources:
            continue
        located = cell.located
        pieces.append(text[position : located.start])
        pieces.append(_write_source(text, located, new_sources[cell.number], ensure_ascii))
        position = located.end
    pieces.append(text[position:])
    return "".join(pieces)


def _escapes_non_ascii(text: str) -> bool:
    """nbformat writes non-ASCII as it is; a notebook written with escapes keeps them."""
    return text.isascii() and "\\u" in text


def _write_source(text: str, located: Located, source: str, ensure_ascii: bool) -> str:
    if not isinstance(located.items, list):
        return json.dumps(source, ensure_ascii=ensure_ascii)
    elements: List[Located] = located.items
    old_lines = [str(e.value) for e in elements]
    new_lines = _LINE.findall(source)
    if not elements:
        return json.dumps(new_lines, ensure_ascii=ensure_ascii)
    opening = text[located.start : elements[0].start]
    closing = text[elements[-1].end : located.end]
    if len(elements) > 1:
        separator = text[elements[0].end : elements[1].start]
    else:
        line_start = text.rfind("\n", 0, elements[0].start) + 1
        separator = ",\n" + text[line_start : elements[0].start] if "\n" in opening else ", "
    written: List[str] = []
    matcher = difflib.SequenceMatcher(None, old_lines, new_lines, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            written.extend(text[e.start : e.end] for e in elements[i1:i2])
        else:
            written.extend(json.dumps(line, ensure_ascii=ensure_ascii) for line in new_lines[j1:j2])
    return opening + separator.join(written) + closing


__all__ = [
    "Cell",
    "Notebook",
    "NotebookError",
    "check_notebook",
    "neutralise",
    "read_notebook",
    "splice_sources",
]
