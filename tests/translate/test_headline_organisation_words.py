"""The organisation's headline in words: at most `policy.max_named_services` named, then
how many others, and what happens to the others.

Five services over their allowance (costs 50,000, 40,000, 30,000, 20,000 and 10,000,
all tier 2) out of six measured: the headline is 150,000; three are named and paused,
the owners of the other two review theirs by the due date.
"""

from __future__ import annotations

from dataclasses import replace

from briefing.compute.headline import choose_headline
from briefing.config import Policy, ServiceConfig
from briefing.model import (
    DataQuality,
    Fact,
    Findings,
    IncidentItem,
    IncidentSummary,
    LossAvoided,
    Period,
    RiskItem,
    RiskSummary,
    ServiceStatus,
)
from briefing.translate.glossary import load_glossary
from briefing.translate.lint import find_jargon
from briefing.translate.words import translate
from tests.translate.voice_support import HERE, make_config

PERIOD = Period(2026, 10)
COSTS = {"a": 50_000.0, "b": 40_000.0, "c": 30_000.0, "d": 20_000.0, "e": 10_000.0, "f": 500.0}
NAMES = {sid: f"Shop {sid.upper()}" for sid in COSTS}
CONFIGS = tuple(ServiceConfig(sid, NAMES[sid], 0.999, 600.0, f"Owner {sid}", HERE) for sid in COSTS)


def status(sid: str) -> ServiceStatus:
    over = sid != "f"
    return ServiceStatus(
        id=sid,
        name=NAMES[sid],
        objective=0.999,
        good=0,
        total=1000,
        bad=0,
        sli=0.99,
        budget_events=1.0,
        budget_consumed=1.5 if over else 0.2,
        budget_remaining=-0.5 if over else 0.8,
        budget_minutes=44.64,
        equivalent_outage_minutes=1.0,
        downtime_cost=COSTS[sid],
        exhausted_at=None,
        status="exhausted" if over else "healthy",
        owner=f"Owner {sid}",
        coverage=1.0,
        complete=True,
    )


SERVICES = tuple(status(sid) for sid in COSTS)
ITEMS = tuple(
    IncidentItem(
        id=f"I{n}",
        service=sid,
        title=f"Bad config push to {sid}" if n < 2 else f"{sid} dependency timeout",
        severity="SEV2",
        started_at=f"2026-10-1{n}T10:00:00+00:00",
        detected_at=None,
        resolved_at=f"2026-10-1{n}T11:00:00+00:00",
        impact=1.0,
        duration_minutes=60.0,
        cost=1.0,
        budget_share=0.5,
        needs_postmortem=False,
        service_name=NAMES[sid],
        measured_cost=cost,
    )
    for n, (sid, cost) in enumerate([("a", 30_000.0), ("b", 25_000.0), ("c", 25_000.0)])
)
RISKS = tuple(
    RiskItem(
        f"R{n}", f"Risk {n}", "a", 1, 1, 1, 1, 1, 1, 1, 0.5, True, 1000.0 * (10 - n)
    )  # fmt: skip
    for n in range(5)
)


def findings(policy: Policy) -> Findings:
    incidents = IncidentSummary(len(ITEMS), {}, None, None, 0.0, ITEMS)
    config = make_config(services=CONFIGS, policy=policy)
    loss = LossAvoided(0.0, None, None, ())
    choice = choose_headline(SERVICES, RiskSummary(0.25), loss, config, PERIOD, incidents=incidents)
    return Findings(
        organization="Example Corp",
        period=PERIOD,
        currency="EUR",
        services=SERVICES,
        incidents=incidents,
        loss_avoided=loss,
        risks=RiskSummary(0.25, items=RISKS),
        data_quality=DataQuality(),
        headline=choice,
        facts=(Fact("services_over_budget", 5.0, "count", "", out_of=6, at_risk=1),),
    )


