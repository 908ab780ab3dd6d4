"""The server's clock stepped backwards (an NTP correction, a virtual machine restored) and
forwards again: sessions, OAuth tokens and the validity of what is issued stay right
(issue 20, item 6).

What "right" means, decided here:

* A session or token made before the step is still honoured after it: what was issued
  "in the future" of the new clock is not refused as forged, and no lifetime is lengthened
  by the step — each ends when its own recorded end is reached on the clock.
* A credential issued after the step is valid from the stepped clock's now, so that it
  verifies at once; one issued before the step is "not yet valid" until the clock catches
  up again, as any verifier with that clock would say.
* A status list signed before the step is signed again, valid from the stepped now: were it
  served as it was, valid only from a time the clock has not reached, every status check
  of every credential would fail until the clock caught up.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest

from credstack.adapters.keystore import new_master_key_text
from credstack.core.access.policy import PLATFORM, Membership, Role, usable_scopes
from credstack.settings import Settings
from tests import patiently
from tests.accounts import add_user, api_client, bearer_token, provider_store, signed_in_client
from tests.conftest import LiveServer, ShiftedClock, at_own_url, serve

PERSON = "person@example.jp"
OPERATOR = "operator@example.org"
BACK = dt.timedelta(hours=-2)
OB_CONTEXT = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
ACHIEVEMENT = {"id": "urn:example:achievement:1", "type": ["Achievement"],
               "name": "データ分析入門", "description": "Introduction to data analysis",
               "criteria": {"narrative": "Passed the final assessment."}}


@pytest.fixture
def clock() -> ShiftedClock:
    return ShiftedClock()


@pytest.fixture
def live(settings: Settings, clock: ShiftedClock) -> Iterator[LiveServer]:
    configured, port = at_own_url(settings, secret_key=new_master_key_text(),
                                  default_issuer="hokuto-tech")
    provider_store(configured, secret=configured.secret_key or "",
                   now=dt.datetime.now(dt.UTC))
    add_user(configured, PERSON, roles=[("hokuto-tech", "provider-admin")])
    add_user(configured, OPERATOR, roles=[(None, "registry-admin")])
    yield from serve(configured, port=port, clock=clock)


def _operator_token(live: LiveServer) -> str:
    client = api_client(live.settings, OPERATOR, sorted(usable_scopes(
        [Membership(PLATFORM, Role.REGISTRY_ADMIN)])))
    return bearer_token(live.url, *client)


def _issue(live: LiveServer, token: str) -> dict[str, object]:
    issued = patiently.post(f"{live.url}/credentials/issue", timeout=30,
                            headers={"Authorization": f"Bearer {token}"}, json={
                            "credential": {
                                "@context": ["https://www.w3.org/ns/credentials/v2",
                                             OB_CONTEXT],
                                "type": ["VerifiableCredential", "OpenBadgeCredential"],
                                "credentialSubject": {
                                    "type": ["AchievementSubject"],
                                    "id": "did:example:learner",
                                    "achievement": ACHIEVEMENT}},
                            "options": {"cryptosuite": "eddsa-jcs-2022"}})
    assert issued.status_code == 201, issued.text
    credential: dict[str, object] = issued.json()["verifiableCredential"]
    return credential


def _verified(live: LiveServer, credential: dict[str, object]) -> bool:
    answer = patiently.post(f"{live.url}/credentials/verify", timeout=30,
                            json={"verifiableCredential": credential})
    return bool(answer.json()["verified"])


def test_a_session_and_a_token_made_before_a_step_back_are_still_honoured(
        live: LiveServer, clock: ShiftedClock) -> None:
    """Signed in and holding a token, then the clock goes back two hours: both still work."""
    token = _operator_token(live)
    with signed_in_client(live.url, PERSON) as web:
        clock.offset = BACK
        assert web.get("/api/me").status_code == 200
        assert web.get("/account").status_code == 200
        me = patiently.get(f"{live.url}/api/me", headers={"Authorization": f"Bearer {token}"},
                           timeout=20)
        assert me.status_code == 200, me.text


def test_no_lifetime_is_lengthened_by_a_step_back(live: LiveServer,
                                                  clock: ShiftedClock) -> None:
    """After a step back and forward again past their own ends, the token and the session
    are refused: their ends were recorded when they were made, not moved by the step."""
    token = _operator_token(live)
    with signed_in_client(live.url, PERSON) as web:
        clock.offset = BACK
        assert web.get("/api/me").status_code == 200
        clock.offset = dt.timedelta(seconds=live.settings.token_ttl + 60)
        me = patiently.get(f"{live.url}/api/me", headers={"Authorization": f"Bearer {token}"},
                           timeout=20)
        assert me.status_code == 401
        # The session was last seen at the stepped clock's now; the idle limit counts from
        # there, and the clock is now past it.
        assert web.get("/api/me").status_code == 401


def test_a_credential_issued_after_a_step_back_is_valid_from_the_new_now(
        live: LiveServer, clock: ShiftedClock) -> None:
    """Issued before the step: valid at once, then "not yet valid" while the clock is two
    hours behind. Issued after it: validFrom is the stepped now, and it verifies (its status
    list included)."""
    token = _operator_token(live)
    before = _issue(live, token)
    assert _verified(live, before)
    clock.offset = BACK
    assert not _verified(live, before)
    after = _issue(live, token)
    valid_from = dt.datetime.fromisoformat(str(after["validFrom"]))
    assert abs(valid_from - clock()) < dt.timedelta(minutes=1)
    assert _verified(live, after)
    clock.offset = dt.timedelta(0)
    assert _verified(live, before) and _verified(live, after)
