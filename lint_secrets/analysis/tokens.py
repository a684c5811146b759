"""Where a Replicate API token is given in code rather than read from the environment."""

from __future__ import annotations

import ast
from dataclasses import dataclass
from enum import Enum
from typing import Iterator, Optional, Tuple

from lint_secrets.analysis.replicate_sdk import OS, REPLICATE, SdkResolver, Sym
from lint_secrets.analysis.scopes import Scope, ScopeBuilder
from lint_secrets.analysis.values import ValueSite, argument, keyword_argument, subscript_key
from lint_secrets.env_names import TOKEN_ENV
from lint_secrets.records import Record


class TokenAction(Enum):
    """How the token can be taken out of the code."""

    REPLACE = "replace"  # the literal becomes a read of the environment
    DELETE_STATEMENT = "delete-statement"  # the statement only sets the token: the client reads it itself
    DROP_DEFAULT = "drop-default"  # `os.getenv(TOKEN_ENV, "r8_...")` loses its default
    REPLACE_CALL = "replace-call"  # `os.environ.setdefault(TOKEN_ENV, "r8_...")` inside an expression


@dataclass(frozen=True, repr=False, eq=False)
class TokenSite(Record):
    """A Replicate API token given in code rather than read from the environment."""

    site: ValueSite
    how: str
    action: TokenAction
    statement: Optional[ast.stmt] = None
    body: Optional[Tuple[ast.stmt, ...]] = None  # the block holding `statement`
    # for DROP_DEFAULT: the argument the default follows; for REPLACE_CALL: the call
    anchor: Optional[ast.expr] = None


def token_calls(
    sdk: SdkResolver, builder: ScopeBuilder, call: ast.Call, scope: Scope, func: Sym
) -> Iterator[TokenSite]:
    """Tokens a call gives: to a client, or to the environment of the process. `func`: what
    the callee stands for."""
    line = call.lineno
    values = sdk.values
    if func.root is REPLICATE and func.path == ("Client",):
        for site in values.sites_of(argument(call, 0, "api_token"), scope, line):
            yield TokenSite(site, "Client(api_token=...)", TokenAction.REPLACE)
    elif func.root is REPLICATE and func.path in (("Replicate",), ("AsyncReplicate",)):
        for site in values.sites_of(keyword_argument(call, "bearer_token"), scope, line):
            yield TokenSite(site, f"{func.path[0]}(bearer_token=...)", TokenAction.REPLACE)
    elif func.root is OS and func.path in (("environ", "setdefault"), ("putenv",)):
        if values.string(argument(call, 0, "key"), scope, line) != TOKEN_ENV:
            return
        statement, body = builder.expr_calls.get(id(call), (None, None))
        value = (
            call.args[1]
            if len(call.args) > 1
            else keyword_argument(call, "default" if func.path[-1] == "setdefault" else "value")
        )
        how = f"os.{func.dotted}({TOKEN_ENV!r}, ...)"
        for site in values.sites_of(value, scope, line):
            if statement is not None:
                yield TokenSite(site, how, TokenAction.DELETE_STATEMENT, statement, body)
            else:
                yield TokenSite(site, how, TokenAction.REPLACE_CALL, anchor=call)
    elif func.root is OS and func.path in (("getenv",), ("environ", "get")):
        key = argument(call, 0, "key")
        if values.string(key, scope, line) != TOKEN_ENV or key is None:
            return
        default = argument(call, 1, "default")
        for site in values.sites_of(default, scope, line):
            yield TokenSite(
                site, f"os.{func.dotted}({TOKEN_ENV!r}, default)", TokenAction.DROP_DEFAULT, anchor=key
            )


def token_assignments(
    sdk: SdkResolver, statement: ast.stmt, scope: Scope, body: Tuple[ast.stmt, ...]
) -> Iterator[TokenSite]:
    """Tokens an assignment gives: `replicate.api_token = ...`, `os.environ[TOKEN_ENV] = ...`."""
    targets = statement.targets if isinstance(statement, ast.Assign) else [statement.target]  # type: ignore[attr-defined]
    value = statement.value  # type: ignore[attr-defined]
    line = statement.lineno
    for target in targets:
        how = None
        if isinstance(target, ast.Attribute) and target.attr == "api_token":
            owner = sdk.sym(target.value, scope, line)
            if owner is not None and owner.root is REPLICATE and owner.path == ():
                how = "api_token = ..."
        elif isinstance(target, ast.Subscript):
            owner = sdk.sym(target.value, scope, line)
            if (
                owner is not None
                and owner.root is OS
                and owner.path == ("environ",)
                and sdk.values.string(subscript_key(target), scope, line) == TOKEN_ENV
            ):
                how = f"os.environ[{TOKEN_ENV!r}] = ..."
        if how is None:
            continue
        single = len(targets) == 1 and not isinstance(value, ast.NamedExpr)
        action = TokenAction.DELETE_STATEMENT if single else TokenAction.REPLACE
        for site in sdk.values.sites(value, scope, line):
            yield TokenSite(site, how, action, statement, body)
