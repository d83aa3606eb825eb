"""Fault injection against a real SMTP server: retries, refusals, hang-ups, bad passwords."""

from __future__ import annotations

import socket

import pytest

from briefing.deliver.smtp import check_security, is_loopback, send_message
from briefing.errors import DeliveryError
from tests.deliver.delivery_support import PASSWORD, Server, free_port

MESSAGE = b"Subject: test\r\nFrom: risk@example.com\r\nTo: board@example.com\r\n\r\nHello.\r\n"


class Calls:
    def __init__(self) -> None:
        self.reports: list[tuple[tuple[str, ...], str, int | None]] = []
        self.sleeps: list[float] = []

    def report(self, addresses, outcome, code, detail) -> None:  # type: ignore[no-untyped-def]
        self.reports.append((tuple(addresses), outcome, code))

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)


def _send(server: Server, calls: Calls, recipients: list[str], password: str = PASSWORD, **changes):  # type: ignore[no-untyped-def]
    config = server.email_config(**changes)
    return send_message(
        MESSAGE,
        sender=config.from_addr,
        recipients=recipients,
        email=config,
        password=password,
        report=calls.report,
        sleep=calls.sleep,
    )


def test_421_then_success_is_retried_and_delivered_once(smtp_server: Server) -> None:
    smtp_server.mailbox.data_replies = ["421 4.3.2 Service shutting down, try later"]
    calls = Calls()
    result = _send(smtp_server, calls, ["board@example.com"], backoff_seconds=0.25)
    assert result.accepted == ["board@example.com"]
    assert result.attempts == 2
    assert smtp_server.mailbox.data_attempts == 2
    assert len(smtp_server.mailbox.messages) == 1
    assert calls.sleeps == [0.25]  # backoff_seconds * 2 ** (1 - 1)
    assert calls.reports == [(("board@example.com",), "accepted", 250)]


def test_backoff_doubles_and_gives_up_after_attempts(smtp_server: Server) -> None:
    smtp_server.mailbox.data_replies = ["451 4.3.0 busy"] * 5
    calls = Calls()
    with pytest.raises(DeliveryError) as caught:
        _send(smtp_server, calls, ["board@example.com"], attempts=3, backoff_seconds=0.5)
    # 3 attempts, sleeping 0.5 * 2**0 and 0.5 * 2**1 between them
    assert calls.sleeps == [0.5, 1.0]
    assert smtp_server.mailbox.data_attempts == 3
    assert "gave up after 3 attempts" in str(caught.value)
    assert "451 4.3.0 busy" in str(caught.value)
    assert "not delivered to board@example.com" in str(caught.value)
    assert smtp_server.mailbox.messages == []


def test_550_for_one_recipient_others_delivered(smtp_server: Server) -> None:
    smtp_server.mailbox.refuse = {"gone@example.com": "550 5.1.1 <gone@example.com>: no such user"}
    calls = Calls()
    recipients = ["board@example.com", "gone@example.com", "cfo@example.com"]
    result = _send(smtp_server, calls, recipients)
    assert result.accepted == ["board@example.com", "cfo@example.com"]
    assert result.refused == {"gone@example.com": "550 5.1.1 <gone@example.com>: no such user"}
    assert result.attempts == 1  # a permanent refusal is not retried
    assert smtp_server.mailbox.messages[0][1] == ["board@example.com", "cfo@example.com"]
    assert (("gone@example.com",), "refused", 550) in calls.reports


def test_connection_dropped_mid_data_is_retried(smtp_server: Server) -> None:
    smtp_server.mailbox.drop_data = 1
    calls = Calls()
    result = _send(smtp_server, calls, ["board@example.com"])
    assert result.accepted == ["board@example.com"]
    assert result.attempts == 2
    assert smtp_server.mailbox.data_attempts == 2
    assert len(smtp_server.mailbox.messages) == 1
    assert calls.sleeps == [0.05]


