"""Password hashing: argon2id at OWASP's recommended minimum.

19 MiB of memory, 2 passes, 1 lane: a sign-in costs tens of milliseconds, not a second, on a
small server. The memory is the settings' ``password_memory_kib``
(``CREDSTACK_PASSWORD_MEMORY_KIB``, which the test suite lowers); hashes made with other
parameters are upgraded at the next sign-in. An unknown e-mail address costs the same
hashing time as a known one (:func:`matches` with no stored hash checks a dummy one), so
timing does not tell which addresses have accounts.
"""

from __future__ import annotations

import functools
import secrets

import argon2
from argon2.exceptions import InvalidHashError, VerificationError

from credstack.core.accounts.passwords import MAX_PASSWORD


@functools.cache
def _hasher(memory_kib: int) -> argon2.PasswordHasher:
    return argon2.PasswordHasher(time_cost=2, memory_cost=memory_kib, parallelism=1)


@functools.cache
def _dummy_hash(memory_kib: int) -> str:
    """Verified against when the e-mail address is unknown, so that both cases take as long
    (made when first needed: a process that checks no password never pays for it)."""
    return _hasher(memory_kib).hash(secrets.token_urlsafe(16))


def hash_password(password: str, *, memory_kib: int) -> str:
    """``password`` hashed with ``memory_kib`` of memory (the settings' ``password_memory_kib``)."""
    return _hasher(memory_kib).hash(password)


def matches(stored: str | None, password: str, *, memory_kib: int) -> bool:
    """Whether ``password`` is the one ``stored`` was made from (None: no account, which
    takes as long as a hash made with ``memory_kib`` and never matches)."""
    if len(password) > MAX_PASSWORD:
        return False
    try:
        return (_hasher(memory_kib).verify(stored or _dummy_hash(memory_kib), password)
                and stored is not None)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(stored: str, *, memory_kib: int) -> bool:
    """Whether ``stored`` was made with other parameters than those of ``memory_kib``."""
    return _hasher(memory_kib).check_needs_rehash(stored)
