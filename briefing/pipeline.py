"""The recipe: config -> ingest -> compute -> translate -> render -> write.

`build_briefing` runs the first four stages and returns a `Briefing`;
`build` renders it and writes `briefing-<label>.{pdf,html,json}` (`briefing-2026-10.pdf`,
`briefing-2026-Q3.pdf`). Rendering and delivery take the returned values and
never re-run a stage.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable, Sequence
from concurrent.futures import Future
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TypedDict

from briefing import __version__
from briefing.atomic import make_folder, write_atomic
from briefing.compute import Simulated, compute, simulate_early
from briefing.compute.trend import compute_trend, trend_periods, trend_start
from briefing.config import Config
from briefing.config.warehouse import match_files
from briefing.errors import BriefingError, Location
from briefing.formats import KINDS, find_format
from briefing.history import fingerprint, load_stored
from briefing.ingest import ingest, read_register, read_slos
from briefing.ingest.commentary import commentary_path
from briefing.ingest.scope import check_slugs, check_unit, scope_to_unit, slug, unit_names
from briefing.model import Briefing, DataQuality, Inputs, Period
from briefing.periods import as_kind
from briefing.translate.glossary import Glossary, load_glossary
from briefing.translate.words import translate

log = logging.getLogger(__name__)
FORMATS = ("pdf", "html", "json")

Progress = Callable[[str], None]


@dataclass(frozen=True)
class BuildResult:
    briefing: Briefing
    outputs: dict[str, bytes]
    files: dict[str, Path]
    warnings: tuple[str, ...] = ()


def resolve_period(
    config: Config, period: str | None, *, now: datetime, kind: str | None = None
) -> Period:
    """The period to brief on: `--period`, else the last complete period of `--period-kind`,
    else `period:` in the config, else the last complete month (all in the config's zone)."""
    chosen_kind = as_kind(kind) if kind else None
    label = period.strip() if period and period.strip() else None
    if label is None and chosen_kind is None:
        label = config.period
    if label is None:
        return Period.last_complete(now, config.timezone, chosen_kind or "month")
    resolved = Period.parse(label, config.timezone)
    if chosen_kind is not None and resolved.kind != chosen_kind:
        raise BriefingError(
            f"--period {label} is a {resolved.kind} but --period-kind asks for a {chosen_kind}",
            hint="give one of the two: --period names the period, --period-kind the last complete one",
        )
    return resolved


def build_briefing(
    config: Config,
    period: Period,
    *,
    glossary: Glossary | None = None,
    strict: bool = False,
    now: datetime | None = None,
    progress: Progress | None = None,
    group: str | None = None,
    allow_incomplete: bool = False,
    issued: date | None = None,
) -> Briefing:
    """Stages 1-3: ingest, compute, translate (of one unit's services with `group`).

    `allow_incomplete`: a service with partial data may be the headline;
    `issued`: the issue date on the cover, instead of the policy's rule.
    """
    if group is not None:
        check_unit(config, group)
    early = Early()
    inputs = read_inputs(config, period, strict=strict, progress=progress, early=early)
    return briefing_from_inputs(
        inputs,
        config,
        period,
        glossary=glossary,
        now=now,
        progress=progress,
        group=group,
        allow_incomplete=allow_incomplete,
        issued=issued,
        early=early.simulation,
    )


@dataclass
class Early:
    """Compute work started while the inputs are read: the risk register's simulation
    needs only the register, so it runs beside reading the metrics."""

    simulation: Future[Simulated] | None = None


def read_inputs(
    config: Config,
    period: Period,
    *,
    strict: bool = False,
    progress: Progress | None = None,
    early: Early | None = None,
) -> Inputs:
    """Stage 1: every source of the config, read once. With `early`, the register is read
    first and its simulation started there."""
    step = progress or (lambda message: None)
    log.info("Step 1/4 - Reading inputs")
    step("Reading inputs")
    slos, slo_quality, slo_notes = read_slos(config, period)
    register = None
    if early is not None:
        register = read_register(config, period, slos=slos, first=trend_start(period))
        if register is not None and not register.table.empty:
            early.simulation = simulate_early(register.table, config, slos)
    inputs = ingest(
        config,
        period,
        slos=slos,
        progress=progress,
        first=trend_start(period),
        register=register,
        whole=True,
    )
    if slo_quality or slo_notes:
        from dataclasses import replace

        inputs = replace(
            inputs,
            data_quality=DataQuality(tuple(slo_quality) + inputs.data_quality.files),
            notes=tuple(slo_notes) + inputs.notes,
        )
    if strict:
        fail_on_rejections(inputs.data_quality)
    return inputs


def briefing_from_inputs(
    inputs: Inputs,
    config: Config,
    period: Period,
    *,
    glossary: Glossary | None = None,
    now: datetime | None = None,
    progress: Progress | None = None,
    group: str | None = None,
    allow_incomplete: bool = False,
    issued: date | None = None,
    early: Future[Simulated] | None = None,
) -> Briefing:
    """Stages 2-3 over inputs already read: the organisation's, or one unit's with `group`.

    The organisation's briefing reads the history store for its trend and last period's
    decision; a unit's takes its trend from the inputs alone (the store keeps the
    organisation's periods). `early`: the register's simulation, started while reading
    (used when it is of the register this briefing covers)."""
    step = progress or (lambda message: None)
    earlier = [p.label for p in trend_periods(period)[:-1]]
    stored = load_stored(config, earlier) if group is None else {}
    if group is not None:
        config, inputs = scope_to_unit(config, inputs, group)
    log.info("Step 2/4 - Computing%s", f" ({group})" if group else "")
    step("Computing" + (f" {group}" if group else ""))
    findings = compute(
        inputs,
        config,
        period,
        now=now,
        allow_incomplete=allow_incomplete,
        issued=issued,
        early=early if group is None else None,
    )
    findings = compute_trend(inputs, config, period, findings, stored)
    if group is not None:
        findings = replace(findings, group=group)
    log.info("Step 3/4 - Translating")
    step("Translating")
    return translate(findings, glossary or load_glossary(config.glossary), config)


def fail_on_rejections(quality: DataQuality) -> None:
    for file in quality.files:
        if file.rows_rejected:
            first = file.rejections[0]
            raise BriefingError(
                f"{first.reason} ({file.rows_rejected} row(s) rejected in this file; --strict stops at any)",
                where=Location(file.path, first.line, first.column),
                hint="fix the rows, or build without --strict to see every rejection under data quality",
            )


class BuildOptions(TypedDict, total=False):
    """What `build` and `build_all_groups` take besides the config and the period."""

    formats: Sequence[str]
    out_dir: Path | None
    strict: bool
    now: datetime | None
    progress: Progress | None
    allow_incomplete: bool
    issued: date | None
    pdf_variant: str | None


def build(
    config: Config,
    period: Period,
    *,
    formats: Sequence[str] = FORMATS,
    out_dir: Path | None = None,
    strict: bool = False,
    now: datetime | None = None,
    progress: Progress | None = None,
    allow_incomplete: bool = False,
    issued: date | None = None,
    pdf_variant: str | None = None,
    group: str | None = None,
) -> BuildResult:
    """All stages; writes the requested files under `out_dir` when given.

    `pdf_variant` (e.g. "pdf/a-3b") replaces `report.pdf_variant` for this build.
    With `group`, the briefing of that unit's services only, written as
    `briefing-<period>-<group slug>.*` beside the organisation's.
    """
    check_formats(formats)
    glossary = load_glossary(config.glossary)
    briefing = build_briefing(
        config,
        period,
        glossary=glossary,
        strict=strict,
        now=now,
        progress=progress,
        group=group,
        allow_incomplete=allow_incomplete,
        issued=issued,
    )
    return finish(
        briefing, config, period, glossary, formats, out_dir, strict, progress, pdf_variant
    )


def build_all_groups(
    config: Config,
    period: Period,
    *,
    formats: Sequence[str] = FORMATS,
    out_dir: Path | None = None,
    strict: bool = False,
    now: datetime | None = None,
    progress: Progress | None = None,
    allow_incomplete: bool = False,
    issued: date | None = None,
    pdf_variant: str | None = None,
) -> list[BuildResult]:
    """The organisation's briefing and one per unit, from inputs read once.

    Files: `briefing-<period>.*` for the organisation, `briefing-<period>-<group slug>.*`
    for each unit (e.g. `briefing-2026-10-unit-a.pdf`).
    """
    check_formats(formats)
    units = unit_names(config)
    if not units:
        raise BriefingError(
            "no service names a group, so there is nothing for --all-groups to split",
            where=Location(config.path),
            hint="add group: (a business unit or product line) to the services in briefing.yaml",
        )
    check_slugs(config)
    glossary = load_glossary(config.glossary)
    early = Early()
    inputs = read_inputs(config, period, strict=strict, progress=progress, early=early)
    results = []
    for group in (None, *units):
        briefing = briefing_from_inputs(
            inputs,
            config,
            period,
            glossary=glossary,
            now=now,
            progress=progress,
            group=group,
            allow_incomplete=allow_incomplete,
            issued=issued,
            early=early.simulation,
        )
        results.append(
            finish(
                briefing, config, period, glossary, formats, out_dir, strict, progress, pdf_variant
            )
        )
    return results


def check_formats(formats: Sequence[str]) -> None:
    unknown = [f for f in formats if f not in FORMATS]
    if unknown:
        raise BriefingError(f"unknown format {unknown[0]!r}; choose from {', '.join(FORMATS)}")


def finish(
    briefing: Briefing,
    config: Config,
    period: Period,
    glossary: Glossary,
    formats: Sequence[str],
    out_dir: Path | None,
    strict: bool,
    progress: Progress | None,
    pdf_variant: str | None = None,
) -> BuildResult:
    """Stage 4: render the briefing, lint its executive pages, write its files."""
    log.info("Step 4/4 - Rendering %s", ", ".join(formats))
    if progress:
        progress("Rendering " + ", ".join(formats))
    from briefing.render import render
    from briefing.render.templates import Look

    wanted = list(formats)
    outputs = render(
        briefing,
        wanted,
        glossary=glossary,
        paper_size=config.report.paper_size,
        classification=config.report.classification,
        look=Look.of(config.report),
        pdf_variant=pdf_variant or config.report.pdf_variant,
        detail="full" if config.report.detail == "full" else "summary",
        print_html="html" not in wanted,
    )
    # page 1 is the same in both HTML documents: check the one made anyway
    page = outputs.get("html") or outputs.get("print.html")
    warnings = tuple(lint_commentary(briefing, config, glossary, strict=strict))
    warnings += tuple(lint_executive_pages(page, glossary, strict=strict))
    outputs = {k: v for k, v in outputs.items() if k in formats}
    files: dict[str, Path] = {}
    if out_dir is not None:
        files = write_outputs(outputs, out_dir, period, group=briefing.group)
    return BuildResult(briefing, outputs, files, warnings)


def lint_executive_pages(html: bytes | None, glossary: Glossary, *, strict: bool) -> list[str]:
    """Bare jargon and technical details before the technical appendix: warnings, fatal with --strict."""
    if html is None:
        return []
    from briefing.translate.lint import BARE_JARGON, TECHNICAL_DETAIL, find_jargon

    text = html.decode("utf-8")
    findings = find_jargon(executive_part(text), glossary, html=True, details=True)
    where = "the pages before the technical appendix print"
    messages = []
    for f in findings:
        if f.kind == BARE_JARGON:
            messages.append(
                f"{where} jargon {f.word!r} bare (line {f.line}); say {f.suggestion!r} instead"
            )
        elif f.kind == TECHNICAL_DETAIL:
            messages.append(f"{where} {f.word!r} (line {f.line}), {f.suggestion}")
        else:
            messages.append(
                f"{where} {f.word!r}, a technical word with no glossary entry (line {f.line})"
            )
    for message in messages:
        log.warning(message)
    if strict and messages:
        raise BriefingError(
            messages[0], hint="reword the template through the glossary, or build without --strict"
        )
    return messages


def lint_commentary(
    briefing: Briefing, config: Config, glossary: Glossary, *, strict: bool
) -> list[str]:
    """The author's note, linted like page 1 by its own file's lines: warnings, fatal with --strict."""
    if briefing.commentary is None:
        return []
    from briefing.translate.lint import find_jargon

    path = commentary_path(config, Period.parse(briefing.period.label))
    findings = find_jargon(briefing.commentary, glossary)
    messages = [
        f"the author's note prints jargon {f.word!r} bare; say {f.suggestion!r} instead"
        if f.kind == "bare_jargon"
        else f"the author's note prints {f.word!r}, a technical word with no glossary entry"
        for f in findings
    ]
    name = f"{path.parent.name}/{path.name}"
    shown = [
        f"{name}:{f.line}:{f.column}: {message}"
        for f, message in zip(findings, messages, strict=True)
    ]
    for message in shown:
        log.warning(message)
    if strict and findings:
        raise BriefingError(
            messages[0],
            where=Location(path, findings[0].line, findings[0].column),
            hint="reword the note in business words (see briefing glossary lookup TERM), "
            "or build without --strict",
        )
    return shown


def executive_part(html: str) -> str:
    """Every page before the technical appendix (the rendered HTML up to its marker).

    Without the appendix marker (a workspace template), the executive part between the
    exec markers; without those either, all of it.
    """
    end = html.find("<!-- appendix:start -->")
    if end == -1:
        start, end = html.find("<!-- exec:start -->"), html.find("<!-- exec:end -->")
        if start == -1 or end == -1:
            return html
        # keep line numbers meaningful: blank out what precedes the executive part
        return "\n" * html.count("\n", 0, start) + html[start:end]
    return html[:end]


def output_name(period: Period, fmt: str, group: str | None = None) -> str:
    """`briefing-2026-10.pdf`; a unit's: `briefing-2026-10-unit-a.pdf`."""
    suffix = f"-{slug(group)}" if group is not None else ""
    return f"briefing-{period.label}{suffix}.{fmt}"


def write_outputs(
    outputs: dict[str, bytes], out_dir: Path, period: Period, *, group: str | None = None
) -> dict[str, Path]:
    """Each output written whole (see `briefing.atomic`): never half a file, never via a link."""
    make_folder(out_dir)
    return {
        fmt: write_atomic(out_dir / output_name(period, fmt, group), data)
        for fmt, data in outputs.items()
    }


def input_hash(config: Config, period: Period, *, sources: str | None = None) -> str:
    """sha256 over the version, period, config, every input file, the period's note and
    the stored periods the briefing reads: same inputs, same hash. `sources` is
    `sources_digest(config)` when the caller has it already (a backfill hashes once)."""
    digest = hashlib.sha256()
    digest.update(f"{__version__}\n{period.label}\n".encode())
    digest.update((sources or sources_digest(config)).encode())
    note = commentary_path(config, period)
    if note.is_file():
        digest.update(note.read_bytes())
    # the stored periods the trend and last period's decision read (not this period's own row)
    earlier = [p.label for p in trend_periods(period)[:-1]]
    digest.update(fingerprint(load_stored(config, earlier)).encode())
    return digest.hexdigest()


def sources_digest(config: Config) -> str:
    """sha256 over the config, the glossaries and every input file."""
    digest = hashlib.sha256()
    paths: list[Path] = [config.path, *config.glossary]
    for kind in KINDS:
        for entry in getattr(config.sources, kind):
            declared = find_format(entry.kind, entry.format)
            if declared is not None and declared.datasets and entry.path is not None:
                # a dataset at rest may be large: its files by name, size and modification time
                for file in match_files(entry.path):
                    stat = file.stat()
                    digest.update(f"{file}\n{stat.st_size}\n{stat.st_mtime_ns}\n".encode())
                continue
            for name in declared.files if declared is not None else ("path",):
                value = entry.path if name == "path" else entry.options.get(name)
                if isinstance(value, Path):
                    paths.append(value)
            if declared is not None and not declared.files:
                # live data: the same queries over the same closed period give the same answer
                digest.update(repr(sorted((k, str(v)) for k, v in entry.options.items())).encode())
    for path in paths:
        digest.update(str(path.name).encode())
        with open(path, "rb") as handle:
            for chunk in iter(lambda: handle.read(1 << 20), b""):
                digest.update(chunk)
    return digest.hexdigest()


def utc_now() -> datetime:
    return datetime.now(UTC)
