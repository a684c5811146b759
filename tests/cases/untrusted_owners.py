"""Secrets sent to models of owners not in `trusted-owners` (RS105), at the model argument."""
# config: trusted-owners = ["acme", "replicate"]

import os

import replicate

TTS = "example/text-to-speech"  # owner `example`: not trusted here
EL_KEY = os.environ["ELEVENLABS_API_KEY"]

replicate.run(TTS, input={"text": "hi", "elevenlabs_api_key": EL_KEY})  # expect: RS105:15 elevenlabs_api_key
replicate.run(
    TTS,  # expect: RS105:5 elevenlabs_api_key
    input={"text": "hi", "elevenlabs_api_key": "el-FAKE-9f8e7d6c5b4a"},  # expect: RS101:48 elevenlabs_api_key
)
replicate.predictions.create(
    model=TTS,  # expect: RS105:11 elevenlabs_api_key
    input={"text": "hi", "elevenlabs_api_key": EL_KEY},
)
replicate.use(TTS)(text="hi", elevenlabs_api_key=EL_KEY)  # expect: RS105:15 elevenlabs_api_key
replicate.run(
    "example/whisper-diarize",  # expect: RS105:5 huggingface_access_token
    input={"huggingface_access_token": os.environ["HF_TOKEN"]},  # expect: RS104:40 huggingface_access_token
)
# A deployment: judged by the owner of the model it runs (its cached record)
replicate.deployments.predictions.create(
    "example/tts-prod",  # expect: RS105:5 elevenlabs_api_key
    input={"text": "hi", "elevenlabs_api_key": EL_KEY},
)
deployment = replicate.deployments.get("example/tts-prod")
deployment.predictions.create(input={"elevenlabs_api_key": EL_KEY})  # expect: RS105:1 elevenlabs_api_key

# No secret sent, nothing in a secret input, or a trusted owner: no finding
replicate.run("example/whisper-diarize", input={"audio_file": "a.wav", "language": os.environ["MODEL_NAME"]})
replicate.run(TTS, input={"text": "hi", "elevenlabs_api_key": None})
replicate.run("acme/private-llm", input={"prompt": "hi", "license_key": os.environ["LICENSE_KEY"]})
replicate.run("replicate/hello-world", input={"text": "hi", "api_key": os.environ["HELLO_API_KEY"]})
# A deployment with no cached record: the model it runs is unknown
replicate.deployments.predictions.create("example/uncached", input={"api_key": os.environ["X_API_KEY"]})
