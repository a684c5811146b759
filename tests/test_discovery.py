"""Which files a run looks at: default and configured excludes, named files, symbolic links."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Iterable, List, Tuple

import pytest

from lint_secrets.config import Config
from lint_secrets.discovery import discover, is_excluded


def touch(root: Path, *names: str) -> None:
    for name in names:
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("import replicate\n", encoding="utf-8")


def found(
    root: Path, paths: Iterable[Path], config: Config, **kwargs: bool
) -> Tuple[List[str], List[Tuple[str, str]]]:
    result = discover(list(paths), config, **kwargs)
    files = [Path(os.path.relpath(p, root)).as_posix() for p in result.files]
    return files, [(Path(e.path).name, e.message) for e in result.errors]


@pytest.mark.parametrize(
    "skipped",
    (
        pytest.param(".git/hooks/x.py", id="git"),
        pytest.param(".venv/lib/x.py", id="dot-venv"),
        pytest.param("venv/lib/x.py", id="venv"),
        pytest.param("__pycache__/x.py", id="pycache"),
        pytest.param("build/lib/x.py", id="build"),
        pytest.param("dist/x.py", id="dist"),
        pytest.param("pkg/build/x.py", id="nested-build"),
        pytest.param(".tox/py39/x.py", id="tox"),
        pytest.param("node_modules/x.py", id="node-modules"),
        pytest.param(".lint-secrets/x.py", id="own-cache"),
        pytest.param("site-packages/x.py", id="site-packages"),
    ),
)
def test_default_excludes(tmp_path: Path, skipped: str) -> None:
    touch(tmp_path, "src/app.py", skipped)
    assert found(tmp_path, [tmp_path], Config(root=tmp_path))[0] == ["src/app.py"]


def test_any_virtualenv_is_skipped_by_its_pyvenv_cfg(tmp_path: Path) -> None:
    touch(tmp_path, "src/app.py", "myenv/lib/python3.12/site/x.py", "notenv/y.py")
    (tmp_path / "myenv" / "pyvenv.cfg").write_text("home = /usr/bin\n", encoding="utf-8")
    assert found(tmp_path, [tmp_path], Config(root=tmp_path))[0] == ["notenv/y.py", "src/app.py"]


def test_walk_keeps_python_files_only_in_a_stable_order(tmp_path: Path) -> None:
    touch(tmp_path, "b.py", "a.pyi", "c.txt", "d.pyc", "z/y.py", "z/a.py", "m.py")
    assert found(tmp_path, [tmp_path], Config(root=tmp_path))[0] == [
        "a.pyi",
        "b.py",
        "m.py",
        "z/a.py",
        "z/y.py",
    ]


def test_configured_excludes(tmp_path: Path) -> None:
    touch(tmp_path, "src/app.py", "gen/x.py", "src/gen/y.py", "src/x_pb2.py", "build/z.py")
    config = Config(root=tmp_path, extend_exclude=("gen", "*_pb2.py"))
    assert found(tmp_path, [tmp_path], config)[0] == ["src/app.py"]
    # `exclude` replaces the defaults.
    replaced = Config(root=tmp_path, exclude=("gen",))
    assert found(tmp_path, [tmp_path], replaced)[0] == ["build/z.py", "src/app.py", "src/x_pb2.py"]
    # A glob anchored at the root only matches there.
    anchored = Config(root=tmp_path, extend_exclude=("src/gen/**",))
    assert found(tmp_path, [tmp_path], anchored)[0] == ["gen/x.py", "src/app.py", "src/x_pb2.py"]


WALKED_TREE = (
    "app.py",
    "..odd.py",
    "src/gen_a.py",
    "src/keep.py",
    "src/deep/gen_b.py",
    "src/deep/keep.py",
    "..hidden/x.py",
    "gen/x.py",
)


@pytest.mark.parametrize(
    ("cwd", "top", "root"),
    (
        pytest.param("project", ".", "project", id="from-the-root"),
        pytest.param("project", "src", "project", id="relative-below-the-root"),
        pytest.param("project/src", "..", "project", id="the-root-named-from-below"),
        pytest.param(".", "project", "project", id="root-named-from-its-parent"),
        pytest.param("project", "ABSOLUTE", "project", id="absolute"),
        pytest.param("project", ".", "other", id="outside-the-root"),
        pytest.param("other", "../project", "other", id="outside-named-from-the-root"),
        pytest.param("project", "ABSOLUTE", "other", id="outside-absolute"),
        pytest.param("project", ".", "project/src", id="an-ancestor-of-the-root"),
    ),
)
@pytest.mark.parametrize(
    "patterns",
    (
        pytest.param(("src/gen_*.py", "deep"), id="from-the-root-and-by-name"),
        pytest.param(("src/deep/**", "..odd.py"), id="a-tree-and-a-dotted-name"),
        pytest.param(("gen_*", "..hidden"), id="names"),
        pytest.param(("src/**", "?*/..odd.py", "*/src/keep.py"), id="whole-paths"),
    ),
)
def test_a_walk_excludes_each_entry_as_a_named_file_would_be(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    cwd: str,
    top: str,
    root: str,
    patterns: Tuple[str, ...],
) -> None:
    # The walk works an entry's path out from its directory's; a named file's is worked out
    # from the root. Wherever the run starts, the two must agree.
    project = tmp_path / "project"
    touch(project, *WALKED_TREE)
    (tmp_path / "other").mkdir()
    monkeypatch.chdir(tmp_path / cwd)
    config = Config(root=tmp_path / root, extend_exclude=patterns)
    start = project if top == "ABSOLUTE" else Path(top)
    walked = discover([start], config).files
    every = sorted(p for p in start.rglob("*.py"))
    expected = [p for p in every if not is_excluded(p, config)]
    assert sorted(os.path.abspath(p) for p in walked) == sorted(os.path.abspath(p) for p in expected)


def test_named_files_are_checked_unless_force_exclude(tmp_path: Path) -> None:
    touch(tmp_path, "gen/x.py", "build/y.py", "src/app.py")
    config = Config(root=tmp_path, extend_exclude=("gen",))
    named = [tmp_path / "gen" / "x.py", tmp_path / "build" / "y.py", tmp_path / "src" / "app.py"]
    assert found(tmp_path, named, config)[0] == ["gen/x.py", "build/y.py", "src/app.py"]
    # pre-commit passes file names: with --force-exclude a file inside an excluded directory is skipped.
    assert found(tmp_path, named, config, force_exclude=True)[0] == ["src/app.py"]
    # An excluded directory named explicitly is walked, unless forced.
    assert found(tmp_path, [tmp_path / "gen"], config)[0] == ["gen/x.py"]
    assert found(tmp_path, [tmp_path / "gen"], config, force_exclude=True)[0] == []


def test_force_exclude_with_relative_names_from_the_root(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    touch(tmp_path, "gen/deep/x.py", "src/app.py")
    monkeypatch.chdir(tmp_path)
    config = Config(root=tmp_path, extend_exclude=("gen",))
    files, errors = found(tmp_path, [Path("gen/deep/x.py"), Path("src/app.py")], config, force_exclude=True)
    assert files == ["src/app.py"] and errors == []
    assert is_excluded(Path("gen/deep/x.py"), config)
    assert not is_excluded(Path("src/app.py"), config)
    assert not is_excluded(Path("generated/x.py"), config)


def test_named_file_with_other_suffix_is_checked(tmp_path: Path) -> None:
    touch(tmp_path, "script")
    assert found(tmp_path, [tmp_path / "script"], Config(root=tmp_path))[0] == ["script"]


def test_duplicates_are_checked_once(tmp_path: Path) -> None:
    touch(tmp_path, "a.py")
    paths = [tmp_path / "a.py", tmp_path, tmp_path / "." / "a.py"]
    assert found(tmp_path, paths, Config(root=tmp_path))[0] == ["a.py"]


def test_symlinked_directories_are_not_followed_while_walking(tmp_path: Path) -> None:
    touch(tmp_path, "real/a.py", "outside/b.py")
    (tmp_path / "real" / "loop").symlink_to(tmp_path / "real", target_is_directory=True)
    (tmp_path / "real" / "elsewhere").symlink_to(tmp_path / "outside", target_is_directory=True)
    assert found(tmp_path, [tmp_path / "real"], Config(root=tmp_path))[0] == ["real/a.py"]
    # A linked directory named explicitly is walked.
    assert found(tmp_path, [tmp_path / "real" / "elsewhere"], Config(root=tmp_path))[0] == [
        "real/elsewhere/b.py"
    ]


def test_broken_symlinks(tmp_path: Path) -> None:
    touch(tmp_path, "a.py")
    (tmp_path / "dangling.py").symlink_to(tmp_path / "missing.py")
    # Met while walking: skipped silently.
    assert found(tmp_path, [tmp_path], Config(root=tmp_path)) == (["a.py"], [])
    # Named explicitly: an error, and the other paths are still found.
    files, errors = found(tmp_path, [tmp_path / "dangling.py", tmp_path / "a.py"], Config(root=tmp_path))
    assert files == ["a.py"]
    assert errors == [("dangling.py", "broken symbolic link")]


def test_missing_path_is_an_error(tmp_path: Path) -> None:
    files, errors = found(tmp_path, [tmp_path / "nope.py"], Config(root=tmp_path))
    assert files == [] and errors == [("nope.py", "no such file or directory")]
