"""ELM v3 over real HTTP, on SQLite and PostgreSQL: an issued credential downloaded as a sealed
European Digital Credential (it verifies, keeps the EDC shapes, names the learner and the
programme), and a programme as an ELM dataset that imports back."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx
import pytest

from credstack.adapters.resolvers.elm import elm_document_loader, read_elm_reference
from credstack.core.descriptors import Format, read_documents
from credstack.core.elm import jades, validation
from credstack.core.elm.reference import ElmReference
from credstack.settings import Settings
from tests.conftest import SHARED_REF, Issued, operator_client, serve_issued
from tests.services.certificates.test_service import SECRET, SLUG, prepare


@pytest.fixture
def live(settings: Settings, tmp_path: Path) -> Iterator[Issued]:
    """The issuer's store, its operator having configured the ELM files and a trust list
    (``trusted.pem``, written by the test that needs it)."""
    yield from serve_issued(settings, prepare, secret_key=SECRET, elm_dir=SHARED_REF / "elm",
                            elm_trust=tmp_path / "trusted.pem")


@pytest.fixture
def http(live: Issued) -> Iterator[httpx.Client]:
    with operator_client(live.server, timeout=60) as client:
        yield client


@pytest.fixture(scope="module")
def reference() -> ElmReference:
    if not (SHARED_REF / "elm").is_dir():
        pytest.skip("the ELM reference files are in ../shared/ref/elm")
    return read_elm_reference(SHARED_REF / "elm")


def _edc(http: httpx.Client, credential_id: str, **params: str) -> httpx.Response:
    return http.get(f"/api/credentials/{quote(credential_id, safe=':')}/edc.json",
                    params=params)


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_an_issued_credential_downloads_as_a_sealed_edc_that_keeps_the_shapes(
        http: httpx.Client, live: Issued, reference: ElmReference, lang: str) -> None:
    """JAdES-B over the credential's JSON (b64 false), signed with the organisation's
    certificate (its chain in x5c); the credential keeps edc-generic-full; the primary
    language is the one asked for."""
    response = _edc(http, live.credentials["eddsa-rdfc-2022"], lang=lang)
    assert response.status_code == 200, response.text
    assert response.headers["content-disposition"].endswith(f'-{lang}.json"')
    sealed = response.json()
    seal = jades.read_seal(sealed)
    jades.verify_signature(sealed, seal)
    assert seal.header["b64"] is False and len(seal.certificates) >= 2
    root = seal.certificates[-1]
    assert root.issuer == root.subject  # the organisation's own authority ends the chain
    credential: dict[str, Any] = json.loads(seal.payload)
    graph = validation.credential_graph(credential, elm_document_loader(reference))
    assert validation.check_shapes(graph, reference, validation.shapes_profile(credential)) \
        == []
    primary = credential["displayParameter"]["primaryLanguage"]["id"]
    assert primary.endswith("/JPN" if lang == "ja" else "/ENG")
    claim = credential["credentialSubject"]["hasClaim"][0]
    assert claim["specifiedBy"]["identifier"]["notation"]
    assert credential["issuer"]["registration"]["notation"] == SLUG


def test_the_ebsi_envelope_keeps_ebsis_schema(http: httpx.Client, live: Issued,
                                              reference: ElmReference) -> None:
    """profile=elm-3.2: VC 2.0 first, VerifiableAttestation, EBSI's JSON Schema kept."""
    sealed = _edc(http, live.credentials["vc-jwt"], profile="elm-3.2").json()
    credential = json.loads(jades.read_seal(sealed).payload)
    assert credential["@context"][0] == "https://www.w3.org/ns/credentials/v2"
    assert validation.check_ebsi_schema(credential, reference) == []


def test_a_stranger_gets_no_edc(live: Issued) -> None:
    """Without a token: 401; nothing is sealed for anyone who may not read the credential."""
    with httpx.Client(base_url=live.server.url, timeout=60) as anonymous:
        response = _edc(anonymous, live.credentials["eddsa-rdfc-2022"])
    assert response.status_code == 401


def test_a_programme_is_an_elm_dataset_that_imports_back(http: httpx.Client) -> None:
    """GET /api/programmes/1/elm: its organisation, its specification, its opportunities; read
    back as ELM it is the programme its CTDL graph gives too."""
    response = http.get("/api/programmes/1/elm")
    assert response.status_code == 200, response.text
    types = [node["type"] for node in response.json()["@graph"]]
    assert types[0] == "Organisation" and "LearningOpportunity" in types
    from_elm = read_documents(response.content, Format.JSON, source="elm.jsonld")
    from_ctdl = read_documents(http.get("/api/programmes/1/ctdl").content, Format.CTDL,
                               source="ctdl.jsonld")
    assert from_elm.programmes == from_ctdl.programmes


def test_a_programme_the_register_would_not_take_is_answered_with_why(
        http: httpx.Client) -> None:
    """GET /api/programmes/1/elm?profile=register of a programme stating no level: 409, each
    reason in English and Japanese; the default profile still answers the dataset."""
    response = http.get("/api/programmes/1/elm", params={"profile": "register"})
    assert response.status_code == 409, response.text
    text = response.text
    assert "states no qualification level" in text and "資格レベルの記載がなく" in text
    assert http.get("/api/programmes/1/elm").status_code == 200


def test_credstacks_own_verifier_verifies_the_edc_under_the_organisations_authority(
        http: httpx.Client, live: Issued, tmp_path: Path) -> None:
    """The downloaded EDC, posted to /credentials/verify with the organisation's certificate
    authority on the operator's trust list: verified, the seal, the shapes and the issuer
    passed."""
    sealed = _edc(http, live.credentials["eddsa-rdfc-2022"]).json()
    authority = http.get(f"/api/organisations/{SLUG}/certificate-authority").json()
    (tmp_path / "trusted.pem").write_text(authority["authority"]["pem"], encoding="ascii")
    response = http.post("/credentials/verify", json={"verifiableCredential": sealed})
    body = response.json()
    assert response.status_code == 200, body
    outcomes = {check["check"]: check["outcome"] for check in body["checks"]}
    assert body["outcome"] == "verified", body["checks"]
    assert outcomes["proof"] == "passed" and outcomes["issuer"] == "passed"
