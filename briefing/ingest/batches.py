"""Ingest stage: metrics read batch by batch and summed per service and bucket.

Used for Parquet and for typed CSV: each batch of typed columns is checked
with Arrow compute (configured service, counts >= 0, good <= total), summed per
(service, timestamp) as it arrives, and dropped, so tens of millions of rows
never sit in memory as text or as one frame. Rejected rows keep their row
number ("line" = row + 2, the header being line 1) and get the same reasons as
the row-by-row reader.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import replace

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from briefing.config import SourceEntry
from briefing.errors import Location
from briefing.ingest.context import Loaded, ReadContext
from briefing.ingest.counts import MAX_COUNT, check_total
from briefing.ingest.metrics_table import read_metrics_table
from briefing.ingest.tables import conform
from briefing.ingest.timestamps import HIGHEST, LOWEST
from briefing.model import FileQuality, Rejection

log = logging.getLogger(__name__)


def aggregate_batches(
    batches: Iterable[pa.RecordBatch], entry: SourceEntry, ctx: ReadContext, fmt: str
) -> Loaded:
    """Sum valid rows per (service, timestamp) batch by batch; reject bad rows with their row numbers.

    Rows repeating a (service, timestamp) are summed: a file is often written in
    parts (per shard or per host), each a partial count of the bucket.
    """
    path = entry.path
    assert path is not None
    known = pa.array(sorted(ctx.service_ids), type=pa.string())
    parts: list[tuple[np.ndarray, ...]] = []
    bad_rows: list[pa.Table] = []
    offset = 0
    grand_total = 0.0
    for batch in batches:
        service = batch.column("service")
        if pa.types.is_dictionary(service.type):  # match the few distinct names, not every row
            code = pc.index_in(service.dictionary, value_set=known).take(service.indices)
        else:
            code = pc.index_in(service, value_set=known)  # null: not a configured service
        good, total = _counts(batch.column("good")), _counts(batch.column("total"))
        stamp = _nanoseconds(batch.column("timestamp"))
        ok = pc.and_(
            pc.and_(pc.is_valid(stamp), pc.is_valid(code)),
            pc.and_(
                pc.and_(pc.greater_equal(good, 0), pc.greater_equal(total, 0)),
                pc.less_equal(good, total),
            ),
        )
        ok = pc.fill_null(ok, False)
        n = len(batch)
        if not pc.all(ok).as_py():
            rows = pa.array(np.arange(offset, offset + n, dtype=np.int64))
            columns = {
                "timestamp": batch.column("timestamp"),
                "service": service.cast(pa.string()),
                "good": batch.column("good"),
                "total": batch.column("total"),
            }
            bad_rows.append(pa.table({"row": rows, **columns}).filter(pc.invert(ok)))
        kept = pa.table(
            {"code": code, "t": stamp.cast(pa.int64()), "good": good, "total": total}
        ).filter(ok)
        grand_total += float(pc.sum(kept.column("total"), min_count=0).as_py() or 0)
        check_total(np.array([grand_total]), Location(path), "the counts of this file")
        parts.append(_sum(*(kept.column(c).to_numpy() for c in ("code", "t", "good", "total"))))
        offset += n
    codes, times, goods, totals = _sum(*_concatenate(parts))
    services = pa.DictionaryArray.from_arrays(pa.array(codes.astype(np.int32)), known).cast(
        pa.string()
    )
    frame = pd.DataFrame(
        {
            "service": services.to_pandas().astype("string"),
            "timestamp": pd.to_datetime(times, unit="ns", utc=True),
            "good": goods,
            "total": totals,
        }
    )
    rejected = pa.concat_tables(bad_rows) if bad_rows else None
    count = rejected.num_rows if rejected is not None else 0
    notes = []
    used = offset - count
    if used > len(frame):
        notes.append(
            f"{used - len(frame):,} rows repeated a service and timestamp of another row "
            "and were summed into its bucket"
        )
    rejections: tuple[Rejection, ...] = ()
    if rejected is not None:
        # validate the flagged rows alone to give the same reasons as the CSV reader
        with_good = frozenset(str(known[int(c)]) for c in np.unique(codes))
        checked = read_metrics_table(
            rejected.drop(["row"]), entry, ctx, fmt, known_good=with_good
        ).quality[0]
        lines = rejected.column("row").to_numpy() + 2
        rejections = tuple(
            replace(r, line=int(lines[r.line - 2])) if r.line is not None else r
            for r in checked.rejections
        )
        log.info("%s: %d of %d rows rejected", path, count, offset)
    quality = FileQuality(
        path=str(path),
        format=fmt,
        rows_read=offset,
        rows_used=used,
        rows_rejected=count,
        rejections=rejections,
        notes=tuple(notes),
    )
    return Loaded(table=conform(frame, "sli"), quality=(quality,))


def _counts(column: pa.Array) -> pa.Array:
    """Integer counts as int64; a count beyond `MAX_COUNT` (or any uint64 beyond int64) as null."""
    big = pc.greater(column, pa.scalar(MAX_COUNT, pa.uint64()))
    return pc.cast(pc.if_else(big, None, column), pa.int64())


def _nanoseconds(column: pa.Array) -> pa.Array:
    """Timestamps of any unit as UTC nanoseconds; those outside the readable years as null."""
    raw = pc.cast(column, pa.int64())
    scale = {"s": 10**9, "ms": 10**6, "us": 10**3, "ns": 1}[column.type.unit]
    low, high = (int(t.value) // scale for t in (LOWEST, HIGHEST))
    inside = pc.and_(pc.greater_equal(raw, low), pc.less(raw, high))
    nanos = pc.multiply(pc.if_else(inside, raw, None), scale)
    return pc.cast(nanos, pa.timestamp("ns", tz="UTC"))


def _concatenate(parts: list[tuple[np.ndarray, ...]]) -> list[np.ndarray]:
    """The batches' columns joined, each column's parts freed as soon as it is joined."""
    columns = []
    for index in range(4):
        columns.append(
            np.concatenate([part[index] for part in parts]) if parts else np.array([], np.int64)
        )
        for k, part in enumerate(parts):  # in place: the caller's list lets go too
            parts[k] = part[:index] + (np.empty(0, np.int64),) + part[index + 1 :]
    return columns


def _sum(
    code: np.ndarray, t: np.ndarray, good: np.ndarray, total: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Sort by (service, timestamp) unless already sorted, then add up repeated keys."""
    if len(code) == 0:
        return code, t, good, total
    later = (code[1:] > code[:-1]) | ((code[1:] == code[:-1]) & (t[1:] >= t[:-1]))
    if not later.all():
        order = np.lexsort((t, code))
        code, t, good, total = code[order], t[order], good[order], total[order]
    first = np.ones(len(code), dtype=bool)
    first[1:] = (code[1:] != code[:-1]) | (t[1:] != t[:-1])
    if first.all():
        return code, t, good, total
    starts = np.flatnonzero(first)
    return code[starts], t[starts], np.add.reduceat(good, starts), np.add.reduceat(total, starts)
