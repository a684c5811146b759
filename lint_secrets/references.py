"""Which models a project's code refers to: the same resolution `check` uses."""

from __future__ import annotations

from typing import Dict, List, Sequence

from lint_secrets.analysis import analyze
from lint_secrets.findings import FileError
from lint_secrets.prefilter import could_hold_findings
from lint_secrets.schemas import ModelRef
from lint_secrets.source import SourceError, decode_source, parse_python


def referenced_models(paths: Sequence[str]) -> tuple[List[ModelRef], List[FileError]]:
    """Every model, version and deployment the files' Replicate calls target, first seen first."""
    found: Dict[ModelRef, None] = {}
    errors: List[FileError] = []
    for path in paths:
        try:
            with open(path, "rb") as handle:
                data = handle.read()
        except OSError as exc:
            errors.append(FileError(path, f"cannot read: {exc.strerror or exc}"))
            continue
        if not could_hold_findings(data):
            continue
        try:
            tree = parse_python(decode_source(data).text)
        except SourceError as exc:
            errors.append(FileError(path, str(exc)))
            continue
        if isinstance(tree, str):
            errors.append(FileError(path, tree))
            continue
        for call in analyze(tree).calls:
            if call.ref is not None:
                found.setdefault(call.ref, None)
    return list(found), errors
