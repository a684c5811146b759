"""The `check` command's work, with no click in it.

A pre-commit run is `check` with a few flags and the staged files: `main`
runs it from the argument list without importing click (about a sixth of such a run's
start-up). Every other command line, and any usage error, goes to click in `cli.py`, whose
`check` command runs the same `run_check`. Part of the command line: it prints.
"""

from __future__ import annotations

import os
import re
import sys
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, Dict, List, NoReturn, Optional, Sequence, Tuple

from lint_secrets import __version__
from lint_secrets.collector import collector_paused_if_alone
from lint_secrets.config import Config, ConfigError, ConfigResolver, load_config, require_rules
from lint_secrets.findings import FileError, Finding

if TYPE_CHECKING:
    from lint_secrets.baseline import Baseline
    from lint_secrets.discovery import Discovery
    from lint_secrets.model_refs import ModelRef

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2

OUTPUT_FORMATS = ["text", "full", "json", "sarif", "github", "gitlab", "junit"]
# Formats read by CI systems, which resolve paths from the repository root.
_CI_FORMATS = ("sarif", "github", "gitlab", "junit")


class UsageError(Exception):
    """The command line asks for something `check` can't do; cli.py shows it as click's usage error."""


# What click's `echo` strips from text bound for a stream that is not a terminal: every
# control sequence (ECMA-48: parameter, intermediate and final bytes), not only the letter-ended
# ones click once stripped (a file name can hold `ESC[2~`).
_ANSI_SEQUENCE = re.compile(r"\033\[[0-?]*[ -/]*[@-~]")


def echo(message: str, *, err: bool = False, nl: bool = True, color: Optional[bool] = None) -> None:
    """Write `message` as `click.echo` does, so the two ways into `check` print the same:
    ANSI styles only to a terminal (or with `color`), UTF-8 to a stream that says ASCII,
    flushed at once so standard output and error interleave in order."""
    stream = sys.stderr if err else sys.stdout
    if stream is None:  # no console (pythonw)
        return
    text = f"{message}\n" if nl else message
    if not (color if color is not None else _isatty(stream)):
        text = _ANSI_SEQUENCE.sub("", text)
    if _says_ascii(stream):
        stream.flush()
        stream.buffer.write(text.encode("utf-8", "replace"))
    else:
        stream.write(text)
    stream.flush()


def _isatty(stream: Any) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):
        return False


def _says_ascii(stream: Any) -> bool:
    import codecs

    try:
        return codecs.lookup(stream.encoding or "ascii").name == "ascii" and hasattr(stream, "buffer")
    except (AttributeError, LookupError):
        return False


def err(message: str) -> None:
    echo(f"lint-secrets: {message}", err=True)


def interrupted(exc: BaseException) -> int:
    """Say a run was stopped, and its exit code: 130 for Ctrl-C, 143 for SIGTERM, whose code
    rides on the interrupt (`runner.Interrupted`)."""
    err("interrupted")
    return int(getattr(exc, "exit_code", 130))


def _codes_option(value: Optional[str]) -> Optional[Tuple[str, ...]]:
    if value is None:
        return None
    return tuple(code.strip().upper() for code in value.split(",") if code.strip())


