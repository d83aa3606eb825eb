"""Deliver stage: one message to its recipients over SMTP, with retries.

Each attempt opens a session (implicit TLS, STARTTLS or plain on loopback only),
logs in when a username is configured, and runs one transaction for the
recipients still pending. Outcomes:

- transient (a 4xx reply, connection refused or reset, a timeout, the server
  hanging up mid-DATA): retried with exponential backoff, up to `attempts`;
- permanent (a 5xx reply to MAIL or DATA, authentication failure, a TLS
  certificate that does not verify): `DeliveryError` at once, no retry;
- a recipient refused with 5xx is reported by address and never retried; one
  deferred with 4xx is retried in the next attempt.

Accepted and refused recipients are reported through callbacks as soon as the
server answers, so the ledger knows them even if a later step fails. The password
never appears in a log line or an error: every server text passes `_scrub()`.
"""

from __future__ import annotations

import base64
import ipaddress
import logging
import smtplib
import ssl
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from briefing.config import EmailConfig
from briefing.errors import DeliveryError

log = logging.getLogger(__name__)

Report = Callable[[Sequence[str], str, int | None, str], None]
"""report(addresses, outcome, code, detail): outcome is accepted | refused."""


class _Transient(Exception):
    pass


class _Permanent(Exception):
    def __init__(self, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.hint = hint


@dataclass
class SmtpResult:
    accepted: list[str] = field(default_factory=list)
    refused: dict[str, str] = field(default_factory=dict)  # address -> "550 5.1.1 ..."
    attempts: int = 0


def is_loopback(host: str) -> bool:
    if host.lower() in ("localhost", "localhost.localdomain", "ip6-localhost"):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def check_security(email: EmailConfig) -> None:
    """Plain SMTP (security: none) only to this machine; the password never crosses a network."""
    if email.security == "none" and not is_loopback(email.host):
        raise DeliveryError(
            f"delivery.email.security is none, but {email.host} is not this machine",
            hint="use security: starttls (port 587) or ssl (port 465); "
            "none is allowed only for a relay on 127.0.0.1 or localhost",
        )


class _Scrubber:
    def __init__(self, username: str | None, password: str | None) -> None:
        self.secrets: list[str] = []
        if password:
            self.secrets.append(password)
            for blob in (password, f"\0{username or ''}\0{password}"):
                self.secrets.append(base64.b64encode(blob.encode()).decode("ascii"))

    def __call__(self, text: object) -> str:
        result = text.decode("utf-8", "replace") if isinstance(text, bytes) else str(text)
        for secret in self.secrets:
            result = result.replace(secret, "***")
        return result


def _reply(code: int, message: bytes | str, scrub: _Scrubber) -> str:
    return f"{code} {scrub(message)}".strip()


def _open(email: EmailConfig, password: str | None, scrub: _Scrubber) -> smtplib.SMTP:
    context = ssl.create_default_context()
    try:
        if email.security == "ssl":
            smtp: smtplib.SMTP = smtplib.SMTP_SSL(
                email.host, email.port, timeout=email.timeout_seconds, context=context
            )
        else:
            smtp = smtplib.SMTP(email.host, email.port, timeout=email.timeout_seconds)
    except smtplib.SMTPConnectError as err:
        _raise_for(err.smtp_code, err.smtp_error, "the greeting", scrub)
        raise
    try:
        smtp.ehlo()
        if email.security == "starttls":
            if not smtp.has_extn("starttls"):
                raise _Permanent(
                    f"{email.host}:{email.port} does not offer STARTTLS",
                    hint="check the port (587 for STARTTLS, 465 for security: ssl)",
                )
            smtp.starttls(context=context)
            smtp.ehlo()
        if email.username:
            _login(smtp, email.username, password or "")
    except BaseException:
        smtp.close()
        raise
    return smtp


def _login(smtp: smtplib.SMTP, username: str, password: str) -> None:
    """One AUTH with the best offered mechanism (smtplib's login() would try each in turn,
    and each failure counts towards the account's lockout)."""
    if not smtp.has_extn("auth"):
        raise smtplib.SMTPNotSupportedError("the server does not offer AUTH")
    offered = smtp.esmtp_features["auth"].upper().split()
    if not (username + password).isascii():
        _login_utf8(smtp, username, password, offered)
        return
    for mechanism, method in (("PLAIN", smtp.auth_plain), ("LOGIN", smtp.auth_login)):
        if mechanism in offered:
            smtp.user, smtp.password = username, password
            smtp.auth(mechanism, method, initial_response_ok=True)
            return
    raise smtplib.SMTPNotSupportedError(
        f"no supported AUTH mechanism (offered: {' '.join(offered)})"
    )


def _login_utf8(smtp: smtplib.SMTP, username: str, password: str, offered: list[str]) -> None:
    """AUTH PLAIN with UTF-8 credentials (RFC 4616); smtplib encodes them as ASCII only."""
    if "PLAIN" not in offered:
        raise _Permanent(
            "the SMTP password or username has non-ASCII characters, which only AUTH PLAIN "
            f"carries, and the server offers only {' '.join(offered)}",
            hint="use a password of ASCII characters for this account",
        )
    blob = base64.b64encode(f"\0{username}\0{password}".encode()).decode("ascii")
    code, reply = smtp.docmd("AUTH", f"PLAIN {blob}")
    if code != 235:
        raise smtplib.SMTPAuthenticationError(code, reply)


def _raise_for(code: int, message: bytes | str, step: str, scrub: _Scrubber) -> None:
    text = f"{step} answered {_reply(code, message, scrub)}"
    if 400 <= code < 500:
        raise _Transient(text)
    raise _Permanent(text)


def _transaction(
    smtp: smtplib.SMTP,
    sender: str,
    recipients: Sequence[str],
    message: bytes,
    scrub: _Scrubber,
    report: Report,
    result: SmtpResult,
) -> list[str]:
    """MAIL, RCPT for each, DATA. Returns the recipients deferred (4xx) for a later attempt."""
    code, reply = smtp.mail(sender)
    if code != 250:
        _raise_for(code, reply, "MAIL FROM", scrub)
    accepted: list[str] = []
    deferred: list[str] = []
    for address in recipients:
        code, reply = smtp.rcpt(address)
        if code in (250, 251):
            accepted.append(address)
        elif 400 <= code < 500:
            deferred.append(address)
            log.warning("%s deferred: %s", address, _reply(code, reply, scrub))
        else:
            detail = _reply(code, reply, scrub)
            result.refused[address] = detail
            report([address], "refused", code, detail)
            log.error("%s refused: %s", address, detail)
    if not accepted:
        smtp.rset()
        return deferred
    code, reply = smtp.data(message)
    if code != 250:
        _raise_for(code, reply, "DATA", scrub)
    result.accepted.extend(accepted)
    report(accepted, "accepted", code, _reply(code, reply, scrub))
    return deferred


def send_message(
    message: bytes,
    *,
    sender: str,
    recipients: Sequence[str],
    email: EmailConfig,
    password: str | None,
    report: Report,
    sleep: Callable[[float], None] = time.sleep,
) -> SmtpResult:
    """Deliver `message` to `recipients`; transient failures are retried with backoff.

    Raises `DeliveryError` on a permanent failure, or when attempts run out with
    recipients still pending. Refused recipients are in the result, not an error.
    """
    check_security(email)
    scrub = _Scrubber(email.username, password)
    result = SmtpResult()
    pending = list(recipients)
    last_error = ""
    where = f"{email.host}:{email.port}"
    for attempt in range(1, email.attempts + 1):
        result.attempts = attempt
        try:
            smtp = _open(email, password, scrub)
            try:
                pending = _transaction(smtp, sender, pending, message, scrub, report, result)
            finally:
                try:
                    smtp.quit()
                except (smtplib.SMTPException, OSError):
                    smtp.close()
            if not pending:
                return result
            last_error = f"{len(pending)} recipient(s) deferred"
        except smtplib.SMTPAuthenticationError as err:
            if 400 <= err.smtp_code < 500:
                last_error = f"login answered {_reply(err.smtp_code, err.smtp_error, scrub)}"
            else:
                raise DeliveryError(
                    f"{where} refused the login of {email.username!r}: "
                    f"{_reply(err.smtp_code, err.smtp_error, scrub)}",
                    hint=f"check delivery.email.username and the password in ${email.password_env}",
                ) from None
        except smtplib.SMTPNotSupportedError as err:
            raise DeliveryError(
                f"{where}: {scrub(err)}",
                hint="remove delivery.email.username if no login is needed",
            ) from None
        except ssl.SSLCertVerificationError as err:
            raise DeliveryError(
                f"{where}: the server's TLS certificate does not verify: {err.verify_message}",
                hint="point SSL_CERT_FILE at your CA bundle if the server uses a private CA",
            ) from None
        except _Permanent as err:
            raise DeliveryError(f"{where}: {err}", hint=err.hint) from None
        except smtplib.SMTPResponseException as err:
            try:
                _raise_for(err.smtp_code, err.smtp_error, "the server", scrub)
            except _Transient as transient:
                last_error = str(transient)
            except _Permanent as permanent:
                raise DeliveryError(f"{where}: {permanent}") from None
        except _Transient as err:
            last_error = str(err)
        except (smtplib.SMTPServerDisconnected, OSError) as err:
            last_error = f"connection lost: {scrub(err) or type(err).__name__}"
        except smtplib.SMTPException as err:
            raise DeliveryError(f"{where}: {scrub(err)}") from None
        if attempt < email.attempts:
            delay = email.backoff_seconds * 2 ** (attempt - 1)
            log.warning(
                "attempt %d/%d to %s failed (%s); retrying in %.1f s",
                attempt,
                email.attempts,
                where,
                last_error,
                delay,
            )
            sleep(delay)
    raise DeliveryError(
        f"{where}: gave up after {email.attempts} attempts: {last_error}; "
        f"not delivered to {', '.join(pending)}",
        hint="run `briefing send` again later: recipients already served are not sent twice",
    )
