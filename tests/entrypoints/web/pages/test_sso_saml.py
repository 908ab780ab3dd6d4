"""Signing in through an organisation's SAML 2.0 identity provider (issue 57), against a real
one: SimpleSAMLphp (Debian's package, PHP's built-in server on loopback, :mod:`tests.simplesamlphp`)
with GakuNin's attributes, its metadata signed with a "federation" key.

The organisation's administrator configures two providers over the API from the identity
provider's metadata URL: ``hokuto-saml`` (AuthnRequest by HTTP-Redirect; assertions signed
and encrypted) and ``hokuto-plain`` (AuthnRequest by HTTP-POST; assertions signed only). A
staff member becomes an issuer and a student a learner; an assertion tampered with, unsigned,
brought back twice, expired or made for the other service provider is refused with its named
reason and audited; metadata signed with another key is refused when configured.
"""

from __future__ import annotations

import base64
import dataclasses
import html
import re
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs, urlencode, urljoin, urlsplit

import httpx
import pytest

from credstack.adapters.keystore import new_master_key_text
from credstack.services.audit import service as audit
from credstack.settings import Settings
from tests.accounts import add_organisation, add_user, signed_in_client, store_session
from tests.conftest import LiveServer, ShiftedClock, free_port, operator_client, serve
from tests.simplesamlphp import PASSWORD, IdentityProvider, identity_provider, key_pair

if TYPE_CHECKING:
    from playwright.sync_api import Browser

ORG = "hokuto-uni"
SLUG = "hokuto-saml"
PLAIN = "hokuto-plain"
RULES = [{"attribute": "eduPersonAffiliation", "value": "staff", "role": "issuer"},
         {"attribute": "eduPersonAffiliation", "value": "student", "role": "learner"}]


@dataclass
class Campus:
    live: LiveServer
    idp: IdentityProvider
    clock: ShiftedClock


@pytest.fixture(scope="module")
def campus(module_settings: Settings, tmp_path_factory: pytest.TempPathFactory
           ) -> Iterator[Campus]:
    folder = tmp_path_factory.mktemp("simplesamlphp")
    with identity_provider(Path(folder), lifetime=60) as idp:
        port = free_port()
        settings = dataclasses.replace(module_settings, secret_key=new_master_key_text(),
                                       public_url=f"http://127.0.0.1:{port}")
        add_organisation(settings, ORG)
        add_user(settings, "admin@hokuto.example.jp", name="Admin",
                 roles=[(ORG, "provider-admin")])
        clock = ShiftedClock()
        with pytest.MonkeyPatch.context() as patch:
            patch.setenv("CREDSTACK_ALLOW_LOOPBACK_FETCH", "1")
            for live in serve(settings, port=port, clock=clock):
                yield Campus(live, idp, clock)


def _provider(campus: Campus, slug: str, binding: str, **changes: Any) -> httpx.Response:
    with signed_in_client(campus.live.url, "admin@hokuto.example.jp") as admin:
        return admin.post(f"/api/organisations/{ORG}/sso/saml-providers", json={
            "slug": slug, "name": "北斗大学 (Hokuto University)",
            "metadata_url": campus.idp.metadata_url,
            "federation_certificate": campus.idp.federation_cert, "binding": binding,
            "allowed_roles": ["issuer", "learner"], "rules": RULES, **changes})


@pytest.fixture(scope="module")
def configured(campus: Campus) -> Campus:
    """The administrator configured both providers; the identity provider trusts both."""
    for slug, binding in ((SLUG, "redirect"), (PLAIN, "post")):
        added = _provider(campus, slug, binding)
        assert added.status_code == 201, added.text
        assert added.json()["issuer"] == campus.idp.entity_id
    documents = {}
    for slug in (SLUG, PLAIN):
        published = httpx.get(f"{campus.live.url}/sso/saml/{slug}/metadata", timeout=60)
        assert published.status_code == 200
        assert published.headers["content-type"].startswith("application/samlmetadata+xml")
        documents[slug] = published.text
    campus.idp.trust(encrypted=[documents[SLUG]], plain=[documents[PLAIN]])
    return campus


