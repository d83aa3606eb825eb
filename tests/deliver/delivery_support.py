"""Helpers of the delivery tests: a real SMTP server for them, aiosmtpd on a free 127.0.0.1 port.

The server offers STARTTLS with a throwaway certificate made here (a CA and a
leaf for 127.0.0.1, trusted by the client through SSL_CERT_FILE) and AUTH with a
known login. `Mailbox` records what arrived and can be told to misbehave: answer
DATA with 421, refuse one recipient with 550, or hang up in the middle of DATA.
"""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import io
import socket
import ssl
from collections.abc import Iterator
from dataclasses import dataclass, field
from email.message import EmailMessage
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from briefing.config import EmailConfig
from briefing.model import (
    Briefing,
    DataQuality,
    Fact,
    Headline,
    IncidentSummary,
    LossAvoided,
    PeriodOut,
    RiskSummary,
)

LOGIN = "briefing"
PASSWORD = "correct-horse-4711"  # the secret that must never show up in output
PASSWORD_ENV = "BRIEFING_TEST_SMTP_PASSWORD"
HEADLINE = "Online checkout used 142% of its monthly reliability allowance."


# --------------------------------------------------------------------------- certificates


def _make_certificates(folder: Path) -> tuple[Path, Path, Path]:
    """(ca.pem, server.pem, server.key) for 127.0.0.1, with `cryptography` or `openssl`."""
    try:
        from cryptography import x509
        from cryptography.hazmat.primitives import hashes, serialization
        from cryptography.hazmat.primitives.asymmetric import ec
        from cryptography.x509.oid import NameOID
    except ImportError:  # pragma: no cover - depends on the machine
        return _make_certificates_openssl(folder)
    import ipaddress

    now = dt.datetime.now(dt.UTC)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "briefing test CA")])
    ca = (
        x509.CertificateBuilder()
        .subject_name(ca_name)
        .issuer_name(ca_name)
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(hours=1))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(False, False, False, False, False, True, True, False, False),
            critical=True,
        )
        .add_extension(
            x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), critical=False
        )
        .sign(ca_key, hashes.SHA256())
    )
    key = ec.generate_private_key(ec.SECP256R1())
    leaf = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")]))
        .issuer_name(ca_name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(hours=1))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName(
                [x509.IPAddress(ipaddress.ip_address("127.0.0.1")), x509.DNSName("localhost")]
            ),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False
        )
        .add_extension(x509.ExtendedKeyUsage([x509.oid.ExtendedKeyUsageOID.SERVER_AUTH]), False)
        .sign(ca_key, hashes.SHA256())
    )
    ca_pem, cert_pem, key_pem = folder / "ca.pem", folder / "server.pem", folder / "server.key"
    ca_pem.write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    cert_pem.write_bytes(leaf.public_bytes(serialization.Encoding.PEM))
    key_pem.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return ca_pem, cert_pem, key_pem


def _make_certificates_openssl(folder: Path) -> tuple[Path, Path, Path]:  # pragma: no cover
    import subprocess

    cert, key = folder / "server.pem", folder / "server.key"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
         "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1", "-keyout", str(key), "-out", str(cert),
         "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost",
         "-addext", "basicConstraints=critical,CA:TRUE"],
        check=True, capture_output=True,
    )  # fmt: skip
    return cert, cert, key


@pytest.fixture(scope="session")
def certificates(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Path]:
    return _make_certificates(tmp_path_factory.mktemp("tls"))


# --------------------------------------------------------------------------- server


