"""`format: duckdb`: Parquet and CSV files (a file, a glob, hive-partitioned folders) read by DuckDB.

The bundled sample's rows as hive-partitioned Parquet give the briefing the
CSVs give, figure for figure; bad rows are rejected with the CSV reader's
reasons and lines; mistakes in the files or the config stop with one message.
"""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from ingest_support import context, write_config
from warehouse_support import (
    briefing_json,
    sample_copy,
    sample_incidents,
    sample_sli,
    with_sources,
    write_hive,
)

from briefing.config import load_config
from briefing.errors import BriefingError
from briefing.ingest.duckdb_files import read_metrics_duckdb
from briefing.ingest.duckdb_incidents import read_incidents_duckdb
from briefing.ingest.metrics_csv import read_metrics_csv


@pytest.fixture(scope="module")
def csv_briefing(tmp_path_factory: pytest.TempPathFactory) -> dict:
    workspace = sample_copy(tmp_path_factory.mktemp("csv"))
    return briefing_json(load_config(workspace / "briefing.yaml"))


@pytest.mark.parametrize("partition", ["date", "service"])
def test_hive_partitioned_parquet_gives_the_briefing_of_the_csvs(
    tmp_path: Path, csv_briefing: dict, partition: str
) -> None:
    workspace = sample_copy(tmp_path)
    write_hive(sample_sli(), workspace / "exports" / "sli", partition)
    pq.write_table(sample_incidents(), workspace / "exports" / "incidents.parquet")
    config = with_sources(
        workspace,
        metrics="    - {format: duckdb, path: exports/sli/**/*.parquet}\n",
        incidents="    - {format: duckdb, path: exports/incidents.parquet}\n",
    )
    data = briefing_json(config)
    assert data == csv_briefing
    metrics = data["data_quality"]["files"][0]
    # every row of the sample's files read and used, as the CSV reader does
    assert metrics["rows_read"] == metrics["rows_used"] == sample_sli().num_rows > 600_000
    assert data["incidents"]["count"] == csv_briefing["incidents"]["count"] > 0


def test_a_folder_and_csv_files_read_by_duckdb_give_the_same_briefing(
    tmp_path: Path, csv_briefing: dict
) -> None:
    workspace = sample_copy(tmp_path)
    write_hive(sample_sli(), workspace / "exports" / "sli", "date")
    folder = with_sources(workspace, metrics="    - {format: duckdb, path: exports/sli}\n")
    assert briefing_json(folder) == csv_briefing
    workspace = sample_copy(tmp_path / "csv")
    compressed = with_sources(
        workspace,
        metrics="    - {format: duckdb, path: exports/sli.csv.gz}\n",
        incidents="    - {format: duckdb, path: exports/incidents.csv}\n",
    )
    assert briefing_json(compressed) == csv_briefing


BAD_ROWS = """\
timestamp,service,good,total
2026-10-01T00:00:00Z,checkout-api,90,100
,checkout-api,90,100
2026-10-01T00:02:00Z,checkout-api,-1,100
2026-10-01T00:03:00Z,checkout-api,101,100
2026-10-01T00:04:00Z,warehouse,90,100
2026-10-01T00:05:00Z,checkout-api,1.5,100
2026-10-01T00:06:00Z,,90,100
2026-10-01 00:07,checkout-api,90,100
yesterday,checkout-api,90,100
2026-10-01T00:09:00Z,checkout-api,90,-3
2026-10-01T00:10:00+02:00,search,5,7
2026-10-01T00:10:00+02:00,search,1,2
2026-09-15T00:00:00Z,search,3,4
"""


