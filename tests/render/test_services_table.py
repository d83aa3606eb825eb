"""The services table prints what tells the rows apart: a target or an owner that is the same
for every service is said once above the table, not repeated in each row."""

from __future__ import annotations

import dataclasses
import re

from briefing.render import render
from tests.render.fixtures import make_briefing, make_glossary


def _services_section(html: str) -> str:
    section = html[html.index('<section class="services"') :]
    return section[: section.index("</table>")]


def _text(markup: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", markup).split())


def test_different_targets_and_owners_print_in_every_row() -> None:
    html = render(make_briefing(), ["html"], glossary=make_glossary())["html"].decode("utf-8")
    section = _services_section(html)
    assert '<th scope="col" class="num">Target</th>' in section
    # the fixture: checkout 99.9% (Head of Commerce Engineering), search 99.5% (Head of Discovery)
    assert "Head of Commerce Engineering" in section
    assert "Head of Discovery" in section
    assert "Every service" not in _text(section)


def test_one_target_and_one_owner_are_said_once() -> None:
    base = make_briefing()
    same = tuple(
        dataclasses.replace(s, objective=0.999, owner="Head of Engineering") for s in base.services
    )
    html = render(dataclasses.replace(base, services=same), ["html"], glossary=make_glossary())
    section = _services_section(html["html"].decode("utf-8"))
    assert "Target</th>" not in section
    assert section.count("Head of Engineering") == 1  # in the sentence, in no row
    assert (
        "Every service's target is 99.9%, and every one is owned by Head of Engineering."
        in _text(section)
    )
    # each row still lines up with its header: one cell per column
    header = section[section.index("<thead>") : section.index("</thead>")]
    columns = header.count("<th ")
    body = section[section.index("<tbody>") :]
    first_row = body[body.index("<tr>") : body.index("</tr>")]
    assert first_row.count("<th ") + first_row.count("<td") == columns
    total = body[body.index('<tr class="total">') :]
    total = total[: total.index("</tr>")]
    spans = [int(n) for n in re.findall(r'colspan="(\d+)"', total)]
    assert 1 + sum(spans) + total.count('<td class="num">') + total.count("<td></td>") == columns
