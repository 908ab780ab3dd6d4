"""The proof step of a credential: every Data Integrity proof, the VC-JWT's signature, or the
SD-JWT's signature and every one of its disclosures. What it says is said as message keys
(``verification.check.proof.…``) with their parameters; the runner words them (and what the
cryptosuites refuse, as their codes)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from credstack.core.proofs import CRYPTOSUITES, verify_vc_jwt
from credstack.core.proofs.cryptosuites import vc_cose
from credstack.core.proofs.cryptosuites.sd_jwt import verify_key_binding
from credstack.core.proofs.cryptosuites.vc_jwt import verify_signature
from credstack.core.proofs.data_integrity import PROOF_TYPES
from credstack.core.said import Said, placed
from credstack.core.verification import json_values
from credstack.core.verification.anchored import anchored, check_anchored
from credstack.core.verification.checks import Refusal, failed, passed, problem_dicts, refused
from credstack.core.verification.json_values import items
from credstack.core.verification.pipeline.seams import VerificationState, issuer_id
from credstack.core.verification.proofs import (
    Signer,
    attempt,
    describe,
    public_key,
    qualified_method,
    resolve,
    supported,
    unsecured,
    verify_proofs,
)
from credstack.core.verification.reading import unread
from credstack.core.verification.report import Check, Notice
from credstack.errors import Problem

__all__ = ["check_proof", "secure"]


def secure(document: Mapping[str, Any], state: VerificationState
           ) -> tuple[tuple[Signer, ...], tuple[Problem, ...]]:
    """Verify a document's Data Integrity proofs; return who signed, and what was skipped.

    Used for the credential and, the same way, for every status list credential. Raises
    :class:`Refusal` or a :class:`~credstack.errors.CredstackError` when it does not verify.
    """
    if "proof" not in document or document["proof"] is None:
        raise Refusal("missing-proof", Said("verification.check.proof.missing"))
    proofs = items(document["proof"])
    if not proofs:
        raise Refusal("missing-proof", Said("verification.check.proof.empty_set"))
    for index, proof in enumerate(proofs):
        if not isinstance(proof, Mapping) or not isinstance(proof.get("type"), str):
            where = "proof" if len(proofs) == 1 else f"proof[{index}]"
            raise Refusal("malformed-proof",
                          Said("verification.check.proof.not_a_proof", where=where),
                          problems=[{"location": where, "message": "no type"}])
    known = supported(proofs)
    if not known:
        found = ", ".join(describe(proof) for proof in proofs)
        raise Refusal(
            "unsupported-proof",
            Said("verification.check.proof.unsupported",
                 suites=", ".join([*sorted(CRYPTOSUITES), *PROOF_TYPES, "VC-JWT"]), found=found),
            found=[describe(proof) for proof in proofs])
    # A proof set holding the same proof twice is verified as it is, each proof on its own
    # (Data Integrity 1.0: "all referenced proofs in the array MUST verify"); no
    # specification refuses a repeated proof, and the W3C suites expect it to verify.
    signed, skipped = verify_proofs(document, known, state, "assertionMethod")
    return tuple(signer for _, signer in signed), skipped


def _endorsement_notices(credential: Mapping[str, Any]) -> list[Notice]:
    count = sum(1 for node in json_values.walk(credential) if node is not credential
                and "EndorsementCredential" in (json_values.types(node.get("type")) or ()))
    if not count:
        return []
    return [Notice("endorsements-not-verified",
                   said=Said("verification.check.proof.endorsements_not_verified",
                             count=count))]


def _unsigned_or_anonymous(header: Mapping[str, Any], kid: object) -> Check | None:
    """The failed proof check of a JWS with no signature or no key named; ``None`` if it has
    both."""
    unsigned = unsecured(header)
    if unsigned is not None:
        return unsigned
    if not isinstance(kid, str):
        return failed("proof", "unresolvable-method", Said("verification.check.proof.jws_no_kid"))
    return None


def _jwt_proof(state: VerificationState) -> Check:
    header, token = state.jwt_header, state.token
    assert token is not None and state.credential is not None
    alg, kid = header.get("alg"), header.get("kid")
    unusable = _unsigned_or_anonymous(header, kid)
    if unusable is not None:
        return unusable
    assert isinstance(kid, str)
    method = qualified_method(kid, issuer_id(state.credential))
    try:
        attempt(lambda: verify_vc_jwt(token, resolve_key=lambda _: resolve(state, method)[0]),
                state.subject)
    except Refusal as refusal:
        return refused("proof", refusal)
    signer = Signer(method, state.methods[method][1], f"vc-jwt {alg}")
    state.signers = (signer,)
    return passed("proof", Said("verification.check.proof.jws_verifies", alg=str(alg),
                                kid=method),
                  proofs=[signer.to_dict()])


def _sd_jwt_method(header: Mapping[str, Any], claims: Mapping[str, Any]) -> str | None:
    """The verification method an SD-JWT names: its ``kid`` — relative to a DID or HTTPS
    ``iss`` (or, in a VC-JOSE-COSE SD-JWT, which has none, the credential's ``issuer``) when
    it is bare — or, without one, an ``iss`` that is a did:key or did:jwk."""
    kid, iss = header.get("kid"), claims.get("iss")
    issuer = iss if isinstance(iss, str) and iss.startswith("did:") else None
    if isinstance(kid, str):
        return qualified_method(kid, iss if "iss" in claims else issuer_id(claims))
    if issuer is not None and issuer.startswith(("did:key:", "did:jwk:")):
        return issuer
    return None


def _sd_jwt_proof(state: VerificationState) -> Check:
    """The issuer's signature, every disclosure, and the key binding JWT if there is one."""
    token, disclosed = state.sd_jwt, state.disclosed
    assert token is not None and disclosed is not None
    method = _sd_jwt_method(token.header, disclosed.claims)
    unusable = _unsigned_or_anonymous(token.header, method)
    if unusable is not None:
        return unusable
    assert method is not None
    try:
        attempt(lambda: verify_signature(token.jwt, resolve(state, method)[0]), state.subject)
    except Refusal as refusal:
        return refused("proof", refusal)
    if disclosed.problems:
        count = len(disclosed.problems)
        return failed(
            "proof", "disclosure",
            Said("verification.check.proof.disclosures_not_issuers",
                 first=placed(disclosed.problems[0]), more=count - 1, total=count)
            if count > 1 else Said("verification.check.proof.disclosure_not_issuers",
                                   first=placed(disclosed.problems[0]), total=count),
            problems=problem_dicts(disclosed.problems))
    notices: list[Notice] = []
    if token.key_binding is not None and "cnf" not in token.payload:
        # A key binding JWT is signed by the key the issuer's cnf names (SD-JWT VC draft
        # §3.2.2.2; RFC 9901 §7.3): with none named, it shows nothing of who presented it.
        notices.append(Notice("key-binding-unverifiable", said=Said(
            "verification.check.proof.key_binding_unverifiable")))
    elif token.key_binding is not None:
        try:
            bound = attempt(lambda: verify_key_binding(token), state.subject)
        except Refusal as refusal:
            return failed("proof", "key-binding",
                          Said("verification.check.proof.key_binding_fails",
                               why=refusal.said or refusal.en), **refusal.details)
        notices.append(Notice("key-binding-not-compared", said=Said(
            "verification.check.proof.key_binding_not_compared", aud=repr(bound["aud"]),
            nonce=repr(bound["nonce"]))))
    elif "cnf" in token.payload:
        notices.append(Notice("no-key-binding",
                              said=Said("verification.check.proof.no_key_binding")))
    alg = token.header.get("alg")
    signer = Signer(method, state.methods[method][1], f"{state.format} {alg}")
    state.signers = (signer,)
    count = len(disclosed.paths)
    return passed("proof", Said("verification.check.proof.sd_jwt_verifies", alg=str(alg),
                                method=method, count=count),
                  warnings=notices, proofs=[signer.to_dict()], disclosed=list(disclosed.paths))


def _cose_proof(state: VerificationState) -> Check:
    """The COSE_Sign1's signature, by the key its ``kid`` names (relative to a DID issuer
    when it is a fragment) or, without one, the issuer's did:key or did:jwk."""
    message, credential = state.cose, state.credential
    assert message is not None and credential is not None
    named = issuer_id(credential)
    issuer = named if isinstance(named, str) and named.startswith("did:") else None
    method = message.kid
    if method is not None:
        method = qualified_method(method, named)
    if method is None and issuer is not None and issuer.startswith(("did:key:", "did:jwk:")):
        method = issuer
    if method is None:
        return failed("proof", "unresolvable-method",
                      Said("verification.check.proof.cose_no_kid"))
    found = method
    try:
        attempt(lambda: vc_cose.verify(message, public_key(state, found)), state.subject)
    except Refusal as refusal:
        return refused("proof", refusal)
    alg = message.algorithm_name
    signer = Signer(method, state.methods[method][1], f"vc+cose {alg}")
    state.signers = (signer,)
    return passed("proof", Said("verification.check.proof.cose_verifies", alg=str(alg),
                                method=method), proofs=[signer.to_dict()])


def check_proof(state: VerificationState) -> Check:
    """``proof``: every Data Integrity proof verifies (or the VC-JWT's signature does).

    A credential secured only by proofs anchored on a blockchain (Blockcerts'
    ``MerkleProof2019``): its Merkle receipt is checked against it, and the anchor cannot be
    decided offline: the check says so, neither passed nor failed (:mod:`..anchored`).
    """
    credential = state.credential
    if credential is None:
        return unread("proof", state.subject)
    if state.sd_jwt is not None:
        return _sd_jwt_proof(state)
    if state.cose is not None:
        return _cose_proof(state)
    if state.token is not None:
        return _jwt_proof(state)
    notices = _endorsement_notices(credential)
    try:
        signers, skipped = attempt(lambda: secure(credential, state), state.subject)
    except Refusal as refusal:
        on_chain = anchored(items(credential["proof"])) if refusal.code == "unsupported-proof" \
            else []
        if on_chain:
            # Anchored on a blockchain and nothing else: the receipt is checked, the anchor
            # is undecidable offline.
            return check_anchored(credential, on_chain, document_loader=state.document_loader,
                                  subject=state.subject, warnings=notices)
        return refused("proof", refusal, notices)
    state.signers = signers
    notices += [Notice("proof-skipped", said=Said(
        "verification.check.proof.skipped", where=problem.location,
        detail=problem.message or Said(problem.code, **problem.params))) for problem in skipped]
    suites = ", ".join(dict.fromkeys(signer.suite for signer in signers))
    methods = ", ".join(signer.verification_method for signer in signers)
    count = len(signers)
    return passed("proof", Said("verification.check.proof.verifies", count=count,
                                suites=suites, methods=methods),
                  warnings=notices, proofs=[signer.to_dict() for signer in signers])
