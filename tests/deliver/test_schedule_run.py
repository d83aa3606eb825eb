"""`schedule run` with a clock the test controls: once per due slot, across DST and restarts."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from briefing.config import ScheduleConfig, load_config
from briefing.deliver import deliver
from briefing.deliver.ledger import Ledger
from briefing.deliver.schedule import latest_slot, next_slot, run_schedule, slot_key
from briefing.errors import DeliveryError
from briefing.model import Period
from tests.deliver.delivery_support import Server, write_small_config

MONTHLY = ScheduleConfig("0 8 2 * *", "Europe/Amsterdam")
NIGHTLY = ScheduleConfig("30 2 * * *", "Europe/Amsterdam")


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


class FakeTime:
    """A clock that moves only when the loop sleeps; asks the loop to stop at `until`."""

    def __init__(self, start: datetime, until: datetime) -> None:
        self.now = start
        self.until = until
        self.sleeps: list[float] = []

    def clock(self) -> datetime:
        return self.now

    def sleep(self, seconds: float) -> bool:
        self.sleeps.append(seconds)
        self.now += timedelta(seconds=seconds)
        return self.now >= self.until


class Sends:
    def __init__(self, time_source: FakeTime, fail: int = 0) -> None:
        self.time = time_source
        self.calls: list[tuple[datetime, str]] = []
        self.fail = fail

    def __call__(self, period: Period) -> str:
        self.calls.append((self.time.now, period.label))
        if self.fail:
            self.fail -= 1
            raise DeliveryError("smtp.example.com:587: gave up after 4 attempts")
        return "sent"


def _run(ledger: Ledger, schedule: ScheduleConfig, start: datetime, until: datetime, **kw):  # type: ignore[no-untyped-def]
    fake = FakeTime(start, until)
    sends = kw.pop("sends", None) or Sends(fake)
    sends.time = fake
    run_schedule(
        schedule, ledger, send=sends, timezone="Europe/Amsterdam", clock=fake.clock,
        sleep=fake.sleep, **kw,
    )  # fmt: skip
    return sends, fake


def test_monthly_slots_across_the_end_of_summer_time(tmp_path: Path) -> None:
    with Ledger(tmp_path / "ledger.sqlite") as ledger:
        sends, fake = _run(ledger, MONTHLY, utc(2026, 9, 15, 12), utc(2027, 1, 10), catch_up=False)
    # 08:00 in Amsterdam: CEST (UTC+2) on 2 October, CET (UTC+1) from 25 October on;
    # each slot sends the month before it.
    assert sends.calls == [
        (utc(2026, 10, 2, 6, 0), "2026-09"),
        (utc(2026, 11, 2, 7, 0), "2026-10"),
        (utc(2026, 12, 2, 7, 0), "2026-11"),
        (utc(2027, 1, 2, 7, 0), "2026-12"),
    ]
    assert max(fake.sleeps) <= 300  # wakes up every 5 minutes at most


def test_quarterly_slots_send_the_last_complete_quarter(tmp_path: Path) -> None:
    """A board briefing at 08:00 on the 2nd of January, April, July and October."""
    quarterly = ScheduleConfig("0 8 2 1,4,7,10 *", "Europe/Amsterdam", "quarter")
    with Ledger(tmp_path / "ledger.sqlite") as ledger:
        sends, _ = _run(ledger, quarterly, utc(2026, 9, 15), utc(2027, 4, 10), catch_up=False)
    # CEST (+2) in October and April, CET (+1) in January
    assert sends.calls == [
        (utc(2026, 10, 2, 6, 0), "2026-Q3"),
        (utc(2027, 1, 2, 7, 0), "2026-Q4"),
        (utc(2027, 4, 2, 6, 0), "2027-Q1"),
    ]
    with Ledger(tmp_path / "ledger.sqlite") as ledger:
        assert [row[1] for row in ledger.slots()] == ["2026-Q3", "2026-Q4", "2027-Q1"]


def test_weekly_and_yearly_slots(tmp_path: Path) -> None:
    # Mondays 07:00: the ISO week that ended the night before, across the new year
    weekly = ScheduleConfig("0 7 * * 1", "Europe/Amsterdam", "week")
    with Ledger(tmp_path / "weekly.sqlite") as ledger:
        sends, _ = _run(ledger, weekly, utc(2026, 12, 27), utc(2027, 1, 12), catch_up=False)
    assert [label for _, label in sends.calls] == ["2026-W52", "2026-W53", "2027-W01"]
    yearly = ScheduleConfig("0 9 5 1 *", "Europe/Amsterdam", "year")
    with Ledger(tmp_path / "yearly.sqlite") as ledger:
        sends, _ = _run(ledger, yearly, utc(2026, 12, 1), utc(2027, 1, 6), catch_up=False)
    assert sends.calls == [(utc(2027, 1, 5, 8, 0), "2026")]


def test_nightly_slot_runs_once_when_the_clocks_go_back(tmp_path: Path) -> None:
    """02:30 happens twice on 25 October 2026 in Amsterdam; it is one slot."""
    with Ledger(tmp_path / "ledger.sqlite") as ledger:
        sends, _ = _run(ledger, NIGHTLY, utc(2026, 10, 23, 12), utc(2026, 10, 28), catch_up=False)
        times = [at for at, _ in sends.calls]
        assert times == [
            utc(2026, 10, 24, 0, 30),  # 02:30 CEST
            utc(2026, 10, 25, 0, 30),  # 02:30 CEST; 02:30 CET an hour later is the same slot
            utc(2026, 10, 26, 1, 30),  # 02:30 CET
            utc(2026, 10, 27, 1, 30),
        ]
        assert [slot for slot, _, _ in ledger.slots()] == [
            "2026-10-24T02:30 Europe/Amsterdam",
            "2026-10-25T02:30 Europe/Amsterdam",
            "2026-10-26T02:30 Europe/Amsterdam",
            "2026-10-27T02:30 Europe/Amsterdam",
        ]


def test_nightly_slot_when_the_clocks_go_forward(tmp_path: Path) -> None:
    """02:30 does not exist on 29 March 2026 in Amsterdam: it runs at 03:00 CEST, once."""
    with Ledger(tmp_path / "ledger.sqlite") as ledger:
        sends, _ = _run(ledger, NIGHTLY, utc(2026, 3, 27, 12), utc(2026, 3, 31), catch_up=False)
    assert [at for at, _ in sends.calls] == [
        utc(2026, 3, 28, 1, 30),  # 02:30 CET
        utc(2026, 3, 29, 1, 0),  # 03:00 CEST
        utc(2026, 3, 30, 0, 30),  # 02:30 CEST
    ]


def test_restart_neither_repeats_nor_skips(tmp_path: Path) -> None:
    path = tmp_path / "ledger.sqlite"
    with Ledger(path) as ledger:  # runs from 15 Oct until 10 Nov: serves 2 Nov
        first, _ = _run(ledger, MONTHLY, utc(2026, 10, 15), utc(2026, 11, 10))
    # catch-up at start: 2 Oct was never served -> sent at once (September); then 2 Nov
    assert first.calls == [(utc(2026, 10, 15), "2026-09"), (utc(2026, 11, 2, 7), "2026-10")]
    with Ledger(path) as ledger:  # restarted on 20 Nov: 2 Nov is served already
        second, _ = _run(ledger, MONTHLY, utc(2026, 11, 20), utc(2026, 12, 5))
    assert second.calls == [(utc(2026, 12, 2, 7), "2026-11")]
    with Ledger(path) as ledger:  # down from 5 Dec to 10 Feb: 2 Jan and 2 Feb missed
        third, _ = _run(ledger, MONTHLY, utc(2027, 2, 10), utc(2027, 2, 11))
    assert third.calls == [(utc(2027, 2, 10), "2027-01")]  # one catch-up, the latest slot


def test_clock_jump_fires_the_latest_slot_once(tmp_path: Path) -> None:
    """A machine suspended across two slots wakes up and serves only the latest."""
    with Ledger(tmp_path / "ledger.sqlite") as ledger:
        fake = FakeTime(utc(2026, 10, 15), utc(2027, 1, 1))
        sends = Sends(fake)
        jumps = iter([timedelta(days=60)])

        def sleep(seconds: float) -> bool:
            fake.now += next(jumps, timedelta(seconds=seconds))
            return fake.now >= fake.until

        run_schedule(MONTHLY, ledger, send=sends, timezone="UTC", clock=fake.clock, sleep=sleep,
                     catch_up=False)  # fmt: skip
    # 15 Oct + 60 days = 14 Dec: slots 2 Nov and 2 Dec passed; only 2 Dec is sent
    assert sends.calls == [(utc(2026, 12, 14), "2026-11")]


def test_failed_slot_is_logged_and_caught_up_after_restart(
    tmp_path: Path, briefing_logs: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "ledger.sqlite"
    with Ledger(path) as ledger:
        fake = FakeTime(utc(2026, 10, 15), utc(2026, 11, 5))
        failing = Sends(fake, fail=1)
        _run(ledger, MONTHLY, utc(2026, 10, 15), utc(2026, 11, 5), catch_up=False, sends=failing)
        assert ledger.slots() == [("2026-11-02T08:00 Europe/Amsterdam", "2026-10", "failed")]
    assert "gave up after 4 attempts" in briefing_logs.text
    with Ledger(path) as ledger:
        again, _ = _run(ledger, MONTHLY, utc(2026, 11, 6), utc(2026, 11, 7))
        assert again.calls == [(utc(2026, 11, 6), "2026-10")]
        assert ledger.slots()[-1][2] == "sent"


def test_slot_helpers() -> None:
    at = utc(2026, 10, 2, 6, 0)  # exactly 08:00 CEST, a slot
    assert latest_slot(MONTHLY, at) == at
    assert next_slot(MONTHLY, at) == utc(2026, 11, 2, 7, 0)
    assert slot_key(at, MONTHLY) == "2026-10-02T08:00 Europe/Amsterdam"


def test_scheduled_sends_rely_on_the_send_ledger(  # type: ignore[no-untyped-def]
    plain_server: Server, tmp_path: Path, hand_built
) -> None:
    """Even if the slot record is lost (a crash right after sending), nothing is sent twice."""
    config = load_config(write_small_config(tmp_path, plain_server))
    path = tmp_path / "briefing-ledger.sqlite"

    def send(period: Period) -> str:
        outcome = deliver(config, period, build=lambda: hand_built, now=utc(2026, 11, 2, 7),
                          input_hash="h1")  # fmt: skip
        return outcome.status

    with Ledger(path) as ledger:
        run_schedule(MONTHLY, ledger, send=send, timezone="Europe/Amsterdam",
                     clock=lambda: utc(2026, 11, 3), sleep=lambda s: True)  # fmt: skip
    assert len(plain_server.mailbox.messages) == 1
    with Ledger(path) as ledger:
        ledger._db.execute("DELETE FROM schedule_slots")
        run_schedule(MONTHLY, ledger, send=send, timezone="Europe/Amsterdam",
                     clock=lambda: utc(2026, 11, 3), sleep=lambda s: True)  # fmt: skip
        assert ledger.slots() == [("2026-11-02T08:00 Europe/Amsterdam", "2026-10", "already_sent")]
    assert len(plain_server.mailbox.messages) == 1


def test_sigterm_stops_cleanly(plain_server: Server, tmp_path: Path) -> None:
    config = write_small_config(tmp_path, plain_server)
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    process = subprocess.Popen(
        [sys.executable, "-m", "briefing", "schedule", "run", "--config", str(config),
         "--no-catch-up", "--log-format", "json"],
        stderr=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=env,
    )  # fmt: skip
    try:
        assert process.stderr is not None
        first = process.stderr.readline()  # "next run at ...": the loop is sleeping
        assert '"next run at' in first
        time.sleep(0.2)
        started = time.monotonic()
        process.send_signal(signal.SIGTERM)
        rest = process.communicate(timeout=20)[1]
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == 0, rest
    assert time.monotonic() - started < 5
    lines = [json.loads(line) for line in (first + rest).splitlines()]
    assert [line["message"] for line in lines][-3:] == [
        "received SIGTERM",
        "stopping: no run in progress",
        "stopped",
    ]
    assert all(line["time"].endswith("+00:00") for line in lines)
    assert plain_server.mailbox.messages == []
