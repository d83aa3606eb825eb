"""Config stage: YAML key paths with their lines, and the checks of single values.

`FieldChecker` collects problems (key path, line, column, message) instead of
raising, so every problem of a file is reported at once.
"""

from __future__ import annotations

import math
import re
import string
import zoneinfo
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml

from briefing.errors import Location
from briefing.textfiles import parse_yaml


def parse_with_marks(text: str, path: Path) -> tuple[dict[str, tuple[int, int]], Any]:
    """Safe-load YAML and remember the (line, column) of every key path."""
    node, data = parse_yaml(text, path)
    marks: dict[str, tuple[int, int]] = {}

    def walk(n: yaml.Node | None, keypath: str) -> None:
        if n is None:
            return
        marks.setdefault(keypath, (n.start_mark.line + 1, n.start_mark.column + 1))
        if isinstance(n, yaml.MappingNode):
            for key_node, value_node in n.value:
                base = keypath.removesuffix("=")
                child = f"{base}.{key_node.value}" if base else str(key_node.value)
                marks[child] = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
                walk(value_node, child + "=")
        elif isinstance(n, yaml.SequenceNode):
            for index, item in enumerate(n.value):
                walk(item, f"{keypath.removesuffix('=')}[{index}]")

    walk(node, "")
    # value marks were stored under "key=": keep key marks, fall back to value marks
    clean: dict[str, tuple[int, int]] = {}
    for key, mark in marks.items():
        clean.setdefault(key.removesuffix("="), mark)
    return clean, data


PERCENT = re.compile(r"^\s*([0-9]+(?:\.[0-9]+)?)\s*%\s*$")
SERVICE_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.:-]*$")
ENV_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
EMAIL_ADDRESS = re.compile(r"^[^\s@<>()\[\],;:\"]+@[^\s@<>()\[\],;:\"]+\.[^\s@<>()\[\],;:\"]+$")
STRPTIME_DIRECTIVE = re.compile(r"%(?:.|$)", re.DOTALL)
STRPTIME_CODES = frozenset("aAbBcdfGHIjmMpSuUVwWxXyYzZ%")


