"""Call resolution: which Replicate calls a module makes, with which model and inputs.

Works on the standard library's `ast` (fast) with a small scope model of its own:
imports and aliases, names bound to strings, dicts and Replicate objects at module
and function level. What can't be resolved from the code is left unresolved;
nothing here guesses.

- `scopes`: the first pass, which names are bound where, to what;
- `values`: strings, the literals a value is made of, dicts and their mutations;
- `replicate_sdk`: the SDK's objects and the calls that send inputs to a model (as tables);
- `tokens`: where a Replicate API token is set or defaulted in code.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from typing import Dict, List, Optional, Set

from lint_secrets.analysis.http import (
    REPLICATE_API_HOST,
    AuthorizationHeader,
    Concatenation,
    authorization_headers,
    rest_model_calls,
    string_concatenations,
)
from lint_secrets.analysis.project import Project
from lint_secrets.analysis.replicate_sdk import ModelCall, SdkResolver
from lint_secrets.analysis.scopes import BindingKind, Scope, build_scopes
from lint_secrets.analysis.tokens import TokenAction, TokenSite, token_assignments, token_calls
from lint_secrets.analysis.values import InputUse, Origin, Resolver, ValueSite


@dataclass
class Analysis:
    # Every scope of the module, the module's own first: kept for what only the fixer asks
    # of them (how a fix reads the environment: lint_secrets/fix/environ.py).
    scopes: List[Scope]
    calls: List[ModelCall] = field(default_factory=list)
    tokens: List[TokenSite] = field(default_factory=list)
    string_literals: List[ast.Constant] = field(default_factory=list)
    # ids of string literals that are the whole value of `NAME = "..."`: a constant's definition
    named_literals: Set[int] = field(default_factory=set)
    # ids of string literals evaluated when the module is imported (outside every function)
    import_time_strings: Set[int] = field(default_factory=set)
    authorization_headers: List[AuthorizationHeader] = field(default_factory=list)
    # `"r8_abc" + "def..."`: strings written in pieces joined by `+`, with their whole value
    concatenations: List[Concatenation] = field(default_factory=list)
    sdk: Optional[SdkResolver] = None  # for rules that ask more of the code (env_reads.py)
    # ids of literals written in another module of the project (`from .config import KEY`)
    # that reach this module's calls -> that module's file: reported there, not here
    foreign_nodes: Dict[int, str] = field(default_factory=dict)

    def evaluated_at_import(self, node: ast.AST) -> bool:
        """Whether the value at `node`, a literal or a value written in pieces (`"hf_" + "..."`,
        an f-string), is evaluated when the module is imported (outside every function)."""
        if id(node) in self.import_time_strings:
            return True
        if isinstance(node, (ast.BinOp, ast.JoinedStr)):
            for part in ast.walk(node):
                if isinstance(part, ast.Constant) and isinstance(part.value, str):
                    return id(part) in self.import_time_strings
        return False


def analyze(tree: ast.Module, path: Optional[str] = None, project: Optional[Project] = None) -> Analysis:
    """The module's calls, tokens and literals; with `project`, names imported from the
    project's other modules (`path` is this module's file) are followed into them."""
    builder = build_scopes(tree)
    resolver = Resolver(builder, project=project, path=path)
    sdk = SdkResolver(resolver)
    analysis = Analysis(
        builder.scopes,
        string_literals=builder.strings,
        named_literals=builder.named_literals,
        import_time_strings=builder.import_time_strings,
        sdk=sdk,
        foreign_nodes=resolver.foreign_nodes,
    )
    for call, scope in builder.calls:
        func = sdk.sym(call.func, scope, call.lineno)
        if func is None:  # most calls: nothing of Replicate's, nor of the environment's
            continue
        model_call = sdk.model_call(call, scope, func)
        if model_call is not None:
            analysis.calls.append(model_call)
        analysis.tokens.extend(token_calls(sdk, builder, call, scope, func))
    for statement, scope, body in builder.assigns:
        analysis.tokens.extend(token_assignments(sdk, statement, scope, body))
    analysis.authorization_headers = authorization_headers(tree, builder, resolver)
    # The module's strings in one text, searched in C: the separator is in neither needle, so
    # a needle is in the text only if it is in one of the strings.
    strings = "\0".join([str(node.value) for node in builder.strings])
    if REPLICATE_API_HOST in strings:
        analysis.calls.extend(rest_model_calls(builder, resolver))
    if "r8" in strings:
        analysis.concatenations = string_concatenations(builder)
    return analysis


__all__ = [
    "Analysis",
    "AuthorizationHeader",
    "BindingKind",
    "InputUse",
    "ModelCall",
    "Origin",
    "Project",
    "TokenAction",
    "TokenSite",
    "ValueSite",
    "analyze",
]
