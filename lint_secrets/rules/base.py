"""What every rule is made of: the Rule class, its inputs and outputs, and example types.

A rule is one self-contained unit (Fixit's shape): its code, name, message, what it
detects, whether and how it is fixed, its documentation and its VALID/INVALID examples,
which the meta-test runs through the real `check` and `--fix`.
"""

from __future__ import annotations

import ast
import inspect
import textwrap
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, ClassVar, Dict, FrozenSet, Iterator, Mapping, Optional, Tuple, Union

from lint_secrets.analysis import Origin
from lint_secrets.env_names import ConfiguredName, choose_env_name
from lint_secrets.redact import redact_token_shapes

if TYPE_CHECKING:
    from lint_secrets.analysis import Analysis, ModelCall, ValueSite
    from lint_secrets.cog_analysis import CogAnalysis
    from lint_secrets.schemas import ModelRef, SchemaInfo, SchemaStore


# ---------------------------------------------------------------------------
# How a rule asks for a literal to be taken out of the code (the fix planner makes the edits)


@dataclass(frozen=True)
class ReadEnvironPlan:
    """Replace the value at `node` by a read of the environment variable."""

    node: ast.expr
    env_base: str
    or_none: bool = False  # `os.environ.get(NAME)`: read where a missing variable must not raise
    constant: bool = False  # the literal defines a name (`KEY = "..."`): read at import if module-level


@dataclass(frozen=True)
class ReplaceCallPlan:
    """Replace the call `node` (`os.environ.setdefault(NAME, "r8_...")` used as a value) by a read."""

    node: ast.Call
    env_base: str


@dataclass(frozen=True)
class DropDefaultPlan:
    """Remove the argument whose value is `node` (a hardcoded fallback default)."""

    node: ast.expr
    env_base: str


@dataclass(frozen=True)
class DeleteStatementPlan:
    """Remove `node`, a statement that only puts the secret where the client reads it itself."""

    node: ast.stmt
    env_base: str


@dataclass(frozen=True)
class DropFallbackPlan:
    """Replace `node`, `value or "literal"`, by `value`: the hardcoded fallback goes."""

    node: ast.BoolOp
    env_base: str


@dataclass(frozen=True)
class AuthorizationHeaderPlan:
    """Replace the header value at `node` by an f-string that reads the token:
    `f"Bearer {os.environ['REPLICATE_API_TOKEN']}"`, keeping `scheme` as written."""

    node: ast.Constant
    scheme: str
    env_base: str


@dataclass(frozen=True)
class DeclareSecretPlan:
    """Make a cog input a `Secret`: `str_node` (the `str` of its annotation) becomes
    `secret_name`, each of `uses` reads `.get_secret_value()`, and `import_from` (a
    `from cog import ...`), when given, gains `Secret`."""

    str_node: ast.expr
    secret_name: str
    uses: Tuple[ast.Name, ...]
    import_from: Optional[ast.ImportFrom] = None


@dataclass(frozen=True)
class RemoveInputDefaultPlan:
    """Remove the `default=` of a cog `Input(...)` whose value is `node`, or make it None."""

    node: ast.expr
    to_none: bool


FixPlan = Union[
    ReadEnvironPlan,
    ReplaceCallPlan,
    DropDefaultPlan,
    DeleteStatementPlan,
    DeclareSecretPlan,
    RemoveInputDefaultPlan,
    AuthorizationHeaderPlan,
    DropFallbackPlan,
]
# Plans after which the code relies on the variable the client reads itself: its name is fixed.
FIXED_NAME_PLANS = (DropDefaultPlan, DeleteStatementPlan)


@dataclass(frozen=True)
class Candidate:
    """A finding before positions, noqa and fixes are worked out."""

    code: str
    node: ast.expr
    secret: str
    message: str
    model: Optional[str] = None
    input: Optional[str] = None
    call_line: Optional[int] = None
    call_end_line: Optional[int] = None  # black puts a noqa comment after the closing `)`
    fix: Optional[FixPlan] = None
    # The literal as the analysis found it (where it is written, which name holds it), and the
    # model's "owner/name": a literal in another module is fixed there (checker.py).
    site: Optional[ValueSite] = field(default=None, compare=False, repr=False)
    model_name: Optional[str] = None


