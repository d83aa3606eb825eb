"""A real PostgreSQL for the `format: sql` tests: Debian's server binaries, run as `postgres`.

`initdb` refuses to run as root, so the cluster is created and served with
`runuser -u postgres` in a temporary folder owned by that user, listening on a
free 127.0.0.1 port (and a Unix socket in the folder); it is stopped by the
postmaster's process id. Connections over TCP need a password
(scram-sha-256); the tests' loader connects over the socket.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import psycopg
from ingest_support import free_port

# Debian's server binaries, the newest major version installed (15 on Debian 12)
PG_BIN = max(
    Path("/usr/lib/postgresql").glob("*/bin"),
    key=lambda p: int(p.parent.name) if p.parent.name.isdigit() else 0,
    default=Path("/usr/lib/postgresql/15/bin"),
)
USER = "briefing"
PASSWORD = "s3cret-Pa55word-for-tests"  # noqa: S105 - a throwaway test server's password
DATABASE = "slis"


@dataclass(frozen=True)
class PostgresServer:
    port: int
    socket_dir: Path
    pid: int

    @property
    def url(self) -> str:
        """The URL as briefing.yaml holds it: no password."""
        return f"postgresql://{USER}@127.0.0.1:{self.port}/{DATABASE}"

    def connect(self) -> psycopg.Connection:
        """A superuser connection over the Unix socket, for loading test data."""
        return psycopg.connect(
            host=str(self.socket_dir),
            port=self.port,
            user="postgres",
            dbname=DATABASE,
            autocommit=True,
        )


def available() -> bool:
    return (PG_BIN / "initdb").exists() and shutil.which("runuser") is not None


def _as_postgres(*args: str, **kwargs: object) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(  # noqa: S603
        ["runuser", "-u", "postgres", "--", *args], check=True, capture_output=True, **kwargs
    )


def start_postgres() -> tuple[PostgresServer, Path, subprocess.Popen[bytes]]:
    folder = Path(tempfile.mkdtemp(prefix="briefing-pg-"))
    shutil.chown(folder, "postgres", "postgres")
    data = folder / "data"
    _as_postgres(
        str(PG_BIN / "initdb"),
        "-D",
        str(data),
        "--username=postgres",
        "--auth-local=trust",
        "--auth-host=scram-sha-256",
        "--encoding=UTF8",
        "--locale=C.UTF-8",
        timeout=120,
    )
    port = free_port()
    log = (folder / "server.log").open("wb")
    process = subprocess.Popen(  # noqa: S603
        [
            "runuser",
            "-u",
            "postgres",
            "--",
            str(PG_BIN / "postgres"),
            "-D",
            str(data),
            "-p",
            str(port),
            "-k",
            str(folder),
            "-c",
            "listen_addresses=127.0.0.1",
            "-c",
            "fsync=off",
        ],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 60
    pid_file = data / "postmaster.pid"
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"postgres exited: {(folder / 'server.log').read_text()[-2000:]}")
        if pid_file.exists():
            lines = pid_file.read_text().splitlines()
            if len(lines) > 7 and "ready" in lines[7]:
                server = PostgresServer(port, folder, int(lines[0]))
                _create_database(server)
                return server, folder, process
        time.sleep(0.1)
    process.kill()
    raise RuntimeError("postgres did not become ready within 60 s")


def _create_database(server: PostgresServer) -> None:
    with psycopg.connect(
        host=str(server.socket_dir),
        port=server.port,
        user="postgres",
        dbname="postgres",
        autocommit=True,
    ) as conn:
        conn.execute(f"CREATE ROLE {USER} LOGIN PASSWORD '{PASSWORD}'")
        conn.execute(f"CREATE DATABASE {DATABASE} OWNER {USER}")


def stop_postgres(server: PostgresServer, folder: Path, process: subprocess.Popen[bytes]) -> None:
    """Fast shutdown by the postmaster's pid, then remove the cluster."""
    with contextlib.suppress(ProcessLookupError):
        os.kill(server.pid, signal.SIGINT)
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.kill(server.pid, signal.SIGKILL)
        process.wait(timeout=10)
    shutil.rmtree(folder, ignore_errors=True)
