"""The password policy."""

from __future__ import annotations

import pytest

from credstack.core.accounts.passwords import MAX_PASSWORD, MIN_PASSWORD, check_password
from credstack.errors import InputError


@pytest.mark.parametrize(("password", "problem"), [
    ("x" * (MIN_PASSWORD - 1), "shorter than 12 characters"),
    ("x" * (MAX_PASSWORD + 1), "longer than 1024 characters"),
    (" Admin@Example.org ", "the same as the e-mail address"),
])
def test_a_password_outside_the_policy_is_refused_saying_why(password: str,
                                                             problem: str) -> None:
    """Too short, too long, or the e-mail address: refused with the reason."""
    with pytest.raises(InputError) as refused:
        check_password(password, email="admin@example.org", field="new_password")
    assert refused.value.problems[0].location == "new_password"
    assert refused.value.problems[0].message == problem


def test_a_long_enough_password_is_accepted() -> None:
    check_password("x" * MIN_PASSWORD, email="admin@example.org")
    check_password("x" * MAX_PASSWORD)
