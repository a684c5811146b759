"""The twin of untrusted_owners.py: the same secrets, sent to models of a trusted owner."""
# config: trusted-owners = ["Example"]  # owners are case-insensitive on Replicate

import os

import replicate

TTS = "example/text-to-speech"
EL_KEY = os.environ["ELEVENLABS_API_KEY"]

replicate.run(TTS, input={"text": "hi", "elevenlabs_api_key": EL_KEY})
replicate.predictions.create(model=TTS, input={"text": "hi", "elevenlabs_api_key": EL_KEY})
replicate.use(TTS)(text="hi", elevenlabs_api_key=EL_KEY)
replicate.deployments.predictions.create(
    "example/tts-prod",
    input={"text": "hi", "elevenlabs_api_key": EL_KEY},
)
deployment = replicate.deployments.get("example/tts-prod")
deployment.predictions.create(input={"text": "hi", "elevenlabs_api_key": EL_KEY})
