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
from credstack.core.access.policy import PLATFORM, Membership, Principal, Role, usable_scopes
from credstack.entrypoints.bootstrap import open_runtime
from credstack.services import jobs
from credstack.services.accounts import service as accounts
from credstack.services.audit import service as audit
from credstack.settings import Settings
from credstack.testing import ActingAs
from tests import patiently
from tests.accounts import (
    add_organisation,
    add_user,
    api_client,
    bearer_token,
    issued_credentials,
    provider_store,
    signed_in_client,
    store_session,
)
from tests.conftest import LiveServer, at_own_url, serve
from tests.helpers import organisation, programme
from tests.services.creditbank.banks import BACHELOR

SECRET = new_master_key_text()
NOW = dt.datetime(2026, 4, 1, 9, 0, tzinfo=dt.UTC)
PROVIDER = "hokuto-tech"
OTHER = "other-univ"
BODY = "mc-recognition"
LEARNER = "learner@example.jp"
#: hokuto-tech's programme editor.
EDITOR = f"/workspace/{PROVIDER}/programmes"

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
    "registrar": [(PROVIDER, "registrar")],
}


@dataclasses.dataclass
class Store:
    server: LiveServer
    credential: str
    tokens: dict[str, str]
    #: hokuto-tech's application for recognition of programme 1 (a draft).
    application: str
    #: A cohort job of hokuto-tech, started by its issuer.
    job: str


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
    # Every refusal of the table is audited one by one, however many one address makes.
    configured, port = at_own_url(settings, secret_key=SECRET, default_issuer=PROVIDER,
                                  audit_refusals_per_minute=100_000)
    credential = _prepare(configured)
    clients = {name: _client(configured, name, memberships)
               for name, memberships in ROLES.items()}
    job = _cohort_job(configured)
    for server in serve(configured, port=port):
        tokens = {name: bearer_token(server.url, *client) for name, client in clients.items()}
        opened = patiently.post(f"{server.url}/api/recognition/applications", json={
            "organisation": PROVIDER, "programme_id": 1, "recognition_body": BODY,
            "profile": "jp-mc"}, headers={"Authorization": f"Bearer {tokens['provider-admin']}"},
            timeout=30)
        assert opened.status_code == 201, opened.text
        yield Store(server, credential, tokens, opened.json()["id"], job)


def _cohort_job(settings: Settings) -> str:
    """A job issuing programme 1 to a learner, started by hokuto-tech's issuer."""
    with open_runtime(settings=settings) as runtime:
        with runtime.transaction() as session:
            issuer = accounts.user(session, email="issuer@example.org")
        started = jobs.start(runtime, actor=ActingAs(Principal(
            subject=issuer.subject, user_id=issuer.id, email=issuer.email,
            memberships=issuer.memberships)), kind="cohort.issue", payload={
                "programme_id": 1, "version": None, "batch": "matrix-job",
                "securing": "eddsa-jcs-2022", "language": "en",
                "cohort_csv": "email,name.en\njob@example.jp,Job\n"},
            organisation=PROVIDER, key="matrix-job")
        return started.public_id


