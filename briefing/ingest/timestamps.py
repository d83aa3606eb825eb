"""Ingest stage: export timestamps -> canonical UTC instants, each bad one with its reason.

Every reader's times pass through here, as text (`parse_timestamps`) or as an
Arrow timestamp column (`arrow_timestamps`), and come back as `Stamps`: the
UTC values and, for each value that cannot be used, why. Times with an offset
are exact. Times without one are read in the source's (else the config's)
zone; where that zone's clocks change:

- the hour repeated when summer time ends is read in file order: the first
  row at a given local time is the summer-time one, the next the standard-time
  one (per group, e.g. per service, so per-minute data of that hour is kept);
- the hour skipped when summer time starts does not exist: such rows are
  rejected, saying so.

Instants outside the years 1678 to 2261 (the range of the canonical
nanosecond timestamps) are rejected rows, never a crash.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from briefing.errors import BriefingError, Location
from briefing.ingest.rows import RowChecks

UTC_NS = "datetime64[ns, UTC]"
FIRST_YEAR, LAST_YEAR = 1678, 2261
LOWEST = pd.Timestamp(f"{FIRST_YEAR}-01-01", tz="UTC")  # the first instant read
HIGHEST = pd.Timestamp(f"{LAST_YEAR + 1}-01-01", tz="UTC")  # the first instant refused after it
_LOW, _HIGH = LOWEST.tz_localize(None), HIGHEST.tz_localize(None)
_HAS_OFFSET = re.compile(r"(?:[zZ]|[+-]\d{2}(?::?\d{2})?)$")
# seconds, milli-, micro-, nanoseconds from 1970 that still fit in int64 nanoseconds
_FITS = {"s": 9_223_372_035, "ms": 9_223_372_035_000, "us": 9_223_372_035_000_000}


@dataclass(frozen=True)
class Stamps:
    """Parsed timestamps of one column; NaT wherever a row has no usable time."""

    values: pd.Series  # datetime64[ns, UTC]
    written: Callable[[int], str]  # row i as the export wrote it, for messages
    empty: np.ndarray
    unparseable: np.ndarray
    out_of_range: np.ndarray
    skipped: np.ndarray  # local times in the hour the clocks skip
    repeated: int  # rows read in the repeated hour, in file order
    timezone: str | None

    def reject_into(self, checks: RowChecks, column: str, unparseable: str) -> None:
        """Record this column's problems (empty cells are left to the caller)."""
        written = self.written
        checks.reject(self.unparseable, column, unparseable)
        checks.reject(
            self.out_of_range,
            column,
            lambda i: (
                f"{column} {written(i)} is outside the years {FIRST_YEAR} to {LAST_YEAR} "
                "that briefing reads: check the year"
            ),
        )
        checks.reject(
            self.skipped,
            column,
            lambda i: (
                f"{column} {written(i)} does not exist in {self.timezone}: the clocks skip that "
                "hour when summer time starts; write the time with its offset, or in UTC"
            ),
        )

    def repeated_note(self, column: str) -> list[str]:
        if not self.repeated:
            return []
        return [
            f"{self.repeated:,} {column} value(s) fall in the hour repeated when summer time ends "
            f"in {self.timezone}: read in file order, the first row at each local time as summer "
            "time and the next as standard time"
        ]


def parse_timestamps(
    values: pd.Series,
    *,
    where: Location,
    lines: np.ndarray,
    column: str,
    timezone: str | None,
    fmt: str | None = None,
    groups: pd.Series | None = None,
) -> Stamps:
    """Text timestamps (ISO 8601, or `fmt`) -> `Stamps`.

    Empty cells are `empty`, not unparseable. Without a zone for times that have
    no offset the whole file is refused, since guessing would shift every figure.
    `groups` (e.g. the service of each row) orders the repeated autumn hour.
    """
    text = values.astype("string").str.strip().reset_index(drop=True)
    n = len(text)
    empty = (text.isna() | (text == "")).fillna(True).to_numpy(dtype=bool)
    instants = pd.Series(pd.NaT, index=text.index, dtype="datetime64[us]")
    local = pd.Series(pd.NaT, index=text.index, dtype="datetime64[us]")
    if fmt is not None:
        parsed = _to_datetime(text.where(~empty), fmt=fmt)
        if isinstance(parsed.dtype, pd.DatetimeTZDtype):
            instants = _naive_utc(parsed)
            naive = np.zeros(n, dtype=bool)
        else:
            local = parsed.astype("datetime64[us]")
            naive = ~empty
    else:
        has_offset = text.str.contains(_HAS_OFFSET, na=False).to_numpy(dtype=bool)
        aware = ~empty & has_offset
        naive = ~empty & ~has_offset
        if aware.any():
            instants[aware] = _naive_utc(_to_datetime(text[aware], utc=True))
        if naive.any():
            local[naive] = _to_datetime(text[naive]).astype("datetime64[us]")
    parsed_any = np.where(naive, local.notna().to_numpy(), instants.notna().to_numpy())
    filled = text.fillna("")
    return _finish(
        instants,
        local,
        naive & parsed_any,
        written=lambda i: str(filled.iloc[i]),
        empty=empty,
        unparseable=~empty & ~parsed_any,
        where=where,
        lines=lines,
        column=column,
        timezone=timezone,
        groups=groups,
    )


