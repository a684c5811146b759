"""The command line. The only module that prints."""

from __future__ import annotations

import sys
from dataclasses import replace
from pathlib import Path
from typing import Any, ClassVar, Dict, List, Optional, Sequence, Tuple

import click

from lint_secrets import __version__
from lint_secrets.config import Config, ConfigError, load_config, relative_to_root
from lint_secrets.findings import FileError, Finding

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


def _err(message: str) -> None:
    click.echo(f"lint-secrets: {message}", err=True)


def _codes_option(value: Optional[str]) -> Optional[Tuple[str, ...]]:
    if value is None:
        return None
    return tuple(code.strip().upper() for code in value.split(",") if code.strip())


class _LazyGroup(click.Group):
    """Subcommands whose module is imported only when used: `check` doesn't pay for `schemas`."""

    lazy: ClassVar[Dict[str, Tuple[str, str]]] = {"schemas": ("lint_secrets.schemas_cli", "schemas")}

    def list_commands(self, ctx: click.Context) -> List[str]:
        return sorted([*super().list_commands(ctx), *self.lazy])

    def get_command(self, ctx: click.Context, cmd_name: str) -> Optional[click.Command]:
        if cmd_name in self.lazy:
            import importlib

            module, name = self.lazy[cmd_name]
            command: click.Command = getattr(importlib.import_module(module), name)
            return command
        return super().get_command(ctx, cmd_name)


