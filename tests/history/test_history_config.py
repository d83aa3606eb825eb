"""`history.path` in briefing.yaml, and where the store goes without it."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from briefing.config import load_config, packaged_sample_config
from briefing.errors import ConfigError
from briefing.history import store_path
from tests.history.history_support import make_workspace


def test_the_store_sits_beside_the_config_by_default(tmp_path: Path) -> None:
    config = load_config(make_workspace(tmp_path / "ws"))
    assert store_path(config) == tmp_path / "ws" / "history.sqlite"


def test_history_path_is_read_relative_to_the_config(tmp_path: Path) -> None:
    path = make_workspace(tmp_path / "ws")
    path.write_text(path.read_text() + "history: {path: state/figures.sqlite}\n")
    assert store_path(load_config(path)) == tmp_path / "ws" / "state" / "figures.sqlite"
    path.write_text(path.read_text().replace("state/figures.sqlite", str(tmp_path / "abs.db")))
    assert store_path(load_config(path)) == tmp_path / "abs.db"


def test_the_bundled_sample_keeps_its_store_in_the_current_folder(tmp_path: Path) -> None:
    here = Path.cwd()
    os.chdir(tmp_path)
    try:
        assert store_path(load_config(packaged_sample_config())) == tmp_path / "history.sqlite"
    finally:
        os.chdir(here)


def test_unknown_history_keys_are_named(tmp_path: Path) -> None:
    path = make_workspace(tmp_path / "ws")
    path.write_text(path.read_text() + "history: {file: x.sqlite}\n")
    with pytest.raises(ConfigError, match="history.file"):
        load_config(path)


def test_no_stage_reads_the_store() -> None:
    """The pipeline reads the store and hands plain values on; stages never import it."""
    import ast

    package = Path(__file__).resolve().parents[2] / "briefing"
    offenders = []
    for stage in ("config", "ingest", "compute", "translate", "render", "deliver"):
        for path in sorted((package / stage).rglob("*.py")):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.ImportFrom) and (node.module or "").startswith(
                    "briefing.history"
                ):
                    offenders.append(str(path.relative_to(package)))
    assert offenders == []
