"""Ingest stage: incident.io incidents JSON (API v2 `GET /v2/incidents` answers).

Times come from `incident_timestamp_values` by name: "Impact started" is the
start, "Reported at" (or "Detected at", else "Acknowledged at", which the
briefing then says) the detection, "Resolved at" (or "Fixed at", "Closed at")
the resolution; without one, `duration_metrics` "Time to resolve" from the
start. The service is the custom field whose name says service.
"""

from __future__ import annotations

from typing import Any

from briefing.config import SourceEntry
from briefing.ingest.context import Loaded, ReadContext
from briefing.ingest.incident_exports import (
    IncidentRows,
    ServiceMatcher,
    incident_list,
    listing,
    mapped,
    mapping,
    scalar,
    shift,
)
from briefing.textfiles import load_json

STARTED = ("impact started", "started at", "impact start")
DETECTED = ("reported at", "detected at", "identified at")
ACKNOWLEDGED = ("acknowledged at", "accepted at")
RESOLVED = ("resolved at", "fixed at", "closed at")


def read_incidentio(entry: SourceEntry, ctx: ReadContext) -> Loaded:
    path = entry.path
    assert path is not None
    items = incident_list(load_json(path), ("incidents", "incident"), path, "incident.io")
    services = ServiceMatcher(entry, ctx)
    rows = IncidentRows()
    start_from_created = end_from_duration = 0
    for position, item in enumerate(items, start=1):
        if not isinstance(item, dict):
            rows.add_malformed(position, item)
            continue
        stamps = _timestamps(item)
        started = _first(stamps, STARTED)
        if started is None and scalar(item.get("created_at")):
            started = str(scalar(item["created_at"]))
            start_from_created += 1
        detected = _first(stamps, DETECTED)
        if detected is None:
            detected = _first(stamps, ACKNOWLEDGED)
            rows.acknowledged += detected is not None
        resolved = _first(stamps, RESOLVED)
        if resolved is None:
            resolved = shift(started, _duration(item, "time to resolve"))
            end_from_duration += resolved is not None
        severity = item.get("severity")
        rows.add(
            position,
            id=scalar(item.get("reference")) or scalar(item.get("id")),
            service=services.match(_service_values(item)),
            title=scalar(item.get("name")) or scalar(item.get("summary")),
            severity=mapping(severity).get("name") if isinstance(severity, dict) else severity,
            started_at=started,
            detected_at=detected,
            resolved_at=resolved,
            risk=mapped(item, entry, "risk"),
        )
    notes = []
    if start_from_created:
        notes.append(
            f"{start_from_created} incident(s) have no 'Impact started' time: impact taken to start when declared"
        )
    if end_from_duration:
        notes.append(
            f"{end_from_duration} incident(s) have no 'Resolved at' time: resolution taken from 'Time to resolve'"
        )
    return rows.build(entry, ctx, "incidentio", notes)


def _timestamps(item: dict[str, Any]) -> dict[str, str]:
    found: dict[str, str] = {}
    for entry in listing(item.get("incident_timestamp_values")):
        entry = mapping(entry)
        name = str(scalar(mapping(entry.get("incident_timestamp")).get("name")) or "")
        value = scalar(mapping(entry.get("value")).get("value"))
        if name.strip() and value:
            found.setdefault(name.strip().lower(), str(value))
    return found


def _first(stamps: dict[str, str], names: tuple[str, ...]) -> str | None:
    return next((stamps[n] for n in names if n in stamps), None)


def _duration(item: dict[str, Any], name: str) -> Any:
    for metric in listing(item.get("duration_metrics")):
        metric = mapping(metric)
        if str(scalar(mapping(metric.get("duration_metric")).get("name")) or "").lower() == name:
            return scalar(metric.get("value_seconds"))
    return None


def _service_values(item: dict[str, Any]) -> list[str]:
    values: list[str] = []
    for field in listing(item.get("custom_field_entries")):
        field = mapping(field)
        name = str(scalar(mapping(field.get("custom_field")).get("name")) or "").lower()
        if "service" not in name:
            continue
        for value in listing(field.get("values")):
            value = mapping(value)
            option = mapping(value.get("value_option"))
            catalog = mapping(value.get("value_catalog_entry"))
            for text in (option.get("value"), catalog.get("name"), value.get("value_text")):
                if scalar(text):
                    values.append(str(text))
    return values
