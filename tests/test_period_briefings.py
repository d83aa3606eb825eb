"""Briefings of a quarter, a year and an ISO week, through the whole pipeline.

The workspace: one service in Europe/Oslo, objective 0.999, downtime worth
6,000 an hour (100 a minute), 1,000 requests in every hourly bucket from
1 October 2025 to 10 January 2027 local time (every bucket has the same weight,
so minutes of full outage add up across months exactly).

First quarter of 2026 in Oslo: January 744 hours, February 672, March 743 (the
clocks go forward on 29 March) = 2,159 hours = 129,540 minutes.
Bad requests: January 744 (one bucket), February 2 x 672, March 3 x 743.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from briefing import pipeline
from briefing.cli import cli
from briefing.config import load_config
from briefing.model import Briefing, Period

CONFIG = """\
organization: Example Corp
currency: EUR
locale: en_GB
timezone: Europe/Oslo
services:
  - {id: shop, name: Web shop, objective: 0.999, cost_of_downtime_per_hour: 6000}
sources:
  metrics: [{path: sli.csv}]
  incidents: [{path: incidents.csv}]
"""
# UTC bucket starts -> bad requests (of 1,000)
BAD = {
    "2025-11-10T10:00Z": 500,  # Q4 2025: the quarter before
    "2026-01-15T12:00Z": 744,
    "2026-02-10T08:00Z": 672,
    "2026-02-20T08:00Z": 672,
    "2026-03-05T09:00Z": 743,
    "2026-03-12T09:00Z": 743,
    "2026-03-30T09:00Z": 743,
    "2026-12-30T10:00Z": 60,  # ISO week 2026-W53, in December
    "2027-01-02T10:00Z": 30,  # ISO week 2026-W53, in January
}
# one 30-minute full outage in each month of the quarter, one in the quarter before
INCIDENTS = """\
id,service,title,severity,started_at,detected_at,resolved_at,impact
INC-0,shop,Checkout down,SEV2,2025-11-10T10:00:00Z,2025-11-10T10:05:00Z,2025-11-10T10:30:00Z,1.0
INC-1,shop,Checkout down,SEV2,2026-01-15T12:00:00Z,2026-01-15T12:05:00Z,2026-01-15T12:30:00Z,1.0
INC-2,shop,Checkout down,SEV2,2026-02-10T08:00:00Z,2026-02-10T08:05:00Z,2026-02-10T08:30:00Z,1.0
INC-3,shop,Checkout down,SEV2,2026-03-05T09:00:00Z,2026-03-05T09:05:00Z,2026-03-05T09:30:00Z,1.0
"""
NOW = datetime(2027, 2, 1, tzinfo=UTC)


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("periods")
    stamps = pd.date_range("2025-09-30T22:00Z", "2027-01-10T22:00Z", freq="h", inclusive="left")
    keys = stamps.strftime("%Y-%m-%dT%H:%MZ")
    frame = pd.DataFrame(
        {
            "timestamp": stamps.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "service": "shop",
            "good": [1000 - BAD.get(key, 0) for key in keys],
            "total": 1000,
        }
    )
    frame.to_csv(folder / "sli.csv", index=False)
    (folder / "incidents.csv").write_text(INCIDENTS)
    (folder / "briefing.yaml").write_text(CONFIG)
    return folder / "briefing.yaml"


def brief(config_path: Path, label: str) -> Briefing:
    config = load_config(config_path)
    return pipeline.build_briefing(config, Period.parse(label, config.timezone), now=NOW)


def test_a_quarter_sums_exactly_its_three_months(workspace: Path) -> None:
    months = [brief(workspace, label).services[0] for label in ("2026-01", "2026-02", "2026-03")]
    quarter = brief(workspace, "2026-Q1")
    shop = quarter.services[0]
    # 2,159 buckets of 1,000; bad 744 + 1,344 + 2,229 = 4,317
    assert (shop.total, shop.bad, shop.good) == (2_159_000, 4_317, 2_154_683)
    assert shop.total == sum(m.total for m in months)
    assert shop.bad == sum(m.bad for m in months)
    assert shop.good == sum(m.good for m in months)
    # the quarter's allowance is the quarter's: 0.1% of 2,159,000 requests, of 129,540 minutes
    assert shop.budget_events == pytest.approx(2_159.0)
    assert shop.budget_events == pytest.approx(sum(m.budget_events for m in months))
    assert shop.budget_minutes == pytest.approx(129.54)
    assert shop.budget_consumed == pytest.approx(4_317 / 2_159)
    # 4,317 / 2,159,000 x 129,540 = 4,317 x 0.06 = 259.02 minutes, at 100 a minute
    assert shop.equivalent_outage_minutes == pytest.approx(259.02)
    assert shop.downtime_cost == pytest.approx(25_902.0)
    # the months: 744 x 0.06 = 44.64, 1,344 x 0.06 = 80.64, 2,229 x 0.06 = 133.74 minutes
    assert [m.downtime_cost for m in months] == pytest.approx([4_464.0, 8_064.0, 13_374.0])
    assert shop.downtime_cost == pytest.approx(sum(m.downtime_cost or 0.0 for m in months))
    # three incidents of 30 minutes at full impact: 3 x 30 x 100
    assert quarter.incidents.count == 3
    assert quarter.incidents.downtime_cost == pytest.approx(9_000.0)
    # 744 + 1,344 = 2,088 bad after February, under the 2,159 allowed; + 743 = 2,831 in the
    # bucket of 5 March 09:00Z = 10:00 in Oslo
    assert shop.exhausted_at == "2026-03-05T10:00:00+01:00"


def test_change_arrows_compare_with_the_previous_quarter(workspace: Path) -> None:
    quarter = brief(workspace, "2026-Q1")
    shop = quarter.services[0]
    # Q4 2025 in Oslo: 745 + 720 + 744 = 2,209 hours; 500 bad -> 500 / 2,209,000 x 132,540 = 30 min
    assert shop.previous is not None
    assert shop.previous.equivalent_outage_minutes == pytest.approx(30.0)
    assert shop.previous.downtime_cost == pytest.approx(3_000.0)
    facts = {fact.key: fact for fact in quarter.facts}
    assert facts["downtime_cost"].previous == pytest.approx(3_000.0)
    assert facts["downtime_cost"].change == pytest.approx(25_902.0 - 3_000.0)
    assert facts["incidents"].previous == 1  # INC-0 in November 2025
    assert facts["incidents"].change == 2


def test_the_quarter_burn_down_has_a_point_a_day(workspace: Path) -> None:
    shop = brief(workspace, "2026-Q1").services[0]
    assert len(shop.burn) == 90
    assert shop.burn[0].at == "2026-01-02T00:00:00+01:00"
    assert shop.burn[-1].at == "2026-04-01T00:00:00+02:00"
    # after 15 January: 744 of 2,159 used
    assert shop.burn[14].budget_remaining == pytest.approx(1 - 744 / 2_159)
    assert shop.burn[-1].budget_remaining == pytest.approx(1 - 4_317 / 2_159)


def test_an_iso_week_across_the_new_year(workspace: Path) -> None:
    """2026-W53: Monday 28 December 2026 to Monday 4 January 2027 (CET, +01:00).

    168 buckets: 96 in December (bad 60) and 72 in January (bad 30).
    """
    week = brief(workspace, "2026-W53")
    shop = week.services[0]
    assert week.period.label == "2026-W53"
    assert week.period.start == "2026-12-28T00:00:00+01:00"
    assert week.period.end == "2027-01-04T00:00:00+01:00"
    assert (shop.total, shop.bad) == (168_000, 90)
    assert shop.budget_events == pytest.approx(168.0)  # 0.1% of 168,000
    assert shop.budget_minutes == pytest.approx(10.08)  # 0.1% of 7 x 1,440
    # 90 / 168,000 x 10,080 = 5.4 minutes, at 100 a minute
    assert shop.equivalent_outage_minutes == pytest.approx(5.4)
    assert shop.downtime_cost == pytest.approx(540.0)
    # a point at the end of each of the seven days; 60 bad by the end of Wednesday 30 December
    assert [p.at[:10] for p in shop.burn] == [
        "2026-12-29",
        "2026-12-30",
        "2026-12-31",
        "2027-01-01",
        "2027-01-02",
        "2027-01-03",
        "2027-01-04",
    ]
    assert shop.burn[2].budget_remaining == pytest.approx(1 - 60 / 168)
    assert shop.burn[-1].budget_remaining == pytest.approx(1 - 90 / 168)
    # the week before, 2026-W52, had no bad requests: the change is the whole cost
    assert shop.previous is not None
    assert shop.previous.downtime_cost == pytest.approx(0.0)
    assert week.facts[0].text.endswith("in week 53 of 2026")


def test_a_year_has_a_burn_point_every_seventh_day(workspace: Path) -> None:
    year = brief(workspace, "2026")
    shop = year.services[0]
    # 365 days: the ends of days 7, 14, ..., 364 (52 points) and the end of the year
    assert len(shop.burn) == 53
    assert shop.burn[0].at == "2026-01-08T00:00:00+01:00"
    assert shop.burn[-2].at == "2026-12-31T00:00:00+01:00"
    assert shop.burn[-1].at == "2027-01-01T00:00:00+01:00"
    # 8,760 hours in 2026 (both clock changes cancel): the year's allowance is 8,760 requests;
    # bad: the quarter's 4,317 and 60 on 30 December
    assert shop.total == 8_760_000
    assert shop.budget_events == pytest.approx(8_760.0)
    assert shop.burn[-1].budget_remaining == pytest.approx(1 - 4_377 / 8_760)


def test_files_named_by_the_label_with_the_kind_in_the_words(
    workspace: Path, tmp_path: Path
) -> None:
    config = load_config(workspace)
    out = tmp_path / "out"
    for label in ("2026-Q1", "2026", "2026-W53"):
        result = pipeline.build(
            config, Period.parse(label, config.timezone), formats=("json", "html"), out_dir=out
        )
        assert sorted(p.name for p in result.files.values()) == [
            f"briefing-{label}.html",
            f"briefing-{label}.json",
        ]
    data = json.loads((out / "briefing-2026-Q1.json").read_text())
    assert data["period"] == {
        "start": "2026-01-01T00:00:00+01:00",
        "end": "2026-04-01T00:00:00+02:00",
        "label": "2026-Q1",
    }
    html = (out / "briefing-2026-Q1.html").read_text()
    assert "Risk briefing · Q1 2026" in html
    assert "of the quarter's" in html
    assert "Against last quarter" in html
    assert "last month" not in html
    assert "The quarter runs from 2026-01-01T00:00:00+01:00" in html
    year = (out / "briefing-2026.html").read_text()
    assert "Risk briefing · 2026" in year
    assert "Against last year" in year
    assert "week by week" in year  # the year's burn-down has a point every seventh day
    assert "day by day" in (out / "briefing-2026-Q1.html").read_text()
    week = (out / "briefing-2026-W53.html").read_text()
    assert "Risk briefing · week 53 of 2026" in week
    assert "are its weekly" in week


def test_the_cli_takes_every_kind(workspace: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(
        cli,
        ["build", "--config", str(workspace), "--period", "2026-q1", "--format", "json"]
        + ["--out", str(tmp_path)],
    )
    assert result.exit_code == 0, result.output
    assert (tmp_path / "briefing-2026-Q1.json").exists()
    result = runner.invoke(cli, ["validate", "--config", str(workspace), "--period", "2026-W53"])
    assert result.exit_code == 0, result.output
    assert "period 2026-W53" in result.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--period", "2026-Q5"], "there is no quarter 5"),
        (["--period", "2026-W54"], "there is no ISO week 54"),
        (["--period", "2027-W53"], "2027 has weeks W01 to W52"),
        (["--period", "last"], "is not a month (2026-10), a quarter (2026-Q3)"),
        (["--period", "0001-01"], "outside the years briefing handles"),
        (["--period", "9999-12"], "outside the years briefing handles"),
        (["--period", "2262-05"], "outside the years briefing handles"),
        (["--period", "2026-10", "--period-kind", "quarter"], "is a month but --period-kind"),
    ],
)
def test_bad_periods_on_the_command_line(workspace: Path, args: list[str], message: str) -> None:
    for command in ("build", "validate"):
        result = CliRunner().invoke(cli, [command, "--config", str(workspace), *args])
        assert result.exit_code == 1, result.output
        assert message in result.stderr
        assert "Traceback" not in result.output


def test_the_config_period_key_takes_every_kind(workspace: Path, tmp_path: Path) -> None:
    for label, expected in (("2026-Q1", "2026-Q1"), ("2026", "2026"), ("2026-w53", "2026-W53")):
        path = tmp_path / "briefing.yaml"
        text = workspace.read_text().replace(
            "timezone: Europe/Oslo\n", f"timezone: Europe/Oslo\nperiod: {label}\n"
        )
        for name in ("sli.csv", "incidents.csv"):
            (tmp_path / name).write_bytes((workspace.parent / name).read_bytes())
        path.write_text(text)
        config = load_config(path)
        assert config.period == expected
        chosen = pipeline.resolve_period(config, None, now=NOW)
        assert chosen.label == expected
        # --period-kind asks for the last complete period of its kind instead
        assert pipeline.resolve_period(config, None, now=NOW, kind="quarter").label == "2026-Q4"
    path.write_text(
        workspace.read_text().replace(
            "timezone: Europe/Oslo\n", "timezone: Europe/Oslo\nperiod: 2026-Q5\n"
        )
    )
    result = CliRunner().invoke(cli, ["validate", "--config", str(path)])
    assert result.exit_code == 1
    assert "period: '2026-Q5': there is no quarter 5" in result.stderr


def test_the_email_speaks_of_the_quarter(workspace: Path) -> None:
    from briefing.deliver.email import render_email

    parts = render_email(brief(workspace, "2026-Q1"), pdf=b"%PDF-1.7 stand-in")
    assert parts.pdf_name == "briefing-2026-Q1.pdf"
    assert parts.subject.endswith(" (Q1 2026)")  # the default subject: the ask, then the quarter
    assert parts.text.startswith("Example Corp risk briefing, Q1 2026 (issued 1 April 2026)\n")
    # the cost went up from 3,000 to 25,902: worse than last quarter
    assert "Worse than last quarter: up from €3,000." in parts.text
    assert "last month" not in parts.text + parts.html
