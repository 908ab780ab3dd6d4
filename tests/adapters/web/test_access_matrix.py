"""Every role against every protected action, over HTTP with real tokens.

One store holds two providers (``hokuto-tech``, which has a key, a published programme and a
credential issued to a learner, and ``other-univ``), and a recognition body. Each role gets a
user and an API client with every scope its roles can use; each protected endpoint is then
called by each of them. An action is *refused* when the answer is 401 or 403 and *allowed*
otherwise (an allowed call may still fail on its own merits — a key that exists already is a
409 — but never for want of permission). The expectations are written out here, not computed
from the policy, so the table is the specification. Every refusal leaves an ``access.denied``
entry in the audit log.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest

from credstack.adapters.keystore import new_master_key_text
from credstack.core.access.policy import PLATFORM, Membership, Role, usable_scopes
from credstack.services.audit import service as audit
from credstack.settings import Settings
from tests.accounts import (
    add_organisation,
    add_user,
    api_client,
    bearer_token,
    issued_credentials,
    provider_store,
    store_session,
)
from tests.conftest import LiveServer, at_own_url, serve
from tests.helpers import organisation, programme

SECRET = new_master_key_text()
NOW = dt.datetime(2026, 4, 1, 9, 0, tzinfo=dt.UTC)
PROVIDER = "hokuto-tech"
OTHER = "other-univ"
BODY = "mc-recognition"
LEARNER = "learner@example.jp"

#: Who is asking: a name, and the (organisation, role) memberships of their user.
ROLES: dict[str, list[tuple[str | None, str]]] = {
    "provider-admin": [(PROVIDER, "provider-admin")],
    "issuer": [(PROVIDER, "issuer")],
    "other-provider-admin": [(OTHER, "provider-admin")],
    "other-issuer": [(OTHER, "issuer")],
    "evaluator": [(BODY, "evaluator")],
    "committee-member": [(BODY, "committee-member")],
    "registry-admin": [(None, "registry-admin")],
    "learner": [(OTHER, "learner")],
    "employer": [("kita-trading", "employer")],
}


@dataclasses.dataclass
class Store:
    server: LiveServer
    credential: str
    tokens: dict[str, str]
    #: hokuto-tech's application for recognition of programme 1 (a draft).
    application: str


def _prepare(settings: Settings) -> str:
    """The organisations, hokuto-tech's key and programme, and one credential to LEARNER."""
    provider_store(settings, secret=SECRET, now=NOW)
    add_organisation(settings, OTHER)
    add_organisation(settings, BODY, kind="recognition-body")
    [credential] = issued_credentials(
        settings, secret=SECRET, now=NOW, batch="matrix", securing="eddsa-jcs-2022",
        cohort=f"email,name.ja,name.en\n{LEARNER},学習者,Learner\n")
    return credential


def _client(settings: Settings, name: str, memberships: list[tuple[str | None, str]]
            ) -> tuple[str, str]:
    """A user for ``name`` and an API client with every scope their roles can use."""
    email = LEARNER if name == "learner" else f"{name}@example.org"
    add_user(settings, email, roles=memberships)
    scopes = usable_scopes([Membership(slug or PLATFORM, Role(role))
                            for slug, role in memberships])
    return api_client(settings, email, sorted(scopes))


@pytest.fixture
def store(settings: Settings) -> Iterator[Store]:
    configured, port = at_own_url(settings, secret_key=SECRET, default_issuer=PROVIDER)
    credential = _prepare(configured)
    clients = {name: _client(configured, name, memberships)
               for name, memberships in ROLES.items()}
    for server in serve(configured, port=port):
        tokens = {name: bearer_token(server.url, *client) for name, client in clients.items()}
        opened = httpx.post(f"{server.url}/api/recognition/applications", json={
            "organisation": PROVIDER, "programme_id": 1, "recognition_body": BODY,
            "profile": "jp-mc"}, headers={"Authorization": f"Bearer {tokens['provider-admin']}"},
            timeout=30)
        assert opened.status_code == 201, opened.text
        yield Store(server, credential, tokens, opened.json()["id"])


#: Calls an endpoint: (client, who is calling, the store) → the answer.
Call = Callable[[httpx.Client, str, Store], httpx.Response]


