"""The `sli` table split per service: the same rows whether or not the table is in service order."""

from __future__ import annotations

import pandas as pd

from briefing.compute.by_service import split_by_service
from briefing.ingest.tables import conform


def table(rows: list[tuple[str, str, int, int]]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=["service", "timestamp", "good", "total"])
    return conform(frame, "sli")


def test_rows_in_service_order_are_sliced_as_they_are() -> None:
    sli = table(
        [
            ("a", "2026-10-01T00:00Z", 1, 2),
            ("a", "2026-10-01T00:01Z", 3, 4),
            ("b", "2026-10-01T00:00Z", 5, 6),
        ]
    )
    parts = split_by_service(sli)
    assert list(parts) == ["a", "b"]
    assert parts["a"]["good"].tolist() == [1, 3]
    assert parts["b"]["total"].tolist() == [6]


def test_interleaved_rows_keep_their_order_within_each_service() -> None:
    sli = table(
        [
            ("b", "2026-10-01T00:02Z", 5, 6),
            ("a", "2026-10-01T00:01Z", 3, 4),
            ("b", "2026-10-01T00:00Z", 7, 8),
            ("a", "2026-10-01T00:00Z", 1, 2),
        ]
    )
    parts = split_by_service(sli)
    assert sorted(parts) == ["a", "b"]
    assert parts["a"]["good"].tolist() == [3, 1]  # rows 2 and 4, in table order
    assert parts["b"]["good"].tolist() == [5, 7]
    assert sum(len(p) for p in parts.values()) == 4


def test_an_empty_table_has_no_service() -> None:
    assert split_by_service(table([])) == {}
