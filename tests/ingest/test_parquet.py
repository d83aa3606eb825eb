"""Generic metrics in Parquet: the same table as the CSV, rows reconciled by row number."""

from __future__ import annotations

import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq
import pytest
from ingest_support import REAL_WORLD, context, write_config

import briefing.ingest.parquet as parquet_module
from briefing.ingest.metrics_csv import read_metrics_csv
from briefing.ingest.parquet import read_metrics_parquet

MINUTES_CSV = REAL_WORLD / "prometheus" / "sli_minutes.csv.gz"


def parquet_of_csv(path, target, *, text_timestamps: bool = False) -> None:
    table = pacsv.read_csv(path)
    stamps = table.column("timestamp")
    if text_timestamps:
        stamps = stamps.cast(pa.string()) if not pa.types.is_string(stamps.type) else stamps
    else:
        stamps = stamps.cast(pa.timestamp("ns", tz="UTC"))
    out = pa.table(
        {
            "timestamp": stamps,
            "service": table.column("service").dictionary_encode(),
            "good": table.column("good"),
            "total": table.column("total"),
        }
    )
    pq.write_table(out, target, row_group_size=50_000)


def read_both(tmp_path, parquet_name="m.parquet"):
    config = write_config(
        tmp_path, f"  metrics: [{{path: {MINUTES_CSV}}}, {{path: {parquet_name}}}]\n"
    )
    ctx = context(config)
    return read_metrics_csv(config.sources.metrics[0], ctx), read_metrics_parquet(
        config.sources.metrics[1], ctx
    )


@pytest.mark.parametrize("text_timestamps", [False, True])
def test_parquet_gives_the_csv_gz_table(tmp_path, monkeypatch, text_timestamps):
    monkeypatch.setattr(parquet_module, "BATCH_ROWS", 40_000)  # several batches
    parquet_of_csv(MINUTES_CSV, tmp_path / "m.parquet", text_timestamps=text_timestamps)
    from_csv, from_parquet = read_both(tmp_path)
    order = ["service", "timestamp"]
    want = from_csv.table.sort_values(order).reset_index(drop=True)
    got = from_parquet.table.sort_values(order).reset_index(drop=True)
    pd.testing.assert_frame_equal(got, want)
    # 3 services x 31 days x 1440 minutes
    assert from_parquet.quality[0].rows_read == from_parquet.quality[0].rows_used == 133_920


def write_rows(path, rows) -> None:
    frame = pd.DataFrame(rows, columns=["timestamp", "service", "good", "total"])
    frame["timestamp"] = pd.to_datetime(frame["timestamp"], utc=True)
    pq.write_table(pa.Table.from_pandas(frame, preserve_index=False), path)


def test_bad_rows_are_rejected_with_their_row_lines(tmp_path, monkeypatch):
    monkeypatch.setattr(parquet_module, "BATCH_ROWS", 2)
    write_rows(
        tmp_path / "m.parquet",
        [
            ("2026-10-01T00:00Z", "checkout-api", 11, 10),  # line 2: good > total
            ("2026-10-01T00:00Z", "search", 5, 5),
            ("2026-10-01T00:01Z", "search", -1, 5),  # line 4: negative
            ("2026-10-01T00:02Z", "search", 4, 5),
            ("2026-10-01T00:03Z", "ledger", 4, 5),  # line 6: not a configured service
        ],
    )
    config = write_config(tmp_path, "  metrics: [{path: m.parquet}]\n")
    loaded = read_metrics_parquet(config.sources.metrics[0], context(config))
    quality = loaded.quality[0]
    assert (quality.rows_read, quality.rows_used, quality.rows_rejected) == (5, 2, 3)
    assert [(r.line, r.column) for r in quality.rejections] == [
        (2, "good"),
        (4, "good"),
        (6, "service"),
    ]
    assert quality.rejections[0].reason == "good (11) is more than total (10)"
    assert quality.rejections[1].reason == "good is negative"
    assert loaded.table["good"].tolist() == [5, 4]


def test_rows_of_one_bucket_are_summed_across_batches(tmp_path, monkeypatch):
    monkeypatch.setattr(parquet_module, "BATCH_ROWS", 2)
    write_rows(
        tmp_path / "m.parquet",
        [
            ("2026-10-01T00:01Z", "search", 4, 5),
            ("2026-10-01T00:00Z", "search", 1, 2),
            ("2026-10-01T00:00Z", "search", 3, 3),  # same bucket as the row above: 1+3, 2+3
            ("2026-10-01T00:01Z", "search", 10, 10),  # same bucket as the first row, another batch
        ],
    )
    config = write_config(tmp_path, "  metrics: [{path: m.parquet}]\n")
    loaded = read_metrics_parquet(config.sources.metrics[0], context(config))
    assert loaded.table[["good", "total"]].values.tolist() == [[4, 5], [14, 15]]
    assert loaded.quality[0].rows_used == 4
    assert loaded.quality[0].notes == (
        "2 rows repeated a service and timestamp of another row and were summed into its bucket",
    )


def test_missing_column_is_named(tmp_path):
    pq.write_table(
        pa.table({"timestamp": ["2026-10-01T00:00Z"], "service": ["search"], "good": [1]}),
        tmp_path / "m.parquet",
    )
    config = write_config(tmp_path, "  metrics: [{path: m.parquet}]\n")
    from briefing.errors import BriefingError

    with pytest.raises(BriefingError, match=r"m.parquet: column total: missing column\(s\) total"):
        read_metrics_parquet(config.sources.metrics[0], context(config))