@dataclass(frozen=True)
class RuleContext:
    analysis: Analysis
    schemas: SchemaStore
    configured_env_name: Optional[ConfiguredName] = None
    module: Optional[ast.Module] = None
    # The rules' modules the file imports, by the prefilter's byte test (None: not known).
    imported: Optional[FrozenSet[str]] = None
    # `[tool.lint-secrets.models."o/n"] accept-unredacted`: inputs a team accepts sending secrets to
    accept_unredacted: Mapping[str, FrozenSet[str]] = field(default_factory=dict)
    trusted_owners: Optional[FrozenSet[str]] = None  # `trusted-owners`; None: RS105 is off
    credential_env_names: FrozenSet[str] = frozenset()  # variables config names for secrets
    _memo: Dict[str, object] = field(default_factory=dict, compare=False, repr=False)

    @property
    def cog(self) -> Optional[CogAnalysis]:
        """The cog inputs of the module (None when it doesn't import cog), worked out once."""
        if "cog" not in self._memo:
            from lint_secrets.cog_analysis import analyze_cog

            module = self.module
            if module is None or (self.imported is not None and "cog" not in self.imported):
                self._memo["cog"] = None
            else:
                self._memo["cog"] = analyze_cog(module)
        return self._memo["cog"]  # type: ignore[return-value]

    def env_name_for(self, model: Optional[str], input_name: str, site: ValueSite) -> str:
        """The variable the secret at `site` should be read from. Only a module (or class)
        constant may give its own name; a function's local never does (`key`, `token`...)."""
        module_level = site.origin is Origin.CONSTANT and id(site.node) in self.analysis.import_time_strings
        constant = site.binding if module_level else None
        return choose_env_name(self.configured_env_name, model, input_name, constant)


# ---------------------------------------------------------------------------
# Examples


@dataclass(frozen=True)
class Valid:
    """Code on which the rule must report nothing (with `config` in `[tool.lint-secrets]`)."""

    code: str
    config: str = ""


@dataclass(frozen=True)
class Invalid:
    """Code on which the rule must report, at `line`:`column` (1-based) when given, and
    which `--fix` turns into `expected_replacement` when given."""

    code: str
    line: Optional[int] = None
    column: Optional[int] = None
    expected_replacement: Optional[str] = None
    config: str = ""  # TOML under `[tool.lint-secrets]`, for rules that need configuring


Example = Union[Valid, Invalid]


class Rule:
    code: ClassVar[str]
    name: ClassVar[str]
    summary: ClassVar[str]
    fixable: ClassVar[bool] = True
    # For code scanning (SARIF): how often a finding is a true secret ("very-high", "high",
    # "medium", "low"), and a CVSS-like score as a string ("9.5"; 9.0 and up shows as critical).
    precision: ClassVar[str]
    security_severity: ClassVar[str]
    # The kinds of fix the rule's findings get (lint_secrets/fix/safety.py classes each).
    fix_kinds: ClassVar[Tuple[str, ...]] = ("read-environ", "module-constant", "parameter-default")
    # The prefilter parses a file only if it holds one of these bytes or imports one of these
    # modules (lint_secrets/prefilter.py holds their union; a meta-test keeps it in step).
    needles: ClassVar[Tuple[bytes, ...]] = ()
    imports: ClassVar[Tuple[str, ...]] = ()
    # Codes whose finding on the same literal this rule's finding replaces: one per literal.
    supersedes: ClassVar[Tuple[str, ...]] = ()
    # False: only an explicit `select`/`extend-select` of the full code turns the rule on
    # (catalog.OPT_IN_CODES lists these for the config).
    selected_by_default: ClassVar[bool] = True
    VALID: ClassVar[Tuple[Valid, ...]] = ()
    INVALID: ClassVar[Tuple[Invalid, ...]] = ()

    @classmethod
    def doc(cls) -> str:
        """What `explain` and SARIF `help` show: the docstring, then a bad and a good example
        (the first INVALID and VALID ones; any token in them is shown redacted)."""
        parts = [inspect.cleandoc(cls.__doc__ or "")]
        for label, examples in (("Bad", cls.INVALID), ("Good", cls.VALID)):
            if examples:
                example = examples[0]
                parts.append(f"{label}:\n\n" + _indented(example.code))
                if example.config:
                    parts.append("with, in `[tool.lint-secrets]`:\n\n" + _indented(example.config))
        return "\n\n".join(parts)

    def check(self, context: RuleContext) -> Iterator[Candidate]:
        raise NotImplementedError


