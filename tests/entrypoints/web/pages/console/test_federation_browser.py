"""``/console/federation`` in a real browser (Chromium through Playwright) on a phone's screen
(390 px), in Japanese and English: with an intermediate registered (its row, its provider
count and its remove button) and with a refusal beside the form, axe-core finds nothing
serious and the page is no wider than the screen. Screenshots go to
``test-artifacts/screenshots/``."""

from __future__ import annotations

import http.server
from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

from credstack.adapters.resolvers.fetch import LOOPBACK_ENV
from credstack.core.access.actors import Operator
from credstack.entrypoints.bootstrap import open_runtime
from credstack.services.federation import intermediates
from credstack.testing.federation import MemoryFederation
from tests.accounts import add_user
from tests.conftest import LiveServer, at_own_url, free_port, keyed_sqlite, serve
from tests.entrypoints.web.pages.conftest import (
    PHONE,
    assert_fits_the_screen,
    axe_violations,
    new_tab,
    shot,
    sign_in_through_form,
)
from tests.loopback import serving
from tests.services.federation.test_intermediates import NOW, University
from tests.services.federation.test_intermediates import _faculty_metadata as faculty

if TYPE_CHECKING:
    from playwright.sync_api import Browser

pytestmark = pytest.mark.browser

OPERATOR = "operator@example.org"


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """A server whose anchor lists one intermediate (a university's own federation, with a
    faculty it lists), registered over loopback before the browser comes."""
    settings, port = at_own_url(keyed_sqlite(tmp_path_factory.mktemp("console-federation")))
    add_user(settings, OPERATOR, name="Operator", roles=[(None, "registry-admin")])
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), University)
    base = f"http://127.0.0.1:{server.server_address[1]}"
    federation = MemoryFederation(now=NOW)
    federation.add(f"{base}/uni", authority_hints=[settings.public_url], metadata={
        "federation_entity": {
            "organization_name": "Tohoku University of Science and Engineering Graduate "
                                 "School of Information Sciences",
            "organization_name#ja": "東北理工大学大学院情報科学研究科",
            "federation_fetch_endpoint": f"{base}/uni/fetch",
            "federation_list_endpoint": f"{base}/uni/list"}})
    federation.add(f"{base}/uni/engineering", authority_hints=[f"{base}/uni"],
                   metadata=faculty())
    federation.state(f"{base}/uni", f"{base}/uni/engineering", metadata=faculty())
    server.RequestHandlerClass = type("Served", (University,),
                                      {"federation": federation, "base": base})
    with pytest.MonkeyPatch.context() as patch, serving(server):
        patch.setenv(LOOPBACK_ENV, "1")
        with open_runtime(settings=settings, clock=lambda: NOW) as runtime:
            intermediates.register_intermediate(runtime, actor=Operator("test"),
                                                entity_id=f"{base}/uni")
    yield from serve(settings, port=port, clock=lambda: NOW)


@pytest.mark.parametrize(("language", "locale"), [("ja", "ja-JP"), ("en", "en-GB")])
def test_the_federation_console_passes_axe_on_a_phone(live: LiveServer, browser: Browser,
                                                      language: str, locale: str) -> None:
    tab = new_tab(browser, locale=locale, width=PHONE["width"], height=PHONE["height"],
                  device_scale_factor=2, is_mobile=True, has_touch=True)
    try:
        sign_in_through_form(tab, live.url, OPERATOR, f"/console/federation?lang={language}")
        assert tab.locator("html").get_attribute("lang") == language
        assert tab.locator("td[data-providers]").inner_text() == "1"
        assert tab.locator("form[action='/console/federation/intermediates/remove'] button"
                           ).count() == 1
        assert axe_violations(tab) == [], language
        shot(tab, f"console-federation-phone-{language}")
        # The intermediate's name reads in words, not a character a line: the long entity
        # identifier beside it is what breaks.
        name = tab.locator("tbody th[scope=row]").first
        assert name.evaluate("""cell => { const text = document.createRange();
            text.selectNodeContents(cell); return text.getBoundingClientRect().width; }""") > 60
        assert_fits_the_screen(tab, f"/console/federation ({language})")
        # A refusal, beside the form: still accessible, still on the screen.
        tab.locator("#entity-id").fill(f"http://127.0.0.1:{free_port()}/gone")
        tab.locator("form[action='/console/federation/intermediates'] button").click()
        tab.wait_for_selector("#federation-error")
        assert tab.locator("#entity-id").get_attribute("aria-invalid") == "true"
        refusal = tab.locator("#federation-error").inner_text()
        assert ("取得できません" in refusal) == (language == "ja"), refusal
        assert axe_violations(tab) == [], f"{language}, refused"
        shot(tab, f"console-federation-phone-refused-{language}")
        assert_fits_the_screen(tab, f"/console/federation refused ({language})")
    finally:
        tab.context.close()
