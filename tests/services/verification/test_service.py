"""The verifier's local sources: credstack's own DIDs and registry, read from its store.

A real credstack server on SQLite and PostgreSQL at ``http://localhost:<port>`` with one
organisation and its Ed25519 key. Its own did:web keys must verify *without* any fetch: the
tests leave ``CREDSTACK_ALLOW_LOOPBACK_FETCH`` unset, so a fetch from localhost would fail.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from prometheus_client import REGISTRY
from typer.testing import CliRunner

from credstack.adapters.keystore import new_master_key_text
from credstack.adapters.resolvers.contexts import shared_document_loader
from credstack.core.crypto.keys import KeyPair
from credstack.core.dids import did_web
from credstack.core.proofs import sign_data_integrity
from credstack.core.verification.report import Decision
from credstack.entrypoints.cli.main import app as cli
from credstack.services.verification import service as verifier
from credstack.settings import Settings
from tests.accounts import active_issuer_key
from tests.conftest import LiveServer, free_port, operator_client, serve
from tests.helpers import PROGRAMME, organisation, programme
from tests.signed_credentials import (
    ISSUER,
    VALID_FROM,
    signed,
    signed_by_did_web,
    tampered,
    unsigned,
)

SECRET = new_master_key_text()
SLUG = "hokuto-tech"


@pytest.fixture
def live(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> Iterator[LiveServer]:
    """credstack at http://localhost:<port>, with an organisation that has an Ed25519 key."""
    monkeypatch.delenv("CREDSTACK_ALLOW_LOOPBACK_FETCH", raising=False)
    port = free_port()
    configured = dataclasses.replace(settings, secret_key=SECRET,
                                     public_url=f"http://localhost:{port}")
    for server in serve(configured, port=port):
        with operator_client(server, timeout=20) as client:
            assert client.post("/api/organisations", json=organisation()).status_code == 201
            assert client.post(f"/api/organisations/{SLUG}/keys", json={}).status_code == 201
        yield server


@pytest.fixture
def http(live: LiveServer) -> Iterator[httpx.Client]:
    with operator_client(live, timeout=20) as client:
        yield client


def signed_by(method: str, key: KeyPair, *, achievement_id: str | None = None
              ) -> dict[str, Any]:
    """The demo credential issued by ``method``'s DID, optionally for another achievement."""
    credential = unsigned()
    did = method.partition("#")[0]
    credential["issuer"]["id"] = did
    achievement = credential["credentialSubject"]["achievement"]
    if achievement.get("creator", {}).get("id") == ISSUER:
        achievement["creator"]["id"] = did
    if achievement_id is not None:
        achievement["id"] = achievement_id
    return sign_data_integrity(credential, key=key, verification_method=method,
                               cryptosuite="eddsa-rdfc-2022", created=VALID_FROM,
                               document_loader=shared_document_loader())


def verify(http: httpx.Client, credential: object) -> dict[str, Any]:
    body: dict[str, Any] = http.post("/credentials/verify",
                                     json={"verifiableCredential": credential}).json()
    return body


def proof(body: dict[str, Any]) -> dict[str, Any]:
    return next(check for check in body["checks"] if check["check"] == "proof")


# --- own DIDs -----------------------------------------------------------------------------------

def test_own_did_web_keys_are_read_from_the_store_not_fetched(http: httpx.Client,
                                                              live: LiveServer) -> None:
    """The server verifies its organisation's did:web signature with fetching forbidden."""
    method, key = active_issuer_key(live.settings, secret=SECRET)
    assert method.startswith(f"did:web:localhost%3A{live.url.rsplit(':', 1)[1]}:organisations:")
    body = verify(http, signed_by(method, key))
    assert body["verified"] is True, body["errors"]
    issuer = next(check for check in body["checks"] if check["check"] == "issuer")
    assert issuer["ok"] is True
    # The same credential elsewhere, with only the network, cannot be resolved (no loopback).
    report = verifier.verify(signed_by(method, key))
    assert report.ok is False
    failed = report.check("proof")
    assert failed is not None and "loopback" in failed.reason_en


def test_rotated_keys_of_our_organisations_keep_verifying(http: httpx.Client,
                                                          live: LiveServer) -> None:
    """After a rotation the retired key still verifies what it signed, from the store."""
    old_method, old_key = active_issuer_key(live.settings, secret=SECRET)
    before = signed_by(old_method, old_key)
    assert http.post(f"/api/organisations/{SLUG}/keys/rotate", json={}).status_code == 201
    new_method, new_key = active_issuer_key(live.settings, secret=SECRET)
    assert new_method.endswith("#key-2")
    assert verify(http, before)["verified"] is True
    assert verify(http, signed_by(new_method, new_key))["verified"] is True
    wrong = verify(http, signed_by(new_method, old_key))
    assert wrong["verified"] is False and proof(wrong)["ok"] is False


