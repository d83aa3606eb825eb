"""Translate stage: calibrated risk register entries as YAML, with what stands behind each.

`briefing risks calibrate` prints this: the numbers come from
`compute.calibrate`; the comments and warnings are worded here.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from briefing.compute.calibrate import Fit, FitWarning


def warning_text(warning: FitWarning) -> str:
    """A calibration warning in words."""
    match warning.kind:
        case "few_incidents":
            return (
                f"only {_count(warning.count, 'incident')} behind this fit: too few to trust "
                f"(fewer than {warning.threshold}); treat the figures as a first guess"
            )
        case "some_undetected":
            return (
                f"{_count(warning.count, 'incident')} {_has(warning.count)} no detection time: "
                "left out of the times to notice and fix"
            )
        case "none_detected":
            return "no incident has a detection time: set ettd_minutes and ettr_minutes by hand"


def title(fit: Fit) -> str:
    """ "Online checkout: incidents like those of the history" (with the category, if any)."""
    label = fit.service_name + (f": {fit.category}" if fit.category else "")
    return f"{label}: incidents like those of the history"


def render_register(fits: Sequence[Fit], *, history: str) -> str:
    """YAML risk register entries, with comments saying what stands behind each."""
    lines = [
        "# Risk register entries calibrated from the incident history:",
        f"# {history}.",
        "# Time to notice and time to fix: the middle value and the range that holds",
        "# 9 in 10 incidents; days between incidents: the history's length divided by",
        "# the number of incidents, with its 90% range. Review the titles and figures,",
        "# then copy the entries into the risk register.",
        "risks:",
    ]
    if not fits:
        lines[-1] = "risks: []"
    for fit in fits:
        lines.append(
            f"  # {_count(fit.incidents, 'incident')} behind this entry "
            f"({fit.timed} with a detection time)"
        )
        lines.extend(f"  # WARNING: {warning_text(warning)}" for warning in fit.warnings)
        prefix = "  # " if fit.ettd_minutes is None else "  "
        entry = [
            f"- id: {json.dumps(fit.id)}",
            f"  title: {json.dumps(title(fit))}",
            f"  service: {json.dumps(fit.service)}",
        ]
        if fit.ettd_minutes is not None and fit.ettr_minutes is not None:
            entry.append(f"  ettd_minutes: {_number(fit.ettd_minutes)}")
            if fit.ettd_minutes_90:
                entry.append(f"  ettd_minutes_90: {_pair(fit.ettd_minutes_90)}")
            entry.append(f"  ettr_minutes: {_number(fit.ettr_minutes)}")
            if fit.ettr_minutes_90:
                entry.append(f"  ettr_minutes_90: {_pair(fit.ettr_minutes_90)}")
        entry.append(f"  impact: {_number(fit.impact, digits=3)}")
        entry.append(f"  ettf_days: {_number(fit.ettf_days)}")
        entry.append(f"  ettf_days_90: {_pair(fit.ettf_days_90)}")
        lines.extend(prefix + text for text in entry)
    return "\n".join(lines) + "\n"


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" + ("" if n == 1 else "s")


def _has(n: int) -> str:
    return "has" if n == 1 else "have"


def _number(value: float, digits: int = 2) -> str:
    """A YAML number rounded for reading, never to zero (a range's low end must stay above 0)."""
    rounded = round(value, digits) if abs(value) < 100 else round(value, 1)
    if value > 0 and rounded <= 0:
        rounded = float(f"{value:.2g}")
    return repr(float(rounded))


def _pair(pair: tuple[float, float]) -> str:
    return f"[{_number(pair[0])}, {_number(pair[1])}]"
