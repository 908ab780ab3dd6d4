"""The page a share link opens: ``/s/{secret}``, for anyone who has it.

It shows whose credentials these are and each credential verified again now, as its own page
shows it (:mod:`.credential_page`): the headline in plain words (verified; revoked,
suspended, expired, changed after signing …), who earned what from whom, what it means, an
"Add to LinkedIn profile" link — in the reader's language, with Open Graph metadata for the
previews chat and social sites make. A link with an access code first asks for it
(``POST /s/{secret}``, a plain form). Whoever has the link may take each credential it shows
as its holder keeps it (``/s/{secret}/credentials/{id}/original``) and, for one issued here,
its signed PDF certificate (``…/certificate.pdf``) — links, or for a link with a code, forms
that send the code again. A revoked or expired link answers 410, an unknown one
404, too many failed attempts 429, each as a page. The secret is in the address, so the page
is never indexed nor cached and sends no referrer.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any, Final
from urllib.parse import quote

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, Response
from starlette.concurrency import run_in_threadpool

from credstack.core.certificates.models import Language as CertificateLanguage
from credstack.entrypoints.web import i18n
from credstack.entrypoints.web.access import client_ip
from credstack.entrypoints.web.dependencies import RuntimeDep
from credstack.entrypoints.web.originals import certificate_download, original_download
from credstack.entrypoints.web.pages import verification as verify_page
from credstack.entrypoints.web.pages.credential_page import (
    CredentialPage,
    Downloads,
    preview_image,
    wallet_page,
)
from credstack.entrypoints.web.pages.rendering import render
from credstack.entrypoints.web.pages.verification_trust import trust_of
from credstack.errors import AccessCodeError, GoneError, NotFoundError, RateLimitedError
from credstack.services.runtime import Runtime
from credstack.services.wallet import sharing

router = APIRouter(include_in_schema=False)

#: The secret is in the address: keep it out of search engines, caches and Referer headers.
PRIVATE: Final = {"X-Robots-Tag": "noindex, nofollow", "Referrer-Policy": "no-referrer",
                  "Cache-Control": "no-store"}
def _page(request: Request, template: str, *, status_code: int, **context: Any
          ) -> HTMLResponse:
    response = render(request, template, status_code=status_code, **context)
    response.headers.update(PRIVATE)
    return response


#: What keeps a link from being opened now; each answers with a page of its own.
_REFUSALS: Final = (AccessCodeError, GoneError, RateLimitedError, NotFoundError)


def _refused(request: Request, token: str,
             error: AccessCodeError | GoneError | RateLimitedError | NotFoundError) -> Response:
    """The page for a link that may not be opened now."""
    if isinstance(error, AccessCodeError):
        return _page(request, "share_code.html", status_code=401 if not error.given else 403,
                     token=token, wrong=error.given)
    if isinstance(error, GoneError):
        return _page(request, "share_gone.html", status_code=410, state="gone")
    if isinstance(error, RateLimitedError):
        response = _page(request, "share_gone.html", status_code=429, state="limited")
        response.headers["Retry-After"] = str(error.retry_after)
        return response
    return _page(request, "share_gone.html", status_code=404, state="unknown")


async def _admitted(request: Request, token: str, call: Callable[[], Any]) -> Any:
    """``call`` (a sharing service function) in a thread, or the page of its refusal."""
    try:
        return await run_in_threadpool(call)
    except _REFUSALS as error:
        return _refused(request, token, error)


def _downloads(token: str, item: Any, t: i18n.Translator, code: str | None, *,
               issued: bool) -> Downloads:
    """What the reader of the link may take of ``item``: its file, and its PDF certificate
    in the reader's language and the other when this platform ``issued`` it."""
    own = f"/s/{token}/credentials/{quote(item.public_id, safe='')}"
    return Downloads(
        pdf=f"{own}/certificate.pdf?language={t.language}" if issued else None,
        pdf_other=f"{own}/certificate.pdf?language={t.document_other}" if issued else None,
        json=f"{own}/original" if "json" in item.media_type else None,
        access_code=code or None)


