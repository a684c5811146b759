"""Tests of lint_secrets.api against a real HTTP server on 127.0.0.1."""

from __future__ import annotations

import json
import os
import socket
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Dict, Iterator, List, Optional, Sequence, Tuple

import pytest

from lint_secrets.api import (
    DEFAULT_BASE_URL,
    PullResult,
    base_url_from_env,
    pull,
    validate_base_url,
)
from lint_secrets.model_refs import ModelRef, parse_pull_ref

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "api"
# Random, as real tokens are: one made of English words ("Token") would share 4-character
# pieces with ordinary error messages ("authentication token"), which pull then withholds.
TOKEN = "r8_Qm7ZxLp2V9cRt4Wb8NkJ3hYf6GdS1aE5uXoTi"
V_LATEST = "f03c922a7b4f838b5a51b41f1909a637f9aa81916a7d01c8fad095069847e91c"
V_OLD = "d1c63ad43abac21d916d0b6f1b983d96ebe29c587ac8fc04df07b7a16e2c5fe6"

MODEL = ModelRef("model", "example", "text-to-speech")
VERSION = ModelRef("version", "example", "text-to-speech", V_LATEST)
OLD_VERSION = ModelRef("version", "example", "text-to-speech", V_OLD)
DEPLOYMENT = ModelRef("deployment", "example", "tts-prod")

MODEL_PATH = "/v1/models/example/text-to-speech"
VERSION_PATH = f"/v1/models/example/text-to-speech/versions/{V_LATEST}"
DEPLOYMENT_PATH = "/v1/deployments/example/tts-prod"

MODEL_FILE = "models/example/text-to-speech.json"
VERSION_FILE = f"models/example/text-to-speech/versions/{V_LATEST}.json"
DEPLOYMENT_FILE = "deployments/example/tts-prod.json"


# ------------------------------------------------------------------ fake API


@dataclass
class Reply:
    """One scripted answer. ``body=None`` serves the fixture at the request path."""

    status: int = 200
    body: Optional[bytes] = None
    headers: Dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    drop: bool = False


def error_body(status: int, detail: str) -> bytes:
    return json.dumps({"title": "Error", "detail": detail, "status": status}).encode()


class FakeApi:
    """Serves fixtures by path; per-path scripts override them, in order."""

    def __init__(self) -> None:
        self.base_url = ""
        self.release = threading.Event()
        self._lock = threading.Lock()
        self._script: Dict[str, List[Reply]] = {}
        self.requests: List[Tuple[str, Dict[str, str]]] = []

    def on(self, path: str, *replies: Reply) -> None:
        """Answer ``path`` with ``replies`` in turn; the last one repeats."""
        self._script[path] = list(replies)

    def next_reply(self, path: str, headers: Dict[str, str]) -> Reply:
        with self._lock:
            self.requests.append((path, headers))
            replies = self._script.get(path)
            if not replies:
                return Reply()
            return replies.pop(0) if len(replies) > 1 else replies[0]

    def count(self, path: str) -> int:
        with self._lock:
            return sum(1 for seen, _ in self.requests if seen == path)

    def paths(self) -> List[str]:
        with self._lock:
            return [path for path, _ in self.requests]


class _Server(ThreadingHTTPServer):
    api: FakeApi

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # a client that gave up (timeout test) is expected


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_GET(self) -> None:
        api = self.server.api
        reply = api.next_reply(self.path, {k.lower(): v for k, v in self.headers.items()})
        if reply.delay:
            api.release.wait(reply.delay)
        if reply.drop:
            self.close_connection = True
            return
        status, body = reply.status, reply.body
        if body is None:
            fixture = FIXTURES / (self.path.removeprefix("/v1/") + ".json")
            if fixture.is_file():
                body = fixture.read_bytes()
            else:
                status, body = (
                    404,
                    (FIXTURES / "api-shapes" / "error-404.json").read_bytes(),
                )
        try:
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            for name, value in reply.headers.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(body)
        except OSError:
            pass


