"""Which environment variable a secret is read from after a fix: every naming rule, here."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Callable, Dict, List, Mapping, Optional, Sequence, Tuple

from lint_secrets import findings
from lint_secrets.heuristics import words
from lint_secrets.records import Record

# The variable the Replicate clients read their API token from.
TOKEN_ENV = "REPLICATE_API_TOKEN"

# `[tool.lint-secrets.env-names]`, as a lookup: (model, input name) -> configured name.
ConfiguredName = Callable[[Optional[str], str], Optional[str]]


# Names that say nothing about which secret a variable holds: a constant or local named only
# with these (`KEY`, `TOKEN`, `API_KEY`, `MY_SECRET`) does not name the variable.
GENERIC_WORDS = frozenset(
    {"key", "keys", "token", "tokens", "password", "passwd", "secret", "secrets", "api", "apikey",
     "auth", "access", "credential", "credentials", "my", "the", "a", "value", "default", "tmp", "temp",
     "private", "client", "bearer", "license", "user", "login", "pin", "passcode", "passphrase",
     "service", "app", "account"}
)  # fmt: skip

# Variables that the system, the dynamic loader, shells, git and language runtimes read to
# decide what to run and how: a fix never names one (a `.env` holding PATH or PYTHONPATH would
# break every program started from it), nor may `env-names` (a key saved under one, and set
# where the code runs, would replace a search path, preload a library or change a shell).
_SYSTEM_VARIABLES: Dict[str, str] = {
    **dict.fromkeys(
        ("PATH", "HOME", "USER", "LOGNAME", "SHELL", "PWD", "OLDPWD", "TERM", "LANG", "LANGUAGE", "TZ",
         "TMPDIR", "TEMP", "TMP", "HOSTNAME", "MAIL", "EDITOR", "VISUAL", "PAGER", "DISPLAY", "MANPATH",
         "NLSPATH", "GCONV_PATH", "HOSTALIASES", "LOCALDOMAIN", "RES_OPTIONS", "TERMINFO", "SSL_CERT_FILE",
         "SSL_CERT_DIR", "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY", "FTP_PROXY", "USERNAME",
         "USERPROFILE", "APPDATA", "LOCALAPPDATA", "COMSPEC", "SYSTEMROOT", "WINDIR", "PATHEXT", "PROMPT"),
        "the system",
    ),
    **dict.fromkeys(
        ("IFS", "ENV", "BASH_ENV", "CDPATH", "PS1", "PS2", "PS4", "PROMPT_COMMAND", "SHELLOPTS", "BASHOPTS",
         "GLOBIGNORE", "HISTFILE", "INPUTRC", "FPATH", "ZDOTDIR", "SHLVL", "COLUMNS", "LINES", "UMASK"),
        "the shell",
    ),
    **dict.fromkeys(
        ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_SSH", "GIT_SSH_COMMAND", "GIT_ASKPASS",
         "GIT_EXEC_PATH", "GIT_EDITOR", "GIT_PAGER", "GIT_PROXY_COMMAND", "GIT_EXTERNAL_DIFF",
         "GIT_CONFIG", "GIT_CONFIG_GLOBAL", "GIT_CONFIG_SYSTEM", "SSH_ASKPASS", "SSH_AUTH_SOCK"),
        "git or ssh",
    ),
    **dict.fromkeys(
        ("VIRTUAL_ENV", "CONDA_PREFIX", "REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE", "PIP_INDEX_URL",
         "PIP_EXTRA_INDEX_URL", "NODE_OPTIONS", "NODE_PATH", "PERL5LIB", "PERL5OPT", "PERLLIB", "RUBYLIB",
         "RUBYOPT", "GEM_HOME", "GEM_PATH", "CLASSPATH", "JAVA_TOOL_OPTIONS", "_JAVA_OPTIONS",
         "JDK_JAVA_OPTIONS"),
        "a language runtime or its package manager",
    ),
    "CI": "CI services and test tools",
}  # fmt: skip
_SYSTEM_PREFIXES = (("LD_", "the dynamic loader"), ("DYLD_", "the dynamic loader"), ("LC_", "the system"),
                    ("MALLOC_", "the C library"), ("GLIBC_", "the C library"), ("BASH_FUNC_", "the shell"),
                    ("XDG_", "the desktop session"), ("SUDO_", "sudo"), ("PYTHON_", "Python"))  # fmt: skip
# PYTHONPATH, PYTHONHOME, PYTHONSTARTUP...: one word after PYTHON (PYTHONANYWHERE_TOKEN is a key);
# and PYTHON_COLORS, PYTHON_GIL... (the prefix above).
_PYTHON_VARIABLE = re.compile(r"PYTHON[A-Z0-9]*")


def system_variable_reader(name: str) -> Optional[str]:
    """Who reads `name` to decide how programs run (the system, the loader, a shell...), if anyone.

    Compared without case: Windows does, and `http_proxy` means what `HTTP_PROXY` does.
    """
    upper = name.upper()
    if upper in _SYSTEM_VARIABLES:
        return _SYSTEM_VARIABLES[upper]
    for prefix, reader in _SYSTEM_PREFIXES:
        if upper.startswith(prefix):
            return reader
    if _PYTHON_VARIABLE.fullmatch(upper):
        return "Python"
    return None


def env_name(input_name: str) -> str:
    """`hf_token` -> `HF_TOKEN`; `wandbApiKey` -> `WANDB_API_KEY`; `clé_secret` -> `CLE_SECRET`.

    "" when the name holds no letter or digit (`""`, `"!!!"`): such an input needs a name in
    `[tool.lint-secrets.env-names]`.
    """
    ascii_name = unicodedata.normalize("NFKD", input_name).encode("ascii", "ignore").decode("ascii")
    name = "_".join(words(ascii_name)).upper()
    if not name:
        return ""
    if name[0].isdigit():
        name = "SECRET_" + name
    return name


def specific(name: str) -> bool:
    """Whether a variable's own name says which secret it is: two words or more, not all generic."""
    parts = words(name)
    return len(parts) >= 2 and not all(part in GENERIC_WORDS for part in parts)


