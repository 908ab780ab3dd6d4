"""A learner's public profile: ``/@{handle}``, for anyone, in Japanese and English.

The credentials the learner chose, each verified again now and shown as its own page
shows it (:mod:`.credential_page`), grouped by the learner's collections; the skills and
levels the verified ones state; their hours and credits; a QR code of the page's address;
Open Graph metadata for the previews chat and social sites make. A hidden profile answers
410, an unknown handle 404, each as a page. The learner sets it at ``/wallet/profile``
(:mod:`credstack.entrypoints.web.pages.wallet.public_profile`).
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from starlette.concurrency import run_in_threadpool

from credstack.entrypoints.web import i18n
from credstack.entrypoints.web.dependencies import RuntimeDep
from credstack.entrypoints.web.pages import verification as verify_page
from credstack.entrypoints.web.pages.credential_page import (
    preview_image,
    verify_url,
    wallet_page,
)
from credstack.entrypoints.web.pages.rendering import render
from credstack.entrypoints.web.pages.wallet.views import credit_text, level_text
from credstack.errors import GoneError, NotFoundError
from credstack.services.oid4vci.offers import qr_data_uri
from credstack.services.wallet import public_profile

router = APIRouter(include_in_schema=False)


@router.get("/@{handle}", response_class=HTMLResponse)
async def profile(handle: str, request: Request, runtime: RuntimeDep) -> Response:
    language = i18n.negotiate(request).language
    t = i18n.Translator(language)
    try:
        shown = await run_in_threadpool(public_profile.public_profile, runtime,
                                        handle=handle[:64])
    except GoneError:
        return render(request, "public_profile_gone.html", status_code=410, state="gone")
    except NotFoundError:
        return render(request, "public_profile_gone.html", status_code=404, state="unknown")
    public_url = runtime.settings.public_url.rstrip("/")
    page_url = f"{public_url}/@{shown.handle}"
    groups = []
    for name, items in shown.groups:
        cards = [await run_in_threadpool(
            wallet_page, runtime, item, verify_page.result_of(report, language), t,
            link=verify_url(public_url, item.credential_id) if item.credential_id else None)
            for item, report in items]
        groups.append((name, cards))
    titles = [card.title for _, cards in groups for card in cards]
    return render(request, "public_profile.html", shown=shown, groups=groups,
                  page_url=page_url, qr=qr_data_uri(page_url),
                  heading=t("pubprofile.page.title", name=shown.name),
                  og_description=(shown.headline or "; ".join(titles))[:300],
                  og_image=preview_image(public_url,
                                         (card for _, cards in groups for card in cards)),
                  credits=[credit_text(t, system, value)
                           for system, value in shown.totals.credits],
                  levels=[level_text(t, framework, level)
                          for framework, level in shown.levels])
