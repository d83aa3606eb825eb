"""CLI commands: build, validate, init."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

import click

from briefing.atomic import make_folder, write_atomic
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
from briefing.config.values import PDF_VARIANTS
from briefing.errors import BriefingError

if TYPE_CHECKING:
    from briefing.pipeline import BuildOptions


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
@click.option(
    "--group",
    default=None,
    metavar="NAME",
    help="Build one business unit's own briefing (its services, incidents and risks only), "
    "written as briefing-<period>-<group>.*.",
)
@click.option(
    "--all-groups",
    is_flag=True,
    help="Build the organisation's briefing and one per business unit, reading the inputs once.",
)
@click.option(
    "--pdf-variant",
    type=click.Choice(PDF_VARIANTS, case_sensitive=False),
    default=None,
    help="Archival PDF (PDF/A-3b, the JSON attached); default: report.pdf_variant.",
)
@strict_option
@click.option(
    "--allow-incomplete",
    is_flag=True,
    help="Let a service whose data covers too little of the period be the headline "
    "(page 1 then says how much of the period its figure covers).",
)
@click.option(
    "--issued",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="Issue date printed on the cover (default: the first working day after the period).",
)
@debug_option
@log_format_option
def build(
    config_path: Path | None,
    period: str | None,
    period_kind: str | None,
    formats: str,
    out_dir: Path,
    group: str | None,
    all_groups: bool,
    pdf_variant: str | None,
    strict: bool,
    allow_incomplete: bool,
    issued: datetime | None,
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
      briefing build --allow-incomplete --issued 2026-11-03
      briefing build --pdf-variant pdf/a-3b  # for the records archive
      briefing build --group "Retail banking"   # one business unit's own briefing
      briefing build --all-groups               # the organisation's and every unit's
    """
    from briefing.history import record_build
    from briefing.pipeline import build as run_build
    from briefing.pipeline import build_all_groups, input_hash, resolve_period, utc_now

    if group is not None and all_groups:
        raise click.UsageError("use either --group NAME or --all-groups, not both")
    setup_logging(log_format)
    wanted = _formats(formats)
    config = load_config(resolve_config_path(config_path))
    chosen = resolve_period(config, period, now=utc_now(), kind=period_kind)
    now = utc_now()
    variant = pdf_variant.lower() if pdf_variant else None
    issued_day = issued.date() if issued is not None else None
    # the inputs' hash for the history store: read beside the build (hashing lets go of
    # the interpreter), ready when the build is
    hashing = ThreadPoolExecutor(max_workers=1)
    hashed = hashing.submit(input_hash, config, chosen) if group is None else None
    hashing.shutdown(wait=False)
    with progress_display(True) as progress:
        options: BuildOptions = {
            "formats": wanted,
            "out_dir": out_dir,
            "strict": strict,
            "now": now,
            "progress": progress,
            "allow_incomplete": allow_incomplete,
            "issued": issued_day,
            "pdf_variant": variant,
        }
        if all_groups:
            results = build_all_groups(config, chosen, **options)
        else:
            results = [run_build(config, chosen, group=group, **options)]
    for result in results:
        headline = result.briefing.headline
        click.echo(f"{result.briefing.organization}, {chosen.label}: {headline.text}")
        click.echo(
            f"Decision, to {headline.ask}: {headline.decision} "
            f"(owner: {headline.owner}, due {headline.due})"
        )
        for _fmt, path in result.files.items():
            click.echo(f"wrote {path}")
    if hashed is not None:  # the organisation's briefing goes into the history; a unit's not
        stored = record_build(
            config,
            results[0].briefing,
            chosen,
            input_hash=hashed.result(),
            built_at=now,
        )
        click.echo(f"recorded {chosen.label} in {stored}")
    rejected = results[0].briefing.data_quality.rows_rejected
    if rejected:
        click.echo(f"{rejected} input row(s) rejected: see data quality in the briefing", err=True)
    for data_warning in dict.fromkeys(
        w.text for result in results for w in result.briefing.data_quality.warnings
    ):
        click.echo(f"warning: {data_warning}", err=True)
    for warning in dict.fromkeys(w for result in results for w in result.warnings):
        click.echo(f"warning: {warning}", err=True)


