"""Several services over their allowance: the headline is the organisation's figure.

Six services (hand-worked, tier weights 1: 3, 2: 2, 3: 1):
  s1 tier 1, 100,000 -> weighted 300,000   exhausted
  s2 tier 2, 180,000 -> weighted 360,000   exhausted
  s3 tier 3, 250,000 -> weighted 250,000   exhausted
  s4 tier 2,  90,000 -> weighted 180,000   exhausted
  s5 tier 2, 400,000                       exhausted, but its data covers half the month
  s6 tier 2,  10,000                       healthy
The headline: s1 + s2 + s3 + s4 = 620,000, ranked s2, s1, s3, s4; s5 is passed over.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from briefing.compute import supporting_facts
from briefing.compute.causes import kind_of, shared_cause
from briefing.compute.headline import choose_headline
from briefing.config import Config, Delivery, Policy, Report, ServiceConfig, Sources
from briefing.errors import Location
from briefing.model import (
    IncidentItem,
    IncidentSummary,
    LossAvoided,
    Period,
    RiskSummary,
    ServiceStatus,
)

HERE = Location(Path("briefing.yaml"))
PERIOD = Period(2026, 10, "UTC")
TIERS = {"s1": 1, "s2": 2, "s3": 3, "s4": 2, "s5": 2, "s6": 2}
COSTS = {"s1": 100_000.0, "s2": 180_000.0, "s3": 250_000.0, "s4": 90_000.0, "s5": 400_000.0}


def config(policy: Policy) -> Config:
    services = tuple(
        ServiceConfig(sid, f"Service {sid}", 0.999, 6000.0, f"Owner of {sid}", HERE, tier=tier)
        for sid, tier in TIERS.items()
    )
    return Config(
        path=Path("briefing.yaml"),
        organization="Org",
        currency="EUR",
        locale="en_GB",
        timezone="UTC",
        period="2026-10",
        services=services,
        sources=Sources(),
        glossary=(),
        policy=policy,
        delivery=Delivery(),
        report=Report(),
    )


def status(sid: str) -> ServiceStatus:
    exhausted = sid in COSTS
    coverage = 0.5 if sid == "s5" else 1.0
    return ServiceStatus(
        id=sid,
        name=f"Service {sid}",
        objective=0.999,
        good=0,
        total=1000,
        bad=0,
        sli=0.99,
        budget_events=1.0,
        budget_consumed=2.0 if exhausted else 0.1,
        budget_remaining=-1.0 if exhausted else 0.9,
        budget_minutes=44.64,
        equivalent_outage_minutes=1.0,
        downtime_cost=COSTS.get(sid, 10_000.0),
        exhausted_at=None,
        status="exhausted" if exhausted else "healthy",
        owner=f"Owner of {sid}",
        tier=TIERS[sid],
        coverage=coverage,
        complete=coverage >= 0.95,
    )


def incident(iid: str, service: str, title: str, measured: float) -> IncidentItem:
    return IncidentItem(
        id=iid,
        service=service,
        title=title,
        severity="SEV2",
        started_at=f"2026-10-{10 + int(iid[1:]):02d}T10:00:00+00:00",
        detected_at=None,
        resolved_at=f"2026-10-{10 + int(iid[1:]):02d}T11:00:00+00:00",
        impact=1.0,
        duration_minutes=60.0,
        cost=1.0,
        budget_share=0.5,
        needs_postmortem=False,
        service_name=f"Service {service}",
        measured_cost=measured,
    )


SERVICES = tuple(status(sid) for sid in TIERS)
ITEMS = (
    incident("i1", "s2", "Bad config push to s2", 200_000.0),
    incident("i2", "s3", "Bad config push to Service s3", 150_000.0),
    incident("i3", "s1", "s1 dependency timeout", 60_000.0),
    incident("i4", "s5", "Bad config push to s5", 300_000.0),  # s5 is not counted
    incident("i5", "s4", "Cache stampede in s4", 5_000.0),
)
INCIDENTS = IncidentSummary(len(ITEMS), {}, None, None, 0.0, ITEMS)
LOSS = LossAvoided(total=0.0, p10=None, p90=None, components=())


def choose(policy: Policy) -> object:
    return choose_headline(
        SERVICES, RiskSummary(0.25), LOSS, config(policy), PERIOD, incidents=INCIDENTS
    )


def test_the_headline_is_the_total_cost_of_the_services_over_their_allowance() -> None:
    choice = choose_headline(
        SERVICES,
        RiskSummary(0.25),
        LOSS,
        config(Policy(cost_of_freeze_per_day=1_000.0)),
        PERIOD,
        incidents=INCIDENTS,
    )
    assert (choice.kind, choice.unit, choice.service) == ("budget_exhausted", "currency", None)
    assert choice.value == pytest.approx(620_000.0)  # 100,000 + 180,000 + 250,000 + 90,000
    # by cost x tier weight: 360,000, 300,000, 250,000, 180,000
    assert [(s.id, s.downtime_cost, s.tier) for s in choice.services] == [
        ("s2", 180_000.0, 2),
        ("s1", 100_000.0, 1),
        ("s3", 250_000.0, 3),
        ("s4", 90_000.0, 2),
    ]
    assert sum(s.downtime_cost for s in choice.services) == pytest.approx(choice.value)
    assert choice.passed_over == ("s5",)
    assert choice.owner == "Head of Reliability"  # the organisation's, not one service's
    # no metrics rows given: the pause runs to the end of November, reviewed then
    assert (choice.until, choice.until_rule) == ("2026-11-30", "next_period")
    # next period's pace: 620,000 x 30 / 31 days = 600,000
    assert choice.cost_of_inaction is not None
    assert choice.cost_of_inaction.amount == pytest.approx(600_000.0)
    # pausing the three named services from 1 to 30 November: 3 x 1,000 x 30 days
    assert choice.cost_of_action is not None
    assert (choice.cost_of_action.amount, choice.cost_of_action.services) == (90_000.0, 3)
    # the alternatives: pause all four (4 x 1,000 x 30), or keep releasing on all four
    assert [(a.kind, a.amount, len(a.services)) for a in choice.alternatives] == [
        ("pause_all", 120_000.0, 4),
        ("keep_releasing", pytest.approx(600_000.0), 4),
    ]


def test_pausing_all_is_no_alternative_when_the_decision_names_them_all() -> None:
    # four services over, four named: pausing "all four" is the decision, not another way
    choice = choose(Policy(max_named_services=4))
    assert [s.id for s in choice.services] == ["s2", "s1", "s3", "s4"]
    assert [a.kind for a in choice.alternatives] == ["keep_releasing"]


def test_the_cause_is_what_the_costliest_incidents_share() -> None:
    cause = shared_cause([s for s in SERVICES if s.complete and s.status == "exhausted"], ITEMS, ())
    # half of 620,000 is 310,000: i1 (200,000) is not enough, i1 + i2 (350,000) is
    assert cause.incidents == ("i1", "i2")
    assert cause.cost == pytest.approx(350_000.0)
    assert [(k.title, k.incidents, k.services, k.cost) for k in cause.shared] == [
        ("Bad config push", 2, 2, 350_000.0)
    ]


def test_an_incident_kind_is_its_title_without_the_service() -> None:
    assert kind_of("Latency regression after deploy of svc-032", "svc-032") == (
        "Latency regression after deploy"
    )
    assert kind_of("Partial outage of svc-032 in one zone", "svc-032") == (
        "Partial outage in one zone"
    )
    assert kind_of("svc-032 queue backlog", "svc-032", "Service 032") == "queue backlog"
    assert kind_of("Checkout slow on Online checkout", "checkout", "Online checkout") == (
        "Checkout slow"
    )
    # a title naming no service stays as it is
    assert kind_of("Certificate expiry", "svc-001") == "Certificate expiry"


def test_the_first_fact_is_how_many_services_are_over() -> None:
    at_risk = replace(SERVICES[5], status="at_risk", budget_remaining=0.1)
    services = (*SERVICES[:5], at_risk)
    facts = supporting_facts(services, INCIDENTS, LOSS, "budget_exhausted")
    first = facts[0]
    # s1..s5 spent their allowance (s5's data is partial, but it did): 5 of 6 measured
    assert (first.key, first.value, first.out_of) == ("services_over_budget", 5.0, 6)
    assert (first.critical, first.at_risk) == (1, 1)  # s1 is tier 1; s6 is close
    assert "services_within_budget" not in [f.key for f in facts]


def test_with_one_service_over_the_facts_stay_as_they_were() -> None:
    one = (SERVICES[0], *(replace(s, status="healthy") for s in SERVICES[1:]))
    facts = supporting_facts(one, INCIDENTS, LOSS, "budget_exhausted")
    assert [f.key for f in facts][:2] == ["downtime_cost", "services_within_budget"]
