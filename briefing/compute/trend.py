"""Compute stage: the trend over the last twelve periods, and what came of last period's decision.

Each period of the trend takes its figures from, in order:
1. this briefing's own figures (the current period);
2. the exports already read, where they cover the period (at least
   `COVERED_FRACTION` of its time lies between their first and last bucket): the
   same formulas as a briefing of that period, so a month's figure is the same
   whether it comes from here or from a rebuild of that month;
3. the history store, for periods the exports no longer cover;
4. otherwise the period is a gap (no figures; never a zero).
Where the store holds a period the exports also cover and the two disagree,
the exports win and the period is listed in `history_differs`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace

import pandas as pd

from briefing.compute.incidents import compute_incidents, in_period
from briefing.compute.slo import Objective, compute_service
from briefing.config import Config
from briefing.model import (
    Findings,
    FollowUp,
    HistoryPoint,
    HistoryService,
    Inputs,
    Period,
    StoredPeriod,
)

TREND_PERIODS = 12
COVERED_FRACTION = 0.95
MARGIN = pd.Timedelta(days=1)  # rows either side of a period (slices and buckets at its edges)
_SAME = 1e-9  # relative difference below which a stored figure agrees with the exports


@dataclass(frozen=True, slots=True)
class _Figures:
    """One period's figures the trend and the follow-up read."""

    services: tuple[HistoryService, ...]
    loss_avoided: float | None
    risk_exposure: float | None

    def consumed(self, service: str | None) -> float | None:
        return next((s.budget_consumed for s in self.services if s.id == service), None)


def trend_periods(period: Period, count: int = TREND_PERIODS) -> list[Period]:
    """The `count` periods of `period`'s kind ending with it, oldest first."""
    periods = [period]
    while len(periods) < count:
        periods.append(periods[-1].previous())
    return periods[::-1]


def trend_start(period: Period) -> Period:
    """The first period live sources are asked for: the trend's first, and at least the one
    before last (for the change arrows); years go two back, older ones come from the store."""
    if period.kind == "year":
        return period.previous().previous()
    return trend_periods(period)[0]


def covered(sli: pd.DataFrame, period: Period) -> bool:
    """Whether the exports' time span holds at least `COVERED_FRACTION` of the period."""
    if sli.empty:
        return False
    stamps = sli["timestamp"]
    first, last = stamps.min(), stamps.max()
    overlap = min(last, period.end_utc) - max(first, period.start_utc)
    return bool(overlap >= (period.end_utc - period.start_utc) * COVERED_FRACTION)


def compute_trend(
    inputs: Inputs,
    config: Config,
    period: Period,
    findings: Findings,
    stored: Mapping[str, StoredPeriod],
) -> Findings:
    """`findings` with `history`, `follow_up` and `history_differs` filled in."""
    from briefing.compute import objectives

    previous = stored.get(period.previous().label)
    want_loss = findings.headline.kind == "loss_avoided" or (
        previous is not None and previous.headline_kind == "loss_avoided"
    )
    source = _FromInputs(inputs, config, objectives(config, inputs), want_loss=want_loss)
    current = _Figures(
        services=tuple(
            HistoryService(
                s.id, s.budget_consumed, s.downtime_cost, _count(findings, s.id), s.complete
            )
            for s in findings.services
        ),
        loss_avoided=findings.loss_avoided.total,
        risk_exposure=_exposure(findings),
    )
    figures: dict[str, _Figures | None] = {}
    differs: list[str] = []
    for when in trend_periods(period):
        if when == period:
            figures[when.label] = current
        elif covered(inputs.sli, when):
            found = source.figures(when)
            kept = stored.get(when.label)
            if kept is not None:
                # the register of then is not in the exports: its exposure comes from the store
                found = replace(found, risk_exposure=kept.risk_exposure)
                if not _agrees(kept, found):
                    differs.append(when.label)
            figures[when.label] = found
        elif when.label in stored:
            figures[when.label] = _from_store(stored[when.label])
        else:
            figures[when.label] = None
    headline = findings.headline
    points = [
        HistoryPoint(
            period=label,
            services=found.services if found else (),
            headline_value=(
                headline.value
                if label == period.label
                else _measure(found, headline.kind, headline.service)
            ),
        )
        for label, found in figures.items()
    ]
    while len(points) > 1 and not points[0].services and points[0].headline_value is None:
        points.pop(0)  # the trend starts where the figures do
    follow_up = None
    if previous is not None and previous.outcome is not None:
        before = figures.get(previous.period) or _from_store(previous)
        follow_up = FollowUp(
            period=previous.period,
            decision=previous.decision,
            outcome=previous.outcome,
            measure=previous.headline_kind,
            service=previous.headline_service,
            before=_reading(before, previous.headline_kind, previous.headline_service),
            after=_reading(current, previous.headline_kind, previous.headline_service),
        )
    return replace(
        findings, history=tuple(points), follow_up=follow_up, history_differs=tuple(differs)
    )


