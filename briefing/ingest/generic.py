"""Ingest stage: the generic formats (CSV, CSV.gz, JSON) of metrics and incidents.

Metrics are parsed column-wise with pyarrow; incidents row by row with the
csv module so each row keeps its physical line (quoted newlines included).
A `mapping:` of our column names to the export's lets any CSV or JSON be read.
"""

from __future__ import annotations

import csv
import gzip
import io
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa

from briefing.config import SourceEntry
from briefing.errors import BriefingError, Location
from briefing.ingest.context import Loaded, ReadContext
from briefing.ingest.messages import header_summary
from briefing.ingest.rows import RowChecks, parse_timestamps, source_timezone
from briefing.ingest.tables import conform, normalize_severity
from briefing.textfiles import check_size, load_json

METRIC_COLUMNS = ("timestamp", "service", "good", "total")
INCIDENT_FIELDS = (
    "id",
    "service",
    "title",
    "severity",
    "started_at",
    "detected_at",
    "resolved_at",
    "impact",
)
REQUIRED_INCIDENT_FIELDS = ("id", "service", "started_at", "resolved_at")


# --------------------------------------------------------------------------- metrics


def read_metrics_table(table: pa.Table, entry: SourceEntry, ctx: ReadContext, fmt: str) -> Loaded:
    """Validate a metrics table with our four columns (from CSV or Parquet)."""
    path = entry.path
    assert path is not None
    missing = [c for c in METRIC_COLUMNS if c not in table.column_names]
    if missing:
        raise BriefingError(
            f"missing column(s) {', '.join(missing)}; {header_summary(table.column_names)}",
            where=Location(path, 1),
            hint="metrics files need the columns timestamp,service,good,total",
        )
    n = table.num_rows
    lines = np.arange(2, n + 2, dtype=np.int64)
    checks = RowChecks(lines)
    service = table.column("service").cast(pa.string()).to_pandas().astype("string")
    # timestamps
    ts_col = table.column("timestamp")
    if pa.types.is_timestamp(ts_col.type):
        if ts_col.type.tz is None:
            tz = source_timezone(dict(entry.options), ctx.config.timezone, ctx.config.timezone_set)
            if tz is None:
                raise BriefingError(
                    "column 'timestamp' holds timestamps with no time zone",
                    where=Location(path, None, "timestamp"),
                    hint="store UTC timestamps, or set timezone: in briefing.yaml",
                )
            stamps = pd.Series(ts_col.to_pandas()).dt.tz_localize(tz).dt.tz_convert("UTC")
        else:
            stamps = pd.Series(ts_col.to_pandas()).dt.tz_convert("UTC")
        bad_ts = np.zeros(n, dtype=bool)
        empty_ts = stamps.isna().to_numpy()
    else:
        text = pd.Series(ts_col.cast(pa.string()).to_pandas(), dtype="string")
        stamps, bad_ts = parse_timestamps(
            text,
            where=Location(path),
            lines=lines,
            column="timestamp",
            timezone=source_timezone(
                dict(entry.options), ctx.config.timezone, ctx.config.timezone_set
            ),
        )
        empty_ts = stamps.isna().to_numpy() & ~bad_ts
    stamps = stamps.astype("datetime64[ns, UTC]")
    counts = {}
    for name in ("good", "total"):
        col = table.column(name)
        if pa.types.is_integer(col.type):
            values = pd.Series(col.to_pandas(), dtype="Int64")
        else:
            raw = pd.Series(col.cast(pa.string()).to_pandas(), dtype="string").str.strip()
            numbers = pd.to_numeric(raw, errors="coerce")
            whole = numbers.notna() & (numbers == numbers.round())
            values = numbers.where(whole).astype("Int64")
        counts[name] = values
    service_empty = (service.isna() | (service.str.strip() == "")).to_numpy()
    known = set(ctx.service_ids)
    unknown = ~service_empty & ~service.isin(known).fillna(False).to_numpy()
    checks.reject(empty_ts, "timestamp", "timestamp is empty")
    checks.reject(bad_ts, "timestamp", "timestamp is not ISO 8601 (e.g. 2026-10-01T00:00:00Z)")
    checks.reject(service_empty, "service", "service is empty")
    checks.reject(
        unknown,
        "service",
        lambda i: (
            f"service {service.iloc[i]!r} is not in briefing.yaml services; add it to use these rows"
        ),
    )
    for name in ("good", "total"):
        values = counts[name]
        checks.reject(values.isna().to_numpy(), name, f"{name} is not a whole number")
        checks.reject((values < 0).fillna(False).to_numpy(), name, f"{name} is negative")
    good = counts["good"].fillna(0).astype("int64")
    total = counts["total"].fillna(0).astype("int64")
    checks.reject(
        (good > total).to_numpy(),
        "good",
        lambda i: f"good ({good.iloc[i]}) is more than total ({total.iloc[i]})",
    )
    frame = pd.DataFrame({"service": service, "timestamp": stamps, "good": good, "total": total})
    used = frame[checks.kept]
    notes = []
    repeated = int(used.duplicated(subset=["service", "timestamp"]).sum())
    if repeated:
        # e.g. one row per instance: the bucket is their sum, as with Parquet and Prometheus
        used = used.groupby(["service", "timestamp"], sort=False, as_index=False)[
            ["good", "total"]
        ].sum()
        notes.append(
            f"{repeated:,} rows repeated a service and timestamp of another row "
            "and were summed into its bucket"
        )
    return Loaded(
        table=conform(used, "sli"), quality=(checks.quality(str(path), fmt, notes=notes),)
    )


