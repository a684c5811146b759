"""Every way of sending inputs to a model: each call gets a secret it must not hold."""

import os

import replicate
from replicate import AsyncReplicate, Replicate

TTS = "example/text-to-speech"
TTS_OLD = "example/text-to-speech:d1c63ad43abac21d916d0b6f1b983d96ebe29c587ac8fc04df07b7a16e2c5fe6"
LORA = "example/lora-trainer:84485d60a129ffdb50f61b0b6549f5e460e21207a2e68dc91ce0460850fc4240"
LORA_ID = "84485d60a129ffdb50f61b0b6549f5e460e21207a2e68dc91ce0460850fc4240"
TTS_ID = "f03c922a7b4f838b5a51b41f1909a637f9aa81916a7d01c8fad095069847e91c"
SAFE = os.environ.get("ELEVENLABS_API_KEY", "")

# run / async_run / stream / async_stream on the module
replicate.run(
    TTS,
    input={"text": "hi", "elevenlabs_api_key": "el-FAKE-0a1b2c3d4e5f"},  # expect: RS101:48 elevenlabs_api_key
)
replicate.run(TTS, {"elevenlabs_api_key": "el-FAKE-1a1b2c3d4e5f"})  # expect: RS101:43 elevenlabs_api_key
replicate.run(
    ref=TTS,
    input={"elevenlabs_api_key": "el-FAKE-2a1b2c3d4e5f"},  # expect: RS101:34 elevenlabs_api_key
)
replicate.run(TTS, input={"text": "el-FAKE-not-a-secret-input", "elevenlabs_api_key": SAFE})
for _event in replicate.stream(
    TTS,
    input={"elevenlabs_api_key": "el-FAKE-3a1b2c3d4e5f"},  # expect: RS101:34 elevenlabs_api_key
):
    pass


async def run_async() -> None:
    await replicate.async_run(
        TTS,
        input={"elevenlabs_api_key": "el-FAKE-4a1b2c3d4e5f"},  # expect: RS101:38 elevenlabs_api_key
    )
    await replicate.async_run(
        TTS,
        {"elevenlabs_api_key": "el-FAKE-5a1b2c3d4e5f"},  # expect: RS101:32 elevenlabs_api_key
    )
    async for _event in replicate.async_stream(
        TTS,
        input={"elevenlabs_api_key": "el-FAKE-6a1b2c3d4e5f"},  # expect: RS101:38 elevenlabs_api_key
    ):
        pass
    await replicate.async_run(TTS, input={"elevenlabs_api_key": SAFE})


# clients: 1.0 Client, 2.0 Replicate / AsyncReplicate, the default client
client = replicate.Client(api_token=os.environ["REPLICATE_API_TOKEN"])
client.run(TTS, input={"elevenlabs_api_key": "el-FAKE-7a1b2c3d4e5f"})  # expect: RS101:46 elevenlabs_api_key
client.run(TTS, input={"elevenlabs_api_key": SAFE})
replicate.Client().run(
    TTS,
    input={"elevenlabs_api_key": "el-FAKE-8a1b2c3d4e5f"},  # expect: RS101:34 elevenlabs_api_key
)
v2 = Replicate()
v2.run(TTS, input={"elevenlabs_api_key": "el-FAKE-9a1b2c3d4e5f"})  # expect: RS101:42 elevenlabs_api_key
replicate.default_client.run(
    TTS,
    input={"elevenlabs_api_key": "el-FAKE-aa1b2c3d4e5f"},  # expect: RS101:34 elevenlabs_api_key
)


async def run_v2_async() -> None:
    async_client = AsyncReplicate()
    await async_client.run(
        TTS,
        input={"elevenlabs_api_key": "el-FAKE-ba1b2c3d4e5f"},  # expect: RS101:38 elevenlabs_api_key
    )
    await async_client.run(TTS, input={"text": "el-FAKE-ba1b2c3d4e5f"})  # expect: RS106:39 elevenlabs_api_key


# predictions.create: version positional or keyword, async_create
replicate.predictions.create(
    TTS_ID,
    {"elevenlabs_api_key": "el-FAKE-ca1b2c3d4e5f"},  # expect: RS101:28 elevenlabs_api_key
)
replicate.predictions.create(
    version=TTS_OLD,
    input={
        "api_key": "el-FAKE-da1b2c3d4e5f",  # expect: RS101:20 api_key
        "elevenlabs_api_key": "el-FAKE-not-in-this-version",
    },
)
client.predictions.create(
    version=TTS_ID,
    input={"text": "el-FAKE-da1b2c3d4e5f"},  # expect: RS106:11 elevenlabs_api_key
)


