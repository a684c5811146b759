"""`check --fix`, `--diff` and `--env-file`: real files in tmp_path, run through the CLI."""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any, Dict, List, Tuple

import pytest
from conftest import git, run_cli

from lint_secrets.cli import main
from lint_secrets.findings import Finding
from lint_secrets.fix.apply import FixError, apply_fixes, write_atomically
from lint_secrets.fix.edits import Edit, Fix, ReplaceExpression, Span
from lint_secrets.source import decode_source

SCHEMAS = Path(__file__).resolve().parent.parent / "fixtures" / "sample" / ".lint-secrets" / "schemas"

# Obviously fake, realistically shaped secrets.
EL = "el-FAKE2b1c0f9a8d7e6c5b4a39f8e7"  # an ElevenLabs key: the schema marks `elevenlabs_api_key` secret
EL2 = "el-FAKE9a8b7c6d5e4f3a2b1c0d9e8f"
HF = "hf_FAKEaBcDeFgHiJkLmNoPqRsTuVwXyZ0123"
R8 = "r8_FAKE" + "Xq3ZtV9mLw2Pk7Rb4Nc8Hd1Fs6Gj0Ye5U"  # r8_ and 37 letters and digits
R8_2 = "r8_FAKE" + "Pk3Lm5Nb7Vc9Xz1Qw2Er4Ty6Ui8Op0AsD"
SECRETS = (EL, EL2, HF, R8, R8_2)
assert len(R8) == len(R8_2) == 40

TTS = '"example/text-to-speech"'
# A token written in two pieces: `"<R8_HEAD>" + "<R8_TAIL>"`.
MARKERS = {
    "<EL>": EL,
    "<EL2>": EL2,
    "<HF>": HF,
    "<R8>": R8,
    "<R8_2>": R8_2,
    "<R8_HEAD>": R8[:20],
    "<R8_TAIL>": R8[20:],
    "<HF_HEAD>": HF[:16],
    "<HF_TAIL>": HF[16:],
    "<TTS>": TTS,
}


def src(text: str) -> str:
    """Dedented source with `<EL>`, `<R8>`... replaced by the fake secrets."""
    text = textwrap.dedent(text)
    for marker, value in MARKERS.items():
        text = text.replace(marker, value)
    return text


def case(before: str, after: str, id: str) -> Any:
    return pytest.param(src(before), src(after), id=id)


def project(tmp_path: Path, config: str = "") -> Path:
    """A project directory: pyproject.toml (with `config` under [tool.lint-secrets]) and the schema cache."""
    shutil.copytree(SCHEMAS, tmp_path / ".lint-secrets" / "schemas")
    (tmp_path / "pyproject.toml").write_text(f"[tool.lint-secrets]\n{config}", encoding="utf-8")
    return tmp_path


def run(capsys: pytest.CaptureFixture[str], *args: str) -> Tuple[int, str, str]:
    return run_cli(capsys, ["check", *args], never_shown=())


def fix_file(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    before: str | bytes,
    *args: str,
    config: str = "",
    name: str = "app.py",
) -> Tuple[int, bytes, str, str]:
    root = project(tmp_path, config)
    path = root / name
    path.write_bytes(before.encode("utf-8") if isinstance(before, str) else before)
    code, out, err = run(capsys, "--fix", *args, str(path))
    return code, path.read_bytes(), out, err


def assert_no_secret(*texts: str) -> None:
    for text in texts:
        for secret in SECRETS:
            assert secret not in text


def no_temp_files(directory: Path) -> bool:
    return not list(directory.rglob(".lint-secrets-*.tmp"))


# ---------------------------------------------------------------------------
# Every rewrite of issue 4


