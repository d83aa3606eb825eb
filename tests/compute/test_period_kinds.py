"""Compute over periods other than a month: projection of a running quarter, a week's burn-down."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pandas as pd
import pytest

from briefing.compute.slo import Objective, compute_service
from briefing.config import Policy, ServiceConfig
from briefing.errors import Location
from briefing.model import Period

SHOP = ServiceConfig("shop", "Web shop", 0.99, 6000.0, "Head of Shop", Location(Path("b.yaml")))


def test_projected_exhaustion_of_a_running_quarter() -> None:
    """Q4 2026 in UTC (92 days = 132,480 minutes), seen on 11 October 00:00 (14,400 minutes in).

    100 requests an hour since 1 October; 3 of them fail in each of the last 168 hours:
    504 bad of 24,000. Spent: 504 / 24,000 x 14,400 = 302.4 minutes of the quarter's
    0.01 x 132,480 = 1,324.8; 1,022.4 left, at the week's 3% failure rate that lasts
    1,022.4 / 0.03 = 34,080 minutes = 23 days 16 hours: 3 November 16:00.
    """
    quarter = Period.parse("2026-Q4")
    stamps = pd.date_range("2026-10-01T00:00Z", "2026-10-10T23:00Z", freq="h")
    week = stamps >= pd.Timestamp("2026-10-04T00:00Z")
    rows = pd.DataFrame(
        {"timestamp": stamps, "good": [97 if w else 100 for w in week], "total": 100}
    )
    now = datetime(2026, 10, 11, tzinfo=UTC)
    status = compute_service(SHOP, Objective(0.99), rows, quarter, Policy(), now=now)
    assert status.bad == 504
    assert status.budget_minutes == pytest.approx(1_324.8)
    assert status.projected_exhaustion == "2026-11-03T16:00:00+00:00"
    # the same rows as a month: 446.4 allowed, 144 left -> 4,800 minutes -> 14 October 08:00
    month = compute_service(SHOP, Objective(0.99), rows, Period(2026, 10), Policy(), now=now)
    assert month.projected_exhaustion == "2026-10-14T08:00:00+00:00"


def test_a_leap_year_burns_down_in_seven_day_steps() -> None:
    """2024 has 366 days: 52 seven-day steps and a last point at the end of the year."""
    year = Period.parse("2024")
    stamps = pd.date_range("2024-01-01T00:00Z", "2024-12-31T23:00Z", freq="h")
    bad = {pd.Timestamp("2024-01-07T23:00Z"): 10, pd.Timestamp("2024-12-31T23:00Z"): 20}
    rows = pd.DataFrame(
        {"timestamp": stamps, "good": [100 - bad.get(t, 0) for t in stamps], "total": 100}
    )
    status = compute_service(SHOP, Objective(0.99), rows, year, Policy())
    # 8,784 hours x 100 requests; 1% allowed = 8,784
    assert status.budget_events == pytest.approx(8_784.0)
    assert len(status.burn) == 53
    # the first point ends 7 January: its last bucket (23:00) is in
    assert status.burn[0].at == "2024-01-08T00:00:00+00:00"
    assert status.burn[0].budget_remaining == pytest.approx(1 - 10 / 8_784)
    assert status.burn[-2].at == "2024-12-30T00:00:00+00:00"
    assert status.burn[-2].budget_remaining == pytest.approx(1 - 10 / 8_784)
    assert status.burn[-1].at == "2025-01-01T00:00:00+00:00"
    assert status.burn[-1].budget_remaining == pytest.approx(1 - 30 / 8_784)
