"""Data Integrity: vectors verify, proof sets and chains, structure checks, no tampering passes."""

from __future__ import annotations

import copy
import datetime as dt
import string
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from credstack.core.crypto import (
    KeyPair,
    KeyType,
    PublicKey,
    decode_public_key,
    decode_secret_key,
    rdfc_canonicalize_plain,
)
from credstack.core.dids import did_key
from credstack.core.proofs import (
    EcdsaSdIssuing,
    derive_data_integrity,
    resolve_did_key,
    sign_data_integrity,
    verify_data_integrity,
)
from credstack.errors import (
    CredstackError,
    MalformedCredentialError,
    SignatureError,
    UndefinedTermError,
    UnknownContextError,
)
from credstack.testing import json_paths, value_at
from credstack.words import error_words
from tests.core.proofs.vectors import (
    ECDSA_JCS_VECTORS,
    ECDSA_RDFC_VECTORS,
    ONE_EDTECH_RDFC_VECTORS,
    W3C_VERIFICATION_METHOD,
    ContextLoader,
    EcdsaVector,
    ecdsa_key,
    one_edtech_key,
    read_json,
    w3c_key,
)

CREATED = "2023-02-24T23:36:38Z"
SUITES = ["eddsa-rdfc-2022", "eddsa-jcs-2022", "ecdsa-rdfc-2019", "ecdsa-jcs-2019"]
JCS_SUITES = ("eddsa-jcs-2022", "ecdsa-jcs-2019")
#: The suite of the same family with the other keys, and the other canonicalization.
OTHER_SUITE = {"eddsa-rdfc-2022": "eddsa-jcs-2022", "eddsa-jcs-2022": "eddsa-rdfc-2022",
               "ecdsa-rdfc-2019": "ecdsa-jcs-2019", "ecdsa-jcs-2019": "ecdsa-rdfc-2019"}
OTHER_KEYS = {"eddsa-rdfc-2022": "ecdsa-rdfc-2019", "eddsa-jcs-2022": "ecdsa-jcs-2019",
              "ecdsa-rdfc-2019": "eddsa-rdfc-2022", "ecdsa-jcs-2019": "eddsa-jcs-2022"}


@contextmanager
def refused_saying(words: str) -> Iterator[None]:
    """A :class:`MalformedCredentialError` raised in the block, whose English (as the
    catalogues word its code) holds ``words``."""
    with pytest.raises(MalformedCredentialError) as raised:
        yield
    assert words in error_words(raised.value, "en"), error_words(raised.value, "en")


def signer(ref: Path, suite: str) -> tuple[KeyPair, str]:
    """The published test key of a suite's specification (vc-di-eddsa's Ed25519 key,
    vc-di-ecdsa's P-256 key) and its did:key verification method."""
    key = w3c_key(ref) if suite.startswith("eddsa") else ecdsa_key(ref, KeyType.P256)
    return key, did_key.verification_method_id(key.public_key)


def _eddsa(ref: Path, *parts: str) -> Any:
    return read_json(ref.joinpath("vectors", "vc-di-eddsa", *parts))


def fragment_key(verification_method: str) -> PublicKey:
    """Test resolver: did:key locally, else the Multikey the URL's fragment spells.

    The 1EdTech fixtures name keys like ``https://example.edu/issuers/565049#z6Mk…``; the
    service resolves such URLs over the network (an adapter), these tests read the fragment.
    """
    if verification_method.startswith("did:key:"):
        return resolve_did_key(verification_method)
    return decode_public_key(verification_method.rpartition("#")[2])


# --- published documents that must verify ----------------------------------------------------

W3C_SIGNED = [
    ("eddsa-rdfc-2022", "signedDataInt.json"),
    ("eddsa-rdfc-2022", "employ", "signedDataInt.json"),
    ("eddsa-jcs-2022", "signedJCS.json"),
    ("proof-set-chain", "signedProofSet1.json"),
    ("proof-set-chain", "signedProofSet2.json"),
    ("proof-set-chain", "signedProofChain1.json"),
    ("proof-set-chain", "signedProofChain2.json"),
]


@pytest.mark.parametrize("parts", W3C_SIGNED, ids=lambda parts: "/".join(parts))
def test_w3c_signed_vectors_verify(shared_ref: Path, loader: ContextLoader,
                                   parts: tuple[str, ...]) -> None:
    """Every signed vc-di-eddsa document, sets and chains included, verifies with did:key."""
    document = _eddsa(shared_ref, *parts)
    result = verify_data_integrity(document, resolve_key=resolve_did_key, document_loader=loader)
    proofs = document["proof"] if isinstance(document["proof"], list) else [document["proof"]]
    assert [p.verification_method for p in result.proofs] == [
        p["verificationMethod"] for p in proofs]


