"""Second review of issue 10's untangling (fixer-only environ facts, ModelRef findings, baseline
fingerprints from the ModelRef): what the comparison with commit 29306c8 turned up, run
through the real CLI on real files."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from conftest import SAMPLE_CACHE

from lint_secrets.cli import main

# Token-shaped words pasted where the model's name goes. Upper-casing a word (as a variable
# name does) keeps all of a hex token and an AWS key id, and most of any other token.
SECRET = "sk-FAKEabcdefghijklmnopqrstuvwxyz0123456789ABCG"
HEX_TOKEN = "0123456789abcdef0123456789abcdef01234567"
AWS_KEY_ID = "AKIAIOSFODNN7EXAMPLE"
REPLICATE_TOKEN = "r8_ZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZ1"


def _project(root: Path, source: str) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    (root / "pyproject.toml").write_text("[tool.lint-secrets]\n")
    shutil.copytree(SAMPLE_CACHE, root / ".lint-secrets")
    (root / "app.py").write_text(source)
    return root


@pytest.mark.parametrize(
    ("model", "token"),
    [
        (f"acme/{HEX_TOKEN}", HEX_TOKEN),
        (f"acme/{AWS_KEY_ID}", AWS_KEY_ID),
        (f"acme/{REPLICATE_TOKEN}", REPLICATE_TOKEN),
        (f"{REPLICATE_TOKEN}/model", REPLICATE_TOKEN),
    ],
)
def test_a_token_shaped_model_name_never_names_the_fix_variable(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    model: str,
    token: str,
) -> None:
    """Reports show the model as `acme/0123…`, but the fix qualified a generic input name with
    the whole model name: `ACME_0123456789ABCDEF…_API_KEY` in the diff's `+` line, SARIF's
    fix description and the "set these environment variables" line (as in 29306c8)."""
    root = _project(
        tmp_path / "p", f'import replicate\n\nreplicate.run("{model}", input={{"api_key": "{SECRET}"}})\n'
    )
    monkeypatch.chdir(root)
    shown = []
    for argv in (["--diff"], ["--output-format", "sarif"], ["--output-format", "json", "--diff"], ["--fix"]):
        capsys.readouterr()
        main(["check", *argv, "app.py"])
        out, err = capsys.readouterr()
        shown.append(out + err)
    everything = "\n".join(shown)
    assert "API_KEY" in everything  # the fix is still made, and named
    assert token.upper() not in everything.upper()
    assert SECRET not in everything
    fixed = (root / "app.py").read_text()
    assert 'os.environ["API_KEY"]' in fixed
    compile(fixed, "app.py", "exec")


def test_a_generic_input_of_an_ordinary_model_is_still_qualified(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The negative of the above: only a token-shaped model name is left out of the name."""
    root = _project(
        tmp_path / "p",
        f'import replicate\n\nreplicate.run("acme/x-model", input={{"api_key": "{SECRET}"}})\n',
    )
    monkeypatch.chdir(root)
    main(["check", "--fix", "app.py"])
    assert 'os.environ["ACME_X_MODEL_API_KEY"]' in (root / "app.py").read_text()


def test_a_token_shaped_model_with_an_unversioned_cache_entry_is_named_unversioned(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The one output found to differ from 29306c8, kept on purpose: that version parsed the
    note's (redacted) text back into a model, failed, and so told the user to
    `schemas pull acme/r8_Z…`, a command that cannot run. The note now reads the ref itself,
    finds the cache entry with no version, and says so, still naming the model by a prefix."""
    root = _project(
        tmp_path / "p",
        f'import replicate\n\nreplicate.run("acme/{REPLICATE_TOKEN}", input={{"prompt": "hi"}})\n',
    )
    entry = root / ".lint-secrets" / "schemas" / "models" / "acme" / f"{REPLICATE_TOKEN}.json"
    entry.parent.mkdir(parents=True, exist_ok=True)
    entry.write_text(json.dumps({"owner": "acme", "name": REPLICATE_TOKEN, "latest_version": None}))
    monkeypatch.chdir(root)
    capsys.readouterr()
    main(["check", "app.py"])
    _, err = capsys.readouterr()
    assert "note: acme/r8_Z…: no version on Replicate yet, so no schema" in err
    assert "schemas pull" not in err
    assert REPLICATE_TOKEN not in err
