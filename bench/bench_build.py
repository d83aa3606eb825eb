"""Benchmark: building the bundled sample, as a ratio to importing the libraries.

The floor, measured in the same run, is `python -c "import pandas, matplotlib,
weasyprint"`: the fixed cost no build can avoid. Prints medians of N runs.

    python bench/bench_build.py [--runs 5]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time


def timed(args: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(args, check=True, capture_output=True)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    runs = parser.parse_args().runs
    floor_cmd = [sys.executable, "-c", "import pandas, matplotlib, weasyprint"]
    with tempfile.TemporaryDirectory() as out:
        formats = {
            "json": "json",
            "html+json": "html,json",
            "pdf+html+json": "pdf,html,json",
        }
        floor = statistics.median(timed(floor_cmd) for _ in range(runs))
        print(f"floor (import pandas, matplotlib, weasyprint): {floor:.2f} s (median of {runs})")
        for label, fmt in formats.items():
            cmd = [sys.executable, "-m", "briefing", "build", "--out", out, "--format", fmt]
            seconds = statistics.median(timed(cmd) for _ in range(runs))
            print(f"build {label:<14} {seconds:6.2f} s  = {seconds / floor:4.1f} x floor")


if __name__ == "__main__":
    main()