#: Every role: the wallet's actions are each user's own.
EVERYONE = set(ROLES)
#: A wallet id that is nobody's.
NOBODYS = "0123456789abcdef0123456789abcdef"
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
    # Invitations, as the members: an unknown invitation is a 404 (allowed, failing on its
    # own merits).
    "list hokuto-tech's invitations": (
        lambda c, who, store: c.get(f"/api/organisations/{PROVIDER}/invitations"),
        {"provider-admin", "registry-admin"}),
    "invite someone to hokuto-tech": (
        lambda c, who, store: c.post(f"/api/organisations/{PROVIDER}/invitations",
                                     json={"email": f"api-{who}@example.jp", "role": "issuer"}),
        {"provider-admin", "registry-admin"}),
    "revoke an invitation of hokuto-tech": (
        lambda c, who, store: c.delete(f"/api/organisations/{PROVIDER}/invitations/999999"),
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
    # The wallet is self-service: every signed-in user acts on their own (an id of nobody's
    # is 404, a body that is no credential 422: allowed, and failing on its own merits).
    "read one's record": (
        lambda c, who, store: c.get("/api/wallet"),
        EVERYONE),
    "import into one's wallet": (
        lambda c, who, store: c.post("/api/wallet/credentials",
                                     json={"credential": {"type": ["VerifiableCredential"]}}),
        EVERYONE),
    "read a credential of one's wallet": (
        lambda c, who, store: c.get(f"/api/wallet/credentials/{NOBODYS}"),
        EVERYONE),
    "download its original": (
        lambda c, who, store: c.get(f"/api/wallet/credentials/{NOBODYS}/original"),
        EVERYONE),
    "download the PDF certificate of one issued here": (
        lambda c, who, store: c.get(f"/api/wallet/credentials/{NOBODYS}/certificate.pdf"),
        EVERYONE),
    "tag it": (
        lambda c, who, store: c.patch(f"/api/wallet/credentials/{NOBODYS}",
                                      json={"tags": ["x"]}),
        EVERYONE),
    "remove it": (
        lambda c, who, store: c.delete(f"/api/wallet/credentials/{NOBODYS}"),
        EVERYONE),
    "read one's holder DID": (
        lambda c, who, store: c.get("/api/wallet/holder"),
        EVERYONE),
    "add an identifier": (
        lambda c, who, store: c.post("/api/wallet/identifiers",
                                     json={"type": "student-id", "value": f"S-{who}"}),
        EVERYONE),
    "remove an identifier": (
        lambda c, who, store: c.delete(f"/api/wallet/identifiers/student-id/S-{who}"),
        EVERYONE),
    "make a collection": (
        lambda c, who, store: c.post("/api/wallet/collections", json={"name": who}),
        EVERYONE),
    "put a credential in a collection": (
        lambda c, who, store: c.put(f"/api/wallet/collections/{NOBODYS}/credentials/"
                                    f"{NOBODYS}"),
        EVERYONE),
    # The Open Badges 3.0 and CLR 2.0 REST APIs: each user's own wallet and profile (a body
    # that is no credential or no Profile is 400: allowed, and failing on its own merits).
    **{f"{what} ({api})": (call, EVERYONE) for api in ("ob/v3p0", "clr/v2p0")
       for what, call in (
           ("list one's credentials through the REST API",
            lambda c, who, store, api=api: c.get(f"/ims/{api}/credentials")),
           ("upsert a credential through the REST API",
            lambda c, who, store, api=api: c.post(f"/ims/{api}/credentials", json={})),
           ("read one's profile through the REST API",
            lambda c, who, store, api=api: c.get(f"/ims/{api}/profile")),
           ("update one's profile through the REST API",
            lambda c, who, store, api=api: c.put(f"/ims/{api}/profile", json={})))},
    # The credit bank: publishing a target is for hokuto-tech's registrars and
    # administrators, its applications for its registrars alone; each learner's account is
    # their own (an id of nobody's is 404: allowed, and failing on its own merits).
    "publish a credit target of hokuto-tech": (
        lambda c, who, store: c.post(f"/api/creditbank/organisations/{PROVIDER}/targets",
                                     json={"text": BACHELOR}),
        {"provider-admin", "registrar", "registry-admin"}),
    "list hokuto-tech's credit applications": (
        lambda c, who, store: c.get(f"/api/creditbank/organisations/{PROVIDER}/applications"),
        {"registrar"}),
    "read one's credit bank account": (
        lambda c, who, store: c.get("/api/creditbank/account"),
        EVERYONE),
    "deposit a credential into one's account": (
        lambda c, who, store: c.post("/api/creditbank/deposits", json={
            "credential": NOBODYS, "route": "other-university"}),
        EVERYONE),
    "apply for credit transfer": (
        lambda c, who, store: c.post("/api/creditbank/applications",
                                     json={"target": NOBODYS}),
        EVERYONE),
    # Skills (issue 17): the shared frameworks and their labels are the registry admins';
    # a programme's alignments its provider's. Allowed calls fail on their own merits (an
    # empty package 422, an unknown skill 404).
    # OpenID for Verifiable Credentials (issue 18): the credential's issuers and its learner
    # may offer it to a wallet; anyone signed in may ask a wallet for credentials.
    "offer hokuto-tech's credential to a wallet": (
        lambda c, who, store: c.post("/api/oid4vci/offers",
                                     json={"credential_id": store.credential}),
        {"provider-admin", "issuer", "registry-admin", "learner"}),
    "ask a wallet for credentials (OID4VP)": (
        lambda c, who, store: c.post("/api/oid4vp/requests", json={"label": who}),
        EVERYONE),
    # The wallet's side of both protocols is each signed-in user's own wallet (a link that is
    # no offer or request is 400: allowed, and failing on its own merits).
    "receive an offer into one's wallet (OID4VCI)": (
        lambda c, who, store: c.post("/api/wallet/oid4vci/offers", json={"offer": "none"}),
        EVERYONE),
    "read what one's wallet could answer a request with (OID4VP)": (
        lambda c, who, store: c.post("/api/wallet/oid4vp/proposal", json={"request": "none"}),
        EVERYONE),
    "answer a request from one's wallet (OID4VP)": (
        lambda c, who, store: c.post("/api/wallet/oid4vp/answer",
                                     json={"request": "none", "chosen": {}}),
        EVERYONE),
    "import a competency framework": (
        lambda c, who, store: c.post("/api/skills/frameworks", content=b"{}"),
        {"registry-admin"}),
    "name a skill": (
        lambda c, who, store: c.put(f"/api/skills/{NOBODYS}/labels/ja", json={"label": who}),
        {"registry-admin"}),
    "ask for alignment suggestions for hokuto-tech's programme": (
        lambda c, who, store: c.get("/api/programmes/1/alignment-suggestions"),
        {"provider-admin", "registry-admin"}),
    "align hokuto-tech's programme to a skill": (
        lambda c, who, store: c.post("/api/programmes/1/alignments",
                                     json={"outcome": 0, "skill": f"urn:nobody:{who}"}),
        {"provider-admin", "registry-admin"}),
    "take back an alignment of hokuto-tech's programme": (
        lambda c, who, store: c.delete("/api/programmes/1/alignments",
                                       params={"outcome": 0, "skill": "urn:nobody"}),
        {"provider-admin", "registry-admin"}),
    # Background jobs: everyone lists their own; a job is its starter's and its
    # organisation's administrators'.
    "list one's jobs": (lambda c, who, store: c.get("/api/jobs"), EVERYONE),
    "read an organisation's job": (
        lambda c, who, store: c.get(f"/api/jobs/{store.job}"),
        {"issuer", "provider-admin", "registry-admin"}),
    # A cohort job makes no file: 404 for those who may see the job.
    "download the file an organisation's job made": (
        lambda c, who, store: c.get(f"/api/jobs/{store.job}/file"),
        {"issuer", "provider-admin", "registry-admin"}),
    # The programme editor of hokuto-tech's workspace (/workspace/hokuto-tech/programmes):
    # its provider admins' and registry admins'. Publishing the published version 1 again is
    # a 409: allowed, and failing on its own merits.
    "check a draft in hokuto-tech's editor": (
        lambda c, who, store: c.post(f"{EDITOR}/check", data={"code": f"E-{who}"}),
        {"provider-admin", "registry-admin"}),
    "save a programme from hokuto-tech's editor": (
        lambda c, who, store: c.post(f"{EDITOR}/new", data={
            "code": f"E-{who}", "title.en": "Editor", "action": "save"}),
        {"provider-admin", "registry-admin"}),
    "save programme 1 from hokuto-tech's editor": (
        lambda c, who, store: c.post(f"{EDITOR}/1/edit", data={"action": "check"}),
        {"provider-admin", "registry-admin"}),
    "publish a version from hokuto-tech's editor": (
        lambda c, who, store: c.post(f"{EDITOR}/1/versions/1/publish"),
        {"provider-admin", "registry-admin"}),
    "import a file into hokuto-tech's editor": (
        lambda c, who, store: c.post(f"{EDITOR}/import", files={
            "file": ("p.csv", f"code,title.en\nI-{who},Imported\n".encode(), "text/csv")}),
        {"provider-admin", "registry-admin"}),
    "preview the badge of hokuto-tech's programme": (
        lambda c, who, store: c.get(f"{EDITOR}/1/badge.svg"),
        {"provider-admin", "registry-admin"}),
    "preview the certificate of hokuto-tech's programme": (
        lambda c, who, store: c.get(f"{EDITOR}/1/certificate.pdf?lang=en"),
        {"provider-admin", "registry-admin"}),
}

