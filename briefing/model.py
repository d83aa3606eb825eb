"""The values handed from stage to stage.

ingest -> compute: `Inputs` (canonical pandas tables + `DataQuality`).
compute -> translate -> render: frozen dataclasses named like the JSON; field
order is the JSON key order of `briefing-<period label>.json`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd

# the period a briefing covers lives in its own module; stages import it from here
from briefing.periods import Period as Period

# --------------------------------------------------------------------------- data quality


@dataclass(frozen=True, slots=True)
class Rejection:
    line: int | None
    column: str | None
    reason: str


@dataclass(frozen=True, slots=True)
class FileQuality:
    path: str
    format: str
    rows_read: int
    rows_used: int
    rows_rejected: int
    rejections: tuple[Rejection, ...] = ()
    notes: tuple[str, ...] = ()  # e.g. "detection time taken from acknowledgement for 8 incidents"


@dataclass(frozen=True, slots=True)
class DataQuality:
    files: tuple[FileQuality, ...] = ()

    @property
    def rows_rejected(self) -> int:
        return sum(f.rows_rejected for f in self.files)


# --------------------------------------------------------------------------- ingest -> compute


@dataclass(frozen=True, slots=True)
class SloDefinition:
    """An SLO read from OpenSLO (or the config), keyed by service id."""

    service: str
    objective: float
    budgeting_method: str = "occurrences"  # occurrences | timeslices
    slice_threshold: float | None = None
    slice_minutes: int | None = None
    time_window: str = "calendar"  # calendar | rolling
    window_days: float | None = None
    source: str = ""


@dataclass(frozen=True)
class Inputs:
    """The canonical tables (columns in `briefing.ingest.tables`) and their reconciliation."""

    sli: pd.DataFrame
    incidents: pd.DataFrame
    risks: pd.DataFrame
    controls: pd.DataFrame
    data_quality: DataQuality
    slos: tuple[SloDefinition, ...] = ()
    notes: tuple[str, ...] = ()  # what the briefing must say it assumed or did not use


# --------------------------------------------------------------------------- compute -> render


@dataclass(frozen=True, slots=True)
class PeriodOut:
    start: str
    end: str
    label: str


@dataclass(frozen=True, slots=True)
class Headline:
    kind: str  # budget_exhausted | risk_exposure | loss_avoided
    value: float
    unit: str  # fraction | currency | minutes
    service: str | None
    text: str
    decision: str
    owner: str
    due: str  # ISO date


@dataclass(frozen=True, slots=True)
class ServiceStatus:
    id: str
    name: str
    objective: float
    good: int
    total: int
    bad: int
    sli: float | None
    budget_events: float
    budget_consumed: float | None
    budget_remaining: float | None
    budget_minutes: float
    equivalent_outage_minutes: float | None
    downtime_cost: float | None
    exhausted_at: str | None
    status: str  # exhausted | at_risk | healthy | no_data
    owner: str = ""
    budgeting_method: str = "occurrences"
    projected_exhaustion: str | None = None
    previous: PreviousService | None = None
    burn: tuple[BurnPoint, ...] = ()


@dataclass(frozen=True, slots=True)
class PreviousService:
    """The same service one period earlier, where the exports cover it."""

    sli: float | None
    budget_remaining: float | None
    equivalent_outage_minutes: float | None
    downtime_cost: float | None


@dataclass(frozen=True, slots=True)
class BurnPoint:
    """Budget remaining at the end of a day of the period (for the burn-down chart)."""

    at: str
    budget_remaining: float


@dataclass(frozen=True, slots=True)
class IncidentItem:
    id: str
    service: str
    title: str
    severity: str
    started_at: str
    detected_at: str | None
    resolved_at: str
    impact: float
    duration_minutes: float
    cost: float
    budget_share: float | None
    needs_postmortem: bool
    ttd_minutes: float | None = None
    ttr_minutes: float | None = None
    service_name: str = ""
    clipped: bool = False


@dataclass(frozen=True, slots=True)
class IncidentSummary:
    count: int
    by_severity: dict[str, int]
    mttd_minutes: float | None
    mttr_minutes: float | None
    downtime_cost: float
    items: tuple[IncidentItem, ...]
    mttd_mean_minutes: float | None = None
    mttr_mean_minutes: float | None = None
    previous_count: int | None = None
    previous_downtime_cost: float | None = None
    previous_mttr_minutes: float | None = None


@dataclass(frozen=True, slots=True)
class LossComponent:
    kind: str  # faster_response | prevented | risk_reduction
    amount: float
    basis: str
    p10: float | None = None
    p90: float | None = None
    items: tuple[dict[str, Any], ...] = ()


@dataclass(frozen=True, slots=True)
class LossAvoided:
    total: float
    p10: float | None
    p90: float | None
    components: tuple[LossComponent, ...]
    previous_total: float | None = None


@dataclass(frozen=True, slots=True)
class RiskItem:
    id: str
    title: str
    service: str
    ettd_minutes: float
    ettr_minutes: float
    impact: float
    ettf_days: float
    incidents_per_year: float
    bad_minutes_per_year: float
    annual_budget_minutes: float
    budget_fraction: float
    needs_action: bool
    annual_cost: float
    p10_annual_cost: float | None = None
    p50_annual_cost: float | None = None
    p90_annual_cost: float | None = None
    owner: str = ""
    annual_cost_before: float | None = None


@dataclass(frozen=True, slots=True)
class RiskByService:
    service: str
    bad_minutes_per_year: float
    annual_budget_minutes: float
    budget_fraction: float
    probability_budget_exceeded: float | None


@dataclass(frozen=True, slots=True)
class ExceedancePoint:
    loss: float
    probability: float


@dataclass(frozen=True, slots=True)
class RiskSummary:
    threshold_fraction: float
    items: tuple[RiskItem, ...] = ()
    by_service: tuple[RiskByService, ...] = ()
    loss_exceedance: tuple[ExceedancePoint, ...] = ()


@dataclass(frozen=True, slots=True)
class Fact:
    """A supporting fact on page 1: a figure, its words, and the change since last period."""

    key: str
    value: float
    unit: str  # currency | fraction | minutes | count
    text: str
    previous: float | None = None
    change: float | None = None  # value - previous
    better_when: str = "lower"  # lower | higher
    out_of: int | None = None  # for counts such as "4 of 5 services"


@dataclass(frozen=True, slots=True)
class HeadlineChoice:
    """The one actionable number as compute chose it; translate words it."""

    kind: str
    value: float
    unit: str
    service: str | None
    owner: str
    due: str
    risk_ids: tuple[str, ...] = ()
    reduction: float | None = None  # yearly cost the decision removes (risk_exposure)
    services_with_spare: tuple[str, ...] = ()  # loss_avoided: services far from their limit


@dataclass(frozen=True, slots=True)
class Findings:
    """Everything compute worked out, before words are chosen."""

    organization: str
    period: Period
    currency: str
    services: tuple[ServiceStatus, ...]
    incidents: IncidentSummary
    loss_avoided: LossAvoided
    risks: RiskSummary
    data_quality: DataQuality
    headline: HeadlineChoice
    facts: tuple[Fact, ...] = ()
    notes: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Term:
    """A glossary term the briefing used, as printed in "Words we use"."""

    term: str
    say_instead: str
    definition: str
    metaphor: str
    why_it_matters: str = ""


@dataclass(frozen=True, slots=True)
class Briefing:
    """The finished briefing: every figure and the words it prints. JSON key order."""

    schema_version: str
    organization: str
    period: PeriodOut
    currency: str
    headline: Headline
    services: tuple[ServiceStatus, ...]
    incidents: IncidentSummary
    loss_avoided: LossAvoided
    risks: RiskSummary
    data_quality: DataQuality
    facts: tuple[Fact, ...] = ()
    notes: tuple[str, ...] = ()
    terms: tuple[Term, ...] = ()
    locale: str = "en_GB"
    timezone: str = "UTC"
