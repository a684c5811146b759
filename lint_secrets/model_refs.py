"""Model references: what a Replicate call targets, how it is written, and where the cache keeps it.

A `ModelRef` is a model (its latest version), one version of a model, or a deployment. Code,
the command line (`schemas pull`, `schemas show`) and the cache all name models through it.
The cache keeps raw API responses at their API path under the cache directory:

    models/<owner>/<name>.json                  GET /v1/models/{owner}/{name}
    models/<owner>/<name>/versions/<id>.json    GET /v1/models/{owner}/{name}/versions/{id}
    deployments/<owner>/<name>.json             GET /v1/deployments/{owner}/{name}

`ModelRef.cache_path` is the one place that maps a ref to its entry, `cached_ref` the way back.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal, Optional, Tuple

from lint_secrets.records import Record
from lint_secrets.redact import credential_in, redact, redact_token_shapes

RefKind = Literal["model", "version", "deployment"]
KINDS: Tuple[RefKind, ...] = ("model", "version", "deployment")

# How code names a model: what `replicate.run("owner/name")` accepts.
NAME_PART = r"[A-Za-z0-9][A-Za-z0-9._-]*"
MODEL_NAME = re.compile(rf"^({NAME_PART})/({NAME_PART})$")
VERSION_ID = re.compile(r"^[0-9a-f]{64}$")
# What any ref's owner or name may hold: nothing that can leave the cache directory.
_COMPONENT = re.compile(r"[A-Za-z0-9._-]+")
_ANY_CASE_VERSION_ID = re.compile(r"[0-9a-fA-F]{64}")
#: Longest owner or name component `schemas pull` accepts.
MAX_COMPONENT_LENGTH = 128
DEPLOYMENT_PREFIX = "deployment:"
# A model page on the website: https://replicate.com/<owner>/<name>[/...]
_WEB_ADDRESS = re.compile(r"(?:https?://)?(?:www\.)?replicate\.com/([^/?#\s]+)/([^/?#\s]+)", re.IGNORECASE)
_FORMS = "expected owner/name, owner/name:<64-hex version id> or deployment:owner/name"
# Where each kind of entry lies in the cache, in the order `schemas list` shows them.
CACHE_PATTERNS = ("models/*/*.json", "models/*/*/versions/*.json", "deployments/*/*.json")


@dataclass(frozen=True, repr=False, eq=False)
class ModelRef(Record):
    """What a call targets: a model's latest version, one version, or a deployment.

    `owner` and `name` are None only for a bare version id (`replicate.run("<64 hex>")`).
    Every ref is well formed (checked on construction), so its cache path never leaves the
    cache directory; whether it may be fetched is `check_pullable`'s question."""

    kind: RefKind
    owner: Optional[str]
    name: Optional[str]
    version: Optional[str] = None

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"unknown kind {self.kind!r}; expected one of {KINDS}")
        if self.kind == "version":
            if self.version is None or not VERSION_ID.fullmatch(self.version):
                raise ValueError("a version ref needs a 64-character lowercase hex version id")
        elif self.version is not None:
            raise ValueError(f"a {self.kind} ref takes no version id")
        if self.owner is None and self.name is None and self.kind == "version":
            return
        for part, what in ((self.owner, "owner"), (self.name, "name")):
            if part is None or not _is_component(part):
                raise ValueError(f"invalid {what} {part!r}")

    def display(self) -> str:
        """How findings name it: a version by a 12-character prefix of its id. A credential
        written where the model goes (`replicate.run("acme/r8_...")`) shows as a prefix only,
        as the missing-schema note shows it: messages reach terminals, CI logs and SARIF."""
        if self.owner is None:
            return f"version {self.version}"
        return _displayed(self.kind == "deployment", self.owner, self.name, self.version)

    @property
    def model_name(self) -> Optional[str]:
        return f"{self.owner}/{self.name}" if self.owner else None

    def pull_ref(self) -> str:
        """What to pass to `lint-secrets schemas pull` to fetch this (`parse_pull_ref` reads it back)."""
        if self.kind == "deployment":
            return f"{DEPLOYMENT_PREFIX}{self.owner}/{self.name}"
        if self.owner is None:
            return str(self.version)
        if self.version:
            return f"{self.owner}/{self.name}:{self.version}"
        return f"{self.owner}/{self.name}"

    def of_model(self) -> ModelRef:
        """The model this version belongs to: its response holds the latest version too."""
        return ModelRef("model", self.owner, self.name)

    def api_path(self) -> str:
        """Where the Replicate API serves it, below the API's base URL."""
        if self.owner is None:
            raise ValueError("a bare version id has no API path of its own")
        if self.kind == "deployment":
            return f"/deployments/{self.owner}/{self.name}"
        if self.kind == "version":
            return f"/models/{self.owner}/{self.name}/versions/{self.version}"
        return f"/models/{self.owner}/{self.name}"

    def cache_path(self) -> str:
        """Where the cache keeps its API response, relative to the cache directory."""
        return f"{self.api_path()[1:]}.json"


