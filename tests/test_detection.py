"""Detection (issue 2): which literals reach which inputs of which models, and where findings point."""

# ruff: noqa: E501 - source snippets are easier to read on one line

from __future__ import annotations

import ast
import json
import re
import shutil
import subprocess
import sys
from dataclasses import replace
from pathlib import Path
from typing import Iterable, List, Optional, Sequence, Set, Tuple

import pytest

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python < 3.11
    import tomli as tomllib
from conftest import CASES, SAMPLE, SCHEMAS, findings, git, modules_imported, summary, worker_for

from lint_secrets.analysis.replicate_sdk import (
    MODEL_CALLS,
    MODEL_CALLS_TABLE,
    RETURNS,
    SdkResolver,
    SymRoot,
    by_method,
)
from lint_secrets.analysis.scopes import build_scopes
from lint_secrets.analysis.values import Resolver
from lint_secrets.checker import CheckOptions, Worker
from lint_secrets.cli import main
from lint_secrets.config import ModelDeclaration, parse_table
from lint_secrets.findings import Finding
from lint_secrets.model_refs import ModelRef
from lint_secrets.schemas import TRAINING

PRIVATE = {"acme/private-llm": ["license_key"]}
EXPECT = re.compile(r"#\s*expect:\s*(?P<items>.+?)\s*$")
# `RS101:12 elevenlabs_api_key`: the code, the 1-based column the finding starts at, the input
EXPECT_ITEM = re.compile(
    r"(?P<code>[A-Z]+[0-9]+):(?P<column>[0-9]+)(?:\s+(?P<input>[A-Za-z_][A-Za-z0-9_]*))?"
)

Expectation = Tuple[int, int, str, str]  # (line, column, code, input)


def _expected(text: str) -> Set[Expectation]:
    expected = set()
    for number, line in enumerate(text.splitlines(), start=1):
        match = EXPECT.search(line)
        if match is None:
            continue
        for item in match.group("items").split(","):
            parsed = EXPECT_ITEM.fullmatch(item.strip())
            assert parsed is not None, f"line {number}: cannot read expectation {item.strip()!r}"
            code, column = parsed.group("code"), int(parsed.group("column"))
            input_name = parsed.group("input") or ("REPLICATE_API_TOKEN" if code == "RS103" else "")
            assert input_name or code == "RS100", f"line {number}: {code} needs the input it is found on"
            expected.add((number, column, code, input_name))
    return expected


def _found(findings: Iterable[Finding]) -> Set[Expectation]:
    return {(f.line, f.column, f.code, f.input or "") for f in findings}


def _mismatch(expected: Set[Expectation], found: Set[Expectation], lines: List[str]) -> str:
    """What differs, one line each; "" when the findings are exactly the expected ones."""

    def show(items: Set[Expectation]) -> str:
        return "".join(f"\n  {n}:{col}: {c} {i}  | {lines[n - 1].strip()}" for n, col, c, i in sorted(items))

    missing, unexpected = expected - found, found - expected
    if not missing and not unexpected:
        return ""
    return f"missing:{show(missing)}\nunexpected:{show(unexpected)}"


CASE_FILES = sorted(CASES.glob("*.py"))
CASE_CONFIG = re.compile(r"^# config: (.+)$", re.MULTILINE)


def _case_worker(text: str) -> Worker:
    """The shared worker, or one with the `# config: key = value` lines a case file starts with."""
    lines = CASE_CONFIG.findall(text)
    if lines:
        table = tomllib.loads("\n".join(lines))
        config = parse_table(table, root=SAMPLE, source=SAMPLE / "pyproject.toml")
        models = {name: ModelDeclaration(frozenset(inputs)) for name, inputs in PRIVATE.items()}
        config = replace(config, schema_dir=SCHEMAS, models={**models, **config.models})
    else:
        config = worker_for(PRIVATE).options.config
    # RS100 (not selected by default) is on: an unresolved call is stated like any finding.
    return Worker(CheckOptions(config=replace(config, extend_select=(*config.extend_select, "RS100"))))


@pytest.mark.parametrize("path", CASE_FILES, ids=[p.name for p in CASE_FILES])
def test_case_file(path: Path) -> None:
    data = path.read_bytes()
    text = data.decode("utf-8")
    # RS100 (not selected by default) is on: an unresolved call is stated like any finding.
    result = _case_worker(text).check_bytes(str(path), data)
    assert sorted(result.unresolved) == sorted(f.line for f in result.findings if f.code == "RS100")
    assert result.errors == ()
    lines = text.splitlines()
    mismatch = _mismatch(_expected(text), _found(result.findings), lines)
    assert not mismatch, mismatch
    # Every finding points at a string literal written on its line (or an expression built of
    # them); RS104-RS106 at an expression: a read of the environment, a model, the inputs dict.
    for finding in result.findings:
        at = lines[finding.line - 1][finding.column - 1 :]
        assert re.match(r"""[rRbBfFuU]{0,2}["']|\(|[A-Za-z_]|\{""", at), (finding, at)


