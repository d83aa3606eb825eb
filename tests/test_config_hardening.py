"""briefing.yaml that is hostile or mistaken: one message naming the file, key and line."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from briefing.cli import cli
from briefing.config import load_config, packaged_sample_config
from briefing.errors import BriefingError, ConfigError

SAMPLE = packaged_sample_config().parent


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    """The sample, with the lines these tests edit set to known text (the sample's wording moves)."""
    target = tmp_path / "ws"
    shutil.copytree(SAMPLE, target)
    config = target / "briefing.yaml"
    text = config.read_text(encoding="utf-8")
    text = re.sub(
        r"(?m)^  error_budget_action: .*$",
        '  error_budget_action: "Freeze feature releases for {service} until its budget recovers"',
        text,
    )
    text = re.sub(
        r"(?m)^    subject: .*$",
        '    subject: "{organization} risk briefing, {period}: {headline}"',
        text,
    )
    text = re.sub(r"(?m)^  baseline: .*\n", "", text)
    text = re.sub(
        r"(?m)^policy:\n", "policy:\n  baseline: {ttd_minutes: 30, ttr_minutes: 90}\n", text
    )
    config.write_text(text, encoding="utf-8")
    assert load_config(config).organization
    return target


def edit(workspace: Path, old: str, new: str) -> Path:
    config = workspace / "briefing.yaml"
    text = config.read_text(encoding="utf-8")
    assert old in text, old
    config.write_text(text.replace(old, new, 1), encoding="utf-8")
    return config


def line_of(config: Path, fragment: str) -> int:
    for number, line in enumerate(config.read_text(encoding="utf-8").splitlines(), 1):
        if fragment in line:
            return number
    raise AssertionError(fragment)


def problems(config: Path) -> list[str]:
    with pytest.raises(ConfigError) as caught:
        load_config(config)
    return [f"{where}: {message}" for where, message in caught.value.problems]


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout, result.stderr


# --------------------------------------------------------------------------- the file itself


def test_billion_laughs_in_the_config_is_refused_at_once(workspace: Path) -> None:
    text = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n'
    previous = "a"
    for name in "bcdefghi":
        text += f"{name}: &{name} [" + ",".join([f"*{previous}"] * 9) + "]\n"
        previous = name
    config = workspace / "briefing.yaml"
    config.write_text(text + "organization: *i\n")
    code, _, stderr = run("validate", "--config", str(config))
    assert code == 1
    assert stderr.startswith(f"error: {config}:6:")  # line f, as in tests/test_textfiles.py
    assert "aliases" in stderr
    assert "Traceback" not in stderr


def test_a_second_organization_key_names_both_lines(workspace: Path) -> None:
    config = edit(workspace, "currency: EUR", "organization: Southwind\ncurrency: EUR")
    with pytest.raises(BriefingError) as caught:
        load_config(config)
    first = line_of(config, "organization: Northwind")
    assert caught.value.where is not None
    assert caught.value.where.line == line_of(config, "organization: Southwind")
    assert f"first on line {first}" in caught.value.message


def test_a_latin1_config_is_one_message(workspace: Path) -> None:
    config = workspace / "briefing.yaml"
    text = config.read_text(encoding="utf-8").replace("Northwind Outfitters", "Nörthwind")
    config.write_bytes(text.encode("latin-1"))
    code, _, stderr = run("validate", "--config", str(config))
    assert code == 1
    line = text.split("Nörthwind")[0].count("\n") + 1
    assert f"{config}:{line}:" in stderr
    assert "not UTF-8" in stderr
    assert "Traceback" not in stderr


def test_fifty_thousand_deep_nesting_is_one_message(workspace: Path) -> None:
    config = workspace / "briefing.yaml"
    config.write_text("organization: " + "[" * 50_000 + "]" * 50_000 + "\n")
    code, _, stderr = run("validate", "--config", str(config))
    assert code == 1
    assert f"{config}:1:" in stderr
    assert "levels deep" in stderr
    assert "RecursionError" not in stderr
    assert "Traceback" not in stderr


# --------------------------------------------------------------------------- text templates


@pytest.mark.parametrize(
    ("template", "named"),
    [
        ("Freeze {team} releases for {service}", "{team}"),
        ("Freeze releases of {service.name}", "{service.name}"),
        ("Freeze releases of {service[0]}", "{service[0]}"),
        ("Freeze releases of {service!r}", "{service!r}"),
        ("Freeze releases of {service:>99999999}", "{service:>99999999}"),
        ("Freeze releases of {}", "{}"),
    ],
)
def test_error_budget_action_placeholders_are_checked(
    workspace: Path, template: str, named: str
) -> None:
    config = edit(
        workspace,
        '"Freeze feature releases for {service} until its budget recovers"',
        f'"{template}"',
    )
    found = problems(config)
    line = line_of(config, "error_budget_action:")
    assert len(found) == 1
    assert found[0].startswith(f"{config}:{line}:")
    assert f"unknown placeholder(s) {named}" in found[0]
    assert "known: {service}" in found[0]


def test_build_with_an_unknown_placeholder_stops_before_any_headline(workspace: Path) -> None:
    config = edit(
        workspace, "releases for {service} until", "releases of {service}, tell {team}, until"
    )
    code, _, stderr = run(
        "build", "--config", str(config), "--format", "json", "--out", str(workspace / "o")
    )
    assert code == 1
    assert "policy.error_budget_action: unknown placeholder(s) {team}" in stderr
    assert "KeyError" not in stderr
    assert "Traceback" not in stderr


@pytest.mark.parametrize(
    ("subject", "named"),
    [("{organization.nope} {period}", "{organization.nope}"), ("{x.attr}", "{x.attr}")],
)
def test_subject_placeholders_are_checked_and_listed(
    workspace: Path, subject: str, named: str
) -> None:
    config = edit(workspace, '"{organization} risk briefing, {period}: {headline}"', f'"{subject}"')
    found = problems(config)
    assert len(found) == 1
    assert f"delivery.email.subject: unknown placeholder(s) {named}" in found[0]
    for known in ("{organization}", "{period}", "{period_label}", "{headline}", "{figure}"):
        assert known in found[0]


def test_an_unbalanced_brace_is_a_problem_with_its_line(workspace: Path) -> None:
    config = edit(
        workspace, "{organization} risk briefing, {period}", "{organization risk briefing"
    )
    found = problems(config)
    assert len(found) == 1
    assert "delivery.email.subject: not a valid template" in found[0]


def test_doubled_braces_are_literal_text(workspace: Path) -> None:
    config = edit(workspace, "risk briefing, {period}", "risk briefing {{draft}}, {period}")
    assert load_config(config).delivery.email.subject.startswith("{organization} risk briefing {{")  # type: ignore[union-attr]


# --------------------------------------------------------------------------- values


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            "cost_of_downtime_per_hour: 42000",
            "cost_of_downtime_per_hour: .inf",
            "services[0].cost_of_downtime_per_hour: must be a finite number",
        ),
        (
            "cost_of_downtime_per_hour: 42000",
            "cost_of_downtime_per_hour: .nan",
            "services[0].cost_of_downtime_per_hour: must be a finite number",
        ),
        (
            "postmortem_share: 0.20",
            "decision_due_days: 10000000000\n  postmortem_share: 0.20",
            "policy.decision_due_days: must be <= 366, got 1e+10",
        ),
        (
            "baseline: {ttd_minutes: 30, ttr_minutes: 90}",
            "baseline: {from_incidents: {start: not-a-date, end: 2026-07-01}}",
            "policy.baseline.from_incidents.start: expected a date like 2026-01-31, got 'not-a-date'",
        ),
        (
            "{path: exports/incidents.csv, format: csv}",
            '{path: exports/incidents.csv, format: csv, timestamp_format: "%Q"}',
            "sources.incidents[0].timestamp_format: '%Q' is not a strptime directive",
        ),
        (
            "to: [board@northwind.example]",
            'to: ["board@northwind.example\\r\\nBcc: spy@evil.example"]',
            "delivery.email.to: 'board@northwind.example\\r\\nBcc: spy@evil.example' is not one plain email address",
        ),
        (
            "postmortem_share: 0.20",
            "trials: 100.5\n  postmortem_share: 0.20",
            "policy.trials: expected a whole number, got 100.5",
        ),
        (
            'cron: "0 8 2 * *"',
            'cron: "0 8 31 2 *"',
            "delivery.schedule.cron: not a valid cron expression",
        ),
        (
            "organization: Northwind Outfitters",
            'organization: "Northwind\\0 Outfitters"',
            "organization: holds a NUL character",
        ),
        (
            "from: risk@northwind.example",
            "from: Risk Team <risk@northwind.example>",
            "delivery.email.from: 'Risk Team <risk@northwind.example>' is not one plain email address",
        ),
    ],
)
def test_values_that_used_to_crash_later_are_problems_with_their_line(
    workspace: Path, old: str, new: str, expected: str
) -> None:
    config = edit(workspace, old, new)
    found = problems(config)
    assert len(found) == 1, found
    assert expected in found[0]
    assert found[0].startswith(f"{config}:")


