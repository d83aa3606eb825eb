"""Translate stage: the jargon check of text, Markdown and HTML pages.

Two kinds of finding, each with the line and column in the original text:
- `bare_jargon`: a term or alias of an entry with `jargon: true`, printed as is
  (whole words; acronyms such as SLO match case-sensitively, other names do not);
- `undefined`: a technical-looking word with no entry: an ALL-CAPS acronym, a
  snake_case or camelCase identifier.
With `details=True` (the build's check of the pages before the technical appendix)
a third: `technical_detail`, a machine timestamp (2026-10-01T00:00:00), a file name
(sli.csv.gz) or a redaction marker ("[redacted]").
In HTML only visible text counts: not tags or attributes, not `<head>`, `<script>`,
`<style>` or `<template>`, and nothing inside an element with `data-lint="skip"`.
"""

from __future__ import annotations

import bisect
import functools
import html
import re
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

from briefing.errors import BriefingError, Location
from briefing.translate.glossary import Glossary

MAX_CHECK_BYTES = 20_000_000
BARE_JARGON = "bare_jargon"
UNDEFINED = "undefined"
TECHNICAL_DETAIL = "technical_detail"
_EXTENSIONS = "csv|tsv|gz|zip|json|ya?ml|parquet|sql|sqlite|duckdb|txt|xlsx?|log|py|j2|html?|pdf"
_DETAILS = (
    (
        re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?"),
        "a machine timestamp: print the date in words",
    ),
    (
        re.compile(rf"(?<![\w/.-])[\w/.-]*\w\.(?:{_EXTENSIONS})(?:\.gz)?(?![\w.])", re.IGNORECASE),
        "a file name: name the source in words, or move it to the technical appendix",
    ),
    (
        re.compile(r"\[\s*redacted\s*\]", re.IGNORECASE),
        "a redaction marker: say who or what it was in plain words",
    ),
)

# Acronyms every business reader knows: not reported as undefined.
_COMMON = """
AM PM OK UTC GMT ISO PDF HTML CEO CFO COO CTO CIO CISO CRO CPO VP SVP EVP HR IT PR
UK US USA EU UN FY YTD QTD KPI ROI ID FAQ TBD NB PS CC EMEA APAC AMER LATAM ESG GDPR
SOX PCI DSS NIST SOC LLC LTD PLC INC AG SA BV NV AB GMBH PUBLIC DRAFT NOTE TLP
"""
COMMON_ACRONYMS = frozenset(_COMMON.split())
MAX_ACRONYM_LETTERS = 6  # longer ALL-CAPS words are headings or classifications

_SEPARATOR = r"[\s_/\-]+"
_ACRONYM = re.compile(r"^(?=(?:[0-9]*[A-Z]){2})[A-Z0-9]+$")
_URL = re.compile(r"(?:https?://|www\.)[^\s<>\"')\]]+|[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_TECHNICAL = re.compile(
    r"(?<!\w)(?:"
    r"(?P<acronym>(?=[A-Z0-9]*[A-Z][A-Z0-9]*[A-Z])[A-Z][A-Z0-9]+s?)"
    r"|(?P<snake>[A-Za-z][A-Za-z0-9]*(?:_[A-Za-z0-9]+)+)"
    r"|(?P<camel>[a-z][a-z0-9]*[A-Z][A-Za-z0-9]*)"
    r")(?!\w)"
)
_INLINE = "a abbr b bdi bdo cite code data dfn em i kbd mark q s samp small span strong sub sup time u var wbr tspan"
_INLINE_TAGS = frozenset(_INLINE.split())
_VOID = "area base br col embed hr img input link meta param source track wbr"
_VOID_TAGS = frozenset(_VOID.split())
_HIDDEN_TAGS = frozenset({"head", "script", "style", "template", "noscript"})
_ENTITY = re.compile(r"&#?[A-Za-z0-9]+;?")


@dataclass(frozen=True, slots=True)
class JargonFinding:
    """A word an executive page should not print as is."""

    line: int
    column: int
    word: str
    kind: str  # "bare_jargon" | "undefined"
    suggestion: str  # the say_instead phrase, or what to do
    term: str = ""  # the glossary entry, for bare jargon


def find_jargon(
    text: str, glossary: Glossary, *, html: bool = False, details: bool = False
) -> list[JargonFinding]:
    """Bare jargon and undefined technical words in `text` (and technical details), in order."""
    visible = _visible_html(text) if html else text
    visible = _URL.sub(lambda m: " " * len(m.group()), visible)
    starts = _line_starts(text)
    findings: list[JargonFinding] = []
    if details:
        for pattern, advice in _DETAILS:
            for match in pattern.finditer(visible):
                line, column = _position(starts, match.start())
                findings.append(
                    JargonFinding(line, column, match.group(), TECHNICAL_DETAIL, advice)
                )
                visible = (
                    visible[: match.start()] + " " * len(match.group()) + visible[match.end() :]
                )
    taken: list[tuple[int, int]] = []
    for match in _names_pattern(glossary).finditer(visible):
        taken.append(match.span())
        entry = glossary.lookup(match.group())
        if entry is None or not entry.jargon:
            continue
        line, column = _position(starts, match.start())
        word = " ".join(match.group().split())  # HTML: tags and entities between words
        findings.append(
            JargonFinding(line, column, word, BARE_JARGON, entry.say_instead, entry.term)
        )
    taken_starts = [start for start, _ in taken]
    for match in _TECHNICAL.finditer(visible):
        index = bisect.bisect_right(taken_starts, match.start()) - 1
        if index >= 0 and taken[index][1] > match.start():
            continue  # inside a glossary name already judged
        word = match.group()
        if match.group("acronym"):
            letters = word[:-1] if word.endswith("s") else word
            if (
                letters in COMMON_ACRONYMS
                or letters in _currencies()
                or sum(c.isalpha() for c in letters) > MAX_ACRONYM_LETTERS
            ):
                continue
        line, column = _position(starts, match.start())
        entry = glossary.lookup(word)  # budgetRemaining, error_budget: a name in disguise
        if entry is not None:
            if entry.jargon:
                findings.append(
                    JargonFinding(line, column, word, BARE_JARGON, entry.say_instead, entry.term)
                )
            continue
        close = glossary.suggest(word, n=1)
        advice = f"did you mean {close[0]!r}? " if close else ""
        findings.append(
            JargonFinding(
                line,
                column,
                word,
                UNDEFINED,
                advice + "use plain words, or add an entry to the glossary",
            )
        )
    findings.sort(key=lambda f: (f.line, f.column))
    return findings


