"""Safe and unsafe fixes (ruff's model): what `--fix` applies unasked, and what needs `--unsafe-fixes`."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Callable, List, Tuple, get_args

import pytest
from conftest import SCHEMAS

from lint_secrets.cli import main
from lint_secrets.fix.edits import Applicability, FixKindName
from lint_secrets.fix.safety import FIX_KINDS, FIX_KINDS_BY_NAME, is_test_file
from lint_secrets.rules import RULE_INFO

README = Path(__file__).resolve().parent.parent / "README.md"
R8 = "r8_" + "Zq4Wm8Xn2Vb6Lc0Kd3Jf7Hg1Ps5Rt9Ya2Ue6I"
EL = "el-FAKE2b1c0f9a8d7e6c5b4a39f8e7"
TTS = '"example/text-to-speech"'


def _project(tmp_path: Path) -> Path:
    shutil.copytree(SCHEMAS, tmp_path / ".lint-secrets" / "schemas")
    (tmp_path / "pyproject.toml").write_text("[tool.lint-secrets]\n", encoding="utf-8")
    return tmp_path


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> Tuple[int, str, str]:
    code = main(["check", *args])
    out, err = capsys.readouterr()
    assert R8 not in out + err and EL not in out + err
    return code, out, err


def _write(root: Path, name: str, text: str) -> Path:
    path = root / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


REMOVALS = [
    f'import os\nos.environ["REPLICATE_API_TOKEN"] = "{R8}"\n',
    f'import os\nos.environ.setdefault("REPLICATE_API_TOKEN", "{R8}")\n',
    f'import replicate\nreplicate.api_token = "{R8}"\n',
    f'import os\nT = os.getenv("REPLICATE_API_TOKEN", "{R8}")\n',
    f'import os\nT = os.environ.setdefault("REPLICATE_API_TOKEN", "{R8}")\n',
]
TEST_FILES = ["test_app.py", "app_test.py", "conftest.py", "tests/helpers.py", "pkg/tests/unit/setup_env.py"]


@pytest.mark.parametrize("name", TEST_FILES)
@pytest.mark.parametrize(
    "source", REMOVALS, ids=["environ", "setdefault", "api_token", "getenv", "setdefault-call"]
)
def test_removals_in_test_files_wait_for_unsafe_fixes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str, source: str
) -> None:
    root = _project(tmp_path)
    path = _write(root, name, source)
    code, out, err = _run(capsys, "--fix", str(path))
    assert code == 1 and path.read_text() == source
    assert "RS103 [~]" in out and "--unsafe-fixes" in out
    code, out, err = _run(capsys, "--fix", "--unsafe-fixes", str(path))
    assert code == 0, out + err
    assert R8 not in path.read_text()


@pytest.mark.parametrize(
    "source", REMOVALS, ids=["environ", "setdefault", "api_token", "getenv", "setdefault-call"]
)
def test_the_same_removals_elsewhere_are_safe(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], source: str
) -> None:
    root = _project(tmp_path)
    path = _write(root, "app.py", source)
    code, out, _ = _run(capsys)
    code, out, err = _run(capsys, "--fix", str(path))
    assert code == 0, out + err
    assert R8 not in path.read_text()


def test_diff_shows_only_safe_fixes_unless_asked(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = _project(tmp_path)
    path = _write(root, "conftest.py", REMOVALS[0])
    _, out, _ = _run(capsys, "--diff", str(path))
    assert out == ""
    _, out, _ = _run(capsys, "--diff", "--unsafe-fixes", str(path))
    assert "-os.environ" in out


def test_markers_json_and_sarif_carry_the_class(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = _project(tmp_path)
    safe = _write(
        root, "app.py", f'import replicate\nreplicate.run({TTS}, input={{"elevenlabs_api_key": "{EL}"}})\n'
    )
    unsafe = _write(root, "tests/test_env.py", REMOVALS[0])
    manual = _write(root, "notes.py", f'TEXT = "the token is {R8}"\n')
    _, out, _ = _run(capsys, str(safe), str(unsafe), str(manual))
    lines = {line.split(":")[0]: line for line in out.splitlines() if ": RS" in line}
    assert " RS101 [*] " in lines[str(safe)]
    assert " RS103 [~] " in lines[str(unsafe)]
    assert re.search(r" RS103 (?!\[)", lines[str(manual)])
    assert "[*] 1 fixable with `lint-secrets check --fix`." in out
    assert "[~] 1 fixable with `lint-secrets check --fix --unsafe-fixes`" in out
    _, out, _ = _run(capsys, "--output-format", "json", str(safe), str(unsafe), str(manual))
    by_path = {f["path"]: f for f in json.loads(out)["findings"]}
    assert by_path[str(safe)]["fix_applicability"] == "safe"
    assert by_path[str(unsafe)]["fix_applicability"] == "unsafe"
    assert by_path[str(unsafe)]["fix_kind"] == "delete-statement"
    assert by_path[str(manual)]["fix_applicability"] is None
    _, out, _ = _run(capsys, "--output-format", "sarif", str(safe), str(unsafe))
    results = json.loads(out)["runs"][0]["results"]
    classes = sorted(r["properties"]["fixApplicability"] for r in results)
    assert classes == ["safe", "unsafe"]
    unsafe_result = next(r for r in results if r["properties"]["fixApplicability"] == "unsafe")
    assert "--unsafe-fixes" in unsafe_result["fixes"][0]["description"]["text"]


def test_statistics_mark_unsafe_codes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = _project(tmp_path)
    path = _write(root, "tests/test_env.py", REMOVALS[0])
    _, out, _ = _run(capsys, "--statistics", str(path))
    assert re.search(r"1\s+RS103\s+\[~\] hardcoded-replicate-token", out)


def test_module_constant_reads_with_get(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Importing the fixed module must not raise where the variable is unset (test collection)."""
    root = _project(tmp_path)
    source = (
        f'import replicate\n\nELEVEN_KEY = "{EL}"\n\n'
        "def speak():\n"
        f'    local_key = "{EL}"\n'
        f"    replicate.run({TTS}, input={{'elevenlabs_api_key': local_key}})\n"
        f"    replicate.run({TTS}, input={{'elevenlabs_api_key': ELEVEN_KEY}})\n"
    )
    path = _write(root, "app.py", source)
    _code, _out, _err = _run(capsys, "--fix", str(path))
    text = path.read_text()
    assert 'ELEVEN_KEY = os.environ.get("ELEVEN_KEY")' in text
    # A local is read where the function runs: a missing variable raises there, as a wrong key would.
    assert 'local_key = os.environ["ELEVENLABS_API_KEY"]' in text
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if k not in ("ELEVEN_KEY", "ELEVENLABS_API_KEY")}
    stub = _write(root, "replicate.py", "def run(*a, **k):\n    return None\n")
    imported = subprocess.run([sys.executable, "-c", "import app"], cwd=root, env=env, capture_output=True)
    assert imported.returncode == 0, imported.stderr
    stub.unlink()


