"""Beside the pipeline: the history of built periods.

`store.py` keeps them in SQLite (`history.path`, default `history.sqlite` beside
the config; the current folder for the bundled sample, whose folder belongs to
the installed package). `briefing build` records the period it built, `briefing
history backfill` computes past periods from the configured sources
(`backfill.py`), and `briefing decision record` notes what became of a period's
decision. The pipeline reads the store before computing, for the trend and for
last period's decision; no stage reads it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

from briefing import __version__
from briefing.config import Config
from briefing.history.store import (
    OUTCOMES,
    HistoryStore,
    PeriodDetail,
    PeriodRecord,
    open_store,
    read_store,
)
from briefing.model import Briefing, Period, StoredPeriod

STORE_NAME = "history.sqlite"


def store_path(config: Config) -> Path:
    """`history.path`, else beside the config (the current folder for the bundled sample)."""
    if config.history.path is not None:
        return config.history.path
    package = Path(__file__).resolve().parent.parent
    if config.path.resolve().is_relative_to(package):
        return Path.cwd() / STORE_NAME
    return config.base_dir / STORE_NAME


def load_stored(config: Config, labels: Sequence[str]) -> dict[str, StoredPeriod]:
    """The stored periods among `labels` (none when there is no store yet); never writes."""
    store = read_store(store_path(config))
    if store is None:
        return {}
    with store:
        return store.load(labels)


def fingerprint(stored: dict[str, StoredPeriod]) -> str:
    """What of the store a briefing uses, as a hash (the build's input hash includes it)."""
    digest = hashlib.sha256()
    for label in sorted(stored):
        kept = stored[label]
        digest.update(repr((kept.input_hash, kept.headline_value, kept.services)).encode())
        digest.update(repr((kept.risk_exposure, kept.loss_avoided, kept.outcome)).encode())
    return digest.hexdigest()


def period_record(
    briefing: Briefing, period: Period, *, source: str, input_hash: str, built_at: datetime
) -> PeriodRecord:
    """The row set of a finished briefing."""
    counts: dict[str, int] = {}
    for item in briefing.incidents.items:
        counts[item.service] = counts.get(item.service, 0) + 1
    measured = [s.downtime_cost for s in briefing.services if s.downtime_cost is not None]
    headline = briefing.headline
    return PeriodRecord(
        label=period.label,
        kind=period.kind,
        start=briefing.period.start,
        end=briefing.period.end,
        built_at=built_at.isoformat(timespec="seconds"),
        source=source,
        input_hash=input_hash,
        briefing_version=__version__,
        currency=briefing.currency,
        headline_kind=headline.kind,
        headline_value=headline.value,
        headline_unit=headline.unit,
        headline_service=headline.service,
        headline_text=headline.text,
        decision=headline.decision,
        decision_owner=headline.owner,
        decision_due=headline.due,
        downtime_cost=float(sum(measured)) if measured else None,
        incidents=briefing.incidents.count,
        loss_avoided=briefing.loss_avoided.total,
        risk_exposure=float(sum(r.annual_cost for r in briefing.risks.items if r.needs_action)),
        services=briefing.services,
        service_incidents=counts,
    )


def record_build(
    config: Config, briefing: Briefing, period: Period, *, input_hash: str, built_at: datetime
) -> Path:
    """Record a built briefing in the store; returns the store's path."""
    path = store_path(config)
    record = period_record(
        briefing, period, source="build", input_hash=input_hash, built_at=built_at
    )
    with open_store(path) as store:
        store.record(record)
    return path


__all__ = [
    "OUTCOMES",
    "STORE_NAME",
    "HistoryStore",
    "PeriodDetail",
    "PeriodRecord",
    "fingerprint",
    "load_stored",
    "open_store",
    "period_record",
    "read_store",
    "record_build",
    "store_path",
]
