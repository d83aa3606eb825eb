"""The rendered briefing: page 1 content, self-containment, escaping, determinism."""

from __future__ import annotations

import dataclasses
import hashlib
import io
import json
import os
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
from pypdf import PdfReader

from briefing.errors import BriefingError
from briefing.render import render
from briefing.render.context import burn_service
from briefing.translate.lint import find_jargon
from tests.render.fixtures import DESIGN_TOP_LEVEL, make_briefing, make_glossary

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def glossary():  # type: ignore[no-untyped-def]
    return make_glossary()


@pytest.fixture(scope="module")
def outputs(glossary) -> dict[str, bytes]:  # type: ignore[no-untyped-def]
    return render(make_briefing(), ["html", "pdf", "json"], glossary=glossary)


def _flat(text: str) -> str:
    return " ".join(text.split())


def _without_footnote_calls(text: str) -> str:
    """Words only: digits (plain or superscript) right after a letter are footnote calls."""
    calls = re.sub(r"(?<=[^\W\d_])\s?[0-9\u00b9\u00b2\u00b3\u2070-\u2079]+\b", "", text)
    return _flat(calls)


class _Links(HTMLParser):
    """Every URL-bearing attribute and every tag, to check the page parses and fetches nothing."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []
        self.tags: list[str] = []
        self.exec_sections = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        for name, value in attrs:
            if name in ("src", "href", "xlink:href", "action", "poster", "data") and value:
                self.urls.append(value)
            if name == "data-exec":
                self.exec_sections += 1


def test_pdf_page_1_shows_headline_number_and_decision(outputs: dict[str, bytes]) -> None:
    reader = PdfReader(io.BytesIO(outputs["pdf"]))
    page1 = _flat(reader.pages[0].extract_text())
    # headline value -0.42 of the allowance left -> 1 - (-0.42) = 1.42 used -> "142%"
    assert "142%" in page1
    # the footnote call after a glossary term may be extracted glued to it ("allowance1"),
    # spaced or superscript, by the PDF library's version: compare without the calls
    assert _without_footnote_calls(
        "Freeze feature releases for Online checkout until its downtime allowance recovers, "
        "and fund a backup payment provider."
    ) in _without_footnote_calls(page1)
    assert "Head of Commerce Engineering" in page1
    assert "15 November 2026" in page1  # due 2026-11-15, en_GB long date
    assert f"Page 1 of {len(reader.pages)}" in page1
    # header of later pages: organisation, period and classification
    page2 = _flat(reader.pages[1].extract_text())
    assert "Example Corp · Risk briefing · October 2026" in page2
    assert "CONFIDENTIAL" in page2.upper()


def test_pdf_metadata_dates_come_from_the_period(outputs: dict[str, bytes]) -> None:
    meta = PdfReader(io.BytesIO(outputs["pdf"])).metadata
    assert meta is not None
    # the period ends 2026-11-01T00:00:00+00:00
    assert meta.creation_date is not None
    assert meta.creation_date.isoformat().startswith("2026-11-01T00:00:00")
    assert meta.modification_date == meta.creation_date
    assert meta.title == "Example Corp · Risk briefing · October 2026"


def test_letter_paper(glossary) -> None:  # type: ignore[no-untyped-def]
    pdf = render(make_briefing(), ["pdf"], glossary=glossary, paper_size="Letter")["pdf"]
    box = PdfReader(io.BytesIO(pdf)).pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (612, 792)  # 8.5 x 11 in * 72


def test_a4_paper(outputs: dict[str, bytes]) -> None:
    box = PdfReader(io.BytesIO(outputs["pdf"])).pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)  # 210 x 297 mm


def test_html_parses_and_fetches_nothing(outputs: dict[str, bytes]) -> None:
    html = outputs["html"].decode("utf-8")
    parser = _Links()
    parser.feed(html)
    parser.close()
    assert parser.tags[:1] == ["html"]
    assert "svg" in parser.tags
    assert "style" in parser.tags
    assert parser.exec_sections == 1
    # no URL attribute leaves the document (in-page #fragments only) ...
    assert [u for u in parser.urls if not u.startswith("#")] == []
    # ... no CSS url() other than in-page SVG references, no <link>, no script from
    # elsewhere (the one script, for sorting and filtering, is inline), and a policy that
    # lets the browser fetch nothing at all
    assert re.findall(r"url\((?!#)", html) == []
    assert "<link" not in html
    assert re.findall(r"<script[^>]*>", html) == ["<script>"]
    assert "default-src 'none'" in html
    assert "http://" not in html
    assert "https://" not in html
    assert "file:" not in html


def test_incident_title_is_escaped(outputs: dict[str, bytes]) -> None:
    html = outputs["html"].decode("utf-8")
    assert "<script>alert(" not in html
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; Checkout errors after release" in html


def test_page_1_prints_no_bare_jargon(outputs: dict[str, bytes], glossary) -> None:  # type: ignore[no-untyped-def]
    html = outputs["html"].decode("utf-8")
    start, end = html.index("<!-- exec:start -->"), html.index("<!-- exec:end -->")
    assert "data-exec" in html[start:end]
    assert find_jargon(html[start:end], glossary, html=True) == []


def test_words_we_use_lists_exactly_the_terms_used(outputs: dict[str, bytes], glossary) -> None:  # type: ignore[no-untyped-def]
    html = outputs["html"].decode("utf-8")
    words = html[html.index('id="words-title"') : html.index("<!-- appendix:start -->")]
    listed = [_flat(re.sub(r"<[^>]+>", "", t)) for t in re.findall(r"<dt>(.*?)</dt>", words)]
    # the fixture records error budget and MTTR; the templates print the rest by name:
    # SLO, equivalent outage minutes and cost of downtime (services), request (the burn
    # chart), incident, MTTD and postmortem (a flagged incident), risk register, bad
    # minutes per year, risk exposure, confidence interval and loss exceedance (risks),
    # loss avoided
    terms = [
        "error budget", "MTTR", "SLO", "equivalent outage minutes", "cost of downtime",
        "request", "incident", "MTTD", "postmortem", "risk register", "bad minutes per year",
        "risk exposure", "confidence interval", "loss exceedance", "loss avoided",
    ]  # fmt: skip
    expected = sorted((glossary[t].say_instead for t in terms), key=str.casefold)
    assert listed == [e[:1].upper() + e[1:] for e in expected]


def test_terms_in_translated_sentences_get_their_tooltip(
    outputs: dict[str, bytes], glossary
) -> None:  # type: ignore[no-untyped-def]
    html = outputs["html"].decode("utf-8")
    definition = glossary["error budget"].definition
    # the headline text says "downtime allowance" itself; render wraps it with the definition
    headline = html[html.index('<p class="text">') : html.index('<div class="decision"')]
    assert f'<span class="term" title="{definition}">downtime allowance</span>' in headline.replace(
        "&#39;", "'"
    )


def test_same_briefing_gives_the_same_bytes(outputs: dict[str, bytes], glossary) -> None:  # type: ignore[no-untyped-def]
    again = render(make_briefing(), ["html", "pdf", "json"], glossary=glossary)
    assert again == outputs


SUBPROCESS = """
import hashlib, sys
sys.path.insert(0, {root!r})
from briefing.render import render
from tests.render.fixtures import make_briefing, make_glossary
out = render(make_briefing(), ["html", "pdf", "json"], glossary=make_glossary())
for key in ("html", "pdf", "json"):
    print(key, hashlib.sha256(out[key]).hexdigest())
