"""Parameters, `**kwargs` and partials (issue 11): followed to the module's calls, fixed where the
literal is written, and in work that grows linearly with the code."""

from __future__ import annotations

import ast
import shutil
import textwrap
from pathlib import Path
from typing import Any

import pytest
from conftest import SCHEMAS

from lint_secrets.analysis.replicate_sdk import SdkResolver
from lint_secrets.analysis.scopes import build_scopes
from lint_secrets.analysis.values import Resolver
from lint_secrets.cli import main


def _work(source: str) -> int:
    """How many values, dicts and unreadable parts the resolver works out for every call."""
    builder = build_scopes(ast.parse(source))
    resolver = Resolver(builder)
    sdk = SdkResolver(resolver)
    calls = 0
    for name in ("_sites", "_opaque", "_inputs", "_inputs_known"):
        inner = getattr(resolver, name)

        def counting(*args: Any, _inner: Any = inner) -> Any:
            nonlocal calls
            calls += 1
            return _inner(*args)

        setattr(resolver, name, counting)
    for call, scope in builder.calls:
        func = sdk.sym(call.func, scope, call.lineno)
        if func is not None:
            sdk.model_call(call, scope, func)
    return calls


def _call_chain(count: int) -> str:
    """f{n} calls f{n-1} twice with its parameter; the last is called with a literal."""
    lines = ["import replicate", "", "def f0(key, inputs):"]
    lines.append('    replicate.run("a/b", input={"api_key": key, **inputs})')
    for n in range(1, count + 1):
        lines += [f"def _f{n}(key, inputs):" if n > 1 else "def _f1(key, inputs):"]
        previous = "f0" if n == 1 else f"_f{n - 1}"
        lines += [f"    {previous}(key, inputs)", f"    {previous}(key, dict(inputs))"]
    lines.append(f'_f{count}("el-FAKE-0a1b2c3d4e5f", {{"text": "hi"}})')
    return "\n".join(lines) + "\n"


def test_parameters_passed_down_a_chain_are_followed_in_linear_work() -> None:
    small, large = _work(_call_chain(5)), _work(_call_chain(20))
    assert 0 < small and large <= 4 * small + 8, (small, large)


def _many_callers(count: int) -> str:
    lines = ["import replicate", "", "def send(key):", '    replicate.run("a/b", input={"api_key": key})']
    lines += [f'send("el-FAKE-{n:04d}-0a1b2c")' for n in range(count)]
    return "\n".join(lines) + "\n"


def test_many_calls_of_one_function_are_linear() -> None:
    small, large = _work(_many_callers(25)), _work(_many_callers(100))
    assert 0 < small and large <= 4 * small + 8, (small, large)


def test_recursive_functions_end() -> None:
    source = (
        "import replicate\n\ndef f(key, n):\n    if n:\n        return f(key, n - 1)\n"
        '    return replicate.run("a/b", input={"api_key": key})\n\nf("el-FAKE-0a1b2c3d", 3)\n'
    )
    assert 0 < _work(source) < 100


# ---------------------------------------------------------------------------
# Fixes where the literal is written


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    shutil.copytree(SCHEMAS, tmp_path / ".lint-secrets" / "schemas")
    (tmp_path / "pyproject.toml").write_text("[tool.lint-secrets]\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


BEFORE = """\
import functools
import os

import replicate

TTS = "example/text-to-speech"
KEYS = {"speech": "el-FAKE-1a2b3c4d5e6f"}
speak = functools.partial(replicate.run, TTS)


def send(key):
    return replicate.run(TTS, input={"elevenlabs_api_key": key})


def _forward(**options):
    return replicate.run(TTS, input=options)


def speech_key():
    return "el-FAKE-2a2b3c4d5e6f"


send("el-FAKE-3a2b3c4d5e6f")
send(key=os.environ["ELEVENLABS_API_KEY"])
_forward(text="hi", elevenlabs_api_key="el-FAKE-4a2b3c4d5e6f")
speak(input={"elevenlabs_api_key": KEYS["speech"]})
speak(input={"elevenlabs_api_key": speech_key()})
"""

AFTER = """\
import functools
import os

import replicate

TTS = "example/text-to-speech"
KEYS = {"speech": os.environ["ELEVENLABS_API_KEY"]}
speak = functools.partial(replicate.run, TTS)


def send(key):
    return replicate.run(TTS, input={"elevenlabs_api_key": key})


def _forward(**options):
    return replicate.run(TTS, input=options)


def speech_key():
    return os.environ["ELEVENLABS_API_KEY_2"]


send(os.environ["ELEVENLABS_API_KEY_3"])
send(key=os.environ["ELEVENLABS_API_KEY"])
_forward(text="hi", elevenlabs_api_key=os.environ["ELEVENLABS_API_KEY_4"])
speak(input={"elevenlabs_api_key": KEYS["speech"]})
speak(input={"elevenlabs_api_key": speech_key()})
"""


def test_fixes_at_the_argument_the_entry_and_the_return(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (project / "app.py").write_text(BEFORE, encoding="utf-8")
    assert main(["check", "app.py"]) == 1
    out = capsys.readouterr().out
    assert "app.py:23:6: RS101 [*] Hardcoded secret 'el-F…' passed to send()" in out
    assert "app.py:25:40: RS101 [*] Hardcoded secret 'el-F…' passed to _forward()" in out
    assert main(["check", "--fix", "app.py"]) == 0
    assert (project / "app.py").read_text(encoding="utf-8") == AFTER
    capsys.readouterr()
    assert main(["check", "--extend-select", "RS100", "app.py"]) == 0
    assert textwrap.dedent(capsys.readouterr().err) == ""
