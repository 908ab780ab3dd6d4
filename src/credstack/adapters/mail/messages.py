"""Messages as they go on the wire: multipart text and HTML, UTF-8 throughout.

Headers that are not ASCII (a Japanese subject or sender name) are written as RFC 2047
encoded words by :mod:`email`'s SMTP policy, the body parts are UTF-8 in base64, and every
message says it was sent automatically (``Auto-Submitted``, RFC 3834) so that vacation
replies do not answer it.
"""

from __future__ import annotations

import datetime as dt
from email import policy
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime

from credstack.adapters.mail.images import InlineImage
from credstack.errors import InputError, Problem

__all__ = ["compose"]


def _one_line(text: str) -> str:
    """Header text on one line: a name or subject with a line break must not add headers."""
    return " ".join(text.split())


def _address(address: str, name: str | None = None) -> Address:
    local, _, domain = address.rpartition("@")
    try:
        return Address(display_name=_one_line(name or ""), username=local, domain=domain)
    except (ValueError, IndexError) as exc:
        raise InputError(f"{address!r} cannot be written as an e-mail address: {exc}",
                         problems=[Problem("address", address)]) from None


def compose(*, sender: str, sender_name: str | None, to: str, subject: str, text: str,
            html: str, message_id: str, now: dt.datetime,
            languages: tuple[str, ...] = ("ja", "en"),
            images: tuple[InlineImage, ...] = ()) -> EmailMessage:
    """The message from ``sender`` (shown as ``sender_name``) to ``to``, its plain text and
    HTML the two alternatives of one body; ``images`` go with the HTML (``multipart/related``),
    shown where it names them by ``cid:``."""
    message = EmailMessage(policy=policy.SMTP)
    message["From"] = _address(sender, sender_name)
    message["To"] = _address(to)
    message["Subject"] = _one_line(subject)
    message["Date"] = format_datetime(now)
    message["Message-ID"] = message_id
    message["Auto-Submitted"] = "auto-generated"
    message.set_content(text, subtype="plain", charset="utf-8", cte="base64")
    message.add_alternative(html, subtype="html", charset="utf-8", cte="base64")
    if images:
        # The HTML alternative becomes multipart/related: the HTML, then its images.
        html_part = message.get_body(("html",))
        assert html_part is not None
        for image in images:
            html_part.add_related(image.data, maintype="image", subtype="png",
                                  cid=f"<{image.cid}>", disposition="inline",
                                  filename=image.filename)
    # Last: setting the content, and making it multipart, drops or moves Content-* headers.
    message["Content-Language"] = ", ".join(languages)
    return message
