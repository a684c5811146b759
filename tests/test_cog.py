"""Authors of models (issue 15): cog predictors and trainers, RS201-RS203.

The fixtures under fixtures/cog/ are realistic predictors and trainers: `good/` declares
every credential as a `Secret` and must stay clean; `bad/` makes each mistake, and
`--fix` must turn it into `fixed/`. cog itself is not installed: the analysis is static.
"""

# ruff: noqa: E501 - source snippets are easier to read on one line

from __future__ import annotations

import ast
import json
import shutil
import textwrap
from pathlib import Path
from typing import Dict, List, Optional, Set, Tuple

import pytest
from conftest import REPO, check_source, findings
from hypothesis import given, settings
from hypothesis import strategies as st

from lint_secrets import prefilter
from lint_secrets.cli import main
from lint_secrets.fix.edits import AddImportedName, Applicability, EditGroup, ReplaceExpression, Span
from lint_secrets.fix.rewrite import RewriteSuccess, rewrite
from lint_secrets.prefilter import could_hold_findings

COG = REPO / "fixtures" / "cog"


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> Tuple[int, str, str]:
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def _project(tmp_path: Path, folder: str) -> Path:
    project = tmp_path / "model"
    shutil.copytree(COG / folder, project)
    (project / "pyproject.toml").write_text("[tool.lint-secrets]\n", encoding="utf-8")
    return project


def _json_findings(out: str) -> List[Tuple[str, int, int, str, Optional[str]]]:
    return [
        (Path(f["path"]).name, f["line"], f["column"], f["code"], f["input"])
        for f in json.loads(out)["findings"]
    ]


def _codes(source: str) -> List[Tuple[str, int, Optional[str]]]:
    return [(f.code, f.line, f.input) for f in findings(textwrap.dedent(source))]


# ---------------------------------------------------------------------------
# The fixtures: realistic predictors and trainers


