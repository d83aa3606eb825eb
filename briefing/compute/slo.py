"""Compute stage: per-service reliability and error budget from the `sli` table.

Events-based (OpenSLO Occurrences) by default; Timeslices count good slices of
`slice_minutes` whose good/total ratio reaches the threshold, and the same
formulas then run over minutes.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, datetime

import numpy as np
import pandas as pd

from briefing.compute.coverage import bucket_step, coverage
from briefing.config import Policy, ServiceConfig
from briefing.model import BurnPoint, Period, PreviousService, ServiceStatus, SloDefinition


@dataclass(frozen=True, slots=True)
class Objective:
    """The objective a service is held to, wherever it was defined."""

    objective: float
    budgeting_method: str = "occurrences"
    slice_threshold: float | None = None
    slice_minutes: int | None = None


def objective_for(service: ServiceConfig, slo: SloDefinition | None) -> Objective | None:
    """briefing.yaml's objective wins for the number; OpenSLO supplies method and slices."""
    if slo is not None:
        return Objective(
            objective=service.objective if service.objective is not None else slo.objective,
            budgeting_method=slo.budgeting_method,
            slice_threshold=slo.slice_threshold,
            slice_minutes=slo.slice_minutes,
        )
    if service.objective is None:
        return None
    return Objective(service.objective)


def to_timeslices(rows: pd.DataFrame, slice_minutes: int, threshold: float) -> pd.DataFrame:
    """Buckets -> slices of `slice_minutes`: good = minutes of good slices, total = minutes of slices with data."""
    if rows.empty:
        return rows
    slices = rows.assign(slice=rows["timestamp"].dt.floor(f"{slice_minutes}min"))
    grouped = slices.groupby("slice", sort=True)[["good", "total"]].sum()
    grouped = grouped[grouped["total"] > 0]
    good_slice = (grouped["good"] / grouped["total"]) >= threshold
    return pd.DataFrame(
        {
            "timestamp": grouped.index,
            "good": np.where(good_slice, slice_minutes, 0).astype("int64"),
            "total": np.full(len(grouped), slice_minutes, dtype="int64"),
        }
    )


def period_rows(rows: pd.DataFrame, period: Period) -> pd.DataFrame:
    stamps = rows["timestamp"]
    return rows[(stamps >= period.start_utc) & (stamps < period.end_utc)]


def service_rows(sli: pd.DataFrame, objective: Objective) -> pd.DataFrame:
    """The rows the service's figures are counted from: buckets, or slices for Timeslices."""
    rows = sli[["timestamp", "good", "total"]].sort_values("timestamp", kind="stable")
    if objective.budgeting_method == "timeslices" and objective.slice_minutes:
        rows = to_timeslices(rows, objective.slice_minutes, objective.slice_threshold or 1.0)
    return rows


def compute_service(
    service: ServiceConfig,
    objective: Objective,
    sli: pd.DataFrame,
    period: Period,
    policy: Policy,
    *,
    now: datetime | None = None,
) -> ServiceStatus:
    """The service's figures for the period, plus the previous period for trends.

    `sli` holds this service's rows only (any period).
    """
    rows = service_rows(sli, objective)
    current = _figures(rows, objective.objective, period, service, policy, now=now)
    share, gaps = coverage(sli["timestamp"], bucket_step(sli["timestamp"]), period)
    spare = current.budget_remaining is not None and (
        current.status == "healthy" and current.budget_remaining >= policy.spare_allowance
    )
    prev_rows = period_rows(rows, period.previous())
    previous = None
    if int(prev_rows["total"].sum()) > 0:
        before = _figures(rows, objective.objective, period.previous(), service, policy, now=None)
        previous = PreviousService(
            sli=before.sli,
            budget_remaining=before.budget_remaining,
            equivalent_outage_minutes=before.equivalent_outage_minutes,
            downtime_cost=before.downtime_cost,
            total=int(period_rows(sli, period.previous())["total"].sum()),  # events, not slices
        )
    return replace(
        current,
        previous=previous,
        budgeting_method=objective.budgeting_method,
        coverage=share,
        gaps=gaps,
        complete=share >= policy.min_coverage,
        room_to_release=spare,
    )


