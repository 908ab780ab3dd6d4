"""``POST /api/organisations/{slug}/clr`` over real HTTP with real tokens and sessions."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from credstack.adapters.db.engine import make_engine, session_factory
from credstack.adapters.db.repositories import keys as key_store
from credstack.adapters.keystore import MasterKey
from credstack.core.credentials import clr_v2
from credstack.core.crypto import KeyType
from credstack.services.clr import verification as clr_verification
from credstack.services.issuance import service as issuance
from credstack.services.verification import service as verifier
from credstack.settings import Settings
from tests.accounts import add_organisation, add_user, api_client, bearer_token, signed_in_client
from tests.conftest import LiveServer, serve_prepared
from tests.services.clr.test_service import ALICE, SECRET, SLUG, prepare

OTHER = "other-univ"
ISSUER = "issuer@hokuto.example.jp"
OUTSIDER = "issuer@other.example.jp"


@dataclasses.dataclass
class Live:
    server: LiveServer
    credentials: dict[str, str]
    #: A credential issued by another organisation.
    foreign: str


def _foreign(settings: Settings, credentials: dict[str, str]) -> str:
    """A credential of OTHER about Alice: the same claims, re-issued by OTHER."""
    secret = MasterKey.from_text(SECRET, source="test")
    add_organisation(settings, OTHER)
    engine = make_engine(settings)
    try:
        sessions = session_factory(engine)
        moment = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=1)
        with sessions() as session, session.begin():
            key_store.create_key(session, organisation=OTHER, key_type=KeyType.ED25519,
                                 now=moment, secret=secret)
            from credstack.adapters.db.repositories import credentials as store
            source = json.loads(store.get_credential(
                session, credential_id=credentials["alice-rdfc"]).document)
            unsigned = {key: value for key, value in source.items()
                        if key not in {"proof", "credentialStatus", "id", "issuer"}}
            signer = issuance.signer_for(session, organisation=OTHER, secret=secret,
                                         public_url=settings.public_url)
            unsigned["issuer"] = signer.did
            return issuance.issue_document(session, signer=signer, credential=unsigned,
                                           securing="eddsa-rdfc-2022", now=moment,
                                           public_url=settings.public_url).credential_id
    finally:
        engine.dispose()


@pytest.fixture
def live(settings: Settings) -> Iterator[Live]:
    def prepared(configured: Settings) -> tuple[dict[str, str], str]:
        credentials = prepare(configured)
        foreign = _foreign(configured, credentials)
        add_user(configured, ISSUER, roles=[(SLUG, "issuer")])
        add_user(configured, OUTSIDER, roles=[(OTHER, "issuer")])
        add_user(configured, ALICE)
        return credentials, foreign

    for server, (credentials, foreign) in serve_prepared(settings, prepared, secret_key=SECRET):
        yield Live(server, credentials, foreign)


def token_client(live: Live, email: str) -> httpx.Client:
    client_id, secret = api_client(live.server.settings, email, ["credentials:issue"])
    token = bearer_token(live.server.url, client_id, secret)
    return httpx.Client(base_url=live.server.url, timeout=60,
                        headers={"Authorization": f"Bearer {token}"})


def post(client: httpx.Client, body: dict[str, Any], slug: str = SLUG) -> httpx.Response:
    return client.post(f"/api/organisations/{slug}/clr", json=body)


def check(live: Live, document: dict[str, Any]) -> bool:
    engine = make_engine(live.server.settings)
    try:
        sources = verifier.VerificationSources.from_settings(live.server.settings,
                                                             session_factory(engine))
        return clr_verification.verify_clr(document, sources=sources,
                              now=dt.datetime.now(dt.UTC) + dt.timedelta(seconds=1)).ok
    finally:
        engine.dispose()


def test_an_issuer_bundles_a_clr(live: Live) -> None:
    """201 with the signed ClrCredential, which verifies; vc-jwt answers it enveloped."""
    ids = [live.credentials["alice-rdfc"], live.credentials["alice-jwt"]]
    with token_client(live, ISSUER) as client:
        made = post(client, {"credential_ids": ids})
        assert made.status_code == 201, made.text
        document = made.json()
        assert document["type"] == ["VerifiableCredential", "ClrCredential"]
        assert document["proof"]["cryptosuite"] == "eddsa-rdfc-2022"
        assert check(live, document)
        enveloped = post(client, {"credential_ids": ids, "securing": "vc-jwt"}).json()
        assert enveloped["type"] == "EnvelopedVerifiableCredential"
        token = enveloped["id"].removeprefix(clr_v2.JWT_DATA_URL)
        assert clr_v2.jwt_payload(token)["type"] == ["VerifiableCredential", "ClrCredential"]


def test_an_association_is_accepted_and_a_bad_one_is_a_problem(live: Live) -> None:
    ids = [live.credentials["alice-rdfc"]]
    with token_client(live, ISSUER) as client:
        document = post(client, {"credential_ids": ids}).json()
        achievement = document["credentialSubject"]["achievement"][0]["id"]
        association = {"associationType": "isPartOf", "sourceId": achievement,
                       "targetId": achievement}
        made = post(client, {"credential_ids": ids, "associations": [association]})
        assert made.status_code == 201, made.text
        assert made.json()["credentialSubject"]["association"][0]["sourceId"] == achievement
        bad = post(client, {"credential_ids": ids, "associations": [
            {**association, "associationType": "isCousinOf"}]})
        assert bad.status_code == 422, bad.text
        assert bad.headers["content-type"].startswith("application/problem+json")
        assert "associations[0].associationType" in bad.text


def test_another_learners_credential_is_a_problem_naming_its_index(live: Live) -> None:
    with token_client(live, ISSUER) as client:
        refused = post(client, {"credential_ids": [live.credentials["alice-rdfc"],
                                                   live.credentials["bob-rdfc"]]})
    assert refused.status_code == 422, refused.text
    assert refused.headers["content-type"].startswith("application/problem+json")
    assert "credentials[1]" in refused.text


def test_a_foreign_credential_id_is_not_found(live: Live) -> None:
    """Another organisation's credential cannot be bundled under this one's name."""
    with token_client(live, ISSUER) as client:
        refused = post(client, {"credential_ids": [live.foreign]})
    assert refused.status_code == 404, refused.text
    assert refused.headers["content-type"].startswith("application/problem+json")


def test_without_credentials_401_and_another_organisations_issuer_403(live: Live) -> None:
    body = {"credential_ids": [live.credentials["alice-rdfc"]]}
    with httpx.Client(base_url=live.server.url, timeout=30) as anonymous:
        assert post(anonymous, body).status_code == 401
    with token_client(live, OUTSIDER) as outsider:
        refused = post(outsider, body)
        assert refused.status_code == 403, refused.text
        assert post(outsider, {"credential_ids": [live.foreign]}, OTHER).status_code == 201


def test_a_learner_bundles_their_own_credentials_only(live: Live) -> None:
    """Signed in as Alice: her credentials, yes; Bob's or imported ones, 403."""
    with signed_in_client(live.server.url, ALICE) as alice:
        mine = post(alice, {"credential_ids": [live.credentials["alice-rdfc"],
                                               live.credentials["alice-jwt"]]})
        assert mine.status_code == 201, mine.text
        assert check(live, mine.json())
        theirs = post(alice, {"credential_ids": [live.credentials["bob-rdfc"]]})
        assert theirs.status_code == 403, theirs.text
        imported = post(alice, {"credential_ids": [live.credentials["alice-rdfc"]],
                                "imported": [mine.json()]})
        assert imported.status_code == 403, imported.text
