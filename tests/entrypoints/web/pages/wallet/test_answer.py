"""Answering a verifier's OID4VP request from the wallet's pages, in Japanese and English,
without JavaScript: who asks and for what, only the matching credentials to choose from, the
chosen ones presented and verified by the verifier; declining sends nothing."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import parse_qsl, quote, urlencode, urlsplit

import httpx
import pytest

from tests.accounts import PASSWORD, add_user, sign_in
from tests.conftest import LiveServer, free_port, need_browser
from tests.entrypoints.web.pages.conftest import axe_violations, new_tab, shot
from tests.entrypoints.web.pages.forms import FormBrowser
from tests.entrypoints.web.pages.test_programmes import HTML, Page, assert_accessible, squash
from tests.entrypoints.web.pages.wallet.sites import Site, serve_over_https
from tests.services.issuance.test_credentials import SLUG

if TYPE_CHECKING:
    from playwright.sync_api import Browser

LEARNER = "hanako@example.jp"
#: A learner who has never opened the wallet: what was issued to him is not delivered yet.
NEWCOMER = "jiro@example.jp"
EMPLOYER = "hr@example.jp"
#: The default request's Credential Queries (services.oid4vp.verifier.DEFAULT_QUERY).
LDP, JWT, SD_JWT = "micro_credential_ldp", "micro_credential_jwt", "micro_credential_sd_jwt"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """The employer who asks, and Hanako, whose wallet holds the credential issued to her
    here (and Jiro, who has not opened his wallet yet)."""
    yield from serve_over_https(tmp_path_factory.mktemp("wallet-answer"), batch="answer",
                                learners={LEARNER: "Hanako", NEWCOMER: "Jiro"},
                                others={EMPLOYER: "採用 担当"})


@dataclass
class Asked:
    """A request the employer made on the verifier page: its page and its URI."""

    page: str
    uri: str
    #: The link to this server's answer page that the request's page gives to send.
    link: str


def _ask(site: Site) -> Asked:
    employer = FormBrowser(site.live, EMPLOYER)
    try:
        return _asked(employer, employer.post("/verifier", label="Applicant Hanako"))
    finally:
        employer.close()


def _asked(employer: FormBrowser, made: httpx.Response, *, signed: bool = False) -> Asked:
    """The request ``made`` on the verifier page, read from the page it leads to."""
    assert made.status_code == 303, made.text
    shown = employer.get(made.headers["location"])
    assert ('id="ask-signed"' in shown.text) is signed
    [link] = re.findall(r'href="(openid4vp://[^"]+)"', shown.text)
    [to_send] = re.findall(r'href="https://[^/"]+(/wallet/answer\?request=[^"]+)"',
                           shown.text)
    return Asked(made.headers["location"], link.replace("&amp;", "&"),
                 to_send.replace("&amp;", "&"))


def _outcome(site: Site, asked: Asked, *, asker: str = EMPLOYER) -> str | None:
    """What the page of the one who asked says the wallet answered (None: no answer yet)."""
    employer = FormBrowser(site.live, asker)
    try:
        text = employer.get(asked.page).text
    finally:
        employer.close()
    found = re.findall(r'data-outcome="([a-z-]+)"', text)
    return found[0] if found else None


def _radios(text: str, query: str) -> dict[str, bool]:
    """The choices offered for ``query``: value → ticked."""
    return {value: bool(checked) for value, checked in re.findall(
        rf'<input type="radio" id="chosen-{query}-[^"]+" name="chosen-{query}" '
        r'value="([^"]*)"( checked)?>', text)}


@pytest.mark.parametrize("language", ["ja", "en"])
def test_the_learner_presents_the_matching_credential_and_the_employer_reads_it_verified(
        site: Site, language: str) -> None:
    """The wallet links to the page; the request, opened by the link the employer's page
    gives to send, shows the verifier and, for each query, only the credentials that match
    it (the ldp_vc one, ticked; none for the JWT and SD-JWT queries); sending it, the page
    says what went to whom and the employer's page reads it verified; sent again, the
    verifier's refusal is said in place."""
    asked = _ask(site)
    learner = FormBrowser(site.live, LEARNER, language)
    try:
        assert 'href="/wallet/answer"' in learner.get("/wallet").text
        assert_accessible(learner.page("/wallet/answer"), language)
        # The link the employer's page gives to send opens the request.
        shown = learner.get(asked.link)
        assert shown.status_code == 200, shown.text
        assert_accessible(Page(shown.text), language)
        host = urlsplit(site.live.settings.public_url).netloc
        assert f'<dd id="answer-verifier" translate="no">{host}</dd>' in shown.text
        [held] = set(re.findall(r'data-id="([0-9a-f]{32})"', learner.get("/wallet").text))
        assert _radios(shown.text, LDP) == {held: True, "": False}
        assert _radios(shown.text, JWT) == {} and _radios(shown.text, SD_JWT) == {}
        assert shown.text.count('class="answer-nothing"') == 2
        assert ("いずれか 1 つで足ります" if language == "ja" else "Any one of these is enough"
                ) in squash(Page(shown.text).text)
        assert _outcome(site, asked) is None, "reading the request sends nothing"
        sent = learner.post("/wallet/answer", {"request": asked.uri, "decision": "send",
                                               f"chosen-{LDP}": held})
        assert sent.status_code == 200, sent.text
        assert_accessible(Page(sent.text), language)
        assert 'id="answer-sent"' in sent.text and f'data-sent="{held}"' in sent.text
        assert host in sent.text
        assert _outcome(site, asked) == "verified"
        again = learner.post("/wallet/answer", {"request": asked.uri, "decision": "send",
                                                f"chosen-{LDP}": held})
        assert again.status_code == 422, "the verifier takes one answer"
        assert ("検証者が提示を受け付けませんでした" if language == "ja"
                else "The verifier refused the presentation") in squash(Page(again.text).text)
    finally:
        learner.close()


