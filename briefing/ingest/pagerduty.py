"""Ingest stage: PagerDuty incidents, REST API v2 JSON or Analytics raw-incident CSV.

Both come under `format: pagerduty` and are told apart by content (JSON starts
with `{` or `[`). PagerDuty records when an incident was created, acknowledged
and resolved, not when impact began or was detected: `created_at` is the
start, the first acknowledgement stands in for detection (and the briefing
says so), and the severity is the priority (P1..P5), else the urgency.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from briefing.config import SourceEntry
from briefing.errors import BriefingError, Location
from briefing.ingest.context import Loaded, ReadContext
from briefing.ingest.generic import iter_csv_records
from briefing.ingest.incident_exports import (
    IncidentRows,
    ServiceMatcher,
    earliest,
    incident_list,
    listing,
    mapped,
    mapping,
    scalar,
    shift,
)
from briefing.textfiles import check_size, load_json

ANALYTICS_REQUIRED = ("id", "created_at", "service_name")


def read_pagerduty(entry: SourceEntry, ctx: ReadContext) -> Loaded:
    path = entry.path
    assert path is not None
    check_size(path)
    if _is_json(path):
        return _read_rest(path, entry, ctx)
    return _read_analytics(path, entry, ctx)


def _is_json(path: Path) -> bool:
    with path.open("rb") as handle:
        head = handle.read(4096).lstrip(b"\xef\xbb\xbf \t\r\n")
    return head[:1] in (b"{", b"[")


def _read_rest(path: Path, entry: SourceEntry, ctx: ReadContext) -> Loaded:
    """`GET /incidents` answers: `{"incidents": [...]}` (or one `{"incident": {...}}`)."""
    items = incident_list(load_json(path), ("incidents", "incident"), path, "PagerDuty")
    services = ServiceMatcher(entry, ctx)
    rows = IncidentRows()
    by_urgency = 0
    for position, item in enumerate(items, start=1):
        if not isinstance(item, dict):
            rows.add_malformed(position, item)
            continue
        service = mapping(item.get("service"))
        priority = mapping(item.get("priority"))
        severity = scalar(priority.get("summary")) or scalar(priority.get("name"))
        if not severity and scalar(item.get("urgency")):
            severity = scalar(item["urgency"])
            by_urgency += 1
        acknowledged = earliest(
            scalar(mapping(a).get("at")) for a in listing(item.get("acknowledgements"))
        )
        rows.acknowledged += acknowledged is not None
        rows.add(
            position,
            id=scalar(item.get("id")) or scalar(item.get("incident_number")),
            service=services.match(
                [service.get("summary"), service.get("name"), service.get("id")]
            ),
            title=scalar(item.get("title"))
            or scalar(item.get("summary"))
            or scalar(item.get("description")),
            severity=severity,
            started_at=item.get("created_at"),
            detected_at=acknowledged,
            resolved_at=scalar(item.get("resolved_at")) or _resolved_by_status(item),
            risk=mapped(item, entry, "risk"),
        )
    notes = []
    if by_urgency:
        notes.append(
            f"{by_urgency} incident(s) have no priority: severity taken from urgency (high, low)"
        )
    return rows.build(entry, ctx, "pagerduty", notes)


def _resolved_by_status(item: dict[str, Any]) -> str | None:
    """Older answers lack `resolved_at`: a resolved incident's last status change is its resolution."""
    if item.get("status") == "resolved":
        return str(scalar(item.get("last_status_change_at")) or "") or None
    return None


def _read_analytics(path: Path, entry: SourceEntry, ctx: ReadContext) -> Loaded:
    """Analytics raw incidents: durations are seconds from `created_at`."""
    header, records = iter_csv_records(path)
    index: dict[str, int] = {}
    for position, name in enumerate(header):
        index.setdefault(name, position)
    missing = [c for c in ANALYTICS_REQUIRED if c not in index]
    if missing or ("resolved_at" not in index and "seconds_to_resolve" not in index):
        raise BriefingError(
            f"not a PagerDuty Analytics raw-incident CSV: missing column(s) "
            f"{', '.join(missing) or 'resolved_at or seconds_to_resolve'}",
            where=Location(path, 1),
            hint="export Analytics > Incidents as CSV, or save the REST API JSON; "
            "for another CSV use format: csv with a mapping:",
        )
    services = ServiceMatcher(entry, ctx)
    rows = IncidentRows()

    def cell(cells: list[str], name: str) -> str | None:
        position = index.get(name)
        if position is None or position >= len(cells):
            return None
        return cells[position].strip() or None

    for line, cells in records:
        created = cell(cells, "created_at")
        severity = cell(cells, "priority_name")
        if severity is None:
            major = (cell(cells, "major") or "").lower() == "true"
            severity = "SEV1" if major else cell(cells, "urgency")
        acknowledged = shift(created, cell(cells, "seconds_to_first_ack"))
        rows.acknowledged += acknowledged is not None
        rows.add(
            line,
            id=cell(cells, "id") or cell(cells, "incident_number"),
            service=services.match([cell(cells, "service_name"), cell(cells, "service_id")]),
            title=cell(cells, "description"),
            severity=severity,
            started_at=created,
            detected_at=acknowledged,
            resolved_at=cell(cells, "resolved_at")
            or shift(created, cell(cells, "seconds_to_resolve")),
            risk=cell(cells, str(dict(entry.options.get("mapping") or {}).get("risk", "risk"))),
        )
    return rows.build(entry, ctx, "pagerduty", [])