async def _open(request: Request, runtime: Runtime, token: str, code: str | None) -> Response:
    language = i18n.negotiate(request).language
    t = i18n.Translator(language)
    opened = await _admitted(request, token, lambda: sharing.open_share(
        runtime, token=token, access_code=code, ip=client_ip(request)))
    if isinstance(opened, Response):
        return opened
    page_url = f"{runtime.settings.public_url.rstrip('/')}/s/{token}"
    cards: list[CredentialPage] = []
    for item, report in opened.items:
        trusted = await run_in_threadpool(trust_of, runtime, report)
        result = verify_page.result_of(report, language, trust=trusted)
        cards.append(await run_in_threadpool(wallet_page, runtime, item, result, t,
                                             link=page_url,
                                             downloads=_downloads(
                                                 token, item, t, code,
                                                 issued=item.public_id in opened.certified)))
    titles = [card.title for card in cards]
    heading = (t("share.title_collection", name=opened.holder_name, title=opened.title)
               if opened.kind == "collection" else t("share.title", name=opened.holder_name))
    description = "; ".join(titles)[:300] or opened.description
    og_image = preview_image(runtime.settings.public_url, cards)
    return _page(request, "share.html", status_code=200, opened=opened, cards=cards,
                 heading=heading, page_url=page_url, og_description=description,
                 og_image=og_image,
                 expires=opened.expires_at.date() if opened.expires_at else None)


@router.get("/s/{token}", response_class=HTMLResponse)
async def open_link(token: str, request: Request, runtime: RuntimeDep) -> Response:
    return await _open(request, runtime, token, None)


@router.post("/s/{token}", response_class=HTMLResponse)
async def open_with_code(token: str, request: Request, runtime: RuntimeDep,
                         access_code: Annotated[str, Form()] = "") -> Response:
    return await _open(request, runtime, token, access_code)


async def _original(request: Request, runtime: Runtime, token: str, public_id: str,
                    code: str | None) -> Response:
    found = await _admitted(request, token, lambda: sharing.shared_original(
        runtime, token=token, public_id=public_id, access_code=code, ip=client_ip(request)))
    if isinstance(found, Response):
        return found
    data, item = found
    return original_download(data, item)


async def _certificate(request: Request, runtime: Runtime, token: str, public_id: str,
                       language: str, code: str | None) -> Response:
    made = await _admitted(request, token, lambda: sharing.shared_certificate(
        runtime, token=token, public_id=public_id, language=language, access_code=code,
        ip=client_ip(request)))
    if isinstance(made, Response):
        return made
    response = certificate_download(made)
    response.headers.update(PRIVATE)
    return response


@router.get("/s/{token}/credentials/{public_id}/original", response_class=Response)
async def shared_original(token: str, public_id: str, request: Request, runtime: RuntimeDep
                          ) -> Response:
    return await _original(request, runtime, token, public_id, None)


@router.post("/s/{token}/credentials/{public_id}/original", response_class=Response)
async def shared_original_with_code(token: str, public_id: str, request: Request,
                                    runtime: RuntimeDep,
                                    access_code: Annotated[str, Form()] = "") -> Response:
    return await _original(request, runtime, token, public_id, access_code)


@router.get("/s/{token}/credentials/{public_id}/certificate.pdf", response_class=Response)
async def shared_certificate(token: str, public_id: str, request: Request,
                             runtime: RuntimeDep,
                             language: Annotated[CertificateLanguage, Query()] = "ja"
                             ) -> Response:
    return await _certificate(request, runtime, token, public_id, language, None)


@router.post("/s/{token}/credentials/{public_id}/certificate.pdf", response_class=Response)
async def shared_certificate_with_code(
        token: str, public_id: str, request: Request, runtime: RuntimeDep,
        language: Annotated[CertificateLanguage, Query()] = "ja",
        access_code: Annotated[str, Form()] = "") -> Response:
    return await _certificate(request, runtime, token, public_id, language, access_code)
