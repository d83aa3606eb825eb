"""Helpers of the DuckDB and SQL source tests: the bundled sample as other stores hold it.

The sample workspace (5 services, 662,400 per-minute rows from August to
October 2026, 19 incidents) is copied, its rows written as hive-partitioned
Parquet or loaded into PostgreSQL, and its `sources:` pointed at them; the
briefing built from either must equal the one built from the CSVs, figure for
figure.
"""

from __future__ import annotations

import dataclasses
import shutil
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

import briefing.pipeline as pipeline
from briefing.config import Config, load_config
from briefing.model import Period

SAMPLE = Path(__file__).resolve().parents[2] / "briefing" / "samples"
OCTOBER = Period(2026, 10, "Europe/Amsterdam")
NOW = datetime(2026, 11, 2, 8, 0, tzinfo=UTC)
SLI_ENTRY = "    - {path: exports/sli.csv.gz}\n"
INCIDENTS_ENTRY = "    - {path: exports/incidents.csv, format: csv}\n"


def sample_copy(folder: Path) -> Path:
    target = folder / "ws"
    shutil.copytree(SAMPLE, target)
    return target


def with_sources(
    workspace: Path, *, metrics: str | None = None, incidents: str | None = None
) -> Config:
    """The workspace's briefing.yaml with its metrics and/or incidents entry replaced."""
    path = workspace / "briefing.yaml"
    text = path.read_text(encoding="utf-8")
    assert SLI_ENTRY in text
    assert INCIDENTS_ENTRY in text
    if metrics is not None:
        text = text.replace(SLI_ENTRY, metrics)
    if incidents is not None:
        text = text.replace(INCIDENTS_ENTRY, incidents)
    path.write_text(text, encoding="utf-8")
    return load_config(path)


def sample_sli() -> pa.Table:
    """The sample's metrics, typed: timestamp (UTC), service, good, total."""
    return pacsv.read_csv(
        SAMPLE / "exports" / "sli.csv.gz",
        convert_options=pacsv.ConvertOptions(
            column_types={
                "timestamp": pa.timestamp("s", tz="UTC"),
                "service": pa.string(),
                "good": pa.int64(),
                "total": pa.int64(),
            }
        ),
    )


def sample_incidents() -> pa.Table:
    stamp = pa.timestamp("s", tz="UTC")
    return pacsv.read_csv(
        SAMPLE / "exports" / "incidents.csv",
        convert_options=pacsv.ConvertOptions(
            column_types={
                "started_at": stamp,
                "detected_at": stamp,
                "resolved_at": stamp,
                "impact": pa.float64(),
            }
        ),
    )


def sample_rows_in_window() -> int:
    """Rows of the sample's metrics before the October window's end (November 1 in
    Amsterdam, 2026-10-31T23:00Z): the most a query bound to the window can read."""
    stamps = sample_sli().column("timestamp")
    end = pa.scalar(OCTOBER.end_utc.to_pydatetime(), stamps.type)
    return int(pc.sum(pc.less(stamps, end).cast(pa.int64())).as_py())


def write_hive(table: pa.Table, folder: Path, by: str) -> None:
    """Hive-partitioned Parquet: by `date` (a column added from the timestamp) or by `service`."""
    if by == "date":
        day = pc.strftime(table.column("timestamp"), format="%Y-%m-%d")
        table = table.append_column("date", day)
    pq.write_to_dataset(table, folder, partition_cols=[by])


def briefing_json(config: Config) -> dict[str, Any]:
    """The briefing as its JSON holds it, minus each input's path and format."""
    data = dataclasses.asdict(pipeline.build_briefing(config, OCTOBER, now=NOW))
    for entry in data["data_quality"]["files"]:
        entry.pop("path")
        entry.pop("format")
    return data
