"""Benchmark: building the briefing of generated organisations, as ratios to the import floor.

The floor, measured in the same run, is `python -c "import pandas, matplotlib,
weasyprint, jinja2, yaml"`: the fixed cost no build can avoid. Each build runs
under `/usr/bin/time -v` for its peak memory (maximum resident set size).

Organisations (tools/make_organisation.py, seeded, 5 units, 30 days of per-minute SLIs):
  50 services,  2,000 incidents, 100 risks, 2.16 million SLI rows: <= 8x the floor, <= 1 GiB
  200 services, 20,000 incidents, 500 risks, 8.64 million SLI rows: <= 16x the floor, <= 2 GiB

`--stages` also times one full build per organisation stage by stage (ingest;
compute: incident attribution, the Monte Carlo, loss avoided; translate; render:
charts, HTML, WeasyPrint layout and PDF writing, JSON and its schema check) in
a child process, with the PDF's page count and the peak memory after each stage.

    python bench/bench_scale.py                       # both organisations
    python bench/bench_scale.py --sizes 50 --stages   # the 50-service one, stage by stage
    python bench/bench_scale.py --workdir /tmp/orgs   # keep the generated workspaces
    python bench/bench_scale.py --builds json         # JSON-only builds
"""

from __future__ import annotations

import argparse
import functools
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

FLOOR = [sys.executable, "-c", "import pandas, matplotlib, weasyprint, jinja2, yaml"]
SIZES = {
    # services: (incidents, risks, time target x floor, memory target MiB)
    50: (2000, 100, 8.0, 1024),
    200: (20000, 500, 16.0, 2048),
}
BUILDS = {"full": "pdf,html,json", "json": "json"}


def measured(args: list[str]) -> tuple[float, float, float]:
    """Wall seconds, CPU seconds and peak resident memory (MiB) of a command (/usr/bin/time -v).

    The CPU time (user + system) moves less than the wall time when other work
    shares the machine; the targets are on wall time.
    """
    start = time.perf_counter()
    done = subprocess.run(["/usr/bin/time", "-v", *args], capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(args)} failed:\n{done.stderr[-2000:]}")

    def number(label: str) -> float:
        found = re.search(rf"{label}: ([0-9.]+)", done.stderr)
        return float(found.group(1)) if found else float("nan")

    cpu = number(r"User time \(seconds\)") + number(r"System time \(seconds\)")
    return seconds, cpu, number(r"Maximum resident set size \(kbytes\)") / 1024


def workspace(services: int, workdir: Path) -> Path:
    from tools.make_organisation import Organisation, make_organisation

    incidents, risks, _, _ = SIZES[services]
    target = workdir / f"org{services}"
    config = target / "briefing.yaml"
    if not config.is_file():
        print(f"generating {services} services in {target} ...", flush=True)
        make_organisation(Organisation(services, 30, incidents, risks, groups=5), target)
    return config


def pages(pdf: Path) -> int | str:
    try:
        from pypdf import PdfReader  # the test extra
    except ImportError:
        return "?"
    return len(PdfReader(pdf).pages)


def bench(sizes: list[int], workdir: Path, runs: int, stages: bool, builds: list[str]) -> None:
    floors = [measured(FLOOR) for _ in range(3)]
    floor = statistics.median(s for s, _, _ in floors)
    floor_cpu = statistics.median(c for _, c, _ in floors)
    floor_mib = statistics.median(m for _, _, m in floors)
    print(f"floor (import pandas, matplotlib, weasyprint, jinja2, yaml): {floor:.2f} s, "
          f"{floor_cpu:.2f} s CPU, {floor_mib:.0f} MiB (median of 3)")  # fmt: skip
    for services in sizes:
        config = workspace(services, workdir)
        _, _, x_target, mib_target = SIZES[services]
        for label, formats in BUILDS.items():
            if label not in builds:
                continue
            out = workdir / f"out{services}-{label}"
            cmd = [sys.executable, "-m", "briefing", "build", "--config", str(config),
                   "--format", formats, "--out", str(out)]  # fmt: skip
            results = [measured(cmd) for _ in range(runs)]
            seconds = statistics.median(s for s, _, _ in results)
            cpu = statistics.median(c for _, c, _ in results)
            mib = max(m for _, _, m in results)
            ratio = seconds / floor
            verdict = "ok" if ratio <= x_target and mib <= mib_target else "OVER"
            pdf = out / "briefing-2026-10.pdf"
            extra = f", {pages(pdf)} pages" if label == "full" and pdf.is_file() else ""
            print(f"{services:>3} services {label:<4} {seconds:6.1f} s = {ratio:5.1f} x floor "
                  f"(target {x_target:g}x; CPU {cpu / floor_cpu:5.1f} x), "
                  f"{mib:6.0f} MiB (target {mib_target}){extra}  {verdict}", flush=True)  # fmt: skip
        if stages:
            formats = BUILDS["full" if "full" in builds else "json"]
            child = [
                sys.executable,
                __file__,
                "--stages-of",
                str(config),
                "--stage-formats",
                formats,
            ]
            done = subprocess.run(child, capture_output=True, text=True)
            if done.returncode != 0:
                raise SystemExit(done.stderr[-2000:])
            print(done.stdout, end="", flush=True)


