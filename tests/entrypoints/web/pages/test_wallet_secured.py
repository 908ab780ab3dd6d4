"""The wallet with credentials secured as an SD-JWT and as COSE (issue 58): a learner
pastes the one and uploads the other, the wallet keeps and verifies each, its page says how
it is secured (and which claims the SD-JWT shows), and the learner presents it — choosing
which of the SD-JWT's claims to show and how to secure the presentation (a Data Integrity
proof, vp+jwt, vp+sd-jwt, vp+cose), checked by ``POST /presentations/verify`` for the
verifier's challenge and domain. Over HTTP against the real application, on SQLite and
PostgreSQL; inputs signed in the test (:mod:`tests.secured_forms`)."""

from __future__ import annotations

import base64
import dataclasses
import json
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from credstack.core.credentials import securing
from credstack.core.crypto.multikey import decode_public_key
from credstack.settings import Settings
from tests.accounts import add_user
from tests.conftest import LiveServer, operator_client, serve
from tests.entrypoints.web.pages.test_programmes import Page, assert_accessible, squash
from tests.entrypoints.web.pages.test_wallet_pages import (
    Browser,
    Wallets,
    done,
    email,
    wallets,
)
from tests.interop.test_jose_cose_libraries import libraries, node
from tests.interop.test_js_reference import Node
from tests.secured_forms import credential, enveloped, issuer_key, unsigned

__all__ = ["libraries", "node", "wallets"]  # fixtures shared with other modules' tests


def test_an_sd_jwt_is_pasted_kept_verified_and_says_what_it_shows(wallets: Wallets) -> None:
    """Hanako pastes her credential as an SD-JWT: the wallet keeps it, verified, its page
    says it is an SD-JWT and names the claims it shows, in English and Japanese."""
    learner = Browser(wallets.live, "hanako")
    try:
        target = done(learner.paste(credential("vc+sd-jwt").decode("ascii")))
        public_id = target.split("/wallet/credentials/")[1].split("?")[0]
        page = learner.page(f"/wallet/credentials/{public_id}")
        assert page.one("div", id="verify-verdict").attrs["data-verified"] == "true"
        fact = page.one("div", id="verify-securing")
        assert fact.attrs["data-form"] == "sd-jwt"
        assert "An SD-JWT (JOSE, selective disclosure)" in squash(fact.text)
        assert "An identifier of the learner" in squash(fact.text)
        assert_accessible(page, "en")
        original = learner.get(f"/wallet/credentials/{public_id}/original")
        assert original.content == credential("vc+sd-jwt"), "kept as it was given"
    finally:
        learner.close()
    japanese = Browser(wallets.live, "hanako", "ja")
    try:
        page = japanese.page(f"/wallet/credentials/{public_id}")
        assert "SD-JWT（JOSE・選択的開示）" in squash(page.one("div", id="verify-securing").text)
    finally:
        japanese.close()


@pytest.fixture(scope="module")
def held(module_settings: Settings) -> Iterator[LiveServer]:
    """A server on each store whose learners hold nothing yet (Hanako among them: the
    credentials of :mod:`tests.secured_forms` name her address)."""
    for name in HOLDERS:
        add_user(module_settings, email(name), name=name.title())
    yield from serve(module_settings)


#: The learners of :func:`held`: one per test that keeps something (their wallets are their
#: own); the secured credentials name Hanako's address.
HOLDERS = ("hanako",)


def test_a_cose_file_is_kept_verified_and_found_again_when_pasted_enveloped(
        held: LiveServer) -> None:
    """Hanako uploads her credential as its COSE_Sign1 file: the wallet keeps it byte for
    byte (given back as application/vc+cose), verified, its page says it is COSE and shows
    the credential's name; pasting the same credential later as its Enveloped Verifiable
    Credential finds the one kept (not a second copy), and the record lists it once."""
    learner = Browser(held, "hanako")
    try:
        data = credential("vc+cose")
        target = done(learner.upload("badge.cose", data, media_type="application/vc+cose"))
        public_id = target.split("/wallet/credentials/")[1].split("?")[0]
        page = learner.page(f"/wallet/credentials/{public_id}")
        assert page.one("div", id="verify-verdict").attrs["data-verified"] == "true"
        assert page.one("div", id="verify-securing").attrs["data-form"] == "cose"
        assert "COSE (CBOR)" in squash(page.one("div", id="verify-securing").text)
        assert squash(page.one("h1").text) == "Maintenance of Semiconductor Manufacturing Equipment"
        assert_accessible(page, "en")
        original = learner.get(f"/wallet/credentials/{public_id}/original")
        assert original.content == data, "kept as it was given"
        assert original.headers["content-type"].startswith("application/vc+cose")
        again = done(learner.paste(json.dumps(enveloped(data, "application/vc+cose"))))
        assert public_id in again, "the same credential, found in the wallet"
        assert learner.ids().count(public_id) == 1
    finally:
        learner.close()
    japanese = Browser(held, "hanako", "ja")
    try:
        page = japanese.page(f"/wallet/credentials/{public_id}")
        assert "COSE（CBOR）" in squash(page.one("div", id="verify-securing").text)
        assert squash(page.one("h1").text) == unsigned()["name"]
        assert_accessible(page, "ja")
    finally:
        japanese.close()


