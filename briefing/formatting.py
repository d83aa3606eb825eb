"""Numbers, money and dates in the briefing's locale and time zone (Babel).

Shared by translate (sentences) and render (templates, through
`briefing.render.filters`): nothing formats a value itself; every amount,
percentage, duration and date goes through one of these functions. They read the locale, currency and time
zone from the briefing, never from the machine, so the same briefing gives the
same text everywhere.
"""

from __future__ import annotations

import functools
import math
import zoneinfo
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from babel import Locale
from babel.dates import format_date, format_skeleton, format_time, tokenize_pattern
from babel.numbers import (
    NumberPattern,
    format_compact_currency,
    format_currency,
    format_decimal,
    format_percent,
    parse_pattern,
)

from briefing.periods import Period

MINUS = "\u2212"


@functools.cache
def _loc(locale: str) -> Locale:
    """The parsed locale, once per identifier (a briefing formats thousands of figures)."""
    return Locale.parse(locale)


@functools.cache
def _pattern(pattern: str) -> NumberPattern:
    return parse_pattern(pattern)


def _is_missing(value: float | None) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def money(
    value: float | None, currency: str, locale: str, *, cents: bool = False, whole: bool = False
) -> str:
    """An amount in whole units of `currency`, as `locale` writes it (en_GB: €1,234,567).

    Amounts under 100 (or with `cents=True`) keep the currency's minor units, unless
    `whole=True` (a part of a printed sum, already rounded to whole units) or the
    amount is whole anyway.
    """
    if _is_missing(value):
        return "\u2013"
    assert value is not None
    whole = whole or value == round(value)  # €19, never €19.00
    if not whole and (cents or 0 < abs(value) < 100):
        text = format_currency(value, currency, locale=_loc(locale))
        return text.replace("-", MINUS, 1) if value < 0 else text
    text = _whole_money(round(value), currency, locale)
    return text.replace("-", MINUS, 1) if value < 0 else text


@functools.lru_cache(maxsize=1 << 16)
def _whole_money(amount: int, currency: str, locale: str) -> str:
    """An amount already rounded to whole units (the same ones recur across a briefing)."""
    pattern = _loc(locale).currency_formats["standard"].pattern.replace(".00", "")
    return format_currency(
        amount, currency, format=_pattern(pattern), locale=_loc(locale), currency_digits=False
    )


def money_compact(value: float | None, currency: str, locale: str) -> str:
    """A big amount in few characters for the headline (en_GB: €1.2M, de_DE: 1,2 Mio. €)."""
    if _is_missing(value):
        return "\u2013"
    assert value is not None
    if abs(value) < 10_000:
        return money(value, currency, locale)
    text = format_compact_currency(value, currency, locale=_loc(locale), fraction_digits=1)
    return text.replace("-", MINUS, 1) if value < 0 else text


def percent(fraction: float | None, locale: str, *, digits: int = 1) -> str:
    """A 0..1 fraction as a percentage with at most `digits` decimals (0.4235 -> 42.4%)."""
    if _is_missing(fraction):
        return "\u2013"
    assert fraction is not None
    return _percent(round(fraction, digits + 2), locale, digits)


@functools.lru_cache(maxsize=1 << 14)
def _percent(rounded: float, locale: str, digits: int) -> str:
    """A rounded fraction as a percentage (few distinct ones in a briefing: kept)."""
    pattern = _loc(locale).percent_formats[None].pattern.split(";")[0]
    if digits:
        pattern = pattern.replace("0", "0." + "#" * digits, 1) if "0." not in pattern else pattern
    text = format_percent(rounded, format=_pattern(pattern), locale=_loc(locale))
    return text.replace("-", MINUS, 1)


def objective(fraction: float, locale: str) -> str:
    """An objective such as 0.9995 with as many decimals as it needs (99.95%)."""
    for digits in range(0, 5):
        if abs(round(fraction * 100, digits) - fraction * 100) < 1e-9:
            return percent(fraction, locale, digits=digits)
    return percent(fraction, locale, digits=4)


def reliability(fraction: float | None, locale: str, objective: float | None = None) -> str:
    """Achieved reliability with enough decimals to tell 99.95% from 99.9%, rounded, never cut.

    A figure under its `objective` never prints as the objective or above it: 0.9989996
    against 99.9% prints 99.89996%, not 99.9%.
    """
    if _is_missing(fraction):
        return "no data"
    assert fraction is not None
    digits = 3
    while (
        objective is not None
        and fraction < objective
        and round(fraction * 100, digits) >= objective * 100
        and digits < 6
    ):
        digits += 1
    return percent(fraction, locale, digits=digits)