# Every finding on a model's call names it, each time redacted: once per model and version.
@lru_cache(maxsize=256)
def _displayed(deployment: bool, owner: str, name: Optional[str], version: Optional[str]) -> str:
    if deployment:
        return redact_token_shapes(f"deployment {owner}/{name}")
    if version:
        return redact_token_shapes(f"{owner}/{name}:{version[:12]}")
    return redact_token_shapes(f"{owner}/{name}")


def cached_ref(relative: str) -> Optional[ModelRef]:
    """The ref whose response the cache entry `relative` holds (see CACHE_PATTERNS), or None."""
    parts = relative.split("/")
    if not parts[-1].endswith(".json"):
        return None
    stem = parts[-1][: -len(".json")]
    if len(parts) == 3 and parts[0] == "models":
        return parse_model_ref(f"{parts[1]}/{stem}")
    if len(parts) == 5 and parts[0] == "models" and parts[3] == "versions":
        return parse_model_ref(f"{parts[1]}/{parts[2]}:{stem}")
    if len(parts) == 3 and parts[0] == "deployments":
        return parse_deployment_ref(f"{parts[1]}/{stem}")
    return None


# ------------------------------------------------------------------- from code


def parse_model_ref(text: str) -> Optional[ModelRef]:
    """`owner/name`, `owner/name:version` or a bare version id; None if it is none of those."""
    if VERSION_ID.fullmatch(text):
        return ModelRef("version", None, None, text)
    model, sep, version = text.partition(":")
    match = MODEL_NAME.fullmatch(model)
    if not match or _bad_part(match.group(1)) or _bad_part(match.group(2)):
        return None
    if sep:
        if not VERSION_ID.fullmatch(version):
            return None
        return ModelRef("version", match.group(1), match.group(2), version)
    return ModelRef("model", match.group(1), match.group(2))


def parse_deployment_ref(text: str) -> Optional[ModelRef]:
    match = MODEL_NAME.fullmatch(text)
    if not match or _bad_part(match.group(1)) or _bad_part(match.group(2)):
        return None
    return ModelRef("deployment", match.group(1), match.group(2))


def _bad_part(part: str) -> bool:
    return part in (".", "..")


def _is_component(part: str) -> bool:
    return bool(_COMPONENT.fullmatch(part)) and not _bad_part(part)


# ------------------------------------------------------- from the command line


def refuse_credential(text: str, known: Optional[str] = None) -> None:
    """ValueError, naming it only by a redacted prefix, for a credential typed into `text`
    (a model reference): it would be echoed in errors and sent in the request's path."""
    for part in re.split(r"[/:\s]+", text):
        if _ANY_CASE_VERSION_ID.fullmatch(part):
            continue
        word = credential_in(part, known)
        if word is not None:
            raise ValueError(
                f"{redact(word)} looks like an API token, not part of a model reference;"
                " refused, nothing sent"
            )


