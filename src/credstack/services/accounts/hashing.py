"""Password hashing: argon2id at OWASP's recommended minimum.

19 MiB of memory, 2 passes, 1 lane: a sign-in costs tens of milliseconds, not a second, on a
small server. Hashes made with other parameters are upgraded at the next sign-in. An unknown
e-mail address costs the same hashing time as a known one (:func:`matches` with no stored
hash checks a dummy one), so timing does not tell which addresses have accounts.
"""

from __future__ import annotations

import secrets

import argon2
from argon2.exceptions import InvalidHashError, VerificationError

from credstack.core.accounts.passwords import MAX_PASSWORD

_hasher = argon2.PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1)
#: Verified against when the e-mail address is unknown, so that both cases take as long.
_DUMMY_HASH = _hasher.hash(secrets.token_urlsafe(16))


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def matches(stored: str | None, password: str) -> bool:
    """Whether ``password`` is the one ``stored`` was made from (None: no account, which
    takes as long and never matches)."""
    if len(password) > MAX_PASSWORD:
        return False
    try:
        return _hasher.verify(stored or _DUMMY_HASH, password) and stored is not None
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(stored: str) -> bool:
    """Whether ``stored`` was made with other parameters than today's."""
    return _hasher.check_needs_rehash(stored)