# --------------------------------------------------------------------------- stage timing

STAGES: list[tuple[str, str, str]] = [
    # label, module, attribute (wrapped where the pipeline looks it up)
    ("ingest", "briefing.pipeline", "read_inputs"),
    ("compute", "briefing.pipeline", "compute"),
    ("  incident attribution", "briefing.compute", "compute_incidents"),
    ("  Monte Carlo", "briefing.compute.risk", "simulate"),
    ("  loss avoided", "briefing.compute.loss_avoided", "compute_loss_avoided"),
    ("translate", "briefing.pipeline", "translate"),
    ("render HTML (with charts)", "briefing.render.html", "render_html"),
    ("  charts", "briefing.render.html", "render_charts"),
    ("render PDF", "briefing.render.pdf", "render_pdf"),
    ("  WeasyPrint layout", "weasyprint", "HTML.render"),
    ("  WeasyPrint PDF writing", "weasyprint.document", "Document.write_pdf"),
    ("render JSON", "briefing.render", "render_json"),
    ("  schema check", "briefing.render", "validate_json"),
    ("page-1 jargon check", "briefing.pipeline", "lint_executive_pages"),
]


def peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def stage_timings(config_path: Path, formats: str = BUILDS["full"]) -> None:
    """One build in this process, each stage timed where the pipeline calls it."""
    import importlib
    import logging
    from datetime import UTC, datetime

    # a missing chart font is looked up (and logged) once per text drawn: keep the output short
    logging.getLogger("matplotlib.font_manager").setLevel(logging.ERROR)

    spent: dict[str, float] = {}
    peaks: dict[str, float] = {}
    found: dict[str, Any] = {}

    def timed(label: str, function: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(function)
        def run(*args: Any, **kwargs: Any) -> Any:
            start = time.perf_counter()
            try:
                result = function(*args, **kwargs)
            finally:
                spent[label] = spent.get(label, 0.0) + time.perf_counter() - start
                peaks[label] = peak_mib()
            if label == "  WeasyPrint layout":
                found["pages"] = len(result.pages)
            return result

        return run

    missing = []
    for label, module_name, attribute in STAGES:
        owner: Any = importlib.import_module(module_name)
        *path, name = attribute.split(".")
        for part in path:
            owner = getattr(owner, part)
        if not hasattr(owner, name):
            missing.append(label.strip())
            continue
        setattr(owner, name, timed(label, getattr(owner, name)))

    from briefing import pipeline
    from briefing.config import load_config

    start = time.perf_counter()
    config = load_config(config_path)
    period = pipeline.resolve_period(config, None, now=datetime.now(UTC))
    with tempfile.TemporaryDirectory() as out:
        pipeline.build(
            config,
            period,
            formats=formats.split(","),
            out_dir=Path(out),
            now=datetime(2026, 11, 2, tzinfo=UTC),
        )
    total = time.perf_counter() - start
    print(f"    stages of one {formats} build ({config_path.parent.name}, in process, "
          f"{found.get('pages', 'no')} PDF pages): {total:.1f} s")  # fmt: skip
    for label, *_ in STAGES:
        if label in spent:
            print(f"    {label:<28} {spent[label]:6.2f} s  peak {peaks[label]:6.0f} MiB")
    if missing:
        print(f"    (not found in this version: {', '.join(missing)})")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", default="50,200", help="organisations: 50 and/or 200 services")
    parser.add_argument("--workdir", type=Path, help="keep the generated workspaces here")
    parser.add_argument("--runs", type=int, default=1, help="builds per measure (median)")
    parser.add_argument("--builds", default="full,json", help="full (pdf,html,json) and/or json")
    parser.add_argument("--stages", action="store_true", help="also time each stage")
    parser.add_argument("--stages-of", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--stage-formats", default=BUILDS["full"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.stages_of:
        stage_timings(args.stages_of, args.stage_formats)
        return
    sizes = [int(s) for s in args.sizes.split(",")]
    unknown = [s for s in sizes if s not in SIZES]
    if unknown:
        parser.error(f"unknown size {unknown[0]}; choose from {', '.join(map(str, SIZES))}")
    builds = [b for b in args.builds.split(",") if b]
    if any(b not in BUILDS for b in builds):
        parser.error(f"unknown build in {args.builds!r}; choose from {', '.join(BUILDS)}")
    if args.workdir:
        args.workdir.mkdir(parents=True, exist_ok=True)
        bench(sizes, args.workdir, args.runs, args.stages, builds)
    else:
        with tempfile.TemporaryDirectory() as workdir:
            bench(sizes, Path(workdir), args.runs, args.stages, builds)


if __name__ == "__main__":
    main()
