"""Render stage: each chart's accessible name and description, written from its data.

The numbers are picked from the briefing (the burn-down's first and last value,
the day it ran out, the day of its largest drop; the largest risk; two points of
the loss curve); the words are the macros of the template `_charts.txt.j2`, so a
workspace can reword them like any template. The text becomes the SVG's <title>
and <desc>, its aria-label, the PDF's alternate text and the email's alt text.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import jinja2

from briefing.model import Briefing
from briefing.render import filters
from briefing.render.context import burn_service, risks_largest_first, service_names
from briefing.translate.words import period_words

TEMPLATE = "_charts.txt.j2"
CHANCES = (0.5, 0.1)  # the loss curve is described where it falls to these chances


@dataclass(frozen=True, slots=True)
class ChartText:
    title: str
    description: str

    @property
    def label(self) -> str:
        """Title and description in one sentence pair: the accessible name."""
        return f"{self.title}. {self.description}" if self.description else self.title


def chart_texts(
    briefing: Briefing, env: jinja2.Environment, kinds: list[str]
) -> dict[str, ChartText]:
    """The title and description of each chart in `kinds`."""
    words: Any = env.get_template(TEMPLATE).make_module(
        {"locale": briefing.locale, "currency": briefing.currency, "timezone": briefing.timezone}
    )
    describe = {
        "burn": _burn,
        "risk_minutes": _risk_minutes,
        "loss_exceedance": _exceedance,
        "trend": _trend,
    }
    noun = period_words(briefing.period.label).noun
    return {
        kind: ChartText(
            " ".join(str(words.title(kind, noun)).split()),
            " ".join(str(describe[kind](briefing, words)).split()),
        )
        for kind in kinds
    }


def _burn(briefing: Briefing, words: Any) -> str:
    service = burn_service(briefing)
    if service is None or not service.burn:
        return ""
    before = briefing.period.start
    previous, largest, drop_day = 1.0, 0.0, None
    for point in service.burn:
        if previous - point.budget_remaining > largest:
            largest, drop_day = previous - point.budget_remaining, before
        previous, before = point.budget_remaining, point.at
    period = filters.period_name(briefing.period.label, briefing.locale)
    return str(
        words.burn(
            service.name,
            1.0,
            service.burn[-1].budget_remaining,
            period,
            service.exhausted_at,
            drop_day,
        )
    )


def _risk_minutes(briefing: Briefing, words: Any) -> str:
    risks = risks_largest_first(briefing)
    if not risks:
        return ""
    top = risks[0]
    names = service_names(briefing)
    return str(
        words.risk_minutes(
            len(risks),
            top.title,
            names.get(top.service, top.service),
            top.budget_fraction,
            top.bad_minutes_per_year,
            sum(1 for r in risks if r.needs_action),
            briefing.risks.threshold_fraction,
        )
    )


def _exceedance(briefing: Briefing, words: Any) -> str:
    points = sorted(briefing.risks.loss_exceedance, key=lambda p: p.loss)
    if not points:
        return ""
    picked = []
    for chance in CHANCES:
        point = next((p for p in points if p.probability <= chance), None)
        if point is not None and (point.loss, point.probability) not in picked:
            picked.append((point.loss, point.probability))
    return str(words.loss_exceedance(picked, (points[-1].loss, points[-1].probability)))


def _trend(briefing: Briefing, words: Any) -> str:
    """The trend's sentence, the same one page 1 prints under the chart."""
    from briefing.render.trend import trend_description

    return trend_description(briefing)
