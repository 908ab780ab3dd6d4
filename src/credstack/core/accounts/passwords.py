"""The password policy: long enough, not absurdly long, not the e-mail address."""

from __future__ import annotations

from credstack.errors import InputError, Problem

MIN_PASSWORD = 12
#: Longer passwords are refused before hashing: hashing megabytes is a denial of service.
MAX_PASSWORD = 1024


def check_password(password: str, *, email: str | None = None,
                   field: str = "password") -> None:
    """Refuse a password the policy does not accept, naming ``field`` in the problem."""
    problem = None
    if len(password) < MIN_PASSWORD:
        problem = f"shorter than {MIN_PASSWORD} characters"
    elif len(password) > MAX_PASSWORD:
        problem = f"longer than {MAX_PASSWORD} characters"
    elif email is not None and password.strip().lower() == email.strip().lower():
        problem = "the same as the e-mail address"
    if problem is not None:
        raise InputError(f"The password is {problem}.", problems=[Problem(field, problem)])
