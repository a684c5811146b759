"""The command line, parsed by click. The only module that prints, with `check_command`,
which runs `check` (and runs a plain `check` without click at all)."""

from __future__ import annotations

from pathlib import Path
from typing import Any, ClassVar, Dict, List, Optional, Sequence, Tuple

import click

from lint_secrets import __version__
from lint_secrets.check_command import (
    EXIT_CLEAN,
    EXIT_ERROR,
    OUTPUT_FORMATS,
    UsageError,
    interrupted,
    run_check,
)
from lint_secrets.config import relative_to_root

EXIT_CODES_EPILOG = """\b
Exit codes:
  0  no findings (or --exit-zero)
  1  findings remain
  2  usage error, or a file, the configuration or a cache entry could not be processed"""


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


@click.group(
    cls=_LazyGroup, context_settings={"help_option_names": ["-h", "--help"]}, epilog=EXIT_CODES_EPILOG
)
@click.version_option(__version__, "-V", "--version", prog_name="lint-secrets")
def cli() -> None:
    """Find hardcoded secrets in code that runs Replicate models."""


@cli.command(short_help="Check files for hardcoded secrets (and fix them).", epilog=EXIT_CODES_EPILOG)
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path), metavar="[PATH]...")
@click.option("--fix", is_flag=True, help="Rewrite fixable findings to read the environment.")
@click.option("--diff", is_flag=True, help="Print the fixes as a unified diff; write nothing.")
@click.option(
    "--unsafe-fixes", is_flag=True, help="With --fix or --diff, apply the fixes marked [~] (unsafe) too."
)
@click.option(
    "--env-file",
    type=click.Path(path_type=Path),
    metavar="PATH",
    help="With --fix, add NAME=value lines here (mode 0600).",
)
@click.option(
    "--output-format",
    type=click.Choice(OUTPUT_FORMATS),
    default="text",
    show_default=True,
    help="full: text with the source line (secret masked); sarif, github, gitlab, junit: for CI.",
)
@click.option(
    "--output-file",
    "-o",
    type=click.Path(path_type=Path),
    metavar="PATH",
    help="Write the report here, not to stdout.",
)
@click.option(
    "--color",
    type=click.Choice(["auto", "always", "never"]),
    default="auto",
    show_default=True,
    help="Colour text output; auto: on a terminal, unless NO_COLOR is set (FORCE_COLOR forces it).",
)
@click.option("--exit-zero", is_flag=True, help="Exit 0 even when findings remain.")
@click.option("--quiet", "-q", is_flag=True, help="Print findings only: no summary or notes.")
@click.option("--statistics", is_flag=True, help="Count findings per code instead of listing them.")
@click.option(
    "--stdin-filename", metavar="PATH", help="Check source from standard input as if it were this file."
)
@click.option(
    "--config",
    "config_path",
    type=click.Path(path_type=Path, dir_okay=False),
    metavar="PATH",
    help="Read options from this TOML file.",
)
@click.option("--isolated", is_flag=True, help="Ignore every configuration file.")
@click.option("--select", metavar="CODES", help="Comma-separated codes or prefixes to enable.")
@click.option("--ignore", metavar="CODES", help="Comma-separated codes or prefixes to disable.")
@click.option("--extend-select", metavar="CODES", help="Codes to enable on top of `select`.")
@click.option(
    "--schema-dir",
    type=click.Path(path_type=Path, file_okay=False),
    metavar="DIR",
    help="The schema cache directory.",
)
@click.option("--exclude", metavar="GLOBS", help="Comma-separated globs replacing the default excludes.")
@click.option("--extend-exclude", metavar="GLOBS", help="Comma-separated globs to exclude as well.")
@click.option("--force-exclude", is_flag=True, help="Apply excludes to files named on the command line too.")
@click.option(
    "--respect-gitignore/--no-respect-gitignore",
    default=None,
    help="Whether directory walks skip what git ignores (default: yes, or the config's respect-gitignore).",
)
@click.option(
    "--require-schemas", is_flag=True, help="Fail (exit 2) when a referenced model has no cached schema."
)
@click.option(
    "--jobs",
    "-j",
    type=click.IntRange(min=1),
    metavar="N",
    help="Worker processes (default: as many as the work and free cores make worth it).",
)
@click.option(
    "--diff-base",
    "--since",
    "diff_base",
    metavar="REV",
    help="Check only files changed since the merge base of REV and HEAD (committed or not).",
)
@click.option(
    "--changed", is_flag=True, help="Check only files with uncommitted changes, untracked ones too."
)
@click.option(
    "--baseline",
    "baseline_path",
    type=click.Path(path_type=Path, dir_okay=False),
    metavar="PATH",
    help="Report only findings not recorded in this baseline file.",
)
@click.option(
    "--write-baseline",
    type=click.Path(path_type=Path, dir_okay=False),
    metavar="PATH",
    help="Record the current findings in this baseline file (no secret is written) and exit 0.",
)
@click.option("--add-noqa", is_flag=True, help="Add `# noqa: CODE` to each finding's line.")
@click.option("--ignore-noqa", is_flag=True, help="Report findings that `# noqa` comments suppress.")
def check(**options: Any) -> None:
    """Check each PATH (default: the current directory) for hardcoded secrets."""
    try:
        run_check(**options)
    except UsageError as exc:
        raise click.UsageError(str(exc)) from None


