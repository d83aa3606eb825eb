"""report.templates, logo, palette and pdf_variant: valid values load, bad ones name their line."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefing.config import Palette, load_config
from briefing.errors import ConfigError
from tests.test_config import MINIMAL, workspace

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32  # the signature is what identifies a PNG
SVG = b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>\n'
REPORT_LINE = MINIMAL.count("\n") + 1  # `report:` follows the 14 lines of MINIMAL


def with_report(tmp_path: Path, report: str) -> Path:
    (tmp_path / "look").mkdir(exist_ok=True)
    (tmp_path / "logo.png").write_bytes(PNG)
    (tmp_path / "logo.svg").write_bytes(SVG)
    return workspace(tmp_path, MINIMAL + "report:\n" + report)


def test_the_look_loads(tmp_path: Path) -> None:
    config = load_config(
        with_report(
            tmp_path,
            "  templates: look\n  logo: logo.svg\n  palette: {accent: '#D81B60', bad: '#a40'}\n"
            "  pdf_variant: PDF/A-3b\n",
        )
    )
    report = config.report
    assert report.templates == tmp_path / "look"
    assert report.logo == tmp_path / "logo.svg"
    # #a40 is short for #aa4400; names are kept lower case
    assert report.palette == Palette(accent="#d81b60", bad="#aa4400")
    assert report.palette.good == Palette().good  # unset keys keep the default
    assert report.pdf_variant == "pdf/a-3b"


def test_without_a_report_section_the_look_is_the_default(tmp_path: Path) -> None:
    report = load_config(workspace(tmp_path, MINIMAL)).report
    assert (report.templates, report.logo, report.pdf_variant) == (None, None, None)
    assert report.palette == Palette()


@pytest.mark.parametrize(
    ("report", "line", "message"),
    [
        ("  templates: nowhere\n", 1, "report.templates: folder not found"),
        ("  logo: missing.png\n", 1, "report.logo: file not found"),
        ("  logo: notes.txt\n", 1, "report.logo: notes.txt is neither a PNG nor an SVG image"),
        ("  logo: big.png\n", 1, "report.logo: big.png is 1,000,001 bytes; a logo may be at most"),
        (
            "  palette:\n    accent: '#123456'\n    accnt: '#000'\n",
            3,
            "report.palette.accnt: unknown key",
        ),
        ("  palette: {good: blue-ish}\n", 1, "report.palette.good: 'blue-ish' is not a colour"),
        ("  palette: {bad: '#12345'}\n", 1, "report.palette.bad: '#12345' is not a colour"),
        ("  pdf_variant: pdf/a-1b\n", 1, "report.pdf_variant: unknown PDF variant 'pdf/a-1b'"),
    ],
)
def test_a_bad_look_is_a_config_error_at_its_line(
    tmp_path: Path, report: str, line: int, message: str
) -> None:
    (tmp_path / "notes.txt").write_text("not an image\n")
    (tmp_path / "big.png").write_bytes(PNG + b"\x00" * (1_000_001 - len(PNG)))
    path = with_report(tmp_path, report)
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    [(where, text)] = caught.value.problems
    assert where.path == path
    assert where.line == REPORT_LINE + line
    assert message in text


def test_a_logo_is_recognised_by_its_content_not_its_name(tmp_path: Path) -> None:
    (tmp_path / "logo.png").write_bytes(SVG)  # an SVG under a .png name is still an SVG
    config = load_config(workspace(tmp_path, MINIMAL + "report: {logo: logo.png}\n"))
    assert config.report.logo == tmp_path / "logo.png"
    (tmp_path / "fake.svg").write_bytes(b"<html><body>not svg</body></html>")
    with pytest.raises(ConfigError, match="fake.svg is neither a PNG nor an SVG"):
        load_config(workspace(tmp_path, MINIMAL + "report: {logo: fake.svg}\n"))
