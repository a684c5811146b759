"""RS102 likely-secret-input-literal."""

from __future__ import annotations

from typing import Iterator

from lint_secrets.heuristics import (
    could_be_credential,
    credential_name,
    hash_sounding_name,
    is_placeholder,
    token_shape,
)
from lint_secrets.redact import redact
from lint_secrets.rules.base import (
    Candidate,
    Invalid,
    Rule,
    RuleContext,
    Valid,
    article,
    cached_schema,
    input_candidate,
    not_redacted_either,
    resolved_ref,
    where,
)


class LikelySecretInputLiteral(Rule):
    """Finds string literals that look like secrets, sent to any model input.

    The value's shape (`r8_`, `hf_`, `sk-`, `ghp_`, 40 hex digits...) is evidence
    whatever the schema says: many models declare `hf_token: str` rather than a
    `Secret`, and a token in the code has leaked either way. When the cache has no
    schema for the model (or the model can't be worked out from the code), the
    input's name (`api_key`, `hf_token`, `password`, `secret`, but not `max_tokens`
    or `token_type`) is evidence too. Fetch the schema with `lint-secrets schemas
    pull` to get exact answers on names (RS101, which replaces this finding).
    A `*_token` name counts only for a value that could be a credential (a known token shape,
    or 16 characters or more with no spaces and no brackets): `unique_token: "sks"` or
    `system_token: "<<SYS>>"` are text tokens. A password, key, secret or PIN holds nothing
    else: any value that is not a placeholder counts there, however short (`hunter2`).
    """

    code = "RS102"
    name = "likely-secret-input-literal"
    summary = (
        "A value shaped like a token reaches a model input, or no schema is known and the input's name "
        "says it is a secret"
    )
    precision = "medium"
    security_severity = "7.0"
    imports = ("replicate",)
    needles = (b"api.replicate.com",)  # requests to the REST API (analysis/http.py)
    supersedes = ("RS103",)

    INVALID = (
        Invalid(
            """
            import os
            import replicate

            replicate.run("acme/private-model", input={"hf_token": "hf_0ZrqfPhuBYwdfiJqFe5LvuFeTjOmoEsO"})
            """,
            line=4,
            column=56,
            expected_replacement="""
            import os
            import replicate

            replicate.run("acme/private-model", input={"hf_token": os.environ["HF_TOKEN"]})
            """,
        ),
        Invalid(
            """
            import os
            import replicate

            replicate.run("acme/llm", input={"prompt": "hi", "license": "sk-proj-4fQ9xZ2mL7vB1nC8kJ3h"})
            """,
            line=4,
            column=61,
        ),
        # The schema is cached and doesn't mark `prompt` secret: the value's shape still counts.
        Invalid(
            """
            import os
            import replicate

            replicate.run(
                "example/official-chat",
                input={"prompt": "hf_0ZrqfPhuBYwdfiJqFe5LvuFeTjOmoEsO"},
            )
            """,
            line=6,
            column=22,
            expected_replacement="""
            import os
            import replicate

            replicate.run(
                "example/official-chat",
                input={"prompt": os.environ["EXAMPLE_OFFICIAL_CHAT_PROMPT"]},
            )
            """,
        ),
    )
    VALID = (
        Valid(
            """
            import os
            import replicate

            replicate.run("acme/private-model", input={"hf_token": os.environ["HF_TOKEN"]})
            """
        ),
        # Neither the names nor the values say secret.
        Valid(
            """
            import replicate

            replicate.run("acme/private-model", input={"max_tokens": "512", "eos_token": "</s>"})
            """
        ),
        # Text tokens: a name is evidence only for a value that could be a credential.
        Valid(
            """
            import replicate

            replicate.run("acme/dreambooth", input={"unique_token": "sks", "system_token": "<<SYS>>"})
            """
        ),
        # A cached schema that doesn't mark `prompt` secret: a name is no evidence, only a shape.
        Valid(
            """
            import replicate

            replicate.run("example/official-chat", input={"prompt": "my password is hunter2"})
            """
        ),
    )

    def check(self, context: RuleContext) -> Iterator[Candidate]:
        for call in context.analysis.calls:
            schema_known = cached_schema(context, call) is not None
            ref = resolved_ref(context, call)
            for use in call.inputs:
                by_name = not schema_known and credential_name(use.name)
                for site in use.sites:
                    if is_placeholder(site.value):
                        continue
                    shape = token_shape(site.value)
                    if shape == "40-hex key" and hash_sounding_name(use.name):
                        shape = None
                    # A name is evidence only for a value that could be a credential: `*_token`
                    # inputs also take text tokens (`"sks"`, `"<<SYS>>"`, `"[INST]"`).
                    by_name_here = by_name and could_be_credential(site.value, use.name)
                    if not by_name_here and shape is None:
                        continue
                    model = ref.display() if ref else "an unresolved model"  # here: most values pass
                    if by_name_here:
                        reason = "its name; no cached schema"
                    else:
                        reason = f"it is shaped like {article(shape)} {shape}"
                    message = (
                        f"Hardcoded value {redact(site.value)!r}{where(site)} for input {use.name!r} of "
                        f"{model} looks secret ({reason}) "
                        f"({call.method} call on line {call.node.lineno})"
                        f"{not_redacted_either(context, call, use.name)}"
                    )
                    yield input_candidate(self.code, message, context, call, ref, use.name, site)
