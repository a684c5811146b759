"""The rules. Each is one unit: what it finds, its message, its examples and its fix.

A rule's docstring is its documentation: `lint-secrets explain CODE` prints it.
"""

from __future__ import annotations

import ast
import inspect
from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable, ClassVar, Dict, Iterator, Optional, Tuple, Type

from lint_secrets.heuristics import (
    REPLICATE_TOKEN,
    REPLICATE_TOKEN_IN_TEXT,
    env_name,
    hash_sounding_name,
    is_placeholder,
    secret_sounding_name,
    token_shape,
)
from lint_secrets.redact import redact

if TYPE_CHECKING:
    from lint_secrets.resolve import Analysis, ModelCall, ValueSite
    from lint_secrets.schemas import ModelRef, SchemaInfo, SchemaStore

TOKEN_ENV = "REPLICATE_API_TOKEN"


@dataclass(frozen=True)
class FixPlan:
    """How to take a literal out of the code; the checker turns it into edits."""

    action: str  # "env", "env-get", "delete-statement", "drop-default", "replace-call"
    env_base: str
    node: ast.AST  # the literal, or the statement / call the action works on
    anchor: Optional[ast.AST] = None
    body: Optional[Tuple[ast.stmt, ...]] = None


@dataclass(frozen=True)
class Candidate:
    """A finding before positions, noqa and fixes are worked out."""

    code: str
    node: ast.expr
    secret: str
    message: str
    model: Optional[str] = None
    input: Optional[str] = None
    call_line: Optional[int] = None
    call_end_line: Optional[int] = None  # black puts a noqa comment after the closing `)`
    fix: Optional[FixPlan] = None


@dataclass(frozen=True)
class RuleContext:
    analysis: Analysis
    schemas: SchemaStore
    env_name_for: EnvNamer


class EnvNamer:
    """The environment variable a secret should be read from.

    Configured names win; a module constant keeps its own name (`HF_TOKEN =
    os.environ["HF_TOKEN"]`); otherwise the input's name in upper snake case.
    """

    def __init__(self, configured: Optional[Callable[[Optional[str], str], Optional[str]]] = None) -> None:
        self._configured = configured

    def __call__(self, model: Optional[str], input_name: str, site: Optional[ValueSite] = None) -> str:
        if self._configured is not None:
            name = self._configured(model, input_name)
            if name:
                return name
        if site is not None and site.origin == "constant" and site.binding:
            return env_name(site.binding)
        return env_name(input_name)


class Rule:
    code: ClassVar[str]
    name: ClassVar[str]
    summary: ClassVar[str]
    fixable: ClassVar[bool] = True
    # For code scanning (SARIF): how often a finding is a true secret ("very-high", "high",
    # "medium", "low"), and a CVSS-like score as a string ("9.5"; 9.0 and up shows as critical).
    precision: ClassVar[str]
    security_severity: ClassVar[str]

    @classmethod
    def doc(cls) -> str:
        return inspect.cleandoc(cls.__doc__ or "")

    def check(self, context: RuleContext) -> Iterator[Candidate]:
        raise NotImplementedError


def _site_fix(site: ValueSite, env: str) -> FixPlan:
    return FixPlan("env-get" if site.origin == "default" else "env", env, site.node)


def _where(site: ValueSite) -> str:
    if site.origin == "constant":
        return f" via {site.binding}"
    if site.origin == "default":
        return f" via the default of parameter {site.binding}"
    return ""


