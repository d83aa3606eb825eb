"""The history store: row sets per period, decisions, migrations, and files it must refuse
(damaged, another program's, newer) without changing a byte of them."""

from __future__ import annotations

import dataclasses
import re
import sqlite3
import subprocess
import sys
import textwrap
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest

from briefing.errors import BriefingError
from briefing.history import open_store, period_record, read_store
from briefing.history.migrations import MIGRATIONS, SCHEMA_VERSION
from briefing.model import Period
from tests.render.fixtures import make_briefing

BUILT = datetime(2026, 11, 2, 8, 0, tzinfo=UTC)
ROOT = Path(__file__).resolve().parent.parent.parent


def record(label: str = "2026-10", **changes: object):  # type: ignore[no-untyped-def]
    briefing = make_briefing()
    if changes:
        briefing = dataclasses.replace(briefing, **changes)
    return period_record(
        briefing, Period.parse(label), source="build", input_hash="abc", built_at=BUILT
    )


def test_a_period_round_trips_with_each_service(tmp_path: Path) -> None:
    path = tmp_path / "history.sqlite"
    with open_store(path) as store:
        store.record(record())
    with read_store(path) as store:  # type: ignore[union-attr]
        stored = store.load()["2026-10"]
        detail = store.detail("2026-10")
    assert stored.headline_kind == "budget_exhausted"
    assert stored.headline_value == -0.42
    assert stored.decision.startswith("Freeze feature releases")
    assert stored.built_at == "2026-11-02T08:00:00+00:00"
    # the fixture's incidents: checkout has the items whose service is checkout
    counts = {s.id: s.incidents for s in stored.services}
    items = make_briefing().incidents.items
    assert counts["checkout"] == sum(1 for i in items if i.service == "checkout")
    consumed = {s.id: s.budget_consumed for s in stored.services}
    assert consumed == {"checkout": 1.42, "search": 0.8, "accounts": 0.1, "reporting": None}
    # downtime cost of the period: the services' sum, the one without data left out
    # 44,370.816 + 35,712 + 223.2 = 80,306.016
    assert stored.downtime_cost == pytest.approx(80_306.016)
    assert detail is not None
    assert [s.status for s in detail.services] == ["exhausted", "at_risk", "healthy", "no_data"]
    assert detail.kind == "month"
    assert detail.currency == "EUR"


def test_a_rebuild_replaces_the_figures_and_keeps_the_decision(tmp_path: Path) -> None:
    path = tmp_path / "history.sqlite"
    with open_store(path) as store:
        store.record(record())
        store.record_decision("2026-10", "done", note="held", by="A. Chen", recorded_at="t")
        headline = dataclasses.replace(make_briefing().headline, value=-0.1)
        store.record(record(headline=headline))
        stored = store.load()["2026-10"]
    assert stored.headline_value == -0.1
    assert stored.outcome is not None
    assert (stored.outcome.outcome, stored.outcome.note, stored.outcome.by) == (
        "done",
        "held",
        "A. Chen",
    )


def test_forget_removes_the_period_and_its_decision(tmp_path: Path) -> None:
    path = tmp_path / "history.sqlite"
    with open_store(path) as store:
        store.record(record("2026-09"))
        store.record(record("2026-10"))
        store.record_decision("2026-09", "accepted", note=None, by=None, recorded_at="t")
        assert store.forget("2026-09") is True
        assert store.forget("2026-09") is False
        assert store.labels() == ["2026-10"]
    raw = sqlite3.connect(path)
    assert raw.execute("SELECT COUNT(*) FROM decisions").fetchone() == (0,)
    assert raw.execute(
        "SELECT COUNT(*) FROM period_services WHERE label = '2026-09'"
    ).fetchone() == (0,)
    raw.close()


