"""Fuzzing the risk register (YAML and CSV): a reconciled table or one located error."""

from __future__ import annotations

import csv
import io
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from briefing.config import Config, load_config
from briefing.ingest.context import Loaded, ReadContext
from briefing.ingest.risks import INTERVALS, KNOWN_KEYS, read_risks
from briefing.ingest.tables import check_table
from briefing.model import Period
from tests.conftest import fuzz_settings
from tests.fuzzing import result_or_located_error

FUZZ = fuzz_settings()

NUMBERS = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(min_value=-(10**400), max_value=10**400),
    st.sampled_from(["50%", "150%", "ten", "", "1e308", "-0", "nan", "0x10"]),
)
SCALARS = st.one_of(st.none(), st.booleans(), st.text(max_size=20), NUMBERS)
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=6), inner, max_size=3)
    ),
    max_leaves=5,
)
RISK = st.fixed_dictionaries(
    {
        "id": st.one_of(st.sampled_from(["R1", "R2", "R1 "]), SCALARS),
        "service": st.one_of(st.sampled_from(["checkout", "payments", "Checkout"]), SCALARS),
        "ettd_minutes": NUMBERS,
        "ettr_minutes": NUMBERS,
        "impact": NUMBERS,
        "ettf_days": NUMBERS,
    },
    optional={
        **{key: st.one_of(st.lists(NUMBERS, max_size=3), VALUES) for key in INTERVALS},
        "title": VALUES,
        "owner": VALUES,
        "before": st.one_of(
            st.dictionaries(st.sampled_from(["impact", "ettf_days", "x"]), NUMBERS), VALUES
        ),
        "colour": VALUES,
    },
)
CSV_COLUMNS = sorted(
    {
        *KNOWN_KEYS - set(INTERVALS) - {"before"},
        "ettd_lo",
        "ettd_hi",
        "ettf_days_90_lo",
        "before_ettf_days",
        "x",
    }
)
CELLS = st.one_of(
    st.text(st.sampled_from(list('0123456789.-e%,"\n ab')), max_size=8),
    st.sampled_from(["checkout", "R1"]),
)


@pytest.fixture(scope="module")
def setup() -> Iterator[tuple[Config, ReadContext, Path]]:
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        (folder / "risks.yaml").write_text("risks:\n")
        (folder / "risks.csv").write_text("id\n")
        (folder / "briefing.yaml").write_text(
            "organization: Example Corp\nperiod: 2026-10\nservices:\n"
            "  - {id: checkout, objective: 0.999, cost_of_downtime_per_hour: 42000}\n"
            "  - {id: payments, objective: 0.9995, cost_of_downtime_per_hour: 60000}\n"
            "sources:\n  risks: [{path: risks.yaml}, {path: risks.csv}]\n"
        )
        config = load_config(folder / "briefing.yaml")
        ctx = ReadContext(config, Period(2026, 10), frozenset({"checkout", "payments"}))
        yield config, ctx, folder


def check(config: Config, ctx: ReadContext, index: int) -> None:
    outcome = result_or_located_error(lambda: read_risks(config.sources.risks[index], ctx))
    if isinstance(outcome, Loaded):
        check_table(outcome.table, "risks")
        (quality,) = outcome.quality
        assert quality.rows_read == quality.rows_used + quality.rows_rejected
        assert len(outcome.table) == quality.rows_used


@FUZZ
@given(
    document=st.one_of(
        st.fixed_dictionaries({"risks": st.lists(RISK, max_size=4)}),
        st.lists(RISK, max_size=3),
        VALUES,
    )
)
def test_fuzz_risk_register_yaml(setup: tuple[Config, ReadContext, Path], document: Any) -> None:
    config, ctx, folder = setup
    (folder / "risks.yaml").write_text(
        yaml.safe_dump(document, allow_unicode=True), encoding="utf-8"
    )
    check(config, ctx, 0)


@FUZZ
@given(
    header=st.lists(st.sampled_from(CSV_COLUMNS), min_size=1, max_size=10),
    rows=st.lists(st.lists(CELLS, max_size=11), max_size=5),
)
def test_fuzz_risk_register_csv(
    setup: tuple[Config, ReadContext, Path], header: list[str], rows: list[list[str]]
) -> None:
    config, ctx, folder = setup
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows(rows)
    (folder / "risks.csv").write_text(buffer.getvalue(), encoding="utf-8")
    check(config, ctx, 1)
