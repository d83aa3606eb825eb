"""History store: the SQLite file that keeps every built period (beside the pipeline).

One row set per period label: the period's headline and decision, the figures of
each service (as in `services[]`), its input hash, and what became of its decision.
Two builds may write at once: the file is in WAL mode, every write is one
`BEGIN IMMEDIATE` transaction and a writer waits up to `BUSY_TIMEOUT_SECONDS`
for the other. A file that is not a history store, is damaged, or was written by
a newer briefing is refused with one error and left exactly as it was: the
checks run on a read-only connection before anything is written.
"""

from __future__ import annotations

import os
import sqlite3
import time
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType

from briefing.errors import BriefingError, Location
from briefing.history.migrations import MIGRATIONS, SCHEMA_VERSION
from briefing.model import DecisionRecord, HistoryService, ServiceStatus, StoredPeriod

BUSY_TIMEOUT_SECONDS = 30.0
OUTCOMES = ("accepted", "declined", "deferred", "done")

_PERIOD_COLUMNS = (
    "label, built_at, source, input_hash, headline_kind, headline_value, headline_unit, "
    "headline_service, headline_text, decision, decision_owner, decision_due, downtime_cost, "
    "incidents, loss_avoided, risk_exposure"
)
_SERVICE_COLUMNS = (
    "id, name, objective, good, total, bad, sli, budget_events, budget_consumed, "
    "budget_remaining, budget_minutes, equivalent_outage_minutes, downtime_cost, exhausted_at, "
    "status, incidents, complete"
)


@dataclass(frozen=True, slots=True)
class PeriodRecord:
    """What a build or a backfill writes for one period."""

    label: str
    kind: str
    start: str
    end: str
    built_at: str
    source: str  # build | backfill
    input_hash: str
    briefing_version: str
    currency: str
    headline_kind: str
    headline_value: float
    headline_unit: str
    headline_service: str | None
    headline_text: str
    decision: str
    decision_owner: str
    decision_due: str
    downtime_cost: float | None
    incidents: int
    loss_avoided: float
    risk_exposure: float
    services: tuple[ServiceStatus, ...]
    service_incidents: dict[str, int]


@dataclass(frozen=True, slots=True)
class PeriodDetail:
    """A stored period with each service's full figures (for `briefing history show`)."""

    stored: StoredPeriod
    kind: str
    start: str
    end: str
    briefing_version: str
    currency: str
    services: tuple[ServiceStatus, ...]


