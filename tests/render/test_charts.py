"""Charts: deterministic SVG fit for inline HTML, PNG for email."""

from __future__ import annotations

import dataclasses
import re

import pytest

from briefing.errors import BriefingError
from briefing.render.charts import KINDS, available, inline_svg, render_chart
from tests.render.fixtures import make_briefing


@pytest.mark.parametrize("kind", KINDS)
def test_svg_is_deterministic_text(kind: str) -> None:
    briefing = make_briefing()
    first = render_chart(kind, briefing)
    assert first == render_chart(kind, briefing)
    text = first.decode("utf-8")
    assert "<text" in text  # svg.fonttype none: labels stay text, not glyph paths
    assert "<dc:date>" not in text


def test_burn_chart_labels_the_end_of_the_month() -> None:
    text = render_chart("burn", make_briefing()).decode("utf-8")
    # checkout ends October at -0.42 of its allowance left
    assert "\u221242% left" in text
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
