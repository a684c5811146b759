"""RS203 secret-value-exposed."""

from __future__ import annotations

from typing import Iterator

from lint_secrets.rules.base import Candidate, Invalid, Rule, RuleContext, Valid


class SecretValueExposed(Rule):
    """Finds the value of a cog `Secret` input printed, logged, returned or written to a file.

    Replicate redacts a `Secret` input in the prediction's record, and a `Secret`
    prints as `**********`. Its value (`x.get_secret_value()`, a name bound to it at
    that point of the function, or text built from it) is plain text again: passed to
    `print`, `pprint`, a `logging` call or a logger's methods (loguru's too),
    `warnings.warn`, `sys.stdout.write` / `sys.stderr.write`, returned or yielded from
    `predict` (directly or inside a returned structure), or written with
    `open(...).write`, `json.dump` or `Path.write_text`, it lands in the prediction's logs
    or output, which Replicate keeps and shows unredacted. Replicate redacts the input, not
    your logs. A rebound name no longer holds it; a length, a test, a hash or a prefix does
    not show it; what a client built with the key returns is not the key. Not fixable: log
    that the secret is set, not what it is.
    """

    code = "RS203"
    name = "secret-value-exposed"
    summary = "The value of a cog Secret input is printed, logged, returned or written to a file"
    fixable = False
    imports = ("cog",)
    precision = "medium"
    security_severity = "7.0"
    cwe = "CWE-532"  # Insertion of Sensitive Information into Log File (and the output)
    sarif_level = "error"

    INVALID = (
        Invalid(
            """
            import logging

            from cog import BasePredictor, Input, Secret

            logger = logging.getLogger(__name__)


            class Predictor(BasePredictor):
                def predict(self, prompt: str = Input(), hf_token: Secret = Input()) -> str:
                    token = hf_token.get_secret_value()
                    logger.info(f"logging in with {token}")
                    return prompt
            """,
            line=11,
            column=21,
        ),
        Invalid(
            """
            from cog import BasePredictor, Input, Secret


            class Predictor(BasePredictor):
                def predict(self, api_key: Secret = Input()) -> dict:
                    return {"status": "ok", "key": api_key.get_secret_value()}
            """,
            line=6,
            column=40,
        ),
    )
    VALID = (
        Valid(
            """
            import logging

            from cog import BasePredictor, Input, Secret
            from huggingface_hub import login

            logger = logging.getLogger(__name__)


            class Predictor(BasePredictor):
                def predict(self, prompt: str = Input(), hf_token: Secret = Input()) -> str:
                    logger.info("logging in with %s", hf_token)  # a Secret prints as **********
                    login(token=hf_token.get_secret_value())
                    return prompt
            """
        ),
        Valid(
            """
            from cog import BasePredictor, Input, Secret


            class Predictor(BasePredictor):
                def predict(self, prompt: str = Input(), api_key: Secret = Input()) -> str:
                    print(f"prompt: {prompt}, key set: {bool(api_key.get_secret_value())}")
                    return prompt
            """
        ),
        # A name rebound to other text, and what a client made with the key returns.
        Valid(
            """
            from typing import Iterator

            from cog import BasePredictor, Input, Secret
            from openai import OpenAI


            class Predictor(BasePredictor):
                def predict(self, prompt: str = Input(), openai_api_key: Secret = Input()) -> Iterator[str]:
                    text = openai_api_key.get_secret_value()
                    client = OpenAI(api_key=text)
                    for text in client.completions.create(model="m", prompt=prompt, stream=True):
                        print(text)
                        yield text
            """
        ),
    )

    def check(self, context: RuleContext) -> Iterator[Candidate]:
        cog = context.cog
        if cog is None:
            return
        for exposure in cog.exposures:
            around = exposure.around if exposure.around is not None else exposure.node
            yield Candidate(
                self.code,
                exposure.node,
                "",
                f"The value of Secret input {exposure.parameter!r} goes to {exposure.how}: Replicate "
                f"redacts the input, not the logs or output",
                input=exposure.parameter,
                call_line=getattr(around, "lineno", None),
                call_end_line=getattr(around, "end_lineno", None),
                fix=None,
            )
