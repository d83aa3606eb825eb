"""The one actionable number: the policy's rules in order, with hand-worked values."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from briefing.compute.headline import choose_headline
from briefing.config import Config, Delivery, Policy, Report, ServiceConfig, Sources
from briefing.errors import Location
from briefing.model import LossAvoided, Period, RiskItem, RiskSummary, ServiceStatus

HERE = Location(Path("briefing.yaml"))
PERIOD = Period(2026, 10, "UTC")


def config(policy: Policy | None = None) -> Config:
    services = tuple(
        ServiceConfig(sid, sid.title(), 0.999, 6000.0, f"Owner of {sid}", HERE)
        for sid in ("a", "b", "c")
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
        policy=policy or Policy(),
        delivery=Delivery(),
        report=Report(),
    )


def status(sid: str, remaining: float, state: str, coverage: float = 1.0) -> ServiceStatus:
    return ServiceStatus(
        id=sid,
        name=sid.title(),
        objective=0.999,
        good=0,
        total=1000,
        bad=0,
        sli=1.0,
        budget_events=1.0,
        budget_consumed=1 - remaining,
        budget_remaining=remaining,
        budget_minutes=44.64,
        equivalent_outage_minutes=0.0,
        downtime_cost=0.0,
        exhausted_at=None,
        status=state,
        owner=f"Owner of {sid}",
        coverage=coverage,
        complete=coverage >= 0.95,
        room_to_release=state == "healthy" and remaining >= 0.5,  # as compute_service sets it
    )


def risk(rid: str, service: str, cost: float, fraction: float, action: bool) -> RiskItem:
    return RiskItem(
        id=rid,
        title=f"Risk {rid}",
        service=service,
        ettd_minutes=1,
        ettr_minutes=1,
        impact=1,
        ettf_days=1,
        incidents_per_year=1,
        bad_minutes_per_year=1,
        annual_budget_minutes=1,
        budget_fraction=fraction,
        needs_action=action,
        annual_cost=cost,
    )


SERVICES = (
    status("a", -0.2, "exhausted"),
    status("b", -0.5, "exhausted"),
    status("c", 0.9, "healthy"),
)
RISKS = RiskSummary(
    threshold_fraction=0.25,
    items=(
        risk("R1", "a", 100_000, 0.5, True),
        risk("R2", "b", 50_000, 0.3, True),
        risk("R3", "c", 9_000, 0.1, False),
    ),
)
LOSS = LossAvoided(total=12_345.0, p10=None, p90=None, components=())


def test_exhausted_budget_comes_first_lowest_remaining_wins() -> None:
    choice = choose_headline(SERVICES, RISKS, LOSS, config(), PERIOD)
    assert (choice.kind, choice.value, choice.unit, choice.service) == (
        "budget_exhausted",
        -0.5,
        "fraction",
        "b",
    )
    assert choice.owner == "Owner of b"
    # a pause under the agreed policy is noted; 1 November 2026 is a Sunday, so the briefing is
    # issued on Monday 2 November and noted by two working days later
    assert (choice.ask, choice.issued, choice.due) == ("note", "2026-11-02", "2026-11-04")
    assert choice.passed_over == ()


def test_risks_needing_action_sum_their_yearly_cost() -> None:
    healthy = tuple(
        replace(s, status="healthy", budget_remaining=0.5, budget_consumed=0.5) for s in SERVICES
    )
    choice = choose_headline(healthy, RISKS, LOSS, config(), PERIOD)
    assert (choice.kind, choice.unit, choice.service) == ("risk_exposure", "currency", None)
    assert choice.value == pytest.approx(150_000)  # R1 + R2; R3 is under the line
    # bringing each under the 25% line: 100,000 x (1 - 0.25/0.5) + 50,000 x (1 - 0.25/0.3)
    assert choice.reduction == pytest.approx(50_000 + 50_000 / 6)
    assert choice.risk_ids == ("R1", "R2")  # costliest first
    # a new spend is approved: 14 days after the issue on Monday 2 November is Monday 16
    assert (choice.ask, choice.due, choice.until) == ("approve", "2026-11-16", "2026-11-30")
    # the alternatives: only the costliest fix (100,000 x (1 - 0.25/0.5)), or accept them all
    assert [(a.kind, a.amount) for a in choice.alternatives] == [
        ("fix_largest_risk", pytest.approx(50_000)),
        ("accept_risk", pytest.approx(150_000)),
    ]


def test_otherwise_loss_avoided_with_services_that_have_room() -> None:
    calm = (status("a", 0.4, "healthy"), status("b", 0.6, "healthy"), status("c", 0.9, "healthy"))
    choice = choose_headline(calm, RiskSummary(0.25), LOSS, config(), PERIOD)
    assert (choice.kind, choice.value, choice.unit) == ("loss_avoided", 12_345.0, "currency")
    assert choice.services_with_spare == ("b", "c")  # half or more of their allowance left
    assert choice.owner == "Head of Reliability"
    assert choice.ask == "note"


def test_policy_can_pin_the_headline() -> None:
    choice = choose_headline(
        SERVICES, RISKS, LOSS, config(Policy(headline=("risk_exposure",))), PERIOD
    )
    assert choice.kind == "risk_exposure"
    pinned = choose_headline(
        SERVICES, RISKS, LOSS, config(Policy(headline=("loss_avoided",))), PERIOD
    )
    assert pinned.kind == "loss_avoided"


def test_a_pinned_rule_that_does_not_apply_falls_back_to_loss_avoided() -> None:
    calm = (status("a", 0.4, "healthy"),)
    choice = choose_headline(
        calm, RiskSummary(0.25), LOSS, config(Policy(headline=("budget_exhausted",))), PERIOD
    )
    assert choice.kind == "loss_avoided"


def test_a_service_with_partial_data_is_passed_over() -> None:
    """b is the worst, but its data covers 50% of the month: a is the headline; with only b
    exhausted the headline falls to the next rule."""
    partial = (
        status("a", -0.2, "exhausted"),
        status("b", -0.5, "exhausted", coverage=0.5),
        status("c", 0.9, "healthy"),
    )
    choice = choose_headline(partial, RISKS, LOSS, config(), PERIOD)
    assert (choice.kind, choice.service, choice.passed_over) == ("budget_exhausted", "a", ("b",))
    assert choice.coverage is None  # a's own figures are complete
    only_b = (status("b", -0.5, "exhausted", coverage=0.5), status("c", 0.9, "healthy"))
    choice = choose_headline(only_b, RISKS, LOSS, config(), PERIOD)
    assert (choice.kind, choice.passed_over) == ("risk_exposure", ("b",))
    # --allow-incomplete: b may be the headline, and its coverage goes with it
    allowed = choose_headline(partial, RISKS, LOSS, config(), PERIOD, allow_incomplete=True)
    assert (allowed.service, allowed.coverage, allowed.passed_over) == ("b", 0.5, ())


def test_policy_overrides_the_ask_and_the_issue_day() -> None:
    policy = Policy(headline_ask={"budget_exhausted": "approve"}, issue_working_day=3)
    choice = choose_headline(SERVICES, RISKS, LOSS, config(policy), PERIOD)
    # the third working day from Sunday 1 November: Mon 2, Tue 3, Wed 4; approve: + 14 days
    assert (choice.ask, choice.issued, choice.due) == ("approve", "2026-11-04", "2026-11-18")
    from datetime import date

    named = choose_headline(SERVICES, RISKS, LOSS, config(), PERIOD, issued=date(2026, 11, 6))
    # issued on Friday 6 November; noted by two working days later: Tuesday 10 November
    assert (named.issued, named.due) == ("2026-11-06", "2026-11-10")
