"""`schemas pull` past what issue 16 first covered: a token typed where a model or the API
base belongs, a server echoing the token in short pieces, responses whose parsed tree would
dwarf them, and JSON that Python reads but JSON does not allow.

A real HTTP server on 127.0.0.1 (test_api's), the real command line.
"""

from __future__ import annotations

import json
import threading
import tracemalloc
from pathlib import Path
from typing import Any, Dict, Iterator, Tuple

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from test_api import MODEL, MODEL_FILE, MODEL_PATH, TOKEN, FakeApi, Reply, _Handler, _Server, error_body, run

from lint_secrets.api import WITHHELD_DETAIL, validate_base_url
from lint_secrets.cli import main
from lint_secrets.model_refs import parse_pull_ref
from lint_secrets.stored_json import (
    MAX_STORED_DEPTH,
    TREE_FACTOR,
    NotStoredJson,
    _from_tree,
    stored_response,
    streamed_response,
    tree_estimate,
)

HF = "hf_" + "Kq3Zt8Lm2Xv7Rb4Nc9Wd1Jy6Fs5Gh0Pa" + "Ue"  # a Hugging Face token's shape


@pytest.fixture(autouse=True)
def no_proxy_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("http_proxy", "https_proxy", "all_proxy", "no_proxy"):
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.upper(), raising=False)


@pytest.fixture
def server() -> Iterator[FakeApi]:
    fake = FakeApi()
    http_server = _Server(("127.0.0.1", 0), _Handler)
    http_server.api = fake
    thread = threading.Thread(target=http_server.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True)
    thread.start()
    fake.base_url = f"http://127.0.0.1:{http_server.server_address[1]}/v1"
    try:
        yield fake
    finally:
        fake.release.set()
        http_server.shutdown()
        http_server.server_close()
        thread.join(timeout=5)


def cli(capsys: pytest.CaptureFixture[str], *argv: str) -> Tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return code, out, err


def assert_no_piece_of(secret: str, text: str, piece: int = 8) -> None:
    """No `piece` characters in a row of `secret` (past its public prefix) in `text`."""
    for start in range(3, len(secret) - piece + 1):
        assert secret[start : start + piece] not in text, text


# ------------------------------------------------------------------ a token typed as a REF


@pytest.mark.parametrize(
    "ref",
    [
        pytest.param(TOKEN, id="token-alone"),
        pytest.param(f"acme/{TOKEN}", id="as-name"),
        pytest.param(f"{TOKEN}/flux", id="as-owner"),
        pytest.param(f"acme/{HF}", id="hugging-face-token"),
        pytest.param(f"deployment:acme/{TOKEN}", id="deployment"),
        pytest.param(f"acme/{TOKEN}:" + "a" * 64, id="with-version"),
        pytest.param(f"acme/{TOKEN[3:]}", id="env-token-without-prefix"),
        pytest.param(f"acme/{TOKEN}\n", id="trailing-newline"),
    ],
)
def test_a_token_typed_as_a_ref_is_refused_unsent_and_unechoed(
    server: FakeApi,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    ref: str,
) -> None:
    monkeypatch.setenv("REPLICATE_API_TOKEN", TOKEN)
    code, out, err = cli(
        capsys, "schemas", "pull", "--schema-dir", str(tmp_path), "--base-url", server.base_url, ref
    )
    assert code == 2
    assert server.paths() == []  # not even a request whose path would carry it
    [line] = [line for line in err.splitlines() if "error" in line.lower()]
    assert "looks like an API token" in line and "nothing sent" in line
    assert_no_piece_of(TOKEN, out + err)
    assert_no_piece_of(HF, out + err)


def test_parse_pull_ref_never_echoes_a_token() -> None:
    for text in (TOKEN, f"acme/{TOKEN}", f"{TOKEN}/x/y", f"acme/{HF}:nope"):
        with pytest.raises(ValueError) as raised:
            parse_pull_ref(text)
        assert_no_piece_of(TOKEN, str(raised.value))
        assert_no_piece_of(HF, str(raised.value))