class SecretInputLiteral(Rule):
    """Finds string literals that reach an input the model's schema marks secret.

    Replicate models declare secret inputs (cog's `Secret`) in their OpenAPI schema
    with `x-cog-secret`, `format: password` or `writeOnly`. Replicate redacts these
    values on its side, but a literal in source code has already leaked: into git,
    CI logs and every clone. Read the value from the environment instead, and
    rotate the key that was committed.

    The model's schema comes from the local cache (`lint-secrets schemas pull`) or
    from `[tool.lint-secrets.models]` in pyproject.toml.

    Bad:

        replicate.run(
            "example/text-to-speech",
            input={"text": "hi", "elevenlabs_api_key": "el_2b1c0f9a8d7e6"},
        )

    Good:

        replicate.run(
            "example/text-to-speech",
            input={"text": "hi", "elevenlabs_api_key": os.environ["ELEVENLABS_API_KEY"]},
        )
    """

    code = "RS101"
    name = "secret-input-literal"
    summary = "A string literal reaches an input that the model's cached schema marks secret"
    precision = "very-high"
    security_severity = "8.5"

    def check(self, context: RuleContext) -> Iterator[Candidate]:
        for call in context.analysis.calls:
            schema = _schema(context, call)
            if schema is None:
                continue
            secrets = schema.secrets[call.kind]
            for use in call.inputs:
                if use.name not in secrets:
                    continue
                ref = _resolved_ref(context, call)
                model = ref.display() if ref else "?"
                for site in use.sites:
                    if is_placeholder(site.value):
                        continue
                    message = (
                        f"Hardcoded secret {redact(site.value)!r}{_where(site)} for secret input "
                        f"{use.name!r} of {model} ({call.method} call on line {call.node.lineno})"
                    )
                    yield _input_candidate(self.code, message, context, call, ref, use.name, site)


class LikelySecretInputLiteral(Rule):
    """Finds string literals that look like secrets, sent to a model with no known schema.

    When the cache has no schema for the model (or the model can't be worked out
    from the code), the input's name (`api_key`, `hf_token`, `password`, `secret`,
    but not `max_tokens` or `token_type`) or the value's shape (`r8_`, `hf_`, `sk-`,
    `ghp_`, 40 hex digits...) says it is probably a secret. Fetch the schema with
    `lint-secrets schemas pull` to get exact answers (RS101) instead.

    Bad:

        replicate.run("acme/private-model", input={"hf_token": "hf_aBcDeFgHiJkLmNoPqRsTuVwXyZ012345"})

    Good:

        replicate.run("acme/private-model", input={"hf_token": os.environ["HF_TOKEN"]})
    """

    code = "RS102"
    name = "likely-secret-input-literal"
    summary = (
        "No schema is known for the model, and the input's name or the value's shape says it is a secret"
    )
    precision = "medium"
    security_severity = "7.0"

    def check(self, context: RuleContext) -> Iterator[Candidate]:
        for call in context.analysis.calls:
            if _schema(context, call) is not None:
                continue
            ref = _resolved_ref(context, call)
            model = ref.display() if ref else "an unresolved model"
            for use in call.inputs:
                by_name = secret_sounding_name(use.name)
                for site in use.sites:
                    if is_placeholder(site.value):
                        continue
                    shape = token_shape(site.value)
                    if shape == "40-hex key" and hash_sounding_name(use.name):
                        shape = None
                    if not by_name and shape is None:
                        continue
                    reason = "its name" if by_name else f"it is shaped like {_article(shape)} {shape}"
                    message = (
                        f"Hardcoded value {redact(site.value)!r}{_where(site)} for input {use.name!r} of "
                        f"{model} looks secret ({reason}; no cached schema) "
                        f"({call.method} call on line {call.node.lineno})"
                    )
                    yield _input_candidate(self.code, message, context, call, ref, use.name, site)


