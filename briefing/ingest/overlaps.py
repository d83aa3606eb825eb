"""Ingest stage: the same data from two sources is never counted twice.

Readers check one file each; this module looks across the sources of a kind:

- a metrics or controls file listed twice (`exports/sli.csv.gz` and
  `./exports/sli.csv.gz`) stops the build naming both entries;
- two metrics sources holding counts for the same service and bucket stop
  the build naming both (summing them would double every count);
- an incident id read from two sources is counted once when both give the
  same service and times (the later file says so in its notes), and rejected
  in the later file, naming the earlier, when they disagree.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from itertools import combinations
from pathlib import Path

import numpy as np
import pandas as pd

from briefing.config import SourceEntry
from briefing.errors import BriefingError
from briefing.ingest.context import Loaded
from briefing.model import FileQuality, Rejection


def refuse_files_listed_twice(entries: list[SourceEntry], kind: str) -> None:
    """The same file under two entries of `sources.<kind>` (however its path is written)."""
    seen: dict[Path, SourceEntry] = {}
    for entry in entries:
        if entry.path is None:
            continue
        key = entry.path.resolve()
        if key in seen:
            first = seen[key]
            raise BriefingError(
                f"sources.{kind}: {entry.display} is the file already listed at {first.location} "
                f"({first.display}): its rows would be counted twice",
                where=entry.location,
                hint="list each file once",
            )
        seen[key] = entry


def refuse_overlapping_metrics(parts: list[tuple[SourceEntry, Loaded]]) -> None:
    """Two metrics sources with counts for the same service and bucket: stop, naming both."""
    for (_, a), (entry_b, b) in combinations(parts, 2):
        left, right = a.table, b.table
        if left.empty or right.empty:
            continue
        common = set(left["service"].unique()) & set(right["service"].unique())
        if not common:
            continue
        keys = ["service", "timestamp"]
        both = left.loc[left["service"].isin(common), keys].merge(
            right.loc[right["service"].isin(common), keys], on=keys, how="inner"
        )
        if both.empty:
            continue
        services = sorted(str(s) for s in both["service"].unique())
        example = both.iloc[0]
        name_a, name_b = a.quality[0].path, b.quality[0].path
        raise BriefingError(
            f"sources.metrics: {name_a} and {name_b} both hold counts for "
            f"{', '.join(services)} at the same times ({len(both):,} bucket(s), e.g. "
            f"{example['service']} at {pd.Timestamp(example['timestamp']).isoformat()}): "
            "adding them up would count those requests twice",
            where=entry_b.location,
            hint="list each metrics export once; where two sources cover different services, "
            "give each its own (e.g. services: on a Prometheus source)",
        )


def count_incidents_once(parts: list[tuple[SourceEntry, Loaded]]) -> list[Loaded]:
    """Each incident id once across sources; the later copy dropped (same) or rejected (different)."""
    seen: dict[str, tuple[str, int | None, tuple[object, ...]]] = {}
    result: list[Loaded] = []
    for _entry, loaded in parts:
        table = loaded.table
        quality = loaded.quality[0]
        lines: tuple[int | None, ...] = loaded.lines or (None,) * len(table)
        drop = np.zeros(len(table), dtype=bool)
        same: Counter[str] = Counter()
        conflicts: list[Rejection] = []
        ids = table["id"].astype(str).tolist()
        signatures = list(
            zip(
                table["service"].astype(str),
                table["started_at"].astype(str),
                table["resolved_at"].astype(str),
                strict=True,
            )
        )
        for k, (incident, signature) in enumerate(zip(ids, signatures, strict=True)):
            if incident not in seen:
                seen[incident] = (quality.path, lines[k], signature)
                continue
            other, other_line, other_signature = seen[incident]
            drop[k] = True
            if signature == other_signature:
                same[other] += 1
                continue
            at = f"{other}:{other_line}" if other_line is not None else other
            conflicts.append(
                Rejection(
                    lines[k],
                    "id",
                    f"incident {incident!r} is also in {at} with another service or other "
                    "times: left out here; correct the export that is wrong",
                )
            )
        if not drop.any():
            result.append(loaded)
            continue
        notes = [
            f"{count} incident(s) also read from {other} (same id, service and times): counted once"
            for other, count in same.items()
        ]
        rejections = tuple(
            sorted((*quality.rejections, *conflicts), key=lambda r: (r.line or 0, r.column or ""))
        )
        fixed = _with_rejections(quality, rejections, len(conflicts), notes)
        kept = tuple(
            int(line)
            for line, gone in zip(lines, drop, strict=True)
            if not gone and line is not None
        )
        result.append(
            replace(
                loaded,
                table=table[~drop].reset_index(drop=True),
                quality=(fixed, *loaded.quality[1:]),
                lines=kept if loaded.lines is not None else None,
            )
        )
    return result


def _with_rejections(
    quality: FileQuality, rejections: tuple[Rejection, ...], more: int, notes: list[str]
) -> FileQuality:
    return replace(
        quality,
        rows_used=quality.rows_used - more,
        rows_rejected=quality.rows_rejected + more,
        rejections=rejections,
        notes=(*quality.notes, *notes),
    )
