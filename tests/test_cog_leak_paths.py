"""RS203 on predictor shapes from an adversarial review: a field of an object built with the
value, the tail of the value (`t[4:]`), and an `assert`'s message; each with the twins that must
stay quiet."""

from __future__ import annotations

from pathlib import Path
from typing import List, Tuple

import pytest
from conftest import findings

from lint_secrets.cli import main


def _exposures(source: str) -> List[Tuple[int, int]]:
    return [(f.line, f.column) for f in findings(source) if f.code == "RS203"]


FIELD_OF_A_CONFIG = """
import os
from dataclasses import dataclass

from cog import BasePredictor, Input, Secret
from openai import OpenAI


@dataclass
class Config:
    token: str
    model: str


class Predictor(BasePredictor):
    def setup(self) -> None:
        self.config = Config(token=os.environ["HF_TOKEN"], model="flux")
        self.client = OpenAI(api_key=os.environ["OPENAI_API_KEY"])

    def predict(self, hf_token: Secret = Input()) -> str:
        config = Config(hf_token.get_secret_value(), model="x")
        print(config.model, self.config.model, self.client.base_url)
        print(self.config.token)
        print(config.token)
        print(self.client.api_key)
        return "ok"
"""


def test_the_field_an_object_was_built_with_is_the_value_its_other_fields_are_not() -> None:
    # `Config(hf_token..., model=...)` passes the value by position: no field is known to hold it.
    assert _exposures(FIELD_OF_A_CONFIG) == [(23, 15), (25, 15)]


TAILS = """
import os

from cog import BasePredictor, Input, Secret


class Predictor(BasePredictor):
    def setup(self) -> None:
        self.auth = "Bearer " + os.environ["HF_TOKEN"][3:]

    def predict(self, api_key: Secret = Input()) -> str:
        key = api_key.get_secret_value()
        print(key[:4], key[-4:], key[0], key[2:6])
        print(self.auth)
        print(key[len("sk-"):])
        print(key[::-1])
        return "ok"
"""


def test_a_slice_without_an_end_shows_the_rest_of_the_value_a_prefix_or_suffix_does_not() -> None:
    assert _exposures(TAILS) == [(14, 15), (15, 15), (16, 15)]


ASSERTION = """
import os

from cog import BasePredictor, Input, Secret


class Predictor(BasePredictor):
    def predict(self, hf_token: Secret = Input()) -> str:
        token = hf_token.get_secret_value()
        assert token.startswith("hf_"), f"not a Hugging Face token: {token}"
        assert token, "HF token missing"
        assert len(token) > 8, f"token too short: {len(token)} characters"
        return "ok"
"""


def test_the_value_in_an_assert_message_is_reported_like_a_raise() -> None:
    assert _exposures(ASSERTION) == [(10, 41)]


def test_the_diff_of_a_quoted_annotation_shows_what_it_was(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # RS201 points at a type's name, not at a secret: `--diff` shows `-"str"` / `+"Secret"`, not
    # `-"…"`, as the `full` format does (UNMASKED_CODES).
    (tmp_path / "pyproject.toml").write_text("[tool.lint-secrets]\n", encoding="utf-8")
    path = tmp_path / "predict.py"
    path.write_text(
        "from cog import BasePredictor, Input\n"
        "\n"
        "\n"
        "class Predictor(BasePredictor):\n"
        '    def predict(self, hf_token: "str" = Input(description="HF token")) -> str:\n'
        "        return 'ok'\n",
        encoding="utf-8",
    )
    main(["check", "--diff", "--unsafe-fixes", str(path)])
    out = capsys.readouterr().out
    assert '-    def predict(self, hf_token: "str" = Input(description="HF token")) -> str:' in out
    assert '+    def predict(self, hf_token: "Secret" = Input(description="HF token")) -> str:' in out
