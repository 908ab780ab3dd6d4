"""A password reset link's page: set the new password once, without JavaScript."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from credstack.core.access import Operator
from credstack.entrypoints.bootstrap import open_runtime
from credstack.services.accounts import passwords
from credstack.settings import Settings
from tests import patiently
from tests.accounts import PASSWORD, add_user, sign_in, signed_in_client
from tests.conftest import LiveServer, serve_with_key
from tests.entrypoints.web.pages.forms import NONCE

EMAIL = "staff@example.org"
NEW = "a brand new passphrase"


@pytest.fixture
def live(settings: Settings) -> Iterator[LiveServer]:
    for server in serve_with_key(settings):
        add_user(server.settings, EMAIL, roles=[("hokuto-tech", "issuer")])
        yield server


def reset_path(live: LiveServer) -> str:
    with open_runtime(settings=live.settings) as runtime:
        link = passwords.start_reset(runtime, actor=Operator("test"), email=EMAIL)
    return f"/password-reset/{link.token}"


def test_the_link_sets_a_new_password_once_and_signs_the_user_out(live):
    """Labelled fields, the two entries must agree, the policy holds; then the link is gone,
    the old sessions end, and the new password signs in."""
    before = signed_in_client(live.url, EMAIL)
    path = reset_path(live)
    with httpx.Client(base_url=live.url, timeout=30) as browser:
        form = browser.get(path, headers={"accept-language": "en"})
        assert form.status_code == 200 and form.headers["cache-control"] == "no-store"
        assert EMAIL in form.text and '<label for="password">' in form.text
        nonce = NONCE.search(form.text).group(1)
        differ = browser.post(path, data={"password": NEW, "password_again": NEW + "!",
                                          "nonce": nonce})
        assert differ.status_code == 422 and 'aria-invalid="true"' in differ.text
        nonce = NONCE.search(differ.text).group(1)
        short = browser.post(path, data={"password": "short", "password_again": "short",
                                         "nonce": nonce}, headers={"accept-language": "en"})
        assert short.status_code == 422 and "at least 12 characters" in short.text
        nonce = NONCE.search(short.text).group(1)
        done = browser.post(path, data={"password": NEW, "password_again": NEW,
                                        "nonce": nonce})
        assert done.status_code == 303
        assert done.headers["location"] == "/sign-in?done=password-set"
        assert browser.get(path).status_code == 404
        assert sign_in(browser, EMAIL, PASSWORD).status_code == 401
    assert before.get("/api/me").status_code == 401
    before.close()
    with httpx.Client(base_url=live.url, timeout=30) as browser:
        assert sign_in(browser, EMAIL, NEW).status_code == 303


def test_a_post_from_elsewhere_or_to_an_unknown_link_changes_nothing(live):
    path = reset_path(live)
    forged = patiently.post(f"{live.url}{path}", data={"password": NEW, "password_again": NEW,
                                                   "nonce": "forged"})
    assert forged.status_code == 403
    unknown = patiently.get(f"{live.url}/password-reset/not-a-link",
                            headers={"accept-language": "ja"})
    assert unknown.status_code == 404 and "新しいリンクを申し込む" in unknown.text
    with httpx.Client(base_url=live.url, timeout=30) as browser:
        assert sign_in(browser, EMAIL, PASSWORD).status_code == 303
