"""Deliver stage: when to send. `delivery.schedule` is a cron expression in an IANA zone.

- `emit_cron`, `emit_systemd`, `emit_kubernetes` write the schedule for the
  operator's scheduler (crontab with CRON_TZ=, a systemd service + timer with the
  zone in OnCalendar=, a Kubernetes CronJob with spec.timeZone).
- `run_schedule` is `briefing schedule run`: a foreground loop that sleeps until
  the next due time (croniter, in the zone, daylight-saving changes included),
  sends the last complete period of `delivery.schedule.period` (month by default;
  quarter, year or week) at that time, catches up the latest slot missed
  while it was down (once), and records every slot it served in the ledger so a
  restart never serves one twice. A wall-clock time that occurs twice when the
  clocks go back is one slot.
"""

from __future__ import annotations

import logging
import re
import zoneinfo
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path

from croniter import croniter

from briefing.config import ScheduleConfig
from briefing.deliver.ledger import Ledger
from briefing.errors import BriefingError
from briefing.model import Period
from briefing.translate.words import PERIOD_WORDS

log = logging.getLogger(__name__)

MAX_SLEEP_SECONDS = 300.0  # wake up now and then: a suspended machine or a clock step is noticed


def next_slot(schedule: ScheduleConfig, after: datetime) -> datetime:
    """The first due time strictly after `after`, aware, in the schedule's zone."""
    zone = zoneinfo.ZoneInfo(schedule.timezone)
    # croniter ships no type information
    return croniter(schedule.cron, after.astimezone(zone)).get_next(datetime)  # type: ignore[no-any-return]


def latest_slot(schedule: ScheduleConfig, at: datetime) -> datetime:
    """The last due time at or before `at`, aware, in the schedule's zone."""
    zone = zoneinfo.ZoneInfo(schedule.timezone)
    start = at.astimezone(zone) + timedelta(seconds=1)
    # croniter ships no type information
    return croniter(schedule.cron, start).get_prev(datetime)  # type: ignore[no-any-return]


def slot_key(slot: datetime, schedule: ScheduleConfig) -> str:
    """A slot by its wall-clock time in the zone (02:30 twice in October is one slot)."""
    local = slot.astimezone(zoneinfo.ZoneInfo(schedule.timezone))
    return f"{local.replace(tzinfo=None).isoformat(timespec='minutes')} {schedule.timezone}"


def period_due(slot: datetime, timezone: str, kind: str = "month") -> Period:
    """The period a slot sends: the last complete period of `kind` at that time, in the
    config's zone (a run on 2 October with `quarter` sends Q3)."""
    return Period.last_complete(slot, timezone, kind)


def run_schedule(
    schedule: ScheduleConfig,
    ledger: Ledger,
    *,
    send: Callable[[Period], str],
    timezone: str,
    clock: Callable[[], datetime],
    sleep: Callable[[float], bool],
    catch_up: bool = True,
) -> int:
    """Serve due slots until `sleep` returns True (stop requested); returns slots fired.

    `send(period)` returns an outcome word (sent | already_sent) or raises
    `BriefingError`, which is logged and recorded; the loop goes on. `sleep(seconds)`
    returns True when the loop should stop (SIGTERM).
    """
    fired = 0

    def fire(slot: datetime, why: str) -> None:
        nonlocal fired
        key = slot_key(slot, schedule)
        if ledger.slot_done(key):
            log.info("slot %s was already served", key)
            return
        period = period_due(slot, timezone, schedule.period)
        log.info(
            "%s: sending %s (slot %s, %s UTC)",
            why,
            period.label,
            key,
            slot.astimezone(UTC).isoformat(timespec="minutes"),
        )
        try:
            outcome = send(period)
        except BriefingError as err:
            ledger.record_slot(key, period.label, "failed")
            log.error("slot %s failed: %s", key, str(err).replace("\n", " "))
        else:
            ledger.record_slot(key, period.label, outcome)
            log.info("slot %s: %s", key, outcome)
        fired += 1

    now = clock()
    if catch_up:
        missed = latest_slot(schedule, now)
        if not ledger.slot_done(slot_key(missed, schedule)):
            fire(missed, "catching up a missed run")
    target = next_slot(schedule, now)
    log.info(
        "next run at %s (%s UTC)",
        target.isoformat(timespec="minutes"),
        target.astimezone(UTC).isoformat(timespec="minutes"),
    )
    while True:
        now = clock()
        if now >= target:
            due = latest_slot(schedule, now)  # the latest only, if several passed while asleep
            fire(due, "due")
            target = next_slot(schedule, due)
            while slot_key(target, schedule) == slot_key(due, schedule):
                target = next_slot(schedule, target)
            log.info(
                "next run at %s (%s UTC)",
                target.isoformat(timespec="minutes"),
                target.astimezone(UTC).isoformat(timespec="minutes"),
            )
            continue
        wait = min((target - now).total_seconds(), MAX_SLEEP_SECONDS)
        if sleep(max(wait, 0.0)):
            log.info("stopping: no run in progress")
            return fired


