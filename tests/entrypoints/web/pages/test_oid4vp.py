"""The employer's OID4VP page: a request made with a plain form shows its QR code, and, once
the wallet has answered, the outcome (verified, not verified, could not be checked) — in
Japanese and English, axe finding nothing serious or critical in Chromium."""

from __future__ import annotations

import base64
import datetime as dt
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs, urlsplit

import pytest

from credstack.adapters.db.repositories import organisations as organisation_store
from credstack.adapters.keystore import MasterKey, new_master_key_text
from credstack.adapters.resolvers.contexts import shared_document_loader
from credstack.core.credentials.presentations import build_presentation, sign_presentation
from credstack.core.crypto.keys import KeyPair, KeyType
from credstack.core.dids import did_key
from credstack.errors import NotFoundError
from credstack.services.accounts import service as accounts
from credstack.settings import Settings
from tests import patiently
from tests.accounts import PASSWORD, add_issuer, add_user, store_session
from tests.conftest import LiveServer, at_own_url, need_browser, serve, sqlite_store
from tests.entrypoints.web.api.test_verification_trust import (
    LISTED_EN,
    LISTED_JA,
    NOT_LISTED_EN,
    NOT_LISTED_JA,
    Trusted,
    trusted_server,
)
from tests.entrypoints.web.pages.conftest import axe_violations, new_tab, shot
from tests.entrypoints.web.pages.forms import FormBrowser
from tests.entrypoints.web.pages.test_programmes import Page, assert_accessible, squash
from tests.services.issuance.test_credentials import SLUG
from tests.services.recognitions.test_service import NOW
from tests.signed_credentials import signed, signed_by_did_web

if TYPE_CHECKING:
    from playwright.sync_api import Browser

EMPLOYER = "hr@example.jp"


@pytest.fixture
def live(sqlite_settings: Settings) -> Iterator[LiveServer]:
    configured, port = at_own_url(sqlite_settings, secret_key=new_master_key_text())
    add_user(configured, EMPLOYER, name="採用 担当")
    yield from serve(configured, port=port)


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory,
           _sqlite_template: Path) -> Iterator[LiveServer]:
    """As :func:`live`, one for the module's tests that make requests and read only their
    own: each request is the employer's or the signer's, on its own page."""
    store = sqlite_store(tmp_path_factory.mktemp("oid4vp") / "data", _sqlite_template)
    configured, port = at_own_url(store, secret_key=new_master_key_text())
    add_user(configured, EMPLOYER, name="採用 担当")
    yield from serve(configured, port=port)


def _request_of(html: str) -> dict[str, str]:
    [link] = re.findall(r'href="(openid4vp://[^"]+)"', html)
    return {name: values[0] for name, values in
            parse_qs(urlsplit(link.replace("&amp;", "&")).query).items()}


def test_the_request_is_a_qr_code_until_the_wallet_answers(served: LiveServer) -> None:
    """POST the form → the request's page with its QR code; the wallet declines → the page
    says so on reload; someone else cannot read it."""
    employer = FormBrowser(served, EMPLOYER)
    try:
        made = employer.post("/verifier", label="Applicant A")
        assert made.status_code == 303
        page = employer.get(made.headers["location"])
        assert 'src="data:image/svg+xml;base64,' in page.text and "Applicant A" in page.text
        request = _request_of(page.text)
        assert request["response_mode"] == "direct_post"
        assert request["client_id"] == f"redirect_uri:{request['response_uri']}"
        answered = patiently.post(request["response_uri"].replace(served.settings.public_url,
                                                                  served.url),
                                  data={"error": "access_denied", "state": request["state"]})
        assert answered.status_code == 200
        again = employer.get(made.headers["location"])
        assert 'data-outcome="error"' in again.text and "openid4vp://" not in again.text
    finally:
        employer.close()
    add_user(served.settings, "other@example.jp", name="Other")
    other = FormBrowser(served, "other@example.jp")
    try:
        assert other.get(made.headers["location"]).status_code == 403
    finally:
        other.close()


@pytest.mark.parametrize(("language", "word"), [("en", "Could not be checked"),
                                              ("ja", "確認できませんでした（未判定）")])
