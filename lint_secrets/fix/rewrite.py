"""The rewrite engine: node edits made by LibCST, located by the findings' positions.

Detection runs on `ast` for speed; every rewrite goes through a concrete syntax tree, so
an argument leaves with its comma, a statement with its semicolon, and the comments and
formatting around them stay. Failures come back as data (`RewriteFailure`), never as an
exception per file. Only runs that show or apply fixes import this module: LibCST costs
far more to import and to parse with than `ast`.
"""

from __future__ import annotations

import ast
import bisect
import sys
import warnings
from dataclasses import dataclass
from typing import Dict, List, Optional, Sequence, Set, Tuple, TypeVar, Union, cast

import libcst as cst
from libcst.metadata import MetadataWrapper, PositionProvider

from lint_secrets.fix.edits import (
    AddImportedName,
    DeleteStatement,
    DropArgument,
    DropFallback,
    Edit,
    ReplaceExpression,
    SimpleEdit,
    edit_parts,
)
from lint_secrets.records import Record

# ast.PyCF_ALLOW_TOP_LEVEL_AWAIT: notebook cells may `await` at the top level.
ALLOW_TOP_LEVEL_AWAIT = 0x2000


@dataclass(frozen=True, repr=False, eq=False)
class RewriteSuccess(Record):
    text: str


@dataclass(frozen=True, repr=False, eq=False)
class RewriteFailure(Record):
    reason: str


RewriteResult = Union[RewriteSuccess, RewriteFailure]


def rewrite(
    text: str,
    edits: Sequence[Edit],
    *,
    add_import_os: bool = False,
    filename: str = "<fix>",
    allow_top_level_await: bool = False,
) -> RewriteResult:
    """`text` with `edits` made (and `import os` added when asked), checked to compile."""
    rewriter = Rewriter.parse(text)
    if isinstance(rewriter, RewriteFailure):
        return rewriter
    result = rewriter.apply(edits, add_import_os=add_import_os)
    if isinstance(result, RewriteFailure):
        return result
    problem = compile_problem(result.text, filename, allow_top_level_await=allow_top_level_await)
    if problem is not None:
        return RewriteFailure(f"the fixed code would not compile ({problem})")
    return result


class Rewriter:
    """One file parsed once, for one or more sets of edits.

    Only the top-level statements that hold an edit get positions and a transformer
    pass: on a large file with one finding, the rest is only parsed and printed.
    """

    def __init__(self, text: str, module: cst.Module, first_lines: List[int]) -> None:
        self.text = text
        self.module = module
        self._first_lines = first_lines  # the first line of each top-level statement (its comments included)

    @classmethod
    def parse(cls, text: str) -> Union[Rewriter, RewriteFailure]:
        try:
            module = cst.parse_module(text)
        except cst.ParserSyntaxError as exc:
            return RewriteFailure(f"LibCST cannot parse this file ({_first_line(str(exc))})")
        except RecursionError:
            return RewriteFailure("LibCST cannot parse this file (nested too deeply)")
        if module.code != text:
            # LibCST's known gaps (`except E :`, whitespace-only last lines, a final bare CR):
            # any rewrite would change more than the edits.
            return RewriteFailure("LibCST does not reproduce this file exactly")
        first_lines = _first_lines_from_ast(text, module)
        if first_lines is None:
            first_lines = []
            line = len(module.header) + 1
            for statement in module.body:
                first_lines.append(line)
                line += _line_count(module.code_for_node(statement))
        return cls(text, module, first_lines)

    def apply(self, edits: Sequence[Edit], *, add_import_os: bool = False) -> RewriteResult:
        """The text with `edits` made; not yet checked to compile."""
        module = self.module
        # Two fixes may share a part (both add `Secret` to one import): it is made once.
        parts = list(dict.fromkeys(part for edit in edits for part in edit_parts(edit)))
        by_statement: Dict[int, List[SimpleEdit]] = {}
        for edit in parts:
            index = bisect.bisect_right(self._first_lines, edit.span.start_line) - 1
            if index < 0:
                return RewriteFailure(f"found no code to rewrite at line {edit.span.start_line}")
            by_statement.setdefault(index, []).append(edit)
        targets: Dict[int, cst.CSTNode] = {}
        for index, statement_edits in by_statement.items():
            targets.update(_locate(module, index, self._first_lines[index] - 1, statement_edits))
        for edit in parts:
            if id(edit) not in targets:
                return RewriteFailure(f"found no code to rewrite at line {edit.span.start_line}")
        try:
            transformer = _EditTransformer(parts, targets)
            body: List[cst.BaseStatement] = list(module.body)
            for index in by_statement:
                body[index] = cast(cst.BaseStatement, body[index].visit(transformer))
            new_module = transformer.leave_Module(module, module.with_changes(body=body))
            if add_import_os:
                new_module = insert_import_os(new_module)
            return RewriteSuccess(new_module.code)
        except (cst.CSTValidationError, cst.ParserSyntaxError, RecursionError) as exc:
            return RewriteFailure(f"the rewrite failed ({_first_line(str(exc))})")


