"""Verification of credentials: the pipeline of checks and its report, as specifications.

Credentials are built from a demo programme (``credstack.demo``) with
``credstack.core.credentials.openbadges_v3``, signed with ``credstack.core.proofs`` under a
``did:key`` issuer, and carry status entries in two Bitstring Status Lists (revocation,
suspension) that the tests build and sign themselves and serve through ``fetch_status_list``
— a dictionary lookup, the real seam, no mock. JSON-LD contexts come from the service's own
bundled loader (``credstack.adapters.resolvers.contexts``) with the credstack extension
context added; nothing is fetched. The 1EdTech and W3C fixtures are read from
``../shared/ref`` at run time.

``CREDSTACK_MUTATIONS`` sets how many mutated credentials the property test tries (200 by
default; the benchmark, ``bench/mutations.py``, runs 10,000).
"""

from __future__ import annotations

import base64
import copy
import datetime as dt
import json
import os
import string
from collections.abc import Callable, Mapping
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

import credstack.core.verification as verification
from credstack.adapters.resolvers.contexts import document_loader
from credstack.core.credentials import (
    EXTENSION_CONTEXT_URL,
    extension_context,
)
from credstack.core.crypto import (
    KeyPair,
    KeyType,
    PublicKey,
    decode_public_key,
    rdfc_canonicalize,
)
from credstack.core.descriptors import profiles
from credstack.core.descriptors.models import Programme
from credstack.core.dids import did_key
from credstack.core.proofs import (
    EcdsaSdIssuing,
    derive_data_integrity,
    sign_data_integrity,
    sign_vc_jwt,
)
from credstack.core.proofs.cryptosuites.vc_jwt import sign_claims
from credstack.core.status import StatusList, status_list_credential
from credstack.core.verification import (
    DEFAULT_CHECKS,
    STEPS,
    Check,
    CheckKind,
    Decision,
    DescriptorSource,
    VerificationReport,
    credential_schema,
    verify_credential,
)
from credstack.demo import load_demo_documents
from credstack.errors import (
    CredstackError,
    MalformedCredentialError,
    NotFoundError,
    OutOfReachError,
)
from credstack.testing import json_containers, json_paths, same_to_json_ld, value_at
from credstack.words import words
from tests import signed_credentials
from tests.core.proofs.vectors import SD_VECTORS, SdVector, shared_loader

NOW = dt.datetime(2026, 6, 1, 9, 0, tzinfo=dt.UTC)
VALID_FROM = dt.datetime(2026, 4, 1, tzinfo=dt.UTC)
VALID_UNTIL = dt.datetime(2027, 4, 1, tzinfo=dt.UTC)
CREDENTIAL_ID = "urn:uuid:0b4b7a52-6f0e-4a39-9a8c-2f3f4c8e8a01"

KEY = KeyPair.from_secret_bytes(KeyType.ED25519, bytes(range(32)))
OTHER_KEY = KeyPair.from_secret_bytes(KeyType.ED25519, bytes(range(32, 64)))
ISSUER = did_key.did_from_public_key(KEY.public_key)
METHOD = did_key.verification_method_id(KEY.public_key)
OTHER_ISSUER = did_key.did_from_public_key(OTHER_KEY.public_key)
OTHER_METHOD = did_key.verification_method_id(OTHER_KEY.public_key)
ECDSA_KEY = KeyPair.from_secret_bytes(KeyType.P256, bytes(range(1, 33)))
ECDSA_ISSUER = did_key.did_from_public_key(ECDSA_KEY.public_key)
ECDSA_METHOD = did_key.verification_method_id(ECDSA_KEY.public_key)

REVOCATION_LIST = "https://status.credstack.example/lists/revocation/1"
SUSPENSION_LIST = "https://status.credstack.example/lists/suspension/1"
REVOKED_INDEX, SUSPENDED_INDEX, GOOD_INDEX = 4021, 977, 12

MUTATIONS = int(os.environ.get("CREDSTACK_MUTATIONS", "200"))
ONE_EDTECH = "examples/ob-v3p0/validator"


# --- the seams, real and small ---------------------------------------------------------------

@cache
def loader() -> Any:
    """The service's bundled contexts plus the credstack extension (one loader: warm caches)."""
    return document_loader(extra={EXTENSION_CONTEXT_URL: extension_context()})


def resolve_method(method: str) -> tuple[PublicKey, str]:
    """HTTPS methods whose fragment is the Multikey (as the 1EdTech fixtures name keys).

    The service resolves such URLs over the network (an adapter); here the fragment is read.
    The controller is the URL without its fragment: the issuer profile that publishes it.
    """
    controller, _, fragment = method.partition("#")
    if not controller.startswith("https://") or not fragment:
        raise MalformedCredentialError(f"{method} cannot be resolved by this test resolver")
    return decode_public_key(fragment), controller


REGISTRY: dict[str, Mapping[str, Any]] = {}


@cache
def programme() -> Programme:
    """A demo micro-credential programme issued by its own awarding body (three outcomes).

    Three, because a programme with four or more learning outcomes cannot be signed with
    eddsa-rdfc-2022 at present: the extension context makes ``learningOutcomes`` an
    ``@list`` of blank nodes, and RDFC-1.0's work limit (rdf-canonize's default, which
    credstack keeps) refuses that graph as possibly poisoned.
    """
    return next(p for p in load_demo_documents().programmes
                if p.awarding_body is not None and p.assessment is not None
                and not p.assessment.participation_only and len(p.learning_outcomes) == 3)


def achievement_id() -> str:
    return signed_credentials.achievement_id(programme())


def unsigned(*, issuer: str = ISSUER, valid_from: dt.datetime = VALID_FROM,
             valid_until: dt.datetime | None = VALID_UNTIL,
             status: tuple[tuple[str, int], ...] = (("revocation", GOOD_INDEX),
                                                    ("suspension", GOOD_INDEX))
             ) -> dict[str, Any]:
    """The OB 3.0 credential of the demo programme for one learner, not yet signed."""
    lists = {"revocation": REVOCATION_LIST, "suspension": SUSPENSION_LIST}
    return signed_credentials.hanako_badge(
        programme(), issuer=issuer, credential_id=CREDENTIAL_ID,
        issued_on=valid_from.date().isoformat(),
        grade="A", valid_from=valid_from, valid_until=valid_until,
        status=tuple((purpose, index, lists[purpose]) for purpose, index in status))


def sign(document: Mapping[str, Any], *, suite: str | EcdsaSdIssuing = "eddsa-rdfc-2022",
         key: KeyPair = KEY, method: str = METHOD) -> dict[str, Any]:
    return sign_data_integrity(document, key=key, verification_method=method,
                               cryptosuite=suite, created=VALID_FROM,
                               document_loader=loader())


@cache
def signed_rdfc() -> dict[str, Any]:
    return sign(unsigned())


@cache
def signed_jcs() -> dict[str, Any]:
    return sign(unsigned(), suite="eddsa-jcs-2022")


@cache
def signed_ecdsa(suite: str) -> dict[str, Any]:
    """The credential of a P-256 did:key issuer, signed with ``ecdsa-rdfc-2019`` or
    ``ecdsa-jcs-2019``."""
    return sign(unsigned(issuer=ECDSA_ISSUER), suite=suite, key=ECDSA_KEY, method=ECDSA_METHOD)


#: What a holder of the P-256 issuer's ecdsa-sd-2023 credential must disclose (the issuer's
#: mandatory pointers: what the badge is, who issued it, when it is valid, its status) and
#: chooses to (one of the learner's names, the date awarded).
SD_MANDATORY = ("/issuer", "/validFrom", "/validUntil", "/credentialStatus", "/name",
                "/credentialSubject/type", "/credentialSubject/achievement")