@pytest.mark.parametrize("vector", ECDSA_RDFC_VECTORS + ECDSA_JCS_VECTORS,
                         ids=lambda v: f"{v.suite}-{v.name}")
def test_w3c_ecdsa_signed_vectors_verify(shared_ref: Path, loader: ContextLoader,
                                         vector: EcdsaVector) -> None:
    """Every signed vc-di-ecdsa document (P-256 and P-384) verifies with did:key; a second
    proof of the other curve beside it makes a proof set that verifies too."""
    document = vector.signed(shared_ref)
    result = verify_data_integrity(document, resolve_key=resolve_did_key, document_loader=loader)
    assert [(p.cryptosuite, p.verification_method) for p in result.proofs] == [
        (vector.suite, document["proof"]["verificationMethod"])]
    other = KeyType.P384 if vector.key_type is KeyType.P256 else KeyType.P256
    key = ecdsa_key(shared_ref, other)
    both = sign_data_integrity(document, key=key, cryptosuite=vector.suite, created=CREATED,
                               verification_method=did_key.verification_method_id(
                                   key.public_key), document_loader=loader)
    assert len(verify_data_integrity(both, document_loader=loader).proofs) == 2


@pytest.mark.parametrize("vector", ONE_EDTECH_RDFC_VECTORS, ids=lambda v: v.name)
def test_1edtech_signed_vectors_verify(shared_ref: Path, loader: ContextLoader,
                                       vector: Any) -> None:
    """The OB 3.0 and CLR 2.0 signed vectors verify with their key-pair.json key."""
    key = one_edtech_key(shared_ref, vector)
    document = read_json(vector.path(shared_ref, "credential-signed.json"))
    result = verify_data_integrity(document, resolve_key=lambda _: key.public_key,
                                   document_loader=loader)
    assert result.proofs[0].cryptosuite == "eddsa-rdfc-2022"


ONE_EDTECH_POSITIVE = [
    "ob-v3p0/validator/simple.json", "ob-v3p0/validator/complete.json",
    "ob-v3p0/validator/simple-did-key-method.json", "ob-v3p0/validator/simple-did-web-method.json",
    "ob-v3p0/validator/simple-context-alias.json",
    "ob-v3p0/validator/simple-context-version.json", "ob-v3p0/validator/endorsement-valid.json",
    "ob-v3p0/validator/bit-string-list/credential-status-revoked.json",
    "ob-v3p0/validator/bit-string-list/credential-status-revoked-blank-nodes.json",
    "clr-v2p0/validator/simple.json",
]


@pytest.mark.parametrize("name", ONE_EDTECH_POSITIVE)
def test_1edtech_positive_examples_verify(shared_ref: Path, loader: ContextLoader,
                                          name: str) -> None:
    """The 1EdTech validator's eddsa-rdfc-2022 fixtures verify."""
    document = read_json(shared_ref / "examples" / name)
    verify_data_integrity(document, resolve_key=fragment_key, document_loader=loader)


def test_an_unsupported_proof_beside_a_good_one_can_be_skipped(shared_ref: Path,
                                                               loader: ContextLoader) -> None:
    """simple-multiple-proofs: refused by default, verified with skip_unsupported."""
    document = read_json(shared_ref / "examples/ob-v3p0/validator/simple-multiple-proofs.json")
    with pytest.raises(MalformedCredentialError, match="SomeProofType"):
        verify_data_integrity(document, resolve_key=fragment_key, document_loader=loader)
    result = verify_data_integrity(document, resolve_key=fragment_key, document_loader=loader,
                                   skip_unsupported=True)
    assert len(result.proofs) == 1
    assert [problem.location for problem in result.skipped] == ["proof[0]"]


def test_only_unsupported_proofs_is_an_error_even_when_skipping(shared_ref: Path,
                                                                loader: ContextLoader) -> None:
    """A credential whose only proof is of a kind credstack does not know is refused."""
    document = read_json(shared_ref / "examples/ob-v3p0/validator/simple-multiple-proofs.json")
    document["proof"] = document["proof"][:1]
    with refused_saying("no proof credstack can verify"):
        verify_data_integrity(document, resolve_key=fragment_key, document_loader=loader,
                              skip_unsupported=True)


def test_1edtech_selective_disclosure_example_verifies(shared_ref: Path,
                                                       loader: ContextLoader) -> None:
    """The 1EdTech validator's ecdsa-sd-2023 Open Badge (a holder's derived disclosure)
    verifies; with its achievement renamed it does not."""
    document = read_json(shared_ref / "examples/ob-v3p0/validator/sd/derivedcredential.json")
    result = verify_data_integrity(document, resolve_key=fragment_key, document_loader=loader)
    assert [proof.cryptosuite for proof in result.proofs] == ["ecdsa-sd-2023"]
    document["credentialSubject"]["achievement"]["name"] = "Leadership"
    with pytest.raises(SignatureError):
        verify_data_integrity(document, resolve_key=fragment_key, document_loader=loader)