def _step(step: str, **body: Any) -> Call:
    """A POST to ``step`` of hokuto-tech's application, with ``body`` as JSON if any."""
    return lambda c, who, store: c.post(
        f"/api/recognition/applications/{store.application}/{step}", json=body or None)


def _programme_for(slug: str, code: str | None = None) -> dict[str, object]:
    """A draft programme document of ``slug`` (hokuto-tech's own programme 1 by default)."""
    document = programme(code=code) if code else programme()
    document["awarding_body"] = {**document["awarding_body"], "id": slug}  # type: ignore[dict-item]
    return {"descriptors": document, "publish": False}


#: Each protected endpoint: how to call it, and which roles are allowed.
ACTIONS: dict[str, tuple[Call, set[str]]] = {
    "create an organisation": (
        lambda c, who, store: c.post("/api/organisations",
                              json=organisation(slug=f"new-{who}", kind="company")),
        {"registry-admin"}),
    "update hokuto-tech": (
        lambda c, who, store: c.put(f"/api/organisations/{PROVIDER}",
                             json=organisation(slug=PROVIDER)),
        {"provider-admin", "registry-admin"}),
    "create a programme of hokuto-tech": (
        lambda c, who, store: c.post("/api/programmes", json=_programme_for(PROVIDER, f"P-{who}")),
        {"provider-admin", "registry-admin"}),
    "edit hokuto-tech's programme": (
        lambda c, who, store: c.put("/api/programmes/1", json=_programme_for(PROVIDER)),
        {"provider-admin", "registry-admin"}),
    "move hokuto-tech's programme to other-univ": (
        lambda c, who, store: c.put("/api/programmes/1", json=_programme_for(OTHER)),
        {"registry-admin"}),
    "publish hokuto-tech's programme": (
        lambda c, who, store: c.post("/api/programmes/1/versions/1/publish"),
        {"provider-admin", "registry-admin"}),
    "create hokuto-tech's key": (
        lambda c, who, store: c.post(f"/api/organisations/{PROVIDER}/keys",
                                     json={"type": "Ed25519"}),
        {"provider-admin", "registry-admin"}),
    "rotate hokuto-tech's key": (
        lambda c, who, store: c.post(f"/api/organisations/{PROVIDER}/keys/rotate",
                              json={"type": "P-256"}),
        {"provider-admin", "registry-admin"}),
    # Issuers issue as their own organisation: other-univ's people are allowed the action
    # (and fail for want of a key), the rest as hokuto-tech, the default issuer.
    "issue a credential": (
        lambda c, who, store: c.post("/credentials/issue", json={"credential": {
            "@context": ["https://www.w3.org/ns/credentials/v2"],
            "type": ["VerifiableCredential"], "credentialSubject": {"id": "did:example:x"}}}),
        {"provider-admin", "issuer", "other-provider-admin", "other-issuer",
         "registry-admin"}),
    "suspend hokuto-tech's credential": (
        lambda c, who, store: c.post("/credentials/status", json={
            "credentialId": store.credential,
            "credentialStatus": {"statusPurpose": "suspension", "status": False}}),
        {"provider-admin", "issuer", "registry-admin"}),
    "publish hokuto-tech's status list": (
        lambda c, who, store: c.post(f"/status-lists/{PROVIDER}/1/revocation/publish"),
        {"provider-admin", "issuer", "registry-admin"}),
    "download the baked badge": (
        lambda c, who, store: c.get(f"/api/credentials/{store.credential}/baked.svg"),
        {"provider-admin", "issuer", "registry-admin", "learner"}),
    "add a member to hokuto-tech": (
        lambda c, who, store: c.post(f"/api/organisations/{PROVIDER}/members",
                                     json={"email": "learner@example.jp", "role": "learner"}),
        {"provider-admin", "registry-admin"}),
    # The recognition process, on hokuto-tech's draft application to the body: an allowed
    # step the state does not permit yet is a 409, which is not a refusal.
    "open an application for hokuto-tech": (
        lambda c, who, store: c.post("/api/recognition/applications", json={
            "organisation": PROVIDER, "programme_id": 1, "recognition_body": BODY,
            "profile": "jp-mc"}),
        {"provider-admin"}),
    "read hokuto-tech's application": (
        lambda c, who, store: c.get(f"/api/recognition/applications/{store.application}"),
        {"provider-admin", "committee-member", "registry-admin"}),
    "edit its self-evaluation": (
        lambda c, who, store: c.patch(
            f"/api/recognition/applications/{store.application}/self-evaluation",
            json={"self_evaluation": {"transparency": f"written by {who}"}}),
        {"provider-admin"}),
    "upload evidence": (
        lambda c, who, store: c.post(
            f"/api/recognition/applications/{store.application}/evidence",
            files={"file": (f"{who}.txt", f"evidence from {who}".encode(), "text/plain")}),
        {"provider-admin"}),
    "submit it": (
        _step("submit"),
        {"provider-admin"}),
    "assign an evaluator": (
        _step("assignments", evaluator="evaluator@example.org"),
        {"committee-member"}),
    "review it": (
        _step("reviews", scores={}, comments={}),
        set()),  # only evaluators assigned to it, and nobody is yet
    "request more information": (
        _step("information-requests", text="Which rubric?"),
        {"committee-member"}),
    "decide on it": (
        _step("decision", outcome="recognised", reasons_en="Meets every criterion."),
        {"committee-member"}),
    "publish the decision": (
        _step("publish"),
        {"committee-member"}),
    "appeal": (
        _step("appeal", grounds="The evidence was misread."),
        {"provider-admin"}),
    "withdraw the application": (
        _step("withdraw", reason="Not ready."),
        {"provider-admin"}),
}


