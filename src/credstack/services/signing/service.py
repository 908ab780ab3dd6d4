"""A credential or presentation secured with a developer's own key, as DIDKit's and walt.id's
command lines sign: no store, no status list, nothing recorded — the document as given,
secured with the mechanism asked for (:mod:`credstack.core.credentials.securing`): a Data
Integrity proof, a VC-JWT (a VC 1.1 credential as VC Data Model 1.1's JWT), an SD-JWT whose
subject's members are selectively disclosable, or a ``COSE_Sign1``.

A Verifiable Presentation is secured as its holder secures it: a Data Integrity proof for
``authentication``, or *Securing Verifiable Credentials using JOSE and COSE*'s presentation
forms — ``vp+jwt`` (§3.1.2), ``vp+sd-jwt`` (§3.2.2, nothing made disclosable unless asked)
and ``application/vp+cose`` (§3.3.2)."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping, Sequence
from typing import Any, Final

import orjson

from credstack.adapters.resolvers.contexts import shared_document_loader
from credstack.core.credentials import securing as securing_forms
from credstack.core.crypto import KeyPair
from credstack.core.proofs import data_integrity
from credstack.core.proofs.cryptosuites import sd_jwt, vc_cose, vc_jwt
from credstack.core.verification import formats
from credstack.errors import InputError, Problem

__all__ = ["SIGNABLE", "sign_document"]

#: What ``credstack sign --format`` accepts: the VC-API's format names and the stored ones.
SIGNABLE: Final = tuple(dict.fromkeys([*securing_forms.FORMATS, *securing_forms.SECURINGS]))
#: The ``typ`` of each of a presentation's JOSE forms.
_VP_JWT: Final = "vp+jwt"
_VP_SD_JWT: Final = "vp+sd-jwt"
#: The subject's members an SD-JWT always discloses.
_SUBJECT_KEPT: Final = frozenset({"id", "type"})


def sign_document(document: bytes, *, key: KeyPair, kid: str, securing: str,
                  now: dt.datetime, disclosable: Sequence[str] | None = None) -> bytes:
    """``document`` (a credential's JSON) secured with ``key`` as the method ``kid``: JSON
    text with the proof, a compact JWS or SD-JWT, or the ``COSE_Sign1`` bytes. ``disclosable``:
    an SD-JWT's selectively disclosable members (default: the subject's but id and type)."""
    credential = _credential(document)
    if securing not in SIGNABLE:
        raise InputError(code="sign.format.unknown", params={"formats": ", ".join(SIGNABLE)},
                         problems=[Problem("format", code="sign.format.unknown",
                                           params={"formats": ", ".join(SIGNABLE)})])
    chosen = securing_forms.FORMATS.get(securing, securing) or "eddsa-rdfc-2022"
    if formats.is_presentation(credential):
        return _presentation(credential, key=key, kid=kid, securing=chosen, now=now,
                             disclosable=disclosable or ())
    if chosen == "vc-jwt":
        if securing_forms.is_vc_v1(credential):
            return vc_jwt.sign_claims(vc_jwt.claims_from_credential(credential, now=now),
                                      key=key, kid=kid, typ=vc_jwt.V1_TYPE).encode("ascii")
        return vc_jwt.sign(credential, key=key, kid=kid).encode("ascii")
    if chosen == "vc+sd-jwt":
        return sd_jwt.issue(credential, key=key, kid=kid, disclosable=(
            disclosable if disclosable is not None else _subject_members(credential))
        ).encode("ascii")
    if chosen == "vc+cose":
        return vc_cose.sign(credential, key=key, kid=kid)
    signed = data_integrity.sign(credential, key=key, verification_method=kid,
                                 cryptosuite=chosen, created=now,
                                 document_loader=shared_document_loader())
    return orjson.dumps(signed, option=orjson.OPT_INDENT_2)



def _presentation(presentation: dict[str, Any], *, key: KeyPair, kid: str, securing: str,
                  now: dt.datetime, disclosable: Sequence[str]) -> bytes:
    if securing == "vc-jwt":
        return vc_jwt.sign_claims(presentation, key=key, kid=kid, typ=_VP_JWT).encode("ascii")
    if securing == "vc+sd-jwt":
        return sd_jwt.issue(presentation, key=key, kid=kid, disclosable=disclosable,
                            typ=_VP_SD_JWT).encode("ascii")
    if securing == "vc+cose":
        return vc_cose.sign(presentation, key=key, kid=kid, presentation=True)
    signed = data_integrity.sign(presentation, key=key, verification_method=kid,
                                 cryptosuite=securing, created=now,
                                 document_loader=shared_document_loader(),
                                 proof_purpose="authentication")
    return orjson.dumps(signed, option=orjson.OPT_INDENT_2)


def _credential(document: bytes) -> dict[str, Any]:
    try:
        value = json.loads(document)
    except (ValueError, UnicodeDecodeError, RecursionError):
        value = None
    if not isinstance(value, dict):
        raise InputError(code="sign.document.not_json",
                         problems=[Problem("credential", code="sign.document.not_json")])
    return value


def _subject_members(credential: Mapping[str, Any]) -> list[str]:
    subject = credential.get("credentialSubject")
    if not isinstance(subject, Mapping):
        return []
    return [f"credentialSubject.{name}" for name in subject
            if name not in _SUBJECT_KEPT and "." not in name and "[" not in name]
