"""The proof step of a presentation: the holder's Data Integrity proof, for authentication,
or a Merkle receipt that anchors the presentation on a blockchain (Blockcerts'
presentations: :mod:`credstack.core.verification.anchored`). What it says is said as message
keys (``verification.check.proof.…``); the runner words them."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from credstack.core.proofs import CRYPTOSUITES
from credstack.core.said import Said
from credstack.core.verification.anchored import anchored, check_anchored
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
        raise Refusal("missing-proof", Said("verification.check.proof.presentation_empty_set"))
    for index, proof in enumerate(proofs):
        where = "proof" if len(proofs) == 1 else f"proof[{index}]"
        if not isinstance(proof, Mapping) or not isinstance(proof.get("type"), str):
            raise Refusal("malformed-proof",
                          Said("verification.check.proof.not_a_proof", where=where))
    known = supported(proofs)
    if not known:
        found = ", ".join(describe(proof) for proof in proofs)
        raise Refusal("unsupported-proof", Said(
            "verification.check.proof.unsupported", suites=", ".join(sorted(CRYPTOSUITES)),
            found=found))
    for proof in known:
        purpose = proof.get("proofPurpose")
        if purpose != AUTHENTICATION:
            raise Refusal("proof-purpose", Said(
                "verification.check.proof.presentation_purpose", purpose=repr(purpose),
                wanted=repr(AUTHENTICATION)), found=purpose)
    signed, _ = verify_proofs(presentation, known, state, AUTHENTICATION)
    return tuple(signed)


def check_proof(state: PresentationState) -> Check:
    """``proof``: the holder's Data Integrity proof verifies, for ``authentication`` (or, for
    a presentation secured as a JWT, the JWS's signature: :mod:`.envelope`). A presentation
    anchored on a blockchain and signed by no key: its receipt is checked, the anchor cannot
    be decided offline.

    A presentation without a proof passes, with a warning, only when no challenge was asked
    for: nothing then binds it to its holder, and a verifier that needs that asks a challenge.
    """
    presentation = state.presentation
    if presentation is None:
        return unread("proof", state.subject)
    if state.secured is not None:
        return check_jwt_proof(state)
    if presentation.get("proof") is None:
        if state.challenge is not None:
            return failed("proof", "missing-proof",
                          Said("verification.check.proof.presentation_unanswered"))
        state.signed = ()
        return passed(
            "proof", Said("verification.check.proof.presentation_unsigned"), code="no-proof",
            warnings=[Notice("unsigned-presentation", said=Said(
                "verification.check.proof.presentation_unsigned_notice"))])
    try:
        signed = attempt(lambda: _secure(presentation, state), state.subject)
    except Refusal as refusal:
        on_chain = anchored(items(presentation["proof"])) if refusal.code == "unsupported-proof" \
            else []
        if on_chain:
            # Anchored on a blockchain and signed by no key: the receipt is checked against
            # the presentation and the anchor is undecidable offline; no key signed, so the
            # holder, challenge and domain stay unchecked (``state.signed`` stays None).
            return check_anchored(presentation, on_chain, document_loader=state.document_loader,
                                  subject=state.subject)
        return refused("proof", refusal)
    state.signed = signed
    signers = [signer for _, signer in signed]
    suites = ", ".join(dict.fromkeys(signer.suite for signer in signers))
    methods = ", ".join(signer.verification_method for signer in signers)
    count = len(signers)
    return passed("proof", Said("verification.check.proof.presentation_verifies", count=count,
                                suites=suites, methods=methods),
                  proofs=[signer.to_dict() for signer in signers])
