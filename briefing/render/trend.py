"""Render stage: what the trend, the services-by-periods grid, last period's decision and
the author's note show (picked and ordered from the `Briefing`; nothing computed).

Grid cells carry a tone for their colour, always printed with their percentage:
colour is never the only sign of a month that used all of its allowance.
"""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup

from briefing.model import Briefing
from briefing.render.markdown import render_markdown
from briefing.translate.history import OUTCOME_WORDS, describe_trend, short_period_name
from briefing.translate.words import period_words

SPENT_FROM = 1.0  # allowance used up
HIGH_FROM = 0.75  # most of it used


@dataclass(frozen=True, slots=True)
class Cell:
    value: float | None
    tone: str  # over | high | low | none
    partial: bool = False  # the service's data covers too little of that period


@dataclass(frozen=True, slots=True)
class GridRow:
    name: str
    cells: tuple[Cell, ...]


@dataclass(frozen=True, slots=True)
class PastView:
    periods: tuple[str, ...]  # short names of the grid's columns, oldest first
    period_labels: tuple[str, ...]
    rows: tuple[GridRow, ...]
    partial: bool  # some cell is partial: the grid explains its mark
    costs: tuple[float | None, ...]  # cost of failures per period, all services
    incidents: tuple[int | None, ...]
    trend_description: str
    commentary: Markup | None
    previous_period: str  # "September 2026"
    outcome: str  # "Done"


def tone(used: float | None) -> str:
    if used is None:
        return "none"
    if used >= SPENT_FROM:
        return "over"
    return "high" if used >= HIGH_FROM else "low"


def past_view(briefing: Briefing) -> PastView:
    """What the history partials print, from the briefing's `history[]`, `previous_decision`
    and `commentary`."""
    from briefing.formatting import period_name

    locale = briefing.locale
    points = briefing.history
    rows = []
    for service in briefing.services:
        cells = []
        for point in points:
            found = next((s for s in point.services if s.id == service.id), None)
            used = found.budget_consumed if found else None
            partial = found is not None and found.complete is False and used is not None
            cells.append(Cell(used, tone(used), partial))
        rows.append(GridRow(service.name, tuple(cells)))
    costs: list[float | None] = []
    incidents: list[int | None] = []
    for point in points:
        known = [s.downtime_cost for s in point.services if s.downtime_cost is not None]
        costs.append(sum(known) if known else None)
        counted = [s.incidents for s in point.services if s.incidents is not None]
        incidents.append(sum(counted) if counted else None)
    previous = briefing.previous_decision
    return PastView(
        periods=tuple(short_period_name(p.period, locale) for p in points),
        period_labels=tuple(p.period for p in points),
        rows=tuple(rows),
        partial=any(cell.partial for row in rows for cell in row.cells),
        costs=tuple(costs),
        incidents=tuple(incidents),
        trend_description=trend_description(briefing),
        commentary=render_markdown(briefing.commentary) if briefing.commentary else None,
        previous_period=period_name(previous.period, locale) if previous else "",
        outcome=OUTCOME_WORDS.get(previous.outcome, previous.outcome) if previous else "",
    )


def trend_description(briefing: Briefing) -> str:
    """The trend in words (translate's sentence), for the caption and the chart's description."""
    allowance = next(
        (t.say_instead for t in briefing.terms if t.term == "error budget"), "allowance"
    )
    names = {s.id: s.name for s in briefing.services}
    headline = briefing.headline
    return describe_trend(
        briefing.history,
        kind=headline.kind,
        service_name=names.get(headline.service or ""),
        allowance=allowance,
        noun=period_words(briefing.period.label).noun,
        currency=briefing.currency,
        locale=briefing.locale,
    )
