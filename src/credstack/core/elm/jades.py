"""JAdES seals of European Digital Credentials: reading one, and verifying its signature.

Specifications: ETSI TS 119 182-1 V1.2.1 (2024-07), *JAdES digital signatures; Part 1:
Building blocks and JAdES baseline signatures* —
https://www.etsi.org/deliver/etsi_ts/119100_119199/11918201/ — §5.1 (``sigT``, ``x5t#S256``,
``adoTst``), §5.2 (``etsiU``); RFC 7515 *JSON Web Signature* §7.2 (JSON serialisation);
RFC 7797 *JWS Unencoded Payload Option* (``b64: false``).

An EDC is sealed as a JWS in JSON serialisation (general, or flattened) whose ``payload`` is
the credential's JSON text itself, not base64url-encoded: ``b64`` is ``false`` and listed in
``crit`` — the EDC profile says so, and a seal with ``b64: true`` (or none) is refused. The
signing input is ``ASCII(BASE64URL(protected)) || "." || payload``, the exact bytes of the
payload string: re-serialising the JSON would break the signature, so the credential is read
from those bytes.

joserfc does the JWS: it reads either JSON serialisation, applies RFC 7797 when ``b64`` is
``false`` (and refuses it unprotected or not critical), checks ``crit`` and verifies the
signature. What it does not know is JAdES: its header parameters are registered here so that
``crit`` accepts them (``sigD``, a detached payload, is not, so a seal that names it is
refused), its default size limits (a 512-byte protected header, a 128 KB payload) are raised
to what a sealed EDC carries (the certificates and timestamp tokens, page images), and the
``x5c`` certificates are read with ``cryptography``. The unprotected ``etsiU`` members (the
signature timestamp, validation data) are read as they are and not verified: credstack does
not check RFC 3161 timestamps here, so ``sigT`` is the time the sealer *claims*.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from joserfc import jwk
from joserfc.errors import BadSignatureError, JoseError
from joserfc.jws import JWSRegistry, deserialize_json
from joserfc.registry import HeaderParameter

from credstack.core.elm.vocabulary import is_sealed
from credstack.errors import MalformedCredentialError, Problem, SignatureError

__all__ = ["ALGORITHMS", "Seal", "is_sealed", "read_seal", "registry", "verify_signature"]

#: The algorithms a seal may use (ETSI TS 119 312 keeps RSA ≥ 2048 and the NIST curves).
ALGORITHMS: Final = ("RS256", "RS384", "RS512", "PS256", "PS384", "PS512",
                     "ES256", "ES384", "ES512")

#: The largest protected header and payload read (bytes): a sealed EDC carries page images.
_MAX_HEADER: Final = 256 * 1024
_MAX_PAYLOAD: Final = 4 * 1024 * 1024


def _is_object(value: Any) -> None:
    if not isinstance(value, dict):
        raise ValueError("must be a JSON object")


def _is_array(value: Any) -> None:
    if not isinstance(value, list):
        raise ValueError("must be a JSON array")


#: JAdES's protected header parameters credstack reads (TS 119 182-1 §5.1–5.2).
_JADES_HEADERS: Final = {
    "sigT": HeaderParameter("Claimed signing time", "str"),
    "adoTst": HeaderParameter("Signed data time-stamp", _is_object),
    "sigPId": HeaderParameter("Signature policy identifier", _is_object),
    "srCms": HeaderParameter("Signer commitments", _is_array),
    "sigPl": HeaderParameter("Signature production place", _is_object),
    "srAts": HeaderParameter("Signer attributes", _is_object),
    "sigX5ts": HeaderParameter("Signing certificates' digests", _is_array),
    # The unprotected header's one member: the unsigned qualifying properties.
    "etsiU": HeaderParameter("Unsigned qualifying properties", _is_array),
}


@dataclass(frozen=True, slots=True)
class Seal:
    """A JAdES seal as read (its signature not yet verified)."""

    #: The exact bytes that were signed after the protected header: the credential's JSON.
    payload: bytes
    #: The protected header, decoded.
    header: Mapping[str, Any]
    algorithm: str
    #: The signing time the sealer claims (``sigT``), aware.
    signing_time: dt.datetime
    #: ``x5c``: the signing certificate first, then the chain as the sealer gave it.
    certificates: tuple[x509.Certificate, ...]
    #: The names of the unsigned qualifying properties (``etsiU``: ``sigTst``, ``xVals`` …).
    unsigned: tuple[str, ...] = ()

    @property
    def certificate(self) -> x509.Certificate:
        return self.certificates[0]


#: The prefix of what this module says (``verification.check.elm.seal.…``).
_SAID: Final = "verification.check.elm.seal."


def _refuse(location: str, rule: str, what: str, /, **params: object) -> MalformedCredentialError:
    """The seal cannot be read: ``what`` (a key under :data:`_SAID`) with its ``params``, said
    by the error and its one problem (which names the ``rule`` broken)."""
    return MalformedCredentialError(code=_SAID + what, params=params, problems=[
        Problem(location, code=_SAID + what, params=params, rule=rule)])


def _b64url(text: object, location: str) -> bytes:
    if not isinstance(text, str):
        raise _refuse(location, "jades-structure", "not_a_string", location=location)
    try:
        return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError):
        raise _refuse(location, "jades-structure", "not_base64url", location=location) from None


def _signature_member(document: Mapping[str, Any]) -> tuple[Mapping[str, Any], str]:
    """The one signature (general or flattened serialisation) and where it is."""
    signatures = document.get("signatures")
    if signatures is None:
        return document, ""
    if not isinstance(signatures, list) or len(signatures) != 1 \
            or not isinstance(signatures[0], Mapping):
        raise _refuse("signatures", "jades-structure", "one_signature")
    return signatures[0], "signatures[0]."


def _certificates(header: Mapping[str, Any], where: str) -> tuple[x509.Certificate, ...]:
    chain = header.get("x5c")
    if not isinstance(chain, list) or not chain or not all(isinstance(c, str) for c in chain):
        raise _refuse(f"{where}protected.x5c", "jades-x5c", "no_x5c")
    try:
        # RFC 7515 §4.1.6: x5c is base64 (not base64url) DER.
        certificates = tuple(x509.load_der_x509_certificate(base64.b64decode(c, validate=True))
                             for c in chain)
    except (binascii.Error, ValueError):
        raise _refuse(f"{where}protected.x5c", "jades-x5c", "x5c_unreadable") from None
    thumbprint = header.get("x5t#S256")
    if thumbprint is not None:
        der = certificates[0].public_bytes(serialization.Encoding.DER)
        if _b64url(thumbprint, f"{where}protected.x5t#S256") != hashlib.sha256(der).digest():
            raise _refuse(f"{where}protected.x5t#S256", "jades-x5t", "x5t")
    return certificates


def _signing_time(header: Mapping[str, Any], where: str) -> dt.datetime:
    text = header.get("sigT")
    when = None
    if isinstance(text, str):
        try:
            when = dt.datetime.fromisoformat(text)
        except ValueError:
            when = None
    if when is None or when.tzinfo is None:
        raise _refuse(f"{where}protected.sigT", "jades-sigT", "sigT")
    return when


def read_seal(document: Mapping[str, Any]) -> Seal:
    """Read a JAdES seal (a JWS in JSON serialisation) without verifying it.

    Raises :class:`~credstack.errors.MalformedCredentialError` — its problem's ``rule`` says
    why — when it is not one signature over an unencoded payload (``jades-b64``: ``b64`` is
    not ``false``, as the EDC profile requires), has no readable protected header, no
    signing certificate (``x5c``), a certificate digest that does not match, no ``sigT``, or
    an algorithm outside :data:`ALGORITHMS`.
    """
    member, where = _signature_member(document)
    raw = _b64url(member.get("protected"), f"{where}protected")
    try:
        header = json.loads(raw)
    except ValueError:
        header = None
    if not isinstance(header, dict):
        raise _refuse(f"{where}protected", "jades-structure", "header_not_object")
    if header.get("b64") is not False or "b64" not in (header.get("crit") or ()):
        raise _refuse(f"{where}protected.b64", "jades-b64", "b64",
                      b64=json.dumps(header.get("b64")))
    algorithm = header.get("alg")
    if algorithm not in ALGORITHMS:
        raise _refuse(f"{where}protected.alg", "jades-alg", "alg", algorithm=repr(algorithm))
    payload = document.get("payload")
    if not isinstance(payload, str):
        raise _refuse("payload", "jades-structure", "payload_not_string")
    etsi_u = member.get("header", {}).get("etsiU", ()) if isinstance(
        member.get("header"), Mapping) else ()
    return Seal(payload=payload.encode("utf-8"), header=header, algorithm=algorithm,
                signing_time=_signing_time(header, where),
                certificates=_certificates(header, where),
                unsigned=tuple(_unsigned_name(item) for item in etsi_u))


def _unsigned_name(item: object) -> str:
    """The name of one ``etsiU`` member (a base64url JSON object such as ``{"sigTst": …}``)."""
    if not isinstance(item, str):
        return "?"
    try:
        decoded = json.loads(base64.urlsafe_b64decode(item + "=" * (-len(item) % 4)))
    except (binascii.Error, ValueError):
        return "?"
    return ",".join(decoded) if isinstance(decoded, dict) else "?"


def registry() -> JWSRegistry:
    """joserfc's JWS registry for seals: JAdES's headers known, limits a sealed EDC fits."""
    registry = JWSRegistry(header_registry=_JADES_HEADERS, algorithms=list(ALGORITHMS))
    registry.max_header_length = _MAX_HEADER
    registry.max_payload_length = _MAX_PAYLOAD
    # The RSA signature of a 4096-bit key is 683 base64url characters; leave room for 8192.
    registry.max_signature_length = 2048
    return registry


def _public_key(certificate: x509.Certificate) -> jwk.Key:
    key = certificate.public_key()
    pem = key.public_bytes(serialization.Encoding.PEM,
                           serialization.PublicFormat.SubjectPublicKeyInfo)
    if isinstance(key, rsa.RSAPublicKey):
        return jwk.import_key(pem, "RSA")
    if isinstance(key, ec.EllipticCurvePublicKey):
        return jwk.import_key(pem, "EC")
    # The key type is neither RSA nor EC.
    raise SignatureError(code=_SAID + "key_type", problems=[
        Problem("protected.x5c", code=_SAID + "key_type", rule="jades-key")])


def verify_signature(document: Mapping[str, Any], seal: Seal) -> None:
    """Verify ``seal``'s signature (read from ``document`` by :func:`read_seal`) with its
    signing certificate's key; raises :class:`~credstack.errors.SignatureError` when it does
    not verify, or when joserfc refuses the JWS (an unknown critical header …)."""
    try:
        deserialize_json(dict(document), _public_key(seal.certificate),  # type: ignore[call-overload]
                         registry=registry())
    except BadSignatureError:
        raise SignatureError(code=_SAID + "signature", problems=[
            Problem("signature", code=_SAID + "signature", rule="jades-signature")]) from None
    except (JoseError, ValueError) as error:
        raise SignatureError(code=_SAID + "refused", params={"error": str(error)}, problems=[
            Problem("protected", code=_SAID + "refused", params={"error": str(error)},
                    rule="jades-refused")]) from None

