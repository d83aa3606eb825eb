"""The period a briefing covers: a calendar month, quarter or year, or an ISO week.

Shared by every stage (`briefing.model` re-exports `Period`). A period is a
half-open interval [start, end) of local time in the config's zone, so a month
or quarter with a daylight-saving change has an hour more or less, and every
formula runs over the period's own minutes. Labels: `2026-10` (month),
`2026-Q3` (quarter), `2026` (year), `2026-W05` (ISO week: Monday to Sunday, the
week belongs to the year that holds its Thursday).
"""

from __future__ import annotations

import re
import zoneinfo
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Literal

import pandas as pd

from briefing.errors import BriefingError

PeriodKind = Literal["month", "quarter", "year", "week"]
KINDS: tuple[PeriodKind, ...] = ("month", "quarter", "year", "week")

# Years a briefing may be asked for. Timestamps are pandas nanoseconds (1677-09-21 to
# 2262-04-11); the margin leaves room for the periods before (trends, change arrows).
FIRST_YEAR, LAST_YEAR = 1700, 2200
# Years a period may be constructed for at all (earlier periods of a briefing included).
_SAFE_FIRST, _SAFE_LAST = 1678, 2261

_LABEL = re.compile(
    r"(?P<year>[0-9]{4})(?:-(?:(?P<month>[0-9]{2})|[Qq](?P<quarter>[0-9])|[Ww](?P<week>[0-9]{2})))?",
    re.ASCII,
)
_FORMS = "a month (2026-10), a quarter (2026-Q3), a year (2026) or an ISO week (2026-W05)"


def iso_weeks_in(year: int) -> int:
    """52 or 53: 28 December always lies in the last ISO week of its year."""
    return date(year, 12, 28).isocalendar().week