# --------------------------------------------------------------------------- paths


def test_source_paths_outside_the_workspace_are_refused_without_reading_them(
    workspace: Path,
) -> None:
    config = edit(
        workspace, "{path: exports/incidents.csv, format: csv}", "{path: /etc/passwd, format: csv}"
    )
    config = edit(
        workspace,
        "{path: exports/sli.csv.gz}",
        "{path: ../../../../../../etc/hostname, format: csv}",
    )
    code, _, stderr = run("validate", "--config", str(config))
    assert code == 1
    assert "sources.incidents[0].path: /etc/passwd is outside the workspace" in stderr
    assert (
        "sources.metrics[0].path: ../../../../../../etc/hostname is outside the workspace" in stderr
    )
    assert "allow_outside_paths: true" in stderr
    assert "root:" not in stderr  # no line of the file is quoted


def test_a_symlink_inside_the_workspace_to_a_file_outside_is_refused(
    workspace: Path, tmp_path: Path
) -> None:
    outside = tmp_path / "elsewhere.csv"
    shutil.copy(workspace / "exports" / "incidents.csv", outside)
    os.symlink(outside, workspace / "exports" / "linked.csv")
    config = edit(
        workspace, "exports/incidents.csv, format: csv", "exports/linked.csv, format: csv"
    )
    found = problems(config)
    assert len(found) == 1
    assert "exports/linked.csv is outside the workspace" in found[0]
    config = edit(workspace, "organization:", "allow_outside_paths: true\norganization:")
    assert load_config(config).sources.incidents[0].path == workspace / "exports" / "linked.csv"


