"""The risk register reader: YAML and CSV, every field checked; a bad risk is an error naming
the file, line, risk id and field (every problem listed at once)."""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import pytest

from briefing.config import load_config
from briefing.errors import BriefingError, ConfigError
from briefing.ingest import ingest
from briefing.ingest.context import ReadContext
from briefing.ingest.risks import read_risks
from briefing.ingest.tables import RISK_COLUMNS, check_table
from briefing.model import Period

SAMPLE = Path(__file__).resolve().parents[2] / "briefing" / "samples" / "briefing.yaml"


def load(tmp_path: Path, name: str, text: str):
    (tmp_path / name).write_text(text, encoding="utf-8")
    (tmp_path / "briefing.yaml").write_text(
        "organization: Example Corp\nperiod: 2026-10\n"
        "services:\n"
        "  - {id: checkout, objective: 0.999, cost_of_downtime_per_hour: 42000}\n"
        "  - {id: payments, objective: 0.9995, cost_of_downtime_per_hour: 60000}\n"
        f"sources:\n  risks: [{{path: {name}}}]\n",
        encoding="utf-8",
    )
    config = load_config(tmp_path / "briefing.yaml")
    ctx = ReadContext(config, Period(2026, 10), frozenset(s.id for s in config.services))
    loaded = read_risks(config.sources.risks[0], ctx)
    check_table(loaded.table, "risks")
    quality = loaded.quality[0]
    assert quality.rows_read == quality.rows_used + quality.rows_rejected
    return loaded.table, quality


GOOD_YAML = """\
risks:
  - id: R1
    title: Bad config push
    service: checkout
    ettd_minutes: 10
    ettr_minutes: 40
    impact: 0.6
    ettf_days: 60
    ettd_minutes_90: [5, 20]
    ettr_minutes_90: [20, 80]
    ettf_days_90: [30, 120]
    impact_90: [0.3, 0.9]
    owner: Head of Commerce
    before: {ettr_minutes: 90, ettf_days: 30}
  - id: R2
    service: payments
    ettd_minutes: 5
    ettr_minutes: 45
    impact: 50%
    ettf_days: 120
"""


def test_yaml_register_reads_every_field(tmp_path: Path) -> None:
    table, quality = load(tmp_path, "risks.yaml", GOOD_YAML)
    assert (quality.rows_read, quality.rows_used, quality.rows_rejected) == (2, 2, 0)
    r1, r2 = table.iloc[0], table.iloc[1]
    assert (r1["id"], r1["title"], r1["service"], r1["owner"]) == (
        "R1",
        "Bad config push",
        "checkout",
        "Head of Commerce",
    )
    assert (r1["ettd_minutes"], r1["ettr_minutes"], r1["impact"], r1["ettf_days"]) == (
        10,
        40,
        0.6,
        60,
    )
    assert (r1["ettd_lo"], r1["ettd_hi"], r1["ettr_lo"], r1["ettr_hi"]) == (5, 20, 20, 80)
    assert (r1["ettf_lo"], r1["ettf_hi"], r1["impact_lo"], r1["impact_hi"]) == (30, 120, 0.3, 0.9)
    assert (r1["before_ettr_minutes"], r1["before_ettf_days"]) == (90, 30)
    assert math.isnan(r1["before_ettd_minutes"])
    assert math.isnan(r1["before_impact"])
    # no title: the id stands in; "50%" is 0.5; no ranges: NaN
    assert r2["title"] == "R2"
    assert r2["impact"] == 0.5
    assert math.isnan(r2["ettd_lo"])
    assert pd.isna(r2["owner"])


def problems_of(tmp_path: Path, name: str, text: str) -> list[tuple[int | None, object, str]]:
    with pytest.raises(ConfigError) as caught:
        load(tmp_path, name, text)
    for where, _ in caught.value.problems:
        assert where.path == tmp_path / name
    return [(where.line, where.column, message) for where, message in caught.value.problems]