#: simple-err-* fixtures whose fault is not in the proof: validly signed, they fail later, at
#: the credential's validity window (expired, issued in the future) or its schema (issuer).
NOT_PROOF_ERRORS = {"simple-err-expired.json", "simple-err-issued.json",
                    "simple-err-issuer.json"}


def test_1edtech_error_examples_never_verify(shared_ref: Path, loader: ContextLoader) -> None:
    """Every simple-err-* fixture with a proof-level fault fails with a credstack error."""
    paths = sorted((shared_ref / "examples/ob-v3p0/validator").glob("simple-err-*.json"))
    assert len(paths) >= 19
    for path in paths:
        document = read_json(path)
        if path.name in NOT_PROOF_ERRORS:
            verify_data_integrity(document, resolve_key=fragment_key, document_loader=loader)
            continue
        with pytest.raises(CredstackError):
            verify_data_integrity(document, resolve_key=fragment_key, document_loader=loader)


CONFORMANCE = "conformance/data-integrity-test-suite-assertion/inputs/eddsa-rdfc-2022"


@pytest.mark.parametrize("version", ["1.1", "2.0"])
@pytest.mark.parametrize("case", ["previousProofArrayOk", "previousProofStringOk"])
def test_conformance_chains_verify(shared_ref: Path, loader: ContextLoader, version: str,
                                   case: str) -> None:
    """The W3C test suite's valid previousProof chains (VC 1.1 and 2.0) verify."""
    document = read_json(shared_ref / CONFORMANCE / f"{version}-{case}-SimpleSigned2.json")
    assert len(verify_data_integrity(document, resolve_key=resolve_did_key,
                                     document_loader=loader).proofs) == 2


@pytest.mark.parametrize("version", ["1.1", "2.0"])
@pytest.mark.parametrize("case", ["previousProofArrayMissingFail", "previousProofMissingFail",
                                  "previousProofNotStringFail", "previousProofStringMissingFail"])
def test_conformance_broken_chains_are_refused(shared_ref: Path, loader: ContextLoader,
                                               version: str, case: str) -> None:
    """Chains naming missing proofs, or with a non-string previousProof, are malformed."""
    document = read_json(shared_ref / CONFORMANCE / f"{version}-{case}-SimpleSigned2.json")
    with pytest.raises(MalformedCredentialError):
        verify_data_integrity(document, resolve_key=resolve_did_key, document_loader=loader)


# --- signing ----------------------------------------------------------------------------------

@pytest.mark.parametrize(("suite", "signed"), [("eddsa-rdfc-2022", "signedDataInt.json"),
                                               ("eddsa-jcs-2022", "signedJCS.json")])
def test_sign_reproduces_the_w3c_documents(shared_ref: Path, loader: ContextLoader,
                                           key: KeyPair, suite: str, signed: str) -> None:
    """sign() on the unsigned vector gives the published signed document exactly."""
    result = sign_data_integrity(
        _eddsa(shared_ref, "unsigned.json"), key=key, cryptosuite=suite,
        verification_method=W3C_VERIFICATION_METHOD, created=CREATED, document_loader=loader)
    assert result == _eddsa(shared_ref, suite, signed)


def test_proof_sets_and_chains_are_built_as_published(shared_ref: Path,
                                                      loader: ContextLoader) -> None:
    """Two proofs, then a chained proof over both, then one over that: the four vectors."""
    pairs = _eddsa(shared_ref, "proof-set-chain", "multiKeyPairs.json")
    keys = [decode_secret_key(pairs[f"keyPair{n}"]["privateKeyMultibase"]) for n in (1, 2, 3, 4)]
    configs = [_eddsa(shared_ref, "proof-set-chain", name) for name in (
        "proofSetConfig1.json", "proofSetConfig2.json", "proofChainConfig1.json",
        "proofChainConfig2.json")]
    expected = ["signedProofSet1.json", "signedProofSet2.json", "signedProofChain1.json",
                "signedProofChain2.json"]
    document = _eddsa(shared_ref, "proof-set-chain", "unsigned.json")
    for key, config, name in zip(keys, configs, expected, strict=True):
        document = sign_data_integrity(
            document, key=key, cryptosuite=config["cryptosuite"],
            verification_method=config["verificationMethod"], created=config["created"],
            proof_id=config.get("id"), previous_proof=config.get("previousProof"),
            document_loader=loader)
        assert document == _eddsa(shared_ref, "proof-set-chain", name)
        verify_data_integrity(document, resolve_key=resolve_did_key, document_loader=loader)


