"""Benchmark: a JSON build over 25.9 million metric rows as hive-partitioned Parquet (`format: duckdb`).

Writes 200 services x 90 days of per-minute counts (25,920,000 rows) as one
Parquet file per day under `sli/date=YYYY-MM-DD/`, then measures, each in a
fresh process under `/usr/bin/time -v`, in the same run:

- the import floor: `python -c "import pandas, matplotlib, weasyprint, jinja2, yaml"`;
- the read floor: `pyarrow.parquet.read_table` of the same folder;
- `briefing build --format json` of a workspace reading the folder with
  `format: duckdb` (October 2026: the window is August to October, so the
  build checks all 25.9 million rows and sums the 8.9 million of October).

Target: build time <= import floor + 1.5 x read floor, peak memory < 1 GiB.
Prints medians of `--runs` runs and the ratio to the target.

    python bench/bench_duckdb.py [--runs 3] [--keep DIR]
"""

from __future__ import annotations

import argparse
import re
import statistics
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

SERVICES = 200
DAYS = 90
MINUTES = 1440
START = np.datetime64("2026-10-01T00:00:00", "us")


def write_dataset(folder: Path) -> int:
    """One Parquet file per day, rows by service then minute; seeded Poisson traffic, rare failures."""
    rng = np.random.default_rng(20261001)
    names = pa.array([f"svc-{i:03d}" for i in range(SERVICES)])
    rate = rng.uniform(50, 2000, SERVICES)
    rows = 0
    for day in range(DAYS):
        first = START + np.timedelta64(day, "D")
        minutes = first + np.arange(MINUTES).astype("timedelta64[m]")
        total = rng.poisson(np.repeat(rate, MINUTES)).astype(np.int64)
        bad = rng.binomial(total, 0.0008).astype(np.int64)
        table = pa.table(
            {
                "timestamp": pa.array(np.tile(minutes, SERVICES), pa.timestamp("us", tz="UTC")),
                "service": pa.DictionaryArray.from_arrays(
                    pa.array(np.repeat(np.arange(SERVICES, dtype=np.int32), MINUTES)), names
                ),
                "good": total - bad,
                "total": total,
            }
        )
        part = folder / f"date={str(first)[:10]}"
        part.mkdir(parents=True, exist_ok=True)
        pq.write_table(table, part / "part-0.parquet")
        rows += table.num_rows
    return rows


def write_config(folder: Path) -> Path:
    services = "".join(
        f"  - {{id: svc-{i:03d}, objective: 0.999, cost_of_downtime_per_hour: 10000}}\n"
        for i in range(SERVICES)
    )
    config = folder / "briefing.yaml"
    config.write_text(
        "organization: Bench\ncurrency: EUR\ntimezone: UTC\nperiod: 2026-10\n"
        f"services:\n{services}sources:\n"
        "  metrics: [{format: duckdb, path: sli/**/*.parquet}]\n",
        encoding="utf-8",
    )
    return config


IMPORT_FLOOR = "import pandas, matplotlib, weasyprint, jinja2, yaml"
READ_FLOOR = """
import sys, pyarrow.parquet as pq
print(pq.read_table(sys.argv[1]).num_rows)
"""


def measure(args: list[str]) -> tuple[float, float]:
    """(wall seconds, peak resident MiB) of one process under /usr/bin/time -v."""
    result = subprocess.run(
        ["/usr/bin/time", "-v", *args], capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise SystemExit(f"{' '.join(args)} failed:\n{result.stderr[-3000:]}")
    peak = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", result.stderr).group(1))
    wall = re.search(
        r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (?:(\d+):)?(\d+):([\d.]+)", result.stderr
    )
    hours, minutes, seconds = int(wall.group(1) or 0), int(wall.group(2)), float(wall.group(3))
    return hours * 3600 + minutes * 60 + seconds, peak / 1024


def median_of(runs: int, args: list[str]) -> tuple[float, float]:
    samples = [measure(args) for _ in range(runs)]
    return statistics.median(s[0] for s in samples), max(s[1] for s in samples)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--keep", type=Path, help="write the dataset here and keep it")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        folder = args.keep or Path(scratch)
        data = folder / "sli"
        rows = (
            sum(pq.ParquetFile(f).metadata.num_rows for f in data.rglob("*.parquet"))
            if data.exists()
            else write_dataset(data)
        )
        config = write_config(folder)
        size = sum(f.stat().st_size for f in data.rglob("*.parquet")) / 2**20
        python = sys.executable
        imports, imports_peak = median_of(args.runs, [python, "-c", IMPORT_FLOOR])
        read, read_peak = median_of(
            args.runs, [python, "-c", textwrap.dedent(READ_FLOOR), str(data)]
        )
        build_args = [python, "-m", "briefing", "build", "--config", str(config)]
        build, build_peak = median_of(
            args.runs, [*build_args, "--format", "json", "--out", str(folder / "out")]
        )
    target = imports + 1.5 * read
    print(f"dataset: {rows:,} rows in {DAYS} daily partitions, {size:,.0f} MiB Parquet")
    print(f"import floor ({IMPORT_FLOOR}): {imports:6.2f} s, peak {imports_peak:6,.0f} MiB")
    print(f"pyarrow.parquet.read_table (floor):   {read:6.2f} s, peak {read_peak:6,.0f} MiB")
    print(f"briefing build --format json:         {build:6.2f} s, peak {build_peak:6,.0f} MiB")
    print(
        f"build / (import floor + 1.5 x read floor) = {build:.2f} / {target:.2f} = "
        f"{build / target:.2f} (target <= 1); peak {build_peak / 1024:.2f} GiB (target < 1)"
    )


if __name__ == "__main__":
    main()