def is_system_name(name: str) -> bool:
    """PATH, HOME, USER, SHELL, LANG, TERM, PWD, TMPDIR... and every LD_*, LC_*, DYLD_*,
    PYTHON*, XDG_* variable: whatever `system_variable_reader` knows a reader of."""
    return system_variable_reader(name) is not None


def generic(name: str) -> bool:
    """Whether a name says nothing about which secret it holds: `TOKEN`, `API_KEY`, `AUTH_TOKEN`."""
    return all(part in GENERIC_WORDS for part in words(name))


def choose_env_name(
    configured: Optional[ConfiguredName], model: Optional[str], input_name: str, constant: Optional[str]
) -> str:
    """A configured name wins (as written); a constant keeps its own name when it is specific
    (`HF_TOKEN = os.environ.get("HF_TOKEN")`, never `KEY` or `TOKEN`) and not a system
    variable's; otherwise the input's name in upper snake case ("" when neither gives a readable
    name). The input's name is qualified with the model's (`ACME_X_API_TOKEN` for input
    `api_token` of acme/x) when it is generic (`API_KEY`, `TOKEN`) or a system variable's
    (`PATH`); without a model, or with one whose name holds a token, a system variable's
    name becomes `SECRET_PATH`."""
    if configured is not None:
        name = configured(model, input_name)
        if name:
            return name
    if constant and specific(constant):
        own = env_name(constant)
        if own and not is_system_name(own):
            return own
    name = env_name(input_name)
    if not name or not (generic(name) or is_system_name(name)):
        return name
    qualifier = env_name(model) if model and not _token_shaped(model) else ""
    if qualifier:
        return f"{qualifier}_{name}"
    return f"SECRET_{name}" if is_system_name(name) else name


def _token_shaped(model: str) -> bool:
    """A model name holding a pasted credential (`acme/r8_...`): reports show it by a prefix
    only, so no variable is named after it (upper-casing keeps all of a hex token)."""
    from lint_secrets.redact import redact_token_shapes

    return redact_token_shapes(model) != model