def test_the_organisation_headline_names_three_and_counts_the_others() -> None:
    policy = Policy()
    briefing = translate(findings(policy), load_glossary(), make_config(policy=policy))
    headline = briefing.headline
    assert (headline.value, headline.unit, headline.service) == (150_000.0, "currency", None)
    assert [s.id for s in headline.services] == ["a", "b", "c", "d", "e"]
    assert headline.named == 3
    assert headline.text == (
        "5 of 6 services used more than their downtime allowance in October 2026; failures on "
        "them cost about €150,000. The costliest: Shop A (€50,000), Shop B (€40,000), "
        "Shop C (€30,000) and 2 others."
    )
    # the decision pauses the three named; the others' owners review by the due date
    assert headline.decision == (
        "Pause new feature releases for Shop A, Shop B and Shop C until each is back within "
        "its downtime allowance; the owners of the 2 other services over their downtime "
        "allowance review them by 4 November 2026 and say whether to pause them too."
    )
    assert headline.due == "2026-11-04"
    assert "Shop D" not in headline.decision
    assert "Shop E" not in headline.decision
    assert headline.scope.endswith(
        "the 2 other services keep releasing while their owners review them"
    )
    # the cause: half of 150,000 is 75,000: 30,000 + 25,000 + 25,000 = 80,000 (53%); the
    # kinds print in business words ("config push" is jargon: a settings change)
    assert headline.cause is not None
    assert headline.cause.text == (
        "The costliest 3 service disruptions on these services explain 53% of their cost "
        "(€80,000). By kind, costliest first: “Bad settings change” (2 service disruptions on 2 "
        "services, €55,000) and “Dependency timeout” (1 service disruption, €25,000)."
    )
    # with " until 30 Nov" it would be 58 characters, over 52: the date is left out
    assert headline.summary == "Note: feature pause for 3 services, 2 reviews"
    assert [a.kind for a in headline.alternatives] == ["pause_all", "keep_releasing"]
    assert headline.alternatives[0].decision.startswith("Pause new features on all 5 services")
    glossary = load_glossary()
    for sentence in (headline.text, headline.decision, headline.cause.text):
        assert [f.word for f in find_jargon(sentence, glossary) if f.kind == "bare_jargon"] == []


def test_fewer_named_when_the_policy_says_so() -> None:
    policy = Policy(max_named_services=1)
    headline = translate(findings(policy), load_glossary(), make_config(policy=policy)).headline
    assert "The costliest: Shop A (€50,000) and 4 others." in headline.text
    assert headline.named == 1
    assert headline.decision.startswith("Pause new feature releases for Shop A until each")
    assert "the owners of the 4 other services" in headline.decision


def test_one_other_service_is_spoken_of_in_the_singular() -> None:
    policy = Policy(max_named_services=4)
    headline = translate(findings(policy), load_glossary(), make_config(policy=policy)).headline
    assert headline.decision.endswith(
        "; the owner of the one other service over its downtime allowance reviews it by "
        "4 November 2026 and says whether to pause it too."
    )
    assert headline.scope.endswith("; the other service keeps releasing while its owner reviews it")
    assert "Shop E" not in headline.decision
    assert headline.summary == "Note: feature pause for 4 services, 1 review"


def test_the_fact_counts_the_services_over() -> None:
    policy = Policy()
    briefing = translate(findings(policy), load_glossary(), make_config(policy=policy))
    # at risk: under 25% of the allowance left, i.e. over 75% used
    assert briefing.facts[0].text == (
        "5 of 6 services went over their downtime allowance; 1 more used over 75% of it"
    )
    critical = replace(findings(policy), facts=(replace(briefing.facts[0], critical=2),))
    worded = translate(critical, load_glossary(), make_config(policy=policy))
    assert ", 2 of them among the most critical;" in worded.facts[0].text


def test_risks_needing_action_name_at_most_three() -> None:
    policy = Policy()
    calm = tuple(replace(s, status="healthy", budget_remaining=0.5) for s in SERVICES)
    base = findings(policy)
    choice = choose_headline(
        calm, RiskSummary(0.25, items=RISKS), base.loss_avoided, make_config(policy=policy),
        PERIOD, incidents=base.incidents,
    )  # fmt: skip
    worded = translate(
        replace(base, services=calm, headline=choice), load_glossary(), make_config(policy=policy)
    ).headline
    assert worded.kind == "risk_exposure"
    # costliest first: R0 (10,000), R1 (9,000), R2 (8,000), then R3 and R4
    assert worded.decision.startswith("Fund the fixes for Risk 0, Risk 1, Risk 2 and 2 others;")
    assert worded.scope == "the fixes for Risk 0, Risk 1, Risk 2 and 2 others"
