"""Ingest stage: row-level checks shared by every reader.

`RowChecks` records, for each rejected row, its physical line, the column and
the reason (first failing check wins), so every file reconciles as
`rows_read == rows_used + rows_rejected` (timestamps are read in
`briefing.ingest.timestamps`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
import pandas as pd

from briefing.ingest.tables import MAX_LISTED_REJECTIONS
from briefing.model import FileQuality, Rejection


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


def source_timezone(
    entry_options: dict[str, object] | object, config_timezone: str, set_: bool
) -> str | None:
    """The zone naive timestamps of a source are read in: the source's, else the config's if set."""
    options = entry_options if isinstance(entry_options, dict) else {}
    tz = options.get("timezone")
    if isinstance(tz, str):
        return tz
    return config_timezone if set_ else None
