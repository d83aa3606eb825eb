"""Benchmark: reading a 10-million-row Parquet metrics file, memory and time.

Writes a file of `--rows` metric rows (20 services, one row per service and
minute), then runs two subprocesses under `/usr/bin/time -v`: the floor,
`pyarrow.parquet.read_table` of the same file, and briefing's Parquet reader,
which validates, reconciles and sums per service and bucket into the `sli`
table. It prints the file size, each peak resident memory, each time, and the
reader's time as a ratio to the floor.

    python bench/bench_parquet.py [--rows 10000000] [--keep DIR]
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

SERVICES = 20
START_NS = 1_764_547_200_000_000_000  # 2025-12-01T00:00:00Z


def write_file(path: Path, rows: int) -> None:
    per_service = rows // SERVICES
    rng = np.random.default_rng(1)
    writer = None
    for index in range(SERVICES):
        stamps = START_NS + np.arange(per_service, dtype=np.int64) * 60_000_000_000
        total = rng.integers(100, 1000, per_service)
        good = total - rng.integers(0, 3, per_service)
        table = pa.table(
            {
                "timestamp": pa.array(stamps, type=pa.timestamp("ns", tz="UTC")),
                "service": pa.array([f"svc-{index:02d}"] * per_service).dictionary_encode(),
                "good": good,
                "total": total,
            }
        )
        if writer is None:
            writer = pq.ParquetWriter(path, table.schema)
        writer.write_table(table)
    assert writer is not None
    writer.close()


def write_config(folder: Path, data: Path) -> Path:
    services = "".join(f"  - {{id: svc-{i:02d}, objective: 0.999}}\n" for i in range(SERVICES))
    config = folder / "briefing.yaml"
    config.write_text(
        f"organization: Bench\ntimezone: UTC\nperiod: 2026-10\nservices:\n{services}"
        f"sources:\n  metrics: [{{path: {data}}}]\n",
        encoding="utf-8",
    )
    return config


FLOOR = """
import sys, pyarrow.parquet as pq
table = pq.read_table(sys.argv[1])
print(table.num_rows)
"""
READER = """
import sys
from pathlib import Path
from briefing.config import load_config
from briefing.ingest.context import ReadContext
from briefing.ingest.parquet import read_metrics_parquet
from briefing.model import Period
config = load_config(Path(sys.argv[2]))
ctx = ReadContext(config, Period(2026, 10), frozenset(s.id for s in config.services))
loaded = read_metrics_parquet(config.sources.metrics[0], ctx)
assert loaded.quality[0].rows_used == loaded.quality[0].rows_read
print(len(loaded.table))
"""


def measure(code: str, *args: Path) -> tuple[float, float, str]:
    """(wall seconds, peak resident MiB, stdout) of `python -c code args` under /usr/bin/time -v."""
    result = subprocess.run(
        ["/usr/bin/time", "-v", sys.executable, "-c", textwrap.dedent(code), *map(str, args)],
        capture_output=True,
        text=True,
        check=True,
    )
    peak = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", result.stderr).group(1))
    wall = re.search(
        r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (?:(\d+):)?(\d+):([\d.]+)", result.stderr
    )
    hours, minutes, seconds = int(wall.group(1) or 0), int(wall.group(2)), float(wall.group(3))
    return hours * 3600 + minutes * 60 + seconds, peak / 1024, result.stdout.strip()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument("--keep", type=Path, help="write the file here and keep it")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        folder = args.keep or Path(scratch)
        folder.mkdir(parents=True, exist_ok=True)
        data = folder / "metrics.parquet"
        write_file(data, args.rows)
        config = write_config(folder, data)
        size = data.stat().st_size / 2**20
        floor_time, floor_peak, floor_rows = measure(FLOOR, data)
        read_time, read_peak, buckets = measure(READER, data, config)
    print(f"file: {args.rows:,} rows, {size:,.1f} MiB Parquet")
    print(
        f"pyarrow.parquet.read_table (floor): {floor_time:6.2f} s, peak {floor_peak:7,.0f} MiB ({floor_rows} rows)"
    )
    print(
        f"briefing read_metrics_parquet:      {read_time:6.2f} s, peak {read_peak:7,.0f} MiB ({buckets} buckets)"
    )
    print(
        f"time ratio to the floor: {read_time / floor_time:.1f}x; peak memory {read_peak / size:.1f}x the file size"
    )


if __name__ == "__main__":
    main()
