"""OpenSLO v1: the real examples load or are refused for a stated reason; our own files load exactly."""

from __future__ import annotations

import shutil

import pytest
from ingest_support import DATA, OCTOBER, REAL_WORLD, context, write_config

from briefing.errors import BriefingError
from briefing.ingest import read_slos
from briefing.ingest.openslo import read_openslo
from briefing.model import SloDefinition

OPENSLO = REAL_WORLD / "openslo"

# every real-world file: (SLOs it yields as (service, objective, method, slice threshold, slice minutes,
# window, window days)) or the reason it is refused
REAL_FILES = {
    "decode_v1_slos.yaml": [("foo", 0.98, "occurrences", None, None, "calendar", None)],
    "v1_examples_slos.yaml": [("web", 0.995, "timeslices", 0.95, 1, "calendar", 7.0)],
    "v1_examples_services.yaml": [],
    "v1_examples_slis.yaml": [],
    "v1_examples_data_sources.yaml": [],
    "inline_inputs_v1_slo.yaml": r"inline_inputs_v1_slo.yaml:11:spec.indicator.spec.thresholdMetric: SLO 'my-slo-1' "
    r"\(document 1\): .*thresholdMetric is not supported",
    "inline_inputs_v1_slo_invalid_sli.yaml": r"inline_inputs_v1_slo_invalid_sli.yaml:7:spec.indicatorRef: SLO 'my-slo' "
    r"\(document 1\): .*names SLI 'no-sli', which no OpenSLO file of this config defines",
    "inline_inputs_v1_slo_invalid_target.yaml": r"invalid_target.yaml:32:spec.alertPolicies.0.spec.notificationTargets.1.targetRef: "
    r".*names AlertNotificationTarget 'devs-email-notification', which is not defined",
    "v1alpha_examples_slos.yaml": r"v1alpha_examples_slos.yaml:1:apiVersion: SLO 'web-latency-threshold' \(document 1\): "
    r".*'openslo/v1alpha' is not supported; briefing reads openslo/v1",
}


def test_every_real_world_file_is_listed():
    assert sorted(p.name for p in OPENSLO.glob("*.yaml")) == sorted(REAL_FILES)


@pytest.mark.parametrize("name", sorted(REAL_FILES))
def test_real_world_file_loads_or_is_refused_with_its_reason(name, tmp_path):
    expected = REAL_FILES[name]
    config = write_config(tmp_path, f"  slos: [{{path: {OPENSLO / name}}}]\n")
    entry = config.sources.slos[0]
    if isinstance(expected, str):
        with pytest.raises(BriefingError, match=expected):
            read_openslo(entry, context(config))
        return
    loaded = read_openslo(entry, context(config))
    got = [
        (
            s.service,
            s.objective,
            s.budgeting_method,
            s.slice_threshold,
            s.slice_minutes,
            s.time_window,
            s.window_days,
        )
        for s in loaded.slos
    ]
    assert got == expected
    quality = loaded.quality[0]
    assert quality.rows_read == quality.rows_used > 0
    assert len(loaded.table) == 0


def test_own_files_multi_document_and_reference_across_files(tmp_path):
    for name in ("checkout.yaml", "slis.yaml"):
        shutil.copy(DATA / "openslo" / name, tmp_path / name)
    config = write_config(tmp_path, "  slos: [{path: checkout.yaml}, {path: slis.yaml}]\n")
    slos, quality, _ = read_slos(config, OCTOBER)
    assert slos == (
        SloDefinition(
            service="checkout-api",
            objective=pytest.approx(0.999),  # targetPercent 99.9 / 100
            budgeting_method="occurrences",
            time_window="calendar",
            window_days=pytest.approx(365.25 / 12),  # 1M: one calendar month
            source=f"{tmp_path / 'checkout.yaml'}#checkout-availability",
        ),
        SloDefinition(
            service="search",
            objective=0.995,
            budgeting_method="timeslices",
            slice_threshold=0.9,
            slice_minutes=5,
            time_window="rolling",
            window_days=28.0,
            source=f"{tmp_path / 'checkout.yaml'}#search-availability",
        ),
    )
    # checkout.yaml: three documents (Service, two SLOs); slis.yaml: one SLI, no SLO
    assert [(q.rows_read, q.rows_used, q.rows_rejected) for q in quality] == [(3, 3, 0), (1, 1, 0)]
    assert any("no SLO documents" in n for n in quality[1].notes)


