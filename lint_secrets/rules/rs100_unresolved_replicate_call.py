"""RS100 unresolved-replicate-call."""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING, Iterator, List

from lint_secrets.heuristics import secret_sounding_name
from lint_secrets.rules.base import Candidate, Invalid, Rule, RuleContext, Valid, cached_schema

if TYPE_CHECKING:
    from lint_secrets.analysis import ModelCall


class UnresolvedReplicateCall(Rule):
    """Finds calls that send inputs to Replicate whose model or inputs the code doesn't say.

    A model given as `MODELS[name]`, an enum member or a function's parameter, or
    inputs that come from another package or a caller's `**kwargs`, can't be checked:
    a secret may be among them. So can't a secret input (by the schema, or by its name)
    whose value the code holds where the analysis can't read it: `KEYS[name]` of a dict
    written in the code, a name a module of the project doesn't define. (A value read from
    the environment, passed in by a caller, or returned by another package's function
    comes from outside the code: that is not unresolved.) Every run counts these calls in
    a note on stderr (and in the JSON report's `unresolved` list); this rule, not selected by default
    (`extend-select = ["RS100"]`), makes each one a finding, for CI that wants every
    call checked. A wrapper such as `def generate(model, prompt): return
    replicate.run(model, input=...)` is a good reason for `# noqa: RS100`.
    """

    code = "RS100"
    name = "unresolved-replicate-call"
    summary = "A call sends inputs to Replicate, but its model or its inputs can't be worked out"
    precision = "low"  # not a secret: a call the tool could not check
    security_severity = "3.0"
    cwe = None  # not a weakness: a call the tool could not check
    reports_secret = False
    fixable = False
    imports = ("replicate",)
    needles = (b"api.replicate.com",)  # requests to the REST API (analysis/http.py)
    selected_by_default = False

    INVALID = (
        Invalid(
            """
            import replicate

            from other_package import MODELS

            replicate.run(MODELS["speech"], input={"text": "hi"})
            """,
            line=5,
            column=1,
        ),
        Invalid(
            """
            import replicate

            def generate(model, prompt, **options):
                return replicate.run(model, input={"prompt": prompt, **options})
            """,
            line=4,
            column=12,
        ),
    )
    VALID = (
        Valid(
            """
            import replicate

            MODEL = "example/official-chat"
            replicate.run(MODEL, input={"prompt": "hi"})
            """
        ),
        Valid(
            """
            import replicate

            def generate(model, prompt):  # a wrapper, on purpose
                return replicate.run(model, input={"prompt": prompt})  # noqa: RS100
            """
        ),
    )

    def check(self, context: RuleContext) -> Iterator[Candidate]:
        for call in context.analysis.calls:
            hidden = _hidden_secret_inputs(context, call)
            if not call.unresolved and not hidden:
                continue
            if call.unresolved:
                what = " and ".join(call.unresolved)
                verb = "are" if len(call.unresolved) > 1 or call.unresolved == ("inputs",) else "is"
                message = (
                    f"Replicate {call.method} call whose {what} {verb} not worked out from the code: "
                    "its inputs are not checked for secrets"
                )
            else:
                what = ", ".join(repr(name) for name in hidden)
                noun = "input" if len(hidden) == 1 else "inputs"
                message = (
                    f"Replicate {call.method} call whose value for secret {noun} {what} is held in the "
                    "code where it can't be worked out: it is not checked for secrets"
                )
            # No secret here: the "secret" a baseline digests is what identifies the call.
            identity = f"{call.method}({ast.unparse(call.node.func)}): {what}"
            yield Candidate(
                self.code,
                call.node,
                identity,
                message,
                call_line=call.node.lineno,
                call_end_line=call.node.end_lineno,
            )


def _hidden_secret_inputs(context: RuleContext, call: ModelCall) -> List[str]:
    """The call's secret inputs (by the cached schema or declared, or by their names) whose
    value is held somewhere in the code the analysis can't read."""
    opaque = [use.name for use in call.inputs if use.opaque]
    if not opaque:
        return []
    schema = cached_schema(context, call)
    secrets = schema.secrets[call.kind] if schema is not None else frozenset()
    return [name for name in opaque if name in secrets or secret_sounding_name(name)]