def test_a_credential_issued_here_is_offered_before_the_wallet_was_ever_opened(
        site: Site) -> None:
    """The request opened first thing: the credential issued to the learner on this platform
    is delivered to the wallet and offered."""
    asked = _ask(site)
    with httpx.Client(base_url=site.live.url, timeout=30, headers=HTML) as newcomer:
        # Signed in and straight to the request, as a link opens it (no other page first).
        assert sign_in(newcomer, NEWCOMER).status_code == 303
        shown = newcomer.get(f"/wallet/answer?request={quote(asked.uri, safe='')}")
        assert shown.status_code == 200
        [held] = set(re.findall(r'data-id="([0-9a-f]{32})"', newcomer.get("/wallet").text))
        assert _radios(shown.text, LDP) == {held: True, "": False}


def test_declining_sends_nothing(site: Site) -> None:
    """Decline: the page says nothing was sent, and the employer's request is still waiting
    (answerable afterwards)."""
    asked = _ask(site)
    learner = FormBrowser(site.live, LEARNER, "ja")
    try:
        [held] = set(re.findall(r'data-id="([0-9a-f]{32})"', learner.get("/wallet").text))
        declined = learner.post("/wallet/answer", {"request": asked.uri, "decision": "decline",
                                                   f"chosen-{LDP}": held})
        assert declined.status_code == 200, declined.text
        assert 'id="answer-declined"' in declined.text and "何も送っていません" in declined.text
        assert "data-sent=" not in declined.text
        assert _outcome(site, asked) is None
        sent = learner.post("/wallet/answer", {"request": asked.uri, "decision": "send",
                                               f"chosen-{LDP}": held})
        assert sent.status_code == 200 and _outcome(site, asked) == "verified"
    finally:
        learner.close()


@pytest.mark.parametrize(("language", "nothing", "mismatch"), [
    ("ja", "送る証明を選んでください", "選んだ証明は要求に合いません"),
    ("en", "Choose the credentials to send", "A chosen credential does not answer"),
])
def test_a_choice_that_does_not_answer_is_refused_in_place(
        site: Site, language: str, nothing: str, mismatch: str) -> None:
    """Nothing chosen, or a credential given for a query it does not match (the ldp_vc
    credential as the JWT one): refused beside the choices in the page's language (422), the
    request still shown; nothing reaches the verifier; a form without the session's token is
    refused (403)."""
    asked = _ask(site)
    learner = FormBrowser(site.live, LEARNER, language)
    try:
        [held] = set(re.findall(r'data-id="([0-9a-f]{32})"', learner.get("/wallet").text))
        empty = learner.post("/wallet/answer", {"request": asked.uri, "decision": "send",
                                                f"chosen-{LDP}": ""})
        assert empty.status_code == 422
        assert nothing in squash(Page(empty.text).text) and 'id="answer-error"' in empty.text
        assert _radios(empty.text, LDP) == {held: False, "": True}
        wrong = learner.post("/wallet/answer", {"request": asked.uri, "decision": "send",
                                                f"chosen-{JWT}": held})
        assert wrong.status_code == 422
        assert_accessible(Page(wrong.text), language)
        assert mismatch in squash(Page(wrong.text).text)
        forged = learner.http.post("/wallet/answer", data={
            "request": asked.uri, "decision": "send", f"chosen-{LDP}": held})
        assert forged.status_code == 403
        assert _outcome(site, asked) is None
    finally:
        learner.close()


