"""Compute stage: the `faster_response` part of loss avoided.

Per incident, max(0, (baseline_ttd + baseline_ttr) - (ttd + ttr)) * impact *
cost_per_minute. The baseline of an incident is, first found: its service's
times (`policy.baseline.by_service`), its severity's (`by_severity`), the flat
`ttd_minutes`/`ttr_minutes`, or the medians of an earlier window of the
incident export (`from_incidents`). A handful of incidents makes a typical
time unreliable, so a window baseline is resampled (bootstrap, seeded) to give
the p10-p90 range. Incidents of one service that overlap in time count as one
outage: its whole span, the highest share of users, the longest baseline.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from briefing.config import Baseline, Policy
from briefing.model import IncidentItem, Period

FEW_INCIDENTS = 10  # fewer than this behind a typical time: say it is rough
BOOTSTRAP_STREAM = 0xB0075  # the window resampling's own generator, beside the policy seed
MAX_CHUNK_CELLS = 4_000_000  # bootstrap draws held in memory at once


@dataclass(frozen=True)
class Window:
    """The incidents of an earlier window that set the baseline (those with a detection time)."""

    start: str
    end: str
    ttd_minutes: np.ndarray
    ttr_minutes: np.ndarray

    @property
    def count(self) -> int:
        return int(self.ttd_minutes.size)

    @property
    def total_minutes(self) -> float:
        return float(np.median(self.ttd_minutes) + np.median(self.ttr_minutes))


@dataclass(frozen=True)
class ResponseResult:
    amount: float
    basis: str
    samples: np.ndarray | None
    items: tuple[dict[str, Any], ...]


def baseline_window(incidents: pd.DataFrame, baseline: Baseline, period: Period) -> Window | None:
    """The earlier window's incidents, when the baseline comes from the export."""
    if baseline.from_incidents is None:
        return None
    start_text, end_text = baseline.from_incidents
    start, end = _local(start_text, period), _local(end_text, period)
    started = incidents["started_at"]
    chosen = incidents[(started >= start) & (started < end) & incidents["detected_at"].notna()]
    ttd = (chosen["detected_at"] - chosen["started_at"]).dt.total_seconds().to_numpy(
        dtype=float
    ) / 60
    ttr = (chosen["resolved_at"] - chosen["detected_at"]).dt.total_seconds().to_numpy(
        dtype=float
    ) / 60
    return Window(start_text, end_text, ttd, ttr)


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
    window: Window | None,
    prices: Mapping[str, float],
    policy: Policy,
    *,
    noun: str = "month",
) -> ResponseResult:
    """Minutes saved against the reference times; `noun` names the period in the basis."""
    undetected = sum(1 for item in items if item.ttd_minutes is None or item.ttr_minutes is None)
    if not baseline.configured:
        basis = (
            "No earlier times to notice and fix a problem were set to compare with, "
            "so no saving from faster response is claimed."
        )
        return ResponseResult(0.0, basis, None, ())
    window_ok = window is not None and window.count > 0
    outages = _outages(items, baseline, window if window_ok else None)
    window_total = window.total_minutes if window_ok and window is not None else None
    lines: list[dict[str, Any]] = []
    amount = 0.0
    for outage in outages:
        base = outage.fixed_baseline
        if outage.uses_window and window_total is not None:
            base = max(base, window_total)
        saved = max(0.0, base - outage.actual_minutes)
        value = saved * outage.impact * prices.get(outage.service, 0.0)
        amount += value
        lines.append(
            {
                "incidents": list(outage.ids),
                "service": outage.service,
                "baseline_minutes": base,
                "actual_minutes": outage.actual_minutes,
                "impact": outage.impact,
                "minutes_saved": saved,
                "amount": value,
            }
        )
    samples = None
    if window_ok and window is not None and any(o.uses_window for o in outages):
        samples = _bootstrap(outages, window, prices, policy)
    basis = _basis(lines, outages, baseline, window, undetected, policy.trials, len(items), noun)
    return ResponseResult(amount, basis, samples, tuple(lines))


def _baseline_of(item: IncidentItem, baseline: Baseline) -> tuple[float | None, bool]:
    """(set baseline minutes, or None; whether the window's medians apply)."""
    if item.service in baseline.by_service:
        return sum(baseline.by_service[item.service]), False
    if item.severity in baseline.by_severity:
        return sum(baseline.by_severity[item.severity]), False
    if baseline.ttd_minutes is not None and baseline.ttr_minutes is not None:
        return baseline.ttd_minutes + baseline.ttr_minutes, False
    return None, baseline.from_incidents is not None


