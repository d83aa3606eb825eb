"""Ingest stage: events that controls prevented, CSV `date,service,control,events,risk,probability`.

`date` is a calendar day (read in the source's or config's time zone: a day
needs no offset) or a full timestamp. `probability` is the chance that each
event would have caused one occurrence of `risk`; empty (or "unknown") keeps
the row but claims nothing.
"""

from __future__ import annotations

import re
from dataclasses import replace

import numpy as np
import pandas as pd
import pyarrow as pa

from briefing.config import SourceEntry
from briefing.errors import Location
from briefing.formats import MAPPED_FIELDS
from briefing.ingest.context import Loaded, ReadContext
from briefing.ingest.counts import read_counts, to_floats
from briefing.ingest.generic import iter_csv_records, resolve_columns
from briefing.ingest.rows import RowChecks, source_timezone
from briefing.ingest.tables import conform
from briefing.ingest.timestamps import FIRST_YEAR, LAST_YEAR, Stamps, parse_timestamps
from briefing.textfiles import check_size

CONTROL_FIELDS = MAPPED_FIELDS["controls"]
REQUIRED_CONTROL_FIELDS = ("date", "service", "events", "probability")
UNKNOWN_WORDS = frozenset({"", "unknown", "n/a", "na", "?", "-", "tbd"})
_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_FIRST_DAY = pd.Timestamp(f"{FIRST_YEAR}-01-02")
_LAST_DAY = pd.Timestamp(f"{LAST_YEAR}-12-31")


def read_controls(entry: SourceEntry, ctx: ReadContext) -> Loaded:
    path = entry.path
    assert path is not None
    check_size(path)
    header, records = iter_csv_records(path)
    mapping = dict(entry.options.get("mapping") or {})
    columns = resolve_columns(header, mapping, path, CONTROL_FIELDS, REQUIRED_CONTROL_FIELDS)
    lines: list[int] = []
    raw: dict[str, list[str | None]] = {f: [] for f in CONTROL_FIELDS}
    for line, cells in records:
        lines.append(line)
        for name in CONTROL_FIELDS:
            index = columns.get(name)
            raw[name].append(
                cells[index].strip() if index is not None and index < len(cells) else None
            )
    line_array = np.asarray(lines, dtype=np.int64)
    frame = pd.DataFrame({f: pd.Series(raw[f], dtype="string") for f in CONTROL_FIELDS})
    checks = RowChecks(line_array)
    where = Location(path)
    dates = _parse_dates(frame["date"], entry, ctx, line_array)
    checks.reject(dates.empty, "date", "date is empty")
    dates.reject_into(
        checks, "date", "date is not a day like 2026-10-05 (or an ISO 8601 timestamp)"
    )
    service = frame["service"].fillna("")
    checks.reject((service == "").to_numpy(), "service", "service is empty")
    checks.reject(
        ~service.isin(set(ctx.service_ids)).to_numpy(),
        "service",
        lambda i: f"service {service.iloc[i]!r} is not in briefing.yaml services",
    )
    events = read_counts(pa.Array.from_pandas(frame["events"]), "events", where)
    events.reject_into(checks, "events")
    prob_text = frame["probability"].fillna("").str.lower()
    unknown = prob_text.isin(UNKNOWN_WORDS).to_numpy()
    percent = prob_text.str.endswith("%").to_numpy()
    numbers = pd.Series(to_floats(prob_text.str.rstrip("%").where(~unknown)))
    numbers = numbers.where(~percent, numbers / 100.0)
    checks.reject(
        numbers.isna().to_numpy() & ~unknown,
        "probability",
        "probability must be a number between 0 and 1 (or empty when not known)",
    )
    checks.reject(
        ((numbers < 0) | (numbers > 1)).fillna(False).to_numpy(),
        "probability",
        lambda i: f"probability {prob_text.iloc[i]} is outside 0..1",
    )
    keep = checks.kept
    notes = dates.repeated_note("date")
    unknown_kept = int((unknown & keep).sum())
    if unknown_kept:
        notes.append(f"{unknown_kept} row(s) give no probability: they claim no loss avoided")
    table = pd.DataFrame(
        {
            "date": dates.values,
            "service": service,
            "control": frame["control"].fillna(""),
            "events": events.values,
            "risk": frame["risk"],
            "probability": numbers.astype("float64"),
        }
    )[keep]
    return Loaded(
        table=conform(table, "controls"), quality=(checks.quality(str(path), "csv", notes=notes),)
    )


def _parse_dates(
    values: pd.Series, entry: SourceEntry, ctx: ReadContext, lines: np.ndarray
) -> Stamps:
    """Days at the first instant of that day in the source's (else the config's) zone; timestamps as usual.

    Where the zone's clocks skip midnight (e.g. America/Santiago in September) the
    day starts at the first minute that exists; where midnight happens twice
    (America/Havana in November) it starts at the first midnight.
    """
    path = entry.path
    assert path is not None
    text = values.fillna("").reset_index(drop=True)
    is_day = text.str.match(_DAY).fillna(False).to_numpy(dtype=bool)
    tz = source_timezone(dict(entry.options), ctx.config.timezone, ctx.config.timezone_set)
    # full timestamps first (days are dropped here, then filled in below)
    stamps = parse_timestamps(
        text.where(~is_day, ""), where=Location(path), lines=lines, column="date", timezone=tz
    )
    if not is_day.any():
        return stamps
    days = pd.to_datetime(text[is_day], format="%Y-%m-%d", errors="coerce")
    in_range = days.notna() & (days >= _FIRST_DAY) & (days < _LAST_DAY)
    midnight: pd.Series = days.where(in_range).astype("datetime64[ns]")
    local = midnight.dt.tz_localize(
        tz or ctx.config.timezone or "UTC",
        ambiguous=np.ones(len(midnight), dtype=bool),  # the first of two midnights
        nonexistent="shift_forward",  # a skipped midnight: the day starts when the clocks resume
    )
    values = stamps.values.copy()
    values.iloc[np.flatnonzero(is_day)] = local.dt.tz_convert("UTC").to_numpy()
    unparseable = stamps.unparseable.copy()
    out_of_range = stamps.out_of_range.copy()
    unparseable[is_day] = days.isna().to_numpy()
    out_of_range[is_day] = (days.notna() & ~in_range).to_numpy()
    empty = stamps.empty & ~is_day
    return replace(
        stamps,
        values=values,
        written=lambda i: str(text.iloc[i]),
        empty=empty,
        unparseable=unparseable,
        out_of_range=out_of_range,
    )
