"""Translate stage: the shared lexicon as Markdown, and what its HTML page lists.

`page_items()` gives the entries of the searchable HTML page in order, with their
anchors, search text and related links; render/glossary_page.py renders them
through the one template environment. Output is the same bytes for the same
glossary.
"""

from __future__ import annotations

import re
from typing import Any

from briefing.translate.glossary import Entry, Glossary, normalize_term


def anchor(term: str) -> str:
    """The HTML id of an entry: `error budget` -> `term-error-budget`."""
    slug = re.sub(r"[^a-z0-9]+", "-", term.casefold()).strip("-")
    return f"term-{slug or normalize_term(term) or 'entry'}"


def search_text(entry: Entry) -> str:
    """What the search box matches: term, aliases, plain phrase and definition."""
    words = " ".join((entry.term, *entry.aliases, entry.say_instead, entry.definition))
    return " ".join(re.sub(r"[^\w%]+", " ", words.casefold()).split())


def _sorted(glossary: Glossary) -> list[Entry]:
    return sorted(glossary, key=lambda e: (e.term.casefold(), e.term))


def _links(glossary: Glossary, entry: Entry) -> list[tuple[str, str]]:
    """(label, anchor) of each related term that resolves to an entry."""
    links = []
    for name in entry.related:
        target = glossary.lookup(name)
        if target is not None:
            links.append((target.term, anchor(target.term)))
    return links


def page_items(glossary: Glossary) -> tuple[list[dict[str, Any]], list[str]]:
    """The entries of the HTML page (entry, id, letter, search text, related) and its letters."""
    entries = _sorted(glossary)
    letters = sorted({e.term[:1].upper() for e in entries if e.term[:1].isalpha()})
    items = [
        {
            "entry": e,
            "id": anchor(e.term),
            "letter": e.term[:1].upper(),
            "search": search_text(e),
            "related": _links(glossary, e),
        }
        for e in entries
    ]
    return items, letters


def render_glossary_markdown(glossary: Glossary, *, title: str = "Glossary") -> str:
    """The glossary as Markdown with explicit anchors, for a wiki or repository."""
    lines = [f"# {title}", ""]
    lines.append(
        "Each entry gives the plain phrase the briefing prints, what the term means, "
        "an everyday comparison and why it matters. Entries marked *technical* are "
        "never printed as is on the first page."
    )
    lines.append("")
    for entry in _sorted(glossary):
        label = " *(technical)*" if entry.jargon else ""
        lines.append(f'<a id="{anchor(entry.term)}"></a>')
        lines.append("")
        lines.append(f"## {_md(entry.term)}{label}")
        lines.append("")
        lines.append(f"- **Say instead:** {_md(entry.say_instead)}")
        lines.append(f"- **Means:** {_md(entry.definition)}")
        lines.append(f"- **Think of it as:** {_md(entry.metaphor)}")
        lines.append(f"- **Why it matters:** {_md(entry.why_it_matters)}")
        if entry.aliases:
            lines.append(f"- **Also called:** {', '.join(_md(a) for a in entry.aliases)}")
        links = _links(glossary, entry)
        if links:
            lines.append(
                "- **Related:** " + ", ".join(f"[{_md(label)}](#{ref})" for label, ref in links)
            )
        lines.append("")
    return "\n".join(lines)


def _md(text: str) -> str:
    """Escape the characters Markdown would read as formatting."""
    return re.sub(r"([\\`*_\[\]<>#|])", r"\\\1", text)