@pytest.fixture(autouse=True)
def _no_proxy(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("http_proxy", "https_proxy", "all_proxy"):
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.upper(), raising=False)


@pytest.fixture
def api() -> Iterator[FakeApi]:
    fake = FakeApi()
    server = _Server(("127.0.0.1", 0), _Handler)
    server.api = fake
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.01})
    thread.daemon = True
    thread.start()
    fake.base_url = f"http://127.0.0.1:{server.server_address[1]}/v1"
    try:
        yield fake
    finally:
        fake.release.set()  # let a deliberately slow handler finish at once
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


class Sleeps:
    """A thread-safe stand-in for time.sleep that records the delays."""

    def __init__(self) -> None:
        self.calls: List[float] = []
        self._lock = threading.Lock()

    def __call__(self, seconds: float) -> None:
        with self._lock:
            self.calls.append(seconds)


def run(
    api: FakeApi,
    cache: Path,
    refs: Sequence[ModelRef],
    sleeps: Optional[Sleeps] = None,
    **kwargs: Any,
) -> List[PullResult]:
    kwargs.setdefault("token", TOKEN)
    kwargs.setdefault("timeout", 2.0)
    results = pull(
        refs,
        cache,
        base_url=api.base_url,
        sleep=sleeps if sleeps is not None else Sleeps(),
        **kwargs,
    )
    assert_no_leak(cache, results)
    return results


def assert_no_leak(cache: Path, results: Sequence[PullResult]) -> None:
    secret = TOKEN.encode()
    if cache.exists():
        for path in cache.rglob("*"):
            if path.is_file():
                assert secret not in path.read_bytes(), path
    for result in results:
        assert TOKEN not in result.message
        assert TOKEN not in repr(result)
        assert "\n" not in result.message


def fixture_json(rel: str) -> Any:
    return json.loads((FIXTURES / rel).read_text(encoding="utf-8"))


def no_temp_files(cache: Path) -> bool:
    return not [p for p in cache.rglob("*") if p.name.endswith(".tmp")]


# ------------------------------------------------------------ parse_pull_ref


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("example/text-to-speech", MODEL),
        ("  example/text-to-speech\n", MODEL),
        (f"example/text-to-speech:{V_LATEST}", VERSION),
        (f"example/text-to-speech:{V_LATEST.upper()}", VERSION),
        ("deployment:example/tts-prod", DEPLOYMENT),
        ("Some_Owner/model.v2-final", ModelRef("model", "Some_Owner", "model.v2-final")),
        ("a/...", ModelRef("model", "a", "...")),
    ],
)
def test_parse_pull_ref_accepts(text: str, expected: ModelRef) -> None:
    assert parse_pull_ref(text) == expected


def test_display_round_trips() -> None:
    assert MODEL.pull_ref() == "example/text-to-speech"
    assert VERSION.pull_ref() == f"example/text-to-speech:{V_LATEST}"
    assert DEPLOYMENT.pull_ref() == "deployment:example/tts-prod"
    for ref in (MODEL, VERSION, DEPLOYMENT):
        assert parse_pull_ref(ref.pull_ref()) == ref


def test_parse_pull_ref_bare_version_id() -> None:
    with pytest.raises(ValueError, match="bare version id can't be fetched by itself"):
        parse_pull_ref(V_LATEST)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "example",
        "example/",
        "/text-to-speech",
        "a/b/c",
        "example//tts",
        "../etc",
        "../../etc/passwd",
        "example/..",
        "./x",
        "example/.",
        "..\\..\\x/y",
        "example/na me",
        "example/name\x00",
        "exa%2fmple/x",
        "example/text-to-speech:",
        "example/text-to-speech:abc123",
        f"example/text-to-speech:{V_LATEST}0",
        f"example/text-to-speech:{V_LATEST}:{V_LATEST}",
        f"../x:{V_LATEST}",
        "deployment:",
        "deployment:example",
        "deployment:../x",
        f"deployment:example/tts-prod:{V_LATEST}",
        "https://replicate.com/example/text-to-speech",
        "example/" + "x" * 200,
    ],
)
def test_parse_pull_ref_rejects(text: str) -> None:
    with pytest.raises(ValueError) as info:
        parse_pull_ref(text)
    assert "\n" not in str(info.value)