def run_check(
    paths: Sequence[Path] = (),
    *,
    fix: bool = False,
    diff: bool = False,
    unsafe_fixes: bool = False,
    env_file: Optional[Path] = None,
    output_format: str = "text",
    output_file: Optional[Path] = None,
    color: str = "auto",
    exit_zero: bool = False,
    quiet: bool = False,
    statistics: bool = False,
    stdin_filename: Optional[str] = None,
    config_path: Optional[Path] = None,
    isolated: bool = False,
    select: Optional[str] = None,
    ignore: Optional[str] = None,
    extend_select: Optional[str] = None,
    schema_dir: Optional[Path] = None,
    exclude: Optional[str] = None,
    extend_exclude: Optional[str] = None,
    force_exclude: bool = False,
    respect_gitignore: Optional[bool] = None,
    require_schemas: bool = False,
    jobs: Optional[int] = None,
    diff_base: Optional[str] = None,
    changed: bool = False,
    baseline_path: Optional[Path] = None,
    write_baseline: Optional[Path] = None,
    add_noqa: bool = False,
    ignore_noqa: bool = False,
) -> NoReturn:
    """`lint-secrets check`: its options as click parses them (and with click's defaults);
    ends in SystemExit with the exit code."""
    from lint_secrets import report
    from lint_secrets.config import CheckOptions
    from lint_secrets.discovery import is_excluded
    from lint_secrets.findings import FileResult
    from lint_secrets.runner import check_files
    from lint_secrets.workspace import SourceLines, repository_root

    if env_file is not None and not fix:
        raise UsageError("--env-file goes with --fix")
    from_stdin = stdin_filename is not None or any(str(p) == "-" for p in paths)
    if from_stdin and fix:
        raise UsageError("--fix rewrites files; with standard input use --diff")
    if from_stdin and any(str(p) != "-" for p in paths):
        raise UsageError("source from standard input (`-` or --stdin-filename) goes with no other paths")
    _check_adoption_options(fix, diff, from_stdin, diff_base, changed, write_baseline, add_noqa)
    if from_stdin:
        # An editor pipes the buffer in: the config is the one for where that file lives.
        start_paths = [Path(stdin_filename).parent if stdin_filename else Path(".")]
    else:
        start_paths = list(paths) or [Path(".")]

    def with_overrides(found: Config) -> Config:
        found = _with_cli_overrides(found, select, ignore, extend_select, schema_dir, exclude, extend_exclude)
        return found if respect_gitignore is None else replace(found, respect_gitignore=respect_gitignore)

    loaded = _load_config(start_paths, config_path, isolated)
    try:
        config = with_overrides(loaded)
    except ConfigError as exc:
        if select is None and ignore is None and extend_select is None:
            err(f"error: {exc}")  # the configuration file's own problem: one line
            raise SystemExit(EXIT_ERROR) from None
        raise UsageError(str(exc)) from None
    # Each file follows its nearest configuration, unless --config or --isolated names one for all.
    resolver = ConfigResolver(
        fixed=loaded if config_path is not None or isolated else None, adjust=with_overrides
    )
    baseline = _read_baseline(baseline_path) if baseline_path is not None else None
    if env_file is not None:
        from lint_secrets import envfile

        refusal = envfile.refusal(env_file)
        if refusal:
            err(f"error: {env_file}: {refusal}; nothing written, nothing fixed")
            raise SystemExit(EXIT_ERROR)
    options = CheckOptions(
        config=config,
        fix=fix,
        diff=diff,
        describe_fixes=output_format == "sarif",
        ignore_noqa=ignore_noqa,
        unsafe_fixes=unsafe_fixes,
    )
    if diff:
        options = CheckOptions(
            config=config, fix=False, diff=True, ignore_noqa=ignore_noqa, unsafe_fixes=unsafe_fixes
        )
    errors: List[FileError] = []
    results: List[FileResult]
    source_lines = SourceLines()
    if from_stdin:
        data = sys.stdin.buffer.read()
        name = stdin_filename or "-"
        if stdin_filename:
            config = _load_config([Path(stdin_filename)], config_path, isolated, resolver)
        source_lines = SourceLines(_stdin_text(name, data))
        if force_exclude and stdin_filename and is_excluded(Path(stdin_filename), config):
            results, files_checked = [], 0
        else:
            from lint_secrets.checker import Worker

            results = [Worker(replace(options, config=config, fix=False)).check_bytes(name, data)]
            files_checked = 1
    else:
        found = _discover(list(paths) or [Path(".")], resolver, force_exclude, diff_base, changed)
        errors.extend(found.errors)
        for note in found.notes:  # which files were looked at changed: said even with --quiet
            err(f"note: {note}")
        files = list(found.names)
        if fix:
            # Only a run that writes clears what an interrupted one left (a check changes nothing).
            _remove_leftovers(found.leftovers, quiet)
        roots = [str(p) for p in (list(paths) or [Path(".")])]
        if env_file is not None:
            # One pass makes the fixes; the values go into the env file before any fix is
            # written, so none can be lost.
            options = replace(options, defer_writes=True)
        from lint_secrets import atomic
        from lint_secrets.runner import sigterm_as_interrupt

        already = len(atomic.replaced)
        try:
            with sigterm_as_interrupt():
                results = check_files(
                    files,
                    options,
                    jobs,
                    roots=roots,
                    config_for=resolver.for_path,
                    roots_complete=diff_base is None and not changed,
                )
                if env_file is not None:
                    _save_env_values(env_file, results)
                    results = [_write_pending(result) for result in results]
        except KeyboardInterrupt as exc:
            if fix:
                _report_written([*atomic.replaced[already:], *getattr(exc, "written", ())])
            raise
        files_checked = len(found.names)
    findings: List[Finding] = []
    missing: Dict[ModelRef, None] = {}
    unresolved: List[Tuple[str, int]] = []
    fixed = 0
    fixed_codes: List[str] = []
    env_names: set[str] = set()
    seen_errors = set()
    for result in results:
        findings.extend(result.findings)
        for error in result.errors:
            if (error.path, error.message) not in seen_errors:
                seen_errors.add((error.path, error.message))
                errors.append(error)
        missing.update(dict.fromkeys(result.missing_schemas))
        unresolved.extend((result.path, line) for line in result.unresolved)
        fixed += result.fixed
        fixed_codes.extend(result.fixed_codes)
        env_names.update(name for name, _ in result.env_values)
        if diff and result.diff:
            echo(result.diff, nl=False)
        if diff:
            # A diff shows only what it can fix: what it can't must not pass in silence.
            for finding in result.findings:
                if finding.not_fixed:
                    where = f"{finding.path}:{finding.line}:{finding.column}"
                    err(f"{where}: {finding.code} not fixed: {finding.not_fixed}")
    if write_baseline is not None:
        # Files that were not checked, or could not be (and found nothing), keep their entries.
        checked = [
            r.path for r in results if (r.findings or not r.errors) and (not from_stdin or stdin_filename)
        ]
        _write_baseline(write_baseline, findings, errors, checked)
    if add_noqa:
        _add_noqa(results, resolver, options, errors)
    if baseline is not None:
        findings = baseline.new_findings(findings)
    # Each file looked in its own project's cache: say which, and a command that fills it.
    lacking = _MissingSchemas(results, resolver, config if from_stdin else None, config_path, schema_dir)
    if missing and require_schemas:
        # An error like a file's: in the report (SARIF notifications, ::error lines) and on stderr.
        errors.extend(lacking.errors())
    errors.extend(_accept_unredacted_errors([config, *(resolver.for_path(r.path) for r in results)]))
    # The rules (and through them the analysis) are imported only by reports that name them.
    rules_shown: Sequence[Any] = _rule_info() if statistics or output_format in _RULE_FORMATS else ()
    use_color = _use_color(color, output_file)
    with collector_paused_if_alone():  # the run's results, walked by each full pass, are no garbage
        rendered = report.render(
            findings,
            errors,
            fmt=output_format,
            rules=rules_shown,
            tool_version=__version__,
            root=repository_root(_checked_directory(start_paths))
            if output_format in _CI_FORMATS
            else config.root,
            files_checked=files_checked,
            fixed=fixed,
            fixed_codes=fixed_codes,
            statistics=statistics,
            show_fixes_hint=not (fix or diff),
            source_lines=source_lines,
            color=use_color,
            summary=not quiet,
            unresolved=unresolved,
        )
    if output_file is not None:
        try:
            output_file.parent.mkdir(parents=True, exist_ok=True)
            output_file.write_text(rendered, encoding="utf-8")
        except OSError as exc:
            err(f"error: {output_file}: cannot write report: {exc.strerror}")
            raise SystemExit(EXIT_ERROR) from None
    elif not (diff and output_format in ("text", "full")):
        echo(rendered, nl=False, color=use_color or None)
    for error in errors:
        echo(report.render_error(error), err=True)
    if not quiet:
        for note in dict.fromkeys(note for result in results for note in result.notes):
            err(f"note: {note}")
    if fix and fixed:
        names = sorted(env_names)
        if not quiet:
            if names:  # fixes to a cog model's declarations move nothing to the environment
                err(f"fixed {fixed} secret(s); set these environment variables: {', '.join(names)}")
            from lint_secrets.catalog import NOT_SECRET_CODES

            # Declaring a cog input Secret (RS201) removes no value from the code.
            if len(fixed_codes) != fixed or any(code not in NOT_SECRET_CODES for code in fixed_codes):
                err("the removed values were exposed in this code and its history: rotate them")
    if missing and not quiet and not require_schemas:
        for message in lacking.notes():
            err(f"note: {message}")
    if unresolved and not quiet:
        err(_unresolved_note(unresolved))
    if errors:
        raise SystemExit(EXIT_ERROR)
    if findings and not exit_zero:
        raise SystemExit(EXIT_FINDINGS)
    raise SystemExit(EXIT_CLEAN)


