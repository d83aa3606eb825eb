"""Ingest stage: what the engine-backed sources (`duckdb`, `sql`) share.

The time window a query is bound to, the words naming a source and the
services it serves in a message, the check that a source gives rows for the
services it must cover, and incident rows of an Arrow result turned into the
text the generic incident checks take.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

import pandas as pd
import pyarrow as pa

from briefing.config import SourceEntry
from briefing.errors import BriefingError
from briefing.ingest.context import ReadContext


def metrics_window(ctx: ReadContext) -> tuple[datetime, datetime]:
    """[start, end) in UTC: the period and the periods before it that trends compare with."""
    first = ctx.history_start or ctx.period.previous()
    return first.start_utc.to_pydatetime(), ctx.period.end_utc.to_pydatetime()


def incidents_window(ctx: ReadContext) -> tuple[datetime, datetime]:
    """The metrics window, reaching back to `policy.baseline.from_incidents` when that is earlier."""
    start, end = metrics_window(ctx)
    window = ctx.config.policy.baseline.from_incidents
    if window is not None:
        stamp = pd.Timestamp(window[0])
        if stamp.tzinfo is None:
            stamp = stamp.tz_localize(ctx.period.timezone)
        start = min(start, stamp.tz_convert("UTC").to_pydatetime())
    return start, end


def entry_name(entry: SourceEntry, ctx: ReadContext) -> str:
    """`sources.metrics[0]`: the entry's key path in briefing.yaml."""
    entries = getattr(ctx.config.sources, entry.kind, ())
    for index, other in enumerate(entries):
        if other is entry:
            return f"sources.{entry.kind}[{index}]"
    return f"sources.{entry.kind}"


def covered_services(entry: SourceEntry, ctx: ReadContext) -> list[str]:
    """The services a source serves: its `services:` list, else every configured one."""
    listed = entry.options.get("services")
    if isinstance(listed, list):
        return [str(s) for s in listed]
    return sorted(ctx.service_ids)


def name_services(services: Iterable[str], most: int = 3) -> str:
    names = list(services)
    if len(names) <= most:
        return ", ".join(names) or "no service"
    return f"{', '.join(names[:most])} and {len(names) - most} more"


def describe_source(entry: SourceEntry, ctx: ReadContext, shown: str | None = None) -> str:
    """`sources.metrics[0] (sql postgresql://briefing@db/slis) for checkout-api, payments`."""
    where = shown if shown is not None else entry.display
    services = name_services(covered_services(entry, ctx))
    return f"{entry_name(entry, ctx)} ({entry.format} {where}) for {services}"


def require_services(
    found: set[str],
    entry: SourceEntry,
    ctx: ReadContext,
    *,
    shown: str,
    all_when_only_source: bool,
) -> None:
    """Services the source must give rows for: its `services:` list, else (for a query that
    is the only metrics source) every configured service. A missing one stops the build."""
    listed = entry.options.get("services")
    if isinstance(listed, list):
        expected = {str(s) for s in listed}
    elif all_when_only_source and len(getattr(ctx.config.sources, entry.kind, ())) == 1:
        expected = set(ctx.service_ids)
    else:
        return
    missing = sorted(expected - found)
    if missing:
        raise BriefingError(
            f"{entry_name(entry, ctx)} ({entry.format} {shown}) returned no rows for "
            f"{name_services(missing, 10)} (rows found for: {name_services(sorted(found), 10)})",
            where=entry.location,
            hint="check that the service column holds the ids of briefing.yaml and that the "
            "data reaches the period; if another source covers a service, list this source's "
            "services under services:",
        )


def incident_text_rows(table: pa.Table) -> dict[str, list[str | None]]:
    """Columns of an incidents result as text: timestamps in ISO 8601 (with their offset when
    they have a zone), numbers and text as written; NULL stays None."""
    rows: dict[str, list[str | None]] = {}
    for name in table.column_names:
        column = table.column(name)
        values = column.to_pylist()
        if pa.types.is_timestamp(column.type) or pa.types.is_date(column.type):
            rows[name] = [None if v is None else v.isoformat() for v in values]
        else:
            rows[name] = [None if v is None else str(v) for v in values]
    return rows
