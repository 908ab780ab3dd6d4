"""The parse step: JSON, a VC-JWT, an SD-JWT, a COSE_Sign1 or an enveloped credential, within
the limits. What it says is said as message keys (``verification.check.parse.…``); the
runner words them (a message whose Japanese and English fill in different values is still
said in words here)."""

from __future__ import annotations

import base64
import binascii
import re
from typing import Any, Final

from credstack.core.proofs.cryptosuites import sd_jwt, vc_cose
from credstack.core.proofs.cryptosuites.vc_jwt import credential_from_claims
from credstack.core.said import Said, said_of
from credstack.core.verification import json_values
from credstack.core.verification.checks import Refusal, passed, problem_dicts, refused
from credstack.core.verification.data_model import envelope_problems
from credstack.core.verification.pipeline.seams import (
    ENVELOPED_TYPE,
    JWT_DATA_URL,
    JWT_DATA_URLS,
    SD_JWT_DATA_URLS,
    VerificationState,
)
from credstack.core.verification.reading import loads, not_an_object, text_of, too_large
from credstack.core.verification.report import Check, Notice
from credstack.errors import MalformedCredentialError, Problem

__all__ = ["check_parse"]

#: A compact JWS: three base64url parts (the signature may be empty: ``alg: none``).
#: The ``typ`` of SD-JWT credentials issued before the media types were settled (walt.id's
#: W3C SD-JWT credentials): read, with a conformance notice, when the claims are a W3C
#: credential (an ``@context``); VC-JOSE-COSE §3.2.1 asks for ``vc+sd-jwt``.
LEGACY_SD_JWT_TYPE: Final = "JWT"
_JWS = re.compile(r"[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*")


def _header_type(token: str) -> object:
    """The ``typ`` of a compact JWS's header (``None`` when there is none or no header)."""
    try:
        header = json_values.jws_part(token.partition(".")[0], "header")
    except Refusal:
        return None
    return header.get("typ") if isinstance(header, dict) else None


def _read_token(token: str, state: VerificationState) -> None:
    header_part, payload_part, _ = token.split(".")
    header = json_values.jws_part(header_part, "header")
    claims = json_values.jws_part(payload_part, "payload")
    if not isinstance(header, dict) or not isinstance(claims, dict):
        raise Refusal("not-a-jwt", Said("verification.check.parse.jws_not_objects"))
    if "vc" in claims:
        try:
            credential, form = credential_from_claims(claims), "vc-jwt-1.1"
        except MalformedCredentialError as exc:
            raise Refusal("not-a-credential",
                          Said("verification.check.parse.vc_claim_unreadable",
                               why=said_of(exc)),
                          problems=problem_dicts(exc.problems)) from None
    elif "@context" in claims:
        credential, form = claims, "vc+jwt"
    else:
        raise Refusal("not-a-credential", Said(
            "verification.check.parse.jwt_holds_presentation" if "vp" in claims
            else "verification.check.parse.jwt_holds_nothing"))
    if not isinstance(credential, dict):
        raise Refusal("not-a-credential", Said("verification.check.parse.vc_claim_not_object"))
    state.token, state.format = token, form
    state.jwt_header, state.jwt_claims, state.credential = header, claims, credential


def _read_sd_jwt(text: str, state: VerificationState) -> None:
    """An SD-JWT: split, its disclosures put in (their problems are the proof step's), and
    the claims a W3C credential."""
    try:
        token = sd_jwt.parse(text)
    except MalformedCredentialError as exc:
        raise Refusal("not-an-sd-jwt", Said("verification.check.parse.sd_jwt_unreadable",
                                            why=said_of(exc))) from None
    typ = token.header.get("typ")
    if typ is not None and typ not in sd_jwt.TYPES and typ != LEGACY_SD_JWT_TYPE:
        raise Refusal("not-a-credential",
                      Said("verification.check.parse.sd_jwt_type", typ=repr(typ)), typ=typ)
    disclosed = sd_jwt.disclose(token)
    claims = disclosed.claims
    if "@context" not in claims:
        said = (Said("verification.check.parse.sd_jwt_ietf_vc", vct=repr(claims["vct"]))
                if "vct" in claims else Said("verification.check.parse.sd_jwt_no_context"))
        raise Refusal("not-a-credential", said, vct=claims.get("vct"))
    state.format = "dc+sd-jwt" if isinstance(typ, str) and "dc+sd-jwt" in typ else "vc+sd-jwt"
    state.sd_jwt, state.disclosed = token, disclosed
    state.jwt_header, state.jwt_claims, state.credential = token.header, claims, claims