def _sent_and_refused(live: LiveServer, language: str, uri: str) -> tuple[str, str]:
    """The learner sends their credential in answer to ``uri`` and the page refuses it in
    place (422): (the credential's id, the page)."""
    learner = FormBrowser(live, LEARNER, language)
    try:
        [held] = set(re.findall(r'data-id="([0-9a-f]{32})"', learner.get("/wallet").text))
        refused = learner.post("/wallet/answer", {"request": uri, "decision": "send",
                                                  f"chosen-{LDP}": held})
        assert refused.status_code == 422, refused.text
        return held, refused.text
    finally:
        learner.close()


@pytest.mark.parametrize(("language", "words"), [
    ("ja", "検証者に接続できませんでした"),
    ("en", "The verifier could not be reached"),
])
def test_a_verifier_that_cannot_be_reached_is_said_in_place(site: Site, language: str,
                                                            words: str) -> None:
    """A request whose response URI answers nobody (a port nothing listens on): the reason
    in the page's language beside the choices, which stay as chosen (422)."""
    asked = _ask(site)
    port = urlsplit(site.live.settings.public_url).port
    uri = asked.uri.replace(f"localhost%3A{port}", f"localhost%3A{free_port()}")
    assert uri != asked.uri
    held, refused = _sent_and_refused(site.live, language, uri)
    assert words in squash(Page(refused).text) and 'id="answer-error"' in refused
    assert _radios(refused, LDP) == {held: True, "": False}


@pytest.mark.parametrize(("language", "words"), [
    ("ja", "この提示要求には応答できません"),
    ("en", "This is not a presentation request credstack can answer"),
])
def test_a_garbage_request_is_refused_in_place(site: Site, language: str, words: str) -> None:
    """Something that is not a request: the reason in the page's language next to the paste
    form, with what was pasted."""
    learner = FormBrowser(site.live, LEARNER, language)
    try:
        refused = learner.get("/wallet/answer?request=not%20a%20request")
        assert refused.status_code == 422
        page = Page(refused.text)
        assert_accessible(page, language)
        assert words in squash(page.text) and 'id="answer-error"' in refused.text
        assert ">not a request</textarea>" in refused.text
        posted = learner.post("/wallet/answer", {"request": "not a request",
                                                 "decision": "send"})
        assert posted.status_code == 422 and words in squash(Page(posted.text).text)
    finally:
        learner.close()


#: Someone who issues the organisation's credentials: they may sign a request as it.
SIGNER = "signer@example.jp"


@pytest.fixture(scope="module")
def signing(site: Site) -> Site:
    """The site, with the organisation's issuer who signs requests as it."""
    add_user(site.live.settings, SIGNER, name="署名 担当", roles=[(SLUG, "issuer")])
    return site


def _ask_signed(site: Site, method: str = "get", *, encrypted: bool = False) -> Asked:
    """A request the organisation's issuer made, signed as the organisation (its answer to
    come encrypted, ``direct_post.jwt``, when ``encrypted``)."""
    employer = FormBrowser(site.live, SIGNER)
    try:
        form = employer.get("/verifier").text
        assert f'<option value="{SLUG}" translate="no">{SLUG}</option>' in form
        return _asked(employer, employer.post(
            "/verifier", label="Signed", signed_as=SLUG, request_uri_method=method,
            **({"encrypted": "1"} if encrypted else {})), signed=True)
    finally:
        employer.close()


@pytest.mark.parametrize(("language", "method", "encrypted"), [
    ("ja", "get", False), ("en", "post", False), ("en", "get", True)])
