"""Config stage: the values of `briefing.yaml` (frozen dataclasses) and its constants."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, get_args

from briefing.config.organisation import DEFAULT_MAX_NAMED_SERVICES, DEFAULT_TIER_WEIGHTS
from briefing.errors import Location

MAX_CONFIG_BYTES = 1_000_000
SEVERITIES = ("SEV1", "SEV2", "SEV3", "SEV4")
DEFAULT_IMPACT_BY_SEVERITY = {"SEV1": 1.0, "SEV2": 0.5, "SEV3": 0.2, "SEV4": 0.05}
# How the briefing's pages name a severity (the codes stay in the JSON and the appendix).
DEFAULT_SEVERITY_WORDS = {"SEV1": "critical", "SEV2": "major", "SEV3": "moderate", "SEV4": "minor"}
HeadlineKind = Literal["budget_exhausted", "risk_exposure", "loss_avoided"]
HEADLINE_KINDS: tuple[HeadlineKind, ...] = get_args(HeadlineKind)
DEFAULT_SUBJECT = "{ask} ({period})"
# page 1 prints when the pause ends in its own line ("Until"), so the action says what
DEFAULT_ERROR_BUDGET_ACTION = "Pause new feature releases for {service}"
DEFAULT_FREEZE_SCOPE = "new features; fixes and changes that reduce risk continue"
Ask = Literal["approve", "note"]
ASKS: tuple[Ask, ...] = get_args(Ask)
PAGE1_POLICY_KEYS = (
    "min_coverage",
    "unrecorded_minutes",
    "headline_ask",
    "freeze_scope",
    "cost_of_freeze_per_day",
    "spare_allowance",
    "issue_working_day",
)

# The placeholders each text template of briefing.yaml may use (checked by validate and build).
ERROR_BUDGET_ACTION_PLACEHOLDERS = ("service",)
SUBJECT_PLACEHOLDERS = (
    "ask",
    "organization",
    "period",
    "period_label",
    "headline",
    "figure",
    "decision",
)
MAX_DECISION_DUE_DAYS = 366
MAX_COST_PER_HOUR = 1e12  # beyond any business; keeps every cost the Monte Carlo adds finite


# --------------------------------------------------------------------------- values


@dataclass(frozen=True, slots=True)
class ServiceConfig:
    id: str
    name: str
    objective: float | None
    cost_of_downtime_per_hour: float
    owner: str
    location: Location
    budgeting_method: str = "occurrences"  # or "timeslices" (from OpenSLO)
    slice_threshold: float | None = None
    slice_minutes: int | None = None
    group: str | None = None  # business unit or product line
    tier: int = 2  # 1 most critical .. 3

    @property
    def cost_per_minute(self) -> float:
        return self.cost_of_downtime_per_hour / 60.0


@dataclass(frozen=True, slots=True)
class SourceEntry:
    """One file or endpoint of `sources.<kind>`."""

    kind: str  # slos | metrics | incidents | risks | controls
    format: str
    path: Path | None
    options: Mapping[str, Any]
    location: Location

    @property
    def display(self) -> str:
        if self.path is not None:
            return str(self.path)
        options = self.options
        return str(options.get("url") or options.get("good") or options.get("bad") or self.format)


@dataclass(frozen=True, slots=True)
class Sources:
    slos: tuple[SourceEntry, ...] = ()
    metrics: tuple[SourceEntry, ...] = ()
    incidents: tuple[SourceEntry, ...] = ()
    risks: tuple[SourceEntry, ...] = ()
    controls: tuple[SourceEntry, ...] = ()


@dataclass(frozen=True, slots=True)
class Baseline:
    """Detection and repair times the team used to have (minutes)."""

    ttd_minutes: float | None = None
    ttr_minutes: float | None = None
    by_severity: Mapping[str, tuple[float, float]] = field(default_factory=dict)
    by_service: Mapping[str, tuple[float, float]] = field(default_factory=dict)
    from_incidents: tuple[str, str] | None = None  # ISO dates [start, end)

    @property
    def configured(self) -> bool:
        return (
            (self.ttd_minutes is not None and self.ttr_minutes is not None)
            or bool(self.by_severity)
            or bool(self.by_service)
            or self.from_incidents is not None
        )


@dataclass(frozen=True, slots=True)
class Policy:
    at_risk_below: float = 0.25
    risk_threshold: float = 0.25
    postmortem_share: float = 0.20
    error_budget_action: str = DEFAULT_ERROR_BUDGET_ACTION
    baseline: Baseline = field(default_factory=Baseline)
    impact_by_severity: Mapping[str, float] = field(
        default_factory=lambda: dict(DEFAULT_IMPACT_BY_SEVERITY)
    )
    headline: tuple[HeadlineKind, ...] = HEADLINE_KINDS
    seed: int = 20261001
    trials: int = 100_000
    redact_patterns: tuple[str, ...] = ()
    severity_words: Mapping[str, str] = field(default_factory=lambda: dict(DEFAULT_SEVERITY_WORDS))
    decision_due_days: int = 14
    owner: str = (
        "Head of Reliability"  # who answers for the briefing's decisions when no service owner does
    )
    tier_weights: Mapping[int, float] = field(default_factory=lambda: dict(DEFAULT_TIER_WEIGHTS))
    max_named_services: int = DEFAULT_MAX_NAMED_SERVICES
    # page 1: the trust gate and the decision
    min_coverage: float = 0.95  # share of the period's buckets with data for a complete service
    unrecorded_minutes: float = 5.0  # a day's failures outside incidents worth listing
    headline_ask: Mapping[HeadlineKind, Ask] = field(default_factory=dict)  # overrides the ask
    freeze_scope: str = DEFAULT_FREEZE_SCOPE
    cost_of_freeze_per_day: float | None = None  # what a day of paused releases costs
    spare_allowance: float = 0.5  # share of the allowance left from which a service can go faster
    issue_working_day: int = 1  # the briefing is issued on this working day after the period


@dataclass(frozen=True, slots=True)
class EmailConfig:
    host: str
    port: int
    security: str  # starttls | ssl | none
    username: str | None
    password_env: str | None
    from_addr: str
    to: tuple[str, ...]
    cc: tuple[str, ...] = ()
    bcc: tuple[str, ...] = ()
    subject: str = DEFAULT_SUBJECT
    attempts: int = 4
    backoff_seconds: float = 2.0
    timeout_seconds: float = 30.0
    pdf_variant: str | None = (
        None  # attach this PDF variant (e.g. pdf/a-3b) instead of the report's
    )


@dataclass(frozen=True, slots=True)
class ScheduleConfig:
    cron: str
    timezone: str = "UTC"
    period: str = "month"  # the kind of period each run sends: month | quarter | year | week


@dataclass(frozen=True, slots=True)
class Delivery:
    email: EmailConfig | None = None
    schedule: ScheduleConfig | None = None
    ledger: Path | None = None


@dataclass(frozen=True, slots=True)
class Palette:
    """The briefing's colours (`report.palette`), as #rrggbb: CSS, charts and email.

    The defaults are told apart by readers with any common colour-vision deficiency
    (a blue and an orange, after Okabe and Ito), and dark enough for text on white.
    """

    accent: str = "#1f4e79"  # structure: rules, links, the chart's main line
    good: str = "#005f99"  # better, healthy, within limits
    bad: str = "#a94400"  # worse, spent, needs action
    neutral: str = "#59616b"  # unchanged, no data, reference lines


PALETTE_KEYS = ("accent", "good", "bad", "neutral")
PDF_VARIANTS = ("pdf/a-3b",)
MAX_LOGO_BYTES = 1_000_000


@dataclass(frozen=True, slots=True)
class Report:
    paper_size: str = "A4"  # A4 | Letter
    classification: str = "Confidential"
    templates: Path | None = None  # a folder whose files replace the packaged templates by name
    logo: Path | None = None  # PNG or SVG, embedded on the cover, in the HTML and the email
    palette: Palette = field(default_factory=Palette)
    pdf_variant: str | None = None  # None: a tagged PDF; "pdf/a-3b": archival, JSON attached
    detail: str = "summary"  # summary | full


@dataclass(frozen=True, slots=True)
class HistoryConfig:
    """`history:`: where the store of built periods lives (None: the default place)."""

    path: Path | None = None


@dataclass(frozen=True, slots=True)
class Config:
    path: Path
    organization: str
    currency: str
    locale: str
    timezone: str
    period: str | None
    services: tuple[ServiceConfig, ...]
    sources: Sources
    glossary: tuple[Path, ...]
    policy: Policy
    delivery: Delivery
    report: Report
    timezone_set: bool = False  # naive timestamps are an error unless `timezone:` is given
    history: HistoryConfig = HistoryConfig()

    @property
    def base_dir(self) -> Path:
        return self.path.parent

    def service(self, service_id: str) -> ServiceConfig | None:
        for service in self.services:
            if service.id == service_id:
                return service
        return None
