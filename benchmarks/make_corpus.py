"""Build the benchmark corpora deterministically from the running Python's standard library.

The dense corpus is made of real code: functions and small classes cut out of the standard
library (chosen with a fixed seed), with Replicate calls carrying fake secrets spliced in
between them. Every generated file compiles. The same Python version and seed give the
same bytes; `digest()` prints a hash of the corpus so two machines can compare.

    python benchmarks/make_corpus.py OUT_DIR [--files 2000] [--lines 150] [--seed 20261127]
"""

from __future__ import annotations

import argparse
import ast
import hashlib
import json
import random
import shutil
import sysconfig
import textwrap
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Dict, List, Optional, Sequence, Tuple

HERE = Path(__file__).resolve().parent
SAMPLE = HERE.parent / "fixtures" / "sample"
SEED = 20261127
NEEDLES = ("replicate", "REPLICATE", "r8_")
SKIP_DIRS = {"site-packages", "test", "tests", "idle_test", "__pycache__"}
MAX_CHUNK_LINES = 60
ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
TTS_VERSION = "f03c922a7b4f838b5a51b41f1909a637f9aa81916a7d01c8fad095069847e91c"
LORA_VERSION = "84485d60a129ffdb50f61b0b6549f5e460e21207a2e68dc91ce0460850fc4240"


def stdlib_dir() -> Path:
    return Path(sysconfig.get_paths()["stdlib"])


def source_files(root: Path) -> List[Path]:
    """The standard library's own modules (no tests, no installed packages), sorted."""
    files = []
    for path in sorted(root.rglob("*.py")):
        if SKIP_DIRS.intersection(path.relative_to(root).parts[:-1]):
            continue
        files.append(path)
    return files


def _compiles(text: str) -> bool:
    try:
        compile(text, "<chunk>", "exec", dont_inherit=True)
    except (SyntaxError, ValueError):
        return False
    return True


def chunks_of(text: str) -> List[str]:
    """Functions and small classes from one module, dedented so each compiles on its own."""
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError):
        return []
    lines = text.splitlines()
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            continue
        start = min([node.lineno] + [d.lineno for d in node.decorator_list])
        end = node.end_lineno or node.lineno
        if not 3 <= end - start + 1 <= MAX_CHUNK_LINES:
            continue
        chunk = textwrap.dedent("\n".join(lines[start - 1 : end])) + "\n"
        if any(needle in chunk for needle in NEEDLES) or not _compiles(chunk):
            continue
        found.append(chunk)
    return found


def chunk_pool(root: Path) -> List[str]:
    pool: List[str] = []
    for path in source_files(root):
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue
        pool.extend(chunks_of(text))
    return pool


# --- the Replicate code spliced in -------------------------------------------------------


class Secrets:
    """Obviously fake secrets, shaped like the real ones, never repeated within a corpus."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng

    def _tail(self, n: int) -> str:
        return "".join(self.rng.choice(ALNUM) for _ in range(n))

    def replicate_token(self) -> str:
        return "r8_FAKE" + self._tail(33)  # r8_ + 37 characters

    def elevenlabs(self) -> str:
        return "el-FAKE-" + self._tail(24)

    def openai(self) -> str:
        return "sk-FAKE" + self._tail(40)

    def hf(self) -> str:
        return "hf_FAKE" + self._tail(30)

    def password(self) -> str:
        return "pw-FAKE-" + self._tail(16)


@dataclass(frozen=True)
class Snippet:
    code: str
    expected: Tuple[str, ...]  # the codes it must produce, in order


def _speak(n: int, s: Secrets) -> Snippet:
    return Snippet(
        f"""def speak_{n}(text):
    return replicate.run(
        "example/text-to-speech",
        input={{"text": text, "elevenlabs_api_key": "{s.elevenlabs()}"}},
    )
""",
        ("RS101",),
    )


def _chat_constant(n: int, s: Secrets) -> Snippet:
    return Snippet(
        f"""CHAT_PASSWORD_{n} = "{s.password()}"


def chat_{n}(prompt):
    return replicate.run(
        "example/official-chat",
        input={{"prompt": prompt, "max_tokens": 256, "session_password": CHAT_PASSWORD_{n}}},
    )
""",
        ("RS101",),
    )


def _predict_version(n: int, s: Secrets) -> Snippet:
    return Snippet(
        f"""def predict_{n}(text, voice="alloy"):
    options = {{"text": text, "voice": voice}}
    options["elevenlabs_api_key"] = "{s.elevenlabs()}"
    return replicate.predictions.create(version="{TTS_VERSION}", input=options)
