"""A workspace with its own look, end to end: override, logo, accent, archival PDF; init --templates."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from click.testing import CliRunner
from pypdf import PdfReader

from briefing.cli import cli
from briefing.config import packaged_sample_config
from briefing.render.templates import PACKAGED
from tests.render.test_look import ACCENT, png_logo, rgb_operator

ADDED = "Signed off by the Chief Risk Officer"


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_a_workspace_look_on_page_1_of_html_and_archival_pdf(tmp_path: Path) -> None:
    ws = tmp_path / "ws"
    shutil.copytree(packaged_sample_config().parent, ws)
    (ws / "look").mkdir()
    (ws / "look" / "briefing.html.j2").write_text(
        '{% extends "default/briefing.html.j2" %}\n'
        "{% block headline %}{{ super() }}<p>" + ADDED + "</p>{% endblock %}\n"
    )
    (ws / "logo.png").write_bytes(png_logo())
    with (ws / "briefing.yaml").open("a") as handle:
        handle.write(
            f"report:\n  templates: look\n  logo: logo.png\n  palette: {{accent: '{ACCENT}'}}\n"
        )
    out = tmp_path / "out"
    code, _, err = run(
        "build", "--config", str(ws / "briefing.yaml"), "--out", str(out),
        "--pdf-variant", "pdf/a-3b",
    )  # fmt: skip
    assert code == 0, err

    html = (out / "briefing-2026-10.html").read_text()
    page_1 = html[html.index("<!-- exec:start -->") : html.index("<!-- exec:end -->")]
    assert ADDED in page_1
    assert 'class="logo" src="data:image/png;base64,' in page_1
    assert f"--accent: {ACCENT};" in html

    reader = PdfReader(out / "briefing-2026-10.pdf")
    first = reader.pages[0]
    assert ADDED in " ".join(first.extract_text().split())
    assert [x.get_object()["/Subtype"] for x in first["/Resources"]["/XObject"].values()].count(
        "/Image"
    ) == 1
    assert rgb_operator(ACCENT) in first.get_contents().get_data().decode("latin-1")
    # archival: part 3 in the XMP metadata, the JSON file's bytes attached, still tagged
    assert 'pdfaid:part="3"' in reader.xmp_metadata.stream.get_data().decode()
    assert reader.attachments["briefing-2026-10.json"] == [
        (out / "briefing-2026-10.json").read_bytes()
    ]
    root = reader.trailer["/Root"]
    assert "/StructTreeRoot" in root
    assert bool(root["/MarkInfo"]["/Marked"])
    assert root["/Lang"] == "en-GB"


def test_init_templates_copies_the_packaged_templates_and_uses_them(tmp_path: Path) -> None:
    ws = tmp_path / "ws"
    code, _, err = run("init", str(ws), "--templates")
    assert code == 0, err
    packaged = sorted(p.name for p in PACKAGED.iterdir() if p.is_file())
    assert sorted(p.name for p in (ws / "templates").iterdir()) == packaged
    assert (ws / "templates" / "briefing.html.j2").read_bytes() == (
        PACKAGED / "briefing.html.j2"
    ).read_bytes()
    assert re.search(r"^report:\n  templates: templates$", (ws / "briefing.yaml").read_text(), re.M)
    # the copy is what the build uses: change a heading in it
    copy = ws / "templates" / "briefing.html.j2"
    text = copy.read_text()
    assert ">Technical appendix</h2>" in text
    copy.write_text(text.replace(">Technical appendix</h2>", ">For engineers</h2>"))
    code, _, err = run(
        "build", "--config", str(ws / "briefing.yaml"), "--format", "html", "--out", str(ws / "o")
    )
    assert code == 0, err
    assert ">For engineers</h2>" in (ws / "o" / "briefing-2026-10.html").read_text()
    # a second run keeps what is there
    code, _, err = run("init", str(ws), "--templates")
    assert code == 1
    assert "already holds templates" in err


def test_a_broken_override_stops_the_build_naming_file_and_line(tmp_path: Path) -> None:
    ws = tmp_path / "ws"
    shutil.copytree(packaged_sample_config().parent, ws)
    (ws / "look").mkdir()
    (ws / "look" / "briefing.html.j2").write_text(
        '{% extends "default/briefing.html.j2" %}\n{% block cover %}\n{{ logo_url }}\n{% endblock %}\n'
    )
    with (ws / "briefing.yaml").open("a") as handle:
        handle.write("report: {templates: look}\n")
    code, _, err = run("build", "--config", str(ws / "briefing.yaml"), "--format", "html",
                       "--out", str(tmp_path / "o"))  # fmt: skip
    assert code == 1
    assert f"{ws / 'look' / 'briefing.html.j2'}:3: template error: 'logo_url' is undefined" in err
    assert "Traceback" not in err


def test_pdf_variant_flag_rejects_an_unknown_variant() -> None:
    code, _, err = run("build", "--pdf-variant", "pdf/x-4")
    assert code == 2
    assert "pdf/a-3b" in err
    assert "Traceback" not in err