def test_case_file_expectations_state_the_column() -> None:
    """A finding in the right line but the wrong column fails the case file, either way round."""
    path = CASES / "call_forms.py"
    text = path.read_text("utf-8")
    lines = text.splitlines()
    found = _found(worker_for(PRIVATE).check_bytes(str(path), text.encode("utf-8")).findings)
    expected = _expected(text)
    assert expected and _mismatch(expected, found, lines) == ""
    # The expectation moved by one column.
    first = line, column, code, input_name = min(expected)
    moved = text.replace(f"{code}:{column} {input_name}", f"{code}:{column + 1} {input_name}", 1)
    assert _expected(moved) == expected - {first} | {(line, column + 1, code, input_name)}
    assert "missing:\n  " in _mismatch(_expected(moved), found, lines)
    # Every finding moved by one column (the mutant a line-only comparison let through).
    shifted = {(n, col + 1, c, i) for n, col, c, i in found}
    assert _mismatch(expected, shifted, lines).count(f"{code} {input_name}") >= 2


@pytest.mark.parametrize(
    "comment",
    ["# expect: RS101", "# expect: RS101:elevenlabs_api_key", "# expect: RS101:x12", "# expect: RS101:12"],
)
def test_case_file_expectations_must_be_complete(comment: str) -> None:
    with pytest.raises(AssertionError, match="line 1"):
        _expected(f"x = 1  {comment}\n")


def test_case_file_expectation_forms() -> None:
    text = "x = 1  # expect: RS101:12 api_key, RS103:5\ny = 2  # expect: RS102:1 hf_token\n"
    assert _expected(text) == {
        (1, 12, "RS101", "api_key"),
        (1, 5, "RS103", "REPLICATE_API_TOKEN"),
        (2, 1, "RS102", "hf_token"),
    }


def test_case_files_exist() -> None:
    assert len(CASE_FILES) >= 6
    assert all(_expected(p.read_text("utf-8")) or "negative" in p.name for p in CASE_FILES)


# ---------------------------------------------------------------------------
# The SDK's call forms are a table: every row has a case, and rows stay unambiguous


def test_every_call_form_has_a_case() -> None:
    seen = set()
    for path in CASE_FILES:
        builder = build_scopes(ast.parse(path.read_text("utf-8")))
        sdk = SdkResolver(Resolver(builder))
        for call, scope in builder.calls:
            func = sdk.sym(call.func, scope, call.lineno)
            if func is not None:
                seen.add((func.root, func.dotted))
    assert sorted(str(method) for method in set(MODEL_CALLS) - seen) == []
    assert sorted(str(method) for method in set(RETURNS) - seen) == []


def test_async_twins_come_from_their_rows() -> None:
    assert {"async_run", "async_stream", "predictions.async_create", "trainings.async_create"} <= {
        path for root, path in MODEL_CALLS if root is SymRoot.REPLICATE
    }
    twin = MODEL_CALLS[(SymRoot.DEPLOYMENT, "predictions.async_create")]
    assert twin.shown_as == "deployment.predictions.async_create" and twin.input_position == 0
    source = (
        "import replicate\n"
        'async def f():\n    d = await replicate.deployments.async_get("example/tts-prod")\n'
        '    await d.predictions.async_create({"elevenlabs_api_key": "el-FAKE-0123456789ab"})\n'
    )
    (finding,) = findings(source)
    assert "(deployment.predictions.async_create call on line 4)" in finding.message


def test_a_method_listed_twice_is_refused() -> None:
    row = MODEL_CALLS_TABLE[0]
    with pytest.raises(ValueError, match="listed twice"):
        by_method([row, row._replace(kind=TRAINING)])
    with pytest.raises(ValueError, match="listed twice"):
        by_method([row, row._replace(path="async_" + row.path, has_async_twin=False)])


# ---------------------------------------------------------------------------
# Small snippets: each form as a positive and a negative

TTS_CALL = 'replicate.run("example/text-to-speech", input={{"elevenlabs_api_key": {value}}})'


