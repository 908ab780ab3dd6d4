"""Language values with a base direction (``@direction``, VC Data Model 2.0 §11.2) are issued
and verified by every securing mechanism: RDFC writes them as i18n-datatype literals (the
byte-equality with the reference is ``tests/interop/test_js_reference.py``'s), JCS and VC-JWT
sign the JSON as it is."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from tests.conftest import issuing_operator

SECURING = ("eddsa-rdfc-2022", "eddsa-jcs-2022", "vc-jwt")


@pytest.fixture(scope="module")
def http(tmp_path_factory: pytest.TempPathFactory) -> Iterator[httpx.Client]:
    """One server: SQLite, one organisation with an Ed25519 key."""
    yield from issuing_operator(tmp_path_factory.mktemp("direction"))


def _directed(issuer: str) -> dict[str, Any]:
    return {
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "type": ["VerifiableCredential"],
        "name": {"@value": "شهادة", "@language": "ar", "@direction": "rtl"},
        "description": {"@value": "A directed description", "@language": "en-GB",
                        "@direction": "ltr"},
        "issuer": {"id": issuer,
                   "name": {"@value": "ExampleIssuer", "@language": "en", "@direction": "ltr"},
                   "description": {"@value": "مثال", "@direction": "rtl"}},
        "credentialSubject": {"id": "did:example:subject"},
    }


def _tampered(signed: Any) -> Any:
    changed = copy.deepcopy(signed)
    if changed["type"] == "EnvelopedVerifiableCredential":  # one signature character changed
        head, _, signature = changed["id"].rpartition(".")
        changed["id"] = f"{head}.{'A' if signature[0] != 'A' else 'B'}{signature[1:]}"
        return changed
    changed["name"]["@direction"] = "ltr"
    return changed


@pytest.mark.parametrize("securing", SECURING)
def test_a_directed_credential_is_issued_and_verified(http: httpx.Client, securing: str) -> None:
    """Issued (201), verified (200); turning one direction around is refused."""
    issuer = http.get("/api/organisations/hokuto-tech/issuer").json()["did"]
    issued = http.post(f"/issuers/{securing}/credentials/issue",
                       json={"credential": _directed(issuer)})
    assert issued.status_code == 201, issued.text
    signed = issued.json()["verifiableCredential"]
    verified = http.post("/credentials/verify", json={"verifiableCredential": signed})
    assert verified.status_code == 200, verified.text
    refused = http.post("/credentials/verify", json={"verifiableCredential": _tampered(signed)})
    assert refused.status_code == 400, refused.text
