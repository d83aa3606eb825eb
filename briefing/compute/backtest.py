"""Compute stage: the risk register's forecast held against what the metrics recorded.

Per service with registered risks: its failed requests over the twelve months
up to the period's end, as minutes of full outage a year (annualised from the
data available: failed / all requests x 525,960), where that falls in the
Monte Carlo distribution of its risks' yearly minutes (`observed_percentile`,
0..100), and whether it lies above the forecast's p90
(`register_underestimates`).
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from briefing.compute.montecarlo import MINUTES_PER_YEAR
from briefing.model import Period

HISTORY_MONTHS = 12


def observed_minutes_per_year(rows: pd.DataFrame, period: Period) -> float | None:
    """Minutes of full outage a year at the pace of the last twelve months' data (None: no data)."""
    end = period.end_utc
    start = pd.Timestamp(period.end - pd.DateOffset(months=HISTORY_MONTHS)).tz_convert("UTC")
    stamps = rows["timestamp"]
    inside = rows[(stamps >= start) & (stamps < end)]
    total = int(inside["total"].sum())
    if total <= 0:
        return None
    bad = total - int(inside["good"].sum())
    return bad / total * MINUTES_PER_YEAR


def observed_rank(observed: float, forecast: np.ndarray) -> tuple[float, bool]:
    """(percentile of `observed` among the forecast's trials, 0..100; above its p90)."""
    below = np.count_nonzero(forecast < observed) + 0.5 * np.count_nonzero(forecast == observed)
    percentile = 100.0 * float(below) / forecast.size
    return percentile, bool(observed > float(np.quantile(forecast, 0.90)))


def observed_by_service(
    rows: Mapping[str, pd.DataFrame], period: Period
) -> dict[str, float | None]:
    return {service: observed_minutes_per_year(frame, period) for service, frame in rows.items()}
