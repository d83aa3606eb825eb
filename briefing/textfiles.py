"""Reading YAML and JSON files with positions, for every stage that reads them.

YAML is parsed once into its node tree (for line and column marks) and the
safe-constructed data; a syntax error becomes one `BriefingError` naming the
file, line and column.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml

from briefing.errors import BriefingError, Location

MAX_INPUT_BYTES = 2_000_000_000
_YAML_HINT = "check indentation and quoting"


def check_size(path: Path, limit: int = MAX_INPUT_BYTES) -> None:
    size = path.stat().st_size
    if size > limit:
        raise BriefingError(
            f"file is {size:,} bytes, over the {limit:,}-byte limit",
            where=Location(path),
            hint="export a shorter time range, or use Parquet or the Prometheus API for large metrics",
        )


def _yaml_error(err: yaml.YAMLError, path: Path) -> BriefingError:
    if isinstance(err, yaml.MarkedYAMLError) and err.problem_mark is not None:
        mark = err.problem_mark
        return BriefingError(
            f"not valid YAML: {err.problem}",
            where=Location(path, mark.line + 1, mark.column + 1),
            hint=_YAML_HINT,
        )
    return BriefingError(f"not valid YAML: {err}", where=Location(path), hint=_YAML_HINT)


def parse_yaml(text: str, path: Path) -> tuple[yaml.Node | None, Any]:
    """One YAML document: its node tree (marks) and its safe-loaded data."""
    loader = yaml.SafeLoader(text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except yaml.YAMLError as err:
        raise _yaml_error(err, path) from None
    finally:
        loader.dispose()
    return node, data


def parse_yaml_documents(text: str, path: Path) -> list[tuple[yaml.Node, Any]]:
    """Every document of a YAML stream (`---`), each as (node tree, data)."""
    loader = yaml.SafeLoader(text)
    documents = []
    try:
        while loader.check_node():
            node = loader.get_node()
            if node is not None:
                documents.append((node, loader.construct_document(node)))
    except yaml.YAMLError as err:
        raise _yaml_error(err, path) from None
    finally:
        loader.dispose()
    return documents


def load_json(path: Path) -> Any:
    """A JSON file's data; a syntax error names its line and column."""
    check_size(path)
    try:
        return json.loads(path.read_text(encoding="utf-8-sig"))
    except json.JSONDecodeError as err:
        raise BriefingError(
            f"not valid JSON: {err.msg}", where=Location(path, err.lineno, err.colno)
        ) from None