REWRITES = [
    case(
        """\
        import replicate


        class Creds:
            def __init__(self, key):
                self.key = key


        def speak(text):
            creds = Creds(key="<EL>")
            return replicate.run(<TTS>, input={"text": text, "elevenlabs_api_key": creds.key})
        """,
        """\
        import replicate
        import os


        class Creds:
            def __init__(self, key):
                self.key = key


        def speak(text):
            creds = Creds(key=os.environ["ELEVENLABS_API_KEY"])
            return replicate.run(<TTS>, input={"text": text, "elevenlabs_api_key": creds.key})
        """,
        id="constructor-keyword-sent-as-attribute",
    ),
    case(
        """\
        import replicate

        replicate.run(<TTS>, input={"text": "hi", "elevenlabs_api_key": "<EL>"})
        """,
        """\
        import replicate
        import os

        replicate.run(<TTS>, input={"text": "hi", "elevenlabs_api_key": os.environ["ELEVENLABS_API_KEY"]})
        """,
        id="dict-literal-at-call",
    ),
    case(
        """\
        import replicate

        replicate.run(
            <TTS>,
            input={'text': 'hi', 'elevenlabs_api_key': '<EL>'},  # keep me
        )
        """,
        """\
        import replicate
        import os

        replicate.run(
            <TTS>,
            input={'text': 'hi', 'elevenlabs_api_key': os.environ["ELEVENLABS_API_KEY"]},  # keep me
        )
        """,
        id="single-quotes-and-comment-kept",
    ),
    case(
        """\
        import replicate

        replicate.run(<TTS>, input=dict(text="hi", elevenlabs_api_key="<EL>"))
        """,
        """\
        import replicate
        import os

        replicate.run(<TTS>, input=dict(text="hi", elevenlabs_api_key=os.environ["ELEVENLABS_API_KEY"]))
        """,
        id="dict-call-keyword",
    ),
    case(
        """\
        import replicate

        tts = replicate.use(<TTS>)
        tts(text="hi", elevenlabs_api_key="<EL>")
        """,
        """\
        import replicate
        import os

        tts = replicate.use(<TTS>)
        tts(text="hi", elevenlabs_api_key=os.environ["ELEVENLABS_API_KEY"])
        """,
        id="use-callable-keyword",
    ),
    case(
        """\
        import replicate

        ELEVEN_KEY = "<EL>"

        def speak(text):
            return replicate.run(<TTS>, input={"text": text, "elevenlabs_api_key": ELEVEN_KEY})
        """,
        """\
        import replicate
        import os

        ELEVEN_KEY = os.environ.get("ELEVEN_KEY")

        def speak(text):
            return replicate.run(<TTS>, input={"text": text, "elevenlabs_api_key": ELEVEN_KEY})
        """,
        id="constant-rewritten-at-definition",
    ),
    case(
        """\
        import replicate

        HF_TOKEN = "<HF>"

        replicate.trainings.create(
            model="example/lora-trainer",
            version="84485d60a129ffdb50f61b0b6549f5e460e21207a2e68dc91ce0460850fc4240",
            input={"images": "https://example.com/i.zip", "hub_token": HF_TOKEN},
            destination="acme/my-lora",
        )
        """,
        """\
        import replicate
        import os

        HF_TOKEN = os.environ.get("HF_TOKEN")

        replicate.trainings.create(
            model="example/lora-trainer",
            version="84485d60a129ffdb50f61b0b6549f5e460e21207a2e68dc91ce0460850fc4240",
            input={"images": "https://example.com/i.zip", "hub_token": HF_TOKEN},
            destination="acme/my-lora",
        )
        """,
        id="training-constant",
    ),
    case(
        """\
        import replicate

        def speak(text, key="<EL>"):
            return replicate.run(<TTS>, input={"text": text, "elevenlabs_api_key": key})
        """,
        """\
        import replicate
        import os

        def speak(text, key=os.environ.get("ELEVENLABS_API_KEY")):
            return replicate.run(<TTS>, input={"text": text, "elevenlabs_api_key": key})
        """,
        id="parameter-default",
    ),
    case(
        """\
        import replicate

        client = replicate.Client(api_token="<R8>")
        """,
        """\
        import replicate
        import os

        client = replicate.Client(api_token=os.environ["REPLICATE_API_TOKEN"])
        """,
        id="client-api-token",
    ),
    case(
        """\
        from replicate import Client

        client = Client("<R8>")
        """,
        """\
        from replicate import Client
        import os

        client = Client(os.environ["REPLICATE_API_TOKEN"])
        """,
        id="client-positional-token",
    ),
    case(
        """\
        from replicate import Replicate

        client = Replicate(bearer_token="<R8>")
        """,
        """\
        from replicate import Replicate
        import os

        client = Replicate(bearer_token=os.environ["REPLICATE_API_TOKEN"])
        """,
        id="replicate-bearer-token",
    ),
    case(
        """\
        import os
        import replicate

        os.environ["REPLICATE_API_TOKEN"] = "<R8>"
        replicate.run("a/b")
        """,
        """\
        import os
        import replicate

        replicate.run("a/b")
        """,
        id="environ-assignment-removed",
    ),
    case(
        """\
        import os
        import replicate

        os.environ.setdefault("REPLICATE_API_TOKEN", "<R8>")  # dev token
        x = 1
        """,
        """\
        import os
        import replicate

        x = 1
        """,
        id="setdefault-removed",
    ),
    case(
        """\
        import replicate

        replicate.api_token = "<R8>"
        print(replicate.run("a/b"))
        """,
        """\
        import replicate

        print(replicate.run("a/b"))
        """,
        id="api-token-attribute-removed",
    ),
    case(
        """\
        import os
        import replicate

        def setup():
            os.environ["REPLICATE_API_TOKEN"] = "<R8>"

        setup()
        """,
        """\
        import os
        import replicate

        def setup():
            pass

        setup()
        """,
        id="emptied-function-gets-pass",
    ),
    case(
        """\
        import os
        import replicate

        if True:
            replicate.api_token = "<R8>"
            os.environ.setdefault("REPLICATE_API_TOKEN", "<R8>")
        else:
            pass
        """,
        """\
        import os
        import replicate

        if True:
            pass
        else:
            pass
        """,
        id="emptied-block-two-statements-one-pass",
    ),
    case(
        """\
        import os
        import replicate

        if True: os.environ["REPLICATE_API_TOKEN"] = "<R8>"
        """,
        """\
        import os
        import replicate

        if True: pass
        """,
        id="one-line-block-gets-pass",
    ),
    case(
        """\
        import os
        import replicate

        x = 1; replicate.api_token = "<R8>"
        """,
        """\
        import os
        import replicate

        x = 1
        """,
        id="statement-after-semicolon",
    ),
    case(
        """\
        import os
        import replicate

        replicate.api_token = "<R8>";  x = 1  # keep
        """,
        """\
        import os
        import replicate

        x = 1  # keep
        """,
        id="statement-before-semicolon",
    ),
    case(
        """\
        import os
        import replicate

        token = os.getenv("REPLICATE_API_TOKEN", "<R8>")
        """,
        """\
        import os
        import replicate

        token = os.getenv("REPLICATE_API_TOKEN")
        """,
        id="getenv-loses-default",
    ),
    case(
        """\
        import os
        import replicate

        token = os.environ.get("REPLICATE_API_TOKEN", "<R8>")
        """,
        """\
        import os
        import replicate

        token = os.environ.get("REPLICATE_API_TOKEN")
        """,
        id="environ-get-loses-default",
    ),
    case(
        """\
        import replicate

        TOKEN = "<R8>"
        """,
        """\
        import replicate
        import os

        TOKEN = os.environ.get("REPLICATE_API_TOKEN")
        """,
        id="bare-token-literal",
    ),
    case(
        """\
        import replicate

        replicate.run(<TTS>, input={"elevenlabs_api_key": "<EL>"})
        replicate.run(<TTS>, input={"elevenlabs_api_key": "<EL2>"})
        replicate.run(<TTS>, input={"elevenlabs_api_key": "<EL>"})
        """,
        """\
        import replicate
        import os

        replicate.run(<TTS>, input={"elevenlabs_api_key": os.environ["ELEVENLABS_API_KEY"]})
        replicate.run(<TTS>, input={"elevenlabs_api_key": os.environ["ELEVENLABS_API_KEY_2"]})
        replicate.run(<TTS>, input={"elevenlabs_api_key": os.environ["ELEVENLABS_API_KEY"]})
        """,
        id="two-values-two-names",
    ),
    case(
        """\
        import replicate

        ELEVENLABS_API_KEY_2 = "<EL2>"
        replicate.run(<TTS>, input={"elevenlabs_api_key": "<EL>"})
        replicate.run(<TTS>, input={"elevenlabs_api_key": "<HF>"})
        replicate.run(<TTS>, input={"elevenlabs_api_key": ELEVENLABS_API_KEY_2})
        """,
        """\
        import replicate
        import os

        ELEVENLABS_API_KEY_2 = os.environ.get("ELEVENLABS_API_KEY_2")
        replicate.run(<TTS>, input={"elevenlabs_api_key": os.environ["ELEVENLABS_API_KEY"]})
        replicate.run(<TTS>, input={"elevenlabs_api_key": os.environ["ELEVENLABS_API_KEY_3"]})
        replicate.run(<TTS>, input={"elevenlabs_api_key": ELEVENLABS_API_KEY_2})
        """,
        id="numbered-name-taken-by-a-constant",
    ),
    case(
        """\
        import os
        import replicate

        os.environ["REPLICATE_API_TOKEN"] = "<R8>"
        client = replicate.Client(api_token="<R8_2>")
        other = replicate.Client(api_token="<R8>")
        """,
        """\
        import os
        import replicate

        client = replicate.Client(api_token=os.environ["REPLICATE_API_TOKEN_2"])
        other = replicate.Client(api_token=os.environ["REPLICATE_API_TOKEN"])
        """,
        id="removed-token-keeps-its-name",
    ),
    # Strings joined with `+`: the whole chain is one value, replaced at once.
    case(
        """\
        import replicate

        TOKEN = "<R8_HEAD>" + "<R8_TAIL>"
        """,
        """\
        import replicate
        import os

        TOKEN = os.environ.get("REPLICATE_API_TOKEN")
        """,
        id="token-in-pieces-constant",
    ),
    case(
        """\
        import replicate


        def client():
            token: str = "<R8_HEAD>" + "<R8_TAIL>"
            return replicate.Client(api_token=token)
        """,
        """\
        import replicate
        import os


        def client():
            token: str = os.environ["REPLICATE_API_TOKEN"]
            return replicate.Client(api_token=token)
        """,
        id="token-in-pieces-local",
    ),
    case(
        """\
        import replicate

        TOKEN = (
            "<R8_HEAD>"  # the first half
            # and then
            + "<R8_TAIL>"  # the rest
        )
        """,
        """\
        import replicate
        import os

        TOKEN = (
            os.environ.get("REPLICATE_API_TOKEN")  # the first half
            # and then
            # the rest
        )
        """,
        id="token-in-pieces-comments-between-parts-kept",
    ),
    case(
        """\
        import replicate

        TOKEN = ("<R8_HEAD>"  # the first half
                 + "<R8_TAIL>")
        """,
        """\
        import replicate
        import os

        TOKEN = (os.environ.get("REPLICATE_API_TOKEN")  # the first half
                 )
        """,
        id="token-in-pieces-comment-closing-on-the-last-line",
    ),
    case(
        """\
        import replicate

        client = replicate.Client(
            api_token="<R8_HEAD>"  # the first half
            + "<R8_TAIL>",
        )
        """,
        """\
        import replicate
        import os

        client = replicate.Client(
            api_token=(os.environ["REPLICATE_API_TOKEN"]  # the first half
            ),
        )
        """,
        id="token-in-pieces-in-a-call-comment-gets-parentheses",
    ),
    case(
        """\
        import replicate

        TOKEN = (
            "<R8_HEAD>"  # implicit concatenation
            "<R8_TAIL>"
        )
        """,
        """\
        import replicate
        import os

        TOKEN = (
            os.environ.get("REPLICATE_API_TOKEN")  # implicit concatenation
        )
        """,
        id="implicit-concatenation-comment-kept",
    ),
    case(
        """\
        import replicate

        HUGGINGFACE_TOKEN = "<HF_HEAD>" + "<HF_TAIL>"
        replicate.run("acme/private-model", input={"hf_token": HUGGINGFACE_TOKEN})
        """,
        """\
        import replicate
        import os

        HUGGINGFACE_TOKEN = os.environ.get("HUGGINGFACE_TOKEN")
        replicate.run("acme/private-model", input={"hf_token": HUGGINGFACE_TOKEN})
        """,
        id="module-constant-in-pieces-read-with-get-under-its-name",
    ),
]


