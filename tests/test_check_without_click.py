"""A plain `check` (flags and paths: a pre-commit hook's command line) runs without click,
and must do exactly what click's `check` does with the same command line."""

from __future__ import annotations

import inspect
import os
import shutil
import signal
import sys
import threading
from pathlib import Path
from typing import Callable, Dict, List, Optional, Tuple

import click
import pytest
from conftest import modules_imported, sample_project, tts_call, write_files

from lint_secrets import check_command, cli

SECRET = "el-FAKE-0123456789abcdef"
TOKEN = "r8_" + "FAKE" * 9 + "abcd"

FILES = {
    "app.py": "import replicate\n" + tts_call(f'"{SECRET}"'),
    "keys.py": f'import replicate\nclient = replicate.Client(api_token="{TOKEN}")\n',
    "clean.py": "import os\nkey = os.environ['HF_TOKEN']\n",
    "unknown.py": 'import replicate\nreplicate.run("acme/uncached", input={"hf_token": "hf_FAKEabcdefgh"})\n',
    "unresolved.py": "import replicate\nreplicate.run(pick(), input={})\n",
    "suppressed.py": "import replicate\n" + tts_call(f'"{SECRET}"').rstrip("\n") + "  # noqa: RS101\n",
    "build/skipped.py": "import replicate\n" + tts_call(f'"{SECRET}"'),
}


def _project(root: Path, monkeypatch: pytest.MonkeyPatch, broken: bool) -> Path:
    sample_project(root, monkeypatch)
    write_files(root, {**FILES, **({"broken.py": "def f(:\n"} if broken else {})})
    return root


def _run(
    entry: str, argv: List[str], root: Path, capsys: pytest.CaptureFixture[str]
) -> Tuple[Optional[int], str, str, Dict[str, str]]:
    """Exit code, stdout, stderr and the project's files after `argv`, run by `entry` (the
    project's own directory written ROOT, as the two runs have one each)."""
    capsys.readouterr()
    code = check_command.main(argv) if entry == "plain" else cli.main(argv)
    out, err = (text.replace(str(root), "ROOT") for text in capsys.readouterr())
    files = {str(p.relative_to(root)): p.read_text() for p in sorted(root.rglob("*.py"))}
    return code, out, err, files


PLAIN = [
    pytest.param(["check"], False, id="no-arguments"),
    pytest.param(["check", "app.py"], False, id="one-file"),
    pytest.param(
        ["check", "--force-exclude", "app.py", "clean.py", "build/skipped.py"], False, id="pre-commit"
    ),
    pytest.param(["check", "build/skipped.py"], False, id="named-excluded-file"),
    pytest.param(["check", "-q", "."], False, id="quiet"),
    pytest.param(["check", "--statistics", "--exit-zero"], False, id="statistics"),
    pytest.param(["check", "--isolated", "."], False, id="isolated"),
    pytest.param(["check", "--diff", "app.py", "token.py"], False, id="diff"),
    pytest.param(["check", "--diff", "--unsafe-fixes"], False, id="unsafe-diff"),
    pytest.param(["check", "--require-schemas", "unknown.py"], False, id="require-schemas"),
    pytest.param(
        ["check", "--ignore-noqa", "--no-respect-gitignore", "suppressed.py"], False, id="ignore-noqa"
    ),
    pytest.param(["check", "--respect-gitignore", "app.py", "missing.py"], False, id="missing-file"),
    pytest.param(["check", "."], True, id="broken-file"),
    pytest.param(["check", "--fix"], False, id="fix"),
    pytest.param(["check", "app.py", "--fix", "keys.py"], False, id="flags-between-paths"),
    pytest.param(["check", "--add-noqa"], False, id="add-noqa"),
    pytest.param(["check", "--changed"], False, id="changed-outside-git"),
]