""",
        ("RS101",),
    )


def _deployment(n: int, s: Secrets) -> Snippet:
    return Snippet(
        f"""def deployed_{n}(text):
    deployment = replicate.deployments.get("example/tts-prod")
    return deployment.predictions.create(input={{"text": text, "elevenlabs_api_key": "{s.elevenlabs()}"}})
""",
        ("RS101",),
    )


def _train(n: int, s: Secrets) -> Snippet:
    return Snippet(
        f"""def train_{n}(images, hub_token="{s.hf()}"):
    return replicate.trainings.create(
        model="example/lora-trainer",
        version="{LORA_VERSION}",
        input={{"images": images, "hub_token": hub_token}},
        destination="acme/lora-{n}",
    )
""",
        ("RS101",),
    )


def _unknown_model(n: int, s: Secrets) -> Snippet:
    return Snippet(
        f"""def caption_{n}(url):
    return replicate.run("acme/captioner-{n % 7}", input={{"image": url, "api_key": "{s.openai()}"}})
""",
        ("RS102",),
    )


def _private_model(n: int, s: Secrets) -> Snippet:
    return Snippet(
        f"""def private_{n}(prompt):
    return replicate.run("acme/private-llm", input={{"prompt": prompt, "license_key": "lic-{s.password()}"}})
""",
        ("RS101",),
    )


def _client(n: int, s: Secrets) -> Snippet:
    return Snippet(f'client_{n} = replicate.Client(api_token="{s.replicate_token()}")\n', ("RS103",))


def _safe(n: int, s: Secrets) -> Snippet:
    # Negatives: a secret from the environment, to an input the model redacts (a cog Secret).
    return Snippet(
        f"""def safe_{n}(prompt):
    return replicate.run(
        "example/text-to-speech",
        input={{"text": prompt, "speed": 1.0, "elevenlabs_api_key": os.environ["ELEVENLABS_API_KEY"]}},
    )
