"""How an issued credential is secured, stored and handed out, for every securing mechanism.

*Securing Verifiable Credentials using JOSE and COSE* — W3C Recommendation, 15 May 2025 —
https://www.w3.org/TR/vc-jose-cose/ — §3.1.1 ``application/vc+jwt`` (a compact JWS whose
payload is the VC 2.0 credential), §3.2.1 ``application/vc+sd-jwt`` (an SD-JWT, RFC 9901,
whose payload is the credential with some members selectively disclosable) and §3.3.1
``application/vc+cose`` (a ``COSE_Sign1``); each secures the *VC Data Model 2.0*: a VC 1.1
credential is refused for SD-JWT and COSE (Data Integrity still signs it), and as a JWT it is
VC Data Model 1.1 §6.3.1's (``typ: JWT``, the credential in a ``vc`` claim; stored as
``vc-jwt``, handed out as ``application/jwt``). *VC Data Model 2.0* §4.13
"Enveloped Verifiable Credentials": what the VC-API hands out for them is an
``EnvelopedVerifiableCredential`` whose ``id`` is a ``data:`` URL of the secured form.

A stored credential is text: the JSON of a Data Integrity credential, the compact JWS or
SD-JWT, or a ``COSE_Sign1`` in standard base64 (as its ``data:`` URL carries it).
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final

from credstack.core.proofs.cryptosuites import sd_jwt, vc_cose, vc_jwt
from credstack.core.verification.json_values import jws_payload, lenient_loads
from credstack.errors import MalformedCredentialError

__all__ = ["DATA_INTEGRITY", "ENVELOPED", "FORMATS", "SECURINGS", "V1_JWT_MEDIA_TYPE",
           "VC_V1_CONTEXT_URL", "VC_V2_CONTEXT_URL", "FileForm", "algorithm", "carried",
           "claims", "cose_bytes",
           "enveloped", "file_form", "is_vc_v1", "media_type"]

VC_V2_CONTEXT_URL: Final = "https://www.w3.org/ns/credentials/v2"
VC_V1_CONTEXT_URL: Final = "https://www.w3.org/2018/credentials/v1"
#: The Data Integrity cryptosuites credstack signs with.
DATA_INTEGRITY: Final = ("eddsa-rdfc-2022", "eddsa-jcs-2022")
#: The enveloping mechanisms, named as stored, and the media type of each.
ENVELOPED: Final[Mapping[str, str]] = {"vc-jwt": "application/vc+jwt",
                                       "vc+sd-jwt": "application/vc+sd-jwt",
                                       "vc+cose": "application/vc+cose"}
#: Every securing mechanism, as stored.
SECURINGS: Final = (*DATA_INTEGRITY, *ENVELOPED)
#: ``options.format`` values of a VC-API issue request and the securing each asks for
#: (``ldp_vc``: Data Integrity, the cryptosuite option deciding which).
FORMATS: Final[Mapping[str, str | None]] = {
    "ldp_vc": None, "vc+jwt": "vc-jwt", "vc-jwt": "vc-jwt", "jwt": "vc-jwt",
    "application/vc+jwt": "vc-jwt", "vc+sd-jwt": "vc+sd-jwt",
    "application/vc+sd-jwt": "vc+sd-jwt", "vc+cose": "vc+cose",
    "application/vc+cose": "vc+cose"}


#: The file name extension of each enveloping mechanism's file.
_EXTENSIONS: Final[Mapping[str, str]] = {"vc-jwt": "jwt", "vc+sd-jwt": "sd-jwt",
                                         "vc+cose": "cose"}


@dataclass(frozen=True, slots=True)
class FileForm:
    """A stored credential as a file: its bytes, media type and file name extension."""

    data: bytes
    media_type: str
    extension: str


#: The media type of a VC Data Model 1.1 JWT (``typ: JWT``; RFC 7519 §10.3.1).
V1_JWT_MEDIA_TYPE: Final = "application/jwt"


def is_vc_v1(credential: Mapping[str, Any]) -> bool:
    """Whether a credential is a VC Data Model 1.1 one (its first context is VC 1.1's)."""
    contexts = credential.get("@context")
    first = contexts[0] if isinstance(contexts, list) and contexts else contexts
    return first == VC_V1_CONTEXT_URL


def media_type(document: str, securing: str) -> str | None:
    """The media type of a stored enveloped credential (None: Data Integrity JSON): a
    ``vc-jwt`` is ``application/vc+jwt``, or ``application/jwt`` when it is a VC Data Model 1.1
    JWT (a VC 1.1 credential in a ``vc`` claim)."""
    if securing == "vc-jwt" and vc_jwt.is_v1_token(document):
        return V1_JWT_MEDIA_TYPE
    return ENVELOPED.get(securing)


def file_form(document: str, securing: str) -> FileForm:
    """A stored credential as a file is downloaded: JSON, the compact JWS or SD-JWT text, or
    the ``COSE_Sign1`` bytes."""
    media_type_ = media_type(document, securing)
    if media_type_ is None:
        return FileForm(document.encode("utf-8"), "application/vc+ld+json", "json")
    data = cose_bytes(document) if securing == "vc+cose" else document.encode("ascii")
    return FileForm(data, media_type_, _EXTENSIONS[securing])


def cose_bytes(document: str) -> bytes:
    """The ``COSE_Sign1`` of a stored ``vc+cose`` credential (``binascii.Error`` when it is
    not base64: not a document this store wrote)."""
    return base64.b64decode(document, validate=True)


def enveloped(document: str, securing: str) -> dict[str, Any]:
    """What the VC-API returns for a stored credential: the JSON, or the secured form
    enveloped (VC Data Model 2.0 §4.13)."""
    media_type_ = media_type(document, securing)
    if media_type_ is None:
        loaded: dict[str, Any] = json.loads(document)
        return loaded
    # A compact JWS or SD-JWT is URL-safe text as it is; the COSE bytes go in base64.
    data = f"{media_type_};base64,{document}" if securing == "vc+cose" \
        else f"{media_type_},{document}"
    # VC Data Model 2.0 §4.3: an ordered set (one URL, as a JSON array, which the W3C
    # suite reads as such) whose first item is the base context.
    return {"@context": [VC_V2_CONTEXT_URL], "id": f"data:{data}",
            "type": "EnvelopedVerifiableCredential"}


def algorithm(document: str, securing: str) -> str | None:
    """The JOSE algorithm a stored enveloped credential was signed with (its JWS header's
    ``alg``, its COSE ``alg`` by name); ``None`` for Data Integrity, whose cryptosuite names
    it, or a document that cannot be read."""
    try:
        if securing in ("vc-jwt", "vc+sd-jwt"):
            header = document.partition(".")[0]
            alg = json.loads(base64.urlsafe_b64decode(header + "=" * (-len(header) % 4)))["alg"]
            return alg if isinstance(alg, str) else None
        if securing == "vc+cose":
            return vc_cose.parse(cose_bytes(document)).algorithm_name
    except (MalformedCredentialError, ValueError, TypeError, KeyError, RecursionError):
        return None
    return None


def claims(document: str, securing: str) -> object:
    """The credential a stored document secures, its signature not checked (it was signed
    here): the JSON, a JWS's payload, an SD-JWT's payload with every disclosure in place, a
    COSE payload; None when it cannot be read."""
    try:
        if securing == "vc-jwt":
            parts = document.split(".")
            payload = json.loads(base64.urlsafe_b64decode(parts[1] + "=" * (-len(parts[1]) % 4)))
            if isinstance(payload, dict) and "vc" in payload:
                # A VC Data Model 1.1 JWT: the credential is its vc claim, decoded.
                return vc_jwt.credential_from_claims(payload)
            return payload
        if securing == "vc+sd-jwt":
            return sd_jwt.disclose(sd_jwt.parse(document)).claims
        if securing == "vc+cose":
            return json.loads(vc_cose.parse(cose_bytes(document)).payload)
        return json.loads(document)
    except (MalformedCredentialError, IndexError, ValueError, binascii.Error, RecursionError):
        return None


def carried(given: bytes | str | Mapping[str, Any], *, enveloped_once: bool = False) -> object:
    """What a credential or presentation given in any securing form says, nothing verified
    (to read its dates, recipient and alignments): a JSON object as it is; an Enveloped
    Verifiable Credential's or Presentation's ``data:`` URL read (VC Data Model 2.0 §4.13); a
    compact JWS's payload (its claims as they are); an SD-JWT's claims with the disclosures it
    carries in place; a ``COSE_Sign1``'s payload. ``None`` when it is none of these or cannot
    be read."""
    try:
        if isinstance(given, Mapping):
            return _unenveloped(given) if not enveloped_once else given
        if isinstance(given, bytes):
            if vc_cose.is_cose(given):
                return lenient_loads(vc_cose.parse(given).payload)
            given = given.decode("utf-8")
        text = given.strip().removeprefix("\ufeff")
        if text.startswith("{"):
            value = lenient_loads(text)
            return _unenveloped(value) if isinstance(value, Mapping) and not enveloped_once \
                else value
        if "~" in text and sd_jwt.is_sd_jwt(text):
            return sd_jwt.disclose(sd_jwt.parse(text)).claims
        return jws_payload(text)
    except (MalformedCredentialError, UnicodeDecodeError, ValueError, binascii.Error,
            RecursionError):
        return None


def _unenveloped(value: Mapping[str, Any]) -> object:
    """``value``, or what it envelopes when it is an enveloped credential or presentation
    whose ``id`` is a ``data:`` URL (base64 for COSE, the compact text for JOSE)."""
    identifier = value.get("id")
    kinds = value.get("type")
    kinds = kinds if isinstance(kinds, list) else [kinds]
    if not isinstance(identifier, str) or not identifier.startswith("data:") \
            or not {"EnvelopedVerifiableCredential",
                    "EnvelopedVerifiablePresentation"} & {str(kind) for kind in kinds}:
        return value
    header, _, data = identifier.partition(",")
    if header.endswith(";base64"):
        return carried(base64.b64decode(data, validate=True), enveloped_once=True)
    return carried(data, enveloped_once=True)