@click.group(cls=_LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="lint-secrets")
def cli() -> None:
    """Find hardcoded secrets in code that runs Replicate models."""


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--fix", is_flag=True, help="Rewrite fixable findings to read the environment.")
@click.option("--diff", is_flag=True, help="Print the fixes as a unified diff; write nothing.")
@click.option(
    "--env-file",
    type=click.Path(path_type=Path),
    help="With --fix, append NAME=value lines here (mode 0600).",
)
@click.option(
    "--output-format",
    type=click.Choice(["text", "json", "sarif", "github"]),
    default="text",
    show_default=True,
)
@click.option(
    "--output-file", "-o", type=click.Path(path_type=Path), help="Write the report here, not to stdout."
)
@click.option("--exit-zero", is_flag=True, help="Exit 0 even when findings remain.")
@click.option("--quiet", "-q", is_flag=True, help="Print findings only: no summary or notes.")
@click.option("--statistics", is_flag=True, help="Count findings per code instead of listing them.")
@click.option("--stdin-filename", help="Check source from standard input as if it were this file.")
@click.option(
    "--config",
    "config_path",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Read options from this TOML file.",
)
@click.option("--isolated", is_flag=True, help="Ignore every configuration file.")
@click.option("--select", help="Comma-separated codes or prefixes to enable.")
@click.option("--ignore", help="Comma-separated codes or prefixes to disable.")
@click.option("--extend-select", help="Codes to enable on top of `select`.")
@click.option(
    "--schema-dir", type=click.Path(path_type=Path, file_okay=False), help="The schema cache directory."
)
@click.option("--exclude", help="Comma-separated globs replacing the default excludes.")
@click.option("--extend-exclude", help="Comma-separated globs to exclude as well.")
@click.option("--force-exclude", is_flag=True, help="Apply excludes to files named on the command line too.")
@click.option(
    "--require-schemas", is_flag=True, help="Fail (exit 2) when a referenced model has no cached schema."
)
@click.option("--jobs", "-j", type=click.IntRange(min=1), help="Worker processes (default: one per core).")
def check(
    paths: Tuple[Path, ...],
    fix: bool,
    diff: bool,
    env_file: Optional[Path],
    output_format: str,
    output_file: Optional[Path],
    exit_zero: bool,
    quiet: bool,
    statistics: bool,
    stdin_filename: Optional[str],
    config_path: Optional[Path],
    isolated: bool,
    select: Optional[str],
    ignore: Optional[str],
    extend_select: Optional[str],
    schema_dir: Optional[Path],
    exclude: Optional[str],
    extend_exclude: Optional[str],
    force_exclude: bool,
    require_schemas: bool,
    jobs: Optional[int],
) -> None:
    """Check PATHS (default: the current directory) for hardcoded secrets."""
    from lint_secrets import envfile, report
    from lint_secrets.checker import CheckOptions, FileResult, Worker
    from lint_secrets.discovery import discover, is_excluded
    from lint_secrets.runner import check_files

    if env_file is not None and not fix:
        raise click.UsageError("--env-file goes with --fix")
    from_stdin = stdin_filename is not None or any(str(p) == "-" for p in paths)
    if from_stdin and fix:
        raise click.UsageError("--fix rewrites files; with standard input use --diff")
    if from_stdin and any(str(p) != "-" for p in paths):
        raise click.UsageError(
            "source from standard input (`-` or --stdin-filename) goes with no other paths"
        )
    if from_stdin:
        # An editor pipes the buffer in: the config is the one for where that file lives.
        start_paths = [Path(stdin_filename).parent if stdin_filename else Path(".")]
    else:
        start_paths = list(paths) or [Path(".")]
    config = _load_config(start_paths, config_path, isolated)
    try:
        config = _with_cli_overrides(
            config, select, ignore, extend_select, schema_dir, exclude, extend_exclude
        )
    except ConfigError as exc:
        raise click.UsageError(str(exc)) from None
    if env_file is not None:
        refusal = envfile.refusal(env_file)
        if refusal:
            _err(f"error: {env_file}: {refusal}; nothing written")
            raise SystemExit(EXIT_ERROR)
    options = CheckOptions(config=config, fix=fix, diff=diff, describe_fixes=output_format == "sarif")
    if diff:
        options = CheckOptions(config=config, fix=False, diff=True)
    errors: List[FileError] = []
    results: List[FileResult]
    if from_stdin:
        data = sys.stdin.buffer.read()
        name = stdin_filename or "-"
        if force_exclude and stdin_filename and is_excluded(Path(stdin_filename), config):
            results, files_checked = [], 0
        else:
            results = [Worker(replace(options, fix=False)).check_bytes(name, data)]
            files_checked = 1
    else:
        found = discover(list(paths) or [Path(".")], config, force_exclude=force_exclude)
        errors.extend(found.errors)
        files = [str(p) for p in found.files]
        if env_file is not None:
            # The values go into the env file before any leaves the code, so none can be lost.
            planned = check_files(files, replace(options, fix=False, diff=True), jobs)
            _save_env_values(env_file, planned)
        results = check_files(files, options, jobs)
        files_checked = len(found.files)
    findings: List[Finding] = []
    missing: Dict[str, None] = {}
    fixed = 0
    env_names: set[str] = set()
    seen_errors = set()
    for result in results:
        findings.extend(result.findings)
        for error in result.errors:
            if (error.path, error.message) not in seen_errors:
                seen_errors.add((error.path, error.message))
                errors.append(error)
        missing.update(dict.fromkeys(result.missing_schemas))
        fixed += result.fixed
        env_names.update(name for name, _ in result.env_values)
        if diff and result.diff:
            click.echo(result.diff, nl=False)
    # The rules (and through them the analysis) are imported only by reports that name them.
    rules_shown: Sequence[Any] = _rule_info() if statistics or output_format == "sarif" else ()
    if output_format == "text" and quiet:
        rendered = "".join(
            line + "\n"
            for line in report.render_text(
                findings, rules=rules_shown, files_checked=files_checked
            ).splitlines()
            if ":" in line and not line.startswith(("Found", "[*]", "All", "Fixed"))
        )
    else:
        rendered = report.render(
            findings,
            errors,
            fmt=output_format,
            rules=rules_shown,
            tool_version=__version__,
            root=config.root,
            files_checked=files_checked,
            fixed=fixed,
            statistics=statistics,
            show_fixes_hint=not (fix or diff),
        )
    if output_file is not None:
        try:
            output_file.parent.mkdir(parents=True, exist_ok=True)
            output_file.write_text(rendered, encoding="utf-8")
        except OSError as exc:
            _err(f"error: {output_file}: cannot write report: {exc.strerror}")
            raise SystemExit(EXIT_ERROR) from None
    elif not (diff and output_format == "text"):
        click.echo(rendered, nl=False)
    for error in errors:
        click.echo(report.render_error(error), err=True)
    if fix and fixed:
        names = sorted(env_names)
        if not quiet:
            _err(f"fixed {fixed} secret(s); set these environment variables: {', '.join(names)}")
            _err("the removed values were exposed in this code and its history: rotate them")
    if missing and (not quiet or require_schemas):
        refs = " ".join(sorted(missing))
        level = "error" if require_schemas else "note"
        if not config.cache_dir.is_dir():
            _err(f"{level}: the schema cache {config.cache_dir} does not exist")
        _err(
            f"{level}: no cached schema for {', '.join(sorted(missing))} "
            f"(checked by input names and value shapes only); fetch with: lint-secrets schemas pull {refs}"
        )
    if errors or (require_schemas and missing):
        raise SystemExit(EXIT_ERROR)
    if findings and not exit_zero:
        raise SystemExit(EXIT_FINDINGS)
    raise SystemExit(EXIT_CLEAN)


