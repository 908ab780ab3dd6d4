"""Recognitions over HTTP: the endorsement credential, the certification mark, the programme's
recognitions, and what the verification API, the /verify page, the programme page and the
registry search say about a recognised programme — valid, then expired (the app's clock moved
past validUntil) and withdrawn.

A real server on SQLite and PostgreSQL whose store was prepared directly (a provider with a
published programme, a recognition body, keys, one learner credential, one recognition).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from credstack.services.recognitions import service as recognitions
from credstack.settings import Settings
from tests.conftest import Clock, free_port, serve
from tests.services.recognitions.test_service import NOW, VALID_UNTIL, Store, prepare

NUMBER = "R-2026-0001"


@dataclass
class Live:
    url: str
    store: Store
    clock: Clock


def serve_recognised(settings: Settings) -> Iterator[Live]:
    """The prepared store, the recognition granted, served with a clock stopped at NOW."""
    port = free_port()
    store = prepare(settings, public_url=f"http://localhost:{port}")
    store.grant(NUMBER)
    clock = Clock(NOW)
    try:
        for server in serve(store.settings, port=port, clock=clock):
            yield Live(server.url, store, clock)
    finally:
        store.sessions.kw["bind"].dispose()


@pytest.fixture(scope="module")
def _shared(module_settings: Settings) -> Iterator[Live]:
    """One server per database for the tests that change nothing in the store: they read
    the recognition, some after moving the clock (each starts at NOW again)."""
    yield from serve_recognised(module_settings)


@pytest.fixture
def live(_shared: Live) -> Live:
    _shared.clock.now = NOW
    return _shared


@pytest.fixture
def http(live: Live) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=live.url, timeout=30) as client:
        yield client


@pytest.fixture
def own(settings: Settings) -> Iterator[Live]:
    """A server of its own, for a test that withdraws the recognition."""
    yield from serve_recognised(settings)


def recognition_check(body: dict[str, Any]) -> dict[str, Any]:
    found: dict[str, Any] = next(c for c in body["checks"] if c["check"] == "recognition")
    return found


# --- the endorsement credential and the mark --------------------------------------------------

def test_the_endorsement_credential_is_served_and_verifies(http: httpx.Client,
                                                           live: Live) -> None:
    """GET /recognitions/{number}: the signed EndorsementCredential, whose id is that URL."""
    response = http.get(f"/recognitions/{NUMBER}")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/vc+ld+json")
    endorsement = response.json()
    assert "EndorsementCredential" in endorsement["type"]
    assert endorsement["id"] == f"{live.store.settings.public_url}/recognitions/{NUMBER}"
    verified = http.post("/credentials/verify", json={"verifiableCredential": endorsement})
    assert verified.status_code == 200, verified.json()["errors"]
    assert http.get("/recognitions/R-2099-0001").status_code == 404
    assert http.get("/recognitions/..%2Fsecret").status_code in {404, 422}


@pytest.mark.parametrize(("lang", "words"), [("ja", "認定マーク"), ("en", "Certification mark")])
def test_the_mark_is_an_accessible_svg_cached_for_long(http: httpx.Client, lang: str,
                                                       words: str) -> None:
    """mark.svg?lang=: image/svg+xml, a year's immutable cache, ETag and 304, no resources."""
    response = http.get(f"/recognitions/{NUMBER}/mark.svg", params={"lang": lang})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("image/svg+xml")
    assert "immutable" in response.headers["cache-control"]
    assert "max-age=31536000" in response.headers["cache-control"]
    assert response.headers["content-security-policy"] == "default-src 'none'"
    text = response.text
    assert 'role="img"' in text and f'xml:lang="{lang}"' in text and words in text
    assert NUMBER in text
    again = http.get(f"/recognitions/{NUMBER}/mark.svg", params={"lang": lang},
                     headers={"If-None-Match": response.headers["etag"]})
    assert again.status_code == 304


def test_the_mark_takes_ja_or_en_only(http: httpx.Client) -> None:
    assert http.get(f"/recognitions/{NUMBER}/mark.svg", params={"lang": "fr"}
                    ).status_code == 422
    assert http.get("/recognitions/R-2099-0001/mark.svg").status_code == 404


