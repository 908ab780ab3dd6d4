"""The PAdES B-B SignedData template: read back with asn1crypto, checked with cryptography."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest
from asn1crypto import cms, tsp
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import Encoding
from cryptography.x509.oid import NameOID

from credstack.core.certificates.cms import SignedDataTemplate

MOMENT = dt.datetime(2026, 11, 28, 9, 0, tzinfo=dt.UTC)


def certificates() -> tuple[ec.EllipticCurvePrivateKey, x509.Certificate, x509.Certificate]:
    root_key, key = ec.generate_private_key(ec.SECP256R1()), ec.generate_private_key(
        ec.SECP256R1())
    root_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "北都 CA")])
    root = (x509.CertificateBuilder().subject_name(root_name).issuer_name(root_name)
            .public_key(root_key.public_key()).serial_number(1)
            .not_valid_before(MOMENT).not_valid_after(MOMENT + dt.timedelta(days=1))
            .sign(root_key, hashes.SHA256()))
    # A serial number whose DER needs a leading zero byte (the high bit is set).
    leaf = (x509.CertificateBuilder()
            .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Signer")]))
            .issuer_name(root_name).public_key(key.public_key()).serial_number(0x80FF)
            .not_valid_before(MOMENT).not_valid_after(MOMENT + dt.timedelta(days=1))
            .sign(root_key, hashes.SHA256()))
    return key, leaf, root


def test_the_signed_data_has_the_pades_baseline_attributes_and_a_valid_signature() -> None:
    """content-type, message-digest, signing-certificate-v2 — no signingTime; ECDSA verifies."""
    key, leaf, root = certificates()
    template = SignedDataTemplate(certificate=leaf, chain=(root,))
    digest = hashlib.sha256(b"the byte range").digest()
    der = template.sign(digest, lambda data: key.sign(data, ec.ECDSA(hashes.SHA256())))
    info = cms.ContentInfo.load(der)
    assert info["content_type"].native == "signed_data"
    signed = info["content"]
    assert signed["version"].native == "v1"
    assert [a["algorithm"].native for a in signed["digest_algorithms"]] == ["sha256"]
    assert signed["encap_content_info"]["content_type"].native == "data"
    assert signed["encap_content_info"]["content"].native is None
    assert [c.chosen.dump() for c in signed["certificates"]] == [
        leaf.public_bytes(Encoding.DER), root.public_bytes(Encoding.DER)]
    signer = signed["signer_infos"][0]
    assert signer["sid"].chosen["serial_number"].native == 0x80FF
    assert signer["signature_algorithm"]["algorithm"].native == "sha256_ecdsa"
    attributes = {a["type"].native: a["values"][0] for a in signer["signed_attrs"]}
    assert set(attributes) == {"content_type", "message_digest", "signing_certificate_v2"}
    assert attributes["message_digest"].native == digest
    essential = attributes["signing_certificate_v2"]["certs"][0]
    assert essential["cert_hash"].native == hashlib.sha256(
        leaf.public_bytes(Encoding.DER)).digest()
    assert essential["hash_algorithm"]["algorithm"].native == "sha256"
    assert isinstance(attributes["signing_certificate_v2"], tsp.SigningCertificateV2)
    # The signature covers the attributes as a DER SET (tag 0x31), re-encoded by asn1crypto.
    signed_attributes = signer["signed_attrs"].untag().dump(force=True)
    assert signed_attributes == template.signed_attributes(digest)
    key.public_key().verify(signer["signature"].native, signed_attributes,
                            ec.ECDSA(hashes.SHA256()))


def test_every_signature_uses_the_same_template() -> None:
    """Two digests: the same certificates and attributes, different digests and signatures."""
    key, leaf, root = certificates()
    template = SignedDataTemplate(certificate=leaf, chain=(root,))
    first = template.sign(bytes(32), lambda data: key.sign(data, ec.ECDSA(hashes.SHA256())))
    second = template.sign(b"\xff" * 32, lambda data: key.sign(data, ec.ECDSA(hashes.SHA256())))
    assert first != second
    assert cms.ContentInfo.load(first)["content"]["certificates"].dump() == \
        cms.ContentInfo.load(second)["content"]["certificates"].dump()


def test_a_digest_that_is_not_sha256_is_refused() -> None:
    _, leaf, _ = certificates()
    with pytest.raises(ValueError, match="32 bytes"):
        SignedDataTemplate(certificate=leaf).signed_attributes(b"short")