# --------------------------------------------------------------------------- incidents


def _open_text(path: Path) -> io.TextIOBase:
    if path.name.lower().endswith(".gz"):
        return io.TextIOWrapper(gzip.open(path, "rb"), encoding="utf-8-sig", newline="")
    return open(path, encoding="utf-8-sig", newline="")  # noqa: SIM115


def iter_csv_records(path: Path) -> tuple[list[str], Iterator[tuple[int, list[str]]]]:
    """Header and (physical start line, cells) of each non-blank record."""
    handle = _open_text(path)
    reader = csv.reader(handle)
    try:
        header = next(reader)
    except StopIteration:
        handle.close()
        raise BriefingError(
            "file is empty", where=Location(path), hint="export again with a header row"
        ) from None
    except csv.Error as err:
        handle.close()
        raise BriefingError(f"cannot read as CSV: {err}", where=Location(path, 1)) from None

    def records() -> Iterator[tuple[int, list[str]]]:
        previous = reader.line_num
        try:
            for cells in reader:
                start = previous + 1
                previous = reader.line_num
                if not cells or all(not c.strip() for c in cells):
                    continue
                yield start, cells
        except csv.Error as err:
            raise BriefingError(
                f"cannot read as CSV: {err}", where=Location(path, reader.line_num)
            ) from None
        finally:
            handle.close()

    return [h.strip() for h in header], records()


def resolve_columns(
    header: list[str],
    mapping: Mapping[str, Any],
    path: Path,
    fields: tuple[str, ...],
    required: tuple[str, ...],
) -> dict[str, int]:
    """Our field -> index of the export's column (first occurrence of repeated names)."""
    positions: dict[str, int] = {}
    for index, name in enumerate(header):
        positions.setdefault(name, index)
    result: dict[str, int] = {}
    for field in fields:
        theirs = str(mapping.get(field, field))
        if theirs in positions:
            result[field] = positions[theirs]
        elif field in required or field in mapping:
            via = f" (mapped from {field!r})" if field in mapping else ""
            raise BriefingError(
                f"column {theirs!r}{via} not found; {header_summary(header)}",
                where=Location(path, 1),
                hint="fix `mapping:` for this source in briefing.yaml"
                if field in mapping
                else f"add a mapping: {{{field}: <your column>}} for this source in briefing.yaml",
            )
    return result