@pytest.mark.parametrize("suite", SUITES)
def test_a_chain_in_each_suite_round_trips(loader: ContextLoader, suite: str,
                                           shared_ref: Path) -> None:
    """A proof chained to an earlier one verifies, and breaks if the earlier one changes."""
    key_type = KeyType.ED25519 if suite.startswith("eddsa") else KeyType.P256
    first, second = KeyPair.generate(key_type), KeyPair.generate(key_type)
    document = sign_data_integrity(
        _eddsa(shared_ref, "unsigned.json"), key=first, cryptosuite=suite,
        verification_method=did_key.verification_method_id(first.public_key), created=CREATED,
        proof_id="urn:uuid:1", document_loader=loader)
    document = sign_data_integrity(
        document, key=second, cryptosuite=suite,
        verification_method=did_key.verification_method_id(second.public_key), created=CREATED,
        previous_proof="urn:uuid:1", document_loader=loader)
    assert len(verify_data_integrity(document, resolve_key=resolve_did_key,
                                     document_loader=loader).proofs) == 2
    with pytest.raises(MalformedCredentialError, match="previousProof"):
        sign_data_integrity(document, key=first, cryptosuite=suite, created=CREATED,
                            verification_method="did:key:x", previous_proof="urn:uuid:9",
                            document_loader=loader)


def test_a_chain_across_families_and_curves_verifies(loader: ContextLoader,
                                                    shared_ref: Path) -> None:
    """Ed25519 (eddsa-rdfc-2022), then P-384 (ecdsa-jcs-2019) chained to it, then P-256
    (ecdsa-rdfc-2019) beside them: one document, three proofs, each checked by its suite."""
    steps = [("eddsa-rdfc-2022", KeyType.ED25519, "urn:uuid:1", None),
             ("ecdsa-jcs-2019", KeyType.P384, "urn:uuid:2", "urn:uuid:1"),
             ("ecdsa-rdfc-2019", KeyType.P256, None, None)]
    document = _eddsa(shared_ref, "unsigned.json")
    for suite, key_type, proof_id, previous in steps:
        key = KeyPair.generate(key_type)
        document = sign_data_integrity(
            document, key=key, cryptosuite=suite, created=CREATED, proof_id=proof_id,
            verification_method=did_key.verification_method_id(key.public_key),
            previous_proof=previous, document_loader=loader)
    result = verify_data_integrity(document, document_loader=loader)
    assert [proof.cryptosuite for proof in result.proofs] == [suite for suite, *_ in steps]
    tampered = copy.deepcopy(document)
    tampered["proof"][0]["created"] = "2023-02-24T23:36:39Z"
    with pytest.raises(SignatureError):
        verify_data_integrity(tampered, document_loader=loader)


def test_created_is_written_as_a_utc_date_time_stamp(shared_ref: Path, key: KeyPair) -> None:
    """An aware datetime becomes ``…Z`` to the second; naive ones and bad strings are refused."""
    document = _eddsa(shared_ref, "unsigned.json")
    tokyo = dt.datetime(2024, 4, 1, 9, 30, 15, 999, tzinfo=dt.timezone(dt.timedelta(hours=9)))
    signed = sign_data_integrity(document, key=key, cryptosuite="eddsa-jcs-2022",
                                 verification_method=W3C_VERIFICATION_METHOD, created=tokyo)
    assert signed["proof"]["created"] == "2024-04-01T00:30:15Z"
    unstamped = sign_data_integrity(document, key=key, cryptosuite="eddsa-jcs-2022",
                                    verification_method=W3C_VERIFICATION_METHOD, created=None)
    assert "created" not in unstamped["proof"]
    with pytest.raises(ValueError, match="timezone"):
        sign_data_integrity(document, key=key, cryptosuite="eddsa-jcs-2022",
                            verification_method=W3C_VERIFICATION_METHOD,
                            created=dt.datetime(2024, 4, 1))
    for text in ("2024-04-01T00:30:15", "2024-04-01", "2024-04-31T00:00:00Z", 20240401,
                 ["2024-04-01T00:30:15Z"]):
        with refused_saying("dateTimeStamp"):
            sign_data_integrity(document, key=key, cryptosuite="eddsa-jcs-2022",
                                verification_method=W3C_VERIFICATION_METHOD, created=text)


