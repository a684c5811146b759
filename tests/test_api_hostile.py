"""`schemas pull` against slow, hostile and proxied servers: real sockets on 127.0.0.1."""

from __future__ import annotations

import json
import socket
import threading
import time
from pathlib import Path
from typing import Iterator, List, Tuple

import pytest
from test_api import (  # the fake API server and its fixtures
    DEPLOYMENT,
    MODEL,
    MODEL_FILE,
    MODEL_PATH,
    TOKEN,
    VERSION,
    FakeApi,
    Reply,
    Sleeps,
    _Handler,
    _Server,
    error_body,
    run,
)

from lint_secrets.api import MAX_TOTAL_RETRY_WAIT, base_url_from_env, pull, token_host_notice
from lint_secrets.cli import main


@pytest.fixture(autouse=True)
def no_proxy_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("http_proxy", "https_proxy", "all_proxy", "no_proxy"):
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.upper(), raising=False)


@pytest.fixture
def server() -> Iterator[FakeApi]:
    """The scripted fake API of test_api, on 127.0.0.1."""
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


class RawServer:
    """A TCP server on 127.0.0.1 that hands each connection to `serve` and records what it received."""

    def __init__(self, serve: callable[[socket.socket], bytes]) -> None:  # type: ignore[valid-type]
        self.received: List[bytes] = []
        self._serve = serve
        self._sock = socket.socket()
        self._sock.bind(("127.0.0.1", 0))
        self._sock.listen(8)
        self.port = self._sock.getsockname()[1]
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, daemon=True)
        self._thread.start()

    def _loop(self) -> None:
        self._sock.settimeout(0.05)
        while not self._stop.is_set():
            try:
                connection, _ = self._sock.accept()
            except OSError:
                continue
            threading.Thread(target=self._handle, args=(connection,), daemon=True).start()

    def _handle(self, connection: socket.socket) -> None:
        with connection:
            try:
                self.received.append(self._serve(connection))
            except OSError:
                pass

    def close(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)
        self._sock.close()


def read_request(connection: socket.socket) -> bytes:
    data = b""
    connection.settimeout(5)
    while b"\r\n\r\n" not in data:
        chunk = connection.recv(4096)
        if not chunk:
            break
        data += chunk
    return data


@pytest.fixture
def dripping() -> Iterator[RawServer]:
    """Answers 200 and a valid body, one byte every 50 ms: each read is quick, the whole is not."""

    def serve(connection: socket.socket) -> bytes:
        request = read_request(connection)
        body = json.dumps({"latest_version": None, "padding": "x" * 400}).encode()
        answer = b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n" % len(body) + body
        for byte in answer:
            connection.sendall(bytes([byte]))
            time.sleep(0.05)
        return request

    server = RawServer(serve)
    yield server
    server.close()


def test_a_dripping_server_cannot_hold_a_request_past_its_timeout(
    dripping: RawServer, tmp_path: Path
) -> None:
    started = time.monotonic()
    [result] = pull(
        [MODEL],
        tmp_path,
        token=TOKEN,
        base_url=f"http://127.0.0.1:{dripping.port}/v1",
        timeout=1.0,
        max_retries=0,
        sleep=Sleeps(),
    )
    elapsed = time.monotonic() - started
    assert not result.ok and "timed out" in result.message, result.message
    assert elapsed < 5, elapsed  # the whole answer takes over 20 s to drip
    assert not (tmp_path / MODEL_FILE).exists()


def test_retry_waits_share_one_budget_for_the_whole_pull(server: FakeApi, tmp_path: Path) -> None:
    refs = [MODEL, VERSION, DEPLOYMENT]
    for path in (
        MODEL_PATH,
        f"/v1/models/example/text-to-speech/versions/{VERSION.version}",
        "/v1/deployments/example/tts-prod",
    ):
        server.on(path, Reply(429, error_body(429, "slow down"), {"Retry-After": "60"}))
    sleeps = Sleeps()
    results = run(server, tmp_path, refs, sleeps, max_retries=4)
    assert [r.ok for r in results] == [False, False, False]
    assert sum(sleeps.calls) <= MAX_TOTAL_RETRY_WAIT  # before: 60 s, four times per ref
    assert any("budget for retries" in r.message for r in results)


def test_a_deeply_nested_response_is_not_stored_larger_than_it_came(server: FakeApi, tmp_path: Path) -> None:
    deep = "[" * 400 + "]" * 400
    body = (
        '{"latest_version": {"id": "v", "openapi_schema": {"components": {"schemas": {"Input": '
        '{"properties": {"key": {"type": "string", "format": "password"}}}}}, "x": ' + deep + "}}}"
    ).encode()
    server.on(MODEL_PATH, Reply(200, body))
    [result] = run(server, tmp_path, [MODEL])
    assert result.ok, result.message
    stored = (tmp_path / MODEL_FILE).read_bytes()
    assert len(stored) <= len(body) + 1
    document = json.loads(stored)
    schema = document["latest_version"]["openapi_schema"]
    assert schema["components"]["schemas"]["Input"]["properties"]["key"]["format"] == "password"


