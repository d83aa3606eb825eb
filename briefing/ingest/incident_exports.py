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
from briefing.ingest.generic import (
    INCIDENT_FIELDS,
    build_incidents,
    folded_service_names,
    lookup_path,
)


class IncidentRows:
    """Rows of our incident fields (text), each with the line (or list position) it came from."""

    def __init__(self) -> None:
        self.rows: dict[str, list[str | None]] = {f: [] for f in INCIDENT_FIELDS}
        self.lines: list[int] = []
        self.malformed: list[str | None] = []  # why a row is not an incident at all
        self.acknowledged = 0  # rows whose detection time is the acknowledgement time

    def add(self, line: int, **values: Any) -> None:
        self.lines.append(line)
        self.malformed.append(None)
        for field in INCIDENT_FIELDS:
            value = scalar(values.get(field))
            self.rows[field].append(None if value is None or value == "" else str(value))

    def add_malformed(self, line: int, item: Any) -> None:
        """An item of the export that is not an incident object: a rejected row, never a crash."""
        self.add(line)
        self.malformed[-1] = f"item {line} is {_kind(item)}, not an incident object"

    def build(self, entry: SourceEntry, ctx: ReadContext, fmt: str, notes: list[str]) -> Loaded:
        if self.acknowledged:
            notes.append(
                f"this export has no detection time: the acknowledgement time stands in for "
                f"{self.acknowledged} incident(s), so detection times include the time to respond"
            )
        lines = np.asarray(self.lines, dtype=np.int64)
        reasons = self.malformed
        first = [
            (
                np.array([r is not None for r in reasons], dtype=bool),
                None,
                lambda i: str(reasons[i]),
            )
        ]
        return build_incidents(self.rows, lines, entry, ctx, fmt, notes=notes, first=first)


def mapping(value: Any) -> dict[str, Any]:
    """`value` if it is a JSON object, else an empty one (exports change shape between versions)."""
    return value if isinstance(value, dict) else {}


def listing(value: Any) -> list[Any]:
    """`value` if it is a JSON list, else an empty one."""
    return value if isinstance(value, list) else []


def scalar(value: Any) -> str | int | float | None:
    """Text or a number as given; objects, lists and booleans count as absent."""
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        return None
    return value


def _kind(item: Any) -> str:
    if item is None:
        return "null"
    if isinstance(item, bool):
        return "true or false"
    if isinstance(item, int | float):
        return "a number"
    if isinstance(item, str):
        return "text"
    if isinstance(item, list):
        return "a list"
    return "an object"


def mapped(item: Any, entry: SourceEntry, field: str) -> str | int | float | None:
    """An optional field the config maps to a path in each item (`mapping: {risk: fields.risk}`);
    text or a number, else absent."""
    path = dict(entry.options.get("mapping") or {}).get(field)
    if path is None or not isinstance(item, dict):
        return None
    return scalar(lookup_path(item, str(path)))


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
        given = entry.options.get("services")
        self.mapping = (
            {str(k): str(v) for k, v in given.items()} if isinstance(given, Mapping) else {}
        )
        self.ids = set(ctx.service_ids)
        self.folded = folded_service_names(ctx)

    def match(self, candidates: Iterable[Any]) -> str | None:
        texts = (scalar(c) for c in candidates)
        names = [str(c).strip() for c in texts if c is not None and str(c).strip()]
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
        if start.tzinfo is None or not 0 <= delta < 1e10:
            return None
        return (start + pd.Timedelta(seconds=delta)).isoformat()
    except (ValueError, TypeError, OverflowError, pd.errors.OutOfBoundsDatetime):
        return None


def earliest(values: Iterable[Any]) -> str | None:
    """The earliest of some ISO timestamps (text kept as written)."""
    best: tuple[pd.Timestamp, str] | None = None
    for value in values:
        if not value:
            continue
        try:
            stamp = pd.Timestamp(str(value))
        except (ValueError, TypeError, OverflowError, pd.errors.OutOfBoundsDatetime):
            continue
        if stamp.tzinfo is not None and (best is None or stamp < best[0]):
            best = (stamp, str(value))
    return best[1] if best else None
