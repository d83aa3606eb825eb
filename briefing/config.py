"""Stage 0: `briefing.yaml` -> `Config` (frozen dataclasses).

Every key is validated; all problems are collected with their key path and YAML
line, then reported together in one `ConfigError`. Paths in the file are
relative to the config file's folder.
"""

from __future__ import annotations

import re
import zoneinfo
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from briefing.errors import BriefingError, ConfigError, Location
from briefing.textfiles import parse_yaml

MAX_CONFIG_BYTES = 1_000_000
SEVERITIES = ("SEV1", "SEV2", "SEV3", "SEV4")
DEFAULT_IMPACT_BY_SEVERITY = {"SEV1": 1.0, "SEV2": 0.5, "SEV3": 0.2, "SEV4": 0.05}
HEADLINE_KINDS = ("budget_exhausted", "risk_exposure", "loss_avoided")
DEFAULT_SUBJECT = "{organization} risk briefing, {period}: {headline}"
DEFAULT_ERROR_BUDGET_ACTION = "Freeze feature releases for {service} until its budget recovers"

METRICS_FORMATS = ("csv", "parquet", "prometheus-json", "prometheus")
INCIDENT_FORMATS = ("csv", "json", "pagerduty", "opsgenie", "incidentio", "jira")
RISK_FORMATS = ("yaml", "csv")
CONTROL_FORMATS = ("csv",)
SLO_FORMATS = ("openslo",)
SOURCE_FORMATS: dict[str, tuple[str, ...]] = {
    "slos": SLO_FORMATS,
    "metrics": METRICS_FORMATS,
    "incidents": INCIDENT_FORMATS,
    "risks": RISK_FORMATS,
    "controls": CONTROL_FORMATS,
}
# Keys a source entry may carry besides `path` and `format` (each reader reads its own).
SOURCE_OPTION_KEYS = frozenset(
    {
        "good",
        "total",
        "bad",
        "label",
        "url",
        "step",
        "bearer_token_env",
        "username_env",
        "password_env",
        "verify_tls",
        "timeout_seconds",
        "retries",
        "mapping",
        "timestamp_format",
        "timezone",
        "severity_map",
        "services",
    }
)


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
        return str(self.options.get("url") or self.options.get("good") or self.format)


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
    headline: tuple[str, ...] = HEADLINE_KINDS
    seed: int = 20261001
    trials: int = 100_000
    redact_patterns: tuple[str, ...] = ()
    decision_due_days: int = 14
    owner: str = (
        "Head of Reliability"  # who answers for the briefing's decisions when no service owner does
    )


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


@dataclass(frozen=True, slots=True)
class ScheduleConfig:
    cron: str
    timezone: str = "UTC"


@dataclass(frozen=True, slots=True)
class Delivery:
    email: EmailConfig | None = None
    schedule: ScheduleConfig | None = None
    ledger: Path | None = None


@dataclass(frozen=True, slots=True)
class Report:
    paper_size: str = "A4"  # A4 | Letter
    classification: str = "Confidential"


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

    @property
    def base_dir(self) -> Path:
        return self.path.parent

    def service(self, service_id: str) -> ServiceConfig | None:
        for service in self.services:
            if service.id == service_id:
                return service
        return None


# --------------------------------------------------------------------------- loading


def packaged_sample_config() -> Path:
    """The sample workspace shipped inside the package."""
    return Path(__file__).resolve().parent / "samples" / "briefing.yaml"


def resolve_config_path(path: Path | None) -> Path:
    """`--config`, else `./briefing.yaml`, else the packaged sample."""
    if path is not None:
        return path
    local = Path("briefing.yaml")
    if local.is_file():
        return local
    return packaged_sample_config()


