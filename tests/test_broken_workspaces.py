"""Broken workspaces: each ends in one message naming the file or key, exit 1 or 2, and
never in a briefing whose figures rest on input that was not there."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from briefing.cli import cli
from briefing.config import packaged_sample_config

SAMPLE = packaged_sample_config().parent


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    target = tmp_path / "ws"
    shutil.copytree(SAMPLE, target)
    return target


def edit(workspace: Path, old: str, new: str, name: str = "briefing.yaml") -> None:
    path = workspace / name
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args))
    assert "Traceback" not in result.stderr
    return result.exit_code, result.stderr


def build(workspace: Path, *flags: str) -> tuple[int, str]:
    return run(
        "build",
        "--config",
        str(workspace / "briefing.yaml"),
        "--format",
        "json",
        "--out",
        str(workspace / "out"),
        *flags,
    )


def first_error(stderr: str) -> str:
    return next(line for line in stderr.splitlines() if line.startswith("error:"))


# --------------------------------------------------------------------------- nothing usable


def test_an_incident_file_whose_every_row_is_rejected_stops_the_build(workspace: Path) -> None:
    # the sample's times are ISO 8601; a day-first format matches none of them, so the
    # briefing would otherwise report "no incidents" for October with exit 0
    edit(
        workspace,
        "{path: exports/incidents.csv, format: csv}",
        '{path: exports/incidents.csv, format: csv, timestamp_format: "%d/%m/%Y %H:%M"}',
    )
    code, stderr = build(workspace)
    assert code == 1
    message = first_error(stderr)
    # line 2 is the first data row, its started_at the first time read
    assert "exports/incidents.csv:2:started_at:" in message
    assert "all 46 row(s) of this file were rejected" in message
    assert "timestamp_format" in stderr  # the hint names the option to fix
    assert not (workspace / "out" / "briefing-2026-10.json").exists()


def test_a_metrics_file_with_only_its_header_stops_the_build(workspace: Path) -> None:
    (workspace / "exports" / "sli.csv").write_text("timestamp,service,good,total\n")
    edit(workspace, "{path: exports/sli.csv.gz}", "{path: exports/sli.csv}")
    code, stderr = build(workspace)
    assert code == 1
    assert "exports/sli.csv:1: the metrics file holds no rows" in first_error(stderr)
    assert not (workspace / "out" / "briefing-2026-10.json").exists()


# --------------------------------------------------------------------------- source options


def test_a_mapping_of_an_unknown_field_is_refused(workspace: Path) -> None:
    # `idd` is no field of ours: the mapping was silently ignored and the file read as is
    edit(
        workspace,
        "{path: exports/incidents.csv, format: csv}",
        "{path: exports/incidents.csv, format: csv, mapping: {idd: id}}",
    )
    code, stderr = run("validate", "--config", str(workspace / "briefing.yaml"))
    assert code == 1
    message = first_error(stderr)
    assert "briefing.yaml:" in message
    assert "sources.incidents[0].mapping.idd: unknown field" in message
    assert "id, service, title" in message


def test_a_severity_map_onto_no_severity_is_refused(workspace: Path) -> None:
    # SEV9 used to reach the briefing as a fifth severity, counted in by_severity
    edit(
        workspace,
        "{path: exports/incidents.csv, format: csv}",
        "{path: exports/incidents.csv, format: csv, severity_map: {SEV1: SEV9}}",
    )
    code, stderr = build(workspace)
    assert code == 1
    message = first_error(stderr)
    assert "briefing.yaml:" in message
    assert "severity_map: 'SEV1' is mapped to 'SEV9', which is not a severity" in message
    assert "SEV1, SEV2, SEV3 or SEV4" in stderr


# --------------------------------------------------------------------------- files beside the config


def test_a_commentary_folder_in_place_of_the_note_is_named(workspace: Path) -> None:
    # the note for October was silently left out when its name was a folder
    (workspace / "commentary" / "2026-10.md").unlink()
    (workspace / "commentary" / "2026-10.md").mkdir()
    code, stderr = build(workspace)
    assert code == 1
    assert first_error(stderr).endswith(
        "commentary/2026-10.md: the author's note is a folder, not a file"
    )


@pytest.mark.parametrize("command", [("build",), ("history", "list")])
def test_a_history_store_that_is_a_folder_is_named_as_one(
    workspace: Path, command: tuple[str, ...]
) -> None:
    # SQLite only said "disk I/O error"
    (workspace / "history.sqlite").mkdir()
    if command == ("build",):
        code, stderr = build(workspace)
    else:
        code, stderr = run(*command, "--config", str(workspace / "briefing.yaml"))
    assert code == 1
    assert first_error(stderr).endswith("history.sqlite: the history store is a folder, not a file")
    assert "history.path" in stderr


# --------------------------------------------------------------------------- register and controls

RISKS_CSV = "id,title,service,ettd_minutes,ettr_minutes,impact,ettf_days"


def test_an_empty_risk_register_is_named(workspace: Path) -> None:
    # an empty risks.csv was an error, an empty risks.yaml a register with no risks
    (workspace / "risks.yaml").write_text("# risks to come\n")
    code, stderr = build(workspace)
    assert code == 1
    assert first_error(stderr).endswith("risks.yaml: the risk register is empty")


def test_a_csv_register_with_a_range_in_one_column_is_refused(workspace: Path) -> None:
    # the YAML key ettf_days_90 as a CSV column was read past: its range silently lost
    (workspace / "risks.csv").write_text(
        f"{RISKS_CSV},ettf_days_90\nR1,Bad push,checkout,10,40,0.6,60,30 to 120\n"
    )
    edit(workspace, "{path: risks.yaml}", "{path: risks.csv}")
    code, stderr = build(workspace)
    assert code == 1
    assert "risks.csv:1:ettf_days_90: column 'ettf_days_90' cannot hold a range" in first_error(
        stderr
    )
    assert "ettf_days_90_lo and ettf_days_90_hi" in stderr


def test_a_latin1_controls_file_names_the_line_and_column_of_the_first_bad_byte(
    workspace: Path,
) -> None:
    path = workspace / "exports" / "controls.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[2] = lines[2].replace(",Automatic", ",Rétro automatic", 1)  # line 3
    path.write_bytes(("\n".join(lines) + "\n").encode("latin-1"))
    column = lines[2].index("é") + 1
    code, stderr = build(workspace)
    assert code == 1
    message = first_error(stderr)
    assert f"exports/controls.csv:3:{column}: not UTF-8 text" in message
    assert "0xe9" in message  # é in Latin-1
    assert "codec" not in stderr  # Python's wording stays out


def test_report_templates_naming_a_file_says_so(workspace: Path) -> None:
    # it said "folder not found" of a file that is there
    edit(workspace, "delivery:\n", "report: {templates: risks.yaml}\n\ndelivery:\n")
    code, stderr = run("validate", "--config", str(workspace / "briefing.yaml"))
    assert code == 1
    message = first_error(stderr)
    assert "report.templates: is a file, not a folder" in message
    assert "not found" not in message


def test_a_baseline_window_that_ends_before_it_starts_is_refused(workspace: Path) -> None:
    # it was taken as an empty window: "no disruption falls from 1 July 2026 up to 1 January 2026"
    edit(
        workspace,
        "policy:\n",
        "policy:\n  baseline: {from_incidents: {start: 2026-07-01, end: 2026-01-01}}\n",
    )
    code, stderr = run("validate", "--config", str(workspace / "briefing.yaml"))
    assert code == 1
    assert (
        "policy.baseline.from_incidents.end: 2026-01-01 is not after start 2026-07-01"
        in first_error(stderr)
    )


def test_an_empty_history_store_is_named_as_empty(workspace: Path) -> None:
    # SQLite reads a 0-byte file as a database without tables: "no such table"
    (workspace / "history.sqlite").write_bytes(b"")
    code, stderr = build(workspace)
    assert code == 1
    assert first_error(stderr).endswith(
        "history.sqlite: the history store is an empty file (0 bytes)"
    )
    assert (workspace / "history.sqlite").stat().st_size == 0  # left as it was


# --------------------------------------------------------------------------- compressed metrics


def test_a_gz_name_on_a_plain_file_is_named(workspace: Path) -> None:
    (workspace / "exports" / "sli.csv.gz").write_text("timestamp,service,good,total\n")
    code, stderr = build(workspace)
    assert code == 1
    assert first_error(stderr).endswith(
        "exports/sli.csv.gz: the file's name ends in .gz but it is not gzip-compressed"
    )


def test_a_truncated_gz_file_is_called_cut_short(workspace: Path) -> None:
    path = workspace / "exports" / "sli.csv.gz"
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    code, stderr = build(workspace)
    assert code == 1
    assert "exports/sli.csv.gz: the compressed file is damaged or cut short" in first_error(stderr)
    assert "copy or export the file again" in stderr
