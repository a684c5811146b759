"""The rewrite engine itself (lint_secrets/fix/rewrite.py), in-process: paired before/after
cases for each node edit and for `import os`, and the guards that refuse a rewrite."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any, List, Sequence

import pytest

from lint_secrets.fix.edits import DeleteStatement, DropArgument, Edit, ReplaceExpression, Span
from lint_secrets.fix.rewrite import RewriteFailure, RewriteSuccess, rewrite

ENV = 'os.environ["K"]'


def _span_of(text: str, needle: str, occurrence: int = 0) -> Span:
    """The span of the `occurrence`-th `needle` in `text` (both on one line)."""
    start = -1
    for _ in range(occurrence + 1):
        start = text.index(needle, start + 1)
    line = text.count("\n", 0, start) + 1
    column = start - (text.rfind("\n", 0, start) + 1)
    return Span(line, column, line, column + len(needle))


def _rewritten(text: str, edits: Sequence[Edit], **options: Any) -> str:
    result = rewrite(text, edits, **options)
    assert isinstance(result, RewriteSuccess), result
    return result.text


def pair(before: str, after: str, id: str) -> Any:
    return pytest.param(textwrap.dedent(before), textwrap.dedent(after), id=id)


# Each case marks what goes with «...»: the value of a dropped argument, or a statement.
DROPPED_ARGUMENTS = [
    pair('a = os.getenv("K", «"r8"»)\n', 'a = os.getenv("K")\n', id="last-positional"),
    # The text splicer wrote `key=` twice here (valid for ast.parse, not for compile()).
    pair(
        'a = os.getenv(default=«"r8"», key="K")\n',
        'a = os.getenv(key="K")\n',
        id="keyword-default-first",
    ),
    pair('a = os.getenv("K", «"r8"»,)\n', 'a = os.getenv("K",)\n', id="trailing-comma"),
    # The splicer deleted the comment after the key and moved the next one up.
    pair(
        """\
        a = os.getenv(
            "K",  # the key
            «"r8"»,  # the fallback
        )  # done
        """,
        """\
        a = os.getenv(
            "K",  # the key
        )  # done
        """,
        id="multi-line-comments-stay",
    ),
    pair(
        """\
        a = os.getenv(
            "K",  # the key
            «"r8"»
        )
        """,
        """\
        a = os.getenv(
            "K"  # the key
        )
        """,
        id="multi-line-no-trailing-comma",
    ),
    pair(
        """\
        a = os.getenv(
            "K",
            # the fallback, until the secret store is set up
            «"r8"»,
        )
        """,
        """\
        a = os.getenv(
            "K",
            # the fallback, until the secret store is set up
        )
        """,
        # A fix deletes no comment line it can't read: this one may well be about the argument,
        # but the next one might not be, and the diff shows what is left.
        id="comment-lines-above-the-dropped-argument-stay",
    ),
    pair(
        """\
        a = os.environ.get(
            «"r8"»,
            "K",
        )
        """,
        """\
        a = os.environ.get(
            "K",
        )
        """,
        id="multi-line-first",
    ),
]

DELETED_STATEMENTS = [
    pair('import os\n«os.environ["K"] = "r8"»\nx = 1\n', "import os\nx = 1\n", id="alone"),
    # Two deletions sharing a `;` needed a second --fix with the splicer.
    pair('«os.environ["K"] = "r8"»; «os.putenv("K", "r8")»\nx = 1\n', "x = 1\n", id="two-share-a-semicolon"),
    pair('x = 1; «os.environ["K"] = "r8"»  # set\n', "x = 1  # set\n", id="after-a-semicolon"),
    pair('«os.environ["K"] = "r8"»; x = 1\n', "x = 1\n", id="before-a-semicolon"),
    pair(
        """\
        if ok:
            # the token
            «os.environ["K"] = "r8"»  # here
        x = 1
        """,
        """\
        if ok:
            # the token
            pass  # here
        x = 1
        """,
        id="emptied-block-gets-pass",
    ),
    pair(
        """\
        def f():
            «os.environ["K"] = "r8"»
            # why the client
            return 1
        """,
        """\
        def f():
            # why the client
            return 1
        """,
        id="comments-above-the-next-statement-stay",
    ),
    pair(
        """\
        # configure
        «os.environ["K"] = "r8"»
        """,
        """\
        # configure
        """,
        id="comment-above-a-removed-last-statement-stays",
    ),
    pair('if ok: «os.environ["K"] = "r8"»\n', "if ok: pass\n", id="one-line-suite"),
    pair(
        'import os\n\n\n«os.environ["K"] = "r8"»\n\n\ndef f():\n    pass\n',
        "import os\n\n\ndef f():\n    pass\n",
        id="blank-lines-do-not-pile-up",
    ),
    pair('import os\n\n«os.environ["K"] = "r8"»', "import os\n\n", id="no-final-newline"),
]


def _edits(marked: str, kind: type) -> tuple[str, List[Edit]]:
    """The text without «» marks, and an edit of `kind` for each marked range."""
    edits: List[Edit] = []
    text = marked
    while "«" in text:
        start = text.index("«")
        end = text.index("»")
        inner = text[start + 1 : end]
        text = text[:start] + inner + text[end + 1 :]
        line = text.count("\n", 0, start) + 1
        column = start - (text.rfind("\n", 0, start) + 1)
        edits.append(kind(Span(line, column, line, column + len(inner))))
    return text, edits


@pytest.mark.parametrize(("before", "after"), DROPPED_ARGUMENTS)
def test_drop_argument(before: str, after: str) -> None:
    text, edits = _edits(before, DropArgument)
    assert _rewritten(text, edits) == after
    assert _rewritten(after, []) == after


@pytest.mark.parametrize(("before", "after"), DELETED_STATEMENTS)
def test_delete_statement(before: str, after: str) -> None:
    text, edits = _edits(before, DeleteStatement)
    assert _rewritten(text, edits) == after


REPLACED = [
    pair('x = "r8"\n', f"x = {ENV}\n", id="literal"),
    pair('x = ("r8"\n     "more")\n', f"x = ({ENV})\n", id="parenthesised-concatenation-keeps-parentheses"),
    pair('f(a="r8", b="r8")\n', f'f(a={ENV}, b="r8")\n', id="only-the-located-one"),
    pair('x = "é" + "r8"  # ünïcode\n', f"x = {ENV}  # ünïcode\n", id="character-columns"),
]


@pytest.mark.parametrize(("before", "after"), REPLACED)
def test_replace_expression(before: str, after: str) -> None:
    first_line = before.splitlines()[0]
    start = first_line.index("=" if "(" not in first_line[:3] else "a=") + 1
    if first_line.startswith("f("):
        start = first_line.index('"')
        edit = ReplaceExpression(Span(1, start, 1, start + 4), ENV)
    elif "\n     " in before:
        edit = ReplaceExpression(Span(1, 5, 2, 11), ENV)
    else:
        value = first_line[start:].split("#")[0].strip()
        column = first_line.index(value)
        edit = ReplaceExpression(Span(1, column, 1, column + len(value)), ENV)
    assert _rewritten(before, [edit]) == after


IMPORT_OS = [
    pair(
        "import json\nimport sys\n\nx = 1\n",
        "import json\nimport os\nimport sys\n\nx = 1\n",
        id="alphabetical",
    ),
    pair("import abc\nimport json\n", "import abc\nimport json\nimport os\n", id="alphabetical-last"),
    pair(
        '"""Doc."""\nfrom __future__ import annotations\n\nimport sys\nfrom pathlib import Path\n',
        '"""Doc."""\nfrom __future__ import annotations\n\nimport os\nimport sys\nfrom pathlib import Path\n',
        id="alphabetical-after-future",
    ),
    pair(
        "import sys\nimport json\n", "import sys\nimport json\nimport os\n", id="unsorted-after-the-imports"
    ),
    pair("import replicate\n\nx = 1\n", "import replicate\nimport os\n\nx = 1\n", id="third-party-only"),
    pair(
        "from pathlib import Path\nfrom typing import Any\n\nimport replicate\n",
        "import os\nfrom pathlib import Path\nfrom typing import Any\n\nimport replicate\n",
        id="before-standard-library-from-imports",
    ),
    pair(
        "#!/usr/bin/env python\n# -*- coding: utf-8 -*-\n\n# about x\nx = 1\n",
        "#!/usr/bin/env python\n# -*- coding: utf-8 -*-\n\n# about x\nimport os\nx = 1\n",
        id="no-imports-comments-stay-on-top",
    ),
    pair('"""Doc."""', '"""Doc."""\nimport os', id="docstring-only-no-final-newline"),
    pair("x = 1\r\ny = 2\r\n", "import os\r\nx = 1\r\ny = 2\r\n", id="crlf"),
]


@pytest.mark.parametrize(("before", "after"), IMPORT_OS)
def test_import_os_adds_exactly_one_line(before: str, after: str) -> None:
    assert _rewritten(before, [], add_import_os=True) == after
    assert len(after.splitlines()) == len(before.splitlines()) + 1


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("try:\n    pass\nexcept E :\n    pass\n", id="space-before-except-colon"),
        pytest.param("x = 1\r", id="final-bare-cr"),
    ],
)
def test_files_libcst_does_not_reproduce_are_refused(text: str) -> None:
    result = rewrite(text, [ReplaceExpression(Span(1, 4, 1, 5), ENV)] if text.startswith("x") else [])
    assert isinstance(result, RewriteFailure)
    assert "does not reproduce" in result.reason


def test_result_must_compile_not_only_parse() -> None:
    result = rewrite("x = 1\n", [ReplaceExpression(Span(1, 4, 1, 5), "await y")])
    assert isinstance(result, RewriteFailure) and "would not compile" in result.reason
    # A notebook cell may await at the top level.
    allowed = rewrite("x = 1\n", [ReplaceExpression(Span(1, 4, 1, 5), "await y")], allow_top_level_await=True)
    assert isinstance(allowed, RewriteSuccess)


def test_an_edit_that_locates_nothing_is_refused() -> None:
    result = rewrite("x = 1\n", [DeleteStatement(Span(1, 4, 1, 5))])
    assert isinstance(result, RewriteFailure) and "found no code" in result.reason


def test_plain_check_does_not_import_libcst(tmp_path: Path) -> None:
    """LibCST is for runs that show or apply fixes; a pre-commit run on clean files stays light."""
    (tmp_path / "clean.py").write_text("import replicate\nreplicate.run('a/b', input={'prompt': 'hi'})\n")
    (tmp_path / "other.py").write_text("print('hello')\n")
    completed = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "lint_secrets", "check", "--isolated", str(tmp_path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert completed.returncode == 0, completed.stdout + completed.stderr
    imported = [line.rsplit("|", 1)[-1].strip() for line in completed.stderr.splitlines() if "|" in line]
    assert "lint_secrets.checker" in imported  # the measurement saw the run
    assert not [name for name in imported if name.split(".")[0] == "libcst"]
    assert "lint_secrets.fix.rewrite" not in imported and "lint_secrets.fix.apply" not in imported
