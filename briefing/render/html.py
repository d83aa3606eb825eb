"""Render stage: the briefing as one self-contained HTML page (inline CSS and SVG).

The same HTML is the PDF's source. It is rendered twice in memory: the first pass
learns which glossary terms the page prints, the second wraps those terms' business
phrases in translated sentences too, wherever they appear on the page.
"""

from __future__ import annotations

from typing import Any

import jinja2
from markupsafe import Markup

from briefing.config import Palette
from briefing.errors import BriefingError
from briefing.model import Briefing
from briefing.render import charts as chart_module
from briefing.render.chart_text import chart_texts
from briefing.render.context import Words, build_context
from briefing.render.templates import Look, environment, render_template, source
from briefing.translate.glossary import Glossary

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
) -> str:
    """The whole briefing as one HTML document (a `str`; nothing is written to disk)."""
    look = look or Look()
    env = environment(look.templates)
    options: dict[str, Any] = {
        "css": source(env, "briefing.css") + "\n" + look.palette_css,
        "charts": render_charts(briefing, env, look.palette),
        "paper_size": paper(paper_size),
        "classification": classification,
        "logo": look.logo_uri,
    }
    first = Words(glossary, briefing.terms)
    render_template(env, TEMPLATE, build_context(briefing, first, **options))
    words = Words(glossary, briefing.terms, phrases=first.used_names())
    return render_template(env, TEMPLATE, build_context(briefing, words, **options))
