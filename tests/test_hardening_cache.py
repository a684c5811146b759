"""The schema cache and the configuration as hostile input, past what issue 16 first covered:
a linked cache directory, JSON that Python reads but JSON does not allow, `$ref` walks that
go deep or far, and selections that leave nothing to check.

Real files and links, real processes, a real HTTP server on 127.0.0.1.
"""

from __future__ import annotations

import json
import shutil
import threading
from pathlib import Path
from typing import Any, Dict, Iterator, List, Tuple

import pytest
from conftest import run_cli, sample_project
from test_api import MODEL_PATH, FakeApi, _Handler, _Server  # the fake API server

REPO = Path(__file__).resolve().parent.parent
SECRET = "el-FAKE-abcdef1234567890ZZ"
GOOD = (
    "import replicate\n"
    f'replicate.run("example/text-to-speech", input={{"text": "hi", "elevenlabs_api_key": "{SECRET}"}})\n'
)
TOKEN = "r8_FAKEtokenNeverSentAnywhere0123456789"


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = sample_project(tmp_path / "project", monkeypatch)
    (root / "good.py").write_text(GOOD)
    monkeypatch.setenv("REPLICATE_API_TOKEN", TOKEN)
    return root


@pytest.fixture
def api() -> Iterator[FakeApi]:
    fake = FakeApi()
    server = _Server(("127.0.0.1", 0), _Handler)
    server.api = fake
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True)
    thread.start()
    fake.base_url = f"http://127.0.0.1:{server.server_address[1]}/v1"
    try:
        yield fake
    finally:
        fake.release.set()
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> Tuple[int, str, str]:
    return run_cli(capsys, argv, never_shown=(SECRET,))


def error_lines(err: str) -> List[str]:
    return [line for line in err.splitlines() if "error" in line]


# ------------------------------------------------------------------ a linked cache directory


@pytest.fixture
def linked_cache(project: Path, tmp_path: Path) -> Path:
    """`.lint-secrets` is a link to a directory outside the project, holding a full cache."""
    outside = tmp_path / "elsewhere"
    shutil.move(str(project / ".lint-secrets"), outside)
    (project / ".lint-secrets").symlink_to(outside, target_is_directory=True)
    return outside


def test_check_does_not_read_a_cache_reached_through_a_link(
    project: Path, linked_cache: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, "check", "good.py")
    assert code == 2
    [line] = error_lines(err)
    assert f"{project / '.lint-secrets'} is a symbolic link" in line
    assert "RS101" not in out  # the schema that marks the input secret was not read


