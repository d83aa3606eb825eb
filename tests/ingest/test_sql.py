"""`format: sql` against a real PostgreSQL 15: the sample's rows in tables give the CSVs' briefing.

Every failure is one message naming the source and its services, exit 1, no
traceback and never the password: an unreachable server, a bad URL, a query
that fails (the server's own text shown), a missing table, a result of the
wrong shape, an empty result for a configured service, a write.
"""

from __future__ import annotations

import threading
import time
from pathlib import Path

import psycopg
import pytest
from click.testing import CliRunner
from ingest_support import free_port
from postgres_support import PASSWORD, PostgresServer
from warehouse_support import (
    SAMPLE,
    briefing_json,
    sample_copy,
    sample_rows_in_window,
    sample_sli,
    with_sources,
)

from briefing.cli import cli
from briefing.config import load_config

METRICS_QUERY = (
    "SELECT timestamp, service, sum(good) AS good, sum(total) AS total FROM sli "
    "WHERE timestamp >= :start AND timestamp < :end GROUP BY timestamp, service"
)
INCIDENTS_QUERY = (
    "SELECT id, service, title, severity, started_at, detected_at, resolved_at, impact, risk "
    "FROM incidents WHERE resolved_at >= :start AND started_at < :end"
)


@pytest.fixture(scope="module")
def loaded(postgres: PostgresServer) -> PostgresServer:
    """The sample's metrics and incidents in tables `sli` and `incidents`."""
    import gzip

    with postgres.connect() as conn:
        conn.execute("DROP TABLE IF EXISTS sli, incidents")
        conn.execute(
            "CREATE TABLE sli (timestamp timestamptz, service text, good bigint, total bigint)"
        )
        conn.execute(
            "CREATE TABLE incidents (id text, service text, title text, severity text, "
            "started_at timestamptz, detected_at timestamptz, resolved_at timestamptz, "
            "impact double precision, risk text)"
        )
        for table, path in (
            ("sli", SAMPLE / "exports" / "sli.csv.gz"),
            ("incidents", SAMPLE / "exports" / "incidents.csv"),
        ):
            opener = gzip.open if path.suffix == ".gz" else open
            with (
                opener(path, "rb") as source,
                conn.cursor().copy(
                    f"COPY {table} FROM STDIN WITH (FORMAT csv, HEADER true)"
                ) as copy,
            ):
                while block := source.read(1 << 20):
                    copy.write(block)
        conn.execute("ALTER TABLE sli OWNER TO briefing")
        conn.execute("ALTER TABLE incidents OWNER TO briefing")
    return postgres


