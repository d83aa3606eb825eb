"""Deliver stage: the SQLite ledger that makes sending idempotent.

It records every send (period, content hash, Message-ID, time, outcome) and the
outcome per recipient, so `briefing send` run twice sends once and a partly
failed send retries only the recipients that were not accepted. It also keeps the
rendered email of a period keyed by a fingerprint of its inputs (reused while the
inputs are unchanged) and the schedule slots already served (so a restarted
`briefing schedule run` never fires a slot twice).

The ledger holds addresses, hashes and rendered content; never a secret.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from briefing.errors import BriefingError, Location

SCHEMA = """
CREATE TABLE IF NOT EXISTS sends (
    id INTEGER PRIMARY KEY,
    period TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    message_id TEXT NOT NULL,
    started_at TEXT NOT NULL,
    finished_at TEXT,
    outcome TEXT NOT NULL DEFAULT 'pending',  -- pending | sent | partial | failed
    forced INTEGER NOT NULL DEFAULT 0,
    detail TEXT NOT NULL DEFAULT ''
);
CREATE INDEX IF NOT EXISTS sends_period ON sends (period);
CREATE TABLE IF NOT EXISTS recipients (
    send_id INTEGER NOT NULL REFERENCES sends (id),
    address TEXT NOT NULL,
    kind TEXT NOT NULL,                       -- to | cc | bcc
    outcome TEXT NOT NULL DEFAULT 'pending',  -- pending | accepted | refused | failed
    code INTEGER,
    detail TEXT NOT NULL DEFAULT '',
    at TEXT,
    PRIMARY KEY (send_id, address)
);
CREATE TABLE IF NOT EXISTS builds (
    period TEXT NOT NULL,
    input_hash TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    created_at TEXT NOT NULL,
    parts TEXT NOT NULL,                      -- JSON of the rendered email parts
    PRIMARY KEY (period, input_hash)
);
CREATE TABLE IF NOT EXISTS schedule_slots (
    slot TEXT PRIMARY KEY,                    -- local wall-clock time and zone of the slot
    period TEXT NOT NULL,
    fired_at TEXT NOT NULL,
    outcome TEXT NOT NULL                     -- sent | already_sent | failed
);
"""


@dataclass(frozen=True, slots=True)
class SendRecord:
    id: int
    period: str
    content_hash: str
    message_id: str
    started_at: str
    finished_at: str | None
    outcome: str
    forced: bool


def _utc_now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class Ledger:
    """One SQLite file; every write is its own transaction (safe to kill at any point)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(path, timeout=30, isolation_level=None)
            self._db.executescript(SCHEMA)
        except (OSError, sqlite3.Error) as err:
            raise BriefingError(
                f"cannot open the delivery ledger: {err}",
                where=Location(path),
                hint="set delivery.ledger in briefing.yaml to a writable file",
            ) from None

    def close(self) -> None:
        self._db.close()

    @contextmanager
    def exclusive(self) -> Iterator[None]:
        """Hold the ledger's lock file: two sends at once (cron and a hand run) queue up."""
        try:
            import fcntl
        except ImportError:  # pragma: no cover - not POSIX: SQLite's own locking only
            yield
            return
        with open(self.path.with_name(self.path.name + ".lock"), "a+b") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def __enter__(self) -> Ledger:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        self._db.execute("BEGIN IMMEDIATE")
        try:
            yield self._db
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        self._db.execute("COMMIT")

    # -- sends
    def start_send(
        self,
        period: str,
        content_hash: str,
        message_id: str,
        recipients: Iterable[tuple[str, str]],
        *,
        forced: bool = False,
    ) -> int:
        """A new send of `period` to (address, kind) pairs, all pending."""
        with self._transaction() as db:
            cursor = db.execute(
                "INSERT INTO sends (period, content_hash, message_id, started_at, forced)"
                " VALUES (?, ?, ?, ?, ?)",
                (period, content_hash, message_id, _utc_now(), int(forced)),
            )
            send_id = int(cursor.lastrowid or 0)
            db.executemany(
                "INSERT OR IGNORE INTO recipients (send_id, address, kind) VALUES (?, ?, ?)",
                [(send_id, address, kind) for address, kind in recipients],
            )
        return send_id

    def add_recipients(self, send_id: int, recipients: Iterable[tuple[str, str]]) -> None:
        with self._transaction() as db:
            db.executemany(
                "INSERT OR IGNORE INTO recipients (send_id, address, kind) VALUES (?, ?, ?)",
                [(send_id, address, kind) for address, kind in recipients],
            )

    def mark(
        self,
        send_id: int,
        addresses: Iterable[str],
        outcome: str,
        *,
        code: int | None = None,
        detail: str = "",
    ) -> None:
        """Record the outcome for recipients of a send (accepted | refused | failed)."""
        with self._transaction() as db:
            db.executemany(
                "UPDATE recipients SET outcome = ?, code = ?, detail = ?, at = ?"
                " WHERE send_id = ? AND address = ?",
                [(outcome, code, detail, _utc_now(), send_id, a) for a in addresses],
            )

    def finish_send(self, send_id: int, outcome: str, detail: str = "") -> None:
        with self._transaction() as db:
            db.execute(
                "UPDATE sends SET outcome = ?, finished_at = ?, detail = ? WHERE id = ?",
                (outcome, _utc_now(), detail, send_id),
            )

    def sends(self, period: str) -> list[SendRecord]:
        rows = self._db.execute(
            "SELECT id, period, content_hash, message_id, started_at, finished_at, outcome, forced"
            " FROM sends WHERE period = ? ORDER BY id",
            (period,),
        ).fetchall()
        return [
            SendRecord(
                id=row[0],
                period=row[1],
                content_hash=row[2],
                message_id=row[3],
                started_at=row[4],
                finished_at=row[5],
                outcome=row[6],
                forced=bool(row[7]),
            )
            for row in rows
        ]

    def count_sends(self) -> int:
        return int(self._db.execute("SELECT count(*) FROM sends").fetchone()[0])

    def recipients(self, send_id: int) -> dict[str, str]:
        """address -> outcome for one send."""
        rows = self._db.execute(
            "SELECT address, outcome FROM recipients WHERE send_id = ?", (send_id,)
        ).fetchall()
        return {address: outcome for address, outcome in rows}

    def accepted(self, period: str) -> dict[str, SendRecord]:
        """Addresses that accepted `period` since its last forced send, with that send."""
        records = self.sends(period)
        forced = [r.id for r in records if r.forced]
        since = forced[-1] if forced else 0
        result: dict[str, SendRecord] = {}
        for record in records:
            if record.id < since:
                continue
            for address, outcome in self.recipients(record.id).items():
                if outcome == "accepted":
                    result.setdefault(address, record)
        return result

    # -- rendered builds
    def load_build(self, period: str, input_hash: str) -> tuple[str, str] | None:
        """(content_hash, parts JSON) of a rendered email for these inputs, if kept."""
        row = self._db.execute(
            "SELECT content_hash, parts FROM builds WHERE period = ? AND input_hash = ?",
            (period, input_hash),
        ).fetchone()
        return (row[0], row[1]) if row else None

    def save_build(self, period: str, input_hash: str, content_hash: str, parts: str) -> None:
        with self._transaction() as db:
            db.execute("DELETE FROM builds WHERE period = ?", (period,))
            db.execute(
                "INSERT INTO builds (period, input_hash, content_hash, created_at, parts)"
                " VALUES (?, ?, ?, ?, ?)",
                (period, input_hash, content_hash, _utc_now(), parts),
            )

    # -- schedule
    def slot_done(self, slot: str) -> bool:
        row = self._db.execute(
            "SELECT outcome FROM schedule_slots WHERE slot = ?", (slot,)
        ).fetchone()
        return row is not None and row[0] != "failed"

    def record_slot(self, slot: str, period: str, outcome: str) -> None:
        with self._transaction() as db:
            db.execute(
                "INSERT OR REPLACE INTO schedule_slots (slot, period, fired_at, outcome)"
                " VALUES (?, ?, ?, ?)",
                (slot, period, _utc_now(), outcome),
            )

    def slots(self) -> list[tuple[str, str, str]]:
        """(slot, period, outcome) in the order fired."""
        return [
            (str(row[0]), str(row[1]), str(row[2]))
            for row in self._db.execute(
                "SELECT slot, period, outcome FROM schedule_slots ORDER BY fired_at, rowid"
            ).fetchall()
        ]