def _line_count(code: str) -> int:
    return len(code.splitlines())


def _first_lines_from_ast(text: str, module: cst.Module) -> Optional[List[int]]:
    """The first line of each top-level LibCST statement (its leading comments included),
    read off `ast`, which is far cheaper than printing every statement; None when the two
    trees do not line up (`_locate` then finds nothing and the rewrite fails safely anyway)."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            tree = ast.parse(text)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None
    starts: List[int] = []
    previous_end = 0
    for statement in tree.body:
        decorators = getattr(statement, "decorator_list", None) or []
        first = min([statement.lineno, *(d.lineno for d in decorators)])
        if starts and first == previous_end and not isinstance(statement, _COMPOUND):
            previous_end = statement.end_lineno or first  # `a; b` is one LibCST line
            continue
        starts.append(first)
        previous_end = statement.end_lineno or first
    if len(starts) != len(module.body):
        return None
    first_lines = []
    for start, node in zip(starts, module.body):
        leading = len(getattr(node, "leading_lines", ()))
        decorators = getattr(node, "decorators", ())
        if decorators:
            leading += len(decorators[0].leading_lines)
        first_lines.append(start - leading)
    return first_lines


_COMPOUND = (
    (
        ast.FunctionDef,
        ast.AsyncFunctionDef,
        ast.ClassDef,
        ast.If,
        ast.For,
        ast.AsyncFor,
        ast.While,
        ast.With,
        ast.AsyncWith,
        ast.Try,
    )
    + ((ast.Match,) if sys.version_info >= (3, 10) else ())
    + ((ast.TryStar,) if sys.version_info >= (3, 11) else ())
)


def compile_problem(text: str, filename: str, *, allow_top_level_await: bool = False) -> Optional[str]:
    """Why `text` does not compile as a module, or None when it does."""
    flags = ALLOW_TOP_LEVEL_AWAIT if allow_top_level_await else 0
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            compile(text, filename, "exec", flags=flags, dont_inherit=True)
    except SyntaxError as exc:
        return f"{exc.msg} on line {exc.lineno}" if exc.lineno else exc.msg
    except (ValueError, RecursionError, MemoryError) as exc:
        return _first_line(str(exc)) if isinstance(exc, ValueError) else "nested too deeply"
    return None


def _first_line(message: str) -> str:
    stripped = message.strip()
    return stripped.splitlines()[0] if stripped else "unknown error"


# ---------------------------------------------------------------------------
# Locating the nodes


def _locate(
    module: cst.Module, index: int, line_offset: int, edits: Sequence[SimpleEdit]
) -> Dict[int, cst.CSTNode]:
    """For each edit (by id), the node it works on in top-level statement `index`: the
    outermost node with the edit's span (positions counted from `line_offset`)."""
    wanted: Dict[Tuple[int, int, int, int], List[SimpleEdit]] = {}
    for edit in edits:
        span = edit.span
        key = (span.start_line - line_offset, span.start_column, span.end_line - line_offset, span.end_column)
        wanted.setdefault(key, []).append(edit)
    alone = module.with_changes(header=[], body=[module.body[index]], footer=[])
    found: Dict[int, cst.CSTNode] = {}
    # Positions are recorded in visiting order, parents before children: the first node
    # met with a span is its outermost one.
    for node, position in MetadataWrapper(alone, unsafe_skip_copy=True).resolve(PositionProvider).items():
        key = (position.start.line, position.start.column, position.end.line, position.end.column)
        for edit in wanted.get(key, ()):
            if id(edit) in found:
                continue
            if isinstance(edit, DeleteStatement):
                if isinstance(node, cst.BaseSmallStatement):
                    found[id(edit)] = node
            elif isinstance(edit, AddImportedName):
                if isinstance(node, cst.ImportFrom):
                    found[id(edit)] = node
            elif isinstance(edit, DropFallback):
                if isinstance(node, cst.BooleanOperation):
                    found[id(edit)] = node
            elif isinstance(node, cst.BaseExpression):
                found[id(edit)] = node
    return found


