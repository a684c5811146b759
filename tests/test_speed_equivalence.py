"""Pins for the speed changes of issue 17: each shortcut must give what the general rule gave."""

from __future__ import annotations

import os
import random
import string
from pathlib import Path
from typing import Dict, FrozenSet, List, Optional, Sequence, Tuple

import pytest

from lint_secrets.config import Config, find_config, read_config_file, relative_to_root
from lint_secrets.discovery import _directory_facts

_PARTS = ("a", "b", "..", ".", "..x", "...", ".a", "")
_NAMES = ("f.py", "..f.py", "...", ".x", "..x", "b")


def _random_path(rng: random.Random, base: Path) -> Path:
    text = "/".join(rng.choice(_PARTS) for _ in range(rng.randint(0, 4)))
    kind = rng.random()
    if kind < 0.25:
        return Path("/" + text)
    if kind < 0.4:
        return Path(f"{base}/{text}")
    if kind < 0.45:
        return Path("//" + text)
    return Path(text or ".")


def test_a_directory_prefix_plus_a_name_is_the_entry_path_from_the_root(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Relative and absolute directories and roots, `..` on the way, names starting with dots,
    # run from inside, above and beside the root: wherever `_directory_facts` gives a prefix,
    # prefix + name must be what `relative_to_root` makes of the entry.
    for made in ("a/b", "a/..x", "..x", "r"):
        (tmp_path / made).mkdir(parents=True, exist_ok=True)
    starts = (tmp_path, tmp_path / "a", tmp_path / "a/b", tmp_path / "..x", Path("/"))
    rng = random.Random(17)
    compared = 0
    for _ in range(5000):
        monkeypatch.chdir(rng.choice(starts))
        directory, root, name = _random_path(rng, tmp_path), _random_path(rng, tmp_path), rng.choice(_NAMES)
        _, prefix = _directory_facts(directory, Config(root=root))
        if prefix is None or (not prefix and name.startswith("..")):
            continue  # discovery takes the general rule there
        compared += 1
        assert prefix + name == relative_to_root(directory / name, root), (os.getcwd(), directory, root, name)
    assert compared > 2000


def test_a_configuration_rewritten_with_as_many_bytes_is_read_again(tmp_path: Path) -> None:
    # Parsed documents are kept by path and bytes: a rewrite of the same size (and the same
    # time stamp, as two quick writes may have) must not give the old options.
    config_file = tmp_path / "pyproject.toml"
    config_file.write_text('[tool.lint-secrets]\nextend-exclude = ["a.py"]\n', encoding="utf-8")
    stamp = config_file.stat()
    assert find_config(tmp_path)[0] == config_file
    assert read_config_file(config_file).extend_exclude == ("a.py",)
    config_file.write_text('[tool.lint-secrets]\nextend-exclude = ["b.py"]\n', encoding="utf-8")
    os.utime(config_file, ns=(stamp.st_atime_ns, stamp.st_mtime_ns))
    assert read_config_file(config_file).extend_exclude == ("b.py",)
    config_file.write_text('[tool.other]\nextend-exclude = ["b.py"]\n', encoding="utf-8")
    assert find_config(tmp_path) == (None, config_file)


def _passes_every_byte_test(data: bytes) -> bool:
    """The prefilter as first written: every needle, then every module's import, each looked
    for over the whole file."""
    from lint_secrets.catalog import NEEDLES
    from lint_secrets.prefilter import IMPORT_WORDS, WIDE_BOMS, _imports

    if data.startswith(WIDE_BOMS) or any(needle in data for needle in NEEDLES):
        return True
    return any(_imports(data, word) for word in IMPORT_WORDS)


def test_the_prefilter_passes_what_testing_every_needle_passes() -> None:
    # Needles that hold a module's name are looked for only where the name is: random texts
    # made of the needles, the names, their pieces and import statements must pass alike.
    from lint_secrets.catalog import IMPORTS, NEEDLES
    from lint_secrets.prefilter import NEEDLES_BEHIND, NEEDLES_BY_RARE_BYTE, could_hold_findings

    assert any(NEEDLES_BEHIND.values()), "no needle holds a module's name: the test proves nothing"
    assert NEEDLES_BY_RARE_BYTE, "no needle is looked for by a rare byte: the test proves nothing"
    words = [m.encode("ascii") for m in IMPORTS]
    pieces = [
        *NEEDLES,
        *(needle[: len(needle) // 2] for needle in NEEDLES),
        *(needle[len(needle) // 2 :] for needle in NEEDLES),
        *words,
        *(b"x" + word for word in words),
        *(word.upper() for word in words),
        b"import ",
        b"from ",
        b" import x",
        b"\n",
        b"\r",
        b";",
        b" ",
        b"recognize",
        b"\\n",
        b'"',
        b"\xef\xbb\xbf",
        b"\xff\xfe",
        b"api.",
        b".com",
        b"_api_token",
        *(bytes([byte]) for needle in NEEDLES for byte in needle if 0x30 <= byte <= 0x39),
        b"88",
        b"_",
    ]
    rng = random.Random(17)
    passed = 0
    for _ in range(20000):
        data = b"".join(rng.choice(pieces) for _ in range(rng.randint(0, 8)))
        expected = _passes_every_byte_test(data)
        assert could_hold_findings(data) is expected, data
        passed += expected
    assert 2000 < passed < 18000


@pytest.mark.parametrize("size", [0, 1, 4095, 4096, 65537, 3 * 1024 * 1024 + 7])
def test_a_file_is_read_whole_by_the_system_calls(tmp_path: Path, size: int) -> None:
    from lint_secrets.source import read_source

    data = bytes(random.Random(size).getrandbits(8) for _ in range(min(size, 5000))) * (size // 5000 + 1)
    target = tmp_path / "f.py"
    target.write_bytes(data[:size])
    assert read_source(str(target)) == target.read_bytes() == data[:size]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
def test_a_read_returning_less_than_asked_goes_on_to_the_end(tmp_path: Path) -> None:
    # A pipe answers each read with what was written so far: fstat's size (0) is no limit.
    import threading
    import time

    from lint_secrets.source import read_source

    pipe = tmp_path / "pipe.py"
    os.mkfifo(pipe)

    def write() -> None:
        with open(pipe, "wb", buffering=0) as out:
            for piece in (b"a = 1\n", b"b = 2\n" * 5000, b"c = 3\n"):
                out.write(piece)
                time.sleep(0.05)

    writer = threading.Thread(target=write)
    writer.start()
    try:
        assert read_source(str(pipe)) == b"a = 1\n" + b"b = 2\n" * 5000 + b"c = 3\n"
    finally:
        writer.join()


_DIRECTORIES = ("a", "b", "..x", ".hidden", "build", "gen", "a.b", "x.py", "sp ace", "venvish")
_FILES = ("m.py", "..odd.py", "n.pyi", "nb.ipynb", "t.txt", "x.PY", "gen_1.py")
_LEFTOVER = ".lint-secrets-0123456789abcdef.tmp"


def _random_tree(rng: random.Random, root: Path) -> None:
    directories = [root]
    for _ in range(rng.randint(3, 12)):
        directory = rng.choice(directories) / rng.choice(_DIRECTORIES)
        directory.mkdir(exist_ok=True)
        directories.append(directory)
    for _ in range(rng.randint(5, 30)):
        (rng.choice(directories) / rng.choice(_FILES)).write_text("x = 1\n", encoding="utf-8")
    (rng.choice(directories) / _LEFTOVER).write_text("", encoding="utf-8")
    for _ in range(rng.randint(0, 3)):
        place = rng.choice(directories) / f"link{rng.randint(0, 9)}.py"
        if not os.path.lexists(place):
            place.symlink_to(rng.choice([*directories, root / "m.py", root / "missing.py"]))
    if rng.random() < 0.5:
        (rng.choice(directories[1:]) / "pyvenv.cfg").write_text("home = /usr\n", encoding="utf-8")


def _walked_with_paths(top: Path, config: Config) -> Tuple[List[str], List[str]]:
    """The walk as it was written with Path objects (files and leftovers as their strings)."""
    from lint_secrets.atomic import is_leftover_name
    from lint_secrets.discovery import PYTHON_SUFFIXES, _walk_order, is_excluded

    files: List[Path] = []
    leftovers: List[str] = []
    stack = [top]
    while stack:
        directory = stack.pop()
        subdirectories = []
        for entry in sorted(os.scandir(directory), key=lambda e: e.name):
            path = directory / entry.name
            if entry.is_dir(follow_symlinks=False):
                if not is_excluded(path, config) and not (path / "pyvenv.cfg").exists():
                    subdirectories.append(path)
            elif is_leftover_name(entry.name):
                leftovers.append(str(path))
            elif entry.name.endswith(PYTHON_SUFFIXES) and entry.is_file() and not is_excluded(path, config):
                files.append(path)
        stack.extend(reversed(subdirectories))
    return [str(p) for p in sorted(files, key=lambda p: _walk_order(p.as_posix()))], leftovers


@pytest.mark.parametrize("seed", range(12))
def test_the_walk_finds_the_same_paths_as_pathlib_joined_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, seed: int
) -> None:
    # The walk joins strings: each file must be the same string, in the same order, as the
    # walk with Path objects gave, named from inside, above and below, relative or absolute.
    from lint_secrets.discovery import discover

    rng = random.Random(seed)
    project = tmp_path / "project"
    project.mkdir()
    _random_tree(rng, project)
    (project / "sub").mkdir()
    _random_tree(rng, project / "sub")
    patterns = rng.choice([(), ("gen_*",), ("a/**",), ("..x", "*.pyi"), ("sub/b",)])
    config = Config(root=project, extend_exclude=patterns, respect_gitignore=False)
    for cwd, top in (
        (project, "."),
        (project, "./"),
        (project, "sub"),
        (project, "sub/"),
        (project, "./sub/."),
        (project / "sub", ".."),
        (project / "sub", "../sub"),
        (tmp_path, "project"),
        (tmp_path, str(project)),
    ):
        monkeypatch.chdir(cwd)
        found = discover([Path(top)], config)
        expected_files, expected_leftovers = _walked_with_paths(Path(top), config)
        assert [str(p) for p in found.files] == expected_files, (cwd, top, patterns)
        assert all(type(p) is type(Path(top)) for p in found.files)
        assert [str(p) for p in found.leftovers] == expected_leftovers, (cwd, top)


@pytest.mark.parametrize("seed", range(6))
def test_git_s_list_gives_what_the_walk_gives_where_nothing_is_ignored(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, seed: int
) -> None:
    # The listing is judged entry by entry as the walk judges them, in the walk's order.
    from conftest import git

    from lint_secrets.discovery import discover

    rng = random.Random(100 + seed)
    project = tmp_path / "project"
    project.mkdir()
    _random_tree(rng, project)
    git(project, "init", "-q")
    git(project, "add", "-A")
    _random_tree(rng, project)  # and some untracked files
    patterns = rng.choice([(), ("gen_*",), ("a/**",), ("..x", "*.pyi")])
    for cwd, top in ((project, "."), (tmp_path, "project"), (tmp_path, str(project)), (project, "a")):
        if not (cwd / top).is_dir():
            continue
        monkeypatch.chdir(cwd)
        listed = discover([Path(top)], Config(root=project, extend_exclude=patterns))
        walked = discover([Path(top)], Config(root=project, extend_exclude=patterns, respect_gitignore=False))
        assert not listed.errors and not listed.notes
        assert [str(p) for p in listed.files] == [str(p) for p in walked.files], (cwd, top, patterns)


def test_a_discovery_s_paths_are_its_names(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # The run takes the names; `files` makes Paths of them, which must write them back alike.
    from lint_secrets.discovery import discover

    _random_tree(random.Random(5), tmp_path)
    monkeypatch.chdir(tmp_path)
    found = discover([Path("."), tmp_path / "m.py", Path("./m.py")], Config(root=tmp_path))
    assert found.names and [str(p) for p in found.files] == list(found.names)


class _RegexGlobSet:
    """GlobSet as first written: every pattern compiled into the regular expressions."""

    def __init__(self, patterns: Sequence[str]) -> None:
        from lint_secrets.config import _clean_pattern, _compile, _is_anchored

        cleaned = [_clean_pattern(p) for p in patterns]
        relative = [p for p in cleaned if not _is_anchored(p)]
        anchored = [p for p in cleaned if _is_anchored(p)]
        self.whole, self.anchored = _compile(relative), _compile(anchored)
        self.name = _compile([p for p in cleaned if "/" not in p])
        self.prefixes = tuple(p[:-3] for p in relative if p.endswith("/**"))
        self.anchored_prefixes = tuple(p[:-3] for p in anchored if p.endswith("/**"))

    def matches(self, relative_path: str, absolute_path: Optional[str]) -> bool:
        if self.whole is not None and self.whole.match(relative_path):
            return True
        if self.name is not None and self.name.match(relative_path.rsplit("/", 1)[-1]):
            return True
        if any(relative_path == p or relative_path.startswith(p + "/") for p in self.prefixes):
            return True
        if absolute_path is None:
            return False
        if self.anchored is not None and self.anchored.match(absolute_path):
            return True
        return any(absolute_path == p or absolute_path.startswith(p + "/") for p in self.anchored_prefixes)


_PATTERN_PIECES = (
    ".venv", "build", "Build", "a.b", "src", "gen", "x", "..x", "sp ace", "*", "**", "?", "*.py", "gen_*",
    "[ab]", "[!a]*", "a\\b", "",
)  # fmt: skip


def _random_pattern(rng: random.Random) -> str:
    pattern = "/".join(rng.choice(_PATTERN_PIECES) for _ in range(rng.randint(1, 3)))
    return rng.choice(("", "", "", "./", "/abs/", "C:/", "/")) + pattern + rng.choice(("", "", "/", "/**"))


def test_globs_without_wildcards_match_as_the_compiled_patterns_did() -> None:
    # Patterns without *, ? or [ are looked up in sets: every answer, for every mix of literal,
    # wildcard, anchored, `dir/**` and `./` patterns, must be the regular expressions' answer.
    from lint_secrets.config import GlobSet
    from lint_secrets.discovery import DEFAULT_EXCLUDES

    rng = random.Random(17)
    names = (
        "build",
        "Build",
        ".venv",
        "a.b",
        "src",
        "gen",
        "x",
        "..x",
        "gen_1.py",
        "a\\b",
        "sp ace",
        "b",
        "",
    )
    pattern_sets = [DEFAULT_EXCLUDES, (*DEFAULT_EXCLUDES, "src/gen", "/abs/x")]
    pattern_sets += [tuple(_random_pattern(rng) for _ in range(rng.randint(1, 6))) for _ in range(300)]
    answers = {True: 0, False: 0}
    for patterns in pattern_sets:
        new, old = GlobSet(patterns), _RegexGlobSet(patterns)
        for _ in range(200):
            relative = "/".join(rng.choice(names) for _ in range(rng.randint(1, 4)))
            absolute = rng.choice((None, "/abs/" + relative, "C:/" + relative, "/" + relative, relative))
            expected = old.matches(relative, absolute)
            assert new.matches(relative, absolute) is expected, (patterns, relative, absolute)
            assert new.matches(relative) is old.matches(relative, None), (patterns, relative)
            answers[expected] += 1
    assert min(answers.values()) > 5000, answers


def test_a_file_is_under_a_root_if_its_directory_is(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # related_files asks once per directory whether the files are in their project.
    from lint_secrets.importers import _under

    rng = random.Random(17)
    monkeypatch.chdir(tmp_path)
    roots = [os.path.abspath(r) for r in (tmp_path, tmp_path / "a", tmp_path / "a.b", tmp_path.parent, "/")]
    compared = {True: 0, False: 0}
    for _ in range(5000):
        directory = str(_random_path(rng, tmp_path))
        path = os.path.join(directory, rng.choice(("f.py", "..f.py", ".py", "a.py")))
        root = rng.choice(roots)
        expected = _under(os.path.abspath(path), root)
        assert _under(os.path.abspath(os.path.dirname(path)), root) is expected, (path, root)
        compared[expected] += 1
    assert min(compared.values()) > 500, compared


@pytest.mark.parametrize("seed", range(4))
def test_discovery_tells_the_resolver_each_file_s_directory_as_it_would_find_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, seed: int
) -> None:
    # A file discovery found is answered from its directory without a stat: the same
    # configuration as asking the file system, for nested projects named every way.
    from lint_secrets.config import ConfigResolver
    from lint_secrets.discovery import discover

    rng = random.Random(seed)
    project = tmp_path / "project"
    project.mkdir()
    _random_tree(rng, project)
    for directory in rng.sample(
        sorted(p for p in project.rglob("*") if p.is_dir() and not p.is_symlink()), 2
    ):
        (directory / "pyproject.toml").write_text(
            '[tool.lint-secrets]\nextend-exclude = ["q"]\n', encoding="utf-8"
        )
    for cwd, named in ((project, [Path(".")]), (tmp_path, [Path("project"), Path("project/m.py")])):
        monkeypatch.chdir(cwd)
        told = ConfigResolver()
        found = discover(named, told)
        assert found.names
        for name in found.names:
            assert told.for_path(name) is told.for_directory(os.path.dirname(os.path.abspath(name)))
            assert told.for_path(name).config_file == ConfigResolver().for_path(name).config_file, name


def _nested_projects(rng: random.Random, root: Path) -> None:
    """A random tree with virtual environments, configurations and work trees in it."""
    from conftest import git

    _random_tree(rng, root)
    directories = sorted(p for p in root.rglob("*") if p.is_dir() and not p.is_symlink())
    for directory in rng.sample(directories, min(4, len(directories))):
        kind = rng.randrange(7)
        if kind == 0:
            (directory / "pyvenv.cfg").write_text("home = /usr\n", encoding="utf-8")
        elif kind == 1:
            (directory / "PyVenv.CFG").write_text("home = /usr\n", encoding="utf-8")
        elif kind == 2:
            table = '[tool.lint-secrets]\nextend-exclude = ["gen_*"]\nrespect-gitignore = false\n'
            (directory / "pyproject.toml").write_text(table, encoding="utf-8")
        elif kind == 3:
            (directory / ".lint-secrets.toml").write_text('extend-exclude = ["*.pyi"]\n', encoding="utf-8")
        elif kind == 4:
            (directory / "lint-secrets.toml").write_text("unknown-key = 1\n", encoding="utf-8")
        elif kind == 5 and not (directory / ".git").exists():
            git(directory, "init", "-q")
            (directory / ".gitignore").write_text("n.pyi\n", encoding="utf-8")
        elif not (directory / ".git").exists():
            (directory / ".git").write_text("gitdir: /nowhere\n", encoding="utf-8")


@pytest.mark.parametrize("seed", range(10))
def test_what_a_directory_holds_is_found_alike_from_its_listing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, seed: int
) -> None:
    # The walk lists each subdirectory when it meets it and looks `pyvenv.cfg`, `.git` and the
    # configuration files up among its names; asking the file system for each must give the
    # same files, errors, notes, leftovers and configurations.
    from lint_secrets import discovery
    from lint_secrets.config import ConfigResolver

    project = tmp_path / "project"
    project.mkdir()
    _nested_projects(random.Random(seed), project)
    monkeypatch.chdir(tmp_path)

    def everything(paths: List[Path]) -> Tuple[object, ...]:
        resolver = ConfigResolver()
        found = discovery.discover(paths, resolver)
        configs = [resolver.for_path(name).config_file for name in found.names]
        return found.names, found.errors, found.notes, found.leftovers, configs

    for named in ([Path("project")], [project], [Path("project/a"), Path("project/m.py")]):
        listed = everything(named)
        with monkeypatch.context() as unlisted:
            unlisted.setattr(discovery, "_casefolded_names", lambda listing: None)
            asked = everything(named)
        assert listed == asked, named


def test_absolute_paths_are_abspath_with_one_getcwd(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # related_files and the second pass take every checked path's absolute form at once.
    from lint_secrets.importers import absolute_paths

    rng = random.Random(29)
    monkeypatch.chdir(tmp_path)
    paths = [str(_random_path(rng, tmp_path) / rng.choice(_NAMES)) for _ in range(3000)]
    paths += ["", ".", "//x.py", "/", "a/../../../b.py", "a/", "./a.py", ".a/b.py", "a/.b.py", "a/...py"]
    paths += ["///x.py", "a//b.py", "a/b/..", "../a.py", "/a/./b.py", "/a/b/", "a/.", "..."]
    assert absolute_paths(paths) == {path: os.path.abspath(path) for path in paths}
    for cwd in ("/", str(tmp_path / ".hidden" / "work"), str(tmp_path / "a..b")):
        os.makedirs(cwd, exist_ok=True)
        monkeypatch.chdir(cwd)
        assert absolute_paths(paths) == {path: os.path.abspath(path) for path in paths}, cwd


def _project_relative_path_file_by_file(path: str, config_root: Path, root_is_project: bool) -> str:
    """The rule as written before each directory's root was kept: every file on its own."""
    from lint_secrets.git import work_tree_top

    def holds(root: str, absolute: str) -> bool:
        return absolute.startswith(root.rstrip(os.sep) + os.sep)

    absolute = os.path.abspath(path)
    roots = [os.path.abspath(config_root)] if root_is_project else []
    top = work_tree_top(os.path.dirname(absolute))
    if top is not None:
        roots.append(top)
    holding = [root for root in roots if holds(root, absolute)]
    if not holding and holds(os.path.abspath(config_root), absolute):
        holding.append(os.path.abspath(config_root))
    if not holding:
        return Path(path).as_posix()
    return Path(os.path.relpath(absolute, min(holding, key=len))).as_posix()


def test_a_files_project_path_and_test_file_verdict_are_the_same_with_each_directorys_kept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Telling test files asks for each file's path from its project root; the verdict is now
    # worked out once per directory. Git work trees nested in projects and the reverse, the
    # file system root, run from inside and beside them.
    from lint_secrets.fix.safety import in_test_file, is_test_file, project_relative_path

    for made in ("repo/.git", "repo/proj/tests", "repo/proj/sub/.git", "outside/tests", "a.b/c"):
        (tmp_path / made).mkdir(parents=True, exist_ok=True)
    directories = [tmp_path, *(p for p in tmp_path.rglob("*") if p.is_dir() and p.name != ".git")]
    roots = [tmp_path / made for made in ("repo", "repo/proj", "repo/proj/sub", "outside")] + [Path("/")]
    rng = random.Random(31)
    compared = 0
    for start in (tmp_path, tmp_path / "repo/proj", tmp_path / "outside"):
        monkeypatch.chdir(start)
        for config_root in roots:
            for root_is_project in (True, False):
                kept: Dict[str, bool] = {}
                for _ in range(60):
                    directory = rng.choice(directories)
                    name = rng.choice(("test_a.py", "a.py", "conftest.py", "..py"))
                    shown = rng.choice((str(directory / name), os.path.relpath(directory / name)))
                    expected = _project_relative_path_file_by_file(shown, config_root, root_is_project)
                    assert project_relative_path(shown, config_root, root_is_project) == expected
                    verdict = is_test_file(expected)
                    assert in_test_file(shown, config_root, root_is_project, kept) == verdict, shown
                    assert in_test_file(shown, config_root, root_is_project) == verdict, shown
                    compared += 1
    assert compared == 3 * 5 * 2 * 60


def _splits_by_the_whole_table(
    letters: str, vocabulary: FrozenSet[str], cut_short: bool
) -> Optional[List[str]]:
    """`heuristics._splits_into_words` as written before it followed only the splits whose
    letters still begin a word: every end, every start within 12 letters of it."""
    from lint_secrets.heuristics import _WORD_BEGINNINGS

    best: List[Optional[List[str]]] = [None] * (len(letters) + 1)
    best[0] = []
    for end in range(1, len(letters) + 1):
        for start in range(max(0, end - 12), end):
            found = best[start]
            word = letters[start:end]
            if found is None:
                continue
            if word in vocabulary or (word[:-1] in vocabulary and word[-1] == "s"):
                best[end] = [*found, word.rstrip("s") if word not in vocabulary else word]
                break
            if cut_short and end == len(letters) and word in _WORD_BEGINNINGS:
                best[end] = [*found, word]
                break
    return best[len(letters)]


def _run_lengths_pair_by_pair(text: str, shortest: int) -> List[int]:
    """`heuristics._run_lengths` as written before it lowered the text once."""
    sequence = string.digits + string.ascii_lowercase
    following = {c: sequence[(i + 1) % len(sequence)] for i, c in enumerate(sequence)}
    lengths = [1] if text else []
    for previous, current in zip(text, text[1:]):
        previous, current = previous.lower(), current.lower()
        if following.get(previous) == current or (previous == "9" and current == "0"):
            lengths[-1] += 1
        elif lengths[-1] < shortest:
            return [*lengths, 0]
        else:
            lengths.append(1)
    return lengths


def test_placeholder_words_split_and_runs_count_as_the_whole_table_does() -> None:
    # Placeholder tests run on every value a call sends: a random run of letters now stops
    # as soon as no word can begin where it is, and runs are read pair by pair.
    from lint_secrets.heuristics import MADE_UP_WORDS, PLACEHOLDER_WORDS, _run_lengths, _splits_into_words

    rng = random.Random(47)
    words = sorted(MADE_UP_WORDS)
    other = frozenset(PLACEHOLDER_WORDS | {"a" * 13, "abcdefghijklmn"})  # words past 12 letters too
    splits = 0
    for _ in range(20_000):
        parts = []
        for _ in range(rng.randint(1, 5)):
            kind = rng.random()
            word = (
                rng.choice(words)
                if kind < 0.6
                else "".join(rng.choices(string.ascii_lowercase, k=rng.randint(1, 14)))
            )
            parts.append(word + "s" if kind < 0.2 else word)
        letters = "".join(parts)[: rng.randint(0, 40)]
        for vocabulary in (MADE_UP_WORDS, other):
            for cut_short in (False, True):
                expected = _splits_by_the_whole_table(letters, vocabulary, cut_short)
                assert _splits_into_words(letters, vocabulary, cut_short) == expected, (letters, cut_short)
                splits += expected is not None
        text = "".join(rng.choices("0123456789abcdefxyzXYZ", k=rng.randint(0, 16)))
        for shortest in (0, 1, 4, len(text) + 1):
            assert _run_lengths(text, shortest) == _run_lengths_pair_by_pair(text, shortest), (text, shortest)
    assert splits > 5_000, "too few letters that split: the comparison proves little"