"""


def test_same_bytes_in_another_time_zone(outputs: dict[str, bytes]) -> None:
    env = {**os.environ, "TZ": "Pacific/Auckland", "LC_ALL": "C.UTF-8"}
    result = subprocess.run(
        [sys.executable, "-c", SUBPROCESS.format(root=str(ROOT))],
        env=env,
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    expected = "".join(
        f"{k} {hashlib.sha256(outputs[k]).hexdigest()}\n" for k in ("html", "pdf", "json")
    )
    assert result.stdout == expected


def test_json_follows_the_model_order(outputs: dict[str, bytes]) -> None:
    data = json.loads(outputs["json"])
    assert list(data)[:10] == DESIGN_TOP_LEVEL
    assert data["headline"]["value"] == -0.42
    checkout = data["services"][0]
    # 73,840 / 52,000,000 * 44,640 = 63.38688 minutes; * 700 per minute = 44,370.816
    assert checkout["equivalent_outage_minutes"] == 63.38688
    assert checkout["downtime_cost"] == 44370.816
    assert data["services"][3]["sli"] is None  # no data is null, never 100%
    assert "NaN" not in outputs["json"].decode("utf-8")


def test_render_rejects_an_unknown_format(glossary) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(BriefingError, match="unknown output format 'docx'"):
        render(make_briefing(), ["docx"], glossary=glossary)


def test_render_rejects_an_unknown_paper_size(glossary) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(BriefingError, match="unknown paper size 'A3'"):
        render(make_briefing(), ["html"], glossary=glossary, paper_size="A3")


def test_burn_chart_without_headline_service_uses_least_budget_left() -> None:
    briefing = make_briefing()
    no_service = dataclasses.replace(
        briefing, headline=dataclasses.replace(briefing.headline, service=None)
    )
    # remaining: checkout -0.42, search 0.2, accounts 0.9 -> checkout
    chosen = burn_service(no_service)
    assert chosen is not None
    assert chosen.id == "checkout"


def test_briefing_without_risks_or_incidents_still_renders(glossary) -> None:  # type: ignore[no-untyped-def]
    briefing = make_briefing()
    empty = dataclasses.replace(
        briefing,
        risks=dataclasses.replace(briefing.risks, items=(), by_service=(), loss_exceedance=()),
        incidents=dataclasses.replace(briefing.incidents, count=0, items=(), by_severity={}),
    )
    html = render(empty, ["html"], glossary=glossary)["html"].decode("utf-8")
    assert "Risks for the year ahead" not in html
    assert "No service disruptions were recorded in October 2026." in _flat(
        re.sub(r"<span class=\"fn\">.*?</span>|<[^>]+>", "", html)
    )
