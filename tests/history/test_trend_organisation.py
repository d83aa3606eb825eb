"""The trend when several services spent their allowance: the organisation's figure, the cost
of the services over their allowance, in every period.

`history_support`'s workspace, with api failing 1 request an hour in April as well as in
March (allowance used 2 x 1 = 200% both months). April: shop (200%) and api (200%) are
both over, so the headline is their cost:
  shop 20 / 1,000 x 43,200 min x EUR 100 = 86,400; api 1 / 500 x 43,200 min x EUR 50 = 4,320.
Earlier months: March only api, 1 / 500 x 44,640 x 50 = 4,464; January and February none (0).
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from briefing.config import load_config
from briefing.model import Period
from briefing.pipeline import build_briefing
from tests.history import history_support
from tests.history.history_support import make_workspace


def test_the_trend_follows_the_organisations_figure(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(history_support.API_BAD, 4, 1)
    config = load_config(make_workspace(tmp_path))
    briefing = build_briefing(
        config, Period.parse("2026-04", config.timezone), now=datetime(2026, 5, 2, tzinfo=UTC)
    )
    headline = briefing.headline
    assert (headline.kind, headline.unit, headline.service) == (
        "budget_exhausted",
        "currency",
        None,
    )
    assert headline.value == pytest.approx(86_400 + 4_320)
    values = {p.period: p.headline_value for p in briefing.history}
    assert values == {
        "2026-01": 0.0,
        "2026-02": 0.0,
        "2026-03": pytest.approx(4_464.0),
        "2026-04": pytest.approx(90_720.0),
    }