#: The editor's pages: the same people, and a visitor who is not signed in is sent to sign in.
EDITOR_PAGES: dict[str, set[str]] = {
    f"{EDITOR}": {"provider-admin", "registry-admin"},
    f"{EDITOR}/new": {"provider-admin", "registry-admin"},
    f"{EDITOR}/1/edit": {"provider-admin", "registry-admin"},
    f"{EDITOR}/1/history": {"provider-admin", "registry-admin"},
    f"{EDITOR}/1/diff?from=1&to=1": {"provider-admin", "registry-admin"},
    f"{EDITOR}/import": {"provider-admin", "registry-admin"},
}


def test_the_editor_pages_are_the_organisations_admins(store: Store) -> None:
    """Each role against each page of hokuto-tech's programme editor; a visitor is sent to
    sign in and back."""
    wrong = []
    for path, allowed in EDITOR_PAGES.items():
        for name, token in store.tokens.items():
            with httpx.Client(base_url=store.server.url, timeout=30,
                              headers={"Authorization": f"Bearer {token}"}) as client:
                status = client.get(path).status_code
            if (status == 200) != (name in allowed) or status not in (200, 403):
                wrong.append((path, name, status))
        with httpx.Client(base_url=store.server.url, timeout=30) as anonymous:
            response = anonymous.get(path)
        if response.status_code != 303 or not response.headers["location"].startswith(
                "/sign-in?next=/workspace/"):
            wrong.append((path, "anonymous", response.status_code))
    assert not wrong, "\n".join(map(str, wrong))


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


