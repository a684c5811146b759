"""Every frozen dataclass of the package compares, hashes and prints as `@dataclass(frozen=True)`
would make it, through `records.Record`, with only its `__init__` and attribute guards compiled."""

from __future__ import annotations

import dataclasses
import importlib
import itertools
import pkgutil
import random
from typing import Any, Iterator, List, Tuple, Type

import pytest

import lint_secrets
from lint_secrets.records import Record


def _frozen_dataclasses() -> List[type]:
    found = {}
    for module_info in pkgutil.walk_packages(lint_secrets.__path__, "lint_secrets."):
        if module_info.name in ("lint_secrets.__main__",):
            continue
        module = importlib.import_module(module_info.name)
        for value in vars(module).values():
            if (
                isinstance(value, type)
                and dataclasses.is_dataclass(value)
                and value.__module__ == module.__name__
                and value.__dataclass_params__.frozen  # type: ignore[attr-defined]
            ):
                found[f"{value.__module__}.{value.__qualname__}"] = value
    return [found[name] for name in sorted(found)]


FROZEN = _frozen_dataclasses()


def test_the_package_has_frozen_dataclasses_to_hold() -> None:
    assert len(FROZEN) >= 50  # the walk found them (Finding, FileResult, Fix, the plans, ...)


@pytest.mark.parametrize("cls", FROZEN, ids=lambda cls: cls.__qualname__)
def test_each_frozen_dataclass_shares_records_methods(cls: type) -> None:
    """Declared `@dataclass(frozen=True, repr=False, eq=False)` on `Record`: a class that
    lets dataclasses write `__eq__` or `__repr__` compiles them again at every start."""
    params = cls.__dataclass_params__  # type: ignore[attr-defined]
    assert issubclass(cls, Record)
    assert (params.eq, params.repr) == (False, False)
    for name in ("__eq__", "__hash__", "__repr__"):
        assert getattr(cls, name) is getattr(Record, name), name


_SAMPLES: Tuple[Any, ...] = (0, 1, "a", "b", None, (), ("x",), 2.5)


def _twin(cls: type) -> type:
    """The same fields, as plain `@dataclass(frozen=True)` writes them."""

    def spec(f: dataclasses.Field[Any]) -> Any:
        if f.default_factory is not dataclasses.MISSING:
            return dataclasses.field(
                default_factory=f.default_factory, compare=f.compare, repr=f.repr, hash=f.hash
            )
        return dataclasses.field(default=f.default, compare=f.compare, repr=f.repr, hash=f.hash)

    specs = [(f.name, Any, spec(f)) for f in dataclasses.fields(cls)]
    return dataclasses.make_dataclass(cls.__name__, specs, frozen=True)


def _made(cls: type, values: Tuple[Any, ...]) -> Any:
    instance = object.__new__(cls)  # not through __init__: __post_init__ checks real values
    for f, value in zip(dataclasses.fields(cls), values):
        object.__setattr__(instance, f.name, value)
    return instance


def _instances(cls: type, twin: type, rng: random.Random) -> Iterator[Tuple[Any, Any]]:
    """Instances of random values, each with a second one that differs only in the fields
    left out of comparisons (equal to it, by both)."""
    fields = dataclasses.fields(cls)
    for _ in range(8):
        values = tuple(rng.choice(_SAMPLES) for _ in fields)
        yield _made(cls, values), _made(twin, values)
        hidden = tuple(v if f.compare else rng.choice(_SAMPLES) for f, v in zip(fields, values))
        yield _made(cls, hidden), _made(twin, hidden)


@pytest.mark.parametrize("cls", FROZEN, ids=lambda cls: cls.__qualname__)
def test_each_frozen_dataclass_behaves_as_dataclasses_writes_it(cls: type) -> None:
    twin = _twin(cls)
    rng = random.Random(cls.__qualname__)
    pairs = list(_instances(cls, twin, rng))
    for (ours, theirs), (other_ours, other_theirs) in itertools.product(pairs, repeat=2):
        assert (ours == other_ours) is (theirs == other_theirs)
        assert (ours != other_ours) is (theirs != other_theirs)
        if ours == other_ours:
            assert hash(ours) == hash(other_ours)
    for ours, theirs in pairs:
        assert hash(ours) == hash(theirs)  # the same value: sets of them iterate in the same order
        assert repr(ours) == repr(theirs).replace(twin.__qualname__, cls.__qualname__, 1)
        assert (ours == theirs) is False  # another class: never equal, as dataclasses has it
        with pytest.raises(dataclasses.FrozenInstanceError):
            ours.anything = 1


