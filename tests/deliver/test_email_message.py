"""The email message: parts, Content-IDs, headers, and what a real SMTP server receives."""

from __future__ import annotations

import email
import email.policy
import io
import re
from datetime import UTC, datetime, timedelta, timezone
from email.utils import parsedate_to_datetime

import pypdf

from briefing.config import DEFAULT_SUBJECT
from briefing.deliver.email import (
    EmailParts,
    build_message,
    make_message_id,
    render_email,
    render_subject,
)
from briefing.deliver.smtp import send_message
from tests.deliver.delivery_support import HEADLINE, PASSWORD, Server, make_briefing

SEND_TIME = datetime(2026, 11, 2, 8, 0, tzinfo=timezone(timedelta(hours=1)))  # 07:00 UTC


def _parts(hand_built, chart_png) -> EmailParts:  # type: ignore[no-untyped-def]
    return render_email(
        hand_built.briefing, pdf=hand_built.outputs["pdf"], charts={"burn": chart_png}
    )


def test_subject_from_template() -> None:
    briefing = make_briefing()
    # the default template: the ask in a few words, then the month
    assert render_subject(DEFAULT_SUBJECT, briefing) == (
        "Note: Online checkout feature pause until 20 Nov (October 2026)"
    )
    assert render_subject("{organization} risk briefing, {period}: {headline}", briefing) == (
        "Example Corp risk briefing, October 2026: "
        "Online checkout used 142% of its monthly reliability allowance"
    )
    # -0.42 remaining -> 1 + 0.42 = 142% of the allowance used
    assert render_subject("{period_label} - {figure}", briefing) == "2026-10 - 142% used"


def test_text_part_has_headline_decision_and_facts(hand_built, chart_png) -> None:  # type: ignore[no-untyped-def]
    parts = _parts(hand_built, chart_png)
    assert "142% used" in parts.text
    assert HEADLINE in parts.text
    # the decision comes first, as on page 1, then the number and its sentence
    assert parts.text.index("FOR YOU TO NOTE: Freeze feature releases") < parts.text.index(HEADLINE)
    assert "Owner: Head of Commerce Engineering. Decide by 15 November 2026." in parts.text
    # fact change: 72,350 against 41,200 last month, worse (lower is better)
    assert (
        "- €72,350: Outages cost €72,350 in lost sales. "
        "Worse than last month: up from €41,200." in parts.text
    )
    assert "- 6: 6 incidents, 2 of them severe. Worse than last month: up from 4." in parts.text

    assert "briefing-2026-10.pdf" in parts.text


def test_modelled_figures_are_marked_and_rounded_as_on_page_one() -> None:
    from tests.render.fixtures import make_briefing as make_full_briefing

    parts = render_email(make_full_briefing(), pdf=b"%PDF-1.7")
    # loss avoided is modelled: to the nearest 100 (32,470 -> 32,500; 27,900 stays)
    assert (
        "- €32,500: Faster fixes and blocked bad releases saved about €32,470 (modelled "
        "estimate). Better than last month: up from €27,900." in parts.text
    )
    assert "(modelled estimate)" in parts.html


def test_html_has_inline_styles_and_no_style_block(hand_built, chart_png) -> None:  # type: ignore[no-untyped-def]
    parts = _parts(hand_built, chart_png)
    assert "<style" not in parts.html
    assert "<svg" not in parts.html
    assert re.search(r'class="figure figure-bad" style="[^"]*font-size: 40px', parts.html)
    assert 'src="cid:burn-2026-10@briefing"' in parts.html


def test_html_escapes_text() -> None:
    briefing = make_briefing(headline="<script>alert(1)</script> checkout & search")
    parts = render_email(briefing, pdf=b"%PDF-1.7")
    assert "<script>" not in parts.html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; checkout &amp; search" in parts.html


def test_parts_round_trip_and_content_hash(hand_built, chart_png) -> None:  # type: ignore[no-untyped-def]
    parts = _parts(hand_built, chart_png)
    again = EmailParts.from_json(parts.to_json())
    assert again == parts
    assert again.content_hash == parts.content_hash
    other = render_email(make_briefing("Something else."), pdf=hand_built.outputs["pdf"])
    assert other.content_hash != parts.content_hash


