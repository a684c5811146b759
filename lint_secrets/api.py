"""Fill the local schema cache from the Replicate HTTP API.

Each ref's response is stored at its API path under the cache directory (the layout is
``lint_secrets.model_refs``'); a deployment's ``current_release`` version is fetched too.

Only the standard library is used. The API token is passed in by the caller, sent
only in the ``Authorization`` header, and never appears in a message or a file.
"""

from __future__ import annotations

import calendar
import email.message
import email.utils
import http.client
import importlib
import ipaddress
import json
import math
import re
import socket
import ssl
import threading
import time
import urllib.parse
import urllib.request
from concurrent.futures import Future, ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path
from typing import (
    Callable,
    Dict,
    List,
    Mapping,
    NoReturn,
    Optional,
    Sequence,
    Tuple,
)

from lint_secrets.atomic import replace_file
from lint_secrets.env_names import TOKEN_ENV
from lint_secrets.model_refs import ModelRef, check_pullable, refuse_credential
from lint_secrets.records import Record
from lint_secrets.redact import credential_in, quotes_token, redact, redact_tokenish_words, without_pieces_of
from lint_secrets.stored_json import NotStoredJson, StoredResponse, stored_response

__all__ = [
    "BASE_URL_ENV_VAR",
    "DEFAULT_BASE_URL",
    "PullResult",
    "base_url_from_env",
    "pull",
    "validate_base_url",
]

DEFAULT_BASE_URL = "https://api.replicate.com/v1"
BASE_URL_ENV_VAR = "REPLICATE_BASE_URL"

CACHED_MESSAGE = "cached (use --refresh to fetch again)"

#: Longest wait honoured from a ``Retry-After`` header, and longest backoff.
MAX_RETRY_DELAY = 60.0
#: First backoff delay; doubled on each further attempt.
BASE_RETRY_DELAY = 0.5
#: Largest response body accepted (a model's OpenAPI schema is far smaller).
MAX_BODY_BYTES = 32 * 1024 * 1024
#: Largest error body read for its ``detail``.
MAX_ERROR_BODY_BYTES = 64 * 1024
#: Total seconds one pull may spend waiting between retries, over all refs: a server
#: answering `Retry-After: 60` to every request can't hold the pull for minutes per ref.
MAX_TOTAL_RETRY_WAIT = 60.0
#: The API host the token is meant for; any other gets a notice naming it.
OFFICIAL_HOST = "api.replicate.com"

#: Said instead of a server's error message that quotes part of the token (see quotes_token).
WITHHELD_DETAIL = "(the server's message is not shown: it quotes part of the token)"

_VERSION_ID_RE = re.compile(r"[0-9a-fA-F]{64}")
_TOKEN_CHARS_RE = re.compile(r"[\x21-\x7e]+")


@dataclass(frozen=True, repr=False, eq=False)
class PullResult(Record):
    """The outcome of one ref; ``message`` is a single line, safe to print."""

    ref: ModelRef
    ok: bool
    message: str
    written: Tuple[str, ...]


# ------------------------------------------------------------------- base url


def validate_base_url(url: str, token: Optional[str] = None) -> str:
    """Return the base URL without a trailing slash, or raise ValueError.

    ``https`` is accepted for any host; plain ``http`` only for a loopback host
    (127.0.0.0/8, ::1, localhost), so the token never crosses a network in clear. A URL
    holding anything shaped like a credential, or a piece of ``token``, is refused before
    any message could echo it or any request carry it in its path.
    """
    word = credential_in(url, token)
    if word is not None:
        raise ValueError(
            f"invalid API base URL: it holds {redact(word)}, which looks like an API token;"
            " refused, nothing sent"
        )
    if not url or any(ch.isspace() or ord(ch) < 0x20 or ord(ch) == 0x7F for ch in url):
        raise ValueError(f"invalid API base URL {url!r}: empty or contains whitespace")
    parts = urllib.parse.urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme not in ("https", "http"):
        raise ValueError(f"invalid API base URL {url!r}: it must start with https://")
    if parts.username is not None or parts.password is not None or "@" in parts.netloc:
        raise ValueError("invalid API base URL: it must not contain credentials")
    if parts.query or parts.fragment or url.endswith(("?", "#")):
        raise ValueError(f"invalid API base URL {url!r}: it must not have a query or fragment")
    host = parts.hostname
    if not host:
        raise ValueError(f"invalid API base URL {url!r}: no host")
    try:
        parts.port  # noqa: B018 - raises ValueError on a bad port
    except ValueError:
        raise ValueError(f"invalid API base URL {url!r}: bad port") from None
    if scheme == "http" and not _is_loopback(host):
        raise ValueError(
            f"invalid API base URL {url!r}: plain http is only allowed for a loopback"
            " host (127.0.0.1, ::1, localhost); use https://"
        )
    return url.rstrip("/")


