"""Render stage: the author's note (Markdown) as HTML for page 1.

markdown-it-py in CommonMark mode with raw HTML disabled: tags the author types
print as text, never as markup. Images are off (the page fetches nothing), link
targets are checked by markdown-it (no `javascript:`), and headings start at
level 3 so the note never outranks the page's own headings.
"""

from __future__ import annotations

import functools

from markdown_it import MarkdownIt
from markupsafe import Markup

HEADING_SHIFT = 2  # "# Note" prints as <h3>


@functools.cache
def _parser() -> MarkdownIt:
    return MarkdownIt("commonmark", {"html": False, "linkify": False}).disable("image")


def render_markdown(source: str) -> Markup:
    """The note as safe HTML."""
    parser = _parser()
    tokens = parser.parse(source)
    for token in tokens:
        if token.type in ("heading_open", "heading_close"):
            level = min(6, int(token.tag[1:]) + HEADING_SHIFT)
            token.tag = f"h{level}"
    return Markup(parser.renderer.render(tokens, parser.options, {}))
