"""Replicate imported under other names, and inside functions."""

import replicate as rp
from replicate import Client as ReplicateClient
from replicate import run as r
from replicate import use
from replicate.client import Client

TTS = "example/text-to-speech"

rp.run(TTS, input={"elevenlabs_api_key": "el-FAKE-0c1b2c3d4e5f"})  # expect: RS101:42 elevenlabs_api_key
r(TTS, input={"elevenlabs_api_key": "el-FAKE-1c1b2c3d4e5f"})  # expect: RS101:37 elevenlabs_api_key
Client().run(TTS, input={"elevenlabs_api_key": "el-FAKE-2c1b2c3d4e5f"})  # expect: RS101:48 elevenlabs_api_key
ReplicateClient().run(
    TTS,
    input={"elevenlabs_api_key": "el-FAKE-3c1b2c3d4e5f"},  # expect: RS101:34 elevenlabs_api_key
)
use(TTS)(elevenlabs_api_key="el-FAKE-4c1b2c3d4e5f")  # expect: RS101:29 elevenlabs_api_key


def inside_a_function() -> None:
    import replicate

    replicate.run(
        TTS,
        input={"elevenlabs_api_key": "el-FAKE-5c1b2c3d4e5f"},  # expect: RS101:38 elevenlabs_api_key
    )


def from_import_inside_a_function() -> None:
    from replicate import Replicate

    Replicate().run(
        TTS,
        input={"elevenlabs_api_key": "el-FAKE-6c1b2c3d4e5f"},  # expect: RS101:38 elevenlabs_api_key
    )


def shadowed(rp: object) -> None:
    # A parameter named like the alias is not the module.
    rp.run(TTS, input={"elevenlabs_api_key": "el-FAKE-7c1b2c3d4e5f"})  # type: ignore[attr-defined]
