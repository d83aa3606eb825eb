"""briefing.yaml loading: every documented key valid, every problem named with its line."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from briefing.config import load_config, packaged_sample_config
from briefing.errors import BriefingError, ConfigError

MINIMAL = """\
organization: Example Corp
currency: EUR
locale: en_GB
timezone: UTC
period: 2026-10
services:
  - id: checkout
    name: Online checkout
    objective: 0.999
    cost_of_downtime_per_hour: 42000
    owner: Head of Commerce Engineering
sources:
  metrics:   [{path: sli.csv}]
"""


def workspace(tmp_path: Path, text: str) -> Path:
    (tmp_path / "sli.csv").write_text("timestamp,service,good,total\n")
    path = tmp_path / "briefing.yaml"
    path.write_text(text)
    return path


def test_minimal_config_loads(tmp_path: Path) -> None:
    config = load_config(workspace(tmp_path, MINIMAL))
    assert config.organization == "Example Corp"
    assert config.services[0].objective == 0.999
    assert config.services[0].cost_per_minute == 700.0  # 42,000 / 60
    assert config.sources.metrics[0].format == "csv"
    assert config.sources.metrics[0].path == tmp_path / "sli.csv"
    assert config.policy.at_risk_below == 0.25
    assert config.policy.postmortem_share == 0.20


def test_percent_objective_has_no_binary_noise(tmp_path: Path) -> None:
    config = load_config(
        workspace(tmp_path, MINIMAL.replace("objective: 0.999", 'objective: "99.9%"'))
    )
    assert config.services[0].objective == 0.999


def test_the_full_design_example_is_valid(tmp_path: Path) -> None:
    """Every key of DESIGN.md's examples loads, including those of later stages."""
    for name in (
        "sli.csv",
        "incidents.csv",
        "controls.csv",
        "good.json",
        "total.json",
        "pd.json",
        "jira.csv",
        "openslo.yaml",
    ):
        (tmp_path / name).write_text("x\n")
    (tmp_path / "risks.yaml").write_text("risks: []\n")
    text = (
        MINIMAL.replace("sources:\n  metrics:   [{path: sli.csv}]\n", "")
        + """\
sources:
  slos: [{path: openslo.yaml}]
  metrics:
    - {path: sli.csv}
    - {format: prometheus-json, good: good.json, total: total.json, label: service}
    - format: prometheus
      url: http://prometheus:9090
      good: 'sum by (service) (increase(http_requests_total{code!~"5.."}[1h]))'
      total: 'sum by (service) (increase(http_requests_total[1h]))'
      step: 1h
      label: service
      bearer_token_env: PROMETHEUS_TOKEN
  incidents:
    - {path: incidents.csv, format: csv}
    - {path: pd.json, format: pagerduty}
    - path: jira.csv
      format: csv
      mapping: {id: Issue key, service: Custom field (Affected services), title: Summary,
                severity: Custom field (Severity), started_at: Created, resolved_at: Resolved}
      timestamp_format: "%d/%b/%y %I:%M %p"
      timezone: UTC
      severity_map: {Sev-1: SEV1, Sev-2: SEV2, Sev-3: SEV3, Sev-4: SEV4}
  risks:     [{path: risks.yaml}]
  controls:  [{path: controls.csv}]
glossary: []
policy:
  at_risk_below: 0.25
  risk_threshold: 0.25
  baseline: {ttd_minutes: 30, ttr_minutes: 90}
  error_budget_action: "Freeze feature releases for {service} until its budget recovers"
  postmortem_share: 0.20
delivery:
  email: {host: smtp.example.com, port: 587, security: starttls, username: briefing,
          password_env: BRIEFING_SMTP_PASSWORD, from: risk@example.com, to: [board@example.com]}
  schedule: {cron: "0 8 2 * *", timezone: Europe/Amsterdam}
"""
    )
    config = load_config(workspace(tmp_path, text))
    assert [e.format for e in config.sources.metrics] == ["csv", "prometheus-json", "prometheus"]
    assert config.sources.incidents[2].options["mapping"]["id"] == "Issue key"
    assert config.delivery.email is not None
    assert config.delivery.email.port == 587
    assert config.delivery.email.subject == "{ask} ({period})"  # the default: the ask, short
    assert config.delivery.schedule is not None
    assert config.delivery.schedule.timezone == "Europe/Amsterdam"


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            ("owner: Head", "ownr: Head"),
            "briefing.yaml:11:5: services[0].ownr: unknown key (did you mean 'owner'?)",
        ),
        (
            ("objective: 0.999", "objective: 1.5"),
            "briefing.yaml:9:5: services[0].objective: must be < 1, got 1.5",
        ),
        (
            ("objective: 0.999", "objective: 0"),
            "briefing.yaml:9:5: services[0].objective: must be > 0, got 0",
        ),
        (
            ("42000", "-5"),
            "briefing.yaml:10:5: services[0].cost_of_downtime_per_hour: must be >= 0, got -5",
        ),
        (
            ("42000", "lots"),
            "services[0].cost_of_downtime_per_hour: expected a number, got text 'lots'",
        ),
        (
            ("path: sli.csv", "path: missing.csv"),
            "briefing.yaml:13:16: sources.metrics[0].path: file not found",
        ),
        (
            ("currency: EUR", "currency: EURO"),
            "briefing.yaml:2:1: currency: 'EURO' is not an ISO 4217 currency code",
        ),
        (
            ("timezone: UTC", "timezone: Mars/Base"),
            "briefing.yaml:4:1: timezone: unknown IANA time zone 'Mars/Base'",
        ),
        (
            ("period: 2026-10", "period: 2026-13"),
            "briefing.yaml:5:1: period: '2026-13': there is no month 13",
        ),
        (
            ("organization: Example Corp", "organisation: Example Corp"),
            "organisation: unknown key (did you mean 'organization'?)",
        ),
    ],
)
def test_bad_config_names_file_key_and_line(
    tmp_path: Path, change: tuple[str, str], expected: str
) -> None:
    path = workspace(tmp_path, MINIMAL.replace(*change))
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    assert expected in str(caught.value)
    assert str(path) in str(caught.value)