def _tts(value: str, prelude: str = "import replicate\n") -> str:
    return prelude + TTS_CALL.format(value=value) + "\n"


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        pytest.param(_tts('"el-FAKE-0123456789ab"'), [("RS101", 2, "elevenlabs_api_key")], id="literal"),
        pytest.param(
            _tts('os.environ["ELEVENLABS_API_KEY"]', "import os\nimport replicate\n"), [], id="environ"
        ),
        pytest.param(
            _tts('os.getenv("ELEVENLABS_API_KEY")', "import os\nimport replicate\n"), [], id="getenv"
        ),
        pytest.param(
            _tts('os.environ.get("ELEVENLABS_API_KEY", "")', "import os\nimport replicate\n"),
            [],
            id="environ-get-empty-default",
        ),
        pytest.param(
            _tts('"el-FAKE-0123456789ab"', "import replicate as rp\nreplicate = rp\n"),
            [("RS101", 3, "elevenlabs_api_key")],
            id="module-rebound-to-another-name",
        ),
        pytest.param(
            _tts('"el-FAKE-0123456789ab"', "import replicate as rp\nreplicate = rp.Thing\n"),
            [],
            id="not-module",
        ),
        pytest.param(
            _tts('"el-FAKE-0123456789ab"', "from torch.nn.parallel import replicate\n"),
            [],
            id="torch-replicate",
        ),
        pytest.param(
            _tts('"el-FAKE-0123456789ab"', "import replicate\nreplicate = replicate.Client()\n"),
            [("RS101", 3, "elevenlabs_api_key")],
            id="client-rebinds-module-name",
        ),
        pytest.param(
            "import replicate\ndef f(replicate):\n    "
            + TTS_CALL.format(value='"el-FAKE-0123456789ab"')
            + "\n",
            [],
            id="parameter-named-replicate",
        ),
        pytest.param(
            "import replicate\ndef f():\n    replicate = object()\n    "
            + TTS_CALL.format(value='"el-FAKE-0123456789ab"')
            + "\n",
            [],
            id="local-variable-named-replicate",
        ),
        pytest.param(
            'import replicate\nendpoint = other.Endpoint("x")\n'
            'endpoint.run({"elevenlabs_api_key": "el-FAKE-0123456789ab"})\n',
            [],
            id="another-sdk-run",
        ),
        pytest.param(
            "import replicate\nCODE = '" + TTS_CALL.format(value='"el-FAKE-0123456789ab"') + "'\n",
            [],
            id="code-inside-a-string",
        ),
        pytest.param(
            'import replicate\nreplicate.run("example/official-chat", input={"max_tokens": "512", "prompt": "hi"})\n',
            [],
            id="official-chat-max_tokens",
        ),
        pytest.param(
            'import replicate\nreplicate.run("example/official-chat", input={"session_password": "pw-FAKE-0123"})\n',
            [("RS101", 2, "session_password")],
            id="official-chat-format-password",
        ),
        pytest.param(
            "import replicate\ndef f():\n    d = {}\n    "
            + "replicate.run('example/text-to-speech', input=d)\n"
            + "    d['elevenlabs_api_key'] = 'el-FAKE-0123456789ab'\n",
            [("RS106", 4, "elevenlabs_api_key")],  # the call lacks the secret: set too late
            id="key-set-after-the-call",
        ),
        pytest.param(
            "import replicate\ndef f():\n    d = {}\n"
            + "    d['elevenlabs_api_key'] = 'el-FAKE-0123456789ab'\n"
            + "    replicate.run('example/text-to-speech', input=d)\n",
            [("RS101", 4, "elevenlabs_api_key")],
            id="key-set-before-the-call",
        ),
    ],
)
def test_snippet(source: str, expected: List[Tuple[str, int, str]]) -> None:
    assert summary(source, PRIVATE) == expected


PLACEHOLDERS = [
    "",
    " ",
    "\t\n",
    "x",
    "xxxxxxxxxxxxxxxx",
    "0000000000000000",
    "****************",
    "...",
    "el-...",
    "el-FAKE…",
    "YOUR_API_KEY",
    "your-api-key",
    "YOUR_ELEVENLABS_API_KEY",
    "<token>",
    "<your api key>",
    "${ELEVENLABS_API_KEY}",
    "$ELEVENLABS_API_KEY",
    "{{ elevenlabs_api_key }}",
    "changeme",
    "CHANGE_ME",
    "change-me",
    "api-key-here",
    "placeholder",
    "REDACTED",
    "hf_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
    "r8_0000000000000000000000000000000000000",
    "fake_api_key",
    "my-api-key",
    "test-key",
    "sk-test",
]


@pytest.mark.parametrize("value", PLACEHOLDERS)
def test_placeholders_are_not_findings(value: str) -> None:
    assert summary(_tts(repr(value))) == []
    uncached = f'import replicate\nreplicate.run("acme/unknown", input={{"api_key": {value!r}}})\n'
    assert summary(uncached) == []


@pytest.mark.parametrize(
    "value",
    ["el-FAKE-0123456789ab", "ab", "sk-FAKE9x", "change me later FAKE", "my-token-FAKE-2024", "a1"],
)
def test_short_or_odd_real_values_are_findings(value: str) -> None:
    assert summary(_tts(repr(value))) == [("RS101", 2, "elevenlabs_api_key")]


# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "expected_lines"),
    [
        # A bare noqa is for long lines and the like: a secret's suppression names its code.
        pytest.param(_tts('"el-FAKE-0123456789ab"').rstrip() + "  # noqa\n", [2], id="bare-noqa"),
        pytest.param(_tts('"el-FAKE-0123456789ab"').rstrip() + "  # noqa: RS101\n", [], id="noqa-code"),
        pytest.param(_tts('"el-FAKE-0123456789ab"').rstrip() + "  # NOQA:RS102,RS101\n", [], id="noqa-list"),
        pytest.param(_tts('"el-FAKE-0123456789ab"').rstrip() + "  # noqa: E501\n", [2], id="other-code"),
        pytest.param(_tts('"el-FAKE-0123456789ab"').rstrip() + "  # noqa: RS102\n", [2], id="other-rs-code"),
        pytest.param(
            'import replicate\nreplicate.run("example/text-to-speech", '
            'input={"text": "# noqa", "elevenlabs_api_key": "el-FAKE-0123456789ab"})\n',
            [2],
            id="noqa-inside-a-string",
        ),
        pytest.param(
            "import replicate\n"
            "replicate.run(  # noqa: RS101\n"
            '    "example/text-to-speech",\n'
            '    input={"elevenlabs_api_key": "el-FAKE-0123456789ab"},\n'
            ")\n",
            [],
            id="on-the-call-line",
        ),
        pytest.param(
            "import replicate\n"
            "replicate.run(\n"
            '    "example/text-to-speech",  # noqa: RS101\n'
            '    input={"elevenlabs_api_key": "el-FAKE-0123456789ab"},\n'
            ")\n",
            [4],
            id="on-another-line-of-the-call",
        ),
        pytest.param(
            "import replicate\n"
            "replicate.run(\n"
            '    "example/text-to-speech",\n'
            '    input={"elevenlabs_api_key": "el-FAKE-0123456789ab"},\n'
            ")  # noqa: RS101\n",
            [],
            id="after-the-closing-parenthesis",
        ),
        pytest.param(
            "import replicate\n"
            'KEY = "el-FAKE-0123456789ab"  # noqa: RS101\n'
            'replicate.run("example/text-to-speech", input={"elevenlabs_api_key": KEY})\n',
            [],
            id="on-the-constant",
        ),
        pytest.param(
            "import replicate\n"
            'KEY = "el-FAKE-0123456789ab"\n'
            'replicate.run("example/text-to-speech", input={"elevenlabs_api_key": KEY})  # noqa: RS101\n',
            [],
            id="constant-used-on-a-noqa-call-line",
        ),
        pytest.param(
            'import replicate\nc = replicate.Client(api_token="r8_FAKEtokenForLintSecretsTests00000000a")  # noqa: RS103\n',
            [],
            id="rs103",
        ),
        pytest.param(
            'import replicate\nc = replicate.Client(api_token="r8_FAKEtokenForLintSecretsTests00000000a")  # noqa: RS101\n',
            [2],
            id="rs103-other-code",
        ),
    ],
)
def test_noqa(source: str, expected_lines: List[int]) -> None:
    assert [f.line for f in findings(source)] == expected_lines


# ---------------------------------------------------------------------------
# Positions, fields and messages


def test_finding_fields() -> None:
    source = (
        "import replicate\n"
        "\n"
        "out = replicate.run(\n"
        '    "example/text-to-speech",\n'
        '    input={"text": "hi", "elevenlabs_api_key": "el-FAKE-0123456789ab"},\n'
        ")\n"
    )
    (finding,) = findings(source)
    line = source.splitlines()[4]
    start = line.index('"el-FAKE')
    assert (finding.line, finding.column) == (5, start + 1)
    assert (finding.end_line, finding.end_column) == (5, start + len('"el-FAKE-0123456789ab"') + 1)
    assert finding.code == "RS101"
    assert finding.model == ModelRef("model", "example", "text-to-speech")
    assert finding.input == "elevenlabs_api_key"
    assert finding.call_line == 3


@pytest.mark.parametrize(
    "before",
    ["héllo wörld", "😀😀", "日本語のテキスト", "e\u0301"],
)
def test_columns_count_characters_not_bytes(before: str) -> None:
    source = _tts(f'"el-FAKE-0123456789ab", "text": "{before}"')
    (finding,) = findings(source)
    line = source.splitlines()[1]
    assert finding.column == line.index('"el-FAKE') + 1
    source = (
        f'import replicate\nreplicate.run("example/text-to-speech", input={{"text": "{before}", '
        '"elevenlabs_api_key": "el-FAKE-0123456789ab"})\n'
    )
    (finding,) = findings(source)
    line = source.splitlines()[1]
    assert finding.column == line.index('"el-FAKE') + 1
    assert finding.end_column == finding.column + len('"el-FAKE-0123456789ab"')


def test_multiline_literal_spans_lines() -> None:
    source = (
        "import replicate\n"
        'replicate.run("example/text-to-speech", input={"elevenlabs_api_key": (\n'
        '    "el-FAKE-"\n'
        '    "0123456789ab"\n'
        ")})\n"
    )
    (finding,) = findings(source)
    assert (finding.line, finding.column, finding.end_line, finding.end_column) == (3, 5, 4, 19)


