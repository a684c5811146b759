"""Clients held where applications keep them: on `self`, and in `with` blocks."""
# ruff: noqa: E501 - the expected findings sit at the end of the lines they are about

import replicate
from replicate import Replicate

TTS = "example/text-to-speech"


class Speaker:
    def __init__(self):
        self.client = replicate.Client()

    def speak(self, text):
        return self.client.run(
            TTS,
            input={
                "text": text,
                "elevenlabs_api_key": "el-FAKE-5e1f0a11b2c3",
            },  # expect: RS101:elevenlabs_api_key
        )


class AsyncSpeaker:
    def __init__(self):
        self.api = Replicate()

    async def speak(self):
        return await self.api.async_run(
            TTS, input={"elevenlabs_api_key": "el-FAKE-5e1f0a22b2c3"}
        )  # expect: RS101:elevenlabs_api_key


class OtherSdk:
    def __init__(self, sdk):
        self.client = sdk.Client()

    def speak(self):
        return self.client.run(TTS, input={"elevenlabs_api_key": "el-FAKE-5e1f0a33b2c3"})


class Reassigned:
    """Which client `self.client` is depends on the call order: not resolved."""

    def __init__(self, sdk):
        self.client = replicate.Client()

    def reset(self, sdk):
        self.client = sdk.Client()

    def speak(self):
        return self.client.run(TTS, input={"elevenlabs_api_key": "el-FAKE-5e1f0a44b2c3"})


class Static:
    def __init__(self):
        self.client = replicate.Client()

    @staticmethod
    def speak(self):
        return self.client.run(TTS, input={"elevenlabs_api_key": "el-FAKE-5e1f0a55b2c3"})


with Replicate() as cl:
    cl.run(TTS, input={"elevenlabs_api_key": "el-FAKE-5e1f0a66b2c3"})  # expect: RS101:elevenlabs_api_key

with open(__file__) as handle:
    handle.run(TTS, input={"elevenlabs_api_key": "el-FAKE-5e1f0a77b2c3"})