def _form(page: httpx.Response) -> tuple[str, dict[str, str]]:
    """The action and hidden fields of the (auto-submitting) form of ``page``."""
    action = re.search(r'<form[^>]*action="([^"]+)"', page.text)
    assert action, page.text[:2000]
    fields = dict(re.findall(r'<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"', page.text))
    return (urljoin(str(page.url), html.unescape(action[1])),
            {k: html.unescape(v) for k, v in fields.items()})


def answer_of(campus: Campus, browser: httpx.Client, login: str, *, slug: str = SLUG,
              next_path: str = "/account") -> tuple[str, dict[str, str]]:
    """Start at credstack, sign in as ``login`` at the identity provider; the form it posts
    back to credstack's assertion consumer service (URL, fields), not yet sent."""
    answer = browser.get(f"{campus.live.url}/sso/{slug}/start", params={"next": next_path})
    for _ in range(12):
        if answer.status_code in (302, 303):
            answer = browser.get(urljoin(str(answer.url), answer.headers["location"]))
            continue
        assert answer.status_code == 200, answer.text[:2000]
        if 'name="password"' in answer.text:
            _, fields = _form(answer)
            answer = browser.post(str(answer.url).split("?")[0], data={
                **fields, "username": login, "password": PASSWORD})
            continue
        url, fields = _form(answer)
        if url.startswith(campus.live.url):
            return url, fields
        answer = browser.post(url, data=fields)
    raise AssertionError("too many steps")


def sign_in_through(campus: Campus, browser: httpx.Client, login: str, **options: Any
                    ) -> httpx.Response:
    url, fields = answer_of(campus, browser, login, **options)
    return browser.post(url, data=fields)


def entries(live: LiveServer, action: str) -> list[dict[str, Any]]:
    with store_session(live.settings) as session:
        return [dict(entry.details, about=entry.subject)
                for entry in audit.entries(session, limit=100_000) if entry.action == action]


def roles(campus: Campus, email: str) -> set[tuple[str, str]]:
    with operator_client(campus.live) as operator:
        people = operator.get("/api/users").json()
    [person] = [p for p in people if p["email"] == email]
    return {(m["organisation"], m["role"]) for m in person["memberships"]}


def _browser() -> httpx.Client:
    return httpx.Client(timeout=30, headers={"Accept-Language": "en"})


def test_our_metadata_is_published_with_our_keys_and_endpoints(configured: Campus) -> None:
    """The metadata names the entity id (its own URL), the assertion consumer service
    (HTTP-POST), single logout and a certificate for signing and encryption."""
    text = httpx.get(f"{configured.live.url}/sso/saml/{SLUG}/metadata").text
    assert f'entityID="{configured.live.url}/sso/saml/{SLUG}/metadata"' in text
    assert f'Location="{configured.live.url}/sso/saml/acs"' in text
    assert f'Location="{configured.live.url}/sso/saml/{SLUG}/slo"' in text
    assert 'AuthnRequestsSigned="true"' in text and 'WantAssertionsSigned="true"' in text
    assert 'use="encryption"' in text and 'use="signing"' in text
    assert "PRIVATE KEY" not in text
    assert httpx.get(f"{configured.live.url}/sso/saml/no-such/metadata").status_code == 404


def test_a_staff_member_signs_in_and_becomes_an_issuer(configured: Campus) -> None:
    """A signed, encrypted assertion makes the account (its jaDisplayName and mail), signs it
    in, and the rules make a staff member an issuer."""
    with _browser() as browser:
        answer = sign_in_through(configured, browser, "staff1")
        assert answer.status_code == 303, answer.text
        assert answer.headers["location"] == "/account"
        page = browser.get(f"{configured.live.url}/account")
        assert page.status_code == 200
        assert "staff1@hokuto.ac.jp" in page.text and "佐藤 花子" in page.text
    assert roles(configured, "staff1@hokuto.ac.jp") == {(ORG, "issuer")}
    [signed] = [e for e in entries(configured.live, "sso.sign_in")
                if e["subject"] == "pairwise-id:s1@hokuto.ac.jp"]
    assert signed["provider"] == SLUG and signed["issuer"] == configured.idp.entity_id