# --- the workspace's pages (web sessions) ------------------------------------------------
#
# The workspace is for people signed in with the session cookie: each role signs in on the
# web and posts the forms as a browser does (the CSRF token goes along). A refusal is a 403
# page; a visitor who is not signed in is sent to sign in (303) before anything is decided.

#: Provider admins of hokuto-tech and registry admins, who administer it.
HOKUTO_ADMINS = {"provider-admin", "registry-admin"}
WORKSPACE = f"/workspace/{PROVIDER}"
LOGO = (b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 2 1">'
        b'<rect width="2" height="1"/></svg>')


PAGES: dict[str, tuple[Call, set[str]]] = {
    "open one's workspace": (
        lambda c, who, store: c.get("/workspace"),
        EVERYONE),
    "open hokuto-tech's workspace": (
        lambda c, who, store: c.get(WORKSPACE),
        {"provider-admin", "issuer", "registrar", "registry-admin"}),
    "list hokuto-tech's members": (
        lambda c, who, store: c.get(f"{WORKSPACE}/members"),
        HOKUTO_ADMINS),
    "invite someone to hokuto-tech": (
        lambda c, who, store: c.post(f"{WORKSPACE}/members/invitations",
                                     data={"email": f"invited-{who}@example.jp",
                                           "role": "issuer"}),
        HOKUTO_ADMINS),
    "revoke an invitation of hokuto-tech": (
        lambda c, who, store: c.post(f"{WORKSPACE}/members/invitations/999999/revoke"),
        HOKUTO_ADMINS),
    "change a role in hokuto-tech": (
        lambda c, who, store: c.post(f"{WORKSPACE}/members/role", data={
            "email": "issuer@example.org", "role": "issuer", "new_role": "issuer"}),
        HOKUTO_ADMINS),
    "remove a member of hokuto-tech": (
        lambda c, who, store: c.post(f"{WORKSPACE}/members/remove",
                                     data={"email": "nobody@example.org"}),
        HOKUTO_ADMINS),
    "list hokuto-tech's API clients": (
        lambda c, who, store: c.get(f"{WORKSPACE}/clients"),
        HOKUTO_ADMINS),
    "make an API client in hokuto-tech": (
        lambda c, who, store: c.post(f"{WORKSPACE}/clients", data={
            "name": f"matrix {who}", "owner": "provider-admin@example.org",
            "scope": "credentials:issue"}),
        HOKUTO_ADMINS),
    "revoke an API client in hokuto-tech": (
        lambda c, who, store: c.post(f"{WORKSPACE}/clients/cs_nobodys/revoke"),
        HOKUTO_ADMINS),
    "see hokuto-tech's keys": (
        lambda c, who, store: c.get(f"{WORKSPACE}/keys"),
        HOKUTO_ADMINS),
    "create a key of hokuto-tech": (
        lambda c, who, store: c.post(f"{WORKSPACE}/keys", data={"type": "P-256"}),
        HOKUTO_ADMINS),
    "rotate a key of hokuto-tech": (
        lambda c, who, store: c.post(f"{WORKSPACE}/keys/rotate", data={
            "type": "Ed25519", "replacing": "key-none"}),
        HOKUTO_ADMINS),
    "see hokuto-tech's certificate authority": (
        lambda c, who, store: c.get(f"{WORKSPACE}/authority"),
        HOKUTO_ADMINS),
    "create hokuto-tech's certificate authority": (
        lambda c, who, store: c.post(f"{WORKSPACE}/authority", data={"years": "1"}),
        HOKUTO_ADMINS),
    "open hokuto-tech's outbox": (
        lambda c, who, store: c.get(f"{WORKSPACE}/mail"),
        {"provider-admin", "issuer", "registry-admin"}),
    "name hokuto-tech's e-mail sender": (
        lambda c, who, store: c.post(f"{WORKSPACE}/mail/sender", data={"name": f"By {who}"}),
        HOKUTO_ADMINS),
    # The credit bank's pages: administrators publish targets; registrars also decide.
    "open hokuto-tech's credit bank page": (
        lambda c, who, store: c.get(f"{WORKSPACE}/creditbank"),
        {"provider-admin", "registrar", "registry-admin"}),
    "publish a credit target on hokuto-tech's page": (
        lambda c, who, store: c.post(f"{WORKSPACE}/creditbank/targets", data={"text": BACHELOR}),
        {"provider-admin", "registrar", "registry-admin"}),
    # The certificate office's queue of document requests (issue 56): read and decided by
    # those who hold the records.
    "open hokuto-tech's queue of document requests": (
        lambda c, who, store: c.get(f"{WORKSPACE}/requests"),
        {"provider-admin", "registrar", "registry-admin"}),
    "set hokuto-tech's rule for document requests": (
        lambda c, who, store: c.post(f"{WORKSPACE}/requests/rule",
                                     data={"delivery_days": "92"}),
        {"provider-admin", "registrar", "registry-admin"}),
    # The provider's alignment page (issue 17).
    "open the alignment page of hokuto-tech's programme": (
        lambda c, who, store: c.get(f"{WORKSPACE}/programmes/1/skills"),
        HOKUTO_ADMINS),
    "confirm an alignment on hokuto-tech's page": (
        lambda c, who, store: c.post(f"{WORKSPACE}/programmes/1/skills/confirm",
                                     data={"outcome": "0", "skill": "urn:nobody"}),
        HOKUTO_ADMINS),
    "reject a suggestion on hokuto-tech's alignment page": (
        lambda c, who, store: c.post(f"{WORKSPACE}/programmes/1/skills/reject",
                                     data={"outcome": "0", "skill": "urn:nobody"}),
        HOKUTO_ADMINS),
    "see hokuto-tech's profile form": (
        lambda c, who, store: c.get(f"{WORKSPACE}/profile"),
        HOKUTO_ADMINS),
    "save hokuto-tech's profile": (
        lambda c, who, store: c.post(f"{WORKSPACE}/profile", data={
            "name_ja": "北都工科大学", "name_en": f"Hokuto ({who})"}),
        HOKUTO_ADMINS),
    "upload hokuto-tech's logo": (
        lambda c, who, store: c.post(f"{WORKSPACE}/profile/logo", files={
            "logo": ("logo.svg", LOGO, "image/svg+xml")}),
        HOKUTO_ADMINS),
    "remove hokuto-tech's logo": (
        lambda c, who, store: c.post(f"{WORKSPACE}/profile/logo/remove"),
        HOKUTO_ADMINS),
    # The wallet's OpenID for VC pages (issue 18): each signed-in user's own wallet; an offer
    # or a request that is none is a 422, allowed and failing on its own merits.
    "open the wallet's page to receive an offer": (
        lambda c, who, store: c.get("/wallet/receive"),
        EVERYONE),
    "paste an offer into one's wallet": (
        lambda c, who, store: c.post("/wallet/receive", data={"offer": "none"}),
        EVERYONE),
    "open the wallet's page to answer a request": (
        lambda c, who, store: c.get("/wallet/answer"),
        EVERYONE),
    "answer a request from one's wallet": (
        lambda c, who, store: c.post("/wallet/answer", data={"request": "none",
                                                             "decision": "send"}),
        EVERYONE),
}


