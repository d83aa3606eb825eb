"""Stage 1, ingest: every configured source -> the canonical tables + `DataQuality`.

Readers are found by (kind, format) in `READERS`; each returns a `Loaded`.
A source whose reader this version lacks is listed in the briefing's notes as
not used, never dropped silently.
"""

from __future__ import annotations

import importlib
import logging
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd

from briefing.config import Config, SourceEntry
from briefing.errors import BriefingError, Location
from briefing.ingest.context import Loaded, ReadContext, Reader
from briefing.ingest.counts import check_total
from briefing.ingest.overlaps import (
    count_incidents_once,
    refuse_files_listed_twice,
    refuse_overlapping_metrics,
)
from briefing.ingest.tables import check_table, concat_tables
from briefing.model import FileQuality, Inputs, Period, SloDefinition

log = logging.getLogger(__name__)

READERS: dict[tuple[str, str], str] = {
    ("metrics", "csv"): "briefing.ingest.metrics_csv:read_metrics_csv",
    ("metrics", "parquet"): "briefing.ingest.parquet:read_metrics_parquet",
    ("metrics", "prometheus-json"): "briefing.ingest.prometheus:read_prometheus_json",
    ("metrics", "prometheus"): "briefing.ingest.prometheus:read_prometheus_api",
    ("metrics", "duckdb"): "briefing.ingest.duckdb_files:read_metrics_duckdb",
    ("metrics", "sql"): "briefing.ingest.sql:read_metrics_sql",
    ("incidents", "csv"): "briefing.ingest.generic:read_incidents_csv",
    ("incidents", "json"): "briefing.ingest.generic:read_incidents_json",
    ("incidents", "pagerduty"): "briefing.ingest.pagerduty:read_pagerduty",
    ("incidents", "opsgenie"): "briefing.ingest.opsgenie:read_opsgenie",
    ("incidents", "incidentio"): "briefing.ingest.incidentio:read_incidentio",
    ("incidents", "jira"): "briefing.ingest.jira:read_jira",
    ("incidents", "duckdb"): "briefing.ingest.duckdb_incidents:read_incidents_duckdb",
    ("incidents", "sql"): "briefing.ingest.sql:read_incidents_sql",
    ("slos", "openslo"): "briefing.ingest.openslo:read_openslo",
    ("risks", "yaml"): "briefing.ingest.risks:read_risks",
    ("risks", "csv"): "briefing.ingest.risks:read_risks",
    ("controls", "csv"): "briefing.ingest.controls:read_controls",
}
TABLE_OF_KIND = {
    "metrics": "sli",
    "incidents": "incidents",
    "risks": "risks",
    "controls": "controls",
}


def find_reader(kind: str, fmt: str) -> Reader | None:
    target = READERS.get((kind, fmt))
    if target is None:
        return None
    module_name, _, function = target.partition(":")
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as err:
        if err.name == module_name:
            return None
        raise
    reader: Reader = getattr(module, function)
    return reader


def read_slos(
    config: Config, period: Period
) -> tuple[tuple[SloDefinition, ...], list[FileQuality], list[str]]:
    """OpenSLO definitions first: they may supply objectives the services list leaves out."""
    ctx = ReadContext(config, period, frozenset(s.id for s in config.services))
    slos: list[SloDefinition] = []
    quality: list[FileQuality] = []
    notes: list[str] = []
    for entry in config.sources.slos:
        loaded = _read(entry, ctx, notes)
        if loaded is not None:
            slos.extend(loaded.slos)
            quality.extend(loaded.quality)
            notes.extend(loaded.notes)
    return tuple(slos), quality, notes


def ingest(
    config: Config,
    period: Period,
    *,
    slos: tuple[SloDefinition, ...] = (),
    progress: Callable[[str], None] | None = None,
) -> Inputs:
    """Read every source of the config; reconcile each file."""
    service_ids = frozenset(s.id for s in config.services) | {s.service for s in slos}
    ctx = ReadContext(config, period, service_ids, history_start=period.previous().previous())
    frames: dict[str, list[pd.DataFrame]] = {name: [] for name in TABLE_OF_KIND.values()}
    quality: list[FileQuality] = []
    notes: list[str] = []
    for kind, table_name in TABLE_OF_KIND.items():
        entries = list(getattr(config.sources, kind))
        if kind in ("metrics", "controls"):
            refuse_files_listed_twice(entries, kind)
        parts: list[tuple[SourceEntry, Loaded]] = []
        for entry in entries:
            if progress is not None:
                progress(f"Reading {display_path(entry.display, config.base_dir)}")
            loaded = _read(entry, ctx, notes)
            if loaded is None:
                continue
            check_table(loaded.table, table_name)
            parts.append((entry, loaded))
        if kind == "metrics":
            refuse_overlapping_metrics(parts)
            check_total(
                np.array([float(p.table["total"].sum()) for _, p in parts]),
                Location(config.path, None, "sources.metrics"),
                "the counts of all metrics sources",
            )
        if kind == "incidents":
            parts = list(zip([e for e, _ in parts], count_incidents_once(parts), strict=True))
        for _, loaded in parts:
            frames[table_name].append(loaded.table)
            quality.extend(loaded.quality)
            notes.extend(loaded.notes)
    from briefing.model import DataQuality

    tables = {name: concat_tables(parts, name) for name, parts in frames.items()}
    return Inputs(
        sli=tables["sli"],
        incidents=tables["incidents"],
        risks=tables["risks"],
        controls=tables["controls"],
        data_quality=DataQuality(tuple(quality)),
        slos=slos,
        notes=tuple(notes),
    )


def _read(entry: SourceEntry, ctx: ReadContext, notes: list[str]) -> Loaded | None:
    reader = find_reader(entry.kind, entry.format)
    if reader is None:
        message = (
            f"sources.{entry.kind}: {entry.display} (format {entry.format}) was not used: "
            "this version of briefing cannot read that format yet"
        )
        log.warning(message)
        notes.append(message)
        return None
    log.info("Reading %s (%s, %s)", entry.display, entry.kind, entry.format)
    try:
        loaded = reader(entry, ctx)
    except BriefingError:
        raise
    except (OSError, UnicodeDecodeError) as err:
        raise BriefingError(f"cannot read {entry.display}: {err}", where=entry.location) from None
    base = ctx.config.base_dir
    quality = tuple(replace(q, path=display_path(q.path, base)) for q in loaded.quality)
    return replace(loaded, quality=quality)


def display_path(path: str, base: Path) -> str:
    """A file as the briefing prints it: relative to the config's folder where it lies inside.

    Keeps machine paths out of the briefing and the same inputs giving the same bytes
    wherever the workspace sits.
    """
    if "://" in path:
        return path  # a live source: its URL, never a file path
    try:
        return Path(path).resolve().relative_to(base.resolve()).as_posix()
    except ValueError:
        return path


__all__ = ["Loaded", "ReadContext", "Reader", "READERS", "ingest", "read_slos", "find_reader"]
