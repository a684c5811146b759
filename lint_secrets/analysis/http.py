"""HTTP requests to Replicate's REST API, and strings written in pieces.

The token in an `Authorization` header dict (`requests`, `httpx`, `aiohttp`, `urllib`), told
apart from other services' by the URL of the call the dict is given to; the model inputs in
the body of a request that runs a model (`POST /v1/predictions`, `/v1/models/{o}/{n}/predictions`,
`/v1/deployments/{o}/{n}/predictions`, `/v1/models/{o}/{n}/versions/{id}/trainings`), read as
model calls like the SDK's; and the `+` chains of string literals, whose whole value a token
may only show once joined.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from typing import Dict, List, NamedTuple, Optional, Set, Tuple, cast

from lint_secrets.analysis.replicate_sdk import ModelCall
from lint_secrets.analysis.scopes import ASSIGN, PARAM, Scope, ScopeBuilder
from lint_secrets.analysis.values import (
    MAX_DEPTH,
    InputUse,
    Resolver,
    argument,
    joined_fstring,
    keyword_argument,
    subscript_key,
    value_context,
)
from lint_secrets.analysis.values import _literal_string as literal_string
from lint_secrets.model_refs import ModelRef, parse_deployment_ref, parse_model_ref
from lint_secrets.records import Record
from lint_secrets.schemas import PREDICTION, TRAINING


@dataclass(frozen=True, repr=False, eq=False)
class AuthorizationHeader(Record):
    """`{"Authorization": "Bearer r8_..."}`: a token in an HTTP header dict written in code."""

    node: ast.Constant  # the header's value
    scheme: str  # what precedes the token, as written ("Bearer ", "Token ")
    token: str
    replicate_url: bool  # the request (or client) it is given to goes to api.replicate.com


AUTHORIZATION_VALUE = re.compile(r"(?P<scheme>(?:Bearer|Token)[ \t]+)(?P<token>\S+)", re.IGNORECASE)
REPLICATE_API_HOST = "api.replicate.com"
# Where an HTTP call names its URL: `requests.post(url)`, `requests.request("POST", url)`,
# `httpx.Client(base_url=...)`, `urllib.request.Request(url)`, `session.post(url=...)`.
URL_KEYWORDS = ("url", "base_url")


def authorization_headers(
    tree: ast.Module, builder: ScopeBuilder, resolver: Resolver
) -> List[AuthorizationHeader]:
    """Every `"<scheme> <token>"` value given to an `Authorization` header, and whether the
    header goes to a request whose URL is the Replicate API's. A GitHub `token <40 hex>`
    header is then told apart from Replicate's.

    The header is a dict item (`{"Authorization": ...}`, `dict(Authorization=...)`), an item
    set on its own (`headers["Authorization"] = ...`, `session.headers[...] = ...`), or
    `request.add_header("Authorization", ...)`. It goes to Replicate when its dict is given
    (directly or through a name) as `headers=` to such a request, or when it belongs to an
    object that makes one: `session.headers.update(...)`, `session.headers[...] = ...`,
    `ClientSession(headers=...)` bound to `session`, then `session.get(<Replicate URL>)`."""
    values = {
        id(node): match
        for node in builder.strings
        for match in [AUTHORIZATION_VALUE.fullmatch(str(node.value))]
        if match is not None
    }
    if not values:
        return []
    replicate_dicts: Set[int] = set()  # dicts (or `dict(...)` calls) a Replicate request is given
    replicate_owners: Set[str] = set()  # what makes Replicate requests: `session`, a headers name
    replicate_calls: Set[int] = set()
    for call, scope in builder.calls:
        if not _calls_replicate_api(resolver, call, scope):
            continue
        replicate_calls.add(id(call))
        if isinstance(call.func, ast.Attribute):
            replicate_owners.add(ast.unparse(call.func.value))
        for keyword in call.keywords:
            if keyword.arg != "headers":
                continue
            value: Optional[ast.expr] = keyword.value
            if isinstance(value, ast.Name):
                replicate_owners.add(value.id)
                binding, _where = resolver.lookup(value.id, scope, call.lineno)
                value = binding.value if binding is not None and binding.kind is ASSIGN else None
            if value is not None:
                replicate_dicts.add(id(value))

    def owner_calls_replicate(owner: ast.expr) -> bool:
        """`session.headers` or `headers` (a name given as `headers=`) of a Replicate request."""
        if isinstance(owner, ast.Attribute) and owner.attr == "headers":
            owner = owner.value
        return ast.unparse(owner) in replicate_owners

    # `session = aiohttp.ClientSession(headers={...})`, `with httpx.Client(headers=...) as c`:
    # the headers of the object bound to that name; `request = Request(<Replicate URL>)`
    # makes `request` one of the owners; `session.headers.update({...})`.
    bindings: List[Tuple[str, ast.Call]] = []
    updates: List[ast.Call] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.value, ast.Call):
            bindings.append((ast.unparse(node.targets[0]), node.value))
        elif isinstance(node, (ast.With, ast.AsyncWith)):
            bindings.extend(
                (ast.unparse(item.optional_vars), item.context_expr)
                for item in node.items
                if item.optional_vars is not None and isinstance(item.context_expr, ast.Call)
            )
        elif isinstance(node, ast.Call) and getattr(node.func, "attr", None) == "update":
            updates.append(node)
    replicate_owners.update(name for name, value in bindings if id(value) in replicate_calls)
    for name, value in bindings:
        headers = keyword_argument(value, "headers")
        if headers is not None and name in replicate_owners:
            replicate_dicts.add(id(headers))
    for update in updates:
        if update.args and owner_calls_replicate(cast(ast.Attribute, update.func).value):
            replicate_dicts.add(id(update.args[0]))

    found: List[AuthorizationHeader] = []

    def add(key: Optional[str], value: Optional[ast.AST], replicate: bool) -> None:
        if key is None or key.lower() != "authorization" or not isinstance(value, ast.Constant):
            return
        match = values.get(id(value))
        if match is not None:
            found.append(AuthorizationHeader(value, match.group("scheme"), match.group("token"), replicate))

    for node in ast.walk(tree):
        if isinstance(node, ast.Dict):
            for key, value in zip(node.keys, node.values):
                add(_string_key(key), value, id(node) in replicate_dicts)
        elif isinstance(node, ast.Call):
            func = node.func
            if isinstance(func, ast.Name) and func.id == "dict":
                for keyword in node.keywords:
                    add(keyword.arg, keyword.value, id(node) in replicate_dicts)
            elif isinstance(func, ast.Attribute) and func.attr in HEADER_SETTERS and len(node.args) >= 2:
                add(_string_key(node.args[0]), node.args[1], owner_calls_replicate(func.value))
        elif isinstance(node, ast.Assign):
            for target in node.targets:
                if isinstance(target, ast.Subscript):
                    key = subscript_key(target)
                    add(_string_key(key), node.value, owner_calls_replicate(target.value))
    return found


# `request.add_header("Authorization", ...)` (urllib), `connection.putheader(...)` (http.client).
HEADER_SETTERS = ("add_header", "add_unredirected_header", "putheader")


def _string_key(node: Optional[ast.AST]) -> Optional[str]:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def _calls_replicate_api(resolver: Resolver, call: ast.Call, scope: Scope) -> bool:
    candidates = [*call.args[:2], *(k.value for k in call.keywords if k.arg in URL_KEYWORDS)]
    return any(REPLICATE_API_HOST in _url_text(resolver, node, scope, call.lineno) for node in candidates)


# ---------------------------------------------------------------------------
# Request bodies that run a model

# A part of a URL the code doesn't say (an f-string's field of a parameter): never in a URL.
UNKNOWN = "\0"
# The whole URL: `api.replicate.com.example.org` is another host.
REPLICATE_API_URL = re.compile(
    r"(?:https?://)?api\.replicate\.com(?::443)?(?P<path>[/\0][^?#]*)?(?:[?#].*)?", re.IGNORECASE | re.DOTALL
)
_PART = r"[^/]+"


class Endpoint(NamedTuple):
    """A REST endpoint that runs a model with the inputs of the request's body."""

    path: re.Pattern[str]
    kind: str  # PREDICTION or TRAINING: which schema the inputs are checked against
    shown_as: str  # as messages name the call
    model: str  # how the path names the model: "version field", "model", "deployment", "version"


