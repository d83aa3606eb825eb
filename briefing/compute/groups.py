"""Compute stage: business units (`group`) and tiers of the services, as numbers.

Each service carries its unit and tier from briefing.yaml. When at least one
service names a unit, services that name none are put in one more unit,
`UNGROUPED`, so that every service is in exactly one unit and the units'
downtime costs add up to the services' total; when none names a unit there
are no units at all. A service's weight for ranking is its downtime cost times
its tier's weight (`policy.tier_weights`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace

from briefing.config import ServiceConfig
from briefing.config.organisation import group_names, unit_of
from briefing.model import GroupSummary, ServiceStatus


def with_groups(
    statuses: Sequence[ServiceStatus], services: Sequence[ServiceConfig]
) -> tuple[ServiceStatus, ...]:
    """The statuses with each service's unit and tier set from its config."""
    organised = any(s.group is not None for s in services)
    by_id = {s.id: s for s in services}
    return tuple(
        replace(
            status, group=unit_of(by_id[status.id].group, organised), tier=by_id[status.id].tier
        )
        if status.id in by_id
        else status
        for status in statuses
    )


def weighted_cost(service: ServiceStatus, tier_weights: Mapping[int, float]) -> float:
    """Downtime cost x tier weight: how services are ranked against each other."""
    return (service.downtime_cost or 0.0) * tier_weights.get(service.tier, 1.0)


def ranked(
    services: Sequence[ServiceStatus], tier_weights: Mapping[int, float]
) -> list[ServiceStatus]:
    """Services with data, highest weighted cost first; ties: less allowance left, then config order."""
    measured = [(i, s) for i, s in enumerate(services) if s.status != "no_data"]
    measured.sort(
        key=lambda item: (
            -weighted_cost(item[1], tier_weights),
            item[1].budget_remaining if item[1].budget_remaining is not None else float("inf"),
            item[0],
        )
    )
    return [s for _, s in measured]


def compute_groups(
    services: Sequence[ServiceStatus], tier_weights: Mapping[int, float]
) -> tuple[GroupSummary, ...]:
    """One row per unit: services, how many spent their allowance, downtime cost, worst service."""
    names = group_names([s.group for s in services])
    rows = []
    for name in names:
        members = [s for s in services if s.group == name]
        order = ranked(members, tier_weights)
        rows.append(
            GroupSummary(
                name=name,
                services=len(members),
                exhausted=sum(1 for s in members if s.status == "exhausted"),
                downtime_cost=sum(s.downtime_cost or 0.0 for s in members),
                worst_service=order[0].id if order else None,
            )
        )
    return tuple(rows)
