"""Helpers of the ingest tests: a workspace config, real-world paths, a real Prometheus server.

The server is the Debian `prometheus` binary with a TSDB backfilled by `promtool`
from OpenMetrics counters this module writes; the same counts are written as a
generic CSV so each test can compare the two readers figure by figure.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import requests

from briefing.config import Config, load_config
from briefing.ingest.context import ReadContext
from briefing.model import Period

# A byte-identical copy of ../shared/real-world, so a clone alone runs the tests;
# tests/test_real_world_copy.py checks the copy against the original where it exists.
REAL_WORLD = Path(__file__).resolve().parents[1] / "data" / "real-world"
DATA = Path(__file__).resolve().parent / "data"
PROMETHEUS = Path("/usr/bin/prometheus")
PROMTOOL = Path("/usr/bin/promtool")
OCTOBER = Period(2026, 10)

SERVICES_YAML = """\
  - {id: checkout-api, name: Online checkout, objective: 0.999, cost_of_downtime_per_hour: 60000}
  - {id: payments, name: Card payments, objective: 0.999, cost_of_downtime_per_hour: 30000}
  - {id: search, name: Product search, objective: 0.995, cost_of_downtime_per_hour: 6000}
  - {id: login, name: Sign-in, objective: 0.999, cost_of_downtime_per_hour: 6000}
"""


def write_config(
    folder: Path,
    sources: str,
    *,
    extra: str = "",
    services: str = SERVICES_YAML,
    timezone: bool = True,
) -> Config:
    """A briefing.yaml for October 2026 with `sources:` as given (YAML text indented by two).

    Its sources may name the test data where it lies, outside `folder`.
    """
    zone = "timezone: UTC\n" if timezone else ""
    text = (
        f"organization: Example Corp\ncurrency: EUR\n{zone}period: 2026-10\n"
        "allow_outside_paths: true\n"
        f"services:\n{services}sources:\n{sources}{extra}"
    )
    path = folder / "briefing.yaml"
    path.write_text(text, encoding="utf-8")
    return load_config(path)


def context(config: Config, *, history: bool = True) -> ReadContext:
    return ReadContext(
        config,
        OCTOBER,
        frozenset(s.id for s in config.services),
        history_start=OCTOBER.previous().previous() if history else None,
    )


# --------------------------------------------------------------------------- a real Prometheus

DATA_START = pd.Timestamp("2026-09-01T00:00:00Z")
DATA_END = pd.Timestamp("2026-11-01T00:00:00Z")  # last sample; hourly buckets end here
SAMPLE_SECONDS = 300
PROM_SERVICES = ("checkout-api", "search")


@dataclass(frozen=True)
class PrometheusServer:
    url: str
    pid: int
    hourly_csv: Path  # the same counts as the TSDB, per service and hour


def counts_per_sample() -> dict[tuple[str, str], np.ndarray]:
    """Events in each 5-minute interval, by (service, code): seeded, with one outage."""
    rng = np.random.default_rng(20261001)
    n = int((DATA_END - DATA_START).total_seconds() // SAMPLE_SECONDS)
    result = {}
    for index, service in enumerate(PROM_SERVICES):
        ok = rng.integers(200, 400, size=n) * (index + 1)
        failed = rng.integers(0, 3, size=n)
        if service == "checkout-api":  # 2026-10-14 02:00-03:00: half the requests fail
            start = int(
                (pd.Timestamp("2026-10-14T02:00Z") - DATA_START).total_seconds() // SAMPLE_SECONDS
            )
            failed[start : start + 12] = ok[start : start + 12]
        result[(service, "200")] = ok
        result[(service, "500")] = failed
    return result


def write_openmetrics(path: Path, counts: dict[tuple[str, str], np.ndarray]) -> None:
    """Counter samples every 5 minutes: the value at T counts the events before T."""
    start = int(DATA_START.timestamp())
    with path.open("w", encoding="utf-8") as out:
        out.write(
            "# HELP http_requests Requests served, by outcome.\n# TYPE http_requests counter\n"
        )
        for (service, code), events in counts.items():
            cumulative = np.concatenate([[1000], 1000 + np.cumsum(events)])
            labels = f'{{service="{service}",code="{code}"}}'
            times = start + SAMPLE_SECONDS * np.arange(len(cumulative))
            out.writelines(
                f"http_requests_total{labels} {v} {t}\n"
                for v, t in zip(cumulative, times, strict=True)
            )
        out.write("# EOF\n")


def write_hourly_csv(path: Path, counts: dict[tuple[str, str], np.ndarray]) -> None:
    per_hour = 3600 // SAMPLE_SECONDS
    frames = []
    for service in PROM_SERVICES:
        ok = counts[(service, "200")].reshape(-1, per_hour).sum(axis=1)
        failed = counts[(service, "500")].reshape(-1, per_hour).sum(axis=1)
        hours = pd.date_range(DATA_START, periods=len(ok), freq="1h")
        frames.append(
            pd.DataFrame(
                {
                    "timestamp": hours.strftime("%Y-%m-%dT%H:%M:%SZ"),
                    "service": service,
                    "good": ok,
                    "total": ok + failed,
                }
            )
        )
    pd.concat(frames).to_csv(path, index=False)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_prometheus(storage: Path, workdir: Path) -> tuple[subprocess.Popen[bytes], str]:
    config = workdir / "prometheus.yml"
    config.write_text("global:\n  scrape_interval: 1m\nscrape_configs: []\n", encoding="utf-8")
    port = free_port()
    log = (workdir / f"prometheus-{port}.log").open("wb")
    process = subprocess.Popen(  # noqa: S603
        [
            str(PROMETHEUS),
            f"--config.file={config}",
            f"--storage.tsdb.path={storage}",
            "--storage.tsdb.retention.time=100y",
            f"--web.listen-address=127.0.0.1:{port}",
        ],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(
                f"prometheus exited: {(workdir / f'prometheus-{port}.log').read_text()[-2000:]}"
            )
        try:
            if requests.get(f"{url}/-/ready", timeout=1).status_code == 200:
                return process, url
        except requests.ConnectionError:
            pass
        time.sleep(0.2)
    stop_prometheus(process)
    raise RuntimeError("prometheus did not become ready within 60 s")


def stop_prometheus(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        os.kill(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.kill(process.pid, signal.SIGKILL)
            process.wait(timeout=10)