class HistoryStore:
    """An open history file; use `open_store` or `read_store`."""

    def __init__(self, path: Path, connection: sqlite3.Connection) -> None:
        self.path = path
        self._db = connection

    # ------------------------------------------------------------------ lifetime

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> HistoryStore:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """One write transaction, taken before reading (so two writers queue, never deadlock)."""
        with self._errors():
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield self._db
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")

    @contextmanager
    def _errors(self) -> Iterator[None]:
        try:
            yield
        except sqlite3.OperationalError as err:
            if _busy(err):
                raise BriefingError(
                    f"the history store stayed busy for {BUSY_TIMEOUT_SECONDS:.0f} s",
                    where=Location(self.path),
                    hint="another briefing is writing to it; try again when it has finished",
                ) from None
            raise damaged(self.path, err) from None
        except sqlite3.DatabaseError as err:
            raise damaged(self.path, err) from None

    # ------------------------------------------------------------------ writing

    def record(self, record: PeriodRecord) -> None:
        """Write (or replace) a period's row set; a decision already recorded stays."""
        values = (
            record.label,
            record.kind,
            record.start,
            record.end,
            record.built_at,
            record.source,
            record.input_hash,
            record.briefing_version,
            record.currency,
            record.headline_kind,
            record.headline_value,
            record.headline_unit,
            record.headline_service,
            record.headline_text,
            record.decision,
            record.decision_owner,
            record.decision_due,
            record.downtime_cost,
            record.incidents,
            record.loss_avoided,
            record.risk_exposure,
        )
        with self._write() as db:
            db.execute(
                "INSERT INTO periods (label, kind, start, end, built_at, source, input_hash, "
                "briefing_version, currency, headline_kind, headline_value, headline_unit, "
                "headline_service, headline_text, decision, decision_owner, decision_due, "
                "downtime_cost, incidents, loss_avoided, risk_exposure) "
                f"VALUES ({', '.join('?' * len(values))}) "
                "ON CONFLICT (label) DO UPDATE SET kind = excluded.kind, start = excluded.start, "
                "end = excluded.end, built_at = excluded.built_at, source = excluded.source, "
                "input_hash = excluded.input_hash, briefing_version = excluded.briefing_version, "
                "currency = excluded.currency, headline_kind = excluded.headline_kind, "
                "headline_value = excluded.headline_value, headline_unit = excluded.headline_unit, "
                "headline_service = excluded.headline_service, "
                "headline_text = excluded.headline_text, decision = excluded.decision, "
                "decision_owner = excluded.decision_owner, decision_due = excluded.decision_due, "
                "downtime_cost = excluded.downtime_cost, incidents = excluded.incidents, "
                "loss_avoided = excluded.loss_avoided, risk_exposure = excluded.risk_exposure",
                values,
            )
            db.execute("DELETE FROM period_services WHERE label = ?", (record.label,))
            db.executemany(
                f"INSERT INTO period_services (label, position, {_SERVICE_COLUMNS}) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    (
                        record.label,
                        position,
                        s.id,
                        s.name,
                        s.objective,
                        s.good,
                        s.total,
                        s.bad,
                        s.sli,
                        s.budget_events,
                        s.budget_consumed,
                        s.budget_remaining,
                        s.budget_minutes,
                        s.equivalent_outage_minutes,
                        s.downtime_cost,
                        s.exhausted_at,
                        s.status,
                        record.service_incidents.get(s.id, 0),
                        s.complete if s.total else None,
                    )
                    for position, s in enumerate(record.services)
                ],
            )

    def record_decision(
        self, label: str, outcome: str, *, note: str | None, by: str | None, recorded_at: str
    ) -> None:
        """What became of `label`'s decision; the period must have been built."""
        if outcome not in OUTCOMES:
            raise BriefingError(
                f"unknown outcome {outcome!r}", hint=f"use one of {', '.join(OUTCOMES)}"
            )
        with self._write() as db:
            if db.execute("SELECT 1 FROM periods WHERE label = ?", (label,)).fetchone() is None:
                raise never_built(label, self.path)
            db.execute(
                "INSERT INTO decisions (label, outcome, note, recorded_by, recorded_at) "
                "VALUES (?, ?, ?, ?, ?) ON CONFLICT (label) DO UPDATE SET "
                "outcome = excluded.outcome, note = excluded.note, "
                "recorded_by = excluded.recorded_by, recorded_at = excluded.recorded_at",
                (label, outcome, note, by, recorded_at),
            )

    def forget(self, label: str) -> bool:
        """Remove a period's row set and its decision; False when it was not there."""
        with self._write() as db:
            cursor = db.execute("DELETE FROM periods WHERE label = ?", (label,))
            return cursor.rowcount > 0

    # ------------------------------------------------------------------ reading

    def labels(self) -> list[str]:
        with self._errors():
            rows = self._db.execute("SELECT label FROM periods ORDER BY start, label").fetchall()
        return [str(row[0]) for row in rows]

    def load(self, labels: Sequence[str] | None = None) -> dict[str, StoredPeriod]:
        """The stored periods (all, or those of `labels` that exist), by label."""
        with self._errors():
            query = f"SELECT {_PERIOD_COLUMNS} FROM periods"
            args: tuple[str, ...] = ()
            if labels is not None:
                query += f" WHERE label IN ({', '.join('?' * len(labels))})"
                args = tuple(labels)
            periods = self._db.execute(query + " ORDER BY start, label", args).fetchall()
            result: dict[str, StoredPeriod] = {}
            for row in periods:
                label = str(row[0])
                services = self._db.execute(
                    "SELECT id, budget_consumed, downtime_cost, incidents, complete "
                    "FROM period_services "
                    "WHERE label = ? ORDER BY position",
                    (label,),
                ).fetchall()
                decision = self._db.execute(
                    "SELECT outcome, note, recorded_by, recorded_at FROM decisions WHERE label = ?",
                    (label,),
                ).fetchone()
                result[label] = StoredPeriod(
                    period=label,
                    built_at=row[1],
                    source=row[2],
                    input_hash=row[3],
                    headline_kind=row[4],
                    headline_value=row[5],
                    headline_unit=row[6],
                    headline_service=row[7],
                    headline_text=row[8],
                    decision=row[9],
                    decision_owner=row[10],
                    decision_due=row[11],
                    downtime_cost=row[12],
                    incidents=row[13],
                    loss_avoided=row[14],
                    risk_exposure=row[15],
                    services=tuple(
                        HistoryService(s[0], s[1], s[2], s[3], None if s[4] is None else bool(s[4]))
                        for s in services
                    ),
                    outcome=DecisionRecord(*decision) if decision else None,
                )
        return result

    def detail(self, label: str) -> PeriodDetail | None:
        stored = self.load([label]).get(label)
        if stored is None:
            return None
        with self._errors():
            kind, start, end, version, currency = self._db.execute(
                "SELECT kind, start, end, briefing_version, currency FROM periods WHERE label = ?",
                (label,),
            ).fetchone()
            rows = self._db.execute(
                f"SELECT {_SERVICE_COLUMNS} FROM period_services WHERE label = ? ORDER BY position",
                (label,),
            ).fetchall()
        services = tuple(
            ServiceStatus(
                id=r[0],
                name=r[1],
                objective=r[2],
                good=r[3],
                total=r[4],
                bad=r[5],
                sli=r[6],
                budget_events=r[7],
                budget_consumed=r[8],
                budget_remaining=r[9],
                budget_minutes=r[10],
                equivalent_outage_minutes=r[11],
                downtime_cost=r[12],
                exhausted_at=r[13],
                status=r[14],
                complete=bool(r[16]),
            )
            for r in rows
        )
        return PeriodDetail(stored, kind, start, end, version, currency, services)


