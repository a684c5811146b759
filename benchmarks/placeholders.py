"""How many real-looking random tokens the placeholder logic would wrongly drop (issue 13 review).

Prints, for each shape, how many of N random values `is_placeholder` takes for a fake (the
target is 0), and the same for random tokens holding a fake word somewhere (`Test`, `Fake`...),
which must still count as real: the words have to dominate a value, not merely appear in it.

    .venv/bin/python benchmarks/placeholders.py            # 10,000 of each
    .venv/bin/python benchmarks/placeholders.py --count 100000
"""

from __future__ import annotations

import argparse
import secrets
import string
import time
from typing import Callable, List, Tuple

from lint_secrets.heuristics import is_placeholder

ALNUM = string.ascii_letters + string.digits
HEX = "0123456789abcdef"
WORDS = ("Test", "Fake", "Mock", "Dummy", "Example", "test", "fake", "TEST", "FAKE", "Sample")


def _random(alphabet: str, length: int) -> str:
    return "".join(secrets.choice(alphabet) for _ in range(length))


def _with_word() -> str:
    """A real r8_ token with a fake word spliced in at a random place (37 characters in all)."""
    word = secrets.choice(WORDS)
    at = secrets.randbelow(38 - len(word))
    body = _random(ALNUM, 37 - len(word))
    return "r8_" + body[:at] + word + body[at:]


SHAPES: List[Tuple[str, Callable[[], str]]] = [
    ("r8_ + 37 letters and digits", lambda: "r8_" + _random(ALNUM, 37)),
    ("legacy 40 hex digits", lambda: _random(HEX, 40)),
    ("hf_ + 34 letters and digits", lambda: "hf_" + _random(ALNUM, 34)),
    ("16 letters and digits (a short key)", lambda: _random(ALNUM, 16)),
    ("r8_ token holding a fake word", _with_word),
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=10_000)
    count = parser.parse_args().count
    print(f"{'shape':40} {'values':>8} {'dropped':>8} {'us/value':>9}")
    for label, make in SHAPES:
        values = [make() for _ in range(count)]
        start = time.perf_counter()
        dropped = sum(1 for value in values if is_placeholder(value))
        per_value = (time.perf_counter() - start) / count * 1e6
        print(f"{label:40} {count:>8} {dropped:>8} {per_value:>9.1f}")


if __name__ == "__main__":
    main()