@pytest.mark.parametrize(
    "path",
    [pytest.param(f"/{TOKEN}/v1", id="token"), pytest.param(f"/v1/{TOKEN[5:30]}", id="piece-of-env-token")],
)
def test_a_token_in_the_base_url_is_refused_unsent_and_unechoed(
    server: FakeApi,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    path: str,
) -> None:
    monkeypatch.setenv("REPLICATE_API_TOKEN", TOKEN)
    base = server.base_url[: -len("/v1")] + path
    code, out, err = cli(
        capsys, "schemas", "pull", "--schema-dir", str(tmp_path), "--base-url", base, "acme/flux"
    )
    assert code == 2
    assert "looks like an API token" in err
    assert server.paths() == []
    assert_no_piece_of(TOKEN, out + err)
    with pytest.raises(ValueError, match="looks like an API token"):
        validate_base_url(base, TOKEN)


def test_a_token_named_as_a_model_in_code_is_never_fetched_nor_shown(
    server: FakeApi, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    project = tmp_path / "project"
    project.mkdir()
    (project / "pyproject.toml").write_text("[tool.lint-secrets]\n")
    (project / "app.py").write_text(
        f'import replicate\nreplicate.run("acme/{TOKEN}", input={{"prompt": "hi"}})\n'
    )
    monkeypatch.chdir(project)
    monkeypatch.setenv("REPLICATE_API_TOKEN", "r8_" + "Zx9" * 12 + "Q")  # another token than the one in code
    code, out, err = cli(capsys, "schemas", "pull", "--base-url", server.base_url)
    assert code == 2
    assert server.paths() == []
    assert "looks like an API token" in err
    assert_no_piece_of(TOKEN, out + err)
    code, out, err = cli(capsys, "check", "app.py")  # the note naming what to pull
    assert_no_piece_of(TOKEN, out + err)


def test_schemas_show_never_echoes_a_token(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    code, out, err = cli(capsys, "schemas", "show", f"acme/{TOKEN}")
    assert code == 2 and "looks like an API token" in err
    assert_no_piece_of(TOKEN, out + err)


def test_ordinary_names_are_not_taken_for_tokens(server: FakeApi, tmp_path: Path) -> None:
    for text in ("stability-ai/stable-diffusion-xl-base-1024-v2", "meta/llama-3.1-405b-instruct", "a/b"):
        parse_pull_ref(text)
    [result] = run(server, tmp_path, [MODEL])
    assert result.ok, result.message


# ------------------------------------------------------------------ a server echoing the token


@pytest.mark.parametrize("size", [4, 3])
def test_a_server_echoing_the_token_in_short_pieces_gets_its_message_withheld(
    server: FakeApi, tmp_path: Path, size: int
) -> None:
    pieces = " ".join(TOKEN[i : i + size] for i in range(0, len(TOKEN), size))
    server.on(MODEL_PATH, Reply(403, error_body(403, f"token {pieces} lacks access")))
    [result] = run(server, tmp_path, [MODEL])
    assert not result.ok
    assert WITHHELD_DETAIL in result.message
    assert_no_piece_of(TOKEN, result.message, piece=size)


def test_a_server_message_without_the_token_is_still_shown(server: FakeApi, tmp_path: Path) -> None:
    server.on(MODEL_PATH, Reply(403, error_body(403, "This model is private to its owner")))
    [result] = run(server, tmp_path, [MODEL])
    assert "This model is private to its owner" in result.message
    assert WITHHELD_DETAIL not in result.message


# ------------------------------------------------------------------ responses dense with objects


def model_body(extra: Any) -> bytes:
    fixture = json.loads((Path(__file__).parent.parent / "fixtures" / "api" / MODEL_FILE).read_text())
    fixture["x"] = extra
    return json.dumps(fixture).encode()


DENSE: Dict[str, Any] = {
    "objects": [{"a": 1}] * 40_000,
    "nested-lists": [json.loads("[" * 300 + "]" * 300)] * 200,
    "short-strings": [" the", " a"] * 40_000,
}


@pytest.mark.parametrize("shape", sorted(DENSE))
def test_a_dense_response_is_stored_and_read_within_a_few_times_its_size(
    server: FakeApi, tmp_path: Path, shape: str
) -> None:
    body = model_body(DENSE[shape])
    assert tree_estimate(body) > TREE_FACTOR * len(body)  # read as a stream: no tree is built
    tracemalloc.start()
    try:
        streamed = stored_response(body)
        _now, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 4 * len(body), (peak, len(body))  # a parsed tree: 25 to 45 times
    server.on(MODEL_PATH, Reply(200, body))
    [result] = run(server, tmp_path, [MODEL])
    assert result.ok, result.message
    stored = (tmp_path / MODEL_FILE).read_bytes()
    assert stored == streamed.stored and len(stored) <= len(body)
    assert json.loads(stored)["latest_version"]["openapi_schema"]["components"]["schemas"]["Input"]


_SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=8),
)
_KEYS = st.one_of(
    st.sampled_from(["default_example", "latest_version", "id", "openapi_schema", "x"]), st.text(max_size=6)
)
_JSON = st.recursive(
    _SCALARS,
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(_KEYS, inner, max_size=4)),
    max_leaves=60,
)


