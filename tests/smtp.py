"""A real SMTP server on loopback (:mod:`aiosmtpd`), for the tests of sending e-mail.

    with smtp_server() as server:
        ... deliver to 127.0.0.1:server.port ...
        server.messages  # what it accepted, parsed

``refuse`` makes it answer every recipient with that reply (``"550 5.1.1 No such user"``);
``tls`` (a :class:`~tests.loopback.TlsSite`'s context) makes it offer STARTTLS and require it.
"""

from __future__ import annotations

import re
import ssl
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

from aiosmtpd.controller import Controller

from tests.conftest import free_port


@dataclass
class Inbox:
    """The server's handler: what it accepted, and how it answers."""

    raw: list[bytes] = field(default_factory=list)
    envelopes: list[tuple[str, list[str]]] = field(default_factory=list)
    refuse: str | None = None

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str,
                          rcpt_options: list[str]) -> str:
        if self.refuse is not None:
            return self.refuse
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.raw.append(bytes(envelope.original_content or envelope.content))
        self.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
        return "250 Message accepted for delivery"

    @property
    def messages(self) -> list[EmailMessage]:
        return [message_from_bytes(data, policy=policy.default)  # type: ignore[misc]
                for data in self.raw]


@dataclass
class SmtpServer:
    port: int
    inbox: Inbox

    @property
    def messages(self) -> list[EmailMessage]:
        return self.inbox.messages

    def mails(self, to: str, subject: str) -> list[EmailMessage]:
        """What reached ``to`` with ``subject`` in its subject line, oldest first."""
        return [message for message in self.messages
                if message["To"].endswith(to) and subject in message["Subject"]]

    def wait_for_mail(self, to: str, subject: str, count: int = 1) -> EmailMessage:
        """The ``count``-th e-mail to ``to`` whose subject says ``subject``, once it arrives
        (a ``mail.deliver`` job sends it; 90 s at most)."""
        deadline = time.monotonic() + 90
        while len(self.mails(to, subject)) < count and time.monotonic() < deadline:
            time.sleep(0.2)
        found = self.mails(to, subject)
        assert len(found) >= count, f"no e-mail {subject!r} to {to} within 90 s"
        return found[count - 1]


def relay(server: SmtpServer) -> dict[str, Any]:
    """What :class:`~credstack.settings.Settings` need to send their e-mail to ``server``
    (plain SMTP on loopback, the sender's address of the tests)."""
    return {"smtp_host": "127.0.0.1", "smtp_port": server.port, "smtp_security": "none",
            "mail_from": "noreply@credstack.example"}


def plain_text(message: EmailMessage) -> str:
    """The plain-text part of ``message``."""
    body = message.get_body(("plain",))
    assert body is not None
    content: str = body.get_content()
    return content


def link_path(message: EmailMessage, public_url: str, under: str) -> str:
    """The path of the link under ``under`` (``/sign-up``, …) in ``message``'s plain text,
    which names it at ``public_url``: ``under`` and its token."""
    text = plain_text(message)
    found = re.search(rf"{re.escape(public_url)}({under}/[A-Za-z0-9_-]+)", text)
    assert found is not None, text
    return found.group(1)


@contextmanager
def smtp_server(*, port: int | None = None, tls: ssl.SSLContext | None = None,
                hostname: str = "127.0.0.1") -> Iterator[SmtpServer]:
    """An SMTP server on ``port`` (default: a free one) until the block ends."""
    inbox = Inbox()
    chosen = port or free_port()
    extra: dict[str, Any] = {}
    if tls is not None:
        extra = {"tls_context": tls, "require_starttls": True}
    controller = Controller(inbox, hostname=hostname, port=chosen, **extra)
    controller.start()
    try:
        yield SmtpServer(chosen, inbox)
    finally:
        controller.stop()