SD_SELECTIVE = ("/credentialSubject/identifier/1", "/awardedDate")


@cache
def signed_sd() -> dict[str, Any]:
    """A holder's disclosure of the P-256 issuer's credential secured with ``ecdsa-sd-2023``:
    the learner's name in English only, the e-mail hash and the Japanese name withheld."""
    base = sign(unsigned(issuer=ECDSA_ISSUER), suite=EcdsaSdIssuing(SD_MANDATORY),
                key=ECDSA_KEY, method=ECDSA_METHOD)
    return derive_data_integrity(base, selective_pointers=SD_SELECTIVE,
                                 document_loader=loader())


@cache
def signed_linked_data(suite: str) -> dict[str, Any]:
    """The credential with a Linked Data Signature, as such credentials are written:
    ``Ed25519Signature2020`` with its suite context added; ``Ed25519Signature2018`` on the
    credential written as VC 1.1 (``issuanceDate`` / ``expirationDate``), whose base context
    defines that proof's terms, with the Bitstring Status List context for its entries."""
    document = unsigned()
    if suite == "Ed25519Signature2020":
        document["@context"] = [*document["@context"],
                                "https://w3id.org/security/suites/ed25519-2020/v1"]
    else:
        document["@context"] = ["https://www.w3.org/2018/credentials/v1",
                                *document["@context"][1:],
                                "https://www.w3.org/ns/credentials/status/v1"]
        document["issuanceDate"] = document.pop("validFrom")
        document["expirationDate"] = document.pop("validUntil")
    return sign(document, suite=suite)


#: Each Data Integrity proof form's signed credential (and the Linked Data Signatures').
SIGNED: dict[str, Callable[[], dict[str, Any]]] = {
    "eddsa-rdfc-2022": signed_rdfc, "eddsa-jcs-2022": signed_jcs,
    "ecdsa-rdfc-2019": lambda: signed_ecdsa("ecdsa-rdfc-2019"),
    "ecdsa-jcs-2019": lambda: signed_ecdsa("ecdsa-jcs-2019"),
    "ecdsa-sd-2023": signed_sd,
    "Ed25519Signature2020": lambda: signed_linked_data("Ed25519Signature2020"),
    "Ed25519Signature2018": lambda: signed_linked_data("Ed25519Signature2018"),
}
#: The forms that sign RDF statements (RDFC-1.0 on SHA-256), not the JSON text.
RDF_SIGNED = ("eddsa-rdfc-2022", "ecdsa-rdfc-2019", "ecdsa-sd-2023", "Ed25519Signature2020",
              "Ed25519Signature2018")


def fresh(document: Mapping[str, Any]) -> dict[str, Any]:
    return copy.deepcopy(dict(document))


@cache
def status_lists() -> dict[str, dict[str, Any]]:
    """Two signed status list credentials, one entry set in each."""
    lists = {}
    for url, purpose, index in ((REVOCATION_LIST, "revocation", REVOKED_INDEX),
                                (SUSPENSION_LIST, "suspension", SUSPENDED_INDEX)):
        bits = StatusList.empty(purpose=purpose).with_status(index)
        lists[url] = sign(status_list_credential(bits, url=url, issuer=ISSUER,
                                                 valid_from=VALID_FROM))
    return lists


def verify(credential: Any, **changes: Any) -> VerificationReport:
    arguments: dict[str, Any] = {
        "document_loader": loader(),
        "resolve_verification_method": resolve_method,
        "fetch_status_list": status_lists().get,
        "now": NOW,
        "programme_lookup": REGISTRY.get,
    }
    arguments.update(changes)
    return verify_credential(credential, **arguments, words=words)


def failed(report: VerificationReport, name: str) -> Check:
    """The named check, asserting that it failed and that the report is not verified."""
    assert not report.ok
    check = report.check(name)
    assert check is not None, [c.name for c in report.checks]
    assert check.ok is False, (check.reason_en, [c.to_dict() for c in report.failed])
    assert check.reason_en and check.reason_ja
    return check


