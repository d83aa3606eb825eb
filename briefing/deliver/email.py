"""Deliver stage: the briefing as an email message.

`render_email()` turns a `Briefing`, its PDF and its charts (PNG) into
`EmailParts`: subject, plain text, HTML with every style inlined (mail clients
drop <style> blocks and SVG) and images referenced by Content-ID. The email
looks like page 1 of the briefing: the workspace's logo and palette, the
headline figure with its caption, the decision, the facts, the burn-down chart
(its alt text the chart's description). Its templates come from the same
environment as the briefing's, so `report.templates` overrides them too.
`build_message()` wraps the parts with the headers of one send:

    multipart/mixed
      multipart/alternative
        text/plain            the headline, the decision, the facts
        multipart/related
          text/html           inline CSS, <img src="cid:...">
          image/png ...       the logo (PNG or SVG) and one PNG per chart, by Content-ID
      application/pdf         the full briefing, attached

Bcc recipients get the message through the SMTP envelope only, never a header.
"""

from __future__ import annotations

import base64
import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from email import policy
from email.message import EmailMessage
from email.utils import format_datetime

import css_inline

from briefing.config import DEFAULT_SUBJECT, EmailConfig
from briefing.config.fields import image_media_type
from briefing.config.values import SUBJECT_PLACEHOLDERS
from briefing.errors import BriefingError
from briefing.model import Briefing
from briefing.render import filters
from briefing.render.chart_text import chart_texts
from briefing.render.context import printed_costs
from briefing.render.templates import PACKAGED, Look, environment, render_template
from briefing.translate.words import period_words

TEMPLATES = PACKAGED


@dataclass(frozen=True, slots=True)
class EmailParts:
    """Everything of the message that does not depend on one send (no Date, no Message-ID)."""

    period: str
    subject: str
    text: str
    html: str
    pdf_name: str
    pdf: bytes
    images: tuple[tuple[str, bytes], ...] = ()  # (Content-ID without brackets, PNG bytes)

    def to_json(self) -> str:
        return json.dumps(
            {
                "period": self.period,
                "subject": self.subject,
                "text": self.text,
                "html": self.html,
                "pdf_name": self.pdf_name,
                "pdf": base64.b64encode(self.pdf).decode("ascii"),
                "images": [
                    [cid, base64.b64encode(png).decode("ascii")] for cid, png in self.images
                ],
            },
            sort_keys=True,
        )

    @classmethod
    def from_json(cls, text: str) -> EmailParts:
        data = json.loads(text)
        return cls(
            period=data["period"],
            subject=data["subject"],
            text=data["text"],
            html=data["html"],
            pdf_name=data["pdf_name"],
            pdf=base64.b64decode(data["pdf"]),
            images=tuple((cid, base64.b64decode(png)) for cid, png in data["images"]),
        )

    @property
    def content_hash(self) -> str:
        """sha256 of the content: equal parts give an equal hash."""
        return hashlib.sha256(self.to_json().encode("utf-8")).hexdigest()


def headline_figure(briefing: Briefing) -> str:
    """The one number as the email prints it (a used-up budget reads as "142% used")."""
    headline = briefing.headline
    if headline.kind == "budget_exhausted" and headline.unit == "fraction":
        used = filters.percent(1 - headline.value, briefing.locale, digits=0)
        return f"{used} used"
    return filters.format_value(
        headline.value, headline.unit, currency=briefing.currency, locale=briefing.locale
    )


def ask_label(briefing: Briefing, look: Look | None = None) -> str:
    """What the reader is asked to do, in the words page 1 uses ("For you to note")."""
    env = environment((look or Look()).templates)
    labels: dict[str, str] = env.get_template("_labels.html.j2").module.ask  # type: ignore[attr-defined]
    return labels.get(briefing.headline.ask, "Decision needed")


def render_subject(template: str, briefing: Briefing) -> str:
    """The subject from `delivery.email.subject`; the default is the ask in a few words."""
    values = {
        "ask": briefing.headline.summary or briefing.headline.decision,
        "organization": briefing.organization,
        "period": filters.period_name(briefing.period.label, briefing.locale),
        "period_label": briefing.period.label,
        "headline": briefing.headline.text.rstrip(". "),
        "figure": headline_figure(briefing),
        "decision": briefing.headline.decision,
    }
    try:
        subject = template.format(**values)
    except (KeyError, IndexError, ValueError) as err:
        raise BriefingError(
            f"delivery.email.subject: cannot fill the template {template!r}: {err}",
            hint="use only " + ", ".join("{" + name + "}" for name in SUBJECT_PLACEHOLDERS),
        ) from None
    return " ".join(subject.split())  # no line breaks in a header


