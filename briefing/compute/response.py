"""Compute stage: the `faster_response` part of loss avoided.

Per incident, max(0, (baseline_ttd + baseline_ttr) - (ttd + ttr)) * impact *
cost_per_minute. The baseline of an incident is, first found: its service's
times (`policy.baseline.by_service`), its severity's (`by_severity`), the flat
`ttd_minutes`/`ttr_minutes`, or the medians of an earlier window of the
incident export (`from_incidents`). With no `policy.baseline` at all, each
service is compared with its own medians over the six months before the
period, where the export reaches back that far; a service without such
incidents claims nothing. A handful of incidents makes a typical time
unreliable, so a window baseline is resampled (bootstrap, seeded) to give the
p10-p90 range. Incidents of one service that overlap in time count as one
outage: its whole span, the highest share of users, the longest baseline.
Returns numbers and counts; translate words them.
"""

from __future__ import annotations

import zlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from briefing.config import Baseline, Policy
from briefing.model import BaselineWindow, IncidentItem, Period, ResponseCounts, ResponseLine

FEW_INCIDENTS = 10  # fewer than this behind a typical time: say it is rough
BOOTSTRAP_STREAM = 0xB0075  # the window resampling's own generator, beside the policy seed
MAX_CHUNK_CELLS = 4_000_000  # bootstrap draws held in memory at once
OWN_HISTORY_MONTHS = 6  # no baseline set: each service's previous six months
ALL_SERVICES = ""  # the key of a window shared by every service


@dataclass(frozen=True)
class Window:
    """The incidents of an earlier window that set the baseline (those with a detection time)."""

    start: str
    end: str
    ttd_minutes: np.ndarray
    ttr_minutes: np.ndarray
    service: str | None = None  # None: every service's incidents

    @property
    def count(self) -> int:
        return int(self.ttd_minutes.size)

    @property
    def total_minutes(self) -> float:
        return float(np.median(self.ttd_minutes) + np.median(self.ttr_minutes))

    def described(self) -> BaselineWindow:
        known = self.count > 0
        return BaselineWindow(
            service=self.service,
            start=self.start,
            end=self.end,
            count=self.count,
            ttd_minutes=float(np.median(self.ttd_minutes)) if known else None,
            ttr_minutes=float(np.median(self.ttr_minutes)) if known else None,
        )


@dataclass(frozen=True)
class ResponseResult:
    amount: float
    counts: ResponseCounts
    samples: np.ndarray | None
    items: tuple[ResponseLine, ...]


def baseline_windows(
    incidents: pd.DataFrame, baseline: Baseline, period: Period
) -> dict[str, Window]:
    """The earlier windows whose medians set baselines, keyed by service (ALL_SERVICES: shared).

    `from_incidents` gives one window for every service; no baseline at all
    gives each service its own six months before the period.
    """
    if baseline.from_incidents is not None:
        start_text, end_text = baseline.from_incidents
        start, end = _local(start_text, period), _local(end_text, period)
        return {ALL_SERVICES: _window(incidents, start, end, start_text, end_text, None)}
    if baseline.configured:
        return {}
    end = period.start_utc
    start = pd.Timestamp(period.start - pd.DateOffset(months=OWN_HISTORY_MONTHS)).tz_convert("UTC")
    start_text = start.tz_convert(period.timezone).date().isoformat()
    end_text = period.start.date().isoformat()
    found = {}
    for service in sorted(incidents["service"].dropna().unique()):
        rows = incidents[incidents["service"] == service]
        window = _window(rows, start, end, start_text, end_text, str(service))
        if window.count:
            found[str(service)] = window
    return found


def _window(
    incidents: pd.DataFrame,
    start: pd.Timestamp,
    end: pd.Timestamp,
    start_text: str,
    end_text: str,
    service: str | None,
) -> Window:
    started = incidents["started_at"]
    chosen = incidents[(started >= start) & (started < end) & incidents["detected_at"].notna()]
    ttd = (chosen["detected_at"] - chosen["started_at"]).dt.total_seconds().to_numpy(
        dtype=float
    ) / 60
    ttr = (chosen["resolved_at"] - chosen["detected_at"]).dt.total_seconds().to_numpy(
        dtype=float
    ) / 60
    return Window(start_text, end_text, ttd, ttr, service)


def _local(text: str, period: Period) -> pd.Timestamp:
    stamp = pd.Timestamp(text)
    if stamp.tzinfo is None:
        stamp = stamp.tz_localize(period.timezone)
    return stamp.tz_convert("UTC")


@dataclass
class _Outage:
    """One incident, or several of one service that overlapped in time."""

    service: str
    ids: list[str]
    start: pd.Timestamp
    end: pd.Timestamp
    actual_minutes: float
    impact: float
    fixed_baseline: float  # longest set baseline of its incidents (-inf: none)
    uses_window: bool