""",
        (),
    )


TEMPLATES: Sequence[Callable[[int, Secrets], Snippet]] = (
    _speak,
    _chat_constant,
    _predict_version,
    _deployment,
    _train,
    _unknown_model,
    _private_model,
    _client,
    _safe,
)
HEADER = '"""Generated for the lint-secrets benchmark from standard library code; secrets are fake."""\n\n'
IMPORTS = "import os\n\nimport replicate\n\n\n"


def build_file(
    rng: random.Random,
    pool: Sequence[str],
    secrets: Secrets,
    target_lines: int,
    first: int,
    snippet_count: Optional[int] = None,
) -> Tuple[str, int]:
    """One module of about `target_lines` lines; returns its text and the number of expected findings."""
    count = rng.randint(2, 4) if snippet_count is None else snippet_count
    snippets = [rng.choice(TEMPLATES)(first + i, secrets) for i in range(count)]
    used = HEADER.count("\n") + IMPORTS.count("\n") + sum(s.code.count("\n") + 2 for s in snippets)
    pieces: List[str] = []
    while used < target_lines - 8:
        room = target_lines - used
        chunk = rng.choice(pool)
        for _ in range(6):
            if chunk.count("\n") <= room + 10:
                break
            chunk = rng.choice(pool)
        pieces.append(chunk)
        used += chunk.count("\n") + 2
    for snippet in snippets:
        pieces.insert(rng.randint(0, len(pieces)), snippet.code)
    text = HEADER + IMPORTS + "\n\n".join(p.rstrip("\n") + "\n" for p in pieces)
    return text, sum(len(s.expected) for s in snippets)


@dataclass(frozen=True)
class Corpus:
    root: Path
    dense: Path
    precommit_clean: List[Path]
    precommit_dense: List[Path]
    dense_files: int
    dense_lines: int
    expected_findings: int
    notebooks: Path
    notebook_files: int = 0
    notebook_cells: int = 0
    notebook_expected: int = 0  # findings planted in code cells, markdown and outputs
    project: Optional[Path] = None  # a package whose modules import their secrets (issue 11)
    project_files: int = 0
    project_expected: int = 0
    project_settings_expected: int = 0  # of those, the ones written in its settings module


def as_project(directory: Path) -> None:
    """Make `directory` a project of its own, configured as the sample is and reading the
    schema cache beside it: each case is checked as a project is, not as one part of a
    tree that holds every other case (whose files a partial run would search for importers)."""
    directory.mkdir(parents=True, exist_ok=True)
    config = (SAMPLE / "pyproject.toml").read_text(encoding="utf-8")
    config = config.replace(
        "[tool.lint-secrets]\n", '[tool.lint-secrets]\nschema-dir = "../.lint-secrets/schemas"\n', 1
    )
    (directory / "pyproject.toml").write_text(config, encoding="utf-8")


def build(
    out: Path, files: int = 2000, lines: int = 150, seed: int = SEED, stdlib: Optional[Path] = None
) -> Corpus:
    """Write the corpora under `out` (emptied first) next to the sample schema cache and config."""
    stdlib = stdlib or stdlib_dir()
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    shutil.copy(SAMPLE / "pyproject.toml", out / "pyproject.toml")
    shutil.copytree(SAMPLE / ".lint-secrets", out / ".lint-secrets")
    pool = chunk_pool(stdlib)
    if not pool:
        raise SystemExit(f"no usable code found under {stdlib}")
    rng = random.Random(seed)
    secrets = Secrets(rng)
    dense = out / "dense"
    as_project(dense)
    total_lines = expected = 0
    for i in range(files):
        text, count = build_file(rng, pool, secrets, lines, first=i * 10)
        compile(text, f"mod_{i:04d}.py", "exec", dont_inherit=True)  # every file is valid Python
        package = dense / f"pkg_{i // 50:03d}"
        package.mkdir(parents=True, exist_ok=True)
        (package / f"mod_{i:04d}.py").write_text(text, encoding="utf-8")
        total_lines += text.count("\n")
        expected += count
    # Pre-commit sized: five real modules that never mention Replicate, five ~300-line dense ones.
    clean_dir = out / "precommit_clean"
    as_project(clean_dir)
    candidates = []
    for path in source_files(stdlib):
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue
        if 150 <= text.count("\n") <= 400 and not any(n in text for n in NEEDLES):
            candidates.append((path, text))
    clean = []
    for index, (path, text) in enumerate(rng.sample(candidates, 5)):
        target = clean_dir / f"clean_{index}_{path.name}"
        target.write_text(text, encoding="utf-8")
        clean.append(target)
    dense_dir = out / "precommit_dense"
    as_project(dense_dir)
    precommit_dense = []
    for index in range(5):
        text, _ = build_file(rng, pool, secrets, 300, first=(files + index) * 10)
        target = dense_dir / f"dense_{index}.py"
        target.write_text(text, encoding="utf-8")
        precommit_dense.append(target)
    notebooks = out / "notebooks"
    as_project(notebooks)
    count, cells, planted = build_notebooks(notebooks, pool, max(1, files // 10), seed)
    project = out / "project"
    modules, in_project, in_settings = build_project(project, max(10, files // 10))
    return Corpus(
        out,
        dense,
        clean,
        precommit_dense,
        files,
        total_lines,
        expected,
        notebooks,
        count,
        cells,
        planted,
        project,
        modules,
        in_project,
        in_settings,
    )


@dataclass(frozen=True)
class Built:
    path: Path
    files: int
    lines: int
    expected: int  # planted findings
    replicate_files: int = 0


# The scale corpora (issue 17) come from their own random streams, so the corpora above keep
# their bytes and digest. They sit under the same root, next to its config and schema cache.


def build_small_project(out: Path, pool: Sequence[str], files: int = 80, seed: int = SEED) -> Built:
    """About `files` small modules (20-90 lines, 1-2 Replicate calls each) in a package
    layout, as an app's tree is: where the pool must not cost more than it saves."""
    rng = random.Random(seed + 2)
    secrets = Secrets(rng)
    as_project(out)
    lines = expected = 0
    for i in range(files):
        text, count = build_file(
            rng, pool, secrets, rng.randint(20, 90), first=i * 10, snippet_count=rng.randint(1, 2)
        )
        package = out / ("app" if i % 4 else "scripts") / f"part_{i % 7}"
        package.mkdir(parents=True, exist_ok=True)
        (package / f"module_{i:03d}.py").write_text(text, encoding="utf-8")
        lines += text.count("\n")
        expected += count
    return Built(out, files, lines, expected, files)


def build_big_file(out: Path, pool: Sequence[str], megabytes: float, seed: int = SEED) -> Built:
    """One module of `megabytes` MB made of dense modules end to end: thousands of findings."""
    rng = random.Random(seed + 3)
    secrets = Secrets(rng)
    parts: List[str] = [HEADER, IMPORTS]
    size = expected = 0
    i = 0
    while size < megabytes * 1024 * 1024:
        text, count = build_file(rng, pool, secrets, 150, first=i * 10)
        body = text[len(HEADER) + len(IMPORTS) :]
        parts.append(body)
        size += len(body)
        expected += count
        i += 1
    as_project(out.parent)
    text = "".join(parts)
    out.write_text(text, encoding="utf-8")
    return Built(out, 1, text.count("\n"), expected, 1)


