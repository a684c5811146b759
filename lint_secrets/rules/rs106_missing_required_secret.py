"""RS106 missing-required-secret."""

from __future__ import annotations

import ast
from typing import ClassVar, FrozenSet, Iterable, Iterator, Optional

from lint_secrets.analysis.env_reads import InputValue, call_inputs
from lint_secrets.analysis.replicate_sdk import CallForm
from lint_secrets.analysis.values import argument
from lint_secrets.rules.base import (
    Candidate,
    Invalid,
    Rule,
    RuleContext,
    Valid,
    cached_schema,
    resolved_ref,
)
from lint_secrets.schemas import TRAINING

# How far (in single-character edits, after ignoring `_` and case) a name the schema does not
# know may be from a secret input's to be called its typo: `hf_tokn`, `hftoken`, `HF_Token`.
MAX_TYPO_DISTANCE = 2


class MissingRequiredSecret(Rule):
    """Finds calls that do not pass a secret input the model requires.

    Replicate's advice is to check which secrets a model requires before running it: a
    prediction (or training) without a required input fails validation, after the call has
    been made. Reported only when the code says every input the call sends (no `**inputs`
    or dict from elsewhere that could hold it, no dict another function fills). A
    functional problem, not a security one: SARIF reports it as a warning. When an input
    the schema does not know is a small edit away from the missing one (`hf_tokn` for
    `hf_token`), the message names the likely typo: the secret never reached the model.
    Not fixable: the value must come from somewhere only you know.
    """

    code = "RS106"
    name = "missing-required-secret"
    summary = "The call does not pass a secret input that the model's schema requires"
    fixable = False
    imports = ("replicate",)
    needles = (b"api.replicate.com",)  # requests to the REST API (analysis/http.py)
    precision: ClassVar[str] = "high"
    security_severity: ClassVar[str] = "2.0"
    cwe = None  # a prediction that fails, not a weakness
    reports_secret = False

    INVALID = (
        Invalid(
            """
            import replicate

            replicate.run("example/text-to-speech", input={"text": "hi"})
            """,
            line=3,
            column=47,
        ),
        Invalid(
            """
            import os

            import replicate

            replicate.run(
                "example/text-to-speech",
                input={"text": "hi", "elevenlabs_api_kye": os.environ["ELEVENLABS_API_KEY"]},
            )
            """,
            line=7,
            column=26,
        ),
    )
    VALID = (
        Valid(
            """
            import os

            import replicate

            key = os.environ["ELEVENLABS_API_KEY"]
            replicate.run("example/text-to-speech", input={"text": "hi", "elevenlabs_api_key": key})
            """
        ),
        # The secret may be in what the caller passes.
        Valid(
            """
            import replicate


            def speak(text: str, **credentials: str) -> object:
                return replicate.run("example/text-to-speech", input={"text": text, **credentials})
            """
        ),
        # Another function fills the dict before this call runs.
        Valid(
            """
            import os

            import replicate

            INPUTS = {"text": "hi"}


            def setup() -> None:
                INPUTS["elevenlabs_api_key"] = os.environ["ELEVENLABS_API_KEY"]


            def speak() -> object:
                return replicate.run("example/text-to-speech", input=INPUTS)
            """
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
            required = schema.required.get(call.kind, frozenset()) & schema.secrets[call.kind]
            if not required:
                continue
            inputs = call_inputs(sdk, call)
            if not inputs.complete:
                continue
            missing = sorted(required - inputs.names())
            known: FrozenSet[str] = frozenset(schema.inputs.get(call.kind, {}))
            unknown = [v for v in inputs.values if v.name not in known]
            ref = resolved_ref(context, call)
            model = ref.display() if ref and missing else "?"  # shown only when a secret is missing
            for name in missing:
                typo = _likely_typo(name, unknown)
                if typo is not None:
                    node: ast.expr = typo.key if typo.key is not None else typo.value
                    message = (
                        f"{model} requires secret input {name!r}, which the call does not pass; "
                        f"{typo.name!r} is probably a typo for it: the secret never reaches the model"
                    )
                else:
                    rest_inputs = call.inputs_at[0] if call.inputs_at is not None else None
                    node = _inputs_node(call.node, call.form) or rest_inputs or call.node
                    run = "training" if call.kind == TRAINING else "prediction"
                    message = (
                        f"{model} requires secret input {name!r}, which the call does not pass: "
                        f"the {run} will fail"
                    )
                yield Candidate(
                    self.code,
                    node,
                    f"missing:{name}",
                    message,
                    model=ref,
                    input=name,
                    call_line=call.node.lineno,
                    call_end_line=call.node.end_lineno,
                )


def _inputs_node(call: ast.Call, form: Optional[CallForm]) -> Optional[ast.expr]:
    """The argument that holds the inputs (None: they are keyword arguments, or absent)."""
    if form is None or form.input_name is None:
        return None
    return argument(call, form.input_position, form.input_name)


def _likely_typo(name: str, unknown: Iterable[InputValue]) -> Optional[InputValue]:
    wanted = _normal(name)
    best: Optional[InputValue] = None
    best_distance = MAX_TYPO_DISTANCE + 1
    for value in unknown:
        distance = edit_distance(wanted, _normal(value.name), best_distance)
        if distance < best_distance:
            best, best_distance = value, distance
    return best


def _normal(name: str) -> str:
    return name.replace("_", "").replace("-", "").lower()


def edit_distance(a: str, b: str, limit: int) -> int:
    """Levenshtein distance, or `limit` when it is at least that (short names: plain rows)."""
    if abs(len(a) - len(b)) >= limit:
        return limit
    previous = list(range(len(b) + 1))
    for i, char_a in enumerate(a, start=1):
        current = [i]
        for j, char_b in enumerate(b, start=1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (char_a != char_b)))
        if min(current) >= limit:
            return limit
        previous = current
    return min(previous[-1], limit)