def test_sign_refuses_unknown_suites_and_rdfc_without_a_loader(shared_ref: Path,
                                                               key: KeyPair) -> None:
    """An unknown cryptosuite, or RDFC without a document loader, is refused."""
    document = _eddsa(shared_ref, "unsigned.json")
    with refused_saying("unsupported cryptosuite"):
        sign_data_integrity(document, key=key, cryptosuite="ecdsa-2019",
                            verification_method=W3C_VERIFICATION_METHOD, created=CREATED)
    for suite in ("eddsa-rdfc-2022", "ecdsa-rdfc-2019"):
        signing_key, method = signer(shared_ref, suite)
        with pytest.raises(MalformedCredentialError, match="loader"):
            sign_data_integrity(document, key=signing_key, cryptosuite=suite,
                                verification_method=method, created=CREATED)


@pytest.mark.parametrize("suite", ["eddsa-rdfc-2022", "eddsa-jcs-2022"])
def test_challenge_and_domain_are_signed_proof_options(shared_ref: Path, loader: ContextLoader,
                                                       suite: str) -> None:
    """A proof for ``authentication`` carries the verifier's challenge and domain, covered by
    its signature: another challenge or domain does not verify; without them (every existing
    caller) the proof has neither."""
    document = _eddsa(shared_ref, "unsigned.json")
    key, method = signer(shared_ref, suite)
    signed = sign_data_integrity(document, key=key, cryptosuite=suite, verification_method=method,
                                 created=CREATED, document_loader=loader,
                                 proof_purpose="authentication", challenge="1f4c",
                                 domain="verifier.example")
    assert (signed["proof"]["challenge"], signed["proof"]["domain"]) == ("1f4c",
                                                                         "verifier.example")
    verify_data_integrity(signed, document_loader=loader, expected_purpose="authentication")
    for name, value in (("challenge", "1f4d"), ("domain", "other.example")):
        changed = copy.deepcopy(signed)
        changed["proof"][name] = value
        with pytest.raises(SignatureError):
            verify_data_integrity(changed, document_loader=loader,
                                  expected_purpose="authentication")
    plain = sign_data_integrity(document, key=key, cryptosuite=suite, verification_method=method,
                                created=CREATED, document_loader=loader)
    assert not {"challenge", "domain"} & set(plain["proof"])


# --- tampering and malformed proofs ------------------------------------------------------------

@pytest.fixture(params=SUITES)
def signed(request: pytest.FixtureRequest, shared_ref: Path,
           loader: ContextLoader) -> dict[str, Any]:
    """The 1EdTech OB 3.0 credential, signed in each suite by its specification's did:key."""
    vector = ONE_EDTECH_RDFC_VECTORS[0]
    key, method = signer(shared_ref, request.param)
    return sign_data_integrity(
        read_json(shared_ref / "vectors" / vector.unsigned), key=key, cryptosuite=request.param,
        verification_method=method, created=CREATED, document_loader=loader)


def _verify(document: Any, loader: ContextLoader, **options: Any) -> Any:
    return verify_data_integrity(document, resolve_key=resolve_did_key, document_loader=loader,
                                 **options)


def test_the_signed_credential_verifies(signed: dict[str, Any], loader: ContextLoader) -> None:
    """Baseline for the tamper cases: untouched, it verifies."""
    assert len(_verify(signed, loader).proofs) == 1


def _edit(document: dict[str, Any], edit: Callable[[dict[str, Any]], None]) -> dict[str, Any]:
    changed = copy.deepcopy(document)
    edit(changed)
    return changed


def _set(path: str, value: Any) -> Callable[[dict[str, Any]], None]:
    def edit(document: dict[str, Any]) -> None:
        *parents, last = path.split(".")
        target = document
        for name in parents:
            target = target[name]
        target[last] = value
    return edit


def _delete(path: str) -> Callable[[dict[str, Any]], None]:
    def edit(document: dict[str, Any]) -> None:
        *parents, last = path.split(".")
        target = document
        for name in parents:
            target = target[name]
        del target[last]
    return edit


