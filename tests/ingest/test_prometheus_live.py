"""A real Prometheus (backfilled with promtool) read through its HTTP API."""

from __future__ import annotations

import shutil
import time

import pandas as pd
import pytest
from ingest_support import (
    DATA,
    REAL_WORLD,
    PrometheusServer,
    context,
    free_port,
    start_prometheus,
    stop_prometheus,
    write_config,
)
from ingest_support import (
    OCTOBER as OCTOBER_PERIOD,
)

from briefing.errors import BriefingError
from briefing.ingest.metrics_csv import read_metrics_csv
from briefing.ingest.prometheus_api import read_prometheus_api

pytestmark = pytest.mark.prometheus

GOOD = 'sum by (service) (increase(http_requests_total{code!~"5.."}[1h]))'
TOTAL = "sum by (service) (increase(http_requests_total[1h]))"
SERVICES = """\
  - {id: checkout-api, name: Online checkout, objective: 0.999, cost_of_downtime_per_hour: 60000}
  - {id: search, name: Product search, objective: 0.995, cost_of_downtime_per_hour: 6000}
"""


def live_source(url: str, *, good: str = GOOD, total: str = TOTAL, more: str = "") -> str:
    return (
        f"  metrics:\n    - format: prometheus\n      url: {url}\n"
        f"      good: '{good}'\n      total: '{total}'\n      step: 1h\n      label: service\n{more}"
    )


def test_live_sli_table_equals_the_same_counts_as_csv(
    prometheus_server: PrometheusServer, tmp_path
):
    config = write_config(tmp_path, live_source(prometheus_server.url), services=SERVICES)
    ctx = context(config)
    live = read_prometheus_api(config.sources.metrics[0], ctx)
    csv_config = write_config(
        tmp_path, f"  metrics: [{{path: {prometheus_server.hourly_csv}}}]\n", services=SERVICES
    )
    from_csv = read_metrics_csv(csv_config.sources.metrics[0], context(csv_config))
    # September and October, hourly, two services: (30 + 31) * 24 * 2 = 2928 buckets
    assert len(from_csv.table) == 2928
    got = live.table.sort_values(["service", "timestamp"]).reset_index(drop=True)
    want = (
        from_csv.table.table
        if False
        else from_csv.table.sort_values(["service", "timestamp"]).reset_index(drop=True)
    )
    assert got.equals(want)
    quality = live.quality[0]
    assert (quality.rows_read, quality.rows_used, quality.rows_rejected) == (2928, 2928, 0)
    # the point at 2026-09-01T01:00Z covers (00:00, 01:00]: it is the bucket starting at 00:00
    assert str(got["timestamp"].iloc[0]) == "2026-09-01 00:00:00+00:00"


def test_live_october_figures_match_the_csv(prometheus_server: PrometheusServer, tmp_path):
    config = write_config(tmp_path, live_source(prometheus_server.url), services=SERVICES)
    table = read_prometheus_api(config.sources.metrics[0], context(config)).table
    october = table[(table["timestamp"] >= "2026-10-01") & (table["timestamp"] < "2026-11-01")]
    csv = pd.read_csv(prometheus_server.hourly_csv)
    csv = csv[csv["timestamp"].str.startswith("2026-10")]
    for service in ("checkout-api", "search"):
        mine = october[october["service"] == service]
        theirs = csv[csv["service"] == service]
        assert len(mine) == 31 * 24
        assert int(mine["good"].sum()) == int(theirs["good"].sum())
        assert int(mine["total"].sum()) == int(theirs["total"].sum())
    # the outage hour of checkout-api: every failed request equals a good one, so bad == good
    hour = table[(table["service"] == "checkout-api") & (table["timestamp"] == "2026-10-14T02:00Z")]
    assert int(hour["total"].iloc[0]) == 2 * int(hour["good"].iloc[0])


def test_long_ranges_are_fetched_in_chunks(
    prometheus_server: PrometheusServer, tmp_path, monkeypatch
):
    # 1h steps from 2026-08-01T01:00Z to 2026-11-01T00:00Z are 2208 points; chunks of 500 need 5 queries
    import briefing.ingest.prometheus_api as api

    monkeypatch.setattr(api, "MAX_POINTS_PER_QUERY", 500)
    assert len(api._chunks(0, 2207 * 3600, 3600)) == 5
    config = write_config(tmp_path, live_source(prometheus_server.url), services=SERVICES)
    table = read_prometheus_api(config.sources.metrics[0], context(config)).table
    assert len(table) == 2928


