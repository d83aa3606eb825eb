"""Translate stage: page 1's headline and decision in business words.

Compute chose the rule, the figures and the reasons (`HeadlineChoice`); this
module words them: the sentence, the decision and its scope, until when and
on what condition, the cause, what acting and not acting cost, the
alternatives, the caveats on partial or implausible data, and the ask in a
few words for the email's subject.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import assert_never

from briefing.model import (
    Alternative,
    Amount,
    Cause,
    DataWarning,
    Findings,
    Headline,
    HeadlineChoice,
    IncidentItem,
    ServiceStatus,
)
from briefing.translate.phrases import Voice, capital, join

# characters: with " (September 2026)" the default subject stays on one 78-character
# header line ("Subject: " + 69), well under 80
SUMMARY_LIMIT = 52
ASK_WORDS = {"approve": "Approve", "note": "Note"}


def word_headline(findings: Findings, voice: Voice, titles: dict[str, str]) -> Headline:
    """The finished headline; `titles` are the incidents' titles as printed (redacted)."""
    choice = findings.headline
    by_id = {s.id: s for s in findings.services}
    match choice.kind:
        case "budget_exhausted":
            service = by_id[choice.service or ""]
            text = _exhausted_text(service, voice)
            decision = voice.config.policy.error_budget_action.format(service=service.name)
            scope = voice.config.policy.freeze_scope
            summary = _summary(
                choice,
                f"{service.name} feature pause",
                f" until {voice.day_month(choice.until)}" if choice.until else "",
                short="feature pause",
            )
        case "risk_exposure":
            text, decision = _exposure_words(findings, voice)
            scope = "the fixes for " + join(_risk_titles(findings, choice.risk_ids))
            summary = _summary(
                choice,
                f"fixes for {voice.count(len(choice.risk_ids), 'risk')}",
                f", {voice.money(choice.value)} a year at stake",
            )
        case "loss_avoided":
            text, decision = _loss_words(findings, voice)
            scope = "the reliability work as it stands"
            summary = _summary(choice, "keep the reliability work", "")
        case _:
            assert_never(choice.kind)
    return Headline(
        kind=choice.kind,
        value=choice.value,
        unit=choice.unit,
        service=choice.service,
        text=text,
        decision=decision,
        owner=choice.owner,
        due=choice.due,
        ask=choice.ask,
        scope=scope,
        until=choice.until,
        until_condition=_until_words(choice, by_id, voice),
        cause=_cause(choice, findings, voice, titles),
        cost_of_inaction=_inaction(choice.cost_of_inaction, choice, voice),
        cost_of_action=_action(choice.cost_of_action, voice),
        alternatives=tuple(_alternative(a, findings, voice) for a in choice.alternatives),
        issued=choice.issued,
        caveats=_caveats(choice, by_id, voice),
        summary=summary,
    )


# --------------------------------------------------------------------------- sentences


def _exhausted_text(service: ServiceStatus, voice: Voice) -> str:
    allowance = voice.say("error budget")
    voice.say("equivalent outage minutes")
    return (
        f"{service.name} used {voice.percent(service.budget_consumed or 0.0)} of its {allowance} "
        f"for {voice.month()}: failures added up to the equivalent of "
        f"{voice.minutes(service.equivalent_outage_minutes or 0.0)} of full outage, costing about "
        f"{voice.money(service.downtime_cost or 0.0)}."
    )


def _exposure_words(findings: Findings, voice: Voice) -> tuple[str, str]:
    choice = findings.headline
    allowance = voice.say("error budget")
    titles = _risk_titles(findings, choice.risk_ids)
    named = join(titles[:3] + (["others"] if len(titles) > 3 else []))
    count = len(titles)
    text = (
        f"{voice.count(count, 'risk')} would each use more of a year's {allowance} than we "
        f"accept, putting {voice.money(choice.value)} a year at stake."
    )
    decision = (
        f"Fund the fixes for {named}; bringing {'it' if count == 1 else 'them'} under the line "
        f"cuts the expected yearly cost by {voice.money(choice.reduction or 0.0)}."
    )
    return text, decision


