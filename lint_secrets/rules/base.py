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
from typing import (
    TYPE_CHECKING,
    ClassVar,
    Dict,
    FrozenSet,
    Iterator,
    Mapping,
    Optional,
    Sequence,
    Tuple,
    Union,
)

from lint_secrets.analysis import Origin
from lint_secrets.env_names import ConfiguredName, choose_env_name
from lint_secrets.records import Record
from lint_secrets.redact import redact_token_shapes

if TYPE_CHECKING:
    from lint_secrets.analysis import Analysis, ModelCall, ValueSite
    from lint_secrets.cog_analysis import CogAnalysis
    from lint_secrets.fix.edits import FixKindName
    from lint_secrets.model_refs import ModelRef
    from lint_secrets.schemas import SchemaInfo, SchemaStore


# ---------------------------------------------------------------------------
# How a rule asks for a literal to be taken out of the code (the fix planner makes the edits)


@dataclass(frozen=True, repr=False, eq=False)
class ReadEnvironPlan(Record):
    """Replace the value at `node` by a read of the environment variable."""

    node: ast.expr
    env_base: str
    or_none: bool = False  # `os.environ.get(NAME)`: read where a missing variable must not raise
    constant: bool = False  # the literal defines a name (`KEY = "..."`): read at import if module-level


@dataclass(frozen=True, repr=False, eq=False)
class ReplaceCallPlan(Record):
    """Replace the call `node` (`os.environ.setdefault(NAME, "r8_...")` used as a value) by a read."""

    node: ast.Call
    env_base: str


@dataclass(frozen=True, repr=False, eq=False)
class DropDefaultPlan(Record):
    """Remove the argument whose value is `node` (a hardcoded fallback default)."""

    node: ast.expr
    env_base: str


@dataclass(frozen=True, repr=False, eq=False)
class DeleteStatementPlan(Record):
    """Remove `node`, a statement that only puts the secret where the client reads it itself."""

    node: ast.stmt
    env_base: str


@dataclass(frozen=True, repr=False, eq=False)
class DropFieldDefaultPlan(Record):
    """Remove `node`, the default of a pydantic settings field: the field then reads
    `env_base` itself (its prefix and name, or its alias), and becomes required."""

    node: ast.expr
    env_base: str


@dataclass(frozen=True, repr=False, eq=False)
class DropFallbackPlan(Record):
    """Replace `node`, `value or "literal"`, by `value`: the hardcoded fallback goes."""

    node: ast.BoolOp
    env_base: str


@dataclass(frozen=True, repr=False, eq=False)
class AuthorizationHeaderPlan(Record):
    """Replace the header value at `node` by an f-string that reads the token:
    `f"Bearer {os.environ['REPLICATE_API_TOKEN']}"`, keeping `scheme` as written."""

    node: ast.Constant
    scheme: str
    env_base: str


@dataclass(frozen=True, repr=False, eq=False)
class DeclareSecretPlan(Record):
    """Make a cog input a `Secret`: `str_node` (the `str` of its annotation) becomes
    `secret_name`, each of `uses` reads `.get_secret_value()`, and `import_from` (a
    `from cog import ...`), when given, gains `Secret`. In a quoted annotation, `str_node` is
    the string literal and `str_in_quotes` where `str` is in its text."""

    str_node: ast.expr
    secret_name: str
    uses: Tuple[ast.Name, ...]
    import_from: Optional[ast.ImportFrom] = None
    str_in_quotes: Optional[Tuple[int, int]] = None


@dataclass(frozen=True, repr=False, eq=False)
class RemoveInputDefaultPlan(Record):
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
    DropFieldDefaultPlan,
]
# Plans after which the code relies on the variable the client reads itself: its name is fixed.
FIXED_NAME_PLANS = (DropDefaultPlan, DeleteStatementPlan, DropFieldDefaultPlan)


@dataclass(frozen=True, repr=False, eq=False)
class Candidate(Record):
    """A finding before positions, noqa and fixes are worked out."""

    code: str
    node: ast.expr
    secret: str
    message: str
    model: Optional[ModelRef] = None
    input: Optional[str] = None
    call_line: Optional[int] = None
    call_end_line: Optional[int] = None  # black puts a noqa comment after the closing `)`
    fix: Optional[FixPlan] = None
    # The literal as the analysis found it (where it is written, which name holds it): a
    # literal in another module is fixed there (checker.py).
    site: Optional[ValueSite] = field(default=None, compare=False, repr=False)


