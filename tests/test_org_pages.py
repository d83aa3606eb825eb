"""The PDF keeps to a few pages whatever the size of the organisation, and still adds up.

Real PDFs, read back with pypdf: a generated organisation of 50 services in 5 units,
2,000 incidents and 100 risks (tools/make_organisation.py, seeded). `report.detail:
summary` (the default) prints page 1, at most 7 more pages before the technical
appendix and at most 16 in all; `full` prints every row.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
from pypdf import PdfReader

from briefing import pipeline
from briefing.config import load_config
from briefing.model import Period
from tools.make_organisation import Organisation, make_organisation

OCTOBER = Period(2026, 10)
NOW = datetime(2026, 11, 2, tzinfo=UTC)


def build(config_path: Path, out: Path) -> tuple[list[str], dict]:
    result = pipeline.build(
        load_config(config_path), OCTOBER, formats=["pdf", "json"], out_dir=out, now=NOW
    )
    pages = [page.extract_text() or "" for page in PdfReader(result.files["pdf"]).pages]
    return pages, json.loads(result.outputs["json"])


def flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


@pytest.fixture(scope="module")
def org50(tmp_path_factory: pytest.TempPathFactory) -> tuple[list[str], dict]:
    root = tmp_path_factory.mktemp("org50")
    config = make_organisation(Organisation(50, 30, 2000, 100, groups=5), root / "ws")
    return build(config, root / "out")


def test_the_summary_keeps_to_its_pages(org50: tuple[list[str], dict]) -> None:
    pages, _ = org50
    appendix = next(i for i, text in enumerate(pages) if "Technical appendix" in text)
    assert appendix <= 8  # page 1 and at most 7 more before it (0-based: its page is 9 at most)
    assert len(pages) <= 16


def test_the_summary_counts_the_rest_and_adds_up(org50: tuple[list[str], dict]) -> None:
    pages, data = org50
    text = flat(" ".join(pages))
    count = data["incidents"]["count"]
    assert count > 10
    # the ten costliest incidents are printed, the rest are one row
    assert f"and {count - 10:,} smaller service disruptions" in text
    assert f"and {len(data['services']) - 10} other services" in text
    assert f"and {len(data['risks']['items']) - 10} smaller risks" in text
    # the units add up to the organisation: 50 services, and the services' total cost
    groups = data["groups"]
    assert len(groups) == 5
    assert sum(g["services"] for g in groups) == len(data["services"]) == 50
    total = sum(s["downtime_cost"] or 0 for s in data["services"])
    assert sum(g["downtime_cost"] for g in groups) == pytest.approx(total)
    assert "All units 50" in text


def test_page_1_is_the_organisations_figure(org50: tuple[list[str], dict]) -> None:
    pages, data = org50
    headline = data["headline"]
    over = [s for s in data["services"] if s["status"] == "exhausted" and s["complete"]]
    assert len(over) > 1
    assert headline["unit"] == "currency"
    assert headline["value"] == pytest.approx(sum(s["downtime_cost"] for s in over))
    assert {s["id"] for s in headline["services"]} == {s["id"] for s in over}
    page1 = flat(pages[0])
    named = [s["name"] for s in headline["services"][:3]]
    assert all(name in page1 for name in named)
    fourth = headline["services"][3]["name"]
    assert fourth not in flat(headline["decision"])
    assert f"and {len(over) - 3} others" in page1
    # the pause lasts until each named service is back within its allowance, in words
    # that agree in number ("each of A, B and C is back")
    assert headline["until_condition"].startswith(
        f"until each of {named[0]}, {named[1]} and {named[2]} is back within its downtime "
        "allowance over its last "
    )


def test_full_detail_prints_every_incident(tmp_path: Path) -> None:
    config = make_organisation(Organisation(9, 30, 60, 12, groups=3, seed=7), tmp_path / "ws")
    config.write_text(config.read_text() + "report:\n  detail: full\n", encoding="utf-8")
    pages, data = build(config, tmp_path / "out")
    text = flat(" ".join(pages))
    assert data["incidents"]["count"] > 10
    for item in data["incidents"]["items"]:
        assert item["id"] in text
    assert "smaller service disruptions" not in text


def test_the_sample_prints_all_of_its_few_rows(tmp_path: Path) -> None:
    sample = Path(__file__).resolve().parent.parent / "briefing" / "samples" / "briefing.yaml"
    pages, data = build(sample, tmp_path)
    text = flat(" ".join(pages))
    for service in data["services"]:
        assert service["name"] in text
    for item in data["incidents"]["items"]:
        assert item["id"] in text
    assert " other services" not in text
    assert "smaller service disruptions" not in text


def test_a_units_briefing_prints_the_unit_on_its_cover(tmp_path: Path) -> None:
    config_path = make_organisation(Organisation(9, 30, 60, 12, groups=3, seed=7), tmp_path / "ws")
    result = pipeline.build(
        load_config(config_path),
        OCTOBER,
        formats=["pdf", "html", "json"],
        out_dir=tmp_path / "out",
        now=NOW,
        group="Unit B",
    )
    data = json.loads(result.outputs["json"])
    assert (data["organization"], data["group"]) == ("Benchmark Corp", "Unit B")
    cover = flat(PdfReader(result.files["pdf"]).pages[0].extract_text() or "")
    assert "Unit B" in cover
    assert "Benchmark Corp – Unit B" not in cover
    html = result.outputs["html"].decode("utf-8")
    assert '<p class="unit">Unit B</p>' in html
    # only the unit's services, in every output
    others = [f"svc-{i:03d}" for i in range(9) if i % 3 != 1]
    assert all(s["id"] not in others for s in data["services"])
    assert not any(f"{sid}<" in html or f" {sid} " in html for sid in others)
