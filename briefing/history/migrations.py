"""History store: the schema, as migrations applied in order.

The file's `PRAGMA user_version` is the number of migrations applied. A new
version of briefing appends a migration and never edits one that has shipped;
opening an older file applies the missing ones in one transaction, and a file
written by a newer briefing (a version above `SCHEMA_VERSION`) is refused
without being touched.
"""

from __future__ import annotations

MIGRATIONS: tuple[str, ...] = (
    # 1: a row set per built period, and what became of its decision
    """
    CREATE TABLE periods (
        label TEXT PRIMARY KEY,
        kind TEXT NOT NULL,
        start TEXT NOT NULL,
        end TEXT NOT NULL,
        built_at TEXT NOT NULL,
        source TEXT NOT NULL CHECK (source IN ('build', 'backfill')),
        input_hash TEXT NOT NULL,
        briefing_version TEXT NOT NULL,
        currency TEXT NOT NULL,
        headline_kind TEXT NOT NULL,
        headline_value REAL NOT NULL,
        headline_unit TEXT NOT NULL,
        headline_service TEXT,
        headline_text TEXT NOT NULL,
        decision TEXT NOT NULL,
        decision_owner TEXT NOT NULL,
        decision_due TEXT NOT NULL,
        downtime_cost REAL,
        incidents INTEGER NOT NULL,
        loss_avoided REAL NOT NULL,
        risk_exposure REAL NOT NULL
    );
    CREATE TABLE period_services (
        label TEXT NOT NULL REFERENCES periods (label) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        id TEXT NOT NULL,
        name TEXT NOT NULL,
        objective REAL NOT NULL,
        good INTEGER NOT NULL,
        total INTEGER NOT NULL,
        bad INTEGER NOT NULL,
        sli REAL,
        budget_events REAL NOT NULL,
        budget_consumed REAL,
        budget_remaining REAL,
        budget_minutes REAL NOT NULL,
        equivalent_outage_minutes REAL,
        downtime_cost REAL,
        exhausted_at TEXT,
        status TEXT NOT NULL,
        incidents INTEGER NOT NULL,
        complete INTEGER,
        PRIMARY KEY (label, id)
    );
    CREATE TABLE decisions (
        label TEXT PRIMARY KEY REFERENCES periods (label) ON DELETE CASCADE,
        outcome TEXT NOT NULL CHECK (outcome IN ('accepted', 'declined', 'deferred', 'done')),
        note TEXT,
        recorded_by TEXT,
        recorded_at TEXT NOT NULL
    );
    """,
)

SCHEMA_VERSION = len(MIGRATIONS)
