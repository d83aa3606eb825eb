"""Ingest stage: the canonical tables handed to compute, declared once.

Every reader returns one of these tables plus a `FileQuality`; `check_table`
enforces columns and dtypes at the boundary so compute can trust them.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, cast

import pandas as pd
from pandas.api.types import pandas_dtype

UTC_NS = "datetime64[ns, UTC]"

SLI_COLUMNS: dict[str, str] = {
    "service": "string",
    "timestamp": UTC_NS,
    "good": "int64",
    "total": "int64",
}
INCIDENT_COLUMNS: dict[str, str] = {
    "id": "string",
    "service": "string",
    "title": "string",
    "severity": "string",
    "started_at": UTC_NS,
    "detected_at": UTC_NS,  # NaT: unknown; kept, left out of medians
    "resolved_at": UTC_NS,
    "impact": "float64",  # 0..1 share of users affected
    "category": "string",  # optional grouping (e.g. cause); <NA> when the export has none
    "risk": "string",  # optional id of the registered risk it matches; <NA> when not given
}
RISK_COLUMNS: dict[str, str] = {
    "id": "string",
    "title": "string",
    "service": "string",
    "ettd_minutes": "float64",
    "ettr_minutes": "float64",
    "impact": "float64",
    "ettf_days": "float64",
    # optional 90% intervals (NaN when absent)
    "ettd_lo": "float64",
    "ettd_hi": "float64",
    "ettr_lo": "float64",
    "ettr_hi": "float64",
    "ettf_lo": "float64",
    "ettf_hi": "float64",
    "impact_lo": "float64",
    "impact_hi": "float64",
    # optional values before mitigation (NaN: equal to the current value)
    "before_ettd_minutes": "float64",
    "before_ettr_minutes": "float64",
    "before_impact": "float64",
    "before_ettf_days": "float64",
    "owner": "string",
}
CONTROL_COLUMNS: dict[str, str] = {
    "date": UTC_NS,
    "service": "string",
    "control": "string",
    "events": "int64",
    "risk": "string",
    "probability": "float64",  # NaN: unknown, claims nothing
}

TABLES: dict[str, dict[str, str]] = {
    "sli": SLI_COLUMNS,
    "incidents": INCIDENT_COLUMNS,
    "risks": RISK_COLUMNS,
    "controls": CONTROL_COLUMNS,
}

# Cap on listed rejections per file; rows_rejected always counts every row.
MAX_LISTED_REJECTIONS = 1000


def empty_table(name: str) -> pd.DataFrame:
    """An empty canonical table with the right columns and dtypes."""
    columns = TABLES[name]
    return pd.DataFrame({col: pd.Series(dtype=dtype) for col, dtype in columns.items()})


def conform(frame: pd.DataFrame, name: str) -> pd.DataFrame:
    """Add missing optional columns, order and cast columns to the canonical dtypes."""
    columns = TABLES[name]
    out = {}
    for col, dtype in columns.items():
        if col in frame.columns:
            series = frame[col]
        else:
            series = pd.Series([pd.NA] * len(frame), index=frame.index, dtype="object")
        if str(series.dtype) == dtype:
            pass  # already canonical: no copy (a metrics table may hold tens of millions of rows)
        elif dtype == UTC_NS:
            series = pd.to_datetime(series, utc=True).astype(pandas_dtype(UTC_NS))
        elif dtype == "float64":
            series = pd.to_numeric(series, errors="raise").astype("float64")
        else:
            series = series.astype(pandas_dtype(dtype))
        out[col] = series
    result = pd.DataFrame(out, copy=False)
    index = result.index
    if not (isinstance(index, pd.RangeIndex) and index.start == 0 and index.step == 1):
        result = result.reset_index(drop=True)
    return result


def check_table(frame: pd.DataFrame, name: str) -> None:
    """Raise AssertionError (a bug, not bad input) when a reader broke the contract."""
    columns = TABLES[name]
    assert list(frame.columns) == list(columns), (name, list(frame.columns))
    for col, dtype in columns.items():
        assert str(frame[col].dtype) == dtype, (name, col, str(frame[col].dtype), dtype)


def concat_tables(frames: list[pd.DataFrame], name: str) -> pd.DataFrame:
    frames = [f for f in frames if len(f)]
    if not frames:
        return empty_table(name)
    if len(frames) == 1:
        return frames[0]  # already conformed by its reader: no copy of a large table
    return conform(pd.concat(frames, ignore_index=True), name)


# --------------------------------------------------------------------------- severities

_SEVERITY_WORDS = {
    "critical": "SEV1",
    "major": "SEV1",
    "high": "SEV2",
    "medium": "SEV3",
    "moderate": "SEV3",
    "low": "SEV4",
    "minor": "SEV4",
    "info": "SEV4",
    "highest": "SEV1",
    "lowest": "SEV4",
}
_SEVERITY_NUMBER = re.compile(r"^(?:sev|severity|p|priority)?[\s\-_]*([0-5])$", re.IGNORECASE)


def normalize_severity(value: object, severity_map: Mapping[str, str] | None = None) -> str | None:
    """Map an export's severity to SEV1..SEV4; None when it cannot be understood.

    A configured `severity_map` wins; then SEV1/Sev-1/P1/1 style numbers (P5 and 5
    count as SEV4, 0 as SEV1), then words (critical, high, medium, low).
    """
    if value is None or (isinstance(value, float) and value != value):
        return None
    text = str(value).strip()
    if not text:
        return None
    if severity_map:
        for key, mapped in severity_map.items():
            if str(key).strip().lower() == text.lower():
                return normalize_severity(mapped) or str(mapped)
    match = _SEVERITY_NUMBER.match(text)
    if match:
        number = int(match.group(1))
        return f"SEV{min(max(number, 1), 4)}"
    return _SEVERITY_WORDS.get(text.lower())


def records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """The rows of a canonical table as dicts keyed by column name, in table order."""
    return cast(list[dict[str, Any]], frame.to_dict("records"))