@pytest.mark.parametrize(
    ("kind", "owner", "name", "version"),
    [
        ("model", "..", "x", None),
        ("model", "a", "b/c", None),
        ("model", "a", "b", V_LATEST),
        ("version", "a", "b", None),
        ("version", "a", "b", "../../x"),
        ("version", "a", "b", V_LATEST.upper()),
        ("deployment", "a", "b", V_LATEST),
        ("prediction", "a", "b", None),
    ],
)
def test_model_ref_validates_direct_construction(
    kind: str, owner: str, name: str, version: Optional[str]
) -> None:
    with pytest.raises(ValueError):
        ModelRef(kind, owner, name, version)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "ref",
    [
        ModelRef("version", None, None, V_LATEST),
        ModelRef("model", "example", "x" * 129),
        ModelRef("model", "example", TOKEN),
    ],
    ids=["bare-version", "over-long-name", "token-as-name"],
)
def test_pull_refuses_a_ref_it_may_not_fetch(api: FakeApi, tmp_path: Path, ref: ModelRef) -> None:
    """Code may name such a model, but pull takes it for no request and writes nothing."""
    with pytest.raises(ValueError) as info:
        run(api, tmp_path, [ref])
    assert TOKEN[4:] not in str(info.value)
    assert api.requests == [] and list(tmp_path.iterdir()) == []


# --------------------------------------------------------------- base URL


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (DEFAULT_BASE_URL, DEFAULT_BASE_URL),
        ("https://api.replicate.com/v1/", DEFAULT_BASE_URL),
        (
            "https://proxy.example.com:8443/replicate/v1",
            "https://proxy.example.com:8443/replicate/v1",
        ),
        ("http://127.0.0.1:8000/v1", "http://127.0.0.1:8000/v1"),
        ("http://127.5.6.7/v1", "http://127.5.6.7/v1"),
        ("http://[::1]:9000/v1", "http://[::1]:9000/v1"),
        ("http://localhost:1234", "http://localhost:1234"),
        ("HTTP://LocalHost/v1", "HTTP://LocalHost/v1"),
    ],
)
def test_validate_base_url_accepts(url: str, expected: str) -> None:
    assert validate_base_url(url) == expected


@pytest.mark.parametrize(
    "url",
    [
        "",
        "api.replicate.com/v1",
        "http://api.replicate.com/v1",
        "http://10.0.0.1/v1",
        "http://192.168.1.1:8000",
        "http://localhost.evil.example/v1",
        "http://127.0.0.1.nip.io/v1",
        "http://0.0.0.0:8000",
        "ftp://api.replicate.com/v1",
        "file:///etc/passwd",
        "https://",
        "https://user:pass@api.replicate.com/v1",
        "http://user@127.0.0.1/v1",
        "https://api.replicate.com/v1?x=1",
        "https://api.replicate.com/v1#frag",
        "https://api.replicate.com:notaport/v1",
        "https://api.replicate.com/v1 ",
    ],
)
def test_validate_base_url_rejects(url: str) -> None:
    with pytest.raises(ValueError):
        validate_base_url(url)


def test_base_url_from_env() -> None:
    assert base_url_from_env({}) == DEFAULT_BASE_URL
    assert base_url_from_env({"REPLICATE_BASE_URL": ""}) == DEFAULT_BASE_URL
    assert base_url_from_env({"REPLICATE_BASE_URL": "http://127.0.0.1:9/v1/"}) == ("http://127.0.0.1:9/v1")
    with pytest.raises(ValueError, match="plain http"):
        base_url_from_env({"REPLICATE_BASE_URL": "http://api.example.com/v1"})