def read_incidents_csv(entry: SourceEntry, ctx: ReadContext) -> Loaded:
    path = entry.path
    assert path is not None
    check_size(path)
    header, records = iter_csv_records(path)
    mapping = dict(entry.options.get("mapping") or {})
    columns = resolve_columns(header, mapping, path, INCIDENT_FIELDS, REQUIRED_INCIDENT_FIELDS)
    lines: list[int] = []
    rows: dict[str, list[str | None]] = {f: [] for f in INCIDENT_FIELDS}
    for line, cells in records:
        lines.append(line)
        for field in INCIDENT_FIELDS:
            index = columns.get(field)
            rows[field].append(cells[index] if index is not None and index < len(cells) else None)
    return build_incidents(rows, np.asarray(lines, dtype=np.int64), entry, ctx, "csv")


def read_incidents_json(entry: SourceEntry, ctx: ReadContext) -> Loaded:
    """A JSON list of objects (or an object with one list) with our names or a `mapping:`."""
    path = entry.path
    assert path is not None
    data = load_json(path)
    if isinstance(data, dict):
        lists = [v for v in data.values() if isinstance(v, list)]
        if len(lists) != 1:
            raise BriefingError(
                "expected a list of incidents (or an object holding one list)",
                where=Location(path, 1),
            )
        data = lists[0]
    if not isinstance(data, list):
        raise BriefingError("expected a list of incidents", where=Location(path, 1))
    mapping = dict(entry.options.get("mapping") or {})
    rows: dict[str, list[str | None]] = {f: [] for f in INCIDENT_FIELDS}
    for item in data:
        for field in INCIDENT_FIELDS:
            value = (
                lookup_path(item, str(mapping.get(field, field)))
                if isinstance(item, dict)
                else None
            )
            rows[field].append(None if value is None else str(value))
    # JSON has no physical lines per row: report the 1-based position in the list
    lines = np.arange(1, len(data) + 1, dtype=np.int64)
    return build_incidents(rows, lines, entry, ctx, "json")


def lookup_path(item: Mapping[str, Any], dotted: str) -> Any:
    """`a.b.0.c` into nested dicts and lists; None where absent."""
    value: Any = item
    for part in dotted.split("."):
        if isinstance(value, dict):
            value = value.get(part)
        elif isinstance(value, list) and part.isdigit() and int(part) < len(value):
            value = value[int(part)]
        else:
            return None
    return value