def load_config(path: Path) -> Config:
    """Read and validate `briefing.yaml`; raise one `ConfigError` with every problem."""
    if not path.is_file():
        raise BriefingError(
            "config file not found",
            where=Location(path),
            hint="pass --config PATH, or run `briefing init` to scaffold a workspace",
        )
    if path.stat().st_size > MAX_CONFIG_BYTES:
        raise BriefingError(
            f"config file is larger than {MAX_CONFIG_BYTES:,} bytes", where=Location(path)
        )
    text = path.read_text(encoding="utf-8")
    marks, data = _parse_yaml(text, path)
    if data is None:
        data = {}
    checker = _Checker(path, marks)
    if not isinstance(data, dict):
        raise ConfigError([(Location(path, 1), "the file must hold a mapping of keys")])
    config = checker.config(data)
    if checker.problems:
        raise ConfigError(checker.problems)
    assert config is not None
    return config


def _parse_yaml(text: str, path: Path) -> tuple[dict[str, tuple[int, int]], Any]:
    """Safe-load YAML and remember the (line, column) of every key path."""
    node, data = parse_yaml(text, path)
    marks: dict[str, tuple[int, int]] = {}

    def walk(n: yaml.Node | None, keypath: str) -> None:
        if n is None:
            return
        marks.setdefault(keypath, (n.start_mark.line + 1, n.start_mark.column + 1))
        if isinstance(n, yaml.MappingNode):
            for key_node, value_node in n.value:
                base = keypath.removesuffix("=")
                child = f"{base}.{key_node.value}" if base else str(key_node.value)
                marks[child] = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
                walk(value_node, child + "=")
        elif isinstance(n, yaml.SequenceNode):
            for index, item in enumerate(n.value):
                walk(item, f"{keypath.removesuffix('=')}[{index}]")

    walk(node, "")
    # value marks were stored under "key=": keep key marks, fall back to value marks
    clean: dict[str, tuple[int, int]] = {}
    for key, mark in marks.items():
        clean.setdefault(key.removesuffix("="), mark)
    return clean, data


_PERCENT = re.compile(r"^\s*([0-9]+(?:\.[0-9]+)?)\s*%\s*$")
_PERIOD = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.:-]*$")
_ENV = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


