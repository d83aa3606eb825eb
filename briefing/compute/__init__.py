"""Stage 2, compute: canonical tables -> `Findings` (numbers only, no words).

Pure functions of their inputs: `now` is passed in (it only matters for a
period still running), the Monte Carlo seed comes from the policy.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import replace
from datetime import date, datetime

import pandas as pd

from briefing.compute.attribution import Split, cents, unrecorded_failures
from briefing.compute.backtest import observed_by_service
from briefing.compute.by_service import split_by_service
from briefing.compute.groups import compute_groups, with_groups
from briefing.compute.headline import choose_headline
from briefing.compute.incidents import compute_incidents, current_incidents, service_splits, windows
from briefing.compute.montecarlo import Simulation
from briefing.compute.slo import (
    Objective,
    compute_service,
    objective_for,
    period_rows,
    service_rows,
)
from briefing.config import Config
from briefing.errors import BriefingError
from briefing.model import (
    Basis,
    DataWarning,
    Fact,
    FactKey,
    Findings,
    IncidentItem,
    IncidentSummary,
    Inputs,
    LossAvoided,
    Period,
    ServiceStatus,
    SloDefinition,
    UnrecordedFailure,
)

TRAFFIC_DROP = 0.5  # total events under half of the previous period's: a data-quality warning


def objectives(config: Config, inputs: Inputs) -> dict[str, Objective]:
    """Each service's objective: briefing.yaml, else its OpenSLO definition."""
    return objectives_of(config, inputs.slos)


def objectives_of(config: Config, definitions: Sequence[SloDefinition]) -> dict[str, Objective]:
    """`objectives` from the OpenSLO definitions alone (before the other inputs are read)."""
    slos = {slo.service: slo for slo in definitions}
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
    inputs: Inputs,
    config: Config,
    period: Period,
    *,
    now: datetime | None = None,
    allow_incomplete: bool = False,
    issued: date | None = None,
    early: Future[Simulated] | None = None,
) -> Findings:
    """All figures of the period. `allow_incomplete`: a service with partial data may be
    the headline; `issued`: the issue date printed on the cover (default: the policy's rule);
    `early`: `simulate_early` of the register, started while the inputs were read."""
    from briefing.compute.loss_avoided import compute_loss_avoided
    from briefing.compute.risk import compute_risks

    targets = objectives(config, inputs)
    simulated = early
    if simulated is None:
        simulated = simulate_early(inputs.risks, config, inputs.slos)
    sli_by_service = split_by_service(inputs.sli)
    empty = inputs.sli.iloc[0:0]
    raw = {s.id: sli_by_service.get(s.id, empty) for s in config.services}
    services = tuple(
        compute_service(
            service, targets[service.id], raw[service.id], period, config.policy, now=now
        )
        for service in config.services
    )
    services = with_groups(services, config.services)
    statuses = {s.id: s for s in services}
    rows = {sid: service_rows(frame, targets[sid]) for sid, frame in raw.items()}
    records = current_incidents(inputs.incidents, period)
    splits = service_splits(records, windows(records, period), rows, statuses, period)
    incidents = compute_incidents(
        inputs.incidents,
        inputs.sli,
        statuses,
        config.services,
        period,
        config.policy,
        splits=splits,
        records=records,
    )
    services = reconcile(services, incidents.items, splits)
    incidents = replace(
        incidents,
        measured_cost=_sum_cents(s.incident_cost for s in services),
        unattributed_cost=_sum_cents(s.unattributed_cost for s in services),
    )
    risks = compute_risks(
        inputs.risks,
        config.services,
        {k: v.objective for k, v in targets.items()},
        config.policy,
        observed=observed_by_service(rows, period),
        simulation=_simulation_of(simulated, inputs.risks),
    )
    register = {r.id for r in risks.items}
    matched = sum(1 for item in incidents.items if item.risk in register)
    risks = replace(risks, incidents_matched=matched, incidents_unmatched=incidents.count - matched)

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
    warnings = data_warnings(services, raw, period)
    headline = choose_headline(
        services,
        risks,
        loss,
        config,
        period,
        incidents=incidents,
        rows=rows,
        warnings=warnings,
        issued=issued,
        allow_incomplete=allow_incomplete,
    )
    facts = supporting_facts(services, incidents, loss, headline.kind)
    return Findings(
        organization=config.organization,
        period=period,
        currency=config.currency,
        services=services,
        incidents=incidents,
        loss_avoided=loss,
        risks=risks,
        data_quality=replace(inputs.data_quality, warnings=warnings),
        headline=headline,
        facts=facts,
        notes=inputs.notes,
        groups=compute_groups(services, config.policy.tier_weights),
        unrecorded_failures=unrecorded(services, splits, period, config),
        commentary=inputs.commentary,
    )


Simulated = tuple[pd.DataFrame, Simulation | None]  # the register simulated, and its years