class HardcodedReplicateToken(Rule):
    """Finds Replicate API tokens written in code.

    The Replicate client reads `REPLICATE_API_TOKEN` from the environment by itself.
    A token passed to `Client(api_token=...)` or `Replicate(bearer_token=...)`,
    assigned to `replicate.api_token` or `os.environ["REPLICATE_API_TOKEN"]`, given
    as a default to `os.getenv("REPLICATE_API_TOKEN", ...)`, or any string literal
    shaped like a token (`r8_` and 37 letters and digits) has leaked with the code.
    Revoke it at replicate.com/account/api-tokens.

    Bad (with a real `r8_...` token where these show `r8_…`):

        client = replicate.Client(api_token="r8_…")
        os.environ["REPLICATE_API_TOKEN"] = "r8_…"

    Good:

        client = replicate.Client(api_token=os.environ["REPLICATE_API_TOKEN"])
        # and export REPLICATE_API_TOKEN in the shell, the CI secret store or a .env file
    """

    code = "RS103"
    name = "hardcoded-replicate-token"
    summary = "A Replicate API token is written in the code"
    precision = "high"
    security_severity = "9.5"

    def check(self, context: RuleContext) -> Iterator[Candidate]:
        analysis = context.analysis
        reported = set()
        for token in analysis.tokens:
            site = token.site
            if is_placeholder(site.value):
                continue
            reported.add(id(site.node))
            fix: Optional[FixPlan]
            if token.action in ("delete-statement", "drop-default", "replace-call") and site.origin == "call":
                target = token.statement if token.action == "delete-statement" else site.node
                anchor = token.anchor
                fix = FixPlan(token.action, TOKEN_ENV, target, anchor, token.body)  # type: ignore[arg-type]
            else:
                fix = _site_fix(site, TOKEN_ENV)
            yield Candidate(
                self.code,
                site.node,
                site.value,
                f"Hardcoded Replicate API token {redact(site.value)!r}{_where(site)} in {token.how}; "
                f"set {TOKEN_ENV} in the environment instead",
                input=TOKEN_ENV,
                call_line=site.node.lineno,
                fix=fix,
            )
        for node in analysis.string_literals:
            if id(node) in reported or not isinstance(node.value, str):
                continue
            match = REPLICATE_TOKEN_IN_TEXT.search(node.value)
            if match is None or is_placeholder(match.group(0)):
                continue
            # Only a constant's definition (`TOKEN = "r8_..."`) is rewritten: elsewhere the
            # literal may be meant as it is, e.g. a test's `monkeypatch.setenv(..., "r8_...")`.
            fixable = (
                REPLICATE_TOKEN.fullmatch(node.value) is not None and id(node) in analysis.named_literals
            )
            yield Candidate(
                self.code,
                node,
                match.group(0),
                f"String literal holds a Replicate API token {redact(match.group(0))!r}; "
                f"read {TOKEN_ENV} from the environment instead",
                input=TOKEN_ENV,
                fix=FixPlan("env", TOKEN_ENV, node) if fixable else None,
            )


def _input_candidate(
    code: str,
    message: str,
    context: RuleContext,
    call: ModelCall,
    ref: Optional[ModelRef],
    input_name: str,
    site: ValueSite,
) -> Candidate:
    """A finding on a literal that reaches a model input."""
    return Candidate(
        code,
        site.node,
        site.value,
        message,
        model=ref.display() if ref else None,
        input=input_name,
        call_line=call.node.lineno,
        call_end_line=call.node.end_lineno,
        fix=_site_fix(site, context.env_name_for(ref.model_name if ref else None, input_name, site)),
    )


def _article(noun: Optional[str]) -> str:
    return "an" if noun and noun[0].lower() in "aeiou" else "a"


def _schema(context: RuleContext, call: ModelCall) -> Optional[SchemaInfo]:
    if call.ref is None:
        return None
    info = context.schemas.lookup(call.ref)
    if info is None or not info.has(call.kind):
        return None
    return info


def _resolved_ref(context: RuleContext, call: ModelCall) -> Optional[ModelRef]:
    """The call's model; a bare version id is named by the cached model that has it."""
    ref = call.ref
    if ref is not None and ref.kind == "version" and ref.owner is None and ref.version:
        return context.schemas.resolve_version(ref.version) or ref
    return ref


RULES: Tuple[Type[Rule], ...] = (SecretInputLiteral, LikelySecretInputLiteral, HardcodedReplicateToken)
RULES_BY_CODE: Dict[str, Type[Rule]] = {rule.code: rule for rule in RULES}
ALL_CODES: Tuple[str, ...] = tuple(RULES_BY_CODE)


@dataclass(frozen=True)
class RuleInfo:
    """A rule's documentation, as reporters and `lint-secrets rules` show it."""

    code: str
    name: str
    summary: str
    doc: str
    fixable: bool
    precision: str
    security_severity: str


RULE_INFO: Tuple[RuleInfo, ...] = tuple(
    RuleInfo(
        rule.code, rule.name, rule.summary, rule.doc(), rule.fixable, rule.precision, rule.security_severity
    )
    for rule in RULES
)
