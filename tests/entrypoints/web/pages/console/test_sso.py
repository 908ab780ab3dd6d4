"""The operator's page of identity providers in use (``/console/sso``, issue 57), on both
stores: each organisation with its providers, their kind, issuer, ceiling and state; only
the operator sees it; Chromium at 1280 and 390 px with axe."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

from credstack.adapters.keystore import new_master_key_text
from credstack.settings import Settings
from tests.accounts import add_organisation, add_user, signed_in_client
from tests.conftest import LiveServer, serve
from tests.entrypoints.web.pages.conftest import (
    assert_accessible_and_fitting,
    new_tab,
    phone_tab,
    sign_in_through_form,
)
from tests.entrypoints.web.pages.forms import FormBrowser
from tests.entrypoints.web.pages.test_programmes import assert_accessible
from tests.loopback import openid_providers

if TYPE_CHECKING:
    from playwright.sync_api import Browser

OPERATOR = "operator@example.org"
ADMIN = "admin@hokuto.example.jp"
OTHER = "admin@minato.example.jp"


ISSUERS = {"hokuto-entra": "https://login.microsoftonline.com/hokuto/v2.0",
           "hokuto-google": "https://accounts.google.com",
           "minato-okta": "https://minato.okta.example/"}


@pytest.fixture(scope="module")
def live(module_settings: Settings, tmp_path_factory: pytest.TempPathFactory
         ) -> Iterator[LiveServer]:
    """Three OpenID providers of two organisations, each added once its discovery metadata
    (served on loopback for their issuers) was read."""
    with openid_providers(tmp_path_factory.mktemp("openid"), list(ISSUERS.values())):
        yield from _live(module_settings)


def _live(module_settings: Settings) -> Iterator[LiveServer]:
    settings = dataclasses.replace(module_settings, secret_key=new_master_key_text())
    add_organisation(settings, "hokuto-uni")
    add_organisation(settings, "minato-tech")
    add_organisation(settings, "no-sso-college")
    add_user(settings, OPERATOR, name="Operator", roles=[(None, "registry-admin")])
    add_user(settings, ADMIN, name="Admin", roles=[("hokuto-uni", "provider-admin")])
    add_user(settings, OTHER, name="Other", roles=[("minato-tech", "provider-admin")])
    for server in serve(settings):
        for email, organisation, slug, allowed in (
                (ADMIN, "hokuto-uni", "hokuto-entra", ["issuer", "learner"]),
                (ADMIN, "hokuto-uni", "hokuto-google", []),
                (OTHER, "minato-tech", "minato-okta", ["learner"])):
            issuer = ISSUERS[slug]
            with signed_in_client(server.url, email) as admin:
                added = admin.post(f"/api/organisations/{organisation}/sso/providers", json={
                    "slug": slug, "name": slug.replace("-", " ").title(), "issuer": issuer,
                    "client_id": "credstack", "allowed_roles": allowed, "rules": []})
                assert added.status_code == 201, added.text
        yield server


@pytest.mark.parametrize(("language", "summary"), [
    ("ja", "2 組織で 3 件の ID プロバイダー"),
    ("en", "3 identity providers in 2 organisations"),
])
def test_the_operator_sees_which_organisations_use_which_providers(
        live: LiveServer, language: str, summary: str) -> None:
    """One row a provider, by organisation: the organisation, the provider, its kind, its
    issuer, the roles it may give; an organisation without a provider is not listed."""
    operator = FormBrowser(live, OPERATOR, language=language)
    try:
        page = operator.page("/console/sso")
        assert_accessible(page, language)
        assert summary in page.one("p", id="sso-summary").text
        rows = {row.attrs["data-provider"]: " ".join(row.text.split())
                for row in page.all("tr") if "data-provider" in row.attrs}
        assert list(rows) == ["hokuto-entra", "hokuto-google", "minato-okta"]
        assert "hokuto-uni" in rows["hokuto-entra"]
        assert "https://login.microsoftonline.com/hokuto/v2.0" in rows["hokuto-entra"]
        assert "OpenID Connect" in rows["minato-okta"] and "minato-tech" in rows["minato-okta"]
        assert ("発行担当者" if language == "ja" else "issuer, learner") in rows["hokuto-entra"]
        assert "no-sso-college" not in page.text
        assert [a for a in page.all("a") if a.attrs.get("href") == "/console/sso"]
    finally:
        operator.close()


def test_only_the_operator_sees_it(live: LiveServer) -> None:
    """An organisation's administrator is refused (403), a visitor sent to sign in."""
    admin = FormBrowser(live, ADMIN)
    try:
        assert admin.get("/console/sso").status_code == 403
    finally:
        admin.close()


@pytest.mark.browser
def test_in_chromium_the_page_fits_a_desktop_and_a_phone(browser: Browser,
                                                         live: LiveServer) -> None:
    """1280 and 390 px, in Japanese: axe finds nothing serious or critical, the page fits."""
    for tab, name in ((new_tab(browser), "console-sso-desktop-ja"),
                      (phone_tab(browser), "console-sso-phone-ja")):
        try:
            sign_in_through_form(tab, live.url, OPERATOR, "/console/sso")
            assert "ID プロバイダーの利用状況" in tab.locator("h1").inner_text()
            assert_accessible_and_fitting(tab, name)
        finally:
            tab.context.close()