def test_message_id_is_stable_per_content_and_send(hand_built, chart_png) -> None:  # type: ignore[no-untyped-def]
    parts = _parts(hand_built, chart_png)
    first = make_message_id(parts, "risk@example.com", 0)
    assert first == make_message_id(_parts(hand_built, chart_png), "risk@example.com", 0)
    assert first != make_message_id(parts, "risk@example.com", 1)
    assert re.fullmatch(r"<briefing\.2026-10\.[0-9a-f]{24}@example\.com>", first)


def test_received_message_structure(  # type: ignore[no-untyped-def]
    smtp_server: Server, hand_built, chart_png
) -> None:
    """Sent through aiosmtpd with STARTTLS and AUTH: every part is where a mail client looks."""
    config = smtp_server.email_config()
    parts = _parts(hand_built, chart_png)
    message = build_message(parts, config, message_id="<m1@example.com>", date=SEND_TIME)
    recipients = [*config.to, *config.cc, *config.bcc]
    reported: list[tuple[list[str], str]] = []
    result = send_message(
        message.as_bytes(policy=email.policy.SMTP),
        sender=config.from_addr,
        recipients=recipients,
        email=config,
        password=PASSWORD,
        report=lambda addresses, outcome, code, detail: reported.append((list(addresses), outcome)),
    )
    assert result.accepted == recipients
    assert reported == [(recipients, "accepted")]
    assert smtp_server.mailbox.auth_attempts == 1

    (mail_from, rcpt_tos, raw) = smtp_server.mailbox.messages[0]
    assert mail_from == "risk@example.com"
    assert rcpt_tos == recipients  # archive@ gets it through the envelope only
    received = smtp_server.mailbox.parsed()
    assert "Bcc" not in received
    assert b"archive@example.com" not in raw
    assert received["To"] == "board@example.com, cfo@example.com"
    assert received["Cc"] == "sre-leads@example.com"
    assert received["Message-ID"] == "<m1@example.com>"
    date = parsedate_to_datetime(received["Date"])
    assert date == datetime(2026, 11, 2, 7, 0, tzinfo=UTC)
    assert date.utcoffset() == timedelta(0)
    assert received["Date"].endswith("+0000")

    assert received.get_content_type() == "multipart/mixed"
    alternative = received.get_payload()[0]
    assert alternative.get_content_type() == "multipart/alternative"
    text, related = alternative.get_payload()
    assert text.get_content_type() == "text/plain"
    assert HEADLINE in text.get_content()
    assert related.get_content_type() == "multipart/related"
    html = related.get_payload()[0]
    assert html.get_content_type() == "text/html"
    images = {
        part["Content-ID"].strip("<>"): part
        for part in related.get_payload()[1:]
        if part.get_content_type() == "image/png"
    }
    referenced = re.findall(r'src="cid:([^"]+)"', html.get_content())
    assert referenced  # the chart is there
    for cid in referenced:
        assert cid in images
        assert images[cid].get_content()[:8] == b"\x89PNG\r\n\x1a\n"

    attachments = [
        p for p in received.iter_attachments() if p.get_content_type() == "application/pdf"
    ]
    assert [a.get_filename() for a in attachments] == ["briefing-2026-10.pdf"]
    pdf_text = pypdf.PdfReader(io.BytesIO(attachments[0].get_content())).pages[0].extract_text()
    assert HEADLINE in " ".join(pdf_text.split())


def test_received_message_parses_with_stdlib_default_policy(plain_server: Server) -> None:
    config = plain_server.email_config(to=("a@example.com",), cc=(), bcc=())
    parts = render_email(make_briefing(), pdf=b"%PDF-1.7 tiny")
    message = build_message(parts, config, message_id="<m2@example.com>", date=SEND_TIME)
    send_message(
        message.as_bytes(policy=email.policy.SMTP),
        sender=config.from_addr,
        recipients=["a@example.com"],
        email=config,
        password=None,
        report=lambda *args: None,
    )
    received = email.message_from_bytes(
        plain_server.mailbox.messages[0][2], policy=email.policy.default
    )
    assert received["Subject"] == parts.subject
    assert not received.defects
    assert [p.get_content_type() for p in received.walk()] == [
        "multipart/mixed", "multipart/alternative", "text/plain", "text/html", "application/pdf",
    ]  # fmt: skip
