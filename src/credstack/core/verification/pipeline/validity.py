"""The issuer and validity steps: who signed against who the credential names, and its validity
window."""

from __future__ import annotations

import datetime as dt
from typing import Any

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
        return failed("issuer", "no-issuer", "the credential names no issuer",
                      "発行者が記載されていません")
    if state.signers is None:
        return not_checked("issuer", "the proof did not verify, so nobody is known to have "
                           "signed", "署名が確認できないため、署名者が不明です")
    controllers = [signer.controller for signer in state.signers]
    if issuer not in controllers:
        signed_by = ", ".join(dict.fromkeys(controllers))
        return failed(
            "issuer", "issuer-mismatch",
            f"the credential says it was issued by {issuer}, but it was signed with a key of "
            f"{signed_by}",
            f"発行者は {issuer} と記載されていますが、{signed_by} の鍵で署名されています",
            issuer=issuer, signers=[signer.to_dict() for signer in state.signers])
    others = [signer for signer in state.signers if signer.controller != issuer]
    notices = [Notice("co-signer", f"also signed by {signer.controller}",
                      f"{signer.controller} も署名しています") for signer in others]
    return passed("issuer", f"signed by the issuer, {issuer}",
                  f"発行者 {issuer} 自身が署名しています", warnings=notices, issuer=issuer)


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
                              f"the JWT claim {claim} is not a NumericDate",
                              f"JWT の {claim} が日時（NumericDate）ではありません", field=claim)
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
                      f"not yet valid: the credential is valid from {start.isoformat()}",
                      f"まだ有効ではありません（有効期間の開始は {start.isoformat()}）",
                      **shown)
    if end is not None and now > end:
        return failed("validity", "expired",
                      f"expired: the credential was valid until {end.isoformat()}",
                      f"有効期限が切れています（{end.isoformat()} まで有効でした）", **shown)
    if start is None and end is None:
        return passed("validity", "no validity period is stated",
                      "有効期間の記載はありません", **shown)
    period_en = (f"from {start.isoformat()}" if start else "") + (
        f" until {end.isoformat()}" if end else "")
    period_ja = (f"{start.isoformat()} から" if start else "") + (
        f"{end.isoformat()} まで" if end else "")
    # Said of the dates alone: a revoked credential is inside its validity period too, and
    # a row reading "valid now" beside "revoked" would contradict the verdict.
    return passed("validity", f"within its validity period ({period_en.strip()})",
                  f"有効期間内です（{period_ja}）", **shown)
