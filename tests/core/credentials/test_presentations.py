"""A holder's Verifiable Presentation: built from their credentials, signed with their holder
key for one verifier's challenge and domain.

Each presentation is checked by the verification service's ``verify_presentation`` — what
``POST /presentations/verify`` runs — with the challenge and domain a verifier would give: the
holder's proof, its binding, and every credential inside (an OB 3.0 credential with a Data
Integrity proof, and the same credential as a VC-JWT, issued by another did:key). Nothing is
mocked; the contexts are the bundled ones.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric import ec

from credstack.adapters.resolvers.contexts import shared_document_loader
from credstack.core.credentials.openbadges_v2 import sign_assertion
from credstack.core.credentials.presentations import build_presentation, sign_presentation
from credstack.core.crypto import KeyPair, KeyType
from credstack.core.dids import did_key
from credstack.core.proofs import sign_data_integrity
from credstack.core.verification.presentations import PresentationReport
from credstack.errors import PresentationRequestError, UnpresentableCredentialError
from credstack.services.verification.service import verify_presentation
from credstack.words import error_words
from tests.signed_credentials import VALID_FROM, jwt, sign, signed, tampered, unsigned

NOW = VALID_FROM + dt.timedelta(days=30)
CHALLENGE = "9c1f3e52-6a4b-4f0e-8d2a-1b7e5c3a9f10"
DOMAIN = "employer.example"
SUITES = ("eddsa-rdfc-2022", "eddsa-jcs-2022")

HOLDER_KEY = KeyPair.from_secret_bytes(KeyType.ED25519, bytes(range(7, 39)))
HOLDER = did_key.did_from_public_key(HOLDER_KEY.public_key)
METHOD = did_key.verification_method_id(HOLDER_KEY.public_key)
OTHER_KEY = KeyPair.from_secret_bytes(KeyType.ED25519, bytes(range(50, 82)))
OTHER = did_key.did_from_public_key(OTHER_KEY.public_key)
OTHER_METHOD = did_key.verification_method_id(OTHER_KEY.public_key)

OB2_ASSERTION: dict[str, Any] = {
    "@context": "https://w3id.org/openbadges/v2", "type": "Assertion",
    "id": "https://badges.example/assertions/1",
    "recipient": {"type": "email", "hashed": False, "identity": "hanako@example.jp"},
    "badge": "https://badges.example/badges/1",
    "verification": {"type": "HostedBadge"}, "issuedOn": "2025-03-31T00:00:00Z"}


def present(credentials: list[Any] | None = None, *, suite: str = "eddsa-rdfc-2022",
            **changes: Any) -> dict[str, Any]:
    """The holder's signed presentation of ``credentials`` (default: JSON and VC-JWT)."""
    arguments: dict[str, Any] = {
        "key": HOLDER_KEY, "verification_method": METHOD, "challenge": CHALLENGE,
        "domain": DOMAIN, "created": NOW, "document_loader": shared_document_loader(),
        "cryptosuite": suite}
    arguments.update(changes)
    document = build_presentation(credentials if credentials is not None else [signed(), jwt()],
                                  holder=HOLDER)
    return sign_presentation(document, **arguments)


def verify(presentation: Any, *, challenge: str = CHALLENGE,
           domain: str = DOMAIN) -> PresentationReport:
    return verify_presentation(presentation, challenge=challenge, domain=domain, checks=None,
                               now=NOW, sources=None)


def failures(report: PresentationReport) -> list[tuple[str, str | None]]:
    return [(check.name, check.code) for check in report.checks if check.failed]


# --- what verifies -----------------------------------------------------------------------------

@pytest.mark.parametrize("suite", SUITES)
def test_a_presentation_signed_by_the_holder_verifies_for_its_challenge_and_domain(
        suite: str) -> None:
    """Every check passes: the holder's proof, challenge, domain, holder, both credentials."""
    report = verify(present(suite=suite))
    assert report.ok, failures(report)
    holder = report.check("holder")
    assert holder is not None and holder.passed and holder.details["holder"] == HOLDER
    assert [credential.ok for credential in report.credentials] == [True, True]