def _outages(
    items: Sequence[IncidentItem], baseline: Baseline, window: Window | None
) -> list[_Outage]:
    singles: list[_Outage] = []
    for item in items:
        if item.ttd_minutes is None or item.ttr_minutes is None:
            continue
        fixed, uses_window = _baseline_of(item, baseline)
        if fixed is None and (not uses_window or window is None):
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
    outages: Sequence[_Outage], window: Window, prices: Mapping[str, float], policy: Policy
) -> np.ndarray:
    """The saving per trial, with the window's typical times from its incidents redrawn."""
    trials, n = policy.trials, window.count
    rng = np.random.default_rng([int(policy.seed), BOOTSTRAP_STREAM])
    redrawn = np.empty(trials)
    chunk = max(1, MAX_CHUNK_CELLS // n)
    for first in range(0, trials, chunk):
        picks = rng.integers(0, n, size=(min(chunk, trials - first), n))
        redrawn[first : first + len(picks)] = np.median(
            window.ttd_minutes[picks], axis=1
        ) + np.median(window.ttr_minutes[picks], axis=1)
    samples = np.zeros(trials)
    for outage in outages:
        weight = outage.impact * prices.get(outage.service, 0.0)
        if outage.uses_window:
            base = np.maximum(redrawn, outage.fixed_baseline)
            samples += np.maximum(base - outage.actual_minutes, 0.0) * weight
        else:
            samples += max(0.0, outage.fixed_baseline - outage.actual_minutes) * weight
    return samples


def _basis(
    lines: Sequence[dict[str, Any]],
    outages: Sequence[_Outage],
    baseline: Baseline,
    window: Window | None,
    undetected: int,
    trials: int,
    total: int,
    noun: str,
) -> str:
    faster = sum(len(line["incidents"]) for line in lines if line["minutes_saved"] > 0)
    parts = [
        f"{faster} of this {noun}'s {_plural(total, 'incident')} {'was' if faster == 1 else 'were'} "
        "noticed and fixed faster than "
        "before; each minute saved is valued at the cost of a minute of downtime times the share "
        "of users affected."
    ]
    refs = []
    if baseline.by_service:
        refs.append("the times set for " + ", ".join(sorted(baseline.by_service)))
    if baseline.by_severity:
        refs.append(
            "the times set for each severity (" + ", ".join(sorted(baseline.by_severity)) + ")"
        )
    if baseline.ttd_minutes is not None and baseline.ttr_minutes is not None:
        refs.append(
            f"{baseline.ttd_minutes:g} minutes to notice and {baseline.ttr_minutes:g} to fix"
        )
    if window is not None and window.count:
        refs.append(
            f"the typical time to notice ({np.median(window.ttd_minutes):g} minutes) and to fix "
            f"({np.median(window.ttr_minutes):g} minutes) of the {_plural(window.count, 'incident')} "
            f"from {window.start} up to {window.end}"
        )
    if refs:
        parts.append("Compared with " + "; else ".join(refs) + ".")
    if window is not None and window.count:
        rough = (
            f" Only {_plural(window.count, 'incident')} stand behind it, so treat it as rough."
            if window.count < FEW_INCIDENTS
            else ""
        )
        parts.append(
            f"The range comes from redrawing those {_plural(window.count, 'incident')} "
            f"{trials:,} times.{rough}"
        )
    elif window is not None:
        parts.append(
            f"No incident with a time of notice falls from {window.start} up to {window.end}, "
            "so incidents that needed those times claim nothing."
        )
    groups = sum(1 for o in outages if len(o.ids) > 1)
    if groups:
        parts.append(
            f"Incidents of one service that overlapped in time count as one outage ({groups} such "
            f"{'case' if groups == 1 else 'cases'}), so no minute is claimed twice."
        )
    if undetected:
        parts.append(
            f"{_plural(undetected, 'incident')} without a recorded time of notice "
            f"{'is' if undetected == 1 else 'are'} left out."
        )
    return " ".join(parts)


def _plural(n: int, noun: str) -> str:
    return f"{n:,} {noun}" + ("" if n == 1 else "s")
