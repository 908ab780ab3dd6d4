"""How each securing mechanism's credential is stored, handed out and read back (issue 58):
the VC-API envelope of VC Data Model 2.0 §4.13, the file, and the credential secured."""

from __future__ import annotations

import base64
import datetime as dt
import json

import pytest

from credstack.core.credentials import securing
from credstack.core.crypto import KeyPair, KeyType
from credstack.core.proofs.cryptosuites import sd_jwt, vc_cose, vc_jwt

CREDENTIAL = {"@context": ["https://www.w3.org/ns/credentials/v2"],
              "type": ["VerifiableCredential"], "issuer": "did:example:issuer",
              "credentialSubject": {"id": "did:example:hanako", "name": "Hanako"}}
KEY = KeyPair.generate(KeyType.ED25519)
KID = "did:example:issuer#key-1"


def stored(mechanism: str) -> str:
    if mechanism == "vc-jwt":
        return vc_jwt.sign(CREDENTIAL, key=KEY, kid=KID)
    if mechanism == "vc+sd-jwt":
        return sd_jwt.issue(CREDENTIAL, key=KEY, kid=KID,
                            disclosable=["credentialSubject.name"])
    if mechanism == "vc+cose":
        return base64.b64encode(vc_cose.sign(CREDENTIAL, key=KEY, kid=KID)).decode()
    return json.dumps(CREDENTIAL)


@pytest.mark.parametrize("mechanism", securing.SECURINGS)
def test_the_credential_a_stored_document_secures_is_read_back(mechanism: str) -> None:
    """The JSON, the JWS payload, the SD-JWT with its disclosures in place, the COSE payload:
    each is the credential signed."""
    assert securing.claims(stored(mechanism), mechanism) == CREDENTIAL


@pytest.mark.parametrize(("mechanism", "prefix"), [
    ("vc-jwt", "data:application/vc+jwt,ey"), ("vc+sd-jwt", "data:application/vc+sd-jwt,ey"),
    ("vc+cose", "data:application/vc+cose;base64,")])
def test_an_enveloped_credential_is_a_data_url_of_its_media_type(mechanism: str,
                                                                 prefix: str) -> None:
    """VC 2.0 §4.13: an EnvelopedVerifiableCredential with the base context."""
    document = stored(mechanism)
    envelope = securing.enveloped(document, mechanism)
    assert envelope["type"] == "EnvelopedVerifiableCredential"
    assert envelope["@context"] == ["https://www.w3.org/ns/credentials/v2"]
    assert envelope["id"] == (prefix.removesuffix("ey") if mechanism != "vc+cose" else prefix) \
        + document


@pytest.mark.parametrize(("mechanism", "media_type", "extension"), [
    ("eddsa-rdfc-2022", "application/vc+ld+json", "json"), ("vc-jwt", "application/vc+jwt", "jwt"),
    ("vc+sd-jwt", "application/vc+sd-jwt", "sd-jwt"), ("vc+cose", "application/vc+cose", "cose")])
def test_a_file_holds_the_secured_form_itself(mechanism: str, media_type: str,
                                              extension: str) -> None:
    """A COSE file holds the COSE_Sign1's bytes; the others their text."""
    document = stored(mechanism)
    form = securing.file_form(document, mechanism)
    assert (form.media_type, form.extension) == (media_type, extension)
    assert form.data == (base64.b64decode(document) if mechanism == "vc+cose"
                         else document.encode())


def test_what_cannot_be_read_is_none() -> None:
    """Broken text gives None, not an exception."""
    for mechanism in securing.SECURINGS:
        assert securing.claims("not.a~credential", mechanism) is None


def test_every_format_name_asks_for_a_securing_mechanism() -> None:
    """``options.format`` names map to the stored mechanisms (ldp_vc to Data Integrity)."""
    assert set(securing.FORMATS.values()) == {None, *securing.ENVELOPED}


V1_CREDENTIAL = {"@context": ["https://www.w3.org/2018/credentials/v1"],
                 "id": "urn:uuid:5f3c2a1e-0000-4000-8000-000000000001",
                 "type": ["VerifiableCredential"], "issuer": "did:example:issuer",
                 "issuanceDate": "2026-01-01T00:00:00Z",
                 "credentialSubject": {"id": "did:example:hanako"}}


def test_a_vc_data_model_1_1_jwt_is_handed_out_as_application_jwt_and_read_back() -> None:
    """A VC 1.1 credential signed as VC Data Model 1.1 §6.3.1's JWT (typ JWT, vc claim): its
    envelope and file say application/jwt, and the credential read back is the one signed."""
    claims = vc_jwt.claims_from_credential(V1_CREDENTIAL, now=dt.datetime(2026, 2, 1,
                                                                          tzinfo=dt.UTC))
    token = vc_jwt.sign_claims(claims, key=KEY, kid=KID, typ=vc_jwt.V1_TYPE)
    assert securing.media_type(token, "vc-jwt") == "application/jwt"
    assert securing.enveloped(token, "vc-jwt")["id"] == f"data:application/jwt,{token}"
    assert securing.file_form(token, "vc-jwt").media_type == "application/jwt"
    assert securing.claims(token, "vc-jwt") == V1_CREDENTIAL
    assert securing.media_type(stored("vc-jwt"), "vc-jwt") == "application/vc+jwt"
