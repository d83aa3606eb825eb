"""Config stage: the `delivery:` section (email, schedule, ledger)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from briefing.config.fields import ENV_NAME
from briefing.config.look import LookChecker
from briefing.config.values import (
    DEFAULT_SUBJECT,
    SUBJECT_PLACEHOLDERS,
    Delivery,
    EmailConfig,
    ScheduleConfig,
)


class DeliveryChecks(LookChecker):
    """The checks of `delivery:` (mixed into the config checker)."""

    def delivery(self, value: Any) -> Delivery:
        data = self.mapping(value, "delivery")
        self.keys(data, {"email", "schedule", "ledger"}, "delivery")
        email = self.email(data.get("email")) if data.get("email") is not None else None
        schedule = None
        if data.get("schedule") is not None:
            raw = self.mapping(data.get("schedule"), "delivery.schedule")
            self.keys(raw, {"cron", "timezone", "period"}, "delivery.schedule")
            cron = self.string(raw.get("cron"), "delivery.schedule.cron", required=True) or ""
            if cron:
                try:
                    from croniter import croniter

                    # a date that never comes (31 February) is found by looking for the next one
                    croniter(cron).get_next(float)
                except (ValueError, KeyError) as err:
                    self.problem("delivery.schedule.cron", f"not a valid cron expression: {err}")
            tz = self.timezone(raw.get("timezone"), "delivery.schedule.timezone") or "UTC"
            kind = self.string(raw.get("period"), "delivery.schedule.period") or "month"
            if kind not in ("month", "quarter", "year", "week"):
                self.problem(
                    "delivery.schedule.period",
                    f"expected month, quarter, year or week, got {kind!r}",
                )
            schedule = ScheduleConfig(cron, tz, kind)
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
            "pdf_variant",
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
            data.get("port"),
            "delivery.email.port",
            default=default_port,
            low=1,
            high=65535,
            whole=True,
        )
        password_env = data.get("password_env")
        if password_env is not None and (
            not isinstance(password_env, str) or not ENV_NAME.match(password_env)
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
        cc = self.string_list(data.get("cc"), "delivery.email.cc")
        bcc = self.string_list(data.get("bcc"), "delivery.email.bcc")
        for key, addresses in (("from", (from_addr,)), ("to", to), ("cc", cc), ("bcc", bcc)):
            for address in addresses:
                if address:
                    self.address(address, f"delivery.email.{key}")
        for key, text in (("host", host), ("username", data.get("username"))):
            if isinstance(text, str) and any(ch.isspace() or not ch.isprintable() for ch in text):
                self.problem(f"delivery.email.{key}", "must not hold spaces or line breaks")
        return EmailConfig(
            host=host,
            port=int(port or default_port),
            security=security,
            username=self.string(data.get("username"), "delivery.email.username"),
            password_env=password_env,
            from_addr=from_addr,
            to=to,
            cc=cc,
            bcc=bcc,
            subject=self.template(
                data.get("subject"), "delivery.email.subject", SUBJECT_PLACEHOLDERS
            )
            or DEFAULT_SUBJECT,
            attempts=int(
                self.number(
                    data.get("attempts"),
                    "delivery.email.attempts",
                    default=4,
                    low=1,
                    high=20,
                    whole=True,
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
            pdf_variant=self.pdf_variant(data.get("pdf_variant"), "delivery.email.pdf_variant"),
        )