def test_two_credentials_of_one_programme_are_presented_and_verify() -> None:
    """Their identical achievements make RDFC-1.0 compare many blank nodes (see
    tests/core/crypto/test_rdfc.py): signed and verified all the same, at once."""
    again = unsigned()
    again["id"] = "urn:uuid:3c9e7a51-2f84-4d06-b1e3-9a7f5c2d8e14"
    report = verify(present([signed(), sign(again)]))
    assert report.ok, failures(report)


def test_the_presentation_is_a_vc_2_0_presentation_holding_each_credential_unchanged() -> None:
    """The context, type, id and holder; a JSON credential as it is, a VC-JWT enveloped."""
    token = jwt()
    document = build_presentation([signed(), token], holder=HOLDER,
                                  presentation_id="urn:uuid:5b2f0c7e-8a61-4d3e-9c55-0e4f2a1b3c6d")
    assert document == {
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "id": "urn:uuid:5b2f0c7e-8a61-4d3e-9c55-0e4f2a1b3c6d",
        "type": ["VerifiablePresentation"], "holder": HOLDER,
        "verifiableCredential": [
            signed(),
            {"@context": "https://www.w3.org/ns/credentials/v2",
             "id": f"data:application/vc+jwt,{token}", "type": "EnvelopedVerifiableCredential"}]}


def test_the_proof_is_the_holders_for_authentication_with_challenge_and_domain() -> None:
    proof = present()["proof"]
    assert proof == proof | {"type": "DataIntegrityProof", "cryptosuite": "eddsa-rdfc-2022",
                             "created": "2025-05-01T00:00:00Z", "verificationMethod": METHOD,
                             "proofPurpose": "authentication", "challenge": CHALLENGE,
                             "domain": DOMAIN}


def test_credentials_given_as_json_text_are_read_as_objects() -> None:
    """A wallet keeps the bytes it imported: JSON text is carried as the object it is."""
    document = build_presentation([json.dumps(signed())], holder=HOLDER)
    assert document["verifiableCredential"] == [signed()]


def test_the_credentials_given_are_not_changed() -> None:
    given = [signed(), jwt()]
    before = copy.deepcopy(given)
    present(given)
    assert given == before


# --- what does not verify ----------------------------------------------------------------------

@pytest.mark.parametrize("suite", SUITES)
def test_another_challenge_fails(suite: str) -> None:
    """Replayed for another request, the presentation is refused, saying why."""
    report = verify(present(suite=suite), challenge="another-challenge")
    assert failures(report) == [("challenge", "challenge-mismatch")]


@pytest.mark.parametrize("suite", SUITES)
def test_another_domain_fails(suite: str) -> None:
    """Shown to another verifier, the presentation is refused, saying why."""
    report = verify(present(suite=suite), domain="other-verifier.example")
    assert failures(report) == [("domain", "domain-mismatch")]


def test_a_challenge_changed_in_the_proof_fails_the_signature() -> None:
    """Rewriting the proof's challenge to the new request breaks the holder's signature."""
    document = present()
    document["proof"]["challenge"] = "another-challenge"
    report = verify(document, challenge="another-challenge")
    assert ("proof", "signature") in failures(report)


def test_a_credential_tampered_before_presenting_fails_that_credential() -> None:
    """The holder's proof covers the tampered credential; its issuer's proof does not."""
    report = verify(present([signed(), tampered()]))
    assert failures(report) == [("credentials", "credential-not-verified")]
    assert [credential.ok for credential in report.credentials] == [True, False]


def test_a_credential_tampered_after_signing_fails_the_presentation() -> None:
    document = present()
    document["verifiableCredential"][0]["credentialSubject"]["name"] = "Taro Yamada"
    report = verify(document)
    assert ("proof", "signature") in failures(report)


