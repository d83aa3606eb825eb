"""Ingest stage: running one read-only query on an SQLAlchemy engine (for `sql`).

The URL comes from briefing.yaml without a password; the password (and, if
wanted, the user name) comes from the environment variables the source names,
and is masked in every message and log line. The query runs in a read-only
transaction where the dialect has one (PostgreSQL: `default_transaction_read_only`
and a read-only transaction), is never committed, and is bounded by a connection
timeout and a statement timeout. A lost or refused connection is retried with
backoff (0.5 s, 1 s, 2 s...), as the Prometheus source does; an error of the
query itself is shown with the engine's own text and not retried.
"""

from __future__ import annotations

import logging
import math
import os
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import pyarrow as pa

from briefing.config import SourceEntry
from briefing.config.warehouse import sql_url
from briefing.errors import BriefingError, Location
from briefing.ingest.context import ReadContext
from briefing.ingest.engine_rows import describe_source

log = logging.getLogger(__name__)

DEFAULT_CONNECT_TIMEOUT_SECONDS = 10.0
DEFAULT_STATEMENT_TIMEOUT_SECONDS = 300.0
DEFAULT_RETRIES = 3
BACKOFF_SECONDS = 0.5
FETCH_ROWS = 50_000
# SQLSTATE classes of a lost or refused connection, and of a server shutting down
_CONNECTION_STATES = ("08", "57P01", "57P02", "57P03")
_STATEMENT_TIMEOUT = "57014"


@dataclass(frozen=True)
class QueryAnswer:
    """The result's column names and each column as Arrow arrays, one per fetched chunk.

    Types are as the driver gives them (a chunk of NULLs only is of the null type).
    """

    columns: tuple[str, ...]
    arrays: dict[str, list[pa.Array]]

    @property
    def num_rows(self) -> int:
        first = self.arrays[self.columns[0]] if self.columns else []
        return sum(len(a) for a in first)


class Secret:
    """Text never to print: every message passes through `mask`."""

    def __init__(self, values: Sequence[str]) -> None:
        self.values = [v for v in values if v]

    def mask(self, text: str) -> str:
        for value in self.values:
            text = text.replace(value, "***")
        return text


def run_query(
    entry: SourceEntry,
    ctx: ReadContext,
    window: tuple[datetime, datetime],
    check_columns: Callable[[tuple[str, ...], str], None],
) -> tuple[QueryAnswer, str]:
    """Run the source's query with `:start` and `:end` bound; the answer and the URL as shown.

    `check_columns(names, shown)` sees the result's column names before any row is fetched.
    """
    from sqlalchemy import text
    from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError, SQLAlchemyError
    from sqlalchemy.pool import NullPool

    shown = str(entry.options["url"])
    about = describe_source(entry, ctx, shown)
    try:
        url = sql_url(shown)
    except ArgumentError:
        raise BriefingError(
            f"{about}: url is not an SQLAlchemy URL", where=entry.location
        ) from None
    secret = Secret([])
    username_env, password_env = (
        entry.options.get("username_env"),
        entry.options.get("password_env"),
    )
    if username_env:
        url = url.set(username=_env(str(username_env), "username_env", entry, about))
    if password_env:
        password = _env(str(password_env), "password_env", entry, about)
        secret = Secret([password])
        url = url.set(password=password)
    options = entry.options
    connect_timeout = float(
        options.get("connect_timeout_seconds") or DEFAULT_CONNECT_TIMEOUT_SECONDS
    )
    statement_timeout = float(options.get("timeout_seconds") or DEFAULT_STATEMENT_TIMEOUT_SECONDS)
    retries = options.get("retries")
    attempts = 1 + (DEFAULT_RETRIES if retries is None else max(0, int(retries)))
    try:
        engine = _create_engine(url, connect_timeout, statement_timeout, NullPool)
    except (NoSuchModuleError, ArgumentError) as err:
        raise BriefingError(
            f"{about}: {secret.mask(str(err))}",
            where=entry.location,
            hint="install the SQLAlchemy dialect and driver of this database "
            "(e.g. trino[sqlalchemy], clickhouse-sqlalchemy, sqlalchemy-bigquery)",
        ) from None
    params = {"start": window[0], "end": window[1]}
    last_error = ""
    try:
        for attempt in range(attempts):
            if attempt:
                delay = BACKOFF_SECONDS * 2 ** (attempt - 1)
                log.warning("Retrying %s in %.1fs (%s)", shown, delay, last_error)
                time.sleep(delay)
            connected = False
            try:
                with engine.connect() as conn:
                    connected = True
                    statement = text(str(options["query"]))
                    result = conn.execution_options(stream_results=True).execute(statement, params)
                    if not result.returns_rows:
                        raise BriefingError(
                            f"{about}: the query returns no rows (it must be a SELECT)",
                            where=entry.location,
                        )
                    names = result.keys()  # a RMKeyView: the result's column names in order
                    columns = tuple(str(c) for c in names)
                    check_columns(columns, shown)
                    answer = _fetch(result, columns, about, entry.location)
                    conn.rollback()  # never commit: briefing does not write where it reads
                log.info("%s: %d rows", shown, answer.num_rows)
                return answer, shown
            except DBAPIError as err:
                detail = secret.mask(_engine_text(err))
                if _connection_lost(err, connected):
                    last_error = detail
                    continue
                if _state(err) == _STATEMENT_TIMEOUT:
                    raise BriefingError(
                        f"{about}: the query ran longer than {statement_timeout:g} s "
                        f"(timeout_seconds): {detail}",
                        where=entry.location,
                        hint="aggregate in the query (one row per service and bucket), "
                        "add an index on the timestamp, or raise timeout_seconds",
                    ) from None
                raise BriefingError(
                    f"{about}: the query failed: {detail}",
                    where=entry.location,
                    hint="fix the query in briefing.yaml (try it in the database's own client "
                    "with :start and :end replaced by timestamps)",
                ) from None
            except SQLAlchemyError as err:
                raise BriefingError(
                    f"{about}: {secret.mask(str(err).splitlines()[0])}", where=entry.location
                ) from None
    finally:
        engine.dispose()
    raise BriefingError(
        f"{about}: cannot connect after {attempts} attempt(s): {last_error}",
        where=entry.location,
        hint="check that the database is up and reachable at that address, the user and "
        "password_env, or raise connect_timeout_seconds / retries",
    )


