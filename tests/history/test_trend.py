"""The trend (`history[]`) and last period's decision, against figures worked out by hand.

The workspace is `history_support`: hourly buckets, so a month's allowance used is the
failing requests an hour over the allowed ones an hour.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner

from briefing.cli import cli
from briefing.config import load_config
from briefing.history import record_build
from briefing.model import Briefing, Period
from briefing.pipeline import build_briefing, input_hash
from tests.history.history_support import make_workspace, sli_rows

NOW = datetime(2026, 5, 2, tzinfo=UTC)


def brief(config_path: Path, label: str, *, record: bool = False) -> Briefing:
    config = load_config(config_path)
    period = Period.parse(label, config.timezone)
    briefing = build_briefing(config, period, now=NOW)
    if record:
        record_build(config, briefing, period, input_hash=input_hash(config, period), built_at=NOW)
    return briefing


def used(briefing: Briefing) -> dict[str, dict[str, float | None]]:
    return {p.period: {s.id: s.budget_consumed for s in p.services} for p in briefing.history}


def test_a_monthly_trend_adds_up_each_months_own_data(tmp_path: Path) -> None:
    briefing = brief(make_workspace(tmp_path), "2026-04")
    # no data before January: the trend starts there, oldest first, this month last
    assert [p.period for p in briefing.history] == ["2026-01", "2026-02", "2026-03", "2026-04"]
    # shop: bad an hour / 10 (Jan 1, Feb 2, Mar 0, Apr 20); api: 2 x bad an hour (Mar 1)
    assert used(briefing) == {
        "2026-01": {"shop": pytest.approx(0.1), "api": 0.0},
        "2026-02": {"shop": pytest.approx(0.2), "api": 0.0},
        "2026-03": {"shop": 0.0, "api": pytest.approx(2.0)},
        "2026-04": {"shop": pytest.approx(2.0), "api": 0.0},
    }
    # this month's entry is the briefing's own figures
    april = {s.id: s for s in briefing.history[-1].services}
    for service in briefing.services:
        assert april[service.id].budget_consumed == service.budget_consumed
        assert april[service.id].downtime_cost == service.downtime_cost
    # cost = bad / total x minutes x cost a minute: January's shop
    # 744 / 744,000 x 44,640 min x EUR 100 = 4,464
    january = {s.id: s for s in briefing.history[0].services}
    assert january["shop"].downtime_cost == pytest.approx(4_464.0)
    # incidents: I-1 and I-2 in January for shop, I-4 in April
    assert [s.incidents for s in briefing.history[0].services] == [2, 0]
    assert [s.incidents for s in briefing.history[-1].services] == [1, 0]
    # the headline is shop's April (2.0 used: remaining -1.0); the trend carries the
    # same measure, shop's allowance left, in every month: 0.9, 0.8, 1.0, -1.0
    assert briefing.headline.service == "shop"
    assert [p.headline_value for p in briefing.history] == pytest.approx([0.9, 0.8, 1.0, -1.0])


def test_quarter_and_week_trends_sum_exactly_their_periods(tmp_path: Path) -> None:
    config = make_workspace(tmp_path)
    quarter = brief(config, "2026-Q2")
    # Q1: shop (1 x 744 + 2 x 672 + 0 x 744) bad / (10 x 2,160 hours) = 2,088 / 21,600;
    # api 1 x 744 / (0.5 x 2,160) = 744 / 1,080. Q2 holds April only (720 hours of data).
    assert [p.period for p in quarter.history] == ["2026-Q1", "2026-Q2"]
    assert used(quarter)["2026-Q1"] == {
        "shop": pytest.approx(2_088 / 21_600),
        "api": pytest.approx(744 / 1_080),
    }
    week = brief(config, "2026-W06")
    # W01 (29 Dec to 4 Jan) has 4 of its 7 days: not held by the exports, so the trend
    # starts at W02. W05 is 26 January to 1 February: 144 hours at 1 bad and 24 at 2,
    # so shop used (144 + 48) / (10 x 168) = 192 / 1,680.
    assert [p.period for p in week.history] == [f"2026-W0{n}" for n in range(2, 7)]
    assert used(week)["2026-W05"]["shop"] == pytest.approx(192 / 1_680)
    assert used(week)["2026-W02"]["shop"] == pytest.approx(0.1)


def test_the_store_fills_months_the_exports_no_longer_hold(tmp_path: Path) -> None:
    full = make_workspace(tmp_path / "full")
    brief(full, "2026-01", record=True)
    brief(full, "2026-02", record=True)
    # the same organisation a few months on: its exports start on 1 March
    later = make_workspace(tmp_path / "later", first="2026-03-01T00:00:00Z")
    later.write_text(
        later.read_text() + f"history: {{path: {tmp_path / 'full' / 'history.sqlite'}}}\n"
    )
    briefing = brief(later, "2026-04")
    assert used(briefing) == {
        "2026-01": {"shop": pytest.approx(0.1), "api": 0.0},  # from the store
        "2026-02": {"shop": pytest.approx(0.2), "api": 0.0},  # from the store
        "2026-03": {"shop": 0.0, "api": pytest.approx(2.0)},
        "2026-04": {"shop": pytest.approx(2.0), "api": 0.0},
    }
    assert not any("different figures" in note for note in briefing.notes)


def test_a_month_neither_source_holds_is_a_gap_never_a_zero(tmp_path: Path) -> None:
    full = make_workspace(tmp_path / "full")
    brief(full, "2026-01", record=True)
    later = make_workspace(tmp_path / "later", first="2026-04-01T00:00:00Z")
    later.write_text(
        later.read_text() + f"history: {{path: {tmp_path / 'full' / 'history.sqlite'}}}\n"
    )
    briefing = brief(later, "2026-04")
    assert [p.period for p in briefing.history] == ["2026-01", "2026-02", "2026-03", "2026-04"]
    gaps = [p for p in briefing.history if not p.services]
    assert [p.period for p in gaps] == ["2026-02", "2026-03"]
    assert all(p.headline_value is None for p in gaps)


def test_the_exports_win_over_a_stored_figure_and_the_notes_say_so(tmp_path: Path) -> None:
    config = make_workspace(tmp_path)
    brief(config, "2026-02", record=True)
    # a corrected export: shop's February now fails 3 an hour instead of 2
    rows = sli_rows()
    february = rows["timestamp"].str.startswith("2026-02") & (rows["service"] == "shop")
    rows.loc[february, "good"] = 1000 - 3
    rows.to_csv(tmp_path / "sli.csv", index=False)
    briefing = brief(config, "2026-04")
    assert used(briefing)["2026-02"]["shop"] == pytest.approx(0.3)  # as a rebuild gives
    assert any("different figures for February 2026" in note for note in briefing.notes)
    rebuilt = brief(config, "2026-02")
    assert rebuilt.services[0].budget_consumed == used(briefing)["2026-02"]["shop"]


def test_last_months_decision_and_its_effect(tmp_path: Path) -> None:
    config = make_workspace(tmp_path)
    march = brief(config, "2026-03", record=True)
    assert march.headline.service == "api"  # api used 2 x 1 = 200% in March
    runner = CliRunner()
    result = runner.invoke(
        cli,
        ["decision", "record", "2026-03", "--config", str(config), "--outcome", "done"]
        + ["--note", "Partner releases paused for a week", "--by", "Jo Park"],
    )
    assert result.exit_code == 0, result.output
    april = brief(config, "2026-04")
    decision = april.previous_decision
    assert decision is not None
    assert decision.period == "2026-03"
    assert decision.decision == march.headline.decision
    assert (decision.outcome, decision.note, decision.by) == (
        "done",
        "Partner releases paused for a week",
        "Jo Park",
    )
    # api used 200% in March and 0% in April
    assert decision.effect == (
        "Partner interface's use of its downtime allowance fell from 200% to 0%."
    )
    # two months on, March is no longer last month's
    assert brief(config, "2026-05").previous_decision is None


def test_a_service_measured_for_part_of_a_month_is_marked_partial(tmp_path: Path) -> None:
    config = make_workspace(tmp_path)
    rows = sli_rows()
    # api loses its first 15 days of February: 360 of 672 hours left, 54% < 95%
    gone = (
        (rows["service"] == "api")
        & (rows["timestamp"] < "2026-02-16")
        & (rows["timestamp"] >= "2026-02-01")
    )
    rows[~gone].to_csv(tmp_path / "sli.csv", index=False)
    briefing = brief(config, "2026-04")
    february = {s.id: s for s in briefing.history[1].services}
    assert (february["shop"].complete, february["api"].complete) == (True, False)
    assert [s.complete for s in briefing.history[0].services] == [True, True]