@pytest.mark.parametrize(("before", "after"), REWRITES)
def test_rewrite(tmp_path: Path, capsys: pytest.CaptureFixture[str], before: str, after: str) -> None:
    code, result, out, err = fix_file(tmp_path, capsys, before)
    assert result.decode("utf-8") == after
    assert code == 0, (out, err)
    assert_no_secret(out, err)
    assert no_temp_files(tmp_path)
    # Idempotent: a second run finds nothing and changes nothing.
    code, out, err = run(capsys, "--fix", str(tmp_path / "app.py"))
    assert (tmp_path / "app.py").read_bytes() == result
    assert code == 0, (out, err)
    assert "fixed" not in err


ENV_NAMES = [
    pytest.param(
        '[tool.lint-secrets.env-names]\nelevenlabs_api_key = "ELEVEN_KEY"\n',
        "ELEVEN_KEY",
        id="per-input",
    ),
    pytest.param(
        '[tool.lint-secrets.env-names."example/text-to-speech"]\nelevenlabs_api_key = "TTS_KEY"\n',
        "TTS_KEY",
        id="per-model",
    ),
    pytest.param(
        '[tool.lint-secrets.env-names]\nelevenlabs_api_key = "ELEVEN_KEY"\n'
        '[tool.lint-secrets.env-names."example/text-to-speech"]\nelevenlabs_api_key = "TTS_KEY"\n',
        "TTS_KEY",
        id="per-model-wins",
    ),
    pytest.param(
        '[tool.lint-secrets.env-names."example/other-model"]\nelevenlabs_api_key = "OTHER"\n',
        "ELEVENLABS_API_KEY",
        id="other-model-does-not-apply",
    ),
]


@pytest.mark.parametrize(("config", "name"), ENV_NAMES)
def test_configured_env_names(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], config: str, name: str
) -> None:
    before = f'import replicate\n\nreplicate.run({TTS}, input={{"elevenlabs_api_key": "{EL}"}})\n'
    code, result, _, err = fix_file(tmp_path, capsys, before, config=config)
    assert (
        result.decode()
        == f'import replicate\nimport os\n\nreplicate.run({TTS}, input={{"elevenlabs_api_key": os.environ["{name}"]}})\n'  # noqa: E501
    )
    assert code == 0
    assert f"set these environment variables: {name}\n" in err


# ---------------------------------------------------------------------------
# Where `import os` goes, and reusing an existing one

CALL = 'replicate.run(<TTS>, input={"elevenlabs_api_key": "<EL>"})\n'
FIXED = 'replicate.run(<TTS>, input={"elevenlabs_api_key": ENVIRON["ELEVENLABS_API_KEY"]})\n'


def imports_case(before: str, after: str, id: str, environ: str = "os.environ") -> Any:
    before = textwrap.dedent(before).replace("CALL\n", CALL)
    after = textwrap.dedent(after).replace("FIXED\n", FIXED.replace("ENVIRON", environ))
    return case(before, after, id)


