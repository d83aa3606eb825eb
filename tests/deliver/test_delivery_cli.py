"""`briefing send` and `briefing schedule emit` through the real CLI and the packaged sample."""

from __future__ import annotations

import configparser
import io
import re
import shutil
import subprocess
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pypdf
import pytest
import yaml
from click.testing import CliRunner
from croniter import croniter

from briefing.cli import cli
from briefing.config import ScheduleConfig
from briefing.deliver.schedule import on_calendar
from tests.deliver.delivery_support import (
    PASSWORD,
    PASSWORD_ENV,
    Server,
    copy_sample,
    write_small_config,
)


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_send_the_sample_twice_delivers_once(smtp_server: Server, tmp_path: Path) -> None:
    config = copy_sample(tmp_path / "ws", smtp_server)
    code, out, err = run("send", "--config", str(config))
    assert code == 0, err
    assert out.startswith(
        "sent 2026-10 to board@example.com, cfo@example.com, sre-leads@example.com, "
    )
    assert len(smtp_server.mailbox.messages) == 1

    received = smtp_server.mailbox.parsed()
    assert "Bcc" not in received
    # the sample's subject is the ask in a few words, well under 80 characters
    assert received["Subject"] == (
        "Note: Online checkout feature pause until 15 Nov (October 2026)"
    )
    assert len(received["Subject"]) < 80
    alternative = received.get_payload()[0]
    text, related = alternative.get_payload()
    title, blank, decision = text.get_content().splitlines()[:3]
    assert (title, blank) == (
        "Northwind Outfitters risk briefing, October 2026 (issued 2 November 2026)",
        "",
    )
    # as on page 1: the decision first, then the number and its sentence
    assert decision == "FOR YOU TO NOTE: Pause new feature releases for Online checkout"
    headline = next(
        line.removeprefix("154% used: ")
        for line in text.get_content().splitlines()
        if line.startswith("154% used: ")
    )
    assert headline.startswith("Online checkout used 154% of its downtime allowance")
    html = related.get_payload()[0].get_content()
    cids = {p["Content-ID"].strip("<>") for p in related.get_payload()[1:]}
    referenced = re.findall(r'src="cid:([^"]+)"', html)
    assert referenced == ["burn-2026-10@briefing"]
    assert set(referenced) <= cids
    [pdf] = [p for p in received.iter_attachments() if p.get_content_type() == "application/pdf"]
    pages = pypdf.PdfReader(io.BytesIO(pdf.get_content())).pages
    first_page = " ".join(pages[0].extract_text().split())
    first_page = re.sub(r"(?<=[a-z])\d", "", first_page)  # glossary footnote marks: downtime2
    assert " ".join(headline.split()) in first_page

    code, out, err = run("send", "--config", str(config))
    assert code == 0, err
    assert out.startswith("2026-10 was already sent to board@example.com")
    assert "Use --force to send it again." in out
    assert len(smtp_server.mailbox.messages) == 1


def test_send_refused_recipient_exits_1_naming_it(smtp_server: Server, tmp_path: Path) -> None:
    config = copy_sample(tmp_path / "ws", smtp_server, to=["board@example.com", "gone@example.com"])
    smtp_server.mailbox.refuse = {"gone@example.com": "550 5.1.1 no such mailbox"}
    code, out, err = run("send", "--config", str(config))
    assert code == 1
    [error] = [line for line in err.splitlines() if line.startswith("error:")]
    assert error.startswith(
        "error: recipients refused: gone@example.com: 550 5.1.1 no such mailbox; "
    )
    assert "delivered to board@example.com, sre-leads@example.com, archive@example.com" in err
    assert "Traceback" not in err
    assert smtp_server.mailbox.messages[0][1] == [
        "board@example.com", "sre-leads@example.com", "archive@example.com",
    ]  # fmt: skip


