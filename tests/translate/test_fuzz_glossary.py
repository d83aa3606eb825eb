"""Fuzzing glossary files and lookups: problems with a location, never another exception."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from briefing.errors import BriefingError
from briefing.translate.glossary import (
    FIELDS,
    Glossary,
    load_glossary,
    validate_glossary_files,
)
from tests.conftest import fuzz_settings
from tests.fuzzing import result_or_located_error, time_limit

FUZZ = fuzz_settings()

SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**20), max_value=10**20),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=80),
    st.sampled_from(["SLO", "error budget", "SLOs", "uptime", "MTTR", "a " * 50]),
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=8,
)
ENTRY = st.dictionaries(st.sampled_from([*FIELDS, "terms", "note"]), VALUES, max_size=9)
TEXT_CHARS = st.sampled_from(list("{}[]:,&*!|>-'\"#%@` \n\t") + list("aZ09.") + ["\u00e9"])


DEFAULT: Glossary = load_glossary()


@pytest.fixture(scope="module")
def folder() -> Iterator[Path]:
    with tempfile.TemporaryDirectory() as name:
        yield Path(name)


def check(path: Path) -> None:
    """The file alone (the packaged lexicon is the same in every example, and slow to re-read)."""
    outcome = result_or_located_error(
        lambda: validate_glossary_files([path], include_default=False)
    )
    assert not isinstance(outcome, BriefingError)  # problems are listed, not raised
    for where, message in outcome:
        assert str(where.path)
        assert message.strip()


@FUZZ
@given(
    document=st.one_of(
        st.fixed_dictionaries({"terms": st.lists(ENTRY, max_size=4)}),
        st.lists(ENTRY, max_size=3),
        VALUES,
    )
)
def test_fuzz_glossary_entries(folder: Path, document: Any) -> None:
    path = folder / "glossary.yaml"
    path.write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")
    check(path)


VALID = "terms:\n  - term: Blast radius\n    definition: How much breaks when one part breaks.\n    say_instead: reach of a failure\n    metaphor: A fuse that takes out one room, not the house.\n    why_it_matters: Smaller means cheaper failures.\n    related: [SLO]\n"


@FUZZ
@given(
    edits=st.lists(
        st.tuples(
            st.integers(min_value=0, max_value=len(VALID)),
            st.integers(min_value=0, max_value=20),
            st.text(TEXT_CHARS, max_size=10),
        ),
        max_size=4,
    )
)
def test_fuzz_glossary_text(folder: Path, edits: list[tuple[int, int, str]]) -> None:
    text = VALID
    for at, cut, insert in edits:
        text = text[:at] + insert + text[at + cut :]
    path = folder / "glossary.yaml"
    path.write_text(text, encoding="utf-8")
    check(path)


@FUZZ
@given(word=st.one_of(st.text(max_size=300), st.text(st.sampled_from("aeo -"), max_size=5000)))
def test_fuzz_lookup_and_suggest(word: str) -> None:
    glossary = DEFAULT
    with time_limit(2.0):
        entry = glossary.lookup(word)
        close = glossary.suggest(word)
    assert entry is None or word.strip()
    assert len(close) <= 3
    assert all(isinstance(term, str) for term in close)