TAMPERING: list[tuple[str, Callable[[dict[str, Any]], None], type[CredstackError]]] = [
    ("changed-name", _set("name", "Teamwork Badge!"), SignatureError),
    ("changed-achievement", _set("credentialSubject.achievement.name", "Leadership"),
     SignatureError),
    ("changed-created", _set("proof.created", "2023-02-24T23:36:39Z"), SignatureError),
    ("wrong-purpose", _set("proof.proofPurpose", "authentication"), MalformedCredentialError),
    ("other-known-suite", lambda d: d["proof"].update(
        cryptosuite=OTHER_SUITE[d["proof"]["cryptosuite"]]), CredstackError),
    ("suite-of-other-keys", lambda d: d["proof"].update(
        cryptosuite=OTHER_KEYS[d["proof"]["cryptosuite"]]), MalformedCredentialError),
    ("unknown-suite", _set("proof.cryptosuite", "eddsa-2022"), MalformedCredentialError),
    ("suite-not-string", _set("proof.cryptosuite", ["eddsa-rdfc-2022"]),
     MalformedCredentialError),
    ("type-not-dataintegrity", _set("proof.type", "Ed25519Signature2020"),
     MalformedCredentialError),
    ("missing-type", _delete("proof.type"), MalformedCredentialError),
    ("missing-verification-method", _delete("proof.verificationMethod"),
     MalformedCredentialError),
    ("missing-purpose", _delete("proof.proofPurpose"), MalformedCredentialError),
    ("missing-proof-value", _delete("proof.proofValue"), MalformedCredentialError),
    ("missing-proof", _delete("proof"), MalformedCredentialError),
    ("proof-not-object", _set("proof", "z3FXQ"), MalformedCredentialError),
    ("empty-proof-set", _set("proof", []), MalformedCredentialError),
    ("malformed-multibase", lambda d: d["proof"].update(
        proofValue="u" + d["proof"]["proofValue"][1:]), MalformedCredentialError),
    ("not-base58", lambda d: d["proof"].update(
        proofValue=d["proof"]["proofValue"][:-1] + "0"), MalformedCredentialError),
    ("short-signature", lambda d: d["proof"].update(
        proofValue=d["proof"]["proofValue"][:40]), MalformedCredentialError),
    ("flipped-signature", lambda d: d["proof"].update(
        proofValue=d["proof"]["proofValue"][:-2] + (
            "A" if d["proof"]["proofValue"][-2] != "A" else "B") + d["proof"]["proofValue"][-1]),
     CredstackError),
    ("bad-created", _set("proof.created", "24/02/2023"), MalformedCredentialError),
    ("previous-proof-not-string", _set("proof.previousProof", 456321),
     MalformedCredentialError),
    ("previous-proof-missing", _set("proof.previousProof", "urn:uuid:nowhere"),
     MalformedCredentialError),
    ("unresolvable-method", _set("proof.verificationMethod", "did:key:z6MkNope"),
     MalformedCredentialError),
]


@pytest.mark.parametrize(("edit", "error"), [(e, x) for _, e, x in TAMPERING],
                         ids=[name for name, _, _ in TAMPERING])
def test_tampered_credentials_fail_with_the_right_error(
        signed: dict[str, Any], loader: ContextLoader,
        edit: Callable[[dict[str, Any]], None], error: type[CredstackError]) -> None:
    """Each kind of tampering raises its error; none verifies."""
    with pytest.raises(error):
        _verify(_edit(signed, edit), loader)


def test_the_same_proof_given_twice_verifies(signed: dict[str, Any],
                                            loader: ContextLoader) -> None:
    """A proof set holding one proof twice: every proof in it verifies, so it verifies ("all
    referenced proofs in the array MUST verify", Data Integrity 1.0; nothing refuses a
    repeated proof). Two different proofs under one id are still refused."""
    twice = _edit(signed, lambda d: d.update(proof=[d["proof"], copy.deepcopy(d["proof"])]))
    assert _verify(twice, loader)
    clashing = _edit(signed, lambda d: d.update(proof=[
        {**d["proof"], "id": "urn:uuid:proof"},
        {**d["proof"], "id": "urn:uuid:proof", "created": "2020-01-01T00:00:00Z"}]))
    with refused_saying("share one id"):
        _verify(clashing, loader)


def test_a_different_key_does_not_verify(signed: dict[str, Any], loader: ContextLoader) -> None:
    """Resolving the method to someone else's key of the same type gives SignatureError."""
    own = resolve_did_key(signed["proof"]["verificationMethod"])
    other = KeyPair.generate(own.type).public_key
    with pytest.raises(SignatureError):
        verify_data_integrity(signed, resolve_key=lambda _: other, document_loader=loader)


def test_re_signing_with_another_did_key_does_not_pass_as_the_original(
        signed: dict[str, Any], loader: ContextLoader) -> None:
    """Swapping in another did:key as verificationMethod fails: it did not sign."""
    other = did_key.verification_method_id(KeyPair.generate().public_key)
    with pytest.raises(CredstackError):
        _verify(_edit(signed, _set("proof.verificationMethod", other)), loader)


def test_a_document_that_is_not_an_object_is_malformed(loader: ContextLoader) -> None:
    """A list or a string is not a secured document."""
    for document in ([], "credential", None):
        with pytest.raises(MalformedCredentialError):
            _verify(document, loader)


