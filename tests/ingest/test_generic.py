"""Generic CSV/JSON ingest: reconciliation, physical lines, clear errors."""

from __future__ import annotations

import gzip
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from briefing.config import load_config
from briefing.errors import BriefingError
from briefing.ingest import ingest
from briefing.ingest.tables import check_table
from briefing.model import Period

CONFIG = """\
organization: Example Corp
currency: EUR
{timezone}services:
  - {{id: checkout, name: Online checkout, objective: 0.999, cost_of_downtime_per_hour: 42000}}
  - {{id: search, name: Product search, objective: 0.99, cost_of_downtime_per_hour: 6000}}
sources:
  metrics: [{{path: {metrics}}}]
  incidents: [{{path: incidents.csv}}]
"""
INCIDENTS_HEADER = "id,service,title,severity,started_at,detected_at,resolved_at,impact\n"


def make(
    tmp_path: Path,
    metrics: str,
    incidents: str = INCIDENTS_HEADER,
    *,
    timezone: str | None = None,
    name: str = "sli.csv",
):
    path = tmp_path / name
    if name.endswith(".gz"):
        path.write_bytes(gzip.compress(metrics.encode(), mtime=0))
    else:
        path.write_text(metrics)
    (tmp_path / "incidents.csv").write_text(incidents)
    tz = f"timezone: {timezone}\n" if timezone else ""
    (tmp_path / "briefing.yaml").write_text(CONFIG.format(timezone=tz, metrics=name))
    config = load_config(tmp_path / "briefing.yaml")
    return ingest(config, Period(2026, 10, config.timezone))


def test_metrics_rows_used_and_rejected_with_physical_lines(tmp_path: Path) -> None:
    text = (
        "timestamp,service,good,total\n"
        "2026-10-01T00:00:00Z,checkout,99,100\n"  # line 2 ok
        "2026-10-01T00:01:00Z,checkout,101,100\n"  # line 3 good > total
        "2026-10-01T00:02:00Z,checkout,-1,100\n"  # line 4 negative
        "2026-10-01T00:03:00Z,billing,1,1\n"  # line 5 unknown service
        "yesterday,checkout,1,1\n"  # line 6 bad timestamp
        "2026-10-01T00:00:00Z,checkout,5,5\n"  # line 7 same bucket as line 2: summed
        "2026-10-01T00:04:00+02:00,search,7,10\n"  # line 8 ok, offset
        "2026-10-01T00:05:00Z,search,x,10\n"  # line 9 not a number
    )
    inputs = make(tmp_path, text)
    (metrics, incidents) = inputs.data_quality.files
    assert (metrics.rows_read, metrics.rows_used, metrics.rows_rejected) == (8, 3, 5)
    got = [(r.line, r.column) for r in metrics.rejections]
    assert got == [(3, "good"), (4, "good"), (5, "service"), (6, "timestamp"), (9, "good")]
    assert metrics.notes == (
        "1 rows repeated a service and timestamp of another row and were summed into its bucket",
    )
    assert "good (101) is more than total (100)" in metrics.rejections[0].reason
    assert "'billing' is not in briefing.yaml services" in metrics.rejections[2].reason
    check_table(inputs.sli, "sli")
    assert list(inputs.sli["good"]) == [99 + 5, 7]
    assert list(inputs.sli["total"]) == [100 + 5, 10]
    assert inputs.sli["timestamp"].iloc[1] == pd.Timestamp("2026-09-30T22:04:00Z")


def test_gzip_csv_is_read(tmp_path: Path) -> None:
    inputs = make(
        tmp_path,
        "timestamp,service,good,total\n2026-10-01T00:00:00Z,checkout,9,10\n",
        name="sli.csv.gz",
    )
    assert int(inputs.sli["total"].sum()) == 10


def test_naive_timestamps_are_an_error_unless_timezone_is_set(tmp_path: Path) -> None:
    text = "timestamp,service,good,total\n2026-10-01T00:00:00Z,checkout,1,1\n2026-10-01 00:01:00,checkout,1,1\n"
    with pytest.raises(BriefingError) as caught:
        make(tmp_path, text)
    message = str(caught.value)
    assert (
        "sli.csv:3:timestamp: timestamp '2026-10-01 00:01:00' in column 'timestamp' has no time zone"
        in message
    )
    assert "set timezone:" in message
    inputs = make(tmp_path, text, timezone="Europe/Amsterdam")
    assert list(inputs.sli["timestamp"]) == [
        pd.Timestamp("2026-10-01T00:00:00Z"),
        pd.Timestamp("2026-09-30T22:01:00Z"),  # 00:01 in Amsterdam (CEST, +02:00)
    ]


def test_missing_column_is_one_clear_error(tmp_path: Path) -> None:
    with pytest.raises(BriefingError) as caught:
        make(tmp_path, "time,service,good,total\n2026-10-01T00:00:00Z,checkout,1,1\n")
    assert "sli.csv:1: missing column(s) timestamp" in str(caught.value)


