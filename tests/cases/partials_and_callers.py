"""functools.partial of a Replicate method, parameters and **kwargs followed to the module's
calls of the function, entries of a dict the code writes out, values a function returns."""

import functools
import os
from functools import partial

import replicate

TTS = "example/text-to-speech"
client = replicate.Client()

# A partial binds the model (and maybe the inputs); the call gives the rest.
speak = partial(replicate.run, TTS)
speak(input={"elevenlabs_api_key": "el-FAKE-1a2b3c4d5e6f"})  # expect: RS101:36 elevenlabs_api_key
SPEECH_INPUTS = {"elevenlabs_api_key": "el-FAKE-2a2b3c4d"}  # expect: RS101:40 elevenlabs_api_key
bound = functools.partial(client.run, TTS, input=SPEECH_INPUTS)
bound()
replaced = partial(replicate.run, TTS, input={"elevenlabs_api_key": "el-FAKE-never-sent"})
replaced(input={"text": "hi", "elevenlabs_api_key": os.environ["ELEVENLABS_API_KEY"]})
later = partial(replicate.run)
later(TTS, input={"elevenlabs_api_key": "el-FAKE-3a2b3c4d"})  # expect: RS101:41 elevenlabs_api_key
run = replicate.run
run(TTS, input={"elevenlabs_api_key": "el-FAKE-4a2b3c4d"})  # expect: RS101:39 elevenlabs_api_key
echo = partial(print, TTS)
echo(input={"elevenlabs_api_key": "el-FAKE-not-replicate"})


# A parameter: what the module's calls of the function pass (its default too).
def send(key):  # type: ignore[no-untyped-def]
    replicate.run(TTS, input={"elevenlabs_api_key": key})


send("el-FAKE-5a2b3c4d")  # expect: RS101:6 elevenlabs_api_key
send(key="el-FAKE-6a2b3c4d")  # expect: RS101:10 elevenlabs_api_key
send(os.environ["ELEVENLABS_API_KEY"])


class Speaker:
    def say(self, key):  # type: ignore[no-untyped-def]
        replicate.run(TTS, input={"elevenlabs_api_key": key})

    def main(self) -> None:
        self.say("el-FAKE-7a2b3c4d")  # expect: RS101:18 elevenlabs_api_key


# **kwargs forwarded: the keywords of the module's calls. A public function may have other
# callers: its inputs stay unresolved (RS100); a private one's calls are all here.
def forward(**options):  # type: ignore[no-untyped-def]
    return replicate.run(TTS, input=options)  # expect: RS100:12


forward(text="hi", elevenlabs_api_key="el-FAKE-8a2b3c4d")  # expect: RS101:39 elevenlabs_api_key


def _forward(**options):  # type: ignore[no-untyped-def]
    return replicate.run(TTS, input=options)


_forward(text="hi", elevenlabs_api_key=os.environ["ELEVENLABS_API_KEY"])
_forward(**{"text": "hi", "elevenlabs_api_key": "el-FAKE-9a2b3c4d"})  # expect: RS101:49 elevenlabs_api_key


def with_inputs(inputs):  # type: ignore[no-untyped-def]
    return replicate.run(TTS, input=inputs)  # expect: RS100:12


with_inputs({"text": "hi", "elevenlabs_api_key": "el-FAKE-aa2b3c4d"})  # expect: RS101:50 elevenlabs_api_key

# An entry of a dict written in the code, a value a function of the module returns.
KEYS = {
    "speech": "el-FAKE-ba2b3c4d",  # expect: RS101:15 elevenlabs_api_key
    "safe": os.environ.get("ELEVENLABS_API_KEY"),
}
replicate.run(TTS, input={"elevenlabs_api_key": KEYS["speech"]})
replicate.run(TTS, input={"elevenlabs_api_key": KEYS["safe"]})


def speech_key() -> str:
    return "el-FAKE-ca2b3c4d"  # expect: RS101:12 elevenlabs_api_key


replicate.run(TTS, input={"elevenlabs_api_key": speech_key()})
