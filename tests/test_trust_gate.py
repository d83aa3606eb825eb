"""The trust gate end to end: coverage, gaps, the headline passing over partial data,
failures with no incident record, a drop in traffic, incidents with no failed request.

A workspace of hourly buckets in UTC, September and October 2026 (October: 744 hours,
44,640 minutes):
- shop (99.9%, 6,000 an hour = 100 a minute): 1,000 requests an hour, complete. 600 failed
  in the hour of its incident on 3 October, 300 in a burst on 20 October with no incident:
  900 of 744 allowed (0.1% of 744,000): used 121%.
- pay (99.9%): measured only from 16 October (384 of 744 hours: 52%); 2,000 failed on
  20 October, of 384 allowed: used 521%, the worst, but partial.
- search (99%): 1,000 an hour in September, 400 an hour in October with nothing from
  5 to 17 October (twelve days): 456 of 744 hours, 61%; 182,400 requests against 720,000.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from briefing.cli import cli

CONFIG = """\
organization: Gate Test
currency: EUR
locale: en_GB
timezone: UTC
period: 2026-10
services:
  - {id: shop, name: Web shop, objective: 0.999, cost_of_downtime_per_hour: 6000, owner: Head of Shop}
  - {id: pay, name: Payments, objective: 0.999, cost_of_downtime_per_hour: 6000, owner: Head of Pay}
  - {id: search, name: Search, objective: 0.99, cost_of_downtime_per_hour: 6000, owner: Head of Search}
sources:
  metrics: [{path: sli.csv}]
  incidents: [{path: incidents.csv}]
