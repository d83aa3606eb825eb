"""Ingest stage: metrics and incidents from a database through SQLAlchemy (`format: sql`).

`query:` returns the generic columns (metrics `timestamp, service, good, total`,
best already summed per service and bucket by the database; incidents the
generic incident columns) over the window briefing binds as `:start` and `:end`
(UTC instants): the period and the two before it, which trends compare with.
The answer's shape is checked first (a missing or extra column, a column of the
wrong type: one clear message); then the rows go through the generic readers'
checks, a rejected row being named by its row number in the result. Running
the query (read-only, timeouts, retries, the password) is `sql_engine`'s part.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import numpy as np
import pyarrow as pa

from briefing.config import SourceEntry
from briefing.errors import BriefingError
from briefing.ingest.context import Loaded, ReadContext
from briefing.ingest.engine_rows import (
    describe_source,
    incident_text_rows,
    incidents_window,
    metrics_window,
    require_services,
)
from briefing.ingest.generic import INCIDENT_FIELDS, REQUIRED_INCIDENT_FIELDS, build_incidents
from briefing.ingest.metrics_table import METRIC_COLUMNS, read_metrics_table
from briefing.ingest.sql_engine import QueryAnswer, run_query
from briefing.model import FileQuality

_Check = Callable[[pa.DataType], bool]


def _is_time(t: pa.DataType) -> bool:
    return bool(pa.types.is_timestamp(t))


def _is_text(t: pa.DataType) -> bool:
    return bool(pa.types.is_string(t) or pa.types.is_large_string(t))


def _is_number(t: pa.DataType) -> bool:
    return bool(pa.types.is_integer(t) or pa.types.is_decimal(t) or pa.types.is_floating(t))


def _is_id(t: pa.DataType) -> bool:
    return _is_text(t) or bool(pa.types.is_integer(t))


# what each generic column may hold, and how to say it
METRIC_TYPES: dict[str, tuple[_Check, str, str]] = {
    "timestamp": (_is_time, "timestamps", "CAST(ts AS TIMESTAMP WITH TIME ZONE)"),
    "service": (_is_text, "text", "CAST(service AS VARCHAR)"),
    "good": (_is_number, "whole numbers", "CAST(good AS BIGINT)"),
    "total": (_is_number, "whole numbers", "CAST(total AS BIGINT)"),
}
INCIDENT_TYPES: dict[str, tuple[_Check, str, str]] = {
    "id": (_is_id, "text or whole numbers", "CAST(id AS VARCHAR)"),
    "service": (_is_text, "text", "CAST(service AS VARCHAR)"),
    "title": (_is_text, "text", "CAST(title AS VARCHAR)"),
    "severity": (_is_text, "text", "CAST(severity AS VARCHAR)"),
    "started_at": (_is_time, "timestamps", "CAST(started_at AS TIMESTAMP WITH TIME ZONE)"),
    "detected_at": (_is_time, "timestamps", "CAST(detected_at AS TIMESTAMP WITH TIME ZONE)"),
    "resolved_at": (_is_time, "timestamps", "CAST(resolved_at AS TIMESTAMP WITH TIME ZONE)"),
    "impact": (_is_number, "numbers between 0 and 1", "CAST(impact AS DOUBLE PRECISION)"),
    "risk": (_is_text, "text (a risk id)", "CAST(risk AS VARCHAR)"),
}


def read_metrics_sql(entry: SourceEntry, ctx: ReadContext) -> Loaded:
    """`{format: sql, url, query, password_env}` returning `timestamp, service, good, total`."""

    def check(names: tuple[str, ...], shown: str) -> None:
        _check_names(names, METRIC_TYPES, METRIC_COLUMNS, describe_source(entry, ctx, shown), entry)

    answer, shown = run_query(entry, ctx, metrics_window(ctx), check)
    about = describe_source(entry, ctx, shown)
    columns = _typed_columns(answer, METRIC_TYPES, about, entry)
    # counts as the driver gives them (integers, decimals, floats): the shared checks word
    # what is wrong with a fraction, a NaN or a negative
    table = pa.table({name: columns[name] for name in METRIC_COLUMNS})
    try:
        loaded = read_metrics_table(table, replace(entry, path=Path(shown)), ctx, "sql")
    except BriefingError as err:
        raise BriefingError(
            f"{about}: {err.message}", where=entry.location, hint=err.hint
        ) from None
    quality = _by_result_row(loaded.quality[0], shown, first_line=2)
    found = set(loaded.table["service"].unique().tolist())
    require_services(found, entry, ctx, shown=shown, all_when_only_source=True)
    return Loaded(table=loaded.table, quality=(quality,), notes=loaded.notes)


def read_incidents_sql(entry: SourceEntry, ctx: ReadContext) -> Loaded:
    """`{format: sql, url, query}` returning the generic incident columns."""

    def check(names: tuple[str, ...], shown: str) -> None:
        about = describe_source(entry, ctx, shown)
        _check_names(names, INCIDENT_TYPES, REQUIRED_INCIDENT_FIELDS, about, entry)

    answer, shown = run_query(entry, ctx, incidents_window(ctx), check)
    about = describe_source(entry, ctx, shown)
    columns = _typed_columns(answer, INCIDENT_TYPES, about, entry)
    rows = incident_text_rows(pa.table(columns))
    lines = np.arange(1, answer.num_rows + 1, dtype=np.int64)
    try:
        loaded = build_incidents(rows, lines, replace(entry, path=Path(shown)), ctx, "sql")
    except BriefingError as err:
        raise BriefingError(
            f"{about}: {err.message}", where=entry.location, hint=err.hint
        ) from None
    return replace(loaded, quality=(_by_result_row(loaded.quality[0], shown, first_line=1),))


def _check_names(
    names: tuple[str, ...],
    types: dict[str, tuple[_Check, str, str]],
    required: tuple[str, ...],
    about: str,
    entry: SourceEntry,
) -> None:
    """The result has the required columns and no others (names matched ignoring case)."""
    lower = {c.lower() for c in names}
    missing = [c for c in required if c not in lower]
    extra = [c for c in names if c.lower() not in types]
    if missing or extra:
        problems = []
        if missing:
            problems.append(f"no column {', '.join(missing)}")
        if extra:
            problems.append(f"extra column(s) {', '.join(extra)}")
        wanted = ", ".join(required) + (
            f" (and optionally {', '.join(c for c in types if c not in required)})"
            if len(types) > len(required)
            else ""
        )
        raise BriefingError(
            f"{about}: the query returns {'; '.join(problems)} "
            f"(it returns: {', '.join(names) or 'nothing'})",
            where=entry.location,
            hint=f"select {wanted}, renaming with AS",
        )


def _typed_columns(
    answer: QueryAnswer, types: dict[str, tuple[_Check, str, str]], about: str, entry: SourceEntry
) -> dict[str, pa.ChunkedArray]:
    """Our columns from the answer, each of an accepted type."""
    result = {}
    for theirs in answer.columns:
        name = theirs.lower()
        accepted, expected, cast = types[name]
        result[name] = _one_type(
            answer.arrays[theirs], name, accepted, expected, cast, about, entry
        )
    return result


def _one_type(
    chunks: list[pa.Array],
    name: str,
    accepted: _Check,
    expected: str,
    cast: str,
    about: str,
    entry: SourceEntry,
) -> pa.ChunkedArray:
    """The chunks as one column; every non-empty chunk must be of an accepted type."""
    typed = [c for c in chunks if not pa.types.is_null(c.type)]
    for chunk in typed:
        if not accepted(chunk.type):
            sample = next((v for v in chunk.to_pylist() if v is not None), None)
            raise BriefingError(
                f"{about}: column {name} holds {chunk.type} values (e.g. {sample!r}), "
                f"not {expected}",
                where=entry.location,
                hint=f"convert it in the query, e.g. {cast} AS {name}",
            )
    if not typed:
        kind = pa.timestamp("us", tz="UTC") if expected == "timestamps" else pa.string()
        return pa.chunked_array([c.cast(kind) for c in chunks], type=kind)
    target = typed[0].type
    if pa.types.is_timestamp(target):
        zones = {c.type.tz is not None for c in typed}
        if len(zones) > 1:
            raise BriefingError(
                f"{about}: column {name} mixes timestamps with and without a time zone",
                where=entry.location,
                hint=f"convert it in the query, e.g. {cast} AS {name}",
            )
        target = pa.timestamp("us", tz="UTC" if target.tz is not None else None)
    elif _is_number(target):
        target = pa.float64() if any(not pa.types.is_integer(c.type) for c in typed) else pa.int64()
    return pa.chunked_array([c.cast(target) for c in chunks], type=target)


def _by_result_row(quality: FileQuality, shown: str, *, first_line: int) -> FileQuality:
    """Rejections numbered by row of the result (1 = the first row), the source shown by URL."""
    shift = first_line - 1
    rejections = tuple(
        replace(r, line=r.line - shift) if r.line is not None else r for r in quality.rejections
    )
    return replace(quality, path=shown, rejections=rejections)


__all__ = ["INCIDENT_FIELDS", "read_incidents_sql", "read_metrics_sql"]
