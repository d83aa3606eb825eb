"""What the trend, the services-by-periods grid, last period's decision and the author's
note print: on page 1 of the PDF, in the HTML's grid, and in the JSON."""

from __future__ import annotations

import dataclasses
import html as html_lib
import io
import json
import re

import pytest
from pypdf import PdfReader

from briefing.formatting import money_compact
from briefing.model import PreviousDecision
from briefing.render import render, render_json, validate_json
from briefing.render.charts import available, render_chart
from briefing.render.markdown import render_markdown
from briefing.translate.history import describe_trend
from tests.render.fixtures import make_briefing, make_glossary

DECISION = PreviousDecision(
    period="2026-09",
    decision="Freeze feature releases for Online checkout until its downtime allowance recovers.",
    outcome="done",
    note="Releases paused for nine days",
    by="Avery Chen",
    effect="Online checkout's use of its downtime allowance fell from 154% to 62%.",
)
NOTE = "A rough month.\n\n## What we do next\n\n<b>bold</b> and <script>alert(1)</script>"


@pytest.fixture(scope="module")
def outputs() -> dict[str, bytes]:
    briefing = make_briefing(previous_decision=DECISION, commentary=NOTE)
    return render(briefing, ["html", "pdf", "json"], glossary=make_glossary())


def page_one(outputs: dict[str, bytes]) -> str:
    text = PdfReader(io.BytesIO(outputs["pdf"])).pages[0].extract_text()
    return " ".join(text.split())


def test_page_one_shows_last_months_decision_with_its_note_and_who(outputs) -> None:  # type: ignore[no-untyped-def]
    text = page_one(outputs)
    assert "LAST MONTH'S DECISION" in text.upper()
    assert "September 2026" in text
    assert "Done, recorded by Avery Chen" in text
    assert "Releases paused for nine days" in text
    assert "fell from 154% to 62%" in text


def test_page_one_shows_the_authors_note_as_text_never_as_markup(outputs) -> None:  # type: ignore[no-untyped-def]
    text = page_one(outputs)
    assert "AUTHOR'S NOTE" in text.upper()
    assert "A rough month." in text
    assert "<script>alert(1)</script>" in text  # printed as the author typed it
    html = outputs["html"].decode("utf-8")
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<b>bold</b>" not in html
    # the note's heading sits below the page's own headings
    assert "<h4>What we do next</h4>" in html


def test_markdown_has_raw_html_and_images_off_and_safe_links() -> None:
    html = str(
        render_markdown('![logo](http://example.com/x.png) [x](javascript:alert(1)) <img src="y">')
    )
    assert "<img" not in html
    assert 'href="javascript' not in html
    assert "&lt;img src=&quot;y&quot;&gt;" in html
    assert str(render_markdown("# Title\n\n- one\n- two")) == (
        "<h3>Title</h3>\n<ul>\n<li>one</li>\n<li>two</li>\n</ul>\n"
    )


def test_page_one_has_the_trend_chart_and_its_description(outputs) -> None:  # type: ignore[no-untyped-def]
    html = outputs["html"].decode("utf-8")
    figure = html[html.index('<figure class="trend-spark">') :]
    figure = figure[: figure.index("</figure>")]
    label = html_lib.unescape(re.search(r'aria-label="([^"]*)"', figure).group(1))  # type: ignore[union-attr]
    # the chart's accessible name: its title, then the same sentence as the caption
    assert label.startswith(
        "The headline figure in each recent month; the last bar is this month. "
    )
    assert label.endswith("was used in October 2026; least was 30% in August 2026.")
    caption = html_lib.unescape(re.sub(r"<[^>]+>", "", figure[figure.index("<figcaption>") :]))
    # the fixture: checkout used 30%, 55% and 142% (Aug, Sep, Oct)
    # the key of the chart (the dashed line), then its story
    assert " ".join(caption.split()) == (
        "Dashed line: all of it. Over the last 3 months, all of Online checkout's downtime allowance was used in "
        "October 2026; least was 30% in August 2026."
    )
    assert html.index("trend-spark") < html.index("<!-- exec:end -->")


def test_the_grid_prints_every_percentage_beside_its_colour(outputs) -> None:  # type: ignore[no-untyped-def]
    html = outputs["html"].decode("utf-8")
    grid = html[html.index('class="history-grid"') :]
    grid = grid[: grid.index("</table>")]
    cells = re.findall(r'<td class="num used-(\w+)(?: current)?">([^<]*)</td>', grid)
    # rows in service order (checkout, search, accounts, reporting), months Aug to Oct
    assert cells == [
        ("low", "30%"), ("low", "55%"), ("over", "142%"),
        ("over", "105%"), ("low", "50%"), ("high", "80%"),
        ("low", "20%"), ("low", "10%"), ("low", "10%"),
        ("none", "\u2013"), ("none", "\u2013"), ("none", "\u2013"),
    ]  # fmt: skip
    # cost of failures per month, all services: Aug 20,000 x (0.3 + 1.05 + 0.2) = 31,000;
    # Sep 20,000 x (0.55 + 0.5 + 0.1) = 23,000; Oct 44,370.816 + 35,712 + 223.2 = 80,306.016
    costs = re.findall(r"<td class=\"num(?: current)?\">([^<]*)</td>", grid)
    expected = [money_compact(v, "EUR", "en_GB") for v in (31_000, 23_000, 80_306.016)]
    assert costs[:3] == expected
    # incidents per month: Aug 1 for each of the 4 services, Sep 2 each, Oct 3 + 2 + 1 + 0
    assert costs[3:6] == ["4", "8", "6"]