def test_the_path_to_return_to_survives_the_identity_providers_cross_site_post(
        configured: Campus) -> None:
    """The ``next`` cookie is HttpOnly, ``SameSite=Lax`` and for ``/sso/`` only; a browser
    does not send it with the identity provider's POST from another site, so the signed-in
    browser goes on to ``/sso/saml/continue`` (a top-level GET, which carries it) and from
    there to the path kept, the cookie then cleared; without a cookie at all, home."""
    with _browser() as browser:
        started = browser.get(f"{configured.live.url}/sso/{SLUG}/start",
                              params={"next": "/wallet?tab=all"})
        assert started.status_code == 303
        [kept] = [h for h in started.headers.get_list("set-cookie")
                  if h.startswith("credstack-sso-next=")]
        attributes = {part.strip().lower() for part in kept.split(";")}
        assert {"httponly", "samesite=lax", "path=/sso/"} <= attributes
        url, fields = answer_of(configured, browser, "staff1", next_path="/wallet?tab=all")
        # What a browser sends with a POST from another site: no SameSite=Lax cookie.
        cookie = browser.cookies.get("credstack-sso-next")
        assert cookie is not None
        browser.cookies.delete("credstack-sso-next")
        answer = browser.post(url, data=fields)
        assert answer.status_code == 303, answer.text[:2000]
        assert answer.headers["location"] == "/sso/saml/continue"
        assert not any(h.startswith("credstack-sso-next=")
                       for h in answer.headers.get_list("set-cookie"))
        # The top-level GET that follows carries it again.
        browser.cookies.set("credstack-sso-next", cookie, path="/sso/")
        onward = browser.get(f"{configured.live.url}/sso/saml/continue")
        assert onward.status_code == 303
        assert onward.headers["location"] == "/wallet?tab=all"
        assert any(h.startswith("credstack-sso-next=") and "max-age=0" in h.lower()
                   for h in onward.headers.get_list("set-cookie"))
        assert browser.get(f"{configured.live.url}/account").status_code == 200
    with _browser() as stranger:
        assert stranger.get(f"{configured.live.url}/sso/saml/continue"
                            ).headers["location"] == "/home"


def test_a_student_signs_in_by_the_post_binding_and_becomes_a_learner(configured: Campus
                                                                      ) -> None:
    """The AuthnRequest goes by HTTP-POST (a signed XML request); a student becomes a
    learner."""
    with _browser() as browser:
        first = browser.get(f"{configured.live.url}/sso/{PLAIN}/start")
        assert first.status_code == 200 and "SAMLRequest" in first.text
        url, _ = _form(first)
        assert url.startswith(configured.idp.url)
        assert "form-action 'self' " + configured.idp.url in \
            first.headers["content-security-policy"]
        answer = sign_in_through(configured, browser, "student1", slug=PLAIN)
        assert answer.status_code == 303, answer.text
    assert roles(configured, "student1@hokuto.ac.jp") == {(ORG, "learner")}


def _refused(configured: Campus, reason: str, send: Any) -> None:
    before = len(entries(configured.live, "sso.sign_in.refused"))
    with _browser() as browser:
        answer = send(browser)
        assert answer.status_code == 401, answer.text
        assert f'data-reason="{reason}"' in answer.text
        assert not browser.cookies.get("credstack_session")
    refused = entries(configured.live, "sso.sign_in.refused")[before:]
    assert [e["reason"] for e in refused] == [reason]


def _decoded(fields: dict[str, str]) -> str:
    return base64.b64decode(fields["SAMLResponse"]).decode("utf-8")


def _encoded(fields: dict[str, str], xml: str) -> dict[str, str]:
    return {**fields, "SAMLResponse": base64.b64encode(xml.encode("utf-8")).decode("ascii")}


def test_a_tampered_assertion_is_refused(configured: Campus) -> None:
    """A student's signed assertion edited to say staff: its signature no longer verifies."""
    def send(browser: httpx.Client) -> httpx.Response:
        url, fields = answer_of(configured, browser, "student2", slug=PLAIN)
        xml = _decoded(fields)
        assert ">student<" in xml
        return browser.post(url, data=_encoded(fields, xml.replace(">student<", ">staff<")))
    _refused(configured, "tampered", send)


def test_an_unsigned_assertion_is_refused(configured: Campus) -> None:
    """The same answer with its signature taken out."""
    def send(browser: httpx.Client) -> httpx.Response:
        url, fields = answer_of(configured, browser, "student2", slug=PLAIN)
        xml = re.sub(r"<ds:Signature.*?</ds:Signature>", "", _decoded(fields), flags=re.S)
        return browser.post(url, data=_encoded(fields, xml))
    _refused(configured, "unsigned", send)


