"""What the outbox accepts as an address."""

from __future__ import annotations

import pytest

from credstack.core.mail import is_mail_address


@pytest.mark.parametrize("value", ["hanako@example.jp", "a.b+c@mail.example.ac.jp"])
def test_plain_addresses_are_accepted(value: str) -> None:
    """Local part, @, a domain with a dot."""
    assert is_mail_address(value)


@pytest.mark.parametrize("value", ["not-an-email", "a@b", "a b@example.jp", "a@example..jp",
                                   "a@example.jp\r\nBcc: x@evil.example",
                                   "Hanako <hanako@example.jp>", "@example.jp", "a@-x.jp"])
def test_anything_else_is_refused(value: str) -> None:
    """Names, line breaks, missing parts: nothing that could add a header or a recipient."""
    assert not is_mail_address(value)