IMPORTS = [
    imports_case(
        '''\
        """Module docstring."""
        import replicate
        CALL
        ''',
        '''\
        """Module docstring."""
        import replicate
        import os
        FIXED
        ''',
        id="after-docstring",
    ),
    case(
        '''\
        """Module docstring."""
        TOKEN = "<R8>"
        ''',
        '''\
        """Module docstring."""
        import os
        TOKEN = os.environ.get("REPLICATE_API_TOKEN")
        ''',
        id="after-docstring-no-imports",
    ),
    imports_case(
        '''\
        """Doc."""
        from __future__ import annotations

        import replicate
        CALL
        ''',
        '''\
        """Doc."""
        from __future__ import annotations

        import replicate
        import os
        FIXED
        ''',
        id="after-future-import",
    ),
    imports_case(
        '''\
        #!/usr/bin/env python3
        # -*- coding: utf-8 -*-
        """Doc."""
        from __future__ import annotations
        import replicate
        CALL
        ''',
        '''\
        #!/usr/bin/env python3
        # -*- coding: utf-8 -*-
        """Doc."""
        from __future__ import annotations
        import replicate
        import os
        FIXED
        ''',
        id="after-shebang-and-encoding",
    ),
    case(
        """\
        #!/usr/bin/env python3
        # -*- coding: utf-8 -*-
        # A header comment.

        @decorator
        def f():
            pass
        TOKEN = "<R8>"
        """,
        """\
        #!/usr/bin/env python3
        # -*- coding: utf-8 -*-
        # A header comment.

        import os
        @decorator
        def f():
            pass
        TOKEN = os.environ.get("REPLICATE_API_TOKEN")
        """,
        id="no-imports-before-first-statement",
    ),
    imports_case(
        """\
        import replicate
        import os

        CALL
        """,
        """\
        import replicate
        import os

        FIXED
        """,
        id="existing-import-os",
    ),
    imports_case(
        """\
        import replicate
        import os as o

        CALL
        """,
        """\
        import replicate
        import os as o

        FIXED
        """,
        id="existing-import-os-as",
        environ="o.environ",
    ),
    imports_case(
        """\
        import replicate
        from os import environ

        CALL
        """,
        """\
        import replicate
        from os import environ

        FIXED
        """,
        id="existing-from-os-import-environ",
        environ="environ",
    ),
    imports_case(
        """\
        import replicate
        from os import environ as env

        CALL
        """,
        """\
        import replicate
        from os import environ as env

        FIXED
        """,
        id="existing-from-os-import-environ-as",
        environ="env",
    ),
    imports_case(
        """\
        import replicate
        try:
            import ujson as json
        except ImportError:
            import json
        CALL
        """,
        """\
        import replicate
        import os
        try:
            import ujson as json
        except ImportError:
            import json
        FIXED
        """,
        id="before-try-import",
    ),
    imports_case(
        """\
        import replicate; x = 1
        CALL
        """,
        """\
        import os
        import replicate; x = 1
        FIXED
        """,
        id="import-sharing-a-line-with-code",
    ),
]


NO_OPS = [
    pytest.param(
        src(
            'import os\nimport replicate\n\nreplicate.run("a/b", input={"api_key": os.environ["API_KEY"]})\n'
        ),
        0,
        id="already-env",
    ),
    pytest.param(
        src(
            "import os\nimport replicate\n\n"
            'replicate.run(<TTS>, input={"text": "<EL>", "elevenlabs_api_key": os.environ["EL_KEY"]})\n'
        ),
        0,
        id="not-secret-input",
    ),
    pytest.param(
        src('import replicate\n\nreplicate.run(<TTS>, input={"elevenlabs_api_key": "YOUR_API_KEY"})\n'),
        0,
        id="placeholder",
    ),
    pytest.param(
        src(
            'import replicate\n\nreplicate.run(<TTS>, input={"elevenlabs_api_key": "<EL>"})  # noqa: RS101\n'
        ),
        0,
        id="noqa",
    ),
    pytest.param(
        src('"""Set it: export REPLICATE_API_TOKEN=<R8>"""\nimport replicate\n'), 1, id="token-in-docstring"
    ),
    pytest.param(src('import replicate\n\nh = {"X-Note": "Bearer <R8>"}\n'), 1, id="token-inside-text"),
    pytest.param(src('import replicate\n\nh = f"<R8>{1}"\n'), 1, id="token-in-f-string"),
    pytest.param("print('no replicate here')\n", 0, id="unrelated-file"),
]


def crlf(text: str) -> bytes:
    return src(text).replace("\n", "\r\n").encode()


def utf8(text: str) -> bytes:
    return src(text).encode("utf-8")


BYTES = [
    pytest.param(
        crlf(
            'import replicate\n\n# comment\nreplicate.run(<TTS>, input={"elevenlabs_api_key": "<EL>"})\nx = 1\n'  # noqa: E501
        ),
        crlf(
            "import replicate\nimport os\n\n# comment\n"
            'replicate.run(<TTS>, input={"elevenlabs_api_key": os.environ["ELEVENLABS_API_KEY"]})\nx = 1\n'
        ),
        id="crlf",
    ),
    pytest.param(
        crlf(
            'import os\nimport replicate\n\ndef f():\n    os.environ["REPLICATE_API_TOKEN"] = "<R8>"\n    return 1\n'  # noqa: E501
        ),
        crlf("import os\nimport replicate\n\ndef f():\n    return 1\n"),
        id="crlf-statement-removed",
    ),
    pytest.param(
        b"\xef\xbb\xbf"
        + utf8('import replicate\n\nreplicate.run(<TTS>, input={"elevenlabs_api_key": "<EL>"})\n'),
        b"\xef\xbb\xbf"
        + utf8(
            "import replicate\nimport os\n\n"
            'replicate.run(<TTS>, input={"elevenlabs_api_key": os.environ["ELEVENLABS_API_KEY"]})\n'
        ),
        id="utf8-bom",
    ),
    pytest.param(
        utf8('import replicate\n\nreplicate.run(<TTS>, input={"elevenlabs_api_key": "<EL>"})'),
        utf8(
            "import replicate\nimport os\n\n"
            'replicate.run(<TTS>, input={"elevenlabs_api_key": os.environ["ELEVENLABS_API_KEY"]})'
        ),
        id="no-final-newline",
    ),
    pytest.param(
        utf8('import os\nimport replicate\n\nos.environ["REPLICATE_API_TOKEN"] = "<R8>"'),
        utf8("import os\nimport replicate\n\n"),
        id="no-final-newline-statement-removed",
    ),
    pytest.param(
        src(
            "# -*- coding: latin-1 -*-\n# café\nimport replicate\n\n"
            'replicate.run(<TTS>, input={"text": "déjà vu", "elevenlabs_api_key": "<EL>"})  # ©\n'
        ).encode("latin-1"),
        src(
            "# -*- coding: latin-1 -*-\n# café\nimport replicate\nimport os\n\n"
            'replicate.run(<TTS>, input={"text": "déjà vu", "elevenlabs_api_key": os.environ["ELEVENLABS_API_KEY"]})'  # noqa: E501
            "  # ©\n"
        ).encode("latin-1"),
        id="latin-1-encoding-line",
    ),
    pytest.param(
        utf8(
            'import replicate\n\nreplicate.run(<TTS>, input={"text": "日本語 ✓", "elevenlabs_api_key": "<EL>"}) # ✓\n'  # noqa: E501
        ),
        utf8(
            "import replicate\nimport os\n\n"
            'replicate.run(<TTS>, input={"text": "日本語 ✓", "elevenlabs_api_key": os.environ["ELEVENLABS_API_KEY"]}) # ✓\n'  # noqa: E501
        ),
        id="utf8-non-ascii-before-the-secret",
    ),
    pytest.param(
        utf8(
            'import replicate\n\t\n  \nx = "a\\\n  b"\nreplicate.run(<TTS>, input={"elevenlabs_api_key": "<EL>"})\n'  # noqa: E501
        ),
        utf8(
            'import replicate\nimport os\n\t\n  \nx = "a\\\n  b"\n'
            'replicate.run(<TTS>, input={"elevenlabs_api_key": os.environ["ELEVENLABS_API_KEY"]})\n'
        ),
        id="whitespace-lines-and-continuation",
    ),
]


