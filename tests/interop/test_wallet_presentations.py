"""What the wallet's API presents as JOSE or COSE, checked by outside libraries (issue 58).

A learner's app asks ``POST /api/wallet/presentations`` for a presentation of a held
credential secured as *Securing Verifiable Credentials using JOSE and COSE* does —
``vp+jwt`` (§3.1.2), ``vp+sd-jwt`` (§3.2.2), ``vp+cose`` (§3.3.2) — and unmodified npm
packages, driven by ``interop/js/jose-cose.mjs``, verify it with the holder's key (the
``did:key`` the wallet names): ``jose`` the vp+jwt (``typ: vp+jwt`` required), the OpenWallet
Foundation's ``@sd-jwt/sd-jwt-vc`` the vp+sd-jwt, ``@auth0/cose`` the vp+cose; each reads the
verifier's challenge as ``nonce`` and its domain as ``aud``. A presentation changed after the
holder signed it is refused by the same library. A learner who keeps an SD-JWT withholds
the claims she chooses (``withhold``, named as ``disclosable`` lists them): the library finds
them absent from the credential inside and the issuer's signature still good. Against a real
credstack on SQLite.

Needs ``node`` and ``interop/js/node_modules`` (see ``test_js_reference``); skips without them,
fails instead when ``CREDSTACK_REQUIRE_NODE=1``.
"""

from __future__ import annotations

import base64
import dataclasses
import json
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from credstack.core.crypto.multikey import decode_public_key
from tests.accounts import add_user, api_client, bearer_token
from tests.conftest import issued_to_members, keyed_sqlite, serve
from tests.interop.test_jose_cose_libraries import libraries, node
from tests.interop.test_js_reference import Node
from tests.secured_forms import credential, issuer_key

__all__ = ["libraries", "node"]  # the fixtures, shared with the JOSE and COSE tests

LEARNER = "kotaro@example.jp"
#: The learner the credentials of :mod:`tests.secured_forms` (an SD-JWT among them) name.
HANAKO = "hanako@example.jp"
CHALLENGE, DOMAIN = "c-9d3e61", "https://employer.example"
MEDIA_TYPES = {"vp+jwt": "application/vp+jwt", "vp+sd-jwt": "application/vp+sd-jwt",
               "vp+cose": "application/vp+cose"}


@dataclasses.dataclass(frozen=True)
class Held:
    """The learner's app and the wallet id of the credential it holds; Hanako's app, her
    wallet empty."""

    app: httpx.Client
    credential: str
    hanako: httpx.Client


def _app(live: Any, email: str) -> httpx.Client:
    """``email``'s app: an API client allowed the wallet, with its bearer token."""
    client_id, secret = api_client(live.settings, email, ("wallet:read", "wallet:write"))
    token = bearer_token(live.url, client_id, secret)
    return httpx.Client(base_url=live.url, timeout=30,
                        headers={"Authorization": f"Bearer {token}"})


@pytest.fixture(scope="module")
def held(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Held]:
    settings = keyed_sqlite(tmp_path_factory.mktemp("wallet-jose-cose"))
    issued_to_members(settings, {LEARNER: "Kotaro"}, batch="wallet-jose-cose")
    add_user(settings, HANAKO, name="Hanako")
    for live in serve(settings):
        with _app(live, LEARNER) as app, _app(live, HANAKO) as hanako:
            record = app.get("/api/wallet")
            assert record.status_code == 200, record.text
            [item] = record.json()["credentials"]
            yield Held(app, item["id"], hanako)


def presented(held: Held, form: str) -> bytes:
    response = held.app.post("/api/wallet/presentations", json={
        "credentials": [held.credential], "challenge": CHALLENGE, "domain": DOMAIN,
        "form": form})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith(MEDIA_TYPES[form])
    return response.content


def holder_jwk(held: Held) -> dict[str, Any]:
    did = held.app.get("/api/wallet/holder").json()["did"]
    assert isinstance(did, str) and did.startswith("did:key:")
    return decode_public_key(did.removeprefix("did:key:")).to_jwk()


def checked(libraries: Node, form: str, data: bytes, jwk: dict[str, Any]) -> dict[str, Any]:
    """The outside library's answer for ``data`` of ``form``, verified with ``jwk``."""
    if form == "vp+jwt":
        request = {"action": "jwt-verify", "token": data.decode("ascii"), "publicJwk": jwk,
                   "typ": "vp+jwt"}
    elif form == "vp+sd-jwt":
        request = {"action": "sd-jwt-verify", "token": data.decode("ascii"), "publicJwk": jwk}
    else:
        request = {"action": "cose-verify", "cose": base64.b64encode(data).decode(),
                   "publicJwk": jwk}
    answer: dict[str, Any] = libraries.run("jose-cose.mjs", request)
    return answer


def tampered(form: str, data: bytes) -> bytes:
    """``data`` with its presentation's ``aud`` changed after signing."""
    if form == "vp+cose":
        marker = DOMAIN.encode()
        assert data.count(marker) == 1
        return data.replace(marker, DOMAIN.replace("employer", "imposter").encode())
    header, payload, rest = data.decode("ascii").split(".", 2)
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    claims["aud"] = "https://imposter.example"
    changed = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
    return f"{header}.{changed}.{rest}".encode("ascii")


