"""An SMTP connection on the standard library's :mod:`smtplib`, TLS always verified.

``starttls`` (the default) connects in plain text and upgrades before anything else is said,
refusing a server that does not offer STARTTLS; ``tls`` speaks TLS from the first byte (port
465); ``none`` is plain text, which the settings allow only to a loopback relay. The
server's certificate and host name are verified against the system's certificate
authorities, or those of ``CREDSTACK_SMTP_CA_FILE``.

What goes wrong is sorted for the outbox: :class:`~credstack.errors.MailServerError` when
the server cannot be used at all (every message waits for the next try), and
:class:`~credstack.errors.MailRefusedError` when it refuses one message, ``permanent`` for a
5xx reply (that message is given up) and not for a 4xx one (it is tried again).
"""

from __future__ import annotations

import smtplib
import ssl
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email.message import EmailMessage
from pathlib import Path
from typing import Protocol

from credstack.errors import MailRefusedError, MailServerError
from credstack.settings import Settings

__all__ = ["MailTransport", "SmtpServer", "connect"]


class MailTransport(Protocol):
    """Something that sends one message (an open SMTP connection)."""

    def send(self, message: EmailMessage) -> None: ...


@dataclass(frozen=True, slots=True)
class SmtpServer:
    host: str
    port: int = 587
    security: str = "starttls"
    username: str | None = None
    password: str | None = field(default=None, repr=False)
    ca_file: Path | None = None
    #: Seconds to wait for the server before the try counts as failed.
    timeout: float = 30.0

    @classmethod
    def from_settings(cls, settings: Settings) -> SmtpServer | None:
        """The server of ``settings``; ``None`` when none is configured."""
        if settings.smtp_host is None:
            return None
        return cls(settings.smtp_host, settings.smtp_port, settings.smtp_security,
                   settings.smtp_username, settings.smtp_password, settings.smtp_ca_file)

    def tls_context(self) -> ssl.SSLContext:
        try:
            return ssl.create_default_context(
                cafile=str(self.ca_file) if self.ca_file is not None else None)
        except (OSError, ssl.SSLError) as exc:
            raise MailServerError(f"CREDSTACK_SMTP_CA_FILE {self.ca_file} cannot be read: "
                                  f"{exc}") from None


def _reply(code: int, message: bytes | str) -> str:
    text = message.decode("utf-8", "replace") if isinstance(message, bytes) else message
    return f"{code} {' '.join(text.split())}"


class _Connection:
    def __init__(self, client: smtplib.SMTP, where: str) -> None:
        self._client = client
        self._where = where

    def send(self, message: EmailMessage) -> None:
        try:
            refused = self._client.send_message(message)
        except smtplib.SMTPRecipientsRefused as exc:
            code, reply = next(iter(exc.recipients.values()))
            raise _refused("the recipient", code, reply) from None
        except smtplib.SMTPSenderRefused as exc:
            raise _refused("the sender address", exc.smtp_code, exc.smtp_error) from None
        except smtplib.SMTPServerDisconnected as exc:
            raise MailServerError(f"{self._where} closed the connection: {exc}") from None
        except smtplib.SMTPResponseException as exc:
            raise _refused("the message", exc.smtp_code, exc.smtp_error) from None
        except (OSError, smtplib.SMTPException) as exc:
            raise MailServerError(f"{self._where}: {exc}") from None
        if refused:  # pragma: no cover - one recipient: refusing it raises above
            code, reply = next(iter(refused.values()))
            raise _refused("the recipient", code, reply)


def _refused(what: str, code: int, reply: bytes | str) -> MailRefusedError:
    return MailRefusedError(f"The server refused {what}: {_reply(code, reply)}",
                            permanent=500 <= code < 600)


@contextmanager
def connect(server: SmtpServer, *, local_hostname: str | None = None
            ) -> Iterator[MailTransport]:
    """An open, secured and authenticated connection to ``server`` for the block's length."""
    where = f"The SMTP server {server.host}:{server.port}"
    client: smtplib.SMTP
    try:
        if server.security == "tls":
            client = smtplib.SMTP_SSL(server.host, server.port, local_hostname=local_hostname,
                                      timeout=server.timeout, context=server.tls_context())
        else:
            client = smtplib.SMTP(server.host, server.port, local_hostname=local_hostname,
                                  timeout=server.timeout)
    except (OSError, smtplib.SMTPException) as exc:
        raise MailServerError(f"{where} cannot be reached: {exc}") from None
    try:
        try:
            client.ehlo()
            if server.security == "starttls":
                if not client.has_extn("starttls"):
                    raise MailServerError(f"{where} does not offer STARTTLS, so e-mail would "
                                          "travel unencrypted; nothing was sent.")
                client.starttls(context=server.tls_context())
                client.ehlo()
            if server.username is not None:
                client.login(server.username, server.password or "")
        except smtplib.SMTPAuthenticationError as exc:
            raise MailServerError(f"{where} refused the login of "
                                  f"{server.username!r}: {_reply(exc.smtp_code, exc.smtp_error)}"
                                  ) from None
        except ssl.SSLCertVerificationError as exc:
            raise MailServerError(f"{where}'s certificate does not verify: "
                                  f"{exc.verify_message}") from None
        except (OSError, smtplib.SMTPException) as exc:
            raise MailServerError(f"{where} could not be used: {exc}") from None
        yield _Connection(client, where)
    finally:
        try:
            client.quit()
        except (OSError, smtplib.SMTPException):
            client.close()