@pytest.mark.parametrize(("before", "after"), IMPORTS)
def test_import_placement(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], before: str, after: str
) -> None:
    code, result, out, err = fix_file(tmp_path, capsys, before)
    assert result.decode("utf-8") == after
    assert code == 0, (out, err)


# ---------------------------------------------------------------------------
# Nothing to fix: the file is not touched at all


@pytest.mark.parametrize(("before", "expected_code"), NO_OPS)
def test_nothing_to_fix_leaves_file_untouched(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], before: str, expected_code: int
) -> None:
    root = project(tmp_path)
    path = root / "app.py"
    path.write_bytes(before.encode())
    os.utime(path, ns=(1_000_000_000_000_000_000, 1_000_000_000_000_000_000))
    inode = path.stat().st_ino
    code, out, err = run(capsys, "--fix", str(path))
    assert path.read_bytes() == before.encode()
    assert path.stat().st_mtime_ns == 1_000_000_000_000_000_000
    assert path.stat().st_ino == inode
    assert code == expected_code, (out, err)
    assert "fixed" not in err
    assert_no_secret(out, err)


def test_unfixable_finding_remains_after_fixing_the_rest(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = f'"""Token: {R8}"""\nimport replicate\n\nclient = replicate.Client(api_token="{R8_2}")\n'
    code, result, out, err = fix_file(tmp_path, capsys, before)
    assert result.decode() == (
        f'"""Token: {R8}"""\nimport replicate\nimport os\n\nclient = replicate.Client(api_token=os.environ["REPLICATE_API_TOKEN"])\n'  # noqa: E501
    )
    assert code == 1
    assert "app.py:1:1: RS103" in out
    assert "Client" not in out
    assert_no_secret(out, err)


# ---------------------------------------------------------------------------
# Byte-level fidelity


@pytest.mark.parametrize(("before", "after"), BYTES)
def test_bytes_survive(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], before: bytes, after: bytes
) -> None:
    code, result, out, err = fix_file(tmp_path, capsys, before)
    assert result == after
    assert code == 0, (out, err)