@pytest.mark.parametrize(("argv", "broken"), PLAIN)
def test_a_plain_check_does_what_clicks_check_does(
    argv: List[str],
    broken: bool,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    by_click = _run("click", argv, _project(tmp_path / "click", monkeypatch, broken), capsys)
    plain = _run("plain", argv, _project(tmp_path / "plain", monkeypatch, broken), capsys)
    assert plain[0] is not None  # it did run without click
    assert plain[1] or plain[2]  # and said something
    assert plain == by_click
    assert SECRET not in plain[1] + plain[2] and TOKEN not in plain[1] + plain[2]


@pytest.mark.parametrize(
    "argv",
    [
        pytest.param(["check", "-"], id="standard-input"),
        pytest.param(["check", "--select", "RS101"], id="option-with-a-value"),
        pytest.param(["check", "--select=RS101"], id="option-equals-value"),
        pytest.param(["check", "-j", "1"], id="short-option-with-a-value"),
        pytest.param(["check", "-qq"], id="short-flags-together"),
        pytest.param(["check", "--", "app.py"], id="end-of-options"),
        pytest.param(["check", "--fixx"], id="unknown-flag"),
        pytest.param(["check", "-h"], id="help"),
        pytest.param(["rules"], id="another-command"),
        pytest.param(["--version"], id="version"),
        pytest.param([], id="nothing"),
    ],
)
def test_any_other_command_line_goes_to_click(argv: List[str]) -> None:
    assert check_command.plain_check_arguments(argv) is None


def test_a_usage_error_goes_to_click_before_anything_is_done(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    root = _project(tmp_path, monkeypatch, broken=False)
    before = (root / "app.py").read_text()
    assert check_command.main(["check", "--fix", "--add-noqa"]) is None
    out, err = capsys.readouterr()
    assert (out, err) == ("", "")  # click says it, once
    assert (root / "app.py").read_text() == before
    code = cli.main(["check", "--fix", "--add-noqa"])
    assert code == 2 and "goes without --fix and --diff" in capsys.readouterr().err


def test_shell_completion_goes_to_click(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("_LINT_SECRETS_COMPLETE", "bash_source")
    assert check_command.plain_check_arguments(["check", "app.py"]) is None


def _check_command() -> click.Command:
    command = cli.cli.get_command(click.Context(cli.cli), "check")
    assert command is not None
    return command


def test_the_plain_flags_are_clicks_flags_with_the_same_meaning() -> None:
    flags: Dict[str, Tuple[str, object]] = {}
    for param in _check_command().params:
        if isinstance(param, click.Option) and param.is_flag:
            for name in param.opts:
                flags[name] = (str(param.name), True)
            for name in param.secondary_opts:
                flags[name] = (str(param.name), False)
    assert check_command.PLAIN_FLAGS == flags


def test_run_check_takes_clicks_parameters_with_clicks_defaults() -> None:
    """What click passes for an empty command line is what `run_check` takes by default."""
    given = _check_command().make_context("check", []).params
    signature = inspect.signature(check_command.run_check)
    assert {name: p.default for name, p in signature.parameters.items()} == given


def test_reports_are_coloured_as_click_would_colour_them() -> None:
    from lint_secrets.report import style

    for options in (
        {"fg": "cyan"},
        {"bold": True},
        {"fg": "red", "bold": True},
        {"fg": "blue", "bold": True},
    ):
        assert style("a:b", **options) == click.style("a:b", **options)  # type: ignore[arg-type]


def _written_to(stream: str, write: Callable[[], None], monkeypatch: pytest.MonkeyPatch) -> bytes:
    """What `write` prints to standard output when it is a terminal (`stream` "tty": a real
    pseudo-terminal) or a file."""
    if stream == "tty":
        reader, writer = os.openpty()
    else:
        reader, writer = os.pipe()
    with open(writer, "w", encoding="utf-8") as stdout:
        monkeypatch.setattr(sys, "stdout", stdout)
        write()
        stdout.flush()
        written = os.read(reader, 65536)
    os.close(reader)
    return written


@pytest.mark.parametrize("stream", ["tty", "file"])
@pytest.mark.parametrize("color", [None, True, False])
def test_echo_writes_what_clicks_echo_writes(
    stream: str, color: Optional[bool], monkeypatch: pytest.MonkeyPatch
) -> None:
    text = "\033[36mapp.py\033[0m: café"
    ours = _written_to(stream, lambda: check_command.echo(text, color=color), monkeypatch)
    clicks = _written_to(stream, lambda: click.echo(text, color=color), monkeypatch)
    assert ours == clicks
    assert (b"\033[36m" in ours) == (color if color is not None else stream == "tty")


@pytest.mark.parametrize(
    ("text", "stripped"),
    [
        pytest.param("a\033[2~b.py", b"ab.py", id="final-byte-not-a-letter"),
        pytest.param("c\033[>4mX.py", b"cX.py", id="private-parameter"),
        pytest.param("d\033[200~e.py", b"de.py", id="bracketed-paste"),
        pytest.param("f\033[1 qg.py", b"fg.py", id="intermediate-byte"),
        pytest.param("h\033[1;31mi.py", b"hi.py", id="colour"),
    ],
)
def test_echo_strips_every_control_sequence_click_strips(
    text: str, stripped: bytes, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A file name can hold any escape sequence: off a terminal, each one (ECMA-48's whole
    grammar, as click 8.2 and later strip them) goes, whichever way `check` was run."""
    ours = _written_to("file", lambda: check_command.echo(text), monkeypatch)
    assert ours == stripped + b"\n"
    clicks = _written_to("file", lambda: click.echo(text), monkeypatch)
    # An older click (the one Python 3.9 gets) strips only the letter-ended sequences and
    # leaves these in: stripping more is the safe side.
    assert ours == clicks or b"\033" in clicks


def _interrupted_with_no_one_reading_errors(
    entry: str, argv: List[str], root: Path, monkeypatch: pytest.MonkeyPatch
) -> Optional[int]:
    """The exit code of `argv` run by `entry` on a named pipe, stopped by a real SIGINT while
    it waits to read the pipe, its standard error a pipe whose reader is gone (a `2>&1 | head`
    Ctrl-C ended)."""
    waiting = root / "waiting.py"
    os.mkfifo(waiting)
    held: List[int] = []
    main_thread = threading.get_ident()

    def interrupt() -> None:
        held.append(os.open(waiting, os.O_WRONLY))  # returns once the run opens it to read
        signal.pthread_kill(main_thread, signal.SIGINT)

    run = check_command.main if entry == "plain" else cli.main
    code: Optional[int] = None
    reader, writer = os.pipe()
    os.close(reader)
    interrupter = threading.Thread(target=interrupt)
    interrupter.start()
    try:
        with open(writer, "w") as no_one_reading:
            monkeypatch.setattr(sys, "stderr", no_one_reading)
            code = run([*argv, "waiting.py"])
            monkeypatch.undo()
    except BrokenPipeError:  # closing the dead pipe's file object
        pass
    finally:
        interrupter.join()
        for descriptor in held:
            os.close(descriptor)
    return code


def test_ctrl_c_with_errors_going_nowhere_ends_as_with_click(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    by_click = _interrupted_with_no_one_reading_errors(
        "click", ["check"], _project(tmp_path / "click", monkeypatch, broken=False), monkeypatch
    )
    plain = _interrupted_with_no_one_reading_errors(
        "plain", ["check"], _project(tmp_path / "plain", monkeypatch, broken=False), monkeypatch
    )
    assert plain == by_click == check_command.EXIT_ERROR


def test_the_script_runs_a_pre_commit_command_line_without_importing_click(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = _project(tmp_path, monkeypatch, broken=False)
    shutil.rmtree(root / "build")
    plain = modules_imported(["check", "--force-exclude", "clean.py", "app.py"], root)
    assert "lint_secrets.runner" in plain  # it ran
    assert "click" not in plain
    assert "click" in modules_imported(["check", "--select", "RS101", "clean.py", "app.py"], root)
