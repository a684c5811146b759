"""Callers' secret handling (issue 15): RS104-RS106 through the real `check`, their
configuration, and the environment reads behind them (analysis/env_reads.py)."""

from __future__ import annotations

import ast
import json
import shutil
import textwrap
from pathlib import Path
from typing import Dict, List, Optional, Tuple

import pytest

from lint_secrets.analysis import analyze
from lint_secrets.analysis.env_reads import call_inputs, env_read, is_credential_env_name
from lint_secrets.cli import main
from lint_secrets.rules.rs106_missing_required_secret import edit_distance

REPO = Path(__file__).resolve().parents[1]
SAMPLE_CACHE = REPO / "fixtures" / "sample" / ".lint-secrets"

WHISPER_CALL = """\
import os
import replicate

replicate.run("example/whisper-diarize", input={"huggingface_access_token": os.environ["HF_TOKEN"]})
"""
TTS_CALL = """\
import os
import replicate

key = os.environ["ELEVENLABS_API_KEY"]
replicate.run("example/text-to-speech", input={"text": "hi", "elevenlabs_api_key": key})
deployment = replicate.deployments.get("example/tts-prod")
deployment.predictions.create(input={"text": "hi", "elevenlabs_api_key": key})
"""


def project(tmp_path: Path, table: str, code: str, cache: bool = True) -> Path:
    root = tmp_path / "p"
    root.mkdir()
    (root / "pyproject.toml").write_text(f"[tool.lint-secrets]\n{table}", encoding="utf-8")
    if cache:
        shutil.copytree(SAMPLE_CACHE, root / ".lint-secrets")
    (root / "app.py").write_text(code, encoding="utf-8")
    return root


def check(capsys: pytest.CaptureFixture[str], root: Path) -> Tuple[int, List[Dict[str, object]], str]:
    code = main(["check", "--output-format", "json", str(root / "app.py")])
    out, err = capsys.readouterr()
    return code, (json.loads(out)["findings"] if out else []), err


def codes(findings: List[Dict[str, object]]) -> List[Tuple[object, object, object]]:
    return [(f["code"], f["line"], f["input"]) for f in findings]


# --------------------------------------------------------------------------- configuration


