"""Fixtures of the ingest tests: a real Prometheus server, started once per session.

`/usr/bin/prometheus` serves a TSDB that `promtool` backfilled from OpenMetrics
counters written by `ingest_support`; the server is stopped by its process id.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from ingest_support import (
    PROMETHEUS,
    PROMTOOL,
    PrometheusServer,
    counts_per_sample,
    start_prometheus,
    stop_prometheus,
    write_hourly_csv,
    write_openmetrics,
)
from postgres_support import PostgresServer, available, start_postgres, stop_postgres


@pytest.fixture(scope="session")
def prometheus_storage(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A TSDB backfilled by promtool, and the same counts as an hourly CSV."""
    if not PROMETHEUS.exists() or not PROMTOOL.exists():
        pytest.skip("needs /usr/bin/prometheus and /usr/bin/promtool (Debian package prometheus)")
    folder = tmp_path_factory.mktemp("prometheus")
    counts = counts_per_sample()
    source = folder / "source.om"
    write_openmetrics(source, counts)
    hourly = folder / "hourly.csv"
    write_hourly_csv(hourly, counts)
    storage = folder / "tsdb"
    subprocess.run(  # noqa: S603
        [
            str(PROMTOOL),
            "tsdb",
            "create-blocks-from",
            "openmetrics",
            "--max-block-duration=744h",
            str(source),
            str(storage),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    # a pristine copy, taken before any server opens the TSDB, for tests that run their own server
    shutil.copytree(storage, folder / "tsdb-spare")
    return storage, hourly


@pytest.fixture(scope="session")
def prometheus_server(prometheus_storage: tuple[Path, Path]) -> Iterator[PrometheusServer]:
    storage, hourly = prometheus_storage
    process, url = start_prometheus(storage, storage.parent)
    try:
        yield PrometheusServer(url=url, pid=process.pid, hourly_csv=hourly)
    finally:
        stop_prometheus(process)


@pytest.fixture(scope="session")
def postgres() -> Iterator[PostgresServer]:
    """A PostgreSQL cluster (Debian's, 15 here) in a temporary folder, on a free 127.0.0.1 port."""
    if not available():
        pytest.skip("needs /usr/lib/postgresql/*/bin (Debian package postgresql) and runuser")
    server, folder, process = start_postgres()
    try:
        yield server
    finally:
        stop_postgres(server, folder, process)
