"""Ingest stage: incidents read by DuckDB from Parquet or CSV files (`format: duckdb`).

Incident exports are small: DuckDB reads the files whole (a file, a glob or
hive-partitioned folders, as for metrics) and the generic incident checks
apply. A rejected row is named by its line in its file (row + 2, the header
being line 1) and, when the source has several files, the file.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from briefing.config import SourceEntry
from briefing.errors import BriefingError, Location
from briefing.ingest.context import Loaded, ReadContext
from briefing.ingest.duckdb_files import connect, engine_error, list_files, reader_of, shown
from briefing.ingest.engine_rows import incident_text_rows
from briefing.ingest.generic import INCIDENT_FIELDS, build_incidents


def read_incidents_duckdb(entry: SourceEntry, ctx: ReadContext) -> Loaded:
    """`{format: duckdb, path: exports/incidents/**/*.parquet}`: the generic incident columns."""
    import duckdb

    files, kind = list_files(entry)
    mapping = {str(k): str(v) for k, v in dict(entry.options.get("mapping") or {}).items()}
    try:
        with connect() as con:
            source = reader_of(files, kind)
            table = con.sql(f"SELECT *, file_index AS _file FROM {source}").to_arrow_table()
    except duckdb.Error as err:
        raise engine_error(err, entry, ctx) from None
    theirs = {field: mapping.get(field, field) for field in INCIDENT_FIELDS}
    missing = [
        theirs[f]
        for f in ("id", "service", "started_at", "resolved_at")
        if theirs[f] not in table.column_names
    ]
    if missing:
        raise BriefingError(
            f"column(s) {', '.join(missing)} not found; the files have: "
            f"{', '.join(c for c in table.column_names if c != '_file')}",
            where=Location(entry.display),
            hint="incident files need id, service, started_at, resolved_at (or a mapping:)",
        )
    present = {f: theirs[f] for f in INCIDENT_FIELDS if theirs[f] in table.column_names}
    rows = incident_text_rows(table.select(list(present.values())).rename_columns(list(present)))
    file_of = table.column("_file").to_numpy(zero_copy_only=False).astype(np.int64)
    row_in_file = _rows_within_files(file_of)
    lines = np.arange(1, table.num_rows + 1, dtype=np.int64)  # positions, mapped back below
    loaded = build_incidents(rows, lines, entry, ctx, "duckdb")
    several = len(files) > 1
    quality = loaded.quality[0]
    rejections = []
    for r in quality.rejections:
        if r.line is None:
            rejections.append(r)
            continue
        position = r.line - 1
        name = shown(files[int(file_of[position])], ctx)
        reason = f"{r.reason} ({name})" if several else r.reason
        rejections.append(replace(r, line=int(row_in_file[position]) + 2, reason=reason))
    return replace(loaded, quality=(replace(quality, rejections=tuple(rejections)),))


def _rows_within_files(file_of: np.ndarray) -> np.ndarray:
    """Each row's index within its own file (the scan gives files in order)."""
    result = np.zeros(len(file_of), dtype=np.int64)
    if len(file_of):
        starts = np.flatnonzero(np.r_[True, file_of[1:] != file_of[:-1]])
        lengths = np.diff(np.r_[starts, len(file_of)])
        result = np.arange(len(file_of)) - np.repeat(starts, lengths)
    return result