def _loss_words(findings: Findings, voice: Voice) -> tuple[str, str]:
    choice = findings.headline
    allowance = voice.say("error budget")
    voice.say("loss avoided")
    exhausted = any(s.status == "exhausted" for s in findings.services)
    text = (
        f"Our reliability work avoided an estimated {voice.money(choice.value)} of losses in "
        f"{voice.month()} (a modelled figure)"
        + (f", and no service ran out of its {allowance}." if not exhausted else ".")
    )
    spare = [voice.name(s) for s in choice.services_with_spare]
    decision = "Keep the reliability investment"
    if spare:
        decision += f", and use the unspent {allowance} of {join(spare)} to release faster"
    return text, decision + "."


def _risk_titles(findings: Findings, ids: tuple[str, ...]) -> list[str]:
    by_id = {r.id: r.title for r in findings.risks.items}
    return [by_id.get(rid, rid) for rid in ids]


def _summary(choice: HeadlineChoice, what: str, detail: str, short: str = "") -> str:
    """The ask in a few words: "Note: Online checkout feature pause until 15 Nov".

    The first that fits SUMMARY_LIMIT of: all of it, without the detail, the short form
    with the detail, the short form alone.
    """
    lead = f"{ASK_WORDS[choice.ask]}: "
    short = short or what
    candidates = [what + detail, what, short + detail, short]
    return lead + next((c for c in candidates if len(lead + c) <= SUMMARY_LIMIT), short)


def _until_words(choice: HeadlineChoice, services: dict[str, ServiceStatus], voice: Voice) -> str:
    following = voice.month(voice.period.next())
    match choice.until_rule:
        case "back_within":
            service = services[choice.service or ""]
            return (
                f"until the last {voice.count(choice.window_days, 'day')} of {service.name} are "
                f"back within its {voice.say('error budget')}, expected on "
                f"{voice.day(choice.until)} if failures return to its typical day of "
                f"{voice.month()}"
            )
        case "next_period":
            if choice.kind == "budget_exhausted":
                return (
                    f"until the end of {following}: at its typical day of {voice.month()} the "
                    f"service would not be back within its {voice.say('error budget')} sooner; "
                    f"reviewed in the briefing for {following}"
                )
            return f"reviewed in the briefing for {following}"
        case _:
            assert_never(choice.until_rule)


def _cause(
    choice: HeadlineChoice, findings: Findings, voice: Voice, titles: dict[str, str]
) -> Cause | None:
    cause = choice.cause
    if cause is None:
        return None
    items = {i.id: i for i in findings.incidents.items}
    chosen = [items[i] for i in cause.incidents if i in items]
    disruption = voice.say("incident")
    risk = next((r for r in findings.risks.items if r.id == cause.risk), None)
    matched = f" It matches the registered risk “{risk.title}”." if risk is not None else ""
    if choice.kind == "budget_exhausted":
        service = next(s for s in findings.services if s.id == choice.service)
        if not chosen:
            text = f"No recorded {disruption} explains it: the failures had no incident record."
        else:
            described = join([_incident_words(i, voice, titles) for i in chosen])
            share = voice.percent(cause.budget_share or 0.0)
            whole = voice.percent((cause.budget_share or 0.0) / (service.budget_consumed or 1.0))
            alone = " between them" if len(chosen) > 1 else " on its own"
            text = (
                f"{capital(described)} used {share} of the {voice.say('error budget')}{alone}: "
                f"{whole} of what the service used.{matched}"
            )
    elif chosen:
        text = (
            f"{voice.count(len(chosen), disruption)} this {voice.noun} named these risks: "
            f"{join([_incident_words(i, voice, titles) for i in chosen])}.{matched}"
        )
    else:
        text = f"No {disruption} this {voice.noun} named these risks."
    return replace(cause, text=text)


def _incident_words(item: IncidentItem, voice: Voice, titles: dict[str, str]) -> str:
    title = titles.get(item.id, item.title)
    return f"the {voice.say('incident')} of {voice.day(item.started_at)} (“{title}”)"


def _inaction(amount: Amount | None, choice: HeadlineChoice, voice: Voice) -> Amount | None:
    if amount is None:
        return None
    following = voice.month(voice.period.next())
    days = voice.count(round(amount.days or 0), "day")
    match amount.kind:
        case "forecast":
            basis = (
                f"the risk register's expected yearly cost, for the {days} of {following} "
                f"(modelled); the pace of {voice.month()} would give "
                f"{voice.money(amount.compared or 0.0)}"
            )
        case _:
            basis = f"the pace of failures in {voice.month()}, for the {days} of {following}"
            basis += (
                f" (estimated); the risk register's forecast is lower, "
                f"{voice.money(amount.compared)}"
                if amount.compared
                else " (estimated); the risk register forecasts no loss for it"
            )
    return replace(amount, basis=basis)


