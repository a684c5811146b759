"""RS201 secret-input-not-declared-secret."""

from __future__ import annotations

from typing import Iterator, Optional

from lint_secrets.heuristics import secret_sounding_name
from lint_secrets.rules.base import Candidate, DeclareSecretPlan, Invalid, Rule, RuleContext, Valid


class SecretInputNotDeclaredSecret(Rule):
    """Finds cog model inputs named like credentials but typed `str`.

    Replicate redacts an input's value from the prediction's record (web UI, API, the
    model author's view) and shows a password field for it only when the model declares
    the input as cog's `Secret`. An `hf_token: str` is kept and shown in the clear to
    everyone who can see the prediction. The input's name is the evidence, as for RS102
    (`*_token`, `*_api_key`, `password`, `secret`...; not `max_tokens` or `eos_token`).

    The fix (unsafe: it changes the model's schema, and code that receives the value)
    changes the annotation to `Secret` (`Optional[Secret]`, `Secret | None`), each use
    of the value as a string to `x.get_secret_value()`, and adds `Secret` to the
    `from cog import ...` line. Tests of `x is None` and, on an optional input, `if x:`
    stay as they are, and so does a value printed or logged (`print(x)`, `logger.info("%s",
    x)`, `print(f"{x}")`): a Secret shows there as `**********`. A value returned from
    `predict` reads `.get_secret_value()`, and RS203 then reports it: the output showed the
    credential before the fix as well. A quoted annotation (`"str"`, `Optional["str"]`,
    `'Optional[str]'`) gets the same fix inside its quotes. There is no fix when the parameter
    is rebound, when an optional input is used where it may be None, or when its annotation is
    a string literal other than one plain `"..."` or `'...'` (triple quotes, escapes, quotes
    inside, literals joined).
    """

    code = "RS201"
    name = "secret-input-not-declared-secret"
    summary = (
        "A cog model input named like a credential is typed str, not Secret: Replicate does not redact it"
    )
    fixable = True
    fix_kinds = ("secret-annotation",)
    imports = ("cog",)
    # SARIF: how often a finding is right, and how bad what it reports is (GitHub code scanning).
    precision = "high"
    security_severity = "6.5"
    cwe = "CWE-312"  # Cleartext Storage of Sensitive Information (the prediction record)
    reports_secret = False

    INVALID = (
        Invalid(
            """
            from cog import BasePredictor, Input
            from huggingface_hub import login


            class Predictor(BasePredictor):
                def predict(self, prompt: str = Input(), hf_token: str = Input()) -> str:
                    login(token=hf_token)
                    return prompt
            """,
            line=6,
            column=56,
            expected_replacement="""
            from cog import BasePredictor, Input, Secret
            from huggingface_hub import login


            class Predictor(BasePredictor):
                def predict(self, prompt: str = Input(), hf_token: Secret = Input()) -> str:
                    login(token=hf_token.get_secret_value())
                    return prompt
            """,
        ),
        Invalid(
            """
            import os
            from typing import Optional

            import cog


            def train(data: cog.Path, wandb_api_key: Optional[str] = cog.Input(default=None)) -> None:
                if wandb_api_key is not None:
                    os.environ["WANDB_API_KEY"] = wandb_api_key
            """,
            line=7,
            column=42,
            expected_replacement="""
            import os
            from typing import Optional

            import cog


            def train(data: cog.Path, wandb_api_key: Optional[cog.Secret] = cog.Input(default=None)) -> None:
                if wandb_api_key is not None:
                    os.environ["WANDB_API_KEY"] = wandb_api_key.get_secret_value()
            """,
        ),
        # A quoted annotation: the same fix, inside the quotes.
        Invalid(
            """
            from cog import BasePredictor, Input


            class Predictor(BasePredictor):
                def predict(self, openai_api_key: "str" = Input()) -> str:
                    return len(openai_api_key) > 0 and "ok" or "empty"
            """,
            line=5,
            column=39,
            expected_replacement="""
            from cog import BasePredictor, Input, Secret


            class Predictor(BasePredictor):
                def predict(self, openai_api_key: "Secret" = Input()) -> str:
                    return len(openai_api_key.get_secret_value()) > 0 and "ok" or "empty"
            """,
        ),
    )
    VALID = (
        Valid(
            """
            from cog import BasePredictor, Input, Secret
            from huggingface_hub import login


            class Predictor(BasePredictor):
                def predict(self, prompt: str = Input(), hf_token: Secret = Input()) -> str:
                    login(token=hf_token.get_secret_value())
                    return prompt
            """
        ),
        # Text inputs whose names only mention tokens.
        Valid(
            """
            from cog import BasePredictor, Input


            class Predictor(BasePredictor):
                def predict(
                    self,
                    prompt: str = Input(),
                    eos_token: str = Input(default="</s>"),
                    replace_token: str = Input(default="sks"),
                    sort_key: str = Input(default="date"),
                ) -> str:
                    return prompt + eos_token + replace_token + sort_key
            """
        ),
    )

    def check(self, context: RuleContext) -> Iterator[Candidate]:
        cog = context.cog
        if cog is None:
            return
        from lint_secrets.cog_analysis import AnnotationKind  # loaded by `context.cog`: a cog file

        for parameter in cog.parameters:
            annotation = parameter.node.annotation
            if parameter.kind is not AnnotationKind.STR or annotation is None:
                continue
            if not secret_sounding_name(parameter.name):
                continue
            fix: Optional[DeclareSecretPlan] = None
            if (
                cog.secret is not None
                and parameter.str_node is not None
                and parameter.string_uses is not None
            ):
                fix = DeclareSecretPlan(
                    parameter.str_node,
                    cog.secret.name,
                    parameter.string_uses,
                    cog.secret.import_from,
                    parameter.str_in_quotes,
                )
            no_fix = ""
            if fix is None:
                why = parameter.unconvertible or "nothing in this file names cog's Secret"
                no_fix = f" (no automatic fix: {why})"
            yield Candidate(
                self.code,
                annotation,
                "",
                f"Input {parameter.name!r} of {parameter.function}() is named like a credential but typed "
                f"str: Replicate neither redacts its value nor shows a password field; declare it as "
                f"cog's Secret{no_fix}",
                input=parameter.name,
                call_line=parameter.node.lineno,
                call_end_line=parameter.end_line,
                fix=fix,
            )
