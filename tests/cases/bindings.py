"""Names bound more than once: the module or a client from any binding that is Replicate;
for a value, every literal binding that can reach the use, each at its own definition."""

import os
import sys

try:
    import replicate
except ImportError:
    replicate = None

import replicate  # a duplicated import

TTS = "example/text-to-speech"
DEBUG = "--debug" in sys.argv

KEY = None
KEY = "el-FAKE-1a2b3c4d5e6f"  # expect: RS101:7 elevenlabs_api_key

if DEBUG:
    BRANCH_KEY = "el-FAKE-dev-2a2b3c4d"  # expect: RS101:18 elevenlabs_api_key
else:
    BRANCH_KEY = "el-FAKE-prod-3a2b3c4d"  # expect: RS101:18 elevenlabs_api_key

try:
    TRIED_KEY = os.environ["ELEVENLABS_API_KEY"]
except KeyError:
    TRIED_KEY = "el-FAKE-fallback-4a2b3c"  # expect: RS101:17 elevenlabs_api_key

EITHER = (
    "el-FAKE-5a2b"  # expect: RS101:5 elevenlabs_api_key
    if DEBUG
    else "el-FAKE-6a2b"  # expect: RS101:10 elevenlabs_api_key
)

# Rebound unconditionally before use: only the last value reaches the calls.
SAFE_KEY = "el-FAKE-overwritten-7a2b"
SAFE_KEY = os.environ["ELEVENLABS_API_KEY"]
if DEBUG:
    SAFE_BRANCH = os.environ["DEV_KEY"]
else:
    SAFE_BRANCH = os.environ["PROD_KEY"]


def speak() -> None:
    replicate.run(TTS, input={"elevenlabs_api_key": KEY})
    replicate.run(TTS, input={"elevenlabs_api_key": BRANCH_KEY})
    replicate.run(TTS, input={"elevenlabs_api_key": TRIED_KEY})
    replicate.run(TTS, input={"elevenlabs_api_key": EITHER})
    replicate.run(TTS, input={"elevenlabs_api_key": SAFE_KEY})
    replicate.run(TTS, input={"elevenlabs_api_key": SAFE_BRANCH})
    replicate.run(
        TTS,
        input={
            "elevenlabs_api_key": (
                "el-FAKE-8a2b3c"  # expect: RS101:17 elevenlabs_api_key
                if DEBUG
                else "el-FAKE-9a2b3c"  # expect: RS101:22 elevenlabs_api_key
            )
        },
    )


if DEBUG:
    client = replicate.Client()
else:
    client = None
client.run(TTS, input={"elevenlabs_api_key": "el-FAKE-from-a-client"})  # expect: RS101:46 elevenlabs_api_key
