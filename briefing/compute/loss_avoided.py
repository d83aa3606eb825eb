"""Compute stage: loss avoided, the value of the reliability work made visible.

Three components, each with the counts behind it (translate words its basis):
- `faster_response`: per incident of the period, max(0, (baseline_ttd +
  baseline_ttr) - (ttd + ttr)) * impact * cost_per_minute. Incidents of one
  service that overlap in time count as one outage (its whole span, the highest
  share of users, the longest baseline), so no minute is claimed twice.
- `prevented`: per control event dated inside the period, probability * one
  occurrence of its risk, (ettd + ettr) * impact * cost_per_minute.
- `risk_reduction`: (annual_cost_before - annual_cost_after) * period_minutes
  / 525,960 for risks with values before mitigation.
Conservative: an unknown probability, an unknown risk, an incident with no
detection time, a risk that got worse, all claim nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from briefing.compute.montecarlo import (
    DAYS_PER_YEAR,
    MINUTES_PER_YEAR,
    RANGES,
    STREAM_OCCURRENCE,
    STREAM_REDUCTION,
    draw_figures,
    risk_rng,
)
from briefing.compute.response import ResponseResult, baseline_windows, faster_response
from briefing.compute.risk import bad_minutes_per_year, before_figures, has_before
from briefing.config import Policy, ServiceConfig
from briefing.ingest.tables import records as table_rows
from briefing.model import (
    IncidentItem,
    LossAvoided,
    LossComponent,
    Period,
    PreventedCounts,
    PreventedLine,
    ReductionCounts,
    ReductionLine,
)

__all__ = ["compute_loss_avoided"]


@dataclass(frozen=True)
class _Part:
    component: LossComponent
    samples: np.ndarray | None  # per trial, where the inputs carry ranges


def compute_loss_avoided(
    *,
    items: Sequence[IncidentItem],
    incidents: pd.DataFrame,
    controls: pd.DataFrame,
    risks: pd.DataFrame,
    services: Sequence[ServiceConfig],
    policy: Policy,
    period: Period,
) -> LossAvoided:
    """The three components of loss avoided in `period`, their sum, and its p10-p90 range."""
    prices = {s.id: s.cost_per_minute for s in services}
    windows = baseline_windows(incidents, policy.baseline, period)
    response = faster_response(items, policy.baseline, windows, prices, policy)
    parts = [
        _Part(_response_component(response), response.samples),
        _prevented(controls, risks, prices, policy, period),
        _risk_reduction(risks, prices, policy, period),
    ]
    total = float(sum(p.component.amount for p in parts))
    p10 = p90 = None
    if any(p.samples is not None for p in parts):
        trials = policy.trials
        summed = np.zeros(trials)
        for part in parts:
            summed += part.samples if part.samples is not None else part.component.amount
        p10, p90 = _range(summed)
    return LossAvoided(total=total, p10=p10, p90=p90, components=tuple(p.component for p in parts))


# --------------------------------------------------------------------------- faster response


def _response_component(result: ResponseResult) -> LossComponent:
    p10, p90 = _range(result.samples)
    return LossComponent(
        kind="faster_response",
        amount=result.amount,
        basis="",
        p10=p10,
        p90=p90,
        items=result.items,
        counts=result.counts,
    )


# --------------------------------------------------------------------------- prevented


def _occurrence_cost(risk: dict[str, Any], price: float) -> float:
    return (
        (float(risk["ettd_minutes"]) + float(risk["ettr_minutes"])) * float(risk["impact"]) * price
    )


def _prevented(
    controls: pd.DataFrame,
    risks: pd.DataFrame,
    prices: dict[str, float],
    policy: Policy,
    period: Period,
) -> _Part:
    inside = controls[(controls["date"] >= period.start_utc) & (controls["date"] < period.end_utc)]
    outside = len(controls) - len(inside)
    register = {str(r["id"]): r for r in table_rows(risks)}
    amount = 0.0
    claimed_rows = claimed_events = 0
    no_chance = no_risk = 0
    lines: list[PreventedLine] = []
    weights: dict[str, float] = {}  # risk id -> sum of events * probability
    for row in table_rows(inside.sort_values(["date", "control"], kind="stable")):
        rid = "" if pd.isna(row["risk"]) else str(row["risk"])
        chance = float(row["probability"])
        events = int(row["events"])
        risk = register.get(rid)
        if np.isnan(chance):
            no_chance += 1
            value = 0.0
        elif risk is None:
            no_risk += 1
            value = 0.0
        else:
            one = _occurrence_cost(risk, prices.get(str(risk["service"]), 0.0))
            value = events * chance * one
            amount += value
            weights[rid] = weights.get(rid, 0.0) + events * chance
            claimed_rows += 1
            claimed_events += events
        lines.append(
            PreventedLine(
                date=row["date"].tz_convert(period.timezone).date().isoformat(),
                service=str(row["service"]),
                control=str(row["control"]),
                events=events,
                risk=rid or None,
                probability=None if np.isnan(chance) else chance,
                amount=value,
            )
        )
    samples = None
    ranged = [
        rid
        for rid in weights
        if _has_range(register[rid], ("ettd_minutes", "ettr_minutes", "impact"))
    ]
    if ranged:
        samples = np.full(policy.trials, amount)
        for rid in ranged:
            risk = register[rid]
            price = prices.get(str(risk["service"]), 0.0)
            figures = draw_figures(
                risk_rng(policy.seed, rid, STREAM_OCCURRENCE), risk, policy.trials
            )
            one = (figures["ettd_minutes"] + figures["ettr_minutes"]) * figures["impact"] * price
            samples += weights[rid] * (one - _occurrence_cost(risk, price))
    total_events = int(inside["events"].sum()) if len(inside) else 0
    counts = PreventedCounts(
        records=len(inside),
        events=total_events,
        claimed_records=claimed_rows,
        claimed_events=claimed_events,
        no_chance=no_chance,
        no_risk=no_risk,
        outside=outside,
    )
    p10, p90 = _range(samples)
    component = LossComponent("prevented", amount, "", p10, p90, tuple(lines), counts)
    return _Part(component, samples)


# --------------------------------------------------------------------------- risk reduction


def _risk_reduction(
    risks: pd.DataFrame, prices: dict[str, float], policy: Policy, period: Period
) -> _Part:
    share = period.minutes / MINUTES_PER_YEAR
    lines: list[ReductionLine] = []
    parts: list[tuple[float, np.ndarray | None]] = []
    worse = 0
    for risk in table_rows(risks):
        if not has_before(risk):
            continue
        price = prices.get(str(risk["service"]), 0.0)
        before = before_figures(risk)
        cost_before = bad_minutes_per_year(**before) * price
        cost_after = _annual_cost(risk, price)
        value = max(0.0, cost_before - cost_after) * share
        worse += cost_before < cost_after
        ranged = _has_range(risk, tuple(RANGES))
        parts.append(
            (value, _reduction_samples(risk, before, price, share, policy) if ranged else None)
        )
        lines.append(
            ReductionLine(
                risk=str(risk["id"]),
                title=str(risk["title"]),
                annual_cost_before=cost_before,
                annual_cost_after=cost_after,
                amount=value,
            )
        )
    amount = float(sum(value for value, _ in parts))
    samples = None
    if any(s is not None for _, s in parts):
        samples = np.zeros(policy.trials)
        for value, drawn in parts:
            samples += drawn if drawn is not None else value
    p10, p90 = _range(samples)
    counts = ReductionCounts(
        risks=len(lines),
        worse=int(worse),
        period_minutes=period.minutes,
        year_minutes=MINUTES_PER_YEAR,
    )
    component = LossComponent("risk_reduction", amount, "", p10, p90, tuple(lines), counts)
    return _Part(component, samples)


def _annual_cost(risk: dict[str, Any], price: float) -> float:
    figures = (
        float(risk[name]) for name in ("ettd_minutes", "ettr_minutes", "impact", "ettf_days")
    )
    return bad_minutes_per_year(*figures) * price


def _reduction_samples(
    risk: dict[str, Any],
    before: dict[str, float],
    price: float,
    share: float,
    policy: Policy,
) -> np.ndarray:
    """Yearly cost before minus after, per trial; a figure unchanged by the fix is the same draw."""
    after = draw_figures(
        risk_rng(policy.seed, str(risk["id"]), STREAM_REDUCTION), risk, policy.trials
    )
    was = {
        name: np.full(policy.trials, before[name])
        if not pd.isna(risk[f"before_{name}"])
        else after[name]
        for name in after
    }

    def cost(f: dict[str, np.ndarray]) -> np.ndarray:
        return np.asarray(
            (f["ettd_minutes"] + f["ettr_minutes"])
            * f["impact"]
            * (DAYS_PER_YEAR / f["ettf_days"])
            * price,
            dtype=float,
        )

    return np.asarray(np.maximum(cost(was) - cost(after), 0.0) * share, dtype=float)


# --------------------------------------------------------------------------- helpers


def _has_range(risk: dict[str, Any], names: Sequence[str]) -> bool:
    return any(not pd.isna(risk[RANGES[name][0]]) for name in names)


def _range(samples: np.ndarray | None) -> tuple[float | None, float | None]:
    if samples is None:
        return None, None
    p10, p90 = np.quantile(samples, (0.10, 0.90))
    return float(p10), float(p90)
