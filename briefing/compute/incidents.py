"""Compute stage: incident durations, costs, response times and budget shares.

Money: overlapping incidents of one service are not counted twice. The
service's timeline is cut at every start and end; each piece belongs to the
incident with the highest impact covering it (ties: the earlier start), so the
declared costs (impact x minutes) add up to the service's incident downtime
cost. The measured side follows the same rule bucket by bucket
(`attribution.split`): an incident's `budget_share` and `measured_cost` are its
own part of the service's failed requests. An incident crossing the period's
edge is clipped to the period for cost and budget share.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from briefing.compute.attribution import Split, Window, split, split_cents
from briefing.compute.coverage import bucket_step
from briefing.compute.slo import period_rows
from briefing.config import SEVERITIES, Policy, ServiceConfig
from briefing.ingest.tables import records as table_rows
from briefing.model import IncidentItem, IncidentSummary, Period, ServiceStatus

MINUTE = pd.Timedelta(minutes=1)


@dataclass(frozen=True, slots=True)
class _Span:
    index: int
    start: pd.Timestamp
    end: pd.Timestamp
    impact: float


def in_period(incidents: pd.DataFrame, period: Period) -> pd.DataFrame:
    """Incidents overlapping [start, end) (a zero-length one counts where it started)."""
    start, end = period.start_utc, period.end_utc
    started, resolved = incidents["started_at"], incidents["resolved_at"]
    overlaps = (started < end) & ((resolved > start) | ((resolved == started) & (started >= start)))
    return incidents[overlaps]


def attributed_minutes(spans: Sequence[_Span]) -> dict[int, float]:
    """Minutes of each span's own share of the union (highest impact wins each piece)."""
    result = {span.index: 0.0 for span in spans}
    if not spans:
        return result
    cuts = sorted({s.start for s in spans} | {s.end for s in spans})
    for left, right in zip(cuts, cuts[1:], strict=False):
        covering = [s for s in spans if s.start <= left and s.end >= right]
        if not covering:
            continue
        winner = min(covering, key=lambda s: (-s.impact, s.start, s.index))
        result[winner.index] += (right - left) / MINUTE
    return result


def windows(records: Sequence[dict[str, Any]], period: Period) -> list[Window]:
    """Each incident's window clipped to the period, in the order of `records`."""
    start, end = period.start_utc, period.end_utc
    return [
        Window(
            i,
            max(pd.Timestamp(r["started_at"]), start),
            min(pd.Timestamp(r["resolved_at"]), end),
            float(r["impact"]),
        )
        for i, r in enumerate(records)
    ]


def service_splits(
    records: Sequence[dict[str, Any]],
    spans: Sequence[Window],
    rows: Mapping[str, pd.DataFrame],
    statuses: Mapping[str, ServiceStatus],
    period: Period,
) -> dict[str, Split]:
    """Per service with metrics this period: its buckets split between its incidents and none.

    `rows` are each service's counted rows (buckets, or slices for Timeslices).
    """
    result: dict[str, Split] = {}
    for service, counted in rows.items():
        status = statuses.get(service)
        if status is None or status.total <= 0 or status.budget_events <= 0:
            continue
        own = [w for w, r in zip(spans, records, strict=True) if r["service"] == service]
        step = bucket_step(counted["timestamp"])
        result[service] = split(period_rows(counted, period), step, own)
    return result


def current_incidents(incidents: pd.DataFrame, period: Period) -> list[dict[str, Any]]:
    """The period's incidents as records, in start order (the order of their windows)."""
    return table_rows(in_period(incidents, period).sort_values(["started_at", "id"], kind="stable"))


