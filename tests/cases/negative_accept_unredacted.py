"""The twin of secret_handling.py's RS104 lines: the team accepted the unredacted input."""
# config: models."example/whisper-diarize".accept-unredacted = ["huggingface_access_token"]

import os

import replicate

WHISPER = "example/whisper-diarize"
HF_TOKEN = os.environ["HF_TOKEN"]

replicate.run(WHISPER, input={"audio_file": "a.wav", "huggingface_access_token": HF_TOKEN})
replicate.use(WHISPER)(audio_file="a.wav", huggingface_access_token=os.environ["HF_TOKEN"])


def transcribe(audio: str) -> None:
    token = os.getenv("HF_TOKEN")
    replicate.run(WHISPER, input={"audio_file": audio, "huggingface_access_token": token})
