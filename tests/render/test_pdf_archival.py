"""The tagged PDF (structure, language, title, table headers, chart alt text) and PDF/A-3b."""

from __future__ import annotations

import io
import re
from typing import Any

import pytest
from pypdf import PdfReader

from briefing.render import render
from tests.render.fixtures import make_briefing, make_glossary


@pytest.fixture(scope="module")
def archival() -> dict[str, bytes]:
    return render(
        make_briefing(), ["pdf", "json"], glossary=make_glossary(), pdf_variant="pdf/a-3b"
    )


@pytest.fixture(scope="module")
def tagged() -> bytes:
    return render(make_briefing(), ["pdf"], glossary=make_glossary())["pdf"]


def structure(reader: PdfReader) -> list[dict[str, Any]]:
    """Every structure element of the tag tree, depth first."""
    found: list[dict[str, Any]] = []

    def walk(node: Any) -> None:
        node = node.get_object()
        if isinstance(node, list):
            for child in node:
                walk(child)
            return
        if not hasattr(node, "get") or "/S" not in node and "/K" not in node:
            return
        if "/S" in node:
            found.append(node)
        kids = node.get("/K")
        if kids is not None:
            walk(kids)

    walk(reader.trailer["/Root"]["/StructTreeRoot"])
    return found


def test_pdf_is_tagged_with_language_and_title(tagged: bytes) -> None:
    reader = PdfReader(io.BytesIO(tagged))
    root = reader.trailer["/Root"]
    assert "/StructTreeRoot" in root
    assert bool(root["/MarkInfo"]["/Marked"])
    assert root["/Lang"] == "en-GB"  # the briefing's locale en_GB, as a BCP 47 tag
    assert bool(root["/ViewerPreferences"]["/DisplayDocTitle"])
    assert reader.metadata.title == "Example Corp · Risk briefing · October 2026"
    kinds = [str(e["/S"]) for e in structure(reader)]
    for tag in ("/H1", "/H2", "/Table", "/TH", "/TD", "/P", "/Figure"):
        assert tag in kinds


def test_table_cells_name_their_header_cells(tagged: bytes) -> None:
    elements = structure(PdfReader(io.BytesIO(tagged)))
    header_ids = {str(e["/ID"]) for e in elements if e["/S"] == "/TH"}
    assert header_ids  # every <th> (scope col or row) is a TH with an ID
    cells = [e for e in elements if e["/S"] == "/TD"]
    named = [c for c in cells if c.get("/A") and c["/A"].get("/Headers")]
    assert named
    for cell in named:
        assert {str(h) for h in cell["/A"]["/Headers"]} <= header_ids
    # a services row: its cells name both the row header (the service) and the column
    # header, so each figure reads as "Online checkout, Target: 99.9%"
    assert any(len(c["/A"]["/Headers"]) == 2 for c in named)


def test_each_chart_has_its_description_as_alternate_text(tagged: bytes) -> None:
    figures = [e for e in structure(PdfReader(io.BytesIO(tagged))) if e["/S"] == "/Figure"]
    alts = [str(f.get("/Alt", "")) for f in figures]
    # fixture: checkout ends at 1 - 1.42 = -42%, ran out 19 October; the day with the
    # largest step is 19 October (0.45 + 0.015 scaled, against 0.30 + 0.015 on 9 October)
    burn = next(a for a in alts if a.startswith("Reliability allowance left"))
    assert "fell from 100% to −42%" in burn
    assert "ran out on 19 October 2026" in burn
    assert "the largest drop was on 19 October 2026" in burn
    risk = next(a for a in alts if a.startswith("Minutes of failure a year"))
    # R4: (60 + 240) * 1.0 = 300 min a year, 300 / 262.98 = 114% of its allowance;
    # R1 (58%) and R4 are above 25%: 2 of 4
    assert "4 risks" in risk
    assert "Identity database failover fails" in risk
    assert "114%" in risk
    assert "300 minutes a year" in risk
    assert "2 of 4 are above the action line at 25%" in risk
    loss = next(a for a in alts if a.startswith("Chance of a yearly loss"))
    # first points at or under 50% and 10%: (€200k, 44%) and (€500k, 5%); last (€1M, 0.1%)
    assert "more than €200K in a year is 44%" in loss.replace("k", "K")
    assert "more than €500K in a year 5%" in loss.replace("k", "K")
    assert "(0.1%)" in loss


def test_archival_variant_says_part_3_and_carries_the_json(archival: dict[str, bytes]) -> None:
    reader = PdfReader(io.BytesIO(archival["pdf"]))
    xmp = reader.xmp_metadata
    assert xmp is not None
    raw = xmp.stream.get_data().decode("utf-8")
    assert re.search(r'pdfaid:part="3"', raw)
    assert re.search(r'pdfaid:conformance="B"', raw)
    attachments = reader.attachments
    assert list(attachments) == ["briefing-2026-10.json"]
    assert attachments["briefing-2026-10.json"] == [archival["json"]]
    root = reader.trailer["/Root"]
    assert "/StructTreeRoot" in root
    assert bool(root["/MarkInfo"]["/Marked"])
    assert root["/Lang"] == "en-GB"
    assert "/OutputIntents" in root


def test_archival_variant_embeds_every_font(archival: dict[str, bytes]) -> None:
    reader = PdfReader(io.BytesIO(archival["pdf"]))
    fonts = []
    for page in reader.pages:
        for font in page["/Resources"].get("/Font", {}).values():
            font = font.get_object()
            descendants = font.get("/DescendantFonts")
            descriptor = (
                descendants[0].get_object()["/FontDescriptor"]
                if descendants
                else font["/FontDescriptor"]
            ).get_object()
            fonts.append(descriptor)
    assert fonts
    for descriptor in fonts:
        assert {"/FontFile", "/FontFile2", "/FontFile3"} & set(descriptor)


def test_archival_pdf_is_the_same_bytes_each_time(archival: dict[str, bytes]) -> None:
    again = render(make_briefing(), ["pdf"], glossary=make_glossary(), pdf_variant="pdf/a-3b")
    assert again["pdf"] == archival["pdf"]


def test_default_pdf_attaches_nothing(tagged: bytes) -> None:
    assert PdfReader(io.BytesIO(tagged)).attachments == {}
