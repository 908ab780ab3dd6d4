"""What a baked badge image carries, for both Open Badges versions.

Baking puts one credential into a PNG or SVG image; extracting gives it back. The two
specification versions differ in *where* the credential goes (see
:mod:`credstack.core.credentials.baking_png` and :mod:`credstack.core.credentials.baking_svg`)
and in *what* it may be:

============ ================================================ ==============================
standard     baked text                                       keyword / element
============ ================================================ ==============================
OB 3.0       the ``OpenBadgeCredential`` JSON (embedded        ``openbadgecredential`` /
             proof), or its compact JWS (VC-JWT)               ``<openbadges:credential>``
OB 2.0       the ``Assertion`` JSON, a signed assertion        ``openbadges`` /
             (compact JWS), or the hosted assertion's URL      ``<openbadges:assertion>``
============ ================================================ ==============================

:class:`Extracted` is the result of an extraction: the exact text that was baked, what kind
of text it is and, for JSON, the parsed object. :func:`read_payload` classifies a text and
refuses one the standard does not allow, naming where it was found; :func:`standard_of`
guesses which standard a credential belongs to (for callers that bake without saying).

Pure: no I/O.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Final
from urllib.parse import urlsplit

from credstack.errors import InputError, InputTooLargeError, MalformedCredentialError, Problem

__all__ = [
    "MAX_PAYLOAD_BYTES",
    "OB2_CONTEXT_URL",
    "Extracted",
    "PayloadKind",
    "Standard",
    "already_baked",
    "read_payload",
    "several_baked",
    "standard_of",
    "too_large_to_bake",
]

#: The most credential text credstack bakes or extracts: the verifier's own limit (1 MiB).
MAX_PAYLOAD_BYTES: Final = 1024 * 1024
#: The Open Badges 2.0 JSON-LD context, which marks an OB 2.0 assertion.
OB2_CONTEXT_URL: Final = "https://w3id.org/openbadges/v2"

#: Three base64url segments: a compact JWS (RFC 7515 §7.1). The signature may be empty only
#: for ``alg: none``, which no verifier accepts, but reading it is the verifier's business.
_COMPACT_JWS: Final = re.compile(r"^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$")


class Standard(StrEnum):
    """The Open Badges version whose baking rules an image follows."""

    OB2 = "ob2"
    OB3 = "ob3"

    @property
    def label(self) -> str:
        return "Open Badges 2.0" if self is Standard.OB2 else "Open Badges 3.0"


class PayloadKind(StrEnum):
    """What the baked text is."""

    JSON = "json"
    JWS = "jws"
    URL = "url"


@dataclass(frozen=True, slots=True)
class Extracted:
    """A credential taken out of a baked image.

    ``text`` is exactly what was baked (for an SVG, the element's content with the white
    space around the JSON removed); ``document`` is the parsed JSON object for
    :attr:`PayloadKind.JSON`, else ``None``. ``where`` names the chunk or element it came
    from, for messages.
    """

    standard: Standard
    kind: PayloadKind
    text: str
    where: str
    document: dict[str, Any] | None = field(default=None, repr=False, compare=False)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready summary: standard, kind, where, and the content."""
        content: Any = self.document if self.document is not None else self.text
        return {"standard": self.standard.value, "kind": self.kind.value,
                "where": self.where, "content": content}


def _json_object(text: str, where: str) -> dict[str, Any]:
    try:
        value = json.loads(text)
    except (json.JSONDecodeError, RecursionError):
        raise MalformedCredentialError(
            f"the credential baked in {where} is not JSON",
            problems=[Problem(where, "starts with '{' but does not parse as JSON")]) from None
    if not isinstance(value, dict):  # pragma: no cover - text starts with "{"
        raise MalformedCredentialError(
            f"the credential baked in {where} is not a JSON object",
            problems=[Problem(where, "expected a JSON object")])
    return value