def build_incidents(
    rows: Mapping[str, list[Any]],
    lines: np.ndarray,
    entry: SourceEntry,
    ctx: ReadContext,
    fmt: str,
    *,
    notes: list[str] | None = None,
    categories: list[str | None] | None = None,
) -> Loaded:
    """Validate incident rows (our field names, text values) into the canonical table.

    Shared by every incident reader: vendor readers turn their export into these
    rows, then rely on the same checks, defaults and reconciliation.
    """
    path = entry.path or Path(entry.display)
    where = Location(path)
    notes = list(notes or [])
    frame = pd.DataFrame(
        {f: pd.Series(rows.get(f, [None] * len(lines)), dtype="string") for f in INCIDENT_FIELDS}
    )
    checks = RowChecks(lines)
    tz = source_timezone(dict(entry.options), ctx.config.timezone, ctx.config.timezone_set)
    fmt_ts = entry.options.get("timestamp_format")
    stamps = {}
    for col in ("started_at", "detected_at", "resolved_at"):
        stamps[col], bad = parse_timestamps(
            frame[col],
            where=where,
            lines=lines,
            column=col,
            timezone=tz,
            fmt=str(fmt_ts) if fmt_ts else None,
        )
        expected = f"the format {fmt_ts!r}" if fmt_ts else "ISO 8601 (e.g. 2026-10-03T14:02:11Z)"
        checks.reject(bad, col, f"{col} is not a timestamp in {expected}")
    ids = frame["id"].str.strip()
    checks.reject((ids.isna() | (ids == "")).to_numpy(), "id", "id is empty")
    service = frame["service"].str.strip()
    known = set(ctx.service_ids)
    checks.reject((service.isna() | (service == "")).to_numpy(), "service", "service is empty")
    checks.reject(
        ~service.isin(known).fillna(False).to_numpy(),
        "service",
        lambda i: (
            f"service {service.iloc[i]!r} is not in briefing.yaml services; add it (or map it) to use this incident"
        ),
    )
    checks.reject(stamps["started_at"].isna().to_numpy(), "started_at", "started_at is empty")
    checks.reject(
        stamps["resolved_at"].isna().to_numpy(),
        "resolved_at",
        "resolved_at is empty: the incident is still open; it is counted once resolved",
    )
    started, detected, resolved = stamps["started_at"], stamps["detected_at"], stamps["resolved_at"]
    checks.reject(
        (resolved < started).fillna(False).to_numpy(),
        "resolved_at",
        "resolved_at is before started_at",
    )
    checks.reject(
        (detected < started).fillna(False).to_numpy(),
        "detected_at",
        "detected_at is before started_at",
    )
    checks.reject(
        (detected > resolved).fillna(False).to_numpy(),
        "detected_at",
        "detected_at is after resolved_at",
    )
    severity_map = entry.options.get("severity_map") or None
    severities = [
        normalize_severity(v, severity_map) if v is not None and v is not pd.NA else None
        for v in frame["severity"]
    ]
    sev = pd.Series(severities, dtype="string")
    raw_sev = frame["severity"].str.strip()
    checks.reject(
        (sev.isna() & raw_sev.notna() & (raw_sev != "")).fillna(False).to_numpy(),
        "severity",
        lambda i: (
            f"severity {raw_sev.iloc[i]!r} is not understood; add it to severity_map (e.g. {{{raw_sev.iloc[i]}: SEV2}})"
        ),
    )
    checks.reject(sev.isna().to_numpy(), "severity", "severity is empty")
    impact_text = frame["impact"].str.strip()
    impact = pd.to_numeric(impact_text.where(impact_text != ""), errors="coerce")
    checks.reject(
        (impact.isna() & impact_text.notna() & (impact_text != "")).to_numpy(),
        "impact",
        "impact is not a number between 0 and 1",
    )
    checks.reject(
        ((impact < 0) | (impact > 1)).fillna(False).to_numpy(),
        "impact",
        "impact must be between 0 and 1",
    )
    dup = ids.duplicated(keep="first").fillna(False).to_numpy() & checks.kept
    checks.reject(dup, "id", lambda i: f"duplicate incident id {ids.iloc[i]!r}")
    keep = checks.kept
    defaults = ctx.config.policy.impact_by_severity
    missing_impact = impact.isna().to_numpy() & keep
    if missing_impact.any():
        impact = impact.where(
            ~missing_impact, sev.map(lambda s: defaults.get(str(s), 0.0) if s is not pd.NA else 0.0)
        )
        notes.append(
            f"impact not given for {int(missing_impact.sum())} incident(s): the share of users affected "
            "was taken from the severity default ("
            + ", ".join(f"{k} {v:g}" for k, v in sorted(defaults.items()))
            + ")"
        )
    no_detect = detected.isna().to_numpy() & keep
    if no_detect.any():
        notes.append(
            f"{int(no_detect.sum())} incident(s) have no detection time: kept, but left out of "
            "detection and repair medians and of faster response"
        )
    title = frame["title"].fillna("").str.strip()
    table = pd.DataFrame(
        {
            "id": ids,
            "service": service,
            "title": title,
            "severity": sev,
            "started_at": started,
            "detected_at": detected,
            "resolved_at": resolved,
            "impact": impact.astype("float64"),
            "category": pd.Series(categories, dtype="string") if categories is not None else pd.NA,
        }
    )[keep]
    return Loaded(
        table=conform(table, "incidents"), quality=(checks.quality(str(path), fmt, notes=notes),)
    )