def test_a_programmes_recognitions_are_listed_with_their_status(http: httpx.Client,
                                                                live: Live) -> None:
    """GET /api/programmes/{id}/recognitions: the decision, the body, status at the app clock."""
    response = http.get(f"/api/programmes/{live.store.programme_id}/recognitions")
    assert response.status_code == 200
    (found,) = response.json()
    assert found["number"] == NUMBER and found["status"] == "valid"
    assert found["recognition_body"]["slug"] == "jmicro"
    assert found["outcome"] == "recognised-with-conditions"
    assert found["conditions"]["en"] == "Publish the assessment rubric."
    assert found["mark_url"]["en"].endswith(f"/recognitions/{NUMBER}/mark.svg?lang=en")
    live.clock.now = VALID_UNTIL + dt.timedelta(days=1)
    (later,) = http.get(f"/api/programmes/{live.store.programme_id}/recognitions").json()
    assert later["status"] == "expired"
    assert http.get("/api/programmes/999999/recognitions").status_code == 404


# --- verification ------------------------------------------------------------------------------

def test_verification_reports_the_recognition_valid_then_expired(http: httpx.Client,
                                                                 live: Live) -> None:
    """The learner credential verifies; its recognition is valid, and expired after validUntil."""
    credential = live.store.learner_credential
    body = http.post("/credentials/verify", json={"verifiableCredential": credential}).json()
    assert body["verified"] is True, body["errors"]
    check = recognition_check(body)
    assert check["kind"] == "info" and check["code"] == "valid"
    assert check["details"]["recognitions"][0]["issuer"]["slug"] == "jmicro"
    live.clock.now = VALID_UNTIL + dt.timedelta(days=1)
    body = http.post("/credentials/verify", json={"verifiableCredential": credential}).json()
    assert body["verified"] is True, body["errors"]
    assert recognition_check(body)["code"] == "expired"
    assert "recognition-expired" in [warning["code"] for warning in body["warnings"]]


def test_the_verify_page_shows_the_recognition_in_both_languages(http: httpx.Client,
                                                                 live: Live) -> None:
    """/verify: the recognition block names the body, the outcome and the decision."""
    text = json.dumps(live.store.learner_credential, ensure_ascii=False)
    for lang, words in (("ja", "このプログラムは認定を受けています"),
                        ("en", "This programme is recognised")):
        response = http.post("/verify", params={"lang": lang}, data={"credential": text})
        assert response.status_code == 200, response.text[:500]
        page = response.text
        assert 'id="verify-recognition" data-recognition="valid"' in page
        assert words in page
        assert f"/recognitions/{NUMBER}/mark.svg?lang={lang}" in page
        assert f"/recognition/decisions/{NUMBER}" in page


def test_withdrawal_shows_everywhere(own: Live) -> None:
    """After withdrawal: the API, the verification and the programme page say withdrawn."""
    with httpx.Client(base_url=own.url, timeout=30) as http:
        _withdrawal_shows_everywhere(http, own)


def _withdrawal_shows_everywhere(http: httpx.Client, live: Live) -> None:
    with live.store.sessions() as session, session.begin():
        recognitions.withdraw(session, recognition=NUMBER, reason="Conditions not met.",
                              now=NOW + dt.timedelta(days=30))
    live.clock.now = NOW + dt.timedelta(days=31)
    (found,) = http.get(f"/api/programmes/{live.store.programme_id}/recognitions").json()
    assert found["status"] == "withdrawn"
    body = http.post("/credentials/verify",
                     json={"verifiableCredential": live.store.learner_credential}).json()
    assert body["verified"] is True
    assert recognition_check(body)["code"] == "withdrawn"
    endorsement = http.get(f"/recognitions/{NUMBER}").json()
    revoked = http.post("/credentials/verify", json={"verifiableCredential": endorsement})
    assert revoked.status_code == 400
    assert "status" in [error["check"] for error in revoked.json()["errors"]]
    page = http.get(f"/programmes/{live.store.programme_id}", params={"lang": "en"}).text
    assert 'data-status="withdrawn"' in page and "Withdrawn" in page
    assert "/mark.svg" not in page


# --- the registry ------------------------------------------------------------------------------

def test_the_programme_page_shows_the_mark(http: httpx.Client, live: Live) -> None:
    """The programme page: the mark (an <img> with alt text), the status, the decision link."""
    page = http.get(f"/programmes/{live.store.programme_id}", params={"lang": "ja"}).text
    assert f'data-number="{NUMBER}" data-status="valid"' in page
    assert f'src="/recognitions/{NUMBER}/mark.svg?lang=ja"' in page
    assert "日本マイクロクレデンシャル機構による認定マーク" in page
    assert f'href="/recognition/decisions/{NUMBER}"' in page


def test_search_has_the_recognised_facet(http: httpx.Client, live: Live) -> None:
    """The index built at start knows the recognition: recognition=recognised finds it."""
    body = http.get("/api/search", params={"recognition": "recognised"}).json()
    assert [hit["programme_id"] for hit in body["hits"]] == [live.store.programme_id]
    values = {item["value"] for item in body["facets"]["recognition"]}
    assert "recognised" in values