def _denied(store: Store) -> int:
    """How many refusals the audit log holds."""
    with store_session(store.server.settings) as session:
        return sum(1 for entry in audit.entries(session, limit=100_000)
                   if entry.action == "access.denied")


def _web_people_against(store: Store, table: dict[str, tuple[Call, set[str]]],
                        sign_in: str) -> list[tuple[str, str, int, str]]:
    """Each role signed in on the web against each page and form of ``table``, then a
    visitor who is not: what differs from the table (a refusal must be a 403, and the visitor
    sent to a URL starting with ``sign_in``)."""
    wrong = []
    for name in ROLES:
        email = LEARNER if name == "learner" else f"{name}@example.org"
        with signed_in_client(store.server.url, email) as client:
            client.headers["Accept"] = "text/html"
            for action, (call, allowed) in table.items():
                response = call(client, name, store)
                refused = response.status_code in (401, 403)
                if refused == (name in allowed) or (refused and response.status_code != 403):
                    wrong.append((action, name, response.status_code, response.text[:200]))
    with httpx.Client(base_url=store.server.url, timeout=30,
                      headers={"Accept": "text/html"}) as anonymous:
        for action, (call, _) in table.items():
            response = call(anonymous, "anonymous", store)
            if (response.status_code != 303
                    or not response.headers["location"].startswith(sign_in)):
                wrong.append((action, "anonymous", response.status_code, response.text[:200]))
    return wrong


