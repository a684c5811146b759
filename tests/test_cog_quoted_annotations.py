"""RS201 on a quoted annotation (`token: "str"`, `Optional["str"]`, `'Optional[str]'`): the
same fix as the unquoted one, the quotes kept."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from conftest import check_source

from lint_secrets.cli import main


def _fixed(tmp_path: Path, source: str) -> str:
    path = tmp_path / "predict.py"
    (tmp_path / "pyproject.toml").write_text("[tool.lint-secrets]\n", encoding="utf-8")
    path.write_text(textwrap.dedent(source).lstrip("\n"), encoding="utf-8")
    main(["check", "--fix", "--unsafe-fixes", str(path)])
    return path.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("annotation", "fixed"),
    [
        ('"str"', '"Secret"'),
        ("'str'", "'Secret'"),
        ('Optional["str"]', 'Optional["Secret"]'),
        ("'Optional[str]'", "'Optional[Secret]'"),
        ('"str | None"', '"Secret | None"'),
        ('" str "', '" Secret "'),
    ],
)
def test_a_quoted_annotation_gets_the_fix_with_its_quotes(
    tmp_path: Path, annotation: str, fixed: str
) -> None:
    source = f"""
    from typing import Optional

    from cog import BasePredictor, Input
    from huggingface_hub import login


    class Predictor(BasePredictor):
        def predict(self, prompt: str = Input(), hf_token: {annotation} = Input(default=None)) -> str:
            if hf_token is not None:
                login(token=hf_token)
            return prompt
    """
    optional = "Optional" in annotation or "None" in annotation
    if not optional:
        source = source.replace("Input(default=None)", "Input()").replace(
            "if hf_token is not None:", "if True:"
        )
    assert textwrap.dedent(_fixed(tmp_path, source)) == textwrap.dedent(source).lstrip("\n").replace(
        "from cog import BasePredictor, Input\n", "from cog import BasePredictor, Input, Secret\n"
    ).replace(f"hf_token: {annotation}", f"hf_token: {fixed}").replace(
        "login(token=hf_token)", "login(token=hf_token.get_secret_value())"
    )


@pytest.mark.parametrize(
    "annotation",
    [
        '"""str"""',  # a literal whose text is not just quotes around the value
        "'Optional[\"str\"]'",  # quotes inside the quotes
        '"Optional[str]" "  "',  # two literals joined
    ],
)
def test_a_quoted_annotation_the_fix_cannot_rewrite_is_reported_without_a_fix(annotation: str) -> None:
    source = f"""
    from typing import Optional
    from cog import BasePredictor, Input

    class Predictor(BasePredictor):
        def predict(self, hf_token: {annotation} = Input()) -> str:
            return "ok"
    """
    result = check_source(source)
    assert [(f.code, f.fix) for f in result.findings] == [("RS201", None)]
    assert "(no automatic fix: its annotation is written as a string" in result.findings[0].message


def test_a_quoted_non_credential_or_secret_annotation_is_left_alone() -> None:
    source = """
    from cog import BasePredictor, Input, Secret

    class Predictor(BasePredictor):
        def predict(
            self, prompt: "str" = Input(), hf_token: "Secret" = Input(), eos_token: "str" = Input()
        ) -> str:
            return prompt
    """
    assert check_source(source).findings == ()
