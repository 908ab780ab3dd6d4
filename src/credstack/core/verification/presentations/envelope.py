"""Presentations secured as a JWT, an SD-JWT or a COSE_Sign1: an
``EnvelopedVerifiablePresentation`` or the bare secured form.

* *Verifiable Credentials Data Model v2.0* — W3C Recommendation, 15 May 2025 —
  https://www.w3.org/TR/vc-data-model-2.0/ — §4.13.2 "Enveloped Verifiable Presentations":
  an object whose ``@context`` holds the base context, whose ``type`` is
  ``EnvelopedVerifiablePresentation`` and whose ``id`` is a ``data:`` URL holding the secured
  presentation.
* *Securing Verifiable Credentials using JOSE and COSE* — W3C Recommendation, 15 May 2025 —
  https://www.w3.org/TR/vc-jose-cose/ — §3.1.2 "Securing JSON-LD Verifiable Presentations
  with JOSE": the compact JWS (``typ: vp+jwt``, media type ``application/vp+jwt``) whose
  payload *is* the presentation; ``kid`` names the holder's verification method.
* *Verifiable Credentials Data Model v1.1* — W3C Recommendation, 3 March 2022 —
  https://www.w3.org/TR/vc-data-model-1.1/ — §6.3.1 "JSON Web Token": a VP-JWT carries the
  presentation in its ``vp`` claim; ``iss`` is the holder and ``jti`` the presentation's
  ``id``; ``nonce`` and ``aud`` are what a Data Integrity proof calls ``challenge`` and
  ``domain``, and are compared with the verifier's the same way.

  §3.2.2 and §3.3.2: the same presentation as an SD-JWT (``typ: vp+sd-jwt``, media type
  ``application/vp+sd-jwt``; what it discloses is the presentation) and as a ``COSE_Sign1``
  (``typ`` ``application/vp+cose``, enveloped as ``data:application/vp+cose;base64,``); the
  holder's key, named by ``kid``, signs each.

Both JWT payload shapes are read, under ``data:application/vp+jwt,`` and the generic
``data:application/jwt,`` that the W3C test suite writes. :func:`read_presentation_jwt` reads
(nothing verified); :func:`check_jwt_proof` verifies the JWS with the key its ``kid`` names
(:func:`~credstack.core.proofs.cryptosuites.vc_jwt.verify_signature`: the same algorithms as
a VC-JWT, never ``alg: none``) and records who signed, so that the ``challenge``, ``domain``
and ``holder`` steps read a JWT as they read a proof.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
from collections.abc import Mapping
from typing import Any, Final

from credstack.core.proofs.cryptosuites import sd_jwt, vc_cose
from credstack.core.proofs.cryptosuites.vc_jwt import verify_signature
from credstack.core.said import Said, placed, said_of
from credstack.core.verification import json_values
from credstack.core.verification.checks import Refusal, failed, passed, refused
from credstack.core.verification.presentations.seams import PresentationState, holder_id
from credstack.core.verification.proofs import (
    Signer,
    attempt,
    public_key,
    qualified_method,
    resolve,
    unsecured,
)
from credstack.core.verification.reading import loads
from credstack.core.verification.report import Check
from credstack.errors import CredstackError

__all__ = ["VP_DATA_URLS", "check_jwt_proof", "read_envelope", "read_presentation_cose",
           "read_presentation_jwt", "read_presentation_sd_jwt"]

_SD_JWT_URL: Final = "data:application/vp+sd-jwt,"
#: The data URLs an enveloped presentation's ``id`` may be: VC-JOSE-COSE's media types, and
#: the generic JWT one.
VP_DATA_URLS: Final = ("data:application/vp+jwt,", "data:application/jwt,", _SD_JWT_URL,
                       vc_cose.VP_DATA_URL)
#: ``typ`` values of a presentation secured as an SD-JWT and as a COSE_Sign1 (the latter's
#: content type too; none at all for either).
_SD_JWT_TYPES: Final = ("vp+sd-jwt", "application/vp+sd-jwt", None)
_COSE_TYPES: Final = (vc_cose.VP_MEDIA_TYPE, "vp+cose", "application/vp", None)
#: ``typ`` values read as a presentation (none at all too).
_TYPES: Final = ("vp+jwt", "application/vp+jwt", "JWT", None)
_BASE_CONTEXT: Final = "https://www.w3.org/ns/credentials/v2"
#: VC Data Model 1.1 §6.3.1: the registered claims and the presentation members they are.
_CLAIMS: Final = (("iss", "holder"), ("jti", "id"))
#: The prefix of what this module says (``verification.check.vp_jwt.…``).
_SAID: Final = "verification.check.vp_jwt."


def read_envelope(envelope: Mapping[str, Any], state: PresentationState) -> dict[str, Any]:
    """The presentation an ``EnvelopedVerifiablePresentation`` holds (§4.13.2's MUSTs)."""
    contexts = envelope.get("@context")
    listed = contexts if isinstance(contexts, list) else [contexts]
    if not listed or listed[0] != _BASE_CONTEXT:
        raise Refusal("unsupported-envelope", Said(f"{_SAID}envelope_context",
                                                   context=_BASE_CONTEXT))
    identifier = envelope.get("id")
    if not isinstance(identifier, str) or not identifier.startswith(VP_DATA_URLS):
        raise Refusal("unsupported-envelope", Said(f"{_SAID}envelope_id",
                                                   prefix=VP_DATA_URLS[0]))
    carried = identifier.partition(",")[2]
    if identifier.startswith(vc_cose.VP_DATA_URL):
        try:
            data = base64.b64decode(carried, validate=True)
        except (binascii.Error, ValueError):
            raise Refusal("unsupported-envelope", Said(f"{_SAID}envelope_base64")) from None
        return read_presentation_cose(data, state)
    if identifier.startswith(_SD_JWT_URL):
        return read_presentation_sd_jwt(carried, state)
    return read_presentation_jwt(carried, state)


def read_presentation_sd_jwt(text: str, state: PresentationState) -> dict[str, Any]:
    """The presentation an SD-JWT discloses; its issuer-signed JWT, that JWT's header and
    payload are kept in ``state`` (the JWT is what the holder's key signed)."""
    try:
        secured = sd_jwt.parse(text)
    except CredstackError as exc:
        raise Refusal("not-a-jwt", Said(f"{_SAID}unreadable", form="SD-JWT",
                                        why=said_of(exc))) from None
    if secured.header.get("typ") not in _SD_JWT_TYPES:
        raise Refusal("not-a-presentation", Said(
            f"{_SAID}typ_of", form="SD-JWT", typ=repr(secured.header.get("typ")),
            expected="vp+sd-jwt"))
    disclosed = sd_jwt.disclose(secured)
    if disclosed.problems:
        raise Refusal("not-a-presentation", Said(
            f"{_SAID}disclosure", why=placed(disclosed.problems[0])))
    if "@context" not in disclosed.claims:
        raise Refusal("not-a-presentation", Said(f"{_SAID}no_presentation"))
    state.token, state.jwt_header, state.jwt_claims = secured.jwt, secured.header, secured.payload
    state.secured = "vp-sd-jwt"
    return disclosed.claims


def read_presentation_cose(data: bytes, state: PresentationState) -> dict[str, Any]:
    """The presentation a ``COSE_Sign1`` carries; the message is kept in ``state``, with its
    algorithm and ``kid`` as a JWS header names them."""
    try:
        message = vc_cose.parse(data)
    except CredstackError as exc:
        raise Refusal("not-a-jwt", Said(f"{_SAID}unreadable", form="COSE_Sign1",
                                        why=said_of(exc))) from None
    if message.kind not in _COSE_TYPES:
        raise Refusal("not-a-presentation", Said(
            f"{_SAID}typ_of", form="COSE_Sign1", typ=repr(message.kind),
            expected=vc_cose.VP_MEDIA_TYPE))
    presentation = loads(message.payload, state.subject)
    if not isinstance(presentation, dict) or "@context" not in presentation:
        raise Refusal("not-a-presentation", Said(f"{_SAID}no_presentation"))
    # The payload is the presentation, as a vp+jwt's is: its nonce and aud (when it has
    # them) answer the challenge and the domain.
    state.cose, state.secured, state.jwt_claims = message, "vp-cose", presentation
    state.jwt_header = {"alg": message.algorithm_name or repr(message.algorithm),
                        "kid": message.kid}
    return presentation


def read_presentation_jwt(token: str, state: PresentationState) -> dict[str, Any]:
    """The presentation a compact JWS carries (its payload, or its ``vp`` claim decoded as
    VC Data Model 1.1 §6.3.1 says); the token, header and claims are kept in ``state``."""
    parts = token.split(".")
    if len(parts) != 3 or not all(parts[:2]):
        raise Refusal("not-a-jwt", Said(f"{_SAID}not_jws"))
    header = json_values.jws_part(parts[0], "header")
    claims = json_values.jws_part(parts[1], "payload")
    if not isinstance(header, dict) or not isinstance(claims, dict):
        raise Refusal("not-a-jwt", Said(f"{_SAID}not_objects"))
    if header.get("typ") not in _TYPES:
        raise Refusal("not-a-presentation",
                      Said(f"{_SAID}typ", typ=repr(header.get("typ"))))
    if "vp" in claims:
        presentation = _decoded(claims)
    elif "@context" in claims and "vc" not in claims:
        presentation = claims
    else:
        raise Refusal("not-a-presentation", Said(f"{_SAID}no_presentation"))
    state.token, state.jwt_header, state.jwt_claims = token, header, claims
    state.secured = "vp-jwt"
    return presentation


def _decoded(claims: Mapping[str, Any]) -> dict[str, Any]:
    source = claims["vp"]
    if not isinstance(source, dict):
        raise Refusal("not-a-presentation", Said(f"{_SAID}vp_not_object"))
    presentation = dict(source)
    for claim, member in _CLAIMS:
        if claim not in claims:
            continue
        found = presentation.get(member)
        if isinstance(found, Mapping):
            found = found.get("id")
        if found is not None and found != claims[claim]:
            raise Refusal("not-a-presentation",
                          Said(f"{_SAID}claim_disagrees", claim=claim,
                               value=repr(claims[claim]), member=member, found=repr(found)))
        if found is None:
            presentation[member] = claims[claim]
    return presentation


def _expired(claims: Mapping[str, Any], now: dt.datetime) -> Check | None:
    """The failed proof check of a JWT outside its ``nbf``–``exp`` window (``None``: inside)."""
    for claim, late in (("exp", True), ("nbf", False)):
        seconds = claims.get(claim)
        if seconds is None:
            continue
        if isinstance(seconds, bool) or not isinstance(seconds, int | float):
            return failed("proof", "malformed-proof", Said(f"{_SAID}not_a_number", claim=claim))
        moment = dt.datetime.fromtimestamp(0, dt.UTC) + dt.timedelta(seconds=seconds)
        if (now >= moment) if late else (now < moment):
            return failed(
                "proof", "presentation-expired" if late else "presentation-not-yet-valid",
                Said(f"{_SAID}valid_until" if late else f"{_SAID}valid_from", claim=claim,
                     moment=moment.isoformat()), claim=claim)
    return None


def check_jwt_proof(state: PresentationState) -> Check:
    """``proof`` of a presentation secured as a JWT, an SD-JWT or a COSE_Sign1: its
    signature, by the key its ``kid`` names, within its ``nbf``/``exp``; ``nonce`` and
    ``aud`` stand as the proof's challenge and domain."""
    token, header, message = state.token, state.jwt_header, state.cose
    assert token is not None or message is not None
    alg, kid = header.get("alg"), header.get("kid")
    unsigned = unsecured(header)
    if unsigned is not None:
        return unsigned
    if not isinstance(kid, str):
        return failed("proof", "unresolvable-method",
                      Said("verification.check.proof.jws_no_kid_holder"))
    # A bare kid or a fragment names a key of the DID or HTTPS holder that issued the token
    # (as a credential's names its issuer's: the same key gives the same verdict).
    issuer = state.jwt_claims.get("iss")
    if issuer is None and state.presentation is not None:
        issuer = holder_id(state.presentation)
    kid = qualified_method(kid, issuer)
    method = kid

    def verify() -> None:
        if message is not None:
            vc_cose.verify(message, public_key(state, method))
        else:
            assert token is not None
            verify_signature(token, resolve(state, method)[0])

    try:
        attempt(verify, state.subject)
    except Refusal as refusal:
        return refused("proof", refusal)
    outside = _expired(state.jwt_claims, state.now)
    if outside is not None:
        return outside
    signer = Signer(kid, state.methods[kid][1], f"{state.secured} {alg}")
    claims = state.jwt_claims
    bound = {name: claims[claim] for name, claim in (("challenge", "nonce"), ("domain", "aud"))
             if claims.get(claim) is not None}
    state.signed = ((bound, signer),)
    if state.secured == "vp-jwt":
        return passed("proof", Said(f"{_SAID}verifies", alg=str(alg), kid=kid),
                      proofs=[signer.to_dict()])
    return passed("proof", Said(f"{_SAID}verifies_as", alg=str(alg), kid=kid,
                                form="SD-JWT" if state.secured == "vp-sd-jwt" else "COSE_Sign1"),
                  proofs=[signer.to_dict()])
