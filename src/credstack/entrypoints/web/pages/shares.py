"""The page a share link opens: ``/s/{secret}``, for anyone who has it.

It shows whose credentials these are and each credential verified again now, as its own page
shows it (:mod:`.credential_page`): the headline in plain words (verified; revoked,
suspended, expired, changed after signing …), who earned what from whom, what it means, an
"Add to LinkedIn profile" link — in the reader's language, with Open Graph metadata for the
previews chat and social sites make. A link with an access code first asks for it
(``POST /s/{secret}``, a plain form). A revoked or expired link answers 410, an unknown one
404, too many failed attempts 429, each as a page. The secret is in the address, so the page
is never indexed nor cached and sends no referrer.
"""

from __future__ import annotations

from typing import Annotated, Any, Final

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, Response
from starlette.concurrency import run_in_threadpool

from credstack.entrypoints.web import i18n
from credstack.entrypoints.web.access import client_ip
from credstack.entrypoints.web.dependencies import RuntimeDep
from credstack.entrypoints.web.pages import verification as verify_page
from credstack.entrypoints.web.pages.credential_page import (
    CredentialPage,
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


async def _open(request: Request, runtime: Runtime, token: str, code: str | None) -> Response:
    language = i18n.negotiate(request).language
    t = i18n.Translator(language)
    try:
        opened = await run_in_threadpool(sharing.open_share, runtime, token=token,
                                         access_code=code, ip=client_ip(request))
    except AccessCodeError as exc:
        return _page(request, "share_code.html", status_code=401 if not exc.given else 403,
                     token=token, wrong=exc.given)
    except GoneError:
        return _page(request, "share_gone.html", status_code=410, state="gone")
    except RateLimitedError as exc:
        response = _page(request, "share_gone.html", status_code=429, state="limited")
        response.headers["Retry-After"] = str(exc.retry_after)
        return response
    except NotFoundError:
        return _page(request, "share_gone.html", status_code=404, state="unknown")
    page_url = f"{runtime.settings.public_url.rstrip('/')}/s/{token}"
    cards: list[CredentialPage] = []
    for item, report in opened.items:
        trusted = await run_in_threadpool(trust_of, runtime, report)
        result = verify_page.result_of(report, language, trust=trusted)
        cards.append(await run_in_threadpool(wallet_page, runtime, item, result, t,
                                             link=page_url))
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
