"""`lint-secrets schemas`: fill, list and show the schema cache."""

from __future__ import annotations

import datetime
import json
import os
import sys
from pathlib import Path
from typing import Any, Dict, List, Optional, Tuple

import click

from lint_secrets.config import Config, ConfigError, load_config
from lint_secrets.env_names import TOKEN_ENV
from lint_secrets.findings import FileError
from lint_secrets.model_refs import (
    CACHE_PATTERNS,
    ModelRef,
    cached_ref,
    check_pullable,
    parse_pull_ref,
    parse_shown_ref,
    refuse_credential,
)
from lint_secrets.redact import redact_token_shapes
from lint_secrets.schemas import (
    PREDICTION,
    TRAINING,
    SchemaStore,
    cache_root_link,
    root_link_message,
    symlink_under,
)

EXIT_ERROR = 2


def _config(config_path: Optional[Path], schema_dir: Optional[Path]) -> Config:
    try:
        config = load_config([Path(".")], config_file=config_path)
    except ConfigError as exc:
        click.echo(f"lint-secrets: error: {exc}", err=True)
        raise SystemExit(EXIT_ERROR) from None
    if schema_dir is not None:
        from dataclasses import replace

        # Not resolved: a symbolic link given as the cache must be seen, and refused.
        config = replace(config, schema_dir=Path(os.path.abspath(schema_dir)))
    return config


def _config_for(path: Path) -> Config:
    from lint_secrets.config import ConfigResolver

    try:
        return ConfigResolver().for_path(path)
    except ConfigError as exc:
        click.echo(f"lint-secrets: error: {exc}", err=True)
        raise SystemExit(EXIT_ERROR) from None


def _store(config: Config) -> SchemaStore:
    return SchemaStore(config.cache_dir, declared=config.declared_secrets(), base=config.root)


def _root_refusal(cache_dir: Path, base: Path) -> Optional[str]:
    """One line for a cache that is, or is reached through, a symbolic link."""
    link = cache_root_link(cache_dir, base)
    return None if link is None else f"{cache_dir}: schema cache: {root_link_message(link)}"


_config_option = click.option(
    "--config",
    "config_path",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Read options from this TOML file.",
)
_schema_dir_option = click.option(
    "--schema-dir", type=click.Path(path_type=Path, file_okay=False), help="The schema cache directory."
)


@click.group()
def schemas() -> None:
    """Fill, list and show the local cache of model schemas."""