@pytest.mark.parametrize(
    ("field_line", "line", "column", "reason"),
    [
        ("    impact: 1.5", 7, "impact", "risk 'R9': impact 1.5 is outside 0..1"),
        ("    impact: -0.1", 7, "impact", "risk 'R9': impact -0.1 is outside 0..1"),
        ("    ettf_days: 0", 8, "ettf_days", "risk 'R9': ettf_days must be more than 0"),
        ("    ettf_days: -30", 8, "ettf_days", "risk 'R9': ettf_days must be more than 0"),
        (
            "    ettd_minutes_90: [20, 5]",
            9,
            "ettd_minutes_90",
            "risk 'R9': ettd_minutes_90 low end 20 is above its high end 5",
        ),
        (
            "    ettf_days_90: [0, 5]",
            9,
            "ettf_days_90",
            "risk 'R9': ettf_days_90 low end must be more than 0",
        ),
        ("    ettr_minutes: soon", 6, "ettr_minutes", "risk 'R9': ettr_minutes must be a number"),
        (
            "    before: {impact: 2}",
            9,
            "before.impact",
            "risk 'R9': before.impact 2 is outside 0..1",
        ),
        # extreme but finite: outside the documented bounds, never handed to the Monte Carlo
        (
            "    ettf_days: 1.0e-20",
            8,
            "ettf_days",
            "risk 'R9': ettf_days 1e-20 is outside 0.01 days (about 15 minutes) to 365,250 days",
        ),
        (
            "    ettr_minutes: 1.0e308",
            6,
            "ettr_minutes",
            "risk 'R9': ettr_minutes 1e+308 is outside 0 to 525,960 minutes (a year)",
        ),
        (
            "    ettf_days_90: [1.0e-300, 1.0e300]",
            9,
            "ettf_days_90",
            "risk 'R9': ettf_days_90 low end 1e-300 is outside 0.01 days",
        ),
        (
            "    ettd_minutes_90: [5, 1.0e300]",
            9,
            "ettd_minutes_90",
            "risk 'R9': ettd_minutes_90 high end 1e+300 is outside 0 to 525,960 minutes",
        ),
        ("    owner: [a, b]", 9, "owner", "risk 'R9': owner must be text, not a list"),
    ],
)
def test_yaml_bad_value_is_an_error_naming_id_field_and_line(
    tmp_path: Path, field_line: str, line: int, column: str, reason: str
) -> None:
    # lines: 1 risks, 2 "- id", 3 service, 4 title, 5 ettd, 6 ettr, 7 impact, 8 ettf, 9 extra
    fields = {
        "ettr": "    ettr_minutes: 60",
        "impact": "    impact: 0.5",
        "ettf": "    ettf_days: 90",
    }
    key = field_line.strip().split(":")[0]
    body = [
        "risks:",
        "  - id: R9",
        "    service: checkout",
        "    title: Something",
        "    ettd_minutes: 30",
        field_line if key == "ettr_minutes" else fields["ettr"],
        field_line if key == "impact" else fields["impact"],
        field_line if key == "ettf_days" else fields["ettf"],
    ]
    if key not in ("ettr_minutes", "impact", "ettf_days"):
        body.append(field_line)
    body += [
        "  - {id: R10, service: checkout, ettd_minutes: 1, ettr_minutes: 2, impact: 1, ettf_days: 3}"
    ]
    ((got_line, got_column, message),) = problems_of(tmp_path, "risks.yaml", "\n".join(body) + "\n")
    assert (got_line, got_column) == (line, column)
    assert message.startswith(reason)


def test_yaml_unknown_service_and_duplicate_id(tmp_path: Path) -> None:
    text = """\
risks:
  - {id: R1, service: checkout, ettd_minutes: 1, ettr_minutes: 2, impact: 1, ettf_days: 3}
  - {id: R2, service: chekout, ettd_minutes: 1, ettr_minutes: 2, impact: 1, ettf_days: 3}
  - {id: R1, service: payments, ettd_minutes: 1, ettr_minutes: 2, impact: 1, ettf_days: 3}
  - {id: R3, ettd_minutes: 1, ettr_minutes: 2, impact: 1, ettf_days: 3}
  - {id: R4, service: payments, ettd_minutes: 1, ettr_minutes: 2, impact: 1}
"""
    assert problems_of(tmp_path, "risks.yaml", text) == [
        (
            3,
            "service",
            "risk 'R2': service 'chekout' is not in briefing.yaml services (did you mean 'checkout'?)",
        ),
        (4, "id", "duplicate risk id 'R1' (first used on line 2)"),
        (5, "service", "risk 'R3': service is empty"),
        (6, "ettf_days", "risk 'R4': ettf_days is missing (days between occurrences)"),
    ]