# --- presenting what the wallet keeps as an SD-JWT and as COSE --------------------------

CHALLENGE, DOMAIN = "c-5b1f7e2a", "https://employer.example"
#: How each form the present page offers is sent to ``POST /presentations/verify``.
FORMS = {"data-integrity": "application/json", "vp+jwt": "application/vp+jwt",
         "vp+sd-jwt": "application/vp+sd-jwt", "vp+cose": "application/vp+cose"}


#: Two more of Hanako's credentials, one kept as an SD-JWT and one as COSE (each kept once
#: however often given, and not as the credential the other tests keep).
SD_JWT_ID, COSE_ID = ("urn:uuid:5d0c7a3e-9b1f-4e62-8a47-2f6b1c9e0d11",
                      "urn:uuid:a81f4c2b-3e7d-4b90-9c15-6d2e8f0a7b22")


def _kept(learner: Browser) -> tuple[str, str]:
    """Hanako's SD-JWT and COSE credentials in her wallet: their wallet ids."""
    ids = []
    for response in (learner.paste(credential("vc+sd-jwt", SD_JWT_ID).decode("ascii")),
                     learner.upload("badge.cose", credential("vc+cose", COSE_ID),
                                    media_type="application/vc+cose")):
        ids.append(done(response).split("/wallet/credentials/")[1].split("?")[0])
    return ids[0], ids[1]


def _part(page: Page, start: str, end: str) -> Page:
    """The part of ``page`` from ``start`` to ``end``, as a page of its own."""
    begin = page.source.index(start)
    return Page(f"<body>{page.source[begin:page.source.index(end, begin) + len(end)]}</body>")


def _as_sent(data: bytes, media_type: str) -> Any:
    """A downloaded presentation as ``verifiablePresentation``: its JSON, or enveloped."""
    if media_type == "application/json":
        return json.loads(data)
    return enveloped(data, media_type, presentation=True)


@dataclasses.dataclass(frozen=True)
class Presented:
    """What the present page gave Hanako to download, and what it showed her first."""

    response: httpx.Response
    page: Page
    listed: Page
    sd_id: str
    cose_id: str


def present(held: LiveServer, form: str) -> Presented:
    """Hanako keeps her SD-JWT and COSE credentials, opens the present page, ticks both,
    unticks her identifier among the SD-JWT's claims, chooses ``form`` and downloads."""
    learner = Browser(held, "hanako")
    try:
        sd_id, cose_id = _kept(learner)
        page = learner.page("/wallet/present")
        listed = _part(page, f'<fieldset class="field present-disclose" id="disclose-{sd_id}"',
                       "</fieldset>")
        labels = {squash(label.text): label.attrs["for"] for label in listed.all("label")}
        withheld = labels["An identifier of the learner"].rsplit("-", 1)[1]
        shown = [box.attrs["value"] for box in listed.all("input", name="disclose")
                 if not box.attrs["value"].endswith(f":{withheld}")]
        response = learner.post("/wallet/present", [
            ("credential", sd_id), ("credential", cose_id), ("choosing", sd_id),
            *[("disclose", value) for value in shown], ("challenge", CHALLENGE),
            ("domain", DOMAIN), ("form", form)])
        return Presented(response, page, listed, sd_id, cose_id)
    finally:
        learner.close()


