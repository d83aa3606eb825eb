"""briefing.yaml at organisation scale: services' group and tier, tier weights, report detail."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefing.config import load_config
from briefing.errors import ConfigError

CONFIG = """\
organization: Example Corp
currency: EUR
period: 2026-10
services:
  - id: checkout
    name: Online checkout
    objective: 0.999
    cost_of_downtime_per_hour: 42000
    group: Retail
    tier: 1
  - id: search
    name: Product search
    objective: 0.995
    cost_of_downtime_per_hour: 6000
    group: Retail
  - id: ledger
    name: General ledger
    objective: 0.999
    cost_of_downtime_per_hour: 9000
sources:
  metrics: [{path: sli.csv}]
"""


def load(tmp_path: Path, text: str = CONFIG):  # type: ignore[no-untyped-def]
    (tmp_path / "sli.csv").write_text("timestamp,service,good,total\n")
    path = tmp_path / "briefing.yaml"
    path.write_text(text)
    return load_config(path)


def test_group_and_tier_are_read_and_tier_defaults_to_2(tmp_path: Path) -> None:
    config = load(tmp_path)
    checkout, search, ledger = config.services
    assert (checkout.group, checkout.tier) == ("Retail", 1)
    assert (search.group, search.tier) == ("Retail", 2)  # no tier: 2
    assert (ledger.group, ledger.tier) == (None, 2)  # no group: none
    assert dict(config.policy.tier_weights) == {1: 3.0, 2: 2.0, 3: 1.0}
    assert config.policy.max_named_services == 3
    assert config.report.detail == "summary"


@pytest.mark.parametrize("tier", ["0", "4", "'1'", "1.5", "true"])
def test_a_tier_outside_1_to_3_is_an_error_with_its_line(tmp_path: Path, tier: str) -> None:
    text = CONFIG.replace("    tier: 1\n", f"    tier: {tier}\n")
    with pytest.raises(ConfigError) as caught:
        load(tmp_path, text)
    message = str(caught.value)
    # `tier:` is on line 10 of CONFIG (organization is line 1)
    assert f"{tmp_path / 'briefing.yaml'}:10:" in message
    assert "services[0].tier: must be 1, 2 or 3" in message
    assert len(caught.value.problems) == 1


def test_tier_weights_override_some_tiers_and_keep_the_others(tmp_path: Path) -> None:
    config = load(
        tmp_path, CONFIG + "policy:\n  tier_weights: {1: 10, '3': 0.5}\n  max_named_services: 5\n"
    )
    assert dict(config.policy.tier_weights) == {1: 10.0, 2: 2.0, 3: 0.5}
    assert config.policy.max_named_services == 5


@pytest.mark.parametrize(
    ("policy", "expected"),
    [
        ("tier_weights: {4: 1}", "policy.tier_weights.4: unknown tier"),
        ("tier_weights: {1: 0}", "policy.tier_weights.1: must be > 0"),
        ("tier_weights: [3, 2, 1]", "policy.tier_weights: expected a mapping"),
        ("max_named_services: 0", "policy.max_named_services: must be >= 1"),
        ("max_named_services: 2.5", "policy.max_named_services: must be a whole number"),
    ],
)
def test_bad_policy_keys_are_named(tmp_path: Path, policy: str, expected: str) -> None:
    with pytest.raises(ConfigError) as caught:
        load(tmp_path, CONFIG + f"policy:\n  {policy}\n")
    assert expected in str(caught.value)


def test_report_detail_is_summary_or_full(tmp_path: Path) -> None:
    assert load(tmp_path, CONFIG + "report:\n  detail: full\n").report.detail == "full"
    with pytest.raises(ConfigError) as caught:
        load(tmp_path, CONFIG + "report:\n  detail: everything\n")
    assert "report.detail: expected summary or full, got 'everything'" in str(caught.value)


def test_an_empty_group_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as caught:
        load(tmp_path, CONFIG.replace("group: Retail\n    tier: 1", "group: ''\n    tier: 1"))
    assert "services[0].group: must not be empty" in str(caught.value)