class UniqueNames:
    """Two different secret values never share one variable name in a file.

    A value keeps the name it got first for a base; another value gets the first of
    `BASE`, `BASE_2`, `BASE_3`... that no other value holds, whichever base gave it.
    """

    def __init__(self, assigned: Optional[Mapping[Tuple[str, str], str]] = None) -> None:
        self.owners: Dict[str, str] = {}  # variable name -> the secret it holds
        self.given: Dict[Tuple[str, str], str] = {}  # (base, secret) -> variable name
        # What the run-level pass gave (base, digest of the secret): "" for "may not be fixed".
        self.assigned: Mapping[Tuple[str, str], str] = assigned or {}
        # base -> the suffix its search starts from: every number below is held, and
        # names are never released, so n values of one base cost n steps, not n².
        self._next_number: Dict[str, int] = {}

    def _assigned(self, base: str, value: str) -> Optional[str]:
        if not self.assigned:  # a plain check: no run-level pass, no digest to take
            return None
        name = self.assigned.get((base, secret_digest(value)))
        if name is not None and name:
            self.owners[name] = value
            self.given[(base, value)] = name
        return name

    def reserve(self, name: str, value: str) -> bool:
        """Claim exactly `name` for `value`; False if another value holds it."""
        assigned = self._assigned(name, value)
        if assigned is not None:
            return assigned == name
        owner = self.owners.setdefault(name, value)
        if owner != value:
            return False
        self.given.setdefault((name, value), name)
        return True

    def name(self, base: str, value: str) -> str:
        if (base, value) in self.given:
            return self.given[(base, value)]
        assigned = self._assigned(base, value)
        if assigned:
            return assigned
        number = self._next_number.get(base, 1)
        while True:
            name = base if number == 1 else f"{base}_{number}"
            if self.owners.setdefault(name, value) == value:
                self.given[(base, value)] = name
                self._next_number[base] = number
                return name
            number += 1


def secret_digest(value: str) -> str:
    """Names are handed between processes by the secret's digest, never the secret."""
    return findings.secret_digest(value)[:32]


# ---------------------------------------------------------------------------
# One run, many files: the run-level pass


@dataclass(frozen=True, repr=False, eq=False)
class NameRequest(Record):
    """A fix of one file that reads (or leaves to the client) a variable, as the file planned it."""

    path: str
    line: int
    base: str
    secret: str = field(repr=False)
    fixed: bool  # a removal: the code relies on the variable the client reads, `base` exactly


@dataclass(frozen=True, repr=False, eq=False)
class RunNames(Record):
    # path -> ((base, secret digest, name or "" when the fix must wait), ...)
    names: Dict[str, Tuple[Tuple[str, str, str], ...]]
    notes: Dict[str, Tuple[str, ...]]  # path -> what a reader must know about its names


def assign_run_names(requests: Sequence[NameRequest]) -> RunNames:
    """Distinct names for distinct values across the whole run, in sorted path order.

    The same rules as within a file (UniqueNames): removals claim their fixed name first,
    then each value keeps the first name it got for a base and another value gets `BASE_2`,
    `BASE_3`... Files are taken in sorted path order and each file's fixes in source order,
    so the names depend neither on the order the paths were given nor on how they were
    split among worker processes.
    """
    ordered = sorted(enumerate(requests), key=lambda item: (item[1].path, item[1].line, item[0]))
    names = UniqueNames()
    first_holder: Dict[str, Tuple[str, int]] = {}  # variable name -> where its value is first seen
    given: Dict[int, str] = {}
    notes: Dict[str, List[str]] = {}
    for index, request in ordered:
        if not request.fixed:
            continue
        if names.reserve(request.base, request.secret):
            given[index] = request.base
            first_holder.setdefault(request.base, (request.path, request.line))
        else:
            given[index] = ""
            held_at = "{}:{}".format(*first_holder[request.base])
            notes.setdefault(request.path, []).append(
                f"{request.path}:{request.line}: not fixed: a different value of {request.base} "
                f"is removed at {held_at}; which one is real is your call"
            )
    for index, request in ordered:
        if request.fixed:
            continue
        name = names.name(request.base, request.secret)
        given[index] = name
        holder = first_holder.setdefault(name, (request.path, request.line))
        if name != request.base and holder == (request.path, request.line):
            base_holder = first_holder.get(request.base)
            elsewhere = " at {}:{}".format(*base_holder) if base_holder else ""
            notes.setdefault(request.path, []).append(
                f"{request.path}:{request.line}: {name}: the value differs from {request.base}'s{elsewhere}; "
                "set both, or name them in [tool.lint-secrets.env-names]"
            )
    by_path: Dict[str, Dict[Tuple[str, str, str], None]] = {}
    for index, request in enumerate(requests):
        entry = (request.base, secret_digest(request.secret), given[index])
        by_path.setdefault(request.path, {})[entry] = None
    return RunNames(
        {path: tuple(entries) for path, entries in by_path.items()},
        {path: tuple(dict.fromkeys(lines)) for path, lines in notes.items()},
    )


__all__ = [
    "ConfiguredName",
    "NameRequest",
    "RunNames",
    "UniqueNames",
    "assign_run_names",
    "choose_env_name",
    "env_name",
    "generic",
    "is_system_name",
    "secret_digest",
    "specific",
]