# ---------------------------------------------------------------------------
# Making the edits

NodeT = TypeVar("NodeT", bound=cst.CSTNode)


class _EditTransformer(cst.CSTTransformer):
    def __init__(self, edits: Sequence[SimpleEdit], targets: Dict[int, cst.CSTNode]) -> None:
        super().__init__()
        self.replacements: Dict[int, cst.BaseExpression] = {}
        self.dropped: Set[int] = set()  # argument values whose argument goes
        self.deleted: Set[int] = set()  # small statements that go
        self.imported: Dict[int, List[str]] = {}  # `from m import ...` statements that gain names
        self.fallbacks_dropped: Set[int] = set()  # `x or "..."` expressions that become `x`
        for edit in edits:
            node = targets[id(edit)]
            if isinstance(edit, ReplaceExpression):
                self.replacements[id(node)] = cst.parse_expression(edit.replacement)
            elif isinstance(edit, DropArgument):
                self.dropped.add(id(node))
            elif isinstance(edit, AddImportedName):
                self.imported.setdefault(id(node), []).append(edit.name)
            elif isinstance(edit, DropFallback):
                self.fallbacks_dropped.add(id(node))
            else:
                self.deleted.add(id(node))

    def on_leave(self, original_node: NodeT, updated_node: NodeT) -> Union[NodeT, cst.RemovalSentinel]:
        updated = super().on_leave(original_node, updated_node)
        replacement = self.replacements.get(id(original_node))
        if replacement is not None and isinstance(updated, cst.BaseExpression):
            # The parentheses around the old value stay: they may hold a line break.
            new = _keeping_comments(updated, replacement.with_changes(lpar=updated.lpar, rpar=updated.rpar))
            return cast(NodeT, new)  # an expression where an expression was
        if id(original_node) in self.fallbacks_dropped and isinstance(updated, cst.BooleanOperation):
            # `(a or "...")` becomes `(a)`: the parentheses, and any line break they hold, stay.
            left = updated.left
            kept = left.with_changes(lpar=[*updated.lpar, *left.lpar], rpar=[*left.rpar, *updated.rpar])
            return cast(NodeT, kept)
        return cast(Union[NodeT, cst.RemovalSentinel], updated)

    # -- arguments
    def leave_Call(self, original_node: cst.Call, updated_node: cst.Call) -> cst.Call:
        drop = [i for i, arg in enumerate(original_node.args) if id(arg.value) in self.dropped]
        if not drop:
            return updated_node
        args = list(updated_node.args)
        opening = updated_node.whitespace_before_args
        for index in reversed(drop):
            args, below = _without_argument(args, index)
            if below is not None:  # the first argument went: the lines below it follow the `(`
                opening = _with_comment_lines(opening, below)
        return updated_node.with_changes(args=args, whitespace_before_args=opening)

    def leave_AnnAssign(self, original_node: cst.AnnAssign, updated_node: cst.AnnAssign) -> cst.AnnAssign:
        """`name: type = value` -> `name: type` when the value is dropped (a settings field's default)."""
        if original_node.value is None or id(original_node.value) not in self.dropped:
            return updated_node
        return updated_node.with_changes(value=None, equal=cst.MaybeSentinel.DEFAULT)

    # -- imports
    def leave_ImportFrom(self, original_node: cst.ImportFrom, updated_node: cst.ImportFrom) -> cst.ImportFrom:
        added = self.imported.get(id(original_node))
        if not added or isinstance(updated_node.names, cst.ImportStar):
            return updated_node
        names = list(updated_node.names)
        for name in added:
            if not any(_imported_name(alias) == name for alias in names):
                names = _with_imported_name(names, name)
        return updated_node.with_changes(names=names)

    # -- statements
    def leave_SimpleStatementSuite(
        self, original_node: cst.SimpleStatementSuite, updated_node: cst.SimpleStatementSuite
    ) -> cst.SimpleStatementSuite:
        kept = self._kept_small_statements(original_node.body, updated_node.body)
        if kept is None:
            return updated_node
        return updated_node.with_changes(body=kept or [cst.Pass()])

    def leave_IndentedBlock(
        self, original_node: cst.IndentedBlock, updated_node: cst.IndentedBlock
    ) -> cst.IndentedBlock:
        body, carried, first_removed = self._edit_statements(original_node.body, updated_node.body)
        if body is None:
            return updated_node
        if not body and first_removed is not None:
            # A block can't be empty: its first removed line stays, as `pass`.
            own = len(first_removed.leading_lines)
            body = [first_removed.with_changes(body=[cst.Pass()])]
            carried = carried[own:]
        return updated_node.with_changes(body=body, footer=[*carried, *updated_node.footer])

    def leave_Module(self, original_node: cst.Module, updated_node: cst.Module) -> cst.Module:
        body, carried, _ = self._edit_statements(original_node.body, updated_node.body)
        if body is None:
            return updated_node
        last = original_node.body[-1]
        last_removed = isinstance(last, cst.SimpleStatementLine) and all(
            id(s) in self.deleted for s in last.body
        )
        # A removed last line without a line break of its own: the break before it stays.
        ends_with_break = updated_node.has_trailing_newline or last_removed
        return updated_node.with_changes(
            body=body, footer=[*carried, *updated_node.footer], has_trailing_newline=ends_with_break
        )

    def _edit_statements(
        self, originals: Sequence[cst.BaseStatement], updated: Sequence[cst.BaseStatement]
    ) -> Tuple[Optional[List[cst.BaseStatement]], List[cst.EmptyLine], Optional[cst.SimpleStatementLine]]:
        """The block's statements without the deleted ones; the comment lines above a removed
        line move down to the next statement (or, at the end, to the block's footer)."""
        if not any(
            isinstance(o, cst.SimpleStatementLine) and any(id(s) in self.deleted for s in o.body)
            for o in originals
        ):
            return None, [], None
        body: List[cst.BaseStatement] = []
        carried: List[cst.EmptyLine] = []
        first_removed: Optional[cst.SimpleStatementLine] = None
        for original, statement in zip(originals, updated):
            if isinstance(original, cst.SimpleStatementLine) and isinstance(
                statement, cst.SimpleStatementLine
            ):
                kept = self._kept_small_statements(original.body, statement.body)
                if kept is not None and not kept:
                    carried.extend(statement.leading_lines)
                    first_removed = first_removed or statement
                    continue
                if kept is not None:
                    statement = statement.with_changes(body=kept)
            if carried and isinstance(statement, (cst.SimpleStatementLine, cst.BaseCompoundStatement)):
                statement = statement.with_changes(
                    leading_lines=_merged_lines(carried, statement.leading_lines)
                )
                carried = []
            body.append(statement)
        return body, carried, first_removed

    def _kept_small_statements(
        self, originals: Sequence[cst.BaseSmallStatement], updated: Sequence[cst.BaseSmallStatement]
    ) -> Optional[List[cst.BaseSmallStatement]]:
        """None when nothing on the line is deleted; else what stays, semicolons mended."""
        if not any(id(o) in self.deleted for o in originals):
            return None
        kept = [u for o, u in zip(originals, updated) if id(o) not in self.deleted]
        if kept and id(originals[-1]) in self.deleted:
            # `other(); deleted` -> `other()`: the new last statement ends as the old last did.
            kept[-1] = kept[-1].with_changes(semicolon=updated[-1].semicolon)
        return kept


