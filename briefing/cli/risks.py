"""CLI commands: `briefing risks calibrate` (risk register entries from the incident history)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import click
import pandas as pd

from briefing.atomic import write_atomic
from briefing.cli.common import config_option, debug_option
from briefing.compute.calibrate import calibrate
from briefing.config import Config, load_config, resolve_config_path
from briefing.errors import BriefingError
from briefing.ingest import find_reader
from briefing.ingest.context import ReadContext
from briefing.ingest.tables import concat_tables
from briefing.pipeline import resolve_period
from briefing.translate.register import render_register, warning_text


@click.group("risks")
def risks_group() -> None:
    """Work with the risk register.

    \b
    Example:
      briefing risks calibrate --out risks-from-history.yaml
    """


@risks_group.command("calibrate")
@config_option
@click.option(
    "--out",
    "out_path",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    help="Write the YAML entries to this file instead of printing them.",
)
@debug_option
def calibrate_command(config_path: Path | None, out_path: Path | None, debug: bool) -> None:
    """Fit register entries (times to notice and fix, days between incidents) from the incident history.

    Per service, and per incident category where the export has one. Each entry
    says how many incidents stand behind it; fewer than 10 earn a warning.

    \b
    Example:
      briefing risks calibrate --config briefing.yaml --out calibrated.yaml
    """
    config = load_config(resolve_config_path(config_path))
    incidents = _incident_history(config)
    fits = calibrate(incidents, config.services)
    first = incidents["started_at"].min() if len(incidents) else None
    last = incidents["resolved_at"].max() if len(incidents) else None
    history = (
        f"{len(incidents)} incidents from {first:%Y-%m-%d} to {last:%Y-%m-%d}"
        if first is not None
        else "no incidents"
    )
    text = render_register(fits, history=history)
    for fit in fits:
        for warning in fit.warnings:
            click.echo(f"warning: {fit.id}: {warning_text(warning)}", err=True)
    if out_path is None:
        click.echo(text, nl=False)
        return
    write_atomic(out_path, text)
    click.echo(f"Wrote {len(fits)} risk register entries to {out_path}", err=True)


def _incident_history(config: Config) -> pd.DataFrame:
    """Every incident of every configured incident export (the whole history, not one month)."""
    if not config.sources.incidents:
        raise BriefingError(
            "no incident exports to calibrate from",
            where=None,
            hint="add sources.incidents to briefing.yaml (e.g. - {path: exports/incidents.csv})",
        )
    period = resolve_period(config, None, now=datetime.now(UTC))
    ctx = ReadContext(config, period, frozenset(s.id for s in config.services))
    frames = []
    for entry in config.sources.incidents:
        reader = find_reader(entry.kind, entry.format)
        if reader is None:
            raise BriefingError(
                f"this version of briefing cannot read {entry.format} incident exports yet",
                where=entry.location,
            )
        frames.append(reader(entry, ctx).table)
    return concat_tables(frames, "incidents")


COMMANDS: list[click.Command] = [risks_group]