class _Checker:
    """Validates the plain data of briefing.yaml, collecting problems."""

    def __init__(self, path: Path, marks: dict[str, tuple[int, int]]) -> None:
        self.path = path
        self.marks = marks
        self.problems: list[tuple[Location, str]] = []

    # -- helpers
    def where(self, keypath: str) -> Location:
        probe = keypath
        while probe:
            if probe in self.marks:
                line, column = self.marks[probe]
                return Location(self.path, line, column)
            probe = probe.rpartition(".")[0] if "." in probe else probe.rpartition("[")[0]
        return Location(self.path)

    def problem(self, keypath: str, message: str) -> None:
        self.problems.append((self.where(keypath), f"{keypath}: {message}" if keypath else message))

    def keys(
        self, data: Mapping[str, Any], allowed: set[str] | frozenset[str], keypath: str
    ) -> None:
        for key in data:
            if key not in allowed:
                child = f"{keypath}.{key}" if keypath else str(key)
                close = _closest(str(key), allowed)
                suggestion = f" (did you mean '{close}'?)" if close else ""
                self.problem(
                    child, f"unknown key{suggestion}; allowed: {', '.join(sorted(allowed))}"
                )

    def mapping(self, value: Any, keypath: str) -> dict[str, Any]:
        if value is None:
            return {}
        if not isinstance(value, dict):
            self.problem(keypath, f"expected a mapping of keys, got {_kind(value)}")
            return {}
        return value

    def string(
        self, value: Any, keypath: str, *, required: bool = False, default: str | None = None
    ) -> str | None:
        if value is None:
            if required:
                self.problem(keypath, "is required")
            return default
        if not isinstance(value, str | int | float) or isinstance(value, bool):
            self.problem(keypath, f"expected text, got {_kind(value)}")
            return default
        text = str(value).strip()
        if required and not text:
            self.problem(keypath, "must not be empty")
        return text

    def number(
        self,
        value: Any,
        keypath: str,
        *,
        default: float | None = None,
        low: float | None = None,
        high: float | None = None,
        low_open: bool = False,
        high_open: bool = False,
        required: bool = False,
        percent: bool = False,
    ) -> float | None:
        if value is None:
            if required:
                self.problem(keypath, "is required")
            return default
        number: float
        if percent and isinstance(value, str) and _PERCENT.match(value):
            # 99.9 / 100 is 0.9990000000000001 in binary; round to the precision a percent can carry
            number = round(float(_PERCENT.match(value).group(1)) / 100.0, 12)  # type: ignore[union-attr]
        elif isinstance(value, bool) or not isinstance(value, int | float):
            self.problem(keypath, f"expected a number, got {_kind(value)} {value!r}")
            return default
        else:
            number = float(value)
        if number != number:  # NaN
            self.problem(keypath, "must be a number, not NaN")
            return default
        if low is not None and (number <= low if low_open else number < low):
            self.problem(keypath, f"must be {'>' if low_open else '>='} {low:g}, got {number:g}")
            return default
        if high is not None and (number >= high if high_open else number > high):
            self.problem(keypath, f"must be {'<' if high_open else '<='} {high:g}, got {number:g}")
            return default
        return number

    def string_list(self, value: Any, keypath: str) -> tuple[str, ...]:
        if value is None:
            return ()
        if isinstance(value, str):
            return (value,)
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.problem(keypath, "expected a list of text")
            return ()
        return tuple(value)

    def existing_file(self, value: Any, keypath: str) -> Path | None:
        text = self.string(value, keypath, required=True)
        if not text:
            return None
        path = Path(text)
        if not path.is_absolute():
            path = self.path.parent / path
        if not path.exists():
            self.problem(keypath, f"file not found: {path}")
            return None
        return path

    # -- sections
    def config(self, data: dict[str, Any]) -> Config | None:
        self.keys(
            data,
            {
                "organization",
                "currency",
                "locale",
                "timezone",
                "period",
                "services",
                "sources",
                "glossary",
                "policy",
                "delivery",
                "report",
            },
            "",
        )
        organization = self.string(data.get("organization"), "organization", required=True) or ""
        currency = self.currency(data.get("currency"))
        locale = self.locale(data.get("locale"))
        timezone = self.timezone(data.get("timezone"), "timezone") or "UTC"
        period = self.string(data.get("period"), "period")
        if period is not None and not _PERIOD.match(period):
            self.problem("period", f"expected YYYY-MM (e.g. 2026-10), got {period!r}")
            period = None
        services = self.services(data.get("services"))
        sources = self.sources(data.get("sources"))
        glossary = tuple(
            p
            for i, g in enumerate(self.string_list(data.get("glossary"), "glossary"))
            if (
                p := self.existing_file(
                    g, f"glossary[{i}]" if isinstance(data.get("glossary"), list) else "glossary"
                )
            )
        )
        policy = self.policy(data.get("policy"))
        delivery = self.delivery(data.get("delivery"))
        report = self.report(data.get("report"))
        if not services and not sources.slos:
            self.problem("services", "at least one service is required")
        return Config(
            path=self.path,
            organization=organization,
            currency=currency,
            locale=locale,
            timezone=timezone,
            period=period,
            services=services,
            sources=sources,
            glossary=glossary,
            policy=policy,
            delivery=delivery,
            report=report,
            timezone_set=data.get("timezone") is not None,
        )

    def currency(self, value: Any) -> str:
        from babel.numbers import list_currencies

        code = self.string(value, "currency", default="EUR") or "EUR"
        if code.upper() not in list_currencies():
            self.problem(
                "currency", f"{code!r} is not an ISO 4217 currency code (e.g. EUR, USD, GBP)"
            )
            return "EUR"
        return code.upper()

    def locale(self, value: Any) -> str:
        from babel import Locale, UnknownLocaleError

        name = self.string(value, "locale", default="en_GB") or "en_GB"
        try:
            Locale.parse(name.replace("-", "_"))
        except (UnknownLocaleError, ValueError):
            self.problem("locale", f"unknown locale {name!r} (e.g. en_GB, en_US, de_DE)")
            return "en_GB"
        return name.replace("-", "_")

    def timezone(self, value: Any, keypath: str) -> str | None:
        name = self.string(value, keypath)
        if name is None:
            return None
        try:
            zoneinfo.ZoneInfo(name)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            self.problem(keypath, f"unknown IANA time zone {name!r} (e.g. UTC, Europe/Amsterdam)")
            return None
        return name

    def services(self, value: Any) -> tuple[ServiceConfig, ...]:
        if value is None:
            return ()
        if not isinstance(value, list):
            self.problem("services", f"expected a list of services, got {_kind(value)}")
            return ()
        result: list[ServiceConfig] = []
        seen: set[str] = set()
        for index, raw in enumerate(value):
            keypath = f"services[{index}]"
            item = self.mapping(raw, keypath)
            if not item:
                continue
            self.keys(
                item, {"id", "name", "objective", "cost_of_downtime_per_hour", "owner"}, keypath
            )
            service_id = self.string(item.get("id"), f"{keypath}.id", required=True) or ""
            if service_id and not _ID.match(service_id):
                self.problem(
                    f"{keypath}.id", f"{service_id!r} must be letters, digits, '-', '_', '.' or ':'"
                )
            if service_id in seen:
                self.problem(f"{keypath}.id", f"duplicate service id {service_id!r}")
            seen.add(service_id)
            objective = self.number(
                item.get("objective"),
                f"{keypath}.objective",
                low=0.0,
                high=1.0,
                low_open=True,
                high_open=True,
                percent=True,
            )
            cost = self.number(
                item.get("cost_of_downtime_per_hour"),
                f"{keypath}.cost_of_downtime_per_hour",
                low=0.0,
                default=0.0,
            )
            result.append(
                ServiceConfig(
                    id=service_id,
                    name=self.string(item.get("name"), f"{keypath}.name") or service_id,
                    objective=objective,
                    cost_of_downtime_per_hour=cost or 0.0,
                    owner=self.string(item.get("owner"), f"{keypath}.owner") or "",
                    location=self.where(keypath),
                )
            )
        return tuple(result)

    def sources(self, value: Any) -> Sources:
        data = self.mapping(value, "sources")
        self.keys(data, set(SOURCE_FORMATS), "sources")
        lists: dict[str, tuple[SourceEntry, ...]] = {}
        for kind, formats in SOURCE_FORMATS.items():
            raw = data.get(kind)
            if raw is None:
                lists[kind] = ()
                continue
            if not isinstance(raw, list):
                self.problem(f"sources.{kind}", f"expected a list of entries, got {_kind(raw)}")
                lists[kind] = ()
                continue
            entries = []
            for index, item in enumerate(raw):
                entry = self.source_entry(kind, formats, item, f"sources.{kind}[{index}]")
                if entry is not None:
                    entries.append(entry)
            lists[kind] = tuple(entries)
        return Sources(**lists)

    def source_entry(
        self, kind: str, formats: tuple[str, ...], raw: Any, keypath: str
    ) -> SourceEntry | None:
        if isinstance(raw, str):
            raw = {"path": raw}
        item = self.mapping(raw, keypath)
        if not item:
            return None
        self.keys(item, SOURCE_OPTION_KEYS | {"path", "format"}, keypath)
        fmt = self.string(item.get("format"), f"{keypath}.format")
        path_text = self.string(item.get("path"), f"{keypath}.path")
        if fmt is None:
            fmt = _format_from_extension(kind, path_text)
            if fmt is None:
                self.problem(
                    keypath,
                    f"cannot tell the format of {path_text!r}; add format: (one of {', '.join(formats)})",
                )
                return None
        if fmt not in formats:
            self.problem(
                f"{keypath}.format", f"unknown format {fmt!r}; expected one of {', '.join(formats)}"
            )
            return None
        path: Path | None = None
        options = {k: v for k, v in item.items() if k not in ("path", "format")}
        if fmt == "prometheus":
            for key in ("url", "good", "total"):
                self.string(options.get(key), f"{keypath}.{key}", required=True)
            url = str(options.get("url") or "")
            if url and not url.startswith(("http://", "https://")):
                self.problem(
                    f"{keypath}.url", f"expected an http:// or https:// address, got {url!r}"
                )
        elif fmt == "prometheus-json":
            for key in ("good", "total"):
                found = self.existing_file(options.get(key), f"{keypath}.{key}")
                if found is not None:
                    options[key] = found
        else:
            path = self.existing_file(path_text, f"{keypath}.path")
            if path is None:
                return None
        for key in ("bearer_token_env", "username_env", "password_env"):
            env = options.get(key)
            if env is not None and (not isinstance(env, str) or not _ENV.match(env)):
                self.problem(f"{keypath}.{key}", "expected the NAME of an environment variable")
        if "timezone" in options:
            self.timezone(options["timezone"], f"{keypath}.timezone")
        for key in ("mapping", "severity_map"):
            if key in options and not isinstance(options[key], dict):
                self.problem(f"{keypath}.{key}", f"expected a mapping, got {_kind(options[key])}")
        return SourceEntry(
            kind=kind, format=fmt, path=path, options=options, location=self.where(keypath)
        )

    def policy(self, value: Any) -> Policy:
        data = self.mapping(value, "policy")
        self.keys(
            data,
            {
                "at_risk_below",
                "risk_threshold",
                "baseline",
                "error_budget_action",
                "postmortem_share",
                "impact_by_severity",
                "headline",
                "seed",
                "trials",
                "redact_patterns",
                "decision_due_days",
                "owner",
            },
            "policy",
        )
        defaults = Policy()
        impact = dict(DEFAULT_IMPACT_BY_SEVERITY)
        for sev, val in self.mapping(
            data.get("impact_by_severity"), "policy.impact_by_severity"
        ).items():
            number = self.number(val, f"policy.impact_by_severity.{sev}", low=0.0, high=1.0)
            if number is not None:
                impact[str(sev).upper()] = number
        headline = self.headline(data.get("headline"))
        patterns = self.string_list(data.get("redact_patterns"), "policy.redact_patterns")
        for i, pattern in enumerate(patterns):
            try:
                re.compile(pattern)
            except re.error as err:
                self.problem(
                    f"policy.redact_patterns[{i}]", f"not a valid regular expression: {err}"
                )
        seed = self.number(data.get("seed"), "policy.seed", default=defaults.seed, low=0)
        trials = self.number(
            data.get("trials"), "policy.trials", default=defaults.trials, low=100, high=10_000_000
        )
        due_days = self.number(
            data.get("decision_due_days"), "policy.decision_due_days", default=14, low=0
        )
        action = (
            self.string(data.get("error_budget_action"), "policy.error_budget_action")
            or defaults.error_budget_action
        )
        return Policy(
            at_risk_below=self.number(
                data.get("at_risk_below"), "policy.at_risk_below", default=0.25, low=0, high=1
            )
            or 0.0,
            risk_threshold=self.number(
                data.get("risk_threshold"),
                "policy.risk_threshold",
                default=0.25,
                low=0,
                low_open=True,
            )
            or 0.25,
            postmortem_share=self.number(
                data.get("postmortem_share"), "policy.postmortem_share", default=0.20, low=0, high=1
            )
            or 0.0,
            error_budget_action=action,
            baseline=self.baseline(data.get("baseline")),
            impact_by_severity=impact,
            headline=headline,
            seed=int(seed or 0),
            trials=int(trials or defaults.trials),
            redact_patterns=patterns,
            decision_due_days=int(due_days or 0),
            owner=self.string(data.get("owner"), "policy.owner") or defaults.owner,
        )

    def headline(self, value: Any) -> tuple[str, ...]:
        if value is None:
            return HEADLINE_KINDS
        kinds = self.string_list(value, "policy.headline")
        for kind in kinds:
            if kind not in HEADLINE_KINDS:
                self.problem(
                    "policy.headline",
                    f"unknown headline rule {kind!r}; expected {', '.join(HEADLINE_KINDS)}",
                )
                return HEADLINE_KINDS
        return kinds or HEADLINE_KINDS

    def _pair(self, raw: Any, keypath: str) -> tuple[float, float] | None:
        item = self.mapping(raw, keypath)
        self.keys(item, {"ttd_minutes", "ttr_minutes"}, keypath)
        ttd = self.number(item.get("ttd_minutes"), f"{keypath}.ttd_minutes", low=0, required=True)
        ttr = self.number(item.get("ttr_minutes"), f"{keypath}.ttr_minutes", low=0, required=True)
        if ttd is None or ttr is None:
            return None
        return (ttd, ttr)

    def baseline(self, value: Any) -> Baseline:
        data = self.mapping(value, "policy.baseline")
        self.keys(
            data,
            {"ttd_minutes", "ttr_minutes", "by_severity", "by_service", "from_incidents"},
            "policy.baseline",
        )
        ttd = self.number(data.get("ttd_minutes"), "policy.baseline.ttd_minutes", low=0)
        ttr = self.number(data.get("ttr_minutes"), "policy.baseline.ttr_minutes", low=0)
        if (ttd is None) != (ttr is None):
            self.problem("policy.baseline", "give both ttd_minutes and ttr_minutes")
        by_severity = {}
        for sev, raw in self.mapping(
            data.get("by_severity"), "policy.baseline.by_severity"
        ).items():
            pair = self._pair(raw, f"policy.baseline.by_severity.{sev}")
            if pair:
                by_severity[str(sev).upper()] = pair
        by_service = {}
        for svc, raw in self.mapping(data.get("by_service"), "policy.baseline.by_service").items():
            pair = self._pair(raw, f"policy.baseline.by_service.{svc}")
            if pair:
                by_service[str(svc)] = pair
        window = None
        if data.get("from_incidents") is not None:
            raw = self.mapping(data.get("from_incidents"), "policy.baseline.from_incidents")
            self.keys(raw, {"start", "end"}, "policy.baseline.from_incidents")
            # YAML reads an unquoted 2026-01-01 as a date: take it as its ISO text
            start = self.string(
                _iso_day(raw.get("start")), "policy.baseline.from_incidents.start", required=True
            )
            end = self.string(
                _iso_day(raw.get("end")), "policy.baseline.from_incidents.end", required=True
            )
            if start and end:
                window = (start, end)
        return Baseline(ttd, ttr, by_severity, by_service, window)

    def delivery(self, value: Any) -> Delivery:
        data = self.mapping(value, "delivery")
        self.keys(data, {"email", "schedule", "ledger"}, "delivery")
        email = self.email(data.get("email")) if data.get("email") is not None else None
        schedule = None
        if data.get("schedule") is not None:
            raw = self.mapping(data.get("schedule"), "delivery.schedule")
            self.keys(raw, {"cron", "timezone"}, "delivery.schedule")
            cron = self.string(raw.get("cron"), "delivery.schedule.cron", required=True) or ""
            if cron:
                try:
                    from croniter import croniter

                    croniter(cron)
                except (ValueError, KeyError) as err:
                    self.problem("delivery.schedule.cron", f"not a valid cron expression: {err}")
            tz = self.timezone(raw.get("timezone"), "delivery.schedule.timezone") or "UTC"
            schedule = ScheduleConfig(cron, tz)
        ledger = None
        if data.get("ledger") is not None:
            text = self.string(data.get("ledger"), "delivery.ledger") or ""
            ledger = Path(text) if Path(text).is_absolute() else self.path.parent / text
        return Delivery(email=email, schedule=schedule, ledger=ledger)

    def email(self, value: Any) -> EmailConfig | None:
        data = self.mapping(value, "delivery.email")
        allowed = {
            "host",
            "port",
            "security",
            "username",
            "password_env",
            "from",
            "to",
            "cc",
            "bcc",
            "subject",
            "attempts",
            "backoff_seconds",
            "timeout_seconds",
        }
        self.keys(data, allowed, "delivery.email")
        host = self.string(data.get("host"), "delivery.email.host", required=True) or ""
        security = (
            self.string(data.get("security"), "delivery.email.security", default="starttls")
            or "starttls"
        )
        if security not in ("starttls", "ssl", "none"):
            self.problem(
                "delivery.email.security", f"expected starttls, ssl or none, got {security!r}"
            )
        default_port = {"starttls": 587, "ssl": 465}.get(security, 25)
        port = self.number(
            data.get("port"), "delivery.email.port", default=default_port, low=1, high=65535
        )
        password_env = data.get("password_env")
        if password_env is not None and (
            not isinstance(password_env, str) or not _ENV.match(password_env)
        ):
            self.problem(
                "delivery.email.password_env",
                "expected the NAME of an environment variable, not a password",
            )
            password_env = None
        from_addr = self.string(data.get("from"), "delivery.email.from", required=True) or ""
        to = self.string_list(data.get("to"), "delivery.email.to")
        if not to:
            self.problem("delivery.email.to", "at least one recipient is required")
        for key, addresses in (("from", (from_addr,)), ("to", to)):
            for address in addresses:
                if address and "@" not in address:
                    self.problem(f"delivery.email.{key}", f"{address!r} is not an email address")
        return EmailConfig(
            host=host,
            port=int(port or default_port),
            security=security,
            username=self.string(data.get("username"), "delivery.email.username"),
            password_env=password_env,
            from_addr=from_addr,
            to=to,
            cc=self.string_list(data.get("cc"), "delivery.email.cc"),
            bcc=self.string_list(data.get("bcc"), "delivery.email.bcc"),
            subject=self.string(data.get("subject"), "delivery.email.subject") or DEFAULT_SUBJECT,
            attempts=int(
                self.number(
                    data.get("attempts"), "delivery.email.attempts", default=4, low=1, high=20
                )
                or 4
            ),
            backoff_seconds=self.number(
                data.get("backoff_seconds"), "delivery.email.backoff_seconds", default=2.0, low=0
            )
            or 0.0,
            timeout_seconds=self.number(
                data.get("timeout_seconds"),
                "delivery.email.timeout_seconds",
                default=30.0,
                low=0,
                low_open=True,
            )
            or 30.0,
        )

    def report(self, value: Any) -> Report:
        data = self.mapping(value, "report")
        self.keys(data, {"paper_size", "classification"}, "report")
        paper = self.string(data.get("paper_size"), "report.paper_size", default="A4") or "A4"
        if paper.lower() not in ("a4", "letter"):
            self.problem("report.paper_size", f"expected A4 or Letter, got {paper!r}")
            paper = "A4"
        return Report(
            paper_size="A4" if paper.lower() == "a4" else "Letter",
            classification=self.string(data.get("classification"), "report.classification")
            or "Confidential",
        )


def _iso_day(value: Any) -> Any:
    import datetime as _datetime

    return value.isoformat() if isinstance(value, _datetime.date) else value


def _format_from_extension(kind: str, path: str | None) -> str | None:
    if not path:
        return None
    name = path.lower()
    if kind == "slos" and name.endswith((".yaml", ".yml")):
        return "openslo"
    if name.endswith((".csv", ".csv.gz")):
        return "csv"
    if name.endswith(".parquet") and kind == "metrics":
        return "parquet"
    if name.endswith(".json") and kind == "incidents":
        return "json"
    if name.endswith((".yaml", ".yml")) and kind == "risks":
        return "yaml"
    return None


def _kind(value: Any) -> str:
    return {
        dict: "a mapping",
        list: "a list",
        str: "text",
        bool: "true/false",
        int: "a number",
        float: "a number",
        type(None): "nothing",
    }.get(type(value), type(value).__name__)


def _closest(word: str, options: set[str] | frozenset[str]) -> str | None:
    import difflib

    matches = difflib.get_close_matches(word, sorted(options), n=1, cutoff=0.6)
    return matches[0] if matches else None


ConfigCheck = Callable[[Config], None]