@pytest.mark.parametrize("form", list(MEDIA_TYPES))
def test_an_outside_library_verifies_what_the_wallet_api_presents(
        held: Held, libraries: Node, form: str) -> None:
    """The library verifies the presentation with the holder's did:key, reads the verifier's
    nonce and aud and the holder; the vp+sd-jwt's ``typ`` is the Recommendation's."""
    data = presented(held, form)
    jwk = holder_jwk(held)
    answer = checked(libraries, form, data, jwk)
    assert answer["verified"] is True, answer
    payload = answer["payload"]
    assert (payload["nonce"], payload["aud"]) == (CHALLENGE, DOMAIN)
    assert "VerifiablePresentation" in payload["type"]
    assert payload["holder"] == held.app.get("/api/wallet/holder").json()["did"]
    assert len(payload["verifiableCredential"]) == 1
    if form == "vp+sd-jwt":
        assert answer["header"]["typ"] == "vp+sd-jwt"
    elif form == "vp+cose":
        assert answer["typ"] == MEDIA_TYPES[form]


@pytest.mark.parametrize("form", list(MEDIA_TYPES))
def test_the_outside_library_refuses_it_changed_after_signing(
        held: Held, libraries: Node, form: str) -> None:
    answer = checked(libraries, form, tampered(form, presented(held, form)), holder_jwk(held))
    assert answer["verified"] is False, answer
    assert answer["error"]


def _kept_sd_jwt(held: Held) -> str:
    """Hanako's credential, kept in her wallet as the SD-JWT its issuer made (its name,
    identifier and achievement selectively disclosable): its wallet id."""
    kept = held.hanako.post("/api/wallet/credentials",
                            json={"credential": credential("vc+sd-jwt").decode("ascii")})
    assert kept.status_code in (200, 201), kept.text
    public_id: str = kept.json()["id"]
    return public_id


def test_the_holder_withholds_chosen_sd_jwt_claims_and_an_outside_library_verifies_it(
        held: Held, libraries: Node) -> None:
    """Hanako's app reads which claims of her SD-JWT she may withhold, presents it as a
    vp+sd-jwt withholding her identifier: ``@sd-jwt/sd-jwt-vc`` verifies the presentation
    with her holder key (the verifier's nonce and aud) and the credential inside with the
    issuer's key, the identifier absent, the achievement and the name still shown."""
    public_id = _kept_sd_jwt(held)
    shown = held.hanako.get(f"/api/wallet/credentials/{public_id}")
    assert shown.status_code == 200, shown.text
    assert sorted(shown.json()["disclosable"]) == [
        "credentialSubject.achievement", "credentialSubject.identifier", "name"]
    response = held.hanako.post("/api/wallet/presentations", json={
        "credentials": [public_id], "challenge": CHALLENGE, "domain": DOMAIN,
        "form": "vp+sd-jwt", "withhold": {public_id: ["credentialSubject.identifier"]}})
    assert response.status_code == 200, response.text
    did = held.hanako.get("/api/wallet/holder").json()["did"]
    answer = libraries.run("jose-cose.mjs", {
        "action": "sd-jwt-verify", "token": response.content.decode("ascii"),
        "publicJwk": decode_public_key(did.removeprefix("did:key:")).to_jwk()})
    assert answer["verified"] is True, answer
    assert (answer["payload"]["nonce"], answer["payload"]["aud"]) == (CHALLENGE, DOMAIN)
    [inner] = answer["payload"]["verifiableCredential"]
    prefix = "data:application/vc+sd-jwt,"
    assert inner["id"].startswith(prefix)
    checked = libraries.run("jose-cose.mjs", {
        "action": "sd-jwt-verify", "token": inner["id"].removeprefix(prefix),
        "publicJwk": issuer_key().public_key.to_jwk()})
    assert checked["verified"] is True, checked
    subject = checked["payload"]["credentialSubject"]
    assert "identifier" not in subject, "withheld"
    assert subject["achievement"]["name"] and checked["payload"]["name"], "still shown"


def test_a_claim_the_credential_does_not_let_its_holder_withhold_is_refused_by_name(
        held: Held) -> None:
    """Withholding a claim the issuer did not make disclosable is refused (422), naming the
    claim in words (English, then Japanese, as the API's problems say), not as a code."""
    public_id = _kept_sd_jwt(held)
    response = held.hanako.post("/api/wallet/presentations", json={
        "credentials": [public_id], "challenge": CHALLENGE, "domain": DOMAIN,
        "form": "vp+sd-jwt", "withhold": {public_id: ["credentialSubject.achievement.name"]}})
    assert response.status_code == 422, response.text
    detail = response.json()["detail"]
    assert detail == ("credentialSubject.achievement.name is not a claim this credential "
                      "lets its holder withhold. / credentialSubject.achievement.name は、"
                      "この証明で所持者が見せないことを選べる記載事項ではありません。"), detail