def _action(amount: Amount | None, voice: Voice) -> Amount | None:
    if amount is None:
        return None
    per_day = amount.amount / (amount.days or 1.0)
    basis = (
        f"{voice.count(round(amount.days or 0), 'day')} of paused new features at "
        f"{voice.money(per_day)} a day (the agreed cost of a day's pause)"
    )
    return replace(amount, basis=basis)


def _alternative(option: Alternative, findings: Findings, voice: Voice) -> Alternative:
    risks = {r.id: r for r in findings.risks.items}
    risk = risks.get(option.risk or "")
    title = f"“{risk.title}”" if risk is not None else "the matched risk"
    following = voice.month(voice.period.next())
    match option.kind:
        case "fix_risk":
            decision = (
                f"Fund the fix for the registered risk {title} as well as, or instead of, the pause"
            )
            effect = (
                f"Removes up to {voice.money(option.amount)} a year of expected loss "
                "(modelled); the pause alone does not change the risk"
            )
        case "keep_releasing":
            decision = (
                f"Keep releasing new features for {join([voice.name(s) for s in option.services])}"
            )
            effect = (
                f"About {voice.money(option.amount)} of failures expected in {following} "
                "if nothing changes, with more change on a service already over its "
                f"{voice.say('error budget')}"
            )
        case "fix_largest_risk":
            decision = f"Fund only the fix for {title}"
            effect = f"Cuts the expected yearly cost by {voice.money(option.amount)} (modelled)"
        case "accept_risk":
            decision = "Accept the risks as they are"
            effect = f"About {voice.money(option.amount)} a year stays at stake (modelled)"
        case "reduce_investment":
            decision = "Reduce the reliability investment"
            effect = (
                f"Puts at stake losses like the {voice.money(option.amount)} it avoided in "
                f"{voice.month()} (modelled)"
            )
        case _:
            assert_never(option.kind)
    return replace(option, decision=decision, effect=effect)


def _caveats(
    choice: HeadlineChoice, services: dict[str, ServiceStatus], voice: Voice
) -> tuple[str, ...]:
    """Page 1's warnings: partial services passed over, a partial headline, traffic drops."""
    notes = []
    for sid in choice.passed_over:
        service = services[sid]
        notes.append(
            f"The figures for {service.name} are partial: its measurements cover "
            f"{voice.percent(service.coverage)} of {voice.month()}{_longest_gap(service, voice)}, "
            f"so it is not the headline, although it used "
            f"{voice.percent(service.budget_consumed)} of its {voice.say('error budget')}."
        )
    if choice.coverage is not None and choice.service:
        service = services[choice.service]
        notes.append(
            f"The figures for {service.name} are partial: the number above covers only "
            f"{voice.percent(choice.coverage)} of {voice.month()}"
            f"{_longest_gap(service, voice)}."
        )
    notes.extend(warning_words(w, voice) for w in choice.warnings if w.kind == "traffic_drop")
    return tuple(notes)


def _longest_gap(service: ServiceStatus, voice: Voice) -> str:
    if not service.gaps:
        return ""
    gap = max(
        service.gaps,
        key=lambda g: datetime.fromisoformat(g.end) - datetime.fromisoformat(g.start),
    )
    return f" (no data from {voice.day(gap.start)} until {voice.day(gap.end)})"


def warning_words(warning: DataWarning, voice: Voice) -> str:
    """A data-quality warning in words (the data quality section, and page 1 for the headline)."""
    name = voice.name(warning.service)
    match warning.kind:
        case "partial_data":
            return (
                f"{name}: the measurements cover {voice.percent(warning.value)} of "
                f"{voice.month()}, so its figures are partial."
            )
        case "traffic_drop":
            before = warning.previous or 0.0
            drop = 1.0 - warning.value / before if before else 0.0
            return (
                f"{name} recorded {voice.percent(drop)} fewer requests than in "
                f"{voice.month(voice.period.previous())} ({voice.number(warning.value)} against "
                f"{voice.number(before)}): check that its measurements are complete before "
                "relying on its figures."
            )
        case _:
            assert_never(warning.kind)