def _indented(code: str) -> str:
    return textwrap.indent(redact_token_shapes(textwrap.dedent(code).strip("\n")), "    ")


# ---------------------------------------------------------------------------
# Helpers shared by the rules on model inputs


def value_fix(site: ValueSite, env: str) -> FixPlan:
    """A fallback next to a read of the value goes; a literal elsewhere becomes a read of the
    environment (a parameter default with `.get()`: it is evaluated when the function is defined)."""
    fallback = site.fallback_of
    if isinstance(fallback, ast.BoolOp):
        return DropFallbackPlan(fallback, env)
    if isinstance(fallback, ast.Call):
        key = fallback.args[0] if fallback.args else None
        named = key.value if isinstance(key, ast.Constant) and isinstance(key.value, str) else env
        return DropDefaultPlan(site.node, named)
    return ReadEnvironPlan(
        site.node, env, or_none=site.origin is Origin.DEFAULT, constant=site.origin is Origin.CONSTANT
    )


def where(site: ValueSite) -> str:
    if site.origin is Origin.CONSTANT:
        return f" via {site.binding}"
    if site.origin is Origin.DEFAULT:
        return f" via the default of parameter {site.binding}"
    if site.origin is Origin.ARGUMENT:
        return f" passed to {site.binding}()"
    return ""


def input_candidate(
    code: str,
    message: str,
    context: RuleContext,
    call: ModelCall,
    ref: Optional[ModelRef],
    input_name: str,
    site: ValueSite,
) -> Candidate:
    """A finding on a literal that reaches a model input."""
    return Candidate(
        code,
        site.node,
        site.value,
        message,
        model=ref.display() if ref else None,
        input=input_name,
        call_line=call.node.lineno,
        call_end_line=call.node.end_lineno,
        fix=value_fix(site, context.env_name_for(ref.model_name if ref else None, input_name, site)),
        site=site,
        model_name=ref.model_name if ref else None,
    )


def article(noun: Optional[str]) -> str:
    return "an" if noun and noun[0].lower() in "aeiou" else "a"


def cached_schema(context: RuleContext, call: ModelCall) -> Optional[SchemaInfo]:
    if call.ref is None:
        return None
    info = context.schemas.lookup(call.ref)
    if info is None or not info.has(call.kind):
        return None
    return info


def resolved_ref(context: RuleContext, call: ModelCall) -> Optional[ModelRef]:
    """The call's model; a bare version id is named by the cached model that has it."""
    ref = call.ref
    if ref is not None and ref.kind == "version" and ref.owner is None and ref.version:
        return context.schemas.resolve_version(ref.version) or ref
    return ref


def running_model(context: RuleContext, call: ModelCall) -> Optional[ModelRef]:
    """The model whose code receives the call's inputs: for a deployment, the model its
    cached record says it runs (None when the record is not cached)."""
    ref = resolved_ref(context, call)
    if ref is not None and ref.kind == "deployment":
        return context.schemas.deployment_target(ref)
    return ref


def model_names(context: RuleContext, call: ModelCall) -> Tuple[str, ...]:
    """The "owner/name"s config may key this call's model by: the model, and a deployment's."""
    names = []
    for ref in (resolved_ref(context, call), running_model(context, call)):
        if ref is not None and ref.owner and ref.name:
            names.append(f"{ref.owner}/{ref.name}")
    return tuple(dict.fromkeys(names))
