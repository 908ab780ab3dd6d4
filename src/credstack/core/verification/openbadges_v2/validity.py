"""The issuer, validity, status and recipient steps. What they say is said as message keys
(``verification.check.ob2.…``) with their parameters; the runner words them (a refusal of a
nested fetch is passed on as a parameter: :func:`~..checks.said_of_refusal`)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from credstack.core.credentials import openbadges_v2 as ob2
from credstack.core.said import Said
from credstack.core.verification.checks import (
    Refusal,
    failed,
    not_checked,
    passed,
    problem_dicts,
    refused,
    said_of_refusal,
)
from credstack.core.verification.data_model import said_at
from credstack.core.verification.openbadges_v2.graph import (
    BADGE,
    Ob2State,
    fetched,
    is_revoked,
    issuer_profile,
    node_id,
    not_an_assertion,
)
from credstack.core.verification.reading import unread
from credstack.core.verification.report import Check, CheckKind, Notice

__all__ = ["check_issuer", "check_recipient", "check_status", "check_validity"]


def check_issuer(state: Ob2State) -> Check:
    """``issuer``: the issuer made this assertion — its hosting policy, or its key."""
    if state.document is None:
        return unread("issuer", BADGE)
    if state.kind != "Assertion" and state.jws is None:
        return not_an_assertion("issuer", state)
    proof = state.results.get("proof")
    if proof is not None and proof.ok is not True:
        return not_checked("issuer", Said("verification.check.ob2.issuer.unproven"))
    if is_revoked(state):
        return not_checked("issuer", Said("verification.check.ob2.issuer.revoked"))
    if state.verification == "signed":
        if state.signer is None:
            return not_checked("issuer", Said("verification.check.ob2.issuer.no_key"))
        issuer = issuer_profile(state)
        return passed("issuer", Said("verification.check.ob2.issuer.signed", key=state.signer,
                                     issuer=node_id(issuer)),
                      issuer=node_id(issuer), key=state.signer)
    try:
        issuer = issuer_profile(state)
    except Refusal as refusal:
        return refused("issuer", Refusal(
            "unresolvable-issuer", Said("verification.check.ob2.issuer.unreadable",
                                        why=said_of_refusal(refusal)),
            missing=refusal.missing, **refusal.details))
    assertion_id = state.document.get("id")
    assert isinstance(assertion_id, str)
    reason, notes = ob2.hosted_policy_problem(assertion_id, issuer.document,
                                              issuer_location=issuer.location)
    # The one note (the issuer's id is no HTTP URL): its origin is where its profile is served.
    notices = [Notice("issuer-origin", said=note) for note in notes]
    issuer_id = node_id(issuer)
    if reason is not None:
        return failed("issuer", "verification-policy",
                      Said("verification.check.ob2.issuer.outside_policy", issuer=issuer_id,
                           reason=reason),
                      warnings=notices, issuer=issuer_id, assertion=assertion_id)
    return passed("issuer", Said("verification.check.ob2.issuer.hosted", issuer=issuer_id),
                  warnings=notices, issuer=issuer_id)


def check_validity(state: Ob2State) -> Check:
    """``validity``: ``issuedOn`` not in the future, ``expires`` not passed (nor before it)."""
    document = state.document
    if document is None:
        return unread("validity", BADGE)
    if state.kind != "Assertion":
        return not_an_assertion("validity", state)
    if is_revoked(state) and "issuedOn" not in document:
        return not_checked("validity", Said("verification.check.ob2.validity.revoked"))
    issued = ob2.parse_datetime(document.get("issuedOn"))
    if issued is None:
        return failed("validity", "invalid-date",
                      Said("verification.check.ob2.validity.not_a_date", field="issuedOn",
                           value=repr(document.get("issuedOn"))), field="issuedOn")
    shown: dict[str, Any] = {"now": state.now.isoformat(), "issuedOn": document["issuedOn"]}
    if issued > state.now:
        return failed("validity", "not-yet-valid",
                      Said("verification.check.ob2.validity.future",
                           issued=str(document["issuedOn"])), **shown)
    if document.get("expires") is None:
        return passed("validity", Said("verification.check.ob2.validity.no_expiry",
                                       issued=str(document["issuedOn"])), **shown)
    expires = ob2.parse_datetime(document["expires"])
    shown["expires"] = document["expires"]
    if expires is None:
        return failed("validity", "invalid-date",
                      Said("verification.check.ob2.validity.not_a_date", field="expires",
                           value=repr(document["expires"])), field="expires", **shown)
    if expires < issued:
        return failed("validity", "expires-before-issued",
                      Said("verification.check.ob2.validity.expires_before_issued",
                           expires=str(document["expires"]), issued=str(document["issuedOn"])),
                      **shown)
    if expires <= state.now:
        return failed("validity", "expired",
                      Said("verification.check.ob2.validity.expired",
                           expires=str(document["expires"])), **shown)
    return passed("validity", Said("verification.check.ob2.validity.within",
                                   issued=str(document["issuedOn"]),
                                   expires=str(document["expires"])), **shown)


def check_status(state: Ob2State) -> Check:
    """``status``: not revoked — the hosted ``revoked`` flag, the issuer's RevocationList."""
    document = state.document
    if document is None:
        return unread("status", BADGE)
    if state.kind != "Assertion":
        return not_an_assertion("status", state)
    if is_revoked(state):
        reason = document.get("revocationReason")
        return failed("status", "revoked",
                      Said("verification.check.ob2.status.revoked_because", reason=reason)
                      if isinstance(reason, str) and reason
                      else Said("verification.check.ob2.status.revoked"),
                      reason=reason)
    proof = state.results.get("proof")
    if proof is not None and proof.ok is not True:
        return not_checked("status", Said("verification.check.ob2.status.unproven"))
    try:
        issuer = issuer_profile(state)
    except Refusal as refusal:
        return refused("status", Refusal(
            "status-unavailable", Said("verification.check.ob2.status.issuer_unreadable",
                                       why=said_of_refusal(refusal)),
            missing=refusal.missing))
    reference = issuer.document.get("revocationList")
    hosted = state.verification == "hosted"
    if reference is None:
        return passed("status", Said("verification.check.ob2.status.served_unrevoked" if hosted
                                     else "verification.check.ob2.status.no_list"),
                      code="no-revocation-list")
    try:
        if isinstance(reference, Mapping):
            revocation_list: Mapping[str, Any] = reference
            url = str(reference.get("id", ""))
        else:
            url = str(reference)
            revocation_list = fetched(state, reference, "revocation_list").document
    except Refusal as refusal:
        return refused("status", Refusal(
            "status-unavailable", Said("verification.check.ob2.status.list_unreadable",
                                       why=said_of_refusal(refusal)),
            missing=refusal.missing, **refusal.details))
    errors, _ = ob2.validate(revocation_list, "RevocationList")
    if errors:
        return failed("status", "malformed-revocation-list",
                      Said("verification.check.ob2.status.malformed_list", url=url,
                           error=said_at(errors[0])),
                      problems=problem_dicts(errors))
    assertion_id = document.get("id")
    uid = document.get("uid")
    entry = ob2.revocation_entry(revocation_list, str(assertion_id),
                                 uid if isinstance(uid, str) else None)
    if entry is not None:
        reason = entry.get("revocationReason")
        return failed("status", "revoked",
                      Said("verification.check.ob2.status.revoked_in_list_because", url=url,
                           reason=reason) if isinstance(reason, str) and reason
                      else Said("verification.check.ob2.status.revoked_in_list", url=url),
                      list=url, reason=reason)
    return passed("status", Said("verification.check.ob2.status.not_revoked", url=url),
                  list=url)


def check_recipient(state: Ob2State) -> Check:
    """``recipient``: when one is given, the assertion was awarded to it (§IdentityObject)."""
    document = state.document
    if document is None:
        return unread("recipient", BADGE)
    if state.kind != "Assertion":
        return not_an_assertion("recipient", state)
    if state.recipient is None:
        return Check("recipient", None, "", "", {}, code="not-requested", kind=CheckKind.INFO,
                     said=Said("verification.check.ob2.recipient.not_requested"))
    recipient = document.get("recipient")
    if not isinstance(recipient, Mapping):
        return not_checked("recipient", Said("verification.check.ob2.recipient.none"))
    kind = recipient.get("type")
    hashed = recipient.get("hashed") is True
    details: dict[str, Any] = {"type": kind, "hashed": hashed}
    if ob2.recipient_matches(recipient, state.recipient):
        return passed("recipient", Said("verification.check.ob2.recipient.matches_hashed"
                                        if hashed else "verification.check.ob2.recipient.matches",
                                        kind=kind), **details)
    return failed("recipient", "recipient-mismatch",
                  Said("verification.check.ob2.recipient.mismatch", kind=kind), **details)