def test_bad_promql_shows_prometheus_error_text(prometheus_server: PrometheusServer, tmp_path):
    bad = "sum by (service (increase(http_requests_total[1h]))"
    config = write_config(tmp_path, live_source(prometheus_server.url, good=bad), services=SERVICES)
    with pytest.raises(BriefingError) as caught:
        read_prometheus_api(config.sources.metrics[0], context(config))
    text = str(caught.value)
    assert "Prometheus refused the good query (HTTP 400)" in text
    assert "bad_data: 1:17: parse error" in text  # Prometheus's own words, with its position
    assert bad in text


def test_a_query_with_no_series_is_a_clear_error(prometheus_server: PrometheusServer, tmp_path):
    none = "sum by (service) (increase(no_such_metric_total[1h]))"
    config = write_config(
        tmp_path, live_source(prometheus_server.url, good=none, total=none), services=SERVICES
    )
    with pytest.raises(
        BriefingError, match="the queries returned no series from 2026-08 to 2026-10"
    ):
        read_prometheus_api(config.sources.metrics[0], context(config))


def test_a_service_without_series_is_named(prometheus_server: PrometheusServer, tmp_path):
    more = "      services: [checkout-api, search, payments]\n"
    config = write_config(
        tmp_path, live_source(prometheus_server.url, more=more), services=SERVICES
    )
    with pytest.raises(
        BriefingError, match=r"no series for payments \(series found for: checkout-api, search\)"
    ):
        read_prometheus_api(config.sources.metrics[0], context(config))


def test_a_query_without_the_service_label_is_refused(
    prometheus_server: PrometheusServer, tmp_path
):
    config = write_config(
        tmp_path,
        live_source(prometheus_server.url, good="sum(increase(http_requests_total[1h]))"),
        services=SERVICES,
    )
    with pytest.raises(BriefingError, match="has no label 'service'"):
        read_prometheus_api(config.sources.metrics[0], context(config))


def test_server_stopped_mid_run_is_a_clear_error(prometheus_storage, tmp_path):
    storage, _ = prometheus_storage
    own = tmp_path / "tsdb"  # its own copy: two servers never share one TSDB
    shutil.copytree(storage.parent / "tsdb-spare", own)
    process, url = start_prometheus(own, tmp_path)
    config = write_config(tmp_path, live_source(url, more="      retries: 2\n"), services=SERVICES)
    entry = config.sources.metrics[0]
    assert len(read_prometheus_api(entry, context(config)).table) == 2928  # up: it answers
    stop_prometheus(process)
    started = time.monotonic()
    with pytest.raises(BriefingError) as caught:
        read_prometheus_api(entry, context(config))
    elapsed = time.monotonic() - started
    assert (
        f"Prometheus at {url} is unreachable: connection refused (3 attempt(s), good query)"
        in str(caught.value)
    )
    # backoff between the 3 attempts: 0.5 s then 1 s
    assert elapsed >= 1.5


def test_missing_token_variable_is_named(
    prometheus_server: PrometheusServer, tmp_path, monkeypatch
):
    monkeypatch.delenv("BRIEFING_TEST_PROM_TOKEN", raising=False)
    more = "      bearer_token_env: BRIEFING_TEST_PROM_TOKEN\n"
    config = write_config(
        tmp_path, live_source(prometheus_server.url, more=more), services=SERVICES
    )
    with pytest.raises(BriefingError, match="environment variable BRIEFING_TEST_PROM_TOKEN"):
        read_prometheus_api(config.sources.metrics[0], context(config))
    # set, the token is sent (Prometheus itself ignores it) and the read succeeds
    monkeypatch.setenv("BRIEFING_TEST_PROM_TOKEN", "s3cret")
    assert len(read_prometheus_api(config.sources.metrics[0], context(config)).table) == 2928


