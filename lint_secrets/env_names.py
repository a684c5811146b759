"""Which environment variable a secret is read from after a fix: every naming rule, here."""

from __future__ import annotations

from typing import Callable, Dict, Optional, Tuple

from lint_secrets.heuristics import words

# The variable the Replicate clients read their API token from.
TOKEN_ENV = "REPLICATE_API_TOKEN"

# `[tool.lint-secrets.env-names]`, as a lookup: (model, input name) -> configured name.
ConfiguredName = Callable[[Optional[str], str], Optional[str]]


def env_name(input_name: str) -> str:
    """`hf_token` -> `HF_TOKEN`; `wandbApiKey` -> `WANDB_API_KEY`."""
    name = "_".join(words(input_name)).upper()
    if not name or name[0].isdigit():
        name = "SECRET_" + name
    return name


def choose_env_name(
    configured: Optional[ConfiguredName], model: Optional[str], input_name: str, constant: Optional[str]
) -> str:
    """A configured name wins; a module constant keeps its own name (`HF_TOKEN =
    os.environ["HF_TOKEN"]`); otherwise the input's name in upper snake case."""
    if configured is not None:
        name = configured(model, input_name)
        if name:
            return name
    if constant:
        return env_name(constant)
    return env_name(input_name)


class UniqueNames:
    """Two different secret values never share one variable name in a file.

    A value keeps the name it got first for a base; another value gets the first of
    `BASE`, `BASE_2`, `BASE_3`... that no other value holds, whichever base gave it.
    """

    def __init__(self) -> None:
        self.owners: Dict[str, str] = {}  # variable name -> the secret it holds
        self.given: Dict[Tuple[str, str], str] = {}  # (base, secret) -> variable name

    def reserve(self, name: str, value: str) -> bool:
        """Claim exactly `name` for `value`; False if another value holds it."""
        owner = self.owners.setdefault(name, value)
        if owner != value:
            return False
        self.given.setdefault((name, value), name)
        return True

    def name(self, base: str, value: str) -> str:
        if (base, value) in self.given:
            return self.given[(base, value)]
        number = 1
        while True:
            name = base if number == 1 else f"{base}_{number}"
            if self.owners.setdefault(name, value) == value:
                self.given[(base, value)] = name
                return name
            number += 1
