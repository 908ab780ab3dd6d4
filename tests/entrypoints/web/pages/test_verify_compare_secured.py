"""The employer's comparison page (``/verify/compare``) with presentations secured as JOSE
(issue 58): a pasted vp+sd-jwt is read as the holder's presentation of one credential and
verified, a row for the credential. (A vp+cose, enveloped or as its file, is not read here
yet: issue 58's remainder.) Over HTTP against the real application; inputs signed in the test
(:mod:`tests.secured_forms`)."""

from __future__ import annotations

import httpx

from tests.entrypoints.web.pages.test_programmes import Page, assert_accessible
from tests.entrypoints.web.pages.test_verify_compare import employer, http, post, rows
from tests.secured_forms import presentation

__all__ = ["employer", "http"]  # fixtures shared with the comparison's tests


def test_a_pasted_sd_jwt_presentation_is_read_and_verified(http: httpx.Client) -> None:
    """Verified, its credential's row, the page accessible."""
    page = Page(post(http, pasted=presentation("vc+sd-jwt").decode("ascii"),
                     **{"Accept-Language": "ja"}).text)
    found = rows(page)
    assert [row["outcome"] for row in found] == ["verified"], found
    assert_accessible(page, "ja")