# models.predictions.create: "o/n", (o, n), 2.0 model_owner / model_name
replicate.models.predictions.create(
    model=TTS,
    input={"elevenlabs_api_key": "el-FAKE-fa1b2c3d4e5f"},  # expect: RS101:34 elevenlabs_api_key
)
replicate.models.predictions.create(
    model=("example", "text-to-speech"),
    input={"elevenlabs_api_key": "el-FAKE-0b1b2c3d4e5f"},  # expect: RS101:34 elevenlabs_api_key
)
v2.models.predictions.create(
    model_owner="example",
    model_name="text-to-speech",
    input={"elevenlabs_api_key": "el-FAKE-1b1b2c3d4e5f"},  # expect: RS101:34 elevenlabs_api_key
)
replicate.models.predictions.create(
    TTS,
    {"elevenlabs_api_key": "el-FAKE-fb1b2c3d4e5f"},  # expect: RS101:28 elevenlabs_api_key
)
v2.models.predictions.create(
    model_owner="example",
    model_name="text-to-speech",
    input={"speed": "1.5"},  # expect: RS106:11 elevenlabs_api_key
)

# deployments: by name, 2.0 owner / name, a bound deployment object
replicate.deployments.predictions.create(
    deployment="example/tts-prod",
    input={"elevenlabs_api_key": "el-FAKE-2b1b2c3d4e5f"},  # expect: RS101:34 elevenlabs_api_key
)
v2.deployments.predictions.create(
    deployment_owner="example",
    deployment_name="tts-prod",
    input={"elevenlabs_api_key": "el-FAKE-3b1b2c3d4e5f"},  # expect: RS101:34 elevenlabs_api_key
)
replicate.deployments.predictions.create(
    "example/tts-prod",
    {"elevenlabs_api_key": "el-FAKE-fc1b2c3d4e5f"},  # expect: RS101:28 elevenlabs_api_key
)
deployment = replicate.deployments.get("example/tts-prod")
deployment.predictions.create(
    input={"elevenlabs_api_key": "el-FAKE-4b1b2c3d4e5f"}  # expect: RS101:34 elevenlabs_api_key
)
deployment.predictions.create(
    {"elevenlabs_api_key": "el-FAKE-5b1b2c3d4e5f"}  # expect: RS101:28 elevenlabs_api_key
)
deployment.predictions.create(
    input={"api_key": "el-FAKE-not-secret-in-the-release"},  # expect: RS106:11 elevenlabs_api_key
)

# trainings.create: checked against TrainingInput, every argument form
replicate.trainings.create(
    version=LORA,
    input={"hub_token": "hf_FAKE0a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5"},  # expect: RS101:25 hub_token
    destination="acme/my-lora",
)
replicate.trainings.create(
    LORA,
    {"hub_token": "hf_FAKE1a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5"},  # expect: RS101:19 hub_token
    "acme/my-lora",
)
replicate.trainings.create(
    model="example/lora-trainer",
    version=LORA_ID,
    input={
        "tracker_keys": [
            "wandb-FAKE-0a1b2c3d",  # expect: RS101:13 tracker_keys
            "comet-FAKE-0a1b2c3d",  # expect: RS101:13 tracker_keys
        ],
    },
    destination="acme/my-lora",
)
v2.trainings.create(
    model_owner="example",
    model_name="lora-trainer",
    version_id=LORA_ID,
    input={"hub_token": "hf_FAKE2a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5"},  # expect: RS101:25 hub_token
    destination="acme/my-lora",
)
# The prediction schema of the same model has no secret: TrainingInput is not Input; only
# the value's shape says secret.
replicate.run(
    "example/lora-trainer",
    input={"prompt": "hf_FAKE3a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5"},  # expect: RS102:22 prompt
)
replicate.run("example/lora-trainer", input={"prompt": "el-FAKE-3a1b2c3d4e5f"})
replicate.trainings.create(version=LORA, input={"images": "https://example.com/i.zip"}, destination="a/b")

# use(): the callable's keyword arguments are the inputs
speak = replicate.use(TTS)
speak(text="hi", elevenlabs_api_key="el-FAKE-6b1b2c3d4e5f")  # expect: RS101:37 elevenlabs_api_key
speak(text="el-FAKE-6b1b2c3d4e5f", elevenlabs_api_key=SAFE)
speak.create(elevenlabs_api_key="el-FAKE-6c1b2c3d4e5f")  # expect: RS101:33 elevenlabs_api_key
replicate.use(TTS)(elevenlabs_api_key="el-FAKE-7b1b2c3d4e5f")  # expect: RS101:39 elevenlabs_api_key

