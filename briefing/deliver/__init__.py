"""Deliver stage: email the briefing of a period, once.

`deliver()` is the recipe of `briefing send`:

1. ask the ledger which recipients already accepted this period (nothing to do
   when all have, unless `force`);
2. reuse the rendered email of the period while its inputs are unchanged, else
   build the briefing and render the email (`email.py`);
3. send to the recipients still to serve (`smtp.py`), recording each outcome
   in the ledger (`ledger.py`) as the server answers.

It takes the build as a callable, and the build's input hash, so that nothing is
built when nothing is to be sent or the inputs have not changed, and so that this
stage never reaches back into the pipeline.
"""

from __future__ import annotations

import hashlib
import logging
import os
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from email import policy
from pathlib import Path
from typing import Protocol

from briefing.config import Config, EmailConfig
from briefing.deliver.email import (
    TEMPLATES,
    EmailParts,
    build_message,
    make_message_id,
    render_email,
)
from briefing.deliver.ledger import Ledger
from briefing.deliver.smtp import check_security, send_message
from briefing.errors import BriefingError, DeliveryError, Location
from briefing.model import Briefing, Period
from briefing.render.templates import Look

log = logging.getLogger(__name__)

LEDGER_NAME = "briefing-ledger.sqlite"
CHART_KINDS = ("burn",)


class Built(Protocol):
    """What `deliver` needs of `briefing.pipeline.BuildResult`."""

    @property
    def briefing(self) -> Briefing: ...

    @property
    def outputs(self) -> Mapping[str, bytes]: ...


@dataclass(frozen=True, slots=True)
class SendOutcome:
    period: str
    status: str  # sent | already_sent | dry_run
    subject: str = ""
    message_id: str = ""
    accepted: tuple[str, ...] = ()  # accepted by this run
    skipped: tuple[str, ...] = ()  # served by an earlier run
    to_send: tuple[str, ...] = ()  # dry run: would be sent to
    reused_build: bool = False
    earlier: str = ""  # when the earlier send happened (already_sent)
    size_bytes: int = 0


def ledger_path(config: Config) -> Path:
    """`delivery.ledger`, else beside the config (the current folder for the bundled sample)."""
    if config.delivery.ledger is not None:
        return config.delivery.ledger
    package = Path(__file__).resolve().parent.parent
    if config.path.resolve().is_relative_to(package):
        return Path.cwd() / LEDGER_NAME
    return config.base_dir / LEDGER_NAME


def email_config(config: Config) -> EmailConfig:
    if config.delivery.email is None:
        raise BriefingError(
            "delivery.email is not configured",
            where=Location(config.path),
            hint="add delivery: {email: {host: ..., from: ..., to: [...]}} (see docs/delivery.md)",
        )
    return config.delivery.email


def read_password(email: EmailConfig, environ: Mapping[str, str]) -> str | None:
    """The SMTP password from the environment variable `password_env` names."""
    if not email.username:
        return None
    if not email.password_env:
        raise BriefingError(
            "delivery.email.username is set but password_env is not",
            hint="set password_env: BRIEFING_SMTP_PASSWORD and export that variable",
        )
    password = environ.get(email.password_env, "")
    if not password:
        # the name is not printed: a password written there by mistake would land in logs
        raise BriefingError(
            "the environment variable that delivery.email.password_env names is not set "
            "(or is empty)",
            hint="export that variable with the SMTP password before running briefing send; "
            "password_env holds the variable's NAME, never the password itself",
        )
    return password


def recipients_of(email: EmailConfig) -> list[tuple[str, str]]:
    """(address, kind) in to, cc, bcc order; an address listed twice is sent once."""
    seen: set[str] = set()
    result = []
    for kind, addresses in (("to", email.to), ("cc", email.cc), ("bcc", email.bcc)):
        for address in addresses:
            if address.lower() not in seen:
                seen.add(address.lower())
                result.append((address, kind))
    return result


def email_fingerprint(input_hash: str, email: EmailConfig, look: Look | None = None) -> str:
    """The build's input hash plus what the email adds: templates, subject, look.

    The look counts the workspace's override templates (names and bytes), the
    logo and the palette, so changing any of them renders the email afresh.
    """
    digest = hashlib.sha256(f"{input_hash}|{email.subject}|{email.pdf_variant}|".encode())
    for path in sorted(TEMPLATES.glob("*.j2")) + sorted(TEMPLATES.glob("*.css")):
        digest.update(path.read_bytes())
    digest.update((look or Look()).fingerprint().encode())
    return digest.hexdigest()


def render_charts(briefing: Briefing, look: Look | None = None) -> dict[str, bytes]:
    """The email's charts as PNG, in the workspace's palette."""
    from briefing.render.charts import available, render_chart

    palette = (look or Look()).palette
    return {
        kind: render_chart(kind, briefing, fmt="png", palette=palette)
        for kind in CHART_KINDS
        if available(kind, briefing)
    }


