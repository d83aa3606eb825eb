"""Compute stage: how much of the period a service's metrics cover (the trust gate).

A bucket is the metrics' own step (the typical distance between two timestamps
of the service). `coverage` is the share of the period's buckets that hold a
row; a stretch of more than `GAP_MINUTES` without one is a gap. Under
`policy.min_coverage` the service's figures are partial: they are marked, and
they cannot be the headline unless the build allows it.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from briefing.model import Gap, Period

MINUTE = pd.Timedelta(minutes=1)
GAP_MINUTES = 60.0  # a stretch without data longer than this is listed


def distinct_ns(stamps: pd.Series) -> np.ndarray:
    """The distinct timestamps as sorted int64 nanoseconds (UTC); no sort when already sorted."""
    values = stamps.to_numpy(dtype="datetime64[ns]").view(np.int64)
    if len(values) > 1 and not bool(np.all(values[1:] >= values[:-1])):
        values = np.sort(values)
    if len(values) > 1:
        values = values[np.concatenate(([True], values[1:] != values[:-1]))]
    return values


def bucket_step(stamps: pd.Series) -> pd.Timedelta:
    """The metrics' step: the median distance between distinct timestamps (1 minute if unknown)."""
    if len(stamps) < 2:
        return MINUTE
    diffs = np.diff(distinct_ns(stamps))
    return pd.Timedelta(int(np.median(diffs)), unit="ns") if len(diffs) else MINUTE


def coverage(
    stamps: pd.Series, step: pd.Timedelta, period: Period
) -> tuple[float, tuple[Gap, ...]]:
    """Share of the period's buckets with a row, and the stretches over an hour without one.

    `stamps` are the bucket starts of the service's rows (any period); a bucket
    covers [stamp, stamp + step).
    """
    start, end = period.start_utc, period.end_utc
    inside = stamps[(stamps >= start) & (stamps < end)]
    ns = distinct_ns(inside)
    expected = (end - start) / step
    share = min(1.0, len(ns) / expected) if expected > 0 else 0.0
    # each bucket's end, and the start of the next one (the period's edges close the ends)
    step_ns, limit = step.value, int(GAP_MINUTES * 60e9)
    lefts = np.concatenate(([start.value], ns + step_ns))
    rights = np.concatenate((ns, [end.value]))
    lefts = np.maximum.accumulate(lefts)  # a bucket longer than the step never reopens a gap
    found = np.flatnonzero(rights - lefts > limit)
    gaps = tuple(
        _gap(pd.Timestamp(int(lefts[i]), tz="UTC"), pd.Timestamp(int(rights[i]), tz="UTC"), period)
        for i in found
    )
    return share, gaps


def _gap(start: pd.Timestamp, end: pd.Timestamp, period: Period) -> Gap:
    return Gap(
        start=start.tz_convert(period.timezone).isoformat(),
        end=end.tz_convert(period.timezone).isoformat(),
    )
