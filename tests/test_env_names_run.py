"""Issue 13: environment names: never generic, distinct across a run in sorted path order,
readable for any input name."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Dict, List, Tuple

import pytest
from conftest import SCHEMAS

from lint_secrets import runner
from lint_secrets.checker import CheckOptions
from lint_secrets.cli import main
from lint_secrets.config import Config
from lint_secrets.env_names import (
    NameRequest,
    assign_run_names,
    choose_env_name,
    env_name,
    is_system_name,
    specific,
    system_variable_reader,
)

TTS = '"example/text-to-speech"'
KEYS = ["el-FAKE" + f"{n:02d}" + "2b1c0f9a8d7e6c5b4a39f8e7" for n in range(6)]


def _project(tmp_path: Path, config: str = "") -> Path:
    shutil.copytree(SCHEMAS, tmp_path / ".lint-secrets" / "schemas")
    (tmp_path / "pyproject.toml").write_text(f"[tool.lint-secrets]\n{config}", encoding="utf-8")
    return tmp_path


def _call(value: str) -> str:
    return f'replicate.run({TTS}, input={{"elevenlabs_api_key": "{value}"}})\n'


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> Tuple[int, str, str]:
    code = main(["check", *args])
    out, err = capsys.readouterr()
    for key in KEYS:
        assert key not in out + err
    return code, out, err


# ---------------------------------------------------------------------------
# Generic names


@pytest.mark.parametrize(
    "local", ["KEY", "TOKEN", "PASSWORD", "SECRET", "key", "api_key", "MY_TOKEN", "secret_key"]
)
def test_a_generic_module_constant_does_not_name_the_variable(local: str) -> None:
    assert (
        choose_env_name(None, "example/text-to-speech", "elevenlabs_api_key", local) == "ELEVENLABS_API_KEY"
    )


@pytest.mark.parametrize(("constant", "name"), [("ELEVEN_KEY", "ELEVEN_KEY"), ("HF_TOKEN", "HF_TOKEN")])
def test_a_specific_module_constant_keeps_its_name(constant: str, name: str) -> None:
    assert specific(constant)
    assert choose_env_name(None, None, "elevenlabs_api_key", constant) == name


def test_a_configured_name_wins() -> None:
    assert (
        choose_env_name(lambda model, name: "EL_PROD", None, "elevenlabs_api_key", "ELEVEN_KEY") == "EL_PROD"
    )


def test_locals_never_name_the_variable(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = _project(tmp_path)
    path = root / "app.py"
    path.write_text(
        "import replicate\n\ndef speak():\n"
        f'    eleven_key = "{KEYS[0]}"\n'
        f'    replicate.run({TTS}, input={{"elevenlabs_api_key": eleven_key}})\n'
        f'KEY = "{KEYS[1]}"\n'
        f'replicate.run({TTS}, input={{"elevenlabs_api_key": KEY}})\n'
    )
    _code, _out, _err = _run(capsys, "--fix", str(path))
    text = path.read_text()
    assert 'eleven_key = os.environ["ELEVENLABS_API_KEY"]' in text
    assert 'KEY = os.environ.get("ELEVENLABS_API_KEY_2")' in text


# ---------------------------------------------------------------------------
# Issue 13 review: never a system variable; a generic input name is qualified by the model


@pytest.mark.parametrize(
    ("input_name", "expected"),
    [("api_token", "ACME_X_API_TOKEN"), ("token", "ACME_X_TOKEN"), ("key", "ACME_X_KEY"),
     ("secret", "ACME_X_SECRET"), ("api_key", "ACME_X_API_KEY"), ("password", "ACME_X_PASSWORD"),
     ("access_token", "ACME_X_ACCESS_TOKEN"), ("auth_token", "ACME_X_AUTH_TOKEN"),
     ("secret_key", "ACME_X_SECRET_KEY"), ("client_secret", "ACME_X_CLIENT_SECRET"),
     ("private_key", "ACME_X_PRIVATE_KEY"), ("license_key", "ACME_X_LICENSE_KEY"),
     ("apiKey", "ACME_X_API_KEY"), ("hf_token", "HF_TOKEN"), ("elevenlabs_api_key", "ELEVENLABS_API_KEY"),
     ("hub_token", "HUB_TOKEN"), ("wandb_api_key", "WANDB_API_KEY"), ("openai_key", "OPENAI_KEY")],
)  # fmt: skip
def test_a_generic_input_name_is_qualified_by_the_model(input_name: str, expected: str) -> None:
    assert choose_env_name(None, "acme/x", input_name, None) == expected


def test_the_qualifier_is_the_whole_model_name_made_readable() -> None:
    assert choose_env_name(None, "stability-ai/sdxl.v2", "api_key", None) == "STABILITY_AI_SDXL_V2_API_KEY"
    assert choose_env_name(None, "Acme/Zoë", "token", None) == "ACME_ZOE_TOKEN"


SYSTEM = ["PATH", "HOME", "USER", "SHELL", "LANG", "TERM", "PWD", "TMPDIR", "LOGNAME", "TZ", "EDITOR",
          "LD_PRELOAD", "LD_LIBRARY_PATH", "LC_ALL", "PYTHONPATH", "PYTHONHOME", "PYTHON_KEY", "DYLD_KEY",
          "XDG_CONFIG_HOME", "HTTPS_PROXY", "SSL_CERT_FILE", "REQUESTS_CA_BUNDLE"]  # fmt: skip


@pytest.mark.parametrize("name", SYSTEM)
def test_a_system_variable_is_never_proposed(name: str) -> None:
    """An input or a constant with a system variable's name does not give it: the fix would
    overwrite PATH or PYTHONPATH for every program the user runs."""
    assert is_system_name(name)
    chosen = choose_env_name(None, "acme/x", name.lower(), None)
    assert chosen == f"ACME_X_{name}", chosen
    assert choose_env_name(None, "acme/x", "elevenlabs_api_key", name) == "ELEVENLABS_API_KEY"
    without_model = choose_env_name(None, None, name.lower(), None)
    assert without_model == f"SECRET_{name}" and not is_system_name(without_model)


@pytest.mark.parametrize(
    "name", ["HF_TOKEN", "PATHWAY_KEY", "HOMEBREW_GITHUB_API_TOKEN", "USERNAME_TOKEN", "ELEVEN_KEY",
             "TERMINAL_KEY", "LDAP_PASSWORD", "PY_TOKEN", "REPLICATE_API_TOKEN"],
)  # fmt: skip
def test_names_that_only_start_like_a_system_variable_are_fine(name: str) -> None:
    assert not is_system_name(name)
    assert choose_env_name(None, "acme/x", "elevenlabs_api_key", name) == name


def test_without_a_model_a_generic_input_name_stays() -> None:
    """An unresolved model gives nothing to qualify with: the input's name it is, as before."""
    assert choose_env_name(None, None, "api_key", None) == "API_KEY"
    assert choose_env_name(None, None, "api_key", "OPENAI_KEY") == "OPENAI_KEY"


