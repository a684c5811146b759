"""cog predictors and trainers: credentials typed str (RS201), shipped as defaults (RS202),
and Secret values printed, logged, returned or written (RS203); with their negative twins."""

import logging
import os
import sys
from pathlib import Path as LocalPath
from typing import Optional, Union

import cog
from cog import BasePredictor, Input, Secret

MODEL_NAME = os.environ.get("MODEL_NAME", "stabilityai/sdxl")
logger = logging.getLogger(__name__)


class Predictor(BasePredictor):
    def setup(self, weights: Optional[str] = None) -> None:
        self.weights = weights

    def predict(
        self,
        prompt: str = Input(description="Prompt", default="an astronaut riding a horse"),
        negative_prompt: str = Input(default="blurry"),
        max_tokens: int = Input(default=512),
        eos_token: str = Input(default="</s>"),
        model_name: str = Input(default=MODEL_NAME),
        commit_sha: str = Input(default="3c858f60d836e6bab4e39766fd139037774f07ab"),
        hf_token: str = Input(default="hf_FAKEf406a18d98"),  # expect: RS201:19 hf_token, RS202:39 hf_token
        openai_api_key: Optional[str] = Input(default=None),  # expect: RS201:25 openai_api_key
        civitai_api_token: Union[str, None] = None,  # expect: RS201:28 civitai_api_token
        wandb_api_key: Secret = Input(default="0123456789abcdef7654"),  # expect: RS202:47 wandb_api_key
        replicate_api_token: Secret = Input(default=None),
        license_key: Secret = Input(default="your-license-key-here"),
        password: Secret = Input(),
    ) -> dict:
        token = replicate_api_token.get_secret_value()
        print("replicate token:", token)  # expect: RS203:35 replicate_api_token
        logger.info("key %s", wandb_api_key.get_secret_value())  # expect: RS203:31 wandb_api_key
        logging.warning(f"password={password.get_secret_value()}")  # expect: RS203:25 password
        sys.stdout.write("auth: " + token + "\n")  # expect: RS203:26 replicate_api_token
        with open("/tmp/key", "w") as handle:
            handle.write(license_key.get_secret_value())  # expect: RS203:26 license_key
        LocalPath("/tmp/pw").write_text(password.get_secret_value())  # expect: RS203:41 password
        # A Secret prints as **********; its length, hash or presence says nothing of it.
        print("token set:", replicate_api_token, bool(token), len(token))
        logger.info("license %s", license_key)
        os.environ["REPLICATE_API_TOKEN"] = token
        if openai_api_key:
            os.environ["OPENAI_API_KEY"] = openai_api_key

        def helper() -> str:
            return token

        return {"prompt": prompt, "auth": {"token": token}}  # expect: RS203:53 replicate_api_token


def train(
    input_images: cog.Path = cog.Input(description="Images"),
    hub_token: cog.Secret = cog.Input(default="hf_FAKEtrain0123456789"),  # expect: RS202:47 hub_token
    api_key: str = cog.Input(default=""),  # expect: RS201:14 api_key
) -> str:
    return f"trained with {hub_token.get_secret_value()}"  # expect: RS203:12 hub_token


def helper(hf_token: str = "hf_FAKEhelperT0kenN0tReal1234567890ab") -> str:
    # Not a model input: no Input(...) parameter, not a predictor's method.
    return hf_token


class Settings:
    def predict(self, api_token: str) -> str:
        return api_token


def train_with_keys(
    images: cog.Path = cog.Input(),
    tracker_keys: list[Secret] = cog.Input(),
    hf_token: "Secret" = cog.Input(),
    replace_token: str = cog.Input(default="sks"),
    github_pat: str = cog.Input(),  # expect: RS201:17 github_pat
) -> str:
    for key in tracker_keys:
        logger.info("tracker %s", key)  # a Secret: **********
        print(key.get_secret_value())  # expect: RS203:15 tracker_keys
    token = hf_token.get_secret_value()
    os.environ["HF_TOKEN"] = token
    for token in ["a", "b"]:
        print(token)  # rebound: text
    alias = hf_token
    print(alias.get_secret_value()[:4], len(alias.get_secret_value()))
    return f"{alias.get_secret_value()}"  # expect: RS203:12 hf_token
