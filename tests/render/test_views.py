"""What a page prints of each long list: a summary's first rows and the rest as one row whose
sums are of the printed amounts; everything in full; every row by unit on the HTML page."""

from __future__ import annotations

from dataclasses import replace

from briefing.model import GroupSummary, HeadlineService
from briefing.render.context import printed_costs
from briefing.render.views import SHOWN, body_lists, explore_units, listing
from tests.render.fixtures import make_briefing


def test_a_summary_keeps_the_first_rows_and_sums_the_rest() -> None:
    rows = list(range(1, 16))  # 1 .. 15, largest first below
    summary = listing(rows, "summary", first=lambda n: -n, amounts={"value": float})
    # the ten largest (15 .. 6) in the rows' own order, then 5 rows: 1 + 2 + 3 + 4 + 5 = 15
    assert summary.shown == list(range(6, 16))
    assert (summary.rest, summary.rest_amounts) == (5, {"value": 15.0})
    assert len(summary) == 15  # "All 15": the shown and the rest
    full = listing(rows, "full", first=lambda n: -n, amounts={"value": float})
    assert (full.shown, full.rest, full.rest_amounts) == (rows, 0, {"value": 0.0})
    # a list no longer than a summary is printed whole
    assert listing(rows[:SHOWN], "summary").shown == rows[:SHOWN]


def test_a_summary_always_keeps_the_rows_asked_for() -> None:
    rows = list(range(1, 16))
    summary = listing(rows, "summary", first=lambda n: -n, keep=[rows[0]])
    assert summary.shown == [1, *range(6, 16)]  # 1 is kept although it is the smallest
    assert summary.rest == 4


def test_the_printed_lists_add_up_to_the_printed_totals() -> None:
    briefing = make_briefing()
    services = [
        replace(briefing.services[0], id=f"s{k}", name=f"S{k}", downtime_cost=1000.0 * k + 0.4)
        for k in range(1, 13)
    ]
    # the headline names s1, the cheapest: it is printed beside the ten costliest
    headline = replace(
        briefing.headline,
        service=None,
        services=(HeadlineService("s1", "S1", 1000.4, 2),),
        named=1,
    )
    briefing = replace(briefing, services=tuple(services), headline=headline)
    costs = printed_costs(briefing)
    lists = body_lists(briefing, "summary", costs)
    shown = lists["services"]
    # costliest first: s12 .. s3, then s1 (named); the rest is s2 alone
    assert [s.id for s in shown] == [f"s{k}" for k in range(12, 2, -1)] + ["s1"]
    assert shown.rest == 1
    printed = sum(costs.service[s.id] for s in shown) + shown.rest_amounts["cost"]
    assert printed == costs.total
    # 12 parts of x,xxx.4 add up to 78,004.8 -> 78,005: five parts go up one unit, the
    # first five (equal remainders), so s2 prints as 2,001
    assert shown.rest_amounts["cost"] == costs.service["s2"] == 2001.0


def test_every_row_by_unit_for_the_html_page() -> None:
    briefing = make_briefing()
    first, *others = briefing.services
    services = (replace(first, group="Retail"), *(replace(s, group="Banking") for s in others))
    groups = (
        GroupSummary("Retail", 1, 0, first.downtime_cost or 0.0, first.id),
        GroupSummary("Banking", len(others), 0, 0.0, others[0].id if others else None),
    )
    units = explore_units(replace(briefing, services=services, groups=groups))
    assert [u.name for u in units] == ["Retail", "Banking"]
    assert [s.id for s in units[0].services] == [first.id]
    assert sum(len(u.incidents) for u in units) == len(briefing.incidents.items)
    assert all(i.service == first.id for i in units[0].incidents)
    assert sum(len(u.risks) for u in units) == len(briefing.risks.items)
    # no units: one block holds everything
    whole = explore_units(briefing)
    assert [(u.name, len(u.services)) for u in whole] == [("", len(briefing.services))]