def test_a_configured_name_is_taken_as_written() -> None:
    assert choose_env_name(lambda model, name: "API_KEY", "acme/x", "api_key", None) == "API_KEY"


def test_the_fix_reads_the_qualified_name(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = _project(tmp_path, '[tool.lint-secrets.models."acme/x"]\nsecret-inputs = ["api_token", "path"]\n')
    path = root / "app.py"
    path.write_text(
        "import replicate\n"
        f'replicate.run("acme/x", input={{"api_token": "{KEYS[0]}", "path": "{KEYS[1]}"}})\n'
        f'TOKEN = "{KEYS[2]}"\n'
        f'replicate.run("acme/x", input={{"api_token": TOKEN}})\n'
    )
    code, out, err = _run(capsys, "--fix", str(path))
    assert code == 0, out + err
    text = path.read_text()
    assert 'os.environ["ACME_X_API_TOKEN"]' in text and 'os.environ["ACME_X_PATH"]' in text
    assert 'TOKEN = os.environ.get("ACME_X_API_TOKEN_2")' in text


# ---------------------------------------------------------------------------
# Names that are not identifiers


@pytest.mark.parametrize(
    ("name", "expected"),
    [("clé_secret", "CLE_SECRET"), ("Ünïcode-Tokén", "UNICODE_TOKEN"), ("api key", "API_KEY"), ("", ""),
     ("!!!", ""), ("日本語", ""), ("2fa", "SECRET_2FA")],
)  # fmt: skip
def test_env_name_is_readable_or_empty(name: str, expected: str) -> None:
    assert env_name(name) == expected


@pytest.mark.parametrize("name", ["", "!!!", "日本語"])
def test_an_unnameable_input_asks_for_env_names(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str
) -> None:
    root = _project(tmp_path, f'[tool.lint-secrets.models."acme/private"]\nsecret-inputs = ["{name}"]\n')
    path = root / "app.py"
    source = f'import replicate\nreplicate.run("acme/private", input={{"{name}": "{KEYS[0]}"}})\n'
    path.write_text(source)
    code, out, err = _run(capsys, "--fix", str(path))
    assert code == 1 and path.read_text() == source
    assert "not fixed: no readable environment variable name" in out and "env-names" in out
    root2 = tmp_path / "named"
    root2.mkdir()
    config = (
        f'[tool.lint-secrets.models."acme/private"]\nsecret-inputs = ["{name}"]\n'
        f'[tool.lint-secrets.env-names."acme/private"]\n"{name}" = "ACME_KEY"\n'
    )
    _project(root2, config)
    path2 = root2 / "app.py"
    path2.write_text(source)
    code, out, err = _run(capsys, "--fix", str(path2))
    assert code == 0, out + err
    assert 'os.environ["ACME_KEY"]' in path2.read_text()


def test_an_accented_input_gets_a_readable_name(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = _project(tmp_path, '[tool.lint-secrets.models."acme/private"]\nsecret-inputs = ["clé_secret"]\n')
    path = root / "app.py"
    path.write_text(f'import replicate\nreplicate.run("acme/private", input={{"clé_secret": "{KEYS[0]}"}})\n')
    code, out, err = _run(capsys, "--fix", str(path))
    assert code == 0, out + err
    assert 'os.environ["CLE_SECRET"]' in path.read_text()


# ---------------------------------------------------------------------------
# One run, many files


def _tree(root: Path, count: int) -> List[Path]:
    """`count` files, each with a different key for the same input (and padding so a pool pays)."""
    paths = []
    padding = "".join(f"# filler line {n} to make the file large enough for the pool\n" for n in range(600))
    for n in range(count):
        path = root / f"pkg{n % 3}" / f"mod_{n:03d}.py"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"import replicate\n{padding}" + _call(KEYS[n % len(KEYS)]), encoding="utf-8")
        paths.append(path)
    return paths


def _names_in(paths: List[Path]) -> Dict[str, str]:
    names = {}
    for path in paths:
        text = path.read_text()
        start = text.index('os.environ["') + len('os.environ["')
        names[path.name] = text[start : text.index('"', start)]
    return names


def test_two_files_with_different_values_get_distinct_names_in_sorted_path_order(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = _project(tmp_path)
    a = root / "a.py"
    b = root / "b.py"
    a.write_text("import replicate\n" + _call(KEYS[0]))
    b.write_text("import replicate\n" + _call(KEYS[1]))
    code, out, err = _run(capsys, "--fix", str(b), str(a))  # given in reverse: the order is the paths'
    assert code == 0, out + err
    assert 'os.environ["ELEVENLABS_API_KEY"]' in a.read_text()
    assert 'os.environ["ELEVENLABS_API_KEY_2"]' in b.read_text()
    assert f"note: {b}:2: ELEVENLABS_API_KEY_2" in err


def test_the_same_value_in_two_files_shares_its_name(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = _project(tmp_path)
    paths = [root / "a.py", root / "b.py"]
    for path in paths:
        path.write_text("import replicate\n" + _call(KEYS[0]))
    code, _out, err = _run(capsys, "--fix", *map(str, paths))
    assert code == 0 and "note:" not in err
    assert _names_in(paths) == {"a.py": "ELEVENLABS_API_KEY", "b.py": "ELEVENLABS_API_KEY"}


@pytest.mark.parametrize("jobs", [1, 2, 3])
def test_names_do_not_depend_on_batching(tmp_path: Path, jobs: int, monkeypatch: pytest.MonkeyPatch) -> None:
    root = _project(tmp_path)
    paths = _tree(root, 12)
    monkeypatch.setattr(runner, "CHUNK_BYTES", 20 * 1024)  # several chunks, handed out largest first
    options = CheckOptions(config=Config(root=root, schema_dir=root / ".lint-secrets" / "schemas"), fix=True)
    shuffled = [str(p) for p in paths[5:] + paths[:5]]
    runner.check_files(shuffled, options, jobs=jobs)
    names = _names_in(paths)
    # Sorted path order: pkg0/mod_000 (KEYS[0]), pkg0/mod_003 (KEYS[3]), pkg0/mod_006 (KEYS[0])...
    expected_order = sorted(paths, key=str)
    given: Dict[str, str] = {}
    for path in expected_order:
        key = KEYS[int(path.stem.split("_")[1]) % len(KEYS)]
        if key not in given:
            given[key] = "ELEVENLABS_API_KEY" if not given else f"ELEVENLABS_API_KEY_{len(given) + 1}"
    assert names == {p.name: given[KEYS[int(p.stem.split("_")[1]) % len(KEYS)]] for p in paths}


def test_removals_of_two_values_across_files_are_left_to_the_user(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = _project(tmp_path)
    r8a = "r8_" + "Zq4Wm8Xn2Vb6Lc0Kd3Jf7Hg1Ps5Rt9Ya2Ue6I"
    r8b = "r8_" + "Pk3Lm5Nb7Vc9Xz1Qw2Er4Ty6Ui8Op0AsD7FgH"
    a = root / "a.py"
    b = root / "b.py"
    a.write_text(f'import os\nos.environ["REPLICATE_API_TOKEN"] = "{r8a}"\n')
    b.write_text(f'import os\nos.environ["REPLICATE_API_TOKEN"] = "{r8b}"\n')
    code = main(["check", "--fix", str(a), str(b)])
    out, err = capsys.readouterr()
    assert r8a not in out + err and r8b not in out + err
    assert code == 1
    assert r8a not in a.read_text() and r8b in b.read_text()
    assert "another file removes a different value of REPLICATE_API_TOKEN" in out
    assert f"{b}:2: not fixed: a different value of REPLICATE_API_TOKEN is removed at {a}:2" in err


def test_assign_run_names_is_independent_of_request_order() -> None:
    requests = [
        NameRequest("b.py", 3, "HF_TOKEN", "v2", False),
        NameRequest("a.py", 9, "HF_TOKEN", "v1", False),
        NameRequest("a.py", 2, "HF_TOKEN", "v3", False),
        NameRequest("c.py", 1, "REPLICATE_API_TOKEN", "t1", True),
    ]
    forward = assign_run_names(requests)
    backward = assign_run_names(list(reversed(requests)))
    assert {k: set(v) for k, v in forward.names.items()} == {k: set(v) for k, v in backward.names.items()}
    by_value = {name for entries in forward.names.values() for (_, _, name) in entries}
    assert by_value == {"HF_TOKEN", "HF_TOKEN_2", "HF_TOKEN_3", "REPLICATE_API_TOKEN"}
    assert "v1" not in repr(forward) and "v2" not in repr(forward)


def test_the_hooks_run_serially() -> None:
    hooks = (Path(__file__).resolve().parent.parent / ".pre-commit-hooks.yaml").read_text()
    assert hooks.count("require_serial: true") == 2


@pytest.mark.parametrize(
    ("name", "reader"),
    [
        ("GIT_SSH_COMMAND", "git or ssh"),
        ("NODE_OPTIONS", "a language runtime or its package manager"),
        ("BASH_ENV", "the shell"),
        ("USERNAME", "the system"),
        ("COLUMNS", "the shell"),
        ("PYTHON_COLORS", "Python"),
        ("PYTHONSTARTUP", "Python"),
    ],
)
def test_naming_and_config_share_one_table_of_system_variables(name: str, reader: str) -> None:
    """A name `env-names` may not give is one a fix never proposes, and the other way round."""
    assert system_variable_reader(name) == reader and is_system_name(name)
    assert choose_env_name(None, "acme/x", name.lower(), None) == f"ACME_X_{name}"


def test_a_key_that_only_starts_with_python_is_no_system_variable() -> None:
    assert system_variable_reader("PYTHONANYWHERE_TOKEN") is None
    assert choose_env_name(None, "acme/x", "api_key", "PYTHONANYWHERE_TOKEN") == "PYTHONANYWHERE_TOKEN"
