"""Google CRE risk analysis against examples worked out by hand."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from briefing.compute.risk import compute_risks
from briefing.config import Policy, ServiceConfig
from briefing.errors import BriefingError, Location
from briefing.ingest.tables import conform

HERE = Location(Path("briefing.yaml"), 3)
CHECKOUT = ServiceConfig(
    "checkout", "Online checkout", 0.999, 42000.0, "Head of Commerce", HERE
)  # 700 a minute
SEARCH = ServiceConfig(
    "search", "Product search", 0.995, 6000.0, "Head of Discovery", HERE
)  # 100 a minute
SERVICES = (CHECKOUT, SEARCH)
OBJECTIVES = {"checkout": 0.999, "search": 0.995}
POLICY = Policy(trials=2000)


def register(*rows: dict) -> pd.DataFrame:
    return conform(pd.DataFrame([{"title": r["id"], **r} for r in rows]), "risks")


def risk(
    rid: str, service: str, ettd: float, ettr: float, impact: float, ettf: float, **extra: float
) -> dict:
    return {
        "id": rid,
        "service": service,
        "ettd_minutes": ettd,
        "ettr_minutes": ettr,
        "impact": impact,
        "ettf_days": ettf,
        **extra,
    }


def test_worked_example_over_the_line() -> None:
    summary = compute_risks(
        register(risk("R1", "checkout", 30, 60, 0.5, 90)), SERVICES, OBJECTIVES, POLICY
    )
    (item,) = summary.items
    # 365.25 / 90 = 4.0583 incidents a year
    assert item.incidents_per_year == pytest.approx(4.0583, abs=5e-5)
    # (30 + 60) x 0.5 x 4.058333 = 182.625 bad minutes a year
    assert item.bad_minutes_per_year == pytest.approx(182.625)
    # (1 - 0.999) x 525,960 = 525.96 minutes of allowance a year
    assert item.annual_budget_minutes == pytest.approx(525.96)
    # 182.625 / 525.96 = 0.34722 -> 34.7%, over 25%
    assert item.budget_fraction == pytest.approx(0.347222, abs=1e-6)
    assert round(item.budget_fraction * 100, 1) == 34.7
    assert item.needs_action is True
    # 182.625 x 700 a minute = 127,837.50 a year
    assert item.annual_cost == pytest.approx(127_837.5)
    assert summary.threshold_fraction == 0.25
    (service,) = summary.by_service
    assert (service.service, service.bad_minutes_per_year) == ("checkout", pytest.approx(182.625))
    assert service.budget_fraction == pytest.approx(0.347222, abs=1e-6)


def test_worked_example_under_the_line() -> None:
    summary = compute_risks(
        register(risk("R2", "checkout", 10, 20, 0.2, 180)), SERVICES, OBJECTIVES, POLICY
    )
    (item,) = summary.items
    # 365.25 / 180 = 2.029167 a year; (10 + 20) x 0.2 x 2.029167 = 12.175 minutes
    assert item.incidents_per_year == pytest.approx(2.029167, abs=1e-6)
    assert item.bad_minutes_per_year == pytest.approx(12.175)
    # 12.175 / 525.96 = 0.023148: 2.3%, under 25%
    assert item.budget_fraction == pytest.approx(0.023148, abs=1e-6)
    assert item.needs_action is False
    assert item.annual_cost == pytest.approx(12.175 * 700)


def test_small_risks_that_together_exceed_the_allowance_all_need_action() -> None:
    # each: 365.25 / 36.525 = 10 a year x (5 + 7.5) x 1.0 = 125 minutes = 23.8% of 525.96 (under 25%)
    small = [risk(f"S{i}", "checkout", 5, 7.5, 1.0, 36.525) for i in range(5)]
    # in search: 125 / ((1 - 0.995) x 525,960 = 2,629.8) = 4.8%, a service of its own
    other = risk("X1", "search", 5, 7.5, 1.0, 36.525)
    summary = compute_risks(register(*small, other), SERVICES, OBJECTIVES, POLICY)
    by_id = {item.id: item for item in summary.items}
    for i in range(5):
        assert by_id[f"S{i}"].budget_fraction == pytest.approx(125 / 525.96)
        assert by_id[f"S{i}"].needs_action is True  # 5 x 125 = 625 > 525.96
    assert by_id["X1"].budget_fraction == pytest.approx(125 / 2629.8)
    assert by_id["X1"].needs_action is False
    checkout = next(s for s in summary.by_service if s.service == "checkout")
    assert checkout.bad_minutes_per_year == pytest.approx(625.0)
    assert checkout.budget_fraction == pytest.approx(625 / 525.96)  # 1.1883
    # four of them: 500 / 525.96 = 0.9506, within the allowance: none needs action
    fewer = compute_risks(register(*small[:4]), SERVICES, OBJECTIVES, POLICY)
    assert [item.needs_action for item in fewer.items] == [False] * 4
    assert fewer.by_service[0].budget_fraction == pytest.approx(500 / 525.96)


def test_threshold_comes_from_the_policy() -> None:
    summary = compute_risks(
        register(risk("R1", "checkout", 30, 60, 0.5, 90)),
        SERVICES,
        OBJECTIVES,
        Policy(risk_threshold=0.4, trials=500),
    )
    assert summary.threshold_fraction == 0.4
    assert summary.items[0].needs_action is False  # 34.7% is under 40%


def test_objective_comes_from_the_mapping_not_the_service() -> None:
    # the service says 0.999; an OpenSLO objective of 0.99 gives 5,259.6 minutes a year
    summary = compute_risks(
        register(risk("R1", "checkout", 30, 60, 0.5, 90)), SERVICES, {"checkout": 0.99}, POLICY
    )
    assert summary.items[0].annual_budget_minutes == pytest.approx(5259.6)
    assert summary.items[0].budget_fraction == pytest.approx(182.625 / 5259.6)


def test_cost_before_mitigation() -> None:
    rows = register(
        risk("R1", "checkout", 10, 40, 0.6, 60, before_ettr_minutes=90.0),
        risk("R2", "checkout", 1, 1, 1, 365),
    )
    summary = compute_risks(rows, SERVICES, OBJECTIVES, POLICY)
    # before: (10 + 90) x 0.6 x 365.25/60 = 365.25 minutes x 700 = 255,675 a year
    assert summary.items[0].annual_cost_before == pytest.approx(255_675.0)
    assert summary.items[1].annual_cost_before is None


def test_ranges_and_curve_are_filled() -> None:
    summary = compute_risks(
        register(risk("R1", "checkout", 30, 60, 0.5, 90, ettd_lo=10.0, ettd_hi=90.0)),
        SERVICES,
        OBJECTIVES,
        POLICY,
    )
    item = summary.items[0]
    assert item.p10_annual_cost <= item.p50_annual_cost <= item.p90_annual_cost
    assert summary.by_service[0].probability_budget_exceeded is not None
    assert 20 <= len(summary.loss_exceedance) <= 40


def test_empty_register() -> None:
    summary = compute_risks(conform(pd.DataFrame(), "risks"), SERVICES, OBJECTIVES, POLICY)
    assert summary.items == ()
    assert summary.by_service == ()
    assert summary.loss_exceedance == ()


def test_service_without_objective_is_one_clear_error() -> None:
    with pytest.raises(BriefingError) as caught:
        compute_risks(
            register(risk("R1", "search", 30, 60, 0.5, 90)), SERVICES, {"checkout": 0.999}, POLICY
        )
    assert caught.value.message == "risk 'R1' is on service 'search', which has no objective"
    assert caught.value.where == HERE


def test_back_test_places_the_recorded_year_in_the_forecast() -> None:
    """One risk a year on average (ettf 365.25 days), 30 full minutes each, no ranges: the
    year's minutes are 30 x a Poisson(1) count. P(0) = P(1) = e^-1 = 0.368, P(2) = 0.184,
    P(3) = 0.061: P(count <= 1) = 0.736, P(count <= 2) = 0.920, so p90 = 60 minutes.
    """
    from briefing.compute.backtest import observed_minutes_per_year
    from briefing.model import Period

    rows = register(risk("R1", "checkout", 10, 20, 1.0, 365.25))
    policy = Policy(trials=100_000)
    # 45 minutes lies between one and two occurrences: above 73.6% of simulated years
    within = compute_risks(rows, SERVICES, OBJECTIVES, policy, observed={"checkout": 45.0})
    (service,) = within.by_service
    assert service.observed_bad_minutes_per_year == 45.0
    assert service.observed_percentile == pytest.approx(73.6, abs=1.0)
    assert service.register_underestimates is False
    # 100 minutes: more than three occurrences' worth, above p90 (60): the register underestimates
    beyond = compute_risks(rows, SERVICES, OBJECTIVES, policy, observed={"checkout": 100.0})
    assert beyond.by_service[0].observed_percentile == pytest.approx(98.1, abs=1.0)
    assert beyond.by_service[0].register_underestimates is True
    # no data: nothing observed, nothing claimed
    unknown = compute_risks(rows, SERVICES, OBJECTIVES, policy, observed={})
    assert unknown.by_service[0].observed_percentile is None
    assert unknown.by_service[0].register_underestimates is None
    # annualised from the data available: 10 failed of 100,000 requests (whatever the months
    # covered) = 10 / 100,000 x 525,960 = 52.596 minutes a year; rows before the twelve months
    # up to the end of October 2026 do not count
    stamps = pd.to_datetime(["2025-10-31T23:00Z", "2026-03-01T00:00Z", "2026-10-31T00:00Z"])
    data = pd.DataFrame(
        {"timestamp": stamps, "good": [0, 49_995, 49_995], "total": [1000, 50_000, 50_000]}
    )
    assert observed_minutes_per_year(data, Period(2026, 10, "UTC")) == pytest.approx(52.596)