# fmt: off
ENDPOINTS: Tuple[Endpoint, ...] = (
    Endpoint(re.compile(r"/v1/predictions/?"), PREDICTION,
             "POST /v1/predictions", "version field"),
    Endpoint(re.compile(rf"/v1/models/(?P<owner>{_PART})/(?P<name>{_PART})/predictions/?"), PREDICTION,
             "POST /v1/models/{owner}/{name}/predictions", "model"),
    Endpoint(re.compile(rf"/v1/deployments/(?P<owner>{_PART})/(?P<name>{_PART})/predictions/?"), PREDICTION,
             "POST /v1/deployments/{owner}/{name}/predictions", "deployment"),
    Endpoint(
        re.compile(rf"/v1/models/(?P<owner>{_PART})/(?P<name>{_PART})/versions/(?P<version>{_PART})/trainings/?"),
        TRAINING, "POST /v1/models/{owner}/{name}/versions/{id}/trainings", "version"),
)
# fmt: on
# Where a request names its body: `json=` (requests, httpx, aiohttp), `data=json.dumps(...)`
# (requests, aiohttp, urllib's Request), httpx's `content=`.
BODY_KEYWORDS = ("json", "data", "content")


class Located(NamedTuple):
    """An expression, with the scope and line its names are read at."""

    node: ast.expr
    scope: Scope
    line: int


