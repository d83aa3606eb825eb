"""Ingest stage: the SQL that checks metric rows inside DuckDB (for `duckdb_files`).

Each row of the files gets a `reject` code, the first failing check winning in
the order of the shared metrics checks (`metrics_table.read_metrics_table`), so
the same rows are used and rejected; the listed rejections take their words
from those checks, `REASONS` standing in should they ever not name a row. The
expressions depend on the column types DuckDB reports: typed Parquet columns
are used as they are, text columns (CSV) are parsed the way the CSV reader
parses them (ISO 8601 with an offset, else in the configured zone; whole
numbers from 0 to `MAX_COUNT`, `1e3` included; instants from 1678 to 2261).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from briefing.errors import BriefingError, Location
from briefing.ingest.counts import MAX_COUNT
from briefing.ingest.timestamps import FIRST_YEAR, LAST_YEAR

TIMESTAMP_EMPTY = 1
TIMESTAMP_NOT_ISO = 2
SERVICE_EMPTY = 3
SERVICE_UNKNOWN = 4
GOOD_NOT_WHOLE = 5
GOOD_NEGATIVE = 6
TOTAL_NOT_WHOLE = 7
TOTAL_NEGATIVE = 8
GOOD_ABOVE_TOTAL = 9
TIMESTAMP_NO_ZONE = 10  # not a rejection: the source needs `timezone:`
CODES = 11

_Row = Mapping[str, str | None]
REASONS: dict[int, tuple[str, Callable[[_Row], str]]] = {
    TIMESTAMP_EMPTY: ("timestamp", lambda r: "timestamp is empty"),
    TIMESTAMP_NOT_ISO: (
        "timestamp",
        lambda r: "timestamp is not ISO 8601 (e.g. 2026-10-01T00:00:00Z)",
    ),
    SERVICE_EMPTY: ("service", lambda r: "service is empty"),
    SERVICE_UNKNOWN: (
        "service",
        lambda r: (
            f"service {r['service']!r} is not in briefing.yaml services; add it to use these rows"
        ),
    ),
    GOOD_NOT_WHOLE: (
        "good",
        lambda r: f"good {r['good']!r} is not a whole number from 0 to {MAX_COUNT:,}",
    ),
    GOOD_NEGATIVE: ("good", lambda r: "good is negative"),
    TOTAL_NOT_WHOLE: (
        "total",
        lambda r: f"total {r['total']!r} is not a whole number from 0 to {MAX_COUNT:,}",
    ),
    TOTAL_NEGATIVE: ("total", lambda r: "total is negative"),
    GOOD_ABOVE_TOTAL: ("good", lambda r: f"good ({r['good']}) is more than total ({r['total']})"),
}

# the CSV reader's test for "has an offset" (`rows._HAS_OFFSET`), in DuckDB's regex dialect
_OFFSET = r"(?:[zZ]|[+-]\d{2}(?::?\d{2})?)$"
_INTEGER = r"[+-]?\d+"
_AWARE = ("TIMESTAMP WITH TIME ZONE", "TIMESTAMPTZ")
_NAIVE = ("TIMESTAMP", "DATETIME", "DATE")
_INTEGERS = ("TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT")
_FRACTIONAL = ("FLOAT", "DOUBLE", "REAL", "DECIMAL")


def quote(name: str) -> str:
    """A DuckDB identifier."""
    return '"' + name.replace('"', '""') + '"'


def literal(text: str) -> str:
    """A DuckDB string literal."""
    return "'" + text.replace("'", "''") + "'"


@dataclass(frozen=True)
class MetricColumns:
    """The typed expressions of one source, from DuckDB's column types."""

    timestamp: str  # TIMESTAMPTZ or NULL
    timestamp_empty: str
    timestamp_no_zone: str  # true where a text timestamp has no offset and no zone is set
    service: str
    good: str  # BIGINT or NULL where not a whole number
    total: str


def metric_columns(
    types: Mapping[str, str], timezone: str | None, where: Location
) -> MetricColumns:
    """Expressions for `timestamp, service, good, total` given DuckDB's types of those columns."""
    ts_type = types["timestamp"].upper()
    raw = quote("timestamp")
    no_zone = "false"
    if ts_type.startswith(_AWARE):
        stamp, empty = f"CAST({raw} AS TIMESTAMPTZ)", f"{raw} IS NULL"
    elif ts_type.startswith(_NAIVE):
        if timezone is None:
            raise BriefingError(
                "column 'timestamp' holds timestamps with no time zone",
                where=Location(where.path, None, "timestamp"),
                hint="store UTC timestamps, or set timezone: in briefing.yaml",
            )
        stamp = f"timezone({literal(timezone)}, CAST({raw} AS TIMESTAMP))"
        empty = f"{raw} IS NULL"
    elif ts_type == "VARCHAR":
        text = f"trim({raw})"
        aware = f"regexp_matches({text}, {literal(_OFFSET)})"
        naive = f"TRY_CAST({text} AS TIMESTAMP)"
        local = f"timezone({literal(timezone)}, {naive})" if timezone else "NULL"
        stamp = f"CASE WHEN {aware} THEN TRY_CAST({text} AS TIMESTAMPTZ) ELSE {local} END"
        empty = f"({raw} IS NULL OR {text} = '')"
        if timezone is None:
            no_zone = f"(NOT {aware} AND {naive} IS NOT NULL)"
    else:  # numbers, structs...: not a point in time
        stamp, empty = "CAST(NULL AS TIMESTAMPTZ)", f"{raw} IS NULL"
    service_type = types["service"].upper()
    service = quote("service")
    if service_type != "VARCHAR":
        service = f"TRY_CAST({service} AS VARCHAR)"
    return MetricColumns(
        timestamp=stamp,
        timestamp_empty=empty,
        timestamp_no_zone=no_zone,
        service=service,
        good=_whole(quote("good"), types["good"].upper()),
        total=_whole(quote("total"), types["total"].upper()),
    )


