"""Checking one presentation of an OID4VP answer, whatever its format, through the one
verifier (:mod:`credstack.services.verification.service`).

* ``ldp_vc``: a Verifiable Presentation with a Data Integrity proof whose ``challenge`` is the
  request's nonce and ``domain`` its client id (:func:`~credstack.services.verification
  .service.verify_presentation`, which verifies every credential inside);
* ``dc+sd-jwt``: an SD-JWT with a key binding JWT, the SD-JWT verified, the key binding's
  ``nonce`` and ``aud`` compared;
* ``jwt_vc_json``: a VP JWT signed by the holder (``did:key`` / ``did:jwk`` in ``kid``) with
  ``nonce`` and ``aud``, its credential (``vp.verifiableCredential``) verified.

:func:`check` answers a :class:`Checked`: whether it verified, and if not, whether something
is proven wrong (``not-verified``) or something the verifier needed was out of reach
(``could-not-be-checked``: the issuer's key or a status list), the credential's claims (as
disclosed) to match against the DCQL query, and a summary for the verifier's report. It never
raises for what the wallet sent.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from credstack.core.dids import did_jwk, did_key
from credstack.core.proofs.cryptosuites import sd_jwt, vc_jwt
from credstack.core.verification.presentations.report import PresentationReport
from credstack.core.verification.report import Decision, VerificationReport
from credstack.errors import CredstackError
from credstack.services import verification as verifier
from credstack.words import error_words

__all__ = ["Checked", "check"]


@dataclass(frozen=True, slots=True)
class Checked:
    ok: bool
    #: The credential's claims, as disclosed (empty when they cannot be read).
    claims: dict[str, Any]
    summary: dict[str, Any] = field(default_factory=dict)
    #: ``verified``, ``not-verified`` or ``could-not-be-checked`` (:class:`~credstack.core
    #: .verification.report.Decision`).
    outcome: str = Decision.NOT_VERIFIED.value
    #: The credential's issuer and achievement as verification read them, for the trust
    #: check of the issuer (``None`` when the credential could not be read, or its issuer did
    #: not sign it as it reads: then it only claims that issuer, and no listing vouches).
    issuer: str | None = None
    achievement: str | None = None


def _failure(reason: str) -> Checked:
    return Checked(False, {}, {"ok": False, "outcome": Decision.NOT_VERIFIED.value,
                               "reason": reason[:300]})


def _reported(report: VerificationReport | PresentationReport, claims: dict[str, Any],
              **more: Any) -> Checked:
    """What the one verifier decided of a presentation's credential."""
    outcome = report.decision.value
    credential = report.credentials[0] if isinstance(report, PresentationReport) \
        and len(report.credentials) == 1 else report
    meaning = credential.meaning if isinstance(credential, VerificationReport) \
        and credential.attested else None
    return Checked(report.ok, claims, {"ok": report.ok, "outcome": outcome, **more,
                                       "report": report.to_dict()}, outcome,
                   meaning.issuer_id if meaning else None,
                   meaning.achievement_id if meaning else None)


def _ldp(presentation: Any, *, nonce: str, client_id: str, now: dt.datetime,
         sources: verifier.VerificationSources) -> Checked:
    if not isinstance(presentation, Mapping):
        return _failure("an ldp_vc presentation is a JSON object")
    report = verifier.verify_presentation(presentation, challenge=nonce, domain=client_id,
                                          checks=None, now=now, sources=sources)
    inner = presentation.get("verifiableCredential")
    first = inner[0] if isinstance(inner, list) and inner else inner
    claims = dict(first) if isinstance(first, Mapping) else {}
    return _reported(report, claims)


def _sd_jwt(presentation: Any, *, nonce: str, client_id: str, now: dt.datetime,
            sources: verifier.VerificationSources) -> Checked:
    if not isinstance(presentation, str):
        return _failure("a dc+sd-jwt presentation is a string")
    try:
        parsed = sd_jwt.parse(presentation)
        binding = sd_jwt.verify_key_binding(parsed)
    except CredstackError as error:
        return _failure(f"key binding: {error_words(error, 'en')}")
    if binding.get("nonce") != nonce or binding.get("aud") != client_id:
        return _failure("the key binding JWT is for another request (nonce or aud)")
    report = verifier.verify(presentation, now=now, sources=sources)
    claims = sd_jwt.disclose(parsed).claims
    return _reported(report, claims)


def _holder_key(kid: object) -> Any:
    if isinstance(kid, str) and kid.startswith(did_key.PREFIX):
        return did_key.resolve_public_key(kid)
    if isinstance(kid, str) and kid.startswith(did_jwk.PREFIX):
        return did_jwk.resolve_public_key(kid)
    raise ValueError("the VP JWT's kid must be a did:key or did:jwk DID URL")


def _jwt_vp(presentation: Any, *, nonce: str, client_id: str, now: dt.datetime,
            sources: verifier.VerificationSources) -> Checked:
    if not isinstance(presentation, str):
        return _failure("a jwt_vc_json presentation is a VP JWT (a string)")
    try:
        header = vc_jwt.read_header(presentation)
        _, payload = vc_jwt.verify_signature(presentation, _holder_key(header.get("kid")))
        claims = json.loads(payload)
    except (CredstackError, ValueError) as error:
        why = error_words(error, "en") if isinstance(error, CredstackError) else str(error)
        return _failure(f"the VP JWT does not verify: {why}")
    if claims.get("nonce") != nonce or claims.get("aud") != client_id:
        return _failure("the VP JWT is for another request (nonce or aud)")
    listed = (claims.get("vp") or {}).get("verifiableCredential") or []
    credential = listed[0] if isinstance(listed, list) and listed else None
    if not isinstance(credential, str):
        return _failure("the VP JWT holds no credential JWT")
    report = verifier.verify(credential, now=now, sources=sources)
    inner = json.loads(_payload(credential))
    document = inner.get("vc", inner) if isinstance(inner, dict) else {}
    subject = document.get("credentialSubject") if isinstance(document, dict) else None
    holder = str(header.get("kid")).partition("#")[0]
    bound = isinstance(subject, Mapping) and subject.get("id") == holder
    if not bound:
        return Checked(False, document if isinstance(document, dict) else {},
                       {"ok": False, "outcome": Decision.NOT_VERIFIED.value,
                        "holder_bound": False, "report": report.to_dict()})
    return _reported(report, document if isinstance(document, dict) else {},
                     holder_bound=True)


def _payload(token: str) -> str:
    part = token.split(".")[1]
    return base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)).decode("utf-8")


_BY_FORMAT = {"ldp_vc": _ldp, "dc+sd-jwt": _sd_jwt, "vc+sd-jwt": _sd_jwt,
              "jwt_vc_json": _jwt_vp}


def check(presentation: Any, *, format: str, nonce: str, client_id: str, now: dt.datetime,
          sources: verifier.VerificationSources) -> Checked:
    """Check one presentation of the format its Credential Query asked for (see the module)."""
    checker = _BY_FORMAT.get(format)
    if checker is None:
        return _failure(f"format {format} is not verified here")
    try:
        return checker(presentation, nonce=nonce, client_id=client_id, now=now,
                       sources=sources)
    except CredstackError as error:
        return _failure(error_words(error, "en"))