@pytest.mark.parametrize(
    ("source", "where"),
    [
        pytest.param(
            'import replicate\nKEY = "el-FAKE-0123456789ab"\ndef f():\n'
            '    return replicate.run("example/text-to-speech", input={"elevenlabs_api_key": KEY})\n',
            (2, 7),
            id="module-constant",
        ),
        pytest.param(
            'import replicate\ndef f():\n    key = "el-FAKE-0123456789ab"\n'
            '    return replicate.run("example/text-to-speech", input={"elevenlabs_api_key": key})\n',
            (3, 11),
            id="function-constant",
        ),
        pytest.param(
            'import replicate\ndef f(text, key="el-FAKE-0123456789ab"):\n'
            '    return replicate.run("example/text-to-speech", input={"elevenlabs_api_key": key})\n',
            (2, 17),
            id="parameter-default",
        ),
        pytest.param(
            'import replicate\nA, B = "x", "el-FAKE-0123456789ab"\n'
            'replicate.run("example/text-to-speech", input={"elevenlabs_api_key": B})\n',
            (2, 13),
            id="tuple-assignment",
        ),
    ],
)
def test_finding_points_where_the_secret_is_written(source: str, where: Tuple[int, int]) -> None:
    (finding,) = findings(source)
    assert (finding.line, finding.column) == where
    assert finding.call_line == len(source.splitlines())  # the call is the last line
    assert f"line {finding.call_line}" in finding.message


SECRET = "el-FAKE-0123456789ab"


@pytest.mark.parametrize(
    "source",
    [
        pytest.param(_tts(repr(SECRET)), id="rs101"),
        pytest.param(
            f'import replicate\nreplicate.run("acme/unknown", input={{"api_key": {SECRET!r}}})\n', id="rs102"
        ),
        pytest.param(
            'import replicate\nreplicate.run("acme/private-llm", input={"license_key": "el-FAKE-0123456789ab"})\n',
            id="declared",
        ),
    ],
)
def test_messages_never_hold_the_secret(source: str) -> None:
    (finding,) = findings(source, PRIVATE)
    assert SECRET not in finding.message
    assert SECRET[:5] not in finding.message
    assert "'el-F…'" in finding.message
    assert SECRET not in repr(finding)


def test_message_names_model_input_and_call_line() -> None:
    source = "import replicate\n\n\n" + TTS_CALL.format(value=repr(SECRET)) + "\n"
    (finding,) = findings(source)
    assert "example/text-to-speech" in finding.message
    assert "'elevenlabs_api_key'" in finding.message
    assert "line 4" in finding.message
    (finding,) = findings(
        'import replicate\nreplicate.run("acme/unknown", input={"api_key": "abc-FAKE-7305918264"})\n'
    )
    assert (ModelRef("model", "acme", "unknown"), "api_key", 2) == (
        finding.model,
        finding.input,
        finding.call_line,
    )
    assert (
        "acme/unknown" in finding.message and "'api_key'" in finding.message and "line 2" in finding.message
    )


@pytest.mark.parametrize(
    ("written", "model"),
    [
        ('f"{OWNER}/{NAME}"', "example/text-to-speech"),
        ('f"{OWNER!s}/text-to-{KIND}"', "example/text-to-speech"),
        # Not the text of the string: repr and ascii add quotes, a format spec may pad.
        ('f"{OWNER!r}/{NAME}"', None),
        ('f"{OWNER}/{NAME!a}"', None),
        ('f"{OWNER:>8}/{NAME}"', None),
        ('f"{OWNER}/{unknown}"', None),
        # The same f-strings in a REST API request's URL.
        ('f"{API}/models/{OWNER}/{NAME}/predictions"', "example/text-to-speech"),
        ('f"{API}/models/{OWNER!r}/{NAME}/predictions"', None),
        ('f"{API}/models/{OWNER}/{NAME:>20}/predictions"', None),
    ],
)
def test_a_model_named_by_an_f_string_is_read_only_where_its_text_is_known(
    written: str, model: Optional[str]
) -> None:
    constants = (
        'OWNER = "example"\nNAME = "text-to-speech"\nKIND = "speech"\nAPI = "https://api.replicate.com/v1"\n'
    )
    inputs = '{"elevenlabs_api_key": "el-FAKE-0123456789ab"}'
    if "API" in written:
        call = f'import requests\n{constants}requests.post({written}, json={{"input": {inputs}}})\n'
    else:
        call = f"import replicate\n{constants}replicate.run({written}, input={inputs})\n"
    (finding,) = findings(call)
    assert (finding.model.display() if finding.model else None) == model
    assert finding.code == ("RS101" if model else "RS102")


def test_bare_version_is_named_by_its_model() -> None:
    source = (
        "import replicate\n"
        'replicate.run("d1c63ad43abac21d916d0b6f1b983d96ebe29c587ac8fc04df07b7a16e2c5fe6", '
        'input={"api_key": "el-FAKE-0123456789ab"})\n'
    )
    (finding,) = findings(source)
    assert finding.model is not None and finding.model.display() == "example/text-to-speech:d1c63ad43aba"
    assert "example/text-to-speech" in finding.message