def _formats(text: str) -> list[str]:
    """`--format pdf,html`: a usage error unless it names one or more known outputs."""
    from briefing.pipeline import FORMATS

    wanted = [f.strip().lower() for f in text.split(",") if f.strip()]
    unknown = [f for f in wanted if f not in FORMATS]
    if unknown or not wanted:
        named = f"unknown format {unknown[0][:40]!r}" if unknown else "no format named"
        raise click.BadParameter(
            f"{named}; choose one or more of {', '.join(FORMATS)}, separated by commas",
            param_hint="'--format'",
        )
    return list(dict.fromkeys(wanted))


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
    if strict and briefing.data_quality.rows_rejected:
        raise BriefingError(
            f"{briefing.data_quality.rows_rejected} row(s) rejected (--strict)",
            hint="fix the rows listed above",
        )


@click.command()
@click.argument("directory", type=click.Path(path_type=Path, file_okay=False), default=Path("."))
@click.option(
    "--templates",
    "with_templates",
    is_flag=True,
    help="Also copy the packaged templates into DIRECTORY/templates to change the look.",
)
def init(directory: Path, with_templates: bool) -> None:
    """Scaffold a workspace: briefing.yaml, example exports and a risk register.

    Copies the bundled sample (a fictional retailer) so `briefing build` works
    at once; then replace its exports with yours. With --templates, also copies
    the packaged templates to templates/ (in an existing workspace: only them);
    a file there replaces the packaged one of the same name, so keep only the
    ones you change. Never overwrites a file: if any file it would write is
    already there, nothing is written and the message lists them.

    \b
    Examples:
      briefing init my-briefing && cd my-briefing && briefing build
      briefing init --templates      # in a workspace: start your own look
    """
    target = directory / "briefing.yaml"
    scaffold = not (with_templates and target.exists())
    plan: list[tuple[Path, Path]] = []
    if scaffold:
        plan += _tree(packaged_sample_config().parent, directory)
    if with_templates:
        from briefing.render.templates import PACKAGED

        plan += _tree(PACKAGED, directory / TEMPLATES_DIR)
    # a link counts, even a broken one
    existing = [destination for _, destination in plan if os.path.lexists(destination)]
    if existing:
        names = [path.relative_to(directory).as_posix() for path in existing]
        listed = ", ".join(names[:8]) + (f" and {len(names) - 8} more" if len(names) > 8 else "")
        raise BriefingError(
            f"{directory} already holds {listed}; nothing was written",
            hint="init never overwrites a file: choose an empty folder, or move those files away",
        )
    for source, destination in plan:
        make_folder(destination.parent, what="workspace folder")
        write_atomic(destination, source.read_bytes())
        click.echo(f"wrote {destination}")
    if with_templates:
        if scaffold:
            with target.open("a", encoding="utf-8") as handle:
                handle.write(
                    "\n# The look: files in templates/ replace the packaged ones of the same name\n"
                    f"report:\n  templates: {TEMPLATES_DIR}\n"
                )
        else:
            click.echo(f"Next: add `report: {{templates: {TEMPLATES_DIR}}}` to {target}")
    if scaffold:
        click.echo(f"Next: cd {directory} && briefing build")


TEMPLATES_DIR = "templates"


def _tree(source: Path, destination_root: Path) -> list[tuple[Path, Path]]:
    """(file, where it goes) for every file under `source`."""
    return [
        (item, destination_root / item.relative_to(source))
        for item in sorted(source.rglob("*"))
        if item.is_file() and "__pycache__" not in item.parts
    ]


COMMANDS: list[click.Command] = [build, validate, init]
