"""Adopting lint-secrets on a repository that already has findings: baselines and noqa tools."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import List, Tuple

import pytest
from conftest import write_files

from lint_secrets.cli import main

REPO = Path(__file__).resolve().parents[1]
SAMPLE_CACHE = REPO / "fixtures" / "sample" / ".lint-secrets"
TTS_SECRET = "el-test-FAKE-0a1b2c3d4e5f6789"
OTHER_TTS_SECRET = "el-test-FAKE-ffeeddccbbaa9988"
TOKEN_SECRET = "r8_FAKEbaselineTESTtokenFORlintSECRETS42"  # r8_ and 37: token-shaped


def tts(secret: str = TTS_SECRET) -> str:
    inputs = f'{{"text": "hi", "elevenlabs_api_key": "{secret}"}}'
    return f'out = replicate.run("example/text-to-speech", input={inputs})\n'


APP = "import replicate\n\n" + tts() + f'client = replicate.Client(api_token="{TOKEN_SECRET}")\n'


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "p"
    write_files(root, {"pyproject.toml": "[tool.lint-secrets]\n", "src/app.py": APP})
    shutil.copytree(SAMPLE_CACHE, root / ".lint-secrets")
    monkeypatch.chdir(root)
    return root


def check(capsys: pytest.CaptureFixture[str], *args: str) -> Tuple[int, List[Tuple[str, int, str]], str]:
    code = main(["check", "--output-format", "json", *args])
    out, err = capsys.readouterr()
    findings = json.loads(out)["findings"] if out.strip() else []
    return code, [(f["path"], f["line"], f["code"]) for f in findings], err


# --------------------------------------------------------------------------- baseline


def test_baseline_round_trip(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "--write-baseline", "lint-secrets-baseline.json"]) == 0
    assert "recorded 2 finding(s)" in capsys.readouterr().err
    text = (project / "lint-secrets-baseline.json").read_text(encoding="utf-8")
    document = json.loads(text)
    # Nothing in the file can be read back as a secret, or even as part of one.
    assert TTS_SECRET not in text and TOKEN_SECRET not in text
    assert TTS_SECRET[:12] not in text and TOKEN_SECRET[:8] not in text
    assert len(document["salt"]) == 32 and "line" not in json.dumps(document["findings"])
    assert [(e["path"], e["code"]) for e in document["findings"]] == [
        ("src/app.py", "RS101"),
        ("src/app.py", "RS103"),
    ]

    assert check(capsys, "--baseline", "lint-secrets-baseline.json") == (0, [], "")
    # Lines added above the known findings do not bring them back.
    app = project / "src" / "app.py"
    app.write_text("# a new header\n\n\n" + APP, encoding="utf-8")
    assert check(capsys, "--baseline", "lint-secrets-baseline.json")[:2] == (0, [])
    # A new secret is new, even in the same file, for the same model and input.
    app.write_text(APP + tts(OTHER_TTS_SECRET), encoding="utf-8")
    assert check(capsys, "--baseline", "lint-secrets-baseline.json")[:2] == (1, [("src/app.py", 5, "RS101")])
    # The same value a second time is a second finding: the baseline holds one.
    app.write_text(APP + tts(), encoding="utf-8")
    assert check(capsys, "--baseline", "lint-secrets-baseline.json")[:2] == (1, [("src/app.py", 5, "RS101")])
    # Moved to another file: the path is part of the fingerprint.
    app.write_text("import replicate\n", encoding="utf-8")
    write_files(project, {"src/moved.py": APP})
    assert {f[0] for f in check(capsys, "--baseline", "lint-secrets-baseline.json")[1]} == {"src/moved.py"}
    # Fixed findings drop out when the baseline is written again; the salt stays.
    (project / "src" / "moved.py").unlink()
    app.write_text(
        APP.replace(f'client = replicate.Client(api_token="{TOKEN_SECRET}")\n', ""), encoding="utf-8"
    )
    assert main(["check", "--write-baseline", "lint-secrets-baseline.json"]) == 0
    rewritten = json.loads((project / "lint-secrets-baseline.json").read_text(encoding="utf-8"))
    assert rewritten["salt"] == document["salt"]
    assert rewritten["findings"] == [document["findings"][0]]


def test_writing_the_baseline_for_part_of_the_repository_keeps_the_rest(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """As detect-secrets: entries for files the run did not check stay (some paths,
    --changed, a sub-project whose configuration is broken); a deleted file's go."""
    write_files(project, {"lib/other.py": APP, "gone/old.py": APP, "svc/app.py": APP})
    assert main(["check", "--write-baseline", "b.json"]) == 0
    assert "recorded 8 finding(s) in b.json" in capsys.readouterr().err
    everything = json.loads((project / "b.json").read_text(encoding="utf-8"))["findings"]

    def recorded() -> List[Tuple[str, str]]:
        document = json.loads((project / "b.json").read_text(encoding="utf-8"))
        return [(e["path"], e["code"]) for e in document["findings"]]

    # One path: the others keep their entries, the fixed token drops out of the checked file.
    (project / "src" / "app.py").write_text(
        APP.replace(f'client = replicate.Client(api_token="{TOKEN_SECRET}")\n', ""), encoding="utf-8"
    )
    shutil.rmtree(project / "gone")
    assert main(["check", "--write-baseline", "b.json", "src"]) == 0
    assert "recorded 1 finding(s) in b.json, and kept 4 of files this run did not check" in (
        capsys.readouterr().err
    )
    assert recorded() == [
        ("lib/other.py", "RS101"),
        ("lib/other.py", "RS103"),
        ("src/app.py", "RS101"),
        ("svc/app.py", "RS101"),
        ("svc/app.py", "RS103"),
    ]
    assert check(capsys, "--baseline", "b.json")[:2] == (0, [])
    # A sub-project whose configuration is broken is not checked: its entries stay, exit 2.
    (project / "svc" / "lint-secrets.toml").write_text("selct = []\n", encoding="utf-8")
    assert main(["check", "--write-baseline", "b.json"]) == 2
    assert ("svc/app.py", "RS103") in recorded()
    (project / "svc" / "lint-secrets.toml").unlink()
    # A full run writes what it finds: the same entries, line for line.
    assert main(["check", "--write-baseline", "b.json"]) == 0
    assert [e for e in everything if not e["path"].startswith(("gone/", "src/"))] == [
        e
        for e in json.loads((project / "b.json").read_text(encoding="utf-8"))["findings"]
        if not e["path"].startswith("src/")
    ]


