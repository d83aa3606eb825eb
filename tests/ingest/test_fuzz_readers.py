"""Fuzzing every reader: any input reconciles or ends in one `BriefingError` with a location.

Inputs are the real exports of tests/data/real-world (and our own samples)
mutated by hypothesis: cells replaced by hostile values (huge, NaN, far-future,
DST-gap times, control characters, other types), keys dropped, items of the
wrong type, bytes garbled. For each reader the outcome must be either a result
whose every file has rows_read = rows_used + rows_rejected and whose table
passes the canonical check, or a `BriefingError` that says where; never another
exception, never a hang (a hard per-example alarm, besides hypothesis's
deadline). Settings: the `fuzz` profile of tests/conftest.py (fixed seed, in
the normal suite) or `HYPOTHESIS_PROFILE=fuzz-long`.
"""

from __future__ import annotations

import copy
import json
import signal
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st
from ingest_support import DATA, REAL_WORLD, context, write_config

from briefing.errors import BriefingError
from briefing.ingest import find_reader
from briefing.ingest.context import Loaded
from briefing.ingest.tables import check_table
from tests.conftest import fuzz_settings

FUZZ = fuzz_settings()
HANG_SECONDS = 20  # far beyond any honest example; only a hang reaches it
INCIDENTS = REAL_WORLD / "incidents"
PROM = REAL_WORLD / "prometheus"

HOSTILE_TEXT = [
    "",
    " ",
    "nan",
    "NaN",
    "inf",
    "-inf",
    "1e20",
    "1e400",
    "-1",
    "0",
    "2.5",
    "9223372036854775807",
    "9223372036854775808",
    "18446744073709551616",
    "2999-01-01T00:00:00Z",
    "0001-01-01T00:00:00Z",
    "2026-10-25T02:30:00",
    "2026-03-29T02:30:00",
    "2026-10-05T12:00:00Z",
    "2026-10-05T12:00:00+14:00",
    "2026-02-30T00:00:00Z",
    "10/Oct/26 02:02 PM",
    "yesterday",
    "checkout-api",
    "CHECKOUT-API",
    "Online checkout",
    "search",
    "SEV1",
    "P5",
    "critical",
    "jörg.müller@example.de",
    "10.1.2.3.",
    ":" * 300,
    "a\x00b",
    "\ufeff",
    '"',
    "x" * 2000,
]
SCALARS = st.one_of(
    st.sampled_from(HOSTILE_TEXT),
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=30),
)
JSON_VALUES = st.recursive(
    SCALARS,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=6,
)


