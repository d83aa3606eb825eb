"""Render stage: the formatting functions templates use (see `briefing.formatting`)."""

from briefing.formatting import (
    MINUS,
    Change,
    change,
    day,
    format_value,
    minutes,
    moment,
    money,
    money_compact,
    number,
    objective,
    percent,
    period_name,
    reliability,
)

__all__ = [
    "MINUS",
    "Change",
    "change",
    "day",
    "format_value",
    "minutes",
    "moment",
    "money",
    "money_compact",
    "number",
    "objective",
    "percent",
    "period_name",
    "reliability",
]