def test_a_new_version_of_the_same_model_is_not_a_new_finding(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["check", "--write-baseline", "b.json"]) == 0
    app = project / "src" / "app.py"
    pinned = '"example/text-to-speech:f03c922a7b4f838b5a51b41f1909a637f9aa81916a7d01c8fad095069847e91c"'
    app.write_text(APP.replace('"example/text-to-speech"', pinned), encoding="utf-8")
    assert main(["check", "--output-format", "json"]) == 1
    (finding, _) = json.loads(capsys.readouterr().out)["findings"]
    assert finding["model"].startswith("example/text-to-speech:f03c")
    assert check(capsys, "--baseline", "b.json")[:2] == (0, [])


BASELINE_0_2 = REPO / "fixtures" / "baseline-0.2"


def test_baselines_written_by_lint_secrets_0_2_still_match(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """fixtures/baseline-0.2 holds baselines written at commit 29306c8 (a fixed salt, kept when
    a baseline is written again): `baseline.json` as `--write-baseline` writes it, and
    `pinned-baseline.json` with versions in the hash, as before they were left out. A change to
    what a fingerprint hashes would bring every known finding of every team back."""
    root = tmp_path / "old"
    shutil.copytree(BASELINE_0_2, root)
    shutil.copytree(SAMPLE_CACHE, root / ".lint-secrets")
    monkeypatch.chdir(root)
    assert main(["check", "--output-format", "json"]) == 1
    findings = json.loads(capsys.readouterr().out)["findings"]
    # Every kind of model a finding can name, and none (RS103), in this file and another.
    assert len(findings) == 18
    assert {f["model"] for f in findings} == {
        None,
        "example/text-to-speech",
        "example/text-to-speech:f03c922a7b4f",
        "example/text-to-speech:d1c63ad43aba",
        "version 0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
        "acme/unknown-model",
        "acme/private-llm",
        "deployment example/tts-prod",
        "acme/r8_F\u2026",
        "example/whisper-diarize",
    }
    assert {f["path"] for f in findings} == {"src/app.py", "src/settings.py"}
    written = (root / "baseline.json").read_bytes()
    assert written != (root / "pinned-baseline.json").read_bytes()
    for name in ("baseline.json", "pinned-baseline.json"):
        assert check(capsys, "--baseline", name)[:2] == (0, [])
    # Written again over itself, the baseline is the same file, byte for byte.
    assert main(["check", "--write-baseline", "baseline.json"]) == 0
    assert (root / "baseline.json").read_bytes() == written


def test_baseline_from_another_directory_and_with_other_path_spellings(
    project: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["check", "--write-baseline", "ci/baseline.json", "src"]) == 0
    capsys.readouterr()
    assert check(capsys, "--baseline", "ci/baseline.json", "./src/app.py")[:2] == (0, [])
    monkeypatch.chdir(project / "src")
    assert check(capsys, "--baseline", "../ci/baseline.json")[:2] == (0, [])


def test_salts_differ_so_hashes_do_not_match_across_baselines(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["check", "--write-baseline", "one.json"]) == 0
    assert main(["check", "--write-baseline", "two.json"]) == 0
    one, two = (json.loads((project / n).read_text(encoding="utf-8")) for n in ("one.json", "two.json"))
    assert {e["hash"] for e in one["findings"]}.isdisjoint(e["hash"] for e in two["findings"])


@pytest.mark.parametrize(
    ("text", "expected"),
    (
        pytest.param(None, "no such baseline", id="missing"),
        pytest.param("{", "not a lint-secrets baseline", id="not-json"),
        pytest.param('{"tool": "lint-secrets", "version": 9}', "version 9", id="version"),
        pytest.param(
            '{"tool": "lint-secrets", "version": 1, "salt": "' + "0f" * 16 + '", "findings": [{}]}',
            "64 hexadecimal",
            id="entry",
        ),
    ),
)
def test_a_bad_baseline_is_one_line(
    project: Path, capsys: pytest.CaptureFixture[str], text: str, expected: str
) -> None:
    if text is not None:
        (project / "b.json").write_text(text, encoding="utf-8")
    code = main(["check", "--baseline", "b.json"])
    out, err = capsys.readouterr()
    assert code == 2 and out == ""
    assert len(err.strip().splitlines()) == 1 and "b.json" in err and expected in err


def test_write_baseline_refuses_fix(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "--fix", "--write-baseline", "b.json"]) == 2
    assert not (project / "b.json").exists()
    assert APP == (project / "src" / "app.py").read_text(encoding="utf-8")