def read_json(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


# --- a valid credential -----------------------------------------------------------------------

def test_a_valid_credential_is_verified_with_every_check_passed() -> None:
    """Every verdict check passes, in the default order, with reasons in English and Japanese."""
    report = verify(signed_rdfc())
    assert report.ok, [c.to_dict() for c in report.failed]
    assert [c.name for c in report.checks] == [
        "parse", "data-model", "open-badges", "contexts", "proof", "issuer", "validity",
        "status", "meaning"]
    assert report.authentic and report.conformant
    for check in report.checks:
        assert check.reason_en and check.reason_ja
        assert check.ok is (None if check.kind is CheckKind.INFO else True)
    status = report.check("status")
    assert status is not None
    assert [entry["outcome"] for entry in status.details["entries"]] == ["valid", "valid"]


@pytest.mark.parametrize("suite", ["ecdsa-rdfc-2019", "ecdsa-jcs-2019"])
def test_an_ecdsa_signed_credential_passes_every_check(suite: str) -> None:
    """A P-256 did:key issuer's ECDSA proof: the proof, its signer as the issuer, and every
    other check pass; changed after signing, it fails on the proof."""
    report = verify(signed_ecdsa(suite))
    assert report.ok, [c.to_dict() for c in report.failed]
    proof = report.check("proof")
    assert proof is not None and proof.ok is True
    assert failed(verify(fresh(signed_ecdsa(suite)) | {"name": "forged"}), "proof")


def test_a_holders_ecdsa_sd_disclosure_passes_every_check() -> None:
    """A holder's ecdsa-sd-2023 disclosure: the proof, its signer as the issuer, status and
    every other check pass, and what the holder withheld is not there; a disclosed value
    changed fails on the proof."""
    disclosed = signed_sd()
    report = verify(disclosed)
    assert report.ok, [c.to_dict() for c in report.failed]
    proof = report.check("proof")
    assert proof is not None and "ecdsa-sd-2023" in proof.reason_en
    assert [identifier["identityHash"] for identifier in
            disclosed["credentialSubject"]["identifier"]] == ["Hanako Yamada"]
    assert "awardedDate" in disclosed
    changed = fresh(disclosed)
    changed["credentialSubject"]["identifier"][0]["identityHash"] = "Taro Yamada"
    assert failed(verify(changed), "proof").code == "signature"


def test_an_ecdsa_sd_base_proof_is_refused_as_one_the_holder_must_derive() -> None:
    """The issuer's base proof carries its HMAC key and is the holder's: shown to a verifier,
    it is refused, in both languages, as one a holder must derive a disclosure from."""
    base = sign(unsigned(issuer=ECDSA_ISSUER), suite=EcdsaSdIssuing(SD_MANDATORY),
                key=ECDSA_KEY, method=ECDSA_METHOD)
    check = failed(verify(base), "proof")
    assert check.code == "base-proof"
    assert "a holder must derive before presenting" in check.reason_en
    assert "保有者に導出した証明を求めてください" in check.reason_ja


@pytest.mark.parametrize("vector", SD_VECTORS, ids=lambda v: v.name)
def test_the_w3c_ecdsa_sd_disclosures_pass_the_proof_check(shared_ref: Path,
                                                           vector: SdVector) -> None:
    """The vc-di-ecdsa ecdsa-sd-2023 disclosures through the one verifier (under the standards'
    contexts, which hold the citizenship context credstack does not bundle): the proof
    verifies and only the issuer check fails, as the vectors' signer is not the issuer they
    name; their base proofs are refused as ones a holder must derive first."""
    def verify_vector(document: dict[str, Any]) -> VerificationReport:
        return verify(document, document_loader=shared_loader(shared_ref),
                      now=dt.datetime(2025, 6, 1, tzinfo=dt.UTC))

    report = verify_vector(vector.derived(shared_ref))
    proof = report.check("proof")
    assert proof is not None and proof.ok is True, proof
    assert [check.name for check in report.failed] == ["issuer"]
    assert failed(verify_vector(vector.base(shared_ref)), "proof").code == "base-proof"


def test_the_meaning_states_descriptors_conformance_and_micro_credential() -> None:
    """The descriptors come back from the extension, judged under every framework profile."""
    REGISTRY[achievement_id()] = {"programme": programme().code, "version": 1}
    try:
        report = verify(signed_rdfc())
    finally:
        REGISTRY.clear()
    meaning = report.meaning
    assert meaning is not None
    assert meaning.descriptor_source is DescriptorSource.EXTENSION
    assert meaning.descriptors is not None
    assert meaning.descriptors["code"] == programme().code
    assert meaning.descriptors["title"] == programme().title.model_dump()
    assert [r.profile for r in meaning.conformance] == list(profiles())
    assert meaning.is_micro_credential is True
    assert meaning.achievement_type == "MicroCredential"
    assert meaning.registry == {"programme": programme().code, "version": 1}
    assert meaning.issuer_id == ISSUER
    jp_mc = next(r for r in meaning.conformance if r.profile == "jp-mc")
    assert jp_mc.conforms, jp_mc.findings


def test_the_report_is_shaped_like_a_vc_api_verification_result() -> None:
    """to_dict: verified, authentic, conformant, strict, checks (one per step, each saying
    which question it answers), errors, warnings, meaning — all JSON."""
    result = verify(signed_rdfc()).to_dict()
    assert set(result) == {"verified", "outcome", "authentic", "conformant", "strict",
                           "checks", "errors", "warnings", "meaning"}
    assert result["verified"] is True and result["outcome"] == "verified"
    assert (result["authentic"], result["conformant"], result["strict"]) == (True, True, False)
    assert result["errors"] == []
    assert [(c["check"], c["question"]) for c in result["checks"]][:3] == [
        ("parse", "authentic"), ("data-model", "authentic"), ("open-badges", "conformant")]
    assert result["checks"][-1]["question"] is None, "meaning answers neither question"
    assert result["meaning"]["is_micro_credential"] is True
    json.dumps(result, ensure_ascii=False)
    bad = verify(fresh(signed_rdfc()) | {"name": "forged"}).to_dict()
    assert bad["verified"] is False and bad["outcome"] == "not-verified"
    assert {e["check"] for e in bad["errors"]} >= {"proof"}
    assert all({"type", "code", "title", "detail"} <= set(e) for e in bad["errors"])


@pytest.mark.parametrize("form", ["object", "text", "bytes"])
def test_json_objects_text_and_bytes_are_read_alike(form: str) -> None:
    """A credential may arrive parsed, as JSON text, or as UTF-8 bytes."""
    document = signed_jcs()
    credential: Any = {"object": document, "text": json.dumps(document),
                       "bytes": json.dumps(document).encode()}[form]
    assert verify(credential).ok


def test_the_input_is_never_changed() -> None:
    """Verification works on a private copy: the caller's object is left as it was."""
    document = fresh(signed_rdfc())
    before = json.dumps(document, sort_keys=True)
    verify(document)
    assert json.dumps(document, sort_keys=True) == before


# --- bad input: a precise failed check, never an exception ------------------------------------

def _tamper(document: dict[str, Any]) -> dict[str, Any]:
    document["credentialSubject"]["achievement"]["name"] = "Doctor of Everything"
    return document


def _wrong_key(_: dict[str, Any]) -> dict[str, Any]:
    return sign(unsigned(), key=OTHER_KEY, method=METHOD)


def _setting(*path: str | int, to: Any) -> Callable[[dict[str, Any]], dict[str, Any]]:
    """The change that sets the value at ``path`` (keys and indexes from the top) to ``to``."""
    def change(document: dict[str, Any]) -> dict[str, Any]:
        value_at(document, path[:-1])[path[-1]] = to
        return document
    return change


def _duplicate(document: dict[str, Any]) -> dict[str, Any]:
    document["proof"] = [document["proof"], copy.deepcopy(document["proof"])]
    return document


def _unknown_context(document: dict[str, Any]) -> dict[str, Any]:
    document["@context"].append("https://contexts.example.org/unknown/v1")
    return document


BAD_INPUTS: list[tuple[str, Callable[[dict[str, Any]], Any], str, str]] = [
    ("tampered field", _tamper, "proof", "signature"),
    ("tampered issuer name", _setting("issuer", "name", to="Forged University"),
     "proof", "signature"),
    ("tampered validity", _setting("validUntil", to="2099-01-01T00:00:00Z"),
     "proof", "signature"),
    ("tampered status index", _setting("credentialStatus", 0, "statusListIndex", to="13"),
     "proof", "signature"),
    ("wrong key", _wrong_key, "proof", "signature"),
    ("wrong suite (another one credstack knows)",
     _setting("proof", "cryptosuite", to="eddsa-jcs-2022"), "proof", "signature"),
    ("wrong suite (one credstack does not know)",
     _setting("proof", "cryptosuite", to="eddsa-2022"), "proof", "unsupported-proof"),
    ("wrong proof type", _setting("proof", "type", to="RsaSignature2018"),
     "proof", "unsupported-proof"),
    ("wrong proof purpose", _setting("proof", "proofPurpose", to="authentication"),
     "proof", "malformed-proof"),
    ("missing proof", lambda d: d.pop("proof") and d, "proof", "missing-proof"),
    ("empty proof set", _setting("proof", to=[]), "proof", "missing-proof"),
    ("malformed multibase (bad character)",
     _setting("proof", "proofValue", to="z0OIl" * 10), "proof", "malformed-proof-value"),
    ("malformed multibase (wrong prefix)",
     _setting("proof", "proofValue", to="u" + "A" * 86), "proof", "malformed-proof-value"),
    ("malformed multibase (short signature)",
     _setting("proof", "proofValue", to="z3yMApqCuCjXDWPrbjfR5mjCPTHqFG8Pux1TxQrEM35jj"),
     "proof", "malformed-proof-value"),
    ("undefined term", _setting("credentialSubject", "favouriteColour", to="blue"),
     "proof", "undefined-term"),
    ("huge document", _setting("description", to="x" * (1024 * 1024 + 1)), "parse", "too-large"),
    ("unknown verification method",
     _setting("proof", "verificationMethod", to="did:example:123#key-1"),
     "proof", "unresolvable-method"),
    ("not a credential at all", lambda d: [d], "parse", "not-an-object"),
]


@pytest.mark.parametrize(("case", "change", "check", "code"), BAD_INPUTS,
                         ids=[case[0] for case in BAD_INPUTS])
def test_bad_input_fails_one_precise_check(case: str, change: Callable[[dict[str, Any]], Any],
                                           check: str, code: str) -> None:
    """Each bad input of the issue fails the check it concerns, with its code, never raising."""
    report = verify(change(fresh(signed_rdfc())))
    assert failed(report, check).code == code


def undecided(report: VerificationReport, name: str) -> Check:
    """The named check, asserting that it could not be checked — and so the report (nothing
    failed) — and that it says what was missing."""
    assert report.decision is Decision.UNDECIDED, [c.to_dict() for c in report.failed]
    check = report.check(name)
    assert check is not None, [c.name for c in report.checks]
    assert check.ok is None and check.missing is not None, check.to_dict()
    assert check in report.undecided and check.reason_en and check.reason_ja
    return check


@pytest.mark.parametrize("check", ["contexts", "proof"])
def test_an_unknown_context_could_not_be_checked_naming_it(check: str) -> None:
    """A context credstack does not hold is never fetched: the contexts check and the proof
    that needs it are undecided — not forged — and name it as what is missing."""
    report = verify(_unknown_context(fresh(signed_rdfc())))
    found = undecided(report, check)
    assert found.code == "unknown-context"
    assert found.missing is not None and found.missing.what == "context"
    assert found.missing.url is not None and found.missing.url.startswith("https://")


def test_a_proof_set_holding_the_same_proof_twice_verifies() -> None:
    """Two identical proofs are a proof set whose every proof verifies: the credential
    verifies (no specification refuses a repeated proof; the W3C eddsa suite expects it)."""
    report = verify(_duplicate(fresh(signed_rdfc())))
    assert report.ok, report.to_dict()


def test_a_credential_signed_after_a_change_is_still_refused_when_expired() -> None:
    """Expired: validUntil before now — the validity check fails, 'expired'."""
    report = verify(sign(unsigned(valid_from=VALID_FROM - dt.timedelta(days=400),
                                  valid_until=VALID_FROM - dt.timedelta(days=35))))
    check = failed(report, "validity")
    assert check.code == "expired"
    assert [c.name for c in report.failed] == ["validity"]


def test_a_credential_not_yet_valid_is_refused() -> None:
    """Not yet valid: validFrom after now — a distinct reason from expired."""
    report = verify(sign(unsigned(valid_from=NOW + dt.timedelta(days=3), valid_until=None)))
    assert failed(report, "validity").code == "not-yet-valid"
    assert [c.name for c in report.failed] == ["validity"]


@pytest.mark.parametrize(("purpose", "index", "code"), [
    ("revocation", REVOKED_INDEX, "revoked"), ("suspension", SUSPENDED_INDEX, "suspended")])
def test_a_revoked_or_suspended_credential_is_refused(purpose: str, index: int,
                                                      code: str) -> None:
    """The status list says so: the status check fails with 'revoked' or 'suspended'."""
    other = "suspension" if purpose == "revocation" else "revocation"
    report = verify(sign(unsigned(status=((purpose, index), (other, GOOD_INDEX)))))
    check = failed(report, "status")
    assert check.code == code
    assert [c.name for c in report.failed] == ["status"]
    assert index in [entry.get("index") for entry in check.details["entries"]]


def test_an_issuer_that_did_not_sign_is_refused() -> None:
    """Issuer mismatch: the credential names another DID than the key that signed it."""
    report = verify(sign(unsigned(issuer=OTHER_ISSUER)))
    check = failed(report, "issuer")
    assert check.code == "issuer-mismatch"
    assert report.check("proof").ok is True


def test_a_credential_without_status_passes_the_status_check_as_no_status() -> None:
    """No credentialStatus: a passing status check that says so."""
    report = verify(sign(unsigned(status=())))
    assert report.ok
    assert report.check("status").code == "no-status"


def test_a_status_list_that_cannot_be_fetched_means_the_status_could_not_be_checked() -> None:
    """Fetch failure (out of reach, not found, nothing at the URL): the status is undecided,
    the list named as what is missing — and the credential could not be checked."""
    def broken(url: str) -> Mapping[str, Any] | None:
        raise NotFoundError(f"{url}: 404")

    def unreachable(url: str) -> Mapping[str, Any] | None:
        raise OutOfReachError(f"{url}: [Errno -3] Temporary failure in name resolution",
                              url=url)

    for fetch, why in ((broken, "not-found"), ({}.get, "not-found"),
                       (unreachable, "unreachable")):
        check = undecided(verify(signed_rdfc(), fetch_status_list=fetch), "status")
        assert check.code == "status-unavailable"
        assert check.missing is not None
        assert (check.missing.what, check.missing.why) == ("status-list", why)
        assert check.missing.url == REVOCATION_LIST


def test_a_tampered_or_foreign_status_list_is_not_trusted() -> None:
    """The list's own proof and issuer are verified with the same machinery."""
    lists = copy.deepcopy(status_lists())
    lists[REVOCATION_LIST]["credentialSubject"]["encodedList"] = (
        status_list_credential(StatusList.empty(), url=REVOCATION_LIST, issuer=ISSUER,
                               valid_from=VALID_FROM)["credentialSubject"]["encodedList"])
    check = failed(verify(sign(unsigned(status=(("revocation", REVOKED_INDEX),))),
                          fetch_status_list=lists.get), "status")
    assert check.code == "status-list-unverified"
    foreign = {REVOCATION_LIST: sign(status_list_credential(
        StatusList.empty(), url=REVOCATION_LIST, issuer=ISSUER, valid_from=VALID_FROM),
        key=OTHER_KEY, method=OTHER_METHOD)}
    check = failed(verify(sign(unsigned(status=(("revocation", GOOD_INDEX),))),
                          fetch_status_list=foreign.get), "status")
    assert check.code == "status-list-unverified"


def test_a_status_list_that_does_not_verify_says_why() -> None:
    """A tampered list says the signature does not verify (the status step said nothing after
    "does not verify:" before its words were the catalogues'); a list signed with a key out of
    reach leaves the status undecided, the key named as missing and its words as they were."""
    lists = copy.deepcopy(status_lists())
    lists[REVOCATION_LIST]["credentialSubject"]["encodedList"] = (
        status_list_credential(StatusList.empty(), url=REVOCATION_LIST, issuer=ISSUER,
                               valid_from=VALID_FROM)["credentialSubject"]["encodedList"])
    check = failed(verify(sign(unsigned(status=(("revocation", REVOKED_INDEX),))),
                          fetch_status_list=lists.get), "status")
    assert (check.reason_en, check.reason_ja) == (
        f"the status list {REVOCATION_LIST} does not verify: the signature does not verify: "
        "the credential was changed after it was signed, or it was signed with another key "
        "(the Ed25519 signature does not verify)",
        f"ステータスリスト {REVOCATION_LIST} の証明を確認できません：署名が一致しません。"
        "署名後に内容が変更されたか、別の鍵で署名されています")
    method = "did:web:lists.example#key-1"
    reach = "did:web:lists.example could not be fetched: connection refused"

    def resolve(wanted: str) -> tuple[PublicKey, str]:
        if wanted == method:
            raise OutOfReachError(reach, url="https://lists.example/.well-known/did.json")
        return resolve_method(wanted)

    far = {REVOCATION_LIST: sign(status_list_credential(
        StatusList.empty(), url=REVOCATION_LIST, issuer=ISSUER, valid_from=VALID_FROM),
        method=method)}
    check = undecided(verify(sign(unsigned(status=(("revocation", GOOD_INDEX),))),
                             fetch_status_list=far.get, resolve_verification_method=resolve),
                      "status")
    assert check.code == "status-list-unverified"
    assert check.missing is not None
    assert (check.missing.what, check.missing.why, check.missing.url) == (
        "key", "unreachable", "https://lists.example/.well-known/did.json")
    assert (check.reason_en, check.reason_ja) == (
        f"the status list {REVOCATION_LIST} does not verify: the verification method "
        f"'{method}' could not be resolved: {reach}",
        f"ステータスリスト {REVOCATION_LIST} の証明を確認できません：検証方法（鍵）{method} "
        f"を取得できません：{reach}")


def test_status_checking_can_be_switched_off_with_a_warning() -> None:
    """fetch_status_list=None: status is information only, and a warning says so."""
    report = verify(sign(unsigned(status=(("revocation", REVOKED_INDEX),))),
                    fetch_status_list=None)
    assert report.ok
    status = report.check("status")
    assert status is not None and status.kind is CheckKind.INFO
    assert [notice.code for _, notice in report.warnings] == ["status-not-checked"]


def test_when_the_proof_fails_issuer_and_status_are_not_decided() -> None:
    """No status list is fetched for a credential whose proof does not verify."""
    fetched: list[str] = []

    def fetch(url: str) -> Mapping[str, Any] | None:
        fetched.append(url)
        return status_lists().get(url)

    report = verify(_tamper(fresh(signed_rdfc())), fetch_status_list=fetch)
    assert fetched == []
    assert report.check("issuer").ok is None
    assert report.check("status").ok is None
    assert {e["check"] for e in report.to_dict()["errors"]} == {"proof", "issuer", "status"}


@pytest.mark.parametrize(("text", "code"), [
    ('{"@context": [], "@context": []}', "duplicate-key"),
    ("[1, 2]", "not-an-object"),
    ("{not json", "not-json"),
    ('{"a": NaN}', "not-json"),
    ("[" * 100_000 + "]" * 100_000, "too-deep"),
    ("hello", "not-json"),
    ('{"a":' * 100 + "1" + "}" * 100, "too-deep"),
    ("", "empty"),
    (" \ufeff\n", "empty"),
    ("eyJhbGciOiJFZERTQSJ9.eyJ4IjoxfQ.c2ln", "not-a-credential"),
])
def test_unreadable_text_fails_the_parse_check(text: str, code: str) -> None:
    """Repeated keys, non-JSON, NaN, runaway nesting, nothing at all: the parse check fails,
    nothing raises."""
    report = verify(text)
    assert failed(report, "parse").code == code
    assert all(c.ok is None for c in report.checks[1:])


def test_a_deeply_nested_object_is_refused_without_recursion_errors() -> None:
    """A Python object nested past the interpreter's limit is 'too deep', not a crash."""
    deep: Any = "x"
    for _ in range(5000):
        deep = {"a": deep}
    assert failed(verify(deep), "parse").code == "too-deep"


def test_other_python_values_are_not_credentials() -> None:
    """Only JSON objects, text and bytes are read; anything else fails the parse check."""
    assert failed(verify(42), "parse").code == "not-an-object"
    assert failed(verify({"a": {1, 2}}), "parse").code == "not-json"


# --- VC-JWT ----------------------------------------------------------------------------------

def _jwt(credential: Mapping[str, Any] | None = None) -> str:
    return sign_vc_jwt(credential or unsigned(), key=KEY, kid=METHOD)


def _b64(value: Any) -> str:
    """Base64url of compact UTF-8 JSON: the bytes sign_vc_jwt signs, for the same object."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return base64.urlsafe_b64encode(text.encode()).rstrip(b"=").decode()


def test_a_vc_jwt_is_verified() -> None:
    """A compact JWS (typ vc+jwt, EdDSA) verifies like the JSON-LD credential it carries."""
    report = verify(_jwt())
    assert report.ok, [c.to_dict() for c in report.failed]
    assert report.check("parse").details["format"] == "vc+jwt"
    assert "EdDSA" in report.check("proof").reason_en
    assert report.meaning is not None and report.meaning.is_micro_credential


def test_an_enveloped_vc_jwt_is_verified() -> None:
    """An EnvelopedVerifiableCredential with a data: URL carries the same JWS."""
    envelope = {"@context": "https://www.w3.org/ns/credentials/v2",
                "type": "EnvelopedVerifiableCredential",
                "id": f"data:application/vc+jwt,{_jwt()}"}
    assert verify(envelope).ok


def test_an_unsecured_jwt_is_refused() -> None:
    """alg: none is never accepted, whatever the payload says."""
    token = f"{_b64({'alg': 'none', 'typ': 'vc+jwt'})}.{_b64(unsigned())}."
    assert failed(verify(token), "proof").code == "unsecured-jwt"
    token = f"{_b64({'alg': 'none', 'typ': 'vc+jwt', 'kid': METHOD})}.{_b64(unsigned())}.c2ln"
    assert failed(verify(token), "proof").code == "unsecured-jwt"


def test_a_tampered_jwt_is_refused() -> None:
    """A payload changed after signing: the JWS signature does not verify."""
    header, _, signature = _jwt().split(".")
    token = f"{header}.{_b64(_tamper(unsigned()))}.{signature}"
    assert failed(verify(token), "proof").code == "signature"


def test_a_jwt_by_another_key_than_its_issuer_is_refused() -> None:
    """The kid's controller must be the issuer, as for embedded proofs."""
    token = sign_vc_jwt(unsigned(), key=OTHER_KEY, kid=OTHER_METHOD)
    assert failed(verify(token), "issuer").code == "issuer-mismatch"


def test_jwt_dates_bound_the_validity() -> None:
    """An exp claim earlier than validUntil ends the validity period."""
    claims = unsigned() | {"exp": int((NOW - dt.timedelta(days=1)).timestamp())}
    assert failed(verify(_jwt(claims)), "validity").code == "expired"


def test_a_vc_1_1_jwt_is_read_as_its_registered_claims_say() -> None:
    """VC Data Model 1.1 §6.3.1.2: iss is the issuer and nbf the issuance date, so a token
    whose vc claim gives neither verifies; iss names whose key must have signed."""
    claims = {"vc": {"@context": ["https://www.w3.org/2018/credentials/v1"],
                     "type": ["VerifiableCredential"],
                     "credentialSubject": {"name": "Hanako"}},
              "iss": ISSUER, "sub": "did:example:learner", "jti": CREDENTIAL_ID,
              "nbf": int(VALID_FROM.timestamp())}
    report = verify(sign_claims(claims, key=KEY, kid=METHOD))
    assert report.ok, [c.to_dict() for c in report.failed]
    assert report.check("parse").details["format"] == "vc-jwt-1.1"
    other = sign_claims({**claims, "iss": "did:example:someone-else"}, key=KEY, kid=METHOD)
    assert failed(verify(other), "issuer").code == "issuer-mismatch"


# --- 1EdTech fixtures ------------------------------------------------------------------------

#: The 1EdTech validator's fixtures that must verify outright: eddsa-rdfc-2022, and a
#: holder's ecdsa-sd-2023 disclosure.
ONE_EDTECH_VERIFIED = [
    "simple.json", "simple-context-alias.json", "simple-context-version.json",
    "simple-did-web-method.json", "endorsement-valid.json", "simple-multiple-proofs.json",
    # Ed25519Signature2020, VC 1.1.
    "simple_v1.json",
    "sd/derivedcredential.json",
]

#: Fixtures whose proof verifies but which fail another check, for a reason stated here.
ONE_EDTECH_PROOF_ONLY = {
    # Status 1EdTechRevocationList: a status method credstack does not implement, so the
    # status cannot be checked; that is never passed over silently.
    "complete.json": ("status", "status-unsupported"),
    # The issuer is urn:uuid:…, the key a did:key: nothing ties the signer to the issuer.
    "simple-did-key-method.json": ("issuer", "issuer-mismatch"),
    # Bit 23 of the list in the same folder is set: revoked, as the file names say.
    "bit-string-list/credential-status-revoked.json": ("status", "revoked"),
    "bit-string-list/credential-status-revoked-blank-nodes.json": ("status", "revoked"),
}

#: Fixtures whose proofs credstack cannot verify (eddsa-2022, a draft suite; keys that cannot
#: be had) or with no proof at all.
ONE_EDTECH_UNSUPPORTED = {
    "simple-eddsa-2022.json": "unsupported-proof",
    # Ed25519Signature2020 proofs by keys that cannot be had (a did:web of 1EdTech's, an HTTPS
    # example URL), or over an endorsement changed after signing.
    "credential-status-revoked.json": "unresolvable-method",
    "complete_v1.json": "unresolvable-method",
    "endorsement-err-schema-status-refresh.json": "signature",
    "simple-noproof.json": "missing-proof",
}

#: Each simple-err-* fixture and the check its name says must fail (with the problem's
#: location for data-model and open-badges failures, the code otherwise).
ONE_EDTECH_ERRORS: dict[str, tuple[str, str]] = {
    "simple-err-context.json": ("data-model", "@context[0]"),
    "simple-err-credential-subject-achievement-result-description-type.json": (
        "open-badges", "credentialSubject.achievement.resultDescription[2].type"),
    "simple-err-credential-subject-identifier-type.json": (
        "open-badges", "credentialSubject.identifier[0].type"),
    "simple-err-credential-subject-profile-type.json": (
        "open-badges", "credentialSubject.source.type"),
    "simple-err-credential-subject-result-type.json": (
        "open-badges", "credentialSubject.result[1].type"),
    "simple-err-credential-subject-type.json": ("open-badges", "credentialSubject.type"),
    "simple-err-evidence-type.json": ("open-badges", "evidence[1].type"),
    "simple-err-expired.json": ("validity", "expired"),
    "simple-err-issued.json": ("validity", "not-yet-valid"),
    "simple-err-issuer-otheridentifier-type.json": ("open-badges",
                                                    "issuer.otherIdentifier[1].type"),
    "simple-err-issuer-parentorg-type.json": ("open-badges", "issuer.parentOrg.type"),
    "simple-err-issuer-type.json": ("open-badges", "issuer.type"),
    "simple-err-issuer.json": ("issuer", "no-issuer"),
    "simple-err-proof-method-no-scheme.json": ("proof", "unresolvable-method"),
    "simple-err-proof-method-unknown-did-method.json": ("proof", "unresolvable-method"),
    "simple-err-proof-method-unknown-scheme.json": ("proof", "unresolvable-method"),
    "simple-err-proof-method.json": ("proof", "unresolvable-method"),
    "simple-err-proof-value.json": ("proof", "signature"),
    "simple-err-type.json": ("open-badges", "type"),
}


@cache
def one_edtech_lists(ref: Path) -> dict[str, Any]:
    """The validator's status list, served under the URL its fixtures name."""
    folder = ref / ONE_EDTECH / "bit-string-list"
    credential = read_json(folder / "credential-status-revoked.json")
    return {credential["credentialStatus"]["statusListCredential"]: read_json(folder / "testlist")}


def verify_fixture(ref: Path, name: str, *, strict: bool = False) -> VerificationReport:
    return verify(read_json(ref / ONE_EDTECH / name),
                  fetch_status_list=one_edtech_lists(ref).get, strict=strict)


@pytest.mark.parametrize("name", ONE_EDTECH_VERIFIED)
def test_1edtech_positive_fixtures_verify(shared_ref: Path, name: str) -> None:
    """Signed by their issuer (eddsa-rdfc-2022 or Ed25519Signature2020, or disclosed with
    ecdsa-sd-2023), valid now:
    verified."""
    report = verify_fixture(shared_ref, name)
    assert report.ok, [c.to_dict() for c in report.failed]
    meaning = report.meaning
    assert meaning is not None and meaning.types


@pytest.mark.parametrize("name", sorted(ONE_EDTECH_PROOF_ONLY))
def test_1edtech_fixtures_whose_proof_verifies_fail_only_their_stated_check(
        shared_ref: Path, name: str) -> None:
    """The proof verifies; the one failing check is the one the fixture is about."""
    report = verify_fixture(shared_ref, name)
    assert report.check("proof").ok is True
    check, code = ONE_EDTECH_PROOF_ONLY[name]
    assert failed(report, check).code == code
    assert [c.name for c in report.failed] == [check]


@pytest.mark.parametrize("name", sorted(ONE_EDTECH_UNSUPPORTED))
def test_1edtech_fixtures_with_other_suites_are_not_verified(shared_ref: Path,
                                                             name: str) -> None:
    """A proof credstack cannot check is a failed proof check, never a pass."""
    report = verify_fixture(shared_ref, name)
    assert failed(report, "proof").code == ONE_EDTECH_UNSUPPORTED[name]


def test_every_1edtech_error_fixture_is_listed(shared_ref: Path) -> None:
    """A new simple-err-* fixture must say here which check it is about."""
    names = {path.name for path in (shared_ref / ONE_EDTECH).glob("simple-err-*.json")}
    assert names == set(ONE_EDTECH_ERRORS)


@pytest.mark.parametrize("strict", [False, True], ids=["default", "strict"])
@pytest.mark.parametrize("name", sorted(ONE_EDTECH_ERRORS))
def test_1edtech_error_fixtures_fail_the_intended_check(shared_ref: Path, name: str,
                                                        strict: bool) -> None:
    """simple-err-*: not verified under either policy, and the check the file name points at
    failed. (A type the contexts do not define cannot be signed over: the proof fails too.)"""
    report = verify_fixture(shared_ref, name, strict=strict)
    check_name, expected = ONE_EDTECH_ERRORS[name]
    check = failed(report, check_name)
    if check_name in {"data-model", "open-badges"}:
        assert expected in [p["location"] for p in check.details["problems"]]
    else:
        assert check.code == expected


def test_a_foreign_credential_means_what_its_open_badges_fields_say(shared_ref: Path) -> None:
    """Without the credstack extension, the meaning comes from the OB fields alone."""
    meaning = verify_fixture(shared_ref, "simple.json").meaning
    assert meaning is not None
    assert meaning.descriptor_source is DescriptorSource.OPEN_BADGES
    assert meaning.descriptors == {
        "title": {"und": "Teamwork"},
        "description": {"und": "This badge recognizes the development of the capacity to "
                               "collaborate within a group environment."}}
    assert meaning.conformance == ()
    assert meaning.is_micro_credential is None
    assert [p.location for p in meaning.problems] == ["credentialSubject.achievement: code"]


# --- W3C VC Data Model 2.0 test suite inputs -------------------------------------------------

VC_INPUTS = "conformance/vc-data-model-2.0-test-suite/input"


@cache
def examples_loader(ref: Path) -> Any:
    """The bundled contexts (the W3C examples v2 context among them) and credstack's own."""
    return document_loader(extra={EXTENSION_CONTEXT_URL: extension_context()})


def _vc_inputs() -> list[str]:
    folder = Path(__file__).resolve().parents[3].parent / "shared" / "ref" / VC_INPUTS
    return sorted(path.name for path in folder.glob("credential-*.json")) if folder.is_dir() else []


#: Inputs that carry a proof of their own which credstack checks and refuses.
VC_INPUTS_WITH_A_BROKEN_PROOF = {
    # An Ed25519Signature2020 proof with no verificationMethod.
    "credential-proof-ok.json": "malformed-proof",
}


@pytest.mark.parametrize("name", _vc_inputs())
def test_vc_data_model_inputs_are_issued_and_verified_or_refused(shared_ref: Path,
                                                                 name: str) -> None:
    """Signed by credstack (the issuer the suite would fill in), each -ok input verifies;
    each -fail input is refused by the signer or by the verifier (the suite accepts either)."""
    credential = read_json(shared_ref / VC_INPUTS / name)
    if "issuer" not in credential and "issuer" not in name:
        credential["issuer"] = ISSUER
    if credential.get("issuer") == {}:
        credential["issuer"] = {"id": ISSUER}
    placeholders = {"PAST DATE": NOW - dt.timedelta(days=365),
                    "FUTURE DATE": NOW + dt.timedelta(days=365)}
    for field in ("validFrom", "validUntil"):
        if credential.get(field) in placeholders:
            credential[field] = placeholders[credential[field]].isoformat()
    try:
        secured = sign_data_integrity(credential, key=KEY, verification_method=METHOD,
                                      cryptosuite="eddsa-rdfc-2022", created=VALID_FROM,
                                      document_loader=examples_loader(shared_ref))
    except CredstackError:
        assert "-fail" in name, f"{name} could not be signed"
        return
    start = credential.get("validFrom")
    now = dt.datetime.fromisoformat(start) if name.endswith("-ok.json") and start else NOW
    report = verify(secured, document_loader=examples_loader(shared_ref),
                    fetch_status_list=None, now=now)
    if name in VC_INPUTS_WITH_A_BROKEN_PROOF:
        # The suite asks only that the issuer accept it; the verifier checks every proof it
        # can, and a proof set stands only when each of them verifies.
        assert failed(report, "proof").code == VC_INPUTS_WITH_A_BROKEN_PROOF[name]
        return
    assert report.ok is name.endswith("-ok.json"), [c.to_dict() for c in report.failed]


# --- the pipeline is its list of checks ------------------------------------------------------

def test_the_default_checks_are_the_named_steps_in_order() -> None:
    """DEFAULT_CHECKS is STEPS' values; an adapter picks steps by name."""
    assert tuple(STEPS.values()) == DEFAULT_CHECKS
    assert list(STEPS) == ["parse", "data-model", "open-badges", "contexts", "proof", "issuer",
                           "validity", "status", "meaning"]


def test_a_subset_of_checks_runs_only_those() -> None:
    """VC-API options.checks ["proof"]: parse and proof only — an expired credential passes."""
    expired = sign(unsigned(valid_from=VALID_FROM - dt.timedelta(days=400),
                            valid_until=VALID_FROM - dt.timedelta(days=35)))
    report = verify(expired, checks=[STEPS["parse"], STEPS["proof"]])
    assert [c.name for c in report.checks] == ["parse", "proof"]
    assert report.ok
    assert report.meaning is None


def test_a_step_of_ones_own_is_a_function_of_the_state() -> None:
    """Steps are small callables: a policy step (issuer allow-list) joins the list."""
    def trusted_issuer(state: verification.VerificationState) -> Check:
        credential = state.credential or {}
        issuer = credential.get("issuer", {}).get("id")
        ok = issuer == ISSUER
        return Check("trust", ok, f"issuer {issuer} trusted: {ok}", f"信頼：{ok}")

    report = verify(signed_rdfc(), checks=[*DEFAULT_CHECKS, trusted_issuer])
    assert report.ok and report.checks[-1].name == "trust"
    report = verify(sign(unsigned(issuer=OTHER_ISSUER), key=OTHER_KEY, method=OTHER_METHOD),
                    checks=[*DEFAULT_CHECKS, trusted_issuer])
    assert [c.name for c in report.failed] == ["trust"]


def test_the_json_schema_step_validates_against_the_named_schema(shared_ref: Path) -> None:
    """credential_schema(lookup): the OB 3.0 formal schema accepts credstack's credential
    (proof as an array and one credentialStatus, as that schema wants) and rejects one
    without its achievement, or with two status entries."""
    folder = shared_ref / "schemas" / "ob-v3p0" / "json"
    base = "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/"
    schemas = {base + path.name: read_json(path) for path in folder.glob("*.json")}
    schema_url = base + "ob_v3p0_achievementcredential_schema.json"
    document = unsigned(status=(("revocation", GOOD_INDEX),))
    document["@context"].append("https://purl.imsglobal.org/spec/ob/v3p0/extensions.json")
    document["credentialSchema"] = [{"id": schema_url,
                                     "type": "1EdTechJsonSchemaValidator2019"}]
    secured = sign(document)
    secured["proof"] = [secured["proof"]]
    checks = [*DEFAULT_CHECKS, credential_schema(schemas.get)]
    report = verify(secured, checks=checks)
    assert report.ok, [c.to_dict() for c in report.failed]
    assert report.check("credential-schema").details["schemas"] == [schema_url]
    both = sign(document | {"credentialStatus": unsigned()["credentialStatus"]})
    both["proof"] = [both["proof"]]
    check = failed(verify(both, checks=checks, strict=True), "credential-schema")
    assert [p["location"] for p in check.details["problems"]] == ["credentialStatus"]
    del document["credentialSubject"]["achievement"]
    report = verify(sign(document), checks=checks, strict=True)
    assert failed(report, "credential-schema").code == "schema"
    report = verify(sign(document), checks=[*DEFAULT_CHECKS, credential_schema({}.get)])
    assert "schema-not-available" in [n.code for _, n in report.warnings]


def test_a_naive_now_and_an_empty_pipeline_are_the_callers_errors() -> None:
    """What the caller gets wrong raises; nothing about the credential does."""
    with pytest.raises(ValueError, match="timezone-aware"):
        verify(signed_rdfc(), now=dt.datetime(2026, 6, 1))
    with pytest.raises(ValueError, match="at least one check"):
        verify(signed_rdfc(), checks=[])
    with pytest.raises(TypeError, match="not a Check"):
        verify(signed_rdfc(), checks=[lambda state: True])


def test_a_resolver_that_breaks_its_contract_is_the_callers_error() -> None:
    """resolve_verification_method must return (key, controller)."""
    document = fresh(signed_rdfc())
    document["proof"]["verificationMethod"] = "https://issuer.example/keys#1"
    with pytest.raises(TypeError, match="public key, controller"):
        verify(document, resolve_verification_method=lambda method: "nonsense")


def test_the_public_surface_is_pinned() -> None:
    """What credstack.core.verification offers is exactly this list."""
    assert sorted(verification.__all__) == sorted([
        "CHECK_TITLES", "DEFAULT_CHECKS", "MAX_CREDENTIAL_BYTES", "STEPS", "Check",
        "CheckKind", "CheckStep", "Decision", "DescriptorSource", "Identity", "Meaning",
        "MethodResolver", "Missing", "Notice", "Outcome", "ProgrammeLookup", "Reason",
        "SchemaLookup", "Signer", "StatusListFetcher", "Verdict", "VerificationKey",
        "VerificationReport", "VerificationState", "credential_schema", "untrusted", "verdict_of",
        "verify_credential"])


# --- property: no mutation of a signed credential verifies ------------------------------------

_SCALARS = (st.text(max_size=12) | st.integers(-5, 10**6) | st.booleans()
            | st.floats(allow_nan=False, allow_infinity=False))
_KEYS = st.text(string.ascii_letters + string.digits + ":_-", min_size=1, max_size=12).filter(
    lambda key: not key.startswith(("@", "_:")))
_VALUES = _SCALARS | st.lists(_SCALARS, min_size=1, max_size=2) | st.dictionaries(
    _KEYS, _SCALARS, min_size=1, max_size=2)


@st.composite
def mutations(draw: st.DrawFn, document: dict[str, Any]) -> dict[str, Any]:
    """Change, delete or insert one value anywhere in the document (the proof included).

    Only edits that change what the credential says are drawn. JSON-LD reads some edits as
    nothing at all — a ``null`` or ``[]`` value, ``2.0`` for ``2``, ``"x"`` for ``["x"]``, an
    inline context defining a term nobody uses — and RDFC signs what JSON-LD reads, so those
    are not mutations of the signed credential: inserted values are never null or empty,
    changes differ in meaning, and ``@context`` is only deleted from or replaced by URLs.
    """
    changed = copy.deepcopy(document)
    operation = draw(st.sampled_from(["change", "delete", "insert"]))
    if operation == "insert":
        path = draw(st.sampled_from(json_containers(changed)))
        container = value_at(changed, path)
        value = draw(_VALUES)
        if isinstance(container, dict):
            container[draw(_KEYS.filter(lambda key: key not in container))] = value
        else:
            value = draw(_VALUES.filter(lambda new: not any(same_to_json_ld(new, old)
                                                             for old in container)))
            container.insert(draw(st.integers(0, len(container))), value)
        return changed
    paths = [path for path in json_paths(changed) if value_at(changed, path) not in ([], None)]
    path = draw(st.sampled_from(paths))
    parent, last = value_at(changed, path[:-1]), path[-1]
    if operation == "delete":
        del parent[last]
        return changed
    old = parent[last]
    values = st.text(min_size=1, max_size=12) if "@context" in path else _VALUES
    parent[last] = draw(values.filter(lambda new: not same_to_json_ld(new, old)))
    return changed


@cache
def jwt_parts() -> tuple[str, dict[str, Any], str]:
    header, payload, signature = _jwt().split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    return header, claims, signature


def signed_content(document: Mapping[str, Any]) -> tuple[str, str, Any] | None:
    """What an RDFC proof of a P-256 or Ed25519 key signs — the canonical document and proof
    options (RDFC-1.0 on SHA-256) — and the signature (``proofValue``, or a 2018 proof's
    ``jws``); ``None`` when either cannot be canonicalized (nothing can verify then). An
    ecdsa-sd-2023 proof signs the same canonical statements (relabelled by its proof value),
    and a Linked Data Signature the same two canonical forms, so the same three decide what
    each covers.
    """
    proof = document.get("proof")
    if not isinstance(proof, dict):
        return None
    unsecured = {name: value for name, value in document.items() if name != "proof"}
    options = {name: value for name, value in proof.items() if name not in ("proofValue", "jws")}
    options["@context"] = unsecured.get("@context")
    try:
        return (rdfc_canonicalize(unsecured, document_loader=loader()),
                rdfc_canonicalize(options, document_loader=loader()),
                (proof.get("proofValue"), proof.get("jws")))
    except CredstackError:
        return None


@cache
def rdfc_content(form: str) -> tuple[str, str, Any] | None:
    return signed_content(SIGNED[form]())


@st.composite
def mutated_credentials(draw: st.DrawFn) -> tuple[str, Any]:
    """A mutated credential of each Data Integrity suite (RDFC and JCS, EdDSA and ECDSA, a
    holder's ecdsa-sd-2023 disclosure), of each Linked Data Signature (Ed25519Signature2020
    and 2018), or a mutated VC-JWT.

    RDFC signs the RDF graph, not the JSON: some JSON edits leave the graph as it was. The
    demo credential states its issuer twice — as ``issuer`` and as the achievement's
    ``creator``, one node with one IRI — so deleting the issuer's ``name``, or copying the
    creator's ``url`` into ``issuer``, changes the JSON and not one signed triple. Such
    an edit changes nothing that is signed, so it is not a mutation and is not drawn.
    """
    form = draw(st.sampled_from([*SIGNED, "vc+jwt"]))
    if form == "vc+jwt":
        header, claims, signature = jwt_parts()
        return form, f"{header}.{_b64(draw(mutations(claims)))}.{signature}"
    mutated = draw(mutations(SIGNED[form]()))
    if form in RDF_SIGNED:
        assume(signed_content(mutated) != rdfc_content(form))
    return form, mutated


def test_no_mutation_of_a_signed_credential_verifies() -> None:
    """CREDSTACK_MUTATIONS (200 here, 10,000 in the benchmark) random edits of signed
    credentials — each Data Integrity suite (EdDSA and ECDSA, RDFC and JCS, a derived
    ecdsa-sd-2023 disclosure), Ed25519Signature2020 and 2018, and VC-JWT — and not one is
    verified, nor raises.

    An RDFC edit that leaves every signed byte as it was is not drawn (see
    ``mutated_credentials``); every other change, deletion and insertion must fail.
    """
    for signed in SIGNED.values():
        assert verify(signed()).ok
    header, claims, signature = jwt_parts()
    assert verify(f"{header}.{_b64(claims)}.{signature}").ok
    seen: list[str] = []

    @settings(max_examples=MUTATIONS, deadline=None, database=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                     HealthCheck.filter_too_much])
    @given(mutated_credentials())
    def never_verifies(case: tuple[str, Any]) -> None:
        form, credential = case
        report = verify(credential)
        seen.append(form)
        assert not report.ok, f"a mutated {form} credential verified: {credential!r:.2000}"

    never_verifies()
    assert len(seen) >= min(MUTATIONS, 150)
    assert set(seen) == {*SIGNED, "vc+jwt"}


