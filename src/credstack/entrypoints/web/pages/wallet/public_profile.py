"""The learner's public profile settings: ``/wallet/profile``.

* ``GET /wallet/profile`` — the handle, the name and line shown, which credentials (check
  boxes), and whether it is shown, with the page's address.
* ``POST /wallet/profile`` — save and show it; a handle malformed, reserved or taken comes
  back next to its field (422).
* ``POST /wallet/profile/hide`` — hidden at once (``/@{handle}`` answers 410).

The page anyone sees is :mod:`credstack.entrypoints.web.pages.public_profile`.
"""

from __future__ import annotations

from typing import Annotated, Final

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, Response

from credstack.entrypoints.web import i18n
from credstack.entrypoints.web.access import Access
from credstack.entrypoints.web.dependencies import RuntimeDep
from credstack.entrypoints.web.i18n.codes import said
from credstack.entrypoints.web.pages.signed_in import WebUserDep
from credstack.entrypoints.web.pages.wallet.views import page, see_other, title_of
from credstack.errors import InputError
from credstack.services.runtime import Runtime
from credstack.services.wallet import credentials as wallet
from credstack.services.wallet import public_profile

router = APIRouter(include_in_schema=False)

DONE: Final = frozenset({"saved", "hidden"})


def profile_page(request: Request, runtime: Runtime, access: Access, *, status_code: int = 200,
                 problem: tuple[str | None, str] | None = None, done: str | None = None,
                 values: dict[str, object] | None = None) -> HTMLResponse:
    t = i18n.Translator(i18n.negotiate(request).language)
    own = public_profile.own_profile(runtime, actor=access)
    record = wallet.record(runtime, actor=access)
    choices = [(item.public_id,
                found.text if (found := title_of(item, t)) else str(t("wallet.untitled")))
               for item in record.items]
    shown = values or {"handle": own.handle if own else "", "name": own.name if own else "",
                       "headline": own.headline if own else "",
                       "chosen": set(own.chosen) if own else set()}
    address = (f"{runtime.settings.public_url.rstrip('/')}/@{own.handle}"
               if own is not None and own.shown else None)
    return page(request, "wallet_profile.html", status_code=status_code, here="profile",
                own=own, choices=choices, values=shown, problem=problem, done=done,
                address=address)


@router.get("/wallet/profile", response_class=HTMLResponse)
def settings(request: Request, runtime: RuntimeDep, access: WebUserDep,
             done: Annotated[str, Query(max_length=20)] = "") -> Response:
    return profile_page(request, runtime, access, done=done if done in DONE else None)


@router.post("/wallet/profile", response_class=HTMLResponse)
async def save(request: Request, runtime: RuntimeDep, access: WebUserDep,
               handle: Annotated[str, Form(max_length=100)] = "",
               name: Annotated[str, Form(max_length=1000)] = "",
               headline: Annotated[str, Form(max_length=1000)] = "") -> Response:
    form = await request.form()
    chosen = [str(value) for value in form.getlist("credential")][:200]
    try:
        public_profile.save_profile(runtime, actor=access, handle=handle, name=name,
                                    headline=headline, credentials=chosen)
    except InputError as exc:
        language = i18n.negotiate(request).language
        where = exc.problems[0].location if exc.problems else None
        text = said(exc, language)
        return profile_page(request, runtime, access, status_code=422, problem=(where, text),
                            values={"handle": handle, "name": name, "headline": headline,
                                    "chosen": set(chosen)})
    return see_other("/wallet/profile?done=saved")


@router.post("/wallet/profile/hide")
def hide(runtime: RuntimeDep, access: WebUserDep) -> Response:
    public_profile.hide_profile(runtime, actor=access)
    return see_other("/wallet/profile?done=hidden")