def test_whole_briefing_from_prometheus_equals_the_one_from_csv(
    prometheus_server: PrometheusServer, tmp_path
):
    import dataclasses
    from datetime import UTC, datetime

    import briefing.pipeline as pipeline
    from briefing.model import Period

    now = datetime(2026, 11, 2, 8, 0, tzinfo=UTC)
    live_dir, csv_dir = tmp_path / "live", tmp_path / "csv"
    live_dir.mkdir()
    csv_dir.mkdir()
    live = write_config(live_dir, live_source(prometheus_server.url), services=SERVICES)
    from_csv = write_config(
        csv_dir, f"  metrics: [{{path: {prometheus_server.hourly_csv}}}]\n", services=SERVICES
    )
    period = Period(2026, 10)
    one = dataclasses.asdict(pipeline.build_briefing(live, period, now=now))
    two = dataclasses.asdict(pipeline.build_briefing(from_csv, period, now=now))
    for data in (one, two):
        data.pop("data_quality", None)  # the file path and format differ, by design
    assert one == two
    services = {s["id"]: s for s in one["services"]}
    assert services["checkout-api"]["total"] > 0
    # October checkout: ~300 good requests per 5 min -> ~2.68M; budget 0.1% -> ~2,700 bad allowed;
    # failures of 0-2 per 5 min (~8,900) plus the outage hour (~3,600) exceed it: exhausted
    assert services["checkout-api"]["status"] == "exhausted"


OPENSLO = """\
apiVersion: openslo/v1
kind: SLO
metadata: {name: checkout-availability}
spec:
  service: checkout-api
  budgetingMethod: Occurrences
  timeWindow: [{duration: 1M, isRolling: false, calendar: {startTime: "2026-01-01 00:00:00", timeZone: UTC}}]
  indicator:
    metadata: {name: checkout-requests}
    spec:
      ratioMetric:
        counter: true
        good: {metricSource: {type: Prometheus, spec: {query: 'sum(increase(http_requests_total{code!~"5.."}[1h]))'}}}
        total: {metricSource: {type: Prometheus, spec: {query: 'sum(increase(http_requests_total[1h]))'}}}
  objectives: [{displayName: Available, targetPercent: 99.9}]
---
apiVersion: openslo/v1
kind: SLO
metadata: {name: search-availability}
spec:
  service: search
  budgetingMethod: Occurrences
  timeWindow: [{duration: 1M, isRolling: false, calendar: {startTime: "2026-01-01 00:00:00", timeZone: UTC}}]
  indicator:
    metadata: {name: search-requests}
    spec:
      ratioMetric:
        counter: true
        good: {metricSource: {type: Prometheus, spec: {query: 'sum(increase(http_requests_total{code!~"5.."}[1h]))'}}}
        total: {metricSource: {type: Prometheus, spec: {query: 'sum(increase(http_requests_total[1h]))'}}}
  objectives: [{displayName: Available, target: 0.995}]
"""


