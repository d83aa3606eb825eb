"""Render stage: glossary terms as markup (tooltip on screen, footnote in the PDF).

Translate decides which terms a briefing uses and records them in `Briefing.terms`:
that list is the one source of truth for "Words we use" and for the business
phrases wrapped in translated sentences. `TermMarkup` only prints them. A template
that names a term the briefing did not record (a workspace's own template) still
gets it from the glossary, and it joins "Words we use" after the recorded ones.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from markupsafe import Markup, escape

from briefing.errors import BriefingError
from briefing.model import Term
from briefing.translate.glossary import Glossary


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


class TermMarkup:
    """Prints the briefing's terms: `say()` by name, `business()` inside sentences."""

    def __init__(self, glossary: Glossary, terms: Iterable[Term], *, tooltips: bool = True) -> None:
        """`tooltips=False` (the PDF, where nothing hovers) prints a term's phrase as plain
        text with its footnote: an inline box around a phrase that must wrap can make the
        PDF's line breaker leave a word alone on a line."""
        self._glossary = glossary
        self._tooltips = tooltips
        self._terms: dict[str, Term] = {t.term.casefold(): t for t in terms}
        self._footnoted: set[str] = set()
        self._pattern: re.Pattern[str] | None = None
        self._by_phrase: dict[str, Term] = {}

    def _term(self, name: str) -> Term:
        key = name.casefold()
        if key in self._terms:
            return self._terms[key]
        entry = self._glossary.lookup(name)
        if entry is None:
            raise BriefingError(
                f"the glossary has no entry for {name!r}, which the briefing template prints",
                hint=f"add {name!r} (with definition, say_instead and metaphor) to glossary.yaml",
            )
        if entry.term.casefold() not in self._terms:
            self._terms[entry.term.casefold()] = Term(
                entry.term,
                entry.say_instead,
                entry.definition,
                entry.metaphor,
                entry.why_it_matters,
            )
            self._pattern = None
        return self._terms[entry.term.casefold()]

    def _markup(self, term: Term, text: str, *, footnote: bool = True) -> Markup:
        span = (
            Markup('<span class="term" title="{}">{}</span>').format(term.definition, text)
            if self._tooltips
            else Markup("{}").format(text)
        )
        key = term.term.casefold()
        if key in self._footnoted or not footnote:
            return span
        self._footnoted.add(key)
        return span + Markup('<span class="fn">{}: {}</span>').format(
            _capital(term.say_instead), term.definition
        )

    def say(self, name: str, *, capital: bool = False, plural: bool = False) -> Markup:
        """The business phrase of term `name`, with its definition (tooltip, footnote once).

        `plural` adds the "s" inside the phrase, before the footnote's mark.
        """
        term = self._term(name)
        text = _capital(term.say_instead) if capital else term.say_instead
        return self._markup(term, text + "s" if plural else text)

    def business(self, text: str, footnotes: bool = True) -> Markup:
        """Escaped `text` with every recorded term's business phrase (or its plural) marked.

        `footnotes=False` (page 1's decision box, where space is short) gives the tooltip
        only; the definition is footnoted where the term is next printed, and listed in
        "Words we use".
        """
        escaped = str(escape(text))
        if self._pattern is None:
            self._by_phrase = {
                str(escape(t.say_instead)).casefold(): t
                for t in self._terms.values()
                if t.say_instead.strip()
            }
            phrases = sorted(self._by_phrase, key=lambda p: (-len(p), p))
            alternation = "|".join(re.escape(p) for p in phrases) or r"(?!x)x"
            # a plural or possessive ending stays inside, before the footnote's mark
            self._pattern = re.compile(rf"\b({alternation})(s|&#39;s|’s)?\b", re.IGNORECASE)

        def wrap(match: re.Match[str]) -> str:
            term = self._by_phrase[match.group(1).casefold()]
            return str(self._markup(term, Markup(match.group(0)), footnote=footnotes))

        return Markup(self._pattern.sub(wrap, escaped))

    def used(self) -> list[Term]:
        """The briefing's terms, then any a template added, by the words the pages print."""
        return sorted(self._terms.values(), key=lambda t: (t.say_instead.casefold(), t.term))