def test_all_problems_are_reported_together(tmp_path: Path) -> None:
    text = MINIMAL.replace("objective: 0.999", "objective: 2").replace("owner: Head", "ownr: Head")
    with pytest.raises(ConfigError) as caught:
        load_config(workspace(tmp_path, text))
    assert len(caught.value.problems) == 2


def test_yaml_syntax_error_has_line_and_column(tmp_path: Path) -> None:
    with pytest.raises(BriefingError) as caught:
        load_config(workspace(tmp_path, MINIMAL + "  - id: [unclosed\n"))
    assert "briefing.yaml:14:3:" in str(caught.value)
    assert "not valid YAML" in str(caught.value)


def test_password_must_be_an_environment_variable_name(tmp_path: Path) -> None:
    text = (
        MINIMAL
        + """delivery:
  email: {host: 127.0.0.1, from: a@b.example, to: [c@d.example], password_env: "hunter2!"}
"""
    )
    with pytest.raises(ConfigError) as caught:
        load_config(workspace(tmp_path, text))
    assert "delivery.email.password_env: expected the NAME of an environment variable" in str(
        caught.value
    )
    assert "hunter2" not in str(caught.value)


def test_sample_config_loads_from_a_copy(tmp_path: Path) -> None:
    copy = tmp_path / "ws"
    shutil.copytree(packaged_sample_config().parent, copy)
    config = load_config(copy / "briefing.yaml")
    assert len(config.services) == 5
    assert config.timezone == "Europe/Amsterdam"
    assert config.timezone_set


def test_severity_words_default_and_override(tmp_path: Path) -> None:
    config = load_config(workspace(tmp_path, MINIMAL))
    assert config.policy.severity_words == {
        "SEV1": "critical",
        "SEV2": "major",
        "SEV3": "moderate",
        "SEV4": "minor",
    }
    text = MINIMAL + "policy:\n  severity_words: {sev1: outage, SEV4: cosmetic}\n"
    words = load_config(workspace(tmp_path, text)).policy.severity_words
    assert (words["SEV1"], words["SEV2"], words["SEV4"]) == ("outage", "major", "cosmetic")
    with pytest.raises(ConfigError, match="policy.severity_words.SEV2"):
        load_config(workspace(tmp_path, MINIMAL + "policy:\n  severity_words: {SEV2: [a]}\n"))
