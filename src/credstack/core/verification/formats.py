"""What format a document to verify is in, told from its bytes or its JSON alone.

:func:`detect` answers ``pdf``, ``image``, ``ob2``, ``edc``, ``clr``, ``vp`` or ``vc``; each
format's verifier (:mod:`credstack.services.formats`) is then loaded only for that format: a
JSON credential is told from a PDF certificate or a European Digital Credential without the
PDF signature library or the SHACL machinery those need.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

from credstack.core.credentials.baking_png import MAX_PNG_BYTES, is_png
from credstack.core.credentials.baking_svg import MAX_SVG_BYTES, looks_like_svg
from credstack.core.elm.vocabulary import is_edc
from credstack.core.proofs.cryptosuites.vc_cose import is_cose
from credstack.core.proofs.cryptosuites.vc_cose import parse as parse_cose
from credstack.core.verification.json_values import jws_payload, lenient_loads
from credstack.errors import CredstackError

__all__ = ["MAX_IMAGE_BYTES", "detect", "is_baked_image"]

#: The largest badge image a credential is extracted from (PNG or SVG).
MAX_IMAGE_BYTES: Final = max(MAX_PNG_BYTES, MAX_SVG_BYTES)

_OB2_CONTEXT: Final = "https://w3id.org/openbadges/v2"
_PDF_MAGIC: Final = b"%PDF-"
#: The JOSE ``typ`` of a presentation secured as *Securing Verifiable Credentials using JOSE and
#: COSE* secures one (§3.1.2 ``vp+jwt``, §3.2.2 ``vp+sd-jwt``): it says what the token is even
#: when the presentation's ``type`` is a disclosure of its own.
_PRESENTATION_TYPES: Final = ("vp+jwt", "vp+sd-jwt", "application/vp+jwt",
                              "application/vp+sd-jwt")


def is_baked_image(data: bytes) -> bool:
    """Whether ``data`` is an image to extract from (PNG, or XML taken for SVG)."""
    return is_png(data) or looks_like_svg(data)


def _is_ob2_object(value: object) -> bool:
    if not isinstance(value, Mapping):
        return False
    context = value.get("@context")
    contexts = context if isinstance(context, list) else [context]
    if any(isinstance(item, str) and item.rstrip("/") == _OB2_CONTEXT for item in contexts):
        return True
    kinds = value.get("type")
    kinds = kinds if isinstance(kinds, list) else [kinds]
    return "Assertion" in kinds and "VerifiableCredential" not in kinds


def _is_clr(value: object) -> bool:
    if not isinstance(value, Mapping):
        return False
    kinds = value.get("type")
    return "ClrCredential" in (kinds if isinstance(kinds, list) else [kinds])


def is_presentation(value: object) -> bool:
    """Whether ``value`` is a Verifiable Presentation (plain or enveloped), not a credential."""
    if not isinstance(value, Mapping):
        return False
    kinds = value.get("type")
    kinds = kinds if isinstance(kinds, list) else [kinds]
    return ("VerifiablePresentation" in kinds or "EnvelopedVerifiablePresentation" in kinds) \
        and "VerifiableCredential" not in kinds


def _kind_of(value: object) -> str:
    if is_edc(value):
        return "edc"
    if _is_ob2_object(value):
        return "ob2"
    if is_presentation(value):
        return "vp"
    return "clr" if _is_clr(value) else "vc"


def detect(data: bytes | str | Mapping[str, Any]) -> str:
    """``pdf``, ``image``, ``ob2``, ``edc`` (a European Digital Credential), ``clr``, ``vp``
    (a presentation) or ``vc`` (Open Badges 3.0 / VC, and anything unreadable, which the
    credential pipeline then reports as such)."""
    if isinstance(data, Mapping):
        return _kind_of(data)
    raw = data.encode("utf-8") if isinstance(data, str) else data
    if raw.startswith(_PDF_MAGIC):
        return "pdf"
    if is_baked_image(raw):
        return "image"
    text = raw.strip()
    if text.startswith((b"https://", b"http://")):
        return "ob2"
    if text.startswith(b"{"):
        try:
            return _kind_of(lenient_loads(text))
        except (UnicodeDecodeError, ValueError, RecursionError):
            return "vc"
    if is_cose(raw):
        try:
            payload = lenient_loads(parse_cose(raw).payload)
        except (CredstackError, UnicodeDecodeError, ValueError, RecursionError):
            return "vc"
        return "vp" if is_presentation(payload) else "vc"
    try:
        # An SD-JWT's issuer-signed JWT is what comes before its first ``~``.
        jws = text.decode("ascii").partition("~")[0]
    except UnicodeDecodeError:
        return "vc"
    header = jws_payload(f".{jws.partition('.')[0]}.")  # the header, read as a payload is
    if isinstance(header, Mapping) and header.get("typ") in _PRESENTATION_TYPES:
        return "vp"
    payload = jws_payload(jws)
    if _is_ob2_object(payload) or (isinstance(payload, Mapping) and "badge" in payload
                                   and "recipient" in payload):
        return "ob2"
    if isinstance(payload, Mapping) and ("vp" in payload or is_presentation(payload)):
        return "vp"
    return "clr" if _is_clr(payload) else "vc"
