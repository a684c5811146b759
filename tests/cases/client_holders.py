"""Clients held where applications keep them: on `self`, and in `with` blocks."""

import replicate
from replicate import Replicate

TTS = "example/text-to-speech"
KEY = "elevenlabs_api_key"


class Speaker:
    def __init__(self):
        self.client = replicate.Client()

    def speak(self, text):
        return self.client.run(TTS, input={KEY: "el-FAKE-5e1f0a11"})  # expect: RS101:49 elevenlabs_api_key


class AsyncSpeaker:
    def __init__(self):
        self.api = Replicate()

    async def speak(self):
        r = await self.api.async_run(TTS, {KEY: "el-FAKE-5e1f0a22"})  # expect: RS101:49 elevenlabs_api_key
        return r


class OtherSdk:
    def __init__(self, sdk):
        self.client = sdk.Client()

    def speak(self):
        return self.client.run(TTS, input={KEY: "el-FAKE-5e1f0a33"})


class Reassigned:
    """Which client `self.client` is depends on the call order: not resolved."""

    def __init__(self, sdk):
        self.client = replicate.Client()

    def reset(self, sdk):
        self.client = sdk.Client()

    def speak(self):
        return self.client.run(TTS, input={KEY: "el-FAKE-5e1f0a44"})


class Static:
    def __init__(self):
        self.client = replicate.Client()

    @staticmethod
    def speak(self):
        return self.client.run(TTS, input={KEY: "el-FAKE-5e1f0a55"})


with Replicate() as cl:
    cl.run(TTS, input={KEY: "el-FAKE-5e1f0a66"})  # expect: RS101:29 elevenlabs_api_key

with open(__file__) as handle:
    handle.run(TTS, input={KEY: "el-FAKE-5e1f0a77"})