def test_json_carries_history_decision_and_note_oldest_first(outputs) -> None:  # type: ignore[no-untyped-def]
    data = json.loads(outputs["json"])
    validate_json(data)
    assert [p["period"] for p in data["history"]] == ["2026-08", "2026-09", "2026-10"]
    assert list(data["history"][0]) == ["period", "services", "headline_value"]
    # the contract's four keys, then whether the figure is complete (as services[].complete)
    assert list(data["history"][0]["services"][0]) == [
        "id",
        "budget_consumed",
        "downtime_cost",
        "incidents",
        "complete",
    ]
    assert list(data["previous_decision"]) == [
        "period",
        "decision",
        "outcome",
        "note",
        "by",
        "effect",
    ]
    assert data["previous_decision"]["by"] == "Avery Chen"
    assert data["commentary"] == NOTE


def test_a_briefing_without_history_draws_no_trend_and_no_grid() -> None:
    briefing = make_briefing(history=())
    assert not available("trend", briefing)
    html = render(briefing, ["html"], glossary=make_glossary())["html"].decode("utf-8")
    assert '<figure class="trend-spark">' not in html
    assert '<table class="history-grid">' not in html
    assert '<section class="previous-decision"' not in html
    assert '<aside class="commentary"' not in html
    data = json.loads(render_json(briefing))
    assert (data["history"], data["previous_decision"], data["commentary"]) == ([], None, None)


def test_an_amount_headline_has_no_dashed_line_to_name() -> None:
    """The dashed line marks the whole allowance, drawn only when the headline is a share of
    it; under an amount (the organisation's cost, risks, loss avoided) the key is not printed."""
    base = make_briefing()
    for kind, value, unit in (
        ("budget_exhausted", 92_735.19, "currency"),
        ("risk_exposure", 8e4, "currency"),
    ):
        headline = dataclasses.replace(base.headline, kind=kind, value=value, unit=unit)
        history = tuple(dataclasses.replace(p, headline_value=value) for p in base.history)
        briefing = dataclasses.replace(base, headline=headline, history=history)
        html = render(briefing, ["html"], glossary=make_glossary())["html"].decode("utf-8")
        figure = html[html.index('<figure class="trend-spark">') :]
        figure = figure[: figure.index("</figure>")]
        assert "Dashed line" not in figure, kind
        assert "stroke-dasharray" not in figure, kind  # and the chart draws none
    html = render(base, ["html"], glossary=make_glossary())["html"].decode("utf-8")
    assert "Dashed line: all of it." in html  # a share of the allowance keeps its key


def test_the_trend_chart_is_the_same_bytes_every_time() -> None:
    briefing = make_briefing()
    assert render_chart("trend", briefing) == render_chart("trend", briefing)
    gap = dataclasses.replace(briefing.history[1], services=(), headline_value=None)
    with_gap = make_briefing(history=(briefing.history[0], gap, briefing.history[2]))
    svg = render_chart("trend", with_gap).decode("utf-8")
    # no text in the spark (scaled into its column it would print under 7 pt): two bars,
    # the gap as a short grey stroke, the base line and the dashed 100% line
    assert svg.count("<text") == 0
    assert svg != render_chart("trend", briefing).decode("utf-8")


def test_describe_trend_counts_instead_of_naming_many_periods() -> None:
    points = make_briefing().history
    many = tuple(
        dataclasses.replace(points[-1], period=f"2026-{m:02d}", headline_value=-0.1 * m)
        for m in range(1, 11)
    )
    text = describe_trend(
        many,
        kind="budget_exhausted",
        service_name="Online checkout",
        allowance="downtime allowance",
        noun="month",
        currency="EUR",
        locale="en_GB",
    )
    # used = 1 - value: 110% ... 200%, all ten over the whole allowance
    assert text == (
        "Over the last 10 months, all of Online checkout's downtime allowance was used in "
        "10 of the 10 months with figures; least was 110% in January 2026."
    )


def test_a_partial_figure_is_marked_in_the_grid() -> None:
    history = make_briefing().history
    first = history[0]
    checkout = dataclasses.replace(first.services[0], complete=False)
    partial = dataclasses.replace(first, services=(checkout, *first.services[1:]))
    briefing = make_briefing(history=(partial, *history[1:]))
    html = render(briefing, ["html"], glossary=make_glossary())["html"].decode("utf-8")
    grid = html[html.index('class="history-grid"') :]
    assert '30%<span class="partial-mark" aria-label="partial">*</span>' in grid
    assert grid.count('class="partial-mark"') == 1
    assert "* Partial: the service's data covers too little of that month" in grid
