"""The organisation administrator's identity providers page (``/workspace/{slug}/sso``,
issue 57), against a real SimpleSAMLphp identity provider (:mod:`tests.simplesamlphp`), on
both stores: a SAML provider added from its metadata URL or a metadata file with plain
forms, its rules from attributes to roles, an OpenID provider by its issuer once its
discovery metadata and key set were read; refusals next to the form in the page's language
(an OpenID provider whose discovery fails: why, named); roles only within what the
administrator may grant; a staff member then signs in through the provider configured on the
page and becomes an issuer. Chromium at 1280 and 390 px with axe."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import httpx
import pytest

from credstack.adapters.keystore import new_master_key_text
from credstack.settings import Settings
from tests.accounts import add_organisation, add_user, api_client, bearer_token, signed_in_client
from tests.conftest import ShiftedClock, free_port, serve
from tests.entrypoints.web.pages.conftest import (
    assert_accessible_and_fitting,
    new_tab,
    phone_tab,
    sign_in_through_form,
)
from tests.entrypoints.web.pages.forms import FormBrowser
from tests.entrypoints.web.pages.test_programmes import Page, assert_accessible
from tests.entrypoints.web.pages.test_sso_saml import Campus, entries, roles, sign_in_through
from tests.loopback import openid_providers
from tests.simplesamlphp import identity_provider

if TYPE_CHECKING:
    from playwright.sync_api import Browser

ORG = "hokuto-uni"
#: OpenID providers whose discovery serves (on loopback, :func:`tests.loopback.openid_providers`).
WORKING = ("https://login.example.jp/t", "https://login.microsoftonline.com/hokuto/v2.0")
#: Those whose discovery does not, and how (their metadata's changes; None: no metadata).
BROKEN: dict[str, dict[str, Any] | None] = {
    "https://login.example.jp/none": None,
    "https://login.example.jp/other": {"issuer": "https://login.example.jp/elsewhere"},
    "https://login.example.jp/no-token": {"token_endpoint": None},
    "https://login.example.jp/no-keys": {},
}
ADMIN = "admin@hokuto.example.jp"
ISSUER = "issuer@hokuto.example.jp"


@pytest.fixture(scope="module")
def campus(module_settings: Settings, tmp_path_factory: pytest.TempPathFactory
           ) -> Iterator[Campus]:
    folder = tmp_path_factory.mktemp("simplesamlphp-admin")
    with identity_provider(Path(folder)) as idp, openid_providers(
            tmp_path_factory.mktemp("openid"), [*WORKING, *BROKEN], metadata=BROKEN,
            key_sets={"https://login.example.jp/no-keys": {"keys": []}}):
        port = free_port()
        settings = dataclasses.replace(module_settings, secret_key=new_master_key_text(),
                                       public_url=f"http://127.0.0.1:{port}")
        add_organisation(settings, ORG)
        add_user(settings, ADMIN, name="Admin", roles=[(ORG, "provider-admin")])
        add_user(settings, ISSUER, name="Issuer", roles=[(ORG, "issuer")])
        clock = ShiftedClock()
        with pytest.MonkeyPatch.context() as patch:
            patch.setenv("CREDSTACK_ALLOW_LOOPBACK_FETCH", "1")
            for live in serve(settings, port=port, clock=clock):
                yield Campus(live, idp, clock)


def _rows(*rules: tuple[str, str, str], spare: int = 1) -> list[tuple[str, str]]:
    rows = [*rules, *[("", "", "learner")] * spare]
    return [pair for attribute, value, role in rows
            for pair in (("rule_attribute", attribute), ("rule_value", value),
                         ("rule_role", role))]


def _saml_fields(campus: Campus, slug: str, *, roles: tuple[str, ...] = ("issuer", "learner"),
                 rules: tuple[tuple[str, str, str], ...] = (
                     ("eduPersonAffiliation", "staff", "issuer"),
                     ("eduPersonAffiliation", "student", "learner")),
                 **fields: str) -> list[tuple[str, str]]:
    base = {"provider": slug, "name": "北斗大学 (Hokuto University)",
            "metadata_url": campus.idp.metadata_url,
            "federation_certificate": campus.idp.federation_cert, "entity_id": "",
            "binding": "redirect", **fields}
    return [*base.items(), *[("allowed_roles", role) for role in roles], *_rows(*rules)]


def _providers(campus: Campus) -> dict[str, dict[str, Any]]:
    with signed_in_client(campus.live.url, ADMIN) as admin:
        listed = admin.get(f"/api/organisations/{ORG}/sso/providers")
        assert listed.status_code == 200, listed.text
        return {p["slug"]: p for p in listed.json()}


def test_the_administrator_adds_a_saml_provider_by_its_metadata_url_and_staff_sign_in(
        campus: Campus) -> None:
    """The form with the metadata URL and the federation's certificate adds the provider
    (303, then the notice); its rules are listed as rows to edit; the identity provider,
    given our metadata that the page links, signs a staff member in, who becomes an
    issuer."""
    admin = FormBrowser(campus.live, ADMIN)
    try:
        answer = admin.post(f"/workspace/{ORG}/sso/saml", _saml_fields(campus, "hokuto-url"))
        assert answer.status_code == 303, answer.text[:3000]
        assert answer.headers["location"] == f"/workspace/{ORG}/sso?done=added"
        page = admin.page(f"/workspace/{ORG}/sso?done=added")
        assert_accessible(page, "en")
        assert "The identity provider was added." in page.text
        article = page.one("article", id="provider-hokuto-url")
        assert campus.idp.entity_id in article.text
        assert [i.attrs["value"] for i in page.all("input", name="rule_value")
                if i.attrs["id"].startswith("rules-hokuto-url-")][:2] == ["staff", "student"]
        links = [a.attrs["href"] for a in page.all("a")
                 if a.attrs["href"] == "/sso/saml/hokuto-url/metadata"]
        assert links
    finally:
        admin.close()
    assert _providers(campus)["hokuto-url"]["rules"] == [
        {"attribute": "eduPersonAffiliation", "value": "staff", "role": "issuer"},
        {"attribute": "eduPersonAffiliation", "value": "student", "role": "learner"}]
    [added] = [e for e in entries(campus.live, "sso.provider.add") if e["about"] ==
               "sso:hokuto-url"]
    assert added["kind"] == "saml" and added["metadata_url"] == campus.idp.metadata_url
    ours = httpx.get(f"{campus.live.url}/sso/saml/hokuto-url/metadata").text
    campus.idp.trust(encrypted=[ours])
    with httpx.Client(timeout=30) as browser:
        signed = sign_in_through(campus, browser, "staff1", slug="hokuto-url")
        assert signed.status_code == 303, signed.text[:2000]
    assert roles(campus, "staff1@hokuto.ac.jp") == {(ORG, "issuer")}


def test_a_metadata_file_is_read_from_the_form(campus: Campus) -> None:
    """The metadata as a file (multipart), without a URL."""
    document = httpx.get(campus.idp.metadata_url).content
    fields = dict(_saml_fields(campus, "hokuto-file", roles=("learner",), rules=(
        ("eduPersonAffiliation", "student", "learner"),), metadata_url=""))
    admin = FormBrowser(campus.live, ADMIN)
    try:
        answer = admin.http.post(f"/workspace/{ORG}/sso/saml",
                                 data={"csrf_token": admin.token, **fields},
                                 files={"metadata_file": ("idp.xml", document,
                                                          "application/samlmetadata+xml")})
        assert answer.status_code == 303, answer.text[:3000]
    finally:
        admin.close()
    found = _providers(campus)["hokuto-file"]
    assert found["kind"] == "saml" and found["issuer"] == campus.idp.entity_id
    assert found["allowed_roles"] == ["learner"]


@pytest.mark.parametrize(("language", "words"), [
    ("ja", "ルールの役割が、与えてよい役割に含まれていません"),
    ("en", "A rule gives a role that is not among the roles it may give"),
])
def test_a_rule_past_the_roles_it_may_give_is_refused_next_to_the_form(
        campus: Campus, language: str, words: str) -> None:
    """Staff → issuer while only learner may be given: 422, the catalogue's words beside
    the SAML form, what was typed kept; nothing added."""
    admin = FormBrowser(campus.live, ADMIN, language=language)
    try:
        answer = admin.post(f"/workspace/{ORG}/sso/saml", _saml_fields(
            campus, f"too-much-{language}", roles=("learner",)))
        assert answer.status_code == 422, answer.text[:2000]
        page = Page(answer.text)
        assert_accessible(page, language)
        assert words in page.one("div", id="saml-error").text
        assert page.one("input", id="saml-provider").attrs["value"] == f"too-much-{language}"
    finally:
        admin.close()
    assert f"too-much-{language}" not in _providers(campus)


def test_only_roles_the_administrator_may_grant_are_offered_or_taken(campus: Campus) -> None:
    """The roles offered are the givable ones of a university (no administrator's, no
    recognition body's); a posted provider-admin is refused; a member who is not the
    administrator is refused the page; a token with organisations:write but not
    accounts:manage may configure a provider that gives no role, and none that gives one."""
    admin = FormBrowser(campus.live, ADMIN)
    try:
        page = admin.page(f"/workspace/{ORG}/sso")
        offered = {i.attrs["value"] for i in page.all("input", name="allowed_roles")
                   if i.attrs["id"].startswith("saml-")}
        assert offered == {"issuer", "learner", "registrar", "employer"}
        refused = admin.post(f"/workspace/{ORG}/sso/oidc", [
            ("provider", "escalate"), ("name", "Escalate"),
            ("issuer", "https://login.example.jp/tenant"), ("client_id", "c"),
            ("allowed_roles", "provider-admin"), *_rows()])
        assert refused.status_code == 422
        assert "An identity provider may not give this role." in Page(refused.text).text
    finally:
        admin.close()
    member = FormBrowser(campus.live, ISSUER)
    try:
        assert member.get(f"/workspace/{ORG}/sso").status_code == 403
    finally:
        member.close()
    client_id, secret = api_client(campus.live.settings, ADMIN, ["organisations:write"])
    token = bearer_token(campus.live.url, client_id, secret)
    body = {"slug": "scoped", "name": "Scoped", "issuer": "https://login.example.jp/t",
            "client_id": "c", "allowed_roles": ["learner"], "rules": []}
    with httpx.Client(base_url=campus.live.url, timeout=30,
                      headers={"Authorization": f"Bearer {token}"}) as api:
        assert api.post(f"/api/organisations/{ORG}/sso/providers",
                        json=body).status_code == 403
        assert api.post(f"/api/organisations/{ORG}/sso/providers",
                        json={**body, "allowed_roles": []}).status_code == 201


@pytest.mark.parametrize(("language", "issuer", "words"), [
    ("ja", "https://login.example.jp/none",
     "https://login.example.jp/none/.well-known/openid-configuration から ID プロバイダーの設定"),
    ("en", "https://login.example.jp/none", "The provider's settings (its OpenID Connect "
     "discovery document) could not be read at https://login.example.jp/none/.well-known/"),
    ("ja", "https://login.example.jp/other", "https://login.example.jp/other のディスカバリー"
     "文書は別の発行者（https://login.example.jp/elsewhere）を名乗っています"),
    ("en", "https://login.example.jp/other", "The discovery document of "
     "https://login.example.jp/other names another issuer (https://login.example.jp/elsewhere)"),
    ("ja", "https://login.example.jp/no-token",
     "https://login.example.jp/no-token のディスカバリー文書に token_endpoint がありません"),
    ("en", "https://login.example.jp/no-token",
     "The discovery document of https://login.example.jp/no-token gives no token_endpoint"),
    ("ja", "https://login.example.jp/no-keys", "https://login.example.jp/no-keys の鍵セット"
     "（https://login.example.jp/no-keys/jwks）に、credstack がトークンの検証に使える鍵"),
    ("en", "https://login.example.jp/no-keys", "The key set of https://login.example.jp/no-keys"
     " (https://login.example.jp/no-keys/jwks) holds no key credstack can check its tokens"),
])
def test_an_openid_provider_whose_discovery_fails_is_refused_with_why(
        campus: Campus, language: str, issuer: str, words: str) -> None:
    """Its discovery metadata read when it is added: not there, naming another issuer,
    without a token endpoint, or with a key set of no key, it is refused (422) with the
    catalogue's words for why, beside the OpenID form, the issuer marked, what was typed
    kept; nothing saved. The API refuses it in both languages."""
    slug = f"broken-{issuer.rsplit('/', 1)[-1]}-{language}"
    admin = FormBrowser(campus.live, ADMIN, language=language)
    try:
        answer = admin.post(f"/workspace/{ORG}/sso/oidc", [
            ("provider", slug), ("name", "Broken"), ("issuer", issuer), ("client_id", "c"),
            ("allowed_roles", "learner"), *_rows()])
        assert answer.status_code == 422, answer.text[:2000]
        page = Page(answer.text)
        assert_accessible(page, language)
        assert words in " ".join(page.one("div", id="oidc-error").text.split())
        assert page.one("input", id="oidc-issuer").attrs["value"] == issuer
        assert page.one("input", id="oidc-issuer").attrs.get("aria-invalid") == "true"
    finally:
        admin.close()
    assert slug not in _providers(campus)
    if language == "en":
        with signed_in_client(campus.live.url, ADMIN) as api:
            refused = api.post(f"/api/organisations/{ORG}/sso/providers", json={
                "slug": slug, "name": "Broken", "issuer": issuer, "client_id": "c",
                "allowed_roles": [], "rules": []})
        assert refused.status_code == 422, refused.text
        assert refused.json()["detail"].startswith(words.split(" (")[0][:40])
        assert refused.json()["errors"][0]["location"] == "issuer"


def test_the_rules_form_replaces_the_ceiling_and_the_rules(campus: Campus) -> None:
    """An OpenID provider added by its issuer; then its rules form: the ceiling and the
    rows replaced (an emptied row is a rule removed), audited before and after."""
    admin = FormBrowser(campus.live, ADMIN)
    try:
        added = admin.post(f"/workspace/{ORG}/sso/oidc", [
            ("provider", "hokuto-entra"), ("name", "Hokuto Entra ID"),
            ("issuer", "https://login.microsoftonline.com/hokuto/v2.0"),
            ("client_id", "credstack"), ("client_secret", "s3cret"),
            ("scopes", "openid email profile"), ("allowed_roles", "learner"),
            *_rows(("groups", "students", "learner"))])
        assert added.status_code == 303, added.text[:2000]
        page = admin.page(f"/workspace/{ORG}/sso")
        article = page.one("article", id="provider-hokuto-entra")
        assert "/sso/oidc/callback" in article.text and "s3cret" not in page.source
        changed = admin.post(f"/workspace/{ORG}/sso/hokuto-entra/rules", [
            ("allowed_roles", "learner"), ("allowed_roles", "employer"),
            *_rows(("groups", "", ""), ("groups", "alumni", "employer"), spare=2)])
        assert changed.status_code == 422  # a row with an attribute but no value
        changed = admin.post(f"/workspace/{ORG}/sso/hokuto-entra/rules", [
            ("allowed_roles", "learner"), ("allowed_roles", "employer"),
            *_rows(("", "", "learner"), ("groups", "alumni", "employer"), spare=2)])
        assert changed.status_code == 303, changed.text[:2000]
        assert admin.post(f"/workspace/{ORG}/sso/no-such/rules",
                          [("allowed_roles", "learner")]).status_code == 404
    finally:
        admin.close()
    found = _providers(campus)["hokuto-entra"]
    assert found["allowed_roles"] == ["employer", "learner"]
    assert found["rules"] == [{"attribute": "groups", "value": "alumni", "role": "employer"}]
    [entry] = [e for e in entries(campus.live, "sso.rules.set")
               if e["about"] == "sso:hokuto-entra"]
    assert entry["rules"]["before"] == [["groups", "students", "learner"]]


@pytest.mark.browser
def test_in_chromium_the_page_fits_a_desktop_and_a_phone(browser: Browser,
                                                         campus: Campus) -> None:
    """1280 and 390 px, in Japanese, with the providers listed: axe finds nothing serious
    or critical and the page fits the screen."""
    for tab, name in ((new_tab(browser), "workspace-sso-desktop-ja"),
                      (phone_tab(browser), "workspace-sso-phone-ja")):
        try:
            sign_in_through_form(tab, campus.live.url, ADMIN, f"/workspace/{ORG}/sso")
            assert "シングルサインオン" in tab.locator("h1").inner_text()
            assert_accessible_and_fitting(tab, name)
        finally:
            tab.context.close()