def faster_response(
    items: Sequence[IncidentItem],
    baseline: Baseline,
    windows: Mapping[str, Window],
    prices: Mapping[str, float],
    policy: Policy,
    *,
    noun: str = "month",
) -> ResponseResult:
    """Minutes saved against the reference times; `noun` names the period in the basis."""
    undetected = sum(1 for item in items if item.ttd_minutes is None or item.ttr_minutes is None)
    usable = {key: w for key, w in windows.items() if w.count > 0}
    outages = _outages(items, baseline, usable)
    lines: list[ResponseLine] = []
    amount = 0.0
    for outage in outages:
        base = outage.fixed_baseline
        window = _window_of(outage.service, usable)
        if outage.uses_window and window is not None:
            base = max(base, window.total_minutes)
        saved = max(0.0, base - outage.actual_minutes)
        value = saved * outage.impact * prices.get(outage.service, 0.0)
        amount += value
        lines.append(
            ResponseLine(
                incidents=tuple(outage.ids),
                service=outage.service,
                baseline_minutes=base,
                actual_minutes=outage.actual_minutes,
                impact=outage.impact,
                minutes_saved=saved,
                amount=value,
            )
        )
    samples = None
    if any(o.uses_window for o in outages):
        samples = _bootstrap(outages, usable, prices, policy)
    counts = ResponseCounts(
        incidents=len(items),
        faster=sum(len(line.incidents) for line in lines if line.minutes_saved > 0),
        merged=sum(1 for o in outages if len(o.ids) > 1),
        undetected=undetected,
        by_service=tuple(sorted(baseline.by_service)),
        by_severity=tuple(sorted(baseline.by_severity)),
        flat_ttd_minutes=baseline.ttd_minutes if baseline.ttr_minutes is not None else None,
        flat_ttr_minutes=baseline.ttr_minutes if baseline.ttd_minutes is not None else None,
        windows=tuple(windows[key].described() for key in sorted(windows)),
        own_history=not baseline.configured,
        trials=policy.trials,
    )
    return ResponseResult(amount, counts, samples, tuple(lines))


def _window_of(service: str, windows: Mapping[str, Window]) -> Window | None:
    return windows.get(service) or windows.get(ALL_SERVICES)


def _baseline_of(item: IncidentItem, baseline: Baseline) -> tuple[float | None, bool]:
    """(set baseline minutes, or None; whether the window's medians apply)."""
    if item.service in baseline.by_service:
        return sum(baseline.by_service[item.service]), False
    if item.severity in baseline.by_severity:
        return sum(baseline.by_severity[item.severity]), False
    if baseline.ttd_minutes is not None and baseline.ttr_minutes is not None:
        return baseline.ttd_minutes + baseline.ttr_minutes, False
    return None, baseline.from_incidents is not None or not baseline.configured


def _outages(
    items: Sequence[IncidentItem], baseline: Baseline, windows: Mapping[str, Window]
) -> list[_Outage]:
    singles: list[_Outage] = []
    for item in items:
        if item.ttd_minutes is None or item.ttr_minutes is None:
            continue
        fixed, uses_window = _baseline_of(item, baseline)
        uses_window = uses_window and _window_of(item.service, windows) is not None
        if fixed is None and not uses_window:
            continue
        singles.append(
            _Outage(
                service=item.service,
                ids=[item.id],
                start=pd.Timestamp(item.started_at),
                end=pd.Timestamp(item.resolved_at),
                actual_minutes=item.ttd_minutes + item.ttr_minutes,
                impact=item.impact,
                fixed_baseline=float("-inf") if fixed is None else float(fixed),
                uses_window=uses_window,
            )
        )
    singles.sort(key=lambda o: (o.service, o.start, o.ids[0]))
    merged: list[_Outage] = []
    for outage in singles:
        last = merged[-1] if merged else None
        if last is not None and last.service == outage.service and outage.start < last.end:
            last.ids.append(outage.ids[0])
            last.end = max(last.end, outage.end)
            last.actual_minutes = (last.end - last.start) / pd.Timedelta(minutes=1)
            last.impact = max(last.impact, outage.impact)
            last.fixed_baseline = max(last.fixed_baseline, outage.fixed_baseline)
            last.uses_window = last.uses_window or outage.uses_window
        else:
            merged.append(outage)
    return merged


def _bootstrap(
    outages: Sequence[_Outage],
    windows: Mapping[str, Window],
    prices: Mapping[str, float],
    policy: Policy,
) -> np.ndarray:
    """The saving per trial, with each window's typical times redrawn from its incidents."""
    trials = policy.trials
    redrawn: dict[str, np.ndarray] = {}
    for key in sorted(windows):
        window = windows[key]
        n = window.count
        stream = [BOOTSTRAP_STREAM] + ([zlib.crc32(key.encode("utf-8"))] if key else [])
        rng = np.random.default_rng([int(policy.seed), *stream])
        draws = np.empty(trials)
        chunk = max(1, MAX_CHUNK_CELLS // n)
        for first in range(0, trials, chunk):
            picks = rng.integers(0, n, size=(min(chunk, trials - first), n))
            draws[first : first + len(picks)] = np.median(
                window.ttd_minutes[picks], axis=1
            ) + np.median(window.ttr_minutes[picks], axis=1)
        redrawn[key] = draws
    samples = np.zeros(trials)
    for outage in outages:
        weight = outage.impact * prices.get(outage.service, 0.0)
        key = outage.service if outage.service in windows else ALL_SERVICES
        if outage.uses_window and key in redrawn:
            base = np.maximum(redrawn[key], outage.fixed_baseline)
            samples += np.maximum(base - outage.actual_minutes, 0.0) * weight
        else:
            samples += max(0.0, outage.fixed_baseline - outage.actual_minutes) * weight
    return samples
