"""Ingest stage: generic metrics in Parquet (`timestamp, service, good, total`).

Read column-wise with pyarrow, batch by batch: each batch is summed per
service and bucket as it arrives, so tens of millions of rows never sit in
memory as text or as one pandas frame. Rows are still reconciled one by one
(their "line" is the row number plus one, as if the header were line 1).
Then the aggregated table is validated like the generic CSV.
"""

from __future__ import annotations

import logging

import pyarrow as pa
import pyarrow.parquet as pq

from briefing.config import SourceEntry
from briefing.errors import BriefingError, Location
from briefing.ingest.batches import aggregate_batches
from briefing.ingest.context import Loaded, ReadContext
from briefing.ingest.metrics_table import METRIC_COLUMNS, check_header, read_metrics_table
from briefing.textfiles import check_size

log = logging.getLogger(__name__)

BATCH_ROWS = 1_000_000


def read_metrics_parquet(entry: SourceEntry, ctx: ReadContext) -> Loaded:
    path = entry.path
    assert path is not None
    check_size(path)
    try:
        source = pq.ParquetFile(path)
    except (pa.ArrowInvalid, OSError) as err:
        raise BriefingError(
            f"cannot read as Parquet: {err}",
            where=Location(path),
            hint="write the file with pyarrow, pandas or Spark",
        ) from None
    check_header(source.schema_arrow.names, path, line=None)
    if _simple(source.schema_arrow):
        batches = source.iter_batches(batch_size=BATCH_ROWS, columns=list(METRIC_COLUMNS))
        return aggregate_batches(batches, entry, ctx, "parquet")
    # text or float columns: validate row by row like the CSV reader
    try:
        table = source.read(columns=list(METRIC_COLUMNS))
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError, OSError) as err:
        raise BriefingError(
            f"cannot read as Parquet: {err}",
            where=Location(path),
            hint="write the file with pyarrow, pandas or Spark",
        ) from None
    return read_metrics_table(table, entry, ctx, "parquet")


def _simple(schema: pa.Schema) -> bool:
    """Typed columns (timestamp with zone, integer counts) can be aggregated batch by batch."""
    ts = schema.field("timestamp").type
    service = schema.field("service").type
    if pa.types.is_dictionary(service):
        service = service.value_type
    return (
        pa.types.is_timestamp(ts)
        and ts.tz is not None
        and all(pa.types.is_integer(schema.field(c).type) for c in ("good", "total"))
        and (pa.types.is_string(service) or pa.types.is_large_string(service))
    )
