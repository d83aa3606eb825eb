"""Translate stage: text from the inputs (incident and risk titles) in business words.

Titles are written by engineers ("Bad config push takes checkout down"); the pages
before the technical appendix print them with every glossary term marked as jargon
replaced by its `say_instead` phrase ("Bad settings change takes checkout down").
The terms replaced are recorded, so "Words we use" defines them.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from briefing.translate.glossary import Glossary

_SEPARATOR = r"[\s_/\-]+"
_ACRONYM = re.compile(r"^(?=(?:[0-9]*[A-Z]){2})[A-Z0-9]+$")


def _name_regex(name: str, *, groups: bool = True) -> str:
    parts = [p for p in re.split(_SEPARATOR, name) if p]
    body = _SEPARATOR.join(re.escape(p) for p in parts)
    b, s = ("?P<body>", "?P<plural>") if groups else ("?:", "?:")
    if _ACRONYM.match(name):
        return f"({b}{body})({s}s?)"  # TLS, CDNs; never "tls"
    return f"({b}(?i:{body}))({s}(?i:s|es)?)"


def _any_name(glossary: Glossary) -> re.Pattern[str] | None:
    """One pattern for every jargon name: a text it does not find holds no jargon."""
    cached = glossary.cache.get("plain_any")
    if isinstance(cached, re.Pattern) or cached is False:
        return cached or None
    names = {
        name
        for entry in glossary
        if entry.jargon and entry.say_instead.strip()
        for name in entry.names
        if name.strip()
    }
    found = (
        re.compile(
            r"(?<![\w-])(?:"
            + "|".join(_name_regex(n, groups=False) for n in sorted(names))
            + r")(?![\w-])"
        )
        if names
        else None
    )
    glossary.cache["plain_any"] = found if found is not None else False
    return found


def _jargon_pattern(glossary: Glossary) -> list[tuple[re.Pattern[str], str]]:
    """One pattern per jargon name, longest first, with the term it stands for."""
    cached = glossary.cache.get("plain_names")
    if isinstance(cached, list):
        return cached
    names: dict[str, str] = {}
    for entry in glossary:
        if entry.jargon and entry.say_instead.strip():
            for name in entry.names:
                if name.strip():
                    names.setdefault(name, entry.term)
    ordered = sorted(names, key=lambda n: (-len(n), n))
    patterns = [
        (re.compile(rf"(?<![\w-]){_name_regex(name)}(?![\w-])"), names[name]) for name in ordered
    ]
    glossary.cache["plain_names"] = patterns
    return patterns


def _plural(phrase: str) -> str:
    return phrase if phrase.endswith("s") else phrase + "s"


def plain_words(text: str, glossary: Glossary, say: Callable[[str], str]) -> str:
    """`text` with every jargon term replaced by the phrase `say(term)` returns.

    A replacement at the start of the text, or of a sentence, starts with a capital;
    a plural term ("TLS certificates") gives a plural phrase.
    """
    anything = _any_name(glossary)
    if anything is None or anything.search(text) is None:
        return text  # most titles hold no jargon: one search says so
    spans: list[tuple[int, int, str]] = []
    for pattern, term in _jargon_pattern(glossary):
        for match in pattern.finditer(text):
            start, end = match.span()
            if any(start < e and s < end for s, e, _ in spans):
                continue  # inside a longer name already replaced
            phrase = say(term)
            if match.group("plural"):
                phrase = _plural(phrase)
            before = text[:start].rstrip()
            if not before or before[-1] in ".;:!?":
                phrase = phrase[:1].upper() + phrase[1:]
            spans.append((start, end, phrase))
    for start, end, phrase in sorted(spans, reverse=True):
        text = text[:start] + phrase + text[end:]
    return text