# --------------------------------------------------------------------------- emit

DAY_NAMES = ("Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat")
UNIT = "briefing-send"


def _send_arguments(schedule: ScheduleConfig) -> list[str]:
    """`send`'s arguments after the config: a kind other than month is asked for by name."""
    kind = [] if schedule.period == "month" else ["--period-kind", schedule.period]
    return [*kind, "--log-format", "json"]


def _command(schedule: ScheduleConfig, config_path: str, python: str) -> list[str]:
    return [python, "-m", "briefing", "send", "--config", config_path, *_send_arguments(schedule)]


def _adjective(schedule: ScheduleConfig) -> str:
    return PERIOD_WORDS[schedule.period].adjective


def emit_cron(
    schedule: ScheduleConfig, *, config_path: str, python: str, env_file: str | None
) -> str:
    """Crontab lines: CRON_TZ= then the job (cronie, systemd-cron and busybox honour it)."""
    import shlex

    workdir = str(_parent(config_path))
    parts = [f"cd {shlex.quote(workdir)}"]
    if env_file:
        parts.append(f"set -a && . {shlex.quote(env_file)} && set +a")
    parts.append(shlex.join(_command(schedule, config_path, python)))
    log_file = shlex.quote(str(_parent(config_path) / "briefing-send.log"))
    job = " && ".join(parts) + f" >> {log_file} 2>&1"
    return (
        f"# briefing: email the {_adjective(schedule)} risk briefing ({schedule.cron}, {schedule.timezone}).\n"
        "# Install with `crontab -e`; CRON_TZ applies to the lines below it.\n"
        f"CRON_TZ={schedule.timezone}\n"
        f"{schedule.cron} {job.replace('%', chr(92) + '%')}\n"
    )


def on_calendar(schedule: ScheduleConfig) -> list[str]:
    """systemd OnCalendar= values for the cron expression, with the zone.

    Cron fires when the day of month OR the weekday matches (when both are given);
    systemd wants both, so that case becomes two OnCalendar= lines.
    """
    try:
        minutes, hours, days, months, weekdays = croniter(schedule.cron).expanded[:5]
    except (ValueError, KeyError) as err:
        raise BriefingError(f"delivery.schedule.cron: not a valid cron expression: {err}") from None
    for field_values in (minutes, hours, days, months, weekdays):
        if any(not isinstance(v, int) and v != "*" for v in field_values):
            raise BriefingError(
                f"delivery.schedule.cron: {schedule.cron!r} uses a form systemd cannot express",
                hint="use numbers, ranges, lists and steps only",
            )

    def values(items: Sequence[int | str], width: int = 1) -> str:
        if items == ["*"]:
            return "*"
        numbers = sorted({int(v) for v in items})
        runs: list[list[int]] = []
        for n in numbers:
            if runs and n == runs[-1][-1] + 1:
                runs[-1].append(n)
            else:
                runs.append([n])
        return ",".join(
            f"{r[0]:0{width}d}" if len(r) == 1 else f"{r[0]:0{width}d}..{r[-1]:0{width}d}"
            for r in runs
        )

    time = f"{values(hours, 2)}:{values(minutes, 2)}:00"
    date = f"*-{values(months, 2)}-{values(days, 2)}"
    weekday = ""
    if weekdays != ["*"]:  # cron: 0 or 7 is Sunday; systemd counts Mon..Sun
        iso = [7 if int(v) % 7 == 0 else int(v) for v in weekdays]
        weekday = re.sub(r"\d", lambda m: DAY_NAMES[int(m.group()) % 7], values(iso))
    zone = schedule.timezone
    if weekday and days != ["*"]:
        return [f"{weekday} *-{values(months, 2)}-* {time} {zone}", f"{date} {time} {zone}"]
    return [f"{weekday + ' ' if weekday else ''}{date} {time} {zone}"]