@schemas.command()
@click.argument("refs", nargs=-1, metavar="[REF]...")
@click.option("--refresh", is_flag=True, help="Fetch again what the cache already has.")
@click.option(
    "--base-url", help="API base URL (default: $REPLICATE_BASE_URL or https://api.replicate.com/v1)."
)
@click.option(
    "--timeout", type=click.FloatRange(min=0.1), default=15.0, show_default=True, help="Seconds per request."
)
@click.option(
    "--path",
    "paths",
    multiple=True,
    type=click.Path(path_type=Path),
    help="Where to look for code (default: .); with REFs, whose schema cache to fill.",
)
@_config_option
@_schema_dir_option
def pull(
    refs: Tuple[str, ...],
    refresh: bool,
    base_url: Optional[str],
    timeout: float,
    paths: Tuple[Path, ...],
    config_path: Optional[Path],
    schema_dir: Optional[Path],
) -> None:
    """Fetch schemas from the Replicate API into the cache.

    REF is owner/name, owner/name:VERSION_ID or deployment:owner/name. With no REF,
    every model the project's code refers to is fetched if the cache lacks it.
    The token is read from REPLICATE_API_TOKEN only.
    """
    from lint_secrets import api

    config = _config(config_path, schema_dir)
    failed = False
    # Each cache and what to fetch into it: with no REF, each sub-project's own cache gets
    # the models its own files refer to.
    jobs: Dict[Path, List[ModelRef]] = {}
    bases: Dict[Path, Path] = {config.cache_dir: config.root}  # each cache's project root
    if refs:
        # Into the cache of the configuration that governs each --path (default: here).
        caches = [config.cache_dir]
        if paths and config_path is None and schema_dir is None:
            governing = [_config_for(path) for path in paths]
            caches = list(dict.fromkeys(governing_config.cache_dir for governing_config in governing))
            for governing_config in governing:
                bases.setdefault(governing_config.cache_dir, governing_config.root)
        wanted: List[ModelRef] = []
        for cache in caches:
            jobs[cache] = wanted
        for text in refs:
            try:
                wanted.append(parse_pull_ref(text))
            except ValueError as exc:
                from lint_secrets.redact import credential_in

                # A REF that is (or holds) a token is named by the message alone, redacted.
                typed = "" if credential_in(text, _env_token()) else f"{text[:80]!r}: "
                click.echo(f"lint-secrets: error: {_without_token(typed + str(exc))}", err=True)
                failed = True
    else:
        from lint_secrets.checker import CheckOptions
        from lint_secrets.config import ConfigResolver
        from lint_secrets.discovery import discover
        from lint_secrets.git import GitError
        from lint_secrets.runner import check_files

        fixed = config if config_path is not None or schema_dir is not None else None
        resolver = ConfigResolver(fixed=fixed)
        try:
            found = discover(list(paths) or [Path(".")], resolver)
        except GitError as exc:
            click.echo(f"lint-secrets: error: {exc}", err=True)
            raise SystemExit(EXIT_ERROR) from None
        for note in found.notes:
            click.echo(f"lint-secrets: note: {note}", err=True)
        groups: Dict[int, Tuple[Config, List[str]]] = {}
        for file in found.files:
            file_config = resolver.for_path(file)
            groups.setdefault(id(file_config), (file_config, []))[1].append(str(file))
        for error in found.errors:
            click.echo(f"lint-secrets: error: {_error_text(error)}", err=True)
            failed = True
        total = 0
        for group_config, files in groups.values():
            refused = _root_refusal(group_config.cache_dir, group_config.root)
            if refused is not None:  # nothing can be fetched into it: said once, here
                click.echo(f"lint-secrets: error: {refused}; nothing fetched into it", err=True)
                failed = True
                continue
            # The same per-file pipeline as `check`: what it reports cleanly, pull reads too.
            checked = check_files(files, CheckOptions(config=group_config))
            # Each model, and the first file that names it (said with a ref that can't be fetched).
            models: Dict[ModelRef, str] = {}
            for file_result in checked:
                for ref in file_result.models:
                    models.setdefault(ref, file_result.path)
            errors = [error for result in checked for error in result.errors]
            for error in errors:
                click.echo(f"lint-secrets: error: {_error_text(error)}", err=True)
                failed = True
            total += len(models)
            store = _store(group_config)
            bases.setdefault(group_config.cache_dir, group_config.root)
            for ref, named_in in models.items():
                try:
                    pull_ref = _pull_ref(ref, store)
                except ValueError as exc:  # a name in the code that can't be fetched, said redacted
                    shown = _without_token(f"{named_in}: {_shortened(ref.display())}: {exc}")
                    click.echo(f"lint-secrets: error: {shown}", err=True)
                    failed = True
                    continue
                if pull_ref is not None and (refresh or not _cached(pull_ref, group_config.cache_dir, store)):
                    jobs.setdefault(group_config.cache_dir, []).append(pull_ref)
        if not any(jobs.values()) and not failed:
            what = "all cached" if total else "none referenced in the code"
            click.echo(f"Nothing to fetch: {total} model reference(s), {what}.")
    if any(jobs.values()):
        try:
            url = api.validate_base_url(
                base_url or api.base_url_from_env(os.environ),
                _env_token(),
            )
        except ValueError as exc:
            raise click.UsageError(_without_token(str(exc))) from None
        notice = api.token_host_notice(url)
        if notice is not None:
            click.echo(f"lint-secrets: {notice}", err=True)
    for cache_dir, wanted in jobs.items():
        if not wanted:
            continue
        refused = _root_refusal(cache_dir, bases[cache_dir])
        if refused is not None:
            click.echo(f"lint-secrets: error: {refused}; nothing fetched into it", err=True)
            failed = True
            continue
        if len(jobs) > 1:
            click.echo(f"into {cache_dir}:")
        progress = _progress if sys.stderr.isatty() and len(wanted) > 3 else None
        results = api.pull(
            wanted,
            cache_dir,
            token=os.environ.get(TOKEN_ENV),
            base_url=url,
            refresh=refresh,
            timeout=timeout,
            progress=progress,
        )
        if progress is not None:
            click.echo("", err=True)
        for result in results:
            if result.ok:
                click.echo(f"{_without_token(result.ref.pull_ref())}: {result.message}")
            else:
                shown = _without_token(result.ref.pull_ref())
                click.echo(f"lint-secrets: error: {shown}: {result.message}", err=True)
                failed = True
    if failed:
        raise SystemExit(EXIT_ERROR)


