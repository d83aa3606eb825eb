"""Render stage: the briefing as one self-contained HTML page (inline CSS and SVG).

The same HTML is the PDF's source. It is rendered in one pass: the glossary terms
it prints, and the business phrases it marks in translated sentences, are the
ones translate recorded in `Briefing.terms`.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any, Literal

import jinja2
from markupsafe import Markup

from briefing.config import Palette
from briefing.errors import BriefingError
from briefing.model import Briefing
from briefing.render import charts as chart_module
from briefing.render.chart_text import chart_texts
from briefing.render.context import PrintedCosts, build_context
from briefing.render.templates import Look, environment, render_template, source
from briefing.render.terms import TermMarkup
from briefing.render.trend import past_view
from briefing.render.views import Detail, Listing, body_lists, explore_units, grid_rows
from briefing.translate.glossary import Glossary

Medium = Literal["screen", "print"]

TEMPLATE = "briefing.html.j2"

PAPER_SIZES = {"a4": "A4", "letter": "letter"}


def paper(paper_size: str) -> str:
    try:
        return PAPER_SIZES[paper_size.casefold()]
    except KeyError:
        raise BriefingError(f"unknown paper size {paper_size!r}", hint="use A4 or Letter") from None


def render_charts(
    briefing: Briefing, env: jinja2.Environment, palette: Palette | None = None
) -> dict[str, Markup]:
    """The inline SVG charts the briefing has data for, each named and described from its data."""
    kinds = [kind for kind in chart_module.KINDS if chart_module.available(kind, briefing)]
    texts = chart_texts(briefing, env, kinds)
    return {
        kind: chart_module.inline_svg(
            chart_module.render_chart(kind, briefing, fmt="svg", palette=palette),
            f"chart-{kind}",
            texts[kind].title,
            texts[kind].description,
        )
        for kind in kinds
    }


def render_html(
    briefing: Briefing,
    *,
    glossary: Glossary,
    paper_size: str = "A4",
    classification: str = "Confidential",
    look: Look | None = None,
    medium: Medium = "screen",
    detail: Detail = "summary",
    charts: dict[str, Markup] | None = None,
) -> str:
    """The whole briefing as one HTML document (a `str`; nothing is written to disk).

    `medium` "screen" is the HTML page: the body as the summary prints it, then every
    service, incident and risk by unit, to open, sort and filter (inline script).
    "print" is the PDF's source: the body as `detail` says, no script. `charts`: the
    charts already drawn (one drawing serves both documents).
    """
    look = look or Look()
    env = environment(look.templates)
    options: dict[str, Any] = {
        "css": source(env, "briefing.css") + "\n" + look.palette_css,
        "charts": charts if charts is not None else render_charts(briefing, env, look.palette),
        "paper_size": paper(paper_size),
        "classification": classification,
        "logo": look.logo_uri,
    }
    words = TermMarkup(glossary, briefing.terms, tooltips=medium == "screen")
    context = build_context(briefing, words, **options)
    extra = _extra(briefing, medium, detail, context["costs"])
    return render_template(env, TEMPLATE, {**context, **extra})


def _extra(
    briefing: Briefing, medium: Medium, detail: Detail, costs: PrintedCosts
) -> dict[str, Any]:
    """What a medium shows: the lists as printed, the grid, and the HTML page's units."""
    printed = detail if medium == "print" else "summary"
    extra: dict[str, Any] = {
        "medium": medium,
        "detail": printed,
        "units": explore_units(briefing) if medium == "screen" else [],
        **body_lists(briefing, printed, costs),
    }
    # a summary that leaves rows out prints its tables more tightly
    extra["summarised"] = any(value.rest for value in extra.values() if isinstance(value, Listing))
    if printed == "summary" and medium == "print":  # the HTML page keeps the whole grid
        past = past_view(briefing)
        rows, left, over = grid_rows(past.rows, extra["services"])
        extra["past"] = replace(past, rows=tuple(rows))
        extra["grid_rest"] = {"count": left, "over": over}
    else:
        extra["grid_rest"] = {"count": 0, "over": []}
    return extra
