"""The email looks like the briefing: logo, palette, page-1 content; overrides count in its fingerprint."""

from __future__ import annotations

import email
import email.policy
import re
from datetime import UTC, datetime
from html.parser import HTMLParser
from pathlib import Path

from briefing.config import EmailConfig, Palette
from briefing.deliver import email_fingerprint
from briefing.deliver.email import build_message, render_email
from briefing.render.charts import render_chart
from briefing.render.palette import Colours
from briefing.render.templates import Look
from tests.deliver.delivery_support import HEADLINE, make_briefing
from tests.render.fixtures import make_briefing as make_full_briefing
from tests.render.test_look import png_logo

SEND_TIME = datetime(2026, 11, 2, 7, 0, tzinfo=UTC)
SVG_LOGO = b'<svg xmlns="http://www.w3.org/2000/svg" width="80" height="20"><rect width="80" height="20"/></svg>'
CONFIG = EmailConfig(
    host="127.0.0.1", port=25, security="none", username=None, password_env=None,
    from_addr="risk@example.com", to=("board@example.com",),
)  # fmt: skip


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.chunks: list[str] = []

    def handle_data(self, data: str) -> None:
        self.chunks.append(data)


def visible_text(html: str) -> str:
    parser = _Text()
    parser.feed(html)
    return " ".join(" ".join(parser.chunks).split())


def received(look: Look, charts: dict[str, bytes] | None = None) -> email.message.EmailMessage:
    parts = render_email(make_briefing(), pdf=b"%PDF-1.7", charts=charts, look=look)
    message = build_message(parts, CONFIG, message_id="<m@example.com>", date=SEND_TIME)
    parsed = email.message_from_bytes(
        message.as_bytes(policy=email.policy.SMTP), policy=email.policy.default
    )
    assert isinstance(parsed, email.message.EmailMessage)
    return parsed


def html_and_images(
    message: email.message.EmailMessage,
) -> tuple[str, dict[str, email.message.EmailMessage]]:
    """The HTML part, and the parts a Content-ID names (inline images)."""
    parts = list(message.walk())
    html = next(p for p in parts if p.get_content_type() == "text/html")
    images = {p["Content-ID"].strip("<>"): p for p in parts if p["Content-ID"]}
    return html.get_content(), images  # type: ignore[union-attr]


def logo_tag(html: str) -> dict[str, str]:
    tag = re.search(r"<img [^>]*class=\"logo\"[^>]*>", html)
    assert tag is not None
    return dict(re.findall(r'(\w+)="([^"]*)"', tag.group(0)))


def test_email_carries_the_logo_by_content_id() -> None:
    logo = png_logo()
    html, images = html_and_images(received(Look(logo=logo, logo_type="image/png")))
    tag = logo_tag(html)
    assert tag["alt"] == "Example Corp"
    cid = tag["src"].removeprefix("cid:")
    assert images[cid].get_content_type() == "image/png"
    assert images[cid].get_content() == logo
    # an SVG logo travels as image/svg+xml
    html, images = html_and_images(received(Look(logo=SVG_LOGO, logo_type="image/svg+xml")))
    cid = logo_tag(html)["src"].removeprefix("cid:")
    assert images[cid].get_content_type() == "image/svg+xml"


def test_email_without_a_logo_has_no_logo_image() -> None:
    html, images = html_and_images(received(Look()))
    assert 'class="logo"' not in html
    assert images == {}


def test_email_uses_the_palette_inline() -> None:
    palette = Palette(accent="#d81b60", good="#004488", bad="#994400")
    html, _ = html_and_images(received(Look(palette=palette)))
    # masthead rule in the accent, the headline figure (a spent allowance) in bad,
    # and the facts' changes: both facts got worse (lower is better, both went up)
    assert re.search(r'class="masthead" style="[^"]*border-bottom: 3px solid #d81b60', html)
    assert re.search(r'class="figure figure-bad" style="[^"]*color: #994400', html)
    assert len(re.findall(r'class="change worse" style="[^"]*color: #994400', html)) == 2
    assert "#f0b429" not in html  # no colour of its own outside the palette


def test_email_shows_page_1_content_with_words_beside_every_tone() -> None:
    html, _ = html_and_images(received(Look()))
    text = visible_text(html)
    # the figure: remaining -0.42 -> 1 - (-0.42) = 142% used
    assert "Example Corp" in text
    assert "Risk briefing · October 2026" in text
    assert "142% used" in text
    assert HEADLINE in text
    assert "For you to note Freeze feature releases for Online checkout" in text
    assert "Owner: Head of Commerce Engineering · decide by 15 November 2026" in text
    # facts: the value, the sentence, the change in words and from what (41,200 -> 72,350)
    assert "€72,350 Outages cost €72,350 in lost sales. Worse than last month: up from €41,200" in (
        text
    )
    assert "6 6 incidents, 2 of them severe. Worse than last month: up from 4" in text


def test_email_chart_alt_text_is_the_chart_description() -> None:
    briefing = make_full_briefing()
    chart = render_chart("burn", briefing, fmt="png")
    parts = render_email(briefing, pdf=b"%PDF-1.7", charts={"burn": chart})
    alt = re.search(r'<img src="cid:burn-2026-10@briefing"[^>]*alt="([^"]+)"', parts.html)
    assert alt is not None
    # the fixture's checkout burn-down: 100% -> 1 - 1.42 = -42%, spent on 19 October
    assert "fell from 100% to −42%" in alt.group(1)
    assert "ran out on 19 October 2026" in alt.group(1)


def test_overrides_logo_and_palette_count_in_the_email_fingerprint(tmp_path: Path) -> None:
    base = email_fingerprint("h", CONFIG, Look())
    assert email_fingerprint("h", CONFIG, Look()) == base
    folder = tmp_path / "look"
    folder.mkdir()
    (folder / "email.html.j2").write_text("<p>{{ headline.text }}</p>\n")
    with_override = email_fingerprint("h", CONFIG, Look(templates=folder))
    assert with_override != base
    (folder / "email.html.j2").write_text("<p>{{ headline.decision }}</p>\n")
    assert email_fingerprint("h", CONFIG, Look(templates=folder)) != with_override
    assert email_fingerprint("h", CONFIG, Look(logo=b"\x89PNG\r\n\x1a\n")) != base
    assert email_fingerprint("h", CONFIG, Look(palette=Palette(accent="#000000"))) != base


def test_an_email_override_replaces_the_packaged_template(tmp_path: Path) -> None:
    folder = tmp_path / "look"
    folder.mkdir()
    (folder / "email.txt.j2").write_text("{{ organization }}: {{ figure }}\n")
    parts = render_email(make_briefing(), pdf=b"%PDF-1.7", look=Look(templates=folder))
    assert parts.text == "Example Corp: 142% used\n"
    assert Colours.of(Palette()).bad in parts.html  # the HTML is still the packaged one
