"""CLI commands: `briefing decision record`, what became of a briefing's decision."""

from __future__ import annotations

from pathlib import Path

import click

from briefing.cli.common import config_option, debug_option
from briefing.config import load_config, resolve_config_path
from briefing.model import Period


@click.group("decision")
def decision() -> None:
    """Record what became of a briefing's decision; the next briefing shows it on page 1.

    \b
    Example:
      briefing decision record 2026-09 --outcome done --note "Freeze held 9 days" --by "A. Chen"
    """


@decision.command("record")
@click.argument("period")
@click.option(
    "--outcome",
    required=True,
    type=click.Choice(["accepted", "declined", "deferred", "done"]),
    help="What became of the decision.",
)
@click.option("--note", default=None, help="A sentence on what happened (printed on page 1).")
@click.option(
    "--by", "by", default=None, metavar="NAME", help="Who records it (printed on page 1)."
)
@config_option
@debug_option
def record_command(
    period: str,
    outcome: str,
    note: str | None,
    by: str | None,
    config_path: Path | None,
    debug: bool,
) -> None:
    """Record the outcome of PERIOD's decision (the period must have been built or backfilled).

    \b
    Examples:
      briefing decision record 2026-09 --outcome accepted
      briefing decision record 2026-09 --outcome done --note "Freeze held 9 days" --by "A. Chen"
    """
    from briefing.history import open_store, store_path
    from briefing.history.store import never_built
    from briefing.pipeline import utc_now

    config = load_config(resolve_config_path(config_path))
    label = Period.parse(period, config.timezone).label
    path = store_path(config)
    if not path.exists():
        raise never_built(label, path)
    with open_store(path) as store:
        store.record_decision(
            label,
            outcome,
            note=_clean(note),
            by=_clean(by),
            recorded_at=utc_now().isoformat(timespec="seconds"),
        )
    click.echo(f"recorded {outcome} for the decision of {label} in {path}")


def _clean(text: str | None) -> str | None:
    return " ".join(text.split()) or None if text is not None else None


COMMANDS: list[click.Command] = [decision]
