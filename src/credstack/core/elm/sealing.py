"""Sealing a European Digital Credential: JAdES baseline B with the organisation's certificate.

Specifications: ETSI TS 119 182-1 V1.2.1 (2024-07), *JAdES digital signatures; Part 1* —
§5.1.2 ``x5t#S256``, §5.1.8 ``x5c``, §5.2.1 ``sigT`` (B-B level); RFC 7515 §7.2.1 (general
JWS JSON serialisation); RFC 7797 (``b64: false``).

The seal is what the European Commission's sealed samples are, less what needs a timestamp
authority (``adoTst``, the ``etsiU`` timestamps of B-T and above): a general JWS JSON
serialisation whose ``payload`` is the credential's JSON text itself; the protected header
names the algorithm (ES256: credstack's organisation keys are P-256), ``typ: jose+json``,
``cty: octet-stream``, ``b64: false``, the claimed signing time ``sigT``, the certificate
chain ``x5c`` (the signing certificate first, then the authorities up to the organisation's
root), its SHA-256 thumbprint ``x5t#S256`` and ``kid`` — base64 of the DER
``IssuerSerial`` as JAdES puts it — and ``crit: ["b64", "sigT"]``. joserfc signs (RFC 7797
included), with the JAdES header parameters registered by :func:`.jades.registry`, so that
:func:`.jades.verify_signature` reads what this writes.

Pure: the key, the certificates and the time are parameters.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
from collections.abc import Mapping, Sequence
from typing import Any

import orjson
from asn1crypto import cms
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from joserfc import jwk
from joserfc.jws import serialize_json

from credstack.core.elm.jades import registry

__all__ = ["credential_text", "seal_credential"]


def credential_text(credential: Mapping[str, Any]) -> str:
    """The credential as the payload carries it: compact UTF-8 JSON, keys in their order."""
    return orjson.dumps(dict(credential)).decode()


def _issuer_serial(certificate: x509.Certificate) -> str:
    """``kid`` as JAdES writes it: base64 of the DER ``IssuerSerial`` of the certificate."""
    parsed = asn1_x509.Certificate.load(
        certificate.public_bytes(serialization.Encoding.DER))
    value = cms.IssuerSerial({"issuer": [cms.GeneralName(name="directory_name",
                                                          value=parsed.issuer)],
                              "serial": parsed.serial_number})
    return base64.b64encode(value.dump()).decode()


def seal_credential(credential: Mapping[str, Any], *, key: ec.EllipticCurvePrivateKey,
                    certificate: x509.Certificate, chain: Sequence[x509.Certificate] = (),
                    signing_time: dt.datetime) -> dict[str, Any]:
    """``credential`` sealed as JAdES-B: ``{"payload": <its JSON text>, "signatures":
    [{"protected": …, "signature": …}]}``. ``chain`` is the certificates above
    ``certificate`` (its issuing authority first)."""
    der = certificate.public_bytes(serialization.Encoding.DER)
    header: dict[str, Any] = {
        "alg": "ES256", "typ": "jose+json", "cty": "octet-stream", "b64": False,
        "sigT": signing_time.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "x5c": [base64.b64encode(item.public_bytes(serialization.Encoding.DER)).decode()
                for item in (certificate, *chain)],
        "x5t#S256": base64.urlsafe_b64encode(hashlib.sha256(der).digest()).decode()
        .rstrip("="),
        "kid": _issuer_serial(certificate),
        "crit": ["b64", "sigT"],
    }
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                            serialization.NoEncryption())
    return dict(serialize_json([{"protected": header}], credential_text(credential),
                               jwk.import_key(pem, "EC"), registry=registry()))
