"""Signing the certificate (PAdES, with an optional RFC 3161 timestamp) and making it from a
stored credential."""

from __future__ import annotations

import asyncio
import datetime as dt
import io
import re
from dataclasses import dataclass
from typing import Any

from asn1crypto import cms, crl
from asn1crypto import x509 as asn1_x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import Encoding
from cryptography.x509.oid import NameOID
from pyhanko.pdf_utils import embed, generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import fields, signers
from pyhanko.sign.general import SigningError
from pyhanko.sign.signers.pdf_cms import PdfCMSSignedAttributes, Signer
from pyhanko.sign.validation.dss import DocumentSecurityStore

from credstack.adapters import keystore, tsa
from credstack.adapters.db.repositories import credentials as credential_store
from credstack.adapters.db.transactions import Session
from credstack.core import vocabularies
from credstack.core.certificates import (
    CertificateContent,
    certificate_content,
    read_credential,
)
from credstack.core.certificates.cms import SignedDataTemplate
from credstack.errors import ConflictError
from credstack.services.certificates import authority as pki
from credstack.services.certificates.fonts import SIGNATURE_FIELD
from credstack.services.certificates.page import render_page


class TemplateSigner(Signer):
    """A pyHanko signer for one document-signing identity, its CMS made from a template.

    pyHanko still does everything PDF: the signature field and dictionary, the byte range,
    the DocMDP settings. Only the CMS container — fixed signed attributes (``content-type``,
    ``message-digest``, ``signing-certificate-v2``), one ECDSA P-256 signature and, with
    ``timestamps``, the signature timestamp token it gives — is joined from pre-encoded parts.
    """

    def __init__(self, identity: pki.SigningIdentity,
                 timestamps: tsa.TimestampAuthority | None = None) -> None:
        certificate = asn1_x509.Certificate.load(identity.certificate.public_bytes(Encoding.DER))
        # The chain goes into the CMS from the template; pyHanko needs only the signer's.
        super().__init__(signing_cert=certificate)
        self._key = identity.private_key
        self.template = SignedDataTemplate(certificate=identity.certificate,
                                           chain=identity.chain)
        #: What goes into the document's security store: the chain and the current CRLs.
        self.validation_certificates = tuple(
            asn1_x509.Certificate.load(item.public_bytes(Encoding.DER))
            for item in identity.chain)
        self.crls = tuple(crl.CertificateList.load(item) for item in identity.crls)
        #: The time-stamping authority that timestamps each signature (PAdES B-T), if any.
        self.timestamps = timestamps
        self._untimestamped = len(self.template.sign(bytes(32), lambda _: bytes(72)))

    @property
    def bytes_reserved(self) -> int:
        """Room reserved in the PDF for the CMS, in hex digits (pyHanko's unit): its size with
        the longest ECDSA signature and, timestamped, the room of the authority's tokens
        (its attribute's header included), and a little more."""
        room = self.timestamps.room + 32 if self.timestamps is not None else 0
        return 2 * (self._untimestamped + room + 32)

    def _sign_bytes(self, data: bytes) -> bytes:
        return self._key.sign(data, ec.ECDSA(hashes.SHA256()))

    async def async_sign_raw(self, data: bytes, digest_algorithm: str,
                             dry_run: bool = False) -> bytes:
        if digest_algorithm != "sha256":
            raise SigningError(f"credstack signs with SHA-256, not {digest_algorithm}")
        return self._sign_bytes(data)

    async def async_sign(self, data_digest: bytes, digest_algorithm: str,
                         dry_run: bool = False, use_pades: bool = False,
                         timestamper: Any = None,
                         signed_attr_settings: PdfCMSSignedAttributes | None = None,
                         is_pdf_sig: bool = True, encap_content_info: Any = None
                         ) -> cms.ContentInfo:
        if digest_algorithm != "sha256" or timestamper is not None or \
                encap_content_info is not None:
            raise SigningError("credstack's template signer makes PAdES B-B and B-T "
                               "signatures of SHA-256 digests only, timestamped by its own "
                               "authority")
        stamp = self.timestamps.stamp if self.timestamps is not None else None
        return cms.ContentInfo.load(self.template.sign(data_digest, self._sign_bytes, stamp))


@dataclass(frozen=True, slots=True)
class CertificateSigner:
    """An organisation's signer, ready for many documents (the key stays in memory)."""

    organisation: str
    name: str
    signer: TemplateSigner

    @classmethod
    def for_identity(cls, identity: pki.SigningIdentity,
                     timestamps: tsa.TimestampAuthority | None = None) -> CertificateSigner:
        names = identity.certificate.subject.get_attributes_for_oid(
            NameOID.ORGANIZATION_NAME)
        name = str(names[0].value) if names else identity.organisation
        return cls(identity.organisation, name, TemplateSigner(identity, timestamps))


@dataclass(frozen=True, slots=True)
class Attachment:
    """A file the PDF carries: the credential the certificate stands for."""

    name: str
    data: bytes
    media_type: str
    description: str


async def _sign(writer: IncrementalPdfFileWriter, pdf_signer: signers.PdfSigner,
                reserved: int, now: dt.datetime) -> bytes:
    # The steps of PdfSigner.async_sign_pdf, so that the signing time is ``now``.
    session = pdf_signer.init_signing_session(writer)
    session.system_time = now
    validation = await session.perform_presign_validation(writer)
    document = session.prepare_tbs_document(validation_info=validation, bytes_reserved=reserved)
    buffer = io.BytesIO()
    prepared, output = document.digest_tbs_document(output=buffer)
    signed = await document.perform_signature(
        document_digest=prepared.document_digest,
        pdf_cms_signed_attrs=PdfCMSSignedAttributes(signing_time=now))
    await signed.post_signature_processing(output)
    return buffer.getvalue()