# Reports that name the rules (descriptors, severities, statistics).
_RULE_FORMATS = ("sarif", "gitlab")


def _unresolved_note(unresolved: Sequence[Tuple[str, int]], shown: int = 5) -> str:
    """One line for the run: how many Replicate calls went unchecked, and where the first are."""
    ordered = sorted(unresolved)
    places = ", ".join(f"{path}:{line}" for path, line in ordered[:shown])
    more = f" and {len(ordered) - shown} more" if len(ordered) > shown else ""
    return (
        f"note: {len(ordered)} Replicate call(s) whose model or inputs could not be worked out "
        f"from the code were not fully checked: {places}{more} "
        '(`extend-select = ["RS100"]` reports each one)'
    )


def _rule_info() -> Sequence[Any]:
    from lint_secrets.rules import RULE_INFO

    return RULE_INFO


def _checked_directory(paths: Sequence[Path]) -> Path:
    """Where the checked paths meet: CI paths are relative to the top of its repository, not
    to the working directory's (a run from outside the checkout, or from another one)."""
    try:
        common = Path(os.path.commonpath([os.path.abspath(p) for p in paths]))
    except ValueError:  # different drives
        return Path.cwd()
    while not common.is_dir() and common != common.parent:
        common = common.parent
    return common


def _accept_unredacted_errors(configs: Sequence[Config]) -> List[FileError]:
    """An error on each configuration file whose `accept-unredacted` names an input its model's
    cached schema does not have; each file once, whatever the number of files it covers."""
    seen: Dict[Path, Config] = {}
    for config in configs:
        if config.config_file is not None and any(m.accept_unredacted for m in config.models.values()):
            seen.setdefault(config.config_file, config)
    errors: List[FileError] = []
    for path, config in seen.items():
        from lint_secrets.rules.rs104_secret_to_unredacted_input import unknown_accepted_inputs
        from lint_secrets.schemas import SchemaStore

        # The cache alone: a model's `secret-inputs` in the configuration lists no other inputs.
        schemas = SchemaStore(config.cache_dir, base=config.root)
        accepted = {name: model.accept_unredacted for name, model in config.models.items()}
        errors.extend(FileError(str(path), message) for message in unknown_accepted_inputs(accepted, schemas))
    return errors


