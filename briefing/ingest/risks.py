"""Ingest stage: the risk register (Google CRE risk analysis), YAML or CSV.

A YAML register is a mapping with a `risks:` list (or a bare list); a CSV has
one risk a row with the same names (intervals as `ettd_lo,ettd_hi`, values
before mitigation as `before_ettd_minutes`). A register is written by people,
and every risk in it is a claim leadership acts on: a bad value is an error,
not a rejected row. Every problem is listed with its line, the risk's id and
the field, then the build stops once (exit 1).

Each figure must lie within `BOUNDS`, ranges far wider than any honest
estimate: beyond them the value is a typo (minutes written as days, a stray
exponent), and the Monte Carlo would draw from nonsense.
"""

from __future__ import annotations

import difflib
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from briefing.config import SourceEntry
from briefing.errors import BriefingError, ConfigError, Location
from briefing.ingest.context import Loaded, ReadContext
from briefing.ingest.generic import iter_csv_records
from briefing.ingest.messages import header_summary
from briefing.ingest.tables import conform
from briefing.model import FileQuality
from briefing.textfiles import check_size, parse_yaml, read_text

POINT_FIELDS = ("ettd_minutes", "ettr_minutes", "impact", "ettf_days")
# YAML interval key -> (canonical low column, canonical high column)
INTERVALS = {
    "ettd_minutes_90": ("ettd_lo", "ettd_hi"),
    "ettr_minutes_90": ("ettr_lo", "ettr_hi"),
    "ettf_days_90": ("ettf_lo", "ettf_hi"),
    "impact_90": ("impact_lo", "impact_hi"),
}
KNOWN_KEYS = frozenset({"id", "title", "service", "owner", "before", *POINT_FIELDS, *INTERVALS})
# Fields a register may carry for people; read past without a note.
FREE_TEXT_KEYS = frozenset(
    {"description", "notes", "mitigation", "category", "status", "tags", "link"}
)
# Inclusive plausible bounds of each figure (the Monte Carlo keeps its draws inside them).
BOUNDS = {
    "ettd_minutes": (0.0, 525_960.0),  # a year
    "ettr_minutes": (0.0, 525_960.0),
    "impact": (0.0, 1.0),
    "ettf_days": (0.01, 365_250.0),  # from a quarter of an hour to a thousand years
}
BOUND_WORDS = {
    "ettd_minutes": "0 to 525,960 minutes (a year)",
    "ettr_minutes": "0 to 525,960 minutes (a year)",
    "impact": "0..1",
    "ettf_days": "0.01 days (about 15 minutes) to 365,250 days (a thousand years)",
}
MEANING = {
    "ettd_minutes": "minutes until it is noticed",
    "ettr_minutes": "minutes to fix once noticed",
    "impact": "the share of users affected, 0..1",
    "ettf_days": "days between occurrences",
}


@dataclass
class _Record:
    """One risk as written: values by our field names, and where each one is."""

    line: int
    values: dict[str, Any]
    lines: dict[str, int] = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=dict)  # our field -> the file's column(s)

    def name(self, key: str) -> str:
        return self.names.get(key, key)

    def line_of(self, name: str) -> int:
        return self.lines.get(name, self.line)


class _Invalid(Exception):
    def __init__(self, column: str, reason: str) -> None:
        super().__init__(reason)
        self.column = column
        self.reason = reason


def read_risks(entry: SourceEntry, ctx: ReadContext) -> Loaded:
    """Read a YAML or CSV risk register into the canonical `risks` table."""
    path = entry.path
    assert path is not None
    check_size(path)
    notes: list[str] = []
    records = _csv_records(path) if entry.format == "csv" else _yaml_records(path, notes)
    rows: list[dict[str, Any]] = []
    problems: list[tuple[Location, str]] = []
    seen: dict[str, int] = {}
    for record in records:
        try:
            row = _validate(record, ctx.service_ids, seen)
        except _Invalid as problem:
            problems.append(
                (Location(path, record.line_of(problem.column), problem.column), problem.reason)
            )
            continue
        seen[row["id"]] = record.line
        rows.append(row)
    if problems:
        raise ConfigError(
            problems,
            hint="fix these risks in the register; every risk is a claim the briefing prints",
        )
    table = conform(pd.DataFrame(rows), "risks") if rows else conform(pd.DataFrame(), "risks")
    quality = FileQuality(
        path=str(path),
        format=entry.format,
        rows_read=len(records),
        rows_used=len(rows),
        rows_rejected=0,
        rejections=(),
        notes=tuple(notes),
    )
    return Loaded(table=table, quality=(quality,))