def _env(name: str, key: str, entry: SourceEntry, about: str) -> str:
    value = os.environ.get(name)
    if not value:
        raise BriefingError(
            f"{about}: environment variable {name} (named by {key}) is not set",
            where=entry.location,
            hint=f"export {name}=... before running briefing; secrets never sit in briefing.yaml",
        )
    return value


def _create_engine(url: Any, connect_timeout: float, statement_timeout: float, pool: Any) -> Any:
    from sqlalchemy import create_engine

    connect_args: dict[str, Any] = {}
    execution: dict[str, Any] = {}
    if url.get_backend_name() == "postgresql":
        milliseconds = int(statement_timeout * 1000)
        connect_args = {
            "connect_timeout": max(2, math.ceil(connect_timeout)),
            "application_name": "briefing",
            "options": f"-c default_transaction_read_only=on -c statement_timeout={milliseconds}",
        }
        execution = {"postgresql_readonly": True}
    engine = create_engine(url, poolclass=pool, connect_args=connect_args)
    return engine.execution_options(**execution) if execution else engine


def _fetch(result: Any, columns: tuple[str, ...], about: str, where: Location) -> QueryAnswer:
    """The rows, chunk by chunk, as Arrow arrays per column (types as the driver gives them)."""
    arrays: dict[str, list[pa.Array]] = {c: [] for c in columns}
    for chunk in result.partitions(FETCH_ROWS):
        for name, values in zip(columns, zip(*chunk, strict=True), strict=True):
            try:
                arrays[name].append(pa.array(values, from_pandas=False))
            except (pa.ArrowInvalid, pa.ArrowTypeError, OverflowError):
                kinds = sorted({type(v).__name__ for v in values if v is not None})
                raise BriefingError(
                    f"{about}: column {name} mixes values of types {', '.join(kinds)}",
                    where=where,
                    hint=f"cast {name} to one type in the query",
                ) from None
    return QueryAnswer(columns, arrays)


def _state(err: Any) -> str:
    orig = getattr(err, "orig", None)
    return str(getattr(orig, "sqlstate", None) or getattr(orig, "pgcode", None) or "")


def _connection_lost(err: Any, connected: bool) -> bool:
    """A refused connection, or one lost while the query ran: worth another attempt."""
    from sqlalchemy.exc import InterfaceError, OperationalError

    if getattr(err, "connection_invalidated", False):
        return True
    state = _state(err)
    if state.startswith(_CONNECTION_STATES):
        return True
    return not connected and isinstance(err, OperationalError | InterfaceError)


def _engine_text(err: Any) -> str:
    """The engine's own message, without SQLAlchemy's wrapping (statement, parameters, link)."""
    orig = getattr(err, "orig", None)
    text = str(orig if orig is not None else err).strip()
    lines = [line.rstrip() for line in text.splitlines() if line.strip()]
    return "\n    ".join(lines[:4]) if lines else type(err).__name__
