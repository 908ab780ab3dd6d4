"""Verification methods named by HTTPS URLs (Controlled Identifiers v1.0 §3.3), without I/O:
where each is dereferenced, and when its controller's document lets it assert."""

from __future__ import annotations

import re
from typing import Any

import pytest

from credstack.core.crypto import KeyPair, KeyType, encode_public_key
from credstack.core.dids import cid, did_web
from credstack.errors import DidDocumentError, MalformedCredentialError
from tests.core.dids.refusals import refused

ISSUER = "https://example.edu/issuers/565049"
KEY = KeyPair.from_secret_bytes(KeyType.ED25519, bytes(range(32))).public_key
OTHER = KeyPair.from_secret_bytes(KeyType.ED25519, bytes(range(1, 33))).public_key


def _method(method: str, controller: str = ISSUER, key: Any = KEY) -> dict[str, Any]:
    return {"id": method, "type": "Multikey", "controller": controller,
            "publicKeyMultibase": encode_public_key(key)}


@pytest.mark.parametrize(("method", "url"), [
    (f"{ISSUER}#key-1", ISSUER),
    ("https://example.edu/keys/1", "https://example.edu/keys/1"),
    ("https://example.edu:8443/issuers/1?v=2#k", "https://example.edu:8443/issuers/1?v=2"),
])
def test_a_method_is_dereferenced_at_its_url_without_the_fragment(method: str,
                                                                   url: str) -> None:
    """§3.3 step 2: the primary resource, the fragment removed."""
    assert cid.document_url(method) == url


@pytest.mark.parametrize(("method", "reason"), [
    ("http://example.edu/issuers/1#key-1", "HTTPS URLs"),
    ("ftp://example.edu/key", "HTTPS URLs"),
    ("https:///key", "HTTPS URLs"),
    ("https://user@example.edu/key", "a user name has no place"),
    ("https://example.edu:port/key", "is not a verification method credstack can resolve"),
])
def test_only_https_urls_with_a_host_are_dereferenced(method: str, reason: str) -> None:
    """Anything else is not resolved at all, saying why."""
    with refused(MalformedCredentialError, re.escape(reason)):
        cid.document_url(method)


def test_a_method_in_the_controller_document_gives_its_key_and_controller() -> None:
    """The document at the URL is the controller's: the method is in it, for assertion."""
    method = f"{ISSUER}#key-1"
    document = {"id": ISSUER, "verificationMethod": [_method(method)],
                "assertionMethod": ["#key-1"]}
    assert cid.assertion_method(document, method) == did_web.AssertionMethod(
        method, ISSUER, KEY)


def test_a_method_alone_is_its_controllers_when_the_controller_lists_it() -> None:
    """The URL gave the method alone: its controller's document names it (by reference or
    with the same content) under assertionMethod."""
    method = "https://example.edu/keys/1"
    alone = _method(method)
    for listed in (method, alone):
        found = cid.assertion_method({"id": ISSUER, "assertionMethod": [listed]}, method,
                                     method_document=alone)
        assert (found.controller, found.public_key) == (ISSUER, KEY)
    assert cid.controller_of(alone, method) == ISSUER


@pytest.mark.parametrize(("document", "alone", "message"), [
    ({"id": ISSUER, "assertionMethod": []}, _method("https://example.edu/keys/1"),
     "is not an assertion method of " + ISSUER),
    ({"id": "https://attacker.example", "assertionMethod": ["https://example.edu/keys/1"]},
     _method("https://example.edu/keys/1"), "is the document of 'https://attacker.example'"),
    ({"id": ISSUER, "assertionMethod": [_method("https://example.edu/keys/1", key=OTHER)]},
     _method("https://example.edu/keys/1"), "more than once, with different content"),
    ({"id": ISSUER, "assertionMethod": ["https://example.edu/keys/1"]},
     _method("https://example.edu/keys/2"), "is 'https://example.edu/keys/2', not "),
    ({"id": ISSUER, "assertionMethod": ["https://example.edu/keys/1"]},
     {**_method("https://example.edu/keys/1"), "controller": f"{ISSUER}#me"},
     "a URL with a fragment"),
    ({"id": ISSUER, "assertionMethod": ["https://example.edu/keys/1"]},
     {k: v for k, v in _method("https://example.edu/keys/1").items() if k != "controller"},
     "names no controller"),
])
def test_a_method_its_controller_does_not_let_assert_is_refused(
        document: dict[str, Any], alone: dict[str, Any], message: str) -> None:
    """Not listed for assertion, another document, other content, another id, no usable
    controller: each refused, saying which."""
    with refused(DidDocumentError, re.escape(message)):
        cid.assertion_method(document, "https://example.edu/keys/1", method_document=alone)


def test_what_holds_a_key_is_a_method_and_what_lists_keys_is_a_controller_document() -> None:
    """A Multikey or JsonWebKey holds its key; a controller document lists methods."""
    assert cid.is_method(_method("https://example.edu/keys/1"))
    assert cid.is_method({"type": "JsonWebKey", "publicKeyJwk": KEY.to_jwk()})
    assert not cid.is_method({"id": ISSUER, "verificationMethod": [_method(f"{ISSUER}#k")]})


@pytest.mark.parametrize(("data", "message"), [(b"<html>", "is not JSON"),
                                               (b"[]", "is not a JSON object")])
def test_a_document_that_is_not_a_json_object_is_refused(data: bytes, message: str) -> None:
    """The URL is named with what is wrong."""
    with refused(DidDocumentError, re.escape(f"the document at {ISSUER} {message}")):
        cid.read_document(ISSUER, data)
