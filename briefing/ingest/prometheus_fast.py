"""Ingest stage: a `query_range` answer decoded column-wise (for the live Prometheus source).

Nearly all of an answer's bytes are its points, `[1790813100,"1105"],...`:
decoded as Python lists and strings they cost more than fetching them. Here
each series' points are cut out of the text and read as CSV by Arrow in one pass,
while the rest (status, labels) is decoded as JSON and checked by
`parse_matrix` as usual. Anything unexpected returns None and the caller
decodes the whole answer the ordinary way.
"""

from __future__ import annotations

import io
import json

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv

from briefing.errors import Location
from briefing.ingest.prometheus import Series, merge_series, parse_matrix

_OPEN, _CLOSE = b'"values":[[', b"]]"


def _cut_points(content: bytes) -> tuple[list[bytes], bytes]:
    """Each series' `"values":[[...]]` body, and the answer with `"values":[]` in their place."""
    spans: list[bytes] = []
    pieces: list[bytes] = []
    at = 0
    while (found := content.find(_OPEN, at)) >= 0:
        body = found + len(_OPEN)
        close = content.find(_CLOSE, body)
        if close < 0:
            break
        pieces.append(content[at:found])
        pieces.append(b'"values":[]')
        spans.append(content[body:close])
        at = close + len(_CLOSE)
    pieces.append(content[at:])
    return spans, b"".join(pieces)


def _read_points(spans: list[bytes]) -> tuple[np.ndarray, np.ndarray] | None:
    """All spans' `time,"value"` pairs as two float64 columns, by Arrow's CSV parser."""
    text = b"\n".join(span.replace(b"],[", b"\n") for span in spans)
    try:
        table = pacsv.read_csv(
            io.BytesIO(text),
            read_options=pacsv.ReadOptions(column_names=["t", "v"]),
            parse_options=pacsv.ParseOptions(newlines_in_values=False),
            convert_options=pacsv.ConvertOptions(
                column_types={"t": pa.float64(), "v": pa.float64()},
                null_values=[],
                quoted_strings_can_be_null=False,
            ),
        )
    except pa.ArrowInvalid:
        return None
    times = table.column("t").to_numpy()
    if table.column("t").null_count or table.column("v").null_count or not np.isfinite(times).all():
        return None
    return times, table.column("v").to_numpy()


def decode_matrix(content: bytes, label: str, where: Location, name: str) -> list[Series] | None:
    """The series of a `query_range` answer, or None when the answer is not the plain kind."""
    spans, skeleton = _cut_points(content)
    try:
        data = json.loads(skeleton)
    except ValueError:
        return None
    result = (data.get("data") or {}).get("result") if isinstance(data, dict) else None
    if data.get("status") != "success" or not isinstance(result, list) or len(result) != len(spans):
        return None
    if any(item.get("values") != [] for item in result if isinstance(item, dict)):
        return None
    series = parse_matrix(data, label, where, name)  # labels, duplicates: the usual checks
    if len(series) != len(spans):
        return None
    if not spans:
        return series
    points = _read_points(spans)
    if points is None:
        return None
    times, values = points
    decoded = []
    at = 0
    for one, span in zip(series, spans, strict=True):
        count = span.count(b"],[") + 1
        decoded.append(
            Series(
                one.service,
                np.rint(times[at : at + count]).astype(np.int64),
                values[at : at + count],
                np.zeros(count, dtype=bool),  # every value read (NaN and Inf included)
            )
        )
        at += count
    if at != len(times):
        return None
    return merge_series([decoded])
