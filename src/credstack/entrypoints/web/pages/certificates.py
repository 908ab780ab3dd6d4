"""The page a PDF certificate's QR code opens.

``GET /verify/{credential_id}`` verifies one of the credentials credstack issued, read from
the store, and shows the result as the verification page does after an upload: the badge
image, the verdict, every check, what the credential says. A certificate's QR code points here
(:func:`credstack.core.certificates.verification_url`), and so do e-mails and shared posts: the
page opens on the result, and the form to verify another credential comes after it.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse

from credstack.core.activity.events import Channel, Kind
from credstack.entrypoints.web import i18n
from credstack.entrypoints.web.dependencies import RuntimeDep
from credstack.entrypoints.web.pages import verification as verify_page
from credstack.entrypoints.web.pages.verification_trust import trust_of
from credstack.services import counting
from credstack.services.issuance import credentials
from credstack.services.verification import service as verifier

__all__ = ["router"]

router = APIRouter(include_in_schema=False)


@router.get("/verify/{credential_id:path}", response_class=HTMLResponse)
async def verify_stored(credential_id: str, request: Request, runtime: RuntimeDep
                        ) -> HTMLResponse:
    """The verification of a credential credstack issued (where certificates' QR codes lead)."""
    document = await run_in_threadpool(credentials.credential_document, runtime,
                                       credential_id=credential_id)
    report = await run_in_threadpool(
        verifier.verify, document, now=runtime.now(),
        sources=verifier.VerificationSources.for_runtime(runtime))
    trusted = await run_in_threadpool(trust_of, runtime, report)
    result = verify_page.result_of(report, i18n.negotiate(request).language,
                                   public_url=runtime.settings.public_url, trust=trusted)
    await run_in_threadpool(counting.count_event, runtime, credential_id=credential_id,
                            kind=Kind.VERIFIED, channel=Channel.PAGE)
    return verify_page.render_result(request, result=result, submitted=True, stored=True)
