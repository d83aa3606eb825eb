"""CLI commands: `briefing history backfill | list | show | forget`."""

from __future__ import annotations

from pathlib import Path

import click

from briefing.cli.build import progress_display
from briefing.cli.common import config_option, debug_option
from briefing.config import Config, load_config, resolve_config_path
from briefing.errors import BriefingError, Location
from briefing.formatting import money, percent
from briefing.model import Period


def _load(config_path: Path | None) -> Config:
    return load_config(resolve_config_path(config_path))


def _period(config: Config, label: str) -> Period:
    return Period.parse(label, config.timezone)


def _not_stored(label: str, path: Path) -> BriefingError:
    return BriefingError(
        f"period {label} is not in the history store",
        where=Location(path),
        hint="briefing history list shows the periods it holds",
    )


@click.group("history")
def history() -> None:
    """The history of built periods: fill it from the exports, list, show or forget periods.

    \b
    Examples:
      briefing history backfill --from 2025-11 --to 2026-10
      briefing history list
      briefing history show 2026-09
    """


@history.command("backfill")
@config_option
@click.option(
    "--from", "first", required=True, metavar="PERIOD", help="First period, e.g. 2025-11."
)
@click.option("--to", "last", required=True, metavar="PERIOD", help="Last period, e.g. 2026-10.")
@debug_option
def backfill_command(config_path: Path | None, first: str, last: str, debug: bool) -> None:
    """Compute past periods from the configured sources and record them (each source read once).

    Periods are months (2026-10), quarters (2026-Q3), years (2026) or ISO weeks
    (2026-W05); both ends of one kind. A period the exports do not fully hold
    is skipped and listed.

    \b
    Example:
      briefing history backfill --config ws/briefing.yaml --from 2025-11 --to 2026-10
    """
    from briefing.history import store_path
    from briefing.history.backfill import backfill
    from briefing.pipeline import utc_now

    config = _load(config_path)
    start, end = _period(config, first), _period(config, last)
    with progress_display(True) as progress:
        results = backfill(config, start, end, now=utc_now(), progress=progress)
    for result in results:
        if result.recorded:
            click.echo(f"{result.period}  recorded  {result.headline}")
        else:
            click.echo(f"{result.period}  skipped   {result.reason}")
    recorded = sum(1 for r in results if r.recorded)
    click.echo(f"{recorded} of {len(results)} periods recorded in {store_path(config)}")


@history.command("list")
@config_option
@debug_option
def list_command(config_path: Path | None, debug: bool) -> None:
    """List the periods the history store holds, oldest first.

    \b
    Example:
      briefing history list --config ws/briefing.yaml
    """
    from briefing.history import read_store, store_path

    config = _load(config_path)
    path = store_path(config)
    store = read_store(path)
    if store is None:
        click.echo(f"no history yet ({path} does not exist): build or backfill a period first")
        return
    with store:
        stored = store.load()
    if not stored:
        click.echo(f"{path} holds no periods")
        return
    click.echo(f"{'PERIOD':<9} {'BUILT':<26} {'BY':<9} {'HEADLINE':<40} OUTCOME")
    for label, kept in stored.items():
        outcome = kept.outcome.outcome if kept.outcome else "-"
        headline = _headline_short(
            kept.headline_kind,
            kept.headline_value,
            kept.headline_unit,
            kept.headline_service,
            config,
        )
        click.echo(f"{label:<9} {kept.built_at:<26} {kept.source:<9} {headline:<40} {outcome}")


@history.command("show")
@click.argument("period")
@config_option
@debug_option
def show_command(period: str, config_path: Path | None, debug: bool) -> None:
    """Show one stored period: headline, decision, outcome and each service's figures.

    \b
    Example:
      briefing history show 2026-09
    """
    from briefing.history import read_store, store_path

    config = _load(config_path)
    label = _period(config, period).label
    path = store_path(config)
    store = read_store(path)
    detail = None
    if store is not None:
        with store:
            detail = store.detail(label)
    if detail is None:
        raise _not_stored(label, path)
    kept, locale = detail.stored, config.locale
    click.echo(f"{label} ({detail.kind}, {detail.start} to {detail.end})")
    click.echo(
        f"Built {kept.built_at} by {kept.source} (briefing {detail.briefing_version}); "
        f"input hash {kept.input_hash[:12]}"
    )
    click.echo(f"Headline: {kept.headline_text}")
    click.echo(f"Decision: {kept.decision} (owner: {kept.decision_owner}, due {kept.decision_due})")
    if kept.outcome is not None:
        who = f" by {kept.outcome.by}" if kept.outcome.by else ""
        note = f": {kept.outcome.note}" if kept.outcome.note else ""
        click.echo(
            f"Outcome: {kept.outcome.outcome}{who}{note} (recorded {kept.outcome.recorded_at})"
        )
    else:
        click.echo(f"Outcome: not recorded (briefing decision record {label} --outcome ...)")
    click.echo(f"{'SERVICE':<16} {'USED':>8} {'COST':>14} {'INCIDENTS':>9}  STATUS")
    counts = {s.id: s.incidents for s in kept.services}
    for s in detail.services:
        click.echo(
            f"{s.id:<16} {percent(s.budget_consumed, locale, digits=0):>8} "
            f"{money(s.downtime_cost, detail.currency, locale):>14} "
            f"{counts.get(s.id) if counts.get(s.id) is not None else '-':>9}  {s.status}"
        )


@history.command("forget")
@click.argument("period")
@config_option
@debug_option
def forget_command(period: str, config_path: Path | None, debug: bool) -> None:
    """Remove one period (its figures and its recorded decision) from the history store.

    \b
    Example:
      briefing history forget 2026-09
    """
    from briefing.history import open_store, store_path

    config = _load(config_path)
    label = _period(config, period).label
    path = store_path(config)
    if not path.exists():
        raise _not_stored(label, path)
    with open_store(path) as store:
        if not store.forget(label):
            raise _not_stored(label, path)
    click.echo(f"forgot {label} in {path}")


def _headline_short(kind: str, value: float, unit: str, service: str | None, config: Config) -> str:
    """One line of `history list`: a service's allowance used, or an amount and what it is."""
    if kind == "budget_exhausted" and unit == "fraction":
        return f"{service}: {percent(1.0 - value, config.locale, digits=0)} of allowance used"
    what = {
        "budget_exhausted": "cost over allowance",  # the organisation's: several services
        "risk_exposure": "at stake a year",
    }.get(kind, "loss avoided")
    return f"{money(value, config.currency, config.locale)} {what}"


COMMANDS: list[click.Command] = [history]
