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
from briefing.model import Briefing, Fact, Findings, IncidentItem, PeriodOut
from briefing.translate.figures import word_incidents, word_risks, word_services
from briefing.translate.glossary import Glossary
from briefing.translate.headline import warning_words, word_headline
from briefing.translate.history import differs_note, previous_decision
from briefing.translate.loss import word_loss
from briefing.translate.method import method_notes
from briefing.translate.pages import page_terms
from briefing.translate.phrases import PERIOD_WORDS, PeriodWords, Voice, Words, period_words
from briefing.translate.plain import plain_words
from briefing.translate.redact import redact_findings

__all__ = ["PERIOD_WORDS", "PeriodWords", "Words", "period_words", "translate"]


def translate(findings: Findings, glossary: Glossary, config: Config) -> Briefing:
    """Word the findings; returns the finished `Briefing` (numbers and sentences)."""
    findings = redact_findings(findings, config.policy.redact_patterns)
    words = Words(glossary)
    period = findings.period
    voice = Voice(words, config, period)
    # titles from the inputs print their jargon as business words, in every sentence
    # (each distinct title once: many incidents share a title)
    plain: dict[str, str] = {}

    def plain_title(title: str) -> str:
        if title not in plain:
            plain[title] = plain_words(title, glossary, words.say)
        return plain[title]

    incidents_plain = replace(
        findings.incidents,
        items=tuple(_titled(item, plain_title(item.title)) for item in findings.incidents.items),
        severity_words=_severity_words(findings, config),
    )
    risks_plain = replace(
        findings.risks,
        items=tuple(
            replace(r, title=plain_words(r.title, glossary, words.say))
            for r in findings.risks.items
        ),
    )
    cause = findings.headline.cause
    if cause is not None and cause.shared:  # the kinds of disruption many services share
        cause = replace(
            cause,
            shared=tuple(
                replace(k, title=plain_words(k.title, glossary, words.say)) for k in cause.shared
            ),
        )
    findings = replace(
        findings,
        incidents=incidents_plain,
        risks=risks_plain,
        headline=replace(findings.headline, cause=cause),
    )
    titles = {item.id: item.title for item in findings.incidents.items}
    headline = word_headline(findings, voice, titles)
    facts = tuple(_fact_text(fact, voice) for fact in findings.facts)
    incidents = word_incidents(findings.incidents, voice)
    for term in page_terms(findings):
        words.say(term)
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
        organization=findings.organization,
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


def _at_risk(voice: Voice) -> str:
    """The share of the allowance from which a service is close to spending it."""
    return voice.percent(1.0 - voice.config.policy.at_risk_below)


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
        case "services_over_budget":
            text = (
                f"{voice.number(value)} of {voice.number(fact.out_of)} services went over "
                f"their {voice.say('error budget')}"
            )
            if fact.critical:
                text += f", {voice.number(fact.critical)} of them among the most critical"
            if fact.at_risk:
                text += f"; {voice.number(fact.at_risk)} more used over {_at_risk(voice)} of it"
        case "incidents":
            text = f"{voice.count(int(value), disruption)} hit customers"
        case "time_to_restore":
            text = (
                f"Half of the {disruption}s were fixed within {voice.minutes(value)} "
                "of being noticed"
            )
            voice.say("MTTR")
        case "loss_avoided":
            # a modelled figure: to the nearest 100, as the pages print it
            text = (
                f"Reliability work avoided an estimated {voice.money(round(value, -2))} of losses"
            )
            if fact.p10 is not None and fact.p90 is not None:
                text += (
                    f" (a modelled figure; {voice.say('confidence interval')} "
                    f"{voice.money(round(fact.p10, -2))} to {voice.money(round(fact.p90, -2))})"
                )
            voice.say("loss avoided")
        case _:
            assert_never(fact.key)
    return replace(fact, text=text)


def _severity_words(findings: Findings, config: Config) -> dict[str, str]:
    """The word the pages print for each severity the briefing counts ("SEV1" -> "critical")."""
    codes = set(findings.incidents.by_severity) | {i.severity for i in findings.incidents.items}
    chosen = config.policy.severity_words
    return {code: chosen.get(code, code.lower()) for code in sorted(codes)}


def _titled(item: IncidentItem, title: str) -> IncidentItem:
    """The incident with `title` (itself when the title does not change)."""
    return item if title == item.title else replace(item, title=title)