class _MissingSchemas:
    """The models some file refers to that its cache lacks, and what to say of them: which
    caches do not exist, and a `schemas pull` that fills the right one from here."""

    _ABOUT = "checked by input names and value shapes only"

    def __init__(
        self,
        results: Sequence[Any],
        resolver: ConfigResolver,
        fixed: Optional[Config],
        config_path: Optional[Path],
        schema_dir: Optional[Path],
    ) -> None:
        # ref as shown -> (the first file referring to it, its configuration, the ref)
        self.where: Dict[str, Tuple[str, Config, ModelRef]] = {}
        from lint_secrets.redact import redact_token_shapes

        for result in results:
            for model in result.missing_schemas:
                # A model named in code may be a pasted token: shown by a redacted prefix only.
                ref = redact_token_shapes(model.pull_ref())
                if ref not in self.where:
                    self.where[ref] = (result.path, fixed or resolver.for_path(result.path), model)
        self._options = ""
        if config_path is not None:
            self._options += f" --config {_shell_word(str(config_path))}"
        if schema_dir is not None:
            self._options += f" --schema-dir {_shell_word(str(schema_dir))}"
        self._here: Optional[Path] = None
        if config_path is None and schema_dir is None:
            try:
                self._here = resolver.for_directory(Path.cwd()).cache_dir
            except ConfigError:
                self._here = None

    def _caches(self) -> List[str]:
        caches = dict.fromkeys(config.cache_dir for _, config, _ in self.where.values())
        return [f"the schema cache {cache} does not exist" for cache in caches if not cache.is_dir()]

    def _unversioned(self, ref: str) -> bool:
        """Pulled, but the model has no version yet: there is no schema to fetch."""
        import json

        _, config, model = self.where[ref]
        if model.kind != "model":
            return False
        try:
            document = json.loads((config.cache_dir / model.cache_path()).read_bytes())
        except (OSError, ValueError, RecursionError):  # a hostile entry: the cache says so elsewhere
            return False
        return (
            isinstance(document, dict) and "latest_version" in document and document["latest_version"] is None
        )

    def _pull(self, refs: Sequence[str]) -> str:
        """A command that fetches `refs` into the caches their files use, run from here."""
        configs = {config.cache_dir: config for ref in refs for _, config, _ in [self.where[ref]]}
        command = "lint-secrets schemas pull" + self._options
        if self._options or list(configs) == [self._here]:
            return f"{command} {' '.join(sorted(refs))}"
        paths = [_shell_word(os.path.relpath(config.root)) for config in configs.values()]
        if len(configs) == 1:
            return f"{command} --path {paths[0]} {' '.join(sorted(refs))}"
        # Several caches: with no REF, pull fills each with the models its files refer to.
        return command + "".join(f" --path {path}" for path in paths)

    def notes(self) -> List[str]:
        unversioned = [ref for ref in self.where if self._unversioned(ref)]
        pending = sorted(ref for ref in self.where if ref not in unversioned)
        messages = self._caches()
        if pending:
            fetch = self._pull(pending)
            messages.append(f"no cached schema for {', '.join(pending)} ({self._ABOUT}); fetch with: {fetch}")
        if unversioned:
            messages.append(
                f"{', '.join(sorted(unversioned))}: no version on Replicate yet, so no schema ({self._ABOUT})"
            )
        return messages

    def errors(self) -> List[FileError]:
        """One error per model, on the first file that refers to it (so an annotation lands there)."""
        found = [FileError("", message) for message in self._caches()]
        for ref, (path, _, _) in sorted(self.where.items()):
            if self._unversioned(ref):
                message = f"{ref}: no version on Replicate yet, so no schema ({self._ABOUT})"
            else:
                message = f"no cached schema for {ref} ({self._ABOUT}); fetch with: {self._pull([ref])}"
            found.append(FileError(path, message))
        return found


