"""The proof step of a credential: every Data Integrity proof, or the VC-JWT's signature."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from credstack.core.proofs import CRYPTOSUITES, verify_vc_jwt
from credstack.core.verification import json_values
from credstack.core.verification.anchored import anchored, cannot_decide
from credstack.core.verification.checks import Refusal, failed, passed, refused
from credstack.core.verification.json_values import items
from credstack.core.verification.pipeline.seams import VerificationState
from credstack.core.verification.proofs import (
    Signer,
    attempt,
    describe,
    resolve,
    supported,
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
        raise Refusal("missing-proof", "the credential has no proof: anyone could have "
                      "written it", "証明（署名）がありません。誰でも作成できる内容です")
    proofs = items(document["proof"])
    if not proofs:
        raise Refusal("missing-proof", "the credential's proof set is empty",
                      "証明（署名）が空です")
    for index, proof in enumerate(proofs):
        if not isinstance(proof, Mapping) or not isinstance(proof.get("type"), str):
            where = "proof" if len(proofs) == 1 else f"proof[{index}]"
            raise Refusal("malformed-proof", f"{where} is not a proof object with a type",
                          f"{where} は type を持つ証明オブジェクトではありません",
                          problems=[{"location": where, "message": "no type"}])
    known = supported(proofs)
    if not known:
        found = ", ".join(describe(proof) for proof in proofs)
        raise Refusal(
            "unsupported-proof",
            f"no proof uses a suite credstack verifies ({', '.join(sorted(CRYPTOSUITES))}, "
            f"VC-JWT); found {found}",
            f"credstack が検証できる方式の証明がありません（{found}）",
            found=[describe(proof) for proof in proofs])
    values = [proof.get("proofValue") for proof in known]
    if len(set(map(repr, values))) != len(values):
        raise Refusal("duplicate-proof",
                      "the same proof appears twice in the proof set; a set counts each "
                      "proof once, so the credential is refused",
                      "同じ証明が二重に含まれています")
    signed, skipped = verify_proofs(document, known, state, "assertionMethod")
    return tuple(signer for _, signer in signed), skipped


def _endorsement_notices(credential: Mapping[str, Any]) -> list[Notice]:
    count = sum(1 for node in json_values.walk(credential) if node is not credential
                and "EndorsementCredential" in (json_values.types(node.get("type")) or ()))
    if not count:
        return []
    return [Notice("endorsements-not-verified",
                   f"{count} embedded endorsement credential{'s' if count > 1 else ''} "
                   "not verified (each is a credential of its own)",
                   f"埋め込まれた推薦（EndorsementCredential）{count} 件は検証していません")]


def _jwt_proof(state: VerificationState) -> Check:
    header, token = state.jwt_header, state.token
    assert token is not None
    alg = header.get("alg")
    if not isinstance(alg, str) or alg.lower() == "none":
        return failed("proof", "unsecured-jwt",
                      f"an unsecured JWT (alg: {alg!r}) is never accepted: it has no signature",
                      "署名のない JWT（alg: none）は受け付けません", alg=alg)
    kid = header.get("kid")
    if not isinstance(kid, str):
        return failed("proof", "unresolvable-method",
                      "the JWS header names no key (kid), so the signer cannot be identified",
                      "JWS ヘッダーに鍵（kid）がないため、署名者を特定できません")
    try:
        attempt(lambda: verify_vc_jwt(token, resolve_key=lambda method: resolve(state, method)[0]),
                state.subject)
    except Refusal as refusal:
        return refused("proof", refusal)
    signer = Signer(kid, state.methods[kid][1], f"vc-jwt {alg}")
    state.signers = (signer,)
    return passed("proof", f"the JWS signature ({alg}) verifies with {kid}",
                  f"JWS の署名（{alg}）を {kid} で確認しました",
                  proofs=[signer.to_dict()])


def check_proof(state: VerificationState) -> Check:
    """``proof``: every Data Integrity proof verifies (or the VC-JWT's signature does).

    A credential secured only by proofs anchored on a blockchain (Blockcerts'
    ``MerkleProof2019``) cannot be decided offline: the check says so, neither passed nor
    failed (:mod:`..anchored`).
    """
    credential = state.credential
    if credential is None:
        return unread("proof", state.subject)
    if state.token is not None:
        return _jwt_proof(state)
    notices = _endorsement_notices(credential)
    try:
        signers, skipped = attempt(lambda: secure(credential, state), state.subject)
    except Refusal as refusal:
        on_chain = anchored(items(credential["proof"])) if refusal.code == "unsupported-proof" \
            else []
        if on_chain:
            # Anchored on a blockchain and nothing else: undecidable offline, not forged.
            return cannot_decide(on_chain, notices)
        return refused("proof", refusal, notices)
    state.signers = signers
    notices += [Notice("proof-skipped", f"{problem}: not verified, another proof is",
                       f"{problem.location} は credstack が検証できない方式のため確認して"
                       "いません（他の証明で確認しました）") for problem in skipped]
    suites = ", ".join(dict.fromkeys(signer.suite for signer in signers))
    methods = ", ".join(signer.verification_method for signer in signers)
    count = len(signers)
    return passed("proof", f"{count} proof{'s' if count > 1 else ''} ({suites}) "
                           f"verif{'y' if count > 1 else 'ies'}: signed by {methods}",
                  f"証明 {count} 件（{suites}）を確認しました。署名者：{methods}",
                  warnings=notices, proofs=[signer.to_dict() for signer in signers])
