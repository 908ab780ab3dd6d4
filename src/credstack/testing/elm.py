"""A small e-seal PKI and a JAdES sealer, for tests of EDC reading.

The European samples are sealed by certificate authorities whose certificates they do not
carry, so a test that needs a seal *trusted* — or one broken in a chosen way (a bad signature,
a certificate expired at signing, ``b64: true``) — seals its own EDC with :func:`seal` under a
:class:`SealPki` made by :func:`make_pki`: a root CA and a seal certificate it issued, valid
over the period the test chooses.
"""

from __future__ import annotations

import base64
import copy
import datetime as dt
import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from asn1crypto import algos, keys, tsp
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import NameOID
from joserfc import jwk
from joserfc.jws import serialize_json
from pyhanko.sign.timestamps.dummy_client import DummyTimeStamper

from credstack.core.elm.jades import registry

__all__ = ["SealPki", "SealTsa", "make_pki", "make_tsa", "seal", "time_stamp", "with_unsigned"]


@dataclass(frozen=True, slots=True)
class SealPki:
    root: x509.Certificate
    seal_certificate: x509.Certificate
    seal_key: ec.EllipticCurvePrivateKey
    #: The root's key: to issue other certificates under it (a time-stamping authority's).
    root_key: ec.EllipticCurvePrivateKey | None = None

    @property
    def root_pem(self) -> bytes:
        return self.root.public_bytes(serialization.Encoding.PEM)


def _name(common_name: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COUNTRY_NAME, "JP"),
                      x509.NameAttribute(NameOID.ORGANIZATION_NAME, "credstack test"),
                      x509.NameAttribute(NameOID.COMMON_NAME, common_name)])


def make_pki(*, not_before: dt.datetime, not_after: dt.datetime) -> SealPki:
    """A root CA (valid ten years from ``not_before``) and a seal certificate it issued,
    valid from ``not_before`` to ``not_after``."""
    root_key = ec.generate_private_key(ec.SECP256R1())
    root_name = _name("credstack test e-seal root")
    root = (x509.CertificateBuilder().subject_name(root_name).issuer_name(root_name)
            .public_key(root_key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(not_before).not_valid_after(not_before + dt.timedelta(days=3650))
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .add_extension(x509.KeyUsage(False, False, False, False, False, True, True, False,
                                         False), critical=True)
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(root_key.public_key()),
                           critical=False)
            .sign(root_key, hashes.SHA256()))
    seal_key = ec.generate_private_key(ec.SECP256R1())
    seal_certificate = (
        x509.CertificateBuilder().subject_name(_name("credstack test university e-seal"))
        .issuer_name(root_name).public_key(seal_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(not_before).not_valid_after(not_after)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.KeyUsage(True, True, False, False, False, False, False, False,
                                     False), critical=True)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(
            root_key.public_key()), critical=False)
        .sign(root_key, hashes.SHA256()))
    return SealPki(root=root, seal_certificate=seal_certificate, seal_key=seal_key,
                   root_key=root_key)


def seal(credential_text: str, pki: SealPki, *, signing_time: dt.datetime,
         b64: bool = False, signed: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """``credential_text`` sealed as a JAdES baseline-B JWS (general JSON serialisation),
    unencoded (``b64: false``) unless ``b64`` says otherwise; ``signed``: more protected
    header parameters (an ``adoTst``), each listed in ``crit``."""
    der = pki.seal_certificate.public_bytes(serialization.Encoding.DER)
    header: dict[str, Any] = {
        "alg": "ES256", "typ": "jose+json", "cty": "octet-stream",
        "x5c": [base64.b64encode(der).decode()],
        "x5t#S256": base64.urlsafe_b64encode(hashlib.sha256(der).digest()).decode().rstrip("="),
        "sigT": signing_time.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "crit": ["sigT"],
    }
    if not b64:
        header |= {"b64": False, "crit": ["b64", "sigT"]}
    header |= {"crit": [*header["crit"], *(signed or {})], **(signed or {})}
    pem = pki.seal_key.private_bytes(serialization.Encoding.PEM,
                                     serialization.PrivateFormat.PKCS8,
                                     serialization.NoEncryption())
    return dict(serialize_json([{"protected": header}], credential_text,
                               jwk.import_key(pem, "EC"), registry=registry()))


@dataclass(frozen=True, slots=True)
class SealTsa:
    """A time-stamping authority of its own (RSA: pyHanko's test TSA signs with PKCS #1)."""

    certificate: x509.Certificate
    key: rsa.RSAPrivateKey


def make_tsa(*, not_before: dt.datetime, not_after: dt.datetime, issuer: SealPki | None = None,
             usage: Sequence[x509.ObjectIdentifier] | None = (
                 x509.oid.ExtendedKeyUsageOID.TIME_STAMPING,),
             usage_critical: bool = True) -> SealTsa:
    """A time-stamping authority valid from ``not_before`` to ``not_after``: self-signed, or
    issued by ``issuer``'s root; its extended key usage ``usage`` (none when ``None``), critical
    unless said."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = _name("credstack test tsa")
    builder = (
        x509.CertificateBuilder().subject_name(name)
        .issuer_name(issuer.root.subject if issuer is not None else name)
        .public_key(key.public_key()).serial_number(x509.random_serial_number())
        .not_valid_before(not_before).not_valid_after(not_after))
    if usage is not None:
        builder = builder.add_extension(x509.ExtendedKeyUsage(list(usage)),
                                        critical=usage_critical)
    if issuer is None:
        return SealTsa(builder.sign(key, hashes.SHA256()), key)
    assert issuer.root_key is not None
    certificate = (builder.add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(
        issuer.root_key.public_key()), critical=False).sign(issuer.root_key, hashes.SHA256()))
    return SealTsa(certificate, key)


def time_stamp(tsa: SealTsa, data: bytes, *, at: dt.datetime) -> str:
    """An RFC 3161 ``TimeStampToken`` over ``data`` (SHA-256) made by ``tsa`` at ``at``, as a
    JAdES ``tstTokens`` member's ``val`` (base64 DER)."""
    stamper = DummyTimeStamper(
        asn1_x509.Certificate.load(tsa.certificate.public_bytes(serialization.Encoding.DER)),
        keys.PrivateKeyInfo.load(tsa.key.private_bytes(
            serialization.Encoding.DER, serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption())), fixed_dt=at, include_nonce=False)
    request = tsp.TimeStampReq({
        "version": "v1", "cert_req": True,
        "message_imprint": tsp.MessageImprint({
            "hash_algorithm": algos.DigestAlgorithm({"algorithm": "sha256"}),
            "hashed_message": hashlib.sha256(data).digest()})})
    token = stamper.request_tsa_response(request)["time_stamp_token"]
    return base64.b64encode(token.dump()).decode()


def _encoded(item: object) -> object:
    if not isinstance(item, dict):
        return item
    return base64.urlsafe_b64encode(json.dumps(item).encode()).decode().rstrip("=")


def with_unsigned(document: dict[str, Any], items: list[object], *,
                  clear: bool = False) -> dict[str, Any]:
    """``document`` (a one-signature seal) with ``items`` as its ``etsiU``: each dict
    base64url-encoded (a string kept as it is), or left in clear JSON when ``clear``."""
    changed = copy.deepcopy(document)
    changed["signatures"][0]["header"] = {
        "etsiU": list(items) if clear else [_encoded(item) for item in items]}
    return changed
