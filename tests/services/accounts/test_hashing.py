"""Passwords' argon2id hashes take the memory the settings say: OWASP's 19 MiB unless told
otherwise (``CREDSTACK_PASSWORD_MEMORY_KIB``; the tests' processes say 8), and a hash made
with other parameters is remade with the runtime's at its owner's next sign-in."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from pathlib import Path

import pytest

from credstack.adapters.db.repositories import accounts as account_store
from credstack.entrypoints.bootstrap import open_runtime
from credstack.services.accounts import hashing, sign_in
from credstack.services.accounts import service as accounts
from credstack.services.runtime import Runtime
from credstack.settings import Settings
from tests.accounts import PASSWORD
from tests.conftest import TEST_PASSWORD_MEMORY_KIB
from tests.services.accounts.store import OPERATOR, clock, runtime

__all__ = ["clock", "runtime"]
EMAIL = "staff@example.org"
OWASP = f"$argon2id$v=19$m={19 * 1024},t=2,p=1$"
CHEAP = f"$argon2id$v=19$m={TEST_PASSWORD_MEMORY_KIB},t=2,p=1$"


@pytest.fixture
def production(runtime: Runtime) -> Iterator[Runtime]:
    """A runtime on the same store with the default settings' password memory."""
    default = Settings(data_dir=Path("unused"), database_url="").password_memory_kib
    settings = dataclasses.replace(runtime.settings, password_memory_kib=default)
    with open_runtime(settings=settings) as opened:
        yield opened


def _stored_hash(runtime: Runtime) -> str:
    with runtime.transaction() as session:
        row = account_store.user_by_email(session, EMAIL)
        assert row is not None
        return row.password_hash


def test_the_default_is_owasps_19_mib_and_a_sign_in_remakes_a_hash_with_the_runtimes(
        runtime: Runtime, production: Runtime) -> None:
    """An account made by a runtime of the default settings has a 19 MiB hash; a sign-in
    through one whose settings say 8 KiB remakes it so, and the password still opens it."""
    accounts.add_user(production, actor=OPERATOR, email=EMAIL, display_name="Staff",
                      password=PASSWORD, organisation="hokuto-tech", role="issuer")
    assert _stored_hash(production).startswith(OWASP)
    assert runtime.settings.password_memory_kib == TEST_PASSWORD_MEMORY_KIB
    sign_in.sign_in(runtime, email=EMAIL, password=PASSWORD, totp_code=None, ip="192.0.2.1")
    assert _stored_hash(runtime).startswith(CHEAP)
    cheap = {"memory_kib": TEST_PASSWORD_MEMORY_KIB}
    assert hashing.matches(_stored_hash(runtime), PASSWORD, **cheap)
    assert not hashing.matches(_stored_hash(runtime), "not the password", **cheap)
    assert not hashing.matches(None, PASSWORD, **cheap)