# model and version objects passed as version=
model = replicate.models.get("example/text-to-speech")
old_version = model.versions.get("d1c63ad43abac21d916d0b6f1b983d96ebe29c587ac8fc04df07b7a16e2c5fe6")
replicate.predictions.create(
    version=old_version,
    input={"api_key": "el-FAKE-8b1b2c3d4e5f"},  # expect: RS101:23 api_key
)
replicate.predictions.create(version=old_version, input={"elevenlabs_api_key": "el-FAKE-not-in-old"})
replicate.predictions.create(
    version=model.latest_version,
    input={"elevenlabs_api_key": "el-FAKE-9b1b2c3d4e5f"},  # expect: RS101:34 elevenlabs_api_key
)
by_keywords = replicate.models.versions.get(
    model_owner="example", model_name="text-to-speech", version_id=TTS_ID
)
replicate.predictions.create(
    version=by_keywords,
    input={"elevenlabs_api_key": "el-FAKE-9c1b2c3d4e5f"},  # expect: RS101:34 elevenlabs_api_key
)
trainer = replicate.models.get("example/lora-trainer")
replicate.trainings.create(
    version=trainer.latest_version,
    input={"hub_token": "hf_FAKE4a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5"},  # expect: RS101:25 hub_token
    destination="acme/my-lora",
)


# the async twins of the forms above, and of the calls that return models and deployments
async def create_async() -> None:
    await replicate.predictions.async_create(
        version=TTS_ID,
        input={"elevenlabs_api_key": "el-FAKE-ea1b2c3d4e5f"},  # expect: RS101:38 elevenlabs_api_key
    )
    await replicate.models.predictions.async_create(
        model=TTS,
        input={"elevenlabs_api_key": "el-FAKE-eb1b2c3d4e5f"},  # expect: RS101:38 elevenlabs_api_key
    )
    await replicate.deployments.predictions.async_create(
        deployment="example/tts-prod",
        input={"elevenlabs_api_key": "el-FAKE-ec1b2c3d4e5f"},  # expect: RS101:38 elevenlabs_api_key
    )
    await deployment.predictions.async_create(
        input={"elevenlabs_api_key": "el-FAKE-ed1b2c3d4e5f"}  # expect: RS101:38 elevenlabs_api_key
    )
    await replicate.trainings.async_create(
        version=LORA,
        input={"hub_token": "hf_FAKE5a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5"},  # expect: RS101:29 hub_token
        destination="acme/my-lora",
    )
    await speak.async_create(elevenlabs_api_key="el-FAKE-ee1b2c3d4e5f")  # expect: RS101:49 elevenlabs_api_key
    async_deployment = await replicate.deployments.async_get("example/tts-prod")
    await async_deployment.predictions.async_create(
        input={"elevenlabs_api_key": "el-FAKE-ef1b2c3d4e5f"}  # expect: RS101:38 elevenlabs_api_key
    )
    async_model = await replicate.models.async_get("example/text-to-speech")
    async_version = await async_model.versions.async_get(
        "d1c63ad43abac21d916d0b6f1b983d96ebe29c587ac8fc04df07b7a16e2c5fe6"
    )
    # resolved to the old version, whose secret is api_key: no RS102 by the name either
    await replicate.predictions.async_create(
        version=async_version,
        input={"elevenlabs_api_key": "el-FAKE-not-in-old"},
    )
    await replicate.predictions.async_create(
        version=await async_model.versions.async_get(TTS_ID),
        input={"elevenlabs_api_key": "el-FAKE-e01b2c3d4e5f"},  # expect: RS101:38 elevenlabs_api_key
    )
    await replicate.predictions.async_create(
        version=await replicate.models.versions.async_get(
            model_owner="example", model_name="text-to-speech", version_id=TTS_ID
        ),
        input={"elevenlabs_api_key": "el-FAKE-e11b2c3d4e5f"},  # expect: RS101:38 elevenlabs_api_key
    )


# replicate < 1.0: `model.predict(**inputs)` and `version.predict(**inputs)`; every keyword is an input
legacy_model = replicate.models.get("example/text-to-speech")
legacy_version = legacy_model.versions.get("d1c63ad43abac21d916d0b6f1b983d96ebe29c587ac8fc04df07b7a16e2c5fe6")
legacy_inputs = {"api_key": "el-FAKE-legacy-1a2b"}  # expect: RS101:29 api_key
legacy_version.predict(**legacy_inputs)
legacy_model.predict(elevenlabs_api_key="el-FAKE-legacy-2a2b")  # expect: RS101:41 elevenlabs_api_key
legacy_model.predict(text="el-FAKE-legacy-3a2b", elevenlabs_api_key=os.environ["ELEVENLABS_API_KEY"])