def test_is_test_file() -> None:
    recognised = [*TEST_FILES, "test_x.pyi", "src/test/x.py", "tests.py", "pkg/tests.py", "api_tests.py",
                  "integration_tests/helpers.py", "a/e2e_tests/b/env.py", "testing/fixtures.py"]  # fmt: skip
    for name in recognised:
        assert is_test_file(name), name
    not_tests = ["app.py", "testing_utils.py", "contest.py", "attest.py", "src/latest/x.py", "contests.py",
                 "latests.py", "tests_helpers.py", "attests/x.py", "tests_data/x.py", "my_testsuite/x.py",
                 "protest_tests_x/x.py", "_tests.py", "_tests/x.py"]  # fmt: skip
    for name in not_tests:
        assert not is_test_file(name), name


def _git_repo(path: Path) -> Path:
    path.mkdir(parents=True)
    subprocess.run(["git", "init", "-q", str(path)], check=True)
    return path


def test_tests_directory_is_found_from_the_git_top_level_when_checked_from_elsewhere(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """No pyproject.toml: the root that decides "under tests/" is the git top-level, not cwd."""
    repo = _git_repo(tmp_path / "repo")
    path = _write(repo, "tests/setup_env.py", REMOVALS[0])
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    code, out, _ = _run(capsys, "--fix", str(path))
    assert code == 1 and path.read_text() == REMOVALS[0] and "RS103 [~]" in out
    # From inside tests/ itself, the path as given ("setup_env.py") says nothing: the top-level does.
    monkeypatch.chdir(repo / "tests")
    code, out, _ = _run(capsys, "--fix", "setup_env.py")
    assert code == 1 and path.read_text() == REMOVALS[0] and "RS103 [~]" in out


def test_directories_above_the_git_top_level_do_not_make_a_test_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A repository cloned under a directory named `tests/` is not a test suite: only the
    directories inside the project count."""
    repo = _git_repo(tmp_path / "tests" / "repo")
    path = _write(repo, "src/setup_env.py", REMOVALS[0])
    monkeypatch.chdir(tmp_path)
    code, out, err = _run(capsys, "--fix", str(path.relative_to(tmp_path)))
    assert code == 0, out + err
    assert R8 not in path.read_text()


def test_a_project_inside_the_test_suite_is_part_of_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A sample project under the repository's tests/ (with its own pyproject.toml) is test data:
    the outermost root that holds the file decides, the git top-level here."""
    repo = _git_repo(tmp_path / "repo")
    project = _project(repo / "tests" / "fixtures" / "sample")
    path = _write(project, "app.py", REMOVALS[0])
    monkeypatch.chdir(project)
    code, out, _ = _run(capsys, "--fix", "app.py")
    assert code == 1 and path.read_text() == REMOVALS[0] and "RS103 [~]" in out


def test_a_project_root_without_git_decides(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """No git: the project root (pyproject.toml) decides, not the directories above it nor cwd."""
    project = _project(tmp_path / "tests" / "service")
    path = _write(project, "app.py", REMOVALS[0])
    monkeypatch.chdir(tmp_path)
    code, out, err = _run(capsys, "--fix", str(path.relative_to(tmp_path)))
    assert code == 0, out + err
    assert R8 not in path.read_text()
    tests_path = _write(project, "tests/env.py", REMOVALS[0])
    code, out, _ = _run(capsys, "--fix", str(tests_path))
    assert code == 1 and "RS103 [~]" in out


def test_every_rule_kind_is_classified_and_explained(capsys: pytest.CaptureFixture[str]) -> None:
    for rule in RULE_INFO:
        for kind in rule.fix_kinds:
            assert kind in FIX_KINDS_BY_NAME
    main(["explain", "RS103"])
    out = capsys.readouterr().out
    assert "delete-statement (safe, unsafe in test files)" in out and "--unsafe-fixes" in out
    main(["rules"])
    out = capsys.readouterr().out
    in_tests = (
        "read-environ, module-constant, parameter-default, replace-call, drop-default, delete-statement, "
        "header-fstring"
    )
    assert f"unsafe fixes: used-at-import; {in_tests} in test files" in out


def test_the_typed_kinds_and_the_table_are_the_same_kinds() -> None:
    """`Fix.kind` is typed by FixKindName: a kind the table lacks (or a typo) fails mypy, and
    a kind the table has but the type lacks fails here."""
    assert list(get_args(FixKindName)) == [kind.kind for kind in FIX_KINDS]


def test_the_readme_table_lists_every_kind_with_its_class() -> None:
    text = README.read_text(encoding="utf-8")
    table = text[text.index("### Safe and unsafe fixes") :]
    rows: List[str] = [line for line in table.splitlines() if line.startswith("| `")]
    for kind in FIX_KINDS:
        row = next((r for r in rows if r.startswith(f"| `{kind.kind}`")), None)
        assert row is not None, kind.kind
        assert kind.applicability.value in row
        if kind.in_tests is not kind.applicability:
            assert f"{kind.in_tests.value} in test files" in row
    assert {Applicability.SAFE, Applicability.UNSAFE} == {k.applicability for k in FIX_KINDS}


def test_the_fix_hook_applies_only_safe_fixes() -> None:
    hooks = (Path(__file__).resolve().parent.parent / ".pre-commit-hooks.yaml").read_text()
    fix_hook = hooks[hooks.index("id: lint-secrets-fix") :]
    assert "entry: lint-secrets check --fix --force-exclude\n" in fix_hook
    assert "--unsafe-fixes" not in hooks
    assert hooks.count("require_serial: true") == 2


# ---------------------------------------------------------------------------
# Issue 13 review: a constant the module works on when it is imported


USED_AT_IMPORT = {
    "method": "HEADER = ELEVEN_KEY.strip()\n",
    "concatenation": 'HEADER = "Bearer " + ELEVEN_KEY\n',
    "f-string": 'HEADER = f"{ELEVEN_KEY}"\n',
    "positional-argument": "SIZE = len(ELEVEN_KEY)\n",
    "condition": 'if ELEVEN_KEY.startswith("el-"):\n    pass\n',
    "class-body": 'class Settings:\n    header = "Bearer " + ELEVEN_KEY\n',
    "decorator-argument": "@functools.lru_cache(len(ELEVEN_KEY))\ndef f():\n    pass\n",
}
ONLY_PASSED_ALONG = {
    "function-body": 'def header():\n    return "Bearer " + ELEVEN_KEY\n',
    "keyword": "client = replicate.Client(api_token=ELEVEN_KEY)\n",
    "dict-value": 'INPUT = {"elevenlabs_api_key": ELEVEN_KEY}\n',
    "alias": "KEY_ALIAS = ELEVEN_KEY\n",
    "parameter-default": "def speak(key=ELEVEN_KEY):\n    pass\n",
    "lambda-body": 'HEADER = lambda: "Bearer " + ELEVEN_KEY\n',
    "other-name": 'HEADER = "Bearer " + OTHER\n',
    "print": "print(ELEVEN_KEY)\n",
}


def _constant_module(use: str) -> str:
    return (
        "import functools\n\nimport replicate\n\n"
        f'OTHER = "x"\nELEVEN_KEY = "{EL}"\n{use}\n'
        f"def run():\n    replicate.run({TTS}, input={{'elevenlabs_api_key': ELEVEN_KEY}})\n"
    )


def _getenv_module(use: str) -> str:
    return (
        "import functools\nimport os\n\nimport replicate\n\n"
        f'OTHER = "x"\nELEVEN_KEY = os.getenv("ELEVENLABS_API_KEY", "{EL}")\n{use}\n'
        f"def run():\n    replicate.run({TTS}, input={{'elevenlabs_api_key': ELEVEN_KEY}})\n"
    )


def _token_module(use: str) -> str:
    return (
        "import os\n\nimport functools\n\nimport replicate\n\n"
        f'OTHER = "x"\nELEVEN_KEY = os.getenv("REPLICATE_API_TOKEN", "{R8}")\n{use}\n'
    )


@pytest.mark.parametrize(
    "make", [_constant_module, _getenv_module, _token_module], ids=["constant", "getenv", "token"]
)
@pytest.mark.parametrize("use", list(USED_AT_IMPORT), ids=list(USED_AT_IMPORT))
def test_a_constant_worked_on_at_import_gets_an_unsafe_fix(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], make: Callable[[str], str], use: str
) -> None:
    """`.get()` leaves the name None where the variable is unset: code that works on it when the
    module is imported would raise (or build "None") where the literal never did."""
    root = _project(tmp_path)
    source = make(USED_AT_IMPORT[use])
    path = _write(root, "app.py", source)
    code, out, _ = _run(capsys, "--fix", str(path))
    assert code == 1 and path.read_text() == source
    assert re.search(r"RS10[13] \[~\]", out), out
    _, out, _ = _run(capsys, "--output-format", "json", str(path))
    (finding,) = json.loads(out)["findings"]
    assert finding["fix_applicability"] == "unsafe" and finding["fix_kind"] == "used-at-import"
    _, out, _ = _run(capsys, "--output-format", "sarif", str(path))
    (result,) = json.loads(out)["runs"][0]["results"]
    title = result["fixes"][0]["description"]["text"]
    assert "works on ELEVEN_KEY when the module is imported" in title and "line " in title
    code, out, err = _run(capsys, "--fix", "--unsafe-fixes", str(path))
    assert code == 0, out + err
    assert EL not in path.read_text() and R8 not in path.read_text()


@pytest.mark.parametrize(
    "make", [_constant_module, _getenv_module, _token_module], ids=["constant", "getenv", "token"]
)
@pytest.mark.parametrize("use", list(ONLY_PASSED_ALONG), ids=list(ONLY_PASSED_ALONG))
def test_a_constant_only_passed_along_at_import_keeps_a_safe_fix(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], make: Callable[[str], str], use: str
) -> None:
    root = _project(tmp_path)
    path = _write(root, "app.py", make(ONLY_PASSED_ALONG[use]))
    code, out, err = _run(capsys, "--fix", str(path))
    assert code == 0, out + err
    assert EL not in path.read_text() and R8 not in path.read_text()
    # Importing the fixed module with the variables unset still works.
    env = {k: v for k, v in os.environ.items() if "ELEVEN" not in k and "REPLICATE" not in k}
    _write(
        root,
        "replicate.py",
        "def run(*a, **k):\n    return None\nclass Client:\n    def __init__(self, **k):\n        pass\n",
    )
    imported = subprocess.run([sys.executable, "-c", "import app"], cwd=root, env=env, capture_output=True)
    assert imported.returncode == 0, imported.stderr
