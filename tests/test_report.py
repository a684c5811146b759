"""Tests for lint_secrets.report: every output format, built from hand-made findings."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from lint_secrets.findings import FileError, Finding
from lint_secrets.fix.edits import Fix, ReplaceExpression, Span, TextReplacement
from lint_secrets.model_refs import ModelRef
from lint_secrets.report import (
    FORMATS,
    render,
    render_error,
    render_github,
    render_json,
    render_statistics,
    render_text,
    sarif_log,
)

SCHEMA_PATH = Path(__file__).resolve().parent.parent / "fixtures" / "sarif" / "sarif-schema-2.1.0.json"

SECRET = "hf_" + "Zq8rT2vW4xY6zA1bC3dE5fG7hJ9kL0mN2p"
OTHER_SECRET = "r8_" + "Pk3Lm5Nb7Vc9Xz1Qw2Er4Ty6Ui8Op0As"
LLAMA = ModelRef("model", "meta", "llama")
VERSION = "0.1.0"


@dataclass(frozen=True)
class Rule:
    code: str
    name: str
    summary: str
    doc: str
    fixable: bool
    precision: str = "very-high"
    security_severity: str = "9.5"


RULES = (
    Rule(
        "RS101",
        "secret-input-literal",
        "A secret is passed as a string literal in a model's input.",
        "## What it does\n\nFinds API tokens written as literals in `replicate.run` inputs.\n\n"
        "**Bad:**\n\n```python\nreplicate.run(m, input={'hf_token': 'hf_...'})\n```\n\n"
        "**Good:**\n\n```python\nreplicate.run(m, input={'hf_token': os.environ['HF_TOKEN']})\n```",
        True,
    ),
    Rule(
        "RS102",
        "secret-variable-literal",
        "A secret literal reaches a model's input through a variable.",
        "Finds secrets assigned to a variable that is later passed as an input.",
        False,
        "medium",
        "7.0",
    ),
)


def _fix(secret: str = SECRET, start: int = 40, env: str = "HF_TOKEN") -> Fix:
    replacement = f'os.environ["{env}"]'
    return Fix(
        edit=ReplaceExpression(Span(3, 29, 3, 29 + len(secret) + 2), replacement),
        env_name=env,
        description=f"Read the token from the environment variable {env}",
        needs_os_import=True,
        secret=secret,
        replacements=(TextReplacement(start, len(secret) + 2, 3, 30, 3, 32 + len(secret), replacement),),
    )


def _finding(
    path: str = "src/app.py",
    line: int = 3,
    column: int = 30,
    code: str = "RS101",
    *,
    fix: Fix | None = None,
    message: str = "hardcoded secret 'hf_Z…' in input 'hf_token'",
    model: ModelRef | None = LLAMA,
    input: str | None = "hf_token",
) -> Finding:
    return Finding(
        path=path,
        line=line,
        column=column,
        end_line=line,
        end_column=column + 39,
        code=code,
        message=message,
        model=model,
        input=input,
        call_line=line - 1,
        fix=fix,
    )


def _sample() -> list[Finding]:
    """Deliberately unsorted: reporters sort by (path, line, column, code)."""
    return [
        _finding(
            "src/b.py",
            7,
            5,
            "RS102",
            model=ModelRef("model", "x", "y"),
            input="api_key",
            message="secret 'r8_P…' via variable",
        ),
        _finding(
            "src/a.py",
            12,
            9,
            "RS101",
            fix=_fix(OTHER_SECRET, 200, "REPLICATE_API_TOKEN"),
        ),
        _finding("src/a.py", 3, 30, "RS101", fix=_fix()),
    ]


def _render(fmt: str, findings: list[Finding], errors: list[FileError] | None = None, **kw: Any) -> str:
    options: dict[str, Any] = {
        "fmt": fmt,
        "rules": RULES,
        "tool_version": VERSION,
        "root": Path.cwd(),
        "files_checked": 4,
    }
    options.update(kw)
    return render(findings, errors or [], **options)


@pytest.fixture
def in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Relative finding paths are relative to the working directory, as from the CLI."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.fixture(scope="module")
def sarif_validator() -> jsonschema.protocols.Validator:
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    cls = jsonschema.validators.validator_for(schema)
    assert cls is jsonschema.Draft4Validator  # what the official schema declares
    cls.check_schema(schema)
    validator: jsonschema.protocols.Validator = cls(schema)
    return validator


def _validate(validator: jsonschema.protocols.Validator, log: dict[str, Any]) -> None:
    problems = sorted(validator.iter_errors(log), key=lambda e: list(e.absolute_path))
    assert not problems, "\n".join(f"{list(p.absolute_path)}: {p.message}" for p in problems)


# --------------------------------------------------------------------------- #
# text
# --------------------------------------------------------------------------- #


def test_formats() -> None:
    assert FORMATS == ("text", "full", "json", "sarif", "github", "gitlab", "junit")


def test_text_lines_sorted_with_fix_markers_and_summary() -> None:
    assert _render("text", _sample()).splitlines() == [
        "src/a.py:3:30: RS101 [*] hardcoded secret 'hf_Z…' in input 'hf_token'",
        "src/a.py:12:9: RS101 [*] hardcoded secret 'hf_Z…' in input 'hf_token'",
        "src/b.py:7:5: RS102 secret 'r8_P…' via variable",
        "Found 3 secrets.",
        "[*] 2 fixable with `lint-secrets check --fix`.",
    ]


def test_text_ends_with_newline() -> None:
    assert _render("text", _sample()).endswith(".\n")


def test_text_singular_and_no_hint() -> None:
    out = _render("text", [_finding(fix=_fix())], show_fixes_hint=False)
    assert out == "src/app.py:3:30: RS101 [*] hardcoded secret 'hf_Z…' in input 'hf_token'\nFound 1 secret.\n"


def test_text_clean() -> None:
    assert _render("text", []) == "All checks passed!\n"


def test_text_nothing_checked() -> None:
    assert _render("text", [], files_checked=0) == "No files were checked.\n"


def test_text_after_fixing_everything() -> None:
    assert _render("text", [], fixed=2) == "Fixed 2 secrets.\n"


def test_text_after_fixing_some() -> None:
    remaining = [_finding("src/b.py", 7, 5, "RS102")]
    assert _render("text", remaining, fixed=1).splitlines() == [
        "src/b.py:7:5: RS102 hardcoded secret 'hf_Z…' in input 'hf_token'",
        "Fixed 1 secret.",
        "Found 1 secret.",
    ]


def test_text_leaves_errors_out_but_counts_them() -> None:
    errors = [
        FileError("bad.py", "invalid syntax at line 2"),
        FileError("x.py", "cannot decode"),
    ]
    out = _render("text", [], errors)
    assert out == "Encountered 2 errors.\n"
    assert "bad.py" not in out
    out = _render("text", [_finding()], errors[:1])
    assert out.splitlines()[-2:] == ["Found 1 secret.", "Encountered 1 error."]


def test_text_message_newlines_kept_on_one_line() -> None:
    out = _render("text", [_finding(message="first\nsecond")])
    assert out.splitlines()[0] == "src/app.py:3:30: RS101 first second"


def test_render_error() -> None:
    assert render_error(FileError("pkg/x.py", "cannot decode: bad byte")) == (
        "lint-secrets: error: pkg/x.py: cannot decode: bad byte"
    )
    assert render_error(FileError("", "no config")) == "lint-secrets: error: no config"


def test_unknown_format() -> None:
    with pytest.raises(ValueError, match="unknown output format 'xml'"):
        _render("xml", [])


# --------------------------------------------------------------------------- #
# statistics
# --------------------------------------------------------------------------- #


def test_statistics_counts_per_code() -> None:
    assert render_statistics(_sample(), RULES) == (
        "  2  RS101  [*] secret-input-literal\n  1  RS102      secret-variable-literal\n"
    )


def test_statistics_widths_and_unknown_rule() -> None:
    findings = [_finding(line=n) for n in range(1, 11)] + [_finding(code="RS9")]
    assert render_statistics(findings, RULES).splitlines() == [
        "  10  RS101      secret-input-literal",
        "   1  RS9",
    ]


def test_statistics_empty() -> None:
    assert render_statistics([], RULES) == ""


def test_text_with_statistics_replaces_finding_lines() -> None:
    assert _render("text", _sample(), statistics=True).splitlines() == [
        "  2  RS101  [*] secret-input-literal",
        "  1  RS102      secret-variable-literal",
        "Found 3 secrets.",
        "[*] 2 fixable with `lint-secrets check --fix`.",
    ]


# --------------------------------------------------------------------------- #
# json
# --------------------------------------------------------------------------- #


def test_json_shape() -> None:
    errors = [FileError("z.py", "cannot decode"), FileError("a.py", "invalid syntax")]
    out = _render("json", _sample(), errors)
    assert out.endswith("}\n")
    assert out.startswith('{\n  "findings": [\n    {\n      "path"')  # indent 2
    data = json.loads(out)
    assert list(data) == ["findings", "errors", "unresolved"]
    assert data["findings"][0] == {
        "path": "src/a.py",
        "cell": None,
        "line": 3,
        "column": 30,
        "end_line": 3,
        "end_column": 69,
        "code": "RS101",
        "message": "hardcoded secret 'hf_Z…' in input 'hf_token'",
        "model": "meta/llama",
        "input": "hf_token",
        "call_line": 2,
        "fixable": True,
        "fix_applicability": "safe",
        "fix_kind": "read-environ",
        "not_fixed": None,
    }
    assert [(f["path"], f["line"], f["fixable"]) for f in data["findings"]] == [
        ("src/a.py", 3, True),
        ("src/a.py", 12, True),
        ("src/b.py", 7, False),
    ]
    assert data["errors"] == [
        {"path": "a.py", "message": "invalid syntax"},
        {"path": "z.py", "message": "cannot decode"},
    ]


def test_json_empty() -> None:
    assert json.loads(render_json([], [])) == {"findings": [], "errors": [], "unresolved": []}


def test_json_nulls() -> None:
    data = json.loads(render_json([replace(_finding(), model=None, input=None, call_line=None)], []))
    assert data["findings"][0]["model"] is None
    assert data["findings"][0]["input"] is None
    assert data["findings"][0]["call_line"] is None


# --------------------------------------------------------------------------- #
# sarif
# --------------------------------------------------------------------------- #


def _sarif(findings: list[Finding], errors: list[FileError] | None = None, **kw: Any) -> dict[str, Any]:
    log: dict[str, Any] = json.loads(_render("sarif", findings, errors, **kw))
    return log


def test_sarif_validates_against_official_schema(in_tmp: Path, sarif_validator: Any) -> None:
    errors = [
        FileError("src/broken.py", "invalid syntax"),
        FileError("", "cache unreadable"),
    ]
    _validate(sarif_validator, _sarif(_sample(), errors, root=in_tmp))


def test_sarif_empty_run_validates(in_tmp: Path, sarif_validator: Any) -> None:
    log = _sarif([], root=in_tmp, rules=())
    _validate(sarif_validator, log)
    run = log["runs"][0]
    assert run["results"] == []
    assert run["tool"]["driver"]["rules"] == []
    assert run["invocations"][0]["executionSuccessful"] is True
    assert "toolExecutionNotifications" not in run["invocations"][0]


def test_sarif_log_and_render_agree(in_tmp: Path) -> None:
    log = sarif_log(_sample(), [], rules=RULES, tool_version=VERSION, root=in_tmp, files_checked=3)
    assert log == _sarif(_sample(), root=in_tmp, files_checked=3)


def test_sarif_top_level_and_driver(in_tmp: Path) -> None:
    log = _sarif(_sample(), root=in_tmp)
    assert log["version"] == "2.1.0"
    assert log["$schema"].endswith("sarif-schema-2.1.0.json")
    assert len(log["runs"]) == 1
    run = log["runs"][0]
    driver = run["tool"]["driver"]
    assert driver["name"] == "lint-secrets"
    assert driver["version"] == VERSION
    assert driver["informationUri"].startswith("https://")
    base = run["originalUriBaseIds"]["%SRCROOT%"]["uri"]
    assert base == in_tmp.resolve().as_uri() + "/" or base == in_tmp.as_uri() + "/"
    assert run["invocations"][0]["properties"] == {"filesChecked": 4}


def test_sarif_rules(in_tmp: Path) -> None:
    rules = _sarif(_sample(), root=in_tmp)["runs"][0]["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == ["RS101", "RS102"]
    rs101 = rules[0]
    assert rs101["name"] == "secret-input-literal"
    assert rs101["shortDescription"] == {"text": RULES[0].summary}
    assert rs101["fullDescription"] == {
        "text": "Finds API tokens written as literals in `replicate.run` inputs."
    }
    assert rs101["defaultConfiguration"] == {"level": "error"}
    assert "security" in rs101["properties"]["tags"]
    assert rs101["help"]["markdown"].startswith(RULES[0].doc)
    assert "lint-secrets check --fix" in rs101["help"]["markdown"]
    assert "lint-secrets check --fix" in rs101["help"]["text"]
    assert "lint-secrets check --fix" not in rules[1]["help"]["markdown"]
    assert rules[1]["fullDescription"] == {"text": RULES[1].doc}


def test_sarif_rule_for_undescribed_code_keeps_index_valid(in_tmp: Path, sarif_validator: Any) -> None:
    log = _sarif([_finding(code="RS999")], root=in_tmp)
    _validate(sarif_validator, log)
    run = log["runs"][0]
    result = run["results"][0]
    assert run["tool"]["driver"]["rules"][result["ruleIndex"]]["id"] == "RS999"


def test_sarif_results(in_tmp: Path) -> None:
    run = _sarif(_sample(), root=in_tmp)["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    results = run["results"]
    assert [(r["ruleId"], r["locations"][0]["physicalLocation"]["region"]["startLine"]) for r in results] == [
        ("RS101", 3),
        ("RS101", 12),
        ("RS102", 7),
    ]
    for r in results:
        assert rules[r["ruleIndex"]]["id"] == r["ruleId"]
        assert r["level"] == "error"
    first = results[0]
    assert first["message"] == {"text": "hardcoded secret 'hf_Z…' in input 'hf_token'"}
    assert first["locations"] == [
        {
            "physicalLocation": {
                "artifactLocation": {"uri": "src/a.py", "uriBaseId": "%SRCROOT%"},
                "region": {
                    "startLine": 3,
                    "startColumn": 30,
                    "endLine": 3,
                    "endColumn": 69,
                },
            }
        }
    ]


def test_sarif_fixes(in_tmp: Path) -> None:
    results = _sarif(_sample(), root=in_tmp)["runs"][0]["results"]
    assert "fixes" not in results[2]
    assert results[0]["fixes"] == [
        {
            "description": {
                "text": "Read the token from the environment variable HF_TOKEN (adds `import os`)"
            },
            "artifactChanges": [
                {
                    "artifactLocation": {"uri": "src/a.py", "uriBaseId": "%SRCROOT%"},
                    "replacements": [
                        {
                            "deletedRegion": {
                                "charOffset": 40,
                                "charLength": len(SECRET) + 2,
                                "startLine": 3,
                                "startColumn": 30,
                                "endLine": 3,
                                "endColumn": 32 + len(SECRET),
                            },
                            "insertedContent": {"text": 'os.environ["HF_TOKEN"]'},
                        }
                    ],
                }
            ],
        }
    ]


def _fingerprints(log: dict[str, Any]) -> list[str]:
    return [r["partialFingerprints"]["lintSecrets/v1"] for r in log["runs"][0]["results"]]


def test_sarif_fingerprints_stable_and_distinct(in_tmp: Path) -> None:
    first = _fingerprints(_sarif(_sample(), root=in_tmp))
    assert first == _fingerprints(_sarif(list(reversed(_sample())), root=in_tmp))
    assert len(set(first)) == len(first) == 3
    for fp in first:
        assert len(fp) == 64
        int(fp, 16)


def test_sarif_fingerprints_survive_line_shifts(in_tmp: Path) -> None:
    before = _fingerprints(_sarif(_sample(), root=in_tmp))
    shifted = [replace(f, line=f.line + 10, end_line=f.end_line + 10, column=f.column + 4) for f in _sample()]
    assert _fingerprints(_sarif(shifted, root=in_tmp)) == before


def test_sarif_fingerprints_same_key_findings_differ(in_tmp: Path) -> None:
    twins = [_finding(line=3), _finding(line=9)]
    fps = _fingerprints(_sarif(twins, root=in_tmp))
    assert fps[0] != fps[1]


def test_sarif_fingerprints_same_for_absolute_and_relative_paths(in_tmp: Path) -> None:
    relative = _fingerprints(_sarif(_sample(), root=in_tmp))
    absolute = [replace(f, path=str(in_tmp / f.path)) for f in _sample()]
    assert _fingerprints(_sarif(absolute, root=in_tmp)) == relative


def test_sarif_uri_for_absolute_path_under_root(tmp_path: Path) -> None:
    finding = _finding(str(tmp_path / "pkg" / "my module.py"))
    run = _sarif([finding], root=tmp_path)["runs"][0]
    location = run["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
    assert location == {"uri": "pkg/my%20module.py", "uriBaseId": "%SRCROOT%"}


def test_sarif_uri_relative_to_a_relative_root(in_tmp: Path) -> None:
    run = _sarif([_finding("proj/src/app.py")], root=Path("proj"))["runs"][0]
    location = run["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
    assert location == {"uri": "src/app.py", "uriBaseId": "%SRCROOT%"}
    assert run["originalUriBaseIds"]["%SRCROOT%"]["uri"].endswith("/proj/")


def test_sarif_uri_outside_root_is_absolute(tmp_path: Path, sarif_validator: Any) -> None:
    root = tmp_path / "project"
    outside = tmp_path / "elsewhere" / "x.py"
    log = _sarif([_finding(str(outside))], root=root)
    _validate(sarif_validator, log)
    location = log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
    assert location == {"uri": outside.as_uri()}


def test_sarif_errors_become_notifications(in_tmp: Path) -> None:
    errors = [
        FileError("src/broken.py", "invalid syntax"),
        FileError("", "cache unreadable"),
    ]
    invocation = _sarif([], errors, root=in_tmp)["runs"][0]["invocations"][0]
    assert invocation["executionSuccessful"] is False
    assert invocation["toolExecutionNotifications"] == [
        {"level": "error", "message": {"text": "cache unreadable"}},
        {
            "level": "error",
            "message": {"text": "invalid syntax"},
            "locations": [
                {
                    "physicalLocation": {
                        "artifactLocation": {
                            "uri": "src/broken.py",
                            "uriBaseId": "%SRCROOT%",
                        }
                    }
                }
            ],
        },
    ]


def test_sarif_clamps_impossible_positions(in_tmp: Path, sarif_validator: Any) -> None:
    odd = replace(_finding(), line=0, column=0, end_line=0, end_column=0)
    log = _sarif([odd], root=in_tmp)
    _validate(sarif_validator, log)


# --------------------------------------------------------------------------- #
# github
# --------------------------------------------------------------------------- #


def test_github_lines() -> None:
    errors = [FileError("src/broken.py", "invalid syntax"), FileError("", "no config")]
    assert _render("github", _sample(), errors).splitlines() == [
        (
            "::error file=src/a.py,line=3,col=30,endLine=3,endColumn=69,title=RS101::"
            "hardcoded secret 'hf_Z…' in input 'hf_token'"
        ),
        (
            "::error file=src/a.py,line=12,col=9,endLine=12,endColumn=48,title=RS101::"
            "hardcoded secret 'hf_Z…' in input 'hf_token'"
        ),
        "::error file=src/b.py,line=7,col=5,endLine=7,endColumn=44,title=RS102::secret 'r8_P…' via variable",
        "::error::no config",
        "::error file=src/broken.py::invalid syntax",
    ]


def test_github_escaping() -> None:
    finding = _finding("dir,with:odd%/a\nb.py", message="100% sure: a, b\r\nnext line")
    out = render_github([finding], [FileError("x,y:z.py", "bad: 50%,\nreally")])
    assert out == (
        "::error file=dir%2Cwith%3Aodd%25/a%0Ab.py,line=3,col=30,endLine=3,endColumn=69,title=RS101::"
        "100%25 sure: a, b%0D%0Anext line\n"
        "::error file=x%2Cy%3Az.py::bad: 50%25,%0Areally\n"
    )
    # Every command stays on one line.
    assert len(out.splitlines()) == 2


def test_github_empty() -> None:
    assert _render("github", []) == ""


# --------------------------------------------------------------------------- #
# secrets never reach the output
# --------------------------------------------------------------------------- #


def _secret_fragments(secret: str) -> list[str]:
    """The whole secret and every half of it: none may appear in output."""
    half = len(secret) // 2
    return [secret, secret[: half + 1], secret[half - 1 :]]


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("statistics", [False, True])
def test_no_secret_in_any_format(in_tmp: Path, fmt: str, statistics: bool) -> None:
    errors = [FileError("src/broken.py", "invalid syntax")]
    out = _render(fmt, _sample(), errors, root=in_tmp, statistics=statistics, fixed=1)
    assert out
    for secret in (SECRET, OTHER_SECRET):
        for fragment in _secret_fragments(secret):
            assert fragment not in out


def test_secret_not_in_repr_based_text() -> None:
    out = render_text(_sample(), files_checked=3) + render_statistics(_sample(), RULES)
    assert SECRET not in out
    assert OTHER_SECRET not in out


@pytest.mark.parametrize("fmt", FORMATS)
def test_secret_leaked_by_a_producer_is_still_scrubbed(in_tmp: Path, fmt: str) -> None:
    """Defence in depth: a message carrying a whole secret by mistake is redacted."""
    leaky = _finding(message=f"found {SECRET} here", fix=_fix(), model=ModelRef("model", "acme", SECRET))
    out = _render(fmt, [leaky], [FileError("a.py", f"oops {SECRET}")], root=in_tmp)
    assert SECRET not in out
    readable = json.dumps(json.loads(out), ensure_ascii=False) if fmt in ("json", "sarif", "gitlab") else out
    assert "hf_Z…" in readable


def test_schema_validation_is_not_vacuous(in_tmp: Path, sarif_validator: Any) -> None:
    log = _sarif(_sample(), root=in_tmp)
    log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]["startColumn"] = 0
    assert not sarif_validator.is_valid(log)


# --------------------------------------------------------------------------- #
# source lines: full snippets and line hashes never carry a secret
# --------------------------------------------------------------------------- #


def _source_with_secrets() -> dict[int, str]:
    """Lines 1-13 of src/a.py with each sample secret where its finding points (line 3 and 12)."""
    lines = {n: f"# line {n}" for n in range(1, 14)}
    lines[3] = " " * 29 + f'"{SECRET}",  # and again {SECRET}'
    lines[12] = " " * 8 + f'"{OTHER_SECRET}"'
    lines[11] = f"# a pasted token: {OTHER_SECRET}"
    return lines


def _lines(path: str, lineno: int) -> str | None:
    return _source_with_secrets().get(lineno) if path == "src/a.py" else None


@pytest.mark.parametrize("fmt", ["full", "sarif"])
def test_source_lines_never_leak_a_secret(in_tmp: Path, fmt: str) -> None:
    out = _render(fmt, _sample(), root=in_tmp, source_lines=_lines)
    for secret in (SECRET, OTHER_SECRET):
        for fragment in _secret_fragments(secret):
            assert fragment not in out


def test_full_snippet_masks_and_points_at_the_finding(in_tmp: Path) -> None:
    out = _render("full", _sample(), root=in_tmp, source_lines=_lines)
    lines = out.splitlines()
    shown = next(line for line in lines if line.startswith("3 |"))
    caret = lines[lines.index(shown) + 1]
    assert shown == "3 | " + " " * 29 + '"hf_Z…",  # and again hf_Z…'
    assert caret.index("^") == shown.index('"hf_Z') and caret.endswith("^" * len('"hf_Z…"') + " RS101")
    assert "11 | # a pasted token: r8_P…" in lines  # a context line's token shape is masked too
    # No line of its own for src/b.py: the finding alone, no snippet.
    assert not any(line.startswith("7 |") for line in lines)


def test_line_hashes_ignore_the_secret_and_indentation(in_tmp: Path) -> None:
    def hashes(source: dict[int, str]) -> list[str]:
        log = _sarif(
            _sample(), root=in_tmp, source_lines=lambda p, n: source.get(n) if p == "src/a.py" else None
        )
        return [r["partialFingerprints"]["primaryLocationLineHash"] for r in log["runs"][0]["results"]]

    base = hashes(_source_with_secrets())
    rotated = _source_with_secrets()
    rotated[12] = " " * 8 + '"r8_' + "Z" * 32 + '"'  # another token of the same length
    assert hashes(rotated) == base
    changed = _source_with_secrets()
    changed[12] = " " * 8 + f'"{OTHER_SECRET}",  # edited'
    assert hashes(changed)[1] != base[1]
    assert hashes(changed)[0] == base[0]
    assert all(re.fullmatch(r"[0-9a-f]{16}:1", h) for h in base)


def test_gitlab_severity_follows_security_severity(in_tmp: Path) -> None:
    issues = json.loads(_render("gitlab", _sample(), root=in_tmp))
    assert {(i["check_name"], i["severity"]) for i in issues} == {("RS101", "critical"), ("RS102", "major")}
    unknown = json.loads(_render("gitlab", [_finding(code="RS999")], root=in_tmp))
    assert unknown[0]["severity"] == "major"


def test_junit_survives_characters_xml_cannot_hold(in_tmp: Path) -> None:
    from xml.etree import ElementTree

    odd = _finding(message="bad \x00 byte \x1b[31m and <tags> & 'quotes'")
    out = _render("junit", [odd], [FileError("src/x.py", "nul \x00 here")], root=in_tmp)
    root = ElementTree.fromstring(out.encode("utf-8"))
    failure = next(root.iter("failure"))
    assert "<tags> & 'quotes'" in (failure.get("message") or "")
    assert (root.get("tests"), root.get("failures"), root.get("errors")) == ("2", "1", "1")


def test_full_caret_under_the_second_secret_of_a_line(in_tmp: Path) -> None:
    line = f'call("{SECRET}", "{OTHER_SECRET}")'
    first_col = line.index('"') + 1
    second_col = line.index(f'"{OTHER_SECRET}') + 1
    findings = [
        replace(_finding(line=2, column=first_col, fix=_fix()), end_column=first_col + len(SECRET) + 2),
        replace(
            _finding(line=2, column=second_col, code="RS103", fix=_fix(OTHER_SECRET)),
            end_column=second_col + len(OTHER_SECRET) + 2,
        ),
    ]
    out = _render("full", findings, root=in_tmp, source_lines=lambda p, n: line if n == 2 else None)
    assert out.count('2 | call("hf_Z…", "r8_P…")') == 2
    carets = [text for text in out.splitlines() if "^" in text]
    assert carets == ["  |      ^^^^^^^ RS101", "  |               ^^^^^^^ RS103"]