def build_large_tree(
    out: Path, pool: Sequence[str], files: int = 50_000, share: float = 0.1, seed: int = SEED
) -> Built:
    """`files` modules of standard library code in packages of 100; `share` of them call
    Replicate (2-4 findings each), the rest never mention it."""
    rng = random.Random(seed + 4)
    secrets = Secrets(rng)
    as_project(out)
    lines = expected = replicate_files = 0
    for i in range(files):
        package = out / f"pkg_{i // 100:04d}"
        if i % 100 == 0:
            package.mkdir(parents=True, exist_ok=True)
        if rng.random() < share:
            text, count = build_file(rng, pool, secrets, rng.randint(40, 160), first=i * 10)
            replicate_files += 1
            expected += count
        else:
            text = HEADER + "\n\n".join(
                rng.choice(pool).rstrip("\n") + "\n" for _ in range(rng.randint(1, 5))
            )
        (package / f"mod_{i:05d}.py").write_text(text, encoding="utf-8")
        lines += text.count("\n")
    return Built(out, files, lines, expected, replicate_files)


PROJECT_SETTINGS_KEYS = 10


def build_project(out: Path, modules: int) -> Tuple[int, int, int]:
    """A package whose service modules send secrets imported from its settings module, through a
    client made in another module (issue 11: cross-module resolution). Its own pyproject.toml
    points at the corpus's schema cache, so the package is its own project. Written without
    randomness. Returns (files, findings planted, of which in settings.py): each settings
    constant is reported once, at its definition, however many modules send it; every fifth
    module also sends a literal of its own."""
    package = out / "app"
    services = package / "services"
    services.mkdir(parents=True)
    (out / "pyproject.toml").write_text('[tool.lint-secrets]\nschema-dir = "../.lint-secrets/schemas"\n')
    (package / "__init__.py").write_text("")
    (services / "__init__.py").write_text("")
    keys = "".join(
        f'TTS_KEY_{n} = "el-FAKE-settings-{n:02d}-{ALNUM[n::7][:12]}"\n' for n in range(PROJECT_SETTINGS_KEYS)
    )
    (package / "settings.py").write_text(
        '"""Settings of the service, some of them committed by mistake."""\n\nimport os\n\n'
        + keys
        + 'SAFE_KEY = os.environ.get("ELEVENLABS_API_KEY")\nMODEL = "example/text-to-speech"\n\n\n'
        'class Settings:\n    elevenlabs_api_key = "el-FAKE-settings-class-0a1b2c"\n    timeout = 30\n\n\n'
        "settings = Settings()\n"
    )
    (package / "clients.py").write_text(
        "import functools\n\nimport replicate\n\nclient = replicate.Client()\n\n\n"
        "@functools.lru_cache\ndef get_client():\n    return replicate.Client()\n"
    )
    own = 0
    for i in range(modules):
        key = f"TTS_KEY_{i % PROJECT_SETTINGS_KEYS}"
        lines = [
            f'"""Service {i}: speaks through the shared client."""',
            "",
            "import logging",
            "",
            "import replicate",
            "",
            "from ..clients import client, get_client",
            f"from ..settings import MODEL, SAFE_KEY, {key}, settings",
            "",
            "log = logging.getLogger(__name__)",
            "",
            "",
            f"def speak_{i}(text: str) -> object:",
            '    log.info("speaking %d characters", len(text))',
            f'    return client.run(MODEL, input={{"text": text, "elevenlabs_api_key": {key}}})',
            "",
            "",
            f"def speak_safely_{i}(text: str) -> object:",
            '    return get_client().run(MODEL, input={"text": text, "elevenlabs_api_key": SAFE_KEY})',
            "",
            "",
            f"def speak_with_settings_{i}(text: str) -> object:",
            '    inputs = {"text": text, "elevenlabs_api_key": settings.elevenlabs_api_key}',
            "    return replicate.run(MODEL, input=inputs)",
        ]
        if i % 5 == 0:
            own += 1
            lines += [
                "",
                "",
                f"def speak_locally_{i}(text: str) -> object:",
                f'    own_key = "el-FAKE-own-{i:05d}-7Qz"',
                '    return replicate.run(MODEL, input={"text": text, "elevenlabs_api_key": own_key})',
            ]
        for n in range(8):  # ordinary code around the calls
            lines += [
                "",
                "",
                f"def helper_{i}_{n}(values: list) -> list:",
                f"    return [value * {n + 1} for value in values if value is not None]",
            ]
        text = "\n".join(lines) + "\n"
        compile(text, f"svc_{i:04d}.py", "exec", dont_inherit=True)
        (services / f"svc_{i:04d}.py").write_text(text)
    in_settings = min(modules, PROJECT_SETTINGS_KEYS) + 1
    return modules + 4, in_settings + own, in_settings


