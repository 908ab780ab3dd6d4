"""The wallet with credentials secured as an SD-JWT and as COSE (issue 58): a learner
pastes the one and uploads the other, the wallet keeps and verifies each, its page says how
it is secured (and which claims the SD-JWT shows), and the learner presents it. Over HTTP
against the real application; inputs signed in the test (:mod:`tests.secured_forms`)."""

from __future__ import annotations

from tests.entrypoints.web.pages.test_programmes import assert_accessible, squash
from tests.entrypoints.web.pages.test_wallet_pages import Browser, Wallets, done, wallets
from tests.secured_forms import credential

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
