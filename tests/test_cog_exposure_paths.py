"""RS203 beyond one function: a secret kept on `self` by one method of a predictor and shown
by another, credentials read from the environment, exception messages and command lines."""

from __future__ import annotations

import textwrap
from typing import List, Optional, Tuple

import pytest
from conftest import SAMPLE, SCHEMAS, findings

from lint_secrets.checker import CheckOptions, Worker
from lint_secrets.config import Config


def _exposures(source: str) -> List[Tuple[int, Optional[str]]]:
    return [(f.line, f.input) for f in findings(source) if f.code == "RS203"]


def _messages(source: str) -> List[str]:
    return [f.message for f in findings(source) if f.code == "RS203"]


# ---------------------------------------------------------------------------
# A secret kept on self


SETUP_FROM_ENVIRONMENT = """
import logging
import os

from cog import BasePredictor, Input

logger = logging.getLogger(__name__)


class Predictor(BasePredictor):
    def setup(self) -> None:
        self.token = os.environ["HF_TOKEN"]
        self.model_name = os.environ.get("MODEL_NAME", "flux")

    def predict(self, prompt: str = Input()) -> str:
        print(self.token)
        logging.info("%s", self.token)
        logger.info(f"token={self.token}")
        logger.info("model %s", self.model_name)
        return prompt
"""


def test_a_credential_read_in_setup_and_shown_in_predict_is_reported() -> None:
    assert _exposures(SETUP_FROM_ENVIRONMENT) == [(16, "HF_TOKEN"), (17, "HF_TOKEN"), (18, "HF_TOKEN")]
    message = _messages(SETUP_FROM_ENVIRONMENT)[0]
    assert "environment variable HF_TOKEN" in message and "print()" in message


def test_a_secret_input_stored_by_predict_and_logged_by_a_helper_is_reported() -> None:
    source = """
    from cog import BasePredictor, Input, Secret


    class Predictor(BasePredictor):
        def predict(self, prompt: str = Input(), hf_token: Secret = Input()) -> str:
            self.token = hf_token.get_secret_value()
            self.secret = hf_token
            self._download()
            return prompt

        def _download(self) -> None:
            print("downloading with", self.token)
            print("as", self.secret)  # the Secret itself: **********
    """
    assert _exposures(source) == [(13, "hf_token")]


def test_an_attribute_copied_from_another_attribute_is_followed() -> None:
    source = """
    import os

    from cog import BasePredictor


    class Predictor(BasePredictor):
        def setup(self) -> None:
            self.key = os.getenv("OPENAI_API_KEY")

        def _headers(self) -> None:
            self.auth = f"Bearer {self.key}"

        def predict(self) -> str:
            print(self.auth)
            return "ok"
    """
    assert _exposures(source) == [(15, "OPENAI_API_KEY")]


@pytest.mark.parametrize(
    "source",
    [
        # Never a secret: a tokenizer's token, a model name, a path.
        """
        from cog import BasePredictor

        class Predictor(BasePredictor):
            def setup(self) -> None:
                self.token = self.tokenizer.eos_token
                self.name = "flux"

            def predict(self) -> str:
                print(self.token, self.name)
                return self.token
        """,
        # Read from a variable that is no credential, and a credential's path.
        """
        import os
        from cog import BasePredictor

        class Predictor(BasePredictor):
            def setup(self) -> None:
                self.model = os.environ["MODEL_NAME"]
                self.tokens = os.environ["MAX_TOKENS"]
                self.creds = os.environ["GOOGLE_APPLICATION_CREDENTIALS"]

            def predict(self) -> str:
                print(self.model, self.tokens, self.creds)
                return self.model
        """,
        # A redacted prefix, a length, whether it is set, and the attribute rebound first.
        """
        import logging
        import os
        from cog import BasePredictor

        class Predictor(BasePredictor):
            def setup(self) -> None:
                self.token = os.environ["HF_TOKEN"]
                logging.info("token %s...", self.token[:4])
                print(len(self.token), bool(self.token), self.token.startswith("hf_"))

            def predict(self) -> str:
                self.token = "redacted"
                print(self.token)
                return "ok"
        """,
        # The secret stored on self in a class that is not the predictor.
        """
        import os
        from cog import BasePredictor

        class Downloader:
            def __init__(self) -> None:
                self.token = "public"

        class Predictor(BasePredictor):
            def setup(self) -> None:
                self.hf = os.environ["HF_TOKEN"]

            def predict(self) -> str:
                d = Downloader()
                print(d.token)
                return "ok"
        """,
        # Returned from a helper method: that is not the model's output.
        """
        import os
        from cog import BasePredictor

        class Predictor(BasePredictor):
            def setup(self) -> None:
                self.token = os.environ["HF_TOKEN"]

            def _token(self) -> str:
                return self.token

            def predict(self) -> str:
                return "ok"
        """,
    ],
    ids=["never-secret", "not-credential-variables", "prefix-and-rebound", "other-class", "helper-return"],
)
def test_attributes_that_do_not_show_a_secret_are_not_reported(source: str) -> None:
    assert _exposures(source) == []