def test_an_answer_that_could_not_be_checked_is_shown_as_such(
        sqlite_settings: Settings, language: str, word: str) -> None:
    """A server that fetches nothing, answered with a credential of a did:web issuer: the
    page shows the outcome in its own word and colour (not the ✗ of not verified), and
    why, in the page's language."""
    configured, port = at_own_url(sqlite_settings, secret_key=new_master_key_text(),
                                  verify_offline=True)
    add_user(configured, EMPLOYER, name="採用 担当")
    for live in serve(configured, port=port):
        employer = FormBrowser(live, EMPLOYER, language)
        try:
            made = employer.post("/verifier", label="Applicant B")
            request = _request_of(employer.get(made.headers["location"]).text)
            [query] = [item for item in json.loads(request["dcql_query"])["credentials"]
                       if item["format"] == "ldp_vc"]
            holder_key = KeyPair.generate(KeyType.ED25519)
            presentation = sign_presentation(
                build_presentation([signed_by_did_web("did:web:issuer.example",
                                                      anonymous=True)],
                                   holder=did_key.did_from_public_key(holder_key.public_key)),
                key=holder_key,
                verification_method=did_key.verification_method_id(holder_key.public_key),
                challenge=request["nonce"], domain=request["client_id"],
                created=dt.datetime.now(dt.UTC), document_loader=shared_document_loader())
            answered = patiently.post(
                request["response_uri"].replace(live.settings.public_url, live.url),
                data={"vp_token": json.dumps({query["id"]: [presentation]}),
                      "state": request["state"]})
            assert answered.status_code == 200, answered.text
            page = employer.get(made.headers["location"]).text
            assert 'data-outcome="could-not-be-checked"' in page
            assert "standing--undecided" in page and word in page and "✗" not in page
        finally:
            employer.close()


def test_the_request_page_gives_a_link_to_answer_from_this_servers_wallet(
        served: LiveServer) -> None:
    """While the wallet has not answered, the request's page links to ``/wallet/answer`` on
    the public address with the same request, to send to an applicant whose wallet is here
    (``tests/entrypoints/web/pages/wallet/test_answer.py`` answers through it)."""
    employer = FormBrowser(served, EMPLOYER)
    try:
        page = employer.get(employer.post("/verifier").headers["location"])
    finally:
        employer.close()
    [link] = re.findall(r'href="([^"]*/wallet/answer\?[^"]+)"', page.text)
    link = link.replace("&amp;", "&")
    assert link.startswith(f"{served.settings.public_url}/wallet/answer?request=openid4vp")
    [uri] = parse_qs(urlsplit(link).query)["request"]
    assert f'href="{uri.replace("&", "&amp;")}"' in page.text


SIGNER = "signer@example.jp"


def _add_signer(settings: Settings) -> None:
    """The test organisation with its key, and its issuer, who may sign requests as it
    (once: the tests that share a server each ask for them)."""
    assert settings.secret_key is not None
    with store_session(settings) as session:
        if not organisation_store.find_row(session, SLUG):
            add_issuer(session, now=dt.datetime.now(dt.UTC),
                       secret=MasterKey.from_text(settings.secret_key, source="test"))
        try:
            accounts.user(session, email=SIGNER)
            return
        except NotFoundError:
            pass
    add_user(settings, SIGNER, name="署名 担当", roles=[(SLUG, "issuer")])


def _payload(token: str) -> dict[str, Any]:
    part = token.split(".")[1]
    found: dict[str, Any] = json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))
    return found


