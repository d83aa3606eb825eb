"""tests/data/real-world is an unedited copy of the shared real-world files."""

from __future__ import annotations

from pathlib import Path

import pytest

COPY = Path(__file__).resolve().parent / "data" / "real-world"
ORIGINAL = Path(__file__).resolve().parents[2] / "shared" / "real-world"


def files(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def test_copy_holds_the_files_the_tests_name() -> None:
    names = files(COPY)
    for expected in (
        "README.md",
        "openslo/LICENSE",
        "prometheus/good_1h.json",
        "incidents/pagerduty_rest_v2_incidents.json",
        "incidents/jira_sm_export.csv",
    ):
        assert expected in names


@pytest.mark.skipif(not ORIGINAL.is_dir(), reason="the shared folder is not beside this clone")
def test_copy_is_byte_identical_to_the_shared_original() -> None:
    assert files(COPY) == files(ORIGINAL)