def refuse_risk_ids_in_two_registers(parts: list[tuple[SourceEntry, Loaded]]) -> None:
    """A risk id in two registers would be one risk counted twice, or two risks confused."""
    seen: dict[str, SourceEntry] = {}
    for entry, loaded in parts:
        for rid in loaded.table["id"].astype(str):
            first = seen.get(rid)
            if first is not None and first is not entry:
                raise BriefingError(
                    f"sources.risks: risk id {rid!r} is in {first.display} and in {entry.display}",
                    where=entry.location,
                    hint="give every risk one id across all registers, or list each risk once",
                )
            seen[rid] = entry


# --------------------------------------------------------------------------- validation


def _number(record: _Record, name: str, value: Any, what: str) -> float:
    """A finite number from YAML or CSV text; "50%" is read as 0.5."""
    rid = record.values.get("id") or "?"
    if isinstance(value, bool) or value is None:
        raise _Invalid(name, f"risk {rid!r}: {name} must be a number ({what}), got {value!r}")
    if isinstance(value, int | float):
        try:
            number = float(value)
        except OverflowError:  # an integer beyond any float
            number = math.inf
    else:
        text = str(value).strip()
        try:
            number = float(text[:-1]) / 100.0 if text.endswith("%") else float(text)
        except ValueError:
            raise _Invalid(
                name, f"risk {rid!r}: {name} must be a number ({what}), got {text!r}"
            ) from None
    if not math.isfinite(number):
        raise _Invalid(name, f"risk {rid!r}: {name} must be a finite number, got {value!r}")
    return number


def _check_point(
    record: _Record, name: str, value: float, label: str = "", column: str = ""
) -> None:
    rid = record.values.get("id")
    shown = label or name
    column = column or shown
    low, high = BOUNDS[name]
    if name == "impact" and not low <= value <= high:
        raise _Invalid(
            column,
            f"risk {rid!r}: {shown} {value:g} is outside 0..1 ({MEANING['impact']}; 0.5 is half)",
        )
    if name == "ettf_days" and value <= 0:
        raise _Invalid(
            column,
            f"risk {rid!r}: {shown} must be more than 0 ({MEANING['ettf_days']}), got {value:g}",
        )
    if name in ("ettd_minutes", "ettr_minutes") and value < 0:
        raise _Invalid(
            column,
            f"risk {rid!r}: {shown} must not be negative ({MEANING[name]}), got {value:g}",
        )
    if not low <= value <= high:
        raise _Invalid(
            column,
            f"risk {rid!r}: {shown} {value:g} is outside {BOUND_WORDS[name]} ({MEANING[name]})",
        )


def _interval(record: _Record, field_name: str, raw: Any) -> tuple[float, float]:
    rid = record.values.get("id")
    key = record.name(field_name)
    if not isinstance(raw, list | tuple) or len(raw) != 2:
        raise _Invalid(key, f"risk {rid!r}: {key} must be a 90% range [low, high], got {raw!r}")
    lo = _number(record, key, raw[0], "the low end of the 90% range")
    hi = _number(record, key, raw[1], "the high end of the 90% range")
    if lo <= 0:
        raise _Invalid(key, f"risk {rid!r}: {key} low end must be more than 0, got {lo:g}")
    if lo > hi:
        raise _Invalid(
            key,
            f"risk {rid!r}: {key} low end {lo:g} is above its high end {hi:g}; write [low, high]",
        )
    if field_name == "impact_90" and hi > 1:
        raise _Invalid(key, f"risk {rid!r}: {key} high end {hi:g} is above 1 (all users)")
    figure = field_name.removesuffix("_90")
    _check_point(record, figure, lo, f"{key} low end", key)
    _check_point(record, figure, hi, f"{key} high end", key)
    return lo, hi


