"""The bundled sample, built end to end: what an executive and a script receive."""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from pypdf import PdfReader

from briefing.config import packaged_sample_config
from briefing.render.json import validate_json
from tests.render.fixtures import DESIGN_TOP_LEVEL

SAMPLE = packaged_sample_config().parent
PERSONAL = ("jane.doe", "northwind.example>", "555 0134", "+31 20", "10.20.30.40")


def build(
    workspace: Path, out: Path, *, tz: str = "UTC", strict: bool = True
) -> subprocess.CompletedProcess[str]:
    args = [
        sys.executable,
        "-m",
        "briefing",
        "build",
        "--config",
        str(workspace / "briefing.yaml"),
        "--out",
        str(out),
    ]
    if strict:
        args.append("--strict")
    env = {**os.environ, "TZ": tz}
    return subprocess.run(args, capture_output=True, text=True, env=env, check=False)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    workspace = tmp_path_factory.mktemp("ws")
    shutil.copytree(SAMPLE, workspace, dirs_exist_ok=True)
    out = tmp_path_factory.mktemp("out")
    result = build(workspace, out)
    assert result.returncode == 0, result.stderr
    assert "warning" not in result.stderr.lower(), result.stderr
    return {
        "workspace": workspace,
        "out": out,
        **{fmt: out / f"briefing-2026-10.{fmt}" for fmt in ("pdf", "html", "json")},
    }


def test_sample_builds_strictly_into_three_files(built: dict[str, Path]) -> None:
    assert sorted(p.name for p in built["out"].iterdir()) == [
        "briefing-2026-10.html",
        "briefing-2026-10.json",
        "briefing-2026-10.pdf",
    ]


def test_json_validates_and_carries_the_contract(built: dict[str, Path]) -> None:
    data = json.loads(built["json"].read_text())
    validate_json(data)
    assert list(data)[:10] == DESIGN_TOP_LEVEL
    assert data["period"] == {
        "start": "2026-10-01T00:00:00+02:00",
        "end": "2026-11-01T00:00:00+01:00",
        "label": "2026-10",
    }
    for file in data["data_quality"]["files"]:
        assert file["rows_read"] == file["rows_used"] + file["rows_rejected"]


def test_sample_service_figures_match_the_raw_export(built: dict[str, Path]) -> None:
    """Recompute checkout's October from the CSV with plain pandas, independently of briefing."""
    raw = pd.read_csv(built["workspace"] / "exports" / "sli.csv.gz")
    raw["timestamp"] = pd.to_datetime(raw["timestamp"], utc=True)
    # October in Amsterdam: 2026-09-30T22:00Z (CEST) to 2026-10-31T23:00Z (CET)
    october = raw[
        (raw["timestamp"] >= "2026-09-30T22:00Z") & (raw["timestamp"] < "2026-10-31T23:00Z")
    ]
    data = json.loads(built["json"].read_text())
    services = {s["id"]: s for s in data["services"]}
    for service_id, objective in (("checkout", 0.999), ("search", 0.995)):
        rows = october[october["service"] == service_id]
        good, total = int(rows["good"].sum()), int(rows["total"].sum())
        bad = total - good
        status = services[service_id]
        assert (status["good"], status["total"], status["bad"]) == (good, total, bad)
        budget_events = round(1 - objective, 12) * total
        assert status["budget_events"] == pytest.approx(budget_events, rel=1e-6)
        assert status["budget_remaining"] == pytest.approx(1 - bad / budget_events, rel=1e-6)
        minutes = 31 * 1440 + 60  # the clocks go back on 25 October
        assert status["equivalent_outage_minutes"] == pytest.approx(bad / total * minutes, rel=1e-6)
    assert services["checkout"]["status"] == "exhausted"
    assert services["search"]["status"] == "healthy"
    assert data["headline"]["service"] == "checkout"
    assert data["headline"]["value"] == pytest.approx(
        services["checkout"]["budget_remaining"], abs=1e-6
    )


def test_pdf_page_one_holds_the_number_and_the_decision(built: dict[str, Path]) -> None:
    data = json.loads(built["json"].read_text())
    used = round((1 - data["headline"]["value"]) * 100)
    page_one = PdfReader(io.BytesIO(built["pdf"].read_bytes())).pages[0].extract_text()
    flat = " ".join(page_one.split())
    assert f"{used}%" in flat
    assert " ".join(data["headline"]["decision"].split()) in flat
    assert "Head of Commerce Engineering" in flat


def test_html_is_self_contained(built: dict[str, Path]) -> None:
    html = built["html"].read_text()
    assert not re.search(r"""(?:src|href)\s*=\s*["']?(?:https?:|//|file:)""", html, re.IGNORECASE)
    assert not re.search(r"url\(\s*['\"]?(?:https?:|//|file:)", html, re.IGNORECASE)
    assert "<script src" not in html
    assert "<svg" in html


def test_personal_data_is_absent_from_every_output(built: dict[str, Path]) -> None:
    pdf_text = "".join(
        page.extract_text() for page in PdfReader(io.BytesIO(built["pdf"].read_bytes())).pages
    )
    for name, text in (
        ("html", built["html"].read_text()),
        ("json", built["json"].read_text()),
        ("pdf", pdf_text),
    ):
        for secret in PERSONAL:
            assert secret not in text, f"{secret!r} leaked into the {name}"
    assert "[redacted]" not in built["json"].read_text()  # redacted text reads naturally
    assert "reported by a customer" in built["json"].read_text()


def test_same_inputs_same_bytes_in_any_time_zone_and_folder(
    built: dict[str, Path], tmp_path: Path
) -> None:
    elsewhere = tmp_path / "another" / "workspace"
    shutil.copytree(built["workspace"], elsewhere)
    result = build(elsewhere, tmp_path, tz="Pacific/Auckland")
    assert result.returncode == 0, result.stderr
    for fmt in ("json", "html", "pdf"):
        again = (tmp_path / f"briefing-2026-10.{fmt}").read_bytes()
        assert again == built[fmt].read_bytes(), (
            f"{fmt} differs when built elsewhere in Pacific/Auckland"
        )


GOLDEN = Path(__file__).resolve().parent / "golden" / "sample-briefing-2026-10.json"


def test_sample_figures_match_the_reviewed_golden_file(
    built: dict[str, Path], update_golden: bool
) -> None:
    """Every figure of the sample, as reviewed: a change shows up as a readable JSON diff.

    Rewrite with `python -m pytest tests/test_build_sample.py --update-golden` and review the diff.
    """
    current = built["json"].read_text()
    if update_golden:
        GOLDEN.parent.mkdir(exist_ok=True)
        GOLDEN.write_text(current)
    assert GOLDEN.is_file(), "no golden file yet: run with --update-golden and review it"
    assert json.loads(current) == json.loads(GOLDEN.read_text())