@contextmanager
def no_hang(seconds: int = HANG_SECONDS) -> Iterator[None]:
    """Fail an example that runs longer than `seconds` (hypothesis's deadline only judges finished ones)."""

    def alarm(signum: int, frame: Any) -> None:
        raise TimeoutError(f"the reader ran for more than {seconds} s")

    previous = signal.signal(signal.SIGALRM, alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def outcome(read: Callable[[], Loaded], table: str) -> None:
    """The fuzzing contract: reconcile, or one clear error with a location."""
    failure: BriefingError | None = None
    with no_hang():
        try:
            loaded = read()
        except BriefingError as err:
            failure = err
    if failure is not None:
        assert failure.where is not None, f"no location in: {failure}"
        assert str(failure).strip()
        return
    for quality in loaded.quality:
        assert quality.rows_read == quality.rows_used + quality.rows_rejected, quality
        assert quality.rows_read >= 0
        assert quality.rows_rejected >= 0
    check_table(loaded.table, table)
    if table == "sli" and len(loaded.table):
        assert (loaded.table["good"] >= 0).all()
        assert (loaded.table["good"] <= loaded.table["total"]).all()


# --------------------------------------------------------------------------- the workspace


SOURCES = {
    "metrics-csv": ("metrics", "csv", "m.csv", ""),
    "parquet": ("metrics", "parquet", "m.parquet", ""),
    "prometheus-json": ("metrics", "prometheus-json", None, ""),
    "incidents-csv": ("incidents", "csv", "i.csv", ""),
    "incidents-json": ("incidents", "json", "i.json", ""),
    "pagerduty-json": ("incidents", "pagerduty", "pd.json", ""),
    "pagerduty-csv": ("incidents", "pagerduty", "pd.csv", ""),
    "opsgenie": ("incidents", "opsgenie", "og.json", ""),
    "incidentio": ("incidents", "incidentio", "io.json", ""),
    "jira": ("incidents", "jira", "jira.csv", "      timezone: Europe/Amsterdam\n"),
    "openslo": ("slos", "openslo", "slo.yaml", ""),
    "controls": ("controls", "csv", "c.csv", ""),
}
TABLES = {"metrics": "sli", "incidents": "incidents", "controls": "controls", "slos": "sli"}


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """One config naming a file per reader; each example overwrites the file it fuzzes."""
    folder = tmp_path_factory.mktemp("fuzz")
    by_kind: dict[str, list[str]] = {}
    for kind, fmt, name, extra in SOURCES.values():
        if name is None:
            line = f"    - {{format: {fmt}, good: good.json, total: total.json, step: 1h}}\n"
        else:
            line = f"    - path: {name}\n      format: {fmt}\n{extra}"
        by_kind.setdefault(kind, []).append(line)
    for name in ("good.json", "total.json", *(n for _, _, n, _ in SOURCES.values() if n)):
        (folder / name).write_text("", encoding="utf-8")  # each example writes its own
    text = "".join(f"  {kind}:\n{''.join(lines)}" for kind, lines in by_kind.items())
    config = write_config(folder, text, timezone=True)
    entries: dict[str, Any] = {}
    for key, (kind, fmt, _name, _extra) in SOURCES.items():
        matching = [e for e in getattr(config.sources, kind) if e.format == fmt]
        entries[key] = matching[0] if key != "pagerduty-csv" else matching[1]
    return {"folder": folder, "config": config, "ctx": context(config), "entries": entries}


def run(workspace: dict[str, Any], key: str) -> None:
    kind, fmt, _, _ = SOURCES[key]
    entry = workspace["entries"][key]
    reader = find_reader(kind, fmt)
    assert reader is not None
    outcome(lambda: reader(entry, workspace["ctx"]), TABLES[kind])


# --------------------------------------------------------------------------- mutations


@st.composite
def mutated_json(draw: st.DrawFn, original: Any) -> Any:
    """The original structure with one to three of its values replaced, dropped or retyped."""
    data = copy.deepcopy(original)
    for _ in range(draw(st.integers(1, 3))):
        paths = list(_paths(data))
        if not paths:
            break
        path = draw(st.sampled_from(paths))
        parent = data
        for step in path[:-1]:
            parent = parent[step]
        last = path[-1]
        action = draw(st.sampled_from(["replace", "replace", "drop", "duplicate"]))
        if action == "drop" and isinstance(parent, dict):
            del parent[last]
        elif action == "duplicate" and isinstance(parent, list):
            parent.append(copy.deepcopy(parent[last]))
        else:
            parent[last] = draw(JSON_VALUES)
    return data


def _paths(data: Any, prefix: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    if isinstance(data, dict):
        for key, value in data.items():
            yield (*prefix, key)
            yield from _paths(value, (*prefix, key))
    elif isinstance(data, list):
        for index, value in enumerate(data[:6]):
            yield (*prefix, index)
            yield from _paths(value, (*prefix, index))


@st.composite
def mutated_csv(draw: st.DrawFn, original: str, max_rows: int = 8) -> str:
    """Rows of the original with cells replaced by hostile values, sometimes garbled bytes."""
    lines = original.splitlines()
    header, body = lines[0], lines[1 : 1 + max_rows]
    rows = [line.split(",") for line in body] or [[""] * len(header.split(","))]
    for _ in range(draw(st.integers(1, 6))):
        row = draw(st.sampled_from(rows))
        if row:
            row[draw(st.integers(0, len(row) - 1))] = draw(st.sampled_from(HOSTILE_TEXT)).replace(
                ",", ";"
            )
    if draw(st.booleans()):
        rows.append(draw(st.lists(st.sampled_from(HOSTILE_TEXT), max_size=10)))
    text = "\n".join([header, *(",".join(r) for r in rows)]) + "\n"
    if draw(st.integers(0, 4)) == 0:  # now and then, garble the bytes themselves
        at = draw(st.integers(0, len(text)))
        text = text[:at] + draw(st.sampled_from(['"', "\n", ",", "\x00", "\r", "é"])) + text[at:]
    return text


def _json(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


def _csv(path: Path) -> str:
    return path.read_text(encoding="utf-8-sig")


METRICS_CSV = (
    "timestamp,service,good,total\n"
    "2026-10-05T12:00:00Z,checkout-api,10,10\n"
    "2026-10-05T13:00:00Z,search,5,6\n"
    "2026-10-05T12:00:00Z,checkout-api,1,2\n"
    "2026-10-25T02:30:00,payments,3,3\n"
)
INCIDENTS_CSV = (DATA / "incidents_october.csv").read_text(encoding="utf-8")
CONTROLS_CSV = (
    "date,service,control,events,risk,probability\n"
    "2026-10-05,checkout-api,Rollback,2,R1,0.6\n"
    "2026-10-21,search,Policy check,1,R7,\n"
    "2026-10-23T10:00:00Z,payments,Blocked image,3,R5,25%\n"
)


# --------------------------------------------------------------------------- one test per reader


@FUZZ
@given(text=mutated_csv(METRICS_CSV))
def test_fuzz_metrics_csv(workspace, text):
    (workspace["folder"] / "m.csv").write_text(text, encoding="utf-8")
    run(workspace, "metrics-csv")


PARQUET_TYPES = {
    "timestamp": [
        pa.timestamp("ns", tz="UTC"),
        pa.timestamp("s", tz="UTC"),
        pa.timestamp("ms"),
        pa.string(),
        pa.int64(),
    ],
    "service": [pa.string(), pa.large_string(), pa.dictionary(pa.int32(), pa.string()), pa.int64()],
    "good": [pa.int64(), pa.uint64(), pa.int8(), pa.float64(), pa.string(), pa.decimal128(38, 2)],
    "total": [pa.int64(), pa.uint64(), pa.float64(), pa.string()],
}


@st.composite
def parquet_tables(draw: st.DrawFn) -> pa.Table:
    n = draw(st.integers(0, 6))
    columns: dict[str, pa.Array] = {}
    for name, kinds in PARQUET_TYPES.items():
        kind = draw(st.sampled_from(kinds))
        columns[name] = _column(draw, name, kind, n)
    if draw(st.integers(0, 9)) == 0:
        columns["service"] = pa.array([{"a": "checkout-api"}] * n)
    return pa.table(columns)


def _column(draw: st.DrawFn, name: str, kind: pa.DataType, n: int) -> pa.Array:
    if pa.types.is_timestamp(kind):
        unit = kind.unit
        limit = {"s": 10**11, "ms": 10**14, "us": 10**17, "ns": 2**62}[unit]
        values = draw(st.lists(st.integers(-limit, limit) | st.none(), min_size=n, max_size=n))
        return pa.array(values, pa.int64()).cast(kind)
    if pa.types.is_dictionary(kind):
        return pa.array(
            draw(st.lists(st.sampled_from(["checkout-api", "search", "x"]), min_size=n, max_size=n))
        ).dictionary_encode()
    if pa.types.is_string(kind) or pa.types.is_large_string(kind):
        return pa.array(
            draw(st.lists(st.sampled_from(HOSTILE_TEXT) | st.none(), min_size=n, max_size=n)), kind
        )
    if pa.types.is_floating(kind):
        return pa.array(draw(st.lists(st.floats() | st.none(), min_size=n, max_size=n)), kind)
    if pa.types.is_decimal(kind):
        values = draw(
            st.lists(
                st.decimals(min_value=-(10**30), max_value=10**30, places=2, allow_nan=False),
                min_size=n,
                max_size=n,
            )
        )
        return pa.array(values, kind)
    info = np.iinfo(kind.to_pandas_dtype())
    return pa.array(
        draw(
            st.lists(st.integers(int(info.min), int(info.max)) | st.none(), min_size=n, max_size=n)
        ),
        kind,
    )


@FUZZ
@given(table=parquet_tables())
def test_fuzz_parquet(workspace, table):
    pq.write_table(table, workspace["folder"] / "m.parquet")
    run(workspace, "parquet")


def _short_answer(name: str) -> Any:
    data = _json(PROM / name)
    for series in data["data"]["result"]:
        series["values"] = series["values"][:4]
    return data


@FUZZ
@given(
    good=mutated_json(_short_answer("good_1h.json")),
    total=mutated_json(_short_answer("total_1h.json")),
)
def test_fuzz_prometheus_json(workspace, good, total):
    (workspace["folder"] / "good.json").write_text(json.dumps(good), encoding="utf-8")
    (workspace["folder"] / "total.json").write_text(json.dumps(total), encoding="utf-8")
    run(workspace, "prometheus-json")


@FUZZ
@given(text=mutated_csv(INCIDENTS_CSV))
def test_fuzz_incidents_csv(workspace, text):
    (workspace["folder"] / "i.csv").write_text(text, encoding="utf-8")
    run(workspace, "incidents-csv")


def _generic_json() -> list[dict[str, str]]:
    header, *rows = INCIDENTS_CSV.splitlines()
    names = header.split(",")
    return [dict(zip(names, row.split(","), strict=False)) for row in rows[:5]]


@FUZZ
@given(data=mutated_json(_generic_json()))
def test_fuzz_incidents_json(workspace, data):
    (workspace["folder"] / "i.json").write_text(json.dumps(data), encoding="utf-8")
    run(workspace, "incidents-json")


@FUZZ
@given(data=mutated_json(_json(INCIDENTS / "pagerduty_rest_v2_incidents.json")))
def test_fuzz_pagerduty_rest(workspace, data):
    (workspace["folder"] / "pd.json").write_text(json.dumps(data), encoding="utf-8")
    run(workspace, "pagerduty-json")


@FUZZ
@given(text=mutated_csv(_csv(INCIDENTS / "pagerduty_analytics_raw_incidents.csv")))
def test_fuzz_pagerduty_analytics_csv(workspace, text):
    (workspace["folder"] / "pd.csv").write_text(text, encoding="utf-8")
    run(workspace, "pagerduty-csv")


@FUZZ
@given(data=mutated_json(_json(INCIDENTS / "opsgenie_incidents.json")))
def test_fuzz_opsgenie(workspace, data):
    (workspace["folder"] / "og.json").write_text(json.dumps(data), encoding="utf-8")
    run(workspace, "opsgenie")


@FUZZ
@given(data=mutated_json(_json(INCIDENTS / "incidentio_v2_incidents.json")))
def test_fuzz_incidentio(workspace, data):
    (workspace["folder"] / "io.json").write_text(json.dumps(data), encoding="utf-8")
    run(workspace, "incidentio")


@FUZZ
@given(text=mutated_csv(_csv(INCIDENTS / "jira_sm_export.csv")))
def test_fuzz_jira(workspace, text):
    (workspace["folder"] / "jira.csv").write_text(text, encoding="utf-8")
    run(workspace, "jira")


@FUZZ
@given(
    data=mutated_json(
        list(yaml.safe_load_all((DATA / "openslo" / "checkout.yaml").read_text(encoding="utf-8")))
    )
)
def test_fuzz_openslo(workspace, data):
    text = (
        yaml.safe_dump_all(data, allow_unicode=True)
        if isinstance(data, list)
        else yaml.safe_dump(data)
    )
    (workspace["folder"] / "slo.yaml").write_text(text, encoding="utf-8")
    run(workspace, "openslo")


@FUZZ
@given(text=mutated_csv(CONTROLS_CSV))
def test_fuzz_controls(workspace, text):
    (workspace["folder"] / "c.csv").write_text(text, encoding="utf-8")
    run(workspace, "controls")
