"""Calibration of register entries from the incident history, and `briefing risks calibrate`."""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import pytest
import yaml
from click.testing import CliRunner

from briefing.cli import cli
from briefing.compute.calibrate import (
    FitWarning,
    calibrate,
    fit_lognormal,
    poisson_rate_range,
)
from briefing.config import ServiceConfig, load_config
from briefing.errors import Location
from briefing.ingest.context import ReadContext
from briefing.ingest.risks import read_risks
from briefing.ingest.tables import conform
from briefing.model import Period
from briefing.translate.register import render_register, warning_text

HERE = Location(Path("briefing.yaml"))
SERVICES = (ServiceConfig("checkout", "Online checkout", 0.999, 42000.0, "", HERE),)
SAMPLE = Path(__file__).resolve().parents[2] / "briefing" / "samples" / "briefing.yaml"


def incident(
    iid: str, start: str, ttd: float | None, ttr: float, impact: float, category: str | None = None
) -> dict:
    started = pd.Timestamp(start)
    detected = started + pd.Timedelta(minutes=ttd) if ttd is not None else pd.NaT
    return {
        "id": iid,
        "service": "checkout",
        "title": iid,
        "severity": "SEV2",
        "started_at": started,
        "detected_at": detected,
        "resolved_at": started + pd.Timedelta(minutes=(ttd or 0) + ttr),
        "impact": impact,
        "category": category,
    }


def test_poisson_range_exact_values() -> None:
    # none seen: 0 .. -ln(0.05) = 2.9957; one seen: -ln(0.95) = 0.05129 .. 4.7439 (Garwood)
    assert poisson_rate_range(0) == pytest.approx((0.0, -math.log(0.05)))
    assert poisson_rate_range(1) == pytest.approx((-math.log(0.95), 4.743865), rel=1e-6)
    # two seen: chi-square(4) 5% / 2 = 0.3553615, chi-square(6) 95% / 2 = 6.2957936
    assert poisson_rate_range(2) == pytest.approx((0.3553615, 6.2957936), rel=1e-6)


def test_lognormal_fit_by_hand() -> None:
    # logs of 10 and 40: mean ln 20, sample sd = ln 4 / sqrt 2 = 0.980258
    middle, (low, high) = fit_lognormal(pd.Series([10.0, 40.0]).to_numpy())
    sigma = math.log(4) / math.sqrt(2)
    assert middle == pytest.approx(20.0)
    assert low == pytest.approx(20 * math.exp(-1.644854 * sigma))  # 3.99
    assert high == pytest.approx(20 * math.exp(1.644854 * sigma))  # 100.3
    assert low == pytest.approx(3.988, abs=0.001)
    # times under a minute count as one minute; one value gives no range
    assert fit_lognormal(pd.Series([0.0]).to_numpy()) == (1.0, None)


def test_calibrate_service_and_category_with_warnings() -> None:
    incidents = conform(
        pd.DataFrame(
            [
                incident("I1", "2026-01-01T00:00Z", 10, 100, 0.2, "deploy"),
                incident("I2", "2026-01-31T00:00Z", 40, 25, 0.4, "deploy"),
                incident("I3", "2026-03-01T22:00Z", None, 120, 0.6),
            ]
        ),
        "incidents",
    )
    fits = calibrate(incidents, SERVICES)
    assert [f.id for f in fits] == ["checkout-history", "checkout-deploy"]
    whole, deploy = fits
    # history: 2026-01-01T00:00 to I3's end 2026-03-02T00:00 = 60 days; 3 incidents: one every 20 days
    assert whole.incidents == 3
    assert whole.timed == 2
    assert whole.ettf_days == pytest.approx(20.0)
    low, high = poisson_rate_range(3)
    assert whole.ettf_days_90 == pytest.approx((60 / high, 60 / low))
    # time to notice of 10 and 40: middle 20; to fix of 100 and 25: middle 50
    assert whole.ettd_minutes == pytest.approx(20.0)
    assert whole.ettr_minutes == pytest.approx(50.0)
    assert whole.impact == pytest.approx(0.4)  # (0.2 + 0.4 + 0.6) / 3
    # compute gives the reasons and their counts; translate words them
    assert whole.warnings == (FitWarning("few_incidents", 3), FitWarning("some_undetected", 1))
    assert warning_text(whole.warnings[0]).startswith(
        "only 3 incidents behind this fit: too few to trust (fewer than 10)"
    )
    assert warning_text(whole.warnings[1]).startswith("1 incident has no detection time")
    # the deploy category: 2 incidents over the same 60 days: one every 30 days
    assert (deploy.category, deploy.incidents, deploy.ettf_days) == (
        "deploy",
        2,
        pytest.approx(30.0),
    )


