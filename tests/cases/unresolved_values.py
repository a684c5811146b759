"""A secret input (by the schema, or by its name) whose value the code holds where the
analysis can't read it: RS100. A value from outside the code (the environment, a caller,
another package's function, an object the code doesn't define) is not unresolved."""

import getpass
import json
import os
import sys

import replicate
from secrets_vault import read_secret  # another package's function

TTS = "example/text-to-speech"
KEYS = {"speech": os.environ["ELEVENLABS_API_KEY"], "backup": os.environ["BACKUP_KEY"]}
CONFIG = json.loads(os.environ.get("APP_CONFIG", "{}"))


def key_named(name: str) -> str:
    return KEYS[name]


def speak(name: str, args) -> None:  # type: ignore[no-untyped-def]
    replicate.run(TTS, input={"elevenlabs_api_key": KEYS[name]})  # expect: RS100:5
    replicate.run(TTS, input={"elevenlabs_api_key": KEYS["missing"]})  # expect: RS100:5
    replicate.run(TTS, input={"elevenlabs_api_key": key_named(name)})  # expect: RS100:5
    replicate.run("acme/uncached", input={"hf_token": KEYS[name]})  # expect: RS100:5
    replicate.run(TTS, input={"text": KEYS[name], "elevenlabs_api_key": KEYS["speech"]})
    replicate.run(TTS, input={"elevenlabs_api_key": os.environ["ELEVENLABS_API_KEY"]})
    replicate.run(TTS, input={"elevenlabs_api_key": os.getenv("ELEVENLABS_API_KEY")})
    replicate.run(TTS, input={"elevenlabs_api_key": getpass.getpass("key: ")})
    replicate.run(TTS, input={"elevenlabs_api_key": read_secret("elevenlabs")})
    replicate.run(TTS, input={"elevenlabs_api_key": args.elevenlabs_key})
    replicate.run(TTS, input={"elevenlabs_api_key": CONFIG["elevenlabs"]})
    replicate.run(TTS, input={"elevenlabs_api_key": sys.argv[1]})
    replicate.run(TTS, input={"elevenlabs_api_key": open(".key").read().strip()})


def send(key: str) -> None:  # a public function: its callers are checked at their calls
    replicate.run(TTS, input={"elevenlabs_api_key": key})


def _send(key: str) -> None:
    replicate.run(TTS, input={"elevenlabs_api_key": key})  # expect: RS100:5


_send(KEYS[sys.argv[1]])
_send(os.environ["ELEVENLABS_API_KEY"])
