"""Translate stage: `Findings` -> `Briefing`, every idea in business words.

Technical ideas reach the reader only through the glossary's `say_instead`
(the terms used are recorded for "Words we use"); services go by their business
name; money, percentages and dates follow the config's currency and locale;
personal data is removed from every value an export supplied (`redact`)
before anything is rendered.
"""

from __future__ import annotations

from dataclasses import replace
from typing import assert_never

from briefing import SCHEMA_VERSION
from briefing.config import Config
from briefing.model import Briefing, Fact, Findings, PeriodOut
from briefing.translate.figures import word_incidents, word_risks, word_services
from briefing.translate.glossary import Glossary
from briefing.translate.headline import warning_words, word_headline
from briefing.translate.history import differs_note, previous_decision
from briefing.translate.loss import word_loss
from briefing.translate.method import method_notes
from briefing.translate.phrases import PERIOD_WORDS, PeriodWords, Voice, Words, period_words
from briefing.translate.redact import redact_findings

__all__ = ["PERIOD_WORDS", "PeriodWords", "Words", "period_words", "translate"]


def translate(findings: Findings, glossary: Glossary, config: Config) -> Briefing:
    """Word the findings; returns the finished `Briefing` (numbers and sentences)."""
    findings = redact_findings(findings, config.policy.redact_patterns)
    words = Words(glossary)
    period = findings.period
    voice = Voice(words, config, period)
    titles = {item.id: item.title for item in findings.incidents.items}
    headline = word_headline(findings, voice, titles)
    facts = tuple(_fact_text(fact, voice) for fact in findings.facts)
    incidents = word_incidents(findings.incidents, voice)
    for term in ("error budget", "cost of downtime", "loss avoided", "incident"):
        words.say(term)
    if findings.risks.items:
        words.say("risk exposure")
        words.say("bad minutes per year")
    quality = replace(
        findings.data_quality,
        warnings=tuple(
            replace(w, text=warning_words(w, voice)) for w in findings.data_quality.warnings
        ),
    )
    notes = tuple(findings.notes) + tuple(method_notes(findings, voice))
    if findings.history_differs:
        notes += (differs_note(findings.history_differs, config.locale),)
    earlier = (
        previous_decision(
            findings.follow_up,
            words.say,
            voice.names,
            currency=config.currency,
            locale=config.locale,
        )
        if findings.follow_up
        else None
    )
    return Briefing(
        schema_version=SCHEMA_VERSION,
        organization=_organization(findings),
        period=PeriodOut(
            start=period.start.isoformat(), end=period.end.isoformat(), label=period.label
        ),
        currency=config.currency,
        headline=headline,
        services=word_services(findings.services, findings.incidents, voice),
        incidents=incidents,
        loss_avoided=word_loss(findings.loss_avoided, voice),
        risks=word_risks(findings.risks, findings.incidents, voice),
        data_quality=quality,
        facts=facts,
        notes=notes,
        terms=tuple(sorted(words.used.values(), key=lambda t: t.term.casefold())),
        locale=config.locale,
        timezone=config.timezone,
        groups=findings.groups,
        group=findings.group,
        unrecorded_failures=findings.unrecorded_failures,
        history=findings.history,
        previous_decision=earlier,
        commentary=findings.commentary.markdown if findings.commentary else None,
    )


def _organization(findings: Findings) -> str:
    """The organisation's name; a unit's own briefing adds the unit's."""
    if findings.group is None:
        return findings.organization
    return f"{findings.organization} \u2013 {findings.group}"


def _fact_text(fact: Fact, voice: Voice) -> Fact:
    value = fact.value
    disruption = voice.say("incident")
    match fact.key:
        case "downtime_cost":
            text = f"Service failures cost an estimated {voice.money(value)} in {voice.month()}"
            voice.say("cost of downtime")
        case "services_within_budget":
            text = (
                f"{voice.number(value)} of {voice.number(fact.out_of)} services stayed within "
                f"their {voice.say('error budget')}"
            )
        case "incidents":
            text = f"{voice.count(int(value), disruption)} hit customers"
        case "time_to_restore":
            text = f"Half of the {disruption}s were fixed within {voice.minutes(value)}"
            voice.say("MTTR")
        case "loss_avoided":
            text = f"Reliability work avoided an estimated {voice.money(value)} of losses"
            if fact.p10 is not None and fact.p90 is not None:
                text += (
                    f" (a modelled figure; {voice.say('confidence interval')} "
                    f"{voice.money(fact.p10)} to {voice.money(fact.p90)})"
                )
            voice.say("loss avoided")
        case _:
            assert_never(fact.key)
    return replace(fact, text=text)
