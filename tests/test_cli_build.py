"""The command line: exit codes 0/1/2, one clear message, no traceback."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
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


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_every_command_has_help_with_an_example() -> None:
    commands = ["build", "validate", "init", "glossary", "send", "schedule", "risks"]
    for name in commands:
        code, out, _ = run(name, "--help")
        assert code == 0, name
        assert "Example" in out or "example" in out, f"{name} --help has no example"


def test_build_json_only(workspace: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    code, stdout, stderr = run(
        "build", "--config", str(workspace / "briefing.yaml"), "--format", "json", "--out", str(out)
    )
    assert code == 0, stderr
    assert sorted(p.name for p in out.iterdir()) == ["briefing-2026-10.json"]
    data = json.loads((out / "briefing-2026-10.json").read_text())
    assert data["headline"]["kind"] == "budget_exhausted"
    assert "Decision, to note: Pause new feature releases for Online checkout" in stdout


def test_period_flag_overrides_the_config(workspace: Path, tmp_path: Path) -> None:
    code, _, stderr = run(
        "build",
        "--config",
        str(workspace / "briefing.yaml"),
        "--period",
        "2026-09",
        "--format",
        "json",
        "--out",
        str(tmp_path),
    )
    assert code == 0, stderr
    data = json.loads((tmp_path / "briefing-2026-09.json").read_text())
    assert data["period"]["label"] == "2026-09"
    assert data["period"]["start"] == "2026-09-01T00:00:00+02:00"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--period", "2026-13"], "period '2026-13': there is no month 13"),
    ],
)
def test_bad_flags_exit_1_with_one_message(workspace: Path, args: list[str], message: str) -> None:
    code, _, stderr = run("build", "--config", str(workspace / "briefing.yaml"), *args)
    assert code == 1
    assert message in stderr
    assert "Traceback" not in stderr


def test_unknown_option_is_a_usage_error() -> None:
    code, _, stderr = run("build", "--colour")
    assert code == 2
    assert "No such option" in stderr


def test_bad_config_exits_1_naming_file_key_and_line(workspace: Path) -> None:
    config = workspace / "briefing.yaml"
    config.write_text(config.read_text().replace("objective: 0.999\n", "objective: 1.999\n", 1))
    code, _, stderr = run("build", "--config", str(config))
    assert code == 1
    assert f"{config}:" in stderr
    assert "services[0].objective: must be < 1, got 1.999" in stderr
    assert "Traceback" not in stderr


def test_missing_config_file(tmp_path: Path) -> None:
    code, _, stderr = run("validate", "--config", str(tmp_path / "nope.yaml"))
    assert code == 1
    assert "nope.yaml: config file not found" in stderr


def test_missing_input_file(workspace: Path) -> None:
    (workspace / "exports" / "incidents.csv").unlink()
    code, _, stderr = run("validate", "--config", str(workspace / "briefing.yaml"))
    assert code == 1
    assert "sources.incidents[0].path: file not found" in stderr


def test_strict_fails_on_a_rejected_row(workspace: Path) -> None:
    incidents = workspace / "exports" / "incidents.csv"
    lines = incidents.read_text().splitlines(keepends=True)
    lines.append(
        "INC-9999,checkout,Broken row,SEV2,2026-10-20T10:00:00Z,,2026-10-20T09:00:00Z,0.5\n"
    )
    incidents.write_text("".join(lines))
    bad_line = len(lines)
    code, stdout, _ = run("validate", "--config", str(workspace / "briefing.yaml"))
    assert code == 0
    assert f"incidents.csv:{bad_line}:resolved_at: resolved_at is before started_at" in stdout
    code, _, stderr = run(
        "build", "--config", str(workspace / "briefing.yaml"), "--strict", "--format", "json"
    )
    assert code == 1
    assert f"incidents.csv:{bad_line}:resolved_at: resolved_at is before started_at" in stderr


def test_debug_shows_the_traceback(workspace: Path) -> None:
    config = workspace / "briefing.yaml"
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "briefing",
            "build",
            "--config",
            str(config),
            "--period",
            "2026-13",
            "--debug",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1
    assert "Traceback" in result.stderr


def test_init_scaffolds_a_workspace_that_builds(tmp_path: Path) -> None:
    target = tmp_path / "mine"
    code, stdout, _ = run("init", str(target))
    assert code == 0
    assert (target / "briefing.yaml").is_file()
    assert (target / "exports" / "sli.csv.gz").is_file()
    code, _, stderr = run("init", str(target))
    assert code == 1
    assert "already holds" in stderr
    code, _, stderr = run("validate", "--config", str(target / "briefing.yaml"))
    assert code == 0, stderr


def test_init_says_when_to_pick_which_metrics_source(tmp_path: Path) -> None:
    target = tmp_path / "mine"
    assert run("init", str(target))[0] == 0
    text = (target / "briefing.yaml").read_text(encoding="utf-8")
    comments = "\n".join(line for line in text.splitlines() if line.lstrip().startswith("#"))
    for choice in (
        "a file of a few million rows",
        "format: duckdb",
        "format: sql",
        "format: prometheus",
    ):
        assert choice in comments, choice


def test_every_command_is_in_the_readme() -> None:
    import click

    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text()
    for name, command in cli.commands.items():
        lines = [line for line in readme.splitlines() if f"briefing {name}" in line]
        assert lines, f"briefing {name} is not in the README"
        if isinstance(command, click.Group):
            for sub in command.commands:
                assert any(re.search(rf"\b{sub}\b", line) for line in lines), f"{name} {sub}"


def test_bare_jargon_on_page_one_is_listed_and_fatal_with_strict(
    workspace: Path, tmp_path: Path
) -> None:
    config = workspace / "briefing.yaml"
    config.write_text(config.read_text().replace("name: Online checkout", "name: Checkout SLO", 1))
    code, _, stderr = run(
        "build", "--config", str(config), "--format", "html", "--out", str(tmp_path)
    )
    assert code == 0
    assert "warning: the pages before the technical appendix print jargon 'SLO' bare" in stderr
    code, _, stderr = run(
        "build", "--config", str(config), "--format", "html", "--out", str(tmp_path), "--strict"
    )
    assert code == 1
    assert "the pages before the technical appendix print jargon 'SLO' bare" in stderr
    assert "Traceback" not in stderr
