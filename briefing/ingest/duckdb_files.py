"""Ingest stage: metrics read by DuckDB, embedded (`format: duckdb`).

`path:` is a file, a glob or a folder of (hive-partitioned) Parquet or CSV
files. For metrics briefing writes the query and DuckDB runs it over the files
in a streaming scan, so memory stays flat in the size of the files:

1. every row is checked in SQL (`duckdb_checks`) and counted by outcome;
   rows outside the window the briefing needs (the period and the two before
   it, for trends) are only counted, and the scan skips the row groups whose
   statistics put them wholly inside the window;
2. the rows inside the window stream back as Arrow batches, one row per
   service and timestamp after summing repeats (the `sli` table);
3. only when rows were rejected, the files holding them are scanned again to
   list the first rejections with their line (row + 2, the header being line 1)
   and file.

Incidents, which are few, are read whole (`duckdb_incidents`).
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa

from briefing.config import SourceEntry
from briefing.config.warehouse import file_kind, match_files
from briefing.errors import BriefingError, Location
from briefing.ingest import duckdb_checks as checks
from briefing.ingest.context import Loaded, ReadContext
from briefing.ingest.counts import check_total
from briefing.ingest.engine_rows import (
    describe_source,
    metrics_window,
    require_services,
)
from briefing.ingest.metrics_table import METRIC_COLUMNS, read_metrics_table
from briefing.ingest.rows import source_timezone
from briefing.ingest.tables import MAX_LISTED_REJECTIONS, conform
from briefing.model import FileQuality, Rejection

log = logging.getLogger(__name__)

BATCH_ROWS = 1 << 20
MEMORY_LIMIT = "256MB"  # DuckDB's own buffers: the scans stream, none needs more


@contextmanager
def connect() -> Iterator[Any]:
    """An in-memory DuckDB that reads local files only and never fetches extensions."""
    import duckdb

    con = duckdb.connect(
        ":memory:",
        config={
            "threads": os.cpu_count() or 1,
            "memory_limit": MEMORY_LIMIT,
            "autoinstall_known_extensions": False,
            "autoload_known_extensions": False,
        },
    )
    try:
        con.execute("SET TimeZone = 'UTC'")
        con.execute("SET enable_progress_bar = false")
        yield con
    finally:
        con.close()


def engine_error(err: Exception, entry: SourceEntry, ctx: ReadContext) -> BriefingError:
    text = str(err).strip().splitlines()[0] if str(err).strip() else type(err).__name__
    return BriefingError(
        f"DuckDB cannot read {describe_source(entry, ctx, pattern_shown(entry, ctx))}: {text}",
        where=entry.location,
        hint="check that the files are Parquet or CSV with the generic columns",
    )


def pattern_shown(entry: SourceEntry, ctx: ReadContext) -> str:
    """`path:` as written relative to the config's folder."""
    assert entry.path is not None
    return shown(entry.path, ctx)


def list_files(entry: SourceEntry) -> tuple[list[Path], str]:
    assert entry.path is not None
    files = match_files(entry.path)
    if not files:
        raise BriefingError(f"no file matches {entry.display} any more", where=entry.location)
    kind = file_kind(files[0]) or "parquet"
    return files, kind


def reader_of(files: list[Path], kind: str) -> str:
    hive = any("=" in part for f in files for part in f.parent.parts)
    return checks.reader_sql([str(f) for f in files], kind, hive=hive)


def _column_types(con: Any, source: str) -> dict[str, str]:
    rows = con.sql(f"DESCRIBE SELECT * FROM {source}").fetchall()
    return {str(r[0]): str(r[1]) for r in rows}


# --------------------------------------------------------------------------- metrics