def test_one_finding_per_literal_even_when_it_reaches_several_calls() -> None:
    source = (
        "import replicate\n"
        'KEY = "el-FAKE-0123456789ab"\n'
        'replicate.run("example/text-to-speech", input={"elevenlabs_api_key": KEY})\n'
        'replicate.run("example/text-to-speech", input={"elevenlabs_api_key": KEY})\n'
    )
    assert summary(source) == [("RS101", 2, "elevenlabs_api_key")]


def test_rs101_wins_over_rs103_for_the_same_literal() -> None:
    source = _tts('"r8_FAKEtokenForLintSecretsTests00000000a"')
    assert summary(source) == [("RS101", 2, "elevenlabs_api_key")]
    source = 'import replicate\nreplicate.run("acme/unknown", input={"x": "r8_FAKEtokenForLintSecretsTests00000000a"})\n'
    assert summary(source) == [("RS102", 2, "x")]


# ---------------------------------------------------------------------------
# RS103 details

R8 = "r8_FAKEtokenForLintSecretsTests00000000a"


def test_r8_token_length_is_realistic() -> None:
    assert len(R8) == 40


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        pytest.param(f"X = {R8!r}\n", [("RS103", 1)], id="any-r8-literal"),
        pytest.param(
            f'import os\nos.environ["OTHER"] = {R8!r}\n', [("RS103", 2)], id="r8-into-other-variable"
        ),
        pytest.param('import os\nos.environ["OTHER"] = "tok-FAKE-1234"\n', [], id="other-variable-not-r8"),
        pytest.param(
            'import os\nos.environ["REPLICATE_API_TOKEN"] = "fa4e00000000000000000000000000000000beef"\n',
            [("RS103", 2)],
            id="environ-assign",
        ),
        pytest.param(
            'import os as o\no.environ.setdefault("REPLICATE_API_TOKEN", "fa4e00000000000000000000000000000000beef")\n',
            [("RS103", 2)],
            id="setdefault-aliased-os",
        ),
        pytest.param(
            'import os\nT = os.environ.get("REPLICATE_API_TOKEN", default="fa4e00000000000000000000000000000000beef")\n',
            [("RS103", 2)],
            id="environ-get-keyword-default",
        ),
        pytest.param('import os\nT = os.getenv("REPLICATE_API_TOKEN", None)\n', [], id="getenv-none-default"),
        pytest.param('import os\nT = os.getenv("OTHER_TOKEN", "tok-FAKE-1234")\n', [], id="getenv-other"),
        pytest.param(
            'import replicate\nreplicate.default_client.api_token = "fa4e00000000000000000000000000000000beef"\n',
            [("RS103", 2)],
            id="default-client",
        ),
        pytest.param(
            'class C:\n    api_token = "tok-FAKE-1234"\nimport replicate\n', [], id="unrelated-api_token"
        ),
        pytest.param('import replicate\nobj.api_token = "tok-FAKE-1234"\n', [], id="other-object-api_token"),
        pytest.param(
            f'"""Docs: export REPLICATE_API_TOKEN={R8}"""\n', [("RS103", 1)], id="token-in-docstring"
        ),
        pytest.param(f"X = f'{R8}'\n", [("RS103", 1)], id="token-in-fstring"),
        pytest.param(f"# {R8}\nimport replicate\n", [("RS103", 1)], id="token-in-comment"),
        pytest.param(f"X = b'{R8}'\n", [("RS103", 1)], id="bytes-literal"),
        pytest.param(
            "import replicate\nTOKEN = 'fa4e00000000000000000000000000000000beef'\ndef make():\n    return replicate.Client(api_token=TOKEN)\n",
            [("RS103", 2)],
            id="constant-passed-to-client",
        ),
        pytest.param(
            "import replicate\ndef make(token='fa4e00000000000000000000000000000000beef'):\n    return replicate.Client(token)\n",
            [("RS103", 2)],
            id="default-passed-positionally",
        ),
    ],
)
def test_rs103(source: str, expected: List[Tuple[str, int]]) -> None:
    assert [(f.code, f.line) for f in findings(source)] == expected


def test_rs103_messages_redact() -> None:
    for finding in findings(f"import replicate\nreplicate.api_token = {R8!r}\nX = {R8!r}\n"):
        assert finding.code == "RS103"
        assert R8 not in finding.message and "'r8_F…'" in finding.message
        assert "REPLICATE_API_TOKEN" in finding.message


# ---------------------------------------------------------------------------
# Models declared in config


def test_declared_private_model_secret_inputs() -> None:
    source = (
        "import replicate\n"
        'replicate.run("acme/private-llm", input={"license_key": "lic-FAKE-1234567890", "api_key": "abc-FAKE-7305918264"})\n'
    )
    assert summary(source, PRIVATE) == [("RS101", 2, "license_key")]
    # Without the declaration, the model has no schema: names decide (RS102).
    assert summary(source) == [("RS102", 2, "license_key"), ("RS102", 2, "api_key")]


