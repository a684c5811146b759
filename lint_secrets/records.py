"""The base of the package's frozen dataclasses: their `==`, `hash` and `repr`, shared.

`@dataclass(frozen=True)` writes six methods for each class as source text and compiles each
with `exec`; on Python 3.11 that is most of what importing the checker costs (the 60
dataclasses a run that parses loads took 90 ms of a 260 ms pre-commit run). Three of the
six need nothing of the class but its fields: a class declared

    @dataclass(frozen=True, repr=False, eq=False)
    class Finding(Record): ...

is compiled only its `__init__`, `__setattr__` and `__delattr__`, and compares, hashes and
prints as `@dataclass(frozen=True)` would make it: equal to an instance of the same class
whose compared fields are equal, hashed on those fields, shown as `Finding(path='a.py', ...)`
with the fields that have `repr=True`. `tests/test_records.py` holds every such class to it.
"""

from __future__ import annotations

from dataclasses import fields
from operator import attrgetter
from reprlib import recursive_repr
from typing import Any, Callable, Dict, Sequence, Tuple

_Key = Callable[[Any], Tuple[Any, ...]]

# Per class: what its instances are compared on, what they are hashed on (the same fields
# unless a field says `hash=`), and the fields its repr shows.
_keys: Dict[type, _Key] = {}
_hash_keys: Dict[type, _Key] = {}
_shown: Dict[type, Tuple[str, ...]] = {}


def _getter(names: Sequence[str]) -> _Key:
    """The values of `names` of a record, as a tuple."""
    if len(names) > 1:
        return attrgetter(*names)  # a tuple of the values, in C
    if names:
        one = attrgetter(names[0])
        return lambda record: (one(record),)  # attrgetter of one name gives no tuple
    return lambda record: ()


def _key_of(cls: type) -> _Key:
    key = _keys[cls] = _getter([f.name for f in fields(cls) if f.compare])
    return key


def _hash_key_of(cls: type) -> _Key:
    # As dataclasses: a field's `hash` decides when given, else whether it is compared.
    hashed = [f.name for f in fields(cls) if (f.compare if f.hash is None else f.hash)]
    key = _hash_keys[cls] = _getter(hashed)
    return key


class Record:
    """`==`, `hash` and `repr` as `@dataclass(frozen=True)` writes them, for subclasses
    declared `@dataclass(frozen=True, repr=False, eq=False)`."""

    __slots__ = ()

    # Sets and dicts of records (schema lookups by ModelRef, findings by place) call these
    # often: the cached key is looked up inline, and made by _key_of only the first time.
    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        key = _keys.get(self.__class__) or _key_of(self.__class__)
        return bool(key(self) == key(other))

    def __hash__(self) -> int:
        return hash((_hash_keys.get(self.__class__) or _hash_key_of(self.__class__))(self))

    @recursive_repr()  # as dataclasses guards it: a record met again inside itself is `...`
    def __repr__(self) -> str:
        cls = self.__class__
        shown = _shown.get(cls)
        if shown is None:
            shown = _shown[cls] = tuple(f.name for f in fields(cls) if f.repr)  # type: ignore[arg-type]
        values = ", ".join(f"{name}={getattr(self, name)!r}" for name in shown)
        return f"{cls.__qualname__}({values})"
