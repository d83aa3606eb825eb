"""Ingest stage: OpenSLO v1 YAML -> `SloDefinition`s.

Reads `kind: SLO` documents (with `SLI` documents they reference, from the
same file or another OpenSLO file of the config), in multi-document files or
files holding a list of documents. Supported: `ratioMetric` good/total or
bad/total, `budgetingMethod` Occurrences or Timeslices, a calendar or rolling
`timeWindow`, `target` or `targetPercent`. Anything the briefing cannot
compute from good and total counts is refused, naming the document and field.
Business names and costs of downtime still come from `briefing.yaml`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from briefing.config import SourceEntry
from briefing.errors import BriefingError, Location
from briefing.ingest.context import Loaded, ReadContext
from briefing.ingest.tables import empty_table
from briefing.model import FileQuality, SloDefinition
from briefing.textfiles import check_size, parse_yaml_documents

API_VERSION = "openslo/v1"
KINDS = {
    "SLO",
    "SLI",
    "Service",
    "DataSource",
    "AlertPolicy",
    "AlertCondition",
    "AlertNotificationTarget",
}
# OpenSLO durations are case-sensitive: m minutes, M months
_DURATION = re.compile(r"^(\d+)([mhdwMQY])$")
_DAYS = {"m": 1 / 1440, "h": 1 / 24, "d": 1, "w": 7, "M": 365.25 / 12, "Q": 365.25 / 4, "Y": 365.25}


@dataclass(frozen=True)
class Document:
    """One OpenSLO object, its position in the file and the line of each key path."""

    path: Path
    number: int  # 1-based, in file order
    data: dict[str, Any]
    lines: dict[tuple[str, ...], int]

    @property
    def kind(self) -> str:
        return str(self.data.get("kind"))

    @property
    def name(self) -> str:
        metadata = self.data.get("metadata")
        name = metadata.get("name") if isinstance(metadata, dict) else None
        return str(name) if isinstance(name, str | int | float) and name != "" else ""

    def fail(self, field: tuple[str, ...], message: str, hint: str = "") -> BriefingError:
        probe = field
        while probe and probe not in self.lines:
            probe = probe[:-1]
        line = self.lines.get(probe, self.lines.get((), None))
        label = f"{self.kind} {self.name!r}" if self.name else self.kind
        dotted = ".".join(field)
        return BriefingError(
            f"{label} (document {self.number}): {dotted}: {message}"
            if dotted
            else f"{label} (document {self.number}): {message}",
            where=Location(self.path, line, dotted or None),
            hint=hint,
        )


def read_openslo(entry: SourceEntry, ctx: ReadContext) -> Loaded:
    """Every SLO of one OpenSLO file, checked and converted."""
    path = entry.path
    assert path is not None
    documents = load_documents(path)
    refs = _index(documents)
    for other in ctx.config.sources.slos:
        if other.path is not None and other.path != path:
            for name, doc in _index(_try_load(other.path)).items():
                refs.setdefault(name, doc)
    slos: list[SloDefinition] = []
    notes: list[str] = []
    owners: dict[str, Document] = {}
    for doc in documents:
        if doc.kind != "SLO":
            continue
        slo, slo_notes = _convert(doc, refs, ctx.period.kind)
        if slo.service in owners:
            raise doc.fail(
                ("spec", "service"),
                f"service {slo.service!r} already has SLO {owners[slo.service].name!r} (document {owners[slo.service].number})",
                hint="the briefing uses one SLO per service: keep one in the files it reads",
            )
        owners[slo.service] = doc
        slos.append(slo)
        notes.extend(slo_notes)
        configured = ctx.config.service(slo.service)
        if configured is None:
            notes.append(
                f"SLO {doc.name!r} is for service {slo.service!r}, which briefing.yaml does not list: "
                "add it under services: to give it a business name and a cost of downtime"
            )
        elif configured.objective is not None and abs(configured.objective - slo.objective) > 1e-12:
            notes.append(
                f"service {slo.service!r}: briefing.yaml says objective {configured.objective:g}, "
                f"SLO {doc.name!r} says {slo.objective:g}"
            )
    kinds = sorted({d.kind for d in documents} - {"SLO"})
    if not slos:
        notes.append(
            "no SLO documents in this file"
            + (
                f" (it holds {', '.join(kinds)} documents, used where an SLO refers to them)"
                if kinds
                else ""
            )
        )
    quality = FileQuality(
        path=str(path),
        format="openslo",
        rows_read=len(documents),
        rows_used=len(documents),
        rows_rejected=0,
        notes=tuple(notes),
    )
    return Loaded(table=empty_table("sli"), quality=(quality,), slos=tuple(slos))


# --------------------------------------------------------------------------- loading


def load_documents(path: Path) -> list[Document]:
    """Parse a YAML stream whose documents are OpenSLO objects or lists of them."""
    check_size(path)
    text = path.read_text(encoding="utf-8-sig")
    documents: list[Document] = []
    for node, data in parse_yaml_documents(text, path):
        if data is None:
            continue
        pairs = zip(node.value, data, strict=True) if isinstance(data, list) else [(node, data)]
        for item_node, item in pairs:
            line = item_node.start_mark.line + 1
            if not isinstance(item, dict):
                raise BriefingError(
                    "expected an OpenSLO object (apiVersion, kind, metadata, spec)",
                    where=Location(path, line),
                )
            doc = Document(path, len(documents) + 1, item, dict(_lines(item_node, ())))
            _check_header(doc)
            documents.append(doc)
    if not documents:
        raise BriefingError("the file holds no OpenSLO documents", where=Location(path, 1))
    return documents


def _lines(node: yaml.Node, prefix: tuple[str, ...]) -> Iterator[tuple[tuple[str, ...], int]]:
    yield prefix, node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            child = (*prefix, str(key.value))
            yield child, key.start_mark.line + 1
            for sub, line in _lines(value, child):
                if sub != child:
                    yield sub, line
    elif isinstance(node, yaml.SequenceNode):
        for index, value in enumerate(node.value):
            yield from _lines(value, (*prefix, str(index)))


def _check_header(doc: Document) -> None:
    version = doc.data.get("apiVersion")
    if version != API_VERSION:
        hint = (
            "convert it to openslo/v1 (e.g. `oslo convert`)"
            if str(version).startswith("openslo/")
            else ""
        )
        raise doc.fail(
            ("apiVersion",),
            f"{version!r} is not supported; briefing reads {API_VERSION}",
            hint=hint,
        )
    if doc.kind not in KINDS:
        raise doc.fail(
            ("kind",), f"unknown kind {doc.kind!r}; expected one of {', '.join(sorted(KINDS))}"
        )
    if not isinstance(doc.data.get("metadata"), dict):
        raise doc.fail(("metadata",), "is required and must be a mapping holding name")
    if not doc.name:
        raise doc.fail(("metadata", "name"), "is required")
    if not isinstance(doc.data.get("spec"), dict):
        raise doc.fail(("spec",), "is required and must be a mapping")


def _try_load(path: Path) -> list[Document]:
    try:
        return load_documents(path)
    except BriefingError:
        return []  # that file's own read reports its problem


def _index(documents: list[Document]) -> dict[tuple[str, str], Document]:
    return {(d.kind, d.name): d for d in documents}


# --------------------------------------------------------------------------- conversion


def _convert(
    doc: Document, refs: dict[tuple[str, str], Document], period_kind: str = "month"
) -> tuple[SloDefinition, list[str]]:
    spec = doc.data["spec"]
    service = str(spec.get("service") or doc.name)
    notes: list[str] = []
    _check_alert_policies(doc, spec, refs)
    _check_indicator(doc, spec, refs)
    method = spec.get("budgetingMethod")
    if method not in ("Occurrences", "Timeslices"):
        raise doc.fail(
            ("spec", "budgetingMethod"),
            f"{method!r} is not supported; use Occurrences or Timeslices",
            hint="RatioTimeslices averages per-slice ratios, which good/total counts per bucket cannot reproduce"
            if method == "RatioTimeslices"
            else "",
        )
    objectives = spec.get("objectives")
    if not isinstance(objectives, list) or len(objectives) != 1:
        raise doc.fail(
            ("spec", "objectives"),
            f"expected exactly one objective, found {len(objectives) if isinstance(objectives, list) else 0}",
            hint="the briefing reports one objective per service: split the SLO",
        )
    if not isinstance(objectives[0], dict):
        raise doc.fail(
            ("spec", "objectives", "0"),
            f"an objective is a mapping (displayName, target or targetPercent), got {objectives[0]!r}",
        )
    objective = objectives[0]
    target = _target(doc, objective)
    slice_threshold = slice_minutes = None
    if method == "Timeslices":
        field = ("spec", "objectives", "0")
        threshold = objective.get("timeSliceTarget")
        if (
            isinstance(threshold, bool)
            or not isinstance(threshold, int | float)
            or not 0 < threshold <= 1
        ):
            raise doc.fail(
                (*field, "timeSliceTarget"),
                f"Timeslices needs a timeSliceTarget in (0, 1], got {threshold!r}",
            )
        slice_threshold = float(threshold)
        days = _duration_days(doc, (*field, "timeSliceWindow"), objective.get("timeSliceWindow"))
        minutes = days * 1440
        if minutes < 1 or abs(minutes - round(minutes)) > 1e-9:
            raise doc.fail((*field, "timeSliceWindow"), "must be whole minutes (e.g. 1m, 5m, 1h)")
        slice_minutes = int(round(minutes))
    window, window_days, window_text = _time_window(doc, spec)
    if window_text is None:
        notes.append(
            f"SLO {doc.name!r} has no timeWindow: the briefing's calendar {period_kind} is used"
        )
    else:
        notes.append(
            f"SLO {doc.name!r} ({window_text}): the briefing reports it over its period, "
            f"a calendar {period_kind}"
        )
    slo = SloDefinition(
        service=service,
        objective=target,
        budgeting_method=method.lower(),
        slice_threshold=slice_threshold,
        slice_minutes=slice_minutes,
        time_window=window,
        window_days=window_days,
        source=f"{doc.path}#{doc.name}",
    )
    return slo, notes


def _target(doc: Document, objective: dict[str, Any]) -> float:
    field = ("spec", "objectives", "0")
    values = []
    if "target" in objective:
        values.append(("target", objective["target"], 1.0))
    if "targetPercent" in objective:
        values.append(("targetPercent", objective["targetPercent"], 100.0))
    if not values:
        raise doc.fail(field, "has no target (or targetPercent)")
    fractions = []
    for key, value, scale in values:
        if (
            isinstance(value, bool)
            or not isinstance(value, int | float)
            or not 0 < value / scale < 1
        ):
            bound = (
                "between 0 and 100 (exclusive)" if scale == 100 else "between 0 and 1 (exclusive)"
            )
            raise doc.fail((*field, key), f"must be a number {bound}, got {value!r}")
        # 99.9 / 100 is 0.9990000000000001 in binary: round to what a percentage can carry
        fractions.append(round(value / scale, 12))
    if len(fractions) == 2 and abs(fractions[0] - fractions[1]) > 1e-12:
        raise doc.fail(
            (*field, "targetPercent"),
            f"target {fractions[0]:g} and targetPercent {fractions[1] * 100:g} disagree",
        )
    return float(fractions[0])


def _duration_days(doc: Document, field: tuple[str, ...], value: Any) -> float:
    match = _DURATION.match(str(value)) if value is not None else None
    if not match:
        raise doc.fail(
            field,
            f"{value!r} is not an OpenSLO duration (a number and m, h, d, w, M, Q or Y; m is minutes, M months)",
        )
    return float(int(match.group(1)) * _DAYS[match.group(2)])


def _time_window(doc: Document, spec: dict[str, Any]) -> tuple[str, float | None, str | None]:
    windows = spec.get("timeWindow")
    if windows is None:
        return "calendar", None, None
    if not isinstance(windows, list) or len(windows) != 1 or not isinstance(windows[0], dict):
        raise doc.fail(("spec", "timeWindow"), "expected a list with one window")
    window = windows[0]
    field = ("spec", "timeWindow", "0")
    days = _duration_days(doc, (*field, "duration"), window.get("duration"))
    rolling = window.get("isRolling", False)
    if not isinstance(rolling, bool):
        raise doc.fail((*field, "isRolling"), f"expected true or false, got {rolling!r}")
    if rolling:
        return "rolling", days, f"rolling {window['duration']}"
    calendar = window.get("calendar")
    zone = ""
    if isinstance(calendar, dict) and calendar.get("timeZone"):
        zone = f", {calendar['timeZone']}"
    return "calendar", days, f"calendar {window['duration']}{zone}"


def _check_indicator(
    doc: Document, spec: dict[str, Any], refs: dict[tuple[str, str], Document]
) -> None:
    base: tuple[str, ...]
    if "indicator" in spec:
        indicator = spec["indicator"]
        if not isinstance(indicator, dict) or not isinstance(indicator.get("spec"), dict):
            raise doc.fail(("spec", "indicator"), "expected an inline SLI with metadata and spec")
        owner, base = doc, ("spec", "indicator", "spec")
        sli_spec = indicator["spec"]
    elif "indicatorRef" in spec:
        name = str(spec["indicatorRef"])
        found = refs.get(("SLI", name))
        if found is None:
            raise doc.fail(
                ("spec", "indicatorRef"),
                f"names SLI {name!r}, which no OpenSLO file of this config defines",
                hint="add the SLI document (in this file or another listed under sources.slos)",
            )
        owner, base, sli_spec = found, ("spec",), found.data["spec"]
    else:
        raise doc.fail(("spec",), "has neither indicator nor indicatorRef")
    where = "" if owner is doc else f" (used by SLO {doc.name!r})"
    ratio = sli_spec.get("ratioMetric")
    if ratio is None:
        other = next((k for k in ("thresholdMetric",) if k in sli_spec), None)
        field = (*base, other) if other else base
        raise owner.fail(
            field,
            f"{other or 'this SLI'} is not supported{where}: the briefing computes budgets from good and total event counts",
            hint="use ratioMetric with good (or bad) and total",
        )
    if not isinstance(ratio, dict):
        raise owner.fail((*base, "ratioMetric"), "expected a mapping")
    if "raw" in ratio or "rawType" in ratio:
        raise owner.fail(
            (*base, "ratioMetric", "raw"),
            f"a raw (precomputed) ratio is not supported{where}: the briefing needs good and total counts",
            hint="give ratioMetric good (or bad) and total",
        )
    if "total" not in ratio or ("good" in ratio) == ("bad" in ratio):
        raise owner.fail(
            (*base, "ratioMetric"), f"needs total and exactly one of good or bad{where}"
        )


def _check_alert_policies(
    doc: Document, spec: dict[str, Any], refs: dict[tuple[str, str], Document]
) -> None:
    """References inside alert policies must resolve (the briefing does not alert, but a broken file is broken)."""
    policies = spec.get("alertPolicies") or []
    if not isinstance(policies, list):
        raise doc.fail(("spec", "alertPolicies"), "expected a list")
    for p, policy in enumerate(policies):
        field = ("spec", "alertPolicies", str(p))
        if not isinstance(policy, dict):
            raise doc.fail(field, "expected an AlertPolicy or an alertPolicyRef")
        if "alertPolicyRef" in policy:
            if ("AlertPolicy", str(policy["alertPolicyRef"])) not in refs:
                raise doc.fail(
                    (*field, "alertPolicyRef"),
                    f"names AlertPolicy {policy['alertPolicyRef']!r}, which is not defined",
                )
            continue
        spec_of_policy = policy.get("spec")
        body: dict[str, Any] = spec_of_policy if isinstance(spec_of_policy, dict) else {}
        for key, kind, ref in (
            ("conditions", "AlertCondition", "conditionRef"),
            ("notificationTargets", "AlertNotificationTarget", "targetRef"),
        ):
            items = body.get(key) or []
            for i, item in enumerate(items if isinstance(items, list) else []):
                if isinstance(item, dict) and ref in item and (kind, str(item[ref])) not in refs:
                    raise doc.fail(
                        (*field, "spec", key, str(i), ref),
                        f"names {kind} {item[ref]!r}, which is not defined",
                        hint=f"add a kind: {kind} document named {item[ref]!r}, or define it inline",
                    )
