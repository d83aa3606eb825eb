"""Page 1's decision in words: what compute decided, worded in the config's locale.

The service: Online checkout, 1,000,000 requests in October 2026 (UTC), 1,500 failed of
1,000 allowed (used 150%); 66.96 minutes of full outage x 700 a minute = 46,872.
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from briefing.config import Policy
from briefing.model import (
    Alternative,
    Amount,
    Cause,
    DataQuality,
    DataWarning,
    Fact,
    Findings,
    Gap,
    HeadlineChoice,
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
from tests.translate.voice_support import make_config

CHECKOUT = ServiceStatus(
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
    downtime_cost=46_872.0,
    exhausted_at=None,
    status="exhausted",
    owner="Head of Commerce",
    coverage=1.0,
    complete=True,
    incident_cost=35_000.4,
    unattributed_cost=11_871.6,
)
PAYMENTS = replace(
    CHECKOUT,
    id="payments",
    name="Card payments",
    budget_consumed=3.0,
    budget_remaining=-2.0,
    coverage=0.5,
    complete=False,
    gaps=(Gap("2026-10-01T00:00:00+00:00", "2026-10-16T00:00:00+00:00"),),
)
OUTAGE = IncidentItem(
    id="INC-9",
    service="checkout",
    title="Checkout down after a configuration change by bob@example.com",
    severity="SEV1",
    started_at="2026-10-15T09:05:00+00:00",
    detected_at="2026-10-15T09:11:00+00:00",
    resolved_at="2026-10-15T10:29:00+00:00",
    impact=0.45,
    duration_minutes=84.0,
    cost=26_460.0,
    budget_share=1.14,
    needs_postmortem=True,
    measured_cost=35_000.4,
    risk="R1",
)
R1 = RiskItem(
    "R1", "Bad configuration change", "checkout", 10, 40, 0.6, 60, 6.09, 182.6, 525.96,
    0.347, True, 127_837.5,
)  # fmt: skip
CHOICE = HeadlineChoice(
    kind="budget_exhausted",
    value=-0.5,
    unit="fraction",
    service="checkout",
    owner="Head of Commerce",
    due="2026-11-04",
    ask="note",
    issued="2026-11-02",
    until="2026-11-15",
    until_rule="back_within",
    window_days=31,
    cause=Cause(("INC-9",), 1.14, "R1"),
    cost_of_inaction=Amount(45_360.0, "", "current_pace", 30.0, compared=10_500.0),
    cost_of_action=Amount(37_500.0, "", "freeze_days", 15.0),
    alternatives=(
        Alternative("", "", kind="fix_risk", amount=127_837.5, risk="R1"),
        Alternative("", "", kind="keep_releasing", amount=45_360.0, services=("checkout",)),
    ),
    passed_over=("payments",),
    warnings=(DataWarning("checkout", "traffic_drop", 400_000.0, 1_000_000.0),),
)


def findings(choice: HeadlineChoice = CHOICE) -> Findings:
    return Findings(
        organization="Example Corp",
        period=Period(2026, 10),
        currency="EUR",
        services=(CHECKOUT, PAYMENTS),
        incidents=IncidentSummary(
            1,
            {"SEV1": 1},
            6.0,
            78.0,
            26_460.0,
            (OUTAGE,),
            measured_cost=35_000.4,
            unattributed_cost=11_871.6,
        ),  # fmt: skip
        loss_avoided=LossAvoided(0.0, None, None, ()),
        risks=RiskSummary(0.25, items=(R1,), incidents_matched=1, incidents_unmatched=0),
        data_quality=DataQuality(),
        headline=choice,
        facts=(
            Fact(
                "loss_avoided",
                127_386.0,
                "currency",
                "",
                basis="modelled",
                p10=109_772.0,
                p90=176_948.0,
            ),
        ),  # fmt: skip
    )


def test_the_decision_in_words() -> None:
    headline = translate(findings(), load_glossary(), make_config()).headline
    assert (headline.ask, headline.issued, headline.due, headline.until) == (
        "note",
        "2026-11-02",
        "2026-11-04",
        "2026-11-15",
    )
    assert headline.scope == Policy().freeze_scope
    # page 1 prints it after the date (headline.until): "15 November 2026: when ..."
    assert headline.until_condition == (
        "when the last 31 days of Online checkout are back within its downtime allowance, "
        "if its failures return to their typical day of October 2026"
    )
    # the cause: one incident, 114% of the allowance, 1.14 / 1.5 = 76% of what was used;
    # its title is printed redacted, and the titles' jargon as business words
    assert headline.cause is not None
    assert headline.cause.text == (
        "The service disruption of 15 October 2026 (“Checkout down after a settings "
        "change by a customer”) used 114% of the downtime allowance on its own: 76% of what "
        "the service used. It matches the registered risk “Bad settings change”."
    )
    assert headline.cost_of_inaction is not None
    assert headline.cost_of_action is not None
    assert "€10,500" in headline.cost_of_inaction.basis  # the forecast it was compared with
    assert headline.cost_of_action.basis.startswith("15 days of paused new features at €2,500")
    assert [a.kind for a in headline.alternatives] == ["fix_risk", "keep_releasing"]
    assert "€127,800 a year" in headline.alternatives[0].effect  # modelled: 127,837.5 to 100
    assert "€45,360" in headline.alternatives[1].effect
    # page 1 says which service is partial and why it is not the headline, and the drop
    assert headline.caveats == (
        "The figures for Card payments are partial: its measurements cover 50% of October 2026 "
        "(no data from 1 October 2026 until 16 October 2026), so it is not the headline, "
        "although it used 300% of its downtime allowance.",
        "Online checkout recorded 60% fewer requests than in September 2026 (400,000 against "
        "1,000,000): check that its measurements are complete before relying on its figures.",
    )
    assert headline.summary == "Note: Online checkout feature pause until 15 Nov"
    glossary = load_glossary()
    for sentence in (
        headline.decision,
        headline.until_condition,
        headline.cause.text,
        *headline.caveats,
        *(a.decision + " " + a.effect for a in headline.alternatives),
    ):
        assert [f.word for f in find_jargon(sentence, glossary) if f.kind == "bare_jargon"] == []


def test_a_partial_headline_says_how_much_of_the_month_it_covers() -> None:
    allowed = replace(CHOICE, service="payments", coverage=0.5, passed_over=(), warnings=())
    headline = translate(findings(allowed), load_glossary(), make_config()).headline
    assert headline.caveats == (
        "The figures for Card payments are partial: the number above covers only 50% of "
        "October 2026 (no data from 1 October 2026 until 16 October 2026).",
    )


def test_the_summary_stays_short_and_the_ask_can_be_to_approve() -> None:
    long_name = replace(CHECKOUT, name="Customer account self-service portal")
    approve = replace(CHOICE, ask="approve")
    worded = translate(
        replace(findings(approve), services=(long_name, PAYMENTS)), load_glossary(), make_config()
    )
    # "Approve: Customer account self-service portal feature pause until 15 Nov" is 72
    # characters, 59 without the date: over 52, so the short form keeps the date
    assert worded.headline.summary == "Approve: feature pause until 15 Nov"


def test_figures_in_sentences_follow_the_locale() -> None:
    german = make_config(locale="de_DE")
    worded = translate(findings(), load_glossary(), german)
    assert worded.headline.cost_of_action is not None
    assert "2.500\u00a0€" in worded.headline.cost_of_action.basis  # not "€2,500"
    assert "127.400\u00a0€" in worded.facts[0].text  # modelled: to the nearest 100
    # modelled figures carry their basis and range
    assert (worded.facts[0].basis, worded.facts[0].p10) == ("modelled", 109_772.0)
    assert (
        "(a modelled figure; likely range"
        in translate(findings(), load_glossary(), make_config()).facts[0].text
    )
    # the bridge: parts rounded so that they add up as printed (35,000 + 11,872 = 46,872)
    assert worded.incidents.bridge == (
        "Of 46.872\u00a0€: 35.000\u00a0€ in 1 recorded service disruption and 11.872\u00a0€ in "
        "failures with no incident record."
    )


@pytest.mark.parametrize("kind", ["risk_exposure", "loss_avoided"])
def test_every_headline_kind_is_worded(kind: str) -> None:
    choice = replace(
        CHOICE,
        kind=kind,
        unit="currency",
        value=127_837.5,
        service=None,
        risk_ids=("R1",),
        reduction=63_918.75,
        until_rule="next_period",
        until="2026-11-30",
        cause=Cause((), None, "R1") if kind == "risk_exposure" else None,
        alternatives=(Alternative("", "", kind="accept_risk", amount=127_837.5),),
        passed_over=(),
        warnings=(),
    )
    headline = translate(findings(choice), load_glossary(), make_config()).headline
    assert headline.until_condition == "reviewed in the briefing for November 2026"
    # modelled: 127,837.5 to the nearest 100
    assert headline.alternatives[0].effect == "About €127,800 a year stays at stake (modelled)"
    assert headline.text
    assert headline.decision
    assert headline.summary