@settings(max_examples=150, deadline=None)
@given(st.dictionaries(_KEYS, _JSON, max_size=5), st.integers(0, 40), st.booleans())
def test_streamed_and_parsed_responses_store_the_same(
    document: Dict[str, Any], depth: int, pretty: bool
) -> None:
    wrapped: Any = document
    for _ in range(depth):
        wrapped = {"x": [wrapped]}
    raw = json.dumps(wrapped, indent=1 if pretty else None, ensure_ascii=pretty).encode()
    streamed, parsed = streamed_response(raw), _from_tree(raw)
    assert json.loads(streamed.stored) == json.loads(parsed.stored)
    assert streamed.outline == parsed.outline
    assert b"default_example" not in streamed.stored
    assert _depth(json.loads(streamed.stored)) <= MAX_STORED_DEPTH + 1


def _depth(value: Any) -> int:
    if isinstance(value, dict):
        return 1 + max((_depth(v) for v in value.values()), default=0)
    if isinstance(value, list):
        return 1 + max((_depth(v) for v in value), default=0)
    return 0


# ------------------------------------------------------------------ JSON Python reads and JSON does not


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        pytest.param(b'{"latest_version": null, "n": NaN}', "not standard JSON", id="nan"),
        pytest.param(b'{"latest_version": null, "n": [1, -Infinity]}', "not standard JSON", id="-inf"),
        pytest.param(
            b'{"latest_version": null, "n": "a\\ud800b"}', "a lone surrogate \\ud800", id="surrogate"
        ),
        pytest.param(
            b'{"latest_version": null, "\\udc00": 1}', "a lone surrogate \\udc00", id="surrogate-key"
        ),
        pytest.param(
            b'{"latest_version": null, "n": ' + b"[" * 5000 + b"]" * 5000 + b"}",
            "nested deeper than 1000 levels",
            id="deep",
        ),
    ],
)
def test_json_python_reads_but_json_forbids_is_one_line_and_nothing_stored(
    server: FakeApi, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
    body: bytes, reason: str,
) -> None:  # fmt: skip
    server.on(MODEL_PATH, Reply(200, body))
    monkeypatch.setenv("REPLICATE_API_TOKEN", TOKEN)
    code, _out, err = cli(
        capsys,
        "schemas",
        "pull",
        "--schema-dir",
        str(tmp_path),
        "--base-url",
        server.base_url,
        "example/text-to-speech",
    )
    assert code == 2
    [line] = err.strip().splitlines()[1:]  # after the note naming the host
    assert line.startswith("lint-secrets: error: example/text-to-speech: unexpected response for model")
    assert reason in line and "unexpected error" not in line
    assert not (tmp_path / MODEL_FILE).exists()


def test_a_number_too_large_for_a_float_is_stored_as_written() -> None:
    stored = _from_tree(b'{"latest_version": null, "n": 1e400, "m": 1.50}').stored
    assert stored == b'{"latest_version":null,"n":1e400,"m":1.5}\n'  # not "Infinity", which is no JSON
    assert streamed_response(b'{"n": 1e400}').stored == b'{"n":1e400}\n'


def test_a_response_too_dense_to_stream_is_refused() -> None:
    body = b'{"x": [' + b",".join([b"[]"] * 4_500_000) + b"]}"
    with pytest.raises(NotStoredJson, match="no schema response is this dense"):
        stored_response(body)


def test_a_server_message_loses_every_word_that_could_be_a_token() -> None:
    """What `pull` says of a server's error body: tokens of any shape cut to 3 characters,
    while version ids, model names and ordinary words stay readable."""
    from lint_secrets.redact import redact_tokenish_words

    version = "f03c922a7b4f838b5a51b41f1909a637f9aa81916a7d01c8fad095069847e91c"
    unknown_shape = "zq81Kp0Lm3Nx7Vb2Hc5Tr9Wy"
    text = f"token r8_abcdef and {unknown_shape} rejected for example/official-chat:{version}"
    assert redact_tokenish_words(text) == (
        f"token r8_\u2026 and zq8\u2026 rejected for example/official-chat:{version}"
    )
