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
from typing import Any, Dict, List, Sequence

from lint_secrets.findings import Finding

FORMAT_VERSION = 1
_HEX = re.compile(r"^[0-9a-f]{64}$")
_SALT = re.compile(r"^[0-9a-f]{32,128}$")


class BaselineError(Exception):
    """The baseline file can't be read or written; the message names it."""


@dataclass(frozen=True)
class Baseline:
    path: Path
    salt: str
    hashes: Dict[str, int]  # fingerprint -> how many findings share it

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
        return cls(path, *_parse(document, path))

    def fingerprint(self, finding: Finding) -> str:
        return fingerprint(finding, self.salt, self.path.parent)

    def new_findings(self, findings: Sequence[Finding]) -> List[Finding]:
        """The findings the baseline does not account for. Two findings alike (the same value
        twice in a file) are two entries: a third one is new."""
        left = Counter(self.hashes)
        new = []
        for finding in sorted(findings, key=lambda f: f.sort_key):
            key = self.fingerprint(finding)
            if left[key] > 0:
                left[key] -= 1
            else:
                new.append(finding)
        return new


def _parse(document: Any, path: Path) -> tuple[str, Dict[str, int]]:
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
    return salt, dict(hashes)


def fingerprint(finding: Finding, salt: str, base: Path) -> str:
    relative = Path(os.path.relpath(os.path.abspath(finding.path), os.path.abspath(base))).as_posix()
    parts = (
        salt,
        relative,
        finding.code,
        finding.model or "",
        finding.input or "",
        finding.secret_digest or "",
    )
    return hashlib.sha256("\0".join(parts).encode("utf-8", "surrogatepass")).hexdigest()


def write_baseline(path: Path, findings: Sequence[Finding]) -> int:
    """Record `findings` in `path`, replacing what it held; returns how many.

    An existing baseline's salt is kept, so entries that did not change stay the same line
    in version control."""
    salt = secrets.token_hex(16)
    try:
        salt = Baseline.read(path).salt
    except BaselineError:
        pass
    base = path.parent
    entries = sorted(
        (
            {
                "path": Path(os.path.relpath(os.path.abspath(f.path), os.path.abspath(base))).as_posix(),
                "code": f.code,
                "hash": fingerprint(f, salt, base),
            }
            for f in findings
        ),
        key=lambda e: (e["path"], e["code"], e["hash"]),
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
    return len(entries)


__all__ = ["Baseline", "BaselineError", "fingerprint", "write_baseline"]