def test_incident_rows_checked_and_defaults_noted(tmp_path: Path) -> None:
    incidents = (
        INCIDENTS_HEADER
        + (
            "INC-1,checkout,Checkout down,SEV1,2026-10-03T14:00:00Z,2026-10-03T14:06:00Z,2026-10-03T14:47:00Z,0.8\n"
            'INC-2,checkout,"Slow, then\nstopped",Sev-2,2026-10-04T10:00:00Z,,2026-10-04T11:00:00Z,\n'  # lines 3-4
            "INC-3,checkout,Ends before start,SEV3,2026-10-05T10:00:00Z,,2026-10-05T09:00:00Z,0.1\n"  # line 5
            "INC-4,search,Impact too big,SEV3,2026-10-05T10:00:00Z,,2026-10-05T11:00:00Z,1.5\n"  # line 6
            "INC-5,search,Odd severity,urgent-ish,2026-10-05T10:00:00Z,,2026-10-05T11:00:00Z,0.1\n"  # line 7
            "INC-1,search,Duplicate id,SEV4,2026-10-06T10:00:00Z,,2026-10-06T11:00:00Z,0.1\n"  # line 8
            "INC-7,search,Still open,SEV4,2026-10-07T10:00:00Z,,,0.1\n"  # line 9
        )
    )
    inputs = make(tmp_path, "timestamp,service,good,total\n", incidents)
    quality = inputs.data_quality.files[1]
    assert (quality.rows_read, quality.rows_used, quality.rows_rejected) == (7, 2, 5)
    assert [(r.line, r.column) for r in quality.rejections] == [
        (5, "resolved_at"),
        (6, "impact"),
        (7, "severity"),
        (8, "id"),
        (9, "resolved_at"),
    ]
    check_table(inputs.incidents, "incidents")
    second = inputs.incidents.set_index("id").loc["INC-2"]
    assert second["severity"] == "SEV2"
    assert second["impact"] == 0.5  # SEV2 default
    assert pd.isna(second["detected_at"])
    assert any("impact not given for 1 incident" in note for note in quality.notes)
    assert any("1 incident(s) have no detection time" in note for note in quality.notes)


def test_mapping_reads_a_foreign_csv_and_names_a_missing_column(tmp_path: Path) -> None:
    (tmp_path / "sli.csv").write_text("timestamp,service,good,total\n")
    (tmp_path / "ops.csv").write_text(
        "Key,Svc,Summary,Sev,Opened,Closed\nOPS-1,checkout,Down,P1,03/Oct/26 02:02 PM,03/Oct/26 02:49 PM\n"
    )
    base = CONFIG.format(timezone="", metrics="sli.csv").replace(
        "  incidents: [{path: incidents.csv}]\n", ""
    )
    mapping = (
        "  incidents:\n    - path: ops.csv\n      mapping: {id: Key, service: Svc, title: Summary, "
        "severity: Sev, started_at: Opened, resolved_at: Closed}\n"
        '      timestamp_format: "%d/%b/%y %I:%M %p"\n      timezone: UTC\n'
    )
    (tmp_path / "briefing.yaml").write_text(base + mapping)
    config = load_config(tmp_path / "briefing.yaml")
    inputs = ingest(config, Period(2026, 10))
    row = inputs.incidents.iloc[0]
    assert (row["id"], row["severity"]) == ("OPS-1", "SEV1")
    assert row["started_at"] == pd.Timestamp("2026-10-03T14:02:00Z")
    (tmp_path / "briefing.yaml").write_text(
        base + mapping.replace("resolved_at: Closed", "resolved_at: Done")
    )
    with pytest.raises(BriefingError) as caught:
        ingest(load_config(tmp_path / "briefing.yaml"), Period(2026, 10))
    assert "ops.csv:1: column 'Done' (mapped from 'resolved_at') not found" in str(caught.value)


ROW = st.tuples(
    st.sampled_from(["2026-10-01T00:00:00Z", "2026-10-02T00:00:00Z", "bad", ""]),
    st.sampled_from(["checkout", "search", "other", ""]),
    st.integers(-3, 12),
    st.integers(-3, 12),
)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(rows=st.lists(ROW, min_size=1, max_size=30))
def test_every_row_is_used_or_rejected(
    tmp_path: Path, rows: list[tuple[str, str, int, int]]
) -> None:
    text = "timestamp,service,good,total\n" + "".join(f"{t},{s},{g},{n}\n" for t, s, g, n in rows)
    inputs = make(tmp_path, text)
    metrics = inputs.data_quality.files[0]
    assert metrics.rows_read == len(rows) == metrics.rows_used + metrics.rows_rejected
    assert metrics.rows_rejected == len(metrics.rejections)
    assert len(inputs.sli) <= metrics.rows_used  # rows of one bucket are summed
    assert (inputs.sli["good"] <= inputs.sli["total"]).all()
    assert (inputs.sli["good"] >= 0).all()


def test_typed_file_streams_with_the_same_rejections(tmp_path: Path) -> None:
    """Every cell parses as its type, so the file streams; value checks still reject by line."""
    text = (
        "timestamp,service,good,total\n"
        "2026-10-01T00:00:00Z,checkout,99,100\n"  # line 2 ok
        "2026-10-01T00:01:00Z,checkout,101,100\n"  # line 3 good > total
        "2026-10-01T00:02:00Z,checkout,-1,100\n"  # line 4 negative
        "2026-10-01T00:03:00Z,billing,1,1\n"  # line 5 unknown service
        "2026-10-01T00:00:00Z,checkout,5,5\n"  # line 6 same bucket as line 2: summed
        "2026-10-01T00:04:00+02:00,search,7,10\n"  # line 7 ok, offset
    )
    inputs = make(tmp_path, text, name="sli.csv.gz")
    metrics = inputs.data_quality.files[0]
    assert (metrics.rows_read, metrics.rows_used, metrics.rows_rejected) == (6, 3, 3)
    assert [(r.line, r.column) for r in metrics.rejections] == [
        (3, "good"),
        (4, "good"),
        (5, "service"),
    ]
    assert "good (101) is more than total (100)" in metrics.rejections[0].reason
    assert metrics.notes == (
        "1 rows repeated a service and timestamp of another row and were summed into its bucket",
    )
    rows = inputs.sli.sort_values(["service", "timestamp"]).reset_index(drop=True)
    assert list(rows["good"]) == [104, 7]
    assert list(rows["total"]) == [105, 10]
    assert rows["timestamp"].iloc[1] == pd.Timestamp("2026-09-30T22:04:00Z")
