"""Compute stage: the one actionable number, chosen by the policy's rules in order.

1. budget_exhausted: a service spent more than its allowance -> the lowest
   budget_remaining among them; several services -> their total downtime cost,
   the services ranked by cost x tier weight (`policy.tier_weights`), the
   decision pausing the first `policy.max_named_services` and asking the
   owners of the others to review theirs. A service whose metrics cover less
   than `policy.min_coverage` of the period is passed over (its figures are
   partial) unless the build allows incomplete data;
2. risk_exposure: risks need action -> the sum of their annual_cost;
3. loss_avoided: otherwise -> loss avoided this period.
`policy.headline` reorders or pins the rules; loss_avoided always applies as
the last resort, so a headline always exists. Each rule also sets the terms of
its decision (`decision.py`): what is asked, until when, the cause, what acting
and not acting cost, and the alternatives. Every rule is one function; adding
a rule means adding a kind, a function and a case below.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import assert_never

import pandas as pd

from briefing.compute import decision
from briefing.compute.causes import shared_cause
from briefing.compute.groups import ranked
from briefing.config import Config, HeadlineKind
from briefing.model import (
    Alternative,
    Cause,
    DataWarning,
    HeadlineChoice,
    HeadlineService,
    IncidentSummary,
    LossAvoided,
    Period,
    RiskSummary,
    ServiceStatus,
)

DEFAULT_ASK: dict[HeadlineKind, str] = {
    "budget_exhausted": "note",  # a pause under an agreed policy
    "risk_exposure": "approve",  # a new spend
    "loss_avoided": "note",
}


@dataclass(frozen=True)
class Situation:
    """Everything a headline rule looks at."""

    services: Sequence[ServiceStatus]
    incidents: IncidentSummary
    risks: RiskSummary
    loss: LossAvoided
    config: Config
    period: Period
    rows: Mapping[str, pd.DataFrame]  # each service's counted rows (buckets or slices)
    warnings: Sequence[DataWarning]
    issued: date
    allow_incomplete: bool


def choose_headline(
    services: Sequence[ServiceStatus],
    risks: RiskSummary,
    loss: LossAvoided,
    config: Config,
    period: Period,
    *,
    incidents: IncidentSummary | None = None,
    rows: Mapping[str, pd.DataFrame] | None = None,
    warnings: Sequence[DataWarning] = (),
    issued: date | None = None,
    allow_incomplete: bool = False,
) -> HeadlineChoice:
    situation = Situation(
        services=services,
        incidents=incidents or IncidentSummary(0, {}, None, None, 0.0, ()),
        risks=risks,
        loss=loss,
        config=config,
        period=period,
        rows=rows or {},
        warnings=warnings,
        issued=issued or decision.issue_date(period, config.policy.issue_working_day),
        allow_incomplete=allow_incomplete,
    )
    rules = list(config.policy.headline)
    if "loss_avoided" not in rules:
        rules.append("loss_avoided")
    passed_over: tuple[str, ...] = ()
    for rule in rules:
        choice: HeadlineChoice | None
        match rule:
            case "budget_exhausted":
                choice, skipped = _budget_exhausted(situation)
                passed_over += skipped
            case "risk_exposure":
                choice = _risk_exposure(situation)
            case "loss_avoided":
                choice = _loss_avoided(situation)
            case _:
                assert_never(rule)
        if choice is not None:
            return _finish(choice, situation, passed_over)
    raise AssertionError("unreachable: loss_avoided always applies")


def _finish(
    choice: HeadlineChoice, situation: Situation, passed_over: tuple[str, ...]
) -> HeadlineChoice:
    """The terms every headline carries: ask, issue and due dates, caveats."""
    policy = situation.config.policy
    named = {s.id for s in choice.services[: policy.max_named_services]}
    ask = policy.headline_ask.get(choice.kind) or DEFAULT_ASK[choice.kind]
    until = date.fromisoformat(choice.until) if choice.until else None
    due = decision.due_date(
        situation.issued, note=ask == "note", due_days=policy.decision_due_days, until=until
    )
    return replace(
        choice,
        ask="approve" if ask == "approve" else "note",
        issued=situation.issued.isoformat(),
        due=due.isoformat(),
        passed_over=passed_over,
        warnings=tuple(
            w
            for w in situation.warnings
            if w.service == choice.service or (choice.service is None and w.service in named)
        ),
    )


def _next_period_end(period: Period) -> str:
    return (period.next().end.date() - timedelta(days=1)).isoformat()


def _budget_exhausted(situation: Situation) -> tuple[HeadlineChoice | None, tuple[str, ...]]:
    exhausted = [
        s for s in situation.services if s.status == "exhausted" and s.budget_remaining is not None
    ]
    partial = tuple(s.id for s in exhausted if not s.complete)
    if not situation.allow_incomplete:
        exhausted = [s for s in exhausted if s.complete]
    if not exhausted:
        return None, partial
    skipped = () if situation.allow_incomplete else partial
    if len(exhausted) > 1:
        return _exhausted_organisation(situation, exhausted), skipped
    worst = exhausted[0]
    period, config = situation.period, situation.config
    rows = situation.rows.get(worst.id)
    back = decision.back_within(rows, worst.objective, period) if rows is not None else None
    until = back.isoformat() if back is not None else _next_period_end(period)
    register = [r for r in situation.risks.items if r.service == worst.id]
    cause = decision.cause_of(worst, situation.incidents.items, situation.risks.items)
    inaction = decision.cost_of_inaction(
        worst.downtime_cost or 0.0, sum(r.annual_cost for r in register), period
    )
    alternatives = []
    fix = next((r for r in situation.risks.items if r.id == cause.risk), None)
    if fix is not None:
        alternatives.append(
            Alternative("", "", kind="fix_risk", amount=fix.annual_cost, risk=fix.id)
        )
    alternatives.append(
        Alternative("", "", kind="keep_releasing", amount=inaction.amount, services=(worst.id,))
    )
    choice = HeadlineChoice(
        kind="budget_exhausted",
        value=float(worst.budget_remaining or 0.0),
        unit="fraction",
        service=worst.id,
        owner=worst.owner,
        due="",
        until=until,
        until_rule="back_within" if back is not None else "next_period",
        window_days=len(decision.period_days(period)),
        cause=cause,
        cost_of_inaction=inaction,
        cost_of_action=decision.cost_of_freeze(
            config.policy.cost_of_freeze_per_day, period, date.fromisoformat(until)
        ),
        alternatives=tuple(alternatives),
        coverage=worst.coverage if not worst.complete else None,
        services=_counted([worst]),
    )
    return choice, skipped


def _exhausted_organisation(
    situation: Situation, exhausted: Sequence[ServiceStatus]
) -> HeadlineChoice:
    """Several services spent their allowance: their total cost, the first N of them paused."""
    period, policy = situation.period, situation.config.policy
    order = ranked(exhausted, policy.tier_weights)
    named = order[: policy.max_named_services]
    value = float(sum(s.downtime_cost or 0.0 for s in exhausted))
    backs = [
        decision.back_within(situation.rows[s.id], s.objective, period)
        if s.id in situation.rows
        else None
        for s in named
    ]
    known = [b for b in backs if b is not None]
    back = max(known) if len(known) == len(backs) else None
    until = back.isoformat() if back is not None else _next_period_end(period)
    ids = {s.id for s in exhausted}
    register = [r for r in situation.risks.items if r.service in ids]
    cause = shared_cause(exhausted, situation.incidents.items, situation.risks.items)
    inaction = decision.cost_of_inaction(value, sum(r.annual_cost for r in register), period)
    per_day = policy.cost_of_freeze_per_day
    action = decision.cost_of_freeze(
        None if per_day is None else per_day * len(named), period, date.fromisoformat(until)
    )
    alternatives = []
    fix = next((r for r in situation.risks.items if r.id == cause.risk), None)
    if fix is not None:
        alternatives.append(
            Alternative("", "", kind="fix_risk", amount=fix.annual_cost, risk=fix.id)
        )
    every = tuple(s.id for s in order)
    if len(order) > len(named):  # with every one of them named, it is the decision itself
        pause_all = decision.cost_of_freeze(
            None if per_day is None else per_day * len(order), period, date.fromisoformat(until)
        )
        alternatives.append(
            Alternative(
                "",
                "",
                kind="pause_all",
                amount=None if pause_all is None else pause_all.amount,
                services=every,
            )
        )
    alternatives.append(
        Alternative("", "", kind="keep_releasing", amount=inaction.amount, services=every)
    )
    return HeadlineChoice(
        kind="budget_exhausted",
        value=value,
        unit="currency",
        service=None,
        owner=policy.owner,
        due="",
        until=until,
        until_rule="back_within" if back is not None else "next_period",
        window_days=len(decision.period_days(period)),
        cause=cause,
        cost_of_inaction=inaction,
        cost_of_action=None if action is None else replace(action, services=len(named)),
        alternatives=tuple(alternatives),
        services=_counted(order),
    )


def _counted(services: Sequence[ServiceStatus]) -> tuple[HeadlineService, ...]:
    return tuple(
        HeadlineService(s.id, s.name, float(s.downtime_cost or 0.0), s.tier) for s in services
    )


def _risk_exposure(situation: Situation) -> HeadlineChoice | None:
    risks, config = situation.risks, situation.config
    flagged = [r for r in risks.items if r.needs_action]
    if not flagged:
        return None
    ranked = sorted(flagged, key=lambda r: (-r.annual_cost, r.id))
    costliest = ranked[0]
    owner = costliest.owner or _service_owner(config, costliest.service)
    services_hit = {r.service for r in flagged}
    threshold = risks.threshold_fraction
    # funding fixes that bring each risk under the line removes the cost above it
    reduction = sum(decision.under_the_line(r, threshold) for r in flagged)
    ids = {r.id for r in flagged}
    matched = [i for i in situation.incidents.items if i.risk in ids]
    pace = sum(i.measured_cost or 0.0 for i in matched)
    alternatives = []
    if len(flagged) > 1:
        alternatives.append(
            Alternative(
                "",
                "",
                kind="fix_largest_risk",
                amount=decision.under_the_line(costliest, threshold),
                risk=costliest.id,
            )
        )
    value = float(sum(r.annual_cost for r in flagged))
    alternatives.append(Alternative("", "", kind="accept_risk", amount=value))
    return HeadlineChoice(
        kind="risk_exposure",
        value=value,
        unit="currency",
        service=next(iter(services_hit)) if len(services_hit) == 1 else None,
        owner=owner,
        due="",
        risk_ids=tuple(r.id for r in ranked),
        reduction=float(reduction),
        until=_next_period_end(situation.period),
        cause=Cause(tuple(i.id for i in matched), None, costliest.id),
        cost_of_inaction=decision.cost_of_inaction(pace, value, situation.period),
        alternatives=tuple(alternatives),
    )


def _loss_avoided(situation: Situation) -> HeadlineChoice:
    spare = tuple(s.id for s in situation.services if s.room_to_release)
    measured = sum(s.downtime_cost or 0.0 for s in situation.services)
    forecast = sum(r.annual_cost for r in situation.risks.items)
    alternatives = [
        Alternative("", "", kind="reduce_investment", amount=situation.loss.total),
    ]
    return HeadlineChoice(
        kind="loss_avoided",
        value=float(situation.loss.total),
        unit="currency",
        service=None,
        owner=situation.config.policy.owner,
        due="",
        services_with_spare=spare,
        until=_next_period_end(situation.period),
        cost_of_inaction=decision.cost_of_inaction(measured, forecast, situation.period),
        alternatives=tuple(alternatives),
    )


def _service_owner(config: Config, service_id: str) -> str:
    service = config.service(service_id)
    return service.owner if service is not None else ""
