"""The hourly purge of the authorization server's expired rows: pushed requests go once their
ten minutes are over, codes an hour after theirs — until then a replayed code still revokes
what it gave — what still lives stays, and one audit entry tells of each run that removed
anything."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from urllib.parse import urlencode

import pytest
from authlib.oauth2.rfc7636 import create_s256_code_challenge
from sqlalchemy import select

from credstack.adapters.db.tables import (
    OAuthClientRow,
    OAuthCodeRow,
    OAuthPushedRequestRow,
    OAuthTokenRow,
)
from credstack.adapters.keystore import new_master_key_text
from credstack.core.access import Operator
from credstack.entrypoints.bootstrap import open_runtime
from credstack.errors import AccessDeniedError, InputError
from credstack.services.audit import service as audit
from credstack.services.oauth import purge
from credstack.services.oauth import service as oauth
from credstack.services.oauth.requests import HttpRequest
from credstack.services.runtime import Runtime
from credstack.settings import Settings
from tests.accounts import add_user
from tests.conftest import Clock
from tests.services.oauth.test_service import (
    BASE,
    LEARNER,
    REDIRECT,
    VERIFIER,
    _client,
    _code,
    _learner,
    _redeem,
)

SCHEDULER = Operator("scheduler")


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def runtime(settings: Settings, clock: Clock) -> Iterator[Runtime]:
    configured = dataclasses.replace(settings, secret_key=settings.secret_key
                                     or new_master_key_text())
    add_user(configured, LEARNER)
    with open_runtime(settings=configured, clock=clock) as opened:
        yield opened


def _push(runtime: Runtime, client: dict[str, str]) -> str:
    answer = oauth.push(runtime, request=HttpRequest(
        method="POST", url=f"{BASE}/oauth/par", headers={}, form={
            "response_type": ["code"], "client_id": [client["client_id"]],
            "client_secret": [client["client_secret"]], "redirect_uri": [REDIRECT],
            "scope": ["wallet:read"], "state": ["s"],
            "code_challenge": [create_s256_code_challenge(VERIFIER)],
            "code_challenge_method": ["S256"]}))
    assert answer.status == 201, answer.body
    return str(answer.json()["request_uri"])


def _answer(runtime: Runtime, client: dict[str, str], request_uri: str) -> None:
    query = {"client_id": [client["client_id"]], "request_uri": [request_uri]}
    answer = oauth.decide(runtime, actor=_learner(runtime), request=HttpRequest(
        method="POST", url=f"{BASE}/oauth/authorize?{urlencode(query, doseq=True)}",
        headers={}, query=query), allow=True)
    assert answer.location is not None and "code=" in answer.location


def _rows(runtime: Runtime) -> tuple[int, int]:
    with runtime.sessions() as session:
        return (len(list(session.scalars(select(OAuthPushedRequestRow.id)))),
                len(list(session.scalars(select(OAuthCodeRow.id)))))


def _purges(runtime: Runtime) -> list[dict[str, object]]:
    with runtime.sessions() as session:
        return [dict(entry.details) for entry in audit.entries(session, latest=True, limit=50)
                if entry.action == "oauth.purged"]


def test_pushed_requests_go_once_expired_answered_or_not(runtime: Runtime, clock: Clock
                                                         ) -> None:
    """A pushed request answered and one never answered both stay their ten minutes (and a
    minute's margin), then go in batches (of one: two transactions), audited once with the
    counts; a run that finds nothing writes nothing."""
    client = _client(runtime)
    _answer(runtime, client, _push(runtime, client))
    _push(runtime, client)
    clock.advance(minutes=10, seconds=30)
    assert purge.purge(runtime, actor=SCHEDULER).total == 0
    assert _purges(runtime) == []
    clock.advance(minutes=1)
    fresh = _push(runtime, client)
    assert purge.purge(runtime, actor=SCHEDULER, batch=1).to_dict() == {"pushed": 2,
                                                                         "codes": 0,
                                                                         "clients": 0}
    assert _rows(runtime) == (1, 1)
    assert _purges(runtime) == [{"pushed": 2, "codes": 0, "clients": 0,
                                 "batch": 1}]
    assert purge.purge(runtime, actor=SCHEDULER).total == 0
    assert len(_purges(runtime)) == 1
    _answer(runtime, client, fresh)  # what was pushed since is still there to answer


def test_a_code_is_kept_an_hour_past_its_end_for_replay_detection(runtime: Runtime,
                                                                  clock: Clock) -> None:
    """Fifty minutes after its end a redeemed code is still kept: presented again, it revokes
    the token it gave. An hour after its end it goes (the token stays, naming no code), as
    does a code never redeemed."""
    client = _client(runtime)
    code = _code(runtime, client)
    assert _redeem(runtime, client, code) == 200
    _code(runtime, client)  # never redeemed
    clock.advance(minutes=10 + 50)
    assert purge.purge(runtime, actor=SCHEDULER).codes == 0
    assert _redeem(runtime, client, code) == 400  # the replay is recognised...
    with runtime.sessions() as session:
        token = session.scalars(select(OAuthTokenRow)).one()
        assert token.revoked_at is not None  # ...and the token it gave revoked
    clock.advance(minutes=10, seconds=1)
    assert purge.purge(runtime, actor=SCHEDULER).to_dict() == {"pushed": 0, "codes": 2,
                                                                "clients": 0}
    assert _rows(runtime) == (0, 0)
    with runtime.sessions() as session:
        assert session.scalars(select(OAuthTokenRow.code_id)).one() is None
    assert _purges(runtime) == [{"pushed": 0, "codes": 2, "clients": 0, "batch": purge.BATCH}]


def test_a_purged_code_presented_again_is_unknown(runtime: Runtime, clock: Clock) -> None:
    """Once gone, a code is invalid_grant as one never made, and the refusal says so."""
    client = _client(runtime)
    code = _code(runtime, client)
    assert _redeem(runtime, client, code) == 200
    clock.advance(minutes=10 + 60, seconds=1)
    assert purge.purge(runtime, actor=SCHEDULER).codes == 1
    assert _redeem(runtime, client, code) == 400
    with runtime.sessions() as session:
        refused = [entry.details for entry in audit.entries(session, latest=True, limit=5)
                   if entry.action == "token.refused"]
    assert refused[0]["reason"] == "The code is not known."


def test_only_the_platform_may_purge(runtime: Runtime, clock: Clock) -> None:
    """A learner may not run the purge, nor anyone with a batch out of bounds; nothing is
    deleted."""
    client = _client(runtime)
    _push(runtime, client)
    clock.advance(hours=1)
    with pytest.raises(AccessDeniedError):
        purge.purge(runtime, actor=_learner(runtime))
    with pytest.raises(InputError):
        purge.purge(runtime, actor=SCHEDULER, batch=0)
    assert _rows(runtime) == (1, 0)


def test_registrations_never_used_go_after_a_week(runtime: Runtime, clock: Clock) -> None:
    """Open registration (RFC 7591) lets anyone add clients: one that never obtained a code
    or token goes a week after it registered; one in use stays (neither was purged)."""
    used, unused = _client(runtime), _client(runtime)
    assert _redeem(runtime, used, _code(runtime, used)) == 200
    clock.advance(days=6)
    assert purge.purge(runtime, actor=SCHEDULER).clients == 0
    clock.advance(days=2)
    removed = purge.purge(runtime, actor=SCHEDULER)
    assert removed.clients == 1, removed
    with runtime.sessions() as session:
        left = set(session.scalars(select(OAuthClientRow.client_id)))
    assert left == {used["client_id"]}
    assert sorted(entry["clients"] for entry in _purges(runtime)) == [0, 1]
    assert unused["client_id"] not in left

