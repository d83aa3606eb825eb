"""Render stage: the briefing's HTML laid out as a tagged PDF by WeasyPrint, fetching nothing.

Follows WeasyPrint's own split: `HTML(...).render()` gives the pages (inspected
here for the page count), then `write_pdf()`. The URL fetcher refuses every URL,
network or file, except files inside the package's own templates and assets and
PNG or SVG `data:` URIs (the logo), which hold their bytes and reach nothing.
Dates come from the page's `dcterms.created` meta (attachments get the period's
end) and the identifier is fixed, so the same HTML gives the same bytes.

The PDF is tagged (structure tree, language, title, table headers, each chart's
<title> as its alternate text). The variant `pdf/a-3b` is the archival one:
fonts embedded, sRGB output intent, XMP metadata saying PDF/A part 3, and the
attachments given (the briefing's JSON) embedded as associated files.
"""

from __future__ import annotations

import base64
import io
import logging
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path
from urllib.parse import unquote, unquote_to_bytes, urlsplit

from weasyprint import CSS, HTML, Attachment
from weasyprint.urls import URLFetcher, URLFetcherResponse

log = logging.getLogger(__name__)

# Footnotes only in the PDF: browsers do not know `float: footnote`, so the screen
# (and a browser's print) keeps the definitions as tooltips instead.
PDF_ONLY_CSS = ".fn { display: inline !important; float: footnote !important; }"


# The logo's data: URIs: the bytes are in the URI itself, nothing is reached.
DATA_IMAGES = ("data:image/png;", "data:image/svg+xml;")


class URLRefused(ValueError):
    """A URL the briefing's PDF renderer will not fetch."""


def _asset_roots() -> tuple[Path, ...]:
    package = Path(str(resources.files("briefing")))
    return tuple((package / name).resolve() for name in ("templates", "assets"))


class AssetFetcher(URLFetcher):  # type: ignore[misc]  # WeasyPrint ships no type information
    """Serves files of the package's templates/ and assets/ and image data: URIs; refuses the rest."""

    def __init__(self) -> None:
        super().__init__(allowed_protocols=("file",), allow_redirects=False)
        self.refused: list[str] = []

    def fetch(self, url: str, headers: dict[str, str] | None = None) -> URLFetcherResponse:
        if url.startswith(DATA_IMAGES):
            media_type, body = _data_uri(url)
            return URLFetcherResponse(url, body, {"Content-Type": media_type})
        parts = urlsplit(url)
        if parts.scheme == "file" and parts.netloc in ("", "localhost"):
            path = Path(unquote(parts.path)).resolve()
            if any(path.is_relative_to(root) for root in _asset_roots()) and path.is_file():
                return URLFetcherResponse(url, path.read_bytes(), {})
        self.refused.append(url)
        log.warning("Refused to fetch %s while rendering the PDF", url)
        raise URLRefused(f"refused to fetch {url}: only the package's own assets are read")


def _data_uri(url: str) -> tuple[str, bytes]:
    """The media type and bytes a `data:` URI holds (RFC 2397)."""
    header, _, payload = url[len("data:") :].partition(",")
    media_type = header.split(";")[0] or "text/plain"
    if header.endswith(";base64"):
        return media_type, base64.b64decode(payload)
    return media_type, unquote_to_bytes(payload)


def render_pdf(
    html: str,
    *,
    identifier: str,
    variant: str | None = None,
    attachments: dict[str, bytes] | None = None,
    created: str | None = None,
) -> bytes:
    """The tagged PDF of `html`; `identifier` (e.g. "briefing-2026-10") becomes its file id.

    `variant` "pdf/a-3b" makes it archival; `attachments` (name -> bytes) are embedded,
    dated `created` (ISO), so the same input gives the same bytes.
    """
    fetcher = AssetFetcher()
    options = {"pdf_tags": True, "pdf_variant": variant}
    document = HTML(string=html, url_fetcher=fetcher).render(
        stylesheets=[CSS(string=PDF_ONLY_CSS, url_fetcher=fetcher)], **options
    )
    log.info("PDF laid out: %d pages", len(document.pages))
    when = datetime.fromisoformat(created) if created else datetime(2000, 1, 1, tzinfo=UTC)
    files = [
        Attachment(
            file_obj=io.BytesIO(data),
            name=name,
            created=when,
            modified=when,
            relationship="Data",
        )
        for name, data in (attachments or {}).items()
    ]
    pdf = document.write_pdf(
        pdf_identifier=identifier.encode("ascii", "replace"), attachments=files, **options
    )
    assert isinstance(pdf, bytes)
    return pdf
