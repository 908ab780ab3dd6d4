"""E-mail addresses as accounts are keyed by them."""

from __future__ import annotations

from credstack.errors import InputError, Problem

#: The longest address kept (RFC 5321's 64-octet local part, @, and a 255-octet domain).
MAX_EMAIL = 320


def normalise_email(email: str) -> str:
    """An e-mail address in the form accounts are keyed by (trimmed, lower case).

    :class:`~credstack.errors.InputError` for what is not an address at all.
    """
    value = email.strip().lower()
    local, _, domain = value.partition("@")
    if (not local or "." not in domain or domain.startswith(".") or domain.endswith(".")
            or len(value) > MAX_EMAIL or any(c.isspace() for c in value) or "@" in domain):
        raise InputError(f"{email!r} is not an e-mail address.",
                         problems=[Problem("email", "not an e-mail address")])
    return value


def account_key(email: str) -> str:
    """The key a sign-in attempt is counted under: the address as typed, trimmed and lower
    case, known or not (never refused: a typo is a failed attempt like any other)."""
    return email.strip().lower()[:MAX_EMAIL]