def test_ten_incidents_are_enough_to_trust() -> None:
    rows = [incident(f"I{i}", f"2026-01-{i + 1:02d}T00:00Z", 5 + i, 30, 0.5) for i in range(10)]
    (fit,) = calibrate(conform(pd.DataFrame(rows), "incidents"), SERVICES)
    assert fit.incidents == 10
    assert fit.warnings == ()


def test_rendered_entries_load_as_a_register(tmp_path: Path) -> None:
    incidents = conform(
        pd.DataFrame(
            [
                incident("I1", "2026-01-01T00:00Z", 10, 100, 0.2, "deploy"),
                incident("I2", "2026-01-31T00:00Z", 40, 25, 0.4, "deploy"),
                incident("I3", "2026-03-01T22:00Z", 0, 120, 0.6, "capacity"),
            ]
        ),
        "incidents",
    )
    text = render_register(calibrate(incidents, SERVICES), history="3 incidents")
    assert "# WARNING: only 3 incidents behind this fit" in text
    assert "  # 3 incidents behind this entry (3 with a detection time)" in text
    # translate titles each entry from the service's business name and the category
    assert '  title: "Online checkout: deploy: incidents like those of the history"' in text
    (tmp_path / "calibrated.yaml").write_text(text, encoding="utf-8")
    (tmp_path / "briefing.yaml").write_text(
        "organization: X\nservices: [{id: checkout, objective: 0.999}]\n"
        "sources: {risks: [{path: calibrated.yaml}]}\n",
        encoding="utf-8",
    )
    config = load_config(tmp_path / "briefing.yaml")
    ctx = ReadContext(config, Period(2026, 10), frozenset({"checkout"}))
    loaded = read_risks(config.sources.risks[0], ctx)
    quality = loaded.quality[0]
    assert (quality.rows_read, quality.rows_rejected) == (3, 0)
    assert list(loaded.table["id"]) == ["checkout-history", "checkout-capacity", "checkout-deploy"]
    first = loaded.table.iloc[0]
    assert first["ettd_lo"] <= first["ettd_minutes"] <= first["ettd_hi"]
    assert first["ettf_lo"] <= first["ettf_days"] <= first["ettf_hi"]


def test_cli_prints_and_writes_entries_with_warnings(tmp_path: Path) -> None:
    runner = CliRunner()
    shown = runner.invoke(cli, ["risks", "calibrate", "--config", str(SAMPLE)])
    assert shown.exit_code == 0, shown.output
    data = yaml.safe_load(shown.stdout)
    # the sample's 46 incidents: 11 checkout, 7 payments, 10 search, 10 catalog, 8 accounts
    assert [(r["id"], r["service"]) for r in data["risks"]] == [
        ("checkout-history", "checkout"),
        ("payments-history", "payments"),
        ("search-history", "search"),
        ("catalog-history", "catalog"),
        ("accounts-history", "accounts"),
    ]
    assert "# 11 incidents behind this entry (11 with a detection time)" in shown.stdout
    assert (
        "warning: payments-history: only 7 incidents behind this fit: too few to trust"
        in shown.stderr
    )
    assert "checkout-history: only" not in shown.stderr  # 11 is enough
    out = tmp_path / "calibrated.yaml"
    written = runner.invoke(cli, ["risks", "calibrate", "--config", str(SAMPLE), "--out", str(out)])
    assert written.exit_code == 0
    assert out.read_text(encoding="utf-8") == shown.stdout
    assert f"Wrote 5 risk register entries to {out}" in written.stderr


def test_cli_without_incident_exports_exits_1(tmp_path: Path) -> None:
    (tmp_path / "briefing.yaml").write_text(
        "organization: X\nservices: [{id: a, objective: 0.99}]\n", encoding="utf-8"
    )
    result = CliRunner().invoke(
        cli, ["risks", "calibrate", "--config", str(tmp_path / "briefing.yaml")]
    )
    assert result.exit_code == 1
    assert "error: no incident exports to calibrate from" in result.stderr
