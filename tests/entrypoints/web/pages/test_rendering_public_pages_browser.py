"""The pages that became public in every language (issue 53), on a phone in one of the six
languages beside Japanese and English: each speaks it (``<html lang>``, no notice that it
falls back), fits a 390 px screen, and axe-core finds nothing serious on it.

Each page is read in a different language, so that every language is read on some of them.
"""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests import patiently
from tests.conftest import LiveServer
from tests.entrypoints.web.pages.conftest import (
    PHONE,
    assert_accessible_and_fitting,
    demo_phone_tab,
    new_tab,
)

LEARNER = "learner@demo.example"


def _first(demo_server: LiveServer, path: str, pattern: str) -> str:
    """The first link on ``path`` (as a visitor reads it) that matches ``pattern``."""
    with patiently.client(base_url=demo_server.url) as visitor:
        page = visitor.get(path, headers={"Accept": "text/html"})
    found = re.search(f'href="({pattern})"', page.text)
    assert found is not None, path
    return found.group(1)


def _target(server: LiveServer) -> str:
    return _first(server, "/targets", r"/targets/\w+")


def _programme(server: LiveServer) -> str:
    return _first(server, "/programmes", r"/programmes/\d+")


#: Each newly public page: how to find it on the demo, the language it is read in, and
#: whether the learner reads it (signed in) rather than a visitor.
PAGES: dict[str, tuple[Any, str, bool]] = {
    "targets": (lambda server: "/targets", "th", False),
    "target": (_target, "ko", False),
    "target-history": (lambda server: _target(server) + "/history", "zh-Hans", False),
    "skills": (lambda server: "/skills?q=data", "vi", False),
    "skill": (lambda server: _first(server, "/skills?q=data", r"/skills/[\w-]+"), "id", False),
    "recognition": (lambda server: "/recognition", "ms", False),
    "recognition-decision": (
        lambda server: _first(server, "/recognition", r"/recognition/decisions/[\w-]+"),
        "th", False),
    "registries": (lambda server: "/registries", "ko", False),
    "join": (lambda server: "/join", "zh-Hans", False),
    "programme-report": (lambda server: _programme(server) + "/report", "vi", False),
    "creditbank": (lambda server: "/wallet/creditbank", "id", True),
}


@pytest.mark.parametrize("name", list(PAGES))
def test_a_newly_public_page_speaks_the_language_on_a_phone(browser: Any,
                                                            demo_server: LiveServer,
                                                            name: str) -> None:
    """The page in the language asked for, without the staff pages' notice, fitting a phone's
    screen; axe-core finds nothing serious or critical."""
    find, language, signed_in = PAGES[name]
    path = find(demo_server)
    joined = f"{path}{'&' if '?' in path else '?'}lang={language}"
    tab = (demo_phone_tab(browser, demo_server, LEARNER, path, language=language)
           if signed_in else new_tab(browser, **PHONE, is_mobile=True, has_touch=True))
    tab.goto(f"{demo_server.url}{joined}")
    try:
        assert tab.locator("html").get_attribute("lang") == language
        assert tab.locator("#language-notice").count() == 0
        assert_accessible_and_fitting(tab, f"public-{name}-{language}")
    finally:
        tab.context.close()
