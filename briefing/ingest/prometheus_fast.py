"""Ingest stage: a `query_range` answer decoded column-wise (for the live Prometheus source).

Nearly all of an answer's bytes are its points, `[1790813100,"1105"],...`:
decoded as Python lists and strings they cost more than fetching them. Here
each series' points are cut out of the text and read by numpy in one pass,
while the rest (status, labels) is decoded as JSON and checked by
`parse_matrix` as usual. Anything unexpected returns None and the caller
decodes the whole answer the ordinary way.
"""

from __future__ import annotations

import json
import re
import warnings

import numpy as np

from briefing.errors import Location
from briefing.ingest.prometheus import Series, merge_series, parse_matrix

_VALUES = re.compile(rb'"values":\[\[(.*?)\]\]')
_STRIP = b'"[]'


def decode_matrix(content: bytes, label: str, where: Location, name: str) -> list[Series] | None:
    """The series of a `query_range` answer, or None when the answer is not the plain kind."""
    spans: list[bytes] = []

    def keep(match: re.Match[bytes]) -> bytes:
        spans.append(match.group(1))
        return b'"values":[]'

    skeleton = _VALUES.sub(keep, content)
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
    decoded = []
    for one, span in zip(series, spans, strict=True):
        text = span.translate(None, _STRIP)
        with warnings.catch_warnings():
            warnings.simplefilter("error")  # a token numpy cannot read: the ordinary way
            try:
                numbers = np.fromstring(text, dtype=np.float64, sep=",")
            except (ValueError, DeprecationWarning):
                return None
        if len(numbers) != text.count(b",") + 1 or len(numbers) % 2:
            return None
        times = numbers[0::2]
        if not np.isfinite(times).all():
            return None
        decoded.append(
            Series(
                one.service,
                np.rint(times).astype(np.int64),
                numbers[1::2].copy(),
                np.zeros(len(times), dtype=bool),  # every value read (NaN and Inf included)
            )
        )
    return merge_series([decoded])
