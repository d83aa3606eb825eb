"""The values handed from stage to stage.

ingest -> compute: `Inputs` (canonical pandas tables + `DataQuality`).
compute -> translate -> render: frozen dataclasses named like the JSON; field
order is the JSON key order of `briefing-<period label>.json`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

import pandas as pd

from briefing.config.values import Ask, HeadlineKind
from briefing.loss_basis import (  # the loss-avoided details, handed on from here
    BaselineWindow as BaselineWindow,
)
from briefing.loss_basis import LossCounts, LossLine
from briefing.loss_basis import PreventedCounts as PreventedCounts
from briefing.loss_basis import PreventedLine as PreventedLine
from briefing.loss_basis import ReductionCounts as ReductionCounts
from briefing.loss_basis import ReductionLine as ReductionLine
from briefing.loss_basis import ResponseCounts as ResponseCounts
from briefing.loss_basis import ResponseLine as ResponseLine

# the period a briefing covers lives in its own module; stages import it from here
from briefing.periods import Period as Period

Basis = Literal["measured", "estimated", "modelled"]

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
class DataWarning:
    """A service's figures that are not to be trusted as they stand (`text` from translate)."""

    service: str
    kind: Literal["partial_data", "traffic_drop"]
    value: float  # coverage, or this period's total events
    previous: float | None = None  # the previous period's total events (traffic_drop)
    text: str = ""


@dataclass(frozen=True, slots=True)
class DataQuality:
    files: tuple[FileQuality, ...] = ()
    warnings: tuple[DataWarning, ...] = ()

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
    commentary: Commentary | None = None  # the author's note for the period, if written


# --------------------------------------------------------------------------- compute -> render


@dataclass(frozen=True, slots=True)
class PeriodOut:
    start: str
    end: str
    label: str


@dataclass(frozen=True, slots=True)
class Cause:
    """The incidents that drove the headline's number, largest share first."""

    incidents: tuple[str, ...]
    budget_share: float | None  # their share of the allowance (the same partition as incidents)
    risk: str | None  # the registered risk they match
    text: str = ""  # in words, from translate
    cost: float | None = None  # their measured cost (across services: the organisation's cause)
    shared: tuple[
        SharedCause, ...
    ] = ()  # across services: the kinds they fall into, costliest first


@dataclass(frozen=True, slots=True)
class SharedCause:
    """A kind of disruption seen on several services: its title without the service's name."""

    title: str  # as the exports word it, e.g. "Latency regression after deploy"
    incidents: int
    services: int
    cost: float  # their measured cost


@dataclass(frozen=True, slots=True)
class Amount:
    """An expected amount of money and how it was worked out (`basis`, in words)."""

    amount: float
    basis: str
    kind: Literal["current_pace", "forecast", "freeze_days"]  # the rule behind `amount`
    days: float | None = None  # days the amount covers
    compared: float | None = None  # the other estimate, when `amount` is the larger of two
    services: int | None = None  # freeze_days: how many services pause (None: one)


AlternativeKind = Literal[
    "fix_risk",
    "keep_releasing",
    "fix_largest_risk",
    "accept_risk",
    "reduce_investment",
    "pause_all",
]


@dataclass(frozen=True, slots=True)
class Alternative:
    """Another decision the reader could take instead, and what it buys."""

    decision: str
    effect: str
    kind: AlternativeKind = "accept_risk"
    amount: float | None = None  # the yearly cost it removes, or what stays at stake
    risk: str | None = None  # the risk it acts on
    services: tuple[str, ...] = ()  # the services it concerns


@dataclass(frozen=True, slots=True)
class Headline:
    kind: HeadlineKind
    value: float
    unit: str  # fraction | currency | minutes
    service: str | None
    text: str
    decision: str
    owner: str
    due: str  # ISO date, a working day
    ask: Ask = "note"
    scope: str = ""
    until: str | None = None  # ISO date: the decision ends or is reviewed (inclusive)
    until_condition: str = ""
    cause: Cause | None = None
    cost_of_inaction: Amount | None = None
    cost_of_action: Amount | None = None
    alternatives: tuple[Alternative, ...] = ()
    issued: str = ""  # ISO date printed on the cover
    caveats: tuple[str, ...] = ()  # page 1: partial figures, a drop in traffic
    summary: str = ""  # the ask in a few words (the email subject's {ask})
    services: tuple[HeadlineService, ...] = ()  # budget_exhausted: every service counted
    named: int = 0  # how many of `services`, from the first, the text and decision name


