"""Translate stage: the words of the trend, of last period's decision and of the store's notes.

`previous_decision` words what compute found about last period's decision
("Online checkout's use of its downtime allowance fell from 154% to 62%");
`describe_trend` writes the trend chart's text description from its data, for
readers who cannot see the chart.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from babel.dates import format_skeleton

from briefing.formatting import money_compact, period_name
from briefing.formatting import percent as _percent
from briefing.model import FollowUp, HistoryPoint, Period, PreviousDecision

OUTCOME_WORDS = {
    "accepted": "Accepted",
    "declined": "Declined",
    "deferred": "Deferred",
    "done": "Done",
}

Say = Callable[[str], str]
LISTED_AT_MOST = 4  # more periods that used all of the allowance are counted, not named


def previous_decision(
    follow_up: FollowUp,
    say: Say,
    names: dict[str, str],
    *,
    currency: str,
    locale: str,
) -> PreviousDecision:
    """Last period's decision, its outcome and its effect on the measure it was about."""
    return PreviousDecision(
        period=follow_up.period,
        decision=follow_up.decision,
        outcome=follow_up.outcome.outcome,
        note=follow_up.outcome.note,
        by=follow_up.outcome.by,
        effect=effect(follow_up, say, names, currency=currency, locale=locale),
    )


def effect(
    follow_up: FollowUp, say: Say, names: dict[str, str], *, currency: str, locale: str
) -> str:
    """How the measure the decision was about moved from that period to this one."""
    before, after = follow_up.before, follow_up.after
    if follow_up.measure == "budget_exhausted":
        service = names.get(follow_up.service or "", follow_up.service or "the service")
        subject = f"{service}'s use of its {say('error budget')}"

        def shown(value: float) -> str:
            return _percent(value, locale, digits=0)

    elif follow_up.measure == "risk_exposure":
        subject = "The yearly cost at stake from risks that need action"

        def shown(value: float) -> str:
            return money_compact(value, currency, locale)

    else:
        subject = f"The estimated {say('loss avoided')}"

        def shown(value: float) -> str:
            return money_compact(value, currency, locale)

    if before is None or after is None:
        missing = period_name(follow_up.period, locale) if before is None else "this period"
        return f"{subject} cannot be compared: the figures of {missing} are missing."
    then, now = shown(before), shown(after)
    if then == now:
        return f"{subject} stayed at {now}."
    verb = "fell" if after < before else "rose"
    return f"{subject} {verb} from {then} to {now}."


def short_period_name(label: str, locale: str) -> str:
    """A column heading for a period: "Nov 25", "Q3 26", "2026", or the ISO week's Monday."""
    period = Period.parse(label)
    if period.kind == "month":
        return format_skeleton("MMMyy", period.first_day, locale=locale)
    if period.kind == "quarter":
        return format_skeleton("QQQyy", period.first_day, locale=locale)
    if period.kind == "week":
        return format_skeleton("MMMd", period.first_day, locale=locale)
    return str(period.year)


def differs_note(labels: Sequence[str], locale: str) -> str:
    """Why a trend figure may not match what an earlier briefing printed."""
    names = ", ".join(period_name(label, locale) for label in labels)
    return (
        f"The exports now give different figures for {names} than when "
        f"{'that period was' if len(labels) == 1 else 'those periods were'} built; "
        "the trend uses the exports, as a rebuild would."
    )


def describe_trend(
    points: Sequence[HistoryPoint],
    *,
    kind: str,
    service_name: str | None,
    allowance: str,
    noun: str,
    currency: str,
    locale: str,
) -> str:
    """The trend chart in words, from its data: which periods used all of the allowance (or
    the highest and lowest amounts), and the periods without figures."""
    known = [(p.period, p.headline_value) for p in points if p.headline_value is not None]
    if not known:
        return ""
    span = f"the last {len(points)} {noun}s" if len(points) > 1 else f"this {noun}"
    names = [period_name(p.period, locale) for p in points]
    gaps = [name for name, p in zip(names, points, strict=True) if p.headline_value is None]
    if kind == "budget_exhausted":
        used = [(label, 1.0 - value) for label, value in known]
        whose = f"{service_name}'s {allowance}" if service_name else f"the {allowance}"
        over = [period_name(label, locale) for label, value in used if value > 1.0]
        low = min(used, key=lambda item: (item[1], item[0]))
        high = max(used, key=lambda item: (item[1], item[0]))
        if len(over) > LISTED_AT_MOST:
            text = f"Over {span}, all of {whose} was used in {len(over)} of the {len(used)}"
            text += f" {noun}s with figures"
        elif over:
            text = f"Over {span}, all of {whose} was used in {_join(over)}"
        else:
            text = (
                f"Over {span}, {whose} was never all used; most was "
                f"{_percent(high[1], locale, digits=0)} in {period_name(high[0], locale)}"
            )
        text += (
            f"; least was {_percent(low[1], locale, digits=0)} in {period_name(low[0], locale)}."
        )
    else:
        what = (
            "the yearly cost at stake" if kind == "risk_exposure" else f"the estimated {allowance}"
        )
        if kind == "loss_avoided":
            what = "the estimated loss avoided"
        low = min(known, key=lambda item: (item[1], item[0]))
        high = max(known, key=lambda item: (item[1], item[0]))
        text = (
            f"Over {span}, {what} was highest in {period_name(high[0], locale)} "
            f"({money_compact(high[1], currency, locale)}) and lowest in "
            f"{period_name(low[0], locale)} ({money_compact(low[1], currency, locale)})."
        )
    if gaps:
        text += f" No figures for {_join(gaps)}."
    return text


def _join(items: Sequence[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]
