"""Benchmark: a year's backfill against one build, on a copy of the bundled sample.

A backfill reads every source once and computes each period from those inputs, so
twelve months should cost one read plus twelve computations, far less than twelve
builds. Prints medians of N runs as ratios to the floor measured in the same run,
`python -c "import pandas, matplotlib, weasyprint"`.

    python bench/bench_history.py [--runs 3]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from briefing.config import packaged_sample_config


def timed(args: list[str], cwd: Path) -> float:
    start = time.perf_counter()
    subprocess.run(args, check=True, capture_output=True, cwd=cwd)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=3)
    runs = parser.parse_args().runs
    briefing = [sys.executable, "-m", "briefing"]
    with tempfile.TemporaryDirectory() as folder:
        ws = Path(folder)
        shutil.copytree(packaged_sample_config().parent, ws, dirs_exist_ok=True)
        floor_cmd = [sys.executable, "-c", "import pandas, matplotlib, weasyprint"]
        floor = statistics.median(timed(floor_cmd, ws) for _ in range(runs))
        print(f"floor (import pandas, matplotlib, weasyprint): {floor:.2f} s (median of {runs})")
        commands = {
            "build one month (json)": [*briefing, "build", "--format", "json", "--out", "out"],
            "backfill twelve months": [
                *briefing,
                "history",
                "backfill",
                "--from",
                "2025-10",
                "--to",
                "2026-09",
            ],  # fmt: skip
            "history list": [*briefing, "history", "list"],
        }
        for label, cmd in commands.items():
            seconds = statistics.median(timed(cmd, ws) for _ in range(runs))
            print(f"{label:<24} {seconds:6.2f} s  = {seconds / floor:4.1f} x floor")


if __name__ == "__main__":
    main()
