"""Numbers in words for a locale: money, percentages, durations, dates (Babel).

Shared by translate (sentences) and render (tables). Never reads the machine's
locale or time zone: every function takes them.
"""

from __future__ import annotations

from datetime import date

from babel import Locale
from babel.dates import format_date
from babel.numbers import (
    format_compact_currency,
    format_currency,
    format_decimal,
    format_percent,
)


def money(amount: float, currency: str, locale: str, *, compact: bool = False) -> str:
    """`€42,000` (whole units from 100 up, cents below); compact `€1.2M` for headline numbers."""
    if compact and abs(amount) >= 10_000:
        return format_compact_currency(amount, currency, locale=locale, fraction_digits=1)
    if abs(amount) >= 100:
        return format_currency(
            round(amount), currency, format=_whole_pattern(locale), locale=locale, currency_digits=False
        )
    return format_currency(amount, currency, locale=locale)


def _whole_pattern(locale: str) -> str:
    pattern = Locale.parse(locale).currency_formats["standard"].pattern
    # drop the decimals of the locale's pattern: ¤#,##0.00 -> ¤#,##0
    return pattern.replace(".00", "").replace(",00", "")


def percent(fraction: float, locale: str, *, digits: int = 0) -> str:
    """0.523 -> `52%` (digits after the point as asked)."""
    return format_percent(fraction, locale=locale, format="#,##0" + ("." + "0" * digits if digits else "") + "%")


def number(value: float, locale: str, *, digits: int = 0) -> str:
    return format_decimal(round(value, digits), locale=locale, format="#,##0" + ("." + "#" * digits if digits else ""))


def minutes(value: float) -> str:
    """47 -> `47 min`; 205 -> `3 h 25 min`; 3000 -> `2 d 2 h`."""
    total = round(value)
    if total < 60:
        return f"{total} min"
    hours, mins = divmod(total, 60)
    if hours < 48:
        return f"{hours} h {mins} min" if mins else f"{hours} h"
    days, hours = divmod(hours, 24)
    return f"{days} d {hours} h" if hours else f"{days} d"


def month_name(year: int, month: int, locale: str) -> str:
    """`October 2026` in the locale."""
    return format_date(date(year, month, 1), format="LLLL y", locale=locale)


def day(value: date, locale: str) -> str:
    """`15 November 2026` in the locale."""
    return format_date(value, format="long", locale=locale)