def _read_cose(data: bytes, state: VerificationState) -> None:
    """A ``COSE_Sign1`` (VC-JOSE-COSE §3.3.1): split, its payload the credential."""
    try:
        message = vc_cose.parse(data)
        credential = message.credential()
    except MalformedCredentialError as exc:
        raise Refusal("not-a-credential", Said("verification.check.parse.cose_unreadable",
                                               why=said_of(exc))) from None
    state.cose, state.format, state.credential = message, "vc+cose", credential


def _read_cose_url(identifier: str, state: VerificationState) -> None:
    try:
        data = base64.b64decode(identifier[len(vc_cose.DATA_URL):], validate=True)
    except (binascii.Error, ValueError):
        raise Refusal("not-a-credential",
                      Said("verification.check.parse.data_url_not_base64")) from None
    _read_cose(data, state)


def _read_object(value: Any, state: VerificationState) -> None:
    if not isinstance(value, dict):
        raise not_an_object(value, state.subject)
    if ENVELOPED_TYPE in (json_values.types(value.get("type")) or ()):
        broken: list[Problem] = []
        envelope_problems(value, broken)
        if broken:
            first = broken[0]
            raise Refusal("envelope-context", Said(
                "verification.check.parse.envelope_broken", location=first.location,
                what=Said(first.code, **first.params)), problems=problem_dicts(broken))
        identifier = value.get("id")
        if isinstance(identifier, str) and identifier.startswith(SD_JWT_DATA_URLS):
            _read_sd_jwt(identifier.partition(",")[2], state)
            return
        if isinstance(identifier, str) and identifier.startswith(vc_cose.DATA_URL):
            _read_cose_url(identifier, state)
            return
        if not isinstance(identifier, str) or not identifier.startswith(JWT_DATA_URLS):
            raise Refusal("unsupported-envelope", Said(
                "verification.check.parse.envelope_unsupported", jwt=JWT_DATA_URL,
                sd_jwt=SD_JWT_DATA_URLS[0], cose=vc_cose.DATA_URL))
        token = identifier.partition(",")[2]
        if not _JWS.fullmatch(token):
            raise Refusal("not-a-jwt", Said("verification.check.parse.data_url_not_jws"))
        _read_token(token, state)
        return
    state.credential, state.format = value, "json-ld"


def _read(raw: object, state: VerificationState) -> int:
    """Read the input into ``state``; return its size in bytes.

    A credential given as a JSON object is read from its JSON text too: a private copy, made
    of plain JSON types, so that no step can change the caller's object and every step sees
    exactly what the bytes say.
    """
    if isinstance(raw, bytes | bytearray) and vc_cose.is_cose(bytes(raw)):
        if len(raw) > state.subject.limit:
            raise too_large(len(raw), state.subject.limit, state.subject.the)
        _read_cose(bytes(raw), state)
        return len(raw)
    text, size = text_of(raw, state.subject)
    if not text:
        raise Refusal("empty", Said("verification.read.empty", subject=state.subject.said))
    if text.startswith(("{", "[")):
        _read_object(loads(text, state.subject), state)
    elif _JWS.fullmatch(text):
        if _header_type(text) in sd_jwt.TYPES:
            # An SD-JWT that discloses nothing, written without its trailing "~".
            _read_sd_jwt(f"{text}~", state)
        else:
            _read_token(text, state)
    elif sd_jwt.is_sd_jwt(text):
        _read_sd_jwt(text, state)
    else:
        raise Refusal("not-json", Said("verification.check.parse.unknown_form"))
    return size


def check_parse(state: VerificationState) -> Check:
    """``parse``: a JSON object (or a VC-JWT) under the size and depth limits, no repeated key."""
    try:
        size = _read(state.input, state)
    except Refusal as refusal:
        return refused("parse", refusal)
    warnings: list[Notice] = []
    if state.sd_jwt is not None and state.sd_jwt.header.get("typ") == LEGACY_SD_JWT_TYPE:
        warnings.append(Notice("legacy-sd-jwt-type", said=Said(
            "verification.check.parse.sd_jwt_legacy_type", typ=LEGACY_SD_JWT_TYPE)))
    return passed("parse", Said("verification.check.parse.read", size=size, format=state.format),
                  warnings=warnings, format=state.format, bytes=size)