def test_a_different_holder_key_fails() -> None:
    """Signed with another key (its own did:key method) under our holder's name: the proof
    verifies, but not as the holder's; with our method and another key: the signature fails."""
    document = build_presentation([signed()], holder=HOLDER)
    by_other = sign_data_integrity(document, key=OTHER_KEY, verification_method=OTHER_METHOD,
                                   cryptosuite="eddsa-jcs-2022", created=NOW,
                                   proof_purpose="authentication", challenge=CHALLENGE,
                                   domain=DOMAIN)
    assert failures(verify(by_other)) == [("holder", "holder-mismatch")]
    forged = sign_data_integrity(document, key=OTHER_KEY, verification_method=METHOD,
                                 cryptosuite="eddsa-jcs-2022", created=NOW,
                                 proof_purpose="authentication", challenge=CHALLENGE,
                                 domain=DOMAIN)
    assert ("proof", "signature") in failures(verify(forged))


# --- what is refused ---------------------------------------------------------------------------

@pytest.mark.parametrize(("name", "value"), [
    ("challenge", ""), ("challenge", "  "), ("challenge", None),
    ("domain", ""), ("domain", "\t"), ("domain", None)])
def test_a_challenge_and_a_domain_are_required(name: str, value: Any) -> None:
    """Without them the presentation could be replayed anywhere: refused, in both languages."""
    with pytest.raises(PresentationRequestError) as raised:
        present(**{name: value})
    assert f"the verifier's {name} is required" in error_words(raised.value, "en")
    assert "検証者の" in error_words(raised.value, "ja")
    assert [problem.location for problem in raised.value.problems] == [name]


def test_a_key_that_is_not_the_holders_is_refused() -> None:
    with pytest.raises(PresentationRequestError) as raised:
        present(key=OTHER_KEY, verification_method=OTHER_METHOD)
    assert "is not the holder's" in error_words(raised.value, "en")


def _signed_ob2_badge() -> str:
    return sign_assertion({**OB2_ASSERTION, "verification": {
        "type": "SignedBadge", "creator": "https://badges.example/keys/1"}},
        key=ec.generate_private_key(ec.SECP256R1()))


@pytest.mark.parametrize("assertion", [
    pytest.param(lambda: OB2_ASSERTION, id="hosted-json"),
    pytest.param(lambda: {k: v for k, v in OB2_ASSERTION.items() if k != "@context"},
                 id="typed-assertion"),
    pytest.param(lambda: json.dumps(OB2_ASSERTION), id="json-text"),
    pytest.param(_signed_ob2_badge, id="signed-badge")])
def test_an_open_badges_2_assertion_is_refused_naming_it(assertion: Any) -> None:
    """An OB 2.0 assertion is not a Verifiable Credential: the error says which one it is."""
    with pytest.raises(UnpresentableCredentialError) as raised:
        build_presentation([signed(), assertion()], holder=HOLDER)
    assert error_words(raised.value, "en").startswith(
        "credentials[1] cannot go in a presentation: it is an Open Badges 2.0 assertion")
    assert "Open Badges 2.0 のアサーション" in error_words(raised.value, "ja")
    assert [problem.location for problem in raised.value.problems] == ["credentials[1]"]


@pytest.mark.parametrize(("credential", "reason"), [
    (lambda: unsigned(), "it has no proof"),
    (lambda: {**signed(), "type": ["OpenBadgeCredential"]},
     "its type does not include VerifiableCredential"),
    (lambda: "https://badges.example/assertions/1", "neither a JSON credential nor a VC-JWT"),
    (lambda: jwt().rsplit(".", 2)[0] + ".e30.c2ln", "does not hold a Verifiable Credential"),
    (lambda: 42, "neither a JSON object nor a VC-JWT")])
def test_what_is_no_secured_credential_is_refused(credential: Any, reason: str) -> None:
    with pytest.raises(UnpresentableCredentialError) as raised:
        build_presentation([credential()], holder=HOLDER)
    assert reason in error_words(raised.value, "en")
    assert [problem.location for problem in raised.value.problems] == ["credentials[0]"]


@pytest.mark.parametrize(("holder", "credentials", "where"), [
    ("https://holder.example/me", [signed()], "holder"),
    ("hanako@example.jp", [signed()], "holder"),
    (HOLDER, [], "credentials")])
def test_a_holder_that_is_no_did_and_an_empty_selection_are_refused(
        holder: str, credentials: list[Any], where: str) -> None:
    with pytest.raises(PresentationRequestError) as raised:
        build_presentation(credentials, holder=holder)
    assert [problem.location for problem in raised.value.problems] == [where]
