"""Every way of writing the secret value; findings point where it is written."""

import os

import replicate

TTS = "example/text-to-speech"
LORA = "example/lora-trainer:84485d60a129ffdb50f61b0b6549f5e460e21207a2e68dc91ce0460850fc4240"
ELEVEN = "el-FAKE-0f1b2c3d4e5f"  # expect: RS101:10 elevenlabs_api_key
PREFIX = "el-FAKE-"
FROM_ENV = os.environ["ELEVENLABS_API_KEY"]
REBOUND = "el-FAKE-replaced-before-use"
REBOUND = os.environ["ELEVENLABS_API_KEY"]
KEYS = ["wandb-FAKE-1f1b2c3d", "comet-FAKE-1f1b2c3d"]  # expect: RS101:9 tracker_keys, RS101:32 tracker_keys
CHAIN = ELEVEN

replicate.run(TTS, input={"elevenlabs_api_key": "el-FAKE-2f1b2c3d4"})  # expect: RS101:49 elevenlabs_api_key
replicate.run(
    TTS,
    input={"elevenlabs_api_key": "el-FAKE-" + "3f1b2c3d4e5f"},  # expect: RS101:34 elevenlabs_api_key
)
replicate.run(
    TTS,
    input={
        "elevenlabs_api_key": (
            "el-FAKE-"  # expect: RS101:13 elevenlabs_api_key
            "4f1b2c3d4e5f"
        )
    },
)
replicate.run(TTS, input={"elevenlabs_api_key": PREFIX + "5f1b2c3d4"})  # expect: RS101:49 elevenlabs_api_key
replicate.run(TTS, input={"elevenlabs_api_key": f"{PREFIX}6f1b2c3d4"})  # expect: RS101:49 elevenlabs_api_key
replicate.run(TTS, input={"elevenlabs_api_key": ELEVEN})
replicate.run(TTS, input={"elevenlabs_api_key": CHAIN})
replicate.run(TTS, input={"elevenlabs_api_key": FROM_ENV})
replicate.run(TTS, input={"elevenlabs_api_key": REBOUND})
replicate.run(TTS, input={"elevenlabs_api_key": PREFIX + os.environ["REST"]})
replicate.run(TTS, input={"elevenlabs_api_key": os.environ["ELEVENLABS_API_KEY"]})
replicate.run(TTS, input={"elevenlabs_api_key": os.getenv("ELEVENLABS_API_KEY")})
replicate.run(TTS, input={"elevenlabs_api_key": os.environ.get("ELEVENLABS_API_KEY", "")})
replicate.run(TTS, input={"elevenlabs_api_key": None})
replicate.run(TTS, input={"elevenlabs_api_key": b"el-FAKE-bytes-are-not-str"})
replicate.run(TTS, input={"elevenlabs_api_key": "el-FAKE-%s" % os.getpid()})  # noqa: UP031
replicate.trainings.create(version=LORA, input={"tracker_keys": KEYS}, destination="a/b")
replicate.trainings.create(
    version=LORA,
    input={"tracker_keys": ("wandb-FAKE-7f1b2c3d", os.environ["COMET_KEY"])},  # expect: RS101:29 tracker_keys
    destination="a/b",
)


def constant_in_function() -> None:
    key = "el-FAKE-8f1b2c3d4e5f"  # expect: RS101:11 elevenlabs_api_key
    replicate.run(TTS, input={"elevenlabs_api_key": key})


def parameter_default(
    key: str = "el-FAKE-9f1b2c3d4e5f",  # expect: RS101:16 elevenlabs_api_key
    *,
    other: str = "el-FAKE-af1b2c3d4e5f",  # expect: RS101:18 elevenlabs_api_key
) -> None:
    replicate.run(TTS, input={"elevenlabs_api_key": key})
    replicate.run(TTS, input={"elevenlabs_api_key": other})


def parameter_without_default(key: str) -> None:
    replicate.run(TTS, input={"elevenlabs_api_key": key})


parameter_without_default("el-FAKE-passed-by-the-caller")  # expect: RS101:27 elevenlabs_api_key


def default_is_a_constant(key: str = ELEVEN) -> None:
    replicate.run(TTS, input={"elevenlabs_api_key": key})


def rebound_in_function() -> None:
    key = "el-FAKE-replaced-in-function"
    key = os.environ["ELEVENLABS_API_KEY"]
    replicate.run(TTS, input={"elevenlabs_api_key": key})


def placeholders() -> None:
    for value in (
        "",
        "   ",
        "xxxxxxxxxxxx",
        "el-...",
        "el-FAKE…",
        "YOUR_API_KEY",
        "<token>",
        "${ELEVENLABS_API_KEY}",
        "changeme",
    ):
        print(value)
    replicate.run(TTS, input={"elevenlabs_api_key": ""})
    replicate.run(TTS, input={"elevenlabs_api_key": "   "})
    replicate.run(TTS, input={"elevenlabs_api_key": "xxxxxxxxxxxx"})
    replicate.run(TTS, input={"elevenlabs_api_key": "************"})
    replicate.run(TTS, input={"elevenlabs_api_key": "el-..."})
    replicate.run(TTS, input={"elevenlabs_api_key": "el-FAKE…"})
    replicate.run(TTS, input={"elevenlabs_api_key": "YOUR_API_KEY"})
    replicate.run(TTS, input={"elevenlabs_api_key": "your-elevenlabs-key"})
    replicate.run(TTS, input={"elevenlabs_api_key": "<token>"})
    replicate.run(TTS, input={"elevenlabs_api_key": "<your ElevenLabs key>"})
    replicate.run(TTS, input={"elevenlabs_api_key": "${ELEVENLABS_API_KEY}"})
    replicate.run(TTS, input={"elevenlabs_api_key": "changeme"})
    replicate.run(TTS, input={"elevenlabs_api_key": "CHANGE_ME"})


# A noqa comment on one call doesn't hide the constant's finding for another call that uses it.
SHARED = "el-FAKE-shared-by-two-calls"  # expect: RS101:10 elevenlabs_api_key
replicate.run(TTS, input={"elevenlabs_api_key": SHARED})  # noqa: RS101
replicate.run(TTS, input={"elevenlabs_api_key": SHARED})
ACKNOWLEDGED = "el-FAKE-acknowledged-everywhere"
replicate.run(TTS, input={"elevenlabs_api_key": ACKNOWLEDGED})  # noqa: RS101


# A secret given to a constructor of the module's class, then sent as the instance's attribute.
class Creds:
    def __init__(self, key: str) -> None:
        self.key = key


creds = Creds(key="el-FAKE-kf1b2c3d4e5f")  # expect: RS101:19 elevenlabs_api_key
from_env = Creds(key=os.environ["ELEVENLABS_API_KEY"])
replicate.run(TTS, input={"elevenlabs_api_key": creds.key})
replicate.run(TTS, input={"elevenlabs_api_key": from_env.key})
