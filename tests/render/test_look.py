"""The workspace's look: override templates, logo and palette, in the HTML and the PDF."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from matplotlib.figure import Figure
from pypdf import PdfReader

from briefing.config import Palette
from briefing.errors import BriefingError
from briefing.render import render
from briefing.render.charts import render_chart
from briefing.render.palette import Colours, css_variables, mix
from briefing.render.templates import PACKAGED, Look
from tests.render.fixtures import make_briefing, make_glossary

ACCENT = "#d81b60"
ADDED_LINE = "Reviewed by the risk committee on 3 November"
EXTENDS = '{% extends "default/briefing.html.j2" %}\n'


def png_logo() -> bytes:
    figure = Figure(figsize=(1.6, 0.5))
    figure.text(0.05, 0.3, "EXAMPLE", fontsize=16, color=ACCENT)
    out = io.BytesIO()
    figure.savefig(out, format="png", dpi=100, metadata={"Software": None})
    return out.getvalue()


def override(tmp_path: Path, files: dict[str, str]) -> Path:
    folder = tmp_path / "look"
    folder.mkdir()
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def rgb_operator(colour: str) -> str:
    """How WeasyPrint writes a fill colour: each channel / 255 with six decimals, then `rg`."""
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    return " ".join(f"{c:.6f}".rstrip("0").rstrip(".") for c in channels) + " rg"


@pytest.fixture(scope="module")
def looked(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    folder = override(
        tmp_path_factory.mktemp("ws"),
        {
            "briefing.html.j2": EXTENDS
            + '{% block headline %}{{ super() }}<p class="caption">'
            + ADDED_LINE
            + "</p>{% endblock %}\n"
        },
    )
    look = Look(
        templates=folder,
        logo=png_logo(),
        logo_type="image/png",
        palette=Palette(accent=ACCENT),
    )
    return render(make_briefing(), ["html", "pdf"], glossary=make_glossary(), look=look)


def test_html_page_1_shows_the_added_line_the_logo_and_the_accent(
    looked: dict[str, bytes],
) -> None:
    html = looked["html"].decode("utf-8")
    exec_part = html[html.index("<!-- exec:start -->") : html.index("<!-- exec:end -->")]
    assert ADDED_LINE in exec_part
    # the rest of the default headline block is still there (super())
    assert "of the month's" in exec_part
    logo = re.search(r'<img class="logo" src="data:image/png;base64,([^"]+)" alt="([^"]+)"', html)
    assert logo is not None
    assert logo.group(2) == "Example Corp"
    assert f"--accent: {ACCENT};" in html


def test_pdf_page_1_shows_the_added_line_the_logo_and_the_accent(
    looked: dict[str, bytes],
) -> None:
    page = PdfReader(io.BytesIO(looked["pdf"])).pages[0]
    assert ADDED_LINE in " ".join(page.extract_text().split())
    images = [
        x for x in page["/Resources"]["/XObject"].values() if x.get_object()["/Subtype"] == "/Image"
    ]
    assert len(images) == 1  # the logo
    # #d81b60: 216/255 = 0.847059, 27/255 = 0.105882, 96/255 = 0.376471 (the masthead rule)
    content = page.get_contents().get_data().decode("latin-1")
    assert rgb_operator(ACCENT) == "0.847059 0.105882 0.376471 rg"
    assert rgb_operator(ACCENT) in content


def test_an_svg_logo_is_embedded_too(tmp_path: Path) -> None:
    svg = b'<svg xmlns="http://www.w3.org/2000/svg" width="120" height="30"><rect width="120" height="30" fill="#d81b60"/></svg>'
    look = Look(logo=svg, logo_type="image/svg+xml")
    out = render(make_briefing(), ["html", "pdf"], glossary=make_glossary(), look=look)
    assert b'src="data:image/svg+xml;base64,' in out["html"]
    page = PdfReader(io.BytesIO(out["pdf"])).pages[0]
    content = page.get_contents().get_data().decode("latin-1")
    assert rgb_operator(ACCENT) in content  # the SVG's rectangle is drawn on page 1


def test_an_override_partial_is_used_by_the_default_page(tmp_path: Path) -> None:
    folder = override(
        tmp_path,
        {"_method.html.j2": '<section class="method"><h2>Our own method note</h2></section>\n'},
    )
    html = render(make_briefing(), ["html"], glossary=make_glossary(), look=Look(templates=folder))
    assert b"Our own method note" in html["html"]
    assert b"How we got these numbers" not in html["html"]


def test_an_override_stylesheet_replaces_the_packaged_one(tmp_path: Path) -> None:
    folder = override(tmp_path, {"briefing.css": "body { font-size: 31px; }\n"})
    html = render(make_briefing(), ["html"], glossary=make_glossary(), look=Look(templates=folder))
    assert b"font-size: 31px" in html["html"]
    assert b".headline-card" not in html["html"].split(b"</style>")[0]
    # the palette still follows the stylesheet
    assert b"--accent:" in html["html"]


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        (EXTENDS + "{% block headline %}\n{{ super() }\n{% endblock %}\n", 3, "unexpected '}'"),
        (
            EXTENDS + "{% block headline %}\n\n<p>{{ nobody.name }}</p>\n{% endblock %}\n",
            4,
            "'nobody' is undefined",
        ),
        ('{% extends "default/nothing.html.j2" %}\n', 1, "default/nothing.html.j2"),
    ],
)
def test_a_broken_override_is_one_error_at_its_file_and_line(
    tmp_path: Path, text: str, line: int, message: str
) -> None:
    folder = override(tmp_path, {"briefing.html.j2": text})
    with pytest.raises(BriefingError) as caught:
        render(make_briefing(), ["html"], glossary=make_glossary(), look=Look(templates=folder))
    error = caught.value
    assert error.where is not None
    assert Path(error.where.path) == folder / "briefing.html.j2"
    assert error.where.line == line
    assert message in error.message
    assert "report.templates" in error.hint


def test_palette_drives_css_and_charts_from_one_place() -> None:
    palette = Palette(accent="#112233", good="#004488", bad="#994400", neutral="#555555")
    css = css_variables(palette)
    for name, value in (("accent", "#112233"), ("good", "#004488"), ("bad", "#994400")):
        assert f"--{name}: {value};" in css
    # a wash is 90% white: #994400 -> (153 + 0.9 * 102, 68 + 0.9 * 187, 0 + 0.9 * 255)
    #                                = (244.8, 236.3, 229.5) -> #f5ece6 (rounded half to even)
    assert mix("#994400", "#ffffff", 0.9) == "#f5ece6"
    assert "--bad-wash: #f5ece6;" in css
    # the risk chart: bars that need action in `bad` and hatched (R1 and R4 of the
    # fixture are above the 25% line: 2 bars filled with the hatch pattern), the others
    # (R2, R3) in `neutral`
    svg = render_chart("risk_minutes", make_briefing(), palette=palette).decode()
    assert re.search(r'<pattern[^>]*>\s*<rect[^>]*fill="#994400"', svg)
    assert len(re.findall(r"fill: url\(#", svg)) == 2
    assert len(re.findall(r"fill: #555555", svg)) == 2
    # the burn-down (ends below zero) draws its line in `bad` and shades the spent part
    burn = render_chart("burn", make_briefing(), palette=palette).decode()
    assert "stroke: #994400" in burn
    assert f"fill: {Colours.of(palette).bad_wash}" in burn


def contrast(foreground: str, background: str) -> float:
    """WCAG 2 contrast ratio: (L1 + 0.05) / (L2 + 0.05) of the relative luminances."""

    def luminance(colour: str) -> float:
        channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    high, low = sorted((luminance(foreground), luminance(background)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_default_palette_is_readable_and_tells_good_from_bad_without_red_and_green() -> None:
    colours = Colours.of(Palette())
    # text colours on white and on their own wash reach WCAG AA for normal text (4.5:1)
    for text, wash in (
        (colours.good, colours.good_wash),
        (colours.bad, colours.bad_wash),
        (colours.warn, colours.warn_wash),
        (colours.neutral, colours.neutral_wash),
        (colours.accent, colours.accent_wash),
    ):
        assert contrast(text, "#ffffff") >= 4.5
        assert contrast(text, wash) >= 4.5

    # good is a blue (blue channel highest), bad an orange (red highest, blue lowest):
    # told apart by hue with any common colour-vision deficiency, unlike red and green
    def rgb(colour: str) -> list[int]:
        return [int(colour[i : i + 2], 16) for i in (1, 3, 5)]

    good, bad = rgb(colours.good), rgb(colours.bad)
    assert good[2] == max(good)
    assert bad[0] == max(bad)
    assert bad[2] == min(bad)


def test_packaged_templates_are_the_top_level_templates_folder() -> None:
    top = Path(__file__).resolve().parents[2] / "templates"
    assert (top / "briefing.html.j2").is_file()
    assert top.resolve() == PACKAGED.resolve()
    blocks = set(re.findall(r"{%\s*block (\w+)", (top / "briefing.html.j2").read_text()))
    assert {"cover", "headline", "decision", "facts", "body", "appendix"} <= blocks


def test_glossary_page_takes_the_palette_and_the_override_folder(tmp_path: Path) -> None:
    from briefing.render.glossary_page import render_glossary_html
    from briefing.translate.glossary import load_glossary

    glossary = load_glossary()
    page = render_glossary_html(glossary, look=Look(palette=Palette(accent=ACCENT)))
    assert f"--accent: {ACCENT};" in page
    assert "#0b4f9c" not in page  # no palette of its own any more
    folder = override(
        tmp_path, {"glossary.html.j2": "<h1>{{ title }}</h1><p>{{ count }} words</p>\n"}
    )
    page = render_glossary_html(glossary, title="Lexicon", look=Look(templates=folder))
    assert page == f"<h1>Lexicon</h1><p>{len(glossary)} words</p>\n"
