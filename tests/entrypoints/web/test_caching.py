"""Public documents from the runtime's caches, over real HTTP on SQLite and PostgreSQL:
strong ETags, ``If-None-Match`` answered 304, ``Cache-Control`` for shared caches, and a
cache that never answers what has changed — a new programme version, a revoked credential.
"""

from __future__ import annotations

import copy
import uuid
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from credstack.adapters.keystore import new_master_key_text
from credstack.settings import Settings
from tests.conftest import LiveServer, at_own_url, operator_client, operator_token, serve
from tests.entrypoints.web.pages.test_programmes import (
    GENERATIVE_AI,
    ORGANISATIONS,
    post_programme,
)
from tests.helpers import organisation

SLUG = "hokuto-tech"
HTML = {"Accept": "text/html"}


@pytest.fixture(scope="module")
def live(module_settings: Settings) -> Iterator[LiveServer]:
    """One server per database for the module's tests: each reads and changes a programme
    or a credential of its own; the organisations and the issuer's key are made once
    (:func:`_operator`)."""
    configured, port = at_own_url(module_settings, secret_key=new_master_key_text())
    yield from serve(configured, port=port)


@pytest.fixture(scope="module")
def _operator(live: LiveServer) -> str:
    """The platform operator's token, once the registry's organisations and the issuing one,
    with its Ed25519 key, are made."""
    token = operator_token(live)
    with httpx.Client(base_url=live.url, timeout=30,
                      headers={"Authorization": f"Bearer {token}"}) as client:
        for made in ORGANISATIONS:
            response = client.post("/api/organisations", json=made)
            assert response.status_code == 201, response.text
        response = client.post("/api/organisations", json=organisation())
        assert response.status_code == 201, response.text
        response = client.post(f"/api/organisations/{SLUG}/keys", json={"type": "Ed25519"})
        assert response.status_code == 201, response.text
    return token


@pytest.fixture
def http(live: LiveServer, _operator: str) -> Iterator[httpx.Client]:
    """The platform operator's client of the module's server, with no cookie of another
    test's."""
    with operator_client(live, token=_operator) as client:
        yield client


@pytest.fixture
def course() -> dict[str, Any]:
    """The generative-AI course under a code of the test's own."""
    return {**copy.deepcopy(GENERATIVE_AI), "code": f"GAI-{uuid.uuid4().hex[:8].upper()}"}


def _revised(course: dict[str, Any]) -> dict[str, Any]:
    """``course`` with a new title."""
    return {**copy.deepcopy(course), "title": {"ja": "生成AIの業務活用 改訂版",
                                               "en": "Generative AI at work, revised"}}


def _revalidated(http: httpx.Client, path: str, response: httpx.Response,
                 **headers: str) -> httpx.Response:
    """``path`` asked again with the ETag of ``response``."""
    return http.get(path, headers={**headers, "If-None-Match": response.headers["ETag"]})


def _strong(response: httpx.Response) -> str:
    etag = response.headers["ETag"]
    assert etag.startswith('"') and etag.endswith('"'), etag
    return etag


def test_a_programme_page_has_a_strong_etag_and_answers_304(http: httpx.Client,
                                                            course: dict[str, Any]) -> None:
    """The page is public for a minute, its ETag strong; the same ETag back is a 304 with no
    body, another language is another page with another ETag."""
    programme_id = post_programme(http, course)
    path = f"/programmes/{programme_id}"
    page = http.get(path, headers={**HTML, "Accept-Language": "ja"})
    assert page.status_code == 200
    assert page.headers["Cache-Control"] == "public, max-age=60"
    etag = _strong(page)
    again = _revalidated(http, path, page, **HTML, **{"Accept-Language": "ja"})
    assert again.status_code == 304
    assert again.content == b""
    assert again.headers["ETag"] == etag
    english = http.get(path, headers={**HTML, "Accept-Language": "en"})
    assert english.status_code == 200
    assert english.headers["Content-Language"] == "en"
    assert _strong(english) != etag
    assert "Generative AI at work" in english.text
    stale = http.get(path, headers={**HTML, "Accept-Language": "en", "If-None-Match": etag})
    assert stale.status_code == 200