def test_good_predictors_are_clean(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project = _project(tmp_path, "good")
    code, out, err = _run(capsys, "check", "--output-format", "json", str(project))
    assert (code, _json_findings(out), err) == (0, [], "")


BAD_FINDINGS = [
    ("predict.py", 19, 19, "RS201", "hf_token"),
    ("predict.py", 19, 73, "RS202", "hf_token"),
    ("predict.py", 20, 29, "RS201", "elevenlabs_api_key"),
    ("predict.py", 27, 35, "RS203", "openai_api_key"),
    ("predict.py", 28, 38, "RS203", "openai_api_key"),
    ("predict.py", 29, 26, "RS203", "openai_api_key"),
    ("predict.py", 34, 66, "RS203", "openai_api_key"),
    ("train.py", 10, 20, "RS201", "wandb_api_key"),
    ("train.py", 10, 67, "RS202", "wandb_api_key"),
    ("train.py", 11, 80, "RS202", "hf_token"),
    ("train.py", 17, 22, "RS203", "hf_token"),
    ("train.py", 18, 44, "RS203", "hf_token"),
]


def test_bad_predictors_report_each_mistake_where_it_is(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = _project(tmp_path, "bad")
    code, out, _ = _run(capsys, "check", "--output-format", "json", str(project))
    assert code == 1
    assert _json_findings(out) == BAD_FINDINGS
    assert "hf_FAKE" not in out and "a3174df8afc09987c08b" not in out  # defaults are shown redacted


def test_fix_turns_the_bad_predictors_into_the_fixed_ones(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = _project(tmp_path, "bad")
    code, _, err = _run(capsys, "check", "--fix", "--unsafe-fixes", str(project))
    assert code == 1, err  # RS203 is not fixable: the code must stop logging the value
    for name in ("predict.py", "train.py"):
        assert (project / name).read_text(encoding="utf-8") == (COG / "fixed" / name).read_text(
            encoding="utf-8"
        )
    code, out, _ = _run(capsys, "check", "--output-format", "json", str(project))
    assert {f[3] for f in _json_findings(out)} == {"RS203"}
    # Nothing went to the environment: these fixes change declarations, not where values live.
    assert "set these environment variables" not in err


def test_fixed_predictors_are_what_the_rules_ask_for() -> None:
    """The expected results are themselves clean of RS201 and RS202."""
    for name in ("predict.py", "train.py"):
        text = (COG / "fixed" / name).read_text(encoding="utf-8")
        assert {f.code for f in findings(text)} <= {"RS203"}


def test_env_file_gets_nothing_from_cog_fixes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project = _project(tmp_path, "bad")
    env_file = tmp_path / "secrets.env"
    _run(capsys, "check", "--fix", "--unsafe-fixes", "--env-file", str(env_file), str(project))
    assert not env_file.exists() or "hf_FAKE" not in env_file.read_text(encoding="utf-8")


# ---------------------------------------------------------------------------
# What makes a model input, and what does not


def test_non_credential_inputs_and_constants_are_not_findings() -> None:
    assert not _codes(
        """
        import os
        from cog import BasePredictor, Input

        MODEL_NAME = os.environ.get("MODEL_NAME", "stabilityai/sdxl")


        class Predictor(BasePredictor):
            def predict(
                self,
                prompt: str = Input(default="a photo of TOK"),
                model_name: str = Input(default=MODEL_NAME),
                max_tokens: int = Input(default=256),
                eos_token: str = Input(default="</s>"),
                trigger_token: str = Input(default="TOK"),
                token_type: str = Input(default="bearer"),
                password_hint: str = Input(default="the usual"),
            ) -> str:
                print(prompt, model_name, max_tokens)
                return prompt
        """
    )


@pytest.mark.parametrize(
    "source",
    [
        # No cog import: a class named like a predictor is someone else's.
        """
        from mylib import BasePredictor, Input

        class Predictor(BasePredictor):
            def predict(self, hf_token: str = Input(default="hf_FAKEnoCogT0kenN0tReal1234567890ab")) -> str:
                return hf_token
        """,
        # A helper of a cog file that declares no inputs.
        """
        from cog import BasePredictor

        def download(hf_token: str = "hf_FAKEhelperT0kenN0tReal1234567890ab") -> None:
            print(hf_token)
        """,
        # A method of a class that is not a predictor, without Input(...).
        """
        import cog

        class Client:
            def predict(self, api_key: str) -> str:
                return api_key
        """,
        # A string that merely mentions cog.
        """
        text = "from cog import Input; def predict(hf_token: str = Input()): ..."
        """,
    ],
    ids=["no-cog-import", "helper-function", "other-class", "in-a-string"],
)
def test_code_that_is_not_a_model_input_is_left_alone(source: str) -> None:
    assert not _codes(source)


def test_predictor_found_through_a_local_base_class_and_aliases() -> None:
    assert _codes(
        """
        import cog as c
        from cog import BasePredictor as Base, Input as In


        class Common(Base):
            pass


        class Predictor(Common):
            async def predict(self, api_key: "str" = In(), openai_api_key: str = In()) -> str:
                return "ok"


        def train(hf_token: "c.Secret" = c.Input(default="hf_FAKEstrAnnT0kenN0tReal1234567890ab")) -> None:
            pass
        """
    ) == [("RS201", 11, "api_key"), ("RS201", 11, "openai_api_key"), ("RS202", 15, "hf_token")]


def test_secret_is_not_exposed_by_its_own_repr_its_hash_or_a_nested_function() -> None:
    assert not _codes(
        """
        import hashlib
        import logging

        from cog import BasePredictor, Input, Secret

        log = logging.getLogger(__name__)


        class Predictor(BasePredictor):
            def predict(self, hf_token: Secret = Input()) -> str:
                token = hf_token.get_secret_value()
                digest = hashlib.sha256(token.encode()).hexdigest()
                log.info("token %s, sha256 %s, first chars %s", hf_token, digest, len(token))
                print(str(hf_token))

                def header() -> str:
                    return f"Bearer {token}"  # a helper's return is not the output

                return digest
        """
    )


def test_exposure_through_names_and_structures() -> None:
    assert _codes(
        """
        from typing import Iterator

        from cog import BaseModel, BasePredictor, Input, Secret


        class Output(BaseModel):
            text: str
            debug: dict


        class Predictor(BasePredictor):
            def predict(self, api_key: Secret = Input()) -> Iterator[Output]:
                headers = {"Authorization": "Bearer " + api_key.get_secret_value()}
                line = "headers: {}".format(headers)
                print(line)
                yield Output(text="ok", debug=headers)
        """
    ) == [("RS203", 16, "api_key"), ("RS203", 17, "api_key")]


# ---------------------------------------------------------------------------
# Fixes


def _fixes(source: str) -> List[Tuple[str, Optional[Applicability]]]:
    result = check_source(source)
    return [(f.code, f.fix.applicability if f.fix else None) for f in result.findings]


def test_fixes_are_unsafe() -> None:
    source = """
    from typing import Optional

    from cog import BasePredictor, Input


    class Predictor(BasePredictor):
        def predict(self, hf_token: str = Input(default="hf_FAKEunsafeT0kenN0tReal1234567890ab")) -> str:
            return "ok"
    """
    assert _fixes(source) == [("RS201", Applicability.UNSAFE), ("RS202", Applicability.UNSAFE)]


def _fixed(tmp_path: Path, capsys: pytest.CaptureFixture[str], source: str) -> str:
    path = tmp_path / "predict.py"
    (tmp_path / "pyproject.toml").write_text("[tool.lint-secrets]\n", encoding="utf-8")
    path.write_text(textwrap.dedent(source).lstrip("\n"), encoding="utf-8")
    _run(capsys, "check", "--fix", "--unsafe-fixes", str(path))
    return path.read_text(encoding="utf-8")


def test_two_inputs_add_secret_to_the_import_once(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    fixed = _fixed(
        tmp_path,
        capsys,
        """
        from cog import (
            BasePredictor,
            Input,
        )


        class Predictor(BasePredictor):
            def predict(self, hf_token: str = Input(), wandb_api_key: str = Input()) -> str:
                return hf_token + wandb_api_key
        """,
    )
    assert fixed == textwrap.dedent(
        """\
        from cog import (
            BasePredictor,
            Input,
            Secret,
        )


        class Predictor(BasePredictor):
            def predict(self, hf_token: Secret = Input(), wandb_api_key: Secret = Input()) -> str:
                return hf_token.get_secret_value() + wandb_api_key.get_secret_value()
        """
    )


@pytest.mark.parametrize(
    "source",
    [
        # Rebound: which uses see the Secret is not something to guess.
        """
        from cog import BasePredictor, Input

        class Predictor(BasePredictor):
            def predict(self, hf_token: str = Input()) -> str:
                hf_token = hf_token.strip()
                return hf_token
        """,
        # Optional and used where it may be None: `None.get_secret_value()` would raise.
        """
        from typing import Optional
        from cog import BasePredictor, Input

        class Predictor(BasePredictor):
            def predict(self, hf_token: Optional[str] = Input(default=None)) -> str:
                return "Bearer %s" % hf_token
        """,
        # `Secret` already names something else, and nothing imports cog's.
        """
        from cog import BasePredictor, Input
        from vault import Secret

        class Predictor(BasePredictor):
            def predict(self, hf_token: str = Input()) -> str:
                return hf_token
        """,
    ],
    ids=["rebound", "optional-unguarded", "secret-name-taken"],
)
def test_rs201_is_reported_but_not_fixed_when_the_rewrite_would_guess(source: str) -> None:
    assert _fixes(textwrap.dedent(source)) == [("RS201", None)]
    (finding,) = findings(textwrap.dedent(source))
    assert "(no automatic fix: " in finding.message


def test_optional_uses_after_a_guard_are_rewritten(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    fixed = _fixed(
        tmp_path,
        capsys,
        """
        import os

        import cog


        def train(data: cog.Path = cog.Input(), hf_token: str | None = cog.Input(default=None)) -> None:
            if hf_token is None:
                return
            os.environ["HF_TOKEN"] = hf_token
            auth = hf_token and f"Bearer {hf_token}"
            print(bool(auth) if not hf_token else len(hf_token))
        """,
    )
    assert fixed == textwrap.dedent(
        """\
        import os

        import cog


        def train(data: cog.Path = cog.Input(), hf_token: cog.Secret | None = cog.Input(default=None)) -> None:
            if hf_token is None:
                return
            os.environ["HF_TOKEN"] = hf_token.get_secret_value()
            auth = hf_token.get_secret_value() and f"Bearer {hf_token.get_secret_value()}"
            print(bool(auth) if not hf_token else len(hf_token.get_secret_value()))
        """
    )


def test_noqa_on_the_parameter_line(tmp_path: Path) -> None:
    assert not _codes(
        """
        from cog import BasePredictor, Input


        class Predictor(BasePredictor):
            def predict(
                self,
                hf_token: str = Input(description="public read-only token"),  # noqa: RS201
            ) -> str:
                return hf_token
        """
    )


def test_prefilter_admits_files_that_import_cog_and_only_those() -> None:
    assert could_hold_findings(b"from cog import BasePredictor\n")
    assert could_hold_findings(b"import os\nimport cog\n")
    assert could_hold_findings(b"def f():\n    from cog.types import Secret\n")
    assert not could_hold_findings(b"import cogs\nfrom cog_utils import x\n")
    assert not could_hold_findings(b"# this predictor uses cog\nx = 'from cog import Input'\n")


# ---------------------------------------------------------------------------
# The rewrite engine's new edits, in-process


def _span(text: str, needle: str, occurrence: int = 0) -> Span:
    start = -1
    for _ in range(occurrence + 1):
        start = text.index(needle, start + 1)
    line = text.count("\n", 0, start) + 1
    column = start - (text.rfind("\n", 0, start) + 1)
    return Span(line, column, line, column + len(needle))


def _import_span(text: str) -> Span:
    """Where ast puts the `from cog import ...` statement (as the checker would)."""
    statement = next(n for n in ast.parse(text).body if isinstance(n, ast.ImportFrom))
    assert statement.end_lineno is not None and statement.end_col_offset is not None
    return Span(statement.lineno, statement.col_offset, statement.end_lineno, statement.end_col_offset)


def _at(text: str, needle: str, length: int) -> Span:
    """The first `length` characters of the one-line `needle` in `text`."""
    span = _span(text, needle)
    return Span(span.start_line, span.start_column, span.end_line, span.start_column + length)


@pytest.mark.parametrize(
    ("before", "after"),
    [
        ("from cog import BasePredictor, Input\n", "from cog import BasePredictor, Input, Secret\n"),
        ("from cog import Input, BasePredictor\n", "from cog import Input, BasePredictor, Secret\n"),
        ("from cog import BasePredictor, Path\n", "from cog import BasePredictor, Path, Secret\n"),
        ("from cog import BasePredictor, Tensor\n", "from cog import BasePredictor, Secret, Tensor\n"),
        ("from cog import Input as In  # inputs\n", "from cog import Input as In, Secret  # inputs\n"),
        ("from cog import Secret, Input\n", "from cog import Secret, Input\n"),
        (
            "from cog import (\n    BasePredictor,  # the base\n    Input,\n)\n",
            "from cog import (\n    BasePredictor,  # the base\n    Input,\n    Secret,\n)\n",
        ),
        (
            "from cog import (BasePredictor,\n                 Input)\n",
            "from cog import (BasePredictor,\n                 Input, Secret)\n",
        ),
    ],
    ids=[
        "append",
        "unsorted",
        "sorted-last",
        "sorted-middle",
        "alias-comment",
        "present",
        "parenthesized",
        "hanging",
    ],
)
def test_add_imported_name(before: str, after: str) -> None:
    result = rewrite(before, [AddImportedName(_import_span(before), "Secret")])
    assert isinstance(result, RewriteSuccess), result
    assert result.text == after


def test_edit_group_parts_are_made_together_and_shared_parts_once() -> None:
    text = "from cog import Input\n\n\ndef train(a: str = Input(), b: str = Input()):\n    return a + b\n"
    imports = AddImportedName(_import_span(text), "Secret")
    first = EditGroup(
        (
            ReplaceExpression(_at(text, "str = Input(), b", 3), "Secret"),
            ReplaceExpression(_at(text, "a + b", 1), "a.get_secret_value()"),
            imports,
        )
    )
    second = EditGroup(
        (
            ReplaceExpression(_at(text, "str = Input())", 3), "Secret"),
            ReplaceExpression(_at(text, "b\n", 1), "b.get_secret_value()"),
            imports,
        )
    )
    result = rewrite(text, [first, second])
    assert isinstance(result, RewriteSuccess), result
    assert result.text == (
        "from cog import Input, Secret\n\n\n"
        "def train(a: Secret = Input(), b: Secret = Input()):\n"
        "    return a.get_secret_value() + b.get_secret_value()\n"
    )


def test_sarif_fixes_apply_one_by_one_to_the_fixed_predictors(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each fix's SARIF replacements are its own (RS201 and RS202 change one line apart), so
    applying them all yields exactly what `--fix` writes."""
    project = _project(tmp_path, "bad")
    monkeypatch.chdir(project)  # SARIF paths are relative to the repository (here: the directory)
    code, out, _ = _run(capsys, "check", "--output-format", "sarif", ".")
    assert code == 1
    by_file: Dict[str, Set[Tuple[int, int, str]]] = {}
    for result in json.loads(out)["runs"][0]["results"]:
        for fix in result.get("fixes", []):
            for change in fix["artifactChanges"]:
                for replacement in change["replacements"]:
                    region = replacement["deletedRegion"]
                    piece = (
                        region["charOffset"],
                        region["charLength"],
                        replacement["insertedContent"]["text"],
                    )
                    by_file.setdefault(change["artifactLocation"]["uri"], set()).add(piece)
    assert set(by_file) == {"predict.py", "train.py"}
    for name, pieces in by_file.items():
        text = (COG / "bad" / name).read_text(encoding="utf-8")
        ordered = sorted(pieces)
        assert all(a[0] + a[1] <= b[0] for a, b in zip(ordered, ordered[1:])), ordered
        for offset, length, inserted in reversed(ordered):
            text = text[:offset] + inserted + text[offset + length :]
        assert text == (COG / "fixed" / name).read_text(encoding="utf-8")


def test_noqa_after_a_multi_line_input() -> None:
    source = """
    from cog import BasePredictor, Input, Secret


    class Predictor(BasePredictor):
        def predict(
            self,
            hf_token: Secret = Input(
                description="token for the demo space",
                default="hf_FAKEdemof406a18d98",
            ),  # noqa: RS202
            api_key: Secret = Input(
                default="sk-FAKEdemof406a18d98",
            ),  # noqa: RS201
        ) -> str:
            return "ok"
    """
    assert _codes(source) == [("RS202", 13, "api_key")]


def test_diff_shows_the_fixes_with_the_defaults_redacted(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = _project(tmp_path, "bad")
    code, out, _ = _run(capsys, "check", "--diff", "--unsafe-fixes", str(project))
    assert code == 1
    assert '-        hf_token: str = Input(description="Hugging Face token", default="hf_F…"),' in out
    assert '+        hf_token: Secret = Input(description="Hugging Face token"),' in out
    assert "hf_FAKE" not in out.replace("hf_F…", "") and "a3174df8afc09987c08b" not in out
    assert (project / "predict.py").read_text(encoding="utf-8") == (COG / "bad" / "predict.py").read_text(
        encoding="utf-8"
    )


FRAGMENTS = [
    "import ",
    "from ",
    "cog",
    "replicate",
    "\n",
    "\r",
    ";",
    " ",
    "\t",
    "#",
    "x",
    "s",
    "_",
    ".",
    ",",
    "\ufeff",
]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(FRAGMENTS), max_size=14))
def test_prefilter_line_scan_agrees_with_the_whole_file_pattern(fragments: List[str]) -> None:
    """The prefilter runs the import pattern only around the module names' words; it must
    decide as running it over the whole file would."""
    data = "".join(fragments).encode("utf-8")
    expected = prefilter.IMPORT_PATTERN.search(data) is not None
    assert any(prefilter._imports(data, word) for word in prefilter.IMPORT_WORDS) == expected


def test_exposure_through_an_attribute_of_self() -> None:
    assert _codes(
        """
        from cog import BasePredictor, Input, Secret


        class Predictor(BasePredictor):
            def predict(self, hf_token: Secret = Input()) -> str:
                self.token = hf_token.get_secret_value()
                self.other = "public"
                print(self.other, self.token)
                return self.other
        """
    ) == [("RS203", 9, "hf_token")]


def test_plain_fix_leaves_the_unsafe_fixes_to_unsafe_fixes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """RS201/RS202 fixes change what the model accepts: `--fix` alone writes nothing."""
    project = _project(tmp_path, "bad")
    before = {name: (project / name).read_text(encoding="utf-8") for name in ("predict.py", "train.py")}
    code, out, _ = _run(capsys, "check", "--fix", str(project))
    assert code == 1 and "[~]" in out
    assert {name: (project / name).read_text(encoding="utf-8") for name in before} == before


# ---------------------------------------------------------------------------
# RS203: what carries a Secret's value, and what does not


def test_results_of_a_client_built_with_the_secret_are_not_the_secret() -> None:
    """A client made with the key hands back audio, text and embeddings: printing, writing or
    yielding those shows nothing of the key. Only the object built with it, itself, may."""
    assert (
        _codes(
            """
        from typing import Iterator

        from cog import BasePredictor, Input, Path, Secret
        from elevenlabs.client import ElevenLabs
        from openai import OpenAI


        class Predictor(BasePredictor):
            def predict(
                self, text: str = Input(), elevenlabs_api_key: Secret = Input(), openai_api_key: Secret = Input()
            ) -> Iterator[str]:
                client = ElevenLabs(api_key=elevenlabs_api_key.get_secret_value())
                audio = client.generate(text=text, voice="Rachel")
                oai = OpenAI(api_key=openai_api_key.get_secret_value())
                summary = oai.responses.create(model="gpt-4o", input=text)
                print(summary.output_text, client.voices)
                embedded = oai.embeddings_text(text)
                print("embedding done", embedded)
                with open(Path("/tmp/out.mp3"), "wb") as f:
                    f.write(audio)
                yield embedded
        """
        )
        == []
    )


def test_an_object_built_with_the_value_is_reported_when_it_is_itself_shown() -> None:
    assert _codes(
        """
        from cog import BaseModel, BasePredictor, Input, Secret


        class Output(BaseModel):
            token: str


        class Predictor(BasePredictor):
            def predict(self, hf_token: Secret = Input()) -> Output:
                return Output(token=hf_token.get_secret_value())
        """
    ) == [("RS203", 11, "hf_token")]


def test_a_name_rebound_to_something_else_is_no_longer_the_secret() -> None:
    assert (
        _codes(
            """
        from typing import Iterator

        from cog import BasePredictor, Input, Secret
        from huggingface_hub import login
        from transformers import TextIteratorStreamer


        class Predictor(BasePredictor):
            def predict(self, prompt: str = Input(), hf_token: Secret = Input(default=None)) -> Iterator[str]:
                token = hf_token.get_secret_value() if hf_token else None
                if token:
                    login(token=token)
                t = hf_token.get_secret_value()
                login(token=t)
                t = "logged in"
                print(t)
                for t in ["a", "b"]:
                    print(t)
                streamer = TextIteratorStreamer(self.tokenizer)
                for token in streamer:
                    yield token
        """
        )
        == []
    )


def test_a_binding_in_one_branch_still_reaches_the_code_after_it() -> None:
    assert _codes(
        """
        from cog import BasePredictor, Input, Secret


        class Predictor(BasePredictor):
            def predict(self, hf_token: Secret = Input(), verbose: bool = Input(default=False)) -> str:
                note = "anonymous"
                if verbose:
                    note = hf_token.get_secret_value()
                print(note)
                for _ in range(3):
                    print(last)
                    last = hf_token.get_secret_value()
                return "ok"
        """
    ) == [("RS203", 10, "hf_token"), ("RS203", 12, "hf_token")]


def test_aliases_and_lists_of_secrets_are_followed() -> None:
    assert _codes(
        """
        from typing import List

        from cog import BasePredictor, Input, Secret


        class Predictor(BasePredictor):
            def predict(self, hf_token: Secret = Input(), keys: List[Secret] = Input()) -> str:
                token = hf_token
                print(token, f"{token}", str(token))
                print(token.get_secret_value())
                print(keys[0].get_secret_value())
                for key in keys:
                    print(key.get_secret_value())
                print(keys, [k for k in keys])
                a, b = token.get_secret_value(), "x"
                print(b)
                print(a)
                return "ok"
        """
    ) == [
        ("RS203", 11, "hf_token"),
        ("RS203", 12, "keys"),
        ("RS203", 14, "keys"),
        ("RS203", 18, "hf_token"),
    ]


def test_what_is_derived_from_the_value_without_showing_it_is_not_reported() -> None:
    assert _codes(
        """
        from cog import BasePredictor, Input, Secret


        class Predictor(BasePredictor):
            def predict(self, hf_token: Secret = Input()) -> str:
                t = hf_token.get_secret_value()
                headers = {"Authorization": f"Bearer {t}", "Accept": "application/json"}
                print(t.startswith("hf_"), t.isalnum(), len(t), t == "x")
                print(headers.keys(), list(headers), sorted(headers), headers["Accept"])
                print("Authorization" in headers, headers.get("Accept"))
                print(t[:3] + "***")
                print(headers["Authorization"])
                print(headers.get("Authorization"), headers.values())
                print(t.strip().upper())
                return "ok"
        """
    ) == [("RS203", line, "hf_token") for line in (13, 14, 14, 15)]


def test_more_ways_to_log_print_and_write() -> None:
    assert _codes(
        """
        import json
        import pprint
        import warnings
        from logging import info as log_info

        from cog import BasePredictor, Input, Secret as Sec
        from loguru import logger as console


        class Predictor(BasePredictor):
            def predict(self, wandb_api_key: "Sec" = Input()) -> str:
                t = wandb_api_key.get_secret_value()
                log_info(t)
                console.debug(t)
                warnings.warn(t)
                pprint.pprint({"key": t})
                with open("/tmp/c.json", "w") as f:
                    json.dump({"key": t}, f)
                return "ok"
        """
    ) == [("RS203", line, "wandb_api_key") for line in (14, 15, 16, 17, 19)]


def test_noqa_after_the_closing_parenthesis_of_a_multi_line_call() -> None:
    assert (
        _codes(
            '''
        from cog import BasePredictor, Input, Secret


        class Predictor(BasePredictor):
            def predict(self, hf_token: Secret = Input()) -> str:
                print(
                    "tok",
                    hf_token.get_secret_value(),
                )  # noqa: RS203
                print(f"""
                {hf_token.get_secret_value()}
                """)  # noqa: RS203
                return (
                    hf_token.get_secret_value()
                )  # noqa: RS203
        '''
        )
        == []
    )


def test_rules_and_explain_say_the_cog_fixes_are_unsafe_and_which_they_are(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["rules"]) == 0
    lines = {line.split()[0]: line for line in capsys.readouterr().out.splitlines()}
    for code, kind in (("RS201", "secret-annotation"), ("RS202", "secret-input-default")):
        assert f"{code}  [~]" in lines[code] and f"(unsafe fixes: {kind})" in lines[code]
        assert "read-environ" not in lines[code]
        assert main(["explain", code]) == 0
        text = capsys.readouterr().out
        assert "Fix: available with `lint-secrets check --fix --unsafe-fixes`" in text
        assert f"- {kind} (unsafe)" in text and "read-environ" not in text
    assert "[*]" in lines["RS101"]


def test_the_fix_to_secret_leaves_printed_and_logged_values_as_the_secret(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A Secret prints and logs as **********: reading its value there would make the fix
    expose it (RS203). A value returned is the output's text: it reads the value, and RS203
    then says the output shows it (it did before the fix as well)."""
    fixed = _fixed(
        tmp_path,
        capsys,
        """
        import logging

        from cog import BasePredictor, Input

        logger = logging.getLogger(__name__)


        class Predictor(BasePredictor):
            def predict(self, prompt: str = Input(), password: str = Input(), api_key: str = Input()) -> str:
                print(password)
                print(f"key {api_key}", "x" + api_key)
                logger.info("using %s", api_key)
                return prompt + api_key
        """,
    )
    assert fixed == textwrap.dedent(
        """\
        import logging

        from cog import BasePredictor, Input, Secret

        logger = logging.getLogger(__name__)


        class Predictor(BasePredictor):
            def predict(self, prompt: str = Input(), password: Secret = Input(), api_key: Secret = Input()) -> str:
                print(password)
                print(f"key {api_key}", "x" + api_key.get_secret_value())
                logger.info("using %s", api_key)
                return prompt + api_key.get_secret_value()
        """
    )
    assert _codes(fixed) == [("RS203", 11, "api_key"), ("RS203", 13, "api_key")]


def test_a_default_written_as_a_constant_or_built_from_literals_is_reported(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = """
        from cog import BasePredictor, Input, Secret

        DEFAULT_TOKEN = "hf_Q8vLm2ZrT4pXw9KcN3bYd7HjF5sA1eGuVo"
        PREFIX = "hf_"
        MODEL = "meta-llama/Llama-2-7b-hf"


        class Predictor(BasePredictor):
            def predict(
                self,
                hf_token: Secret = Input(default=DEFAULT_TOKEN),
                b_token: Secret = Input(default=f"{PREFIX}Q8vLm2ZrT4pXw9KcN3bYd7HjF5sA1eGuVo"),
                model: str = Input(default=MODEL),
                c_token: Secret = Input(default=PLACEHOLDER),
            ) -> str:
                return "ok"


        PLACEHOLDER = "your-token-here"
    """
    found = findings(textwrap.dedent(source))
    assert [(f.code, f.line, f.column, f.input) for f in found] == [
        ("RS202", 12, 42, "hf_token"),
        ("RS202", 13, 41, "b_token"),
    ]
    assert "'hf_Q…' (via DEFAULT_TOKEN)" in found[0].message
    assert "hf_Q8vLm2" not in found[0].message
    fixed = _fixed(tmp_path, capsys, source)
    assert "hf_token: Secret = Input()," in fixed and "b_token: Secret = Input()," in fixed


def test_the_summary_counts_secrets_apart_from_other_problems(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """An input typed str, or a required input not passed, is a problem, not a secret found."""
    (tmp_path / "pyproject.toml").write_text("[tool.lint-secrets]\n", encoding="utf-8")
    path = tmp_path / "predict.py"
    source = textwrap.dedent(
        """\
        from cog import BasePredictor, Input


        class Predictor(BasePredictor):
            def predict(self, api_key: str = Input(), hf_token: str = Input(default="hf_FAKEdefault0123456789")) -> str:
                return "ok"
        """
    )
    path.write_text(source, encoding="utf-8")
    code, out, _ = _run(capsys, "check", str(path))
    assert out.splitlines()[-2:] == [
        "Found 3 problems (1 secret).",
        "[~] 3 fixable with `lint-secrets check --fix --unsafe-fixes` (see `lint-secrets explain`).",
    ]
    code, out, _ = _run(capsys, "check", "--fix", "--unsafe-fixes", str(path))
    assert (code, out) == (0, "Fixed 3 problems (1 secret).\n")
    path.write_text(source.replace(', hf_token: str = Input(default="hf_FAKEdefault0123456789")', ""))
    code, out, err = _run(capsys, "check", "--fix", "--unsafe-fixes", str(path))
    assert (code, out) == (0, "Fixed 1 problem.\n")
    assert "rotate" not in err  # declaring an input Secret removed no value from the code


def test_removing_a_default_keeps_the_comment_lines_around_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Only the argument goes (with a comment on its own line end): the comment lines above
    or below it, which may be about anything, stay."""
    fixed = _fixed(
        tmp_path,
        capsys,
        """
        from cog import BasePredictor, Input, Secret


        class Predictor(BasePredictor):
            def predict(
                self,
                k_token: Secret = Input(
                    description="multi",
                    # a comment
                    default="hf_Q8vLm2ZrT4pXw9KcN3bYd7HjF5sA1eGuVo",
                ),
                j_token: Secret = Input(
                    # about the default
                    default="hf_Q8vLm2ZrT4pXw9KcN3bYd7HjF5sA1eGuVo",  # trailing
                    # about the description
                    description="x",
                ),
                m_token: Secret = Input(
                    description="y",  # about y
                    # between
                    default="hf_Q8vLm2ZrT4pXw9KcN3bYd7HjF5sA1eGuVo",
                    # after
                    title="z",
                ),
            ) -> str:
                return "ok"
        """,
    )
    assert fixed == textwrap.dedent(
        """\
        from cog import BasePredictor, Input, Secret


        class Predictor(BasePredictor):
            def predict(
                self,
                k_token: Secret = Input(
                    description="multi",
                    # a comment
                ),
                j_token: Secret = Input(
                    # about the default
                    # about the description
                    description="x",
                ),
                m_token: Secret = Input(
                    description="y",  # about y
                    # between
                    # after
                    title="z",
                ),
            ) -> str:
                return "ok"
        """
    )


def test_full_format_shows_the_annotation_it_points_at(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """RS201 points at `str`, a type, not a secret: the snippet shows it."""
    (tmp_path / "pyproject.toml").write_text("[tool.lint-secrets]\n", encoding="utf-8")
    path = tmp_path / "predict.py"
    path.write_text(
        "from cog import BasePredictor, Input\n\n\nclass Predictor(BasePredictor):\n"
        "    def predict(self, api_key: str = Input()) -> str:\n        return 'ok'\n",
        encoding="utf-8",
    )
    _, out, _ = _run(capsys, "check", "--output-format", "full", str(path))
    lines = out.splitlines()
    shown = next(line for line in lines if "def predict" in line)
    assert "api_key: str = Input()" in shown
    caret = lines[lines.index(shown) + 1]
    assert caret.index("^") == shown.index("str = ") and "^^^ RS201" in caret


@pytest.mark.parametrize(
    "name, credential",
    [
        ("civitai_key", True),
        ("ssh_key", True),
        ("openai_key", True),
        ("github_pat", True),
        ("session_cookie", True),
        ("replace_token", False),  # the word a trainer replaces in captions
        ("sort_key", False),
        ("key", False),  # a musical key
        ("pat", False),
    ],
)
def test_rs201_name_evidence(name: str, credential: bool) -> None:
    source = f"""
        from cog import BasePredictor, Input


        class Predictor(BasePredictor):
            def predict(self, {name}: str = Input()) -> str:
                return "ok"
        """
    assert bool(_codes(source)) is credential


def test_deeply_nested_loops_are_walked_in_linear_time() -> None:
    depth = 40
    body = "".join(f"{'    ' * (2 + i)}for x{i} in range(3):\n" for i in range(depth))
    source = (
        "from cog import BasePredictor, Input, Secret\n\n\nclass Predictor(BasePredictor):\n"
        "    def predict(self, hf_token: Secret = Input()) -> str:\n"
        + body
        + f"{'    ' * (2 + depth)}print(hf_token.get_secret_value())\n"
        + "        return 'ok'\n"
    )
    import time

    started = time.monotonic()
    assert [f.code for f in findings(source)] == ["RS203"]
    assert time.monotonic() - started < 20