@dataclass
class Mailbox:
    """aiosmtpd handler: stores accepted messages; faults are set per test."""

    messages: list[tuple[str, list[str], bytes]] = field(default_factory=list)
    data_replies: list[str] = field(default_factory=list)  # answer DATA with these first
    drop_data: int = 0  # hang up in the middle of DATA this many times
    refuse: dict[str, str] = field(default_factory=dict)  # address -> reply
    auth_attempts: int = 0
    data_attempts: int = 0
    connections: int = 0

    async def handle_EHLO(self, server, session, envelope, hostname, responses):  # type: ignore[no-untyped-def]
        self.connections += 1
        session.host_name = hostname
        return responses

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # type: ignore[no-untyped-def]
        if address in self.refuse:
            return self.refuse[address]
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # type: ignore[no-untyped-def]
        self.data_attempts += 1
        if self.drop_data:
            self.drop_data -= 1
            server.transport.abort()
            return "451 gone"
        if self.data_replies:
            return self.data_replies.pop(0)
        self.messages.append((envelope.mail_from, list(envelope.rcpt_tos), envelope.content))
        return "250 2.0.0 Message accepted"

    def authenticate(self, server, session, envelope, mechanism, auth_data):  # type: ignore[no-untyped-def]
        self.auth_attempts += 1
        ok = isinstance(auth_data, LoginPassword) and (
            auth_data.login == LOGIN.encode() and auth_data.password == PASSWORD.encode()
        )
        return AuthResult(success=ok, handled=False)

    def parsed(self, index: int = -1) -> EmailMessage:
        return email.message_from_bytes(self.messages[index][2], policy=email.policy.default)  # type: ignore[return-value]


@dataclass
class Server:
    host: str
    port: int
    mailbox: Mailbox
    security: str

    def email_config(self, **changes: object) -> EmailConfig:
        values: dict[str, object] = {
            "host": self.host,
            "port": self.port,
            "security": self.security,
            "username": LOGIN if self.security != "none" else None,
            "password_env": PASSWORD_ENV if self.security != "none" else None,
            "from_addr": "risk@example.com",
            "to": ("board@example.com", "cfo@example.com"),
            "cc": ("sre-leads@example.com",),
            "bcc": ("archive@example.com",),
            "attempts": 3,
            "backoff_seconds": 0.05,
            "timeout_seconds": 5.0,
        }
        values.update(changes)
        return EmailConfig(**values)  # type: ignore[arg-type]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _server_context(certificates: tuple[Path, Path, Path]) -> ssl.SSLContext:
    _, cert, key = certificates
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    return context


@pytest.fixture
def smtp_server(
    certificates: tuple[Path, Path, Path], monkeypatch: pytest.MonkeyPatch
) -> Iterator[Server]:
    """STARTTLS required, AUTH required; the client trusts the test CA via SSL_CERT_FILE."""
    monkeypatch.setenv("SSL_CERT_FILE", str(certificates[0]))
    monkeypatch.setenv(PASSWORD_ENV, PASSWORD)
    mailbox = Mailbox()
    port = free_port()
    controller = Controller(
        mailbox,
        hostname="127.0.0.1",
        port=port,
        tls_context=_server_context(certificates),
        require_starttls=True,
        auth_required=True,
        auth_require_tls=True,
        authenticator=mailbox.authenticate,
    )
    controller.start()
    try:
        yield Server("127.0.0.1", port, mailbox, "starttls")
    finally:
        controller.stop()


