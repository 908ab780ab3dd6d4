"""Showing credentials to a verifier from the browser: ``/wallet/present``.

A verifier (an employer's or a university's system) asks for a presentation with a
*challenge* and names its *domain*; the learner ticks the credentials to show, types the two
values and downloads the presentation signed with their holder key
(:func:`credstack.services.wallet.presenting.present`), to upload to the verifier or paste
into its form. The same page makes a CLR 2.0 of the ticked credentials, signed by the
learner (:func:`~credstack.services.wallet.presenting.clr`). Both are downloads
(``Content-Disposition: attachment``); a refusal (no credential ticked, no challenge, an
Open Badges 2.0 badge, which neither can hold) comes back beside the form.

The learner chooses how the presentation is secured: a Data Integrity proof (JSON), or as
*Securing Verifiable Credentials using JOSE and COSE* secures one — a JWT, an SD-JWT or COSE
(:func:`~credstack.services.wallet.presenting.present_secured`) — and, for each credential
kept as an SD-JWT, which of the claims its issuer made selectively disclosable to show (all
ticked at first; each named in words, as the verification page names them).
"""

from __future__ import annotations

import json
import re
from typing import Annotated, Any, Final

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, Response

from credstack.entrypoints.web import i18n
from credstack.entrypoints.web.access import Access
from credstack.entrypoints.web.dependencies import RuntimeDep
from credstack.entrypoints.web.i18n.codes import said
from credstack.entrypoints.web.pages.signed_in import WebUserDep
from credstack.entrypoints.web.pages.verification_securing import NAMED_CLAIMS
from credstack.entrypoints.web.pages.wallet.views import FormProblem, page, row_of
from credstack.errors import CredstackError
from credstack.services.runtime import Runtime
from credstack.services.wallet import credentials as wallet
from credstack.services.wallet import presenting

router = APIRouter(include_in_schema=False)

FormText = Annotated[str, Form()]
#: The forms the page offers, in its order (``wallet.present.form.{form}``).
FORMS: Final = ("data-integrity", *presenting.SECURED_FORMS)


def _choices(runtime: Runtime, access: Access, rows: list[Any]
             ) -> dict[str, list[tuple[int, str]]]:
    """For each credential kept as an SD-JWT: its disclosable claims, (index, message key or
    place)."""
    found: dict[str, list[tuple[int, str]]] = {}
    for row in rows:
        item = row.item
        if item.kind != "vc" or item.media_type not in ("application/vc+jwt",
                                                        "application/vc+sd-jwt"):
            continue
        data, _ = wallet.original(runtime, actor=access, public_id=item.public_id)
        claims = presenting.disclosable(data, item.kind)
        if claims:
            found[item.public_id] = [
                (claim.index, _claim_key(claim.place)) for claim in claims]
    return found


def _claim_key(place: str) -> str:
    name = NAMED_CLAIMS.get(re.sub(r"\[\d+\]", "", place))
    return f"verify.claim.{name}" if name else place


def _withheld(choosing: list[str], disclose: list[str]) -> dict[str, set[int]]:
    """The disclosures not ticked, by credential: of every SD-JWT the form listed
    (``choosing``), those whose ``{id}:{index}`` is not among ``disclose``."""
    shown: dict[str, set[int]] = {}
    for value in disclose:
        public_id, _, index = value.partition(":")
        if index.isdigit():
            shown.setdefault(public_id, set()).add(int(index))
    return {public_id: {index for index in range(_MOST_DISCLOSURES)
                        if index not in shown.get(public_id, set())}
            for public_id in choosing}


#: More disclosures than one credential of the wallet's can hold (its text limit).
_MOST_DISCLOSURES: Final = 4096


def present_page(request: Request, runtime: Runtime, access: Access, *,
                 status_code: int = 200, chosen: frozenset[str] = frozenset(),
                 challenge: str = "", domain: str = "", name: str = "",
                 problem: FormProblem | None = None, problem_at: str | None = None,
                 form: str = "data-integrity",
                 withheld: dict[str, set[int]] | None = None) -> HTMLResponse:
    t = i18n.Translator(i18n.negotiate(request).language)
    now = runtime.now()
    rows = [row_of(item, t, now) for item in wallet.record(runtime, actor=access).items]
    return page(request, "wallet_present.html", status_code=status_code, rows=rows,
                chosen=chosen, challenge=challenge, domain=domain, name=name,
                problem=problem, problem_at=problem_at, forms=FORMS,
                form=form if form in FORMS else "data-integrity",
                disclosable=_choices(runtime, access, rows), withheld=withheld or {})


@router.get("/wallet/present", response_class=HTMLResponse)
def present_form(request: Request, runtime: RuntimeDep, access: WebUserDep,
                 credential: Annotated[list[str] | None, Query()] = None) -> Response:
    return present_page(request, runtime, access, chosen=frozenset(credential or ()))


def _download(document: dict[str, object] | bytes, name: str,
              media_type: str = "application/json") -> Response:
    content = document if isinstance(document, bytes) \
        else json.dumps(document, ensure_ascii=False, indent=2)
    return Response(content, media_type=media_type,
                    headers={"Content-Disposition": f'attachment; filename="{name}"',
                             "Cache-Control": "no-store"})


def _refused(request: Request, runtime: Runtime, access: Access, exc: CredstackError, *,
             at: str, chosen: list[str], challenge: str = "", domain: str = "",
             name: str = "", form: str = "data-integrity",
             withheld: dict[str, set[int]] | None = None) -> HTMLResponse:
    reason = said(exc, i18n.negotiate(request).language)
    return present_page(request, runtime, access, status_code=422, chosen=frozenset(chosen),
                        challenge=challenge, domain=domain, name=name, problem_at=at,
                        problem=FormProblem("wallet.error.refused", {"reason": reason}),
                        form=form, withheld=withheld)


@router.post("/wallet/present", response_class=HTMLResponse)
def present(request: Request, runtime: RuntimeDep, access: WebUserDep,
            credential: Annotated[list[str] | None, Form()] = None,
            challenge: FormText = "", domain: FormText = "", form: FormText = "data-integrity",
            choosing: Annotated[list[str] | None, Form()] = None,
            disclose: Annotated[list[str] | None, Form()] = None) -> Response:
    chosen = credential or []
    withheld = _withheld(choosing or [], disclose or [])
    if not chosen:
        return present_page(request, runtime, access, status_code=422, challenge=challenge,
                            domain=domain, problem_at="present",
                            problem=FormProblem("wallet.present.none"), form=form,
                            withheld=withheld)
    try:
        if form in presenting.SECURED_FORMS:
            secured = presenting.present_secured(
                runtime, actor=access, credentials=chosen, challenge=challenge,
                domain=domain, form=form, withheld=withheld)
            return _download(secured.data, f"presentation.{secured.extension}",
                             secured.media_type)
        signed = presenting.present(runtime, actor=access, credentials=chosen,
                                    challenge=challenge, domain=domain, withheld=withheld)
    except CredstackError as exc:
        return _refused(request, runtime, access, exc, at="present", chosen=chosen,
                        challenge=challenge, domain=domain, form=form, withheld=withheld)
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