"""
INCIDENTS = """\
id,service,title,severity,started_at,detected_at,resolved_at,impact
INC-1,shop,Shop errors,SEV2,2026-10-03T10:00Z,2026-10-03T10:05Z,2026-10-03T11:00Z,0.6
INC-2,search,Search slow,SEV3,2026-10-25T08:00Z,2026-10-25T08:10Z,2026-10-25T09:00Z,0.1
"""


def metrics() -> pd.DataFrame:
    hours = pd.date_range("2026-09-01T00:00Z", "2026-10-31T23:00Z", freq="h")
    frames = []
    shop_bad = {pd.Timestamp("2026-10-03T10:00Z"): 600, pd.Timestamp("2026-10-20T14:00Z"): 300}
    frames.append(_frame("shop", hours, 1000, shop_bad))
    pay_hours = hours[hours >= pd.Timestamp("2026-10-16T00:00Z")]
    # 2,000 failed: every request of two hours on 20 October
    pay_bad = {pd.Timestamp("2026-10-20T09:00Z"): 1000, pd.Timestamp("2026-10-20T10:00Z"): 1000}
    frames.append(_frame("pay", pay_hours, 1000, pay_bad))
    september = hours[hours < pd.Timestamp("2026-10-01T00:00Z")]
    october = hours[
        (hours >= pd.Timestamp("2026-10-01T00:00Z"))
        & (
            (hours < pd.Timestamp("2026-10-05T00:00Z"))
            | (hours >= pd.Timestamp("2026-10-17T00:00Z"))
        )
    ]
    frames.append(_frame("search", september, 1000, {}))
    frames.append(_frame("search", october, 400, {}))
    return pd.concat(frames, ignore_index=True)


def _frame(service: str, stamps: pd.DatetimeIndex, total: int, bad: dict) -> pd.DataFrame:
    failed = [bad.get(t, 0) for t in stamps]
    return pd.DataFrame(
        {
            "timestamp": stamps.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "service": service,
            "good": [total - f for f in failed],
            "total": total,
        }
    )


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("gate")
    (root / "briefing.yaml").write_text(CONFIG, encoding="utf-8")
    (root / "incidents.csv").write_text(INCIDENTS, encoding="utf-8")
    metrics().to_csv(root / "sli.csv", index=False)
    return root


def build(workspace: Path, out: Path, *flags: str) -> dict:
    result = CliRunner().invoke(
        cli,
        ["build", "--config", str(workspace / "briefing.yaml"), "--format", "json"]
        + ["--out", str(out), *flags],
    )
    assert result.exit_code == 0, result.output
    # the author sees the data-quality warnings at once
    assert "warning: Search: the measurements cover 61% of October 2026" in result.stderr
    data: dict = json.loads((out / "briefing-2026-10.json").read_text(encoding="utf-8"))
    return data


@pytest.fixture(scope="module")
def briefing(workspace: Path, tmp_path_factory: pytest.TempPathFactory) -> dict:
    return build(workspace, tmp_path_factory.mktemp("out"))


def test_coverage_gaps_and_completeness(briefing: dict) -> None:
    services = {s["id"]: s for s in briefing["services"]}
    assert services["shop"]["coverage"] == pytest.approx(1.0)
    assert services["shop"]["complete"]
    assert services["shop"]["gaps"] == []
    # pay: 384 of 744 hours; nothing from the start of the month to 16 October
    assert services["pay"]["coverage"] == pytest.approx(384 / 744)
    assert not services["pay"]["complete"]
    assert services["pay"]["gaps"] == [
        {"start": "2026-10-01T00:00:00+00:00", "end": "2026-10-16T00:00:00+00:00"}
    ]
    # search: a twelve-day gap, 456 of 744 hours
    assert services["search"]["coverage"] == pytest.approx(456 / 744)
    assert services["search"]["gaps"] == [
        {"start": "2026-10-05T00:00:00+00:00", "end": "2026-10-17T00:00:00+00:00"}
    ]


def test_the_headline_passes_over_the_partial_service(briefing: dict) -> None:
    headline = briefing["headline"]
    services = {s["id"]: s for s in briefing["services"]}
    # pay used 2,000 of 384 allowed (5.21) and shop 900 of 744 (1.21): pay is partial
    assert services["pay"]["budget_consumed"] == pytest.approx(2000 / 384)
    assert services["shop"]["budget_consumed"] == pytest.approx(900 / 744)
    assert (headline["kind"], headline["service"]) == ("budget_exhausted", "shop")
    assert any(
        "Payments" in c and "52%" in c and "not the headline" in c for c in headline["caveats"]
    )


def test_unrecorded_failures_and_incidents_without_failures(briefing: dict) -> None:
    # shop's burst: 300 / 744,000 x 44,640 = 18 minutes x 100 a minute = 1,800; pay's two
    # failed hours have no incident either: 2,000 / 384,000 x 44,640 = 232.5 minutes, 23,250
    assert briefing["unrecorded_failures"] == [
        {"service": "shop", "day": "2026-10-20", "equivalent_outage_minutes": 18.0, "cost": 1800.0},
        {
            "service": "pay",
            "day": "2026-10-20",
            "equivalent_outage_minutes": 232.5,
            "cost": 23250.0,
        },
    ]
    items = {i["id"]: i for i in briefing["incidents"]["items"]}
    assert items["INC-2"]["no_bad_events"] is True
    assert items["INC-1"]["no_bad_events"] is False
    shop = next(s for s in briefing["services"] if s["id"] == "shop")
    # 600 / 744,000 x 44,640 x 100 = 3,600 in the incident, 1,800 outside: 5,400 in all
    assert (shop["incident_cost"], shop["unattributed_cost"], shop["downtime_cost"]) == (
        3600.0,
        1800.0,
        pytest.approx(5400.0),
    )


def test_traffic_drop_and_partial_data_warnings(briefing: dict) -> None:
    warnings = {(w["service"], w["kind"]): w for w in briefing["data_quality"]["warnings"]}
    assert set(warnings) == {
        ("pay", "partial_data"),
        ("search", "partial_data"),
        ("search", "traffic_drop"),
    }
    drop = warnings[("search", "traffic_drop")]
    assert (drop["value"], drop["previous"]) == (182_400, 720_000)  # 456 x 400, 720 x 1,000
    assert "75% fewer requests than in September 2026" in drop["text"]  # 1 - 182,400/720,000


def test_allow_incomplete_makes_the_partial_service_the_headline(
    workspace: Path, tmp_path: Path
) -> None:
    data = build(workspace, tmp_path, "--allow-incomplete")
    headline = data["headline"]
    assert headline["service"] == "pay"
    assert any("covers only 52% of October 2026" in c for c in headline["caveats"])
