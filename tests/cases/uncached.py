"""RS102: models with no known schema. The input's name or the value's shape decides."""

import os

import replicate

UNKNOWN = "acme/unknown-model"

replicate.run(
    UNKNOWN,
    input={
        "api_key": "abc-FAKE-0c2b2c3d",  # expect: RS102:20 api_key
        "hf_token": "not-shaped-FAKE-1c2b",  # expect: RS102:21 hf_token
        "wandbApiKey": "wb-FAKE-2c2b2c3d",  # expect: RS102:24 wandbApiKey
        "password": "hunter2-FAKE-3c2b",  # expect: RS102:21 password
        "secret": "s3cr3t-FAKE-4c2b",  # expect: RS102:19 secret
        "client_secret": "cs-FAKE-5c2b2c3d",  # expect: RS102:26 client_secret
        "max_tokens": "512",
        "token_type": "bearer-FAKE-6c2b",
        "num_tokens": "77",
        "password_hint": "the-usual-FAKE",
        "prompt": "write a poem about api keys",
        "secret_sauce_level": "7",
        "api_key_id": "id-FAKE-7c2b",
    },
)
replicate.run(
    UNKNOWN,
    input={
        "a": "r8_FAKEtokenForLintSecretsTests00000000j",  # expect: RS102:14 a
        "b": "hf_FAKE0c2b2c3d4e5f6a7b8c9d0e1f2a3b4c5",  # expect: RS102:14 b
        "c": "sk-FAKE0c2b2c3d4e5f6a7b8c9d0e1f2a3b",  # expect: RS102:14 c
        "d": "sk-ant-FAKE0c2b2c3d4e5f6a7b8c9d0e1f2a3b",  # expect: RS102:14 d
        "e": "3c858f60d836e6bab4e39766fd139037774f07ab",  # expect: RS102:14 e
        "f": "ghp_FAKE0c2b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6e",  # expect: RS102:14 f
        "g": "hello world",
        "h": "hf_short",
        "i": "sk-not-long",
        "j": "2460b7db52c9faa3",
        "k": "https://example.com/image.png",
    },
)
replicate.run(UNKNOWN, input={"api_key": os.environ["ACME_API_KEY"], "hf_token": "YOUR_HF_TOKEN"})
replicate.run(UNKNOWN, input={"api_key": "", "password": "changeme", "secret": "<secret>"})

# latest_version is null: no schema, so the heuristics apply.
replicate.run(
    "example/no-version-yet",
    input={"api_key": "abc-FAKE-8c2b2c3d", "max_tokens": "5"},  # expect: RS102:23 api_key
)
# A version the cache does not have.
replicate.run(
    "example/text-to-speech:0000000000000000000000000000000000000000000000000000000000000000",
    input={"hub_token": "hf_FAKE1c2b2c3d4e5f6a7b8c9d0e1f2a3b4c5"},  # expect: RS102:25 hub_token
)
# A model that cannot be worked out from the code.
replicate.run(  # expect: RS100:1
    os.environ["MODEL"],
    input={"api_key": "abc-FAKE-9c2b2c3d"},  # expect: RS102:23 api_key
)
# A private model declared in config: its secret-inputs are exact (RS101), other names are trusted.
replicate.run("acme/private-llm", input={"license_key": "lic-FAKE-ac2b2c3d"})  # expect: RS101:57 license_key
replicate.run(
    "acme/private-llm",
    input={
        "api_key": "abc-FAKE-bc2b2c3d",
        "prompt": "hf_FAKE2c2b2c3d4e5f6a7b8c9d0e1f2a3b4c5",  # expect: RS102:19 prompt
    },
)
