"""Stage 2, compute: canonical tables -> `Findings` (numbers only, no words).

Pure functions of their inputs: `now` is passed in (it only matters for a
period still running), the Monte Carlo seed comes from the policy.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from briefing.compute.by_service import split_by_service
from briefing.compute.headline import choose_headline
from briefing.compute.incidents import compute_incidents
from briefing.compute.slo import Objective, compute_service, objective_for
from briefing.config import Config
from briefing.errors import BriefingError
from briefing.model import (
    Fact,
    Findings,
    IncidentItem,
    IncidentSummary,
    Inputs,
    LossAvoided,
    Period,
    ServiceStatus,
)


def objectives(config: Config, inputs: Inputs) -> dict[str, Objective]:
    """Each service's objective: briefing.yaml, else its OpenSLO definition."""
    slos = {slo.service: slo for slo in inputs.slos}
    result: dict[str, Objective] = {}
    for service in config.services:
        objective = objective_for(service, slos.get(service.id))
        if objective is None:
            raise BriefingError(
                f"service {service.id!r} has no objective",
                where=service.location,
                hint='add objective: (e.g. 0.999 or "99.9%") to the service, '
                "or name an OpenSLO file under sources.slos that defines it",
            )
        result[service.id] = objective
    return result


def compute(
    inputs: Inputs, config: Config, period: Period, *, now: datetime | None = None
) -> Findings:
    from briefing.compute.loss_avoided import compute_loss_avoided
    from briefing.compute.risk import compute_risks

    targets = objectives(config, inputs)
    sli_by_service = split_by_service(inputs.sli)
    empty = inputs.sli.iloc[0:0]
    services = tuple(
        compute_service(
            service,
            targets[service.id],
            sli_by_service.get(service.id, empty),
            period,
            config.policy,
            now=now,
        )
        for service in config.services
    )
    statuses = {s.id: s for s in services}
    incidents = compute_incidents(
        inputs.incidents, inputs.sli, statuses, config.services, period, config.policy
    )
    risks = compute_risks(
        inputs.risks, config.services, {k: v.objective for k, v in targets.items()}, config.policy
    )

    def loss_in(when: Period, items: tuple[IncidentItem, ...]) -> LossAvoided:
        return compute_loss_avoided(
            items=items,
            incidents=inputs.incidents,
            controls=inputs.controls,
            risks=inputs.risks,
            services=config.services,
            policy=config.policy,
            period=when,
        )

    loss = loss_in(period, incidents.items)
    if incidents.previous_count is not None:
        # the previous period's value, from the same exports, for the change shown on page 1
        before = compute_incidents(
            inputs.incidents,
            inputs.sli,
            {},
            config.services,
            period.previous(),
            config.policy,
            with_previous=False,
        )
        loss = replace(loss, previous_total=loss_in(period.previous(), before.items).total)
    headline = choose_headline(services, risks, loss, config, period)
    facts = supporting_facts(services, incidents, loss, headline.kind)
    return Findings(
        organization=config.organization,
        period=period,
        currency=config.currency,
        services=services,
        incidents=incidents,
        loss_avoided=loss,
        risks=risks,
        data_quality=inputs.data_quality,
        headline=headline,
        facts=facts,
        notes=inputs.notes,
    )


def supporting_facts(
    services: tuple[ServiceStatus, ...],
    incidents: IncidentSummary,
    loss: LossAvoided,
    headline_kind: str,
) -> tuple[Fact, ...]:
    """Three to five figures behind the headline, each with last period's value where known."""
    facts: list[Fact] = []
    measured = [s for s in services if s.status != "no_data"]
    if measured:
        cost = sum(s.downtime_cost or 0.0 for s in measured)
        prev_known = all(
            s.previous is not None and s.previous.downtime_cost is not None for s in measured
        )
        prev_cost = (
            sum(s.previous.downtime_cost or 0.0 for s in measured if s.previous)
            if prev_known
            else None
        )
        facts.append(_fact("downtime_cost", cost, "currency", prev_cost, "lower"))
        within = sum(1 for s in measured if s.status != "exhausted")
        prev_within = (
            sum(1 for s in measured if s.previous and (s.previous.budget_remaining or 0.0) >= 0)
            if prev_known
            else None
        )
        facts.append(
            _fact(
                "services_within_budget", within, "count", prev_within, "higher", of=len(measured)
            )
        )
    facts.append(_fact("incidents", incidents.count, "count", incidents.previous_count, "lower"))
    if incidents.mttr_minutes is not None:
        facts.append(
            _fact(
                "time_to_restore",
                incidents.mttr_minutes,
                "minutes",
                incidents.previous_mttr_minutes,
                "lower",
            )
        )
    if headline_kind != "loss_avoided" and loss.total > 0:
        facts.append(_fact("loss_avoided", loss.total, "currency", loss.previous_total, "higher"))
    return tuple(facts[:5])


def _fact(
    key: str, value: float, unit: str, previous: float | None, better: str, *, of: int | None = None
) -> Fact:
    return Fact(
        key=key,
        value=float(value),
        unit=unit,
        text="",
        previous=None if previous is None else float(previous),
        change=None if previous is None else float(value) - float(previous),
        better_when=better,
        out_of=of,
    )
