"""A demo credential and presentations of it secured in every form of *Securing Verifiable
Credentials using JOSE and COSE* (vc+jwt, vc+sd-jwt, vc+cose; vp+jwt, vp+sd-jwt, vp+cose),
signed as ``credstack sign`` signs (:func:`credstack.services.signing.service.sign_document`)
with an issuer's and a holder's keys made when the tests run (no key is kept anywhere).

A compact form (JWT, SD-JWT) is text to paste; a COSE_Sign1 is bytes, uploaded as a file or
pasted as the ``EnvelopedVerifiableCredential`` (or ``…Presentation``) whose ``data:`` URL
carries it (VC Data Model 2.0 §4.13).
"""

from __future__ import annotations

import base64
import datetime as dt
import json
from functools import cache
from typing import Any

from credstack.core.crypto import KeyPair, KeyType
from credstack.core.dids import did_key
from credstack.services.signing.service import sign_document
from tests.signed_credentials import hanako_badge, programme

VC2 = "https://www.w3.org/ns/credentials/v2"
SIGNED_AT = dt.datetime(2025, 4, 1, tzinfo=dt.UTC)
#: The members the issuer makes selectively disclosable in the SD-JWT.
DISCLOSABLE = ("name", "credentialSubject.identifier", "credentialSubject.achievement")


@cache
def issuer_key() -> KeyPair:
    return KeyPair.generate(KeyType.ED25519)


@cache
def holder_key() -> KeyPair:
    return KeyPair.generate(KeyType.ED25519)


def _method(key: KeyPair) -> str:
    return did_key.verification_method_id(key.public_key)


def unsigned() -> dict[str, Any]:
    """Hanako Yamada's credential for a demo programme, issued by the issuer's did:key."""
    issuer = did_key.did_from_public_key(issuer_key().public_key)
    return hanako_badge(programme(), issuer=issuer,
                        credential_id="urn:uuid:0b6a4d5e-58a1-4d2c-9c55-6f1f7d3b5e01",
                        issued_on="2025-04-01", valid_from=SIGNED_AT)


@cache
def credential(form: str, credential_id: str | None = None) -> bytes:
    """The credential secured as ``form`` (``vc+jwt``, ``vc+sd-jwt`` or ``vc+cose``);
    with ``credential_id``, another of Hanako's credentials (the same award under that id: a
    wallet keeps it beside the first, not as the first again)."""
    disclosable = list(DISCLOSABLE) if form == "vc+sd-jwt" else None
    document = unsigned() if credential_id is None else {**unsigned(), "id": credential_id}
    return sign_document(json.dumps(document).encode(), key=issuer_key(),
                         kid=_method(issuer_key()), securing=form, now=SIGNED_AT,
                         disclosable=disclosable)


def enveloped(data: bytes, media_type: str, *, presentation: bool = False) -> dict[str, Any]:
    """An Enveloped Verifiable Credential (or Presentation) carrying ``data``."""
    text = f"base64,{base64.b64encode(data).decode()}" if media_type.endswith("+cose") \
        else data.decode("ascii")
    kind = "EnvelopedVerifiablePresentation" if presentation \
        else "EnvelopedVerifiableCredential"
    separator = ";" if media_type.endswith("+cose") else ","
    return {"@context": [VC2], "type": kind, "id": f"data:{media_type}{separator}{text}"}


def withholding(token: bytes, *names: str) -> bytes:
    """The SD-JWT with the disclosures of ``names`` left out, as a holder who keeps those
    claims to themselves presents it."""
    jwt, *disclosures = token.decode("ascii").split("~")
    kept = [d for d in disclosures if d and _disclosed_name(d) not in names]
    return "~".join([jwt, *kept, ""]).encode("ascii")


def _disclosed_name(disclosure: str) -> str | None:
    value = json.loads(base64.urlsafe_b64decode(disclosure + "=" * (-len(disclosure) % 4)))
    return value[1] if len(value) == 3 else None


@cache
def presentation(form: str) -> bytes:
    """A presentation by the holder's did:key of the credential (an SD-JWT in an envelope
    for the JOSE forms, the COSE one for COSE), secured as ``form`` (``vc+jwt`` gives
    vp+jwt, ``vc+sd-jwt`` vp+sd-jwt, ``vc+cose`` application/vp+cose)."""
    inner = enveloped(credential("vc+cose"), "application/vc+cose") if form == "vc+cose" \
        else enveloped(credential("vc+sd-jwt"), "application/vc+sd-jwt")
    document = {"@context": [VC2], "type": ["VerifiablePresentation"],
                "holder": did_key.did_from_public_key(holder_key().public_key),
                "verifiableCredential": [inner]}
    return sign_document(json.dumps(document).encode(), key=holder_key(),
                         kid=_method(holder_key()), securing=form, now=SIGNED_AT)
