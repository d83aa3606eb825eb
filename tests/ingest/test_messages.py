"""Error messages about an input file never quote its lines (its header or a row)."""

from __future__ import annotations

from pathlib import Path

import pytest
from ingest_support import write_config

from briefing.errors import BriefingError
from briefing.ingest import ingest
from briefing.ingest.messages import arrow_reason, header_summary
from briefing.model import Period

SECRET = "root:$6$SECRETHASH:20228:0:99999:7:::"


@pytest.mark.parametrize(
    ("kind", "entry", "content", "expected"),
    [
        (
            "incidents",
            "format: csv",
            f"{SECRET}\nx\n",
            "column 'id' not found; line 1 has 1 column",
        ),
        ("metrics", "format: csv", f"{SECRET}\nx\n", "missing column(s) timestamp"),
        (
            "metrics",
            "format: csv",
            f"timestamp,service\n{SECRET},b,c\n",
            "cannot read as CSV: CSV parse error: Expected 2 columns, got 3",
        ),
        ("risks", "format: csv", f"{SECRET}\nx\n", "missing column(s) id"),
        ("controls", "format: csv", f"{SECRET}\nx\n", "column 'date' not found; line 1 has 1"),
    ],
)
def test_a_file_read_by_mistake_is_not_quoted(
    tmp_path: Path, kind: str, entry: str, content: str, expected: str
) -> None:
    secret_file = tmp_path / "shadow"
    secret_file.write_text(content, encoding="utf-8")
    config = write_config(tmp_path, f"  {kind}:\n    - {{path: {secret_file}, {entry}}}\n")
    with pytest.raises(BriefingError) as caught:
        ingest(config, Period(2026, 10, "UTC"))
    text = str(caught.value)
    assert "SECRETHASH" not in text
    assert "20228" not in text
    assert expected in text
    assert caught.value.where is not None
    assert Path(caught.value.where.path) == secret_file


def test_the_summary_and_reason_keep_only_counts() -> None:
    assert header_summary(["a"]) == "line 1 has 1 column"
    assert header_summary(["a", "b", "c"]) == "line 1 has 3 columns"
    err = ValueError("CSV parse error: Expected 4 columns, got 3: 2026-10-05T13:00:00Z,checkout,1")
    assert arrow_reason(err) == "CSV parse error: Expected 4 columns, got 3"
    assert (
        arrow_reason(ValueError("CSV parse error: something else: row text")) == "CSV parse error"
    )
