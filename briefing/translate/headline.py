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

from briefing.config.values import DEFAULT_ERROR_BUDGET_ACTION
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
        case "budget_exhausted" if choice.service is None:
            text, decision, scope = _organisation_words(findings, voice)
            paused, others = _paused(choice, voice)
            summary = _summary(
                choice,
                f"feature pause for {voice.count(len(paused), 'service')}"
                + (f", {voice.count(len(others), 'review')}" if others else ""),
                f" until {voice.day_month(choice.until)}" if choice.until else "",
                short=f"feature pause for {voice.count(len(paused), 'service')}",
            )
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
            scope = "the fixes for " + voice.named(_risk_titles(findings, choice.risk_ids))
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
        services=choice.services,
        named=min(len(choice.services), voice.config.policy.max_named_services),
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


def _paused(choice: HeadlineChoice, voice: Voice) -> tuple[list[str], list[str]]:
    """The names of the services the decision pauses, and of the others it counts."""
    names = [s.name for s in choice.services]
    limit = voice.config.policy.max_named_services
    return names[:limit], names[limit:]


def _organisation_words(findings: Findings, voice: Voice) -> tuple[str, str, str]:
    """Several services spent their allowance: the sentence, the decision and its scope."""
    choice = findings.headline
    allowance = voice.say("error budget")
    measured = sum(1 for s in findings.services if s.status != "no_data")
    paused, others = _paused(choice, voice)
    costliest = [f"{s.name} ({voice.money(s.downtime_cost)})" for s in choice.services]
    weighed = ", weighed by how critical they are" if _tiered(findings) else ""
    text = (
        f"{voice.number(len(choice.services))} of {voice.count(measured, 'service')} used more "
        f"than their {allowance} in {voice.month()}; failures on them cost about "
        f"{voice.money(choice.value)}. The costliest{weighed}: {voice.named(costliest)}."
    )
    action = voice.config.policy.error_budget_action
    if action == DEFAULT_ERROR_BUDGET_ACTION:
        action = "Pause new feature releases for {service} until each is back within its " + (
            allowance
        )
    decision = action.format(service=join(paused))
    scope = voice.config.policy.freeze_scope
    if len(others) == 1:
        decision += (
            f"; the owner of the one other service over its {allowance} reviews it by "
            f"{voice.day(choice.due)} and says whether to pause it too"
        )
        scope += "; the other service keeps releasing while its owner reviews it"
    elif others:
        decision += (
            f"; the owners of the {voice.count(len(others), 'other service')} over their "
            f"{allowance} review them by {voice.day(choice.due)} and say whether to pause them "
            "too"
        )
        scope += (
            f"; the {voice.count(len(others), 'other service')} keep releasing while their "
            "owners review them"
        )
    return text, decision + ".", scope


def _tiered(findings: Findings) -> bool:
    return len({s.tier for s in findings.services}) > 1


