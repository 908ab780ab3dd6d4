"""The workspace of an organisation's people over real HTTP: its home and navigation, members
and invitations (made, renewed, accepted by a signed-in user or with a new account), API
clients, issuer keys, the certificate authority and the profile, in Japanese and English;
every form posted as a browser without JavaScript posts it (the CSRF token as a field), sent
twice where that could double something, and refused beside its form when it must be.

One server on SQLite for the module: hokuto-tech (with its key and a published programme)
run by two administrators and an issuer, solo-univ run by one administrator alone, and
other-univ's administrator, an outsider to both.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Iterator

import httpx
import pytest

from credstack.adapters.keystore import new_master_key_text
from credstack.core.access.actors import Operator
from credstack.core.organisations import Organisation
from credstack.entrypoints.bootstrap import open_runtime
from credstack.services.audit import service as audit
from credstack.services.organisations import service as organisations
from credstack.settings import Settings
from tests import patiently
from tests.accounts import (
    PASSWORD,
    add_user,
    bearer_token,
    provider_store,
    store_session,
)
from tests.conftest import LiveServer, serve
from tests.core.images.test_logos import SVG, raster
from tests.entrypoints.web.pages.forms import FormBrowser as Browser
from tests.entrypoints.web.pages.test_programmes import HTML, Page, assert_accessible, squash

ORG = "hokuto-tech"
SOLO = "solo-univ"
ADMIN = "admin@hokuto.example.jp"
DEPUTY = "deputy@hokuto.example.jp"
ISSUER = "issuer@hokuto.example.jp"
LONE = "lone@solo.example.jp"
OUTSIDER = "outsider@other.example.jp"
#: A learner who belongs to no organisation.
NOBODYS = "nobody@example.jp"
INVITATION = re.compile(r'value="(http://[^"]+/invitations/([^"]+))"')


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    folder = tmp_path_factory.mktemp("workspace-pages")
    secret = new_master_key_text()
    settings = dataclasses.replace(Settings.from_env(data_dir=folder / "data", database_url=""),
                                   secret_key=secret)
    provider_store(settings, secret=secret, now=dt.datetime.now(dt.UTC))
    add_user(settings, ADMIN, name="Admin Aoki", roles=[(ORG, "provider-admin")])
    add_user(settings, DEPUTY, name="Deputy Doi", roles=[(ORG, "provider-admin")])
    add_user(settings, ISSUER, name="Issuer Ito", roles=[(ORG, "issuer")])
    add_user(settings, LONE, name="Lone Lee", roles=[(SOLO, "provider-admin")])
    add_user(settings, OUTSIDER, name="Outsider Oda", roles=[("other-univ", "provider-admin")])
    add_user(settings, NOBODYS, name="Nobody Noda")
    yield from serve(settings)


@pytest.fixture
def admin(live: LiveServer) -> Iterator[Browser]:
    browser = Browser(live, ADMIN)
    yield browser
    browser.close()


def done(response: httpx.Response) -> str:
    assert response.status_code == 303, response.text
    return response.headers["location"]


def refusal(response: httpx.Response, id: str) -> str:
    return squash(Page(response.text).one("div", id=id).text)


def audit_actions(live: LiveServer) -> list[str]:
    with store_session(live.settings) as session:
        return [entry.action for entry in audit.entries(session, limit=100_000)]


def invite(browser: Browser, email: str, role: str, slug: str = ORG) -> tuple[str, str]:
    """Invite ``email``; the link shown and its token."""
    response = browser.post(f"/workspace/{slug}/members/invitations", email=email, role=role)
    assert response.status_code == 200, response.text
    found = INVITATION.search(response.text)
    assert found is not None, response.text
    return found.group(1), found.group(2)


# --- who may open what -------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/workspace", f"/workspace/{ORG}",
                                  f"/workspace/{ORG}/members", f"/workspace/{ORG}/clients",
                                  f"/workspace/{ORG}/keys", f"/workspace/{ORG}/authority",
                                  f"/workspace/{ORG}/profile"])
def test_visitors_who_are_not_signed_in_are_sent_to_sign_in_and_back(live: LiveServer,
                                                                    path: str) -> None:
    with patiently.client(base_url=live.url, headers=HTML) as anonymous:
        response = anonymous.get(path)
    assert response.status_code == 303
    assert response.headers["location"] == f"/sign-in?next={path}"


@pytest.mark.parametrize("language", ["ja", "en"])
def test_the_workspace_lists_ones_organisations_with_ones_roles(live: LiveServer,
                                                                language: str) -> None:
    browser = Browser(live, ADMIN, language)
    try:
        page = browser.page("/workspace")
        assert_accessible(page, language)
        assert "北都工科大学" in page.text if language == "ja" else \
            "Hokuto Institute of Technology" in page.text
        # The list after "Your roles:" begins with a capital (issue 51, small).
        assert ("あなたの役割：組織管理者" if language == "ja" else "Your roles: Provider admin") \
            in squash(page.text)
        home = squash(browser.page(f"/workspace/{ORG}").one("p", class_="lead").text)
        assert home == ("あなたの役割：組織管理者" if language == "ja"
                        else "Your roles: Provider admin")
        assert page.all("a", href=f"/workspace/{ORG}")
        assert not page.all("a", href=f"/workspace/{SOLO}")
    finally:
        browser.close()


def test_the_home_offers_each_person_what_their_roles_allow(live: LiveServer,
                                                            admin: Browser) -> None:
    home = admin.page(f"/workspace/{ORG}")
    assert_accessible(home, "en")
    # The workspace's own navigation (the header's menu, data-place, names some too).
    nav = [a.attrs["href"] for a in home.all("a") if not a.attrs.get("data-place") and (
        a.attrs["href"].startswith(f"/workspace/{ORG}/") or a.attrs["href"] == "/jobs")]
    assert nav[:15] == [f"/workspace/{ORG}/{name}" for name in (
        "programmes", "issue", "credentials", "activity", "mail", "members", "clients", "keys",
        "authority", "profile", "lti", "sso", "records", "requests")] + ["/jobs"]
    issuer = Browser(live, ISSUER)
    try:
        page = issuer.page(f"/workspace/{ORG}")
        links = {a.attrs["href"] for a in page.all("a")}
        assert f"/workspace/{ORG}/issue" in links and "/jobs" in links
        assert f"/workspace/{ORG}/members" not in links
        assert f"/workspace/{ORG}/keys" not in links
        for part in ("members", "clients", "keys", "authority", "profile", "sso"):
            assert issuer.get(f"/workspace/{ORG}/{part}").status_code == 403, part
    finally:
        issuer.close()


def test_only_people_with_a_workspace_are_offered_the_link(live: LiveServer,
                                                          admin: Browser) -> None:
    """A learner of no organisation has no "Workspace" in the menu (it would be empty); a
    member of one has."""
    def menu(browser: Browser) -> str:
        source = browser.page("/wallet").source
        start = source.index('<nav class="account-nav"')
        return source[start:source.index("</nav>", start)]

    learner = Browser(live, NOBODYS)
    try:
        assert 'href="/wallet"' in menu(learner) and 'href="/workspace' not in menu(learner)
    finally:
        learner.close()
    assert f'href="/workspace/{ORG}' in menu(admin)


def test_an_outsider_is_refused_and_the_refusal_recorded(live: LiveServer) -> None:
    outsider = Browser(live, OUTSIDER)
    try:
        before = audit_actions(live).count("access.denied")
        for path in (f"/workspace/{ORG}", f"/workspace/{ORG}/members"):
            assert outsider.get(path).status_code == 403, path
        refused = outsider.post(f"/workspace/{ORG}/members/invitations",
                                email="x@example.jp", role="issuer")
        assert refused.status_code == 403
        assert audit_actions(live).count("access.denied") == before + 3
    finally:
        outsider.close()


def test_every_form_needs_the_sessions_csrf_token(live: LiveServer, admin: Browser) -> None:
    for path, fields in [(f"/workspace/{ORG}/members/invitations",
                          {"email": "csrf@example.jp", "role": "issuer"}),
                         (f"/workspace/{ORG}/members/remove", {"email": ISSUER}),
                         (f"/workspace/{ORG}/clients", {"name": "x", "owner": ADMIN,
                                                        "scope": "credentials:issue"}),
                         (f"/workspace/{ORG}/keys/rotate", {"type": "Ed25519",
                                                            "replacing": "key-1"}),
                         (f"/workspace/{ORG}/authority", {"years": "1"}),
                         (f"/workspace/{ORG}/profile", {"name_en": "Forged"})]:
        assert admin.http.post(path, data=fields).status_code == 403, path
        assert admin.http.post(path, data={"csrf_token": "forged", **fields}
                               ).status_code == 403, path
    assert "csrf@example.jp" not in admin.get(f"/workspace/{ORG}/members").text


# --- members and invitations -------------------------------------------------------------


def test_an_invitation_sent_twice_is_one_invitation_whose_last_link_works(
        live: LiveServer, admin: Browser) -> None:
    first, first_token = invite(admin, "twice@example.jp", "issuer")
    second, second_token = invite(admin, "twice@example.jp", "learner")
    assert first != second
    members = admin.page(f"/workspace/{ORG}/members")
    assert_accessible(members, "en")
    pending = [li for li in members.all("li") if "twice@example.jp" in li.text]
    assert len(pending) == 1 and "learner" in pending[0].text
    with patiently.client(base_url=live.url, headers={**HTML, "Accept-Language": "en"}) as visitor:
        assert visitor.get(f"/invitations/{first_token}").status_code == 404
        page = visitor.get(f"/invitations/{second_token}")
        assert page.status_code == 200
        assert "learner" in squash(Page(page.text).text)
    assert audit_actions(live).count("invitation.renewed") >= 1


def test_a_new_person_makes_their_account_from_the_link_and_joins(live: LiveServer,
                                                                  admin: Browser) -> None:
    _, token = invite(admin, "newcomer@example.jp", "issuer")
    with patiently.client(base_url=live.url, headers={**HTML, "Accept-Language": "ja"}) as visitor:
        form = visitor.get(f"/invitations/{token}")
        assert form.status_code == 200
        page = Page(form.text)
        assert_accessible(page, "ja")
        assert "発行担当者" in page.text and "newcomer@example.jp" in page.text
        nonce = re.search(r'name="nonce" value="([^"]+)"', form.text)
        assert nonce is not None
        mismatch = visitor.post(f"/invitations/{token}/join", data={
            "nonce": nonce.group(1), "display_name": "New Comer", "password": PASSWORD,
            "password_again": PASSWORD + "x"})
        assert mismatch.status_code == 422
        assert "一致しません" in refusal(mismatch, "invitation-error")
        forged = visitor.post(f"/invitations/{token}/join", data={
            "nonce": "forged", "display_name": "New Comer", "password": PASSWORD,
            "password_again": PASSWORD})
        assert forged.status_code == 403
        # Each answer is the form again, with a nonce of its own (as a browser would post).
        nonce = re.search(r'name="nonce" value="([^"]+)"', forged.text)
        assert nonce is not None
        joined = visitor.post(f"/invitations/{token}/join", data={
            "nonce": nonce.group(1), "display_name": "New Comer", "password": PASSWORD,
            "password_again": PASSWORD})
        assert done(joined) == f"/workspace/{ORG}"
        home = visitor.get(f"/workspace/{ORG}")
        assert home.status_code == 200 and "発行担当者" in home.text
        again = visitor.get(f"/invitations/{token}")
        assert again.status_code == 200, "the one who accepted it sees it accepted"
    with patiently.client(base_url=live.url, headers=HTML) as stranger:
        assert stranger.get(f"/invitations/{token}").status_code == 404
    members = admin.page(f"/workspace/{ORG}/members")
    row = members.one("tr", **{"data-email": "newcomer@example.jp"})
    assert "New Comer" in row.text
    assert "invitation.accepted" in audit_actions(live)


def test_a_signed_in_person_accepts_once_and_someone_else_cannot(live: LiveServer,
                                                                  admin: Browser) -> None:
    add_user(live.settings, "existing@example.jp", name="Existing Endo")
    _, token = invite(admin, "existing@example.jp", "issuer")
    outsider = Browser(live, OUTSIDER)
    existing = Browser(live, "existing@example.jp")
    try:
        page = outsider.page(f"/invitations/{token}")
        assert "Sign out" in page.text and not page.all("form", action=f"/invitations/{token}"
                                                                       "/accept")
        assert outsider.post(f"/invitations/{token}/accept").status_code == 403
        with patiently.client(base_url=live.url, headers=HTML) as visitor:
            offer = Page(visitor.get(f"/invitations/{token}").text)
            assert offer.all("a", href=f"/sign-in?next=/invitations/{token}")
        assert done(existing.post(f"/invitations/{token}/accept")) == f"/workspace/{ORG}"
        assert done(existing.post(f"/invitations/{token}/accept")) == f"/workspace/{ORG}", \
            "accepting twice is harmless"
        assert existing.get(f"/workspace/{ORG}").status_code == 200
    finally:
        outsider.close()
        existing.close()
    with store_session(live.settings) as session:
        added = [entry for entry in audit.entries(session, limit=100_000)
                 if entry.action == "membership.added"
                 and entry.details.get("via") == "invitation"
                 and entry.details.get("role") == "issuer"]
    assert len([entry for entry in added if entry.actor.startswith("user:")]) >= 1


def test_inviting_a_member_to_a_role_they_hold_or_a_bad_address_is_refused_in_place(
        admin: Browser) -> None:
    held = admin.post(f"/workspace/{ORG}/members/invitations", email=ISSUER, role="issuer")
    assert held.status_code == 409
    assert "already is issuer" in refusal(held, "invite-error")
    bad = admin.post(f"/workspace/{ORG}/members/invitations", email="not-an-email",
                     role="issuer")
    assert bad.status_code == 422
    assert "not an e-mail address" in refusal(bad, "invite-error")
    assert 'value="not-an-email"' in bad.text
    odd = admin.post(f"/workspace/{ORG}/members/invitations", email="x@example.jp",
                     role="evaluator")
    assert odd.status_code == 422


def test_a_role_is_changed_once_even_when_the_form_is_sent_twice(live: LiveServer,
                                                                 admin: Browser) -> None:
    add_user(live.settings, "changing@example.jp", name="Changing Chiba",
             roles=[(ORG, "learner")])
    for _ in range(2):
        assert done(admin.post(f"/workspace/{ORG}/members/role", email="changing@example.jp",
                               role="learner", new_role="issuer")).endswith("role-changed")
    row = admin.page(f"/workspace/{ORG}/members").one(
        "tr", **{"data-email": "changing@example.jp"})
    assert "selected" not in row.text
    with store_session(live.settings) as session:
        changes = [entry for entry in audit.entries(session, limit=100_000)
                   if entry.action in {"membership.added", "membership.removed"}
                   and entry.details.get("organisation") == ORG
                   and entry.subject.startswith("user:")
                   and entry.details.get("role") in {"learner", "issuer"}
                   and entry.actor != "anonymous"]
    assert len([c for c in changes if c.details.get("role") == "learner"
                and c.action == "membership.removed"]) == 1


def test_the_last_administrator_is_neither_removed_nor_demoted(live: LiveServer) -> None:
    lone = Browser(live, LONE, "ja")
    try:
        # Nobody changes their own roles (issue 40, finding 10): refused before the count.
        demoted = lone.post(f"/workspace/{SOLO}/members/role", email=LONE,
                            role="provider-admin", new_role="issuer")
        assert demoted.status_code == 403
        removed = lone.post(f"/workspace/{SOLO}/members/remove", email=LONE)
        assert removed.status_code == 409
        assert lone.get(f"/workspace/{SOLO}/members").status_code == 200, "still an admin"
    finally:
        lone.close()


def test_a_member_is_removed_and_an_invitation_revoked(live: LiveServer,
                                                       admin: Browser) -> None:
    add_user(live.settings, "leaving@example.jp", roles=[(ORG, "issuer"), (ORG, "learner")])
    assert done(admin.post(f"/workspace/{ORG}/members/remove", email="leaving@example.jp")
                ).endswith("done=removed")
    assert "leaving@example.jp" not in admin.get(f"/workspace/{ORG}/members").text
    _, token = invite(admin, "revoked@example.jp", "issuer")
    members = admin.page(f"/workspace/{ORG}/members")
    [item] = [li for li in members.all("li") if "revoked@example.jp" in li.text]
    path = f"/workspace/{ORG}/members/invitations/{item.attrs['data-invitation']}/revoke"
    assert done(admin.post(path)).endswith("invitation-revoked")
    assert done(admin.post(path)).endswith("invitation-revoked"), "twice is harmless"
    with patiently.client(base_url=live.url, headers=HTML) as visitor:
        assert visitor.get(f"/invitations/{token}").status_code == 404


# --- API clients -------------------------------------------------------------------------


def test_an_api_client_is_made_with_its_secret_shown_once_and_revoked(live: LiveServer,
                                                                      admin: Browser) -> None:
    page = admin.page(f"/workspace/{ORG}/clients")
    assert_accessible(page, "en")
    made = admin.post(f"/workspace/{ORG}/clients",
                      {"name": "LMS sync", "owner": ADMIN,
                       "scope": ["credentials:issue", "credentials:read"]})
    assert made.status_code == 200, made.text
    shown = Page(made.text)
    client_id = shown.one("code", id="new-client-id").text
    secret = shown.one("code", id="new-client-secret").text
    token = bearer_token(live.url, client_id, secret)
    assert token
    assert secret not in admin.get(f"/workspace/{ORG}/clients").text
    twice = admin.post(f"/workspace/{ORG}/clients",
                       {"name": "LMS sync", "owner": ADMIN, "scope": ["credentials:issue"]})
    assert twice.status_code == 409
    assert "already has an active API client" in refusal(twice, "client-error")
    beyond = admin.post(f"/workspace/{ORG}/clients",
                        {"name": "Too much", "owner": ISSUER, "scope": ["keys:manage"]})
    assert beyond.status_code == 422
    assert done(admin.post(f"/workspace/{ORG}/clients/{client_id}/revoke")
                ).endswith("done=revoked")
    assert patiently.get(f"{live.url}/api/me",
                         headers={"Authorization": f"Bearer {token}"}).status_code == 401


# --- keys and the certificate authority --------------------------------------------------


def test_keys_show_their_dids_and_a_rotation_sent_twice_rotates_once(live: LiveServer,
                                                                     admin: Browser) -> None:
    page = admin.page(f"/workspace/{ORG}/keys")
    assert_accessible(page, "en")
    assert page.one("code", id="issuer-did").text.startswith("did:web:")
    assert "did:key:z" in page.text
    [active] = [a for a in page.all("article") if a.attrs.get("data-active") == "yes"]
    fragment = active.attrs["data-key"]
    for _ in range(2):
        assert done(admin.post(f"/workspace/{ORG}/keys/rotate", type="Ed25519",
                               replacing=fragment)).endswith("done=rotated")
    after = admin.page(f"/workspace/{ORG}/keys")
    keys = {a.attrs["data-key"]: a.attrs["data-active"] for a in after.all("article")}
    assert keys[fragment] == "no"
    assert len(keys) == 2 and list(keys.values()).count("yes") == 1
    for _ in range(2):
        assert done(admin.post(f"/workspace/{ORG}/keys", type="P-256")).endswith("created")
    assert len(admin.page(f"/workspace/{ORG}/keys").all("article")) == 3
    assert "PRIVATE" not in after.source and "secret" not in after.source.lower()


def test_the_authority_is_created_and_renewed_once(admin: Browser) -> None:
    page = admin.page(f"/workspace/{ORG}/authority")
    assert_accessible(page, "en")
    for _ in range(2):
        assert done(admin.post(f"/workspace/{ORG}/authority", years="5")).endswith("created")
    made = admin.page(f"/workspace/{ORG}/authority")
    serial = made.one("input", name="replacing").attrs["value"]
    assert serial in made.one("dl", id="ca-certificate").text
    for _ in range(2):
        assert done(admin.post(f"/workspace/{ORG}/authority", years="5", replacing=serial)
                    ).endswith("renewed")
    renewed = admin.page(f"/workspace/{ORG}/authority")
    now = renewed.one("input", name="replacing").attrs["value"]
    assert now != serial
    assert renewed.source.count("<dl") >= 2
    bad = admin.post(f"/workspace/{ORG}/authority", years="50", replacing=now)
    assert bad.status_code == 422


# --- the profile -------------------------------------------------------------------------


def test_the_profile_is_saved_and_what_is_wrong_is_said_next_to_it(live: LiveServer,
                                                                  admin: Browser) -> None:
    page = admin.page(f"/workspace/{ORG}/profile")
    assert_accessible(page, "en")
    assert page.one("input", id="name-ja").attrs["value"] == "北都工科大学"
    fields = {"name_ja": "北都工科大学", "name_en": "Hokuto Institute of Technology",
              "url": "https://www.example.ac.jp/", "email": "mc@example.ac.jp",
              "description_ja": "工学のマイクロクレデンシャル", "description_en": "Engineering MCs"}
    for _ in range(2):
        assert done(admin.post(f"/workspace/{ORG}/profile", **fields)).endswith("saved")
    public = patiently.get(f"{live.url}/api/organisations/{ORG}").json()
    assert public["email"] == "mc@example.ac.jp"
    assert public["description"] == {"ja": "工学のマイクロクレデンシャル",
                                     "en": "Engineering MCs"}
    updates = [a for a in audit_actions(live) if a == "organisation.updated"]
    assert len(updates) == 1, "the same profile sent twice changes it once"
    wrong = admin.post(f"/workspace/{ORG}/profile", **{**fields, "email": "nobody"})
    assert wrong.status_code == 422
    assert 'value="nobody"' in wrong.text
    assert Page(wrong.text).one("input", id="org-email").attrs["aria-invalid"] == "true"
    nameless = admin.post(f"/workspace/{ORG}/profile", **{**fields, "name_ja": "",
                                                          "name_en": " "})
    assert nameless.status_code == 422
    assert "name" in refusal(nameless, "profile-error").lower()


def test_the_corporate_number_is_saved_shown_on_the_public_page_and_checked(
        live: LiveServer, admin: Browser) -> None:
    """The provider's administrator gives its 法人番号: kept as 13 digits, shown on the public
    organisation page; one whose check digit fails, or another organisation's, is refused
    beside its field."""
    page = admin.page(f"/workspace/{ORG}/profile")
    assert page.one("input", id="corporate-number").attrs["value"] == ""
    fields = {"name_ja": "北都工科大学", "name_en": "Hokuto Institute of Technology",
              "corporate_number": "7123-4567-89012"}
    assert done(admin.post(f"/workspace/{ORG}/profile", **fields)).endswith("saved")
    assert patiently.get(f"{live.url}/api/organisations/{ORG}").json()[
        "corporate_number"] == "7123456789012"
    for language in ("ja", "en"):
        provider = Page(patiently.get(f"{live.url}/providers/{ORG}?lang={language}",
                                      headers=HTML).text)
        assert provider.one("dd", id="provider-corporate-number").text.strip() == "7123456789012"
    wrong = admin.post(f"/workspace/{ORG}/profile", **{**fields,
                                                       "corporate_number": "8123456789012"})
    assert wrong.status_code == 422
    assert Page(wrong.text).one("input", id="corporate-number").attrs["aria-invalid"] == "true"
    assert "check digit" in refusal(wrong, "profile-error")
    with open_runtime(settings=live.settings) as runtime:
        organisations.create_organisation(runtime, actor=Operator("test"), organisation=(
            Organisation(slug="kita-college", kind="university", name={"en": "Kita College"},
                         country="JP", corporate_number="1123456789018")))
    taken = admin.post(f"/workspace/{ORG}/profile", **{**fields,
                                                       "corporate_number": "1123456789018"})
    assert taken.status_code == 409
    assert Page(taken.text).one("input", id="corporate-number").attrs["aria-invalid"] == "true"
    assert "kita-college" in refusal(taken, "profile-error")


def _upload_logo(browser: Browser, name: str, data: bytes, media_type: str
                 ) -> httpx.Response:
    return browser.http.post(f"/workspace/{ORG}/profile/logo", files={
        "csrf_token": (None, browser.token), "logo": (name, data, media_type)})


def test_a_logo_is_uploaded_shown_to_everyone_with_safe_headers_and_removed(
        live: LiveServer, admin: Browser) -> None:
    """The file goes through the profile's own form; the profile and the provider page then
    show it; it is served under its media type with nosniff, a policy that runs nothing, a
    day's cache and an ETag; an SVG with a script is refused beside the form in the page's
    language, saying where; an issuer may not upload one; removing it takes it away."""
    assert Page(admin.page(f"/workspace/{ORG}/profile").source).one("p", id="no-logo")
    logo = raster("PNG")
    assert done(_upload_logo(admin, "logo.png", logo, "image/png")).endswith("done=logo")
    profile = admin.page(f"/workspace/{ORG}/profile")
    assert_accessible(profile, "en")
    assert profile.one("img", id="current-logo").attrs["alt"].startswith("Logo of")
    provider = Page(patiently.get(f"{live.url}/providers/{ORG}", headers=HTML).text)
    src = provider.one("img", id="provider-logo").attrs["src"]
    served = patiently.get(live.url + src)
    assert served.status_code == 200 and served.content == logo
    assert served.headers["content-type"] == "image/png"
    assert served.headers["x-content-type-options"] == "nosniff"
    assert served.headers["content-security-policy"].startswith("default-src 'none'")
    assert served.headers["content-disposition"] == f'inline; filename="{ORG}-logo.png"'
    again = patiently.get(live.url + src, headers={"If-None-Match": served.headers["etag"]})
    assert again.status_code == 304
    # The e-mails show the small PNG drawn from it, beside the organisation's name.
    invite(admin, "logo-mail@example.jp", "issuer")
    [row] = [tr for tr in admin.page(f"/workspace/{ORG}/mail").all("tr")
             if "logo-mail@example.jp" in tr.text]
    html = admin.get(f"/workspace/{ORG}/mail/{row.attrs['data-message']}/html").text
    png = f"{live.settings.public_url}/providers/{ORG}/logo.png"
    assert re.search(rf'class="cs-band"[^>]*><img src="{re.escape(png)}"', html)
    drawn = patiently.get(live.url + png.removeprefix(live.settings.public_url))
    assert drawn.status_code == 200 and drawn.headers["content-type"] == "image/png"
    assert drawn.content.startswith(b"\x89PNG") and "nosniff" in drawn.headers[
        "x-content-type-options"]
    script = SVG.replace("</svg>", "<script>alert(1)</script></svg>").encode()
    for language, words in (("en", "<script> element"), ("ja", "<script> 要素")):
        speaker = Browser(live, ADMIN, language)
        try:
            refused = _upload_logo(speaker, "logo.svg", script, "image/svg+xml")
        finally:
            speaker.close()
        assert refused.status_code == 422
        text = refusal(refused, "logo-error")
        assert words in text and "line 1, column" in text
        assert Page(refused.text).one("input", id="logo-file").attrs["aria-invalid"] == "true"
    assert patiently.get(live.url + src).content == logo, "a refused file changes nothing"
    issuer = Browser(live, ISSUER)
    try:
        assert _upload_logo(issuer, "logo.png", logo, "image/png").status_code == 403
    finally:
        issuer.close()
    assert done(admin.post(f"/workspace/{ORG}/profile/logo/remove")).endswith("logo-removed")
    assert patiently.get(f"{live.url}/providers/{ORG}/logo").status_code == 404
    assert patiently.get(f"{live.url}/providers/{ORG}/logo.png").status_code == 404
    assert audit_actions(live).count("organisation.logo_set") == 1


def test_the_outbox_shows_each_email_and_its_state_and_names_the_sender(
        live: LiveServer, admin: Browser) -> None:
    """An invitation's e-mail waits (no mail server here, and the page says so); the state
    filter narrows the list; the sender name is saved once and refused in place when too
    long; an issuer reads the outbox but names no sender; an outsider is refused."""
    invite(admin, "mailed@example.jp", "issuer")
    for language in ("en", "ja"):
        page = Browser(live, ADMIN, language).page(f"/workspace/{ORG}/mail")
        assert_accessible(page, language)
    page = admin.page(f"/workspace/{ORG}/mail")
    assert "No mail server is configured" in page.text
    rows = [tr for tr in page.all("tr") if tr.attrs.get("data-state")]
    assert any("mailed@example.jp" in tr.text and tr.attrs["data-state"] == "pending"
               for tr in rows)
    assert int(page.one("dd", **{"data-state": "pending"}).text) >= 1
    [mailed] = [tr for tr in rows if "mailed@example.jp" in tr.text]
    subject = page.one("td", **{"data-subject": mailed.attrs["data-message"]}).text.strip()
    assert subject and subject != "—"
    body = page.one("details", **{"data-body": mailed.attrs["data-message"]})
    assert "/invitations/" in body.text
    assert [a for a in page.all("a") if "/invitations/" in a.attrs.get("href", "")]
    sent = admin.page(f"/workspace/{ORG}/mail?state=sent")
    assert not [tr for tr in sent.all("tr") if tr.attrs.get("data-state")]
    assert "No e-mail here." in sent.text
    for _ in range(2):
        assert done(admin.post(f"/workspace/{ORG}/mail/sender",
                               name="北都工科大学 MC 事務局")).endswith("done=sender")
    assert admin.page(f"/workspace/{ORG}/mail").one(
        "input", id="sender-name").attrs["value"] == "北都工科大学 MC 事務局"
    assert audit_actions(live).count("mail.sender_named") == 1
    long = admin.post(f"/workspace/{ORG}/mail/sender", name="x" * 201)
    assert long.status_code == 422 and 'value="' + "x" * 201 in long.text
    assert "200" in refusal(long, "sender-error")
    issuer = Browser(live, ISSUER)
    outsider = Browser(live, OUTSIDER)
    try:
        read = issuer.page(f"/workspace/{ORG}/mail")
        assert not read.all("input", id="sender-name")
        assert issuer.post(f"/workspace/{ORG}/mail/sender", name="x").status_code == 403
        assert outsider.get(f"/workspace/{ORG}/mail").status_code == 403
    finally:
        issuer.close()
        outsider.close()


def test_a_message_is_read_as_sent_and_sent_again_on_the_record(
        live: LiveServer, admin: Browser) -> None:
    """Each message of the outbox opens on its subject, its text and its links; the button
    sends it again (due now, audited ``mail.resend``); another organisation's is not found."""
    invite(admin, "reread@example.jp", "issuer")
    listing = admin.page(f"/workspace/{ORG}/mail")
    [row] = [tr for tr in listing.all("tr") if "reread@example.jp" in tr.text]
    url = f"/workspace/{ORG}/mail/{row.attrs['data-message']}"
    assert listing.all("a", href=url)
    for language in ("en", "ja"):
        assert_accessible(Browser(live, ADMIN, language).page(url), language)
    page = admin.page(url)
    assert "reread@example.jp" in page.one("dl", id="mail-message").text
    body = page.one("pre", **{"class": "mail-body"}).text
    links = [a.attrs["href"] for a in page.all("a") if a.attrs.get("href", "").startswith(
        "http") and a.attrs["href"] in body]
    assert links and any("/invitations/" in link for link in links)
    before = audit_actions(live).count("mail.resend")
    assert done(admin.post(f"{url}/resend")).endswith("done=resent")
    assert audit_actions(live).count("mail.resend") == before + 1
    assert "It is waiting to be sent again." in admin.page(f"{url}?done=resent").text
    outsider = Browser(live, OUTSIDER)
    try:
        assert outsider.get(url).status_code == 403
        assert outsider.get(f"{url}/html").status_code == 403
        assert outsider.post(f"{url}/resend").status_code == 403
    finally:
        outsider.close()
    assert admin.get(f"/workspace/{ORG}/mail/999999").status_code == 404
    assert admin.get(f"/workspace/{ORG}/mail/999999/html").status_code == 404


def test_a_message_shows_its_html_as_the_mail_program_does(admin: Browser) -> None:
    """The message's page frames its HTML as sent: a document of no origin where nothing
    runs, its one button leading where the text part's link does."""
    invite(admin, "framed@example.jp", "issuer")
    [row] = [tr for tr in admin.page(f"/workspace/{ORG}/mail").all("tr")
             if "framed@example.jp" in tr.text]
    url = f"/workspace/{ORG}/mail/{row.attrs['data-message']}"
    frame = admin.page(url).one("iframe", id="mail-html")
    assert frame.attrs["src"] == f"{url}/html" and frame.attrs["title"]
    assert "allow-scripts" not in frame.attrs["sandbox"]
    html = admin.get(frame.attrs["src"])
    assert html.status_code == 200 and html.headers["content-type"].startswith("text/html")
    policy = html.headers["content-security-policy"]
    assert policy.startswith("sandbox ") and "allow-scripts" not in policy
    assert "frame-ancestors 'self'" in policy and "script-src" not in policy
    button = re.search(r'class="cs-button"[^>]*><a href="([^"]+)"', html.text)
    assert button is not None and "/invitations/" in button[1]
    assert button[1] in admin.page(url).one("pre", **{"class": "mail-body"}).text
