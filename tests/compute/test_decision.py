"""The terms of the headline's decision: dates, cause and costs, worked out by hand.

October 2026 in UTC: 31 days = 44,640 minutes; November: 30 days = 43,200 minutes.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pandas as pd
import pytest

from briefing.compute import decision
from briefing.model import IncidentItem, Period, RiskItem, ServiceStatus

OCTOBER = Period(2026, 10, "UTC")


def daily(bad_by_day: dict[int, int], default: int) -> pd.DataFrame:
    """One bucket of 1,000 requests at noon on each day of October."""
    stamps = pd.date_range("2026-10-01T12:00Z", periods=31, freq="D")
    bad = [bad_by_day.get(day, default) for day in range(1, 32)]
    return pd.DataFrame({"timestamp": stamps, "good": [1000 - b for b in bad], "total": 1000})


def test_working_days_issue_and_due() -> None:
    # 1 November 2026 is a Sunday: issued Monday 2 November
    assert decision.issue_date(OCTOBER, 1) == date(2026, 11, 2)
    # September 2026 ends on a Wednesday: issued Thursday 1 October
    assert decision.issue_date(Period(2026, 9, "UTC"), 1) == date(2026, 10, 1)
    monday = date(2026, 11, 2)
    # a note: two working days later; an approval: 14 days, rolled to a working day
    assert decision.due_date(monday, note=True, due_days=14, until=None) == date(2026, 11, 4)
    assert decision.due_date(monday, note=False, due_days=13, until=None) == date(2026, 11, 16)
    # a note never falls after the decision ends: the last working day before a Sunday end
    friday = date(2026, 11, 6)
    assert decision.due_date(friday, note=True, due_days=14, until=date(2026, 11, 8)) == friday


def test_back_within_the_allowance_when_the_bad_day_leaves_the_window() -> None:
    """99%: 1% of 31,000 = 310 failed allowed over any 31 days of 1,000 requests a day.

    October: 5 failed a day, 300 on the 15th: 30 x 5 + 300 = 450 > 310. After October,
    the typical (median) day: 5 of 1,000. The 31 days ending on 14 November still hold
    15 October: 450; ending on 15 November: 16 October's 31 days of 5 = 155 <= 310.
    """
    rows = daily({15: 300}, 5)
    assert decision.back_within(rows, 0.99, OCTOBER) == date(2026, 11, 15)
    # 20 failed every day is over 1% at any pace: not back within during November
    assert decision.back_within(daily({}, 20), 0.99, OCTOBER) is None


def status(consumed: float) -> ServiceStatus:
    return ServiceStatus(
        id="pay",
        name="Payments",
        objective=0.99,
        good=0,
        total=1,
        bad=0,
        sli=None,
        budget_events=1.0,
        budget_consumed=consumed,
        budget_remaining=1 - consumed,
        budget_minutes=1.0,
        equivalent_outage_minutes=None,
        downtime_cost=None,
        exhausted_at=None,
        status="exhausted",
    )


def item(iid: str, share: float, risk: str | None = None) -> IncidentItem:
    return IncidentItem(
        id=iid,
        service="pay",
        title=iid,
        severity="SEV2",
        started_at=f"2026-10-{10 + len(iid):02d}T00:00:00+00:00",
        detected_at=None,
        resolved_at="2026-10-20T00:00:00+00:00",
        impact=0.5,
        duration_minutes=1.0,
        cost=0.0,
        budget_share=share,
        needs_postmortem=False,
        risk=risk,
    )


def register(rid: str) -> RiskItem:
    return RiskItem(rid, rid, "pay", 1, 1, 1, 1, 1, 1, 1, 0.5, True, 1000.0)


def test_cause_is_the_largest_shares_until_they_explain_half() -> None:
    # used 150%: half is 75%; A alone explains 90%
    cause = decision.cause_of(status(1.5), [item("B", 0.4), item("A", 0.9)], [register("R2")])
    assert (cause.incidents, cause.budget_share, cause.risk) == (("A",), 0.9, None)
    # 50% then 40%: 90% >= 75% after two; B names R2, which the register holds
    cause = decision.cause_of(
        status(1.5),
        [item("A", 0.5, "R9"), item("B", 0.4, "R2"), item("C", 0.3)],
        [register("R2")],
    )
    assert cause.incidents == ("A", "B")
    assert cause.budget_share == pytest.approx(0.9)
    assert cause.risk == "R2"  # R9 is not in the register


def test_cost_of_inaction_is_the_larger_of_pace_and_forecast() -> None:
    # pace: 31,000 in October's 44,640 minutes, for November's 43,200: 30,000
    pace = decision.cost_of_inaction(31_000.0, 300_000.0, OCTOBER)
    assert (pace.kind, pace.amount, pace.days) == ("current_pace", pytest.approx(30_000), 30.0)
    # forecast: 500,000 a year x 43,200 / 525,960 = 41,067.00 > 30,000
    forecast = decision.cost_of_inaction(31_000.0, 500_000.0, OCTOBER)
    assert forecast.kind == "forecast"
    assert forecast.amount == pytest.approx(500_000 * 43_200 / 525_960)


def test_cost_of_action_counts_the_days_of_the_pause() -> None:
    # 1 to 15 November: 15 days x 2,500
    cost = decision.cost_of_freeze(2500.0, OCTOBER, date(2026, 11, 15))
    assert cost is not None
    assert (cost.amount, cost.days, cost.kind) == (37_500.0, 15.0, "freeze_days")
    assert decision.cost_of_freeze(None, OCTOBER, date(2026, 11, 15)) is None


def test_under_the_line_reduction() -> None:
    # 1,000 a year at half the allowance; back to 25% removes half of it
    assert decision.under_the_line(register("R1"), 0.25) == pytest.approx(500.0)
    assert decision.under_the_line(replace(register("R1"), budget_fraction=0.1), 0.25) == 0.0