def test_pull_rejects_insecure_base_url(tmp_path: Path) -> None:
    with pytest.raises(ValueError):
        pull([MODEL], tmp_path, token=TOKEN, base_url="http://api.example.com/v1")


# ---------------------------------------------------------------- success


def test_model_fetched_with_headers(api: FakeApi, tmp_path: Path) -> None:
    [result] = run(api, tmp_path, [MODEL], user_agent="lint-secrets/9.9")
    assert result == PullResult(MODEL, True, "fetched", (MODEL_FILE,))
    written = (tmp_path / MODEL_FILE).read_text(encoding="utf-8")
    body = fixture_json(MODEL_FILE)
    del body["default_example"]  # may hold someone's inputs: never stored
    assert json.loads(written) == body
    assert written == json.dumps(body, ensure_ascii=False, separators=(",", ":")) + "\n"
    [(path, headers)] = api.requests
    assert path == MODEL_PATH
    assert headers["authorization"] == f"Bearer {TOKEN}"
    assert headers["user-agent"] == "lint-secrets/9.9"
    assert no_temp_files(tmp_path)


def test_default_user_agent(api: FakeApi, tmp_path: Path) -> None:
    run(api, tmp_path, [MODEL])
    assert api.requests[0][1]["user-agent"].startswith("lint-secrets")


def test_model_without_version(api: FakeApi, tmp_path: Path) -> None:
    ref = ModelRef("model", "example", "no-version-yet")
    [result] = run(api, tmp_path, [ref])
    assert result.ok, result.message
    assert "no version" in result.message
    assert json.loads((tmp_path / "models/example/no-version-yet.json").read_text())["latest_version"] is None


def test_version_fetched(api: FakeApi, tmp_path: Path) -> None:
    [result] = run(api, tmp_path, [VERSION])
    assert result == PullResult(VERSION, True, "fetched", (VERSION_FILE,))
    assert json.loads((tmp_path / VERSION_FILE).read_text()) == fixture_json(VERSION_FILE)
    assert api.paths() == [VERSION_PATH]


def test_deployment_fetches_its_version(api: FakeApi, tmp_path: Path) -> None:
    [result] = run(api, tmp_path, [DEPLOYMENT])
    assert result.ok, result.message
    assert result.message.startswith("fetched")
    assert set(result.written) == {DEPLOYMENT_FILE, VERSION_FILE}
    assert json.loads((tmp_path / DEPLOYMENT_FILE).read_text()) == fixture_json(DEPLOYMENT_FILE)
    assert json.loads((tmp_path / VERSION_FILE).read_text()) == fixture_json(VERSION_FILE)
    assert sorted(api.paths()) == sorted([DEPLOYMENT_PATH, VERSION_PATH])


def test_parallel_dedup_order_and_progress(api: FakeApi, tmp_path: Path) -> None:
    refs = [
        VERSION,
        DEPLOYMENT,
        MODEL,
        VERSION,
        OLD_VERSION,
        ModelRef("model", "example", "nope"),
    ]
    seen: List[Tuple[int, int]] = []
    results = run(api, tmp_path, refs, workers=4, progress=lambda d, t: seen.append((d, t)))
    assert [r.ref for r in results] == refs
    assert [r.ok for r in results] == [True, True, True, True, True, False]
    assert results[0] == results[3]
    assert api.count(VERSION_PATH) == 1  # shared by two version refs and the deployment
    assert api.count(DEPLOYMENT_PATH) == 1
    assert seen == [(i, len(refs)) for i in range(1, len(refs) + 1)]


# ------------------------------------------------------------------ cache


