"""Translate stage: the briefing's voice: glossary phrases and figures in the config's locale.

`Words` prints a technical idea through the glossary's `say_instead` and
remembers the term for "Words we use"; `Voice` adds the figures (money,
percentages, days, counts), always through `briefing.formatting`, so no
sentence formats a number itself.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from briefing import formatting
from briefing.config import Config
from briefing.model import Period, Term
from briefing.translate.glossary import Glossary


@dataclass(frozen=True, slots=True)
class PeriodWords:
    """How the pages speak of the period's kind: "the quarter's allowance", "quarterly",
    and the steps of its burn-down (a year's is drawn a week at a time)."""

    noun: str
    adjective: str
    steps: str = "day by day"


PERIOD_WORDS = {
    "month": PeriodWords("month", "monthly"),
    "quarter": PeriodWords("quarter", "quarterly"),
    "year": PeriodWords("year", "yearly", "week by week"),
    "week": PeriodWords("week", "weekly"),
}


def period_words(label: str) -> PeriodWords:
    """The words for the kind of the period labelled `label` (2026-Q3 -> quarter)."""
    return PERIOD_WORDS[Period.parse(label).kind]


class Words:
    """Glossary phrases, remembering which terms a briefing used."""

    def __init__(self, glossary: Glossary) -> None:
        self.glossary = glossary
        self.used: dict[str, Term] = {}

    def say(self, term: str) -> str:
        entry = self.glossary.lookup(term)
        if entry is None:
            return term
        self.used.setdefault(
            entry.term,
            Term(
                entry.term,
                entry.say_instead,
                entry.definition,
                entry.metaphor,
                entry.why_it_matters,
            ),
        )
        return entry.say_instead


class Voice:
    """Words plus the figures of one briefing, in its locale, currency and time zone."""

    def __init__(self, words: Words, config: Config, period: Period) -> None:
        self.words = words
        self.config = config
        self.period = period
        self.locale = config.locale
        self.currency = config.currency
        self.timezone = config.timezone
        self.names = {s.id: s.name for s in config.services}
        self.noun = PERIOD_WORDS[period.kind].noun  # month, quarter, year, week

    def say(self, term: str) -> str:
        return self.words.say(term)

    def name(self, service: str | None) -> str:
        return self.names.get(service or "", service or "")

    def money(self, amount: float | None) -> str:
        return formatting.money(amount, self.currency, self.locale)

    def whole_money(self, amount: int) -> str:
        """An amount already rounded to whole units (a part of a printed sum)."""
        return formatting.money(float(amount), self.currency, self.locale, whole=True)

    def percent(self, fraction: float | None, digits: int = 0) -> str:
        return formatting.percent(fraction, self.locale, digits=digits)

    def number(self, value: float | None, digits: int = 0) -> str:
        return formatting.number(value, self.locale, digits=digits)

    def minutes(self, value: float | None) -> str:
        return formatting.minutes(value)

    def day(self, value: str | date | None) -> str:
        return formatting.day(value, self.locale, self.timezone)

    def day_month(self, value: str | date) -> str:
        return formatting.day_month(value, self.locale)

    def month(self, period: Period | None = None) -> str:
        """The period's name: "October 2026", "Q3 2026", "week 5 of 2026"."""
        return formatting.period_name((period or self.period).label, self.locale)

    def count(self, n: int, noun: str, plural: str | None = None) -> str:
        """ "1 disruption", "3 disruptions" (the count in the locale's digits)."""
        word = noun if n == 1 else (plural or noun + "s")
        return f"{self.number(n)} {word}"


def join(items: Sequence[str]) -> str:
    """ "a", "a and b", "a, b and c"."""
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def capital(text: str) -> str:
    return text[:1].upper() + text[1:]
