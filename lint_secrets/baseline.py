"""Baselines: the findings a repository already had, so that only new ones are reported.

The file never holds a secret, nor anything to test a guess against without the file:
each finding is a SHA-256 of a random salt (kept in the file), the finding's path (relative
to the baseline file), code, model and input, and a digest of the secret value. The line
number is left out, so editing above a known finding does not bring it back.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import secrets
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Dict, Iterable, List, Optional, Sequence, Tuple

from lint_secrets.findings import Finding
from lint_secrets.records import Record

if TYPE_CHECKING:
    from lint_secrets.model_refs import ModelRef

FORMAT_VERSION = 1
_HEX = re.compile(r"^[0-9a-f]{64}$")
_SALT = re.compile(r"^[0-9a-f]{32,128}$")


class BaselineError(Exception):
    """The baseline file can't be read or written; the message names it."""


@dataclass(frozen=True, repr=False, eq=False)
class Baseline(Record):
    path: Path
    salt: str
    hashes: Dict[str, int]  # fingerprint -> how many findings share it
    # The entries as written, so a partial `--write-baseline` can keep the ones it did not check.
    entries: Tuple[Dict[str, Any], ...] = ()

    @classmethod
    def read(cls, path: Path) -> Baseline:
        try:
            document = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise BaselineError(f"{path}: no such baseline; write one with --write-baseline") from None
        except OSError as exc:
            raise BaselineError(f"{path}: cannot read: {exc.strerror or exc}") from None
        except (ValueError, UnicodeDecodeError) as exc:
            raise BaselineError(f"{path}: not a lint-secrets baseline: {exc}") from None
        salt, hashes, entries = _parse(document, path)
        return cls(path, salt, hashes, entries)

    def fingerprint(self, finding: Finding) -> str:
        return fingerprint(finding, self.salt, self.path.parent)

    def new_findings(self, findings: Sequence[Finding]) -> List[Finding]:
        """The findings the baseline does not account for. Two findings alike (the same value
        twice in a file) are two entries: a third one is new."""
        left = Counter(self.hashes)
        new = []
        for finding in sorted(findings, key=lambda f: f.sort_key):
            for key in dict.fromkeys((self.fingerprint(finding), self._pinned_fingerprint(finding))):
                if left[key] > 0:
                    left[key] -= 1
                    break
            else:
                new.append(finding)
        return new

    def _pinned_fingerprint(self, finding: Finding) -> str:
        # Written before model versions were left out: "owner/name:version" in the hash.
        return fingerprint(finding, self.salt, self.path.parent, with_version=True)


def _parse(document: Any, path: Path) -> Tuple[str, Dict[str, int], Tuple[Dict[str, Any], ...]]:
    def bad(why: str) -> BaselineError:
        return BaselineError(f"{path}: not a lint-secrets baseline: {why}")

    if not isinstance(document, dict) or document.get("tool") != "lint-secrets":
        raise bad('no "tool": "lint-secrets"')
    if document.get("version") != FORMAT_VERSION:
        raise bad(f"version {document.get('version')!r}; this lint-secrets reads version {FORMAT_VERSION}")
    salt = document.get("salt")
    if not isinstance(salt, str) or not _SALT.match(salt):
        raise bad('"salt" must be a hexadecimal string')
    entries = document.get("findings")
    if not isinstance(entries, list):
        raise bad('"findings" must be a list')
    hashes: Counter[str] = Counter()
    for entry in entries:
        value = entry.get("hash") if isinstance(entry, dict) else None
        if not isinstance(value, str) or not _HEX.match(value):
            raise bad('each finding needs a "hash" of 64 hexadecimal digits')
        hashes[value] += 1
    return salt, dict(hashes), tuple(entries)


def fingerprint(finding: Finding, salt: str, base: Path, *, with_version: bool = False) -> str:
    """The entry of `finding`. The model is named without its version: pinning a call to a
    new version of the same model does not make its secret a new finding."""
    parts = (
        salt,
        _relative(finding.path, base),
        finding.code,
        _model_text(finding.model, with_version),
        finding.input or "",
        finding.secret_digest or "",
    )
    return hashlib.sha256("\0".join(parts).encode("utf-8", "surrogatepass")).hexdigest()


def _model_text(model: Optional[ModelRef], with_version: bool) -> str:
    """The model as baselines have always hashed it: as findings show it (ModelRef.display),
    a version as its model unless `with_version`."""
    if model is None:
        return ""
    if model.kind == "version" and model.owner is not None and not with_version:
        return model.of_model().display()
    return model.display()


def _relative(path: str, base: Path) -> str:
    return Path(os.path.relpath(os.path.abspath(path), os.path.abspath(base))).as_posix()


def write_baseline(
    path: Path, findings: Sequence[Finding], checked: Optional[Iterable[str]] = None
) -> Tuple[int, int]:
    """Record `findings` in `path`; returns how many entries it holds, and how many of them
    were kept from before.

    With `checked` (the files the run checked), an existing baseline's entries for other
    files that still exist are kept, as detect-secrets keeps them: a run over part of the
    repository (some paths, `--changed`, a sub-project whose configuration is broken) does
    not forget the rest. Without it, the findings replace everything. The salt is kept, so
    entries that did not change stay the same line in version control."""
    salt = secrets.token_hex(16)
    kept: List[Dict[str, Any]] = []
    base = path.parent
    try:
        previous = Baseline.read(path)
    except BaselineError:
        previous = None
    if previous is not None:
        salt = previous.salt
        if checked is not None:
            done = {_relative(name, base) for name in checked}
            kept = [
                entry
                for entry in previous.entries
                if not isinstance(entry.get("path"), str)
                or (entry["path"] not in done and (base / entry["path"]).exists())
            ]
    new = [
        {"path": _relative(f.path, base), "code": f.code, "hash": fingerprint(f, salt, base)}
        for f in findings
    ]
    entries = sorted(
        [*new, *kept], key=lambda e: (str(e.get("path", "")), str(e.get("code", "")), str(e["hash"]))
    )
    document = {
        "tool": "lint-secrets",
        "version": FORMAT_VERSION,
        "about": "Known findings, hashed: `lint-secrets check --baseline` reports only others.",
        "salt": salt,
        "findings": entries,
    }
    from lint_secrets.atomic import replace_file

    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        replace_file(path, (json.dumps(document, indent=2) + "\n").encode("utf-8"))
    except OSError as exc:
        raise BaselineError(f"{path}: cannot write: {exc.strerror or exc}") from None
    return len(entries), len(kept)


__all__ = ["Baseline", "BaselineError", "fingerprint", "write_baseline"]
