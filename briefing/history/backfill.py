"""Beside the pipeline: `briefing history backfill`, past periods computed from the sources.

Every source is read once, for a window from the period before the first to the
end of the last (the period before gives the first one's change arrows); then
each period is computed and translated from those inputs, as a build of that
period would, and recorded in the store. Nothing is rendered.

A period the exports do not cover (less than `COVERED_FRACTION` of its time lies
between their first and last bucket) is skipped and said so: a part of a month
would be recorded as if it were the whole. A range with no covered period is an
error.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime

import pandas as pd

from briefing.compute import compute
from briefing.compute.trend import COVERED_FRACTION, covered
from briefing.config import Config
from briefing.errors import BriefingError
from briefing.history import open_store, period_record, store_path
from briefing.ingest import ingest, read_slos
from briefing.model import DataQuality, Period
from briefing.translate.glossary import load_glossary
from briefing.translate.words import translate

MAX_PERIODS = 400  # eight years of weeks; a longer range is a typing error

Progress = Callable[[str], None]


@dataclass(frozen=True, slots=True)
class Backfilled:
    """One period of the range: recorded, or skipped and why."""

    period: str
    recorded: bool
    headline: str = ""
    reason: str = ""


def periods_between(first: Period, last: Period) -> list[Period]:
    """`first` to `last` inclusive, both of one kind."""
    if first.kind != last.kind:
        raise BriefingError(
            f"--from {first.label} is a {first.kind} but --to {last.label} is a {last.kind}",
            hint="give two periods of the same kind, e.g. --from 2025-11 --to 2026-10",
        )
    if last.start < first.start:
        raise BriefingError(
            f"--from {first.label} comes after --to {last.label}",
            hint=f"swap them: --from {last.label} --to {first.label}",
        )
    periods = [first]
    while periods[-1] != last:
        if len(periods) >= MAX_PERIODS:
            raise BriefingError(
                f"{first.label} to {last.label} is more than {MAX_PERIODS} periods",
                hint="backfill a shorter range",
            )
        periods.append(periods[-1].next())
    return periods


def backfill(
    config: Config,
    first: Period,
    last: Period,
    *,
    now: datetime,
    progress: Progress | None = None,
) -> list[Backfilled]:
    """Compute and record every covered period from `first` to `last`."""
    from briefing.pipeline import input_hash, sources_digest

    step = progress or (lambda message: None)
    periods = periods_between(first, last)
    path = store_path(config)
    with open_store(path) as store:  # a damaged or newer store stops us before any reading
        step("Reading inputs")
        slos, slo_quality, slo_notes = read_slos(config, last)
        inputs = ingest(
            config, last, slos=slos, progress=progress, first=first.previous(), whole=True
        )
        if slo_quality:
            inputs = replace(
                inputs, data_quality=DataQuality(tuple(slo_quality) + inputs.data_quality.files)
            )
        wanted = [p for p in periods if covered(inputs.sli, p)]
        if not wanted:
            raise no_data(inputs.sli, first, last, config.timezone)
        glossary = load_glossary(config.glossary)
        sources = sources_digest(config)
        results = []
        for number, period in enumerate(periods, start=1):
            if period not in wanted:
                results.append(
                    Backfilled(
                        period.label,
                        False,
                        reason=f"the exports hold less than {COVERED_FRACTION:.0%} of it",
                    )
                )
                continue
            step(f"Computing {period.label} ({number} of {len(periods)})")
            findings = compute(inputs, config, period, now=now)
            briefing = translate(findings, glossary, config)
            store.record(
                period_record(
                    briefing,
                    period,
                    source="backfill",
                    input_hash=input_hash(config, period, sources=sources),
                    built_at=now,
                )
            )
            results.append(Backfilled(period.label, True, headline=briefing.headline.text))
    return results


def no_data(sli: pd.DataFrame, first: Period, last: Period, timezone: str) -> BriefingError:
    span = f"{first.label} to {last.label}"
    if sli.empty:
        return BriefingError(
            f"the metrics hold no data at all, so {span} cannot be backfilled",
            hint="check sources.metrics in briefing.yaml",
        )
    start = sli["timestamp"].min().tz_convert(timezone).date().isoformat()
    end = sli["timestamp"].max().tz_convert(timezone).date().isoformat()
    return BriefingError(
        f"the metrics have no complete period in {span}: they run from {start} to {end}",
        hint="choose periods inside that span, e.g. the months the exports cover",
    )
