"""Translate stage: the glossary terms the briefing's pages print, decided once.

The templates print technical ideas by name (`say('error budget')`); the terms they
will print for a briefing depend only on what it holds (incidents, flagged reviews,
risks, ranges), so translate records them here in `Briefing.terms`, the one list
behind "Words we use", the footnotes and the JSON.
"""

from __future__ import annotations

from briefing.model import Findings


def page_terms(findings: Findings) -> list[str]:
    """The terms the packaged templates print for `findings`, in page order."""
    terms = ["error budget", "SLO", "equivalent outage minutes", "cost of downtime", "incident"]
    if any(s.burn for s in findings.services):
        terms.append("request")
    incidents = findings.incidents
    if incidents.count:
        terms += ["MTTD", "MTTR"]
        if any(i.needs_postmortem for i in incidents.items):
            terms.append("postmortem")
    risks = findings.risks
    if risks.items:
        terms += ["risk register", "bad minutes per year", "risk exposure", "confidence interval"]
        if len(risks.loss_exceedance) >= 2:
            terms.append("loss exceedance")
    terms.append("loss avoided")
    loss = findings.loss_avoided
    ranged = [(loss.p10, loss.p90), *((c.p10, c.p90) for c in loss.components)]
    if any(low is not None and high is not None for low, high in ranged):
        terms.append("confidence interval")
    return terms
