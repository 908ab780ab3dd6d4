"""A software authenticator for the passkey tests over HTTP: the browser's and the
authenticator's half of the WebAuthn ceremonies, written from the specification (Web
Authentication Level 3, §6.1 authenticator data, §6.5 attestation ``none``, §7 the relying
party's checks), as a platform authenticator with resident keys and user verification
would answer. The browser tests use Chromium's own virtual authenticator instead.

It keeps the passkeys it made (P-256 keys, ES256) by relying party, hands back the user
handle it was given, and counts signatures, so a test can also copy one (a cloned
authenticator) or tamper with an answer.
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import struct
from dataclasses import dataclass, field
from typing import Any

import cbor2
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec

#: Authenticator data flags (§6.1): user present, user verified, attested credential data.
UP, UV, AT = 0x01, 0x04, 0x40


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def unb64url(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


@dataclass
class Resident:
    """One discoverable credential the authenticator holds."""

    rp_id: str
    credential_id: bytes
    user_handle: bytes
    key: ec.EllipticCurvePrivateKey
    sign_count: int = 0


@dataclass
class SoftAuthenticator:
    """A platform authenticator and the browser in front of it, at ``origin``."""

    origin: str
    resident: list[Resident] = field(default_factory=list)
    #: Whether the person is verified (PIN, biometric): the UV flag.
    verifies: bool = True

    def create(self, options: dict[str, Any]) -> dict[str, Any]:
        """``navigator.credentials.create`` with ``options``: the ``PublicKeyCredential``
        as JSON (its ``toJSON()``)."""
        rp_id = options["rp"]["id"]
        excluded = {item["id"] for item in options.get("excludeCredentials", [])}
        assert not any(b64url(r.credential_id) in excluded for r in self.resident
                       if r.rp_id == rp_id), "InvalidStateError: registered already"
        key = ec.generate_private_key(ec.SECP256R1())
        made = Resident(rp_id=rp_id, credential_id=secrets.token_bytes(16),
                        user_handle=unb64url(options["user"]["id"]), key=key)
        self.resident.append(made)
        numbers = key.public_key().public_numbers()
        cose_key = cbor2.dumps({1: 2, 3: -7, -1: 1, -2: numbers.x.to_bytes(32, "big"),
                                -3: numbers.y.to_bytes(32, "big")})
        attested = (bytes(16) + struct.pack(">H", len(made.credential_id))
                    + made.credential_id + cose_key)
        auth_data = self._auth_data(rp_id, AT, 0) + attested
        client_data = self._client_data("webauthn.create", options["challenge"])
        attestation = cbor2.dumps({"fmt": "none", "attStmt": {}, "authData": auth_data})
        return {"id": b64url(made.credential_id), "rawId": b64url(made.credential_id),
                "type": "public-key", "authenticatorAttachment": "platform",
                "clientExtensionResults": {},
                "response": {"clientDataJSON": b64url(client_data),
                             "attestationObject": b64url(attestation),
                             "transports": ["internal"]}}

    def get(self, options: dict[str, Any], *, which: Resident | None = None
            ) -> dict[str, Any]:
        """``navigator.credentials.get`` with ``options``: the person picks ``which`` (by
        default the newest passkey held for the relying party)."""
        rp_id = options["rpId"]
        chosen = which or [r for r in self.resident if r.rp_id == rp_id][-1]
        chosen.sign_count += 1
        auth_data = self._auth_data(rp_id, 0, chosen.sign_count)
        client_data = self._client_data("webauthn.get", options["challenge"])
        signature = chosen.key.sign(auth_data + hashlib.sha256(client_data).digest(),
                                    ec.ECDSA(hashes.SHA256()))
        return {"id": b64url(chosen.credential_id), "rawId": b64url(chosen.credential_id),
                "type": "public-key", "authenticatorAttachment": "platform",
                "clientExtensionResults": {},
                "response": {"clientDataJSON": b64url(client_data),
                             "authenticatorData": b64url(auth_data),
                             "signature": b64url(signature),
                             "userHandle": b64url(chosen.user_handle)}}

    def _auth_data(self, rp_id: str, flags: int, count: int) -> bytes:
        flags |= UP | (UV if self.verifies else 0)
        return hashlib.sha256(rp_id.encode()).digest() + bytes([flags]) + struct.pack(">I", count)

    def _client_data(self, kind: str, challenge: str) -> bytes:
        return json.dumps({"type": kind, "challenge": challenge, "origin": self.origin,
                           "crossOrigin": False}).encode()