def _keeping_comments(old: cst.BaseExpression, new: cst.BaseExpression) -> cst.BaseExpression:
    """`new` (which replaces `old`) followed by the comments written inside `old`.

    A value written in pieces across lines (`("r8_..."  # first half` / `+ "...")`) may
    carry comments between its parts: they stay, after the new value and before the closing
    parenthesis (one is added around the new value when `old` had none), one per line.
    """
    found = _CommentCollector()
    old.with_changes(lpar=[], rpar=[]).visit(found)
    if not found.comments:
        return new
    indented, indent = found.last_break
    lines = [
        cst.EmptyLine(indent=indented, whitespace=cst.SimpleWhitespace(indent), comment=comment)
        for comment in found.comments[1:]
    ]
    rpar = list(new.rpar) or [cst.RightParen()]
    innermost = rpar[0]
    before = innermost.whitespace_before
    if isinstance(before, cst.ParenthesizedWhitespace):
        # `)` on a line of its own stays there, after the comments.
        if before.first_line.comment is not None:
            lines.append(
                cst.EmptyLine(
                    indent=indented,
                    whitespace=cst.SimpleWhitespace(indent),
                    comment=before.first_line.comment,
                )
            )
        lines.extend(before.empty_lines)
        indented, last_line = before.indent, before.last_line
    else:
        last_line = cst.SimpleWhitespace(indent)
    closing = cst.ParenthesizedWhitespace(
        first_line=cst.TrailingWhitespace(whitespace=cst.SimpleWhitespace("  "), comment=found.comments[0]),
        empty_lines=lines,
        indent=indented,
        last_line=last_line,
    )
    rpar[0] = innermost.with_changes(whitespace_before=closing)
    return new.with_changes(lpar=list(new.lpar) or [cst.LeftParen()], rpar=rpar)


