"""Benchmark: a JSON build from a live Prometheus, against curl fetching the same range queries.

Writes 50 services x 30 days of per-minute request counters (gen_workload.py's
`sli.om`, October 2026), backfills them into a TSDB with `promtool`, starts
Debian's `prometheus` on a free 127.0.0.1 port, then measures in the same run:

- the import floor: `python -c "import pandas, matplotlib, weasyprint, jinja2, yaml"`;
- the fetch floor: `curl` posting, one after the other, exactly the range queries
  the build sends (good and total, 5-minute step, the period and the two months
  before it in chunks of 10,000 steps): 432,050 points in October;
- `briefing build --format json` reading that Prometheus (`format: prometheus`).

Target: build time <= import floor + 1.5 x fetch floor. Also prints peak
memory, and whether the JSON-only build imported matplotlib or WeasyPrint.

    python bench/bench_prometheus.py [--runs 3] [--workload DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

GEN_WORKLOAD = Path(__file__).resolve().parents[2] / "shared" / "tools" / "gen_workload.py"
SERVICES, DAYS, STEP = 50, 30, 300
GOOD = 'sum by (service) (increase(http_requests_total{code="200"}[5m]))'
TOTAL = "sum by (service) (increase(http_requests_total[5m]))"
IMPORT_FLOOR = "import pandas, matplotlib, weasyprint, jinja2, yaml"
START = 1_785_542_400  # 2026-08-01T00:00:00Z: two months before the period, for trends
END = 1_793_491_200  # 2026-11-01T00:00:00Z


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def prepare(folder: Path, generator: Path) -> Path:
    """The TSDB of the workload (made once, kept in `folder`)."""
    storage = folder / "tsdb"
    if storage.exists():
        return storage
    subprocess.run(
        [sys.executable, str(generator), "-S", str(SERVICES), "-D", str(DAYS), "-I", "0",
         "-R", "0", "--only", "sli.om", "--out", str(folder)],
        check=True, capture_output=True,
    )  # fmt: skip
    subprocess.run(
        ["promtool", "tsdb", "create-blocks-from", "openmetrics", "--max-block-duration=744h",
         str(folder / "sli.om"), str(storage)],
        check=True, capture_output=True,
    )  # fmt: skip
    (folder / "sli.om").unlink()
    return storage


def start_prometheus(storage: Path, folder: Path) -> tuple[subprocess.Popen[bytes], str]:
    config = folder / "prometheus.yml"
    config.write_text("global:\n  scrape_interval: 1m\nscrape_configs: []\n", encoding="utf-8")
    port = free_port()
    process = subprocess.Popen(
        ["prometheus", f"--config.file={config}", f"--storage.tsdb.path={storage}",
         "--storage.tsdb.retention.time=100y", f"--web.listen-address=127.0.0.1:{port}"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    for _ in range(300):
        try:
            with urllib.request.urlopen(f"{url}/-/ready", timeout=1) as answer:
                if answer.status == 200:
                    return process, url
        except OSError:
            time.sleep(0.2)
    process.kill()
    raise SystemExit("prometheus did not become ready")


def write_config(folder: Path, url: str) -> Path:
    services = "".join(
        f"  - {{id: svc-{i:03d}, objective: 0.999, cost_of_downtime_per_hour: 10000}}\n"
        for i in range(SERVICES)
    )
    config = folder / "briefing.yaml"
    config.write_text(
        "organization: Bench\ncurrency: EUR\ntimezone: UTC\nperiod: 2026-10\n"
        f"services:\n{services}sources:\n  metrics:\n"
        f"    - format: prometheus\n      url: {url}\n      step: 5m\n"
        f"      good: '{GOOD}'\n      total: '{TOTAL}'\n",
        encoding="utf-8",
    )
    return config


def curl_commands(url: str) -> list[list[str]]:
    """The range queries the build sends, as curl commands (same chunks of 10,000 steps)."""
    from briefing.ingest.prometheus_api import _chunks

    commands = []
    for query in (GOOD, TOTAL):
        for a, b in _chunks(START + STEP, END, STEP):
            commands.append(
                ["curl", "-sS", "-o", "/dev/null", "--data-urlencode", f"query={query}",
                 "--data", f"start={a}&end={b}&step={STEP}s", f"{url}/api/v1/query_range"]
            )  # fmt: skip
    return commands


def timed(commands: list[list[str]]) -> float:
    started = time.perf_counter()
    for command in commands:
        subprocess.run(command, check=True, capture_output=True)
    return time.perf_counter() - started


def measured(args: list[str]) -> tuple[float, float]:
    result = subprocess.run(["/usr/bin/time", "-v", *args], capture_output=True, text=True)
    if result.returncode != 0:
        raise SystemExit(f"{' '.join(args)} failed:\n{result.stderr[-3000:]}")
    peak = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", result.stderr).group(1))
    wall = re.search(
        r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (?:(\d+):)?(\d+):([\d.]+)", result.stderr
    )
    return int(wall.group(1) or 0) * 3600 + int(wall.group(2)) * 60 + float(
        wall.group(3)
    ), peak / 1024


IMPORTED = """
import json, sys
from briefing.cli import cli
try:
    cli(["build", "--config", sys.argv[1], "--format", "json", "--out", sys.argv[2]])
except SystemExit:
    pass
print(json.dumps({m: m in sys.modules for m in ("matplotlib", "weasyprint")}))
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--workload", type=Path, help="keep the TSDB here between runs")
    parser.add_argument("--generator", type=Path, default=GEN_WORKLOAD)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        folder = args.workload or Path(scratch)
        folder.mkdir(parents=True, exist_ok=True)
        storage = prepare(folder, args.generator)
        process, url = start_prometheus(storage, folder)
        try:
            config = write_config(folder, url)
            out = folder / "out"
            build_args = [sys.executable, "-m", "briefing", "build", "--config", str(config),
                          "--format", "json", "--out", str(out)]  # fmt: skip
            measured(build_args)  # warm the server's caches, as curl's first pass would
            commands = curl_commands(url)
            timed(commands)
            imports = statistics.median(
                measured([sys.executable, "-c", IMPORT_FLOOR])[0] for _ in range(args.runs)
            )
            fetch = statistics.median(timed(commands) for _ in range(args.runs))
            builds = [measured(build_args) for _ in range(args.runs)]
            build = statistics.median(b[0] for b in builds)
            peak = max(b[1] for b in builds)
            loaded = json.loads(
                subprocess.run(
                    [sys.executable, "-c", IMPORTED, str(config), str(out)],
                    capture_output=True, text=True, check=True,
                ).stdout.strip().splitlines()[-1]
            )  # fmt: skip
            points = sum(
                1 for _ in json.loads((out / "briefing-2026-10.json").read_text())["services"]
            )
        finally:
            os.kill(process.pid, signal.SIGTERM)
            process.wait(timeout=30)
    target = imports + 1.5 * fetch
    print(f"workload: {SERVICES} services x {DAYS} days, 5-minute step ({points} services briefed)")
    print(f"import floor ({IMPORT_FLOOR}): {imports:6.2f} s")
    print(f"curl, the same {len(commands)} range queries:         {fetch:6.2f} s")
    print(f"briefing build --format json:                {build:6.2f} s, peak {peak:,.0f} MiB")
    print(
        f"build / (import floor + 1.5 x curl) = {build:.2f} / {target:.2f} = "
        f"{build / target:.2f} (target <= 1)"
    )
    print(f"imported by the JSON-only build: {loaded}")


if __name__ == "__main__":
    main()
