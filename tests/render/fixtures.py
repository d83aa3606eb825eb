"""A realistic Briefing for October 2026, built by hand, for the render tests.

The figures are consistent with DESIGN.md's formulas, worked out here:
- period: October 2026 in UTC, 31 days = 44,640 minutes.
- checkout: objective 0.999, 52,000,000 events, 73,840 bad.
  budget_events = 0.001 * 52,000,000 = 52,000; consumed = 73,840 / 52,000 = 1.42;
  remaining = -0.42 (exhausted). budget_minutes = 0.001 * 44,640 = 44.64.
  equivalent outage = 73,840 / 52,000,000 * 44,640 = 63.38688 min;
  cost at 42,000/h = 700/min -> 44,370.816.
- search: objective 0.995, 18,000,000 events, 72,000 bad -> budget 90,000 events,
  consumed 0.8, remaining 0.2 (< 0.25: at_risk); outage 0.004 * 44,640 = 178.56 min;
  200/min -> 35,712.
- accounts: objective 0.9995, 9,000,000 events, 450 bad -> budget 4,500, consumed 0.1,
  remaining 0.9 (healthy); outage 0.00005 * 44,640 = 2.232 min; 100/min -> 223.2.
- reporting: no events in the period (no_data).
"""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta

from briefing.model import (
    Briefing,
    BurnPoint,
    DataQuality,
    ExceedancePoint,
    Fact,
    FileQuality,
    Headline,
    HistoryPoint,
    HistoryService,
    IncidentItem,
    IncidentSummary,
    LossAvoided,
    LossComponent,
    PeriodOut,
    PreviousService,
    Rejection,
    RiskByService,
    RiskItem,
    RiskSummary,
    ServiceStatus,
    Term,
)
from briefing.translate.glossary import Glossary, load_glossary

START = datetime(2026, 10, 1, tzinfo=UTC)
PERIOD_MINUTES = 31 * 1440  # 44,640


# The top-level keys of briefing-YYYY-MM.json, in the contract's order (DESIGN.md).
DESIGN_TOP_LEVEL = [
    "schema_version",
    "organization",
    "period",
    "currency",
    "headline",
    "services",
    "incidents",
    "loss_avoided",
    "risks",
    "data_quality",
]
DESIGN_REQUIRED = [*DESIGN_TOP_LEVEL, "unrecorded_failures"]


def _burn(consumed_by_day: list[float]) -> tuple[BurnPoint, ...]:
    """Budget remaining at the end of each day from the cumulative consumed fraction."""
    return tuple(
        BurnPoint(at=(START + timedelta(days=i + 1)).isoformat(), budget_remaining=round(1 - c, 6))
        for i, c in enumerate(consumed_by_day)
    )


def _checkout_burn() -> tuple[BurnPoint, ...]:
    # Steady 1.5% a day, a bad incident on 9 October (+30%) and on 19 October (+45%),
    # ending at 1.42 consumed on 31 October.
    consumed, total = [], 0.0
    for day in range(1, 32):
        total += 0.015
        if day == 9:
            total += 0.30
        if day == 19:
            total += 0.45
        consumed.append(total)
    scale = 1.42 / consumed[-1]
    return _burn([c * scale for c in consumed])


def _services() -> tuple[ServiceStatus, ...]:
    checkout = ServiceStatus(
        id="checkout",
        name="Online checkout",
        objective=0.999,
        good=52_000_000 - 73_840,
        total=52_000_000,
        bad=73_840,
        sli=1 - 73_840 / 52_000_000,
        budget_events=52_000.0,
        budget_consumed=1.42,
        budget_remaining=-0.42,
        budget_minutes=44.64,
        equivalent_outage_minutes=63.38688,
        downtime_cost=44_370.816,
        exhausted_at="2026-10-19T14:00:00+00:00",
        status="exhausted",
        owner="Head of Commerce Engineering",
        previous=PreviousService(
            sli=0.99941,
            budget_remaining=0.41,
            equivalent_outage_minutes=26.3,
            downtime_cost=18_410.0,
        ),
        burn=_checkout_burn(),
    )
    search = ServiceStatus(
        id="search",
        name="Product search",
        objective=0.995,
        good=18_000_000 - 72_000,
        total=18_000_000,
        bad=72_000,
        sli=0.996,
        budget_events=90_000.0,
        budget_consumed=0.8,
        budget_remaining=0.2,
        budget_minutes=223.2,
        equivalent_outage_minutes=178.56,
        downtime_cost=35_712.0,
        exhausted_at=None,
        status="at_risk",
        owner="Head of Discovery",
        previous=PreviousService(
            sli=0.9968,
            budget_remaining=0.36,
            equivalent_outage_minutes=142.8,
            downtime_cost=28_560.0,
        ),
        burn=_burn([0.8 * (d / 31) for d in range(1, 32)]),
    )
    accounts = ServiceStatus(
        id="accounts",
        name="Customer accounts",
        objective=0.9995,
        good=9_000_000 - 450,
        total=9_000_000,
        bad=450,
        sli=1 - 450 / 9_000_000,
        budget_events=4_500.0,
        budget_consumed=0.1,
        budget_remaining=0.9,
        budget_minutes=22.32,
        equivalent_outage_minutes=2.232,
        downtime_cost=223.2,
        exhausted_at=None,
        status="healthy",
        owner="Head of Identity",
        burn=_burn([0.1 * (d / 31) for d in range(1, 32)]),
    )
    reporting = ServiceStatus(
        id="reporting",
        name="Partner reporting",
        objective=0.99,
        good=0,
        total=0,
        bad=0,
        sli=None,
        budget_events=0.0,
        budget_consumed=None,
        budget_remaining=None,
        budget_minutes=446.4,
        equivalent_outage_minutes=None,
        downtime_cost=None,
        exhausted_at=None,
        status="no_data",
        owner="Head of Partnerships",
    )
    return (checkout, search, accounts, reporting)