def test_any_purpose_can_be_accepted_explicitly(signed: dict[str, Any], loader: ContextLoader,
                                                shared_ref: Path) -> None:
    """expected_purpose=None accepts the proof's purpose as it is."""
    key, method = signer(shared_ref, signed["proof"]["cryptosuite"])
    changed = sign_data_integrity(
        {k: v for k, v in signed.items() if k != "proof"}, key=key,
        cryptosuite=signed["proof"]["cryptosuite"], verification_method=method,
        created=CREATED, proof_purpose="authentication", document_loader=loader)
    with pytest.raises(MalformedCredentialError, match="purpose"):
        _verify(changed, loader)
    assert _verify(changed, loader, expected_purpose=None).proofs[0].proof_purpose == (
        "authentication")
    assert _verify(changed, loader, expected_purpose="authentication").proofs


def test_rdfc_refuses_undefined_terms_relative_iris_and_unknown_contexts(
        shared_ref: Path, loader: ContextLoader, key: KeyPair) -> None:
    """The safe-mode failures reach the caller as their own errors when verifying."""
    vector = ONE_EDTECH_RDFC_VECTORS[0]
    document = sign_data_integrity(
        read_json(shared_ref / "vectors" / vector.unsigned), key=key,
        cryptosuite="eddsa-rdfc-2022", verification_method=W3C_VERIFICATION_METHOD,
        created=CREATED, document_loader=loader)
    with pytest.raises(UndefinedTermError):
        _verify(dict(document, undefinedTerm="IfDroppedWillVerify"), loader)
    with pytest.raises(MalformedCredentialError, match="absolute IRI"):
        _verify(dict(document, id="credentials/3527"), loader)
    with pytest.raises(UnknownContextError):
        _verify(dict(document, **{"@context": [*document["@context"],
                                               "https://unknown.example/context"]}), loader)
    undefined_terms = "https://www.w3.org/ns/credentials/undefined-terms/v2"
    with pytest.raises(SignatureError):
        _verify(dict(document, **{"@context": [*document["@context"], undefined_terms]},
                     undefinedTerm="now defined, but not signed"), loader)


def test_contexts_added_after_signing(signed: dict[str, Any], loader: ContextLoader) -> None:
    """JCS: an appended context is covered by no proof and refused. RDFC signs the RDF, so a
    context that changes no term's meaning leaves the proof intact (as in the JS reference)."""
    extended = dict(signed, **{"@context": [*signed["@context"],
                                            "https://www.w3.org/ns/credentials/examples/v2"]})
    if signed["proof"]["cryptosuite"] in JCS_SUITES:
        with pytest.raises(SignatureError, match="@context"):
            _verify(extended, loader)
    else:
        assert _verify(extended, loader).proofs


# --- property: no mutation of a signed credential verifies -------------------------------------

