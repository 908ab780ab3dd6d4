"""The trust member of ``POST /credentials/verify`` over real HTTP: a credential of a
provider this registry recognises is ``listed`` with the plain line in ja and en; one of an
issuer no trusted registry lists is ``not-listed`` and still verified, unless
``options.requireTrusted`` (or ``CREDSTACK_REQUIRE_TRUSTED``) asks for a trusted issuer; a
registry that cannot be fetched offline makes the answer ``unknown`` — never "trusted"; an
issuer only an imported registry lists is ``listed`` by that registry, never recognised here.

The store is :func:`tests.services.recognitions.test_service.prepare`'s: 北都工科大学 with a
programme recognised by the recognition body, and a learner credential of it."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from credstack.core.access.actors import Operator
from credstack.entrypoints.bootstrap import open_runtime
from credstack.services.federation import imports
from tests import patiently
from tests.accounts import add_user
from tests.conftest import Clock, LiveServer, free_port, keyed_sqlite, serve
from tests.services.recognitions.test_service import NOW, Store, prepare
from tests.signed_credentials import signed

LISTED_JA = "認定された提供機関：北都工科大学（この登録簿）"
LISTED_EN = "Recognised provider: Hokuto Institute of Technology (this registry)"
NOT_LISTED_JA = "信頼する登録簿に発行者は載っていません"
NOT_LISTED_EN = "The issuer is in none of the trusted registries"
#: The learner the prepared store issued its credential to.
LEARNER = "hanako@example.jp"


@dataclass
class Trusted:
    live: LiveServer
    store: Store

    @property
    def recognised(self) -> dict[str, Any]:
        """A credential of the recognised provider."""
        return self.store.learner_credential


def trusted_server(folder: Path, **changes: Any) -> Iterator[Trusted]:
    """A server on a prepared SQLite store (its provider recognised, the learner an account),
    its clock at the prepared time, with the settings ``changes``."""
    port = free_port()
    store = prepare(keyed_sqlite(folder), public_url=f"http://localhost:{port}")
    store.grant("R-2026-0042")
    add_user(store.settings, LEARNER, name="山田花子")
    configured = dataclasses.replace(store.settings, **changes)
    try:
        for live in serve(configured, port=port, clock=Clock(NOW)):
            yield Trusted(live, store)
    finally:
        store.sessions.kw["bind"].dispose()


@pytest.fixture(scope="module")
def trusted(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Trusted]:
    yield from trusted_server(tmp_path_factory.mktemp("trust"))


@pytest.fixture(scope="module")
def offline(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Trusted]:
    """Offline, trusting its own registry and a DCC registry it may not fetch."""
    yield from trusted_server(
        tmp_path_factory.mktemp("trust-offline"), verify_offline=True,
        trust_registries=(("own", ""), ("dcc", "https://registry.example.org/registry.json")))


def verify(live: LiveServer, credential: Any, **options: Any) -> httpx.Response:
    body: dict[str, Any] = {"verifiableCredential": credential}
    if options:
        body["options"] = options
    return patiently.post(f"{live.url}/credentials/verify", json=body)


def test_a_recognised_providers_credential_is_listed_with_its_plain_line(
        trusted: Trusted) -> None:
    answer = verify(trusted.live, trusted.recognised, requireTrusted=True)
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["verified"] is True
    trust = body["trust"]
    assert trust["state"] == "listed"
    assert trust["line"] == {"ja": LISTED_JA, "en": LISTED_EN}
    assert trust["issuer"] == trusted.recognised["issuer"]["id"]
    [listing] = trust["listings"]
    assert listing["recognised"] is True and listing["name"]["ja"] == "北都工科大学"
    assert trust["coversProgramme"] is True and trust["unchecked"] == []


def test_an_unlisted_issuer_still_verifies_unless_trust_is_required(trusted: Trusted) -> None:
    answer = verify(trusted.live, signed())
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["verified"] is True and body["outcome"] == "verified"
    assert body["trust"]["state"] == "not-listed"
    assert body["trust"]["line"] == {"ja": NOT_LISTED_JA, "en": NOT_LISTED_EN}
    assert body["trust"]["listings"] == []
    required = verify(trusted.live, signed(), requireTrusted=True)
    assert required.status_code == 400
    body = required.json()
    assert body["verified"] is False and body["outcome"] == "not-verified"
    [error] = [item for item in body["errors"] if item["check"] == "trust"]
    assert error["outcome"] == "failed" and error["message"]["ja"] == NOT_LISTED_JA


def test_require_trusted_must_be_a_boolean(trusted: Trusted) -> None:
    answer = verify(trusted.live, signed(), requireTrusted="yes")
    assert answer.status_code == 400
    assert answer.json()["verified"] is False


def test_a_failed_credential_is_never_made_verified_by_its_listing(trusted: Trusted) -> None:
    tampered = dict(trusted.recognised, name="Changed after signing")
    answer = verify(trusted.live, tampered)
    assert answer.status_code == 400
    body = answer.json()
    assert body["verified"] is False and body["outcome"] == "not-verified"


def test_offline_a_registry_to_fetch_leaves_an_unlisted_issuer_unknown(offline: Trusted) -> None:
    """The own registry still lists its provider offline; for another issuer the registry
    that needed a fetch is unchecked, so the answer is could not be checked."""
    listed = verify(offline.live, offline.recognised).json()
    assert listed["trust"]["state"] == "listed"
    answer = verify(offline.live, signed())
    assert answer.status_code == 200
    trust = answer.json()["trust"]
    assert trust["state"] == "unknown"
    assert trust["line"]["en"] == "The registries could not be checked"
    assert trust["unchecked"] == [{
        "registry": "registry.example.org",
        "registryUrl": "https://registry.example.org/registry.json", "reason": "offline"}]
    required = verify(offline.live, signed(), requireTrusted=True)
    assert required.status_code == 400
    assert required.json()["outcome"] == "could-not-be-checked"


def test_the_setting_requires_a_trusted_issuer(tmp_path: Path) -> None:
    for server in trusted_server(tmp_path, require_trusted=True):
        assert verify(server.live, signed()).json()["outcome"] == "not-verified"
        assert verify(server.live, signed(), requireTrusted=False).json()["verified"] is True
        assert verify(server.live, server.recognised).json()["verified"] is True



# --- an issuer listed only by an imported registry -----------------------------------------

#: The Malaysian registry the imported server reads its CTDL graph from.
IMPORTED_SOURCE = "https://registry.example.my/ctdl.jsonld"
IMPORTED_JA = "登録された発行者：マラヤ大学（マレーシア資格機構 の登録簿より取り込み）"
IMPORTED_EN = ("Listed issuer: Universiti Malaya "
               "(listed by Malaysian Qualifications Agency, imported)")


def imported_graph(*dids: str) -> bytes:
    """A CTDL graph whose one organisation, Universiti Malaya, has the issuer ``dids``."""
    organisation = "https://credentialengineregistry.org/resources/ce-0b7d1c2a"
    return json.dumps({"@context": "https://credreg.net/ctdl/schema/context/json", "@graph": [
        {"@id": organisation, "@type": "ceterms:CredentialOrganization",
         "ceterms:ctid": "ce-0b7d1c2a",
         "ceterms:name": {"en": "Universiti Malaya", "ja": "マラヤ大学"},
         "ceterms:address": {"ceterms:addressCountry": "MY"}, "ceterms:sameAs": list(dids)},
        {"@id": "https://credentialengineregistry.org/resources/ce-5c1e9b3f",
         "@type": "ceterms:MicroCredential", "ceterms:name": {"en": "Data science"},
         "ceterms:ownedBy": organisation},
    ]}).encode()


def imported_server(folder: Path, *dids: str) -> Iterator[Trusted]:
    """:func:`trusted_server` with a Malaysian registry's CTDL graph imported, which lists
    ``dids`` (issuers this registry does not recognise) under Universiti Malaya."""
    for server in trusted_server(folder):
        with open_runtime(settings=server.live.settings, clock=Clock(NOW)) as runtime:
            imports.import_ctdl(runtime, actor=Operator("test"), url=IMPORTED_SOURCE,
                                names={"ja": "マレーシア資格機構",
                                       "en": "Malaysian Qualifications Agency"},
                                document=imported_graph(*dids))
        yield server


@pytest.fixture(scope="module")
def imported(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Trusted]:
    yield from imported_server(tmp_path_factory.mktemp("trust-imported"),
                               issuer_of(signed()))


def issuer_of(credential: dict[str, Any]) -> str:
    issuer = credential["issuer"]
    return str(issuer["id"] if isinstance(issuer, dict) else issuer)


def test_an_issuer_listed_only_by_an_imported_registry_is_listed_by_it(
        imported: Trusted) -> None:
    """The answer names the imported registry, with its address, never this registry's
    recognition; requiring a trusted issuer accepts it, as the registry lists it."""
    answer = verify(imported.live, signed(), requireTrusted=True)
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["verified"] is True and body["outcome"] == "verified"
    trust = body["trust"]
    assert trust["state"] == "listed"
    assert trust["line"] == {"ja": IMPORTED_JA, "en": IMPORTED_EN}
    [listing] = trust["listings"]
    assert listing == {
        "registry": "Malaysian Qualifications Agency", "registryUrl": IMPORTED_SOURCE,
        "imported": True, "intermediate": None,
        "name": {"en": "Universiti Malaya", "ja": "マラヤ大学"},
        "recognised": False, "programmes": [
            "https://credentialengineregistry.org/resources/ce-5c1e9b3f"]}
    # This registry's own provider is still its own recognition, not the import's.
    own = verify(imported.live, imported.recognised).json()["trust"]
    assert own["line"] == {"ja": LISTED_JA, "en": LISTED_EN}
