"""Ingest stage: what every reader receives and returns."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import pandas as pd

from briefing.config import Config, SourceEntry
from briefing.model import FileQuality, Period, SloDefinition


@dataclass(frozen=True)
class ReadContext:
    """The config and period a reader works for (the live Prometheus source fetches by period)."""

    config: Config
    period: Period
    service_ids: frozenset[str]
    history_start: Period | None = None  # earliest period to fetch from live sources (trends)


@dataclass(frozen=True)
class Loaded:
    """A reader's result: a canonical table and the reconciliation of each file it read."""

    table: pd.DataFrame
    quality: tuple[FileQuality, ...]
    slos: tuple[SloDefinition, ...] = ()
    notes: tuple[str, ...] = field(default_factory=tuple)
    lines: tuple[int, ...] | None = None  # the line of each table row, where the reader knows it


Reader = Callable[[SourceEntry, ReadContext], Loaded]