def test_bad_rows_are_rejected_with_the_csv_readers_reasons_and_lines(tmp_path: Path) -> None:
    (tmp_path / "sli.csv").write_text(BAD_ROWS, encoding="utf-8")
    config = write_config(
        tmp_path,
        "  metrics:\n    - {path: sli.csv}\n    - {format: duckdb, path: sli.csv}\n",
    )
    ctx = context(config)
    plain = read_metrics_csv(config.sources.metrics[0], ctx)
    duck = read_metrics_duckdb(config.sources.metrics[1], ctx)
    expected, got = plain.quality[0], duck.quality[0]
    # 13 rows; rejected: empty timestamp (line 3), negative good (4), good > total (5),
    # unknown service (6), 1.5 (7), empty service (8), 'yesterday' (10), negative total (11)
    assert (got.rows_read, got.rows_used, got.rows_rejected) == (13, 5, 8)
    assert (got.rows_read, got.rows_used, got.rows_rejected) == (
        expected.rows_read,
        expected.rows_used,
        expected.rows_rejected,
    )
    assert got.rejections == expected.rejections
    assert [r.line for r in got.rejections] == [3, 4, 5, 6, 7, 8, 10, 11]
    assert any("'warehouse' is not in briefing.yaml" in r.reason for r in got.rejections)
    # the two search rows of 2026-09-30T22:10Z are one bucket of 6 good out of 9 (timezone: UTC
    # reads the naive '2026-10-01 00:07' as UTC)
    table = duck.table.sort_values(["service", "timestamp"]).reset_index(drop=True)
    search = table[table["service"] == "search"]
    assert search["good"].tolist() == [3, 6]
    assert search["total"].tolist() == [4, 9]
    assert duck.quality[0].notes == plain.quality[0].notes
    assert "1 rows repeated a service and timestamp" in duck.quality[0].notes[0]
    assert table.equals(plain.table.sort_values(["service", "timestamp"]).reset_index(drop=True))


def test_rejections_in_parquet_name_their_file_and_row(tmp_path: Path) -> None:
    folder = tmp_path / "sli"
    for day, good in (("2026-10-01", [5, 5]), ("2026-10-02", [5, 9])):
        part = folder / f"date={day}"
        part.mkdir(parents=True)
        stamps = pa.array([f"{day}T00:00:00Z", f"{day}T00:01:00Z"]).cast(pa.timestamp("s", "UTC"))
        pq.write_table(
            pa.table(
                {"timestamp": stamps, "service": ["search"] * 2, "good": good, "total": [8, 8]}
            ),
            part / "part-0.parquet",
        )
    config = write_config(tmp_path, "  metrics: [{format: duckdb, path: 'sli/**/*.parquet'}]\n")
    quality = read_metrics_duckdb(config.sources.metrics[0], context(config)).quality[0]
    assert (quality.rows_read, quality.rows_used, quality.rows_rejected) == (4, 3, 1)
    (rejection,) = quality.rejections
    # the second row of the second day's file: row 1 counted from 0, the header being line 1
    assert rejection.line == 3
    assert rejection.column == "good"
    assert (
        rejection.reason == "good (9) is more than total (8) (sli/date=2026-10-02/part-0.parquet)"
    )


def test_naive_timestamps_need_a_zone(tmp_path: Path) -> None:
    path = tmp_path / "sli.parquet"
    pq.write_table(
        pa.table(
            {
                "timestamp": pa.array([0], pa.timestamp("s")),
                "service": ["search"],
                "good": [1],
                "total": [1],
            }
        ),
        path,
    )
    config = write_config(
        tmp_path, "  metrics: [{format: duckdb, path: sli.parquet}]\n", timezone=False
    )
    with pytest.raises(BriefingError, match="timestamps with no time zone"):
        read_metrics_duckdb(config.sources.metrics[0], context(config))


def test_a_missing_column_is_named(tmp_path: Path) -> None:
    pq.write_table(
        pa.table({"timestamp": [1], "service": ["search"], "good": [1]}), tmp_path / "x.parquet"
    )
    config = write_config(tmp_path, "  metrics: [{format: duckdb, path: x.parquet}]\n")
    with pytest.raises(BriefingError, match=r"missing column\(s\) total"):
        read_metrics_duckdb(config.sources.metrics[0], context(config))


