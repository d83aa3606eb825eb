"""Compute stage: a service's failed requests, split between its incidents and the rest.

Every bucket of the period whose time overlaps an incident's window [started_at,
resolved_at) goes to the covering incident with the highest impact (ties: the
earlier start, then the first listed); the rest are failures with no incident
record. So the incidents' shares of a service's allowance never add up to more
than the service used, and in money

    incident_cost + unattributed_cost = downtime_cost

to the cent: the parts are rounded to cents so that they add up to the rounded
whole (largest remainder). A day whose unattributed failures amount to at least
`policy.unrecorded_minutes` minutes of full outage is listed as an unrecorded
failure.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta

import numpy as np
import pandas as pd

from briefing.model import Period, ServiceStatus, UnrecordedFailure

NO_INCIDENT = -1


@dataclass(frozen=True, slots=True)
class Window:
    """One incident's window inside the period (UTC) and the share of users it affected."""

    index: int  # position in the caller's list: the last tie-break
    start: pd.Timestamp
    end: pd.Timestamp
    impact: float


@dataclass(frozen=True)
class Split:
    """The period's buckets of one service, each assigned to an incident or to none."""

    stamps: np.ndarray  # bucket starts (UTC, datetime64[ns])
    bad: np.ndarray  # failed requests per bucket
    owner: np.ndarray  # window index per bucket, or NO_INCIDENT
    bad_by_window: dict[int, int]  # the partition: each bucket counted once
    bad_inside: dict[int, int]  # every bucket overlapping the window (for no_bad_events)
    buckets_inside: dict[int, int]  # buckets with data overlapping the window

    @property
    def unattributed_bad(self) -> int:
        return int(self.bad[self.owner == NO_INCIDENT].sum())


def split(rows: pd.DataFrame, step: pd.Timedelta, windows: Sequence[Window]) -> Split:
    """Assign each of the period's buckets (`rows`: timestamp, good, total) to a window or none."""
    ordered = rows
    if not rows["timestamp"].is_monotonic_increasing:
        ordered = rows.sort_values("timestamp", kind="stable")
    stamps = ordered["timestamp"].dt.tz_convert(None).to_numpy().astype("datetime64[ns]")
    bad = (ordered["total"] - ordered["good"]).to_numpy(dtype=np.int64)
    owner = np.full(len(stamps), NO_INCIDENT, dtype=np.int64)
    bad_by_window: dict[int, int] = {}
    bad_inside: dict[int, int] = {}
    buckets_inside: dict[int, int] = {}
    running = np.concatenate(([0], np.cumsum(bad)))  # bad in buckets [low, high): a difference
    # highest impact first, then the earlier start, then the caller's order
    ranked = sorted(windows, key=lambda w: (-w.impact, w.start, w.index))
    starts = np.array([w.start.value for w in ranked], dtype=np.int64)
    ends = np.array([w.end.value for w in ranked], dtype=np.int64)
    # buckets [t, t + step) overlapping [start, end): t > start - step and t < end,
    # all windows' edges found at once by binary search
    times = stamps.view(np.int64)
    lows = np.searchsorted(times, starts - step.value, side="right")
    highs = np.searchsorted(times, ends, side="left")
    lows = np.where(ends <= starts, highs, lows)  # a window of no length holds no bucket
    for window, low, high in zip(ranked, lows.tolist(), highs.tolist(), strict=True):
        inside = slice(low, high)
        bad_inside[window.index] = int(running[max(low, high)] - running[low])
        buckets_inside[window.index] = max(0, high - low)
        free = owner[inside] == NO_INCIDENT
        owner[inside][free] = window.index
        bad_by_window[window.index] = int(bad[inside][free].sum())
    return Split(stamps, bad, owner, bad_by_window, bad_inside, buckets_inside)


def cents(amount: float) -> int:
    return int(round(amount * 100))


def split_cents(total: float, parts: Sequence[float]) -> list[int]:
    """`parts` in whole cents adding up to `total` in cents (largest remainder)."""
    target = cents(total)
    floors = [math.floor(part * 100) for part in parts]
    short = target - sum(floors)
    order = sorted(
        range(len(parts)), key=lambda i: (-(parts[i] * 100 - floors[i]), i)
    )  # largest remainder first
    result = list(floors)
    for i in order[: max(0, min(short, len(parts)))]:
        result[i] += 1
    return result


def unrecorded_failures(
    service: ServiceStatus,
    parts: Split,
    period: Period,
    cost_per_minute: float,
    threshold_minutes: float,
) -> tuple[UnrecordedFailure, ...]:
    """Days whose failures outside every incident add up to `threshold_minutes` or more."""
    if service.total <= 0 or not len(parts.stamps):
        return ()
    free = parts.owner == NO_INCIDENT
    if not free.any():
        return ()
    # the local days' edges in UTC; each bucket goes to the day its start falls in
    edges = [period.start_utc.value] + [pd.Timestamp(end).value for end in period.day_ends()]
    bounds = np.array(edges, dtype=np.int64)
    days = np.searchsorted(bounds, parts.stamps[free].view(np.int64), side="right") - 1
    inside = (days >= 0) & (days < len(bounds) - 1)
    by_day = np.bincount(
        days[inside], weights=parts.bad[free][inside], minlength=len(bounds) - 1
    ).astype(np.int64)
    found = []
    for index in np.flatnonzero(by_day > 0).tolist():
        day, bad = period.first_day + timedelta(days=index), int(by_day[index])
        minutes = float(bad) / service.total * period.minutes
        if bad > 0 and minutes >= threshold_minutes:
            found.append(
                UnrecordedFailure(
                    service=service.id,
                    day=str(day),
                    equivalent_outage_minutes=minutes,
                    cost=minutes * cost_per_minute,
                )
            )
    return tuple(found)
