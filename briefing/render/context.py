"""Render stage: a `Briefing` becomes the template context (what the page shows, in order).

Nothing is computed here that compute or translate should have decided; this module
only picks, orders and labels: costliest incidents first, the service whose burn-down
page 1 shows, the words for a status. Technical ideas reach the page only through
`Words.say()`, which prints the glossary's business phrase and remembers the term
for "Words we use".
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, TypedDict

from markupsafe import Markup, escape

from briefing.errors import BriefingError
from briefing.model import Briefing, IncidentItem, RiskItem, ServiceStatus, Term
from briefing.render import filters
from briefing.render.trend import PastView, past_view
from briefing.translate.glossary import Glossary
from briefing.translate.words import PeriodWords, period_words

# --------------------------------------------------------------------------- glossary words


@dataclass(frozen=True, slots=True)
class UsedTerm:
    term: str
    say_instead: str
    definition: str
    metaphor: str
    why_it_matters: str


class Words:
    """The glossary as the template speaks it; records every term it prints.

    `phrases` are the terms whose business phrase is wrapped with a tooltip wherever
    it appears in translated sentences (headline, facts); the renderer passes the
    terms a first pass recorded, so the wrapping does not depend on page order.
    """

    def __init__(
        self, glossary: Glossary, briefing_terms: Iterable[Term], phrases: Iterable[str] = ()
    ) -> None:
        self._glossary = glossary
        self._used: dict[str, UsedTerm] = {}
        self._footnoted: set[str] = set()
        for term in briefing_terms:
            self._used[term.term.casefold()] = UsedTerm(
                term.term, term.say_instead, term.definition, term.metaphor, term.why_it_matters
            )
        self._phrases = sorted(
            {self._entry(name).say_instead: self._entry(name) for name in phrases}.items(),
            key=lambda item: -len(item[0]),
        )

    def _entry(self, name: str) -> UsedTerm:
        key = name.casefold()
        if key in self._used:
            return self._used[key]
        entry = self._glossary.lookup(name)
        if entry is None:
            raise BriefingError(
                f"the glossary has no entry for {name!r}, which the briefing template prints",
                hint=f"add {name!r} (with definition, say_instead and metaphor) to glossary.yaml",
            )
        return UsedTerm(
            entry.term, entry.say_instead, entry.definition, entry.metaphor, entry.why_it_matters
        )

    def _span(self, used: UsedTerm, text: str) -> Markup:
        return Markup('<span class="term" title="{}">{}</span>').format(used.definition, text)

    def _footnote(self, used: UsedTerm) -> Markup:
        """The definition as a print footnote, once per term."""
        key = used.term.casefold()
        if key in self._footnoted:
            return Markup("")
        self._footnoted.add(key)
        return Markup('<span class="fn">{}: {}</span>').format(
            used.say_instead[:1].upper() + used.say_instead[1:], used.definition
        )

    def say(self, name: str, *, capital: bool = False) -> Markup:
        """The business phrase for `name`, with its definition as tooltip and print footnote."""
        used = self._entry(name)
        self._used[used.term.casefold()] = used
        text = used.say_instead[:1].upper() + used.say_instead[1:] if capital else used.say_instead
        return self._span(used, text) + self._footnote(used)

    def business(self, text: str) -> Markup:
        """Escape translated text, then give every known business phrase in it its tooltip."""
        escaped = str(escape(text))
        if not self._phrases:
            return Markup(escaped)
        by_phrase = {str(escape(p)).casefold(): u for p, u in self._phrases}
        pattern = re.compile(
            r"\b(" + "|".join(re.escape(str(escape(p))) for p, _ in self._phrases) + r")\b",
            re.IGNORECASE,
        )

        def wrap(match: re.Match[str]) -> str:
            used = by_phrase[match.group(0).casefold()]
            self._used[used.term.casefold()] = used
            return str(self._span(used, match.group(0)) + self._footnote(used))

        return Markup(pattern.sub(wrap, escaped))

    def used(self) -> list[UsedTerm]:
        """Every term printed so far, alphabetical by the words the briefing uses."""
        return sorted(self._used.values(), key=lambda u: (u.say_instead.casefold(), u.term))

    def used_names(self) -> list[str]:
        return [u.term for u in self.used()]


# --------------------------------------------------------------------------- what the page shows

STATUS_WORDS = {
    "exhausted": ("Allowance spent", "bad"),
    "at_risk": ("At risk", "warn"),
    "healthy": ("Healthy", "good"),
    "no_data": ("No data", "none"),
}
COMPONENT_WORDS = {
    "faster_response": "Faster response",
    "prevented": "Problems prevented",
    "risk_reduction": "Risks reduced",
}


@dataclass(frozen=True, slots=True)
class StatusView:
    words: str
    tone: str


def status_view(service: ServiceStatus) -> StatusView:
    words, tone = STATUS_WORDS.get(service.status, (service.status, "none"))
    if service.room_to_release:  # compute applies policy.spare_allowance
        words = "Healthy, room to release faster"
    return StatusView(words, tone)


def burn_service(briefing: Briefing) -> ServiceStatus | None:
    """The headline's service, else the one with least budget left that has burn data."""
    by_id = {s.id: s for s in briefing.services}
    chosen = by_id.get(briefing.headline.service or "")
    if chosen is not None and chosen.burn:
        return chosen
    candidates = [s for s in briefing.services if s.burn and s.budget_remaining is not None]
    if not candidates:
        return None
    return min(candidates, key=lambda s: (s.budget_remaining, s.id))


