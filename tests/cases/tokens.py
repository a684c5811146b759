"""RS103: hardcoded Replicate API tokens, wherever they are written."""

import os
from os import environ, getenv

import replicate
from replicate import AsyncReplicate, Replicate

TOKEN_CONSTANT = "r8_FAKEtokenForLintSecretsTests00000000a"  # expect: RS103:18

client = replicate.Client(api_token="r8_FAKEtokenForLintSecretsTests00000000b")  # expect: RS103:37
client = replicate.Client("r8_FAKEtokenForLintSecretsTests00000000c")  # expect: RS103:27
client = replicate.Client(api_token="an-old-style-token-FAKE-0001")  # expect: RS103:37
client = replicate.Client(api_token=TOKEN_CONSTANT)
client = replicate.Client(api_token=os.environ["REPLICATE_API_TOKEN"])
client = replicate.Client(api_token="")
v2 = Replicate(bearer_token="r8_FAKEtokenForLintSecretsTests00000000d")  # expect: RS103:29
v2 = AsyncReplicate(bearer_token="an-old-style-token-FAKE-0002")  # expect: RS103:34
v2 = Replicate(bearer_token=os.environ.get("REPLICATE_API_TOKEN"))
replicate.api_token = "an-old-style-token-FAKE-0003"  # expect: RS103:23
replicate.default_client.api_token = "an-old-style-token-FAKE-0004"  # expect: RS103:38
os.environ["REPLICATE_API_TOKEN"] = "an-old-style-token-FAKE-0005"  # expect: RS103:37
environ["REPLICATE_API_TOKEN"] = "an-old-style-token-FAKE-0006"  # expect: RS103:34
os.environ.setdefault("REPLICATE_API_TOKEN", "an-old-style-token-FAKE-0007")  # expect: RS103:46
token = os.getenv("REPLICATE_API_TOKEN", "an-old-style-token-FAKE-0008")  # expect: RS103:42
token = os.environ.get("REPLICATE_API_TOKEN", "an-old-style-token-FAKE-0009")  # expect: RS103:47
token = getenv("REPLICATE_API_TOKEN", "an-old-style-token-FAKE-000a")  # expect: RS103:39
token = os.getenv("REPLICATE_API_TOKEN")
token = os.getenv("REPLICATE_API_TOKEN", "")
token = os.environ.get("REPLICATE_API_TOKEN", "YOUR_REPLICATE_API_TOKEN")
token = os.environ.get("REPLICATE_API_TOKEN", "<your token>")

# Other variables: only an r8_-shaped literal is reported, by its shape.
os.environ["OTHER_TOKEN"] = "r8_FAKEtokenForLintSecretsTests00000000e"  # expect: RS103:29
os.environ["OTHER_TOKEN"] = "an-old-style-token-FAKE-000b"
other = os.getenv("OTHER_TOKEN", "an-old-style-token-FAKE-000c")
header = {"Authorization": "Bearer r8_FAKEtokenForLintSecretsTests00000000f"}  # expect: RS103:28
replicate.api_token = os.environ["REPLICATE_API_TOKEN"]

# Not token-shaped: too long, too short, glued to other characters, or not r8_.
LONGER = "r8_FAKEtokenForLintSecretsTests00000000g0"
SHORTER = "r8_FAKEtokenForLintSecretsTests0000000"
GLUED = "xr8_FAKEtokenForLintSecretsTests00000000h"
NOT_R8 = "r9_FAKEtokenForLintSecretsTests00000000i"
PLACEHOLDER = "r8_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
