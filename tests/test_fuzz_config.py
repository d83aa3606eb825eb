"""Fuzzing briefing.yaml: any text gives a Config or one located error, never another exception."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from briefing.config import Config, load_config, packaged_sample_config
from tests.conftest import fuzz_settings
from tests.fuzzing import result_or_located_error

FUZZ = fuzz_settings()

SAMPLE = packaged_sample_config()
SAMPLE_TEXT = SAMPLE.read_text(encoding="utf-8")
SAMPLE_DATA = yaml.safe_load(SAMPLE_TEXT)
# characters that matter to YAML, and some that matter to briefing's checks
YAML_CHARS = st.sampled_from(
    list("{}[]:,&*!|>-'\"#%@`?\\ \n\t") + list("aZ09.eE+_/") + ["\u00e9", "\x00", "\u2028"]
)


def key_paths(value: Any, prefix: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    yield prefix
    if isinstance(value, dict):
        for key, child in value.items():
            yield from key_paths(child, (*prefix, key))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            yield from key_paths(child, (*prefix, index))


PATHS = [p for p in key_paths(SAMPLE_DATA) if p]
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**400), max_value=10**400),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=30),
    st.sampled_from(
        ["99.9%", "150%", "2026-13", "{service}", "{team}", "%Q", "../x", "/etc/passwd"]
    ),
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=6,
)


@pytest.fixture(scope="module")
def folder() -> Iterator[Path]:
    with tempfile.TemporaryDirectory() as name:
        shutil.copytree(SAMPLE.parent, Path(name) / "ws")
        yield Path(name) / "ws"


def replace_at(data: Any, path: tuple[Any, ...], value: Any) -> None:
    target = data
    for step in path[:-1]:
        target = target[step]
    target[path[-1]] = value


def check(folder: Path, text: str) -> None:
    config = folder / "briefing.yaml"
    config.write_text(text, encoding="utf-8", errors="surrogatepass")
    outcome = result_or_located_error(lambda: load_config(config))
    if isinstance(outcome, Config):
        assert outcome.organization.strip()
        assert outcome.services or outcome.sources.slos


@FUZZ
@given(changes=st.lists(st.tuples(st.sampled_from(PATHS), VALUES), max_size=4))
def test_fuzz_config_values(folder: Path, changes: list[tuple[tuple[Any, ...], Any]]) -> None:
    import copy

    data = copy.deepcopy(SAMPLE_DATA)
    for path, value in changes:
        try:
            replace_at(data, path, value)
        except (KeyError, IndexError, TypeError):
            continue  # an earlier change replaced a parent of this path
    check(folder, yaml.safe_dump(data, allow_unicode=True))


@FUZZ
@given(
    edits=st.lists(
        st.tuples(
            st.integers(min_value=0, max_value=len(SAMPLE_TEXT)),
            st.integers(min_value=0, max_value=40),
            st.text(YAML_CHARS, max_size=12),
        ),
        max_size=5,
    )
)
def test_fuzz_config_text(folder: Path, edits: list[tuple[int, int, str]]) -> None:
    text = SAMPLE_TEXT
    for at, cut, insert in edits:
        text = text[:at] + insert + text[at + cut :]
    check(folder, text)
