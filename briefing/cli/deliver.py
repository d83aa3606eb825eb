"""CLI commands: send, schedule emit, schedule run."""

from __future__ import annotations

import logging
import signal
import sys
import threading
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import click

from briefing.atomic import make_folder, write_atomic
from briefing.cli.common import (
    config_option,
    debug_option,
    log_format_option,
    period_kind_option,
    period_option,
    setup_logging,
)
from briefing.config import Config, load_config, resolve_config_path
from briefing.errors import BriefingError, Location
from briefing.model import Period

if TYPE_CHECKING:
    from briefing.config import ScheduleConfig
    from briefing.deliver import SendOutcome

log = logging.getLogger("briefing.cli")


def _send(
    config: Config, period: Period, *, force: bool, dry_run: bool, now: datetime
) -> SendOutcome:
    from briefing import pipeline
    from briefing.deliver import deliver

    email = config.delivery.email
    variant = email.pdf_variant if email is not None else None

    def build() -> pipeline.BuildResult:
        # delivery.email.pdf_variant: the email may attach the archival PDF (JSON inside)
        return pipeline.build(config, period, formats=("pdf",), pdf_variant=variant)

    return deliver(
        config,
        period,
        build=build,
        now=now,
        input_hash=pipeline.input_hash(config, period),
        force=force,
        dry_run=dry_run,
    )


@click.command("send")
@config_option
@period_option
@period_kind_option
@click.option("--dry-run", is_flag=True, help="Build and show what would be sent; send nothing.")
@click.option("--force", is_flag=True, help="Send again to recipients already served.")
@log_format_option
@debug_option
def send_command(
    config_path: Path | None,
    period: str | None,
    period_kind: str | None,
    dry_run: bool,
    force: bool,
    log_format: str,
    debug: bool,
) -> None:
    """Email the briefing of a period, once per period and recipient.

    Settings come from `delivery.email`; the password from the environment
    variable `password_env` names. Running it again sends nothing new.

    \b
    Example:
      BRIEFING_SMTP_PASSWORD=... briefing send --period 2026-10
      briefing send --period-kind quarter      # the last complete quarter
    """
    from briefing import pipeline

    setup_logging(log_format, verbose=dry_run)
    config = load_config(resolve_config_path(config_path))
    now = datetime.now(UTC)
    resolved = pipeline.resolve_period(config, period, now=now, kind=period_kind)
    outcome = _send(config, resolved, force=force, dry_run=dry_run, now=now)
    if outcome.status == "already_sent":
        click.echo(
            f"{outcome.period} was already sent to {', '.join(outcome.skipped)} "
            f"({outcome.earlier}, {outcome.message_id}); nothing sent. "
            "Use --force to send it again."
        )
    elif outcome.status == "dry_run":
        click.echo(f"dry run: would send {outcome.subject!r} ({outcome.size_bytes / 1024:.0f} kB)")
        click.echo(f"  to: {', '.join(outcome.to_send)}")
        if outcome.skipped:
            click.echo(f"  already sent to: {', '.join(outcome.skipped)}")
    else:
        click.echo(f"sent {outcome.period} to {', '.join(outcome.accepted)} ({outcome.message_id})")
        if outcome.skipped:
            click.echo(f"  already sent earlier to: {', '.join(outcome.skipped)}")


@click.group("schedule")
def schedule_group() -> None:
    """Send the briefing on a schedule: `delivery.schedule` (cron expression, zone and the
    kind of period each run sends: `period: month|quarter|year|week`, default month).

    \b
    Example:
      briefing schedule emit --target systemd --out ~/.config/systemd/user
      briefing schedule run --log-format json
    """


def _schedule_config(config: Config) -> ScheduleConfig:
    if config.delivery.schedule is None:
        raise BriefingError(
            "delivery.schedule is not configured",
            where=Location(config.path),
            hint='add delivery: {schedule: {cron: "0 8 2 * *", timezone: Europe/Amsterdam}}',
        )
    return config.delivery.schedule