def used_digits(consumed: float) -> int:
    """Decimals for an allowance used: none, unless rounding would hide that it is over 100%."""
    digits = 0
    while consumed > 1 and round(consumed * 100, digits) <= 100 and digits < 4:
        digits += 1
    return digits


def achieved(sli: float | None, objective: float, consumed: float | None, locale: str) -> str:
    """Achieved reliability that agrees with the allowance used printed beside it.

    For a service whose allowance is a share of requests, failed = used x (1 - target):
    the figure printed is 1 - (used as printed) x (1 - target), with as many decimals as
    that needs, so 99.846% sits beside "154% used" (0.154 = 1.54 x 0.1), never 99.845%
    (which a reader would turn into 155%). The difference from the exact figure is at
    most half a percent of the allowance.
    """
    if _is_missing(sli):
        return "no data"
    assert sli is not None
    if consumed is None or _is_missing(consumed) or not 0 < objective < 1:
        return reliability(sli, locale, objective)
    digits = used_digits(consumed)
    shown = 1 - round(consumed * 100, digits) / 100 * (1 - objective)
    for places in range(3, 9):
        if abs(round(shown * 100, places) - shown * 100) < 1e-9:
            break
    return percent(shown, locale, digits=places)


def rounded_parts(
    values: Sequence[float], step: float = 1.0, total: float | None = None
) -> list[float]:
    """`values` rounded to multiples of `step` so that they add up to their rounded total.

    Largest remainder: each part is rounded down, then the parts with the largest
    remainders go up one step until the sum is the total's own rounding. 38,540 +
    91,633.33 + 15,159.39 = 145,332.72 prints as 38,540 + 91,633 + 15,160 = 145,333.
    With `total` (a figure already printed elsewhere, a multiple of `step`) the parts
    add up to that instead.
    """
    scaled = [v / step for v in values]
    floors = [math.floor(v) for v in scaled]
    target = round(sum(scaled)) if total is None else round(total / step)
    missing = target - sum(floors)
    if scaled:
        up = sorted(range(len(scaled)), key=lambda i: (-(scaled[i] - floors[i]), i))
        down = sorted(range(len(scaled)), key=lambda i: (scaled[i] - floors[i], -scaled[i], i))
        for k in range(abs(missing)):
            if missing > 0:
                floors[up[k % len(up)]] += 1
            else:
                floors[down[k % len(down)]] -= 1
    return [f * step for f in floors]


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
    return format_decimal(
        round(value, digits), format=_pattern(pattern), locale=_loc(locale)
    ).replace("-", MINUS, 1)


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
    return format_date(parsed, style, locale=_loc(locale))


def moment(value: str | None, locale: str, timezone: str) -> str:
    """A timestamp in the briefing's zone, short (en_GB: 3 Oct 2026, 14:02)."""
    if value is None:
        return "\u2013"
    parsed = _parse(value)
    if not isinstance(parsed, datetime):
        return format_date(parsed, "medium", locale=_loc(locale))
    zone = zoneinfo.ZoneInfo(timezone)
    local = parsed.astimezone(zone)
    pattern = _loc(locale).datetime_formats["medium"]
    return str(pattern).format(
        _short_time(local, timezone, locale), _medium_date(local.date(), locale)
    )


@functools.lru_cache(maxsize=1 << 12)
def _medium_date(day: date, locale: str) -> str:
    return format_date(day, "medium", locale=_loc(locale))


_SHORT_TIMES: dict[tuple[object, ...], str] = {}


def _short_time(local: datetime, timezone: str, locale: str) -> str:
    """A time of day, short. It depends on the clock, the zone's offset and name and the
    locale only, so each is formatted once (a briefing has thousands of timestamps)."""
    key = (local.time(), local.utcoffset(), local.tzname(), timezone, locale)
    text = _SHORT_TIMES.get(key)
    if text is None:
        zone = zoneinfo.ZoneInfo(timezone)
        text = format_time(local, "short", tzinfo=zone, locale=_loc(locale))
        if len(_SHORT_TIMES) < 1 << 14:
            _SHORT_TIMES[key] = text
    return text


def day_month(value: str | date, locale: str) -> str:
    """A day without its year, short (en_GB: 15 Nov), for subject lines."""
    return format_skeleton("MMMd", _parse(value), locale=_loc(locale))


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
        return format_skeleton("yMMMM", first, locale=_loc(locale))
    if period.kind == "quarter":
        return format_skeleton("yQQQ", first, locale=_loc(locale))
    if period.kind == "year":
        return format_skeleton("y", first, locale=_loc(locale))
    pattern = _loc(locale).datetime_skeletons.get("yw") or "'week' w 'of' Y"
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
