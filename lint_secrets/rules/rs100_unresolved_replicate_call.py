"""RS100 unresolved-replicate-call."""

from __future__ import annotations

import ast
from typing import Iterator

from lint_secrets.rules.base import Candidate, Invalid, Rule, RuleContext, Valid


class UnresolvedReplicateCall(Rule):
    """Finds calls that send inputs to Replicate whose model or inputs the code doesn't say.

    A model given as `MODELS["train"]`, an enum member or a function's parameter, or
    inputs that come from another package or a caller's `**kwargs`, can't be checked:
    a secret may be among them. Every run counts these calls in a note on stderr (and
    in the JSON report's `unresolved` list); this rule, not selected by default
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

            MODELS = {"speech": "example/text-to-speech"}
            replicate.run(MODELS["speech"], input={"text": "hi"})
            """,
            line=4,
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
            if not call.unresolved:
                continue
            what = " and ".join(call.unresolved)
            verb = "are" if len(call.unresolved) > 1 or call.unresolved == ("inputs",) else "is"
            # No secret here: the "secret" a baseline digests is what identifies the call.
            identity = f"{call.method}({ast.unparse(call.node.func)}): {what}"
            yield Candidate(
                self.code,
                call.node,
                identity,
                f"Replicate {call.method} call whose {what} {verb} not worked out from the code: "
                "its inputs are not checked for secrets",
                call_line=call.node.lineno,
                call_end_line=call.node.end_lineno,
            )
