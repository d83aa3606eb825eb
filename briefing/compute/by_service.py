"""Compute stage: the `sli` table split into one table per service.

A table already ordered by service (the DuckDB source hands it so) splits into
slices without a copy; otherwise the rows are put in service order once.
"""

from __future__ import annotations

import numpy as np
import pandas as pd


def split_by_service(sli: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """Each service's rows, in the table's order within the service."""
    if sli.empty:
        return {}
    codes, names = pd.factorize(sli["service"], use_na_sentinel=True)
    if len(codes) > 1 and not bool((codes[1:] >= codes[:-1]).all()):
        order = np.argsort(codes, kind="stable")
        sli, codes = sli.take(order), codes[order]
    starts = np.flatnonzero(np.r_[True, codes[1:] != codes[:-1]])
    ends = np.r_[starts[1:], len(codes)]
    return {
        str(names[codes[a]]): sli.iloc[a:b]
        for a, b in zip(starts, ends, strict=True)
        if codes[a] >= 0
    }
