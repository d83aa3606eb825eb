"""Benchmark: reading a large metrics CSV.gz, memory and time.

Writes the rows of bench_parquet.py (20 services, one row per service and
minute) as CSV.gz, then runs two subprocesses under `/usr/bin/time -v`: the
floor, `pyarrow.csv.read_csv` of the same file into one table, and briefing's
CSV reader, which streams typed blocks and sums them per service and bucket.

    python bench/bench_csv.py [--rows 10000000]
"""

from __future__ import annotations

import argparse
import gzip
import tempfile
from pathlib import Path

import pyarrow.csv as pacsv
import pyarrow.parquet as pq
from bench_parquet import measure, write_config, write_file

FLOOR = """
import sys, pyarrow.csv as pacsv
print(pacsv.read_csv(sys.argv[1]).num_rows)
"""
READER = """
import sys
from pathlib import Path
from briefing.config import load_config
from briefing.ingest.context import ReadContext
from briefing.ingest.metrics_csv import read_metrics_csv
from briefing.model import Period
config = load_config(Path(sys.argv[2]))
ctx = ReadContext(config, Period(2026, 10), frozenset(s.id for s in config.services))
loaded = read_metrics_csv(config.sources.metrics[0], ctx)
assert loaded.quality[0].rows_used == loaded.quality[0].rows_read
print(len(loaded.table))
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        parquet = folder / "metrics.parquet"
        write_file(parquet, args.rows)
        data = folder / "metrics.csv.gz"
        table = pq.read_table(parquet)
        table = table.set_column(1, "service", table.column("service").cast("string"))
        with gzip.open(data, "wb", compresslevel=1) as handle:
            pacsv.write_csv(table, handle)
        config = write_config(folder, data)
        size = data.stat().st_size / 2**20
        floor_time, floor_peak, floor_rows = measure(FLOOR, data)
        read_time, read_peak, buckets = measure(READER, data, config)
    print(f"file: {args.rows:,} rows, {size:,.1f} MiB CSV.gz")
    print(
        f"pyarrow.csv.read_csv (floor): {floor_time:6.2f} s, peak {floor_peak:7,.0f} MiB ({floor_rows} rows)"
    )
    print(
        f"briefing read_metrics_csv:    {read_time:6.2f} s, peak {read_peak:7,.0f} MiB ({buckets} buckets)"
    )
    print(
        f"time ratio to the floor: {read_time / floor_time:.1f}x; peak memory ratio {read_peak / floor_peak:.1f}x"
    )


if __name__ == "__main__":
    main()
