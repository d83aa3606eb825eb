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
from briefing.ingest.incident_exports import IncidentRows, ServiceMatcher, incident_list, mapped
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
            item = {}
        started = item.get("impactStartDate")
        if not started and item.get("createdAt"):
            started = item["createdAt"]
            start_from_created += 1
        resolved = item.get("impactEndDate")
        if not resolved and str(item.get("status", "")).lower() in CLOSED and item.get("updatedAt"):
            resolved = item["updatedAt"]
            end_from_update += 1
        candidates = list(item.get("impactedServices") or []) + list(item.get("tags") or [])
        rows.add(
            position,
            id=item.get("id") or item.get("tinyId"),
            service=services.match(candidates),
            title=item.get("message") or item.get("description"),
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
