"""`lint-secrets schemas pull|list|show` and check's missing-schema note, against a real HTTP server."""

# ruff: noqa: F811  (the `api` fixture, a real server on 127.0.0.1, is imported from test_api)

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any, Tuple

import pytest
from conftest import run_cli
from test_api import FakeApi, Reply, api  # noqa: F401

TOKEN = "r8_TESTtokenFORschemaPULLdoNOTuse00000001"
ROOT = Path(__file__).resolve().parent.parent
SAMPLE_CACHE = ROOT / "fixtures" / "sample" / ".lint-secrets" / "schemas"
TTS_VERSION = "f03c922a7b4f838b5a51b41f1909a637f9aa81916a7d01c8fad095069847e91c"
OLD_TTS_VERSION = "d1c63ad43abac21d916d0b6f1b983d96ebe29c587ac8fc04df07b7a16e2c5fe6"

CODE = f"""
import os
import replicate

replicate.run("example/text-to-speech", input={{"text": "hi", "elevenlabs_api_key": "el-FAKE-1234567890"}})
replicate.run(
    "example/text-to-speech:{OLD_TTS_VERSION}", input={{"text": "hi", "api_key": "ak-FAKE-1234567890"}}
)
replicate.deployments.predictions.create(deployment="example/tts-prod", input={{"text": "x"}})
"""


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, api: FakeApi) -> Path:
    (tmp_path / "pyproject.toml").write_text("[tool.lint-secrets]\n")
    (tmp_path / "app.py").write_text(CODE)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("REPLICATE_API_TOKEN", TOKEN)
    monkeypatch.setenv("REPLICATE_BASE_URL", api.base_url)
    return tmp_path


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> Tuple[int, str, str]:
    return run_cli(capsys, argv, never_shown=(TOKEN,))


def cache_files(root: Path) -> dict[str, Any]:
    cache = root / ".lint-secrets" / "schemas"
    files = {p.relative_to(cache).as_posix(): p for p in cache.rglob("*.json")}
    for path in files.values():
        assert TOKEN not in path.read_text()
    return files


def test_pull_discovers_every_referenced_model(
    project: Path, api: FakeApi, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, "check")
    assert code == 1
    assert "no cached schema for" in err and "lint-secrets schemas pull" in err
    assert err.count("no cached schema") == 1
    assert "RS102" in out  # the secret-sounding names are still caught by heuristics

    code, out, err = run(capsys, "schemas", "pull")
    assert code == 0, err
    files = cache_files(project)
    assert set(files) == {
        "models/example/text-to-speech.json",
        f"models/example/text-to-speech/versions/{OLD_TTS_VERSION}.json",
        "deployments/example/tts-prod.json",
        f"models/example/text-to-speech/versions/{TTS_VERSION}.json",
    }
    assert all(headers.get("authorization") == f"Bearer {TOKEN}" for _, headers in api.requests)

    code, out, err = run(capsys, "check")
    assert code == 1
    assert "no cached schema" not in err
    assert out.count("RS101") == 2 and "RS102" not in out

    # Everything is cached now: a second pull asks the server nothing.
    requests = len(api.paths())
    code, out, _ = run(capsys, "schemas", "pull")
    assert code == 0 and "Nothing to fetch" in out
    assert len(api.paths()) == requests