def test_every_role_is_allowed_exactly_what_the_table_says(store: Store) -> None:
    """Each role against each action: allowed ones pass the check, the others get 403 (and
    visitors 401), each refusal logged."""
    wrong = []
    for action, (call, allowed) in ACTIONS.items():
        for name, token in store.tokens.items():
            with httpx.Client(base_url=store.server.url, timeout=30,
                              headers={"Authorization": f"Bearer {token}"}) as client:
                response = call(client, name, store)
            refused = response.status_code in (401, 403)
            if refused == (name in allowed) or (refused and response.status_code != 403):
                wrong.append((action, name, response.status_code, response.text[:200]))
        with httpx.Client(base_url=store.server.url, timeout=30) as anonymous:
            response = call(anonymous, "anonymous", store)
        if response.status_code != 401 or "Bearer" not in response.headers["www-authenticate"]:
            wrong.append((action, "anonymous", response.status_code, response.text[:200]))
    assert not wrong, "\n".join(map(str, wrong))
    refusals = sum(len(ROLES) - len(allowed) + 1 for _, allowed in ACTIONS.values())
    with store_session(store.server.settings) as session:
        denied = [entry for entry in audit.entries(session, limit=100_000)
                  if entry.action == "access.denied"]
    assert len(denied) == refusals


def test_a_token_is_held_to_its_scopes(store: Store) -> None:
    """A provider admin's token narrowed to programmes:write cannot manage keys."""
    client_id, secret = api_client(store.server.settings, "provider-admin@example.org",
                                   ["programmes:write", "keys:manage"])
    narrow = bearer_token(store.server.url, client_id, secret, ["programmes:write"])
    with httpx.Client(base_url=store.server.url, timeout=30,
                      headers={"Authorization": f"Bearer {narrow}"}) as client:
        refused = client.post(f"/api/organisations/{PROVIDER}/keys/rotate",
                              json={"type": "Ed25519"})
        assert refused.status_code == 403
        assert "keys:manage" in refused.json()["detail"]
        allowed = client.put("/api/programmes/1", json=_programme_for(PROVIDER))
        assert allowed.status_code == 200, allowed.text


def test_a_forged_or_garbled_token_is_refused(store: Store) -> None:
    for header in ("Bearer not-a-token", "Bearer", "Basic abc",
                   "Bearer " + store.tokens["issuer"][:-2]):
        with httpx.Client(base_url=store.server.url, timeout=30,
                          headers={"Authorization": header}) as client:
            response = client.post(f"/api/organisations/{PROVIDER}/keys/rotate",
                                   json={"type": "Ed25519"})
        assert response.status_code == 401, (header, response.text)
