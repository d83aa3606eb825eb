"""The column-wise decoding of `query_range` answers gives the series JSON decoding gives."""

from __future__ import annotations

import json

import numpy as np
import pytest
from ingest_support import REAL_WORLD

from briefing.errors import BriefingError, Location
from briefing.ingest.prometheus import parse_matrix
from briefing.ingest.prometheus_fast import decode_matrix

WHERE = Location("http://127.0.0.1:9090")


@pytest.mark.parametrize("name", ["good_1h.json", "total_1h.json"])
def test_real_answers_decode_to_the_same_series(name: str) -> None:
    content = (REAL_WORLD / "prometheus" / name).read_bytes()
    fast = decode_matrix(content, "service", WHERE, "total")
    slow = parse_matrix(json.loads(content), "service", WHERE, "total")
    assert fast is not None
    assert [s.service for s in fast] == [s.service for s in slow]
    for one, other in zip(fast, slow, strict=True):
        assert np.array_equal(one.times, other.times)
        assert np.array_equal(one.values, other.values)
        assert len(one.times) == 744  # a 31-day month of hourly points


def test_special_values_and_odd_answers() -> None:
    answer = (
        b'{"status":"success","data":{"resultType":"matrix","result":['
        b'{"metric":{"service":"a"},"values":[[1790812800,"NaN"],[1790816400.5,"+Inf"],'
        b'[1790820000,"12"]]}]}}'
    )
    (series,) = decode_matrix(answer, "service", WHERE, "good")
    assert series.times.tolist() == [1790812800, 1790816400, 1790820000]  # 0.5 s rounds to even
    assert np.isnan(series.values[0])
    assert series.values[1:].tolist() == [float("inf"), 12.0]
    # a value that is not a number: the ordinary decoding takes over (None here)
    odd = answer.replace(b'"12"', b'"twelve"')
    assert decode_matrix(odd, "service", WHERE, "good") is None
    # an error answer is left to the ordinary decoding, which names it
    error = b'{"status":"error","errorType":"bad_data","error":"parse error"}'
    assert decode_matrix(error, "service", WHERE, "good") is None
    # labels are still checked: a series without the label stops as usual
    with pytest.raises(BriefingError, match="has no label 'service'"):
        decode_matrix(answer.replace(b'"service"', b'"job"'), "service", WHERE, "good")
