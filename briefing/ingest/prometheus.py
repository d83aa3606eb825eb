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
from briefing.ingest.metrics_table import FirstCheck, read_metrics_table
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
    values: np.ndarray  # float64: NaN and +-Inf as Prometheus wrote them
    unreadable: np.ndarray  # bool: the value was not a number at all


@dataclass(frozen=True)
class Origin:
    """Where one query's series came from, for messages: `the good query` or `the good file`."""

    name: str  # good, bad or total
    noun: str  # query or file
    where: Location
    detail: str  # the PromQL, or the file's path

    @property
    def label(self) -> str:
        return f"the {self.name} {self.noun}"


def parse_step(value: Any, where: Location) -> int:
    """`1h`, `5m`, `30s`, `1d` or a number of seconds -> whole seconds."""
    text = str(value).strip()
    match = _DURATION.match(text)
    seconds = float(match.group(1)) * _UNIT_SECONDS[match.group(2) or "s"] if match else 0.0
    if not match or seconds < 1 or seconds > 366 * 86400 or seconds != int(seconds):
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
    body = data.get("data")
    body = body if isinstance(body, dict) else {}
    result_type = body.get("resultType")
    if result_type != "matrix":
        raise BriefingError(
            f"the {query_name} answer holds a {result_type!r} result, not a matrix",
            where=where,
            hint="use /api/v1/query_range (not /api/v1/query) so each step is a point",
        )
    result = body.get("result") or []
    if not isinstance(result, list):
        raise _malformed(query_name, "'result' is not a list", where)
    series: list[Series] = []
    seen: dict[str, dict[str, str]] = {}
    for position, item in enumerate(result, start=1):
        if not isinstance(item, dict) or not isinstance(item.get("metric") or {}, dict):
            raise _malformed(query_name, f"series {position} is not an object with 'metric'", where)
        metric = item.get("metric") or {}
        service = metric.get(label)
        if service is None:
            raise BriefingError(
                f"a series of the {query_name} query has no label {label!r} (labels: {metric or '{}'})",
                where=where,
                hint=f"aggregate per service, e.g. sum by ({label}) (...), or set label: to the label naming the service",
            )
        service = str(service)
        if service in seen:
            raise BriefingError(
                f"the {query_name} query returns more than one series for {label}={service!r} "
                f"({seen[service]} and {metric})",
                where=where,
                hint=f"aggregate to one series per service: sum by ({label}) (...)",
            )
        seen[service] = metric
        series.append(_points(service, item.get("values") or [], query_name, position, where))
    return merge_series([series])


def _points(service: str, values: Any, query_name: str, position: int, where: Location) -> Series:
    if not isinstance(values, list):
        raise _malformed(query_name, f"the values of series {position} are not a list", where)
    times = np.zeros(len(values), dtype=np.int64)
    numbers = np.full(len(values), np.nan, dtype=np.float64)
    unreadable = np.zeros(len(values), dtype=bool)
    for k, point in enumerate(values):
        if not isinstance(point, list) or len(point) != 2:
            raise _malformed(
                query_name, f"point {k + 1} of series {position} is not [time, value]", where
            )
        try:
            stamp = float(point[0])
            if not np.isfinite(stamp) or abs(stamp) > 1e11 or isinstance(point[0], bool):
                raise ValueError(stamp)
        except (TypeError, ValueError):
            raise _malformed(
                query_name, f"point {k + 1} of series {position} has no time in seconds", where
            ) from None
        times[k] = int(round(stamp))
        try:
            numbers[k] = float(point[1]) if isinstance(point[1], str | int | float) else np.nan
            unreadable[k] = isinstance(point[1], bool) or not isinstance(
                point[1], str | int | float
            )
        except ValueError:
            unreadable[k] = True
    return Series(service, times, numbers, unreadable)


def _malformed(query_name: str, problem: str, where: Location) -> BriefingError:
    return BriefingError(
        f"the {query_name} answer is malformed: {problem}",
        where=where,
        hint="save the JSON body of /api/v1/query_range unchanged",
    )


def merge_series(parts: list[list[Series]]) -> list[Series]:
    """Join chunks of the same query (later chunks extend earlier ones); a repeated time counts once."""
    by_service: dict[str, list[Series]] = {}
    for chunk in parts:
        for s in chunk:
            by_service.setdefault(s.service, []).append(s)
    merged = []
    for service, pieces in by_service.items():
        times = np.concatenate([p.times for p in pieces])
        order = np.argsort(times, kind="stable")
        times = times[order]
        keep = np.ones(len(times), dtype=bool)
        keep[1:] = times[1:] != times[:-1]
        values = np.concatenate([p.values for p in pieces])[order][keep]
        unreadable = np.concatenate([p.unreadable for p in pieces])[order][keep]
        merged.append(Series(service, times[keep], values, unreadable))
    return merged


def check_series(fetched: Mapping[str, list[Series]], origins: Mapping[str, Origin]) -> None:
    """Every service with a total series has a good (or bad) one, and the other way round.

    A missing series is never read as zero events: a typo in a metric name would
    otherwise turn every request into a failure (or hide every failure).
    """
    counted = "good" if "good" in fetched else "bad"
    pairs = ((counted, "total"), ("total", counted))
    for name, other in pairs:
        have = {s.service for s in fetched[other]}
        lacking = sorted(have - {s.service for s in fetched[name]})
        if not lacking:
            continue
        origin = origins[name]
        zero = f"a missing series is never read as zero {name} events"
        if len(lacking) == len(have):
            problem = (
                f"{origin.label} {'returned' if origin.noun == 'query' else 'holds'} no series, "
                f"while {origins[other].label} has series for {', '.join(sorted(have))}: {zero}"
            )
        else:
            problem = (
                "; ".join(f"service {s} has a {other} series but no {name} series" for s in lacking)
                + f" in {origin.label}: {zero}"
            )
        detail = f"\n  {origin.noun}: {origin.detail}"
        hint = "check the metric name and labels (try the query in the Prometheus web UI)"
        if name == "bad":
            hint += (
                "; if nothing failed, make the bad query return 0, e.g. "
                "(<bad query>) or (0 * <total query>)"
            )
        raise BriefingError(problem + detail, where=origin.where, hint=hint)