def _validate(record: _Record, services: frozenset[str], seen: Mapping[str, int]) -> dict[str, Any]:
    values = record.values
    for name in ("id", "title", "service", "owner"):
        if isinstance(values.get(name), list | dict):
            rid = values.get("id") if isinstance(values.get("id"), str) else "?"
            raise _Invalid(name, f"risk {rid!r}: {name} must be text, not a list or mapping")
    rid = _text(values.get("id"))
    if not rid:
        raise _Invalid("id", "risk id is empty; give every risk an id (e.g. R1)")
    values["id"] = rid
    if rid in seen:
        raise _Invalid("id", f"duplicate risk id {rid!r} (first used on line {seen[rid]})")
    service = _text(values.get("service"))
    if not service:
        raise _Invalid("service", f"risk {rid!r}: service is empty")
    if service not in services:
        close = difflib.get_close_matches(service, sorted(services), n=1)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        raise _Invalid(
            "service",
            f"risk {rid!r}: service {service!r} is not in briefing.yaml services{hint}",
        )
    row: dict[str, Any] = {
        "id": rid,
        "title": _text(values.get("title")) or rid,
        "service": service,
        "owner": _text(values.get("owner")) or pd.NA,
    }
    for name in POINT_FIELDS:
        raw = values.get(name)
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            raise _Invalid(name, f"risk {rid!r}: {name} is missing ({MEANING[name]})")
        row[name] = _number(record, name, raw, MEANING[name])
        _check_point(record, name, row[name])
    for key, (lo_col, hi_col) in INTERVALS.items():
        raw = values.get(key)
        if raw is None:
            continue
        row[lo_col], row[hi_col] = _interval(record, key, raw)
    before = values.get("before")
    if before is not None:
        if not isinstance(before, dict):
            raise _Invalid(
                "before", f"risk {rid!r}: before must be a mapping, e.g. {{ettf_days: 180}}"
            )
        for key, raw in before.items():
            label = record.name(f"before.{key}")
            if key not in POINT_FIELDS:
                raise _Invalid(
                    label, f"risk {rid!r}: {label} is not known; use {', '.join(POINT_FIELDS)}"
                )
            if raw is None or (isinstance(raw, str) and not raw.strip()):
                continue
            number = _number(record, label, raw, MEANING[key])
            _check_point(record, key, number, label)
            row[f"before_{key}"] = number
    return row


def _text(value: Any) -> str:
    if value is None or value is pd.NA:
        return ""
    return str(value).strip()


# --------------------------------------------------------------------------- YAML


def _yaml_records(path: Path, notes: list[str]) -> list[_Record]:
    root, data = parse_yaml(read_text(path), path)
    if root is None:  # nothing but comments, or no bytes at all
        raise BriefingError(
            "the risk register is empty",
            where=Location(path),
            hint="write `risks:` followed by a list of risks (id, title, service, ettd_minutes, ...), "
            "or `risks: []` for a register with none yet",
        )
    items_node: yaml.Node | None = root
    if isinstance(data, dict):
        if "risks" not in data:
            raise BriefingError(
                "no `risks:` list in the risk register",
                where=Location(path, 1),
                hint="write `risks:` followed by a list of risks (id, title, service, ettd_minutes, ...)",
            )
        items, items_node = data["risks"], None
        for key_node, value_node in root.value if isinstance(root, yaml.MappingNode) else ():
            if key_node.value == "risks":
                items_node = value_node
    else:
        items = data
    if items is None:
        return []
    if not isinstance(items, list) or not isinstance(items_node, yaml.SequenceNode):
        raise BriefingError(
            "the risk register must hold a list of risks",
            where=Location(path, items_node.start_mark.line + 1 if items_node else 1),
            hint="each risk starts with `- id: ...` under `risks:`",
        )
    records: list[_Record] = []
    for item, node in zip(items, items_node.value, strict=True):
        line = node.start_mark.line + 1
        if not isinstance(item, dict) or not isinstance(node, yaml.MappingNode):
            raise BriefingError(
                "each risk must be a mapping of fields (id, title, service, ...)",
                where=Location(path, line),
            )
        lines = {str(k.value): k.start_mark.line + 1 for k, _ in node.value}
        for key_node, value_node in node.value:
            if key_node.value == "before" and isinstance(value_node, yaml.MappingNode):
                for sub, _ in value_node.value:
                    lines[f"before.{sub.value}"] = sub.start_mark.line + 1
        values = {str(k): v for k, v in item.items()}
        for key in values:
            if key not in KNOWN_KEYS and key not in FREE_TEXT_KEYS:
                close = difflib.get_close_matches(key, sorted(KNOWN_KEYS), n=1)
                hint = f" (did you mean {close[0]!r}?)" if close else ""
                notes.append(f"line {lines.get(key, line)}: field {key!r} is not used{hint}")
        records.append(_Record(line, values, lines))
    return records