def test_yaml_unknown_field_is_noted_not_fatal(tmp_path: Path) -> None:
    text = "risks:\n  - {id: R1, service: checkout, ettd_minutes: 1, ettr_minutes: 2, impact: 1, ettf_days: 3, ettf_day_90: [1, 2]}\n"
    table, quality = load(tmp_path, "risks.yaml", text)
    assert len(table) == 1
    assert quality.notes == (
        "line 2: field 'ettf_day_90' is not used (did you mean 'ettf_days_90'?)",
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("risks: [\n", "not valid YAML"),
        ("owner: someone\n", "no `risks:` list in the risk register"),
        ("risks: {R1: 3}\n", "the risk register must hold a list of risks"),
        ("risks:\n  - just text\n", "each risk must be a mapping of fields"),
    ],
)
def test_unusable_yaml_register_is_one_error_naming_the_file(
    tmp_path: Path, text: str, message: str
) -> None:
    with pytest.raises(BriefingError) as caught:
        load(tmp_path, "risks.yaml", text)
    assert message in caught.value.message
    assert str(caught.value.where).startswith(str(tmp_path / "risks.yaml"))


def test_bare_list_and_empty_register(tmp_path: Path) -> None:
    table, _ = load(
        tmp_path,
        "a.yaml",
        "- {id: R1, service: checkout, ettd_minutes: 1, ettr_minutes: 2, impact: 1, ettf_days: 3}\n",
    )
    assert list(table["id"]) == ["R1"]
    table, quality = load(tmp_path, "b.yaml", "risks:\n")
    assert table.empty
    assert quality.rows_read == 0
    assert list(table.columns) == list(RISK_COLUMNS)


CSV = """\
id,title,service,ettd_minutes,ettr_minutes,impact,ettf_days,ettd_lo,ettd_hi,ettf_days_90_lo,ettf_days_90_hi,before_ettf_days,owner,notes
R1,Bad config push,checkout,10,40,0.6,60,5,20,30,120,30,Head of Commerce,"free text,
over two lines"
R2,Too big,checkout,10,40,1.2,60,,,,,,,
R3,Upside down,payments,10,40,0.5,60,20,5,,,,,
R4,Half a range,payments,10,40,0.5,60,5,,,,,,
R5,Never,payments,10,40,0.5,0,,,,,,,
R6,Elsewhere,shipping,10,40,0.5,60,,,,,,,
"""


def test_csv_register_rows_and_problems_by_physical_line(tmp_path: Path) -> None:
    # R1 takes lines 2-3 (a quoted newline), so R2 is on line 4
    got = [
        (line, column, message.split(" (")[0])
        for line, column, message in problems_of(tmp_path, "risks.csv", CSV)
    ]
    assert got == [
        (4, "impact", "risk 'R2': impact 1.2 is outside 0..1"),
        (
            5,
            "ettd_lo/ettd_hi",
            "risk 'R3': ettd_lo/ettd_hi low end 20 is above its high end 5; write [low, high]",
        ),
        (6, "ettd_lo/ettd_hi", "risk 'R4': ettd_lo/ettd_hi must be a number"),
        (7, "ettf_days", "risk 'R5': ettf_days must be more than 0"),
        (8, "service", "risk 'R6': service 'shipping' is not in briefing.yaml services"),
    ]
    good = "\n".join(CSV.splitlines()[:3]) + "\n"
    table, quality = load(tmp_path, "risks.csv", good)
    assert list(table["id"]) == ["R1"]
    r1 = table.iloc[0]
    assert (r1["ettd_lo"], r1["ettd_hi"], r1["ettf_lo"], r1["ettf_hi"], r1["before_ettf_days"]) == (
        5,
        20,
        30,
        120,
        30,
    )
    assert r1["owner"] == "Head of Commerce"
    assert (quality.rows_read, quality.rows_used, quality.rows_rejected) == (1, 1, 0)


def test_csv_missing_column_is_one_error(tmp_path: Path) -> None:
    with pytest.raises(BriefingError) as caught:
        load(
            tmp_path,
            "risks.csv",
            "id,service,ettd_minutes,ettr_minutes,impact\nR1,checkout,1,2,0.5\n",
        )
    assert caught.value.message.startswith("missing column(s) ettf_days")
    assert caught.value.where.line == 1


