"""Hostile incident exports and overlapping sources: rejected rows or one clear error, never doubled."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from test_generic import INCIDENTS_HEADER, make

from briefing.config import load_config
from briefing.errors import BriefingError
from briefing.ingest import ingest
from briefing.model import Period

ROW = "{id},{service},Title,SEV2,2026-10-0{day}T10:00:00Z,2026-10-0{day}T10:05:00Z,2026-10-0{day}T11:00:00Z,0.5\n"
METRICS = "timestamp,service,good,total\n2026-10-05T13:00:00Z,checkout,10,10\n"


def workspace(tmp_path: Path, sources: str):
    (tmp_path / "briefing.yaml").write_text(
        "organization: Example Corp\ncurrency: EUR\nservices:\n"
        "  - {id: checkout, name: Online checkout, objective: 0.999, cost_of_downtime_per_hour: 42000}\n"
        "  - {id: search, name: Product search, objective: 0.99, cost_of_downtime_per_hour: 6000}\n"
        f"sources:\n{sources}",
        encoding="utf-8",
    )
    config = load_config(tmp_path / "briefing.yaml")
    return ingest(config, Period(2026, 10, config.timezone))


# --------------------------------------------------------------------------- D15 vendor junk


def test_pagerduty_items_of_the_wrong_type_are_rejected_rows(tmp_path: Path) -> None:
    good = {
        "id": "P1",
        "created_at": "2026-10-05T10:00:00Z",
        "resolved_at": "2026-10-05T11:00:00Z",
        "service": {"summary": "checkout"},
        "priority": {"summary": "P2"},
    }
    odd = {"id": 5, "created_at": 7, "service": "checkout", "priority": [1], "acknowledgements": 3}
    (tmp_path / "pd.json").write_text(json.dumps({"incidents": [None, 1, "x", odd, good]}))
    inputs = workspace(tmp_path, "  incidents: [{path: pd.json, format: pagerduty}]\n")
    quality = inputs.data_quality.files[0]
    assert (quality.rows_read, quality.rows_used, quality.rows_rejected) == (5, 1, 4)
    reasons = [(r.line, r.reason) for r in quality.rejections]
    assert reasons[:3] == [
        (1, "item 1 is null, not an incident object"),
        (2, "item 2 is a number, not an incident object"),
        (3, "item 3 is text, not an incident object"),
    ]
    assert reasons[3][0] == 4  # an object with odd fields: rejected for what it lacks
    assert list(inputs.incidents["id"]) == ["P1"]


def test_incidentio_fields_of_the_wrong_type_are_rejected_rows(tmp_path: Path) -> None:
    items = [None, {"custom_field_entries": 5, "severity": "x", "incident_timestamp_values": "y"}]
    (tmp_path / "io.json").write_text(json.dumps({"incidents": items}))
    inputs = workspace(tmp_path, "  incidents: [{path: io.json, format: incidentio}]\n")
    quality = inputs.data_quality.files[0]
    assert (quality.rows_read, quality.rows_used, quality.rows_rejected) == (2, 0, 2)
    assert quality.rejections[0].reason == "item 1 is null, not an incident object"


def test_opsgenie_services_of_the_wrong_type_do_not_crash(tmp_path: Path) -> None:
    items = [{"id": "O1", "impactedServices": 5, "tags": "checkout", "priority": "P2"}]
    (tmp_path / "og.json").write_text(json.dumps({"data": items}))
    quality = workspace(
        tmp_path, "  incidents: [{path: og.json, format: opsgenie}]\n"
    ).data_quality.files[0]
    assert (quality.rows_read, quality.rows_rejected) == (1, 1)


# --------------------------------------------------------------------------- D32 service names


def test_generic_csv_matches_services_ignoring_case_and_by_business_name(tmp_path: Path) -> None:
    incidents = INCIDENTS_HEADER + (
        ROW.format(id="INC-1", service="CHECKOUT", day=5)
        + ROW.format(id="INC-2", service="Online checkout", day=6)
        + ROW.format(id="INC-3", service="checkout", day=7)
        + ROW.format(id="INC-4", service="billing", day=8)
    )
    inputs = make(tmp_path, METRICS, incidents)
    quality = inputs.data_quality.files[1]
    assert (quality.rows_read, quality.rows_used, quality.rows_rejected) == (4, 3, 1)
    assert list(inputs.incidents["service"]) == ["checkout", "checkout", "checkout"]
    assert quality.rejections[0].reason.startswith("service 'billing' is not in briefing.yaml")


def test_a_repeated_incident_column_is_one_clear_error(tmp_path: Path) -> None:
    header = INCIDENTS_HEADER.strip() + ",service\n"
    with pytest.raises(BriefingError) as caught:
        make(tmp_path, METRICS, header + ROW.format(id="INC-1", service="checkout", day=5))
    assert (
        "incidents.csv:1:service: column 'service' appears 2 times in the header (columns 2 and 9)"
        in str(caught.value)
    )


# --------------------------------------------------------------------------- D09 incidents twice


def test_the_same_incidents_from_two_sources_count_once(tmp_path: Path) -> None:
    rows = "".join(ROW.format(id=f"INC-{d}", service="checkout", day=d) for d in range(1, 6))
    (tmp_path / "a.csv").write_text(INCIDENTS_HEADER + rows)
    (tmp_path / "b.csv").write_text(INCIDENTS_HEADER + rows)
    inputs = workspace(tmp_path, "  incidents: [{path: a.csv}, {path: ./b.csv}]\n")
    assert sorted(inputs.incidents["id"]) == [f"INC-{d}" for d in range(1, 6)]  # 5, not 10
    second = inputs.data_quality.files[1]
    assert second.path.endswith("b.csv")
    assert second.rows_rejected == 0
    assert second.notes == (
        "5 incident(s) also read from a.csv (same id, service and times): counted once",
    )


def test_the_same_file_listed_twice_counts_its_incidents_once(tmp_path: Path) -> None:
    rows = "".join(ROW.format(id=f"INC-{d}", service="checkout", day=d) for d in range(1, 4))
    (tmp_path / "a.csv").write_text(INCIDENTS_HEADER + rows)
    inputs = workspace(tmp_path, "  incidents: [{path: a.csv}, {path: ./a.csv}]\n")
    assert len(inputs.incidents) == 3


def test_one_incident_id_with_different_times_is_rejected_naming_the_other(tmp_path: Path) -> None:
    (tmp_path / "a.csv").write_text(
        INCIDENTS_HEADER + ROW.format(id="INC-1", service="checkout", day=5)
    )
    (tmp_path / "b.csv").write_text(
        INCIDENTS_HEADER
        + ROW.format(id="INC-2", service="search", day=6)
        + ROW.format(id="INC-1", service="checkout", day=7)
    )
    inputs = workspace(tmp_path, "  incidents: [{path: a.csv}, {path: b.csv}]\n")
    second = inputs.data_quality.files[1]
    assert (second.rows_read, second.rows_used, second.rows_rejected) == (2, 1, 1)
    rejection = second.rejections[0]
    assert (rejection.line, rejection.column) == (3, "id")
    assert rejection.reason.startswith(
        "incident 'INC-1' is also in a.csv:2 with another service or other times"
    )
    assert sorted(inputs.incidents["id"]) == ["INC-1", "INC-2"]
    assert str(inputs.incidents.set_index("id").loc["INC-1", "started_at"]).startswith("2026-10-05")


# --------------------------------------------------------------------------- D10 metrics twice


def test_the_same_metrics_file_listed_twice_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "sli.csv").write_text(METRICS)
    with pytest.raises(BriefingError) as caught:
        workspace(tmp_path, "  metrics: [{path: sli.csv}, {path: ./sli.csv}]\n")
    text = str(caught.value)
    assert "briefing.yaml:" in text
    assert "is the file already listed at" in text
    assert "counted twice" in text


def test_two_metrics_sources_with_the_same_buckets_are_an_error(tmp_path: Path) -> None:
    (tmp_path / "a.csv").write_text(METRICS + "2026-10-05T14:00:00Z,search,5,5\n")
    (tmp_path / "b.csv").write_text(
        "timestamp,service,good,total\n2026-10-05T14:00:00Z,search,5,5\n"
    )
    with pytest.raises(BriefingError) as caught:
        workspace(tmp_path, "  metrics: [{path: a.csv}, {path: b.csv}]\n")
    text = str(caught.value)
    assert "sources.metrics: a.csv and b.csv both hold counts for search at the same times" in text
    assert "1 bucket(s), e.g. search at 2026-10-05T14:00:00+00:00" in text


def test_two_metrics_sources_for_different_services_are_fine(tmp_path: Path) -> None:
    (tmp_path / "a.csv").write_text(METRICS)
    (tmp_path / "b.csv").write_text(
        "timestamp,service,good,total\n2026-10-05T13:00:00Z,search,5,5\n"
    )
    inputs = workspace(tmp_path, "  metrics: [{path: a.csv}, {path: b.csv}]\n")
    assert sorted(inputs.sli["service"]) == ["checkout", "search"]
