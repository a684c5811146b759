"""The schema cache: references, lookups of models, versions and deployments, and broken entries."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any, Dict, Optional

import pytest
from conftest import LORA_LATEST, SCHEMAS, TTS_LATEST, TTS_OLD

from lint_secrets.model_refs import ModelRef, parse_deployment_ref, parse_model_ref
from lint_secrets.schemas import (
    PREDICTION,
    TRAINING,
    SchemaStore,
    is_secret_property,
    schema_info,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("example/text-to-speech", ModelRef("model", "example", "text-to-speech"), id="model"),
        pytest.param(f"a/b:{TTS_OLD}", ModelRef("version", "a", "b", TTS_OLD), id="version"),
        pytest.param(TTS_OLD, ModelRef("version", None, None, TTS_OLD), id="bare-version"),
        pytest.param("a/b:latest", None, id="tag-is-not-a-version"),
        pytest.param("a/b:" + "0" * 63, None, id="short-version"),
        pytest.param("a", None, id="no-owner"),
        pytest.param("a/b/c", None, id="three-parts"),
        pytest.param("../b", None, id="dotdot"),
        pytest.param("a/..", None, id="dotdot-name"),
        pytest.param("", None, id="empty"),
        pytest.param("https://replicate.com/a/b", None, id="url"),
    ],
)
def test_parse_model_ref(text: str, expected: Optional[ModelRef]) -> None:
    assert parse_model_ref(text) == expected


def test_parse_deployment_ref() -> None:
    assert parse_deployment_ref("example/tts-prod") == ModelRef("deployment", "example", "tts-prod")
    assert parse_deployment_ref(f"example/tts-prod:{TTS_OLD}") is None
    assert parse_deployment_ref("../x") is None


def store(root: Path = SCHEMAS, **declared: Any) -> SchemaStore:
    return SchemaStore(root, declared={k.replace("__", "/"): frozenset(v) for k, v in declared.items()})


@pytest.mark.parametrize(
    ("ref", "kind", "secrets"),
    [
        pytest.param("example/text-to-speech", PREDICTION, {"elevenlabs_api_key"}, id="latest"),
        pytest.param(
            f"example/text-to-speech:{TTS_OLD}", PREDICTION, {"api_key"}, id="old-version-pydantic-v1"
        ),
        pytest.param(
            f"example/text-to-speech:{TTS_LATEST}", PREDICTION, {"elevenlabs_api_key"}, id="latest-id"
        ),
        pytest.param(TTS_OLD, PREDICTION, {"api_key"}, id="bare-old-version"),
        pytest.param(TTS_LATEST, PREDICTION, {"elevenlabs_api_key"}, id="bare-latest-version"),
        pytest.param("example/official-chat", PREDICTION, {"session_password"}, id="format-password"),
        pytest.param("example/lora-trainer", TRAINING, {"hub_token", "tracker_keys"}, id="training"),
        pytest.param("example/lora-trainer", PREDICTION, set(), id="training-model-prediction"),
        pytest.param(
            f"example/lora-trainer:{LORA_LATEST}", TRAINING, {"hub_token", "tracker_keys"}, id="lora-id"
        ),
    ],
)
def test_lookup(ref: str, kind: str, secrets: set) -> None:  # type: ignore[type-arg]
    parsed = parse_model_ref(ref)
    assert parsed is not None
    info = store().lookup(parsed)
    assert info is not None and set(info.secrets[kind]) == secrets


def test_lookup_deployment_uses_its_release() -> None:
    info = store().lookup(ModelRef("deployment", "example", "tts-prod"))
    assert info is not None and set(info.secrets[PREDICTION]) == {"elevenlabs_api_key"}


@pytest.mark.parametrize(
    "ref",
    [
        ModelRef("model", "example", "no-version-yet"),
        ModelRef("model", "acme", "unknown"),
        ModelRef("version", "example", "text-to-speech", "0" * 64),
        ModelRef("version", None, None, "1" * 64),
        ModelRef("deployment", "example", "missing"),
    ],
    ids=["latest-null", "uncached", "unknown-version", "unknown-bare", "unknown-deployment"],
)
def test_lookup_unknown_is_none_and_no_error(ref: ModelRef) -> None:
    schemas = store()
    assert schemas.lookup(ref) is None
    assert schemas.errors == {}


def test_declared_models() -> None:
    schemas = store(acme__private=["license_key"], example__official__chat=["prompt"])
    info = schemas.lookup(ModelRef("model", "acme", "private"))
    assert (
        info is not None
        and info.secrets[PREDICTION] == {"license_key"}
        and info.secrets[TRAINING] == {"license_key"}
    )


def test_declared_inputs_merge_with_cached_schema() -> None:
    schemas = SchemaStore(SCHEMAS, declared={"example/official-chat": frozenset({"prompt"})})
    info = schemas.lookup(ModelRef("model", "example", "official-chat"))
    assert info is not None and info.secrets[PREDICTION] == {"prompt", "session_password"}


@pytest.mark.parametrize(
    ("prop", "secret"),
    [
        ({"type": "string", "x-cog-secret": True}, True),
        ({"type": "string", "format": "password"}, True),
        ({"type": "string", "writeOnly": True}, True),
        ({"type": "array", "items": {"type": "string", "x-cog-secret": True}}, True),
        ({"allOf": [{"$ref": "#/components/schemas/S"}]}, True),
        ({"type": "string", "x-cog-secret": False}, False),
        ({"type": "string", "format": "uri"}, False),
        ({"type": "array", "items": {"type": "string"}}, False),
        ({"allOf": [{"$ref": "#/components/schemas/voice"}]}, False),
        ("not a mapping", False),
    ],
)
def test_is_secret_property(prop: Any, secret: bool) -> None:
    components = {"S": {"type": "string", "format": "password"}, "voice": {"enum": ["a"]}}
    assert is_secret_property(prop, components) is secret


@pytest.mark.parametrize(
    "schema",
    [
        "nope",
        {"components": []},
        {"components": {"schemas": {"Input": {"properties": []}}}},
        {"components": {}},
    ],
)
def test_schema_info_rejects_bad_shapes(schema: Any) -> None:
    with pytest.raises(ValueError):
        schema_info(schema, source="x")


def _copy_cache(tmp_path: Path) -> Path:
    root = tmp_path / "schemas"
    shutil.copytree(SCHEMAS, root)
    return root


@pytest.mark.parametrize(
    ("content", "message"),
    [
        pytest.param(b"{not json", "invalid JSON", id="invalid-json"),
        pytest.param(b"[]", "expected a JSON object", id="not-object"),
        pytest.param(b"{}", "no 'latest_version'", id="not-a-model"),
        pytest.param(b'{"latest_version": 3}', "'latest_version' is not an object", id="bad-latest"),
        pytest.param(b'{"latest_version": {"id": "x"}}', "no 'openapi_schema'", id="no-schema"),
        pytest.param(b"\xff\xfe", "invalid JSON", id="not-utf8"),
    ],
)
def test_broken_entries_become_errors(tmp_path: Path, content: bytes, message: str) -> None:
    root = _copy_cache(tmp_path)
    (root / "models/example/official-chat.json").write_bytes(content)
    schemas = store(root)
    assert schemas.lookup(ModelRef("model", "example", "official-chat")) is None
    (error,) = schemas.errors.values()
    assert message in error.message and "official-chat.json" in error.path


def test_deployment_without_release_is_an_error(tmp_path: Path) -> None:
    root = _copy_cache(tmp_path)
    path = root / "deployments/example/tts-prod.json"
    record: Dict[str, Any] = json.loads(path.read_text())
    record["current_release"] = None
    path.write_text(json.dumps(record))
    schemas = store(root)
    assert schemas.lookup(ModelRef("deployment", "example", "tts-prod")) is None
    assert any("current_release" in e.message for e in schemas.errors.values())


def test_symlink_out_of_the_cache_is_not_followed(tmp_path: Path) -> None:
    root = _copy_cache(tmp_path)
    outside = tmp_path / "outside.json"
    shutil.copy(root / "models/example/official-chat.json", outside)
    link = root / "models/example/linked.json"
    link.symlink_to(outside)
    schemas = store(root)
    assert schemas.lookup(ModelRef("model", "example", "linked")) is None
    assert any("symbolic link" in e.message for e in schemas.errors.values())
