"""An `accept-unredacted` entry naming an input the model's cached schema does not have is an
error in the configuration: one line naming the file, the model and the name, with the nearest
input; the run goes on and exits 2. A model whose schema is not cached is no error."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import List, Tuple

import pytest

from lint_secrets.cli import main

SAMPLE_CACHE = Path(__file__).resolve().parent.parent / "fixtures" / "sample" / ".lint-secrets"
WHISPER = '[tool.lint-secrets.models."example/whisper-diarize"]\n'
CALL = """\
import os
import replicate

replicate.run("example/whisper-diarize", input={"huggingface_access_token": os.environ["HF_TOKEN"]})
"""


def _project(tmp_path: Path, table: str, files: int = 1, cache: bool = True) -> Path:
    root = tmp_path / "p"
    root.mkdir()
    (root / "pyproject.toml").write_text(f"[tool.lint-secrets]\n{table}", encoding="utf-8")
    if cache:
        shutil.copytree(SAMPLE_CACHE, root / ".lint-secrets")
    for number in range(files):
        (root / f"app{number}.py").write_text(CALL, encoding="utf-8")
    return root


def _check(capsys: pytest.CaptureFixture[str], root: Path) -> Tuple[int, List[str], List[str]]:
    code = main(["check", "--output-format", "json", str(root)])
    out, err = capsys.readouterr()
    return code, [f["code"] for f in json.loads(out)["findings"]], err.splitlines()


def test_an_input_the_cached_schema_lacks_is_one_error_naming_file_model_and_nearest_input(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    table = (
        '[tool.lint-secrets.models."example/whisper-diarize"]\n'
        'accept-unredacted = ["huggingface_acess_token", "huggingface_access_token"]\n'
    )
    root = _project(tmp_path, table, files=3)
    code, codes, err = _check(capsys, root)
    assert code == 2
    assert codes == []  # the right name still accepts the input: the run went on
    assert [line for line in err if "accept-unredacted" in line] == [
        f"lint-secrets: error: {root / 'pyproject.toml'}: "
        '[tool.lint-secrets.models."example/whisper-diarize"] accept-unredacted names '
        "'huggingface_acess_token', which is not an input of the model's cached schema "
        "(did you mean 'huggingface_access_token'?)"
    ]


def test_a_name_far_from_every_input_gets_no_guess(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    table = '[tool.lint-secrets.models."example/whisper-diarize"]\naccept-unredacted = ["zzz"]\n'
    root = _project(tmp_path, table, files=0)
    code, _, err = _check(capsys, root)
    assert code == 2
    assert [line for line in err if "accept-unredacted" in line] == [
        f"lint-secrets: error: {root / 'pyproject.toml'}: "
        '[tool.lint-secrets.models."example/whisper-diarize"] accept-unredacted names '
        "'zzz', which is not an input of the model's cached schema"
    ]


@pytest.mark.parametrize(
    ("table", "cache"),
    [
        # The right name.
        (
            WHISPER + 'accept-unredacted = ["huggingface_access_token"]\n',
            True,
        ),
        # A model whose schema is not cached: nothing to check the names against.
        ('[tool.lint-secrets.models."example/not-pulled"]\naccept-unredacted = ["anything"]\n', True),
        # No cache at all.
        (
            WHISPER + 'accept-unredacted = ["huggingface_acess_token"]\n',
            False,
        ),
        # A model that also declares its secret inputs in the configuration: the names are checked
        # against the cached schema, not against that declaration.
        (
            '[tool.lint-secrets.models."example/whisper-diarize"]\n'
            'secret-inputs = ["hf_token"]\naccept-unredacted = ["huggingface_access_token"]\n',
            True,
        ),
    ],
    ids=["right-name", "not-cached", "no-cache", "declared-too"],
)
def test_no_error_when_the_names_are_right_or_cannot_be_checked(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], table: str, cache: bool
) -> None:
    root = _project(tmp_path, table, cache=cache)
    code, _, err = _check(capsys, root)
    assert code in (0, 1)
    assert not [line for line in err if "error:" in line and "accept-unredacted" in line]
