"""Config stage: the sections of `briefing.yaml` (services, policy, report; sources and
delivery in their own modules)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from briefing.config.delivery import DeliveryChecks
from briefing.config.fields import (
    SERVICE_ID,
    iso_day,
    kind_of,
    shorten,
)
from briefing.config.organisation import (
    check_detail,
    check_group,
    check_max_named,
    check_tier,
    check_tier_weights,
)
from briefing.config.sources import SourceChecks
from briefing.config.values import (
    ASKS,
    DEFAULT_IMPACT_BY_SEVERITY,
    DEFAULT_SEVERITY_WORDS,
    ERROR_BUDGET_ACTION_PLACEHOLDERS,
    HEADLINE_KINDS,
    MAX_COST_PER_HOUR,
    MAX_DECISION_DUE_DAYS,
    PAGE1_POLICY_KEYS,
    Ask,
    Baseline,
    Config,
    HeadlineKind,
    HistoryConfig,
    Policy,
    Report,
    ServiceConfig,
)
from briefing.patterns import check_pattern


class ConfigChecker(SourceChecks, DeliveryChecks):
    """Validates the plain data of briefing.yaml section by section."""

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
                "allow_outside_paths",
                "history",
            },
            "",
        )
        allow = data.get("allow_outside_paths")
        if allow is not None and not isinstance(allow, bool):
            self.problem("allow_outside_paths", f"expected true or false, got {kind_of(allow)}")
        self.allow_outside_paths = allow is True
        organization = self.string(data.get("organization"), "organization", required=True) or ""
        currency = self.currency(data.get("currency"))
        locale = self.locale(data.get("locale"))
        timezone = self.timezone(data.get("timezone"), "timezone") or "UTC"
        period = self.period(data.get("period"), "period")
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
            history=self.history(data.get("history")),
        )

    def services(self, value: Any) -> tuple[ServiceConfig, ...]:
        if value is None:
            return ()
        if not isinstance(value, list):
            self.problem("services", f"expected a list of services, got {kind_of(value)}")
            return ()
        result: list[ServiceConfig] = []
        seen: set[str] = set()
        for index, raw in enumerate(value):
            keypath = f"services[{index}]"
            item = self.mapping(raw, keypath)
            if not item:
                continue
            self.keys(
                item,
                {"id", "name", "objective", "cost_of_downtime_per_hour", "owner", "group", "tier"},
                keypath,
            )
            service_id = self.string(item.get("id"), f"{keypath}.id", required=True) or ""
            if service_id and not SERVICE_ID.match(service_id):
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
                high=MAX_COST_PER_HOUR,
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
                    group=check_group(self, item.get("group"), f"{keypath}.group"),
                    tier=check_tier(self, item.get("tier"), f"{keypath}.tier"),
                )
            )
        return tuple(result)

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
                "severity_words",
                "decision_due_days",
                "owner",
                "tier_weights",
                "max_named_services",
                *PAGE1_POLICY_KEYS,
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
        severity_words = dict(DEFAULT_SEVERITY_WORDS)
        for sev, word in self.mapping(data.get("severity_words"), "policy.severity_words").items():
            text = self.string(word, f"policy.severity_words.{sev}", required=True)
            if text:
                severity_words[str(sev).upper()] = text
        headline = self.headline(data.get("headline"))
        patterns = self.string_list(data.get("redact_patterns"), "policy.redact_patterns")
        for i, pattern in enumerate(patterns):
            refused = check_pattern(pattern)  # the linear-time engine the patterns run in
            if refused is not None:
                self.problem(f"policy.redact_patterns[{i}]", f"cannot be used: {refused}")
        seed = self.number(
            data.get("seed"), "policy.seed", default=defaults.seed, low=0, high=2**63, whole=True
        )
        trials = self.number(
            data.get("trials"),
            "policy.trials",
            default=defaults.trials,
            low=100,
            high=10_000_000,
            whole=True,
        )
        due_days = self.number(
            data.get("decision_due_days"),
            "policy.decision_due_days",
            whole=True,
            default=14,
            low=0,
            high=MAX_DECISION_DUE_DAYS,
        )
        action = (
            self.template(
                data.get("error_budget_action"),
                "policy.error_budget_action",
                ERROR_BUDGET_ACTION_PLACEHOLDERS,
            )
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
            severity_words=severity_words,
            decision_due_days=int(due_days or 0),
            owner=self.string(data.get("owner"), "policy.owner") or defaults.owner,
            tier_weights=check_tier_weights(self, data.get("tier_weights")),
            max_named_services=check_max_named(self, data.get("max_named_services")),
            **self.page1_policy(data, defaults),
        )

    def headline(self, value: Any) -> tuple[HeadlineKind, ...]:
        if value is None:
            return HEADLINE_KINDS
        kinds = self.string_list(value, "policy.headline")
        known: list[HeadlineKind] = []
        for kind in kinds:
            if kind not in HEADLINE_KINDS:
                self.problem(
                    "policy.headline",
                    f"unknown headline rule {kind!r}; expected {', '.join(HEADLINE_KINDS)}",
                )
                return HEADLINE_KINDS
            known.append(HEADLINE_KINDS[HEADLINE_KINDS.index(kind)])
        return tuple(known) or HEADLINE_KINDS

    def page1_policy(self, data: dict[str, Any], defaults: Policy) -> dict[str, Any]:
        """The policy keys behind page 1: the trust gate and the decision's terms."""
        coverage = self.number(
            data.get("min_coverage"),
            "policy.min_coverage",
            default=defaults.min_coverage,
            low=0,
            high=1,
        )
        unrecorded = self.number(
            data.get("unrecorded_minutes"),
            "policy.unrecorded_minutes",
            default=defaults.unrecorded_minutes,
            low=0,
        )
        spare = self.number(
            data.get("spare_allowance"),
            "policy.spare_allowance",
            default=defaults.spare_allowance,
            low=0,
            high=1,
        )
        freeze_cost = self.number(
            data.get("cost_of_freeze_per_day"), "policy.cost_of_freeze_per_day", low=0
        )
        issue_day = self.number(
            data.get("issue_working_day"),
            "policy.issue_working_day",
            default=defaults.issue_working_day,
            low=0,
            high=20,
        )
        return {
            "min_coverage": defaults.min_coverage if coverage is None else coverage,
            "unrecorded_minutes": defaults.unrecorded_minutes if unrecorded is None else unrecorded,
            "headline_ask": self.headline_ask(data.get("headline_ask")),
            "freeze_scope": self.string(data.get("freeze_scope"), "policy.freeze_scope")
            or defaults.freeze_scope,
            "cost_of_freeze_per_day": freeze_cost,
            "spare_allowance": defaults.spare_allowance if spare is None else spare,
            "issue_working_day": int(
                defaults.issue_working_day if issue_day is None else issue_day
            ),
        }

    def headline_ask(self, value: Any) -> dict[HeadlineKind, Ask]:
        """`approve` or `note` for every headline, or a mapping of headline rule -> ask."""
        if value is None:
            return {}
        raw = {kind: value for kind in HEADLINE_KINDS} if isinstance(value, str) else value
        result: dict[HeadlineKind, Ask] = {}
        for kind, ask in self.mapping(raw, "policy.headline_ask").items():
            if kind not in HEADLINE_KINDS:
                self.problem(
                    "policy.headline_ask",
                    f"unknown headline rule {kind!r}; expected {', '.join(HEADLINE_KINDS)}",
                )
            elif ask not in ASKS:
                keypath = "policy.headline_ask" + ("" if isinstance(value, str) else f".{kind}")
                self.problem(keypath, f"expected approve or note, got {ask!r}")
                break
            else:
                result[kind] = ask
        return result

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
                iso_day(raw.get("start")), "policy.baseline.from_incidents.start", required=True
            )
            end = self.string(
                iso_day(raw.get("end")), "policy.baseline.from_incidents.end", required=True
            )
            for key, text in (("start", start), ("end", end)):
                if text and not _is_iso_day(text):
                    self.problem(
                        f"policy.baseline.from_incidents.{key}",
                        f"expected a date like 2026-01-31, got {shorten(text)!r}",
                    )
            if start and end and _is_iso_day(start) and _is_iso_day(end):
                window = (start, end)
                if _naive(end) <= _naive(start):
                    self.problem(
                        "policy.baseline.from_incidents.end",
                        f"{end} is not after start {start}; the window runs from start up to end",
                    )
        return Baseline(ttd, ttr, by_severity, by_service, window)

    def report(self, value: Any) -> Report:
        data = self.mapping(value, "report")
        self.keys(
            data,
            {
                "paper_size",
                "classification",
                "templates",
                "logo",
                "palette",
                "pdf_variant",
                "detail",
            },
            "report",
        )
        paper = self.string(data.get("paper_size"), "report.paper_size", default="A4") or "A4"
        if paper.lower() not in ("a4", "letter"):
            self.problem("report.paper_size", f"expected A4 or Letter, got {paper!r}")
            paper = "A4"
        return Report(
            paper_size="A4" if paper.lower() == "a4" else "Letter",
            classification=self.string(data.get("classification"), "report.classification")
            or "Confidential",
            templates=self.template_folder(data.get("templates")),
            logo=self.logo(data.get("logo")),
            palette=self.palette(data.get("palette")),
            pdf_variant=self.pdf_variant(data.get("pdf_variant"), "report.pdf_variant"),
            detail=check_detail(self, data.get("detail")),
        )

    def history(self, value: Any) -> HistoryConfig:
        data = self.mapping(value, "history")
        self.keys(data, {"path"}, "history")
        if data.get("path") is None:
            return HistoryConfig()
        text = self.string(data.get("path"), "history.path", required=True) or ""
        if not text:
            return HistoryConfig()
        return HistoryConfig(Path(text) if Path(text).is_absolute() else self.path.parent / text)


def _naive(text: str) -> datetime:
    """An ISO date or date and time, comparable whatever its form (offset dropped)."""
    return datetime.fromisoformat(text).replace(tzinfo=None)


def _is_iso_day(text: str) -> bool:
    """A calendar date (2026-01-31) or a date and time in ISO 8601."""
    import datetime as _datetime

    try:
        _datetime.datetime.fromisoformat(text)
    except ValueError:
        return False
    return True