def test_an_answer_brought_back_twice_is_refused(configured: Campus) -> None:
    """The identity provider's answer posted again after it signed someone in."""
    def send(browser: httpx.Client) -> httpx.Response:
        url, fields = answer_of(configured, browser, "staff2")
        assert browser.post(url, data=fields).status_code == 303
        browser.cookies.clear()
        return browser.post(url, data=fields)
    _refused(configured, "replayed", send)


def test_an_expired_assertion_is_refused(configured: Campus) -> None:
    """An answer brought to credstack after the assertion's end (credstack's clock moved on
    three minutes; the identity provider's assertions live one)."""
    def send(browser: httpx.Client) -> httpx.Response:
        url, fields = answer_of(configured, browser, "staff2")
        configured.clock.offset = dataclasses.replace(configured.clock).offset + \
            __import__("datetime").timedelta(minutes=3)
        try:
            return browser.post(url, data=fields)
        finally:
            configured.clock.offset = __import__("datetime").timedelta(0)
    _refused(configured, "expired", send)


def test_an_assertion_for_another_service_provider_is_refused(configured: Campus) -> None:
    """An answer made for ``hokuto-plain`` brought back as the answer of a sign-in begun at
    ``hokuto-saml``: its audience is not that service provider."""
    def send(browser: httpx.Client) -> httpx.Response:
        url, fields = answer_of(configured, browser, "student2", slug=PLAIN)
        begun = browser.get(f"{configured.live.url}/sso/{SLUG}/start")
        relay = parse_qs(urlsplit(begun.headers["location"]).query)["RelayState"][0]
        assert len(relay.encode()) <= 80  # SAML Bindings §3.4.3
        return browser.post(url, data={**fields, "RelayState": relay})
    _refused(configured, "audience", send)


def test_metadata_signed_with_another_key_is_refused(configured: Campus) -> None:
    """The identity provider's metadata does not verify with a certificate that is not the
    federation's: the provider is not configured."""
    _, other = key_pair("not the federation")
    refused = _provider(configured, "hokuto-other", "redirect", federation_certificate=other)
    assert refused.status_code == 422, refused.text
    assert "signature" in refused.text
    with signed_in_client(configured.live.url, "admin@hokuto.example.jp") as admin:
        listed = admin.get(f"/api/organisations/{ORG}/sso/providers").json()
    assert "hokuto-other" not in [p["slug"] for p in listed]


def test_single_logout_at_the_identity_provider_ends_the_credstack_session(configured: Campus
                                                                           ) -> None:
    """The identity provider's logout (begun there) sends its signed LogoutRequest through
    the browser: an unsigned copy is refused and ends nothing; the signed one ends the session
    its sign-in made (the cookie's token no longer works anywhere), audited, and the browser
    goes back with our LogoutResponse, which the identity provider accepts."""
    live, idp = configured.live, configured.idp
    with _browser() as browser:
        assert sign_in_through(configured, browser, "staff2").status_code == 303
        token = browser.cookies.get("credstack_session")
        assert token and browser.get(f"{live.url}/account").status_code == 200
        answer = browser.get(f"{idp.url}/saml2/idp/SingleLogoutService.php",
                             params={"ReturnTo": idp.metadata_url})
        seen_ours = False
        for _ in range(12):
            if answer.status_code not in (302, 303):
                break
            target = urljoin(str(answer.url), answer.headers["location"])
            if target.startswith(f"{live.url}/sso/saml/{SLUG}/slo"):
                seen_ours = True
                query = parse_qs(urlsplit(target).query)
                assert "Signature" in query and "SAMLRequest" in query
                unsigned = browser.get(target.split("?")[0], params={
                    "SAMLRequest": query["SAMLRequest"][0]})
                assert unsigned.status_code == 400
                assert 'data-reason="unsigned"' in unsigned.text
                with httpx.Client(cookies={"credstack_session": token}) as still:
                    assert still.get(f"{live.url}/account").status_code == 200
            answer = browser.get(target)
        assert seen_ours
        assert answer.status_code == 200 and "EntityDescriptor" in answer.text
    with httpx.Client(cookies={"credstack_session": token}) as after:
        assert after.get(f"{live.url}/account").status_code in (302, 303)
    assert any(e["provider"] == SLUG for e in entries(live, "sso.logout"))
    assert [e["reason"] for e in entries(live, "sso.logout.refused")
            if e["message"] == "LogoutRequest"] == ["unsigned"]


