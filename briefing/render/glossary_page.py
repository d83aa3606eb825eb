"""Render stage: the shared lexicon as one self-contained, searchable HTML page (or Markdown).

The HTML page carries its CSS and script inline and fetches nothing; its search
box filters entries by term, alias, plain phrase or words of the definition, and
related terms link to each other by anchor. It is rendered by the same template
environment as the briefing (`glossary.html.j2`, overridable by a workspace's
`report.templates`) in the workspace's palette. The same glossary gives the
same bytes.
"""

from __future__ import annotations

from pathlib import Path

from briefing.atomic import make_folder, write_atomic
from briefing.render.templates import Look, environment, render_template
from briefing.translate.export import page_items, render_glossary_markdown
from briefing.translate.glossary import Glossary

FORMATS = ("html", "md")


def render_glossary_html(
    glossary: Glossary, *, title: str = "Glossary", look: Look | None = None
) -> str:
    """The searchable glossary page, one self-contained HTML document."""
    look = look or Look()
    items, letters = page_items(glossary)
    context = {
        "title": title,
        "items": items,
        "letters": letters,
        "count": len(items),
        "palette_css": look.palette_css,
    }
    return render_template(environment(look.templates), "glossary.html.j2", context)


def render_glossary(
    glossary: Glossary, fmt: str, *, title: str = "Glossary", look: Look | None = None
) -> str:
    """`html` or `md`."""
    if fmt == "html":
        return render_glossary_html(glossary, title=title, look=look)
    if fmt == "md":
        return render_glossary_markdown(glossary, title=title)
    raise ValueError(f"unknown glossary format {fmt!r}; expected one of {FORMATS}")


def write_glossary(
    glossary: Glossary, fmt: str, out: Path, *, title: str = "Glossary", look: Look | None = None
) -> Path:
    """Render and write the page to `out` (parent folders are created)."""
    text = render_glossary(glossary, fmt, title=title, look=look)
    make_folder(out.parent, what="folder of the glossary page")
    return write_atomic(out, text)
