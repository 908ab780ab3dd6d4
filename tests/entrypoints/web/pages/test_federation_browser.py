"""``/registries`` in a real browser (Chromium through Playwright): axe-core finds nothing
serious in Japanese or English, and the page fits a phone's screen. Screenshots go to
``test-artifacts/screenshots/``."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

from credstack.adapters.keystore import new_master_key_text
from credstack.core.access.actors import Operator
from credstack.entrypoints.bootstrap import open_runtime
from credstack.services.federation import imports
from credstack.settings import Settings
from tests.conftest import LiveServer, serve
from tests.entrypoints.web.pages.conftest import (
    assert_pages_fit_a_phone,
    axe_violations,
    new_tab,
    shot,
)
from tests.entrypoints.web.pages.test_federation import GRAPH, SOURCE

if TYPE_CHECKING:
    from playwright.sync_api import Browser

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def live(browser_store: Settings) -> Iterator[LiveServer]:
    """One registry imported from a CTDL graph, then the server (read only)."""
    settings = dataclasses.replace(browser_store, secret_key=new_master_key_text())
    with open_runtime(settings=settings) as runtime:
        imports.import_ctdl(runtime, actor=Operator("test"), url=SOURCE,
                            names={"ja": "マレーシア資格機構", "en": "MQA"},
                            document=json.dumps(GRAPH).encode())
    yield from serve(settings)


@pytest.mark.parametrize(("language", "locale"), [("ja", "ja-JP"), ("en", "en-GB")])
def test_the_imported_registries_page_passes_axe(live: LiveServer, browser: Browser,
                                                 language: str, locale: str) -> None:
    tab = new_tab(browser, locale=locale)
    try:
        tab.goto(f"{live.url}/registries?lang={language}")
        assert tab.locator("html").get_attribute("lang") == language
        assert axe_violations(tab) == [], language
        shot(tab, f"registries-{language}")
    finally:
        tab.context.close()


def test_the_imported_registries_page_fits_a_phone(live: LiveServer, browser: Browser) -> None:
    assert_pages_fit_a_phone(browser, live.url, [("/registries", "registries-phone")])
