"""Turn findings and errors into output text: pure functions, no printing, no I/O.

Every `render*` function returns a string that, when non-empty, ends with a
newline; the CLI writes it unchanged (``sys.stdout.write(out)``).

Secrets: a secret only ever lives in `Fix.secret`, which no format serialises.
As a second line of defence every rendered string is scrubbed of each
`Fix.secret` value (see `_Scrubber`), so a producer bug that leaks one into a
message still does not reach the output.

Positions: `Finding.line`/`column` are 1-based and `end_column` is the column
just past the flagged text (SARIF's convention); columns count characters
(Unicode code points), as the fixes' `TextReplacement` offsets do.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections import Counter
from collections.abc import Iterable, Sequence
from pathlib import Path, PurePath
from typing import Any, Protocol, Tuple
from urllib.parse import quote

from lint_secrets.findings import FileError, Finding
from lint_secrets.redact import redact

__all__ = [
    "FORMATS",
    "SARIF_SCHEMA_URI",
    "SARIF_VERSION",
    "TOOL_INFORMATION_URI",
    "TOOL_NAME",
    "RuleMeta",
    "render",
    "render_error",
    "render_github",
    "render_json",
    "render_sarif",
    "render_statistics",
    "render_text",
    "sarif_log",
]

FORMATS: tuple[str, ...] = ("text", "json", "sarif", "github")

TOOL_NAME = "lint-secrets"
TOOL_INFORMATION_URI = "https://github.com/lint-secrets/lint-secrets"
FIX_COMMAND = "lint-secrets check --fix"

SARIF_VERSION = "2.1.0"
SARIF_SCHEMA_URI = (
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
)
SRCROOT = "%SRCROOT%"
FINGERPRINT_KEY = "lintSecrets/v1"
# GitHub code scanning reads CWE ids from tags of this form; CWE-798 is
# "Use of Hard-coded Credentials".
SARIF_TAGS: tuple[str, ...] = ("security", "external/cwe/cwe-798")
# GitHub maps 7.0-8.9 to "High" severity for security rules.
SARIF_SECURITY_SEVERITY = "7.5"

# Secrets shorter than this are not scrubbed from output: replacing a very
# short string would mangle unrelated text (paths, words) more than it protects.
_MIN_SCRUB_LENGTH = 8


class RuleMeta(Protocol):
    """What a reporter needs to know about a rule (read-only, so frozen dataclasses fit)."""

    @property
    def code(self) -> str: ...  # "RS101"

    @property
    def name(self) -> str: ...  # "secret-input-literal"

    @property
    def summary(self) -> str: ...  # one sentence

    @property
    def doc(self) -> str: ...  # markdown: what, why, "Bad:"/"Good:" examples

    @property
    def fixable(self) -> bool: ...


# --------------------------------------------------------------------------- #
# Entry points
# --------------------------------------------------------------------------- #


def render(
    findings: Sequence[Finding],
    errors: Sequence[FileError],
    *,
    fmt: str,
    rules: Iterable[RuleMeta],
    tool_version: str,
    root: Path,
    files_checked: int,
    fixed: int = 0,
    statistics: bool = False,
    show_fixes_hint: bool = True,
    unresolved: Sequence[Tuple[str, int]] = (),
) -> str:
    """Render one run in the output format `fmt` (one of `FORMATS`).

    `statistics` and `show_fixes_hint` only affect the text format; `errors` are
    left out of the text format (the CLI prints them on stderr with
    `render_error`), and only counted in its summary.
    """
    if fmt == "text":
        return render_text(
            findings,
            errors,
            rules=rules,
            files_checked=files_checked,
            fixed=fixed,
            statistics=statistics,
            show_fixes_hint=show_fixes_hint,
        )
    if fmt == "json":
        return render_json(findings, errors, unresolved)
    if fmt == "sarif":
        return render_sarif(
            findings,
            errors,
            rules=rules,
            tool_version=tool_version,
            root=root,
            files_checked=files_checked,
        )
    if fmt == "github":
        return render_github(findings, errors)
    raise ValueError(f"unknown output format {fmt!r}; expected one of: {', '.join(FORMATS)}")


def render_error(err: FileError) -> str:
    """The stderr line for an error: ``lint-secrets: error: path: message`` (no newline)."""
    if err.path:
        return f"{TOOL_NAME}: error: {err.path}: {err.message}"
    return f"{TOOL_NAME}: error: {err.message}"


# --------------------------------------------------------------------------- #
# text
# --------------------------------------------------------------------------- #


def render_text(
    findings: Sequence[Finding],
    errors: Sequence[FileError] = (),
    *,
    rules: Iterable[RuleMeta] = (),
    files_checked: int,
    fixed: int = 0,
    statistics: bool = False,
    show_fixes_hint: bool = True,
) -> str:
    """ruff/flake8-style lines, ``path:line:col: CODE [*] message``, then a summary.

    With `statistics`, the per-code table of `render_statistics` replaces the
    per-finding lines.
    """
    scrubbers = _Scrubbers(findings)
    ordered = _sorted(findings)
    lines: list[str] = []
    if statistics:
        table = render_statistics(ordered, rules)
        lines.extend(table.splitlines())
    else:
        lines.extend(scrubbers.for_path(f.path)(_text_line(f)) for f in ordered)

    if fixed:
        lines.append(f"Fixed {_count(fixed, 'secret')}.")
    if ordered:
        lines.append(f"Found {_count(len(ordered), 'secret')}.")
    elif not fixed and not errors:
        lines.append("All checks passed!" if files_checked else "No files were checked.")
    if errors:
        lines.append(f"Encountered {_count(len(errors), 'error')}.")
    fixable = sum(1 for f in ordered if f.fixable)
    if fixable and show_fixes_hint:
        lines.append(f"[*] {fixable} fixable with `{FIX_COMMAND}`.")
    return "".join(line + "\n" for line in lines)


def _text_line(finding: Finding) -> str:
    marker = " [*]" if finding.fixable else ""
    message = _one_line(finding.message)
    if finding.not_fixed:
        message = f"{message} (not fixed: {finding.not_fixed})"
    return f"{finding.path}:{finding.line}:{finding.column}: {finding.code}{marker} {message}"


def render_statistics(findings: Sequence[Finding], rules: Iterable[RuleMeta]) -> str:
    """One line per code, most frequent first: ``  3  RS101  [*] secret-input-literal``.

    ``[*]`` marks codes with at least one fixable finding; names come from
    `rules` (empty when the code is unknown).
    """
    if not findings:
        return ""
    names = {rule.code: rule.name for rule in rules}
    counts = Counter(f.code for f in findings)
    fixable_codes = {f.code for f in findings if f.fixable}
    count_width = max(len(str(n)) for n in counts.values())
    code_width = max(len(code) for code in counts)
    lines = []
    for code, n in sorted(counts.items(), key=lambda item: (-item[1], item[0])):
        marker = "[*]" if code in fixable_codes else "   "
        line = f"  {n:>{count_width}}  {code:<{code_width}}  {marker} {names.get(code, '')}"
        lines.append(line.rstrip() + "\n")
    return "".join(lines)  # counts and rule names only: nothing to scrub


# --------------------------------------------------------------------------- #
# json
# --------------------------------------------------------------------------- #


def render_json(
    findings: Sequence[Finding], errors: Sequence[FileError], unresolved: Sequence[Tuple[str, int]] = ()
) -> str:
    """``{"findings": [...], "errors": [...], "unresolved": [...]}``, indented by 2; never
    contains `Fix.secret`. `unresolved`: (path, line) of Replicate calls not fully worked out."""
    scrubbers = _Scrubbers(findings)
    document = {
        "findings": [
            scrubbers.for_path(f.path).tree(
                {
                    "path": f.path,
                    "line": f.line,
                    "column": f.column,
                    "end_line": f.end_line,
                    "end_column": f.end_column,
                    "code": f.code,
                    "message": f.message,
                    "model": f.model,
                    "input": f.input,
                    "call_line": f.call_line,
                    "fixable": f.fixable,
                    "not_fixed": f.not_fixed,
                }
            )
            for f in _sorted(findings)
        ],
        "errors": [
            scrubbers.for_errors.tree({"path": e.path, "message": e.message}) for e in _sorted_errors(errors)
        ],
        "unresolved": [{"path": path, "line": line} for path, line in sorted(unresolved)],
    }
    return json.dumps(document, indent=2) + "\n"


# --------------------------------------------------------------------------- #
# github
# --------------------------------------------------------------------------- #


def render_github(findings: Sequence[Finding], errors: Sequence[FileError]) -> str:
    """GitHub Actions workflow commands: one ``::error ...::message`` line per finding and error."""
    scrubbers = _Scrubbers(findings)
    lines = []
    for f in _sorted(findings):
        scrub = scrubbers.for_path(f.path)
        properties = (
            ("file", f.path),
            ("line", str(f.line)),
            ("col", str(f.column)),
            ("endLine", str(f.end_line)),
            ("endColumn", str(f.end_column)),
            ("title", f.code),
        )
        lines.append(_workflow_command("error", properties, scrub(f.message), scrub))
    for e in _sorted_errors(errors):
        scrub = scrubbers.for_errors
        file_property = [("file", e.path)] if e.path else []
        lines.append(_workflow_command("error", file_property, scrub(e.message), scrub))
    return "".join(line + "\n" for line in lines)


def _workflow_command(
    command: str, properties: Sequence[tuple[str, str]], message: str, scrub: _Scrubber
) -> str:
    props = ",".join(f"{key}={_escape_property(scrub(value))}" for key, value in properties)
    head = f"::{command} {props}" if props else f"::{command}"
    return f"{head}::{_escape_data(message)}"


def _escape_data(value: str) -> str:
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(value: str) -> str:
    return _escape_data(value).replace(":", "%3A").replace(",", "%2C")


# --------------------------------------------------------------------------- #
# sarif
# --------------------------------------------------------------------------- #


def render_sarif(
    findings: Sequence[Finding],
    errors: Sequence[FileError],
    *,
    rules: Iterable[RuleMeta],
    tool_version: str,
    root: Path,
    files_checked: int,
) -> str:
    """A SARIF 2.1.0 log (indented by 2) for GitHub code scanning."""
    log = sarif_log(
        findings,
        errors,
        rules=rules,
        tool_version=tool_version,
        root=root,
        files_checked=files_checked,
    )
    return json.dumps(log, indent=2) + "\n"


def sarif_log(
    findings: Sequence[Finding],
    errors: Sequence[FileError],
    *,
    rules: Iterable[RuleMeta],
    tool_version: str,
    root: Path,
    files_checked: int,
) -> dict[str, Any]:
    """The SARIF log as a JSON-ready dict (what `render_sarif` serialises)."""
    scrubbers = _Scrubbers(findings)
    root_abs = Path(os.path.abspath(root))
    ordered = _sorted(findings)

    rule_list = sorted({rule.code: rule for rule in rules}.values(), key=lambda r: r.code)
    descriptors: list[dict[str, Any]] = [_rule_descriptor(rule) for rule in rule_list]
    index: dict[str, int] = {rule.code: i for i, rule in enumerate(rule_list)}
    for code in sorted({f.code for f in ordered} - set(index)):
        # A finding from a rule the caller did not describe: keep ruleIndex valid.
        index[code] = len(descriptors)
        descriptors.append(_unknown_rule_descriptor(code))

    occurrences: Counter[tuple[str, str, str, str]] = Counter()
    results = []
    for f in ordered:
        location = _artifact_location(f.path, root_abs)
        key = (f.code, location["uri"], f.model or "", f.input or "")
        occurrence = occurrences[key]
        occurrences[key] += 1
        result = _result(f, location, index[f.code], _fingerprint(key, occurrence))
        results.append(scrubbers.for_path(f.path).tree(result))

    notifications = [scrubbers.for_errors.tree(_notification(e, root_abs)) for e in _sorted_errors(errors)]
    invocation: dict[str, Any] = {
        "executionSuccessful": not errors,
        "properties": {"filesChecked": files_checked},
    }
    if notifications:
        invocation["toolExecutionNotifications"] = notifications

    driver: dict[str, Any] = {
        "name": TOOL_NAME,
        "version": tool_version,
        "informationUri": TOOL_INFORMATION_URI,
        "rules": descriptors,
    }
    run: dict[str, Any] = {
        "tool": {"driver": driver},
        "invocations": [invocation],
        "originalUriBaseIds": {SRCROOT: {"uri": _directory_uri(root_abs)}},
        "columnKind": "unicodeCodePoints",
        "results": results,
    }
    return {"$schema": SARIF_SCHEMA_URI, "version": SARIF_VERSION, "runs": [run]}


def _rule_descriptor(rule: RuleMeta) -> dict[str, Any]:
    summary = rule.summary.strip() or rule.name
    doc = rule.doc.strip()
    remedy = _remedy(rule.fixable)
    help_markdown = f"{doc}\n\n{remedy}" if doc else remedy
    return {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": summary},
        "fullDescription": {"text": _first_paragraph(doc) or summary},
        "help": {"text": help_markdown, "markdown": help_markdown},
        "defaultConfiguration": {"level": "error"},
        "properties": {
            "tags": list(SARIF_TAGS),
            "security-severity": SARIF_SECURITY_SEVERITY,
        },
    }


def _unknown_rule_descriptor(code: str) -> dict[str, Any]:
    return {
        "id": code,
        "shortDescription": {"text": f"{code}: hardcoded secret"},
        "help": {"text": _remedy(False), "markdown": _remedy(False)},
        "defaultConfiguration": {"level": "error"},
        "properties": {
            "tags": list(SARIF_TAGS),
            "security-severity": SARIF_SECURITY_SEVERITY,
        },
    }


def _remedy(fixable: bool) -> str:
    if fixable:
        how = (
            f"**Fix:** run `{FIX_COMMAND}` to replace the hardcoded value with a read from an "
            "environment variable (`os.environ[...]`), then set that variable where the code runs."
        )
    else:
        how = (
            "**Fix:** move the value out of the source, for example into an environment variable "
            "read with `os.environ[...]`."
        )
    return f"{how} Rotate the secret as well: it has already been exposed in the source."


def _first_paragraph(doc: str) -> str:
    for paragraph in doc.split("\n\n"):
        text = " ".join(line.strip() for line in paragraph.strip().splitlines())
        if text and not text.startswith(("#", "```")):
            return text
    return ""


def _result(
    finding: Finding,
    location: dict[str, str],
    rule_index: int,
    fingerprint: str,
) -> dict[str, Any]:
    start_line = max(1, finding.line)
    start_column = max(1, finding.column)
    region = {
        "startLine": start_line,
        "startColumn": start_column,
        "endLine": max(start_line, finding.end_line),
        "endColumn": max(1, finding.end_column),
    }
    result: dict[str, Any] = {
        "ruleId": finding.code,
        "ruleIndex": rule_index,
        "level": "error",
        "message": {"text": finding.message or finding.code},
        "locations": [{"physicalLocation": {"artifactLocation": dict(location), "region": region}}],
        "partialFingerprints": {FINGERPRINT_KEY: fingerprint},
    }
    fix = finding.fix
    if fix is not None and fix.replacements:
        replacements = [
            {
                "deletedRegion": {
                    "charOffset": r.char_offset,
                    "charLength": r.char_length,
                    "startLine": r.start_line,
                    "startColumn": r.start_column,
                    "endLine": r.end_line,
                    "endColumn": r.end_column,
                },
                "insertedContent": {"text": r.text},
            }
            for r in fix.replacements
        ]
        description = fix.description or f"Read the value from the environment variable {fix.env_name}"
        if fix.needs_os_import:
            description = f"{description} (adds `import os`)"
        result["fixes"] = [
            {
                "description": {"text": description},
                "artifactChanges": [{"artifactLocation": dict(location), "replacements": replacements}],
            }
        ]
    return result


def _notification(err: FileError, root_abs: Path) -> dict[str, Any]:
    notification: dict[str, Any] = {
        "level": "error",
        "message": {"text": err.message or "error"},
    }
    if err.path:
        notification["locations"] = [
            {"physicalLocation": {"artifactLocation": _artifact_location(err.path, root_abs)}}
        ]
    return notification


def _fingerprint(key: tuple[str, str, str, str], occurrence: int) -> str:
    """Stable across runs and line shifts; built only from non-secret fields."""
    material = "\0".join((*key, str(occurrence)))
    return hashlib.sha256(material.encode("utf-8")).hexdigest()


def _artifact_location(path: str, root_abs: Path) -> dict[str, str]:
    """``uri`` relative to `root_abs` (with ``uriBaseId``) when the file is under it, else a file URI."""
    path_abs = Path(os.path.abspath(path))
    relative = _relative_to(path_abs, root_abs)
    if relative is None:
        try:
            relative = _relative_to(path_abs.resolve(), root_abs.resolve())
        except (OSError, RuntimeError):
            relative = None
    if relative is not None and relative.parts:
        return {"uri": quote(relative.as_posix(), safe="/"), "uriBaseId": SRCROOT}
    return {"uri": path_abs.as_uri()}


def _relative_to(path: PurePath, root: PurePath) -> PurePath | None:
    try:
        return path.relative_to(root)
    except ValueError:
        return None


def _directory_uri(directory: Path) -> str:
    uri = directory.as_uri()
    return uri if uri.endswith("/") else uri + "/"


# --------------------------------------------------------------------------- #
# helpers
# --------------------------------------------------------------------------- #


def _sorted(findings: Iterable[Finding]) -> list[Finding]:
    return sorted(findings, key=lambda f: f.sort_key)


def _sorted_errors(errors: Iterable[FileError]) -> list[FileError]:
    return sorted(errors, key=lambda e: (e.path, e.message))


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def _one_line(text: str) -> str:
    return text.replace("\r\n", " ").replace("\n", " ").replace("\r", " ")


class _Scrubbers:
    """A `_Scrubber` per file: what is said about a file can only hold that file's secrets.

    Scrubbing every string with every secret of the run grew as findings x output and
    took a minute on a 5,000-finding SARIF report.
    """

    def __init__(self, findings: Iterable[Finding]) -> None:
        by_path: dict[str, set[str]] = {}
        for f in findings:
            if f.fix is not None:
                by_path.setdefault(f.path, set()).add(f.fix.secret)
        self._by_path = {path: _Scrubber(secrets) for path, secrets in by_path.items()}
        self._none = _Scrubber(())
        # Errors are few, and may name another file than the one whose secret they hold.
        self.for_errors = _Scrubber(secret for secrets in by_path.values() for secret in secrets)

    def for_path(self, path: str) -> _Scrubber:
        return self._by_path.get(path, self._none)


class _Scrubber:
    """Replace every known secret (from the findings' fixes) with its redacted form."""

    def __init__(self, secrets: Iterable[str]) -> None:
        # Longest first, so a secret that contains another is replaced whole.
        self._secrets = sorted({s for s in secrets if len(s) >= _MIN_SCRUB_LENGTH}, key=len, reverse=True)

    def __call__(self, text: str) -> str:
        for secret in self._secrets:
            if secret in text:
                text = text.replace(secret, redact(secret))
        return text

    def tree(self, value: Any) -> Any:
        """Scrub every string (keys included) in a JSON-ready tree."""
        if not self._secrets:
            return value
        if isinstance(value, str):
            return self(value)
        if isinstance(value, dict):
            return {self(str(k)): self.tree(v) for k, v in value.items()}
        if isinstance(value, list):
            return [self.tree(v) for v in value]
        return value