def read_metrics_duckdb(entry: SourceEntry, ctx: ReadContext) -> Loaded:
    """`{format: duckdb, path: exports/sli/**/*.parquet}`: checked, counted and summed by DuckDB."""
    import duckdb

    files, kind = list_files(entry)
    start, end = metrics_window(ctx)
    where = Location(entry.display)
    known = sorted(ctx.service_ids)
    timezone = source_timezone(dict(entry.options), ctx.config.timezone, ctx.config.timezone_set)
    try:
        with connect() as con:
            source = reader_of(files, kind)
            types = _column_types(con, source)
            missing = [c for c in METRIC_COLUMNS if c not in types]
            if missing:
                raise BriefingError(
                    f"missing column(s) {', '.join(missing)}; found {', '.join(types)}",
                    where=Location(entry.display, None, missing[0]),
                    hint="metrics files need the columns timestamp,service,good,total",
                )
            columns = checks.metric_columns(types, timezone, where)
            con.execute(
                "CREATE TEMP TABLE known AS SELECT unnest($names) AS name, "
                "CAST(generate_subscripts($names, 1) - 1 AS INTEGER) AS code",
                {"names": known or [""]},
            )
            checked = checks.checked_sql(source, columns)
            window = {"start": start, "end": end}
            counts = np.zeros(checks.CODES, dtype=np.int64)
            for code, n in con.sql(
                f"SELECT reject, count(*) FROM ({checked}) "
                "WHERE ts IS NULL OR ts < $start OR ts >= $end GROUP BY ALL",
                params=window,
            ).fetchall():
                counts[int(code)] += int(n)
            outside_used = int(counts[0])
            window_rows = _stream_window(con, checked, window, counts)
            if counts[checks.TIMESTAMP_NO_ZONE]:
                raise _no_zone_error(con, checked, files)
            rejected = int(counts[1:].sum())
            in_order = checks.checked_sql(source, columns, known)
            listed = _list_rejections(con, in_order, files, entry, ctx) if rejected else []
    except duckdb.Error as err:
        raise engine_error(err, entry, ctx) from None
    # DuckDB is closed (its memory given back) before the rows are summed
    codes, times, goods, totals, repeated = _sum_repeats(window_rows)
    check_total(totals, Location(pattern_shown(entry, ctx)), "the counts of this source")
    rows_read = int(counts.sum())
    log.info(
        "%s: %d rows read, %d outside %s..%s (checked, not needed)",
        entry.display,
        rows_read,
        outside_used,
        start.date(),
        end.date(),
    )
    present = np.bincount(codes, minlength=len(known)) > 0 if len(codes) else np.zeros(0, bool)
    found = {known[int(c)] for c in np.flatnonzero(present)}
    frame = sli_frame(codes, times, goods, totals, known)
    del codes, times
    require_services(found, entry, ctx, shown=pattern_shown(entry, ctx), all_when_only_source=False)
    notes = []
    if repeated:
        notes.append(
            f"{repeated:,} rows repeated a service and timestamp of another row "
            "and were summed into its bucket"
        )
    if rejected > len(listed):
        listed.append(
            Rejection(
                None, None, f"... and {rejected - len(listed):,} more rejected rows not listed"
            )
        )
    quality = FileQuality(
        path=str(entry.path),
        format="duckdb",
        rows_read=rows_read,
        rows_used=rows_read - rejected,
        rows_rejected=rejected,
        rejections=tuple(listed),
        notes=tuple(notes),
    )
    return Loaded(table=conform(frame, "sli"), quality=(quality,))


def _stream_window(
    con: Any, checked: str, window: dict[str, datetime], counts: np.ndarray
) -> list[tuple[np.ndarray, ...]]:
    """The window's valid rows, batch by batch, as `code, t, good, total`; counts every row
    by outcome."""
    query = (
        "SELECT reject, code, epoch_us(ts) AS t, good, total "
        f"FROM ({checked}) WHERE ts >= $start AND ts < $end"
    )
    parts = []
    for batch in con.sql(query, params=window).to_arrow_reader(BATCH_ROWS):
        reject = batch.column("reject").to_numpy(zero_copy_only=False)
        counts += np.bincount(reject, minlength=checks.CODES)[: checks.CODES]
        ok = reject == 0
        kept = batch if ok.all() else batch.filter(pa.array(ok))
        parts.append(
            tuple(
                kept.column(name).to_numpy(zero_copy_only=False)
                for name in ("code", "t", "good", "total")
            )
        )
    return parts


def _join(parts: list[np.ndarray]) -> np.ndarray:
    """The parts as one int64 array."""
    size = sum(len(p) for p in parts)
    result = np.empty(size, dtype=np.int64)
    at = 0
    for part in parts:
        result[at : at + len(part)] = part
        at += len(part)
    return result


def sli_frame(
    codes: np.ndarray, times_us: np.ndarray, goods: np.ndarray, totals: np.ndarray, known: list[str]
) -> pd.DataFrame:
    """The `sli` table from service codes (into `known`) and UTC microseconds, without copies
    beyond the service names themselves."""
    names = pa.array(known, type=pa.string())
    services = pa.DictionaryArray.from_arrays(pa.array(codes, type=pa.int32()), names)
    times_us *= 1000  # nanoseconds, in place
    stamps = pd.Series(times_us.view("M8[ns]"), copy=False).dt.tz_localize("UTC")
    return pd.DataFrame(
        {
            "service": services.cast(pa.string()).to_pandas().astype("string"),
            "timestamp": stamps,
            "good": goods,
            "total": totals,
        },
        copy=False,
    )


def _sum_repeats(
    parts: list[tuple[np.ndarray, ...]],
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, int]:
    """Rows (batches of `code, t, good, total`, taken from the list) sorted by service and
    timestamp, rows repeating a key summed into one; the count of repeats.

    Timestamps on a grid (every minute, every 5 minutes...) number the cells of a
    services x steps table, and counting into the cells sorts and sums in one
    linear pass; sparse or irregular timestamps are sorted instead.
    """
    parts[:] = [p for p in parts if len(p[0])]  # the caller's list: emptied as we go
    if not parts:
        empty = np.array([], dtype=np.int64)
        return empty, empty, empty, empty, 0
    n = sum(len(p[0]) for p in parts)
    low = min(int(p[1].min()) for p in parts)
    high = max(int(p[1].max()) for p in parts)
    step = int(np.gcd.reduce([int(np.gcd.reduce(p[1] - low)) for p in parts])) or 1
    slots = (high - low) // step + 1
    cells = (max(int(p[0].max()) for p in parts) + 1) * slots
    if cells > 4 * n + 1_000_000:
        columns = [_join([p[i] for p in parts]) for i in range(4)]
        parts.clear()
        return _sort_and_sum(*columns)
    cell = np.empty(n, dtype=np.int64)
    at = 0
    for index, (code, t, good, total) in enumerate(parts):
        target = cell[at : at + len(t)]
        np.subtract(t, low, out=target)
        target //= step
        target += code.astype(np.int64) * slots
        at += len(t)
        parts[index] = (good, total)  # the batch's service and time columns can go
    occupied = np.bincount(cell, minlength=cells)
    ids = np.flatnonzero(occupied)
    del occupied
    sums = []
    for _ in ("good", "total"):  # float64 sums are exact below 2**53 events per bucket
        values = _join([p[0] for p in parts])
        parts[:] = [p[1:] for p in parts]
        sums.append(np.bincount(cell, weights=values, minlength=cells)[ids].astype(np.int64))
        del values
    return ids // slots, low + (ids % slots) * step, sums[0], sums[1], n - len(ids)