class _Body(NamedTuple):
    input: Optional[Located]  # the body's `"input"`
    version: Optional[Located]  # the body's `"version"` (POST /v1/predictions)
    known: bool  # every key of the body is worked out (no `**spread` from elsewhere)


def rest_model_calls(builder: ScopeBuilder, resolver: Resolver) -> List[ModelCall]:
    """The requests that run a model on Replicate's REST API, as model calls: the model from
    the URL's path (or the body's `"version"`), the inputs from the body's `"input"`."""
    found: List[ModelCall] = []
    for call, scope in builder.calls:
        request = _post_request(call, resolver, scope)
        if request is None:
            continue
        url_node, body_node = request
        url = _url_text(resolver, url_node, scope, call.lineno, 0) if url_node is not None else UNKNOWN
        if not url.lower().startswith(("http://", "https://", "api.")):
            # A path on the client's `base_url`, joined as httpx does.
            url = _base_url(resolver, call, scope) + url.lstrip("/")
        where = REPLICATE_API_URL.fullmatch(url)
        if where is None:
            continue
        path = where.group("path") or "/"
        endpoint = next((e for e in ENDPOINTS if e.path.fullmatch(path)), None)
        if endpoint is None and UNKNOWN not in path:
            continue  # another endpoint: GET a prediction, upload a file...
        # `**options`: the body may be in there, under any key.
        body = (
            _Body(None, None, False)
            if body_node is None
            else _body(builder, resolver, body_node, scope, call)
        )
        if endpoint is None and body.input is None:
            continue  # a path the code doesn't say, and nothing sent as inputs
        ref = _model_ref(resolver, endpoint, path, body)
        if body.input is not None:
            node, at, line = body.input
            inputs: List[InputUse] = resolver.inputs(node, at, line)
            known = body.known and resolver.inputs_known(node, at, line)
        else:
            inputs, known = [], body.known
        unresolved = (*(("model",) if ref is None else ()), *(() if known else ("inputs",)))
        shown = endpoint.shown_as if endpoint is not None else "POST " + path.replace(UNKNOWN, "{...}")
        found.append(
            ModelCall(
                call,
                shown,
                endpoint.kind if endpoint is not None else PREDICTION,
                ref,
                tuple(inputs),
                unresolved,
                scope=scope,
                inputs_at=body.input,
                model_node=body.version.node
                if endpoint is not None and endpoint.model == "version field" and body.version is not None
                else url_node,
            )
        )
    return found


def _post_request(
    call: ast.Call, resolver: Resolver, scope: Scope
) -> Optional[Tuple[Optional[ast.expr], Optional[ast.expr]]]:
    """(URL, body) of a POST request: `x.post(url, json=...)`, `x.request("POST", url, ...)`,
    `urllib.request.Request(url, data=...)`; None for any other call, or a request with no
    body. The body is None when it may be in `**options`."""
    func = call.func
    name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
    if name == "post":
        url = argument(call, 0, "url")
    elif name == "request":
        method = resolver.string(argument(call, 0, "method"), scope, call.lineno)
        if method is None or method.upper() != "POST":
            return None
        url = argument(call, 1, "url")
    elif name == "Request":
        method = resolver.string(keyword_argument(call, "method"), scope, call.lineno)
        if method is not None and method.upper() != "POST":
            return None
        url = argument(call, 0, "url")
        data = argument(call, 1, "data")
        return (url, data) if data is not None else None
    else:
        return None
    body = next((k.value for k in call.keywords if k.arg in BODY_KEYWORDS), None)
    if body is None and not any(k.arg is None for k in call.keywords):
        return None  # no body: no inputs sent
    return url, body


