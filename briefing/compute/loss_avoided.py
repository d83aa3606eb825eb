"""Compute stage: loss avoided, the value of the reliability work made visible.

Three components, each with a basis sentence in business words:
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
from briefing.compute.response import (
    ResponseResult,
    baseline_window,
    faster_response,
)
from briefing.compute.risk import bad_minutes_per_year, before_figures, has_before
from briefing.config import Policy, ServiceConfig
from briefing.ingest.tables import records as table_rows
from briefing.model import (
    IncidentItem,
    LossAvoided,
    LossComponent,
    Period,
    RiskSummary,
)

__all__ = ["compute_loss_avoided", "assumptions"]


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
    window = baseline_window(incidents, policy.baseline, period)
    response = faster_response(items, policy.baseline, window, prices, policy, noun=period.kind)
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
        basis=result.basis,
        p10=p10,
        p90=p90,
        items=result.items,
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
    lines: list[dict[str, Any]] = []
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
            {
                "date": row["date"].tz_convert(period.timezone).date().isoformat(),
                "service": str(row["service"]),
                "control": str(row["control"]),
                "events": events,
                "risk": rid or None,
                "probability": None if np.isnan(chance) else chance,
                "amount": value,
            }
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
    basis = _prevented_basis(
        len(inside),
        total_events,
        claimed_rows,
        claimed_events,
        no_chance,
        no_risk,
        outside,
        period.kind,
    )
    p10, p90 = _range(samples)
    component = LossComponent("prevented", amount, basis, p10, p90, tuple(lines))
    return _Part(component, samples)


def _prevented_basis(
    rows: int,
    events: int,
    claimed_rows: int,
    claimed_events: int,
    no_chance: int,
    no_risk: int,
    outside: int,
    noun: str,
) -> str:
    if rows == 0:
        text = f"No events stopped by controls were recorded this {noun}, so none is claimed."
    else:
        text = (
            f"Controls stopped {_count(events, 'event')} this {noun} ({_count(rows, 'record')}); "
            f"{_count(claimed_events, 'event')} count, each valued at the chance it would have "
            "caused an outage times what one such outage costs: (time to notice + time to fix) "
            "x share of users affected x cost of a minute of downtime."
        )
    skipped = []
    if no_chance:
        skipped.append(
            f"{_count(no_chance, 'record')} claimed nothing because the chance was not known"
        )
    if no_risk:
        skipped.append(
            f"{_count(no_risk, 'record')} claimed nothing because the risk it names is not in the risk register"
        )
    if outside:
        skipped.append(
            f"{_count(outside, 'record')} dated outside this {noun} count in their own {noun}"
        )
    if skipped:
        text += " " + "; ".join(skipped).capitalize() + "."
    return text


# --------------------------------------------------------------------------- risk reduction


def _risk_reduction(
    risks: pd.DataFrame, prices: dict[str, float], policy: Policy, period: Period
) -> _Part:
    share = period.minutes / MINUTES_PER_YEAR
    lines: list[dict[str, Any]] = []
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
            {
                "risk": str(risk["id"]),
                "title": str(risk["title"]),
                "annual_cost_before": cost_before,
                "annual_cost_after": cost_after,
                "amount": value,
            }
        )
    amount = float(sum(value for value, _ in parts))
    samples = None
    if any(s is not None for _, s in parts):
        samples = np.zeros(policy.trials)
        for value, drawn in parts:
            samples += drawn if drawn is not None else value
    p10, p90 = _range(samples)
    basis = _reduction_basis(len(lines), worse, period)
    return _Part(LossComponent("risk_reduction", amount, basis, p10, p90, tuple(lines)), samples)


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


def _reduction_basis(count: int, worse: int, period: Period) -> str:
    if count == 0:
        return "No risk in the register gives its figures from before a fix, so no reduction is claimed."
    text = (
        f"{_count(count, 'risk')} in the register {'is' if count == 1 else 'are'} described before and "
        "after a fix: the yearly cost before minus the yearly cost now, for the part of the year "
        f"{'the calendar year' if period.kind == 'year' else 'this ' + period.kind} covers "
        f"({period.minutes:,.0f} of {MINUTES_PER_YEAR:,.0f} minutes)."
    )
    if worse:
        text += f" {_count(worse, 'risk')} that became costlier {'counts' if worse == 1 else 'count'} as zero."
    return text


# --------------------------------------------------------------------------- helpers


def _has_range(risk: dict[str, Any], names: Sequence[str]) -> bool:
    return any(not pd.isna(risk[RANGES[name][0]]) for name in names)


def _range(samples: np.ndarray | None) -> tuple[float | None, float | None]:
    if samples is None:
        return None, None
    p10, p90 = np.quantile(samples, (0.10, 0.90))
    return float(p10), float(p90)


def _count(n: int, noun: str) -> str:
    return f"{n:,} {noun}" + ("" if n == 1 else "s")


# --------------------------------------------------------------------------- how we got these numbers


def assumptions(
    risks: RiskSummary, loss: LossAvoided, policy: Policy, *, noun: str = "month"
) -> list[str]:
    """ "How we got these numbers": every input, assumption and formula in plain words
    (`noun` names the period: month, quarter, year, week)."""
    threshold = f"{risks.threshold_fraction:.0%}"
    text = [
        "A year counts as 365.25 days, which is 525,960 minutes.",
        "How often a risk happens in a year: 365.25 divided by the expected number of days "
        "between two occurrences.",
        "Minutes of full outage a year of a risk: (time to notice + time to fix, in minutes) x share of users "
        "affected (0 to 1) x occurrences a year.",
        "A service's downtime allowance for a year: (1 - its reliability target) x 525,960 minutes; a "
        "99.9% target allows 525.96 minutes a year.",
        f"A risk needs action when it alone would use more than {threshold} of its service's "
        "yearly downtime allowance, or when the risks of one service together would use more "
        "than all of it.",
        "Yearly cost of a risk: its minutes of full outage a year x the cost of a minute of downtime of its "
        "service (the cost of a full hour of downtime divided by 60).",
    ]
    if risks.items:
        text.append(_worked_example(risks))
        text.append(
            f"The ranges come from {policy.trials:,} simulated years (random draws started from "
            f"the number {policy.seed}, so the same inputs always give the same figures). Where the "
            "register gives a range that holds the true value 9 times out of 10, each simulated "
            "year draws the value from a skewed bell curve (log-normal) fitted to that range; the "
            "number of occurrences in a year varies at random around its average, as independent "
            "events do (Poisson). The low and high figures are the 10th and 90th of every 100 "
            "simulated years ordered by cost; the middle figure is the 50th."
        )
        text.append(
            "The chance that next year's downtime costs more than an amount is the share of the "
            "simulated years that cost more than that amount."
        )
    text.append(
        "Loss avoided is the sum of three parts: faster response, events stopped by controls, "
        "and risks made smaller."
    )
    text.append(
        "Faster response, per incident: (reference time to notice and fix - actual time to notice "
        "and fix, never below zero) x share of users affected x cost of a minute of downtime."
    )
    text.append(
        "Events stopped by controls: number of events x chance each would have caused an outage x "
        "(time to notice + time to fix) x share of users affected x cost of a minute of downtime, "
        "using the figures of the risk each event would have caused. Only events dated inside "
        f"the {noun} count."
    )
    text.append(
        "Risks made smaller: (yearly cost before the fix - yearly cost now) x minutes in the "
        f"{noun} / 525,960."
    )
    # each component's own basis sentence is printed beside its amount under "Loss avoided"
    text.append("Where a chance, a risk or a time of notice is not known, nothing is claimed.")
    if loss.p10 is not None and loss.p90 is not None:
        text.append(
            "The range of the loss avoided comes from the same kind of simulation: the figures "
            "given as ranges are drawn at random, and the 10th and 90th of every 100 draws are shown."
        )
    return text


def _worked_example(risks: RiskSummary) -> str:
    """The arithmetic of one risk (the first needing action, else the costliest), to redo by hand."""
    chosen = next((r for r in risks.items if r.needs_action), None) or max(
        risks.items, key=lambda r: r.annual_cost
    )
    per_minute = (
        chosen.annual_cost / chosen.bad_minutes_per_year if chosen.bad_minutes_per_year else 0.0
    )
    return (
        f"For example, {chosen.title} ({chosen.id}): 365.25 / {chosen.ettf_days:g} days = "
        f"{chosen.incidents_per_year:,.2f} times a year; ({chosen.ettd_minutes:g} + "
        f"{chosen.ettr_minutes:g} minutes) x {chosen.impact:g} x {chosen.incidents_per_year:,.2f} = "
        f"{chosen.bad_minutes_per_year:,.1f} minutes of full outage a year, "
        f"{chosen.budget_fraction:.1%} of its {chosen.annual_budget_minutes:,.2f}-minute allowance; "
        f"x {per_minute:,.2f} a minute = {chosen.annual_cost:,.0f} a year."
    )