def test_send_wrong_password_exits_1_without_the_secret(
    smtp_server: Server, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    wrong = "N0t-The-Right-One-31"
    monkeypatch.setenv(PASSWORD_ENV, wrong)
    config = copy_sample(tmp_path / "ws", smtp_server)
    code, out, err = run("send", "--config", str(config))
    assert code == 1
    assert "refused the login of 'briefing': 535 5.7.8 Authentication credentials invalid" in err
    assert f"hint: check delivery.email.username and the password in ${PASSWORD_ENV}" in err
    assert smtp_server.mailbox.auth_attempts == 1
    for text in (
        out,
        err,
        (tmp_path / "ws" / "briefing-ledger.sqlite").read_bytes().decode("latin-1"),
    ):
        assert wrong not in text
        assert PASSWORD not in text


def test_dry_run_sends_nothing(plain_server: Server, tmp_path: Path, hand_built) -> None:  # type: ignore[no-untyped-def]
    config = write_small_config(tmp_path, plain_server)
    code, out, err = run("send", "--config", str(config), "--period", "2026-10", "--dry-run")
    assert code == 0, err
    assert out.startswith("dry run: would send 'Note: keep the reliability work (October 2026)'")
    assert (
        "  to: board@example.com, cfo@example.com, sre-leads@example.com, archive@example.com"
        in out
    )
    assert plain_server.mailbox.messages == []
    assert plain_server.mailbox.connections == 0


def test_plain_smtp_to_a_remote_host_is_refused(tmp_path: Path) -> None:
    remote = Server("smtp.example.com", 25, None, "none")  # type: ignore[arg-type]
    config = write_small_config(tmp_path, remote)
    code, _, err = run("send", "--config", str(config), "--period", "2026-10")
    assert code == 1
    assert (
        "error: delivery.email.security is none, but smtp.example.com is not this machine\n" in err
    )


# --------------------------------------------------------------------------- schedule emit


@pytest.fixture
def small_config(plain_server: Server, tmp_path: Path) -> Path:
    return write_small_config(tmp_path, plain_server, password_env="BRIEFING_SMTP_PASSWORD")


def test_emit_cron(small_config: Path) -> None:
    code, out, err = run("schedule", "emit", "--config", str(small_config), "--target", "cron")
    assert code == 0, err
    lines = [line for line in out.splitlines() if line and not line.startswith("#")]
    assert lines[0] == "CRON_TZ=Europe/Amsterdam"
    fields = lines[1].split(None, 5)
    assert fields[:5] == ["0", "8", "2", "*", "*"]
    assert croniter.is_valid(" ".join(fields[:5]))
    command = fields[5]
    assert f"--config {small_config.resolve()}" in command
    assert " -m briefing send " in command
    assert f". {small_config.resolve().parent / 'smtp.env'}" in command


def test_emit_systemd(small_config: Path, tmp_path: Path) -> None:
    out_dir = tmp_path / "units"
    code, out, err = run(
        "schedule",
        "emit",
        "--config",
        str(small_config),
        "--target",
        "systemd",
        "--out",
        str(out_dir),
    )
    assert code == 0, err
    service = configparser.ConfigParser(interpolation=None)
    service.optionxform = str  # type: ignore[assignment,method-assign]
    service.read(out_dir / "briefing-send.service")
    assert service["Service"]["Type"] == "oneshot"
    assert service["Service"]["ExecStart"].endswith(
        f"-m briefing send --config {small_config.resolve()} --log-format json"
    )
    assert service["Service"]["EnvironmentFile"] == str(small_config.resolve().parent / "smtp.env")
    timer = configparser.ConfigParser(interpolation=None)
    timer.optionxform = str  # type: ignore[assignment,method-assign]
    timer.read(out_dir / "briefing-send.timer")
    assert timer["Timer"]["OnCalendar"] == "*-*-02 08:00:00 Europe/Amsterdam"
    assert timer["Timer"]["Persistent"] == "true"
    assert timer["Timer"]["Unit"] == "briefing-send.service"
    assert timer["Install"]["WantedBy"] == "timers.target"
    analyze = shutil.which("systemd-analyze")
    if analyze:  # systemd's own check of both units
        units = [str(out_dir / "briefing-send.service"), str(out_dir / "briefing-send.timer")]
        check = subprocess.run([analyze, "verify", *units], capture_output=True, text=True)
        assert check.returncode == 0, check.stderr


@pytest.mark.parametrize(
    ("cron", "expected"),
    [
        ("0 8 2 * *", ["*-*-02 08:00:00 Europe/Amsterdam"]),
        ("*/15 8-17 * * 1-5", ["Mon..Fri *-*-* 08..17:00,15,30,45:00 Europe/Amsterdam"]),
        ("30 6 1,15 1-6 *", ["*-01..06-01,15 06:30:00 Europe/Amsterdam"]),
        # day of month OR weekday, as cron means it: two OnCalendar lines
        ("0 7 1 * 1", ["Mon *-*-* 07:00:00 Europe/Amsterdam", "*-*-01 07:00:00 Europe/Amsterdam"]),
    ],
)
def test_on_calendar_matches_cron(cron: str, expected: list[str]) -> None:
    schedule = ScheduleConfig(cron, "Europe/Amsterdam")
    values = on_calendar(schedule)
    assert values == expected
    analyze = shutil.which("systemd-analyze")
    if analyze is None:
        return
    # systemd's own parser agrees with croniter on the next five times
    result = subprocess.run(
        [analyze, "calendar", "--iterations=5", *values], capture_output=True, text=True, check=True
    )
    stamps = re.findall(r"(?:Next elapse|Iter\. #\d+): \w{3} (\S+ \S+) UTC", result.stdout)
    systemd_times = sorted({datetime.fromisoformat(s + "+00:00") for s in stamps})[:5]
    assert systemd_times, result.stdout
    start = (systemd_times[0] - timedelta(seconds=1)).astimezone(ZoneInfo("Europe/Amsterdam"))
    it = croniter(cron, start)
    cron_times = [it.get_next(datetime) for _ in range(5)]
    assert systemd_times == cron_times


def test_emit_kubernetes(small_config: Path) -> None:
    code, out, err = run(
        "schedule", "emit", "--config", str(small_config), "--target", "kubernetes",
        "--image", "registry.example.com/briefing:1.2",
    )  # fmt: skip
    assert code == 0, err
    documents = {doc["kind"]: doc for doc in yaml.safe_load_all(out)}
    assert set(documents) == {"ConfigMap", "PersistentVolumeClaim", "CronJob"}
    job = documents["CronJob"]
    assert job["apiVersion"] == "batch/v1"
    assert job["spec"]["schedule"] == "0 8 2 * *"
    assert job["spec"]["timeZone"] == "Europe/Amsterdam"
    assert job["spec"]["concurrencyPolicy"] == "Forbid"
    pod = job["spec"]["jobTemplate"]["spec"]["template"]["spec"]
    [container] = pod["containers"]
    assert container["image"] == "registry.example.com/briefing:1.2"
    assert container["args"] == [
        "send",
        "--config",
        "/workspace/briefing.yaml",
        "--log-format",
        "json",
    ]
    assert container["env"] == [
        {"name": "BRIEFING_SMTP_PASSWORD",
         "valueFrom": {"secretKeyRef": {"name": "briefing-smtp", "key": "password"}}},
    ]  # fmt: skip
    mounts = {m["name"]: m for m in container["volumeMounts"]}
    assert mounts["config"]["mountPath"] == "/workspace/briefing.yaml"
    volumes = {v["name"]: v for v in pod["volumes"]}
    assert volumes["config"]["configMap"]["name"] == documents["ConfigMap"]["metadata"]["name"]
    assert documents["ConfigMap"]["data"]["briefing.yaml"] == small_config.read_text()
    assert PASSWORD not in out


def test_emit_a_quarterly_board_briefing(plain_server: Server, tmp_path: Path) -> None:
    """`delivery.schedule.period: quarter`: every emitted command asks for the last quarter."""
    path = write_small_config(tmp_path, plain_server)
    data = yaml.safe_load(path.read_text())
    data["delivery"]["schedule"] = {
        "cron": "0 8 2 1,4,7,10 *",
        "timezone": "Europe/Amsterdam",
        "period": "quarter",
    }
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    code, out, err = run("schedule", "emit", "--config", str(path), "--target", "cron")
    assert code == 0, err
    assert "email the quarterly risk briefing" in out
    job = [line for line in out.splitlines() if line.startswith("0 8 2 1,4,7,10 *")]
    assert len(job) == 1
    assert f"send --config {path.resolve()} --period-kind quarter --log-format json" in job[0]
    out_dir = tmp_path / "units"
    code, _, err = run(
        "schedule", "emit", "--config", str(path), "--target", "systemd", "--out", str(out_dir)
    )
    assert code == 0, err
    service = (out_dir / "briefing-send.service").read_text()
    assert "Description=Email the quarterly risk briefing" in service
    assert "--period-kind quarter --log-format json" in service
    code, out, err = run("schedule", "emit", "--config", str(path), "--target", "kubernetes")
    assert code == 0, err
    cronjob = next(d for d in yaml.safe_load_all(out) if d["kind"] == "CronJob")
    container = cronjob["spec"]["jobTemplate"]["spec"]["template"]["spec"]["containers"][0]
    assert container["args"][3:5] == ["--period-kind", "quarter"]
    # the emitted command is one `briefing send` accepts
    code, help_text, _ = run("send", "--help")
    assert code == 0
    assert "--period-kind [month|quarter|year|week]" in help_text


def test_schedule_period_must_be_a_kind(plain_server: Server, tmp_path: Path) -> None:
    path = write_small_config(tmp_path, plain_server)
    data = yaml.safe_load(path.read_text())
    data["delivery"]["schedule"]["period"] = "fortnight"
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    code, _, err = run("schedule", "emit", "--config", str(path), "--target", "cron")
    assert code == 1
    assert "delivery.schedule.period: expected month, quarter, year or week, got 'fortnight'" in err


def test_emit_without_a_schedule_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "briefing.yaml"
    path.write_text(
        "organization: Example Corp\nservices:\n"
        "  - {id: a, name: A, objective: 0.99, cost_of_downtime_per_hour: 1, owner: B}\n"
    )
    code, _, err = run("schedule", "emit", "--config", str(path), "--target", "cron")
    assert code == 1
    assert err.startswith(
        f"error: {path}: delivery.schedule is not configured\n  hint: add delivery:"
    )


def test_help_has_examples() -> None:
    for args in (["send"], ["schedule"], ["schedule", "emit"], ["schedule", "run"]):
        code, out, _ = run(*args, "--help")
        assert code == 0
        assert "Example" in out, args