class _CommentCollector(cst.CSTVisitor):
    """The comments in a node, in order, and how its last line break indents the next line."""

    def __init__(self) -> None:
        super().__init__()
        self.comments: List[cst.Comment] = []
        self.last_break: Tuple[bool, str] = (True, "")

    def visit_Comment(self, node: cst.Comment) -> None:
        self.comments.append(node)

    def visit_ParenthesizedWhitespace(self, node: cst.ParenthesizedWhitespace) -> None:
        self.last_break = (node.indent, node.last_line.value)


def _merged_lines(carried: Sequence[cst.EmptyLine], own: Sequence[cst.EmptyLine]) -> List[cst.EmptyLine]:
    """The lines above a removed statement, then those above the next one. Comments all stay;
    blank lines stay only as many as the larger of the two runs had (no E303 pile-up)."""
    blank_carried = sum(1 for line in carried if line.comment is None)
    blank_own = sum(1 for line in own if line.comment is None)
    excess = min(blank_carried, blank_own)
    kept: List[cst.EmptyLine] = []
    for line in carried:
        if line.comment is None and excess:
            excess -= 1
            continue
        kept.append(line)
    return [*kept, *own]


def _imported_name(alias: cst.ImportAlias) -> str:
    """The name an import alias binds."""
    if alias.asname is not None and isinstance(alias.asname.name, cst.Name):
        return alias.asname.name.value
    return cst.Module([]).code_for_node(alias.name)


def _with_imported_name(names: List[cst.ImportAlias], name: str) -> List[cst.ImportAlias]:
    """`names` with `name` added: in its sorted place when they are sorted (isort and ruff's
    I001 stay quiet), else last; each alias keeps its comma's spacing and comments."""
    spelled = [cst.Module([]).code_for_node(alias.name) for alias in names]
    position = len(names)
    if spelled == sorted(spelled):
        position = next((i for i, existing in enumerate(spelled) if existing > name), len(names))
    if position < len(names):
        # Before an alias: the new one is followed as the alias before it (or the first) is.
        comma = _plain_comma(names[position - 1].comma if position else names[0].comma)
        return [*names[:position], cst.ImportAlias(name=cst.Name(name), comma=comma), *names[position:]]
    last = names[-1]
    new = cst.ImportAlias(name=cst.Name(name))
    if isinstance(last.comma, cst.Comma):
        # A trailing comma (`(\n    a,\n    b,\n)`): the new alias ends the list as `b` did, and
        # `b` is followed as the others are.
        between = _plain_comma(names[-2].comma if len(names) > 1 else cst.MaybeSentinel.DEFAULT)
        return [*names[:-1], last.with_changes(comma=between), new.with_changes(comma=last.comma)]
    return [*names[:-1], last.with_changes(comma=_plain_comma(cst.MaybeSentinel.DEFAULT)), new]


