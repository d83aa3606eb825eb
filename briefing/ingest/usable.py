"""Ingest stage: a source that yields nothing usable stops the build.

Readers reject bad rows one by one and the briefing lists them; that is right for
a few rows, but a file whose every row is rejected (a wrong `timestamp_format`,
service names that match none of the config's, an export of another tool) would
otherwise print "no incidents this month" or a partial figure with the full
confidence of a good one. Likewise a metrics file or dataset with no rows at all
(only its header) is a file with no series: its services would be read as
unmeasured rather than the mistake it is.
"""

from __future__ import annotations

from briefing.config import SourceEntry
from briefing.errors import BriefingError, Location
from briefing.ingest.context import Loaded


def refuse_nothing_usable(entry: SourceEntry, loaded: Loaded, kind: str) -> None:
    """Stop when every row of one of the entry's files was rejected, or a metrics file is empty."""
    for file in loaded.quality:
        if file.rows_read and file.rows_rejected == file.rows_read and file.rejections:
            first = file.rejections[0]
            raise BriefingError(
                f"all {file.rows_read} row(s) of this file were rejected, so it adds nothing "
                f"to the briefing; the first: {first.reason}",
                where=Location(file.path, first.line, first.column),
                hint=f"fix the file, or this source's options under sources.{kind} in briefing.yaml "
                "(format, mapping, timestamp_format, timezone, services)",
            )
    empty = loaded.quality and not any(file.rows_read for file in loaded.quality)
    if kind == "metrics" and entry.path is not None and empty:
        raise BriefingError(
            "the metrics file holds no rows (a file with no series): every service "
            "would look unmeasured",
            where=Location(loaded.quality[0].path, 1),
            hint="export the counts again (timestamp,service,good,total), "
            "or remove this source from sources.metrics in briefing.yaml",
        )
