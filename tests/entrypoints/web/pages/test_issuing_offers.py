"""An issuer hands a learner their credential: the offer's QR code and transaction code on the
workspace's credential page, in Japanese and English; learners and others are refused."""

from __future__ import annotations

import re

import pytest

from tests.entrypoints.web.pages.forms import FormBrowser
from tests.entrypoints.web.pages.test_issuing_pages import (
    ISSUER,
    LEARNER,
    Issuing,
    issuing,
    path,
)
from tests.entrypoints.web.pages.test_programmes import Page, assert_accessible

__all__ = ["issuing"]


@pytest.mark.parametrize("language", ["ja", "en"])
def test_the_issuer_shows_the_learner_a_qr_code_and_a_transaction_code(
        issuing: Issuing, language: str) -> None:
    browser = FormBrowser(issuing.live, ISSUER, language)
    try:
        credential_id = issuing.batch[0]
        assert "/offer" in browser.get(path(credential_id)).text
        answer = browser.post(path(credential_id, "/offer"))
        assert answer.status_code == 200, answer.text
        assert 'src="data:image/svg+xml;base64,' in answer.text
        assert re.search(r'<span class="code" translate="no">\d{6}</span>', answer.text)
        assert_accessible(Page(answer.text), language)
    finally:
        browser.close()


def test_a_learner_cannot_use_the_workspace_to_make_offers(issuing: Issuing) -> None:
    browser = FormBrowser(issuing.live, LEARNER)
    try:
        answer = browser.post(path(issuing.batch[0], "/offer"))
        assert answer.status_code == 403
    finally:
        browser.close()
