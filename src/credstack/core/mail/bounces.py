"""Delivery status notifications (RFC 3464) read back: which message bounced, and why.

A receiving system that cannot deliver a message it accepted sends a report to the sender:
``multipart/report; report-type=delivery-status`` with a human part, a
``message/delivery-status`` part (per recipient: ``Final-Recipient``, ``Action``,
``Status``, ``Diagnostic-Code``) and the returned message or its headers, which carry the
``Message-ID`` the outbox recorded when it sent it.
https://www.rfc-editor.org/rfc/rfc3464
"""

from __future__ import annotations

from dataclasses import dataclass
from email import message_from_bytes, policy
from email.message import Message

from credstack.errors import InputError, Problem


@dataclass(frozen=True, slots=True)
class Bounce:
    """What a delivery status notification says about one returned message."""

    #: The returned message's ``Message-ID`` (with its angle brackets).
    message_id: str
    #: The recipient the report is about (``Final-Recipient``, without its type).
    recipient: str | None
    #: ``Status`` (``5.1.1``) and ``Diagnostic-Code`` as given.
    status: str | None
    diagnostic: str | None

    @property
    def reason(self) -> str:
        parts = [part for part in (self.status, self.diagnostic) if part]
        return " ".join(parts) or "delivery status notification"


def _fields(part: Message) -> list[Message]:
    """The header blocks of a ``message/delivery-status`` part (per-message, then one per
    recipient), however the parser delivered them."""
    payload = part.get_payload()
    if isinstance(payload, list):
        return [block for block in payload if isinstance(block, Message)]
    if isinstance(payload, str):
        return [message_from_bytes(block.strip().encode("utf-8"), policy=policy.compat32)
                for block in payload.split("\n\n") if block.strip()]
    return []


def read_bounce(data: bytes) -> Bounce:
    """The bounce that the delivery status notification ``data`` reports;
    :class:`~credstack.errors.InputError` when it is no such report or names no message."""
    report = message_from_bytes(data, policy=policy.compat32)
    if report.get_content_type() != "multipart/report":
        raise InputError("This is not a delivery status notification (multipart/report).",
                         problems=[Problem("Content-Type", report.get_content_type())])
    recipient = status = diagnostic = message_id = None
    for part in report.walk():
        kind = part.get_content_type()
        if kind == "message/delivery-status":
            for block in _fields(part):
                recipient = recipient or _value(block.get("Final-Recipient"))
                status = status or _clean(block.get("Status"))
                diagnostic = diagnostic or _value(block.get("Diagnostic-Code"))
        elif kind in {"message/rfc822", "text/rfc822-headers"}:
            message_id = message_id or _returned_id(part)
    if message_id is None:
        raise InputError("The report names no returned message (no Message-ID in its "
                         "message/rfc822 or text/rfc822-headers part).",
                         problems=[Problem("message/rfc822", "no Message-ID")])
    return Bounce(message_id, recipient, status, diagnostic)


def _returned_id(part: Message) -> str | None:
    payload = part.get_payload()
    if isinstance(payload, list):
        for inner in payload:
            if isinstance(inner, Message) and inner.get("Message-ID"):
                return _clean(inner.get("Message-ID"))
        return None
    if isinstance(payload, str):
        headers = message_from_bytes(payload.encode("utf-8"), policy=policy.compat32)
        return _clean(headers.get("Message-ID"))
    return None


def _clean(value: object) -> str | None:
    text = " ".join(str(value).split()) if value is not None else ""
    return text or None


def _value(value: object) -> str | None:
    """``rfc822; someone@example.org`` → ``someone@example.org``."""
    text = _clean(value)
    return text.partition(";")[2].strip() or text if text else None