def _containers(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found: list[tuple[Any, ...]] = []
    if isinstance(value, dict | list):
        found.append(prefix)
        items = value.items() if isinstance(value, dict) else enumerate(value)
        for name, item in items:
            found += _containers(item, (*prefix, name))
    return found


_SCALARS = (st.text(max_size=12) | st.integers(-5, 10**6) | st.booleans()
            | st.floats(allow_nan=False, allow_infinity=False))
_VALUES = _SCALARS | st.lists(_SCALARS, max_size=2) | st.dictionaries(
    st.text(string.ascii_letters, min_size=1, max_size=8), _SCALARS, max_size=2)
_KEYS = st.text(string.ascii_letters, min_size=1, max_size=12)


def _same(a: Any, b: Any) -> bool:
    return type(a) is type(b) and a == b


@st.composite
def mutations(draw: st.DrawFn, document: dict[str, Any]) -> dict[str, Any]:
    """Change, delete or insert one value anywhere in the document (the proof included).

    Inserted values are never ``null``: JSON-LD reads ``"x": null`` as no ``x`` at all, so
    inserting one does not change the credential.
    """
    changed = copy.deepcopy(document)
    operation = draw(st.sampled_from(["change", "delete", "insert"]))
    if operation == "insert":
        path = draw(st.sampled_from(_containers(changed)))
        container = value_at(changed, path)
        value = draw(_VALUES)
        if isinstance(container, dict):
            name = draw(_KEYS.filter(lambda key: key not in container))
            container[name] = value
        else:
            container.insert(draw(st.integers(0, len(container))), value)
        return changed
    path = draw(st.sampled_from(json_paths(changed)))
    parent, last = value_at(changed, path[:-1]), path[-1]
    if operation == "delete":
        del parent[last]
    else:
        old = parent[last]
        parent[last] = draw((_VALUES | st.none()).filter(lambda new: not _same(new, old)))
    return changed


def _secured(ref: Path, loader: ContextLoader, suite: str) -> dict[str, Any]:
    """The 1EdTech Open Badge signed with ``suite``; for ``ecdsa-sd-2023``, a holder's
    disclosure of it: the issuer and validity mandatory, the achievement's name chosen, the
    rest (its criteria, description, the badge's name) left out."""
    vector = ONE_EDTECH_RDFC_VECTORS[0]
    key, method = signer(ref, suite)
    unsigned = read_json(ref / "vectors" / vector.unsigned)
    if suite != "ecdsa-sd-2023":
        return sign_data_integrity(unsigned, key=key, cryptosuite=suite,
                                   verification_method=method, created=CREATED,
                                   document_loader=loader)
    base = sign_data_integrity(unsigned, key=key, verification_method=method, created=CREATED,
                               cryptosuite=EcdsaSdIssuing(("/issuer", "/validFrom")),
                               document_loader=loader)
    return derive_data_integrity(
        base, selective_pointers=["/credentialSubject/achievement/name"],
        document_loader=loader)


@pytest.mark.parametrize("suite", [*SUITES, "ecdsa-sd-2023"])
def test_no_mutation_of_a_signed_credential_verifies(shared_ref: Path, loader: ContextLoader,
                                                     suite: str) -> None:
    """200 random changes, deletions and insertions per suite: none passes as signed.

    JCS signs the JSON text, so every mutation must fail. RDFC (and ecdsa-sd-2023, which
    signs RDFC's statements one by one) signs the RDF: an edit that JSON-LD reads as nothing
    (an empty inline context, say) leaves the credential — and the proof — the same; such a
    mutation may verify only if its canonical document and proof configuration are
    byte-identical to the signed ones. Nearly all mutations must fail.
    """
    document = _secured(shared_ref, loader, suite)
    _verify(document, loader)
    outcomes: list[bool] = []

    @settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(mutations(document))
    def never_verifies(mutated: dict[str, Any]) -> None:
        try:
            _verify(mutated, loader)
        except CredstackError:
            outcomes.append(False)
            return
        outcomes.append(True)
        assert suite not in JCS_SUITES, "a changed JCS-signed document verified"
        assert signed_content(mutated, loader) == signed_content(document, loader)

    never_verifies()
    assert len(outcomes) >= 150
    assert sum(outcomes) <= len(outcomes) // 10


def signed_content(document: dict[str, Any], loader: ContextLoader) -> tuple[str, str]:
    """What an RDFC proof signs: the canonical document and the canonical proof options."""
    unsecured = {name: value for name, value in document.items() if name != "proof"}
    options = {name: value for name, value in document["proof"].items() if name != "proofValue"}
    options["@context"] = unsecured["@context"]
    return (rdfc_canonicalize_plain(unsecured, document_loader=loader),
            rdfc_canonicalize_plain(options, document_loader=loader))


def test_did_key_is_the_default_resolver(shared_ref: Path, loader: ContextLoader) -> None:
    """Without resolve_key, did:key verification methods are resolved locally."""
    document = _eddsa(shared_ref, "eddsa-rdfc-2022", "signedDataInt.json")
    assert verify_data_integrity(document, document_loader=loader).proofs
    with pytest.raises(MalformedCredentialError) as refused:
        verify_data_integrity(read_json(shared_ref / "vectors/ob-v3p0-eddsa-rdfc-2022/"
                                        "credential-signed.json"), document_loader=loader)
    assert refused.value.code == "dids.key.invalid"
    assert "is not a valid did:key" in error_words(refused.value, "en")


def test_the_public_surface_is_pinned() -> None:
    """What credstack.core.proofs offers callers is exactly this list."""
    import credstack.core.proofs as proofs

    assert sorted(proofs.__all__) == [
        "CRYPTOSUITES", "EcdsaSdIssuing", "KeyResolver", "Verification", "VerifiedJwt",
        "VerifiedProof", "derive_data_integrity", "resolve_did_key", "sign_data_integrity",
        "sign_vc_jwt", "verify_data_integrity", "verify_vc_jwt"]
    assert sorted(proofs.CRYPTOSUITES) == ["ecdsa-jcs-2019", "ecdsa-rdfc-2019", "ecdsa-sd-2023",
                                           "eddsa-jcs-2022", "eddsa-rdfc-2022"]


def test_a_deeply_nested_document_is_malformed_not_a_crash(signed: dict[str, Any],
                                                          loader: ContextLoader) -> None:
    """Nesting beyond the interpreter's recursion limit is a MalformedCredentialError."""
    deep: Any = "x"
    for _ in range(5000):
        deep = {"narrative": deep}
    changed = copy.deepcopy(signed)
    changed["credentialSubject"]["achievement"]["criteria"] = deep
    with pytest.raises(MalformedCredentialError):
        _verify(changed, loader)