def test_default_example_is_not_stored(server: FakeApi, tmp_path: Path) -> None:
    model = json.loads((Path(__file__).parent.parent / "fixtures" / "api" / MODEL_FILE).read_text())
    model["default_example"] = {"input": {"text": "hi", "api_key": "sk-FAKEexampleinput0123456789"}}
    server.on(MODEL_PATH, Reply(200, json.dumps(model).encode()))
    [result] = run(server, tmp_path, [MODEL])
    assert result.ok
    stored = (tmp_path / MODEL_FILE).read_text()
    assert "default_example" not in stored and "sk-FAKEexampleinput" not in stored


def test_a_server_echoing_the_token_in_short_pieces_gets_none_of_them_printed(
    server: FakeApi, tmp_path: Path
) -> None:
    pieces = " ".join(TOKEN[i : i + 7] for i in range(0, len(TOKEN), 7))
    server.on(MODEL_PATH, Reply(403, error_body(403, f"token {pieces} lacks access")))
    [result] = run(server, tmp_path, [MODEL])
    assert not result.ok
    for start in range(len(TOKEN) - 4):
        assert TOKEN[start : start + 5] not in result.message, result.message


# ------------------------------------------------------------------ proxies


@pytest.fixture
def recording_proxy() -> Iterator[RawServer]:
    def serve(connection: socket.socket) -> bytes:
        request = read_request(connection)
        connection.sendall(b"HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n")
        return request

    server = RawServer(serve)
    yield server
    server.close()


def test_a_loopback_api_is_reached_directly_whatever_http_proxy_says(
    server: FakeApi, recording_proxy: RawServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("http_proxy", f"http://127.0.0.1:{recording_proxy.port}")
    monkeypatch.setenv("no_proxy", "")
    [result] = run(server, tmp_path, [MODEL])
    assert result.ok, result.message
    assert recording_proxy.received == []
    assert server.count(MODEL_PATH) == 1


def test_https_goes_through_a_proxy_only_by_connect(
    recording_proxy: RawServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("https_proxy", f"http://127.0.0.1:{recording_proxy.port}")
    monkeypatch.setenv("no_proxy", "")
    [result] = pull(
        [MODEL],
        tmp_path,
        token=TOKEN,
        base_url="https://api.example.test/v1",
        timeout=5.0,
        max_retries=0,
        sleep=Sleeps(),
    )
    assert not result.ok
    [request] = recording_proxy.received
    assert request.startswith(b"CONNECT api.example.test:443 HTTP/"), request
    assert TOKEN.encode() not in request and b"Authorization" not in request


# ------------------------------------------------------------------ the command line


def cli(capsys: pytest.CaptureFixture[str], *argv: str) -> Tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return code, out, err


def test_a_host_other_than_replicates_is_named(
    server: FakeApi, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
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
    assert code == 0, err
    assert "note: the API token is sent to 127.0.0.1, not api.replicate.com" in err
    assert token_host_notice("https://api.replicate.com/v1") is None


@pytest.mark.parametrize("without_v1", [True, False])
def test_replicate_base_url_with_or_without_v1(
    server: FakeApi,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    without_v1: bool,
) -> None:
    base = server.base_url[: -len("/v1")] if without_v1 else server.base_url
    monkeypatch.setenv("REPLICATE_BASE_URL", base)
    monkeypatch.setenv("REPLICATE_API_TOKEN", TOKEN)
    code, _out, err = cli(capsys, "schemas", "pull", "--schema-dir", str(tmp_path), "example/text-to-speech")
    assert code == 0, err
    assert server.paths() == [MODEL_PATH]
    assert (
        base_url_from_env({"REPLICATE_BASE_URL": "https://api.replicate.com"})
        == "https://api.replicate.com/v1"
    )


@pytest.mark.parametrize(
    "argv",
    [
        pytest.param(["--base-url", f"http://api.example.com/{TOKEN}"], id="in-base-url"),
        pytest.param(["--base-url", f"https://api.example.com/v1?t={TOKEN}"], id="in-query"),
        pytest.param([TOKEN], id="as-ref"),
        pytest.param([f"owner/{TOKEN[3:]}x:notaversion"], id="in-ref"),
    ],
)
def test_a_token_typed_into_the_command_line_is_never_echoed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, argv: List[str]
) -> None:
    monkeypatch.setenv("REPLICATE_API_TOKEN", TOKEN)
    refs = [] if argv[0] != "--base-url" else ["example/text-to-speech"]
    code, out, err = cli(capsys, "schemas", "pull", "--schema-dir", str(tmp_path), *argv, *refs)
    assert code == 2
    for start in range(3, len(TOKEN) - 7):
        assert TOKEN[start : start + 8] not in out + err, out + err
