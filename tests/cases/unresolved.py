"""Calls whose model or inputs the code doesn't say: RS100, each one, and nothing else."""

import enum
import os

import replicate
from other_package import DEFAULT_INPUTS, MODELS

TTS = "example/text-to-speech"
KNOWN = {"text": "hi"}


class Model(enum.Enum):
    SPEECH = "example/text-to-speech"


replicate.run(MODELS["train"], input={"text": "hi"})  # expect: RS100:1
replicate.run(Model.SPEECH, input={"text": "hi"})  # expect: RS100:1
replicate.run(TTS, input=DEFAULT_INPUTS)  # expect: RS100:1
replicate.run(TTS, input={**DEFAULT_INPUTS, "text": "hi"})  # expect: RS100:1
replicate.run(TTS, **os.environ)  # expect: RS100:1
# The environment decides the model, or the code holds two: not guessed.
MODEL_FROM_ENV = os.getenv("TTS_MODEL", "example/text-to-speech")
EITHER_MODEL = "example/text-to-speech" if os.getenv("DEBUG") else "example/official-chat"
replicate.run(MODEL_FROM_ENV, input={"text": "hi"})  # expect: RS100:1
replicate.run(EITHER_MODEL, input={"text": "hi"})  # expect: RS100:1


def generate(model, prompt):  # type: ignore[no-untyped-def]
    return replicate.run(model, input={"prompt": prompt})  # expect: RS100:12


def forward(**options):  # type: ignore[no-untyped-def]
    return replicate.run(TTS, input=options)  # expect: RS100:12


def acknowledged(model):  # type: ignore[no-untyped-def]
    return replicate.run(model, input={"text": "hi"})  # noqa: RS100


# Worked out: no RS100.
replicate.run(TTS, input={"text": "hi"})  # expect: RS106:26 elevenlabs_api_key
replicate.run(TTS, input=KNOWN)  # expect: RS106:26 elevenlabs_api_key
replicate.run(TTS, input={**KNOWN, "speed": 1.0})  # expect: RS106:26 elevenlabs_api_key
replicate.run(TTS)  # expect: RS106:1 elevenlabs_api_key
replicate.run(TTS, input=None)  # expect: RS106:26 elevenlabs_api_key
