"""A CLR 2.0 the learner issues: a selection of their credentials, signed with their holder key.

Each CLR is checked by the one verifier (``verify_any``: the CLR's proof and issuer, its CLR
2.0 structure and learner, then every nested credential with its own issuer's proof) and
against the 1EdTech CLR 2.0 JSON Schema (``../shared/ref/schemas/clr-v2p0/json-ld/``, read at
run time). The nested credentials are an OB 3.0 credential issued by another did:key to the
learner's hashed e-mail address, as JSON and as a VC-JWT.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft201909Validator

from credstack.adapters.resolvers.contexts import shared_document_loader
from credstack.core.credentials.holder_clr import sign_holder_clr
from credstack.core.crypto import KeyPair, KeyType
from credstack.core.dids import did_key
from credstack.core.verification import VerificationReport
from credstack.errors import (
    MalformedCredentialError,
    RecipientMismatchError,
    UnpresentableCredentialError,
)
from credstack.services.formats import verify_any
from credstack.words import error_words
from tests.signed_credentials import VALID_FROM, jwt, sign, signed, tampered, unsigned

NOW = VALID_FROM + dt.timedelta(days=30)
EMAIL = "hanako@example.jp"
CLR_ID = "urn:uuid:0e6f1c2a-4b7d-4e59-a3c8-2d9b1f7e6a40"
HOLDER_KEY = KeyPair.from_secret_bytes(KeyType.ED25519, bytes(range(9, 41)))
HOLDER = did_key.did_from_public_key(HOLDER_KEY.public_key)


def clr(credentials: list[Any] | None = None, **changes: Any) -> dict[str, Any]:
    arguments: dict[str, Any] = {
        "key": HOLDER_KEY, "identifiers": [EMAIL], "clr_id": CLR_ID,
        "name": "Hanako's learning record", "created": NOW,
        "document_loader": shared_document_loader()}
    arguments.update(changes)
    return sign_holder_clr(credentials if credentials is not None else [signed(), jwt()],
                           **arguments)


def verified(document: Any) -> VerificationReport:
    return verify_any(document, sources=None, now=NOW)


def failed(report: VerificationReport) -> list[str]:
    return [check.name for check in report.checks if check.failed]


def about(subject_id: str) -> dict[str, Any]:
    """The demo credential re-issued to ``subject_id`` (no e-mail identity)."""
    document = unsigned()
    document["credentialSubject"] = {
        key: value for key, value in document["credentialSubject"].items()
        if key != "identifier"} | {"id": subject_id}
    return sign(document)


def schema_errors(shared_ref: Path, document: dict[str, Any]) -> list[tuple[str, str]]:
    path = shared_ref / "schemas" / "clr-v2p0" / "json-ld" / "clr_v2p0_clrcredential_schema.json"
    schema = json.loads(path.read_text(encoding="utf-8"))
    return [("/".join(str(part) for part in error.absolute_path), error.message)
            for error in Draft201909Validator(schema).iter_errors(document)]


# --- what the learner issues -----------------------------------------------------------------

@pytest.mark.parametrize("suite", ["eddsa-rdfc-2022", "eddsa-jcs-2022"])
def test_the_clr_verifies_with_the_one_verifier(suite: str) -> None:
    """The CLR's proof and issuer (the holder's did:key), its learner, both nested
    credentials with their issuer's proofs: every check passes."""
    report = verified(clr(cryptosuite=suite))
    assert report.ok, [check.to_dict() for check in report.failed]
    names = [check.name for check in report.checks]
    assert {"proof", "issuer", "clr-structure", "clr-learner", "credential[0]",
            "credential[1]"} <= set(names)


def test_the_issuer_and_subject_are_the_holder_and_the_credentials_are_verbatim() -> None:
    """A self-issued CLR: the holder's did:key profile issues it about the same DID; the
    nested credentials are as issued (the VC-JWT enveloped); the identity the credentials
    name the learner by is shown as they show it (hashed with its salt), never the address."""
    token = jwt()
    document = clr([signed(), token], holder_name="山田花子")
    assert document["type"] == ["VerifiableCredential", "ClrCredential"]
    assert document["issuer"] == {"id": HOLDER, "type": ["Profile"], "name": "山田花子"}
    assert (document["id"], document["validFrom"]) == (CLR_ID, "2025-05-01T00:00:00Z")
    subject = document["credentialSubject"]
    assert subject["id"] == HOLDER
    assert subject["verifiableCredential"] == [
        signed(), {"@context": "https://www.w3.org/ns/credentials/v2",
                   "id": f"data:application/vc+jwt,{token}",
                   "type": "EnvelopedVerifiableCredential"}]
    assert subject["identifier"] == [
        identity for identity in signed()["credentialSubject"]["identifier"]
        if identity["identityType"] == "emailAddress"]
    assert EMAIL not in json.dumps(document)
    proof = document["proof"]
    assert (proof["verificationMethod"], proof["proofPurpose"], proof["cryptosuite"]) == (
        did_key.verification_method_id(HOLDER_KEY.public_key), "assertionMethod",
        "eddsa-rdfc-2022")