def simulate_early(
    register: pd.DataFrame, config: Config, slos: Sequence[SloDefinition] = ()
) -> Future[Simulated]:
    """The register's simulation on a background thread: it needs only the register, so it
    runs beside reading the metrics and the rest of compute (numpy lets go of the
    interpreter while it draws); the result is the same as in the foreground."""
    from briefing.compute.risk import simulate_register

    def run() -> Simulated:
        targets = {k: v.objective for k, v in objectives_of(config, slos).items()}
        return register, simulate_register(register, config.services, targets, config.policy)

    background = ThreadPoolExecutor(max_workers=1)
    try:
        return background.submit(run)
    finally:
        background.shutdown(wait=False)


def _simulation_of(simulated: Future[Simulated], register: pd.DataFrame) -> Simulation | None:
    """The early simulation when it was of this very register (else None: simulate it)."""
    simulated_register, simulation = simulated.result()
    if simulated_register is register or simulated_register.equals(register):
        return simulation
    return None


def reconcile(
    services: Sequence[ServiceStatus],
    items: Sequence[IncidentItem],
    splits: Mapping[str, Split],
) -> tuple[ServiceStatus, ...]:
    """Each measured service's downtime cost split: inside incident windows, and the rest."""
    inside_by: dict[str, int] = {}
    for item in items:
        inside_by[item.service] = inside_by.get(item.service, 0) + cents(item.measured_cost or 0.0)
    result = []
    for service in services:
        if service.id not in splits or service.downtime_cost is None:
            result.append(service)
            continue
        inside = inside_by.get(service.id, 0)
        rest = cents(service.downtime_cost) - inside
        result.append(replace(service, incident_cost=inside / 100, unattributed_cost=rest / 100))
    return tuple(result)


def _sum_cents(amounts: Iterable[float | None]) -> float | None:
    known = [cents(a) for a in amounts if a is not None]
    return sum(known) / 100 if known else None


def unrecorded(
    services: Sequence[ServiceStatus],
    splits: Mapping[str, Split],
    period: Period,
    config: Config,
) -> tuple[UnrecordedFailure, ...]:
    """Days of failures outside every incident, worth `policy.unrecorded_minutes` or more."""
    found: list[UnrecordedFailure] = []
    for service in services:
        settings = config.service(service.id)
        if service.id in splits and settings is not None:
            found.extend(
                unrecorded_failures(
                    service,
                    splits[service.id],
                    period,
                    settings.cost_per_minute,
                    config.policy.unrecorded_minutes,
                )
            )
    return tuple(found)


def data_warnings(
    services: Sequence[ServiceStatus], raw: Mapping[str, pd.DataFrame], period: Period
) -> tuple[DataWarning, ...]:
    """Partial data (coverage under the policy's minimum), and traffic that fell by over half."""
    found: list[DataWarning] = []
    for service in services:
        if not service.complete:
            found.append(DataWarning(service.id, "partial_data", service.coverage))
        before = service.previous.total if service.previous else None
        now = int(period_rows(raw[service.id], period)["total"].sum())
        if before and now < TRAFFIC_DROP * before:
            found.append(DataWarning(service.id, "traffic_drop", float(now), float(before)))
    return tuple(found)


def supporting_facts(
    services: tuple[ServiceStatus, ...],
    incidents: IncidentSummary,
    loss: LossAvoided,
    headline_kind: str,
) -> tuple[Fact, ...]:
    """Three to five figures behind the headline, each with last period's value where known.

    With more than one service over its allowance, how many are over comes first
    (of them, how many are tier 1; how many more are close to it).
    """
    facts: list[Fact] = []
    measured = [s for s in services if s.status != "no_data"]
    over = [s for s in measured if s.status == "exhausted"]
    if len(over) > 1:
        before = [s.previous.budget_remaining if s.previous else None for s in measured]
        prev_over = (
            sum(1 for b in before if b is not None and b < 0)
            if all(b is not None for b in before)
            else None
        )
        fact = _fact(
            "services_over_budget", len(over), "count", prev_over, "lower", of=len(measured)
        )
        tiered = any(s.tier == 1 for s in measured)
        facts.append(
            replace(
                fact,
                critical=sum(1 for s in over if s.tier == 1) if tiered else None,
                at_risk=sum(1 for s in measured if s.status == "at_risk"),
            )
        )
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
        facts.append(
            _fact("downtime_cost", cost, "currency", prev_cost, "lower", basis="estimated")
        )
        within = sum(1 for s in measured if s.status != "exhausted")
        prev_within = (
            sum(1 for s in measured if s.previous and (s.previous.budget_remaining or 0.0) >= 0)
            if prev_known
            else None
        )
        if len(over) <= 1:  # else the count over the allowance says it
            facts.append(
                _fact(
                    "services_within_budget",
                    within,
                    "count",
                    prev_within,
                    "higher",
                    of=len(measured),
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
        modelled = _fact(
            "loss_avoided", loss.total, "currency", loss.previous_total, "higher", basis="modelled"
        )
        facts.append(replace(modelled, p10=loss.p10, p90=loss.p90))
    return tuple(facts[:5])


def _fact(
    key: FactKey,
    value: float,
    unit: str,
    previous: float | None,
    better: str,
    *,
    of: int | None = None,
    basis: Basis = "measured",
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
        basis=basis,
    )
