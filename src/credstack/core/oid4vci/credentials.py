"""A stored credential bound to the wallet's key, in the shape of each format.

The credential a wallet receives is the one the organisation issued — same ``id``, issuer,
achievement, validity and status entries, so that revoking it revokes every copy — with the
wallet's DID as ``credentialSubject.id`` (OID4VCI 1.0 §8.1, cryptographic key binding); it is
then secured anew for the requested format:

* ``ldp_vc``: the credential, for a Data Integrity proof (the caller signs it);
* ``jwt_vc_json``: :func:`jwt_vc_claims`, the VC Data Model 1.1 "JWT" shape Open Badges 3.0
  §8.2 uses: ``iss``, ``sub`` (the holder), ``jti``, ``nbf``/``exp`` from the validity, the
  credential in ``vc``;
* ``dc+sd-jwt``: :func:`sd_jwt_claims`, the credential with ``iss``, ``iat``, ``vct`` and
  ``cnf.jwk`` (the holder key, for key binding), the learner's identifiers and results made
  selectively disclosable (:func:`disclosable_paths`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from credstack.core.credentials import securing as securing_forms
from credstack.errors import ExchangeProtocolError

from .metadata import VCT

__all__ = ["bound_credential", "disclosable_paths", "jwt_vc_claims", "sd_jwt_claims",
           "unsecured"]


def unsecured(document: str, securing: str) -> dict[str, Any]:
    """The credential a stored document secures, without its proof (``securing``: how it was
    stored: a cryptosuite, ``vc-jwt``, ``vc+sd-jwt`` or ``vc+cose``)."""
    claims = securing_forms.claims(document, securing)
    found = claims.get("vc", claims) if isinstance(claims, dict) else None
    if not isinstance(found, dict):
        raise ExchangeProtocolError(error="credential_request_denied",
                                    code="oid4vci.refused.stored.unreadable")
    return {name: value for name, value in found.items() if name != "proof"}


def bound_credential(credential: Mapping[str, Any], holder: str) -> dict[str, Any]:
    """``credential`` with ``holder`` (a DID) as its subject's ``id`` (a new top-level object
    and subject; what they hold is shared, not copied: nothing below is changed)."""
    bound = dict(credential)
    subject = bound.get("credentialSubject")
    if not isinstance(subject, dict):
        raise ExchangeProtocolError(error="credential_request_denied",
                                    code="oid4vci.refused.stored.no_subject")
    bound["credentialSubject"] = {"id": holder, **{name: value for name, value in subject.items()
                                                   if name != "id"}}
    return bound


def _issuer_id(credential: Mapping[str, Any]) -> str:
    issuer = credential.get("issuer")
    found = issuer.get("id") if isinstance(issuer, Mapping) else issuer
    return str(found)


def _epoch(value: object) -> int | None:
    if not isinstance(value, str):
        return None
    try:
        return int(dt.datetime.fromisoformat(value.replace("Z", "+00:00")).timestamp())
    except ValueError:
        return None


def jwt_vc_claims(credential: Mapping[str, Any], *, now: dt.datetime) -> dict[str, Any]:
    """The claims of a ``jwt_vc_json`` credential (see the module)."""
    subject = credential.get("credentialSubject")
    claims: dict[str, Any] = {"iss": _issuer_id(credential), "jti": credential.get("id"),
                              "sub": subject.get("id") if isinstance(subject, Mapping) else None,
                              "iat": int(now.timestamp())}
    valid_from = _epoch(credential.get("validFrom"))
    valid_until = _epoch(credential.get("validUntil"))
    if valid_from is not None:
        claims["nbf"] = valid_from
    if valid_until is not None:
        claims["exp"] = valid_until
    claims["vc"] = dict(credential)
    return {name: value for name, value in claims.items() if value is not None}


def sd_jwt_claims(credential: Mapping[str, Any], *, holder_jwk: Mapping[str, str],
                  now: dt.datetime) -> dict[str, Any]:
    """The payload of a ``dc+sd-jwt`` credential before its disclosures (see the module)."""
    return {**credential, "iss": _issuer_id(credential), "iat": int(now.timestamp()),
            "vct": VCT, "cnf": {"jwk": dict(holder_jwk)}}


def disclosable_paths(credential: Mapping[str, Any]) -> tuple[str, ...]:
    """What the holder may keep back: each of the learner's identifiers and results."""
    subject = credential.get("credentialSubject")
    if not isinstance(subject, Mapping):
        return ()
    paths = []
    for member in ("identifier", "result"):
        found = subject.get(member)
        if isinstance(found, list):
            paths += [f"credentialSubject.{member}[{index}]" for index in range(len(found))]
    return tuple(paths)
