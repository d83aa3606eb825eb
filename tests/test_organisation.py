"""A generated organisation in business units: units add up, a unit's briefing is its own,
and `--all-groups` reads the inputs once."""

from __future__ import annotations

import csv
import json
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner

from briefing import ingest, pipeline
from briefing.cli import cli
from briefing.config import Config, load_config
from briefing.model import Period
from tools.make_organisation import Organisation, group_of, make_organisation, tier_of

# 9 services in 3 units (A: 0, 3, 6; B: 1, 4, 7; C: 2, 5, 8), 30 days of minutes
ORG = Organisation(services=9, days=30, incidents=90, risks=12, groups=3, seed=7)
OCTOBER = Period(2026, 10)
NOW = datetime(2026, 11, 2, tzinfo=UTC)


@pytest.fixture(scope="module")
def org_config(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_organisation(ORG, tmp_path_factory.mktemp("org"))


@pytest.fixture(scope="module")
def config(org_config: Path) -> Config:
    return load_config(org_config)


def unit_members(name: str) -> list[str]:
    return [f"svc-{i:03d}" for i in range(ORG.services) if group_of(i, ORG.groups) == name]


def test_services_carry_their_unit_and_tier(config: Config) -> None:
    briefing = pipeline.build_briefing(config, OCTOBER, now=NOW)
    assert [(s.group, s.tier) for s in briefing.services] == [
        (group_of(i, 3), tier_of(i, 9)) for i in range(9)
    ]
    # 9 services: the first 9 // 10 -> at least 1 is tier 1, the last 9 // 5 = 1 is tier 3
    assert [s.tier for s in briefing.services] == [1, 2, 2, 2, 2, 2, 2, 2, 3]


def test_units_add_up_to_the_organisation(config: Config) -> None:
    briefing = pipeline.build_briefing(config, OCTOBER, now=NOW)
    assert [g.name for g in briefing.groups] == ["Unit A", "Unit B", "Unit C"]
    assert sum(g.services for g in briefing.groups) == len(briefing.services) == 9
    for unit in briefing.groups:
        members = [s for s in briefing.services if s.group == unit.name]
        assert [s.id for s in members] == unit_members(unit.name)
        assert unit.exhausted == sum(1 for s in members if s.status == "exhausted")
        assert unit.downtime_cost == pytest.approx(sum(s.downtime_cost or 0 for s in members))
        assert unit.worst_service in {s.id for s in members}
    total = sum(s.downtime_cost or 0 for s in briefing.services)
    assert sum(g.downtime_cost for g in briefing.groups) == pytest.approx(total, rel=1e-12)


def test_a_units_briefing_holds_only_its_services_incidents_and_risks(
    config: Config, org_config: Path
) -> None:
    whole = pipeline.build_briefing(config, OCTOBER, now=NOW)
    unit = pipeline.build_briefing(config, OCTOBER, now=NOW, group="Unit B")
    ids = unit_members("Unit B")
    assert ids == ["svc-001", "svc-004", "svc-007"]
    assert [s.id for s in unit.services] == ids
    # the same services have the same figures in both briefings
    assert list(unit.services) == [s for s in whole.services if s.id in ids]
    with (org_config.parent / "data" / "incidents.csv").open() as handle:
        in_export = [row["id"] for row in csv.DictReader(handle) if row["service"] in ids]
    assert in_export, "the generated unit has incidents"
    assert sorted(i.id for i in unit.incidents.items) == sorted(in_export)
    assert unit.incidents.count == len(in_export)
    with (org_config.parent / "data" / "risks.csv").open() as handle:
        registered = [row["id"] for row in csv.DictReader(handle) if row["service"] in ids]
    assert sorted(r.id for r in unit.risks.items) == sorted(registered)
    assert {r.service for r in unit.risks.by_service} <= set(ids)
    assert unit.group == "Unit B"
    assert [g.name for g in unit.groups] == ["Unit B"]
    assert unit.groups[0] == next(g for g in whole.groups if g.name == "Unit B")
    assert unit.organization == "Benchmark Corp \u2013 Unit B"
    assert whole.group is None
    assert whole.organization == "Benchmark Corp"
    # the other units' rows were read (the files reconcile whole) and are said to be left out
    assert unit.data_quality == whole.data_quality
    left_out = 6 * 30 * 1440  # six services' minutes
    assert f"{left_out:,} metric buckets" in unit.notes[0]


def test_all_groups_reads_each_input_once(
    config: Config, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    reads: Counter[str] = Counter()
    find = ingest.find_reader

    def counting(kind: str, fmt: str):  # type: ignore[no-untyped-def]
        reader = find(kind, fmt)
        assert reader is not None

        def read(entry, ctx):  # type: ignore[no-untyped-def]
            reads[Path(entry.path).name] += 1
            return reader(entry, ctx)

        return read

    monkeypatch.setattr(ingest, "find_reader", counting)
    results = pipeline.build_all_groups(
        config, OCTOBER, formats=("json",), out_dir=tmp_path, now=NOW
    )
    assert reads == {"sli.csv": 1, "incidents.csv": 1, "risks.csv": 1}
    assert [r.briefing.group for r in results] == [None, "Unit A", "Unit B", "Unit C"]
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "briefing-2026-10-unit-a.json",
        "briefing-2026-10-unit-b.json",
        "briefing-2026-10-unit-c.json",
        "briefing-2026-10.json",
    ]
    # one build per unit would have read every file four times
    reads.clear()
    pipeline.build(config, OCTOBER, formats=("json",), now=NOW, group="Unit C")
    assert reads == {"sli.csv": 1, "incidents.csv": 1, "risks.csv": 1}


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_an_unknown_group_is_an_error_listing_the_groups(org_config: Path, tmp_path: Path) -> None:
    code, _, stderr = run(
        "build", "--config", str(org_config), "--group", "unit b", "--out", str(tmp_path)
    )
    assert code == 1
    assert f"{org_config}: no service is in group 'unit b'" in stderr
    assert "the groups are: Unit A, Unit B, Unit C" in stderr
    assert "did you mean 'Unit B'?" in stderr
    assert "Traceback" not in stderr
    assert not list(tmp_path.iterdir())


def test_group_and_all_groups_together_is_a_usage_error(org_config: Path) -> None:
    code, _, stderr = run("build", "--config", str(org_config), "--group", "Unit A", "--all-groups")
    assert code == 2
    assert "either --group NAME or --all-groups" in stderr


def test_the_cli_writes_a_units_briefing_beside_the_organisations(
    org_config: Path, tmp_path: Path
) -> None:
    code, stdout, stderr = run(
        "build", "--config", str(org_config), "--format", "json", "--out", str(tmp_path),
        "--group", "Unit A",
    )  # fmt: skip
    assert code == 0, stderr
    written = tmp_path / "briefing-2026-10-unit-a.json"
    assert f"wrote {written}" in stdout
    data = json.loads(written.read_text())
    assert [s["id"] for s in data["services"]] == unit_members("Unit A")
    assert data["group"] == "Unit A"
    assert {i["service"] for i in data["incidents"]["items"]} <= set(unit_members("Unit A"))


def test_without_units_there_are_no_groups(tmp_path: Path) -> None:
    plain = make_organisation(
        Organisation(services=3, days=2, incidents=6, risks=2, groups=0), tmp_path / "plain"
    )
    code, _, stderr = run(
        "build", "--config", str(plain), "--format", "json", "--out", str(tmp_path / "out")
    )
    assert code == 0, stderr
    data = json.loads((tmp_path / "out" / "briefing-2026-10.json").read_text())
    assert data["groups"] == []
    assert data["group"] is None
    assert [s["group"] for s in data["services"]] == [None, None, None]
    assert [s["tier"] for s in data["services"]] == [2, 2, 2]  # no tier given: 2
    code, _, stderr = run("build", "--config", str(plain), "--all-groups")
    assert code == 1
    assert "no service names a group" in stderr
    code, _, stderr = run("build", "--config", str(plain), "--group", "Unit A")
    assert code == 1
    assert "no service names a group, so there is no group 'Unit A'" in stderr


def test_the_schema_holds_units_and_tiers(config: Config) -> None:
    from briefing.errors import BriefingError
    from briefing.render import render_json, validate_json

    data = json.loads(render_json(pipeline.build_briefing(config, OCTOBER, now=NOW)))
    validate_json(data)
    assert set(data["groups"][0]) == {
        "name",
        "services",
        "exhausted",
        "downtime_cost",
        "worst_service",
    }
    data["services"][0]["tier"] = 4
    del data["groups"][1]["worst_service"]
    with pytest.raises(BriefingError) as caught:
        validate_json(data)
    assert "$.services[0].tier" in str(caught.value)
    assert "$.groups[1]: 'worst_service' is a required property" in str(caught.value)


def test_a_units_briefing_answers_to_its_own_owners(tmp_path: Path) -> None:
    """The sample in two units: checkout spent its allowance, but Discovery's decision is not its."""
    import shutil

    from briefing.config import packaged_sample_config

    workspace = tmp_path / "ws"
    shutil.copytree(packaged_sample_config().parent, workspace)
    path = workspace / "briefing.yaml"
    text = path.read_text()
    for service, unit in (("checkout", "Commerce"), ("payments", "Commerce"), ("search", "Discovery"),
                          ("catalog", "Discovery"), ("accounts", "Identity")):  # fmt: skip
        text = text.replace(f"  - id: {service}\n", f"  - id: {service}\n    group: {unit}\n")
    path.write_text(text)
    sample = load_config(path)
    whole = pipeline.build_briefing(sample, OCTOBER, now=NOW)
    assert whole.headline.owner == "Head of Commerce Engineering"  # checkout's allowance
    discovery = pipeline.build_briefing(sample, OCTOBER, now=NOW, group="Discovery")
    owners = {s.owner for s in sample.services if s.group == "Discovery"}
    assert owners == {"Head of Discovery", "Head of Catalogue Engineering"}
    assert discovery.headline.owner in owners | {sample.policy.owner}
    assert "Online checkout" not in discovery.headline.text + discovery.headline.decision
    assert [s.id for s in discovery.services] == ["search", "catalog"]
    assert [g.name for g in whole.groups] == ["Commerce", "Discovery", "Identity"]


def test_all_groups_writes_each_units_pdf_with_only_its_services(tmp_path: Path) -> None:
    from pypdf import PdfReader

    small = make_organisation(
        Organisation(services=4, days=30, incidents=12, risks=4, groups=2), tmp_path / "small"
    )
    out = tmp_path / "out"
    code, stdout, stderr = run(
        "build", "--config", str(small), "--all-groups", "--format", "pdf", "--out", str(out)
    )
    assert code == 0, stderr
    assert sorted(p.name for p in out.iterdir()) == [
        "briefing-2026-10-unit-a.pdf",
        "briefing-2026-10-unit-b.pdf",
        "briefing-2026-10.pdf",
    ]
    assert stdout.count("wrote ") == 3

    def text(name: str) -> str:
        return " ".join(page.extract_text() for page in PdfReader(out / name).pages)

    # Unit A: services 000 and 002; Unit B: 001 and 003
    whole, unit_a = text("briefing-2026-10.pdf"), text("briefing-2026-10-unit-a.pdf")
    assert all(f"Service {n:03d}" in whole for n in range(4))
    assert "Service 000" in unit_a
    assert "Service 002" in unit_a
    assert "Service 001" not in unit_a
    assert "Service 003" not in unit_a
    assert "Unit A" in unit_a
