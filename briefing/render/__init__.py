"""Render stage: a finished `Briefing` as HTML, PDF and JSON bytes (nothing written to disk).

`render()` is the stage entry point. The HTML page (every row, to sort and filter)
and the PDF's source (the summary, or everything with `report.detail: full`) are
each rendered once; with `print_html`, the PDF's source comes back too, as
"print.html", for the page-1 check. Writing files and sending mail are the
callers' business.
"""

from __future__ import annotations

import json as jsonlib
import logging
from collections.abc import Iterable
from typing import Any

from briefing.errors import BriefingError
from briefing.model import Briefing
from briefing.render.json import render_json, schema, validate_json
from briefing.render.templates import Look
from briefing.render.views import Detail
from briefing.translate.glossary import Glossary

# matplotlib (charts) and WeasyPrint (PDF) cost about a second to import:
# they load only when HTML or PDF is asked for, so a JSON-only build skips them.
__all__ = ["FORMATS", "render", "render_json", "schema", "validate_json"]

FORMATS = ("pdf", "html", "json")

log = logging.getLogger(__name__)


def render(
    briefing: Briefing,
    formats: Iterable[str],
    *,
    glossary: Glossary,
    paper_size: str = "A4",
    classification: str = "Confidential",
    look: Look | None = None,
    pdf_variant: str | None = None,
    detail: Detail = "summary",
    print_html: bool = False,
) -> dict[str, bytes]:
    """The requested formats ("html", "pdf", "json") of `briefing`, as bytes by format.

    The PDF is tagged; with `pdf_variant="pdf/a-3b"` it is archival and carries the
    JSON as the attachment `briefing-<label>.json` (the same bytes as the JSON output).
    The HTML page carries every row; the PDF prints the summary or everything (`detail`).
    """
    wanted = list(dict.fromkeys(f.strip().casefold() for f in formats))
    unknown = [f for f in wanted if f not in FORMATS]
    if unknown:
        raise BriefingError(
            f"unknown output format {', '.join(map(repr, unknown))}",
            hint="use pdf, html and/or json, e.g. --format pdf,html",
        )
    out: dict[str, bytes] = {}
    data = b""
    if "json" in wanted or ("pdf" in wanted and pdf_variant):
        data = render_json(briefing)
        validate_json(jsonlib.loads(data))
    if "html" in wanted or "pdf" in wanted:
        from briefing.render.html import render_charts, render_html
        from briefing.render.pdf import render_pdf
        from briefing.render.templates import environment

        look = look or Look()
        charts = render_charts(briefing, environment(look.templates), look.palette)
        common: dict[str, Any] = {
            "glossary": glossary,
            "paper_size": paper_size,
            "classification": classification,
            "look": look,
        }
        if "html" in wanted:
            log.info("Rendering HTML")
            screen = render_html(briefing, medium="screen", charts=charts, **common)
            out["html"] = screen.encode("utf-8")
        if "pdf" in wanted:
            html = render_html(briefing, medium="print", detail=detail, charts=charts, **common)
            if print_html:
                out["print.html"] = html.encode("utf-8")
            log.info("Laying out the PDF")
            label = f"briefing-{briefing.period.label}"
            out["pdf"] = render_pdf(
                html,
                identifier=label,
                variant=pdf_variant,
                attachments={f"{label}.json": data} if pdf_variant else {},
                created=briefing.period.end,
            )
    if "json" in wanted:
        out["json"] = data
    return out