@pytest.mark.parametrize("language", ["ja", "en"])
def test_an_issuer_signs_the_request_as_the_organisation_and_asks_for_it_encrypted(
        served: LiveServer, language: str) -> None:
    """Someone who issues an organisation's credentials is offered to sign as it (labelled
    fields); the request is then a request_uri whose object is signed by the organisation's
    did:key and carries the encryption key; a person without the role is refused (403)."""
    settings = served.settings
    _add_signer(settings)
    signer = FormBrowser(served, SIGNER, language)
    try:
        form = signer.get("/verifier")
        assert_accessible(Page(form.text), language)
        assert f'<option value="{SLUG}" translate="no">{SLUG}</option>' in form.text
        assert 'id="ask-encrypted"' in form.text and 'id="ask-method-post"' in form.text
        made = signer.post("/verifier", signed_as=SLUG, encrypted="1")
        assert made.status_code == 303, made.text
        page = signer.get(made.headers["location"])
        assert_accessible(Page(page.text), language)
        request = _request_of(page.text)
    finally:
        signer.close()
    assert request["client_id"].startswith("decentralized_identifier:did:key:z6Mk")
    assert set(request) == {"client_id", "request_uri"}
    fetched = patiently.get(request["request_uri"].replace(settings.public_url, served.url))
    assert fetched.status_code == 200
    assert fetched.headers["content-type"] == "application/oauth-authz-req+jwt"
    claims = _payload(fetched.text)
    assert claims["client_id"] == request["client_id"]
    assert claims["aud"] == "https://self-issued.me/v2"
    assert claims["response_mode"] == "direct_post.jwt"
    assert claims["client_metadata"]["jwks"]["keys"][0]["crv"] == "P-256"
    employer = FormBrowser(served, EMPLOYER, language)
    try:
        assert 'id="ask-signed-as"' not in employer.get("/verifier").text
        assert employer.post("/verifier", signed_as=SLUG).status_code == 403
    finally:
        employer.close()


def test_an_issuer_signs_the_request_as_the_organisations_did_web(served: LiveServer) -> None:
    """With did:web chosen, the client id is the organisation's did:web and the request
    object's kid a verification method of the DID document the server publishes."""
    settings = served.settings
    _add_signer(settings)
    signer = FormBrowser(served, SIGNER, "en")
    try:
        assert 'id="ask-did-web"' in signer.get("/verifier").text
        made = signer.post("/verifier", signed_as=SLUG, did_method="did:web")
        assert made.status_code == 303, made.text
        request = _request_of(signer.get(made.headers["location"]).text)
    finally:
        signer.close()
    did = request["client_id"].removeprefix("decentralized_identifier:")
    assert did.startswith("did:web:") and did.endswith(f":organisations:{SLUG}")
    fetched = patiently.get(request["request_uri"].replace(settings.public_url, served.url))
    kid = json.loads(base64.urlsafe_b64decode(fetched.text.split(".")[0] + "=="))["kid"]
    document = patiently.get(f"{served.url}/organisations/{SLUG}/did.json").json()
    assert document["id"] == did
    assert kid in [method["id"] for method in document["verificationMethod"]]


@pytest.mark.browser
def test_the_pages_pass_axe_in_both_languages(live: LiveServer, browser: Browser) -> None:
    need_browser()
    tab = new_tab(browser)
    try:
        tab.goto(f"{live.url}/sign-in?next=/verifier")
        tab.locator("#email").fill(EMPLOYER)
        tab.locator("#password").fill(PASSWORD)
        tab.locator("form.sign-in-form button[type=submit]").click()
        tab.wait_for_url("**/verifier")
        tab.locator("form[action='/verifier'] button[type=submit]").click()
        tab.wait_for_url("**/verifier/requests/*")
        address = tab.url
        for language in ("ja", "en"):
            tab.goto(f"{address}?lang={language}")
            assert tab.locator("html").get_attribute("lang") == language
            assert axe_violations(tab) == [], language
            shot(tab, f"oid4vp-request-{language}")
            tab.goto(f"{live.url}/verifier?lang={language}")
            assert axe_violations(tab) == [], language
    finally:
        tab.context.close()


