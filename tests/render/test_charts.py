"""Charts: deterministic SVG fit for inline HTML, PNG for email."""

from __future__ import annotations

import dataclasses
import re

import pytest

from briefing.errors import BriefingError
from briefing.render import filters
from briefing.render.charts import KINDS, available, inline_svg, render_chart
from tests.render.fixtures import make_briefing


@pytest.mark.parametrize("kind", KINDS)
def test_svg_is_deterministic_text(kind: str) -> None:
    briefing = make_briefing()
    first = render_chart(kind, briefing)
    assert first == render_chart(kind, briefing)
    text = first.decode("utf-8")
    # svg.fonttype none: labels stay text, not glyph paths; the trend spark under the
    # headline number has no label of its own (its key is the caption beside it)
    assert ("<text" in text) == (kind != "trend")
    assert "<dc:date>" not in text


def test_burn_chart_labels_the_end_of_the_month() -> None:
    text = render_chart("burn", make_briefing()).decode("utf-8")
    # checkout ends October at -0.42 of its allowance left: 42% over, never "-42% left"
    assert "42% over" in text
    assert "% left" not in text
    assert ">1 Oct<" in text
    assert ">29 Oct<" in text


def test_png_for_email() -> None:
    png = render_chart("burn", make_briefing(), fmt="png")
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    assert png == render_chart("burn", make_briefing(), fmt="png")


def test_inline_svg_has_no_prolog_urls_or_clashing_ids() -> None:
    briefing = make_briefing()
    burn = str(inline_svg(render_chart("burn", briefing), "chart-burn", "Allowance left"))
    risk = str(inline_svg(render_chart("risk_minutes", briefing), "chart-risk", "Risks"))
    for svg in (burn, risk):
        assert svg.startswith('<svg class="chart-svg" role="img"')
        assert "<?xml" not in svg
        assert "DOCTYPE" not in svg
        assert "http" not in svg
    ids = re.findall(r'id="([^"]+)"', burn) + re.findall(r'id="([^"]+)"', risk)
    assert len(ids) == len(set(ids))
    # every in-page reference points at an id of its own chart
    for ref in re.findall(r"url\(#([^)]+)\)", burn):
        assert ref.startswith("chart-burn-")
        assert f'id="{ref}"' in burn


def test_charts_without_data_are_not_drawn() -> None:
    briefing = make_briefing()
    bare = dataclasses.replace(
        briefing, risks=dataclasses.replace(briefing.risks, items=(), loss_exceedance=())
    )
    assert not available("risk_minutes", bare)
    assert not available("loss_exceedance", bare)
    with pytest.raises(BriefingError, match="no data for the risk_minutes chart"):
        render_chart("risk_minutes", bare)


def test_unknown_chart_or_format() -> None:
    with pytest.raises(BriefingError, match="unknown chart 'pie'"):
        render_chart("pie", make_briefing())
    with pytest.raises(BriefingError, match="unknown chart format 'gif'"):
        render_chart("burn", make_briefing(), fmt="gif")


def test_no_font_is_looked_up_and_missed(caplog: pytest.LogCaptureFixture) -> None:
    """The charts' font ships with matplotlib: on a machine without any other font,
    drawing them logs no "findfont" complaint (a build once logged hundreds)."""
    caplog.set_level("DEBUG", logger="matplotlib.font_manager")
    for kind in KINDS:
        render_chart(kind, make_briefing())
    assert [r.getMessage() for r in caplog.records if "not found" in r.getMessage()] == []


def test_risk_bars_are_labelled_in_their_own_unit_largest_first() -> None:
    briefing = make_briefing()
    text = render_chart("risk_minutes", briefing).decode("utf-8")
    ordered = sorted(briefing.risks.items, key=lambda r: -r.budget_fraction)
    labels = [f"{round(r.budget_fraction * 100)}%" for r in ordered]
    # every bar's label is its share of the allowance (the bar's length), in bar order
    positions = [text.index(f">{label}<") for label in labels]
    assert positions == sorted(positions)
    assert "min a year" not in text


def test_loss_curve_marks_the_median_and_one_year_in_ten() -> None:
    briefing = make_briefing()
    text = render_chart("loss_exceedance", briefing).decode("utf-8")
    # 50%: between (150k, 58%) and (200k, 44%): 150k + 50k x 8/14 = 178,571 -> 180k;
    # 10%: between (400k, 11%) and (500k, 5%): 400k + 100k x 1/6 = 416,667 -> 420k
    median = filters.money_compact(180_000, "EUR", "en_GB")
    one_in_ten = filters.money_compact(420_000, "EUR", "en_GB")
    assert f"half of all years lose more than {median}" in text
    assert f"1 year in 10 loses more than {one_in_ten}" in text
