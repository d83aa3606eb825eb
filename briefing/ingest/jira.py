"""Ingest stage: Jira Service Management CSV exports (`format: jira`).

Jira repeats column names (`Watchers`, `Comment`: the first one counts), writes
dates like `25/Feb/26 10:17 PM` with no zone (the exporting user's zone: set
`timezone:`), and names custom fields `Custom field (...)`. Defaults: Issue key,
Summary, the affected-services field, Severity (else Priority), Created,
Resolved; `mapping:` overrides any of them. Jira has no detection time: Created
plus "Time to first response" stands in (the briefing says so). The same file
also reads as `format: csv` with an explicit mapping.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import Any

from briefing.config import SourceEntry
from briefing.errors import BriefingError, Location
from briefing.ingest.context import Loaded, ReadContext
from briefing.ingest.generic import iter_csv_records
from briefing.ingest.incident_exports import IncidentRows, ServiceMatcher
from briefing.ingest.messages import header_summary
from briefing.textfiles import check_size

DEFAULT_TIMESTAMP_FORMAT = "%d/%b/%y %I:%M %p"
DEFAULT_COLUMNS: dict[str, tuple[str, ...]] = {
    "id": ("Issue key",),
    "title": ("Summary",),
    "service": (
        "Custom field (Affected services)",
        "Custom field (Affected service)",
        "Affected services",
        "Component/s",
    ),
    "severity": ("Custom field (Severity)", "Severity", "Priority"),
    "started_at": ("Custom field (Impact start)", "Created"),
    "resolved_at": ("Resolved",),
    "impact": (),
    "first_response": ("Custom field (Time to first response)", "Time to first response"),
    "risk": ("Custom field (Risk)",),
}
REQUIRED = ("id", "service", "started_at", "resolved_at")
_ELAPSED = re.compile(r"^(\d+):([0-5]\d)$")
_WORDS = re.compile(r"^(?:(\d+)\s*d)?\s*(?:(\d+)\s*h)?\s*(?:(\d+)\s*m)?$")


def read_jira(entry: SourceEntry, ctx: ReadContext) -> Loaded:
    path = entry.path
    assert path is not None
    check_size(path)
    header, records = iter_csv_records(path)
    columns = _columns(header, dict(entry.options.get("mapping") or {}), path)
    fmt = str(entry.options.get("timestamp_format") or DEFAULT_TIMESTAMP_FORMAT)
    if "timestamp_format" not in entry.options:
        entry = _with_option(entry, "timestamp_format", fmt)
    services = ServiceMatcher(entry, ctx)
    rows = IncidentRows()

    def cell(cells: list[str], field: str) -> str | None:
        position = columns.get(field)
        if position is None or position >= len(cells):
            return None
        return cells[position].strip() or None

    for line, cells in records:
        started = cell(cells, "started_at")
        detected = cell(cells, "detected_at") or _plus(started, cell(cells, "first_response"), fmt)
        rows.acknowledged += detected is not None and "detected_at" not in columns
        raw_services = (cell(cells, "service") or "").split(",")
        rows.add(
            line,
            id=cell(cells, "id"),
            service=services.match(raw_services),
            title=cell(cells, "title"),
            severity=cell(cells, "severity"),
            started_at=started,
            detected_at=detected,
            resolved_at=cell(cells, "resolved_at"),
            impact=cell(cells, "impact"),
            risk=cell(cells, "risk"),
        )
    return rows.build(entry, ctx, "jira", [])


def _columns(header: list[str], mapping: dict[str, Any], path: Any) -> dict[str, int]:
    """Our field -> position of the export's column (first of repeated names)."""
    positions: dict[str, int] = {}
    for index, name in enumerate(header):
        positions.setdefault(name, index)
    result: dict[str, int] = {}
    for field in (*DEFAULT_COLUMNS, "detected_at"):
        if field in mapping:
            theirs = str(mapping[field])
            if theirs not in positions:
                raise BriefingError(
                    f"column {theirs!r} (mapped from {field!r}) not found; {header_summary(header)}",
                    where=Location(path, 1),
                    hint="fix `mapping:` for this source in briefing.yaml",
                )
            result[field] = positions[theirs]
            continue
        found = next((positions[c] for c in DEFAULT_COLUMNS.get(field, ()) if c in positions), None)
        if found is not None:
            result[field] = found
        elif field in REQUIRED:
            raise BriefingError(
                f"no column for {field} (looked for {', '.join(repr(c) for c in DEFAULT_COLUMNS[field])})",
                where=Location(path, 1),
                hint=f"add mapping: {{{field}: <your column>}} to this source in briefing.yaml",
            )
    return result


def _plus(started: str | None, elapsed: str | None, fmt: str) -> str | None:
    """Created + an SLA elapsed time (`0:06`, `1:20`, `1h 20m`), written back in the export's format."""
    if not started or not elapsed:
        return None
    match = _ELAPSED.match(elapsed)
    if match:
        delta = timedelta(hours=int(match.group(1)), minutes=int(match.group(2)))
    else:
        words = _WORDS.match(elapsed.strip())
        if not words or not any(words.groups()):
            return None  # negative (breached) or unreadable: no detection time
        days, hours, minutes = (int(g or 0) for g in words.groups())
        delta = timedelta(days=days, hours=hours, minutes=minutes)
    try:
        return (datetime.strptime(started, fmt) + delta).strftime(fmt)  # noqa: DTZ007 (zone set later)
    except ValueError:
        return None


def _with_option(entry: SourceEntry, key: str, value: Any) -> SourceEntry:
    from dataclasses import replace

    return replace(entry, options={**entry.options, key: value})
