"""The bundled sample over a year: backfill, a recorded decision, and the next briefing's
page 1 and `history[]`, checked against the exports summed with plain pandas."""

from __future__ import annotations

import io
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from pypdf import PdfReader

from briefing.config import packaged_sample_config

SAMPLE = packaged_sample_config().parent
OBJECTIVE = {"checkout": 0.999, "payments": 0.9995, "search": 0.995, "catalog": 0.999, "accounts": 0.999}  # fmt: skip


def briefing(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "briefing", *args],
        capture_output=True,
        text=True,
        check=False,
        cwd=cwd,
    )


@pytest.fixture(scope="module")
def year(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    ws = tmp_path_factory.mktemp("ws")
    shutil.copytree(SAMPLE, ws, dirs_exist_ok=True)
    backfill = briefing("history", "backfill", "--from", "2025-10", "--to", "2026-09", cwd=ws)
    assert backfill.returncode == 0, backfill.stderr
    listed = briefing("history", "list", cwd=ws)
    decided = briefing(
        "decision", "record", "2026-09", "--outcome", "accepted",
        "--note", "Budget approved for both fixes", "--by", "Maria Jansen", cwd=ws,
    )  # fmt: skip
    assert decided.returncode == 0, decided.stderr
    built = briefing("build", "--out", "out", "--strict", cwd=ws)
    assert built.returncode == 0, built.stderr
    assert "warning" not in built.stderr.lower()
    return {"ws": ws, "listed": listed.stdout, "backfill": backfill.stdout}


def test_backfill_lists_twelve_months(year: dict[str, object]) -> None:
    rows = [line.split()[0] for line in str(year["listed"]).splitlines()[1:]]
    assert rows == [str(m) for m in pd.period_range("2025-10", "2026-09", freq="M")]
    assert "12 of 12 periods recorded" in str(year["backfill"])


def test_next_page_one_shows_the_decision_its_note_and_who(year: dict[str, object]) -> None:
    ws = Path(str(year["ws"]))
    pdf = (ws / "out" / "briefing-2026-10.pdf").read_bytes()
    text = " ".join(PdfReader(io.BytesIO(pdf)).pages[0].extract_text().split())
    assert "LAST MONTH'S DECISION · September 2026" in text
    assert "Accepted, recorded by Maria Jansen: “Budget approved for both fixes”" in text
    # September's headline was the two risks needing action; the register has not changed
    assert "The yearly cost at stake from risks that need action stayed at" in text
    assert "AUTHOR'S NOTE" in text
    assert "October's overrun is one bad settings change on the 15th" in text
    data = json.loads((ws / "out" / "briefing-2026-10.json").read_text())
    assert data["previous_decision"]["by"] == "Maria Jansen"
    assert data["previous_decision"]["outcome"] == "accepted"


def test_each_months_allowance_used_is_the_sum_of_its_data(year: dict[str, object]) -> None:
    ws = Path(str(year["ws"]))
    data = json.loads((ws / "out" / "briefing-2026-10.json").read_text())
    months = [p["period"] for p in data["history"]]
    assert months == [str(m) for m in pd.period_range("2025-11", "2026-10", freq="M")]
    raw = pd.read_csv(ws / "exports" / "sli.csv.gz")
    raw["timestamp"] = pd.to_datetime(raw["timestamp"], utc=True)
    for point in data["history"]:
        start = pd.Timestamp(f"{point['period']}-01", tz="Europe/Amsterdam")
        end = start + pd.offsets.MonthBegin(1)
        rows = raw[(raw["timestamp"] >= start) & (raw["timestamp"] < end)]
        for service in point["services"]:
            mine = rows[rows["service"] == service["id"]]
            # used = failed / (allowed share x all requests) over the month's own buckets
            bad = int(mine["total"].sum() - mine["good"].sum())
            allowed = round(1 - OBJECTIVE[service["id"]], 12) * int(mine["total"].sum())
            assert service["budget_consumed"] == pytest.approx(bad / allowed, rel=1e-9, abs=1e-6)
    # the store's backfilled figures are the same numbers (a finance reader's check)
    stored = briefing("history", "show", "2026-03", cwd=ws).stdout
    march = next(p for p in data["history"] if p["period"] == "2026-03")
    checkout = next(s for s in march["services"] if s["id"] == "checkout")
    line = next(x for x in stored.splitlines() if x.startswith("checkout "))
    assert line.split()[1] == f"{round(checkout['budget_consumed'] * 100)}%"