def _is_loopback(host: str) -> bool:
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def base_url_from_env(environ: Mapping[str, str]) -> str:
    """``REPLICATE_BASE_URL`` if set (validated), else the default base URL.

    The Python client 1.x sets it without the ``/v1`` (it adds that to every path), 2.x
    with it: both mean the same API.
    """
    value = environ.get(BASE_URL_ENV_VAR, "").strip()
    if not value:
        return DEFAULT_BASE_URL
    url = validate_base_url(value)
    if not urllib.parse.urlsplit(url).path.rstrip("/").endswith("/v1"):
        url += "/v1"
    return url


def token_host_notice(base_url: str) -> Optional[str]:
    """One line naming where the token goes, when that is not Replicate's API host."""
    host = urllib.parse.urlsplit(base_url).hostname or ""
    if host.lower() == OFFICIAL_HOST:
        return None
    return f"note: the API token is sent to {host}, not {OFFICIAL_HOST}"


# -------------------------------------------------------------------- helpers


class _PullError(Exception):
    """A one-line, already redacted failure message."""

    def __init__(self, message: str, status: Optional[int] = None) -> None:
        super().__init__(message)
        self.message = message
        self.status = status


class _Retryable(Exception):
    """A failure worth another attempt (429, 5xx, connection reset)."""

    def __init__(self, reason: str, status: Optional[int], delay: Optional[float]) -> None:
        super().__init__(reason)
        self.reason = reason
        self.status = status
        self.delay = delay


def scrub_token(text: str, token: Optional[str]) -> str:
    """`text` without any piece of `token` long enough to help guess it."""
    return without_pieces_of(text, token) if token else text


def _scrub(text: str, token: Optional[str], limit: int = 300) -> str:
    """Make free text safe for a message: no token, nothing token-like, one line."""
    if token:
        text = without_pieces_of(text, token)
    text = redact_tokenish_words(text)
    text = " ".join(text.split())
    if len(text) > limit:
        text = text[: limit - 1] + "\u2026"
    return text


def _retry_after(headers: Optional[email.message.Message]) -> Optional[float]:
    """Seconds to wait from a ``Retry-After`` header (seconds or HTTP date), capped."""
    if headers is None:
        return None
    value = headers.get("Retry-After")
    if value is None:
        return None
    value = value.strip()
    try:
        delay = float(value)
    except ValueError:
        parsed = email.utils.parsedate_tz(value)
        if parsed is None:
            return None
        when = calendar.timegm(parsed[:9]) - (parsed[9] or 0)
        delay = when - time.time()
    if math.isnan(delay):
        return None
    return min(max(delay, 0.0), MAX_RETRY_DELAY)


def _default_user_agent() -> str:
    try:
        package = importlib.import_module("lint_secrets")
    except ImportError:
        return "lint-secrets"
    version = getattr(package, "__version__", None)
    return f"lint-secrets/{version}" if isinstance(version, str) and version else "lint-secrets"


