"""The fixes for the value shapes of issue 11, run through the real `check --fix`, and the
analysis staying linear in the size of the file."""

from __future__ import annotations

import ast
import shutil
import textwrap
from pathlib import Path
from typing import Any

import pytest
from conftest import SCHEMAS

from lint_secrets.analysis.scopes import build_scopes
from lint_secrets.analysis.values import Resolver
from lint_secrets.cli import main


def fixed(tmp_path: Path, capsys: pytest.CaptureFixture[str], source: str) -> str:
    shutil.copytree(SCHEMAS, tmp_path / ".lint-secrets" / "schemas", dirs_exist_ok=True)
    (tmp_path / "pyproject.toml").write_text("[tool.lint-secrets]\n", encoding="utf-8")
    path = tmp_path / "app.py"
    path.write_text(textwrap.dedent(source).lstrip("\n"), encoding="utf-8")
    main(["check", "--fix", str(path)])
    capsys.readouterr()
    text = path.read_text(encoding="utf-8")
    # Fixed once, nothing left: a second run reports nothing.
    assert main(["check", str(path)]) == 0, capsys.readouterr().out
    capsys.readouterr()
    return text


def test_each_binding_is_fixed_at_its_own_definition(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = """
    import os
    import sys

    try:
        import replicate
    except ImportError:
        replicate = None

    if "--debug" in sys.argv:
        KEY = "el-FAKE-dev-2a2b3c4d"
    else:
        KEY = "el-FAKE-prod-3a2b3c4d"


    def speak():
        replicate.run("example/text-to-speech", input={"elevenlabs_api_key": KEY})
    """
    assert fixed(tmp_path, capsys, source) == textwrap.dedent(source).lstrip("\n").replace(
        # A generic constant name gives way to the input's; module level reads with .get() (issue 13).
        '"el-FAKE-dev-2a2b3c4d"',
        'os.environ.get("ELEVENLABS_API_KEY")',
    ).replace('"el-FAKE-prod-3a2b3c4d"', 'os.environ.get("ELEVENLABS_API_KEY_2")')


def _sites_work(source: str) -> int:
    """How many times the resolver works out an expression's sites for the last call."""
    tree = ast.parse(source)
    builder = build_scopes(tree)
    resolver = Resolver(builder)
    calls = 0
    inner = resolver._sites

    def counting(*args: Any) -> Any:
        nonlocal calls
        calls += 1
        return inner(*args)

    resolver._sites = counting  # type: ignore[method-assign]
    call, scope = builder.calls[-1]
    for keyword in call.keywords:
        resolver.inputs(keyword.value, scope, call.lineno)
    return calls


def _branching_names(count: int) -> str:
    lines = ["import replicate", "import sys", 'K0 = "el-FAKE-0000"']
    for n in range(1, count + 1):
        lines += ["if len(sys.argv) > 1:", f"    K{n} = K{n - 1}", "else:", f"    K{n} = K{n - 1}"]
    lines.append(f'replicate.run("a/b", input={{"api_key": K{count}}})')
    return "\n".join(lines) + "\n"


def test_names_bound_in_branches_are_resolved_in_linear_work() -> None:
    # Each name has two bindings, each reading the previous name: without the memo the
    # work doubles per name (2**n); with it, it grows with the number of names.
    small, large = _sites_work(_branching_names(5)), _sites_work(_branching_names(20))
    assert 0 < small and large <= 4 * small + 8, (small, large)


def _update_chain_work(count: int) -> int:
    """How many dict states the resolver works out for `d.update(d)` repeated `count` times."""
    source = 'import replicate\nd = {"api_key": "el-FAKE-1a2b3c"}\n'
    source += "d.update(d)\n" * count + 'replicate.run("a/b", input=d)\n'
    builder = build_scopes(ast.parse(source))
    resolver = Resolver(builder)
    calls = 0
    inner, inner_known = resolver._inputs, resolver._inputs_known

    def counting(*args: Any) -> Any:
        nonlocal calls
        calls += 1
        return inner(*args)

    def counting_known(*args: Any) -> Any:
        nonlocal calls
        calls += 1
        return inner_known(*args)

    resolver._inputs = counting  # type: ignore[method-assign]
    resolver._inputs_known = counting_known  # type: ignore[method-assign]
    call, scope = builder.calls[-1]
    node = call.keywords[0].value
    resolver.inputs(node, scope, call.lineno)
    resolver.inputs_known(node, scope, call.lineno)
    return calls


def test_update_chains_are_linear() -> None:
    """`d.update(d)` read every earlier state of `d` again: 8 lines took a minute."""
    small, large = _update_chain_work(5), _update_chain_work(20)
    assert 0 < small and large <= 4 * small + 8, (small, large)


@pytest.mark.parametrize(
    ("before", "after"),
    [
        (
            'os.getenv("ELEVENLABS_API_KEY", "el-FAKE-1a2b3c4d")',
            'os.getenv("ELEVENLABS_API_KEY")',
        ),
        (
            'os.environ.get("ELEVENLABS_API_KEY", default="el-FAKE-1a2b3c4d")',
            'os.environ.get("ELEVENLABS_API_KEY")',
        ),
        (
            'os.environ.get("ELEVENLABS_API_KEY") or "el-FAKE-1a2b3c4d"',
            'os.environ.get("ELEVENLABS_API_KEY")',
        ),
        (
            '(\n        settings.get("key")\n        or "el-FAKE-1a2b3c4d"\n    )',
            '(\n        settings.get("key")\n    )',
        ),
        (
            'settings.get("a") or settings.get("b") or "el-FAKE-1a2b3c4d"',
            'settings.get("a") or settings.get("b")',
        ),
    ],
)
def test_fallbacks_are_dropped(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], before: str, after: str
) -> None:
    source = f"""
    import os

    import replicate
    from app import settings

    KEY = {before}
    replicate.run("example/text-to-speech", input={{"elevenlabs_api_key": KEY}})
    """
    # The source is dedented by 4 columns, the lines of a value spanning several with it.
    expected = (
        textwrap.dedent(source)
        .lstrip("\n")
        .replace(before.replace("\n    ", "\n"), after.replace("\n    ", "\n"))
    )
    assert fixed(tmp_path, capsys, source) == expected
