"""Ingest stage: Opsgenie incidents JSON (`GET /v1/incidents` answers).

Impact runs from `impactStartDate` to `impactEndDate`; `createdAt` is when the
alert opened the incident, so it is the detection time (not the start).
Priorities P1..P5 become SEV1..SEV4 (P5 counts as SEV4). The service is the
first of `impactedServices` or `tags` that names a briefing.yaml service (or
maps to one through the source's `services:`).
"""

from __future__ import annotations

from briefing.config import SourceEntry
from briefing.ingest.context import Loaded, ReadContext
from briefing.ingest.incident_exports import (
    IncidentRows,
    ServiceMatcher,
    incident_list,
    listing,
    mapped,
    scalar,
)
from briefing.textfiles import load_json

CLOSED = ("resolved", "closed")


def read_opsgenie(entry: SourceEntry, ctx: ReadContext) -> Loaded:
    path = entry.path
    assert path is not None
    items = incident_list(load_json(path), ("data", "incidents"), path, "Opsgenie")
    services = ServiceMatcher(entry, ctx)
    rows = IncidentRows()
    start_from_created = end_from_update = 0
    for position, item in enumerate(items, start=1):
        if not isinstance(item, dict):
            rows.add_malformed(position, item)
            continue
        started = scalar(item.get("impactStartDate"))
        if not started and scalar(item.get("createdAt")):
            started = scalar(item["createdAt"])
            start_from_created += 1
        resolved = scalar(item.get("impactEndDate"))
        closed = str(scalar(item.get("status")) or "").lower() in CLOSED
        if not resolved and closed and scalar(item.get("updatedAt")):
            resolved = scalar(item["updatedAt"])
            end_from_update += 1
        candidates = listing(item.get("impactedServices")) + listing(item.get("tags"))
        rows.add(
            position,
            id=scalar(item.get("id")) or scalar(item.get("tinyId")),
            service=services.match(candidates),
            title=scalar(item.get("message")) or scalar(item.get("description")),
            severity=item.get("priority"),
            started_at=started,
            detected_at=item.get("createdAt"),
            resolved_at=resolved,
            risk=mapped(item, entry, "risk"),
        )
    notes = []
    if start_from_created:
        notes.append(
            f"{start_from_created} incident(s) have no impactStartDate: impact taken to start "
            "when the incident was created, so their detection time is zero"
        )
    if end_from_update:
        notes.append(
            f"{end_from_update} closed incident(s) have no impactEndDate: their last update is taken as the resolution"
        )
    return rows.build(entry, ctx, "opsgenie", notes)