def _part(value: object) -> str:
    return base64.urlsafe_b64encode(json.dumps(value).encode()).decode().rstrip("=")


_V2 = ["https://www.w3.org/ns/credentials/v2"]


@pytest.mark.parametrize(("given", "code", "en", "ja"), [
    (f"{_part([1])}.{_part({'a': 1})}.c2ln", "not-a-jwt",
     "the JWS header and payload must be JSON objects",
     "JWS のヘッダーとペイロードは JSON オブジェクトでなければなりません"),
    (f"{_part({'alg': 'EdDSA'})}.{_part({'vc': 'x'})}.c2ln", "not-a-credential",
     "the JWT's vc claim cannot be read: the vc claim is not a JSON object",
     "JWT の vc クレームを読み取れません：vc クレームが JSON オブジェクトではありません"),
    (f"{_part({'alg': 'EdDSA', 'typ': 'example+jwt'})}.{_part({'a': 1})}.c2ln~",
     "not-a-credential",
     "the SD-JWT's typ is 'example+jwt', not a credential's (vc+sd-jwt, dc+sd-jwt)",
     "SD-JWT の typ（'example+jwt'）が証明書のもの（vc+sd-jwt、dc+sd-jwt）ではありません"),
    ({"@context": _V2, "type": "EnvelopedVerifiableCredential",
      "id": "data:application/vc+cose;base64,AAAA"}, "not-a-credential",
     "the COSE message cannot be read: a COSE_Sign1 is an array of four items",
     "COSE メッセージを読み取れません：COSE_Sign1 は 4 つの項目からなる配列です"),
    ({"@context": _V2, "type": "EnvelopedVerifiableCredential",
      "id": "data:application/vc+cose;base64,!!!"}, "not-a-credential",
     "the envelope's data URL is not base64", "エンベロープのデータ URL が base64 ではありません"),
    ({"@context": _V2, "type": "EnvelopedVerifiableCredential",
      "id": "data:application/vc+jwt,nope"}, "not-a-jwt",
     "the envelope's data URL holds no compact JWS",
     "エンベロープのデータ URL に JWS が含まれていません"),
    ("hello there", "not-json",
     "the input is neither a JSON credential nor a compact JWS (VC-JWT) nor an SD-JWT",
     "JSON の証明書でも JWS（VC-JWT）でも SD-JWT でもありません"),
    (b"\xd2\x84\x40", "not-a-credential", "the COSE message cannot be read: the input is not CBOR",
     "COSE メッセージを読み取れません：入力が CBOR ではありません"),
])
def test_the_parse_step_says_what_it_said_before_its_words_moved(
        given: Any, code: str, en: str, ja: str) -> None:
    """What the parse step refuses is worded from the catalogues (issue 53) exactly as the
    step worded it before (these were recorded from it; the corpus of ``report_words.json``
    holds none of them). What a cryptosuite said inside them in English alone (the vc claim,
    the COSE message) is a code now, and reads in Japanese too."""
    parse = verify(given).check("parse")
    assert parse is not None
    assert (parse.code, parse.reason_en, parse.reason_ja) == (code, en, ja)
