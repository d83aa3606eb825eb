"""CLI commands: build, validate, init."""

from __future__ import annotations

import shutil
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import click

from briefing.cli.common import (
    config_option,
    debug_option,
    log_format_option,
    period_kind_option,
    period_option,
    setup_logging,
    strict_option,
)
from briefing.config import load_config, packaged_sample_config, resolve_config_path
from briefing.errors import BriefingError


@contextmanager
def progress_display(enabled: bool) -> Iterator[Callable[[str], None] | None]:
    """A spinner with the current step on stderr, only when stderr is a terminal."""
    if not enabled or not sys.stderr.isatty():
        yield None
        return
    from rich.console import Console

    console = Console(stderr=True)
    with console.status("Starting") as status:
        yield lambda message: status.update(message)


@click.command()
@config_option
@period_option
@period_kind_option
@click.option(
    "--format",
    "formats",
    default="pdf,html,json",
    show_default=True,
    help="Comma-separated outputs to write: pdf, html, json.",
)
@click.option(
    "--out",
    "out_dir",
    type=click.Path(path_type=Path, file_okay=False),
    default=Path("out"),
    show_default=True,
    help="Folder for briefing-PERIOD.{pdf,html,json} (briefing-2026-10.pdf, briefing-2026-Q3.pdf).",
)
@strict_option
@debug_option
@log_format_option
def build(
    config_path: Path | None,
    period: str | None,
    period_kind: str | None,
    formats: str,
    out_dir: Path,
    strict: bool,
    debug: bool,
    log_format: str,
) -> None:
    """Build the briefing for a period (a month unless told): PDF, HTML and JSON.

    \b
    Examples:
      briefing build                       # ./briefing.yaml, else the bundled sample
      briefing build --config ws/briefing.yaml --period 2026-10 --out reports/
      briefing build --period 2026-Q3      # a quarter: briefing-2026-Q3.pdf, ...
      briefing build --format json --strict
    """
    from briefing.pipeline import build as run_build
    from briefing.pipeline import resolve_period, utc_now

    setup_logging(log_format)
    config = load_config(resolve_config_path(config_path))
    chosen = resolve_period(config, period, now=utc_now(), kind=period_kind)
    wanted = [f.strip().lower() for f in formats.split(",") if f.strip()]
    with progress_display(True) as progress:
        result = run_build(
            config,
            chosen,
            formats=wanted,
            out_dir=out_dir,
            strict=strict,
            now=utc_now(),
            progress=progress,
        )
    headline = result.briefing.headline
    click.echo(f"{config.organization}, {chosen.label}: {headline.text}")
    click.echo(f"Decision: {headline.decision} (owner: {headline.owner}, due {headline.due})")
    for _fmt, path in result.files.items():
        click.echo(f"wrote {path}")
    rejected = result.briefing.data_quality.rows_rejected
    if rejected:
        click.echo(f"{rejected} input row(s) rejected: see data quality in the briefing", err=True)
    for warning in result.warnings:
        click.echo(f"warning: {warning}", err=True)


@click.command()
@config_option
@period_option
@period_kind_option
@strict_option
@debug_option
def validate(
    config_path: Path | None, period: str | None, period_kind: str | None, strict: bool, debug: bool
) -> None:
    """Check briefing.yaml, the glossary and every input file without rendering.

    Lists each file's rows read, used and rejected (with line, column and
    reason). Exit 1 on a bad config, or on any rejected row with --strict.

    \b
    Example:
      briefing validate --config ws/briefing.yaml --strict
    """
    from briefing.errors import ConfigError
    from briefing.pipeline import build_briefing, resolve_period, utc_now
    from briefing.translate.glossary import validate_glossary_files

    path = resolve_config_path(config_path)
    config = load_config(path)
    problems = validate_glossary_files(config.glossary)
    if problems:
        raise ConfigError(problems)
    chosen = resolve_period(config, period, now=utc_now(), kind=period_kind)
    briefing = build_briefing(config, chosen, strict=False, now=utc_now())
    click.echo(f"{path}: config is valid ({len(config.services)} services, period {chosen.label})")
    for file in briefing.data_quality.files:
        click.echo(
            f"{file.path}: {file.rows_read} read, {file.rows_used} used, {file.rows_rejected} rejected"
        )
        for note in file.notes:
            click.echo(f"  note: {note}")
        for rejection in file.rejections:
            where = f"{file.path}:{rejection.line}" if rejection.line is not None else file.path
            column = f":{rejection.column}" if rejection.column else ""
            click.echo(f"  {where}{column}: {rejection.reason}")
    for note in briefing.notes:
        if "was not used" in note:
            click.echo(f"note: {note}")
    if strict and briefing.data_quality.rows_rejected:
        raise BriefingError(
            f"{briefing.data_quality.rows_rejected} row(s) rejected (--strict)",
            hint="fix the rows listed above",
        )


@click.command()
@click.argument("directory", type=click.Path(path_type=Path, file_okay=False), default=Path("."))
@click.option("--force", is_flag=True, help="Overwrite an existing briefing.yaml.")
def init(directory: Path, force: bool) -> None:
    """Scaffold a workspace: briefing.yaml, example exports and a risk register.

    Copies the bundled sample (a fictional retailer) so `briefing build` works
    at once; then replace its exports with yours.

    \b
    Example:
      briefing init my-briefing && cd my-briefing && briefing build
    """
    source = packaged_sample_config().parent
    target = directory / "briefing.yaml"
    if target.exists() and not force:
        raise BriefingError(
            f"{target} already exists", hint="use --force to overwrite it, or choose another folder"
        )
    directory.mkdir(parents=True, exist_ok=True)
    for item in sorted(source.rglob("*")):
        if item.is_dir() or "__pycache__" in item.parts:
            continue
        relative = item.relative_to(source)
        destination = directory / relative
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(item, destination)
        click.echo(f"wrote {destination}")
    click.echo(f"Next: cd {directory} && briefing build")


COMMANDS: list[click.Command] = [build, validate, init]
