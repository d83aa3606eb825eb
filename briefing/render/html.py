"""Render stage: the briefing as one self-contained HTML page (inline CSS and SVG).

The same HTML is the PDF's source. It is rendered twice in memory: the first pass
learns which glossary terms the page prints, the second wraps those terms' business
phrases in translated sentences too, wherever they appear on the page.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any, Literal

import jinja2
from markupsafe import Markup

from briefing.config import Palette
from briefing.errors import BriefingError
from briefing.model import Briefing
from briefing.render import charts as chart_module
from briefing.render.chart_text import chart_texts
from briefing.render.context import Words, build_context
from briefing.render.templates import Look, environment, render_template, source
from briefing.render.trend import past_view
from briefing.render.views import Detail, body_lists, explore_units, grid_rows
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
    phrases: Sequence[str] | None = None,
    charts: dict[str, Markup] | None = None,
) -> str:
    """The whole briefing as one HTML document (a `str`; nothing is written to disk).

    `medium` "screen" is the HTML page: the body as the summary prints it, then every
    service, incident and risk by unit, to open, sort and filter (inline script).
    "print" is the PDF's source: the body as `detail` says, no script.
    `phrases`: the glossary terms whose business phrases are marked in sentences, as
    `page_terms` found them (else a first pass finds them); `charts`: already drawn.
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
    extra = _extra(briefing, medium, detail)
    if phrases is None:
        first = Words(glossary, briefing.terms)
        render_template(env, TEMPLATE, {**build_context(briefing, first, **options), **extra})
        phrases = first.used_names()
    words = Words(glossary, briefing.terms, phrases=phrases)
    return render_template(env, TEMPLATE, {**build_context(briefing, words, **options), **extra})


def page_terms(
    briefing: Briefing,
    *,
    glossary: Glossary,
    charts: dict[str, Markup],
    paper_size: str = "A4",
    classification: str = "Confidential",
    look: Look | None = None,
    detail: Detail = "summary",
) -> list[str]:
    """The glossary terms the printed document uses, from one pass over it.

    The HTML page prints the same terms as the printed summary (its list of every row
    prints none), so one small pass serves both: the big page is rendered once.
    """
    look = look or Look()
    env = environment(look.templates)
    options: dict[str, Any] = {
        "css": "",
        "charts": charts,
        "paper_size": paper(paper_size),
        "classification": classification,
        "logo": look.logo_uri,
    }
    first = Words(glossary, briefing.terms)
    context = {**build_context(briefing, first, **options), **_extra(briefing, "print", detail)}
    render_template(env, TEMPLATE, context)
    return first.used_names()


def _extra(briefing: Briefing, medium: Medium, detail: Detail) -> dict[str, Any]:
    """What a medium shows: the lists as printed, the grid, and the HTML page's units."""
    printed = detail if medium == "print" else "summary"
    extra: dict[str, Any] = {
        "medium": medium,
        "detail": printed,
        "units": explore_units(briefing) if medium == "screen" else [],
        **body_lists(briefing, printed),
    }
    if printed == "summary" and medium == "print":  # the HTML page keeps the whole grid
        past = past_view(briefing)
        rows, left, over = grid_rows(past.rows, extra["services"])
        extra["past"] = replace(past, rows=tuple(rows))
        extra["grid_rest"] = {"count": left, "over": over}
    else:
        extra["grid_rest"] = {"count": 0, "over": []}
    return extra
