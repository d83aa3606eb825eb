"""Business units as rows: every service in exactly one unit, the units' costs add up."""

from __future__ import annotations

from pathlib import Path

from briefing.compute.groups import compute_groups, ranked, with_groups
from briefing.config import ServiceConfig
from briefing.config.organisation import UNGROUPED, group_names
from briefing.errors import Location
from briefing.model import ServiceStatus

WEIGHTS = {1: 3.0, 2: 2.0, 3: 1.0}


def config(sid: str, group: str | None, tier: int = 2) -> ServiceConfig:
    return ServiceConfig(
        sid, sid, 0.999, 60.0, "", Location(Path("b.yaml")), group=group, tier=tier
    )


def status(sid: str, cost: float | None, remaining: float | None = 0.5) -> ServiceStatus:
    state = "no_data" if cost is None else ("exhausted" if (remaining or 0) < 0 else "healthy")
    return ServiceStatus(
        id=sid,
        name=sid,
        objective=0.999,
        good=0,
        total=0,
        bad=0,
        sli=None,
        budget_events=0.0,
        budget_consumed=None if remaining is None else 1 - remaining,
        budget_remaining=remaining,
        budget_minutes=43.2,
        equivalent_outage_minutes=None,
        downtime_cost=cost,
        exhausted_at=None,
        status=state,
    )


def test_units_add_up_and_the_worst_service_is_weighted_by_tier() -> None:
    configs = [
        config("a", "Retail", tier=1),
        config("b", "Retail", tier=3),
        config("c", "Banking"),
        config("d", "Retail"),
    ]
    statuses = with_groups(
        [status("a", 100.0, -0.5), status("b", 250.0, -1.0), status("c", 40.0), status("d", None)],
        configs,
    )
    assert [(s.group, s.tier) for s in statuses] == [
        ("Retail", 1),
        ("Retail", 3),
        ("Banking", 2),
        ("Retail", 2),
    ]
    retail, banking = compute_groups(statuses, WEIGHTS)
    # Retail: a 100 x 3 = 300 beats b 250 x 1 = 250, though b cost more; d has no data
    assert (retail.name, retail.services, retail.exhausted) == ("Retail", 3, 2)
    assert retail.downtime_cost == 350.0  # 100 + 250 + nothing for d
    assert retail.worst_service == "a"
    assert (banking.name, banking.services, banking.exhausted, banking.worst_service) == (
        "Banking",
        1,
        0,
        "c",
    )
    # every service in exactly one unit; the units' costs are the services' total
    assert retail.services + banking.services == len(statuses)
    assert retail.downtime_cost + banking.downtime_cost == 390.0  # 100 + 250 + 40


def test_services_without_a_unit_are_one_more_unit_named_last() -> None:
    configs = [config("a", None), config("b", "Retail"), config("c", None)]
    statuses = with_groups([status("a", 10.0), status("b", 20.0), status("c", 5.0)], configs)
    assert [s.group for s in statuses] == [UNGROUPED, "Retail", UNGROUPED]
    rows = compute_groups(statuses, WEIGHTS)
    assert [(g.name, g.services, g.downtime_cost) for g in rows] == [
        ("Retail", 1, 20.0),
        (UNGROUPED, 2, 15.0),  # 10 + 5
    ]


def test_no_units_at_all_when_no_service_names_one() -> None:
    configs = [config("a", None), config("b", None)]
    statuses = with_groups([status("a", 10.0), status("b", 20.0)], configs)
    assert [s.group for s in statuses] == [None, None]
    assert compute_groups(statuses, WEIGHTS) == ()
    assert group_names([None, None]) == ()


def test_ties_go_to_the_service_with_less_allowance_left() -> None:
    statuses = [status("x", 100.0, 0.2), status("y", 100.0, -0.3), status("z", None, None)]
    # same weighted cost (tier 2 both): y has less left; z has no data and is not ranked
    assert [s.id for s in ranked(statuses, WEIGHTS)] == ["y", "x"]
    unit = with_groups(statuses, [config("x", "U"), config("y", "U"), config("z", "U")])
    assert compute_groups(unit, WEIGHTS)[0].worst_service == "y"


def test_a_unit_with_no_data_has_no_worst_service() -> None:
    unit = with_groups([status("z", None, None)], [config("z", "U")])
    (row,) = compute_groups(unit, WEIGHTS)
    assert (row.services, row.downtime_cost, row.worst_service) == (1, 0.0, None)
