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
    ordered = rows.sort_values("timestamp", kind="stable")
    stamps = ordered["timestamp"].dt.tz_convert(None).to_numpy().astype("datetime64[ns]")
    bad = (ordered["total"] - ordered["good"]).to_numpy(dtype=np.int64)
    owner = np.full(len(stamps), NO_INCIDENT, dtype=np.int64)
    bad_by_window: dict[int, int] = {}
    bad_inside: dict[int, int] = {}
    buckets_inside: dict[int, int] = {}
    step_ns = np.timedelta64(step.value, "ns")
    # highest impact first, then the earlier start, then the caller's order
    for window in sorted(windows, key=lambda w: (-w.impact, w.start, w.index)):
        start = np.datetime64(window.start.tz_convert(None).value, "ns")
        end = np.datetime64(window.end.tz_convert(None).value, "ns")
        # buckets [t, t + step) overlapping [start, end): t > start - step and t < end
        low = int(np.searchsorted(stamps, start - step_ns, side="right"))
        high = int(np.searchsorted(stamps, end, side="left"))
        if end <= start:
            low = high  # a window of no length holds no bucket
        inside = slice(low, high)
        bad_inside[window.index] = int(bad[inside].sum())
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
    local = pd.DatetimeIndex(parts.stamps[free]).tz_localize("UTC").tz_convert(period.timezone)
    # local midnights as keys: grouping by datetime64 is fast, by `date` objects is not
    by_day = pd.Series(parts.bad[free]).groupby(local.normalize()).sum()
    found = []
    for midnight, bad in zip(by_day.index, by_day.to_numpy(), strict=True):
        day = midnight.date()
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