def _asks_for_password(configured: Campus, browser: httpx.Client) -> bool:
    """Whether a sign-in begun now stops at the identity provider's password form (False:
    its session still signs the browser in and the answer comes back at once)."""
    answer = browser.get(f"{configured.live.url}/sso/{SLUG}/start")
    for _ in range(12):
        if answer.status_code not in (302, 303):
            break
        answer = browser.get(urljoin(str(answer.url), answer.headers["location"]))
    return 'name="password"' in answer.text


def test_signing_out_here_ends_the_session_at_the_identity_provider_too(configured: Campus
                                                                       ) -> None:
    """A person signed in through SAML signs out of credstack: the session here ends at once,
    the browser carries our signed LogoutRequest (HTTP-Redirect, their NameID and
    SessionIndex) to the identity provider, which ends its session and answers with its signed
    LogoutResponse; checked, the browser goes home. Signing in again asks for the password.
    The answer tampered with, or brought back again, is refused by name; all audited."""
    live, idp = configured.live, configured.idp
    before = len(_logout_refusals(live, SLUG))
    with _browser() as browser:
        assert sign_in_through(configured, browser, "staff1").status_code == 303
        assert not _asks_for_password(configured, browser)
        token = browser.cookies.get("credstack_session")
        csrf = re.search(r'name="csrf_token" value="([^"]+)"',
                         browser.get(f"{live.url}/account").text)
        assert token and csrf
        left = browser.post(f"{live.url}/sign-out", data={"csrf_token": csrf[1]})
        sent = _on_to_provider(left)
        assert sent.startswith(f"{idp.url}/saml2/idp/SingleLogoutService.php?")
        assert {"SAMLRequest", "RelayState", "SigAlg", "Signature"} <= set(
            parse_qs(urlsplit(sent).query))
        with httpx.Client(cookies={"credstack_session": token}) as after:
            assert after.get(f"{live.url}/account").status_code in (302, 303)
        answer, back = browser.get(sent), ""
        for _ in range(12):
            if answer.status_code not in (302, 303):
                break
            target = urljoin(str(answer.url), answer.headers["location"])
            if target.startswith(f"{live.url}/sso/saml/{SLUG}/slo?"):
                back = target
            answer = browser.get(target)
        assert "SAMLResponse" in back, answer.text[:2000]
        assert str(answer.url) == f"{live.url}/" and answer.status_code == 200
        query = parse_qs(urlsplit(back).query)
        back_request = _in_response_to(query["SAMLResponse"][0])
        tampered = browser.get(back.split("?")[0], params={
            **{k: v[0] for k, v in query.items()}, "Signature": query["Signature"][0][::-1]})
        assert tampered.status_code == 400 and 'data-reason="tampered"' in tampered.text
        again = browser.get(back)
        assert again.status_code == 400 and 'data-reason="replayed"' in again.text
        assert _asks_for_password(configured, browser)
    requested = [e for e in entries(live, "sso.logout.requested")
                 if e["provider"] == SLUG and e["request"] in back_request]
    assert len(requested) == 1 and requested[0]["session_index"]
    assert [e["request"] for e in entries(live, "sso.logout.completed")
            if e["request"] == requested[0]["request"]] == [requested[0]["request"]]
    assert _logout_refusals(live, SLUG)[before:] == ["tampered", "replayed"]


def _on_to_provider(left: httpx.Response) -> str:
    """The address our sign-out's page moves the browser on to (its refresh and its link,
    the same): a page, not a redirect, since a page's form-action 'self' forbids a form
    post's redirect to another site."""
    assert left.status_code == 200, left.text[:2000]
    refresh = re.search(r'<meta http-equiv="refresh" content="0; url=([^"]+)">', left.text)
    link = re.search(r'id="sso-leaving-continue" href="([^"]+)"', left.text)
    assert refresh and link and refresh[1] == link[1], left.text[:2000]
    return html.unescape(link[1])


def _logout_refusals(live: LiveServer, slug: str) -> list[str]:
    """The reasons LogoutResponses to provider ``slug`` were refused, in order."""
    return [e["reason"] for e in entries(live, "sso.logout.refused")
            if e["message"] == "LogoutResponse" and e["about"] == f"sso:{slug}"]


