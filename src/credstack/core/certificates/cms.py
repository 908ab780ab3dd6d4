"""The CMS ``SignedData`` of a PAdES baseline B-B or B-T signature, assembled from a template.

Specifications: *Cryptographic Message Syntax (CMS)*, RFC 5652 (September 2009),
https://www.rfc-editor.org/rfc/rfc5652; ETSI EN 319 122-1 V1.3.1 (2023-06), *CAdES digital
signatures*, baseline B-B; ETSI EN 319 142-1 V1.2.1 (2024-01), *PAdES digital signatures*,
§5.1 and §6.3 (baselines B-B and B-T); RFC 5035 §3 (``signingCertificateV2``); RFC 3161
*Time-Stamp Protocol (TSP)* (August 2001), Appendix A (``id-aa-signatureTimeStampToken``),
https://www.rfc-editor.org/rfc/rfc3161.

A PAdES B-B signature is a detached ``SignedData`` over the PDF's byte range whose signed
attributes are exactly ``content-type`` (``id-data``), ``message-digest`` and
``signing-certificate-v2``; the signing time lives in the signature dictionary's ``/M``, never
in a ``signingTime`` attribute (EN 319 142-1 §6.3, requirement 4). For one signer everything
but the digest and the signature value is the same in every document, so
:class:`SignedDataTemplate` encodes those parts once and :meth:`SignedDataTemplate.sign`
joins them around each document's digest: about 0.1 ms instead of the ~12 ms a general CMS
library spends re-encoding certificates on every signature.

PAdES B-T adds one *unsigned* attribute, ``signature-time-stamp-token``: an RFC 3161
timestamp token over the SHA-256 digest of the signature value. It can only be had once the
signature value exists, so :meth:`SignedDataTemplate.sign` takes the timestamping as a
callable too; getting the token (the network) is the adapter's business.

This is the low layer: DER written by hand. Only :mod:`credstack.services.certificates.service`
calls it, and
tests check what it produces with two independent validators (pyHanko and poppler's
``pdfsig``). Pure: the private key and the timestamping authority are callables, the
certificates are parameters.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Final

from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding

__all__ = ["SignedDataTemplate"]

_SHA256: Final = "2.16.840.1.101.3.4.2.1"
_ECDSA_WITH_SHA256: Final = "1.2.840.10045.4.3.2"
_DATA: Final = "1.2.840.113549.1.7.1"
_SIGNED_DATA: Final = "1.2.840.113549.1.7.2"
_CONTENT_TYPE: Final = "1.2.840.113549.1.9.3"
_MESSAGE_DIGEST: Final = "1.2.840.113549.1.9.4"
_SIGNING_CERTIFICATE_V2: Final = "1.2.840.113549.1.9.16.2.47"
#: id-aa-signatureTimeStampToken (RFC 3161 Appendix A).
_SIGNATURE_TIME_STAMP: Final = "1.2.840.113549.1.9.16.2.14"


def _tlv(tag: int, body: bytes) -> bytes:
    size = len(body)
    if size < 0x80:
        return bytes([tag, size]) + body
    length = size.to_bytes((size.bit_length() + 7) // 8, "big")
    return bytes([tag, 0x80 | len(length)]) + length + body


def _sequence(*parts: bytes) -> bytes:
    return _tlv(0x30, b"".join(parts))


def _set(*parts: bytes) -> bytes:
    # DER orders the members of a SET OF by their encodings (X.690 §11.6).
    return _tlv(0x31, b"".join(sorted(parts)))


def _oid(dotted: str) -> bytes:
    first, second, *rest = (int(arc) for arc in dotted.split("."))
    body = bytearray()
    for arc in (40 * first + second, *rest):
        chunk = [arc & 0x7F]
        arc >>= 7
        while arc:
            chunk.append(0x80 | (arc & 0x7F))
            arc >>= 7
        body.extend(reversed(chunk))
    return _tlv(0x06, bytes(body))


def _integer(value: int) -> bytes:
    return _tlv(0x02, value.to_bytes(value.bit_length() // 8 + 1, "big", signed=True))


def _octets(value: bytes) -> bytes:
    return _tlv(0x04, value)


def _attribute(kind: str, value: bytes) -> bytes:
    return _sequence(_oid(kind), _set(value))


@dataclass(frozen=True, slots=True)
class SignedDataTemplate:
    """The constant parts of one signer's ``SignedData`` (ECDSA P-256 with SHA-256).

    ``certificate`` signs; ``chain`` holds the certificates a verifier needs to reach a trust
    anchor (the issuing CA, and optionally the anchor itself), all embedded in the CMS.
    """

    certificate: x509.Certificate
    chain: tuple[x509.Certificate, ...] = ()
    _head: bytes = field(init=False, repr=False)
    _signer_head: bytes = field(init=False, repr=False)
    _algorithm: bytes = field(init=False, repr=False)
    _constant_attributes: tuple[bytes, ...] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        certificate = self.certificate.public_bytes(Encoding.DER)
        issuer = self.certificate.issuer.public_bytes()
        serial = _integer(self.certificate.serial_number)
        digest_algorithm = _sequence(_oid(_SHA256))
        certificates = _tlv(0xA0, certificate + b"".join(
            item.public_bytes(Encoding.DER) for item in self.chain))
        # ESSCertIDv2 leaves out hashAlgorithm: SHA-256 is its DEFAULT (RFC 5035 §4).
        essential = _sequence(_octets(hashlib.sha256(certificate).digest()),
                              _sequence(_sequence(_tlv(0xA4, issuer)), serial))
        object.__setattr__(self, "_head", b"".join([
            _integer(1), _set(digest_algorithm), _sequence(_oid(_DATA)), certificates]))
        object.__setattr__(self, "_signer_head", b"".join([
            _integer(1), _sequence(issuer, serial), digest_algorithm]))
        object.__setattr__(self, "_algorithm", _sequence(_oid(_ECDSA_WITH_SHA256)))
        object.__setattr__(self, "_constant_attributes", (
            _attribute(_CONTENT_TYPE, _oid(_DATA)),
            _attribute(_SIGNING_CERTIFICATE_V2, _sequence(_sequence(essential)))))

    def signed_attributes(self, digest: bytes) -> bytes:
        """The DER ``SET`` of signed attributes for a document ``digest`` (what is signed)."""
        if len(digest) != 32:
            raise ValueError("a SHA-256 digest has 32 bytes")
        return _set(*self._constant_attributes,
                    _attribute(_MESSAGE_DIGEST, _octets(digest)))

    def sign(self, digest: bytes, signer: Callable[[bytes], bytes],
             timestamp: Callable[[bytes], bytes] | None = None) -> bytes:
        """The DER ``ContentInfo`` signing ``digest``; ``signer`` returns the DER ECDSA
        signature (SHA-256) of the bytes it is given.

        With ``timestamp`` (PAdES B-T), it is given the signature value and returns the DER
        RFC 3161 ``TimeStampToken`` (a ``ContentInfo``) over it, which becomes the unsigned
        attribute ``signature-time-stamp-token``.
        """
        attributes = self.signed_attributes(digest)
        signature = signer(attributes)
        unsigned = b""
        if timestamp is not None:
            token = timestamp(signature)
            if token[:1] != b"\x30":
                raise ValueError("a timestamp token is a DER ContentInfo (a SEQUENCE)")
            # unsignedAttrs is [1] IMPLICIT SET OF Attribute.
            unsigned = b"\xa1" + _set(_attribute(_SIGNATURE_TIME_STAMP, token))[1:]
        # In the SignerInfo the same attributes are tagged [0] IMPLICIT instead of SET.
        signer_info = _sequence(self._signer_head, b"\xa0" + attributes[1:], self._algorithm,
                                _octets(signature), unsigned)
        signed_data = _sequence(self._head, _set(signer_info))
        return _sequence(_oid(_SIGNED_DATA), _tlv(0xA0, signed_data))

