"""RS203 secret-value-exposed."""

from __future__ import annotations

from typing import Iterator

from lint_secrets.rules.base import Candidate, Invalid, Rule, RuleContext, Valid


class SecretValueExposed(Rule):
    """Finds the value of a cog `Secret` input (or of a credential the predictor reads from
    the environment) printed, logged, raised, put on a command line, returned or written to a file.

    Replicate redacts a `Secret` input in the prediction's record, and a `Secret`
    prints as `**********`. Its value (`x.get_secret_value()`, a name bound to it at
    that point of the function, or text built from it) is plain text again: passed to
    `print`, `pprint`, a `logging` call or a logger's methods (loguru's too),
    `warnings.warn`, `sys.stdout.write` / `sys.stderr.write`, put in the message of a
    raised exception, returned or yielded from `predict` (directly or inside a returned
    structure), or written with `open(...).write`, `json.dump` or `Path.write_text`, it
    lands in the prediction's logs, error or output, which Replicate keeps and shows
    unredacted. Replicate redacts the input, not your logs. A value read from a
    credential's environment variable (`os.environ["HF_TOKEN"]`, by the name, as RS104
    decides) is followed the same way.

    A predictor's methods share `self`: a value kept there by one method (`self.token =
    os.environ["HF_TOKEN"]` in `setup`, `self.token = hf_token.get_secret_value()` in
    `predict`) is followed into the others. A value on a command line
    (`subprocess.run([..., "--token", token])`, `os.system(f"... {token}")`) is visible to
    every user of the machine in `ps`, and a failed command's error repeats it in the logs:
    pass it in the command's environment (`env=`) or on its standard input, which are not
    reported. A rebound name no longer holds it; a length, a test, a hash or a prefix does
    not show it; what a client built with the key returns is not the key; a helper method's
    `return` is not the model's output. Not fixable: log that the secret is set, not what it is.
    """

    code = "RS203"
    name = "secret-value-exposed"
    summary = (
        "The value of a cog Secret input is printed, logged, raised, put on a command line, returned "
        "or written to a file"
    )
    fixable = False
    imports = ("cog",)
    precision = "medium"
    security_severity = "7.0"
    cwe = "CWE-532"  # Insertion of Sensitive Information into Log File (and the output)

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
        # Kept on self by setup(), logged by predict().
        Invalid(
            """
            import logging
            import os

            from cog import BasePredictor


            class Predictor(BasePredictor):
                def setup(self) -> None:
                    self.token = os.environ["HF_TOKEN"]

                def predict(self, prompt: str) -> str:
                    logging.info("downloading with %s", self.token)
                    return prompt
            """,
            line=12,
            column=45,
        ),
        # On a command line: `ps` shows it.
        Invalid(
            """
            import subprocess

            from cog import BasePredictor, Input, Secret


            class Predictor(BasePredictor):
                def predict(self, hf_token: Secret = Input()) -> str:
                    subprocess.run(["huggingface-cli", "login", "--token", hf_token.get_secret_value()])
                    return "ok"
            """,
            line=8,
            column=64,
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
        # A prefix kept on self, and the value given to a command in its environment.
        Valid(
            """
            import os
            import subprocess

            from cog import BasePredictor


            class Predictor(BasePredictor):
                def setup(self) -> None:
                    self.token = os.environ["HF_TOKEN"]
                    print(f"token {self.token[:4]}...")

                def predict(self, prompt: str) -> str:
                    subprocess.run(["huggingface-cli", "download", "org/model"], env={"HF_TOKEN": self.token})
                    return prompt
            """
        ),
    )

    def check(self, context: RuleContext) -> Iterator[Candidate]:
        cog = context.cog
        if cog is None:
            return
        for exposure in cog.exposures:
            around = exposure.around if exposure.around is not None else exposure.node
            source = (
                f"environment variable {exposure.parameter}"
                if exposure.from_environment
                else f"Secret input {exposure.parameter!r}"
            )
            yield Candidate(
                self.code,
                exposure.node,
                "",
                f"The value of {source} goes to {exposure.how}: {exposure.why}",
                input=exposure.parameter,
                call_line=getattr(around, "lineno", None),
                call_end_line=getattr(around, "end_lineno", None),
                fix=None,
            )