def check_file(path: Path, glossary: Glossary) -> list[JargonFinding]:
    """`find_jargon` on a text, Markdown or HTML file (HTML by extension or doctype)."""
    if not path.is_file():
        raise BriefingError("file not found", where=Location(path), hint="check the path")
    if path.stat().st_size > MAX_CHECK_BYTES:
        raise BriefingError(f"file is larger than {MAX_CHECK_BYTES:,} bytes", where=Location(path))
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as err:
        raise BriefingError(
            f"not UTF-8 text (byte {err.start})",
            where=Location(path),
            hint="check a text, Markdown or HTML file saved as UTF-8",
        ) from None
    head = text.lstrip()[:200].casefold()
    is_html = path.suffix.casefold() in {".html", ".htm", ".xhtml"} or head.startswith(
        ("<!doctype html", "<html")
    )
    return find_jargon(text, glossary, html=is_html)


# --------------------------------------------------------------------------- helpers


def _name_regex(name: str) -> str:
    parts = [p for p in re.split(_SEPARATOR, name) if p]
    body = _SEPARATOR.join(re.escape(p) for p in parts)
    if _ACRONYM.match(name):
        return body + "s?"  # SLO, SLOs; never "slo"
    plural = "(?:s|es)?" if name[-1:].isalnum() else ""
    return f"(?i:{body}{plural})"


def _names_pattern(glossary: Glossary) -> re.Pattern[str]:
    """One alternation of every term and alias, longest first, cached on the glossary."""
    cached = glossary.cache.get("lint_names")
    if isinstance(cached, re.Pattern):
        return cached
    names = {name for entry in glossary for name in entry.names if name.strip()}
    ordered = sorted(names, key=lambda n: (-len(n), n))
    alternation = "|".join(_name_regex(n) for n in ordered) or r"(?!x)x"
    pattern = re.compile(rf"(?<!\w)(?:{alternation})(?!\w)")
    glossary.cache["lint_names"] = pattern
    return pattern


@functools.cache
def _currencies() -> frozenset[str]:
    """ISO 4217 codes (EUR, USD): amounts print with them."""
    from babel.numbers import list_currencies

    return frozenset(list_currencies())


def _line_starts(text: str) -> list[int]:
    return [0, *(m.end() for m in re.finditer("\n", text))]


def _position(starts: list[int], offset: int) -> tuple[int, int]:
    index = bisect.bisect_right(starts, offset) - 1
    return index + 1, offset - starts[index] + 1


class _VisibleText(HTMLParser):
    """Copies visible text into a blank buffer at its original offsets."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=False)
        self.text = text
        self.starts = _line_starts(text)
        self.buffer = [" "] * len(text)
        self.stack: list[tuple[str, bool]] = []
        self.hidden = 0

    def _offset(self) -> int:
        line, column = self.getpos()
        return self.starts[line - 1] + column

    def _separate(self, tag: str) -> None:
        if tag not in _INLINE_TAGS:
            offset = self._offset()
            if offset < len(self.buffer):
                self.buffer[offset] = "\x00"  # words never join across blocks

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._separate(tag)
        if tag in _VOID_TAGS:
            return
        in_svg = any(t == "svg" for t, _ in self.stack)
        hide = (
            tag in _HIDDEN_TAGS
            or (tag == "title" and in_svg)
            or any(k == "data-lint" and (v or "").strip() == "skip" for k, v in attrs)
        )
        self.stack.append((tag, hide))
        self.hidden += hide

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._separate(tag)

    def handle_endtag(self, tag: str) -> None:
        self._separate(tag)
        for index in range(len(self.stack) - 1, -1, -1):
            if self.stack[index][0] == tag:
                for _, hide in self.stack[index:]:
                    self.hidden -= hide
                del self.stack[index:]
                return

    def handle_data(self, data: str) -> None:
        if self.hidden:
            return
        offset = self._offset()
        self.buffer[offset : offset + len(data)] = list(data)

    def _reference(self) -> None:
        if self.hidden:
            return
        offset = self._offset()
        match = _ENTITY.match(self.text, offset)
        if match:
            char = html.unescape(match.group())
            self.buffer[offset] = char[0] if len(char) == 1 and not char.isspace() else " "

    def handle_entityref(self, name: str) -> None:
        self._reference()

    def handle_charref(self, name: str) -> None:
        self._reference()


def _visible_html(text: str) -> str:
    parser = _VisibleText(text)
    parser.feed(text)
    parser.close()
    return "".join(parser.buffer)
