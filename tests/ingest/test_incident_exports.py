"""PagerDuty, Opsgenie, incident.io and Jira exports of the same eight incidents give one table."""

from __future__ import annotations

import json
import shutil

import pandas as pd
import pytest
from ingest_support import DATA, REAL_WORLD, context, write_config

from briefing.errors import BriefingError
from briefing.ingest import find_reader
from briefing.ingest.generic import read_incidents_csv

INCIDENTS = REAL_WORLD / "incidents"
JIRA_MAPPING = """\
      mapping: {id: Issue key, service: Custom field (Affected services), title: Summary,
                severity: Custom field (Severity), started_at: Created, resolved_at: Resolved}
      timestamp_format: "%d/%b/%y %I:%M %p"
      timezone: UTC
      severity_map: {Sev-1: SEV1, Sev-2: SEV2, Sev-3: SEV3, Sev-4: SEV4}
"""
# (file, format, extra source keys, has a detection time, detection is the acknowledgement)
SOURCES = [
    ("pagerduty_rest_v2_incidents.json", "pagerduty", "", True, True),
    ("pagerduty_analytics_raw_incidents.csv", "pagerduty", "", True, True),
    ("opsgenie_incidents.json", "opsgenie", "", True, False),
    ("incidentio_v2_incidents.json", "incidentio", "", True, False),
    ("jira_sm_export.csv", "jira", "", True, True),
    ("jira_sm_export.csv", "csv", JIRA_MAPPING, False, False),
]


def read(tmp_path, name, fmt, extra="", **config_options):
    source = f"  incidents:\n    - path: {INCIDENTS / name}\n      format: {fmt}\n{extra}"
    config = write_config(tmp_path, source, **config_options)
    entry = config.sources.incidents[0]
    return find_reader("incidents", fmt)(entry, context(config))


def comparable(table: pd.DataFrame, *, detection: bool) -> pd.DataFrame:
    """Ids differ by tool and Jira keeps whole minutes: compare times floored to the minute."""
    columns = ["service", "severity", "started_at", "resolved_at", "impact"] + (
        ["detected_at"] if detection else []
    )
    out = table[columns].copy()
    for col in ("started_at", "resolved_at", "detected_at"):
        if col in out:
            out[col] = out[col].dt.floor("min")
    return out.sort_values("started_at").reset_index(drop=True)


@pytest.fixture
def generic(tmp_path):
    shutil.copy(DATA / "incidents_october.csv", tmp_path / "generic.csv")
    config = write_config(tmp_path, "  incidents: [{path: generic.csv}]\n")
    return read_incidents_csv(config.sources.incidents[0], context(config)).table


@pytest.mark.parametrize(("name", "fmt", "extra", "detection", "acknowledged"), SOURCES)
def test_every_export_gives_the_generic_table(
    generic, tmp_path, name, fmt, extra, detection, acknowledged
):
    loaded = read(tmp_path, name, fmt, extra)
    quality = loaded.quality[0]
    assert (quality.rows_read, quality.rows_used, quality.rows_rejected) == (8, 8, 0)
    got = comparable(loaded.table, detection=detection)
    want = comparable(generic, detection=detection)
    pd.testing.assert_frame_equal(got, want)
    # the eight incidents by hand: SEV1 x2, SEV2 x2, SEV3 x2, SEV4 x2; impact defaults 1, 0.5, 0.2, 0.05
    assert sorted(loaded.table["severity"]) == [
        "SEV1",
        "SEV1",
        "SEV2",
        "SEV2",
        "SEV3",
        "SEV3",
        "SEV4",
        "SEV4",
    ]
    assert loaded.table["impact"].sum() == pytest.approx(2 * (1 + 0.5 + 0.2 + 0.05))
    notes = " ".join(quality.notes)
    assert "impact not given for 8 incident(s)" in notes
    assert ("the acknowledgement time stands in for 8 incident(s)" in notes) is acknowledged
    if not detection:
        assert loaded.table["detected_at"].isna().all()