def test_wrong_password_fails_at_once_without_the_secret(
    smtp_server: Server, briefing_logs: pytest.LogCaptureFixture
) -> None:
    wrong = "Wr0ng-Secret-Value-99"
    calls = Calls()
    with pytest.raises(DeliveryError) as caught:
        _send(smtp_server, calls, ["board@example.com"], password=wrong)
    message = str(caught.value)
    assert smtp_server.mailbox.auth_attempts == 1  # no retry
    assert calls.sleeps == []
    assert "refused the login of 'briefing'" in message
    assert "535" in message
    assert "BRIEFING_TEST_SMTP_PASSWORD" in message  # where to fix it
    for text in (message, briefing_logs.text):
        assert wrong not in text
        assert PASSWORD not in text


def test_connection_refused_is_transient(certificates) -> None:  # type: ignore[no-untyped-def]
    port = free_port()  # nothing listens there
    server = Server("127.0.0.1", port, None, "none")  # type: ignore[arg-type]
    calls = Calls()
    with pytest.raises(DeliveryError) as caught:
        _send(server, calls, ["board@example.com"], password=None, attempts=2)
    assert calls.sleeps == [0.05]
    assert "gave up after 2 attempts" in str(caught.value)
    assert "connection lost" in str(caught.value)


def test_timeout_is_transient() -> None:
    with socket.socket() as listener:  # accepts, never greets
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        server = Server("127.0.0.1", listener.getsockname()[1], None, "none")  # type: ignore[arg-type]
        calls = Calls()
        with pytest.raises(DeliveryError) as caught:
            _send(server, calls, ["a@example.com"], password=None, attempts=2, timeout_seconds=0.3)
    assert calls.sleeps == [0.05]
    assert "timed out" in str(caught.value)


def test_plain_smtp_refused_off_loopback(smtp_server: Server) -> None:
    config = smtp_server.email_config(host="smtp.example.com", security="none")
    with pytest.raises(DeliveryError) as caught:
        check_security(config)
    assert "smtp.example.com is not this machine" in str(caught.value)
    assert "starttls" in str(caught.value)
    assert all(is_loopback(host) for host in ("127.0.0.1", "::1", "localhost"))
    assert not is_loopback("10.0.0.1")


def test_starttls_required_but_not_offered(plain_server: Server) -> None:
    calls = Calls()
    with pytest.raises(DeliveryError) as caught:
        _send(plain_server, calls, ["a@example.com"], security="starttls", username=None)
    assert "does not offer STARTTLS" in str(caught.value)
    assert calls.sleeps == []


@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")
def test_implicit_tls_with_login(certificates, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    """security: ssl (port 465 style): TLS from the first byte, certificate verified."""
    from aiosmtpd.controller import Controller

    from tests.deliver.delivery_support import Mailbox, _server_context

    monkeypatch.setenv("SSL_CERT_FILE", str(certificates[0]))
    mailbox = Mailbox()
    port = free_port()
    controller = Controller(
        mailbox, hostname="127.0.0.1", port=port, ssl_context=_server_context(certificates),
        auth_required=True, auth_require_tls=False, authenticator=mailbox.authenticate,
    )  # fmt: skip
    controller.start()
    try:
        calls = Calls()
        server = Server("127.0.0.1", port, mailbox, "ssl")
        result = _send(server, calls, ["board@example.com"])
    finally:
        controller.stop()
    assert result.accepted == ["board@example.com"]
    assert mailbox.auth_attempts == 1
    assert len(mailbox.messages) == 1


def test_untrusted_certificate_fails_at_once(
    smtp_server: Server, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SSL_CERT_FILE", "/nonexistent/ca.pem")  # the test CA is not trusted
    monkeypatch.setenv("SSL_CERT_DIR", "/nonexistent")
    calls = Calls()
    with pytest.raises(DeliveryError) as caught:
        _send(smtp_server, calls, ["board@example.com"])
    assert "the server's TLS certificate does not verify" in str(caught.value)
    assert "SSL_CERT_FILE" in str(caught.value)
    assert calls.sleeps == []
    assert smtp_server.mailbox.messages == []
