"""Ingest stage: the author's note for a period, `commentary/<label>.md` beside the config.

Read as UTF-8 Markdown source and handed on as is; the render stage turns it
into HTML with raw HTML disabled, and the build lints it like page 1. No file
means no note.
"""

from __future__ import annotations

from pathlib import Path

from briefing.config import Config
from briefing.errors import BriefingError, Location
from briefing.model import Commentary, Period

COMMENTARY_FOLDER = "commentary"
MAX_COMMENTARY_BYTES = 20_000  # a note under the headline, not a report


def commentary_path(config: Config, period: Period) -> Path:
    return config.base_dir / COMMENTARY_FOLDER / f"{period.label}.md"


def read_commentary(config: Config, period: Period) -> Commentary | None:
    """The period's note, or None when the author wrote none."""
    path = commentary_path(config, period)
    if path.is_dir():
        raise BriefingError(
            "the author's note is a folder, not a file",
            where=Location(path),
            hint=f"write the note as the Markdown file {COMMENTARY_FOLDER}/{period.label}.md, "
            "or remove the folder",
        )
    if not path.is_file():
        return None
    size = path.stat().st_size
    if size > MAX_COMMENTARY_BYTES:
        raise BriefingError(
            f"the author's note is {size:,} bytes, over the {MAX_COMMENTARY_BYTES:,}-byte limit",
            where=Location(path),
            hint="keep the note to a few paragraphs; it prints on page 1 under the headline",
        )
    data = path.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = data[: err.start].count(b"\n") + 1
        raise BriefingError(
            "the author's note is not UTF-8 text",
            where=Location(path, line),
            hint="save the file as UTF-8",
        ) from None
    text = text.replace("\r\n", "\n").rstrip()  # leading lines kept: the lint counts lines
    if not text.strip():
        return None
    return Commentary(path=f"{COMMENTARY_FOLDER}/{period.label}.md", markdown=text)