def test_sample_register_loads_whole() -> None:
    config = load_config(SAMPLE)
    inputs = ingest(config, Period.parse("2026-10", config.timezone))
    (quality,) = [f for f in inputs.data_quality.files if f.path.endswith("risks.yaml")]
    assert (quality.rows_read, quality.rows_used, quality.rows_rejected) == (8, 8, 0)
    assert quality.notes == ()
    assert list(inputs.risks["id"]) == [f"R{i}" for i in range(1, 9)]
    r1 = inputs.risks.set_index("id").loc["R1"]
    assert (r1["ettr_minutes"], r1["before_ettr_minutes"], r1["ettf_lo"]) == (40, 90, 30)


def test_an_alias_bomb_as_a_risk_title_is_refused_before_it_is_built(tmp_path: Path) -> None:
    text = 'x: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n'
    previous = "a"
    for name in "bcdefgh":
        text += f"y{name}: &{name} [" + ",".join([f"*{previous}"] * 9) + "]\n"
        previous = name
    text += (
        f"risks:\n  - id: R1\n    title: *{previous}\n    service: checkout\n"
        "    ettd_minutes: 10\n    ettr_minutes: 20\n    impact: 0.5\n    ettf_days: 100\n"
    )
    with pytest.raises(BriefingError) as caught:
        load(tmp_path, "risks.yaml", text)
    # levels a..e as in tests/test_textfiles.py: the aliases of line yf (6) cross the bound
    assert caught.value.where is not None
    assert (caught.value.where.path, caught.value.where.line) == (tmp_path / "risks.yaml", 6)
    assert "aliases" in caught.value.message


def test_a_rejected_risk_stops_the_build_with_exit_1(tmp_path: Path) -> None:
    """The sample with R1's ettf_days set to 0: exit 1 naming file, line, risk and field."""
    import shutil

    from click.testing import CliRunner

    from briefing.cli import cli

    workspace = tmp_path / "ws"
    shutil.copytree(SAMPLE.parent, workspace)
    register = workspace / "risks.yaml"
    text = register.read_text(encoding="utf-8")
    register.write_text(text.replace("ettf_days: 60", "ettf_days: 0", 1), encoding="utf-8")
    line = text.split("ettf_days: 60")[0].count("\n") + 1
    result = CliRunner().invoke(
        cli,
        [
            "build",
            "--config",
            str(workspace / "briefing.yaml"),
            "--format",
            "json",
            "--out",
            str(tmp_path / "out"),
        ],
    )
    assert result.exit_code == 1
    assert f"{register}:{line}:ettf_days: risk 'R1': ettf_days must be more than 0" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "out").exists()


def test_a_risk_id_in_two_registers_is_an_error_naming_both(tmp_path: Path) -> None:
    one = "risks:\n  - {id: R1, service: checkout, ettd_minutes: 1, ettr_minutes: 2, impact: 1, ettf_days: 3}\n"
    (tmp_path / "a.yaml").write_text(one, encoding="utf-8")
    (tmp_path / "b.yaml").write_text(one.replace("checkout", "payments"), encoding="utf-8")
    (tmp_path / "briefing.yaml").write_text(
        "organization: Example Corp\nperiod: 2026-10\nservices:\n"
        "  - {id: checkout, objective: 0.999, cost_of_downtime_per_hour: 42000}\n"
        "  - {id: payments, objective: 0.9995, cost_of_downtime_per_hour: 60000}\n"
        "sources:\n  risks: [{path: a.yaml}, {path: b.yaml}]\n",
        encoding="utf-8",
    )
    config = load_config(tmp_path / "briefing.yaml")
    with pytest.raises(BriefingError) as caught:
        ingest(config, Period(2026, 10))
    assert "risk id 'R1' is in" in caught.value.message
    assert "a.yaml" in caught.value.message
    assert "b.yaml" in caught.value.message
    assert caught.value.where == config.sources.risks[1].location


def test_the_same_register_listed_twice_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "r.yaml").write_text("risks:\n", encoding="utf-8")
    (tmp_path / "briefing.yaml").write_text(
        "organization: Example Corp\nperiod: 2026-10\nservices:\n"
        "  - {id: checkout, objective: 0.999, cost_of_downtime_per_hour: 42000}\n"
        "sources:\n  risks: [{path: r.yaml}, {path: ./r.yaml}]\n",
        encoding="utf-8",
    )
    with pytest.raises(BriefingError) as caught:
        ingest(load_config(tmp_path / "briefing.yaml"), Period(2026, 10))
    assert "already listed" in caught.value.message
