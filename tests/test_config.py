"""[tool.lint-secrets]: where it is found, what every option does, and what is rejected."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Dict, List, Set, Tuple

import pytest
from conftest import write_files

from lint_secrets.cli import main
from lint_secrets.config import ConfigError, find_pyproject, load_config, parse_table

REPO = Path(__file__).resolve().parents[1]
SAMPLE_CACHE = REPO / "fixtures" / "sample" / ".lint-secrets"

TTS_SECRET = "el-test-FAKE-0a1b2c3d4e5f6789"
TOKEN_SECRET = "r8_FAKEconfigTESTtokenFORlintSECRETS0042"
UNKNOWN_SECRET = "sk-FAKE-21db6d500446ceb4"
LICENSE_SECRET = "lic-FAKE-7f6e5d4c3b2a1908"

# One finding of each code, each in a file of its own.
RS101_FILE = f"""\
import replicate

out = replicate.run("example/text-to-speech", input={{"text": "hi", "elevenlabs_api_key": "{TTS_SECRET}"}})
"""
RS102_FILE = f"""\
import replicate

out = replicate.run("someone/unknown-model", input={{"prompt": "hi", "api_key": "{UNKNOWN_SECRET}"}})
"""
RS103_FILE = f'import replicate\n\nclient = replicate.Client(api_token="{TOKEN_SECRET}")\n'
PRIVATE_FILE = f"""\
import replicate