def test_glossary_files_are_confined_too(workspace: Path) -> None:
    config = edit(workspace, "currency: EUR", "glossary: [/etc/passwd]\ncurrency: EUR")
    found = problems(config)
    assert len(found) == 1
    assert "glossary[0]: /etc/passwd is outside the workspace" in found[0]


def test_allow_outside_paths_must_be_true_or_false(workspace: Path) -> None:
    config = edit(workspace, "currency: EUR", "allow_outside_paths: sometimes\ncurrency: EUR")
    found = problems(config)
    assert len(found) == 1
    assert "allow_outside_paths: expected true or false, got text" in found[0]


def test_the_look_folder_and_logo_are_confined_too(workspace: Path, tmp_path: Path) -> None:
    (tmp_path / "look").mkdir()
    logo = tmp_path / "logo.png"
    logo.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 16)
    config = edit(
        workspace,
        "currency: EUR",
        f"report: {{templates: {tmp_path / 'look'}, logo: {logo}}}\ncurrency: EUR",
    )
    found = problems(config)
    assert len(found) == 2
    assert "report.templates: " in found[0]
    assert "is outside the workspace" in found[0]
    assert "report.logo: " in found[1]
    assert "is outside the workspace" in found[1]


def test_every_placeholder_the_config_allows_is_one_the_email_fills() -> None:
    """The config's list and render_subject cannot drift apart: each allowed name is filled."""
    from briefing.config.values import SUBJECT_PLACEHOLDERS
    from briefing.deliver.email import render_subject
    from tests.deliver.delivery_support import make_briefing

    template = " | ".join("{" + name + "}" for name in SUBJECT_PLACEHOLDERS)
    subject = render_subject(template, make_briefing())
    assert subject.count(" | ") == len(SUBJECT_PLACEHOLDERS) - 1
    assert "{" not in subject
