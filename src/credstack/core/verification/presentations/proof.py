"""The proof step of a presentation: the holder's Data Integrity proof, for authentication."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from credstack.core.proofs import CRYPTOSUITES
from credstack.core.verification.checks import Refusal, failed, passed, refused
from credstack.core.verification.json_values import items
from credstack.core.verification.presentations.envelope import check_jwt_proof
from credstack.core.verification.presentations.seams import AUTHENTICATION, PresentationState
from credstack.core.verification.proofs import (
    Signer,
    attempt,
    describe,
    supported,
    verify_proofs,
)
from credstack.core.verification.reading import unread
from credstack.core.verification.report import Check, Notice

__all__ = ["check_proof"]


def _secure(presentation: Mapping[str, Any], state: PresentationState
            ) -> tuple[tuple[Mapping[str, Any], Signer], ...]:
    proofs = items(presentation["proof"])
    if not proofs:
        raise Refusal("missing-proof", "the presentation's proof set is empty",
                      "プレゼンテーションの証明（署名）が空です")
    for index, proof in enumerate(proofs):
        where = "proof" if len(proofs) == 1 else f"proof[{index}]"
        if not isinstance(proof, Mapping) or not isinstance(proof.get("type"), str):
            raise Refusal("malformed-proof", f"{where} is not a proof object with a type",
                          f"{where} は type を持つ証明オブジェクトではありません")
    known = supported(proofs)
    if not known:
        found = ", ".join(describe(proof) for proof in proofs)
        raise Refusal(
            "unsupported-proof",
            f"no proof uses a suite credstack verifies ({', '.join(sorted(CRYPTOSUITES))}); "
            f"found {found}", f"credstack が検証できる方式の証明がありません（{found}）")
    for proof in known:
        purpose = proof.get("proofPurpose")
        if purpose != AUTHENTICATION:
            raise Refusal(
                "proof-purpose",
                f"the proof's purpose is {purpose!r}, not {AUTHENTICATION!r}: a presentation is "
                "signed by its holder to authenticate, and a proof made for another purpose "
                "(an issuer's assertionMethod) must not stand in for that",
                f"証明の目的（proofPurpose）が {purpose!r} です。プレゼンテーションの証明は "
                f"{AUTHENTICATION!r} でなければなりません", found=purpose)
    signed, _ = verify_proofs(presentation, known, state, AUTHENTICATION)
    return tuple(signed)


def check_proof(state: PresentationState) -> Check:
    """``proof``: the holder's Data Integrity proof verifies, for ``authentication`` (or, for
    a presentation secured as a JWT, the JWS's signature: :mod:`.envelope`).

    A presentation without a proof passes, with a warning, only when no challenge was asked
    for: nothing then binds it to its holder, and a verifier that needs that asks a challenge.
    """
    presentation = state.presentation
    if presentation is None:
        return unread("proof", state.subject)
    if state.token is not None:
        return check_jwt_proof(state)
    if presentation.get("proof") is None:
        if state.challenge is not None:
            return failed("proof", "missing-proof",
                          "a challenge was given but the presentation has no proof, so its "
                          "holder cannot answer it",
                          "チャレンジが指定されていますが、プレゼンテーションに証明（署名）が"
                          "ありません")
        state.signed = ()
        return passed(
            "proof", "the presentation has no proof; none is required when no challenge is "
            "given", "プレゼンテーションに証明（署名）はありません（チャレンジの指定がないため"
            "不要です）", code="no-proof",
            warnings=[Notice("unsigned-presentation",
                             "the presentation is not signed: who presented it is not known, "
                             "and it may be a replay; only its credentials were verified",
                             "プレゼンテーションに署名がないため、提示者は確認できません"
                             "（含まれる証明書のみを検証しました）")])
    try:
        signed = attempt(lambda: _secure(presentation, state), state.subject)
    except Refusal as refusal:
        return refused("proof", refusal)
    state.signed = signed
    signers = [signer for _, signer in signed]
    suites = ", ".join(dict.fromkeys(signer.suite for signer in signers))
    methods = ", ".join(signer.verification_method for signer in signers)
    count = len(signers)
    return passed("proof", f"{count} proof{'s' if count > 1 else ''} ({suites}) "
                           f"verif{'y' if count > 1 else 'ies'} for authentication: signed by "
                           f"{methods}",
                  f"認証（authentication）の証明 {count} 件（{suites}）を確認しました。"
                  f"署名者：{methods}", proofs=[signer.to_dict() for signer in signers])