def _incident(
    id: str,
    service: str,
    name: str,
    title: str,
    severity: str,
    start: str,
    ttd: float | None,
    ttr: float,
    impact: float,
    per_minute: float,
    share: float | None,
) -> IncidentItem:
    started = datetime.fromisoformat(start)
    detected = started + timedelta(minutes=ttd) if ttd is not None else None
    resolved = (detected or started) + timedelta(minutes=ttr)
    duration = (resolved - started).total_seconds() / 60
    return IncidentItem(
        id=id,
        service=service,
        title=title,
        severity=severity,
        started_at=started.isoformat(),
        detected_at=detected.isoformat() if detected else None,
        resolved_at=resolved.isoformat(),
        impact=impact,
        duration_minutes=duration,
        cost=duration * impact * per_minute,
        budget_share=share,
        needs_postmortem=share is not None and share > 0.20,
        ttd_minutes=ttd,
        ttr_minutes=ttr if ttd is not None else None,
        service_name=name,
    )


def _incidents(script_title: str) -> IncidentSummary:
    items = (
        # 30 + 95 = 125 min * 0.4 * 700 = 35,000
        _incident(
            "PD-1042",
            "checkout",
            "Online checkout",
            "Card payments declined for [email] customers",
            "SEV1",
            "2026-10-19T12:05:00+00:00",
            30,
            95,
            0.4,
            700,
            0.45,
        ),
        # 12 + 58 = 70 min * 0.5 * 700 = 24,500
        _incident(
            "PD-1031",
            "checkout",
            "Online checkout",
            script_title,
            "SEV1",
            "2026-10-09T08:40:00+00:00",
            12,
            58,
            0.5,
            700,
            0.30,
        ),
        # 20 + 160 = 180 min * 0.25 * 200 = 9,000
        _incident(
            "PD-1050",
            "search",
            "Product search",
            "Search results slow after index rebuild",
            "SEV2",
            "2026-10-22T16:10:00+00:00",
            20,
            160,
            0.25,
            200,
            0.16,
        ),
        # 8 + 37 = 45 min * 0.2 * 200 = 1,800
        _incident(
            "PD-1047",
            "search",
            "Product search",
            "Autocomplete timeouts in one region",
            "SEV3",
            "2026-10-14T03:15:00+00:00",
            8,
            37,
            0.2,
            200,
            0.04,
        ),
        # no detection time: 50 min * 0.2 * 100 = 1,000
        _incident(
            "PD-1055",
            "accounts",
            "Customer accounts",
            "Password reset emails delayed",
            "SEV3",
            "2026-10-27T10:00:00+00:00",
            None,
            50,
            0.2,
            100,
            0.05,
        ),
        # 5 + 25 = 30 min * 0.05 * 700 = 1,050
        _incident(
            "PD-1038",
            "checkout",
            "Online checkout",
            "Gift card balance shown as zero",
            "SEV4",
            "2026-10-11T19:30:00+00:00",
            5,
            25,
            0.05,
            700,
            0.01,
        ),
    )
    return IncidentSummary(
        count=6,
        by_severity={"SEV1": 2, "SEV2": 1, "SEV3": 2, "SEV4": 1},
        mttd_minutes=12.0,  # median of 30, 12, 20, 8, 5 -> 12
        mttr_minutes=58.0,  # median of 95, 58, 160, 37, 25 -> 58
        downtime_cost=72_350.0,  # 35,000 + 24,500 + 9,000 + 1,800 + 1,000 + 1,050
        items=items,
        mttd_mean_minutes=15.0,
        mttr_mean_minutes=75.0,
        previous_count=4,
        previous_downtime_cost=41_200.0,
        previous_mttr_minutes=71.0,
    )


