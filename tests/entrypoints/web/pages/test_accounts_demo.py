"""The sign-in page of a demo server lists every demo account with its password, in both
languages; a server that is not a demo lists none."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from credstack.demo.accounts import DEMO_PASSWORD, demo_accounts
from tests.conftest import keyed_sqlite, serve
from tests.entrypoints.web.pages.test_programmes import Page, assert_accessible


@pytest.mark.parametrize("demo", [True, False])
def test_the_demo_accounts_are_listed_on_a_demo_servers_sign_in_page_only(
        tmp_path: Path, demo: bool) -> None:
    """Each account's address and role, and the one password; nothing of it elsewhere."""
    for live in serve(keyed_sqlite(tmp_path, demo=demo)):
        with httpx.Client(base_url=live.url, timeout=30) as browser:
            for language in ("ja", "en"):
                response = browser.get("/sign-in", params={"lang": language})
                page = Page(response.text)
                assert_accessible(page, language)
                listed = {row.attrs["data-email"] for row in page.all("tr")
                          if row.attrs.get("data-email")}
                if demo:
                    assert listed == {account.email for account in demo_accounts()}
                    assert page.one("code", id="demo-password").text == DEMO_PASSWORD
                else:
                    assert not listed and DEMO_PASSWORD not in response.text
            assert DEMO_PASSWORD not in browser.get("/").text