# --------------------------------------------------------------------------- CSV

_CSV_ALIASES = {
    "ettd_lo": ("ettd_lo", "ettd_minutes_lo", "ettd_minutes_90_lo"),
    "ettd_hi": ("ettd_hi", "ettd_minutes_hi", "ettd_minutes_90_hi"),
    "ettr_lo": ("ettr_lo", "ettr_minutes_lo", "ettr_minutes_90_lo"),
    "ettr_hi": ("ettr_hi", "ettr_minutes_hi", "ettr_minutes_90_hi"),
    "ettf_lo": ("ettf_lo", "ettf_days_lo", "ettf_days_90_lo"),
    "ettf_hi": ("ettf_hi", "ettf_days_hi", "ettf_days_90_hi"),
    "impact_lo": ("impact_lo", "impact_90_lo"),
    "impact_hi": ("impact_hi", "impact_90_hi"),
}


def _csv_records(path: Path) -> list[_Record]:
    header, rows = iter_csv_records(path)
    positions: dict[str, int] = {}
    for index, name in enumerate(header):
        positions.setdefault(name.strip().lower(), index)
    required = ("id", "service", *POINT_FIELDS)
    missing = [name for name in required if name not in positions]
    if missing:
        raise BriefingError(
            f"missing column(s) {', '.join(missing)}; {header_summary(header)}",
            where=Location(path, 1),
            hint="a risk register CSV needs id,title,service,ettd_minutes,ettr_minutes,impact,ettf_days",
        )

    for key in INTERVALS:
        if key in positions:  # the YAML key: a CSV gives the two ends as two columns
            raise BriefingError(
                f"column {header[positions[key]]!r} cannot hold a range in a CSV register",
                where=Location(path, 1, header[positions[key]]),
                hint=f"give the 90% interval as two columns, {key}_lo and {key}_hi",
            )

    def column(name: str, *aliases: str) -> int | None:
        for alias in (name, *aliases):
            if alias in positions:
                return positions[alias]
        return None

    simple = {name: column(name) for name in ("id", "title", "service", "owner", *POINT_FIELDS)}
    bounds = {col: column(*names) for col, names in _CSV_ALIASES.items()}
    before = {name: column(f"before_{name}") for name in POINT_FIELDS}
    names = {f"before.{name}": f"before_{name}" for name in POINT_FIELDS}
    for key, (lo_col, hi_col) in INTERVALS.items():
        lo_at, hi_at = bounds[lo_col], bounds[hi_col]
        lo_name = header[lo_at] if lo_at is not None else lo_col
        hi_name = header[hi_at] if hi_at is not None else hi_col
        names[key] = f"{lo_name}/{hi_name}"
    records: list[_Record] = []
    for line, cells in rows:

        def cell(index: int | None, cells: list[str] = cells) -> str | None:
            if index is None or index >= len(cells) or not cells[index].strip():
                return None
            return cells[index].strip()

        values: dict[str, Any] = {name: cell(index) for name, index in simple.items()}
        for key, (lo_col, hi_col) in INTERVALS.items():
            lo, hi = cell(bounds[lo_col]), cell(bounds[hi_col])
            if lo is not None or hi is not None:
                values[key] = [lo, hi]
        previous = {name: cell(index) for name, index in before.items() if cell(index) is not None}
        if previous:
            values["before"] = previous
        records.append(_Record(line, values, names=names))
    return records