def _shell_word(text: str) -> str:
    import shlex

    return shlex.quote(text)


def _use_color(choice: str, output_file: Optional[Path]) -> bool:
    """`--color`; with auto, a terminal gets colour unless NO_COLOR says no or FORCE_COLOR yes."""
    if choice != "auto":
        return choice == "always"
    if output_file is not None:
        return False
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR", "").lower() not in ("", "0", "false"):
        return True
    return sys.stdout.isatty()


def _stdin_text(name: str, data: bytes) -> Dict[str, str]:
    from lint_secrets.source import SourceError, decode_source

    try:
        return {name: decode_source(data).text}
    except SourceError:
        return {}


def _save_env_values(env_file: Path, planned: Sequence[Any]) -> None:
    """Save what the fixes take out of the code, or stop the run before anything is fixed."""
    from lint_secrets import envfile

    values: Dict[str, str] = {}
    conflicts: List[str] = []
    for result in planned:
        for name, value in result.env_values:
            if values.setdefault(name, value) != value:
                conflicts.append(name)
    if not values:
        return
    try:
        conflicts.extend(envfile.clashes(env_file, values))
    except envfile.EnvFileError as exc:
        err(f"error: {exc}; nothing fixed")
        raise SystemExit(EXIT_ERROR) from None
    except OSError as exc:
        err(f"error: {env_file}: cannot read: {exc.strerror or exc}; nothing fixed")
        raise SystemExit(EXIT_ERROR) from None
    if conflicts:
        # One variable can't hold two keys: the code that read the other would switch keys.
        err(
            f"error: {env_file}: {', '.join(sorted(set(conflicts)))} would hold different values "
            "(two files, or the file and the code); nothing fixed: name them apart in "
            "[tool.lint-secrets.env-names] or fix by hand"
        )
        raise SystemExit(EXIT_ERROR)
    try:
        written, messages = envfile.append(env_file, values)
    except envfile.EnvFileError as exc:
        err(f"error: {env_file}: {exc}; nothing fixed")
        raise SystemExit(EXIT_ERROR) from None
    except OSError as exc:
        err(f"error: {env_file}: cannot write: {exc.strerror or exc}; nothing fixed")
        raise SystemExit(EXIT_ERROR) from None
    for message in [*messages, *envfile.notes(env_file)]:
        err(message)
    err(f"wrote {len(written)} variable(s) to {env_file}")


