"""Model inputs sent through Replicate's REST API: the request body is a model call."""

import json
import os
import urllib.request

import aiohttp
import httpx
import requests

API = "https://api.replicate.com/v1"
OWNER, NAME = "example", "text-to-speech"
TTS_VERSION = "f03c922a7b4f838b5a51b41f1909a637f9aa81916a7d01c8fad095069847e91c"
TRAINER = "example/lora-trainer"
TRAINER_VERSION = "84485d60a129ffdb50f61b0b6549f5e460e21207a2e68dc91ce0460850fc4240"
PREDICTIONS = f"{API}/models/{OWNER}/{NAME}/predictions"
BASE = os.getenv("REPLICATE_API_BASE", "https://api.replicate.com/v1")
HEADERS = {"Authorization": f"Bearer {os.environ['REPLICATE_API_TOKEN']}"}

# POST /v1/predictions: the model is the body's "version" (an id, or owner/name:id).
requests.post(
    "https://api.replicate.com/v1/predictions",
    json={
        "version": TTS_VERSION,
        "input": {"elevenlabs_api_key": "el-FAKE-2b1c0f9a8d7e6"},  # expect: RS101:41 elevenlabs_api_key
    },
    headers=HEADERS,
)
requests.post(
    f"{API}/predictions",
    json={
        "version": "example/text-to-speech:d1c63ad43abac21d916d0b6f1b983d96ebe29c587ac8fc04df07b7a16e2c5fe6",
        "input": {"text": "hi", "api_key": "el-FAKE-2b1c0f9a8d7e7"},  # expect: RS101:44 api_key
    },
)

# POST /v1/models/{owner}/{name}/predictions: the model is in the URL.
requests.post(
    PREDICTIONS,
    json={"input": {"elevenlabs_api_key": "el-FAKE-2b1c0f9a8d7e8"}},  # expect: RS101:43 elevenlabs_api_key
)
httpx.post(
    "https://api.replicate.com/v1/models/acme/private-llm/predictions",
    json={"input": {"prompt": "hi", "license_key": "lic-FAKE-7f3a9b2c1d"}},  # expect: RS101:52 license_key
)
httpx.Client().post(
    f"https://api.replicate.com/v1/models/{OWNER}/{NAME}/predictions",
    json={"input": {"elevenlabs_api_key": "el-FAKE-2b1c0f9a8d7e9"}},  # expect: RS101:43 elevenlabs_api_key
)
requests.Session().post(
    url=f"{BASE}/models/acme/private-model/predictions",
    json={"input": {"hf_token": "hf_FAKEaBcDeFgHiJkLmNoPqRsTuVwXyZ012345"}},  # expect: RS102:33 hf_token
)

# POST /v1/deployments/{owner}/{name}/predictions: checked against the model it runs.
requests.request(
    "POST",
    "https://api.replicate.com/v1/deployments/example/tts-prod/predictions",
    json={"input": {"elevenlabs_api_key": "el-FAKE-2b1c0f9a8d7ea"}},  # expect: RS101:43 elevenlabs_api_key
)

# POST /v1/models/{owner}/{name}/versions/{id}/trainings: the training inputs.
requests.post(
    f"{API}/models/{TRAINER}/versions/{TRAINER_VERSION}/trainings",
    data=json.dumps(
        {
            "destination": "me/lora",
            "input": {"hub_token": "hf_FAKE-hub-9d8c7b6a"},  # expect: RS101:36 hub_token
        }
    ),
)

# The body bound to a name, filled in before the request; a client with a base_url.
payload = {"version": TTS_VERSION}
payload["input"] = {
    "text": "hi",
    "elevenlabs_api_key": "el-FAKE-2b1c0f9a8d7eb",  # expect: RS101:27 elevenlabs_api_key
}
requests.post("https://api.replicate.com/v1/predictions", json=payload)
client = httpx.Client(base_url="https://api.replicate.com/v1/", headers=HEADERS)
client.post(
    "models/example/text-to-speech/predictions",
    json={"input": {"elevenlabs_api_key": "el-FAKE-2b1c0f9a8d7ec"}},  # expect: RS101:43 elevenlabs_api_key
)
request = urllib.request.Request(
    "https://api.replicate.com/v1/models/example/text-to-speech/predictions",
    data=json.dumps(
        {"input": {"elevenlabs_api_key": "el-FAKE-2b1c0f9a8d7ed"}}  # expect: RS101:42 elevenlabs_api_key
    ).encode(),
    headers={"Content-Type": "application/json"},
)


async def predict(session: aiohttp.ClientSession) -> None:
    async with session.post(
        PREDICTIONS,
        json={
            "input": {"elevenlabs_api_key": "el-FAKE-2b1c0f9a8d7ee"},  # expect: RS101:45 elevenlabs_api_key
        },
    ) as reply:
        await reply.json()


# The model is not in the code: counted as unresolved, its inputs still checked by name and shape.
def run(owner: str, name: str) -> None:
    requests.post(  # expect: RS100:5
        f"{API}/models/{owner}/{name}/predictions",
        json={"input": {"api_key": "sk-proj-4fQ9xZ2mL7vB1nC8kJ3h"}},  # expect: RS102:36 api_key
    )


def forward(version: str, inputs: dict) -> None:
    requests.post(f"{API}/predictions", json={"version": version, "input": inputs})  # expect: RS100:5


# Not model inputs: other hosts, other endpoints, other keys of the body.
requests.post(
    "https://api.example.com/v1/predictions", json={"input": {"api_key": "sk-proj-4fQ9xZ2mL7vB1nC8kJ3i"}}
)
requests.post(
    "https://api.replicate.com.example.org/v1/predictions", json={"input": {"api_key": "sk-proj-4fQ9xZ2m"}}
)
requests.post(
    "https://api.github.com/repos/acme/app/dispatches",
    json={"event_type": "run", "client_payload": {"input": {"api_key": "sk-proj-4fQ9xZ2mL7vB1nC8kJ3j"}}},
)
requests.post(
    "https://api.replicate.com/v1/predictions",
    json={
        "version": TTS_VERSION,
        "webhook": "https://hooks.example.org/?key=sk-proj-4fQ9xZ2mL7v",
        "input": {"text": "hi", "elevenlabs_api_key": os.environ["ELEVENLABS_API_KEY"]},
    },
)
requests.post(f"{API}/predictions/abc123/cancel", json={"input": {"api_key": "sk-proj-4fQ9xZ2mL7vB1nC8kJ3k"}})
requests.get(PREDICTIONS, params={"input": {"api_key": "sk-proj-4fQ9xZ2mL7vB1nC8kJ3l"}})
requests.post(PREDICTIONS, json={"input": {"elevenlabs_api_key": os.environ["ELEVENLABS_API_KEY"]}})