@cli.command(short_help="List the rule codes.")
def rules() -> None:
    """List the rule codes: [*] fixable by --fix; which fixes are unsafe, and where."""
    from lint_secrets.fix.safety import only_unsafe, unsafe_kinds
    from lint_secrets.rules import RULE_INFO

    width = max(len(rule.name) for rule in RULE_INFO)
    for rule in RULE_INFO:
        # As in a report: [*] a safe fix `--fix` makes, [~] only unsafe ones (`--unsafe-fixes`).
        fixable = ("[~]" if only_unsafe(rule.fix_kinds) else "[*]") if rule.fixable else "   "
        unsafe = unsafe_kinds(rule.fix_kinds)
        note = f" (unsafe fixes: {unsafe})" if unsafe else ""
        click.echo(f"{rule.code}  {fixable} {rule.name:<{width}}  {rule.summary}{note}")


@cli.command(short_help="Explain a rule: what it finds and how to fix it.")
@click.argument("code", metavar="CODE")
def explain(code: str) -> None:
    """Explain a rule: what it finds, why it matters, and how to fix it (and which fixes are unsafe)."""
    from lint_secrets.fix.safety import describe_fix_kinds, only_unsafe
    from lint_secrets.rules import RULE_INFO

    for rule in RULE_INFO:
        if rule.code == code.upper() or rule.name == code:
            click.echo(f"# {rule.code} {rule.name}\n")
            command = "--fix --unsafe-fixes" if only_unsafe(rule.fix_kinds) else "--fix"
            click.echo(
                f"Fix: {f'available with `lint-secrets check {command}`' if rule.fixable else 'manual'}\n"
            )
            click.echo(rule.doc)
            if rule.fix_kinds:
                click.echo("\nFixes (safe: applied by --fix; unsafe: only with --unsafe-fixes):\n")
                click.echo(describe_fix_kinds(rule.fix_kinds))
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
    except click.exceptions.Abort as exc:
        # click turns KeyboardInterrupt into Abort; SIGTERM's exit code rides on the original.
        return interrupted(exc.__context__ or exc)
    except click.ClickException as exc:
        exc.show()
        return EXIT_ERROR
    except KeyboardInterrupt as exc:
        return interrupted(exc)
    except BrokenPipeError:
        return EXIT_ERROR
    return EXIT_CLEAN


__all__ = ["cli", "main", "relative_to_root"]