def compute_incidents(
    incidents: pd.DataFrame,
    sli: pd.DataFrame,
    statuses: Mapping[str, ServiceStatus],
    services: Sequence[ServiceConfig],
    period: Period,
    policy: Policy,
    *,
    with_previous: bool = True,
    splits: Mapping[str, Split] | None = None,
) -> IncidentSummary:
    """The period's incidents with cost and budget share, and last period's totals.

    `splits`: each service's buckets already split between the windows of
    `current_incidents(incidents, period)`; else split here from `sli`.
    """
    cost_per_minute = {s.id: s.cost_per_minute for s in services}
    names = {s.id: s.name for s in services}
    start, end = period.start_utc, period.end_utc
    records = current_incidents(incidents, period)
    spans = windows(records, period)
    own_minutes: dict[int, float] = {}
    for service in sorted({str(r["service"]) for r in records}):
        own_minutes.update(
            attributed_minutes(
                [
                    _Span(s.index, s.start, s.end, s.impact)
                    for s, r in zip(spans, records, strict=True)
                    if r["service"] == service
                ]
            )
        )
    if splits is None:
        rows = {
            str(service): frame.sort_values("timestamp", kind="stable")
            for service, frame in sli.groupby("service", sort=False)
        }
        splits = service_splits(records, spans, rows, statuses, period)
    measured = _measured_cents(records, splits, statuses, cost_per_minute, period)
    items = []
    for span, row in zip(spans, records, strict=True):
        service = str(row["service"])
        cpm = cost_per_minute.get(service, 0.0)
        duration = (row["resolved_at"] - row["started_at"]) / MINUTE
        detected = row["detected_at"]
        known = not pd.isna(detected)
        ttd = (detected - row["started_at"]) / MINUTE if known else None
        ttr = (row["resolved_at"] - detected) / MINUTE if known else None
        status = statuses.get(service)
        parts = splits.get(service)
        share = _budget_share(parts, status, span, own_minutes.get(span.index, 0.0))
        risk = row.get("risk")
        items.append(
            IncidentItem(
                id=str(row["id"]),
                service=service,
                title=str(row["title"]),
                severity=str(row["severity"]),
                started_at=_iso(row["started_at"], period),
                detected_at=_iso(detected, period) if known else None,
                resolved_at=_iso(row["resolved_at"], period),
                impact=span.impact,
                duration_minutes=float(duration),
                cost=own_minutes.get(span.index, 0.0) * span.impact * cpm,
                budget_share=share,
                needs_postmortem=share is not None and share > policy.postmortem_share,
                ttd_minutes=None if ttd is None else float(ttd),
                ttr_minutes=None if ttr is None else float(ttr),
                service_name=names.get(service, service),
                clipped=bool(row["started_at"] < start or row["resolved_at"] > end),
                measured_cost=measured[span.index] / 100 if span.index in measured else None,
                no_bad_events=parts is not None
                and parts.buckets_inside.get(span.index, 0) > 0
                and parts.bad_inside.get(span.index, 0) == 0,
                risk=None if risk is None or pd.isna(risk) or not str(risk) else str(risk),
            )
        )
    items.sort(key=lambda item: (-item.cost, item.started_at, item.id))
    mttd, mttd_mean = _median_mean([it.ttd_minutes for it in items])
    mttr, mttr_mean = _median_mean([it.ttr_minutes for it in items])
    by_severity = {sev: 0 for sev in SEVERITIES}
    for item in items:
        by_severity[item.severity] = by_severity.get(item.severity, 0) + 1
    previous = in_period(incidents, period.previous())
    has_previous = with_previous and _covers(incidents, period.previous())
    prev_summary = None
    if has_previous and len(previous):
        prev_summary = compute_incidents(
            previous, sli, {}, services, period.previous(), policy, with_previous=False
        )
    return IncidentSummary(
        count=len(items),
        by_severity=by_severity,
        mttd_minutes=mttd,
        mttr_minutes=mttr,
        downtime_cost=float(sum(item.cost for item in items)),
        items=tuple(items),
        mttd_mean_minutes=mttd_mean,
        mttr_mean_minutes=mttr_mean,
        previous_count=len(previous) if has_previous else None,
        previous_downtime_cost=(prev_summary.downtime_cost if prev_summary else 0.0)
        if has_previous
        else None,
        previous_mttr_minutes=prev_summary.mttr_minutes if prev_summary else None,
    )


def _measured_cents(
    records: Sequence[dict[str, Any]],
    splits: Mapping[str, Split],
    statuses: Mapping[str, ServiceStatus],
    cost_per_minute: Mapping[str, float],
    period: Period,
) -> dict[int, int]:
    """Each incident's part of its service's downtime cost, in cents.

    The service's incidents and its unattributed rest are rounded together, so
    that they add up to the service's downtime cost in cents.
    """
    result: dict[int, int] = {}
    for service, parts in splits.items():
        status = statuses[service]
        scale = period.minutes / status.total * cost_per_minute.get(service, 0.0)
        indexes = [i for i, r in enumerate(records) if r["service"] == service]
        values = [parts.bad_by_window.get(i, 0) * scale for i in indexes]
        rounded = split_cents(
            status.downtime_cost or 0.0, [*values, parts.unattributed_bad * scale]
        )
        result.update(zip(indexes, rounded[:-1], strict=True))
    return result


def _covers(incidents: pd.DataFrame, period: Period) -> bool:
    """The export reaches back to the start of `period` (else a zero would be a guess)."""
    if incidents.empty:
        return False
    return bool(incidents["started_at"].min() < period.end_utc)


def _budget_share(
    parts: Split | None, status: ServiceStatus | None, span: Window, own_minutes: float
) -> float | None:
    """The incident's own failed requests over the period's budget events.

    Without metrics for the service (or for Timeslices without them): its own
    impact-weighted minutes over budget minutes.
    """
    if status is None:
        return None
    if parts is not None:
        return parts.bad_by_window.get(span.index, 0) / status.budget_events
    if status.budget_minutes > 0:
        return own_minutes * span.impact / status.budget_minutes
    return None


def _median_mean(values: Sequence[float | None]) -> tuple[float | None, float | None]:
    known = [v for v in values if v is not None]
    if not known:
        return None, None
    return float(np.median(known)), float(np.mean(known))


def _iso(stamp: pd.Timestamp, period: Period) -> str:
    return pd.Timestamp(stamp).tz_convert(period.timezone).isoformat()
