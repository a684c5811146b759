"""RS202 secret-input-default."""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING, Iterator, Optional, Tuple

from lint_secrets.heuristics import is_placeholder, secret_sounding_name
from lint_secrets.redact import redact
from lint_secrets.rules.base import Candidate, Invalid, RemoveInputDefaultPlan, Rule, RuleContext, Valid

if TYPE_CHECKING:
    from lint_secrets.cog_analysis import CogParameter

# Example credentials, put together at run time: no token-shaped literal in this file.
_EXAMPLE_HF_TOKEN = "hf_" + "".join(reversed("sc0DroFn3koTelpmaxE0laeRtoNyeK"))
_EXAMPLE_OPENAI_KEY = "sk-" + "".join(reversed("sc0DroFyeKelpmaxE0laeRtoN"))


class SecretInputDefault(Rule):
    """Finds credentials written as the default of a cog model input.

    A `Secret` input, or a `str` input named like a credential, with a credential as its
    default (`hf_token: Secret = Input(default="hf_...")`, also written as a constant,
    `default=DEFAULT_TOKEN`, or built from literals): the default ships in the model's
    image and Replicate publishes it in the model's OpenAPI schema, where anyone who can
    see the model reads it. Public predictors do this. Placeholders (`""`, `"your-token"`,
    `"<token>"`...) are not findings. Rotate the credential, and let callers pass it.

    The fix (unsafe: the input becomes required) removes the default; an optional input
    (`Optional[Secret]`, `Secret | None`) gets `default=None` instead. A `str` input gets
    RS201 as well: a second mistake, with its own fix.
    """

    code = "RS202"
    name = "secret-input-default"
    summary = "A credential is the default of a cog model input: it is published in the model's schema"
    fixable = True
    fix_kinds = ("secret-input-default",)
    imports = ("cog",)
    precision = "high"
    security_severity = "8.0"

    INVALID = (
        Invalid(
            f"""
            from cog import BasePredictor, Input, Secret


            class Predictor(BasePredictor):
                def predict(
                    self,
                    prompt: str = Input(description="Prompt"),
                    hf_token: Secret = Input(description="Hugging Face token", default="{_EXAMPLE_HF_TOKEN}"),
                ) -> str:
                    return prompt
            """,
            line=8,
            column=76,
            expected_replacement="""
            from cog import BasePredictor, Input, Secret


            class Predictor(BasePredictor):
                def predict(
                    self,
                    prompt: str = Input(description="Prompt"),
                    hf_token: Secret = Input(description="Hugging Face token"),
                ) -> str:
                    return prompt
            """,
        ),
        Invalid(
            f"""
            from typing import Optional

            from cog import BasePredictor, Input, Secret


            class Predictor(BasePredictor):
                def predict(self, openai_api_key: Optional[Secret] = Input(default="{_EXAMPLE_OPENAI_KEY}")):
                    return "ok"
            """,
            line=7,
            column=72,
            expected_replacement="""
            from typing import Optional

            from cog import BasePredictor, Input, Secret


            class Predictor(BasePredictor):
                def predict(self, openai_api_key: Optional[Secret] = Input(default=None)):
                    return "ok"
            """,
        ),
        # A default written as a constant is the credential it holds.
        Invalid(
            f"""
            from cog import BasePredictor, Input, Secret

            DEFAULT_TOKEN = "{_EXAMPLE_HF_TOKEN}"


            class Predictor(BasePredictor):
                def predict(self, hf_token: Secret = Input(default=DEFAULT_TOKEN)) -> str:
                    return "ok"
            """,
            line=7,
            column=56,
            expected_replacement=f"""
            from cog import BasePredictor, Input, Secret

            DEFAULT_TOKEN = "{_EXAMPLE_HF_TOKEN}"


            class Predictor(BasePredictor):
                def predict(self, hf_token: Secret = Input()) -> str:
                    return "ok"
            """,
        ),
    )
    VALID = (
        Valid(
            """
            from cog import BasePredictor, Input, Secret


            class Predictor(BasePredictor):
                def predict(self, hf_token: Secret = Input(description="Hugging Face token")) -> str:
                    return "ok"
            """
        ),
        # Placeholders, and defaults of inputs that are not credentials.
        Valid(
            """
            from typing import Optional

            from cog import BasePredictor, Input, Secret


            class Predictor(BasePredictor):
                def predict(
                    self,
                    model_name: str = Input(default="meta-llama/Llama-2-7b-hf"),
                    hf_token: Optional[Secret] = Input(default=None),
                    api_key: Secret = Input(default="your-api-key-here"),
                ) -> str:
                    return model_name
            """
        ),
    )

    def check(self, context: RuleContext) -> Iterator[Candidate]:
        cog = context.cog
        if cog is None:
            return
        from lint_secrets.cog_analysis import AnnotationKind  # loaded by `context.cog`: a cog file

        for parameter in cog.parameters:
            if parameter.kind is AnnotationKind.STR:
                if not secret_sounding_name(parameter.name):
                    continue
            elif parameter.kind is not AnnotationKind.SECRET:
                continue
            found = _default_value(context, parameter)
            if found is None:
                continue
            node, value, via = found
            fix: Optional[RemoveInputDefaultPlan] = None
            if parameter.default_argument is not None:
                fix = RemoveInputDefaultPlan(parameter.default_argument, to_none=parameter.optional)
            yield Candidate(
                self.code,
                node,
                value,
                f"Input {parameter.name!r} of {parameter.function}() has the credential "
                f"{redact(value)!r}{via} as its default: it ships in the image and is published in the "
                f"model's OpenAPI schema; remove the default and rotate the credential",
                input=parameter.name,
                call_line=parameter.node.lineno,
                call_end_line=parameter.end_line,
                fix=fix,
            )


def _default_value(context: RuleContext, parameter: CogParameter) -> Optional[Tuple[ast.expr, str, str]]:
    """Where the default is written, the credential it is, and how it gets there (" (via NAME)"):
    a literal, or what the code says a name or an f-string evaluates to; None for no default,
    a placeholder, or a value the code doesn't say."""
    literal = parameter.default
    if isinstance(literal, ast.Constant) and isinstance(literal.value, str):
        return None if is_placeholder(literal.value) else (literal, literal.value, "")
    expression = parameter.default_expression
    sdk = context.analysis.sdk
    if expression is None or sdk is None or parameter.definition is None:
        return None
    if isinstance(expression, ast.Constant):
        return None  # None, a number
    inside = sdk.values.scope_of(parameter.definition)
    if inside is None or inside.parent is None:
        return None
    # A default is evaluated where the function is defined, when it is defined.
    for site in sdk.values.sites(expression, inside.parent, parameter.definition.lineno):
        if not is_placeholder(site.value):
            return expression, site.value, f" (via {site.binding})" if site.binding else ""
    return None