@dataclass(frozen=True, slots=True)
class HeadlineService:
    """A service the headline counts, ranked by downtime cost x its tier's weight."""

    id: str
    name: str
    downtime_cost: float
    tier: int


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
    group: str | None = None  # business unit; null when the organisation names none
    tier: int = 2  # 1 most critical .. 3
    budgeting_method: str = "occurrences"
    projected_exhaustion: str | None = None
    previous: PreviousService | None = None
    burn: tuple[BurnPoint, ...] = ()
    coverage: float = 0.0  # share of the period's buckets that have data
    gaps: tuple[Gap, ...] = ()  # missing stretches over an hour
    complete: bool = False  # coverage >= policy.min_coverage
    incident_cost: float | None = None  # downtime_cost inside incident windows
    unattributed_cost: float | None = None  # the rest: failures with no incident record
    room_to_release: bool = False  # healthy with at least policy.spare_allowance left
    bridge: str = ""  # downtime_cost split into its two parts, in words


@dataclass(frozen=True, slots=True)
class Gap:
    """A stretch of the period with no data (ISO 8601 with offset), [start, end)."""

    start: str
    end: str


@dataclass(frozen=True, slots=True)
class PreviousService:
    """The same service one period earlier, where the exports cover it."""

    sli: float | None
    budget_remaining: float | None
    equivalent_outage_minutes: float | None
    downtime_cost: float | None
    total: int | None = None


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
    measured_cost: float | None = None  # its part of the service's incident_cost
    no_bad_events: bool = False  # metrics show no failed request inside its window
    risk: str | None = None  # the registered risk it names


@dataclass(frozen=True, slots=True)
class UnrecordedFailure:
    """A day of failures outside every incident window, worth listing."""

    service: str
    day: str  # ISO date in the config's time zone
    equivalent_outage_minutes: float
    cost: float


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
    measured_cost: float | None = None  # sum of the services' incident_cost
    unattributed_cost: float | None = None  # sum of the services' unattributed_cost
    bridge: str = ""  # the services' downtime cost split into its two parts, in words
    severity_words: dict[str, str] = field(default_factory=dict)  # SEV1 -> "critical"


@dataclass(frozen=True, slots=True)
class LossComponent:
    kind: Literal["faster_response", "prevented", "risk_reduction"]
    amount: float
    basis: str  # in words, from translate
    p10: float | None = None
    p90: float | None = None
    items: tuple[LossLine, ...] = ()
    counts: LossCounts | None = None


@dataclass(frozen=True, slots=True)
class LossAvoided:
    total: float
    p10: float | None
    p90: float | None
    components: tuple[LossComponent, ...]
    previous_total: float | None = None
    sum_text: str = ""  # "€20,593 + €91,633 + €15,160 = €127,386": adds up as printed


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
    observed_bad_minutes_per_year: float | None = None  # last 12 months, annualised
    observed_percentile: float | None = None  # 0..100: where it falls in the forecast
    register_underestimates: bool | None = None  # observed above the forecast's p90
    text: str = ""  # the back-test in words


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
    incidents_matched: int = 0  # the period's incidents naming a registered risk
    incidents_unmatched: int = 0  # the period's incidents matching no registered risk
    unmatched_text: str = ""


@dataclass(frozen=True, slots=True)
class Fact:
    """A supporting fact on page 1: a figure, its words, and the change since last period."""

    key: FactKey
    value: float
    unit: str  # currency | fraction | minutes | count
    text: str
    previous: float | None = None
    change: float | None = None  # value - previous
    better_when: str = "lower"  # lower | higher
    out_of: int | None = None  # for counts such as "4 of 5 services"
    basis: Basis = "measured"
    p10: float | None = None  # modelled figures: their range
    p90: float | None = None
    critical: int | None = None  # services_over_budget: how many of them are tier 1
    at_risk: int | None = None  # services_over_budget: how many more are close to it


FactKey = Literal[
    "downtime_cost",
    "services_within_budget",
    "incidents",
    "time_to_restore",
    "loss_avoided",
    "services_over_budget",
]


