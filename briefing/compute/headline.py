"""Compute stage: the one actionable number, chosen by the policy's rules in order.

1. budget_exhausted: a service spent more than its budget -> the lowest
   budget_remaining among them;
2. risk_exposure: risks need action -> the sum of their annual_cost;
3. loss_avoided: otherwise -> loss avoided this period.
`policy.headline` reorders or pins the rules; loss_avoided always applies as
the last resort, so a headline always exists.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta

from briefing.config import Config
from briefing.model import HeadlineChoice, LossAvoided, Period, RiskSummary, ServiceStatus

SPARE_BELOW_CONSUMED = (
    0.5  # a service that used under half its allowance has release speed to spend
)


def choose_headline(
    services: Sequence[ServiceStatus],
    risks: RiskSummary,
    loss: LossAvoided,
    config: Config,
    period: Period,
) -> HeadlineChoice:
    due = (period.end.date() + timedelta(days=config.policy.decision_due_days)).isoformat()
    rules = list(config.policy.headline)
    if "loss_avoided" not in rules:
        rules.append("loss_avoided")
    for rule in rules:
        if rule == "budget_exhausted":
            exhausted = [
                s for s in services if s.status == "exhausted" and s.budget_remaining is not None
            ]
            if exhausted:
                worst = min(exhausted, key=lambda s: (s.budget_remaining, s.id))
                return HeadlineChoice(
                    kind="budget_exhausted",
                    value=float(worst.budget_remaining or 0.0),
                    unit="fraction",
                    service=worst.id,
                    owner=worst.owner,
                    due=period.end.date().isoformat(),  # a release freeze starts now
                )
        elif rule == "risk_exposure":
            flagged = [r for r in risks.items if r.needs_action]
            if flagged:
                costliest = max(flagged, key=lambda r: (r.annual_cost, r.id))
                owner = costliest.owner or _service_owner(config, costliest.service)
                services_hit = {r.service for r in flagged}
                # funding fixes that bring each risk under the line removes the cost above it
                reduction = sum(
                    r.annual_cost * (1.0 - min(1.0, risks.threshold_fraction / r.budget_fraction))
                    for r in flagged
                    if r.budget_fraction > 0
                )
                return HeadlineChoice(
                    kind="risk_exposure",
                    value=float(sum(r.annual_cost for r in flagged)),
                    unit="currency",
                    service=next(iter(services_hit)) if len(services_hit) == 1 else None,
                    owner=owner,
                    due=due,
                    risk_ids=tuple(r.id for r in sorted(flagged, key=lambda r: -r.annual_cost)),
                    reduction=float(reduction),
                )
        elif rule == "loss_avoided":
            spare = tuple(
                s.id
                for s in services
                if s.budget_consumed is not None and s.budget_consumed < SPARE_BELOW_CONSUMED
            )
            return HeadlineChoice(
                kind="loss_avoided",
                value=float(loss.total),
                unit="currency",
                service=None,
                owner=config.policy.owner,
                due=due,
                services_with_spare=spare,
            )
    raise AssertionError("unreachable: loss_avoided always applies")


def _service_owner(config: Config, service_id: str) -> str:
    service = config.service(service_id)
    return service.owner if service is not None else ""