@dataclass(frozen=True, slots=True)
class Period:
    """A period [start, end) in the config's time zone.

    `number` is the month (1-12), the quarter (1-4) or the ISO week (1-53) of
    `year`, and 1 for a whole year; for a week `year` is the ISO year.
    """

    year: int
    number: int
    timezone: str = "UTC"
    kind: PeriodKind = "month"

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise BriefingError(
                f"unknown period kind {self.kind!r}", hint=f"use one of {', '.join(KINDS)}"
            )
        if not _SAFE_FIRST <= self.year <= _SAFE_LAST:
            raise _out_of_range(self.label if 0 <= self.year <= 9999 else str(self.year))
        problem = _number_problem(self.kind, self.year, self.number)
        if problem:
            hint = f"use {_FORMS}"
            if self.kind == "week":
                weeks = iso_weeks_in(self.year)
                hint = (
                    f"the last ISO week of {self.year} is {self.year}-W{weeks} (Monday to Sunday)"
                )
            raise BriefingError(f"period {self.label!r}: {problem}", hint=hint)

    # ------------------------------------------------------------------ making one

    @classmethod
    def parse(cls, label: str, timezone: str = "UTC") -> Period:
        """`2026-10`, `2026-Q3`, `2026`, `2026-W05` (surrounding spaces ignored)."""
        match = _LABEL.fullmatch(label.strip())
        if match is None:
            raise BriefingError(f"period {label!r} is not {_FORMS}", hint="e.g. --period 2026-Q3")
        year = int(match["year"])
        if not FIRST_YEAR <= year <= LAST_YEAR:
            raise _out_of_range(label.strip())
        kind: PeriodKind
        if match["month"]:
            kind, number = "month", int(match["month"])
        elif match["quarter"]:
            kind, number = "quarter", int(match["quarter"])
        elif match["week"]:
            kind, number = "week", int(match["week"])
        else:
            kind, number = "year", 1
        return cls(year, number, timezone, kind)

    @classmethod
    def containing(cls, moment: datetime, timezone: str = "UTC", kind: str = "month") -> Period:
        """The period of `kind` that holds `moment` (read in `timezone`)."""
        local = moment.astimezone(zoneinfo.ZoneInfo(timezone)).date()
        chosen = as_kind(kind)
        if chosen == "month":
            return cls(local.year, local.month, timezone, chosen)
        if chosen == "quarter":
            return cls(local.year, (local.month - 1) // 3 + 1, timezone, chosen)
        if chosen == "year":
            return cls(local.year, 1, timezone, chosen)
        iso = local.isocalendar()
        return cls(iso.year, iso.week, timezone, chosen)

    @classmethod
    def last_complete(cls, now: datetime, timezone: str = "UTC", kind: str = "month") -> Period:
        """The last period of `kind` that has ended by `now` in `timezone`."""
        return cls.containing(now, timezone, kind).previous()

    # ------------------------------------------------------------------ what it is

    @property
    def label(self) -> str:
        if self.kind == "month":
            return f"{self.year:04d}-{self.number:02d}"
        if self.kind == "quarter":
            return f"{self.year:04d}-Q{self.number}"
        if self.kind == "week":
            return f"{self.year:04d}-W{self.number:02d}"
        return f"{self.year:04d}"

    @property
    def tzinfo(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.timezone)

    @property
    def first_day(self) -> date:
        if self.kind == "week":
            return date.fromisocalendar(self.year, self.number, 1)
        if self.kind == "quarter":
            return date(self.year, 3 * self.number - 2, 1)
        return date(self.year, self.number if self.kind == "month" else 1, 1)

    @property
    def end_day(self) -> date:
        """The first day after the period."""
        if self.kind == "week":
            return self.first_day + timedelta(days=7)
        if self.kind == "year":
            return date(self.year + 1, 1, 1)
        months = 3 if self.kind == "quarter" else 1
        index = self.first_day.month - 1 + months  # months after January of `year`
        return date(self.year + index // 12, index % 12 + 1, 1)

    def last_day(self) -> date:
        return self.end_day - timedelta(days=1)

    @property
    def days(self) -> int:
        """Calendar days in the period (7, 28-31, 90-92, 365-366)."""
        return (self.end_day - self.first_day).days

    @property
    def start(self) -> datetime:
        return datetime.combine(self.first_day, time(), tzinfo=self.tzinfo)

    @property
    def end(self) -> datetime:
        return datetime.combine(self.end_day, time(), tzinfo=self.tzinfo)

    @property
    def start_utc(self) -> pd.Timestamp:
        return pd.Timestamp(self.start.astimezone(UTC))

    @property
    def end_utc(self) -> pd.Timestamp:
        return pd.Timestamp(self.end.astimezone(UTC))

    @property
    def minutes(self) -> float:
        """Real elapsed minutes (a daylight-saving change adds or removes an hour)."""
        return (self.end.astimezone(UTC) - self.start.astimezone(UTC)).total_seconds() / 60.0

    def day_ends(self) -> list[datetime]:
        """The end of each local day of the period: the next local midnight, aware."""
        return [
            datetime.combine(self.first_day + timedelta(days=n + 1), time(), tzinfo=self.tzinfo)
            for n in range(self.days)
        ]

    # ------------------------------------------------------------------ neighbours

    def previous(self) -> Period:
        """The period of the same kind just before this one."""
        if self.kind == "week":
            iso = (self.first_day - timedelta(days=7)).isocalendar()
            return Period(iso.year, iso.week, self.timezone, "week")
        if self.kind == "year":
            return Period(self.year - 1, 1, self.timezone, "year")
        last = 12 if self.kind == "month" else 4
        if self.number > 1:
            return Period(self.year, self.number - 1, self.timezone, self.kind)
        return Period(self.year - 1, last, self.timezone, self.kind)

    def next(self) -> Period:
        """The period of the same kind just after this one."""
        return Period.containing(self.end, self.timezone, self.kind)


def as_kind(text: str) -> PeriodKind:
    """A period kind from user text (`quarter`), or a clear error."""
    kind = text.strip().lower()
    if kind not in KINDS:
        raise BriefingError(f"unknown period kind {text!r}", hint=f"use one of {', '.join(KINDS)}")
    return kind


def _number_problem(kind: PeriodKind, year: int, number: int) -> str | None:
    if kind == "month" and not 1 <= number <= 12:
        return f"there is no month {number}; months are 01 to 12"
    if kind == "quarter" and not 1 <= number <= 4:
        return f"there is no quarter {number}; quarters are Q1 to Q4"
    if kind == "year" and number != 1:
        return "a year is one period"
    if kind == "week":
        weeks = iso_weeks_in(year)
        if not 1 <= number <= weeks:
            return f"there is no ISO week {number}; {year} has weeks W01 to W{weeks}"
    return None


def _out_of_range(label: str) -> BriefingError:
    return BriefingError(
        f"period {label!r} is outside the years briefing handles ({FIRST_YEAR} to {LAST_YEAR})",
        hint="use a period of a year with data, e.g. --period 2026-10",
    )
