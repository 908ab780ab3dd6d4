"""Showing credentials to a verifier from the browser: ``/wallet/present``.

A verifier (an employer's or a university's system) asks for a presentation with a
*challenge* and names its *domain*; the learner ticks the credentials to show, types the two
values and downloads the presentation signed with their holder key
(:func:`credstack.services.wallet.presenting.present`), to upload to the verifier or paste
into its form. The same page makes a CLR 2.0 of the ticked credentials, signed by the
learner (:func:`~credstack.services.wallet.presenting.clr`). Both are downloads
(``Content-Disposition: attachment``); a refusal (no credential ticked, no challenge, an
Open Badges 2.0 badge, which neither can hold) comes back beside the form.
"""

from __future__ import annotations

import json
from typing import Annotated

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, Response

from credstack.entrypoints.web import i18n
from credstack.entrypoints.web.access import Access
from credstack.entrypoints.web.dependencies import RuntimeDep
from credstack.entrypoints.web.i18n.codes import said
from credstack.entrypoints.web.pages.signed_in import WebUserDep
from credstack.entrypoints.web.pages.wallet.views import FormProblem, page, row_of
from credstack.errors import CredstackError
from credstack.services.runtime import Runtime
from credstack.services.wallet import credentials as wallet
from credstack.services.wallet import presenting

router = APIRouter(include_in_schema=False)

FormText = Annotated[str, Form()]


def present_page(request: Request, runtime: Runtime, access: Access, *,
                 status_code: int = 200, chosen: frozenset[str] = frozenset(),
                 challenge: str = "", domain: str = "", name: str = "",
                 problem: FormProblem | None = None, problem_at: str | None = None
                 ) -> HTMLResponse:
    t = i18n.Translator(i18n.negotiate(request).language)
    now = runtime.now()
    rows = [row_of(item, t, now) for item in wallet.record(runtime, actor=access).items]
    return page(request, "wallet_present.html", status_code=status_code, rows=rows,
                chosen=chosen, challenge=challenge, domain=domain, name=name,
                problem=problem, problem_at=problem_at)


@router.get("/wallet/present", response_class=HTMLResponse)
def present_form(request: Request, runtime: RuntimeDep, access: WebUserDep,
                 credential: Annotated[list[str] | None, Query()] = None) -> Response:
    return present_page(request, runtime, access, chosen=frozenset(credential or ()))


def _download(document: dict[str, object], name: str) -> Response:
    return Response(json.dumps(document, ensure_ascii=False, indent=2),
                    media_type="application/json",
                    headers={"Content-Disposition": f'attachment; filename="{name}"',
                             "Cache-Control": "no-store"})


def _refused(request: Request, runtime: Runtime, access: Access, exc: CredstackError, *,
             at: str, chosen: list[str], challenge: str = "", domain: str = "",
             name: str = "") -> HTMLResponse:
    reason = said(exc, i18n.negotiate(request).language)
    return present_page(request, runtime, access, status_code=422, chosen=frozenset(chosen),
                        challenge=challenge, domain=domain, name=name, problem_at=at,
                        problem=FormProblem("wallet.error.refused", {"reason": reason}))


@router.post("/wallet/present", response_class=HTMLResponse)
def present(request: Request, runtime: RuntimeDep, access: WebUserDep,
            credential: Annotated[list[str] | None, Form()] = None,
            challenge: FormText = "", domain: FormText = "") -> Response:
    chosen = credential or []
    if not chosen:
        return present_page(request, runtime, access, status_code=422, challenge=challenge,
                            domain=domain, problem_at="present",
                            problem=FormProblem("wallet.present.none"))
    try:
        signed = presenting.present(runtime, actor=access, credentials=chosen,
                                    challenge=challenge, domain=domain)
    except CredstackError as exc:
        return _refused(request, runtime, access, exc, at="present", chosen=chosen,
                        challenge=challenge, domain=domain)
    return _download(signed, "presentation.json")


@router.post("/wallet/clr", response_class=HTMLResponse)
def make_clr(request: Request, runtime: RuntimeDep, access: WebUserDep,
             credential: Annotated[list[str] | None, Form()] = None,
             name: FormText = "") -> Response:
    chosen = credential or []
    if not chosen:
        return present_page(request, runtime, access, status_code=422, name=name,
                            problem_at="clr", problem=FormProblem("wallet.present.none"))
    try:
        signed = presenting.clr(runtime, actor=access, credentials=chosen, name=name or None)
    except CredstackError as exc:
        return _refused(request, runtime, access, exc, at="clr", chosen=chosen, name=name)
    return _download(signed, "clr.json")