# --------------------------------------------------------------------------- noqa


def test_add_noqa_then_clean_then_ignore_noqa(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = (
        "import replicate\n\n"
        + tts().rstrip("\n")
        + "  # noqa: E501\n"
        + f'client = replicate.Client(api_token="{TOKEN_SECRET}")  # the shared key\n'
        + "out = replicate.run(\n"
        + '    "example/text-to-speech",\n'
        + f'    input={{"text": "hi", "elevenlabs_api_key": "{TTS_SECRET}"}},\n'
        + ")\n"
        + "clean = 1\n"
    )
    app = project / "src" / "app.py"
    app.write_text(source, encoding="utf-8")
    code = main(["check", "--add-noqa"])
    assert code == 0, capsys.readouterr()
    assert "added 3 noqa comment(s)" in capsys.readouterr().err
    lines = app.read_text(encoding="utf-8").splitlines()
    assert lines[2].endswith("  # noqa: E501, RS101")
    assert lines[3].endswith("  # the shared key  # noqa: RS103")
    assert lines[6] == f'    input={{"text": "hi", "elevenlabs_api_key": "{TTS_SECRET}"}},  # noqa: RS101'
    # Nothing else changed.
    assert [lines[i] for i in (0, 1, 4, 5, 7, 8)] == [source.splitlines()[i] for i in (0, 1, 4, 5, 7, 8)]
    assert check(capsys) == (0, [], "")
    # --ignore-noqa shows what the comments hide.
    assert {c for _, _, c in check(capsys, "--ignore-noqa")[1]} == {"RS101", "RS103"}
    # Running again adds nothing.
    before = app.read_text(encoding="utf-8")
    assert main(["check", "--add-noqa"]) == 0
    assert app.read_text(encoding="utf-8") == before


def test_add_noqa_puts_the_comment_after_a_string_spanning_lines(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = f'import replicate\n\nclient = replicate.Client(api_token="""{TOKEN_SECRET}\n""")\n'
    app = project / "src" / "app.py"
    app.write_text(source, encoding="utf-8")
    assert check(capsys)[1] == [("src/app.py", 3, "RS103")]
    assert main(["check", "--add-noqa"]) == 0
    capsys.readouterr()
    assert app.read_text(encoding="utf-8").splitlines()[3] == '""")  # noqa: RS103'
    assert check(capsys) == (0, [], "")


def test_add_noqa_keeps_crlf_and_encoding(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    app = project / "src" / "app.py"
    app.write_bytes(
        b"# -*- coding: latin-1 -*-\r\n# caf\xe9\r\n" + APP.replace("\n", "\r\n").encode("latin-1")
    )
    assert main(["check", "--add-noqa"]) == 0
    data = app.read_bytes()
    assert data.startswith(b"# -*- coding: latin-1 -*-\r\n# caf\xe9\r\n")
    assert b"  # noqa: RS101\r\n" in data and b"  # noqa: RS103\r\n" in data
    assert data.count(b"\r\n") == data.count(b"\n")


@pytest.mark.parametrize(
    ("directive", "left"),
    (
        pytest.param("# lint-secrets: noqa", set(), id="all"),
        pytest.param("# Lint-Secrets: NOQA: RS103", {"RS101"}, id="one-code"),
        pytest.param("# lint-secrets: noqa: RS101, RS103", set(), id="two-codes"),
        pytest.param('TEXT = "# lint-secrets: noqa"', {"RS101", "RS103"}, id="in-a-string"),
        pytest.param("# lint-secrets noqa", {"RS101", "RS103"}, id="no-colon"),
        pytest.param("# noqa", {"RS101", "RS103"}, id="bare-noqa-on-its-own-line"),
        pytest.param("# lint-secrets: noqa: RS103 -- legacy client", {"RS101"}, id="code-and-reason"),
        pytest.param("# lint-secrets: noqa RS101", {"RS101", "RS103"}, id="codes-without-colon"),
        pytest.param("# lint-secrets: noqa RS101 # lint-secrets: noqa: RS103", {"RS101"}, id="one-of-two"),
    ),
)
def test_file_level_noqa(
    project: Path, capsys: pytest.CaptureFixture[str], directive: str, left: set[str]
) -> None:
    (project / "src" / "app.py").write_text(directive + "\n" + APP, encoding="utf-8")
    code, found, err = check(capsys)
    assert {c for _, _, c in found} == left and code == (1 if left else 0)
    # A directive that means nothing is said to, not taken for "everything".
    if "noqa RS101" in directive:
        assert err == (
            "lint-secrets: note: src/app.py:1: `# lint-secrets: noqa RS101` is not a file-level noqa "
            "(write `# lint-secrets: noqa` or `# lint-secrets: noqa: CODE,...`); it exempts nothing\n"
        )
    else:
        assert "not a file-level noqa" not in err
    assert {c for _, _, c in check(capsys, "--ignore-noqa")[1]} == {"RS101", "RS103"}