def _write_json_atomic(cache_dir: Path, rel: str, stored: bytes) -> None:
    """Write the entry ``stored`` (compact JSON, see stored_json) at ``cache_dir/rel``, all or nothing."""
    from lint_secrets.schemas import symlink_under

    target = cache_dir.joinpath(*rel.split("/"))
    try:
        if cache_dir.is_symlink():
            raise _PullError(
                f"could not write {rel}: the cache directory {cache_dir} is a symbolic link; refused"
            )
        link = symlink_under(cache_dir, rel)
        if link is not None:
            raise _PullError(f"could not write {rel}: {link} is a symbolic link; refused")
        target.parent.mkdir(parents=True, exist_ok=True)
        link = symlink_under(cache_dir, rel)  # made meanwhile
        if link is not None:
            raise _PullError(f"could not write {rel}: {link} is a symbolic link; refused")
        # Cache entries are committed with the project: ordinary file permissions.
        replace_file(target, stored, mode=0o644)
    except OSError as exc:
        raise _PullError(f"could not write {rel}: {exc.strerror or type(exc).__name__}") from None


# ----------------------------------------------------------- body validation


def _check_model_body(body: Dict[str, object], what: str) -> None:
    if "latest_version" not in body:
        raise _PullError(f"unexpected response for {what}: no 'latest_version' field")
    latest = body["latest_version"]
    if latest is None:
        return
    if not isinstance(latest, dict) or "openapi_schema" not in latest:
        raise _PullError(
            f"unexpected response for {what}: 'latest_version' is not a version"
            " with an 'openapi_schema' field"
        )


def _check_version_body(body: Dict[str, object], what: str) -> None:
    if "openapi_schema" not in body:
        raise _PullError(f"unexpected response for {what}: no 'openapi_schema' field")
    schema = body["openapi_schema"]
    if schema is not None and not isinstance(schema, dict):
        raise _PullError(f"unexpected response for {what}: 'openapi_schema' is not an object")


def _deployment_target(body: Dict[str, object], what: str) -> ModelRef:
    """The version a deployment body's current release points at."""
    release = body.get("current_release")
    if not isinstance(release, dict):
        raise _PullError(f"unexpected response for {what}: no 'current_release' object")
    model = release.get("model")
    version = release.get("version")
    if not isinstance(model, str) or not isinstance(version, str):
        raise _PullError(f"unexpected response for {what}: 'current_release' lacks 'model' or 'version'")
    owner, _, name = model.partition("/")
    try:
        check_pullable(ModelRef("model", owner, name))
    except ValueError:
        raise _PullError(
            f"unexpected response for {what}: 'current_release.model' is not owner/name"
        ) from None
    if not _VERSION_ID_RE.fullmatch(version):
        raise _PullError(f"unexpected response for {what}: 'current_release.version' is not a version id")
    return ModelRef("version", owner, name, version.lower())


# -------------------------------------------------------------------- client


@dataclass(frozen=True, repr=False, eq=False)
class _VersionOutcome(Record):
    written: bool
    error: Optional[str] = None
    status: Optional[int] = None


