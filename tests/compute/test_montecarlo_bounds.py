"""The Monte Carlo keeps every draw within the register's bounds: no overflow, no traceback."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pandas as pd
import pytest

from briefing.compute.montecarlo import exceedance_curve, simulate
from briefing.ingest.risks import BOUNDS
from briefing.ingest.tables import conform

NAN = float("nan")


def table(**figures: float) -> pd.DataFrame:
    row = {
        "id": "R1",
        "title": "Extreme",
        "service": "checkout",
        "ettd_minutes": 10.0,
        "ettr_minutes": 20.0,
        "impact": 0.5,
        "ettf_days": 100.0,
        **figures,
    }
    return conform(pd.DataFrame([row]), "risks")


@pytest.mark.parametrize(
    "figures",
    [
        # past the bounds, as a register never reaching the reader's checks could give
        {"ettf_days": 1e-20},
        {"ettd_minutes": 1e308, "ettr_minutes": 1e308},
        {"ettf_lo": 1e-300, "ettf_hi": 1e300},
        # the widest ranges the register accepts
        {"ettf_lo": 0.01, "ettf_hi": 365_250.0, "ettd_lo": 1e-9, "ettd_hi": 525_960.0},
    ],
)
def test_extreme_figures_give_finite_costs_without_warnings(figures: dict[str, float]) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        result = simulate(table(**figures), [1e12 / 60], {"checkout": 43.8}, trials=2_000, seed=7)
        curve = exceedance_curve(result.total_cost)
    assert np.isfinite(result.total_cost).all()
    assert np.isfinite(result.cost_quantiles).all()
    assert all(math.isfinite(p.loss) and 0 <= p.probability <= 1 for p in curve)
    # the most a risk can cost in a year: every quarter hour (35,064 a year at most,
    # as Poisson draws around 365.25 / 0.01 = 36,525 stay under 40,000), each a year
    # of downtime for everyone (2 x 525,960 minutes x impact 1), at 1e12 an hour
    ceiling = 40_000 * 2 * BOUNDS["ettd_minutes"][1] * 1.0 * (1e12 / 60)
    assert result.total_cost.max() < ceiling


def test_ordinary_figures_are_not_moved_by_the_bounds() -> None:
    inside = simulate(
        table(ettf_lo=30.0, ettf_hi=120.0), [700.0], {"checkout": 43.8}, trials=5_000, seed=3
    )
    # mean yearly bad minutes: 365.25 / E[ettf] x (10 + 20) x 0.5; a lognormal with
    # 90% range [30, 120] has mean exp(mu + sigma^2 / 2) = 60 x exp(0.4214^2 / 2) = 65.6,
    # and E[1 / ettf] = exp(-mu + sigma^2 / 2) / 1 = (1 / 60) x 1.0928 = 0.018213:
    # 365.25 x 0.018213 x 15 = 99.8 minutes
    assert inside.mean_bad_minutes[0] == pytest.approx(99.8, rel=0.05)