def _check_component(value: str, what: str) -> None:
    refuse_credential(value)
    if not value:
        raise ValueError(f"empty {what}; {_FORMS}")
    if len(value) > MAX_COMPONENT_LENGTH:
        raise ValueError(f"{what} is longer than {MAX_COMPONENT_LENGTH} characters")
    if not _is_component(value):
        raise ValueError(
            f"invalid {what} {value!r}: only letters, digits, '-', '_' and '.' are"
            " allowed, and it can't be '.' or '..'"
        )


def check_pullable(ref: ModelRef) -> None:
    """ValueError (one line, nothing of a credential) unless `schemas pull` may fetch `ref`:
    its model is named, and neither part is over-long or shaped like an API token."""
    if ref.owner is None or ref.name is None:
        raise ValueError("a bare version id can't be fetched by itself; use owner/name:<id>")
    _check_component(ref.owner, "owner")
    _check_component(ref.name, "name")


def _parse_owner_name(text: str, original: str) -> Tuple[str, str]:
    parts = text.split("/")
    if len(parts) != 2:
        raise ValueError(f"invalid reference {original!r}: {_FORMS}")
    owner, name = parts
    _check_component(owner, "owner")
    _check_component(name, "name")
    return owner, name


def parse_pull_ref(text: str) -> ModelRef:
    """Parse ``owner/name``, ``owner/name:<id>`` or ``deployment:owner/name`` typed by a user.

    Raises ValueError with a one-line message for anything else. The owner and
    name may only hold letters, digits, ``-``, ``_`` and ``.`` (and are neither
    ``.`` nor ``..``), so a ref can never point outside the cache directory.
    """
    refuse_credential(text)
    original = text
    text = text.strip()
    if not text:
        raise ValueError(f"empty reference; {_FORMS}")
    if _ANY_CASE_VERSION_ID.fullmatch(text):
        raise ValueError("a bare version id can't be fetched by itself; use owner/name:<id>")
    web = _WEB_ADDRESS.match(text)
    if web is not None or "://" in text:
        # A model page's address, copied from the browser: name the ref it stands for.
        model = f"{web.group(1)}/{web.group(2)}" if web is not None else None
        if model is not None and parse_model_ref(model) is not None:
            raise ValueError(f"a web address, not a model reference; give {model}")
        raise ValueError(f"a web address, not a model reference; {_FORMS}")
    if text.startswith(DEPLOYMENT_PREFIX):
        rest = text[len(DEPLOYMENT_PREFIX) :]
        if ":" in rest:
            raise ValueError(
                f"invalid reference {original!r}: a deployment takes no version id; use deployment:owner/name"
            )
        owner, name = _parse_owner_name(rest, original)
        return ModelRef("deployment", owner, name)
    if ":" in text:
        owner_name, _, version = text.partition(":")
        if not _ANY_CASE_VERSION_ID.fullmatch(version):
            raise ValueError(
                f"invalid reference {original!r}: the version after ':' must be a 64-character hex id"
            )
        owner, name = _parse_owner_name(owner_name, original)
        return ModelRef("version", owner, name, version.lower())
    owner, name = _parse_owner_name(text, original)
    return ModelRef("model", owner, name)


def parse_shown_ref(text: str) -> Optional[ModelRef]:
    """What `schemas show` accepts: a ref as code writes it, or `deployment:owner/name`, read as
    `parse_pull_ref` reads it (surrounding blanks dropped, a version id in any case), so what
    `schemas pull` fetched is found when typed the same way."""
    text = text.strip()
    if text.startswith(DEPLOYMENT_PREFIX):
        return parse_deployment_ref(text[len(DEPLOYMENT_PREFIX) :])
    model, sep, version = text.rpartition(":") if ":" in text else ("", "", text)
    if _ANY_CASE_VERSION_ID.fullmatch(version):
        text = f"{model}{sep}{version.lower()}"
    return parse_model_ref(text)
