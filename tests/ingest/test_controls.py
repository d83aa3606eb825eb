"""The controls reader: prevented events, with unknown chances kept and bad rows rejected by line."""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd

from briefing.config import load_config
from briefing.ingest.context import ReadContext
from briefing.ingest.controls import read_controls
from briefing.ingest.tables import check_table
from briefing.model import Period


def load(tmp_path: Path, text: str, *, timezone: str = "Europe/Amsterdam"):
    (tmp_path / "controls.csv").write_text(text, encoding="utf-8")
    (tmp_path / "briefing.yaml").write_text(
        f"organization: Example Corp\ntimezone: {timezone}\nperiod: 2026-10\n"
        "services:\n  - {id: checkout, objective: 0.999}\n  - {id: catalog, objective: 0.999}\n"
        "sources:\n  controls: [{path: controls.csv}]\n",
        encoding="utf-8",
    )
    config = load_config(tmp_path / "briefing.yaml")
    ctx = ReadContext(config, Period(2026, 10, timezone), frozenset(s.id for s in config.services))
    loaded = read_controls(config.sources.controls[0], ctx)
    check_table(loaded.table, "controls")
    quality = loaded.quality[0]
    assert quality.rows_read == quality.rows_used + quality.rows_rejected
    return loaded.table, quality


CSV = """\
date,service,control,events,risk,probability
2026-10-05,checkout,Automatic rollback,2,R1,0.6
2026-10-21,catalog,Policy check,1,R7,
2026-10-22,catalog,Policy check,1,R7,unknown
2026-10-23T10:00:00Z,catalog,Blocked image,3,R5,25%
2026-10-24,checkout,Rollback,1.5,R1,0.5
2026-10-25,checkout,Rollback,-1,R1,0.5
2026-10-26,checkout,Rollback,1,R1,1.2
2026-10-27,checkout,Rollback,1,R1,often
2026-13-01,checkout,Rollback,1,R1,0.5
,checkout,Rollback,1,R1,0.5
2026-10-28,shipping,Rollback,1,R1,0.5
"""


def test_rows_kept_unknown_chance_kept_and_bad_rows_rejected(tmp_path: Path) -> None:
    table, quality = load(tmp_path, CSV)
    assert list(table["events"]) == [2, 1, 1, 3]
    # a day is local midnight in Amsterdam: 5 October 00:00 CEST = 4 October 22:00 UTC
    assert table["date"].iloc[0] == pd.Timestamp("2026-10-04T22:00:00Z")
    assert table["date"].iloc[3] == pd.Timestamp("2026-10-23T10:00:00Z")
    assert table["probability"].iloc[0] == 0.6
    assert math.isnan(table["probability"].iloc[1])
    assert math.isnan(table["probability"].iloc[2])
    assert table["probability"].iloc[3] == 0.25
    got = [(r.line, r.column, r.reason) for r in quality.rejections]
    assert got == [
        (6, "events", "events 1.5 is not a whole number"),
        (7, "events", "events is negative"),
        (8, "probability", "probability 1.2 is outside 0..1"),
        (
            9,
            "probability",
            "probability must be a number between 0 and 1 (or empty when not known)",
        ),
        (10, "date", "date is not a day like 2026-10-05 (or an ISO 8601 timestamp)"),
        (11, "date", "date is empty"),
        (12, "service", "service 'shipping' is not in briefing.yaml services"),
    ]
    assert quality.notes == ("2 row(s) give no probability: they claim no loss avoided",)


def test_sample_controls_load_whole() -> None:
    sample = Path(__file__).resolve().parents[2] / "briefing" / "samples" / "briefing.yaml"
    config = load_config(sample)
    ctx = ReadContext(
        config, Period(2026, 10, config.timezone), frozenset(s.id for s in config.services)
    )
    loaded = read_controls(config.sources.controls[0], ctx)
    quality = loaded.quality[0]
    assert (quality.rows_read, quality.rows_used, quality.rows_rejected) == (15, 15, 0)
    assert int(loaded.table["probability"].isna().sum()) == 2
    assert (
        int(loaded.table["events"].sum())
        == 2 + 1 + 1 + 3 + 1 + 1 + 1 + 1 + 2 + 4 + 1 + 1 + 1 + 1 + 1
    )


def test_events_too_large_or_infinite_are_rejected_with_their_reason(tmp_path: Path) -> None:
    text = (
        "date,service,control,events,risk,probability\n"
        "2026-10-03,checkout,Huge,1e30,R1,0.5\n"
        "2026-10-04,checkout,Endless,inf,R1,0.5\n"
        "2026-10-05,checkout,Fine,2,R1,0.5\n"
    )
    table, quality = load(tmp_path, text)
    assert [(r.line, r.column, r.reason) for r in quality.rejections] == [
        (
            2,
            "events",
            "events 1e+30 is more than 1,000,000,000,000,000 events in one row: "
            "not a count briefing accepts (a unit or export mistake?)",
        ),
        (3, "events", "events is infinite, not a count"),
    ]
    assert list(table["events"]) == [2]


def test_a_day_whose_midnight_is_skipped_starts_when_the_clocks_resume(tmp_path: Path) -> None:
    # Santiago, 2026-09-06: clocks jump from 00:00 to 01:00 (-04 to -03); the day starts 01:00 -03
    text = "date,service,control,events,risk,probability\n2026-09-06,checkout,Gap day,1,R1,0.5\n"
    table, quality = load(tmp_path, text, timezone="America/Santiago")
    assert quality.rows_rejected == 0
    assert table["date"].iloc[0] == pd.Timestamp("2026-09-06T04:00:00Z")


def test_a_day_whose_midnight_happens_twice_starts_at_the_first(tmp_path: Path) -> None:
    # Havana, 2026-11-01: clocks go back from 01:00 to 00:00 (-04 to -05); the first midnight is -04
    text = "date,service,control,events,risk,probability\n2026-11-01,checkout,Fold day,1,R1,0.5\n"
    table, quality = load(tmp_path, text, timezone="America/Havana")
    assert quality.rows_rejected == 0
    assert table["date"].iloc[0] == pd.Timestamp("2026-11-01T04:00:00Z")


def test_a_control_dated_after_2262_is_a_rejected_row(tmp_path: Path) -> None:
    text = "date,service,control,events,risk,probability\n2999-01-01,checkout,Far,1,R1,0.5\n"
    table, quality = load(tmp_path, text)
    assert quality.rejections[0].reason.startswith(
        "date 2999-01-01 is outside the years 1678 to 2261"
    )
    assert table.empty
