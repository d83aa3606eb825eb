"""The PDF renderer fetches nothing from the network or the disk outside the package."""

from __future__ import annotations

import http.server
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from pypdf import PdfReader

import briefing
from briefing.render.pdf import AssetFetcher, URLRefused, render_pdf


@pytest.mark.parametrize(
    "url",
    [
        "http://example.com",
        "https://example.com/logo.png",
        "file:///etc/passwd",
        "ftp://example.com/x",
        "data:text/css,body{color:red}",
    ],
)
def test_fetcher_refuses(url: str) -> None:
    fetcher = AssetFetcher()
    with pytest.raises(URLRefused, match="refused to fetch"):
        fetcher.fetch(url)
    assert fetcher.refused == [url]


def test_fetcher_refuses_a_path_that_climbs_out_of_the_package() -> None:
    templates = Path(briefing.__file__).parent / "templates"
    with pytest.raises(URLRefused):
        AssetFetcher().fetch(f"file://{templates}/../../../../etc/passwd")


def test_fetcher_serves_the_package_stylesheet() -> None:
    css = Path(briefing.__file__).parent / "templates" / "briefing.css"
    response = AssetFetcher().fetch(css.as_uri())
    assert response.read() == css.read_bytes()


class _Counter(http.server.BaseHTTPRequestHandler):
    hits: list[str] = []

    def do_GET(self) -> None:  # noqa: N802 (http.server's name)
        self.hits.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "image/png")
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def local_server() -> Iterator[str]:
    _Counter.hits = []
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Counter)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def test_rendering_html_with_remote_and_local_references_fetches_nothing(local_server: str) -> None:
    html = f"""<!DOCTYPE html><html><head><title>t</title>
    <link rel="stylesheet" href="{local_server}/style.css">
    <style>body {{ background: url({local_server}/bg.png); }}</style></head>
    <body><p>Text stays.</p><img src="{local_server}/logo.png" alt="logo">
    <img src="file:///etc/passwd" alt="secret"></body></html>"""
    pdf = render_pdf(html, identifier="test")
    assert _Counter.hits == []
    text = PdfReader(__import__("io").BytesIO(pdf)).pages[0].extract_text()
    assert "Text stays." in text
    assert "root:" not in text