def _write_pending(result: Any) -> Any:
    """A result whose fix was made but not written, written (or an error saying why not)."""
    from lint_secrets.fix.apply import write_pending

    pending = result.pending
    if pending is None:
        return result
    error = write_pending(pending)
    if error is not None:
        return replace(result, errors=(*result.errors, error), pending=None)
    return replace(
        result, findings=pending.remaining, fixed=pending.fixed, fixed_codes=pending.fixed_codes, pending=None
    )


def _report_written(paths: Sequence[str]) -> None:
    """After an interrupt, which files the run had already written: they are fixed (or, for
    the env file, hold the values), and the rest are as they were."""
    written = list(dict.fromkeys(paths))
    for path in written:
        err(f"written before the interrupt: {path}")
    err(f"{len(written)} file(s) written before the interrupt; every other file is as it was")


def _remove_leftovers(leftovers: Sequence[Path], quiet: bool) -> None:
    """Temporary files of a run killed mid-write hold a fixed file's text: remove them."""
    from lint_secrets.atomic import remove_leftover

    removed = [path for path in leftovers if remove_leftover(str(path))]
    if removed and not quiet:
        err(f"note: removed {len(removed)} temporary file(s) left by an interrupted run")


def _load_config(
    paths: Sequence[Path],
    config_path: Optional[Path],
    isolated: bool,
    resolver: Optional[ConfigResolver] = None,
) -> Config:
    try:
        if resolver is not None:
            return resolver.for_path(paths[0])
        return load_config(paths, config_file=config_path, isolated=isolated)
    except ConfigError as exc:
        err(f"error: {exc}")
        raise SystemExit(EXIT_ERROR) from None