def test_declared_inputs_add_to_a_cached_schema() -> None:
    source = (
        "import replicate\n"
        'replicate.run("example/text-to-speech", input={"text": "tx-FAKE-1234", "elevenlabs_api_key": "el-FAKE-12"})\n'
    )
    assert summary(source, {"example/text-to-speech": ["text"]}) == [
        ("RS101", 2, "text"),
        ("RS101", 2, "elevenlabs_api_key"),
    ]


# ---------------------------------------------------------------------------
# End to end: the command line on real files


def _sample_project(tmp_path: Path) -> Path:
    project = tmp_path / "project"
    shutil.copytree(SAMPLE, project)
    return project


def test_cli_on_the_sample_project_text(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project = _sample_project(tmp_path)
    code = main(["check", str(project / "app.py"), "--jobs", "1"])
    out = capsys.readouterr().out
    assert code == 1
    lines = [line for line in out.splitlines() if ": RS" in line]
    assert [line.split(": ", 1)[0].rsplit(":", 2)[1:] for line in lines] == [
        ["5", "12"],
        ["11", "52"],
        ["29", "37"],
    ]
    assert [line.split(": ", 2)[1].split()[0] for line in lines] == ["RS101", "RS101", "RS103"]
    assert "hf_sample0FAKE0token0for0lint0secrets0demo" not in out
    assert "el-sample-FAKE-9f8e7d6c5b4a" not in out
    assert "r8_FAKEsampleTOKENforLINTsecretsDEMO0001" not in out


def test_cli_json_fields(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project = _sample_project(tmp_path)
    code = main(["check", str(project), "--output-format", "json", "--jobs", "1"])
    out = capsys.readouterr().out
    assert code == 1
    report = json.loads(out)
    assert report["errors"] == []
    first = report["findings"][0]
    assert set(first) >= {
        "path", "line", "column", "end_line", "end_column", "code", "message", "model", "input", "call_line"
    }  # fmt: skip
    by_line = {f["line"]: f for f in report["findings"]}
    assert by_line[5]["input"] == "hub_token" and by_line[5]["call_line"] == 16
    assert by_line[11]["model"] == "example/text-to-speech" and by_line[11]["call_line"] == 9
    assert by_line[29]["code"] == "RS103"
    assert "FAKE" not in out.replace("FAKE…", "")  # no whole secret in any field


def test_cli_declared_model_from_pyproject(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project = _sample_project(tmp_path)
    (project / "app.py").write_text(
        'import os\nimport replicate\nreplicate.run("acme/private-llm", input={"license_key": "lic-FAKE-1234"})\n'
        'replicate.run("acme/private-llm", input={"license_key": os.environ["LICENSE_KEY"]})\n',
        encoding="utf-8",
    )
    code = main(["check", str(project), "--output-format", "json", "--jobs", "1"])
    report = json.loads(capsys.readouterr().out)
    assert code == 1
    assert [(f["code"], f["line"], f["input"]) for f in report["findings"]] == [("RS101", 3, "license_key")]


def test_cli_clean_file_exits_zero(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project = _sample_project(tmp_path)
    (project / "app.py").write_text(
        'import os\nimport replicate\nreplicate.run("example/text-to-speech", '
        'input={"elevenlabs_api_key": os.environ["ELEVENLABS_API_KEY"]})\n',
        encoding="utf-8",
    )
    assert main(["check", str(project), "--jobs", "1"]) == 0
    assert ": RS" not in capsys.readouterr().out


def test_cli_broken_file_is_reported_and_others_still_checked(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = _sample_project(tmp_path)
    (project / "broken.py").write_text("import replicate\ndef f(:\n", encoding="utf-8")
    code = main(["check", str(project), "--output-format", "json", "--jobs", "1"])
    captured = capsys.readouterr()
    report = json.loads(captured.out)
    assert code == 2
    assert [Path(e["path"]).name for e in report["errors"]] == ["broken.py"]
    assert "syntax error" in report["errors"][0]["message"]
    assert len(report["findings"]) == 3
    assert "Traceback" not in captured.err


def test_cli_schema_dir_option(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code_dir = tmp_path / "code"
    code_dir.mkdir()
    (code_dir / "pyproject.toml").write_text("[project]\nname = 'x'\n", encoding="utf-8")
    (code_dir / "m.py").write_text(_tts('"el-FAKE-0123456789ab"'), encoding="utf-8")
    # No cache: the name decides (RS102); with the sample cache, the schema does (RS101).
    assert main(["check", str(code_dir), "--output-format", "json", "--jobs", "1"]) == 1
    assert [f["code"] for f in json.loads(capsys.readouterr().out)["findings"]] == ["RS102"]
    assert (
        main(["check", str(code_dir), "--schema-dir", str(SCHEMAS), "--output-format", "json", "--jobs", "1"])
        == 1
    )
    assert [f["code"] for f in json.loads(capsys.readouterr().out)["findings"]] == ["RS101"]


def test_python_dash_m_in_a_subprocess(tmp_path: Path) -> None:
    project = _sample_project(tmp_path)
    run = subprocess.run(
        [sys.executable, "-m", "lint_secrets", "check", "--output-format", "json"],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert run.returncode == 1, run.stderr
    report = json.loads(run.stdout)
    assert sorted((f["code"], f["line"]) for f in report["findings"]) == [
        ("RS101", 5),
        ("RS101", 11),
        ("RS103", 29),
    ]


@pytest.mark.parametrize(
    "name",
    ["eos_token", "bos_token", "pad_token", "trigger_token", "seed_token", "instance_token", "stop_token"],
)
def test_text_token_inputs_are_not_secret_sounding(name: str) -> None:
    source = f'import replicate\nreplicate.run("acme/unknown", input={{"{name}": "</s> sks person"}})\n'
    assert summary(source) == []


@pytest.mark.parametrize("name", ["commit", "image_hash", "git_sha", "revision", "model_checksum"])
def test_a_40_hex_value_under_a_hash_name_is_not_a_key(name: str) -> None:
    source = f'import replicate\nreplicate.run("acme/unknown", input={{"{name}": "{"a1b2c3d4e5" * 4}"}})\n'
    assert summary(source) == []


def test_a_40_hex_value_under_another_name_is_still_a_key() -> None:
    source = f'import replicate\nreplicate.run("acme/unknown", input={{"wandb": "{"a1b2c3d4e5" * 4}"}})\n'
    assert [code for code, *_ in summary(source)] == ["RS102"]


def _modules_loaded_by_check(
    tmp_path: Path, source: str, argv: Sequence[str] = ("check", "m.py")
) -> Set[str]:
    (tmp_path / "m.py").write_text(source, encoding="utf-8")
    return modules_imported(argv, tmp_path)


def test_files_without_replicate_never_load_the_resolver(tmp_path: Path) -> None:
    resolver = {"lint_secrets.analysis", "lint_secrets.schemas"}
    assert not resolver & _modules_loaded_by_check(tmp_path, "import os\nx = os.getenv('HOME')\n")
    assert resolver <= _modules_loaded_by_check(tmp_path, "import replicate\nreplicate.run('a/b')\n")


def test_outside_any_repository_git_is_never_started(tmp_path: Path) -> None:
    """Where no `.git` is at or above a project, git could only say it is not in a work
    tree: a walk and a pre-commit-sized run (a module holding a value, whose importers are
    looked for) start no git and load no `subprocess`. In a repository they do."""
    (tmp_path / "pyproject.toml").write_text("[tool.lint-secrets]\n")
    source = 'KEY = "a value an importer could send"\n'
    for argv in (["check", "m.py"], ["check", "."]):
        assert "subprocess" not in _modules_loaded_by_check(tmp_path, source, argv)
    git(tmp_path, "init", "-q")
    assert "subprocess" in _modules_loaded_by_check(tmp_path, source, ["check", "m.py"])


def test_only_a_file_that_imports_cog_loads_the_cog_analysis(tmp_path: Path) -> None:
    """A model author's predictor is a rare file among those that call Replicate."""
    assert "lint_secrets.cog_analysis" not in _modules_loaded_by_check(
        tmp_path, "import replicate\nreplicate.run('a/b', input={'hf_token': 'hf_FAKEabcdefghijkl'})\n"
    )
    cog = "from cog import BasePredictor, Input\nclass P(BasePredictor):\n    def predict(self, hf_token: str = Input()) -> str:\n        return ''\n"
    assert "lint_secrets.cog_analysis" in _modules_loaded_by_check(tmp_path, cog)


def test_a_pre_commit_run_over_unrelated_files_loads_only_the_prefilter(tmp_path: Path) -> None:
    """Start-up is most of such a run: the checker, the naming pass, noqa, the env file,
    hashing and git are for files that pass the prefilter, fixing runs and directory walks."""
    heavy = {
        "lint_secrets.checker",
        "lint_secrets.env_names",
        "lint_secrets.heuristics",
        "lint_secrets.noqa",
        "lint_secrets.textscan",
        "lint_secrets.envfile",
        "lint_secrets.fix.edits",  # the fixes' classes: a clean run creates none
        "click",  # a plain `check` runs without it
        "subprocess",
        "hashlib",
        "json",
    }
    loaded = _modules_loaded_by_check(tmp_path, "import os\nx = os.getenv('HOME')\n")
    assert "lint_secrets.prefilter" in loaded  # the measurement saw the run
    assert not heavy & loaded
    assert {"lint_secrets.checker", "lint_secrets.noqa"} <= _modules_loaded_by_check(
        tmp_path, "import replicate\nreplicate.run('a/b')\n"
    )