# --------------------------------------------------------------------------- opening


def read_store(path: Path) -> HistoryStore | None:
    """The store at `path` for reading only, or None when there is none yet."""
    if not path.exists():
        return None
    connection = _connect(path, readonly=True)
    _check(path, connection)
    return HistoryStore(path, connection)


def open_store(path: Path, *, migrations: Sequence[str] = MIGRATIONS) -> HistoryStore:
    """The store at `path` for writing: created if absent, migrated if older.

    The file is checked on a read-only connection first, so a damaged or newer
    file is refused before anything could write to it. A new store is built
    beside `path` and linked into place whole, so a second briefing starting at
    the same moment never meets a file that exists but is not yet a store.
    """
    if not path.exists():
        if not path.parent.is_dir():
            raise BriefingError(
                "the folder of the history store does not exist",
                where=Location(path),
                hint="create the folder, or set history.path in briefing.yaml to a writable place",
            )
        _create(path, migrations)
    probe = _connect(path, readonly=True)
    try:
        _check(path, probe, latest=len(migrations))
    finally:
        probe.close()
    connection = _connect(path, readonly=False)
    store = HistoryStore(path, connection)
    try:
        if not _in_wal_mode(path):  # a store written before it was kept in WAL mode
            _switch_to_wal(store)
        _migrate(store, migrations)
    except BaseException:
        connection.close()
        raise
    return store


def _create(path: Path, migrations: Sequence[str]) -> None:
    """Write a new, migrated store at `path` unless another process gets there first."""
    draft = path.with_name(f".{path.name}.{os.getpid()}.{uuid.uuid4().hex}.new")
    try:
        try:
            with HistoryStore(draft, _connect(draft, readonly=False)) as store:
                _switch_to_wal(store)
                _migrate(store, migrations)
        except BriefingError as err:  # name the file the reader set, not the draft
            raise BriefingError(err.message, where=Location(path), hint=err.hint) from None
        # closing the last connection folded the write-ahead log into the file
        try:
            os.link(draft, path)  # never replaces: the first store linked in wins
        except FileExistsError:
            pass
        except OSError:  # a file system without hard links: no other writer can race here
            if not path.exists():
                os.replace(draft, path)
    finally:
        for leftover in (draft, *(draft.with_name(draft.name + end) for end in _SIDE_FILES)):
            leftover.unlink(missing_ok=True)


_SIDE_FILES = ("-wal", "-shm", "-journal")


def _busy(err: sqlite3.OperationalError) -> bool:
    return "locked" in str(err) or "busy" in str(err)