def _url_text(resolver: Resolver, node: ast.expr, scope: Scope, line: int, depth: int = 0) -> str:
    """The URL as far as the code says it (a literal, a constant, an f-string, a `+`); UNKNOWN
    stands for each part it doesn't."""
    if depth > MAX_DEPTH:
        return UNKNOWN
    if isinstance(node, ast.Constant):
        return node.value if isinstance(node.value, str) else UNKNOWN
    if isinstance(node, ast.JoinedStr):
        return joined_fstring(node, lambda value: _url_text(resolver, value, scope, line, depth + 1), UNKNOWN)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        return _url_text(resolver, node.left, scope, line, depth + 1) + _url_text(
            resolver, node.right, scope, line, depth + 1
        )
    if isinstance(node, ast.Name):
        binding, where = resolver.lookup(node.id, scope, line)
        if binding is not None and binding.kind is ASSIGN and binding.value is not None:
            return _url_text(resolver, binding.value, *value_context(binding, where), depth + 1)
    if isinstance(node, ast.Attribute):
        held = resolver.self_attribute(node, scope)
        if held is not None and held[0].value is not None:
            return _url_text(resolver, held[0].value, *value_context(*held), depth + 1)
        for binding, klass, owner in resolver.class_attribute(node, scope, line)[-1:]:
            if binding.value is not None:  # `owner`: the resolver of the class's module
                return _url_text(owner, binding.value, *value_context(binding, klass), depth + 1)
    if isinstance(node, ast.Call):  # `os.getenv("REPLICATE_API_URL", "https://api.replicate.com/v1")`
        default = resolver.environ_default(node, scope, line)
        if default is not None:
            return _url_text(resolver, default, scope, line, depth + 1)
    return resolver.string(node, scope, line) or UNKNOWN


def _base_url(resolver: Resolver, call: ast.Call, scope: Scope) -> str:
    """The `base_url` of the client a request is made on (`httpx.Client(base_url=...)`,
    `aiohttp.ClientSession(base_url=...)`), bound to a name or to `self.<name>`, ending in `/`."""
    func = call.func
    if not isinstance(func, ast.Attribute):
        return ""
    client: Optional[Located] = None
    receiver = func.value
    if isinstance(receiver, ast.Call):
        client = Located(receiver, scope, call.lineno)
    elif isinstance(receiver, ast.Name):
        binding, where = resolver.lookup(receiver.id, scope, call.lineno)
        if binding is not None and binding.kind is ASSIGN and binding.value is not None:
            client = Located(binding.value, *value_context(binding, where))
    elif isinstance(receiver, ast.Attribute):
        held = resolver.self_attribute(receiver, scope)
        if held is not None and held[0].value is not None:
            client = Located(held[0].value, *value_context(*held))
    if client is None or not isinstance(client.node, ast.Call):
        return ""
    base = keyword_argument(client.node, "base_url")
    if base is None:
        return ""
    text = _url_text(resolver, base, client.scope, client.line, 0)
    return text if text.endswith("/") else text + "/"


def _model_ref(
    resolver: Resolver, endpoint: Optional[Endpoint], path: str, body: _Body
) -> Optional[ModelRef]:
    """The model a request runs, from its path or its body's `"version"`; None when the code
    doesn't say it."""
    if endpoint is None:
        return None
    if endpoint.model == "version field":
        if body.version is None:
            return None
        text = resolver.string(*body.version)
        return parse_model_ref(text) if text is not None else None
    match = endpoint.path.fullmatch(path)
    if match is None or UNKNOWN in match.group(0):
        return None
    owner_name = f"{match.group('owner')}/{match.group('name')}"
    if endpoint.model == "deployment":
        return parse_deployment_ref(owner_name)
    if endpoint.model == "version":
        return parse_model_ref(f"{owner_name}:{match.group('version')}")
    return parse_model_ref(owner_name)


def _body(builder: ScopeBuilder, resolver: Resolver, node: ast.expr, scope: Scope, call: ast.Call) -> _Body:
    found: Dict[str, Located] = {}
    known = _read_body(builder, resolver, Located(node, scope, call.lineno), found, 0)
    return _Body(found.get("input"), found.get("version"), known)


