"""RS103 hardcoded-replicate-token."""

from __future__ import annotations

import ast
import re
from typing import Iterator, Optional, Set

from lint_secrets.analysis import Origin, TokenAction
from lint_secrets.env_names import TOKEN_ENV
from lint_secrets.heuristics import (
    REPLICATE_TOKEN,
    REPLICATE_TOKEN_IN_TEXT,
    is_placeholder,
    replicate_token_shaped,
)
from lint_secrets.redact import redact
from lint_secrets.rules.base import (
    AuthorizationHeaderPlan,
    Candidate,
    DeleteStatementPlan,
    DropDefaultPlan,
    FixPlan,
    Invalid,
    ReadEnvironPlan,
    ReplaceCallPlan,
    Rule,
    RuleContext,
    Valid,
    value_fix,
    where,
)

# A token for the examples, put together at run time: this file must hold no token-shaped
# literal, or the project's own lint (and any secret scanner) would flag it.
# Replicate's tokens before `r8_`: 40 hex digits, told apart from other hex strings by context.
LEGACY_TOKEN = re.compile(r"[0-9a-fA-F]{40}")
_EXAMPLE_TOKEN = "r8_" + "".join(reversed("K3yNotReal0Example9Tok3nF0rD0cs2Xq7Wz"))


class HardcodedReplicateToken(Rule):
    """Finds Replicate API tokens written in code.

    The Replicate client reads `REPLICATE_API_TOKEN` from the environment by itself.
    A token passed to `Client(api_token=...)` or `Replicate(bearer_token=...)`,
    assigned to `replicate.api_token` or `os.environ["REPLICATE_API_TOKEN"]`, given
    as a default to `os.getenv("REPLICATE_API_TOKEN", ...)`, or any string literal
    shaped like a token (`r8_` and 37 letters and digits) has leaked with the code.
    At those places only a value shaped like a token counts (`r8_` and 37 letters and
    digits, or the legacy 40 hex digits): test fakes and sentinels such as
    `"invalid-token"`, `"r8_mocktoken"` or `"not-set"` are not findings.
    Revoke it at replicate.com/account/api-tokens, and export REPLICATE_API_TOKEN in
    the shell, the CI secret store or a .env file instead.
    """

    code = "RS103"
    name = "hardcoded-replicate-token"
    summary = "A Replicate API token is written in the code"
    precision = "high"
    security_severity = "9.5"
    # A legacy 40-hex token is Replicate's only where it is given to the token's variable
    # (either case: a settings field) or sent to the API's host: textscan.TOKEN_NEEDLES.
    needles = (b"r8_", b"REPLICATE_API_TOKEN", b"replicate_api_token", b"api.replicate.com")
    imports = ("replicate",)
    fix_kinds = (
        "read-environ",
        "module-constant",
        "used-at-import",
        "parameter-default",
        "replace-call",
        "drop-default",
        "delete-statement",
        "header-fstring",
    )

    INVALID = (
        Invalid(
            f"""
            import os

            import replicate

            client = replicate.Client(api_token="{_EXAMPLE_TOKEN}")
            """,
            line=5,
            column=37,
            expected_replacement="""
            import os

            import replicate

            client = replicate.Client(api_token=os.environ["REPLICATE_API_TOKEN"])
            """,
        ),
        Invalid(
            f"""
            import os

            os.environ["REPLICATE_API_TOKEN"] = "{_EXAMPLE_TOKEN}"  # set for the client
            import replicate
            """,
            line=3,
            column=37,
            expected_replacement="""
            import os

            import replicate
            """,
        ),
        Invalid(
            f"""
            import os

            token = os.getenv(
                "REPLICATE_API_TOKEN",  # the key
                "{_EXAMPLE_TOKEN}",  # the fallback
            )
            """,
            line=5,
            column=5,
            expected_replacement="""
            import os

            token = os.getenv(
                "REPLICATE_API_TOKEN",  # the key
            )
            """,
        ),
        Invalid(
            f"""
            import os

            import requests

            headers = {{"Authorization": "Token {_EXAMPLE_TOKEN}"}}
            requests.get("https://api.replicate.com/v1/account", headers=headers)
            """,
            line=5,
            column=29,
            expected_replacement="""
            import os

            import requests

            headers = {"Authorization": f"Token {os.environ['REPLICATE_API_TOKEN']}"}
            requests.get("https://api.replicate.com/v1/account", headers=headers)
            """,
        ),
    )
    VALID = (
        Valid(
            """
            import os

            import replicate

            client = replicate.Client(api_token=os.environ["REPLICATE_API_TOKEN"])
            """
        ),
        Valid(
            """
            import os

            token = os.getenv("REPLICATE_API_TOKEN", "r8_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx")
            """
        ),
        # A test suite's fakes and sentinels: at a token sink only a token-shaped value counts.
        Valid(
            """
            import os

            import replicate

            os.environ.setdefault("REPLICATE_API_TOKEN", "test-token")
            client = replicate.Client(api_token="invalid-token")
            token = os.getenv("REPLICATE_API_TOKEN", "not-set")
            """
        ),
        Valid(
            """
            import requests

            # GitHub's classic token header: 40 hex digits, but not Replicate's.
            headers = {"Authorization": "token 6d147290150508d3f9e511f4ea86af1ce280e3ae"}
            requests.get("https://api.github.com/user", headers=headers)
            """
        ),
    )

    def check(self, context: RuleContext) -> Iterator[Candidate]:
        analysis = context.analysis
        reported: Set[int] = set()
        for token in analysis.tokens:
            site = token.site
            # Test suites hand the client fakes and sentinels ("invalid-token", "not-set"):
            # only a value shaped like a real token is one.
            if not replicate_token_shaped(site.value):
                continue
            reported.add(id(site.node))
            fix: FixPlan
            in_call = site.origin is Origin.CALL
            if in_call and token.action is TokenAction.DELETE_STATEMENT and token.statement is not None:
                fix = DeleteStatementPlan(token.statement, TOKEN_ENV)
            elif in_call and token.action is TokenAction.DROP_DEFAULT:
                fix = DropDefaultPlan(site.node, TOKEN_ENV)
            elif in_call and isinstance(token.anchor, ast.Call) and token.action is TokenAction.REPLACE_CALL:
                fix = ReplaceCallPlan(token.anchor, TOKEN_ENV)
            else:
                fix = value_fix(site, TOKEN_ENV)
            yield Candidate(
                self.code,
                site.node,
                site.value,
                f"Hardcoded Replicate API token {redact(site.value)!r}{where(site)} in {token.how}; "
                f"set {TOKEN_ENV} in the environment instead",
                input=TOKEN_ENV,
                call_line=site.node.lineno,
                fix=fix,
                site=site,
            )
        for header in analysis.authorization_headers:
            if is_placeholder(header.token) or id(header.node) in reported:
                continue
            # A 40-hex value is Replicate's legacy token only when the request goes to
            # Replicate: GitHub's classic `token <40 hex>` header looks the same.
            legacy = header.replicate_url and LEGACY_TOKEN.fullmatch(header.token) is not None
            if REPLICATE_TOKEN.fullmatch(header.token) is None and not legacy:
                continue
            reported.add(id(header.node))
            yield Candidate(
                self.code,
                header.node,
                header.token,
                f"Hardcoded Replicate API token {redact(header.token)!r} in an Authorization header; "
                f"read {TOKEN_ENV} from the environment instead",
                input=TOKEN_ENV,
                fix=AuthorizationHeaderPlan(header.node, header.scheme, TOKEN_ENV),
            )
        for joined in analysis.concatenations:
            match = REPLICATE_TOKEN_IN_TEXT.search(joined.value)
            if match is None or is_placeholder(match.group(0)) or id(joined.node) in reported:
                continue
            # One token, one finding: a piece holding the whole token (`"Bearer " + "r8_..."`)
            # is not reported again on its own.
            reported.update(id(piece) for piece in ast.walk(joined.node))
            # As for a literal: a constant's whole value is rewritten, the whole `+` chain at once.
            pieces_plan: Optional[FixPlan] = None
            if joined.named and REPLICATE_TOKEN.fullmatch(joined.value) is not None:
                pieces_plan = ReadEnvironPlan(joined.node, TOKEN_ENV, constant=True)
            # Reported at the start of the whole value: no piece need show the token.
            yield Candidate(
                self.code,
                joined.node,
                match.group(0),
                f"String written in pieces holds a Replicate API token {redact(match.group(0))!r}; "
                f"read {TOKEN_ENV} from the environment instead",
                input=TOKEN_ENV,
                fix=pieces_plan,
            )
        for node in analysis.string_literals:
            # A token starts with `r8_`: `in` rules out most literals faster than the expression,
            # whose look-behind in front keeps it from skipping ahead to an `r`.
            if id(node) in reported or not isinstance(node.value, str) or "r8_" not in node.value:
                continue
            match = REPLICATE_TOKEN_IN_TEXT.search(node.value)
            if match is None or is_placeholder(match.group(0)):
                continue
            # Only a constant's definition (`TOKEN = "r8_..."`) is rewritten: elsewhere the
            # literal may be meant as it is, e.g. a test's `monkeypatch.setenv(..., "r8_...")`.
            plan: Optional[FixPlan] = None
            if REPLICATE_TOKEN.fullmatch(node.value) is not None and id(node) in analysis.named_literals:
                plan = ReadEnvironPlan(node, TOKEN_ENV, constant=True)
            yield Candidate(
                self.code,
                node,
                match.group(0),
                f"String literal holds a Replicate API token {redact(match.group(0))!r}; "
                f"read {TOKEN_ENV} from the environment instead",
                input=TOKEN_ENV,
                fix=plan,
            )


def text_token_message(value: str, place: str, legacy: bool) -> str:
    """The message for a token found on the text (a comment, a broken file, a notebook output)."""
    kind = "legacy Replicate API token" if legacy else "Replicate API token"
    return (
        f"Hardcoded {kind} {redact(value)!r} {place}; revoke it and set {TOKEN_ENV} "
        "in the environment instead"
    )