def test_a_decision_for_a_period_never_built_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "history.sqlite"
    with open_store(path) as store:
        store.record(record("2026-10"))
        with pytest.raises(BriefingError, match="2026-05 was never built") as caught:
            store.record_decision("2026-05", "done", note=None, by=None, recorded_at="t")
        with pytest.raises(BriefingError, match="unknown outcome"):
            store.record_decision("2026-10", "forgotten", note=None, by=None, recorded_at="t")
    assert "briefing history backfill --from 2026-05 --to 2026-05" in caught.value.hint


def test_reading_a_missing_store_creates_nothing(tmp_path: Path) -> None:
    assert read_store(tmp_path / "history.sqlite") is None
    assert list(tmp_path.iterdir()) == []


def test_a_new_store_is_at_the_latest_version_in_wal_mode(tmp_path: Path) -> None:
    path = tmp_path / "history.sqlite"
    open_store(path).close()
    raw = sqlite3.connect(path)
    assert raw.execute("PRAGMA user_version").fetchone() == (SCHEMA_VERSION,)
    assert raw.execute("PRAGMA journal_mode").fetchone() == ("wal",)
    raw.close()


def test_a_new_store_leaves_nothing_beside_it(tmp_path: Path) -> None:
    # the store is built aside and linked into place: no draft file stays behind
    path = tmp_path / "history.sqlite"
    open_store(path).close()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["history.sqlite"]


def test_a_store_in_rollback_mode_waits_for_a_writer_before_moving_to_wal(
    tmp_path: Path,
) -> None:
    # Moving to WAL reads the header, then writes it. While another connection holds
    # the write lock SQLite refuses that upgrade at once, without its busy timeout
    # (waiting could deadlock); the store lets go, waits and tries again.
    path = tmp_path / "history.sqlite"
    with open_store(path) as store:
        store.record(record())
    raw = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    raw.execute("PRAGMA journal_mode = DELETE")
    raw.execute("BEGIN IMMEDIATE")  # another briefing about to write
    threading.Timer(1.0, lambda: raw.execute("COMMIT")).start()
    started = time.monotonic()
    with open_store(path) as store:
        waited = time.monotonic() - started
        assert set(store.load()) == {"2026-10"}
    raw.close()
    assert waited >= 0.9  # it really met the writer, and outlasted it
    check = sqlite3.connect(path)
    assert check.execute("PRAGMA journal_mode").fetchone() == ("wal",)
    check.close()


def test_an_older_store_is_migrated_in_order_and_keeps_its_rows(tmp_path: Path) -> None:
    path = tmp_path / "history.sqlite"
    with open_store(path) as store:
        store.record(record())
    # a later version adds two migrations; the file is at version 1 and gets 2, then 3
    later = (
        *MIGRATIONS,
        "CREATE TABLE steps (number INTEGER); INSERT INTO steps VALUES (2)",
        "INSERT INTO steps VALUES (3); ALTER TABLE periods ADD COLUMN reviewer TEXT",
    )
    with open_store(path, migrations=later) as store:
        assert store.labels() == ["2026-10"]
    raw = sqlite3.connect(path)
    assert raw.execute("PRAGMA user_version").fetchone() == (len(MIGRATIONS) + 2,)
    assert raw.execute("SELECT number FROM steps").fetchall() == [(2,), (3,)]
    assert raw.execute("SELECT reviewer FROM periods").fetchall() == [(None,)]
    raw.close()
    # opening again applies nothing twice
    with open_store(path, migrations=later):
        pass
    raw = sqlite3.connect(path)
    assert raw.execute("SELECT COUNT(*) FROM steps").fetchone() == (2,)
    raw.close()