def test_a_schema_dir_that_is_itself_a_link_is_refused(
    project: Path, linked_cache: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (project / ".lint-secrets").unlink()
    (project / "cache").symlink_to(linked_cache / "schemas", target_is_directory=True)
    code, _out, err = run(capsys, "check", "--schema-dir", "cache", "good.py")
    assert code == 2
    assert f"{project / 'cache'} is a symbolic link" in err
    code, _out, err = run(capsys, "schemas", "list", "--schema-dir", "cache")
    assert code == 2
    [line] = error_lines(err)
    assert f"{project / 'cache'} is a symbolic link" in line


def test_pull_writes_nothing_through_a_linked_cache_and_sends_nothing(
    project: Path, linked_cache: Path, api: FakeApi, capsys: pytest.CaptureFixture[str]
) -> None:
    before = sorted(p.relative_to(linked_cache) for p in linked_cache.rglob("*"))
    code, _out, err = run(
        capsys, "schemas", "pull", "--refresh", "--base-url", api.base_url, "example/text-to-speech"
    )
    assert code == 2
    [line] = error_lines(err)
    assert "is a symbolic link" in line and "nothing fetched" in line
    assert api.paths() == []
    assert sorted(p.relative_to(linked_cache) for p in linked_cache.rglob("*")) == before
    # Without REFs too (each sub-project's cache, found from the code).
    code, _out, err = run(capsys, "schemas", "pull", "--refresh", "--base-url", api.base_url)
    assert code == 2
    [line] = error_lines(err)
    assert "is a symbolic link" in line and "nothing fetched" in line
    assert api.paths() == []


def test_a_real_cache_directory_is_still_read_and_written(
    project: Path, api: FakeApi, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _out, err = run(
        capsys, "schemas", "pull", "--refresh", "--base-url", api.base_url, "example/text-to-speech"
    )
    assert code == 0, err
    assert api.paths() == [MODEL_PATH]
    code, out, _err = run(capsys, "check", "good.py")
    assert code == 1 and "RS101" in out


# ------------------------------------------------------------------ JSON Python reads and JSON does not


def write_entry(project: Path, text: str) -> Path:
    entry = project / ".lint-secrets" / "schemas" / "models" / "acme" / "m.json"
    entry.parent.mkdir(parents=True, exist_ok=True)
    entry.write_text(text)
    (project / "app.py").write_text(
        f'import replicate\nreplicate.run("acme/m", input={{"key": "{SECRET}"}})\n'
    )
    return entry


INPUTS = '{"key": {"type": "string", "format": "password"}, %s}'
ENTRY = (
    '{"latest_version": {"id": "v", "openapi_schema": '
    '{"components": {"schemas": {"Input": {"properties": %s}}}}}}'
)


@pytest.mark.parametrize(
    ("extra", "reason"),
    [
        pytest.param('"n": {"default": NaN}', "NaN is not a JSON value", id="nan"),
        pytest.param('"n": {"maximum": Infinity}', "Infinity is not a JSON value", id="inf"),
        pytest.param('"n": {"minimum": -Infinity}', "-Infinity is not a JSON value", id="-inf"),
        pytest.param('"k\\ud800": {"type": "string"}', "a lone surrogate \\ud800, which is not text",
                     id="surrogate-key"),
        pytest.param('"n": {"default": "a\\udfffb"}', "a lone surrogate \\udfff", id="surrogate-value"),
    ],
)  # fmt: skip
@pytest.mark.parametrize("command", [("check", "app.py"), ("schemas", "show", "acme/m"), ("schemas", "list")])
def test_json_python_reads_but_json_forbids_is_one_line(
    project: Path, capsys: pytest.CaptureFixture[str], extra: str, reason: str, command: Tuple[str, ...]
) -> None:
    entry = write_entry(project, ENTRY % (INPUTS % extra))
    code, _out, err = run(capsys, *command)
    assert code == 2
    [line] = error_lines(err)
    assert line == (
        f"lint-secrets: error: {entry}: schema cache: invalid JSON ({reason}"
        + line.split(reason, 1)[1]  # the rest: ", which is not text" or nothing, then the advice
    )
    assert line.endswith("run `lint-secrets schemas pull --refresh`")


def test_a_paired_surrogate_escape_is_ordinary_text(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_entry(project, ENTRY % (INPUTS % '"emoji\\ud83d\\ude00": {"type": "string"}'))
    code, out, err = run(capsys, "schemas", "show", "acme/m")
    assert code == 0, err
    assert "emoji\U0001f600" in out


def test_a_cache_entry_nested_too_deeply_to_read_says_so(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    entry = write_entry(project, ENTRY % (INPUTS % ('"n": ' + "[" * 100_000 + "]" * 100_000)))
    code, _out, err = run(capsys, "check", "app.py")
    assert code == 2
    [line] = error_lines(err)
    assert line.startswith(f"lint-secrets: error: {entry}: schema cache: nested too deeply to be read")


# ------------------------------------------------------------------ $ref walks


def schema_entry(project: Path, inputs: Dict[str, Any], components: Dict[str, Any]) -> Path:
    schemas = {"Input": {"type": "object", "properties": inputs}, **components}
    return write_entry(
        project,
        json.dumps({"latest_version": {"id": "v", "openapi_schema": {"components": {"schemas": schemas}}}}),
    )


def test_a_secret_twelve_refs_away_is_found(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # Before, the walk stopped 8 levels down and took the input as not secret, silently.
    components = {f"Level{i}": {"allOf": [{"$ref": f"#/components/schemas/Level{i + 1}"}]} for i in range(12)}
    components["Level12"] = {"type": "string", "format": "password"}
    schema_entry(project, {"key": {"allOf": [{"$ref": "#/components/schemas/Level0"}]}}, components)
    code, out, err = run(capsys, "check", "app.py")
    assert code == 1, err
    assert "RS101" in out and "for input 'key' (not a cog Secret in its schema" in out and "of acme/m" in out


def test_a_secret_reached_round_a_cycle_is_found(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    components = {
        "A": {"allOf": [{"$ref": "#/components/schemas/B"}]},
        "B": {"anyOf": [{"$ref": "#/components/schemas/A"}, {"$ref": "#/components/schemas/C"}]},
        "C": {"type": "array", "items": {"$ref": "#/components/schemas/D"}},
        "D": {"type": "string", "x-cog-secret": True},
    }
    schema_entry(project, {"key": {"$ref": "#/components/schemas/A"}}, components)
    code, out, err = run(capsys, "check", "app.py")
    assert code == 1, err
    assert "RS101" in out


def test_a_walk_that_gives_up_is_reported_and_taken_as_secret(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    parts = [{"type": "string", "description": f"part {i}"} for i in range(2500)]
    entry = schema_entry(project, {"key": {"anyOf": parts}}, {})
    code, out, err = run(capsys, "check", "app.py")
    assert code == 2
    [line] = error_lines(err)
    assert line == (
        f"lint-secrets: error: {entry}: schema cache: the $ref/allOf parts of Input.key go past 2000 "
        "before an answer; not fully checked, so taken as secret"
    )
    assert "RS101" in out and "for input 'key' (not a cog Secret in its schema" in out and "of acme/m" in out


def test_an_ordinary_input_is_still_not_secret(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    components = {"Voice": {"enum": ["a", "b"]}}
    schema_entry(project, {"key": {"allOf": [{"$ref": "#/components/schemas/Voice"}]}}, components)
    code, out, err = run(capsys, "check", "--select", "RS101", "app.py")
    assert code == 0, out + err
    assert error_lines(err) == []


# ------------------------------------------------------------------ selections that leave nothing


@pytest.mark.parametrize(
    "table",
    [
        pytest.param('ignore = ["RS"]', id="ignore-all"),
        pytest.param('select = ["RS101"]\nignore = ["RS101"]', id="select-minus-ignore"),
        pytest.param('select = ["RS10"]\nignore = ["RS1"]', id="prefixes"),
    ],
)
def test_a_selection_that_leaves_no_rule_is_one_line_and_exit_2(
    project: Path, capsys: pytest.CaptureFixture[str], table: str
) -> None:
    (project / "pyproject.toml").write_text(f"[tool.lint-secrets]\n{table}\n")
    code, out, err = run(capsys, "check", "good.py")
    assert code == 2
    assert out == ""
    [line] = err.strip().splitlines()
    assert line.startswith(f"lint-secrets: error: {project / 'pyproject.toml'}: select = [")
    assert line.endswith("leaves no rule, so nothing would be checked")


def test_an_empty_selection_on_the_command_line_is_a_usage_error(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _out, err = run(capsys, "check", "--ignore", "RS", "good.py")
    assert code == 2
    assert 'the command line: select = ["RS"] with ignore = ["RS"] leaves no rule' in err


def test_a_sub_project_that_ignores_everything_is_reported_not_skipped(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (project / "sub").mkdir()
    (project / "sub" / "pyproject.toml").write_text('[tool.lint-secrets]\nignore = ["RS"]\n')
    (project / "sub" / "app.py").write_text(GOOD)
    code, out, err = run(capsys, "check", ".")
    assert code == 2
    assert f'{project / "sub" / "pyproject.toml"}: select = ["RS"] with ignore = ["RS"]' in err
    assert "good.py:2:" in out  # the rest of the run goes on


def test_a_file_that_extends_one_ignoring_everything_may_select_again(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (project / "base.toml").write_text('ignore = ["RS"]\n')
    (project / "pyproject.toml").write_text('[tool.lint-secrets]\nextend = "base.toml"\nselect = ["RS101"]\n')
    code, out, err = run(capsys, "check", "good.py")
    assert code == 1, err
    assert "RS101" in out