def test_a_new_programme_version_is_not_answered_from_the_old_page(
        http: httpx.Client, course: dict[str, Any]) -> None:
    """Once version 2 is published, the page (read and cached at version 1) shows version 2
    with a new ETag, and the old ETag is no longer 304."""
    programme_id = post_programme(http, course)
    path = f"/programmes/{programme_id}?lang=en"
    first = http.get(path, headers=HTML)
    assert "Generative AI at work" in first.text
    assert _revalidated(http, path, first, **HTML).status_code == 304
    response = http.put(f"/api/programmes/{programme_id}",
                        json={"descriptors": _revised(course), "publish": True})
    assert response.json()["change"] == "new-version", response.text
    second = _revalidated(http, path, first, **HTML)
    assert second.status_code == 200
    assert "Generative AI at work, revised" in second.text
    assert _strong(second) != first.headers["ETag"]


def _issued(http: httpx.Client, suite: str) -> dict:
    response = http.post("/credentials/issue", json={
        "credential": {"@context": ["https://www.w3.org/ns/credentials/v2"],
                       "type": ["VerifiableCredential"],
                       "credentialSubject": {"id": "did:example:learner", "name": "Hanako"}},
        "options": {"cryptosuite": suite, "credentialStatus": {
            "type": "BitstringStatusListEntry", "statusPurpose": "revocation"}}})
    assert response.status_code == 201, response.text
    credential: dict = response.json()["verifiableCredential"]
    return credential


def _revoke(http: httpx.Client, credential: dict) -> None:
    response = http.post("/credentials/status", json={
        "credentialId": credential["id"],
        "credentialStatus": [{"type": "BitstringStatusListEntry",
                              "statusPurpose": "revocation", "status": True}]})
    assert response.json()["state"] == "revoked", response.text


def test_a_status_list_is_cached_by_its_generation(http: httpx.Client) -> None:
    """A status list has a strong ETag and a short public lifetime; unchanged it is 304, and
    a revocation makes it a new document at once."""
    credential = _issued(http, "eddsa-jcs-2022")
    entry = credential["credentialStatus"]
    entry = entry[0] if isinstance(entry, list) else entry
    path = httpx.URL(entry["statusListCredential"]).path
    listed = http.get(path)
    assert listed.status_code == 200
    assert listed.headers["Cache-Control"] == "public, max-age=300"
    assert listed.headers["content-type"].startswith("application/vc+ld+json")
    etag = _strong(listed)
    assert _revalidated(http, path, listed).status_code == 304
    assert http.get(path).json() == listed.json()
    _revoke(http, credential)
    changed = _revalidated(http, path, listed)
    assert changed.status_code == 200
    assert _strong(changed) != etag
    assert changed.json()["credentialSubject"] != listed.json()["credentialSubject"]


@pytest.mark.parametrize("suite", ["eddsa-jcs-2022", "eddsa-rdfc-2022"])
def test_a_revocation_is_seen_at_once_through_the_verification_cache(http: httpx.Client,
                                                                     suite: str) -> None:
    """Verified twice (the status list and the issuer's DID document then cached), revoked,
    and the very next verification says revoked."""
    credential = _issued(http, suite)
    for _ in range(2):
        response = http.post("/credentials/verify", json={"verifiableCredential": credential})
        assert response.status_code == 200, response.json()["errors"]
        assert response.json()["verified"] is True
    _revoke(http, credential)
    refused = http.post("/credentials/verify", json={"verifiableCredential": credential})
    assert refused.status_code == 400
    status = next(check for check in refused.json()["checks"] if check["check"] == "status")
    assert status["ok"] is False and status["code"] == "revoked", status


@pytest.mark.parametrize("extension", ["svg", "png"])
def test_a_badge_is_drawn_once_and_answers_304(http: httpx.Client, extension: str,
                                               course: dict[str, Any]) -> None:
    """A published version's badge: public and asked again each time (a new design shows at
    once), the same bytes and ETag when asked again, 304 when the ETag comes back."""
    programme_id = post_programme(http, course)
    path = f"/badges/{programme_id}/v1.{extension}"
    badge = http.get(path)
    assert badge.status_code == 200
    assert badge.headers["Cache-Control"] == "public, no-cache"
    again = http.get(path)
    assert again.content == badge.content
    assert _strong(again) == _strong(badge)
    assert _revalidated(http, path, badge).status_code == 304


