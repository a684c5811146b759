"""The first pass skips the parts of the tree that cannot bind, call or hold a string (names,
contexts, operators, identifiers) and tracks whether code runs at import as it enters scopes:
here it must still find every call, string and `+` that a plain walk of the tree finds."""

from __future__ import annotations

import ast
import sys
from pathlib import Path
from typing import List, Set, Tuple

import pytest

from lint_secrets.analysis.scopes import build_scopes

ROOT = Path(__file__).resolve().parent.parent

VARIED = """
import replicate, os
from functools import partial as p

KEY = "module-level"
CONFIG = {"a": f"x{os.getenv('Y', 'fallback')!r:>{10}}", **{"b": "c"}}
first, *rest = ("one", "two", "three")
value = (walrus := "walrus") + "tail"
items = [s.strip("chars") for s in ("x", "y") if s != "skip"]
table = {k: v for k, v in {"k": "v"}.items()}
lazy = lambda token="lambda-default": replicate.run("o/n", input={"t": token + "inside"})
del CONFIG["a"]
assert KEY, "message"
global_value: str = "annotated"
CONFIG["late"] = "subscript-target"
CONFIG |= {"merged": "value"}


@decorate("decorator-arg")
class Settings(Base, metaclass=Meta, flag="class-keyword"):
    token = "class-body"

    class Inner:
        secret = "inner-class-body"

    def method(self, key="default", *args, scale: "annotation" = 2, **kwargs) -> "returns":
        self.client = replicate.Client(api_token="in-method")
        nonlocal_like = [x async for x in aiter()] if False else None
        return self.client.run("o/n", input={"key": key})


def factory(fallback=os.environ.get("K", "env-default")):
    global KEY
    KEY = "rebound"

    class Local:
        attr = "class-in-function"

    try:
        import missing
    except (ImportError, ValueError) as exc:
        raise RuntimeError("raised") from exc
    else:
        pass
    finally:
        print("finally")
    with open("path") as handle, open("other"):
        handle.write("written")
    for index in range(3):
        if index:
            continue
    else:
        print("for-else")
    while True:
        break
    match fallback:
        case {"k": "pattern-value", **others}:
            pass
        case Point(x="class-pattern", y=[1, *tail]) | "alternative" if tail:
            pass
        case str() as bound:
            pass
    return "returned"


async def runner():
    async with client() as c:
        await c.async_run("o/n", input={"k": "async"})
    async for item in stream("streamed"):
        yield item
"""


def _reference(tree: ast.Module) -> Tuple[Set[int], Set[int], Set[int], Set[int]]:
    """Calls, strings, additions and strings run at import, by a walk of every field, with
    what the first pass leaves out on purpose: parameters' annotations, return annotations and
    the targets of `del`."""
    calls: Set[int] = set()
    strings: Set[int] = set()
    additions: Set[int] = set()
    at_import: Set[int] = set()

    def walk(node: ast.AST, importing: bool) -> None:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
            arguments = node.args
            for default in [*arguments.defaults, *arguments.kw_defaults]:
                if default is not None:
                    walk(default, importing)
            if not isinstance(node, ast.Lambda):
                for decorator in node.decorator_list:
                    walk(decorator, importing)
                for statement in node.body:
                    walk(statement, False)
            else:
                walk(node.body, False)
            return
        if isinstance(node, ast.Delete):
            return
        if isinstance(node, ast.Call):
            calls.add(id(node))
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            strings.add(id(node))
            if importing:
                at_import.add(id(node))
        elif isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
            additions.add(id(node))
        for child in ast.iter_child_nodes(node):
            walk(child, importing)

    walk(tree, True)
    return calls, strings, additions, at_import


def _sources() -> List[Path]:
    return sorted([*(ROOT / "lint_secrets").rglob("*.py"), *(ROOT / "tests" / "cases").glob("*.py")])


def _compare(source: str) -> None:
    tree = ast.parse(source)
    builder = build_scopes(tree)
    calls, strings, additions, at_import = _reference(tree)
    assert {id(call) for call, _ in builder.calls} == calls
    assert {id(node) for node in builder.strings} == strings
    assert {id(node) for node in builder.additions} == additions
    assert builder.import_time_strings == at_import


@pytest.mark.skipif(sys.version_info < (3, 10), reason="match statements")
def test_every_kind_of_statement_and_expression() -> None:
    _compare(VARIED)
    strings = {node.value: id(node) for node in build_scopes(ast.parse(VARIED)).strings}
    builder = build_scopes(ast.parse(VARIED))
    at_import = {node.value for node in builder.strings if id(node) in builder.import_time_strings}
    assert {"module-level", "decorator-arg", "class-keyword", "class-body", "inner-class-body"} <= at_import
    assert {"default", "env-default", "lambda-default"} <= at_import  # defaults run at `def`
    assert not {"in-method", "rebound", "class-in-function", "inside", "async"} & at_import
    assert {"annotation", "returns"}.isdisjoint(strings)  # signatures' annotations: not visited


@pytest.mark.parametrize("path", _sources(), ids=lambda p: str(p.relative_to(ROOT)))
def test_the_projects_own_modules_and_cases(path: Path) -> None:
    _compare(path.read_text("utf-8"))
