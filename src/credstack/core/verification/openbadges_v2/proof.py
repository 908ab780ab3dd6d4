"""The proof step: a hosted assertion found where it says it is hosted, a signed one's JWS
verified with its issuer's key. What it says is said as message keys
(``verification.check.ob2.proof.…``); the runner words them (a refusal about fetching the
issuer's profile or key passed on as a parameter: :func:`~..checks.said_of_refusal`)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from credstack.core.credentials import openbadges_v2 as ob2
from credstack.core.credentials.blockcerts import is_blockcerts_v2
from credstack.core.said import Said, said_of
from credstack.core.verification.anchored import BLOCKCERTS_V2, check_receipt_2017
from credstack.core.verification.checks import (
    Refusal,
    failed,
    passed,
    refused,
    said_of_refusal,
    undecided,
)
from credstack.core.verification.json_values import items
from credstack.core.verification.openbadges_v2.graph import (
    BADGE,
    Node,
    Ob2State,
    fetched,
    is_revoked,
    issuer_profile,
    node_id,
    not_an_assertion,
)
from credstack.core.verification.reading import unread
from credstack.core.verification.report import Check, Missing, Notice
from credstack.errors import MalformedCredentialError, SignatureError

__all__ = ["check_proof"]


def _hosted_proof(state: Ob2State) -> Check:
    assert state.document is not None
    given = state.document
    assertion_id = given.get("id")
    state.verification = "hosted"
    if not ob2.is_http_url(assertion_id):
        return failed("proof", "not-hosted",
                      Said("verification.check.ob2.proof.not_hosted", id=repr(assertion_id)))
    try:
        node = fetched(state, assertion_id, "hosted_assertion")
    except Refusal as refusal:
        if refusal.code == "not-found":
            return failed("proof", "gone",
                          Said("verification.check.ob2.proof.gone", url=assertion_id),
                          url=assertion_id)
        return refused("proof", refusal)
    served = node.document
    if served.get("id") != assertion_id:
        return failed("proof", "id-mismatch",
                      Said("verification.check.ob2.proof.id_mismatch", url=assertion_id,
                           served=repr(served.get("id"))), url=assertion_id)
    notices = list(node.notices)
    if served != given and state.source != assertion_id:
        notices.append(Notice("hosted-copy-differs",
                              said=Said("verification.check.ob2.proof.copy_differs")))
    state.document = dict(served)
    state.kind = ob2.class_of(state.document)
    return passed("proof", Said("verification.check.ob2.proof.hosted", url=assertion_id),
                  code="hosted", warnings=notices, url=assertion_id)


def _candidate_keys(state: Ob2State) -> tuple[Node, list[str | Mapping[str, Any]]]:
    issuer = issuer_profile(state)
    if issuer.location is None:
        raise Refusal("unverifiable-issuer", Said("verification.check.ob2.proof.embedded_issuer"))
    listed: list[str | Mapping[str, Any]] = [
        item for item in items(issuer.document.get("publicKey"))
        if isinstance(item, str) or (isinstance(item, Mapping) and isinstance(item.get("id"), str))]
    ids = [item if isinstance(item, str) else item["id"] for item in listed]
    assert state.document is not None
    verification = state.document.get("verification", state.document.get("verify"))
    creator = verification.get("creator") if isinstance(verification, Mapping) else None
    if isinstance(creator, Mapping):
        creator = creator.get("id")
    issuer_id = node_id(issuer)
    if isinstance(creator, str):
        if creator not in ids:
            raise Refusal("unauthorized-key",
                          Said("verification.check.ob2.proof.unauthorized_key", key=creator,
                               issuer=str(issuer_id)),
                          key=creator, issuer=issuer_id)
        return issuer, [listed[ids.index(creator)]]
    if not listed:
        raise Refusal("no-key", Said("verification.check.ob2.proof.no_key", issuer=str(issuer_id)),
                      issuer=issuer_id)
    return issuer, listed


def _key_pem(state: Ob2State, key: str | Mapping[str, Any], issuer: Node) -> tuple[str, str]:
    """(key id, PEM) of one of the issuer's keys: embedded in its profile, or fetched."""
    issuer_id = node_id(issuer)
    if isinstance(key, Mapping):
        document, key_id = key, str(key["id"])
    else:
        document, key_id = fetched(state, key, "key").document, key
        owner = document.get("owner")
        if owner is not None and owner not in {issuer_id, issuer.location}:
            raise Refusal("key-owner", Said("verification.check.ob2.proof.key_owner", key=key_id,
                                            owner=repr(owner), issuer=str(issuer_id)),
                          key=key_id, owner=owner)
    pem = document.get("publicKeyPem")
    if not isinstance(pem, str):
        raise Refusal("no-public-key",
                      Said("verification.check.ob2.proof.no_public_key", key=key_id), key=key_id)
    return key_id, pem


