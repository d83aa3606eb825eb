"""Ingest stage: row-level checks shared by every reader.

`RowChecks` records, for each rejected row, its physical line, the column and
the reason (first failing check wins), so every file reconciles as
`rows_read == rows_used + rows_rejected`. `parse_timestamps` turns export text
into tz-aware UTC timestamps, refusing naive ones unless a time zone is set.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

import numpy as np
import pandas as pd

from briefing.errors import BriefingError, Location
from briefing.ingest.tables import MAX_LISTED_REJECTIONS
from briefing.model import FileQuality, Rejection

_HAS_OFFSET = re.compile(r"(?:[zZ]|[+-]\d{2}(?::?\d{2})?)$")


class RowChecks:
    """Collects rejections for a table whose rows came from known physical lines."""

    def __init__(self, lines: Sequence[int] | np.ndarray) -> None:
        self.lines = np.asarray(lines, dtype=np.int64)
        self.rejected = np.zeros(len(self.lines), dtype=bool)
        self._records: list[Rejection] = []
        self._unlisted = 0

    def reject(
        self,
        mask: np.ndarray | pd.Series,
        column: str | None,
        reason: str | Callable[[int], str],
    ) -> None:
        """Reject the rows in `mask` not already rejected; `reason` may depend on the row."""
        mask_array = np.asarray(mask, dtype=bool)
        new = mask_array & ~self.rejected
        self.rejected |= new
        for position in np.flatnonzero(new):
            if len(self._records) >= MAX_LISTED_REJECTIONS:
                self._unlisted += 1
                continue
            text = reason(int(position)) if callable(reason) else reason
            self._records.append(Rejection(int(self.lines[position]), column, text))

    @property
    def kept(self) -> np.ndarray:
        return ~self.rejected

    def quality(self, path: str, fmt: str, *, notes: Sequence[str] = ()) -> FileQuality:
        records = sorted(self._records, key=lambda r: (r.line or 0, r.column or ""))
        if self._unlisted:
            records.append(
                Rejection(None, None, f"... and {self._unlisted:,} more rejected rows not listed")
            )
        rows_read = len(self.lines)
        rows_rejected = int(self.rejected.sum())
        return FileQuality(
            path=path,
            format=fmt,
            rows_read=rows_read,
            rows_used=rows_read - rows_rejected,
            rows_rejected=rows_rejected,
            rejections=tuple(records),
            notes=tuple(notes),
        )


def parse_timestamps(
    values: pd.Series,
    *,
    where: Location,
    lines: np.ndarray,
    column: str,
    timezone: str | None,
    fmt: str | None = None,
) -> tuple[pd.Series, np.ndarray]:
    """Parse text timestamps to UTC; return (timestamps, unparseable mask).

    Empty cells become NaT and are not counted as unparseable. A timestamp with
    no offset is read in `timezone`; with no timezone it is an error for the
    whole file, since guessing would shift every figure.
    """
    text = values.astype("string").str.strip()
    empty = (text.isna() | (text == "")).to_numpy()
    result = pd.Series(pd.NaT, index=values.index, dtype="datetime64[ns, UTC]")
    if fmt is not None:
        parsed = pd.to_datetime(text.where(~empty), format=fmt, errors="coerce")
        if getattr(parsed.dt, "tz", None) is None:
            parsed = _localize(parsed, timezone, where, lines, column, text, empty)
        result = parsed.dt.tz_convert("UTC").astype("datetime64[ns, UTC]")
    else:
        has_offset = text.str.contains(_HAS_OFFSET, na=False).to_numpy()
        aware = ~empty & has_offset
        naive = ~empty & ~has_offset
        if aware.any():
            parsed = pd.to_datetime(text[aware], format="ISO8601", utc=True, errors="coerce")
            result[aware] = parsed.astype("datetime64[ns, UTC]")
        if naive.any():
            local = pd.to_datetime(text[naive], format="ISO8601", errors="coerce")
            local = _localize(local, timezone, where, lines[naive], column, text[naive], None)
            result[naive] = local.dt.tz_convert("UTC").astype("datetime64[ns, UTC]")
    bad = result.isna().to_numpy() & ~empty
    return result, bad


def _localize(
    parsed: pd.Series,
    timezone: str | None,
    where: Location,
    lines: np.ndarray,
    column: str,
    text: pd.Series,
    empty: np.ndarray | None,
) -> pd.Series:
    valid = parsed.notna().to_numpy()
    if timezone is None:
        if not valid.any():  # nothing parsed: those rows are rejected as unparseable
            return pd.Series(pd.NaT, index=parsed.index, dtype="datetime64[ns, UTC]")
        first = int(np.flatnonzero(valid)[0])
        raise BriefingError(
            f"timestamp {text.iloc[first]!r} in column {column!r} has no time zone",
            where=Location(where.path, int(lines[first]), column),
            hint="write timestamps with an offset (e.g. 2026-10-01T00:00:00Z), "
            "or set timezone: in briefing.yaml (or on this source) to say which zone they are in",
        )
    localized: pd.Series = parsed.dt.tz_localize(timezone, ambiguous="NaT", nonexistent="NaT")
    return localized


def source_timezone(
    entry_options: dict[str, object] | object, config_timezone: str, set_: bool
) -> str | None:
    """The zone naive timestamps of a source are read in: the source's, else the config's if set."""
    options = entry_options if isinstance(entry_options, dict) else {}
    tz = options.get("timezone")
    if isinstance(tz, str):
        return tz
    return config_timezone if set_ else None
