"""The local mailbox of a demo or development server (``/mailbox``), over HTTP.

Without an SMTP server a demo server still lets a learner sign up and claim: the sign-up
answer points to the mailbox, which shows the confirmation e-mail (subject, text, links) to
whoever names the address, and to a signed-in person their own e-mail; its link makes the
account, whose wallet holds the credential issued to the address before. A server that is
not a demo has no mailbox (404) and, without SMTP, no sign-up.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.accounts import issued_credentials, provider_store
from tests.conftest import Clock, LiveServer, at_own_url, keyed_sqlite, serve
from tests.entrypoints.web.pages.forms import form_nonce
from tests.entrypoints.web.pages.test_programmes import Page, assert_accessible

LEARNER = "claimer@example.jp"
CHOSEN = "my own long passphrase"


def _demo(folder: Path, *, demo: bool) -> Iterator[LiveServer]:
    settings, port = at_own_url(keyed_sqlite(folder, demo=demo))
    secret = settings.secret_key or ""
    assert settings.smtp_host is None
    now = Clock().now
    provider_store(settings, secret=secret, now=now)
    issued_credentials(settings, secret=secret, now=now,
                       cohort=f"email,name\n{LEARNER},Claimer\n", batch="mailbox")
    yield from serve(settings, port=port)


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    yield from _demo(tmp_path_factory.mktemp("mailbox-demo"), demo=True)


def test_a_learner_signs_up_on_a_demo_server_through_its_mailbox(demo: LiveServer) -> None:
    """Sign-up is open without SMTP; the answer links the mailbox; the e-mail's link makes
    the account, whose wallet holds the credential; signed in, the mailbox is theirs."""
    with httpx.Client(base_url=demo.url, timeout=30, headers={"Accept-Language": "en"}
                      ) as browser:
        assert 'href="/sign-up' in browser.get("/sign-in").text
        nonce = form_nonce(browser, "/sign-up?next=/wallet")
        asked = browser.post("/sign-up", data={
            "email": LEARNER, "display_name": "Claimer", "password": CHOSEN,
            "password_again": CHOSEN, "next_path": "/wallet", "nonce": nonce})
        assert asked.status_code == 303
        sent = browser.get(asked.headers["location"])
        assert sent.status_code == 200
        mailbox_link = re.search(r'href="(/mailbox\?[^"]+)"', sent.text)
        assert mailbox_link is not None
        for language in ("ja", "en"):
            shown = browser.get(f"{mailbox_link.group(1)}&lang={language}")
            assert shown.status_code == 200
            assert_accessible(Page(shown.text), language)
        page = Page(shown.text)
        assert "Confirm your e-mail address" in page.text
        links = [a.attrs["href"] for a in page.all("a") if "/sign-up/" in a.attrs.get("href", "")]
        assert links, shown.text
        path = links[0].removeprefix(demo.settings.public_url)
        confirmed = browser.post(path, data={"nonce": form_nonce(browser, path),
                                             "password": CHOSEN})
        assert confirmed.status_code == 303 and confirmed.headers["location"] == "/wallet"
        wallet = browser.get("/wallet", headers={"Accept": "text/html"})
        assert wallet.text.count('class="wallet-card"') == 1
        own = Page(browser.get("/mailbox").text)
        assert LEARNER in own.text and "Confirm your e-mail address" in own.text


def test_the_mailbox_shows_each_email_as_the_mail_program_does(demo: LiveServer) -> None:
    """Each message is framed from ``/mailbox/{id}``: its HTML as sent — the platform's band,
    the one button that confirms the address — in a document where nothing runs, whose links
    open in the mailbox's window; another address's message is not shown (404)."""
    address = "framed@example.jp"
    with httpx.Client(base_url=demo.url, timeout=30, headers={"Accept-Language": "en"}
                      ) as browser:
        nonce = form_nonce(browser, "/sign-up")
        assert browser.post("/sign-up", data={
            "email": address, "display_name": "Framed", "password": CHOSEN,
            "password_again": CHOSEN, "next_path": "/wallet", "nonce": nonce}
        ).status_code == 303
        page = Page(browser.get("/mailbox", params={"to": address}).text)
        [frame] = page.all("iframe")
        assert "Confirm your e-mail address" in frame.attrs["title"]
        assert "allow-scripts" not in frame.attrs["sandbox"]
        shown = browser.get(frame.attrs["src"])
        assert shown.status_code == 200
        policy = shown.headers["content-security-policy"]
        assert policy.startswith("sandbox ") and "allow-scripts" not in policy
        # Its links open in the mailbox's window (a click may navigate the top), not in the
        # frame, where credstack's pages refuse to be framed.
        assert "allow-top-navigation-by-user-activation" in frame.attrs["sandbox"]
        assert re.search(r"<head[^>]*><base target=\"_top\">", shown.text)
        button = re.search(r'class="cs-button"[^>]*><a href="([^"]+)"[^>]*>(.*?)</a>',
                           shown.text)
        assert button is not None and "/sign-up/" in button[1]
        assert "Confirm the address" in button[2]
        assert button[1] in page.one("pre", **{"class": "mail-text"}).text
        path = frame.attrs["src"].split("?")[0]
        assert browser.get(path, params={"to": LEARNER}).status_code == 404
        assert browser.get("/mailbox/999999", params={"to": address}).status_code == 404


def test_a_server_that_is_not_a_demo_has_no_mailbox(tmp_path: Path) -> None:
    """No mailbox page, and without SMTP no sign-up."""
    for live in _demo(tmp_path, demo=False):
        with httpx.Client(base_url=live.url, timeout=30) as browser:
            assert browser.get("/mailbox", params={"to": LEARNER}).status_code == 404
            assert browser.get("/sign-up").status_code == 404
