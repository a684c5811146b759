"""RS104 secret-to-unredacted-input."""

from __future__ import annotations

from typing import TYPE_CHECKING, FrozenSet, Iterator, List, Mapping, Optional, Sequence

from lint_secrets.analysis.env_reads import EnvRead, call_inputs, secret_read
from lint_secrets.model_refs import parse_model_ref
from lint_secrets.rules.base import (
    Candidate,
    Invalid,
    Rule,
    RuleContext,
    Valid,
    cached_schema,
    model_names,
    resolved_ref,
    unredacted_input,
)

if TYPE_CHECKING:
    from lint_secrets.schemas import SchemaStore


class SecretToUnredactedInput(Rule):
    """Finds a secret from the environment sent to an input the model does not declare Secret.

    Replicate ties redaction to cog's `Secret` type (`x-cog-secret` in the model's schema;
    cog writes it for every `Secret`). Any other input, a `format: password` string included
    (the web UI shows a password field for it), is not known to be redacted: it stays in
    the prediction's record, visible in the web UI, returned by the API to anyone who can
    read the prediction, and to the model's author. A token read from `HF_TOKEN` and sent to
    a plain-string input is stored there in clear.

    "Secret" here means a value read from an environment variable whose name says it is a
    credential, by its last word (`*_TOKEN`, `*_API_KEY`, `*_SECRET`, `*_PASSWORD`, a
    service's `*_KEY`, `*_PAT`; not `MAX_TOKENS`, `EOS_TOKEN`, `PASSWORD_RESET_URL` or
    `GOOGLE_APPLICATION_CREDENTIALS`, a path), or named in `secret-env-names` (and not in
    `non-secret-env-names`), directly or through a name, attribute, settings field, helper
    or text built from such a read. A value that is also a literal (a fallback, a field's
    default) is RS101/RS102's finding, whose message says the input is not redacted either:
    one finding per value. Not fixable: only the model's author can declare the input
    secret. A team that has accepted the risk for a model says so once:

        [tool.lint-secrets.models."victor-upmeet/whisperx"]
        accept-unredacted = ["huggingface_access_token"]
    """

    code = "RS104"
    name = "secret-to-unredacted-input"
    summary = "A secret read from the environment reaches an input that the model's schema does not redact"
    fixable = False
    imports = ("replicate",)
    needles = (b"api.replicate.com",)  # requests to the REST API (analysis/http.py)
    # A value that is also a literal (`os.getenv("HF_TOKEN", "hf_...")`, a settings field's
    # default) is the literal's finding, whose message adds that the input is not redacted.
    yields_to = ("RS101", "RS102", "RS103")
    precision = "high"
    security_severity = "6.5"
    cwe = "CWE-312"  # Cleartext Storage of Sensitive Information (the prediction record)

    INVALID = (
        Invalid(
            """
            import os

            import replicate

            replicate.run(
                "example/whisper-diarize",
                input={"audio_file": "a.wav", "huggingface_access_token": os.environ["HF_TOKEN"]},
            )
            """,
            line=7,
            column=63,
        ),
        Invalid(
            """
            import os

            import replicate

            token = os.getenv("HF_TOKEN")
            replicate.run(
                "example/whisper-diarize",
                input={"audio_file": "a.wav", "huggingface_access_token": token},
            )
            """,
            line=8,
            column=63,
        ),
    )
    VALID = (
        # The input is declared secret: Replicate redacts it.
        Valid(
            """
            import os

            import replicate

            key = os.environ["ELEVENLABS_API_KEY"]
            replicate.run("example/text-to-speech", input={"text": "hi", "elevenlabs_api_key": key})
            """
        ),
        # MODEL_NAME is not a credential's name, PASSWORD_RESET_URL ends as a URL, and config
        # says DEMO_TOKEN holds no credential.
        Valid(
            """
            import os

            import replicate

            replicate.run(
                "example/whisper-diarize",
                input={"audio_file": os.environ["PASSWORD_RESET_URL"], "language": os.environ["MODEL_NAME"]},
            )
            demo = os.environ["DEMO_TOKEN"]
            replicate.run("example/whisper-diarize", input={"huggingface_access_token": demo})
            """,
            config='non-secret-env-names = ["DEMO_TOKEN"]',
        ),
        # The team has accepted it for this model.
        Valid(
            """
            import os

            import replicate

            replicate.run(
                "example/whisper-diarize",
                input={"audio_file": "a.wav", "huggingface_access_token": os.environ["HF_TOKEN"]},
            )
            """,
            config="""
            [tool.lint-secrets.models."example/whisper-diarize"]
            accept-unredacted = ["huggingface_access_token"]
            """,
        ),
    )

    def check(self, context: RuleContext) -> Iterator[Candidate]:
        sdk = context.analysis.sdk
        if sdk is None:
            return
        for call in context.analysis.calls:
            schema = cached_schema(context, call)
            if schema is None:
                continue
            redacted = schema.redacted.get(call.kind, frozenset())
            # An input the schema doesn't know is RS106's typo, or a model's undocumented input.
            known = schema.inputs.get(call.kind, {})
            accepted = frozenset().union(
                *(context.accept_unredacted.get(name, frozenset()) for name in model_names(context, call))
            )
            ref = resolved_ref(context, call)
            for value in call_inputs(sdk, call).values:
                if value.name in redacted or value.name in accepted or value.name not in known:
                    continue
                read = secret_read(
                    sdk,
                    value.value,
                    value.scope,
                    value.line,
                    context.credential_env_names,
                    context.non_credential_env_names,
                )
                if read is None:
                    continue
                model = ref.display() if ref else "?"  # here: most calls send no secret read
                shown = unredacted_input(context, call, value.name)
                marked = (
                    "shows it as a password field, not a cog Secret"
                    if shown == "a password field"
                    else "does not declare it a cog Secret"
                )
                message = (
                    f"Secret from ${read.variable}{_via(read)} sent to input {value.name!r} of {model}, "
                    f"whose schema {marked}: it is not known to be redacted, so it stays in the "
                    f"prediction's record for the web UI, the API and the model's author to read"
                )
                yield Candidate(
                    self.code,
                    value.value,
                    f"env:{read.variable}",
                    message,
                    model=ref,
                    input=value.name,
                    call_line=call.node.lineno,
                    call_end_line=call.node.end_lineno,
                )


