"""Property tests over generated Python modules, with and without spliced Replicate calls and secrets.

`Worker.check_bytes` must never raise, whatever the bytes; with fixing on, the written file
always parses, no fixed secret is left in it, and checking it again finds nothing fixable.

The suite runs a fixed-seed sample (50 examples per property). For a longer run:

    LINT_SECRETS_FUZZ_EXAMPLES=5000 /work/venv/bin/pytest tests/test_fuzz.py

(`from_node()` modules get a fifth of that; the seed stays fixed unless
LINT_SECRETS_FUZZ_RANDOM=1 is set too).
"""

from __future__ import annotations

import ast
import os
import tempfile
from pathlib import Path
from typing import Callable, List, Tuple

import hypothesmith
from conftest import SCHEMAS
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lint_secrets.checker import CheckOptions, Worker
from lint_secrets.config import Config

EXAMPLES = int(os.environ.get("LINT_SECRETS_FUZZ_EXAMPLES", "50"))
FUZZ = settings(
    derandomize=not os.environ.get("LINT_SECRETS_FUZZ_RANDOM"),
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    database=None,
)

TOKEN_ALPHABET = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"

# Secret values: realistic shapes, plus characters that are awkward inside a literal.
replicate_tokens = st.text(TOKEN_ALPHABET, min_size=37, max_size=37).map(lambda s: "r8_" + s)
odd_secrets = st.text(
    st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), min_size=12, max_size=40
).map(lambda s: "sk-FAKE-" + s)
secrets = st.one_of(replicate_tokens, odd_secrets, st.text(TOKEN_ALPHABET, min_size=16, max_size=30))


def _literal(value: str, quote: str) -> str:
    text = repr(value)
    if quote == "'" or ("'" not in text[1:-1] and '"' not in text[1:-1]):
        return text if quote == "'" else '"' + text[1:-1] + '"'
    return text


CALL_TEMPLATES: List[Callable[[str], str]] = [
    lambda s: f'replicate.run("example/text-to-speech", input={{"text": "hi", "elevenlabs_api_key": {s}}})',
    lambda s: f'replicate.run("acme/unknown-model", input={{"prompt": "x", "api_key": {s}}})',
    lambda s: f"client = replicate.Client(api_token={s})",
    lambda s: f"REPLICATE_API_TOKEN = {s}",
    lambda s: (
        f'replicate.predictions.create(model="example/text-to-speech", input={{"elevenlabs_api_key": {s}}})'
    ),
    lambda s: f'output = replicate.use("example/official-chat")(prompt="hi", api_key={s})',
    lambda s: f'os.environ.setdefault("REPLICATE_API_TOKEN", {s})',
    lambda s: (
        f'inputs = {{"elevenlabs_api_key": {s}}}\nreplicate.run("example/text-to-speech", input=inputs)'
    ),
]


# Built once: from_grammar() compiles its grammar (about 2 s) every time it is called.
GRAMMAR_MODULES = hypothesmith.from_grammar()


@st.composite
def spliced_modules(draw: st.DrawFn) -> Tuple[str, List[str]]:
    """A generated module with Replicate calls holding secrets spliced in at line boundaries."""
    base = draw(GRAMMAR_MODULES)
    lines = base.splitlines(keepends=True)
    if lines and not lines[-1].endswith(("\n", "\r")):
        lines[-1] += "\n"
    used: List[str] = []
    for _ in range(draw(st.integers(1, 3))):
        secret = draw(secrets)
        template = draw(st.sampled_from(CALL_TEMPLATES))
        snippet = template(_literal(secret, draw(st.sampled_from(["'", '"']))))
        where = draw(st.sampled_from(["end", "start", "anywhere"]))
        if where == "end":
            position = len(lines)
        elif where == "start":
            position = 0
        else:
            position = draw(st.integers(0, len(lines)))
        lines.insert(position, snippet + "\n")
        used.append(secret)
    header = draw(st.sampled_from(["import replicate\n", "import os\nimport replicate\n", ""]))
    if any("os.environ" in line for line in lines) and "import os" not in header:
        # Code that uses `os` unimported would change meaning when the fix adds `import os`.
        header = "import os\n" + header
    return header + "".join(lines), used


