"""How an issued credential is secured, stored and handed out, for every securing mechanism.

*Securing Verifiable Credentials using JOSE and COSE* — W3C Recommendation, 15 May 2025 —
https://www.w3.org/TR/vc-jose-cose/ — §3.1.1 ``application/vc+jwt`` (a compact JWS whose
payload is the VC 2.0 credential), §3.2.1 ``application/vc+sd-jwt`` (an SD-JWT, RFC 9901,
whose payload is the credential with some members selectively disclosable) and §3.3.1
``application/vc+cose`` (a ``COSE_Sign1``); each secures the *VC Data Model 2.0*: a VC 1.1
credential is refused for them (Data Integrity still signs it). *VC Data Model 2.0* §4.13
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

from credstack.core.proofs.cryptosuites import sd_jwt, vc_cose
from credstack.errors import MalformedCredentialError

__all__ = ["DATA_INTEGRITY", "ENVELOPED", "FORMATS", "SECURINGS", "VC_V2_CONTEXT_URL",
           "FileForm", "claims", "cose_bytes", "enveloped", "file_form"]

VC_V2_CONTEXT_URL: Final = "https://www.w3.org/ns/credentials/v2"
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


def file_form(document: str, securing: str) -> FileForm:
    """A stored credential as a file is downloaded: JSON, the compact JWS or SD-JWT text, or
    the ``COSE_Sign1`` bytes."""
    media_type = ENVELOPED.get(securing)
    if media_type is None:
        return FileForm(document.encode("utf-8"), "application/vc+ld+json", "json")
    data = cose_bytes(document) if securing == "vc+cose" else document.encode("ascii")
    return FileForm(data, media_type, _EXTENSIONS[securing])


def cose_bytes(document: str) -> bytes:
    """The ``COSE_Sign1`` of a stored ``vc+cose`` credential (``binascii.Error`` when it is
    not base64: not a document this store wrote)."""
    return base64.b64decode(document, validate=True)


def enveloped(document: str, securing: str) -> dict[str, Any]:
    """What the VC-API returns for a stored credential: the JSON, or the secured form
    enveloped (VC Data Model 2.0 §4.13)."""
    media_type = ENVELOPED.get(securing)
    if media_type is None:
        loaded: dict[str, Any] = json.loads(document)
        return loaded
    # A compact JWS or SD-JWT is URL-safe text as it is; the COSE bytes go in base64.
    data = f"{media_type};base64,{document}" if securing == "vc+cose" \
        else f"{media_type},{document}"
    # VC Data Model 2.0 §4.3: an ordered set (one URL, as a JSON array, which the W3C
    # suite reads as such) whose first item is the base context.
    return {"@context": [VC_V2_CONTEXT_URL], "id": f"data:{data}",
            "type": "EnvelopedVerifiableCredential"}


def claims(document: str, securing: str) -> object:
    """The credential a stored document secures, its signature not checked (it was signed
    here): the JSON, a JWS's payload, an SD-JWT's payload with every disclosure in place, a
    COSE payload; None when it cannot be read."""
    try:
        if securing == "vc-jwt":
            parts = document.split(".")
            return json.loads(base64.urlsafe_b64decode(parts[1] + "=" * (-len(parts[1]) % 4)))
        if securing == "vc+sd-jwt":
            return sd_jwt.disclose(sd_jwt.parse(document)).claims
        if securing == "vc+cose":
            return json.loads(vc_cose.parse(cose_bytes(document)).payload)
        return json.loads(document)
    except (MalformedCredentialError, IndexError, ValueError, binascii.Error, RecursionError):
        return None
