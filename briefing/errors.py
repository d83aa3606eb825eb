"""The one error type of briefing, with the position it concerns and a next step.

Every stage raises `BriefingError` for bad input; the CLI catches it in one place,
prints `str(err)` to stderr and exits 1. Anything else is a bug and keeps its
traceback.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, slots=True)
class Location:
    """Where a problem is: a file, and where known a 1-based line and a column."""

    path: Path | str
    line: int | None = None
    column: int | str | None = None

    def __str__(self) -> str:
        text = str(self.path)
        if self.line is not None:
            text += f":{self.line}"
            if self.column is not None:
                text += f":{self.column}"
        elif self.column is not None:
            text += f": column {self.column}"
        return text


class BriefingError(Exception):
    """Bad input or a failed delivery: one clear message, exit 1."""

    def __init__(self, message: str, *, where: Location | None = None, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.where = where
        self.hint = hint

    def __str__(self) -> str:
        text = f"{self.where}: {self.message}" if self.where is not None else self.message
        if self.hint:
            text += f"\n  hint: {self.hint}"
        return text


class ConfigError(BriefingError):
    """One or more problems in briefing.yaml, reported together."""

    def __init__(self, problems: list[tuple[Location, str]], *, hint: str = "") -> None:
        self.problems = problems
        lines = [f"{where}: {message}" for where, message in problems]
        super().__init__("\n".join(lines), hint=hint)

    def __str__(self) -> str:
        text = self.message
        if self.hint:
            text += f"\n  hint: {self.hint}"
        return text


class DeliveryError(BriefingError):
    """Email could not be delivered (permanent SMTP failure, bad credentials)."""