def _worker(root: Path, *, fix: bool) -> Worker:
    return Worker(CheckOptions(config=Config(root=root, schema_dir=SCHEMAS), fix=fix))


CHECKER = _worker(Path(tempfile.gettempdir()), fix=False)


@FUZZ
@given(GRAMMAR_MODULES)
def test_check_never_raises_on_grammar_modules(source: str) -> None:
    data = ("import replicate\n" + source).encode("utf-8", "surrogatepass")
    result = CHECKER.check_bytes("gen.py", data)
    assert all(error.message and "\n" not in error.message for error in result.errors)


# from_node() is slow to generate (~0.3 s an example): fewer of them in the default run.
@settings(FUZZ, max_examples=max(1, EXAMPLES // 5))
@given(hypothesmith.from_node())
def test_check_never_raises_on_node_modules(source: str) -> None:
    data = ("import replicate\n" + source).encode("utf-8", "surrogatepass")
    result = CHECKER.check_bytes("gen.py", data)
    assert all(error.message and "\n" not in error.message for error in result.errors)


@FUZZ
@given(st.binary(max_size=2000).map(lambda b: b"replicate " + b))
def test_check_never_raises_on_arbitrary_bytes(data: bytes) -> None:
    result = CHECKER.check_bytes("gen.py", data)
    assert result.findings == () or result.errors == ()


@FUZZ
@given(spliced_modules())
def test_check_never_raises_and_never_prints_secrets(module: Tuple[str, List[str]]) -> None:
    source, used = module
    result = CHECKER.check_bytes("gen.py", source.encode("utf-8", "surrogatepass"))
    shown = " ".join(f.message for f in result.findings) + " ".join(e.message for e in result.errors)
    for secret in used:
        assert secret not in shown


@FUZZ
@given(spliced_modules(), st.sampled_from(["\n", "\r\n"]), st.booleans())
def test_fix_output_parses_and_rechecks_clean(module: Tuple[str, List[str]], newline: str, bom: bool) -> None:
    source, _used = module
    if newline != "\n":
        source = source.replace("\r\n", "\n").replace("\n", newline)
    data = (b"\xef\xbb\xbf" if bom else b"") + source.encode("utf-8", "surrogatepass")
    with tempfile.TemporaryDirectory() as directory:
        root = Path(directory)
        path = root / "gen.py"
        path.write_bytes(data)
        result = _worker(root, fix=True).check_bytes(str(path), data)
        after = path.read_bytes()
        leftovers = [p.name for p in root.iterdir() if p.name != "gen.py"]
        assert leftovers == []
        if result.fixed == 0:
            assert after == data  # nothing fixed: not a byte changed
            return
        assert result.errors == (), result.errors
        assert after.startswith(b"\xef\xbb\xbf") == bom
        text = after.decode("utf-8-sig")
        ast.parse(text)
        recheck = _worker(root, fix=False).check_bytes(str(path), after)
        assert recheck.errors == ()
        fixed_before = {f.code for f in result.findings}
        still_fixable = [f for f in recheck.findings if f.fix is not None]
        # Whatever was fixable and not fixed (an overlapping edit) may remain; nothing new appears.
        assert len(still_fixable) <= len([f for f in result.findings if f.fix is not None]), (
            fixed_before,
            still_fixable,
        )
        # No literal that held a fixed value is still flagged. (The same value may remain in a
        # literal that was never a finding, e.g. a constant no Replicate call uses.)
        fixed_values = {value for _, value in result.env_values}
        assert not [f for f in recheck.findings if f.fix is not None and f.fix.secret in fixed_values]