class FieldChecker:
    """Checks single values of briefing.yaml, collecting problems with their position."""

    def __init__(
        self, path: Path, marks: dict[str, tuple[int, int]], *, allow_outside_paths: bool = False
    ) -> None:
        self.path = path
        self.marks = marks
        self.allow_outside_paths = allow_outside_paths
        self.problems: list[tuple[Location, str]] = []

    # -- helpers
    def where(self, keypath: str) -> Location:
        probe = keypath
        while probe:
            if probe in self.marks:
                line, column = self.marks[probe]
                return Location(self.path, line, column)
            probe = probe.rpartition(".")[0] if "." in probe else probe.rpartition("[")[0]
        return Location(self.path)

    def problem(self, keypath: str, message: str) -> None:
        self.problems.append((self.where(keypath), f"{keypath}: {message}" if keypath else message))

    def keys(
        self, data: Mapping[str, Any], allowed: set[str] | frozenset[str], keypath: str
    ) -> None:
        for key in data:
            if key not in allowed:
                child = f"{keypath}.{key}" if keypath else str(key)
                close = closest(str(key), allowed)
                suggestion = f" (did you mean '{close}'?)" if close else ""
                self.problem(
                    child, f"unknown key{suggestion}; allowed: {', '.join(sorted(allowed))}"
                )

    def mapping(self, value: Any, keypath: str) -> dict[str, Any]:
        if value is None:
            return {}
        if not isinstance(value, dict):
            self.problem(keypath, f"expected a mapping of keys, got {kind_of(value)}")
            return {}
        return value

    def string(
        self, value: Any, keypath: str, *, required: bool = False, default: str | None = None
    ) -> str | None:
        if value is None:
            if required:
                self.problem(keypath, "is required")
            return default
        if not isinstance(value, str | int | float) or isinstance(value, bool):
            self.problem(keypath, f"expected text, got {kind_of(value)}")
            return default
        text = str(value).strip()
        if "\x00" in text:
            self.problem(keypath, "holds a NUL character (\\0)")
            return default
        if required and not text:
            self.problem(keypath, "must not be empty")
        return text

    def number(
        self,
        value: Any,
        keypath: str,
        *,
        default: float | None = None,
        low: float | None = None,
        high: float | None = None,
        low_open: bool = False,
        high_open: bool = False,
        required: bool = False,
        percent: bool = False,
        whole: bool = False,
    ) -> float | None:
        if value is None:
            if required:
                self.problem(keypath, "is required")
            return default
        number: float
        written = PERCENT.match(value) if percent and isinstance(value, str) else None
        if written is not None:
            # 99.9 / 100 is 0.9990000000000001 in binary; round to the precision a percent can carry
            number = round(float(written.group(1)) / 100.0, 12)
        elif isinstance(value, bool) or not isinstance(value, int | float):
            self.problem(keypath, f"expected a number, got {kind_of(value)} {value!r}")
            return default
        else:
            try:
                number = float(value)
            except OverflowError:  # an integer beyond any float
                number = math.inf
        if not math.isfinite(number):
            self.problem(keypath, f"must be a finite number, got {value!r}")
            return default
        if low is not None and (number <= low if low_open else number < low):
            self.problem(keypath, f"must be {'>' if low_open else '>='} {low:g}, got {number:g}")
            return default
        if high is not None and (number >= high if high_open else number > high):
            self.problem(keypath, f"must be {'<' if high_open else '<='} {high:g}, got {number:g}")
            return default
        if whole and number != int(number):
            self.problem(keypath, f"expected a whole number, got {number:g}")
            return default
        return number

    def string_list(self, value: Any, keypath: str) -> tuple[str, ...]:
        if value is None:
            return ()
        if isinstance(value, str):
            return (value,)
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.problem(keypath, "expected a list of text")
            return ()
        return tuple(value)

    def existing_file(self, value: Any, keypath: str) -> Path | None:
        """An input file, relative to briefing.yaml; inside its folder unless allowed outside."""
        text = self.string(value, keypath, required=True)
        if not text:
            return None
        path = Path(text)
        if not path.is_absolute():
            path = self.path.parent / path
        if not self.inside_workspace(path, text, keypath):
            return None
        if not path.is_file():
            what = (
                "is a folder, not a file"
                if path.is_dir()
                else "is not a regular file (a pipe or a device)"
                if path.exists()
                else "file not found"
            )
            self.problem(keypath, f"{what}: {path}")
            return None
        return path

    def inside_workspace(self, path: Path, text: str, keypath: str) -> bool:
        """True if `path` (links followed) is in the config's folder, or outside paths are allowed."""
        if self.allow_outside_paths or _inside(path, self.path.parent):
            return True
        self.problem(
            keypath,
            f"{text} is outside the workspace (the folder of {self.path.name}); "
            "set allow_outside_paths: true in briefing.yaml to read files elsewhere",
        )
        return False

    def template(self, value: Any, keypath: str, known: tuple[str, ...]) -> str | None:
        """A text with {placeholders}: each one must be one of `known`, written plainly."""
        text = self.string(value, keypath)
        if text is None:
            return None
        listed = ", ".join("{" + name + "}" for name in known)
        try:
            fields = [
                field + (f"!{conv}" if conv else "") + (f":{spec}" if spec else "")
                for _, field, spec, conv in string.Formatter().parse(text)
                if field is not None and not (field in known and not spec and not conv)
            ]
        except ValueError as err:
            self.problem(
                keypath, f"not a valid template ({err}); use {listed}, and {{{{ }}}} for a brace"
            )
            return None
        if fields:
            shown = ", ".join("{" + shorten(f) + "}" for f in fields)
            self.problem(
                keypath,
                f"unknown placeholder(s) {shown}; known: {listed} (written plainly, "
                "without attributes, indexes or formats)",
            )
            return None
        return text

    def timestamp_format(self, value: Any, keypath: str) -> str | None:
        """A strptime format: every %-directive one Python's strptime knows."""
        text = self.string(value, keypath)
        if text is None:
            return None
        bad = [d for d in STRPTIME_DIRECTIVE.findall(text) if d[1:] not in STRPTIME_CODES]
        if bad or not text.strip():
            self.problem(
                keypath,
                f"{', '.join(repr(d) for d in bad) or 'an empty format'} is not a strptime "
                'directive (e.g. "%d/%b/%y %I:%M %p")',
            )
            return None
        return text

    def address(self, value: str, keypath: str) -> None:
        """One plain e-mail address: no name, no spaces or line breaks (they would forge headers)."""
        if not EMAIL_ADDRESS.match(value):
            self.problem(
                keypath, f"{shorten(value)!r} is not one plain email address (name@example.com)"
            )

    # -- sections

    def currency(self, value: Any) -> str:
        from babel.numbers import list_currencies

        code = self.string(value, "currency", default="EUR") or "EUR"
        if code.upper() not in list_currencies():
            self.problem(
                "currency", f"{code!r} is not an ISO 4217 currency code (e.g. EUR, USD, GBP)"
            )
            return "EUR"
        return code.upper()

    def locale(self, value: Any) -> str:
        from babel import Locale, UnknownLocaleError

        name = self.string(value, "locale", default="en_GB") or "en_GB"
        try:
            Locale.parse(name.replace("-", "_"))
        except (UnknownLocaleError, ValueError):
            self.problem("locale", f"unknown locale {name!r} (e.g. en_GB, en_US, de_DE)")
            return "en_GB"
        return name.replace("-", "_")

    def period(self, value: Any, keypath: str) -> str | None:
        """A period label (2026-10, 2026-Q3, 2026, 2026-W05), written as briefing labels it."""
        label = self.string(value, keypath)
        if not label:
            return None
        from briefing.errors import BriefingError
        from briefing.periods import Period

        try:
            return Period.parse(label).label
        except BriefingError as err:
            self.problem(keypath, err.message.removeprefix("period "))
            return None

    def timezone(self, value: Any, keypath: str) -> str | None:
        name = self.string(value, keypath)
        if name is None:
            return None
        try:
            zoneinfo.ZoneInfo(name)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            self.problem(keypath, f"unknown IANA time zone {name!r} (e.g. UTC, Europe/Amsterdam)")
            return None
        return name


