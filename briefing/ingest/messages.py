"""Ingest stage: what an error message may say about an input file's content.

A message names the file, the line and the column, and what to fix; it never
quotes the file's lines (its header or a row), so a misconfigured path cannot
print the content of a file the runner can read into a terminal or CI log.
"""

from __future__ import annotations

import re

_ARROW_ROW_ECHO = re.compile(r"^(CSV parse error: [^:]*?columns?, got \d+)")


def header_summary(names: list[str]) -> str:
    """ "line 1 has 3 columns", without their names."""
    count = len(names)
    return f"line 1 has {count} column{'' if count == 1 else 's'}"


def arrow_reason(err: Exception) -> str:
    """pyarrow's reason for refusing a file, without the row it quotes."""
    text = str(err).splitlines()[0] if str(err) else type(err).__name__
    cut = _ARROW_ROW_ECHO.match(text)
    if cut:
        return cut.group(1)
    if text.startswith("CSV parse error:"):
        return "CSV parse error"
    return text