@pytest.mark.parametrize("form", list(FORMS))
def test_a_held_sd_jwt_and_cose_credential_are_presented_in_each_form(
        held: LiveServer, form: str) -> None:
    """Hanako ticks her SD-JWT and COSE credentials on the present page, withholds her
    identifier from the SD-JWT (each disclosable claim is listed in words, ticked at first),
    chooses how to secure the presentation and downloads it: it verifies for the verifier's
    challenge and domain at ``POST /presentations/verify`` (and not for another challenge),
    both credentials verified, the identifier not in what the verifier reads."""
    presented = present(held, form)
    page, listed = presented.page, presented.listed
    assert "An identifier of the learner" in squash(listed.source)
    boxes = listed.all("input", name="disclose")
    assert len(boxes) == 3 and all("checked" in box.attrs for box in boxes), "ticked at first"
    assert f"disclose-{presented.cose_id}" not in page.source, "COSE has nothing to withhold"
    assert page.one("input", id=f"form-{form}").attrs["type"] == "radio"
    assert_accessible(page, "en")
    response = presented.response
    assert response.status_code == 200, response.text[:2000]
    assert response.headers["content-type"].startswith(FORMS[form])
    assert "attachment" in response.headers["content-disposition"]
    sent = _as_sent(response.content, FORMS[form])
    assert withheld_in(response.content) == [False, True], "the SD-JWT's identifier withheld"
    with operator_client(held) as api:
        checked = api.post("/presentations/verify", json={
            "verifiablePresentation": sent,
            "options": {"challenge": CHALLENGE, "domain": DOMAIN}})
        assert checked.status_code == 200, checked.text
        body = checked.json()
        assert body["verified"] is True, body
        replayed = api.post("/presentations/verify", json={
            "verifiablePresentation": sent,
            "options": {"challenge": "another", "domain": DOMAIN}})
        assert replayed.json()["verified"] is False


def withheld_in(data: bytes) -> list[bool]:
    """Whether each credential of a downloaded presentation, as the verifier reads it (an
    SD-JWT's claims as its disclosures show them), names its learner, in order."""
    document = securing.carried(data)
    assert isinstance(document, dict)
    return sorted("identifier" in found["credentialSubject"]
                  for found in map(securing.carried, document["verifiableCredential"])
                  if isinstance(found, dict))


@pytest.mark.parametrize("form", ["vp+jwt", "vp+cose"])
def test_outside_libraries_verify_what_the_wallet_presents(
        held: LiveServer, libraries: Node, form: str) -> None:
    """``jose`` verifies the vp+jwt and ``@auth0/cose`` the vp+cose with the holder's key
    (its did:key), each reading the verifier's nonce and aud; ``@sd-jwt/sd-jwt-vc`` verifies
    the SD-JWT inside with the issuer's key, the identifier withheld."""
    response = present(held, form).response
    assert response.status_code == 200, response.text[:2000]
    document = securing.carried(response.content)
    assert isinstance(document, dict)
    holder_jwk = decode_public_key(document["holder"].removeprefix("did:key:")).to_jwk()
    if form == "vp+jwt":
        answer = libraries.run("jose-cose.mjs", {
            "action": "jwt-verify", "token": response.content.decode("ascii"),
            "publicJwk": holder_jwk, "typ": "vp+jwt"})
    else:
        answer = libraries.run("jose-cose.mjs", {
            "action": "cose-verify", "cose": base64.b64encode(response.content).decode(),
            "publicJwk": holder_jwk})
        assert answer.get("typ") == "application/vp+cose", answer
    assert answer["verified"] is True, answer
    assert (answer["payload"]["nonce"], answer["payload"]["aud"]) == (CHALLENGE, DOMAIN)
    inner = [item["id"].partition(",")[2] for item in document["verifiableCredential"]
             if item["id"].startswith("data:application/vc+sd-jwt,")]
    assert len(inner) == 1
    checked = libraries.run("jose-cose.mjs", {
        "action": "sd-jwt-verify", "token": inner[0],
        "publicJwk": issuer_key().public_key.to_jwk()})
    assert checked["verified"] is True, checked
    assert "identifier" not in checked["payload"]["credentialSubject"]
    assert checked["payload"]["credentialSubject"]["achievement"]["name"]


def test_a_secured_presentation_needs_the_challenge_and_says_so(held: LiveServer) -> None:
    """Without a challenge the page says why beside the form, in Japanese, nothing
    downloaded; the choices made are still there."""
    learner = Browser(held, "hanako", "ja")
    try:
        sd_id, _ = _kept(learner)
        response = learner.post("/wallet/present", [
            ("credential", sd_id), ("choosing", sd_id), ("challenge", " "),
            ("domain", DOMAIN), ("form", "vp+cose")])
        assert response.status_code == 422
        page = Page(response.text)
        assert "チャレンジ" in squash(page.one("div", id="present-error").text)
        assert "checked" in page.one("input", id="form-vp+cose").attrs
        assert not any("checked" in box.attrs for box in page.all("input", name="disclose"))
        assert_accessible(page, "ja")
    finally:
        learner.close()
