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
from dataclasses import dataclass
from typing import Any, TypedDict

from markupsafe import Markup

from briefing.model import Briefing, IncidentItem, RiskItem, ServiceStatus, Term
from briefing.render import filters
from briefing.render.terms import TermMarkup
from briefing.render.trend import PastView, past_view
from briefing.translate.words import PeriodWords, period_words


def burn_service(briefing: Briefing) -> ServiceStatus | None:
    """The headline's service (the first it names), else the one with least budget left
    that has burn data."""
    by_id = {s.id: s for s in briefing.services}
    first = briefing.headline.services[0].id if briefing.headline.services else ""
    chosen = by_id.get(briefing.headline.service or first)
    if chosen is not None and chosen.burn:
        return chosen
    candidates = [s for s in briefing.services if s.burn and s.budget_remaining is not None]
    if not candidates:
        return None
    return min(candidates, key=lambda s: (s.budget_remaining, s.id))


def incidents_costliest_first(briefing: Briefing) -> list[IncidentItem]:
    """Costliest first: by measured cost where the briefing has it, else the declared one."""

    def cost(item: IncidentItem) -> float:
        return float(item.measured_cost if item.measured_cost is not None else item.cost)

    return sorted(briefing.incidents.items, key=lambda i: (-cost(i), i.started_at, i.id))


def risks_largest_first(briefing: Briefing) -> list[RiskItem]:
    """Risks by the share of the yearly allowance they would use, the largest first."""
    return sorted(briefing.risks.items, key=lambda r: (-r.budget_fraction, r.id))


def parts(values: Sequence[float | None], step: float = 1.0) -> list[float]:
    """Amounts as printed: rounded so that their sum is the printed total (see `rounded_parts`)."""
    return filters.rounded_parts([v or 0.0 for v in values], step)


@dataclass(frozen=True, slots=True)
class PrintedCosts:
    """Every cost the body prints, rounded once, so that each printed total is the sum of
    its printed parts wherever it appears: services, the bridge, the disruptions table."""

    service: dict[str, float]  # downtime_cost by service id; they add up to `total`
    in_incidents: dict[str, float]  # a service's incident_cost; with `unrecorded`, its cost
    unrecorded: dict[str, float]  # a service's unattributed_cost
    measured: dict[str, float]  # an incident's measured_cost; a service's add up to in_incidents
    declared: dict[str, float]  # an incident's declared estimate (impact x minutes)
    group: dict[str, float]  # a business unit's: the sum of its services' printed costs
    total: float
    in_incidents_total: float
    unrecorded_total: float
    declared_total: float

    @property
    def bridged(self) -> bool:
        """Whether the briefing splits each service's cost into recorded and unrecorded."""
        return bool(self.in_incidents)


def printed_costs(briefing: Briefing) -> PrintedCosts:
    services = briefing.services
    costs = parts([s.downtime_cost for s in services])
    service = {s.id: c for s, c in zip(services, costs, strict=True)}
    in_incidents: dict[str, float] = {}
    unrecorded: dict[str, float] = {}
    measured: dict[str, float] = {}
    items = briefing.incidents.items
    split = [s for s in services if s.incident_cost is not None]
    by_service: dict[str, list[IncidentItem]] = {}
    for item in items:
        by_service.setdefault(item.service, []).append(item)
    if split and len(split) == len(services):
        for s in services:
            recorded, rest = filters.rounded_parts(
                [
                    s.incident_cost or 0.0,
                    s.unattributed_cost or 0.0,
                ],
                total=service[s.id],
            )
            in_incidents[s.id], unrecorded[s.id] = recorded, rest
            own = by_service.get(s.id, [])
            shares = (
                filters.rounded_parts([i.measured_cost or 0.0 for i in own], total=recorded)
                if own
                else []
            )
            measured.update({i.id: m for i, m in zip(own, shares, strict=True)})
    declared_parts = parts([i.cost for i in items])
    group: dict[str, float] = {}
    for s in services:
        if s.group is not None:
            group[s.group] = group.get(s.group, 0.0) + service[s.id]
    return PrintedCosts(
        service=service,
        in_incidents=in_incidents,
        unrecorded=unrecorded,
        measured=measured,
        declared={i.id: d for i, d in zip(items, declared_parts, strict=True)},
        group=group,
        total=sum(costs),
        in_incidents_total=sum(in_incidents.values()),
        unrecorded_total=sum(unrecorded.values()),
        declared_total=sum(declared_parts),
    )


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
    costs: PrintedCosts
    say: Callable[..., Markup]
    business: Callable[..., Markup]
    words_used: Callable[[], list[Term]]
    past: PastView  # the trend, the grid of past periods, last decision, the author's note


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
    unit = f" \u00b7 {briefing.group}" if briefing.group else ""
    header = css_string(f"{briefing.organization}{unit} \u00b7 Risk briefing \u00b7 {period_name}")
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
        costs=printed_costs(briefing),
        say=words.say,
        business=words.business,
        words_used=words.used,
        past=past_view(briefing),
    )
