"""Compute stage: the terms of the headline's decision (numbers and dates, no words).

- `issued`: the `policy.issue_working_day`-th working day (Monday to Friday)
  from the day after the period, unless the build names a date.
- `until`: for a paused release (an exhausted allowance), the first day at the
  end of which the service's last N days (N = the period's days) are back
  within the allowance, the days after the period running at the service's
  normal pace (the period's median day); when that pace never gets there
  within the next period, the next period's last day. Other decisions are
  reviewed at the end of the next period.
- `due`: a working day. Noting a decision already in force: two working days
  after the issue (not after `until`); approving a new spend:
  `policy.decision_due_days` after the issue.
- `cause`: the service's incidents, largest share of its allowance first, until
  they explain at least half of what it used, and the registered risk they name.
- `cost_of_inaction`: the expected loss over the next period if nothing
  changes: the larger of the current pace and the register's forecast.
- `cost_of_action`: a day of paused releases (`policy.cost_of_freeze_per_day`)
  times the days until `until`.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

import numpy as np
import pandas as pd

from briefing.compute.montecarlo import MINUTES_PER_YEAR
from briefing.compute.slo import allowance_of, period_rows
from briefing.model import (
    Amount,
    Cause,
    IncidentItem,
    Period,
    RiskItem,
    ServiceStatus,
)

NOTE_WORKING_DAYS = 2  # a decision to note: objections within two working days
MINUTES_PER_DAY = 1440.0


def working_day(day: date) -> date:
    """`day`, or the Monday after it when it falls on a weekend."""
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


def add_working_days(day: date, count: int) -> date:
    day = working_day(day)
    for _ in range(count):
        day = working_day(day + timedelta(days=1))
    return day


def last_working_day(day: date) -> date:
    """`day`, or the Friday before it when it falls on a weekend."""
    while day.weekday() >= 5:
        day -= timedelta(days=1)
    return day


def issue_date(period: Period, nth_working_day: int) -> date:
    """The `nth_working_day`-th working day from the day after the period (1: the first)."""
    return add_working_days(period.end.date(), max(1, nth_working_day) - 1)


def due_date(issued: date, *, note: bool, due_days: int, until: date | None) -> date:
    """The working day the reader answers by."""
    if not note:
        return working_day(issued + timedelta(days=due_days))
    due = add_working_days(issued, NOTE_WORKING_DAYS)
    if until is not None and until < due:
        due = max(issued, last_working_day(until))
    return due


def back_within(rows: pd.DataFrame, objective: float, period: Period) -> date | None:
    """The first day after the period at whose end the last N days are within the allowance.

    `rows` are the service's counted rows (buckets or slices); N is the number of
    days in the period. Days after the period run at the period's median day.
    None when that does not happen within the next period.
    """
    inside = period_rows(rows, period)
    if inside.empty:
        return None
    local = inside["timestamp"].dt.tz_convert(period.timezone).dt.date
    daily = inside.groupby(local.to_numpy())[["good", "total"]].sum()
    days = period_days(period)
    daily = daily.reindex(days, fill_value=0)
    bad = (daily["total"] - daily["good"]).to_numpy(dtype=float)
    total = daily["total"].to_numpy(dtype=float)
    seen = total > 0
    pace_bad, pace_total = float(np.median(bad[seen])), float(np.median(total[seen]))
    ahead = period_days(period.next())
    allowance = allowance_of(objective)
    bad = np.concatenate((bad, np.full(len(ahead), pace_bad)))
    total = np.concatenate((total, np.full(len(ahead), pace_total)))
    width = len(days)
    for k, day in enumerate(ahead, start=1):
        window = slice(k, k + width)
        if bad[window].sum() <= allowance * total[window].sum():
            return day
    return None


def period_days(period: Period) -> list[date]:
    first, end = period.start.date(), period.end.date()
    return [first + timedelta(days=i) for i in range((end - first).days)]


def cause_of(
    service: ServiceStatus, items: Sequence[IncidentItem], register: Sequence[RiskItem]
) -> Cause:
    """The service's incidents, largest share first, until they explain half of its use."""
    used = service.budget_consumed or 0.0
    ranked = sorted(
        (i for i in items if i.service == service.id and i.budget_share),
        key=lambda i: (-(i.budget_share or 0.0), i.started_at, i.id),
    )
    chosen: list[IncidentItem] = []
    share = 0.0
    for item in ranked:
        if share >= used / 2:
            break
        chosen.append(item)
        share += item.budget_share or 0.0
    return Cause(
        incidents=tuple(i.id for i in chosen),
        budget_share=share,
        risk=matched_risk(chosen, register),
    )


def matched_risk(items: Sequence[IncidentItem], register: Sequence[RiskItem]) -> str | None:
    """The first registered risk the incidents name (they are in order of weight)."""
    known = {r.id for r in register}
    return next((i.risk for i in items if i.risk in known), None)


def next_period_share(period: Period) -> float:
    """The next period's minutes over this period's: scales a period's pace to the next."""
    return period.next().minutes / period.minutes


def cost_of_inaction(pace_cost: float, forecast_annual_cost: float, period: Period) -> Amount:
    """The expected loss over the next period: the current pace or the forecast, the larger."""
    following = period.next()
    pace = pace_cost * next_period_share(period)
    forecast = forecast_annual_cost * following.minutes / MINUTES_PER_YEAR
    days = following.minutes / MINUTES_PER_DAY
    if forecast > pace:
        return Amount(amount=forecast, basis="", kind="forecast", days=days, compared=pace)
    return Amount(amount=pace, basis="", kind="current_pace", days=days, compared=forecast)


def cost_of_freeze(per_day: float | None, period: Period, until: date | None) -> Amount | None:
    """Days of paused releases from the day after the period to `until`, at the policy's rate."""
    if per_day is None or until is None:
        return None
    days = (until - period.end.date()).days + 1
    if days <= 0:
        return None
    return Amount(amount=per_day * days, basis="", kind="freeze_days", days=float(days))


def under_the_line(risk: RiskItem, threshold: float) -> float:
    """The yearly cost removed by bringing a risk back to `threshold` of its allowance."""
    if risk.budget_fraction <= 0:
        return 0.0
    return risk.annual_cost * (1.0 - min(1.0, threshold / risk.budget_fraction))