def test_pull_named_refs_and_refresh(project: Path, api: FakeApi, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, _ = run(capsys, "schemas", "pull", "example/lora-trainer", "deployment:example/tts-prod")
    assert code == 0
    assert "models/example/lora-trainer.json" in cache_files(project)
    before = len(api.paths())
    code, _, _ = run(capsys, "schemas", "pull", "--refresh", "example/lora-trainer")
    assert code == 0 and len(api.paths()) == before + 1


def test_pull_failures_are_one_line_each_and_do_not_stop_others(
    project: Path,
    api: FakeApi,
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, _, err = run(capsys, "schemas", "pull", "acme/missing", "example/official-chat", TTS_VERSION)
    assert code == 2
    assert "acme/missing" in err and "not found" in err.lower()
    assert "bare version id" in err
    assert "Traceback" not in err
    assert "models/example/official-chat.json" in cache_files(project)


def test_pull_without_token_names_the_variable(
    project: Path,
    monkeypatch: pytest.MonkeyPatch,
    api: FakeApi,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.delenv("REPLICATE_API_TOKEN")
    code, _, err = run(capsys, "schemas", "pull", "example/official-chat")
    assert code == 2 and "REPLICATE_API_TOKEN" in err
    assert api.paths() == []


def test_pull_refuses_plain_http_off_loopback(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(
        capsys, "schemas", "pull", "--base-url", "http://example.com/v1", "example/official-chat"
    )
    assert code == 2 and "http" in err


def test_list_and_show(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    shutil.copytree(SAMPLE_CACHE, tmp_path / ".lint-secrets" / "schemas")
    (tmp_path / "pyproject.toml").write_text(
        '[tool.lint-secrets.models."acme/private"]\nsecret-inputs = ["key"]\n'
    )
    monkeypatch.chdir(tmp_path)
    code, out, _ = run(capsys, "schemas", "list")
    assert code == 0
    lines = {line.split()[0]: line for line in out.splitlines()}
    assert "elevenlabs_api_key" in lines["example/text-to-speech"]
    assert "hub_token, tracker_keys" in lines["example/lora-trainer"]
    assert "no schema" in lines["example/no-version-yet"]
    assert "declared in config" in lines["acme/private"]

    code, out, _ = run(capsys, "schemas", "show", "example/lora-trainer")
    assert code == 0
    assert "Training inputs" in out
    row = next(line for line in out.splitlines() if line.strip().startswith("tracker_keys"))
    assert row.split()[-1] == "yes" and "array" in row
    row = next(line for line in out.splitlines() if line.strip().startswith("max_train_steps"))
    assert row.split()[-1] == "1000"

    code, _, err = run(capsys, "schemas", "show", "acme/unknown")
    assert code == 2 and "schemas pull acme/unknown" in err


def test_list_reports_a_corrupt_entry(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    cache = tmp_path / ".lint-secrets" / "schemas" / "models" / "acme"
    cache.mkdir(parents=True)
    (cache / "broken.json").write_text('{"latest_version": {"openapi_schema": ')
    (tmp_path / "pyproject.toml").write_text("")
    monkeypatch.chdir(tmp_path)
    code, _, err = run(capsys, "schemas", "list")
    assert code == 2 and "broken.json" in err and "invalid JSON" in err


def test_require_schemas_makes_missing_an_error(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (project / "app.py").write_text('import replicate\nreplicate.run("acme/thing", input={"prompt": "x"})\n')
    code, _, err = run(capsys, "check")
    assert code == 0 and "note: no cached schema for acme/thing" in err
    code, _, err = run(capsys, "check", "--require-schemas")
    assert code == 2 and "error: app.py: no cached schema for acme/thing" in err


def test_check_never_touches_the_network(
    project: Path, api: FakeApi, capsys: pytest.CaptureFixture[str]
) -> None:
    run(capsys, "check")
    assert api.paths() == []


def test_deployment_file_is_raw_response(
    project: Path, api: FakeApi, capsys: pytest.CaptureFixture[str]
) -> None:
    run(capsys, "schemas", "pull", "deployment:example/tts-prod")
    stored = json.loads((project / ".lint-secrets/schemas/deployments/example/tts-prod.json").read_text())
    assert stored["current_release"]["version"] == TTS_VERSION
    assert set(stored) == {"owner", "name", "current_release"}


def test_show_redacts_secret_defaults(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    secret_default = "el-DEFAULTsecretVALUE-123456789"
    token_default = "r8_" + "D" * 10 + "efaultTOKENvalue0123456789a"
    properties = {
        "elevenlabs_api_key": {"type": "string", "format": "password", "default": secret_default},
        "fallback": {"type": "string", "default": token_default},
        "voice": {"type": "string", "default": "alloy"},
    }
    model = {
        "latest_version": {
            "id": "0" * 64,
            "openapi_schema": {"components": {"schemas": {"Input": {"properties": properties}}}},
        }
    }
    cache = tmp_path / ".lint-secrets" / "schemas" / "models" / "example"
    cache.mkdir(parents=True)
    (cache / "leaky.json").write_text(json.dumps(model))
    (tmp_path / "pyproject.toml").write_text("")
    monkeypatch.chdir(tmp_path)
    code, out, _ = run(capsys, "schemas", "show", "example/leaky")
    assert code == 0
    assert secret_default not in out and token_default not in out
    assert '"alloy"' in out


@pytest.mark.parametrize("command", ["show", "pull"])
def test_a_token_pasted_as_a_ref_is_not_echoed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], command: str
) -> None:
    (tmp_path / "pyproject.toml").write_text("")
    monkeypatch.chdir(tmp_path)
    pasted = "r8_" + "PastedTokenABCDEFGHIJKLMNOPQRSTUVWXYZ0123"
    code, out, err = run(capsys, "schemas", command, pasted)
    assert code == 2
    assert pasted not in out + err and pasted[:12] not in out + err


def test_api_error_bodies_lose_every_piece_of_the_token() -> None:
    from lint_secrets.api import _scrub

    assert TOKEN[3:] not in _scrub(f"bad: {TOKEN[3:]} end", TOKEN)
    assert TOKEN[:12] not in _scrub(f"echo {TOKEN[:12]}!", TOKEN)
    assert _scrub("model example/official-chat not found", TOKEN) == "model example/official-chat not found"


def test_a_missing_schema_cache_is_named(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A typo in --schema-dir must not silently turn every check into a guess by name."""
    code, _, err = run(capsys, "check", "--schema-dir", str(project / "no-such-dir"))
    assert code == 1
    assert f"the schema cache {project / 'no-such-dir'} does not exist" in err
    (project / ".lint-secrets" / "schemas").mkdir(parents=True)
    _, _, err = run(capsys, "check")
    assert "does not exist" not in err


def test_pull_reads_files_through_the_same_pipeline_as_check(
    project: Path, api: FakeApi, capsys: pytest.CaptureFixture[str]
) -> None:
    """A 900-term concatenation parses, and `check` analyses it with room to recurse;
    `pull` used to read files its own way and died on it with a RecursionError traceback."""
    terms = "+".join(["'a'"] * 900)
    deep = f"import replicate\nx = {terms}\nreplicate.run('example/text-to-speech', input={{'text': x}})\n"
    (project / "app.py").write_text(deep)
    code, _, check_err = run(capsys, "check")
    assert code == 0 and "deep" not in check_err and "Traceback" not in check_err
    code, _, err = run(capsys, "schemas", "pull")
    assert code == 0, err
    assert "Traceback" not in err
    assert "models/example/text-to-speech.json" in cache_files(project)


@pytest.mark.parametrize("output_format", ["full", "json", "sarif", "github"])
def test_a_token_written_where_the_model_goes_is_never_reported_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], output_format: str
) -> None:
    pasted = "r8_" + "PastedTokenABCDEFGHIJKLMNOPQRSTUVWXYZ0123"
    (tmp_path / "pyproject.toml").write_text("[tool.lint-secrets]\n")
    (tmp_path / "app.py").write_text(
        "import replicate\n"
        f'replicate.run("acme/{pasted}", input={{"api_key": "sk-live-abcdef1234567890abcdef"}})\n'
        f'replicate.deployments.predictions.create("{pasted}/x", input={{"api_key": "sk-x"}})\n'
    )
    monkeypatch.chdir(tmp_path)
    code, out, _err = run_cli(
        capsys, ["check", "--output-format", output_format, "app.py"], never_shown=(pasted,)
    )
    assert code == 1 and "r8_P" in out


def test_a_version_pulled_in_capitals_is_shown_in_capitals(
    project: Path, api: FakeApi, capsys: pytest.CaptureFixture[str]
) -> None:
    typed = f"example/text-to-speech:{TTS_VERSION.upper()}"
    code, out, _ = run(capsys, "schemas", "pull", typed)
    assert code == 0 and f"example/text-to-speech:{TTS_VERSION}: fetched" in out
    code, out, err = run(capsys, "schemas", "show", typed)
    assert (code, err) == (0, "") and "Prediction inputs" in out


def test_a_ref_in_code_that_cannot_be_fetched_is_named_with_its_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, api: FakeApi, capsys: pytest.CaptureFixture[str]
) -> None:
    pasted = "r8_" + "PastedTokenABCDEFGHIJKLMNOPQRSTUVWXYZ0123"
    (tmp_path / "pyproject.toml").write_text("[tool.lint-secrets]\n")
    (tmp_path / "app.py").write_text(
        "import replicate\n"
        f'replicate.run("acme/{"n" * 130}", input={{"prompt": "x"}})\n'
        f'replicate.run("acme/{pasted}", input={{"prompt": "x"}})\n'
    )
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("REPLICATE_API_TOKEN", TOKEN)
    monkeypatch.setenv("REPLICATE_BASE_URL", api.base_url)
    code, _, err = run_cli(capsys, ["schemas", "pull"], never_shown=(TOKEN, pasted))
    assert code == 2 and api.paths() == []
    errors = [line for line in err.splitlines() if line.startswith("lint-secrets: error:")]
    assert len(errors) == 2
    assert all("app.py: acme/" in line for line in errors), errors
    assert "longer than 128" in errors[0] and "acme/nnnn" in errors[0]
    assert "acme/r8_P" in errors[1] and "looks like an API" in errors[1]