def test_cached_files_are_not_fetched_again(api: FakeApi, tmp_path: Path) -> None:
    run(api, tmp_path, [MODEL, VERSION, DEPLOYMENT])
    api.requests.clear()
    results = run(api, tmp_path, [MODEL, VERSION, DEPLOYMENT])
    for result in results:
        assert result.ok
        assert result.message == "cached (use --refresh to fetch again)"
        assert result.written == ()
    assert api.requests == []


def test_cached_deployment_missing_its_version(api: FakeApi, tmp_path: Path) -> None:
    run(api, tmp_path, [DEPLOYMENT])
    (tmp_path / VERSION_FILE).unlink()
    api.requests.clear()
    [result] = run(api, tmp_path, [DEPLOYMENT])
    assert result.ok, result.message
    assert result.written == (VERSION_FILE,)
    assert api.paths() == [VERSION_PATH]


def test_refresh_fetches_again(api: FakeApi, tmp_path: Path) -> None:
    target = tmp_path / MODEL_FILE
    target.parent.mkdir(parents=True)
    target.write_text('{"latest_version": null}\n')
    [result] = run(api, tmp_path, [MODEL], refresh=True)
    assert result.ok and result.written == (MODEL_FILE,)
    assert json.loads(target.read_text()) == {
        k: v for k, v in fixture_json(MODEL_FILE).items() if k != "default_example"
    }


def test_failed_refresh_keeps_old_file(api: FakeApi, tmp_path: Path) -> None:
    run(api, tmp_path, [MODEL, DEPLOYMENT])
    before = {rel: (tmp_path / rel).read_bytes() for rel in (MODEL_FILE, DEPLOYMENT_FILE, VERSION_FILE)}
    api.on(MODEL_PATH, Reply(500, error_body(500, "boom")))
    api.on(DEPLOYMENT_PATH, Reply(200, b'{"current_release": {"model": "example/x"'))
    results = run(api, tmp_path, [MODEL, DEPLOYMENT], refresh=True, max_retries=1)
    assert [r.ok for r in results] == [False, False]
    assert "HTTP 500" in results[0].message
    assert "not valid JSON" in results[1].message
    for rel, content in before.items():
        assert (tmp_path / rel).read_bytes() == content
    assert no_temp_files(tmp_path)


def test_deployment_not_written_when_its_version_fails(api: FakeApi, tmp_path: Path) -> None:
    api.on(VERSION_PATH, Reply(404, (FIXTURES / "api-shapes/error-404.json").read_bytes()))
    [result] = run(api, tmp_path, [DEPLOYMENT])
    assert not result.ok
    assert f"example/text-to-speech:{V_LATEST}" in result.message
    assert "not found" in result.message
    assert result.written == ()
    assert not (tmp_path / DEPLOYMENT_FILE).exists()
    assert not (tmp_path / VERSION_FILE).exists()


def test_write_failure_is_reported_and_cleaned_up(api: FakeApi, tmp_path: Path) -> None:
    (tmp_path / MODEL_FILE).mkdir(parents=True)  # a directory where the file should go
    [result] = run(api, tmp_path, [MODEL], refresh=True)
    assert not result.ok
    assert result.message.startswith(f"could not write {MODEL_FILE}")
    assert no_temp_files(tmp_path)


# ----------------------------------------------------------------- errors


def test_no_token_makes_no_request(api: FakeApi, tmp_path: Path) -> None:
    for token in (None, "", "  "):
        results = run(api, tmp_path, [MODEL, DEPLOYMENT], token=token)
        assert [r.ok for r in results] == [False, False]
        assert all("REPLICATE_API_TOKEN" in r.message for r in results)
    assert api.requests == []


def test_token_with_control_characters(api: FakeApi, tmp_path: Path) -> None:
    [result] = run(api, tmp_path, [MODEL], token=TOKEN + "\r\nX-Evil: 1")
    assert not result.ok and "REPLICATE_API_TOKEN" in result.message
    assert api.requests == []


