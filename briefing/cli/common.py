"""Options shared by several commands, and the one place errors become exit codes."""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from briefing.errors import BriefingError

F = TypeVar("F", bound=Callable[..., Any])
DEBUG_FLAG = "--debug"


def config_option(func: F) -> F:
    return click.option(
        "--config",
        "config_path",
        type=click.Path(path_type=Path, dir_okay=False),
        default=None,
        help="Path to briefing.yaml (default: ./briefing.yaml, else the bundled sample).",
    )(func)


def period_option(func: F) -> F:
    return click.option(
        "--period",
        default=None,
        metavar="PERIOD",
        help="The period to brief on: a month 2026-10, a quarter 2026-Q3, a year 2026 or an ISO "
        "week 2026-W05 (default: the last complete period of --period-kind if given, else "
        "`period:` in the config, else the last complete month).",
    )(func)


def period_kind_option(func: F) -> F:
    return click.option(
        "--period-kind",
        type=click.Choice(["month", "quarter", "year", "week"]),
        default=None,
        help="Without --period: the last complete period of this kind, in the config's time zone "
        "(a scheduled quarterly briefing sends `--period-kind quarter`).",
    )(func)


def strict_option(func: F) -> F:
    return click.option(
        "--strict", is_flag=True, default=False, help="Fail on any rejected row or bare jargon."
    )(func)


def debug_option(func: F) -> F:
    return click.option(
        DEBUG_FLAG,
        "debug",
        is_flag=True,
        default=False,
        is_eager=True,
        callback=_set_debug,
        help="Show tracebacks for errors.",
    )(func)


def log_format_option(func: F) -> F:
    return click.option(
        "--log-format",
        type=click.Choice(["text", "json"]),
        default="text",
        show_default=True,
        help="Log lines on stderr as text, or as UTC JSON objects.",
    )(func)


class _JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        import json
        from datetime import UTC, datetime

        payload = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        return json.dumps(payload, ensure_ascii=False)


def setup_logging(log_format: str = "text", verbose: bool = False) -> None:
    """Logs go to stderr; library code never prints."""
    handler = logging.StreamHandler(sys.stderr)
    if log_format == "json":
        handler.setFormatter(_JsonFormatter())
    else:
        handler.setFormatter(logging.Formatter("%(levelname)s %(message)s"))
    root = logging.getLogger("briefing")
    root.handlers[:] = [handler]
    root.setLevel(logging.INFO if verbose or log_format == "json" else logging.WARNING)
    root.propagate = False


class BriefingGroup(click.Group):
    """A click group that turns BriefingError into one message on stderr and exit 1."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except BriefingError as err:
            if _DEBUG["on"]:
                raise
            click.echo(f"error: {err}", err=True)
            ctx.exit(1)


_DEBUG = {"on": False}


def _set_debug(ctx: click.Context, param: click.Parameter, value: bool) -> bool:
    _DEBUG["on"] = bool(value)
    return value
