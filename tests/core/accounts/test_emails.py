"""E-mail addresses as accounts are keyed by them."""

from __future__ import annotations

import pytest

from credstack.core.accounts.emails import account_key, normalise_email
from credstack.errors import InputError


def test_an_address_is_trimmed_and_lower_cased() -> None:
    """Case and surrounding blanks never make a second account."""
    assert normalise_email("  Admin@Example.ORG ") == "admin@example.org"


@pytest.mark.parametrize("value", ["", "admin", "@example.org", "admin@example", "a@.example",
                                   "a@example.", "a b@example.org", "a@b@example.org",
                                   "a@" + "x" * 320 + ".org"])
def test_what_is_not_an_address_is_refused_naming_the_field(value: str) -> None:
    """Refused with a problem on ``email``."""
    with pytest.raises(InputError) as refused:
        normalise_email(value)
    assert refused.value.problems[0].location == "email"


def test_the_attempt_key_takes_any_text() -> None:
    """A typo is counted as an attempt like any other, never refused."""
    assert account_key("  Not An Address ") == "not an address"
    assert len(account_key("x" * 1000)) == 320