out = replicate.run("acme/private-llm", input={{"prompt": "hi", "license_key": "{LICENSE_SECRET}"}})
"""
FILES = {"a101.py": RS101_FILE, "b102.py": RS102_FILE, "c103.py": RS103_FILE}


def make_project(root: Path, table: str, files: Dict[str, str] = FILES, cache: bool = True) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    (root / "pyproject.toml").write_text(
        f'[project]\nname = "t"\n\n[tool.lint-secrets]\n{table}', encoding="utf-8"
    )
    if cache:
        shutil.copytree(SAMPLE_CACHE, root / ".lint-secrets")
    write_files(root, files)
    return root


def check_json(capsys: pytest.CaptureFixture[str], *args: str) -> Tuple[int, List[Dict[str, object]], str]:
    code = main(["check", "--output-format", "json", *args])
    out, err = capsys.readouterr()
    return code, json.loads(out)["findings"] if out else [], err


def reported(capsys: pytest.CaptureFixture[str], *args: str) -> Set[Tuple[str, str]]:
    code, findings, err = check_json(capsys, *args)
    assert code in (0, 1), err
    return {(str(f["path"]).rsplit("/", 1)[-1], str(f["code"])) for f in findings}


ALL = {("a101.py", "RS101"), ("b102.py", "RS102"), ("c103.py", "RS103")}


# --------------------------------------------------------------------------- selection


@pytest.mark.parametrize(
    ("table", "args", "expected"),
    (
        pytest.param("", (), ALL, id="default-all"),
        pytest.param('select = ["RS101"]\n', (), {("a101.py", "RS101")}, id="select"),
        pytest.param('select = ["RS10"]\n', (), ALL, id="select-prefix"),
        pytest.param('select = ["ALL"]\nignore = ["RS102"]\n', (), ALL - {("b102.py", "RS102")}, id="ignore"),
        pytest.param(
            'select = ["RS101"]\nextend-select = ["RS103"]\n',
            (),
            {("a101.py", "RS101"), ("c103.py", "RS103")},
            id="extend-select",
        ),
        # Alone, `ignore = ["RS"]` is an error (test_hardening_config); a selection on the
        # command line starts over, as in ruff.
        pytest.param(
            'ignore = ["RS"]\n', ("--select", "RS101"), {("a101.py", "RS101")}, id="ignore-everything"
        ),
        pytest.param(
            'select = ["RS101"]\n', ("--select", "RS103"), {("c103.py", "RS103")}, id="cli-select-wins"
        ),
        pytest.param(
            'ignore = ["RS103"]\n',
            ("--select", "RS103"),
            {("c103.py", "RS103")},
            id="cli-select-resets-ignore",
        ),
        pytest.param(
            'ignore = ["RS103"]\n', ("--ignore", "RS101"), ALL - {("a101.py", "RS101")}, id="cli-ignore-wins"
        ),
        pytest.param(
            'select = ["RS101"]\n',
            ("--extend-select", "rs102"),
            ALL - {("c103.py", "RS103")},
            id="cli-extend",
        ),
        pytest.param(
            "", ("--select", "RS101,RS103", "--ignore", "RS103"), {("a101.py", "RS101")}, id="cli-both"
        ),
    ),
)
def test_rule_selection(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    table: str,
    args: Tuple[str, ...],
    expected: Set[Tuple[str, str]],
) -> None:
    monkeypatch.chdir(make_project(tmp_path / "p", table))
    assert reported(capsys, *args) == expected


def test_per_file_ignores(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    files = {
        "tests/test_x.py": RS102_FILE + RS103_FILE,
        "src/x.py": RS102_FILE,
        "tests_extra/y.py": RS102_FILE,
    }
    root = make_project(
        tmp_path / "p", '[tool.lint-secrets.per-file-ignores]\n"tests/**" = ["RS102"]\n', files
    )
    monkeypatch.chdir(root)
    code, findings, _ = check_json(capsys)
    assert code == 1
    assert sorted((f["path"], f["code"]) for f in findings) == [
        ("src/x.py", "RS102"),
        ("tests/test_x.py", "RS103"),  # only the named code is ignored there
        ("tests_extra/y.py", "RS102"),  # "tests/**" is not a prefix match on the name
    ]
    # The glob is relative to the project root, wherever the run starts.
    monkeypatch.chdir(root / "tests")
    assert reported(capsys, ".") == {("test_x.py", "RS103")}


# --------------------------------------------------------------------------- paths


def test_exclude_and_extend_exclude(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    files = {
        "src/a.py": RS101_FILE,
        "gen/b.py": RS101_FILE,
        "build/c.py": RS101_FILE,
        "vendor/d.py": RS101_FILE,
    }
    root = make_project(tmp_path / "p", 'extend-exclude = ["gen"]\n', files)
    monkeypatch.chdir(root)
    assert {f["path"] for f in check_json(capsys)[1]} == {"src/a.py", "vendor/d.py"}
    # `exclude` replaces the defaults: build/ is checked again.
    (root / "pyproject.toml").write_text('[tool.lint-secrets]\nexclude = ["vendor"]\n', encoding="utf-8")
    assert {f["path"] for f in check_json(capsys)[1]} == {"src/a.py", "gen/b.py", "build/c.py"}
    # The command line replaces the file's list.
    assert {f["path"] for f in check_json(capsys, "--exclude", "src,gen")[1]} == {"build/c.py", "vendor/d.py"}
    assert {f["path"] for f in check_json(capsys, "--extend-exclude", "src")[1]} == {"gen/b.py", "build/c.py"}


def test_schema_dir(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_project(tmp_path / "p", 'schema-dir = "cache/replicate"\n', {"a.py": RS101_FILE}, cache=False)
    shutil.copytree(SAMPLE_CACHE / "schemas", root / "cache" / "replicate")
    monkeypatch.chdir(root / "cache")  # relative to the config file, not the working directory
    assert reported(capsys, "../a.py") == {("a.py", "RS101")}
    # Without the schema, the same input is only judged by its name.
    empty = tmp_path / "empty"
    empty.mkdir()
    assert reported(capsys, "../a.py", "--schema-dir", str(empty)) == {("a.py", "RS102")}


def test_models_declares_private_secret_inputs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_project(tmp_path / "p", "", {"a.py": PRIVATE_FILE})
    monkeypatch.chdir(root)
    _, findings, _ = check_json(capsys)
    assert [(f["code"], f["input"]) for f in findings] == [("RS102", "license_key")]
    (root / "pyproject.toml").write_text(
        '[tool.lint-secrets.models."acme/private-llm"]\nsecret-inputs = ["license_key"]\n', encoding="utf-8"
    )
    _, findings, _ = check_json(capsys)
    assert [(f["code"], f["input"], f["model"]) for f in findings] == [
        ("RS101", "license_key", "acme/private-llm")
    ]


def test_env_names_name_the_fixed_variable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    table = '[tool.lint-secrets.env-names]\nelevenlabs_api_key = "TTS_VENDOR_KEY"\n'
    root = make_project(tmp_path / "p", table, {"a.py": RS101_FILE})
    monkeypatch.chdir(root)
    assert main(["check", "--fix", "a.py"]) == 0
    capsys.readouterr()
    text = (root / "a.py").read_text(encoding="utf-8")
    assert 'os.environ["TTS_VENDOR_KEY"]' in text
    assert TTS_SECRET not in text


# --------------------------------------------------------------------------- finding the file


def test_nearest_pyproject_upward_from_the_checked_paths(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_project(
        tmp_path / "p", 'ignore = ["RS103"]\n', {"pkg/deep/a.py": RS101_FILE, "pkg/deep/c.py": RS103_FILE}
    )
    monkeypatch.chdir(tmp_path)
    assert reported(capsys, "p/pkg/deep") == {("a.py", "RS101")}
    assert reported(capsys, "p/pkg/deep/c.py") == set()
    # A pyproject.toml without the table in between (a sub-package's) doesn't hide it.
    (root / "pkg" / "pyproject.toml").write_text('[project]\nname = "sub"\n', encoding="utf-8")
    assert reported(capsys, "p/pkg/deep") == {("a.py", "RS101")}
    # A nearer one with the table wins; its directory is the root for the cache too.
    (root / "pkg" / "pyproject.toml").write_text("[tool.lint-secrets]\n", encoding="utf-8")
    assert reported(capsys, "p/pkg/deep") == {("a.py", "RS102"), ("c.py", "RS103")}


def test_find_pyproject(tmp_path: Path) -> None:
    (tmp_path / "a" / "b").mkdir(parents=True)
    assert (
        find_pyproject(tmp_path / "a" / "b") is None or find_pyproject(tmp_path / "a" / "b") != tmp_path / "a"
    )
    (tmp_path / "a" / "pyproject.toml").write_text("[project]\n", encoding="utf-8")
    assert find_pyproject(tmp_path / "a" / "b" / "x.py") == tmp_path / "a" / "pyproject.toml"
    (tmp_path / "pyproject.toml").write_text("[tool.lint-secrets]\n", encoding="utf-8")
    assert find_pyproject(tmp_path / "a" / "b") == tmp_path / "pyproject.toml"


def test_config_option_and_isolated(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_project(tmp_path / "p", 'ignore = ["RS103"]\n')
    monkeypatch.chdir(root)
    assert reported(capsys) == ALL - {("c103.py", "RS103")}
    # --config names another file; in a dedicated file the options sit at the top level.
    (tmp_path / "strict.toml").write_text(
        'select = ["RS103"]\nschema-dir = "p/.lint-secrets/schemas"\n', encoding="utf-8"
    )
    assert reported(capsys, "--config", str(tmp_path / "strict.toml")) == {("c103.py", "RS103")}
    (tmp_path / "other.toml").write_text('[tool.lint-secrets]\nignore = ["RS101"]\n', encoding="utf-8")
    # Its directory is the root: there is no schema cache there, so a101's input is judged by name.
    assert reported(capsys, "--config", str(tmp_path / "other.toml")) == {
        ("a101.py", "RS102"),
        ("b102.py", "RS102"),
        ("c103.py", "RS103"),
    }
    # --isolated: no file at all, so nothing is ignored.
    assert reported(capsys, "--isolated") == ALL


def test_config_option_missing_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(make_project(tmp_path / "p", ""))
    code = main(["check", "--config", "nope.toml"])
    _, err = capsys.readouterr()
    assert code == 2
    assert "nope.toml" in err and "Traceback" not in err


# --------------------------------------------------------------------------- rejected


@pytest.mark.parametrize(
    ("table", "names"),
    (
        pytest.param('selct = ["RS101"]\n', ("'selct'",), id="unknown-key"),
        pytest.param(
            'extend_exclude = ["x"]\n', ("'extend_exclude'", "'extend-exclude'"), id="underscore-hint"
        ),
        pytest.param('select = "RS101"\n', ("'select'", "list of strings"), id="select-string"),
        pytest.param('ignore = ["RS999"]\n', ("'ignore'", "RS999"), id="unknown-code"),
        pytest.param("extend-select = [101]\n", ("'extend-select'",), id="extend-select-int"),
        pytest.param("exclude = 3\n", ("'exclude'",), id="exclude-int"),
        pytest.param('extend-exclude = "gen"\n', ("'extend-exclude'",), id="extend-exclude-string"),
        pytest.param("schema-dir = 1\n", ("'schema-dir'",), id="schema-dir-int"),
        pytest.param('per-file-ignores = ["RS102"]\n', ("'per-file-ignores'",), id="per-file-ignores-list"),
        pytest.param(
            '[tool.lint-secrets.per-file-ignores]\n"tests/**" = "RS102"\n',
            ("'per-file-ignores'", "tests/**"),
            id="pfi-value",
        ),
        pytest.param("models = []\n", ("'models'",), id="models-list"),
        pytest.param(
            '[tool.lint-secrets.models."nope"]\nsecret-inputs = ["k"]\n',
            ("'models'", "nope"),
            id="model-name",
        ),
        pytest.param(
            '[tool.lint-secrets.models."a/b"]\nsecret_inputs = ["k"]\n', ("secret_inputs",), id="model-key"
        ),
        pytest.param(
            '[tool.lint-secrets.models."a/b"]\nsecret-inputs = "k"\n', ("secret-inputs",), id="model-inputs"
        ),
        pytest.param(
            '[tool.lint-secrets.models."a/b"]\naccept_unredacted = ["k"]\n',
            ("accept_unredacted", "'accept-unredacted'"),
            id="accept-unredacted-hint",
        ),
        pytest.param(
            '[tool.lint-secrets.models."a/b"]\naccept-unredacted = "k"\n',
            ("accept-unredacted", "list of strings"),
            id="accept-unredacted-string",
        ),
        pytest.param(
            'trusted-owners = "acme"\n', ("'trusted-owners'", "list of strings"), id="owners-string"
        ),
        pytest.param('trusted-owners = ["acme/x"]\n', ("'trusted-owners'", "acme/x"), id="owner-with-slash"),
        pytest.param(
            'trusted_owners = ["acme"]\n', ("'trusted_owners'", "'trusted-owners'"), id="owners-hint"
        ),
        pytest.param("env-names = 1\n", ("'env-names'",), id="env-names-int"),
        pytest.param(
            '[tool.lint-secrets.env-names]\napi_key = "1BAD"\n',
            ("env-names.api_key", "1BAD"),
            id="env-name-bad",
        ),
        pytest.param(
            "[tool.lint-secrets.env-names]\napi_key = 3\n", ("env-names.api_key",), id="env-name-int"
        ),
    ),
)
def test_bad_config_names_key_and_file(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    table: str,
    names: Tuple[str, ...],
) -> None:
    root = make_project(tmp_path / "p", table)
    monkeypatch.chdir(root)
    code = main(["check"])
    out, err = capsys.readouterr()
    assert code == 2
    assert out == ""
    (line,) = err.splitlines()
    assert line.startswith("lint-secrets: error: ")
    assert str(root / "pyproject.toml") in line or "pyproject.toml" in line.split(":")[2]
    for name in names:
        assert name in line


@pytest.mark.parametrize(
    "text",
    (
        pytest.param("[tool.lint-secrets\n", id="invalid-toml"),
        pytest.param('[tool]\nlint-secrets = "on"\n', id="not-a-table"),
    ),
)
def test_broken_pyproject(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], text: str
) -> None:
    (tmp_path / "pyproject.toml").write_text(text, encoding="utf-8")
    (tmp_path / "a.py").write_text(RS101_FILE, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    code = main(["check"])
    out, err = capsys.readouterr()
    assert code == 2 and out == ""
    assert "pyproject.toml" in err and "Traceback" not in err


def test_bad_cli_codes_are_usage_errors(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(make_project(tmp_path / "p", ""))
    code = main(["check", "--select", "XX1"])
    _, err = capsys.readouterr()
    assert code == 2
    assert "XX1" in err and "command line" in err


def test_parse_table_unit(tmp_path: Path) -> None:
    config = parse_table(
        {
            "select": ["RS1"],
            "ignore": ["RS102"],
            "per-file-ignores": {"tests/**": ["RS103"]},
            "schema-dir": "c",
        },
        root=tmp_path,
        source=tmp_path / "pyproject.toml",
    )
    callers = {"RS104", "RS105", "RS106"}
    assert config.enabled_codes() == {"RS101", "RS103"} | callers
    assert config.codes_for("tests/a/b.py") == {"RS101"} | callers
    assert config.codes_for("src/tests/b.py") == {"RS101", "RS103"} | callers
    assert config.cache_dir == tmp_path / "c"
    with pytest.raises(ConfigError, match=r"pyproject\.toml"):
        parse_table({"nope": 1}, root=tmp_path, source=tmp_path / "pyproject.toml")


def test_load_config_isolated_ignores_everything(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "pyproject.toml").write_text("[tool.lint-secrets]\nbogus = 1\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert load_config([tmp_path], isolated=True).config_file is None
    with pytest.raises(ConfigError, match="bogus"):
        load_config([tmp_path])
