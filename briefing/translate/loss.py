"""Translate stage: what stands behind each part of loss avoided, in words.

Compute gives each component its counts (`ResponseCounts`, `PreventedCounts`,
`ReductionCounts`); the basis printed beside its amount is worded here.
"""

from __future__ import annotations

from dataclasses import replace
from typing import assert_never

from briefing.compute.response import FEW_INCIDENTS, OWN_HISTORY_MONTHS
from briefing.formatting import whole_parts
from briefing.model import (
    BaselineWindow,
    LossAvoided,
    LossComponent,
    PreventedCounts,
    ReductionCounts,
    ResponseCounts,
)
from briefing.translate.phrases import Voice, capital, join


def word_loss(loss: LossAvoided, voice: Voice) -> LossAvoided:
    """Each component's basis, and the sum with its parts rounded so that it adds up."""
    parts = whole_parts([c.amount for c in loss.components])
    sum_text = (
        " + ".join(voice.whole_money(p) for p in parts) + f" = {voice.whole_money(sum(parts))}"
        if parts
        else ""
    )
    return replace(
        loss, components=tuple(_basis(c, voice) for c in loss.components), sum_text=sum_text
    )


def _basis(component: LossComponent, voice: Voice) -> LossComponent:
    counts = component.counts
    if counts is None:
        return component
    match counts:
        case ResponseCounts():
            text = response_basis(counts, voice)
        case PreventedCounts():
            text = prevented_basis(counts, voice)
        case ReductionCounts():
            text = reduction_basis(counts, voice)
        case _:
            assert_never(counts)
    return replace(component, basis=text)


def response_basis(counts: ResponseCounts, voice: Voice) -> str:
    disruption = voice.say("incident")
    usable = [w for w in counts.windows if w.count]
    set_times = counts.by_service or counts.by_severity or counts.flat_ttd_minutes is not None
    if counts.own_history and not usable:
        return (
            f"No service has {disruption}s with a recorded time of notice in the "
            f"{voice.count(OWN_HISTORY_MONTHS, 'month')} before {voice.month()} to compare "
            "with, so no saving from faster response is claimed."
        )
    if not counts.own_history and not set_times and not counts.windows:
        return (
            "No earlier times to notice and fix a problem were set to compare with, "
            "so no saving from faster response is claimed."
        )
    faster = counts.faster
    parts = [
        f"{voice.number(faster)} of this {voice.noun}'s {voice.count(counts.incidents, disruption)} "
        f"{'was' if faster == 1 else 'were'} noticed and fixed faster than before; each minute "
        "saved is valued at the cost of a minute of downtime times the share of users affected."
    ]
    refs = []
    if counts.by_service:
        refs.append("the times set for " + join([voice.name(s) for s in counts.by_service]))
    if counts.by_severity:
        refs.append("the times set for each seriousness level")
    if counts.flat_ttd_minutes is not None and counts.flat_ttr_minutes is not None:
        refs.append(
            f"{voice.minutes(counts.flat_ttd_minutes)} to notice and "
            f"{voice.minutes(counts.flat_ttr_minutes)} to fix"
        )
    if counts.own_history:
        refs.append(
            f"each service's own typical times over the {voice.count(OWN_HISTORY_MONTHS, 'month')} "
            f"before {voice.month()} (" + "; ".join(_window_words(w, voice) for w in usable) + ")"
        )
    else:
        refs.extend(
            f"the typical time to notice ({voice.minutes(w.ttd_minutes)}) and to fix "
            f"({voice.minutes(w.ttr_minutes)}) of the {voice.count(w.count, disruption)} "
            f"from {voice.day(w.start)} up to {voice.day(w.end)}"
            for w in usable
        )
    if refs:
        parts.append("Compared with " + "; else ".join(refs) + ".")
    if usable:
        behind = min(w.count for w in usable)
        rough = (
            f" As few as {voice.count(behind, disruption)} stand behind a typical time, "
            "so treat it as rough."
            if behind < FEW_INCIDENTS
            else ""
        )
        parts.append(
            f"The range comes from redrawing those {disruption}s "
            f"{voice.number(counts.trials)} times.{rough}"
        )
    if counts.own_history:
        parts.append(f"Services without earlier {disruption}s claim nothing.")
    for window in counts.windows:
        if not window.count:
            parts.append(
                f"No {disruption} with a time of notice falls from {voice.day(window.start)} up "
                f"to {voice.day(window.end)}, so {disruption}s that needed those times claim "
                "nothing."
            )
    if counts.merged:
        parts.append(
            f"{capital(disruption)}s of one service that overlapped in time count as one outage "
            f"({voice.count(counts.merged, 'such case')}), so no minute is claimed twice."
        )
    if counts.undetected:
        parts.append(
            f"{capital(voice.count(counts.undetected, disruption))} without a recorded time of "
            f"notice {'is' if counts.undetected == 1 else 'are'} left out."
        )
    return " ".join(parts)


def _window_words(window: BaselineWindow, voice: Voice) -> str:
    return (
        f"{voice.name(window.service)}: {voice.minutes(window.ttd_minutes)} to notice and "
        f"{voice.minutes(window.ttr_minutes)} to fix, from "
        f"{voice.count(window.count, voice.say('incident'))}"
    )


def prevented_basis(counts: PreventedCounts, voice: Voice) -> str:
    if counts.records == 0:
        text = f"No events stopped by controls were recorded this {voice.noun}, so none is claimed."
    else:
        text = (
            f"Controls stopped {voice.count(counts.events, 'event')} this {voice.noun} "
            f"({voice.count(counts.records, 'record')}); "
            f"{voice.count(counts.claimed_events, 'event')} count, each valued at the chance it "
            "would have caused an outage times what one such outage costs: (time to notice + "
            "time to fix) x share of users affected x cost of a minute of downtime."
        )
    skipped = []
    if counts.no_chance:
        skipped.append(
            f"{voice.count(counts.no_chance, 'record')} claimed nothing because the chance was "
            "not known"
        )
    if counts.no_risk:
        skipped.append(
            f"{voice.count(counts.no_risk, 'record')} claimed nothing because the risk it names "
            "is not in the risk register"
        )
    if counts.outside:
        skipped.append(
            f"{voice.count(counts.outside, 'record')} dated outside this {voice.noun} count in "
            f"their own {voice.noun}"
        )
    if skipped:
        text += " " + capital("; ".join(skipped)) + "."
    return text


def reduction_basis(counts: ReductionCounts, voice: Voice) -> str:
    if counts.risks == 0:
        return (
            "No risk in the register gives its figures from before a fix, so no reduction is "
            "claimed."
        )
    text = (
        f"{voice.count(counts.risks, 'risk')} in the register "
        f"{'is' if counts.risks == 1 else 'are'} described before and after a fix: the yearly "
        "cost before minus the yearly cost now, for the part of the year "
        f"{'the calendar year' if voice.noun == 'year' else 'this ' + voice.noun} covers "
        f"({voice.number(counts.period_minutes)} of {voice.number(counts.year_minutes)} minutes)."
    )
    if counts.worse:
        text += (
            f" {voice.count(counts.worse, 'risk')} that became costlier "
            f"{'counts' if counts.worse == 1 else 'count'} as zero."
        )
    return text
