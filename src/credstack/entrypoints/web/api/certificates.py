"""PDF certificates over HTTP: download one, verify one, read an organisation's CA.

``GET /api/credentials/{credential_id}/certificate.pdf?lang=ja|en|ko|zh-Hans|th|vi|id|ms`` —
the signed PDF certificate of a credential credstack issued (the organisation's certificate
authority is made on first use); a browser that follows the learner's e-mail link without
being signed in is sent to sign in and back. ``POST /api/certificates/verify`` — a PDF (the body as
``application/pdf``, or the form field ``file``): 200 with the report when it verifies, 400
with the same body when it does not, a problem (413, 422) when it cannot be read at all.
``GET /api/organisations/{slug}/certificate-authority`` — the CA certificate to trust, for
verifying the organisation's PDFs offline with any PAdES validator.
``POST /api/organisations/{slug}/certificate-authority/revocations`` — revoke a
document-signing certificate (``keys:manage``, as issuer keys). ``GET
/organisations/{slug}/ca/{key_id}.crl`` — the public CRL of one of the organisation's
authorities (DER, ``application/pkix-crl``), the URL its certificates name.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Final, Literal
from urllib.parse import quote

from fastapi import APIRouter, Query, Request, Response, status
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse, RedirectResponse
from pydantic import BaseModel, ConfigDict, Field
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException as StarletteHTTPException

from credstack.core.certificates.models import Language as CertificateLanguage
from credstack.entrypoints.web.access import AccessDep
from credstack.entrypoints.web.dependencies import RuntimeDep
from credstack.errors import InputTooLargeError, UnreadableInputError
from credstack.services import formats
from credstack.services.certificates import authorities, documents
from credstack.services.certificates.authority import RevocationReason
from credstack.services.certificates.verification import MAX_PDF_BYTES

router = APIRouter(tags=["certificates"])

_PDF: Final = "application/pdf"


def _limit(request: Request) -> int:
    limit: int = min(MAX_PDF_BYTES, request.app.state.settings.max_body_bytes)
    return limit


@router.get("/api/credentials/{credential_id:path}/certificate.pdf", response_class=Response,
            summary="The signed PDF certificate of an issued credential",
            responses={200: {"content": {_PDF: {}}, "description": "A PAdES-signed PDF."}})
async def certificate_pdf(credential_id: str, request: Request, runtime: RuntimeDep,
                          access: AccessDep,
                          lang: Annotated[CertificateLanguage, Query(
                              description="The certificate's language.")] = "ja") -> Response:
    """One page, in one of the eight languages: the learner, the programme and its descriptors, a QR
    code to the verification page; the credential attached; signed by the issuing
    organisation's document-signing certificate."""
    if access.principal is None and request.headers.get("sec-fetch-mode") == "navigate":
        # The learner's e-mail links here ("sign in first"): a person who opens it in a
        # browser gets the sign-in page, then the file, not the API's problem document.
        here = quote(f"{request.url.path}?{request.url.query}", safe="/:")
        return RedirectResponse(f"/sign-in?next={here}", status_code=303,
                                headers={"Cache-Control": "no-store"})
    made = await run_in_threadpool(documents.certificate_pdf, runtime, actor=access,
                                   credential_id=credential_id, language=lang)
    return Response(made.data, media_type=_PDF, headers={
        "Content-Disposition": f'attachment; filename="{made.filename}"',
        "Cache-Control": "no-store"})


async def _pdf_of(request: Request) -> bytes:
    limit = _limit(request)
    if request.headers.get("content-type", "").startswith("multipart/form-data"):
        try:
            form = await request.form(max_files=1, max_fields=2, max_part_size=limit + 1)
        except StarletteHTTPException as exc:
            raise UnreadableInputError(f"The form cannot be read: {exc.detail}") from None
        try:
            upload = form.get("file")
            if not isinstance(upload, UploadFile):
                raise UnreadableInputError("Send the PDF as the form field `file`, or as the "
                                           "request body (Content-Type: application/pdf).")
            data = await upload.read(limit + 1)
        finally:
            await form.close()
    else:
        data = await request.body()
    if len(data) > limit:
        raise InputTooLargeError(f"The PDF is over {limit:,} bytes, the most this service "
                                 "reads.")
    if not data:
        raise UnreadableInputError("No PDF was sent.")
    return data


@router.post("/api/certificates/verify", summary="Verify a PDF certificate",
             responses={200: {"description": "Verified: `{verified, checks, errors, "
                                             "warnings, meaning, pdf}`."},
                        400: {"description": "Not verified (the same body)."}},
             openapi_extra={"requestBody": {"required": True, "content": {
                 _PDF: {"schema": {"type": "string", "format": "binary"}},
                 "multipart/form-data": {"schema": {"type": "object", "properties": {
                     "file": {"type": "string", "format": "binary"}}}}}}})
async def verify_certificate(request: Request, runtime: RuntimeDep) -> JSONResponse:
    """Check the PDF's signature (unchanged since signing, signed under one of this
    credstack's organisations' authorities), then the credential it carries."""
    data = await _pdf_of(request)
    result = await run_in_threadpool(formats.verify_certificate, runtime, data=data)
    return JSONResponse(result.to_dict(), status_code=200 if result.ok else 400)


@router.get("/api/organisations/{slug}/certificate-authority",
            summary="An organisation's certificate authority for PDF certificates")
def certificate_authority(slug: str, runtime: RuntimeDep) -> dict[str, Any]:
    """The CA certificate (PEM) that anchors the organisation's PDF signatures, and the
    document-signing certificate it issued."""
    return authorities.describe_authority(runtime, organisation=slug).to_dict()


class RevocationRequest(BaseModel):
    """Which document-signing certificate to revoke, why, and since when."""

    model_config = ConfigDict(extra="forbid")

    reason: Literal["unspecified", "keyCompromise", "affiliationChanged", "superseded",
                    "cessationOfOperation", "privilegeWithdrawn"] = "unspecified"
    #: Hex; the active signing certificate when left out.
    serial_number: str | None = Field(default=None, max_length=64)
    #: Not in the future; now when left out.
    revoked_at: dt.datetime | None = None


@router.post("/api/organisations/{slug}/certificate-authority/revocations",
             status_code=status.HTTP_201_CREATED,
             summary="Revoke a document-signing certificate of an organisation")
async def revoke_certificate(slug: str, body: RevocationRequest, runtime: RuntimeDep,
                             access: AccessDep) -> dict[str, Any]:
    """The certificate is retired (the next PDF gets a new one) and listed in its authority's
    CRL from now on; PDFs it signed stop verifying."""
    revoked = await run_in_threadpool(
        authorities.revoke_signing, runtime, actor=access, organisation=slug,
        reason=RevocationReason(body.reason), serial_number=body.serial_number,
        revoked_at=body.revoked_at)
    return revoked.to_dict()


# Like the DID document beside it, the CRL is not part of the JSON API's description.
@router.get("/organisations/{slug}/ca/{key_id}.crl", response_class=Response,
            include_in_schema=False)
def revocation_list(slug: str, key_id: str, runtime: RuntimeDep) -> Response:
    """Signed by the authority; re-signed when a certificate is revoked, and daily."""
    der = authorities.revocation_list(runtime, organisation=slug, key_id=key_id)
    return Response(der, media_type="application/pkix-crl",
                    headers={"Cache-Control": "public, max-age=3600"})