def test_a_credential_issued_to_another_did_of_the_learner_is_theirs() -> None:
    """Named by one of the learner's other DIDs, a credential goes in; the CLR shows that DID
    as a plain identifier, so that the verifier finds it about the CLR's learner too."""
    other_did = "did:example:hanako-phone-wallet"
    document = clr([signed(), about(other_did), about(HOLDER)],
                   identifiers=[EMAIL, other_did])
    identifiers = document["credentialSubject"]["identifier"]
    assert {"type": "IdentityObject", "identityType": "identifier", "hashed": False,
            "identityHash": other_did} in identifiers
    report = verified(document)
    assert report.ok, [check.to_dict() for check in report.failed]


def test_two_credentials_of_one_programme_are_bundled_and_verify() -> None:
    """Their identical achievements and extensions make RDFC-1.0 compare many blank nodes
    (see tests/core/crypto/test_rdfc.py): the CLR is signed and verified all the same."""
    again = unsigned()
    again["id"] = "urn:uuid:3c9e7a51-2f84-4d06-b1e3-9a7f5c2d8e14"
    report = verified(clr([signed(), sign(again)]))
    assert report.ok, [check.to_dict() for check in report.failed]


def test_the_clr_validates_against_the_clr_2_0_json_schema(shared_ref: Path) -> None:
    """With JSON credentials, the signed CLR matches the 1EdTech ClrCredential schema."""
    assert schema_errors(shared_ref, clr([signed()])) == []


def test_the_schema_flags_an_enveloped_vc_jwt_and_nothing_else(shared_ref: Path) -> None:
    """The schema's VerifiableCredential requires issuer, validFrom and credentialSubject,
    which a VC 2.0 EnvelopedVerifiableCredential carries inside its JWT: the schema reports
    that entry alone (the CLR still verifies, above)."""
    errors = schema_errors(shared_ref, clr([signed(), jwt()]))
    assert errors and {where for where, _ in errors} <= {
        "credentialSubject/verifiableCredential", "credentialSubject/verifiableCredential/1"}


# --- what does not verify --------------------------------------------------------------------

def test_a_nested_credential_tampered_before_bundling_fails_that_credential() -> None:
    """The holder's proof is good; the tampered credential's own proof is not."""
    report = verified(clr([signed(), tampered()]))
    assert failed(report) == ["credential[1]"]


def test_a_clr_changed_after_signing_fails_its_proof() -> None:
    document = clr()
    document["credentialSubject"]["verifiableCredential"].pop()
    assert "proof" in failed(verified(document))


def test_another_key_cannot_pass_as_the_holder() -> None:
    """The proof made with another key under the holder's method does not verify."""
    document = clr()
    forged = clr(key=KeyPair.from_secret_bytes(KeyType.ED25519, bytes(range(60, 92))))
    document["proof"] = {**forged["proof"],
                         "verificationMethod": document["proof"]["verificationMethod"]}
    assert "proof" in failed(verified(document))


# --- what is refused -------------------------------------------------------------------------

def test_a_credential_about_someone_else_is_refused_naming_it() -> None:
    with pytest.raises(RecipientMismatchError) as raised:
        clr([signed(), about("did:example:somebody-else")])
    assert [problem.location for problem in raised.value.problems] == ["credentials[1]"]
    assert "あなたについての証明ではありません" in error_words(raised.value, "ja")


def test_without_the_learners_address_the_hashed_credential_is_not_theirs() -> None:
    with pytest.raises(RecipientMismatchError, match=r"credentials\[0\]"):
        clr([signed()], identifiers=[])


def test_an_open_badges_2_assertion_is_refused_naming_it() -> None:
    assertion = {"@context": "https://w3id.org/openbadges/v2", "type": "Assertion",
                 "id": "https://badges.example/assertions/1",
                 "recipient": {"type": "email", "hashed": False, "identity": EMAIL},
                 "badge": "https://badges.example/badges/1",
                 "verification": {"type": "HostedBadge"}, "issuedOn": "2025-03-31T00:00:00Z"}
    with pytest.raises(UnpresentableCredentialError) as raised:
        clr([signed(), assertion])
    assert error_words(raised.value, "en").startswith(
        "credentials[1] cannot go in a CLR: it is an Open Badges 2.0")


def test_an_empty_selection_is_refused() -> None:
    with pytest.raises(MalformedCredentialError) as raised:
        clr([])
    assert error_words(raised.value, "en") == "A CLR bundles at least one credential."


def test_the_credentials_given_are_not_changed() -> None:
    given = [signed(), jwt()]
    before = copy.deepcopy(given)
    clr(given)
    assert given == before
