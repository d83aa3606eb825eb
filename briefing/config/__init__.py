"""Stage 0: `briefing.yaml` -> `Config` (frozen dataclasses).

Every key is validated; all problems are collected with their key path and YAML
line, then reported together in one `ConfigError`. Paths in the file are
relative to the config file's folder.

values.py holds the dataclasses, fields.py the checks of single values with
their YAML positions, sections.py the checks of each section.
"""

from __future__ import annotations

from pathlib import Path

from briefing.config.fields import parse_with_marks
from briefing.config.sections import ConfigChecker
from briefing.config.values import (
    DEFAULT_ERROR_BUDGET_ACTION,
    DEFAULT_IMPACT_BY_SEVERITY,
    DEFAULT_SEVERITY_WORDS,
    DEFAULT_SUBJECT,
    HEADLINE_KINDS,
    MAX_CONFIG_BYTES,
    SEVERITIES,
    Ask,
    Baseline,
    Config,
    Delivery,
    EmailConfig,
    HeadlineKind,
    HistoryConfig,
    Palette,
    Policy,
    Report,
    ScheduleConfig,
    ServiceConfig,
    SourceEntry,
    Sources,
)
from briefing.errors import BriefingError, ConfigError, Location
from briefing.textfiles import read_text

# --------------------------------------------------------------------------- loading


def packaged_sample_config() -> Path:
    """The sample workspace shipped inside the package."""
    return Path(__file__).resolve().parent.parent / "samples" / "briefing.yaml"


def resolve_config_path(path: Path | None) -> Path:
    """`--config`, else `./briefing.yaml`, else the packaged sample."""
    if path is not None:
        return path
    local = Path("briefing.yaml")
    if local.is_file():
        return local
    return packaged_sample_config()


def load_config(path: Path) -> Config:
    """Read and validate `briefing.yaml`; raise one `ConfigError` with every problem."""
    if not path.is_file():
        raise BriefingError(
            "config file not found",
            where=Location(path),
            hint="pass --config PATH, or run `briefing init` to scaffold a workspace",
        )
    if path.stat().st_size > MAX_CONFIG_BYTES:
        raise BriefingError(
            f"config file is larger than {MAX_CONFIG_BYTES:,} bytes", where=Location(path)
        )
    text = read_text(path)
    marks, data = parse_with_marks(text, path)
    if data is None:
        data = {}
    checker = ConfigChecker(path, marks)
    if not isinstance(data, dict):
        raise ConfigError([(Location(path, 1), "the file must hold a mapping of keys")])
    config = checker.config(data)
    if checker.problems:
        raise ConfigError(checker.problems)
    assert config is not None
    return config


__all__ = [
    "SEVERITIES",
    "DEFAULT_IMPACT_BY_SEVERITY",
    "DEFAULT_SEVERITY_WORDS",
    "HEADLINE_KINDS",
    "DEFAULT_SUBJECT",
    "DEFAULT_ERROR_BUDGET_ACTION",
    "Ask",
    "HeadlineKind",
    "Baseline",
    "Config",
    "Delivery",
    "EmailConfig",
    "HistoryConfig",
    "Policy",
    "Palette",
    "Report",
    "ScheduleConfig",
    "ServiceConfig",
    "SourceEntry",
    "Sources",
    "load_config",
    "packaged_sample_config",
    "resolve_config_path",
]