@schedule_group.command("emit")
@config_option
@click.option(
    "--target",
    type=click.Choice(["cron", "systemd", "kubernetes"]),
    required=True,
    help="The scheduler to write for.",
)
@click.option(
    "--out",
    "out_dir",
    type=click.Path(path_type=Path, file_okay=False),
    default=None,
    help="Write the file(s) into this folder instead of printing them.",
)
@click.option(
    "--env-file",
    default=None,
    help="File holding the SMTP password variable (cron, systemd; default: smtp.env beside the config).",
)
@click.option(
    "--image",
    default=None,
    help="Container image with briefing installed (kubernetes; default: briefing:VERSION).",
)
@debug_option
def emit_command(
    config_path: Path | None,
    target: str,
    out_dir: Path | None,
    env_file: str | None,
    image: str | None,
    debug: bool,
) -> None:
    """Print the crontab line, systemd units or Kubernetes CronJob for `delivery.schedule`.

    \b
    Example:
      briefing schedule emit --target cron
      briefing schedule emit --target kubernetes --image registry.example.com/briefing:0.1.0
    """
    from briefing import __version__
    from briefing.deliver import schedule as sched

    setup_logging()
    path = resolve_config_path(config_path).resolve()
    config = load_config(path)
    schedule = _schedule_config(config)
    if config.period is not None and schedule.period == "month":
        log.warning(
            "%s pins period: %s, so every scheduled run sends that month; "
            "remove it to send the last complete month",
            path,
            config.period,
        )
    password_env = config.delivery.email.password_env if config.delivery.email else None
    if env_file is None and password_env:
        env_file = str(path.parent / "smtp.env")
    files: dict[str, str]
    if target == "cron":
        text = sched.emit_cron(
            schedule, config_path=str(path), python=sys.executable, env_file=env_file
        )
        files = {"briefing.cron": text}
    elif target == "systemd":
        files = sched.emit_systemd(
            schedule, config_path=str(path), python=sys.executable, env_file=env_file
        )
    else:
        files = {
            "briefing-cronjob.yaml": sched.emit_kubernetes(
                schedule,
                config_text=path.read_text(encoding="utf-8"),
                password_env=password_env,
                image=image or f"briefing:{__version__}",
            )
        }
    if out_dir is None:
        for name, text in files.items():
            if len(files) > 1:
                click.echo(f"# --- {name} ---")
            click.echo(text.rstrip("\n"))
            if len(files) > 1:
                click.echo("")
        return
    make_folder(out_dir)
    for name, text in files.items():
        write_atomic(out_dir / name, text)
        click.echo(f"wrote {out_dir / name}")


@schedule_group.command("run")
@config_option
@click.option(
    "--no-catch-up", is_flag=True, help="Do not send a run missed while this was not running."
)
@log_format_option
@debug_option
def run_command(config_path: Path | None, no_catch_up: bool, log_format: str, debug: bool) -> None:
    """Run in the foreground and send the briefing whenever `delivery.schedule` is due.

    Sends the last complete period of `delivery.schedule.period` (a month unless
    set) at each due time, catches up one run missed
    while stopped, never sends a period twice (the ledger), stops on SIGTERM.

    \b
    Example:
      briefing schedule run --config /etc/briefing/briefing.yaml --log-format json
    """
    from briefing.deliver import ledger_path
    from briefing.deliver.ledger import Ledger
    from briefing.deliver.schedule import run_schedule

    setup_logging(log_format, verbose=True)
    path = resolve_config_path(config_path)
    config = load_config(path)
    schedule = _schedule_config(config)
    stop = threading.Event()

    def on_signal(signum: int, frame: object) -> None:
        log.info("received %s", signal.Signals(signum).name)
        stop.set()

    previous = {s: signal.signal(s, on_signal) for s in (signal.SIGTERM, signal.SIGINT)}

    def send(period: Period) -> str:
        fresh = load_config(path)  # edits to briefing.yaml apply from the next run
        return str(_send(fresh, period, force=False, dry_run=False, now=datetime.now(UTC)).status)

    try:
        with Ledger(ledger_path(config)) as ledger:
            run_schedule(
                schedule,
                ledger,
                send=send,
                timezone=config.timezone,
                clock=lambda: datetime.now(UTC),
                sleep=stop.wait,
                catch_up=not no_catch_up,
            )
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
    log.info("stopped")


COMMANDS: list[click.Command] = [send_command, schedule_group]