def _plain_comma(template: Union[cst.Comma, cst.MaybeSentinel]) -> cst.Comma:
    """A comma spaced like `template` (`, ` when there is none), without its comment."""
    if not isinstance(template, cst.Comma):
        return cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))
    after = template.whitespace_after
    if isinstance(after, cst.ParenthesizedWhitespace):
        after = after.with_changes(first_line=cst.TrailingWhitespace(), empty_lines=[])
    return template.with_changes(whitespace_after=after)


def _without_argument(
    args: List[cst.Arg], index: int
) -> Tuple[List[cst.Arg], Optional[cst.ParenthesizedWhitespace]]:
    """`args` without `args[index]`, commas and the comments of the others kept. Only the
    argument's own line-end comment goes: the comment lines above and below it stay. When the
    first argument goes, the space after it (with the lines below it) is returned, for the
    caller to put after the opening bracket."""
    removed = args[index]
    rest = args[:index] + args[index + 1 :]
    if index < len(args) - 1:
        # Its own comma goes with it; the lines after that comma are above the next argument.
        after = removed.comma.whitespace_after if isinstance(removed.comma, cst.Comma) else None
        below = after if isinstance(after, cst.ParenthesizedWhitespace) and _comments(after) else None
        if below is None or index == 0:
            return rest, below
        previous = rest[index - 1]
        comma = previous.comma
        assert isinstance(comma, cst.Comma)  # followed by an argument: it has a comma
        kept = _with_comment_lines(comma.whitespace_after, below)
        rest[index - 1] = previous.with_changes(comma=comma.with_changes(whitespace_after=kept))
        return rest, None
    if index == 0:
        return rest, None  # the only argument
    previous = args[index - 1]
    previous_comma = previous.comma
    assert isinstance(previous_comma, cst.Comma)  # not the last argument: it has a comma
    if isinstance(removed.comma, cst.Comma):
        # A trailing comma stays, now after the previous argument.
        joined = _join(previous_comma.whitespace_after, removed.comma.whitespace_after)
        previous = previous.with_changes(comma=previous_comma.with_changes(whitespace_after=joined))
    else:
        joined = _join(previous_comma.whitespace_after, removed.whitespace_after_arg)
        previous = previous.with_changes(comma=cst.MaybeSentinel.DEFAULT, whitespace_after_arg=joined)
    return [*rest[:-1], previous], None


def _comments(whitespace: cst.ParenthesizedWhitespace) -> List[cst.EmptyLine]:
    """The comment lines in `whitespace` (blank lines left out)."""
    return [line for line in whitespace.empty_lines if line.comment is not None]


def _with_comment_lines(
    whitespace: cst.BaseParenthesizableWhitespace, below: cst.ParenthesizedWhitespace
) -> cst.BaseParenthesizableWhitespace:
    """`whitespace` followed by the comment lines of `below`; a space on one line becomes
    `below`'s line break (without what ended the removed argument's line)."""
    if isinstance(whitespace, cst.ParenthesizedWhitespace):
        return whitespace.with_changes(empty_lines=[*whitespace.empty_lines, *_comments(below)])
    return below.with_changes(first_line=cst.TrailingWhitespace(), empty_lines=_comments(below))


def _join(
    before: cst.BaseParenthesizableWhitespace, after: cst.BaseParenthesizableWhitespace
) -> cst.BaseParenthesizableWhitespace:
    """The space left where an argument stood between `before` and `after`.

    A comment after the previous argument stays with it, and so do the comment lines between
    the two; the removed argument's own line-end comment goes with it; the closing bracket
    keeps its line and indentation.
    """
    if not isinstance(before, cst.ParenthesizedWhitespace):
        return after
    between = _comments(before)
    if before.first_line.comment is None and not between:
        return after
    if isinstance(after, cst.ParenthesizedWhitespace):
        return before.with_changes(
            empty_lines=[*between, *after.empty_lines], indent=after.indent, last_line=after.last_line
        )
    return before.with_changes(empty_lines=between)


# ---------------------------------------------------------------------------
# import os

STDLIB_MODULES = frozenset(getattr(sys, "stdlib_module_names", ())) or frozenset(
    # Python 3.9 has no sys.stdlib_module_names: the modules an import block usually starts with.
    "abc argparse ast asyncio base64 collections contextlib copy csv dataclasses datetime enum "
    "functools glob hashlib io itertools json logging math os pathlib pickle platform random re "
    "shutil signal socket sqlite3 string subprocess sys tempfile textwrap threading time "
    "traceback typing unittest urllib uuid warnings".split()
)


