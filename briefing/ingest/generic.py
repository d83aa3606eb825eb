"""Ingest stage: the generic incident formats (CSV, CSV.gz, JSON), and CSV records for all readers.

Incidents are read row by row with the csv module so each row keeps its
physical line (quoted newlines included); metrics tables are checked in
`metrics_table`.
A `mapping:` of our column names to the export's lets any CSV or JSON be read.
"""

from __future__ import annotations

import csv
import gzip
import io
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from briefing.config import SourceEntry
from briefing.errors import BriefingError, Location
from briefing.formats import MAPPED_FIELDS
from briefing.ingest.context import Loaded, ReadContext
from briefing.ingest.counts import to_floats
from briefing.ingest.messages import header_summary
from briefing.ingest.rows import RowChecks, source_timezone
from briefing.ingest.tables import conform, normalize_severity
from briefing.ingest.timestamps import parse_timestamps
from briefing.textfiles import check_size, load_json

INCIDENT_FIELDS = MAPPED_FIELDS["incidents"]
REQUIRED_INCIDENT_FIELDS = ("id", "service", "started_at", "resolved_at")


# --------------------------------------------------------------------------- incidents


def _open_text(path: Path) -> io.TextIOBase:
    if path.name.lower().endswith(".gz"):
        return io.TextIOWrapper(gzip.open(path, "rb"), encoding="utf-8-sig", newline="")
    return open(path, encoding="utf-8-sig", newline="")  # noqa: SIM115


def iter_csv_records(path: Path) -> tuple[list[str], Iterator[tuple[int, list[str]]]]:
    """Header and (physical start line, cells) of each non-blank record."""
    handle = _open_text(path)
    reader = csv.reader(handle)
    try:
        header = next(reader)
    except StopIteration:
        handle.close()
        raise BriefingError(
            "file is empty", where=Location(path), hint="export again with a header row"
        ) from None
    except csv.Error as err:
        handle.close()
        raise BriefingError(f"cannot read as CSV: {err}", where=Location(path, 1)) from None

    def records() -> Iterator[tuple[int, list[str]]]:
        previous = reader.line_num
        try:
            for cells in reader:
                start = previous + 1
                previous = reader.line_num
                if not cells or all(not c.strip() for c in cells):
                    continue
                yield start, cells
        except csv.Error as err:
            raise BriefingError(
                f"cannot read as CSV: {err}", where=Location(path, reader.line_num)
            ) from None
        finally:
            handle.close()

    return [h.strip() for h in header], records()


def resolve_columns(
    header: list[str],
    mapping: Mapping[str, Any],
    path: Path,
    fields: tuple[str, ...],
    required: tuple[str, ...],
) -> dict[str, int]:
    """Our field -> index of the export's column; a column we read may not repeat."""
    positions: dict[str, int] = {}
    for index, name in enumerate(header):
        positions.setdefault(name, index)
    result: dict[str, int] = {}
    for field in fields:
        theirs = str(mapping.get(field, field))
        repeats = [i + 1 for i, name in enumerate(header) if name == theirs]
        if len(repeats) > 1:
            raise BriefingError(
                f"column {theirs!r} appears {len(repeats)} times in the header (columns "
                f"{', '.join(map(str, repeats[:-1]))} and {repeats[-1]}): briefing cannot tell which to read",
                where=Location(path, 1, theirs),
                hint="keep one column of each name (rename or drop the others)",
            )
        if theirs in positions:
            result[field] = positions[theirs]
        elif field in required or field in mapping:
            via = f" (mapped from {field!r})" if field in mapping else ""
            raise BriefingError(
                f"column {theirs!r}{via} not found; {header_summary(header)}",
                where=Location(path, 1),
                hint="fix `mapping:` for this source in briefing.yaml"
                if field in mapping
                else f"add a mapping: {{{field}: <your column>}} for this source in briefing.yaml",
            )
    return result


def read_incidents_csv(entry: SourceEntry, ctx: ReadContext) -> Loaded:
    path = entry.path
    assert path is not None
    check_size(path)
    header, records = iter_csv_records(path)
    mapping = dict(entry.options.get("mapping") or {})
    columns = resolve_columns(header, mapping, path, INCIDENT_FIELDS, REQUIRED_INCIDENT_FIELDS)
    lines: list[int] = []
    rows: dict[str, list[str | None]] = {f: [] for f in INCIDENT_FIELDS}
    for line, cells in records:
        lines.append(line)
        for field in INCIDENT_FIELDS:
            index = columns.get(field)
            rows[field].append(cells[index] if index is not None and index < len(cells) else None)
    return build_incidents(rows, np.asarray(lines, dtype=np.int64), entry, ctx, "csv")


