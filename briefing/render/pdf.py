"""Render stage: the briefing's HTML laid out as a PDF by WeasyPrint, fetching nothing.

Follows WeasyPrint's own split: `HTML(...).render()` gives the pages (inspected
here for the page count), then `write_pdf()`. The URL fetcher refuses every URL,
network or file, except files inside the package's own templates and assets.
Dates come from the page's `dcterms.created` meta and the identifier is fixed, so
the same HTML gives the same bytes.
"""

from __future__ import annotations

import logging
from importlib import resources
from pathlib import Path
from urllib.parse import unquote, urlsplit

from weasyprint import CSS, HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

log = logging.getLogger(__name__)

# Footnotes only in the PDF: browsers do not know `float: footnote`, so the screen
# (and a browser's print) keeps the definitions as tooltips instead.
PDF_ONLY_CSS = ".fn { display: inline !important; float: footnote !important; }"


class URLRefused(ValueError):
    """A URL the briefing's PDF renderer will not fetch."""


def _asset_roots() -> tuple[Path, ...]:
    package = Path(str(resources.files("briefing")))
    return tuple((package / name).resolve() for name in ("templates", "assets"))


class AssetFetcher(URLFetcher):  # type: ignore[misc]  # WeasyPrint ships no type information
    """Serves files of the package's templates/ and assets/; refuses everything else."""

    def __init__(self) -> None:
        super().__init__(allowed_protocols=("file",), allow_redirects=False)
        self.refused: list[str] = []

    def fetch(self, url: str, headers: dict[str, str] | None = None) -> URLFetcherResponse:
        parts = urlsplit(url)
        if parts.scheme == "file" and parts.netloc in ("", "localhost"):
            path = Path(unquote(parts.path)).resolve()
            if any(path.is_relative_to(root) for root in _asset_roots()) and path.is_file():
                return URLFetcherResponse(url, path.read_bytes(), {})
        self.refused.append(url)
        log.warning("Refused to fetch %s while rendering the PDF", url)
        raise URLRefused(f"refused to fetch {url}: only the package's own assets are read")


def render_pdf(html: str, *, identifier: str) -> bytes:
    """The PDF of `html`; `identifier` (e.g. "briefing-2026-10") becomes the PDF's file id."""
    fetcher = AssetFetcher()
    document = HTML(string=html, url_fetcher=fetcher).render(
        stylesheets=[CSS(string=PDF_ONLY_CSS, url_fetcher=fetcher)]
    )
    log.info("PDF laid out: %d pages", len(document.pages))
    pdf = document.write_pdf(pdf_identifier=identifier.encode("ascii", "replace"))
    assert isinstance(pdf, bytes)
    return pdf
