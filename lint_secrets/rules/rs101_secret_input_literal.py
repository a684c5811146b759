"""RS101 secret-input-literal."""

from __future__ import annotations

from typing import Iterator

from lint_secrets.heuristics import is_placeholder
from lint_secrets.redact import redact
from lint_secrets.rules.base import (
    Candidate,
    Invalid,
    Rule,
    RuleContext,
    Valid,
    cached_schema,
    input_candidate,
    resolved_ref,
    secret_input_text,
    where,
)


class SecretInputLiteral(Rule):
    """Finds string literals that reach an input the model's schema marks secret.

    Replicate models declare secret inputs (cog's `Secret`) in their OpenAPI schema
    with `x-cog-secret`, `format: password` or `writeOnly`. Replicate redacts these
    values on its side, but a literal in source code has already leaked: into git,
    CI logs and every clone. Read the value from the environment instead, and
    rotate the key that was committed.

    The model's schema comes from the local cache (`lint-secrets schemas pull`) or
    from `[tool.lint-secrets.models]` in pyproject.toml. The fix reads the variable
    named after the input (or after the constant that held the literal).
    """

    code = "RS101"
    name = "secret-input-literal"
    summary = "A string literal reaches an input that the model's cached schema marks secret"
    precision = "very-high"
    security_severity = "8.5"
    imports = ("replicate",)
    needles = (b"api.replicate.com",)  # requests to the REST API (analysis/http.py)
    supersedes = ("RS102", "RS103")

    INVALID = (
        Invalid(
            """
            import os

            import replicate

            replicate.run(
                "example/text-to-speech",
                input={"text": "hi", "elevenlabs_api_key": "el_2b1c0f9a8d7e6"},
            )
            """,
            line=7,
            column=48,
            expected_replacement="""
            import os

            import replicate

            replicate.run(
                "example/text-to-speech",
                input={"text": "hi", "elevenlabs_api_key": os.environ["ELEVENLABS_API_KEY"]},
            )
            """,
        ),
        Invalid(
            """
            import replicate

            ELEVENLABS_KEY = "el_2b1c0f9a8d7e6"
            replicate.run("example/text-to-speech", input={"elevenlabs_api_key": ELEVENLABS_KEY})
            """,
            line=3,
            column=18,
            expected_replacement="""
            import replicate
            import os

            ELEVENLABS_KEY = os.environ.get("ELEVENLABS_KEY")
            replicate.run("example/text-to-speech", input={"elevenlabs_api_key": ELEVENLABS_KEY})
            """,
        ),
    )
    VALID = (
        Valid(
            """
            import os

            import replicate

            replicate.run(
                "example/text-to-speech",
                input={"text": "hi", "elevenlabs_api_key": os.environ["ELEVENLABS_API_KEY"]},
            )
            """
        ),
        # The schema says `text` is not secret, and a placeholder is not a secret.
        Valid(
            """
            import replicate

            replicate.run(
                "example/text-to-speech",
                input={"text": "el_2b1c0f9a8d7e6", "elevenlabs_api_key": "YOUR_API_KEY"},
            )
            """
        ),
    )

    def check(self, context: RuleContext) -> Iterator[Candidate]:
        for call in context.analysis.calls:
            schema = cached_schema(context, call)
            if schema is None:
                continue
            secrets = schema.secrets[call.kind]
            for use in call.inputs:
                if use.name not in secrets:
                    continue
                ref = resolved_ref(context, call)
                model = ref.display() if ref else "?"
                for site in use.sites:
                    if is_placeholder(site.value):
                        continue
                    message = (
                        f"Hardcoded secret {redact(site.value)!r}{where(site)} for "
                        f"{secret_input_text(context, call, use.name)} of {model} "
                        f"({call.method} call on line {call.node.lineno})"
                    )
                    yield input_candidate(self.code, message, context, call, ref, use.name, site)
