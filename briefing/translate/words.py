"""Translate stage: `Findings` -> `Briefing`, every idea in business words.

Technical ideas reach the reader only through the glossary's `say_instead`
(the terms used are recorded for "Words we use"); services go by their business
name; money, percentages and dates follow the config's currency and locale;
personal data is removed from every value an export supplied (`redact`)
before anything is rendered.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from briefing import SCHEMA_VERSION
from briefing.config import Config
from briefing.formatting import minutes, money, period_name
from briefing.formatting import percent as _percent
from briefing.model import Briefing, Fact, Findings, Headline, PeriodOut, Term
from briefing.periods import Period
from briefing.translate.glossary import Glossary
from briefing.translate.redact import redact_findings


@dataclass(frozen=True, slots=True)
class PeriodWords:
    """How the pages speak of the period's kind: "the quarter's allowance", "quarterly",
    and the steps of its burn-down (a year's is drawn a week at a time)."""

    noun: str
    adjective: str
    steps: str = "day by day"


PERIOD_WORDS = {
    "month": PeriodWords("month", "monthly"),
    "quarter": PeriodWords("quarter", "quarterly"),
    "year": PeriodWords("year", "yearly", "week by week"),
    "week": PeriodWords("week", "weekly"),
}


def period_words(label: str) -> PeriodWords:
    """The words for the kind of the period labelled `label` (2026-Q3 -> quarter)."""
    return PERIOD_WORDS[Period.parse(label).kind]


class Words:
    """Glossary phrases, remembering which terms a briefing used."""

    def __init__(self, glossary: Glossary) -> None:
        self.glossary = glossary
        self.used: dict[str, Term] = {}

    def say(self, term: str) -> str:
        entry = self.glossary.lookup(term)
        if entry is None:
            return term
        self.used.setdefault(
            entry.term,
            Term(
                entry.term,
                entry.say_instead,
                entry.definition,
                entry.metaphor,
                entry.why_it_matters,
            ),
        )
        return entry.say_instead


def translate(findings: Findings, glossary: Glossary, config: Config) -> Briefing:
    """Word the findings; returns the finished `Briefing` (numbers and sentences)."""
    findings = redact_findings(findings, config.policy.redact_patterns)
    words = Words(glossary)
    locale, currency = config.locale, config.currency
    period = findings.period
    name = period_name(period.label, locale)
    names = {s.id: s.name for s in config.services}
    headline = _headline(findings, words, config, name, names)
    facts = tuple(_fact_text(fact, words, locale, currency, name) for fact in findings.facts)
    incidents = findings.incidents
    for term in ("error budget", "cost of downtime", "loss avoided", "incident"):
        words.say(term)
    if findings.risks.items:
        words.say("risk exposure")
        words.say("bad minutes per year")
    notes = tuple(findings.notes) + tuple(_method_notes(findings, words, config))
    return Briefing(
        schema_version=SCHEMA_VERSION,
        organization=findings.organization,
        period=PeriodOut(
            start=period.start.isoformat(), end=period.end.isoformat(), label=period.label
        ),
        currency=currency,
        headline=headline,
        services=findings.services,
        incidents=incidents,
        loss_avoided=findings.loss_avoided,
        risks=findings.risks,
        data_quality=findings.data_quality,
        facts=facts,
        notes=notes,
        terms=tuple(sorted(words.used.values(), key=lambda t: t.term.casefold())),
        locale=locale,
        timezone=config.timezone,
    )


def _headline(
    findings: Findings, words: Words, config: Config, name: str, names: dict[str, str]
) -> Headline:
    choice = findings.headline
    locale, currency = config.locale, config.currency
    allowance = words.say("error budget")
    if choice.kind == "budget_exhausted":
        service = next(s for s in findings.services if s.id == choice.service)
        used = percent(service.budget_consumed or 0.0, locale)
        outage = minutes(service.equivalent_outage_minutes or 0.0)
        text = (
            f"{service.name} used {used} of its {allowance} for {name}: failures added up to "
            f"{outage} of full {words.say('downtime')}, costing about "
            f"{money(service.downtime_cost or 0.0, currency, locale)}."
        )
        decision = config.policy.error_budget_action.format(service=service.name)
    elif choice.kind == "risk_exposure":
        flagged = [r for r in findings.risks.items if r.id in choice.risk_ids]
        titles = ", ".join(r.title for r in flagged[:3]) + (
            " and others" if len(flagged) > 3 else ""
        )
        count = len(flagged)
        text = (
            f"{count} {'risk' if count == 1 else 'risks'} would each use more of a year's {allowance} "
            f"than we accept, putting {money(choice.value, currency, locale)} a year at stake."
        )
        decision = (
            f"Fund the fixes for {titles}; bringing {'it' if count == 1 else 'them'} under the line "
            f"cuts the expected yearly cost by {money(choice.reduction or 0.0, currency, locale)}."
        )
    else:
        words.say("loss avoided")
        exhausted = sum(1 for s in findings.services if s.status == "exhausted")
        text = (
            f"Our reliability work avoided an estimated {money(choice.value, currency, locale)} of "
            f"losses in {name}"
            + (f", and no service ran out of its {allowance}." if not exhausted else ".")
        )
        spare = [names.get(s, s) for s in choice.services_with_spare]
        decision = "Keep the reliability investment"
        if spare:
            decision += f", and use the unspent {allowance} of {_join(spare)} to release faster"
        decision += "."
    return Headline(
        kind=choice.kind,
        value=choice.value,
        unit=choice.unit,
        service=choice.service,
        text=text,
        decision=decision,
        owner=choice.owner,
        due=choice.due,
    )


def _fact_text(fact: Fact, words: Words, locale: str, currency: str, name: str) -> Fact:
    value = fact.value
    if fact.key == "downtime_cost":
        text = f"Service failures cost an estimated {money(value, currency, locale)} in {name}"
        words.say("cost of downtime")
    elif fact.key == "services_within_budget":
        text = f"{int(value)} of {fact.out_of} services stayed within their {words.say('error budget')}"
    elif fact.key == "incidents":
        count = int(value)
        noun = words.say("incident")
        text = f"{count} {noun}{'' if count == 1 else 's'} hit customers"
    elif fact.key == "time_to_restore":
        text = f"Half of the {words.say('incident')}s were fixed within {minutes(value)}"
        words.say("MTTR")
    elif fact.key == "loss_avoided":
        text = f"Reliability work avoided an estimated {money(value, currency, locale)} of losses"
        words.say("loss avoided")
    else:
        text = fact.key
    return replace(fact, text=text)


def _method_notes(findings: Findings, words: Words, config: Config) -> list[str]:
    """How we got these numbers: the core's formulas in plain words."""
    period = findings.period
    noun = PERIOD_WORDS[period.kind].noun
    allowance = words.say("error budget")
    notes = [
        f"The {noun} runs from {period.start.isoformat()} to {period.end.isoformat()} "
        f"({config.timezone} time), {period.minutes:,.0f} minutes.",
        f"A service's {allowance} is the share of requests its target lets fail: a 99.9% target "
        "allows 1 failed request in 1,000. Used = failed requests / allowed failed requests.",
        f"Minutes of full outage = failed requests / all requests x minutes in the {noun}; "
        "their cost = those minutes x the service's cost of downtime per hour / 60.",
        f"An incident's cost = its minutes inside the {noun} x the share of users affected x the "
        "cost of downtime per minute; where incidents of one service overlap, each minute is "
        "counted once, for the incident that hurt most.",
        f"An incident's share of the {allowance} = failed requests during it / allowed failed "
        f"requests for the {noun}; above {percent(config.policy.postmortem_share, config.locale)} "
        "it needs a written review.",
    ]
    try:
        from briefing.compute.loss_avoided import assumptions
    except ImportError:
        return notes
    notes.extend(assumptions(findings.risks, findings.loss_avoided, config.policy, noun=noun))
    return notes


def percent(fraction: float, locale: str) -> str:
    return _percent(fraction, locale, digits=0)


def _join(items: Sequence[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]
