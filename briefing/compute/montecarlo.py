"""Compute stage: the Monte Carlo behind the risk ranges (seeded, vectorised over trials).

A trial is one possible year. Where the register gives a 90% range for a
figure, the trial draws it from a lognormal with mu = (ln lo + ln hi) / 2 and
sigma = (ln hi - ln lo) / 3.29 (a 90% range spans 2 x 1.645 standard
deviations), kept within the register's bounds (`briefing.ingest.risks.BOUNDS`);
a figure without a range keeps its value. The number of times a
risk happens that year is Poisson with mean 365.25 / ettf_days. Each risk draws
from its own generator, seeded by (policy seed, risk id), so a risk's figures
do not change when another risk is added to the register.
"""

from __future__ import annotations

import zlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from briefing.ingest.risks import BOUNDS
from briefing.ingest.tables import records as table_rows
from briefing.model import ExceedancePoint

DAYS_PER_YEAR = 365.25
MINUTES_PER_YEAR = 525_960.0  # 365.25 days
Z90_WIDTH = 3.29  # a 90% range is 2 x 1.645 standard deviations wide
QUANTILES = (0.10, 0.50, 0.90)
# canonical column of each figure -> (low column, high column)
RANGES = {
    "ettd_minutes": ("ettd_lo", "ettd_hi"),
    "ettr_minutes": ("ettr_lo", "ettr_hi"),
    "impact": ("impact_lo", "impact_hi"),
    "ettf_days": ("ettf_lo", "ettf_hi"),
}
# stream tags: each use of a risk's randomness gets its own generator
STREAM_YEAR = 0
STREAM_OCCURRENCE = 1
STREAM_REDUCTION = 2


def lognormal_params(lo: float, hi: float) -> tuple[float, float]:
    """mu and sigma of the lognormal whose 5th and 95th percentiles are lo and hi."""
    log_lo, log_hi = np.log(lo), np.log(hi)
    return float((log_lo + log_hi) / 2.0), float((log_hi - log_lo) / Z90_WIDTH)


def risk_rng(seed: int, risk_id: str, stream: int, occurrence: int = 0) -> np.random.Generator:
    """The generator of one risk and one use, fixed by the seed and the risk's id."""
    key = zlib.crc32(risk_id.encode("utf-8"))
    return np.random.default_rng([int(seed), key, stream, occurrence])


def draw(
    rng: np.random.Generator,
    point: float,
    lo: float,
    hi: float,
    trials: int,
    bounds: tuple[float, float] = (0.0, np.inf),
) -> np.ndarray:
    """`trials` values of one figure: lognormal from its 90% range, else the point value.

    Every value lies within `bounds` (clipped in log space, before `exp` could overflow).
    """
    low, high = bounds
    if np.isnan(lo) or np.isnan(hi) or lo == hi:
        value = point if np.isnan(lo) or np.isnan(hi) else lo
        return np.full(trials, min(max(value, low), high))
    mu, sigma = lognormal_params(lo, hi)
    values = rng.standard_normal(trials)
    values *= sigma
    values += mu
    log_low = np.log(low) if low > 0 else -np.inf
    np.clip(values, log_low, np.log(high), out=values)
    return np.exp(values, out=values)


def draw_figures(
    rng: np.random.Generator, risk: Mapping[str, float], trials: int
) -> dict[str, np.ndarray]:
    """One draw of each figure of a risk per trial, kept within the register's bounds.

    The bounds (impact at most 1: all users; ettf_days at least a quarter of an
    hour) keep every draw finite and the yearly counts within what Poisson draws.
    """
    return {
        name: draw(rng, float(risk[name]), float(risk[lo]), float(risk[hi]), trials, BOUNDS[name])
        for name, (lo, hi) in RANGES.items()
    }


def has_range(risk: Mapping[str, float]) -> bool:
    return any(not np.isnan(risk[lo]) for lo, _ in RANGES.values())


