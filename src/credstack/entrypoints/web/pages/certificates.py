"""The page a PDF certificate's QR code opens.

``GET /verify/{credential_id}`` verifies one of the credentials credstack issued, read from
the store, and shows the result as the verification page does after an upload: the badge
image, the verdict, every check, what the credential says, as the credential's own page shows
it (:mod:`.credential_page`), with Open Graph metadata for the previews chat and social sites
make of the link. A certificate's QR code points here
(:func:`credstack.core.certificates.verification_url`), and so do e-mails and shared posts: the
page opens on the result, and the form to verify another credential comes after it. A
registrar's document (a degree's or a transcript's PDF, its credential, its CLR) is found in
the registrar's own store (:mod:`credstack.services.registrar.public`).
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse

from credstack.core.activity.events import Channel, Kind
from credstack.entrypoints.web import i18n
from credstack.entrypoints.web.dependencies import RuntimeDep
from credstack.entrypoints.web.pages import verification as verify_page
from credstack.entrypoints.web.pages.credential_page import (
    CredentialPage,
    held_of_report,
    page_of,
    preview_image,
    verify_url,
)
from credstack.entrypoints.web.pages.verification_trust import trust_of
from credstack.services import counting
from credstack.services.candidates import own_links
from credstack.services.verification import service as verifier

__all__ = ["router"]

router = APIRouter(include_in_schema=False)


@router.get("/verify/{credential_id:path}", response_class=HTMLResponse)
async def verify_stored(credential_id: str, request: Request, runtime: RuntimeDep
                        ) -> HTMLResponse:
    """The verification of a credential credstack issued (where certificates' QR codes lead)."""
    document = await run_in_threadpool(own_links.stored_document, runtime,
                                       own_links.CredentialLink(own_links.Artefact.PAGE,
                                                                credential_id=credential_id))
    report = await run_in_threadpool(
        verifier.verify, document, now=runtime.now(),
        sources=verifier.VerificationSources.for_runtime(runtime))
    trusted = await run_in_threadpool(trust_of, runtime, report)
    language = i18n.negotiate(request).language
    t = i18n.Translator(language)
    public_url = runtime.settings.public_url
    result = verify_page.result_of(report, language, public_url=public_url, trust=trusted)
    link = verify_url(public_url, credential_id)
    card = await run_in_threadpool(
        lambda: page_of(runtime, held=held_of_report(report, document, t), result=result, t=t,
                        link=link, credential_id=credential_id))
    await run_in_threadpool(counting.count_event, runtime, credential_id=credential_id,
                            kind=Kind.VERIFIED, channel=Channel.PAGE)
    return verify_page.render_result(request, result=result, submitted=True, stored=True,
                                     card=card, page_url=link,
                                     og_image=preview_image(public_url, (card,)),
                                     og_description=_description(card, t))


def _description(card: CredentialPage, t: i18n.Translator) -> str:
    """The preview's line: who vouches for what, as the verdict says it."""
    stated = card.result.verdict.statement(t.language)
    return (t.said(stated) if stated else card.title)[:300]