def test_a_listed_service_without_rows_stops_the_build(tmp_path: Path) -> None:
    (tmp_path / "sli.csv").write_text(BAD_ROWS, encoding="utf-8")
    config = write_config(
        tmp_path, "  metrics: [{format: duckdb, path: sli.csv, services: [search, payments]}]\n"
    )
    with pytest.raises(BriefingError) as caught:
        read_metrics_duckdb(config.sources.metrics[0], context(config))
    assert "sources.metrics[0] (duckdb sli.csv) returned no rows for payments" in str(caught.value)


def test_paths_naming_nothing_or_two_kinds_are_config_errors(tmp_path: Path) -> None:
    (tmp_path / "a.csv").write_text("timestamp,service,good,total\n", encoding="utf-8")
    pq.write_table(pa.table({"x": [1]}), tmp_path / "b.parquet")
    with pytest.raises(BriefingError, match=r"no file matches 'nothing/\*\*/\*.parquet'"):
        write_config(tmp_path, "  metrics: [{format: duckdb, path: 'nothing/**/*.parquet'}]\n")
    with pytest.raises(BriefingError, match="matches both Parquet and CSV files"):
        write_config(tmp_path, "  metrics: [{format: duckdb, path: '[ab].*'}]\n")


def test_incident_rejections_name_file_and_line(tmp_path: Path) -> None:
    folder = tmp_path / "incidents"
    folder.mkdir()
    rows = "id,service,title,severity,started_at,detected_at,resolved_at,impact\n"
    (folder / "a.csv").write_text(
        rows
        + "A-1,search,Slow,SEV2,2026-10-03T10:00:00Z,2026-10-03T10:05:00Z,2026-10-03T11:00:00Z,0.5\n"
    )
    (folder / "b.csv").write_text(
        rows
        + "B-1,search,Down,SEV1,2026-10-04T10:00:00Z,,2026-10-04T10:30:00Z,1\n"
        + "B-2,search,Odd,SEV9,2026-10-05T10:00:00Z,,2026-10-05T10:30:00Z,\n"
    )
    config = write_config(tmp_path, "  incidents: [{format: duckdb, path: incidents}]\n")
    loaded = read_incidents_duckdb(config.sources.incidents[0], context(config))
    quality = loaded.quality[0]
    assert (quality.rows_read, quality.rows_used, quality.rows_rejected) == (3, 2, 1)
    (rejection,) = quality.rejections
    assert rejection.line == 3
    assert rejection.column == "severity"
    assert rejection.reason.endswith("(incidents/b.csv)")
    assert sorted(loaded.table["id"].tolist()) == ["A-1", "B-1"]


def test_irregular_timestamps_are_sorted_and_summed(tmp_path: Path) -> None:
    """Timestamps a microsecond apart make no grid worth counting into: the rows are sorted."""
    (tmp_path / "sli.csv").write_text(
        "timestamp,service,good,total\n"
        "2026-10-01T01:00:00Z,search,4,5\n"
        "2026-10-01T00:00:00.000001Z,search,2,2\n"
        "2026-10-01T00:00:00Z,search,1,1\n"
        "2026-10-01T01:00:00Z,search,3,3\n",
        encoding="utf-8",
    )
    config = write_config(tmp_path, "  metrics: [{format: duckdb, path: sli.csv}]\n")
    loaded = read_metrics_duckdb(config.sources.metrics[0], context(config))
    table = loaded.table
    assert [str(t) for t in table["timestamp"]] == [
        "2026-10-01 00:00:00+00:00",
        "2026-10-01 00:00:00.000001+00:00",
        "2026-10-01 01:00:00+00:00",
    ]
    assert table["good"].tolist() == [1, 2, 4 + 3]
    assert table["total"].tolist() == [1, 2, 5 + 3]
    assert "1 rows repeated" in loaded.quality[0].notes[0]