def _is_url(text: str) -> bool:
    parts = urlsplit(text)
    return parts.scheme in {"http", "https"} and bool(parts.netloc) and not any(
        character.isspace() for character in text)


def read_payload(text: str, *, standard: Standard, where: str) -> Extracted:
    """Classify baked ``text`` for ``standard``; raise when the standard does not allow it.

    OB 3.0 allows the credential JSON or a compact JWS; OB 2.0 also allows a URL (a hosted
    assertion). Leading and trailing white space is not part of the payload.
    """
    payload = text.strip()
    if not payload:
        raise MalformedCredentialError(
            f"{where} is empty", problems=[Problem(where, "no credential text")])
    if len(payload.encode("utf-8")) > MAX_PAYLOAD_BYTES:
        raise MalformedCredentialError(
            f"the credential baked in {where} is too large",
            problems=[Problem(where, f"over {MAX_PAYLOAD_BYTES:,} bytes")])
    if payload.startswith("{"):
        return Extracted(standard, PayloadKind.JSON, payload, where,
                         _json_object(payload, where))
    if _COMPACT_JWS.match(payload):
        return Extracted(standard, PayloadKind.JWS, payload, where)
    if standard is Standard.OB2 and _is_url(payload):
        return Extracted(standard, PayloadKind.URL, payload, where)
    allowed = ("a JSON object or a compact JWS" if standard is Standard.OB3
               else "a JSON object, a compact JWS or an http(s) URL")
    raise MalformedCredentialError(
        f"{where} holds no {standard.label} credential",
        problems=[Problem(where, f"expected {allowed}, found {payload[:40]!r}")])


# --- the refusals of both image formats -------------------------------------------------


def several_baked(what: str, places: Sequence[str]) -> MalformedCredentialError:
    """Extraction refused: ``what`` (e.g. "Open Badges 3.0 credentials") stands at each of
    ``places``, where the baking specification allows one."""
    return MalformedCredentialError(
        f"the image holds {len(places)} {what}; the baking specification allows one",
        problems=[Problem(place, "one of several") for place in places])


def already_baked(standard: Standard, where: str) -> InputError:
    """Baking refused: the image already carries a credential of ``standard``, at ``where``."""
    return InputError(f"the image already holds an {standard.label} credential",
                      problems=[Problem(where, "bake into an image without one, or replace it")])


def too_large_to_bake(limit: int) -> InputTooLargeError:
    """Baking refused: the image would grow past its format's ``limit`` (bytes)."""
    return InputTooLargeError("the baked image would be too large",
                              problems=[Problem("image", f"over {limit:,} bytes")])


def _contexts(document: dict[str, Any]) -> list[str]:
    context = document.get("@context")
    items = context if isinstance(context, list) else [context]
    return [item for item in items if isinstance(item, str)]


def _jws_claims(token: str) -> dict[str, Any]:
    part = token.split(".")[1]
    try:
        raw = base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))
        value = json.loads(raw)
    except (binascii.Error, ValueError, RecursionError):
        return {}
    return value if isinstance(value, dict) else {}


def standard_of(text: str) -> Standard:
    """Which Open Badges version a credential text belongs to, judged by its JSON-LD context.

    A URL is an OB 2.0 hosted assertion (OB 3.0 has no hosted form). JSON, or a JWS whose
    payload is JSON, with the OB 2.0 context is OB 2.0; everything else is OB 3.0, whose
    :func:`read_payload` then refuses what is not a credential.
    """
    payload = text.strip()
    if _is_url(payload):
        return Standard.OB2
    if payload.startswith("{"):
        document = _json_object(payload, "the credential")
    elif _COMPACT_JWS.match(payload):
        document = _jws_claims(payload)
        nested = document.get("vc")
        if isinstance(nested, dict):
            document = nested
    else:
        raise InputError("not a credential", problems=[Problem(
            "credential", "give the credential JSON, a compact JWS or (OB 2.0) a URL")])
    return Standard.OB2 if OB2_CONTEXT_URL in _contexts(document) else Standard.OB3
