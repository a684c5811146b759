"""Short real secrets (issue 13 review): no length threshold hides them where a schema, the
configuration or the input's name says the input holds a credential; placeholders and text
tokens stay quiet."""

import replicate

TTS = "example/text-to-speech"

# A schema's secret input: any literal that is not a placeholder.
replicate.run(TTS, input={"elevenlabs_api_key": "hunter2"})  # expect: RS101:49 elevenlabs_api_key
replicate.run(TTS, input={"elevenlabs_api_key": "el_9f"})  # expect: RS101:49 elevenlabs_api_key
replicate.run(TTS, input={"elevenlabs_api_key": "changeme"})
replicate.run(TTS, input={"elevenlabs_api_key": "<your key>"})
replicate.run(TTS, input={"elevenlabs_api_key": ""})
# A secret input declared in the configuration (`acme/private-llm`: license_key).
replicate.run("acme/private-llm", input={"license_key": "AB12-CD34"})  # expect: RS101:57 license_key
replicate.run("acme/private-llm", input={"license_key": "XXXX-XXXX"})
# No schema: a credential's name is evidence, however short the value.
replicate.run("acme/unknown", input={"password": "hunter2"})  # expect: RS102:50 password
replicate.run("acme/unknown", input={"license_key": "7Q2M-KX9P"})  # expect: RS102:53 license_key
replicate.run("acme/unknown", input={"pin": "4821"})  # expect: RS102:45 pin
replicate.run("acme/unknown", input={"pin": "main", "pin_memory": "4821", "password": "password"})
# ... but a `*_token` input may hold a text token.
replicate.run("acme/unknown", input={"unique_token": "sks", "hub_token": "abc123"})