@pytest.mark.parametrize(("suffix", "reason"), [
    (":organisations:nobody#key-1", "No organisation with slug 'nobody'"),
    (f":organisations:{SLUG}#key-7", "lists no verification method"),
    (":elsewhere#key-1", "is not the DID of one of its organisations"),
])
def test_unknown_methods_under_our_address_fail_without_a_fetch(
        http: httpx.Client, live: LiveServer, suffix: str, reason: str) -> None:
    """A DID under our address that we do not have fails the proof, saying so."""
    _, key = active_issuer_key(live.settings, secret=SECRET)
    own = did_web.did_for(live.settings.public_url)
    body = verify(http, signed_by(own + suffix, key))
    assert body["verified"] is False
    assert reason in proof(body)["reason"]["en"]


@pytest.mark.parametrize("securing", ["eddsa-rdfc-2022", "eddsa-jcs-2022", "vc-jwt"])
def test_credentials_the_server_issues_verify_on_it(http: httpx.Client, securing: str,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """Issued by the VC-API, then verified by it: verified, status list included."""
    # The status lists are the server's own: read from its store, never fetched (loopback
    # fetching stays off, so a fetch would fail the status check).
    monkeypatch.delenv("CREDSTACK_ALLOW_LOOPBACK_FETCH", raising=False)
    issued = http.post(f"/issuers/{securing}/credentials/issue", json={"credential": {
        "@context": ["https://www.w3.org/ns/credentials/v2"], "type": ["VerifiableCredential"],
        "credentialSubject": {"id": "did:example:learner", "name": "Hanako"}}})
    assert issued.status_code == 201, issued.text
    body = verify(http, issued.json()["verifiableCredential"])
    assert body["verified"] is True, body["errors"]
    assert [c["check"] for c in body["checks"] if c["ok"] is True] == [
        "parse", "data-model", "credential-schema", "contexts", "proof", "issuer", "validity",
        "status"], "a plain VC: the Open Badges rules do not apply"


# --- the registry -------------------------------------------------------------------------------

def test_an_achievement_of_the_registry_comes_back_with_its_record(http: httpx.Client,
                                                                   live: LiveServer) -> None:
    """meaning.registry names the programme version, its status, links and whether newest."""
    created = http.post("/api/programmes", json={"descriptors": programme()}).json()
    pid = created["id"]
    draft = http.put(f"/api/programmes/{pid}", json={
        "descriptors": programme(description={"en": "Revised."}), "publish": False})
    assert draft.json()["version"]["version"] == 2, draft.text
    base = live.settings.public_url
    method, key = active_issuer_key(live.settings, secret=SECRET)

    first = verify(http, signed_by(method, key, achievement_id=f"{base}/achievements/{pid}/v1"))
    assert first["verified"] is True, first["errors"]
    assert first["meaning"]["registry"] == {
        "id": f"{base}/achievements/{pid}/v1",
        "programme_id": pid,
        "organisation": SLUG,
        "organisation_name": organisation()["name"],
        "organisation_did": method.partition("#")[0],
        "code": PROGRAMME["code"],
        "version": 1,
        "status": "published",
        "title": PROGRAMME["title"],
        "page_url": f"{base}/programmes/{pid}",
        "api_url": f"{base}/api/programmes/{pid}/versions/1",
        "is_latest": False,
        "latest_version": 2,
    }
    meaning = next(check for check in first["checks"] if check["check"] == "meaning")
    assert meaning["details"]["registered"] is True
    assert http.get(first["meaning"]["registry"]["api_url"]).status_code == 200

    second = verify(http, signed_by(method, key, achievement_id=f"{base}/achievements/{pid}/v2"))
    assert second["meaning"]["registry"]["status"] == "draft"
    assert second["meaning"]["registry"]["is_latest"] is True


@pytest.mark.parametrize("path", ["/achievements/{pid}/v9", "/achievements/999/v1",
                                  "/achievements/{pid}/v01", "/achievements/{pid}",
                                  "/achievements/99999999999/v1"])
def test_achievements_we_do_not_have_are_not_in_the_registry(http: httpx.Client,
                                                            live: LiveServer,
                                                            path: str) -> None:
    """Another version, another programme, a malformed or too large id: registry is None."""
    pid = http.post("/api/programmes", json={"descriptors": programme()}).json()["id"]
    method, key = active_issuer_key(live.settings, secret=SECRET)
    achievement_id = live.settings.public_url + path.format(pid=pid)
    body = verify(http, signed_by(method, key, achievement_id=achievement_id))
    assert body["verified"] is True, body["errors"]
    assert body["meaning"]["registry"] is None


def test_without_sources_there_is_no_registry(live: LiveServer) -> None:
    """verify() without sources knows no registry, even for an id of a running credstack."""
    method, key = active_issuer_key(live.settings, secret=SECRET)
    credential = signed_by(method, key,
                           achievement_id=f"{live.settings.public_url}/achievements/1/v1")
    report = verifier.verify(credential)
    assert report.meaning is not None and report.meaning.registry is None


# --- the command line ---------------------------------------------------------------------------

def _cli(*args: str, settings: Settings) -> Any:
    env = {"CREDSTACK_LANG": "en", "CREDSTACK_ALLOW_LOOPBACK_FETCH": "",
           "CREDSTACK_DATA_DIR": str(settings.data_dir),
           "CREDSTACK_DATABASE_URL": "" if settings.is_sqlite else settings.database_url,
           "CREDSTACK_PUBLIC_URL": settings.public_url}
    return CliRunner().invoke(cli, ["verify", *args], env=env)


def test_credstack_verify_reads_keys_and_registry_from_the_store(
        http: httpx.Client, live: LiveServer, tmp_path: Path) -> None:
    """The CLI on the server's store verifies its organisation's credential without a fetch."""
    pid = http.post("/api/programmes", json={"descriptors": programme()}).json()["id"]
    method, key = active_issuer_key(live.settings, secret=SECRET)
    path = tmp_path / "credential.json"
    path.write_text(json.dumps(signed_by(
        method, key, achievement_id=f"{live.settings.public_url}/achievements/{pid}/v1")))
    result = _cli(str(path), "--json", settings=live.settings)
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["meaning"]["registry"]["programme_id"] == pid


def test_credstack_verify_without_a_store_creates_none(tmp_path: Path) -> None:
    """No store where one would be: the network alone, and no empty store left behind."""
    settings = Settings.from_env(data_dir=tmp_path / "absent", database_url="")
    path = tmp_path / "credential.json"
    path.write_text(json.dumps(signed()))
    result = _cli(str(path), settings=settings)
    assert result.exit_code == 0, result.output
    assert not (tmp_path / "absent").exists()


def test_credstack_verify_fails_clearly_when_the_store_cannot_be_opened(tmp_path: Path) -> None:
    """A configured database that is not there is exit 2, naming it."""
    settings = dataclasses.replace(
        Settings.from_env(data_dir=tmp_path, database_url=""),
        database_url="postgresql+psycopg://nobody@127.0.0.1:1/none")
    path = tmp_path / "credential.json"
    path.write_text(json.dumps(signed()))
    result = _cli(str(path), settings=settings)
    assert result.exit_code == 2
    assert "Cannot reach the database" in result.output


def test_verify_keeps_its_network_only_signature() -> None:
    """verify(data) still works without sources (did:key, and now did:web over HTTPS)."""
    report = verifier.verify(signed(), now=VALID_FROM + dt.timedelta(days=1))
    assert report.ok


def _verifications(verdict: str) -> tuple[float, float]:
    return (REGISTRY.get_sample_value("credstack_credentials_total",
                                      {"operation": "verified"}) or 0.0,
            REGISTRY.get_sample_value("credstack_verifications_total",
                                      {"verdict": verdict}) or 0.0)


def test_every_verification_is_counted_with_its_verdict() -> None:
    """A credential that verifies counts as ``ok``, one changed after signing as ``failed``;
    both as verified credentials."""
    at = VALID_FROM + dt.timedelta(days=1)
    (verified, ok), (_, failed) = _verifications("ok"), _verifications("failed")
    assert verifier.verify(signed(), now=at).ok
    assert not verifier.verify(tampered(), now=at).ok
    assert _verifications("ok") == (verified + 2, ok + 1)
    assert _verifications("failed")[1] == failed + 1


def test_a_verification_that_could_not_be_checked_is_counted_apart() -> None:
    """A credential whose issuer's key was not fetched (offline) is ``undecided``, neither
    ``ok`` nor ``failed``."""
    at = VALID_FROM + dt.timedelta(days=1)
    before = {verdict: _verifications(verdict)[1] for verdict in ("ok", "failed", "undecided")}
    report = verifier.verify(signed_by_did_web("did:web:issuer.example"), now=at, offline=True)
    assert report.decision is Decision.UNDECIDED
    after = {verdict: _verifications(verdict)[1] for verdict in ("ok", "failed", "undecided")}
    assert after == {**before, "undecided": before["undecided"] + 1}
