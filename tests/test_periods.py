"""Periods of every kind: labels, bounds in the config's zone, neighbours, bad labels.

Europe/Oslo keeps summer time from the last Sunday of March (29 March 2026, an
hour lost) to the last Sunday of October (25 October 2026, an hour gained).
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import pandas as pd
import pytest

from briefing.errors import BriefingError
from briefing.formatting import period_name
from briefing.model import Period

OSLO = "Europe/Oslo"


@pytest.mark.parametrize(
    ("label", "kind", "start", "end", "minutes", "days"),
    [
        # 31 days; the clocks go back on 25 October: 31 x 1440 + 60
        ("2026-10", "month", "2026-10-01T00:00:00+02:00", "2026-11-01T00:00:00+01:00", 44_700, 31),
        # January 31 + February 28 + March 31 = 90 days, an hour lost on 29 March
        (
            "2026-Q1",
            "quarter",
            "2026-01-01T00:00:00+01:00",
            "2026-04-01T00:00:00+02:00",
            129_540,
            90,
        ),
        # 30 + 31 + 30 = 91 days, no change
        (
            "2026-Q2",
            "quarter",
            "2026-04-01T00:00:00+02:00",
            "2026-07-01T00:00:00+02:00",
            131_040,
            91,
        ),
        # 31 + 30 + 31 = 92 days, an hour gained on 25 October
        (
            "2026-Q4",
            "quarter",
            "2026-10-01T00:00:00+02:00",
            "2027-01-01T00:00:00+01:00",
            132_540,
            92,
        ),
        # both changes cancel out: 365 x 1440
        ("2026", "year", "2026-01-01T00:00:00+01:00", "2027-01-01T00:00:00+01:00", 525_600, 365),
        ("2024", "year", "2024-01-01T00:00:00+01:00", "2025-01-01T00:00:00+01:00", 527_040, 366),
        # ISO week 43 holds 25 October: 7 x 1440 + 60
        ("2026-W43", "week", "2026-10-19T00:00:00+02:00", "2026-10-26T00:00:00+01:00", 10_140, 7),
        # ISO week 53 of 2026 runs from Monday 28 December 2026 into 2027
        ("2026-W53", "week", "2026-12-28T00:00:00+01:00", "2027-01-04T00:00:00+01:00", 10_080, 7),
    ],
)
def test_bounds_minutes_and_days_in_the_zone(
    label: str, kind: str, start: str, end: str, minutes: int, days: int
) -> None:
    period = Period.parse(label, OSLO)
    assert period.kind == kind
    assert period.label == label
    assert period.start.isoformat() == start
    assert period.end.isoformat() == end
    assert period.minutes == minutes
    assert period.days == days
    assert period.start_utc == pd.Timestamp(start).tz_convert("UTC")
    assert len(period.day_ends()) == days
    assert period.day_ends()[-1] == period.end


def test_the_month_constructor_keeps_its_form() -> None:
    # Period(year, month, zone) is a month, as it always was
    assert Period(2026, 10, OSLO) == Period.parse("2026-10", OSLO)
    assert Period(2026, 10).label == "2026-10"


@pytest.mark.parametrize(
    ("label", "previous", "following"),
    [
        ("2026-01", "2025-12", "2026-02"),
        ("2026-12", "2026-11", "2027-01"),
        ("2026-Q1", "2025-Q4", "2026-Q2"),
        ("2026-Q4", "2026-Q3", "2027-Q1"),
        ("2026", "2025", "2027"),
        # 2025 has 52 ISO weeks (28 December 2025 is in week 52); 2026 has 53
        ("2026-W01", "2025-W52", "2026-W02"),
        ("2026-W53", "2026-W52", "2027-W01"),
        ("2027-W01", "2026-W53", "2027-W02"),
        ("2020-W53", "2020-W52", "2021-W01"),
    ],
)
def test_previous_and_next_of_the_same_kind(label: str, previous: str, following: str) -> None:
    period = Period.parse(label, OSLO)
    assert period.previous().label == previous
    assert period.next().label == following
    assert period.previous().next() == period
    assert period.previous().end == period.start  # neighbours tile the time line


def test_last_complete_period_of_each_kind_in_the_config_zone() -> None:
    # 30 September 22:30 UTC is 1 October 00:30 in Oslo (a Thursday, ISO week 40)
    now = datetime(2026, 9, 30, 22, 30, tzinfo=UTC)
    assert Period.last_complete(now, OSLO).label == "2026-09"
    assert Period.last_complete(now, OSLO, "quarter").label == "2026-Q3"
    assert Period.last_complete(now, OSLO, "year").label == "2025"
    assert Period.last_complete(now, OSLO, "week").label == "2026-W39"
    # the same moment in UTC is still Wednesday 30 September
    assert Period.last_complete(now, "UTC").label == "2026-08"
    assert Period.last_complete(now, "UTC", "quarter").label == "2026-Q2"
    assert Period.last_complete(now, "UTC", "week").label == "2026-W39"
    # Sunday 3 January 2027 is in 2026-W53: the last complete week is W52
    sunday = datetime(2027, 1, 3, 12, tzinfo=UTC)
    assert Period.last_complete(sunday, OSLO, "week").label == "2026-W52"
    assert Period.last_complete(sunday, OSLO, "year").label == "2026"


def test_labels_are_read_leniently_and_written_one_way() -> None:
    assert Period.parse(" 2026-q3 ").label == "2026-Q3"
    assert Period.parse("2026-w05").label == "2026-W05"
    assert Period.parse("2026-W05").first_day == date(2026, 1, 26)


@pytest.mark.parametrize(
    ("label", "message"),
    [
        ("2026-13", "period '2026-13': there is no month 13"),
        ("2026-00", "period '2026-00': there is no month 0"),
        ("2026-Q5", "period '2026-Q5': there is no quarter 5"),
        ("2026-Q0", "period '2026-Q0': there is no quarter 0"),
        ("2026-W54", "period '2026-W54': there is no ISO week 54; 2026 has weeks W01 to W53"),
        # 1 January 2027 is a Friday and 2027 is no leap year: 52 weeks
        ("2027-W53", "period '2027-W53': there is no ISO week 53; 2027 has weeks W01 to W52"),
        ("2026-W00", "period '2026-W00': there is no ISO week 0"),
        ("last", "period 'last' is not a month (2026-10), a quarter (2026-Q3)"),
        ("2026-1", "period '2026-1' is not a month"),
        ("2026-H1", "period '2026-H1' is not a month"),
        ("", "period '' is not a month"),
        ("\uff12\uff10\uff12\uff16-\uff11\uff10", "is not a month"),  # full-width digits
        ("0001-01", "period '0001-01' is outside the years briefing handles (1700 to 2200)"),
        ("9999-12", "period '9999-12' is outside the years briefing handles"),
        # pandas timestamps end on 11 April 2262 and begin on 21 September 1677
        ("2262-05", "period '2262-05' is outside the years briefing handles"),
        ("1677-10", "period '1677-10' is outside the years briefing handles"),
        ("9999", "period '9999' is outside the years briefing handles"),
    ],
)
def test_bad_labels_are_one_clear_error(label: str, message: str) -> None:
    with pytest.raises(BriefingError) as caught:
        Period.parse(label, OSLO)
    assert message in str(caught.value)
    assert caught.value.hint


def test_a_period_cannot_be_made_outside_the_timestamp_range() -> None:
    with pytest.raises(BriefingError, match="outside the years"):
        Period(2262, 5)
    with pytest.raises(BriefingError, match="no ISO week 53"):
        Period(2027, 53, "UTC", "week")
    # the earliest briefing year still has room for the periods before it
    assert Period.parse("1700").previous().previous().label == "1698"
    assert Period.parse("2200-12").next().label == "2201-01"


@pytest.mark.parametrize(
    ("label", "name"),
    [
        ("2026-10", "October 2026"),
        ("2026-Q3", "Q3 2026"),
        ("2026", "2026"),
        ("2026-W05", "week 5 of 2026"),
        ("2026-W53", "week 53 of 2026"),
    ],
)
def test_period_names_on_the_page(label: str, name: str) -> None:
    assert period_name(label, "en_GB") == name


def test_iso_week_numbers_whatever_the_locale_counts() -> None:
    # en_US starts weeks on Sunday and counts 1 January's week as week 1, so its own
    # number for Monday 4 January 2027 would be 2; the briefing says ISO week 1
    assert period_name("2027-W01", "en_US") == "week 1 of 2027"
    # other locales word it their way around the same two numbers
    for locale in ("de_DE", "fr_FR", "nb_NO", "ja_JP"):
        text = period_name("2026-W05", locale)
        assert "5" in text
        assert "2026" in text
        assert "W05" not in text
    # a quarter in the locale keeps its number and year
    french = period_name("2026-Q3", "fr_FR")
    assert "3" in french
    assert "2026" in french
