"""Render stage: `briefing-<period label>.json`, every figure, and the JSON Schema it follows.

`dataclasses.asdict(briefing)` through one encoder: key order is the field order of
`briefing.model`, floats are rounded (12 significant digits, at most 6 decimals) so
that summation noise never changes the bytes, and NaN or infinity become null.
"""

from __future__ import annotations

import dataclasses
import functools
import json
import math
from importlib import resources
from typing import TYPE_CHECKING, Any

import jsonschema_rs

from briefing.errors import BriefingError, Location
from briefing.model import Briefing

if TYPE_CHECKING:
    import jsonschema

SCHEMA_PATH = "schema/briefing.schema.json"


def _clean(value: Any) -> Any:
    """Plain JSON values: rounded finite floats, lists for tuples, string keys.

    Dataclasses become dicts in field order on the way (one pass, where
    `dataclasses.asdict` would first deep-copy every value).
    """
    if isinstance(value, bool) or value is None or isinstance(value, int | str):
        return value
    if isinstance(value, float):
        if not math.isfinite(value):
            return None
        rounded = round(float(f"{value:.12g}"), 6)
        return 0.0 if rounded == 0 else rounded
    if isinstance(value, dict):
        return {str(k): _clean(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_clean(v) for v in value]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {name: _clean(getattr(value, name)) for name in _field_names(type(value))}
    if hasattr(value, "item"):  # a numpy scalar that slipped through
        return _clean(value.item())
    return str(value)


@functools.cache
def _field_names(kind: type) -> tuple[str, ...]:
    return tuple(f.name for f in dataclasses.fields(kind))


def briefing_data(briefing: Briefing) -> dict[str, Any]:
    """The briefing as JSON-ready values, in the model's field order."""
    data: dict[str, Any] = _clean(briefing)
    return data


def render_json(briefing: Briefing) -> bytes:
    """Pretty, stable JSON bytes (UTF-8, indent 2, trailing newline)."""
    text = json.dumps(briefing_data(briefing), indent=2, ensure_ascii=False, allow_nan=False)
    return (text + "\n").encode("utf-8")


@functools.cache
def _schema_text() -> str:
    return resources.files("briefing").joinpath(SCHEMA_PATH).read_text("utf-8")


def schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of `briefing-<period label>.json`, a fresh copy."""
    loaded: dict[str, Any] = json.loads(_schema_text())
    return loaded


@functools.cache
def _validator() -> jsonschema.Draft202012Validator:
    """The pure-Python validator, for its messages: imported only for an invalid document."""
    import jsonschema  # a tenth of a second that no valid build needs

    loaded = schema()
    jsonschema.Draft202012Validator.check_schema(loaded)
    return jsonschema.Draft202012Validator(loaded)


@functools.cache
def _fast_validator() -> jsonschema_rs.Draft202012Validator:
    return jsonschema_rs.Draft202012Validator(schema())


def validate_json(data: dict[str, Any]) -> None:
    """Raise one BriefingError listing every place `data` breaks the schema.

    A valid document (every build's) is confirmed by jsonschema-rs, a compiled
    validator: jsonschema itself takes tens of seconds over 20,000 incidents.
    Only an invalid one is walked again by jsonschema, for its messages.
    """
    if _fast_validator().is_valid(data):
        return
    errors = sorted(_validator().iter_errors(data), key=lambda e: [str(p) for p in e.absolute_path])
    if not errors:
        return
    lines = [f"{e.json_path}: {e.message}" for e in errors[:20]]
    if len(errors) > 20:
        lines.append(f"... and {len(errors) - 20} more")
    raise BriefingError(
        "the briefing JSON does not match its schema:\n  " + "\n  ".join(lines),
        where=Location("briefing.schema.json"),
        hint="the JSON was produced by another version of briefing, or edited by hand",
    )