def _read_body(
    builder: ScopeBuilder, resolver: Resolver, at: Located, found: Dict[str, Located], depth: int
) -> bool:
    """Put the body's `"input"` and `"version"` values in `found` (a later key wins, as in the
    dict Python builds); whether every key of the body is worked out."""
    node, scope, line = at
    if depth > MAX_DEPTH:
        return False
    if isinstance(node, ast.Dict):
        known = True
        for key, value in zip(node.keys, node.values):
            if key is None:
                known = _read_body(builder, resolver, Located(value, scope, line), found, depth + 1) and known
                continue
            name = resolver.string(key, scope, line)
            if name is None:
                known = False
            elif name in ("input", "version"):
                found[name] = Located(value, scope, line)
        return known
    if isinstance(node, ast.Call):
        func = node.func
        attr = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
        if attr == "dumps" and len(node.args) >= 1:  # `json.dumps(body)`
            return _read_body(builder, resolver, Located(node.args[0], scope, line), found, depth + 1)
        if attr == "encode" and isinstance(func, ast.Attribute):  # `json.dumps(body).encode()`
            return _read_body(builder, resolver, Located(func.value, scope, line), found, depth + 1)
        if attr == "dict" and isinstance(func, ast.Name) and resolver.lookup("dict", scope, line)[0] is None:
            known = all(
                _read_body(builder, resolver, Located(arg, scope, line), found, depth + 1)
                for arg in node.args[:1]
            )
            for keyword in node.keywords:
                if keyword.arg is None:
                    known = (
                        _read_body(builder, resolver, Located(keyword.value, scope, line), found, depth + 1)
                        and known
                    )
                elif keyword.arg in ("input", "version"):
                    found[keyword.arg] = Located(keyword.value, scope, line)
            return known
        return False
    if isinstance(node, ast.Name):
        binding, where = resolver.lookup(node.id, scope, line)
        if binding is None or binding.value is None or binding.kind not in (ASSIGN, PARAM):
            return False
        known = _read_body(
            builder, resolver, Located(binding.value, *value_context(binding, where)), found, depth + 1
        )
        if binding.kind is PARAM:
            return False  # a caller may pass another body
        for mutation_line, mutation in where.mutations.get(node.id, []):
            if mutation_line <= binding.line or (where is scope and mutation_line > line):
                continue
            if isinstance(mutation, ast.Subscript):  # `body["input"] = {...}`
                entry = resolver.string(subscript_key(mutation), where, mutation_line)
                assigned = _assigned_value(builder, mutation)
                if entry is None or assigned is None:
                    known = False
                elif entry in ("input", "version"):
                    found[entry] = Located(assigned, where, mutation_line)
            elif (
                isinstance(mutation, ast.Call)
                and isinstance(mutation.func, ast.Attribute)
                and mutation.func.attr == "update"
            ):
                spread = ast.Dict(keys=[None], values=list(mutation.args[:1]))
                known = (
                    _read_body(builder, resolver, Located(spread, where, mutation_line), found, depth + 1)
                    and known
                )
                for keyword in mutation.keywords:
                    if keyword.arg is None:
                        known = False
                    elif keyword.arg in ("input", "version"):
                        found[keyword.arg] = Located(keyword.value, where, mutation_line)
            else:
                known = False
        return known
    return False


def _assigned_value(builder: ScopeBuilder, target: ast.Subscript) -> Optional[ast.expr]:
    for statement, _, _ in builder.assigns:
        if isinstance(statement, ast.Assign) and any(t is target for t in statement.targets):
            return statement.value
    return None


# ---------------------------------------------------------------------------
# Strings written in pieces


@dataclass(frozen=True, repr=False, eq=False)
class Concatenation(Record):
    """`"r8_abc" + "def..."`: an outermost `+` chain made only of string literals."""

    node: ast.BinOp
    value: str  # the string it makes
    named: bool  # the whole value of `NAME = ...` (or `NAME: str = ...`): a constant's definition


def string_concatenations(builder: ScopeBuilder) -> List[Concatenation]:
    """The outermost `+` chains made only of string literals, with the string each makes."""
    found: List[Concatenation] = []
    inner: Set[int] = set()
    named = {
        id(statement.value)
        for statement, _, _ in builder.assigns
        if (isinstance(statement, ast.Assign) and all(isinstance(t, ast.Name) for t in statement.targets))
        or (isinstance(statement, ast.AnnAssign) and isinstance(statement.target, ast.Name))
    }
    for node in builder.additions:  # parents come before their children
        if id(node) in inner:
            continue
        value = literal_string(node)
        if value is None:
            continue
        found.append(Concatenation(node, value, id(node) in named))
        inner.update(id(child) for child in ast.walk(node))
    return found
