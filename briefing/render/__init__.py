"""Render stage: a finished `Briefing` as HTML, PDF and JSON bytes (nothing written to disk).

`render()` is the stage entry point; the HTML is rendered once and reused for the
PDF. Writing files and sending mail are the callers' business.
"""

from __future__ import annotations

import json as jsonlib
import logging
from collections.abc import Iterable

from briefing.errors import BriefingError
from briefing.model import Briefing
from briefing.render.json import render_json, schema, validate_json
from briefing.render.templates import Look
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
) -> dict[str, bytes]:
    """The requested formats ("html", "pdf", "json") of `briefing`, as bytes by format.

    The PDF is tagged; with `pdf_variant="pdf/a-3b"` it is archival and carries the
    JSON as the attachment `briefing-<label>.json` (the same bytes as the JSON output).
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
        from briefing.render.html import render_html
        from briefing.render.pdf import render_pdf

        log.info("Rendering HTML")
        html = render_html(
            briefing,
            glossary=glossary,
            paper_size=paper_size,
            classification=classification,
            look=look,
        )
        if "html" in wanted:
            out["html"] = html.encode("utf-8")
        if "pdf" in wanted:
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
