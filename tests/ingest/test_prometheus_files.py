"""Prometheus query_range answers saved as files (`format: prometheus-json`), from a real server."""

from __future__ import annotations

import csv
import dataclasses
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


# --------------------------------------------------------------------------- missing series, NaN


def _edited(tmp_path, name: str, edit) -> str:
    """A copy of one of the real answers, changed by `edit(data)`; returns its path."""
    data = json.loads((PROM / name).read_text(encoding="utf-8"))
    edit(data)
    target = tmp_path / f"edited-{name}"
    target.write_text(json.dumps(data), encoding="utf-8")
    return str(target)


def test_a_good_file_lacking_a_service_of_the_total_file_names_both(tmp_path):
    def drop_payments(data):
        data["data"]["result"] = [
            r for r in data["data"]["result"] if r["metric"]["service"] != "payments"
        ]

    good = _edited(tmp_path, "good_1h.json", drop_payments)
    config = write_config(tmp_path, source(good=good))
    with pytest.raises(BriefingError) as caught:
        read_prometheus_json(config.sources.metrics[0], context(config))
    text = str(caught.value)
    assert "service payments has a total series but no good series" in text
    assert good in text  # the file the series is missing from
    assert "checkout-api" not in text.split("hint:")[0]  # the others are complete


def test_an_empty_good_file_is_an_error_not_zero_good_events(tmp_path):
    config = write_config(tmp_path, source(good="empty_result.json"))
    with pytest.raises(BriefingError) as caught:
        read_prometheus_json(config.sources.metrics[0], context(config))
    text = str(caught.value)
    assert "empty_result.json: the good file holds no series" in text
    assert "checkout-api, payments, search" in text


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("NaN", "good is NaN"),
        ("+Inf", "good is infinite"),
        ("-Inf", "good is infinite"),
        ("abc", "good value is not a number"),
    ],
)
def test_a_nan_or_infinite_good_point_is_rejected_never_zero(tmp_path, value, reason):
    def poison(data):
        data["data"]["result"][0]["values"][5][1] = value  # checkout-api, 06:00Z

    good = _edited(tmp_path, "good_1h.json", poison)
    config = write_config(tmp_path, source(good=good))
    loaded = read_prometheus_json(config.sources.metrics[0], context(config))
    quality = loaded.quality[0]
    # 3 services x 744 hourly points; the poisoned point alone is rejected
    assert (quality.rows_read, quality.rows_used, quality.rows_rejected) == (2232, 2231, 1)
    rejection = quality.rejections[0]
    assert rejection.column == "good"
    assert rejection.reason.startswith(reason)
    assert "service=checkout-api, point 2026-10-01T06:00:00+00:00" in rejection.reason
    # the month's good events are the instant total less that hour's good count, never less
    data = json.loads((PROM / "good_1h.json").read_text(encoding="utf-8"))
    hour = int(data["data"]["result"][0]["values"][5][1])
    checkout = loaded.table[loaded.table["service"] == "checkout-api"]
    assert (
        int(checkout["good"].sum())
        == instant_totals("good_instant_31d.json")["checkout-api"] - hour
    )
    assert len(checkout) == 743  # the hour is missing, not counted as all-failed


def test_a_nan_bad_point_is_rejected_not_read_as_no_failures(tmp_path):
    # bad = total - good for each point of the real answers
    good = json.loads((PROM / "good_1h.json").read_text(encoding="utf-8"))
    total = json.loads((PROM / "total_1h.json").read_text(encoding="utf-8"))
    bad = json.loads(json.dumps(total))
    for b, g in zip(bad["data"]["result"], good["data"]["result"], strict=True):
        b["values"] = [
            [t, str(int(tv) - int(gv))]
            for (t, tv), (_, gv) in zip(b["values"], g["values"], strict=True)
        ]
    bad["data"]["result"][1]["values"][0][1] = "NaN"  # payments, first hour
    (tmp_path / "bad.json").write_text(json.dumps(bad), encoding="utf-8")
    config = write_config(tmp_path, source())
    entry = config.sources.metrics[0]
    options = {k: v for k, v in entry.options.items() if k != "good"}
    entry = dataclasses.replace(entry, options={**options, "bad": str(tmp_path / "bad.json")})
    loaded = read_prometheus_json(entry, context(config))
    quality = loaded.quality[0]
    assert (quality.rows_read, quality.rows_rejected) == (2232, 1)
    assert quality.rejections[0].column == "bad"
    assert quality.rejections[0].reason.startswith("bad is NaN")