@pytest.fixture
def password(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BRIEFING_DB_PASSWORD", PASSWORD)


def test_an_incidents_query_may_return_every_generic_column() -> None:
    from briefing.ingest.generic import INCIDENT_FIELDS
    from briefing.ingest.sql import INCIDENT_TYPES

    assert tuple(INCIDENT_TYPES) == INCIDENT_FIELDS


def sql_entry(url: str, query: str, more: str = "") -> str:
    return (
        f'    - format: sql\n      url: {url}\n      query: "{query}"\n'
        f"      password_env: BRIEFING_DB_PASSWORD\n{more}"
    )


def test_tables_in_postgresql_give_the_briefing_of_the_csvs(
    loaded: PostgresServer, password: None, tmp_path: Path
) -> None:
    expected = briefing_json(load_config(sample_copy(tmp_path / "csv") / "briefing.yaml"))
    config = with_sources(
        sample_copy(tmp_path / "sql"),
        metrics=sql_entry(loaded.url, METRICS_QUERY),
        incidents=sql_entry(loaded.url, INCIDENTS_QUERY),
    )
    data = briefing_json(config)
    metrics = data["data_quality"]["files"][0]
    # The query reads [:start, :end): 2026-08-01 to 2026-11-01 in Amsterdam, which ends at
    # 2026-10-31T23:00Z; rows after it (the CSV's last hour of October) or before it are
    # neither asked for nor counted; the rows inside are one per service and minute.
    # (the window's start is the trend's first month, which the history settings decide)
    assert metrics["rows_read"] == metrics["rows_used"]
    assert 600_000 < metrics["rows_read"] <= sample_rows_in_window() < sample_sli().num_rows
    # the incidents query reads those overlapping the window too: older ones are not counted
    incidents = data["data_quality"]["files"][1]
    assert incidents["rows_read"] == incidents["rows_used"] > 0
    assert incidents["rows_read"] <= expected["data_quality"]["files"][1]["rows_read"]
    for figures in (data, expected):
        for entry in figures["data_quality"]["files"][:2]:
            entry.pop("rows_read")
            entry.pop("rows_used")
    assert data == expected
    assert data["incidents"]["count"] > 0


def build(workspace: Path) -> tuple[int, str]:
    result = CliRunner().invoke(
        cli,
        [
            "build",
            "--config",
            str(workspace / "briefing.yaml"),
            "--format",
            "json",
            "--out",
            str(workspace / "out"),
        ],
    )
    return result.exit_code, result.output + (result.stderr if result.stderr_bytes else "")


def failing_build(tmp_path: Path, metrics: str) -> str:
    """Build with this metrics entry; it must fail cleanly. The message, one line or a few."""
    workspace = sample_copy(tmp_path)
    text = (workspace / "briefing.yaml").read_text(encoding="utf-8")
    (workspace / "briefing.yaml").write_text(
        text.replace("    - {path: exports/sli.csv.gz}\n", metrics), encoding="utf-8"
    )
    code, output = build(workspace)
    assert code == 1, output
    assert "Traceback" not in output
    assert PASSWORD not in output
    return output


SOURCE = "sources.metrics[0] (sql postgresql://briefing@127.0.0.1:"
SERVICES = "for accounts, catalog, checkout and 2 more"


def test_an_unreachable_database_is_retried_then_named(password: None, tmp_path: Path) -> None:
    url = f"postgresql://briefing@127.0.0.1:{free_port()}/slis"
    started = time.monotonic()
    output = failing_build(tmp_path, sql_entry(url, METRICS_QUERY, "      retries: 2\n"))
    assert "cannot connect after 3 attempt(s)" in output
    assert "sources.metrics[0] (sql postgresql://briefing@127.0.0.1:" in output
    assert SERVICES in output
    assert time.monotonic() - started >= 0.5 + 1.0  # backoff 0.5 s, then 1 s


def test_a_bad_url_is_a_config_error(password: None, tmp_path: Path) -> None:
    output = failing_build(tmp_path, sql_entry("not a url", METRICS_QUERY))
    assert "sources.metrics[0].url: not an SQLAlchemy URL" in output


def test_a_password_in_the_url_is_refused_and_never_shown(tmp_path: Path) -> None:
    url = f"postgresql://briefing:{PASSWORD}@127.0.0.1:5432/slis"
    output = failing_build(tmp_path, sql_entry(url, METRICS_QUERY))
    assert "postgresql://briefing:***@127.0.0.1:5432/slis holds a password" in output
    assert "password_env" in output


def test_a_missing_table_shows_the_servers_error(
    loaded: PostgresServer, password: None, tmp_path: Path
) -> None:
    query = METRICS_QUERY.replace("FROM sli", "FROM sli_archive")
    output = failing_build(tmp_path, sql_entry(loaded.url, query))
    assert SOURCE in output
    assert SERVICES in output
    assert 'the query failed: relation "sli_archive" does not exist' in output


def test_a_failing_query_shows_the_servers_error(
    loaded: PostgresServer, password: None, tmp_path: Path
) -> None:
    output = failing_build(tmp_path, sql_entry(loaded.url, "SELEKT 1"))
    assert 'syntax error at or near "SELEKT"' in output


def test_an_empty_result_for_a_configured_service_names_it(
    loaded: PostgresServer, password: None, tmp_path: Path
) -> None:
    query = METRICS_QUERY.replace("WHERE", "WHERE service <> 'search' AND")
    output = failing_build(tmp_path, sql_entry(loaded.url, query))
    assert "returned no rows for search" in output


def test_the_shape_of_the_result_is_checked(
    loaded: PostgresServer, password: None, tmp_path: Path
) -> None:
    extra = "SELECT timestamp, service, good, total, 1 AS shard FROM sli WHERE timestamp < :end"
    output = failing_build(tmp_path / "extra", sql_entry(loaded.url, extra))
    assert "the query returns extra column(s) shard" in output
    missing = "SELECT timestamp, service, good FROM sli"
    output = failing_build(tmp_path / "missing", sql_entry(loaded.url, missing))
    assert "the query returns no column total" in output
    text = "SELECT '2026-10-01 00:00:00+00' AS timestamp, service, good, total FROM sli LIMIT 5"
    output = failing_build(tmp_path / "text", sql_entry(loaded.url, text))
    assert (
        "column timestamp holds string values (e.g. '2026-10-01 00:00:00+00'), not timestamps"
        in output
    )


def test_the_query_runs_read_only(loaded: PostgresServer, password: None, tmp_path: Path) -> None:
    """A write is refused: a statement through the cursor, a function through the read-only
    transaction; the table keeps every row."""
    with loaded.connect() as conn:
        conn.execute(
            "CREATE OR REPLACE FUNCTION purge() RETURNS SETOF sli LANGUAGE sql AS "
            "$$ DELETE FROM sli WHERE service = 'search' RETURNING * $$"
        )
        conn.execute("ALTER FUNCTION purge() OWNER TO briefing")
    delete = "DELETE FROM sli WHERE service = 'search' RETURNING timestamp, service, good, total"
    output = failing_build(tmp_path / "delete", sql_entry(loaded.url, delete))
    assert 'the query failed: syntax error at or near "DELETE"' in output
    with loaded.connect() as conn:
        (before,) = conn.execute("SELECT count(*) FROM sli WHERE service = 'search'").fetchone()
    output = failing_build(tmp_path / "function", sql_entry(loaded.url, "SELECT * FROM purge()"))
    assert "cannot execute DELETE in a read-only transaction" in output
    with loaded.connect() as conn:
        (after,) = conn.execute("SELECT count(*) FROM sli WHERE service = 'search'").fetchone()
    assert after == before > 0  # untouched


def test_a_wrong_password_or_a_missing_variable(
    loaded: PostgresServer, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("BRIEFING_DB_PASSWORD", "not-" + PASSWORD)
    output = failing_build(
        tmp_path / "wrong", sql_entry(loaded.url, METRICS_QUERY, "      retries: 0\n")
    )
    assert 'password authentication failed for user "briefing"' in output
    assert "not-" + PASSWORD not in output
    monkeypatch.delenv("BRIEFING_DB_PASSWORD")
    output = failing_build(tmp_path / "unset", sql_entry(loaded.url, METRICS_QUERY))
    assert "environment variable BRIEFING_DB_PASSWORD (named by password_env) is not set" in output


def test_a_statement_timeout_stops_the_query(
    loaded: PostgresServer, password: None, tmp_path: Path
) -> None:
    slow = "SELECT timestamp, service, good, total FROM sli, pg_sleep(5) LIMIT 1"
    started = time.monotonic()
    output = failing_build(tmp_path, sql_entry(loaded.url, slow, "      timeout_seconds: 1\n"))
    assert "the query ran longer than 1 s (timeout_seconds)" in output
    assert time.monotonic() - started < 5


def test_a_connection_lost_mid_query_is_retried(
    loaded: PostgresServer, password: None, tmp_path: Path
) -> None:
    """The server ends the first attempt's session while it sleeps; the second attempt runs."""
    query = (
        "SELECT timestamp, service, sum(good) AS good, sum(total) AS total "
        "FROM sli, (SELECT pg_sleep(CASE WHEN (SELECT count(*) FROM pg_stat_activity "
        "WHERE application_name = 'briefing') > 0 AND NOT EXISTS (SELECT 1 FROM killed) "
        "THEN 3 ELSE 0 END)) AS pause "
        "WHERE timestamp >= :start AND timestamp < :end GROUP BY timestamp, service"
    )
    with loaded.connect() as conn:
        conn.execute("DROP TABLE IF EXISTS killed")
        conn.execute("CREATE TABLE killed (at timestamptz)")
        conn.execute("GRANT SELECT ON killed TO briefing")

    def kill_first_session() -> None:
        with loaded.connect() as conn:
            for _ in range(100):
                ended = conn.execute(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE application_name = 'briefing' AND state = 'active'"
                ).fetchall()
                if ended:
                    conn.execute("INSERT INTO killed VALUES (now())")
                    return
                time.sleep(0.1)

    killer = threading.Thread(target=kill_first_session)
    killer.start()
    config = with_sources(sample_copy(tmp_path), metrics=sql_entry(loaded.url, query))
    data = briefing_json(config)
    killer.join()
    with loaded.connect() as conn:
        assert conn.execute("SELECT count(*) FROM killed").fetchone() == (1,)
    assert 600_000 < data["data_quality"]["files"][0]["rows_used"] <= sample_rows_in_window()


def test_rejected_rows_are_named_by_their_row_in_the_result(
    loaded: PostgresServer, password: None, tmp_path: Path
) -> None:
    query = (
        "SELECT * FROM (VALUES (TIMESTAMPTZ '2026-10-01 00:00Z', 'search', 5, 4), "
        "(TIMESTAMPTZ '2026-10-01 00:01Z', 'search', 1, 2), "
        "(NULL, 'search', 1, 2), "
        "(TIMESTAMPTZ '2026-10-01 00:03Z', 'search', 1.5, 2)) AS t(timestamp, service, good, total)"
    )
    config = with_sources(
        sample_copy(tmp_path),
        metrics=sql_entry(loaded.url, query, "      services: [search]\n")
        + "    - {path: exports/sli.csv.gz}\n",
    )
    from ingest_support import context

    from briefing.ingest.sql import read_metrics_sql

    quality = read_metrics_sql(config.sources.metrics[0], context(config)).quality[0]
    # 4 rows (numeric columns: the database sends decimals); row 2 alone is a count
    assert (quality.rows_read, quality.rows_used, quality.rows_rejected) == (4, 1, 3)
    assert [(r.line, r.column) for r in quality.rejections] == [
        (1, "good"),
        (3, "timestamp"),
        (4, "good"),
    ]
    assert quality.rejections[0].reason == "good (5) is more than total (4)"
    assert quality.rejections[2].reason == "good 1.5 is not a whole number"
    assert quality.path == loaded.url
    with pytest.raises(psycopg.Error):  # the loader's socket needs no password; TCP does
        psycopg.connect(f"host=127.0.0.1 port={loaded.port} user=briefing dbname=slis password=x")
