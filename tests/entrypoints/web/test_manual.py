"""The built manual, served at /manual/ beside the application when it is there."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from pathlib import Path

import pytest

from credstack.settings import Settings
from tests import patiently
from tests.conftest import LiveServer, serve


@pytest.fixture
def built_manual(tmp_path: Path) -> Path:
    """A built manual as MkDocs leaves it: an index page, a page in a folder, the Japanese
    tree beside them."""
    site = tmp_path / "site"
    (site / "cli").mkdir(parents=True)
    (site / "ja").mkdir()
    (site / "index.html").write_text("<!doctype html><title>credstack</title>the manual")
    (site / "cli" / "index.html").write_text("<!doctype html><title>CLI</title>commands")
    (site / "ja" / "index.html").write_text("<!doctype html><title>credstack</title>マニュアル")
    return site


@pytest.fixture
def with_manual(sqlite_settings: Settings, built_manual: Path) -> Iterator[LiveServer]:
    yield from serve(dataclasses.replace(sqlite_settings, manual_dir=built_manual))


@pytest.fixture
def without_manual(sqlite_settings: Settings) -> Iterator[LiveServer]:
    yield from serve(dataclasses.replace(sqlite_settings, manual_dir=None))


def test_the_manual_is_served_with_its_folders_as_pages(with_manual: LiveServer) -> None:
    """``/manual/`` is the index, ``/manual/cli/`` the page in that folder, each with a
    Content-Security-Policy that loads nothing from elsewhere."""
    for path, text in (("/manual/", "the manual"), ("/manual/cli/", "commands"),
                       ("/manual/ja/", "マニュアル")):
        answer = patiently.get(with_manual.url + path)
        assert answer.status_code == 200 and text in answer.text
        assert "default-src 'self'" in answer.headers["content-security-policy"]


@pytest.mark.parametrize(("lang", "label", "href"), [("en", "Manual", "/manual/"),
                                                     ("ja", "マニュアル", "/manual/ja/")])
def test_every_page_links_to_the_manual_in_its_language(with_manual: LiveServer, lang: str,
                                                        label: str, href: str) -> None:
    """The footer names the manual in the page's language and opens it in that language."""
    page = patiently.get(f"{with_manual.url}/?lang={lang}", headers={"accept": "text/html"},
                         timeout=30)
    assert f'<a href="{href}">{label}</a>' in page.text


def test_without_a_built_manual_there_is_neither_path_nor_link(without_manual: LiveServer
                                                                ) -> None:
    """A server whose manual was never built answers 404 there and does not link to it."""
    assert patiently.get(without_manual.url + "/manual/").status_code == 404
    page = patiently.get(f"{without_manual.url}/?lang=en", headers={"accept": "text/html"},
                         timeout=30)
    assert 'href="/manual/' not in page.text
