"""Ingest stage: events that controls prevented, CSV `date,service,control,events,risk,probability`.

`date` is a calendar day (read in the source's or config's time zone: a day
needs no offset) or a full timestamp. `probability` is the chance that each
event would have caused one occurrence of `risk`; empty (or "unknown") keeps
the row but claims nothing.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from briefing.config import SourceEntry
from briefing.errors import Location
from briefing.ingest.context import Loaded, ReadContext
from briefing.ingest.generic import iter_csv_records, resolve_columns
from briefing.ingest.rows import RowChecks, parse_timestamps, source_timezone
from briefing.ingest.tables import conform
from briefing.textfiles import check_size

CONTROL_FIELDS = ("date", "service", "control", "events", "risk", "probability")
REQUIRED_CONTROL_FIELDS = ("date", "service", "events", "probability")
UNKNOWN_WORDS = frozenset({"", "unknown", "n/a", "na", "?", "-", "tbd"})
_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


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
    dates, bad_dates = _parse_dates(frame["date"], entry, ctx, line_array)
    checks.reject(dates.isna().to_numpy() & ~bad_dates, "date", "date is empty")
    checks.reject(bad_dates, "date", "date is not a day like 2026-10-05 (or an ISO 8601 timestamp)")
    service = frame["service"].fillna("")
    checks.reject((service == "").to_numpy(), "service", "service is empty")
    checks.reject(
        ~service.isin(set(ctx.service_ids)).to_numpy(),
        "service",
        lambda i: f"service {service.iloc[i]!r} is not in briefing.yaml services",
    )
    events_text = frame["events"].fillna("")
    events = pd.to_numeric(events_text.where(events_text != ""), errors="coerce")
    whole = events.notna() & (events == events.round())
    checks.reject(~whole.to_numpy(), "events", "events must be a whole number of prevented events")
    checks.reject((events < 0).fillna(False).to_numpy(), "events", "events must not be negative")
    prob_text = frame["probability"].fillna("").str.lower()
    unknown = prob_text.isin(UNKNOWN_WORDS).to_numpy()
    percent = prob_text.str.endswith("%").to_numpy()
    numbers = pd.to_numeric(prob_text.str.rstrip("%").where(~unknown), errors="coerce")
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
    notes = []
    unknown_kept = int((unknown & keep).sum())
    if unknown_kept:
        notes.append(f"{unknown_kept} row(s) give no probability: they claim no loss avoided")
    table = pd.DataFrame(
        {
            "date": dates,
            "service": service,
            "control": frame["control"].fillna(""),
            "events": events.fillna(0).astype("int64"),
            "risk": frame["risk"],
            "probability": numbers.astype("float64"),
        }
    )[keep]
    return Loaded(
        table=conform(table, "controls"), quality=(checks.quality(str(path), "csv", notes=notes),)
    )


def _parse_dates(
    values: pd.Series, entry: SourceEntry, ctx: ReadContext, lines: np.ndarray
) -> tuple[pd.Series, np.ndarray]:
    """Days at local midnight of the source's (else the config's) zone; timestamps as usual."""
    path = entry.path
    assert path is not None
    text = values.fillna("")
    is_day = text.str.match(_DAY).fillna(False).to_numpy()
    tz = source_timezone(dict(entry.options), ctx.config.timezone, ctx.config.timezone_set)
    result = pd.Series(pd.NaT, index=values.index, dtype="datetime64[ns, UTC]")
    bad = np.zeros(len(values), dtype=bool)
    if is_day.any():
        days = pd.to_datetime(text[is_day], format="%Y-%m-%d", errors="coerce")
        local = days.dt.tz_localize(tz or ctx.config.timezone or "UTC")
        result[is_day] = local.dt.tz_convert("UTC").astype("datetime64[ns, UTC]")
        bad[is_day] = days.isna().to_numpy()
    rest = ~is_day & (text != "").to_numpy()
    if rest.any():
        stamps, bad_rest = parse_timestamps(
            text[rest], where=Location(path), lines=lines[rest], column="date", timezone=tz
        )
        result[rest] = stamps
        bad[rest] = bad_rest
    return result, bad
