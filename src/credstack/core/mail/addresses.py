"""E-mail addresses as the outbox and the SMTP envelope take them."""

from __future__ import annotations

import re
from typing import Final

#: One address: a local part without spaces, brackets or separators, ``@``, and a domain of
#: letters, digits, dots and hyphens. No display name, no comments, no quoted local parts:
#: what an SMTP envelope carries as it is and a header cannot be smuggled into.
_ADDRESS: Final = re.compile(r"[^@\s<>(),;:\"\[\]\\]{1,64}@[A-Za-z0-9](?:[A-Za-z0-9.-]{0,251}"
                             r"[A-Za-z0-9])?")


def is_mail_address(value: str) -> bool:
    """Whether ``value`` is one plain e-mail address (``name@example.ac.jp``)."""
    return (len(value) <= 254 and _ADDRESS.fullmatch(value) is not None and ".." not in value
            and "." in value.rpartition("@")[2])