@dataclass(frozen=True, repr=False, eq=False)
class RuleContext(Record):
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
    non_credential_env_names: FrozenSet[str] = frozenset()  # `non-secret-env-names`
    # The names chosen so far, by (model, input, constant): the same for every file checked
    # under one configuration, so a worker passes one for all its files.
    env_names_chosen: Dict[Tuple[Optional[str], str, Optional[str]], str] = field(
        default_factory=dict, compare=False, repr=False
    )
    _memo: Dict[str, object] = field(default_factory=dict, compare=False, repr=False)

    @property
    def cog(self) -> Optional[CogAnalysis]:
        """The cog inputs of the module (None when it doesn't import cog), worked out once."""
        if "cog" not in self._memo:
            module = self.module
            if module is None or (self.imported is not None and "cog" not in self.imported):
                self._memo["cog"] = None
            else:
                from lint_secrets.cog_analysis import analyze_cog

                self._memo["cog"] = analyze_cog(
                    module, self.credential_env_names, self.non_credential_env_names
                )
        return self._memo["cog"]  # type: ignore[return-value]

    @property
    def settings_defaults(self) -> Mapping[int, Optional[str]]:
        """The variable each pydantic `BaseSettings` field reads (None: not written in the code),
        by the id of its default value node; found in one walk of the module, since every candidate asks."""
        if "settings" not in self._memo:
            sdk = self.analysis.sdk
            classes = (
                [scope.node for scope in sdk.values.builder.scopes if scope.is_class]
                if sdk is not None
                else [node for node in ast.walk(self.module) if isinstance(node, ast.ClassDef)]
                if self.module is not None
                else []
            )
            self._memo["settings"] = _settings_defaults(classes)
        return self._memo["settings"]  # type: ignore[return-value]

    def env_name_for(self, model_name: Optional[str], input_name: str, site: ValueSite) -> str:
        """The variable the secret at `site` should be read from. Only a module (or class)
        constant may give its own name; a function's local never does (`key`, `token`...)."""
        module_level = site.origin is Origin.CONSTANT and self.analysis.evaluated_at_import(site.node)
        constant = site.binding if module_level else None
        key = (model_name, input_name, constant)
        chosen = self.env_names_chosen.get(key)
        if chosen is None:
            chosen = self.env_names_chosen[key] = choose_env_name(
                self.configured_env_name, model_name, input_name, constant
            )
        return chosen


def _settings_defaults(classes: Sequence[ast.AST]) -> Dict[int, Optional[str]]:
    from lint_secrets.analysis.env_reads import is_settings_class, settings_variable

    defaults: Dict[int, Optional[str]] = {}
    for node in classes:
        if isinstance(node, ast.ClassDef) and is_settings_class(node):
            for statement in node.body:
                if (
                    isinstance(statement, ast.AnnAssign)
                    and statement.value is not None
                    and isinstance(statement.target, ast.Name)
                ):
                    variable = settings_variable(node, statement.target.id)
                    if variable is not None:  # an alias not written here: no variable to name
                        defaults[id(statement.value)] = variable
    return defaults


# ---------------------------------------------------------------------------
# Examples


@dataclass(frozen=True, repr=False, eq=False)
class Valid(Record):
    """Code on which the rule must report nothing (with `config` in `[tool.lint-secrets]`)."""

    code: str
    config: str = ""


