"""The issuer and validity steps: who signed against who the credential names, and its validity
window. What they say is said as message keys (``verification.check.issuer.…``,
``verification.check.validity.…``) with their parameters; the runner words them."""

from __future__ import annotations

import datetime as dt
from typing import Any

from credstack.core.said import Said
from credstack.core.verification.checks import failed, not_checked, passed
from credstack.core.verification.data_model import version as context_version
from credstack.core.verification.json_values import instant
from credstack.core.verification.pipeline.seams import VerificationState, issuer_id
from credstack.core.verification.reading import unread
from credstack.core.verification.report import Check, Notice

__all__ = ["check_issuer", "check_validity"]


def check_issuer(state: VerificationState) -> Check:
    """``issuer``: a verified proof's verification method is controlled by the issuer."""
    credential = state.credential
    if credential is None:
        return unread("issuer", state.subject)
    issuer = issuer_id(credential)
    if issuer is None:
        return failed("issuer", "no-issuer", Said("verification.check.issuer.none"))
    if state.signers is None:
        return not_checked("issuer", Said("verification.check.issuer.unsigned"))
    controllers = [signer.controller for signer in state.signers]
    if issuer not in controllers:
        signed_by = ", ".join(dict.fromkeys(controllers))
        return failed(
            "issuer", "issuer-mismatch",
            Said("verification.check.issuer.mismatch", issuer=issuer, signers=signed_by),
            issuer=issuer, signers=[signer.to_dict() for signer in state.signers])
    others = [signer for signer in state.signers if signer.controller != issuer]
    notices = [Notice("co-signer", said=Said("verification.check.issuer.co_signer",
                                             signer=signer.controller)) for signer in others]
    return passed("issuer", Said("verification.check.issuer.signed", issuer=issuer),
                  warnings=notices, issuer=issuer)


def _numeric_date(value: object) -> dt.datetime | None:
    if isinstance(value, int | float) and not isinstance(value, bool):
        try:
            return dt.datetime.fromtimestamp(value, dt.UTC)
        except (OverflowError, OSError, ValueError):
            return None
    return None


def check_validity(state: VerificationState) -> Check:
    """``validity``: ``validFrom`` ≤ now ≤ ``validUntil`` (1.1: issuance and expiration)."""
    credential = state.credential
    if credential is None:
        return unread("validity", state.subject)
    version = context_version(credential)
    start_name, end_name = (("issuanceDate", "expirationDate") if version == "1.1"
                            else ("validFrom", "validUntil"))
    bounds: dict[str, dt.datetime | None] = {}
    for name in (start_name, end_name):
        if name not in credential:
            bounds[name] = None
            continue
        moment = instant(credential[name], require_zone=version != "1.1")
        if moment is None:
            # Kept in words: the Japanese names no value, and a key's words in every
            # language fill in the same placeholders.
            return failed("validity", "invalid-date",
                          f"{name} {credential[name]!r} is not a date-time, so the validity "
                          "period cannot be judged",
                          f"{name} が日時ではないため、有効期間を判断できません", field=name)
        bounds[name] = moment
    claims = state.jwt_claims
    for claim, name in (("nbf", start_name), ("exp", end_name)):
        if claim in claims:
            moment = _numeric_date(claims[claim])
            if moment is None:
                return failed("validity", "invalid-date",
                              Said("verification.check.validity.not_a_numeric_date",
                                   claim=claim), field=claim)
            current = bounds.get(name)
            # The stricter bound holds: a later start, an earlier end.
            if current is None or (moment > current if claim == "nbf" else moment < current):
                bounds[name] = moment
    now = state.now
    start, end = bounds.get(start_name), bounds.get(end_name)
    shown: dict[str, Any] = {"now": now.isoformat(), start_name: credential.get(start_name),
             end_name: credential.get(end_name)}
    if start is not None and now < start:
        return failed("validity", "not-yet-valid",
                      Said("verification.check.validity.not_yet_valid",
                           start=start.isoformat()), **shown)
    if end is not None and now > end:
        return failed("validity", "expired",
                      Said("verification.check.validity.expired", end=end.isoformat()),
                      **shown)
    # Said of the dates alone: a revoked credential is inside its validity period too, and
    # a row reading "valid now" beside "revoked" would contradict the verdict. (The times are
    # given as ISO 8601 text: a date value would be worded as a day.)
    if start is not None and end is not None:
        said = Said("verification.check.validity.within", start=start.isoformat(),
                    end=end.isoformat())
    elif start is not None:
        said = Said("verification.check.validity.within_from", start=start.isoformat())
    elif end is not None:
        said = Said("verification.check.validity.within_until", end=end.isoformat())
    else:
        said = Said("verification.check.validity.unbounded")
    return passed("validity", said, **shown)
