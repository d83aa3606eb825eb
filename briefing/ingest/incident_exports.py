"""Ingest stage: what the vendor incident readers share (PagerDuty, Opsgenie, incident.io, Jira).

Each reader turns its export into rows of our incident fields as text, then
hands them to `generic.build_incidents`, so every format gets the same checks,
defaults and reconciliation. Helpers here: reading a JSON export, matching an
export's service names to briefing.yaml service ids, and time arithmetic on
export text.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from briefing.config import SourceEntry
from briefing.errors import BriefingError, Location
from briefing.ingest.context import Loaded, ReadContext
from briefing.ingest.generic import INCIDENT_FIELDS, build_incidents, lookup_path


class IncidentRows:
    """Rows of our incident fields (text), each with the line (or list position) it came from."""

    def __init__(self) -> None:
        self.rows: dict[str, list[str | None]] = {f: [] for f in INCIDENT_FIELDS}
        self.lines: list[int] = []
        self.acknowledged = 0  # rows whose detection time is the acknowledgement time

    def add(self, line: int, **values: Any) -> None:
        self.lines.append(line)
        for field in INCIDENT_FIELDS:
            value = values.get(field)
            self.rows[field].append(None if value is None or value == "" else str(value))

    def build(self, entry: SourceEntry, ctx: ReadContext, fmt: str, notes: list[str]) -> Loaded:
        if self.acknowledged:
            notes.append(
                f"this export has no detection time: the acknowledgement time stands in for "
                f"{self.acknowledged} incident(s), so detection times include the time to respond"
            )
        lines = np.asarray(self.lines, dtype=np.int64)
        return build_incidents(self.rows, lines, entry, ctx, fmt, notes=notes)


def mapped(item: Any, entry: SourceEntry, field: str) -> Any:
    """An optional field the config maps to a path in each item (`mapping: {risk: fields.risk}`)."""
    path = dict(entry.options.get("mapping") or {}).get(field)
    if path is None or not isinstance(item, dict):
        return None
    return lookup_path(item, str(path))


def incident_list(data: Any, keys: tuple[str, ...], path: Path, tool: str) -> list[Any]:
    """The incidents of an API answer: a list, or under one of `keys` (a list or one object)."""
    if isinstance(data, list):
        return data
    if isinstance(data, dict):
        for key in keys:
            value = data.get(key)
            if isinstance(value, list):
                return value
            if isinstance(value, dict):
                return [value]
    found = ", ".join(sorted(data)) if isinstance(data, dict) else type(data).__name__
    raise BriefingError(
        f"not a {tool} incidents export: expected a list under {' or '.join(repr(k) for k in keys)} (found {found})",
        where=Location(path, 1),
        hint=f"save the JSON answer of the {tool} incidents API, or use format: json with a mapping:",
    )


class ServiceMatcher:
    """An export's service names -> briefing.yaml service ids.

    In order: the source's `services:` mapping (theirs: ours), an exact id, then an
    id or business name ignoring case. Unmatched names pass through, so the row
    is rejected naming them.
    """

    def __init__(self, entry: SourceEntry, ctx: ReadContext) -> None:
        mapping = entry.options.get("services")
        self.mapping = (
            {str(k): str(v) for k, v in mapping.items()} if isinstance(mapping, Mapping) else {}
        )
        self.ids = set(ctx.service_ids)
        self.folded: dict[str, str] = {i.lower(): i for i in ctx.service_ids}
        for service in ctx.config.services:
            self.folded.setdefault(service.name.strip().lower(), service.id)

    def match(self, candidates: Iterable[Any]) -> str | None:
        names = [str(c).strip() for c in candidates if c is not None and str(c).strip()]
        for name in names:
            if name in self.mapping:
                return self.mapping[name]
            if name in self.ids:
                return name
            if name.lower() in self.folded:
                return self.folded[name.lower()]
        return names[0] if names else None


def shift(text: Any, seconds: Any) -> str | None:
    """An ISO timestamp (with offset) plus a number of seconds, as ISO text; None if either is missing."""
    if text is None or seconds is None or str(seconds).strip() == "":
        return None
    try:
        start = pd.Timestamp(str(text).strip())
        delta = float(seconds)
    except (ValueError, TypeError):
        return None
    if start.tzinfo is None or delta != delta or delta < 0:
        return None
    return (start + pd.Timedelta(seconds=delta)).isoformat()


def earliest(values: Iterable[Any]) -> str | None:
    """The earliest of some ISO timestamps (text kept as written)."""
    best: tuple[pd.Timestamp, str] | None = None
    for value in values:
        if not value:
            continue
        try:
            stamp = pd.Timestamp(str(value))
        except ValueError:
            continue
        if stamp.tzinfo is not None and (best is None or stamp < best[0]):
            best = (stamp, str(value))
    return best[1] if best else None
