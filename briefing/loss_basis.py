"""The values behind each part of loss avoided: its lines and its counts.

Compute fills them (`compute.loss_avoided`, `compute.response`); translate words
the basis printed beside each amount from the counts (`translate.loss`). Shared
like `model`, which hands them on; field order is the JSON key order.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class ResponseLine:
    """One outage (an incident, or overlapping ones of a service) against its baseline."""

    incidents: tuple[str, ...]
    service: str
    baseline_minutes: float
    actual_minutes: float
    impact: float
    minutes_saved: float
    amount: float


@dataclass(frozen=True, slots=True)
class PreventedLine:
    """One record of events stopped by a control."""

    date: str
    service: str
    control: str
    events: int
    risk: str | None
    probability: float | None
    amount: float


@dataclass(frozen=True, slots=True)
class ReductionLine:
    """One risk described before and after a fix."""

    risk: str
    title: str
    annual_cost_before: float
    annual_cost_after: float
    amount: float


@dataclass(frozen=True, slots=True)
class BaselineWindow:
    """Earlier incidents whose typical times to notice and fix are the baseline."""

    service: str | None  # None: every service's incidents
    start: str  # ISO date, inclusive
    end: str  # ISO date, exclusive
    count: int  # incidents with a detection time
    ttd_minutes: float | None  # median
    ttr_minutes: float | None  # median


@dataclass(frozen=True, slots=True)
class ResponseCounts:
    """What stands behind `faster_response`."""

    incidents: int  # the period's incidents
    faster: int  # incidents noticed and fixed faster than their baseline
    merged: int  # groups of overlapping incidents counted as one outage
    undetected: int  # incidents without a detection time, left out
    by_service: tuple[str, ...] = ()  # services with set times
    by_severity: tuple[str, ...] = ()  # severities with set times
    flat_ttd_minutes: float | None = None
    flat_ttr_minutes: float | None = None
    windows: tuple[BaselineWindow, ...] = ()
    own_history: bool = False  # no baseline set: each service's previous six months
    trials: int = 0


@dataclass(frozen=True, slots=True)
class PreventedCounts:
    """What stands behind `prevented`."""

    records: int  # rows dated inside the period
    events: int
    claimed_records: int
    claimed_events: int
    no_chance: int  # records without a probability
    no_risk: int  # records naming a risk the register does not hold
    outside: int  # records dated outside the period


@dataclass(frozen=True, slots=True)
class ReductionCounts:
    """What stands behind `risk_reduction`."""

    risks: int  # risks described before and after a fix
    worse: int  # of them, risks that became costlier (count as zero)
    period_minutes: float
    year_minutes: float


LossLine = ResponseLine | PreventedLine | ReductionLine
LossCounts = ResponseCounts | PreventedCounts | ReductionCounts
