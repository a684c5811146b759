"""Every way of building the inputs dict."""

import os

import replicate

TTS = "example/text-to-speech"
BASE = {"text": "hi", "elevenlabs_api_key": "el-FAKE-0e1b2c3d4e5f"}  # expect: RS101:45 elevenlabs_api_key
SAFE_BASE = {"text": "hi", "elevenlabs_api_key": os.environ.get("ELEVENLABS_API_KEY", "")}
MODULE_INPUTS = {"text": "hi"}
MODULE_INPUTS["elevenlabs_api_key"] = "el-FAKE-1e1b2c3d4e5f"  # expect: RS101:39 elevenlabs_api_key

replicate.run(TTS, input={**BASE, "speed": 1.5})
replicate.run(TTS, input={**SAFE_BASE, "speed": 1.5})
replicate.run(TTS, input={"speed": 1.5, **SAFE_BASE})
replicate.run(TTS, input=MODULE_INPUTS)
replicate.run(
    TTS,
    input=dict(text="hi", elevenlabs_api_key="el-FAKE-2e1b2c3d4e5f"),  # expect: RS101:46 elevenlabs_api_key
)
replicate.run(TTS, input=dict(text="el-FAKE-2e1b2c3d4e5f"))  # expect: RS106:26 elevenlabs_api_key


def dict_bound_to_a_name() -> None:
    inputs = {"text": "hi", "elevenlabs_api_key": "el-FAKE-3e1b2c3d4"}  # expect: RS101:51 elevenlabs_api_key
    replicate.run(TTS, input=inputs)


def key_set_later() -> None:
    inputs = {"text": "hi"}
    inputs["elevenlabs_api_key"] = "el-FAKE-4e1b2c3d4e5f"  # expect: RS101:36 elevenlabs_api_key
    replicate.run(TTS, input=inputs)


def update_keyword() -> None:
    inputs = {"text": "hi"}
    inputs.update(elevenlabs_api_key="el-FAKE-5e1b2c3d4e5f")  # expect: RS101:38 elevenlabs_api_key
    replicate.run(TTS, input=inputs)


def update_dict() -> None:
    inputs = {"text": "hi"}
    inputs.update({"elevenlabs_api_key": "el-FAKE-6e1b2c3d4e5f"})  # expect: RS101:42 elevenlabs_api_key
    replicate.run(TTS, input=inputs)


def spread_in_function(text: str) -> None:
    secrets = {"elevenlabs_api_key": "el-FAKE-7e1b2c3d4e5f"}  # expect: RS101:38 elevenlabs_api_key
    replicate.run(TTS, input={"text": text, **secrets})


def dict_copy_of_a_name() -> None:
    extra = dict(elevenlabs_api_key="el-FAKE-8e1b2c3d4e5f")  # expect: RS101:37 elevenlabs_api_key
    replicate.run(TTS, input=dict(extra, text="hi"))


def dict_default(inputs={"elevenlabs_api_key": "el-FAKE-9e1b2c3d4e5f"}) -> None:  # noqa: B006  # expect: RS101:48 elevenlabs_api_key
    replicate.run(TTS, input=inputs)


def set_after_the_call() -> None:
    inputs = {"text": "hi"}
    replicate.run(TTS, input=inputs)  # expect: RS106:30 elevenlabs_api_key
    inputs["elevenlabs_api_key"] = "el-FAKE-after-the-call"


def overwritten_before_the_call() -> None:
    inputs = {"elevenlabs_api_key": "el-FAKE-overwritten-by-env"}
    inputs["elevenlabs_api_key"] = os.environ["ELEVENLABS_API_KEY"]
    replicate.run(TTS, input=inputs)


def later_key_wins() -> None:
    replicate.run(TTS, input={**BASE, "elevenlabs_api_key": os.environ["ELEVENLABS_API_KEY"]})


def rebound_dict() -> None:
    inputs = {"text": "hi"}
    inputs["elevenlabs_api_key"] = "el-FAKE-in-the-old-dict"
    inputs = {"text": "hi"}
    replicate.run(TTS, input=inputs)  # expect: RS106:30 elevenlabs_api_key


def another_dict_is_changed() -> None:
    inputs = {"text": "hi"}
    other = {}
    other["elevenlabs_api_key"] = "el-FAKE-in-another-dict"
    replicate.run(TTS, input=inputs)  # expect: RS106:30 elevenlabs_api_key


def not_a_dict_we_know(make_inputs) -> None:  # type: ignore[no-untyped-def]
    replicate.run(TTS, input=make_inputs("el-FAKE-passed-to-a-function"))  # expect: RS100:5
    replicate.run(TTS, input={**make_inputs()})  # expect: RS100:5


def merged_with_pipe() -> None:
    base = {"text": "hi"}
    piped = base | {"elevenlabs_api_key": "el-FAKE-p1"}  # expect: RS101:43 elevenlabs_api_key
    replicate.run(TTS, input=piped)
    extended = dict(base)
    extended |= {"elevenlabs_api_key": "el-FAKE-pipe-2a2b"}  # expect: RS101:40 elevenlabs_api_key
    replicate.run(TTS, input=extended)
    replicate.run(TTS, input=base | {"voice": "alloy"})


def copied_then_filled() -> None:
    base = {"text": "hi"}
    filled = base.copy()
    filled["elevenlabs_api_key"] = "el-FAKE-copy-1a2b"  # expect: RS101:36 elevenlabs_api_key
    replicate.run(TTS, input=filled)
    replicate.run(TTS, input=base.copy())  # expect: RS106:30 elevenlabs_api_key


def defaults_set() -> None:
    filled = {"text": "hi"}
    filled.setdefault("elevenlabs_api_key", "el-FAKE-setdef-1a")  # expect: RS101:45 elevenlabs_api_key
    replicate.run(TTS, input=filled)
    kept = {"elevenlabs_api_key": os.environ["ELEVENLABS_API_KEY"]}
    kept.setdefault("elevenlabs_api_key", "el-FAKE-never-used")
    replicate.run(TTS, input=kept)


def build_input(text: str) -> dict:  # type: ignore[type-arg]
    return {"text": text, "elevenlabs_api_key": "el-FAKE-built-1a"}  # expect: RS101:49 elevenlabs_api_key


def build_safe_input(text: str) -> dict:  # type: ignore[type-arg]
    return {"text": text, "elevenlabs_api_key": os.environ["ELEVENLABS_API_KEY"]}


def sends_built_inputs() -> None:
    replicate.run(TTS, input=build_input("hi"))
    replicate.run(TTS, input=build_safe_input("hi"))


def comprehension_over_literal_items() -> None:
    literal_pairs = {
        k: v
        for k, v in [
            ("text", "hi"),
            ("elevenlabs_api_key", "el-FAKE-c2"),  # expect: RS101:36 elevenlabs_api_key
        ]
    }
    replicate.run(TTS, input=literal_pairs)
    literal_items = {
        k: v
        for k, v in {
            "elevenlabs_api_key": "el-FAKE-c3",  # expect: RS101:35 elevenlabs_api_key
        }.items()
    }
    replicate.run(TTS, input=literal_items)
    # Items bound to a name are not followed: the call is counted as unresolved.
    pairs = [("text", "hi"), ("elevenlabs_api_key", "el-FAKE-comp-1a")]
    replicate.run(TTS, input={k: v for k, v in pairs})  # expect: RS100:5
