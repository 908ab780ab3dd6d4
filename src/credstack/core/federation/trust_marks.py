"""Trust marks: what credstack's registry marks a recognised provider with, and their checks.

OpenID Federation 1.0, draft 48 — 1 February 2026 —
https://openid.net/specs/openid-federation-1_0.html — §7 (Trust Marks): a ``trust-mark+jwt``
with ``iss``, ``sub``, ``trust_mark_type``, ``iat`` and, here always when the recognition
ends, ``exp``; ``ref`` points to the decision people read. §7.4 says how one is validated.

Two kinds of mark, each a type URL under the anchor's entity identifier:

* ``<anchor>/federation/trust-marks/recognised-provider`` — the provider holds at least one
  current recognition decision;
* ``<anchor>/federation/trust-marks/programmes/<programme id>`` — the provider's programme
  is recognised, by the decision the mark names (``decision``).

Older clients (the ``@openid-federation/core`` 0.2 of the interoperability tests) read the
type from an ``id`` claim, as drafts before 41 named it: every mark carries both, and
:func:`validate` refuses one whose two disagree.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final, Literal

from credstack.core.federation import statements
from credstack.errors import TrustChainError

__all__ = [
    "MarkStanding",
    "TrustMarkClaims",
    "mark_entry",
    "programme_mark_type",
    "provider_mark_type",
    "standing",
    "validate",
]

_PROVIDER: Final = "recognised-provider"
_PROGRAMMES: Final = "programmes"

#: What the status endpoint answers (§8.4.2): ``active``, ``expired``, ``revoked``, ``invalid``.
MarkStanding = Literal["active", "expired", "revoked", "invalid"]


def _base(anchor: str) -> str:
    return f"{anchor.rstrip('/')}/federation/trust-marks"


def provider_mark_type(anchor: str) -> str:
    """The type of the mark "recognised provider" in the federation of ``anchor``."""
    return f"{_base(anchor)}/{_PROVIDER}"


def programme_mark_type(anchor: str, programme_id: int) -> str:
    """The type of the mark "programme ``programme_id`` is recognised"."""
    return f"{_base(anchor)}/{_PROGRAMMES}/{programme_id}"


def programme_of(anchor: str, mark_type: str) -> int | None:
    """The programme a programme mark type names; None for any other type."""
    prefix = f"{_base(anchor)}/{_PROGRAMMES}/"
    rest = mark_type[len(prefix) :] if mark_type.startswith(prefix) else ""
    return int(rest) if rest.isdecimal() and len(rest) <= 18 and rest[0] != "0" else None


def _seconds(moment: dt.datetime) -> int:
    return int(moment.timestamp())


@dataclass(frozen=True, slots=True)
class TrustMarkClaims:
    """A trust mark before it is signed."""

    issuer: str
    subject: str
    mark_type: str
    issued: dt.datetime
    expires: dt.datetime | None
    ref: str | None = None
    #: The recognition decision a programme mark stands on.
    decision: str | None = None
    #: Names in Japanese and English of what the mark says, for people.
    name: Mapping[str, str] | None = None

    def to_claims(self) -> dict[str, Any]:
        claims: dict[str, Any] = {
            "iss": self.issuer,
            "sub": self.subject,
            "trust_mark_type": self.mark_type,
            "id": self.mark_type,
            "iat": _seconds(self.issued),
        }
        if self.expires is not None:
            claims["exp"] = _seconds(self.expires)
        if self.ref:
            claims["ref"] = self.ref
        if self.decision:
            claims["decision"] = self.decision
        for language, text in (self.name or {}).items():
            if text:
                claims[f"name#{language}"] = text
        return claims


def mark_entry(token: str, mark_type: str) -> dict[str, str]:
    """An item of a ``trust_marks`` claim: the type (also as ``id``, for older clients)."""
    return {"trust_mark_type": mark_type, "id": mark_type, "trust_mark": token}


def validate(
    token: str,
    *,
    subject: str,
    issuer_jwks: Mapping[str, Any],
    now: dt.datetime,
    trusted_issuers: Mapping[str, list[str]] | None = None,
    anchor: str | None = None,
    verified: statements.VerifiedSignatures | None = None,
) -> statements.Statement:
    """The trust mark ``token`` about ``subject``, checked as §7.4 says.

    Refused (:class:`~credstack.errors.TrustChainError`) when it is of another type
    (``wrong-type``), about another entity (``trust-mark-subject``), not yet valid or
    expired, signed by a key ``issuer_jwks`` lacks or badly (``bad-signature``), or issued
    by an entity the anchor does not trust for its type (``trust-mark-issuer``). Whether it
    was withdrawn is the issuer's to say (:func:`standing`, the status endpoint).
    """
    mark = statements.read(token, typ=statements.TRUST_MARK)
    mark_type = mark.claims.get("trust_mark_type", mark.claims.get("id"))
    if not isinstance(mark_type, str) or mark.claims.get("id", mark_type) != mark_type:
        raise TrustChainError("The trust mark has no single trust_mark_type.", reason="malformed")
    if mark.sub != subject:
        raise TrustChainError(
            f"The trust mark {mark_type} is about {mark.sub}, not about {subject}.",
            reason="trust-mark-subject",
        )
    statements.check_times(mark, now, expiry_required=False)
    if trusted_issuers is not None and mark.iss != anchor:
        allowed = trusted_issuers.get(mark_type)
        if allowed is None or (allowed and mark.iss not in allowed):
            raise TrustChainError(
                f"{mark.iss} is not trusted to issue the trust mark {mark_type}.",
                reason="trust-mark-issuer",
            )
    statements.verify(mark, issuer_jwks, verified=verified)
    return mark


def standing(*, expires: dt.datetime | None, withdrawn: bool, now: dt.datetime) -> MarkStanding:
    """A mark's status now: revoked once its recognition is withdrawn, expired after."""
    if withdrawn:
        return "revoked"
    if expires is not None and expires <= now:
        return "expired"
    return "active"
