"""Translate stage: "How we got these numbers": every formula and assumption in plain words.

One worked example (the first risk needing action, else the costliest) lets a
reader redo the arithmetic by hand; every figure in it goes through the
locale's formatting.
"""

from __future__ import annotations

from briefing.compute.montecarlo import DAYS_PER_YEAR, MINUTES_PER_YEAR
from briefing.model import Findings, LossAvoided, RiskSummary
from briefing.translate.phrases import Voice


def method_notes(findings: Findings, voice: Voice) -> list[str]:
    """The core's formulas, then the risk and loss avoided assumptions."""
    period = findings.period
    allowance = voice.say("error budget")
    disruption = voice.say("incident")
    policy = voice.config.policy
    noun = voice.noun
    notes = [
        f"The {noun} runs from {period.start.isoformat()} to {period.end.isoformat()} "
        f"({voice.timezone} time), {voice.number(period.minutes)} minutes.",
        f"A service's {allowance} is the share of requests its target lets fail: a 99.9% target "
        "allows 1 failed request in 1,000. Used = failed requests / allowed failed requests.",
        f"Minutes of full outage = failed requests / all requests x minutes in the {noun}; "
        "their cost = those minutes x the service's cost of downtime per hour / 60.",
        f"A {disruption}'s declared cost = its minutes inside the {noun} x the share of users "
        "affected x the cost of downtime per minute; where disruptions of one service overlap, "
        "each minute is counted once, for the one that hurt most.",
        f"A {disruption}'s measured cost and share of the {allowance} = the failed requests during "
        f"it / allowed failed requests for the {noun}; where disruptions of one service overlap, "
        "each failed request counts once, for the one that hurt most, so their shares never add "
        f"up to more than the service used. Above {voice.percent(policy.postmortem_share)} it "
        "needs a written review. The failed requests outside every disruption are the "
        "failures with no incident record.",
        f"A service's figures are partial when its measurements cover less than "
        f"{voice.percent(policy.min_coverage)} of the {noun}; a day with failures outside every "
        f"disruption worth {voice.minutes(policy.unrecorded_minutes)} or more of full outage is "
        "listed as a failure with no incident record.",
    ]
    notes.extend(assumptions(findings.risks, findings.loss_avoided, voice))
    return notes


def assumptions(risks: RiskSummary, loss: LossAvoided, voice: Voice) -> list[str]:
    """Every input, assumption and formula of the risk forecast and of loss avoided."""
    policy = voice.config.policy
    year_days, year_minutes = voice.number(DAYS_PER_YEAR, 2), voice.number(MINUTES_PER_YEAR)
    text = [
        f"A year counts as {year_days} days, which is {year_minutes} minutes.",
        f"How often a risk happens in a year: {year_days} divided by the expected number of days "
        "between two occurrences.",
        "Minutes of full outage a year of a risk: (time to notice + time to fix, in minutes) x "
        "share of users affected (0 to 1) x occurrences a year.",
        f"A service's downtime allowance for a year: (1 - its reliability target) x "
        f"{year_minutes} minutes; a 99.9% target allows {voice.number(MINUTES_PER_YEAR / 1000, 2)} "
        "minutes a year.",
        f"A risk needs action when it alone would use more than "
        f"{voice.percent(risks.threshold_fraction)} of its service's yearly downtime allowance, "
        "or when the risks of one service together would use more than all of it.",
        "Yearly cost of a risk: its minutes of full outage a year x the cost of a minute of "
        "downtime of its service (the cost of a full hour of downtime divided by 60).",
    ]
    if risks.items:
        text.append(worked_example(risks, voice))
        text.append(
            f"The ranges come from {voice.number(policy.trials)} simulated years (random draws "
            f"started from the number {policy.seed}, so the same inputs always give the same "
            "figures). Where the register gives a range that holds the true value 9 times out of "
            "10, each simulated year draws the value from a skewed bell curve (log-normal) fitted "
            "to that range; the number of occurrences in a year varies at random around its "
            "average, as independent events do (Poisson). The low and high figures are the 10th "
            "and 90th of every 100 simulated years ordered by cost; the middle figure is the 50th."
        )
        text.append(
            "The chance that next year's downtime costs more than an amount is the share of the "
            "simulated years that cost more than that amount."
        )
        text.append(
            "Each service's recorded failures over the last twelve months (at the pace of the "
            "data available) are held against its risks' simulated years: above the 90th of "
            "every 100, the register underestimates the service."
        )
    text.append(
        "Loss avoided is the sum of three parts: faster response, events stopped by controls, "
        "and risks made smaller. It is a modelled figure, not a measured loss."
    )
    text.append(
        "Faster response, per disruption: (reference time to notice and fix - actual time to "
        "notice and fix, never below zero) x share of users affected x cost of a minute of "
        "downtime. Without set reference times, each service's own typical times over the six "
        f"months before the {voice.noun} are the reference; a service without them claims nothing."
    )
    text.append(
        "Events stopped by controls: number of events x chance each would have caused an outage x "
        "(time to notice + time to fix) x share of users affected x cost of a minute of downtime, "
        "using the figures of the risk each event would have caused. Only events dated inside "
        f"the {voice.noun} count."
    )
    text.append(
        "Risks made smaller: (yearly cost before the fix - yearly cost now) x minutes in the "
        f"{voice.noun} / {year_minutes}."
    )
    text.append("Where a chance, a risk or a time of notice is not known, nothing is claimed.")
    if loss.p10 is not None and loss.p90 is not None:
        text.append(
            "The range of the loss avoided comes from the same kind of simulation: the figures "
            "given as ranges are drawn at random, and the 10th and 90th of every 100 draws are shown."
        )
    return text


def worked_example(risks: RiskSummary, voice: Voice) -> str:
    """The arithmetic of one risk (the first needing action, else the costliest), to redo by hand."""
    chosen = next((r for r in risks.items if r.needs_action), None) or max(
        risks.items, key=lambda r: r.annual_cost
    )
    per_minute = (
        chosen.annual_cost / chosen.bad_minutes_per_year if chosen.bad_minutes_per_year else 0.0
    )
    rate = voice.number(chosen.incidents_per_year, 4)
    return (
        f"For example, {chosen.title} ({chosen.id}): {voice.number(DAYS_PER_YEAR, 2)} / "
        f"{voice.number(chosen.ettf_days, 2)} days = {rate} times a year; "
        f"({voice.number(chosen.ettd_minutes, 2)} + {voice.number(chosen.ettr_minutes, 2)} "
        f"minutes) x {voice.number(chosen.impact, 2)} x {rate} = "
        f"{voice.number(chosen.bad_minutes_per_year, 3)} minutes of full outage a year, "
        f"{voice.percent(chosen.budget_fraction, 1)} of its "
        f"{voice.number(chosen.annual_budget_minutes, 2)}-minute allowance; x "
        f"{voice.money(per_minute)} a minute = {voice.money(chosen.annual_cost)} a year."
    )