@dataclass(frozen=True, repr=False, eq=False)
class Invalid(Record):
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
    # The weakness a finding is (GitHub reads `external/cwe/...` tags); None: not a security
    # problem (the rule's SARIF results carry no security tag or severity).
    cwe: ClassVar[Optional[str]] = "CWE-798"  # Use of Hard-coded Credentials
    # SARIF's level, "error", "warning" or "note": set from catalog.SARIF_LEVELS, its one home.
    sarif_level: ClassVar[str] = "error"
    # False: a finding is a problem, not a secret found (catalog.NOT_SECRET_CODES, for the summary).
    reports_secret: ClassVar[bool] = True
    # The kinds of fix the rule's findings get (lint_secrets/fix/safety.py classes each).
    # The default: what `value_fix` plans for a literal that reaches a model input.
    fix_kinds: ClassVar[Tuple[FixKindName, ...]] = (
        "read-environ",
        "module-constant",
        "used-at-import",
        "parameter-default",
        "drop-default",
        "drop-or-fallback",
        "settings-field-default",
    )
    # The prefilter parses a file only if it holds one of these bytes or imports one of these
    # modules (lint_secrets/prefilter.py holds their union; a meta-test keeps it in step).
    needles: ClassVar[Tuple[bytes, ...]] = ()
    imports: ClassVar[Tuple[str, ...]] = ()
    # Codes whose finding on the same literal this rule's finding replaces: one per literal.
    supersedes: ClassVar[Tuple[str, ...]] = ()
    # Codes whose finding on a literal sent to the same input of the same call replaces this
    # rule's finding on that input's value: one finding per value (the literal's says the rest).
    yields_to: ClassVar[Tuple[str, ...]] = ()
    # False: only an explicit `select`/`extend-select` of the full code turns the rule on
    # (catalog.OPT_IN_CODES lists these for the config).
    selected_by_default: ClassVar[bool] = True
    VALID: ClassVar[Tuple[Valid, ...]] = ()
    INVALID: ClassVar[Tuple[Invalid, ...]] = ()

    def __init_subclass__(cls, **kwargs: object) -> None:
        super().__init_subclass__(**kwargs)
        if "code" in cls.__dict__:
            from lint_secrets.catalog import sarif_level

            cls.sarif_level = sarif_level(cls.code)

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
    fix: FixPlan
    field = settings_field(context, site)
    if field is not None:
        fix = DropFieldDefaultPlan(site.node, field)
    else:
        fix = value_fix(site, context.env_name_for(ref.model_name if ref else None, input_name, site))
    return Candidate(
        code,
        site.node,
        site.value,
        message,
        model=ref,
        input=input_name,
        call_line=call.node.lineno,
        call_end_line=call.node.end_lineno,
        fix=fix,
        site=site,
    )


def settings_field(context: RuleContext, site: ValueSite) -> Optional[str]:
    """The variable a pydantic `BaseSettings` field reads, when `site` is the field's default
    (`hf_token: str = "hf_..."`): removing the default is the fix. None for anything else."""
    if site.origin is not Origin.CONSTANT:
        return None
    return context.settings_defaults.get(id(site.node))


def article(noun: Optional[str]) -> str:
    return "an" if noun and noun[0].lower() in "aeiou" else "a"


def cached_schema(context: RuleContext, call: ModelCall) -> Optional[SchemaInfo]:
    if call.ref is None:
        return None
    info = context.schemas.lookup(call.ref)
    if info is None or not info.has(call.kind):
        return None
    return info


def unredacted_input(context: RuleContext, call: ModelCall, name: str) -> Optional[str]:
    """How the model's cached schema shows input `name` when it does not declare it a cog
    `Secret` (`x-cog-secret`), which is what Replicate redacts: "a password field" (`format:
    password`, `writeOnly`) or "an input" otherwise. None when the schema declares it a Secret,
    or has no such input (a typo, a model with no cached schema)."""
    schema = cached_schema(context, call)
    if schema is None:
        return None
    prop = schema.inputs.get(call.kind, {}).get(name)
    if prop is None or name in schema.redacted.get(call.kind, frozenset()):
        return None
    if isinstance(prop, Mapping) and (prop.get("format") == "password" or prop.get("writeOnly") is True):
        return "a password field"
    return "an input"


def secret_input_text(context: RuleContext, call: ModelCall, name: str) -> str:
    """`secret input 'x'` for an input Replicate redacts; what else it is, for one it is not
    known to: `input 'x' (a password field, not redacted)`."""
    how = unredacted_input(context, call, name)
    if how is None:
        return f"secret input {name!r}"
    if how == "a password field":
        return f"input {name!r} (a password field, not redacted)"
    return f"input {name!r} (not a cog Secret in its schema, so not known to be redacted)"


def not_redacted_either(context: RuleContext, call: ModelCall, name: str) -> str:
    """What a finding on a literal adds when the input is not known to be redacted either."""
    how = unredacted_input(context, call, name)
    if how is None:
        return ""
    shown = "a password field, not a cog Secret" if how == "a password field" else "not a cog Secret"
    return f"; the input is not known to be redacted either ({shown} in the model's schema)"


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