def _in_response_to(encoded: str) -> str:
    """The InResponseTo of a LogoutResponse sent by HTTP-Redirect (deflated, base64)."""
    xml = zlib.decompress(base64.b64decode(encoded), -15).decode("utf-8")
    found = re.search(r'InResponseTo="([^"]+)"', xml)
    assert found, xml
    return found[1]


def _without_signature(xml: str) -> str:
    return re.sub(r"<ds:Signature[ >].*?</ds:Signature>", "", xml, count=1, flags=re.S)


def test_the_identity_providers_logout_response_by_http_post_is_accepted_too(
        configured: Campus) -> None:
    """SimpleSAMLphp answers the plain service provider's single logout by HTTP-POST (its
    metadata there names only that binding): its page posts the signed LogoutResponse back,
    and it is checked as one by HTTP-Redirect is (the XML's signature instead of the
    query's). Its message changed, or its signature taken away, is refused by name and ends
    nothing more; the signed one is accepted once, then refused as replayed."""
    live = configured.live
    with _browser() as browser:
        assert sign_in_through(configured, browser, "student1", slug=PLAIN).status_code == 303
        csrf = re.search(r'name="csrf_token" value="([^"]+)"',
                         browser.get(f"{live.url}/account").text)
        assert csrf
        answer = browser.get(_on_to_provider(
            browser.post(f"{live.url}/sign-out", data={"csrf_token": csrf[1]})))
        for _ in range(12):
            if answer.status_code not in (302, 303):
                break
            answer = browser.get(urljoin(str(answer.url), answer.headers["location"]))
        url, fields = _form(answer)
        assert url == f"{live.url}/sso/saml/{PLAIN}/slo" and "SAMLResponse" in fields
        xml = _decoded(fields)
        assert "<ds:Signature" in xml and "urn:oasis:names:tc:SAML:2.0:status:Success" in xml
        tampered = browser.post(url, data=_encoded(fields, xml.replace(
            "status:Success", "status:Requester", 1)))
        assert tampered.status_code == 400 and 'data-reason="tampered"' in tampered.text
        unsigned = browser.post(url, data=_encoded(fields, _without_signature(xml)))
        assert unsigned.status_code == 400 and 'data-reason="unsigned"' in unsigned.text
        accepted = browser.post(url, data=fields)
        assert accepted.status_code == 303 and accepted.headers["location"] == "/"
        again = browser.post(url, data=fields)
        assert again.status_code == 400 and 'data-reason="replayed"' in again.text
    [requested] = [e for e in entries(live, "sso.logout.requested")
                   if e["provider"] == PLAIN]
    assert [e["request"] for e in entries(live, "sso.logout.completed")
            if e["provider"] == PLAIN] == [requested["request"]]
    assert [e["reason"] for e in entries(live, "sso.logout.refused")
            if e["message"] == "LogoutResponse" and e["about"] == f"sso:{PLAIN}"] == \
        ["tampered", "unsigned", "replayed"]


@pytest.mark.browser
@pytest.mark.parametrize(("login", "role", "name"), [("staff3", "issuer", "加藤 愛子"),
                                                      ("student3", "learner", "山田 蒼太")])
def test_in_chromium_the_campus_sign_in_makes_staff_issuers_and_students_learners(
        browser: Browser, configured: Campus, login: str, role: str, name: str) -> None:
    """From credstack's sign-in page to the identity provider's login form and back (its
    answer posted by its own page's script): signed in, named by jaDisplayName, given the
    role the rules give."""
    from tests.entrypoints.web.pages.conftest import new_tab

    tab = new_tab(browser, locale="ja-JP")
    try:
        tab.goto(f"{configured.live.url}/sign-in?next=/account")
        tab.locator(f'#campus-sign-in a[href^="/sso/{SLUG}/start"]').click()
        tab.wait_for_url(f"{configured.idp.url}/**")
        tab.locator('input[name="username"]').fill(login)
        tab.locator('input[name="password"]').fill(PASSWORD)
        tab.locator('input[name="password"]').press("Enter")
        tab.wait_for_url(f"{configured.live.url}/account")
        assert name in tab.content() and f"{login}@hokuto.ac.jp" in tab.content()
    finally:
        tab.context.close()
    assert roles(configured, f"{login}@hokuto.ac.jp") == {(ORG, role)}