def test_objectives_can_come_from_openslo_instead_of_the_config(tmp_path):
    shutil.copy(DATA / "openslo" / "checkout.yaml", tmp_path / "checkout.yaml")
    shutil.copy(DATA / "openslo" / "slis.yaml", tmp_path / "slis.yaml")
    services = "  - {id: checkout-api, name: Online checkout, cost_of_downtime_per_hour: 60000}\n"
    config = write_config(
        tmp_path, "  slos: [{path: checkout.yaml}, {path: slis.yaml}]\n", services=services
    )
    assert config.services[0].objective is None
    slos, _, _ = read_slos(config, OCTOBER)
    assert {s.service: s.objective for s in slos} == {
        "checkout-api": pytest.approx(0.999),
        "search": 0.995,
    }


SLO_HEAD = """\
apiVersion: openslo/v1
kind: SLO
metadata:
  name: broken
spec:
  service: checkout-api
  indicator:
    metadata: {name: inline}
    spec:
      ratioMetric:
        good: {metricSource: {type: Prometheus, spec: {query: a}}}
        total: {metricSource: {type: Prometheus, spec: {query: b}}}
"""


@pytest.mark.parametrize(
    ("tail", "message"),
    [
        (
            "  budgetingMethod: Occurrences\n  objectives:\n    - {target: 0.99, targetPercent: 99.5}\n",
            r"broken.yaml:15:spec.objectives.0.targetPercent: .*target 0.99 and targetPercent 99.5 disagree",
        ),
        (
            "  budgetingMethod: Occurrences\n  objectives:\n    - {target: 99.9}\n",
            r":15:spec.objectives.0.target: .*must be a number between 0 and 1 \(exclusive\), got 99.9",
        ),
        (
            "  budgetingMethod: Timeslices\n  objectives:\n    - {target: 0.99, timeSliceTarget: 0.9, timeSliceWindow: 1W}\n",
            r"spec.objectives.0.timeSliceWindow: .*'1W' is not an OpenSLO duration",
        ),
        (
            "  budgetingMethod: Timeslices\n  objectives:\n    - {target: 0.99, timeSliceWindow: 1m}\n",
            r"spec.objectives.0.timeSliceTarget: Timeslices needs a timeSliceTarget",
        ),
        (
            "  budgetingMethod: RatioTimeslices\n  objectives:\n    - {target: 0.99}\n",
            r":13:spec.budgetingMethod: .*'RatioTimeslices' is not supported",
        ),
        (
            "  budgetingMethod: Occurrences\n  objectives:\n    - {target: 0.99}\n    - {target: 0.9}\n",
            r":14:spec.objectives: .*expected exactly one objective, found 2",
        ),
        (
            "  budgetingMethod: Occurrences\n  objectives: [5]\n",
            r":14:spec.objectives.0: .*an objective is a mapping \(displayName, target or targetPercent\), got 5",
        ),
        (
            "  budgetingMethod: Occurrences\n  timeWindow: [{duration: 4 weeks}]\n  objectives:\n    - {target: 0.99}\n",
            r"spec.timeWindow.0.duration: .*'4 weeks' is not an OpenSLO duration",
        ),
    ],
)
def test_unsupported_or_invalid_constructs_name_document_and_field(tail, message, tmp_path):
    path = tmp_path / "broken.yaml"
    path.write_text(SLO_HEAD + tail, encoding="utf-8")
    config = write_config(tmp_path, "  slos: [{path: broken.yaml}]\n")
    with pytest.raises(BriefingError, match=message) as caught:
        read_openslo(config.sources.slos[0], context(config))
    assert "SLO 'broken' (document 1)" in str(caught.value)


def test_two_slos_for_one_service_are_refused(tmp_path):
    path = tmp_path / "twice.yaml"
    body = SLO_HEAD + "  budgetingMethod: Occurrences\n  objectives:\n    - {target: 0.99}\n"
    path.write_text(body + "---\n" + body.replace("name: broken", "name: again"), encoding="utf-8")
    config = write_config(tmp_path, "  slos: [{path: twice.yaml}]\n")
    with pytest.raises(
        BriefingError,
        match=r"SLO 'again' \(document 2\): spec.service: service 'checkout-api' already has SLO 'broken'",
    ):
        read_openslo(config.sources.slos[0], context(config))


def test_a_list_under_metadata_is_a_clear_error(tmp_path):
    path = tmp_path / "meta.yaml"
    path.write_text(
        "apiVersion: openslo/v1\nkind: SLO\nmetadata: [1, 2]\nspec: {}\n", encoding="utf-8"
    )
    config = write_config(tmp_path, "  slos: [{path: meta.yaml}]\n")
    with pytest.raises(BriefingError) as caught:
        read_openslo(config.sources.slos[0], context(config))
    assert (
        "meta.yaml:3:metadata: SLO (document 1): metadata: is required and must be a mapping"
        in str(caught.value)
    )
