"""briefing-YYYY-MM.json against the JSON Schema shipped in the package."""

from __future__ import annotations

import copy
import dataclasses
import json
import math

import jsonschema
import pytest

from briefing.errors import BriefingError
from briefing.render import render_json, schema, validate_json
from tests.render.fixtures import DESIGN_REQUIRED, make_briefing


def test_schema_is_valid_draft_2020_12() -> None:
    loaded = schema()
    assert loaded["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    jsonschema.Draft202012Validator.check_schema(loaded)
    assert loaded["required"] == DESIGN_REQUIRED


def test_fixture_json_validates() -> None:
    validate_json(json.loads(render_json(make_briefing())))


def test_schema_requires_every_design_field() -> None:
    defs = schema()["$defs"]
    assert set(defs["headline"]["required"]) == {
        "kind",
        "value",
        "unit",
        "service",
        "text",
        "decision",
        "owner",
        "due",
        # the decision-grade page 1
        "ask",
        "scope",
        "until",
        "until_condition",
        "cause",
        "cost_of_inaction",
        "cost_of_action",
        "alternatives",
        "issued",
    }
    assert defs["headline"]["properties"]["ask"]["enum"] == ["approve", "note"]
    assert set(defs["cause"]["required"]) == {"incidents", "budget_share", "risk"}
    assert set(defs["amount"]["required"]) == {"amount", "basis"}
    assert set(defs["alternative"]["required"]) == {"decision", "effect"}
    # the trust gate and the reconciliation
    assert {"coverage", "gaps", "complete", "incident_cost", "unattributed_cost"} <= set(
        defs["service"]["required"]
    )
    assert set(defs["gap"]["required"]) == {"start", "end"}
    assert {"measured_cost", "no_bad_events"} <= set(defs["incident"]["required"])
    assert set(defs["unrecorded_failure"]["required"]) == {
        "service",
        "day",
        "equivalent_outage_minutes",
        "cost",
    }
    assert "basis" in defs["fact"]["required"]
    assert defs["fact"]["properties"]["basis"]["enum"] == ["measured", "estimated", "modelled"]
    assert {
        "observed_bad_minutes_per_year",
        "observed_percentile",
        "register_underestimates",
    } <= set(defs["risk_by_service"]["required"])
    assert defs["headline"]["properties"]["kind"]["enum"] == [
        "budget_exhausted",
        "risk_exposure",
        "loss_avoided",
    ]
    assert defs["headline"]["properties"]["unit"]["enum"] == ["fraction", "currency", "minutes"]
    assert set(defs["incidents"]["required"]) == {
        "count",
        "by_severity",
        "mttd_minutes",
        "mttr_minutes",
        "downtime_cost",
        "items",
    }
    assert set(defs["loss_avoided"]["required"]) == {"total", "p10", "p90", "components"}
    assert set(defs["risks"]["required"]) == {"threshold_fraction", "items", "by_service"}
    assert set(defs["file"]["required"]) == {
        "path",
        "format",
        "rows_read",
        "rows_used",
        "rows_rejected",
        "rejections",
    }


@pytest.mark.parametrize(
    ("change", "where"),
    [
        (lambda d: d.pop("headline"), "$: 'headline' is a required property"),
        (lambda d: d["headline"].update(kind="panic"), "$.headline.kind"),
        (lambda d: d["services"][0].update(status="fine"), "$.services[0].status"),
        (lambda d: d["incidents"]["items"][0].pop("needs_postmortem"), "$.incidents.items[0]"),
        (lambda d: d["data_quality"]["files"][0].update(rows_read=-1), "rows_read"),
    ],
)
def test_broken_json_is_one_clear_error(change, where: str) -> None:  # type: ignore[no-untyped-def]
    data = json.loads(render_json(make_briefing()))
    broken = copy.deepcopy(data)
    change(broken)
    with pytest.raises(BriefingError) as info:
        validate_json(broken)
    assert where in str(info.value)


def test_floats_are_rounded_and_nan_is_null() -> None:
    briefing = make_briefing()
    noisy = dataclasses.replace(
        briefing,
        loss_avoided=dataclasses.replace(briefing.loss_avoided, total=0.1 + 0.2, p10=math.nan),
    )
    data = json.loads(render_json(noisy))
    # 0.1 + 0.2 = 0.30000000000000004 in binary floating point; 12 significant digits -> 0.3
    assert data["loss_avoided"]["total"] == 0.3
    assert data["loss_avoided"]["p10"] is None
    assert b"NaN" not in render_json(noisy)


def test_json_is_pretty_utf8_with_a_final_newline() -> None:
    data = render_json(make_briefing())
    text = data.decode("utf-8")
    assert text.startswith('{\n  "schema_version": "1.0",\n  "organization": "Example Corp",')
    assert text.endswith("}\n")
    assert "€44,371" in text  # not \u20ac escapes