@pytest.mark.browser
def test_in_chromium_a_sign_out_the_provider_does_not_confirm_says_credstack_only(
        browser: Browser, configured: Campus) -> None:
    """A staff member signed in through the identity provider signs out; the provider's
    LogoutResponse comes back changed (its signature no longer holds): the page says that
    only credstack's session ended, in ja and en, at 1280 and 390 px; axe finds nothing
    serious or critical and it fits the screen."""
    from tests.entrypoints.web.pages.conftest import (
        assert_accessible_and_fitting,
        new_tab,
        phone_tab,
    )

    live = configured.live
    before = len(_logout_refusals(live, SLUG))
    with _browser() as client:
        assert sign_in_through(configured, client, "staff2").status_code == 303
        csrf = re.search(r'name="csrf_token" value="([^"]+)"',
                         client.get(f"{live.url}/account").text)
        assert csrf
        answer = client.get(_on_to_provider(
            client.post(f"{live.url}/sign-out", data={"csrf_token": csrf[1]})))
        while answer.status_code in (302, 303):
            target = urljoin(str(answer.url), answer.headers["location"])
            if target.startswith(f"{live.url}/sso/saml/{SLUG}/slo?"):
                break
            answer = client.get(target)
    parts = urlsplit(target)
    query = {k: v[0] for k, v in parse_qs(parts.query).items()}
    changed = f"{live.url}{parts.path}?" + urlencode(
        {**query, "Signature": query["Signature"][::-1]})
    for tab, name, heading in (
            (new_tab(browser), "sso-signed-out-here-only-desktop-ja",
             "credstack からのみサインアウトしました"),
            (new_tab(browser, locale="en-GB"), "sso-signed-out-here-only-desktop-en",
             "Signed out of credstack only"),
            (phone_tab(browser), "sso-signed-out-here-only-phone-ja",
             "credstack からのみサインアウトしました"),
            (new_tab(browser, locale="en-GB", width=390, height=844, device_scale_factor=2,
                     is_mobile=True, has_touch=True), "sso-signed-out-here-only-phone-en",
             "Signed out of credstack only")):
        try:
            shown = tab.goto(changed)
            assert shown is not None and shown.status == 400
            assert tab.locator("h1").inner_text() == heading
            assert tab.locator("code[data-reason]").inner_text() == "tampered"
            assert_accessible_and_fitting(tab, name)
        finally:
            tab.context.close()
    assert _logout_refusals(live, SLUG)[before:] == ["tampered"] * 4


@pytest.mark.browser
def test_in_chromium_a_single_logout_answered_by_http_post_lands_home(
        browser: Browser, configured: Campus) -> None:
    """A student signed in through the provider whose single logout answers by HTTP-POST
    signs out from a page of credstack (the registry's list): the browser goes to the identity
    provider, whose page posts the signed LogoutResponse back (its own script), and lands on
    the home page signed out, not on the page it was on; the address bar shows no SAML
    message, and going back does not sign anyone in."""
    from tests.entrypoints.web.pages.conftest import new_tab

    live = configured.live
    tab = new_tab(browser, locale="en-GB")
    try:
        tab.goto(f"{live.url}/sign-in?next=/programmes")
        tab.locator(f'#campus-sign-in a[href^="/sso/{PLAIN}/start"]').click()
        tab.wait_for_url(f"{configured.idp.url}/**")
        tab.locator('input[name="username"]').fill("student2")
        tab.locator('input[name="password"]').fill(PASSWORD)
        tab.locator('input[name="password"]').press("Enter")
        tab.wait_for_url(f"{live.url}/programmes")
        posted: list[str] = []
        tab.on("request", lambda r: posted.append(r.url)
               if r.method == "POST" and "/slo" in r.url else None)
        tab.locator(".account-nav__sign-out button").first.click()
        tab.wait_for_url(f"{live.url}/", timeout=30_000)
        assert posted == [f"{live.url}/sso/saml/{PLAIN}/slo"], posted
        assert tab.locator(".account-nav__sign-out").count() == 0
        assert tab.locator('a[href="/sign-in"]').count() >= 1
        assert not [c for c in tab.context.cookies() if c["name"] == "credstack_session"]
    finally:
        tab.context.close()
