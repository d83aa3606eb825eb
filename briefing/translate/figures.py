"""Translate stage: the sentences that tie figures together for a finance reader.

- the bridge: a downtime cost split into its incidents and the failures with
  no incident record, the parts rounded so that they add up as printed;
- the back-test: each service's recorded failures against its risks' forecast;
- the count of incidents that match no registered risk.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from briefing.formatting import whole_parts
from briefing.model import (
    IncidentSummary,
    RiskByService,
    RiskSummary,
    ServiceStatus,
)
from briefing.translate.phrases import Voice


def bridge(total: float, inside: float, rest: float, incidents: int, voice: Voice) -> str:
    """ "Of €76,668: €62,517 in 10 recorded service disruptions and €14,151 in failures with no
    incident record" (the parts add up to the total as printed)."""
    disruption = voice.say("incident")
    whole, (part_in, part_rest) = round(total), whole_parts([inside, rest])
    recorded = f"{voice.whole_money(part_in)} in {voice.count(incidents, 'recorded ' + disruption)}"
    unrecorded = f"{voice.whole_money(part_rest)} in failures with no incident record"
    if incidents == 0:
        return f"Of {voice.whole_money(whole)}: all in failures with no incident record."
    return f"Of {voice.whole_money(part_in + part_rest)}: {recorded} and {unrecorded}."


def word_services(
    services: Sequence[ServiceStatus], incidents: IncidentSummary, voice: Voice
) -> tuple[ServiceStatus, ...]:
    result = []
    for service in services:
        if service.incident_cost is None or service.unattributed_cost is None:
            result.append(service)
            continue
        count = sum(1 for i in incidents.items if i.service == service.id)
        text = bridge(
            service.downtime_cost or 0.0,
            service.incident_cost,
            service.unattributed_cost,
            count,
            voice,
        )
        result.append(replace(service, bridge=text))
    return tuple(result)


def word_incidents(incidents: IncidentSummary, voice: Voice) -> IncidentSummary:
    if incidents.measured_cost is None or incidents.unattributed_cost is None:
        return incidents
    total = incidents.measured_cost + incidents.unattributed_cost
    text = bridge(
        total, incidents.measured_cost, incidents.unattributed_cost, incidents.count, voice
    )
    return replace(incidents, bridge=text)


def word_risks(risks: RiskSummary, incidents: IncidentSummary, voice: Voice) -> RiskSummary:
    by_service = tuple(_backtest(s, voice) for s in risks.by_service)
    disruption = voice.say("incident")
    unmatched = risks.incidents_unmatched
    if incidents.count == 0:
        text = ""
    elif unmatched == 0:
        text = (
            f"Each of {voice.month()}'s {voice.count(incidents.count, disruption)} matches a risk "
            "in the register."
        )
    else:
        text = (
            f"{voice.number(unmatched)} of {voice.month()}'s "
            f"{voice.count(incidents.count, disruption)} match no risk in the register; "
            f"register {'it' if unmatched == 1 else 'them'} so that the forecast counts "
            f"{'it' if unmatched == 1 else 'them'}."
        )
    return replace(risks, by_service=by_service, unmatched_text=text)


def _backtest(row: RiskByService, voice: Voice) -> RiskByService:
    if row.observed_bad_minutes_per_year is None or row.observed_percentile is None:
        return row
    name = voice.name(row.service)
    outage = voice.say("bad minutes per year")
    above = max(0, min(100, round(100 - row.observed_percentile)))
    text = (
        f"{name} recorded failures worth {voice.number(row.observed_bad_minutes_per_year)} "
        f"{outage} over the last twelve months (at the pace of the data available); its "
        f"registered risks forecast {voice.number(row.bad_minutes_per_year)}, and "
        f"{voice.number(above)} in 100 simulated years fail more."
    )
    if row.register_underestimates:
        text += " The register underestimates this service: add the risks behind its failures."
    return replace(row, text=text)
