"""Render stage: the briefing as one self-contained HTML page (inline CSS and SVG).

The same HTML is the PDF's source. It is rendered twice in memory: the first pass
learns which glossary terms the page prints, the second wraps those terms' business
phrases in translated sentences too, wherever they appear on the page.
"""

from __future__ import annotations

import functools
from importlib import resources
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, pass_context
from jinja2.runtime import Context
from markupsafe import Markup

from briefing.errors import BriefingError
from briefing.model import Briefing
from briefing.render import charts as chart_module
from briefing.render import filters
from briefing.render.context import Words, build_context
from briefing.translate.glossary import Glossary
from briefing.translate.words import period_words

PAPER_SIZES = {"a4": "A4", "letter": "letter"}
CHART_LABELS = {
    "burn": "Reliability allowance left over the {noun}",
    "risk_minutes": "Minutes of failure a year for each risk, against the action line",
    "loss_exceedance": "Chance of a yearly loss above each amount",
}


def _money(ctx: Context, value: float | None) -> str:
    return filters.money(value, ctx["currency"], ctx["locale"])


def _money_compact(ctx: Context, value: float | None) -> str:
    return filters.money_compact(value, ctx["currency"], ctx["locale"])


def _percent(ctx: Context, value: float | None, digits: int = 1) -> str:
    return filters.percent(value, ctx["locale"], digits=digits)


def _objective(ctx: Context, value: float) -> str:
    return filters.objective(value, ctx["locale"])


def _reliability(ctx: Context, value: float | None) -> str:
    return filters.reliability(value, ctx["locale"])


def _number(ctx: Context, value: float | None, digits: int = 0) -> str:
    return filters.number(value, ctx["locale"], digits=digits)


def _day(ctx: Context, value: str | None) -> str:
    return filters.day(value, ctx["locale"], ctx["timezone"])


def _moment(ctx: Context, value: str | None) -> str:
    return filters.moment(value, ctx["locale"], ctx["timezone"])


def _value(ctx: Context, value: float | None, unit: str) -> str:
    return filters.format_value(value, unit, currency=ctx["currency"], locale=ctx["locale"])


def _change(ctx: Context, delta: float | None, unit: str, better_when: str) -> filters.Change:
    return filters.change(
        delta,
        unit,
        better_when,
        currency=ctx["currency"],
        locale=ctx["locale"],
        period_noun=ctx["period_words"].noun,
    )


@functools.cache
def environment() -> Environment:
    """The Jinja environment: package templates, autoescape on, undefined is an error."""
    env = Environment(
        loader=PackageLoader("briefing", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(
        money=pass_context(_money),
        money_compact=pass_context(_money_compact),
        percent=pass_context(_percent),
        objective=pass_context(_objective),
        reliability=pass_context(_reliability),
        number=pass_context(_number),
        day=pass_context(_day),
        moment=pass_context(_moment),
        value=pass_context(_value),
        change=pass_context(_change),
        minutes=filters.minutes,
    )
    return env


@functools.cache
def stylesheet() -> str:
    return resources.files("briefing").joinpath("templates/briefing.css").read_text("utf-8")


def paper(paper_size: str) -> str:
    try:
        return PAPER_SIZES[paper_size.casefold()]
    except KeyError:
        raise BriefingError(f"unknown paper size {paper_size!r}", hint="use A4 or Letter") from None


def render_charts(briefing: Briefing) -> dict[str, Markup]:
    """The inline SVG charts the briefing has data for."""
    noun = period_words(briefing.period.label).noun
    return {
        kind: chart_module.inline_svg(
            chart_module.render_chart(kind, briefing, fmt="svg"),
            f"chart-{kind}",
            CHART_LABELS[kind].format(noun=noun),
        )
        for kind in chart_module.KINDS
        if chart_module.available(kind, briefing)
    }


def render_html(
    briefing: Briefing,
    *,
    glossary: Glossary,
    paper_size: str = "A4",
    classification: str = "Confidential",
) -> str:
    """The whole briefing as one HTML document (a `str`; nothing is written to disk)."""
    template = environment().get_template("briefing.html.j2")
    options: dict[str, Any] = {
        "css": stylesheet(),
        "charts": render_charts(briefing),
        "paper_size": paper(paper_size),
        "classification": classification,
    }
    first = Words(glossary, briefing.terms)
    template.render(build_context(briefing, first, **options))
    words = Words(glossary, briefing.terms, phrases=first.used_names())
    return template.render(build_context(briefing, words, **options))
