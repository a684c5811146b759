# ruff: noqa: E501  (fixed lines are as long as the rewrite makes them)
"""Model inputs in the body of requests to Replicate's REST API: found like the SDK's calls
(tests/cases/rest_api.py has each form with its line and column), fixed the same way, counted
as unresolved when the model is not in the code, and run for real against a local server."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import textwrap
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, ClassVar, Dict, Iterator, List, Tuple

import pytest
from conftest import run_cli

REPO = Path(__file__).resolve().parent.parent
SCHEMAS = REPO / "fixtures" / "sample" / ".lint-secrets" / "schemas"
TTS_LATEST = "f03c922a7b4f838b5a51b41f1909a637f9aa81916a7d01c8fad095069847e91c"
LORA_LATEST = "84485d60a129ffdb50f61b0b6549f5e460e21207a2e68dc91ce0460850fc4240"

EL = "el-FAKE2b1c0f9a8d7e6c5b4a39f8e7"
HF = "hf_FAKEaBcDeFgHiJkLmNoPqRsTuVwXyZ0123"
SK = "sk-proj-FAKE4fQ9xZ2mL7vB1nC8kJ3h"
SECRETS = (EL, HF, SK)
MARKERS = {"<EL>": EL, "<HF>": HF, "<SK>": SK, "<TTS_LATEST>": TTS_LATEST, "<LORA_LATEST>": LORA_LATEST}


def src(text: str) -> str:
    text = textwrap.dedent(text)
    for marker, value in MARKERS.items():
        text = text.replace(marker, value)
    return text


def project(tmp_path: Path, config: str = "") -> Path:
    shutil.copytree(SCHEMAS, tmp_path / ".lint-secrets" / "schemas")
    (tmp_path / "pyproject.toml").write_text(f"[tool.lint-secrets]\n{config}", encoding="utf-8")
    return tmp_path


def run(capsys: pytest.CaptureFixture[str], *args: str) -> Tuple[int, str, str]:
    return run_cli(capsys, ["check", *args], never_shown=SECRETS)


def report(capsys: pytest.CaptureFixture[str], *args: str) -> Dict[str, Any]:
    _code, out, _err = run(capsys, "--output-format", "json", *args)
    return dict(json.loads(out))


FIXES = [
    pytest.param(
        """\
        import os

        import requests

        requests.post(
            "https://api.replicate.com/v1/predictions",
            json={"version": "<TTS_LATEST>", "input": {"text": "hi", "elevenlabs_api_key": "<EL>"}},
        )
        """,
        """\
        import os

        import requests

        requests.post(
            "https://api.replicate.com/v1/predictions",
            json={"version": "<TTS_LATEST>", "input": {"text": "hi", "elevenlabs_api_key": os.environ["ELEVENLABS_API_KEY"]}},
        )
        """,
        ("RS101", 7, 136),
        id="requests-predictions-version-field",
    ),
    pytest.param(
        """\
        import httpx

        OWNER, NAME = "example", "text-to-speech"


        async def speak(text):
            async with httpx.AsyncClient() as client:
                return await client.post(
                    f"https://api.replicate.com/v1/models/{OWNER}/{NAME}/predictions",
                    json={"input": {"text": text, "elevenlabs_api_key": "<EL>"}},
                )
        """,
        """\
        import httpx
        import os

        OWNER, NAME = "example", "text-to-speech"


        async def speak(text):
            async with httpx.AsyncClient() as client:
                return await client.post(
                    f"https://api.replicate.com/v1/models/{OWNER}/{NAME}/predictions",
                    json={"input": {"text": text, "elevenlabs_api_key": os.environ["ELEVENLABS_API_KEY"]}},
                )
        """,
        ("RS101", 10, 65),
        id="httpx-async-client-f-string-url",
    ),
    pytest.param(
        """\
        import os

        import requests

        URL = "https://api.replicate.com/v1/models/acme/private-model/predictions"
        HF_TOKEN = "<HF>"
        session = requests.Session()
        session.post(URL, json={"input": {"prompt": "a cat", "hf_token": HF_TOKEN}})
        """,
        """\
        import os

        import requests

        URL = "https://api.replicate.com/v1/models/acme/private-model/predictions"
        HF_TOKEN = os.environ.get("HF_TOKEN")
        session = requests.Session()
        session.post(URL, json={"input": {"prompt": "a cat", "hf_token": HF_TOKEN}})
        """,
        ("RS102", 6, 12),
        id="session-url-constant-module-constant",
    ),
    pytest.param(
        """\
        import json
        import os

        import aiohttp


        async def train(session: aiohttp.ClientSession):
            body = {"destination": "me/lora"}
            body["input"] = {"images": "https://example.org/x.zip", "hub_token": "<HF>"}
            async with session.post(
                "https://api.replicate.com/v1/models/example/lora-trainer/versions/<LORA_LATEST>/trainings",
                data=json.dumps(body),
            ) as reply:
                return await reply.json()
        """,
        """\
        import json
        import os

        import aiohttp


        async def train(session: aiohttp.ClientSession):
            body = {"destination": "me/lora"}
            body["input"] = {"images": "https://example.org/x.zip", "hub_token": os.environ["HUB_TOKEN"]}
            async with session.post(
                "https://api.replicate.com/v1/models/example/lora-trainer/versions/<LORA_LATEST>/trainings",
                data=json.dumps(body),
            ) as reply:
                return await reply.json()
        """,
        ("RS101", 9, 74),
        id="aiohttp-training-body-filled-in",
    ),
    pytest.param(
        """\
        import os

        import requests

        requests.request(
            "post",
            "https://api.replicate.com/v1/deployments/example/tts-prod/predictions",
            json=dict(input={"elevenlabs_api_key": "<EL>"}),
        )
        """,
        """\
        import os

        import requests

        requests.request(
            "post",
            "https://api.replicate.com/v1/deployments/example/tts-prod/predictions",
            json=dict(input={"elevenlabs_api_key": os.environ["ELEVENLABS_API_KEY"]}),
        )
        """,
        ("RS101", 8, 44),
        id="deployment-request-method-dict-call",
    ),
]


@pytest.mark.parametrize(("before", "after", "expected"), FIXES)
def test_rest_body_inputs_are_reported_and_fixed_like_sdk_calls(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    before: str,
    after: str,
    expected: Tuple[str, int, int],
) -> None:
    root = project(tmp_path)
    path = root / "app.py"
    path.write_text(src(before), encoding="utf-8")
    found = report(capsys, str(path))
    assert [(f["code"], f["line"], f["column"]) for f in found["findings"]] == [expected]
    assert found["findings"][0]["fixable"]
    assert "POST /v1/" in found["findings"][0]["message"]
    code, out, err = run(capsys, "--fix", str(path))
    assert code == 0, (out, err)
    assert path.read_text(encoding="utf-8") == src(after)
    assert run(capsys, "--fix", str(path))[0] == 0  # nothing left, nothing changed
    assert path.read_text(encoding="utf-8") == src(after)


def test_unresolved_rest_calls_are_counted_and_reported_with_rs100(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = project(tmp_path)
    path = root / "app.py"
    path.write_text(
        src(
            """\
            import requests

            API = "https://api.replicate.com/v1"


            def run(model, inputs):
                owner, name = model.split("/")
                return requests.post(f"{API}/models/{owner}/{name}/predictions", json={"input": inputs})


            def create(version, prompt):
                return requests.post(f"{API}/predictions", json={"version": version, "input": {"prompt": prompt}})


            def forward(path, **options):
                return requests.post(f"{API}/{path}", **options)


            def chat(**options):
                return requests.post(f"{API}/models/example/official-chat/predictions", **options)


            requests.post(f"{API}/models/example/official-chat/predictions", json={"input": {"prompt": "hi"}})
            """
        ),
        encoding="utf-8",
    )
    found = report(capsys, str(path))
    assert found["findings"] == []
    assert found["unresolved"] == [{"path": str(path), "line": line} for line in (8, 12, 20)]
    code, out, err = run(capsys, "--extend-select", "RS100", str(path))
    assert code == 1
    assert (
        f"{path}:8:12: RS100 Replicate POST /v1/models/{{owner}}/{{name}}/predictions call whose model and inputs are not worked out"
        in out
    )
    assert f"{path}:12:12: RS100 Replicate POST /v1/predictions call whose model is not worked out" in out
    assert (
        f"{path}:20:12: RS100 Replicate POST /v1/models/{{owner}}/{{name}}/predictions call whose inputs are not worked out"
        in out
    )
    assert "3 Replicate call(s) whose model or inputs could not be worked out" in err


def test_a_secret_sent_to_an_unresolved_model_is_still_found_by_its_name(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = project(tmp_path)
    path = root / "app.py"
    path.write_text(
        src(
            """\
            import requests


            def run(owner, name, prompt):
                url = f"https://api.replicate.com/v1/models/{owner}/{name}/predictions"
                return requests.post(url, json={"input": {"prompt": prompt, "api_key": "<SK>"}})
            """
        ),
        encoding="utf-8",
    )
    found = report(capsys, str(path))
    assert [(f["code"], f["line"], f["column"], f["model"]) for f in found["findings"]] == [
        ("RS102", 6, 76, None)
    ]
    assert "of an unresolved model" in found["findings"][0]["message"]
    assert found["unresolved"] == [{"path": str(path), "line": 6}]


def test_secret_handling_rules_apply_to_rest_bodies(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """RS104 (a secret to an input not declared Secret), RS105 (an untrusted owner, reported at
    the URL) and RS106 (a required secret missing, reported at the inputs)."""
    root = project(tmp_path, 'trusted-owners = ["acme"]\n')
    path = root / "app.py"
    path.write_text(
        src(
            """\
            import os

            import requests

            CHAT = "https://api.replicate.com/v1/models/example/official-chat/predictions"
            requests.post(CHAT, json={"input": {"prompt": os.environ["HF_TOKEN"]}})
            requests.post(
                "https://api.replicate.com/v1/models/example/text-to-speech/predictions",
                json={"input": {"text": "hi"}},
            )
            """
        ),
        encoding="utf-8",
    )
    found = report(capsys, str(path))
    assert [(f["code"], f["line"], f["column"]) for f in found["findings"]] == [
        ("RS105", 6, 15),
        ("RS104", 6, 47),
        ("RS106", 9, 20),
    ]


@pytest.mark.parametrize(
    "code",
    [
        pytest.param(
            'requests.post("https://api.example.com/v1/predictions", json={"input": {"api_key": "<SK>"}})',
            id="another-host",
        ),
        pytest.param(
            'requests.post("https://api.replicate.com.example.org/v1/predictions", json={"input": {"api_key": "<SK>"}})',
            id="a-host-that-only-starts-like-replicates",
        ),
        pytest.param(
            'requests.post("https://api.github.com/repos/a/b/dispatches", json={"client_payload": {"input": {"api_key": "<SK>"}}})',
            id="github-api",
        ),
        pytest.param(
            'requests.post("https://api.replicate.com/v1/predictions", json={"version": "<TTS_LATEST>", "webhook": "https://x.example/?k=<SK>", "input": {"text": "hi", "elevenlabs_api_key": os.environ["EL"]}})',
            id="non-input-key-of-the-body",
        ),
        pytest.param(
            'requests.post("https://api.replicate.com/v1/predictions/abc/cancel", json={"input": {"api_key": "<SK>"}})',
            id="another-endpoint",
        ),
        pytest.param(
            'requests.get("https://api.replicate.com/v1/models/a/b/predictions", params={"input": {"api_key": "<SK>"}})',
            id="not-a-post",
        ),
        pytest.param(
            'requests.request("GET", "https://api.replicate.com/v1/models/a/b/predictions", json={"input": {"api_key": "<SK>"}})',
            id="request-with-another-method",
        ),
    ],
)
def test_not_model_inputs(tmp_path: Path, capsys: pytest.CaptureFixture[str], code: str) -> None:
    root = project(tmp_path)
    path = root / "app.py"
    text = src(f"import os\n\nimport requests\n\n{code}\n")
    path.write_text(text, encoding="utf-8")
    found = report(capsys, "--extend-select", "RS100", str(path))
    assert found["findings"] == [] and found["unresolved"] == []
    assert run(capsys, "--fix", str(path))[0] == 0
    assert path.read_text(encoding="utf-8") == text


def test_rest_call_in_a_notebook_is_found_fixed_and_counted(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = project(tmp_path)
    path = root / "demo.ipynb"

    def cell(source: str) -> Dict[str, Any]:
        return {
            "cell_type": "code",
            "execution_count": None,
            "metadata": {},
            "outputs": [],
            "source": source.splitlines(keepends=True),
        }

    notebook = {
        "cells": [
            cell('import requests\nAPI = "https://api.replicate.com/v1"'),
            cell(
                f'requests.post(f"{{API}}/models/example/text-to-speech/predictions", json={{"input": {{"elevenlabs_api_key": "{EL}"}}}})\n'
            ),
            cell(
                'def run(model, inputs):\n    requests.post(f"{API}/models/{model}/predictions", json={"input": inputs})'
            ),
        ],
        "metadata": {},
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    path.write_text(json.dumps(notebook, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    found = report(capsys, str(path))
    assert [(f["code"], f["cell"], f["line"], f["column"]) for f in found["findings"]] == [
        ("RS101", 2, 1, 105)
    ]
    # The unresolved call's line is the .ipynb file's line that holds it, as annotations say.
    (unresolved,) = found["unresolved"]
    lines = path.read_text(encoding="utf-8").splitlines()
    assert '    requests.post(f\\"{API}/models/{model}/predictions' in lines[unresolved["line"] - 1]
    assert run(capsys, "--fix", str(path))[0] == 0
    sources = ["".join(c["source"]) for c in json.loads(path.read_text(encoding="utf-8"))["cells"]]
    assert sources[1] == (
        "import os\n"
        'requests.post(f"{API}/models/example/text-to-speech/predictions", json={"input": {"elevenlabs_api_key": os.environ["ELEVENLABS_API_KEY"]}})\n'
    )


# ---------------------------------------------------------------------------
# The fixed request, run for real against a local server standing in for the API


class _Recorder(BaseHTTPRequestHandler):
    bodies: ClassVar[List[Any]] = []

    def do_POST(self) -> None:
        length = int(self.headers["Content-Length"])
        type(self).bodies.append((self.path, json.loads(self.rfile.read(length))))
        reply = b'{"id": "p1", "status": "starting"}'
        self.send_response(201)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(reply)))
        self.end_headers()
        self.wfile.write(reply)

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture()
def local_api() -> Iterator[Tuple[str, List[Any]]]:
    _Recorder.bodies = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Recorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/v1", _Recorder.bodies
    finally:
        server.shutdown()
        server.server_close()


def test_fixed_request_sends_the_secret_from_the_environment(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], local_api: Tuple[str, List[Any]]
) -> None:
    base, bodies = local_api
    root = project(tmp_path)
    path = root / "predict.py"
    path.write_text(
        src(
            """\
            import json
            import urllib.request

            API = os.getenv("REPLICATE_API_BASE", "https://api.replicate.com/v1")
            request = urllib.request.Request(
                f"{API}/models/example/text-to-speech/predictions",
                data=json.dumps({"input": {"text": "hi", "elevenlabs_api_key": "<EL>"}}).encode(),
                headers={"Content-Type": "application/json"},
            )
            print(urllib.request.urlopen(request).status)
            """
        ).replace("import json\n", "import json\nimport os\n"),
        encoding="utf-8",
    )
    found = report(capsys, str(path))
    assert [(f["code"], f["line"]) for f in found["findings"]] == [("RS101", 8)]
    assert run(capsys, "--fix", str(path))[0] == 0
    fixed = path.read_text(encoding="utf-8")
    assert EL not in fixed and 'os.environ["ELEVENLABS_API_KEY"]' in fixed
    env = {
        "PATH": "/usr/bin:/bin",
        "REPLICATE_API_BASE": base,
        "ELEVENLABS_API_KEY": "el-from-the-environment",
    }
    done = subprocess.run([sys.executable, str(path)], capture_output=True, text=True, env=env, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout == "201\n"
    assert bodies == [
        (
            "/v1/models/example/text-to-speech/predictions",
            {"input": {"text": "hi", "elevenlabs_api_key": "el-from-the-environment"}},
        )
    ]
