"""A config and a `Voice` for testing translate's sentences without a workspace."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from briefing.config import Config, Delivery, Policy, Report, ServiceConfig, Sources
from briefing.errors import Location
from briefing.model import Period
from briefing.translate.glossary import load_glossary
from briefing.translate.phrases import Voice, Words

HERE = Location(Path("briefing.yaml"))
SERVICES = (
    ServiceConfig("checkout", "Online checkout", 0.999, 42_000.0, "Head of Commerce", HERE),
    ServiceConfig("payments", "Card payments", 0.9995, 60_000.0, "Head of Payments", HERE),
)


def make_config(
    *,
    locale: str = "en_GB",
    timezone: str = "UTC",
    services: Sequence[ServiceConfig] = SERVICES,
    policy: Policy | None = None,
) -> Config:
    return Config(
        path=Path("briefing.yaml"),
        organization="Example Corp",
        currency="EUR",
        locale=locale,
        timezone=timezone,
        period="2026-10",
        services=tuple(services),
        sources=Sources(),
        glossary=(),
        policy=policy or Policy(),
        delivery=Delivery(),
        report=Report(),
    )


def make_voice(config: Config | None = None, period: Period | None = None) -> Voice:
    config = config or make_config()
    return Voice(Words(load_glossary()), config, period or Period(2026, 10, config.timezone))
