"""Callers' secret handling (issue 15): a secret read from a credential's environment
variable sent to an input the schema does not redact (RS104); a call that lacks a secret
input the model requires (RS106). Negative twins sit beside each positive."""

import os
from os import environ, getenv

import replicate
from pydantic_settings import BaseSettings

WHISPER = "example/whisper-diarize"  # `huggingface_access_token` is a plain string input
TTS = "example/text-to-speech"  # `elevenlabs_api_key` is secret and required
H = "huggingface_access_token"
HF_TOKEN = os.environ["HF_TOKEN"]
MODEL_NAME = os.environ["MODEL_NAME"]


class Settings(BaseSettings):
    huggingface_token: str
    model_name: str = "large-v3"


class Config:
    HF = os.getenv("HUGGING_FACE_HUB_TOKEN")
    LANGUAGE = os.getenv("WHISPER_LANGUAGE")


settings = Settings()

# RS104: each way of reading the environment
replicate.run(WHISPER, input={H: os.environ["HF_TOKEN"]})  # expect: RS104:34 huggingface_access_token
replicate.run(WHISPER, input={H: os.environ.get("HF_TOKEN")})  # expect: RS104:34 huggingface_access_token
replicate.run(WHISPER, input={H: os.getenv("HF_TOKEN", "")})  # expect: RS104:34 huggingface_access_token
replicate.run(WHISPER, input={H: environ["HF_TOKEN"]})  # expect: RS104:34 huggingface_access_token
replicate.run(WHISPER, input={H: getenv("REPLICATE_API_TOKEN")})  # expect: RS104:34 huggingface_access_token
replicate.run(WHISPER, input={H: getenv("HF_TOKEN") or ""})  # expect: RS104:34 huggingface_access_token
replicate.run(
    TTS,
    input={
        "text": os.environ["DB_PASSWORD"],  # expect: RS104:17 text
        "elevenlabs_api_key": os.environ["EL_API_KEY"],
    },
)
# A password field that is not a cog Secret is not redacted either
replicate.run(
    "example/official-chat",
    input={"session_password": os.environ["CHAT_PASSWORD"]},  # expect: RS104:32 session_password
)
# ... and through a name, a class attribute, a settings field
replicate.run(WHISPER, input={H: HF_TOKEN})  # expect: RS104:34 huggingface_access_token
replicate.run(WHISPER, input={H: Config.HF})  # expect: RS104:34 huggingface_access_token
replicate.run(WHISPER, input={H: settings.huggingface_token})  # expect: RS104:34 huggingface_access_token
replicate.use(WHISPER)(huggingface_access_token=HF_TOKEN)  # expect: RS104:49 huggingface_access_token
# Not credentials' names, or not read from the environment: no finding
replicate.run(WHISPER, input={"language": MODEL_NAME, "audio_file": os.environ["AUDIO_URL"]})
replicate.run(WHISPER, input={"language": Config.LANGUAGE, "diarization": os.environ["MAX_TOKENS"]})
replicate.run(WHISPER, input={"language": settings.model_name})
# A secret input is redacted; a model with no cached schema can't be judged
replicate.run(TTS, input={"text": "hi", "elevenlabs_api_key": os.environ["ELEVENLABS_API_KEY"]})
replicate.run("acme/uncached", input={"hf_token": os.environ["HF_TOKEN"]})


def local_name() -> None:
    token = os.environ["HF_TOKEN"]
    replicate.run(WHISPER, input={H: token})  # expect: RS104:38 huggingface_access_token


def parameter_default(token: str = os.environ["HF_TOKEN"]) -> None:
    replicate.run(WHISPER, input={H: token})  # expect: RS104:38 huggingface_access_token


def parameter(token: str) -> None:
    replicate.run(WHISPER, input={H: token})


def key_set_later() -> None:
    inputs = {"audio_file": "a.wav"}
    inputs[H] = os.environ["HF_TOKEN"]  # expect: RS104:17 huggingface_access_token
    replicate.run(WHISPER, input=inputs)


class Transcriber:
    def __init__(self) -> None:
        self.token = os.environ["HF_TOKEN"]

    def run(self) -> None:
        replicate.run(WHISPER, input={H: self.token})  # expect: RS104:42 huggingface_access_token


# RS106: the required secret is not passed, or is misspelt
replicate.run(TTS, input={"text": "hi"})  # expect: RS106:26 elevenlabs_api_key
replicate.run(
    TTS,
    input={"text": "hi", "elevenlabs_api_kye": os.environ["EL_KEY"]},  # expect: RS106:26 elevenlabs_api_key
)
replicate.use(TTS)(text="hi")  # expect: RS106:1 elevenlabs_api_key
replicate.run(
    TTS,
    input=dict(text="hi", elevenlabs_api_ky=os.environ["EL_KEY"]),  # expect: RS106:27 elevenlabs_api_key
)
# Passed, possibly: no finding
replicate.use(TTS)(text="hi", elevenlabs_api_key=os.environ["ELEVENLABS_API_KEY"])
replicate.run(TTS, input={"text": "hi", "elevenlabs_api_key": None})


def spread_from_elsewhere(credentials: dict) -> None:
    replicate.run(TTS, input={"text": "hi", **credentials})  # expect: RS100:5
    replicate.run(TTS, input=credentials)  # expect: RS100:5
    replicate.use(TTS)(text="hi", **credentials)  # expect: RS100:5


# A module-level dict another function fills: what it holds at the call is not in the code.
TTS_INPUTS = {"text": "hi"}
TTS_DEFAULTS = {"text": "hi"}


def setup() -> None:
    TTS_INPUTS["elevenlabs_api_key"] = os.environ["ELEVENLABS_API_KEY"]


def speak() -> None:
    replicate.run(TTS, input=TTS_INPUTS)
    replicate.run(TTS, input=TTS_DEFAULTS)


def configure() -> None:
    TTS_DEFAULTS.update(elevenlabs_api_key=os.environ["ELEVENLABS_API_KEY"])


# Merged, copied, returned: values.py's inputs, each followed to the environment.
def merged() -> None:
    b = {"audio_file": "a.wav"}
    replicate.run(WHISPER, input=b | {H: os.environ["HF_TOKEN"]})  # expect: RS104:42 huggingface_access_token
    replicate.run(
        WHISPER,
        input=dict(b.copy(), huggingface_access_token=HF_TOKEN),  # expect: RS104:55 huggingface_access_token
    )


def built_elsewhere(args: list, kwargs: dict) -> None:
    replicate.run(TTS, input=build_inputs())  # expect: RS106:30 elevenlabs_api_key
    replicate.run(*args, **kwargs)  # expect: RS100:5
    replicate.run(TTS, input={"text": "hi"}, **kwargs)


def filled_in(key: str) -> None:
    by_update = {"text": "hi"}
    by_update.update(elevenlabs_api_key=os.environ["ELEVENLABS_API_KEY"])
    replicate.run(TTS, input=by_update)
    by_unknown_key = {"text": "hi"}
    by_unknown_key[key] = os.environ["ELEVENLABS_API_KEY"]
    replicate.run(TTS, input=by_unknown_key)  # expect: RS100:5
    by_setdefault = {"text": "hi"}
    by_setdefault.setdefault("elevenlabs_api_key", os.environ["EL_KEY"])
    replicate.run(TTS, input=by_setdefault)
    by_helper = {"text": "hi"}
    add_credentials(by_helper)
    replicate.run(TTS, input=by_helper)


def add_credentials(inputs: dict) -> None:
    inputs["elevenlabs_api_key"] = os.environ["EL_KEY"]


def build_inputs() -> dict:
    return {}