def test_file_mode_survives(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = project(tmp_path)
    path = root / "tool.py"
    path.write_text(f'#!/usr/bin/env python3\nimport replicate\nreplicate.Client(api_token="{R8}")\n')
    path.chmod(0o755)
    code, _, err = run(capsys, "--fix", str(path))
    assert code == 0, err
    assert stat.S_IMODE(path.stat().st_mode) == 0o755
    assert path.read_text() == (
        '#!/usr/bin/env python3\nimport replicate\nimport os\nreplicate.Client(api_token=os.environ["REPLICATE_API_TOKEN"])\n'  # noqa: E501
    )


def test_fix_through_a_symlink_keeps_the_link(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = project(tmp_path)
    real = root / "real.py"
    real.write_text(f'import replicate\nreplicate.Client(api_token="{R8}")\n')
    link = root / "link.py"
    link.symlink_to(real)
    code, _, err = run(capsys, "--fix", str(link))
    assert code == 0, err
    assert link.is_symlink()
    assert "os.environ" in real.read_text()


# ---------------------------------------------------------------------------
# Safety: races, results that don't parse, read-only files, no leftovers


def test_file_changed_between_read_and_write_is_not_overwritten(tmp_path: Path) -> None:
    path = tmp_path / "app.py"
    old = b"x = 1\n"
    path.write_bytes(old)
    path.write_bytes(b"x = 2  # edited meanwhile\n")
    with pytest.raises(FixError, match="changed on disk"):
        write_atomically(str(path), old, b"x = 3\n")
    assert path.read_bytes() == b"x = 2  # edited meanwhile\n"
    assert no_temp_files(tmp_path)


def test_write_atomically_replaces_when_unchanged(tmp_path: Path) -> None:
    path = tmp_path / "app.py"
    path.write_bytes(b"x = 1\n")
    path.chmod(0o640)
    write_atomically(str(path), b"x = 1\n", b"x = 3\n")
    assert path.read_bytes() == b"x = 3\n"
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    assert no_temp_files(tmp_path)


def _finding(path: str, edit: Edit, secret: str) -> Finding:
    fix = Fix(edit, "ELEVENLABS_API_KEY", "Read it from the environment", False, secret)
    return Finding(path, 1, 1, 1, 2, "RS101", "Hardcoded secret", fix=fix)


def test_result_that_does_not_compile_is_not_written(tmp_path: Path) -> None:
    path = tmp_path / "app.py"
    data = f'key = "{EL}"\n'.encode()
    path.write_bytes(data)
    source = decode_source(data)
    start = source.text.index('"')
    # Parses, but `await` outside a function does not compile: the guard is compile(), not ast.parse.
    edit = ReplaceExpression(Span(1, start, 1, start + len(EL) + 2), 'await os.environ["X"]')
    finding = _finding(str(path), edit, EL)
    outcome = apply_fixes(str(path), data, source, [finding], write=True)
    assert path.read_bytes() == data
    assert outcome.fixed == 0
    assert outcome.remaining == (finding,)
    assert len(outcome.errors) == 1 and "would not compile" in outcome.errors[0].message
    assert_no_secret(outcome.errors[0].message, outcome.diff)
    assert no_temp_files(tmp_path)


@pytest.mark.skipif(sys.version_info < (3, 10), reason="`match` needs Python 3.10")
def test_token_literal_in_a_match_pattern_is_reported_not_fixed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # `os.environ[...]` is no pattern: only a constant's definition is rewritten.
    before = f'import replicate\n\nmatch x:\n    case "{R8}":\n        pass\n'
    code, result, out, err = fix_file(tmp_path, capsys, before)
    assert result == before.encode()
    assert code == 1
    assert "RS103" in out
    assert_no_secret(out, err)
    assert no_temp_files(tmp_path)


@pytest.mark.parametrize(
    "before",
    [
        pytest.param(f'import os\nmonkeypatch.setenv("REPLICATE_API_TOKEN", "{R8}")\n', id="setenv-argument"),
        pytest.param(f'import os\nHEADERS = {{"token": "{R8}"}}\n', id="dict-value"),
        pytest.param(f'import os\ncheck(token="{R8}")\n', id="keyword-argument"),
        pytest.param(f'import os\nprint("{R8[:20]}" + "{R8[20:]}")\n', id="pieces-as-an-argument"),
        pytest.param(
            f'import os\nHEADERS = {{"token": "{R8[:20]}" + "{R8[20:]}"}}\n', id="pieces-dict-value"
        ),
        pytest.param(f'import os\nNOTE = "token: {R8[:20]}" + "{R8[20:]}"\n', id="pieces-token-inside-text"),
    ],
)
def test_token_literals_outside_known_sites_are_reported_not_rewritten(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], before: str
) -> None:
    """Rewriting these would change what the code means (a test's fake token, say)."""
    code, result, out, err = fix_file(tmp_path, capsys, before)
    assert code == 1 and "RS103" in out
    assert result == before.encode()
    assert_no_secret(out, err)


def test_a_fix_that_would_not_parse_is_not_applied(tmp_path: Path) -> None:
    path = tmp_path / "app.py"
    original = b"x = 'secret-value-123456'\n"
    path.write_bytes(original)
    broken = Fix(
        ReplaceExpression(Span(1, 4, 1, 25), "os.environ[("), "X", "read X", False, "secret-value-123456"
    )
    finding = Finding(str(path), 1, 5, 1, 25, "RS101", "m", fix=broken)
    outcome = apply_fixes(str(path), original, decode_source(original), [finding], write=True)
    assert path.read_bytes() == original
    (error,) = outcome.errors
    assert error.message.startswith("fix not applied: the rewrite failed (")
    assert outcome.remaining == (finding,)
    assert no_temp_files(tmp_path)


def test_read_only_file_is_an_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = project(tmp_path)
    path = root / "app.py"
    before = f'import replicate\nreplicate.Client(api_token="{R8}")\n'
    path.write_text(before)
    path.chmod(0o444)
    code, out, err = run(capsys, "--fix", str(path))
    assert path.read_text() == before
    assert code == 2
    assert "read-only" in err
    assert "fixed" not in err
    assert_no_secret(out, err)
    assert no_temp_files(tmp_path)


# ---------------------------------------------------------------------------
# Exit codes and messages


def test_messages_after_fixing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = (
        f'import replicate\n\nHF_TOKEN = "{HF}"\nreplicate.Client(api_token="{R8}")\n'
        f'replicate.run({TTS}, input={{"elevenlabs_api_key": "{EL}"}})\n'
    )
    code, _, out, err = fix_file(tmp_path, capsys, before)
    assert code == 0
    assert "set these environment variables: ELEVENLABS_API_KEY, REPLICATE_API_TOKEN\n" in err
    assert "rotate" in err
    assert_no_secret(out, err)


def test_errors_exit_2_even_when_others_are_fixed(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = project(tmp_path)
    good = root / "good.py"
    good.write_text(f'import replicate\nreplicate.Client(api_token="{R8}")\n')
    bad = root / "bad.py"
    bad.write_text("import replicate\ndef (:\n")
    code, _out, _err = run(capsys, "--fix", str(root))
    assert code == 2
    assert "os.environ" in good.read_text()
    assert bad.read_text() == "import replicate\ndef (:\n"


def test_fix_through_a_subprocess(tmp_path: Path) -> None:
    root = project(tmp_path)
    path = root / "app.py"
    path.write_text(f'import replicate\nreplicate.Client(api_token="{R8}")\n')
    done = subprocess.run(
        [sys.executable, "-m", "lint_secrets", "check", "--fix", "app.py"],
        cwd=root,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    assert (
        path.read_text()
        == 'import replicate\nimport os\nreplicate.Client(api_token=os.environ["REPLICATE_API_TOKEN"])\n'
    )
    assert "REPLICATE_API_TOKEN" in done.stderr
    assert_no_secret(done.stdout, done.stderr)


# ---------------------------------------------------------------------------
# --diff


def test_diff_prints_redacted_diff_and_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = project(tmp_path)
    path = root / "app.py"
    before = f'import replicate\n\nreplicate.run({TTS}, input={{"elevenlabs_api_key": "{EL}"}})\n'
    path.write_text(before)
    code, out, err = run(capsys, "--diff", str(path))
    assert path.read_text() == before
    assert no_temp_files(tmp_path)
    assert_no_secret(out, err)
    assert out.startswith(f"--- a/{path}\n+++ b/{path}\n@@ ")
    assert "+import os\n" in out
    assert f'-replicate.run({TTS}, input={{"elevenlabs_api_key": "el-F\u2026"}})\n' in out
    assert f'+replicate.run({TTS}, input={{"elevenlabs_api_key": os.environ["ELEVENLABS_API_KEY"]}})\n' in out
    # Nothing was fixed: the secret is still in the file, so this is not a clean exit.
    assert code == 1


def test_diff_with_nothing_to_fix_is_empty(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = project(tmp_path)
    (root / "app.py").write_text("import replicate\n")
    code, out, _ = run(capsys, "--diff", str(root))
    assert (code, out) == (0, "")


# ---------------------------------------------------------------------------
# --env-file


def test_env_file_written_with_mode_0600(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = f'import replicate\nreplicate.Client(api_token="{R8}")\nreplicate.run({TTS}, input={{"elevenlabs_api_key": "{EL}"}})\n'  # noqa: E501
    env = tmp_path / ".env"
    code, result, out, err = fix_file(tmp_path, capsys, before, "--env-file", str(env))
    assert code == 0, err
    assert b"os.environ" in result
    assert stat.S_IMODE(env.stat().st_mode) == 0o600
    assert env.read_text() == f"ELEVENLABS_API_KEY={EL}\nREPLICATE_API_TOKEN={R8}\n"
    assert_no_secret(out, err)


def test_env_file_checks_each_file_once(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The fixes are made in one pass; the env file is written before any of them is."""
    from lint_secrets.checker import Worker

    checked: List[str] = []
    real_check_bytes = Worker.check_bytes

    def counting(self: Worker, path: str, data: bytes) -> Any:
        checked.append(path)
        return real_check_bytes(self, path, data)

    monkeypatch.setattr(Worker, "check_bytes", counting)
    before = f'import replicate\nreplicate.run({TTS}, input={{"elevenlabs_api_key": "{EL}"}})\n'
    env = tmp_path / ".env"
    root = project(tmp_path)
    (root / "app.py").write_text(before, encoding="utf-8")
    (root / "clean.py").write_text("import replicate\nreplicate.run('a/b', input={})\n", encoding="utf-8")
    code, _, err = run(
        capsys, "--fix", "--env-file", str(env), "--jobs", "1", str(root / "app.py"), str(root / "clean.py")
    )
    result = (root / "app.py").read_bytes()
    assert code == 0, err
    # A file with nothing to fix is checked once; only files with fixes get the fixing pass.
    assert sorted(os.path.basename(p) for p in checked) == ["app.py", "app.py", "clean.py"]
    assert b"os.environ" in result and env.read_text() == f"ELEVENLABS_API_KEY={EL}\n"


def test_env_file_appends_and_does_not_repeat_names(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    env = tmp_path / ".env"
    env.write_text("export OTHER=1\n")
    env.chmod(0o600)
    before = f'import replicate\nreplicate.Client(api_token="{R8}")\n'
    code, _, _, err = fix_file(tmp_path, capsys, before, "--env-file", str(env))
    assert code == 0, err
    assert env.read_text() == f"export OTHER=1\nREPLICATE_API_TOKEN={R8}\n"
    (tmp_path / "app.py").write_text(before)
    code, _out, err = run(capsys, "--fix", "--env-file", str(env), str(tmp_path / "app.py"))
    assert code == 0, err
    assert env.read_text() == f"export OTHER=1\nREPLICATE_API_TOKEN={R8}\n"


def test_env_file_value_with_quotes_or_newline_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """No quoting means the same to python-dotenv, docker --env-file and a shell for these."""
    secret = 'el-FAKE"quoted\\slash\nline'
    before = f"import replicate\nreplicate.run({TTS}, input={{'elevenlabs_api_key': {secret!r}}})\n"
    env = tmp_path / "secrets.env"
    code, result, _, err = fix_file(tmp_path, capsys, before, "--env-file", str(env))
    assert code == 2
    assert "the value for ELEVENLABS_API_KEY contains a single quote" not in err
    assert "the value for ELEVENLABS_API_KEY contains a double quote; set it by hand; nothing fixed" in err
    assert result.decode() == before
    assert not env.exists()


def test_env_file_tracked_by_git_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = project(tmp_path)
    git(root, "init", "-q")
    env = root / ".env"
    env.write_text("DEBUG=1\n")
    git(root, "add", ".env")
    git(root, "commit", "-q", "-m", "add env")
    path = root / "app.py"
    before = f'import replicate\nreplicate.Client(api_token="{R8}")\n'
    path.write_text(before)
    code, out, err = run(capsys, "--fix", "--env-file", str(env), str(path))
    assert code == 2
    assert "tracked by git" in err
    assert env.read_text() == "DEBUG=1\n"
    assert path.read_text() == before
    assert_no_secret(out, err)


def test_env_file_untracked_in_a_git_repo_is_fine(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = project(tmp_path)
    git(root, "init", "-q")
    env = root / ".env"
    before = f'import replicate\nreplicate.Client(api_token="{R8}")\n'
    path = root / "app.py"
    path.write_text(before)
    code, _out, err = run(capsys, "--fix", "--env-file", str(env), str(path))
    assert code == 0, err
    assert env.read_text() == f"REPLICATE_API_TOKEN={R8}\n"


def test_env_file_needs_fix(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = project(tmp_path)
    path = root / "app.py"
    before = f'import replicate\nreplicate.Client(api_token="{R8}")\n'
    path.write_text(before)
    code = main(["check", "--env-file", str(root / ".env"), str(path)])
    assert code == 2
    assert not (root / ".env").exists()
    assert path.read_text() == before


@pytest.mark.parametrize("separator", ["\x0c", "\x1e", "\u2028"])
def test_unusual_line_separators_in_comments(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], separator: str
) -> None:
    before = src(
        f'import replicate\n# a{separator}b\nreplicate.run(<TTS>, input={{"elevenlabs_api_key": "<EL>"}})\n'
    )
    code, result, _, err = fix_file(tmp_path, capsys, before)
    assert code == 0, err
    assert result.decode() == before.replace(f'"{EL}"', 'os.environ["ELEVENLABS_API_KEY"]').replace(
        "import replicate\n", "import replicate\nimport os\n"
    )


def test_env_file_is_written_before_any_code_changes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """If the values can't be saved, nothing leaves the code: they would be lost."""
    before = f'import replicate\nreplicate.run({TTS}, input={{"elevenlabs_api_key": "{EL}"}})\n'
    unwritable = tmp_path / "env-is-a-directory"
    unwritable.mkdir()
    code, result, out, err = fix_file(tmp_path, capsys, before, "--env-file", str(unwritable))
    assert code == 2
    assert "nothing fixed" in err
    assert result.decode() == before
    assert_no_secret(out, err)


def test_env_file_two_files_with_different_values_get_two_names(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """One run never saves two values under one name: the second file's value gets `_2`."""
    root = project(tmp_path)
    for name, value in (("a.py", EL), ("b.py", EL2)):
        source = f'import replicate\nreplicate.run({TTS}, input={{"elevenlabs_api_key": "{value}"}})\n'
        (root / name).write_text(source)
    env = root / ".env"
    code, out, err = run(capsys, "--fix", "--env-file", str(env), str(root / "b.py"), str(root / "a.py"))
    assert code == 0, err
    assert 'os.environ["ELEVENLABS_API_KEY"]' in (root / "a.py").read_text()
    assert 'os.environ["ELEVENLABS_API_KEY_2"]' in (root / "b.py").read_text()
    assert env.read_text() == f"ELEVENLABS_API_KEY={EL}\nELEVENLABS_API_KEY_2={EL2}\n"
    assert "note: " in err and "ELEVENLABS_API_KEY_2" in err
    assert_no_secret(out, err)


def test_env_file_holding_another_value_for_the_name_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Fixing would make the code read the file's other key, and lose this one."""
    env = tmp_path / ".env"
    env.write_text(f'ELEVENLABS_API_KEY="{EL2}"\n')
    before = f'import replicate\nreplicate.run({TTS}, input={{"elevenlabs_api_key": "{EL}"}})\n'
    code, result, out, err = fix_file(tmp_path, capsys, before, "--env-file", str(env))
    assert code == 2 and "nothing fixed" in err
    assert result.decode() == before
    assert env.read_text() == f'ELEVENLABS_API_KEY="{EL2}"\n'
    assert_no_secret(out, err)


def test_fix_with_standard_input_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "--fix", "--stdin-filename", "app.py")
    assert code == 2 and "--diff" in err


@pytest.mark.parametrize(
    "options",
    [
        pytest.param(("--select", "RS101"), id="deselected-code"),
        pytest.param(("--ignore", "RS103"), id="ignored-code"),
        pytest.param((), id="noqa-only"),
    ],
)
def test_diff_never_shows_a_secret_the_run_did_not_report(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], options: Tuple[str, ...]
) -> None:
    """Context lines of a diff show tokens that were suppressed or deselected: redacted too."""
    before = (
        "import replicate\n"
        f'A = "{R8}"  # noqa: RS103\n'
        f'replicate.run({TTS}, input={{"elevenlabs_api_key": "{EL}"}})\n'
        f'B = "{R8_2}"\n'
    )
    root = project(tmp_path)
    (root / "app.py").write_text(before)
    code, out, err = run(capsys, "--diff", *options, str(root / "app.py"))
    assert code == 1
    assert "os.environ" in out
    assert_no_secret(out, err)
    assert (root / "app.py").read_text() == before


OS_BINDINGS = [
    case(
        """\
        import replicate
        from typing import TYPE_CHECKING
        if TYPE_CHECKING:
            import os
        replicate.run(<TTS>, input={"elevenlabs_api_key": "<EL>"})
        """,
        """\
        import replicate
        from typing import TYPE_CHECKING
        import os
        if TYPE_CHECKING:
            import os
        replicate.run(<TTS>, input={"elevenlabs_api_key": os.environ["ELEVENLABS_API_KEY"]})
        """,
        id="conditional-import-is-not-reused",
    ),
    case(
        """\
        import replicate
        replicate.run(<TTS>, input={"elevenlabs_api_key": "<EL>"})
        import os
        """,
        """\
        import replicate
        import os
        replicate.run(<TTS>, input={"elevenlabs_api_key": os.environ["ELEVENLABS_API_KEY"]})
        import os
        """,
        id="import-after-the-use-is-not-reused",
    ),
    case(
        """\
        import replicate
        def go(os="linux"):
            return replicate.run(<TTS>, input={"elevenlabs_api_key": "<EL>"})
        """,
        """\
        import replicate
        def go(os="linux"):
            return replicate.run(<TTS>, input={"elevenlabs_api_key": "<EL>"})
        """,
        id="os-is-a-parameter-no-fix",
    ),
    case(
        """\
        import os
        import replicate
        for os in ["linux", "mac"]:
            replicate.run(<TTS>, input={"elevenlabs_api_key": "<EL>"})
        """,
        """\
        import os
        import replicate
        for os in ["linux", "mac"]:
            replicate.run(<TTS>, input={"elevenlabs_api_key": "<EL>"})
        """,
        id="os-rebound-by-a-loop-no-fix",
    ),
]


@pytest.mark.parametrize(("before", "after"), OS_BINDINGS)
def test_fix_reads_the_real_os_environ_or_leaves_the_secret_to_the_user(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], before: str, after: str
) -> None:
    """A fix must not read `environ` from whatever else `os` names at that point."""
    code, result, out, err = fix_file(tmp_path, capsys, before)
    assert result.decode() == after
    assert code == (1 if before == after else 0), err
    assert_no_secret(out, err)


def _apply_sarif_fixes(text: str, log: Dict[str, Any]) -> str:
    """Apply every replacement of every result's fix to `text`, as a SARIF consumer would."""
    replacements = []
    for result in log["runs"][0]["results"]:
        for fix in result.get("fixes", []):
            for change in fix["artifactChanges"]:
                replacements.extend(change["replacements"])
    unique = {
        (r["deletedRegion"]["charOffset"], r["deletedRegion"]["charLength"], r["insertedContent"]["text"])
        for r in replacements
    }
    ordered = sorted(unique)
    for (start, length, _), (next_start, _, _) in zip(ordered, ordered[1:]):
        assert start + length <= next_start, "two fixes overlap"
    for start, length, inserted in reversed(ordered):
        text = text[:start] + inserted + text[start + length :]
    return text


@pytest.mark.parametrize(
    "before",
    [
        pytest.param(src('"""Doc."""\nTOKEN = "<R8>"\n'), id="import-next-to-the-literal"),
        pytest.param(
            src(
                """\
                import replicate
                replicate.api_token = "<R8>"
                replicate.run(<TTS>, input={"elevenlabs_api_key": "<EL>"})
                """
            ),
            id="removal-next-to-a-replacement",
        ),
        pytest.param(
            src(
                """\
                import os
                import replicate

                token = os.getenv(
                    "REPLICATE_API_TOKEN",  # the key
                    "<R8>",
                )
                client = replicate.Client(api_token="<R8>")
                """
            ),
            id="dropped-default-and-replacement",
        ),
        pytest.param(
            src(
                """\
                TOKEN = (
                    "<R8_HEAD>"  # the first half
                    + "<R8_TAIL>"
                )
                """
            ),
            id="pieces-with-a-comment-kept-by-the-engine",
        ),
    ],
)
def test_sarif_fixes_applied_give_what_fix_writes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], before: str
) -> None:
    root = project(tmp_path)
    path = root / "app.py"
    path.write_text(before, encoding="utf-8")
    _, out, err = run(capsys, "--output-format", "sarif", str(path))
    assert_no_secret(out, err)
    from_sarif = _apply_sarif_fixes(before, json.loads(out))
    code, _, _ = run(capsys, "--fix", str(path))
    assert code == 0
    assert from_sarif == path.read_text(encoding="utf-8")


def test_diff_says_which_findings_it_cannot_fix(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """LibCST does not reproduce `except E :` byte for byte: the diff is empty, and says why."""
    root = project(tmp_path)
    path = root / "app.py"
    before = src(
        """\
        import replicate
        try:
            pass
        except ValueError :
            pass
        replicate.run(<TTS>, input={"elevenlabs_api_key": "<EL>"})
        """
    )
    path.write_text(before, encoding="utf-8")
    code, out, err = run(capsys, "--diff", str(path))
    assert code == 1
    assert out == ""
    assert "app.py:6:" in err and "RS101 not fixed: LibCST does not reproduce this file exactly" in err
    assert path.read_text(encoding="utf-8") == before
    assert_no_secret(out, err)
