"""Hostile metrics files: every row used or rejected with its own reason, or one clear error."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from test_generic import make

from briefing.config import load_config
from briefing.errors import BriefingError
from briefing.ingest import ingest
from briefing.model import Period

HEADER = "timestamp,service,good,total\n"
BIG = 9_223_372_036_854_775_807  # the largest int64


def reasons(quality) -> list[tuple[int | None, str | None, str]]:
    return [(r.line, r.column, r.reason) for r in quality.rejections]


# --------------------------------------------------------------------------- counts (D06, D27)


def test_counts_beyond_int64_sums_are_rejected_never_wrapped(tmp_path: Path) -> None:
    rows = "".join(f"2026-10-{d:02d}T12:00:00Z,checkout,1000,1000\n" for d in range(1, 32))
    rows += f"2026-10-05T13:00:00Z,checkout,{BIG},{BIG}\n" * 2  # lines 33 and 34, one bucket
    inputs = make(tmp_path, HEADER + rows)
    quality = inputs.data_quality.files[0]
    assert (quality.rows_read, quality.rows_used, quality.rows_rejected) == (33, 31, 2)
    assert [r.line for r in quality.rejections] == [33, 34]
    assert all(
        r.reason.startswith("good 9,223,372,036,854,775,807 is more than 1,000,000,000,000,000")
        for r in quality.rejections
    )
    checkout = inputs.sli[inputs.sli["service"] == "checkout"]
    # 31 days x 1,000: the huge rows neither wrap nor count
    assert int(checkout["good"].sum()) == int(checkout["total"].sum()) == 31_000


def test_counts_that_add_up_beyond_exact_sums_stop_the_build(tmp_path: Path) -> None:
    # 5,000 rows of 10^15 (each allowed) add up to 5e18, above the 2^62 (4.6e18) briefing sums
    rows = "".join(
        f"2026-10-{1 + i % 28:02d}T{i % 24:02d}:{i % 60:02d}:00Z,checkout,{10**15},{10**15}\n"
        for i in range(5000)
    )
    with pytest.raises(BriefingError) as caught:
        make(tmp_path, HEADER + rows)
    assert "sli.csv: the counts of this file add up to 5e+18 events" in str(caught.value)


@pytest.mark.parametrize(
    ("cell", "reason"),
    [
        ("inf", "good is infinite, not a count"),
        ("-inf", "good is infinite, not a count"),
        ("nan", "good is NaN (not a number), not a count"),
        ("1e20", "good 1e+20 is more than 1,000,000,000,000,000 events in one row"),
        ("abc", "good 'abc' is not a number"),
        ("", "good is empty"),
        ("2.5", "good 2.5 is not a whole number"),
        ("-3", "good is negative"),
    ],
)
def test_each_bad_count_is_rejected_with_its_own_reason(
    tmp_path: Path, cell: str, reason: str
) -> None:
    text = (
        HEADER
        + "2026-10-05T12:00:00Z,checkout,10,10\n"
        + f"2026-10-05T14:00:00Z,checkout,{cell},10\n"
    )
    quality = make(tmp_path, text).data_quality.files[0]
    assert (quality.rows_used, quality.rows_rejected) == (1, 1)
    line, column, text_reason = reasons(quality)[0]
    assert (line, column) == (3, "good")
    assert text_reason.startswith(reason)


def test_a_service_with_total_but_no_good_in_any_row_stops_the_build(tmp_path: Path) -> None:
    text = HEADER + (
        "2026-10-05T12:00:00Z,checkout,10,10\n"
        "2026-10-05T12:00:00Z,search,,500\n"
        "2026-10-05T13:00:00Z,search,,700\n"
    )
    with pytest.raises(BriefingError) as caught:
        make(tmp_path, text)
    message = str(caught.value)
    assert "sli.csv: column good: search: total counts but no good count in any row" in message
    assert "never read as zero good events" in message


# --------------------------------------------------------------------------- timestamps (D08, D17)


@pytest.mark.parametrize(
    ("stamp", "timezone"),
    [
        ("2999-01-01T00:00:00Z", None),
        ("2999-01-01T00:00:00+02:00", None),
        ("2999-01-01T00:00:00", "UTC"),
    ],
)
def test_a_row_after_2262_is_rejected_not_a_crash(
    tmp_path: Path, stamp: str, timezone: str | None
) -> None:
    text = HEADER + "2026-10-05T13:00:00Z,checkout,10,10\n" + f"{stamp},checkout,10,10\n"
    quality = make(tmp_path, text, timezone=timezone).data_quality.files[0]
    assert (quality.rows_read, quality.rows_used, quality.rows_rejected) == (2, 1, 1)
    assert reasons(quality) == [
        (
            3,
            "timestamp",
            f"timestamp {stamp} is outside the years 1678 to 2261 that briefing reads: check the year",
        )
    ]


def test_an_incident_after_2262_is_rejected_not_a_crash(tmp_path: Path) -> None:
    from test_generic import INCIDENTS_HEADER

    incidents = INCIDENTS_HEADER + (
        "INC-1,checkout,Real,SEV2,2026-10-05T10:00:00Z,2026-10-05T10:05:00Z,2026-10-05T11:00:00Z,0.5\n"
        "INC-2,checkout,Typo,SEV3,2999-10-06T10:00:00Z,2999-10-06T10:05:00Z,2999-10-06T11:00:00Z,0.1\n"
    )
    inputs = make(tmp_path, HEADER + "2026-10-05T13:00:00Z,checkout,10,10\n", incidents)
    quality = inputs.data_quality.files[1]
    assert (quality.rows_read, quality.rows_used, quality.rows_rejected) == (2, 1, 1)
    assert quality.rejections[0].line == 3
    assert "is outside the years 1678 to 2261" in quality.rejections[0].reason
    assert list(inputs.incidents["id"]) == ["INC-1"]


def test_the_repeated_autumn_hour_is_read_in_file_order(tmp_path: Path) -> None:
    # per-minute data of 2026-10-25, Amsterdam: 02:00-02:59 happens twice (CEST, then CET)
    rows = [f"2026-10-25T01:{m:02d}:00,checkout,10,10" for m in range(60)]
    rows += [f"2026-10-25T02:{m:02d}:00,checkout,10,10" for m in range(60)]  # summer time
    rows += [f"2026-10-25T02:{m:02d}:00,checkout,20,20" for m in range(60)]  # standard time
    rows += [f"2026-10-25T03:{m:02d}:00,checkout,10,10" for m in range(60)]
    inputs = make(tmp_path, HEADER + "\n".join(rows) + "\n", timezone="Europe/Amsterdam")
    quality = inputs.data_quality.files[0]
    # nothing lost: 4 local hours of minutes are 4 distinct UTC hours
    assert (quality.rows_read, quality.rows_used, quality.rows_rejected) == (240, 240, 0)
    sli = inputs.sli.set_index("timestamp")
    assert len(sli) == 240
    # 01:00 CEST = 23:00Z; 02:00 CEST = 00:00Z; 02:00 CET = 01:00Z; 03:00 CET = 02:00Z
    assert int(sli.loc["2026-10-25T00:00:00Z", "good"]) == 10
    assert int(sli.loc["2026-10-25T01:00:00Z", "good"]) == 20
    assert int(sli.loc["2026-10-25T02:59:00Z", "good"]) == 10
    assert int(sli["good"].sum()) == 180 * 10 + 60 * 20
    assert any("repeated when summer time ends" in n for n in quality.notes)


def test_the_skipped_spring_hour_is_rejected_saying_so(tmp_path: Path) -> None:
    text = HEADER + (
        "2026-03-29T01:30:00,checkout,10,10\n"
        "2026-03-29T02:30:00,checkout,10,10\n"  # clocks jump from 02:00 to 03:00
        "2026-03-29T03:30:00,checkout,10,10\n"
    )
    quality = make(tmp_path, text, timezone="Europe/Amsterdam").data_quality.files[0]
    assert (quality.rows_used, quality.rows_rejected) == (2, 1)
    line, column, reason = reasons(quality)[0]
    assert (line, column) == (3, "timestamp")
    assert reason.startswith("timestamp 2026-03-29T02:30:00 does not exist in Europe/Amsterdam")
    assert "ISO 8601" not in reason


# --------------------------------------------------------------------------- headers and types (D23, D19)


def test_a_repeated_column_in_the_header_is_one_clear_error(tmp_path: Path) -> None:
    text = "timestamp,service,good,total,good\n2026-10-05T12:00:00Z,checkout,10,10,5\n"
    with pytest.raises(BriefingError) as caught:
        make(tmp_path, text)
    assert "sli.csv:1:good: column 'good' appears 2 times in the header (columns 3 and 5)" in str(
        caught.value
    )


def _parquet(tmp_path: Path, columns: dict[str, pa.Array]):
    pq.write_table(pa.table(columns), tmp_path / "sli.parquet")
    (tmp_path / "incidents.csv").write_text(
        "id,service,title,severity,started_at,detected_at,resolved_at,impact\n"
    )
    (tmp_path / "briefing.yaml").write_text(
        "organization: Example Corp\ncurrency: EUR\nservices:\n"
        "  - {id: checkout, name: Online checkout, objective: 0.999, cost_of_downtime_per_hour: 42000}\n"
        "  - {id: search, name: Product search, objective: 0.99, cost_of_downtime_per_hour: 6000}\n"
        "sources:\n  metrics: [{path: sli.parquet}]\n  incidents: [{path: incidents.csv}]\n"
    )
    config = load_config(tmp_path / "briefing.yaml")
    return ingest(config, Period(2026, 10, config.timezone))


def _stamps(n: int, unit: str = "ns", last: str = "2026-10-05T12:00:00") -> pa.Array:
    values = np.array(["2026-10-05T12:00:00"] * (n - 1) + [last], dtype=f"datetime64[{unit}]")
    return pa.array(values, pa.timestamp(unit, tz="UTC"))


def test_parquet_uint64_counts_above_int64_are_rejected_rows(tmp_path: Path) -> None:
    huge = 2**63 + 5
    counts = pa.array([10, 10, 10, huge], pa.uint64())
    services = pa.array(["checkout", "search", "checkout", "checkout"])
    inputs = _parquet(
        tmp_path, {"timestamp": _stamps(4), "service": services, "good": counts, "total": counts}
    )
    quality = inputs.data_quality.files[0]
    assert (quality.rows_read, quality.rows_used, quality.rows_rejected) == (4, 3, 1)
    assert reasons(quality) == [
        (
            5,
            "good",
            f"good {huge:,} is more than 1,000,000,000,000,000 events in one row: "
            "not a count briefing accepts (a unit or export mistake?)",
        )
    ]
    # rows 1 and 3 share a bucket: 10 + 10
    assert int(inputs.sli.loc[inputs.sli["service"] == "checkout", "good"].sum()) == 20


def test_parquet_seconds_in_year_3000_are_rejected_rows(tmp_path: Path) -> None:
    counts = pa.array([10] * 3, pa.int64())
    services = pa.array(["checkout", "search", "checkout"])
    stamps = _stamps(3, "s", last="3000-01-01T00:00:00")
    quality = _parquet(
        tmp_path, {"timestamp": stamps, "service": services, "good": counts, "total": counts}
    ).data_quality.files[0]
    assert (quality.rows_read, quality.rows_used, quality.rows_rejected) == (3, 2, 1)
    assert reasons(quality)[0][:2] == (4, "timestamp")
    assert "3000-01-01 00:00:00+00:00 is outside the years 1678 to 2261" in reasons(quality)[0][2]


def test_a_parquet_struct_service_column_is_one_clear_error(tmp_path: Path) -> None:
    counts = pa.array([10] * 2, pa.int64())
    services = pa.array([{"a": "checkout"}, {"a": "search"}])
    with pytest.raises(BriefingError) as caught:
        _parquet(
            tmp_path,
            {"timestamp": _stamps(2), "service": services, "good": counts, "total": counts},
        )
    assert (
        "sli.parquet: column service: column 'service' holds struct<a: string> values, not service names"
        in str(caught.value)
    )


def test_parquet_float_counts_give_the_csv_reasons(tmp_path: Path) -> None:
    values = pa.array([10.0, float("inf"), float("nan"), 1e20], pa.float64())
    services = pa.array(["checkout"] * 4)
    stamps = pa.array(
        np.array([f"2026-10-05T1{h}:00:00" for h in range(4)], dtype="datetime64[ns]"),
        pa.timestamp("ns", tz="UTC"),
    )
    quality = _parquet(
        tmp_path, {"timestamp": stamps, "service": services, "good": values, "total": values}
    ).data_quality.files[0]
    assert [r.reason.split(",")[0].split(" is more")[0] for r in quality.rejections] == [
        "good is infinite",
        "good is NaN (not a number)",
        "good 1e+20",
    ]