def arrow_timestamps(
    col: pa.ChunkedArray | pa.Array,
    *,
    where: Location,
    lines: np.ndarray,
    column: str,
    timezone: str | None,
    groups: pd.Series | None = None,
) -> Stamps:
    """An Arrow timestamp column of any unit, with or without a zone -> `Stamps`."""
    if isinstance(col, pa.ChunkedArray):
        col = col.combine_chunks() if col.num_chunks else pa.array([], col.type)
    unit = col.type.unit
    n = len(col)
    raw = pc.fill_null(pc.cast(col, pa.int64()), 0).to_numpy(zero_copy_only=False)
    valid = col.is_valid().to_numpy(zero_copy_only=False).astype(bool)
    limit = _FITS.get(unit)
    far = valid & (np.abs(raw) > limit) if limit is not None else np.zeros(n, dtype=bool)
    scale = {"s": 10**9, "ms": 10**6, "us": 10**3, "ns": 1}[unit]
    nanos = np.where(valid & ~far, raw, 0) * scale
    stamps = pd.Series(nanos.view("datetime64[ns]")).where(valid & ~far)
    naive = np.full(n, col.type.tz is None) & valid & ~far

    def written(i: int) -> str:
        try:
            return str(col[i].as_py())
        except (ValueError, OverflowError):
            return f"{raw[i]} {unit} from 1970"

    return _finish(
        stamps.where(~naive),
        stamps.where(naive),
        naive,
        written=written,
        empty=~valid,
        unparseable=np.zeros(n, dtype=bool),
        where=where,
        lines=lines,
        column=column,
        timezone=timezone,
        groups=groups,
        far=far,
    )


def _to_datetime(text: pd.Series, *, fmt: str | None = None, utc: bool = False) -> pd.Series:
    parsed: pd.Series = pd.to_datetime(text, format=fmt or "ISO8601", utc=utc, errors="coerce")
    return parsed


def _naive_utc(aware: pd.Series) -> pd.Series:
    naive: pd.Series = aware.dt.tz_convert("UTC").dt.tz_localize(None)
    return naive.astype("datetime64[us]")


def _finish(
    instants: pd.Series,
    local: pd.Series,
    naive: np.ndarray,
    *,
    written: Callable[[int], str],
    empty: np.ndarray,
    unparseable: np.ndarray,
    where: Location,
    lines: np.ndarray,
    column: str,
    timezone: str | None,
    groups: pd.Series | None,
    far: np.ndarray | None = None,
) -> Stamps:
    """Range-check UTC `instants` and local times (`local` where `naive`), localize the latter."""
    n = len(empty)
    out_of_range = np.zeros(n, dtype=bool) if far is None else far.copy()
    for series in (instants, local):
        beyond = ((series < _LOW) | (series >= _HIGH)).fillna(False).to_numpy(dtype=bool)
        out_of_range |= beyond & series.notna().to_numpy()
    utc_values = np.full(n, np.datetime64("NaT"), dtype="datetime64[ns]")
    exact = ~naive & instants.notna().to_numpy() & ~out_of_range
    if exact.any():
        utc_values[exact] = instants[exact].astype("datetime64[ns]").to_numpy()
    to_localize = naive & ~out_of_range
    skipped = np.zeros(n, dtype=bool)
    repeated = 0
    if to_localize.any():
        if timezone is None:
            first = int(np.flatnonzero(to_localize)[0])
            raise BriefingError(
                f"timestamp {written(first)!r} in column {column!r} has no time zone",
                where=Location(where.path, int(lines[first]), column),
                hint="write timestamps with an offset (e.g. 2026-10-01T00:00:00Z), "
                "or set timezone: in briefing.yaml (or on this source) to say which zone they are in",
            )
        keys = None if groups is None else groups.reset_index(drop=True)[to_localize]
        utc, gap, fold = localize(local[to_localize].astype("datetime64[ns]"), timezone, keys)
        utc_values[to_localize] = utc.dt.tz_localize(None).to_numpy()
        skipped[np.flatnonzero(to_localize)[gap]] = True
        repeated = int(fold.sum())
    return Stamps(
        values=pd.Series(utc_values).dt.tz_localize("UTC"),
        written=written,
        empty=empty,
        unparseable=unparseable & ~out_of_range,
        out_of_range=out_of_range,
        skipped=skipped,
        repeated=repeated,
        timezone=timezone,
    )


def localize(
    local: pd.Series, timezone: str, groups: pd.Series | None = None
) -> tuple[pd.Series, np.ndarray, np.ndarray]:
    """Local wall-clock times -> UTC, with the masks of skipped and repeated-hour times.

    Skipped times are NaT. A repeated time is summer time at its first
    occurrence in order (within its group) and standard time after.
    """
    local = local.reset_index(drop=True)
    n = len(local)
    summer = local.dt.tz_localize(timezone, ambiguous=np.ones(n, dtype=bool), nonexistent="NaT")
    winter = local.dt.tz_localize(timezone, ambiguous=np.zeros(n, dtype=bool), nonexistent="NaT")
    gap = (summer.isna() | winter.isna()).to_numpy(dtype=bool) & local.notna().to_numpy()
    fold = (summer != winter).fillna(False).to_numpy(dtype=bool) & ~gap
    first = np.zeros(n, dtype=bool)
    if fold.any():
        keys = (
            pd.Series([""] * n, dtype="string")
            if groups is None
            else groups.reset_index(drop=True).astype("string").fillna("")
        )
        frame = pd.DataFrame({"group": keys, "local": local})[fold]
        occurrence = frame.groupby(["group", "local"], sort=False).cumcount().to_numpy()
        first[np.flatnonzero(fold)] = occurrence == 0
    chosen = winter.where(~first, summer)
    return chosen.dt.tz_convert("UTC").astype(UTC_NS), gap, fold