def _with_cli_overrides(
    config: Config,
    select: Optional[str],
    ignore: Optional[str],
    extend_select: Optional[str],
    schema_dir: Optional[Path],
    exclude: Optional[str],
    extend_exclude: Optional[str],
) -> Config:
    from lint_secrets.config import parse_table

    table: Dict[str, Any] = {}
    for key, value in (("select", select), ("ignore", ignore), ("extend-select", extend_select)):
        codes = _codes_option(value)
        if codes is not None:
            table[key] = list(codes)
    for key, value in (("exclude", exclude), ("extend-exclude", extend_exclude)):
        if value is not None:
            table[key] = [v.strip() for v in value.split(",") if v.strip()]
    overrides = parse_table(table, root=config.root, source=Path("command line"))
    changes: Dict[str, Any] = {}
    for key, attr in (
        ("select", "select"),
        ("ignore", "ignore"),
        ("extend-select", "extend_select"),
        ("exclude", "exclude"),
        ("extend-exclude", "extend_exclude"),
    ):
        if key in table:
            changes[attr] = getattr(overrides, attr)
    if "select" in table:
        # As in ruff: a selection on the command line starts over; the file's ignores and
        # extensions don't apply to it (the command line's own still do).
        changes.setdefault("ignore", ())
        changes.setdefault("extend_select", ())
    if schema_dir is not None:
        # Not resolved: a symbolic link given as the cache must be seen, and refused.
        changes["schema_dir"] = Path(os.path.abspath(schema_dir))
    from_command_line = any(key in table for key in ("select", "ignore", "extend-select"))
    return require_rules(replace(config, **changes), "the command line" if from_command_line else None)


def _check_adoption_options(
    fix: bool,
    diff: bool,
    from_stdin: bool,
    diff_base: Optional[str],
    changed: bool,
    write_baseline: Optional[Path],
    add_noqa: bool,
) -> None:
    if diff_base is not None and changed:
        raise UsageError("--diff-base/--since and --changed are two ways of saying what changed: use one")
    if from_stdin and (diff_base is not None or changed or add_noqa):
        raise UsageError("--diff-base, --changed and --add-noqa work on files, not standard input")
    for name, given in (("--write-baseline", write_baseline is not None), ("--add-noqa", add_noqa)):
        if given and (fix or diff):
            raise UsageError(f"{name} records the findings as they are: it goes without --fix and --diff")
    if write_baseline is not None and add_noqa:
        raise UsageError("--write-baseline and --add-noqa are two ways to adopt: use one")


def _discover(
    paths: Sequence[Path],
    resolver: ConfigResolver,
    force_exclude: bool,
    diff_base: Optional[str],
    changed: bool,
) -> Discovery:
    """The files to check, only those git reports changed with --diff-base or --changed."""
    import os

    from lint_secrets.discovery import Discovery, discover
    from lint_secrets.git import GitError, changed_files

    try:
        found = discover(paths, resolver, force_exclude=force_exclude)
        if diff_base is None and not changed:
            return found
        start = Path(os.path.commonpath([os.path.abspath(p) for p in paths]))
        wanted = changed_files(start if start.is_dir() else start.parent, diff_base)
    except GitError as exc:
        err(f"error: {exc}")
        raise SystemExit(EXIT_ERROR) from None
    names = tuple(n for n in found.names if os.path.realpath(n) in wanted or os.path.abspath(n) in wanted)
    return Discovery(names=names, errors=found.errors, notes=found.notes)


def _read_baseline(path: Path) -> Baseline:
    from lint_secrets.baseline import Baseline, BaselineError

    try:
        return Baseline.read(path)
    except BaselineError as exc:
        err(f"error: {exc}")
        raise SystemExit(EXIT_ERROR) from None


def _write_baseline(
    path: Path, findings: Sequence[Finding], errors: Sequence[FileError], checked: Sequence[str]
) -> None:
    """Record the findings and stop: exit 0, or 2 when a file could not be checked (its
    entries, if any, are kept as they were)."""
    from lint_secrets import report
    from lint_secrets.baseline import BaselineError, write_baseline

    try:
        count, kept = write_baseline(path, findings, checked)
    except BaselineError as exc:
        err(f"error: {exc}")
        raise SystemExit(EXIT_ERROR) from None
    for error in errors:
        echo(report.render_error(error), err=True)
    others = f", and kept {kept} of files this run did not check" if kept else ""
    err(f"recorded {count - kept} finding(s) in {path}{others}")
    raise SystemExit(EXIT_ERROR if errors else EXIT_CLEAN)