def test_accept_unredacted_silences_rs104_for_that_model_only(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = project(tmp_path, "", WHISPER_CALL)
    code, findings, _ = check(capsys, root)
    assert code == 1 and codes(findings) == [("RS104", 4, "huggingface_access_token")]
    message = str(findings[0]["message"])
    assert "'huggingface_access_token'" in message and "not known to be redacted" in message
    assert "HF_TOKEN" in message
    other = (
        '[tool.lint-secrets.models."example/text-to-speech"]\n'
        'accept-unredacted = ["huggingface_access_token"]\n'
    )
    (root / "pyproject.toml").write_text(f"[tool.lint-secrets]\n{other}", encoding="utf-8")
    assert codes(check(capsys, root)[1]) == [("RS104", 4, "huggingface_access_token")]
    accepted = other.replace("text-to-speech", "whisper-diarize")
    (root / "pyproject.toml").write_text(f"[tool.lint-secrets]\n{accepted}", encoding="utf-8")
    assert check(capsys, root)[:2] == (0, [])


def test_a_password_field_that_is_not_a_cog_secret_is_not_redacted(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """official-chat's `session_password` is `format: password` without `x-cog-secret`: a
    literal there is still RS101 (it is a secret), an env read is RS104 (it is stored)."""
    code_text = (
        "import os\nimport replicate\n\n"
        'replicate.run("example/official-chat", input={"session_password": os.environ["CHAT_PASSWORD"]})\n'
        'replicate.run("example/official-chat", input={"session_password": "hunter2-FAKE-0a1b2c"})\n'
    )
    findings = check(capsys, project(tmp_path, "", code_text))[1]
    assert codes(findings) == [("RS104", 4, "session_password"), ("RS101", 5, "session_password")]
    assert "a password field, not a cog Secret" in str(findings[0]["message"])
    assert "not known to be redacted" in str(findings[0]["message"])
    # RS101 says what the input is: not a "secret input" Replicate redacts.
    rs101 = str(findings[1]["message"])
    assert "for input 'session_password' (a password field, not redacted)" in rs101
    assert "secret input" not in rs101


ONE_PER_VALUE = """\
import os
import replicate
from pydantic_settings import BaseSettings

W = "example/whisper-diarize"
C = "example/official-chat"
H = "huggingface_access_token"


class Settings(BaseSettings):
    hf_token: str = "hf_Q8vLm2ZrT4pXw9KcN3bYd7HjF5sA1eGuVo"


settings = Settings()
replicate.run(W, input={"huggingface_access_token": "hf_Q8vLm2ZrT4pXw9KcN3bYd7HjF5sA1eGuVo"})
replicate.run(W, input={H: os.getenv("HF_TOKEN", "hf_Q8vLm2ZrT4pXw9KcN3bYd7HjF5sA1eGuVo")})
replicate.run(C, input={"session_password": os.environ.get("CHAT_PASSWORD") or "Zq7xP2mW9kLr4TbV"})
replicate.run(W, input={"huggingface_access_token": settings.hf_token})
replicate.run(W, input={"huggingface_access_token": os.environ["HF_TOKEN"]})
"""


def test_one_finding_per_value_the_literals(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A value that is both a literal and a read of a credential's variable (a fallback, a
    settings field's default) is one finding: the literal's, whose message adds that the input
    is not redacted either. An input with only the read is RS104."""
    findings = check(capsys, project(tmp_path, "", ONE_PER_VALUE))[1]
    assert codes(findings) == [
        ("RS102", 11, "huggingface_access_token"),
        ("RS102", 15, "huggingface_access_token"),
        ("RS102", 16, "huggingface_access_token"),
        ("RS101", 17, "session_password"),
        ("RS104", 19, "huggingface_access_token"),
    ]
    for finding in findings[:3]:
        assert "not known to be redacted either" in str(finding["message"]), finding["message"]
    assert "(a password field, not redacted)" in str(findings[3]["message"])
    # With the literal's rule off, the read is still reported.
    (tmp_path / "p" / "pyproject.toml").write_text('[tool.lint-secrets]\nignore = ["RS102"]\n')
    assert codes(check(capsys, tmp_path / "p")[1]) == [
        ("RS104", 16, "huggingface_access_token"),
        ("RS101", 17, "session_password"),
        ("RS104", 18, "huggingface_access_token"),
        ("RS104", 19, "huggingface_access_token"),
    ]


def test_declaring_secret_inputs_does_not_make_replicate_redact_them(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`secret-inputs` widens RS101 (a literal there is a secret) without narrowing RS104: a
    declaration in our config does not make Replicate redact anything."""
    table = (
        '[tool.lint-secrets.models."example/whisper-diarize"]\nsecret-inputs = ["huggingface_access_token"]\n'
    )
    code_text = WHISPER_CALL + (
        'replicate.run("example/whisper-diarize", input={"huggingface_access_token": "hunter2-FAKE-0a1b"})\n'
    )
    findings = check(capsys, project(tmp_path, table, code_text))[1]
    assert codes(findings) == [
        ("RS104", 4, "huggingface_access_token"),
        ("RS101", 5, "huggingface_access_token"),
    ]
    assert "not known to be redacted" in str(findings[1]["message"])


def test_accept_unredacted_alone_does_not_declare_the_models_secrets(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A table with only accept-unredacted leaves the schema to the cache: a model the cache
    lacks still gets RS102, not a declared schema with no secrets."""
    table = '[tool.lint-secrets.models."acme/uncached"]\naccept-unredacted = ["prompt"]\n'
    code_text = (
        'import replicate\nreplicate.run("acme/uncached", input={"api_key": "sk-FAKE-21db6d500446ceb4"})\n'
    )
    root = project(tmp_path, table, code_text)
    assert codes(check(capsys, root)[1]) == [("RS102", 2, "api_key")]


def test_env_names_make_a_variable_a_credential(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code_text = WHISPER_CALL.replace("HF_TOKEN", "HUB_READ")
    root = project(tmp_path, "", code_text)
    assert check(capsys, root)[:2] == (0, [])
    (root / "pyproject.toml").write_text(
        '[tool.lint-secrets.env-names]\nhf_token = "HUB_READ"\n', encoding="utf-8"
    )
    assert codes(check(capsys, root)[1]) == [("RS104", 4, "huggingface_access_token")]


def test_trusted_owners_turns_rs105_on(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = project(tmp_path, "", TTS_CALL)
    assert check(capsys, root)[:2] == (0, [])
    (root / "pyproject.toml").write_text('[tool.lint-secrets]\ntrusted-owners = ["acme"]\n', encoding="utf-8")
    code, findings, _ = check(capsys, root)
    assert code == 1
    assert [(f["code"], f["line"], f["column"]) for f in findings] == [("RS105", 5, 15), ("RS105", 7, 1)]
    assert "'example' is not in trusted-owners" in str(findings[0]["message"])
    assert "runs example/text-to-speech" in str(findings[1]["message"])
    (root / "pyproject.toml").write_text(
        '[tool.lint-secrets]\ntrusted-owners = ["acme", "example"]\n', encoding="utf-8"
    )
    assert check(capsys, root)[:2] == (0, [])


def test_a_deployment_is_judged_by_the_model_it_runs(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The deployment's own owner is trusted, the model it runs is not: reported."""
    root = project(tmp_path, 'trusted-owners = ["example"]\n', TTS_CALL)
    record = root / ".lint-secrets" / "schemas" / "deployments" / "example" / "tts-prod.json"
    data = json.loads(record.read_text(encoding="utf-8"))
    data["current_release"]["model"] = "stranger/text-to-speech"
    data["current_release"].pop("version")
    record.write_text(json.dumps(data), encoding="utf-8")
    findings = check(capsys, root)[1]
    assert [(f["code"], f["line"]) for f in findings] == [("RS105", 7)]
    assert "'stranger'" in str(findings[0]["message"])


def test_trusted_owners_is_inherited_through_extend(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = project(tmp_path, 'trusted-owners = ["acme"]\n', TTS_CALL)
    sub = root / "sub"
    sub.mkdir()
    (sub / ".lint-secrets.toml").write_text(
        'extend = "../pyproject.toml"\nschema-dir = "../.lint-secrets/schemas"\n'
    )
    shutil.copy(root / "app.py", sub / "app.py")
    code = main(["check", "--output-format", "json", str(sub / "app.py")])
    out, err = capsys.readouterr()
    assert code == 1, err
    assert {f["code"] for f in json.loads(out)["findings"]} == {"RS105"}


def test_noqa_suppresses_each_rule(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code_text = WHISPER_CALL.replace('["HF_TOKEN"]})', '["HF_TOKEN"]})  # noqa: RS104')
    root = project(tmp_path, "", code_text)
    assert check(capsys, root)[:2] == (0, [])


def test_schemas_list_shows_owners(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    root = project(tmp_path, "", "")
    monkeypatch.chdir(root)
    assert main(["schemas", "list"]) == 0
    lines = {
        line.split()[0] if not line.startswith("deployment") else line.split()[1]: line
        for line in capsys.readouterr().out.splitlines()
    }
    assert "owner: example" in lines["example/text-to-speech"]
    assert "secrets: elevenlabs_api_key" in lines["example/text-to-speech"]
    assert "owner: example (runs example/text-to-speech)" in lines["example/tts-prod"]
    assert "secrets: -" in lines["example/whisper-diarize"]
    # Only a cog Secret is redacted: a password field is listed apart, as not redacted.
    assert "secrets: -; password field, not redacted: session_password" in lines["example/official-chat"]


# --------------------------------------------------------------------------- env_reads


def _first_call_inputs(source: str) -> Tuple[Dict[str, Optional[str]], bool]:
    """{input: the variable its value is read from (None: not an env read)}, complete?"""
    analysis = analyze(ast.parse(textwrap.dedent(source)))
    sdk = analysis.sdk
    assert sdk is not None and analysis.calls
    found = call_inputs(sdk, analysis.calls[0])
    reads = {}
    for value in found.values:
        read = env_read(sdk, value.value, value.scope, value.line)
        reads[value.name] = read.variable if read else None
    return reads, found.complete


@pytest.mark.parametrize(
    "source, expected",
    [
        pytest.param(
            'import os, replicate\nreplicate.run("a/b", input={"k": os.environ["T_TOKEN"]})',
            ({"k": "T_TOKEN"}, True),
            id="subscript",
        ),
        pytest.param(
            'import os as o, replicate\nreplicate.run("a/b", input={"k": o.environ.get("T_TOKEN", "")})',
            ({"k": "T_TOKEN"}, True),
            id="aliased-get",
        ),
        pytest.param(
            'import replicate\nfrom os import getenv as g\nreplicate.run("a/b", input=dict(k=g("T_TOKEN")))',
            ({"k": "T_TOKEN"}, True),
            id="imported-getenv",
        ),
        pytest.param(
            'import replicate\nNAME = "T_" + "TOKEN"\nimport os\nv = os.environ[NAME]\n'
            'replicate.run("a/b", input={"k": v})',
            ({"k": "T_TOKEN"}, True),
            id="name-built-key-and-bound-value",
        ),
        pytest.param(
            "import replicate\ndef environ_get(k): ...\n"
            'replicate.run("a/b", input={"k": environ_get("T_TOKEN")})',
            ({"k": None}, True),
            id="look-alike-function",
        ),
        pytest.param(
            'import os, replicate\nos = None\nreplicate.run("a/b", input={"k": os.environ["T_TOKEN"]})',
            ({"k": None}, True),
            id="os-rebound",
        ),
        pytest.param(
            'import replicate\ndef f(extra):\n    replicate.run("a/b", input={"k": 1, **extra})',
            ({"k": None}, False),
            id="spread-from-parameter",
        ),
        pytest.param(
            'import replicate\ndef f(key):\n    d = {}\n    d[key] = 1\n    replicate.run("a/b", input=d)',
            ({}, False),
            id="unknown-key",
        ),
        pytest.param(
            'import replicate\nreplicate.run("a/b", input=make())',
            ({}, False),
            id="built-by-a-call",
        ),
        pytest.param(
            'import replicate\nreplicate.run("a/b")',
            ({}, True),
            id="no-inputs",
        ),
        # The inputs of values.py's resolution, with the expression of each value.
        pytest.param(
            'import os, replicate\nBASE = {"a": 1}\ndef f():\n    base = {"b": 2}\n'
            '    replicate.run("a/b", input=BASE | base | {"k": os.environ["T_TOKEN"]})',
            ({"a": None, "b": None, "k": "T_TOKEN"}, True),
            id="merged-with-bar",
        ),
        pytest.param(
            'import os, replicate\nBASE = {"a": 1}\n'
            'replicate.run("a/b", input=dict(BASE.copy(), k=os.environ["T_TOKEN"]))',
            ({"a": None, "k": "T_TOKEN"}, True),
            id="dict-of-a-copy",
        ),
        pytest.param(
            'import os, replicate\ndef build():\n    return {"k": os.getenv("T_TOKEN")}\n'
            'replicate.run("a/b", input=build())',
            ({"k": "T_TOKEN"}, True),
            id="returned-by-a-function",
        ),
        pytest.param(
            "import os, replicate\n"
            'replicate.run("a/b", input={k: v for k, v in [("k", os.environ["T_TOKEN"])]})',
            ({"k": "T_TOKEN"}, True),
            id="comprehension-over-pairs",
        ),
        # A module-level dict another function fills: the code doesn't say what it holds at the call.
        pytest.param(
            'import os, replicate\nINPUTS = {"a": 1}\ndef setup():\n    INPUTS["k"] = os.environ["T_TOKEN"]\n'
            'def run():\n    replicate.run("a/b", input=INPUTS)',
            ({"a": None}, False),
            id="filled-by-subscript-in-another-function",
        ),
        pytest.param(
            'import os, replicate\nINPUTS = {"a": 1}\ndef run():\n    replicate.run("a/b", input=INPUTS)\n'
            'def configure():\n    INPUTS.update(k=os.environ["T_TOKEN"])',
            ({"a": None}, False),
            id="updated-in-a-function-defined-later",
        ),
        pytest.param(
            'import os, replicate\nINPUTS = {"a": 1}\ndef other():\n    INPUTS = {}\n    INPUTS["k"] = 1\n'
            'def run():\n    replicate.run("a/b", input=INPUTS)',
            ({"a": None}, True),
            id="a-local-of-the-same-name-is-another-dict",
        ),
    ],
)
def test_call_inputs_and_env_reads(source: str, expected: Tuple[Dict[str, Optional[str]], bool]) -> None:
    assert _first_call_inputs(source) == expected


SETTINGS = """\
import os
from dataclasses import dataclass, field
from functools import lru_cache

import replicate
from dotenv import dotenv_values
from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="APP_")
    hf_secret: SecretStr
    aliased: str = Field(validation_alias="HUGGINGFACE_HUB_TOKEN")
    old_style: str = Field(..., env="OLD_TOKEN")


settings = Settings()


@lru_cache
def get_settings() -> Settings:
    return Settings()


@dataclass
class Cfg:
    other: str = field(default_factory=lambda: os.environ["HF_TOKEN"])


cfg = Cfg()
env = dotenv_values(".env")
SECRETS = {"hf": os.environ["HF_TOKEN"], "lang": "en"}


def helper() -> str:
    return os.environ["HF_TOKEN"]

"""


@pytest.mark.parametrize(
    "value, variable",
    [
        ("settings.hf_secret.get_secret_value()", "APP_HF_SECRET"),
        ("settings.aliased", "HUGGINGFACE_HUB_TOKEN"),
        ("settings.old_style", "OLD_TOKEN"),
        ("get_settings().hf_secret", "APP_HF_SECRET"),
        ("Settings().hf_secret.get_secret_value()", "APP_HF_SECRET"),
        ("cfg.other", "HF_TOKEN"),
        ('env["HF_TOKEN"]', "HF_TOKEN"),
        ('dotenv_values()["HF_TOKEN"]', "HF_TOKEN"),
        ("helper()", "HF_TOKEN"),
        ('str(os.environ["HF_TOKEN"])', "HF_TOKEN"),
        ('os.environ["HF_TOKEN"].strip()', "HF_TOKEN"),
        ('SECRETS["hf"]', "HF_TOKEN"),
        ("f\"key is {os.environ['HF_TOKEN']}\"", "HF_TOKEN"),
        ('"Bearer " + helper()', "HF_TOKEN"),
        # Not the value: a number, a test, another key.
        ('len(os.environ["HF_TOKEN"])', None),
        ('os.environ["HF_TOKEN"].startswith("hf_")', None),
        ('SECRETS["lang"]', None),
        ('f"{len(helper())} characters"', None),
    ],
)
def test_env_reads_are_followed(value: str, variable: Optional[str]) -> None:
    source = SETTINGS + f'replicate.run("a/b", input={{"k": {value}}})\n'
    assert _first_call_inputs(source) == ({"k": variable}, True)


@pytest.mark.parametrize(
    "name",
    [
        "HF_TOKEN",
        "REPLICATE_API_TOKEN",
        "OPENAI_API_KEY",
        "APIKEY",
        "AWS_SECRET",
        "DB_PASSWORD",
        "PGPASSWORD",
        "AWS_SECRET_ACCESS_KEY",
        "hf_token",
        # The last word decides: any `*_KEY` but a cache's, a sort's, a public one...
        "OPENAI_KEY",
        "LICENSE_KEY",
        "HF_KEY",
        "GITHUB_PAT",
        "DB_PASS",
        "SESSION_COOKIE",
        "CLIENT_SECRET",
        "hfToken",
    ],
)
def test_credential_env_names(name: str) -> None:
    assert is_credential_env_name(name)


@pytest.mark.parametrize(
    "name",
    [
        "MODEL_NAME",
        "MAX_TOKENS",
        "TOKENIZER",
        "TOKEN_LIMIT",
        "SECRET_SANTA_MODE",
        "AUDIO_URL",
        "HF_HOME",
        "PASSWORD_RESET_URL",
        "PASSWORD_MIN_LENGTH",
        "API_KEY_HEADER",
        "SECRET_KEY_PATH",
        # Text tokens and counts, as for input names.
        "MAX_TOKEN",
        "EOS_TOKEN",
        "NUM_TOKENS",
        # A file's path, not its content.
        "GOOGLE_APPLICATION_CREDENTIALS",
        "CACHE_KEY",
        "SORT_KEY",
        "PUBLIC_KEY",
        "STRIPE_PUBLISHABLE_KEY",
        "KEY",
        "FIRST_PASS",
    ],
)
def test_not_credential_env_names(name: str) -> None:
    assert not is_credential_env_name(name)


def test_configured_names_are_credentials() -> None:
    assert not is_credential_env_name("HUB_READ")
    assert is_credential_env_name("HUB_READ", frozenset({"HUB_READ"}))
    assert not is_credential_env_name("HF_TOKEN", excluded=frozenset({"HF_TOKEN"}))


def test_secret_env_names_and_non_secret_env_names(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`secret-env-names` adds variables the names don't give away; `non-secret-env-names` says
    a variable named like a credential is not one (a path, a public key)."""
    code_text = (
        "import os\nimport replicate\n\n"
        'W = "example/whisper-diarize"\n'
        'replicate.run(W, input={"huggingface_access_token": os.environ["HUB_READ"]})\n'
        'replicate.run(W, input={"language": os.environ["LANG_TOKEN"]})\n'
    )
    root = project(tmp_path, "", code_text)
    assert codes(check(capsys, root)[1]) == [("RS104", 6, "language")]
    table = 'secret-env-names = ["HUB_READ"]\nnon-secret-env-names = ["LANG_TOKEN"]\n'
    (root / "pyproject.toml").write_text(f"[tool.lint-secrets]\n{table}", encoding="utf-8")
    assert codes(check(capsys, root)[1]) == [("RS104", 5, "huggingface_access_token")]
    # A sub-project inherits both lists, and may move a name from one to the other.
    sub = root / "sub"
    sub.mkdir()
    (sub / ".lint-secrets.toml").write_text(
        'extend = "../pyproject.toml"\nschema-dir = "../.lint-secrets/schemas"\n'
        'secret-env-names = ["LANG_TOKEN"]\n',
        encoding="utf-8",
    )
    shutil.copy(root / "app.py", sub / "app.py")
    main(["check", "--output-format", "json", str(sub / "app.py")])
    found = json.loads(capsys.readouterr().out)["findings"]
    assert codes(found) == [("RS104", 5, "huggingface_access_token"), ("RS104", 6, "language")]


@pytest.mark.parametrize(
    "table, expected",
    [
        ('secret-env-names = "HF"\n', "'secret-env-names' must be a list of strings"),
        ('non-secret-env-names = ["1BAD"]\n', "'non-secret-env-names' entry '1BAD' is not a valid"),
        (
            'secret-env-names = ["X_TOKEN"]\nnon-secret-env-names = ["X_TOKEN"]\n',
            "'X_TOKEN' is in both 'secret-env-names' and 'non-secret-env-names'",
        ),
        ('secret-env-name = ["X"]\n', "did you mean 'secret-env-names'?"),
    ],
)
def test_env_name_lists_are_validated(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], table: str, expected: str
) -> None:
    root = project(tmp_path, table, WHISPER_CALL)
    code, findings, err = check(capsys, root)
    assert code == 2 and findings == [] and expected in err and "pyproject.toml" in err


@pytest.mark.parametrize(
    "a, b, distance",
    [("hftoken", "hftoken", 0), ("hftoken", "hftokn", 1), ("hftoken", "hftokne", 2), ("abc", "xyzabc", 3)],
)
def test_edit_distance(a: str, b: str, distance: int) -> None:
    assert edit_distance(a, b, 3) == distance


def _strict_trainer(root: Path) -> None:
    """A trainer that requires a secret input to train: `hub_token`, a cog Secret."""
    secret = {"type": "string", "format": "password", "writeOnly": True, "x-cog-secret": True}
    schema = {
        "components": {
            "schemas": {
                "Input": {"type": "object", "properties": {"prompt": {"type": "string"}}},
                "TrainingInput": {
                    "type": "object",
                    "properties": {"images": {"type": "string"}, "hub_token": secret},
                    "required": ["images", "hub_token"],
                },
            }
        }
    }
    model = {"latest_version": {"id": "a" * 64, "openapi_schema": schema}}
    path = root / ".lint-secrets" / "schemas" / "models" / "stranger" / "strict-trainer.json"
    path.parent.mkdir(parents=True)
    path.write_text(json.dumps(model), encoding="utf-8")


def test_messages_say_what_is_sent_and_what_fails(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code_text = (
        "import os\nimport replicate\n\n"
        'replicate.trainings.create(model="stranger/strict-trainer", version="a" * 64, input={"images": 1})\n'
        'replicate.run("example/whisper-diarize", input={"language": f"{os.environ[\'HF_TOKEN\']}"})\n'
    )
    root = project(tmp_path, 'trusted-owners = ["acme"]\n', code_text)
    _strict_trainer(root)
    findings = check(capsys, root)[1]
    assert [(f["code"], f["line"]) for f in findings] == [("RS106", 4), ("RS105", 5), ("RS104", 5)]
    assert "the training will fail" in str(findings[0]["message"])
    assert "prediction" not in str(findings[0]["message"])
    rs105 = str(findings[1]["message"])
    assert "gets a secret in input 'language'" in rs105 and "secret input" not in rs105


EXPECTED_SARIF = {
    # code: (CWE tag or None, level, security-severity or None)
    "RS100": (None, "note", None),
    "RS101": ("external/cwe/cwe-798", "error", "8.5"),
    "RS102": ("external/cwe/cwe-798", "error", "7.0"),
    "RS103": ("external/cwe/cwe-798", "error", "9.5"),
    "RS104": ("external/cwe/cwe-312", "error", "6.5"),
    "RS105": ("external/cwe/cwe-201", "warning", "5.0"),
    "RS106": (None, "warning", None),
    "RS201": ("external/cwe/cwe-312", "error", "6.5"),
    "RS202": ("external/cwe/cwe-798", "error", "8.0"),
    "RS203": ("external/cwe/cwe-532", "error", "7.0"),
}


def test_sarif_tags_each_rule_with_its_own_weakness_and_level(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A missing required input is a functional problem (a warning, not a security alert); each
    security rule names the weakness it reports (hardcoded credential, cleartext storage,
    sensitive data sent to another party, sensitive data in logs)."""
    code_text = 'import replicate\nreplicate.run("example/text-to-speech", input={"text": "hi"})\n'
    root = project(tmp_path, "", code_text)
    assert main(["check", "--output-format", "sarif", str(root / "app.py")]) == 1
    run = json.loads(capsys.readouterr().out)["runs"][0]
    rules = {rule["id"]: rule for rule in run["tool"]["driver"]["rules"]}
    assert set(rules) == set(EXPECTED_SARIF)
    for code, (cwe, level, severity) in EXPECTED_SARIF.items():
        tags = rules[code]["properties"]["tags"]
        assert rules[code]["defaultConfiguration"] == {"level": level}, code
        assert ("security" in tags) == (cwe is not None), code
        assert [t for t in tags if t.startswith("external/cwe/")] == ([cwe] if cwe else []), code
        assert rules[code]["properties"].get("security-severity") == severity, code
        if code not in ("RS101", "RS102", "RS103", "RS202"):
            assert "exposed in the source" not in rules[code]["help"]["markdown"], code
    assert [(r["ruleId"], r["level"]) for r in run["results"]] == [("RS106", "warning")]


def test_a_typo_in_accept_unredacted_is_noted(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """An input or model that accept-unredacted names wrongly would silence nothing, silently."""
    table = (
        '[tool.lint-secrets.models."example/whisper-diarize"]\n'
        'accept-unredacted = ["huggingface_acess_token"]\n'
        '[tool.lint-secrets.models."example/whisper-diarise"]\n'
        'accept-unredacted = ["huggingface_access_token"]\n'
    )
    root = project(tmp_path, table, WHISPER_CALL + WHISPER_CALL.split("\n", 3)[3])
    code, findings, err = check(capsys, root)
    # The input is an error of the configuration (tests/test_accept_unredacted_config.py).
    assert code == 2 and codes(findings) == [
        ("RS104", 4, "huggingface_access_token"),
        ("RS104", 5, "huggingface_access_token"),
    ]
    notes = [line for line in err.splitlines() if "accept-unredacted" in line]
    assert notes == [
        f"lint-secrets: error: {root / 'pyproject.toml'}: "
        '[tool.lint-secrets.models."example/whisper-diarize"] accept-unredacted names '
        "'huggingface_acess_token', which is not an input of the model's cached schema "
        "(did you mean 'huggingface_access_token'?)",
        'lint-secrets: note: [tool.lint-secrets.models."example/whisper-diarise"] accept-unredacted: '
        "no such model in the schema cache (did you mean 'example/whisper-diarize'?)",
    ]


SETTINGS_DEFAULT = """\
import replicate
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="APP_")
    hf_token: str = "hf_Q8vLm2ZrT4pXw9KcN3bYd7HjF5sA1eGuVo"


settings = Settings()
replicate.run("example/whisper-diarize", input={"huggingface_access_token": settings.hf_token})
"""


def test_a_settings_field_default_is_fixed_by_removing_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The field reads APP_HF_TOKEN itself once its default goes; it becomes required, so the
    fix is unsafe (settings-field-default), not a module constant's safe read."""
    root = project(tmp_path, "", SETTINGS_DEFAULT)
    findings = check(capsys, root)[1]
    assert [(f["code"], f["line"], f["fix_kind"], f["fix_applicability"]) for f in findings] == [
        ("RS102", 7, "settings-field-default", "unsafe")
    ]
    main(["check", "--fix", str(root / "app.py")])
    capsys.readouterr()
    assert (root / "app.py").read_text(encoding="utf-8") == SETTINGS_DEFAULT
    env_file = root / ".env"
    main(["check", "--fix", "--unsafe-fixes", "--env-file", str(env_file), str(root / "app.py")])
    err = capsys.readouterr().err
    assert (root / "app.py").read_text(encoding="utf-8") == SETTINGS_DEFAULT.replace(
        '    hf_token: str = "hf_Q8vLm2ZrT4pXw9KcN3bYd7HjF5sA1eGuVo"\n', "    hf_token: str\n"
    )
    assert env_file.read_text(encoding="utf-8") == "APP_HF_TOKEN=hf_Q8vLm2ZrT4pXw9KcN3bYd7HjF5sA1eGuVo\n"
    assert "APP_HF_TOKEN" in err


def test_a_settings_field_keeps_its_variable_across_files(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The field reads APP_HF_TOKEN whatever another file holds: its variable is never renamed
    (`_2`), even when a file checked before it sends another value under that name."""
    root = project(tmp_path, '[tool.lint-secrets.env-names]\nhuggingface_access_token = "APP_HF_TOKEN"\n', "")
    (root / "z_settings.py").write_text(SETTINGS_DEFAULT, encoding="utf-8")
    (root / "app.py").write_text(
        'import replicate\nT = "hf_Zz9yX8wV7uT6sR5qP4oN3mL2kJ1iH0gF"\n'
        'replicate.run("example/whisper-diarize", input={"huggingface_access_token": T})\n',
        encoding="utf-8",
    )
    main(["check", "--fix", "--unsafe-fixes", str(root / "app.py"), str(root / "z_settings.py")])
    capsys.readouterr()
    assert "    hf_token: str\n" in (root / "z_settings.py").read_text(encoding="utf-8")
    assert 'T = os.environ.get("APP_HF_TOKEN_2")' in (root / "app.py").read_text(encoding="utf-8")