def render_parts(config: Config, built: Built) -> EmailParts:
    if "pdf" not in built.outputs:
        raise BriefingError("the build made no PDF to attach", hint="build with the pdf format")
    look = Look.of(config.report)
    return render_email(
        built.briefing,
        pdf=built.outputs["pdf"],
        charts=render_charts(built.briefing, look),
        subject_template=email_config(config).subject,
        look=look,
    )


def deliver(
    config: Config,
    period: Period,
    *,
    build: Callable[[], Built],
    now: datetime,
    input_hash: str | None = None,
    force: bool = False,
    dry_run: bool = False,
    environ: Mapping[str, str] | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> SendOutcome:
    """Send the briefing of `period` to every configured recipient not yet served."""
    email = email_config(config)
    check_security(email)
    password = None if dry_run else read_password(email, os.environ if environ is None else environ)
    label = period.label
    with Ledger(ledger_path(config)) as ledger, ledger.exclusive():
        recipients = recipients_of(email)
        served = {} if force else ledger.accepted(label)
        served_lower = {address.lower(): record for address, record in served.items()}
        todo = [(a, kind) for a, kind in recipients if a.lower() not in served_lower]
        skipped = tuple(a for a, _ in recipients if a.lower() in served_lower)
        if not todo:
            earlier = max(served.values(), key=lambda r: r.id)
            log.info("%s was already sent to all %d recipients", label, len(recipients))
            return SendOutcome(
                label,
                "already_sent",
                message_id=earlier.message_id,
                skipped=skipped,
                earlier=earlier.finished_at or earlier.started_at,
            )

        fingerprint = (
            email_fingerprint(input_hash, email, Look.of(config.report)) if input_hash else None
        )
        cached = ledger.load_build(label, fingerprint) if fingerprint else None
        if cached is not None:
            log.info("reusing the email of %s: its inputs have not changed", label)
            parts = EmailParts.from_json(cached[1])
        else:
            log.info("building the briefing of %s", label)
            parts = render_parts(config, build())
            if fingerprint and not dry_run:
                ledger.save_build(label, fingerprint, parts.content_hash, parts.to_json())

        records = ledger.sends(label)
        resume = None
        last = records[-1] if records else None
        if (
            not force
            and last
            and last.outcome != "sent"
            and last.content_hash == parts.content_hash
        ):
            resume = last
        message_id = (
            resume.message_id if resume else make_message_id(parts, email.from_addr, len(records))
        )
        message = build_message(parts, email, message_id=message_id, date=now)
        data = message.as_bytes(policy=policy.SMTP)
        addresses = tuple(a for a, _ in todo)
        if dry_run:
            return SendOutcome(
                label,
                "dry_run",
                subject=parts.subject,
                message_id=message_id,
                skipped=skipped,
                to_send=addresses,
                reused_build=cached is not None,
                size_bytes=len(data),
            )
        if resume is not None:
            send_id = resume.id
            ledger.add_recipients(send_id, todo)
            log.info("resuming the send of %s (%s) for %d recipients", label, message_id, len(todo))
        else:
            send_id = ledger.start_send(label, parts.content_hash, message_id, todo, forced=force)

        def report(done: Sequence[str], outcome: str, code: int | None, detail: str) -> None:
            ledger.mark(send_id, done, outcome, code=code, detail=detail)

        try:
            result = send_message(
                data,
                sender=email.from_addr,
                recipients=addresses,
                email=email,
                password=password,
                report=report,
                sleep=sleep,
            )
        except DeliveryError as err:
            accepted = [a for a, o in ledger.recipients(send_id).items() if o == "accepted"]
            ledger.finish_send(send_id, "partial" if accepted else "failed", err.message)
            if accepted:
                err.message += f" (delivered to {', '.join(accepted)})"
            raise
        if result.refused:
            refused = "; ".join(f"{a}: {why}" for a, why in result.refused.items())
            ledger.finish_send(send_id, "partial" if result.accepted else "failed", refused)
            delivered = ", ".join(result.accepted) or "nobody"
            raise DeliveryError(
                f"recipients refused: {refused}; delivered to {delivered}",
                hint="fix the refused addresses in delivery.email, then run briefing send again: "
                "only recipients not yet served are sent to",
            )
        ledger.finish_send(send_id, "sent")
        log.info("sent %s to %d recipients (%s)", label, len(result.accepted), message_id)
        return SendOutcome(
            label,
            "sent",
            subject=parts.subject,
            message_id=message_id,
            accepted=tuple(result.accepted),
            skipped=skipped,
            reused_build=cached is not None,
            size_bytes=len(data),
        )
