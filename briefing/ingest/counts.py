"""Ingest stage: event counts of an export -> whole int64 numbers, each bad one with its reason.

Counts arrive as integers of any width (uint64 included), floats, decimals or
text. A count is used only if it is a whole number from 0 to `MAX_COUNT`; an
empty, unreadable, NaN, infinite, fractional, negative or absurdly large value
rejects its row saying which. The cap, with `check_total`, keeps every sum the
briefing takes (per bucket, per month, across sources) far from the int64
limit, so no count can wrap around silently.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from briefing.errors import BriefingError, Location
from briefing.ingest.rows import RowChecks

MAX_COUNT = 10**15  # events in one row: far beyond any real bucket, far below int64's 9.2e18
MAX_TOTAL = 2**62  # all events of one table: sums stay exact and in range
_NAN_WORDS = frozenset({"nan", "+nan", "-nan"})

Reason = str | Callable[[int], str]


@dataclass(frozen=True)
class Counts:
    """One count column: int64 values (0 where unusable) and the rows that cannot be used."""

    values: np.ndarray
    problems: tuple[tuple[np.ndarray, Reason], ...]
    empty: np.ndarray  # no value at all in the row

    def reject_into(self, checks: RowChecks, column: str) -> None:
        for mask, reason in self.problems:
            checks.reject(mask, column, reason)

    @property
    def usable(self) -> np.ndarray:
        bad = np.zeros(len(self.values), dtype=bool)
        for mask, _ in self.problems:
            bad |= mask
        return ~bad


def read_counts(col: pa.Array | pa.ChunkedArray, name: str, where: Location) -> Counts:
    """Check every value of a count column; `name` is the column as messages call it."""
    if isinstance(col, pa.ChunkedArray):
        col = col.combine_chunks() if col.num_chunks else pa.array([], col.type)
    kind = col.type
    if pa.types.is_dictionary(kind):
        col, kind = col.cast(kind.value_type), kind.value_type
    empty = ~col.is_valid().to_numpy(zero_copy_only=False).astype(bool)
    if pa.types.is_integer(kind):
        return _integers(col, name, empty)
    if pa.types.is_floating(kind) or pa.types.is_decimal(kind):
        numbers = pc.cast(col, pa.float64()).to_numpy(zero_copy_only=False)
        return _numbers(np.asarray(numbers, dtype=np.float64), name, empty, [])
    text = _as_text(col, name, where)
    stripped = text.str.strip()
    empty = empty | (stripped == "").fillna(True).to_numpy(dtype=bool)
    numbers = to_floats(stripped.where(~empty))
    nan_text = stripped.str.lower().isin(_NAN_WORDS).fillna(False).to_numpy(dtype=bool)
    unreadable = ~empty & np.isnan(numbers) & ~nan_text
    problems: list[tuple[np.ndarray, Reason]] = [
        (unreadable, lambda i: f"{name} {str(stripped.iloc[i])[:40]!r} is not a number")
    ]
    return _numbers(np.where(nan_text, np.nan, numbers), name, empty | unreadable, problems)


def to_floats(text: pd.Series) -> np.ndarray:
    """Text -> float64 (NaN where it is not a number), whatever width the numbers have."""
    parsed = pd.to_numeric(text, errors="coerce")
    return np.asarray(parsed.astype("Float64").astype("float64"), dtype=np.float64)


def _as_text(col: pa.Array, name: str, where: Location) -> pd.Series:
    try:
        text = col.cast(pa.string())
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        raise BriefingError(
            f"column {name!r} holds {col.type} values, not counts",
            where=Location(where.path, None, name),
            hint="write whole numbers (an integer column) for good and total",
        ) from None
    return pd.Series(text.to_pandas(), dtype="string")


def _integers(col: pa.Array, name: str, empty: np.ndarray) -> Counts:
    big = pc.fill_null(pc.greater(col, pa.scalar(MAX_COUNT, pa.uint64())), False)
    negative = (
        pc.fill_null(pc.less(col, 0), False) if pa.types.is_signed_integer(col.type) else None
    )
    unusable = big if negative is None else pc.or_(big, negative)
    clean = pc.if_else(pc.or_(unusable, pa.array(empty)), pa.scalar(0, col.type), col)
    values = pc.cast(clean, pa.int64()).to_numpy(zero_copy_only=False).astype(np.int64)
    big_np = big.to_numpy(zero_copy_only=False).astype(bool)
    problems: list[tuple[np.ndarray, Reason]] = [(empty, f"{name} is empty")]
    if negative is not None:
        problems.append(
            (negative.to_numpy(zero_copy_only=False).astype(bool), f"{name} is negative")
        )
    problems.append((big_np, lambda i: _too_large(name, col[i].as_py())))
    return Counts(values, tuple(problems), empty)


def _numbers(
    numbers: np.ndarray, name: str, empty: np.ndarray, problems: list[tuple[np.ndarray, Reason]]
) -> Counts:
    earlier = _any(problems, len(numbers))
    nan = np.isnan(numbers) & ~empty
    infinite = np.isinf(numbers)
    finite = np.isfinite(numbers) & ~empty
    safe = np.where(finite, numbers, 0.0)
    negative = finite & (safe < 0)
    big = finite & (safe > MAX_COUNT)
    fraction = finite & ~negative & ~big & (safe != np.round(safe))
    checks: list[tuple[np.ndarray, Reason]] = [
        (empty & ~earlier, f"{name} is empty"),
        *problems,
        (nan, f"{name} is NaN (not a number), not a count"),
        (infinite, f"{name} is infinite, not a count"),
        (negative, f"{name} is negative"),
        (big, lambda i: _too_large(name, numbers[i])),
        (fraction, lambda i: f"{name} {numbers[i]:g} is not a whole number"),
    ]
    ok = finite & ~negative & ~big & ~fraction
    values = np.where(ok, safe, 0.0).astype(np.int64)
    return Counts(values, tuple(checks), empty & ~earlier)


def _any(problems: list[tuple[np.ndarray, Reason]], n: int) -> np.ndarray:
    found = np.zeros(n, dtype=bool)
    for mask, _ in problems:
        found |= mask
    return found


def _too_large(name: str, value: object) -> str:
    shown = f"{value:,}" if isinstance(value, int) else f"{value:g}"
    return (
        f"{name} {shown} is more than {MAX_COUNT:,} events in one row: "
        "not a count briefing accepts (a unit or export mistake?)"
    )


def check_total(total: np.ndarray | pd.Series, where: Location, what: str) -> None:
    """Refuse a table whose counts add up beyond what sums of int64 can hold exactly."""
    grand = float(np.sum(np.asarray(total, dtype=np.float64)))
    if grand > MAX_TOTAL:
        raise BriefingError(
            f"{what} add up to {grand:.3g} events, more than the {MAX_TOTAL:.3g} "
            "briefing can add up exactly",
            where=where,
            hint="check the export's units, and that the same counts are not listed twice",
        )
