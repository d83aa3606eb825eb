"""Compute stage: incident durations, costs, response times and budget shares.

Money: overlapping incidents of one service are not counted twice. The
service's timeline is cut at every start and end; each piece belongs to the
incident with the highest impact covering it (ties: the earlier start), so the
incidents' costs add up to the service's incident downtime cost. An incident
crossing the period's edge is clipped to the period for cost and budget share.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

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


def compute_incidents(
    incidents: pd.DataFrame,
    sli: pd.DataFrame,
    statuses: Mapping[str, ServiceStatus],
    services: Sequence[ServiceConfig],
    period: Period,
    policy: Policy,
    *,
    with_previous: bool = True,
) -> IncidentSummary:
    """The period's incidents with cost and budget share, and last period's totals."""
    cost_per_minute = {s.id: s.cost_per_minute for s in services}
    names = {s.id: s.name for s in services}
    current = in_period(incidents, period).sort_values(["started_at", "id"], kind="stable")
    start, end = period.start_utc, period.end_utc
    records = table_rows(current)  # in start order
    spans = [
        _Span(i, max(r["started_at"], start), min(r["resolved_at"], end), float(r["impact"]))
        for i, r in enumerate(records)
    ]
    own_minutes: dict[int, float] = {}
    for service in sorted({str(r["service"]) for r in records}):
        own_minutes.update(
            attributed_minutes(
                [s for s, r in zip(spans, records, strict=True) if r["service"] == service]
            )
        )
    # only the services with incidents: a large table is never copied whole
    affected = sli["service"].isin({str(r["service"]) for r in records})
    stamps = sli["timestamp"]
    in_window = sli[affected & (stamps >= start - pd.Timedelta(days=1)) & (stamps < end)]
    bad_by_service = {
        str(service): (rows, _bucket_step(rows["timestamp"].sort_values()))
        for service, rows in in_window.groupby("service", sort=False)
    }
    items = []
    for span, row in zip(spans, records, strict=True):
        service = str(row["service"])
        cpm = cost_per_minute.get(service, 0.0)
        duration = (row["resolved_at"] - row["started_at"]) / MINUTE
        detected = row["detected_at"]
        known = not pd.isna(detected)
        ttd = (detected - row["started_at"]) / MINUTE if known else None
        ttr = (row["resolved_at"] - detected) / MINUTE if known else None
        share = _budget_share(
            bad_by_service.get(service, (None, MINUTE)),
            statuses.get(service),
            span.start,
            span.end,
            span.impact,
        )
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


def _covers(incidents: pd.DataFrame, period: Period) -> bool:
    """The export reaches back to the start of `period` (else a zero would be a guess)."""
    if incidents.empty:
        return False
    return bool(incidents["started_at"].min() < period.end_utc)


def _budget_share(
    rows_and_step: tuple[pd.DataFrame | None, pd.Timedelta],
    status: ServiceStatus | None,
    start: pd.Timestamp,
    end: pd.Timestamp,
    impact: float,
) -> float | None:
    """Bad events in buckets overlapping [start, end) over the period's budget events.

    Without metrics for the service: impact-weighted minutes over budget minutes.
    """
    if status is None:
        return None
    rows, step = rows_and_step
    events_based = status.budgeting_method == "occurrences"
    if rows is not None and events_based and status.total > 0 and status.budget_events > 0:
        stamps = rows["timestamp"]
        window = rows[(stamps < end) & (stamps + step > start)]
        bad = int((window["total"] - window["good"]).sum())
        return bad / status.budget_events
    if status.budget_minutes > 0:
        return (end - start) / MINUTE * impact / status.budget_minutes
    return None


def _bucket_step(stamps: pd.Series) -> pd.Timedelta:
    if len(stamps) < 2:
        return MINUTE
    diffs = np.diff(stamps.dt.tz_convert(None).to_numpy().astype("datetime64[ns]").astype(np.int64))
    diffs = diffs[diffs > 0]
    return pd.Timedelta(int(np.median(diffs)), unit="ns") if len(diffs) else MINUTE


def _median_mean(values: Sequence[float | None]) -> tuple[float | None, float | None]:
    known = [v for v in values if v is not None]
    if not known:
        return None, None
    return float(np.median(known)), float(np.mean(known))


def _iso(stamp: pd.Timestamp, period: Period) -> str:
    return pd.Timestamp(stamp).tz_convert(period.timezone).isoformat()
