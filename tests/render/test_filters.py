"""Money, percentages, durations and dates as the briefing's locale writes them."""

from __future__ import annotations

import pytest

from briefing.render import filters

NBSP = "\xa0"
MINUS = "\u2212"


@pytest.mark.parametrize(
    ("locale", "currency", "expected"),
    [
        # whole units, grouping by the locale; 1,234,567.5 rounds half-even to ...568
        ("en_GB", "EUR", "€1,234,568"),
        ("de_DE", "EUR", f"1.234.568{NBSP}€"),
        ("en_US", "USD", "$1,234,568"),
    ],
)
def test_money_whole_units(locale: str, currency: str, expected: str) -> None:
    assert filters.money(1_234_567.5, currency, locale) == expected


@pytest.mark.parametrize(
    ("locale", "currency", "expected"),
    [
        ("en_GB", "EUR", "€42.50"),
        ("de_DE", "EUR", f"42,50{NBSP}€"),
        ("en_US", "USD", "$42.50"),
    ],
)
def test_money_keeps_cents_under_100(locale: str, currency: str, expected: str) -> None:
    assert filters.money(42.5, currency, locale) == expected


def test_money_negative_uses_a_real_minus() -> None:
    assert filters.money(-1_234.4, "EUR", "en_GB") == f"{MINUS}€1,234"


@pytest.mark.parametrize(
    ("locale", "currency", "expected"),
    [
        ("en_GB", "EUR", "€1.2M"),
        ("de_DE", "EUR", f"1,2{NBSP}Mio.{NBSP}€"),
        ("en_US", "USD", "$1.2M"),
    ],
)
def test_money_compact_for_headlines(locale: str, currency: str, expected: str) -> None:
    assert filters.money_compact(1_234_567, currency, locale) == expected


def test_money_missing_is_a_dash_not_zero() -> None:
    assert filters.money(None, "EUR", "en_GB") == "\u2013"
    assert filters.money(float("nan"), "EUR", "en_GB") == "\u2013"


def test_percent_by_locale() -> None:
    # 0.4235 -> 42.35% -> one decimal: 42.4 would need half-up; round(0.4235, 3) = 0.423 -> 42.3%
    assert filters.percent(0.4235, "en_GB") == "42.3%"
    assert filters.percent(0.4235, "de_DE") == f"42,3{NBSP}%"
    assert filters.percent(1.42, "en_GB", digits=0) == "142%"
    assert filters.percent(-0.42, "en_GB", digits=0) == f"{MINUS}42%"


def test_objective_shows_the_decimals_it_needs() -> None:
    assert filters.objective(0.999, "en_GB") == "99.9%"
    assert filters.objective(0.9995, "en_GB") == "99.95%"
    assert filters.objective(0.99, "en_GB") == "99%"


def test_reliability_never_rounds_up_to_the_objective() -> None:
    # 0.9989996 would round to 99.9% and look like the 99.9% target was met; floor to 99.899%
    assert filters.reliability(0.9989996, "en_GB") == "99.899%"
    assert filters.reliability(None, "en_GB") == "no data"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (45, f"45{NBSP}min"),
        (205, f"3{NBSP}h 25{NBSP}min"),  # 205 = 3 * 60 + 25
        (120, f"2{NBSP}h"),
        (3000, f"2{NBSP}d 2{NBSP}h"),  # 3000 = 2 * 1440 + 120
        (59.6, f"1{NBSP}h"),  # rounds to 60
    ],
)
def test_minutes(value: float, expected: str) -> None:
    assert filters.minutes(value) == expected


def test_dates_in_the_locale_and_the_briefing_zone() -> None:
    assert filters.day("2026-11-15", "en_GB", "UTC") == "15 November 2026"
    assert filters.day("2026-11-15", "de_DE", "UTC") == "15. November 2026"
    assert filters.day("2026-11-15", "en_US", "UTC") == "November 15, 2026"
    # 23:30 UTC on 31 October is already 1 November in Auckland (UTC+13 in summer)
    assert (
        filters.day("2026-10-31T23:30:00+00:00", "en_GB", "Pacific/Auckland") == "1 November 2026"
    )
    # 14:02 UTC is 16:02 in Amsterdam in early October (CEST, UTC+2)
    assert (
        filters.moment("2026-10-03T14:02:00+00:00", "en_GB", "Europe/Amsterdam")
        == "3 Oct 2026, 16:02"
    )
    assert filters.period_name("2026-10", "de_DE") == "Oktober 2026"


def test_change_tone_follows_better_when() -> None:
    up_cost = filters.change(31_150.0, "currency", "lower", currency="EUR", locale="en_GB")
    assert (up_cost.arrow, up_cost.text, up_cost.tone) == ("\u2191", "€31,150", "worse")
    down_fix = filters.change(-13.0, "minutes", "lower", currency="EUR", locale="en_GB")
    assert (down_fix.arrow, down_fix.text, down_fix.tone) == ("\u2193", f"13{NBSP}min", "better")
    up_saved = filters.change(4_570.0, "currency", "higher", currency="EUR", locale="en_GB")
    assert up_saved.tone == "better"
    # a fraction change is in percentage points: 0.41 -> 0.2 is 21 points
    points = filters.change(0.2 - 0.41, "fraction", "higher", currency="EUR", locale="en_GB")
    assert (points.text, points.tone) == ("21 points", "worse")
    assert filters.change(None, "count", "lower", currency="EUR", locale="en_GB").tone == "none"