def sign_pdf(pdf: bytes, *, signer: CertificateSigner, now: dt.datetime,
             attachment: Attachment | None = None, reason: str | None = None,
             location: str | None = None) -> bytes:
    """``pdf`` with ``attachment`` added and a certification signature over everything
    (timestamped when the signer has a time-stamping authority)."""
    reserved = signer.signer.bytes_reserved
    try:
        return _sign_pdf(pdf, signer=signer, now=now, attachment=attachment, reason=reason,
                         location=location, reserved=reserved)
    except SigningError:
        # The room for the CMS is reserved before the timestamp token exists; the first
        # token of an authority can be larger than the first guess. Its size is known now:
        # sign again, once, with room for it.
        if signer.signer.bytes_reserved <= reserved:
            raise
        return _sign_pdf(pdf, signer=signer, now=now, attachment=attachment, reason=reason,
                         location=location, reserved=signer.signer.bytes_reserved)


def _sign_pdf(pdf: bytes, *, signer: CertificateSigner, now: dt.datetime,
              attachment: Attachment | None, reason: str | None, location: str | None,
              reserved: int) -> bytes:
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
    if attachment is not None:
        data = embed.EmbeddedFileObject.from_file_data(
            writer, data=attachment.data, mime_type=attachment.media_type,
            params=embed.EmbeddedFileParams(creation_date=now, modification_date=now))
        embed.embed_file(writer, embed.FileSpec(
            file_spec_string=attachment.name, file_name=attachment.name, embedded_data=data,
            description=attachment.description, af_relationship=generic.pdf_name("/Source")))
    if signer.signer.crls:
        # No VRI entry (it would be keyed by the signature, not made yet): PAdES does not
        # require one, and validators read the store's certificates and CRLs as a whole.
        DocumentSecurityStore.supply_dss_in_writer(
            writer, None, certs=signer.signer.validation_certificates, crls=signer.signer.crls)
    metadata = signers.PdfSignatureMetadata(
        field_name=SIGNATURE_FIELD, md_algorithm="sha256",
        subfilter=fields.SigSeedSubFilter.PADES, certify=True,
        docmdp_permissions=fields.MDPPerm.NO_CHANGES, reason=reason, location=location,
        name=signer.name)
    pdf_signer = signers.PdfSigner(metadata, signer=signer.signer,
                                   new_field_spec=fields.SigFieldSpec(SIGNATURE_FIELD))
    return asyncio.run(_sign(writer, pdf_signer, reserved, now))


def render_certificate(content: CertificateContent, *, signer: CertificateSigner,
                       now: dt.datetime, attachment: Attachment | None = None) -> bytes:
    """The signed certificate: the page, the credential attached, the signature."""
    reason = vocabularies.names("certificate-phrase", content.language)["signature_reason"]
    return sign_pdf(render_page(content, now=now), signer=signer, now=now,
                    attachment=attachment, reason=reason,
                    location=content.verify_url.split("/verify/")[0])


def attachment_for(document: str, *, credential_id: str) -> Attachment:
    """The credential as the PDF carries it: ``credential.json`` or ``credential.jwt``."""
    is_json = document.lstrip().startswith("{")
    return Attachment(
        name="credential.json" if is_json else "credential.jwt",
        data=document.encode("utf-8"),
        media_type="application/vc+ld+json" if is_json else "application/vc+jwt",
        description=f"The verifiable credential {credential_id}")


@dataclass(frozen=True, slots=True)
class CertificatePdf:
    filename: str
    data: bytes


def certificate_pdf(session: Session, *, credential_id: str, language: str,
                    secret: keystore.MasterKey, public_url: str, now: dt.datetime,
                    signer: CertificateSigner | None = None,
                    tsa_url: str | None = None) -> CertificatePdf:
    """The signed PDF certificate of one of credstack's issued credentials.

    The organisation's authority and signing certificate are made on first use. Revoked
    and suspended credentials get no certificate (:class:`ConflictError`). With ``tsa_url``
    (``CREDSTACK_TSA_URL``) the signature is timestamped by that authority (PAdES B-T); when
    it fails, so does the PDF (:class:`~credstack.errors.TimestampAuthorityError`).
    """
    stored = credential_store.get_credential(session, credential_id=credential_id)
    if stored.state != "active":
        raise ConflictError(f"{credential_id} is {stored.state}: credstack makes certificates "
                            "of active credentials only.")
    content = certificate_content(read_credential(stored.document), language=language,
                                  public_url=public_url)
    timestamps = tsa.authority(tsa_url) if tsa_url else None
    if signer is None or signer.organisation != stored.organisation or \
            signer.signer.timestamps is not timestamps:
        signer = CertificateSigner.for_identity(pki.signing_identity(
            session, organisation=stored.organisation, secret=secret, now=now,
            public_url=public_url), timestamps)
    data = render_certificate(content, signer=signer, now=now,
                              attachment=attachment_for(stored.document,
                                                        credential_id=credential_id))
    return CertificatePdf(filename=certificate_filename(credential_id, content.language),
                          data=data)


def certificate_filename(credential_id: str, language: str) -> str:
    """``certificate-<uuid>-ja.pdf``: the id's last part, safe for any file system."""
    tail = re.sub(r"[^A-Za-z0-9._-]+", "-", credential_id.rsplit(":", 1)[-1]).strip("-.")
    return f"certificate-{tail[:80] or 'credential'}-{language}.pdf"
