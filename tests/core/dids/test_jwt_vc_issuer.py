"""JWT VC Issuer Metadata (SD-JWT VC §5): where it is served, and what credstack serves."""

from __future__ import annotations

import pytest

from credstack.core.crypto.keys import KeyPair, KeyType
from credstack.core.dids import did_web, jwt_vc_issuer


@pytest.mark.parametrize(("issuer", "url"), [
    ("https://example.com", "https://example.com/.well-known/jwt-vc-issuer"),
    ("https://example.com/", "https://example.com/.well-known/jwt-vc-issuer"),
    ("https://example.com/tenant/1234", "https://example.com/.well-known/jwt-vc-issuer/tenant/1234"),
    ("https://example.com:8443/tenant/", "https://example.com:8443/.well-known/jwt-vc-issuer/tenant"),
])
def test_the_well_known_suffix_goes_between_the_host_and_the_path(issuer: str, url: str) -> None:
    """§5.1: inserted after the host (and port), the path's terminating slash removed."""
    assert jwt_vc_issuer.metadata_url(issuer) == url


def test_the_metadata_gives_every_key_by_value_under_its_fragment() -> None:
    """issuer as given; jwks holds each public JWK with its fragment as kid, no private part."""
    old = KeyPair.from_secret_bytes(KeyType.ED25519, bytes(range(32)))
    new = KeyPair.from_secret_bytes(KeyType.P256, bytes(range(1, 33)))
    document = jwt_vc_issuer.metadata("https://example.com/organisations/acme", [
        did_web.VerificationKey("key-1", old.public_key, current=False),
        did_web.VerificationKey("key-2", new.public_key)])
    assert document == {"issuer": "https://example.com/organisations/acme", "jwks": {"keys": [
        {**old.public_key.to_jwk(), "kid": "key-1", "use": "sig"},
        {**new.public_key.to_jwk(), "kid": "key-2", "use": "sig"}]}}
    assert all("d" not in key for key in document["jwks"]["keys"])
