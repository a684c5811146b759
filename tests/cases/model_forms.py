"""Every way of naming the model: each resolves to a cached schema."""

import enum

import replicate
from pydantic_settings import BaseSettings

OWNER = "example"
NAME = "text-to-speech"
MODEL = "example/text-to-speech"
OWNER_NAME = ("example", "text-to-speech")
OLD_ID = "d1c63ad43abac21d916d0b6f1b983d96ebe29c587ac8fc04df07b7a16e2c5fe6"
LATEST_ID = "f03c922a7b4f838b5a51b41f1909a637f9aa81916a7d01c8fad095069847e91c"
FIRST, SECOND = "example/text-to-speech", "example/official-chat"

replicate.run(
    "example/text-to-speech",
    input={"elevenlabs_api_key": "el-FAKE-0d1b2c3d4e5f"},  # expect: RS101:34 elevenlabs_api_key
)
replicate.run(MODEL, input={"elevenlabs_api_key": "el-FAKE-1d1b2c3d4"})  # expect: RS101:51 elevenlabs_api_key
replicate.run(FIRST, input={"elevenlabs_api_key": "el-FAKE-2d1b2c3d4"})  # expect: RS101:51 elevenlabs_api_key
replicate.run(SECOND, input={"session_password": "hunter2-FAKE-2d1b"})  # expect: RS101:50 session_password
replicate.run(SECOND, input={"elevenlabs_api_key": "el-FAKE-not-an-input-of-chat"})
replicate.run(
    f"{OWNER}/{NAME}",
    input={"elevenlabs_api_key": "el-FAKE-3d1b2c3d4e5f"},  # expect: RS101:34 elevenlabs_api_key
)
replicate.run(
    OWNER + "/" + NAME,
    input={"elevenlabs_api_key": "el-FAKE-4d1b2c3d4e5f"},  # expect: RS101:34 elevenlabs_api_key
)
replicate.models.predictions.create(
    model=OWNER_NAME,
    input={"elevenlabs_api_key": "el-FAKE-5d1b2c3d4e5f"},  # expect: RS101:34 elevenlabs_api_key
)
replicate.models.predictions.create(
    model=(OWNER, NAME),
    input={"elevenlabs_api_key": "el-FAKE-6d1b2c3d4e5f"},  # expect: RS101:34 elevenlabs_api_key
)

# "owner/name:version" means that version: its secret is `api_key`, not `elevenlabs_api_key`.
replicate.run(f"{MODEL}:{OLD_ID}", input={"api_key": "el-FAKE-7d1b2c3d4e5f"})  # expect: RS101:54 api_key
replicate.run(f"{MODEL}:{OLD_ID}", input={"elevenlabs_api_key": "el-FAKE-not-in-old-version"})
replicate.run(
    MODEL,
    input={"api_key": "el-FAKE-not-in-latest-version"},  # expect: RS106:11 elevenlabs_api_key
)

# A bare version id: whichever cached model has it (a versions/ file or a model's latest_version).
replicate.run(OLD_ID, input={"api_key": "el-FAKE-8d1b2c3d4e5f"})  # expect: RS101:41 api_key
replicate.run(
    LATEST_ID,
    input={"elevenlabs_api_key": "el-FAKE-9d1b2c3d4e5f"},  # expect: RS101:34 elevenlabs_api_key
)
replicate.run(
    LATEST_ID,
    input={"api_key": "el-FAKE-not-in-latest-version"},  # expect: RS106:11 elevenlabs_api_key
)

# A deployment: its current release's version.
replicate.deployments.predictions.create(
    deployment="example/tts-prod",
    input={"elevenlabs_api_key": "el-FAKE-ad1b2c3d4e5f"},  # expect: RS101:34 elevenlabs_api_key
)
replicate.deployments.predictions.create(
    deployment="example/tts-prod",
    input={"api_key": "el-FAKE-not-in-release"},  # expect: RS106:11 elevenlabs_api_key
)


def in_a_function() -> None:
    model = "example/text-to-speech"
    owner, name = "example", "text-to-speech"
    replicate.run(
        model,
        input={"elevenlabs_api_key": "el-FAKE-bd1b2c3d4e5f"},  # expect: RS101:38 elevenlabs_api_key
    )
    replicate.run(
        f"{owner}/{name}",
        input={"elevenlabs_api_key": "el-FAKE-cd1b2c3d4e5f"},  # expect: RS101:38 elevenlabs_api_key
    )


def shadows_the_module_constant() -> None:
    # The local name wins: official-chat has no `elevenlabs_api_key`, and its schema is known.
    MODEL = "example/official-chat"
    replicate.run(MODEL, input={"elevenlabs_api_key": "el-FAKE-not-an-input-of-chat"})


def rebinds_after_the_call() -> None:
    model = "example/official-chat"
    replicate.run(model, input={"elevenlabs_api_key": "el-FAKE-not-an-input-of-chat"})
    model = "example/text-to-speech"
    replicate.run(
        model,
        input={"elevenlabs_api_key": "el-FAKE-ed1b2c3d4e5f"},  # expect: RS101:38 elevenlabs_api_key
    )


# The model from a class attribute, a settings field's default, a dict written out, a
# `str` Enum: the one literal each may hold.
class ModelSettings:
    TTS_MODEL = "example/text-to-speech"


class StrModels(str, enum.Enum):
    SPEECH = "example/text-to-speech"


class AppSettings(BaseSettings):
    tts_model: str = "example/text-to-speech"


app_settings = AppSettings()
MODELS = {"speech": "example/text-to-speech"}

replicate.run(
    ModelSettings.TTS_MODEL,
    input={"elevenlabs_api_key": "el-FAKE-fd1b2c3d4e5f"},  # expect: RS101:34 elevenlabs_api_key
)
replicate.run(
    StrModels.SPEECH,
    input={"elevenlabs_api_key": "el-FAKE-gd1b2c3d4e5f"},  # expect: RS101:34 elevenlabs_api_key
)
replicate.run(
    app_settings.tts_model,
    input={"elevenlabs_api_key": "el-FAKE-hd1b2c3d4e5f"},  # expect: RS101:34 elevenlabs_api_key
)
replicate.run(
    MODELS["speech"],
    input={"elevenlabs_api_key": "el-FAKE-id1b2c3d4e5f"},  # expect: RS101:34 elevenlabs_api_key
)


class Speaker:
    MODEL = "example/text-to-speech"

    def speak(self) -> None:
        replicate.run(
            self.MODEL,
            input={"elevenlabs_api_key": "el-FAKE-jd1b2c3d4e5f"},  # expect: RS101:42 elevenlabs_api_key
        )
