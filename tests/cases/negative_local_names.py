"""Names that shadow the module, other SDKs that also have `run`, and code inside strings."""

import replicate
import replicate_other
import runpod
from replicate_helpers import run  # a different package

TTS = "example/text-to-speech"


def parameter(replicate: object) -> None:
    replicate.run(TTS, input={"elevenlabs_api_key": "el-FAKE-0b2b2c3d4e5f"})  # type: ignore[attr-defined]


def local_variable(make: object) -> None:
    replicate = make
    replicate.run(TTS, input={"elevenlabs_api_key": "el-FAKE-1b2b2c3d4e5f"})  # type: ignore[attr-defined]


def loop_variable(items: list) -> None:
    for replicate in items:  # noqa: F402
        replicate.run(TTS, input={"elevenlabs_api_key": "el-FAKE-2b2b2c3d4e5f"})
    _ = [replicate.run(TTS, input={"elevenlabs_api_key": "el-FAKE-3b2b2c3d4e5f"}) for replicate in items]


def context_manager(path: str) -> None:
    with open(path) as replicate:
        replicate.run(TTS, input={"elevenlabs_api_key": "el-FAKE-4b2b2c3d4e5f"})  # type: ignore[attr-defined]


class Service:
    def call(self) -> None:
        self.replicate.run(TTS, input={"elevenlabs_api_key": "el-FAKE-5b2b2c3d4e5f"})  # type: ignore[attr-defined]


endpoint = runpod.Endpoint("abc123")
endpoint.run({"input": {"api_key": "sk-FAKE0b2b2c3d4e5f6a7b8c9d0e1f2a3b"}})
endpoint.run_sync({"api_key": "sk-FAKE1b2b2c3d4e5f6a7b8c9d0e1f2a3b"})
run(TTS, input={"elevenlabs_api_key": "el-FAKE-6b2b2c3d4e5f"})
replicate_other.run(TTS, input={"elevenlabs_api_key": "el-FAKE-7b2b2c3d4e5f"})
fal_result = replicate_other.subscribe(
    "fal-ai/x", arguments={"api_key": "sk-FAKE2b2b2c3d4e5f6a7b8c9d0e1f2a3b"}
)

SNIPPET = 'replicate.run("example/text-to-speech", input={"elevenlabs_api_key": "el-FAKE-8b2b2c3d4e5f"})'
DOC = """
    replicate.run("example/text-to-speech", input={"elevenlabs_api_key": "el-FAKE-9b2b2c3d4e5f"})
"""
# replicate.run("example/text-to-speech", input={"elevenlabs_api_key": "el-FAKE-ab2b2c3d4e5f"})
exec(SNIPPET)

# Secret-sounding names that the cached schema says are not secret: only a token's shape counts.
replicate.run("example/official-chat", input={"prompt": "hi", "max_tokens": 256})
replicate.run(
    "example/official-chat",
    input={"prompt": "sk-FAKE3b2b2c3d4e5f6a7b8c9d0e1f2a3b", "max_tokens": "512"},  # expect: RS102:22 prompt
)
replicate.run(
    TTS,
    input={"text": "el-FAKE-bb2b2c3d", "voice": "alloy", "speed": 1.0},  # expect: RS106:11 elevenlabs_api_key
)
replicate.run(
    TTS,
    input={  # expect: RS106:11 elevenlabs_api_key
        "api_key": "el-FAKE-cb2b2c3d4e5f",
        "hf_token": "hf_FAKE0b2b2c3d4e5f6a7b8c9d0e1f2a3b4c5",  # expect: RS102:21 hf_token
    },
)