@pytest.fixture
def plain_server() -> Iterator[Server]:
    """Plain SMTP on loopback, no login: what `python -m aiosmtpd -n` gives an operator."""
    mailbox = Mailbox()
    port = free_port()
    controller = Controller(mailbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield Server("127.0.0.1", port, mailbox, "none")
    finally:
        controller.stop()


# --------------------------------------------------------------------------- a briefing by hand


def make_briefing(headline: str = HEADLINE) -> Briefing:
    return Briefing(
        schema_version="1.0",
        organization="Example Corp",
        period=PeriodOut("2026-10-01T00:00:00+02:00", "2026-11-01T00:00:00+01:00", "2026-10"),
        currency="EUR",
        headline=Headline(
            kind="budget_exhausted",
            value=-0.42,  # remaining -0.42 -> 1 - (-0.42) = 142% used
            unit="fraction",
            service="checkout",
            text=headline,
            decision="Freeze feature releases for Online checkout until its budget recovers.",
            owner="Head of Commerce Engineering",
            due="2026-11-15",
            until="2026-11-20",
            summary="Note: Online checkout feature pause until 20 Nov",
        ),
        services=(),
        incidents=IncidentSummary(0, {}, None, None, 0.0, ()),
        loss_avoided=LossAvoided(0.0, None, None, ()),
        risks=RiskSummary(0.25),
        data_quality=DataQuality(),
        facts=(
            Fact(
                "downtime_cost",
                72_350.0,
                "currency",
                "Outages cost €72,350 in lost sales.",
                41_200.0,
                31_150.0,
                "lower",
            ),  # fmt: skip
            Fact("incidents", 6.0, "count", "6 incidents, 2 of them severe.", 4.0, 2.0, "lower"),
        ),
        timezone="Europe/Amsterdam",
    )


def make_pdf(text: str) -> bytes:
    """A real one-page PDF carrying `text` (WeasyPrint), for checks with pypdf."""
    from weasyprint import HTML

    return HTML(string=f"<html><body><h1>Risk briefing</h1><p>{text}</p></body></html>").write_pdf()  # type: ignore[no-any-return]


def make_png() -> bytes:
    """A real PNG chart (matplotlib Agg)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figure, axes = plt.subplots(figsize=(3, 2), dpi=50)
    axes.plot([1, 2, 3], [1.0, 0.4, -0.42])
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", metadata={"Software": None})
    plt.close(figure)
    return buffer.getvalue()


@dataclass(frozen=True)
class HandBuilt:
    """Same shape as briefing.pipeline.BuildResult, for tests that need no pipeline."""

    briefing: Briefing
    outputs: dict[str, bytes]


@pytest.fixture(scope="session")
def hand_built() -> HandBuilt:
    briefing = make_briefing()
    return HandBuilt(briefing, {"pdf": make_pdf(briefing.headline.text)})


@pytest.fixture(scope="session")
def chart_png() -> bytes:
    return make_png()


# --------------------------------------------------------------------------- workspaces


def email_yaml(server: Server, **changes: object) -> dict[str, object]:
    """`delivery.email` for `server`, as briefing.yaml spells it."""
    values: dict[str, object] = {
        "host": server.host,
        "port": server.port,
        "security": server.security,
        "from": "risk@example.com",
        "to": ["board@example.com", "cfo@example.com"],
        "cc": ["sre-leads@example.com"],
        "bcc": ["archive@example.com"],
        "attempts": 3,
        "backoff_seconds": 0.05,
        "timeout_seconds": 5,
    }
    if server.security != "none":
        values.update(username=LOGIN, password_env=PASSWORD_ENV)
    values.update(changes)
    return values


def write_small_config(folder: Path, server: Server, **changes: object) -> Path:
    """A minimal briefing.yaml whose delivery points at `server`."""
    import yaml

    data = {
        "organization": "Example Corp",
        "currency": "EUR",
        "timezone": "Europe/Amsterdam",
        "services": [
            {
                "id": "checkout",
                "name": "Online checkout",
                "objective": 0.999,
                "cost_of_downtime_per_hour": 42000,
                "owner": "Head of Commerce Engineering",
            },
        ],  # fmt: skip
        "delivery": {
            "email": email_yaml(server, **changes),
            "schedule": {"cron": "0 8 2 * *", "timezone": "Europe/Amsterdam"},
        },
    }
    path = folder / "briefing.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


def copy_sample(folder: Path, server: Server, **changes: object) -> Path:
    """The packaged sample workspace in `folder`, mailing to `server`."""
    import shutil

    import yaml

    from briefing.config import packaged_sample_config

    sample = packaged_sample_config().parent
    shutil.copytree(sample, folder, dirs_exist_ok=True)
    path = folder / "briefing.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["delivery"]["email"] = email_yaml(server, **changes)
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


@pytest.fixture
def briefing_logs(caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    """caplog for the `briefing` loggers, even after a CLI run turned propagation off."""
    import logging

    monkeypatch.setattr(logging.getLogger("briefing"), "propagate", True)
    caplog.set_level(logging.DEBUG, logger="briefing")
    return caplog