def _via(read: EnvRead) -> str:
    via: Optional[str] = read.via
    return f" (via {via})" if via else ""


def unknown_accepted_inputs(accepted: Mapping[str, FrozenSet[str]], schemas: SchemaStore) -> List[str]:
    """An error for each `accept-unredacted` name that is not an input of its model's cached
    schema (with the nearest input): it would silence nothing, silently. A model whose schema
    is not cached has nothing to check the names against: no error. `schemas` must be the
    cache alone (no `secret-inputs` declared in the configuration)."""
    errors: List[str] = []
    for model, names in sorted(accepted.items()):
        ref = parse_model_ref(model)
        schema = schemas.lookup(ref) if ref is not None and names else None
        if schema is None:
            continue
        inputs = sorted({name for kind in schema.inputs.values() for name in kind})
        for name in sorted(names - set(inputs)):
            errors.append(
                f'[tool.lint-secrets.models."{model}"] accept-unredacted names {name!r}, which is not an '
                f"input of the model's cached schema{_did_you_mean(name, inputs)}"
            )
    return errors


def accept_unredacted_notes(context: RuleContext) -> List[str]:
    """What a run should say of `accept-unredacted` entries naming a model close to one called
    here that the cache does not know: it would silence nothing, silently. (An input the
    cached schema lacks is an error of the configuration: unknown_accepted_inputs.)"""
    notes: List[str] = []
    if not context.accept_unredacted:
        return notes
    for call in context.analysis.calls:
        schema = cached_schema(context, call)
        if schema is None:
            continue
        names = model_names(context, call)
        for key in context.accept_unredacted:
            ref = parse_model_ref(key)
            if key in names or ref is None or context.schemas.lookup(ref) is not None:
                continue
            close = _did_you_mean(key, names)
            if close:
                notes.append(
                    f'[tool.lint-secrets.models."{key}"] accept-unredacted: no such model in the schema '
                    f"cache{close}"
                )
    return list(dict.fromkeys(notes))


def _did_you_mean(name: str, known: Sequence[str]) -> str:
    import difflib

    close = difflib.get_close_matches(name, known, n=1, cutoff=0.8)
    return f" (did you mean {close[0]!r}?)" if close else ""