@pytest.mark.browser
def test_the_signing_form_and_a_signed_request_pass_axe(live: LiveServer,
                                                        browser: Browser) -> None:
    """Signed in as the organisation's issuer: the form with its signing and encryption
    fields, and a signed request's page, in ja and en — axe finds nothing serious or
    critical."""
    need_browser()
    _add_signer(live.settings)
    tab = new_tab(browser)
    try:
        tab.goto(f"{live.url}/sign-in?next=/verifier")
        tab.locator("#email").fill(SIGNER)
        tab.locator("#password").fill(PASSWORD)
        tab.locator("form.sign-in-form button[type=submit]").click()
        tab.wait_for_url("**/verifier")
        for language in ("ja", "en"):
            tab.goto(f"{live.url}/verifier?lang={language}")
            assert axe_violations(tab) == [], language
        tab.locator("#ask-signed-as").select_option(SLUG)
        tab.locator("#ask-encrypted").check()
        tab.locator("form[action='/verifier'] button[type=submit]").click()
        tab.wait_for_url("**/verifier/requests/*")
        address = tab.url
        for language in ("ja", "en"):
            tab.goto(f"{address}?lang={language}")
            assert tab.locator("#ask-signed").count() == 1
            assert axe_violations(tab) == [], language
            shot(tab, f"oid4vp-signed-request-{language}")
    finally:
        tab.context.close()


@pytest.fixture(scope="module")
def trusting(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Trusted]:
    """A server whose registry recognises the prepared provider, with an employer."""
    for trusted in trusted_server(tmp_path_factory.mktemp("oid4vp-trust")):
        add_user(trusted.live.settings, EMPLOYER, name="採用 担当")
        yield trusted


def _answered(employer: FormBrowser, live: LiveServer, credential: dict[str, Any],
              label: str) -> Page:
    """The employer's request page once a wallet has answered it with ``credential``, in a
    presentation its holder signed."""
    made = employer.post("/verifier", label=label)
    request = _request_of(employer.get(made.headers["location"]).text)
    [query] = [item for item in json.loads(request["dcql_query"])["credentials"]
               if item["format"] == "ldp_vc"]
    holder_key = KeyPair.generate(KeyType.ED25519)
    presentation = sign_presentation(
        build_presentation([credential],
                           holder=did_key.did_from_public_key(holder_key.public_key)),
        key=holder_key,
        verification_method=did_key.verification_method_id(holder_key.public_key),
        challenge=request["nonce"], domain=request["client_id"],
        created=NOW, document_loader=shared_document_loader())
    answered = patiently.post(
        request["response_uri"].replace(live.settings.public_url, live.url),
        data={"vp_token": json.dumps({query["id"]: [presentation]}), "state": request["state"]})
    assert answered.status_code == 200, answered.text
    return Page(employer.get(made.headers["location"]).text)


@pytest.mark.parametrize("language", ["ja", "en"])
def test_the_answer_says_whether_its_issuer_is_in_a_trusted_registry(
        trusting: Trusted, language: str) -> None:
    """The wallet answers with the recognised provider's credential, then another issuer's:
    beside the outcome, the trust line the verification page gives each ("認定された提供機関
    …" / "in no trusted registry"), in the page's language; the DID stays out of it."""
    live = trusting.live
    employer = FormBrowser(live, EMPLOYER, language)
    try:
        for credential, state in ((trusting.recognised, "listed"), (signed(), "not-listed")):
            page = _answered(employer, live, credential, f"Applicant {state}")
            assert_accessible(page, language)
            [line] = page.all("p", **{"data-trust": state})
            lines = {("listed", "ja"): LISTED_JA, ("listed", "en"): LISTED_EN,
                     ("not-listed", "ja"): NOT_LISTED_JA, ("not-listed", "en"): NOT_LISTED_EN}
            assert squash(line.text) == lines[state, language]
            assert credential["issuer"]["id"] not in line.text
    finally:
        employer.close()


@pytest.mark.parametrize("language", ["ja", "en"])
def test_an_answer_with_a_changed_credential_carries_no_trust_line(
        trusting: Trusted, language: str) -> None:
    """The recognised provider's credential changed after signing: not verified, and no
    "recognised provider" beside it (the issuer it names is only a claim)."""
    employer = FormBrowser(trusting.live, EMPLOYER, language)
    try:
        changed = {**trusting.recognised, "name": "Changed after signing"}
        page = _answered(employer, trusting.live, changed, "Applicant changed")
        assert_accessible(page, language)
        assert [element for element in page.elements if "data-trust" in element.attrs] == []
        assert LISTED_JA not in page.text and LISTED_EN not in page.text
        assert page.all("dd", **{"data-outcome": "not-verified"})
    finally:
        employer.close()
