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
    ("locale", "currency", "one_point_two"),
    [("en_GB", "EUR", "1.2"), ("de_DE", "EUR", "1,2"), ("en_US", "USD", "1.2")],
)
def test_money_compact_for_headlines(locale: str, currency: str, one_point_two: str) -> None:
    """Our rules: one decimal of the locale's "million" word, the real minus sign, and whole
    amounts under 10,000. The word itself ("M", "m", "Mio.") is the locale's, from CLDR."""
    from babel.numbers import format_compact_currency

    text = filters.money_compact(1_234_567, currency, locale)
    # 1,234,567 is 1.2 million at one decimal: the text of exactly 1,200,000
    assert text == format_compact_currency(1_200_000, currency, locale=locale, fraction_digits=1)
    assert one_point_two in text
    assert filters.money_compact(1_250_001, currency, locale) != text  # 1.3 million
    assert filters.money_compact(-1_234_567, currency, locale) == MINUS + text
    assert "-" not in filters.money_compact(-1_234_567, currency, locale)
    # under 10,000 the headline keeps the whole amount
    assert filters.money_compact(9_999, currency, locale) == filters.money(9_999, currency, locale)


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


def test_reliability_rounds_but_never_onto_the_objective() -> None:
    # rounded, not cut: 0.9984596 -> 99.846% (cutting gave 99.845%)
    assert filters.reliability(0.9984596, "en_GB") == "99.846%"
    # 0.9989996 would round to 99.9% and look like the 99.9% target was met: more decimals
    assert filters.reliability(0.9989996, "en_GB", 0.999) == "99.89996%"
    assert filters.reliability(None, "en_GB") == "no data"


@pytest.mark.parametrize(
    ("sli", "objective", "consumed", "expected"),
    [
        # checkout: 1.540906 used prints 154%; 1 - 1.54 x 0.001 = 0.99846 (not the cut 99.845%)
        (0.998459, 0.999, 1.540906, "99.846%"),
        # payments: 0.81839 prints 82%; 1 - 0.82 x 0.0005 = 0.99959
        (0.999591, 0.9995, 0.81839, "99.959%"),
        # 0.835 prints 84% (83.5, half to even); 1 - 0.84 x 0.0005 = 0.99958
        (0.99958, 0.9995, 0.835, "99.958%"),
        # search: 0.105195 prints 11%; 1 - 0.11 x 0.005 = 0.99945
        (0.999474, 0.995, 0.105195, "99.945%"),
        # just over: 1.0004 prints 100.04% used, so achieved 1 - 1.0004 x 0.001 = 0.9989996
        (0.9989996, 0.999, 1.0004, "99.89996%"),
    ],
)
def test_achieved_agrees_with_the_allowance_used(
    sli: float, objective: float, consumed: float, expected: str
) -> None:
    assert filters.achieved(sli, objective, consumed, "en_GB") == expected
    digits = filters.used_digits(consumed)
    used = round(consumed * 100, digits)
    # the reader's check: (100 - achieved) / (100 - target) gives the used figure printed
    shown = float(expected.rstrip("%"))
    assert round((100 - shown) / (100 - objective * 100) * 100, digits) == used


def test_parts_add_up_to_their_rounded_total() -> None:
    # 38,540 + 91,633.33 + 15,159.39 = 145,332.72 -> 145,333; floors 38,540 + 91,633 +
    # 15,159 = 145,332, one short: the largest remainder (.39) goes up
    assert filters.rounded_parts([38_540.0, 91_633.333, 15_159.389]) == [38_540, 91_633, 15_160]
    # to the nearest 100: 385.40 + 916.33 + 151.59 = 1,453.33 -> 1,453; floors 1,452
    assert filters.rounded_parts([38_540.0, 91_633.333, 15_159.389], 100) == [
        38_500,
        91_600,
        15_200,
    ]
    assert filters.rounded_parts([]) == []


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


@pytest.mark.parametrize("locale", ["en_GB", "de_DE", "en_US"])
def test_dates_in_the_locale_and_the_briefing_zone(locale: str) -> None:
    """Our rules: the long date of the locale, taken in the briefing's zone; the month's name
    and the local time. The patterns themselves are the locale's, from CLDR."""
    from datetime import date

    from babel import Locale
    from babel.dates import format_date

    names = Locale.parse(locale).months["format"]["wide"]
    due = filters.day("2026-11-15", locale, "UTC")
    assert due == format_date(date(2026, 11, 15), "long", locale=locale)
    assert "15" in due
    assert names[11] in due
    assert "2026" in due
    # 23:30 UTC on 31 October is already 1 November in Auckland (UTC+13 in summer)
    auckland = filters.day("2026-10-31T23:30:00+00:00", locale, "Pacific/Auckland")
    assert auckland == format_date(date(2026, 11, 1), "long", locale=locale)
    # 14:02 UTC is 16:02 in Amsterdam in early October (CEST, UTC+2)
    moment = filters.moment("2026-10-03T14:02:00+00:00", locale, "Europe/Amsterdam")
    if locale != "en_US":
        assert "16:02" in moment
    else:
        assert "4:02" in moment
    assert format_date(date(2026, 10, 3), "medium", locale=locale) in moment
    label = filters.period_name("2026-10", locale)
    assert names[10] in label
    assert "2026" in label


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


def test_parts_can_add_up_to_a_total_printed_elsewhere() -> None:
    # a service's 48,215 printed: 43,600.71 + 4,614.25 = 48,214.96; floors 43,600 + 4,614 =
    # 48,214, one short of the printed 48,215: the larger remainder (.71) goes up
    assert filters.rounded_parts([43_600.71, 4_614.25], total=48_215) == [43_601, 4_614]
    # and down when the total printed is lower: 10.6 + 10.6 = 21.2, printed 20:
    # floors 10 + 10 = 20 already
    assert filters.rounded_parts([10.6, 10.6], total=20) == [10, 10]
    # floors 5 + 5 = 10, printed 9: the smaller remainder (.2) goes down
    assert filters.rounded_parts([5.2, 5.7], total=9) == [4, 5]


def test_a_whole_amount_under_100_prints_whole() -> None:
    # a part rounded so that its total adds up is whole: €19, never €19.00
    assert filters.money(19.0, "EUR", "en_GB") == "€19"
    assert filters.money(19.5, "EUR", "en_GB") == "€19.50"
