"""Ingest stage: one metrics table (`timestamp, service, good, total`) checked row by row.

Every metrics reader ends here: the CSV and Parquet readers with the file's
columns (any Arrow types), the Prometheus readers with one row per series
point. Each row is used or rejected with its line and reason (timestamps in
`timestamps`, counts in `counts`); rows repeating a service and timestamp
are summed into one bucket, and the briefing says how many were.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa

from briefing.config import SourceEntry
from briefing.errors import BriefingError, Location
from briefing.ingest.context import Loaded, ReadContext
from briefing.ingest.counts import check_total, read_counts
from briefing.ingest.messages import header_summary
from briefing.ingest.rows import RowChecks, source_timezone
from briefing.ingest.tables import conform
from briefing.ingest.timestamps import arrow_timestamps, parse_timestamps

METRIC_COLUMNS = ("timestamp", "service", "good", "total")
NOT_ISO = "timestamp is not ISO 8601 (e.g. 2026-10-01T00:00:00Z)"

# checks a caller runs before the table's own: (rows, column, reason)
FirstCheck = tuple[np.ndarray, str, str | Callable[[int], str]]


def check_header(names: Sequence[str], path: Path | str, *, line: int | None = 1) -> None:
    """Every metrics column present exactly once, else one error naming the column."""
    missing = [c for c in METRIC_COLUMNS if c not in names]
    if missing:
        raise BriefingError(
            f"missing column(s) {', '.join(missing)}; {header_summary(list(map(str, names)))}",
            where=Location(path, line, None if line else missing[0]),
            hint="metrics files need the columns timestamp,service,good,total",
        )
    for column in METRIC_COLUMNS:
        positions = [i + 1 for i, name in enumerate(names) if name == column]
        if len(positions) > 1:
            listed = ", ".join(map(str, positions[:-1])) + f" and {positions[-1]}"
            raise BriefingError(
                f"column {column!r} appears {len(positions)} times in the header "
                f"(columns {listed}): briefing cannot tell which to read",
                where=Location(path, line, column),
                hint="keep one column of each name (rename or drop the others)",
            )


def read_metrics_table(
    table: pa.Table,
    entry: SourceEntry,
    ctx: ReadContext,
    fmt: str,
    *,
    first: Sequence[FirstCheck] = (),
    known_good: frozenset[str] = frozenset(),
) -> Loaded:
    """Validate a metrics table with our four columns (from CSV, Parquet or Prometheus).

    `known_good`: services the caller has already seen good counts for (rows
    read elsewhere in the same file).
    """
    path = entry.path
    assert path is not None
    where = Location(path)
    check_header(table.column_names, path)
    n = table.num_rows
    lines = np.arange(2, n + 2, dtype=np.int64)
    checks = RowChecks(lines)
    for mask, column, reason in first:
        checks.reject(mask, column, reason)
    service = _service_names(table.column("service"), where)
    timezone = source_timezone(dict(entry.options), ctx.config.timezone, ctx.config.timezone_set)
    ts_col = table.column("timestamp")
    if pa.types.is_timestamp(ts_col.type):
        stamps = arrow_timestamps(
            ts_col, where=where, lines=lines, column="timestamp", timezone=timezone, groups=service
        )
    else:
        stamps = parse_timestamps(
            _text(ts_col, "timestamp", where, "timestamps"),
            where=where,
            lines=lines,
            column="timestamp",
            timezone=timezone,
            groups=service,
        )
    counts = {name: read_counts(table.column(name), name, where) for name in ("good", "total")}
    checks.reject(stamps.empty, "timestamp", "timestamp is empty")
    stamps.reject_into(checks, "timestamp", NOT_ISO)
    service_empty = (service.isna() | (service.str.strip() == "")).fillna(True).to_numpy(bool)
    unknown = ~service_empty & ~service.isin(set(ctx.service_ids)).fillna(False).to_numpy(bool)
    checks.reject(service_empty, "service", "service is empty")
    checks.reject(
        unknown,
        "service",
        lambda i: (
            f"service {service.iloc[i]!r} is not in briefing.yaml services; add it to use these rows"
        ),
    )
    _refuse_total_without_good(
        service,
        counts["good"].empty,
        counts["total"].empty,
        unknown | service_empty,
        known_good,
        path,
    )
    for name in ("good", "total"):
        counts[name].reject_into(checks, name)
    good, total = counts["good"].values, counts["total"].values
    checks.reject(
        good > total, "good", lambda i: f"good ({good[i]}) is more than total ({total[i]})"
    )
    frame = pd.DataFrame(
        {"service": service, "timestamp": stamps.values, "good": good, "total": total}
    )
    used = frame[checks.kept]
    check_total(used["total"].to_numpy(), where, "the counts of this file")
    notes = stamps.repeated_note("timestamp")
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


def _refuse_total_without_good(
    service: pd.Series,
    good_empty: np.ndarray,
    total_empty: np.ndarray,
    excluded: np.ndarray,
    known_good: frozenset[str],
    path: Path,
) -> None:
    """A service whose rows never give a good count: stop, never count zero good events."""
    if not good_empty.any():
        return
    rows = pd.DataFrame({"service": service, "no_good": good_empty, "total": ~total_empty})
    by_service = (
        rows[~excluded].groupby("service", sort=True).agg({"no_good": "all", "total": "any"})
    )
    lacking = by_service[by_service["no_good"] & by_service["total"]]
    names = [str(s) for s in lacking.index if str(s) not in known_good]
    if names:
        raise BriefingError(
            f"{', '.join(names)}: total counts but no good count in any row; "
            "a missing count is never read as zero good events",
            where=Location(path, None, "good"),
            hint="export the good counts too (from the same query or table as the total)",
        )


def _service_names(col: pa.ChunkedArray, where: Location) -> pd.Series:
    return _text(col, "service", where, "service names").reset_index(drop=True)


def _text(col: pa.ChunkedArray, name: str, where: Location, what: str) -> pd.Series:
    kind = col.type
    if pa.types.is_dictionary(kind):
        kind = kind.value_type
    if pa.types.is_nested(kind) or pa.types.is_binary(kind) or pa.types.is_large_binary(kind):
        raise _wrong_type(name, col.type, where, what)
    try:
        text = col.cast(pa.string())
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        raise _wrong_type(name, col.type, where, what) from None
    return pd.Series(text.to_pandas(), dtype="string")


def _wrong_type(name: str, kind: pa.DataType, where: Location, what: str) -> BriefingError:
    return BriefingError(
        f"column {name!r} holds {kind} values, not {what}",
        where=Location(where.path, None, name),
        hint="write the column as text (or, for timestamp, as a timestamp column)",
    )