def test_every_role_opens_exactly_the_workspace_pages_the_table_says(store: Store) -> None:
    """Each role, signed in on the web, against each workspace page and form (and the
    wallet's OpenID for VC pages): allowed ones pass, the others get a 403 page (each refusal
    logged), visitors are sent to sign in."""
    before = _denied(store)
    wrong = _web_people_against(store, PAGES, sign_in="/sign-in?next=")
    assert not wrong, "\n".join(map(str, wrong))
    assert _denied(store) - before == sum(len(ROLES) - len(allowed)
                                          for _, allowed in PAGES.values())


# --- the issuing pages (issue 15): people signed in to the web, not API clients ---------------

#: Who issues for hokuto-tech, and reads and changes the status of its credentials.
ISSUERS = {"provider-admin", "issuer", "registry-admin"}
def _credential_page(suffix: str = "") -> Callable[[Store], str]:
    return lambda store: f"/workspace/{PROVIDER}/credentials/{store.credential}{suffix}"


#: Each issuing page and form: how to use it, and which roles may.
ISSUING_PAGES: dict[str, tuple[Call, set[str]]] = {
    "open hokuto-tech's issue page": (
        lambda c, who, store: c.get(f"/workspace/{PROVIDER}/issue"), ISSUERS),
    "issue to one learner of hokuto-tech": (
        lambda c, who, store: c.post(f"/workspace/{PROVIDER}/issue", data={
            "programme_id": "1", "batch": "matrix-pages", "email": f"{who}@example.jp"}),
        ISSUERS),
    "upload a cohort for hokuto-tech": (
        lambda c, who, store: c.post(f"/workspace/{PROVIDER}/issue/cohort", files={
            "programme_id": (None, "1"), "batch": (None, "matrix-cohort"),
            "file": ("c.csv", b"email\nx@example.jp\n", "text/csv")}),
        ISSUERS),
    # A file that was never uploaded: refused first, or not found (404) once allowed.
    "confirm a cohort for hokuto-tech": (
        lambda c, who, store: c.post(f"/workspace/{PROVIDER}/issue/cohort/confirm", data={
            "programme_id": "1", "batch": "matrix-cohort", "securing": "eddsa-rdfc-2022",
            "digest": "0" * 64}),
        ISSUERS),
    "list hokuto-tech's credentials": (
        lambda c, who, store: c.get(f"/workspace/{PROVIDER}/credentials?q=learner"),
        ISSUERS),
    "download a batch of hokuto-tech": (
        lambda c, who, store: c.get(f"/workspace/{PROVIDER}/credentials/download"
                                    "?batch=matrix&format=csv"),
        ISSUERS),
    "make the PDF certificates of a batch of hokuto-tech": (
        lambda c, who, store: c.post(f"/workspace/{PROVIDER}/credentials/certificates",
                                     data={"batch": "matrix", "language": "en"}),
        ISSUERS),
    "download the file a job of hokuto-tech made": (
        lambda c, who, store: c.get(f"/jobs/{store.job}/file"),
        {"issuer", "provider-admin", "registry-admin"}),
    "read a credential's page at hokuto-tech": (
        lambda c, who, store: c.get(_credential_page()(store)), ISSUERS),
    "download its JSON from the workspace": (
        lambda c, who, store: c.get(_credential_page("/credential.json")(store)), ISSUERS),
    "ask to suspend it": (
        lambda c, who, store: c.get(_credential_page("/status?change=suspend")(store)),
        ISSUERS),
    # Allowed callers after the first find it suspended already (409): allowed, refused
    # on its own merits.
    "suspend it with a reason": (
        lambda c, who, store: c.post(_credential_page("/status")(store), data={
            "change": "suspend", "reason": f"matrix: {who}"}),
        ISSUERS),
    "offer a credential of hokuto-tech to a wallet (OID4VCI)": (
        lambda c, who, store: c.post(_credential_page("/offer")(store)), ISSUERS),
}


