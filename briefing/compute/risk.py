"""Compute stage: Google CRE risk analysis of the `risks` table.

Per risk: incidents_per_year = 365.25 / ettf_days; bad_minutes_per_year =
(ettd + ettr) * impact * incidents_per_year; against the service's yearly
downtime allowance (1 - objective) * 525,960 minutes. A risk needs action when
it alone uses more than `policy.risk_threshold` of that allowance, or when the
risks of its service together use more than all of it. Ranges (p10/p50/p90)
and the loss exceedance curve come from `montecarlo.simulate`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from briefing.compute.backtest import observed_rank
from briefing.compute.montecarlo import (
    DAYS_PER_YEAR,
    MINUTES_PER_YEAR,
    exceedance_curve,
    simulate,
)
from briefing.config import Policy, ServiceConfig
from briefing.errors import BriefingError
from briefing.ingest.tables import records as table_rows
from briefing.model import RiskByService, RiskItem, RiskSummary

BEFORE = {
    "ettd_minutes": "before_ettd_minutes",
    "ettr_minutes": "before_ettr_minutes",
    "impact": "before_impact",
    "ettf_days": "before_ettf_days",
}


def annual_budget_minutes(objective: float) -> float:
    """A year's downtime allowance: (1 - objective) * 525,960 minutes."""
    return (1.0 - objective) * MINUTES_PER_YEAR


def bad_minutes_per_year(
    ettd_minutes: float, ettr_minutes: float, impact: float, ettf_days: float
) -> float:
    return (ettd_minutes + ettr_minutes) * impact * (DAYS_PER_YEAR / ettf_days)


def has_before(risk: Mapping[str, object]) -> bool:
    # pandas-stubs types isna() for arrays and scalars, not for `object`
    return any(not pd.isna(risk.get(col)) for col in BEFORE.values())  # type: ignore[call-overload]


def before_figures(risk: Mapping[str, object]) -> dict[str, float]:
    """The figures before mitigation: `before_*` where given, else today's value."""
    result = {}
    for name, col in BEFORE.items():
        value = risk.get(col)
        # register cells are numbers or NaN; the stubs see `object`
        result[name] = float(risk[name] if pd.isna(value) else value)  # type: ignore[arg-type,call-overload]
    return result


def compute_risks(
    risks: pd.DataFrame,
    services: Sequence[ServiceConfig],
    objectives: Mapping[str, float],
    policy: Policy,
    observed: Mapping[str, float | None] | None = None,
) -> RiskSummary:
    """Every risk's share of its service's yearly allowance, cost, and ranges.

    `observed`: each service's recorded minutes of full outage a year, held
    against the forecast (the back-test).
    """
    threshold = policy.risk_threshold
    if risks.empty:
        return RiskSummary(threshold_fraction=threshold)
    by_id = {s.id: s for s in services}
    records = table_rows(risks)
    budgets: dict[str, float] = {}
    rates: list[float] = []
    minutes: list[float] = []
    prices: list[float] = []
    for risk in records:
        service = str(risk["service"])
        config = by_id.get(service)
        if config is None:
            raise BriefingError(
                f"risk {risk['id']!r} is on service {service!r}, which is not in briefing.yaml services",
                hint="add the service to briefing.yaml, or correct the risk's service",
            )
        if service not in objectives or objectives[service] is None:
            raise BriefingError(
                f"risk {risk['id']!r} is on service {service!r}, which has no objective",
                where=config.location,
                hint='add objective: (e.g. 0.999 or "99.9%") to the service',
            )
        budgets[service] = annual_budget_minutes(float(objectives[service]))
        rates.append(DAYS_PER_YEAR / float(risk["ettf_days"]))
        minutes.append(
            bad_minutes_per_year(
                float(risk["ettd_minutes"]),
                float(risk["ettr_minutes"]),
                float(risk["impact"]),
                float(risk["ettf_days"]),
            )
        )
        prices.append(config.cost_per_minute)
    service_minutes: dict[str, float] = {}
    for risk, bad in zip(records, minutes, strict=True):
        service_minutes[str(risk["service"])] = service_minutes.get(str(risk["service"]), 0.0) + bad
    over_budget = {s for s, total in service_minutes.items() if _fraction(total, budgets[s]) > 1.0}
    sim = simulate(risks, prices, budgets, trials=policy.trials, seed=policy.seed)
    items = []
    for index, risk in enumerate(records):
        service = str(risk["service"])
        fraction = _fraction(minutes[index], budgets[service])
        before_cost = None
        if has_before(risk):
            before = before_figures(risk)
            before_cost = bad_minutes_per_year(**before) * prices[index]
        p10, p50, p90 = (float(v) for v in sim.cost_quantiles[index])
        items.append(
            RiskItem(
                id=str(risk["id"]),
                title=str(risk["title"]),
                service=service,
                ettd_minutes=float(risk["ettd_minutes"]),
                ettr_minutes=float(risk["ettr_minutes"]),
                impact=float(risk["impact"]),
                ettf_days=float(risk["ettf_days"]),
                incidents_per_year=rates[index],
                bad_minutes_per_year=minutes[index],
                annual_budget_minutes=budgets[service],
                budget_fraction=fraction,
                needs_action=fraction > threshold or service in over_budget,
                annual_cost=minutes[index] * prices[index],
                p10_annual_cost=p10,
                p50_annual_cost=p50,
                p90_annual_cost=p90,
                owner="" if pd.isna(risk.get("owner")) else str(risk["owner"]),
                annual_cost_before=before_cost,
            )
        )
    order = {s.id: i for i, s in enumerate(services)}
    by_service = []
    for service, total in sorted(service_minutes.items(), key=lambda kv: order[kv[0]]):
        seen = (observed or {}).get(service)
        rank = observed_rank(seen, sim.service_minutes[service]) if seen is not None else None
        by_service.append(
            RiskByService(
                service=service,
                bad_minutes_per_year=total,
                annual_budget_minutes=budgets[service],
                budget_fraction=_fraction(total, budgets[service]),
                probability_budget_exceeded=sim.probability_budget_exceeded.get(service),
                observed_bad_minutes_per_year=seen,
                observed_percentile=None if rank is None else rank[0],
                register_underestimates=None if rank is None else rank[1],
            )
        )
    return RiskSummary(
        threshold_fraction=threshold,
        items=tuple(items),
        by_service=tuple(by_service),
        loss_exceedance=exceedance_curve(sim.total_cost),
    )


def _fraction(minutes: float, budget: float) -> float:
    if budget > 0:
        return minutes / budget
    return float(np.inf) if minutes > 0 else 0.0