def build_notebooks(out: Path, pool: Sequence[str], count: int, seed: int) -> Tuple[int, int, int]:
    """`count` notebooks as Jupyter writes them (nbformat 4, indent 1, sources as line lists):
    the dense corpus's code split into cells, a markdown cell, outputs with text and a PNG-sized
    blob, and a `.ipynb_checkpoints/` copy that must be skipped. A separate random stream, so the
    other corpora keep their bytes. Returns (notebooks, cells, planted findings)."""
    rng = random.Random(seed + 1)
    secrets = Secrets(rng)
    cells_total = planted = 0
    for i in range(count):
        text, expected = build_file(rng, pool, secrets, 150, first=(100_000 + i) * 10)
        blocks: List[str] = []
        pending = ""
        for piece in text.split("\n\n\n"):  # a piece that holds blank lines is rejoined
            pending = f"{pending}\n\n\n{piece}" if pending else piece
            if pending.strip() and _compiles(pending):
                blocks.append(pending)
                pending = ""
        cells: List[Dict[str, object]] = [_markdown(f"# Notebook {i}\n\nGenerated for the benchmark.")]
        for n, block in enumerate(blocks):
            outputs: List[Dict[str, object]] = []
            if n % 3 == 1:
                outputs.append({"name": "stdout", "output_type": "stream", "text": _lines("ok\n" * 5)})
            if n % 5 == 2:
                blob = "".join(rng.choice(ALNUM + "+/") for _ in range(8000))
                outputs.append(
                    {
                        "data": {"image/png": blob, "text/plain": ["<Figure>"]},
                        "metadata": {},
                        "output_type": "display_data",
                    }
                )
            cells.append(_code(block.strip("\n"), outputs, n))
        if i % 4 == 0:  # a token pasted into prose, and one printed into an output
            cells.append(_markdown(f"Token used: {secrets.replicate_token()}"))
            printed = {"name": "stdout", "output_type": "stream", "text": [secrets.replicate_token() + "\n"]}
            cells.append(_code("print(client.api_token)", [printed], len(cells)))
            expected += 2
        document = {
            "cells": cells,
            "metadata": {"kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"}},
            "nbformat": 4,
            "nbformat_minor": 5,
        }
        folder = out / f"nb_{i // 50:03d}"
        folder.mkdir(parents=True, exist_ok=True)
        written = json.dumps(document, indent=1, sort_keys=True, ensure_ascii=False) + "\n"
        (folder / f"analysis_{i:04d}.ipynb").write_text(written, encoding="utf-8")
        if i % 10 == 0:
            (folder / ".ipynb_checkpoints").mkdir(exist_ok=True)
            checkpoint = folder / ".ipynb_checkpoints" / f"analysis_{i:04d}-checkpoint.ipynb"
            checkpoint.write_text(written, encoding="utf-8")
        cells_total += len(cells)
        planted += expected
    return count, cells_total, planted


def _lines(text: str) -> List[str]:
    return text.splitlines(keepends=True)


def _markdown(text: str) -> Dict[str, object]:
    cell_id = "md" + hashlib.sha256(text.encode()).hexdigest()[:8]
    return {"cell_type": "markdown", "id": cell_id, "metadata": {}, "source": _lines(text)}


def _code(text: str, outputs: List[Dict[str, object]], n: int) -> Dict[str, object]:
    return {
        "cell_type": "code",
        "execution_count": n,
        "id": f"c{n:07d}",
        "metadata": {},
        "outputs": outputs,
        "source": _lines(text),
    }


def digest(root: Path) -> str:
    """A hash over every file's relative path and bytes."""
    h = hashlib.sha256()
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        h.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return h.hexdigest()[:16]


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--files", type=int, default=2000)
    parser.add_argument("--lines", type=int, default=150)
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument(
        "--stdlib", type=Path, default=None, help="Where the code comes from (default: this Python's)."
    )
    args = parser.parse_args(argv)
    corpus = build(args.out, args.files, args.lines, args.seed, args.stdlib)
    stats: Dict[str, object] = {
        "files": corpus.dense_files,
        "lines": corpus.dense_lines,
        "expected findings": corpus.expected_findings,
        "notebooks": corpus.notebook_files,
        "notebook findings": corpus.notebook_expected,
        "project files": corpus.project_files,
        "project findings": corpus.project_expected,
        "digest": digest(corpus.root),
    }
    print(" ".join(f"{k}={v}" for k, v in stats.items()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