def _sort_and_sum(
    code: np.ndarray, t: np.ndarray, good: np.ndarray, total: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, int]:
    order = np.lexsort((t, code))
    code, t, good, total = code[order], t[order], good[order], total[order]
    del order
    first = np.ones(len(code), dtype=bool)
    first[1:] = (code[1:] != code[:-1]) | (t[1:] != t[:-1])
    if first.all():
        return code, t, good, total, 0
    starts = np.flatnonzero(first)
    return (
        code[starts],
        t[starts],
        np.add.reduceat(good, starts),
        np.add.reduceat(total, starts),
        len(code) - len(starts),
    )


def _list_rejections(
    con: Any, checked: str, files: list[Path], entry: SourceEntry, ctx: ReadContext
) -> list[Rejection]:
    """The first rejected rows, file by file in order, with their line, column and reason.

    Each file holding rejected rows is scanned alone, in order (DuckDB keeps the
    order of a scan without ORDER BY), so a row's position in the scan is its row
    in the file. The rows' own values then go through the shared metrics checks,
    which word the reasons exactly as for every other metrics source.
    """
    bad_files = [
        int(row[0])
        for row in con.sql(
            f"SELECT DISTINCT file_index FROM ({checked}) WHERE reject > 0 ORDER BY 1"
        ).fetchall()
    ]
    query = (
        "SELECT reject, raw_timestamp AS timestamp, svc AS service, raw_good AS good, "
        f"raw_total AS total FROM ({checked}) WHERE file_index = $index"
    )
    rows: list[pa.Table] = []
    places: list[tuple[int, int, int]] = []  # (file, line, code) of each listed row
    for index in bad_files:
        row = 0
        for batch in con.sql(query, params={"index": index}).to_arrow_reader(BATCH_ROWS):
            reject = batch.column("reject").to_numpy(zero_copy_only=False)
            positions = np.flatnonzero(reject > 0)[: MAX_LISTED_REJECTIONS - len(places)]
            if len(positions):
                rows.append(pa.Table.from_batches([batch]).take(pa.array(positions)))
                places.extend((index, row + int(p) + 2, int(reject[p])) for p in positions)
            row += len(batch)
            if len(places) >= MAX_LISTED_REJECTIONS:
                break
        if len(places) >= MAX_LISTED_REJECTIONS:
            break
    if not rows:
        return []
    table = pa.concat_tables(rows, promote_options="permissive").drop(["reject"])
    worded = read_metrics_table(
        table, replace(entry, path=files[0]), ctx, "duckdb", known_good=frozenset(ctx.service_ids)
    ).quality[0]
    reasons = {r.line: r for r in worded.rejections if r.line is not None}
    several = len(files) > 1
    listed = []
    for position, (index, line, code) in enumerate(places):
        found = reasons.get(position + 2)
        if found is not None:
            column, text = found.column, found.reason
        else:  # the shared checks took the row: say what DuckDB found
            column, reason = checks.REASONS[code]
            text = reason(table.slice(position, 1).to_pylist()[0])
        name = shown(files[index], ctx)
        listed.append(Rejection(line, column, f"{text} ({name})" if several else text))
    return listed


def shown(path: Path, ctx: ReadContext) -> str:
    """A file as messages name it: relative to the config's folder where it lies inside."""
    try:
        return path.resolve().relative_to(ctx.config.base_dir.resolve()).as_posix()
    except ValueError:
        return str(path)


def _no_zone_error(con: Any, checked: str, files: list[Path]) -> BriefingError:
    found = con.sql(
        f"SELECT file_index, raw_timestamp FROM ({checked}) "
        f"WHERE reject = {checks.TIMESTAMP_NO_ZONE} LIMIT 1"
    ).fetchone()
    index, text = (int(found[0]), str(found[1])) if found else (0, "")
    return BriefingError(
        f"timestamp {text!r} in column 'timestamp' has no time zone",
        where=Location(files[index], None, "timestamp"),
        hint="write timestamps with an offset (e.g. 2026-10-01T00:00:00Z), "
        "or set timezone: in briefing.yaml (or on this source) to say which zone they are in",
    )
