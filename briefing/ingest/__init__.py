"""Stage 1, ingest: every configured source -> the canonical tables + `DataQuality`.

Readers are found by (kind, format) in `briefing.formats`, where each format
is declared once; each returns a `Loaded`.
"""

from __future__ import annotations

import importlib
import logging
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import pandas as pd

from briefing.config import Config, SourceEntry
from briefing.errors import BriefingError, Location
from briefing.formats import find_format
from briefing.ingest.commentary import read_commentary
from briefing.ingest.context import Loaded, ReadContext, Reader
from briefing.ingest.counts import check_total
from briefing.ingest.overlaps import (
    count_incidents_once,
    refuse_files_listed_twice,
    refuse_overlapping_metrics,
)
from briefing.ingest.risks import refuse_risk_ids_in_two_registers
from briefing.ingest.tables import check_table, concat_tables
from briefing.ingest.usable import refuse_nothing_usable
from briefing.model import FileQuality, Inputs, Period, SloDefinition
from briefing.textfiles import not_utf8

log = logging.getLogger(__name__)

TABLE_OF_KIND = {
    "metrics": "sli",
    "incidents": "incidents",
    "risks": "risks",
    "controls": "controls",
}


def find_reader(kind: str, fmt: str) -> Reader:
    """The reader `briefing.formats` declares for this kind and format."""
    declared = find_format(kind, fmt)
    if declared is None:
        raise BriefingError(f"sources.{kind}: no format {fmt!r}")
    module_name, _, function = declared.reader.partition(":")
    reader: Reader = getattr(importlib.import_module(module_name), function)
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
    first: Period | None = None,
    register: Register | None = None,
    whole: bool = False,
) -> Inputs:
    """Read every source of the config; reconcile each file.

    `whole` (builds and backfills): a file whose every row is rejected, or a metrics
    file with no rows, stops the read (`refuse_nothing_usable`); without it each
    reader's reconciliation is returned as it stands.

    Live sources fetch from `first` (default: two periods back) to the end of `period`,
    so one read serves the trend or a backfill of the whole range. `register`: the risk
    register as `read_register` read it already (it is not read again).
    """
    service_ids = frozenset(s.id for s in config.services) | {s.service for s in slos}
    start = first or period.previous().previous()
    ctx = ReadContext(config, period, service_ids, history_start=start)
    frames: dict[str, list[pd.DataFrame]] = {name: [] for name in TABLE_OF_KIND.values()}
    quality: list[FileQuality] = []
    notes: list[str] = []
    for kind, table_name in TABLE_OF_KIND.items():
        entries = list(getattr(config.sources, kind))
        if kind in ("metrics", "controls", "risks"):
            refuse_files_listed_twice(entries, kind)
        parts: list[tuple[SourceEntry, Loaded]] = []
        if kind == "risks" and register is not None:
            entries = []  # read already: its parts and notes, in their place
            parts = list(register.parts)
            notes.extend(register.notes)
        for entry in entries:
            if progress is not None:
                progress(f"Reading {display_path(entry.display, config.base_dir)}")
            loaded = _read(entry, ctx, notes)
            if loaded is None:
                continue
            check_table(loaded.table, table_name)
            if whole:
                refuse_nothing_usable(entry, loaded, kind)
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
        if kind == "risks":
            refuse_risk_ids_in_two_registers(parts)
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
        commentary=read_commentary(config, period),
    )


@dataclass(frozen=True)
class Register:
    """The risk register read ahead of the other sources (`read_register`)."""

    parts: tuple[tuple[SourceEntry, Loaded], ...]
    notes: tuple[str, ...]
    table: pd.DataFrame  # the canonical risks table, as `ingest` makes it


def read_register(
    config: Config,
    period: Period,
    *,
    slos: tuple[SloDefinition, ...] = (),
    first: Period | None = None,
) -> Register | None:
    """The risk register alone, read as `ingest` reads it, for work that needs only the
    register and can start before the metrics are read; hand it to `ingest`, which then
    does not read it again. None when it cannot be read cleanly (then `ingest` reads it
    and reports why, in its order)."""
    service_ids = frozenset(s.id for s in config.services) | {s.service for s in slos}
    start = first or period.previous().previous()
    ctx = ReadContext(config, period, service_ids, history_start=start)
    parts: list[tuple[SourceEntry, Loaded]] = []
    notes: list[str] = []
    try:
        entries = list(config.sources.risks)
        refuse_files_listed_twice(entries, "risks")
        for entry in entries:
            loaded = _read(entry, ctx, notes)
            if loaded is not None:
                check_table(loaded.table, "risks")
                parts.append((entry, loaded))
        refuse_risk_ids_in_two_registers(parts)
    except BriefingError:
        return None
    table = concat_tables([loaded.table for _, loaded in parts], "risks")
    return Register(tuple(parts), tuple(notes), table)


def _read(entry: SourceEntry, ctx: ReadContext, notes: list[str]) -> Loaded | None:
    reader = find_reader(entry.kind, entry.format)
    log.info("Reading %s (%s, %s)", entry.display, entry.kind, entry.format)
    try:
        loaded = reader(entry, ctx)
    except BriefingError:
        raise
    except UnicodeDecodeError:
        if entry.path is None:
            raise BriefingError(
                f"{entry.display} is not UTF-8 text", where=entry.location
            ) from None
        raise not_utf8(entry.path) from None
    except OSError as err:
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


__all__ = [
    "Loaded",
    "ReadContext",
    "Reader",
    "Register",
    "find_reader",
    "ingest",
    "read_register",
    "read_slos",
]
