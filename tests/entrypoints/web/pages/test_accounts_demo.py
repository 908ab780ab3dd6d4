"""The sign-in page of a demo server lists every demo account with its password, in both
languages; a server that is not a demo lists none."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from credstack.demo.accounts import DEMO_PASSWORD, create_demo_accounts, demo_accounts
from credstack.demo.programmes import load_demo_programmes
from credstack.entrypoints.bootstrap import open_runtime
from tests.accounts import sign_in
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


#: Where each demo role's home is, and the words the sign-in table names it by (ja, en).
LANDINGS = {
    "registry-admin@demo.example": ("/console", "運営コンソール", "the operator's console"),
    "provider-admin@demo.example": ("/workspace/hokuto-tech", "組織のワークスペース",
                                    "the organisation's workspace"),
    "issuer@demo.example": ("/workspace/hokuto-tech/issue", "証明書の発行",
                            "issuing credentials"),
    "committee@demo.example": ("/review", "審査待ちの一覧", "the review queue"),
    "evaluator1@demo.example": ("/review", "審査待ちの一覧", "the review queue"),
    "evaluator2@demo.example": ("/review", "審査待ちの一覧", "the review queue"),
    "learner@demo.example": ("/wallet", "ウォレット", "the wallet"),
    "employer@demo.example": ("/employers", "人材マッチングと検証",
                              "matching and verification"),
    "registrar@demo.example": ("/workspace/hokuto-tech/creditbank", "単位認定の申請と決定",
                               "credit-bank decisions"),
}


def test_every_demo_account_lands_where_the_sign_in_table_says(tmp_path: Path) -> None:
    """Signing in as each demo account goes to the page its row of the table names (the
    registry admin: the console's overview), in Japanese and English."""
    settings = keyed_sqlite(tmp_path, demo=True)
    with open_runtime(settings=settings) as runtime:
        load_demo_programmes(runtime, only_if_empty=True)
        create_demo_accounts(runtime)
    assert set(LANDINGS) == {account.email for account in demo_accounts()}
    for live in serve(settings):
        for language, pick in (("ja", 1), ("en", 2)):
            with httpx.Client(base_url=live.url, timeout=30) as browser:
                table = Page(browser.get("/sign-in", params={"lang": language}).text)
                rows = {row.attrs["data-email"]: row for row in table.all("tr")
                        if row.attrs.get("data-email")}
            for email, landing in LANDINGS.items():
                row = rows[email]
                assert row.attrs.get("data-lands-on") == landing[0], email
                assert " ".join(row.text.split()).endswith(landing[pick]), email
                with httpx.Client(base_url=live.url, timeout=30) as client:
                    assert sign_in(client, email, DEMO_PASSWORD).status_code == 303
                    home = client.get("/home")
                    assert (home.status_code, home.headers["location"]) == (303, landing[0])
                    assert client.get(landing[0]).status_code == 200, email