def test_unauthorized(api: FakeApi, tmp_path: Path) -> None:
    api.on(MODEL_PATH, Reply(401, (FIXTURES / "api-shapes/error-401.json").read_bytes()))
    [result] = run(api, tmp_path, [MODEL])
    assert not result.ok
    assert "REPLICATE_API_TOKEN" in result.message and "rejected" in result.message
    assert "You did not pass a valid authentication token" in result.message
    assert not (tmp_path / MODEL_FILE).exists()


def test_forbidden_with_token_echoed_in_detail(api: FakeApi, tmp_path: Path) -> None:
    api.on(MODEL_PATH, Reply(403, error_body(403, f"token {TOKEN} has no access")))
    [result] = run(api, tmp_path, [MODEL])  # run() asserts the token is not echoed
    assert not result.ok
    assert "lacks access" in result.message and "REPLICATE_API_TOKEN" in result.message
    assert TOKEN[:10] not in result.message


def test_not_found(api: FakeApi, tmp_path: Path) -> None:
    ref = ModelRef("model", "example", "does-not-exist")
    [result] = run(api, tmp_path, [ref])
    assert not result.ok
    assert "not found" in result.message and "private" in result.message


def test_rate_limit_honours_retry_after(api: FakeApi, tmp_path: Path) -> None:
    api.on(
        MODEL_PATH,
        Reply(429, error_body(429, "slow down"), {"Retry-After": "7"}),
        Reply(),
    )
    sleeps = Sleeps()
    [result] = run(api, tmp_path, [MODEL], sleeps)
    assert result.ok, result.message
    assert sleeps.calls == [7.0]
    assert api.count(MODEL_PATH) == 2


def test_retry_after_is_capped(api: FakeApi, tmp_path: Path) -> None:
    api.on(MODEL_PATH, Reply(429, b"", {"Retry-After": "100000"}), Reply())
    sleeps = Sleeps()
    [result] = run(api, tmp_path, [MODEL], sleeps)
    assert result.ok
    assert sleeps.calls == [60.0]


def test_retry_after_http_date(api: FakeApi, tmp_path: Path) -> None:
    past = "Wed, 21 Oct 2015 07:28:00 GMT"
    api.on(MODEL_PATH, Reply(503, b"", {"Retry-After": past}), Reply())
    sleeps = Sleeps()
    [result] = run(api, tmp_path, [MODEL], sleeps)
    assert result.ok
    assert sleeps.calls == [0.0]


def test_server_error_then_success(api: FakeApi, tmp_path: Path) -> None:
    api.on(
        VERSION_PATH,
        Reply(500, error_body(500, "oops")),
        Reply(502, b"<html>"),
        Reply(),
    )
    sleeps = Sleeps()
    [result] = run(api, tmp_path, [VERSION], sleeps)
    assert result.ok, result.message
    assert len(sleeps.calls) == 2
    assert sleeps.calls[0] > 0 and sleeps.calls[1] > sleeps.calls[0]  # exponential backoff


def test_persistent_server_error_gives_up(api: FakeApi, tmp_path: Path) -> None:
    api.on(MODEL_PATH, Reply(503, error_body(503, "maintenance")))
    sleeps = Sleeps()
    [result] = run(api, tmp_path, [MODEL], sleeps, max_retries=3)
    assert not result.ok
    assert "HTTP 503" in result.message and "4 attempts" in result.message
    assert api.count(MODEL_PATH) == 4
    assert len(sleeps.calls) == 3


def test_connection_reset_is_retried(api: FakeApi, tmp_path: Path) -> None:
    api.on(MODEL_PATH, Reply(drop=True), Reply())
    sleeps = Sleeps()
    [result] = run(api, tmp_path, [MODEL], sleeps)
    assert result.ok, result.message
    assert api.count(MODEL_PATH) == 2 and len(sleeps.calls) == 1