def emit_systemd(
    schedule: ScheduleConfig, *, config_path: str, python: str, env_file: str | None
) -> dict[str, str]:
    """`briefing-send.service` (oneshot) and `briefing-send.timer` (Persistent: one catch-up)."""
    command = " ".join(
        f'"{part}"' if " " in part else part for part in _command(schedule, config_path, python)
    )
    service = [
        "[Unit]",
        f"Description=Email the {_adjective(schedule)} risk briefing",
        "Wants=network-online.target",
        "After=network-online.target",
        "",
        "[Service]",
        "Type=oneshot",
        f"WorkingDirectory={_parent(config_path)}",
        f"ExecStart={command}",
    ]
    if env_file:
        service.append(f"EnvironmentFile={env_file}")
    service += ["NoNewPrivileges=yes", "PrivateTmp=yes", ""]
    timer = [
        "[Unit]",
        f"Description={_adjective(schedule).capitalize()} risk briefing ({schedule.cron}, {schedule.timezone})",
        "",
        "[Timer]",
        *(f"OnCalendar={value}" for value in on_calendar(schedule)),
        "Persistent=true",
        f"Unit={UNIT}.service",
        "",
        "[Install]",
        "WantedBy=timers.target",
        "",
    ]
    return {f"{UNIT}.service": "\n".join(service), f"{UNIT}.timer": "\n".join(timer)}


def emit_kubernetes(
    schedule: ScheduleConfig,
    *,
    config_text: str,
    password_env: str | None,
    image: str,
    name: str = "briefing",
) -> str:
    """A ConfigMap with briefing.yaml, a volume claim for inputs and ledger, and the CronJob."""
    import yaml

    class _Dumper(yaml.SafeDumper):
        def ignore_aliases(self, data: object) -> bool:
            return True

    def _text(dumper: yaml.SafeDumper, data: str) -> yaml.Node:
        style = "|" if "\n" in data else None
        return dumper.represent_scalar("tag:yaml.org,2002:str", data, style=style)

    _Dumper.add_representer(str, _text)
    workspace = "/workspace"
    labels = {"app.kubernetes.io/name": name}
    container: dict[str, object] = {
        "name": name,
        "image": image,
        "command": ["briefing"],
        "args": ["send", "--config", f"{workspace}/briefing.yaml", *_send_arguments(schedule)],
        "volumeMounts": [
            {"name": "workspace", "mountPath": workspace},
            {
                "name": "config",
                "mountPath": f"{workspace}/briefing.yaml",
                "subPath": "briefing.yaml",
                "readOnly": True,
            },
        ],
    }
    if password_env:
        container["env"] = [
            {
                "name": password_env,
                "valueFrom": {"secretKeyRef": {"name": f"{name}-smtp", "key": "password"}},
            }
        ]
    documents = [
        {
            "apiVersion": "v1",
            "kind": "ConfigMap",
            "metadata": {"name": f"{name}-config", "labels": labels},
            "data": {"briefing.yaml": config_text},
        },
        {
            "apiVersion": "v1",
            "kind": "PersistentVolumeClaim",
            "metadata": {"name": f"{name}-workspace", "labels": labels},
            "spec": {
                "accessModes": ["ReadWriteOnce"],
                "resources": {"requests": {"storage": "1Gi"}},
            },
        },
        {
            "apiVersion": "batch/v1",
            "kind": "CronJob",
            "metadata": {"name": f"{name}-send", "labels": labels},
            "spec": {
                "schedule": schedule.cron,
                "timeZone": schedule.timezone,
                "concurrencyPolicy": "Forbid",
                "startingDeadlineSeconds": 86400,
                "successfulJobsHistoryLimit": 3,
                "failedJobsHistoryLimit": 3,
                "jobTemplate": {
                    "spec": {
                        "backoffLimit": 3,
                        "template": {
                            "metadata": {"labels": labels},
                            "spec": {
                                "restartPolicy": "Never",
                                "securityContext": {
                                    "runAsNonRoot": True,
                                    "runAsUser": 10001,
                                    "fsGroup": 10001,
                                },
                                "containers": [container],
                                "volumes": [
                                    {
                                        "name": "workspace",
                                        "persistentVolumeClaim": {"claimName": f"{name}-workspace"},
                                    },
                                    {"name": "config", "configMap": {"name": f"{name}-config"}},
                                ],
                            },
                        },
                    }
                },
            },
        },
    ]
    header = (
        f"# briefing: email the {_adjective(schedule)} risk briefing ({schedule.cron}, {schedule.timezone}).\n"
        f"# The volume {name}-workspace holds the input files the config names and the ledger.\n"
    )
    if password_env:
        header += (
            f"# Create the password Secret first:\n"
            f"#   kubectl create secret generic {name}-smtp --from-literal=password='...'\n"
        )
    body = yaml.dump_all(documents, Dumper=_Dumper, sort_keys=False, allow_unicode=True)
    return header + body


def _parent(path: str) -> Path:
    return Path(path).parent
