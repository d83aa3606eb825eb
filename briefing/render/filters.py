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
    month_label,
    number,
    objective,
    percent,
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
    "month_label",
    "number",
    "objective",
    "percent",
    "reliability",
]
