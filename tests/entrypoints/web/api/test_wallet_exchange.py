"""The wallet's exchange API over real HTTP, as a learner's app uses it (a bearer token of
their own API client): a presentation that verifies for its challenge and domain only, the
learner's CLR, share links opened by anyone (access code, revocation → 410), the archive and
closing the account.

One server on SQLite for the module, with a provider, its programme and a credential issued
to each learner before it starts; each test acts as a learner of its own.
"""

from __future__ import annotations

import dataclasses
import io
import json
import zipfile
from collections.abc import Iterator

import httpx
import pytest

from credstack.core.credentials import securing
from tests import patiently
from tests.accounts import PASSWORD, add_user, api_client, bearer_token
from tests.conftest import LiveServer, issued_to_members, keyed_sqlite, serve
from tests.secured_forms import enveloped

LEARNERS = ("hachiro", "juro")
WALLET_SCOPES = ("wallet:read", "wallet:write")
#: An SVG badge to bake credentials into.
SVG = b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>'


def email(name: str) -> str:
    return f"{name}@example.jp"


@dataclasses.dataclass(frozen=True)
class Store:
    live: LiveServer


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    settings = keyed_sqlite(tmp_path_factory.mktemp("wallet-api"))
    issued_to_members(settings, {email(name): name.title() for name in LEARNERS},
                      batch="wallet-api")
    for live in serve(settings):
        yield Store(live)


def app(store: Store, name: str, scopes: tuple[str, ...] = WALLET_SCOPES) -> httpx.Client:
    """The learner's app: a bearer token of their own API client."""
    client_id, secret = api_client(store.live.settings, email(name), scopes)
    token = bearer_token(store.live.url, client_id, secret)
    return httpx.Client(base_url=store.live.url, timeout=30,
                        headers={"Authorization": f"Bearer {token}"})


def delivered(client: httpx.Client) -> dict[str, object]:
    """The one credential issued to the learner, delivered when the wallet is opened."""
    record = client.get("/api/wallet")
    assert record.status_code == 200, record.text
    [item] = record.json()["credentials"]
    return item


def original(client: httpx.Client, public_id: object) -> bytes:
    response = client.get(f"/api/wallet/credentials/{public_id}/original")
    assert response.status_code == 200
    return response.content


def test_a_presentation_verifies_for_its_challenge_and_domain_only(store: Store) -> None:
    with app(store, "hachiro") as client:
        item = delivered(client)
        asked = {"credentials": [item["id"]], "challenge": "c-123", "domain": "hr.example"}
        presented = client.post("/api/wallet/presentations", json=asked)
        assert presented.status_code == 200, presented.text
        signed = presented.json()
        assert signed["holder"] == client.get("/api/wallet/holder").json()["did"]
        verify = f"{store.live.url}/presentations/verify"
        good = patiently.post(verify, json={"verifiablePresentation": signed, "options": {
            "challenge": "c-123", "domain": "hr.example"}}, timeout=30)
        assert good.status_code == 200 and good.json()["verified"] is True
        for options in ({"challenge": "other", "domain": "hr.example"},
                        {"challenge": "c-123", "domain": "elsewhere.example"}):
            replayed = patiently.post(verify, json={"verifiablePresentation": signed,
                                                "options": options}, timeout=30)
            assert replayed.status_code == 400 and replayed.json()["verified"] is False
        missing = client.post("/api/wallet/presentations", json={**asked, "challenge": ""})
        assert missing.status_code == 422
        clr = client.post("/api/wallet/clr", json={"credentials": [item["id"]]})
        assert clr.status_code == 200, clr.text
        checked = patiently.post(f"{store.live.url}/credentials/verify",
                                 json={"verifiableCredential": clr.json()}, timeout=30)
        assert checked.json()["verified"] is True, checked.text


#: The forms ``form`` asks for beside the Data Integrity proof, and the media type of each.
SECURED = {"vp+jwt": "application/vp+jwt", "vp+sd-jwt": "application/vp+sd-jwt",
           "vp+cose": "application/vp+cose"}