def _whole(raw: str, kind: str) -> str:
    """A BIGINT expression: the count where it is a whole number, else NULL."""
    if kind.startswith(_INTEGERS) or kind.startswith(tuple("U" + k for k in _INTEGERS)):
        return f"TRY_CAST({raw} AS BIGINT)"
    if kind.startswith(_FRACTIONAL):
        number = f"CAST({raw} AS DOUBLE)"
        return f"CASE WHEN isfinite({number}) AND {number} = round({number}) THEN TRY_CAST({raw} AS BIGINT) END"
    if kind == "VARCHAR":
        text = f"trim({raw})"
        number = f"TRY_CAST({text} AS DOUBLE)"
        return (
            f"CASE WHEN regexp_full_match({text}, {literal(_INTEGER)}) THEN TRY_CAST({text} AS BIGINT) "
            f"WHEN isfinite({number}) AND {number} = round({number}) THEN TRY_CAST({number} AS BIGINT) END"
        )
    return "CAST(NULL AS BIGINT)"  # booleans, dates...: not counts


def checked_sql(source: str, columns: MetricColumns, known: Sequence[str] | None = None) -> str:
    """`file_index, ts, code (of the service), good, total, reject` and the raw values.

    `source` is the DuckDB table function reading the files. The configured
    services are the table `known` (`name`, `code`), joined: fast, but a join
    may reorder rows; given `known` as a list, they are looked up in it instead
    and the rows keep the order of the files.
    """
    typed = f"""
        SELECT file_index,
               {columns.timestamp} AS ts,
               {columns.timestamp_empty} AS ts_empty,
               {columns.timestamp_no_zone} AS ts_no_zone,
               {columns.service} AS svc,
               {columns.good} AS good,
               {columns.total} AS total,
               {quote("timestamp")} AS raw_timestamp,
               {quote("good")} AS raw_good,
               {quote("total")} AS raw_total
        FROM {source}"""
    if known is None:
        code, lookup = "k.code", "LEFT JOIN known AS k ON k.name = t.svc"
    else:
        names = "[" + ", ".join(literal(n) for n in known) + "]"
        code, lookup = f"NULLIF(list_position({names}, t.svc), 0) - 1", ""
    return f"""
        SELECT t.file_index, t.ts, {code} AS code, t.good, t.total, t.svc,
               t.raw_timestamp, t.raw_good, t.raw_total,
               CASE
                 WHEN t.ts_empty THEN {TIMESTAMP_EMPTY}
                 WHEN t.ts_no_zone THEN {TIMESTAMP_NO_ZONE}
                 WHEN t.ts IS NULL OR t.ts < TIMESTAMPTZ '{FIRST_YEAR}-01-01 00:00:00+00'
                   OR t.ts >= TIMESTAMPTZ '{LAST_YEAR + 1}-01-01 00:00:00+00'
                   THEN {TIMESTAMP_NOT_ISO}
                 WHEN t.svc IS NULL OR trim(t.svc) = '' THEN {SERVICE_EMPTY}
                 WHEN {code} IS NULL THEN {SERVICE_UNKNOWN}
                 WHEN t.good IS NULL OR t.good > {MAX_COUNT} THEN {GOOD_NOT_WHOLE}
                 WHEN t.good < 0 THEN {GOOD_NEGATIVE}
                 WHEN t.total IS NULL OR t.total > {MAX_COUNT} THEN {TOTAL_NOT_WHOLE}
                 WHEN t.total < 0 THEN {TOTAL_NEGATIVE}
                 WHEN t.good > t.total THEN {GOOD_ABOVE_TOTAL}
                 ELSE 0
               END::UTINYINT AS reject
        FROM ({typed}) AS t {lookup}"""


def reader_sql(files: Sequence[str], kind: str, *, hive: bool) -> str:
    """The DuckDB table function over the files (text columns for CSV: we parse them)."""
    listed = "[" + ", ".join(literal(f) for f in files) + "]"
    options = f"hive_partitioning = {str(hive).lower()}, union_by_name = true"
    if kind == "parquet":
        return f"read_parquet({listed}, {options})"
    return f"read_csv({listed}, header = true, all_varchar = true, {options})"