class _Puller:
    """State shared by the worker threads of one :func:`pull` call."""

    def __init__(
        self,
        cache_dir: Path,
        token: str,
        base_url: str,
        refresh: bool,
        timeout: float,
        max_retries: int,
        sleep: Callable[[float], None],
        user_agent: str,
    ) -> None:
        self.cache_dir = cache_dir
        self.token = token
        self.base_url = base_url
        self.host = urllib.parse.urlsplit(base_url).netloc
        self.refresh = refresh
        self.timeout = timeout
        self.max_retries = max_retries
        self.sleep = sleep
        self.headers = {
            "Authorization": f"Bearer {token}",
            "User-Agent": user_agent,
            "Accept": "application/json",
        }
        parts = urllib.parse.urlsplit(base_url)
        self.scheme = parts.scheme.lower()
        self.hostname = parts.hostname or ""
        self.port = parts.port or (443 if self.scheme == "https" else 80)
        self.path_prefix = parts.path.rstrip("/")
        self.retry_wait_left = MAX_TOTAL_RETRY_WAIT
        self._lock = threading.Lock()
        self._version_locks: Dict[str, threading.Lock] = {}
        self._versions: Dict[str, _VersionOutcome] = {}

    # -- one ref ------------------------------------------------------------

    def pull_one(self, ref: ModelRef) -> PullResult:
        try:
            if ref.kind == "model":
                return self._pull_model(ref)
            if ref.kind == "version":
                return self._pull_version(ref)
            return self._pull_deployment(ref)
        except _PullError as exc:
            # Built from trusted parts and already scrubbed details: only make it
            # one line (scrubbing again would mangle it when the token is short).
            return PullResult(ref, False, " ".join(exc.message.split()), ())
        except Exception as exc:  # one bad ref must not stop the others
            detail = _scrub(str(exc), self.token, limit=200)
            message = f"unexpected error: {type(exc).__name__}" + (f": {detail}" if detail else "")
            return PullResult(ref, False, message, ())

    def _exists(self, rel: str) -> bool:
        return self.cache_dir.joinpath(*rel.split("/")).is_file()

    def _pull_model(self, ref: ModelRef) -> PullResult:
        rel = ref.cache_path()
        if not self.refresh and self._exists(rel):
            return PullResult(ref, True, CACHED_MESSAGE, ())
        what = f"model {ref.owner}/{ref.name}"
        response = self._get_json(ref.api_path(), what)
        _check_model_body(response.outline, what)
        _write_json_atomic(self.cache_dir, rel, response.stored)
        message = "fetched"
        if response.outline["latest_version"] is None:
            message = "fetched (the model has no version yet)"
        return PullResult(ref, True, message, (rel,))

    def _pull_version(self, ref: ModelRef) -> PullResult:
        outcome = self._ensure_version(ref)
        if outcome.error is not None:
            raise _PullError(outcome.error, outcome.status)
        if not outcome.written:
            return PullResult(ref, True, CACHED_MESSAGE, ())
        return PullResult(ref, True, "fetched", (ref.cache_path(),))

    def _pull_deployment(self, ref: ModelRef) -> PullResult:
        rel = ref.cache_path()
        what = f"deployment {ref.owner}/{ref.name}"
        response: Optional[StoredResponse] = None
        if not self.refresh and self._exists(rel):
            response = self._read_cached(rel)
        deployment_cached = response is not None
        if response is None:
            response = self._get_json(ref.api_path(), what)
        target = _deployment_target(response.outline, what)
        outcome = self._ensure_version(target)
        if outcome.error is not None:
            if outcome.status == 404:
                raise _PullError(
                    f"{what} points at version {target.pull_ref()}, which was not"
                    " found (deleted, or not visible to this token)",
                    404,
                )
            raise _PullError(f"{what}: {outcome.error}", outcome.status)
        written: List[str] = []
        if outcome.written:
            written.append(target.cache_path())
        # The version is written first, so a cached deployment always has its version.
        if not deployment_cached:
            _write_json_atomic(self.cache_dir, rel, response.stored)
            written.append(rel)
        if not written:
            return PullResult(ref, True, CACHED_MESSAGE, ())
        return PullResult(ref, True, f"fetched (version {target.pull_ref()})", tuple(written))

    def _read_cached(self, rel: str) -> Optional[StoredResponse]:
        """A cached deployment record, or None if it can't be used (then it is fetched)."""
        try:
            with open(self.cache_dir.joinpath(*rel.split("/")), "rb") as handle:
                raw = handle.read(MAX_BODY_BYTES + 1)
            if len(raw) > MAX_BODY_BYTES:
                return None
            cached = stored_response(raw)
            _deployment_target(cached.outline, rel)
        except (OSError, NotStoredJson, _PullError):
            return None
        return cached

    def _ensure_version(self, version: ModelRef) -> _VersionOutcome:
        """Fetch and write a version once per pull, however many refs need it."""
        rel = version.cache_path()
        with self._lock:
            key_lock = self._version_locks.setdefault(rel, threading.Lock())
        with key_lock:
            done = self._versions.get(rel)
            if done is not None:
                return done
            outcome = self._fetch_version(version, rel)
            self._versions[rel] = outcome
            return outcome

    def _fetch_version(self, version: ModelRef, rel: str) -> _VersionOutcome:
        if not self.refresh and self._exists(rel):
            return _VersionOutcome(written=False)
        what = f"version {version.pull_ref()}"
        try:
            response = self._get_json(version.api_path(), what)
            _check_version_body(response.outline, what)
            _write_json_atomic(self.cache_dir, rel, response.stored)
        except _PullError as exc:
            return _VersionOutcome(written=False, error=exc.message, status=exc.status)
        return _VersionOutcome(written=True)

    # -- HTTP ---------------------------------------------------------------

    def _get_json(self, api_path: str, what: str) -> StoredResponse:
        """GET ``base_url + api_path`` with retries; the JSON object as it will be stored."""
        attempts = self.max_retries + 1
        for attempt in range(attempts):
            try:
                raw = self._get_once(api_path, what)
            except _Retryable as retry:
                if attempt + 1 >= attempts:
                    raise _PullError(
                        f"{retry.reason}; gave up after {attempts} attempt" + ("s" if attempts != 1 else ""),
                        retry.status,
                    ) from None
                delay = retry.delay
                if delay is None:
                    delay = min(BASE_RETRY_DELAY * (2**attempt), MAX_RETRY_DELAY)
                with self._lock:
                    allowed = delay <= self.retry_wait_left
                    if allowed:
                        self.retry_wait_left -= delay
                if not allowed:
                    raise _PullError(
                        f"{retry.reason}; gave up: waiting {delay:g} s more would pass the pull's"
                        f" {MAX_TOTAL_RETRY_WAIT:g} s budget for retries",
                        retry.status,
                    ) from None
                self.sleep(delay)
                continue
            return self._parse(raw, what)
        raise AssertionError("unreachable")  # pragma: no cover

    def _parse(self, raw: bytes, what: str) -> StoredResponse:
        # Token by token, never as a tree: memory stays within a few times the response.
        try:
            return stored_response(raw)
        except NotStoredJson as exc:
            raise _PullError(f"unexpected response for {what}: {exc}") from None

    def _connection(self) -> http.client.HTTPConnection:
        """A connection to the API host; https through `https_proxy` by CONNECT, if one is set.

        Plain http is only allowed to a loopback host, and goes there directly whatever
        `http_proxy` says: the token must not travel in clear to a proxy.
        """
        if self.scheme != "https":
            return http.client.HTTPConnection(self.hostname, self.port, timeout=self.timeout)
        context = ssl.create_default_context()
        proxy = _https_proxy(self.hostname)
        if proxy is None:
            return http.client.HTTPSConnection(
                self.hostname, self.port, timeout=self.timeout, context=context
            )
        proxy_host, proxy_port, proxy_headers = proxy
        connection = http.client.HTTPSConnection(
            proxy_host, proxy_port, timeout=self.timeout, context=context
        )
        connection.set_tunnel(self.hostname, self.port, headers=proxy_headers)
        return connection

    def _get_once(self, api_path: str, what: str) -> bytes:
        """One request, finished within `timeout` seconds in all, however slowly the server sends."""
        connection = self._connection()
        expired = threading.Event()

        def expire() -> None:
            expired.set()
            sock = connection.sock
            if sock is not None:
                try:
                    sock.shutdown(socket.SHUT_RDWR)  # wakes the read blocked on a dripping server
                except OSError:
                    pass

        timer = threading.Timer(self.timeout, expire)
        timer.daemon = True
        timer.start()
        try:
            try:
                connection.request("GET", self.path_prefix + api_path, headers=self.headers)
                response = connection.getresponse()
                if not 200 <= response.status <= 299:
                    body = response.read(MAX_ERROR_BODY_BYTES)
                    if expired.is_set():
                        raise socket.timeout()
                    self._raise_for_status(response.status, response.headers, body, what)
                raw: bytes = response.read(MAX_BODY_BYTES + 1)
                if expired.is_set():
                    raise socket.timeout()
            except (OSError, http.client.HTTPException) as exc:
                self._raise_network(socket.timeout() if expired.is_set() else exc, what)
        finally:
            timer.cancel()
            connection.close()
        if len(raw) > MAX_BODY_BYTES:
            raise _PullError(f"response for {what} is larger than {MAX_BODY_BYTES} bytes")
        return raw

    def _error_detail(self, raw: bytes) -> str:
        try:
            body = json.loads(raw.decode("utf-8"))
        except Exception:  # the detail is a nicety
            return ""
        if not isinstance(body, dict):
            return ""
        for key in ("detail", "title"):
            value = body.get(key)
            if isinstance(value, str) and value.strip():
                if quotes_token(value, self.token):
                    # Scrubbing pieces shorter than it looks for would leave the rest readable.
                    return WITHHELD_DETAIL
                return _scrub(value, self.token, limit=200)
        return ""

    def _raise_for_status(
        self, status: int, headers: email.message.Message, body: bytes, what: str
    ) -> NoReturn:
        detail = self._error_detail(body)
        suffix = f": {detail}" if detail else ""
        if status == 429:
            raise _Retryable(
                f"rate limited by the API (HTTP 429) fetching {what}{suffix}",
                status,
                _retry_after(headers),
            )
        if 500 <= status <= 599:
            raise _Retryable(
                f"server error (HTTP {status}) fetching {what}{suffix}",
                status,
                _retry_after(headers),
            )
        if status == 401:
            raise _PullError(f"the token in {TOKEN_ENV} was rejected (HTTP 401){suffix}", status)
        if status == 403:
            raise _PullError(
                f"the token in {TOKEN_ENV} lacks access to {what} (HTTP 403){suffix}",
                status,
            )
        if status == 404:
            raise _PullError(
                f"{what} not found (HTTP 404), or it is private and not visible to this token",
                status,
            )
        if 300 <= status <= 399:
            raise _PullError(
                f"the API answered {what} with a redirect (HTTP {status}), which is not"
                f" followed; check {BASE_URL_ENV_VAR}",
                status,
            )
        raise _PullError(f"HTTP {status} fetching {what}{suffix}", status)

    def _raise_network(self, reason: object, what: str) -> NoReturn:
        host = self.host
        if isinstance(reason, (socket.timeout, TimeoutError)):
            raise _PullError(f"timed out: no complete answer from {host} within {self.timeout:g} s ({what})")
        if isinstance(
            reason,
            (
                ConnectionResetError,
                ConnectionAbortedError,
                BrokenPipeError,
                http.client.IncompleteRead,
            ),
        ):
            raise _Retryable(f"connection to {host} was reset fetching {what}", None, None)
        if isinstance(reason, (ssl.SSLError, ssl.CertificateError)):
            text = _scrub(str(getattr(reason, "reason", None) or reason), self.token, 150)
            raise _PullError(f"TLS error talking to {host}: {text}")
        if isinstance(reason, socket.gaierror):
            raise _PullError(f"could not resolve {host}: network unreachable or DNS failure")
        if isinstance(reason, OSError):
            text = reason.strerror or type(reason).__name__
            raise _PullError(f"could not reach {host}: {_scrub(text, self.token, 150)}")
        if isinstance(reason, http.client.HTTPException):
            raise _PullError(f"bad HTTP response from {host}: {type(reason).__name__}")
        raise _PullError(f"could not reach {host}: {_scrub(str(reason), self.token, 150)}")