def test_a_failed_migration_leaves_the_file_at_its_old_version(tmp_path: Path) -> None:
    path = tmp_path / "history.sqlite"
    with open_store(path) as store:
        store.record(record())
    broken = (*MIGRATIONS, "CREATE TABLE fine (x INTEGER)", "THIS IS NOT SQL")
    with pytest.raises(BriefingError):
        open_store(path, migrations=broken)
    raw = sqlite3.connect(path)
    assert raw.execute("PRAGMA user_version").fetchone() == (len(MIGRATIONS),)
    tables = {r[0] for r in raw.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert "fine" not in tables  # one transaction: all the missing migrations or none
    raw.close()


# --------------------------------------------------------------------------- refused files


def damaged_files(tmp_path: Path) -> dict[str, Path]:
    """A text file, a store cut in half, another program's database, a newer store."""
    files = {}
    text = tmp_path / "text.sqlite"
    text.write_text("these are my notes, not a database\n" * 200)
    files["text"] = text
    cut = tmp_path / "cut.sqlite"
    with open_store(cut) as store:
        for month in range(1, 13):
            store.record(record(f"2025-{month:02d}"))
    raw = sqlite3.connect(cut)
    raw.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    raw.execute("PRAGMA journal_mode = DELETE")
    raw.close()
    data = cut.read_bytes()
    cut.write_bytes(data[: len(data) // 2])
    files["cut"] = cut
    foreign = tmp_path / "foreign.sqlite"
    raw = sqlite3.connect(foreign)
    raw.execute("CREATE TABLE customers (id INTEGER)")
    raw.commit()
    raw.close()
    files["foreign"] = foreign
    newer = tmp_path / "newer.sqlite"
    open_store(newer).close()
    raw = sqlite3.connect(newer)
    raw.execute("PRAGMA journal_mode = DELETE")
    raw.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    raw.close()
    files["newer"] = newer
    return files


MESSAGES = {
    "text": "damaged or not a briefing history file",
    "cut": "damaged or not a briefing history file",
    "foreign": "not a briefing history store",
    "newer": f"newer version of briefing (its format is version {SCHEMA_VERSION + 1}",
}


@pytest.mark.parametrize("kind", sorted(MESSAGES))
def test_refused_files_give_one_error_and_keep_their_bytes(tmp_path: Path, kind: str) -> None:
    path = damaged_files(tmp_path)[kind]
    before = path.read_bytes()
    for opener in (open_store, read_store):
        with pytest.raises(BriefingError, match=re.escape(MESSAGES[kind])) as caught:
            opener(path)
        assert caught.value.where is not None
        assert caught.value.where.path == path
        assert "left as it is" in caught.value.hint
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(kind)) == [path.name]


# --------------------------------------------------------------------------- two writers


WRITER = textwrap.dedent(
    """
    import sys
    from datetime import UTC, datetime
    from pathlib import Path
    from briefing.history import open_store, period_record
    from briefing.model import Period
    from tests.render.fixtures import make_briefing

    path, year = Path(sys.argv[1]), int(sys.argv[2])
    briefing = make_briefing()
    for month in range(1, 13):
        for _ in range(3):  # each period written three times, as repeated builds do
            with open_store(path) as store:
                label = f"{year}-{month:02d}"
                store.record(period_record(briefing, Period.parse(label), source="build",
                                           input_hash=str(year), built_at=datetime.now(UTC)))
                store.record_decision(label, "done", note=str(year), by=None, recorded_at="t")
    """
)


def test_two_processes_writing_at_once_both_succeed(tmp_path: Path) -> None:
    path = tmp_path / "history.sqlite"  # created by whichever process gets there first
    writers = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, str(path), str(year)],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for year in (2024, 2025)
    ]
    for writer in writers:
        _out, err = writer.communicate(timeout=300)
        assert writer.returncode == 0, err
    with read_store(path) as store:  # type: ignore[union-attr]
        stored = store.load()
    # 2 processes x 12 months, each period's rows complete and its decision its own
    assert len(stored) == 24
    for label, kept in stored.items():
        assert kept.input_hash == label[:4]
        assert kept.outcome is not None
        assert kept.outcome.note == label[:4]
        assert len(kept.services) == 4
    raw = sqlite3.connect(path)
    assert raw.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    raw.close()
