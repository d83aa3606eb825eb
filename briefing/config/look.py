"""Config stage: the checks of the report's look (`report.templates`, `logo`, `palette`, `pdf_variant`).

Each bad value is a problem at its YAML line, reported with the file's other problems.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from briefing.config.fields import FieldChecker, hex_colour, image_media_type
from briefing.config.values import MAX_LOGO_BYTES, PALETTE_KEYS, PDF_VARIANTS, Palette


class LookChecker(FieldChecker):
    """Checks of the values that change how the briefing looks, not what it says."""

    def template_folder(self, value: Any) -> Path | None:
        text = self.string(value, "report.templates")
        if not text:
            return None
        path = Path(text) if Path(text).is_absolute() else self.path.parent / text
        if not self.inside_workspace(path, text, "report.templates"):
            return None
        if path.exists() and not path.is_dir():
            self.problem(
                "report.templates",
                f"is a file, not a folder: {path} (the folder of templates that replace "
                "the packaged ones by name; `briefing init --templates` starts one)",
            )
            return None
        if not path.is_dir():
            self.problem(
                "report.templates",
                f"folder not found: {path} (run `briefing init --templates` to start one)",
            )
            return None
        return path

    def logo(self, value: Any) -> Path | None:
        if value is None:
            return None
        path = self.existing_file(value, "report.logo")
        if path is None:
            return None
        if not path.is_file():
            self.problem("report.logo", f"{path} is not a file")
            return None
        size = path.stat().st_size
        if size > MAX_LOGO_BYTES:
            self.problem(
                "report.logo",
                f"{path.name} is {size:,} bytes; a logo may be at most {MAX_LOGO_BYTES:,} (1 MB)",
            )
            return None
        if image_media_type(path.read_bytes()) is None:
            self.problem("report.logo", f"{path.name} is neither a PNG nor an SVG image")
            return None
        return path

    def palette(self, value: Any) -> Palette:
        data = self.mapping(value, "report.palette")
        self.keys(data, set(PALETTE_KEYS), "report.palette")
        colours: dict[str, str] = {}
        for key in PALETTE_KEYS:
            text = self.string(data.get(key), f"report.palette.{key}")
            if text is None:
                continue
            colour = hex_colour(text)
            if colour is None:
                self.problem(
                    f"report.palette.{key}",
                    f"{text!r} is not a colour; write it as #RRGGBB (e.g. #0072b2) or #RGB",
                )
                continue
            colours[key] = colour
        return Palette(**colours)

    def pdf_variant(self, value: Any, keypath: str) -> str | None:
        text = self.string(value, keypath)
        if not text:
            return None
        if text.lower() not in PDF_VARIANTS:
            self.problem(keypath, f"unknown PDF variant {text!r}; use {', '.join(PDF_VARIANTS)}")
            return None
        return text.lower()
