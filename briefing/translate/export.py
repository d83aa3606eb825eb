"""Translate stage: the shared lexicon as a page (one self-contained HTML file, or Markdown).

The HTML page carries its CSS and script inline and fetches nothing; its search
box filters entries by term, alias, plain phrase or words of the definition, and
related terms link to each other by anchor. Output is the same bytes for the same
glossary.
"""

from __future__ import annotations

import re
from pathlib import Path

import jinja2

from briefing.atomic import make_folder, write_atomic
from briefing.translate.glossary import Entry, Glossary, normalize_term

FORMATS = ("html", "md")
_TEMPLATES = Path(__file__).resolve().parent.parent / "templates"


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


def render_glossary_html(glossary: Glossary, *, title: str = "Glossary") -> str:
    """The searchable glossary page, one self-contained HTML document."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(_TEMPLATES)),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
    )
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
    return env.get_template("glossary.html.j2").render(
        title=title, items=items, letters=letters, count=len(items)
    )


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


def render_glossary(glossary: Glossary, fmt: str, *, title: str = "Glossary") -> str:
    """`html` or `md`."""
    if fmt == "html":
        return render_glossary_html(glossary, title=title)
    if fmt == "md":
        return render_glossary_markdown(glossary, title=title)
    raise ValueError(f"unknown glossary format {fmt!r}; expected one of {FORMATS}")


def write_glossary(glossary: Glossary, fmt: str, out: Path, *, title: str = "Glossary") -> Path:
    """Render and write the page to `out` (parent folders are created)."""
    text = render_glossary(glossary, fmt, title=title)
    make_folder(out.parent, what="folder of the glossary page")
    return write_atomic(out, text)


def _md(text: str) -> str:
    """Escape the characters Markdown would read as formatting."""
    return re.sub(r"([\\`*_\[\]<>#|])", r"\\\1", text)
