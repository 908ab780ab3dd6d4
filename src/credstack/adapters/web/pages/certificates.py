"""Pages for PDF certificates: the verification page a certificate's QR code opens, and the
PDF verification behind the upload on ``/verify``.

``GET /verify/{credential_id}`` verifies one of the credentials credstack issued, read from
the store, and shows the result as the verification page does after an upload: the verdict,
every check, what the credential says. A certificate's QR code points here
(:func:`credstack.core.certificates.verification_url`).

:func:`verify_pdf` is what ``POST /verify`` does with an uploaded PDF: the report of
:func:`credstack.services.certificates.verification.verify_pdf_with_store` and the credential the
PDF
carries (for the page's account of the learner).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse
from sqlalchemy.orm import Session

from credstack.adapters.db.repositories import credentials as credential_store
from credstack.adapters.web import i18n
from credstack.adapters.web.dependencies import NowDep
from credstack.adapters.web.pages import verification as verify_page
from credstack.adapters.web.pages.rendering import render
from credstack.core.verification import VerificationReport
from credstack.services.verification import service as verifier
from credstack.settings import Settings

__all__ = ["router", "verify_pdf"]

router = APIRouter(include_in_schema=False)


def verify_pdf(data: bytes, *, settings: Settings, sessions: Callable[[], Session],
               now: dt.datetime) -> tuple[VerificationReport, str]:
    """The report on an uploaded PDF certificate, and the credential it carries ("" if none).

    Raises :class:`~credstack.errors.InputError` when the PDF cannot be read at all (not a
    PDF, damaged, encrypted, over the limits).
    """
    from credstack.services.certificates.verification import verify_pdf_with_store

    result = verify_pdf_with_store(data, settings=settings, sessions=sessions, now=now)
    return result.report, result.credential or ""


def _stored_document(sessions: Callable[[], Session], credential_id: str) -> str:
    with sessions() as session:
        return credential_store.get_credential(session, credential_id=credential_id).document


@router.get("/verify/{credential_id:path}", response_class=HTMLResponse)
async def verify_stored(credential_id: str, request: Request, now: NowDep) -> HTMLResponse:
    """The verification of a credential credstack issued (where certificates' QR codes lead)."""
    settings = request.app.state.settings
    sessions = request.app.state.sessions
    document = await run_in_threadpool(_stored_document, sessions, credential_id)
    report = await run_in_threadpool(
        verifier.verify, document, now=now,
        sources=verifier.VerificationSources.from_settings(settings, sessions))
    language = i18n.negotiate(request).language
    result = verify_page.result_of(report, document, language)
    return render(request, "verify.html", section="verify", result=result, problem=None,
                  pasted="", submitted=True, oob=False,
                  status_key=("verify.status.verified" if result.ok
                              else "verify.status.not_verified"),
                  limit=verify_page.size_text(verify_page.limit_for(request)))