def incidents_costliest_first(briefing: Briefing) -> list[IncidentItem]:
    return sorted(briefing.incidents.items, key=lambda i: (-i.cost, i.started_at, i.id))


def risks_largest_first(briefing: Briefing) -> list[RiskItem]:
    return sorted(briefing.risks.items, key=lambda r: (-r.budget_fraction, r.id))


def service_names(briefing: Briefing) -> dict[str, str]:
    return {s.id: s.name for s in briefing.services}


def css_string(text: str) -> str:
    """A CSS string literal that cannot end the string or the <style> element."""
    out = []
    for char in text:
        if char in "\"\\<>&'" or ord(char) < 0x20:
            out.append(f"\\{ord(char):X} ")
        else:
            out.append(char)
    return '"' + "".join(out) + '"'


def w3c_datetime(iso: str) -> str:
    """An ISO timestamp as a W3C date-time in UTC ("2026-11-01T00:00:00Z")."""
    from datetime import UTC, datetime

    return datetime.fromisoformat(iso).astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class RenderContext(TypedDict):
    """What the template receives; `say`/`business` come from a per-render `Words`."""

    b: Briefing
    locale: str
    currency: str
    timezone: str
    lang: str
    period_name: str
    period_words: PeriodWords  # "the quarter's allowance", "better than last quarter"
    classification: str
    paper_size: str
    created: str
    css: Markup
    page_css: Markup
    logo: str
    charts: dict[str, Markup]
    facts: list[Any]
    services: list[ServiceStatus]
    statuses: dict[str, StatusView]
    names: dict[str, str]
    burn: ServiceStatus | None
    incidents: list[IncidentItem]
    risks: list[RiskItem]
    components: dict[str, str]
    say: Callable[..., Markup]
    business: Callable[[str], Markup]
    words_used: Callable[[], list[UsedTerm]]
    past: PastView  # the trend, the grid of past periods, last decision, the author's note


def build_context(
    briefing: Briefing,
    words: Words,
    *,
    css: str,
    charts: dict[str, Markup],
    paper_size: str,
    classification: str,
    logo: str = "",
) -> RenderContext:
    period_name = filters.period_name(briefing.period.label, briefing.locale)
    header = css_string(f"{briefing.organization} \u00b7 Risk briefing \u00b7 {period_name}")
    page_css = (
        f"@page {{ size: {paper_size}; @top-left {{ content: {header}; }}"
        f" @top-right {{ content: {css_string(classification)}; }} }}"
    )
    return RenderContext(
        b=briefing,
        locale=briefing.locale,
        currency=briefing.currency,
        timezone=briefing.timezone,
        lang=briefing.locale.replace("_", "-"),
        period_name=period_name,
        period_words=period_words(briefing.period.label),
        classification=classification,
        paper_size=paper_size,
        created=w3c_datetime(briefing.period.end),
        css=Markup(css),
        page_css=Markup(page_css),
        logo=logo,
        charts=charts,
        facts=list(briefing.facts[:5]),
        services=list(briefing.services),
        statuses={s.id: status_view(s) for s in briefing.services},
        names=service_names(briefing),
        burn=burn_service(briefing),
        incidents=incidents_costliest_first(briefing),
        risks=risks_largest_first(briefing),
        components=COMPONENT_WORDS,
        say=words.say,
        business=words.business,
        words_used=words.used,
        past=past_view(briefing),
    )
