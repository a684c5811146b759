"""RS105 secret-to-untrusted-model."""

from __future__ import annotations

import ast
from typing import ClassVar, Iterator, List

from lint_secrets.analysis.env_reads import call_inputs, secret_read
from lint_secrets.analysis.replicate_sdk import ModelCall
from lint_secrets.analysis.values import keyword_argument
from lint_secrets.heuristics import is_placeholder
from lint_secrets.rules.base import (
    Candidate,
    Invalid,
    Rule,
    RuleContext,
    Valid,
    cached_schema,
    resolved_ref,
    running_model,
)

# Where a call names its model, by keyword (first found wins), for the finding's position.
_MODEL_KEYWORDS = ("ref", "version", "model", "deployment", "model_owner", "deployment_owner")


class SecretToUntrustedModel(Rule):
    """Finds secrets sent to a model whose owner is not in `trusted-owners`.

    A secret input is handed to the model's code, which its author wrote and can change
    with every version: redaction hides the value from the prediction's record, not from
    the model. Replicate's advice is to give secrets only to models from authors you trust.
    List them once:

        [tool.lint-secrets]
        trusted-owners = ["acme", "replicate"]

    (case-insensitive, as Replicate's owners are) and every call that sends a secret to a
    model of another owner is reported at its model argument. A secret is any value sent
    to an input the cached schema marks secret, or a value read from a credential's
    environment variable (see RS104) sent to any input. A
    deployment is judged by the owner of the model it runs (its cached record:
    `lint-secrets schemas pull deployment:o/n`). Off unless `trusted-owners` is set;
    `lint-secrets schemas list` shows each cached model's owner and secret inputs.
    Reported in addition to any hardcoding finding on the value: the fixes differ.
    """

    code = "RS105"
    name = "secret-to-untrusted-model"
    summary = "A secret is sent to a model whose owner is not in trusted-owners"
    fixable = False
    imports = ("replicate",)
    needles = (b"api.replicate.com",)  # requests to the REST API (analysis/http.py)
    precision: ClassVar[str] = "high"
    security_severity: ClassVar[str] = "5.0"
    cwe = "CWE-201"  # Insertion of Sensitive Information Into Sent Data (a policy: whom to trust)

    INVALID = (
        Invalid(
            """
            import os

            import replicate

            key = os.environ["ELEVENLABS_API_KEY"]
            replicate.run("example/text-to-speech", input={"text": "hi", "elevenlabs_api_key": key})
            """,
            line=6,
            column=15,
            config='trusted-owners = ["acme", "replicate"]',
        ),
        Invalid(
            """
            import os

            import replicate

            deployment = replicate.deployments.get("example/tts-prod")
            key = os.environ["ELEVENLABS_API_KEY"]
            deployment.predictions.create(input={"text": "hi", "elevenlabs_api_key": key})
            """,
            line=7,
            column=1,
            config='trusted-owners = ["acme"]',
        ),
    )
    VALID = (
        Valid(
            """
            import os

            import replicate

            replicate.run("acme/speech", input={"text": "hi", "api_key": os.environ["ACME_API_KEY"]})
            """,
            config='trusted-owners = ["acme", "replicate"]',
        ),
        Valid(
            """
            import os

            import replicate

            key = os.environ["ELEVENLABS_API_KEY"]
            replicate.run("example/text-to-speech", input={"text": "hi", "elevenlabs_api_key": key})
            """,
            config='trusted-owners = ["acme", "example"]',
        ),
        # No secret goes to the model.
        Valid(
            """
            import os

            import replicate

            replicate.run(
                "example/whisper-diarize",
                input={"audio_file": "a.wav", "language": os.environ["MODEL_NAME"]},
            )
            """,
            config='trusted-owners = ["acme"]',
        ),
    )

    def check(self, context: RuleContext) -> Iterator[Candidate]:
        sdk = context.analysis.sdk
        if sdk is None or context.trusted_owners is None:
            return
        trusted = frozenset(owner.lower() for owner in context.trusted_owners)
        for call in context.analysis.calls:
            target = running_model(context, call)
            # Replicate's owner names are case-insensitive: `Acme` is `acme`.
            if target is None or target.owner is None or target.owner.lower() in trusted:
                continue
            schema = cached_schema(context, call)
            schema_secrets = schema.secrets[call.kind] if schema is not None else frozenset()
            sent: List[str] = []
            for value in call_inputs(sdk, call).values:
                if value.name in schema_secrets and not _empty(value.value):
                    sent.append(value.name)
                elif secret_read(
                    sdk,
                    value.value,
                    value.scope,
                    value.line,
                    context.credential_env_names,
                    context.non_credential_env_names,
                ):
                    sent.append(value.name)
            if not sent:
                continue
            ref = resolved_ref(context, call)
            named = ref or target
            shown = named.display()
            runs = f" (which runs {target.display()})" if ref is not None and ref.kind == "deployment" else ""
            names = ", ".join(repr(name) for name in sent)
            message = (
                f"{shown}{runs} gets a secret in input{'s' if len(sent) > 1 else ''} {names}, but its "
                f"owner {target.owner!r} is not in trusted-owners: the model's code receives the secret"
            )
            yield Candidate(
                self.code,
                _model_argument(call),
                f"model:{target.owner}/{target.name}",
                message,
                model=named,
                input=sent[0],
                call_line=call.node.lineno,
                call_end_line=call.node.end_lineno,
            )


def _empty(node: ast.expr) -> bool:
    """`None`, `""` or a placeholder: nothing secret is sent."""
    if isinstance(node, ast.Constant):
        return node.value is None or (
            isinstance(node.value, str) and (not node.value or is_placeholder(node.value))
        )
    return False


def _model_argument(call: ModelCall) -> ast.expr:
    """Where the call names its model; the called object when it knows its model itself."""
    if call.model_node is not None:  # a REST request: its URL, or its body's "version"
        return call.model_node
    node = call.node
    for keyword in _MODEL_KEYWORDS:
        found = keyword_argument(node, keyword)
        if found is not None:
            return found
    form = call.form
    takes_model_first = form is not None and form.model.value not in ("receiver", "none")
    if takes_model_first and node.args and not isinstance(node.args[0], ast.Starred):
        if form is None or form.input_position != 0:
            return node.args[0]
    if isinstance(node.func, ast.Call) and node.func.args:  # `replicate.use("o/n")(prompt=...)`
        return node.func.args[0]
    return node.func