def _signed_proof(state: Ob2State) -> Check:
    jws = state.jws
    assert jws is not None
    state.verification = "signed"
    alg = jws.header.get("alg")
    if not isinstance(alg, str) or alg.lower() == "none":
        return failed("proof", "unsecured-jwt",
                      Said("verification.check.ob2.proof.unsecured_jws", alg=repr(alg)), alg=alg)
    if alg not in ob2.ACCEPTED_ALGORITHMS:
        return failed("proof", "unsupported-algorithm",
                      Said("verification.check.ob2.proof.unsupported_algorithm", alg=repr(alg),
                           accepted=", ".join(ob2.ACCEPTED_ALGORITHMS)), alg=alg)
    try:
        issuer, candidates = _candidate_keys(state)
    except Refusal as refusal:
        if refusal.missing is None and refusal.code in {
                "not-found", "unreachable", "not-fetchable", "not-json", "foreign-id",
                "no-badge", "no-issuer", "not-an-object"}:
            return failed("proof", "unresolvable-key",
                          Said("verification.check.ob2.proof.key_undetermined",
                               why=said_of_refusal(refusal)), **refusal.details)
        return refused("proof", refusal)
    failures: list[Refusal] = []
    for candidate in candidates:
        try:
            key_id, pem = _key_pem(state, candidate, issuer)
            ob2.verify_jws(jws, pem)
        except Refusal as refusal:
            failures.append(refusal)
        except SignatureError:
            failures.append(Refusal("signature", Said("verification.check.ob2.proof.signature")))
        except MalformedCredentialError as exc:
            failures.append(Refusal("key-mismatch" if exc.code == ob2.KEY_MISMATCH
                                    else "bad-key",
                                    Said("verification.check.ob2.proof.bad_key",
                                         detail=said_of(exc))))
        else:
            state.signer = key_id
            warnings = [Notice("not-rs256", said=Said(
                "verification.check.ob2.proof.not_rs256", alg=alg))] if alg != "RS256" else []
            return passed("proof", Said("verification.check.ob2.proof.signed", alg=alg, key=key_id,
                                        issuer=str(node_id(issuer))),
                          code="signed", warnings=warnings, key=key_id,
                          issuer=node_id(issuer), alg=alg)
    chosen = next((f for f in failures if f.code == "signature"),
                  next((f for f in failures if f.missing is None), failures[0]))
    return refused("proof", chosen)


def check_proof(state: Ob2State) -> Check:
    """``proof``: hosted — the copy its issuer serves; signed — the JWS signature."""
    if state.document is None:
        return unread("proof", BADGE)
    if state.jws is not None:
        return _signed_proof(state)
    if state.kind != "Assertion":
        return not_an_assertion("proof", state)
    kind = ob2.verification_type(state.document)
    if kind is None and is_revoked(state):
        # A revoked hosted assertion may be stripped to its id and revoked flag (§Assertion):
        # whether its issuer says so is still read from its id.
        kind = "hosted"
    if kind == "hosted":
        return _hosted_proof(state)
    if kind == "signed":
        state.verification = "signed"
        return failed("proof", "missing-signature",
                      Said("verification.check.ob2.proof.missing_signature"))
    if is_blockcerts_v2(state.document):
        return _blockcerts_proof(state)
    return failed("proof", "unknown-verification",
                  Said("verification.check.ob2.proof.unknown_verification"))


def _blockcerts_proof(state: Ob2State) -> Check:
    """A Blockcerts v2 certificate: its Merkle receipt checked against it, its anchor on a
    blockchain undecidable offline (:mod:`credstack.core.verification.anchored`)."""
    assert state.document is not None
    if state.document_loader is None:
        return undecided("proof", "cannot-decide",
                         Said("verification.check.proof.merkle.no_contexts",
                              suite=BLOCKCERTS_V2),
                         "", Missing("context", "unsupported", None))
    return check_receipt_2017(state.document, document_loader=state.document_loader,
                              subject=BADGE, suite=BLOCKCERTS_V2)