@dataclass(frozen=True, slots=True)
class HeadlineChoice:
    """The one actionable number as compute chose it; translate words it."""

    kind: HeadlineKind
    value: float
    unit: str
    service: str | None
    owner: str
    due: str
    risk_ids: tuple[str, ...] = ()
    reduction: float | None = None  # yearly cost the decision removes (risk_exposure)
    services_with_spare: tuple[str, ...] = ()  # loss_avoided: services far from their limit
    ask: Ask = "note"
    issued: str = ""
    until: str | None = None
    until_rule: UntilRule = "next_period"
    window_days: int = 0  # back_within: the trailing window of days that must be back within
    cause: Cause | None = None
    cost_of_inaction: Amount | None = None  # basis left empty for translate
    cost_of_action: Amount | None = None
    alternatives: tuple[Alternative, ...] = ()  # decision and effect left empty for translate
    passed_over: tuple[str, ...] = ()  # services with partial data not made the headline
    coverage: float | None = None  # the headline service's coverage, when partial but allowed
    warnings: tuple[DataWarning, ...] = ()  # the headline service's data-quality warnings
    services: tuple[HeadlineService, ...] = ()  # budget_exhausted: all of them, ranked


UntilRule = Literal["back_within", "next_period"]


@dataclass(frozen=True, slots=True)
class GroupSummary:
    """A business unit as one row: its services, how many spent their allowance, its cost."""

    name: str
    services: int
    exhausted: int
    downtime_cost: float
    worst_service: str | None  # id: the highest downtime cost x tier weight in the unit


# --------------------------------------------------------------------------- history


@dataclass(frozen=True, slots=True)
class Commentary:
    """The author's note for a period: `commentary/<label>.md` beside the config."""

    path: str  # as the briefing prints it (relative to the config's folder)
    markdown: str


@dataclass(frozen=True, slots=True)
class HistoryService:
    """One service in one period of the trend (None where the figure is unknown)."""

    id: str
    budget_consumed: float | None
    downtime_cost: float | None
    incidents: int | None
    complete: bool | None = None  # as services[].complete; None where the store lacks it


@dataclass(frozen=True, slots=True)
class HistoryPoint:
    """One period of the trend; `services` is empty where neither the exports nor the
    history store have the period (a gap, never a zero)."""

    period: str
    services: tuple[HistoryService, ...]
    headline_value: float | None  # this briefing's headline measure in that period


@dataclass(frozen=True, slots=True)
class DecisionRecord:
    """What became of a period's decision (`briefing decision record`)."""

    outcome: str  # accepted | declined | deferred | done
    note: str | None
    by: str | None
    recorded_at: str


@dataclass(frozen=True, slots=True)
class StoredPeriod:
    """A built period as the history store keeps it."""

    period: str
    built_at: str
    source: str  # build | backfill
    input_hash: str
    headline_kind: str
    headline_value: float
    headline_unit: str
    headline_service: str | None
    headline_text: str
    decision: str
    decision_owner: str
    decision_due: str
    downtime_cost: float | None
    incidents: int
    loss_avoided: float
    risk_exposure: float  # yearly cost of the risks that needed action then
    services: tuple[HistoryService, ...] = ()
    outcome: DecisionRecord | None = None


@dataclass(frozen=True, slots=True)
class FollowUp:
    """Last period's decision and the measure it was about, before and after (compute)."""

    period: str
    decision: str
    outcome: DecisionRecord
    measure: str  # the headline kind it was about: budget_exhausted | risk_exposure | loss_avoided
    service: str | None
    before: float | None  # in that measure's unit: allowance used, or money
    after: float | None


@dataclass(frozen=True, slots=True)
class PreviousDecision:
    """Last period's decision as page 1 prints it (JSON `previous_decision`)."""

    period: str
    decision: str
    outcome: str
    note: str | None
    by: str | None
    effect: str


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
    groups: tuple[GroupSummary, ...] = ()
    group: str | None = None  # the unit a unit's own briefing covers; None: the organisation
    unrecorded_failures: tuple[UnrecordedFailure, ...] = ()
    history: tuple[HistoryPoint, ...] = ()
    follow_up: FollowUp | None = None
    commentary: Commentary | None = None
    history_differs: tuple[str, ...] = ()  # periods whose stored figures the exports revise


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
    groups: tuple[GroupSummary, ...] = ()
    group: str | None = None  # the unit this briefing covers; None: the whole organisation
    unrecorded_failures: tuple[UnrecordedFailure, ...] = ()
    history: tuple[HistoryPoint, ...] = ()
    previous_decision: PreviousDecision | None = None
    commentary: str | None = None  # the author's note, as Markdown source