class _FromInputs:
    """A past period's figures from the exports already read (no file is read again)."""

    def __init__(
        self, inputs: Inputs, config: Config, targets: Mapping[str, Objective], *, want_loss: bool
    ) -> None:
        self.inputs, self.config, self.targets, self.want_loss = inputs, config, targets, want_loss
        self.rows = {
            str(sid): rows.sort_values("timestamp", kind="stable")
            for sid, rows in inputs.sli.groupby("service", sort=False)
        }
        incidents = inputs.incidents
        self.incidents_from = incidents["started_at"].min() if len(incidents) else None

    def figures(self, when: Period) -> _Figures:
        counts = self._incident_counts(when)
        services = []
        for service in self.config.services:
            rows = self.rows.get(service.id, self.inputs.sli.iloc[0:0])
            stamps = rows["timestamp"]
            lo, hi = stamps.searchsorted([when.start_utc - MARGIN, when.end_utc + MARGIN])
            status = compute_service(
                service, self.targets[service.id], rows.iloc[lo:hi], when, self.config.policy
            )
            services.append(
                HistoryService(
                    service.id,
                    status.budget_consumed,
                    status.downtime_cost,
                    None if counts is None else counts.get(service.id, 0),
                    status.complete if status.total else None,
                )
            )
        return _Figures(tuple(services), self._loss(when) if self.want_loss else None, None)

    def _incident_counts(self, when: Period) -> dict[str, int] | None:
        """Incidents per service in `when`, where the incident export reaches that far back."""
        if self.incidents_from is None or not self.incidents_from < when.end_utc:
            return None
        counts = in_period(self.inputs.incidents, when)["service"].value_counts()
        return {str(k): int(v) for k, v in counts.items()}

    def _loss(self, when: Period) -> float:
        from briefing.compute.loss_avoided import compute_loss_avoided

        inputs, config = self.inputs, self.config
        summary = compute_incidents(
            inputs.incidents,
            inputs.sli,
            {},
            config.services,
            when,
            config.policy,
            with_previous=False,
        )
        return compute_loss_avoided(
            items=summary.items,
            incidents=inputs.incidents,
            controls=inputs.controls,
            risks=inputs.risks,
            services=config.services,
            policy=config.policy,
            period=when,
        ).total


def _from_store(kept: StoredPeriod) -> _Figures:
    return _Figures(kept.services, kept.loss_avoided, kept.risk_exposure)


def _count(findings: Findings, service: str) -> int:
    return sum(1 for item in findings.incidents.items if item.service == service)


def _exposure(findings: Findings) -> float:
    """The yearly cost of the risks that need action (the risk_exposure headline's value)."""
    return float(sum(r.annual_cost for r in findings.risks.items if r.needs_action))


def _measure(found: _Figures | None, kind: str, service: str | None) -> float | None:
    """The headline measure in a period, on the scale of `headline.value`."""
    if found is None:
        return None
    if kind == "budget_exhausted":
        consumed = found.consumed(service)
        return None if consumed is None else 1.0 - consumed
    if kind == "risk_exposure":
        return found.risk_exposure
    return found.loss_avoided


def _reading(found: _Figures | None, kind: str, service: str | None) -> float | None:
    """The measure as page 1 reads it: allowance used (not left), or money."""
    if found is None:
        return None
    if kind == "budget_exhausted":
        return found.consumed(service)
    return _measure(found, kind, service)


def _agrees(kept: StoredPeriod, found: _Figures | None) -> bool:
    if found is None:
        return True
    stored = {s.id: s for s in kept.services}
    for now in found.services:
        then = stored.get(now.id)
        if then is None:
            continue
        for a, b in (
            (then.budget_consumed, now.budget_consumed),
            (then.downtime_cost, now.downtime_cost),
        ):
            if (a is None) != (b is None):
                return False
            if a is not None and b is not None and abs(a - b) > _SAME * max(1.0, abs(a), abs(b)):
                return False
    return True
