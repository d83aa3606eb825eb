"""Numbers, money and dates in the briefing's locale and time zone (Babel).

Shared by translate (sentences) and render (templates, through
`briefing.render.filters`): nothing formats a value itself; every amount,
percentage, duration and date goes through one of these functions. They read the locale, currency and time
zone from the briefing, never from the machine, so the same briefing gives the
same text everywhere.
"""

from __future__ import annotations

import math
import zoneinfo
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from babel import Locale
from babel.dates import format_date, format_skeleton, format_time, tokenize_pattern
from babel.numbers import (
    format_compact_currency,
    format_currency,
    format_decimal,
    format_percent,
)

from briefing.periods import Period

MINUS = "\u2212"


def _is_missing(value: float | None) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def money(
    value: float | None, currency: str, locale: str, *, cents: bool = False, whole: bool = False
) -> str:
    """An amount in whole units of `currency`, as `locale` writes it (en_GB: €1,234,567).

    Amounts under 100 (or with `cents=True`) keep the currency's minor units, unless
    `whole=True` (a part of a printed sum, already rounded to whole units).
    """
    if _is_missing(value):
        return "\u2013"
    assert value is not None
    if not whole and (cents or 0 < abs(value) < 100):
        text = format_currency(value, currency, locale=locale)
        return text.replace("-", MINUS, 1) if value < 0 else text
    pattern = Locale.parse(locale).currency_formats["standard"].pattern.replace(".00", "")
    text = format_currency(
        round(value), currency, format=pattern, locale=locale, currency_digits=False
    )
    return text.replace("-", MINUS, 1) if value < 0 else text


def money_compact(value: float | None, currency: str, locale: str) -> str:
    """A big amount in few characters for the headline (en_GB: €1.2M, de_DE: 1,2 Mio. €)."""
    if _is_missing(value):
        return "\u2013"
    assert value is not None
    if abs(value) < 10_000:
        return money(value, currency, locale)
    text = format_compact_currency(value, currency, locale=locale, fraction_digits=1)
    return text.replace("-", MINUS, 1) if value < 0 else text


def percent(fraction: float | None, locale: str, *, digits: int = 1) -> str:
    """A 0..1 fraction as a percentage with at most `digits` decimals (0.4235 -> 42.4%)."""
    if _is_missing(fraction):
        return "\u2013"
    assert fraction is not None
    pattern = Locale.parse(locale).percent_formats[None].pattern.split(";")[0]
    if digits:
        pattern = pattern.replace("0", "0." + "#" * digits, 1) if "0." not in pattern else pattern
    text = format_percent(round(fraction, digits + 2), format=pattern, locale=locale)
    return text.replace("-", MINUS, 1)


def objective(fraction: float, locale: str) -> str:
    """An objective such as 0.9995 with as many decimals as it needs (99.95%)."""
    for digits in range(0, 5):
        if abs(round(fraction * 100, digits) - fraction * 100) < 1e-9:
            return percent(fraction, locale, digits=digits)
    return percent(fraction, locale, digits=4)


def reliability(fraction: float | None, locale: str) -> str:
    """Achieved reliability with enough decimals to tell 99.95% from 99.9%."""
    if _is_missing(fraction):
        return "no data"
    assert fraction is not None
    return percent(math.floor(fraction * 1e5) / 1e5, locale, digits=3)


def minutes(value: float | None) -> str:
    """A duration in minutes as people say it: 45 min, 3 h 25 min, 2 d 4 h."""
    if _is_missing(value):
        return "\u2013"
    assert value is not None
    sign = MINUS if value < 0 else ""
    total = round(abs(value))
    if total < 60:
        return f"{sign}{total}\u00a0min"
    days, rest = divmod(total, 1440)
    hours, mins = divmod(rest, 60)
    if days:
        return f"{sign}{days}\u00a0d {hours}\u00a0h"
    return f"{sign}{hours}\u00a0h {mins}\u00a0min" if mins else f"{sign}{hours}\u00a0h"


def number(value: float | None, locale: str, *, digits: int = 0) -> str:
    if _is_missing(value):
        return "\u2013"
    assert value is not None
    pattern = "#,##0." + "#" * digits if digits else "#,##0"
    return format_decimal(round(value, digits), format=pattern, locale=locale).replace(
        "-", MINUS, 1
    )


def _parse(value: str | date | datetime) -> date | datetime:
    if isinstance(value, date):
        return value
    if "T" in value:
        return datetime.fromisoformat(value)
    return date.fromisoformat(value)