def _env_token() -> Optional[str]:
    return os.environ.get(TOKEN_ENV, "").strip() or None


def _without_token(text: str) -> str:
    """User-typed text for a message: no piece of the API token, nothing shaped like one."""
    from lint_secrets import api

    return redact_token_shapes(api.scrub_token(text, os.environ.get(TOKEN_ENV, "").strip()))


def _shortened(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else f"{text[: limit - 1]}…"


def _error_text(error: Any) -> str:
    return f"{error.path}: {error.message}" if error.path else str(error.message)


def _cached(ref: ModelRef, cache_dir: Path, store: SchemaStore) -> bool:
    if (cache_dir / ref.cache_path()).is_file():
        return True
    # A model's latest version is cached inside the model response too.
    return ref.kind == "version" and store.lookup(ref) is not None


def _progress(done: int, total: int) -> None:
    click.echo(f"\rfetching schemas: {done}/{total}", nl=False, err=True)


def _pull_ref(ref: ModelRef, store: SchemaStore) -> Optional[ModelRef]:
    """`ref` as `schemas pull` fetches it (a bare version: its model's, from the cache), or None;
    ValueError for a ref in code that may not be fetched."""
    if ref.owner is None:
        resolved = store.resolve_version(str(ref.version))
        if resolved is None:
            click.echo(
                f"lint-secrets: note: version {ref.version} is referenced without its model; "
                "a bare version id can't be fetched by itself: pull owner/name:version_id",
                err=True,
            )
            return None
        ref = resolved
    check_pullable(ref)
    return ref


@schemas.command(name="list", short_help="Cached models and versions, their secret inputs, fetch times.")
@_config_option
@_schema_dir_option
def list_(config_path: Optional[Path], schema_dir: Optional[Path]) -> None:
    """Cached models, versions and deployments, their secret inputs, and when each was fetched."""
    config = _config(config_path, schema_dir)
    root = config.cache_dir
    refused = _root_refusal(root, config.root)
    if refused is not None:
        click.echo(f"lint-secrets: error: {refused}", err=True)
        raise SystemExit(EXIT_ERROR)
    store = _store(config)
    rows: List[Tuple[str, str, str]] = []
    entries = [path for pattern in CACHE_PATTERNS for path in sorted(root.glob(pattern))]
    for path in entries:
        relative = path.relative_to(root).as_posix()
        ref = cached_ref(relative)
        if ref is None:
            continue
        link = symlink_under(root, relative)
        if link is not None:
            store.errors.setdefault(
                str(path),
                FileError(
                    str(path), f"schema cache: symbolic link in the schema cache ({link}); not followed"
                ),
            )
            continue
        rows.append((ref.display(), _secrets_text(store, ref), _fetched(path)))
    for name, declared in sorted(config.models.items()):
        if not declared.declares_secrets:
            continue
        rows.append((name, "secrets: " + ", ".join(sorted(declared.secret_inputs)), "declared in config"))
    if not rows:
        click.echo(f"The schema cache at {root} is empty; fill it with `lint-secrets schemas pull`.")
    width = max((len(r[0]) for r in rows), default=0)
    for ref_text, secrets, fetched in rows:
        click.echo(f"{ref_text:<{width}}  {fetched:<20}  {secrets}")
    for error in store.errors.values():
        click.echo(f"lint-secrets: error: {error.path}: {error.message}", err=True)
    if store.errors:
        raise SystemExit(EXIT_ERROR)


def _secrets_text(store: SchemaStore, ref: ModelRef) -> str:
    info = store.lookup(ref)
    owner = _owner_text(store, ref)
    if info is None:
        return f"{owner}; no schema (no version yet, or unreadable)"
    parts = [owner]
    declared = store.declared.get(ref.model_name or "", frozenset())
    for kind, label in ((PREDICTION, "secrets"), (TRAINING, "training secrets")):
        if kind in info.secrets:
            # "secrets" are what Replicate redacts (cog Secrets); the others are not known to be.
            redacted = info.redacted.get(kind, frozenset())
            parts.append(f"{label}: {', '.join(sorted(redacted)) or '-'}")
            others = info.secrets[kind] - redacted
            in_config = others & declared
            fields = others - in_config
            prefix = "training " if kind == TRAINING else ""
            if fields:
                noun = "password field" if len(fields) == 1 else "password fields"
                parts.append(f"{prefix}{noun}, not redacted: {', '.join(sorted(fields))}")
            if in_config:
                parts.append(
                    f"{prefix}declared secret in config, not redacted: {', '.join(sorted(in_config))}"
                )
    return "; ".join(parts)


def _owner_text(store: SchemaStore, ref: ModelRef) -> str:
    """Whose code receives the inputs (for `trusted-owners`): a deployment's, its model's owner's."""
    if ref.kind != "deployment":
        return f"owner: {ref.owner}"
    target = store.deployment_target(ref)
    if target is None:
        return "owner: ? (no current_release.model in the deployment record)"
    return f"owner: {target.owner} (runs {target.owner}/{target.name})"


def _fetched(path: Path) -> str:
    try:
        stamp = datetime.datetime.fromtimestamp(path.stat().st_mtime, tz=datetime.timezone.utc)
    except OSError:
        return "unreadable"
    return stamp.strftime("%Y-%m-%d %H:%M UTC")


@schemas.command()
@click.argument("ref", metavar="REF")
@_config_option
@_schema_dir_option
def show(ref: str, config_path: Optional[Path], schema_dir: Optional[Path]) -> None:
    """A model's inputs as a table: name, type, required, default, secret."""
    try:
        refuse_credential(ref, _env_token())
    except ValueError as exc:
        raise click.UsageError(str(exc)) from None
    config = _config(config_path, schema_dir)
    store = _store(config)
    model_ref = parse_shown_ref(ref)
    if model_ref is None:
        raise click.UsageError(
            _without_token(f"{ref[:80]!r} is not owner/name, owner/name:VERSION_ID or deployment:owner/name")
        )
    info = store.lookup(model_ref)
    for error in store.errors.values():
        click.echo(f"lint-secrets: error: {error.path}: {error.message}", err=True)
    if info is None and store.errors:
        raise SystemExit(EXIT_ERROR)  # the cache entry's own error said why
    if info is None:
        wanted = model_ref.pull_ref()  # as read: trimmed, so the error stays one line
        click.echo(
            f"lint-secrets: error: no cached schema for {wanted}; run `lint-secrets schemas pull {wanted}`",
            err=True,
        )
        raise SystemExit(EXIT_ERROR)
    for kind, title in ((PREDICTION, "Prediction inputs"), (TRAINING, "Training inputs")):
        if kind not in info.secrets:
            continue
        click.echo(f"{title} ({info.source}):")
        rows = [("name", "type", "required", "default", "secret")]
        for name, prop in info.inputs.get(kind, {}).items():
            rows.append(
                (
                    name,
                    _type_text(prop),
                    "yes" if name in info.required.get(kind, frozenset()) else "no",
                    _default_text(prop, secret=name in info.secrets[kind]),
                    "yes" if name in info.secrets[kind] else "",
                )
            )
        for name in sorted(info.secrets[kind] - set(info.inputs.get(kind, {}))):
            rows.append((name, "?", "?", "", "yes (declared in config)"))
        widths = [max(len(row[i]) for row in rows) for i in range(5)]
        for row in rows:
            click.echo("  " + "  ".join(cell.ljust(width) for cell, width in zip(row, widths)).rstrip())
        click.echo("")


def _default_text(prop: Any, *, secret: bool) -> str:
    """A default as JSON; a secret's default (or anything shaped like a token) redacted."""
    from lint_secrets.heuristics import token_shape
    from lint_secrets.redact import redact

    if not isinstance(prop, dict) or "default" not in prop:
        return ""
    default = prop["default"]
    if isinstance(default, str) and default and (secret or token_shape(default)):
        return json.dumps(redact(default), ensure_ascii=False)
    return json.dumps(default)


def _type_text(prop: Any) -> str:
    if not isinstance(prop, dict):
        return "?"
    if prop.get("type") == "array":
        return f"array of {_type_text(prop.get('items'))}"
    if "type" in prop:
        return str(prop["type"]) + (f" ({prop['format']})" if "format" in prop else "")
    if "allOf" in prop or "anyOf" in prop or "$ref" in prop:
        return "enum/ref"
    return "?"
