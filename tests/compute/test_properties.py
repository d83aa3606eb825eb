"""Invariants of the core formulas, over generated inputs."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from briefing.compute.incidents import _Span, attributed_minutes
from briefing.compute.slo import Objective, compute_service
from briefing.config import Policy, ServiceConfig
from briefing.errors import Location
from briefing.model import Period

PERIOD = Period(2026, 10, "UTC")
SERVICE = ServiceConfig("s", "Service", 0.999, 6000.0, "Owner", Location(Path("b.yaml")))
BUCKET = st.tuples(st.integers(0, 44_639), st.integers(0, 1000), st.integers(0, 1000))


@settings(max_examples=60, deadline=None)
@given(
    buckets=st.lists(BUCKET, min_size=1, max_size=40, unique_by=lambda b: b[0]),
    objective=st.floats(0.5, 0.99999),
)
def test_budget_identities(buckets: list[tuple[int, int, int]], objective: float) -> None:
    rows = pd.DataFrame(
        {
            "timestamp": [PERIOD.start_utc + pd.Timedelta(minutes=m) for m, _, _ in buckets],
            "good": [min(a, b) for _, a, b in buckets],
            "total": [max(a, b) for _, a, b in buckets],
        }
    )
    status = compute_service(SERVICE, Objective(objective), rows, PERIOD, Policy())
    if status.total == 0:
        assert status.status == "no_data"
        assert status.sli is None
        return
    assert status.sli is not None
    assert 0.0 <= status.sli <= 1.0
    assert status.good + status.bad == status.total
    assert status.budget_remaining == pytest.approx(1 - (status.budget_consumed or 0.0))
    assert status.equivalent_outage_minutes is not None
    assert 0.0 <= status.equivalent_outage_minutes <= PERIOD.minutes
    assert (status.status == "exhausted") == (status.budget_remaining < 0)
    assert (status.exhausted_at is not None) == (
        status.bad >= status.budget_events - 1e-9 and status.bad > 0
    )


SPAN = st.tuples(st.integers(0, 600), st.integers(0, 240), st.sampled_from([0.05, 0.2, 0.5, 1.0]))


@settings(max_examples=100, deadline=None)
@given(raw=st.lists(SPAN, min_size=1, max_size=8))
def test_overlapping_incidents_never_count_a_minute_twice(
    raw: list[tuple[int, int, float]],
) -> None:
    base = pd.Timestamp("2026-10-01T00:00Z")
    spans = [
        _Span(i, base + pd.Timedelta(minutes=s), base + pd.Timedelta(minutes=s + d), impact)
        for i, (s, d, impact) in enumerate(raw)
    ]
    owned = attributed_minutes(spans)
    covered = set()
    for s, d, _ in raw:
        covered.update(range(s, s + d))
    # the owned minutes add up to the union of the intervals, never to more than their sum
    assert sum(owned.values()) == pytest.approx(len(covered))
    assert sum(owned.values()) <= sum(d for _, d, _ in raw) + 1e-9
    for span in spans:
        assert 0.0 <= owned[span.index] <= (span.end - span.start) / pd.Timedelta(minutes=1) + 1e-9
    # the money: each owned minute is priced at the highest impact covering it
    cost = sum(owned[s.index] * s.impact for s in spans)
    by_minute = sum(max((imp for s, d, imp in raw if s <= m < s + d), default=0.0) for m in covered)
    assert cost == pytest.approx(by_minute)
