"""The SMTP password: non-ASCII passwords log in; a password put where its variable's name
belongs is never printed back."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from briefing.cli import cli
from briefing.deliver.smtp import send_message
from tests.deliver import delivery_support
from tests.deliver.delivery_support import Server, copy_sample

MESSAGE = b"Subject: test\r\nFrom: risk@example.com\r\nTo: board@example.com\r\n\r\nHello.\r\n"
NON_ASCII = "pässwörd-S3cr3t"


def test_a_non_ascii_password_logs_in_with_auth_plain_in_utf8(
    smtp_server: Server, monkeypatch: pytest.MonkeyPatch
) -> None:
    # the server now accepts only the non-ASCII password (compared as UTF-8 bytes)
    monkeypatch.setattr(delivery_support, "PASSWORD", NON_ASCII)
    config = smtp_server.email_config(attempts=1)
    reports: list[tuple[tuple[str, ...], str]] = []
    result = send_message(
        MESSAGE,
        sender=config.from_addr,
        recipients=["board@example.com"],
        email=config,
        password=NON_ASCII,
        report=lambda addresses, outcome, code, detail: reports.append((tuple(addresses), outcome)),
        sleep=lambda seconds: None,
    )
    assert result.accepted == ["board@example.com"]
    assert smtp_server.mailbox.auth_attempts == 1
    assert len(smtp_server.mailbox.messages) == 1
    assert reports == [(("board@example.com",), "accepted")]


def test_a_wrong_non_ascii_password_is_one_message_without_the_secret(
    smtp_server: Server, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = copy_sample(tmp_path / "ws", smtp_server, attempts=1)
    monkeypatch.setenv(delivery_support.PASSWORD_ENV, NON_ASCII)
    result = CliRunner().invoke(cli, ["send", "--config", str(config)])
    assert result.exit_code == 1
    assert "refused the login of 'briefing'" in result.stderr
    assert NON_ASCII not in result.stderr + result.stdout
    assert "Traceback" not in result.stderr


def test_a_password_written_into_password_env_is_never_printed(
    smtp_server: Server, tmp_path: Path
) -> None:
    secret = "Hunter2SuperSecret"
    config = copy_sample(tmp_path / "ws", smtp_server, password_env=secret)
    result = CliRunner().invoke(cli, ["send", "--config", str(config)])
    assert result.exit_code == 1
    assert "the environment variable that delivery.email.password_env names is not set" in (
        result.stderr
    )
    assert secret not in result.stderr + result.stdout
    assert smtp_server.mailbox.connections == 0