def _context(
    briefing: Briefing, pdf_name: str, chart_cids: dict[str, str], look: Look, logo_cid: str
) -> dict[str, object]:
    """What the email templates print: page 1's figure, decision and supporting figures."""
    locale, currency, zone = briefing.locale, briefing.currency, briefing.timezone
    words = period_words(briefing.period.label)

    def value(amount: float | None, unit: str) -> str:
        return filters.format_value(amount, unit, currency=currency, locale=locale)

    costs = printed_costs(briefing)
    facts = []
    for fact in briefing.facts[:5]:
        moved = filters.change(
            fact.change, fact.unit, fact.better_when, currency=currency, locale=locale
        )
        basis = fact.basis
        step = 100.0 if basis == "modelled" and fact.unit == "currency" else None  # as page 1
        shown, before = fact.value, fact.previous
        if step:
            shown = filters.rounded_parts([fact.value], step)[0]
            before = None if before is None else filters.rounded_parts([before], step)[0]
        bridge = None
        if fact.key == "downtime_cost" and costs.service:
            shown = costs.total  # as page 1: the sum of the services' printed costs
            if costs.bridged:
                bridge = {
                    "total": value(costs.total, "currency"),
                    "recorded": value(costs.in_incidents_total, "currency"),
                    "unrecorded": value(costs.unrecorded_total, "currency"),
                    "count": briefing.incidents.count,
                }
        facts.append(
            {
                "bridge": bridge,
                "value": value(shown, fact.unit),
                "text": fact.text,
                "tone": moved.tone,
                "rose": (fact.change or 0) > 0,
                "previous": value(before, fact.unit),
                "basis": basis,
            }
        )
    headline = briefing.headline
    env = environment(look.templates)
    names = {s.id: s.name for s in briefing.services}
    return {
        "b": briefing,
        "organization": briefing.organization,
        "period_name": filters.period_name(briefing.period.label, locale),
        "period_words": words,
        "figure": headline_figure(briefing),
        "headline": headline,
        "ask_label": ask_label(briefing, look),
        "service_name": names.get(headline.service or "", headline.service or ""),
        "due": filters.day(headline.due, locale, zone) if headline.due else "",
        "facts": facts,
        "charts": chart_cids,
        "chart_text": chart_texts(briefing, env, list(chart_cids)),
        "pdf_name": pdf_name,
        "logo": logo_cid,
        "colours": look.colours,
        "locale": locale,
        "currency": currency,
        "timezone": zone,
        "money": lambda amount: filters.money(amount, currency, locale),
        "percent": lambda fraction: filters.percent(fraction, locale, digits=0),
        "day": lambda iso: filters.day(iso, locale, zone),
    }


def render_email(
    briefing: Briefing,
    *,
    pdf: bytes,
    charts: dict[str, bytes] | None = None,
    subject_template: str = DEFAULT_SUBJECT,
    look: Look | None = None,
) -> EmailParts:
    """The email's parts for `briefing`: text, HTML with inlined CSS, logo and chart images, the PDF."""
    look = look or Look()
    label = briefing.period.label
    pdf_name = f"briefing-{label}.pdf"
    images: list[tuple[str, bytes]] = []
    logo_cid = ""
    if look.logo:
        logo_cid = f"logo-{label}@briefing"
        images.append((logo_cid, look.logo))
    cids: dict[str, str] = {}
    for kind, png in (charts or {}).items():
        cid = f"{kind}-{label}@briefing"
        cids[kind] = cid
        images.append((cid, png))
    env = environment(look.templates)
    context = _context(briefing, pdf_name, cids, look, logo_cid)
    text = render_template(env, "email.txt.j2", context)
    html = css_inline.inline(render_template(env, "email.html.j2", context))
    return EmailParts(
        period=label,
        subject=render_subject(subject_template, briefing),
        text=text,
        html=html,
        pdf_name=pdf_name,
        pdf=pdf,
        images=tuple(images),
    )


def make_message_id(parts: EmailParts, from_addr: str, ordinal: int) -> str:
    """A Message-ID that is the same for the same content and send: `<...@sender-domain>`."""
    digest = hashlib.sha256(f"{parts.period}|{parts.content_hash}|{ordinal}".encode()).hexdigest()
    domain = from_addr.rpartition("@")[2].strip(" >") or "briefing.invalid"
    return f"<briefing.{parts.period}.{digest[:24]}@{domain}>"


def build_message(
    parts: EmailParts, email: EmailConfig, *, message_id: str, date: datetime
) -> EmailMessage:
    """The message of one send: headers (Date in UTC, no Bcc), alternatives, PDF attached."""
    msg = EmailMessage(policy=policy.SMTP)
    msg["Subject"] = parts.subject
    msg["From"] = email.from_addr
    msg["To"] = ", ".join(email.to)
    if email.cc:
        msg["Cc"] = ", ".join(email.cc)
    msg["Date"] = format_datetime(date.astimezone(UTC))
    msg["Message-ID"] = message_id
    msg["Auto-Submitted"] = "auto-generated"
    msg.set_content(parts.text)
    msg.add_alternative(parts.html, subtype="html")
    html_part = next(part for part in msg.iter_parts() if part.get_content_subtype() == "html")
    for cid, data in parts.images:
        subtype = (image_media_type(data) or "image/png").split("/")[1]
        extension = "svg" if subtype == "svg+xml" else subtype
        html_part.add_related(
            data, "image", subtype, cid=f"<{cid}>", filename=f"{cid.split('@')[0]}.{extension}"
        )
    msg.add_attachment(parts.pdf, "application", "pdf", filename=parts.pdf_name)
    return msg