def _in_wal_mode(path: Path) -> bool:
    """Whether the file's header says it is kept in WAL mode (read and write versions 2)."""
    with path.open("rb") as file:
        header = file.read(20)
    return header[18:20] == b"\x02\x02"


def _switch_to_wal(store: HistoryStore) -> None:
    """Put the file in WAL mode, waiting for other connections like any write.

    SQLite answers "database is locked" at once, without its busy timeout, when
    another connection reads while the journal mode changes; so wait here.
    """
    deadline = time.monotonic() + BUSY_TIMEOUT_SECONDS
    while True:
        try:
            store._db.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as err:
            if not _busy(err) or time.monotonic() > deadline:
                with store._errors():
                    raise
        time.sleep(0.05)


def _connect(path: Path, *, readonly: bool) -> sqlite3.Connection:
    if path.is_dir():  # SQLite would only say "disk I/O error"
        raise BriefingError(
            "the history store is a folder, not a file",
            where=Location(path),
            hint="set history.path in briefing.yaml to a file (e.g. history.sqlite), "
            "or move the folder aside",
        )
    if path.is_file() and path.stat().st_size == 0:  # SQLite would say "no such table"
        raise BriefingError(
            "the history store is an empty file (0 bytes)",
            where=Location(path),
            hint="restore it from a backup, or delete it to start a new history "
            "(briefing history backfill rebuilds past periods from the exports)",
        )
    uri = path.resolve().as_uri() + ("?mode=ro" if readonly else "?mode=rwc")
    try:
        connection = sqlite3.connect(
            uri, uri=True, timeout=BUSY_TIMEOUT_SECONDS, isolation_level=None
        )
        connection.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_SECONDS * 1000)}")
        connection.execute("PRAGMA foreign_keys = ON")
    except sqlite3.OperationalError as err:
        raise BriefingError(
            f"cannot open the history store: {err}",
            where=Location(path),
            hint="check the file's permissions, or set history.path in briefing.yaml",
        ) from None
    except sqlite3.DatabaseError as err:
        raise damaged(path, err) from None
    return connection


def _check(path: Path, connection: sqlite3.Connection, *, latest: int = SCHEMA_VERSION) -> None:
    """Refuse a damaged file, another program's database, or a newer schema."""
    try:
        version = int(connection.execute("PRAGMA user_version").fetchone()[0])
        verdict = connection.execute("PRAGMA quick_check").fetchone()[0]
        tables = {
            str(row[0])
            for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        }
    except sqlite3.DatabaseError as err:
        connection.close()
        raise damaged(path, err) from None
    if verdict != "ok":
        connection.close()
        raise damaged(path, verdict)
    if version > latest:
        connection.close()
        raise BriefingError(
            f"the history store was written by a newer version of briefing "
            f"(its format is version {version}; this version reads up to {latest})",
            where=Location(path),
            hint="upgrade briefing, or set history.path in briefing.yaml to another file; "
            "the file was left as it is",
        )
    if version == 0 and tables:
        connection.close()
        raise BriefingError(
            "this SQLite file is not a briefing history store",
            where=Location(path),
            hint="set history.path in briefing.yaml to a new file; the file was left as it is",
        )


def _migrate(store: HistoryStore, migrations: Sequence[str]) -> None:
    """Apply the migrations the file lacks, in order, in one transaction."""
    with store._write() as db:
        version = int(db.execute("PRAGMA user_version").fetchone()[0])
        for number, script in enumerate(migrations[version:], start=version + 1):
            for statement in _statements(script):
                db.execute(statement)
            db.execute(f"PRAGMA user_version = {number}")


def _statements(script: str) -> list[str]:
    """A migration's statements (`executescript` would commit the open transaction)."""
    return [part.strip() for part in script.split(";") if part.strip()]


def damaged(path: Path, err: object) -> BriefingError:
    return BriefingError(
        f"the history store cannot be read; it is damaged or not a briefing history file ({err})",
        where=Location(path),
        hint="restore it from a backup, or move it aside to start a new history "
        "(briefing history backfill rebuilds past periods from the exports); "
        "the file was left as it is",
    )


def never_built(label: str, path: Path) -> BriefingError:
    return BriefingError(
        f"period {label} was never built, so it has no decision to record",
        where=Location(path),
        hint=f"build it first (briefing build --period {label}), "
        f"or fill the history with briefing history backfill --from {label} --to {label}",
    )