def day(
    value: str | date | datetime | None, locale: str, timezone: str, *, style: str = "long"
) -> str:
    """A calendar day in the locale (en_GB long: 15 November 2026), in the briefing's zone."""
    if value is None:
        return "\u2013"
    parsed = _parse(value)
    if isinstance(parsed, datetime):
        parsed = parsed.astimezone(zoneinfo.ZoneInfo(timezone)).date()
    return format_date(parsed, style, locale=locale)


def moment(value: str | None, locale: str, timezone: str) -> str:
    """A timestamp in the briefing's zone, short (en_GB: 3 Oct 2026, 14:02)."""
    if value is None:
        return "\u2013"
    parsed = _parse(value)
    if not isinstance(parsed, datetime):
        return format_date(parsed, "medium", locale=locale)
    zone = zoneinfo.ZoneInfo(timezone)
    local = parsed.astimezone(zone)
    pattern = Locale.parse(locale).datetime_formats["medium"]
    return str(pattern).format(
        format_time(local, "short", tzinfo=zone, locale=locale),
        format_date(local.date(), "medium", locale=locale),
    )


def day_month(value: str | date, locale: str) -> str:
    """A day without its year, short (en_GB: 15 Nov), for subject lines."""
    return format_skeleton("MMMd", _parse(value), locale=locale)


def whole_parts(parts: Sequence[float]) -> list[int]:
    """`parts` rounded to whole units so that they add up to their rounded sum (largest remainder).

    A printed total then equals the sum of its printed parts.
    """
    target = round(math.fsum(parts))
    floors = [math.floor(part) for part in parts]
    order = sorted(range(len(parts)), key=lambda i: (-(parts[i] - floors[i]), i))
    short = target - sum(floors)
    result = list(floors)
    for i in order[: max(0, min(short, len(parts)))]:
        result[i] += 1
    return result


def period_name(label: str, locale: str) -> str:
    """A period's name in the locale, from its label (CLDR patterns through Babel).

    2026-10 -> "October 2026" ("Oktober 2026"), 2026-Q3 -> "Q3 2026" ("T3 2026" in
    French), 2026 -> "2026", 2026-W05 -> "week 5 of 2026" ("Woche 5 des Jahres 2026").
    An ISO week is numbered as ISO 8601 numbers it, whatever the locale's own week rules.
    """
    period = Period.parse(label)
    first = period.first_day
    if period.kind == "month":
        return format_skeleton("yMMMM", first, locale=locale)
    if period.kind == "quarter":
        return format_skeleton("yQQQ", first, locale=locale)
    if period.kind == "year":
        return format_skeleton("y", first, locale=locale)
    pattern = Locale.parse(locale).datetime_skeletons.get("yw") or "'week' w 'of' Y"
    parts = []
    for kind, value in tokenize_pattern(str(pattern)):
        if kind == "chars":
            parts.append(str(value))
        elif value[0] == "w":
            parts.append(str(period.number).zfill(int(value[1])))
        elif value[0] in "Yy":
            parts.append(str(period.year))
    return "".join(parts)


@dataclass(frozen=True, slots=True)
class Change:
    """A change since last period as printed: arrow, amount and whether it is good news."""

    arrow: str
    text: str
    tone: str  # better | worse | same | none


def change(
    delta: float | None,
    unit: str,
    better_when: str,
    *,
    currency: str,
    locale: str,
    period_noun: str = "month",
) -> Change:
    """The arrow, amount and tone of `delta` (value - previous) for a fact of `unit`."""
    if _is_missing(delta):
        return Change("", f"no earlier {period_noun} to compare", "none")
    assert delta is not None
    if abs(delta) < 1e-12:
        return Change("\u2192", "no change", "same")
    arrow = "\u2191" if delta > 0 else "\u2193"
    size = abs(delta)
    if unit == "currency":
        amount = money(size, currency, locale)
    elif unit == "fraction":
        amount = percent(size, locale).replace("%", "").strip("\xa0") + " points"
    elif unit == "minutes":
        amount = minutes(size)
    else:
        amount = number(size, locale, digits=1 if size != round(size) else 0)
    went_up = delta > 0
    tone = "better" if went_up == (better_when == "higher") else "worse"
    return Change(arrow, amount, tone)


def format_value(value: float | None, unit: str, *, currency: str, locale: str) -> str:
    """Any briefing figure by its unit (currency | fraction | minutes | count)."""
    if unit == "currency":
        return money(value, currency, locale)
    if unit == "fraction":
        return percent(value, locale)
    if unit == "minutes":
        return minutes(value)
    return number(value, locale)
