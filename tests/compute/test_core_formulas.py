"""Core formulas against numbers worked out by hand.

The fixture: October 2026 in Europe/Oslo, which starts 2026-09-30T22:00Z
(CEST, +02:00) and ends 2026-10-31T23:00Z (CET, +01:00; clocks went back on
25 October), so the month has 31 x 1440 + 60 = 44,700 minutes = 745 hours.
Two services get 100 requests in every hour bucket from 2026-09-30T20:00Z to
2026-11-01T00:00Z.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from briefing.compute.incidents import _Span, attributed_minutes, compute_incidents
from briefing.compute.slo import Objective, compute_service, to_timeslices
from briefing.config import Policy, ServiceConfig
from briefing.errors import Location
from briefing.model import Period

OSLO = Period(2026, 10, "Europe/Oslo")
HERE = Location(Path("briefing.yaml"))
SHOP = ServiceConfig("shop", "Web shop", 0.99, 6000.0, "Head of Shop", HERE)  # 100 per minute
PAY = ServiceConfig("pay", "Payments", 0.999, 12000.0, "Head of Pay", HERE)  # 200 per minute


def hourly(service: str, bad: dict[str, int]) -> pd.DataFrame:
    stamps = pd.date_range("2026-09-30T20:00Z", "2026-10-31T23:00Z", freq="h")
    good = [100 - bad.get(ts.strftime("%Y-%m-%dT%H:%MZ"), 0) for ts in stamps]
    return pd.DataFrame({"service": service, "timestamp": stamps, "good": good, "total": 100})


SHOP_SLI = hourly(
    "shop",
    {
        "2026-09-30T21:00Z": 100,  # September in Oslo: previous period only
        "2026-10-10T00:00Z": 20,
        "2026-10-20T05:00Z": 10,
        "2026-10-31T23:00Z": 100,  # 1 November in Oslo: outside
    },
)
PAY_SLI = hourly("pay", {"2026-10-05T00:00Z": 50, "2026-10-07T00:00Z": 50})


def test_period_minutes_across_daylight_saving_change() -> None:
    assert OSLO.start_utc == pd.Timestamp("2026-09-30T22:00Z")
    assert OSLO.end_utc == pd.Timestamp("2026-10-31T23:00Z")
    assert OSLO.minutes == 31 * 1440 + 60 == 44_700


def test_service_budget_figures() -> None:
    status = compute_service(SHOP, Objective(0.99), SHOP_SLI, OSLO, Policy())
    # 745 buckets of 100 inside October; bad 20 + 10 = 30
    assert (status.total, status.bad, status.good) == (74_500, 30, 74_470)
    assert status.sli == pytest.approx(74_470 / 74_500)
    assert status.budget_events == pytest.approx(745.0)  # 1% of 74,500
    assert status.budget_consumed == pytest.approx(30 / 745)  # 0.0403
    assert status.budget_remaining == pytest.approx(1 - 30 / 745)
    assert status.budget_minutes == pytest.approx(447.0)  # 1% of 44,700
    assert status.equivalent_outage_minutes == pytest.approx(18.0)  # 30/74,500 x 44,700
    assert status.downtime_cost == pytest.approx(1800.0)  # 18 min x 6000/60
    assert status.exhausted_at is None
    assert status.status == "healthy"
    # previous month (Oslo September) holds the buckets 20:00Z and 21:00Z on 30 Sept
    assert status.previous is not None
    assert status.previous.sli == pytest.approx(100 / 200)


def test_exhausted_service_and_exhaustion_time() -> None:
    status = compute_service(PAY, Objective(0.999), PAY_SLI, OSLO, Policy())
    # budget 0.1% of 74,500 = 74.5 events; bad 50 on 5 Oct, 50 more on 7 Oct
    assert status.budget_events == pytest.approx(74.5)
    assert status.budget_consumed == pytest.approx(100 / 74.5)  # 1.342
    assert status.budget_remaining == pytest.approx(1 - 100 / 74.5)  # -0.342
    assert status.status == "exhausted"
    # cumulative bad reaches 74.5 in the bucket of 2026-10-07T00:00Z = 02:00 in Oslo
    assert status.exhausted_at == "2026-10-07T02:00:00+02:00"
    assert status.downtime_cost == pytest.approx(100 / 74_500 * 44_700 * 200)  # 60 min x 200


def test_at_risk_and_no_data() -> None:
    # 600 bad of a 745 budget: 0.805 used, 0.195 left < 0.25
    sli = hourly(
        "shop",
        {
            "2026-10-02T00:00Z": 100,
            "2026-10-03T00:00Z": 100,
            **{f"2026-10-04T0{h}:00Z": 100 for h in range(4)},
        },
    )
    status = compute_service(SHOP, Objective(0.99), sli, OSLO, Policy())
    assert status.bad == 600
    assert status.budget_remaining == pytest.approx(1 - 600 / 745)
    assert status.status == "at_risk"
    empty = compute_service(SHOP, Objective(0.99), sli.iloc[0:0], OSLO, Policy())
    assert empty.status == "no_data"
    assert empty.sli is None
    assert empty.budget_remaining is None


def test_budget_exactly_spent_is_at_risk_with_an_exhaustion_time() -> None:
    # 745 bad of a 745-event budget: remaining is 0, not negative -> at_risk, exhausted_at set
    sli = hourly(
        "shop", {**{f"2026-10-02T{h:02d}:00Z": 100 for h in range(7)}, "2026-10-03T00:00Z": 45}
    )
    status = compute_service(SHOP, Objective(0.99), sli, OSLO, Policy())
    assert status.bad == 745
    assert status.budget_remaining == pytest.approx(0.0, abs=1e-12)
    assert status.status == "at_risk"
    assert status.exhausted_at == "2026-10-03T02:00:00+02:00"


def test_timeslices_count_good_minutes() -> None:
    # slices of 60 min, good when good/total >= 0.85: the 80/100 bucket is bad, 90/100 good
    rows = SHOP_SLI[["timestamp", "good", "total"]]
    slices = to_timeslices(rows, 60, 0.85)
    october = slices[(slices["timestamp"] >= OSLO.start_utc) & (slices["timestamp"] < OSLO.end_utc)]
    assert int(october["total"].sum()) == 745 * 60
    assert int((october["total"] - october["good"]).sum()) == 60  # one bad slice of 60 min
    status = compute_service(
        SHOP, Objective(0.99, "timeslices", 0.85, 60), SHOP_SLI, OSLO, Policy()
    )
    assert status.budgeting_method == "timeslices"
    assert status.budget_events == pytest.approx(0.01 * 44_700)  # 447 minutes
    assert status.budget_consumed == pytest.approx(60 / 447)


def incident(
    i: str, service: str, start: str, end: str, impact: float, detected: str | None
) -> dict:
    return {
        "id": i,
        "service": service,
        "title": f"incident {i}",
        "severity": "SEV2",
        "started_at": pd.Timestamp(start),
        "resolved_at": pd.Timestamp(end),
        "detected_at": pd.Timestamp(detected) if detected else pd.NaT,
        "impact": impact,
        "category": pd.NA,
    }


INCIDENTS = pd.DataFrame(
    [
        incident("A", "shop", "2026-10-10T00:00Z", "2026-10-10T00:30Z", 1.0, "2026-10-10T00:05Z"),
        incident("B", "shop", "2026-10-10T00:10Z", "2026-10-10T01:00Z", 0.5, "2026-10-10T00:20Z"),
        incident("C", "shop", "2026-09-30T21:30Z", "2026-09-30T22:30Z", 1.0, "2026-09-30T21:40Z"),
        incident("D", "pay", "2026-10-05T00:00Z", "2026-10-05T00:45Z", 0.5, None),
        incident("E", "pay", "2026-09-15T00:00Z", "2026-09-15T00:10Z", 1.0, "2026-09-15T00:01Z"),
    ]
)


def test_overlap_is_counted_once_highest_impact_wins() -> None:
    t = pd.Timestamp
    spans = [
        _Span(1, t("2026-10-10T00:00Z"), t("2026-10-10T00:30Z"), 1.0),
        _Span(2, t("2026-10-10T00:10Z"), t("2026-10-10T01:00Z"), 0.5),
    ]
    # A owns 00:00-00:30 (it hurts more in the overlap); B keeps 00:30-01:00
    assert attributed_minutes(spans) == {1: 30.0, 2: 30.0}


def test_incident_costs_medians_and_budget_share() -> None:
    statuses = {
        "shop": compute_service(SHOP, Objective(0.99), SHOP_SLI, OSLO, Policy()),
        "pay": compute_service(PAY, Objective(0.999), PAY_SLI, OSLO, Policy()),
    }
    sli = pd.concat([SHOP_SLI, PAY_SLI], ignore_index=True)
    sli["timestamp"] = sli["timestamp"].astype("datetime64[ns, UTC]")
    policy = Policy(postmortem_share=0.02)
    summary = compute_incidents(INCIDENTS, sli, statuses, [SHOP, PAY], OSLO, policy)
    items = {item.id: item for item in summary.items}
    assert set(items) == {"A", "B", "C", "D"}  # E is in (Oslo) September
    # shop costs 100/min: A 30 min x 1.0 = 3000; B 30 min x 0.5 = 1500 (not 50 min)
    assert items["A"].cost == pytest.approx(3000.0)
    assert items["B"].cost == pytest.approx(1500.0)
    # C started in September (Oslo): clipped to 22:00Z-22:30Z = 30 min x 1.0 x 100
    assert items["C"].cost == pytest.approx(3000.0)
    assert items["C"].duration_minutes == pytest.approx(60.0)
    assert items["C"].clipped
    # D: pay costs 200/min: 45 min x 0.5 x 200
    assert items["D"].cost == pytest.approx(4500.0)
    assert summary.downtime_cost == pytest.approx(3000 + 1500 + 3000 + 4500)
    # costliest first
    assert [i.id for i in summary.items][:1] == ["D"]
    # medians of detected incidents A (5, 25), B (10, 40), C (10, 50); D has no detection
    assert summary.mttd_minutes == pytest.approx(10.0)
    assert summary.mttr_minutes == pytest.approx(40.0)
    assert summary.mttd_mean_minutes == pytest.approx(25 / 3)
    assert items["D"].ttd_minutes is None
    # A and B overlap the 00:00Z bucket of 10 Oct holding 20 bad of shop's 745 budget: it goes to
    # A, the higher impact, so it is counted once; B has no other bucket (the 01:00Z bucket
    # starts where B ends)
    assert items["A"].budget_share == pytest.approx(20 / 745)
    assert items["B"].budget_share == pytest.approx(0.0)
    assert items["A"].needs_postmortem  # 2.7% > 2%
    # measured: A's 20 bad / 74,500 x 44,700 minutes x 100 a minute = 1,200.00
    assert items["A"].measured_cost == pytest.approx(1200.0)
    assert items["B"].measured_cost == pytest.approx(0.0)
    assert not items["B"].no_bad_events  # its window holds A's failed requests
    # C's window inside October (22:00Z-22:30Z) holds one bucket with no failed request
    assert items["C"].no_bad_events
    # D: 50 bad / 74,500 x 44,700 x 200 = 6,000.00
    assert items["D"].measured_cost == pytest.approx(6000.0)
    # D overlaps pay's 00:00Z bucket of 5 Oct: 50 of 74.5
    assert items["D"].budget_share == pytest.approx(50 / 74.5)
    assert items["C"].budget_share == pytest.approx(0.0)
    assert summary.by_severity == {"SEV1": 0, "SEV2": 4, "SEV3": 0, "SEV4": 0}
    # September (Oslo): C started there (21:30Z) and E: 2 incidents
    assert summary.previous_count == 2


def test_budget_share_without_metrics_uses_impact_weighted_minutes() -> None:
    statuses = {"pay": compute_service(PAY, Objective(0.999), PAY_SLI.iloc[0:0], OSLO, Policy())}
    empty = PAY_SLI.iloc[0:0].astype({"timestamp": "datetime64[ns, UTC]"})
    summary = compute_incidents(
        INCIDENTS[INCIDENTS["id"] == "D"], empty, statuses, [PAY], OSLO, Policy()
    )
    # 45 min x 0.5 impact / (0.1% of 44,700 = 44.7 budget minutes)
    assert summary.items[0].budget_share == pytest.approx(22.5 / 44.7)
    assert summary.items[0].needs_postmortem


def test_projected_exhaustion_of_a_running_month() -> None:
    """October 2026 in UTC, seen on 11 October 00:00 (14,400 minutes in).

    100 requests an hour since 1 October; 3 of them fail in each of the last 168
    hours: 504 bad of 24,000. Spent so far: 504 / 24,000 x 14,400 = 302.4 minutes
    of the 0.01 x 44,640 = 446.4 allowed, 144 left; at the week's 3% failure rate
    that lasts 144 / 0.03 = 4,800 minutes = 80 hours: 14 October 08:00.
    """
    from datetime import UTC, datetime

    utc = Period(2026, 10, "UTC")
    stamps = pd.date_range("2026-10-01T00:00Z", "2026-10-10T23:00Z", freq="h")
    week = stamps >= pd.Timestamp("2026-10-04T00:00Z")
    rows = pd.DataFrame(
        {"timestamp": stamps, "good": [97 if w else 100 for w in week], "total": 100}
    )
    now = datetime(2026, 10, 11, tzinfo=UTC)
    status = compute_service(SHOP, Objective(0.99), rows, utc, Policy(), now=now)
    assert int(week.sum()) == 168
    assert status.bad == 504
    assert status.projected_exhaustion == "2026-10-14T08:00:00+00:00"
    closed = compute_service(SHOP, Objective(0.99), rows, utc, Policy(), now=None)
    assert closed.projected_exhaustion is None  # a closed month has no projection


def test_last_complete_month_in_the_config_zone() -> None:
    from datetime import UTC, datetime

    # 1 November 00:30 in Auckland is still 31 October in UTC
    now = datetime(2026, 10, 31, 11, 30, tzinfo=UTC)
    assert Period.last_complete(now, "Pacific/Auckland").label == "2026-10"
    assert Period.last_complete(now, "UTC").label == "2026-09"
    assert Period.last_complete(datetime(2027, 1, 5, tzinfo=UTC)).label == "2026-12"
