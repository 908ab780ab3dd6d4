"""A document's format is told from its bytes or its JSON alone, before any format's verifier
is loaded."""

from __future__ import annotations

import base64
import json
from typing import Any

import pytest

from credstack.core.verification.formats import MAX_IMAGE_BYTES, detect, is_baked_image
from tests.core.credentials.test_baking_png import minimal_png
from tests.signed_credentials import presentation, signed

_EDC = {"@context": ["https://www.w3.org/ns/credentials/v2",
                     "http://data.europa.eu/snb/model/context/edc-ap"],
        "type": ["VerifiableCredential", "EuropeanDigitalCredential"]}


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _token(payload: dict[str, Any], **header: str) -> str:
    encoded = _b64(json.dumps({"alg": "EdDSA", **header}).encode())
    return f"{encoded}.{_b64(json.dumps(payload).encode())}.c2ln"


#: A presentation secured as an SD-JWT with its ``type`` a disclosure (the W3C VC JOSE COSE
#: suite's presentation-sdjwt-selective): only the header's typ says it is a presentation.
_TYPE_DISCLOSED = {"@context": ["https://www.w3.org/ns/credentials/v2"], "_sd": ["x"],
                   "verifiableCredential": []}


@pytest.mark.parametrize(("given", "kind"), [
    (lambda: b"%PDF-1.7\n...", "pdf"),
    (lambda: minimal_png(), "image"),
    (lambda: b'<svg xmlns="http://www.w3.org/2000/svg"></svg>', "image"),
    (lambda: b"https://badges.example/assertions/1", "ob2"),
    (lambda: {"@context": "https://w3id.org/openbadges/v2", "type": "Assertion"}, "ob2"),
    (lambda: _token({"badge": "https://badges.example/b", "recipient": {}}), "ob2"),
    (lambda: _EDC, "edc"),
    (lambda: json.dumps({"credential": _EDC}).encode(), "edc"),
    (lambda: {"payload": json.dumps(_EDC), "signatures": []}, "edc"),
    (lambda: {"payload": _b64(json.dumps(_EDC).encode()), "signatures": []}, "edc"),
    (lambda: {"type": ["VerifiableCredential", "ClrCredential"]}, "clr"),
    (lambda: presentation(signed()), "vp"),
    (lambda: _token({"vp": {"type": ["VerifiablePresentation"]}, "iss": "did:example:1"}), "vp"),
    (lambda: _token(_TYPE_DISCLOSED, typ="vp+sd-jwt") + "~WyJzIiwidHlwZSJd~", "vp"),
    (lambda: _token(_TYPE_DISCLOSED, typ="vp+jwt"), "vp"),
    (lambda: _token(_TYPE_DISCLOSED, typ="vc+sd-jwt") + "~", "vc"),
    (lambda: json.dumps(signed()).encode(), "vc"),
    (lambda: {**signed(), "type": ["VerifiablePresentation", "VerifiableCredential"]}, "vc"),
    (lambda: b"{not json", "vc"),
    (lambda: b"\xff\xfe", "vc"),
], ids=lambda value: value if isinstance(value, str) else None)
def test_each_format_is_told_from_the_document_alone(given: Any, kind: str) -> None:
    """A PDF, a badge image, Open Badges 2.0 (a URL, an assertion, a signed badge), a
    European Digital Credential (bare, in its upload file, sealed with its payload as JSON or
    encoded), a CLR, a presentation (a JOSE one by its typ, vp+jwt or vp+sd-jwt, even when
    its type is withheld in a disclosure), and a credential — anything unreadable too, which the
    credential pipeline then reports."""
    assert detect(given()) == kind


def test_a_badge_image_is_a_png_or_an_svg() -> None:
    """An image is extracted from only when it is one, of at most the larger of the PNG's
    and the SVG's limits."""
    assert is_baked_image(minimal_png())
    assert not is_baked_image(json.dumps(signed()).encode())
    assert MAX_IMAGE_BYTES == 16 * 1024 * 1024
