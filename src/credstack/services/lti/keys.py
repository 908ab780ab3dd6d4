"""The tool's signing key: an RSA key (RS256, what every LMS accepts) made on first use, its
private half sealed with the key store's master key (AES-256-GCM, bound to the key's id and
public JWK) in ``lti_tool_keys``, unsealed into the runtime's cache to sign, never shown.

The public halves are the tool's JWK set (``/lti/jwks``), which platforms read to verify
the deep linking responses and client assertions the tool signs.
"""

from __future__ import annotations

import json
import secrets
from typing import Any, Final

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from joserfc import jwt
from joserfc.jwk import RSAKey

from credstack.adapters.db.repositories import lti as lti_store
from credstack.adapters.db.repositories.lti import ToolKey
from credstack.adapters.keystore import WRONG_KEY
from credstack.errors import KeyStoreError
from credstack.services.runtime import Runtime

__all__ = ["jwks", "sign"]

_BINDING: Final = "credstack lti tool key v1"
_CACHE: Final = "lti.tool-key"


def _binding(kid: str, public_jwk: dict[str, Any]) -> bytes:
    return json.dumps([_BINDING, kid, public_jwk], sort_keys=True,
                      separators=(",", ":")).encode()


def _made(runtime: Runtime) -> ToolKey:
    """The newest tool key, made (and sealed) when there is none yet."""
    with runtime.transaction() as session:
        found = lti_store.newest_tool_key(session)
    if found is not None:
        return found
    private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    kid = "lti-" + secrets.token_hex(8)
    public = RSAKey.import_key(private.public_key()).as_dict(private=False)
    public_jwk = {**public, "kid": kid, "alg": "RS256", "use": "sig"}
    der = private.private_bytes(serialization.Encoding.DER,
                                serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption())
    master = runtime.key()
    nonce, sealed = master.seal(der, _binding(kid, public_jwk))
    key = ToolKey(kid, public_jwk, master.id, sealed, nonce)
    with runtime.transaction() as session:
        made = lti_store.add_tool_key(session, key, at=runtime.now())
    # Another request made the first key at the same moment: use the newest.
    return key if made else _made(runtime)


def _signing_key(runtime: Runtime) -> RSAKey:
    cached = runtime.caches.get(_CACHE)
    if isinstance(cached, RSAKey):
        return cached
    row = _made(runtime)
    master = runtime.key()
    if row.master_key_id != master.id:
        raise KeyStoreError(f"{WRONG_KEY} (the LTI tool key {row.kid} was sealed with another "
                            "secret key.)")
    try:
        der = master.open(row.nonce, row.encrypted_secret, _binding(row.kid, row.public_jwk))
    except InvalidTag:
        raise KeyStoreError(f"The LTI tool key {row.kid} does not decrypt: the stored row "
                            "was altered or copied.") from None
    private = serialization.load_der_private_key(der, password=None)
    assert isinstance(private, rsa.RSAPrivateKey)
    key = RSAKey.import_key(private, parameters={"kid": row.kid, "alg": "RS256", "use": "sig"})
    runtime.caches[_CACHE] = key
    return key


def jwks(runtime: Runtime) -> dict[str, Any]:
    """The tool's JWK set: every key's public half."""
    _made(runtime)
    with runtime.sessions() as session:
        return {"keys": lti_store.tool_jwks(session)}


def sign(runtime: Runtime, claims: dict[str, Any]) -> str:
    """``claims`` as a JWT signed with the tool's key (RS256, its ``kid`` in the header)."""
    key = _signing_key(runtime)
    return jwt.encode({"alg": "RS256", "kid": key.kid}, claims, key, algorithms=["RS256"])
