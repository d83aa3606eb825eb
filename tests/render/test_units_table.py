"""The business units table adds up as printed: each unit's cost is the sum of its
services' printed costs, and the units' printed costs add up to the printed total.

Rendered to HTML and read back from the page's own text, as a reader adding up the
column would.
"""

from __future__ import annotations

import re
from dataclasses import replace

from briefing.model import Briefing, GroupSummary
from briefing.render import render
from tests.render.fixtures import make_briefing, make_glossary

# Retail costs 100.6 (checkout; reporting has no data), Banking 199.3 + 1.3 = 200.6.
# Rounded one by one the units print 101 + 201 = 302, but their total, 301.2, prints
# as 301; Banking's services print 199 + 1, not its 201.
COSTS = {"checkout": 100.6, "search": 199.3, "accounts": 1.3, "reporting": None}
UNITS = {"checkout": "Retail", "search": "Banking", "accounts": "Banking", "reporting": "Retail"}


def _briefing() -> Briefing:
    base = make_briefing()
    services = tuple(
        replace(s, downtime_cost=COSTS[s.id], group=UNITS[s.id]) for s in base.services
    )
    groups = (
        GroupSummary("Retail", 2, 1, 100.6, "checkout"),
        GroupSummary("Banking", 2, 0, 200.6, "search"),
    )
    return replace(base, services=services, groups=groups)


def _euros(cell: str) -> int:
    return int(re.sub(r"[^\d]", "", cell))


def _section(html: str, start: str, end: str) -> str:
    return html[html.index(start) : html.index(end, html.index(start))]


def test_the_units_add_up_to_the_printed_total() -> None:
    html = render(_briefing(), ["html"], glossary=make_glossary())["html"].decode()
    table = _section(html, 'aria-labelledby="units-title"', "</table>")
    rows = dict(
        re.findall(
            r'<th scope="row">([^<]+)</th>(?:\s*<td[^>]*>[^<]*</td>){2}\s*<td class="num">([^<]+)</td>',
            table,
        )
    )
    # largest remainder over the services: 100 + 199 + 1 = 300, one euro short of 301;
    # checkout has the largest remainder (.6 against .3 and .3), so it prints 101
    assert {name: _euros(cost) for name, cost in rows.items()} == {
        "Retail": 101,
        "Banking": 200,
        "All units": 301,
    }


def test_the_html_units_print_their_services_costs_as_the_body_does() -> None:
    html = render(_briefing(), ["html"], glossary=make_glossary())["html"].decode()
    explore = _section(html, 'id="explore"', "</section>")
    for unit, services in (("Retail", ["checkout"]), ("Banking", ["search", "accounts"])):
        block = _section(explore, f'<span class="unit-name">{unit}</span>', "</details>")
        summary = re.search(r"over their allowance, ([^ ]+) ·", block)
        assert summary is not None
        rows = _section(block, f"Services of {unit}", "</table>")
        printed = [
            _euros(m) for m in re.findall(r'<td class="num" data-sort="[^"]*">(€[^<]+)</td>', rows)
        ]
        # the unit's cost in its summary line is the sum of its service rows as printed
        assert len(printed) == len(services)
        assert _euros(summary.group(1)) == sum(printed)
