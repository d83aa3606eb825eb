"""Render stage: a `Briefing` becomes the template context (what the page shows, in order).

Nothing is computed here that compute or translate should have decided; this module
only picks and orders (costliest incidents first, the service whose burn-down the
body shows) and gives the templates the printing rules: parts rounded so that they
add up, achieved reliability that agrees with the allowance used. Technical ideas
reach the page only through `TermMarkup` (render/terms.py), from the terms
translate recorded in `Briefing.terms`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypedDict

from markupsafe import Markup

from briefing.model import Briefing, IncidentItem, RiskItem, ServiceStatus, Term
from briefing.render import filters
from briefing.render.terms import TermMarkup
from briefing.translate.words import PeriodWords, period_words


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
    """Risks by the share of the yearly allowance they would use, the largest first."""
    return sorted(briefing.risks.items, key=lambda r: (-r.budget_fraction, r.id))


def parts(values: Sequence[float | None], step: float = 1.0) -> list[float]:
    """Amounts as printed: rounded so that their sum is the printed total (see `rounded_parts`)."""
    return filters.rounded_parts([v or 0.0 for v in values], step)


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
    names: dict[str, str]
    burn: ServiceStatus | None
    incidents: list[IncidentItem]
    risks: list[RiskItem]
    parts: Callable[..., list[float]]
    say: Callable[..., Markup]
    business: Callable[[str], Markup]
    words_used: Callable[[], list[Term]]


def build_context(
    briefing: Briefing,
    words: TermMarkup,
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
        names=service_names(briefing),
        burn=burn_service(briefing),
        incidents=incidents_costliest_first(briefing),
        risks=risks_largest_first(briefing),
        parts=parts,
        say=words.say,
        business=words.business,
        words_used=words.used,
    )