def _risk(
    id: str,
    title: str,
    service: str,
    ettd: float,
    ettr: float,
    impact: float,
    ettf: float,
    objective: float,
    per_minute: float,
    p: tuple[float, float, float] | None,
) -> RiskItem:
    per_year = 365.25 / ettf
    bad = (ettd + ettr) * impact * per_year
    budget = (1 - objective) * 525_960
    return RiskItem(
        id=id,
        title=title,
        service=service,
        ettd_minutes=ettd,
        ettr_minutes=ettr,
        impact=impact,
        ettf_days=ettf,
        incidents_per_year=per_year,
        bad_minutes_per_year=bad,
        annual_budget_minutes=budget,
        budget_fraction=bad / budget,
        needs_action=bad / budget > 0.25,
        annual_cost=bad * per_minute,
        p10_annual_cost=p[0] if p else None,
        p50_annual_cost=p[1] if p else None,
        p90_annual_cost=p[2] if p else None,
    )


def _risks() -> RiskSummary:
    items = (
        # (15 + 60) * 1.0 * 365.25/90 = 304.375 min/yr; budget 525.96 -> 0.5787
        _risk(
            "R1",
            "Payment provider outage",
            "checkout",
            15,
            60,
            1.0,
            90,
            0.999,
            700,
            (98_000.0, 196_000.0, 402_000.0),
        ),
        # (30 + 120) * 0.3 * 365.25/180 = 91.3125; / 525.96 = 0.1736
        _risk("R2", "Bad configuration push", "checkout", 30, 120, 0.3, 180, 0.999, 700, None),
        # (10 + 45) * 0.5 * 365.25/30 = 334.8125; budget 2,629.8 -> 0.1273
        _risk(
            "R3",
            "Search index corruption",
            "search",
            10,
            45,
            0.5,
            30,
            0.995,
            200,
            (31_000.0, 64_000.0, 118_000.0),
        ),
        # (60 + 240) * 1.0 * 365.25/365.25 = 300; budget 262.98 -> 1.1408
        _risk(
            "R4",
            "Identity database failover fails",
            "accounts",
            60,
            240,
            1.0,
            365.25,
            0.9995,
            100,
            (0.0, 0.0, 61_000.0),
        ),
    )
    by_service = (
        RiskByService("checkout", 395.6875, 525.96, 395.6875 / 525.96, 0.31),
        RiskByService("search", 334.8125, 2_629.8, 334.8125 / 2_629.8, 0.02),
        RiskByService("accounts", 300.0, 262.98, 300.0 / 262.98, 0.26),
    )
    curve = tuple(
        ExceedancePoint(loss=float(loss), probability=prob)
        for loss, prob in [
            (0, 1.0),
            (25_000, 0.97),
            (50_000, 0.9),
            (100_000, 0.74),
            (150_000, 0.58),
            (200_000, 0.44),
            (250_000, 0.32),
            (300_000, 0.23),
            (400_000, 0.11),
            (500_000, 0.05),
            (650_000, 0.018),
            (800_000, 0.006),
            (1_000_000, 0.001),
        ]
    )
    return RiskSummary(
        threshold_fraction=0.25, items=items, by_service=by_service, loss_exceedance=curve
    )


def _loss_avoided() -> LossAvoided:
    return LossAvoided(
        total=32_470.0,  # 18,400 + 9,870 + 4,200
        p10=21_000.0,
        p90=47_500.0,
        components=(
            LossComponent(
                "faster_response",
                18_400.0,
                "Five incidents were noticed and fixed faster than the 30 + 90 minute baseline; "
                "the minutes saved times the share of customers affected times the cost of a minute.",
            ),
            LossComponent(
                "prevented",
                9_870.0,
                "47 vulnerable images were blocked before release; each would have caused a "
                "configuration outage with a 5% chance.",
                p10=4_100.0,
                p90=16_900.0,
            ),
            LossComponent(
                "risk_reduction",
                4_200.0,
                "Automatic failover for payments cut the yearly cost of a provider outage by "
                "49,450; one month's share of that is shown.",
            ),
        ),
        previous_total=27_900.0,
    )