def test_openslo_prometheus_and_pagerduty_give_the_briefing_of_the_csvs(
    prometheus_server: PrometheusServer, tmp_path
):
    """The README's promise: the tools' own exports give the same briefing as our CSVs.

    One workspace takes its objectives from OpenSLO, its metrics from the live
    Prometheus and its incidents from the PagerDuty REST export; the other has
    the objectives in briefing.yaml, the same counts as CSV and the same eight
    incidents as a generic CSV. Every figure must agree.
    """
    import dataclasses
    import shutil
    from datetime import UTC, datetime

    import briefing.pipeline as pipeline
    from briefing.model import Period

    names = "name: Online checkout, cost_of_downtime_per_hour: 60000"
    others = (
        "  - {id: payments, name: Card payments, objective: 0.9995, cost_of_downtime_per_hour: 40000}\n"
        "  - {id: login, name: Sign-in, objective: 0.999, cost_of_downtime_per_hour: 10000}\n"
    )
    tools_dir, csv_dir = tmp_path / "tools", tmp_path / "csv"
    tools_dir.mkdir()
    csv_dir.mkdir()
    (tools_dir / "slo.yaml").write_text(OPENSLO)
    shutil.copy(
        REAL_WORLD / "incidents" / "pagerduty_rest_v2_incidents.json", tools_dir / "pd.json"
    )
    tools = write_config(
        tools_dir,
        "  slos: [{path: slo.yaml}]\n"
        + live_source(prometheus_server.url, more="      services: [checkout-api, search]\n")
        + "  incidents: [{path: pd.json, format: pagerduty}]\n",
        services=f"  - {{id: checkout-api, {names}}}\n"
        "  - {id: search, name: Product search, cost_of_downtime_per_hour: 6000}\n" + others,
    )
    shutil.copy(DATA / "incidents_october.csv", csv_dir / "incidents.csv")
    csvs = write_config(
        csv_dir,
        f"  metrics: [{{path: {prometheus_server.hourly_csv}}}]\n"
        "  incidents: [{path: incidents.csv}]\n",
        services=f"  - {{id: checkout-api, objective: 0.999, {names}}}\n"
        "  - {id: search, name: Product search, objective: 0.995, cost_of_downtime_per_hour: 6000}\n"
        + others,
    )
    now = datetime(2026, 11, 2, 8, 0, tzinfo=UTC)
    one = dataclasses.asdict(pipeline.build_briefing(tools, Period(2026, 10), now=now))
    two = dataclasses.asdict(pipeline.build_briefing(csvs, Period(2026, 10), now=now))
    for data in (one, two):
        data.pop("data_quality")  # file names and formats differ, by design
        data.pop("notes")  # they name the sources read
        for item in data["incidents"]["items"]:
            item.pop("id")  # PagerDuty's ids are not the CSV's
        if data["headline"]["cause"] is not None:
            data["headline"]["cause"].pop("incidents")  # their ids, likewise
        data["incidents"]["items"] = sorted(
            data["incidents"]["items"], key=lambda item: (item["started_at"], item["service"])
        )
    assert one == two
    assert one["incidents"]["count"] == 8
    objectives = {s["id"]: s["objective"] for s in one["services"]}
    assert objectives["checkout-api"] == 0.999  # targetPercent 99.9, without binary noise
    assert objectives["search"] == 0.995


# --------------------------------------------------------------------------- missing series, network


def test_a_good_query_with_a_typo_stops_the_build_naming_query_and_services(
    prometheus_server: PrometheusServer, tmp_path
):
    # the metric name misspelt: the query is valid PromQL but returns no series at all
    typo = 'sum by (service) (increase(http_request_total{code!~"5.."}[1h]))'
    config = write_config(
        tmp_path, live_source(prometheus_server.url, good=typo), services=SERVICES
    )
    with pytest.raises(BriefingError) as caught:
        read_prometheus_api(config.sources.metrics[0], context(config))
    text = str(caught.value)
    assert text.startswith(f"{prometheus_server.url}: the good query returned no series")
    assert typo in text
    assert "checkout-api, search" in text  # the services the total query has series for
    assert "never read as zero" in text


def test_a_good_query_missing_one_service_names_it(prometheus_server: PrometheusServer, tmp_path):
    only_search = (
        'sum by (service) (increase(http_requests_total{code!~"5..", service="search"}[1h]))'
    )
    config = write_config(
        tmp_path, live_source(prometheus_server.url, good=only_search), services=SERVICES
    )
    with pytest.raises(BriefingError) as caught:
        read_prometheus_api(config.sources.metrics[0], context(config))
    text = str(caught.value)
    assert "service checkout-api has a total series but no good series" in text
    assert only_search in text
    assert "search:" not in text  # search has both series: not named


def test_an_unreachable_server_is_named_with_its_url(tmp_path):
    port = free_port()  # nothing listens there
    url = f"http://127.0.0.1:{port}"
    config = write_config(tmp_path, live_source(url, more="      retries: 0\n"), services=SERVICES)
    with pytest.raises(BriefingError) as caught:
        read_prometheus_api(config.sources.metrics[0], context(config))
    text = str(caught.value)
    assert f"Prometheus at {url} is unreachable: connection refused" in text
    assert "HTTPConnectionPool" not in text
    assert "Max retries" not in text


def test_a_live_source_is_listed_in_data_quality_by_its_url(
    prometheus_server: PrometheusServer, tmp_path, monkeypatch
):
    from briefing.ingest import ingest

    monkeypatch.chdir(tmp_path)  # as `briefing build` runs in its workspace

    config = write_config(tmp_path, live_source(prometheus_server.url), services=SERVICES)
    quality = ingest(config, OCTOBER_PERIOD).data_quality.files[0]
    assert quality.path == prometheus_server.url  # not http:/127.0.0.1:... (a path)
    assert quality.format == "prometheus"