def read_incidents_json(entry: SourceEntry, ctx: ReadContext) -> Loaded:
    """A JSON list of objects (or an object with one list) with our names or a `mapping:`."""
    path = entry.path
    assert path is not None
    data = load_json(path)
    if isinstance(data, dict):
        lists = [v for v in data.values() if isinstance(v, list)]
        if len(lists) != 1:
            raise BriefingError(
                "expected a list of incidents (or an object holding one list)",
                where=Location(path, 1),
            )
        data = lists[0]
    if not isinstance(data, list):
        raise BriefingError("expected a list of incidents", where=Location(path, 1))
    mapping = dict(entry.options.get("mapping") or {})
    rows: dict[str, list[str | None]] = {f: [] for f in INCIDENT_FIELDS}
    for item in data:
        for field in INCIDENT_FIELDS:
            value = (
                lookup_path(item, str(mapping.get(field, field)))
                if isinstance(item, dict)
                else None
            )
            usable = isinstance(value, str | int | float) and not isinstance(value, bool)
            rows[field].append(str(value) if usable else None)
    # JSON has no physical lines per row: report the 1-based position in the list
    lines = np.arange(1, len(data) + 1, dtype=np.int64)
    not_object = np.array([not isinstance(item, dict) for item in data], dtype=bool)
    first = [(not_object, None, lambda i: f"item {i + 1} is not an incident object")]
    return build_incidents(rows, lines, entry, ctx, "json", first=first)


def lookup_path(item: Mapping[str, Any], dotted: str) -> Any:
    """`a.b.0.c` into nested dicts and lists; None where absent."""
    value: Any = item
    for part in dotted.split("."):
        if isinstance(value, dict):
            value = value.get(part)
        elif isinstance(value, list) and part.isdigit() and int(part) < len(value):
            value = value[int(part)]
        else:
            return None
    return value


def folded_service_names(ctx: ReadContext) -> dict[str, str]:
    """Service ids and business names, lower-cased -> the service id they name."""
    folded: dict[str, str] = {i.lower(): i for i in ctx.service_ids}
    for service in ctx.config.services:
        folded.setdefault(service.name.strip().lower(), service.id)
    return folded


def _match_services(names: pd.Series, ctx: ReadContext) -> pd.Series:
    """An export's service names -> ids: exactly, then ignoring case, then by business name."""
    exact = names.isin(set(ctx.service_ids)).fillna(False)
    if exact.all():
        return names
    folded = folded_service_names(ctx)
    matched = names.str.lower().map(folded)
    return names.where(exact | matched.isna(), matched).astype("string")


