"""Render stage: how much of each list a page prints, and the rows grouped by unit.

The PDF keeps to a few pages whatever the size of the organisation
(`report.detail: summary`): each long list prints its first `SHOWN` rows in the
table's own order, then one row for the rest (how many, and the sum of their
printed amounts, so that the table still adds up to the total it prints).
`report.detail: full` prints every row. The HTML page carries every row as
well, grouped by business unit (`explore_units`), to open, sort and filter.

Nothing here decides a figure: it picks, orders and sums amounts already
rounded for print.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, Literal, TypeVar

from briefing.model import (
    Briefing,
    GroupSummary,
    IncidentItem,
    RiskItem,
    ServiceStatus,
)
from briefing.render.context import PrintedCosts, parts
from briefing.render.trend import GridRow

T = TypeVar("T")
Detail = Literal["summary", "full"]
DETAILS: tuple[Detail, ...] = ("summary", "full")
SHOWN = 10  # rows a summary prints of each long list


@dataclass(frozen=True, slots=True)
class Listing(Generic[T]):
    """The rows a table prints, and the rest it sums up in one row."""

    shown: list[T]
    rest: int = 0  # how many rows are not printed
    rest_amounts: dict[str, float] = field(default_factory=dict)  # column -> their sum

    def __iter__(self) -> Iterator[T]:  # templates loop over the shown rows
        return iter(self.shown)

    def __len__(self) -> int:
        return len(self.shown) + self.rest

    @property
    def count(self) -> int:
        return len(self)


def listing(
    rows: Sequence[T],
    detail: Detail,
    *,
    first: Callable[[T], Any] | None = None,
    keep: Iterable[T] = (),
    amounts: Mapping[str, Callable[[T], float | None]] | None = None,
    limit: int = SHOWN,
) -> Listing[T]:
    """`rows` in their order, all of them (`full`), or the first `limit` by `first` (kept in
    the rows' order) plus any of `keep`; the rest summed column by column with `amounts`."""
    if detail == "full" or len(rows) <= limit:
        return Listing(list(rows), 0, {column: 0.0 for column in amounts or {}})
    ranked = sorted(range(len(rows)), key=lambda i: first(rows[i])) if first else range(len(rows))
    chosen = set(list(ranked)[:limit])
    wanted = {id(row) for row in keep}
    chosen |= {i for i, row in enumerate(rows) if id(row) in wanted}
    shown = [row for i, row in enumerate(rows) if i in chosen]
    rest = [row for i, row in enumerate(rows) if i not in chosen]
    sums = {
        column: float(sum(amount(row) or 0.0 for row in rest))
        for column, amount in (amounts or {}).items()
    }
    return Listing(shown, len(rest), sums)


# --------------------------------------------------------------------------- the HTML's units


@dataclass(frozen=True, slots=True)
class UnitRows:
    """One business unit's rows (or the whole organisation's, when it names no units)."""

    key: str  # for element ids
    name: str
    summary: GroupSummary | None
    services: list[ServiceStatus]
    incidents: list[IncidentItem]
    risks: list[RiskItem]


def explore_units(briefing: Briefing) -> list[UnitRows]:
    """Every service, incident and risk, by unit in the units' order (services in config
    order, incidents costliest first, risks by yearly cost)."""
    unit_of = {s.id: s.group for s in briefing.services}
    names: list[str | None] = [g.name for g in briefing.groups] or [None]
    by_name = {g.name: g for g in briefing.groups}
    services: dict[str | None, list[ServiceStatus]] = {name: [] for name in names}
    incidents: dict[str | None, list[IncidentItem]] = {name: [] for name in names}
    risks: dict[str | None, list[RiskItem]] = {name: [] for name in names}
    single = names == [None]
    for service in briefing.services:
        services.setdefault(None if single else service.group, []).append(service)
    for item in sorted(briefing.incidents.items, key=_incident_order):
        incidents.setdefault(None if single else unit_of.get(item.service), []).append(item)
    for risk in sorted(briefing.risks.items, key=lambda r: (-r.annual_cost, r.id)):
        risks.setdefault(None if single else unit_of.get(risk.service), []).append(risk)
    return [
        UnitRows(
            key=f"unit-{index}",
            name=name or "",
            summary=by_name.get(name or ""),
            services=services.get(name, []),
            incidents=incidents.get(name, []),
            risks=risks.get(name, []),
        )
        for index, name in enumerate(names, start=1)
    ]


def _incident_order(item: IncidentItem) -> tuple[float, str, str]:
    measured = item.measured_cost if item.measured_cost is not None else item.cost
    return (-measured, item.started_at, item.id)


# --------------------------------------------------------------------------- the printed body


def body_lists(briefing: Briefing, detail: Detail, costs: PrintedCosts) -> dict[str, Any]:
    """The long lists of the body as a page prints them: `services`, `incidents`, `risks`,
    `unrecorded` (days of failures with no incident record) and `by_service` (each
    service's risks together), with `yearly` (each risk's yearly cost as printed) and
    `yearly_total`. A summary prints the costliest first (the largest share of the
    allowance for `by_service`), and always the services the headline names; the rest's
    sums are of the printed amounts, so each table adds up to the total it prints."""
    headline = briefing.headline
    named = {s.id for s in headline.services[: headline.named]} | {headline.service or ""}
    services = list(briefing.services)
    if detail == "summary":
        services.sort(key=lambda s: -(s.downtime_cost or 0.0))  # stable: config order on ties
    in_order = sorted(briefing.risks.items, key=lambda r: (-r.budget_fraction, r.id))
    printed = parts([r.annual_cost for r in in_order], 100)
    yearly = dict(zip((r.id for r in in_order), printed, strict=True))
    risks = list(in_order)
    if detail == "summary":
        risks.sort(key=lambda r: -r.annual_cost)
    return {
        "services": listing(
            services,
            detail,
            keep=[s for s in services if s.id in named],
            amounts={
                "cost": lambda s: costs.service.get(s.id, 0.0),
                "in_incidents": lambda s: costs.in_incidents.get(s.id, 0.0),
                "unrecorded": lambda s: costs.unrecorded.get(s.id, 0.0),
            },
        ),
        "incidents": listing(
            sorted(briefing.incidents.items, key=_incident_order),
            detail,
            amounts={
                "measured": lambda i: costs.measured.get(i.id, 0.0),
                "declared": lambda i: costs.declared.get(i.id, 0.0),
            },
        ),
        "risks": listing(risks, detail, amounts={"cost": lambda r: yearly[r.id]}),
        "yearly": yearly,
        "yearly_total": sum(yearly.values()),
        "unrecorded": listing(
            briefing.unrecorded_failures,
            detail,
            first=lambda u: (-u.cost, u.day, u.service),
            amounts={"cost": lambda u: u.cost, "minutes": lambda u: u.equivalent_outage_minutes},
        ),
        "by_service": listing(
            briefing.risks.by_service,
            detail,
            first=lambda s: -s.budget_fraction,
            limit=SHOWN // 2,  # a second view of the same risks: the largest few
        ),
    }


def grid_rows(
    rows: Sequence[GridRow], shown: Iterable[ServiceStatus]
) -> tuple[list[GridRow], int, list[int]]:
    """The services-by-periods grid as a summary prints it: the rows of the services the
    services table shows, how many rows it leaves out, and per period how many of those
    used all of their allowance."""
    ids = {s.id for s in shown}
    kept = [row for row in rows if row.id in ids]
    left = [row for row in rows if row.id not in ids]
    over = [
        sum(1 for row in left if row.cells[k].tone == "over")
        for k in range(len(rows[0].cells) if rows else 0)
    ]
    return kept, len(left), over
