"""`bad:` in place of `good:`, as docs/sources.md documents, for Prometheus files and the live API."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from ingest_support import REAL_WORLD, PrometheusServer, context, write_config

from briefing.ingest.prometheus import read_prometheus_json
from briefing.ingest.prometheus_api import read_prometheus_api

PROM = REAL_WORLD / "prometheus"
COVERED = "      services: [checkout-api, payments, search]\n"
LIVE_SERVICES = """\
  - {id: checkout-api, name: Online checkout, objective: 0.999, cost_of_downtime_per_hour: 60000}
  - {id: search, name: Product search, objective: 0.995, cost_of_downtime_per_hour: 6000}
"""


def write_bad_answer(target: Path) -> int:
    """bad = total - good, point by point, as a query_range answer; returns the bad events."""
    good = json.loads((PROM / "good_1h.json").read_text(encoding="utf-8"))
    total = json.loads((PROM / "total_1h.json").read_text(encoding="utf-8"))
    good_points = {
        (r["metric"]["service"], t): float(v)
        for r in good["data"]["result"]
        for t, v in r["values"]
    }
    all_bad = 0
    for series in total["data"]["result"]:
        values = []
        for t, v in series["values"]:
            bad = float(v) - good_points[(series["metric"]["service"], t)]
            all_bad += round(float(v)) - round(good_points[(series["metric"]["service"], t)])
            values.append([t, repr(bad)])
        series["values"] = values
    target.write_text(json.dumps(total), encoding="utf-8")
    return all_bad


def test_prometheus_json_with_bad_gives_the_table_of_good(tmp_path: Path) -> None:
    from_good = write_config(
        tmp_path,
        f"  metrics:\n    - format: prometheus-json\n      good: {PROM / 'good_1h.json'}\n"
        f"      total: {PROM / 'total_1h.json'}\n{COVERED}",
    )
    want = read_prometheus_json(from_good.sources.metrics[0], context(from_good)).table
    bad_events = write_bad_answer(tmp_path / "bad.json")
    from_bad = write_config(
        tmp_path,
        "  metrics:\n    - format: prometheus-json\n      bad: bad.json\n"
        f"      total: {PROM / 'total_1h.json'}\n{COVERED}",
    )
    got = read_prometheus_json(from_bad.sources.metrics[0], context(from_bad)).table
    order = ["service", "timestamp"]
    got = got.sort_values(order).reset_index(drop=True)
    want = want.sort_values(order).reset_index(drop=True)
    assert got.equals(want)
    # the failures read from bad.json are the failures total - good of the good answer
    assert int((got["total"] - got["good"]).sum()) == bad_events > 0


@pytest.mark.prometheus
def test_live_prometheus_with_bad_gives_the_table_of_good(
    prometheus_server: PrometheusServer, tmp_path: Path
) -> None:
    def live(series: str) -> str:
        return (
            f"  metrics:\n    - format: prometheus\n      url: {prometheus_server.url}\n"
            f"      {series}\n"
            "      total: 'sum by (service) (increase(http_requests_total[1h]))'\n"
            "      step: 1h\n"
        )

    good = write_config(
        tmp_path,
        live("good: 'sum by (service) (increase(http_requests_total{code!~\"5..\"}[1h]))'"),
        services=LIVE_SERVICES,
    )
    bad = write_config(
        tmp_path,
        live("bad: 'sum by (service) (increase(http_requests_total{code=~\"5..\"}[1h]))'"),
        services=LIVE_SERVICES,
    )
    want = read_prometheus_api(good.sources.metrics[0], context(good)).table
    got = read_prometheus_api(bad.sources.metrics[0], context(bad)).table
    order = ["service", "timestamp"]
    got = got.sort_values(order).reset_index(drop=True)
    want = want.sort_values(order).reset_index(drop=True)
    assert len(got) > 0
    assert got.equals(want)
    assert int((got["total"] - got["good"]).sum()) > 0