def test_timeout(api: FakeApi, tmp_path: Path) -> None:
    api.on(MODEL_PATH, Reply(delay=1.0))
    started = time.monotonic()
    results = run(api, tmp_path, [MODEL, VERSION], timeout=0.3)
    assert time.monotonic() - started < 1.0
    assert not results[0].ok and "timed out" in results[0].message
    assert results[1].ok  # one failed ref does not stop the others


def test_network_unreachable(tmp_path: Path) -> None:
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    results = pull(
        [MODEL, DEPLOYMENT],
        tmp_path,
        token=TOKEN,
        base_url=f"http://127.0.0.1:{port}/v1",
        timeout=1.0,
        sleep=Sleeps(),
    )
    assert [r.ok for r in results] == [False, False]
    assert all("could not reach 127.0.0.1" in r.message for r in results)
    assert_no_leak(tmp_path, results)


def test_redirect_is_not_followed(api: FakeApi, tmp_path: Path) -> None:
    api.on(MODEL_PATH, Reply(302, b"", {"Location": f"{api.base_url}/elsewhere"}))
    [result] = run(api, tmp_path, [MODEL])
    assert not result.ok and "redirect" in result.message
    assert api.paths() == [MODEL_PATH]


@pytest.mark.parametrize(
    ("ref", "path", "body", "expected"),
    [
        (MODEL, MODEL_PATH, b"<html>not json</html>", "not valid JSON"),
        (MODEL, MODEL_PATH, b"[1, 2]", "not a JSON object"),
        (MODEL, MODEL_PATH, b'{"owner": "example"}', "latest_version"),
        (MODEL, MODEL_PATH, b'{"latest_version": {"id": "x"}}', "openapi_schema"),
        (VERSION, VERSION_PATH, b'{"id": "x"}', "openapi_schema"),
        (VERSION, VERSION_PATH, b'{"openapi_schema": "nope"}', "openapi_schema"),
        (DEPLOYMENT, DEPLOYMENT_PATH, b'{"owner": "example"}', "current_release"),
        (
            DEPLOYMENT,
            DEPLOYMENT_PATH,
            b'{"current_release": {"model": "example/text-to-speech"}}',
            "'version'",
        ),
        (
            DEPLOYMENT,
            DEPLOYMENT_PATH,
            json.dumps({"current_release": {"model": "../../etc", "version": V_LATEST}}).encode(),
            "owner/name",
        ),
        (
            DEPLOYMENT,
            DEPLOYMENT_PATH,
            b'{"current_release": {"model": "example/x", "version": "../../x"}}',
            "version id",
        ),
    ],
)
def test_malformed_bodies(
    api: FakeApi, tmp_path: Path, ref: ModelRef, path: str, body: bytes, expected: str
) -> None:
    api.on(path, Reply(200, body))
    [result] = run(api, tmp_path, [ref])
    assert not result.ok
    assert result.message.startswith("unexpected response")
    assert expected in result.message
    assert result.written == ()
    assert [p for p in tmp_path.rglob("*") if p.is_file()] == []
    assert len(api.requests) == 1


def test_no_token_anywhere_after_a_mixed_run(api: FakeApi, tmp_path: Path) -> None:
    api.on(MODEL_PATH, Reply(500, error_body(500, f"internal: {TOKEN}")))
    api.on(VERSION_PATH, Reply(401, error_body(401, f"bad token {TOKEN[:20]}")))
    refs = [MODEL, VERSION, DEPLOYMENT, ModelRef("model", "example", "official-chat")]
    results = run(api, tmp_path, refs, max_retries=0)
    assert [r.ok for r in results] == [False, False, False, True]
    for result in results:
        assert TOKEN[3:15] not in result.message
    for root, _dirs, files in os.walk(tmp_path):
        for name in files:
            assert TOKEN[3:15].encode() not in (Path(root) / name).read_bytes()