def _figures(
    rows: pd.DataFrame,
    objective: float,
    period: Period,
    service: ServiceConfig,
    policy: Policy,
    *,
    now: datetime | None,
) -> ServiceStatus:
    inside = period_rows(rows, period)
    good = int(inside["good"].sum())
    total = int(inside["total"].sum())
    bad = total - good
    allowance = allowance_of(objective)
    budget_minutes = allowance * period.minutes
    if total == 0:
        return ServiceStatus(
            id=service.id,
            name=service.name,
            objective=objective,
            good=0,
            total=0,
            bad=0,
            sli=None,
            budget_events=0.0,
            budget_consumed=None,
            budget_remaining=None,
            budget_minutes=budget_minutes,
            equivalent_outage_minutes=None,
            downtime_cost=None,
            exhausted_at=None,
            status="no_data",
            owner=service.owner,
        )
    sli_value = good / total
    budget_events = allowance * total
    consumed = bad / budget_events
    remaining = 1.0 - consumed
    outage_minutes = bad / total * period.minutes
    cumulative = (inside["total"] - inside["good"]).cumsum().to_numpy()
    hits = np.flatnonzero(cumulative >= budget_events) if bad > 0 else np.array([], dtype=np.int64)
    exhausted_at = iso(inside["timestamp"].iloc[int(hits[0])], period) if len(hits) else None
    if remaining < 0:
        status = "exhausted"
    elif remaining < policy.at_risk_below:
        status = "at_risk"
    else:
        status = "healthy"
    return ServiceStatus(
        id=service.id,
        name=service.name,
        objective=objective,
        good=good,
        total=total,
        bad=bad,
        sli=sli_value,
        budget_events=budget_events,
        budget_consumed=consumed,
        budget_remaining=remaining,
        budget_minutes=budget_minutes,
        equivalent_outage_minutes=outage_minutes,
        downtime_cost=outage_minutes * service.cost_per_minute,
        exhausted_at=exhausted_at,
        status=status,
        owner=service.owner,
        projected_exhaustion=_projection(
            inside, objective, period, now, outage_minutes, budget_minutes
        ),
        burn=_burn(inside, budget_events, period),
    )


def _burn(inside: pd.DataFrame, budget_events: float, period: Period) -> tuple[BurnPoint, ...]:
    """Budget remaining at the end of each local day of the period (ISO time of that end).

    A year has a point every seventh day from 1 January and one at its end (53 points
    rather than 365); weeks, months and quarters have one point a day.
    """
    if inside.empty or budget_events <= 0:
        return ()
    ends = period.day_ends()
    if period.kind == "year":
        ends = ends[6::7] + ([ends[-1]] if len(ends) % 7 else [])
    # rows are sorted by time: bad events before each local midnight, by binary search
    bad_so_far = np.concatenate(([0], (inside["total"] - inside["good"]).cumsum().to_numpy()))
    stamps = pd.DatetimeIndex(inside["timestamp"])
    cut = stamps.searchsorted(pd.DatetimeIndex([end.astimezone(UTC) for end in ends]))
    remaining = 1.0 - bad_so_far[cut] / budget_events
    return tuple(
        BurnPoint(at=end.isoformat(), budget_remaining=float(value))
        for end, value in zip(ends, remaining, strict=True)
    )


def _projection(
    inside: pd.DataFrame,
    objective: float,
    period: Period,
    now: datetime | None,
    outage_minutes_so_far: float,
    budget_minutes: float,
) -> str | None:
    """For a running period: when the budget runs out at the trailing 7-day error ratio."""
    if now is None:
        return None
    now_ts = pd.Timestamp(now).tz_convert("UTC")
    if not (period.start_utc <= now_ts < period.end_utc):
        return None
    elapsed = (now_ts - period.start_utc).total_seconds() / 60.0
    week = inside[inside["timestamp"] >= now_ts - pd.Timedelta(days=7)]
    week_total = int(week["total"].sum())
    if week_total == 0 or elapsed <= 0:
        return None
    total = int(inside["total"].sum())
    bad = total - int(inside["good"].sum())
    spent_minutes = bad / total * elapsed  # outage-equivalent minutes so far
    ratio = (week_total - int(week["good"].sum())) / week_total
    left = budget_minutes - spent_minutes
    if left <= 0:
        return None  # already exhausted: exhausted_at says when
    if ratio <= 0:
        return None
    at = now_ts + pd.Timedelta(minutes=left / ratio)
    return iso(at, period) if at < period.end_utc else None


def allowance_of(objective: float) -> float:
    """1 - objective without binary noise: 1 - 0.99 is 0.010000000000000009 in floats,
    which would make a budget spent exactly look unspent."""
    return round(1.0 - objective, 12)


def iso(stamp: pd.Timestamp | datetime, period: Period) -> str:
    """ISO 8601 with the offset of the config's time zone."""
    return pd.Timestamp(stamp).tz_convert(period.timezone).isoformat()