def insert_import_os(module: cst.Module) -> cst.Module:
    """`module` with one `import os` line.

    In its alphabetical place among the first run of plain `import x` standard-library
    statements when that run is sorted (ruff's I001 stays quiet); otherwise after the
    docstring, `from __future__` imports and the other leading imports, or, with no
    leading imports, just above the first statement (below its comments).
    """
    body = list(module.body)
    header = 1 if body and _is_docstring(body[0]) else 0
    while header < len(body) and _is_future_import(body[header]):
        header += 1
    leading = header
    while leading < len(body) and _is_import_line(body[leading]):
        leading += 1
    new_line = cst.SimpleStatementLine(body=[cst.Import(names=[cst.ImportAlias(name=cst.Name("os"))])])
    position, first_of_run = _alphabetical_position(body, header, leading)
    if position is None:
        position = leading
        # With no leading imports, the comments above the first statement stay above it.
        first_of_run = leading == header
    if first_of_run and position < len(body):
        # The blank lines and comments that open the block stay where they were.
        following = body[position]
        if isinstance(following, (cst.SimpleStatementLine, cst.BaseCompoundStatement)):
            new_line = new_line.with_changes(leading_lines=following.leading_lines)
            body[position] = following.with_changes(leading_lines=[])
    body.insert(position, new_line)
    return module.with_changes(body=body)


def _alphabetical_position(
    body: Sequence[cst.BaseStatement], start: int, end: int
) -> Tuple[Optional[int], bool]:
    """Where `import os` goes in the first run of plain standard-library imports, and
    whether that is before the run's first line; (None, False) when there is no sorted run."""
    run: List[Tuple[int, str]] = []
    for index in range(start, end):
        name = _plain_stdlib_import(body[index])
        if name is None:
            if run:
                break
            continue
        run.append((index, name))
    names = [name.lower() for _, name in run]
    if not run:
        # The block opens with standard-library `from` imports: `import x` lines sort before
        # them (isort, ruff), so `import os` opens the block.
        if start < end and _stdlib_from_import(body[start]):
            return start, True
        return None, False
    if names != sorted(names):
        return None, False
    for index, name in run:
        if name.lower() > "os":
            return index, index == run[0][0]
    return run[-1][0] + 1, False


def _plain_stdlib_import(statement: cst.BaseStatement) -> Optional[str]:
    """`x` for a line that is exactly `import x` of a standard-library module."""
    if not isinstance(statement, cst.SimpleStatementLine) or len(statement.body) != 1:
        return None
    small = statement.body[0]
    if not isinstance(small, cst.Import) or len(small.names) != 1 or small.names[0].asname is not None:
        return None
    name = cst.Module([]).code_for_node(small.names[0].name)
    return name if name.split(".")[0] in STDLIB_MODULES else None


def _stdlib_from_import(statement: cst.BaseStatement) -> bool:
    if not isinstance(statement, cst.SimpleStatementLine) or len(statement.body) != 1:
        return False
    small = statement.body[0]
    if not isinstance(small, cst.ImportFrom) or small.relative or small.module is None:
        return False
    return cst.Module([]).code_for_node(small.module).split(".")[0] in STDLIB_MODULES


def _is_docstring(statement: cst.BaseStatement) -> bool:
    return (
        isinstance(statement, cst.SimpleStatementLine)
        and len(statement.body) == 1
        and isinstance(statement.body[0], cst.Expr)
        and isinstance(statement.body[0].value, (cst.SimpleString, cst.ConcatenatedString))
    )


def _is_future_import(statement: cst.BaseStatement) -> bool:
    return (
        isinstance(statement, cst.SimpleStatementLine)
        and bool(statement.body)
        and all(
            isinstance(small, cst.ImportFrom)
            and isinstance(small.module, cst.Name)
            and small.module.value == "__future__"
            for small in statement.body
        )
    )


def _is_import_line(statement: cst.BaseStatement) -> bool:
    return isinstance(statement, cst.SimpleStatementLine) and all(
        isinstance(s, (cst.Import, cst.ImportFrom)) for s in statement.body
    )