def _https_proxy(host: str) -> Optional[Tuple[str, int, Dict[str, str]]]:
    """(host, port, CONNECT headers) of the proxy for https to `host`, from the environment."""
    proxies = urllib.request.getproxies_environment()
    url = proxies.get("https") or proxies.get("all")
    # Not in typeshed, but in the standard library since Python 3.
    bypass: Callable[[str, Dict[str, str]], bool] = urllib.request.proxy_bypass_environment  # type: ignore[attr-defined]
    if not url or bypass(host, proxies):
        return None
    if "://" not in url:
        url = "http://" + url
    parts = urllib.parse.urlsplit(url)
    if not parts.hostname:
        return None
    headers: Dict[str, str] = {}
    if parts.username is not None:
        import base64

        credentials = f"{urllib.parse.unquote(parts.username)}:{urllib.parse.unquote(parts.password or '')}"
        headers["Proxy-Authorization"] = "Basic " + base64.b64encode(credentials.encode()).decode("ascii")
    return parts.hostname, parts.port or 8080, headers


# ----------------------------------------------------------------------- pull


def pull(
    refs: Sequence[ModelRef],
    cache_dir: Path,
    *,
    token: Optional[str],
    base_url: str = DEFAULT_BASE_URL,
    refresh: bool = False,
    timeout: float = 10.0,
    max_retries: int = 4,
    workers: int = 4,
    progress: Optional[Callable[[int, int], None]] = None,
    sleep: Callable[[float], None] = time.sleep,
    user_agent: Optional[str] = None,
) -> List[PullResult]:
    """Fetch ``refs`` into ``cache_dir``; one result per ref, in the order given.

    A ref whose cache file exists is skipped unless ``refresh``. Identical refs
    and shared versions are fetched once. A failed ref never stops the others,
    and a failed refresh leaves the old file intact. ``progress(done, total)`` is
    called from the calling thread after each ref. ``user_agent`` defaults to
    ``lint-secrets/<__version__>``. Raises ValueError only for bad arguments
    (including an unacceptable ``base_url``, see :func:`validate_base_url`).
    """
    base_url = validate_base_url(base_url, token.strip() if token else None)
    if not timeout > 0:
        raise ValueError("timeout must be positive")
    if max_retries < 0:
        raise ValueError("max_retries must not be negative")
    if workers < 1:
        raise ValueError("workers must be at least 1")
    for ref in refs:
        if not isinstance(ref, ModelRef):
            raise TypeError(f"expected ModelRef, got {type(ref).__name__}")
        check_pullable(ref)

    total = len(refs)
    results: List[Optional[PullResult]] = [None] * total
    positions: Dict[ModelRef, List[int]] = {}
    for index, ref in enumerate(refs):
        positions.setdefault(ref, []).append(index)

    done = 0

    def record(ref: ModelRef, result: PullResult) -> None:
        nonlocal done
        for index in positions[ref]:
            results[index] = result
            done += 1
            if progress is not None:
                progress(done, total)

    token = token.strip() if token is not None else None
    problem: Optional[str] = None
    if not token:
        problem = f"no API token: set {TOKEN_ENV} to pull schemas from Replicate"
    elif not _TOKEN_CHARS_RE.fullmatch(token):
        problem = f"the token in {TOKEN_ENV} contains spaces or control characters"
    if problem is not None or token is None:
        for ref in positions:
            record(ref, PullResult(ref, False, problem or "", ()))
        return [result for result in results if result is not None]
    for ref in list(positions):
        try:
            refuse_credential(f"{ref.owner}/{ref.name}", token)
        except ValueError as exc:
            # The request's path would carry the token: never sent, never shown.
            record(ref, PullResult(ref, False, str(exc), ()))
            del positions[ref]

    puller = _Puller(
        cache_dir,
        token,
        base_url,
        refresh,
        timeout,
        max_retries,
        sleep,
        user_agent if user_agent is not None else _default_user_agent(),
    )
    unique = list(positions)
    if not unique:
        return [result for result in results if result is not None]
    executor = ThreadPoolExecutor(max_workers=min(workers, len(unique)))
    try:
        futures: Dict[Future[PullResult], ModelRef] = {
            executor.submit(puller.pull_one, ref): ref for ref in unique
        }
        for future in as_completed(futures):
            ref = futures[future]
            try:
                result = future.result()
            except Exception as exc:  # pull_one already catches; belt and braces
                result = PullResult(ref, False, f"unexpected error: {type(exc).__name__}", ())
            record(ref, result)
    except BaseException:
        executor.shutdown(wait=False, cancel_futures=True)
        raise
    executor.shutdown(wait=True)
    return [result for result in results if result is not None]
