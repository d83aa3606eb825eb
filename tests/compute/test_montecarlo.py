"""The Monte Carlo: agrees with the formulas, ordered quantiles, analytic means, same seed same years."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from briefing.compute.montecarlo import exceedance_curve, lognormal_params, simulate
from briefing.ingest.tables import conform

TRIALS = 100_000
SEED = 20261001
BUDGET = {"checkout": 525.96}
PRICE = 700.0  # 42,000 an hour


def register(**figures: float) -> pd.DataFrame:
    row = {
        "id": "R1",
        "title": "R1",
        "service": "checkout",
        "ettd_minutes": 30.0,
        "ettr_minutes": 60.0,
        "impact": 0.5,
        "ettf_days": 90.0,
    }
    row.update(figures)
    return conform(pd.DataFrame([row]), "risks")


def run(risks: pd.DataFrame, *, trials: int = TRIALS, seed: int = SEED):
    return simulate(risks, [PRICE] * len(risks), BUDGET, trials=trials, seed=seed)


def test_lognormal_from_a_90_percent_range() -> None:
    mu, sigma = lognormal_params(5.0, 20.0)
    # mu = (ln 5 + ln 20) / 2 = ln 10; sigma = (ln 20 - ln 5) / 3.29 = ln 4 / 3.29 = 0.42137
    assert mu == pytest.approx(math.log(10))
    assert sigma == pytest.approx(math.log(4) / 3.29)
    draws = np.exp(np.random.default_rng(1).normal(mu, sigma, TRIALS))
    # 5% of draws under 5, 5% over 20 (3.29 = 2 x 1.645 standard deviations)
    assert np.mean(draws < 5.0) == pytest.approx(0.05, abs=0.003)
    assert np.mean(draws > 20.0) == pytest.approx(0.05, abs=0.003)


def test_zero_width_ranges_give_the_deterministic_figures() -> None:
    ranged = register(
        ettd_lo=30.0,
        ettd_hi=30.0,
        ettr_lo=60.0,
        ettr_hi=60.0,
        ettf_lo=90.0,
        ettf_hi=90.0,
        impact_lo=0.5,
        impact_hi=0.5,
    )
    sim = run(ranged)
    plain = run(register())
    # every year costs a whole number of occurrences of (30 + 60) x 0.5 = 45 minutes x 700 = 31,500
    occurrences = sim.total_cost / 31_500.0
    assert np.array_equal(occurrences, np.round(occurrences))
    # the average year: 182.625 bad minutes and 127,837.50 (Poisson noise: 0.16% standard error)
    assert sim.mean_bad_minutes[0] == pytest.approx(182.625, rel=0.01)
    assert sim.mean_cost[0] == pytest.approx(127_837.5, rel=0.01)
    # and exactly the years of the same risk given without ranges
    assert np.array_equal(sim.total_cost, plain.total_cost)
    assert np.array_equal(sim.cost_quantiles, plain.cost_quantiles)


def test_poisson_years_match_their_exact_chances() -> None:
    sim = run(register())
    rate = 365.25 / 90  # 4.0583 a year
    # a year over 525.96 minutes needs 12 or more occurrences of 45 minutes (11 x 45 = 495)
    at_least_12 = 1 - sum(math.exp(-rate) * rate**k / math.factorial(k) for k in range(12))
    assert sim.probability_budget_exceeded["checkout"] == pytest.approx(at_least_12, abs=5e-4)
    # p10 / p50 / p90 of the count are 2 / 4 / 7 occurrences of 31,500
    assert list(sim.cost_quantiles[0]) == [2 * 31_500.0, 4 * 31_500.0, 7 * 31_500.0]
    curve = exceedance_curve(sim.total_cost)
    # any cost at all: 1 - e^-4.0583 = 0.98272
    assert curve[0].loss == 0.0
    assert curve[0].probability == pytest.approx(1 - math.exp(-rate), abs=0.002)


def test_with_ranges_quantiles_ordered_and_mean_analytic() -> None:
    risks = register(
        ettd_minutes=10.0,
        ettr_minutes=40.0,
        impact=0.6,
        ettf_days=60.0,
        ettd_lo=5.0,
        ettd_hi=20.0,
        ettr_lo=20.0,
        ettr_hi=80.0,
        ettf_lo=30.0,
        ettf_hi=120.0,
    )
    sim = run(risks)
    p10, p50, p90 = sim.cost_quantiles[0]
    assert 0 <= p10 <= p50 <= p90
    assert p10 < p90
    # E[lognormal] = e^(mu + sigma^2/2); every range here is 4x wide, so sigma = ln 4 / 3.29 for all
    sigma = math.log(4) / 3.29
    spread = math.exp(sigma**2 / 2)  # 1.09283
    mean_ettd, mean_ettr = 10 * spread, 40 * spread  # medians sqrt(5 x 20) = 10, sqrt(20 x 80) = 40
    mean_rate = 365.25 / 60 * spread  # E[1/F] = e^(-mu + sigma^2/2) with median 60
    # 6.0875 x 1.09283 = 6.6526 a year x (10.9283 + 43.7133 = 54.6416 minutes) x 0.6 = 218.11
    analytic = mean_rate * (mean_ettd + mean_ettr) * 0.6
    assert analytic == pytest.approx(218.11, abs=0.01)
    assert sim.mean_bad_minutes[0] == pytest.approx(analytic, rel=0.01)
    assert sim.mean_cost[0] == pytest.approx(analytic * PRICE, rel=0.01)


def test_same_seed_same_years_other_seed_other_years() -> None:
    risks = register(ettd_lo=10.0, ettd_hi=90.0, ettf_lo=30.0, ettf_hi=365.0)
    first, second = run(risks), run(risks)
    assert np.array_equal(first.total_cost, second.total_cost)
    assert np.array_equal(first.cost_quantiles, second.cost_quantiles)
    assert first.probability_budget_exceeded == second.probability_budget_exceeded
    other = run(risks, seed=SEED + 1)
    assert not np.array_equal(first.total_cost, other.total_cost)


def test_a_risk_keeps_its_figures_when_another_is_added() -> None:
    one = register(ettd_lo=10.0, ettd_hi=90.0)
    two = pd.concat([one, register(id="R2", ettf_lo=30.0, ettf_hi=365.0)], ignore_index=True)
    assert np.array_equal(run(one).cost_quantiles[0], run(two).cost_quantiles[0])


def test_exceedance_curve_points() -> None:
    sim = run(register(ettd_lo=10.0, ettd_hi=90.0, ettf_lo=30.0, ettf_hi=365.0))
    curve = exceedance_curve(sim.total_cost)
    assert 20 <= len(curve) <= 40
    losses = [p.loss for p in curve]
    chances = [p.probability for p in curve]
    assert losses == sorted(set(losses))
    assert all(a >= b for a, b in zip(chances, chances[1:], strict=False))
    # each point: the share of years costing more than its amount
    middle = curve[len(curve) // 2]
    assert middle.probability == np.mean(sim.total_cost > middle.loss)
    # round steps: 1, 2, 2.5 or 5 x a power of ten
    step = losses[1] - losses[0]
    mantissa = step / 10 ** math.floor(math.log10(step))
    assert any(math.isclose(mantissa, m) for m in (1.0, 2.0, 2.5, 5.0))
    assert exceedance_curve(np.zeros(10)) == (exceedance_curve(np.zeros(1))[0],)
    assert exceedance_curve(np.array([])) == ()


@settings(max_examples=25, deadline=None)
@given(
    seed=st.integers(min_value=0, max_value=2**32 - 1),
    ettd=st.floats(min_value=0.5, max_value=500),
    width=st.floats(min_value=1.0, max_value=20.0),
    ettf=st.floats(min_value=1.0, max_value=3650),
    impact=st.floats(min_value=0.0, max_value=1.0),
)
def test_property_fixed_seed_identical_and_ordered(
    seed: int, ettd: float, width: float, ettf: float, impact: float
) -> None:
    risks = register(
        ettd_minutes=ettd,
        ettd_lo=ettd / width,
        ettd_hi=ettd * width,
        ettf_days=ettf,
        ettf_lo=ettf / width,
        ettf_hi=ettf * width,
        impact=impact,
    )
    first = run(risks, trials=2000, seed=seed)
    second = run(risks, trials=2000, seed=seed)
    assert np.array_equal(first.total_cost, second.total_cost)
    assert np.array_equal(first.cost_quantiles, second.cost_quantiles)
    p10, p50, p90 = first.cost_quantiles[0]
    assert 0 <= p10 <= p50 <= p90
    assert 0.0 <= first.probability_budget_exceeded["checkout"] <= 1.0