def build_incidents(
    rows: Mapping[str, list[Any]],
    lines: np.ndarray,
    entry: SourceEntry,
    ctx: ReadContext,
    fmt: str,
    *,
    notes: list[str] | None = None,
    categories: list[str | None] | None = None,
    first: Sequence[tuple[np.ndarray, str | None, str | Callable[[int], str]]] = (),
) -> Loaded:
    """Validate incident rows (our field names, text values) into the canonical table.

    Shared by every incident reader: vendor readers turn their export into these
    rows, then rely on the same checks, defaults and reconciliation.
    """
    path = entry.path or Path(entry.display)
    where = Location(path)
    notes = list(notes or [])
    frame = pd.DataFrame(
        {f: pd.Series(rows.get(f, [None] * len(lines)), dtype="string") for f in INCIDENT_FIELDS}
    )
    checks = RowChecks(lines)
    for mask, column, reason in first:
        checks.reject(mask, column, reason)
    tz = source_timezone(dict(entry.options), ctx.config.timezone, ctx.config.timezone_set)
    fmt_ts = entry.options.get("timestamp_format")
    stamps = {}
    for col in ("started_at", "detected_at", "resolved_at"):
        parsed = parse_timestamps(
            frame[col],
            where=where,
            lines=lines,
            column=col,
            timezone=tz,
            fmt=str(fmt_ts) if fmt_ts else None,
        )
        expected = f"the format {fmt_ts!r}" if fmt_ts else "ISO 8601 (e.g. 2026-10-03T14:02:11Z)"
        parsed.reject_into(checks, col, f"{col} is not a timestamp in {expected}")
        stamps[col] = parsed.values
        notes.extend(parsed.repeated_note(col))
    ids = frame["id"].str.strip()
    checks.reject((ids.isna() | (ids == "")).to_numpy(), "id", "id is empty")
    service = _match_services(frame["service"].str.strip(), ctx)
    known = set(ctx.service_ids)
    checks.reject((service.isna() | (service == "")).to_numpy(), "service", "service is empty")
    checks.reject(
        ~service.isin(known).fillna(False).to_numpy(),
        "service",
        lambda i: (
            f"service {service.iloc[i]!r} is not in briefing.yaml services; add it (or map it) to use this incident"
        ),
    )
    checks.reject(stamps["started_at"].isna().to_numpy(), "started_at", "started_at is empty")
    checks.reject(
        stamps["resolved_at"].isna().to_numpy(),
        "resolved_at",
        "resolved_at is empty: the incident is still open; it is counted once resolved",
    )
    started, detected, resolved = stamps["started_at"], stamps["detected_at"], stamps["resolved_at"]
    checks.reject(
        (resolved < started).fillna(False).to_numpy(),
        "resolved_at",
        "resolved_at is before started_at",
    )
    checks.reject(
        (detected < started).fillna(False).to_numpy(),
        "detected_at",
        "detected_at is before started_at",
    )
    checks.reject(
        (detected > resolved).fillna(False).to_numpy(),
        "detected_at",
        "detected_at is after resolved_at",
    )
    severity_map = entry.options.get("severity_map") or None
    for theirs, ours in (severity_map or {}).items():
        if normalize_severity(ours) is None:
            raise BriefingError(
                f"severity_map: {theirs!r} is mapped to {ours!r}, which is not a severity",
                where=entry.location,
                hint=f"map it to SEV1, SEV2, SEV3 or SEV4 (e.g. {{{theirs}: SEV2}})",
            )
    severities = [
        normalize_severity(v, severity_map) if v is not None and v is not pd.NA else None
        for v in frame["severity"]
    ]
    sev = pd.Series(severities, dtype="string")
    raw_sev = frame["severity"].str.strip()
    checks.reject(
        (sev.isna() & raw_sev.notna() & (raw_sev != "")).fillna(False).to_numpy(),
        "severity",
        lambda i: (
            f"severity {raw_sev.iloc[i]!r} is not understood; add it to severity_map (e.g. {{{raw_sev.iloc[i]}: SEV2}})"
        ),
    )
    checks.reject(sev.isna().to_numpy(), "severity", "severity is empty")
    impact_text = frame["impact"].str.strip()
    impact = pd.Series(to_floats(impact_text.where(impact_text != "")))
    checks.reject(
        (impact.isna() & impact_text.notna() & (impact_text != "")).to_numpy(),
        "impact",
        "impact is not a number between 0 and 1",
    )
    checks.reject(
        ((impact < 0) | (impact > 1)).fillna(False).to_numpy(),
        "impact",
        "impact must be between 0 and 1",
    )
    dup = ids.duplicated(keep="first").fillna(False).to_numpy() & checks.kept
    checks.reject(dup, "id", lambda i: f"duplicate incident id {ids.iloc[i]!r}")
    keep = checks.kept
    defaults = ctx.config.policy.impact_by_severity
    missing_impact = impact.isna().to_numpy() & keep
    if missing_impact.any():
        impact = impact.where(
            ~missing_impact, sev.map(lambda s: defaults.get(str(s), 0.0) if s is not pd.NA else 0.0)
        )
        notes.append(
            f"impact not given for {int(missing_impact.sum())} incident(s): the share of users affected "
            "was taken from the severity default ("
            + ", ".join(f"{k} {v:g}" for k, v in sorted(defaults.items()))
            + ")"
        )
    no_detect = detected.isna().to_numpy() & keep
    if no_detect.any():
        notes.append(
            f"{int(no_detect.sum())} incident(s) have no detection time: kept, but left out of "
            "detection and repair medians and of faster response"
        )
    title = frame["title"].fillna("").str.strip()
    risk = frame["risk"].str.strip()
    table = pd.DataFrame(
        {
            "id": ids,
            "service": service,
            "title": title,
            "severity": sev,
            "started_at": started,
            "detected_at": detected,
            "resolved_at": resolved,
            "impact": impact.astype("float64"),
            "category": pd.Series(categories, dtype="string") if categories is not None else pd.NA,
            "risk": risk.where(risk != ""),
        }
    )[keep]
    return Loaded(
        table=conform(table, "incidents"),
        quality=(checks.quality(str(path), fmt, notes=notes),),
        lines=tuple(int(x) for x in lines[keep]),
    )
