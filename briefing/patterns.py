"""Patterns run over untrusted text, in a linear-time engine (RE2), shared by config and translate.

Incident titles, ids and owners come from exports anyone who can open an
incident controls. Python's `re` backtracks: a crafted 3 KB title can take
minutes on an innocent-looking pattern, and a configured `redact_patterns`
entry like `(a+)+$` can hang the build. RE2 (google-re2) guarantees time
linear in the text for every pattern it accepts; it refuses the constructs
that need backtracking (look-arounds, back-references), and the config check
says so. Callers cut untrusted values to `MAX_TEXT` characters before
running patterns over them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import re2

MAX_TEXT = 200_000  # characters of one value a pattern is run over
MAX_PATTERN = 2_000  # characters of one configured pattern
_OPTIONS = re2.Options()
_OPTIONS.log_errors = False  # refused patterns are reported by `check_pattern`, not on stderr
_OPTIONS.max_mem = 8 << 20  # a pattern whose automaton needs more is refused


class PatternError(ValueError):
    """A pattern the linear-time engine cannot run."""


class Pattern:
    """A compiled pattern; `sub` never backtracks, whatever the text."""

    def __init__(self, source: str) -> None:
        if len(source) > MAX_PATTERN:
            raise PatternError(f"longer than {MAX_PATTERN:,} characters")
        try:
            self._compiled: Any = re2.compile(source, options=_OPTIONS)
        except re2.error as err:
            raise PatternError(_reason(err)) from None
        self.source = source

    def sub(self, replacement: str | Callable[[Any], str], text: str) -> str:
        result: str = self._compiled.sub(replacement, text)
        return result


def check_pattern(source: str) -> str | None:
    """Why `source` cannot be used as a pattern over untrusted text, or None when it can."""
    try:
        Pattern(source)
    except PatternError as err:
        return str(err)
    return None


def _reason(err: Exception) -> str:
    text = err.args[0] if err.args else str(err)
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    text = str(text)
    if "(?<" in text or "(?=" in text or "(?!" in text or "perl operator" in text:
        return f"{text} (look-arounds are not supported: patterns run in linear time)"
    if "escape sequence" in text and "\\" in text:
        return f"{text} (back-references are not supported: patterns run in linear time)"
    return text