def test_exports_with_seconds_agree_to_the_second(tmp_path):
    raw = [
        read(tmp_path, name, fmt).table.sort_values("started_at") for name, fmt, *_ in SOURCES[:4]
    ]
    for table in raw[1:]:
        for col in ("started_at", "detected_at", "resolved_at"):
            assert table[col].tolist() == raw[0][col].tolist()
    # the first incident: 14:02:11 -> acknowledged 14:08:11 (6 min) -> resolved 14:49:11 (41 min later)
    first = raw[0].iloc[0]
    assert (first["detected_at"] - first["started_at"]).total_seconds() == 6 * 60
    assert (first["resolved_at"] - first["detected_at"]).total_seconds() == 41 * 60


def test_pagerduty_is_told_apart_by_content_not_name(tmp_path):
    shutil.copy(INCIDENTS / "pagerduty_rest_v2_incidents.json", tmp_path / "pd-export.csv")
    config = write_config(tmp_path, "  incidents: [{path: pd-export.csv, format: pagerduty}]\n")
    table = find_reader("incidents", "pagerduty")(
        config.sources.incidents[0], context(config)
    ).table
    assert table["id"].tolist()[:2] == ["Q1A2B3C", "Q4D5E6F"]


def test_pagerduty_csv_that_is_not_analytics_is_refused(tmp_path):
    (tmp_path / "other.csv").write_text("number,when\n1,2026-10-01\n", encoding="utf-8")
    config = write_config(tmp_path, "  incidents: [{path: other.csv, format: pagerduty}]\n")
    with pytest.raises(
        BriefingError,
        match=r"other.csv:1: not a PagerDuty Analytics raw-incident CSV: missing column\(s\) id, created_at, service_name",
    ):
        find_reader("incidents", "pagerduty")(config.sources.incidents[0], context(config))


def test_open_and_unknown_incidents_are_rejected_with_their_lines(tmp_path):
    text = (
        (INCIDENTS / "pagerduty_analytics_raw_incidents.csv")
        .read_text(encoding="utf-8")
        .splitlines()
    )
    text[2] = (
        text[2].replace("2026-10-05T09:50:00.000Z", "").replace(",5700,", ",,")
    )  # line 3: still open
    text[5] = text[5].replace(
        ",login,", ",ledger,"
    )  # line 6: a service briefing.yaml does not list
    (tmp_path / "pd.csv").write_text("\n".join(text) + "\n", encoding="utf-8")
    config = write_config(tmp_path, "  incidents: [{path: pd.csv, format: pagerduty}]\n")
    quality = find_reader("incidents", "pagerduty")(
        config.sources.incidents[0], context(config)
    ).quality[0]
    assert (quality.rows_read, quality.rows_used, quality.rows_rejected) == (8, 6, 2)
    assert [(r.line, r.column) for r in quality.rejections] == [(3, "resolved_at"), (6, "service")]
    assert "still open" in quality.rejections[0].reason
    assert "'ledger' is not in briefing.yaml services" in quality.rejections[1].reason


def test_opsgenie_service_names_map_through_services(tmp_path):
    data = json.loads((INCIDENTS / "opsgenie_incidents.json").read_text(encoding="utf-8"))
    for item in data["data"]:
        item["tags"] = []  # only the impacted-service names are left
    (tmp_path / "og.json").write_text(json.dumps(data), encoding="utf-8")
    config = write_config(tmp_path, "  incidents: [{path: og.json, format: opsgenie}]\n")
    quality = find_reader("incidents", "opsgenie")(
        config.sources.incidents[0], context(config)
    ).quality[0]
    assert quality.rows_rejected == 8
    assert (
        "service 'svc-checkout-api' is not in briefing.yaml services"
        in quality.rejections[0].reason
    )
    mapping = "{svc-checkout-api: checkout-api, svc-search: search, svc-payments: payments, svc-login: login}"
    config = write_config(
        tmp_path, f"  incidents: [{{path: og.json, format: opsgenie, services: {mapping}}}]\n"
    )
    table = find_reader("incidents", "opsgenie")(config.sources.incidents[0], context(config)).table
    assert table["service"].value_counts().to_dict() == {
        "checkout-api": 3,
        "search": 2,
        "payments": 2,
        "login": 1,
    }


