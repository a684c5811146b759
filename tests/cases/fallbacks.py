"""Fallbacks: a literal default next to a read of the value is sent when the read comes up
empty; the fix drops the default or the `or` branch, whatever the input."""

import os

import replicate
import streamlit as st
from app_settings import settings

TTS = "example/text-to-speech"
CHAT = "acme/chat"

replicate.run(
    TTS,
    input={
        "elevenlabs_api_key": os.getenv(
            "ELEVENLABS_API_KEY",
            "el-FAKE-1a2b3c4d",  # expect: RS101:13 elevenlabs_api_key
        ),
    },
)
replicate.run(
    CHAT,
    input={
        "hf_token": os.environ.get(
            "HF_TOKEN",
            "hf_FAKEaaaaBBBBccccDDDDeeeeFFFFgggg1",  # expect: RS102:13 hf_token
        )
    },
)
replicate.run(
    CHAT,
    input={
        "hf_token": os.environ.get("HF_TOKEN")
        or "hf_FAKE2aaaBBBBccccDDDDeeeeFFFFgggg"  # expect: RS102:12 hf_token
    },
)
replicate.run(CHAT, input={"api_key": settings.get("k") or "abcFAKE3a2b4c5d6"})  # expect: RS102:60 api_key
replicate.run(
    CHAT,
    input={"key": st.secrets.get("k") or "r8_FAKE4aaaBBBBccccDDDDeeeeFFFFggggHHHHi"},  # expect: RS102:42 key
)

HF_TOKEN = os.getenv("HF_TOKEN", "hf_FAKE5aaaBBBBccccDDDDeeeeFFFFgggg")  # expect: RS102:34 hf_token
ELEVEN = os.environ.get("ELEVENLABS_API_KEY") or "el-FAKE-6a2b3c4d"  # expect: RS101:50 elevenlabs_api_key
replicate.run(CHAT, input={"hf_token": HF_TOKEN})
replicate.run(TTS, input={"elevenlabs_api_key": ELEVEN})

# No fallback, or a placeholder one: nothing to report.
replicate.run(CHAT, input={"hf_token": os.getenv("HF_TOKEN")})
replicate.run(CHAT, input={"hf_token": os.getenv("HF_TOKEN", "")})
replicate.run(CHAT, input={"hf_token": os.environ.get("HF_TOKEN") or None})
replicate.run(CHAT, input={"hf_token": settings.get("hf_token") or "YOUR_HF_TOKEN"})
replicate.run(TTS, input={"text": os.getenv("GREETING", "hi")})  # expect: RS106:26 elevenlabs_api_key
replicate.run(TTS, input={"text": settings.get("greeting") or "hi"})  # expect: RS106:26 elevenlabs_api_key
