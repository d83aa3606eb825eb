"""Ingest stage: generic metrics CSV and CSV.gz (`timestamp,service,good,total`).

The common case streams: pyarrow parses typed columns (timestamps with an
offset straight to UTC, whole-number counts) a block at a time and each block
is summed per service and bucket (`briefing.ingest.batches`), so the file's
text is never held whole. A file that does not parse that way (a cell that is
not a number, timestamps without an offset read in a configured zone) is read
as text and checked row by row, each bad row rejected with its line and reason.
"""

from __future__ import annotations

import gzip
from pathlib import Path

import pyarrow as pa
import pyarrow.csv as pacsv

from briefing.config import SourceEntry
from briefing.errors import BriefingError, Location
from briefing.ingest.batches import aggregate_batches
from briefing.ingest.context import Loaded, ReadContext
from briefing.ingest.messages import arrow_reason
from briefing.ingest.metrics_table import METRIC_COLUMNS, check_header, read_metrics_table
from briefing.textfiles import check_size

TYPED = {
    "service": pa.string(),
    "timestamp": pa.timestamp("ns", tz="UTC"),
    "good": pa.int64(),
    "total": pa.int64(),
}
BLOCK_BYTES = 16 << 20


def read_metrics_csv(entry: SourceEntry, ctx: ReadContext) -> Loaded:
    path = entry.path
    assert path is not None
    check_size(path)
    try:
        return _streamed(path, entry, ctx)
    except pa.ArrowInvalid:
        return _row_by_row(path, entry, ctx)
    except (OSError, EOFError, gzip.BadGzipFile) as err:
        raise unreadable(path, err) from None


def unreadable(path: Path, err: BaseException) -> BriefingError:
    """A file the CSV reader could not open or decompress, said in the reader's words."""
    if path.name.lower().endswith(".gz"):
        with open(path, "rb") as handle:
            gzipped = handle.read(2) == b"\x1f\x8b"
        if not gzipped:
            return BriefingError(
                "the file's name ends in .gz but it is not gzip-compressed",
                where=Location(path),
                hint="compress it with gzip, or drop the .gz from its name (and from briefing.yaml)",
            )
        return BriefingError(
            f"the compressed file is damaged or cut short ({err})",
            where=Location(path),
            hint="copy or export the file again; an interrupted download leaves it truncated",
        )
    return BriefingError(f"cannot read file: {err}", where=Location(path))


def _streamed(path: Path, entry: SourceEntry, ctx: ReadContext) -> Loaded:
    reader = pacsv.open_csv(
        path,
        read_options=pacsv.ReadOptions(block_size=BLOCK_BYTES),
        convert_options=pacsv.ConvertOptions(
            column_types=TYPED, null_values=[""], strings_can_be_null=False
        ),
    )
    check_header(reader.schema.names, path)
    if any(reader.schema.field(c).type != TYPED[c] for c in METRIC_COLUMNS):
        raise pa.ArrowInvalid("columns are not of the streamed types")
    batches = (batch.select(list(METRIC_COLUMNS)) for batch in reader)
    return aggregate_batches(batches, entry, ctx, "csv")


def _row_by_row(path: Path, entry: SourceEntry, ctx: ReadContext) -> Loaded:
    loose = pacsv.ConvertOptions(
        column_types={c: pa.string() for c in METRIC_COLUMNS}, strings_can_be_null=False
    )
    try:
        table = pacsv.read_csv(path, convert_options=loose)
    except pa.ArrowInvalid as err:
        if "Empty CSV file" in str(err):
            raise BriefingError(
                "the file is empty",
                where=Location(path),
                hint="export the counts again with a header row: timestamp,service,good,total",
            ) from None
        raise BriefingError(
            f"cannot read as CSV: {arrow_reason(err)}",
            where=Location(path),
            hint="check the delimiter and quoting",
        ) from None
    return read_metrics_table(table, entry, ctx, "csv")
