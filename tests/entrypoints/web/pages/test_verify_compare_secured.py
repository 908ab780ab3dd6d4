"""The employer's comparison page (``/verify/compare``) with presentations secured as JOSE
and COSE (issue 58): a pasted vp+sd-jwt is read as the holder's presentation of one credential
and verified, a row for the credential; a vp+cose pasted as its Enveloped Verifiable
Presentation or uploaded as its COSE_Sign1 file likewise (on SQLite and PostgreSQL), and a
credential's vc+cose file is a row of its own. Over HTTP against the real application; inputs
signed in the test (:mod:`tests.secured_forms`)."""

from __future__ import annotations

import json
from collections.abc import Iterator

import httpx
import pytest

from credstack.settings import Settings
from tests.conftest import serve
from tests.entrypoints.web.pages.test_programmes import HTML, Page, assert_accessible, squash
from tests.entrypoints.web.pages.test_verify_compare import employer, http, post, rows
from tests.secured_forms import credential, enveloped, presentation

__all__ = ["employer", "http"]  # fixtures shared with the comparison's tests


def test_a_pasted_sd_jwt_presentation_is_read_and_verified(http: httpx.Client) -> None:
    """Verified, its credential's row, the page accessible."""
    page = Page(post(http, pasted=presentation("vc+sd-jwt").decode("ascii"),
                     **{"Accept-Language": "ja"}).text)
    found = rows(page)
    assert [row["outcome"] for row in found] == ["verified"], found
    assert_accessible(page, "ja")


#: The credential's name as the comparison shows it (English).
NAME = "Maintenance of Semiconductor Manufacturing Equipment"


@pytest.fixture(scope="module")
def on_each_store(module_settings: Settings) -> Iterator[httpx.Client]:
    """The comparison served on SQLite and on PostgreSQL (it stores nothing)."""
    for live in serve(module_settings):
        with httpx.Client(base_url=live.url, timeout=60, headers=HTML) as client:
            yield client


def test_a_cose_presentation_pasted_enveloped_or_uploaded_is_read_and_verified(
        on_each_store: httpx.Client) -> None:
    """The holder's vp+cose pasted as its envelope and uploaded as its file: each one
    presentation whose holder signed it, one verified row for the credential it holds,
    named; the page accessible in Japanese and English."""
    data = presentation("vc+cose")
    pasted = json.dumps(enveloped(data, "application/vp+cose", presentation=True))
    for response, language in (
            (post(on_each_store, pasted=pasted, **{"Accept-Language": "en"}), "en"),
            (post(on_each_store, ("files", ("presentation.cose", data, "application/vp+cose")),
                  **{"Accept-Language": "ja"}), "ja")):
        assert response.status_code == 200, response.text[:2000]
        page = Page(response.text)
        found = rows(page)
        assert [row["outcome"] for row in found] == ["verified"], found
        assert found[0]["label"].endswith("#1"), "the credential of the presentation"
        assert (NAME if language == "en" else "半導体製造装置の保全技術") in squash(page.source)
        assert "not_text" not in page.source
        assert_accessible(page, language)


def test_a_cose_credential_file_is_a_row_of_its_own(on_each_store: httpx.Client) -> None:
    """A credential's vc+cose file beside its SD-JWT pasted: two verified rows."""
    response = post(on_each_store,
                    ("files", ("badge.cose", credential("vc+cose"), "application/vc+cose")),
                    pasted=credential("vc+sd-jwt").decode("ascii"),
                    **{"Accept-Language": "en"})
    found = rows(Page(response.text))
    assert [row["outcome"] for row in found] == ["verified", "verified"], found
    assert found[0]["label"] == "badge.cose"