HEX_COLOUR = re.compile(r"^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$")


def hex_colour(text: str) -> str | None:
    """`#abc` or `#AABBCC` as `#aabbcc`; None when `text` is not a hex colour."""
    if not HEX_COLOUR.match(text):
        return None
    digits = text[1:].lower()
    return "#" + ("".join(c * 2 for c in digits) if len(digits) == 3 else digits)


def image_media_type(data: bytes) -> str | None:
    """The media type of an image by its content (image/png, image/svg+xml), else None."""
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith(b"<"):
        import io
        import xml.etree.ElementTree as ET

        try:
            for _event, element in ET.iterparse(io.BytesIO(data), ("start",)):
                return "image/svg+xml" if element.tag.rpartition("}")[2] == "svg" else None
        except ET.ParseError:
            return None
    return None


def iso_day(value: Any) -> Any:
    import datetime as _datetime

    return value.isoformat() if isinstance(value, _datetime.date) else value


def kind_of(value: Any) -> str:
    return {
        dict: "a mapping",
        list: "a list",
        str: "text",
        bool: "true/false",
        int: "a number",
        float: "a number",
        type(None): "nothing",
    }.get(type(value), type(value).__name__)


def _inside(path: Path, folder: Path) -> bool:
    try:
        path.resolve().relative_to(folder.resolve())
    except (ValueError, OSError, RuntimeError):
        return False
    return True


def shorten(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def closest(word: str, options: set[str] | frozenset[str]) -> str | None:
    import difflib

    matches = difflib.get_close_matches(word, sorted(options), n=1, cutoff=0.6)
    return matches[0] if matches else None