def _data_quality() -> DataQuality:
    return DataQuality(
        files=(
            FileQuality(
                "exports/sli.csv.gz",
                "csv",
                178_560,
                178_557,
                3,
                (
                    Rejection(1_204, "good", "good (1,204) is larger than total (1,200)"),
                    Rejection(88_311, "total", "negative count -5"),
                    Rejection(140_002, "timestamp", "not a timestamp: '2026-10-32T00:00:00Z'"),
                ),
            ),
            FileQuality(
                "exports/incidents.json",
                "pagerduty",
                7,
                6,
                1,
                (
                    Rejection(
                        None,
                        "resolved_at",
                        "incident PD-1060 is still open; left out until resolved",
                    ),
                ),
                ("detection time taken from acknowledgement for 6 incidents",),
            ),
            FileQuality("risks.yaml", "risks-yaml", 4, 4, 0),
            FileQuality("exports/controls.csv", "csv", 12, 12, 0),
        )
    )


def make_glossary() -> Glossary:
    """The default lexicon (glossary.yaml at the repository root)."""
    return load_glossary()


def _term(glossary: Glossary, name: str) -> Term:
    entry = glossary[name]
    return Term(
        entry.term, entry.say_instead, entry.definition, entry.metaphor, entry.why_it_matters
    )


def make_briefing(
    *,
    script_title: str = "<script>alert('x')</script> Checkout errors after release",
    **changes: object,
) -> Briefing:
    """The October 2026 briefing of Example Corp; keyword arguments replace fields."""
    glossary = make_glossary()
    briefing = Briefing(
        schema_version="1.0",
        organization="Example Corp",
        period=PeriodOut(
            start="2026-10-01T00:00:00+00:00", end="2026-11-01T00:00:00+00:00", label="2026-10"
        ),
        currency="EUR",
        headline=Headline(
            kind="budget_exhausted",
            value=-0.42,
            unit="fraction",
            service="checkout",
            text="Online checkout used 142% of its monthly downtime allowance; "
            "failed payments cost about €44,371.",
            decision="Freeze feature releases for Online checkout until its downtime "
            "allowance recovers, and fund a backup payment provider.",
            owner="Head of Commerce Engineering",
            due="2026-11-15",
        ),
        services=_services(),
        incidents=_incidents(script_title),
        loss_avoided=_loss_avoided(),
        risks=_risks(),
        data_quality=_data_quality(),
        facts=(
            Fact(
                "downtime_cost",
                72_350.0,
                "currency",
                "Outages cost €72,350 in lost sales and support.",
                41_200.0,
                31_150.0,
                "lower",
            ),
            Fact(
                "loss_avoided",
                32_470.0,
                "currency",
                "Faster fixes and blocked bad releases saved about €32,470.",
                27_900.0,
                4_570.0,
                "higher",
                basis="modelled",
            ),
            Fact("incidents", 6.0, "count", "6 incidents, 2 of them severe.", 4.0, 2.0, "lower"),
            Fact(
                "time_to_fix",
                58.0,
                "minutes",
                "The typical time to restore service was 58 min once a problem was noticed.",
                71.0,
                -13.0,
                "lower",
            ),
        ),
        notes=(
            "Cost of downtime per hour comes from each service owner's estimate in briefing.yaml.",
            "Detection time was taken from the acknowledgement time where the export had none.",
            "No controls file for search was given, so no prevented loss is claimed for it.",
        ),
        terms=(_term(glossary, "error budget"), _term(glossary, "MTTR")),
        locale="en_GB",
        timezone="UTC",
        history=_history(),
    )
    return dataclasses.replace(briefing, **changes) if changes else briefing


def _history() -> tuple[HistoryPoint, ...]:
    """Three months of the trend; October's figures are the services' own."""

    def point(label: str, used: dict[str, float | None], cost: float, count: int) -> HistoryPoint:
        services = tuple(
            HistoryService(sid, value, None if value is None else cost * (value or 0.0), count)
            for sid, value in used.items()
        )
        return HistoryPoint(
            label, services, None if used["checkout"] is None else 1 - (used["checkout"] or 0.0)
        )

    return (
        point(
            "2026-08",
            {"checkout": 0.3, "search": 1.05, "accounts": 0.2, "reporting": None},
            20_000.0,
            1,
        ),
        point(
            "2026-09",
            {"checkout": 0.55, "search": 0.5, "accounts": 0.1, "reporting": None},
            20_000.0,
            2,
        ),
        HistoryPoint(
            "2026-10",
            (
                HistoryService("checkout", 1.42, 44_370.816, 3),
                HistoryService("search", 0.8, 35_712.0, 2),
                HistoryService("accounts", 0.1, 223.2, 1),
                HistoryService("reporting", None, None, 0),
            ),
            -0.42,
        ),
    )