def test_a_signed_request_says_who_signed_it_and_is_answered(signing: Site, language: str,
                                                             method: str,
                                                             encrypted: bool) -> None:
    """A request signed as the organisation (by request_uri, GET or POST; its answer in the
    clear or encrypted): the wallet page names the DID that signed it instead of calling it
    unsigned; sent, the employer reads it verified; opened again, it is no longer on offer
    (422, in the page's language)."""
    asked = _ask_signed(signing, method, encrypted=encrypted)
    assert "request_uri=" in asked.uri and "decentralized_identifier" in asked.uri
    learner = FormBrowser(signing.live, LEARNER, language)
    try:
        shown = learner.get(asked.link)
        assert shown.status_code == 200, shown.text
        assert_accessible(Page(shown.text), language)
        [did] = re.findall(r'<code id="answer-signed-by" translate="no">(did:key:[^<]+)</code>',
                           shown.text)
        assert f"decentralized_identifier:{did}" in shown.text
        assert 'id="answer-signed"' in shown.text and 'id="answer-unsigned"' not in shown.text
        [held] = set(re.findall(r'data-id="([0-9a-f]{32})"', learner.get("/wallet").text))
        sent = learner.post("/wallet/answer", {"request": asked.uri, "decision": "send",
                                               f"chosen-{LDP}": held})
        assert sent.status_code == 200, sent.text
        assert 'id="answer-sent"' in sent.text and did in sent.text
        assert _outcome(signing, asked, asker=SIGNER) == "verified"
        again = learner.get(asked.link)
        assert again.status_code == 422
        assert ("検証者はこの要求をもう受け付けていません" if language == "ja"
                else "no longer offers this request") in squash(Page(again.text).text)
    finally:
        learner.close()


@pytest.mark.parametrize(("language", "words"), [
    ("ja", "要求の署名・署名者・宛先（aud）・有効期限のいずれかを確認できませんでした"),
    ("en", "is not signed by a key of did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK"),
])
def test_a_request_object_not_signed_by_the_named_did_is_refused(signing: Site,
                                                                 language: str,
                                                                 words: str) -> None:
    """The reference names another DID than the key that signs the request object (a
    verifier impersonated): refused in place (422), nothing sent, the request unanswered."""
    asked = _ask_signed(signing)
    other = "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK"
    fields = dict(parse_qsl(urlsplit(asked.uri).query))
    uri = "openid4vp://?" + urlencode({**fields, "client_id": f"decentralized_identifier:{other}"})
    _, refused = _sent_and_refused(signing.live, language, uri)
    assert words in squash(Page(refused).text) and 'id="answer-error"' in refused
    assert _outcome(signing, asked, asker=SIGNER) is None


@pytest.mark.browser
def test_the_pages_pass_axe_in_both_languages(site: Site, browser: Browser) -> None:
    """In Chromium, signed in as the learner: the receive page, the answer page empty, with a
    request, sent and declined — axe finds nothing serious or critical, in ja and en."""
    need_browser()
    tab = new_tab(browser, ignore_https_errors=True)
    try:
        tab.goto(f"{site.live.url}/sign-in?next=/wallet/answer")
        tab.locator("#email").fill(LEARNER)
        tab.locator("#password").fill(PASSWORD)
        tab.locator("form.sign-in-form button[type=submit]").click()
        tab.wait_for_url("**/wallet/answer")
        for language in ("ja", "en"):
            for path in ("/wallet/receive", "/wallet/answer"):
                tab.goto(f"{site.live.url}{path}?lang={language}")
                assert tab.locator("html").get_attribute("lang") == language
                assert axe_violations(tab) == [], (path, language)
            for decision in ("send", "decline"):
                asked = _ask(site)
                tab.locator("#answer-request").fill(asked.uri)
                tab.locator("form[action='/wallet/answer'][method=get] button").click()
                tab.wait_for_selector("#answer-verifier")
                assert axe_violations(tab) == [], (decision, language)
                shot(tab, f"wallet-answer-{language}")
                tab.locator(f"button[name=decision][value={decision}]").click()
                tab.wait_for_selector("#answer-sent" if decision == "send"
                                      else "#answer-declined")
                assert axe_violations(tab) == [], (decision, language)
                shot(tab, f"wallet-answer-{decision}-{language}")
                assert _outcome(site, asked) == ("verified" if decision == "send" else None)
                tab.goto(f"{site.live.url}/wallet/answer?lang={language}")
    finally:
        tab.context.close()
