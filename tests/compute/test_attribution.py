"""Failed requests split between incidents and the rest: hand-worked buckets.

October 2026 in UTC: 31 x 1,440 = 44,640 minutes. Service "pay" costs 6,000 an hour
= 100 a minute and aims at 99%.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from briefing.compute import reconcile
from briefing.compute.attribution import split_cents, unrecorded_failures
from briefing.compute.incidents import (
    compute_incidents,
    current_incidents,
    service_splits,
    windows,
)
from briefing.compute.slo import Objective, compute_service
from briefing.config import Policy, ServiceConfig
from briefing.errors import Location
from briefing.ingest.tables import conform
from briefing.model import Period

UTC_OCTOBER = Period(2026, 10, "UTC")
HERE = Location(Path("briefing.yaml"))
PAY = ServiceConfig("pay", "Payments", 0.99, 6000.0, "Head of Pay", HERE)


def buckets(service: str, start: str, bad: list[int], *, step: str = "10min") -> pd.DataFrame:
    stamps = pd.date_range(start, periods=len(bad), freq=step, tz="UTC")
    return pd.DataFrame(
        {"service": service, "timestamp": stamps, "good": [1000 - b for b in bad], "total": 1000}
    )


def incident(iid: str, start: str, end: str, impact: float, risk: str | None = None) -> dict:
    return {
        "id": iid,
        "service": "pay",
        "title": iid,
        "severity": "SEV2",
        "started_at": pd.Timestamp(start),
        "detected_at": pd.Timestamp(start),
        "resolved_at": pd.Timestamp(end),
        "impact": impact,
        "risk": risk,
    }


# six 10-minute buckets on 10 October from 00:00Z, 1,000 requests each
SLI = buckets("pay", "2026-10-10T00:00Z", [0, 50, 30, 20, 0, 10])
INCIDENTS = conform(
    pd.DataFrame(
        [
            # X covers the buckets of 00:10, 00:20 and 00:30
            incident("X", "2026-10-10T00:10Z", "2026-10-10T00:40Z", 0.5),
            # Y (higher impact) overlaps X from 00:25: it covers 00:20, 00:30 and 00:40
            incident("Y", "2026-10-10T00:25Z", "2026-10-10T00:50Z", 0.8, "R2"),
            # Z inside Y, over the 00:40 bucket, which holds no failed request
            incident("Z", "2026-10-10T00:40Z", "2026-10-10T00:45Z", 0.1),
        ]
    ),
    "incidents",
)


def test_each_bucket_goes_to_the_covering_incident_with_the_highest_impact() -> None:
    status = compute_service(PAY, Objective(0.99), SLI, UTC_OCTOBER, Policy())
    # 6,000 requests, 110 failed; 1% allowed = 60: used 110 / 60
    assert (status.total, status.bad, status.budget_events) == (6000, 110, pytest.approx(60.0))
    summary = compute_incidents(INCIDENTS, SLI, {"pay": status}, [PAY], UTC_OCTOBER, Policy())
    items = {i.id: i for i in summary.items}
    # Y takes 00:20 (30), 00:30 (20) and 00:40 (0) = 50; X keeps 00:10 (50); Z nothing
    assert items["Y"].budget_share == pytest.approx(50 / 60)
    assert items["X"].budget_share == pytest.approx(50 / 60)
    assert items["Z"].budget_share == pytest.approx(0.0)
    # the shares add up to 100 / 60, never more than the 110 / 60 the service used (counting
    # every overlapping bucket for each incident would give X 100 / 60 and 150 / 60 in all)
    shares = sum(i.budget_share or 0.0 for i in summary.items)
    assert shares == pytest.approx(100 / 60)
    assert shares <= status.budget_consumed
    # money: 110 / 6,000 x 44,640 minutes x 100 a minute = 81,840.00 for the service;
    # X and Y each 50 / 6,000 x 44,640 x 100 = 37,200.00; the unattributed 10 = 7,440.00
    assert status.downtime_cost == pytest.approx(81_840.0)
    assert (items["X"].measured_cost, items["Y"].measured_cost) == (37_200.0, 37_200.0)
    assert items["Z"].measured_cost == 0.0
    (service,) = reconcile([status], summary.items, _splits(status))
    assert (service.incident_cost, service.unattributed_cost) == (74_400.0, 7_440.0)
    assert service.incident_cost + service.unattributed_cost == pytest.approx(81_840.0, abs=0.005)
    # Z's window holds a bucket, and it has no failed request
    assert items["Z"].no_bad_events
    assert not items["X"].no_bad_events
    assert items["Y"].risk == "R2"
    assert items["X"].risk is None
    # the declared cost still counts each minute once: X 00:10-00:25 (Y wins from 00:25):
    # 15 min x 0.5 x 100 = 750; Y 25 min x 0.8 x 100 = 2,000; Z inside Y: 0
    assert (items["X"].cost, items["Y"].cost, items["Z"].cost) == pytest.approx((750, 2000, 0))


def _splits(status):  # type: ignore[no-untyped-def]
    records = current_incidents(INCIDENTS, UTC_OCTOBER)
    rows = {"pay": SLI[["timestamp", "good", "total"]]}
    return service_splits(
        records, windows(records, UTC_OCTOBER), rows, {"pay": status}, UTC_OCTOBER
    )


def test_cents_add_up_to_the_whole() -> None:
    # thirds of 100.00: 33.33 + 33.33 + 33.34 (the largest remainder takes the last cent)
    # thirds of 100.00: floors 33.33 x 3 = 99.99; the missing cent goes to the largest
    # remainder, the first on a tie: 33.34 + 33.33 + 33.33 = 100.00
    assert split_cents(100.0, [100 / 3] * 3) == [3334, 3333, 3333]
    # 0.005 + 0.005 = 0.01: one part gets the cent, never both
    assert split_cents(0.01, [0.005, 0.005]) == [1, 0]


def test_unrecorded_failures_by_local_day() -> None:
    """Europe/Amsterdam October 2026: 44,700 minutes (the clocks go back on the 25th)."""
    amsterdam = Period(2026, 10, "Europe/Amsterdam")
    assert amsterdam.minutes == 44_700
    # one bucket of 1,000 requests an hour all month, 0 failed, but for a burst of 600 failed
    # requests at 23:00Z on 10 October (11 October, 01:00 in Amsterdam) and 30 on the 20th
    stamps = pd.date_range(amsterdam.start_utc, amsterdam.end_utc, freq="h", inclusive="left")
    bad = {pd.Timestamp("2026-10-10T23:00Z"): 600, pd.Timestamp("2026-10-20T12:00Z"): 30}
    sli = pd.DataFrame(
        {
            "service": "pay",
            "timestamp": stamps,
            "good": [1000 - bad.get(t, 0) for t in stamps],
            "total": 1000,
        }
    )
    status = compute_service(PAY, Objective(0.99), sli, amsterdam, Policy())
    assert status.total == 745_000  # 745 hours
    records = current_incidents(INCIDENTS.iloc[0:0], amsterdam)
    (parts,) = service_splits(
        records, [], {"pay": sli[["timestamp", "good", "total"]]}, {"pay": status}, amsterdam
    ).values()
    found = unrecorded_failures(status, parts, amsterdam, 100.0, 5.0)
    # 600 / 745,000 x 44,700 = 36 minutes on 11 October (local); 30 / 745,000 x 44,700 = 1.8
    # minutes on the 20th, under the 5-minute line
    assert [(f.day, f.equivalent_outage_minutes) for f in found] == [
        ("2026-10-11", pytest.approx(36.0))
    ]
    assert found[0].cost == pytest.approx(3600.0)  # 36 x 100


@settings(max_examples=40, deadline=None)
@given(
    bad=st.lists(st.integers(min_value=0, max_value=1000), min_size=1, max_size=24),
    spans=st.lists(
        st.tuples(
            st.integers(min_value=0, max_value=23),
            st.integers(min_value=0, max_value=90),
            st.floats(min_value=0, max_value=1),
        ),
        max_size=5,
    ),
)
def test_property_the_split_adds_up(bad: list[int], spans: list[tuple[int, int, float]]) -> None:
    """Whatever the buckets and overlaps: shares never add up past what the service used, and
    incident_cost + unattributed_cost = downtime_cost to the cent."""
    sli = buckets("pay", "2026-10-10T00:00Z", bad)
    start = pd.Timestamp("2026-10-10T00:00Z")
    table = conform(
        pd.DataFrame(
            [
                incident(
                    f"I{i}",
                    str(start + pd.Timedelta(minutes=10 * first)),
                    str(start + pd.Timedelta(minutes=10 * first + length)),
                    impact,
                )
                for i, (first, length, impact) in enumerate(spans)
            ],
            columns=list(incident("x", "2026-10-10T00:00Z", "2026-10-10T00:00Z", 0.0)),
        ),
        "incidents",
    )
    status = compute_service(PAY, Objective(0.99), sli, UTC_OCTOBER, Policy())
    summary = compute_incidents(table, sli, {"pay": status}, [PAY], UTC_OCTOBER, Policy())
    shares = sum(i.budget_share or 0.0 for i in summary.items)
    assert shares <= (status.budget_consumed or 0.0) + 1e-9
    records = current_incidents(table, UTC_OCTOBER)
    rows = {"pay": sli[["timestamp", "good", "total"]]}
    splits = service_splits(
        records, windows(records, UTC_OCTOBER), rows, {"pay": status}, UTC_OCTOBER
    )
    (service,) = reconcile([status], summary.items, splits)
    assert service.incident_cost is not None
    assert service.unattributed_cost is not None
    assert service.unattributed_cost >= 0
    inside = sum(round((i.measured_cost or 0.0) * 100) for i in summary.items)
    assert inside == round(service.incident_cost * 100)
    assert inside + round(service.unattributed_cost * 100) == round(
        (status.downtime_cost or 0.0) * 100
    )