def test_every_role_gets_exactly_the_issuing_pages_the_table_says(store: Store) -> None:
    """Each role signed in to the web against each issuing page and form: allowed ones pass
    the check, the others get 403 (logged); visitors are sent to sign in."""
    before = _denied(store)
    wrong = _web_people_against(store, ISSUING_PAGES, sign_in="/sign-in")
    assert not wrong, "\n".join(map(str, wrong))
    assert _denied(store) - before == sum(len(ROLES) - len(allowed)
                                          for _, allowed in ISSUING_PAGES.values())


# --- pages open to everyone, signed in or not ------------------------------------------------

#: Account pages anyone may open: each gives every role and a visitor the same answer (this
#: store sends no e-mail, so asking for a reset link says to ask an administrator: 404).
PUBLIC_PAGES: dict[str, Call] = {
    "open the form asking for a password reset link":
        lambda c, who, store: c.get("/password-reset"),
    "ask for a password reset link without the form's cookie":
        lambda c, who, store: c.post("/password-reset", data={"email": f"{who}@example.jp"}),
    "read that a password reset link was sent":
        lambda c, who, store: c.get("/password-reset/sent"),
    "open a password reset link that is nobody's":
        lambda c, who, store: c.get(f"/password-reset/{NOBODYS}"),
    "see hokuto-tech's logo":
        lambda c, who, store: c.get(f"/providers/{PROVIDER}/logo"),
}


def test_the_public_account_pages_answer_everyone_alike(store: Store) -> None:
    """Each role signed in on the web, and a visitor, get the same answer from each public
    account page: nobody is refused or sent to sign in."""
    answers: dict[str, set[int]] = {action: set() for action in PUBLIC_PAGES}
    for name in ROLES:
        email = LEARNER if name == "learner" else f"{name}@example.org"
        with signed_in_client(store.server.url, email) as client:
            client.headers["Accept"] = "text/html"
            for action, call in PUBLIC_PAGES.items():
                answers[action].add(call(client, name, store).status_code)
    with httpx.Client(base_url=store.server.url, timeout=30,
                      headers={"Accept": "text/html"}) as anonymous:
        for action, call in PUBLIC_PAGES.items():
            answers[action].add(call(anonymous, "anonymous", store).status_code)
    wrong = {action: codes for action, codes in answers.items()
             if len(codes) != 1 or codes & {303, 401, 403}}
    assert not wrong, wrong
