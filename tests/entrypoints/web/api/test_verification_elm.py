"""``POST /credentials/verify`` reads European Digital Credentials: a sealed EDC, with the
operator's ELM files and trust list, verifies; without a trust list it could not be checked;
a broken seal is a named finding. Real server, SQLite."""

from __future__ import annotations

import dataclasses
import datetime as dt
import gc
import json
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from credstack.adapters.resolvers.elm import elm_files
from credstack.core.elm.reference import DEFAULT_PROFILE
from credstack.settings import Settings
from credstack.testing.elm import SealPki, make_pki, seal
from tests.conftest import serve, sqlite_store

NOW = dt.datetime.now(dt.UTC)


@pytest.fixture(scope="module")
def pki() -> SealPki:
    return make_pki(not_before=NOW - dt.timedelta(days=30), not_after=NOW + dt.timedelta(days=300))


def elm_settings(folder: Path, template: Path, shared_ref: Path, pki: SealPki) -> Settings:
    """A SQLite store whose operator configured the ELM files and trusts ``pki``'s root."""
    trust = folder / "trusted-seals.pem"
    trust.write_bytes(pki.root_pem)
    return dataclasses.replace(sqlite_store(folder / "data", template),
                               elm_dir=shared_ref / "elm", elm_trust=trust)


@pytest.fixture(scope="module")
def live(shared_ref: Path, pki: SealPki, _sqlite_template: Path,
         tmp_path_factory: pytest.TempPathFactory) -> Iterator[httpx.Client]:
    settings = elm_settings(tmp_path_factory.mktemp("elm"), _sqlite_template, shared_ref, pki)
    for server in serve(settings):
        with httpx.Client(base_url=server.url, timeout=60) as client:
            yield client


def _sample(shared_ref: Path, name: str) -> dict:
    return json.loads((shared_ref / "elm" / name).read_text())


def test_a_sealed_edc_of_a_trusted_issuer_verifies(live: httpx.Client, shared_ref: Path,
                                                   pki: SealPki) -> None:
    """Sealed under the operator's trusted root: verified, and what it says is in the meaning."""
    payload = _sample(shared_ref, "ec-elm/credentials/Sample-MC-Annex1-signed.jsonld")["payload"]
    response = live.post("/credentials/verify", json={
        "verifiableCredential": seal(payload, pki, signing_time=NOW)})
    body = response.json()
    assert response.status_code == 200, body["errors"]
    assert body["outcome"] == "verified"
    meaning = next(check for check in body["checks"] if check["check"] == "meaning")
    edc = meaning["details"]["edc"]
    assert edc["ects"] == "2" and edc["eqf_levels"] == [6]
    assert edc["claims"][0]["title"]["en"] == "Digital micro-credential creation"


def test_the_ecs_sealed_sample_could_not_be_checked(live: httpx.Client,
                                                    shared_ref: Path) -> None:
    """The EC's seal verifies, but its CA is not on the operator's list: not trusted."""
    response = live.post("/credentials/verify", json={"verifiableCredential": _sample(
        shared_ref, "ec-elm/credentials/Sample-MC-Annex1-signed.jsonld")})
    body = response.json()
    assert body["verified"] is False
    issuer = next(check for check in body["checks"] if check["check"] == "issuer")
    assert issuer["code"] == "untrusted-seal"
    proof = next(check for check in body["checks"] if check["check"] == "proof")
    assert proof["outcome"] == "passed"


def test_an_ebsi_32_example_names_the_context_clash(live: httpx.Client,
                                                    shared_ref: Path) -> None:
    """The ELM 3.2 examples are refused with the protected term redefinition named."""
    response = live.post("/credentials/verify", json={"verifiableCredential": _sample(
        shared_ref, "ebsi-edc-schema/examples/DigiComp_Generic.json")})
    body = response.json()
    assert body["verified"] is False
    contexts = next(check for check in body["checks"] if check["check"] == "contexts")
    assert contexts["code"] == "context-clash"
    assert "protected term redefinition on description" in contexts["reason"]["en"]
    assert contexts["reason"]["ja"]


def test_a_b64_true_seal_is_refused(live: httpx.Client, shared_ref: Path,
                                    pki: SealPki) -> None:
    """``b64: true`` breaks the EDC profile: a parse finding in both languages."""
    payload = _sample(shared_ref, "ec-elm/credentials/Sample-MC-Annex1-signed.jsonld")["payload"]
    response = live.post("/credentials/verify", json={
        "verifiableCredential": seal(payload, pki, signing_time=NOW, b64=True)})
    body = response.json()
    assert body["verified"] is False
    parse = next(check for check in body["checks"] if check["check"] == "parse")
    assert parse["code"] == "jades-b64" and "b64" in parse["reason"]["ja"]


def test_a_server_of_its_own_compiles_the_edc_shapes_as_it_starts_and_freezes_them(
        shared_ref: Path, pki: SealPki, _sqlite_template: Path, tmp_path: Path) -> None:
    """As `credstack serve` runs it (its heap frozen once started): the shapes of the default
    profile are compiled before the heap is frozen, so the first EDC does not pay for them
    and no full garbage collection walks them."""
    settings = elm_settings(tmp_path, _sqlite_template, shared_ref, pki)
    for _ in serve(settings, freeze_heap=True):
        reference, _loader = elm_files((shared_ref / "elm").resolve())
        compiled = reference.shapes(DEFAULT_PROFILE)
        assert not any(item is compiled for item in gc.get_objects())