def _rule_info() -> Sequence[Any]:
    from lint_secrets.rules import RULE_INFO

    return RULE_INFO


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
    except OSError as exc:
        _err(f"error: {env_file}: cannot read: {exc.strerror or exc}; nothing fixed")
        raise SystemExit(EXIT_ERROR) from None
    if conflicts:
        # One variable can't hold two keys: the code that read the other would switch keys.
        _err(
            f"error: {env_file}: {', '.join(sorted(set(conflicts)))} would hold different values "
            "(two files, or the file and the code); nothing fixed: name them apart in "
            "[tool.lint-secrets.env-names] or fix by hand"
        )
        raise SystemExit(EXIT_ERROR)
    try:
        written = envfile.append(env_file, values)
    except OSError as exc:
        _err(f"error: {env_file}: cannot write: {exc.strerror or exc}; nothing fixed")
        raise SystemExit(EXIT_ERROR) from None
    _err(f"wrote {len(written)} variable(s) to {env_file}")


def _load_config(paths: Sequence[Path], config_path: Optional[Path], isolated: bool) -> Config:
    try:
        return load_config(paths, config_file=config_path, isolated=isolated)
    except ConfigError as exc:
        _err(f"error: {exc}")
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
        changes["schema_dir"] = schema_dir.resolve()
    return replace(config, **changes)


@cli.command()
def rules() -> None:
    """List the rule codes."""
    from lint_secrets.rules import RULE_INFO

    for rule in RULE_INFO:
        fixable = "[*]" if rule.fixable else "   "
        click.echo(f"{rule.code}  {fixable} {rule.name:<28} {rule.summary}")


@cli.command()
@click.argument("code")
def explain(code: str) -> None:
    """Explain a rule: what it finds, why it matters, and how to fix it."""
    from lint_secrets.rules import RULE_INFO

    for rule in RULE_INFO:
        if rule.code == code.upper() or rule.name == code:
            click.echo(f"# {rule.code} {rule.name}\n")
            click.echo(f"Fix: {'available with `lint-secrets check --fix`' if rule.fixable else 'manual'}\n")
            click.echo(rule.doc)
            return
    raise click.UsageError(f"unknown rule {code!r}; see `lint-secrets rules`")


def main(argv: Optional[Sequence[str]] = None) -> int:
    """Run the CLI; return the exit code instead of exiting."""
    try:
        cli.main(
            args=list(argv) if argv is not None else None, prog_name="lint-secrets", standalone_mode=False
        )
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else EXIT_ERROR
    except click.exceptions.Abort:
        _err("interrupted")
        return 130
    except click.ClickException as exc:
        exc.show()
        return EXIT_ERROR
    except KeyboardInterrupt:
        _err("interrupted")
        return 130
    except BrokenPipeError:
        return EXIT_ERROR
    return EXIT_CLEAN


def entry_point() -> None:
    sys.exit(main())


__all__ = ["cli", "main", "relative_to_root"]
