"""Ingest stage: Prometheus `query_range` answers -> the `sli` table.

Two sources share this module: files holding `query_range` JSON answers
(`format: prometheus-json`) and the live HTTP API (`format: prometheus`, in
`prometheus_api`). Both give, per service, one matrix series for `good` (or
`bad`) and one for `total`. A point at time t covers (t - step, t]: it becomes
the bucket that starts at t - step. Values are per-step increases; Prometheus
extrapolates `increase()`, so fractional values are rounded to whole counts.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa

from briefing.config import SourceEntry
from briefing.errors import BriefingError, Location
from briefing.ingest.context import Loaded, ReadContext
from briefing.ingest.generic import read_metrics_table
from briefing.model import FileQuality, Rejection
from briefing.textfiles import load_json

DEFAULT_LABEL = "service"
_DURATION = re.compile(r"^(\d+(?:\.\d+)?)(ms|s|m|h|d|w|y)?$")
_UNIT_SECONDS = {"ms": 0.001, "s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800, "y": 31536000}


@dataclass(frozen=True)
class Series:
    """One series of a matrix answer: its label value, point times (s) and values."""

    service: str
    times: np.ndarray  # int64 seconds
    values: np.ndarray  # float64


def parse_step(value: Any, where: Location) -> int:
    """`1h`, `5m`, `30s`, `1d` or a number of seconds -> whole seconds."""
    text = str(value).strip()
    match = _DURATION.match(text)
    seconds = float(match.group(1)) * _UNIT_SECONDS[match.group(2) or "s"] if match else 0.0
    if not match or seconds < 1 or seconds != int(seconds):
        raise BriefingError(
            f"step {value!r} is not a duration of whole seconds",
            where=where,
            hint="write the query_range step like 1h, 5m or 60s",
        )
    return int(seconds)


def parse_matrix(data: Any, label: str, where: Location, query_name: str) -> list[Series]:
    """Check a Prometheus answer and return its matrix series, one per `label` value."""
    if not isinstance(data, dict) or "status" not in data:
        raise BriefingError(
            f"the {query_name} answer is not a Prometheus API response (no 'status')",
            where=where,
            hint="save the JSON body of /api/v1/query_range",
        )
    if data["status"] != "success":
        raise BriefingError(
            f"Prometheus answered an error for the {query_name} query: "
            f"{data.get('errorType', 'error')}: {data.get('error', '(no message)')}",
            where=where,
            hint="fix the PromQL expression (try it in the Prometheus web UI first)",
        )
    body = data.get("data") or {}
    result_type = body.get("resultType")
    if result_type != "matrix":
        raise BriefingError(
            f"the {query_name} answer holds a {result_type!r} result, not a matrix",
            where=where,
            hint="use /api/v1/query_range (not /api/v1/query) so each step is a point",
        )
    series: list[Series] = []
    seen: dict[str, dict[str, str]] = {}
    for item in body.get("result") or []:
        metric = item.get("metric") or {}
        service = metric.get(label)
        if service is None:
            raise BriefingError(
                f"a series of the {query_name} query has no label {label!r} (labels: {metric or '{}'})",
                where=where,
                hint=f"aggregate per service, e.g. sum by ({label}) (...), or set label: to the label naming the service",
            )
        if service in seen:
            raise BriefingError(
                f"the {query_name} query returns more than one series for {label}={service!r} "
                f"({seen[service]} and {metric})",
                where=where,
                hint=f"aggregate to one series per service: sum by ({label}) (...)",
            )
        seen[service] = metric
        times, numbers = _points(item.get("values") or [])
        series.append(Series(service, times, numbers))
    return series


def _points(values: list[Any]) -> tuple[np.ndarray, np.ndarray]:
    """`[[time, "value"], ...]` -> int64 seconds and float64 values (NaN where not a number).

    Converted column-wise by numpy; a point numpy cannot take sends the series
    through the point-by-point conversion.
    """
    try:
        pairs = np.array(values, dtype=object).reshape(len(values), 2)
        times = np.rint(pairs[:, 0].astype(np.float64)).astype(np.int64)
        return times, pairs[:, 1].astype(np.float64)
    except (ValueError, TypeError):
        times = np.fromiter(
            (int(round(float(p[0]))) for p in values), dtype=np.int64, count=len(values)
        )
        numbers = np.fromiter((_number(p[1]) for p in values), dtype=np.float64, count=len(values))
        return times, numbers


def _number(text: Any) -> float:
    try:
        return float(text)
    except (TypeError, ValueError):
        return float("nan")


def merge_series(parts: list[list[Series]]) -> list[Series]:
    """Join chunks of the same query (later chunks extend earlier ones)."""
    by_service: dict[str, list[Series]] = {}
    for chunk in parts:
        for s in chunk:
            by_service.setdefault(s.service, []).append(s)
    merged = []
    for service, pieces in by_service.items():
        times = np.concatenate([p.times for p in pieces])
        values = np.concatenate([p.values for p in pieces])
        order = np.argsort(times, kind="stable")
        times, values = times[order], values[order]
        keep = np.ones(len(times), dtype=bool)
        keep[1:] = times[1:] != times[:-1]
        merged.append(Series(service, times[keep], values[keep]))
    return merged


def build_sli(
    good: list[Series] | None,
    bad: list[Series] | None,
    total: list[Series],
    step: int,
    entry: SourceEntry,
    ctx: ReadContext,
    *,
    display: str,
    fmt: str,
    notes: list[str],
) -> Loaded:
    """Turn good (or bad) and total series into validated `sli` rows (one row per service and step)."""
    frames = []
    for name, series in (("good", good), ("bad", bad), ("total", total)):
        if series is None:
            continue
        for s in series:
            frames.append(pd.DataFrame({"service": s.service, "t": s.times, name: s.values}))
    if not frames:
        raise BriefingError(
            "the queries returned no series for the period",
            where=Location(display),
            hint="check the metric names, labels and time range (try the query in the Prometheus web UI)",
        )
    wide = _aligned(good if good is not None else bad, "good" if good is not None else "bad", total)
    if wide is None:
        long = pd.concat(frames, ignore_index=True)
        wide = long.groupby(["service", "t"], sort=True).first().reset_index()
    for name in ("good", "bad", "total"):
        if name not in wide.columns:
            wide[name] = np.nan
    # a step with a total but no good series point had no good events (and vice versa for bad)
    has_total = wide["total"].notna()
    if good is not None:
        wide.loc[has_total & wide["good"].isna(), "good"] = 0.0
        good_values = wide["good"]
    else:
        wide.loc[has_total & wide["bad"].isna(), "bad"] = 0.0
        good_values = wide["total"] - wide["bad"]
    rounded = {}
    fractional = 0
    for name, values in (("good", good_values), ("total", wide["total"])):
        finite = np.isfinite(values.to_numpy(dtype=np.float64))
        whole = np.round(values.where(finite, 0.0).to_numpy(dtype=np.float64))
        fractional += int(
            np.count_nonzero(finite & (np.abs(values.fillna(0.0).to_numpy() - whole) > 1e-9))
        )
        rounded[name] = pa.array(whole.astype(np.int64), mask=~finite)
    if fractional:
        notes.append(
            f"{fractional:,} values were fractional (Prometheus extrapolates increase()) "
            "and were rounded to whole counts per step"
        )
    stamps = pd.to_datetime(wide["t"].to_numpy() - step, unit="s", utc=True)
    table = pa.table(
        {
            "timestamp": pa.array(stamps, type=pa.timestamp("ns", tz="UTC")),
            "service": pa.array(wide["service"].astype(str).tolist(), type=pa.string()),
            "good": rounded["good"],
            "total": rounded["total"],
        }
    )
    proxy = replace(entry, path=Path(display))
    loaded = read_metrics_table(table, proxy, ctx, fmt)
    quality = _relocate(loaded.quality[0], wide, display, fmt, notes)
    return Loaded(table=loaded.table, quality=(quality,), notes=loaded.notes)


def _aligned(first: list[Series] | None, name: str, total: list[Series]) -> pd.DataFrame | None:
    """The wide table directly, when both queries have the same services at the same times
    (the usual answer); else None and the caller joins them point by point."""
    if first is None:
        return None
    by_service = {s.service: s for s in first}
    if len(by_service) != len(total) or set(by_service) != {s.service for s in total}:
        return None
    ordered = sorted(total, key=lambda s: s.service)
    if any(not np.array_equal(by_service[s.service].times, s.times) for s in ordered):
        return None
    sizes = [len(s.times) for s in ordered]
    return pd.DataFrame(
        {
            "service": np.repeat([s.service for s in ordered], sizes),
            "t": np.concatenate([s.times for s in ordered]) if ordered else [],
            name: np.concatenate([by_service[s.service].values for s in ordered])
            if ordered
            else [],
            "total": np.concatenate([s.values for s in ordered]) if ordered else [],
        }
    )


def _relocate(
    quality: FileQuality, wide: pd.DataFrame, display: str, fmt: str, notes: list[str]
) -> FileQuality:
    """Rejections of series points name the series and point time, not a line of a file."""
    rejections = []
    for r in quality.rejections:
        if r.line is None:
            rejections.append(r)
            continue
        row = wide.iloc[r.line - 2]
        when = pd.Timestamp(int(row["t"]), unit="s", tz="UTC").isoformat()
        rejections.append(
            Rejection(None, r.column, f"{r.reason} (series service={row['service']}, point {when})")
        )
    return replace(
        quality, path=display, format=fmt, rejections=tuple(rejections), notes=tuple(notes)
    )


def expect_services(
    series: list[Series], entry: SourceEntry, ctx: ReadContext, display: str, notes: list[str]
) -> None:
    """Services this source must cover: those in `services:`, else all configured when it is the only metrics source."""
    found = {s.service for s in series}
    listed = entry.options.get("services")
    if isinstance(listed, list):
        expected = {str(s) for s in listed}
    elif len(ctx.config.sources.metrics) == 1:
        expected = {s.id for s in ctx.config.services}
    else:
        expected = set()
    missing = sorted(expected - found)
    label = str(entry.options.get("label") or DEFAULT_LABEL)
    if missing:
        raise BriefingError(
            f"no series for {', '.join(missing)} (series found for: {', '.join(sorted(found)) or 'none'})",
            where=Location(display),
            hint=f"check that the query keeps the {label!r} label and that its values equal the service ids "
            "in briefing.yaml; if another source covers a service, list this source's services under services:",
        )
    elif not expected:
        absent = sorted({s.id for s in ctx.config.services} - found)
        if absent:
            notes.append(f"no series for {', '.join(absent)} in this source")


def infer_step(series: list[Series], entry: SourceEntry, where: Location) -> int:
    if entry.options.get("step") is not None:
        return parse_step(entry.options["step"], where)
    gaps = [np.diff(s.times) for s in series if len(s.times) > 1]
    positive = np.concatenate(gaps) if gaps else np.array([], dtype=np.int64)
    positive = positive[positive > 0]
    if not len(positive):
        raise BriefingError(
            "cannot tell the query_range step from a single point per series",
            where=where,
            hint="add step: (e.g. 1h) to this source",
        )
    return int(positive.min())


# --------------------------------------------------------------------------- exported files


def read_prometheus_json(entry: SourceEntry, ctx: ReadContext) -> Loaded:
    """`{format: prometheus-json, good: FILE, total: FILE}` (or `bad:` instead of `good:`)."""
    label = str(entry.options.get("label") or DEFAULT_LABEL)
    files = _files(entry, ctx)
    parsed: dict[str, list[Series]] = {}
    for name, path in files.items():
        parsed[name] = parse_matrix(load_json(path), label, Location(path), name)
    all_series = [s for v in parsed.values() for s in v]
    display = str(files["total"])
    if not all_series:
        raise BriefingError(
            "the files hold no series (an empty result)",
            where=Location(display),
            hint="export the query over the briefing period; check the metric names and labels",
        )
    step = infer_step(all_series, entry, Location(display))
    notes: list[str] = []
    expect_services(all_series, entry, ctx, display, notes)
    return build_sli(
        parsed.get("good"),
        parsed.get("bad"),
        parsed["total"],
        step,
        entry,
        ctx,
        display=display,
        fmt="prometheus-json",
        notes=notes,
    )


def _files(entry: SourceEntry, ctx: ReadContext) -> Mapping[str, Path]:
    files: dict[str, Path] = {}
    for name in ("good", "bad", "total"):
        value = entry.options.get(name)
        if value is not None:
            path = Path(value)
            files[name] = path if path.is_absolute() else ctx.config.base_dir / path
    if "total" not in files or ("good" not in files) == ("bad" not in files):
        raise BriefingError(
            "a prometheus-json source needs total: and one of good: or bad: (files of query_range answers)",
            where=entry.location,
        )
    return files


def read_prometheus_api(entry: SourceEntry, ctx: ReadContext) -> Loaded:
    """The live HTTP API: see `briefing.ingest.prometheus_api`."""
    from briefing.ingest.prometheus_api import read_prometheus_api as read

    return read(entry, ctx)