@pytest.mark.parametrize("form", list(SECURED))
def test_a_presentation_secured_as_jose_or_cose_verifies_for_its_request_only(
        store: Store, form: str) -> None:
    """``form`` secures the presentation as the present page does (issue 58): its media
    type's bytes, signed by the holder key, which ``POST /presentations/verify`` verifies
    enveloped for the challenge and domain (its nonce and aud), and for no other; an unknown
    form is refused naming it, with nothing presented."""
    with app(store, "juro") as client:
        item = delivered(client)
        asked = {"credentials": [item["id"]], "challenge": "c-58", "domain": "hr.example",
                 "form": form}
        presented = client.post("/api/wallet/presentations", json=asked)
        assert presented.status_code == 200, presented.text
        assert presented.headers["content-type"].startswith(SECURED[form])
        assert presented.headers["cache-control"] == "no-store"
        document = securing.carried(presented.content)
        assert isinstance(document, dict)
        assert document["holder"] == client.get("/api/wallet/holder").json()["did"]
        assert (document["nonce"], document["aud"]) == ("c-58", "hr.example")
        sent = enveloped(presented.content, SECURED[form], presentation=True)
        verify = f"{store.live.url}/presentations/verify"
        good = patiently.post(verify, json={"verifiablePresentation": sent, "options": {
            "challenge": "c-58", "domain": "hr.example"}}, timeout=30)
        assert good.status_code == 200 and good.json()["verified"] is True, good.text
        replayed = patiently.post(verify, json={"verifiablePresentation": sent, "options": {
            "challenge": "other", "domain": "hr.example"}}, timeout=30)
        assert replayed.json()["verified"] is False
        unknown = client.post("/api/wallet/presentations", json={**asked, "form": "vp+xml"})
        assert unknown.status_code == 422, unknown.text
        assert unknown.json()["errors"] == [{"location": "form", "message": "vp+xml"}]
        assert unknown.json()["detail"].startswith("vp+xml is not a form this wallet presents")


def test_the_archive_and_closing_the_account(store: Store) -> None:
    add_user(store.live.settings, email("kuro"), name="Kuro")
    with app(store, "kuro") as client:
        archive = client.get("/api/wallet/archive")
        assert archive.headers["content-type"] == "application/zip"
        with zipfile.ZipFile(io.BytesIO(archive.content)) as opened:
            assert json.loads(opened.read("manifest.json"))["credentials"] == []
        wrong = client.post("/api/account/delete",
                            json={"email": email("kuro"), "password": "not it"})
        assert wrong.status_code == 403
        closed = client.post("/api/account/delete",
                             json={"email": email("kuro"), "password": PASSWORD})
        assert closed.status_code == 204
        assert client.get("/api/wallet").status_code == 401


def test_share_links_through_the_api(store: Store) -> None:
    add_user(store.live.settings, email("kyuro"), name="Kyuro")
    with app(store, "juro") as owner, app(store, "kyuro") as other:
        item = delivered(owner)
        made = owner.post("/api/wallet/shares", json={"credential": item["id"],
                                                     "expires_in_days": 7,
                                                     "access_code": "tanuki-7"})
        assert made.status_code == 201, made.text
        link = made.json()
        assert link["url"].endswith(f"/s/{link['secret']}") and link["state"] == "active"
        public = f"{store.live.url}/api/shares/{link['secret']}"
        assert patiently.get(public).status_code == 403
        opened = patiently.get(public, headers={"X-Access-Code": "tanuki-7"})
        assert opened.status_code == 200 and opened.headers["x-robots-tag"] == "noindex"
        [shown] = opened.json()["credentials"]
        assert shown["report"]["verified"] is True and opened.json()["holder"] == "Juro"
        [listed] = [share for share in owner.get("/api/wallet/shares").json()
                    if share["id"] == link["id"]]
        assert listed["views"] == 1 and "secret" not in listed
        assert other.delete(f"/api/wallet/shares/{link['id']}").status_code == 404
        assert owner.delete(f"/api/wallet/shares/{link['id']}").json()["state"] == "revoked"
        gone = patiently.get(public, headers={"X-Access-Code": "tanuki-7"})
        assert gone.status_code == 410 and gone.json()["type"].endswith("gone")
        assert patiently.get(f"{store.live.url}/api/shares/{'x' * 43}",
                             timeout=30).status_code == 404