def _exposure_words(findings: Findings, voice: Voice) -> tuple[str, str]:
    choice = findings.headline
    allowance = voice.say("error budget")
    titles = _risk_titles(findings, choice.risk_ids)
    named = voice.named(titles)
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
        decision += f", and use the unspent {allowance} of {voice.named(spare)} to release faster"
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
        case "back_within" if choice.service is None:
            paused, _ = _paused(choice, voice)
            return (
                f"until each of {join(paused)} is back within its {voice.say('error budget')} "
                f"over its last {voice.count(choice.window_days, 'day')}, the last expected on "
                f"{voice.day(choice.until)} if failures return to their typical day of "
                f"{voice.month()}"
            )
        case "back_within":
            service = services[choice.service or ""]
            # page 1 prints the date before it: "15 November 2026: when ..."
            return (
                f"when the last {voice.count(choice.window_days, 'day')} of {service.name} are "
                f"back within its {voice.say('error budget')}, if its failures return to "
                f"their typical day of {voice.month()}"
            )
        case "next_period":
            if choice.kind == "budget_exhausted" and choice.service is None:
                return (
                    f"until the end of {following}: at their typical day of {voice.month()} "
                    f"not all of them would be back within their {voice.say('error budget')} "
                    f"sooner; reviewed in the briefing for {following}"
                )
            if choice.kind == "budget_exhausted":
                return (
                    f"the end of {following}: at its typical day of {voice.month()} the "
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
    if choice.kind == "budget_exhausted" and choice.service is None:
        text = _shared_words(choice, cause, chosen, voice) + matched
    elif choice.kind == "budget_exhausted":
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


def _shared_words(
    choice: HeadlineChoice, cause: Cause, chosen: list[IncidentItem], voice: Voice
) -> str:
    """What the costliest disruptions of many services have in common."""
    disruption = voice.say("incident")
    if not chosen:
        return f"No recorded {disruption} explains it: the failures had no incident record."
    kinds = [
        f"“{capital(k.title)}” ({voice.count(k.incidents, disruption)}"
        + (f" on {voice.count(k.services, 'service')}" if k.services > 1 else "")
        + f", {voice.money(k.cost)})"
        for k in cause.shared
    ]
    share = voice.percent((cause.cost or 0.0) / choice.value if choice.value else 0.0)
    lead = (
        f"The costliest {voice.count(len(chosen), disruption)} on these services explain "
        if len(chosen) > 1
        else f"One {disruption} explains "
    )
    return (
        f"{lead}{share} of their cost ({voice.money(cause.cost)}). "
        f"By kind, costliest first: {voice.named(kinds, 'other kind')}."
    )


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
    many = amount.services or 1
    per_day = amount.amount / (amount.days or 1.0) / many
    basis = (
        f"{voice.count(round(amount.days or 0), 'day')} of paused new features at "
        f"{voice.money(per_day)} a day (the agreed cost of a day's pause)"
    )
    if many > 1:
        basis = (
            f"{voice.count(round(amount.days or 0), 'day')} of paused new features on "
            f"{voice.count(many, 'service')} at {voice.money(per_day)} a service a day "
            "(the agreed cost of a day's pause)"
        )
    return replace(amount, basis=basis)


def _modelled(amount: float | None, voice: Voice) -> str:
    """A modelled amount as the pages print one: to the nearest 100."""
    return voice.money(round(amount or 0.0, -2))


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
                f"Removes up to {_modelled(option.amount, voice)} a year of expected loss "
                "(modelled); the pause alone does not change the risk"
            )
        case "keep_releasing" if len(option.services) > 1:
            decision = (
                f"Keep releasing new features on all {voice.count(len(option.services), 'service')}"
                f" over their {voice.say('error budget')}"
            )
            effect = (
                f"About {voice.money(option.amount)} of failures expected on them in {following} "
                "if nothing changes"
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
        case "pause_all":
            measured = sum(1 for s in findings.services if s.status != "no_data")
            decision = (
                f"Pause new features on all {voice.count(len(option.services), 'service')} over "
                f"their {voice.say('error budget')}, as the policy for a single service would"
            )
            effect = (
                f"Stops feature work on {voice.number(len(option.services))} of "
                f"{voice.count(measured, 'service')} until each recovers"
                + (
                    f", at about {voice.money(option.amount)} of paused work"
                    if option.amount is not None
                    else ""
                )
            )
        case "fix_largest_risk":
            decision = f"Fund only the fix for {title}"
            effect = (
                f"Cuts the expected yearly cost by {_modelled(option.amount, voice)} (modelled)"
            )
        case "accept_risk":
            decision = "Accept the risks as they are"
            effect = f"About {_modelled(option.amount, voice)} a year stays at stake (modelled)"
        case "reduce_investment":
            decision = "Reduce the reliability investment"
            effect = (
                f"Puts at stake losses like the {_modelled(option.amount, voice)} it avoided in "
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
    limit = voice.config.policy.max_named_services
    if len(choice.passed_over) > limit:
        partial = [services[sid].name for sid in choice.passed_over]
        notes.append(
            f"The figures for {voice.count(len(partial), 'service')} are partial "
            f"({voice.named(partial)}): their measurements cover less of {voice.month()} than "
            "the briefing needs, so they are not counted in the headline, although they used "
            f"more than their {voice.say('error budget')}."
        )
    for sid in choice.passed_over if len(choice.passed_over) <= limit else ():
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
    counted = [services[s.id] for s in choice.services if not services[s.id].complete]
    if choice.service is None and len(counted) == 1:
        notes.append(
            f"The figures for {counted[0].name} are partial: its measurements cover only "
            f"{voice.percent(counted[0].coverage)} of {voice.month()}"
            f"{_longest_gap(counted[0], voice)}, and the number above counts it as it stands."
        )
    elif choice.service is None and counted:
        notes.append(
            f"The figures for {voice.named([s.name for s in counted])} are partial: their "
            f"measurements do not cover all of {voice.month()}, and the number above counts "
            "them as they stand."
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
