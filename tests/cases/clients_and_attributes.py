"""Clients from factories, properties and annotated parameters; values held in attributes."""

import functools
import os
from dataclasses import dataclass
from typing import Optional

import replicate
from pydantic import BaseModel
from pydantic_settings import BaseSettings

TTS = "example/text-to-speech"


def get_client():  # type: ignore[no-untyped-def]
    return replicate.Client()


@functools.lru_cache
def cached_client():  # type: ignore[no-untyped-def]
    return replicate.Client()


get_client().run(TTS, input={"elevenlabs_api_key": "el-FAKE-f1"})  # expect: RS101:52 elevenlabs_api_key
cached_client().run(TTS, input={"elevenlabs_api_key": os.environ["ELEVENLABS_API_KEY"]})


def with_client(client: replicate.Client, other: Optional[replicate.Client], third: "object") -> None:
    client.run(TTS, input={"elevenlabs_api_key": "el-FAKE-param-1a2b"})  # expect: RS101:50 elevenlabs_api_key
    other.run(TTS, input={"elevenlabs_api_key": "el-FAKE-param-2a2b"})  # expect: RS101:49 elevenlabs_api_key
    third.run(TTS, input={"elevenlabs_api_key": "el-FAKE-not-a-client"})


class Speaker:
    VOICE_KEY = "el-FAKE-class-attr-1a"  # expect: RS101:17 elevenlabs_api_key

    def __init__(self) -> None:
        self._client = None
        self.key = "el-FAKE-init-attr-1a"  # expect: RS101:20 elevenlabs_api_key

    @property
    def client(self):  # type: ignore[no-untyped-def]
        self._client = self._client or replicate.Client()
        return self._client

    def speak(self) -> None:
        self.client.run(TTS, input={"elevenlabs_api_key": self.VOICE_KEY})
        self.client.run(TTS, input={"elevenlabs_api_key": self.key})
        replicate.run(TTS, input={"elevenlabs_api_key": Speaker.VOICE_KEY})


@dataclass
class Settings:
    elevenlabs_key: str = "el-FAKE-dataclass-1a"  # expect: RS101:27 elevenlabs_api_key
    text: str = "hello"


class PydanticSettings(BaseSettings):
    elevenlabs_key: str = "el-FAKE-pydantic-1a"  # expect: RS101:27 elevenlabs_api_key


class Request(BaseModel):
    text: str = "el-FAKE-not-secret-1a"


settings = Settings()
pydantic_settings = PydanticSettings()
replicate.run(TTS, input={"elevenlabs_api_key": settings.elevenlabs_key})
replicate.run(TTS, input={"elevenlabs_api_key": pydantic_settings.elevenlabs_key})
replicate.run(TTS, input={"text": Request().text, "elevenlabs_api_key": os.environ["K"]})
