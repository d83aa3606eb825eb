"""Prometheus query_range answers saved as files (`format: prometheus-json`), from a real server."""

from __future__ import annotations

import csv
import gzip
import json

import pytest
from ingest_support import REAL_WORLD, context, write_config

from briefing.errors import BriefingError
from briefing.ingest.metrics_csv import read_metrics_csv
from briefing.ingest.prometheus import read_prometheus_json

PROM = REAL_WORLD / "prometheus"
COVERED = "      services: [checkout-api, payments, search]\n"


def source(good: str = "good_1h.json", total: str = "total_1h.json", more: str = COVERED) -> str:
    return f"  metrics:\n    - format: prometheus-json\n      good: {PROM / good}\n      total: {PROM / total}\n{more}"


def instant_totals(name: str) -> dict[str, int]:
    data = json.loads((PROM / name).read_text(encoding="utf-8"))
    return {r["metric"]["service"]: int(r["value"][1]) for r in data["data"]["result"]}


def test_hourly_files_load_and_agree_with_the_instant_queries(tmp_path):
    config = write_config(tmp_path, source())
    loaded = read_prometheus_json(config.sources.metrics[0], context(config))
    quality = loaded.quality[0]
    # 744 hourly points (31 days x 24) for each of 3 services
    assert (quality.rows_read, quality.rows_used, quality.rows_rejected) == (3 * 744, 3 * 744, 0)
    sums = loaded.table.groupby("service")[["good", "total"]].sum()
    # the same server's increase(...[31d]) at 2026-11-01T00:00Z, saved beside the hourly answers
    assert sums["good"].to_dict() == instant_totals("good_instant_31d.json")
    assert sums["total"].to_dict() == instant_totals("total_instant_31d.json")
    # the point at 2026-10-01T01:00Z covers (00:00, 01:00]: the first bucket starts at 00:00
    assert str(loaded.table["timestamp"].min()) == "2026-10-01 00:00:00+00:00"
    assert str(loaded.table["timestamp"].max()) == "2026-10-31 23:00:00+00:00"


def test_hourly_files_agree_with_the_per_minute_csv(tmp_path):
    config = write_config(tmp_path, source())
    table = read_prometheus_json(config.sources.metrics[0], context(config)).table
    csv_config = write_config(tmp_path, f"  metrics: [{{path: {PROM / 'sli_minutes.csv.gz'}}}]\n")
    minutes = read_metrics_csv(csv_config.sources.metrics[0], context(csv_config)).table
    # the minute rows, added up independently of briefing's readers
    with gzip.open(PROM / "sli_minutes.csv.gz", "rt", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert len(minutes) == len(rows) == 3 * 31 * 1440
    for service in ("checkout-api", "payments", "search"):
        by_hand = sum(int(r["total"]) for r in rows if r["service"] == service)
        assert int(minutes.loc[minutes["service"] == service, "total"].sum()) == by_hand
        for column in ("good", "total"):
            hourly = int(table.loc[table["service"] == service, column].sum())
            per_minute = int(minutes.loc[minutes["service"] == service, column].sum())
            # the month's edges put a counter step in a neighbouring minute: a few parts per million
            assert abs(hourly - per_minute) / per_minute < 1e-4


def test_prometheus_error_answer_shows_its_text(tmp_path):
    config = write_config(tmp_path, source(good="bad_query_error.json"))
    with pytest.raises(BriefingError) as caught:
        read_prometheus_json(config.sources.metrics[0], context(config))
    assert (
        "bad_query_error.json: Prometheus answered an error for the good query: bad_data: 1:17: parse error"
        in str(caught.value)
    )


def test_empty_results_are_an_error(tmp_path):
    config = write_config(tmp_path, source(good="empty_result.json", total="empty_result.json"))
    with pytest.raises(BriefingError, match="empty_result.json: the files hold no series"):
        read_prometheus_json(config.sources.metrics[0], context(config))


def test_instant_query_answers_are_refused(tmp_path):
    config = write_config(tmp_path, source(good="good_instant_31d.json"))
    with pytest.raises(BriefingError, match=r"holds a 'vector' result, not a matrix"):
        read_prometheus_json(config.sources.metrics[0], context(config))


def test_a_configured_service_without_series_is_named(tmp_path):
    config = write_config(
        tmp_path, source(more="")
    )  # the only metrics source: it must cover login too
    with pytest.raises(
        BriefingError,
        match=r"total_1h.json: no series for login \(series found for: checkout-api, payments, search\)",
    ):
        read_prometheus_json(config.sources.metrics[0], context(config))


def test_series_of_unlisted_services_are_rejected_naming_the_series(tmp_path):
    services = "  - {id: checkout-api, objective: 0.999}\n  - {id: payments, objective: 0.999}\n"
    config = write_config(
        tmp_path, source(more="      services: [checkout-api, payments]\n"), services=services
    )
    quality = read_prometheus_json(config.sources.metrics[0], context(config)).quality[0]
    assert (quality.rows_read, quality.rows_used, quality.rows_rejected) == (2232, 1488, 744)
    first = quality.rejections[0]
    assert first.line is None
    assert first.column == "service"
    assert first.reason.startswith("service 'search' is not in briefing.yaml services")
    assert first.reason.endswith("(series service=search, point 2026-10-01T01:00:00+00:00)")


def test_fractional_increases_are_rounded_and_said(tmp_path):
    data = json.loads((PROM / "good_1h.json").read_text(encoding="utf-8"))
    data["data"]["result"][0]["values"][0][1] = (
        "32290.6"  # extrapolated increase(): 32290.6 -> 32291
    )
    (tmp_path / "good.json").write_text(json.dumps(data), encoding="utf-8")
    text = f"  metrics:\n    - format: prometheus-json\n      good: good.json\n      total: {PROM / 'total_1h.json'}\n{COVERED}"
    config = write_config(tmp_path, text)
    loaded = read_prometheus_json(config.sources.metrics[0], context(config))
    first = loaded.table[loaded.table["service"] == "checkout-api"].iloc[0]
    assert int(first["good"]) == 32291
    assert any("1 values were fractional" in n for n in loaded.quality[0].notes)
