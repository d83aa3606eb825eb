"""`deliver()`: the ledger makes sending idempotent; partial sends resume; --force resends."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest

from briefing.config import load_config
from briefing.deliver import deliver, ledger_path
from briefing.deliver.ledger import Ledger
from briefing.errors import BriefingError, DeliveryError
from briefing.model import Period
from tests.deliver.delivery_support import (
    PASSWORD,
    PASSWORD_ENV,
    HandBuilt,
    Server,
    write_small_config,
)

NOW = datetime(2026, 11, 2, 7, 0, tzinfo=UTC)
OCTOBER = Period(2026, 10, "Europe/Amsterdam")
ALL = ["board@example.com", "cfo@example.com", "sre-leads@example.com", "archive@example.com"]


class Builds:
    """Counts how often the briefing had to be built."""

    def __init__(self, built: HandBuilt) -> None:
        self.built = built
        self.calls = 0

    def __call__(self) -> HandBuilt:
        self.calls += 1
        return self.built


def _deliver(config_path: Path, builds: Builds, **options):  # type: ignore[no-untyped-def]
    options.setdefault("input_hash", "inputs-v1")
    return deliver(
        load_config(config_path), OCTOBER, build=builds, now=NOW, sleep=lambda s: None, **options
    )


def test_sending_twice_delivers_once(smtp_server: Server, tmp_path: Path, hand_built) -> None:  # type: ignore[no-untyped-def]
    config = write_small_config(tmp_path, smtp_server)
    builds = Builds(hand_built)
    first = _deliver(config, builds)
    assert first.status == "sent"
    assert list(first.accepted) == ALL
    second = _deliver(config, builds)
    assert second.status == "already_sent"
    assert list(second.skipped) == ALL
    assert second.message_id == first.message_id
    assert len(smtp_server.mailbox.messages) == 1
    assert builds.calls == 1  # nothing to send: nothing built
    assert (tmp_path / "briefing-ledger.sqlite").is_file()  # default: beside the config


def test_force_sends_again_with_a_new_message_id_and_reuses_the_build(  # type: ignore[no-untyped-def]
    smtp_server: Server, tmp_path: Path, hand_built
) -> None:
    config = write_small_config(tmp_path, smtp_server)
    builds = Builds(hand_built)
    first = _deliver(config, builds)
    again = _deliver(config, builds, force=True)
    assert again.status == "sent"
    assert again.reused_build  # same input hash: the rendered email is reused
    assert builds.calls == 1
    assert again.message_id != first.message_id
    assert len(smtp_server.mailbox.messages) == 2
    assert _deliver(config, builds).status == "already_sent"  # the forced send counts


def test_changed_inputs_are_rebuilt(smtp_server: Server, tmp_path: Path, hand_built) -> None:  # type: ignore[no-untyped-def]
    config = write_small_config(tmp_path, smtp_server)
    builds = Builds(hand_built)
    _deliver(config, builds, dry_run=True)
    _deliver(config, builds, dry_run=True)
    assert builds.calls == 2  # a dry run keeps nothing
    _deliver(config, builds)
    _deliver(config, builds, force=True)
    assert builds.calls == 3
    _deliver(config, builds, force=True, input_hash="inputs-v2")
    assert builds.calls == 4


def test_refused_recipient_is_reported_then_retried_alone(  # type: ignore[no-untyped-def]
    smtp_server: Server, tmp_path: Path, hand_built
) -> None:
    config = write_small_config(tmp_path, smtp_server)
    builds = Builds(hand_built)
    smtp_server.mailbox.refuse = {
        "cfo@example.com": "550 5.1.1 <cfo@example.com>: mailbox unavailable"
    }
    with pytest.raises(DeliveryError) as caught:
        _deliver(config, builds)
    message = str(caught.value)
    assert "cfo@example.com: 550 5.1.1 <cfo@example.com>: mailbox unavailable" in message
    assert "delivered to board@example.com, sre-leads@example.com, archive@example.com" in message
    assert smtp_server.mailbox.messages[0][1] == [
        "board@example.com", "sre-leads@example.com", "archive@example.com",
    ]  # fmt: skip
    first_id = smtp_server.mailbox.parsed(0)["Message-ID"]

    smtp_server.mailbox.refuse = {}  # the mailbox is fixed
    outcome = _deliver(config, builds)
    assert outcome.status == "sent"
    assert outcome.accepted == ("cfo@example.com",)
    assert outcome.skipped == ("board@example.com", "sre-leads@example.com", "archive@example.com")
    assert smtp_server.mailbox.messages[1][1] == ["cfo@example.com"]
    assert smtp_server.mailbox.parsed(1)["Message-ID"] == first_id  # the same message, resumed
    assert _deliver(config, builds).status == "already_sent"
    assert len(smtp_server.mailbox.messages) == 2


def test_new_recipient_gets_it_alone(smtp_server: Server, tmp_path: Path, hand_built) -> None:  # type: ignore[no-untyped-def]
    builds = Builds(hand_built)
    _deliver(write_small_config(tmp_path, smtp_server), builds)
    config = write_small_config(
        tmp_path, smtp_server, to=["board@example.com", "cfo@example.com", "coo@example.com"]
    )
    outcome = _deliver(config, builds)
    assert outcome.accepted == ("coo@example.com",)
    assert smtp_server.mailbox.messages[1][1] == ["coo@example.com"]


def test_give_up_is_recorded_and_the_next_run_sends(  # type: ignore[no-untyped-def]
    smtp_server: Server, tmp_path: Path, hand_built
) -> None:
    config = write_small_config(tmp_path, smtp_server, attempts=2)
    builds = Builds(hand_built)
    smtp_server.mailbox.data_replies = ["452 4.3.1 insufficient storage"] * 2
    with pytest.raises(DeliveryError, match="gave up after 2 attempts"):
        _deliver(config, builds)
    with Ledger(ledger_path(load_config(config))) as ledger:
        [record] = ledger.sends("2026-10")
        assert record.outcome == "failed"
        assert set(ledger.recipients(record.id).values()) == {"pending"}
    outcome = _deliver(config, builds)
    assert outcome.status == "sent"
    assert len(smtp_server.mailbox.messages) == 1


def test_no_secret_in_ledger(smtp_server: Server, tmp_path: Path, hand_built) -> None:  # type: ignore[no-untyped-def]
    config = write_small_config(tmp_path, smtp_server)
    _deliver(config, Builds(hand_built))
    raw = (tmp_path / "briefing-ledger.sqlite").read_bytes()
    assert PASSWORD.encode() not in raw
    rows = (
        sqlite3.connect(tmp_path / "briefing-ledger.sqlite")
        .execute(
            "SELECT s.period, s.outcome, r.address, r.kind, r.outcome, r.code"
            " FROM sends s JOIN recipients r ON r.send_id = s.id ORDER BY r.rowid"
        )
        .fetchall()
    )
    assert rows == [
        ("2026-10", "sent", "board@example.com", "to", "accepted", 250),
        ("2026-10", "sent", "cfo@example.com", "to", "accepted", 250),
        ("2026-10", "sent", "sre-leads@example.com", "cc", "accepted", 250),
        ("2026-10", "sent", "archive@example.com", "bcc", "accepted", 250),
    ]


def test_missing_password_variable_is_a_clear_error(  # type: ignore[no-untyped-def]
    smtp_server: Server, tmp_path: Path, hand_built, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(PASSWORD_ENV)
    config = write_small_config(tmp_path, smtp_server)
    with pytest.raises(BriefingError) as caught:
        _deliver(config, Builds(hand_built))
    assert caught.value.message == (
        "the environment variable that delivery.email.password_env names is not set (or is empty)"
    )
    assert "export that variable" in caught.value.hint
    assert smtp_server.mailbox.connections == 0


def test_ledger_path_setting(smtp_server: Server, tmp_path: Path, hand_built) -> None:  # type: ignore[no-untyped-def]
    config = write_small_config(tmp_path, smtp_server)
    text = config.read_text().replace("delivery:\n", "delivery:\n  ledger: state/sent.sqlite\n")
    config.write_text(text)
    _deliver(config, Builds(hand_built))
    assert (tmp_path / "state" / "sent.sqlite").is_file()
    assert not (tmp_path / "briefing-ledger.sqlite").exists()


def test_two_sends_at_once_deliver_once(plain_server: Server, tmp_path: Path, hand_built) -> None:  # type: ignore[no-untyped-def]
    """A hand run and a scheduled run racing: the second waits for the first, then skips."""
    import contextlib
    import threading

    config = write_small_config(tmp_path, plain_server)
    both_building = threading.Barrier(2)

    def build() -> HandBuilt:
        # without the ledger lock, both runs would meet here and both send
        with contextlib.suppress(threading.BrokenBarrierError):
            both_building.wait(timeout=1)
        return hand_built

    outcomes: list[str] = []

    def run() -> None:
        outcome = deliver(load_config(config), OCTOBER, build=build, now=NOW, input_hash="h")
        outcomes.append(outcome.status)

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcomes) == ["already_sent", "sent"]
    assert len(plain_server.mailbox.messages) == 1
