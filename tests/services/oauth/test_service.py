"""The authorization server's service, called as the web adapter calls it: a code redeemed
twice at the same moment gives one token; a bearer token of either grant is resolved; what
the server does is audited."""

from __future__ import annotations

import dataclasses
import threading
from collections.abc import Iterator
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from authlib.oauth2.rfc7636 import create_s256_code_challenge

from credstack.adapters.keystore import new_master_key_text
from credstack.entrypoints.bootstrap import open_runtime
from credstack.errors import InvalidTokenError
from credstack.services.access import service as refusals
from credstack.services.accounts import service as accounts
from credstack.services.audit import service as audit
from credstack.services.oauth import service as oauth
from credstack.services.oauth.requests import HttpRequest
from credstack.services.runtime import Runtime
from credstack.settings import Settings
from credstack.testing import ActingAs
from tests.accounts import add_user

LEARNER = "learner@example.jp"
BASE = "http://localhost:8000"
REDIRECT = "http://127.0.0.1:9/cb"
VERIFIER = "v" * 50


@pytest.fixture
def runtime(settings: Settings) -> Iterator[Runtime]:
    configured = dataclasses.replace(settings, secret_key=settings.secret_key
                                     or new_master_key_text())
    add_user(configured, LEARNER)
    with open_runtime(settings=configured) as opened:
        yield opened


def _learner(runtime: Runtime) -> ActingAs:
    with runtime.transaction() as session:
        return ActingAs(accounts.user(session, email=LEARNER).principal())


def _client(runtime: Runtime) -> dict[str, str]:
    answer = oauth.register(runtime, request=HttpRequest(
        method="POST", url=f"{BASE}/oauth/register", headers={},
        json={"client_name": "Wallet", "redirect_uris": [REDIRECT],
              "scope": "wallet:read offline_access",
              "grant_types": ["authorization_code", "refresh_token"]}))
    assert answer.status == 201
    return dict(answer.json())


def _code(runtime: Runtime, client: dict[str, str]) -> str:
    query = urlencode({"response_type": "code", "client_id": client["client_id"],
                       "redirect_uri": REDIRECT, "scope": "wallet:read", "state": "s",
                       "code_challenge": create_s256_code_challenge(VERIFIER),
                       "code_challenge_method": "S256"})
    request = HttpRequest(method="POST", url=f"{BASE}/oauth/authorize?{query}", headers={},
                          query=parse_qs(query))
    answer = oauth.decide(runtime, actor=_learner(runtime), request=request, allow=True)
    assert answer.location is not None
    return parse_qs(urlsplit(answer.location).query)["code"][0]


def _redeem(runtime: Runtime, client: dict[str, str], code: str) -> int:
    answer = oauth.token(runtime, request=HttpRequest(
        method="POST", url=f"{BASE}/oauth/token", headers={},
        form={"grant_type": ["authorization_code"], "code": [code],
              "redirect_uri": [REDIRECT], "code_verifier": [VERIFIER],
              "client_id": [client["client_id"]], "client_secret": [client["client_secret"]]}))
    return answer.status


def test_one_code_redeemed_twice_at_once_gives_one_token(runtime: Runtime) -> None:
    """Two token requests racing with one code: exactly one gets a token (the code is
    claimed by one conditional UPDATE); the other is a replay."""
    client = _client(runtime)
    code = _code(runtime, client)
    start = threading.Barrier(2)
    statuses: list[int] = []

    def redeem() -> None:
        start.wait()
        statuses.append(_redeem(runtime, client, code))

    threads = [threading.Thread(target=redeem) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(statuses) == [200, 400]
    with runtime.transaction() as session:
        logged = [entry.action for entry in audit.entries(session, latest=True, limit=10)]
    assert logged.count("token.issued") == 1 and "oauth.code.replayed" in logged


def test_a_learners_token_is_resolved_and_an_unknown_one_refused(runtime: Runtime) -> None:
    """token_info reads a csa_ token as the learner with the granted scope; an unknown csa_
    or cst_ token is InvalidTokenError."""
    client = _client(runtime)
    answer = oauth.token(runtime, request=HttpRequest(
        method="POST", url=f"{BASE}/oauth/token", headers={},
        form={"grant_type": ["authorization_code"], "code": [_code(runtime, client)],
              "redirect_uri": [REDIRECT], "code_verifier": [VERIFIER],
              "client_id": [client["client_id"]], "client_secret": [client["client_secret"]]}))
    info = oauth.token_info(runtime, token=answer.json()["access_token"])
    assert info.user.email == LEARNER and info.scopes == {"wallet:read"}
    assert info.principal().subject == f"client:{client['client_id']}"
    for unknown in ("csa_nothing", "cst_nothing"):
        with pytest.raises(InvalidTokenError):
            oauth.token_info(runtime, token=unknown)


def test_a_code_replayed_again_and_again_is_audited_as_a_count(runtime: Runtime) -> None:
    """Each replay of a used code was an ``oauth.code.replayed`` entry (and a
    ``token.refused``), without limit: past the address's budget a minute both are counted,
    the counts written when the budget is flushed."""
    client = _client(runtime)
    code = _code(runtime, client)
    assert _redeem(runtime, client, code) == 200
    per_minute = runtime.settings.audit_refusals_per_minute
    assert {_redeem(runtime, client, code) for _ in range(per_minute + 5)} == {400}
    refusals.flush_refusals(runtime, refusals.budget(runtime))
    with runtime.transaction() as session:
        logged = audit.entries(session, latest=True, limit=500)
    for action in ("oauth.code.replayed", "token.refused"):
        assert [e.action for e in logged].count(action) == per_minute, action
        (counted,) = [e for e in logged if e.action == f"{action}.counted"]
        assert counted.details["refused"] == 5