def test_jira_without_a_time_zone_is_an_error_naming_line_and_column(tmp_path):
    with pytest.raises(
        BriefingError,
        match=r"jira_sm_export.csv:2:started_at: timestamp '03/Oct/26 02:02 PM' .* has no time zone",
    ):
        read(tmp_path, "jira_sm_export.csv", "jira", timezone=False)


def test_mapped_column_missing_names_file_line_and_column(tmp_path):
    extra = "      mapping: {id: Issue key, service: Custom field (Service), started_at: Created, resolved_at: Resolved}\n"
    with pytest.raises(
        BriefingError,
        match=r"jira_sm_export.csv:1: column 'Custom field \(Service\)' \(mapped from 'service'\) not found",
    ):
        read(tmp_path, "jira_sm_export.csv", "csv", extra)
    with pytest.raises(
        BriefingError,
        match=r"jira_sm_export.csv:1: column 'Custom field \(Service\)' \(mapped from 'service'\) not found",
    ):
        read(tmp_path, "jira_sm_export.csv", "jira", extra)


def test_unparseable_timestamp_format_rejects_rows_with_line_and_column(tmp_path):
    extra = JIRA_MAPPING.replace("%d/%b/%y %I:%M %p", "%Y-%m-%d %H:%M")
    quality = read(tmp_path, "jira_sm_export.csv", "csv", extra).quality[0]
    assert quality.rows_rejected == 8
    assert [(r.line, r.column) for r in quality.rejections[:2]] == [
        (2, "started_at"),
        (3, "started_at"),
    ]
    assert "not a timestamp in the format '%Y-%m-%d %H:%M'" in quality.rejections[0].reason
    quality = read(
        tmp_path, "jira_sm_export.csv", "jira", '      timestamp_format: "%Y-%m-%d %H:%M"\n'
    ).quality[0]
    assert (quality.rows_rejected, quality.rejections[0].line, quality.rejections[0].column) == (
        8,
        2,
        "started_at",
    )


def test_jira_repeated_columns_use_the_first(tmp_path):
    extra = "      mapping: {title: Watchers}\n"
    table = read(tmp_path, "jira_sm_export.csv", "jira", extra).table
    assert set(table["title"]) == {"oncall"}  # the first Watchers column, not the second (sre-lead)


def test_an_incident_may_name_its_registered_risk(tmp_path):
    """An optional `risk` column in the generic CSV; a mapped path in a vendor's JSON."""
    lines = (DATA / "incidents_october.csv").read_text(encoding="utf-8").splitlines()
    with_risk = [lines[0] + ",risk"] + [
        f"{line},R1" if i == 0 else f"{line}," for i, line in enumerate(lines[1:])
    ]
    (tmp_path / "generic.csv").write_text("\n".join(with_risk) + "\n", encoding="utf-8")
    config = write_config(tmp_path, "  incidents: [{path: generic.csv}]\n")
    table = read_incidents_csv(config.sources.incidents[0], context(config)).table
    # the first incident names R1; an empty cell names none
    assert table["risk"].iloc[0] == "R1"
    assert table["risk"].iloc[1:].isna().all()
    # without the column, every incident names none
    plain = read_incidents_csv(
        write_config(
            tmp_path, f"  incidents: [{{path: {DATA / 'incidents_october.csv'}}}]\n"
        ).sources.incidents[0],
        context(config),
    ).table
    assert plain["risk"].isna().all()
    # PagerDuty: `mapping: {risk: <dotted path>}` into each item
    data = json.loads((INCIDENTS / "pagerduty_rest_v2_incidents.json").read_text(encoding="utf-8"))
    data["incidents"][0]["custom"] = {"risk": "R2"}
    (tmp_path / "pd.json").write_text(json.dumps(data), encoding="utf-8")
    config = write_config(
        tmp_path,
        "  incidents: [{path: pd.json, format: pagerduty, mapping: {risk: custom.risk}}]\n",
    )
    table = find_reader("incidents", "pagerduty")(
        config.sources.incidents[0], context(config)
    ).table
    first = str(data["incidents"][0]["id"])
    assert table.set_index("id")["risk"].to_dict()[first] == "R2"
    assert table["risk"].notna().sum() == 1