@dataclasses.dataclass(frozen=True, repr=False, eq=False)
class _NoneCompared(Record):
    note: str = dataclasses.field(default="", compare=False)


@dataclasses.dataclass(frozen=True, repr=False, eq=False)
class _OneCompared(Record):
    value: Any
    hidden: str = dataclasses.field(default="s", repr=False)


@dataclasses.dataclass(frozen=True, repr=False, eq=False)
class _HashNarrowed(Record):
    kept: int
    compared_not_hashed: str = dataclasses.field(default="", hash=False)
    hashed_not_compared: int = dataclasses.field(default=0, compare=False, hash=True)


@pytest.mark.parametrize(
    ("cls", "args", "same", "different"),
    [
        pytest.param(_NoneCompared, ("x",), ("y",), None, id="no-compared-field"),
        pytest.param(_HashNarrowed, (1, "a", 2), (1, "a", 2), (1, "b", 2), id="field-hash-given"),
        pytest.param(_OneCompared, ((1, 2),), ((1, 2),), ((2, 1),), id="one-compared-field-tuple-valued"),
        pytest.param(_OneCompared, ("a", "s"), ("a", "s"), ("a", "t"), id="one-field-and-one-hidden"),
    ],
)
def test_narrow_shapes(cls: Type[Any], args: Tuple[Any, ...], same: Any, different: Any) -> None:
    twin = _twin(cls)
    assert (cls(*args) == cls(*same)) is (twin(*args) == twin(*same)) is True
    assert hash(cls(*args)) == hash(cls(*same))
    if different is not None:
        assert (cls(*args) == cls(*different)) is (twin(*args) == twin(*different))
    assert repr(cls(*args)) == repr(twin(*args)).replace(twin.__qualname__, cls.__qualname__, 1)
    assert dataclasses.replace(cls(*args)) == cls(*args)
    for values in (args, same, *([different] if different is not None else [])):
        assert hash(cls(*values)) == hash(twin(*values))


def test_no_frozen_dataclass_is_declared_otherwise() -> None:
    """Read from the source, so a class nested in a function or another class (which the
    import-time walk above cannot see) is held to the shape too."""
    import ast
    from pathlib import Path

    package = Path(lint_secrets.__file__).parent
    astray = []
    for path in sorted(package.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.ClassDef):
                continue
            for decorator in node.decorator_list:
                if not (
                    isinstance(decorator, ast.Call) and ast.unparse(decorator.func).endswith("dataclass")
                ):
                    continue
                given = {k.arg: ast.unparse(k.value) for k in decorator.keywords}
                if given.get("frozen") != "True":
                    continue
                on_record = any(ast.unparse(base).endswith("Record") for base in node.bases)
                if not (on_record and given.get("repr") == "False" and given.get("eq") == "False"):
                    astray.append(f"{path.relative_to(package)}:{node.lineno} {node.name}")
    assert not astray


def test_pickled_records_stay_equal() -> None:
    """Results come back from worker processes pickled."""
    import pickle

    from lint_secrets.findings import FileError, FileResult, Finding

    finding = Finding("a.py", 3, 7, 3, 20, "RS101", "Hardcoded secret for input 'k'")
    result = FileResult("a.py", (finding,), errors=(FileError("a.py", "x"),), parsed=True)
    again = pickle.loads(pickle.dumps(result))
    assert again == result and hash(again.findings[0]) == hash(finding)
    assert repr(again) == repr(result)


def test_a_record_that_holds_itself_prints_as_dataclasses_has_it() -> None:
    """dataclasses guards its repr against cycles: an instance met again inside itself is `...`."""
    twin = _twin(_OneCompared)
    ours_held: List[Any] = []
    theirs_held: List[Any] = []
    ours, theirs = _OneCompared(ours_held), twin(theirs_held)
    ours_held.append(ours)
    theirs_held.append(theirs)
    assert repr(theirs) == "_OneCompared(value=[...])"
    assert repr(ours) == repr(theirs)
