"""Bearer tokens verified a moment ago are answered without the store, until the moment
passes, the token expires or this process writes what they are made of."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Iterator

import pytest
from sqlalchemy import text

from credstack.entrypoints.bootstrap import open_runtime
from credstack.errors import InvalidTokenError
from credstack.services.accounts import TokenInfo
from credstack.services.accounts.service import User
from credstack.services.oauth import token_cache
from credstack.services.runtime import Runtime
from credstack.settings import Settings


@pytest.fixture
def runtime(settings: Settings) -> Iterator[Runtime]:
    with open_runtime(settings=settings) as opened:
        yield opened


def _reading(reads: list[str], *, lasts: dt.timedelta = dt.timedelta(hours=1)
             ) -> Callable[[], TokenInfo]:
    """A read of a token's answer that notes each time it is made."""
    def read() -> TokenInfo:
        reads.append("read")
        now = dt.datetime.now(dt.UTC)
        user = User(id=1, email="a@example.org", display_name="A", totp_enabled=False,
                    disabled=False, created_at=now, memberships=frozenset())
        return TokenInfo(client_id="cs_x", user=user, scopes=frozenset({"keys:manage"}),
                         expires_at=now + lasts)
    return read


def _write(runtime: Runtime, statement: str) -> None:
    with runtime.transaction() as session:
        session.execute(text(statement))


def test_a_token_verified_a_moment_ago_is_not_read_again(runtime: Runtime) -> None:
    """Within the moment the answer read first is given, to the event loop's ask too."""
    reads: list[str] = []
    first = token_cache.verified(runtime, "cst_a", _reading(reads))
    assert token_cache.verified(runtime, "cst_a", _reading(reads)) == first
    assert token_cache.known(runtime, "cst_a") == first
    assert token_cache.known(runtime, "cst_b") is None
    assert reads == ["read"]


@pytest.mark.parametrize("table", ["access_tokens", "api_clients", "users", "memberships",
                                   "oauth_tokens"])
def test_a_write_to_what_tokens_are_made_of_reads_them_again(runtime: Runtime,
                                                            table: str) -> None:
    """A token revoked, a client revoked, an account disabled or a role removed through
    this process counts at its next request."""
    reads: list[str] = []
    token_cache.verified(runtime, "cst_a", _reading(reads))
    _write(runtime, f"DELETE FROM {table} WHERE 1 = 0")
    assert token_cache.known(runtime, "cst_a") is None
    token_cache.verified(runtime, "cst_a", _reading(reads))
    assert reads == ["read", "read"]


def test_other_writes_keep_it(runtime: Runtime) -> None:
    """An issued credential (or any write to another table) leaves verified tokens kept."""
    reads: list[str] = []
    token_cache.verified(runtime, "cst_a", _reading(reads))
    _write(runtime, "DELETE FROM issued_credentials WHERE 1 = 0")
    assert token_cache.known(runtime, "cst_a") is not None


def test_it_is_read_again_once_the_moment_has_passed(runtime: Runtime) -> None:
    """Another process's revocation is seen within the moment."""
    reads: list[str] = []
    token_cache.verified(runtime, "cst_a", _reading(reads))
    time.sleep(token_cache.KEPT_SECONDS)
    assert token_cache.known(runtime, "cst_a") is None
    token_cache.verified(runtime, "cst_a", _reading(reads))
    assert reads == ["read", "read"]


def test_an_expired_token_is_read_again(runtime: Runtime) -> None:
    """A token past its expiry is not answered from what was kept (the read refuses it)."""
    reads: list[str] = []
    token_cache.verified(runtime, "cst_a", _reading(reads, lasts=dt.timedelta(0)))
    assert token_cache.known(runtime, "cst_a") is None


def test_a_refused_token_is_not_kept(runtime: Runtime) -> None:
    """A token the read refuses is looked up again each time it is presented."""
    def refuse() -> TokenInfo:
        raise InvalidTokenError("The access token is not known.")
    for _ in range(2):
        with pytest.raises(InvalidTokenError):
            token_cache.verified(runtime, "cst_bad", refuse)
    assert token_cache.known(runtime, "cst_bad") is None


def test_past_the_moment_one_request_reads_while_the_others_are_answered(
        runtime: Runtime) -> None:
    """The first ask past the moment reads; asks meanwhile get what was kept (a client's
    requests in flight do not all read the token at once), and the read's answer after."""
    reads: list[str] = []
    first = token_cache.verified(runtime, "cst_a", _reading(reads))
    time.sleep(token_cache.KEPT_SECONDS)
    during: list[TokenInfo | None] = []

    def read_while_asked() -> TokenInfo:
        during.append(token_cache.known(runtime, "cst_a"))
        during.append(token_cache.verified(runtime, "cst_a", _reading(reads)))
        return _reading(reads)()

    second = token_cache.verified(runtime, "cst_a", read_while_asked)
    assert during == [first, first]
    assert token_cache.known(runtime, "cst_a") == second != first
    assert reads == ["read", "read"]


def test_a_token_refused_when_read_again_is_answered_no_more(runtime: Runtime) -> None:
    """A token revoked by another process is refused by the read past the moment, and its
    kept answer dropped."""
    token_cache.verified(runtime, "cst_a", _reading([]))
    time.sleep(token_cache.KEPT_SECONDS)

    def refuse() -> TokenInfo:
        raise InvalidTokenError("The access token has been revoked.")
    with pytest.raises(InvalidTokenError):
        token_cache.verified(runtime, "cst_a", refuse)
    assert token_cache.known(runtime, "cst_a") is None