def test_configured_and_excluded_variable_names_count() -> None:
    source = """
    import os
    from cog import BasePredictor

    class Predictor(BasePredictor):
        def setup(self) -> None:
            self.demo = os.environ["DEMO_TOKEN"]
            self.auth = os.environ["HF_AUTH"]

        def predict(self) -> str:
            print(self.demo, self.auth)
            return "ok"
    """
    config = Config(
        root=SAMPLE,
        schema_dir=SCHEMAS,
        secret_env_names=frozenset({"HF_AUTH"}),
        non_secret_env_names=frozenset({"DEMO_TOKEN"}),
    )
    result = Worker(CheckOptions(config=config)).check_bytes("t.py", textwrap.dedent(source).encode())
    assert [(f.code, f.line, f.input) for f in result.findings] == [("RS203", 11, "HF_AUTH")]
    assert _exposures(source) == [(11, "DEMO_TOKEN")]


# ---------------------------------------------------------------------------
# Exception messages and command lines


def test_a_secret_in_an_exception_message_is_reported() -> None:
    source = """
    from cog import BasePredictor, Input, Secret


    class Predictor(BasePredictor):
        def predict(self, hf_token: Secret = Input()) -> str:
            token = hf_token.get_secret_value()
            if not token.startswith("hf_"):
                raise ValueError(f"not a Hugging Face token: {token}")
            error = RuntimeError("login failed for " + token)
            raise error
    """
    assert _exposures(source) == [(9, "hf_token"), (11, "hf_token")]
    assert "exception" in _messages(source)[0]


def test_exception_messages_without_the_value_are_not_reported() -> None:
    source = """
    import os
    from cog import BasePredictor, Input, Secret


    class Predictor(BasePredictor):
        def predict(self, hf_token: Secret = Input()) -> str:
            token = hf_token.get_secret_value()
            if not token:
                raise ValueError("hf_token is empty")
            if not token.startswith("hf_"):
                raise ValueError(f"not a Hugging Face token: {token[:3]}...")
            if len(token) < 10:
                raise ValueError(f"token too short: {hf_token}")  # the Secret: **********
            try:
                login(token)
            except Exception as exc:
                raise RuntimeError(f"login failed: {exc}") from exc
            return "ok"
    """
    assert _exposures(source) == []


def test_a_secret_on_a_command_line_is_reported_with_the_environment_as_the_remedy() -> None:
    source = """
    import os
    import subprocess
    from subprocess import check_call

    from cog import BasePredictor, Input, Secret


    class Predictor(BasePredictor):
        def predict(self, hf_token: Secret = Input()) -> str:
            token = hf_token.get_secret_value()
            subprocess.run(["huggingface-cli", "login", "--token", token], check=True)
            os.system(f"git clone https://user:{token}@huggingface.co/org/model")
            check_call("wget --header 'Authorization: Bearer " + token + "' https://x", shell=True)
            subprocess.Popen(args=["curl", "-H", f"Authorization: Bearer {token}", "https://x"])
            return "ok"
    """
    assert _exposures(source) == [(12, "hf_token"), (13, "hf_token"), (14, "hf_token"), (15, "hf_token")]
    message = _messages(source)[0]
    assert "command line" in message and "ps" in message and "env" in message


def test_a_secret_given_to_a_command_through_its_environment_or_stdin_is_not_reported() -> None:
    source = """
    import os
    import subprocess

    from cog import BasePredictor, Input, Secret


    class Predictor(BasePredictor):
        def setup(self) -> None:
            self.token = os.environ["HF_TOKEN"]

        def predict(self, hf_token: Secret = Input()) -> str:
            token = hf_token.get_secret_value()
            subprocess.run(["huggingface-cli", "login"], env={**os.environ, "HF_TOKEN": token}, check=True)
            subprocess.run(["docker", "login", "--password-stdin"], input=token.encode(), check=True)
            environment = dict(os.environ, HF_TOKEN=self.token)
            subprocess.run(["huggingface-cli", "download", "org/model"], env=environment)
            os.system("huggingface-cli whoami")
            return "ok"
    """
    assert _exposures(source) == []
