"""Compute stage: risk register entries calibrated from the incident history.

Per service (and per service and `category`, where the export has one):
- time to notice and time to fix: lognormal fits of the incidents' minutes
  (mu and sigma of their logarithms; the middle value exp(mu) and the 90%
  range exp(mu -/+ 1.645 sigma)), times under a minute counted as one minute;
- days between incidents: the history's length in days / the number of
  incidents, with the exact 90% range of a Poisson count;
- impact: the mean share of users affected.
Fewer than `FEW_INCIDENTS` incidents behind a fit earn a warning (a reason
with its counts; translate writes the register entries and the words).
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd

from briefing.config import ServiceConfig

FEW_INCIDENTS = 10
Z95 = 1.6448536269514722  # 5% and 95% points of the standard normal: a 90% range
MIN_MINUTES = 1.0  # exports keep whole minutes; a time under one counts as one


@dataclass(frozen=True, slots=True)
class FitWarning:
    """Why a fit should be read with care."""

    kind: Literal["few_incidents", "some_undetected", "none_detected"]
    count: int  # incidents behind the fit, or without a detection time
    threshold: int = FEW_INCIDENTS


@dataclass(frozen=True, slots=True)
class Fit:
    """One calibrated risk register entry and what stands behind it."""

    id: str
    service: str
    service_name: str  # the business name (translate titles the entry)
    category: str | None
    incidents: int  # behind days between incidents and impact
    timed: int  # with a detection time: behind time to notice and time to fix
    ettd_minutes: float | None
    ettd_minutes_90: tuple[float, float] | None
    ettr_minutes: float | None
    ettr_minutes_90: tuple[float, float] | None
    impact: float
    ettf_days: float
    ettf_days_90: tuple[float, float]
    warnings: tuple[FitWarning, ...] = ()


def fit_lognormal(values: np.ndarray) -> tuple[float, tuple[float, float] | None]:
    """Middle value and 90% range of a lognormal fitted to positive minutes (no range from one)."""
    logs = np.log(np.maximum(values.astype(float), MIN_MINUTES))
    mu = float(logs.mean())
    if logs.size < 2:
        return math.exp(mu), None
    sigma = float(logs.std(ddof=1))
    return math.exp(mu), (math.exp(mu - Z95 * sigma), math.exp(mu + Z95 * sigma))


def poisson_rate_range(count: int) -> tuple[float, float]:
    """Exact (Garwood) 90% range of a Poisson mean after seeing `count` events."""
    low = 0.0 if count == 0 else _gamma_quantile(count, 0.05)
    return low, _gamma_quantile(count + 1, 0.95)


def _gamma_quantile(shape: int, probability: float) -> float:
    """x with P(Gamma(shape, 1) <= x) = probability, by bisection (shape a whole number)."""

    def cdf(x: float) -> float:
        # P(Gamma(n) <= x) = P(Poisson(x) >= n) = 1 - sum_{k<n} e^-x x^k / k!
        terms = [math.exp(-x + k * math.log(x) - math.lgamma(k + 1)) for k in range(shape)]
        return 1.0 - math.fsum(terms)

    low, high = 0.0, shape + 10.0 * math.sqrt(shape) + 10.0
    for _ in range(200):
        middle = (low + high) / 2
        if cdf(middle) < probability:
            low = middle
        else:
            high = middle
        if high - low < 1e-12 * max(1.0, high):
            break
    return (low + high) / 2


def calibrate(incidents: pd.DataFrame, services: Sequence[ServiceConfig]) -> list[Fit]:
    """One entry per service with incidents, then one per service and category."""
    if incidents.empty:
        return []
    first = incidents["started_at"].min()
    last = incidents["resolved_at"].max()
    history_days = (last - first) / pd.Timedelta(days=1)
    names = {s.id: s.name for s in services}
    order = {s.id: i for i, s in enumerate(services)}
    fits: list[Fit] = []
    used: set[str] = set()
    for service in sorted(
        incidents["service"].unique(), key=lambda s: (order.get(s, len(order)), s)
    ):
        rows = incidents[incidents["service"] == service]
        name = names.get(service, service)
        fits.append(_fit(rows, service, None, f"{service}-history", name, history_days, used))
        categories = rows["category"].dropna()
        for category in sorted(categories.unique()):
            chosen = rows[rows["category"] == category]
            rid = f"{service}-{_slug(str(category))}"
            fits.append(_fit(chosen, service, str(category), rid, name, history_days, used))
    return [fit for fit in fits if fit is not None]


def _fit(
    rows: pd.DataFrame,
    service: str,
    category: str | None,
    rid: str,
    name: str,
    history_days: float,
    used: set[str],
) -> Fit:
    while rid in used:
        rid += "-2"
    used.add(rid)
    timed = rows[rows["detected_at"].notna()]
    ttd = (timed["detected_at"] - timed["started_at"]).dt.total_seconds().to_numpy(dtype=float) / 60
    ttr = (timed["resolved_at"] - timed["detected_at"]).dt.total_seconds().to_numpy(
        dtype=float
    ) / 60
    ettd, ettd_90 = fit_lognormal(ttd) if ttd.size else (None, None)
    ettr, ettr_90 = fit_lognormal(ttr) if ttr.size else (None, None)
    count = len(rows)
    days = max(history_days, 1.0)
    low, high = poisson_rate_range(count)
    warnings = []
    if count < FEW_INCIDENTS:
        warnings.append(FitWarning("few_incidents", count))
    if len(timed) < count:
        warnings.append(FitWarning("some_undetected", count - len(timed)))
    if ettd is None:
        warnings.append(FitWarning("none_detected", count))
    return Fit(
        id=rid,
        service=service,
        service_name=name,
        category=category,
        incidents=count,
        timed=len(timed),
        ettd_minutes=ettd,
        ettd_minutes_90=ettd_90,
        ettr_minutes=ettr,
        ettr_minutes_90=ettr_90,
        impact=float(rows["impact"].mean()),
        ettf_days=days / count,
        ettf_days_90=(days / high, days / low),
        warnings=tuple(warnings),
    )


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "other"
