"""Translate: sentences in business words (redaction: test_redact.py)."""

from __future__ import annotations


def _findings_and_config():  # type: ignore[no-untyped-def]
    from dataclasses import replace
    from pathlib import Path

    from briefing.config import Config, Delivery, Policy, Report, ServiceConfig, Sources
    from briefing.errors import Location
    from briefing.model import (
        DataQuality,
        Fact,
        Findings,
        HeadlineChoice,
        IncidentItem,
        IncidentSummary,
        LossAvoided,
        Period,
        RiskSummary,
        ServiceStatus,
    )

    service = ServiceConfig(
        "checkout", "Online checkout", 0.999, 42_000.0, "Head of Commerce", Location(Path("b.yaml"))
    )
    config = Config(
        path=Path("b.yaml"),
        organization="Example Corp",
        currency="EUR",
        locale="en_GB",
        timezone="UTC",
        period="2026-10",
        services=(service,),
        sources=Sources(),
        glossary=(),
        policy=Policy(),
        delivery=Delivery(),
        report=Report(),
    )
    # 1,000,000 requests, 1,500 failed: 1.5x the 1,000 allowed; 1,500/1,000,000 x 44,640 = 66.96 min
    status = ServiceStatus(
        id="checkout",
        name="Online checkout",
        objective=0.999,
        good=998_500,
        total=1_000_000,
        bad=1_500,
        sli=0.9985,
        budget_events=1000.0,
        budget_consumed=1.5,
        budget_remaining=-0.5,
        budget_minutes=44.64,
        equivalent_outage_minutes=66.96,
        downtime_cost=66.96 * 700,
        exhausted_at=None,
        status="exhausted",
        owner="Head of Commerce",
    )
    item = IncidentItem(
        id="INC-1",
        service="checkout",
        title="Mail from bob@example.com bounced",
        severity="SEV2",
        started_at="2026-10-03T14:00:00+00:00",
        detected_at=None,
        resolved_at="2026-10-03T15:00:00+00:00",
        impact=0.5,
        duration_minutes=60.0,
        cost=21_000.0,
        budget_share=0.4,
        needs_postmortem=True,
    )
    findings = Findings(
        organization="Example Corp",
        period=Period(2026, 10),
        currency="EUR",
        services=(status,),
        incidents=IncidentSummary(1, {"SEV2": 1}, None, None, 21_000.0, (item,)),
        loss_avoided=LossAvoided(0.0, None, None, ()),
        risks=RiskSummary(0.25),
        data_quality=DataQuality(),
        headline=HeadlineChoice(
            "budget_exhausted", -0.5, "fraction", "checkout", "Head of Commerce", "2026-11-01"
        ),
        facts=(
            Fact("downtime_cost", 46_872.0, "currency", "", previous=40_000.0, change=6_872.0),
            Fact("incidents", 1, "count", ""),
        ),
    )
    return findings, config, replace


def test_sentences_are_in_business_words_and_amounts_in_the_locale() -> None:
    from briefing.translate.glossary import load_glossary
    from briefing.translate.lint import find_jargon
    from briefing.translate.words import translate

    findings, config, _ = _findings_and_config()
    glossary = load_glossary()
    briefing = translate(findings, glossary, config)
    allowance = glossary["error budget"].say_instead
    # 1.5 used = 150%; 66.96 min = 1 h 7 min; 66.96 x 700 = 46,872
    assert briefing.headline.text == (
        f"Online checkout used 150% of its {allowance} for October 2026: failures added up to "
        "the equivalent of 1\u00a0h 7\u00a0min of full outage, costing about €46,872."
    )
    # the default decision speaks of the allowance, never of a "budget"; until when is
    # its own line on page 1 (headline.until and until_condition)
    assert briefing.headline.decision == "Pause new feature releases for Online checkout"
    assert "budget" not in briefing.headline.decision.lower()
    assert briefing.facts[0].text == "Service failures cost an estimated €46,872 in October 2026"
    assert briefing.facts[1].text == f"1 {glossary['incident'].say_instead} hit customers"
    assert briefing.incidents.items[0].title == "Mail from a customer bounced"
    for sentence in (
        briefing.headline.text,
        briefing.headline.decision,
        *(f.text for f in briefing.facts),
    ):
        assert [f.word for f in find_jargon(sentence, glossary) if f.kind == "bare_jargon"] == []
    assert "error budget" in {t.term for t in briefing.terms}