def build_sli(
    fetched: Mapping[str, list[Series]],
    origins: Mapping[str, Origin],
    step: int,
    entry: SourceEntry,
    ctx: ReadContext,
    *,
    display: str,
    fmt: str,
    notes: list[str],
) -> Loaded:
    """Turn good (or bad) and total series into validated `sli` rows (one row per service and step).

    A point at time t covers (t - step, t]. Where the total has a point and the
    good (or bad) series none, that counter did not exist during the step (it
    appears with its first event): no such events, and the briefing says how
    many steps were read so. A NaN, infinite or unreadable value rejects its
    point, saying which; it is never counted as zero.
    """
    check_series(fetched, origins)
    counted = "good" if "good" in fetched else "bad"
    wide = _joined(fetched["total"], fetched[counted], counted)
    first: list[FirstCheck] = []
    for name in ("total", counted):
        present = wide[f"{name}_present"].fillna(False).to_numpy(dtype=bool)
        values = wide[name].to_numpy(dtype=np.float64)
        unreadable = wide[f"{name}_unreadable"].fillna(False).to_numpy(dtype=bool)
        if name == "total":
            first.append(
                (~present, "total", f"no total point at this step (the {counted} series has one)")
            )
        first.append((present & unreadable, name, f"{name} value is not a number"))
        first.append(
            (
                present & np.isnan(values) & ~unreadable,
                name,
                f"{name} is NaN (not a number), not a count",
            )
        )
        first.append((present & np.isinf(values), name, f"{name} is infinite, not a count"))
    absent = ~wide[f"{counted}_present"].fillna(False).to_numpy(dtype=bool) & wide[
        "total_present"
    ].fillna(False).to_numpy(dtype=bool)
    counted_values = np.where(absent, 0.0, wide[counted].to_numpy(dtype=np.float64))
    if absent.any():
        notes.append(
            f"{int(absent.sum()):,} step(s) have a total but no {counted} point: "
            f"no {counted} events in those steps (the {counted} counter did not exist yet)"
        )
    total_values = wide["total"].to_numpy(dtype=np.float64)
    good_values = counted_values if counted == "good" else total_values - counted_values
    rounded = {}
    fractional = 0
    for name, values in (("good", good_values), ("total", total_values)):
        finite = np.isfinite(values)
        whole = np.round(np.where(finite, values, 0.0))
        fractional += int(np.count_nonzero(finite & (np.abs(values - whole) > 1e-9)))
        rounded[name] = pa.array(np.where(finite, whole, np.nan), type=pa.float64())
    if fractional:
        notes.append(
            f"{fractional:,} values were fractional (Prometheus extrapolates increase()) "
            "and were rounded to whole counts per step"
        )
    starts = wide["t"].to_numpy(dtype=np.int64) - step
    table = pa.table(
        {
            "timestamp": pa.array(starts, type=pa.timestamp("s", tz="UTC")),
            "service": pa.array(wide["service"].astype(str).tolist(), type=pa.string()),
            "good": rounded["good"],
            "total": rounded["total"],
        }
    )
    proxy = replace(entry, path=Path(display))
    loaded = read_metrics_table(table, proxy, ctx, fmt, first=first)
    quality = _relocate(loaded.quality[0], wide, display, fmt, notes)
    return Loaded(table=loaded.table, quality=(quality,), notes=loaded.notes)


def _joined(total: list[Series], counted: list[Series], name: str) -> pd.DataFrame:
    """Total and good (or bad) points side by side, one row per service and time, sorted.

    When both queries have the same services at the same times (the usual answer)
    the columns are laid side by side; otherwise they are joined point by point.
    """
    by_service = {s.service: s for s in counted}
    aligned = len(by_service) == len(total) and all(
        s.service in by_service and np.array_equal(s.times, by_service[s.service].times)
        for s in total
    )
    if not aligned:
        return _wide(total, "total").merge(
            _wide(counted, name), on=["service", "t"], how="outer", sort=True
        )
    ordered = sorted(total, key=lambda s: s.service)
    left = _wide(ordered, "total")
    right = _wide([by_service[s.service] for s in ordered], name)
    return pd.concat([left, right.drop(columns=["service", "t"])], axis=1)


def _wide(series: list[Series], name: str) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "service": np.concatenate(
                [np.full(len(s.times), s.service, dtype=object) for s in series]
            )
            if series
            else np.array([], dtype=object),
            "t": np.concatenate([s.times for s in series]) if series else np.array([], np.int64),
            name: np.concatenate([s.values for s in series]) if series else np.array([]),
            f"{name}_unreadable": np.concatenate([s.unreadable for s in series])
            if series
            else np.array([], dtype=bool),
            f"{name}_present": True,
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
        quality,
        path=display,
        format=fmt,
        rejections=tuple(rejections),
        notes=(*notes, *quality.notes),
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
    origins = {
        name: Origin(name, "file", Location(path), str(path)) for name, path in files.items()
    }
    return build_sli(
        parsed,
        origins,
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