@dataclass(frozen=True)
class Simulation:
    """What the trials say: per risk (register order), per service, and in total."""

    trials: int
    cost_quantiles: np.ndarray  # (risks, 3): p10, p50, p90 of the annual cost
    mean_cost: np.ndarray  # (risks,)
    mean_bad_minutes: np.ndarray  # (risks,)
    probability_budget_exceeded: dict[str, float]
    total_cost: np.ndarray  # (trials,) annual cost of all risks together
    service_minutes: dict[str, np.ndarray] = field(default_factory=dict)  # (trials,) per service


def simulate(
    risks: pd.DataFrame,
    cost_per_minute: Sequence[float],
    annual_budget_minutes: Mapping[str, float],
    *,
    trials: int,
    seed: int,
) -> Simulation:
    """Run `trials` years of every risk in `risks` (canonical columns)."""
    n = len(risks)
    quantiles = np.zeros((n, len(QUANTILES)))
    mean_cost = np.zeros(n)
    mean_minutes = np.zeros(n)
    by_service: dict[str, np.ndarray] = {}
    total = np.zeros(trials)
    occurrences: dict[str, int] = {}
    records = table_rows(risks)
    for index, risk in enumerate(records):
        rid = str(risk["id"])
        occurrences[rid] = occurrences.get(rid, -1) + 1
        rng = risk_rng(seed, rid, STREAM_YEAR, occurrences[rid])
        figures = draw_figures(rng, risk, trials)
        per_event = figures["ettd_minutes"]
        per_event += figures["ettr_minutes"]
        per_event *= figures["impact"]
        rate = np.divide(DAYS_PER_YEAR, figures["ettf_days"], out=figures["ettf_days"])
        counts = rng.poisson(rate)
        bad_minutes = np.multiply(counts, per_event, out=per_event)
        service = str(risk["service"])
        if service not in by_service:
            by_service[service] = np.zeros(trials)
        by_service[service] += bad_minutes
        mean_minutes[index] = bad_minutes.mean()
        cost = np.multiply(bad_minutes, float(cost_per_minute[index]), out=bad_minutes)
        total += cost
        mean_cost[index] = cost.mean()
        quantiles[index] = _quantiles(cost)
    exceeded = {
        service: float(np.count_nonzero(minutes > annual_budget_minutes[service]) / trials)
        for service, minutes in by_service.items()
    }
    return Simulation(trials, quantiles, mean_cost, mean_minutes, exceeded, total, by_service)


def _quantiles(values: np.ndarray) -> np.ndarray:
    """p10, p50, p90 (linear interpolation, as numpy's default), sorting in place."""
    return np.asarray(np.quantile(values, QUANTILES, overwrite_input=True), dtype=float)


def exceedance_curve(total_cost: np.ndarray) -> tuple[ExceedancePoint, ...]:
    """~20-40 points (loss, chance a year costs more than it), at round amounts.

    The amounts run from 0 to the 99.5th percentile in a round step (1, 2, 2.5
    or 5 times a power of ten); the chances never rise as the amount grows.
    """
    if total_cost.size == 0:
        return ()
    ordered = np.sort(total_cost)
    top = float(np.quantile(ordered, 0.995))
    if top <= 0:
        top = float(ordered[-1])
    if top <= 0:
        return (ExceedancePoint(0.0, 0.0),)
    step = _round_step(top / 38.0)
    losses = step * np.arange(int(np.floor(top / step)) + 1)
    above = ordered.size - np.searchsorted(ordered, losses, side="right")
    chances = above / ordered.size
    return tuple(
        ExceedancePoint(float(loss), float(chance))
        for loss, chance in zip(losses, chances, strict=True)
    )


def _round_step(minimum: float) -> float:
    """The smallest of 1, 2, 2.5, 5 x 10^k that is at least `minimum`."""
    power = 10.0 ** np.floor(np.log10(minimum))
    for factor in (1.0, 2.0, 2.5, 5.0, 10.0):
        if factor * power >= minimum * (1 - 1e-12):
            return float(factor * power)
    return float(10.0 * power)  # pragma: no cover - the loop always returns
