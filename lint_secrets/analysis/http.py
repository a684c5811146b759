"""HTTP requests to Replicate's REST API, and strings written in pieces.

The token in an `Authorization` header dict (`requests`, `httpx`, `aiohttp`, `urllib`), told
apart from other services' by the URL of the call the dict is given to; and the `+` chains
of string literals, whose whole value a token may only show once joined.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from typing import List, Optional, Set

from lint_secrets.analysis.scopes import ASSIGN, Scope, ScopeBuilder
from lint_secrets.analysis.values import Resolver
from lint_secrets.analysis.values import _literal_string as literal_string


@dataclass(frozen=True)
class AuthorizationHeader:
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
    """Every `"Authorization": "<scheme> <token>"` item of a dict literal, and whether the
    dict goes (directly, or through the name it is bound to) to a call whose URL is the
    Replicate API's. A GitHub `token <40 hex>` header is then told apart from Replicate's."""
    values = {
        id(node): match
        for node in builder.strings
        for match in [AUTHORIZATION_VALUE.fullmatch(str(node.value))]
        if match is not None
    }
    if not values:
        return []
    replicate_dicts: Set[int] = set()
    for call, scope in builder.calls:
        if not _calls_replicate_api(resolver, call, scope):
            continue
        for keyword in call.keywords:
            if keyword.arg != "headers":
                continue
            value: Optional[ast.expr] = keyword.value
            if isinstance(value, ast.Name):
                binding, _where = resolver.lookup(value.id, scope, call.lineno)
                value = binding.value if binding is not None and binding.kind is ASSIGN else None
            if isinstance(value, ast.Dict):
                replicate_dicts.add(id(value))
    found: List[AuthorizationHeader] = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Dict):
            continue
        for key, value in zip(node.keys, node.values):
            if (
                isinstance(key, ast.Constant)
                and isinstance(key.value, str)
                and key.value.lower() == "authorization"
                and isinstance(value, ast.Constant)
                and id(value) in values
            ):
                match = values[id(value)]
                found.append(
                    AuthorizationHeader(
                        value, match.group("scheme"), match.group("token"), id(node) in replicate_dicts
                    )
                )
    return found


def _calls_replicate_api(resolver: Resolver, call: ast.Call, scope: Scope) -> bool:
    candidates = [*call.args[:2], *(k.value for k in call.keywords if k.arg in URL_KEYWORDS)]
    return any(REPLICATE_API_HOST in _url_text(resolver, node, scope, call.lineno) for node in candidates)


def _url_text(resolver: Resolver, node: ast.expr, scope: Scope, line: int) -> str:
    """The URL as far as the code writes it: an f-string's fields are left out."""
    if isinstance(node, ast.JoinedStr):
        return "".join(
            part.value if isinstance(part, ast.Constant) and isinstance(part.value, str) else ""
            for part in node.values
        )
    return resolver.string(node, scope, line) or ""


@dataclass(frozen=True)
class Concatenation:
    """`"r8_abc" + "def..."`: an outermost `+` chain made only of string literals."""

    node: ast.BinOp
    value: str  # the string it makes
    named: bool  # the whole value of `NAME = ...` (or `NAME: str = ...`): a constant's definition


def string_concatenations(tree: ast.Module) -> List[Concatenation]:
    """The outermost `+` chains made only of string literals, with the string each makes."""
    found: List[Concatenation] = []
    inner: Set[int] = set()
    named: Set[int] = set()
    for node in ast.walk(tree):  # parents come before their children
        if isinstance(node, ast.Assign) and all(isinstance(t, ast.Name) for t in node.targets):
            named.add(id(node.value))
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name) and node.value is not None:
            named.add(id(node.value))
        if not isinstance(node, ast.BinOp) or id(node) in inner:
            continue
        value = literal_string(node)
        if value is None:
            continue
        found.append(Concatenation(node, value, id(node) in named))
        inner.update(id(child) for child in ast.walk(node))
    return found
