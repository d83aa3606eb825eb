"""Compute stage: the causes several services share, for a headline about many of them.

When many services spent their allowance, the reader needs what they have in
common, not one service's story. The cause is the services' costliest
incidents (by measured cost, largest first) until they explain at least half
of the services' downtime cost, and the kinds those incidents fall into. An
incident's kind is its title with the service's name (else its id) taken out
("Latency regression after deploy of svc-032" -> "Latency regression after
deploy"), so the same failure on different services counts as one kind.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from briefing.compute.decision import matched_risk
from briefing.model import Cause, IncidentItem, RiskItem, ServiceStatus, SharedCause

# a preposition left dangling once the service's name is taken out ("deploy of svc-1")
_LEAD = r"(?:\b(?:of|on|to|for|in|at|from|with)\s+)?"


def kind_of(title: str, service_id: str, service_name: str = "") -> str:
    """The incident's title without the service it happened to: its kind."""
    text = title
    for token in sorted({service_id, service_name} - {""}, key=len, reverse=True):
        pattern = _LEAD + r"(?<![\w-])" + re.escape(token) + r"(?![\w-])"
        text, found = re.subn(pattern, " ", text, flags=re.IGNORECASE)
        if found:  # the longer of the two named it: the shorter may be a word of the title
            break
    text = re.sub(r"\s+", " ", text).strip(" -:,;")
    return text or title


def shared_cause(
    services: Sequence[ServiceStatus], items: Sequence[IncidentItem], register: Sequence[RiskItem]
) -> Cause:
    """The services' costliest incidents until they explain half of their downtime cost,
    grouped by kind (costliest kind first), and the registered risk they name first."""
    ids = {s.id for s in services}
    total = sum(s.downtime_cost or 0.0 for s in services)
    own = sorted(
        (i for i in items if i.service in ids and (i.measured_cost or 0.0) > 0),
        key=lambda i: (-(i.measured_cost or 0.0), i.started_at, i.id),
    )
    chosen: list[IncidentItem] = []
    cost = 0.0
    for item in own:
        if cost >= total / 2:
            break
        chosen.append(item)
        cost += item.measured_cost or 0.0
    return Cause(
        incidents=tuple(i.id for i in chosen),
        budget_share=None,
        risk=matched_risk(chosen, register),
        cost=cost,
        shared=kinds(chosen),
    )


def kinds(items: Sequence[IncidentItem]) -> tuple[SharedCause, ...]:
    """The incidents grouped by kind: how many, on how many services, at what measured cost."""
    groups: dict[str, tuple[str, list[IncidentItem]]] = {}
    for item in items:
        kind = kind_of(item.title, item.service, item.service_name)
        groups.setdefault(kind.casefold(), (kind, []))[1].append(item)
    shared = [
        SharedCause(
            title=title,
            incidents=len(members),
            services=len({i.service for i in members}),
            cost=sum(i.measured_cost or 0.0 for i in members),
        )
        for title, members in groups.values()
    ]
    shared.sort(key=lambda k: (-k.cost, -k.incidents, k.title.casefold()))
    return tuple(shared)