def _add_noqa(
    results: Sequence[Any], resolver: ConfigResolver, options: Any, errors: List[FileError]
) -> None:
    """Write a `# noqa` for each finding, then stop (as ruff: exit 0 unless a file failed)."""
    from lint_secrets import report
    from lint_secrets.checker import OUTSIDE, Worker
    from lint_secrets.noqa import add_noqa_to_file

    added = 0
    workers: Dict[int, Worker] = {}  # one per configuration, so each schema cache is read once
    for result in results:
        # A file outside the checked ones (reported for a checked file's call) is not edited.
        findings = [f for f in result.findings if f.not_fixed != OUTSIDE]
        if not findings:
            continue
        config = resolver.for_path(result.path)
        if id(config) not in workers:
            workers[id(config)] = Worker(replace(options, config=config, ignore_noqa=False))
        outcome = add_noqa_to_file(result.path, findings, workers[id(config)].check_bytes)
        if isinstance(outcome, FileError):
            errors.append(outcome)
        else:
            added += outcome
    for error in errors:
        echo(report.render_error(error), err=True)
    err(f"added {added} noqa comment(s)")
    raise SystemExit(EXIT_ERROR if errors else EXIT_CLEAN)


# The flags a plain `check` may carry without click: `run_check`'s parameter and value for
# each (a meta-test holds them to cli.py's options). Anything else goes to click.
PLAIN_FLAGS: Dict[str, Tuple[str, bool]] = {
    "--fix": ("fix", True),
    "--diff": ("diff", True),
    "--unsafe-fixes": ("unsafe_fixes", True),
    "--exit-zero": ("exit_zero", True),
    "--quiet": ("quiet", True),
    "-q": ("quiet", True),
    "--statistics": ("statistics", True),
    "--isolated": ("isolated", True),
    "--force-exclude": ("force_exclude", True),
    "--respect-gitignore": ("respect_gitignore", True),
    "--no-respect-gitignore": ("respect_gitignore", False),
    "--require-schemas": ("require_schemas", True),
    "--changed": ("changed", True),
    "--add-noqa": ("add_noqa", True),
    "--ignore-noqa": ("ignore_noqa", True),
}


def plain_check_arguments(argv: Sequence[str]) -> Optional[Dict[str, Any]]:
    """`run_check`'s arguments for `check` followed by flags of `PLAIN_FLAGS` and paths, in
    any order (a pre-commit hook's command line); None for any other command line."""
    if not argv or argv[0] != "check" or os.name == "nt":  # Windows: click expands globs
        return None
    if "_LINT_SECRETS_COMPLETE" in os.environ:  # click's shell completion
        return None
    arguments: Dict[str, Any] = {}
    paths: List[Path] = []
    for word in argv[1:]:
        if word.startswith("-"):  # includes `-` (standard input) and `--`
            if word not in PLAIN_FLAGS:
                return None
            name, value = PLAIN_FLAGS[word]
            arguments[name] = value
        else:
            paths.append(Path(word))
    return {"paths": tuple(paths), **arguments}


def main(argv: Sequence[str]) -> Optional[int]:
    """Run a plain `check` command line (see `plain_check_arguments`) and return its exit
    code, as `cli.main` would; None when the command line is not one, or has a usage error:
    click then reads it from the start (usage is checked before anything is read or written)."""
    arguments = plain_check_arguments(argv)
    if arguments is None:
        return None
    try:
        run_check(**arguments)
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else EXIT_ERROR
    except UsageError:
        return None
    except (KeyboardInterrupt, EOFError) as exc:
        try:
            echo("", err=True)  # as click does: the line after the terminal's ^C
        except BrokenPipeError:
            return EXIT_ERROR  # as cli.main does when click's blank line finds no reader
        return interrupted(exc)
    except OSError as exc:
        import errno

        if exc.errno != errno.EPIPE:
            raise
        return EXIT_FINDINGS  # click's exit code for a closed pipe
