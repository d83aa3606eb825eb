"""Benchmark: the risk Monte Carlo against the time numpy needs just to draw its random numbers.

For 15, 100 and 500 risks (each with 90% ranges on time to notice, time to fix
and days between occurrences) it runs `simulate` with 100,000 trials, and then
draws the same random numbers with numpy alone: three standard normals and one
Poisson count per risk and trial. It prints both times and their ratio; the
target is a ratio of at most 2.

    python bench/bench_montecarlo.py [--trials 100000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import time

import numpy as np
import pandas as pd

from briefing.compute.montecarlo import DAYS_PER_YEAR, simulate
from briefing.ingest.tables import conform

SEED = 20261001


def make_risks(count: int) -> pd.DataFrame:
    """`count` risks over 5 services, with plausible figures and 90% ranges."""
    rng = np.random.default_rng(7)
    ettd = rng.uniform(5, 60, count)
    ettr = rng.uniform(20, 240, count)
    ettf = rng.uniform(30, 730, count)
    return conform(
        pd.DataFrame(
            {
                "id": [f"R{i}" for i in range(count)],
                "title": [f"Risk {i}" for i in range(count)],
                "service": [f"s{i % 5}" for i in range(count)],
                "ettd_minutes": ettd,
                "ettr_minutes": ettr,
                "impact": rng.uniform(0.05, 1.0, count),
                "ettf_days": ettf,
                "ettd_lo": ettd / 3,
                "ettd_hi": ettd * 3,
                "ettr_lo": ettr / 2,
                "ettr_hi": ettr * 2,
                "ettf_lo": ettf / 2,
                "ettf_hi": ettf * 2,
            }
        ),
        "risks",
    )


def time_simulation(risks: pd.DataFrame, trials: int) -> float:
    prices = [700.0] * len(risks)
    budgets = {f"s{i}": 525.96 for i in range(5)}
    start = time.perf_counter()
    simulate(risks, prices, budgets, trials=trials, seed=SEED)
    return time.perf_counter() - start


def time_draws(risks: pd.DataFrame, trials: int) -> float:
    """Only the random numbers: 3 normals and 1 Poisson count per risk and trial."""
    rates = (DAYS_PER_YEAR / risks["ettf_days"]).to_numpy()
    start = time.perf_counter()
    rng = np.random.default_rng(SEED)
    for rate in rates:
        rng.standard_normal(trials)
        rng.standard_normal(trials)
        rng.standard_normal(trials)
        rng.poisson(np.full(trials, rate))
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trials", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3, help="best of this many runs")
    args = parser.parse_args()
    print(f"{'risks':>6} {'trials':>8} {'simulate s':>11} {'draws only s':>13} {'ratio':>6}")
    for count in (15, 100, 500):
        risks = make_risks(count)
        sim = min(time_simulation(risks, args.trials) for _ in range(args.repeat))
        floor = min(time_draws(risks, args.trials) for _ in range(args.repeat))
        print(f"{count:>6} {args.trials:>8,} {sim:>11.3f} {floor:>13.3f} {sim / floor:>6.2f}")


if __name__ == "__main__":
    main()
