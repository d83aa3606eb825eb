"""The one big number on page 1 stays in its column, however many characters it prints.

Read from the PDF itself (poppler's `pdftotext -bbox`, the words' boxes in points): the
number must end before the decision box, whose border and 4 mm of padding lie left of
its first word, "Owner"'s column.
"""

from __future__ import annotations

import dataclasses
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from briefing.render import render
from tests.render.fixtures import make_briefing, make_glossary

WORD = re.compile(
    r'<word xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)" yMax="[\d.]+">([^<]*)</word>'
)
BOX_BEFORE_TEXT = 4 / 25.4 * 72 + 1.5  # the decision box's padding (4 mm) and border, in pt


def _words(pdf: bytes, folder: Path) -> list[tuple[float, float, str]]:
    path = folder / "page.pdf"
    path.write_bytes(pdf)
    out = subprocess.run(
        ["pdftotext", "-bbox", "-f", "1", "-l", "1", str(path), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return [(float(a), float(b), w) for a, b, w in WORD.findall(out)]


@pytest.mark.skipif(
    shutil.which("pdftotext") is None, reason="needs pdftotext (Debian package poppler-utils)"
)
@pytest.mark.parametrize(
    ("kind", "value", "printed"),
    [
        ("budget_exhausted", -0.42, "142%"),  # 4 characters: the full size
        ("risk_exposure", 1_697_831.0, "€1.7m"),
        ("risk_exposure", 92_735.19, "€92.7k"),
        ("risk_exposure", 263_529.7, "€263.5k"),
    ],
)
def test_the_headline_number_ends_before_the_decision_box(
    kind: str, value: float, printed: str, tmp_path: Path
) -> None:
    base = make_briefing()
    unit = "fraction" if kind == "budget_exhausted" else "currency"
    headline = dataclasses.replace(base.headline, kind=kind, value=value, unit=unit)
    pdf = render(dataclasses.replace(base, headline=headline), ["pdf"], glossary=make_glossary())
    words = _words(pdf["pdf"], tmp_path)
    number = next(w for w in words if w[2] == printed)
    owner = next(w for w in words if w[2] == "Owner")
    assert number[1] < owner[0] - BOX_BEFORE_TEXT, (printed, number, owner)