def test_a_did_document_is_cached_until_a_key_changes(http: httpx.Client) -> None:
    """The DID document has a strong ETag and is 304 while its keys are the same; a rotated
    key is in the very next document."""
    _issued(http, "eddsa-jcs-2022")
    path = f"/organisations/{SLUG}/did.json"
    document = http.get(path)
    assert document.status_code == 200
    assert document.headers["Cache-Control"] == "public, max-age=300"
    assert _revalidated(http, path, document).status_code == 304
    rotated = http.post(f"/api/organisations/{SLUG}/keys/rotate", json={"type": "Ed25519"})
    assert rotated.status_code in {200, 201}, rotated.text
    changed = _revalidated(http, path, document)
    assert changed.status_code == 200
    # The new key, as a Multikey and as a JsonWebKey method.
    assert len(changed.json()["verificationMethod"]) == \
        len(document.json()["verificationMethod"]) + 2


def test_an_achievement_has_a_strong_etag_and_answers_304(http: httpx.Client,
                                                          course: dict[str, Any]) -> None:
    """A published version's Open Badges Achievement: public for a day, 304 on its ETag,
    another language another document."""
    programme_id = post_programme(http, course)
    path = f"/achievements/{programme_id}/v1"
    document = http.get(path)
    assert document.status_code == 200
    assert document.headers["Cache-Control"] == "public, max-age=86400"
    assert _revalidated(http, path, document).status_code == 304
    english = http.get(f"{path}?language=en")
    assert english.json()["name"] != document.json()["name"]
    assert _strong(english) != _strong(document)


#: The programme's representations besides its page: the API's JSON, CTDL, the Achievement.
REPRESENTATIONS = ["/api/programmes/{id}", "/api/programmes/{id}/ctdl",
                   "/api/programmes/{id}/achievement", "/api/programmes/{id}/achievement"
                   "?language=en"]


@pytest.fixture
def anonymous_reader(live: LiveServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=live.url, timeout=30) as client:
        yield client


@pytest.mark.parametrize("template", REPRESENTATIONS)
def test_a_programmes_json_has_a_strong_etag_and_answers_304(
        http: httpx.Client, anonymous_reader: httpx.Client, template: str,
        course: dict[str, Any]) -> None:
    """As the page: a strong ETag and a public lifetime; the same ETag back is a 304 with
    no body; the cached JSON is what the route makes (the same document each time, and for
    the API's JSON the same as a registry admin, who reads it uncached, is given)."""
    programme_id = post_programme(http, course)
    path = template.format(id=programme_id)
    document = anonymous_reader.get(path)
    assert document.status_code == 200, document.text
    assert document.headers["Cache-Control"].startswith("public, max-age=")
    etag = _strong(document)
    again = _revalidated(anonymous_reader, path, document)
    assert again.status_code == 304
    assert again.content == b""
    assert again.headers["ETag"] == etag
    assert anonymous_reader.get(path).json() == document.json()
    if template == "/api/programmes/{id}":
        assert document.headers["content-type"] == "application/json"
        assert http.get(path).json() == document.json()
        assert "Authorization" in document.headers["Vary"]
    else:
        assert document.headers["content-type"] == "application/ld+json"
        assert document.headers["Access-Control-Allow-Origin"] == "*"


@pytest.mark.parametrize("template", REPRESENTATIONS)
def test_a_new_programme_version_is_not_answered_from_the_old_json(
        http: httpx.Client, anonymous_reader: httpx.Client, template: str,
        course: dict[str, Any]) -> None:
    """Once version 2 is published, the JSON read and cached at version 1 is version 2's,
    with a new ETag; the old ETag is no longer 304."""
    programme_id = post_programme(http, course)
    path = template.format(id=programme_id)
    first = anonymous_reader.get(path)
    assert _revalidated(anonymous_reader, path, first).status_code == 304
    response = http.put(f"/api/programmes/{programme_id}",
                        json={"descriptors": _revised(course), "publish": True})
    assert response.json()["change"] == "new-version", response.text
    second = _revalidated(anonymous_reader, path, first)
    assert second.status_code == 200
    assert "生成AIの業務活用 改訂版" in second.text or "revised" in second.text
    assert _strong(second) != first.headers["ETag"]
