"""The badge designer in a real browser (issue 54): a provider's administrator opens the
demo programme's badge designer from its editor, picks a template and the organisation's
colour, sees the preview follow each choice (JavaScript) or after "Update the preview"
(without), is refused a colour white text cannot be read on — in words, beside the field —
and saves; the programme's published badge, the one baked into credentials and shown on the
pages and in e-mails, is then drawn in that design. In Japanese and English at 1280 and
390 px, axe-core clean, no wider than the screen. Its own demo store (it changes the design).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

import httpx
import pytest

from credstack.demo.accounts import DEMO_PASSWORD
from tests.conftest import LiveServer, serve, wait_until
from tests.demo_store import demo_store
from tests.entrypoints.web.pages.conftest import (
    PHONE,
    assert_accessible_and_fitting,
    new_tab,
)

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

pytestmark = pytest.mark.browser

PROGRAMME = 30
DESIGNER = f"/workspace/hokuto-tech/programmes/{PROGRAMME}/badge"
#: Each journey's template and colour (a journey of its own each, so each save changes it).
CHOSEN = {("ja", 1280): ("ribbon", "#0b3d2e"), ("en", 1280): ("certificate", "#4a1942"),
          ("ja", 390): ("certificate", "#1b3a6b"), ("en", 390): ("ribbon", "#5c2d0a")}
LABEL = {"ja": "マイクロクレデンシャル / Micro-credential", "en": "Micro-credential"}


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    settings, port = demo_store(tmp_path_factory.mktemp("designer"))
    yield from serve(settings, port=port)


def _designer(browser: Browser, live: LiveServer, language: str, width: int,
              javascript: bool = True) -> Page:
    size = PHONE if width == 390 else {"width": 1280, "height": 900}
    tab = new_tab(browser, locale="ja-JP" if language == "ja" else "en-GB",
                  javascript=javascript, **size,
                  **({"is_mobile": True, "has_touch": True} if width == 390 else {}))
    tab.goto(f"{live.url}/sign-in?lang={language}&next={DESIGNER}")
    tab.locator("#email").fill("provider-admin@demo.example")
    tab.locator("#password").fill(DEMO_PASSWORD)
    tab.locator("main form").get_by_role("button").first.click()
    tab.wait_for_url(f"**{DESIGNER}")
    return tab


@pytest.mark.parametrize("language", ["ja", "en"])
@pytest.mark.parametrize("width", [1280, 390])
def test_the_badge_designer_journey(browser: Browser, demo: LiveServer, language: str,
                                    width: int) -> None:
    """Template and colour chosen, the preview following; a too light colour refused in
    words; saved, and the published badge is drawn in the design."""
    from playwright.sync_api import expect

    template, colour = CHOSEN[(language, width)]
    what = f"badge-designer-{language}-{width}"
    tab = _designer(browser, demo, language, width)
    try:
        expect(tab.locator("#badge-label")).to_contain_text(LABEL[language])
        assert_accessible_and_fitting(tab, f"{what}-before")
        tab.locator(f"#badge-template-{template}").check()
        tab.locator("#badge-own-colour").check()
        tab.locator("#badge-colour").fill(colour)
        preview = tab.locator("#badge-preview")
        expect(preview).to_have_attribute("src", f"{DESIGNER}.svg?template={template}"
                                          f"&colour=%23{colour[1:]}")
        wait_until(tab, "document.getElementById('badge-preview').complete"
                        " && document.getElementById('badge-preview').naturalWidth > 0",
                   seconds=120)
        tab.locator("#badge-colour").fill("#ffe680")
        tab.locator("#badge-save").click()
        error = tab.locator("#badge-colour-error")
        expect(error).to_be_visible()
        assert "4.5:1" in error.inner_text() and "editor.badge" not in error.inner_text()
        expect(tab.locator("#badge-colour")).to_have_attribute("aria-invalid", "true")
        assert_accessible_and_fitting(tab, f"{what}-refused")
        tab.locator(f"#badge-template-{template}").check()
        tab.locator("#badge-own-colour").check()
        tab.locator("#badge-colour").fill(colour)
        tab.locator("#badge-save").click()
        expect(tab.locator("#badge-done")).to_be_visible()
        expect(tab.locator(f"#badge-template-{template}")).to_be_checked()
        assert_accessible_and_fitting(tab, f"{what}-saved")
    finally:
        tab.context.close()
    # The programme's public page shows the published version's badge: drawn in the design.
    page = httpx.get(f"{demo.url}/programmes/{PROGRAMME}", timeout=60).text
    [version] = set(re.findall(rf"/badges/{PROGRAMME}/v([0-9]+)\.(?:svg|png)", page))
    badge = httpx.get(f"{demo.url}/badges/{PROGRAMME}/v{version}.svg", timeout=60)
    assert badge.status_code == 200
    assert f'fill="{colour}"' in badge.text
    # Kept by caches but asked again each time: the next design shows as soon as it is saved.
    assert badge.headers["cache-control"] == "public, no-cache"


def test_without_javascript_the_preview_button_shows_the_design(browser: Browser,
                                                                demo: LiveServer) -> None:
    """No script: "Update the preview" posts the form and the page comes back with the
    chosen design previewed and nothing saved."""
    from playwright.sync_api import expect

    tab = _designer(browser, demo, "en", 1280, javascript=False)
    try:
        tab.locator("#badge-template-ribbon").check()
        tab.locator("#badge-own-colour").uncheck()
        tab.locator("#badge-preview-button").click()
        expect(tab.locator("#badge-preview")).to_have_attribute(
            "src", f"{DESIGNER}.svg?template=ribbon")
        assert tab.locator("#badge-done").count() == 0
    finally:
        tab.context.close()
