"""The wallet with credentials secured as an SD-JWT and as COSE (issue 58): a learner
pastes the one and uploads the other, the wallet keeps and verifies each, its page says how
it is secured (and which claims the SD-JWT shows). Over HTTP against the real application,
on SQLite and PostgreSQL; inputs signed in the test (:mod:`tests.secured_forms`)."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest

from credstack.settings import Settings
from tests.accounts import add_user
from tests.conftest import LiveServer, serve
from tests.entrypoints.web.pages.test_programmes import assert_accessible, squash
from tests.entrypoints.web.pages.test_wallet_pages import (
    Browser,
    Wallets,
    done,
    email,
    wallets,
)
from tests.secured_forms import credential, enveloped, unsigned

__all__ = ["wallets"]  # the fixture shared with the wallet's page tests


def test_an_sd_jwt_is_pasted_kept_verified_and_says_what_it_shows(wallets: Wallets) -> None:
    """Hanako pastes her credential as an SD-JWT: the wallet keeps it, verified, its page
    says it is an SD-JWT and names the claims it shows, in English and Japanese."""
    learner = Browser(wallets.live, "hanako")
    try:
        target = done(learner.paste(credential("vc+sd-jwt").decode("ascii")))
        public_id = target.split("/wallet/credentials/")[1].split("?")[0]
        page = learner.page(f"/wallet/credentials/{public_id}")
        assert page.one("div", id="verify-verdict").attrs["data-verified"] == "true"
        fact = page.one("div", id="verify-securing")
        assert fact.attrs["data-form"] == "sd-jwt"
        assert "An SD-JWT (JOSE, selective disclosure)" in squash(fact.text)
        assert "An identifier of the learner" in squash(fact.text)
        assert_accessible(page, "en")
        original = learner.get(f"/wallet/credentials/{public_id}/original")
        assert original.content == credential("vc+sd-jwt"), "kept as it was given"
    finally:
        learner.close()
    japanese = Browser(wallets.live, "hanako", "ja")
    try:
        page = japanese.page(f"/wallet/credentials/{public_id}")
        assert "SD-JWT（JOSE・選択的開示）" in squash(page.one("div", id="verify-securing").text)
    finally:
        japanese.close()


@pytest.fixture(scope="module")
def held(module_settings: Settings) -> Iterator[LiveServer]:
    """A server on each store whose learners hold nothing yet (Hanako among them: the
    credentials of :mod:`tests.secured_forms` name her address)."""
    for name in HOLDERS:
        add_user(module_settings, email(name), name=name.title())
    yield from serve(module_settings)


#: The learners of :func:`held`: one per test that keeps something (their wallets are their
#: own); the secured credentials name Hanako's address.
HOLDERS = ("hanako",)


def test_a_cose_file_is_kept_verified_and_found_again_when_pasted_enveloped(
        held: LiveServer) -> None:
    """Hanako uploads her credential as its COSE_Sign1 file: the wallet keeps it byte for
    byte (given back as application/vc+cose), verified, its page says it is COSE and shows
    the credential's name; pasting the same credential later as its Enveloped Verifiable
    Credential finds the one kept (not a second copy), and the record lists it once."""
    learner = Browser(held, "hanako")
    try:
        data = credential("vc+cose")
        target = done(learner.upload("badge.cose", data, media_type="application/vc+cose"))
        public_id = target.split("/wallet/credentials/")[1].split("?")[0]
        page = learner.page(f"/wallet/credentials/{public_id}")
        assert page.one("div", id="verify-verdict").attrs["data-verified"] == "true"
        assert page.one("div", id="verify-securing").attrs["data-form"] == "cose"
        assert "COSE (CBOR)" in squash(page.one("div", id="verify-securing").text)
        assert squash(page.one("h1").text) == "Maintenance of Semiconductor Manufacturing Equipment"
        assert_accessible(page, "en")
        original = learner.get(f"/wallet/credentials/{public_id}/original")
        assert original.content == data, "kept as it was given"
        assert original.headers["content-type"].startswith("application/vc+cose")
        again = done(learner.paste(json.dumps(enveloped(data, "application/vc+cose"))))
        assert public_id in again, "the same credential, found in the wallet"
        assert learner.ids().count(public_id) == 1
    finally:
        learner.close()
    japanese = Browser(held, "hanako", "ja")
    try:
        page = japanese.page(f"/wallet/credentials/{public_id}")
        assert "COSE（CBOR）" in squash(page.one("div", id="verify-securing").text)
        assert squash(page.one("h1").text) == unsigned()["name"]
        assert_accessible(page, "ja")
    finally:
        japanese.close()
